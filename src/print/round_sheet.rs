//! 抄单表 (R-DSP-1, R-DSP-2): the rows a group's runner copies at a round
//! (housekeeping at 08:00 and 13:30, alarm work at 09:00 and 13:30), on A4
//! portrait, one line per job with a column for the runner's signature, and
//! the runner and the CS center signing at the foot. Long rounds break
//! across pages with the heading repeated.
//!
//! The sheet is a work order: no resident's name or phone; the room is
//! where staff go.

use chrono::NaiveDateTime;

use super::when::datetime_text;
use super::{Column, Document, Orientation, PageHeader, PrintError, PrintedPdf, Table, TextStyle};
use crate::domain::{RegisterKind, Request};
use crate::i18n::{Texts, fill, t};

const TABLE_STYLE: TextStyle = TextStyle::regular(9.0);
const FOOT_STYLE: TextStyle = TextStyle::regular(10.5);
/// Room in each row for the runner to sign.
const ROW_MM: f32 = 9.0;

/// Which round the sheet is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundSheet<'a> {
    pub office: &'a str,
    pub kind: RegisterKind,
    /// The round: its day and time.
    pub round_at: NaiveDateTime,
    pub printed_at: NaiveDateTime,
}

/// The round's rows, in the order given (running-number order, usually).
pub fn round_sheet(sheet: &RoundSheet<'_>, rows: &[Request]) -> Result<PrintedPdf, PrintError> {
    let t = t();
    let mut doc = Document::new(Orientation::Portrait, header(t, sheet, rows.len()))?;
    let cells: Vec<Vec<String>> = rows.iter().enumerate().map(|(n, row)| cells(sheet, n + 1, row)).collect();
    let label = |word: &str| fill(t.form_label, &[("label", &word)]);
    let signatures = [label(t.form_copier_signature), label(t.form_time), label(t.form_round_cs)];
    doc.table_with_foot(&table(t), &cells, |doc| {
        doc.gap(4.0);
        doc.signatures(&signatures, FOOT_STYLE);
    })?;
    Ok(doc.finish())
}

fn header(t: &Texts, sheet: &RoundSheet<'_>, count: usize) -> PageHeader {
    let at = datetime_text(Some(sheet.round_at));
    let group = t.group(sheet.kind.provider());
    let subtitle = [
        fill(t.form_round_at, &[("at", &at)]),
        fill(t.form_round_group, &[("group", &group)]),
        fill(t.rows_count, &[("n", &count)]),
    ];
    PageHeader {
        office: sheet.office.to_string(),
        title: fill(t.form_round_title, &[("kind", &t.kind(sheet.kind))]),
        subtitle: subtitle.join("　　"),
        printed_at: sheet.printed_at,
    }
}

/// 序号, 编号, 房号, 服务项目, 服务内容及要求, 预约时间, 议定价格, 服务人员, and
/// an empty column to sign. Widths are what the contents need at 9 pt; the
/// details take the rest.
fn table(t: &Texts) -> Table {
    let columns = vec![
        Column::new(t.form_serial, 9.0).centre(),
        Column::new(t.col_no, 25.0).centre().shrunk(),
        Column::new(t.col_room, 24.0),
        Column::new(t.col_service, 18.0),
        Column::new(t.col_details, 30.0).grow(1.0),
        Column::new(t.col_appointment, 13.0).centre(),
        Column::new(t.col_price, 17.0).right().shrunk(),
        Column::new(t.col_staff, 13.0).centre(),
        Column::new(t.form_copier_signature, 22.0),
    ];
    Table {
        style: TABLE_STYLE,
        empty_note: t.form_round_empty.to_string(),
        min_row_mm: ROW_MM,
        ..Table::new(columns)
    }
}

fn cells(sheet: &RoundSheet<'_>, serial: usize, row: &Request) -> Vec<String> {
    // The day is the round's unless the job is booked for another.
    let appointment = if row.appointment.date() == sheet.round_at.date() {
        row.appointment.format("%H:%M").to_string()
    } else {
        row.appointment.format("%m-%d\n%H:%M").to_string()
    };
    vec![
        serial.to_string(),
        row.no.to_string(),
        row.room.clone(),
        row.service.clone(),
        row.details.clone(),
        appointment,
        row.price.map(|p| p.to_string()).unwrap_or_default(),
        row.assigned_staff.as_ref().map(|(_, name)| name.clone()).unwrap_or_default(),
        String::new(),
    ]
}
