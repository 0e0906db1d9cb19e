//! Date-times as the database keeps them — `YYYY-MM-DD HH:MM:SS`, the text
//! rusqlite's chrono support writes — turned to and from chrono values
//! without chrono's strftime machinery, which parses its format string
//! again on every call (a tenth of building the ten-year demo office, most
//! of it on the register row's eight times and the job steps' history).
//!
//! The text is exactly what rusqlite writes, so rows written either way
//! compare and sort alike in SQL. Anything but the plain shape (fractions of
//! a second, a `T` between date and time, years outside 0–9999) goes through
//! rusqlite's own conversion, as before.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use super::sql::Value;

/// A date-time bound to or read from a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp(pub NaiveDateTime);

impl ToSql for Stamp {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        match stamp_text(self.0) {
            Some(text) => Ok(ToSqlOutput::from(text)),
            None => self.0.to_sql(),
        }
    }
}

impl FromSql for Stamp {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value.as_str().ok().and_then(parse_stamp) {
            Some(at) => Ok(Stamp(at)),
            None => NaiveDateTime::column_result(value).map(Stamp),
        }
    }
}

impl From<Stamp> for Value {
    /// The text [`Stamp`]'s `ToSql` writes, for the shared layer.
    fn from(stamp: Stamp) -> Value {
        Value::Text(stamp_text(stamp.0).unwrap_or_else(|| stamp.0.format("%F %T%.f").to_string()))
    }
}

impl Stamp {
    /// A date-time read through the shared layer, as [`Stamp`]'s `FromSql` reads it.
    pub(super) fn read(value: &Value) -> rusqlite::Result<Stamp> {
        Stamp::column_result(value.as_value_ref()).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, value.as_value_ref().data_type(), e.into())
        })
    }
}

/// `YYYY-MM-DD HH:MM`: how the change history shows a time.
pub(super) fn minute_text(at: NaiveDateTime) -> String {
    plain_minute_text(at).unwrap_or_else(|| at.format("%Y-%m-%d %H:%M").to_string())
}

/// `YYYY-MM-DD HH:MM:SS`, or `None` where chrono writes something else.
fn stamp_text(at: NaiveDateTime) -> Option<String> {
    if at.nanosecond() != 0 {
        return None;
    }
    let mut text = plain_minute_text(at)?;
    text.push(':');
    push_two(&mut text, at.second());
    Some(text)
}

/// `YYYY-MM-DD HH:MM`, or `None` for a year chrono writes with a sign.
fn plain_minute_text(at: NaiveDateTime) -> Option<String> {
    let mut text = day_text(at.date())?;
    text.push(' ');
    push_two(&mut text, at.hour());
    text.push(':');
    push_two(&mut text, at.minute());
    Some(text)
}

/// `YYYY-MM-DD`, or `None` for a year chrono writes with a sign.
fn day_text(day: NaiveDate) -> Option<String> {
    let year = u32::try_from(day.year()).ok().filter(|y| *y <= 9999)?;
    let mut text = String::with_capacity(19);
    push_two(&mut text, year / 100);
    push_two(&mut text, year % 100);
    text.push('-');
    push_two(&mut text, day.month());
    text.push('-');
    push_two(&mut text, day.day());
    Some(text)
}

fn push_two(text: &mut String, n: u32) {
    text.push(char::from(b'0' + (n / 10 % 10) as u8));
    text.push(char::from(b'0' + (n % 10) as u8));
}

/// `YYYY-MM-DD HH:MM:SS` exactly; `None` for any other text.
fn parse_stamp(text: &str) -> Option<NaiveDateTime> {
    let b = text.as_bytes();
    if b.len() != 19 || b[10] != b' ' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let day = parse_day(text.get(..10)?)?;
    day.and_hms_opt(digits(&b[11..13])?, digits(&b[14..16])?, digits(&b[17..19])?)
}

/// `YYYY-MM-DD` exactly; `None` for any other text.
fn parse_day(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(&b[..4])?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(&b[5..7])?, digits(&b[8..10])?)
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, NaiveTime};

    use super::*;

    fn chrono_text(at: NaiveDateTime) -> String {
        at.format("%F %T%.f").to_string()
    }

    fn samples() -> Vec<NaiveDateTime> {
        let mut at = NaiveDate::from_ymd_opt(1999, 12, 31).unwrap().and_hms_opt(23, 59, 59).unwrap();
        let mut all = vec![
            NaiveDate::from_ymd_opt(0, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap(),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap().and_hms_opt(23, 59, 59).unwrap(),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap().and_hms_opt(8, 5, 3).unwrap(),
        ];
        for _ in 0..5000 {
            at += Duration::seconds(2_718_281);
            all.push(at);
        }
        all
    }

    #[test]
    fn a_stamp_is_written_as_rusqlite_writes_a_date_time() {
        for at in samples() {
            assert_eq!(stamp_text(at).as_deref(), Some(chrono_text(at).as_str()));
            assert_eq!(day_text(at.date()), Some(at.date().format("%F").to_string()));
            assert_eq!(minute_text(at), at.format("%Y-%m-%d %H:%M").to_string());
        }
    }

    #[test]
    fn a_stamp_reads_back_what_rusqlite_wrote() {
        for at in samples() {
            assert_eq!(parse_stamp(&chrono_text(at)), Some(at));
            assert_eq!(parse_day(&at.date().format("%F").to_string()), Some(at.date()));
        }
    }

    #[test]
    fn a_stamp_through_the_shared_layer_is_the_text_rusqlite_writes() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let fraction = day.and_time(NaiveTime::from_hms_milli_opt(9, 30, 0, 250).unwrap());
        for at in samples().into_iter().chain([fraction]) {
            let value = Value::from(Stamp(at));
            assert_eq!(value, Value::Text(chrono_text(at)));
            assert_eq!(Stamp::read(&value).unwrap(), Stamp(at));
        }
        assert!(Stamp::read(&Value::Null).is_err());
    }

    #[test]
    fn text_of_another_shape_is_left_to_chrono() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let fraction = day.and_time(NaiveTime::from_hms_milli_opt(9, 30, 0, 250).unwrap());
        assert_eq!(stamp_text(fraction), None);
        let far = NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(stamp_text(far), None);
        assert_eq!(minute_text(far), "+10000-01-01 00:00");
        for text in
            ["2026-11-23T09:30:00", "2026-11-23 09:30:00.250", "2026-11-23 9:30:00", "2026-02-30 09:30:00"]
        {
            assert_eq!(parse_stamp(text), None, "{text}");
        }
        let read = |text: &str| Stamp::column_result(ValueRef::Text(text.as_bytes())).ok().map(|s| s.0);
        assert_eq!(read("2026-11-23 09:30:00.250"), Some(fraction));
        assert_eq!(read("2026-11-23T09:30:00"), Some(day.and_hms_opt(9, 30, 0).unwrap()));
        assert_eq!(read("2026-02-30 09:30:00"), None);
        assert_eq!(read("2026-11-23 09:30:00"), Some(day.and_hms_opt(9, 30, 0).unwrap()));
    }
}
