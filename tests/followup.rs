//! Follow-up and money on a real database: message slips and stubs
//! (R-FU-3), the day-end review (R-FU-4), the morning repair handover
//! (R-FU-5), the repair clocks and hazards (R-SLA-1..3), the follow-up check
//! and spot-check (R-EX-3, R-EX-4), the cash handover (R-FEE-2), finance's
//! lists (R-FEE-3), the office's reason list, and the upgrade to schema 5.
//! Each on SQLite and, when `HOMEDESK_TEST_PG` names one, on a PostgreSQL
//! server (issue 21); the upgrade from schema 4 is SQLite's alone.

mod common;

use chrono::{Duration, NaiveDate, NaiveTime};
use common::backends::{self, Backend};
use common::*;
use homedesk::app::{AppError, HomeDesk, StepInput};
use homedesk::domain::{
    AskedBy, Desk, FinanceList, HandoverError, IntakeDraft, Lane, Money, Opinion, ReasonKind, Request,
    RequestStatus, ReviewAnswer, ReviewError, ServiceRecord, SlaState, SlipError, StepError, Urgency, User,
};

fn ok<T>(result: Result<T, AppError>) -> T {
    result.unwrap_or_else(|e| panic!("{e:?}"))
}

fn register(desk: &mut HomeDesk, user: &User, draft: &IntakeDraft) -> Request {
    ok(desk.register_request(user, draft))
}

fn dispatch(desk: &mut HomeDesk, user: &User, row: &Request, staff: i64) -> Request {
    ok(desk.take_step(user, row.id, &StepInput::Dispatch { staff, round: None, copier: None }))
}

fn record(arrived: &str, finished: &str) -> ServiceRecord {
    ServiceRecord {
        arrived_at: at(arrived),
        finished_at: at(finished),
        work_done: "更换水龙头".into(),
        resident_signed: true,
        opinion: Some(Opinion::Satisfied),
        comment: String::new(),
    }
}

/// The test office on each backend, with a clock the test moves on, set
/// back to 10:00 as each backend's run starts.
fn ticking_offices(clock: &TestClock) -> impl Iterator<Item = (Backend, HomeDesk, Office)> + '_ {
    backends::offices(|| clock.clock()).into_iter().inspect(|_| clock.set(at("2026-03-02 10:00")))
}

/// Half past ten: late enough for the 10:10–10:40 service records.
fn after_the_visit(clock: &TestClock) {
    clock.set(at("2026-03-02 10:45"));
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

fn yuan(n: i64) -> Money {
    Money::from_yuan(n).unwrap_or(Money::ZERO)
}

#[test]
fn r_fu_3_a_posted_slip_was_issued_and_its_stub_comes_back_once_to_the_cs_center() {
    let clock = TestClock::new(at("2026-03-02 10:00"));
    for (backend, mut desk, office) in ticking_offices(&clock) {
        let name = backend.name();
        let clerk = office.cs_clerk.clone();
        // Both visits are at 10:30; nobody home is found at or after the appointment.
        let mut draft = housekeeping_draft(&office);
        draft.appointment = "2026-03-02 10:30".into();
        let row = register(&mut desk, &clerk, &draft);
        let other = register(&mut desk, &clerk, &draft);
        dispatch(&mut desk, &clerk, &row, office.housekeeper);
        dispatch(&mut desk, &clerk, &other, office.housekeeper);
        after_the_visit(&clock);

        let unknown =
            desk.take_step(&clerk, row.id, &StepInput::NotHome { slip_no: "LY-2026-000099".into() });
        assert!(matches!(unknown, Err(AppError::Slip(SlipError::Unknown(_)))), "{name}: {unknown:?}");
        let for_other = ok(desk.issue_slip_for_job(&clerk, other.id));
        let misused =
            desk.take_step(&clerk, row.id, &StepInput::NotHome { slip_no: for_other.no.to_string() });
        assert!(matches!(misused, Err(AppError::Slip(SlipError::OtherJob(_)))), "{name}: {misused:?}");

        let blanks = ok(desk.issue_blank_slips(&clerk, 3));
        let numbers: Vec<String> = blanks.iter().map(|s| s.no.to_string()).collect();
        assert_eq!(
            numbers,
            ["LY-2026-000002", "LY-2026-000003", "LY-2026-000004"],
            "{name}: numbered without gaps"
        );
        let away =
            ok(desk.take_step(&clerk, row.id, &StepInput::NotHome { slip_no: "ly-2026-000003".into() }));
        assert_eq!(away.status, RequestStatus::NotHome, "{name}");
        let posted = ok(desk.slips_for(row.id));
        assert_eq!(posted.len(), 1, "{name}: the blank slip now belongs to the job");
        assert_eq!((posted[0].room.as_str(), posted[0].staff.is_empty()), ("3栋2单元201", false), "{name}");
        assert_eq!(ok(desk.stubs_out()).len(), 1, "{name}: only a slip on a door has a stub out");
        let again =
            desk.take_step(&clerk, other.id, &StepInput::NotHome { slip_no: "LY-2026-000003".into() });
        assert!(
            matches!(again, Err(AppError::Slip(SlipError::AlreadyPosted(_)))),
            "{name}: posted once: {again:?}"
        );

        let at_control = desk.return_stub(&office.control_clerk, "LY-2026-000003");
        assert!(matches!(at_control, Err(AppError::Slip(SlipError::StubNotAtCsCenter))), "{name}");
        let back = ok(desk.return_stub(&clerk, "LY-2026-000003"));
        assert_eq!(back.stub_returned.map(|(_, by)| by), Some(clerk.name.clone()), "{name}");
        let twice = desk.return_stub(&clerk, "LY-2026-000003");
        assert!(matches!(twice, Err(AppError::Slip(SlipError::StubAlreadyReturned(_)))), "{name}");
        let too_many = desk.issue_blank_slips(&clerk, 41);
        assert!(matches!(too_many, Err(AppError::Slip(SlipError::BlankCount))), "{name}");
        assert!(desk.store().check_invariants().unwrap_or_default().is_empty(), "{name}");
    }
}

#[test]
fn r_fu_4_the_day_end_review_lists_open_rows_and_keeps_each_answer() {
    for (backend, mut desk, office) in backends::offices(|| fixed_clock(now())) {
        let name = backend.name();
        let clerk = office.cs_clerk.clone();
        let first = register(&mut desk, &clerk, &housekeeping_draft(&office));
        let second = register(&mut desk, &clerk, &alarm_draft(&office));
        register(&mut desk, &office.control_clerk, &repair_draft(&office));
        let today = now().date();

        let review = ok(desk.day_review(Desk::CsCenter, today));
        let ids: Vec<i64> = review.rows.iter().map(|r| r.id).collect();
        assert_eq!(ids, [first.id, second.id], "{name}: the CS center reviews its own registers");
        assert_eq!(review.unanswered().count(), 2, "{name}");

        let answer = |reason: &str, handling: &str, expected: Option<&str>| ReviewAnswer {
            request: first.id,
            reason: reason.into(),
            expected_at: expected.map(at),
            handling: handling.into(),
        };
        let missing =
            desk.answer_day_review(&clerk, today, &answer("住户明天才在家", "", Some("2026-03-03 10:00")));
        assert!(matches!(missing, Err(AppError::Review(ReviewError::HandlingRequired))), "{name}");
        ok(desk.answer_day_review(
            &clerk,
            today,
            &answer("住户明天才在家", "明早派单", Some("2026-03-03 10:00")),
        ));
        ok(desk.answer_day_review(
            &clerk,
            today,
            &answer("住户明天才在家", "明早第一单", Some("2026-03-03 09:00")),
        ));
        let review = ok(desk.day_review(Desk::CsCenter, today));
        let unanswered: Vec<i64> = review.unanswered().map(|r| r.id).collect();
        assert_eq!(unanswered, [second.id], "{name}");
        let saved = &review.answers[&first.id];
        assert_eq!(
            (saved.answer.handling.as_str(), saved.by.as_str()),
            ("明早第一单", clerk.name.as_str()),
            "{name}"
        );
        let history =
            ok(desk.store().history_of(homedesk::domain::Entity::DayReview, 1).map_err(AppError::from));
        assert_eq!(history.len(), 2, "{name}: the first answer stays in the history");
    }
}

#[test]
fn r_fu_5_yesterdays_repair_register_is_handed_to_the_cs_center() {
    let clock = TestClock::new(at("2026-03-02 10:00"));
    for (backend, mut desk, office) in ticking_offices(&clock) {
        let name = backend.name();
        register(&mut desk, &office.control_clerk, &repair_draft(&office));
        register(&mut desk, &office.control_clerk, &repair_draft(&office));
        let monday = day("2026-03-02");
        let too_soon = desk.hand_over_repairs(&office.control_clerk, monday, "陈客服");
        assert!(matches!(too_soon, Err(AppError::Handover(HandoverError::DayNotOver))), "{name}");

        clock.set(at("2026-03-03 08:45"));
        assert_eq!(ok(desk.repair_rows_of(monday)).len(), 2, "{name}");
        let wrong_desk = desk.hand_over_repairs(&office.cs_clerk, monday, "陈客服");
        assert!(matches!(wrong_desk, Err(AppError::Handover(HandoverError::NotControlCenter))), "{name}");
        let handed = ok(desk.hand_over_repairs(&office.control_clerk, monday, "陈客服"));
        assert_eq!((handed.rows, handed.is_late()), (2, false), "{name}");
        assert_eq!(ok(desk.repair_handover(monday)), Some(handed), "{name}");
        let again = desk.hand_over_repairs(&office.control_clerk, monday, "陈客服");
        assert!(matches!(again, Err(AppError::Handover(HandoverError::AlreadyHandedOver))), "{name}");
    }
}

#[test]
fn r_sla_1_the_board_shows_the_deadline_and_a_residents_postponement_pauses_it() {
    let clock = TestClock::new(at("2026-03-02 10:00"));
    for (backend, mut desk, office) in ticking_offices(&clock) {
        let name = backend.name();
        let control = office.control_clerk.clone();
        let mut draft = repair_draft(&office);
        draft.appointment = "2026-03-02 11:00".into();
        let row = register(&mut desk, &control, &draft);
        let board = ok(desk.board(Desk::ControlCenter, now().date()));
        let on_board = board
            .rows
            .iter()
            .find(|r| r.request.id == row.id)
            .unwrap_or_else(|| panic!("{name}: not on board"));
        assert_eq!(on_board.lane, Lane::NotifyNow, "{name}: R-DSP-3");
        assert_eq!(
            on_board.sla.map(|s| s.due),
            Some(at("2026-03-03 11:00")),
            "{name}: from the booked visit"
        );

        dispatch(&mut desk, &control, &row, office.repairer);
        clock.set(at("2026-03-02 10:30"));
        let postpone = |told: Option<&str>| StepInput::Reschedule {
            asked_by: AskedBy::Resident,
            reason: "住户要求改到明天下午".into(),
            apologised: false,
            staff_told_at: told.map(at),
            new_time: at("2026-03-03 15:00"),
        };
        let untold = desk.take_step(&control, row.id, &postpone(None));
        assert!(matches!(untold, Err(AppError::Step(StepError::StaffNotTold))), "{name}");
        let told = postpone(Some("2026-03-02 10:29"));
        ok(desk.take_step(&control, row.id, &told));
        clock.set(at("2026-03-03 16:00"));
        let board = ok(desk.board(Desk::ControlCenter, day("2026-03-03")));
        let paused = board.rows.iter().find(|r| r.request.id == row.id).and_then(|r| r.sla);
        assert_eq!(
            paused.map(|s| s.due),
            Some(at("2026-03-04 15:00")),
            "{name}: 28 hours from the old visit added"
        );
        assert!(matches!(paused.map(|s| s.state), Some(SlaState::Running { .. })), "{name}");
    }
}

#[test]
fn r_sla_2_an_emergency_arrival_is_recorded_and_judged_against_10_minutes() {
    let clock = TestClock::new(at("2026-03-02 10:00"));
    for (backend, mut desk, office) in ticking_offices(&clock) {
        let name = backend.name();
        let control = office.control_clerk.clone();
        let draft = IntakeDraft {
            urgency: Some(Urgency::Emergency),
            details: "厨房水管爆裂".into(),
            appointment: "2026-03-02 10:00".into(),
            ..repair_draft(&office)
        };
        let row = register(&mut desk, &control, &draft);
        dispatch(&mut desk, &control, &row, office.repairer);
        clock.set(at("2026-03-02 10:12"));
        let board = ok(desk.board(Desk::ControlCenter, now().date()));
        let late = board.rows.iter().find(|r| r.request.id == row.id).and_then(|r| r.sla);
        assert!(matches!(late.map(|s| s.state), Some(SlaState::Breached { .. })), "{name}");
        let arrived = ok(desk.take_step(&control, row.id, &StepInput::Arrive { at: at("2026-03-02 10:08") }));
        assert_eq!(arrived.arrived_at, Some(at("2026-03-02 10:08")), "{name}");
        let board = ok(desk.board(Desk::ControlCenter, now().date()));
        let met = board.rows.iter().find(|r| r.request.id == row.id).and_then(|r| r.sla);
        assert_eq!(met.map(|s| s.state), Some(SlaState::Met), "{name}");
    }
}

#[test]
fn r_sla_3_a_hazard_is_reported_to_the_office() {
    for (backend, mut desk, office) in backends::offices(|| fixed_clock(now())) {
        let name = backend.name();
        let control = office.control_clerk.clone();
        let row = register(&mut desk, &control, &repair_draft(&office));
        dispatch(&mut desk, &control, &row, office.repairer);
        let untold = StepInput::Hazard { description: "燃气软管老化".into(), told_resident: false };
        assert!(
            matches!(
                desk.take_step(&control, row.id, &untold),
                Err(AppError::Step(StepError::HazardNotPointedOut))
            ),
            "{name}"
        );
        ok(desk.take_step(
            &control,
            row.id,
            &StepInput::Hazard { description: "燃气软管老化".into(), told_resident: true },
        ));
        let today = now().date();
        let hazards = ok(desk.hazards(today, today));
        assert_eq!(hazards.len(), 1, "{name}");
        assert_eq!(
            (hazards[0].room.as_str(), hazards[0].description.as_str()),
            ("3栋2单元201", "燃气软管老化"),
            "{name}"
        );
    }
}

#[test]
fn r_ex_4_and_r_ex_3_the_follow_up_and_the_spot_check_are_recorded() {
    let clock = TestClock::new(at("2026-03-02 10:00"));
    for (backend, mut desk, office) in ticking_offices(&clock) {
        let name = backend.name();
        let control = office.control_clerk.clone();
        let repair = register(&mut desk, &control, &repair_draft(&office));
        dispatch(&mut desk, &control, &repair, office.repairer);
        after_the_visit(&clock);
        ok(desk.take_step(
            &control,
            repair.id,
            &StepInput::Done { record: record("2026-03-02 10:10", "2026-03-02 10:40") },
        ));
        let checked = ok(desk.take_step(
            &control,
            repair.id,
            &StepInput::FollowUp { note: "电话回访：不再漏水".into() },
        ));
        assert_eq!(checked.follow_up.as_deref(), Some("电话回访：不再漏水"), "{name}");

        let cs = office.cs_clerk.clone();
        let alarm = register(&mut desk, &cs, &alarm_draft(&office));
        clock.set(at("2026-03-02 13:40"));
        let round = NaiveTime::from_hms_opt(13, 30, 0);
        ok(desk.take_step(
            &cs,
            alarm.id,
            &StepInput::Dispatch { staff: office.engineer, round, copier: None },
        ));
        clock.set(at("2026-03-02 15:00"));
        let record = record("2026-03-02 14:00", "2026-03-02 14:40");
        ok(desk.take_step(&cs, alarm.id, &StepInput::Done { record }));
        let at_control =
            desk.take_step(&control, alarm.id, &StepInput::SpotCheck { note: "抽查正常".into() });
        assert!(matches!(at_control, Err(AppError::Step(StepError::NotAlarmAtCsCenter))), "{name}");
        ok(desk.take_step(&cs, alarm.id, &StepInput::SpotCheck { note: "抽查正常".into() }));
        let kinds: Vec<_> =
            ok(desk.store().job_steps(alarm.id).map_err(AppError::from)).iter().map(|s| s.kind).collect();
        assert_eq!(kinds.last(), Some(&homedesk::domain::StepKind::SpotCheck), "{name}");
    }
}

/// R-EX-3 through the desk: an alarm job copied at a round is signed off by
/// whoever copied it, not by the engineer who went.
#[test]
fn r_ex_3_an_alarm_job_copied_at_a_round_is_signed_by_its_copier() {
    let clock = TestClock::new(at("2026-03-02 10:00"));
    for (backend, mut desk, office) in ticking_offices(&clock) {
        let name = backend.name();
        let second = homedesk::domain::StaffDraft {
            name: "吴工".into(),
            group: Some(homedesk::domain::Group::Engineering),
            rank: Some(homedesk::domain::Rank::Staff),
            active: true,
            phone: "13800000001".into(),
            ..homedesk::domain::StaffDraft::default()
        };
        let went = ok(desk.save_staff(&office.manager, None, &second, ""));
        let cs = office.cs_clerk.clone();
        let alarm = register(&mut desk, &cs, &alarm_draft(&office));
        clock.set(at("2026-03-02 13:40"));
        let round = NaiveTime::from_hms_opt(13, 30, 0);
        let copied = StepInput::Dispatch { staff: went, round, copier: Some(office.engineer) };
        ok(desk.take_step(&cs, alarm.id, &copied));
        clock.set(at("2026-03-02 15:00"));
        ok(desk.take_step(
            &cs,
            alarm.id,
            &StepInput::Done { record: record("2026-03-02 14:00", "2026-03-02 14:40") },
        ));
        let by_the_one_who_went = desk.take_step(&cs, alarm.id, &StepInput::SignOff { signer: went });
        assert!(
            matches!(by_the_one_who_went, Err(AppError::Step(StepError::NotTheCopier))),
            "{name}: {by_the_one_who_went:?}"
        );
        let signed = ok(desk.take_step(&cs, alarm.id, &StepInput::SignOff { signer: office.engineer }));
        assert_eq!(signed.status, RequestStatus::SignedOff, "{name}");
    }
}

#[test]
fn r_fee_2_finance_receives_each_staff_members_cash_for_the_day() {
    let clock = TestClock::new(at("2026-03-02 10:00"));
    for (backend, mut desk, office) in ticking_offices(&clock) {
        let name = backend.name();
        let cs = office.cs_clerk.clone();
        for _ in 0..2 {
            clock.set(at("2026-03-02 10:00"));
            let row = register(&mut desk, &cs, &housekeeping_draft(&office));
            dispatch(&mut desk, &cs, &row, office.housekeeper);
            after_the_visit(&clock);
            ok(desk.take_step(
                &cs,
                row.id,
                &StepInput::Done { record: record("2026-03-02 10:10", "2026-03-02 10:40") },
            ));
            ok(desk.take_step(
                &cs,
                row.id,
                &StepInput::Collect {
                    amount: yuan(80),
                    collector: office.housekeeper,
                    reason: "住户自备清洁剂，少收20元".into(),
                },
            ));
        }
        let today = now().date();
        let days = ok(desk.cash_days(today, today));
        assert_eq!(days.len(), 1, "{name}");
        assert_eq!((days[0].collected(), days[0].outstanding()), (yuan(160), yuan(160)), "{name}");
        let by_clerk = desk.receive_cash(&cs, office.housekeeper, today);
        assert!(matches!(by_clerk, Err(AppError::Handover(HandoverError::NotFinance))), "{name}");
        let finance = finance_clerk(&mut desk, &office.manager);
        let received = ok(desk.receive_cash(&finance, office.housekeeper, today));
        assert_eq!((received.received(), received.outstanding()), (yuan(160), Money::ZERO), "{name}");
        let nothing = desk.receive_cash(&finance, office.housekeeper, today);
        assert!(matches!(nothing, Err(AppError::Handover(HandoverError::NothingToHandOver))), "{name}");
    }
}

#[test]
fn r_fee_3_finance_sees_jobs_not_reported_and_jobs_to_settle() {
    let clock = TestClock::new(at("2026-03-02 10:00"));
    for (backend, mut desk, office) in ticking_offices(&clock) {
        let name = backend.name();
        let cs = office.cs_clerk.clone();
        let done = register(&mut desk, &cs, &housekeeping_draft(&office));
        dispatch(&mut desk, &cs, &done, office.housekeeper);
        after_the_visit(&clock);
        ok(desk.take_step(
            &cs,
            done.id,
            &StepInput::Done { record: record("2026-03-02 10:10", "2026-03-02 10:40") },
        ));
        let not_reported: Vec<i64> =
            ok(desk.finance_list(FinanceList::NotReported)).iter().map(|r| r.id).collect();
        assert_eq!(not_reported, [done.id], "{name}");
        ok(desk.take_step(&cs, done.id, &StepInput::SignOff { signer: office.housekeeper }));
        assert!(ok(desk.finance_list(FinanceList::NotReported)).is_empty(), "{name}");
        let to_settle: Vec<i64> = ok(desk.finance_list(FinanceList::ToSettle)).iter().map(|r| r.id).collect();
        assert_eq!(to_settle, [done.id], "{name}");
    }
}

#[test]
fn the_office_edits_its_reason_lists_and_old_reasons_are_retired_not_deleted() {
    for (backend, mut desk, office) in backends::offices(|| fixed_clock(now())) {
        let name = backend.name();
        let before = ok(desk.step_reasons(ReasonKind::Cancel)).len();
        let id = ok(desk.add_step_reason(&office.manager, ReasonKind::Cancel, "住户搬家"));
        let blank = desk.add_step_reason(&office.manager, ReasonKind::Cancel, "  ");
        assert!(blank.is_err(), "{name}");
        let by_clerk = desk.add_step_reason(&office.cs_clerk, ReasonKind::Cancel, "住户出国");
        assert!(
            matches!(by_clerk, Err(AppError::NeedsSupervisor)),
            "{name}: the list is kept by a supervisor or above"
        );
        ok(desk.set_step_reason_active(&office.manager, id, false));
        let reasons = ok(desk.step_reasons(ReasonKind::Cancel));
        assert_eq!(reasons.len(), before + 1, "{name}");
        assert!(reasons.iter().any(|r| r.text == "住户搬家" && !r.active), "{name}");
    }
}

#[test]
fn the_board_puts_each_row_in_its_lane_and_flags_overdue_rows() {
    let clock = TestClock::new(at("2026-03-02 10:00"));
    for (backend, mut desk, office) in ticking_offices(&clock) {
        let name = backend.name();
        let cs = office.cs_clerk.clone();
        let mut draft = housekeeping_draft(&office);
        draft.appointment = "2026-03-02 14:00".into();
        let waiting = register(&mut desk, &cs, &draft);
        let sent = register(&mut desk, &cs, &draft);
        dispatch(&mut desk, &cs, &sent, office.housekeeper);
        clock.set(at("2026-03-02 15:00"));
        let board = ok(desk.board(Desk::CsCenter, day("2026-03-02")));
        let lane = |id| board.rows.iter().find(|r| r.request.id == id).map(|r| (r.lane, r.overdue));
        assert_eq!(lane(waiting.id), Some((Lane::ToCopy, true)), "{name}");
        assert_eq!(lane(sent.id), Some((Lane::Out, true)), "{name}");
        let rounds: Vec<String> = board.rounds.iter().map(|(_, at)| at.format("%H:%M").to_string()).collect();
        assert_eq!(rounds, ["08:00", "13:30", "09:00", "13:30"], "{name}: R-DSP-1, R-DSP-2");
        assert!(ok(desk.board(Desk::ControlCenter, day("2026-03-02"))).rows.is_empty(), "{name}");
        let tomorrow = ok(desk.board(Desk::CsCenter, day("2026-03-02") + Duration::days(1)));
        assert_eq!(tomorrow.rows.len(), 2, "{name}: open rows carry over until done");
    }
}

#[test]
fn a_schema_4_database_upgrades_and_keeps_the_finish_times_of_done_jobs() {
    let db = temp_db();
    homedesk::store::create_at_version(&db.path, 4).unwrap_or_else(|e| panic!("{e}"));
    let conn = raw(&db.path);
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap_or_default();
    assert_eq!(version, 4);
    drop(conn);
    let desk = open_at(&db.path, fixed_clock(now()));
    assert!(count(&db.path, "step_reasons") > 0, "the default reasons are there");
    assert!(desk.store().check_invariants().unwrap_or_default().is_empty());
}

#[test]
fn r_sla_1_breaches_are_listed_and_cancelled_repairs_carry_no_promise() {
    let clock = TestClock::new(at("2026-03-02 10:00"));
    for (backend, mut desk, office) in ticking_offices(&clock) {
        let name = backend.name();
        let control = office.control_clerk.clone();
        let mut draft = repair_draft(&office);
        draft.appointment = "2026-03-02 11:00".into();
        let late = register(&mut desk, &control, &draft);
        let dropped = register(&mut desk, &control, &draft);
        ok(desk.take_step(
            &control,
            dropped.id,
            &StepInput::Cancel { reason: "住户已自行解决".into(), staff_told_at: None },
        ));
        clock.set(at("2026-03-04 09:00"));
        let today = clock_day(&clock);
        let breaches = ok(desk.sla_breaches(day("2026-03-01"), today));
        let ids: Vec<i64> = breaches.iter().map(|r| r.request.id).collect();
        assert_eq!(ids, [late.id], "{name}: open past its 24 hours; the cancelled row is not judged");
        let board = ok(desk.board(Desk::ControlCenter, day("2026-03-02")));
        let cancelled = board.rows.iter().find(|r| r.request.id == dropped.id);
        assert_eq!(cancelled.map(|r| r.sla), Some(None), "{name}");
    }
}

fn clock_day(clock: &TestClock) -> NaiveDate {
    (clock.clock())().date()
}

/// Issue 19: a slip asks the resident to call the office back; without the
/// office's service phone it is not printed, and the message says where to set it.
#[test]
fn r_fu_3_a_slip_is_not_printed_without_the_offices_service_phone() {
    for (backend, mut desk, office) in backends::offices(|| fixed_clock(now())) {
        let name = backend.name();
        let slip = ok(desk.issue_blank_slips(&office.cs_clerk, 1)).remove(0);
        assert!(desk.print_slips(&[slip.no]).is_ok(), "{name}: the office's phone is set at the first start");
        let mut settings = ok(desk.store().office().map_err(AppError::from)).unwrap_or_default();
        settings.phone = String::new();
        ok(desk.save_office(&office.manager, &settings));
        let refused = desk.print_slips(&[slip.no]);
        assert!(matches!(refused, Err(AppError::Slip(SlipError::NoServicePhone))), "{name}");
        let message =
            refused.map(|_| ()).map_err(|e| homedesk::i18n::t().app_error(&e)).err().unwrap_or_default();
        assert!(message.contains("设置 › 管理处"), "{name}: {message}");
    }
}
