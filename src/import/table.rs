//! A file to import as a plain table: the header row and the rows under it,
//! each cell as text, each row with the number Excel shows for it.
//!
//! `.xlsx` through calamine (the first sheet), `.csv` through the `csv`
//! crate ([`parse_csv`]) after [`decode_csv`] (UTF-8 with or without a
//! byte-order mark, else GB18030 as Chinese Excel saves it). The
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
    let problem = |fault| ImportProblem::of_file(file, fault);
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("csv") => {
            let bytes = std::fs::read(path).map_err(|e| problem(ImportFault::Unreadable(e.to_string())))?;
            let text = decode_csv(&bytes).ok_or_else(|| problem(ImportFault::Encoding))?;
            Ok(RawTable { rows: parse_csv(&text).map_err(|e| problem(ImportFault::Unreadable(e)))? })
        }
        Some("xlsx" | "xlsm" | "xls") => {
            read_workbook(path).map_err(|e| problem(ImportFault::NotAWorkbook(e)))
        }
        _ => Err(problem(ImportFault::UnknownFormat)),
    }
}

/// A CSV file's text: UTF-8 with or without a byte-order mark (Excel's
/// "CSV UTF-8"), else GB18030 — what Excel on a Chinese Windows PC writes for
/// plain "CSV" (GBK is a subset of it). `None` when it is neither.
pub fn decode_csv(bytes: &[u8]) -> Option<String> {
    if let Some(rest) = bytes.strip_prefix("\u{feff}".as_bytes()) {
        return String::from_utf8(rest.to_vec()).ok();
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Some(text.to_string());
    }
    encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes).map(|t| t.into_owned())
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

/// Parses CSV text as Excel writes and reads it (the `csv` crate): comma-
/// separated, a field in double quotes may hold commas, line breaks and `""`
/// for a quote; `\r\n` and `\n` both end a record; cells are trimmed. A
/// row's number is its record's number (1-based), as Excel shows it: a blank
/// line, which the crate skips, still counts.
pub fn parse_csv(text: &str) -> Result<Vec<TableRow>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut skipped = 0;
    loop {
        let from = reader.position().byte() as usize;
        if !reader.read_record(&mut record).map_err(|e| e.to_string())? {
            break;
        }
        let blank = blank_lines_before(text, from, rows.is_empty());
        skipped += blank;
        let cells = record.iter().map(|c| c.trim().to_string()).collect();
        rows.push(TableRow { line: rows.len() + skipped + 1, cells });
    }
    Ok(rows)
}

/// The blank lines the `csv` crate skipped before the record it read from
/// byte `from`: the line ends between the previous record's last character
/// and this record's first, less the one that ended the previous record.
/// (The crate stops after a `\r` and may leave its `\n` for the next read,
/// so the gap is found around `from` rather than trusted to it.)
fn blank_lines_before(text: &str, from: usize, first: bool) -> usize {
    let bytes = text.as_bytes();
    let is_end = |b: u8| matches!(b, b'\r' | b'\n');
    let mut gap_start = from.min(bytes.len());
    while gap_start > 0 && is_end(bytes[gap_start - 1]) {
        gap_start -= 1;
    }
    let mut start = from.min(bytes.len());
    while start < bytes.len() && is_end(bytes[start]) {
        start += 1;
    }
    let gap = text[gap_start..start].replace("\r\n", "\n");
    let ends = gap.chars().filter(|c| matches!(c, '\r' | '\n')).count();
    if first { ends } else { ends.saturating_sub(1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(text: &str) -> Vec<Vec<String>> {
        parse_csv(text).unwrap_or_default().into_iter().map(|r| r.cells).collect()
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
        let rows = parse_csv("a,b\n\"x\ny\",2\nlast,").unwrap_or_default();
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![1, 2, 3]);
        assert_eq!(rows[2].cells, vec!["last", ""]);
    }

    #[test]
    fn a_blank_line_still_counts_as_a_row() {
        let rows = parse_csv("a,b\n\n\"x\ny\",2\r\n\r\nlast,1\n").unwrap_or_default();
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![1, 3, 5]);
        let rows = parse_csv("\r\na,b\r\"q\"\n\n\nc,d").unwrap_or_default();
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![2, 3, 6]);
    }

    #[test]
    fn csv_bytes_are_utf8_with_or_without_a_bom_else_gb18030() {
        let (gbk, _, _) = encoding_rs::GB18030.encode("房号,住户姓名\n3-2-201,张三\n");
        assert_eq!(decode_csv(&gbk).as_deref(), Some("房号,住户姓名\n3-2-201,张三\n"));
        assert_eq!(decode_csv("\u{feff}房号".as_bytes()).as_deref(), Some("房号"));
        assert_eq!(decode_csv("房号".as_bytes()).as_deref(), Some("房号"));
        // A byte-order mark promises UTF-8: what follows must be.
        assert_eq!(decode_csv(&[0xEF, 0xBB, 0xBF, 0xB7, 0xBF]), None);
        // Not GB18030 either: a lead byte with no second byte.
        assert_eq!(decode_csv(&[b'a', 0x81]), None);
    }

    #[test]
    fn whole_numbers_from_excel_have_no_decimal_point() {
        assert_eq!(float_text(13_812_348_000.0), "13812348000");
        assert_eq!(float_text(12.3), "12.3");
    }
}
