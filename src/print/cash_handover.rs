//! 现金交接单 (R-FEE-2): the fees a staff member collected in a day, handed
//! to finance before the day ends. One section per staff member, starting
//! on a new page and numbered on its own: the jobs and amounts, the total
//! in figures and in capital numerals (R-FEE-5), and 交款人 / 财务收款人
//! signing, the receiver's name and time printed once finance has received
//! it.

use chrono::{NaiveDate, NaiveDateTime};

use super::inline::Run;
use super::when::{datetime_runs, day_text};
use super::{Align, Column, Document, Orientation, PageHeader, PrintError, PrintedPdf, Table, TextStyle};
use crate::domain::Money;
use crate::i18n::{Texts, fill, t};

const TABLE_STYLE: TextStyle = TextStyle::regular(10.0);
const TOTAL_STYLE: TextStyle = TextStyle::regular(11.0);
const FOOT_STYLE: TextStyle = TextStyle::regular(11.0);
/// A name written by hand.
const NAME_MM: f32 = 32.0;

/// One staff member's cash for a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashHandover {
    pub staff: String,
    pub day: NaiveDate,
    pub lines: Vec<CashLine>,
    /// Who in finance received the cash, and when; `None` until then.
    pub received: Option<(String, NaiveDateTime)>,
}

/// One fee collected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashLine {
    /// The register row's running number.
    pub no: String,
    pub room: String,
    pub service: String,
    pub collected_at: NaiveDateTime,
    pub amount: Money,
}

/// One section per handover; with none, one page saying there is nothing
/// to hand over.
pub fn cash_handovers(
    office: &str,
    printed_at: NaiveDateTime,
    handovers: &[CashHandover],
) -> Result<PrintedPdf, PrintError> {
    let t = t();
    let header = |handover: Option<&CashHandover>| PageHeader {
        office: office.to_string(),
        title: t.form_cash_title.to_string(),
        subtitle: handover.map(|h| subtitle(t, h)).unwrap_or_default(),
        printed_at,
    };
    let mut doc = Document::new(Orientation::Portrait, header(handovers.first()))?;
    if handovers.is_empty() {
        doc.table(&table(t), &[])?;
    }
    for (n, handover) in handovers.iter().enumerate() {
        if n > 0 {
            doc.new_section(header(Some(handover)));
        }
        handover_body(&mut doc, t, handover)?;
    }
    Ok(doc.finish())
}

/// 交款人：王五　　日期：2026年3月2日　　共 3 笔
fn subtitle(t: &Texts, handover: &CashHandover) -> String {
    let day = day_text(handover.day);
    [
        fill(t.form_cash_payer, &[("name", &handover.staff)]),
        fill(t.print_day, &[("date", &day)]),
        fill(t.form_cash_count, &[("n", &handover.lines.len())]),
    ]
    .join("　　")
}

fn handover_body(doc: &mut Document, t: &Texts, handover: &CashHandover) -> Result<(), PrintError> {
    let rows: Vec<Vec<String>> =
        handover.lines.iter().enumerate().map(|(n, line)| cells(handover.day, n + 1, line)).collect();
    let (total, signatures) = (total(t, &handover.lines), signatures(t, handover));
    doc.table_with_foot(&table(t), &rows, |doc| {
        doc.paragraph(&total, TOTAL_STYLE, Align::Right);
        doc.gap(6.0);
        for line in &signatures {
            doc.inline(line, FOOT_STYLE, Align::Left);
        }
    })
}

/// 序号, 编号, 房号, 服务项目, 收费时间, 金额 (right-aligned).
fn table(t: &Texts) -> Table {
    let columns = vec![
        Column::new(t.form_serial, 10.0).centre(),
        Column::new(t.col_no, 32.0).centre().shrunk(),
        Column::new(t.col_room, 30.0).grow(1.0),
        Column::new(t.col_service, 30.0).grow(1.0),
        Column::new(t.form_collected_at, 24.0).centre(),
        Column::new(t.form_amount, 28.0).right().shrunk(),
    ];
    Table {
        style: TABLE_STYLE,
        empty_note: t.form_cash_empty.to_string(),
        min_row_mm: 7.0,
        ..Table::new(columns)
    }
}

fn cells(day: NaiveDate, serial: usize, line: &CashLine) -> Vec<String> {
    // The day is in the header; a fee from another day says which.
    let format = if line.collected_at.date() == day { "%H:%M" } else { "%m-%d %H:%M" };
    vec![
        serial.to_string(),
        line.no.clone(),
        line.room.clone(),
        line.service.clone(),
        line.collected_at.format(format).to_string(),
        line.amount.to_string(),
    ]
}

/// 合计：¥1,380.00　　大写：壹仟叁佰捌拾元整 (R-FEE-5). The sum is in whole
/// fen; an impossible one (beyond what `Money` holds) prints blank rather
/// than wrong.
fn total(t: &Texts, lines: &[CashLine]) -> String {
    let fen = lines.iter().try_fold(0i64, |sum, line| sum.checked_add(line.amount.fen()));
    let total = fen.and_then(Money::from_fen);
    let figures = total.map(|m| m.to_string()).unwrap_or_default();
    let capitals = total.map(crate::i18n::amount_words).unwrap_or_default();
    fill(t.form_cash_total, &[("figures", &figures), ("capitals", &capitals)])
}

/// 交款人 ____　财务收款人 ____ over 收款时间 ____年__月__日 __:__, finance's
/// part filled in once received.
fn signatures(t: &Texts, handover: &CashHandover) -> [Vec<Run>; 2] {
    let label = |word: &str| Run::text(fill(t.form_label, &[("label", &word)]));
    let (receiver, at) = match &handover.received {
        Some((name, at)) => (name.clone(), Some(*at)),
        None => (String::new(), None),
    };
    let names = vec![
        label(t.form_cash_paid_by),
        Run::blank("", NAME_MM),
        Run::text("　　　　"),
        label(t.form_cash_received_by),
        Run::blank(receiver, NAME_MM),
    ];
    let mut time = vec![label(t.form_cash_received_at)];
    time.extend(datetime_runs(at));
    [names, time]
}
