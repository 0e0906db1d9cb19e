//! The figures of a month or any days (R-RV-4: the 统计 tab and the
//! 居家服务情况统计分析报告), read-only: load the period's facts through
//! `store`, compute in `domain::stats`. Runs on a [`HomeDesk::reader`] too,
//! so the UI can compute on a worker thread.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::{HomeDesk, Result};
use crate::domain::stats::{Facts, Figures, Period, RequestFact, TrendMonth, figures, opening_month, trend};
use crate::domain::{RevisitError, RevisitPlan, ShoppingEntry, month_start};
use crate::store::ShoppingQuery;

/// How many months the trend (the charts) covers, the period's last month included.
pub const TREND_MONTHS: u32 = 12;

/// The first days of the [`TREND_MONTHS`] months up to `last_day`'s, oldest first.
pub fn trend_months(last_day: NaiveDate) -> Vec<NaiveDate> {
    let end = last_day.with_day(1).unwrap_or(last_day);
    (0..TREND_MONTHS).rev().filter_map(|back| end.checked_sub_months(chrono::Months::new(back))).collect()
}

fn day_start(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(0, 0, 0).unwrap_or_default()
}

/// The months `YYYY-MM` whose first day falls in `[from, to)`: their plans
/// are the period's (a plan covers the households served in its month).
fn months_in(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut months = Vec::new();
    let mut first = from.with_day(1).unwrap_or(from);
    if first < from {
        first = first.checked_add_months(chrono::Months::new(1)).unwrap_or(to);
    }
    while first < to {
        months.push(first.format("%Y-%m").to_string());
        first = first.checked_add_months(chrono::Months::new(1)).unwrap_or(to);
    }
    months
}

impl HomeDesk {
    /// Every figure of the days `[from, to)` (`to` is the first day after).
    pub fn figures(&self, from: NaiveDate, to: NaiveDate) -> Result<Figures> {
        Ok(self.figures_and_rows(from, to)?.0)
    }

    /// The figures of `[from, to)` and the register rows they count, for
    /// the rows behind a figure (`domain::stats::rows_behind`).
    pub fn figures_and_rows(&self, from: NaiveDate, to: NaiveDate) -> Result<(Figures, Vec<RequestFact>)> {
        let to = to.max(from);
        let facts = self.period_facts(from, to)?;
        let figures = figures(Period { from, to }, &facts, self.now());
        Ok((figures, facts.requests))
    }

    /// The month the 统计 tab opens on (`domain::stats::opening_month`).
    pub fn stats_opening_month(&self) -> Result<String> {
        let today = self.now().date();
        let this_month = today.with_day(1).unwrap_or(today);
        Ok(opening_month(today, self.store.latest_row_day_before(this_month)?))
    }

    /// The figures of a month `YYYY-MM`.
    pub fn month_figures(&self, month: &str) -> Result<Figures> {
        let from = month_start(month).ok_or(RevisitError::BadMonth)?;
        let to = from.checked_add_months(chrono::Months::new(1)).ok_or(RevisitError::BadMonth)?;
        self.figures(from, to)
    }

    /// The [`TREND_MONTHS`] months up to `last_day`'s: the register rows
    /// read and tallied a month at a time (a year's rows held at once were
    /// most of the 统计 tab's memory, issue 23), the months' revisit plans
    /// read together (a plan a month was three round trips each on a
    /// server; the year's plans are a few hundred households a month).
    pub fn trend(&self, last_day: NaiveDate) -> Result<Vec<TrendMonth>> {
        let firsts = trend_months(last_day);
        let (Some(&start), Some(&end)) = (firsts.first(), firsts.last()) else { return Ok(Vec::new()) };
        let end = end.checked_add_months(chrono::Months::new(1)).unwrap_or(end);
        let plans = self.plans_of(start, end)?;
        let mut months = Vec::new();
        for first in firsts {
            let to = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first);
            let requests = self.store.request_facts(day_start(first), day_start(to))?;
            months.extend(trend(&[first], &requests, &plans));
        }
        Ok(months)
    }

    fn period_facts(&self, from: NaiveDate, to: NaiveDate) -> Result<Facts> {
        let (start, end) = (day_start(from), day_start(to));
        let last_day = to.pred_opt().unwrap_or(from);
        let store = &self.store;
        Ok(Facts {
            requests: store.request_facts(start, end)?,
            refusals: store.refusal_facts(start, end)?,
            collections: store.list_collections(from, last_day)?,
            cash_receipts: store.list_cash_receipts(from, last_day)?,
            agreements: store.agreement_facts(from, to)?,
            shopping: self.shopping_taken(from, last_day)?,
            shopping_numbers: store.shopping_numbers()?,
            plans: self.plans_of(from, to)?,
            complaints: store.complaints_between(start, end)?,
        })
    }

    /// Entries taken on the days `from ..= last_day`, void ones included.
    fn shopping_taken(&self, from: NaiveDate, last_day: NaiveDate) -> Result<Vec<ShoppingEntry>> {
        if last_day < from {
            return Ok(Vec::new());
        }
        let query = ShoppingQuery { from: Some(from), to: Some(last_day), ..ShoppingQuery::default() };
        Ok(self.store.list_shopping(&query)?)
    }

    /// The saved monthly plans of the months starting in `[from, to)`, read together.
    fn plans_of(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<RevisitPlan>> {
        let months = months_in(from, to);
        match (months.first(), months.last()) {
            (Some(first), Some(last)) => Ok(self.store.monthly_plans(first, last)?),
            _ => Ok(Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn the_trend_covers_twelve_months_up_to_the_periods_last() {
        let months = trend_months(day("2026-10-15"));
        assert_eq!(months.len(), 12);
        assert_eq!(months[0], day("2025-11-01"));
        assert_eq!(months[11], day("2026-10-01"));
    }

    #[test]
    fn a_period_holds_the_plans_of_the_months_starting_in_it() {
        assert_eq!(months_in(day("2026-03-01"), day("2026-04-01")), vec!["2026-03"]);
        assert_eq!(months_in(day("2026-03-15"), day("2026-05-01")), vec!["2026-04"]);
        assert_eq!(months_in(day("2026-03-01"), day("2026-03-10")), vec!["2026-03"]);
        assert!(months_in(day("2026-03-02"), day("2026-03-10")).is_empty());
    }
}
