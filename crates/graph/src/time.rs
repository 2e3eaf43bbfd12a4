//! Publication times: a [`Timestamp`] that remembers how precisely it was stated, the grammar that
//! reads the forms news pages print ([`parse_timestamp`]), and the search for a stated time in an
//! article's text ([`published_in_text`]). Re-exported from [`crate::corpus`].
//!
//! A [`Timestamp`] is a UTC instant that remembers how precisely it was stated
//! ([`Precision`]): "2023-05-23" says less than "2023-05-23T22:33:50.746Z", and
//! two articles dated only by day must not be ordered within that day.
//!
//! Time handling is hand-rolled here rather than taken from `chrono` or `jiff`.
//! Both read RFC 3339 well, but neither reads what news pages actually print
//! ("Tuesday 23 May 2023 14:05 BST", "Updated 14:05 BST, 23 May 2023"): jiff's
//! and chrono's `strptime` do not resolve zone abbreviations (chrono skips
//! `%Z`, jiff's docs list `%Z` as formatting-only), neither finds a date inside
//! a line of text, and neither tracks the precision a value was given with. So
//! the grammar has to be written here anyway; what a library would add on top
//! is the civil-calendar arithmetic, which is two well-known 15-line
//! algorithms (Howard Hinnant's `days_from_civil` / `civil_from_days`), tested
//! below against fixed points and a round-trip property. That keeps this
//! crate free of a date dependency (jiff without default features would be
//! one crate; chrono pulls `num-traits`), and its behaviour in one place.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::calendar::{
    MONTHS, WEEKDAYS, civil_from_days, days_from_civil, days_in_month, weekday_of,
};

/// How precisely a [`Timestamp`] was stated; finer variants order after coarser ones.
///
/// The analysis needs this to avoid inventing an order: two articles dated
/// "2023-05-23" are not known to be in any order within that day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// A calendar date only ("2023-05-23", "May 23, 2023").
    Date,
    /// Hours and minutes ("14:05 BST").
    Minute,
    /// Whole seconds ("22:33:50Z").
    Second,
    /// Fractions of a second, kept to the millisecond ("22:33:50.746Z").
    Millisecond,
}

impl Precision {
    /// The length of one unit of this precision, in milliseconds.
    fn unit_millis(self) -> i64 {
        match self {
            Precision::Date => MILLIS_PER_DAY,
            Precision::Minute => 60_000,
            Precision::Second => 1_000,
            Precision::Millisecond => 1,
        }
    }
}

const MILLIS_PER_DAY: i64 = 86_400_000;

/// A UTC instant with the precision it was stated with.
///
/// `unix_millis` counts milliseconds since 1970-01-01T00:00:00Z. A date-only
/// value is stored as midnight UTC of that calendar date (the date as written,
/// whatever zone the writer was in). Values are ordered by instant first and
/// precision second, so a date sorts before any time on that day.
///
/// It serialises (and displays) as RFC 3339 in UTC, cut to its precision so
/// that reading it back gives the same value: `"2023-05-23"` (a date),
/// `"2023-05-23T14:05Z"` (minutes: the ISO 8601 form without seconds, which
/// RFC 3339 itself lacks), `"2023-05-23T14:05:09Z"`, `"2023-05-23T22:33:50.746Z"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// Milliseconds since the Unix epoch, UTC.
    pub unix_millis: i64,
    /// How precisely the time was stated.
    pub precision: Precision,
}

impl Timestamp {
    /// A timestamp at `unix_millis`, cut down (towards the past) to a whole unit of `precision`,
    /// so that equal statements compare equal whatever extra digits a caller had.
    pub fn from_unix_millis(unix_millis: i64, precision: Precision) -> Self {
        let unit = precision.unit_millis();
        let cut = unix_millis
            .checked_sub(unix_millis.rem_euclid(unit))
            .unwrap_or(unix_millis);
        Self {
            unix_millis: cut,
            precision,
        }
    }

    /// Whole seconds since the Unix epoch (rounded towards the past).
    pub fn unix_seconds(&self) -> i64 {
        self.unix_millis.div_euclid(1_000)
    }

    /// The UTC calendar date of this instant as (year, month 1-12, day 1-31).
    pub fn date(&self) -> (i64, u32, u32) {
        civil_from_days(self.unix_millis.div_euclid(MILLIS_PER_DAY))
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC, cut to the precision (see [`Timestamp`]); years outside
    /// 0000-9999 get a sign and six digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.date();
        if (0..=9999).contains(&year) {
            write!(f, "{year:04}")?;
        } else if year < 0 {
            write!(f, "-{:06}", year.unsigned_abs())?;
        } else {
            write!(f, "+{year:06}")?;
        }
        write!(f, "-{month:02}-{day:02}")?;
        if self.precision == Precision::Date {
            return Ok(());
        }
        let in_day = self.unix_millis.rem_euclid(MILLIS_PER_DAY);
        let hour = in_day / 3_600_000;
        let minute = in_day / 60_000 % 60;
        let second = in_day / 1_000 % 60;
        write!(f, "T{hour:02}:{minute:02}")?;
        if self.precision >= Precision::Second {
            write!(f, ":{second:02}")?;
        }
        if self.precision == Precision::Millisecond {
            write!(f, ".{:03}", in_day % 1_000)?;
        }
        f.write_str("Z")
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    /// Reads anything [`parse_timestamp`] reads, so that a report can be read back.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        parse_timestamp(&s).map_err(serde::de::Error::custom)
    }
}

impl std::str::FromStr for Timestamp {
    type Err = TimestampError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_timestamp(s)
    }
}

/// Why a string could not be read as a time, with the input it was given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read {input:?} as a time: {problem}")]
pub struct TimestampError {
    /// The input (cut to 80 characters).
    pub input: String,
    /// What was wrong with it.
    pub problem: TimestampProblem,
}

impl TimestampError {
    fn new(input: &str, problem: TimestampProblem) -> Self {
        Self {
            input: cut_chars(input.trim(), 80).to_owned(),
            problem,
        }
    }
}

/// What exactly was wrong with a time string (see [`TimestampError`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimestampProblem {
    /// Nothing but whitespace.
    #[error("it is empty")]
    Empty,
    /// Not one of the accepted forms.
    #[error(
        "no date found where one was expected (accepted: 2023-05-23T22:33:50Z, 2023-05-23, \
         May 23, 2023, 23 May 2023, 23.05.2023, optionally with a weekday and a time)"
    )]
    NoDate,
    /// The year is not written with four digits.
    #[error("the year must have four digits")]
    Year,
    /// A month number outside 1-12.
    #[error("there is no month {0}")]
    Month(u32),
    /// A day that the month does not have.
    #[error("{month} {year} has no day {day}")]
    Day {
        /// The year.
        year: i64,
        /// The month's English name.
        month: &'static str,
        /// The day as written.
        day: u32,
    },
    /// A numeric date with slashes, which could be day/month or month/day.
    #[error("{0:?} could be day/month or month/day; write 2023-05-23 or name the month")]
    AmbiguousDate(String),
    /// The stated weekday does not match the date.
    #[error("{date} was a {actual}, not a {stated}")]
    Weekday {
        /// The date, as YYYY-MM-DD.
        date: String,
        /// The weekday that date really was.
        actual: &'static str,
        /// The weekday the input said.
        stated: &'static str,
    },
    /// A 'T' (or other time separator) without a time after it.
    #[error("expected a time like 22:33 or 22:33:50 after the date")]
    MissingTime,
    /// An hour outside 0-23.
    #[error("hour {0} is out of range 0-23")]
    Hour(u32),
    /// An hour outside 1-12 on a clock with am/pm.
    #[error("hour {0} is out of range 1-12 for a time with am/pm")]
    Hour12(u32),
    /// A minute outside 0-59.
    #[error("minute {0} is out of range 0-59")]
    Minute(u32),
    /// A second outside 0-60 (60 is a leap second).
    #[error("second {0} is out of range 0-60")]
    Second(u32),
    /// A UTC offset outside ±23:59 or badly written.
    #[error("the UTC offset {0:?} is not valid (expected +HH:MM, +HHMM or +HH, at most 23:59)")]
    Offset(String),
    /// A zone abbreviation this module does not know (many are ambiguous, e.g. IST, CST).
    #[error("time zone {0:?} is not known here; give a numeric offset such as +01:00 instead")]
    UnknownZone(String),
    /// Text left over after a complete time.
    #[error("unexpected {0:?} after the time")]
    Trailing(String),
}

/// Reads a time as an article's metadata or page states it.
///
/// Accepted, with any amount of whitespace and case:
/// - RFC 3339: `2023-05-23T22:33:50.746Z`, `2023-05-23T23:33:50+01:00`, also
///   with a space instead of `T`, without seconds, or with `+0100` / `+01`;
/// - a date alone: `2023-05-23`, `23.05.2023` (day first), `May 23, 2023`,
///   `23 May 2023`, `23rd of May 2023`, `Sept. 5, 2023`;
/// - those with a weekday in front (`Tuesday 23 May 2023`, which is checked)
///   and a time after (`23 May 2023 14:05 BST`, `May 23, 2023 at 2:05 p.m. EDT`)
///   or before (`14:05 BST, 23 May 2023`).
///
/// A time without any zone is read as UTC. Zone abbreviations are limited
/// to a fixed, unambiguous list (UTC, GMT, BST, CET, CEST, EET, EEST, MSK,
/// EST, EDT, CST, CDT, MST, MDT, PST, PDT, …); others are an error rather than
/// a guess. Slashed numeric dates (`05/06/2023`) are refused as ambiguous.
///
/// # Errors
/// A [`TimestampError`] naming the input and what was wrong with it: no date,
/// a month, day, hour, minute, second or offset out of range, a wrong
/// weekday, an unknown zone, or text left over.
pub fn parse_timestamp(s: &str) -> Result<Timestamp, TimestampError> {
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return Err(TimestampError::new(s, TimestampProblem::Empty));
    }
    let mut cur = Cursor::new(trimmed, 0);
    let parsed = scan_datetime(&mut cur, Mode::Strict).map_err(|p| TimestampError::new(s, p))?;
    cur.skip_space();
    if !cur.at_end() {
        let rest = cut_chars(cur.rest(), 40).to_owned();
        return Err(TimestampError::new(s, TimestampProblem::Trailing(rest)));
    }
    parsed.to_timestamp().map_err(|p| TimestampError::new(s, p))
}

/// A publication time that the text of a page states about itself, if it
/// states one clearly; `None` otherwise.
///
/// Only these cues count, so that dates mentioned in the story never do:
/// 1. a short line that is, or starts with a label such as `COPYRIGHT:` or
///    `By Jane Doe |` and then, `Published`, `Posted`, `First published`,
///    `Originally published` followed on that line by a full date
///    (`Published on https://… by Cecilia Jones on 2023-05-23T22:33:50.746Z`,
///    `Published: 23 May 2023`, `Posted on May 23, 2023`);
/// 2. else a dateline opening one of the first lines of the text:
///    `LAKEVILLE, March 3, 2025 (Northwire) —` (an upper-case place, a date
///    with a year, an optional agency, then a dash);
/// 3. else a line as in 1 with `Updated` or `Last updated`
///    (`Updated 14:05 BST, 23 May 2023`), which bounds publication from above.
///
/// Dates without a year never count. The first matching line of the best
/// kind wins. If a cue line's time has an unknown zone, only its date is kept.
pub fn published_in_text(text: &str) -> Option<Timestamp> {
    let mut updated = None;
    for line in text.lines() {
        let line = line.trim();
        if line.len() > MAX_CUE_LINE_BYTES {
            continue;
        }
        match cue_line(line) {
            Some((CueKind::Published, ts)) => return Some(ts),
            Some((CueKind::Updated, ts)) if updated.is_none() => updated = Some(ts),
            _ => {}
        }
    }
    dateline(text).or(updated)
}

/// The first `max` characters of `s`.
fn cut_chars(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

// ---------------------------------------------------------------------------
// The grammar.

/// `Strict` for [`parse_timestamp`]; `Lenient` when looking for a time inside a
/// line of text, where an unknown zone drops the time instead of failing.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Strict,
    Lenient,
}

/// A date and maybe a time as written, before validation.
#[derive(Debug)]
struct Parsed {
    year: i64,
    month: u32,
    day: u32,
    weekday: Option<usize>,
    time: Option<TimeOfDay>,
    /// Offset east of UTC, in minutes.
    offset_minutes: i32,
}

#[derive(Debug, Clone, Copy)]
struct TimeOfDay {
    hour: u32,
    minute: u32,
    second: Option<u32>,
    millis: Option<u32>,
}

impl Parsed {
    fn to_timestamp(&self) -> Result<Timestamp, TimestampProblem> {
        if !(1..=12).contains(&self.month) {
            return Err(TimestampProblem::Month(self.month));
        }
        let month_name = MONTHS[(self.month - 1) as usize];
        if self.day == 0 || self.day > days_in_month(self.year, self.month) {
            return Err(TimestampProblem::Day {
                year: self.year,
                month: month_name,
                day: self.day,
            });
        }
        let days = days_from_civil(self.year, self.month, self.day);
        if let Some(stated) = self.weekday {
            let actual = weekday_of(days);
            if actual != stated {
                return Err(TimestampProblem::Weekday {
                    date: format!("{:04}-{:02}-{:02}", self.year, self.month, self.day),
                    actual: WEEKDAYS[actual],
                    stated: WEEKDAYS[stated],
                });
            }
        }
        let Some(t) = self.time else {
            return Ok(Timestamp::from_unix_millis(
                days * MILLIS_PER_DAY,
                Precision::Date,
            ));
        };
        if t.hour > 23 {
            return Err(TimestampProblem::Hour(t.hour));
        }
        if t.minute > 59 {
            return Err(TimestampProblem::Minute(t.minute));
        }
        let second = t.second.unwrap_or(0);
        if second > 60 {
            return Err(TimestampProblem::Second(second));
        }
        let precision = match (t.second, t.millis) {
            (None, _) => Precision::Minute,
            (Some(_), None) => Precision::Second,
            (Some(_), Some(_)) => Precision::Millisecond,
        };
        let millis = days * MILLIS_PER_DAY
            + i64::from(t.hour) * 3_600_000
            + i64::from(t.minute) * 60_000
            + i64::from(second) * 1_000
            + i64::from(t.millis.unwrap_or(0))
            - i64::from(self.offset_minutes) * 60_000;
        Ok(Timestamp::from_unix_millis(millis, precision))
    }
}

/// A position in a string; it only ever stops on character boundaries.
struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str, pos: usize) -> Self {
        Self { s, pos }
    }

    fn rest(&self) -> &'a str {
        self.s.get(self.pos..).unwrap_or("")
    }

    fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }

    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.s.as_bytes().get(self.pos + ahead).copied()
    }

    /// Consumes `b` (an ASCII byte) if it is next.
    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Skips whitespace (Unicode, so no-break spaces too); returns whether any was skipped.
    fn skip_space(&mut self) -> bool {
        let rest = self.rest();
        let kept = rest.trim_start();
        self.pos += rest.len() - kept.len();
        rest.len() != kept.len()
    }

    /// Consumes a run of ASCII digits: (value saturated at u32::MAX, count).
    fn digits(&mut self) -> Option<(u32, usize)> {
        let start = self.pos;
        let mut value: u32 = 0;
        while let Some(b) = self.peek().filter(u8::is_ascii_digit) {
            value = value.saturating_mul(10).saturating_add(u32::from(b - b'0'));
            self.pos += 1;
        }
        let n = self.pos - start;
        (n > 0).then_some((value, n))
    }

    /// Consumes a run of ASCII letters.
    fn word(&mut self) -> Option<&'a str> {
        let rest = self.rest();
        let n = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        if n == 0 {
            return None;
        }
        self.pos += n;
        rest.get(..n)
    }

    /// Consumes `word` (ASCII, any case) if it is next and not followed by a letter.
    fn eat_word_ci(&mut self, word: &str) -> bool {
        let rest = self.rest().as_bytes();
        let n = word.len();
        let matches = rest.len() >= n
            && rest[..n].eq_ignore_ascii_case(word.as_bytes())
            && !rest.get(n).is_some_and(u8::is_ascii_alphabetic);
        if matches {
            self.pos += n;
        }
        matches
    }
}

fn month_from_name(word: &str) -> Option<u32> {
    let w = word.to_ascii_lowercase();
    let idx = match w.as_str() {
        "sept" => 8,
        _ if w.len() >= 3 => MONTHS
            .iter()
            .position(|m| m.to_ascii_lowercase() == w || m[..3].eq_ignore_ascii_case(&w))?,
        _ => return None,
    };
    u32::try_from(idx + 1).ok()
}

fn weekday_from_name(word: &str) -> Option<usize> {
    let w = word.to_ascii_lowercase();
    let idx = match w.as_str() {
        "tues" => 1,
        "weds" => 2,
        "thur" | "thurs" => 3,
        _ if w.len() >= 3 => WEEKDAYS
            .iter()
            .position(|d| d.to_ascii_lowercase() == w || d[..3].eq_ignore_ascii_case(&w))?,
        _ => return None,
    };
    Some(idx)
}

/// Offsets east of UTC, in minutes, of unambiguous zone abbreviations.
fn zone_offset(abbrev: &str) -> Option<i32> {
    Some(match abbrev {
        "Z" | "UT" | "UTC" | "GMT" | "WET" => 0,
        "BST" | "CET" | "WEST" => 60,
        "CEST" | "EET" | "SAST" => 120,
        "EEST" | "MSK" => 180,
        "EDT" => -240,
        "EST" | "CDT" => -300,
        "CST" => -360,
        "MST" => -420,
        "MDT" => -360,
        "PST" => -480,
        "PDT" => -420,
        "AKST" => -540,
        "AKDT" => -480,
        "HST" => -600,
        "JST" | "KST" => 540,
        "HKT" | "SGT" | "AWST" => 480,
        "AEST" => 600,
        "AEDT" => 660,
        "NZST" => 720,
        "NZDT" => 780,
        _ => return None,
    })
}

/// Reads a date, optionally with a weekday before it and a time before or after it.
/// Leaves the cursor just after what it read.
fn scan_datetime(cur: &mut Cursor<'_>, mode: Mode) -> Result<Parsed, TimestampProblem> {
    cur.skip_space();
    // An optional weekday: "Tuesday", "Tue.", "Tue,".
    let mut weekday = None;
    let save = cur.pos;
    if let Some(w) = cur.word() {
        if let Some(d) = weekday_from_name(w) {
            weekday = Some(d);
            cur.eat(b'.');
            cur.skip_space();
            cur.eat(b',');
            cur.skip_space();
        } else {
            cur.pos = save;
        }
    }

    // An optional time before the date: "14:05 BST, 23 May 2023".
    let mut time = None;
    let mut offset = 0;
    if looks_like_time(cur) {
        let (t, z, _) = scan_time_and_zone(cur, mode, b':')?;
        time = t;
        offset = z;
        cur.skip_space();
        cur.eat(b',');
        cur.skip_space();
        if cur.eat_word_ci("on") {
            cur.skip_space();
        }
        // "Updated 14:05 BST, Tuesday 23 May 2023"
        let save = cur.pos;
        match cur.word().and_then(weekday_from_name) {
            Some(d) if weekday.is_none() => {
                weekday = Some(d);
                cur.eat(b'.');
                cur.skip_space();
                cur.eat(b',');
                cur.skip_space();
            }
            _ => cur.pos = save,
        }
    }
    let had_leading_time = time.is_some() || offset != 0;

    let (year, month, day, iso) = scan_date(cur)?;
    let mut parsed = Parsed {
        year,
        month,
        day,
        weekday,
        time,
        offset_minutes: offset,
    };
    if had_leading_time {
        return Ok(parsed);
    }

    // A time after the date.
    let after_date = cur.pos;
    if iso && matches!(cur.peek(), Some(b'T' | b't')) {
        cur.pos += 1;
        if !looks_like_time(cur) {
            return Err(TimestampProblem::MissingTime);
        }
    } else {
        let spaced = cur.skip_space();
        if cur.eat(b',') {
            cur.skip_space();
        } else if !spaced && !iso {
            cur.pos = after_date;
            return Ok(parsed);
        }
        if cur.eat_word_ci("at") || cur.eat(b'@') || cur.eat(b'-') {
            cur.skip_space();
        } else if let Some(dash) = ["\u{2013}", "\u{2014}", "\u{b7}", "|"]
            .iter()
            .find(|d| cur.rest().starts_with(**d))
        {
            cur.pos += dash.len();
            cur.skip_space();
        }
        if !looks_like_time(cur) {
            // "Tue 23 May 2023 14.05 BST": a dotted time counts only with a zone or am/pm.
            if looks_like_dotted_time(cur) {
                if let Ok((t, z, true)) = scan_time_and_zone(cur, mode, b'.') {
                    parsed.time = t;
                    parsed.offset_minutes = z;
                    return Ok(parsed);
                }
            }
            cur.pos = after_date;
            return Ok(parsed);
        }
    }
    let (t, z, _) = scan_time_and_zone(cur, mode, b':')?;
    parsed.time = t;
    parsed.offset_minutes = z;
    Ok(parsed)
}

/// Whether the cursor is at `H.MM` / `HH.MM` (not followed by another digit or dot, as in a date).
fn looks_like_dotted_time(cur: &Cursor<'_>) -> bool {
    let digit = |i| cur.peek_at(i).is_some_and(|b: u8| b.is_ascii_digit());
    let dot_at = if cur.peek_at(1) == Some(b'.') { 1 } else { 2 };
    digit(0)
        && (dot_at == 1 || digit(1))
        && cur.peek_at(dot_at) == Some(b'.')
        && digit(dot_at + 1)
        && digit(dot_at + 2)
        && !digit(dot_at + 3)
        && cur.peek_at(dot_at + 3) != Some(b'.')
}

/// Whether the cursor is at `H:MM` / `HH:MM`.
fn looks_like_time(cur: &Cursor<'_>) -> bool {
    let digit = |i| cur.peek_at(i).is_some_and(|b: u8| b.is_ascii_digit());
    digit(0)
        && ((cur.peek_at(1) == Some(b':') && digit(2))
            || (digit(1) && cur.peek_at(2) == Some(b':') && digit(3)))
}

/// Reads a date: ISO `YYYY-MM-DD`, dotted `D.M.YYYY`, `D Month YYYY` or `Month D, YYYY`.
/// Returns (year, month, day, whether ISO).
fn scan_date(cur: &mut Cursor<'_>) -> Result<(i64, u32, u32, bool), TimestampProblem> {
    let start = cur.pos;
    if let Some((first, n)) = cur.digits() {
        if n == 4 && cur.peek() == Some(b'-') {
            cur.pos += 1;
            let month = two_digits(cur)?;
            if !cur.eat(b'-') {
                return Err(TimestampProblem::NoDate);
            }
            let day = two_digits(cur)?;
            return Ok((i64::from(first), month, day, true));
        }
        if n > 2 {
            return Err(TimestampProblem::NoDate);
        }
        if cur.peek() == Some(b'/') {
            let rest = cur.rest();
            let len = rest
                .bytes()
                .take_while(|b| b.is_ascii_digit() || *b == b'/')
                .count();
            let text = cur.s.get(start..cur.pos + len).unwrap_or("");
            return Err(TimestampProblem::AmbiguousDate(text.to_owned()));
        }
        if cur.eat(b'.') {
            let (month, _) = cur.digits().ok_or(TimestampProblem::NoDate)?;
            if !cur.eat(b'.') {
                return Err(TimestampProblem::NoDate);
            }
            let year = four_digit_year(cur)?;
            return Ok((year, month, first, false));
        }
        // "23 May 2023", "23rd of May, 2023"
        for suffix in ["st", "nd", "rd", "th"] {
            if cur.eat_word_ci(suffix) {
                break;
            }
        }
        cur.eat(b'.');
        cur.skip_space();
        if cur.eat_word_ci("of") {
            cur.skip_space();
        }
        let month = cur
            .word()
            .and_then(month_from_name)
            .ok_or(TimestampProblem::NoDate)?;
        cur.eat(b'.');
        cur.skip_space();
        cur.eat(b',');
        cur.skip_space();
        let year = four_digit_year(cur)?;
        return Ok((year, month, first, false));
    }
    // "May 23, 2023", "Sept. 5 2023"
    cur.pos = start;
    let month = cur
        .word()
        .and_then(month_from_name)
        .ok_or(TimestampProblem::NoDate)?;
    cur.eat(b'.');
    cur.skip_space();
    let (day, n) = cur.digits().ok_or(TimestampProblem::NoDate)?;
    if n > 2 {
        return Err(TimestampProblem::NoDate);
    }
    for suffix in ["st", "nd", "rd", "th"] {
        if cur.eat_word_ci(suffix) {
            break;
        }
    }
    cur.skip_space();
    cur.eat(b',');
    cur.skip_space();
    let year = four_digit_year(cur)?;
    Ok((year, month, day, false))
}

fn two_digits(cur: &mut Cursor<'_>) -> Result<u32, TimestampProblem> {
    match cur.digits() {
        Some((v, 2)) => Ok(v),
        _ => Err(TimestampProblem::NoDate),
    }
}

fn four_digit_year(cur: &mut Cursor<'_>) -> Result<i64, TimestampProblem> {
    match cur.digits() {
        Some((v, 4)) => Ok(i64::from(v)),
        Some(_) => Err(TimestampProblem::Year),
        None => Err(TimestampProblem::NoDate),
    }
}

/// Reads `H:MM[:SS[.fff]]` (`separator` between hours and minutes), an
/// optional am/pm and an optional zone. Returns the time (or `None` if a
/// lenient read met an unknown zone), the offset, and whether an am/pm or a
/// zone was seen.
fn scan_time_and_zone(
    cur: &mut Cursor<'_>,
    mode: Mode,
    separator: u8,
) -> Result<(Option<TimeOfDay>, i32, bool), TimestampProblem> {
    let (mut hour, _) = cur.digits().ok_or(TimestampProblem::MissingTime)?;
    if !cur.eat(separator) {
        return Err(TimestampProblem::MissingTime);
    }
    let minute = two_digits(cur).map_err(|_| TimestampProblem::MissingTime)?;
    let mut second = None;
    let mut millis = None;
    if cur.peek() == Some(b':') && cur.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
        cur.pos += 1;
        second = Some(two_digits(cur).map_err(|_| TimestampProblem::MissingTime)?);
        if matches!(cur.peek(), Some(b'.' | b','))
            && cur.peek_at(1).is_some_and(|b| b.is_ascii_digit())
        {
            cur.pos += 1;
            let digits = cur.rest();
            let n = digits.bytes().take_while(u8::is_ascii_digit).count();
            let ms = digits
                .bytes()
                .take(n.min(3))
                .chain(std::iter::repeat(b'0'))
                .take(3)
                .fold(0u32, |acc, b| acc * 10 + u32::from(b.saturating_sub(b'0')));
            millis = Some(ms);
            cur.pos += n;
        }
    }

    // am / pm, a.m. / p.m.
    let save = cur.pos;
    cur.skip_space();
    let meridiem = if cur.eat_word_ci("am") || eat_dotted(cur, b'a') {
        Some(false)
    } else if cur.eat_word_ci("pm") || eat_dotted(cur, b'p') {
        Some(true)
    } else {
        cur.pos = save;
        None
    };
    if let Some(pm) = meridiem {
        if !(1..=12).contains(&hour) {
            return Err(TimestampProblem::Hour12(hour));
        }
        hour = match (pm, hour) {
            (false, 12) => 0,
            (true, 12) => 12,
            (true, h) => h + 12,
            (false, h) => h,
        };
    }
    let time = TimeOfDay {
        hour,
        minute,
        second,
        millis,
    };

    // The zone.
    let marked = meridiem.is_some();
    if cur.eat(b'Z') || cur.eat(b'z') {
        return Ok((Some(time), 0, true));
    }
    if let Some(offset) = scan_numeric_offset(cur)? {
        return Ok((Some(time), offset, true));
    }
    let save = cur.pos;
    if cur.skip_space() {
        if let Some(offset) = scan_numeric_offset(cur)? {
            return Ok((Some(time), offset, true));
        }
        let paren = cur.eat(b'(');
        let word_start = cur.pos;
        if let Some(word) = cur
            .word()
            .filter(|w| w.len() >= 2 && w.bytes().all(|b| b.is_ascii_uppercase()))
        {
            if paren && !cur.eat(b')') {
                cur.pos = save;
                return Ok((Some(time), 0, marked));
            }
            if let Some(base) = zone_offset(word) {
                // "GMT+1", "UTC+01:00"
                let extra = if matches!(word, "UTC" | "GMT") {
                    scan_numeric_offset(cur)?.unwrap_or(0)
                } else {
                    0
                };
                return Ok((Some(time), base + extra, true));
            }
            return match mode {
                Mode::Strict => Err(TimestampProblem::UnknownZone(
                    cur.s.get(word_start..cur.pos).unwrap_or(word).to_owned(),
                )),
                Mode::Lenient => Ok((None, 0, true)),
            };
        }
    }
    cur.pos = save;
    Ok((Some(time), 0, marked))
}

/// Consumes "a.m." / "p.m." (any case) given the first letter.
fn eat_dotted(cur: &mut Cursor<'_>, first: u8) -> bool {
    let rest = cur.rest().as_bytes();
    let ok = rest.len() >= 4
        && rest[0].eq_ignore_ascii_case(&first)
        && rest[1] == b'.'
        && rest[2].eq_ignore_ascii_case(&b'm')
        && rest[3] == b'.';
    if ok {
        cur.pos += 4;
    }
    ok
}

/// Reads `+HH:MM`, `+HHMM` or `+HH` (or with `-`, or the Unicode minus sign), if next.
fn scan_numeric_offset(cur: &mut Cursor<'_>) -> Result<Option<i32>, TimestampProblem> {
    let start = cur.pos;
    let sign = if cur.eat(b'+') {
        1
    } else if cur.eat(b'-') {
        -1
    } else if cur.rest().starts_with('\u{2212}') {
        cur.pos += '\u{2212}'.len_utf8();
        -1
    } else {
        return Ok(None);
    };
    let Some((v, n)) = cur.digits() else {
        cur.pos = start;
        return Ok(None);
    };
    let (hours, minutes) = match n {
        1 | 2 => {
            if cur.peek() == Some(b':') && cur.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
                cur.pos += 1;
                (v, two_digits(cur).map_err(|_| offset_error(cur, start))?)
            } else {
                (v, 0)
            }
        }
        4 => (v / 100, v % 100),
        _ => return Err(offset_error(cur, start)),
    };
    if hours > 23 || minutes > 59 {
        return Err(offset_error(cur, start));
    }
    let total = i32::try_from(hours * 60 + minutes).map_err(|_| offset_error(cur, start))?;
    Ok(Some(sign * total))
}

fn offset_error(cur: &Cursor<'_>, start: usize) -> TimestampProblem {
    TimestampProblem::Offset(cur.s.get(start..cur.pos).unwrap_or("").to_owned())
}

// ---------------------------------------------------------------------------
// Finding a stated publication time in text.

/// Lines longer than this are prose, never a "Published …" line.
const MAX_CUE_LINE_BYTES: usize = 400;
/// How much text may stand before a cue word on its line (a label, a byline).
const MAX_CUE_PREFIX_BYTES: usize = 60;
/// How much text may follow the date on a cue line ("by admin", "| 3 min read").
const MAX_CUE_SUFFIX_BYTES: usize = 80;
/// How many non-empty lines from the top may hold a dateline.
const DATELINE_LINES: usize = 10;

#[derive(Clone, Copy, PartialEq, Eq)]
enum CueKind {
    Published,
    Updated,
}

const CUES: [(&str, CueKind); 9] = [
    ("first published", CueKind::Published),
    ("originally published", CueKind::Published),
    ("published", CueKind::Published),
    ("posted", CueKind::Published),
    ("last updated", CueKind::Updated),
    ("last modified", CueKind::Updated),
    ("updated", CueKind::Updated),
    ("modified", CueKind::Updated),
    ("date published", CueKind::Published),
];

/// Characters that may end a label standing before a cue word.
fn is_label_end(c: char) -> bool {
    matches!(
        c,
        ':' | '|'
            | '\u{b7}'
            | '\u{2022}'
            | '-'
            | '\u{2013}'
            | '\u{2014}'
            | '/'
            | ','
            | '('
            | '['
            | '*'
            | '>'
    )
}

/// A cue word starting the line (or following a short label), then a full date.
fn cue_line(line: &str) -> Option<(CueKind, Timestamp)> {
    let lower = line.to_ascii_lowercase();
    for (phrase, kind) in CUES {
        for (at, _) in lower.match_indices(phrase) {
            let end = at + phrase.len();
            if lower
                .as_bytes()
                .get(end)
                .is_some_and(u8::is_ascii_alphabetic)
            {
                continue;
            }
            if at > 0
                && lower
                    .as_bytes()
                    .get(at - 1)
                    .is_some_and(u8::is_ascii_alphabetic)
            {
                continue;
            }
            let prefix = line.get(..at)?.trim_end();
            let label_ok = prefix.is_empty()
                || prefix.chars().all(|c| !c.is_alphanumeric())
                || (prefix.len() <= MAX_CUE_PREFIX_BYTES
                    && prefix.chars().next_back().is_some_and(is_label_end));
            if !label_ok {
                continue;
            }
            if let Some(ts) = date_after(line, end) {
                return Some((kind, ts));
            }
        }
    }
    None
}

/// The first date (with a year) on `line` after byte `from`, if the line does not go on as prose after it.
fn date_after(line: &str, from: usize) -> Option<Timestamp> {
    let rest = line.get(from..)?;
    // A sentence end between the cue and the date means the date belongs to another sentence.
    let mut prev_boundary = true;
    for (i, c) in rest.char_indices() {
        let here = from + i;
        let boundary = prev_boundary;
        prev_boundary = c.is_whitespace() || matches!(c, '(' | ',' | ':' | ';' | '|' | '[');
        if !boundary || !c.is_ascii_alphanumeric() {
            if c == '.' && rest[i + 1..].starts_with(' ') {
                // "…not be published. Posted on …" style sentences end the search.
                let before = &rest[..i];
                if before.split_whitespace().count() > 3 && !before.contains("://") {
                    return None;
                }
            }
            continue;
        }
        let mut cur = Cursor::new(line, here);
        let Ok(parsed) = scan_datetime(&mut cur, Mode::Lenient) else {
            continue;
        };
        let Ok(ts) = parsed.to_timestamp() else {
            continue;
        };
        let suffix = cur.rest().trim();
        if suffix.len() > MAX_CUE_SUFFIX_BYTES {
            return None;
        }
        return Some(ts);
    }
    None
}

/// A dateline ("LAKEVILLE, March 3, 2025 (Northwire) —") opening one of the first lines.
fn dateline(text: &str) -> Option<Timestamp> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(DATELINE_LINES)
        .find_map(dateline_in)
}

fn dateline_in(line: &str) -> Option<Timestamp> {
    let (place, _) = line.split_once(',')?;
    let place = place.trim();
    let letters = place.chars().filter(|c| c.is_alphabetic()).count();
    let place_ok = (2..=40).contains(&place.chars().count())
        && letters >= 2
        && place.chars().all(|c| {
            (c.is_alphabetic() && c.is_uppercase())
                || matches!(c, ' ' | '.' | '-' | '\'' | '\u{2019}')
        });
    if !place_ok {
        return None;
    }
    // Try a date after each of the first few commas ("LAKEVILLE, Conn., March 3, 2025").
    for (comma, _) in line.match_indices(',').take(4) {
        let mut cur = Cursor::new(line, comma + 1);
        let Ok(parsed) = scan_datetime(&mut cur, Mode::Lenient) else {
            continue;
        };
        let Ok(ts) = parsed.to_timestamp() else {
            continue;
        };
        cur.skip_space();
        // An optional agency: "(Northwire)" or "/PRNewswire/".
        for (open, close) in [('(', ')'), ('/', '/')] {
            let rest = cur.rest();
            if let Some(inner) = rest.strip_prefix(open) {
                if let Some(end) = inner.find(close).filter(|e| *e <= 40) {
                    cur.pos += open.len_utf8() + end + close.len_utf8();
                    cur.skip_space();
                }
            }
        }
        let rest = cur.rest();
        let dashed = ["\u{2014}", "\u{2013}", "--", "-"]
            .iter()
            .any(|d| rest.starts_with(d));
        return dashed.then_some(ts);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Sourced;
    use proptest::prelude::*;

    fn ts(s: &str) -> Timestamp {
        match parse_timestamp(s) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        }
    }

    fn problem(s: &str) -> TimestampProblem {
        match parse_timestamp(s) {
            Ok(t) => panic!("{s:?} parsed as {t}"),
            Err(e) => e.problem,
        }
    }

    #[test]
    fn calendar_fixed_points() {
        // Values from Python's datetime.
        let cases = [
            ((1970, 1, 1), 0),
            ((2023, 5, 23), 1_684_800_000_000),
            ((2000, 2, 29), 951_782_400_000),
            ((1, 1, 1), -62_135_596_800_000),
            ((1900, 3, 1), -2_203_891_200_000),
            ((2025, 3, 3), 1_740_960_000_000),
        ];
        for ((y, m, d), ms) in cases {
            assert_eq!(days_from_civil(y, m, d) * MILLIS_PER_DAY, ms, "{y}-{m}-{d}");
            assert_eq!(civil_from_days(ms / MILLIS_PER_DAY), (y, m, d));
        }
        assert_eq!(
            WEEKDAYS[weekday_of(days_from_civil(2023, 5, 23))],
            "Tuesday"
        );
    }

    #[test]
    fn rfc3339() {
        let t = ts("2023-05-23T22:33:50.746Z");
        assert_eq!(t.unix_millis, 1_684_881_230_746);
        assert_eq!(t.precision, Precision::Millisecond);
        assert_eq!(t.to_string(), "2023-05-23T22:33:50.746Z");
        assert_eq!(ts("2023-05-23T23:33:50.746+01:00"), t);
        assert_eq!(ts("2023-05-23t22:33:50.746123z"), t);
        assert_eq!(ts("2023-05-23 22:33:50.7469Z"), t);
        let s = ts("2023-05-23T22:33:50Z");
        assert_eq!(
            (s.unix_millis, s.precision),
            (1_684_881_230_000, Precision::Second)
        );
        assert_eq!(ts("2023-05-23T18:33:50-04:00"), s);
        assert_eq!(ts("2023-05-23T18:33:50-0400"), s);
        assert_eq!(ts("2023-05-23T18:33:50-04"), s);
        assert_eq!(
            ts("2024-02-29T23:30:00-05:00").unix_millis,
            1_709_267_400_000
        );
        assert_eq!(ts("2023-05-23T22:33:50").unix_millis, s.unix_millis);
        assert_eq!(
            ts("9999-12-31T23:59:59.999Z").unix_millis,
            253_402_300_799_999
        );
        let m = ts("2023-05-23T14:05+01:00");
        assert_eq!(
            (m.unix_millis, m.precision),
            (1_684_847_100_000, Precision::Minute)
        );
        assert_eq!(m.to_string(), "2023-05-23T13:05Z");
    }

    #[test]
    fn dates_alone() {
        let d = ts("2023-05-23");
        assert_eq!(
            (d.unix_millis, d.precision),
            (1_684_800_000_000, Precision::Date)
        );
        assert_eq!(d.to_string(), "2023-05-23");
        for s in [
            "May 23, 2023",
            "may 23 2023",
            "23 May 2023",
            "23rd May 2023",
            "23rd of May, 2023",
            "May 23rd, 2023",
            "Tuesday 23 May 2023",
            "Tue, May 23, 2023",
            "Tues. 23 May 2023",
            "23.05.2023",
            "  23\u{a0}May\u{a0}2023 ",
        ] {
            assert_eq!(ts(s), d, "{s}");
        }
        assert_eq!(ts("Sept. 5, 2023").to_string(), "2023-09-05");
        assert_eq!(ts("5 Sep 2023").to_string(), "2023-09-05");
    }

    #[test]
    fn human_forms_with_times() {
        let expect = 1_684_847_100_000; // 2023-05-23T13:05:00Z
        for s in [
            "Tuesday 23 May 2023 14:05 BST",
            "23 May 2023, 14:05 BST",
            "14:05 BST, 23 May 2023",
            "14:05 BST, Tuesday 23 May 2023",
            "May 23, 2023 at 2:05 p.m. BST",
            "May 23, 2023 2:05PM BST",
            "May 23, 2023 9:05 am EDT",
            "23 May 2023 13:05 UTC",
            "23 May 2023 13:05 GMT",
            "23 May 2023 14:05 GMT+1",
            "23 May 2023 14:05 +01:00",
            "23 May 2023 13:05",
        ] {
            let t = ts(s);
            assert_eq!(
                (t.unix_millis, t.precision),
                (expect, Precision::Minute),
                "{s}"
            );
        }
        assert_eq!(ts("Tue 23 May 2023 14.05 BST").unix_millis, expect);
        assert_eq!(
            ts("2023-05-23T22:33:50.7Z").to_string(),
            "2023-05-23T22:33:50.700Z"
        );
        assert_eq!(ts("May 23, 2023 12:00 am").to_string(), "2023-05-23T00:00Z");
        assert_eq!(ts("May 23, 2023 12:30 pm").to_string(), "2023-05-23T12:30Z");
    }

    #[test]
    fn errors_name_what_is_wrong() {
        assert_eq!(problem(""), TimestampProblem::Empty);
        assert_eq!(problem("   "), TimestampProblem::Empty);
        assert_eq!(problem("yesterday"), TimestampProblem::NoDate);
        assert_eq!(problem("2023-13-01"), TimestampProblem::Month(13));
        assert_eq!(
            problem("2023-02-29"),
            TimestampProblem::Day {
                year: 2023,
                month: "February",
                day: 29
            }
        );
        assert!(parse_timestamp("2024-02-29").is_ok());
        assert_eq!(problem("2023-05-23T25:00Z"), TimestampProblem::Hour(25));
        assert_eq!(problem("2023-05-23T22:61Z"), TimestampProblem::Minute(61));
        assert_eq!(
            problem("2023-05-23T22:33:61Z"),
            TimestampProblem::Second(61)
        );
        assert_eq!(problem("2023-05-23T"), TimestampProblem::MissingTime);
        assert!(matches!(
            problem("2023-05-23T10:00+24:00"),
            TimestampProblem::Offset(_)
        ));
        assert_eq!(
            problem("May 23, 2023 13:00 pm"),
            TimestampProblem::Hour12(13)
        );
        assert_eq!(
            problem("23 May 2023 14:05 IST"),
            TimestampProblem::UnknownZone("IST".into())
        );
        assert_eq!(
            problem("05/06/2023"),
            TimestampProblem::AmbiguousDate("05/06/2023".into())
        );
        assert_eq!(problem("May 23, 23"), TimestampProblem::Year);
        assert_eq!(
            problem("Monday 23 May 2023"),
            TimestampProblem::Weekday {
                date: "2023-05-23".into(),
                actual: "Tuesday",
                stated: "Monday"
            }
        );
        assert_eq!(
            problem("2023-05-23 and more"),
            TimestampProblem::Trailing("and more".into())
        );
        let e = parse_timestamp("2023-13-01").unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot read \"2023-13-01\" as a time: there is no month 13"
        );
    }

    #[test]
    fn serialises_as_rfc3339() {
        let t = ts("2023-05-23T22:33:50.746Z");
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2023-05-23T22:33:50.746Z\""
        );
        let d = ts("23 May 2023");
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2023-05-23\"");
        let back: Timestamp = serde_json::from_str("\"2023-05-23T22:33:50.746Z\"").unwrap();
        assert_eq!(back, t);
        let s = Sourced::text(d);
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            r#"{"value":"2023-05-23","from":"text"}"#
        );
    }

    #[test]
    fn ordering_and_extremes() {
        let d = ts("2023-05-23");
        let m = ts("2023-05-23T00:00Z");
        let later = ts("2023-05-23T10:00Z");
        assert!(d < m && m < later);
        // Nothing panics at the ends of the range.
        for ms in [i64::MIN, i64::MAX, -1, 0] {
            for p in [
                Precision::Date,
                Precision::Minute,
                Precision::Second,
                Precision::Millisecond,
            ] {
                let t = Timestamp::from_unix_millis(ms, p);
                assert!(!t.to_string().is_empty());
                let raw = Timestamp {
                    unix_millis: ms,
                    precision: p,
                };
                assert!(!raw.to_string().is_empty());
            }
        }
        assert_eq!(
            Timestamp::from_unix_millis(-1, Precision::Millisecond).to_string(),
            "1969-12-31T23:59:59.999Z"
        );
    }

    proptest! {
        #[test]
        fn display_round_trips(ms in -62_135_596_800_000i64..253_402_300_800_000, p in 0usize..4) {
            let precision = [Precision::Date, Precision::Minute, Precision::Second, Precision::Millisecond][p];
            let t = Timestamp::from_unix_millis(ms, precision);
            prop_assert_eq!(parse_timestamp(&t.to_string()), Ok(t));
        }

        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse_timestamp(&s);
            let _ = published_in_text(&s);
        }

        #[test]
        fn never_panics_on_date_like_noise(s in "[0-9A-Za-z:+\\-., /TZ]{0,40}") {
            let _ = parse_timestamp(&s);
            let _ = published_in_text(&format!("Published {s}"));
            let _ = published_in_text(&format!("LONDON, {s}"));
        }
    }

    #[test]
    fn cue_lines() {
        let line = "COPYRIGHT_BP: Published on https://bingepost.com/russia-declares-victory-over-belgorod-insurgents-after-unusual-cross-border-incursion/ by Cecilia Jones on 2023-05-23T22:33:50.746Z";
        let t = published_in_text(&format!("Some story.\n\n{line}\n\nMore.")).unwrap();
        assert_eq!(t.to_string(), "2023-05-23T22:33:50.746Z");
        let cases = [
            ("Published: 23 May 2023", "2023-05-23"),
            ("Posted on May 23, 2023", "2023-05-23"),
            ("Posted on May 23, 2023 by admin", "2023-05-23"),
            (
                "By Jane Doe | Published 23 May 2023, 14:05 BST",
                "2023-05-23T13:05Z",
            ),
            ("Updated 14:05 BST, 23 May 2023", "2023-05-23T13:05Z"),
            (
                "Last updated: May 24, 2023 at 9:00 am EDT",
                "2023-05-24T13:00Z",
            ),
            (
                "First published on Tue 23 May 2023 14.05 BST",
                "2023-05-23T13:05Z",
            ),
            ("Published 23.05.2023 14.05", "2023-05-23"),
            ("Published 23 May 2023 14:05 IST", "2023-05-23"),
        ];
        for (text, want) in cases {
            let got = published_in_text(&format!("Headline\n{text}\nBody text here."));
            assert_eq!(got.map(|t| t.to_string()).as_deref(), Some(want), "{text}");
        }
        // Published wins over Updated, whatever the order.
        let t = published_in_text("Updated 24 May 2023\nPublished 23 May 2023\n").unwrap();
        assert_eq!(t.to_string(), "2023-05-23");
    }

    #[test]
    fn dates_in_passing_do_not_count() {
        for text in [
            "The attack, orchestrated on May 23, 2023, led to nearby villages being evacuated.",
            "The \"Freedom of Russia\" Legion announced it. pic.twitter.com/2MjKfr0bfZ— Feher_Junior (@Feher_Junior) May 23, 2023",
            "Your email address will not be published. Required fields are marked *",
            "The RVC published video footage on May 23, 2023 showing a captured vehicle.",
            "On May 23, the Russian Ministry of Defense reported the defeat.",
            "Published: May 23",
            "Published reports say the raid began on Monday.",
            "Kerala Lottery Result Today 23.05.2023 Sthree Sakthi SS 366 Winners",
            "MOSCOW — In a bold declaration of military triumph, Moscow has announced the defeat.",
            "MOSCOW, May 23 (Reuters) - Russia said on Tuesday.",
        ] {
            assert_eq!(published_in_text(text), None, "{text}");
        }
        let long = format!("Published {} on May 23, 2023", "word ".repeat(100));
        assert_eq!(published_in_text(&long), None);
    }

    #[test]
    fn datelines() {
        let cases = [
            (
                "LAKEVILLE, March 3, 2025 (Northwire) — The council met.",
                "2025-03-03",
            ),
            (
                "LAKEVILLE, Conn., March 3, 2025 (Northwire) -- The council met.",
                "2025-03-03",
            ),
            (
                "NEW YORK, May 23, 2023 /PRNewswire/ -- Acme announced.",
                "2023-05-23",
            ),
            (
                "KYIV, 23 May 2023 \u{2013} Fighting continued.",
                "2023-05-23",
            ),
        ];
        for (text, want) in cases {
            let got = published_in_text(&format!("\n{text}\nMore text."));
            assert_eq!(got.map(|t| t.to_string()).as_deref(), Some(want), "{text}");
        }
        // Only near the top.
        let deep = format!(
            "{}LAKEVILLE, March 3, 2025 (Northwire) — x",
            "para\n".repeat(20)
        );
        assert_eq!(published_in_text(&deep), None);
        // Not a place.
        assert_eq!(published_in_text("Lakeville, March 3, 2025 — x"), None);
    }

    #[test]
    #[ignore = "needs ../shared (the seed corpus)"]
    fn seeds_state_a_time_only_in_000() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
        assert!(
            dir.is_dir(),
            "../shared/seeds not found at {}: this test needs the shared data beside the repo",
            dir.display()
        );
        let mut seen = 0;
        for (name, want) in [
            ("000_1cdc5eb8c7f642e6.txt", Some("2023-05-23T22:33:50.746Z")),
            ("001_a8465210b3e96f81.txt", None),
            ("002_0328ac7a846e38ba.txt", None),
            ("003_19e4bcb3ec40c178.txt", None),
            ("004_312e8d815515b10d.txt", None),
        ] {
            let text = std::fs::read_to_string(dir.join(name))
                .unwrap_or_else(|e| panic!("cannot read seed {name}: {e}"));
            let got = published_in_text(&text).map(|t| t.to_string());
            assert_eq!(got.as_deref(), want, "{name}");
            seen += 1;
        }
        assert_eq!(seen, 5);
    }
}
