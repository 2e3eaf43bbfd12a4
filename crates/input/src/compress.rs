//! Compressed inputs: gzip (`.gz`, one member or many, as crawlers write WARC files a record per
//! member) and Zstandard (`.zst`, one frame or many), decompressed while they are read.
//!
//! A file is taken as compressed by its first bytes (the gzip and Zstandard signatures), not by
//! its name: a `.warc` that is really gzip is read, and a `.gz` that is really plain text too.
//!
//! # Why these crates
//!
//! `flate2` with its Rust back end (`miniz_oxide`) is the standard gzip reader of the ecosystem
//! (four small crates, no C). Its `bufread::GzDecoder` takes exactly one member from a `BufRead`
//! and leaves the rest, so members are decoded one at a time here and the byte where each starts
//! is known: a damaged file is reported at the byte where its damage is, and a WARC record at the
//! byte its member starts at. `ruzstd` is a pure-Rust Zstandard decoder (one crate, plus
//! `twox-hash` for frame checksums); the C `zstd` crate would bring a C build. `ruzstd` 0.8 caps a
//! frame's window at 100 MiB, which bounds its memory; it cannot load a dictionary from outside,
//! so a `.warc.zst` that carries one (the IIPC layout, as Archive Team's wget-at writes it) is
//! refused with that reason.
//!
//! # Bombs
//!
//! What comes out is bounded where it is used (an article, a JSONL line, a WARC record may have
//! 64 MiB). A stream read to its end (JSONL, WARC) is also stopped once it has given more than
//! [`BOMB_FLOOR`] bytes at more than [`BOMB_RATIO`] bytes per byte read: text and web pages
//! compress 3 to 20 times, a decompression bomb about 1,000 times (gzip) or far more (zstd).

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};

use ruzstd::decoding::errors::{FrameDecoderError, ReadFrameHeaderError};
use ruzstd::decoding::{BlockDecodingStrategy, FrameDecoder};

/// Past this many bytes out, a stream that expands more than [`BOMB_RATIO`]-fold is refused.
pub(super) const BOMB_FLOOR: u64 = 64 * 1024 * 1024;

/// Bytes out per byte in beyond which a stream is taken for a decompression bomb.
pub(super) const BOMB_RATIO: u64 = 200;

/// How many member starts are remembered for [`Decompressed::stored_offset`]: only the members
/// read ahead of the reader's position are needed, and a record spans few.
const MAX_MEMBERS_REMEMBERED: usize = 4096;

/// The Zstandard frame magic number, little-endian.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

/// The skippable frame that holds the dictionary of a `.warc.zst` file.
const WARC_ZSTD_DICTIONARY: u32 = 0x184D_2A5D;

/// How a stream is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    /// Not compressed.
    Plain,
    /// gzip, one member or more.
    Gzip,
    /// Zstandard, one frame or more.
    Zstd,
}

impl Format {
    /// The format a stream's first bytes announce.
    pub(super) fn sniff(start: &[u8]) -> Format {
        if start.starts_with(&[0x1F, 0x8B]) {
            Format::Gzip
        } else if start.starts_with(&ZSTD_MAGIC)
            || start.get(..4).is_some_and(|m| {
                let magic = u32::from_le_bytes([m[0], m[1], m[2], m[3]]);
                (0x184D_2A50..=0x184D_2A5F).contains(&magic)
            })
        {
            Format::Zstd
        } else {
            Format::Plain
        }
    }
}

/// Why decompression stopped; carried inside an [`io::Error`] so that it passes through readers
/// that only know I/O errors, and found again with [`Damage::of`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("damaged at byte {at} ({what})")]
pub(super) struct Damage {
    /// The byte of the file (as stored) where reading stopped.
    pub(super) at: u64,
    /// What is wrong there.
    pub(super) what: String,
}

impl Damage {
    fn into_io(self) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, self)
    }

    /// The damage an I/O error reports, if it is one.
    pub(super) fn of(e: &io::Error) -> Option<&Damage> {
        e.get_ref().and_then(|inner| inner.downcast_ref::<Damage>())
    }
}

/// A `BufRead` that counts the bytes taken from it.
pub(super) struct Counted<R> {
    inner: R,
    taken: u64,
}

impl<R> Counted<R> {
    /// Counts from zero.
    pub(super) fn new(inner: R) -> Self {
        Self { inner, taken: 0 }
    }

    /// The bytes taken so far.
    pub(super) fn taken(&self) -> u64 {
        self.taken
    }

    /// The reader counted.
    pub(super) fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.taken += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.inner.consume(amount);
        self.taken += amount as u64;
    }
}

/// Where a decompressing reader is.
enum Stage<R> {
    /// Between members (or frames), or not compressed at all.
    Between(Counted<R>),
    /// Inside a gzip member.
    Gzip(Box<flate2::bufread::GzDecoder<Counted<R>>>),
    /// Inside a Zstandard frame; the decoder is [`Decompressed::zstd`].
    Zstd(Counted<R>),
    /// After an error: nothing more is read.
    Stopped,
}

/// The decompressed bytes of a stream (or the stream itself when it is not compressed), with
/// the bytes of the stored file each member started at.
pub(super) struct Decompressed<R> {
    format: Format,
    stage: Stage<R>,
    zstd: Box<FrameDecoder>,
    /// Bytes given out so far.
    out: u64,
    /// (bytes out, bytes in) at the start of each member not yet passed by [`Self::stored_offset`].
    members: VecDeque<(u64, u64)>,
    /// Whether any frame or member has begun (a `.warc.zst` dictionary may only come first).
    begun: bool,
    /// Whether [`BOMB_RATIO`] is enforced (a whole file read into a bounded buffer needs not).
    guard: bool,
}

impl<R: BufRead> Decompressed<R> {
    /// Reads `source`, decompressing it if its first bytes say it is compressed.
    pub(super) fn new(mut source: R) -> io::Result<Self> {
        let format = Format::sniff(peek(&mut source, 4)?.as_slice());
        Ok(Self {
            format,
            stage: Stage::Between(Counted::new(source)),
            zstd: Box::new(FrameDecoder::new()),
            out: 0,
            members: VecDeque::new(),
            begun: false,
            guard: true,
        })
    }

    /// The format of the stream.
    pub(super) fn format(&self) -> Format {
        self.format
    }

    /// Stops checking the expansion ratio (for a reader that bounds what it takes itself).
    pub(super) fn without_bomb_guard(mut self) -> Self {
        self.guard = false;
        self
    }

    /// The byte of the stored file where the decompressed byte `out` is, when that is exact:
    /// always for a file that is not compressed, and for the first byte of each member or frame
    /// of a compressed one (a WARC written a record per member, as crawlers write them, has every
    /// record's start there). Offsets must be asked in increasing order.
    pub(super) fn stored_offset(&mut self, out: u64) -> Option<u64> {
        if self.format == Format::Plain {
            return Some(out);
        }
        while self.members.get(1).is_some_and(|&(next, _)| next <= out) {
            self.members.pop_front();
        }
        match self.members.front() {
            Some(&(start, stored)) if start == out => Some(stored),
            _ => None,
        }
    }

    /// Bytes of the stored file taken so far.
    fn taken(&self) -> u64 {
        match &self.stage {
            Stage::Between(s) | Stage::Zstd(s) => s.taken(),
            Stage::Gzip(d) => d.get_ref().taken(),
            Stage::Stopped => 0,
        }
    }

    fn stop(&mut self, at: u64, what: impl Into<String>) -> io::Error {
        self.stage = Stage::Stopped;
        Damage {
            at,
            what: what.into(),
        }
        .into_io()
    }

    fn remember_member(&mut self, stored: u64) {
        if self.members.len() >= MAX_MEMBERS_REMEMBERED {
            self.members.pop_front();
        }
        self.members.push_back((self.out, stored));
    }

    /// Starts the next member; `Ok(false)` at the clean end of the stream.
    fn next_member(&mut self) -> io::Result<bool> {
        let Stage::Between(mut source) = std::mem::replace(&mut self.stage, Stage::Stopped) else {
            return Ok(true);
        };
        let at = source.taken();
        let start = match peek(&mut source, 4) {
            Ok(start) => start,
            Err(e) => return Err(self.stop(at, format!("cannot read: {e}"))),
        };
        if start.is_empty() {
            self.stage = Stage::Between(source);
            return Ok(false);
        }
        match self.format {
            Format::Plain => {
                self.stage = Stage::Between(source);
                Ok(true)
            }
            Format::Gzip => {
                if !start.starts_with(&[0x1F, 0x8B]) {
                    return Err(self.stop(at, "data after the end of the gzip stream is not gzip"));
                }
                self.remember_member(at);
                self.begun = true;
                self.stage = Stage::Gzip(Box::new(flate2::bufread::GzDecoder::new(source)));
                Ok(true)
            }
            Format::Zstd => self.next_frame(source, at),
        }
    }

    /// Starts the next Zstandard frame of `source`, skipping skippable frames.
    fn next_frame(&mut self, mut source: Counted<R>, at: u64) -> io::Result<bool> {
        match self.zstd.reset(&mut source) {
            Ok(()) => {
                self.remember_member(at);
                self.begun = true;
                self.stage = Stage::Zstd(source);
                Ok(true)
            }
            Err(FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::SkipFrame {
                magic_number,
                length,
            })) => {
                if magic_number == WARC_ZSTD_DICTIONARY && !self.begun {
                    return Err(self.stop(
                        at,
                        "a .warc.zst file with a Zstandard dictionary, which stemma cannot \
                         read yet; decompress it with the zstd tool and the dictionary first",
                    ));
                }
                let skipped = io::copy(&mut (&mut source).take(u64::from(length)), &mut io::sink());
                match skipped {
                    Ok(n) if n == u64::from(length) => {
                        self.stage = Stage::Between(source);
                        Ok(true)
                    }
                    Ok(_) => Err(self.stop(
                        source.taken(),
                        "the file is cut short inside compressed data",
                    )),
                    Err(e) => Err(self.stop(source.taken(), format!("cannot read: {e}"))),
                }
            }
            Err(e) => {
                let what = zstd_problem(&e);
                Err(self.stop(at, what))
            }
        }
    }
}

/// What a Zstandard error means for the user.
fn zstd_problem(e: &FrameDecoderError) -> String {
    fn truncated(e: &(dyn std::error::Error + 'static)) -> bool {
        let mut source = Some(e);
        while let Some(e) = source {
            if e.downcast_ref::<io::Error>()
                .is_some_and(|io| io.kind() == io::ErrorKind::UnexpectedEof)
            {
                return true;
            }
            source = e.source();
        }
        false
    }
    match e {
        FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::BadMagicNumber(_)) => {
            "data after the end of the Zstandard stream is not Zstandard".to_owned()
        }
        FrameDecoderError::WindowSizeTooBig { requested } => format!(
            "a Zstandard frame asks for a {} MiB window, more than the 100 MiB allowed",
            requested / (1024 * 1024)
        ),
        FrameDecoderError::DictNotProvided { .. } => {
            "a Zstandard frame needs a dictionary, which stemma cannot read yet".to_owned()
        }
        e if truncated(e) => "the file is cut short inside compressed data".to_owned(),
        e => format!("the Zstandard data is corrupt: {e}"),
    }
}

/// Up to `n` bytes at the start of `source`, not consumed (fewer at its end).
fn peek(source: &mut impl BufRead, n: usize) -> io::Result<Vec<u8>> {
    let buf = loop {
        match source.fill_buf() {
            Ok(buf) => break buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    };
    // A short first buffer (a pipe) is fine: the signatures are looked for in what is there.
    Ok(buf[..buf.len().min(n)].to_vec())
}

impl<R: BufRead> Read for Decompressed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            let n = match &mut self.stage {
                Stage::Stopped => return Ok(0),
                Stage::Between(source) if self.format == Format::Plain => match source.read(buf) {
                    Ok(n) => n,
                    Err(e) => {
                        let at = source.taken();
                        return Err(self.stop(at, format!("cannot read: {e}")));
                    }
                },
                Stage::Between(_) => {
                    if !self.next_member()? {
                        return Ok(0);
                    }
                    continue;
                }
                Stage::Gzip(decoder) => match decoder.read(buf) {
                    Ok(0) => {
                        let Stage::Gzip(decoder) =
                            std::mem::replace(&mut self.stage, Stage::Stopped)
                        else {
                            unreachable!("matched above")
                        };
                        self.stage = Stage::Between(decoder.into_inner());
                        continue;
                    }
                    Ok(n) => n,
                    Err(e) => {
                        let at = decoder.get_ref().taken();
                        let what = if e.kind() == io::ErrorKind::UnexpectedEof {
                            "the file is cut short inside compressed data".to_owned()
                        } else {
                            format!("the gzip data is corrupt: {e}")
                        };
                        return Err(self.stop(at, what));
                    }
                },
                Stage::Zstd(source) => {
                    let decoder = &mut self.zstd;
                    let mut failed = None;
                    while decoder.can_collect() < buf.len() && !decoder.is_finished() {
                        let wanted = buf.len() - decoder.can_collect();
                        if let Err(e) = decoder
                            .decode_blocks(&mut *source, BlockDecodingStrategy::UptoBytes(wanted))
                        {
                            failed = Some(zstd_problem(&e));
                            break;
                        }
                    }
                    if let Some(what) = failed {
                        let at = source.taken();
                        return Err(self.stop(at, what));
                    }
                    match decoder.read(buf) {
                        Ok(0) if decoder.is_finished() => {
                            // The checksum covers the bytes given out, so it is known only now.
                            if let Some(stated) = decoder.get_checksum_from_data() {
                                if decoder.get_calculated_checksum() != Some(stated) {
                                    let at = source.taken();
                                    return Err(self.stop(
                                        at,
                                        "the Zstandard data is corrupt (its checksum does not match)",
                                    ));
                                }
                            }
                            let Stage::Zstd(source) =
                                std::mem::replace(&mut self.stage, Stage::Stopped)
                            else {
                                unreachable!("matched above")
                            };
                            self.stage = Stage::Between(source);
                            continue;
                        }
                        Ok(n) => n,
                        Err(e) => {
                            let at = source.taken();
                            return Err(
                                self.stop(at, format!("the Zstandard data is corrupt: {e}"))
                            );
                        }
                    }
                }
            };
            self.out += n as u64;
            if self.guard
                && self.format != Format::Plain
                && self.out > BOMB_FLOOR
                && self.out / BOMB_RATIO > self.taken()
            {
                let at = self.taken();
                return Err(self.stop(
                    at,
                    format!(
                        "it expands more than {BOMB_RATIO}-fold past {} MiB: a decompression \
                         bomb, not text",
                        BOMB_FLOOR / (1024 * 1024)
                    ),
                ));
            }
            return Ok(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn read_all(bytes: &[u8]) -> (Vec<u8>, Option<Damage>) {
        let mut d = Decompressed::new(bytes).unwrap();
        let mut out = Vec::new();
        let err = d.read_to_end(&mut out).err();
        (out, err.map(|e| Damage::of(&e).cloned().expect("a damage")))
    }

    #[test]
    fn members_are_read_one_after_another_and_located() {
        let (a, b) = (gzip(b"first member\n"), gzip(b"second\n"));
        let both = [a.clone(), b].concat();
        let mut d = Decompressed::new(&both[..]).unwrap();
        assert_eq!(d.format(), Format::Gzip);
        let mut out = Vec::new();
        d.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"first member\nsecond\n");
        assert_eq!(d.stored_offset(0), Some(0));
        assert_eq!(d.stored_offset(5), None);
        assert_eq!(d.stored_offset(13), Some(a.len() as u64));
    }

    #[test]
    fn plain_data_passes_through() {
        let (out, damage) = read_all(b"just text");
        assert_eq!((out.as_slice(), damage), (&b"just text"[..], None));
    }

    #[test]
    fn truncation_and_corruption_are_placed() {
        let a = gzip(b"first member\n");
        let b = gzip(&b"second member, longer, so that it has a body to cut\n".repeat(20));
        let whole = [a.clone(), b.clone()].concat();
        let cut = &whole[..a.len() + b.len() / 2];
        let (out, damage) = read_all(cut);
        assert!(out.starts_with(b"first member\n"));
        let damage = damage.expect("damage");
        assert_eq!(damage.at, cut.len() as u64);
        assert!(damage.what.contains("cut short"), "{damage}");

        let mut garbage = whole.clone();
        garbage.extend_from_slice(b"trailing junk");
        let (_, damage) = read_all(&garbage);
        assert_eq!(damage.map(|d| d.at), Some(whole.len() as u64));
    }

    #[test]
    fn zstd_frames_and_skippable_frames() {
        let frame = |data: &[u8]| {
            ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
        };
        let mut bytes = frame(b"one ");
        // A skippable frame (not the dictionary one) between two frames.
        bytes.extend_from_slice(&0x184D_2A50u32.to_le_bytes());
        bytes.extend_from_slice(&3u32.to_le_bytes());
        bytes.extend_from_slice(b"xyz");
        let second_at = bytes.len() as u64;
        bytes.extend(frame(b"two"));
        let mut d = Decompressed::new(&bytes[..]).unwrap();
        let mut out = Vec::new();
        d.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"one two");
        assert_eq!(d.stored_offset(4), Some(second_at));

        let cut = &bytes[..bytes.len() - 3];
        let (out, damage) = read_all(cut);
        assert_eq!(out, b"one ");
        assert!(damage.is_some());
    }

    #[test]
    fn a_bomb_is_stopped_early() {
        let bomb = gzip(&vec![b'\n'; (BOMB_FLOOR + (1 << 20)) as usize]);
        let mut d = Decompressed::new(&bomb[..]).unwrap();
        let mut sink = [0u8; 1 << 16];
        let mut total = 0u64;
        let err = loop {
            match d.read(&mut sink) {
                Ok(0) => panic!("the bomb was read whole"),
                Ok(n) => total += n as u64,
                Err(e) => break e,
            }
        };
        assert!(total <= BOMB_FLOOR + (1 << 16));
        assert!(
            Damage::of(&err)
                .unwrap()
                .what
                .contains("decompression bomb")
        );
    }
}
