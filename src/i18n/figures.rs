//! How a figure of `domain::stats` reads to a person: shares as percentages,
//! minutes, money, and a tally's key in the clerk's words. Shared by the
//! `report` text and the 统计 tab, so both say the same thing the same way.
//! Must not: compute a figure (that is `domain::stats`).

use super::Texts;
use crate::domain::stats::Tally;
use crate::domain::{Desk, Money, RegisterKind};

/// `‰` as a percentage with one decimal (`925` → `92.5%`), or a dash.
pub fn percent(per_mille: Option<u32>, t: &Texts) -> String {
    per_mille.map_or_else(|| t.cli_report_no_value.to_string(), |p| format!("{}.{}%", p / 10, p % 10))
}

/// Minutes, or a dash when there is nothing to measure.
pub fn minutes(value: Option<i64>, t: &Texts) -> String {
    value.map_or_else(|| t.cli_report_no_value.to_string(), |m| m.to_string())
}

/// Fen as money text (`¥12.50`); a value `Money` refuses is shown as it is.
pub fn money(fen: i64) -> String {
    Money::from_fen(fen).map_or_else(|| fen.to_string(), |m| m.to_string())
}

/// A register or desk code in the clerk's words; other keys as they are.
pub fn key_name(key: &str, t: &Texts) -> String {
    if let Some(kind) = RegisterKind::from_code(key) {
        return t.kind(kind).to_string();
    }
    if let Some(desk) = Desk::from_code(key) {
        return t.desk(desk).to_string();
    }
    if let Some(bucket) = t.completion_bucket(key) {
        return bucket.to_string();
    }
    if key.is_empty() { t.cli_report_no_value.to_string() } else { key.to_string() }
}

/// Tallies on one line (`家政 3；维修 1`), or 无.
pub fn tallies(list: &[Tally], t: &Texts) -> String {
    if list.is_empty() {
        return t.cli_report_none.to_string();
    }
    list.iter().map(|x| format!("{} {}", key_name(&x.key, t), x.count)).collect::<Vec<_>>().join("；")
}

/// The shopping log's missing numbers (飞单) in a line, or 无.
pub fn missing_numbers(numbers: &[i64], t: &Texts) -> String {
    if numbers.is_empty() {
        return t.cli_report_none.to_string();
    }
    numbers
        .iter()
        .map(|n| crate::domain::shopping_no_text(*n))
        .collect::<Vec<_>>()
        .join(crate::i18n::t().list_sep)
}

/// The headings of the per-staff table (统计 tab, its Excel sheet).
pub fn staff_headings(t: &Texts) -> [&'static str; 9] {
    [
        t.st_col_staff,
        t.st_col_jobs,
        t.st_col_finished,
        t.st_col_cancelled,
        t.st_col_not_home,
        t.st_col_reschedules,
        t.st_col_breached,
        t.st_col_collected,
        t.st_col_complaints,
    ]
}
