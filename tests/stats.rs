//! The month's figures on a real database (issue 8, R-RV-4): a small March
//! whose every answer is known — requests by register, item and desk, a
//! refusal, completion times, one repair promise met and one broken
//! (R-SLA-1), a reschedule, a cancellation, a not-home visit, fees agreed
//! and collected, the revisit plan with a need and a complaint, a shopping
//! entry — and the fact queries kept on their indexes.

mod common;

use std::cell::RefCell;

use chrono::NaiveDate;
use common::backends::{Backend, offices};
use common::*;
use homedesk::app::{AppError, HomeDesk, StepInput};
use homedesk::domain::stats::{Figures, Tally};
use homedesk::domain::{
    AskedBy, ComplaintDraft, Entity, Money, Opinion, Ratings, RefusalDraft, RegisterKind, ReportError,
    ReportStatus, RevisitAnswer, RevisitMethod, ServiceRecord, Severity, ShoppingDraft,
};

fn ok<T>(result: Result<T, AppError>) -> T {
    result.unwrap_or_else(|e| panic!("{e:?}"))
}

fn count_of(list: &[Tally], key: &str) -> u32 {
    list.iter().find(|t| t.key == key).map_or(0, |t| t.count)
}

fn record(arrived: &str, finished: &str) -> ServiceRecord {
    ServiceRecord {
        arrived_at: at(arrived),
        finished_at: at(finished),
        work_done: "更换阀芯".into(),
        resident_signed: true,
        opinion: Some(Opinion::Satisfied),
        comment: String::new(),
    }
}

/// A small repair received at `day` 09:00 for 10:00, done as `finished`.
fn repair(desk: &mut HomeDesk, office: &Office, clock: &TestClock, day: &str, room: &str, finished: &str) {
    clock.set(at(&format!("{day} 09:00")));
    let mut draft = repair_draft(office);
    draft.room = room.into();
    draft.appointment = format!("{day} 10:00");
    let clerk = office.control_clerk.clone();
    let row = ok(desk.register_request(&clerk, &draft));
    ok(desk.take_step(
        &clerk,
        row.id,
        &StepInput::Dispatch { staff: office.repairer, round: None, copier: None },
    ));
    clock.set(at(finished) + chrono::Duration::minutes(5));
    ok(desk.take_step(
        &clerk,
        row.id,
        &StepInput::Done { record: record(&format!("{day} 10:00"), finished) },
    ));
}

/// A housekeeping row booked for `day` 10:00, received at 09:00.
fn housekeeping(desk: &mut HomeDesk, office: &Office, clock: &TestClock, day: &str, room: &str) -> i64 {
    clock.set(at(&format!("{day} 09:00")));
    let mut draft = housekeeping_draft(office);
    draft.room = room.into();
    draft.appointment = format!("{day} 10:00");
    ok(desk.register_request(&office.cs_clerk, &draft)).id
}

fn rescheduled_then_cancelled(desk: &mut HomeDesk, office: &Office, clock: &TestClock) {
    let id = housekeeping(desk, office, clock, "2026-03-10", "5-1-101");
    let cs = office.cs_clerk.clone();
    let reschedule = StepInput::Reschedule {
        asked_by: AskedBy::Resident,
        reason: "住户要求改期".into(),
        apologised: false,
        staff_told_at: None,
        new_time: at("2026-03-11 10:00"),
    };
    ok(desk.take_step(&cs, id, &reschedule));
    clock.set(at("2026-03-10 15:00"));
    ok(desk.take_step(&cs, id, &StepInput::Cancel { reason: "住户不需要了".into(), staff_told_at: None }));
}

fn not_home(desk: &mut HomeDesk, office: &Office, clock: &TestClock) {
    let id = housekeeping(desk, office, clock, "2026-03-12", "6-1-101");
    let cs = office.cs_clerk.clone();
    ok(desk.take_step(
        &cs,
        id,
        &StepInput::Dispatch { staff: office.housekeeper, round: None, copier: None },
    ));
    clock.set(at("2026-03-12 10:20"));
    let slip = ok(desk.issue_slip_for_job(&cs, id));
    ok(desk.take_step(&cs, id, &StepInput::NotHome { slip_no: slip.no.to_string() }));
}

fn refusal(desk: &mut HomeDesk, office: &Office, clock: &TestClock) {
    clock.set(at("2026-03-05 11:00"));
    let draft = RefusalDraft {
        kind: Some(RegisterKind::Housekeeping),
        room: "7-1-101".into(),
        resident_name: "钱先生".into(),
        phone: "13912345678".into(),
        asked_for: "高空外墙清洗".into(),
        reason: "超出服务范围".into(),
    };
    ok(desk.refuse_request(&office.cs_clerk, &draft));
}

fn shopping(desk: &mut HomeDesk, office: &Office, clock: &TestClock) {
    clock.set(at("2026-03-03 12:00"));
    let draft = ShoppingDraft { room: "1-1-101".into(), ..shopping_draft() };
    ok(desk.record_shopping(&office.cs_clerk, &draft));
}

fn answer(opinion: Opinion, needs: &str) -> RevisitAnswer {
    let complaint = (opinion == Opinion::Dissatisfied)
        .then(|| ComplaintDraft { what: "迟到一小时".into(), severity: Severity::Minor });
    RevisitAnswer {
        method: RevisitMethod::Phone,
        ratings: Some(Ratings { timeliness: opinion, skill: Opinion::Satisfied, attitude: opinion }),
        comments: String::new(),
        needs: needs.into(),
        attempts: String::new(),
        complaint,
    }
}

/// Each backend's set-up office with a clock of its own at 2026-03-02 09:00.
fn offices_in_march() -> Vec<(Backend, HomeDesk, Office, TestClock)> {
    let clocks = RefCell::new(Vec::new());
    let offices = offices(|| {
        let clock = TestClock::new(at("2026-03-02 09:00"));
        let handed = clock.clock();
        clocks.borrow_mut().push(clock);
        handed
    });
    offices
        .into_iter()
        .zip(clocks.into_inner())
        .map(|((b, desk, office), clock)| (b, desk, office, clock))
        .collect()
}

/// March 2026 as built here on a set-up office; returns the number of
/// households on the plan and who the complaint is against.
fn build_march(desk: &mut HomeDesk, office: &Office, clock: &TestClock) -> (usize, String) {
    let first = finished_job(desk, office, clock, "2026-03-03", "1-1-101");
    finished_job(desk, office, clock, "2026-03-04", "2-1-101");
    let collect = StepInput::Collect {
        amount: Money::from_yuan(100).unwrap_or_default(),
        collector: office.manager.staff_id,
        reason: String::new(),
    };
    ok(desk.take_step(&office.cs_clerk, first, &collect));
    shopping(desk, office, clock);
    refusal(desk, office, clock);
    repair(desk, office, clock, "2026-03-05", "3-1-101", "2026-03-05 12:00");
    repair(desk, office, clock, "2026-03-06", "4-1-101", "2026-03-08 09:00");
    rescheduled_then_cancelled(desk, office, clock);
    not_home(desk, office, clock);
    // Next month's first row: outside March.
    housekeeping(desk, office, clock, "2026-04-01", "8-1-101");
    clock.set(at("2026-03-31 18:00"));
    let cs = office.cs_clerk.clone();
    let plan = ok(desk.draw_revisit_plan(&cs, "2026-03"));
    ok(desk.record_revisit(&cs, plan.rows[0].id, &answer(Opinion::Satisfied, "想加一次擦窗")));
    ok(desk.record_revisit(&cs, plan.rows[1].id, &answer(Opinion::Dissatisfied, "")));
    let against = plan.rows[1].staff.clone().map(|(_, name)| name).unwrap_or_default();
    (plan.rows.len(), against)
}

/// March on each backend, with the office and the clock.
fn march_with_office() -> Vec<(Backend, HomeDesk, Office, TestClock, usize, String)> {
    offices_in_march()
        .into_iter()
        .map(|(backend, mut desk, office, clock)| {
            let (planned, against) = build_march(&mut desk, &office, &clock);
            (backend, desk, office, clock, planned, against)
        })
        .collect()
}

/// March on each backend; the desk, the number of households on the plan,
/// and who the complaint is against.
fn march() -> Vec<(Backend, HomeDesk, usize, String)> {
    march_with_office()
        .into_iter()
        .map(|(b, desk, _, _, planned, against)| (b, desk, planned, against))
        .collect()
}

fn figures_of_march() -> Vec<(Backend, Figures, usize, String)> {
    march()
        .into_iter()
        .map(|(backend, desk, planned, against)| {
            let figures = ok(desk.month_figures("2026-03"));
            (backend, figures, planned, against)
        })
        .collect()
}

#[test]
fn r_rv_4_requests_by_register_item_and_desk_and_refusals_by_reason() {
    for (backend, f, _, _) in figures_of_march() {
        assert_eq!(
            f.period.from,
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default(),
            "{}",
            backend.name()
        );
        assert_eq!(
            f.period.to,
            NaiveDate::from_ymd_opt(2026, 4, 1).unwrap_or_default(),
            "{}",
            backend.name()
        );
        assert_eq!(f.requests.total, 6, "April's row is left out");
        assert_eq!(count_of(&f.requests.by_register, "housekeeping"), 4, "{}", backend.name());
        assert_eq!(count_of(&f.requests.by_register, "repair"), 2, "{}", backend.name());
        assert_eq!(count_of(&f.requests.by_item, "厨房保洁"), 4, "{:?}", f.requests.by_item);
        assert_eq!(count_of(&f.requests.by_item, "更换水龙头"), 2, "{}", backend.name());
        assert_eq!(
            (count_of(&f.requests.by_desk, "cs"), count_of(&f.requests.by_desk, "control")),
            (4, 2),
            "{}",
            backend.name()
        );
        assert_eq!(f.refusals.total, 1, "{}", backend.name());
        assert_eq!(count_of(&f.refusals.by_reason, "超出服务范围"), 1, "{}", backend.name());
    }
}

#[test]
fn r_sla_1_one_repair_promise_met_one_broken_and_completion_times() {
    for (backend, f, _, _) in figures_of_march() {
        assert_eq!(
            (f.sla.committed, f.sla.met, f.sla.breached, f.sla.open),
            (2, 1, 1, 0),
            "{}",
            backend.name()
        );
        assert_eq!(f.sla.met_per_mille, Some(500), "{}", backend.name());
        // 100, 100, 180 and 2 880 minutes from registration to finish.
        assert_eq!(f.completion.finished, 4, "{}", backend.name());
        assert_eq!(f.completion.median_minutes, Some(140), "{}", backend.name());
        assert_eq!(f.completion.mean_minutes, Some(815), "{}", backend.name());
        assert_eq!(f.completion.longest_minutes, Some(2880), "{}", backend.name());
    }
}

#[test]
fn r_fu_1_r_fu_2_r_fu_3_reschedules_cancellations_and_not_home() {
    for (backend, f, _, _) in figures_of_march() {
        assert_eq!(
            (f.follow_up.reschedules, f.follow_up.cancellations, f.follow_up.not_home),
            (1, 1, 1),
            "{}",
            backend.name()
        );
    }
}

#[test]
fn r_fee_2_fees_agreed_and_collected_and_the_cash_not_yet_handed_over() {
    for (backend, f, _, _) in figures_of_march() {
        assert_eq!(f.fees.agreed_fen, 5 * 10_000, "five rows at ¥100, the cancelled one owes nothing");
        assert_eq!(f.fees.collected_fen, 10_000, "{}", backend.name());
        let repair =
            f.fees.by_register.iter().find(|t| t.key == "repair").map(|t| (t.agreed_fen, t.collected_fen));
        assert_eq!(repair, Some((20_000, 0)), "{}", backend.name());
        assert_eq!(
            (f.cash.collections, f.cash.collected_fen, f.cash.handovers),
            (1, 10_000, 0),
            "{}",
            backend.name()
        );
        assert_eq!(f.cash.outstanding_fen, 10_000, "{}", backend.name());
    }
}

#[test]
fn r_rv_3_r_rv_4_revisit_coverage_satisfaction_complaints_and_needs() {
    for (backend, f, planned, against) in figures_of_march() {
        let v = &f.revisits;
        assert_eq!(
            (v.plans, v.planned as usize, v.revisited, v.unreachable),
            (1, planned, 2, 0),
            "{}",
            backend.name()
        );
        assert_eq!(v.to_do as usize, planned - 2, "{}", backend.name());
        assert_eq!(v.households_served, 4, "four rooms had a job finished in March");
        assert_eq!((v.timeliness.satisfied, v.timeliness.dissatisfied), (1, 1), "{}", backend.name());
        assert_eq!(v.timeliness.satisfied_per_mille, Some(500), "{}", backend.name());
        assert_eq!(v.skill.satisfied_per_mille, Some(1000), "{}", backend.name());
        assert_eq!(f.complaints.total, 1, "{}", backend.name());
        assert_eq!(count_of(&f.complaints.by_staff, &against), 1, "{}", backend.name());
        assert_eq!(f.needs.len(), 1, "{}", backend.name());
        assert_eq!(f.needs[0].text, "想加一次擦窗", "{}", backend.name());
        let staff = f.staff.iter().find(|s| s.name == against).map(|s| s.complaints);
        assert_eq!(staff, Some(1), "{}", backend.name());
    }
}

#[test]
fn r_sh_6_shopping_totals_and_the_entry_open_past_its_deadline() {
    for (backend, f, _, _) in figures_of_march() {
        assert_eq!((f.shopping.entries, f.shopping.void), (1, 0), "{}", backend.name());
        assert_eq!(f.shopping.expected_fen, 17_900, "{}", backend.name());
        assert_eq!(f.shopping.actual_fen, 0, "{}", backend.name());
        assert!(f.shopping.missing_numbers.is_empty(), "{}", backend.name());
        assert_eq!(f.shopping.concerns, 1, "not bought by its deadline of 3-04");
        assert_eq!((f.agreements.new, f.agreements.active), (0, 0), "{}", backend.name());
    }
}

#[test]
fn per_staff_workload_and_results() {
    for (backend, f, _, _) in figures_of_march() {
        let housekeeper =
            f.staff.iter().find(|s| s.name == "孙保洁").map(|s| (s.jobs, s.finished, s.not_home));
        assert_eq!(housekeeper, Some((3, 2, 1)), "the cancelled row was never sent");
        let repairer =
            f.staff.iter().find(|s| s.name == "李师傅").map(|s| (s.jobs, s.finished, s.sla_breached));
        assert_eq!(repairer, Some((2, 2, 1)), "{}", backend.name());
    }
}

#[test]
fn figures_run_on_a_reader_and_a_bad_month_is_refused() {
    for (backend, desk, _, _) in march() {
        // A reader on a server is a second connection, which `HomeDesk::reader`
        // does not open yet (it opens the file at the store's path): SQLite only.
        if let Backend::Lite(_) = backend {
            let reader = ok(desk.reader());
            let on_reader = ok(reader.month_figures("2026-03"));
            assert_eq!(on_reader, ok(desk.month_figures("2026-03")), "{}", backend.name());
        }
        assert!(desk.month_figures("2026-13").is_err(), "{}", backend.name());
        let days = ok(desk.figures(at("2026-03-05 00:00").date(), at("2026-03-06 00:00").date()));
        assert_eq!(
            (days.requests.total, days.refusals.total, days.revisits.plans),
            (1, 1, 0),
            "{}",
            backend.name()
        );
    }
}

#[test]
fn the_fact_queries_read_by_their_indexes() {
    for (backend, desk, _, _) in march() {
        let plans = desk.store().stats_query_plans().unwrap_or_else(|e| panic!("{e}"));
        if let Backend::Server(_) = backend {
            // The server plans each query (EXPLAIN), but on a few rows its
            // planner rightly reads whole tables: the indexes are SQLite's test.
            assert_eq!(plans.len(), 4, "{}", backend.name());
            continue;
        }
        for plan in &plans {
            assert!(plan.contains("USING INDEX") || plan.contains("USING COVERING INDEX"), "{plan}");
            assert!(
                !plan.contains("SCAN r ") && !plan.contains("SCAN c ") && !plan.ends_with("SCAN r"),
                "{plan}"
            );
        }
        assert!(plans[0].contains("requests_kind_received"), "{}", plans[0]);
        assert!(plans[0].contains("job_steps_request_kind"), "a row's steps by the row: {}", plans[0]);
        assert!(plans[3].contains("complaints_at"), "{}", plans[3]);
    }
}

#[test]
fn cli_report_prints_the_month_and_its_stable_json() {
    // The CLI opens files only (`--db postgres://` is not there yet).
    let (db, office) = office_db();
    let clock = TestClock::new(at("2026-03-02 09:00"));
    let mut desk = open_at(&db.path, clock.clock());
    build_march(&mut desk, &office, &clock);
    drop(desk); // the CLI is another process on a closed file, as at the office's PC
    let bin = env!("CARGO_BIN_EXE_homedesk");
    let run = |args: &[&str]| {
        std::process::Command::new(bin)
            .arg("--db")
            .arg(&db.path)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let json = run(&["report", "--month", "2026-03", "--json"]);
    assert!(json.status.success(), "{}", String::from_utf8_lossy(&json.stderr));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap_or_else(|e| panic!("{e}"));
    let keys: Vec<&str> =
        value.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
    for key in [
        "period",
        "requests",
        "refusals",
        "completion",
        "sla",
        "follow_up",
        "fees",
        "cash",
        "agreements",
        "shopping",
        "revisits",
        "complaints",
        "needs",
        "staff",
    ] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }
    assert_eq!(value["requests"]["total"], 6);
    assert_eq!(value["fees"]["collected_fen"], 10_000);
    let text = run(&["report", "--month", "2026-03"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("2026-03-01 至 2026-03-31"), "{text}");
    assert!(text.contains("维修承诺 2 单：达成 1，未达成 1"), "{text}");
    let bad = run(&["report", "--month", "March"]);
    assert!(!bad.status.success());
}

#[test]
fn completion_times_fall_into_their_buckets() {
    for (backend, f, _, _) in figures_of_march() {
        let buckets: Vec<(&str, u32)> =
            f.completion.distribution.iter().map(|t| (t.key.as_str(), t.count)).collect();
        // 100, 100, 180 and 2 880 minutes.
        assert_eq!(
            buckets,
            vec![("within_2h", 2), ("within_8h", 1), ("within_1d", 0), ("within_3d", 1), ("over_3d", 0)],
            "{}",
            backend.name()
        );
    }
}

#[test]
fn the_trend_reads_each_month_like_its_figures() {
    for (backend, desk, _, _) in march() {
        let trend = ok(desk.trend(at("2026-04-15 00:00").date()));
        assert_eq!(trend.len(), 12, "{}", backend.name());
        assert_eq!(trend[0].month, "2025-05", "{}", backend.name());
        let march = &trend[10];
        let f = ok(desk.month_figures("2026-03"));
        assert_eq!(march.month, "2026-03", "{}", backend.name());
        assert_eq!(
            count_of(&march.requests, "housekeeping"),
            count_of(&f.requests.by_register, "housekeeping"),
            "{}",
            backend.name()
        );
        assert_eq!(count_of(&march.requests, "repair"), 2, "{}", backend.name());
        assert_eq!(count_of(&march.requests, "alarm"), 0, "every register is listed, zeros too");
        assert_eq!(march.collected_fen, f.fees.collected_fen, "{}", backend.name());
        // Two households answered three questions: all three satisfied, then
        // only the skill (timeliness and attitude not): 4 of 6 answers.
        assert_eq!(march.satisfied_per_mille, Some(667), "{}", backend.name());
        assert_eq!(count_of(&trend[11].requests, "housekeeping"), 1, "April's row");
        assert_eq!(trend[11].satisfied_per_mille, None, "{}", backend.name());
    }
}

/// March's report as the CS clerk generates it once April has come, on each backend.
fn march_report() -> Vec<(Backend, HomeDesk, Office, TestClock)> {
    march_with_office()
        .into_iter()
        .map(|(backend, mut desk, office, clock, _, _)| {
            clock.set(at("2026-04-02 09:00"));
            ok(desk.generate_report(&office.cs_clerk, "2026-03"));
            (backend, desk, office, clock)
        })
        .collect()
}

fn report_error<T: std::fmt::Debug>(result: Result<T, AppError>) -> ReportError {
    match result {
        Err(AppError::Report(e)) => e,
        other => panic!("expected a report error, got {other:?}"),
    }
}

#[test]
fn r_rv_4_the_report_freezes_the_months_figures_when_generated() {
    for (backend, mut desk, office, clock) in march_report() {
        let report = ok(desk.monthly_report("2026-03")).unwrap_or_else(|| panic!("no report"));
        assert_eq!(report.status, ReportStatus::Draft, "{}", backend.name());
        assert_eq!(report.prepared_by, "陈客服", "{}", backend.name());
        assert_eq!(report.content.figures, ok(desk.month_figures("2026-03")), "{}", backend.name());
        assert_eq!(report.content.trend.len(), 12, "{}", backend.name());
        // A late refusal in March changes the registers, not the frozen report…
        let clerk = office.cs_clerk.clone();
        let late = RefusalDraft {
            kind: Some(RegisterKind::Housekeeping),
            room: "9-1-101".into(),
            resident_name: "周先生".into(),
            phone: "13900000009".into(),
            asked_for: "搬家".into(),
            reason: "超出服务范围".into(),
        };
        clock.set(at("2026-03-31 17:00"));
        ok(desk.refuse_request(&clerk, &late));
        clock.set(at("2026-04-02 10:00"));
        let stored = ok(desk.monthly_report("2026-03")).unwrap_or_else(|| panic!("no report"));
        assert_eq!(stored.content.figures.refusals.total, 1, "{}", backend.name());
        // …until the clerk takes the figures again.
        let refreshed = ok(desk.refresh_report(&clerk, "2026-03"));
        assert_eq!(refreshed.content.figures.refusals.total, 2, "{}", backend.name());
        assert_eq!(
            report_error(desk.generate_report(&clerk, "2026-03")),
            ReportError::AlreadyExists,
            "{}",
            backend.name()
        );
        assert_eq!(
            report_error(desk.generate_report(&clerk, "2026-04")),
            ReportError::MonthNotOver,
            "{}",
            backend.name()
        );
    }
}

#[test]
fn r_rv_4_submitted_approved_by_the_manager_and_locked() {
    for (backend, mut desk, office, _) in march_report() {
        let (clerk, manager) = (office.cs_clerk.clone(), office.manager.clone());
        let control = office.control_clerk.clone();
        assert_eq!(
            report_error(desk.save_report_text(&control, "2026-03", "x", "")),
            ReportError::CsCenterOnly,
            "{}",
            backend.name()
        );
        assert_eq!(
            report_error(desk.submit_report(&clerk, "2026-03", " ", "")),
            ReportError::AnalysisRequired,
            "{}",
            backend.name()
        );
        ok(desk.save_report_text(&clerk, "2026-03", "本月受理六单。", "加强维修回访。"));
        let submitted =
            ok(desk.submit_report(&clerk, "2026-03", "本月受理六单，维修一单超时。", "加强维修回访。"));
        assert_eq!(submitted.status, ReportStatus::Submitted, "{}", backend.name());
        assert_eq!(submitted.analysis, "本月受理六单，维修一单超时。", "submitting keeps the text on screen");
        assert_eq!(
            report_error(desk.approve_report(&clerk, "2026-03", "")),
            ReportError::NeedsManager,
            "{}",
            backend.name()
        );
        assert_eq!(
            report_error(desk.save_report_text(&clerk, "2026-03", "改", "")),
            ReportError::AwaitingApproval,
            "{}",
            backend.name()
        );
        let approved = ok(desk.approve_report(&manager, "2026-03", ""));
        assert_eq!(approved.status, ReportStatus::Approved, "{}", backend.name());
        assert_eq!(approved.decided_by.as_deref(), Some("王经理"), "{}", backend.name());
        assert_eq!(
            report_error(desk.save_report_text(&clerk, "2026-03", "改", "")),
            ReportError::Locked,
            "{}",
            backend.name()
        );
        assert_eq!(
            report_error(desk.refresh_report(&clerk, "2026-03")),
            ReportError::Locked,
            "{}",
            backend.name()
        );
        assert_eq!(
            report_error(desk.send_back_report(&manager, "2026-03", "再改")),
            ReportError::Locked,
            "{}",
            backend.name()
        );
        let history = ok(desk.store().history_of(Entity::MonthlyReport, approved.id).map_err(AppError::from));
        let statuses: Vec<&str> = history
            .iter()
            .flat_map(|h| &h.changes)
            .filter(|c| c.field == "status")
            .map(|c| c.new.as_str())
            .collect();
        assert_eq!(statuses, vec!["submitted", "approved"], "{}", backend.name());
        assert!(history.iter().all(|h| !h.user_name.is_empty()), "{}", backend.name());
    }
}

#[test]
fn r_rv_4_sent_back_with_a_comment_then_resubmitted() {
    for (backend, mut desk, office, _) in march_report() {
        let (clerk, manager) = (office.cs_clerk.clone(), office.manager.clone());
        ok(desk.submit_report(&clerk, "2026-03", "初稿。", ""));
        assert_eq!(
            report_error(desk.send_back_report(&manager, "2026-03", "  ")),
            ReportError::CommentRequired,
            "{}",
            backend.name()
        );
        let back = ok(desk.send_back_report(&manager, "2026-03", "请补充投诉分析"));
        assert_eq!(
            (back.status, back.comment.as_str()),
            (ReportStatus::Returned, "请补充投诉分析"),
            "{}",
            backend.name()
        );
        assert_eq!(
            report_error(desk.approve_report(&manager, "2026-03", "")),
            ReportError::NotSubmitted,
            "{}",
            backend.name()
        );
        let again = ok(desk.submit_report(&clerk, "2026-03", "初稿。投诉一起，已结案。", ""));
        assert_eq!(again.status, ReportStatus::Submitted, "{}", backend.name());
        let history = ok(desk.store().history_of(Entity::MonthlyReport, again.id).map_err(AppError::from));
        assert!(history.iter().any(|h| h.reason.as_deref() == Some("请补充投诉分析")), "{history:?}");
    }
}

#[test]
fn r_rv_4_an_approved_report_cannot_be_changed_or_deleted_in_the_file() {
    for (backend, mut desk, office, _) in march_report() {
        ok(desk.submit_report(&office.cs_clerk, "2026-03", "分析。", ""));
        ok(desk.approve_report(&office.manager, "2026-03", ""));
        drop(desk);
        assert!(backend.refuses("UPDATE monthly_reports SET analysis = 'x'"), "{}", backend.name());
        assert!(backend.refuses("DELETE FROM monthly_reports"), "{}", backend.name());
    }
}

/// Issue 19: a new office's 统计 opened on an empty last month. It opens on
/// the newest month before this one that holds a row, else this month.
#[test]
fn the_stats_tab_opens_on_the_newest_month_with_rows_or_this_month() {
    for (backend, mut desk, office, clock) in offices_in_march() {
        assert_eq!(ok(desk.stats_opening_month()), "2026-03", "{}: a new office: this month", backend.name());
        housekeeping(&mut desk, &office, &clock, "2026-03-03", "1-1-101");
        housekeeping(&mut desk, &office, &clock, "2026-04-01", "2-1-101");
        clock.set(at("2026-04-15 09:00"));
        assert_eq!(
            ok(desk.stats_opening_month()),
            "2026-03",
            "{}: last month, as the report covers it",
            backend.name()
        );
        clock.set(at("2026-07-10 09:00"));
        assert_eq!(ok(desk.stats_opening_month()), "2026-04", "{}: May and June were empty", backend.name());
    }
}
