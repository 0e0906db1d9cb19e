//! The command line, run as the real binary in a fresh temp dir: commands
//! succeed with a summary, and every failure is one line on stderr with a
//! non-zero exit code (no panic, no stack trace).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn homedesk(db: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_homedesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start homedesk");
    if let Some(mut input) = child.stdin.take() {
        // A command that refuses before reading its input closes the pipe.
        if let Err(e) = input.write_all(stdin.as_bytes()) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
        }
    }
    child.wait_with_output().expect("run homedesk")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A failure: non-zero, exactly one line on stderr naming the program, no panic.
fn assert_one_line_error(output: &Output) -> String {
    assert!(!output.status.success(), "should fail: {}", stdout(output));
    let err = stderr(output);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("homedesk: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn init(db: &Path) -> Output {
    homedesk(
        db,
        &[
            "init",
            "--office",
            "翠苑管理处",
            "--manager",
            "王经理",
            "--phone",
            "0571-88886666",
            "--login",
            "wang",
            "--password-stdin",
        ],
        "secret-123\n",
    )
}

#[test]
fn version_names_the_build() {
    let output = Command::new(env!("CARGO_BIN_EXE_homedesk")).arg("--version").output().expect("run");
    assert!(output.status.success());
    assert!(stdout(&output).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn init_then_check_succeeds_and_a_second_init_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("office.db");
    let output = init(&db);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("翠苑管理处"));

    let check = homedesk(&db, &["check"], "");
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(stdout(&check).contains("完整性检查：ok"));

    let again = init(&db);
    assert!(assert_one_line_error(&again).contains("管理处已建立"));
}

#[test]
fn init_with_a_short_password_says_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("office.db");
    let output = homedesk(
        &db,
        &["init", "--office", "翠苑", "--manager", "王经理", "--phone", "88886666", "--password-stdin"],
        "123\n",
    );
    assert!(assert_one_line_error(&output).contains("密码至少"));
}

/// Issue 19 item 15, R-FU-3: `init` names the service phone as the first
/// start does, with the same check; a bad one makes no office.
#[test]
fn r_fu_3_init_refuses_an_office_without_a_valid_service_phone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("office.db");
    for (phone, said) in [("", "服务电话"), ("abc", "电话号码应为")] {
        let output = homedesk(
            &db,
            &["init", "--office", "翠苑", "--manager", "王经理", "--phone", phone, "--password-stdin"],
            "secret-123\n",
        );
        assert!(assert_one_line_error(&output).contains(said), "{phone:?}");
    }
    let missing = homedesk(
        &db,
        &["init", "--office", "翠苑", "--manager", "王经理", "--password-stdin"],
        "secret-123\n",
    );
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("--phone"), "{}", stderr(&missing));
    let output = homedesk(
        &db,
        &["init", "--office", "翠苑", "--manager", "王经理", "--phone", "0571-88886666", "--password-stdin"],
        "secret-123\n",
    );
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn check_of_a_missing_file_fails_without_creating_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("missing.db");
    let output = homedesk(&db, &["check"], "");
    assert!(assert_one_line_error(&output).contains("数据库文件不存在"));
    assert!(!db.exists());
}

#[test]
fn a_file_that_is_not_a_database_is_reported_in_one_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("notes.db");
    std::fs::write(&db, "这不是数据库".repeat(200)).expect("write");
    let output = homedesk(&db, &["check"], "");
    assert!(assert_one_line_error(&output).contains("不是居家服务台数据库"));
}

#[test]
fn a_database_from_a_newer_homedesk_is_refused_and_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("newer.db");
    assert!(init(&db).status.success());
    {
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.pragma_update(None, "user_version", homedesk::store::SCHEMA_VERSION + 1).expect("bump");
        conn.pragma_update(None, "journal_mode", "DELETE").expect("checkpoint");
    }
    let before = std::fs::read(&db).expect("read");
    let output = homedesk(&db, &["check"], "");
    assert!(assert_one_line_error(&output).contains("较新版本"));
    assert_eq!(std::fs::read(&db).expect("read"), before, "file unchanged");
}

#[test]
fn demo_fills_an_office_that_passes_check() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("demo.db");
    let output = homedesk(&db, &["demo", "--years", "1", "--households", "360"], "");
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("演示数据"), "{text}");
    assert!(text.contains("demo1234"), "{text}");
    assert!(text.contains("住户 360 户"), "the households asked for, not more (issue 19): {text}");
    assert!(text.contains("定点服务协议"), "{text}");
    assert!(text.contains("代客购物登记"), "{text}");

    let check = homedesk(&db, &["check"], "");
    assert!(check.status.success(), "{}", stdout(&check));
    demo_holds_agreements_in_every_state(&db);
    demo_keeps_a_shopping_log_in_every_state(&db, &stdout(&check));
    demo_revisits_the_households_of_every_reason(&db);
    no_form_printed_from_the_demo_carries_a_rule_code(&db);

    let again = homedesk(&db, &["demo"], "");
    assert_one_line_error(&again);
}

/// R-AG-2, R-AG-3, R-DSP-4: the demo's agreements stand in every state,
/// one amended and one renewed, and their visits are on the register
/// both before "now" (worked) and after it (still registered).
fn demo_holds_agreements_in_every_state(db: &Path) {
    use homedesk::domain::{AgreementStatus as S, RequestStatus};
    let desk = homedesk::app::HomeDesk::open(db).expect("open the demo");
    let agreements = desk.agreements(&homedesk::store::AgreementQuery::default()).expect("agreements");
    let has = |status: S| agreements.iter().any(|a| a.status == status);
    assert!(has(S::Draft) && has(S::Ended) && has(S::Terminated), "{agreements:?}");
    assert!(has(S::Signed) || has(S::Active), "{agreements:?}");
    assert!(agreements.iter().filter(|a| a.status == S::Active).count() >= 2, "several running");
    let confirmed_draft = agreements.iter().any(|a| a.status == S::Draft && a.confirmed.is_some());
    assert!(confirmed_draft, "a draft the CS assistant confirmed, waiting for the manager");
    let terminated = agreements.iter().filter_map(|a| a.termination.as_ref());
    assert!(terminated.into_iter().all(|t| !t.reason.is_empty() && t.notice_on <= t.stop_on));
    let renewed = agreements.iter().filter_map(|a| a.renewal_of);
    assert!(renewed.into_iter().any(|old| agreements.iter().any(|a| a.id == old)), "a renewal");
    let amended = agreements.iter().filter(|a| !desk.amendments(a.id).unwrap_or_default().is_empty());
    assert!(amended.count() >= 1, "an amendment");

    let now = homedesk::app::local_now();
    let visits: Vec<_> =
        agreements.iter().flat_map(|a| desk.agreement_visits(a.id).expect("visits")).collect();
    assert!(visits.iter().any(|v| v.appointment < now && v.status == RequestStatus::Settled));
    assert!(visits.iter().any(|v| v.appointment > now && v.status == RequestStatus::Registered));
}

/// R-SH-1..6: the demo's shopping log stands in every state with its
/// numbers continuous, and `check` lists the 飞单 left open near "now" —
/// one of them already investigated, the others not.
fn demo_keeps_a_shopping_log_in_every_state(db: &Path, check: &str) {
    use homedesk::domain::ShoppingState;
    let desk = homedesk::app::HomeDesk::open(db).expect("open the demo");
    let entries = desk.shopping(&homedesk::store::ShoppingQuery::default()).expect("shopping log");
    for state in ShoppingState::ALL {
        assert!(entries.iter().any(|e| e.state == *state), "no {state:?} entry");
    }
    let mut numbers: Vec<i64> = entries.iter().map(|e| e.no).collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=entries.len() as i64).collect::<Vec<i64>>(), "continuous");
    assert!(check.contains(&format!("编号 000001–{:06} 连续", entries.len())), "{check}");
    for concern in ["逾期未购买", "已购买逾期未送达", "已送达逾期未结算：已调查"] {
        assert!(check.contains(concern), "{concern} not in: {check}");
    }
    let open = check.lines().filter(|l| l.starts_with("  0") && !l.contains("已调查")).count();
    assert!(open >= 3, "open 飞单 still to investigate: {check}");
}

/// R-RV-1..5: the last full month's plan is drawn with the R-RV-1 sample
/// and a household of every R-RV-2 reason, and is partly revisited; the
/// month before is done, some residents unreachable; complaints stand open
/// and closed; the last quarter has its quality check.
fn demo_revisits_the_households_of_every_reason(db: &Path) {
    use chrono::{Datelike, Timelike};
    use homedesk::domain::{RevisitReason, previous_month, quarterly_sample_size, sample_size};
    let desk = homedesk::app::HomeDesk::open(db).expect("open the demo");
    let now = homedesk::app::local_now();
    let last_month = previous_month(&now.format("%Y-%m").to_string()).expect("a month");
    // Plans are drawn on the 1st at 09:30: earlier that day the newest is the month before.
    let early_on_the_1st = now.day() == 1 && now.hour() < 10;
    let plan = match desk.revisit_plan(&last_month).expect("plan") {
        Some(plan) => plan,
        None if early_on_the_1st => {
            let before = previous_month(&last_month).expect("a month");
            desk.revisit_plan(&before).expect("plan").expect("the month before has its plan")
        }
        None => panic!("no revisit plan for {last_month} at {now}"),
    };
    assert_eq!(plan.sample_size, sample_size(plan.households_served), "R-RV-1");
    let sampled = plan.rows.iter().filter(|r| r.reasons.contains(&RevisitReason::Sample)).count();
    assert!(sampled >= plan.sample_size, "{sampled} sampled of {}", plan.sample_size);
    for reason in RevisitReason::ALL {
        assert!(plan.rows.iter().any(|r| r.reasons.contains(reason)), "no {reason:?} on {}", plan.period);
    }
    let (_, to_do, _) = plan.progress();
    assert!(to_do > 0, "the 回访 tab has work: {:?}", plan.progress());

    let before = previous_month(&plan.period).expect("a month");
    let done = desk.revisit_plan(&before).expect("plan").expect("the month before has its plan");
    let (revisited, to_do, unreachable) = done.progress();
    assert!(revisited > 0 && unreachable > 0 && to_do == 0, "{before}: {:?}", done.progress());
    let complaints = desk.complaints().expect("complaints");
    assert!(complaints.iter().any(|c| c.closed.is_none()), "an open complaint");
    assert!(complaints.iter().any(|c| c.closed.is_some()), "a closed complaint");

    let quarter = |months_back: u32| {
        let day = now.date().with_day(1).and_then(|d| d.checked_sub_months(chrono::Months::new(months_back)));
        let day = day.expect("a day");
        format!("{}-Q{}", day.year(), day.month0() / 3 + 1)
    };
    // Drawn on the 5th after the quarter: the last one, or the one before early in a quarter.
    let check = [quarter(3), quarter(6)]
        .iter()
        .find_map(|q| desk.quality_check(q).expect("check"))
        .expect("a quality check");
    assert_eq!(check.sample_size, quarterly_sample_size(check.households_served), "R-RV-5");
    assert_eq!(check.rows.len(), check.sample_size);
}

/// The text of every page of `pdf`.
fn pdf_text(pdf: &homedesk::print::PrintedPdf) -> String {
    let doc = lopdf::Document::load_mem(&pdf.bytes).expect("a PDF");
    let pages: Vec<u32> = (1..=doc.get_pages().len() as u32).collect();
    doc.extract_text(&pages).expect("text")
}

/// An internal rule code (R-SH-1, R-DESK-3 …) in `text`, if any.
fn rule_code(text: &str) -> Option<String> {
    text.match_indices("R-").find_map(|(at, _)| {
        let code: String = text[at..]
            .chars()
            .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '-')
            .collect();
        (code.len() > 2 && code.as_bytes()[2].is_ascii_uppercase()).then_some(code)
    })
}

/// Rule IDs belong in the app's messages and the code, never on a form a
/// resident, a clerk or finance keeps: every kind of print the demo office
/// makes, read back, carries none.
fn no_form_printed_from_the_demo_carries_a_rule_code(db: &Path) {
    use chrono::Duration;
    use homedesk::domain::{AgreementStatus, Desk, RegisterKind, ShoppingState, previous_month};
    let desk = homedesk::app::HomeDesk::open(db).expect("open the demo");
    let now = homedesk::app::local_now();
    let yesterday = now.date() - Duration::days(1);
    let month_ago = now.date() - Duration::days(30);
    let last_month = previous_month(&now.format("%Y-%m").to_string()).expect("a month");
    let mut prints = Vec::new();
    for kind in RegisterKind::ALL {
        let phones = homedesk::print::PhoneDisplay::Masked;
        prints.push((format!("register {kind:?}"), desk.print_register(*kind, yesterday, yesterday, phones)));
    }
    prints.push(("repair copy".into(), desk.print_repair_copy(yesterday)));
    prints.push(("slips".into(), desk.print_slips_issued(month_ago, yesterday)));
    prints.push(("records".into(), desk.print_service_records_of_day(Desk::CsCenter, yesterday)));
    for (kind, hour) in [(RegisterKind::Housekeeping, 8), (RegisterKind::Alarm, 9)] {
        let round = yesterday.and_hms_opt(hour, 0, 0).expect("a round");
        prints.push((format!("round {kind:?}"), desk.print_round(kind, round)));
    }
    prints.push(("cash".into(), desk.print_cash_handover(yesterday, None)));
    for a in desk.agreements(&homedesk::store::AgreementQuery::default()).expect("agreements") {
        prints.push((format!("agreement {}", a.id), desk.print_agreement(a.id)));
        for m in desk.amendments(a.id).expect("amendments") {
            prints.push((format!("amendment {} {}", a.id, m.seq), desk.print_amendment(a.id, m.seq)));
            prints.push((format!("consolidated {}", a.id), desk.print_agreement_consolidated(a.id)));
        }
        if a.renewal_of.is_some() {
            prints.push((format!("renewal {}", a.id), desk.print_renewal(a.id)));
        }
        if a.status == AgreementStatus::Terminated {
            prints.push((format!("notice {}", a.id), desk.print_termination_notice(a.id)));
        }
    }
    let entries = desk.shopping(&homedesk::store::ShoppingQuery::default()).expect("shopping");
    let one_of_each: Vec<i64> = ShoppingState::ALL
        .iter()
        .filter_map(|state| entries.iter().find(|e| e.state == *state).map(|e| e.no))
        .collect();
    prints.push(("shopping forms".into(), desk.print_shopping_forms(&one_of_each)));
    prints.push(("blank shopping form".into(), desk.print_shopping_forms(&[])));
    prints.push(("shopping log".into(), desk.print_shopping_log(month_ago, yesterday)));
    if let Some(plan) = desk.revisit_plan(&last_month).expect("plan") {
        prints.push(("revisit list".into(), desk.print_revisits(&plan, false)));
        prints.push(("revisit record".into(), desk.print_revisits(&plan, true)));
    }
    prints.push(("monthly report".into(), desk.print_monthly_report(&last_month)));
    assert!(prints.len() >= 20, "{} prints", prints.len());
    for (name, pdf) in prints {
        let pdf = pdf.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let text = pdf_text(&pdf);
        assert_eq!(rule_code(&text), None, "{name} prints a rule code");
    }
}

#[test]
fn a_mistyped_command_line_is_one_line_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = homedesk(&dir.path().join("x.db"), &["chek"], "");
    assert_one_line_error(&output);
    assert!(!dir.path().join("x.db").exists(), "nothing created");
}

#[test]
fn backup_then_restore_on_the_command_line_brings_the_copy_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("office.db");
    assert!(init(&db).status.success());
    let copy = dir.path().join("copy.db");
    let output = homedesk(&db, &["backup", "--out", &copy.display().to_string()], "");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains(&copy.display().to_string()), "{}", stdout(&output));
    assert!(copy.exists());

    // The office is renamed after the backup; the restore takes the change back.
    let staff_before = count_rows(&db, "staff");
    rusqlite::Connection::open(&db)
        .and_then(|c| c.execute("UPDATE office SET name = '改过的名字' WHERE id = 1", []))
        .expect("change after backup");
    let output = homedesk(&db, &["restore", "--from", &copy.display().to_string()], "");
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    let safety = out
        .lines()
        .find_map(|line| line.split_whitespace().last().filter(|w| w.contains(".before-restore-")))
        .unwrap_or_else(|| panic!("no safety copy named: {out}"));
    assert!(Path::new(safety).exists(), "{safety}");
    assert_eq!(office_name(Path::new(safety)), "改过的名字");
    assert_eq!(office_name(&db), "翠苑管理处");
    assert_eq!(count_rows(&db, "staff"), staff_before);
    assert!(homedesk(&db, &["check"], "").status.success());
}

#[test]
fn restore_refuses_a_damaged_backup_and_leaves_the_database_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("office.db");
    assert!(init(&db).status.success());
    let bad = dir.path().join("bad.db");
    std::fs::write(&bad, vec![0x5a_u8; 8192]).expect("write garbage");
    let before = std::fs::read(&db).expect("read db");

    let output = homedesk(&db, &["restore", "--from", &bad.display().to_string()], "");
    let err = assert_one_line_error(&output);
    assert!(err.contains("bad.db") && err.contains("数据库未改动"), "{err}");
    assert_eq!(std::fs::read(&db).expect("read db"), before);
    assert!(
        !std::fs::read_dir(dir.path()).expect("list").any(|e| {
            e.map(|e| e.file_name().to_string_lossy().contains("before-restore")).unwrap_or(false)
        })
    );
}

#[test]
fn a_damaged_database_names_its_latest_backup_and_restore_repairs_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("office.db");
    assert!(init(&db).status.success());
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).expect("backups folder");
    let copy = backups.join("homedesk-2026-03-01-080000.db");
    assert!(homedesk(&db, &["backup", "--out", &copy.display().to_string()], "").status.success());
    std::fs::write(&db, vec![0xa5_u8; 8192]).expect("damage the file");

    let err = assert_one_line_error(&homedesk(&db, &["check"], ""));
    assert!(err.contains("homedesk-2026-03-01-080000.db") && err.contains("restore --from"), "{err}");
    assert_eq!(std::fs::read(&db).expect("read db"), vec![0xa5_u8; 8192], "nothing overwritten");

    let output = homedesk(&db, &["restore", "--from", &copy.display().to_string()], "");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(homedesk(&db, &["check"], "").status.success());
    assert_eq!(office_name(&db), "翠苑管理处");
}

fn count_rows(db: &Path, table: &str) -> i64 {
    rusqlite::Connection::open(db)
        .and_then(|c| c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)))
        .expect("count")
}

fn office_name(db: &Path) -> String {
    rusqlite::Connection::open(db)
        .and_then(|c| c.query_row("SELECT name FROM office WHERE id = 1", [], |r| r.get(0)))
        .expect("office name")
}
