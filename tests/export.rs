//! The Excel export read back with calamine (issue 8): each table from a
//! small office on a real SQLite file, its title naming the office and the
//! period, the header row as printed, dates as real Excel dates, money as
//! numbers of yuan, one row per record; and the `export` command.

mod common;

use std::io::Cursor;
use std::process::Command;

use calamine::{Data, Range, Reader, Xlsx};
use chrono::{NaiveDate, NaiveDateTime};
use common::*;
use homedesk::app::AppError;
use homedesk::domain::{Opinion, Ratings, RegisterKind, RevisitAnswer, RevisitMethod};
use homedesk::export::ExportedXlsx;
use homedesk::i18n::t;
use homedesk::print::PhoneDisplay;
use homedesk::store::RequestQuery;

/// The title, then the header, then the data.
const HEADER_ROW: u32 = 1;
const FIRST_ROW: u32 = 2;

fn ok<T>(result: Result<T, AppError>) -> T {
    result.unwrap_or_else(|e| panic!("{e:?}"))
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn sheet(xlsx: &ExportedXlsx) -> Range<Data> {
    let mut book = Xlsx::new(Cursor::new(xlsx.bytes.clone())).unwrap_or_else(|e| panic!("open: {e}"));
    book.worksheet_range_at(0).unwrap_or_else(|| panic!("no sheet")).unwrap_or_else(|e| panic!("read: {e}"))
}

fn text(range: &Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("({row}, {col}) is not text: {other:?}"),
    }
}

fn headers(range: &Range<Data>) -> Vec<String> {
    (0..range.width() as u32).map(|col| text(range, HEADER_ROW, col)).collect()
}

fn column(range: &Range<Data>, header: &str) -> u32 {
    headers(range).iter().position(|h| h == header).unwrap_or_else(|| panic!("no column {header}")) as u32
}

/// Excel's serial number of a day and time (days since 1899-12-30).
fn serial(at: NaiveDateTime) -> f64 {
    let epoch = day("1899-12-30").and_hms_opt(0, 0, 0).unwrap_or_default();
    (at - epoch).num_seconds() as f64 / 86_400.0
}

fn assert_date(range: &Range<Data>, row: u32, col: u32, expected: NaiveDateTime) {
    match range.get_value((row, col)) {
        Some(Data::DateTime(d)) => assert!((d.as_f64() - serial(expected)).abs() < 1e-6, "{d} vs {expected}"),
        other => panic!("({row}, {col}) is not a date: {other:?}"),
    }
}

fn assert_yuan(range: &Range<Data>, row: u32, col: u32, expected: f64) {
    match range.get_value((row, col)) {
        Some(Data::Float(n)) => assert_eq!(*n, expected),
        other => panic!("({row}, {col}) is not a number: {other:?}"),
    }
}

fn data_rows(range: &Range<Data>) -> usize {
    range.height() - FIRST_ROW as usize
}

#[test]
fn each_register_exports_its_rows_with_real_dates_and_money_in_yuan() {
    let (_db, mut desk, office) = office_desk();
    for kind in RegisterKind::ALL {
        let clerk = office.clerk(kind.owner()).clone();
        ok(desk.register_request(&clerk, &draft(&office, *kind)));
        ok(desk.register_request(&clerk, &draft(&office, *kind)));
        let xlsx =
            ok(desk.export_register(*kind, day("2026-03-02"), day("2026-03-02"), PhoneDisplay::Masked));
        let range = sheet(&xlsx);
        let title = text(&range, 0, 0);
        assert!(title.contains(OFFICE_NAME) && title.contains("2026年03月02日"), "{title}");
        assert!(title.contains(t().register_title(*kind)), "{title}");
        let heads = headers(&range);
        assert_eq!(&heads[..3], &[t().col_no, t().col_received_at, t().col_received_by]);
        assert!(heads.iter().any(|h| h == t().col_notes));
        assert_eq!((xlsx.rows, data_rows(&range)), (2, 2));
        assert!(text(&range, FIRST_ROW, 0).ends_with("000001"));
        assert_date(&range, FIRST_ROW, column(&range, t().col_received_at), now());
        assert_yuan(&range, FIRST_ROW, column(&range, t().col_price), 100.0);
    }
}

#[test]
fn a_register_exports_only_the_rows_its_filter_finds_and_says_the_open_period() {
    let (_db, mut desk, office) = office_desk();
    let cs = office.cs_clerk.clone();
    let mut other = housekeeping_draft(&office);
    other.room = "9-1-901".into();
    ok(desk.register_request(&cs, &housekeeping_draft(&office)));
    ok(desk.register_request(&cs, &other));
    let filter =
        RequestQuery { text: "9栋".into(), from: Some(day("2026-03-01")), ..RequestQuery::default() };
    let xlsx = ok(desk.export_register_matching(RegisterKind::Housekeeping, filter, PhoneDisplay::Masked));
    let range = sheet(&xlsx);
    assert_eq!(data_rows(&range), 1);
    assert_eq!(text(&range, FIRST_ROW, column(&range, t().col_room)), "9栋1单元901");
    assert!(text(&range, 0, 0).contains("2026年03月01日 起"), "{}", text(&range, 0, 0));
}

#[test]
fn phones_are_masked_unless_asked_for_in_full() {
    let (_db, mut desk, office) = office_desk();
    let row = ok(desk.register_request(&office.cs_clerk, &housekeeping_draft(&office)));
    let full = row.phone.clone();
    let export = |phones| {
        let xlsx = ok(desk.export_register(
            RegisterKind::Housekeeping,
            day("2026-03-02"),
            day("2026-03-02"),
            phones,
        ));
        let range = sheet(&xlsx);
        text(&range, FIRST_ROW, column(&range, t().col_phone))
    };
    assert_eq!(export(PhoneDisplay::Full), full);
    assert!(export(PhoneDisplay::Masked).contains("****"));
}

#[test]
fn the_shopping_log_exports_amounts_in_yuan_and_the_deadline_as_a_date() {
    let (_db, mut desk, office) = office_desk();
    ok(desk.record_shopping(&office.cs_clerk, &shopping_draft()));
    ok(desk.record_shopping(&office.cs_clerk, &shopping_draft()));
    let xlsx = ok(desk.export_shopping_log(day("2026-03-01"), day("2026-03-31")));
    let range = sheet(&xlsx);
    let title = text(&range, 0, 0);
    assert!(title.contains(OFFICE_NAME) && title.contains(t().sh_log_title), "{title}");
    assert!(title.contains("2026年03月01日") && title.contains("2026年03月31日"), "{title}");
    assert_eq!(headers(&range)[..2], [t().col_no, t().col_received_at]);
    assert_eq!(data_rows(&range), 2);
    assert_eq!(text(&range, FIRST_ROW, 0), "000001");
    assert_yuan(&range, FIRST_ROW, column(&range, t().sh_col_total), 179.0);
    let deadline = day("2026-03-04").and_hms_opt(0, 0, 0).unwrap_or_default();
    assert_date(&range, FIRST_ROW, column(&range, t().sh_col_deadline), deadline);
    assert_date(&range, FIRST_ROW, column(&range, t().col_received_at), now());
}

#[test]
fn a_months_revisit_plan_exports_its_households_and_the_answers_so_far() {
    let (db, office) = office_db();
    let clock = TestClock::new(at("2026-03-02 09:00"));
    let mut desk = open_at(&db.path, clock.clock());
    for room in ["1-1-101", "1-1-102", "1-1-103"] {
        finished_job(&mut desk, &office, &clock, "2026-03-02", room);
    }
    clock.set(at("2026-04-02 09:30"));
    let cs = office.cs_clerk.clone();
    let plan = ok(desk.draw_revisit_plan(&cs, "2026-03"));
    let all = Opinion::Satisfied;
    let answer = RevisitAnswer {
        method: RevisitMethod::Phone,
        ratings: Some(Ratings { timeliness: all, skill: all, attitude: all }),
        comments: "很满意".into(),
        needs: String::new(),
        attempts: String::new(),
        complaint: None,
    };
    ok(desk.record_revisit(&cs, plan.rows[0].id, &answer));
    let plan = ok(desk.revisit_plan("2026-03")).unwrap_or_else(|| panic!("the plan is saved"));
    let xlsx = ok(desk.export_revisits(&plan));
    let range = sheet(&xlsx);
    let title = text(&range, 0, 0);
    assert!(title.contains(OFFICE_NAME) && title.contains("2026年3月"), "{title}");
    assert_eq!(headers(&range)[..2], [t().rv_col_no, t().rv_col_revisited_on]);
    assert_eq!(data_rows(&range), plan.rows.len());
    assert_date(&range, FIRST_ROW, 1, at("2026-04-02 00:00"));
    assert_date(&range, FIRST_ROW, column(&range, t().rv_col_service_date), at("2026-03-02 00:00"));
    assert_eq!(text(&range, FIRST_ROW, column(&range, t().rv_col_comments)), "很满意");
}

#[test]
fn the_export_command_writes_the_workbook_and_says_where() {
    let (db, mut desk, office) = office_desk();
    ok(desk.register_request(&office.control_clerk, &repair_draft(&office)));
    drop(desk);
    let out = db.dir.path().join("维修.xlsx");
    let output = Command::new(env!("CARGO_BIN_EXE_homedesk"))
        .arg("--db")
        .arg(&db.path)
        .args(["export", "repair", "--from", "2026-03-01", "--to", "2026-03-31", "--out"])
        .arg(&out)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("已导出") && stdout.contains("1 行"), "{stdout}");
    let bytes = std::fs::read(&out).unwrap_or_else(|e| panic!("{e}"));
    let range = sheet(&ExportedXlsx { bytes, rows: 1 });
    assert_eq!(data_rows(&range), 1);
}

#[test]
fn exporting_revisits_of_a_month_without_a_plan_fails_with_one_line() {
    let (db, _office) = office_db();
    let out = db.dir.path().join("回访.xlsx");
    let output = Command::new(env!("CARGO_BIN_EXE_homedesk"))
        .arg("--db")
        .arg(&db.path)
        .args(["export", "revisits", "--month", "2026-03", "--out"])
        .arg(&out)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert!(!output.status.success());
    assert!(!out.exists());
    assert_eq!(String::from_utf8_lossy(&output.stderr).trim().lines().count(), 1);
}

#[test]
fn r_rv_4_the_periods_figures_export_a_sheet_per_kind_with_shares_as_percentages() {
    let (db, office) = office_db();
    let clock = TestClock::new(at("2026-03-02 09:00"));
    let mut desk = open_at(&db.path, clock.clock());
    finished_job(&mut desk, &office, &clock, "2026-03-03", "1-1-101");
    finished_job(&mut desk, &office, &clock, "2026-03-04", "2-1-101");
    clock.set(at("2026-04-02 09:00"));
    let xlsx = ok(desk.export_figures(day("2026-03-01"), day("2026-04-01")));
    let mut book = Xlsx::new(Cursor::new(xlsx.bytes.clone())).unwrap_or_else(|e| panic!("open: {e}"));
    let names = book.sheet_names();
    assert_eq!(names, vec!["概要", "受理", "收费", "回访", "员工", "住户需求", "近 12 个月"]);
    let summary = book.worksheet_range("概要").unwrap_or_else(|e| panic!("{e}"));
    assert!(text(&summary, 0, 0).contains(OFFICE_NAME), "the office in the title");
    assert!(text(&summary, 0, 0).contains("2026年03月01日"), "{}", text(&summary, 0, 0));
    let total = (FIRST_ROW..summary.height() as u32)
        .find(|row| text(&summary, *row, 0) == "受理")
        .unwrap_or_else(|| panic!("no 受理 row"));
    assert_eq!(summary.get_value((total, 2)), Some(&Data::Float(2.0)), "two requests, a number");
    let requests = book.worksheet_range("受理").unwrap_or_else(|e| panic!("{e}"));
    let housekeeping = (FIRST_ROW..requests.height() as u32)
        .find(|row| text(&requests, *row, 1) == "家政")
        .unwrap_or_else(|| panic!("no 家政 row"));
    assert_eq!(requests.get_value((housekeeping, 2)), Some(&Data::Float(2.0)));
    let months = book.worksheet_range("近 12 个月").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(data_rows(&months), 12);
    assert_eq!(text(&months, FIRST_ROW + 11, 0), "2026-03");
}

#[test]
fn cli_export_stats_writes_the_workbook() {
    let (db, office) = office_db();
    let clock = TestClock::new(at("2026-03-02 09:00"));
    let mut desk = open_at(&db.path, clock.clock());
    finished_job(&mut desk, &office, &clock, "2026-03-03", "1-1-101");
    drop(desk);
    let out = db.dir.path().join("统计.xlsx");
    let run = Command::new(env!("CARGO_BIN_EXE_homedesk"))
        .arg("--db")
        .arg(&db.path)
        .args(["export", "stats", "--from", "2026-03-01", "--to", "2026-03-31", "--out"])
        .arg(&out)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let bytes = std::fs::read(&out).unwrap_or_else(|e| panic!("{e}"));
    let mut book = Xlsx::new(Cursor::new(bytes)).unwrap_or_else(|e| panic!("open: {e}"));
    assert_eq!(book.sheet_names().len(), 7);
    let _ = book.worksheet_range("概要").unwrap_or_else(|e| panic!("{e}"));
}

/// R-DESK-3: the relay note names the repair row it made, the repair row
/// names its note, in the rows themselves, both registers' prints and
/// both exports.
#[test]
fn r_desk_3_the_relay_note_and_its_repair_name_each_other_everywhere() {
    let (_db, mut desk, office) = office_desk();
    let repair = ok(desk.register_request(&office.cs_clerk, &emergency_relay_draft(&office)));
    let note_ids = ok(desk
        .store()
        .query_request_ids(&RequestQuery {
            kind: Some(RegisterKind::Housekeeping),
            ..RequestQuery::default()
        })
        .map_err(AppError::from));
    let note = ok(desk.request(note_ids[0]));
    assert_eq!(
        (repair.no.to_string(), note.no.to_string()),
        ("WX-2026-000001".into(), "JZ-2026-000001".into())
    );
    assert_eq!(note.relay_link, Some(repair.no), "the note names the repair");
    assert_eq!(repair.relay_link, Some(note.no), "the repair names its note");
    // A row of its own register, not relayed, names nothing.
    let plain = ok(desk.register_request(&office.control_clerk, &repair_draft(&office)));
    assert_eq!(plain.relay_link, None);

    let today = now().date();
    for (kind, own, other) in [
        (RegisterKind::Housekeeping, "JZ-2026-000001", "对应维修单WX-2026-000001"),
        (RegisterKind::Repair, "WX-2026-000001", "转报记录JZ-2026-000001"),
    ] {
        let pdf = ok(desk.print_register(kind, today, today, PhoneDisplay::Masked));
        let printed = common::pdf::all_text(&common::pdf::load(&pdf));
        assert!(printed.contains(own) && printed.contains(other), "{kind:?} print: {printed}");
        let range = sheet(&ok(desk.export_register(kind, today, today, PhoneDisplay::Masked)));
        let notes = text(&range, FIRST_ROW, column(&range, t().col_notes)).replace(' ', "");
        assert!(notes.contains(other), "{kind:?} export: {notes}");
    }
}
