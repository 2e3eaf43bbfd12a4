//! How an archived article is stored: a small JSON header (id, metadata with provenance, feature
//! count) and the text compressed with DEFLATE, so that a check rebuilds the article exactly.

use std::io::{Read, Write};

use serde::{Deserialize, Serialize};
use stemma_graph::{Article, Provenance, Sourced, parse_timestamp};

/// The header of a stored article.
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    id: String,
    title: Option<Field>,
    publisher: Option<Field>,
    url: Option<Field>,
    /// The time as RFC 3339 cut to its precision (`Timestamp`'s `Display`), read back by
    /// `parse_timestamp`.
    published: Option<Field>,
    /// How many candidate features the article had when it was added: whether it is short.
    features: u32,
}

/// A value with its provenance.
#[derive(Debug, Serialize, Deserialize)]
struct Field {
    value: String,
    from: char,
}

fn provenance_code(from: Provenance) -> char {
    match from {
        Provenance::Metadata => 'm',
        Provenance::Page => 'p',
        Provenance::Text => 't',
    }
}

fn field(value: Option<&Sourced<String>>) -> Option<Field> {
    value.map(|v| Field {
        value: v.value.clone(),
        from: provenance_code(v.from),
    })
}

fn sourced<T>(value: T, from: char) -> Result<Sourced<T>, String> {
    match from {
        'm' => Ok(Sourced::metadata(value)),
        'p' => Ok(Sourced::page(value)),
        't' => Ok(Sourced::text(value)),
        other => Err(format!("unknown provenance {other:?}")),
    }
}

fn unfield(field: Option<Field>) -> Result<Option<Sourced<String>>, String> {
    field.map(|f| sourced(f.value, f.from)).transpose()
}

/// How the text follows the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Text {
    /// Compressed with DEFLATE: the stored records.
    Deflated,
    /// As it is: the add's temporary files, read back at once, where compressing costs more time
    /// than the bytes it saves.
    Plain,
}

/// An article as stored: header length (4 bytes, little-endian), header, compressed text.
pub(crate) fn encode(article: &Article, features: usize) -> Vec<u8> {
    encode_as(article, features, Text::Deflated)
}

/// An article and its feature count as a record whose text is `text`.
pub(crate) fn encode_as(article: &Article, features: usize, text: Text) -> Vec<u8> {
    let header = Header {
        id: article.id.clone(),
        title: field(article.title.as_ref()),
        publisher: field(article.publisher.as_ref()),
        url: field(article.url.as_ref()),
        published: article.published.as_ref().map(|p| Field {
            value: p.value.to_string(),
            from: provenance_code(p.from),
        }),
        features: u32::try_from(features).unwrap_or(u32::MAX),
    };
    let header = serde_json::to_vec(&header).expect("a header of strings serializes");
    let mut out = Vec::with_capacity(header.len() + article.text.len() / 2 + 8);
    out.extend_from_slice(
        &u32::try_from(header.len())
            .expect("a header under 4 GiB")
            .to_le_bytes(),
    );
    out.extend_from_slice(&header);
    if text == Text::Plain {
        out.extend_from_slice(article.text.as_bytes());
        return out;
    }
    let mut encoder = flate2::write::DeflateEncoder::new(out, flate2::Compression::fast());
    encoder
        .write_all(article.text.as_bytes())
        .expect("writing to memory cannot fail");
    encoder.finish().expect("writing to memory cannot fail")
}

/// A stored article and its feature count, or what is wrong with the bytes.
pub(crate) fn decode(bytes: &[u8]) -> Result<(Article, u32), String> {
    decode_as(bytes, Text::Deflated)
}

/// A record of [`encode_as`] with its text as `text`, or what is wrong with the bytes.
pub(crate) fn decode_as(bytes: &[u8], text_as: Text) -> Result<(Article, u32), String> {
    let length = bytes
        .get(..4)
        .map(|b| u32::from_le_bytes(b.try_into().expect("four bytes")) as usize)
        .ok_or("record shorter than its header length")?;
    let header = bytes
        .get(4..4 + length)
        .ok_or("record shorter than its header")?;
    let header: Header = serde_json::from_slice(header).map_err(|e| e.to_string())?;
    let body = &bytes[4 + length..];
    let text = match text_as {
        Text::Plain => String::from_utf8(body.to_vec()).map_err(|e| format!("text: {e}"))?,
        Text::Deflated => {
            let mut text = String::new();
            flate2::read::DeflateDecoder::new(body)
                .read_to_string(&mut text)
                .map_err(|e| format!("text: {e}"))?;
            text
        }
    };
    let published = match header.published {
        Some(f) => {
            let time = parse_timestamp(&f.value).map_err(|e| e.to_string())?;
            Some(sourced(time, f.from)?)
        }
        None => None,
    };
    let article = Article {
        id: header.id,
        title: unfield(header.title)?,
        publisher: unfield(header.publisher)?,
        url: unfield(header.url)?,
        published,
        text,
    };
    Ok((article, header.features))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_article_reads_back_as_it_was_stored() {
        let mut article = Article::new("wire-1", "Flood water rose.\nVillages were evacuated.");
        article.title = Some(Sourced::page("Flood".to_string()));
        article.publisher = Some(Sourced::metadata("Wire".to_string()));
        article.url = Some(Sourced::page("https://example.org/1".to_string()));
        for time in [
            "2023-05-23",
            "2023-05-23T14:05Z",
            "2023-05-23T22:33:50.746Z",
        ] {
            article.published = Some(Sourced::text(parse_timestamp(time).expect("a time")));
            let (back, features) = decode(&encode(&article, 7)).expect("readable");
            assert_eq!((back, features), (article.clone(), 7));
            let plain = encode_as(&article, 7, Text::Plain);
            let (back, features) = decode_as(&plain, Text::Plain).expect("readable");
            assert_eq!((back, features), (article.clone(), 7));
        }
    }

    #[test]
    fn damaged_records_are_errors_not_panics() {
        let bytes = encode(&Article::new("a", "Text."), 1);
        for cut in 0..bytes.len() {
            let _ = decode(&bytes[..cut]);
        }
        assert!(decode(&bytes[..3]).is_err());
        assert!(decode(&bytes[..10]).is_err());
    }
}
