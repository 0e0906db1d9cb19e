//! Issue 22: the window as each person reads it — zoom kept per person,
//! the screens in the person's language, and flows by keys alone.

mod common;
#[path = "common/ui.rs"]
mod ui;

use common::{MANAGER_LOGIN, MANAGER_PASSWORD, office_db, open_at};
use homedesk::ui::{HomeDeskApp, Prefs};
use ui::{Desk, click_button, harness, sign_in_as};

/// The app on the database at `db`, at the sign-in screen, with `prefs` as this PC's.
fn at(db: &common::TestDb, prefs: Prefs) -> Desk {
    let desk = open_at(&db.path, common::fixed_clock(common::now()));
    harness_of(HomeDeskApp::new(desk, prefs).without_opening_prints())
}

fn harness_of(app: HomeDeskApp) -> Desk {
    harness(app)
}

fn zoom_key(harness: &mut Desk, key: egui::Key) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, key);
    harness.run();
}

#[test]
fn ctrl_plus_minus_and_zero_zoom_the_window_and_each_person_keeps_theirs() {
    let (db, office) = office_db();
    let mut harness = at(&db, Prefs::default());
    sign_in_as(&mut harness, MANAGER_LOGIN, MANAGER_PASSWORD);
    zoom_key(&mut harness, egui::Key::Equals);
    zoom_key(&mut harness, egui::Key::Equals);
    assert_zoom(&harness, 1.2, "Ctrl+= twice");
    zoom_key(&mut harness, egui::Key::Minus);
    assert_zoom(&harness, 1.1, "Ctrl+-");
    for _ in 0..4 {
        zoom_key(&mut harness, egui::Key::Equals);
    }
    assert_zoom(&harness, 1.5, "150 %");
    click_button(&mut harness, "退出登录");

    // Another person on this PC starts at their own size.
    let prefs = harness.state().prefs.clone();
    let desk = open_at(&db.path, common::fixed_clock(common::now()));
    let app =
        HomeDeskApp::new(desk, prefs).without_opening_prints().signed_in(office.cs_clerk.clone(), "cs1");
    let mut clerk = harness_of(app);
    assert_zoom(&clerk, 1.0, "the clerk has never zoomed");
    zoom_key(&mut clerk, egui::Key::Minus);
    assert_zoom(&clerk, 0.9, "the clerk's Ctrl+-");

    // The manager's 150 % comes back after a restart; Ctrl+0 resets it.
    let prefs = clerk.state().prefs.clone();
    let mut again = at(&db, prefs);
    sign_in_as(&mut again, MANAGER_LOGIN, MANAGER_PASSWORD);
    again.run();
    assert_zoom(&again, 1.5, "the manager's zoom came back");
    zoom_key(&mut again, egui::Key::Num0);
    assert_zoom(&again, 1.0, "Ctrl+0");
    assert_eq!(again.state().prefs.people[MANAGER_LOGIN].zoom, Some(1.0));
    assert_eq!(again.state().prefs.people["cs1"].zoom, Some(0.9));
}

fn assert_zoom(harness: &Desk, expected: f32, what: &str) {
    let zoom = harness.ctx.zoom_factor();
    assert!((zoom - expected).abs() < 1e-4, "{what}: zoom {zoom}, expected {expected}");
}
