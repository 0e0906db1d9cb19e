//! Two desks on one office (issue 21): a row filed at one desk shows on the
//! other desk's register and 派单 board within 2 s, with no click, on an
//! SQLite file and on the server; and the start screens of where the office
//! is: the first start's choice, the connection test, a failed connection.

use std::time::{Duration, Instant};

use common::backends::{Backend, ServerDb, offices, server};
use common::{MANAGER_LOGIN, OFFICE_NAME, fixed_clock, now};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use homedesk::i18n::fill;
use homedesk::store::{Encryption, ServerAddress, redact_url};
use homedesk::ui::{HomeDeskApp, Prefs, Start, StartOutcome, Tab, install_fonts};

mod common;
#[path = "common/ui.rs"]
mod ui;

use ui::{Desk, fill_intake_form, harness, replace_text, shows, shows_part, tx};

/// The room filed at desk A in these tests, as the lists show it.
const ROOM_SHOWN: &str = "3栋2单元201";

/// Files a housekeeping request through A's form, as a clerk would.
fn file_request(a: &mut Desk) {
    let t = tx();
    fill_intake_form(a, "全屋保洁");
    replace_text(a, t.field_price, "100");
    a.get_by_label(t.save).click();
    a.run();
}

/// Steps `b` with real time passing, no click, until `text` shows; how long it took.
fn seen_within(b: &mut Desk, text: &str, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        b.step();
        if shows_part(b, text) {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

/// Desk B, a second app on the same office, signed in on `tab`.
fn desk_b(backend: &Backend, office: &common::Office, tab: Tab) -> Desk {
    let prefs = Prefs { tab, ..Prefs::default() };
    let app = HomeDeskApp::new(backend.open(fixed_clock(now())), prefs)
        .without_opening_prints()
        .signed_in(office.manager.clone(), MANAGER_LOGIN);
    let mut b = harness(app);
    // B has looked once before A writes: what it shows is what it had.
    for _ in 0..5 {
        b.step();
        std::thread::sleep(Duration::from_millis(50));
    }
    b
}

/// R-DESK-3's hand-over between the desks (issue 21): a row filed at one
/// desk reaches the other desk's register and 派单 board by itself.
#[test]
fn r_desk_3_a_row_filed_at_one_desk_shows_on_the_others_register_and_board_within_2_s() {
    for (backend, desk, office) in offices(|| fixed_clock(now())) {
        let _named = common::backends::Named(backend.name());
        let mut a = harness(
            HomeDeskApp::new(desk, Prefs::default())
                .without_opening_prints()
                .signed_in(office.manager.clone(), MANAGER_LOGIN),
        );
        let mut register = desk_b(&backend, &office, Tab::Register);
        let mut board = desk_b(&backend, &office, Tab::Dispatch);
        assert!(!shows(&register, ROOM_SHOWN) && !shows(&board, ROOM_SHOWN), "nothing filed yet");

        file_request(&mut a);
        assert!(shows_part(&a, ROOM_SHOWN), "A shows its own row");

        let limit = Duration::from_secs(2);
        let on_register = seen_within(&mut register, ROOM_SHOWN, limit);
        let on_board = seen_within(&mut board, ROOM_SHOWN, limit);
        eprintln!("{}: register {on_register:?}, board {on_board:?}", backend.name());
        assert!(on_register.is_some(), "B's register shows A's row within 2 s, no click");
        assert!(on_board.is_some(), "B's 派单 board shows A's row within 2 s, no click");
    }
}

type StartDesk = Harness<'static, (Start, Option<StartOutcome>)>;

/// Whether some widget of the start screens shows exactly `text`.
fn shows_on(h: &StartDesk, text: &str) -> bool {
    h.query_all_by_label(text).next().is_some()
}

fn start_harness(start: Start) -> StartDesk {
    homedesk::i18n::set_language(ui::test_language());
    Harness::builder().with_size(egui::vec2(1000.0, 700.0)).with_context_setup(install_fonts).build_ui_state(
        |ui, (start, outcome): &mut (Start, Option<StartOutcome>)| {
            if let Some(done) = start.ui(ui) {
                *outcome = Some(done);
            }
        },
        (start, None),
    )
}

/// Steps until some text contains `part` (a worker thread answers), at most 15 s.
fn wait_part(h: &mut StartDesk, part: &str) -> bool {
    for _ in 0..300 {
        h.step();
        if shows_part(h, part) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn type_field(h: &mut StartDesk, label: &str, text: &str) {
    h.get_by_role_and_label(Role::TextInput, label).click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_role_and_label(Role::TextInput, label).type_text(text);
    h.run();
}

/// The head of a template, before its first placeholder.
fn head(template: &str) -> &str {
    template.split('{').next().unwrap_or(template)
}

#[test]
fn issue_21_the_first_start_offers_a_file_and_a_server_and_a_failed_test_says_why() {
    let t = tx();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("homedesk.db");
    let mut h = start_harness(Start::choose(Some(file.clone()), None));
    h.run();
    assert!(shows_on(&h, t.loc_file) && shows_on(&h, t.loc_server), "both are offered");
    assert!(shows_part(&h, &file.display().to_string()), "the default file is named");
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, t.loc_port).value().as_deref(),
        Some("5432"),
        "the port is PostgreSQL's"
    );

    h.get_by_label(t.loc_server).click();
    h.run();
    type_field(&mut h, t.loc_host, "127.0.0.1");
    // Port 1: nothing listens there, the connection is refused at once.
    type_field(&mut h, t.loc_port, "1");
    h.get_by_label(t.password).click();
    h.run();
    h.get_by_label(t.password).type_text("not-to-be-seen");
    h.run();
    let test_at = h.get_by_role_and_label(Role::Button, t.loc_test).rect();
    let open_at = h.get_by_role_and_label(Role::Button, t.loc_open).rect();
    h.get_by_role_and_label(Role::Button, t.loc_test).click();
    h.step();
    let unreachable = fill(head(t.loc_why_unreachable), &[]);
    assert!(wait_part(&mut h, "127.0.0.1"), "the test's reason shows");
    assert!(shows_part(&h, &unreachable) || shows_part(&h, head(t.loc_why_unreachable)));
    assert!(!shows_part(&h, "not-to-be-seen"), "the password is never shown");
    assert_eq!(h.get_by_role_and_label(Role::Button, t.loc_test).rect(), test_at, "the button stays put");
    // The reason may wrap to two lines: 开始使用 below keeps its place.
    assert_eq!(h.get_by_role_and_label(Role::Button, t.loc_open).rect(), open_at, "开始使用 stays put");
    assert!(h.state().1.is_none(), "a test opens nothing");

    // The file: opened by the shell as it opens --db FILE.
    h.get_by_label(t.loc_file).click();
    h.run();
    h.get_by_role_and_label(Role::Button, t.loc_open).click();
    h.run();
    assert!(matches!(&h.state().1, Some(StartOutcome::File(path)) if *path == file));
    assert!(
        matches!(h.state_mut().0.take_chosen(), Some(homedesk::ui::DataPlace::File(path)) if path == file)
    );
}

#[test]
fn issue_21_a_server_that_does_not_answer_shows_why_with_retry_and_change() {
    let t = tx();
    let url = "postgres://homedesk:hidden-pw@127.0.0.1:1/homedesk?connect_timeout=5".to_string();
    let mut h = start_harness(Start::connect(url.clone(), None));
    h.step();
    assert!(shows_on(&h, t.loc_connecting) || shows_on(&h, t.loc_failed_title), "connecting first");
    assert!(wait_part(&mut h, t.loc_failed_title), "then the failure");
    assert!(shows_part(&h, &redact_url(&url)), "the server, its password hidden");
    assert!(!shows_part(&h, "hidden-pw"));
    assert!(shows_on(&h, t.loc_retry) && shows_on(&h, t.loc_change));
    h.get_by_role_and_label(Role::Button, t.loc_change).click();
    h.run();
    assert_eq!(h.get_by_role_and_label(Role::TextInput, t.loc_host).value().as_deref(), Some("127.0.0.1"));
    assert_eq!(h.get_by_role_and_label(Role::TextInput, t.loc_port).value().as_deref(), Some("1"));
}

#[test]
fn issue_21_on_the_server_the_test_names_the_office_and_start_connects() {
    let t = tx();
    // Only the server half: SQLite has no connection to test.
    for (backend, _desk, _office) in offices(|| fixed_clock(now())) {
        let Backend::Server(db) = &backend else { continue };
        let address = ServerAddress::from_url(&db.url()).expect("the test URL reads");
        let mut h = start_harness(Start::choose(None, Some(address)));
        h.run();
        h.get_by_role_and_label(Role::Button, t.loc_test).click();
        h.step();
        let ok = fill(t.loc_test_ok, &[("office", &OFFICE_NAME)]);
        assert!(wait_part(&mut h, &ok), "the test names the office");
        h.get_by_role_and_label(Role::Button, t.loc_open).click();
        h.step();
        for _ in 0..200 {
            if h.state().1.is_some() {
                break;
            }
            h.step();
            std::thread::sleep(Duration::from_millis(50));
        }
        let Some(StartOutcome::Server(desk)) = &h.state().1 else { panic!("connected") };
        assert_eq!(desk.location(), homedesk::store::Location::Server(db.url() + "?connect_timeout=10"));
    }
}

#[test]
fn issue_21_an_empty_server_database_says_to_ask_it_to_run_init() {
    let t = tx();
    let Some(url) = server() else { return };
    let db = ServerDb::new(&url);
    let mut h = start_harness(Start::connect(db.url(), None));
    assert!(wait_part(&mut h, head(t.loc_why_empty)), "the failed screen says so");
    assert!(shows_part(&h, "init"));
}

/// The server's form says how the connection is encrypted; to check the
/// server's certificate (加密并验证证书) it needs the office's certificate
/// file, and 开始使用 stays off until one is there. The place chosen
/// connects with `sslmode=verify-full` and that file as `sslrootcert`.
#[test]
fn issue_21_the_server_form_takes_verify_full_and_a_certificate_file_into_the_url() {
    let t = tx();
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("server.crt");
    std::fs::write(&cert, "-----BEGIN CERTIFICATE-----\n").unwrap();
    let mut h = start_harness(Start::choose(None, None));
    h.run();
    assert_eq!(
        h.get_by_role_and_label(Role::ComboBox, t.loc_encryption).value().as_deref(),
        Some(t.loc_tls_prefer),
        "encrypted when the server can, by default"
    );
    assert!(
        h.get_by_role_and_label(Role::TextInput, t.loc_root_cert).accesskit_node().is_disabled(),
        "no file to give yet"
    );
    type_field(&mut h, t.loc_host, "192.168.1.10");

    h.get_by_role_and_label(Role::ComboBox, t.loc_encryption).click();
    h.run();
    h.get_by_label(t.loc_tls_verify_full).click();
    h.run();
    assert!(shows_on(&h, t.loc_cert_required), "the file is asked for");
    assert!(
        h.get_by_role_and_label(Role::Button, t.loc_open).accesskit_node().is_disabled(),
        "not without the file"
    );
    assert!(
        !h.get_by_role_and_label(Role::Button, t.loc_pick_cert).accesskit_node().is_disabled(),
        "选择… is on"
    );

    type_field(&mut h, t.loc_root_cert, &dir.path().join("nothing.crt").display().to_string());
    assert!(shows_on(&h, t.loc_cert_missing), "a file that is not there is named so");
    type_field(&mut h, t.loc_root_cert, &cert.display().to_string());
    assert!(!shows_on(&h, t.loc_cert_required) && !shows_on(&h, t.loc_cert_missing));

    h.get_by_role_and_label(Role::Button, t.loc_open).click();
    h.step();
    h.step();
    let Some(homedesk::ui::DataPlace::Server { address, .. }) = h.state_mut().0.take_chosen() else {
        panic!("a server chosen")
    };
    assert_eq!(
        (address.encryption, address.root_cert.as_str()),
        (Encryption::VerifyFull, cert.to_str().unwrap())
    );
    let url = address.url();
    assert!(url.starts_with("postgresql://homedesk@192.168.1.10:5432/homedesk?"), "{url}");
    assert!(url.contains("&sslmode=verify-full&sslrootcert=%2F"), "{url}");
    let (_, tls) = homedesk::store::pg::tls::split_url(&url).unwrap();
    assert_eq!(tls.root_cert.as_deref(), Some(cert.as_path()), "the file's path comes back out of the URL");
    assert!(
        shows_on(&h, t.loc_connecting) || shows_on(&h, t.loc_failed_title),
        "it connects with that address"
    );

    // 更换数据位置 later shows the same choice again, from the URL.
    let again = Start::change_from(&homedesk::store::Location::Server(url), None);
    let mut h = start_harness(again);
    h.run();
    assert_eq!(
        h.get_by_role_and_label(Role::ComboBox, t.loc_encryption).value().as_deref(),
        Some(t.loc_tls_verify_full)
    );
    assert_eq!(h.get_by_role_and_label(Role::TextInput, t.loc_root_cert).value().as_deref(), cert.to_str());
}
