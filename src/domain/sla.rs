//! The repair commitments (R-SLA-1, R-SLA-2): which promise a repair row
//! carries, when it falls due, how waiting on the resident pauses the clock,
//! and whether the row is on time, close to its deadline, met or breached.
//!
//! Pure: the caller passes the row's times and `now`.

use chrono::{Duration, NaiveDateTime, Timelike};

use super::{Request, RequestStatus, Urgency};

/// The promise a repair row carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Commitment {
    /// R-SLA-1: a small problem is solved within 24 hours.
    SolveIn24Hours,
    /// R-SLA-1: a big problem is answered within 3 days.
    AnswerIn3Days,
    /// R-SLA-2: an emergency between 09:00 and 22:00 is reached within 10 minutes.
    ReachIn10Minutes,
}

impl Commitment {
    /// How long the promise gives, before any pause.
    pub fn allowance(self) -> Duration {
        match self {
            Commitment::SolveIn24Hours => Duration::hours(24),
            Commitment::AnswerIn3Days => Duration::days(3),
            Commitment::ReachIn10Minutes => Duration::minutes(10),
        }
    }

    /// From how close to the deadline a row is flagged, so the desk can act
    /// before it breaches.
    pub fn warning(self) -> Duration {
        match self {
            Commitment::SolveIn24Hours => Duration::hours(4),
            Commitment::AnswerIn3Days => Duration::hours(12),
            Commitment::ReachIn10Minutes => Duration::minutes(3),
        }
    }

    /// The moment that keeps the promise: solved (the job is done) for a small
    /// problem; someone on site for a big problem or an emergency.
    pub fn met_at(self, times: &RepairTimes) -> Option<NaiveDateTime> {
        match self {
            Commitment::SolveIn24Hours => times.finished_at,
            Commitment::AnswerIn3Days | Commitment::ReachIn10Minutes => {
                times.arrived_at.or(times.finished_at)
            }
        }
    }
}

/// R-SLA-2: the 10-minute promise holds for emergencies received from 09:00
/// up to (not including) 22:00.
pub fn emergency_hours(at: NaiveDateTime) -> bool {
    (9..22).contains(&at.hour())
}

/// The promise of a repair row received at `received_at`; none for an
/// emergency outside the hours of R-SLA-2 (it is still reached as soon as possible).
pub fn commitment(urgency: Urgency, received_at: NaiveDateTime) -> Option<Commitment> {
    match urgency {
        Urgency::Small => Some(Commitment::SolveIn24Hours),
        Urgency::Big => Some(Commitment::AnswerIn3Days),
        Urgency::Emergency if emergency_hours(received_at) => Some(Commitment::ReachIn10Minutes),
        Urgency::Emergency => None,
    }
}

/// Time spent waiting because the resident asked to postpone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pause {
    pub from: NaiveDateTime,
    pub until: NaiveDateTime,
    pub reason: String,
}

/// What the SLA clock needs of a repair row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RepairTimes {
    /// The appointment agreed at intake: a resident who books a later visit
    /// starts the clock then, not at the call.
    pub booked_at: Option<NaiveDateTime>,
    pub arrived_at: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
    pub pauses: Vec<Pause>,
}

impl RepairTimes {
    /// When the clock of `commitment` starts: for an emergency the call
    /// (R-SLA-2: staff reach the home within 10 minutes of it, whatever
    /// time was written in the appointment field); otherwise the call, or
    /// the visit the resident booked if later.
    pub fn clock_start(&self, commitment: Commitment, received_at: NaiveDateTime) -> NaiveDateTime {
        match commitment {
            Commitment::ReachIn10Minutes => received_at,
            Commitment::SolveIn24Hours | Commitment::AnswerIn3Days => {
                self.booked_at.map_or(received_at, |booked| booked.max(received_at))
            }
        }
    }
}

/// The deadline: the allowance counted from receipt, with every pause the
/// resident asked for added on. Pauses overlapping each other count once.
pub fn deadline(commitment: Commitment, received_at: NaiveDateTime, pauses: &[Pause]) -> NaiveDateTime {
    let mut spans: Vec<(NaiveDateTime, NaiveDateTime)> = pauses
        .iter()
        .map(|p| (p.from.max(received_at), p.until))
        .filter(|(from, until)| until > from)
        .collect();
    spans.sort();
    let mut due = received_at + commitment.allowance();
    let mut counted_to = received_at;
    for (from, until) in spans {
        // Only a pause that starts before the (so far extended) deadline moves it.
        if from >= due {
            break;
        }
        let from = from.max(counted_to);
        if until > from {
            due += until - from;
            counted_to = until;
        }
    }
    due
}

/// Where a repair row stands against its promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaState {
    /// Kept: met at or before the deadline.
    Met,
    /// Met, but after the deadline.
    MetLate { over: Duration },
    /// Open, with time to spare.
    Running { left: Duration },
    /// Open and within the warning time of the deadline.
    DueSoon { left: Duration },
    /// Open and past the deadline.
    Breached { over: Duration },
}

impl SlaState {
    /// A breach, whether still open or met late: these are listed.
    pub fn is_breach(self) -> bool {
        matches!(self, SlaState::Breached { .. } | SlaState::MetLate { .. })
    }
}

/// The state of a row against `commitment` at `now`.
pub fn sla_state(
    commitment: Commitment,
    due: NaiveDateTime,
    met_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> SlaState {
    match met_at {
        Some(met) if met <= due => SlaState::Met,
        Some(met) => SlaState::MetLate { over: met - due },
        None if now > due => SlaState::Breached { over: now - due },
        None if due - now <= commitment.warning() => SlaState::DueSoon { left: due - now },
        None => SlaState::Running { left: due - now },
    }
}

/// One repair row's promise, deadline and state, for the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaView {
    pub commitment: Commitment,
    pub due: NaiveDateTime,
    pub state: SlaState,
}

/// The judgement for a register row: `None` for a row with no urgency (not
/// a repair), a cancelled or relayed one, or an emergency outside the hours.
pub fn repair_sla(row: &Request, times: &RepairTimes, now: NaiveDateTime) -> Option<SlaView> {
    if matches!(row.status, RequestStatus::Cancelled | RequestStatus::Relayed) {
        return None;
    }
    sla_view(row.urgency?, row.received_at, times, now)
}

/// The whole judgement for one repair row; `None` when it carries no promise.
pub fn sla_view(
    urgency: Urgency,
    received_at: NaiveDateTime,
    times: &RepairTimes,
    now: NaiveDateTime,
) -> Option<SlaView> {
    let commitment = commitment(urgency, received_at)?;
    let due = deadline(commitment, times.clock_start(commitment, received_at), &times.pauses);
    let state = sla_state(commitment, due, commitment.met_at(times), now);
    Some(SlaView { commitment, due, state })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    fn pause(from: &str, until: &str) -> Pause {
        Pause { from: at(from), until: at(until), reason: "住户要求改到明天".into() }
    }

    #[test]
    fn r_sla_1_a_small_problem_is_solved_within_24_hours() {
        let received = at("2026-03-02 10:00");
        let view = |times: &RepairTimes, now| sla_view(Urgency::Small, received, times, at(now));
        let open = RepairTimes::default();
        let due = at("2026-03-03 10:00");
        assert_eq!(view(&open, "2026-03-02 12:00").map(|v| v.due), Some(due));
        assert!(matches!(view(&open, "2026-03-02 12:00").map(|v| v.state), Some(SlaState::Running { .. })));
        assert!(matches!(view(&open, "2026-03-03 07:00").map(|v| v.state), Some(SlaState::DueSoon { .. })));
        assert!(matches!(view(&open, "2026-03-03 10:01").map(|v| v.state), Some(SlaState::Breached { .. })));
        // Arriving is not solving: only the finished job keeps a small-problem promise.
        let arrived = RepairTimes { arrived_at: Some(at("2026-03-02 11:00")), ..RepairTimes::default() };
        assert!(matches!(
            view(&arrived, "2026-03-03 11:00").map(|v| v.state),
            Some(SlaState::Breached { .. })
        ));
        let solved = RepairTimes { finished_at: Some(at("2026-03-03 09:00")), ..RepairTimes::default() };
        assert_eq!(view(&solved, "2026-03-04 09:00").map(|v| v.state), Some(SlaState::Met));
    }

    #[test]
    fn r_sla_1_a_big_problem_is_answered_within_3_days() {
        let received = at("2026-03-02 10:00");
        let late = RepairTimes { arrived_at: Some(at("2026-03-05 11:00")), ..RepairTimes::default() };
        let view = sla_view(Urgency::Big, received, &late, at("2026-03-06 09:00"));
        assert_eq!(view.map(|v| v.due), Some(at("2026-03-05 10:00")));
        assert_eq!(view.map(|v| v.state), Some(SlaState::MetLate { over: Duration::hours(1) }));
        assert!(view.is_some_and(|v| v.state.is_breach()));
    }

    #[test]
    fn r_sla_2_emergencies_between_09_00_and_22_00_are_reached_within_10_minutes() {
        assert_eq!(
            commitment(Urgency::Emergency, at("2026-03-02 09:00")),
            Some(Commitment::ReachIn10Minutes)
        );
        assert_eq!(
            commitment(Urgency::Emergency, at("2026-03-02 21:59")),
            Some(Commitment::ReachIn10Minutes)
        );
        assert_eq!(commitment(Urgency::Emergency, at("2026-03-02 22:00")), None);
        assert_eq!(commitment(Urgency::Emergency, at("2026-03-02 08:59")), None);
        let received = at("2026-03-02 15:00");
        let reached = RepairTimes { arrived_at: Some(at("2026-03-02 15:08")), ..RepairTimes::default() };
        let view = sla_view(Urgency::Emergency, received, &reached, at("2026-03-02 16:00"));
        assert_eq!(view.map(|v| v.state), Some(SlaState::Met));
        let waiting = sla_view(Urgency::Emergency, received, &RepairTimes::default(), at("2026-03-02 15:08"));
        assert_eq!(waiting.map(|v| v.state), Some(SlaState::DueSoon { left: Duration::minutes(2) }));
    }

    #[test]
    fn r_sla_2_the_10_minutes_run_from_the_call_not_the_appointment() {
        // Called at 10:03; the clerk wrote 10:08 in the appointment field.
        let received = at("2026-03-02 10:03");
        let times = RepairTimes { booked_at: Some(at("2026-03-02 10:08")), ..RepairTimes::default() };
        let view = sla_view(Urgency::Emergency, received, &times, at("2026-03-02 10:05"));
        assert_eq!(view.map(|v| v.due), Some(at("2026-03-02 10:13")));
        let reached = RepairTimes { arrived_at: Some(at("2026-03-02 10:16")), ..times };
        let late = sla_view(Urgency::Emergency, received, &reached, at("2026-03-02 10:30"));
        assert_eq!(late.map(|v| v.state), Some(SlaState::MetLate { over: Duration::minutes(3) }));
    }

    #[test]
    fn r_sla_1_a_visit_the_resident_booked_later_starts_the_clock_then() {
        let received = at("2026-03-02 10:00");
        let booked = RepairTimes { booked_at: Some(at("2026-03-04 09:00")), ..RepairTimes::default() };
        let view = sla_view(Urgency::Small, received, &booked, at("2026-03-03 12:00"));
        assert_eq!(view.map(|v| v.due), Some(at("2026-03-05 09:00")));
        let earlier = RepairTimes { booked_at: Some(at("2026-03-02 09:00")), ..RepairTimes::default() };
        assert_eq!(earlier.clock_start(Commitment::SolveIn24Hours, received), received);
    }

    #[test]
    fn r_sla_cancelled_rows_carry_no_promise() {
        use crate::domain::request::sample_request;
        let mut row = sample_request(crate::domain::RegisterKind::Repair, RequestStatus::Dispatched);
        row.urgency = Some(Urgency::Small);
        assert!(repair_sla(&row, &RepairTimes::default(), at("2026-03-05 10:00")).is_some());
        row.status = RequestStatus::Cancelled;
        assert_eq!(repair_sla(&row, &RepairTimes::default(), at("2026-03-05 10:00")), None);
    }

    #[test]
    fn r_sla_1_waiting_on_the_resident_pauses_the_clock() {
        let received = at("2026-03-02 10:00");
        let times = RepairTimes {
            pauses: vec![pause("2026-03-02 12:00", "2026-03-03 12:00")],
            ..RepairTimes::default()
        };
        let view = sla_view(Urgency::Small, received, &times, at("2026-03-03 12:00"));
        assert_eq!(view.map(|v| v.due), Some(at("2026-03-04 10:00")));
        // Overlapping pauses count once; a pause after the deadline moves nothing.
        let pauses = [
            pause("2026-03-02 12:00", "2026-03-02 18:00"),
            pause("2026-03-02 16:00", "2026-03-02 20:00"),
            pause("2026-03-05 09:00", "2026-03-06 09:00"),
        ];
        assert_eq!(deadline(Commitment::SolveIn24Hours, received, &pauses), at("2026-03-03 18:00"));
    }
}
