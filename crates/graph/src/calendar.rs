//! Calendar arithmetic on the proleptic Gregorian calendar, after Howard Hinnant's
//! "chrono-Compatible Low-Level Date Algorithms": days since 1970-01-01 to and from civil dates,
//! month and weekday names. Shared by the date grammar of [`crate::corpus`] and by anything that
//! writes dates (the corpus generator).
//!
//! ```
//! use stemma_graph::{civil_from_days, days_from_civil, weekday_of, WEEKDAYS};
//! assert_eq!(civil_from_days(20_150), (2025, 3, 3));
//! assert_eq!(days_from_civil(2025, 3, 3), 20_150);
//! assert_eq!(WEEKDAYS[weekday_of(20_150)], "Monday");
//! ```

/// Days since 1970-01-01 of a valid civil date.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month 1–12, day 1–31) of a count of days since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let small = |v: i64| u32::try_from(v).expect("day and month are in range by construction");
    (year, small(month), small(day))
}

/// Whether `year` has a 29 February.
pub fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days in `month` (1–12) of `year`.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// English month names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// English weekday names, Monday first ([`weekday_of`] indexes them).
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The weekday of a count of days since 1970-01-01: Monday = 0 … Sunday = 6.
pub fn weekday_of(days: i64) -> usize {
    // 1970-01-01 was a Thursday.
    usize::try_from((days + 3).rem_euclid(7)).expect("rem_euclid(7) is in 0..7")
}
