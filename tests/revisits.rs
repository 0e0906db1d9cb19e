//! Revisits on a real database (R-RV-1..5): a month's plan drawn from the
//! jobs finished in it, saved and changed only by a recorded redraw; the
//! mandatory households; revisits and the complaints they bring reaching
//! the next month's plan; the quarter's check; the CLI's JSON.

mod common;

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

#[test]
fn r_rv_1_the_month_plan_is_sampled_saved_and_changed_only_by_a_recorded_redraw() {
    let (db, office) = office_db();
    let clock = TestClock::new(at("2026-03-02 09:00"));
    let mut desk = open_at(&db.path, clock.clock());
    for room in rooms(12) {
        finished_job(&mut desk, &office, &clock, "2026-03-02", &room);
    }
    clock.set(at("2026-04-02 09:30"));
    let cs = office.cs_clerk.clone();
    let plan = ok(desk.draw_revisit_plan(&cs, "2026-03"));
    assert_eq!((plan.households_served, plan.sample_size), (12, 4), "30 % of 12, rounded up");
    assert_eq!(plan.rows.iter().filter(|r| r.reasons.contains(&RevisitReason::Sample)).count(), 4);
    let again = desk.draw_revisit_plan(&cs, "2026-03");
    assert!(matches!(again, Err(AppError::Revisit(RevisitError::PlanExists))), "never silently replaced");
    let no_reason = desk.redraw_revisit_plan(&cs, "2026-03", " ");
    assert!(matches!(no_reason, Err(AppError::Revisit(RevisitError::ReasonRequired))));
    let redrawn = ok(desk.redraw_revisit_plan(&cs, "2026-03", "补录了两单完工"));
    let history = desk.store().history_of(Entity::RevisitPlan, plan.id).unwrap_or_default();
    assert!(history.iter().any(|h| h.reason.as_deref() == Some("补录了两单完工")), "the redraw is recorded");
    let rooms_before: Vec<&str> = plan.rows.iter().map(|r| r.room.as_str()).collect();
    let rooms_after: Vec<&str> = redrawn.rows.iter().map(|r| r.room.as_str()).collect();
    assert_eq!(rooms_before, rooms_after, "the same facts and seed draw the same households");
    ok(desk.record_revisit(&cs, redrawn.rows[0].id, &satisfied()));
    let locked = desk.redraw_revisit_plan(&cs, "2026-03", "再抽一次");
    assert!(matches!(locked, Err(AppError::Revisit(RevisitError::PlanInUse))), "revisits pin the plan");
}

#[test]
fn r_rv_2_a_complaint_at_a_revisit_puts_the_staff_members_next_service_on_the_plan() {
    let (db, office) = office_db();
    let clock = TestClock::new(at("2026-03-02 09:00"));
    let mut desk = open_at(&db.path, clock.clock());
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
    unhappy.complaint = Some(ComplaintDraft { what: "迟到一小时".into(), severity: Severity::Minor });
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

#[test]
fn r_rv_3_unreachable_residents_and_in_person_visits_follow_the_rules() {
    let (db, office) = office_db();
    let clock = TestClock::new(at("2026-03-02 09:00"));
    let mut desk = open_at(&db.path, clock.clock());
    let cs = office.cs_clerk.clone();
    finished_job(&mut desk, &office, &clock, "2026-03-02", "3-2-201");
    clock.set(at("2026-04-02 09:30"));
    let plan = ok(desk.draw_revisit_plan(&cs, "2026-03"));
    let household = plan.rows[0].id;
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

#[test]
fn r_rv_5_the_quarter_check_covers_five_percent() {
    let (db, office) = office_db();
    let clock = TestClock::new(at("2026-03-02 09:00"));
    let mut desk = open_at(&db.path, clock.clock());
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
    let (db, office) = office_db();
    let clock = TestClock::new(at("2026-03-02 09:00"));
    let mut desk = open_at(&db.path, clock.clock());
    finished_job(&mut desk, &office, &clock, "2026-03-02", "3-2-201");
    clock.set(at("2026-04-01 08:30"));
    let control = office.clerk(homedesk::domain::Desk::ControlCenter).clone();
    assert!(ok(desk.draw_due_revisit_plan(&control)).is_none(), "revisits are the CS center's work");
    let drawn = ok(desk.draw_due_revisit_plan(&office.cs_clerk));
    assert_eq!(drawn.map(|p| p.period), Some("2026-03".to_string()));
    assert!(ok(desk.draw_due_revisit_plan(&office.cs_clerk)).is_none(), "drawn once, not again");
}

#[test]
fn r_rv_3_an_unreachable_household_is_called_again_and_a_reached_one_is_revisited_once() {
    let (db, office) = office_db();
    let clock = TestClock::new(at("2026-03-02 09:00"));
    let mut desk = open_at(&db.path, clock.clock());
    let cs = office.cs_clerk.clone();
    finished_job(&mut desk, &office, &clock, "2026-03-02", "3-2-201");
    clock.set(at("2026-04-02 09:30"));
    let household = ok(desk.draw_revisit_plan(&cs, "2026-03")).rows[0].id;
    let unreachable = RevisitAnswer { ratings: None, attempts: "09:40 未接通".into(), ..satisfied() };
    ok(desk.record_revisit(&cs, household, &unreachable));
    clock.set(at("2026-04-03 10:00"));
    ok(desk.record_revisit(&cs, household, &satisfied()));
    let plan = ok(desk.revisit_plan("2026-03")).unwrap_or_else(|| panic!("saved"));
    assert_eq!(plan.progress(), (1, 0, 0), "the second call reached the resident");
    let again = desk.record_revisit(&cs, household, &satisfied());
    assert!(matches!(again, Err(AppError::Revisit(RevisitError::AlreadyRevisited))), "{again:?}");
}
