//! Issue 20, items 6 and 7: import refuses what a paper form could not hold
//! — an exact duplicate row, a time outside the office's life, an
//! appointment far from its call, a note or a name longer than its box,
//! control characters, a header naming a column twice — each with its row
//! and column, and nothing written; and CSV files as Chinese Excel saves
//! them (GB18030) read as well as UTF-8 ones.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use homedesk::app::{AppError, HomeDesk, ImportOutcome};
use homedesk::domain::{Field, IntakeError, TextError, User, WhenError};
use homedesk::import::{ImportFault, ImportKind, ImportProblem};

const REGISTER_HEADER: &str =
    "登记簿,受理时间,受理人,房号,住户姓名,电话,服务项目,服务内容及要求,预约时间,备注";
const REGISTER_ROW: &str =
    "家政,2026-01-05 09:30,陈客服,3-2-201,张阿姨,13912345678,厨房保洁,油烟机,2026-01-06 09:00,";

/// Writes `bytes` as `name` in the test's folder.
fn file(db: &TestDb, name: &str, bytes: &[u8]) -> PathBuf {
    let path = db.dir.path().join(name);
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {name}: {e}"));
    path
}

fn csv(db: &TestDb, name: &str, lines: &[&str]) -> PathBuf {
    file(db, name, (lines.join("\r\n") + "\r\n").as_bytes())
}

/// Imports `path` and expects it refused with nothing written: the problems
/// as (row, column, fault).
fn refused(
    desk: &mut HomeDesk,
    user: &User,
    kind: ImportKind,
    path: &Path,
) -> Vec<(usize, String, ImportFault)> {
    let requests = count(desk.store().path(), "requests");
    let staff = count(desk.store().path(), "staff");
    let residents = count(desk.store().path(), "residents");
    let outcome = desk.import_file(user, kind, path, &mut |_| {}).unwrap_or_else(|e| panic!("import: {e}"));
    let problems = match outcome {
        ImportOutcome::Imported(n) => panic!("imported {n} rows of {}", path.display()),
        ImportOutcome::Refused(problems) => problems,
    };
    assert_eq!(count(desk.store().path(), "requests"), requests, "nothing written");
    assert_eq!(count(desk.store().path(), "staff"), staff, "nothing written");
    assert_eq!(count(desk.store().path(), "residents"), residents, "nothing written");
    problems.into_iter().map(located).collect()
}

fn located(p: ImportProblem) -> (usize, String, ImportFault) {
    (p.row.unwrap_or(0), p.column.unwrap_or_default(), p.fault)
}

fn at(row: usize, column: &str, fault: ImportFault) -> (usize, String, ImportFault) {
    (row, column.to_string(), fault)
}

#[test]
fn an_exact_duplicate_register_row_is_refused_naming_the_first() {
    let (db, mut desk, office) = office_desk();
    let path = csv(&db, "twice.csv", &[REGISTER_HEADER, REGISTER_ROW, REGISTER_ROW, REGISTER_ROW]);
    let problems = refused(&mut desk, &office.manager, ImportKind::Register, &path);
    assert_eq!(
        problems,
        vec![
            at(3, "受理时间", ImportFault::RepeatedInFile(2)),
            at(4, "受理时间", ImportFault::RepeatedInFile(2))
        ]
    );
}

#[test]
fn a_call_in_the_year_9999_or_before_the_office_is_refused() {
    let (db, mut desk, office) = office_desk();
    let future = REGISTER_ROW.replace("2026-01-05 09:30", "9999-12-31 23:59");
    let ancient = REGISTER_ROW.replace("2026-01-05 09:30", "1899-01-05 09:30");
    let path = csv(&db, "years.csv", &[REGISTER_HEADER, &future, &ancient]);
    let problems = refused(&mut desk, &office.manager, ImportKind::Register, &path);
    assert_eq!(
        problems,
        vec![
            at(2, "受理时间", ImportFault::When(WhenError::InFuture)),
            at(3, "受理时间", ImportFault::When(WhenError::BeforeOffice))
        ]
    );
    assert_eq!(count(&db.path, "running_numbers"), 0, "no numbers made for the year 9999");
}

#[test]
fn an_appointment_long_before_or_far_after_its_call_is_refused() {
    let (db, mut desk, office) = office_desk();
    let before = REGISTER_ROW.replace("2026-01-06 09:00", "0026-01-06 09:00");
    let after = REGISTER_ROW.replace("2026-01-06 09:00", "2028-01-06 09:00").replace("油烟机", "窗户");
    let path = csv(&db, "appointments.csv", &[REGISTER_HEADER, &before, &after]);
    let problems = refused(&mut desk, &office.manager, ImportKind::Register, &path);
    assert_eq!(
        problems,
        vec![
            at(2, "预约时间", ImportFault::When(WhenError::AppointmentBeforeCall)),
            at(3, "预约时间", ImportFault::When(WhenError::AppointmentTooFar))
        ]
    );
}

#[test]
fn a_ten_million_character_note_and_a_long_name_are_refused() {
    let (db, mut desk, office) = office_desk();
    let note = "记".repeat(10_000_000);
    let long_note = format!("{REGISTER_ROW}{note}");
    let long_name = REGISTER_ROW.replace("张阿姨", &"张".repeat(100_000));
    let path = csv(&db, "long.csv", &[REGISTER_HEADER, &long_note, &long_name]);
    let problems = refused(&mut desk, &office.manager, ImportKind::Register, &path);
    assert_eq!(
        problems,
        vec![
            at(2, "备注", ImportFault::Text(TextError::TooLong { max: 500 })),
            at(3, "住户姓名", ImportFault::Text(TextError::TooLong { max: 30 }))
        ]
    );
}

#[test]
fn nul_and_esc_in_names_notes_and_logins_are_refused() {
    let (db, mut desk, office) = office_desk();
    let staff = csv(
        &db,
        "staff.csv",
        &["姓名,部门／组别,职级,登录名", "刘\u{0}家政,家政组,员工,", "黄师傅,公共维修组,员工,huang\u{1b}[2J"],
    );
    let problems = refused(&mut desk, &office.manager, ImportKind::Staff, &staff);
    assert_eq!(
        problems,
        vec![
            at(2, "姓名", ImportFault::Text(TextError::Unprintable)),
            at(3, "登录名", ImportFault::Text(TextError::Unprintable))
        ]
    );
    let residents = csv(&db, "residents.csv", &["房号,住户姓名,备注", "3-2-201,张伟,\"上门前\u{1b}先电话\""]);
    let problems = refused(&mut desk, &office.manager, ImportKind::Residents, &residents);
    assert_eq!(problems, vec![at(2, "备注", ImportFault::Text(TextError::Unprintable))]);
}

#[test]
fn a_header_naming_a_column_twice_is_refused() {
    let (db, mut desk, office) = office_desk();
    // The same name twice, and two spellings of one column.
    let path = csv(
        &db,
        "twice-header.csv",
        &["房号,住户姓名,电话,住户姓名,联系电话", "3-2-201,张伟,13812348000,李娜,"],
    );
    let problems = refused(&mut desk, &office.manager, ImportKind::Residents, &path);
    assert_eq!(
        problems,
        vec![
            at(1, "住户姓名", ImportFault::ColumnTwice { first: "B".into() }),
            at(1, "联系电话", ImportFault::ColumnTwice { first: "C".into() })
        ]
    );
}

/// The limits are the forms' too: the intake refuses the same texts.
#[test]
fn the_intake_form_shares_the_limits() {
    let (_db, mut desk, office) = office_desk();
    let mut draft = housekeeping_draft(&office);
    draft.details = "擦".repeat(501);
    draft.notes = "老人\u{0}独居".into();
    let clerk = office.clerk(homedesk::domain::Desk::CsCenter).clone();
    let Err(AppError::Invalid(errors)) = desk.register_request(&clerk, &draft) else {
        panic!("a 501-character description was registered")
    };
    let found: Vec<(Field, IntakeError)> = errors.into_iter().map(|e| (e.field, e.error)).collect();
    assert_eq!(
        found,
        vec![
            (Field::Details, IntakeError::Text(TextError::TooLong { max: 500 })),
            (Field::Notes, IntakeError::Text(TextError::Unprintable))
        ]
    );
    // An appointment two years ahead is a typo of the year.
    let mut draft = housekeeping_draft(&office);
    draft.appointment = "2028-03-02 10:00".into();
    let Err(AppError::Invalid(errors)) = desk.register_request(&clerk, &draft) else {
        panic!("an appointment two years ahead was registered")
    };
    assert_eq!(errors[0].error, IntakeError::When(WhenError::AppointmentTooFar));
}

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples").join(name)
}

/// Item 7: the GB18030 sample (as Excel on a Chinese PC saves "CSV") holds
/// the UTF-8 sample's rows and imports the same.
#[test]
fn a_gb18030_csv_from_chinese_excel_imports_like_the_utf8_one() {
    let gb = std::fs::read(sample("residents-gb18030.csv")).unwrap_or_else(|e| panic!("{e}"));
    assert!(std::str::from_utf8(&gb).is_err(), "the sample is GB18030, not UTF-8");
    let (db, mut desk, office) = office_desk();
    let residents = count(&db.path, "residents");
    let outcome = desk
        .import_file(&office.manager, ImportKind::Residents, &sample("residents-gb18030.csv"), &mut |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(outcome, ImportOutcome::Imported(4));
    assert_eq!(count(&db.path, "residents"), residents + 4);
    let room = homedesk::domain::RoomNo::parse("3-2-202").unwrap_or_else(|e| panic!("{e}"));
    let household = desk.store().household_by_room(&room).ok().flatten().unwrap_or_else(|| panic!("no room"));
    assert_eq!(household.residents[0].name, "李娜");
    assert_eq!(household.residents[0].notes, "老人独居，上门前先电话");
}

/// A GB18030 file with a bad cell is reported in Chinese by row and column,
/// and a file that is neither UTF-8 nor GB18030 is refused as such.
#[test]
fn a_gb18030_csv_with_a_bad_room_and_a_file_of_no_known_encoding() {
    let (db, mut desk, office) = office_desk();
    let (bytes, _, _) = encoding_rs::GB18030.encode("房号,住户姓名\r\n三栋201,张伟\r\n");
    let path = file(&db, "gbk.csv", &bytes);
    let problems = refused(&mut desk, &office.manager, ImportKind::Residents, &path);
    assert_eq!(problems, vec![at(2, "房号", ImportFault::Room)]);
    let path = file(&db, "binary.csv", &[0x81, 0x20, 0xff, 0xfe, 0x00]);
    let problems = refused(&mut desk, &office.manager, ImportKind::Residents, &path);
    assert_eq!(problems, vec![at(0, "", ImportFault::Encoding)]);
}
