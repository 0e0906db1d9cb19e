//! Revisits on a real database (R-RV-1..5): a month's plan drawn from the
//! jobs finished in it, saved and changed only by a recorded redraw; the
//! mandatory households; revisits and the complaints they bring reaching
//! the next month's plan; the quarter's check; the CLI's JSON.

mod common;

use common::backends;
use common::*;
use homedesk::app::AppError;
use homedesk::domain::{
    ComplaintDraft, Entity, Opinion, Ratings, RevisitAnswer, RevisitError, RevisitMethod, RevisitReason,
    Severity,
};

fn ok<T>(result: Result<T, AppError>) -> T {
    result.unwrap_or_else(|e| panic!("{e:?}"))
}

fn rooms(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{}-1-{}", i / 20 + 1, 101 + i % 20)).collect()
}

fn satisfied() -> RevisitAnswer {
    let all = Opinion::Satisfied;
    RevisitAnswer {
        method: RevisitMethod::Phone,
        ratings: Some(Ratings { timeliness: all, skill: all, attitude: all }),
        comments: String::new(),
        needs: String::new(),
        attempts: String::new(),
        complaint: None,
    }
}

/// Twelve households served on 2026-03-02 and March's plan drawn by the
/// CS clerk on 2026-04-02.
fn march_plan_of_twelve(
    desk: &mut homedesk::app::HomeDesk,
    office: &Office,
    clock: &TestClock,
) -> homedesk::domain::RevisitPlan {
    clock.set(at("2026-03-02 09:00"));
    for room in rooms(12) {
        finished_job(desk, office, clock, "2026-03-02", &room);
    }
    clock.set(at("2026-04-02 09:30"));
    ok(desk.draw_revisit_plan(&office.cs_clerk, "2026-03"))
}

/// One job finished at 3-2-201 on 2026-03-02 and March's plan drawn on 2026-04-02.
fn march_plan_of_one(
    desk: &mut homedesk::app::HomeDesk,
    office: &Office,
    clock: &TestClock,
) -> homedesk::domain::RevisitPlan {
    clock.set(at("2026-03-02 09:00"));
    finished_job(desk, office, clock, "2026-03-02", "3-2-201");
    clock.set(at("2026-04-02 09:30"));
    ok(desk.draw_revisit_plan(&office.cs_clerk, "2026-03"))
}

#[test]
fn r_rv_1_the_month_plan_is_sampled_saved_and_changed_only_by_a_recorded_redraw() {
    let clock = TestClock::new(now());
    for (backend, mut desk, office) in backends::offices(|| clock.clock()) {
        let _named = backends::Named(backend.name());
        let plan = march_plan_of_twelve(&mut desk, &office, &clock);
        let cs = office.cs_clerk.clone();
        assert_eq!((plan.households_served, plan.sample_size), (12, 4), "30 % of 12, rounded up");
        assert_eq!(plan.rows.iter().filter(|r| r.reasons.contains(&RevisitReason::Sample)).count(), 4);
        let again = desk.draw_revisit_plan(&cs, "2026-03");
        assert!(matches!(again, Err(AppError::Revisit(RevisitError::PlanExists))), "never silently replaced");
        let no_reason = desk.redraw_revisit_plan(&cs, "2026-03", " ");
        assert!(matches!(no_reason, Err(AppError::Revisit(RevisitError::ReasonRequired))));
        let redrawn = ok(desk.redraw_revisit_plan(&cs, "2026-03", "补录了两单完工"));
        let history = desk.store().history_of(Entity::RevisitPlan, plan.id).unwrap_or_default();
        assert!(
            history.iter().any(|h| h.reason.as_deref() == Some("补录了两单完工")),
            "the redraw is recorded"
        );
        let rooms_before: Vec<&str> = plan.rows.iter().map(|r| r.room.as_str()).collect();
        let rooms_after: Vec<&str> = redrawn.rows.iter().map(|r| r.room.as_str()).collect();
        assert_eq!(rooms_before, rooms_after, "the same facts and seed draw the same households");
        ok(desk.record_revisit(&cs, redrawn.rows[0].id, &satisfied()));
        let locked = desk.redraw_revisit_plan(&cs, "2026-03", "再抽一次");
        assert!(matches!(locked, Err(AppError::Revisit(RevisitError::PlanInUse))), "revisits pin the plan");
    }
}

#[test]
fn r_rv_2_a_complaint_at_a_revisit_puts_the_staff_members_next_service_on_the_plan() {
    let clock = TestClock::new(now());
    for (backend, mut desk, office) in backends::offices(|| clock.clock()) {
        let _named = backends::Named(backend.name());
        clock.set(at("2026-03-02 09:00"));
        let cs = office.cs_clerk.clone();
        let first = finished_job(&mut desk, &office, &clock, "2026-03-02", "3-2-201");
        clock.set(at("2026-04-02 09:30"));
        let march = ok(desk.draw_revisit_plan(&cs, "2026-03"));
        let row = march
            .rows
            .iter()
            .find(|r| r.request == Some(first))
            .cloned()
            .unwrap_or_else(|| panic!("not on plan"));
        let mut unhappy = satisfied();
        unhappy.ratings = Some(Ratings {
            timeliness: Opinion::Dissatisfied,
            skill: Opinion::Satisfied,
            attitude: Opinion::Satisfied,
        });
        let refused = desk.record_revisit(&cs, row.id, &unhappy);
        assert!(matches!(refused, Err(AppError::Revisit(RevisitError::ComplaintRequired))));
        unhappy.complaint =
            Some(ComplaintDraft { what: "迟到一小时".into(), severity: Severity::Minor });
        ok(desk.record_revisit(&cs, row.id, &unhappy));
        let complaints = ok(desk.complaints());
        assert_eq!(complaints.len(), 1);
        assert_eq!(
            complaints[0].staff.as_ref().map(|s| s.0),
            Some(office.housekeeper),
            "against the job's staff member"
        );
        ok(desk.close_complaint(&office.manager, complaints[0].id, "已批评教育，向住户致歉"));
        // The housekeeper's next job, in April, is revisited whatever the draw.
        let next = finished_job(&mut desk, &office, &clock, "2026-04-06", "5-1-302");
        for room in rooms(30) {
            finished_job(&mut desk, &office, &clock, "2026-04-07", &room);
        }
        clock.set(at("2026-05-02 09:30"));
        let april = ok(desk.draw_revisit_plan(&cs, "2026-04"));
        let flagged = april.rows.iter().find(|r| r.request == Some(next)).map(|r| r.reasons.clone());
        assert!(flagged.is_some_and(|r| r.contains(&RevisitReason::ComplainedStaff)), "R-RV-2 (D)");
    }
}

#[test]
fn r_rv_3_unreachable_residents_and_in_person_visits_follow_the_rules() {
    let clock = TestClock::new(now());
    for (backend, mut desk, office) in backends::offices(|| clock.clock()) {
        let _named = backends::Named(backend.name());
        let cs = office.cs_clerk.clone();
        let household = march_plan_of_one(&mut desk, &office, &clock).rows[0].id;
        let mut visit = satisfied();
        visit.method = RevisitMethod::InPerson;
        let refused = desk.record_revisit(&cs, household, &visit);
        assert!(matches!(refused, Err(AppError::Revisit(RevisitError::InPersonNotAgreement))));
        let unreachable = RevisitAnswer { ratings: None, ..satisfied() };
        assert!(matches!(
            desk.record_revisit(&cs, household, &unreachable),
            Err(AppError::Revisit(RevisitError::AttemptsRequired))
        ));
        ok(desk.record_revisit(
            &cs,
            household,
            &RevisitAnswer { attempts: "10:05、16:20 两次未接通".into(), ..unreachable },
        ));
        let plan = ok(desk.revisit_plan("2026-03")).unwrap_or_else(|| panic!("saved"));
        assert_eq!(plan.progress(), (0, 0, 1), "one household, unreachable");
        let pdf = ok(desk.print_revisits(&plan, true));
        let text = common::pdf::all_text(&common::pdf::load(&pdf));
        assert!(text.contains("居家服务回访记录表") && text.contains("两次未接通"), "{text}");
        assert!(desk.store().check_invariants().unwrap_or_default().is_empty());
    }
}

#[test]
fn r_rv_5_the_quarter_check_covers_five_percent() {
    let clock = TestClock::new(now());
    for (backend, mut desk, office) in backends::offices(|| clock.clock()) {
        let _named = backends::Named(backend.name());
        clock.set(at("2026-03-02 09:00"));
        for room in rooms(21) {
            finished_job(&mut desk, &office, &clock, "2026-03-03", &room);
        }
        clock.set(at("2026-04-02 09:30"));
        let check = ok(desk.draw_quality_check(&office.manager, "2026-Q1"));
        assert_eq!(
            (check.households_served, check.sample_size, check.rows.len()),
            (21, 2, 2),
            "5 % of 21, rounded up"
        );
    }
}

#[test]
fn the_revisit_plan_command_prints_the_stable_json() {
    let (db, office) = office_db();
    {
        let clock = TestClock::new(at("2026-03-02 09:00"));
        let mut desk = open_at(&db.path, clock.clock());
        finished_job(&mut desk, &office, &clock, "2026-03-02", "3-2-201");
    }
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_homedesk"))
        .arg("--db")
        .arg(&db.path)
        .args(["revisit-plan", "--month", "2026-03", "--json"])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let value: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("json: {e}"));
    assert_eq!(value["month"], "2026-03");
    assert_eq!(value["households_served"], 1);
    assert_eq!(value["sample_size"], 1);
    assert_eq!(value["households"][0]["room"], "3栋2单元201");
    assert_eq!(value["households"][0]["reasons"][0], "sample");
}

#[test]
fn r_rv_1_the_first_cs_session_of_a_month_finds_last_months_plan_drawn() {
    let clock = TestClock::new(now());
    for (backend, mut desk, office) in backends::offices(|| clock.clock()) {
        let _named = backends::Named(backend.name());
        clock.set(at("2026-03-02 09:00"));
        finished_job(&mut desk, &office, &clock, "2026-03-02", "3-2-201");
        clock.set(at("2026-04-01 08:30"));
        let control = office.clerk(homedesk::domain::Desk::ControlCenter).clone();
        assert!(ok(desk.draw_due_revisit_plan(&control)).is_none(), "revisits are the CS center's work");
        let drawn = ok(desk.draw_due_revisit_plan(&office.cs_clerk));
        assert_eq!(drawn.map(|p| p.period), Some("2026-03".to_string()));
        assert!(ok(desk.draw_due_revisit_plan(&office.cs_clerk)).is_none(), "drawn once, not again");
    }
}

#[test]
fn r_rv_3_an_unreachable_household_is_called_again_and_a_reached_one_is_revisited_once() {
    let clock = TestClock::new(now());
    for (backend, mut desk, office) in backends::offices(|| clock.clock()) {
        let _named = backends::Named(backend.name());
        let cs = office.cs_clerk.clone();
        let household = march_plan_of_one(&mut desk, &office, &clock).rows[0].id;
        let unreachable = RevisitAnswer { ratings: None, attempts: "09:40 未接通".into(), ..satisfied() };
        ok(desk.record_revisit(&cs, household, &unreachable));
        clock.set(at("2026-04-03 10:00"));
        ok(desk.record_revisit(&cs, household, &satisfied()));
        let plan = ok(desk.revisit_plan("2026-03")).unwrap_or_else(|| panic!("saved"));
        assert_eq!(plan.progress(), (1, 0, 0), "the second call reached the resident");
        let again = desk.record_revisit(&cs, household, &satisfied());
        assert!(matches!(again, Err(AppError::Revisit(RevisitError::AlreadyRevisited))), "{again:?}");
    }
}

/// Cleaning three times a week for the resident of `room`, the term from
/// `start` to `end`, signed by the manager at the clock's time.
fn signed_agreement(desk: &mut homedesk::app::HomeDesk, office: &Office, room: &str, start: &str, end: &str) {
    let draft = agreement_draft(office, room, start, end);
    let id = ok(desk.save_agreement_draft(&office.manager, None, &draft));
    ok(desk.confirm_agreement(&office.cs_clerk, id));
    ok(desk.sign_agreement(&office.manager, id));
}

#[test]
fn r_rv_2_an_agreement_signed_in_a_month_is_new_in_it_in_the_figures_and_on_the_plan() {
    let clock = TestClock::new(now());
    for (backend, mut desk, office) in backends::offices(|| clock.clock()) {
        let _named = backends::Named(backend.name());
        clock.set(at("2026-11-10 10:00"));
        // Three signed on 10 November; two of them start serving in a later month.
        signed_agreement(&mut desk, &office, "3-2-201", "2026-11-16", "2027-05-15");
        signed_agreement(&mut desk, &office, "5-1-101", "2026-12-01", "2027-05-31");
        signed_agreement(&mut desk, &office, "7-3-302", "2027-01-04", "2027-07-03");
        clock.set(at("2027-02-02 09:00"));
        let new_in =
            |desk: &homedesk::app::HomeDesk, month: &str| ok(desk.month_figures(month)).agreements.new;
        assert_eq!(new_in(&desk, "2026-11"), 3, "counted by the signing date");
        assert_eq!((new_in(&desk, "2026-12"), new_in(&desk, "2027-01")), (0, 0), "and in no other month");
        let plan = ok(desk.preview_revisit_plan("2026-11"));
        let new_on_plan =
            plan.households.iter().filter(|h| h.reasons.contains(&RevisitReason::NewAgreement)).count();
        assert_eq!(new_on_plan, 3, "the plan's reason and the figures agree");
        let report = ok(desk.report_content("2026-11"));
        assert_eq!(report.figures.agreements.new, 3, "the monthly report too");
    }
}

#[test]
fn r_rv_4_the_printed_revisit_record_and_the_report_give_one_coverage() {
    let clock = TestClock::new(now());
    for (backend, mut desk, office) in backends::offices(|| clock.clock()) {
        let _named = backends::Named(backend.name());
        let plan = march_plan_of_twelve(&mut desk, &office, &clock);
        let cs = office.cs_clerk.clone();
        assert!(plan.rows.len() >= 4, "the sample at least");
        ok(desk.record_revisit(&cs, plan.rows[0].id, &satisfied()));
        let unreachable =
            RevisitAnswer {
                ratings: None, attempts: "4月2日、3日各打两次未接".into(), ..satisfied()
            };
        ok(desk.record_revisit(&cs, plan.rows[1].id, &unreachable));

        let figures = ok(desk.month_figures("2026-03")).revisits;
        let planned = plan.rows.len() as u32;
        assert_eq!((figures.revisited, figures.unreachable, figures.planned), (1, 1, planned));
        let expected = (1000 + planned / 2) / planned;
        assert_eq!(
            figures.coverage_per_mille,
            Some(expected),
            "revisited of planned; not reached is not covered"
        );
        let plan = ok(desk.revisit_plan("2026-03")).unwrap_or_else(|| panic!("saved"));
        let pdf = ok(desk.print_revisits(&plan, true));
        let text = common::pdf::all_text(&common::pdf::load(&pdf));
        let printed = format!("覆盖率{}.{}%", expected / 10, expected % 10);
        assert!(text.contains(&printed), "the printed record says the report's {printed}: {text}");
    }
}

#[test]
fn r_rv_1_imported_finished_rows_count_by_their_sign_off_else_their_appointment() {
    let clock = TestClock::new(now());
    for (backend, mut desk, office) in backends::offices(|| clock.clock()) {
        let _named = backends::Named(backend.name());
        clock.set(at("2026-03-02 09:00"));
        let files = temp_db();
        let path = files.dir.path().join("paper-months.csv");
        let text = "登记簿,受理时间,受理人,房号,住户姓名,电话,服务项目,服务内容及要求,预约时间,服务人员,议定价格,状态,签单人,签单时间\n\
                    家政,2026-01-28 09:30,陈客服,3-2-201,张阿姨,13912345678,厨房保洁,油烟机,2026-01-30 09:00,孙保洁,100,已签单,张阿姨,2026-02-03 10:00\n\
                    家政,2026-02-05 15:10,陈客服,5栋101,王伯,13800001111,厨房保洁,,2026-02-06 14:00,孙保洁,100,已完成,,\n\
                    家政,2026-02-07 15:10,陈客服,6栋101,李伯,13800002222,厨房保洁,,2026-02-08 14:00,孙保洁,100,已取消,,\n";
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        let outcome =
            desk.import_file(&office.manager, homedesk::import::ImportKind::Register, &path, &mut |_| {});
        assert!(matches!(outcome, Ok(homedesk::app::ImportOutcome::Imported(3))), "{outcome:?}");

        // February: the row signed off on 3 February and the one done by its
        // 6 February appointment; January none (the first was signed off later).
        let february = ok(desk.preview_revisit_plan("2026-02"));
        assert_eq!(february.households_served, 2, "{february:?}");
        assert_eq!(ok(desk.preview_revisit_plan("2026-01")).households_served, 0);
        // The figures count the rows received in a month as finished the same way.
        assert_eq!(ok(desk.month_figures("2026-01")).completion.finished, 1);
        assert_eq!(
            ok(desk.month_figures("2026-02")).completion.finished,
            1,
            "the cancelled row is not finished"
        );
        let plan = ok(desk.draw_revisit_plan(&office.cs_clerk, "2026-02"));
        let shown: Vec<_> = plan.rows.iter().map(|r| r.service_date.map(|d| d.to_string())).collect();
        let when = [Some("2026-02-03".to_string()), Some("2026-02-06".to_string())];
        assert!(
            !shown.is_empty() && shown.iter().all(|d| when.contains(d)),
            "the plan shows the sign-off, else the appointment, as the service date: {shown:?}"
        );
    }
}

#[test]
fn r_rv_2_a_household_on_the_plan_for_the_repair_handover_is_asked_about_the_repair() {
    let clock = TestClock::new(now());
    for (backend, mut desk, office) in backends::offices(|| clock.clock()) {
        let _named = backends::Named(backend.name());
        clock.set(at("2026-03-02 10:00"));
        let repair = ok(desk.register_request(&office.control_clerk, &repair_draft(&office))).id;
        clock.set(at("2026-03-03 08:45"));
        ok(desk.hand_over_repairs(
            &office.control_clerk,
            chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default(),
            "陈客服",
        ));
        // A housekeeping job in the same room, finished later in the month.
        let cleaning = finished_job(&mut desk, &office, &clock, "2026-03-20", "3-2-201");
        assert!(cleaning > repair);
        clock.set(at("2026-04-02 09:30"));
        let plan = ok(desk.draw_revisit_plan(&office.cs_clerk, "2026-03"));
        let row = plan.rows.iter().find(|r| r.reasons.contains(&RevisitReason::RepairHandover));
        let row = row.unwrap_or_else(|| panic!("the handover's household: {plan:?}"));
        let cause = row.causes.iter().find(|c| c.reason == RevisitReason::RepairHandover);
        let cause = cause.unwrap_or_else(|| panic!("the reason's job: {row:?}"));
        assert_eq!((cause.request, cause.no.as_str()), (repair, "WX-2026-000001"));
        assert!(!cause.service.is_empty());
        // The housekeeper is new: that reason names the cleaning, each its own job.
        for reason in [RevisitReason::Sample, RevisitReason::NewStaff] {
            let job = row.causes.iter().find(|c| c.reason == reason);
            assert!(job.is_none_or(|c| c.request == cleaning), "{reason:?} is about the cleaning: {row:?}");
        }
        if row.reasons == [RevisitReason::RepairHandover] {
            assert_eq!(row.request, Some(repair), "asked about the repair handed over");
        }
    }
}
