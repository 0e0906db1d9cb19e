//! The forms attached to a 居家服务协议书 (its 第十条), one A4 page each,
//! headed as the agreement is: the 变更书 (a signed agreement is never edited
//! in place: a ruled table of what changes), the 续订书 (a new term and price,
//! in figures and capital numerals, R-FEE-5), and the 提前终止服务通知书 —
//! the written notice the office owes the resident when it stops a
//! long-term service early (R-AG-3, the agreement's 第七条), with a line for
//! the resident to sign for it.
//!
//! Must not: read the database, the clock or files; decide whether a change,
//! a renewal or a notice is allowed (the domain does).

use chrono::{NaiveDate, NaiveDateTime};

use super::agreement::{
    BODY_STYLE, FIELD_STYLE, OfficeParty, ResidentParty, SIGNING_ROW_GAP_MM, amount, check_term, header,
    items, parties_brief, price, signatures, term,
};
use super::when::{date_runs, date_text};
use super::{Align, Column, Document, Field, Orientation, PrintError, PrintedPdf, Prose, Table, TextStyle};
use crate::domain::{Money, PriceBasis};
use crate::i18n::{Texts, fill, t};

/// The table of changes: a little smaller than the prose, rows tall enough
/// to read.
const TABLE_STYLE: TextStyle = TextStyle::regular(10.0);
const TABLE_ROW_MM: f32 = 9.0;
/// Space between the blocks of a one-page form.
const BLOCK_GAP_MM: f32 = 3.0;
/// Space above the office's signature on the notice, and above the receipt.
const SIGN_GAP_MM: f32 = 8.0;

/// A change to a signed agreement (变更书), the `seq`-th.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmendmentDoc {
    pub agreement_no: String,
    pub seq: u32,
    pub office: OfficeParty,
    pub resident: ResidentParty,
    /// Each change: the clause or item (条款/项目), what was agreed (原约定),
    /// and what it becomes (变更为).
    pub changes: Vec<(String, String, String)>,
    pub reason: String,
    pub effective_on: NaiveDate,
}

/// A renewal (续订书): the agreement `agreement_no` continued as `new_no`
/// for a new term and price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenewalDoc {
    pub agreement_no: String,
    pub new_no: String,
    pub office: OfficeParty,
    pub resident: ResidentParty,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub price: Money,
    pub basis: PriceBasis,
    /// Anything else agreed; empty: nothing.
    pub other_terms: String,
}

/// The office's written notice that it stops a service early (R-AG-3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminationNotice {
    pub agreement_no: String,
    pub office: OfficeParty,
    pub resident: ResidentParty,
    /// The end of the term as agreed.
    pub term_end: NaiveDate,
    /// The day the service ends.
    pub stop_on: NaiveDate,
    /// The day of the notice, under the office's signature.
    pub notice_on: NaiveDate,
    pub reason: String,
    /// Fees paid ahead for service not given, paid back.
    pub refund: Option<Money>,
}

/// 居家服务协议变更书: the changes in a ruled table, the reason, the day they
/// take effect, both signatures.
pub fn agreement_amendment(doc: &AmendmentDoc, printed_at: NaiveDateTime) -> Result<PrintedPdf, PrintError> {
    let t = t();
    let mut pdf =
        Document::contract(Orientation::Portrait, header(&doc.office, t.ag_amendment_title, "", printed_at))?;
    let reference = fill(t.ag_amendment_ref, &[("no", &doc.agreement_no), ("seq", &doc.seq)]);
    opening(&mut pdf, t, &reference, (&doc.office, &doc.resident));
    pdf.prose(&Prose::indented(fill(t.ag_amendment_intro, &[("no", &doc.agreement_no)]), BODY_STYLE));
    pdf.prose(&Prose::Gap(BLOCK_GAP_MM));
    pdf.table(&changes_table(t), &change_rows(&doc.changes))?;
    let effective = date_text(Some(doc.effective_on));
    let terms = [
        fill(t.ag_amendment_reason, &[("reason", &doc.reason.trim())]),
        fill(t.ag_amendment_effective, &[("date", &effective)]),
        t.ag_amendment_copies.to_string(),
    ];
    items(t, &terms).iter().for_each(|item| pdf.prose(item));
    signatures(&mut pdf, t, &doc.office, None);
    Ok(pdf.finish())
}

/// 序号, 条款/项目, 原约定, 变更为; the last two share the width left.
fn changes_table(t: &Texts) -> Table {
    let columns = vec![
        Column::new(t.form_serial, 12.0).centre(),
        Column::new(t.ag_col_clause, 34.0),
        Column::new(t.ag_col_before, 50.0).grow(1.0),
        Column::new(t.ag_col_after, 50.0).grow(1.0),
    ];
    Table {
        style: TABLE_STYLE,
        max_lines: 8,
        min_row_mm: TABLE_ROW_MM,
        empty_note: t.ag_amendment_empty.to_string(),
        ..Table::new(columns)
    }
}

fn change_rows(changes: &[(String, String, String)]) -> Vec<Vec<String>> {
    changes
        .iter()
        .enumerate()
        .map(|(n, (clause, before, after))| {
            vec![(n + 1).to_string(), clause.clone(), before.clone(), after.clone()]
        })
        .collect()
}

/// 居家服务协议续订书: the new term and price (figures and capitals,
/// R-FEE-5), anything else agreed, both signatures. Refuses a term that
/// ends before it starts.
pub fn agreement_renewal(doc: &RenewalDoc, printed_at: NaiveDateTime) -> Result<PrintedPdf, PrintError> {
    check_term(doc.term_start, doc.term_end)?;
    let t = t();
    let mut pdf =
        Document::contract(Orientation::Portrait, header(&doc.office, t.ag_renewal_title, "", printed_at))?;
    let reference = fill(t.ag_renewal_ref, &[("no", &doc.agreement_no), ("new_no", &doc.new_no)]);
    opening(&mut pdf, t, &reference, (&doc.office, &doc.resident));
    pdf.prose(&Prose::indented(fill(t.ag_renewal_intro, &[("no", &doc.agreement_no)]), BODY_STYLE));
    let mut terms =
        vec![term(t.ag_renewal_term, doc.term_start, doc.term_end), price(t, doc.price, doc.basis)];
    if !doc.other_terms.trim().is_empty() {
        terms.push(fill(t.ag_renewal_other, &[("terms", &doc.other_terms.trim())]));
    }
    terms.push(t.ag_renewal_unchanged.to_string());
    terms.push(fill(t.ag_renewal_copies, &[("new_no", &doc.new_no)]));
    items(t, &terms).iter().for_each(|item| pdf.prose(item));
    signatures(&mut pdf, t, &doc.office, None);
    Ok(pdf.finish())
}

/// 提前终止服务通知书 (R-AG-3): addressed to 甲方, it names the agreement,
/// the reason, the day service stops and any refund (figures and capitals,
/// R-FEE-5), says it is the written notice of the agreement's 第七条, and
/// carries the office's signature and date and a line for 甲方 to sign for it.
pub fn termination_notice(
    doc: &TerminationNotice,
    printed_at: NaiveDateTime,
) -> Result<PrintedPdf, PrintError> {
    let t = t();
    let mut pdf =
        Document::contract(Orientation::Portrait, header(&doc.office, t.ag_notice_title, "", printed_at))?;
    pdf.prose(&Prose::aligned(fill(t.ag_no, &[("no", &doc.agreement_no)]), BODY_STYLE, Align::Right));
    pdf.prose(&Prose::Gap(BLOCK_GAP_MM));
    let to = fill(t.ag_notice_to, &[("name", &doc.resident.name), ("room", &doc.resident.room)]);
    pdf.prose(&Prose::paragraph(to, BODY_STYLE));
    let term_end = date_text(Some(doc.term_end));
    let body = fill(t.ag_notice_body, &[("no", &doc.agreement_no), ("term_end", &term_end)]);
    pdf.prose(&Prose::indented(body, BODY_STYLE));
    items(t, &notice_terms(t, doc)).iter().for_each(|item| pdf.prose(item));
    pdf.prose(&Prose::indented(fill(t.ag_notice_contact, &[("phone", &doc.office.phone)]), BODY_STYLE));
    notice_signatures(&mut pdf, t, doc);
    Ok(pdf.finish())
}

/// The reason, the day service stops, the refund (or that there is none),
/// and that this is the written notice.
fn notice_terms(t: &Texts, doc: &TerminationNotice) -> Vec<String> {
    let refund = match doc.refund.filter(|m| !m.is_zero()) {
        Some(refund) => fill(t.ag_notice_refund, &[("amount", &amount(t, refund))]),
        None => t.ag_notice_no_refund.to_string(),
    };
    vec![
        fill(t.ag_notice_reason, &[("reason", &doc.reason.trim())]),
        fill(t.ag_notice_stop, &[("stop_on", &date_text(Some(doc.stop_on)))]),
        refund,
        t.ag_notice_written.to_string(),
    ]
}

/// The office signs at the right, dated the day of the notice; 甲方 signs
/// for it below. Kept together.
fn notice_signatures(pdf: &mut Document, t: &Texts, doc: &TerminationNotice) {
    let line = |fields: Vec<Field>| Prose::fields(fields, FIELD_STYLE);
    let date_label = fill(t.form_label, &[("label", &t.form_date_label)]);
    pdf.keep_together(&[
        Prose::Gap(SIGN_GAP_MM),
        line(vec![Field::Empty, Field::line(t.ag_sign_office, &doc.office.name)]),
        Prose::Gap(SIGNING_ROW_GAP_MM),
        line(vec![Field::Empty, Field::line(t.ag_sign_manager, "")]),
        Prose::Gap(SIGNING_ROW_GAP_MM),
        line(vec![Field::Empty, Field::runs(date_label, date_runs(Some(doc.notice_on)))]),
        Prose::Gap(SIGN_GAP_MM),
        line(vec![
            Field::line(t.ag_notice_received, ""),
            Field::runs(t.ag_notice_received_on, date_runs(None)),
        ]),
    ]);
}

/// The reference to the agreement at the right, then the parties.
fn opening(
    pdf: &mut Document,
    t: &Texts,
    reference: &str,
    (office, resident): (&OfficeParty, &ResidentParty),
) {
    pdf.prose(&Prose::aligned(reference, BODY_STYLE, Align::Right));
    pdf.prose(&Prose::Gap(BLOCK_GAP_MM));
    parties_brief(t, office, resident).iter().for_each(|line| pdf.prose(line));
    pdf.prose(&Prose::Gap(BLOCK_GAP_MM));
}
