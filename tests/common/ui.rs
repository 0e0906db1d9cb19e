//! The app in an egui_kittest harness, and a clerk's hands on it: widgets
//! found by their labels, clicked and typed into. Helpers only; included
//! by the UI test binaries (`#[path]`), so the others do not build it.
//!
//! The flows speak the language `HOMEDESK_TEST_LANGUAGE` names (`zh-Hans`,
//! `zh-Hant` or `en`; Simplified when unset) and find widgets by [`tx`], that
//! language's catalogue, so one suite checks every catalogue (issue 22).

// Each UI test binary uses its own subset of these helpers.
#![allow(dead_code)]

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use homedesk::app::HomeDesk;
use homedesk::domain::{Language, Opinion, User};
use homedesk::i18n::{Texts, texts};
use homedesk::ui::{HomeDeskApp, Prefs, install_fonts};

use crate::common::{MANAGER_LOGIN, MANAGER_PASSWORD};

pub type Desk = Harness<'static, HomeDeskApp>;
/// The same harness, by the name some flows use.
pub type AppHarness = Desk;

/// The language of this run's flows: `HOMEDESK_TEST_LANGUAGE`, or Simplified.
pub fn test_language() -> Language {
    match std::env::var("HOMEDESK_TEST_LANGUAGE") {
        Ok(code) => Language::from_code(&code).unwrap_or_else(|| panic!("HOMEDESK_TEST_LANGUAGE={code}?")),
        Err(_) => Language::ZhHans,
    }
}

/// The catalogue the tests' person reads: the labels the flows look for.
pub fn tx() -> &'static Texts {
    texts(test_language())
}

/// The app at 1400×900, fonts installed, printed PDFs left closed, speaking
/// [`test_language`] (the window's language lives on the test's thread).
pub fn harness(app: HomeDeskApp) -> Desk {
    homedesk::i18n::set_language(test_language());
    harness_as_is(app)
}

/// The same, speaking what the app chose itself (the language of this PC's
/// last person, or Simplified).
pub fn harness_as_is(app: HomeDeskApp) -> Desk {
    harness_sized(app, egui::vec2(1400.0, 900.0))
}

/// The app in a window of `size` points (a laptop at 150 % is 1366×768
/// pixels, 910×512 points), speaking what the app chose itself.
pub fn harness_sized(app: HomeDeskApp, size: egui::Vec2) -> Desk {
    Harness::builder()
        .with_size(size)
        // Register queries answer from a reader thread: let a frame or two pass.
        .with_max_steps(200)
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut HomeDeskApp| app.ui_root(ui), app)
}

/// `desk` in the app with `user` signed in already (login `login`).
pub fn signed_in(desk: HomeDesk, user: User, login: &str) -> Desk {
    harness(HomeDeskApp::new(desk, Prefs::default()).without_opening_prints().signed_in(user, login))
}

/// Signs in through the sign-in screen.
pub fn sign_in_as(harness: &mut Desk, login: &str, password: &str) {
    // The field remembers this PC's last login: replace it.
    let t = tx();
    // A frame at the harness's present size first: a resize since the last
    // one moves the sign-in box, and clicks go where the last frame drew.
    harness.run();
    replace_text(harness, t.login, login);
    harness.get_by_label(t.password).click();
    harness.run();
    harness.get_by_label(t.password).type_text(password);
    harness.get_by_label(t.sign_in_button).click();
    harness.run();
    assert!(harness.state().user().is_some(), "signed in as {login}");
}

/// Types `password` into the password field (a field of its own role).
pub fn type_password(harness: &mut Desk, password: &str) {
    let t = tx();
    harness.get_by_label(t.password).click();
    harness.run();
    harness.get_by_label(t.password).type_text(password);
    harness.run();
}

/// Types into the text field labelled `label` (other widgets may carry the same text).
pub fn type_into(harness: &mut Desk, label: &str, text: &str) {
    harness.get_by_role_and_label(Role::TextInput, label).click();
    harness.run();
    harness.get_by_role_and_label(Role::TextInput, label).type_text(text);
    harness.run();
}

/// Replaces the whole text of the field labelled `label`.
pub fn replace_text(harness: &mut Desk, label: &str, text: &str) {
    harness.get_by_role_and_label(Role::TextInput, label).click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.get_by_role_and_label(Role::TextInput, label).type_text(text);
    harness.run();
}

/// The listed service the flows pick: the demo office's kitchen cleaning.
pub const LISTED_SERVICE: &str = "厨房保洁 · ¥100.00／次";

/// Opens the drop-down labelled `combo` and picks [`LISTED_SERVICE`].
pub fn pick_listed_service(harness: &mut Desk, combo: &str) {
    harness.get_by_role_and_label(Role::ComboBox, combo).click();
    harness.run();
    harness.get_by_label(LISTED_SERVICE).click();
    harness.run();
}

/// Opens the register's 新登记 form and fills it as a clerk would: 3-2-201,
/// 张三, 13800138000, `details` and [`LISTED_SERVICE`]; not saved.
pub fn fill_intake_form(harness: &mut Desk, details: &str) {
    let t = tx();
    harness.get_by_label(t.new_request).click();
    harness.run();
    for (label, text) in [
        (t.field_room, "3-2-201"),
        (t.field_resident, "张三"),
        (t.field_phone, "13800138000"),
        (t.field_details, details),
    ] {
        type_into(harness, label, text);
    }
    pick_listed_service(harness, t.field_service);
}

/// The text in the field labelled `label`.
pub fn field_text(harness: &Desk, label: &str) -> String {
    harness.get_by_role_and_label(Role::TextInput, label).value().unwrap_or_default()
}

pub fn click_button(harness: &mut Desk, label: &str) {
    harness.get_by_role_and_label(Role::Button, label).click();
    harness.run();
}

/// Clicks the last widget showing `text`: a table cell drawn after a side
/// panel that shows the same words.
pub fn click_last(harness: &mut Desk, text: &str) {
    let last = harness.query_all_by_label(text).last().unwrap_or_else(|| panic!("nothing shows {text}"));
    last.click();
    harness.run();
}

/// Whether some widget shows exactly `text`.
pub fn shows(harness: &Desk, text: &str) -> bool {
    harness.query_all_by_label(text).next().is_some()
}

/// Whether some widget's text contains `part` (of any app state: the
/// damaged-file window too).
pub fn shows_part<S>(harness: &Harness<'_, S>, part: &str) -> bool {
    harness.query_all_by_label_contains(part).next().is_some()
}

/// Where the button labelled `label` is drawn.
pub fn button_rect(harness: &Desk, label: &str) -> egui::Rect {
    harness.get_by_role_and_label(Role::Button, label).rect()
}

/// Lets frames pass until `text` shows (a worker thread answers).
pub fn wait_for(harness: &mut Desk, text: &str) -> bool {
    for _ in 0..200 {
        if shows(harness, text) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        harness.step();
    }
    false
}

/// Lets frames pass until `text` shows and can be clicked: the 统计 tab
/// shows the figures of before a write greyed until the new ones arrive (a
/// write on the first frames, the month's revisit plan drawn, changes the
/// data under a computation that started before it).
pub fn wait_for_enabled(harness: &mut Desk, text: &str) -> bool {
    for _ in 0..200 {
        if harness.query_all_by_label(text).any(|n| !n.accesskit_node().is_disabled()) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        harness.step();
    }
    false
}

/// `desk` in the app (printed PDFs left unopened), in a 1400×900 window.
pub fn harness_for(desk: HomeDesk) -> AppHarness {
    harness(HomeDeskApp::new(desk, Prefs::default()).without_opening_prints())
}

/// Signs the test office's manager in.
pub fn sign_in_manager(harness: &mut AppHarness) {
    sign_in_as(harness, MANAGER_LOGIN, MANAGER_PASSWORD);
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

/// `template` filled with `args` up to the placeholder `stop`: the start of a
/// message whose end names data the test does not know (or need).
pub fn filled_to(template: &str, args: &[(&str, &dyn std::fmt::Display)], stop: &str) -> String {
    let head = template.split(stop).next().unwrap_or(template);
    homedesk::i18n::fill(head, args)
}

/// `template` filled with `args` from the placeholder `start` on: the end of
/// a message whose start names data the test does not know.
pub fn filled_from(template: &str, args: &[(&str, &dyn std::fmt::Display)], start: &str) -> String {
    let tail = template.find(start).map_or(template, |at| &template[at..]);
    homedesk::i18n::fill(tail, args)
}

/// Picks 满意 in the quick entry's first `rows` rows of ratings.
pub fn rate_satisfied(harness: &mut Desk, rows: usize) {
    let t = tx();
    for row in 0..rows {
        let satisfied =
            harness.query_all_by_role_and_label(Role::RadioButton, t.opinion(Opinion::Satisfied)).nth(row);
        satisfied.unwrap_or_else(|| panic!("a rating in row {row}")).click();
        harness.run();
    }
}
