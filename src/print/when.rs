//! How the forms write dates and times (`2026年3月2日 14:30`, as Chinese
//! forms write them — no leading zero on the month or day —, one style for
//! every form but the ledger): filled in when known, otherwise the same
//! pattern with room to write by hand, as underlined blanks in a sentence
//! (`____年__月__日 __:__`) or as spaces in a ruled cell (`　　年　　月　　日`).

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::grid::GridCell;
use super::inline::{Run, template_runs};
use crate::i18n::{fill, t};

/// Room for a year written by hand, and for two digits.
const YEAR_MM: f32 = 12.0;
const TWO_DIGITS_MM: f32 = 7.0;
const MONTH_NAME_MM: f32 = 20.0;
/// What stands for a part left to write in a ruled cell.
const SPACE: &str = "　　";

/// The `{year}` … `{minute}` parts of `at`, each with the least length of
/// its blank; empty when `at` is unknown.
pub(crate) fn datetime_parts(at: Option<NaiveDateTime>) -> [(&'static str, String, f32); 5] {
    let part = |format: &str| at.map(|at| at.format(format).to_string()).unwrap_or_default();
    [
        ("year", part("%Y"), YEAR_MM),
        // 3月 in Chinese, 3 July in English.
        ("month", at.map(|at| t().month_word(at.month()).to_string()).unwrap_or_default(), month_mm()),
        ("day", part("%-d"), TWO_DIGITS_MM),
        ("hour", part("%H"), TWO_DIGITS_MM),
        ("minute", part("%M"), TWO_DIGITS_MM),
    ]
}

/// The parts of `at` as blanks, for a template with those placeholders.
pub(crate) fn datetime_blanks(at: Option<NaiveDateTime>) -> Vec<(&'static str, Run)> {
    datetime_parts(at).into_iter().map(|(name, value, min_mm)| (name, Run::blank(value, min_mm))).collect()
}

/// `at` as blanks in a line: `2026年3月2日 14:30` over the underlines.
pub(crate) fn datetime_runs(at: Option<NaiveDateTime>) -> Vec<Run> {
    template_runs(t().form_datetime, &datetime_blanks(at))
}

/// `day` as blanks in a line: `2026年3月2日` over the underlines.
pub(crate) fn date_runs(day: Option<NaiveDate>) -> Vec<Run> {
    template_runs(t().form_date, &datetime_blanks(day.and_then(|d| d.and_hms_opt(0, 0, 0)))[..3])
}

/// `at` as the text of a cell, or the pattern with spaces to write in.
pub(crate) fn datetime_text(at: Option<NaiveDateTime>) -> String {
    fill_parts(t().form_datetime, &datetime_parts(at))
}

/// `day` as the text of a cell, or the pattern with spaces to write in.
pub(crate) fn date_text(day: Option<NaiveDate>) -> String {
    fill_parts(t().form_date, &datetime_parts(day.and_then(|d| d.and_hms_opt(0, 0, 0)))[..3])
}

/// `2026年3月2日`: a day known, as a header or a sentence writes it.
pub(crate) fn day_text(day: NaiveDate) -> String {
    date_text(Some(day))
}

/// A ruled cell holding `at`, or the pattern with room to write in (as
/// runs: a text cell would trim the room left for the year).
pub(crate) fn datetime_cell(at: Option<NaiveDateTime>, width_mm: f32) -> GridCell {
    GridCell::runs(vec![Run::text(datetime_text(at))], width_mm)
}

/// A ruled cell holding `day`, or the pattern with room to write in.
pub(crate) fn date_cell(day: Option<NaiveDate>, width_mm: f32) -> GridCell {
    GridCell::runs(vec![Run::text(date_text(day))], width_mm)
}

/// Room for the month: two digits, or the longest month name (September).
fn month_mm() -> f32 {
    if t().month_word(9).chars().count() > 2 { MONTH_NAME_MM } else { TWO_DIGITS_MM }
}

fn fill_parts(template: &str, parts: &[(&str, String, f32)]) -> String {
    let values: Vec<&str> =
        parts.iter().map(|(_, value, _)| if value.is_empty() { SPACE } else { value.as_str() }).collect();
    let args: Vec<(&str, &dyn std::fmt::Display)> = parts
        .iter()
        .zip(&values)
        .map(|((name, _, _), value)| (*name, value as &dyn std::fmt::Display))
        .collect();
    fill(template, &args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_times_are_filled_and_unknown_ones_left_to_write() {
        let at = NaiveDate::from_ymd_opt(2026, 3, 2).and_then(|d| d.and_hms_opt(14, 30, 0));
        assert_eq!(datetime_text(at), "2026年3月2日 14:30");
        assert_eq!(date_text(at.map(|at| at.date())), "2026年3月2日");
        let late = NaiveDate::from_ymd_opt(2026, 11, 22).and_then(|d| d.and_hms_opt(9, 5, 0));
        assert_eq!(datetime_text(late), "2026年11月22日 09:05");
        assert_eq!(date_text(None), "　　年　　月　　日");
        let blanks = datetime_runs(None).iter().filter(|r| matches!(r, Run::Blank { .. })).count();
        assert_eq!(blanks, 5);
        assert_eq!(date_runs(None).len(), 6);
    }
}
