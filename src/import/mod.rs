//! Import from Excel (`.xlsx`, calamine) and CSV: residents, staff, the
//! price list, historical register rows and shopping-log entries, with the column headers in Chinese as on the printed forms
//! and in HomeDesk's own Excel export (docs/IMPORT.md lists them).
//!
//! [`check_file`] reads the whole file, checks every row with the same
//! `domain` validation the 设置 forms use, and returns either every record
//! or every problem (file, row as Excel numbers it, column, fault) — never
//! only the first. Writing is `app`'s (`HomeDesk::import_file`): nothing is
//! written unless the whole file passed.
//! Must not: open the database or read the clock (what is on file and today
//! are passed in); words for the clerk come from `i18n`.

mod people;
mod register;
mod shopping;
mod table;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::{
    Category, Money, MoneyError, PastRequest, PriceItem, RegisterKind, Resident, RoomNo, RunningNo,
    ShoppingEntry, ShoppingError, ShoppingState, Staff, StaffId, TextError, TextKind, WhenError, check_text,
};

pub use table::{RawTable, TableRow, decode_csv, parse_csv, read_table};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportKind {
    Residents,
    Staff,
    Prices,
    /// Historical rows of one register (登记记录).
    Register,
    /// Historical entries of the shopping log (代客购物登记), numbered on
    /// from the log's last number (R-SH-6).
    Shopping,
}

impl ImportKind {
    pub const ALL: [ImportKind; 5] = [
        ImportKind::Residents,
        ImportKind::Staff,
        ImportKind::Prices,
        ImportKind::Register,
        ImportKind::Shopping,
    ];

    /// The name on the command line (`homedesk import residents FILE`).
    pub fn code(self) -> &'static str {
        match self {
            ImportKind::Residents => "residents",
            ImportKind::Staff => "staff",
            ImportKind::Prices => "prices",
            ImportKind::Register => "register",
            ImportKind::Shopping => "shopping",
        }
    }

    pub fn from_code(code: &str) -> Option<ImportKind> {
        ImportKind::ALL.into_iter().find(|k| k.code() == code)
    }

    fn columns(self) -> &'static [ColumnSpec] {
        match self {
            ImportKind::Residents => people::RESIDENT_COLUMNS,
            ImportKind::Staff => people::STAFF_COLUMNS,
            ImportKind::Prices => people::PRICE_COLUMNS,
            ImportKind::Register => register::REGISTER_COLUMNS,
            ImportKind::Shopping => shopping::SHOPPING_COLUMNS,
        }
    }
}

/// Why a file, a row or a cell cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportFault {
    /// The file could not be opened or read; the cause in the reader's words.
    Unreadable(String),
    /// A CSV file neither UTF-8 nor GB18030 (what Excel saves on a Chinese PC).
    Encoding,
    /// A `.xlsx`/`.xls` file calamine cannot read as a workbook (damaged, or
    /// another format renamed); the reader's words as a detail.
    NotAWorkbook(String),
    /// Neither `.xlsx` nor `.csv`.
    UnknownFormat,
    /// No row names every required column; these were not found.
    NoHeader(Vec<&'static str>),
    /// A header and nothing under it.
    NoRows,
    Required,
    Room,
    Phone,
    Money(MoneyError),
    Date,
    YesNo,
    Group,
    Rank,
    Category,
    LoginHasSpaces,
    /// The same record as the earlier row of this number.
    RepeatedInFile(usize),
    /// The same record is already in the database.
    AlreadyOnFile,
    /// Not a running number (`JZ-2026-000012`).
    RunningNo,
    /// Not a register's name (家政, 维修, 报警), or not the running number's.
    Register,
    /// Neither a running number nor a register's name: whose row is it?
    NoRegister,
    /// Of another register than the file's, which row `row` set.
    OtherRegister {
        row: usize,
        register: RegisterKind,
    },
    /// Not a date and time (`2026-11-22 14:30`).
    DateTime,
    /// Not a status the app uses (已完成, 已结算 …).
    Status,
    /// Not one of the app's words for this column (紧急程度, 类别): these.
    Choice(Vec<&'static str>),
    /// No staff member of this name (服务人员).
    StaffUnknown,
    /// The register already has rows in this year: imported rows would not
    /// be numbered from 1 in time order (R-IN-4).
    RegisterYearOnFile {
        register: RegisterKind,
        year: i32,
    },
    /// Not a shopping-log number (`000123`, `No. 000123`).
    ShoppingNo,
    /// R-SH-6: the log has issued this number already (up to `last`).
    ShoppingNoUsed {
        no: i64,
        last: i64,
    },
    /// R-SH-6: the file's numbers must run on from `next` without a gap;
    /// `from ..= to` are missing before this row's.
    ShoppingGap {
        next: i64,
        from: i64,
        to: i64,
    },
    /// R-SH-6: another desk recorded an entry between the check and the
    /// write; the log's last number is now `last`.
    ShoppingLogMoved {
        last: i64,
    },
    /// A shopping rule refused the cell (`domain::ShoppingError`).
    Shopping(ShoppingError),
    /// Not 单价 × 数量, which is this.
    TotalMismatch(Money),
    /// Filled, but an entry in this state has no such field.
    NotForState(ShoppingState),
    /// Longer than the form's box, or with a control character (`domain::check_text`).
    Text(TextError),
    /// A time outside the office's life, or an appointment far from its call.
    When(WhenError),
    /// The header names this column twice (or two of its spellings); the
    /// other copy is the file's column `first` (A, B, …): which one holds
    /// the data cannot be guessed.
    ColumnTwice {
        first: String,
    },
}

/// One problem of the report: the file's name, the row as Excel numbers it
/// (none for the whole file), the column's header, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    pub file: String,
    pub row: Option<usize>,
    pub column: Option<String>,
    pub fault: ImportFault,
}

impl ImportProblem {
    pub fn of_file(file: &str, fault: ImportFault) -> ImportProblem {
        ImportProblem { file: file.to_string(), row: None, column: None, fault }
    }
}

/// Where a long import is: rows checked, then rows written, of `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportProgress {
    pub stage: ImportStage,
    pub done: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStage {
    Checking,
    Writing,
}

/// What is already in the database, so that a file is not imported twice.
#[derive(Debug, Clone, Default)]
pub struct OnFile {
    pub logins: HashSet<String>,
    pub price_items: HashSet<(Category, String)>,
    /// (room, resident's name)
    pub residents: HashSet<(RoomNo, String)>,
    /// Staff by name, for a register row's 服务人员 and 受理人.
    pub staff_names: HashMap<String, StaffId>,
    /// (register, year) that have issued running numbers.
    pub register_years: HashSet<(RegisterKind, i32)>,
    /// The shopping log's last number, 0 before the first entry (R-SH-6).
    pub shopping_last_no: i64,
}

/// One checked row, ready to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportRecord {
    Resident {
        room: RoomNo,
        resident: Resident,
    },
    Staff(Staff),
    PriceItem(PriceItem),
    /// A historical register row, and the running number the file gave it
    /// (not kept: a new one is issued when it is written).
    Request {
        past: Box<PastRequest>,
        file_no: Option<RunningNo>,
    },
    /// A historical shopping-log entry in its final state, with the file's
    /// number (kept), and the staff member who registered it if on file.
    Shopping {
        entry: Box<ShoppingEntry>,
        taken_by_id: Option<StaffId>,
    },
}

/// Reads and checks the whole file: every record, or every problem. `now`
/// bounds the dates of a historical entry's steps.
pub fn check_file(
    kind: ImportKind,
    path: &Path,
    on_file: &OnFile,
    now: NaiveDateTime,
    progress: &mut dyn FnMut(ImportProgress),
) -> Result<Vec<ImportRecord>, Vec<ImportProblem>> {
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let raw = read_table(path, &file).map_err(|p| vec![p])?;
    check_table(kind, &file, &raw, on_file, now, progress)
}

/// [`check_file`] on a table already read (tests, and the same path for both formats).
pub fn check_table(
    kind: ImportKind,
    file: &str,
    raw: &RawTable,
    on_file: &OnFile,
    now: NaiveDateTime,
    progress: &mut dyn FnMut(ImportProgress),
) -> Result<Vec<ImportRecord>, Vec<ImportProblem>> {
    let table = Located::find(kind, file, raw)?;
    let rows: Vec<&TableRow> = raw
        .rows
        .iter()
        .skip(table.header_index + 1)
        .filter(|r| r.cells.iter().any(|c| !c.is_empty()))
        .collect();
    if rows.is_empty() {
        return Err(vec![ImportProblem::of_file(file, ImportFault::NoRows)]);
    }
    let total = rows.len();
    let mut problems = Vec::new();
    let mut people = people::Checker::new(kind, on_file, now.date());
    let mut register = register::Checker::new(on_file, now);
    let mut shopping = shopping::Checker::new(on_file, now);
    let mut records = Vec::with_capacity(total);
    for (i, row) in rows.into_iter().enumerate() {
        let mut cells = RowCells { table: &table, row, file, problems: &mut problems };
        cells.check_texts();
        let record = match kind {
            ImportKind::Register => register.check(&mut cells),
            ImportKind::Shopping => shopping.check(&mut cells),
            _ => people.check(&mut cells),
        };
        if let Some(record) = record {
            records.push(record);
        }
        progress(ImportProgress { stage: ImportStage::Checking, done: i + 1, total });
    }
    match kind {
        ImportKind::Register => register.finish(file, &mut records, &mut problems),
        ImportKind::Shopping => shopping.finish(file, &mut records, &mut problems),
        _ => {}
    }
    if problems.is_empty() { Ok(records) } else { Err(problems) }
}

/// A column a kind reads: the name printed in docs/IMPORT.md and every
/// other header that means the same (the forms', the export's, common
/// spellings). These are a file format, not screen text: they stay Chinese
/// whatever the language of the screens.
#[derive(Debug, Clone, Copy)]
struct ColumnSpec {
    names: &'static [&'static str],
    required: bool,
    /// What its cells hold, for their length and characters (`domain::check_text`).
    text: TextKind,
}

const fn required(names: &'static [&'static str]) -> ColumnSpec {
    ColumnSpec { names, required: true, text: TextKind::Line }
}

const fn optional(names: &'static [&'static str]) -> ColumnSpec {
    ColumnSpec { names, required: false, text: TextKind::Line }
}

impl ColumnSpec {
    /// A column of people's names.
    const fn person(self) -> ColumnSpec {
        ColumnSpec { text: TextKind::Name, ..self }
    }

    /// A column of notes, which may run over lines.
    const fn note(self) -> ColumnSpec {
        ColumnSpec { text: TextKind::Note, ..self }
    }

    const fn login(self) -> ColumnSpec {
        ColumnSpec { text: TextKind::Login, ..self }
    }

    fn name(&self) -> &'static str {
        self.names[0]
    }

    fn matches(&self, header: &str) -> bool {
        let header = normalise_header(header);
        self.names.iter().any(|n| normalise_header(n) == header)
    }
}

/// `价格(元)`, `价格（元）` and ` 价格（元） *` are one header.
fn normalise_header(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '／' => '/',
            c => c,
        })
        .collect()
}

/// The header row found, and where each of the kind's columns is in it.
struct Located {
    kind: ImportKind,
    header_index: usize,
    /// Per [`ColumnSpec`] of the kind: the file's column and its header text.
    columns: Vec<Option<(usize, String)>>,
}

impl Located {
    fn find(kind: ImportKind, file: &str, raw: &RawTable) -> Result<Located, Vec<ImportProblem>> {
        let specs = kind.columns();
        let mut fewest_missing: Option<Vec<&'static str>> = None;
        for (index, row) in raw.rows.iter().enumerate() {
            let columns: Vec<Option<(usize, String)>> = specs
                .iter()
                .map(|spec| row.cells.iter().position(|c| spec.matches(c)).map(|i| (i, row.cells[i].clone())))
                .collect();
            let missing: Vec<&'static str> = specs
                .iter()
                .zip(&columns)
                .filter(|(s, c)| s.required && c.is_none())
                .map(|(s, _)| s.name())
                .collect();
            if missing.is_empty() {
                return match columns_twice(file, row, specs) {
                    twice if twice.is_empty() => Ok(Located { kind, header_index: index, columns }),
                    twice => Err(twice),
                };
            }
            let found_some = missing.len() < specs.iter().filter(|s| s.required).count();
            if found_some && fewest_missing.as_ref().is_none_or(|m| missing.len() < m.len()) {
                fewest_missing = Some(missing);
            }
        }
        let missing =
            fewest_missing.unwrap_or_else(|| specs.iter().filter(|s| s.required).map(|s| s.name()).collect());
        Err(vec![ImportProblem::of_file(file, ImportFault::NoHeader(missing))])
    }
}

/// A problem for each column the header row names twice (the same name, or
/// two spellings of one column): the first copy must not silently win.
fn columns_twice(file: &str, header: &TableRow, specs: &[ColumnSpec]) -> Vec<ImportProblem> {
    let mut problems = Vec::new();
    for spec in specs {
        let mut found = header.cells.iter().enumerate().filter(|(_, c)| spec.matches(c));
        let Some((first, _)) = found.next() else { continue };
        for (_, again) in found {
            problems.push(ImportProblem {
                file: file.to_string(),
                row: Some(header.line),
                column: Some(again.trim().to_string()),
                fault: ImportFault::ColumnTwice { first: column_letter(first) },
            });
        }
    }
    problems
}

/// The letter Excel shows above a column: 0 → A, 25 → Z, 26 → AA.
fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let digit = (n - 1) % 26;
        letters.push(char::from(b'A' + digit as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// One row's cells by column, collecting its problems into the report.
struct RowCells<'a> {
    table: &'a Located,
    row: &'a TableRow,
    file: &'a str,
    problems: &'a mut Vec<ImportProblem>,
}

impl RowCells<'_> {
    fn line(&self) -> usize {
        self.row.line
    }

    /// The cell of column `column` (an index into the kind's specs), trimmed;
    /// empty when the file has no such column.
    fn text(&self, column: usize) -> &str {
        match &self.table.columns[column] {
            Some((i, _)) => self.row.cells.get(*i).map(|c| c.trim()).unwrap_or(""),
            None => "",
        }
    }

    /// The cell, or a `Required` problem when it is empty.
    fn required(&mut self, column: usize) -> Option<&str> {
        if self.text(column).is_empty() {
            self.fault(column, ImportFault::Required);
            return None;
        }
        Some(self.text(column))
    }

    /// The column's header as the file writes it (the documented name when
    /// the file has no such column).
    fn header(&self, column: usize) -> String {
        match &self.table.columns[column] {
            Some((_, header)) => header.trim().to_string(),
            None => self.table.kind.columns()[column].name().to_string(),
        }
    }

    fn fault(&mut self, column: usize, fault: ImportFault) {
        let header = self.header(column);
        self.problems.push(ImportProblem {
            file: self.file.to_string(),
            row: Some(self.row.line),
            column: Some(header),
            fault,
        });
    }

    /// Whether this row has any problem in `column` already.
    fn has_fault(&self, column: usize) -> bool {
        let line = self.row.line;
        let header = self.header(column);
        self.problems.iter().any(|p| p.row == Some(line) && p.column.as_deref() == Some(header.as_str()))
    }

    /// Every cell of the kind's columns against its box on the form: not
    /// longer, no control characters (the limits the forms share).
    fn check_texts(&mut self) {
        let specs = self.table.kind.columns();
        for (column, spec) in specs.iter().enumerate() {
            let Some((i, _)) = &self.table.columns[column] else { continue };
            let cell = self.row.cells.get(*i).map(String::as_str).unwrap_or("");
            if let Err(e) = check_text(cell, spec.text) {
                self.fault(column, ImportFault::Text(e));
            }
        }
    }

    fn row_has_faults(&self) -> bool {
        let line = self.row.line;
        self.problems.iter().any(|p| p.row == Some(line))
    }
}

/// `2026-11-22`, `2026/11/22`, `2026年11月22日`, or a date-time's date.
fn parse_import_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let day = text.split_whitespace().next().unwrap_or("");
    crate::domain::parse_date(day).or_else(|| NaiveDate::parse_from_str(day, "%Y年%m月%d日").ok())
}

/// 是/否 and the usual spellings; an empty cell is `default`.
fn parse_yes_no(text: &str, default: bool) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "" => Some(default),
        "是" | "在职" | "启用" | "在用" | "有效" | "√" | "y" | "yes" | "1" | "true" => Some(true),
        "否" | "离职" | "停用" | "无效" | "×" | "n" | "no" | "0" | "false" => Some(false),
        _ => None,
    }
}
