//! 居家服务情况记录表 (R-EX-1): the record staff fill in at the door after a
//! job, which the resident signs with an opinion. One A4 portrait page per
//! job, laid out as a ruled form: the job's facts from the register row, the
//! times, the work done, the materials used, the fee in figures and capital
//! numerals (R-FEE-5), the 满意 / 基本满意 / 不满意 boxes and both signatures.
//! Whatever is not known yet prints as room to write by hand.

use chrono::NaiveDateTime;

use super::grid::{Grid, GridCell};
use super::inline::{Run, template_runs};
use super::when::{date_cell, datetime_cell};
use super::{Align, Document, Orientation, PageHeader, PrintError, PrintedPdf, TextStyle};
use crate::domain::{Money, Opinion, Request};
use crate::i18n::{Texts, fill, t};

const NO_STYLE: TextStyle = TextStyle::regular(11.0);
/// Label and value widths of the grid (scaled to the body): two fields to
/// a row, or one label and a value across the rest.
const LABEL_MM: f32 = 26.0;
const VALUE_MM: f32 = 64.0;
const WIDE_MM: f32 = LABEL_MM + 2.0 * VALUE_MM;
/// Writing lines for the work done and the resident's comment.
const WORK_LINES: usize = 6;
const COMMENT_LINES: usize = 3;
/// Empty rows for materials, and the widths of 材料名称 / 数量 / 单价 / 金额.
const MATERIAL_ROWS: usize = 4;
const MATERIAL_MM: [f32; 4] = [WIDE_MM - 3.0 * 26.0, 26.0, 26.0, 26.0];
/// Room in the fee line for the figures and the capital numerals.
const FIGURES_MM: f32 = 32.0;
const CAPITALS_MM: f32 = 70.0;
/// Rows are tall enough to write in by hand; rows that are signed, taller.
const ROW_MM: f32 = 10.0;
const SIGNATURE_ROW_MM: f32 = 14.0;

/// One job's record, as far as it is known; a blank form has only `no`
/// (or nothing) set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceRecordForm {
    /// The register row's running number, e.g. `JZ-2026-000012`.
    pub no: String,
    pub room: String,
    pub resident: String,
    pub service: String,
    /// 服务内容及要求 from the register row.
    pub details: String,
    pub appointment: Option<NaiveDateTime>,
    pub arrived_at: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
    pub staff: String,
    /// What was done, as staff wrote it.
    pub work_done: String,
    pub amount: Option<Money>,
    pub opinion: Option<Opinion>,
    pub comment: String,
}

impl ServiceRecordForm {
    /// The form staff take to the door for `request`: the register row's
    /// facts filled in, the outcome left to write.
    pub fn for_job(request: &Request) -> ServiceRecordForm {
        ServiceRecordForm {
            no: request.no.to_string(),
            room: request.room.clone(),
            resident: request.resident_name.clone(),
            service: request.service.clone(),
            details: request.details.clone(),
            appointment: Some(request.appointment),
            staff: request.assigned_staff.as_ref().map(|(_, name)| name.clone()).unwrap_or_default(),
            ..ServiceRecordForm::default()
        }
    }
}

/// One page per form, each numbered on its own; with none, one blank form.
pub fn service_records(
    office: &str,
    printed_at: NaiveDateTime,
    forms: &[ServiceRecordForm],
) -> Result<PrintedPdf, PrintError> {
    let t = t();
    let header = PageHeader {
        office: office.to_string(),
        title: t.form_record_title.to_string(),
        subtitle: String::new(),
        printed_at,
    };
    let blank = [ServiceRecordForm::default()];
    let forms = if forms.is_empty() { &blank[..] } else { forms };
    let mut doc = Document::new(Orientation::Portrait, header.clone())?;
    for (n, form) in forms.iter().enumerate() {
        if n > 0 {
            doc.new_section(header.clone());
        }
        record(&mut doc, t, form)?;
    }
    Ok(doc.finish())
}

fn record(doc: &mut Document, t: &Texts, form: &ServiceRecordForm) -> Result<(), PrintError> {
    let no = fill(t.form_record_no, &[("no", &form.no)]);
    doc.spread_line(&[(&no, NO_STYLE, Align::Right)]);
    doc.gap(1.0);
    let mut rows = facts(t, form);
    rows.extend(materials(t));
    rows.extend(outcome(t, form));
    doc.grid(&Grid { max_lines: 3, min_row_mm: ROW_MM, ..Grid::new(rows) })
}

/// Two fields side by side.
fn pair(a: &str, a_value: GridCell, b: &str, b_value: GridCell) -> Vec<GridCell> {
    vec![GridCell::label(a, LABEL_MM), a_value, GridCell::label(b, LABEL_MM), b_value]
}

/// A value in one of a pair's cells.
fn text(value: &str) -> GridCell {
    GridCell::value(value, VALUE_MM)
}

fn when(at: Option<NaiveDateTime>) -> GridCell {
    datetime_cell(at, VALUE_MM)
}

/// One field across the row.
fn wide(label: &str, value: GridCell) -> Vec<GridCell> {
    vec![GridCell::label(label, LABEL_MM), value]
}

/// The job as registered and as done.
fn facts(t: &Texts, form: &ServiceRecordForm) -> Vec<Vec<GridCell>> {
    vec![
        pair(t.col_room, text(&form.room), t.col_resident, text(&form.resident)),
        wide(t.col_service, GridCell::value(form.service.clone(), WIDE_MM)),
        wide(t.form_requirements, GridCell::value(form.details.clone(), WIDE_MM)),
        pair(t.col_appointment, when(form.appointment), t.col_staff, text(&form.staff)),
        pair(t.form_arrived_at, when(form.arrived_at), t.form_finished_at, when(form.finished_at)),
        wide(t.form_work_done, GridCell::value(form.work_done.clone(), WIDE_MM).ruled(WORK_LINES)),
    ]
}

/// 使用材料 down the label column beside 材料名称 / 数量 / 单价 / 金额 and
/// empty rows to fill in.
fn materials(t: &Texts) -> Vec<Vec<GridCell>> {
    let heading = [t.form_material_name, t.form_quantity, t.form_unit_price, t.form_amount];
    // The middle one of the heading and the rows, so the caption sits mid-block.
    let caption_row = MATERIAL_ROWS.div_ceil(2);
    (0..=MATERIAL_ROWS)
        .map(|n| {
            let caption = if n == caption_row { t.form_materials } else { "" };
            let caption = GridCell::label(caption, LABEL_MM);
            let mut row = vec![if n == 0 { caption } else { caption.joined_above() }];
            row.extend(heading.iter().zip(MATERIAL_MM).map(|(word, width)| match n {
                0 => GridCell::label(*word, width),
                _ => GridCell::value("", width),
            }));
            row
        })
        .collect()
}

/// The fee, the resident's opinion and comment, and the signatures.
fn outcome(t: &Texts, form: &ServiceRecordForm) -> Vec<Vec<GridCell>> {
    vec![
        wide(t.form_fee, GridCell::runs(fee(t, form.amount), WIDE_MM)),
        wide(t.form_opinion, GridCell::runs(opinion_boxes(t, form.opinion), WIDE_MM)),
        wide(t.form_comment, GridCell::value(form.comment.clone(), WIDE_MM).ruled(COMMENT_LINES)),
        signed(pair(t.form_resident_signature, text(""), t.form_date_label, date_cell(None, VALUE_MM))),
        signed(pair(t.form_staff_signature, text(""), t.form_date_label, date_cell(None, VALUE_MM))),
    ]
}

/// A row tall enough to sign in.
fn signed(row: Vec<GridCell>) -> Vec<GridCell> {
    row.into_iter().map(|cell| cell.at_least(SIGNATURE_ROW_MM)).collect()
}

/// 小写：¥1,280.00　大写：壹仟贰佰捌拾元整 (R-FEE-5); blanks when not known.
fn fee(t: &Texts, amount: Option<Money>) -> Vec<Run> {
    let figures = amount.map(|m| m.to_string()).unwrap_or_default();
    let capitals = amount.map(crate::i18n::amount_words).unwrap_or_default();
    let fills =
        [("figures", Run::blank(figures, FIGURES_MM)), ("capitals", Run::blank(capitals, CAPITALS_MM))];
    template_runs(t.form_fee_line, &fills)
}

/// ☐满意　☐基本满意　☐不满意, the resident's choice ticked.
fn opinion_boxes(t: &Texts, opinion: Option<Opinion>) -> Vec<Run> {
    let choices = [
        (Opinion::Satisfied, t.form_opinion_satisfied),
        (Opinion::FairlySatisfied, t.form_opinion_fair),
        (Opinion::Dissatisfied, t.form_opinion_dissatisfied),
    ];
    choices
        .into_iter()
        .flat_map(|(choice, word)| {
            [Run::Tick { ticked: opinion == Some(choice) }, Run::text(format!("{word}　　　　"))]
        })
        .collect()
}
