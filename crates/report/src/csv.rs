//! The related pairs as CSV, one row per pair, for spreadsheets.
//!
//! RFC 4180: a header row, fields separated by commas, records ended by CRLF; a field holding a comma,
//! a double quote, a carriage return or a line feed is put in double quotes, its double quotes
//! doubled. Text fields (ids, titles, times) come from the articles and may be hostile: a text field
//! that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so that a
//! spreadsheet shows it as text instead of running it as a formula (CSV injection). Numbers are
//! written as they are.
//!
//! Columns, in order ([`COLUMNS`]):
//!
//! | column | meaning |
//! | --- | --- |
//! | `pair` | the pair's number, from 1, as in the HTML report and the graph's edge labels |
//! | `a`, `b` | article ids, in sorted order (as in the JSON `pairs`) |
//! | `relation` | `duplicate`, `syndicated`, `rewrite` or `partial` |
//! | `score` | strength of the evidence, 4 decimals |
//! | `probability` | the link model's probability that the two share a text, 4 decimals |
//! | `coverage_a`, `coverage_b` | share of each article's body text aligned |
//! | `verbatim_share` | share of the aligned text that is word for word the same |
//! | `immutable_share` | share of matched weight that is names, numbers or quotes |
//! | `aligned_groups` | number of aligned sentence groups |
//! | `direction` | `a_to_b`, `b_to_a`, `undetermined`, or `none` when the derivation tree has no edge between the two (it links them through other articles) |
//! | `basis` | `timestamp`, `evidence` or `undetermined`, as in the JSON `edges`; empty when `direction` is `none` |
//! | `family` | the family's number, from 1 |
//! | `a_title`, `b_title` | titles, when known |
//! | `a_published`, `b_published` | publication times, when known |

use super::round;
use super::view::{View, basis_name};
use stemma_graph::CorpusAnalysis;

/// The header row's column names.
pub const COLUMNS: [&str; 18] = [
    "pair",
    "a",
    "b",
    "relation",
    "score",
    "probability",
    "coverage_a",
    "coverage_b",
    "verbatim_share",
    "immutable_share",
    "aligned_groups",
    "direction",
    "basis",
    "family",
    "a_title",
    "b_title",
    "a_published",
    "b_published",
];

/// The related pairs as CSV: a header row, then one row per related pair.
///
/// ```
/// use stemma_graph::{analyze, Article, AnalyzeOptions}; use stemma_report as export;
/// let text = "Border villages were evacuated after heavy shelling on Monday, officials said. \
///     The governor said two civilians were injured while being evacuated from their homes. \
///     Temporary shelters were set up for about 9,300 displaced people in the district.";
/// let analysis = analyze(
///     vec![Article::new("wire", text), Article::new("=copy", text)],
///     &AnalyzeOptions::default(),
/// );
/// let csv = export::csv(&analysis);
/// let mut rows = csv.lines();
/// assert!(rows.next().unwrap().starts_with("pair,a,b,relation,score,"));
/// assert!(rows.next().unwrap().starts_with("1,'=copy,wire,duplicate,"));
/// assert_eq!(rows.next(), None);
/// ```
pub fn csv(analysis: &CorpusAnalysis) -> String {
    let mut out = Vec::new();
    write_csv(analysis, &mut out).expect("writing to a Vec does not fail");
    String::from_utf8(out).expect("the CSV is written from strings")
}

/// [`csv()`], written row by row to `out`.
///
/// # Errors
/// When `out` fails.
///
/// ```
/// use stemma_graph::{analyze, Article, AnalyzeOptions};
/// let text = "Border villages were evacuated after heavy shelling on Monday, officials said. \
///     The governor said two civilians were injured while being evacuated from their homes.";
/// let analysis = analyze(vec![Article::new("a", text), Article::new("b", text)], &AnalyzeOptions::default());
/// let mut out = Vec::new();
/// stemma_report::write_csv(&analysis, &mut out).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), stemma_report::csv(&analysis));
/// ```
pub fn write_csv(analysis: &CorpusAnalysis, mut out: impl std::io::Write) -> std::io::Result<()> {
    let view = View::new(analysis);
    out.write_all(COLUMNS.join(",").as_bytes())?;
    out.write_all(b"\r\n")?;
    let text = |s: &str| field(&neutralise(s));
    for p in &view.pairs {
        let e = p.evidence;
        let (a, b) = (&analysis.articles[e.a], &analysis.articles[e.b]);
        let (direction, basis) = match p.edge {
            None => ("none", ""),
            Some(edge) => {
                let basis = basis_name(edge.direction);
                match edge.direction {
                    stemma_graph::Direction::Undetermined => ("undetermined", basis),
                    _ if edge.source == e.a => ("a_to_b", basis),
                    _ => ("b_to_a", basis),
                }
            }
        };
        let title = |x: &stemma_graph::ArticleInfo| {
            x.title.as_ref().map_or(String::new(), |t| text(&t.value))
        };
        let published = |x: &stemma_graph::ArticleInfo| {
            x.published
                .as_ref()
                .map_or(String::new(), |t| text(&t.value.to_string()))
        };
        write!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
            p.number,
            text(&a.id),
            text(&b.id),
            p.relation.as_str(),
            round(e.score),
            round(e.probability),
            round(e.alignment.coverage_a),
            round(e.alignment.coverage_b),
            round(e.verbatim_share),
            round(e.immutable_share),
            e.alignment.groups.len(),
            direction,
            basis,
            p.family.map_or(String::new(), |f| f.to_string()),
            title(a),
            title(b),
            published(a),
            published(b),
        )?;
    }
    Ok(())
}

/// A text cell made safe for a spreadsheet: control characters other than tab, line feed and
/// carriage return (NUL, ESC, …) are dropped, and a cell that a spreadsheet would take for a formula
/// gets a leading `'`: one starting with a tab or a carriage return, or whose first character after
/// any leading white space (spaces, line feeds, no-break spaces) is `=`, `+`, `-` or `@`.
///
/// ```
/// use stemma_report::neutralise;
/// assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(neutralise("\u{a0}=1+1"), "'\u{a0}=1+1");
/// assert_eq!(neutralise("wire"), "wire");
/// ```
pub fn neutralise(cell: &str) -> String {
    let cleaned: String = cell
        .chars()
        .filter(|&c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let first = cleaned.trim_start().chars().next();
    if cleaned.starts_with(['\t', '\r']) || matches!(first, Some('=' | '+' | '-' | '@')) {
        format!("'{cleaned}")
    } else {
        cleaned
    }
}

/// A field as RFC 4180 writes it: in double quotes, with its double quotes doubled, when it holds a
/// comma, a double quote, a carriage return or a line feed; as it is otherwise.
///
/// ```
/// use stemma_report::csv_field as field;
/// assert_eq!(field("a \"b\", c"), "\"a \"\"b\"\", c\"");
/// assert_eq!(field("plain"), "plain");
/// ```
pub fn field(cell: &str) -> String {
    if cell.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::hostile;

    #[test]
    fn formula_cells_are_neutralised() {
        for cell in [
            "=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", " =1", "\n=1", "\u{a0}=1", "  @x",
        ] {
            assert_eq!(neutralise(cell), format!("'{cell}"));
        }
        for cell in ["", "wire", "1", "'quoted", "a=1", " wire"] {
            assert_eq!(neutralise(cell), cell);
        }
        // Control characters that could reach a terminal or truncate a cell are dropped.
        assert_eq!(neutralise("a\u{0}b\u{1b}[2Jc"), "ab[2Jc");
    }

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("cr\r"), "\"cr\r\"");
        assert_eq!(field("<script>"), "<script>");
    }

    #[test]
    fn hostile_rows_parse_back_to_their_values() {
        let analysis = hostile();
        let text = csv(&analysis);
        assert!(text.ends_with("\r\n"));
        assert!(
            text.split("\r\n")
                .all(|l| !l.contains('\n') || l.contains('"'))
        );
        let mut reader = ::csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .expect("a header")
            .iter()
            .map(String::from)
            .collect();
        assert_eq!(header, COLUMNS);
        let rows: Vec<::csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
        assert_eq!(rows.len(), analysis.related_pairs().count());
        let column = |name: &str| {
            COLUMNS
                .iter()
                .position(|c| *c == name)
                .expect("a column of COLUMNS")
        };
        for (k, (row, pair)) in rows.iter().zip(analysis.related_pairs()).enumerate() {
            assert_eq!(row.len(), COLUMNS.len());
            assert_eq!(&row[0], (k + 1).to_string());
            let (a, b) = (&analysis.articles[pair.a], &analysis.articles[pair.b]);
            assert_eq!(&row[1], neutralise(&a.id));
            assert_eq!(&row[2], neutralise(&b.id));
            let title = a
                .title
                .as_ref()
                .map(|t| t.value.clone())
                .unwrap_or_default();
            assert_eq!(&row[column("a_title")], neutralise(&title));
            assert!(
                ["duplicate", "syndicated", "rewrite", "partial"]
                    .contains(&&row[column("relation")])
            );
            for number in ["score", "probability"] {
                let value: f64 = row[column(number)].parse().expect("a number");
                assert!((0.0..=1.0).contains(&value), "{number} {value}");
            }
            assert!(
                ["a_to_b", "b_to_a", "undetermined", "none"].contains(&&row[column("direction")])
            );
        }
        // The id that starts with `=` is neutralised wherever it is.
        assert!(
            rows.iter()
                .any(|r| &r[1] == "'=cmd|' /C calc'!A0" || &r[2] == "'=cmd|' /C calc'!A0")
        );
        assert!(!text.contains(",=cmd"));
    }

    #[test]
    fn the_direction_follows_the_edge() {
        let analysis = hostile();
        let text = csv(&analysis);
        let view = View::new(&analysis);
        for (line, p) in text.split("\r\n").skip(1).zip(&view.pairs) {
            match p.edge {
                None => assert!(line.contains(",none,,"), "{line}"),
                Some(e) if e.direction == stemma_graph::Direction::Undetermined => {
                    assert!(line.contains(",undetermined,undetermined,"), "{line}")
                }
                Some(e) if e.source == p.evidence.a => assert!(line.contains(",a_to_b,"), "{line}"),
                Some(_) => assert!(line.contains(",b_to_a,"), "{line}"),
            }
        }
    }

    #[test]
    fn the_csv_is_deterministic() {
        assert_eq!(csv(&hostile()), csv(&hostile()));
    }
}
