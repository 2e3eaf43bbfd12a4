//! Paragraphs and sentences with byte spans; the rules are documented on [`segment`].

use std::ops::Range;

/// Widest line, in characters, of a block that may still be taken for hard-wrapped prose.
///
/// Text wrapped by hand or by a mail or terminal tool is wrapped at 60 to 80 columns, rarely more
/// than 132; a web page saved as text puts whole paragraphs (often hundreds of characters) on one
/// line. Blocks with a longer line are always read as one paragraph per line.
pub const MAX_WRAP_WIDTH: usize = 160;

/// Shortest line, in characters, that a one-paragraph-per-line block may join to a following line
/// that starts lowercase; shorter lines are menu entries and the like.
const MIN_LOOSE_JOIN_CHARS: usize = 20;

/// Shortest line, in characters, that counts as a "full" line of hard-wrapped prose.
const MIN_FULL_CHARS: usize = 16;

/// Longest word, in bytes, that is looked at when deciding whether a full stop ends an abbreviation.
const MAX_ABBREVIATION_BYTES: usize = 48;

/// Result of segmenting one text.
///
/// Produced by [`segment`]; all spans are byte ranges into the text that was segmented, which must
/// be passed again to the accessor methods.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Segmentation {
    /// The paragraphs, in text order.
    pub paragraphs: Vec<Paragraph>,
    /// All sentences of all paragraphs, in text order.
    pub sentences: Vec<Sentence>,
    /// How many over-long sentences were cut into windows of at most [`MAX_SENTENCE_WORDS`] words
    /// and [`MAX_SENTENCE_BYTES`] bytes (text without sentence punctuation, or in a script whose
    /// punctuation is not known).
    pub long_sentences_cut: usize,
    /// Where reading stopped because the text has [`MAX_SENTENCES`] sentences (a byte offset): the
    /// rest is not segmented, so not compared.
    pub unread_from: Option<usize>,
}

/// Words in a sentence beyond which it is cut into windows: the work of comparing two sentences
/// grows with the product of their lengths, and no news sentence is this long.
pub const MAX_SENTENCE_WORDS: usize = 150;

/// Bytes in a sentence beyond which it is cut into windows (for scripts written without spaces).
pub const MAX_SENTENCE_BYTES: usize = 2048;

/// Sentences read from one text; the rest of a longer text is left unread. A long news feature has a
/// few hundred; the limit bounds the work of aligning two pathological inputs.
pub const MAX_SENTENCES: usize = 5000;

/// One paragraph: a run of lines read as one unit of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Byte span in the original text, trimmed of surrounding whitespace.
    pub span: Range<usize>,
    /// Indices into [`Segmentation::sentences`] of the paragraph's sentences (never empty).
    pub sentences: Range<usize>,
}

/// One sentence, or one unpunctuated line such as a headline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Byte span in the original text, trimmed of surrounding whitespace. It may contain line
    /// breaks when the paragraph is hard-wrapped prose.
    pub span: Range<usize>,
    /// Index into [`Segmentation::paragraphs`] of the paragraph holding the sentence.
    pub paragraph: usize,
    /// Whether this is running prose or a stand-alone line.
    pub kind: SentenceKind,
}

/// What kind of text a sentence is, so later stages can weigh page furniture differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SentenceKind {
    /// Ends with terminal punctuation or is part of running prose.
    Prose,
    /// A line with no final punctuation: headline, list item, menu entry, byline.
    Line,
}

impl Segmentation {
    /// The text of sentence `index`, or `""` when there is no such sentence or `text` is not the
    /// text that was segmented (so that a mix-up can never panic).
    pub fn sentence_text<'a>(&self, text: &'a str, index: usize) -> &'a str {
        self.sentences
            .get(index)
            .and_then(|s| text.get(s.span.clone()))
            .unwrap_or("")
    }

    /// The text of paragraph `index`, or `""` when there is no such paragraph or `text` is not the
    /// text that was segmented.
    pub fn paragraph_text<'a>(&self, text: &'a str, index: usize) -> &'a str {
        self.paragraphs
            .get(index)
            .and_then(|p| text.get(p.span.clone()))
            .unwrap_or("")
    }

    /// The sentences of paragraph `index` (empty when there is no such paragraph), for stages that
    /// work paragraph by paragraph.
    pub fn paragraph_sentences(&self, index: usize) -> &[Sentence] {
        self.paragraphs
            .get(index)
            .and_then(|p| self.sentences.get(p.sentences.clone()))
            .unwrap_or(&[])
    }
}

/// Splits `text` into paragraphs and sentences. Empty or whitespace-only text gives an empty
/// [`Segmentation`].
///
/// Sentence and paragraph segmentation of news text.
///
/// [`segment`] cuts a text, as saved from a web page (menus, share bars, bylines and teasers
/// included) or as plain text hard-wrapped at a fixed width, into paragraphs and sentences. Every
/// unit is a byte span into the original text, so later stages can report positions and diffs
/// against the text the user gave, not against a normalised copy.
///
/// # Guarantees
///
/// For every input (any `&str`, including CRLF or lone `\r` line endings, control characters and
/// arbitrary Unicode) the result satisfies:
/// - every span is non-empty, in bounds, on char boundaries and trimmed: it neither starts nor ends
///   with a character for which [`char::is_whitespace`] is true;
/// - sentences are in text order and do not overlap; so are paragraphs;
/// - every non-whitespace character of the text lies in exactly one sentence span;
/// - every paragraph holds at least one sentence, its `sentences` ranges follow each other without
///   gaps, and its span runs from its first sentence's start to its last sentence's end.
///
/// The work is linear in the length of the text and allocates per line and per sentence, never per
/// character; the function never panics.
///
/// # Heuristics
///
/// **Lines to paragraphs.** Lines end at `\n`, `\r\n`, lone `\r`, vertical tab, form feed, NEL and
/// U+2028. Blank lines (only whitespace) and U+2029 always end a paragraph. Inside a block of
/// non-blank lines the block is classified:
/// - *hard-wrapped prose* when its widest line is at most [`MAX_WRAP_WIDTH`] characters, at least
///   half of its non-final lines are "full" (at least 3/5 of the widest line) and at least half of
///   the lines that do not end a sentence show a soft-wrap cue (the next line starts lowercase, or the
///   line ends with a comma, a hyphen or a word such as "the", "of", "where" that cannot end a
///   sentence). Lines are then joined, except before a list item, after a short line that ends the
///   paragraph, after a Title Case heading, and before an indented first line of a new paragraph;
/// - otherwise *one paragraph per line*, which is how web pages are usually saved: a line is only
///   joined to the next when it is at least 20 characters long, is not in Title Case, does not end
///   a sentence, and either the next line starts lowercase or this one ends with a comma or a
///   function word (a paragraph broken by the page). A headline therefore never glues onto the
///   paragraph below it.
///
/// **Paragraphs to sentences.** A sentence ends after a run of `.`, `!`, `?`, `…` (or the CJK `。`,
/// `！`, `？`), followed by optional closing quotes and brackets, when whitespace and then an
/// uppercase letter, a digit, an uncased letter or an opening quote follows. It never ends before a
/// lowercase word or continuing punctuation. A single `.` is also checked against the word before
/// it:
/// - titles that always precede a name (`Mr.`, `Dr.`, `Gov.`, `Sen.`, `Gen.`, …) and `e.g.`, `i.e.`
///   never end a sentence; `No.`, `Vol.`, `p.`, `Fig.` … do not when a number follows;
/// - dotted abbreviations (`U.S.`, `U.K.`, `a.m.`, `Ph.D.`), month and weekday abbreviations, company
///   and address abbreviations (`Inc.`, `Co.`, `St.`, `Jr.`), `vs.`, `et al.` and initials end a
///   sentence only when the next word is a common sentence starter (`The`, `He`, `It`, `But`, …, see
///   [`is_sentence_starter`]) or an opening quote. A single letter is an initial when another initial
///   follows (`J. K. Rowling`) or a capitalised word precedes it (`John F. Kennedy`); after a
///   lowercase word it is a name such as `vitamin C.` or `event A.` and ends the sentence. `etc.` is
///   followed by a lowercase word when it is mid-sentence, so it is treated as an ordinary word;
/// - a closing quote or bracket after the full stop (`homes.” The`) marks a real sentence end;
/// - a number, letter or Roman numeral that opens a paragraph (`1. Break the problem`) numbers a list
///   item and does not end a sentence.
///
/// A citation mark right after the final punctuation (`paper.[4] In`) stays with its sentence.
/// An ellipsis ends a sentence when an uppercase word follows (`Wait... What`) but not when a
/// lowercase one does (`a small... piece`); a free-standing ` … ` (an elision inside a quote) ends
/// one only before a sentence starter. Numbers (`1,146`, `3.5`, `23.05.2023`), URLs and `U.K.'s`
/// never split because no whitespace follows their dots.
///
/// Each sentence is [`SentenceKind::Prose`] when it ends with `.`, `!`, `?`, `…`, `,` or `;` (before
/// any closing quotes), or with `:` after at least three words, or when its paragraph has several
/// sentences or several lines; a paragraph that is a single unpunctuated line is a
/// [`SentenceKind::Line`]: a headline, menu entry, list item, byline or label such as `Share:`.
///
/// # Example
///
/// ```
/// use stemma_align::{segment, SentenceKind};
///
/// let text = "Gov. Gladkov said it was not safe. Residents left.";
/// let seg = segment(text);
/// assert_eq!(seg.sentences.len(), 2);
/// assert_eq!(seg.sentence_text(text, 0), "Gov. Gladkov said it was not safe.");
/// assert_eq!(seg.sentence_text(text, 1), "Residents left.");
/// assert_eq!(seg.sentences[0].kind, SentenceKind::Prose);
///
/// // A headline stays apart from the paragraph below it.
/// let page = "Russia Declares Victory\nFighting entered a second day on Tuesday.";
/// let seg = segment(page);
/// assert_eq!(seg.paragraphs.len(), 2);
/// assert_eq!(seg.sentences[0].kind, SentenceKind::Line);
/// ```
pub fn segment(text: &str) -> Segmentation {
    let mut segmenter = Segmenter {
        text,
        out: Segmentation::default(),
        block: Vec::new(),
        groups: Vec::new(),
        spans: Vec::new(),
    };
    let bytes = text.as_bytes();
    let mut line_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Skip bytes that cannot start a line break cheaply.
        i += bytes
            .get(i..)
            .unwrap_or(&[])
            .iter()
            .position(|&b| LINE_BREAK_LEAD[usize::from(b)])
            .unwrap_or(bytes.len() - i);
        match line_break_at(bytes, i) {
            None => i += 1,
            Some((len, ends_paragraph)) => {
                segmenter.add_line(line_start..i);
                if ends_paragraph {
                    segmenter.flush_block();
                }
                i += len;
                line_start = i;
                if segmenter.out.sentences.len() >= MAX_SENTENCES {
                    break;
                }
            }
        }
    }
    if segmenter.out.sentences.len() < MAX_SENTENCES {
        segmenter.add_line(line_start..bytes.len());
    }
    segmenter.flush_block();
    segmenter.out.cap_sentences(text);
    // A segmentation lives as long as its document, and a corpus holds all of them at once.
    segmenter.out.sentences.shrink_to_fit();
    segmenter.out.paragraphs.shrink_to_fit();
    segmenter.out
}

impl Segmentation {
    /// Drops the sentences beyond [`MAX_SENTENCES`] (and paragraphs left empty), noting where
    /// reading stopped.
    fn cap_sentences(&mut self, text: &str) {
        let Some(first_unread) = self.sentences.get(MAX_SENTENCES) else {
            // Exactly at the limit, reading stopped before whatever text is left.
            if self.sentences.len() == MAX_SENTENCES {
                let read = self.sentences[MAX_SENTENCES - 1].span.end;
                if !text.get(read..).unwrap_or("").trim().is_empty() {
                    self.unread_from = Some(read);
                }
            }
            return;
        };
        self.unread_from = Some(first_unread.span.start);
        self.sentences.truncate(MAX_SENTENCES);
        self.paragraphs.retain_mut(|p| {
            p.sentences.end = p.sentences.end.min(MAX_SENTENCES);
            p.sentences.start < p.sentences.end
        });
        if let Some(last) = self.paragraphs.last_mut() {
            let end = self.sentences[MAX_SENTENCES - 1].span.end;
            last.span.end = last.span.end.min(end);
        }
    }
}

impl Segmentation {
    /// What the limits of segmentation left out of a text, one message each for a report (empty
    /// when no limit was reached): sentences cut into windows, text past the sentence limit.
    ///
    /// ```
    /// let text = "word ".repeat(400);
    /// let said = stemma_align::segment(&text).limits_reached();
    /// assert_eq!(said, ["1 sentence longer than 150 words or 2048 bytes cut into windows (no sentence punctuation found)"]);
    /// ```
    pub fn limits_reached(&self) -> Vec<String> {
        let mut said = Vec::new();
        let cut = self.long_sentences_cut;
        if cut > 0 {
            said.push(format!(
                "{cut} sentence{} longer than {MAX_SENTENCE_WORDS} words or {MAX_SENTENCE_BYTES} \
                 bytes cut into windows (no sentence punctuation found)",
                if cut == 1 { "" } else { "s" }
            ));
        }
        if let Some(offset) = self.unread_from {
            said.push(format!(
                "only the first {MAX_SENTENCES} sentences are compared; the text from byte {offset} \
                 on is not"
            ));
        }
        said
    }
}

/// Cuts `span` (a sentence) into windows of at most [`MAX_SENTENCE_WORDS`] words and
/// [`MAX_SENTENCE_BYTES`] bytes, at white space where there is some, pushing them to `out`. Returns
/// whether it was cut.
fn cut_long_sentence(text: &str, span: Range<usize>, out: &mut Vec<Range<usize>>) -> bool {
    let mut start = span.start;
    let mut cut = false;
    loop {
        let rest = text.get(start..span.end).unwrap_or("");
        let Some(len) = window_len(rest) else {
            out.push(start..span.end);
            return cut;
        };
        cut = true;
        let window = rest[..len].trim_end();
        out.push(start..start + window.len());
        let after = &rest[len..];
        start = span.end - after.trim_start().len();
        if start >= span.end {
            return cut;
        }
    }
}

/// Characters of scripts written without spaces between words (Han, kana, Hangul syllables), each a
/// word for the length of a sentence.
fn is_word_by_itself(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}')
}

/// The byte length of the first window of `rest` when it is too long to be one sentence.
fn window_len(rest: &str) -> Option<usize> {
    if rest.len() <= MAX_SENTENCE_BYTES
        && rest.split_whitespace().nth(MAX_SENTENCE_WORDS).is_none()
        && rest
            .chars()
            .filter(|&c| is_word_by_itself(c))
            .nth(MAX_SENTENCE_WORDS / 2)
            .is_none()
    {
        return None;
    }
    let mut words = 0;
    let mut in_word = false;
    let mut last_space = None;
    for (k, c) in rest.char_indices() {
        if k + c.len_utf8() > MAX_SENTENCE_BYTES {
            return Some(last_space.filter(|&s| s > 0).unwrap_or(k.max(1)));
        }
        if c.is_whitespace() {
            if in_word {
                words += 1;
                in_word = false;
                if words == MAX_SENTENCE_WORDS {
                    return Some(k);
                }
            }
            last_space = Some(k);
        } else if is_word_by_itself(c) {
            // Scripts written without spaces: each character is a token of its own.
            words += 1 + usize::from(in_word);
            in_word = false;
            if words >= MAX_SENTENCE_WORDS {
                return Some(k + c.len_utf8());
            }
        } else {
            in_word = true;
        }
    }
    None
}

/// Whether `word` (letters only, as it appears in the text) commonly starts an English sentence.
///
/// Used to settle a full stop after an abbreviation or initial: "in the U.S. The president said"
/// splits, "in the U.S. Army" does not. Matches the listed capitalisation or all capitals.
pub fn is_sentence_starter(word: &str) -> bool {
    if SENTENCE_STARTERS.contains(&word) {
        return true;
    }
    word.len() >= 2
        && word.bytes().all(|b| b.is_ascii_uppercase())
        && SENTENCE_STARTERS
            .iter()
            .any(|s| s.eq_ignore_ascii_case(word))
}

/// Capitalised words that often begin a sentence in news prose and rarely follow an abbreviation
/// inside one.
const SENTENCE_STARTERS: &[&str] = &[
    "A",
    "About",
    "According",
    "After",
    "Again",
    "All",
    "Also",
    "Although",
    "Among",
    "An",
    "And",
    "Another",
    "Any",
    "Around",
    "As",
    "At",
    "Because",
    "Before",
    "Both",
    "But",
    "By",
    "Despite",
    "During",
    "Each",
    "Earlier",
    "Even",
    "Every",
    "Few",
    "Following",
    "For",
    "From",
    "Furthermore",
    "He",
    "Her",
    "Here",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "Indeed",
    "Instead",
    "It",
    "Its",
    "Last",
    "Later",
    "Many",
    "Meanwhile",
    "Moreover",
    "More",
    "Most",
    "My",
    "Neither",
    "Nevertheless",
    "Next",
    "Nor",
    "Now",
    "On",
    "One",
    "Only",
    "Or",
    "Other",
    "Others",
    "Our",
    "Several",
    "She",
    "Since",
    "So",
    "Some",
    "Still",
    "Such",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "Though",
    "Thus",
    "To",
    "Today",
    "Two",
    "Until",
    "We",
    "What",
    "When",
    "Where",
    "Whether",
    "Which",
    "While",
    "Who",
    "Why",
    "With",
    "Without",
    "Yesterday",
    "Yet",
    "You",
    "Your",
];

/// Titles that stand before a name and never end a sentence.
const TITLES: &[&str] = &[
    "Adm", "Amb", "Atty", "Brig", "Capt", "Cdr", "Cmdr", "Col", "Cpl", "Cpt", "Det", "Dr", "Fr",
    "Gen", "Gens", "Gov", "Govs", "Hon", "Insp", "Lieut", "Lt", "Maj", "Messrs", "Mlle", "Mme",
    "Mmes", "Mr", "Mrs", "Ms", "Msgr", "Mx", "Pres", "Prof", "Pvt", "Rep", "Reps", "Rev", "Rt",
    "Sen", "Sens", "Sgt", "Supt",
];

/// Abbreviations that stand before a number ("No. 10", "p. 5") and do not end a sentence there.
const NUMBER_ABBREVIATIONS: &[&str] = &[
    "Art", "Ch", "Ext", "Fig", "Figs", "No", "Nos", "Nr", "Op", "Para", "Ref", "Sec", "Tel", "Vol",
    "Vols", "ch", "fig", "no", "nos", "nr", "p", "para", "pp", "ref", "sec", "tel", "vol",
];

/// Abbreviations that may end a sentence as well as continue one; they end one only before a
/// sentence starter.
const AMBIGUOUS_ABBREVIATIONS: &[&str] = &[
    "Apr", "Assn", "Aug", "Ave", "Blvd", "Bros", "Co", "Corp", "Cos", "Dec", "Dept", "Est", "Feb",
    "Fri", "Ft", "Inc", "Jan", "Jr", "Jul", "Jun", "Ltd", "Mar", "Mon", "Mt", "Nov", "Oct", "Plc",
    "Pty", "Rd", "Sat", "Sep", "Sept", "Sq", "Sr", "St", "Ste", "Sun", "Thu", "Thur", "Thurs",
    "Tue", "Tues", "Univ", "Vs", "Wed", "al", "approx", "est", "vs",
];

/// Abbreviations that never end a sentence.
const NEVER_FINAL: &[&str] = &["cf", "e.g", "i.e", "viz", "ca", "eg", "ie"];

/// Whether `word` is in `list`, exactly or in all capitals (`GOV.` as well as `Gov.`).
fn in_list(list: &[&str], word: &str) -> bool {
    list.contains(&word)
        || (word.len() >= 2
            && word.bytes().all(|b| b.is_ascii_uppercase())
            && list.iter().any(|s| s.eq_ignore_ascii_case(word)))
}

/// A non-blank line of the text with the features the paragraph heuristics use.
#[derive(Debug, Clone, Copy)]
struct Line {
    /// Byte offset of the first non-whitespace character.
    start: usize,
    /// Byte offset just past the last non-whitespace character.
    end: usize,
    /// Width of the leading whitespace in columns (a tab counts 4).
    indent: usize,
    /// Number of characters between `start` and `end`.
    chars: usize,
    /// Ends with sentence-final punctuation (before closing quotes and brackets).
    terminal: bool,
    /// Starts (after opening quotes and brackets) with a lowercase letter.
    lower_start: bool,
    /// Starts with a list marker.
    bullet: bool,
    /// Ends with a comma, a word-wrap hyphen or a function word, so it cannot end a sentence.
    connector_end: bool,
}

/// Segmentation state: the output so far and buffers reused from block to block.
struct Segmenter<'t> {
    text: &'t str,
    out: Segmentation,
    /// The current block of consecutive non-blank lines.
    block: Vec<Line>,
    /// Paragraphs of the current block, as ranges of indices into `block`.
    groups: Vec<Range<usize>>,
    /// Sentence spans of the current paragraph.
    spans: Vec<Range<usize>>,
}

impl Segmenter<'_> {
    /// Adds the raw line `range` (without its line break) to the current block, or ends the block
    /// when the line is blank.
    fn add_line(&mut self, range: Range<usize>) {
        let raw = self.text.get(range.clone()).unwrap_or("");
        let rest = raw.trim_start();
        if rest.is_empty() {
            self.flush_block();
            return;
        }
        let lead = raw.len() - rest.len();
        let content = rest.trim_end();
        let start = range.start + lead;
        let indent = raw
            .get(..lead)
            .unwrap_or("")
            .chars()
            .map(|c| if c == '\t' { 4 } else { 1 })
            .sum();
        self.block.push(Line {
            start,
            end: start + content.len(),
            indent,
            chars: char_count(content),
            terminal: ends_sentence(content),
            lower_start: starts_lowercase(content),
            bullet: is_bullet(content),
            connector_end: ends_with_connector(content),
        });
    }

    /// Turns the current block into paragraphs and sentences and empties it.
    fn flush_block(&mut self) {
        if self.block.is_empty() {
            return;
        }
        let mut groups = std::mem::take(&mut self.groups);
        layout_block(self.text, &self.block, &mut groups);
        for group in &groups {
            let first = self.block.get(group.start);
            let last = group.end.checked_sub(1).and_then(|i| self.block.get(i));
            if let (Some(first), Some(last)) = (first, last) {
                self.add_paragraph(first.start..last.end, group.len() > 1);
            }
        }
        self.groups = groups;
        self.block.clear();
    }

    /// Splits the paragraph `span` into sentences and records both.
    fn add_paragraph(&mut self, span: Range<usize>, multi_line: bool) {
        split_sentences(self.text, span.clone(), &mut self.spans);
        if self
            .spans
            .iter()
            .any(|s| s.len() > MAX_SENTENCE_BYTES.min(MAX_SENTENCE_WORDS * 2))
        {
            let spans = std::mem::take(&mut self.spans);
            for s in spans {
                if cut_long_sentence(self.text, s, &mut self.spans) {
                    self.out.long_sentences_cut += 1;
                }
            }
        }
        let paragraph = self.out.paragraphs.len();
        let first = self.out.sentences.len();
        let running = multi_line || self.spans.len() > 1;
        for s in &self.spans {
            let final_punct = self.text.get(s.clone()).is_some_and(ends_with_final_punct);
            self.out.sentences.push(Sentence {
                span: s.clone(),
                paragraph,
                kind: if running || final_punct {
                    SentenceKind::Prose
                } else {
                    SentenceKind::Line
                },
            });
        }
        self.out.paragraphs.push(Paragraph {
            span,
            sentences: first..self.out.sentences.len(),
        });
    }
}

/// Builds a table of the bytes in `lead` for fast scanning.
const fn byte_table(lead: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut k = 0;
    while k < lead.len() {
        table[lead[k] as usize] = true;
        k += 1;
    }
    table
}

/// Bytes that may start a line break: `\n`, `\r`, VT, FF and the lead bytes of NEL, U+2028, U+2029.
static LINE_BREAK_LEAD: [bool; 256] = byte_table(b"\n\r\x0B\x0C\xC2\xE2");

/// Bytes that may start a terminal character (see [`is_terminal`]).
static TERMINAL_LEAD: [bool; 256] = byte_table(b".!?\xCD\xD6\xD8\xDB\xE0\xE1\xE2\xE3\xEF");

/// The length of the line break starting at byte `i`, and whether it also ends the paragraph
/// (U+2029 PARAGRAPH SEPARATOR); `None` when no line break starts there.
fn line_break_at(bytes: &[u8], i: usize) -> Option<(usize, bool)> {
    match *bytes.get(i)? {
        b'\n' | 0x0B | 0x0C => Some((1, false)),
        b'\r' => Some((
            if bytes.get(i + 1) == Some(&b'\n') {
                2
            } else {
                1
            },
            false,
        )),
        // U+0085 NEXT LINE.
        0xC2 if bytes.get(i + 1) == Some(&0x85) => Some((2, false)),
        // U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR.
        0xE2 if bytes.get(i + 1) == Some(&0x80) => match bytes.get(i + 2) {
            Some(0xA8) => Some((3, false)),
            Some(0xA9) => Some((3, true)),
            _ => None,
        },
        _ => None,
    }
}

/// Number of characters in `s`, counted without decoding.
fn char_count(s: &str) -> usize {
    s.bytes().filter(|b| (b & 0xC0) != 0x80).count()
}

/// The character starting at byte `pos`, if `pos` is a char boundary inside `text`.
fn char_at(text: &str, pos: usize) -> Option<char> {
    text.get(pos..).and_then(|s| s.chars().next())
}

/// The character ending at byte `pos`, if `pos` is a char boundary inside `text`.
fn char_before(text: &str, pos: usize) -> Option<char> {
    text.get(..pos).and_then(|s| s.chars().next_back())
}

/// Punctuation that can end a sentence.
fn is_terminal(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '…' | '‼' | '⁇' | '⁈' | '⁉' | '。' | '！' | '？' | '｡'
            // Devanagari and Bengali danda and double danda, Urdu full stop, Arabic question
            // mark, Armenian full stop, Ethiopic full stop and question mark, Myanmar section,
            // Khmer khan, Tibetan shad, Greek question mark.
            | '।' | '॥' | '۔' | '؟' | '։' | '።' | '፧' | '။' | '។' | '།' | '\u{37e}'
    )
}

/// Characters that close a quotation or bracket after sentence-final punctuation. `“` and `‘` are
/// included because they close quotations in German-style typography (`„So.“`).
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '”'
            | '’'
            | '“'
            | '‘'
            | '»'
            | '›'
            | ')'
            | ']'
            | '}'
            | '」'
            | '』'
            | '）'
            | '】'
            | '〕'
            | '》'
            | '〉'
    )
}

/// Characters that open a quotation or bracket before the first word of a sentence.
fn is_opener(c: char) -> bool {
    is_opening_quote(c) || matches!(c, '(' | '[' | '{' | '¿' | '¡' | '（' | '【')
}

/// Quotation marks that can open a quotation.
fn is_opening_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '‘' | '«' | '‹' | '„' | '‚' | '「' | '『'
    )
}

/// Characters that continue a sentence when they follow a full stop and a space: no sentence
/// starts with them.
fn is_continuation_punct(c: char) -> bool {
    matches!(
        c,
        ',' | ';'
            | ':'
            | '.'
            | '…'
            | '!'
            | '?'
            | '%'
            | ')'
            | ']'
            | '}'
            | '”'
            | '’'
            | '»'
            | '›'
            | '/'
            | '\\'
            | '&'
            | '-'
            | '–'
            | '—'
    )
}

/// Whether `s` ends with `.`, `!`, `?` or `…` before any closing quotes and brackets.
fn ends_sentence(s: &str) -> bool {
    s.trim_end_matches(is_closer)
        .chars()
        .next_back()
        .is_some_and(is_terminal)
}

/// Whether `s` ends with punctuation that makes it prose rather than a stand-alone line:
/// sentence-final punctuation, a comma or semicolon (a sentence cut off by the page), or a colon
/// after at least three words ("Google describes PageRank:", but not "Share:" or "Read more:").
fn ends_with_final_punct(s: &str) -> bool {
    match s.trim_end_matches(is_closer).chars().next_back() {
        Some(',' | ';') => true,
        Some(':') => s.split_whitespace().nth(2).is_some(),
        Some(c) => is_terminal(c),
        None => false,
    }
}

/// Whether the first letter of `s`, after opening quotes and brackets, is lowercase.
fn starts_lowercase(s: &str) -> bool {
    s.chars()
        .take(8)
        .find(|c| !is_opener(*c))
        .is_some_and(char::is_lowercase)
}

/// Whether the line `s` (trimmed) starts with a list marker: a bullet symbol, a dash or asterisk
/// followed by a space and a non-lowercase word, or an enumerator such as `1.`, `2)`, `(a)`.
fn is_bullet(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    match first {
        '•' | '●' | '◦' | '▪' | '▫' | '■' | '□' | '►' | '▸' | '‣' | '⁃' | '◆' | '◇' | '○' | '➢'
        | '➤' | '✓' | '✔' | '·' => true,
        '-' | '*' | '+' | '–' | '—' => {
            let rest = chars.as_str();
            rest.starts_with(char::is_whitespace) && !starts_lowercase(rest.trim_start())
        }
        '(' => {
            let rest = chars.as_str();
            let Some((inner, after)) = rest.split_once(')') else {
                return false;
            };
            let digits =
                !inner.is_empty() && inner.len() <= 3 && inner.bytes().all(|b| b.is_ascii_digit());
            let letter = inner.len() == 1 && inner.bytes().all(|b| b.is_ascii_alphabetic());
            let roman = !inner.is_empty()
                && inner.len() <= 4
                && inner.bytes().all(|b| matches!(b, b'i' | b'v' | b'x'));
            (digits || letter || roman) && after.starts_with(char::is_whitespace)
        }
        c if c.is_ascii_digit() => {
            let digits = s.bytes().take_while(u8::is_ascii_digit).count();
            let rest = s.get(digits..).unwrap_or("");
            digits <= 3 && enumerator_tail(rest, true)
        }
        c if c.is_ascii_alphabetic() => enumerator_tail(chars.as_str(), false),
        _ => false,
    }
}

/// Whether `rest` (what follows the number or letter of an enumerator) is `.` (numbers only) or `)`
/// followed by whitespace.
fn enumerator_tail(rest: &str, allow_dot: bool) -> bool {
    let mut chars = rest.chars();
    let punct_ok = match chars.next() {
        Some(')') => true,
        Some('.') => allow_dot,
        _ => false,
    };
    punct_ok && chars.next().is_some_and(char::is_whitespace)
}

/// Whether the line `s` (trimmed) ends in a way that cannot end a sentence or a headline: a comma,
/// semicolon, ampersand, opening bracket, word-wrap hyphen, or a lowercase function word.
fn ends_with_connector(s: &str) -> bool {
    let mut rev = s.chars().rev();
    match rev.next() {
        Some(',' | ';' | '&' | '(') => return true,
        Some('-') => return rev.next().is_some_and(char::is_alphabetic),
        _ => {}
    }
    let word = s.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("");
    is_function_word(word)
}

/// Lowercase words that do not end an English sentence or headline.
fn is_function_word(word: &str) -> bool {
    matches!(
        word,
        "a" | "about"
            | "an"
            | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "been"
            | "between"
            | "both"
            | "but"
            | "by"
            | "can"
            | "could"
            | "did"
            | "do"
            | "does"
            | "each"
            | "for"
            | "from"
            | "had"
            | "has"
            | "have"
            | "her"
            | "his"
            | "if"
            | "in"
            | "into"
            | "is"
            | "its"
            | "may"
            | "might"
            | "must"
            | "my"
            | "nor"
            | "of"
            | "on"
            | "onto"
            | "or"
            | "our"
            | "should"
            | "so"
            | "such"
            | "than"
            | "that"
            | "the"
            | "their"
            | "these"
            | "this"
            | "those"
            | "to"
            | "upon"
            | "was"
            | "were"
            | "when"
            | "where"
            | "whereas"
            | "which"
            | "while"
            | "who"
            | "whose"
            | "will"
            | "with"
            | "would"
            | "your"
    )
}

/// Words left lowercase in Title Case headings.
fn is_minor_title_word(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "and"
            | "as"
            | "at"
            | "but"
            | "by"
            | "for"
            | "from"
            | "in"
            | "into"
            | "nor"
            | "of"
            | "on"
            | "or"
            | "over"
            | "the"
            | "to"
            | "vs"
            | "with"
    )
}

/// Whether the line `s` looks like a Title Case heading: at least two capitalised words and no
/// lowercase word other than articles, conjunctions and short prepositions.
fn is_title_case(s: &str) -> bool {
    let mut capitalised = 0;
    for word in s.split_whitespace() {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        let Some(first) = word.chars().next() else {
            continue;
        };
        if first.is_uppercase() {
            capitalised += 1;
        } else if first.is_lowercase() && !is_minor_title_word(word) {
            return false;
        }
    }
    capitalised >= 2
}

/// Number of characters a line needs to count as "full" in a block whose widest line has `width`
/// characters.
fn full_line_chars(width: usize) -> usize {
    (width * 3 / 5).max(MIN_FULL_CHARS)
}

/// Whether the block of consecutive non-blank `lines` is hard-wrapped prose rather than one
/// paragraph per line. See the module documentation.
fn is_hard_wrapped(lines: &[Line]) -> bool {
    let width = lines.iter().map(|l| l.chars).max().unwrap_or(0);
    if lines.len() < 2 || width > MAX_WRAP_WIDTH {
        return false;
    }
    let full_min = full_line_chars(width);
    let (mut boundaries, mut full, mut open, mut soft) = (0usize, 0usize, 0usize, 0usize);
    for pair in lines.windows(2) {
        let [a, b] = pair else { continue };
        if b.bullet {
            continue;
        }
        boundaries += 1;
        if a.chars >= full_min {
            full += 1;
        }
        if !a.terminal {
            open += 1;
            if b.lower_start || a.connector_end {
                soft += 1;
            }
        }
    }
    boundaries > 0 && full * 2 >= boundaries && soft > 0 && soft * 2 >= open
}

/// Splits a block of consecutive non-blank lines into paragraphs, written to `out` as ranges of
/// indices into `lines`.
fn layout_block(text: &str, lines: &[Line], out: &mut Vec<Range<usize>>) {
    out.clear();
    let wrapped = is_hard_wrapped(lines);
    let width = lines.iter().map(|l| l.chars).max().unwrap_or(0);
    let full_min = full_line_chars(width);
    let mut start = 0;
    for (k, pair) in lines.windows(2).enumerate() {
        let [a, b] = pair else { continue };
        let join = if wrapped {
            joins_wrapped(text, a, b, full_min)
        } else {
            joins_loose(text, a, b)
        };
        if !join {
            out.push(start..k + 1);
            start = k + 1;
        }
    }
    if start < lines.len() {
        out.push(start..lines.len());
    }
}

/// Whether line `b` continues the paragraph of line `a` in a block of one paragraph per line: only
/// a prose line cut off before a lowercase word ("…their country,”⏎declared the minister") or
/// after a comma or function word ("…an important theorem relating the⏎Conditional …").
fn joins_loose(text: &str, a: &Line, b: &Line) -> bool {
    !b.bullet
        && !a.terminal
        && (b.lower_start || a.connector_end)
        && a.chars >= MIN_LOOSE_JOIN_CHARS
        && !text
            .get(b.start..b.end)
            .is_some_and(|s| s.starts_with(['[', '{', '<']))
        && !text.get(a.start..a.end).is_some_and(is_title_case)
}

/// Whether line `b` continues the paragraph of line `a` in a hard-wrapped block.
fn joins_wrapped(text: &str, a: &Line, b: &Line, full_min: usize) -> bool {
    if b.bullet {
        return false;
    }
    if b.lower_start {
        return true;
    }
    let open = !a.terminal && a.connector_end;
    if a.chars < full_min {
        // A short line ends its paragraph (or is a heading) unless it visibly continues.
        return open;
    }
    if a.terminal && b.indent > a.indent {
        // First-line indent of a new paragraph.
        return false;
    }
    if !a.terminal && !open && text.get(a.start..a.end).is_some_and(is_title_case) {
        return false;
    }
    true
}

/// What a run of sentence-final punctuation consists of.
#[derive(Debug, Default, Clone, Copy)]
struct Run {
    /// Number of `.`.
    dots: usize,
    /// Contains `…`.
    ellipsis: bool,
    /// Contains `!` or `?` (or their variants).
    strong: bool,
    /// Contains CJK punctuation, which needs no following space.
    cjk: bool,
}

impl Run {
    fn add(&mut self, c: char) {
        match c {
            '.' => self.dots += 1,
            '…' => self.ellipsis = true,
            '。' | '｡' => self.cjk = true,
            '！' | '？' => {
                self.cjk = true;
                self.strong = true;
            }
            _ => self.strong = true,
        }
    }

    fn is_ellipsis(&self) -> bool {
        self.ellipsis || self.dots >= 2
    }
}

/// The start of the text after a candidate sentence end.
#[derive(Debug, Clone, Copy)]
struct NextWord<'a> {
    /// Opening quotation marks come first.
    quoted: bool,
    /// The first character after opening quotes and brackets.
    first: Option<char>,
    /// The letters of the first word (at most a few dozen bytes).
    word: &'a str,
    /// The word is a single capital letter followed by `.`: an initial.
    initial: bool,
}

impl<'a> NextWord<'a> {
    fn read(text: &'a str, pos: usize, end: usize) -> Self {
        let mut k = pos;
        let mut quoted = false;
        let mut skipped = 0;
        while k < end && skipped < 8 {
            match char_at(text, k) {
                Some(c) if is_opener(c) => {
                    quoted |= is_opening_quote(c);
                    k += c.len_utf8();
                    skipped += 1;
                }
                _ => break,
            }
        }
        let first = if k < end { char_at(text, k) } else { None };
        let mut w = k;
        while w < end && w - k < 32 {
            match char_at(text, w) {
                Some(c) if c.is_alphabetic() => w += c.len_utf8(),
                _ => break,
            }
        }
        let word = text.get(k..w).unwrap_or("");
        let initial = word.chars().count() == 1
            && first.is_some_and(char::is_uppercase)
            && char_at(text, w) == Some('.');
        NextWord {
            quoted,
            first,
            word,
            initial,
        }
    }

    /// No sentence can start here: a lowercase word or continuing punctuation.
    fn blocked(&self) -> bool {
        self.first
            .is_some_and(|c| c.is_lowercase() || is_continuation_punct(c))
    }

    /// Starts with an opening quote or a common sentence-initial word.
    fn starts_sentence(&self) -> bool {
        self.quoted || is_sentence_starter(self.word)
    }
}

/// Splits the trimmed paragraph `span` of `text` into trimmed sentence spans, written to `out`.
fn split_sentences(text: &str, span: Range<usize>, out: &mut Vec<Range<usize>>) {
    out.clear();
    let Range { start: ps, end: pe } = span;
    let bytes = text.as_bytes();
    let mut sentence_start = ps;
    let mut i = ps;
    while i < pe {
        // Skip bytes that cannot start a terminal character cheaply.
        i += bytes
            .get(i..pe)
            .unwrap_or(&[])
            .iter()
            .position(|&b| TERMINAL_LEAD[usize::from(b)])
            .unwrap_or(pe - i);
        if i >= pe {
            break;
        }
        let c = match char_at(text, i) {
            Some(c) if is_terminal(c) => c,
            Some(c) => {
                i += c.len_utf8();
                continue;
            }
            None => {
                i += 1;
                continue;
            }
        };
        let run_start = i;
        let mut run = Run::default();
        run.add(c);
        let mut j = i + c.len_utf8();
        while j < pe {
            match char_at(text, j) {
                Some(c) if is_terminal(c) => {
                    run.add(c);
                    j += c.len_utf8();
                }
                _ => break,
            }
        }
        let run_end = j;
        while j < pe {
            match char_at(text, j) {
                Some(c) if is_closer(c) => j += c.len_utf8(),
                Some('[') => match citation_len(text, j) {
                    Some(len) => j += len,
                    None => break,
                },
                _ => break,
            }
        }
        let sentence_end = j;
        let Some(after) = (if j < pe { char_at(text, j) } else { None }) else {
            break;
        };
        let next_start = if after.is_whitespace() {
            let rest = text.get(j..pe).unwrap_or("");
            pe - rest.trim_start().len()
        } else if run.cjk {
            j
        } else {
            i = run_end.max(sentence_end);
            continue;
        };
        if next_start >= pe {
            break;
        }
        let next = NextWord::read(text, next_start, pe);
        let split = if run.cjk {
            !next.first.is_some_and(is_continuation_punct)
        } else {
            ends_here(text, ps, run_start, run, sentence_end > run_end, &next)
        };
        if split {
            out.push(sentence_start..sentence_end);
            sentence_start = next_start;
        }
        i = next_start;
    }
    out.push(sentence_start..pe);
}

/// The byte length of a citation mark such as `[4]` or `[12]` starting at `pos`, which may follow
/// the final punctuation of a sentence copied from Wikipedia ("original paper.[4] In practice").
fn citation_len(text: &str, pos: usize) -> Option<usize> {
    let rest = text.get(pos..)?.strip_prefix('[')?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    ((1..=3).contains(&digits) && rest.as_bytes().get(digits) == Some(&b']')).then_some(digits + 2)
}

/// Whether the run of sentence-final punctuation at `run_start` (followed by closing quotes or
/// brackets when `closed`, then whitespace and `next`) ends a sentence. `ps` is the paragraph start.
fn ends_here(
    text: &str,
    ps: usize,
    run_start: usize,
    run: Run,
    closed: bool,
    next: &NextWord<'_>,
) -> bool {
    if next.blocked() {
        return false;
    }
    if run.strong {
        return true;
    }
    if run.is_ellipsis() {
        let standalone =
            run_start <= ps || char_before(text, run_start).is_none_or(char::is_whitespace);
        return !standalone || next.starts_sentence();
    }
    if closed {
        return true;
    }
    let Some(start) = word_start(text, ps, run_start) else {
        return true;
    };
    let word = text
        .get(start..run_start)
        .unwrap_or("")
        .trim_start_matches(|c: char| !c.is_alphanumeric());
    if start == ps && is_enumerator(word) {
        // "1. Break the problem into smaller subproblems."
        return false;
    }
    full_stop_ends(word, next, || after_capitalised_word(text, ps, start))
}

/// Whether `word` can number a list item: up to three digits, one letter or a short Roman numeral.
fn is_enumerator(word: &str) -> bool {
    let digits = word.len() <= 3 && word.bytes().all(|b| b.is_ascii_digit());
    let letter = word.len() == 1 && word.bytes().all(|b| b.is_ascii_alphabetic());
    let roman = word.len() <= 4
        && word
            .bytes()
            .all(|b| matches!(b, b'i' | b'v' | b'x' | b'I' | b'V' | b'X'));
    !word.is_empty() && (digits || letter || roman)
}

/// The start of the run of non-whitespace that ends at `pos`, not before the paragraph start `ps`;
/// `None` when it is too long to be an abbreviation or initial.
fn word_start(text: &str, ps: usize, pos: usize) -> Option<usize> {
    let head = text.get(ps..pos)?;
    let mut start = pos;
    for (idx, c) in head.char_indices().rev() {
        if c.is_whitespace() {
            break;
        }
        if pos - (ps + idx) > MAX_ABBREVIATION_BYTES {
            return None;
        }
        start = ps + idx;
    }
    Some(start)
}

/// Whether the word before the one starting at `start` begins with a capital letter, or there is
/// no such word in the paragraph: what precedes an initial ("John F.", "Dr. J.", "J. K.") and not a
/// variable ("the probability of A.").
fn after_capitalised_word(text: &str, ps: usize, start: usize) -> bool {
    let head = text.get(ps..start).unwrap_or("");
    let trimmed = head.trim_end();
    if trimmed.is_empty() {
        return true;
    }
    if head.len() - trimmed.len() > MAX_ABBREVIATION_BYTES {
        return false;
    }
    let end = ps + trimmed.len();
    word_start(text, ps, end)
        .and_then(|s| text.get(s..end))
        .and_then(|w| w.chars().find(|c| c.is_alphanumeric()))
        .is_some_and(char::is_uppercase)
}

/// Whether a single full stop after `word` ends the sentence, given the word that follows.
/// `after_capital` tells (lazily) whether the word before `word` is capitalised.
fn full_stop_ends(word: &str, next: &NextWord<'_>, after_capital: impl FnOnce() -> bool) -> bool {
    if word.is_empty() {
        return true;
    }
    if NEVER_FINAL.contains(&word) {
        return false;
    }
    if word.contains('.') {
        return !is_dotted_abbreviation(word) || next.starts_sentence();
    }
    if in_list(TITLES, word) {
        return false;
    }
    if in_list(NUMBER_ABBREVIATIONS, word) && next.first.is_some_and(|c| c.is_ascii_digit()) {
        return false;
    }
    if in_list(AMBIGUOUS_ABBREVIATIONS, word) {
        return next.starts_sentence();
    }
    let mut chars = word.chars();
    if chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none() {
        // An initial ("John F. Kennedy", "J. K. Rowling") unless a sentence plainly starts; a
        // single letter after a lowercase word is a name like "vitamin C" or "event A".
        if next.initial {
            return false;
        }
        if after_capital() {
            return next.starts_sentence();
        }
    }
    true
}

/// Whether `word` (the text before a final full stop) is a dotted abbreviation such as `U.S`,
/// `a.m`, `Ph.D`: letters in groups of one or two separated by single dots.
fn is_dotted_abbreviation(word: &str) -> bool {
    word.split('.').all(|part| {
        let n = part.chars().count();
        (1..=2).contains(&n) && part.chars().all(char::is_alphabetic)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The sentence texts of `text`.
    fn sentences(text: &str) -> Vec<&str> {
        let seg = segment(text);
        (0..seg.sentences.len())
            .map(|i| seg.sentence_text(text, i))
            .collect()
    }

    /// The paragraph texts of `text`.
    fn paragraphs(text: &str) -> Vec<&str> {
        let seg = segment(text);
        (0..seg.paragraphs.len())
            .map(|i| seg.paragraph_text(text, i))
            .collect()
    }

    /// The sentence kinds of `text`.
    fn kinds(text: &str) -> Vec<SentenceKind> {
        segment(text).sentences.iter().map(|s| s.kind).collect()
    }

    /// Asserts every documented guarantee on the spans of `segment(text)`.
    fn check_invariants(text: &str) {
        let seg = segment(text);
        let trimmed = |span: &Range<usize>| {
            assert!(span.start < span.end, "empty span {span:?}");
            assert!(span.end <= text.len(), "span {span:?} out of bounds");
            let s = text.get(span.clone()).expect("span on char boundaries");
            assert!(!s.starts_with(char::is_whitespace), "untrimmed start {s:?}");
            assert!(!s.ends_with(char::is_whitespace), "untrimmed end {s:?}");
        };
        let mut prev_end = 0;
        let mut next_sentence = 0;
        for (pi, p) in seg.paragraphs.iter().enumerate() {
            trimmed(&p.span);
            assert!(
                p.span.start >= prev_end,
                "paragraphs overlap or out of order"
            );
            prev_end = p.span.end;
            assert_eq!(
                p.sentences.start, next_sentence,
                "sentence ranges not contiguous"
            );
            assert!(
                p.sentences.start < p.sentences.end,
                "paragraph without sentences"
            );
            next_sentence = p.sentences.end;
            let first = &seg.sentences[p.sentences.start];
            let last = &seg.sentences[p.sentences.end - 1];
            assert_eq!(p.span.start, first.span.start);
            assert_eq!(p.span.end, last.span.end);
            for s in &seg.sentences[p.sentences.clone()] {
                assert_eq!(s.paragraph, pi);
                assert!(p.span.start <= s.span.start && s.span.end <= p.span.end);
            }
        }
        assert_eq!(next_sentence, seg.sentences.len());
        let mut prev_end = 0;
        for s in &seg.sentences {
            trimmed(&s.span);
            assert!(
                s.span.start >= prev_end,
                "sentences overlap or out of order"
            );
            let gap = &text[prev_end..s.span.start];
            assert!(
                gap.chars().all(char::is_whitespace),
                "non-whitespace {gap:?} outside every sentence"
            );
            prev_end = s.span.end;
        }
        // Past the sentence limit the text is left unread, and the segmentation says from where.
        let tail = &text[prev_end..seg.unread_from.unwrap_or(text.len())];
        assert!(
            tail.chars().all(char::is_whitespace),
            "non-whitespace {tail:?} after the last sentence"
        );
        assert!(seg.sentences.len() <= MAX_SENTENCES);
        for s in &seg.sentences {
            let sentence = &text[s.span.clone()];
            assert!(
                sentence.len() <= MAX_SENTENCE_BYTES,
                "a sentence of {} bytes",
                sentence.len()
            );
            assert!(sentence.split_whitespace().count() <= MAX_SENTENCE_WORDS);
        }
    }

    #[test]
    fn doc_example_two_sentences() {
        let text = "Gov. Gladkov said it was not safe. Residents left.";
        assert_eq!(
            sentences(text),
            ["Gov. Gladkov said it was not safe.", "Residents left."]
        );
    }

    #[test]
    fn empty_and_whitespace_only_input() {
        for text in ["", " ", "\n\n", "\r\n\t \u{a0}\u{2029}\u{2028}\r"] {
            let seg = segment(text);
            assert_eq!(seg, Segmentation::default(), "{text:?}");
            assert_eq!(seg.sentence_text(text, 0), "");
        }
    }

    #[test]
    fn accessors_never_panic() {
        let text = "One. Two.";
        let seg = segment(text);
        assert_eq!(seg.sentence_text(text, 7), "");
        assert_eq!(seg.paragraph_text(text, 7), "");
        assert!(seg.paragraph_sentences(7).is_empty());
        assert_eq!(seg.paragraph_sentences(0).len(), 2);
        // A different text, in which the span of "Two." cuts a char in two.
        assert_eq!(seg.sentence_text("abcdŌxyz", 1), "");
    }

    #[test]
    fn dotted_abbreviations() {
        assert_eq!(
            sentences("The U.S. and the U.K. signed it. The U.N. and the E.U. did not."),
            [
                "The U.S. and the U.K. signed it.",
                "The U.N. and the E.U. did not."
            ]
        );
        assert_eq!(
            sentences("The U.K.'s Ministry of Defence said so. It added more."),
            ["The U.K.'s Ministry of Defence said so.", "It added more."]
        );
        assert_eq!(
            sentences("The U.K.’s Ministry of Defense said so. It added more."),
            ["The U.K.’s Ministry of Defense said so.", "It added more."]
        );
        assert_eq!(
            sentences("He joined the U.S. Army in 1990. He left."),
            ["He joined the U.S. Army in 1990.", "He left."]
        );
    }

    #[test]
    fn abbreviation_at_sentence_end_before_a_starter() {
        assert_eq!(
            sentences("Troops arrived in the U.S. The president said so."),
            ["Troops arrived in the U.S.", "The president said so."]
        );
        assert_eq!(
            sentences("It sold apples, pears, etc. History shows prices rose."),
            ["It sold apples, pears, etc.", "History shows prices rose."]
        );
        assert_eq!(
            sentences("The deal went to Acme Inc. It closed on Monday."),
            ["The deal went to Acme Inc.", "It closed on Monday."]
        );
    }

    #[test]
    fn titles_before_names() {
        assert_eq!(
            sentences(
                "Mr. Smith met Mrs. Jones, Ms. Lee and Dr. Brown. Prof. White, Sen. Black, \
                 Rep. Green and Gov. Gray came too."
            ),
            [
                "Mr. Smith met Mrs. Jones, Ms. Lee and Dr. Brown.",
                "Prof. White, Sen. Black, Rep. Green and Gov. Gray came too."
            ]
        );
        assert_eq!(
            sentences(
                "Gen. Mark Milley, Col. Ann Lee, Lt. Tom Cole and Sgt. Bo Diaz spoke. They left."
            ),
            [
                "Gen. Mark Milley, Col. Ann Lee, Lt. Tom Cole and Sgt. Bo Diaz spoke.",
                "They left."
            ]
        );
        let gladkov = "Belgorod’s regional Gov. Vyacheslav Gladkov told residents early on Tuesday \
                       that it was still not safe to return to their homes.";
        assert_eq!(sentences(gladkov), [gladkov]);
    }

    #[test]
    fn place_company_and_suffix_abbreviations() {
        let text = "He lives in St. Petersburg near Martin Luther King Jr. Boulevard and John Smith Sr. \
                    Street. Acme Inc. Chief Tim Cook, Foo Ltd. Director Bob, Ford Motor Co. Chairman \
                    Bill and Delta Corp. Head Jim met.";
        assert_eq!(
            sentences(text),
            [
                "He lives in St. Petersburg near Martin Luther King Jr. Boulevard and John Smith Sr. \
                 Street.",
                "Acme Inc. Chief Tim Cook, Foo Ltd. Director Bob, Ford Motor Co. Chairman \
                 Bill and Delta Corp. Head Jim met."
            ]
        );
    }

    #[test]
    fn number_abbreviations() {
        assert_eq!(
            sentences("He lives at No. 10 Downing Street."),
            ["He lives at No. 10 Downing Street."]
        );
        assert_eq!(
            sentences("See Vol. 3, p. 5 and Fig. 2 for details. Then stop."),
            ["See Vol. 3, p. 5 and Fig. 2 for details.", "Then stop."]
        );
    }

    #[test]
    fn latin_and_versus_abbreviations() {
        assert_eq!(
            sentences(
                "Lakers vs. Celtics ended late. Fruit, e.g. Apples, and roots, i.e. Carrots, sold."
            ),
            [
                "Lakers vs. Celtics ended late.",
                "Fruit, e.g. Apples, and roots, i.e. Carrots, sold."
            ]
        );
        assert_eq!(
            sentences("Apples, pears, etc. were sold. Prices rose."),
            ["Apples, pears, etc. were sold.", "Prices rose."]
        );
    }

    #[test]
    fn times_and_numbers() {
        assert_eq!(
            sentences("At 5 p.m. on Monday, 1,146 people left. Another 3.5 thousand stayed."),
            [
                "At 5 p.m. on Monday, 1,146 people left.",
                "Another 3.5 thousand stayed."
            ]
        );
        assert_eq!(
            sentences("It began at 9 a.m. Moscow time on 23.05.2023 in the region. More later."),
            [
                "It began at 9 a.m. Moscow time on 23.05.2023 in the region.",
                "More later."
            ]
        );
        assert_eq!(
            sentences("Sales rose 3.5 percent in 2023. 70 people were hired."),
            ["Sales rose 3.5 percent in 2023.", "70 people were hired."]
        );
    }

    #[test]
    fn month_abbreviations() {
        assert_eq!(
            sentences(
                "It opened on Jan. 5 and closed in Feb. 2021. Talks resumed on Aug. 24 and Sept. 3."
            ),
            [
                "It opened on Jan. 5 and closed in Feb. 2021.",
                "Talks resumed on Aug. 24 and Sept. 3."
            ]
        );
    }

    #[test]
    fn initials() {
        assert_eq!(
            sentences("John F. Kennedy and J. K. Rowling met. They talked. So did J. A. Smith."),
            [
                "John F. Kennedy and J. K. Rowling met.",
                "They talked.",
                "So did J. A. Smith."
            ]
        );
    }

    #[test]
    fn single_letters_that_are_not_initials() {
        assert_eq!(
            sentences(
                "P(A) is the probability of A. P(B) is the probability of B. Take vitamin C. Now."
            ),
            [
                "P(A) is the probability of A.",
                "P(B) is the probability of B.",
                "Take vitamin C.",
                "Now."
            ]
        );
        assert_eq!(
            sentences("J. Smith and Dr. K. Jones wrote it with Plan B. Then they left."),
            [
                "J. Smith and Dr. K. Jones wrote it with Plan B.",
                "Then they left."
            ]
        );
    }

    #[test]
    fn quote_followed_by_attribution_stays_one_sentence() {
        assert_eq!(
            sentences("“It is not safe,” he said. Residents stayed."),
            ["“It is not safe,” he said.", "Residents stayed."]
        );
        assert_eq!(
            sentences("“Why?” he asked. “Because!” she said."),
            ["“Why?” he asked.", "“Because!” she said."]
        );
        assert_eq!(
            sentences("He called it “the homeland.” said one man. Another agreed."),
            [
                "He called it “the homeland.” said one man.",
                "Another agreed."
            ]
        );
    }

    #[test]
    fn quote_ending_a_sentence_splits_after_the_closing_quote() {
        assert_eq!(
            sentences("Gladkov said: “Do not return to your homes.” The governor added more."),
            [
                "Gladkov said: “Do not return to your homes.”",
                "The governor added more."
            ]
        );
        assert_eq!(
            sentences("\"It is over.\" The crowd left. He said: 'We won.' Then he left."),
            [
                "\"It is over.\"",
                "The crowd left.",
                "He said: 'We won.'",
                "Then he left."
            ]
        );
        assert_eq!(
            sentences("He spoke. \"We will win,\" he said. ‘Maybe,’ she said."),
            [
                "He spoke.",
                "\"We will win,\" he said.",
                "‘Maybe,’ she said."
            ]
        );
    }

    #[test]
    fn quote_with_inner_sentences() {
        assert_eq!(
            sentences(
                "“Good morning everybody, except Putin’s henchmen. We have met the dawn,” the group wrote."
            ),
            [
                "“Good morning everybody, except Putin’s henchmen.",
                "We have met the dawn,” the group wrote."
            ]
        );
    }

    #[test]
    fn ellipses() {
        assert_eq!(
            sentences(
                "They held a \"small... piece of the homeland.\" Wait... What happened? \
                 Residents, who … temporarily left, stayed away… Nobody knew."
            ),
            [
                "They held a \"small... piece of the homeland.\"",
                "Wait...",
                "What happened?",
                "Residents, who … temporarily left, stayed away…",
                "Nobody knew."
            ]
        );
        assert_eq!(
            sentences("We will fight … Russia will fall. Wait . . . what?"),
            ["We will fight … Russia will fall.", "Wait . . . what?"]
        );
    }

    #[test]
    fn question_and_exclamation_marks() {
        assert_eq!(
            sentences("Who are the fighters?! Nobody knows! Really? yes, really."),
            [
                "Who are the fighters?!",
                "Nobody knows!",
                "Really? yes, really."
            ]
        );
    }

    #[test]
    fn citation_marks_and_cjk() {
        assert_eq!(
            sentences("Since Page's original paper.[4] In practice it works."),
            ["Since Page's original paper.[4]", "In practice it works."]
        );
        assert_eq!(sentences("他说。然后走了！"), ["他说。", "然后走了！"]);
    }

    #[test]
    fn headline_lines_stay_apart() {
        let text = "Russia Declares Victory Over Belgorod Insurgents\n\
                    Fighting in Russia’s Belgorod region entered a second day on Tuesday.\n\
                    Details about Monday’s raid are unclear. Russia claimed that it was carried out \
                    by armed Ukrainian fighters.\n";
        assert_eq!(
            paragraphs(text),
            [
                "Russia Declares Victory Over Belgorod Insurgents",
                "Fighting in Russia’s Belgorod region entered a second day on Tuesday.",
                "Details about Monday’s raid are unclear. Russia claimed that it was carried out \
                 by armed Ukrainian fighters."
            ]
        );
        assert_eq!(
            sentences(text),
            [
                "Russia Declares Victory Over Belgorod Insurgents",
                "Fighting in Russia’s Belgorod region entered a second day on Tuesday.",
                "Details about Monday’s raid are unclear.",
                "Russia claimed that it was carried out by armed Ukrainian fighters."
            ]
        );
        use SentenceKind::{Line, Prose};
        assert_eq!(kinds(text), [Line, Prose, Prose, Prose]);
    }

    #[test]
    fn headline_of_wrapped_width_does_not_glue() {
        // Same widths as wrapped prose, but nothing shows a soft wrap.
        let text = "Gladkov Says Residents Should Not Return Yet To Their Homes In Region\n\
                    The governor said the clean-up was continuing on Tuesday morning.\n\
                    He added that eight people had been wounded.";
        assert_eq!(
            sentences(text),
            [
                "Gladkov Says Residents Should Not Return Yet To Their Homes In Region",
                "The governor said the clean-up was continuing on Tuesday morning.",
                "He added that eight people had been wounded."
            ]
        );
        assert_eq!(kinds(text)[0], SentenceKind::Line);
    }

    #[test]
    fn bylines_menus_and_list_lines() {
        let text = "• News\n  • Entertainment\n  • Finance\n\nChris Lange, FISM News\n\
                    [elfsight_social_share_buttons id=”1″]\nShare: Twitter | Facebook | Linkedin\n\
                    Body text here.\n";
        assert_eq!(
            sentences(text),
            [
                "• News",
                "• Entertainment",
                "• Finance",
                "Chris Lange, FISM News",
                "[elfsight_social_share_buttons id=”1″]",
                "Share: Twitter | Facebook | Linkedin",
                "Body text here."
            ]
        );
        assert_eq!(paragraphs(text).len(), 7);
        let lines = kinds(text)
            .iter()
            .filter(|k| **k == SentenceKind::Line)
            .count();
        assert_eq!(lines, 6);
    }

    #[test]
    fn list_markers() {
        for line in [
            "• News",
            "* Item",
            "- Item",
            "– Item",
            "1. Item",
            "12) Item",
            "(a) Item",
            "(iv) Item",
            "b) Item",
        ] {
            assert!(is_bullet(line), "{line:?}");
        }
        for line in [
            "(RVC) claimed",
            "– different pages",
            "- by default",
            "2023. The",
            "*emphasis*",
            "A. Smith",
        ] {
            assert!(!is_bullet(line), "{line:?}");
        }
    }

    #[test]
    fn enumerated_list_items() {
        let text =
            "There are four steps:\n1. Characterise the structure.\n2. Solve it.\nIV. Review";
        assert_eq!(
            sentences(text),
            [
                "There are four steps:",
                "1. Characterise the structure.",
                "2. Solve it.",
                "IV. Review"
            ]
        );
        assert_eq!(
            sentences("He won in 2023. 70 people came."),
            ["He won in 2023.", "70 people came."]
        );
    }

    #[test]
    fn web_line_cut_before_a_lowercase_word_is_joined() {
        let text = "“These are patriots who want to change the regime in their country,”\n\
                    declared the deputy minister on Monday.\nThe raid went on.";
        assert_eq!(
            sentences(text),
            [
                "“These are patriots who want to change the regime in their country,”\n\
                 declared the deputy minister on Monday.",
                "The raid went on."
            ]
        );
        assert_eq!(paragraphs(text).len(), 2);
        let text = "There is also Conditional Probability which is usually interested in the way \
                    variables relate to each other. Bayes Theorem is an important theorem about the\n\
                    Conditional probabilities of events.\nA Headline About the Raid\nBody.";
        assert_eq!(paragraphs(text).len(), 3);
    }

    const WRAPPED: &str = "Inheritance is a basic concept of Object-Oriented Programming where\n\
                           the basic idea is to create new classes that add extra detail to\n\
                           existing classes. This is done by allowing the new classes to reuse\n\
                           the methods and variables of the existing classes.\n";

    #[test]
    fn hard_wrapped_block_is_one_paragraph() {
        assert_eq!(paragraphs(WRAPPED), [WRAPPED.trim_end()]);
        assert_eq!(
            sentences(WRAPPED),
            [
                "Inheritance is a basic concept of Object-Oriented Programming where\n\
                 the basic idea is to create new classes that add extra detail to\n\
                 existing classes.",
                "This is done by allowing the new classes to reuse\n\
                 the methods and variables of the existing classes."
            ]
        );
        assert_eq!(kinds(WRAPPED), [SentenceKind::Prose, SentenceKind::Prose]);
    }

    #[test]
    fn hard_wrapped_block_with_heading_list_and_indent() {
        let text = "Introduction\n\
                    Inheritance is a basic concept of Object-Oriented Programming where\n\
                    the basic idea is to create new classes that add extra detail to\n\
                    existing classes, on a number of factors:\n\
                    * Inbound links (backlinks) - how many pages (other than the ones on\n  \
                    your website) link to this particular page\n\
                    * Outbound links\n\
                    This is done by allowing the new classes to reuse the methods and\n\
                    variables of the existing classes and new methods are added too.\n  \
                    Inheritance can occur on several layers, where if visualised it would\n\
                    display a larger tree structure.";
        assert_eq!(
            paragraphs(text),
            [
                "Introduction",
                "Inheritance is a basic concept of Object-Oriented Programming where\n\
                 the basic idea is to create new classes that add extra detail to\n\
                 existing classes, on a number of factors:",
                "* Inbound links (backlinks) - how many pages (other than the ones on\n  \
                 your website) link to this particular page",
                "* Outbound links",
                "This is done by allowing the new classes to reuse the methods and\n\
                 variables of the existing classes and new methods are added too.",
                "Inheritance can occur on several layers, where if visualised it would\n\
                 display a larger tree structure."
            ]
        );
    }

    #[test]
    fn blank_lines_always_separate_paragraphs() {
        let text = "These are Russian patriots who aspire to change the regime,\n\n\
                    declared the deputy minister.";
        assert_eq!(
            paragraphs(text),
            [
                "These are Russian patriots who aspire to change the regime,",
                "declared the deputy minister."
            ]
        );
    }

    #[test]
    fn crlf_and_lone_cr_line_endings() {
        let text = "Headline Without Stop\r\nFirst line here. Second one.\r\n\r\nNew paragraph.\rLast line\r\n";
        assert_eq!(
            sentences(text),
            [
                "Headline Without Stop",
                "First line here.",
                "Second one.",
                "New paragraph.",
                "Last line"
            ]
        );
        assert_eq!(paragraphs(text).len(), 4);
        let wrapped_crlf = WRAPPED.replace('\n', "\r\n");
        assert_eq!(paragraphs(&wrapped_crlf), [wrapped_crlf.trim_end()]);
        assert_eq!(sentences(&wrapped_crlf).len(), 2);
    }

    #[test]
    fn text_without_final_punctuation() {
        assert_eq!(
            sentences("Text with no final punctuation"),
            ["Text with no final punctuation"]
        );
        assert_eq!(
            kinds("Text with no final punctuation"),
            [SentenceKind::Line]
        );
        let text = "First sentence. And a second one without a stop";
        assert_eq!(
            sentences(text),
            ["First sentence.", "And a second one without a stop"]
        );
        assert_eq!(kinds(text), [SentenceKind::Prose, SentenceKind::Prose]);
    }

    #[test]
    fn long_line_without_full_stop_completes_and_covers() {
        let text = "word and another, ".repeat(60_000);
        assert!(text.len() > 1_000_000);
        let seg = segment(&text);
        // Cut into windows of the most words a sentence may have, covering the whole text.
        assert_eq!(seg.long_sentences_cut, 1);
        assert_eq!(
            seg.sentences.len(),
            180_000_usize.div_ceil(MAX_SENTENCE_WORDS)
        );
        assert_eq!(seg.unread_from, None);
        let first = seg.sentence_text(&text, 0);
        assert_eq!(first.split_whitespace().count(), MAX_SENTENCE_WORDS);
        assert!(text.starts_with(first));
        check_invariants(&text);
    }

    #[test]
    fn a_text_without_spaces_is_cut_at_the_byte_limit() {
        let text = "漢字".repeat(5000);
        let seg = segment(&text);
        assert!(seg.sentences.len() > 1);
        assert_eq!(seg.long_sentences_cut, 1);
        check_invariants(&text);
    }

    #[test]
    fn sentence_limit_leaves_the_rest_unread_and_says_where() {
        let text = "Short one. ".repeat(MAX_SENTENCES + 10);
        let seg = segment(&text);
        assert_eq!(seg.sentences.len(), MAX_SENTENCES);
        let unread = seg.unread_from.expect("the rest is unread");
        assert_eq!(unread, MAX_SENTENCES * "Short one. ".len());
        check_invariants(&text);
        let fits = "Short one. ".repeat(MAX_SENTENCES);
        assert_eq!(segment(&fits).unread_from, None);
    }

    #[test]
    fn sentences_end_at_the_terminators_of_other_scripts() {
        for (text, expected) in [
            ("यह पहला वाक्य है। यह दूसरा है।", 2),
            ("یہ پہلا جملہ ہے۔ یہ دوسرا ہے۔", 2),
            ("هل هذا صحيح؟ نعم هو كذلك.", 2),
            ("Սա առաջինն է։ Սա երկրորդն է։", 2),
            ("ይህ የመጀመሪያው ነው። ይህ ሁለተኛው ነው።", 2),
        ] {
            assert_eq!(segment(text).sentences.len(), expected, "{text}");
        }
    }

    #[test]
    fn long_runs_of_punctuation_complete_and_cover() {
        for piece in [". ", "...", "!?\" ", "“", "U.S. ", "\u{a0}.", "a.\r"] {
            let text = piece.repeat(100_000);
            check_invariants(&text);
        }
    }

    /// Characters that matter to the heuristics, mixed with arbitrary ones.
    fn tricky_char() -> impl Strategy<Value = char> {
        prop_oneof![
            3 => any::<char>(),
            6 => prop::sample::select(vec![
                ' ', ' ', '\n', '\n', '\r', '\t', '\u{a0}', '\u{2028}', '\u{2029}', '\u{85}',
                '\u{b}', '\u{c}', '.', '.', '.', '!', '?', '…', '"', '\'', '“', '”', '‘', '’',
                '(', ')', '[', ']', '1', ',', ';', ':', '•', '*', '-', '–', '。', '！', 'A', 'Z',
                'a', 'z', 'É', 'é', 'Ж', 'ж', '中', '\u{301}', '\u{200b}', '\u{feff}',
            ]),
        ]
    }

    /// Pieces of realistic news text.
    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "the",
            "Russia",
            "said",
            "Gladkov",
            "residents",
            "It",
            "The",
            "He",
            "we",
            "a",
            "in",
            "U.S.",
            "U.K.'s",
            "U.K.’s",
            "Gov.",
            "Mr.",
            "Dr.",
            "No.",
            "10",
            "p.m.",
            "a.m.",
            "e.g.",
            "i.e.",
            "etc.",
            "vs.",
            "Inc.",
            "Jan.",
            "Sept.",
            "F.",
            "J.",
            "1,146",
            "3.5",
            "23.05.2023",
            ".",
            ".",
            ",",
            "...",
            "…",
            "?",
            "!",
            "?!",
            "”",
            "“",
            "\"",
            "'",
            "‘",
            "’",
            "(",
            ")",
            "[4]",
            ":",
            " ",
            " ",
            " ",
            " ",
            "  ",
            "\n",
            "\n",
            "\r\n",
            "\n\n",
            "\r",
            "\t",
            "\u{a0}",
            "• ",
            "* ",
            "1. ",
            "- ",
            "    ",
            "Belgorod Insurgents",
            "declared",
            "homeland.",
            "henchmen.",
            "wrote",
            "Ж",
            "中文。",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn invariants_on_arbitrary_strings(text in any::<String>()) {
            check_invariants(&text);
        }

        #[test]
        fn invariants_on_tricky_characters(chars in prop::collection::vec(tricky_char(), 0..400)) {
            let text: String = chars.into_iter().collect();
            check_invariants(&text);
        }

        #[test]
        fn invariants_on_news_like_text(pieces in prop::collection::vec(piece(), 0..300)) {
            check_invariants(&pieces.concat());
        }

        #[test]
        fn invariants_on_spaced_news_like_text(
            pieces in prop::collection::vec(piece(), 0..300),
            crlf in any::<bool>(),
        ) {
            let text = pieces.join(" ");
            let text = if crlf { text.replace('\n', "\r\n") } else { text };
            check_invariants(&text);
        }
    }
}
