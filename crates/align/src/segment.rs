//! Stand-in segmentation (replaced by the real module).
#![allow(missing_docs)]
use std::ops::Range;
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Segmentation {
    pub paragraphs: Vec<Paragraph>,
    pub sentences: Vec<Sentence>,
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub span: Range<usize>,
    pub sentences: Range<usize>,
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub span: Range<usize>,
    pub paragraph: usize,
    pub kind: SentenceKind,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SentenceKind {
    Prose,
    Line,
}
impl Segmentation {
    pub fn sentence_text<'a>(&self, text: &'a str, index: usize) -> &'a str {
        &text[self.sentences[index].span.clone()]
    }
}
pub fn segment(text: &str) -> Segmentation {
    let mut seg = Segmentation::default();
    let mut off = 0;
    for line in text.split_inclusive('\n') {
        let start = off;
        off += line.len();
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let lstart = start + (line.len() - line.trim_start().len());
        let first = seg.sentences.len();
        let p = seg.paragraphs.len();
        let mut s0 = lstart;
        let bytes = text.as_bytes();
        let lend = lstart + t.len();
        let mut i = lstart;
        while i < lend {
            if matches!(bytes[i], b'.' | b'!' | b'?')
                && i + 2 < lend
                && bytes[i + 1] == b' '
                && bytes[i + 2].is_ascii_uppercase()
            {
                seg.sentences.push(Sentence {
                    span: s0..i + 1,
                    paragraph: p,
                    kind: SentenceKind::Prose,
                });
                s0 = i + 2;
            }
            i += 1;
        }
        let kind = if t.ends_with(['.', '!', '?', '"', '”']) {
            SentenceKind::Prose
        } else {
            SentenceKind::Line
        };
        seg.sentences.push(Sentence {
            span: s0..lend,
            paragraph: p,
            kind,
        });
        seg.paragraphs.push(Paragraph {
            span: lstart..lend,
            sentences: first..seg.sentences.len(),
        });
    }
    seg
}
