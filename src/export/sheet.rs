//! The generic sheet writer: one worksheet with a title row, a frozen
//! header row and typed cells, sized to its Chinese text.
//!
//! Must not: know which table it writes; the tables module words them.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet};

use super::ExportError;
use crate::domain::Money;

/// The title's row, then the header's; data starts below them.
const TITLE_ROW: u32 = 0;
const HEADER_ROW: u32 = 1;
const FIRST_DATA_ROW: u32 = 2;
/// Column widths in Excel's units (about one Latin character): room for
/// padding, and a bound so a long note does not make a column a screen wide.
const PADDING: f64 = 2.0;
const MIN_WIDTH: f64 = 6.0;
const MAX_WIDTH: f64 = 60.0;
const DATE_FORMAT: &str = "yyyy-mm-dd";
const DATETIME_FORMAT: &str = "yyyy-mm-dd hh:mm";
const MONEY_FORMAT: &str = "#,##0.00";
/// How wide a date and a date-time show with their formats.
const DATE_CHARS: usize = 10;
const DATETIME_CHARS: usize = 16;
const PERCENT_FORMAT: &str = "0.0%";
const PERCENT_CHARS: usize = 6;

/// One cell's value, typed so the spreadsheet can sort, sum and filter it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    /// Written as yuan (a number), formatted `#,##0.00`.
    Money(Money),
    /// A share in ‰, written as a fraction formatted `0.0%`.
    PerMille(u32),
}

impl Cell {
    /// Text, or an empty cell for an empty string.
    pub fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() { Cell::Empty } else { Cell::Text(s) }
    }

    pub fn money(m: Option<Money>) -> Cell {
        m.map_or(Cell::Empty, Cell::Money)
    }

    pub fn date(d: Option<NaiveDate>) -> Cell {
        d.map_or(Cell::Empty, Cell::Date)
    }

    pub fn datetime(d: Option<NaiveDateTime>) -> Cell {
        d.map_or(Cell::Empty, Cell::DateTime)
    }

    /// A share, or an empty cell when there was nothing to divide by.
    pub fn per_mille(p: Option<u32>) -> Cell {
        p.map_or(Cell::Empty, Cell::PerMille)
    }

    pub fn count(n: u32) -> Cell {
        Cell::Int(i64::from(n))
    }

    /// How many Latin characters wide the cell shows.
    fn width_chars(&self) -> usize {
        match self {
            Cell::Empty => 0,
            Cell::Text(s) => text_width(s),
            Cell::Int(n) => n.to_string().len(),
            Cell::Date(_) => DATE_CHARS,
            Cell::DateTime(_) => DATETIME_CHARS,
            Cell::Money(m) => m.to_string().chars().count() + 1,
            Cell::PerMille(_) => PERCENT_CHARS,
        }
    }
}

/// A table for one worksheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetTable {
    /// The worksheet's tab name (Excel allows 31 characters, no `[]:*?/\`).
    pub sheet_name: String,
    /// The title row: office, what and period, already worded.
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// The workbook's bytes, and how many data rows it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedXlsx {
    pub bytes: Vec<u8>,
    pub rows: usize,
}

/// The widest line of `s`, a CJK (or other wide) character counting as two.
pub fn text_width(s: &str) -> usize {
    s.lines().map(|line| line.chars().map(char_width).sum()).max().unwrap_or(0)
}

fn char_width(c: char) -> usize {
    if c.is_ascii() || c.len_utf8() < 3 { 1 } else { 2 }
}

/// Excel refuses `[]:*?/\\` in a tab's name and more than 31 characters:
/// `家政(清洁/绿化)` becomes `家政(清洁、绿化)`.
fn sheet_name(name: &str) -> String {
    let name: String = name.chars().map(|c| if "[]:*?/\\".contains(c) { '、' } else { c }).take(31).collect();
    if name.trim().is_empty() { "Sheet1".to_string() } else { name }
}

/// The formats cells are written with, made once per workbook.
struct Formats {
    title: Format,
    header: Format,
    date: Format,
    datetime: Format,
    money: Format,
    percent: Format,
    text: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new().set_bold().set_align(FormatAlign::Center).set_background_color(0xD9E1F2),
            date: Format::new().set_num_format(DATE_FORMAT),
            datetime: Format::new().set_num_format(DATETIME_FORMAT),
            money: Format::new().set_num_format(MONEY_FORMAT),
            percent: Format::new().set_num_format(PERCENT_FORMAT),
            text: Format::new().set_text_wrap(),
        }
    }
}

/// One worksheet holding `table`, as `.xlsx` bytes.
pub fn workbook(table: &SheetTable) -> Result<ExportedXlsx, ExportError> {
    workbook_of(std::slice::from_ref(table))
}

/// One worksheet per table, in order; `rows` counts them all.
pub fn workbook_of(tables: &[SheetTable]) -> Result<ExportedXlsx, ExportError> {
    let mut book = Workbook::new();
    let formats = Formats::new();
    for table in tables {
        write_sheet(book.add_worksheet(), &formats, table)?;
    }
    let rows = tables.iter().map(|t| t.rows.len()).sum();
    Ok(ExportedXlsx { bytes: book.save_to_buffer()?, rows })
}

fn write_sheet(sheet: &mut Worksheet, formats: &Formats, table: &SheetTable) -> Result<(), ExportError> {
    sheet.set_name(sheet_name(&table.sheet_name))?;
    sheet.write_string_with_format(TITLE_ROW, 0, &table.title, &formats.title)?;
    for (col, header) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, col_num(col), header, &formats.header)?;
    }
    for (n, row) in table.rows.iter().enumerate() {
        let at = FIRST_DATA_ROW + u32::try_from(n).map_err(|_| too_many_rows())?;
        for (col, cell) in row.iter().enumerate() {
            write_cell(sheet, formats, at, col_num(col), cell)?;
        }
    }
    sheet.set_freeze_panes(FIRST_DATA_ROW, 0)?;
    set_widths(sheet, table)
}

fn too_many_rows() -> ExportError {
    ExportError::Workbook("too many rows".into())
}

/// Tables here have a score of columns at most.
fn col_num(col: usize) -> u16 {
    u16::try_from(col).unwrap_or(u16::MAX)
}

fn write_cell(
    sheet: &mut Worksheet,
    formats: &Formats,
    row: u32,
    col: u16,
    cell: &Cell,
) -> Result<(), ExportError> {
    match cell {
        Cell::Empty => {}
        Cell::Text(s) => {
            sheet.write_string_with_format(row, col, s, &formats.text)?;
        }
        Cell::Int(n) => {
            // Counts and serial numbers are far below 2^53: exact as f64.
            sheet.write_number(row, col, *n as f64)?;
        }
        Cell::Date(d) => {
            sheet.write_datetime_with_format(row, col, excel_date(*d)?, &formats.date)?;
        }
        Cell::DateTime(at) => {
            sheet.write_datetime_with_format(row, col, excel_datetime(*at)?, &formats.datetime)?;
        }
        Cell::Money(m) => {
            sheet.write_number_with_format(row, col, yuan(*m), &formats.money)?;
        }
        Cell::PerMille(p) => {
            sheet.write_number_with_format(row, col, f64::from(*p) / 1000.0, &formats.percent)?;
        }
    }
    Ok(())
}

/// Fen to yuan for the spreadsheet: the one place money becomes a float.
/// The desk's amounts (below 10^11 fen) divide by 100 to the nearest
/// double of the decimal, which Excel shows exactly with two places.
fn yuan(m: Money) -> f64 {
    m.fen() as f64 / 100.0
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, ExportError> {
    let year = u16::try_from(d.year()).map_err(|_| ExportError::Workbook(format!("date {d}")))?;
    // Month and day always fit a u8.
    Ok(ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8)?)
}

fn excel_datetime(at: NaiveDateTime) -> Result<ExcelDateTime, ExportError> {
    // Hour, minute and second always fit.
    Ok(excel_date(at.date())?.and_hms(at.hour() as u16, at.minute() as u8, at.second())?)
}

/// Each column as wide as its widest header or cell (the title row spans
/// the columns and is left out).
fn set_widths(sheet: &mut Worksheet, table: &SheetTable) -> Result<(), ExportError> {
    for (col, header) in table.headers.iter().enumerate() {
        let widest = table
            .rows
            .iter()
            .filter_map(|row| row.get(col))
            .map(Cell::width_chars)
            .chain([text_width(header)])
            .max()
            .unwrap_or(0);
        let width = (widest as f64 + PADDING).clamp(MIN_WIDTH, MAX_WIDTH);
        sheet.set_column_width(col_num(col), width)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cjk_character_counts_as_two() {
        assert_eq!(text_width("3栋2单元201"), 11);
        assert_eq!(text_width("abc"), 3);
        assert_eq!(text_width("张三\n李四五"), 6);
    }

    #[test]
    fn money_is_written_as_yuan() {
        assert_eq!(yuan(Money::from_fen(12_345).unwrap()), 123.45);
    }

    #[test]
    fn a_sheet_name_excel_refuses_is_mended() {
        assert_eq!(sheet_name("家政(清洁/绿化)"), "家政(清洁、绿化)");
        assert_eq!(sheet_name(&"长".repeat(40)).chars().count(), 31);
    }

    #[test]
    fn empty_text_is_an_empty_cell() {
        assert_eq!(Cell::text(""), Cell::Empty);
    }
}
