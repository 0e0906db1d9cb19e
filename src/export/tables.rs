//! The office's tables as sheets: the three registers, the shopping log
//! and a revisit plan, with the columns of their printed forms, each cell
//! typed (dates as dates, amounts as money).
//!
//! Must not: gather rows (the app does, with the same code as printing).

use chrono::NaiveDate;

use super::{Cell, ExportError, ExportedXlsx, SheetTable, workbook};
use crate::domain::{HistoryRow, RegisterKind, Request};
use crate::i18n::{Texts, fill, t};
use crate::print::{PhoneDisplay, RevisitLine, ShoppingLogRow, mask_phone, register_notes};

/// Which register, whose, for which days, as the table showed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterExport<'a> {
    pub office: &'a str,
    pub kind: RegisterKind,
    /// The filter's first and last day received; either may be open.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub phones: PhoneDisplay,
}

/// The register's rows, in the order given (the table's sort).
pub fn register_table(export: &RegisterExport<'_>, rows: &[Request]) -> Result<ExportedXlsx, ExportError> {
    if let (Some(from), Some(to)) = (export.from, export.to)
        && to < from
    {
        return Err(ExportError::PeriodReversed { from, to });
    }
    let t = t();
    let columns = register_columns(t, export.kind);
    let table = SheetTable {
        sheet_name: t.kind(export.kind).to_string(),
        title: title(export.office, t.register_title(export.kind), &period(t, export.from, export.to)),
        headers: columns.iter().map(|(header, _)| header.to_string()).collect(),
        rows: rows.iter().map(|r| columns.iter().map(|(_, cell)| cell(t, export, r)).collect()).collect(),
    };
    workbook(&table)
}

/// What one cell of a register row holds.
type RegisterCell = fn(&Texts, &RegisterExport<'_>, &Request) -> Cell;

/// The printed register's columns (print/register_sheet.rs), with the
/// sign-off and the collection each split into who and when or how much,
/// so the dates and amounts are cells of their own.
fn register_columns(t: &'static Texts, kind: RegisterKind) -> Vec<(&'static str, RegisterCell)> {
    let mut columns: Vec<(&'static str, RegisterCell)> = vec![
        (t.col_no, |_, _, r| Cell::text(r.no.to_string())),
        (t.col_received_at, |_, _, r| Cell::DateTime(r.received_at)),
        (t.col_received_by, |_, _, r| Cell::text(&r.received_by)),
        (t.col_room, |_, _, r| Cell::text(&r.room)),
        (t.field_resident, |_, _, r| Cell::text(&r.resident_name)),
        (t.col_phone, |_, e, r| Cell::text(phone(e.phones, &r.phone))),
        (t.col_service, |_, _, r| Cell::text(&r.service)),
    ];
    match kind {
        RegisterKind::Repair => columns
            .push((t.col_urgency, |t, _, r| Cell::text(r.urgency.map(|u| t.urgency(u)).unwrap_or_default()))),
        RegisterKind::Alarm => columns.push((t.col_alarm_work, |t, _, r| {
            Cell::text(r.alarm_work.map(|a| t.alarm_work(a)).unwrap_or_default())
        })),
        RegisterKind::Housekeeping => {}
    }
    columns.extend::<[(&'static str, RegisterCell); 10]>([
        (t.col_details, |_, _, r| Cell::text(&r.details)),
        (t.col_appointment, |_, _, r| Cell::DateTime(r.appointment)),
        (t.col_staff, |_, _, r| {
            Cell::text(r.assigned_staff.as_ref().map(|(_, name)| name.as_str()).unwrap_or_default())
        }),
        (t.col_price, |_, _, r| Cell::money(r.price)),
        (t.col_status, |t, _, r| Cell::text(t.status(r.status))),
        (t.col_signed_off, |_, _, r| {
            Cell::text(r.signed_off.as_ref().map(|(name, _)| name.as_str()).unwrap_or_default())
        }),
        (t.xl_col_signed_off_at, |_, _, r| Cell::datetime(r.signed_off.as_ref().map(|(_, at)| *at))),
        (t.xl_col_collected, |_, _, r| Cell::money(r.collected.as_ref().map(|(amount, _)| *amount))),
        (t.xl_col_collected_by, |_, _, r| {
            Cell::text(r.collected.as_ref().map(|(_, by)| by.as_str()).unwrap_or_default())
        }),
        (t.col_settled, |_, _, r| Cell::datetime(r.settled_at)),
    ]);
    if kind == RegisterKind::Repair {
        columns.push((t.col_follow_up, |_, _, r| Cell::text(r.follow_up.clone().unwrap_or_default())));
    }
    columns.push((t.col_notes, |t, _, r| Cell::text(register_notes(t, r))));
    columns
}

fn phone(display: PhoneDisplay, phone: &str) -> String {
    match display {
        PhoneDisplay::Masked => mask_phone(phone),
        PhoneDisplay::Full => phone.to_string(),
    }
}

/// The shopping log (代客购物登记簿) of the entries taken on `from ..= to`,
/// `rows` as the printed log has them (void entries without amounts; one
/// that could not be bought with its expected amount only).
pub fn shopping_log_table(
    office: &str,
    from: NaiveDate,
    to: NaiveDate,
    rows: &[ShoppingLogRow],
) -> Result<ExportedXlsx, ExportError> {
    if to < from {
        return Err(ExportError::PeriodReversed { from, to });
    }
    let t = t();
    let headers = [
        t.col_no,
        t.col_received_at,
        t.col_room,
        t.col_resident,
        t.sh_col_item,
        t.sh_spec,
        t.form_quantity,
        t.sh_col_unit_price,
        t.sh_col_total,
        t.sh_col_actual,
        t.sh_col_deadline,
        t.sh_taken_by,
        t.sh_col_buyer,
        t.col_status,
        t.col_notes,
    ];
    let cells = |r: &ShoppingLogRow| {
        vec![
            Cell::text(&r.no),
            Cell::DateTime(r.taken_at),
            Cell::text(&r.room),
            Cell::text(&r.resident),
            Cell::text(&r.item),
            Cell::text(&r.spec),
            Cell::text(&r.quantity),
            Cell::money(r.unit_price),
            Cell::money(r.total),
            Cell::money(r.actual),
            Cell::date(r.deadline),
            Cell::text(&r.taken_by),
            Cell::text(&r.buyer),
            Cell::text(&r.state),
            Cell::text(&r.note),
        ]
    };
    let table = SheetTable {
        sheet_name: t.sh_log_title.to_string(),
        title: title(office, t.sh_log_title, &period(t, Some(from), Some(to))),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: rows.iter().map(cells).collect(),
    };
    workbook(&table)
}

/// A revisit plan (居家服务回访记录表 or the quarter's 质量抽查) with its
/// answers so far; `what` is the title, `period` already worded
/// (`2026年10月`). Phones as `phones` says.
pub fn revisit_table(
    office: &str,
    what: &str,
    period: &str,
    phones: PhoneDisplay,
    lines: &[RevisitLine],
) -> Result<ExportedXlsx, ExportError> {
    let t = t();
    let headers = [
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
    ];
    let rows = lines.iter().enumerate().map(|(n, line)| revisit_cells(t, phones, n + 1, line)).collect();
    let table = SheetTable {
        sheet_name: what.to_string(),
        title: title(office, what, period),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows,
    };
    workbook(&table)
}

fn revisit_cells(t: &Texts, phones: PhoneDisplay, n: usize, line: &RevisitLine) -> Vec<Cell> {
    // A household that could not be reached has its attempts for comments,
    // as on the printed record.
    let comments = match &line.unreachable {
        Some(attempts) => fill(t.rv_unreachable, &[("attempts", &attempts.trim())]),
        None => line.comments.clone(),
    };
    vec![
        Cell::Int(i64::try_from(n).unwrap_or(i64::MAX)),
        Cell::date(line.revisited_on),
        Cell::text(&line.room),
        Cell::text(&line.resident),
        Cell::text(phone(phones, &line.phone)),
        Cell::text(&line.service),
        Cell::date(line.service_date),
        Cell::text(&line.staff),
        Cell::text(&line.reasons),
        Cell::text(&line.method),
        Cell::text(&line.timeliness),
        Cell::text(&line.skill),
        Cell::text(&line.attitude),
        Cell::text(comments),
        Cell::text(&line.revisited_by),
    ]
}

/// The title row: `翠苑管理处　家政登记表　期间：2026年03月01日 至 2026年03月31日`.
pub(super) fn title(office: &str, what: &str, period: &str) -> String {
    [office, what, period].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join("　")
}

/// The period as the printed headers word it; either end may be open.
pub(super) fn period(t: &Texts, from: Option<NaiveDate>, to: Option<NaiveDate>) -> String {
    let day = |d: NaiveDate| d.format("%Y年%m月%d日").to_string();
    match (from, to) {
        (Some(from), Some(to)) if from == to => fill(t.print_day, &[("date", &day(from))]),
        (Some(from), Some(to)) => fill(t.print_period, &[("from", &day(from)), ("to", &day(to))]),
        (Some(from), None) => fill(t.xl_period_from, &[("from", &day(from))]),
        (None, Some(to)) => fill(t.xl_period_to, &[("to", &day(to))]),
        (None, None) => t.xl_period_all.to_string(),
    }
}

/// The change history (R-FU-6) for the days `from ..= to` (either open):
/// one row per changed field, a change without fields on a row of its own.
pub fn history_table(
    office: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    rows: &[HistoryRow],
) -> Result<ExportedXlsx, ExportError> {
    let t = t();
    let headers = [
        t.hs_col_at,
        t.hs_col_user,
        t.hs_col_entity,
        t.hs_col_record,
        t.hs_col_action,
        t.hs_col_field,
        t.hs_col_old,
        t.hs_col_new,
        t.hs_col_reason,
    ];
    let table = SheetTable {
        sheet_name: t.tab_history.to_string(),
        title: title(office, t.tab_history, &period(t, from, to)),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: rows.iter().flat_map(|row| history_cells(t, row)).collect(),
    };
    workbook(&table)
}

fn history_cells(t: &Texts, row: &HistoryRow) -> Vec<Vec<Cell>> {
    let e = &row.entry;
    let head = || {
        vec![
            Cell::DateTime(e.at),
            Cell::text(&e.user_name),
            Cell::text(t.entity(e.entity)),
            Cell::text(if row.record.is_empty() { e.entity_id.to_string() } else { row.record.clone() }),
            Cell::text(t.history_action(e.action)),
        ]
    };
    let reason = Cell::text(e.reason.clone().unwrap_or_default());
    let changes: Vec<_> = e.changes.iter().filter(|c| !(c.old.is_empty() && c.new.is_empty())).collect();
    if changes.is_empty() {
        let mut cells = head();
        cells.extend([Cell::Empty, Cell::Empty, Cell::Empty, reason]);
        return vec![cells];
    }
    changes
        .into_iter()
        .map(|c| {
            let mut cells = head();
            cells.extend([
                Cell::text(t.history_field(&c.field)),
                Cell::text(t.history_value(&c.field, row.value_of(&c.field, &c.old))),
                Cell::text(t.history_value(&c.field, row.value_of(&c.field, &c.new))),
                reason.clone(),
            ]);
            cells
        })
        .collect()
}
