//! 登记表: one register's rows for a day or a date range, on A4 landscape,
//! laid out as the paper ledger (FORMS.md): the R-IN-4 columns, plus 紧急程度
//! and 跟进核实 on the repair register and 类别 on the alarm register.
//! Phones are masked unless the caller asks for them in full.
//!
//! The same sheet is the 维修登记表抄送单 (R-FU-5): yesterday's repair register
//! as the control center hands it to the CS center by 09:00, titled as the
//! copy and signed by both desks instead of 制表人/审核人.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::when::day_text;
use super::{
    Align, Carry, Column, Document, Orientation, PageHeader, PrintError, PrintedPdf, Table, TextStyle,
};
pub use crate::domain::mask_phone;
use crate::domain::{Money, RegisterKind, Request, RunningNo};
use crate::i18n::{Texts, fill, t};

/// The table in 小五 (9 pt), the size office ledgers are set in, read at
/// arm's length; the total and the signatures at the foot in 五号.
const TABLE_STYLE: TextStyle = TextStyle::regular(9.0);
const FOOT_STYLE: TextStyle = TextStyle::regular(10.5);

/// How residents' phone numbers appear on paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PhoneDisplay {
    /// `138****8000`: a sheet left on a desk does not give numbers away.
    #[default]
    Masked,
    Full,
}

/// Why the register is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SheetPurpose {
    /// The ledger itself, signed by 制表人 and 审核人.
    #[default]
    Register,
    /// The next-morning copy of the repair register for the CS center
    /// (R-FU-5), signed by the control center handing it over and the CS
    /// center receiving it. The CS center revisits those residents: the
    /// caller usually prints their phones in full.
    RepairCopy,
}

/// What the register sheet is for: whose, which register, which days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterSheet<'a> {
    /// The office's name, printed above the title.
    pub office: &'a str,
    pub kind: RegisterKind,
    /// First and last day received, both included.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub phones: PhoneDisplay,
    pub printed_at: NaiveDateTime,
    pub purpose: SheetPurpose,
}

/// The register for the period: `rows` are its rows in running-number order.
pub fn register_sheet(sheet: &RegisterSheet<'_>, rows: &[Request]) -> Result<PrintedPdf, PrintError> {
    if sheet.to < sheet.from {
        return Err(PrintError::PeriodReversed { from: sheet.from, to: sheet.to });
    }
    let t = t();
    let mut doc = Document::new(Orientation::Landscape, header(t, sheet, rows.len()))?;
    let columns = columns(t, sheet.kind);
    let cells: Vec<Vec<String>> =
        rows.iter().map(|row| columns.iter().map(|(_, cell)| cell(t, sheet, row)).collect()).collect();
    // 议定价格 and 收费金额 carried page by page (本页小计 / 承前页).
    let money_columns = |heading: &str| columns.iter().position(|(c, _)| c.heading == heading);
    let carry = Carry {
        label_column: 0,
        columns: [t.col_price, t.col_collected].into_iter().filter_map(money_columns).collect(),
    };
    let amounts: Vec<Vec<Money>> = rows
        .iter()
        .map(|r| vec![r.price.unwrap_or(Money::ZERO), r.collected.as_ref().map_or(Money::ZERO, |(m, _)| *m)])
        .collect();
    let table = Table {
        style: TABLE_STYLE,
        empty_note: t.print_no_rows.to_string(),
        carry: Some(carry),
        ..Table::new(columns.into_iter().map(|(column, _)| column).collect())
    };
    let total = rows.iter().filter_map(|r| r.collected.as_ref().map(|(m, _)| m.fen())).sum::<i64>();
    let total = Money::from_fen(total).map(|m| m.to_string()).unwrap_or_default();
    let total = fill(t.print_collected_total, &[("amount", &total)]);
    let signatures = signatures(t, sheet.purpose);
    doc.ledger_with_foot(&table, &cells, &amounts, |doc| {
        doc.paragraph(&total, FOOT_STYLE, Align::Right);
        doc.gap(4.0);
        doc.signatures(&signatures, FOOT_STYLE);
    })?;
    Ok(doc.finish())
}

/// Who signs at the foot: the ledger's 制表人 and 审核人, or both desks on
/// the repair copy (R-FU-5).
fn signatures(t: &Texts, purpose: SheetPurpose) -> Vec<String> {
    let label = |word: &str| fill(t.form_label, &[("label", &word)]);
    match purpose {
        SheetPurpose::Register => vec![t.print_prepared_by.to_string(), t.print_checked_by.to_string()],
        SheetPurpose::RepairCopy => [t.form_copy_handed_over_by, t.form_copy_received_by, t.form_time]
            .into_iter()
            .map(label)
            .collect(),
    }
}

fn header(t: &Texts, sheet: &RegisterSheet<'_>, count: usize) -> PageHeader {
    let day = day_text;
    let period = if sheet.from == sheet.to {
        fill(t.print_day, &[("date", &day(sheet.from))])
    } else {
        fill(t.print_period, &[("from", &day(sheet.from)), ("to", &day(sheet.to))])
    };
    let desk = fill(t.print_desk, &[("desk", &t.desk(sheet.kind.owner()))]);
    let count = fill(t.rows_count, &[("n", &count)]);
    PageHeader {
        office: sheet.office.to_string(),
        title: match sheet.purpose {
            SheetPurpose::Register => t.register_title(sheet.kind).to_string(),
            SheetPurpose::RepairCopy => t.form_repair_copy_title.to_string(),
        },
        subtitle: [period, desk, count].join("　　"),
        printed_at: sheet.printed_at,
    }
}

/// What one cell of a row says.
type Cell = fn(&Texts, &RegisterSheet<'_>, &Request) -> String;

/// The columns of `kind`'s register, each with the cell it prints. Widths
/// are what the contents need at 9 pt over two lines — a running number
/// broken after its year (`WX-2026-` / `002959`), a day over its time, a
/// room of 3栋2单元 over 1802, a name of three characters, a phone on one
/// line — so that most rows take two lines; the free text columns share
/// what is left of the page and wrap as far as they need.
fn columns(t: &'static Texts, kind: RegisterKind) -> Vec<(Column, Cell)> {
    let mut columns: Vec<(Column, Cell)> = vec![
        (Column::new(t.col_no, 17.0).centre(), |_, _, r| r.no.to_string()),
        (Column::new(t.col_received_at, 11.0).centre(), |_, s, r| when(s, r.received_at)),
        (Column::new(t.col_received_by, 12.0).centre(), |_, _, r| r.received_by.clone()),
        (Column::new(t.col_room, 17.0), |_, _, r| r.room.clone()),
        (Column::new(t.field_resident, 12.0).centre(), |_, _, r| r.resident_name.clone()),
        (Column::new(t.col_phone, 20.0).centre().shrunk(), |_, s, r| phone(s, &r.phone)),
        (Column::new(t.col_service, 13.5), |_, _, r| r.service.clone()),
    ];
    match kind {
        RegisterKind::Repair => columns.push((Column::new(t.col_urgency, 12.0).centre(), |t, _, r| {
            r.urgency.map(|u| t.urgency(u).to_string()).unwrap_or_default()
        })),
        RegisterKind::Alarm => columns.push((Column::new(t.col_alarm_work, 9.0).centre(), |t, _, r| {
            r.alarm_work.map(|a| t.alarm_work(a).to_string()).unwrap_or_default()
        })),
        RegisterKind::Housekeeping => {}
    }
    columns.extend::<[(Column, Cell); 8]>([
        (Column::new(t.col_details, 20.0).grow(1.0), |_, _, r| r.details.clone()),
        (Column::new(t.col_appointment, 11.0).centre(), |_, s, r| when(s, r.appointment)),
        (Column::new(t.col_staff, 12.0).centre(), |_, _, r| {
            r.assigned_staff.as_ref().map(|(_, name)| name.clone()).unwrap_or_default()
        }),
        (Column::new(t.col_price, 15.5).right().shrunk(), |_, _, r| {
            r.price.map(|p| p.to_string()).unwrap_or_default()
        }),
        (Column::new(t.col_status, 12.0).centre(), |t, _, r| t.status(r.status).to_string()),
        (Column::new(t.col_signed_off, 12.0).centre(), |_, s, r| {
            r.signed_off.as_ref().map(|(name, at)| format!("{name}\n{}", day(s, *at))).unwrap_or_default()
        }),
        (Column::new(t.col_collected, 17.0).right().shrunk(), |_, _, r| {
            r.collected.as_ref().map(|(amount, by)| format!("{amount}\n{by}")).unwrap_or_default()
        }),
        (Column::new(t.col_settled, 11.0).centre(), |_, s, r| {
            r.settled_at.map(|at| when(s, at)).unwrap_or_default()
        }),
    ]);
    if kind == RegisterKind::Repair {
        columns.push((Column::new(t.col_follow_up, 14.0).grow(1.0), |_, _, r| {
            r.follow_up.clone().unwrap_or_default()
        }));
    }
    columns.push((Column::new(t.col_notes, 10.0).grow(1.0), |t, _, r| register_notes(t, r)));
    columns
}

/// `03-02` when the period lies in one year (the header gives the year);
/// `2026-03-02` otherwise.
fn day(sheet: &RegisterSheet<'_>, at: NaiveDateTime) -> String {
    let one_year = sheet.from.year() == sheet.to.year() && at.year() == sheet.from.year();
    let format = if one_year { "%m-%d" } else { "%Y-%m-%d" };
    at.format(format).to_string()
}

/// The day over the time: `03-02` / `10:00`.
fn when(sheet: &RegisterSheet<'_>, at: NaiveDateTime) -> String {
    format!("{}\n{}", day(sheet, at), at.format("%H:%M"))
}

fn phone(sheet: &RegisterSheet<'_>, phone: &str) -> String {
    match sheet.phones {
        PhoneDisplay::Masked => mask_phone(phone),
        PhoneDisplay::Full => phone.to_string(),
    }
}

/// 备注: the clerk's notes, then what else the paper row would carry: the
/// reason for an early appointment (R-IN-3), the price review (R-FEE-4), and
/// whom the control center heard a relayed repair from and the other row
/// of the relay — the note's repair, the repair's note (R-DESK-3). The
/// Excel export writes the same words.
pub fn register_notes(t: &Texts, r: &Request) -> String {
    let mut parts = vec![r.notes.trim().to_string()];
    if !r.slack_reason.trim().is_empty() {
        parts.push(fill(t.print_slack_reason, &[("reason", &r.slack_reason.trim())]));
    }
    if let Some(review) = &r.review {
        parts.push(fill(
            t.print_review,
            &[("conclusion", &review.conclusion), ("reviewer", &review.reviewer)],
        ));
    }
    if let Some(name) = &r.relay_told {
        parts.push(fill(t.relayed_to, &[("name", name)]));
    }
    if let Some(other) = r.relay_link {
        parts.push(relay_link_text(t, r, other));
    }
    parts.retain(|p| !p.is_empty());
    parts.join("；")
}

/// The other row of a relay (R-DESK-3): 对应维修单 WX-… on the
/// note, 转报记录 JZ-… on the repair.
pub fn relay_link_text(t: &Texts, r: &Request, other: RunningNo) -> String {
    let template = if r.relay_of.is_some() { t.relay_note_of } else { t.relay_repair_of };
    fill(template, &[("no", &other)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_masked_in_the_middle() {
        assert_eq!(mask_phone("13812348000"), "138****8000");
        assert_eq!(mask_phone("0755-12345678"), "075****5678");
        assert_eq!(mask_phone("12345"), "***45");
        assert_eq!(mask_phone(""), "");
    }

    #[test]
    fn a_reversed_period_is_refused() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        let sheet = RegisterSheet {
            office: "翠苑管理处",
            kind: RegisterKind::Repair,
            from: day(3),
            to: day(2),
            phones: PhoneDisplay::Masked,
            printed_at: day(3).and_hms_opt(9, 0, 0).unwrap(),
            purpose: SheetPurpose::Register,
        };
        assert_eq!(register_sheet(&sheet, &[]), Err(PrintError::PeriodReversed { from: day(3), to: day(2) }));
    }
}
