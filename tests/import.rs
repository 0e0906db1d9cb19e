//! Import from Excel and CSV (issue 9): real SQLite files in temp dirs and
//! the sample files of assets/samples. Each sample imports with a history
//! row per record; a file with errors is refused with a report naming each
//! bad cell and leaves the database exactly as it was; only a manager may
//! import; the command line prints the report and fails.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use homedesk::app::{AppError, HomeDesk, ImportOutcome};
use homedesk::domain::User;
use homedesk::import::{ImportFault, ImportKind, ImportProblem, ImportProgress, ImportStage};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples").join(name)
}

fn import(desk: &mut HomeDesk, user: &User, kind: ImportKind, path: &Path) -> ImportOutcome {
    desk.import_file(user, kind, path, &mut |_| {})
        .unwrap_or_else(|e| panic!("import {}: {e}", path.display()))
}

fn imported(outcome: ImportOutcome) -> usize {
    match outcome {
        ImportOutcome::Imported(n) => n,
        ImportOutcome::Refused(problems) => panic!("refused: {problems:#?}"),
    }
}

fn refused(outcome: ImportOutcome) -> Vec<ImportProblem> {
    match outcome {
        ImportOutcome::Imported(n) => panic!("imported {n} rows of a file with errors"),
        ImportOutcome::Refused(problems) => problems,
    }
}

/// Each problem as (row, column, fault).
fn cells(problems: &[ImportProblem]) -> Vec<(Option<usize>, Option<&str>, &ImportFault)> {
    problems.iter().map(|p| (p.row, p.column.as_deref(), &p.fault)).collect()
}

fn history_of(path: &Path, entity: &str) -> i64 {
    raw(path)
        .query_row("SELECT count(*) FROM history WHERE entity = ?1 AND action = 'create'", [entity], |r| {
            r.get(0)
        })
        .unwrap_or_else(|e| panic!("history: {e}"))
}

/// Every row of every table, as text: equal means the file holds the same data.
fn every_row(path: &Path) -> Vec<String> {
    let conn = raw(path);
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .unwrap_or_else(|e| panic!("tables: {e}"));
    let mut rows = Vec::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap_or_else(|e| panic!("{e}"));
        let width = stmt.column_count();
        let mut query = stmt.query([]).unwrap_or_else(|e| panic!("{e}"));
        while let Some(row) = query.next().unwrap_or_else(|e| panic!("{e}")) {
            let values: Vec<String> = (0..width).map(|i| row_text(row, i)).collect();
            rows.push(format!("{table}: {}", values.join("|")));
        }
    }
    rows
}

fn row_text(row: &rusqlite::Row<'_>, i: usize) -> String {
    match row.get_ref(i) {
        Ok(rusqlite::types::ValueRef::Text(t)) => String::from_utf8_lossy(t).into_owned(),
        Ok(rusqlite::types::ValueRef::Integer(n)) => n.to_string(),
        Ok(rusqlite::types::ValueRef::Real(f)) => f.to_string(),
        Ok(rusqlite::types::ValueRef::Blob(b)) => format!("{b:?}"),
        _ => "NULL".into(),
    }
}

#[test]
fn residents_sample_imports_with_history() {
    let (db, mut desk, office) = office_desk();
    let (households, residents) = (count(&db.path, "households"), count(&db.path, "residents"));
    let outcome = import(&mut desk, &office.manager, ImportKind::Residents, &sample("residents.csv"));
    assert_eq!(imported(outcome), 4);
    assert_eq!(count(&db.path, "residents"), residents + 4);
    // 5栋101 has two residents: one household.
    assert_eq!(count(&db.path, "households"), households + 3);
    assert_eq!(history_of(&db.path, "resident"), residents + 4);
    let room = homedesk::domain::RoomNo::parse("3-2-202").unwrap_or_else(|e| panic!("{e}"));
    let household =
        desk.store().household_by_room(&room).ok().flatten().unwrap_or_else(|| panic!("no 3-2-202"));
    assert_eq!(household.residents[0].name, "李娜");
    assert_eq!(household.residents[0].phone, "13912345678");
    assert_eq!(household.residents[0].notes, "老人独居，上门前先电话");
}

#[test]
fn staff_sample_imports_with_history() {
    let (db, mut desk, office) = office_desk();
    let before = count(&db.path, "staff");
    let history = history_of(&db.path, "staff");
    assert_eq!(imported(import(&mut desk, &office.manager, ImportKind::Staff, &sample("staff.csv"))), 4);
    assert_eq!(count(&db.path, "staff"), before + 4);
    assert_eq!(history_of(&db.path, "staff"), history + 4);
    let staff = desk.store().list_staff().unwrap_or_else(|e| panic!("{e}"));
    let zheng = staff.iter().find(|s| s.name == "郑主办").unwrap_or_else(|| panic!("no 郑主办"));
    assert_eq!(zheng.rank, homedesk::domain::Rank::Supervisor);
    assert_eq!(zheng.group, homedesk::domain::Group::CsCenter);
    assert_eq!(zheng.login.as_deref(), Some("zheng"));
    assert_eq!(zheng.first_job_on.map(|d| d.to_string()).as_deref(), Some("2024-06-01"));
}

#[test]
fn price_list_sample_imports_with_history() {
    let (db, mut desk, office) = office_desk();
    let before = count(&db.path, "price_items");
    let history = history_of(&db.path, "price_item");
    let mut stages = Vec::new();
    let outcome = desk
        .import_file(&office.manager, ImportKind::Prices, &sample("prices.csv"), &mut |p: ImportProgress| {
            stages.push((p.stage, p.done, p.total))
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported(outcome), 5);
    assert_eq!(stages.first(), Some(&(ImportStage::Checking, 1, 5)));
    assert_eq!(stages.last(), Some(&(ImportStage::Writing, 5, 5)));
    assert_eq!(count(&db.path, "price_items"), before + 5);
    assert_eq!(history_of(&db.path, "price_item"), history + 5);
    let items = desk.store().list_price_items().unwrap_or_else(|e| panic!("{e}"));
    let glass = items.iter().find(|p| p.name == "擦玻璃").unwrap_or_else(|| panic!("no 擦玻璃"));
    assert_eq!(glass.price.fen(), 850);
    assert_eq!(glass.unit, "平方米");
    assert_eq!(glass.added_on, now().date(), "no date given: today");
}

#[test]
fn the_broken_sample_is_refused_naming_each_bad_cell_and_nothing_is_written() {
    let (db, office) = office_db();
    let bytes = std::fs::read(&db.path).unwrap_or_else(|e| panic!("{e}"));
    let before = every_row(&db.path);
    let mut desk = open_at(&db.path, fixed_clock(now()));
    let problems = refused(import(
        &mut desk,
        &office.manager,
        ImportKind::Residents,
        &sample("residents-with-errors.csv"),
    ));
    assert_eq!(
        cells(&problems),
        vec![
            (Some(3), Some("房号"), &ImportFault::Room),
            (Some(4), Some("住户姓名"), &ImportFault::Required),
            (Some(5), Some("联系电话"), &ImportFault::Phone),
            (Some(6), Some("住户姓名"), &ImportFault::RepeatedInFile(2)),
            (Some(7), Some("房号"), &ImportFault::Required),
            (Some(7), Some("联系电话"), &ImportFault::Phone),
        ]
    );
    assert!(problems.iter().all(|p| p.file == "residents-with-errors.csv"));
    let line = homedesk::i18n::t().import_problem(&problems[0]);
    assert!(line.starts_with("residents-with-errors.csv 第3行 【房号】 "), "{line}");
    drop(desk);
    assert_eq!(every_row(&db.path), before);
    assert!(std::fs::read(&db.path).unwrap_or_else(|e| panic!("{e}")) == bytes, "the file changed");
}

#[test]
fn only_a_manager_may_import() {
    let (db, mut desk, office) = office_desk();
    let before = every_row(&db.path);
    let outcome =
        desk.import_file(&office.cs_clerk, ImportKind::Residents, &sample("residents.csv"), &mut |_| {});
    assert!(matches!(outcome, Err(AppError::Access(_))), "{outcome:?}");
    drop(desk);
    assert_eq!(every_row(&db.path), before);
}

#[test]
fn the_same_file_twice_is_refused_the_second_time() {
    let (_db, mut desk, office) = office_desk();
    imported(import(&mut desk, &office.manager, ImportKind::Prices, &sample("prices.csv")));
    let problems = refused(import(&mut desk, &office.manager, ImportKind::Prices, &sample("prices.csv")));
    assert_eq!(problems.len(), 5);
    assert!(
        problems
            .iter()
            .all(|p| p.fault == ImportFault::AlreadyOnFile && p.column.as_deref() == Some("服务项目"))
    );
}

/// A workbook as HomeDesk exports one: a title row above the header, so the
/// header is found on row 2 and rows keep Excel's numbers.
#[test]
fn an_xlsx_with_a_title_row_is_read_with_excel_row_numbers() {
    let (db, mut desk, office) = office_desk();
    let path = db.dir.path().join("价目表.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows: [[&str; 4]; 4] = [
        ["翠苑管理处 常规服务项目表", "", "", ""],
        ["类别", "服务项目", "单位", "价格(元)"],
        ["清洁", "油烟机清洗", "台", ""],
        ["绿化", "草坪修剪", "平方米", "abc"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                sheet.write_string(r as u32, c as u16, *text).unwrap_or_else(|e| panic!("{e}"));
            }
        }
    }
    sheet.write_number(2, 3, 150.0).unwrap_or_else(|e| panic!("{e}"));
    book.save(&path).unwrap_or_else(|e| panic!("{e}"));
    let problems = refused(import(&mut desk, &office.manager, ImportKind::Prices, &path));
    assert_eq!(
        cells(&problems),
        vec![(Some(4), Some("价格(元)"), &ImportFault::Money(homedesk::domain::MoneyError::NotANumber))]
    );

    sheet_fix(&path);
    assert_eq!(imported(import(&mut desk, &office.manager, ImportKind::Prices, &path)), 2);
    let items = desk.store().list_price_items().unwrap_or_else(|e| panic!("{e}"));
    let hood = items.iter().find(|p| p.name == "油烟机清洗").unwrap_or_else(|| panic!("no item"));
    assert_eq!(hood.price.fen(), 15_000);
}

/// The same workbook with the bad price corrected.
fn sheet_fix(path: &Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [["翠苑管理处 常规服务项目表", "", "", ""], ["类别", "服务项目", "单位", "价格(元)"]];
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                sheet.write_string(r as u32, c as u16, *text).unwrap_or_else(|e| panic!("{e}"));
            }
        }
    }
    for (r, (category, item, unit, price)) in
        [("清洁", "油烟机清洗", "台", 150.0), ("绿化", "草坪修剪", "平方米", 2.5)].into_iter().enumerate()
    {
        let r = r as u32 + 2;
        let write = |sheet: &mut rust_xlsxwriter::Worksheet, c: u16, text: &str| {
            sheet.write_string(r, c, text).map(|_| ()).unwrap_or_else(|e| panic!("{e}"))
        };
        write(sheet, 0, category);
        write(sheet, 1, item);
        write(sheet, 2, unit);
        sheet.write_number(r, 3, price).unwrap_or_else(|e| panic!("{e}"));
    }
    book.save(path).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_file_without_the_required_columns_names_them() {
    let (db, mut desk, office) = office_desk();
    let path = db.dir.path().join("staff.csv");
    std::fs::write(&path, "姓名,电话\n刘家政,13700000001\n").unwrap_or_else(|e| panic!("{e}"));
    let problems = refused(import(&mut desk, &office.manager, ImportKind::Staff, &path));
    assert_eq!(cells(&problems), vec![(None, None, &ImportFault::NoHeader(vec!["部门／组别", "职级"]))]);
}

#[test]
fn cli_import_prints_the_report_and_fails_or_says_how_many() {
    let (db, _office) = office_db();
    let password = format!("{MANAGER_PASSWORD}\n");
    let before = every_row(&db.path);
    let broken = sample("residents-with-errors.csv");
    let broken = broken.to_string_lossy();
    let output = homedesk(
        &db.path,
        &["import", "residents", &broken, "--login", MANAGER_LOGIN, "--password-stdin"],
        &password,
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 7, "{stdout}");
    assert!(lines[0].starts_with("residents-with-errors.csv 第3行 【房号】 "), "{stdout}");
    assert!(lines[6].contains('6'), "{stdout}");
    assert_eq!(every_row(&db.path), before);

    let good = sample("residents.csv");
    let good = good.to_string_lossy();
    let output = homedesk(
        &db.path,
        &["import", "residents", &good, "--login", MANAGER_LOGIN, "--password-stdin"],
        &password,
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains('4'), "{stdout}");

    let output = homedesk(
        &db.path,
        &["import", "staff", &good, "--login", MANAGER_LOGIN, "--password-stdin"],
        "wrong\n",
    );
    assert!(!output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stderr).lines().count(), 1);
}

/// A large file: every row checked and written, progress told as it goes,
/// one transaction (a history row per record, no partial state).
#[test]
fn a_large_file_imports_whole_with_progress() {
    let (db, mut desk, office) = office_desk();
    let rows = 5_000;
    let mut text = String::from("房号,住户姓名,联系电话\n");
    for i in 0..rows {
        text.push_str(&format!(
            "{}-{}-{},住户{i},139{:08}\n",
            i / 400 + 1,
            i / 100 % 4 + 1,
            100 + i % 100,
            i
        ));
    }
    let path = db.dir.path().join("residents-large.csv");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    let residents = count(&db.path, "residents");
    let mut last = (ImportStage::Checking, 0);
    let mut events = 0;
    let outcome = desk
        .import_file(&office.manager, ImportKind::Residents, &path, &mut |p| {
            assert!(p.total == rows && p.done <= p.total, "{p:?}");
            let forward = match (last.0, p.stage) {
                (before, now) if before == now => p.done > last.1,
                (ImportStage::Checking, ImportStage::Writing) => p.done == 1 && last.1 == rows,
                _ => false,
            };
            assert!(forward, "progress runs forward: {p:?} after {last:?}");
            last = (p.stage, p.done);
            events += 1;
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported(outcome), rows);
    assert_eq!(events, 2 * rows, "each row checked, then each row written");
    assert_eq!(count(&db.path, "residents"), residents + rows as i64);
}

#[test]
fn a_staff_file_reports_each_bad_value_by_its_column() {
    let (db, mut desk, office) = office_desk();
    let path = db.dir.path().join("staff-bad.csv");
    let text = "姓名,组别,职级,登录名,在职,入职日期\n\
                甲,保安部,员工,,是,\n\
                乙,家政,组长,,也许,2026-13-01\n\
                丙,公共维修组,员工,cs1,是,\n\
                丁,工程部,经理,ding ding,否,2026年3月1日\n\
                ,财务组,员工,,,\n";
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    let problems = refused(import(&mut desk, &office.manager, ImportKind::Staff, &path));
    assert_eq!(
        cells(&problems),
        vec![
            (Some(2), Some("组别"), &ImportFault::Group),
            (Some(3), Some("职级"), &ImportFault::Rank),
            (Some(3), Some("在职"), &ImportFault::YesNo),
            (Some(3), Some("入职日期"), &ImportFault::Date),
            (Some(4), Some("登录名"), &ImportFault::AlreadyOnFile),
            (Some(5), Some("登录名"), &ImportFault::LoginHasSpaces),
            (Some(6), Some("姓名"), &ImportFault::Required),
        ]
    );
}

// ---- historical register rows (登记记录) ----

use homedesk::domain::{RegisterKind, Request, RequestStatus};
use homedesk::print::PhoneDisplay;
use homedesk::store::RequestQuery;

/// Every row of register `kind`, by running number.
fn register_rows(desk: &HomeDesk, kind: RegisterKind) -> Vec<Request> {
    let query = RequestQuery { kind: Some(kind), ..RequestQuery::default() };
    let ids = desk.store().query_request_ids(&query).unwrap_or_else(|e| panic!("{e}"));
    desk.store().get_requests(&ids).unwrap_or_else(|e| panic!("{e}"))
}

/// What an exported row shows, as text, to compare two offices' rows.
fn shown(r: &Request) -> String {
    format!(
        "{} {} {} {} {} {} {} {} {} {:?} {:?} {:?} {:?} {}",
        r.no,
        r.received_at,
        r.received_by,
        r.room,
        r.resident_name,
        r.phone,
        r.service,
        r.details,
        r.appointment,
        r.price,
        r.status,
        r.assigned_staff.as_ref().map(|(_, name)| name),
        r.urgency,
        r.notes,
    )
}

#[test]
fn an_exported_register_imports_into_a_fresh_office_with_the_same_rows_numbers_and_times() {
    for kind in [RegisterKind::Housekeeping, RegisterKind::Repair] {
        let (db, office) = office_db();
        let clock = TestClock::new(now());
        let mut desk = open_at(&db.path, clock.clock());
        if kind == RegisterKind::Housekeeping {
            finished_job(&mut desk, &office, &clock, "2026-03-03", "3-2-201");
            finished_job(&mut desk, &office, &clock, "2026-03-04", "5栋101");
        }
        clock.set(at("2026-03-05 16:20"));
        let clerk = office.clerk(kind.owner()).clone();
        desk.register_request(&clerk, &draft_at(&office, kind, at("2026-03-05 16:20")))
            .unwrap_or_else(|e| panic!("{e:?}"));
        let before = register_rows(&desk, kind);
        let xlsx = desk
            .export_register(
                kind,
                chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_else(|| panic!()),
                chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_else(|| panic!()),
                PhoneDisplay::Full,
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let path = db.dir.path().join("登记表.xlsx");
        std::fs::write(&path, &xlsx.bytes).unwrap_or_else(|e| panic!("{e}"));

        // The importing office's clock is after the rows: a row's 受理时间 may not be in the future.
        let (fresh, office) = office_db();
        let mut other = open_at(&fresh.path, fixed_clock(at("2026-03-06 09:00")));
        let outcome = import(&mut other, &office.manager, ImportKind::Register, &path);
        assert_eq!(imported(outcome), before.len());
        let after = register_rows(&other, kind);
        assert_eq!(after.iter().map(shown).collect::<Vec<_>>(), before.iter().map(shown).collect::<Vec<_>>());
        let reasons: i64 = raw(&fresh.path)
            .query_row(
                "SELECT count(*) FROM history WHERE entity = 'request' AND action = 'create' AND reason = ?1",
                ["导入：登记表.xlsx"],
                |r| r.get(0),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(reasons, before.len() as i64, "each row's history says it was imported");
    }
}

#[test]
fn a_broken_register_file_is_refused_naming_each_bad_cell_and_nothing_is_written() {
    let (db, office) = office_db();
    let path = db.dir.path().join("register-bad.csv");
    let text = "编号,受理时间,受理人,房号,住户姓名,电话,服务项目,预约时间,服务人员,议定价格,状态\n\
                JZ-2025-000001,2025-02-01 09:00,陈客服,3-2-201,张三,13912345678,厨房保洁,2025-02-01 14:00,孙保洁,100,已完成\n\
                JZ-2025-00x,昨天,陈客服,三栋,李四,123,擦窗,2025-02-02 10:00,王五,abc,办完了\n\
                WX-2025-000001,2025-02-03 09:00,赵值班,3-2-201,张三,,换灯泡,2025-02-03 14:00,,,\n\
                JZ-2025-000003,,陈客服,3-2-201,张三,,厨房保洁,2025-02-04 14:00,,,\n";
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    let bytes = std::fs::read(&db.path).unwrap_or_else(|e| panic!("{e}"));
    let before = every_row(&db.path);
    let mut desk = open_at(&db.path, fixed_clock(now()));
    let problems = refused(import(&mut desk, &office.manager, ImportKind::Register, &path));
    assert_eq!(
        cells(&problems),
        vec![
            (Some(3), Some("编号"), &ImportFault::RunningNo),
            (Some(3), Some("受理时间"), &ImportFault::DateTime),
            (Some(3), Some("房号"), &ImportFault::Room),
            (Some(3), Some("电话"), &ImportFault::Phone),
            (Some(3), Some("服务人员"), &ImportFault::StaffUnknown),
            (Some(3), Some("议定价格"), &ImportFault::Money(homedesk::domain::MoneyError::NotANumber)),
            (Some(3), Some("状态"), &ImportFault::Status),
            (
                Some(4),
                Some("编号"),
                &ImportFault::OtherRegister { row: 2, register: RegisterKind::Housekeeping }
            ),
            (Some(5), Some("受理时间"), &ImportFault::Required),
        ]
    );
    let line = homedesk::i18n::t().import_problem(&problems[7]);
    assert!(line.contains("第2行") && line.contains("家政"), "{line}");
    drop(desk);
    assert_eq!(every_row(&db.path), before);
    assert!(std::fs::read(&db.path).unwrap_or_else(|e| panic!("{e}")) == bytes, "the file changed");
}

#[test]
fn a_register_year_that_already_has_rows_is_refused() {
    let (db, mut desk, office) = office_desk();
    desk.register_request(&office.cs_clerk, &housekeeping_draft(&office)).unwrap_or_else(|e| panic!("{e:?}"));
    let before = every_row(&db.path);
    let problems = refused(import(
        &mut desk,
        &office.manager,
        ImportKind::Register,
        &sample("register-housekeeping.csv"),
    ));
    assert_eq!(
        cells(&problems),
        vec![(
            None,
            None,
            &ImportFault::RegisterYearOnFile { register: RegisterKind::Housekeeping, year: 2026 }
        )]
    );
    let line = homedesk::i18n::t().import_problem(&problems[0]);
    assert!(line.contains("家政") && line.contains("2026"), "{line}");
    assert_eq!(every_row(&db.path), before);
    // The same file into an office without rows that year is taken once only.
    let (_db, mut fresh, office) = office_desk();
    let sample = sample("register-housekeeping.csv");
    assert_eq!(imported(import(&mut fresh, &office.manager, ImportKind::Register, &sample)), 4);
    let again = refused(import(&mut fresh, &office.manager, ImportKind::Register, &sample));
    assert_eq!(again.len(), 2, "2025 and 2026 both have rows now: {again:?}");
}

#[test]
fn imported_rows_are_numbered_in_time_order_and_new_rows_continue_the_numbers() {
    let (db, mut desk, office) = office_desk();
    let outcome =
        import(&mut desk, &office.manager, ImportKind::Register, &sample("register-housekeeping.csv"));
    assert_eq!(imported(outcome), 4);
    let rows = register_rows(&desk, RegisterKind::Housekeeping);
    let numbered: Vec<(String, String, RequestStatus)> =
        rows.iter().map(|r| (r.no.to_string(), r.received_at.to_string(), r.status)).collect();
    assert_eq!(
        numbered,
        vec![
            ("JZ-2025-000001".into(), "2025-11-03 10:00:00".into(), RequestStatus::Cancelled),
            ("JZ-2025-000002".into(), "2025-12-28 15:10:00".into(), RequestStatus::Done),
            ("JZ-2026-000001".into(), "2026-01-05 09:30:00".into(), RequestStatus::Settled),
            ("JZ-2026-000002".into(), "2026-02-10 08:45:00".into(), RequestStatus::Done),
        ]
    );
    let wang = &rows[1];
    assert_eq!(wang.room, "5栋101");
    assert_eq!(wang.price.map(|p| p.fen()), Some(8_550));
    assert_eq!(wang.assigned_staff.as_ref().map(|(id, _)| *id), Some(office.housekeeper));
    assert_eq!(wang.received_by, "陈客服");
    let last: i64 = raw(&db.path)
        .query_row(
            "SELECT last_seq FROM running_numbers WHERE kind = 'housekeeping' AND year = 2025",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(last, 2);
    let problems = desk.store().check_invariants().unwrap_or_else(|e| panic!("{e}"));
    assert!(problems.is_empty(), "the database check finds the numbers whole: {problems:?}");

    let row = desk
        .register_request(&office.cs_clerk, &housekeeping_draft(&office))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(row.no.to_string(), "JZ-2026-000003");
    let repair = desk
        .register_request(&office.control_clerk, &repair_draft(&office))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(repair.no.to_string(), "WX-2026-000001");
}

// ---- historical shopping-log entries (代客购物登记, R-SH-6) ----

use homedesk::domain::{Money, ShoppingEntry, ShoppingError, ShoppingState};
use homedesk::store::ShoppingQuery;

/// Every entry of the log, by number.
fn shopping_log(desk: &HomeDesk) -> Vec<ShoppingEntry> {
    let mut entries = desk.store().list_shopping(&ShoppingQuery::default()).unwrap_or_else(|e| panic!("{e}"));
    entries.sort_by_key(|e| e.no);
    entries
}

/// Problems as (row, column, fault), as `cells` gives them.
type Cells<'a> = Vec<(Option<usize>, Option<&'a str>, &'a ImportFault)>;

/// A shopping file of `numbers`, each a plain entry still 已登记.
fn shopping_file(db: &TestDb, name: &str, numbers: &[&str]) -> PathBuf {
    let mut text =
        String::from("编号,登记时间,登记人,房号,住户姓名,物品,品牌,种类,规格,数量,单位,单价,期限,状态\n");
    for no in numbers {
        text.push_str(&format!(
            "{no},2026-02-27 09:00,陈客服,3-2-202,李娜,洗衣液,蓝月亮,日化,3kg,2,瓶,45.9,2026-03-03,已登记\n"
        ));
    }
    let path = db.dir.path().join(name);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path
}

#[test]
fn r_sh_6_imported_shopping_rows_must_continue_the_log_without_a_gap() {
    let (db, mut desk, office) = office_desk();
    for _ in 0..2 {
        desk.record_shopping(&office.cs_clerk, &shopping_draft()).unwrap_or_else(|e| panic!("{e:?}"));
    }
    let before = every_row(&db.path);
    let gap = ImportFault::ShoppingGap { next: 3, from: 3, to: 3 };
    let refusals: [(&[&str], Cells<'_>); 4] = [
        // 000003 is missing before 000004.
        (&["000004", "000005"], vec![(Some(2), Some("编号"), &gap)]),
        // 000002 is the log's already: never reused.
        (
            &["000002", "000003"],
            vec![(Some(2), Some("编号"), &ImportFault::ShoppingNoUsed { no: 2, last: 2 })],
        ),
        // A number twice in the file.
        (&["000003", "000004", "4"], vec![(Some(4), Some("编号"), &ImportFault::RepeatedInFile(3))]),
        // A gap inside the file, 000005..000006, named at the row after it.
        (
            &["No. 000007", "000003", "000004"],
            vec![(Some(2), Some("编号"), &ImportFault::ShoppingGap { next: 3, from: 5, to: 6 })],
        ),
    ];
    for (numbers, expected) in refusals {
        let path = shopping_file(&db, "shopping-numbers.csv", numbers);
        let problems = refused(import(&mut desk, &office.manager, ImportKind::Shopping, &path));
        assert_eq!(cells(&problems), expected, "{numbers:?}");
        assert_eq!(every_row(&db.path), before, "{numbers:?}: nothing written");
    }
    let line = homedesk::i18n::t().import_problem(&ImportProblem {
        file: "a.csv".into(),
        row: Some(2),
        column: Some("编号".into()),
        fault: gap,
    });
    assert!(line.contains("000003") && line.contains("R-SH-6"), "{line}");

    // Another desk records an entry between the check and the write: the
    // file no longer continues the log, and nothing is written.
    let path = shopping_file(&db, "shopping-next.csv", &["000004", "000003"]);
    let mut other = open_at(&db.path, fixed_clock(now()));
    let mut recorded = false;
    let outcome = desk
        .import_file(&office.manager, ImportKind::Shopping, &path, &mut |p| {
            if p.stage == ImportStage::Checking && !recorded {
                other
                    .record_shopping(&office.cs_clerk, &shopping_draft())
                    .unwrap_or_else(|e| panic!("{e:?}"));
                recorded = true;
            }
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cells(&refused(outcome)), vec![(None, None, &ImportFault::ShoppingLogMoved { last: 3 })]);
    assert_eq!(shopping_log(&desk).len(), 3);

    // Numbers in any order, continuing the log: kept as in the file.
    let path = shopping_file(&db, "shopping-next.csv", &["000005", "4"]);
    assert_eq!(imported(import(&mut desk, &office.manager, ImportKind::Shopping, &path)), 2);
    let numbers: Vec<i64> = shopping_log(&desk).iter().map(|e| e.no).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
    let problems = desk.store().check_invariants().unwrap_or_else(|e| panic!("{e}"));
    assert!(problems.is_empty(), "no gap for the 飞单 check: {problems:?}");
    let next = desk.record_shopping(&office.cs_clerk, &shopping_draft()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(next.no, 6, "the desk continues after the imported numbers");
}

#[test]
fn shopping_sample_imports_each_entry_in_its_state_with_history() {
    let (db, mut desk, office) = office_desk();
    let history = history_of(&db.path, "shopping");
    let mut stages = Vec::new();
    let outcome = desk
        .import_file(&office.manager, ImportKind::Shopping, &sample("shopping.csv"), &mut |p| {
            stages.push((p.stage, p.done, p.total))
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported(outcome), 7);
    assert_eq!(stages.first(), Some(&(ImportStage::Checking, 1, 7)));
    assert_eq!(stages.last(), Some(&(ImportStage::Writing, 7, 7)));
    let log = shopping_log(&desk);
    let states: Vec<(i64, ShoppingState)> = log.iter().map(|e| (e.no, e.state)).collect();
    use ShoppingState as S;
    assert_eq!(
        states,
        vec![
            (1, S::Settled),
            (2, S::NotBought),
            (3, S::Void),
            (4, S::Settled),
            (5, S::Delivered),
            (6, S::Bought),
            (7, S::Recorded)
        ]
    );
    let rice = &log[0];
    assert_eq!((rice.room.as_str(), rice.resident_name.as_str()), ("3栋2单元201", "张阿姨"));
    assert_eq!((rice.quantity, rice.unit.as_str(), rice.unit_price.fen()), (2, "袋", 8_950));
    assert_eq!(rice.expected_total.fen(), 17_900);
    assert_eq!(rice.taken_at, at("2026-01-06 09:20"));
    assert_eq!(rice.taken_by, "陈客服");
    let purchase = rice.purchase.as_ref().unwrap_or_else(|| panic!("no purchase"));
    assert_eq!(purchase.invoice_no, "FP-20260107-01");
    assert_eq!(purchase.actual, Money::parse("178").unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(rice.delivered_on.map(|d| d.to_string()).as_deref(), Some("2026-01-07"));
    assert_eq!(rice.settled_at, Some(at("2026-01-09 16:00")));
    assert_eq!(log[1].not_bought, Some(("该度数缺货，厂家停产".into(), at("2026-02-13 17:00"))));
    assert_eq!(
        log[2].void,
        Some(("数量写错，重开第000004号".into(), "陈客服".into(), at("2026-02-12 11:05")))
    );
    let taken_by_id: Option<i64> = raw(&db.path)
        .query_row("SELECT taken_by_id FROM shopping_entries WHERE no = 1", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(taken_by_id, Some(office.cs_clerk.staff_id), "the taker linked to the staff member");
    assert_eq!(history_of(&db.path, "shopping"), history + 7);
    let reasons: i64 = raw(&db.path)
        .query_row(
            "SELECT count(*) FROM history WHERE entity = 'shopping' AND action = 'create' AND reason = ?1",
            ["导入：shopping.csv"],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reasons, 7, "each entry's history says it was imported");
    let problems = desk.store().check_invariants().unwrap_or_else(|e| panic!("{e}"));
    assert!(problems.is_empty(), "{problems:?}");
    // The same file again would reuse its numbers.
    let again = refused(import(&mut desk, &office.manager, ImportKind::Shopping, &sample("shopping.csv")));
    assert_eq!(again.len(), 7);
    assert!(again.iter().all(|p| matches!(p.fault, ImportFault::ShoppingNoUsed { last: 7, .. })));
}

#[test]
fn a_broken_shopping_file_is_refused_naming_each_bad_cell_and_nothing_is_written() {
    let (db, office) = office_db();
    let bytes = std::fs::read(&db.path).unwrap_or_else(|e| panic!("{e}"));
    let before = every_row(&db.path);
    let mut desk = open_at(&db.path, fixed_clock(now()));
    let problems = refused(import(
        &mut desk,
        &office.manager,
        ImportKind::Shopping,
        &sample("shopping-with-errors.csv"),
    ));
    let states = ImportFault::Choice(vec!["已登记", "已购买", "已送达", "已结算", "未能购买", "作废"]);
    let rice_total = Money::parse("179").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        cells(&problems),
        vec![
            (Some(3), Some("房号"), &ImportFault::Room),
            (Some(3), Some("数量"), &ImportFault::Shopping(ShoppingError::BadQuantity)),
            (Some(3), Some("期限"), &ImportFault::Shopping(ShoppingError::DeadlinePast)),
            (Some(4), Some("预计金额"), &ImportFault::TotalMismatch(rice_total)),
            (Some(4), Some("编号"), &ImportFault::ShoppingGap { next: 1, from: 3, to: 3 }),
            (Some(5), Some("发票号"), &ImportFault::Shopping(ShoppingError::InvoiceRequired)),
            (Some(6), Some("编号"), &ImportFault::RepeatedInFile(5)),
            (Some(6), Some("状态"), &states),
            (Some(6), Some("品牌"), &ImportFault::Required),
            (Some(7), Some("登记时间"), &ImportFault::DateTime),
            (Some(7), Some("发票号"), &ImportFault::NotForState(ShoppingState::Recorded)),
            (Some(8), Some("客户验收签名"), &ImportFault::Shopping(ShoppingError::NotSigned)),
            (Some(9), Some("告知时间"), &ImportFault::Shopping(ShoppingError::NotTold)),
            (Some(10), Some("作废原因"), &ImportFault::Shopping(ShoppingError::ReasonRequired)),
        ]
    );
    assert!(problems.iter().all(|p| p.file == "shopping-with-errors.csv"));
    let t = homedesk::i18n::t();
    let lines: Vec<String> = problems.iter().map(|p| t.import_problem(p)).collect();
    assert!(lines[0].starts_with("shopping-with-errors.csv 第3行 【房号】 "), "{lines:?}");
    assert!(lines[2].contains("登记日期"), "the deadline is measured from the day registered: {lines:?}");
    assert!(lines[3].contains("179.00"), "{lines:?}");
    assert!(lines[10].contains("已登记"), "{lines:?}");
    drop(desk);
    assert_eq!(every_row(&db.path), before);
    assert!(std::fs::read(&db.path).unwrap_or_else(|e| panic!("{e}")) == bytes, "the file changed");
}

#[test]
fn cli_imports_shopping_entries_or_prints_the_report() {
    let (db, _office) = office_db();
    let password = format!("{MANAGER_PASSWORD}\n");
    let before = every_row(&db.path);
    let broken = sample("shopping-with-errors.csv");
    let output = homedesk(
        &db.path,
        &["import", "shopping", &broken.to_string_lossy(), "--login", MANAGER_LOGIN, "--password-stdin"],
        &password,
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "{stdout}");
    assert_eq!(stdout.lines().count(), 15, "fourteen problems and the total: {stdout}");
    assert!(stdout.contains("第4行 【编号】 编号不连续：缺少 000003"), "{stdout}");
    assert_eq!(every_row(&db.path), before);

    let good = sample("shopping.csv");
    let output = homedesk(
        &db.path,
        &["import", "shopping", &good.to_string_lossy(), "--login", MANAGER_LOGIN, "--password-stdin"],
        &password,
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("代客购物登记 7 条"), "{stdout}");
    assert_eq!(count(&db.path, "shopping_entries"), 7);
}
