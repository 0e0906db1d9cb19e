//! 居家服务回访记录表 (R-RV-1 … R-RV-5): the month's revisit plan on A4
//! landscape, one household a row, as a blank call list or as the filled
//! record; and the quality department's quarterly spot check
//! (居家服务质量抽查记录表, R-RV-5), recorded the same way.
//!
//! The blank list leaves the answers to be written by hand in rows tall
//! enough to write in: small tick boxes for 电话/上门 and for 满意/基本满意/
//! 不满意 under 及时性, 技能 and 态度 (R-RV-3), room for what the resident
//! said and needs (R-RV-4) and for who called. The filled record prints the
//! answers; a household that could not be reached prints its attempts in
//! the comments column, and one not yet revisited keeps the blank list's
//! boxes, to be finished by hand. At the foot of the last page: the plan's
//! size and coverage, then 制表人 and the supervisor's signature.
//!
//! Phones are masked unless the caller asks for them in full (a call list
//! kept at the desk usually does).
//!
//! Must not: read the database, the clock or files; choose the households
//! or word their reasons (the plan does). The words come from `i18n`.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::inline::Run;
use super::register_sheet::{PhoneDisplay, mask_phone};
use super::{
    Align, Column, Document, Field, Orientation, PageHeader, PrintError, PrintedPdf, Prose, Table, TableCell,
    TextStyle,
};
use crate::domain::coverage_per_mille;
use crate::i18n::{Texts, fill, t};

/// 小五 (9 pt), as the registers: read at arm's length.
const TABLE_STYLE: TextStyle = TextStyle::regular(9.0);
const FOOT_STYLE: TextStyle = TextStyle::regular(10.0);
/// Rows of the blank list: room to write a date, a name and a few words.
/// The tick boxes stacked three high make those rows a little taller.
const BLANK_ROW_MM: f32 = 10.0;
/// Rows of the filled record: one line of answers reads better with air.
const FILLED_ROW_MM: f32 = 7.0;
/// The most lines of a cell: the resident's comments may run long.
const MAX_LINES: usize = 5;
/// Space between the coverage line and the signatures, and the rule to sign on.
const FOOT_GAP_MM: f32 = 3.0;
const SIGNATURE_MM: f32 = 40.0;

/// One household of the plan: one row of the sheet.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RevisitLine {
    pub room: String,
    pub resident: String,
    /// Printed masked unless the sheet says full ([`PhoneDisplay`]).
    pub phone: String,
    pub service: String,
    pub service_date: Option<NaiveDate>,
    pub staff: String,
    /// Why the household is in the plan, already worded: `抽样、新员工`.
    pub reasons: String,
    /// The answers, once revisited; all empty on the blank list.
    pub revisited_on: Option<NaiveDate>,
    /// Already worded: 电话 or 上门.
    pub method: String,
    /// Already worded: 满意, 基本满意 or 不满意.
    pub timeliness: String,
    pub skill: String,
    pub attitude: String,
    /// 住户意见及需求 (R-RV-4).
    pub comments: String,
    pub revisited_by: String,
    /// The attempts made when the resident could not be reached, already
    /// worded: `3 次未接通`.
    pub unreachable: Option<String>,
}

impl RevisitLine {
    /// Nothing recorded yet: neither an answer nor a failed attempt.
    fn unanswered(&self) -> bool {
        self.unreachable.is_none()
            && self.revisited_on.is_none()
            && [
                &self.method,
                &self.timeliness,
                &self.skill,
                &self.attitude,
                &self.comments,
                &self.revisited_by,
            ]
            .iter()
            .all(|text| text.trim().is_empty())
    }
}

/// Whose plan the sheet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RevisitSheetKind {
    /// The CS center's monthly revisits (R-RV-1, R-RV-2): 居家服务回访记录表.
    #[default]
    Monthly,
    /// The quality department's quarterly spot check (R-RV-5):
    /// 居家服务质量抽查记录表.
    Quarterly,
}

/// What the sheet is for: whose plan, which period, blank or filled, and
/// the plan's figures for the foot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisitSheet<'a> {
    /// The office's name, printed above the title.
    pub office: &'a str,
    /// Already worded: `2026年10月`, `2026年第四季度`.
    pub title_period: String,
    pub kind: RevisitSheetKind,
    /// `false`: the blank call list, answers left to write by hand; `true`:
    /// the record with the answers.
    pub filled: bool,
    pub households_served: usize,
    pub sample_size: usize,
    pub planned: usize,
    pub done: usize,
    pub unreachable: usize,
    pub phones: PhoneDisplay,
    pub printed_at: NaiveDateTime,
}

/// The plan's households, in the order given: the heading on every page,
/// 第 N 页 共 M 页, and the plan's size and coverage with the signatures at
/// the foot of the last page. An empty plan prints one page saying so.
pub fn revisit_sheet(sheet: &RevisitSheet<'_>, lines: &[RevisitLine]) -> Result<PrintedPdf, PrintError> {
    let t = t();
    let mut doc = Document::new(Orientation::Landscape, header(t, sheet, lines.len()))?;
    let short_dates = one_year(lines);
    let rows: Vec<Vec<TableCell>> =
        lines.iter().enumerate().map(|(n, line)| row(t, sheet, short_dates, n + 1, line)).collect();
    let foot = foot(t, sheet);
    doc.cells_with_foot(&table(t, sheet.filled), &rows, |doc| doc.keep_together(&foot))?;
    Ok(doc.finish())
}

/// The plan's size and coverage, then 制表人 and the supervisor's
/// signature: kept together, and with the table's last row (never a page
/// of signatures alone).
fn foot(t: &Texts, sheet: &RevisitSheet<'_>) -> [Prose; 3] {
    let checked_by = match sheet.kind {
        RevisitSheetKind::Monthly => t.rv_checked_by_cs,
        RevisitSheetKind::Quarterly => t.rv_checked_by_quality,
    };
    let sign = |label: &str| Field::runs(label, vec![Run::blank("", SIGNATURE_MM)]);
    [
        Prose::aligned(coverage(t, sheet), FOOT_STYLE, Align::Left),
        Prose::Gap(FOOT_GAP_MM),
        Prose::fields(vec![sign(t.rv_prepared_by), sign(checked_by)], FOOT_STYLE),
    ]
}

fn header(t: &Texts, sheet: &RevisitSheet<'_>, count: usize) -> PageHeader {
    let (title, list) = match (sheet.kind, sheet.filled) {
        (RevisitSheetKind::Monthly, false) => (t.rv_title_monthly, t.rv_list_monthly),
        (RevisitSheetKind::Monthly, true) => (t.rv_title_monthly, t.rv_record_monthly),
        (RevisitSheetKind::Quarterly, false) => (t.rv_title_quarterly, t.rv_list_quarterly),
        (RevisitSheetKind::Quarterly, true) => (t.rv_title_quarterly, t.rv_record_quarterly),
    };
    let period = fill(list, &[("period", &sheet.title_period.trim())]);
    PageHeader {
        office: sheet.office.to_string(),
        title: title.to_string(),
        subtitle: [period, fill(t.rv_households, &[("n", &count)])].join("　　"),
        printed_at: sheet.printed_at,
    }
}

/// 序号 … 回访人 (FORMS.md, with 电话 and 回访原因 added for the call list).
/// Widths are what the contents need at 9 pt: a date or a phone on one
/// line, a room and the usual reasons on two, a name of three characters,
/// ☐基本满意 with air on both sides under the ratings; the resident's
/// comments take what is left of the page (room to write on the call list).
fn table(t: &Texts, filled: bool) -> Table {
    let columns = vec![
        Column::new(t.rv_col_no, 8.0).centre().shrunk(),
        Column::new(t.rv_col_revisited_on, 12.0).centre(),
        Column::new(t.rv_col_room, 17.0),
        Column::new(t.rv_col_resident, 12.0).centre(),
        Column::new(t.rv_col_phone, 21.0).centre().shrunk(),
        Column::new(t.rv_col_service, 15.0),
        Column::new(t.rv_col_service_date, 11.0).centre(),
        Column::new(t.rv_col_staff, 12.0).centre(),
        Column::new(t.rv_col_reasons, 22.0),
        Column::new(t.rv_col_method, 13.0).centre(),
        Column::new(t.rv_col_timeliness, 19.5).centre(),
        Column::new(t.rv_col_skill, 19.5).centre(),
        Column::new(t.rv_col_attitude, 19.5).centre(),
        // Grows into what is left: a small floor leaves English room to keep
        // `☐ Dissatisfied` on one line in the answer columns.
        Column::new(t.rv_col_comments, 20.0).grow(1.0),
        Column::new(t.rv_col_revisited_by, 12.0).centre(),
    ];
    Table {
        style: TABLE_STYLE,
        max_lines: MAX_LINES,
        empty_note: t.rv_empty.to_string(),
        min_row_mm: if filled { FILLED_ROW_MM } else { BLANK_ROW_MM },
        ..Table::new(columns)
    }
}

/// One household's row: the plan's part, then the answers, or room to
/// write them.
fn row(
    t: &Texts,
    sheet: &RevisitSheet<'_>,
    short_dates: bool,
    no: usize,
    line: &RevisitLine,
) -> Vec<TableCell> {
    let date = |day: Option<NaiveDate>| day.map(|d| date_text(d, short_dates)).unwrap_or_default();
    let phone = match sheet.phones {
        PhoneDisplay::Masked => mask_phone(&line.phone),
        PhoneDisplay::Full => line.phone.trim().to_string(),
    };
    let mut cells: Vec<TableCell> = vec![
        no.to_string().into(),
        String::new().into(),
        line.room.trim().into(),
        line.resident.trim().into(),
        phone.into(),
        line.service.trim().into(),
        date(line.service_date).into(),
        line.staff.trim().into(),
        line.reasons.trim().into(),
    ];
    if !sheet.filled || line.unanswered() {
        cells.extend(blank_answers(t));
        return cells;
    }
    cells[1] = date(line.revisited_on).into();
    cells.extend([
        line.method.trim().into(),
        line.timeliness.trim().into(),
        line.skill.trim().into(),
        line.attitude.trim().into(),
        comments(t, line).into(),
        line.revisited_by.trim().into(),
    ]);
    cells
}

/// ☐电话 ☐上门, ☐满意 ☐基本满意 ☐不满意 three times, one a line, then room
/// to write the comments and the name.
fn blank_answers(t: &Texts) -> [TableCell; 6] {
    let boxes = |words: &[&str]| {
        let mut runs = Vec::new();
        for (n, word) in words.iter().enumerate() {
            if n > 0 {
                runs.push(Run::text("\n"));
            }
            runs.push(Run::Tick { ticked: false });
            runs.push(Run::text(*word));
        }
        TableCell::Runs(runs)
    };
    let ratings = [t.rv_satisfied, t.rv_fairly_satisfied, t.rv_dissatisfied];
    [
        boxes(&[t.rv_method_phone, t.rv_method_visit]),
        boxes(&ratings),
        boxes(&ratings),
        boxes(&ratings),
        TableCell::Text(String::new()),
        TableCell::Text(String::new()),
    ]
}

/// 住户意见及需求; for a household not reached, the attempts first.
fn comments(t: &Texts, line: &RevisitLine) -> String {
    let attempts = line.unreachable.as_deref().map(|a| fill(t.rv_unreachable, &[("attempts", &a.trim())]));
    let said = Some(line.comments.trim().to_string()).filter(|c| !c.is_empty());
    attempts.into_iter().chain(said).collect::<Vec<_>>().join("；")
}

/// Whether every date on the sheet lies in one year (the header's period
/// names it): then `10-12`, else `2026-10-12`.
fn one_year(lines: &[RevisitLine]) -> bool {
    let mut years = lines.iter().flat_map(|l| [l.service_date, l.revisited_on]).flatten().map(|d| d.year());
    let first = years.next();
    years.all(|year| Some(year) == first)
}

fn date_text(day: NaiveDate, short: bool) -> String {
    day.format(if short { "%m-%d" } else { "%Y-%m-%d" }).to_string()
}

/// 本月服务户数 … 覆盖率 87.5%: the office's one definition
/// (`domain::coverage_per_mille`, the same as the report's), to one
/// decimal; `—` when nothing was planned.
fn coverage(t: &Texts, sheet: &RevisitSheet<'_>) -> String {
    let template = match sheet.kind {
        RevisitSheetKind::Monthly => t.rv_coverage_monthly,
        RevisitSheetKind::Quarterly => t.rv_coverage_quarterly,
    };
    let coverage = percent(sheet.done, sheet.planned).unwrap_or_else(|| t.rv_no_coverage.to_string());
    fill(
        template,
        &[
            ("served", &sheet.households_served),
            ("sample", &sheet.sample_size),
            ("planned", &sheet.planned),
            ("done", &sheet.done),
            ("unreachable", &sheet.unreachable),
            ("coverage", &coverage),
        ],
    )
}

/// `done / planned` as the plan's coverage in per cent to one decimal
/// (whole numbers throughout: no float prints 87.45 as 87.4); `None` for
/// nothing planned.
fn percent(done: usize, planned: usize) -> Option<String> {
    coverage_per_mille(done, planned).map(|tenths| format!("{}.{}%", tenths / 10, tenths % 10))
}

#[cfg(test)]
mod tests {
    use super::super::font::face;
    use super::*;

    #[test]
    fn coverage_is_to_one_decimal_and_a_dash_when_nothing_was_planned() {
        assert_eq!(percent(7, 8).as_deref(), Some("87.5%"));
        assert_eq!(percent(2, 3).as_deref(), Some("66.7%"));
        assert_eq!(percent(1, 3).as_deref(), Some("33.3%"));
        assert_eq!(percent(0, 5).as_deref(), Some("0.0%"));
        assert_eq!(percent(12, 12).as_deref(), Some("100.0%"));
        assert_eq!(percent(0, 0), None);
    }

    #[test]
    fn dates_drop_the_year_only_when_all_share_one() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let line = |served, revisited| RevisitLine {
            service_date: served,
            revisited_on: revisited,
            ..RevisitLine::default()
        };
        assert!(one_year(&[]));
        assert!(one_year(&[line(day(2026, 10, 3), day(2026, 11, 2)), line(day(2026, 10, 9), None)]));
        assert!(!one_year(&[line(day(2026, 12, 30), day(2027, 1, 4))]));
    }

    #[test]
    fn a_line_with_only_the_plan_is_unanswered() {
        let planned =
            RevisitLine { room: "1栋101".into(), reasons: "抽样".into(), ..RevisitLine::default() };
        assert!(planned.unanswered());
        assert!(!RevisitLine { unreachable: Some("3 次未接通".into()), ..planned.clone() }.unanswered());
        assert!(!RevisitLine { attitude: "满意".into(), ..planned }.unanswered());
    }

    #[test]
    fn every_word_of_the_revisit_forms_is_in_the_face() {
        let face = face().unwrap();
        let t = t();
        for text in [
            t.rv_title_monthly,
            t.rv_title_quarterly,
            t.rv_list_monthly,
            t.rv_list_quarterly,
            t.rv_record_monthly,
            t.rv_record_quarterly,
            t.rv_households,
            t.rv_col_no,
            t.rv_col_revisited_on,
            t.rv_col_room,
            t.rv_col_resident,
            t.rv_col_phone,
            t.rv_col_service,
            t.rv_col_service_date,
            t.rv_col_staff,
            t.rv_col_reasons,
            t.rv_col_method,
            t.rv_col_timeliness,
            t.rv_col_skill,
            t.rv_col_attitude,
            t.rv_col_comments,
            t.rv_col_revisited_by,
            t.rv_method_phone,
            t.rv_method_visit,
            t.rv_satisfied,
            t.rv_fairly_satisfied,
            t.rv_dissatisfied,
            t.rv_unreachable,
            t.rv_empty,
            t.rv_coverage_monthly,
            t.rv_coverage_quarterly,
            t.rv_no_coverage,
            t.rv_prepared_by,
            t.rv_checked_by_cs,
            t.rv_checked_by_quality,
        ] {
            let text = text.replace(['{', '}'], "");
            assert!(text.chars().all(|c| c.is_whitespace() || face.has_glyph(c)), "{text}");
        }
    }
}
