//! How the index packs its many small entries into few B-tree values.
//!
//! Most candidate features, terms and lines of an archive are in one article only. A B-tree entry
//! each would cost more than the entry itself (the key, its offsets, the page's slack), so entries
//! are grouped into buckets by the high bits of their hash: one B-tree value per bucket, holding
//! its entries sorted by the remaining bits, each as the difference from the one before in a
//! variable-length integer (LEB128).
//!
//! - A **count bucket** (terms, lines) holds `(remainder, count)` entries.
//! - A **posting bucket** holds, per feature remainder, the number of archived articles with the
//!   feature and, while that number is at most the banal limit, the articles (ascending, as
//!   differences). The low bit of the first integer says whether there is more than one article.

/// Appends `value` as LEB128.
pub(crate) fn put(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Reads a LEB128 integer at `*at`, moving past it; `None` when the bytes end inside it or it
/// does not fit 64 bits.
pub(crate) fn get(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    let mut shift = 0u32;
    loop {
        let byte = *bytes.get(*at)?;
        *at += 1;
        if shift >= 64 {
            return None;
        }
        value |= u64::from(byte & 0x7F) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
        shift += 7;
    }
}

/// Bad bytes in a bucket.
#[derive(Debug)]
pub(crate) struct Damaged;

/// The entries of a count bucket, sorted by remainder.
pub(crate) fn decode_counts(bytes: &[u8]) -> Result<Vec<(u64, u32)>, Damaged> {
    let mut out = Vec::new();
    let (mut at, mut key) = (0, 0u64);
    while at < bytes.len() {
        key = key
            .checked_add(get(bytes, &mut at).ok_or(Damaged)?)
            .ok_or(Damaged)?;
        let count = u32::try_from(get(bytes, &mut at).ok_or(Damaged)?).map_err(|_| Damaged)?;
        out.push((key, count));
    }
    Ok(out)
}

/// A count bucket of sorted, distinct entries.
pub(crate) fn encode_counts(entries: &[(u64, u32)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.len() * 4);
    let mut previous = 0;
    for &(key, count) in entries {
        put(&mut out, key - previous);
        put(&mut out, u64::from(count));
        previous = key;
    }
    out
}

/// Two sorted count lists added up, sorted.
pub(crate) fn merge_counts(old: &[(u64, u32)], new: &[(u64, u32)]) -> Vec<(u64, u32)> {
    let mut out = Vec::with_capacity(old.len() + new.len());
    let (mut i, mut j) = (0, 0);
    while i < old.len() && j < new.len() {
        match old[i].0.cmp(&new[j].0) {
            std::cmp::Ordering::Less => {
                out.push(old[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(new[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push((old[i].0, old[i].1.saturating_add(new[j].1)));
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&old[i..]);
    out.extend_from_slice(&new[j..]);
    out
}

/// Reads the postings of a bucket one feature at a time.
pub(crate) struct Postings<'a> {
    bytes: &'a [u8],
    at: usize,
    key: u64,
    banal: u64,
}

impl<'a> Postings<'a> {
    pub(crate) fn new(bytes: &'a [u8], banal: u64) -> Postings<'a> {
        Postings {
            bytes,
            at: 0,
            key: 0,
            banal,
        }
    }

    /// The next feature, its articles appended to `articles` (cleared first).
    pub(crate) fn next_into(
        &mut self,
        articles: &mut Vec<u32>,
    ) -> Option<Result<(u64, u32), Damaged>> {
        if self.at >= self.bytes.len() {
            return None;
        }
        Some(self.read(articles))
    }

    fn read(&mut self, articles: &mut Vec<u32>) -> Result<(u64, u32), Damaged> {
        articles.clear();
        let head = get(self.bytes, &mut self.at).ok_or(Damaged)?;
        self.key = self.key.checked_add(head >> 1).ok_or(Damaged)?;
        let count = if head & 1 == 1 {
            get(self.bytes, &mut self.at)
                .ok_or(Damaged)?
                .checked_add(2)
                .ok_or(Damaged)?
        } else {
            1
        };
        let count = u32::try_from(count).map_err(|_| Damaged)?;
        if u64::from(count) <= self.banal {
            let mut article = 0u64;
            for k in 0..count {
                let step = get(self.bytes, &mut self.at).ok_or(Damaged)?;
                article = if k == 0 { step } else { article + step };
                articles.push(u32::try_from(article).map_err(|_| Damaged)?);
            }
        }
        Ok((self.key, count))
    }
}

/// Writes a posting bucket, one feature at a time in ascending order.
pub(crate) struct PostingWriter {
    pub(crate) out: Vec<u8>,
    previous: u64,
    banal: u64,
}

impl PostingWriter {
    pub(crate) fn new(banal: u64) -> PostingWriter {
        PostingWriter {
            out: Vec::new(),
            previous: 0,
            banal,
        }
    }

    /// A feature with `count` articles; `articles` (ascending) are written while `count` is at
    /// most the banal limit.
    pub(crate) fn push(&mut self, key: u64, count: u32, articles: &[u32]) {
        let delta = key - self.previous;
        self.previous = key;
        if count == 1 {
            put(&mut self.out, delta << 1);
        } else {
            put(&mut self.out, (delta << 1) | 1);
            put(&mut self.out, u64::from(count) - 2);
        }
        if u64::from(count) <= self.banal {
            debug_assert_eq!(articles.len(), count as usize);
            let mut before = 0;
            for (k, &article) in articles.iter().enumerate() {
                put(
                    &mut self.out,
                    u64::from(if k == 0 { article } else { article - before }),
                );
                before = article;
            }
        }
    }
}

/// Merges a stored posting bucket with new `(key, article)` entries (sorted, distinct, every new
/// article above every stored one), giving the new bucket.
pub(crate) fn merge_postings(
    old: &[u8],
    new: &[(u64, u32)],
    banal: u64,
) -> Result<(Vec<u8>, MergeStats), Damaged> {
    let mut writer = PostingWriter::new(banal);
    let mut stats = MergeStats::default();
    let mut reader = Postings::new(old, banal);
    let mut articles = Vec::new();
    let mut pending = reader.next_into(&mut articles).transpose()?;
    let mut j = 0;
    loop {
        let next_new = new.get(j).map(|e| e.0);
        match (pending, next_new) {
            (None, None) => break,
            (Some((key, count)), next) if next.is_none_or(|n| key < n) => {
                writer.push(key, count, &articles);
                pending = reader.next_into(&mut articles).transpose()?;
            }
            (pending_old, Some(key)) => {
                let run = new[j..].iter().take_while(|e| e.0 == key).count();
                let added = &new[j..j + run];
                j += run;
                let mut count = run as u32;
                let mut list: Vec<u32> = Vec::new();
                if let Some((old_key, old_count)) = pending_old {
                    if old_key == key {
                        count += old_count;
                        list = std::mem::take(&mut articles);
                        pending = reader.next_into(&mut articles).transpose()?;
                    }
                }
                let was = count - run as u32;
                if u64::from(count) <= banal {
                    list.extend(added.iter().map(|e| e.1));
                    stats.posted += i64::from(count);
                } else {
                    list.clear();
                    stats.banal += 1;
                }
                if u64::from(was) <= banal {
                    stats.posted -= i64::from(was);
                } else {
                    stats.banal -= 1;
                }
                if was == 0 {
                    stats.new_features += 1;
                }
                writer.push(key, count, &list);
            }
            (Some(_), None) => unreachable!("handled by the guard above"),
        }
    }
    Ok((writer.out, stats))
}

/// What a merge of postings did.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct MergeStats {
    /// Features not in the bucket before.
    pub new_features: u64,
    /// Postings (feature, article) kept, more than before.
    pub posted: i64,
    /// Banal features, more than before.
    pub banal: i64,
}

impl MergeStats {
    pub(crate) fn add(&mut self, other: MergeStats) {
        self.new_features += other.new_features;
        self.posted += other.posted;
        self.banal += other.banal;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One feature of a posting bucket.
    #[derive(Debug, Clone, PartialEq, Eq)]
    struct Posting {
        /// The feature's remainder in its bucket.
        key: u64,
        /// Archived articles with the feature.
        count: u32,
        /// Those articles, ascending; empty once `count` is past the banal limit.
        articles: Vec<u32>,
    }

    #[test]
    fn integers_read_back() {
        let mut out = Vec::new();
        let values = [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX];
        for v in values {
            put(&mut out, v);
        }
        let mut at = 0;
        for v in values {
            assert_eq!(get(&out, &mut at), Some(v));
        }
        assert_eq!(get(&out, &mut at), None);
        assert_eq!(get(&[0x80], &mut 0), None);
    }

    #[test]
    fn counts_merge_and_read_back() {
        let old = vec![(3, 1), (10, 2), (1 << 40, 7)];
        let bytes = encode_counts(&old);
        assert_eq!(decode_counts(&bytes).unwrap(), old);
        let merged = merge_counts(&old, &[(1, 1), (10, 1)]);
        assert_eq!(merged, vec![(1, 1), (3, 1), (10, 3), (1 << 40, 7)]);
    }

    fn read_all(bytes: &[u8], banal: u64) -> Vec<Posting> {
        let mut reader = Postings::new(bytes, banal);
        let mut articles = Vec::new();
        let mut out = Vec::new();
        while let Some(entry) = reader.next_into(&mut articles) {
            let (key, count) = entry.unwrap();
            out.push(Posting {
                key,
                count,
                articles: articles.clone(),
            });
        }
        out
    }

    #[test]
    fn postings_merge_and_turn_banal() {
        let (bytes, stats) = merge_postings(&[], &[(5, 0), (5, 1), (9, 1)], 3).unwrap();
        assert_eq!(stats.new_features, 2);
        let (bytes, stats) =
            merge_postings(&bytes, &[(2, 4), (5, 4), (5, 6), (9, 5), (12, 6)], 3).unwrap();
        assert_eq!((stats.new_features, stats.banal, stats.posted), (2, 1, 1));
        let read = read_all(&bytes, 3);
        let expected = vec![
            Posting {
                key: 2,
                count: 1,
                articles: vec![4],
            },
            Posting {
                key: 5,
                count: 4,
                articles: vec![],
            },
            Posting {
                key: 9,
                count: 2,
                articles: vec![1, 5],
            },
            Posting {
                key: 12,
                count: 1,
                articles: vec![6],
            },
        ];
        assert_eq!(read, expected);
        // A banal feature stays banal, counted.
        let (bytes, _) = merge_postings(&bytes, &[(5, 7)], 3).unwrap();
        assert_eq!(read_all(&bytes, 3)[1].count, 5);
    }

    #[test]
    fn damaged_buckets_are_errors_not_panics() {
        let (bytes, _) = merge_postings(&[], &[(5, 100), (5, 300), (9, 1)], 64).unwrap();
        for cut in 0..bytes.len() {
            let mut reader = Postings::new(&bytes[..cut], 64);
            let mut articles = Vec::new();
            while let Some(Ok(_)) = reader.next_into(&mut articles) {}
        }
        assert!(decode_counts(&[0x80]).is_err());
    }
}
