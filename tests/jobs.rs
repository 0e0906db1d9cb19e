//! A job's life after intake through `HomeDesk::take_step`, on a real
//! database: each step is recorded, moves the row, keeps history, and a
//! refused step writes nothing. Each on SQLite and, when `HOMEDESK_TEST_PG`
//! names one, on a PostgreSQL server (issue 21).

mod common;

use chrono::NaiveTime;
use common::backends;
use common::{TestClock, at, finance_clerk, fixed_clock, housekeeping_draft, now};
use homedesk::app::{AppError, StepInput};
use homedesk::domain::{AskedBy, Money, Opinion, RequestStatus, ServiceRecord, StepError, StepKind, User};

#[test]
fn a_housekeeping_job_from_dispatch_to_settlement_keeps_every_step() {
    let clock = TestClock::new(at("2026-03-02 10:00"));
    for (backend, mut desk, office) in backends::offices(|| clock.clock()) {
        clock.set(at("2026-03-02 10:00"));
        let name = backend.name();
        let clerk = office.cs_clerk.clone();
        // The visit is this afternoon: nobody home is found at or after it (R-FU-3).
        let mut draft = housekeeping_draft(&office);
        draft.appointment = "2026-03-02 13:30".into();
        let row = desk.register_request(&clerk, &draft).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let step = |desk: &mut homedesk::app::HomeDesk, user: &User, input: StepInput| {
            desk.take_step(user, row.id, &input).unwrap_or_else(|e| panic!("{name}: {input:?}: {e:?}"))
        };

        clock.set(at("2026-03-02 13:35"));
        let round = NaiveTime::from_hms_opt(13, 30, 0);
        let sent =
            step(&mut desk, &clerk, StepInput::Dispatch { staff: office.housekeeper, round, copier: None });
        assert_eq!(
            (sent.status, sent.assigned_staff.map(|(id, _)| id)),
            (RequestStatus::Dispatched, Some(office.housekeeper)),
            "{name}"
        );
        let slip = desk.issue_slip_for_job(&clerk, row.id).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let away = step(&mut desk, &clerk, StepInput::NotHome { slip_no: slip.no.to_string() });
        assert_eq!(away.status, RequestStatus::NotHome, "{name}");
        let new_time = at("2026-03-03 09:00");
        let again = step(
            &mut desk,
            &clerk,
            StepInput::Reschedule {
                asked_by: AskedBy::Resident,
                reason: "住户回电改约".into(),
                apologised: false,
                staff_told_at: Some(at("2026-03-02 13:33")),
                new_time,
            },
        );
        assert_eq!((again.status, again.appointment), (RequestStatus::Dispatched, new_time), "{name}");
        clock.set(at("2026-03-03 10:00"));
        let record = ServiceRecord {
            arrived_at: at("2026-03-03 09:00"),
            finished_at: at("2026-03-03 09:50"),
            work_done: "厨房保洁".into(),
            resident_signed: true,
            opinion: Some(Opinion::Satisfied),
            comment: String::new(),
        };
        assert_eq!(step(&mut desk, &clerk, StepInput::Done { record }).status, RequestStatus::Done, "{name}");

        let price = Money::from_yuan(100).unwrap_or(Money::ZERO);
        let refused = desk.take_step(
            &clerk,
            row.id,
            &StepInput::Collect { amount: price, collector: office.housekeeper, reason: String::new() },
        );
        assert!(
            matches!(refused, Err(AppError::Step(StepError::CollectorRank))),
            "{name}: R-FEE-1: {refused:?}"
        );
        let paid = step(
            &mut desk,
            &clerk,
            StepInput::Collect { amount: price, collector: office.manager.staff_id, reason: String::new() },
        );
        assert_eq!(paid.collected.map(|(m, _)| m), Some(price), "{name}");
        let signed = step(&mut desk, &clerk, StepInput::SignOff { signer: office.housekeeper });
        assert_eq!(signed.status, RequestStatus::SignedOff, "{name}");
        let finance = finance_clerk(&mut desk, &office.manager);
        let settled = step(&mut desk, &finance, StepInput::Settle);
        assert_eq!(settled.status, RequestStatus::Settled, "{name}");
        assert!(settled.settled_at.is_some(), "{name}");

        let path: Vec<StepKind> =
            desk.store().job_steps(row.id).unwrap_or_default().iter().map(|s| s.kind).collect();
        use StepKind::*;
        assert_eq!(path, [Dispatch, NotHome, Reschedule, Done, Collect, SignOff, Settle], "{name}");
        assert!(desk.store().check_invariants().unwrap_or_default().is_empty(), "{name}");
    }
}

#[test]
fn a_refused_step_writes_nothing() {
    for (backend, mut desk, office) in backends::offices(|| fixed_clock(now())) {
        let name = backend.name();
        let row = desk
            .register_request(&office.cs_clerk, &housekeeping_draft(&office))
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let before = backend.write_counts();
        let settle = desk.take_step(&office.cs_clerk, row.id, &StepInput::Settle);
        assert!(
            matches!(settle, Err(AppError::Step(StepError::NotNow { from: RequestStatus::Registered }))),
            "{name}: {settle:?}"
        );
        let wrong_group = desk.take_step(
            &office.cs_clerk,
            row.id,
            &StepInput::Dispatch { staff: office.repairer, round: None, copier: None },
        );
        assert!(
            matches!(wrong_group, Err(AppError::Step(StepError::WrongProvider { .. }))),
            "{name}: R-DESK-4"
        );
        assert_eq!(backend.write_counts(), before, "{name}");
        assert!(desk.store().job_steps(row.id).unwrap_or_default().is_empty(), "{name}");
    }
}

#[test]
fn r_fu_2_a_cancellation_after_dispatch_records_that_the_staff_was_told() {
    for (backend, mut desk, office) in backends::offices(|| fixed_clock(now())) {
        let name = backend.name();
        let row = desk
            .register_request(&office.cs_clerk, &housekeeping_draft(&office))
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        desk.take_step(
            &office.cs_clerk,
            row.id,
            &StepInput::Dispatch { staff: office.housekeeper, round: None, copier: None },
        )
        .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let untold = StepInput::Cancel { reason: "住户临时外出".into(), staff_told_at: None };
        assert!(
            matches!(
                desk.take_step(&office.cs_clerk, row.id, &untold),
                Err(AppError::Step(StepError::StaffNotTold))
            ),
            "{name}"
        );
        let told = StepInput::Cancel {
            reason: "住户临时外出".into(),
            staff_told_at: Some(at("2026-03-02 10:00")),
        };
        let cancelled =
            desk.take_step(&office.cs_clerk, row.id, &told).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(cancelled.status, RequestStatus::Cancelled, "{name}");
        let history = desk.store().history_of(homedesk::domain::Entity::Request, row.id).unwrap_or_default();
        assert_eq!(history.last().and_then(|h| h.reason.clone()).as_deref(), Some("住户临时外出"), "{name}");
    }
}
