//! Issue 22: every tab worked from the keyboard alone. Each flow starts at
//! the sign-in screen and uses only Tab, Shift+Tab, Enter, Space, the arrows
//! and the app's own shortcuts (Ctrl+N, Ctrl+Enter): no pointer event at
//! all. A control is reached by pressing Tab until the AccessKit tree says
//! it has the focus, so a control Tab never reaches fails its flow by name.
//! Runs in the language of `HOMEDESK_TEST_LANGUAGE` like the other UI tests.

mod common;
#[path = "common/ui.rs"]
mod ui;

use common::{MANAGER_LOGIN, MANAGER_PASSWORD, TestDb, at, finished_job, office_desk};
use egui::Key;
use egui::accesskit::Role;
use egui_kittest::kittest::{By, NodeT, Queryable};
use homedesk::app::HomeDesk;
use homedesk::domain::{Group, Opinion, Rank, RegisterKind, RequestStatus};
use homedesk::i18n::fill;
use homedesk::ui::{HomeDeskApp, Prefs};
use ui::{Desk, tx, wait_for_part};

/// More presses of Tab than any screen has controls: a control not reached
/// by then cannot be reached at all.
const MAX_TABS: usize = 300;

/// The app on `desk` at its sign-in screen.
fn at_sign_in(desk: HomeDesk) -> Desk {
    let mut harness = ui::harness(HomeDeskApp::new(desk, Prefs::default()).without_opening_prints());
    harness.run();
    harness
}

fn press(harness: &mut Desk, key: Key) {
    harness.key_press(key);
    harness.run();
}

fn press_with(harness: &mut Desk, modifiers: egui::Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run();
}

fn type_text(harness: &mut Desk, text: &str) {
    harness.event(egui::Event::Text(text.into()));
    harness.run();
}

/// The role and name of the control with the focus.
fn focused(harness: &Desk) -> Option<(Role, String)> {
    harness.query_all(By::new().predicate(|node| node.is_focused())).next().map(|node| {
        let node = node.accesskit_node();
        let name = if node.role() == Role::Label { node.value() } else { node.label() };
        (node.role(), name.unwrap_or_default())
    })
}

/// Presses Tab (Shift+Tab when `back`) until the control of `role` named
/// `name` has the focus.
fn move_to(harness: &mut Desk, role: Role, name: &str, back: bool) {
    let modifiers = if back { egui::Modifiers::SHIFT } else { egui::Modifiers::NONE };
    let mut seen = Vec::new();
    for _ in 0..MAX_TABS {
        match focused(harness) {
            Some((r, n)) if r == role && n == name => return,
            other => seen.push(other),
        }
        press_with(harness, modifiers, Key::Tab);
    }
    seen.dedup();
    panic!(
        "{role:?} {name:?} is not reached by {}Tab; the focus went to {seen:?}",
        if back { "Shift+" } else { "" }
    );
}

fn tab_to(harness: &mut Desk, role: Role, name: &str) {
    move_to(harness, role, name, false);
}

/// Tabs to the button named `name` and presses Space on it.
fn activate(harness: &mut Desk, name: &str) {
    tab_to(harness, Role::Button, name);
    press(harness, Key::Space);
}

/// Tabs to the text field named `name` and types `text` into it.
fn fill_field(harness: &mut Desk, name: &str, text: &str) {
    tab_to(harness, Role::TextInput, name);
    type_text(harness, text);
}

/// Opens the drop-down named `name` with Space and picks, with the arrows
/// and Enter, the option whose name contains `part`.
fn choose(harness: &mut Desk, name: &str, part: &str) {
    tab_to(harness, Role::ComboBox, name);
    press(harness, Key::Space);
    for _ in 0..MAX_TABS {
        if focused(harness).is_some_and(|(_, n)| n.contains(part)) {
            press(harness, Key::Enter);
            return;
        }
        press(harness, Key::Tab);
    }
    panic!("no option with {part} in {name} by keys");
}

/// Signs the manager in: the user-name field has the focus at the start.
fn sign_in_by_keys(harness: &mut Desk) {
    let t = tx();
    assert_eq!(focused(harness).map(|(_, n)| n), Some(t.login.to_string()), "the focus starts on the login");
    type_text(harness, MANAGER_LOGIN);
    press(harness, Key::Tab);
    type_text(harness, MANAGER_PASSWORD);
    press(harness, Key::Enter);
    assert!(harness.state().user().is_some(), "signed in by keys");
}

/// The tab named `name`, opened from the row of tabs.
fn open_tab(harness: &mut Desk, name: &str) {
    tab_to(harness, Role::Button, name);
    press(harness, Key::Space);
}

#[test]
fn register_by_keys_a_new_housekeeping_row_is_filled_and_saved() {
    let t = tx();
    let (_db, desk, _office) = office_desk();
    let mut harness = at_sign_in(desk);
    sign_in_by_keys(&mut harness);
    press_with(&mut harness, egui::Modifiers::COMMAND, Key::N);
    type_text(&mut harness, "3-2-201");
    fill_field(&mut harness, t.field_resident, "张三");
    fill_field(&mut harness, t.field_phone, "13800138000");
    choose(&mut harness, t.field_service, "厨房保洁");
    fill_field(&mut harness, t.field_details, "全屋保洁");
    press(&mut harness, Key::Enter);
    let count = harness.state().desk().store().count_requests(RegisterKind::Housekeeping).unwrap_or(-1);
    assert_eq!(count, 1, "saved by Enter");
}

#[test]
fn dispatch_by_keys_the_first_row_is_sent_to_its_staff() {
    let t = tx();
    let (_db, mut desk, office) = office_desk();
    let draft = common::housekeeping_draft(&office);
    let id = desk.register_request(&office.cs_clerk, &draft).unwrap_or_else(|e| panic!("{e:?}")).id;
    let mut harness = at_sign_in(desk);
    sign_in_by_keys(&mut harness);
    open_tab(&mut harness, t.tab_dispatch);
    // ↓ selects the first row, Enter opens its next step (派单…).
    press(&mut harness, Key::Escape);
    press(&mut harness, Key::ArrowDown);
    press(&mut harness, Key::Enter);
    choose(&mut harness, t.step_staff, "孙保洁");
    press(&mut harness, Key::Enter);
    let status = harness.state().desk().store().get_request(id).map(|r| r.status).ok();
    assert_eq!(status, Some(RequestStatus::Dispatched));
}

#[test]
fn todo_and_agreements_by_keys_the_manager_opens_the_agreement_waiting_and_signs_it() {
    let t = tx();
    let (_db, mut desk, office) = office_desk();
    let draft = common::agreement_draft(&office, "5-1-101", "2026-03-02", "2026-08-31");
    let id = desk.save_agreement_draft(&office.cs_clerk, None, &draft).unwrap_or_else(|e| panic!("{e:?}"));
    desk.confirm_agreement(&office.cs_clerk, id).unwrap_or_else(|e| panic!("{e:?}"));
    let mut harness = at_sign_in(desk);
    sign_in_by_keys(&mut harness);
    // 待办 opens at the sign-in; its entry is a link to the agreement.
    tab_to(&mut harness, Role::Link, "5栋1单元101");
    press(&mut harness, Key::Enter);
    activate(&mut harness, t.agr_sign);
    let signed = harness.state().desk().agreements(&Default::default()).ok().and_then(|l| l.first()?.no);
    assert!(signed.is_some(), "signed by keys");
}

#[test]
fn shopping_by_keys_an_entry_is_recorded() {
    let t = tx();
    let (_db, desk, _office) = office_desk();
    let mut harness = at_sign_in(desk);
    sign_in_by_keys(&mut harness);
    open_tab(&mut harness, t.tab_shopping);
    activate(&mut harness, t.shop_new);
    for (field, text) in [
        (t.shop_field_room, "3-2-201"),
        (t.shop_field_resident, "王奶奶"),
        (t.shop_field_item, "大米"),
        (t.shop_field_brand, "五常"),
        (t.shop_field_kind, "粮油"),
        (t.shop_field_spec, "10kg"),
        (t.shop_field_quantity, "2"),
        (t.shop_field_unit, "袋"),
        (t.shop_field_price, "89.50"),
    ] {
        fill_field(&mut harness, field, text);
    }
    press(&mut harness, Key::Enter);
    assert!(harness.state().desk().shopping_by_no(1).is_ok(), "recorded by Enter");
}

#[test]
fn revisits_by_keys_a_household_is_answered_and_saved() {
    let t = tx();
    let (_db, mut harness) = on_april_2nd();
    open_tab(&mut harness, t.tab_revisits);
    press(&mut harness, Key::Escape);
    press(&mut harness, Key::ArrowDown);
    // Three questions, each answered 满意 with Space on its radio button.
    let satisfied = t.opinion(Opinion::Satisfied);
    for _ in 0..3 {
        tab_to(&mut harness, Role::RadioButton, satisfied);
        press(&mut harness, Key::Space);
        press(&mut harness, Key::Tab);
    }
    press_with(&mut harness, egui::Modifiers::COMMAND, Key::Enter);
    let recorded = harness.state().desk().revisit_plan("2026-03").ok().flatten().map(|p| p.progress().0);
    assert_eq!(recorded, Some(1), "saved by Ctrl+Enter");
}

#[test]
fn stats_by_keys_the_previous_month_is_one_button_away() {
    let t = tx();
    let (_db, mut harness) = on_april_2nd();
    open_tab(&mut harness, t.tab_stats);
    assert!(wait_for_part(&mut harness, &fill(t.st_requests_total, &[("total", &1)])), "March's one request");
    activate(&mut harness, t.st_prev_month);
    assert!(wait_for_part(&mut harness, &fill(t.st_requests_total, &[("total", &0)])), "February by keys");
}

#[test]
fn history_by_keys_the_changes_are_searched() {
    let t = tx();
    let (_db, mut harness) = on_april_2nd();
    open_tab(&mut harness, t.tab_history);
    fill_field(&mut harness, t.search, "JZ-2026-000001");
    assert!(wait_for_part(&mut harness, "JZ-2026-000001"), "found by keys");
}

#[test]
fn settings_by_keys_a_staff_member_is_added() {
    let t = tx();
    let (_db, desk, _office) = office_desk();
    let mut harness = at_sign_in(desk);
    sign_in_by_keys(&mut harness);
    open_tab(&mut harness, t.tab_settings);
    activate(&mut harness, t.settings_staff);
    let before = harness.state().desk().store().list_staff().map(|s| s.len()).unwrap_or_default();
    fill_field(&mut harness, t.staff_name, "钱师傅");
    choose(&mut harness, t.staff_group, t.group(Group::PublicRepair));
    choose(&mut harness, t.staff_rank, t.rank(Rank::Staff));
    press(&mut harness, Key::Enter);
    let after = harness.state().desk().store().list_staff().map(|s| s.len()).unwrap_or_default();
    assert_eq!(after, before + 1, "saved by Enter");
}

/// Shift+Tab walks back over what Tab walked forward: the tabs row is
/// reached again from the register's search field.
#[test]
fn shift_tab_goes_back_the_way_tab_came() {
    let t = tx();
    let (_db, desk, _office) = office_desk();
    let mut harness = at_sign_in(desk);
    sign_in_by_keys(&mut harness);
    tab_to(&mut harness, Role::TextInput, t.search);
    move_to(&mut harness, Role::Button, t.tab_register, true);
}

/// An office with one job finished on 2 March, at the sign-in screen on 2
/// April, the manager signed in by keys.
fn on_april_2nd() -> (TestDb, Desk) {
    let (db, office) = common::office_db();
    let clock = common::TestClock::new(at("2026-03-02 09:00"));
    let mut desk = common::open_at(&db.path, clock.clock());
    finished_job(&mut desk, &office, &clock, "2026-03-02", "3-2-201");
    clock.set(at("2026-04-02 09:00"));
    let mut harness = at_sign_in(desk);
    sign_in_by_keys(&mut harness);
    (db, harness)
}
