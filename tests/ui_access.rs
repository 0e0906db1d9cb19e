//! Issue 22: what a screen reader hears. Each tab (and each section of 设置,
//! and the forms a tab opens) is read through the AccessKit tree egui builds,
//! by role and label: every button, text field, check box, radio button and
//! drop-down must carry a name, or Orca and NVDA read "button" and nothing more.
//! Runs in the language of `HOMEDESK_TEST_LANGUAGE` like the other UI tests.

mod common;
#[path = "common/ui.rs"]
mod ui;

use common::{TestDb, agreement_draft, housekeeping_draft, office_desk};
use egui::accesskit::Role;
use egui_kittest::kittest::{By, NodeT, Queryable};
use homedesk::app::HomeDesk;
use homedesk::app::StepInput;
use ui::{Desk, signed_in, tx};

/// The roles a person acts on: each must have a name.
const CONTROLS: [Role; 8] = [
    Role::PasswordInput,
    Role::Button,
    Role::TextInput,
    Role::MultilineTextInput,
    Role::CheckBox,
    Role::ComboBox,
    Role::RadioButton,
    Role::SpinButton,
];

/// The set-up office with something in each tab: a dispatched housekeeping
/// job and a signed agreement, the manager signed in.
fn busy_office() -> (TestDb, Desk) {
    let (db, mut desk, office) = office_desk();
    fill(&mut desk, &office);
    let harness = signed_in(desk, office.manager.clone(), common::MANAGER_LOGIN);
    (db, harness)
}

fn fill(desk: &mut HomeDesk, office: &common::Office) {
    let cs = office.cs_clerk.clone();
    let row = desk.register_request(&cs, &housekeeping_draft(office)).unwrap_or_else(|e| panic!("{e:?}"));
    let send = StepInput::Dispatch { staff: office.housekeeper, round: None, copier: None };
    desk.take_step(&cs, row.id, &send).unwrap_or_else(|e| panic!("{e:?}"));
    let draft = agreement_draft(office, "5-1-101", "2026-03-02", "2026-08-31");
    let id = desk.save_agreement_draft(&office.cs_clerk, None, &draft).unwrap_or_else(|e| panic!("{e:?}"));
    desk.confirm_agreement(&office.cs_clerk, id).unwrap_or_else(|e| panic!("{e:?}"));
    desk.sign_agreement(&office.manager, id).unwrap_or_else(|e| panic!("{e:?}"));
}

/// Clicks the first widget whose name contains `label` (the 待办 tab's name carries its count).
fn open(harness: &mut Desk, label: &str) {
    harness.query_all(By::new().label_contains(label)).next().unwrap_or_else(|| panic!("no {label}")).click();
    harness.run();
}

/// The controls on screen without a name, described for the failure message.
fn unnamed(harness: &Desk) -> Vec<String> {
    harness
        .query_all(By::new().predicate(|node| {
            CONTROLS.contains(&node.role()) && node.label().is_none_or(|name| name.trim().is_empty())
        }))
        .map(|node| {
            let parent = node.parent().and_then(|p| p.accesskit_node().label()).unwrap_or_default();
            let rect = node.rect();
            format!(
                "{:?} value {:?} at ({:.0}, {:.0}) in {parent:?}",
                node.accesskit_node().role(),
                node.accesskit_node().value(),
                rect.min.x,
                rect.min.y
            )
        })
        .collect()
}

/// How many named controls of each kind the screen has: a tab whose tree
/// is empty would pass `unnamed` by saying nothing.
fn named(harness: &Desk, role: Role) -> usize {
    harness.query_all_by_role(role).filter(|n| n.accesskit_node().label().is_some()).count()
}

fn assert_all_named(harness: &Desk, screen: &str) {
    let missing = unnamed(harness);
    assert!(missing.is_empty(), "{screen}: controls without a name:\n{}", missing.join("\n"));
    assert!(named(harness, Role::Button) > 0, "{screen}: no named button at all");
}

#[test]
fn every_control_of_every_tab_has_a_name() {
    let (_db, mut harness) = busy_office();
    let t = tx();
    for tab in [
        t.tab_todo,
        t.tab_register,
        t.tab_dispatch,
        t.tab_agreements,
        t.tab_shopping,
        t.tab_revisits,
        t.tab_stats,
        t.tab_history,
        t.tab_settings,
    ] {
        open(&mut harness, tab);
        assert_all_named(&harness, tab);
    }
}

#[test]
fn every_control_of_every_settings_section_has_a_name() {
    let (_db, mut harness) = busy_office();
    let t = tx();
    open(&mut harness, t.tab_settings);
    for section in [
        t.settings_office,
        t.settings_staff,
        t.settings_prices,
        t.settings_residents,
        t.settings_mine,
        t.settings_backups,
        t.settings_import,
    ] {
        harness.get_by_role_and_label(Role::Button, section).click();
        harness.run();
        assert_all_named(&harness, section);
    }
}

#[test]
fn the_intake_and_refusal_forms_name_every_field() {
    let (_db, mut harness) = busy_office();
    let t = tx();
    open(&mut harness, t.tab_register);
    harness.get_by_role_and_label(Role::Button, t.new_request).click();
    harness.run();
    assert_all_named(&harness, t.new_request);
    assert!(named(&harness, Role::TextInput) >= 3, "the intake form's fields are text fields with names");
    harness.get_by_role_and_label(Role::TextInput, t.field_room);
    harness.get_by_role_and_label(Role::ComboBox, t.field_service);
}

#[test]
fn the_sign_in_screen_names_every_field() {
    let (_db, desk, _office) = office_desk();
    let harness = ui::harness_for(desk);
    let t = tx();
    assert_all_named(&harness, t.sign_in_button);
    harness.get_by_role_and_label(Role::TextInput, t.login);
    harness.get_by_role_and_label(Role::PasswordInput, t.password);
}
