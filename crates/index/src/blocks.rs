//! Buckets and records packed into blocks of about one storage page.
//!
//! redb splits a full B-tree leaf in two halves, so entries written in key order (as an add writes
//! them) leave every leaf half empty: an index of small values took twice their bytes on disk. So
//! the index stores blocks rather than single buckets or records: one B-tree value, keyed by the
//! number of its first bucket (record), holds consecutive buckets (records) up to a byte budget
//! chosen so that a block fills its page: [`BUCKET_BLOCK`] bytes (one 4 KiB page) for buckets,
//! [`RECORD_BLOCK`] bytes (a 32 KiB page run) for records. A block holding more than half a page
//! is alone in its leaf, so a page is as full as its block.
//!
//! A bucket block is `(bucket − previous bucket, length, bytes)` per bucket, the first bucket's
//! difference taken from the block's key. A record block is the number of records, their lengths,
//! then the records.

use redb::{ReadableTable, StorageError, Table};

use crate::codec::{self, Damaged};

/// The bytes of a block of buckets: a 4 KiB page less the leaf's header, offsets and key.
pub(crate) const BUCKET_BLOCK: usize = 4096 - 64;
/// The bytes of a block of records: 32 KiB less the leaf's header, offsets and key.
pub(crate) const RECORD_BLOCK: usize = 32 * 1024 - 64;

/// A failure reading or writing blocks.
#[derive(Debug)]
pub(crate) enum BlockError {
    Storage(StorageError),
    Damaged,
}

impl From<StorageError> for BlockError {
    fn from(e: StorageError) -> BlockError {
        BlockError::Storage(e)
    }
}

impl From<Damaged> for BlockError {
    fn from(_: Damaged) -> BlockError {
        BlockError::Damaged
    }
}

/// Buckets with their bytes, in order.
type Buckets = Vec<(u32, Vec<u8>)>;

/// The buckets of a block, in order.
fn decode_block(key: u32, bytes: &[u8]) -> Result<Buckets, Damaged> {
    Ok(places(key, bytes)?
        .into_iter()
        .map(|(bucket, start, end)| (bucket, bytes[start..end].to_vec()))
        .collect())
}

fn encoded_size(delta: u64, length: usize) -> usize {
    let mut scratch = Vec::with_capacity(20);
    codec::put(&mut scratch, delta);
    codec::put(&mut scratch, length as u64);
    scratch.len() + length
}

/// Writes buckets (sorted) as blocks of at most [`BUCKET_BLOCK`] bytes (a bucket larger than that
/// alone).
fn write_blocks(
    table: &mut Table<'_, u32, &[u8]>,
    buckets: &[(u32, Vec<u8>)],
) -> Result<(), StorageError> {
    let mut k = 0;
    while k < buckets.len() {
        let key = buckets[k].0;
        let (mut block, mut previous) = (Vec::new(), key);
        while k < buckets.len() {
            let (bucket, data) = &buckets[k];
            let size = encoded_size(u64::from(bucket - previous), data.len());
            if !block.is_empty() && block.len() + size > BUCKET_BLOCK {
                break;
            }
            codec::put(&mut block, u64::from(bucket - previous));
            codec::put(&mut block, data.len() as u64);
            block.extend_from_slice(data);
            previous = *bucket;
            k += 1;
        }
        table.insert(key, block.as_slice())?;
    }
    Ok(())
}

/// Reads buckets of a table of blocks, in any order (fastest ascending: a block is read once for
/// the buckets it holds).
pub(crate) struct BucketReader {
    /// The block read last: its bytes, and each bucket's number and place in them.
    block: Option<(Vec<u8>, Places)>,
}

impl BucketReader {
    pub(crate) fn new() -> BucketReader {
        BucketReader { block: None }
    }

    /// The bytes of `bucket` (empty when it is not stored).
    pub(crate) fn get<'a>(
        &'a mut self,
        table: &impl ReadableTable<u32, &'static [u8]>,
        bucket: u32,
    ) -> Result<&'a [u8], BlockError> {
        let cached = self.block.as_ref().is_some_and(|(_, places)| {
            places.first().is_some_and(|first| first.0 <= bucket)
                && places.last().is_some_and(|last| bucket <= last.0)
        });
        if !cached {
            self.block = match table.range(..=bucket)?.next_back() {
                Some(entry) => {
                    let (key, value) = entry?;
                    let bytes = value.value().to_vec();
                    let places = places(key.value(), &bytes)?;
                    Some((bytes, places))
                }
                None => None,
            };
        }
        Ok(match &self.block {
            Some((bytes, places)) => match places.binary_search_by_key(&bucket, |b| b.0) {
                Ok(k) => &bytes[places[k].1..places[k].2],
                Err(_) => &[],
            },
            None => &[],
        })
    }
}

/// Each bucket of a block: its number, where its bytes start and end.
type Places = Vec<(u32, usize, usize)>;

/// Each bucket of a block with the range of its bytes.
fn places(key: u32, bytes: &[u8]) -> Result<Places, Damaged> {
    let mut out = Vec::new();
    let (mut at, mut bucket) = (0, u64::from(key));
    while at < bytes.len() {
        bucket += codec::get(bytes, &mut at).ok_or(Damaged)?;
        let length =
            usize::try_from(codec::get(bytes, &mut at).ok_or(Damaged)?).map_err(|_| Damaged)?;
        let end = at.checked_add(length).ok_or(Damaged)?;
        if end > bytes.len() {
            return Err(Damaged);
        }
        out.push((u32::try_from(bucket).map_err(|_| Damaged)?, at, end));
        at = end;
    }
    Ok(out)
}

/// Merges new data into the buckets of a table of blocks, the buckets given in ascending order:
/// each block touched is read once and rewritten once (split when it outgrows its budget).
pub(crate) struct BucketWriter {
    /// The block being rewritten: its old key (none for buckets before the first block), the
    /// first key after it (none: the end), and its buckets.
    open: Option<OpenBlock>,
}

struct OpenBlock {
    old_key: Option<u32>,
    upper: Option<u32>,
    buckets: Vec<(u32, Vec<u8>)>,
    /// The bytes of `buckets`' data.
    bytes: usize,
    /// Whether some of its buckets were written already (and the old block removed).
    written: bool,
}

impl BucketWriter {
    pub(crate) fn new() -> BucketWriter {
        BucketWriter { open: None }
    }

    /// Replaces the bytes of `bucket` (above every bucket given before) by `merge` of its stored
    /// bytes (empty when none).
    pub(crate) fn update(
        &mut self,
        table: &mut Table<'_, u32, &[u8]>,
        bucket: u32,
        merge: impl FnOnce(&[u8]) -> Result<Vec<u8>, Damaged>,
    ) -> Result<(), BlockError> {
        let covered = self
            .open
            .as_ref()
            .is_some_and(|open| open.upper.is_none_or(|upper| bucket < upper));
        if !covered {
            self.finish(table)?;
            let found = match table.range(..=bucket)?.next_back() {
                Some(entry) => {
                    let (key, value) = entry?;
                    let key = key.value();
                    Some((key, decode_block(key, value.value())?))
                }
                None => None,
            };
            let upper = match table.range(bucket.saturating_add(1)..)?.next() {
                Some(entry) => Some(entry?.0.value()),
                None => None,
            };
            let upper = if bucket == u32::MAX { None } else { upper };
            self.open = Some(match found {
                Some((key, buckets)) => OpenBlock {
                    old_key: Some(key),
                    upper,
                    bytes: buckets.iter().map(|b| b.1.len()).sum(),
                    buckets,
                    written: false,
                },
                None => OpenBlock {
                    old_key: None,
                    upper,
                    buckets: Vec::new(),
                    bytes: 0,
                    written: false,
                },
            });
        }
        let open = self.open.as_mut().expect("opened above");
        match open.buckets.binary_search_by_key(&bucket, |b| b.0) {
            Ok(k) => {
                let merged = merge(&open.buckets[k].1)?;
                open.bytes = open.bytes - open.buckets[k].1.len() + merged.len();
                open.buckets[k].1 = merged;
            }
            Err(k) => {
                let merged = merge(&[])?;
                open.bytes += merged.len();
                open.buckets.insert(k, (bucket, merged));
            }
        }
        // A long run of new buckets (a build) is written as it goes: the buckets before this one
        // are final.
        if open.bytes > 64 * BUCKET_BLOCK {
            let done = open
                .buckets
                .iter()
                .position(|b| b.0 >= bucket)
                .unwrap_or(open.buckets.len());
            if !open.written {
                if let Some(key) = open.old_key {
                    table.remove(key)?;
                }
                open.written = true;
            }
            write_blocks(table, &open.buckets[..done])?;
            open.bytes -= open.buckets[..done]
                .iter()
                .map(|b| b.1.len())
                .sum::<usize>();
            open.buckets.drain(..done);
        }
        Ok(())
    }

    /// Writes the block being rewritten.
    pub(crate) fn finish(&mut self, table: &mut Table<'_, u32, &[u8]>) -> Result<(), BlockError> {
        if let Some(open) = self.open.take() {
            if !open.written {
                if let Some(key) = open.old_key {
                    table.remove(key)?;
                }
            }
            write_blocks(table, &open.buckets)?;
        }
        Ok(())
    }
}

/// Records in blocks of at most [`RECORD_BLOCK`] bytes, keyed by their first record's number.
pub(crate) struct RecordWriter {
    first: u32,
    records: Vec<Vec<u8>>,
    bytes: usize,
}

fn encode_records(records: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(records.iter().map(Vec::len).sum::<usize>() + 16);
    codec::put(&mut out, records.len() as u64);
    for r in records {
        codec::put(&mut out, r.len() as u64);
    }
    for r in records {
        out.extend_from_slice(r);
    }
    out
}

fn decode_records(bytes: &[u8]) -> Result<Vec<&[u8]>, Damaged> {
    let mut at = 0;
    let n = usize::try_from(codec::get(bytes, &mut at).ok_or(Damaged)?).map_err(|_| Damaged)?;
    let mut lengths = Vec::with_capacity(n.min(1 << 16));
    for _ in 0..n {
        lengths.push(
            usize::try_from(codec::get(bytes, &mut at).ok_or(Damaged)?).map_err(|_| Damaged)?,
        );
    }
    let mut out = Vec::with_capacity(lengths.len());
    for length in lengths {
        let end = at.checked_add(length).ok_or(Damaged)?;
        out.push(bytes.get(at..end).ok_or(Damaged)?);
        at = end;
    }
    Ok(out)
}

impl RecordWriter {
    /// Continues the last block of the table when it has room, for records numbered from `next`.
    pub(crate) fn resume(
        table: &Table<'_, u32, &[u8]>,
        next: u32,
    ) -> Result<RecordWriter, BlockError> {
        if let Some(entry) = table.range(..next)?.next_back() {
            let (key, value) = entry?;
            let value = value.value();
            if value.len() < RECORD_BLOCK {
                let records: Vec<Vec<u8>> = decode_records(value)?
                    .into_iter()
                    .map(<[u8]>::to_vec)
                    .collect();
                if key.value() as usize + records.len() == next as usize {
                    return Ok(RecordWriter {
                        first: key.value(),
                        bytes: value.len(),
                        records,
                    });
                }
                return Err(BlockError::Damaged);
            }
        }
        Ok(RecordWriter {
            first: next,
            records: Vec::new(),
            bytes: 0,
        })
    }

    /// Appends the next record.
    pub(crate) fn push(
        &mut self,
        table: &mut Table<'_, u32, &[u8]>,
        record: Vec<u8>,
    ) -> Result<(), StorageError> {
        let size = record.len() + 4;
        if !self.records.is_empty() && self.bytes + size > RECORD_BLOCK {
            let next = self.first + self.records.len() as u32;
            self.finish(table)?;
            self.first = next;
            self.records.clear();
            self.bytes = 0;
        }
        self.bytes += size;
        self.records.push(record);
        Ok(())
    }

    /// Writes the block being filled.
    pub(crate) fn finish(&self, table: &mut Table<'_, u32, &[u8]>) -> Result<(), StorageError> {
        if !self.records.is_empty() {
            table.insert(self.first, encode_records(&self.records).as_slice())?;
        }
        Ok(())
    }
}

/// The record numbered `number` (`None` when there is none).
pub(crate) fn read_record(
    table: &impl ReadableTable<u32, &'static [u8]>,
    number: u32,
) -> Result<Option<Vec<u8>>, BlockError> {
    let Some(entry) = table.range(..=number)?.next_back() else {
        return Ok(None);
    };
    let (key, value) = entry?;
    let records = decode_records(value.value())?;
    Ok(records
        .get((number - key.value()) as usize)
        .map(|r| r.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use redb::{Database, TableDefinition};

    const T: TableDefinition<u32, &[u8]> = TableDefinition::new("t");

    #[test]
    fn buckets_merge_into_blocks_and_read_back() {
        let folder = tempfile::tempdir().unwrap();
        let db = Database::create(folder.path().join("db")).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut table = txn.open_table(T).unwrap();
            let mut writer = BucketWriter::new();
            for b in (0..20_000u32).step_by(2) {
                writer
                    .update(&mut table, b, |old| {
                        assert!(old.is_empty());
                        Ok(vec![b as u8; 1 + (b % 300) as usize])
                    })
                    .unwrap();
            }
            writer.finish(&mut table).unwrap();
            let mut writer = BucketWriter::new();
            for b in (1..20_001u32).step_by(10).chain([30_000]) {
                writer
                    .update(&mut table, b, |old| {
                        let mut v = old.to_vec();
                        v.push(7);
                        Ok(v)
                    })
                    .unwrap();
            }
            writer.finish(&mut table).unwrap();
        }
        txn.commit().unwrap();
        let txn = db.begin_read().unwrap();
        let table = txn.open_table(T).unwrap();
        let mut reader = BucketReader::new();
        for b in 0..20_010u32 {
            let got = reader.get(&table, b).unwrap().to_vec();
            let mut expected = if b % 2 == 0 && b < 20_000 {
                vec![b as u8; 1 + (b % 300) as usize]
            } else {
                vec![]
            };
            if b % 10 == 1 && b < 20_001 {
                expected.push(7);
            }
            assert_eq!(got, expected, "bucket {b}");
        }
        assert_eq!(reader.get(&table, 30_000).unwrap(), &[7]);
        for entry in table.iter().unwrap() {
            let (_, v) = entry.unwrap();
            assert!(v.value().len() <= BUCKET_BLOCK);
        }
    }

    #[test]
    fn records_fill_blocks_across_adds() {
        let folder = tempfile::tempdir().unwrap();
        let db = Database::create(folder.path().join("db")).unwrap();
        let record = |n: u32| vec![n as u8; 100 + (n as usize * 37) % 3000];
        for (from, to) in [(0u32, 5u32), (5, 40), (40, 41)] {
            let txn = db.begin_write().unwrap();
            {
                let mut table = txn.open_table(T).unwrap();
                let mut writer = RecordWriter::resume(&table, from).unwrap();
                for n in from..to {
                    writer.push(&mut table, record(n)).unwrap();
                }
                writer.finish(&mut table).unwrap();
            }
            txn.commit().unwrap();
        }
        let txn = db.begin_read().unwrap();
        let table = txn.open_table(T).unwrap();
        for n in 0..41 {
            assert_eq!(read_record(&table, n).unwrap(), Some(record(n)));
        }
        assert_eq!(read_record(&table, 41).unwrap(), None);
    }
}
