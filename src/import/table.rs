//! A file to import as a plain table: the header row and the rows under it,
//! each cell as text, each row with the number Excel shows for it.
//!
//! `.xlsx` through calamine (the first sheet), `.csv` through [`parse_csv`]
//! (UTF-8, a byte-order mark allowed, quotes as Excel writes them). The
//! header row is the first row that names every required column of the kind:
//! an exported workbook has its title row above it.
//! Must not: know what a column means (that is the kind's mapping).

use std::path::Path;

use calamine::{Data, Reader};

use super::{ImportFault, ImportProblem};

/// One row under the header: the row number as Excel shows it (1-based) and
/// its cells, in the file's column order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub line: usize,
    pub cells: Vec<String>,
}

/// A file read as text cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTable {
    pub rows: Vec<TableRow>,
}

/// Reads `.xlsx` or `.csv` (by the file's extension) into text cells.
pub fn read_table(path: &Path, file: &str) -> Result<RawTable, ImportProblem> {
    let unreadable = |cause: String| ImportProblem::of_file(file, ImportFault::Unreadable(cause));
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("csv") => {
            let bytes = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
            let text =
                String::from_utf8(bytes).map_err(|_| ImportProblem::of_file(file, ImportFault::NotUtf8))?;
            Ok(RawTable { rows: parse_csv(&text) })
        }
        Some("xlsx" | "xlsm" | "xls") => read_workbook(path).map_err(unreadable),
        _ => Err(ImportProblem::of_file(file, ImportFault::UnknownFormat)),
    }
}

fn read_workbook(path: &Path) -> Result<RawTable, String> {
    let mut workbook = calamine::open_workbook_auto(path).map_err(|e| e.to_string())?;
    let range =
        workbook.worksheet_range_at(0).ok_or("the workbook has no sheet")?.map_err(|e| e.to_string())?;
    // The range starts at its first non-empty cell; rows keep Excel's numbers.
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut cells: Vec<String> = cells.iter().map(cell_text).collect();
            cells.splice(0..0, std::iter::repeat_n(String::new(), first_col as usize));
            TableRow { line: first_row as usize + i + 1, cells }
        })
        .collect();
    Ok(RawTable { rows })
}

/// A cell as the clerk would read it: a whole number without `.0` (phones,
/// prices in yuan), a date as `2026-11-22`, a date-time as `2026-11-22 14:30`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(at) if at.time() == chrono::NaiveTime::MIN => at.format("%Y-%m-%d").to_string(),
            Some(at) => at.format("%Y-%m-%d %H:%M").to_string(),
            None => float_text(dt.as_f64()),
        },
    }
}

/// Rust prints the shortest text that reads back as the same number, so a
/// price typed as 12.3 comes back as `12.3`, never `12.300000000000001`.
fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 { format!("{}", f as i64) } else { f.to_string() }
}

/// Parses CSV text as Excel writes and reads it: comma-separated, a field in
/// double quotes may hold commas, line breaks and `""` for a quote; a
/// leading byte-order mark is dropped; `\r\n` and `\n` both end a record.
/// A row's number is its record's number (1-based), as Excel shows it.
pub fn parse_csv(text: &str) -> Vec<TableRow> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let end_record = |cells: &mut Vec<String>, cell: &mut String, rows: &mut Vec<TableRow>| {
        cells.push(std::mem::take(cell).trim().to_string());
        let line = rows.len() + 1;
        rows.push(TableRow { line, cells: std::mem::take(cells) });
    };
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.trim().is_empty() => {
                cell.clear();
                quoted = true;
            }
            (false, ',') => cells.push(std::mem::take(&mut cell).trim().to_string()),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n' | '\r') => end_record(&mut cells, &mut cell, &mut rows),
            (false, c) => cell.push(c),
        }
    }
    if !cell.is_empty() || !cells.is_empty() {
        end_record(&mut cells, &mut cell, &mut rows);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(text: &str) -> Vec<Vec<String>> {
        parse_csv(text).into_iter().map(|r| r.cells).collect()
    }

    #[test]
    fn csv_with_a_bom_quotes_and_crlf() {
        let text = "\u{feff}房号,住户姓名,备注\r\n3-2-201,\"张,三\",\"说\"\"好\"\"的\r\n第二行\"\r\n";
        assert_eq!(
            cells(text),
            vec![vec!["房号", "住户姓名", "备注"], vec!["3-2-201", "张,三", "说\"好\"的\r\n第二行"]]
        );
    }

    #[test]
    fn csv_rows_are_numbered_by_record_and_a_last_line_needs_no_newline() {
        let rows = parse_csv("a,b\n\"x\ny\",2\nlast,");
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![1, 2, 3]);
        assert_eq!(rows[2].cells, vec!["last", ""]);
    }

    #[test]
    fn whole_numbers_from_excel_have_no_decimal_point() {
        assert_eq!(float_text(13_812_348_000.0), "13812348000");
        assert_eq!(float_text(12.3), "12.3");
    }
}
