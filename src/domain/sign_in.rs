//! How often a login may be tried: after [`FREE_FAILURES`] wrong passwords
//! within [`FAILURE_WINDOW`], each next try waits longer — 30 s, 1, 2, 4, 8
//! minutes, at most [`LONGEST_WAIT`] — counted from the latest failure. The
//! failures are stored with the office (so the wait holds for every PC and
//! every `homedesk` process) and shown in 变更记录; here only the rule, with
//! `now` passed in.

use chrono::{Duration, NaiveDateTime};

/// Wrong passwords in a row that cost nothing: a clerk mistyping.
pub const FREE_FAILURES: usize = 5;

/// Failures older than this are forgotten.
pub const FAILURE_WINDOW: Duration = Duration::minutes(15);

/// The wait after the sixth failure; each further failure doubles it.
pub const FIRST_WAIT: Duration = Duration::seconds(30);

/// No login waits longer than this after its latest failure.
pub const LONGEST_WAIT: Duration = Duration::minutes(15);

/// Until when a login may not be tried, given its failed sign-ins (any
/// order); `None` when it may be tried now.
pub fn sign_in_locked_until(failures: &[NaiveDateTime], now: NaiveDateTime) -> Option<NaiveDateTime> {
    let recent: Vec<NaiveDateTime> =
        failures.iter().copied().filter(|at| *at > now - FAILURE_WINDOW).collect();
    let beyond = recent.len().checked_sub(FREE_FAILURES)?;
    let latest = recent.iter().max()?;
    let doublings = u32::try_from(beyond).unwrap_or(u32::MAX).min(16);
    let wait = (FIRST_WAIT * 2_i32.pow(doublings)).min(LONGEST_WAIT);
    let until = *latest + wait;
    (until > now).then_some(until)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64, second: i64) -> NaiveDateTime {
        let start = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).and_then(|d| d.and_hms_opt(10, 0, 0));
        start.unwrap_or_default() + Duration::minutes(minute) + Duration::seconds(second)
    }

    #[test]
    fn five_failures_are_free_then_each_next_try_waits_longer() {
        let mut failures: Vec<NaiveDateTime> = (0..5).map(|i| at(0, i)).collect();
        assert_eq!(sign_in_locked_until(&failures, at(0, 5)), Some(at(0, 34)));
        failures.truncate(4);
        assert_eq!(sign_in_locked_until(&failures, at(0, 5)), None);
        failures.push(at(0, 4));
        failures.push(at(0, 40));
        assert_eq!(sign_in_locked_until(&failures, at(0, 41)), Some(at(1, 40)));
        let many: Vec<NaiveDateTime> = (0..40).map(|i| at(0, i)).collect();
        assert_eq!(sign_in_locked_until(&many, at(0, 40)), Some(at(15, 39)));
    }

    #[test]
    fn failures_older_than_the_window_are_forgotten() {
        let failures: Vec<NaiveDateTime> = (0..10).map(|i| at(0, i)).collect();
        assert_eq!(sign_in_locked_until(&failures, at(15, 10)), None);
    }
}
