//! Printing read back: the register sheet is a real PDF whose text (Chinese
//! included) can be extracted, whose font is embedded and subset, whose
//! pages break with the heading repeated, and whose phones are masked unless
//! asked for in full. The `print` command writes the same file.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use chrono::{Duration, NaiveDate};
use common::pdf::*;
use common::*;
use homedesk::app::{AppError, HomeDesk};
use homedesk::domain::{RegisterKind, Request};
use homedesk::print::{PhoneDisplay, PrintError, PrintedPdf};
use lopdf::Document;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// The day of the pinned clock, 2026-03-02.
fn today() -> NaiveDate {
    now().date()
}

fn register(desk: &mut HomeDesk, office: &Office, kind: RegisterKind) -> Request {
    let draft = draft(office, kind);
    desk.register_request(office.clerk(kind.owner()), &draft).unwrap_or_else(|e| panic!("register: {e}"))
}

fn print_today(desk: &HomeDesk, kind: RegisterKind, phones: PhoneDisplay) -> PrintedPdf {
    desk.print_register(kind, today(), today(), phones).unwrap_or_else(|e| panic!("print: {e}"))
}

#[test]
fn the_register_reads_back_with_its_title_room_and_price() {
    let (_db, mut desk, office) = office_desk();
    let row = register(&mut desk, &office, RegisterKind::Housekeeping);

    let pdf = print_today(&desk, RegisterKind::Housekeeping, PhoneDisplay::Masked);

    assert_eq!(pdf.pages, 1);
    let doc = load(&pdf);
    assert_eq!(doc.get_pages().len(), 1);
    let text = page_text(&doc, 1);
    for expected in ["家政(清洁/绿化)服务登记表", OFFICE_NAME, row.room.as_str(), "¥100.00", "第1页共1页"]
    {
        assert!(text.contains(expected), "{expected} missing from: {text}");
    }
    assert!(text.contains(&row.no.to_string()), "{text}");
    assert!(text.contains("打印日期：2026-03-0210:00"), "{text}");
}

#[test]
fn the_font_is_embedded_and_subset() {
    let (_db, mut desk, office) = office_desk();
    register(&mut desk, &office, RegisterKind::Repair);

    let pdf = print_today(&desk, RegisterKind::Repair, PhoneDisplay::Masked);

    let doc = load(&pdf);
    assert!(font_embedded_and_subset(&doc), "fonts: {:?}", base_fonts(&doc));
    // The whole face is 5 MB; a one-page sheet carries only the glyphs it uses.
    assert!(pdf.bytes.len() < 100 * 1024, "{} bytes", pdf.bytes.len());
}

#[test]
fn phones_are_masked_unless_asked_for_in_full() {
    let (_db, mut desk, office) = office_desk();
    let row = register(&mut desk, &office, RegisterKind::Housekeeping);
    assert_eq!(row.phone, "13912345678");

    let masked = all_text(&load(&print_today(&desk, RegisterKind::Housekeeping, PhoneDisplay::Masked)));
    assert!(masked.contains("139****5678"), "{masked}");
    assert!(!masked.contains("13912345678"), "{masked}");

    let full = all_text(&load(&print_today(&desk, RegisterKind::Housekeeping, PhoneDisplay::Full)));
    assert!(full.contains("13912345678"), "{full}");
}

#[test]
fn repair_and_alarm_registers_carry_their_own_columns() {
    let (_db, mut desk, office) = office_desk();
    register(&mut desk, &office, RegisterKind::Repair);
    register(&mut desk, &office, RegisterKind::Alarm);

    let repair = all_text(&load(&print_today(&desk, RegisterKind::Repair, PhoneDisplay::Masked)));
    for expected in ["居家维修服务登记表", "紧急程度", "跟进核实", "小问题", "控制中心"]
    {
        assert!(repair.contains(expected), "{expected} missing from: {repair}");
    }
    let alarm = all_text(&load(&print_today(&desk, RegisterKind::Alarm, PhoneDisplay::Masked)));
    for expected in ["居家报警登记表", "类别", "开通"] {
        assert!(alarm.contains(expected), "{expected} missing from: {alarm}");
    }
    assert!(!alarm.contains("紧急程度"), "{alarm}");
}

#[test]
fn a_long_register_breaks_across_pages_with_the_heading_repeated() {
    let (_db, mut desk, office) = office_desk();
    let rows: Vec<Request> =
        (0..40).map(|_| register(&mut desk, &office, RegisterKind::Housekeeping)).collect();

    let pdf = print_today(&desk, RegisterKind::Housekeeping, PhoneDisplay::Masked);

    let doc = load(&pdf);
    assert!(pdf.pages >= 2, "{} pages", pdf.pages);
    assert_eq!(doc.get_pages().len(), pdf.pages);
    for n in 1..=pdf.pages {
        let text = page_text(&doc, n as u32);
        for expected in ["家政(清洁/绿化)服务登记表", "编号", "房号", "服务内容及要求"]
        {
            assert!(text.contains(expected), "page {n} lacks {expected}: {text}");
        }
        assert!(text.contains(&format!("第{n}页共{}页", pdf.pages)), "page {n}: {text}");
    }
    // Every row is printed once, in running-number order.
    let text = all_text(&doc);
    let positions: Vec<usize> = rows
        .iter()
        .map(|r| text.find(&r.no.to_string()).unwrap_or_else(|| panic!("{} missing", r.no)))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "out of order");
}

#[test]
fn a_period_covers_every_day_in_it_and_no_other() {
    let (db, office) = office_db();
    let clock = TestClock::new(now());
    let mut desk = open_at(&db.path, clock.clock());
    let first = register(&mut desk, &office, RegisterKind::Housekeeping);
    clock.set(now() + Duration::days(1));
    let next_day = desk
        .register_request(
            &office.cs_clerk,
            &draft_at(&office, RegisterKind::Housekeeping, now() + Duration::days(1)),
        )
        .unwrap_or_else(|e| panic!("register: {e}"));

    let both = desk
        .print_register(
            RegisterKind::Housekeeping,
            day("2026-03-02"),
            day("2026-03-03"),
            PhoneDisplay::Masked,
        )
        .unwrap_or_else(|e| panic!("print: {e}"));
    let text = all_text(&load(&both));
    assert!(text.contains(&first.no.to_string()) && text.contains(&next_day.no.to_string()), "{text}");
    assert!(text.contains("2026年3月2日至2026年3月3日"), "{text}");

    let second = desk
        .print_register(
            RegisterKind::Housekeeping,
            day("2026-03-03"),
            day("2026-03-03"),
            PhoneDisplay::Masked,
        )
        .unwrap_or_else(|e| panic!("print: {e}"));
    let text = all_text(&load(&second));
    assert!(!text.contains(&first.no.to_string()) && text.contains(&next_day.no.to_string()), "{text}");
}

#[test]
fn an_empty_period_prints_one_page_that_says_so() {
    let (_db, desk, _office) = office_desk();

    let pdf = print_today(&desk, RegisterKind::Alarm, PhoneDisplay::Masked);

    assert_eq!(pdf.pages, 1);
    let text = page_text(&load(&pdf), 1);
    assert!(text.contains("本期间没有登记记录"), "{text}");
    assert!(text.contains("共0条"), "{text}");
}

#[test]
fn a_reversed_period_is_refused() {
    let (_db, desk, _office) = office_desk();

    let result =
        desk.print_register(RegisterKind::Repair, day("2026-03-03"), day("2026-03-02"), PhoneDisplay::Masked);

    assert!(
        matches!(result, Err(AppError::Print(PrintError::PeriodReversed { .. }))),
        "{:?}",
        result.map(|p| p.pages)
    );
}

fn homedesk(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_homedesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run homedesk: {e}"))
}

fn one_line_error(output: &Output) -> String {
    assert!(!output.status.success());
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn the_print_command_writes_the_register() {
    let (db, office) = office_db();
    {
        let mut desk = open_at(&db.path, fixed_clock(now()));
        register(&mut desk, &office, RegisterKind::Repair);
    }
    let out = db.dir.path().join("维修登记表.pdf");
    let out_arg = out.to_string_lossy().into_owned();

    let output = homedesk(
        &db.path,
        &["print", "register", "--kind", "repair", "--from", "2026-03-02", "--out", &out_arg],
    );

    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout} {}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains(&out_arg) && stdout.contains("共 1 页"), "{stdout}");
    let bytes = std::fs::read(&out).unwrap_or_else(|e| panic!("read {}: {e}", out.display()));
    let doc = Document::load_mem(&bytes).unwrap_or_else(|e| panic!("not a PDF: {e}"));
    assert!(page_text(&doc, 1).contains("居家维修服务登记表"));
}

#[test]
fn the_print_command_refuses_a_bad_kind_or_date_in_one_line() {
    let (db, _office) = office_db();
    let out = db.dir.path().join("x.pdf");
    let out = out.to_string_lossy().into_owned();

    let bad_kind = homedesk(
        &db.path,
        &["print", "register", "--kind", "plumbing", "--from", "2026-03-02", "--out", &out],
    );
    assert!(one_line_error(&bad_kind).contains("plumbing"));
    let bad_date =
        homedesk(&db.path, &["print", "register", "--kind", "repair", "--from", "2026-13-40", "--out", &out]);
    assert!(one_line_error(&bad_date).contains("2026-13-40"));
    let reversed = homedesk(
        &db.path,
        &[
            "print",
            "register",
            "--kind",
            "repair",
            "--from",
            "2026-03-03",
            "--to",
            "2026-03-02",
            "--out",
            &out,
        ],
    );
    one_line_error(&reversed);
    assert!(!Path::new(&out).exists());
}

/// Every file under `dir`, its subfolders' included.
fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
    let mut files = Vec::new();
    for path in entries.flatten().map(|entry| entry.path()) {
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn print_reads_no_database_clock_or_files_and_knows_no_gui() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/print");
    let files = files_under(&dir);
    assert!(files.iter().any(|f| f.ends_with("document/prose.rs")), "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
        for banned in ["crate::store", "crate::app", "crate::ui", "rusqlite", "egui", "std::fs", "Local::now"]
        {
            assert!(!text.contains(banned), "{} names {banned}", file.display());
        }
    }
}
