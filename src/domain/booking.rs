//! A staff member's bookings and their clashes (issue 19): one person cannot
//! be in two homes at once. An agreement's visits clash with another
//! agreement's when both put the same person on a day both terms run with
//! overlapping hours; a job clashes with the person's other open jobs whose
//! times overlap. Clashes are warnings with the other booking named, never
//! refusals: the desk may know the other visit will move.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::Schedule;

/// How long a job without agreed hours is taken to keep its staff member
/// busy from the appointment: an ordinary call-out is about an hour.
pub const ASSUMED_JOB_MINUTES: i64 = 60;

/// When a staff member is booked: `start` up to (not including) `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Booking {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}

impl Booking {
    /// A job from its appointment for `minutes` (agreed hours), or for
    /// [`ASSUMED_JOB_MINUTES`] when it has none.
    pub fn of_job(appointment: NaiveDateTime, minutes: Option<i64>) -> Booking {
        let minutes = minutes.filter(|m| *m > 0).unwrap_or(ASSUMED_JOB_MINUTES);
        Booking { start: appointment, end: appointment + Duration::minutes(minutes) }
    }

    pub fn overlaps(&self, other: &Booking) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// The first visit of `a` (over the days `a_days`) that falls when a visit
/// of `b` (over `b_days`) is under way; `None` when they never meet.
pub fn first_clash(
    a: &Schedule,
    a_days: (NaiveDate, NaiveDate),
    b: &Schedule,
    b_days: (NaiveDate, NaiveDate),
) -> Option<NaiveDateTime> {
    if !(a.start() < b.end() && b.start() < a.end()) {
        return None;
    }
    let (from, to) = (a_days.0.max(b_days.0), a_days.1.min(b_days.1));
    let theirs = b.visits_between(from, to);
    a.visits_between(from, to).into_iter().find(|visit| theirs.iter().any(|t| t.date() == visit.date()))
}

/// A clash named for the clerk: who, when, and the other booking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub staff: String,
    pub at: NaiveDateTime,
    /// The other booking's number (a register row or an agreement), or its
    /// room when it has none yet (a draft).
    pub with: String,
    pub room: String,
}

#[cfg(test)]
mod tests {
    use chrono::NaiveTime;

    use super::*;

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn r_dsp_4_two_agreements_clash_on_a_shared_day_with_overlapping_hours() {
        let mwf = Schedule::Weekly { days: vec![1, 3, 5], start: time(9, 0), end: time(10, 0) };
        let wed = Schedule::Weekly { days: vec![3], start: time(9, 30), end: time(10, 30) };
        let term = (day("2026-03-02"), day("2026-08-31"));
        assert_eq!(first_clash(&mwf, term, &wed, term), Some(day("2026-03-04").and_time(time(9, 0))));
        let afternoon = Schedule::Weekly { days: vec![3], start: time(10, 0), end: time(11, 0) };
        assert_eq!(first_clash(&mwf, term, &afternoon, term), None, "one ends as the other begins");
        let tue = Schedule::Weekly { days: vec![2], start: time(9, 0), end: time(10, 0) };
        assert_eq!(first_clash(&mwf, term, &tue, term), None);
        let later = (day("2026-09-01"), day("2027-02-28"));
        assert_eq!(first_clash(&mwf, term, &wed, later), None, "the terms do not meet");
    }

    #[test]
    fn r_dsp_1_a_job_is_taken_to_last_an_hour_unless_its_hours_are_agreed() {
        let at = day("2026-03-04").and_time(time(9, 0));
        let visit = Booking::of_job(at, Some(120));
        assert!(visit.overlaps(&Booking::of_job(at + Duration::minutes(90), None)));
        assert!(!Booking::of_job(at, None).overlaps(&Booking::of_job(at + Duration::minutes(60), None)));
    }
}
