//! Issue 20, item 9: signing in. `--password-stdin` reads one line and does
//! not wait for the end of input; after five wrong passwords a login waits,
//! longer after each further failure, in every process (the failures are in
//! the file); each failure is in 变更记录 with its login, time and PC.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;
use homedesk::app::AppError;
use homedesk::domain::{Desk, Entity, FREE_FAILURES};
use homedesk::store::HistoryQuery;

const CLERK_PASSWORD: &str = "clerk-pass";

fn sample(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples").join(name)
}

/// Runs `homedesk import residents` with `password` as the first line of
/// standard input, which is kept open for `hold` after it.
fn import_with(db: &Path, login: &str, password: &str, hold: Duration) -> (Output, Duration) {
    let file = sample("residents.csv");
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_homedesk"))
        .arg("--db")
        .arg(db)
        .args(["import", "residents"])
        .arg(&file)
        .args(["--login", login, "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start homedesk: {e}"));
    let mut input = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
    input.write_all(format!("{password}\n").as_bytes()).unwrap_or_else(|e| panic!("stdin: {e}"));
    input.flush().unwrap_or_else(|e| panic!("stdin: {e}"));
    // The pipe stays open: `(echo pw; sleep 5) | homedesk …`.
    let deadline = started + hold;
    while Instant::now() < deadline {
        if child.try_wait().ok().flatten().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let finished = child.try_wait().ok().flatten().is_some();
    let elapsed = started.elapsed();
    drop(input);
    let output = child.wait_with_output().unwrap_or_else(|e| panic!("run homedesk: {e}"));
    assert!(finished, "homedesk still waited for the end of input after {elapsed:?}");
    (output, elapsed)
}

#[test]
fn password_stdin_reads_the_first_line_without_waiting_for_the_end_of_input() {
    let (db, _office) = office_db();
    let (output, elapsed) = import_with(&db.path, MANAGER_LOGIN, MANAGER_PASSWORD, Duration::from_secs(30));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("导入"), "{stdout}");
    assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
}

/// Five wrong passwords from the command line, each its own process; the
/// sixth try — even with the right password — is refused with the wait in
/// the message; the manager sees the five in 变更记录 with the PC's name.
#[test]
fn after_five_wrong_passwords_the_login_waits_in_every_process_and_a_manager_sees_them() {
    let (db, office) = office_db();
    let residents = count(&db.path, "residents");
    for _ in 0..FREE_FAILURES {
        let (output, _) = import_with(&db.path, MANAGER_LOGIN, "wrong-password", Duration::from_secs(30));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success());
        assert!(stderr.contains("登录名或密码不正确"), "{stderr}");
    }
    let (output, _) = import_with(&db.path, MANAGER_LOGIN, MANAGER_PASSWORD, Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "signed in while locked");
    assert!(stderr.contains("连续 5 次密码错误") && stderr.contains("之后再试"), "{stderr}");
    assert_eq!(count(&db.path, "residents"), residents, "nothing imported");

    // In the window: each failure with its login, time and PC.
    let desk = open_at(&db.path, fixed_clock(chrono::Local::now().naive_local()));
    let q = HistoryQuery { entity: Some(Entity::SignIn), ..HistoryQuery::default() };
    let (rows, total) = desk.history(&office.manager, &q).unwrap_or_else(|e| panic!("{e}"));
    // The five wrong passwords and the try refused while waiting.
    assert_eq!(total, FREE_FAILURES + 1);
    assert_eq!(rows.iter().filter(|r| r.entry.reason.is_some()).count(), 1, "the refused try says why");
    let host = homedesk::app::this_pc();
    for row in &rows {
        assert_eq!(row.entry.user_name, MANAGER_LOGIN);
        let fields: Vec<(&str, &str)> =
            row.entry.changes.iter().map(|c| (c.field.as_str(), c.new.as_str())).collect();
        assert_eq!(fields, vec![("login", MANAGER_LOGIN), ("host", host.as_str())]);
    }
}

/// In one process with a clock, on each backend: the wait doubles with
/// each failure after the fifth, and the right password works once it is over.
#[test]
fn each_failure_after_the_fifth_doubles_the_wait_then_the_right_password_works() {
    let clock = TestClock::new(now());
    for (backend, mut desk, office) in backends::offices(|| clock.clock()) {
        clock.set(now());
        waits_double_after_the_fifth_failure(&mut desk, &office, &clock, backend.name());
    }
}

fn waits_double_after_the_fifth_failure(
    desk: &mut homedesk::app::HomeDesk,
    office: &Office,
    clock: &TestClock,
    backend: &str,
) {
    desk.set_password(&office.manager, office.cs_clerk.staff_id, CLERK_PASSWORD)
        .unwrap_or_else(|e| panic!("{backend}: {e}"));
    for _ in 0..FREE_FAILURES {
        let refused = desk.sign_in("cs1", "not-it", Desk::CsCenter);
        assert!(matches!(refused, Err(AppError::BadCredentials)), "{backend}: {refused:?}");
    }
    // The sixth try — the right password — waits 30 s from the fifth failure.
    let locked = desk.sign_in("cs1", CLERK_PASSWORD, Desk::CsCenter);
    let Err(AppError::SignInLocked { until, failures: 5, .. }) = locked else {
        panic!("{backend}: {locked:?}")
    };
    assert_eq!(until, now() + chrono::Duration::seconds(30), "{backend}");
    // Another login is not held up by this one.
    assert!(desk.sign_in(MANAGER_LOGIN, MANAGER_PASSWORD, Desk::CsCenter).is_ok(), "{backend}");

    // That try counted (six failures: a minute from the latest); a wrong
    // password after it, then the right one: seven, two minutes; the try
    // refused makes eight, four minutes from it.
    clock.set(now() + chrono::Duration::seconds(61));
    let refused = desk.sign_in("cs1", "still-not-it", Desk::CsCenter);
    assert!(matches!(refused, Err(AppError::BadCredentials)), "{backend}: {refused:?}");
    let locked = desk.sign_in("cs1", CLERK_PASSWORD, Desk::CsCenter);
    let Err(AppError::SignInLocked { until, failures: 7, .. }) = locked else {
        panic!("{backend}: {locked:?}")
    };
    assert_eq!(until, now() + chrono::Duration::seconds(61 + 120), "{backend}");
    clock.set(now() + chrono::Duration::seconds(61 + 239));
    let locked = desk.sign_in("cs1", CLERK_PASSWORD, Desk::CsCenter);
    assert!(matches!(locked, Err(AppError::SignInLocked { .. })), "{backend}: {locked:?}");
    clock.set(now() + chrono::Duration::seconds(61 + 239 + 481));
    let user =
        desk.sign_in("cs1", CLERK_PASSWORD, Desk::CsCenter).unwrap_or_else(|e| panic!("{backend}: {e:?}"));
    assert_eq!(user.name, "陈客服", "{backend}");
}

/// Issue 23 item 1 (R-FU-6): a failed sign-in's entry in 变更记录 names the
/// login tried, as a clerk would, not the failure row's id: migration 27's
/// label, on both backends. An entry written before it, whose stored label
/// is empty and never changed, reads the login from its values as well.
/// A search by the login finds both.
#[test]
fn r_fu_6_a_failed_sign_in_is_named_by_the_login_tried() {
    for (backend, mut desk, office) in backends::offices(|| fixed_clock(now())) {
        let _named = backends::Named(backend.name());
        for login in ["zhaoliu88", "qianqi99"] {
            let refused = desk.sign_in(login, "not-it", Desk::CsCenter);
            assert!(matches!(refused, Err(AppError::BadCredentials)), "{refused:?}");
        }
        assert_eq!(backend.count("history_labels WHERE record = 'qianqi99'"), 1, "labelled when written");
        // zhaoliu88's as migration 19's view labelled it, before 27: empty.
        let unlabel = "UPDATE history_labels SET record = '' WHERE record = 'zhaoliu88'";
        let ran = match &backend {
            backends::Backend::Lite(_) => !backend.refuses(&format!(
                "DROP TRIGGER history_labels_unchanged; {unlabel};
                 CREATE TRIGGER history_labels_unchanged BEFORE UPDATE ON history_labels
                 BEGIN SELECT RAISE(ABORT, 'the change history is never changed'); END;"
            )),
            backends::Backend::Server(_) => !backend.refuses(&format!(
                "ALTER TABLE history_labels DISABLE TRIGGER history_labels_unchanged; {unlabel};
                 ALTER TABLE history_labels ENABLE TRIGGER history_labels_unchanged;"
            )),
        };
        assert!(ran && backend.count("history_labels WHERE record = 'zhaoliu88'") == 0);

        let q = HistoryQuery { entity: Some(Entity::SignIn), ..HistoryQuery::default() };
        let (rows, _) = desk.history(&office.manager, &q).unwrap_or_else(|e| panic!("{e}"));
        let records: Vec<&str> = rows.iter().map(|r| r.record.as_str()).collect();
        assert_eq!(records, ["qianqi99", "zhaoliu88"], "newest first, each by its login");
        for login in ["zhaoliu88", "qianqi99"] {
            let q = HistoryQuery { text: login.into(), ..HistoryQuery::default() };
            let (rows, total) = desk.history(&office.manager, &q).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(total, 1, "{login}");
            assert_eq!((rows[0].entry.entity, rows[0].record.as_str()), (Entity::SignIn, login));
        }
    }
}

/// Issue 23: the benchmark's `homedesk-probe` signs in from the environment
/// (through the password check, src/ui/probe.rs); the shipped binary is
/// built without the `probe` feature and holds none of that code, not even
/// the names of its variables.
#[test]
fn the_shipped_binary_has_no_probe_sign_in() {
    let binary = std::fs::read(env!("CARGO_BIN_EXE_homedesk")).expect("the homedesk binary");
    for name in [&b"HOMEDESK_PROBE_LOGIN"[..], b"HOMEDESK_PROBE_PASSWORD", b"HOMEDESK_PROBE_LOG"] {
        assert!(
            !binary.windows(name.len()).any(|w| w == name),
            "{} is in the shipped binary",
            String::from_utf8_lossy(name)
        );
    }
}
