//! The binary form in which the build script hands the stemmed tables to the crate.
//!
//! Stemming every lemma of WordNet and every word of the frequency list is most of what a short
//! process such as `stemma check` of one article would spend on a comparison, so `build.rs` does
//! it once, at compile time, and writes the result in this form; loading it is copying.
//! Little-endian and unversioned: the writer and the reader are compiled from this one file, into
//! the build script and into the crate, at the same time.

/// Appends numbers, number lists and strings to a byte buffer.
#[allow(
    dead_code,
    reason = "the crate only reads tables; build.rs and the tests write them"
)]
#[derive(Default)]
pub(crate) struct Writer {
    bytes: Vec<u8>,
}

#[allow(
    dead_code,
    reason = "the crate only reads tables; build.rs and the tests write them"
)]
impl Writer {
    pub(crate) fn u32(&mut self, value: u32) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    /// A length, then the values.
    pub(crate) fn u32s(&mut self, values: &[u32]) {
        self.len(values.len());
        for &v in values {
            self.u32(v);
        }
    }

    /// The exact bits, so that the crate reads the very value the build script computed.
    pub(crate) fn f32(&mut self, value: f32) {
        self.u32(value.to_bits());
    }

    /// A length in bytes, then the UTF-8 bytes.
    pub(crate) fn str(&mut self, value: &str) {
        self.len(value.len());
        self.bytes.extend_from_slice(value.as_bytes());
    }

    pub(crate) fn len(&mut self, len: usize) {
        self.u32(u32::try_from(len).expect("a lexicon table has fewer than 2^32 entries"));
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        self.bytes
    }
}

/// Reads back what a [`Writer`] wrote, in the same order; `None` when the bytes run out or a
/// string is not UTF-8.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { rest: bytes }
    }

    pub(crate) fn u32(&mut self) -> Option<u32> {
        let (head, rest) = self.rest.split_first_chunk::<4>()?;
        self.rest = rest;
        Some(u32::from_le_bytes(*head))
    }

    pub(crate) fn u32s(&mut self) -> Option<Vec<u32>> {
        let len = self.len()?;
        let bytes = self.take(len.checked_mul(4)?)?;
        Some(
            bytes
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        )
    }

    pub(crate) fn f32(&mut self) -> Option<f32> {
        self.u32().map(f32::from_bits)
    }

    pub(crate) fn str(&mut self) -> Option<&'a str> {
        let len = self.len()?;
        std::str::from_utf8(self.take(len)?).ok()
    }

    pub(crate) fn len(&mut self) -> Option<usize> {
        self.u32().map(|n| n as usize)
    }

    /// Whether everything was read.
    pub(crate) fn is_done(&self) -> bool {
        self.rest.is_empty()
    }

    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        if len > self.rest.len() {
            return None;
        }
        let (head, rest) = self.rest.split_at(len);
        self.rest = rest;
        Some(head)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_what_was_written() {
        let mut w = Writer::default();
        w.u32(7);
        w.u32s(&[1, 2, u32::MAX]);
        w.f32(-2.5);
        w.str("défense");
        w.str("");
        let bytes = w.finish();
        let mut r = Reader::new(&bytes);
        assert_eq!(r.u32(), Some(7));
        assert_eq!(r.u32s(), Some(vec![1, 2, u32::MAX]));
        assert_eq!(r.f32(), Some(-2.5));
        assert_eq!(r.str(), Some("défense"));
        assert_eq!(r.str(), Some(""));
        assert!(r.is_done());
        assert_eq!(r.u32(), None);
    }

    #[test]
    fn truncated_or_invalid_bytes_read_as_none() {
        let mut w = Writer::default();
        w.u32s(&[1, 2, 3]);
        let bytes = w.finish();
        assert_eq!(Reader::new(&bytes[..bytes.len() - 1]).u32s(), None);
        let bad = [1, 0, 0, 0, 0xff];
        assert_eq!(Reader::new(&bad).str(), None);
        let huge = [0xff, 0xff, 0xff, 0xff];
        assert_eq!(Reader::new(&huge).u32s(), None);
    }
}
