//! 代客购物 (R-SH-1 … R-SH-6): the 代客购物登记表 of one log entry and the
//! 代客购物登记簿 for a date range.
//!
//! The form is one A4 portrait sheet in two parts cut apart along a dashed
//! line: the 第一联 (住户/管理处联) above, the 第二联 财务联 below, which
//! finance keeps whatever became of the purchase (R-SH-5). Both parts carry
//! the serial number large at the top right (R-SH-6) and the same ruled grid
//! (FORMS.md): the request (R-SH-1), the purchase with its invoice (R-SH-2),
//! the resident's signature on delivery (R-SH-3), and why it could not be
//! bought and when the resident was told (R-SH-4). A void entry keeps its
//! number and prints 作废 across each part, with the reason, who and when
//! (R-SH-6). Whatever is not known yet prints as room to write by hand.
//!
//! The log is an A4 landscape register with the paper log's columns (规格,
//! 单价, 经办人 among them): one row per number, the heading on every page,
//! the expected and actual totals at the foot (figures, R-FEE-5; an entry
//! that could not be bought keeps its expected amount, named apart), and
//! the continuity line finance checks the numbers by (R-SH-6).
//!
//! Must not: read the database, the clock or files; decide states or check
//! the serial numbers (the domain does). The words come from `i18n`.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::document::Half;
use super::font::face;
use super::grid::{Grid, GridCell};
use super::inline::{Run, template_runs};
use super::text::fit_lines;
use super::when::{date_cell, date_runs, datetime_cell, datetime_text, day_text};
use super::{Align, Column, Document, Orientation, PageHeader, PrintError, PrintedPdf, Table, TextStyle};
use crate::domain::{LogContinuity, Money, shopping_no_text};
use crate::i18n::{Texts, fill, t};

const OFFICE_STYLE: TextStyle = TextStyle::regular(11.0);
const PRINTED_STYLE: TextStyle = TextStyle::regular(7.5);
const TITLE_STYLE: TextStyle = TextStyle::bold(17.0);
/// The serial number: large, so that finance finds a missing one (飞单) at
/// a glance through a pile of 财务联.
const NO_STYLE: TextStyle = TextStyle::bold(16.0);
const PART_STYLE: TextStyle = TextStyle::regular(10.5);
const NOTE_STYLE: TextStyle = TextStyle::regular(8.0);
const VOID_STYLE: TextStyle = TextStyle::bold(10.0);
const GRID_STYLE: TextStyle = TextStyle::regular(10.0);
const FOOT_STYLE: TextStyle = TextStyle::regular(10.0);
/// The most lines the void reason takes: the part must keep to its half.
const VOID_LINES: usize = 2;
/// The grid's columns (scaled to the body): three label and value pairs,
/// the last value wide enough for a date and time written by hand.
const LABEL_MM: f32 = 18.0;
const VALUE_MM: f32 = 38.0;
const LAST_VALUE_MM: f32 = 50.0;
/// A value across the first two pairs, and across all three: an amount in
/// figures and capitals, which must never wrap, up to the largest the desk
/// accepts (玖仟玖佰玖拾玖万…玖分).
const FIRST_TWO_MM: f32 = VALUE_MM + LABEL_MM + VALUE_MM;
const ACROSS_MM: f32 = FIRST_TWO_MM + LABEL_MM + LAST_VALUE_MM;
/// Rows tall enough to write in; the resident's signature, taller.
const ROW_MM: f32 = 8.5;
const SIGNATURE_ROW_MM: f32 = 14.0;
/// The least room for an amount in figures and in capitals.
const FIGURES_MM: f32 = 24.0;
const CAPITALS_MM: f32 = 44.0;
/// A name written by hand on the finance part.
const NAME_MM: f32 = 36.0;
/// The log's text and the least height of its rows.
const LOG_STYLE: TextStyle = TextStyle::regular(9.0);
const LOG_ROW_MM: f32 = 7.0;
const LOG_FOOT_STYLE: TextStyle = TextStyle::regular(10.0);

/// One log entry as its form prints it; a blank form has only `no` set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShoppingForm {
    /// The serial number, printed `No. 000123` on each part (R-SH-6).
    pub no: String,
    pub room: String,
    pub resident: String,
    pub item: String,
    pub brand: String,
    pub kind: String,
    pub spec: String,
    /// Already worded, e.g. `2 箱`.
    pub quantity: String,
    pub unit_price: Option<Money>,
    /// The expected amount.
    pub total: Option<Money>,
    pub deadline: Option<NaiveDate>,
    pub taken_by: String,
    pub taken_at: Option<NaiveDateTime>,
    pub buyer: String,
    pub invoice_no: String,
    pub actual: Option<Money>,
    pub bought_on: Option<NaiveDate>,
    /// The day the resident checked the goods and signed (the signature
    /// itself is by hand, R-SH-3).
    pub delivered_on: Option<NaiveDate>,
    /// Why it could not be bought, and when the resident was told (R-SH-4).
    pub not_bought: Option<(String, Option<NaiveDateTime>)>,
    /// Why the entry was voided, who voided it, and when (R-SH-6).
    pub void: Option<(String, String, NaiveDateTime)>,
}

/// The two parts of a form's sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// 第一联: the resident's and the office's.
    First,
    /// 第二联: finance keeps it whatever the state (R-SH-5).
    Finance,
}

/// One sheet per form, its two parts cut apart; with none, one blank form.
pub fn shopping_forms(
    office: &str,
    printed_at: NaiveDateTime,
    forms: &[ShoppingForm],
) -> Result<PrintedPdf, PrintError> {
    let t = t();
    let mut doc = Document::bare(Orientation::Portrait, t.sh_title, office, printed_at)?;
    let blank = [ShoppingForm::default()];
    let forms = if forms.is_empty() { &blank[..] } else { forms };
    let printed = fill(t.print_printed_at, &[("at", &printed_at.format("%Y-%m-%d %H:%M"))]);
    for (n, form) in forms.iter().enumerate() {
        if n > 0 {
            doc.new_page();
        }
        doc.enter_half(Half::Upper);
        part(&mut doc, t, (office, &printed), form, Part::First)?;
        doc.cut_between_halves(t.form_cut_here);
        doc.enter_half(Half::Lower);
        part(&mut doc, t, (office, &printed), form, Part::Finance)?;
    }
    Ok(doc.finish())
}

/// One part: the office, the title with the number, which part it is, the
/// void line if void, the grid, and 作废 across the grid if void.
fn part(
    doc: &mut Document,
    t: &Texts,
    (office, printed): (&str, &str),
    form: &ShoppingForm,
    part: Part,
) -> Result<(), PrintError> {
    doc.spread_line(&[(office, OFFICE_STYLE, Align::Centre), (printed, PRINTED_STYLE, Align::Right)]);
    let no = fill(t.form_no, &[("no", &form.no)]);
    doc.spread_line(&[(t.sh_title, TITLE_STYLE, Align::Centre), (&no, NO_STYLE, Align::Right)]);
    let name = match part {
        Part::First => t.sh_part_first,
        Part::Finance => t.sh_part_finance,
    };
    doc.spread_line(&[(name, PART_STYLE, Align::Centre)]);
    if part == Part::First {
        doc.spread_line(&[(t.sh_min_price_note, NOTE_STYLE, Align::Centre)]);
    }
    if let Some(void) = &form.void {
        void_line(doc, t, void)?;
    }
    doc.gap(1.5);
    let top = doc.cursor_mm();
    doc.grid(&Grid { min_row_mm: ROW_MM, max_lines: 2, style: GRID_STYLE, ..Grid::new(rows(t, form)) })?;
    if form.void.is_some() {
        doc.mark_across(t.sh_void_mark, (top, doc.cursor_mm()));
    }
    if part == Part::Finance {
        doc.gap(1.5);
        doc.inline(&finance_check(t), FOOT_STYLE, Align::Left);
    }
    Ok(())
}

/// 本单作废　作废原因：…　经办人：…　时间：…, bold, at most two lines.
fn void_line(
    doc: &mut Document,
    t: &Texts,
    (reason, by, at): &(String, String, NaiveDateTime),
) -> Result<(), PrintError> {
    let text = fill(
        t.sh_void_line,
        &[("reason", &reason.trim()), ("by", &by.trim()), ("at", &datetime_text(Some(*at)))],
    );
    let width = doc.body_span_mm().1;
    doc.gap(1.0);
    for line in fit_lines(face()?, &text, VOID_STYLE.size_pt, width, VOID_LINES) {
        doc.spread_line(&[(&line, VOID_STYLE, Align::Left)]);
    }
    Ok(())
}

/// The grid (FORMS.md): what was asked for, the purchase, the delivery,
/// and what became of it otherwise. Short values keep to one line and the
/// item and the reason to two (cut with `…`), so that a part never runs
/// past its half sheet.
fn rows(t: &Texts, form: &ShoppingForm) -> Vec<Vec<GridCell>> {
    let label = |word: &str| GridCell::label(word, LABEL_MM);
    let text = |value: &str, width: f32| GridCell::value(value, width).at_most_lines(1);
    let lines = |value: &str, width: f32| GridCell::value(value, width).at_most_lines(2);
    let money = |m: Option<Money>| m.map(|m| m.to_string()).unwrap_or_default();
    let (reason, told_at) = match &form.not_bought {
        Some((reason, told_at)) => (reason.trim(), *told_at),
        None => ("", None),
    };
    vec![
        vec![
            label(t.col_room),
            text(&form.room, VALUE_MM),
            label(t.col_resident),
            text(&form.resident, VALUE_MM),
            label(t.sh_deadline),
            date_cell(form.deadline, LAST_VALUE_MM),
        ],
        vec![
            label(t.sh_item),
            lines(&form.item, FIRST_TWO_MM),
            label(t.sh_brand),
            text(&form.brand, LAST_VALUE_MM),
        ],
        vec![
            label(t.sh_kind),
            text(&form.kind, VALUE_MM),
            label(t.sh_spec),
            text(&form.spec, VALUE_MM),
            label(t.form_quantity),
            text(&form.quantity, LAST_VALUE_MM),
        ],
        vec![
            label(t.form_unit_price),
            text(&money(form.unit_price), VALUE_MM),
            label(t.sh_taken_by),
            text(&form.taken_by, VALUE_MM),
            label(t.sh_taken_at),
            datetime_cell(form.taken_at, LAST_VALUE_MM),
        ],
        vec![label(t.form_amount), GridCell::runs(money_runs(t, form.total), ACROSS_MM)],
        vec![
            label(t.sh_buyer),
            text(&form.buyer, VALUE_MM),
            label(t.sh_invoice_no),
            text(&form.invoice_no, VALUE_MM),
            label(t.sh_bought_on),
            date_cell(form.bought_on, LAST_VALUE_MM),
        ],
        vec![label(t.sh_actual), GridCell::runs(money_runs(t, form.actual), ACROSS_MM)],
        vec![
            label(t.sh_signature).at_least(SIGNATURE_ROW_MM),
            text("", FIRST_TWO_MM),
            label(t.sh_delivered_on),
            date_cell(form.delivered_on, LAST_VALUE_MM),
        ],
        vec![
            label(t.sh_not_bought),
            lines(reason, FIRST_TWO_MM),
            label(t.sh_told_at),
            datetime_cell(told_at, LAST_VALUE_MM),
        ],
    ]
}

/// 小写：¥1,280.00　大写：壹仟贰佰捌拾元整 (R-FEE-5); blanks when not known.
fn money_runs(t: &Texts, amount: Option<Money>) -> Vec<Run> {
    let figures = amount.map(|m| m.to_string()).unwrap_or_default();
    let capitals = amount.map(crate::i18n::amount_words).unwrap_or_default();
    // English words wrap in the cell (a blank is never broken, and they
    // are longer than any line); Chinese capitals stay on their blank.
    let words = if capitals.contains(' ') { Run::text(capitals) } else { Run::blank(capitals, CAPITALS_MM) };
    let fills = [("figures", Run::blank(figures, FIGURES_MM)), ("capitals", words)];
    template_runs(t.sh_money_line, &fills)
}

/// 财务审核 ____　日期 ____年__月__日: finance signs the copy it keeps (R-SH-5).
fn finance_check(t: &Texts) -> Vec<Run> {
    let label = |word: &str| Run::text(fill(t.form_label, &[("label", &word)]));
    let mut runs = vec![
        label(t.sh_finance_checked),
        Run::blank("", NAME_MM),
        Run::text("　　　　"),
        label(t.form_date_label),
    ];
    runs.extend(date_runs(None));
    runs
}

/// What the log is for: whose, which days, when printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShoppingLogSheet<'a> {
    pub office: &'a str,
    /// First and last day taken, both included.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub printed_at: NaiveDateTime,
    /// The numbers of the period, for finance (R-SH-6); `None` when empty.
    pub continuity: Option<LogContinuity>,
}

/// One entry of the log, as its row prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShoppingLogRow {
    pub no: String,
    pub taken_at: NaiveDateTime,
    pub room: String,
    pub resident: String,
    pub item: String,
    /// 规格, as the resident asked.
    pub spec: String,
    /// Already worded, e.g. `2 箱`.
    pub quantity: String,
    pub unit_price: Option<Money>,
    /// The expected amount (also of an entry that could not be bought).
    pub total: Option<Money>,
    pub actual: Option<Money>,
    pub deadline: Option<NaiveDate>,
    /// 经办人: who took the request at the desk.
    pub taken_by: String,
    pub buyer: String,
    /// Could not be bought (R-SH-4): its expected amount is printed and
    /// named apart under the totals.
    pub not_bought: bool,
    /// Already worded: 已登记, 已购买, 已送达, 已结算, 未能购买, 作废.
    pub state: String,
    pub note: String,
}

/// The log for the period, `rows` in serial-number order: the heading on
/// every page, 第 N 页 共 M 页, the totals and the signatures at the foot.
/// The totals foot the amount columns as printed, so that an auditor can
/// add them up: a caller that wants a void entry's amount out of them
/// leaves it out of the row.
pub fn shopping_log(sheet: &ShoppingLogSheet<'_>, rows: &[ShoppingLogRow]) -> Result<PrintedPdf, PrintError> {
    if sheet.to < sheet.from {
        return Err(PrintError::PeriodReversed { from: sheet.from, to: sheet.to });
    }
    let t = t();
    let mut doc = Document::new(Orientation::Landscape, log_header(t, sheet, rows.len()))?;
    let cells: Vec<Vec<String>> = rows.iter().map(|row| log_cells(sheet, row)).collect();
    let totals = log_totals(t, rows);
    let continuity = sheet.continuity.as_ref().map(|c| continuity_line(t, c));
    doc.table_with_foot(&log_table(t), &cells, |doc| {
        doc.paragraph(&totals, LOG_FOOT_STYLE, Align::Right);
        if let Some(line) = &continuity {
            doc.paragraph(line, LOG_FOOT_STYLE, Align::Left);
        }
        doc.gap(4.0);
        doc.signatures(&[t.print_prepared_by, t.print_checked_by], LOG_FOOT_STYLE);
    })?;
    Ok(doc.finish())
}

fn log_header(t: &Texts, sheet: &ShoppingLogSheet<'_>, count: usize) -> PageHeader {
    let day = day_text;
    let period = if sheet.from == sheet.to {
        fill(t.print_day, &[("date", &day(sheet.from))])
    } else {
        fill(t.print_period, &[("from", &day(sheet.from)), ("to", &day(sheet.to))])
    };
    PageHeader {
        office: sheet.office.to_string(),
        title: t.sh_log_title.to_string(),
        subtitle: [period, fill(t.rows_count, &[("n", &count)])].join("　　"),
        printed_at: sheet.printed_at,
    }
}

/// 编号 … 备注, the paper log's columns (FORMS.md): amounts right-aligned,
/// the item, its specification and the note share what is left of the page.
fn log_table(t: &Texts) -> Table {
    let columns = vec![
        Column::new(t.col_no, 16.0).centre().shrunk(),
        Column::new(t.col_received_at, 20.0).centre(),
        Column::new(t.col_room, 22.0),
        Column::new(t.col_resident, 14.0).centre(),
        Column::new(t.sh_col_item, 28.0).grow(2.0),
        Column::new(t.sh_spec, 16.0).grow(1.0),
        Column::new(t.form_quantity, 12.0).centre(),
        Column::new(t.sh_col_unit_price, 18.0).right().shrunk(),
        Column::new(t.sh_col_total, 20.0).right().shrunk(),
        Column::new(t.sh_col_actual, 20.0).right().shrunk(),
        Column::new(t.sh_col_deadline, 12.0).centre(),
        Column::new(t.sh_taken_by, 14.0).centre(),
        Column::new(t.sh_col_buyer, 14.0).centre(),
        Column::new(t.col_status, 13.0).centre(),
        Column::new(t.col_notes, 26.0).grow(2.0),
    ];
    Table {
        style: LOG_STYLE,
        min_row_mm: LOG_ROW_MM,
        max_lines: 4,
        empty_note: t.sh_log_empty.to_string(),
        ..Table::new(columns)
    }
}

fn log_cells(sheet: &ShoppingLogSheet<'_>, row: &ShoppingLogRow) -> Vec<String> {
    let money = |m: Option<Money>| m.map(|m| m.to_string()).unwrap_or_default();
    vec![
        row.no.clone(),
        format!("{} {}", day(sheet, row.taken_at.date()), row.taken_at.format("%H:%M")),
        row.room.clone(),
        row.resident.clone(),
        row.item.clone(),
        row.spec.clone(),
        row.quantity.clone(),
        money(row.unit_price),
        money(row.total),
        money(row.actual),
        row.deadline.map(|d| day(sheet, d)).unwrap_or_default(),
        row.taken_by.clone(),
        row.buyer.clone(),
        row.state.clone(),
        row.note.clone(),
    ]
}

/// `03-02` when the period and the day lie in one year (the header gives
/// the year); `2026-03-02` otherwise.
fn day(sheet: &ShoppingLogSheet<'_>, day: NaiveDate) -> String {
    let one_year = sheet.from.year() == sheet.to.year() && day.year() == sheet.from.year();
    day.format(if one_year { "%m-%d" } else { "%Y-%m-%d" }).to_string()
}

/// 预计合计：¥… 实际合计：¥… in figures: the sums of the printed columns,
/// with how much of the expected was never bought (R-SH-4).
fn log_totals(t: &Texts, rows: &[ShoppingLogRow]) -> String {
    let total = Money::sum(rows.iter().filter_map(|r| r.total));
    let actual = Money::sum(rows.iter().filter_map(|r| r.actual));
    let not_bought: Vec<Money> = rows.iter().filter(|r| r.not_bought).filter_map(|r| r.total).collect();
    let note = match not_bought.len() {
        0 => String::new(),
        n => {
            fill(t.sh_log_not_bought_total, &[("n", &n), ("amount", &Money::sum(not_bought.iter().copied()))])
        }
    };
    fill(t.sh_log_totals, &[("total", &total), ("not_bought", &note), ("actual", &actual)])
}

/// 本期编号 001644–001788 共 145 号，作废 2，缺号 0 (R-SH-6), naming the
/// missing numbers when there are any, so finance can ask after each.
fn continuity_line(t: &Texts, c: &LogContinuity) -> String {
    let mut line = fill(
        t.sh_log_continuity,
        &[
            ("first", &shopping_no_text(c.first)),
            ("last", &shopping_no_text(c.last)),
            ("count", &c.count),
            ("void", &c.void),
            ("missing", &c.missing.len()),
        ],
    );
    if !c.missing.is_empty() {
        let nos: Vec<String> = c.missing.iter().map(|n| shopping_no_text(*n)).collect();
        line.push_str(&fill(t.sh_log_missing_list, &[("nos", &nos.join(t.list_sep))]));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_of_the_shopping_forms_is_in_the_face() {
        let face = face().unwrap();
        let t = t();
        for text in [
            t.sh_title,
            t.sh_part_first,
            t.sh_part_finance,
            t.sh_min_price_note,
            t.sh_item,
            t.sh_brand,
            t.sh_kind,
            t.sh_spec,
            t.sh_deadline,
            t.sh_taken_by,
            t.sh_taken_at,
            t.sh_buyer,
            t.sh_invoice_no,
            t.sh_actual,
            t.sh_bought_on,
            t.sh_signature,
            t.sh_delivered_on,
            t.sh_not_bought,
            t.sh_told_at,
            t.sh_money_line,
            t.sh_void_mark,
            t.sh_void_line,
            t.sh_finance_checked,
            t.sh_log_title,
            t.sh_col_item,
            t.sh_col_total,
            t.sh_col_actual,
            t.sh_col_deadline,
            t.sh_col_buyer,
            t.sh_log_empty,
            t.sh_log_totals,
            t.sh_col_unit_price,
            t.sh_log_not_bought_total,
            t.sh_log_continuity,
            t.sh_log_missing_list,
        ] {
            let text = text.replace(['{', '}'], "");
            assert!(text.chars().all(|c| c.is_whitespace() || face.has_glyph(c)), "{text}");
        }
    }

    #[test]
    fn a_blank_date_and_time_fits_the_last_column_on_one_line() {
        let face = face().unwrap();
        // The body is 180 mm wide; a row's widths are scaled to it.
        let cell_mm = LAST_VALUE_MM * 180.0 / (LABEL_MM + ACROSS_MM);
        // The line loses its trailing spaces: the minutes are written in
        // what is left of the cell after the colon, inside its padding.
        let pattern = datetime_text(None);
        let needed = [pattern.trim_end(), "30"].map(|text| face.width_mm(text, GRID_STYLE.size_pt));
        let needed = needed.iter().sum::<f32>() + 2.0 * 1.8;
        assert!(needed <= cell_mm, "{needed} mm needed, {cell_mm} mm there");
    }

    #[test]
    fn the_longest_amount_in_figures_and_capitals_keeps_to_one_line() {
        let face = face().unwrap();
        let longest = Money::from_fen(9_999_999_999).unwrap();
        assert_eq!(longest.to_chinese_capital().chars().count(), 20);
        let cell_mm = ACROSS_MM * 180.0 / (LABEL_MM + ACROSS_MM) - 2.0 * 1.8;
        let lines =
            super::super::inline::flow(face, &money_runs(t(), Some(longest)), GRID_STYLE.size_pt, cell_mm);
        assert_eq!(lines.len(), 1);
    }

    #[test]
    fn a_reversed_period_is_refused() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        let sheet = ShoppingLogSheet {
            office: "翠苑管理处",
            from: day(3),
            to: day(2),
            printed_at: day(3).and_hms_opt(9, 0, 0).unwrap(),
            continuity: None,
        };
        assert_eq!(shopping_log(&sheet, &[]), Err(PrintError::PeriodReversed { from: day(3), to: day(2) }));
    }
}
