//! egui_kittest helpers for UI flows (a test binary takes them with
//! `#[path = "common/ui.rs"] mod ui;` after `mod common;`): the app in a harness, widgets found by
//! their labels, typed into and clicked as a clerk would. Helpers only.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable};
use homedesk::app::HomeDesk;
use homedesk::ui::{HomeDeskApp, Prefs, install_fonts};

use crate::common::{MANAGER_LOGIN, MANAGER_PASSWORD};

pub type AppHarness = Harness<'static, HomeDeskApp>;

/// `desk` in the app (printed PDFs left unopened), in a 1400×900 window.
pub fn harness_for(desk: HomeDesk) -> AppHarness {
    let app = HomeDeskApp::new(desk, Prefs::default()).without_opening_prints();
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        // Queries answer from reader threads: let a frame or two pass.
        .with_max_steps(200)
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut HomeDeskApp| app.ui_root(ui), app)
}

/// Signs in as `login` with `password` at the desk this PC remembers.
pub fn sign_in_as(harness: &mut AppHarness, login: &str, password: &str) {
    type_into(harness, "登录名", login);
    harness.get_by_role_and_label(Role::PasswordInput, "密码").click();
    harness.run();
    harness.get_by_role_and_label(Role::PasswordInput, "密码").type_text(password);
    harness.run();
    harness.get_by_role_and_label(Role::Button, "登录").click();
    harness.run();
    assert!(harness.state().user().is_some(), "signed in as {login}");
}

/// Signs the test office's manager in.
pub fn sign_in_manager(harness: &mut AppHarness) {
    sign_in_as(harness, MANAGER_LOGIN, MANAGER_PASSWORD);
}

/// Types into the text field labelled `label`.
pub fn type_into(harness: &mut AppHarness, label: &str, text: &str) {
    harness.get_by_role_and_label(Role::TextInput, label).click();
    harness.run();
    harness.get_by_role_and_label(Role::TextInput, label).type_text(text);
    harness.run();
}

/// Replaces the whole text of the field labelled `label`.
pub fn replace_text(harness: &mut AppHarness, label: &str, text: &str) {
    harness.get_by_role_and_label(Role::TextInput, label).click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.get_by_role_and_label(Role::TextInput, label).type_text(text);
    harness.run();
}

pub fn click_button(harness: &mut AppHarness, label: &str) {
    harness.get_by_role_and_label(Role::Button, label).click();
    harness.run();
}

/// Opens the drop-down labelled `combo` and picks the option that mentions `part`.
pub fn pick_containing(harness: &mut AppHarness, combo: &str, part: &str) {
    harness.get_by_role_and_label(Role::ComboBox, combo).click();
    harness.run();
    let option = [Role::Button, Role::ListBoxOption, Role::MenuItem]
        .into_iter()
        .find_map(|role| harness.query(By::new().role(role).label_contains(part)))
        .unwrap_or_else(|| panic!("no option with {part}"));
    option.click();
    harness.run();
}

/// Whether some widget shows exactly `text`.
pub fn shows(harness: &AppHarness, text: &str) -> bool {
    harness.query_all_by_label(text).next().is_some()
}

/// Whether some widget's text contains `part`.
pub fn shows_part(harness: &AppHarness, part: &str) -> bool {
    harness.query_all_by_label_contains(part).next().is_some()
}

/// Steps the harness until some widget's text contains `part` (a worker
/// thread answers), for at most five seconds.
pub fn wait_for_part(harness: &mut AppHarness, part: &str) -> bool {
    for _ in 0..100 {
        if shows_part(harness, part) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        harness.step();
    }
    false
}

/// Steps the harness until `file` exists (a print job writes it), for at most five seconds.
pub fn wait_for_file(harness: &mut AppHarness, file: &std::path::Path) -> bool {
    for _ in 0..100 {
        if file.exists() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        harness.step();
    }
    false
}
