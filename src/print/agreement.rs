//! 居家服务协议书 (R-AG-2): the agreement the office manager and the resident
//! sign for long-term fixed service. Several A4 portrait pages headed like a
//! contract (the office's name over a rule, 第 N 页 共 M 页 at the foot):
//! the title and number, both parties, a preamble, then ten numbered
//! clauses after the national household-service model contract
//! (家政服务合同示范文本) — service, time and term, staff, fees (every
//! amount in figures and capital numerals, R-FEE-5), each side's rights and
//! duties, change and early termination (the written notice of R-AG-3),
//! breach, disputes, copies and effect — and the signature block, kept whole
//! on its last page. A draft (not yet signed) says so on every page.
//!
//! Also what the attached forms share ([`super::agreement_forms`]): the
//! parties, the header, amounts, items and signature lines.
//!
//! Must not: read the database, the clock or files; check the agreement's
//! rules (the domain does). The words come from `i18n`.

use chrono::{NaiveDate, NaiveDateTime};

use super::when::{date_runs, date_text};
use super::{Align, Document, Field, Orientation, PageHeader, PrintError, PrintedPdf, Prose, TextStyle};
use crate::domain::{Money, PriceBasis};
use crate::i18n::{Texts, fill, t};

/// Clause text: 五号 (10.5 pt), the size of Chinese contracts.
pub(super) const BODY_STYLE: TextStyle = TextStyle::regular(10.5);
/// A clause's heading (第一条 …).
const CLAUSE_STYLE: TextStyle = TextStyle::bold(11.0);
/// The parties' and the signatures' fill-in lines.
pub(super) const FIELD_STYLE: TextStyle = TextStyle::regular(10.5);
/// Space before a clause's heading, and before the signature block.
const CLAUSE_GAP_MM: f32 = 2.5;
const SIGNATURE_GAP_MM: f32 = 10.0;
/// Space between the signature lines: room for a hand and a seal.
pub(super) const SIGNING_ROW_GAP_MM: f32 = 3.0;

/// The office, 乙方 of every agreement.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OfficeParty {
    pub name: String,
    pub address: String,
    /// The person in charge (负责人), usually the office manager.
    pub manager: String,
    /// The service phone residents call.
    pub phone: String,
}

/// The resident, 甲方.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResidentParty {
    pub name: String,
    pub room: String,
    pub phone: String,
}

/// One agreement as it is printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementDoc {
    /// 协议编号, e.g. `XY-2026-0012`.
    pub no: String,
    /// 乙方.
    pub office: OfficeParty,
    /// 甲方.
    pub resident: ResidentParty,
    /// Service content and scope.
    pub service: String,
    /// Place of service, usually the room.
    pub place: String,
    /// The area served in whole ㎡, printed for an item priced by the ㎡.
    pub area_m2: Option<u32>,
    /// 服务对象: the person(s) served.
    pub persons_served: String,
    /// Special requirements; empty prints 无.
    pub requirements: String,
    /// Already worded, e.g. `每周一、三、五 09:00–11:00`.
    pub schedule: String,
    pub visits_per_month: Option<u32>,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    /// The named staff (R-AG-2).
    pub staff: Vec<String>,
    pub price: Money,
    pub basis: PriceBasis,
    /// e.g. `每月5日前以现金或转账方式支付上月费用`.
    pub payment_terms: String,
    /// `None`: a draft, marked 草稿 on every page.
    pub signed_on: Option<NaiveDate>,
    /// The earlier agreement's number, for a renewed one.
    pub renewal_of: Option<String>,
    /// `Some`: the text with its amendments worked in, titled apart and
    /// not for signing; `None`: the agreement as it is (or was) signed.
    pub consolidated: Option<Consolidation>,
}

/// What a consolidated text (协议书（含第N次变更）) says of its making.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consolidation {
    /// Each amendment worked in, oldest first: its number, the day it took
    /// effect, and the terms it changed (already worded).
    pub amendments: Vec<(u32, NaiveDate, String)>,
}

/// A clause: its heading and its items, numbered unless there is one.
struct Clause {
    heading: &'static str,
    items: Vec<String>,
}

/// The agreement, ready to sign. Refuses a term that ends before it starts.
pub fn service_agreement(doc: &AgreementDoc, printed_at: NaiveDateTime) -> Result<PrintedPdf, PrintError> {
    check_term(doc.term_start, doc.term_end)?;
    let t = t();
    let draft = if doc.signed_on.is_none() { t.ag_draft } else { "" };
    let title = match &doc.consolidated {
        Some(c) => fill(t.ag_title_consolidated, &[("n", &c.amendments.last().map_or(0, |a| a.0))]),
        None => t.ag_title.to_string(),
    };
    let mut pdf = Document::contract(Orientation::Portrait, header(&doc.office, &title, draft, printed_at))?;
    if doc.signed_on.is_none() {
        pdf.stamp(t.ag_draft_mark);
    }
    cover(&mut pdf, t, doc);
    for clause in clauses(t, doc) {
        put_clause(&mut pdf, t, &clause);
    }
    pdf.prose(&Prose::aligned(t.ag_no_more_text, BODY_STYLE, Align::Centre));
    match &doc.consolidated {
        // Not signed itself: the signatures are on the agreement and each amendment.
        Some(_) => {
            let signed = fill(t.ag_consolidated_signed, &[("date", &date_text(doc.signed_on))]);
            pdf.keep_together(&[Prose::Gap(SIGNING_ROW_GAP_MM), Prose::paragraph(signed, BODY_STYLE)]);
        }
        None => signatures(&mut pdf, t, &doc.office, doc.signed_on),
    }
    Ok(pdf.finish())
}

/// A consolidated text says what it is and which amendments it holds,
/// under its number and before the parties.
fn consolidation(pdf: &mut Document, t: &Texts, no: &str, c: &Consolidation) {
    pdf.prose(&Prose::Gap(2.0));
    pdf.prose(&Prose::indented(fill(t.ag_consolidated_note, &[("no", &no)]), BODY_STYLE));
    let lines: Vec<String> = c
        .amendments
        .iter()
        .map(|(n, on, fields)| {
            fill(
                t.ag_consolidated_amendment,
                &[("n", n), ("date", &date_text(Some(*on))), ("fields", fields)],
            )
        })
        .collect();
    items(t, &lines).iter().for_each(|item| pdf.prose(item));
}

/// Refuses a period that ends before it starts.
pub(super) fn check_term(start: NaiveDate, end: NaiveDate) -> Result<(), PrintError> {
    if end < start {
        return Err(PrintError::PeriodReversed { from: start, to: end });
    }
    Ok(())
}

/// The office's name on every page; `subtitle` under it (草稿 for a draft).
pub(super) fn header(
    office: &OfficeParty,
    title: &str,
    subtitle: &str,
    printed_at: NaiveDateTime,
) -> PageHeader {
    PageHeader {
        office: office.name.clone(),
        title: title.to_string(),
        subtitle: subtitle.to_string(),
        printed_at,
    }
}

/// The number at the right, the renewed agreement's under it, both
/// parties, and the preamble.
fn cover(pdf: &mut Document, t: &Texts, doc: &AgreementDoc) {
    pdf.prose(&Prose::aligned(fill(t.ag_no, &[("no", &doc.no)]), BODY_STYLE, Align::Right));
    if let Some(earlier) = &doc.renewal_of {
        pdf.prose(&Prose::aligned(fill(t.ag_renewal_of, &[("no", earlier)]), BODY_STYLE, Align::Right));
    }
    if let Some(c) = &doc.consolidated {
        consolidation(pdf, t, &doc.no, c);
    }
    pdf.prose(&Prose::Gap(2.0));
    for line in parties(t, &doc.office, &doc.resident) {
        pdf.prose(&line);
    }
    pdf.prose(&Prose::Gap(3.0));
    pdf.prose(&Prose::indented(t.ag_preamble, BODY_STYLE));
}

/// 甲方 (name; room and phone) above 乙方 (name; address; manager and phone).
fn parties(t: &Texts, office: &OfficeParty, resident: &ResidentParty) -> Vec<Prose> {
    let line = |fields: Vec<Field>| Prose::fields(fields, FIELD_STYLE);
    vec![
        line(vec![Field::line(t.ag_party_resident, &resident.name)]),
        line(vec![
            Field::line(t.ag_resident_room, &resident.room),
            Field::line(t.ag_resident_phone, &resident.phone),
        ]),
        Prose::Gap(1.5),
        line(vec![Field::line(t.ag_party_office, &office.name)]),
        line(vec![Field::line(t.ag_office_address, &office.address)]),
        line(vec![
            Field::line(t.ag_office_manager, &office.manager),
            Field::line(t.ag_office_phone, &office.phone),
        ]),
    ]
}

/// The one-line parties of an attached form: 甲方 and room, 乙方 and its manager.
pub(super) fn parties_brief(t: &Texts, office: &OfficeParty, resident: &ResidentParty) -> Vec<Prose> {
    let line = |fields: Vec<Field>| Prose::fields(fields, FIELD_STYLE);
    vec![
        line(vec![
            Field::line(t.ag_party_resident, &resident.name),
            Field::line(t.ag_resident_room, &resident.room),
        ]),
        line(vec![
            Field::line(t.ag_party_office, &office.name),
            Field::line(t.ag_office_manager, &office.manager),
        ]),
    ]
}

/// The heading kept with its first item (never alone at a page's foot);
/// the items after it flow, each whole.
fn put_clause(pdf: &mut Document, t: &Texts, clause: &Clause) {
    let mut items = items(t, &clause.items).into_iter();
    let mut block = vec![Prose::Gap(CLAUSE_GAP_MM), Prose::paragraph(clause.heading, CLAUSE_STYLE)];
    block.extend(items.next());
    pdf.keep_together(&block);
    items.for_each(|item| pdf.prose(&item));
}

/// Items numbered `1．` `2．` …; a lone item is a paragraph of its own.
pub(super) fn items(t: &Texts, texts: &[String]) -> Vec<Prose> {
    if let [only] = texts {
        return vec![Prose::indented(only.clone(), BODY_STYLE)];
    }
    texts
        .iter()
        .enumerate()
        .map(|(n, text)| Prose::item(fill(t.ag_item_no, &[("n", &(n + 1))]), text.clone(), BODY_STYLE))
        .collect()
}

fn clauses(t: &Texts, doc: &AgreementDoc) -> Vec<Clause> {
    let fixed =
        |heading, items: &[&str]| Clause { heading, items: items.iter().map(|s| s.to_string()).collect() };
    vec![
        service_clause(t, doc),
        time_clause(t, doc),
        staff_clause(t, &doc.staff),
        fee_clause(t, doc),
        fixed(t.ag_c5, &[t.ag_c5_1, t.ag_c5_2, t.ag_c5_3, t.ag_c5_4, t.ag_c5_5]),
        fixed(t.ag_c6, &[t.ag_c6_1, t.ag_c6_2, t.ag_c6_3, t.ag_c6_4, t.ag_c6_5]),
        // R-AG-3: the office stops early only by written notice (item 2).
        fixed(t.ag_c7, &[t.ag_c7_1, t.ag_c7_2, t.ag_c7_3, t.ag_c7_4, t.ag_c7_5]),
        fixed(t.ag_c8, &[t.ag_c8_1, t.ag_c8_2, t.ag_c8_3, t.ag_c8_4, t.ag_c8_5]),
        fixed(t.ag_c9, &[t.ag_c9_text]),
        fixed(t.ag_c10, &[t.ag_c10_1, t.ag_c10_2, t.ag_c10_3]),
    ]
}

/// `text`, or 无 when nothing was agreed.
fn or_none<'a>(t: &'a Texts, text: &'a str) -> &'a str {
    if text.trim().is_empty() { t.ag_none } else { text.trim() }
}

/// 第一条: what, where, for whom, and how.
fn service_clause(t: &Texts, doc: &AgreementDoc) -> Clause {
    let mut items = vec![
        fill(t.ag_c1_service, &[("service", &or_none(t, &doc.service))]),
        fill(t.ag_c1_place, &[("place", &or_none(t, &doc.place))]),
    ];
    if let Some(m2) = doc.area_m2 {
        items.push(fill(t.ag_c1_area, &[("area", &fill(t.area_value, &[("m2", &m2)]))]));
    }
    items.extend([
        fill(t.ag_c1_persons, &[("persons", &or_none(t, &doc.persons_served))]),
        fill(t.ag_c1_requirements, &[("requirements", &or_none(t, &doc.requirements))]),
        t.ag_c1_standard.to_string(),
    ]);
    Clause { heading: t.ag_c1, items }
}

/// 第二条: the schedule (and visits a month) and the term.
fn time_clause(t: &Texts, doc: &AgreementDoc) -> Clause {
    let mut schedule = fill(t.ag_c2_schedule, &[("schedule", &or_none(t, &doc.schedule))]);
    if let Some(n) = doc.visits_per_month {
        schedule.push_str(&fill(t.ag_c2_visits, &[("n", &n)]));
    }
    let items =
        vec![schedule, term(t.ag_c2_term, doc.term_start, doc.term_end), t.ag_c2_holidays.to_string()];
    Clause { heading: t.ag_c2, items }
}

/// 自 2026年3月1日 起至 2026年8月31日 止 in `template`.
pub(super) fn term(template: &str, start: NaiveDate, end: NaiveDate) -> String {
    fill(template, &[("start", &date_text(Some(start))), ("end", &date_text(Some(end)))])
}

/// 第三条: the named staff (R-AG-2); a change of staff is agreed in writing.
fn staff_clause(t: &Texts, staff: &[String]) -> Clause {
    let names: Vec<&str> = staff.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
    let named = match names.as_slice() {
        [] => t.ag_c3_staff_later.to_string(),
        names => fill(t.ag_c3_staff, &[("staff", &names.join(t.list_sep))]),
    };
    Clause { heading: t.ag_c3, items: vec![named, t.ag_c3_fit.to_string(), t.ag_c3_replace.to_string()] }
}

/// 第四条: the price, the month's estimate for a price per visit, and how
/// it is paid; every amount in figures and capitals (R-FEE-5).
fn fee_clause(t: &Texts, doc: &AgreementDoc) -> Clause {
    let mut items = vec![price(t, doc.price, doc.basis)];
    if let Some(estimate) = monthly_estimate(doc) {
        let n = doc.visits_per_month.unwrap_or_default();
        items.push(fill(t.ag_c4_estimate, &[("n", &n), ("amount", &amount(t, estimate))]));
    }
    items.push(fill(t.ag_c4_payment, &[("terms", &or_none(t, &doc.payment_terms))]));
    items.push(t.ag_c4_scope.to_string());
    items.push(t.ag_c4_receipt.to_string());
    Clause { heading: t.ag_c4, items }
}

/// A price per visit times the visits a month, in whole fen; none for a
/// monthly price, or a sum beyond what `Money` holds (printed nowhere
/// rather than wrong).
fn monthly_estimate(doc: &AgreementDoc) -> Option<Money> {
    let visits = doc.visits_per_month.filter(|n| *n > 0)?;
    match doc.basis {
        PriceBasis::PerMonth => None,
        PriceBasis::PerVisit => doc.price.fen().checked_mul(i64::from(visits)).and_then(Money::from_fen),
    }
}

/// 服务费用：每次人民币 ¥1,280.00（大写：壹仟贰佰捌拾元整）。
pub(super) fn price(t: &Texts, price: Money, basis: PriceBasis) -> String {
    let template = match basis {
        PriceBasis::PerVisit => t.ag_c4_per_visit,
        PriceBasis::PerMonth => t.ag_c4_per_month,
    };
    fill(template, &[("amount", &amount(t, price))])
}

/// 人民币 ¥1,280.00（大写：壹仟贰佰捌拾元整）: figures and capitals (R-FEE-5).
pub(super) fn amount(t: &Texts, money: Money) -> String {
    fill(t.ag_amount, &[("figures", &money), ("capitals", &crate::i18n::amount_words(money))])
}

/// 甲方（签字） and 乙方（盖章） side by side, 管理处经理（签字） under 乙方,
/// a date under each; kept together on one page. The dates are the
/// signing day once known, else blanks to write on.
pub(super) fn signatures(pdf: &mut Document, t: &Texts, office: &OfficeParty, signed_on: Option<NaiveDate>) {
    let line = |fields: Vec<Field>| Prose::fields(fields, FIELD_STYLE);
    let date = || Field::runs(fill(t.form_label, &[("label", &t.form_date_label)]), date_runs(signed_on));
    pdf.keep_together(&[
        Prose::Gap(SIGNATURE_GAP_MM),
        line(vec![Field::line(t.ag_sign_resident, ""), Field::line(t.ag_sign_office, &office.name)]),
        Prose::Gap(SIGNING_ROW_GAP_MM),
        line(vec![Field::Empty, Field::line(t.ag_sign_manager, "")]),
        Prose::Gap(SIGNING_ROW_GAP_MM),
        line(vec![date(), date()]),
    ]);
}
