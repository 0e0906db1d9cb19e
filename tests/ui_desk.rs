//! Issue 19, "the desk in daily use": flows through the app as a clerk
//! works them (egui_kittest), one or more per item — controls that stay
//! put, Tab order, lists that start at the top, messages that stay with
//! their person and view, step times, money steps confirmed, revisit
//! answers not assumed, phones masked and checked.

mod common;
#[path = "common/ui.rs"]
mod ui;

use common::{Office, TestClock, TestDb, at, finished_job, housekeeping_draft, office_db, open_at};
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use homedesk::app::{HomeDesk, StepInput};
use homedesk::domain::{Entity, Opinion, RequestId, RequestStatus, StepKind, User};
use homedesk::i18n::{Texts, fill};
use ui::{
    Desk, button_rect, click_button, click_last, field_text, filled_to, pick_listed_service, replace_text,
    shows, shows_part, sign_in_as, signed_in, tx, type_into, wait_for,
};

/// The test office with a clock the test moves.
fn ticking_office(start: &str) -> (TestDb, HomeDesk, Office, TestClock) {
    let (db, office) = office_db();
    let clock = TestClock::new(at(start));
    let desk = open_at(&db.path, clock.clock());
    (db, desk, office, clock)
}

/// A housekeeping job for `room` at `appointment`, sent directly to the housekeeper.
fn dispatched(desk: &mut HomeDesk, office: &Office, room: &str, appointment: &str) -> RequestId {
    let mut draft = housekeeping_draft(office);
    draft.room = room.into();
    draft.appointment = appointment.into();
    let cs = office.cs_clerk.clone();
    let row = desk.register_request(&cs, &draft).unwrap_or_else(|e| panic!("{e:?}"));
    let send = StepInput::Dispatch { staff: office.housekeeper, round: None, copier: None };
    desk.take_step(&cs, row.id, &send).unwrap_or_else(|e| panic!("{e:?}"));
    row.id
}

fn status_of(harness: &Desk, id: RequestId) -> RequestStatus {
    harness.state().desk().store().get_request(id).map(|r| r.status).unwrap_or(RequestStatus::Cancelled)
}

fn open_tab(harness: &mut Desk, title: &str) {
    harness.query_all_by_label(title).next().unwrap_or_else(|| panic!("no tab {title}")).click();
    harness.run();
}

/// The CS clerk's window on 派单, the first job's step form `kind` open.
fn step_form_of_the_first_job(desk: HomeDesk, office: &Office, kind: StepKind) -> Desk {
    let t = tx();
    let mut harness = signed_in(desk, office.cs_clerk.clone(), "cs1");
    open_tab(&mut harness, t.tab_dispatch);
    click_last(&mut harness, "JZ-2026-000001");
    click_button(&mut harness, &t.step_button(kind));
    harness
}

/// Item 1 and 14: a refused phone on the staff form shows its message
/// without moving the form, and "abc" is refused as the import refuses it.
#[test]
fn a_message_on_the_staff_form_moves_no_button_and_abc_is_no_phone() {
    let t = tx();
    let (db, office) = office_db();
    let desk = open_at(&db.path, common::fixed_clock(common::now()));
    let mut harness = signed_in(desk, office.manager.clone(), common::MANAGER_LOGIN);
    open_tab(&mut harness, t.tab_settings);
    open_tab(&mut harness, t.settings_staff);
    let staff_before = harness.state().desk().store().list_staff().map(|s| s.len()).unwrap_or_default();
    type_into(&mut harness, t.staff_name, "何桂兰");
    let save_before = button_rect(&harness, t.save);
    type_into(&mut harness, t.staff_phone, "abc");
    click_button(&mut harness, t.save);
    harness.run();
    assert!(shows(&harness, t.err_phone), "the phone is refused as the import refuses it");
    let staff_after = harness.state().desk().store().list_staff().map(|s| s.len()).unwrap_or_default();
    assert_eq!(staff_after, staff_before, "nothing saved");
    let save_after = button_rect(&harness, t.save);
    assert_eq!(save_after.min, save_before.min, "保存 stays where it was: {save_before:?} → {save_after:?}");
}

/// Item 1: the step buttons of a job are at the same place whether or not
/// the job is flagged overdue, and 退回 asks once more before it acts.
#[test]
fn the_step_buttons_stay_put_and_a_return_asks_once_more() {
    let t = tx();
    let (_db, mut desk, office, clock) = ticking_office("2026-03-02 09:00");
    let late = dispatched(&mut desk, &office, "1-1-101", "2026-03-02 09:30");
    dispatched(&mut desk, &office, "2-1-101", "2026-03-02 11:00");
    clock.set(at("2026-03-02 10:00"));
    let mut harness = signed_in(desk, office.cs_clerk.clone(), "cs1");
    open_tab(&mut harness, t.tab_dispatch);
    click_last(&mut harness, "JZ-2026-000002");
    let on_time = button_rect(&harness, &t.step_button(StepKind::Arrive));
    click_last(&mut harness, "JZ-2026-000001");
    assert!(shows(&harness, t.overdue), "the first job is overdue");
    let overdue = button_rect(&harness, &t.step_button(StepKind::Arrive));
    assert_eq!(overdue.min, on_time.min, "the overdue line moves no button");

    click_button(&mut harness, &t.step_button(StepKind::Return));
    type_into(&mut harness, t.step_reason, "2026-03-02 09:58");
    click_button(&mut harness, t.save);
    assert_eq!(status_of(&harness, late), RequestStatus::Dispatched, "not yet: the desk is asked first");
    assert!(
        shows_part(&harness, &filled_to(t.step_confirm_return, &[("no", &"JZ-2026-000001")], "{staff}")),
        "the question names the job"
    );
    assert!(
        shows_part(
            &harness,
            &fill(
                t.step_confirm_return,
                &[("no", &"JZ-2026-000001"), ("staff", &"孙保洁"), ("reason", &"2026-03-02 09:58")]
            )
        ),
        "and reads the reason back"
    );
    click_button(&mut harness, t.confirm_back);
    assert_eq!(status_of(&harness, late), RequestStatus::Dispatched);
    click_button(&mut harness, t.save);
    click_button(&mut harness, &fill(t.step_confirm_act, &[("step", &t.step_kind(StepKind::Return))]));
    assert_eq!(status_of(&harness, late), RequestStatus::Registered, "returned once confirmed");
}

/// A second Enter that lands in the frame the first one's save runs in
/// (the step is asked about once more) does not answer the question for
/// the desk: 退回 still waits for its own button.
#[test]
fn a_second_enter_does_not_answer_a_returns_question() {
    let t = tx();
    let (_db, mut desk, office, clock) = ticking_office("2026-03-02 09:00");
    let job = dispatched(&mut desk, &office, "1-1-101", "2026-03-02 09:30");
    clock.set(at("2026-03-02 10:00"));
    let mut harness = step_form_of_the_first_job(desk, &office, StepKind::Return);
    type_into(&mut harness, t.step_reason, "住户改期");
    // `key_down`: kittest steps a frame per queued event, so that a
    // key_press's release would take the frame the second Enter must land in.
    harness.key_down(egui::Key::Enter);
    harness.step();
    assert!(shows(&harness, t.form_saving), "the first Enter's frame says 正在保存…");
    // The second Enter lands in the frame the first one's save runs in.
    harness.key_down(egui::Key::Enter);
    harness.step();
    harness.key_up(egui::Key::Enter);
    harness.run();
    assert_eq!(
        status_of(&harness, job),
        RequestStatus::Dispatched,
        "not returned: the question is still open"
    );
    assert!(
        shows_part(&harness, &filled_to(t.step_confirm_return, &[("no", &"JZ-2026-000001")], "{staff}")),
        "the question is on screen"
    );
    click_button(&mut harness, &fill(t.step_confirm_act, &[("step", &t.step_kind(StepKind::Return))]));
    assert_eq!(
        status_of(&harness, job),
        RequestStatus::Registered,
        "returned once its own button is clicked"
    );
}

/// R-FU-4: a row of the day-end review says 正在保存… beside its own
/// button in the click's frame (the view's line may be out of sight), and
/// the answer is recorded in the next.
#[test]
fn r_fu_4_a_review_row_says_saving_beside_its_button_before_it_records() {
    let t = tx();
    let (_db, mut desk, office, _clock) = ticking_office("2026-03-02 09:00");
    dispatched(&mut desk, &office, "1-1-101", "2026-03-02 09:30");
    let mut harness = signed_in(desk, office.cs_clerk.clone(), "cs1");
    open_tab(&mut harness, t.tab_dispatch);
    open_tab(&mut harness, t.view_day_review);
    type_into(&mut harness, t.review_reason, "住户不在家");
    type_into(&mut harness, t.review_expected, "2026-03-03 10:00");
    type_into(&mut harness, t.review_handling, "明天再去");
    let answered = |h: &Desk| {
        let review = h
            .state()
            .desk()
            .day_review(homedesk::domain::Desk::CsCenter, common::at("2026-03-02 09:00").date());
        review.map(|r| r.answers.len()).unwrap_or(0)
    };
    let button = button_rect(&harness, t.review_save);
    harness.get_by_role_and_label(Role::Button, t.review_save).click();
    harness.step();
    assert!(shows(&harness, t.form_saving), "正在保存… in the click's frame");
    assert_eq!(answered(&harness), 0, "not yet: the frame saying so comes first");
    let beside = harness.query_all_by_label(t.form_saving).any(|n| {
        (n.rect().center().y - button.center().y).abs() < button.height() && n.rect().min.x >= button.max.x
    });
    assert!(beside, "beside its button, not only in the view's line");
    assert_eq!(button_rect(&harness, t.review_save), button, "the button stays put");
    harness.run();
    assert_eq!(answered(&harness), 1, "recorded in the frame after");
    assert!(!shows(&harness, t.form_saving), "and the row says so no more");
}

/// Item 2: Tab after picking from a drop-down goes on to the next field,
/// not back to 房号.
#[test]
fn tab_after_a_drop_down_goes_to_the_next_field() {
    let t = tx();
    let (db, office) = office_db();
    let desk = open_at(&db.path, common::fixed_clock(common::now()));
    let mut harness = signed_in(desk, office.cs_clerk.clone(), "cs1");
    click_button(&mut harness, t.new_request);
    type_into(&mut harness, t.field_room, "3-2-201");
    type_into(&mut harness, t.field_resident, "张三");
    pick_listed_service(&mut harness, t.field_service);
    harness.key_press(egui::Key::Tab);
    harness.run();
    harness.event(egui::Event::Text("全屋保洁".into()));
    harness.run();
    assert_eq!(field_text(&harness, t.field_details), "全屋保洁", "Tab went on to the next field");
    assert_eq!(field_text(&harness, t.field_room), "3-2-201", "the room is untouched");
    assert_eq!(field_text(&harness, t.field_resident), "张三", "the resident is untouched");
}

/// Item 3: a new search shows its newest rows, not the scroll position of
/// the last list.
#[test]
fn a_new_search_starts_at_the_top() {
    let t = tx();
    let (_db, mut desk, office, clock) = ticking_office("2026-03-02 08:00");
    let cs = office.cs_clerk.clone();
    for n in 0..90 {
        clock.set(at("2026-03-02 08:00") + chrono::Duration::minutes(n));
        let mut draft = housekeeping_draft(&office);
        draft.resident_name = if n % 3 == 0 { "李先生".into() } else { "王阿姨".into() };
        draft.room = format!("{}-1-{}", n % 9 + 1, 101 + n / 9);
        desk.register_request(&cs, &draft).unwrap_or_else(|e| panic!("{e:?}"));
    }
    let mut harness = signed_in(desk, cs, "cs1");
    assert!(wait_for(&mut harness, "JZ-2026-000090"), "the newest row first");
    let table = harness.get_by_label("JZ-2026-000090").rect().center();
    harness.hover_at(table);
    for _ in 0..10 {
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -2000.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
            modifiers: egui::Modifiers::NONE,
        });
        harness.run();
    }
    assert!(!shows(&harness, "JZ-2026-000090"), "scrolled down to the oldest rows");
    type_into(&mut harness, t.search, "王阿姨");
    harness.step();
    // Row 90 (n = 89) is 王阿姨's: the newest match.
    assert!(wait_for(&mut harness, "JZ-2026-000090"), "the newest match shows at the top");
}

/// Item 4 and 7: finance sees the cash and who hands it over before
/// receiving it; the message stays with 收费交接 and with finance.
#[test]
fn r_fee_2_cash_is_received_after_seeing_it_and_the_message_stays_with_its_view_and_person() {
    let t = tx();
    let (_db, mut desk, office, clock) = ticking_office("2026-03-02 09:00");
    let id = finished_job(&mut desk, &office, &clock, "2026-03-02", "3-2-201");
    let collect =
        StepInput::Collect { amount: yuan(100), collector: office.manager.staff_id, reason: String::new() };
    desk.take_step(&office.cs_clerk, id, &collect).unwrap_or_else(|e| panic!("{e:?}"));
    let finance = common::finance_clerk(&mut desk, &office.manager);
    let mut harness = signed_in(desk, finance, "fin");
    open_tab(&mut harness, t.tab_dispatch);
    open_tab(&mut harness, t.view_cash);
    click_button(&mut harness, t.cash_receive);
    assert!(
        shows_part(
            &harness,
            &filled_to(t.cash_confirm, &[("name", &"王经理"), ("amount", &yuan(100)), ("n", &1)], "{nos}")
        ),
        "the amount and who hands it over"
    );
    assert!(
        harness
            .state()
            .desk()
            .cash_days(at("2026-03-02 00:00").date(), at("2026-03-02 00:00").date())
            .map(|days| days.iter().all(|d| d.received().is_zero()))
            .unwrap_or(false),
        "nothing received before the confirmation"
    );
    click_button(&mut harness, t.cash_confirm_yes);
    let received: Vec<_> = harness
        .state()
        .desk()
        .cash_days(at("2026-03-02 00:00").date(), at("2026-03-02 00:00").date())
        .map(|days| days.iter().map(|d| d.received()).collect())
        .unwrap_or_default();
    assert_eq!(received, [yuan(100)], "received once confirmed");
    let note = &fill(t.cash_received_note, &[("name", &"王经理"), ("amount", &yuan(100))]);
    assert!(shows(&harness, note));
    open_tab(&mut harness, t.view_finance);
    assert!(!shows(&harness, note), "not under 财务结算");
    open_tab(&mut harness, t.view_cash);
    click_button(&mut harness, t.sign_out);
    sign_in_as(&mut harness, common::MANAGER_LOGIN, common::MANAGER_PASSWORD);
    assert!(!shows(&harness, note), "the next person does not read it");
    assert!(shows(&harness, t.new_request), "and starts on the register, not on 派单");
}

/// Item 7: finance settles after seeing the price, the cash and who took it.
#[test]
fn r_fee_3_settling_shows_the_amounts_and_asks_once_more() {
    let t = tx();
    let (_db, mut desk, office, clock) = ticking_office("2026-03-02 09:00");
    let id = finished_job(&mut desk, &office, &clock, "2026-03-02", "3-2-201");
    let cs = office.cs_clerk.clone();
    let collect =
        StepInput::Collect { amount: yuan(100), collector: office.manager.staff_id, reason: String::new() };
    desk.take_step(&cs, id, &collect).unwrap_or_else(|e| panic!("{e:?}"));
    desk.take_step(&cs, id, &StepInput::SignOff { signer: office.housekeeper })
        .unwrap_or_else(|e| panic!("{e:?}"));
    let finance = common::finance_clerk(&mut desk, &office.manager);
    let mut harness = signed_in(desk, finance, "fin");
    open_tab(&mut harness, t.tab_dispatch);
    open_tab(&mut harness, t.view_finance);
    click_button(&mut harness, &t.step_button(StepKind::Settle));
    assert_eq!(status_of(&harness, id), RequestStatus::SignedOff, "one click settles nothing");
    assert!(shows_part(&harness, &settle_amounts(t)), "the amounts are shown");
    click_button(&mut harness, t.settle_confirm_yes);
    assert_eq!(status_of(&harness, id), RequestStatus::Settled);
}

/// Item 7: an amount other than the agreed price is refused without a
/// reason; the reason is kept with the step.
#[test]
fn r_fee_1_collecting_other_than_the_agreed_price_asks_why() {
    let t = tx();
    let (_db, mut desk, office, clock) = ticking_office("2026-03-02 09:00");
    let id = finished_job(&mut desk, &office, &clock, "2026-03-02", "3-2-201");
    let mut harness = signed_in(desk, office.cs_clerk.clone(), "cs1");
    open_tab(&mut harness, t.tab_dispatch);
    click_last(&mut harness, "JZ-2026-000001");
    click_button(&mut harness, &t.step_button(StepKind::Collect));
    assert!(
        shows_part(&harness, &filled_to(t.step_agreed_price, &[("price", &yuan(100))], "；")),
        "the agreed price is in view"
    );
    replace_text(&mut harness, t.step_amount, "90");
    click_button(&mut harness, t.save);
    assert!(shows(&harness, t.err_step_amount_reason));
    let collected =
        |h: &Desk| h.state().desk().store().get_request(id).map(|r| r.collected.is_some()).unwrap_or(true);
    assert!(!collected(&harness), "nothing collected");
    type_into(&mut harness, t.step_amount_reason, "住户自备清洁剂");
    click_button(&mut harness, t.save);
    assert!(collected(&harness));
    let steps = harness.state().desk().store().job_steps(id).unwrap_or_default();
    assert_eq!(
        steps.last().and_then(|s| s.reason.clone()).as_deref(),
        Some("住户自备清洁剂"),
        "kept in the path"
    );
    let history = harness.state().desk().store().history_of(Entity::Request, id).unwrap_or_default();
    let last = history.iter().max_by_key(|h| h.at).and_then(|h| h.reason.clone());
    assert_eq!(last.as_deref(), Some("住户自备清洁剂"), "and in the row's history (R-FU-6)");
}

/// Item 5: nobody is "not at home" before the appointment.
#[test]
fn r_fu_3_not_home_before_the_appointment_is_refused_on_the_board() {
    let t = tx();
    let (_db, mut desk, office, clock) = ticking_office("2026-03-02 09:00");
    let id = dispatched(&mut desk, &office, "3-2-201", "2026-03-02 10:32");
    desk.issue_slip_for_job(&office.cs_clerk, id).unwrap_or_else(|e| panic!("{e:?}"));
    clock.set(at("2026-03-02 10:05"));
    let mut harness = signed_in(desk, office.cs_clerk.clone(), "cs1");
    open_tab(&mut harness, t.tab_dispatch);
    click_last(&mut harness, "JZ-2026-000001");
    click_button(&mut harness, &t.step_button(StepKind::NotHome));
    click_button(&mut harness, t.save);
    assert!(
        shows_part(&harness, &filled_to(t.err_step_not_home_early, &[("at", &"2026-03-02 10:32")], "，")),
        "refused with the appointment named"
    );
    assert_eq!(status_of(&harness, id), RequestStatus::Dispatched);
}

/// Item 5: an arrival cannot come before the dispatch it follows.
#[test]
fn r_sla_1_an_arrival_before_the_dispatch_is_refused_on_the_board() {
    let t = tx();
    // Taken in the morning, sent out at 15:41 (after a return, say).
    let (_db, mut desk, office, clock) = ticking_office("2026-03-02 09:00");
    let mut draft = housekeeping_draft(&office);
    draft.appointment = "2026-03-02 16:00".into();
    let cs = office.cs_clerk.clone();
    let id = desk.register_request(&cs, &draft).unwrap_or_else(|e| panic!("{e:?}")).id;
    clock.set(at("2026-03-02 15:41"));
    let send = StepInput::Dispatch { staff: office.housekeeper, round: None, copier: None };
    desk.take_step(&cs, id, &send).unwrap_or_else(|e| panic!("{e:?}"));
    clock.set(at("2026-03-02 16:10"));
    let mut harness = step_form_of_the_first_job(desk, &office, StepKind::Arrive);
    replace_text(&mut harness, t.step_arrived_at, "2026-03-02 14:35");
    click_button(&mut harness, t.save);
    assert!(shows(&harness, &fill(t.err_step_before_dispatch, &[("at", &"2026-03-02 15:41")])));
    let arrived = harness.state().desk().store().get_request(id).map(|r| r.arrived_at).unwrap_or_default();
    assert_eq!(arrived, None);
}

/// An office with one job finished on 2 March, opened on 2 April: the CS
/// desk's first session draws March's revisit plan (R-RV-1).
fn on_april_2nd(user: impl Fn(&Office) -> (User, String)) -> (TestDb, Desk) {
    let (db, mut desk, office, clock) = ticking_office("2026-03-02 09:00");
    finished_job(&mut desk, &office, &clock, "2026-03-02", "3-2-201");
    clock.set(at("2026-04-02 09:00"));
    let (user, login) = user(&office);
    let mut harness = signed_in(desk, user, &login);
    open_tab(&mut harness, tx().tab_revisits);
    (db, harness)
}

/// Item 12: no answer is picked for the resident; saving without the three is refused.
#[test]
fn r_rv_3_a_revisit_is_saved_only_with_the_residents_three_answers() {
    let t = tx();
    let (_db, mut harness) = on_april_2nd(|o| (o.cs_clerk.clone(), "cs1".into()));
    click_last(&mut harness, "3栋2单元201");
    let preselected = [Opinion::Satisfied, Opinion::FairlySatisfied, Opinion::Dissatisfied]
        .iter()
        .flat_map(|opinion| harness.query_all_by_role_and_label(Role::RadioButton, t.opinion(*opinion)))
        .filter(|radio| radio.accesskit_node().toggled() == Some(egui::accesskit::Toggled::True))
        .count();
    assert_eq!(preselected, 0, "no answer is picked for the resident");
    click_button(&mut harness, t.rv_save);
    assert!(shows(&harness, t.err_rv_answers));
    let recorded = |h: &Desk| {
        h.state().desk().revisit_plan("2026-03").ok().flatten().map(|p| p.progress().0).unwrap_or_default()
    };
    assert_eq!(recorded(&harness), 0, "nothing saved");
    for n in 0..3 {
        harness
            .query_all_by_role_and_label(Role::RadioButton, t.opinion(Opinion::Satisfied))
            .nth(n)
            .unwrap_or_else(|| panic!("answer {n}"))
            .click();
        harness.run();
    }
    click_button(&mut harness, t.rv_save);
    assert_eq!(recorded(&harness), 1, "saved with the three answers");
}

/// Item 13: an ordinary clerk sees the plan's phones masked; a supervisor
/// may ask for them in full; the household being called shows its number.
#[test]
fn the_revisit_list_masks_phones_for_a_clerk() {
    let t = tx();
    let (_db, mut harness) = on_april_2nd(|o| (o.cs_clerk.clone(), "cs1".into()));
    assert!(shows(&harness, "139****5678"), "masked in the list");
    assert!(!shows_part(&harness, "13912345678"), "not in full anywhere");
    assert!(!shows(&harness, t.reg_full_phones), "a clerk cannot ask for it");
    click_last(&mut harness, "3栋2单元201");
    assert!(shows_part(&harness, "13912345678"), "the household being called shows its number");

    let (_db, mut harness) = on_april_2nd(|o| (o.manager.clone(), common::MANAGER_LOGIN.into()));
    assert!(shows(&harness, "139****5678"));
    harness.get_by_label(t.reg_full_phones).click();
    harness.run();
    assert!(shows(&harness, "13912345678"), "a supervisor or above asks for it in full");
}

fn yuan(n: i64) -> homedesk::domain::Money {
    homedesk::domain::Money::from_yuan(n).unwrap_or_default()
}

/// What the settle question says of the test job's money.
fn settle_amounts(t: &Texts) -> String {
    let question =
        fill(t.settle_confirm, &[("price", &yuan(100)), ("collected", &yuan(100)), ("by", &"王经理")]);
    // The job's number and room come first; the amounts and who took them follow.
    let from = question.find(&yuan(100).to_string()).unwrap_or(0);
    let to = question.find("王经理").map(|at| at + "王经理".len()).unwrap_or(question.len());
    question[from..to].to_string()
}

/// Issue 23: a row of a past year must show its year in every list. Last
/// year's job still out on New Year's first working day is carried to the
/// board: its appointment and its path name 2025.
#[test]
fn last_years_job_on_the_board_shows_its_year() {
    let t = tx();
    let (_db, mut desk, office, clock) = ticking_office("2025-12-31 09:00");
    dispatched(&mut desk, &office, "1-1-101", "2025-12-31 16:00");
    clock.set(at("2026-01-02 09:00"));
    dispatched(&mut desk, &office, "2-1-101", "2026-01-02 11:00");
    let mut harness = signed_in(desk, office.cs_clerk.clone(), "cs1");
    open_tab(&mut harness, t.tab_dispatch);
    assert!(shows(&harness, "2025-12-31 16:00"), "the overdue appointment names its year");
    assert!(shows(&harness, "01-02 11:00"), "this year's reads month to minute");
    click_last(&mut harness, "JZ-2025-000001");
    assert!(shows_part(&harness, "2025-12-31 09:00"), "the job's path names its year");
}

/// Issue 23: in January the desk works on December's revisit plan, whose
/// service days are last year's: each says its year.
#[test]
fn last_years_revisit_plan_shows_the_year_of_its_service_days() {
    let (_db, mut desk, office, clock) = ticking_office("2025-12-02 09:00");
    finished_job(&mut desk, &office, &clock, "2025-12-02", "3-2-201");
    clock.set(at("2026-01-02 09:00"));
    let mut harness = signed_in(desk, office.cs_clerk.clone(), "cs1");
    open_tab(&mut harness, tx().tab_revisits);
    assert!(wait_for(&mut harness, "3栋2单元201"), "December's plan lists the household");
    assert!(shows(&harness, "2025-12-02"), "its service day names its year");
    assert!(!shows(&harness, "12-02"), "never the day without its year");
}
