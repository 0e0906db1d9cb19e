//! Printing use cases: read what a form needs through the store, hand the
//! domain values to `print`, and return the PDF. Reads only; nothing is
//! written, so no transaction is opened.

use chrono::{NaiveDate, NaiveDateTime};

use super::{AppError, HomeDesk, Result};
use crate::domain::{
    Agreement, AgreementId, AgreementPaper, AgreementTerms, Amendment, Desk, Lane, LogContinuity,
    MonthlyReport, OfficeSettings, Opinion, PlanKind, PlanRow, PrintLanguage, Ratings, RegisterKind,
    ReportContent, ReportStatus, Request, RequestId, RequestStatus, RevisitPlan, RunningNo, ShoppingEntry,
    ShoppingState, SlipNo, SlipRecord, StaffId, check_slip_sheet, desk_registers, log_continuity,
    round_sheet_rows, shopping_no_text,
};
use crate::print::{
    AgreementDoc, AmendmentDoc, CashHandover, CashLine, Consolidation, MessageSlip, OfficeParty,
    PhoneDisplay, PrintedPdf, RegisterSheet, RenewalDoc, ReportDoc, ResidentParty, RevisitLine, RevisitSheet,
    RevisitSheetKind, RoundSheet, ServiceRecordForm, SheetPurpose, ShoppingForm, ShoppingLogRow,
    ShoppingLogSheet, SlipSheet, TerminationNotice, agreement_amendment, agreement_renewal, cash_handovers,
    message_slips, monthly_report, register_sheet, revisit_sheet, round_sheet, service_agreement,
    service_records, shopping_forms, shopping_log, termination_notice,
};
use crate::store::{RequestQuery, ShoppingQuery, SortColumn, StoreError};

/// Rows fetched per query: bounds the SQL `IN (…)` list.
const FETCH_CHUNK: usize = 500;

impl HomeDesk {
    /// The register `kind` for the days `from ..= to` (received on those
    /// days), in running-number order, as an A4 landscape PDF.
    pub fn print_register(
        &self,
        kind: RegisterKind,
        from: NaiveDate,
        to: NaiveDate,
        phones: PhoneDisplay,
    ) -> Result<PrintedPdf> {
        self.print_register_for(kind, from, to, phones, SheetPurpose::Register)
    }

    /// R-FU-5: the copy of `day`'s repair register the control center hands
    /// to the CS center, with phones in full: the CS center calls them back.
    pub fn print_repair_copy(&self, day: NaiveDate) -> Result<PrintedPdf> {
        self.print_register_for(RegisterKind::Repair, day, day, PhoneDisplay::Full, SheetPurpose::RepairCopy)
    }

    fn print_register_for(
        &self,
        kind: RegisterKind,
        from: NaiveDate,
        to: NaiveDate,
        phones: PhoneDisplay,
        purpose: SheetPurpose,
    ) -> Result<PrintedPdf> {
        let office = self.office_name()?;
        let rows = self.register_rows(kind, from, to)?;
        let sheet =
            RegisterSheet { office: &office, kind, from, to, phones, printed_at: self.now(), purpose };
        Ok(register_sheet(&sheet, &rows)?)
    }

    fn register_rows(&self, kind: RegisterKind, from: NaiveDate, to: NaiveDate) -> Result<Vec<Request>> {
        self.requests_matching(&register_period(kind, from, to))
    }

    /// Every row `query` finds, in its order (the Excel export passes the
    /// register tab's filters).
    pub(super) fn requests_matching(&self, query: &RequestQuery) -> Result<Vec<Request>> {
        let ids = self.store.query_request_ids(query)?;
        let mut rows = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(FETCH_CHUNK) {
            rows.extend(self.store.get_requests(chunk)?);
        }
        Ok(rows)
    }

    /// The language of the office's forms and exports (issue 22).
    pub fn print_language(&self) -> PrintLanguage {
        self.store.office().ok().flatten().map(|o| o.print).unwrap_or_default()
    }

    pub(super) fn office_name(&self) -> Result<String> {
        Ok(self.store.office()?.map(|o| o.name).unwrap_or_default())
    }

    /// Message slips with their stubs (R-FU-3), two to a sheet: the slips
    /// numbered `nos`, in that order. A slip carries the room, the visit, the
    /// service and the staff member; never the resident's name or phone.
    pub fn print_slips(&self, nos: &[SlipNo]) -> Result<PrintedPdf> {
        let mut slips = Vec::with_capacity(nos.len());
        for no in nos {
            slips.push(self.store.get_slip(*no)?.ok_or(StoreError::NotFound)?);
        }
        self.slips_pdf(&slips)
    }

    /// Every slip issued on the days `from ..= to`, blank ones included.
    pub fn print_slips_issued(&self, from: NaiveDate, to: NaiveDate) -> Result<PrintedPdf> {
        self.slips_pdf(&self.store.list_slips(from, to)?)
    }

    fn slips_pdf(&self, slips: &[SlipRecord]) -> Result<PrintedPdf> {
        let office = self.store.office()?.unwrap_or_default();
        check_slip_sheet(&office.phone)?;
        let sheet = SlipSheet { office: &office.name, desk_phone: &office.phone, printed_at: self.now() };
        let slips: Vec<MessageSlip> = slips
            .iter()
            .map(|s| MessageSlip {
                no: s.no.to_string(),
                room: s.room.clone(),
                visit_at: s.visit_at,
                service: s.service.clone(),
                staff: s.staff.clone(),
            })
            .collect();
        Ok(message_slips(&sheet, &slips)?)
    }

    /// The service record (居家服务情况记录表, R-EX-1) of each job, one page
    /// each: filled from the signed record once the job is done, blank to
    /// take along before.
    pub fn print_service_records(&self, ids: &[RequestId]) -> Result<PrintedPdf> {
        let rows = self.requests_in_order(ids)?;
        let records = self.store.service_records(ids)?;
        let forms: Vec<ServiceRecordForm> = rows
            .iter()
            .map(|row| {
                let blank = ServiceRecordForm::for_job(row);
                match records.get(&row.id) {
                    Some(record) => ServiceRecordForm {
                        arrived_at: Some(record.arrived_at),
                        finished_at: Some(record.finished_at),
                        work_done: record.work_done.clone(),
                        amount: row.collected.as_ref().map(|(m, _)| *m).or(row.price),
                        opinion: record.opinion,
                        comment: record.comment.clone(),
                        ..blank
                    },
                    None => blank,
                }
            })
            .collect();
        Ok(service_records(&self.office_name()?, self.now(), &forms)?)
    }

    /// The service records of `desk`'s jobs booked on `day` (not cancelled).
    pub fn print_service_records_of_day(&self, desk: Desk, day: NaiveDate) -> Result<PrintedPdf> {
        let ids = self.store.board_request_ids(&desk_registers(desk), day, self.now())?;
        let rows = self.requests_in_order(&ids)?;
        let booked: Vec<RequestId> = rows
            .iter()
            .filter(|r| r.appointment.date() == day)
            .filter(|r| !matches!(r.status, RequestStatus::Cancelled | RequestStatus::Relayed))
            .map(|r| r.id)
            .collect();
        self.print_service_records(&booked)
    }

    /// The round sheet (抄单表, R-DSP-1/2) of `kind`'s round at `round_at`:
    /// the orders copied at it, as their dispatch steps tell (a past round
    /// reprints as it was), and, until the next round begins, those still
    /// waiting to be copied; with a column for the copier to sign.
    pub fn print_round(&self, kind: RegisterKind, round_at: NaiveDateTime) -> Result<PrintedPdf> {
        let copies = self.store.round_copies(kind, round_at)?;
        let ids: Vec<RequestId> = copies.iter().map(|c| c.request).collect();
        let copied: Vec<Request> = self
            .requests_in_order(&ids)?
            .into_iter()
            .filter_map(|row| copies.iter().find(|c| c.request == row.id).map(|c| c.applied_to(row)))
            .collect();
        let board = self.board(kind.owner(), round_at.date())?;
        let waiting: Vec<Request> = board.lane(Lane::ToCopy).map(|r| r.request.clone()).collect();
        let rows = round_sheet_rows(kind, round_at, self.now(), copied, waiting);
        let sheet = RoundSheet { office: &self.office_name()?, kind, round_at, printed_at: self.now() };
        Ok(round_sheet(&sheet, &rows)?)
    }

    /// The cash handover sheets (现金交接单, R-FEE-2) of `day`: one per staff
    /// member who collected fees, or only `staff`'s.
    pub fn print_cash_handover(&self, day: NaiveDate, staff: Option<StaffId>) -> Result<PrintedPdf> {
        let handovers: Vec<CashHandover> = self
            .cash_days(day, day)?
            .into_iter()
            .filter(|d| staff.is_none_or(|id| d.staff == id))
            .map(|d| CashHandover {
                staff: d.staff_name.clone(),
                day: d.day,
                lines: d
                    .collections
                    .iter()
                    .map(|c| CashLine {
                        no: c.no.clone(),
                        room: c.room.clone(),
                        service: c.service.clone(),
                        collected_at: c.at,
                        amount: c.amount,
                    })
                    .collect(),
                received: d.receipts.last().map(|r| (r.received_by.clone(), r.received_at)),
            })
            .collect();
        Ok(cash_handovers(&self.office_name()?, self.now(), &handovers)?)
    }

    /// The row with running number `no`.
    pub fn request_by_no(&self, no: RunningNo) -> Result<Request> {
        let id = self.store.request_id_by_no(no)?.ok_or(StoreError::NotFound)?;
        Ok(self.store.get_request(id)?)
    }
}

/// The register `kind` received on `from ..= to`, in running-number order.
pub(super) fn register_period(kind: RegisterKind, from: NaiveDate, to: NaiveDate) -> RequestQuery {
    RequestQuery {
        kind: Some(kind),
        from: Some(from),
        to: Some(to),
        sort: SortColumn::No,
        descending: false,
        ..RequestQuery::default()
    }
}

/// The printed parties of an agreement: the office (its manager is whoever
/// signed) and the resident.
fn parties(office: &OfficeSettings, a: &Agreement) -> (OfficeParty, ResidentParty) {
    let office = OfficeParty {
        name: office.name.clone(),
        address: office.address.clone(),
        manager: a.signed.as_ref().map(|(by, _)| by.clone()).unwrap_or_default(),
        phone: office.phone.clone(),
    };
    let resident =
        ResidentParty { name: a.resident_name.clone(), room: a.room.clone(), phone: a.phone.clone() };
    (office, resident)
}

/// An agreement's number as printed; a draft has none yet.
fn agreement_no(a: &Agreement) -> String {
    a.no.map(|n| n.to_string()).unwrap_or_default()
}

impl HomeDesk {
    /// The 居家服务协议书 of agreement `id` (R-AG-2) as it was signed — the
    /// terms kept at signing, whatever amendments came after — or a draft's
    /// as it stands, with every amount in figures and capital numerals (R-FEE-5).
    pub fn print_agreement(&self, id: AgreementId) -> Result<PrintedPdf> {
        let a = self.store.get_agreement(id)?;
        let terms = self.store.signed_terms(id)?.unwrap_or_else(|| a.terms());
        let doc = self.agreement_doc(&a, &terms, None)?;
        Ok(service_agreement(&doc, self.now())?)
    }

    /// The agreement's text with every amendment worked in, titled
    /// 居家服务协议书（含第N次变更） and listing them; refused for an
    /// agreement never amended (its signed text is the one that stands).
    pub fn print_agreement_consolidated(&self, id: AgreementId) -> Result<PrintedPdf> {
        let a = self.store.get_agreement(id)?;
        let amendments = self.store.list_amendments(id)?;
        if amendments.is_empty() {
            return Err(AppError::NoAgreementPaper(AgreementPaper::Consolidated));
        }
        let t = crate::i18n::t();
        let worded = |m: &Amendment| {
            m.changes.iter().map(|(field, _, _)| t.history_field(field)).collect::<Vec<_>>().join(t.list_sep)
        };
        let consolidation = Consolidation {
            amendments: amendments.iter().map(|m| (m.seq, m.effective_on, worded(m))).collect(),
        };
        let doc = self.agreement_doc(&a, &a.terms(), Some(consolidation))?;
        Ok(service_agreement(&doc, self.now())?)
    }

    /// The printed agreement of `a` stating `terms`.
    fn agreement_doc(
        &self,
        a: &Agreement,
        terms: &AgreementTerms,
        consolidated: Option<Consolidation>,
    ) -> Result<AgreementDoc> {
        let office = self.store.office()?.unwrap_or_default();
        let (office, mut resident) = parties(&office, a);
        resident.phone = terms.phone.clone();
        let renewal_of = match a.renewal_of {
            Some(old) => self.store.get_agreement(old)?.no.map(|n| n.to_string()),
            None => None,
        };
        Ok(AgreementDoc {
            no: agreement_no(a),
            office,
            resident,
            service: format!("{}：{}", terms.service, terms.details),
            place: terms.room.clone(),
            area_m2: terms.area_m2,
            persons_served: terms.persons_served.clone(),
            requirements: terms.requirements.clone(),
            schedule: crate::i18n::t().schedule_text(&terms.schedule),
            visits_per_month: Some(terms.schedule.visits_per_month()),
            term_start: terms.term_start,
            term_end: terms.term_end,
            staff: terms.staff.clone(),
            price: terms.price,
            basis: terms.basis,
            payment_terms: terms.payment_terms.clone(),
            signed_on: a.signed.as_ref().map(|(_, on)| *on),
            renewal_of,
            consolidated,
        })
    }

    /// Amendment (变更书) number `seq` of agreement `id`.
    pub fn print_amendment(&self, id: AgreementId, seq: u32) -> Result<PrintedPdf> {
        let a = self.store.get_agreement(id)?;
        let amendment = self
            .store
            .list_amendments(id)?
            .into_iter()
            .find(|m| m.seq == seq)
            .ok_or(AppError::NoAgreementPaper(AgreementPaper::Amendment(seq)))?;
        let (office, resident) = parties(&self.store.office()?.unwrap_or_default(), &a);
        let t = crate::i18n::t();
        let doc = AmendmentDoc {
            agreement_no: agreement_no(&a),
            seq,
            office,
            resident,
            changes: amendment
                .changes
                .iter()
                .map(|(field, old, new)| {
                    (
                        t.history_field(field).to_string(),
                        t.history_value(field, old),
                        t.history_value(field, new),
                    )
                })
                .collect(),
            reason: amendment.reason.clone(),
            effective_on: amendment.effective_on,
        };
        Ok(agreement_amendment(&doc, self.now())?)
    }

    /// The renewal (续订书) that made agreement `id` from the one before it.
    pub fn print_renewal(&self, id: AgreementId) -> Result<PrintedPdf> {
        let new = self.store.get_agreement(id)?;
        let old = self
            .store
            .get_agreement(new.renewal_of.ok_or(AppError::NoAgreementPaper(AgreementPaper::Renewal))?)?;
        let (office, resident) = parties(&self.store.office()?.unwrap_or_default(), &old);
        let doc = RenewalDoc {
            agreement_no: agreement_no(&old),
            new_no: agreement_no(&new),
            office,
            resident,
            term_start: new.term_start,
            term_end: new.term_end,
            price: new.price,
            basis: new.basis,
            other_terms: String::new(),
        };
        Ok(agreement_renewal(&doc, self.now())?)
    }

    /// The written notice of an early termination (R-AG-3).
    pub fn print_termination_notice(&self, id: AgreementId) -> Result<PrintedPdf> {
        let a = self.store.get_agreement(id)?;
        let t = a.termination.clone().ok_or(AppError::NoAgreementPaper(AgreementPaper::Notice))?;
        let (office, resident) = parties(&self.store.office()?.unwrap_or_default(), &a);
        let doc = TerminationNotice {
            agreement_no: agreement_no(&a),
            office,
            resident,
            term_end: a.term_end,
            stop_on: t.stop_on,
            notice_on: t.notice_on,
            reason: t.reason,
            refund: None,
        };
        Ok(termination_notice(&doc, self.now())?)
    }
}

/// The paper form of one shopping entry (both parts carry its number).
fn shopping_form(e: &ShoppingEntry) -> ShoppingForm {
    ShoppingForm {
        no: shopping_no_text(e.no),
        room: e.room.clone(),
        resident: e.resident_name.clone(),
        item: e.item.clone(),
        brand: e.brand.clone(),
        kind: e.kind.clone(),
        spec: e.spec.clone(),
        quantity: format!("{} {}", e.quantity, e.unit).trim().to_string(),
        unit_price: Some(e.unit_price),
        total: Some(e.expected_total),
        deadline: Some(e.deadline),
        taken_by: e.taken_by.clone(),
        taken_at: Some(e.taken_at),
        buyer: e.purchase.as_ref().map(|p| p.buyer.clone()).unwrap_or_default(),
        invoice_no: e.purchase.as_ref().map(|p| p.invoice_no.clone()).unwrap_or_default(),
        actual: e.purchase.as_ref().map(|p| p.actual),
        bought_on: e.purchase.as_ref().map(|p| p.bought_on),
        delivered_on: e.delivered_on,
        not_bought: e.not_bought.as_ref().map(|(reason, at)| (reason.clone(), Some(*at))),
        void: e.void.clone(),
    }
}

impl HomeDesk {
    /// The 代客购物登记表 with its 财务联 of each entry numbered `nos` (R-SH-5).
    pub fn print_shopping_forms(&self, nos: &[i64]) -> Result<PrintedPdf> {
        let mut forms = Vec::with_capacity(nos.len());
        for no in nos {
            let entry = self.store.shopping_by_no(*no)?.ok_or(StoreError::NotFound)?;
            forms.push(shopping_form(&entry));
        }
        Ok(shopping_forms(&self.office_name()?, self.now(), &forms)?)
    }

    /// The shopping log (代客购物登记簿) of the entries taken on `from ..= to`;
    /// void entries are listed without amounts so the totals leave them out,
    /// could-not-buy ones with their expected amount only (named apart under
    /// the totals), and the numbers' continuity line at the foot (R-SH-6).
    pub fn print_shopping_log(&self, from: NaiveDate, to: NaiveDate) -> Result<PrintedPdf> {
        let (rows, continuity) = self.shopping_log_rows(from, to)?;
        let sheet =
            ShoppingLogSheet { office: &self.office_name()?, from, to, printed_at: self.now(), continuity };
        Ok(shopping_log(&sheet, &rows)?)
    }

    /// The log's rows of the entries taken on `from ..= to`, in number
    /// order: printed and exported alike; with the numbers' continuity (R-SH-6).
    pub(super) fn shopping_log_rows(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Vec<ShoppingLogRow>, Option<LogContinuity>)> {
        let t = crate::i18n::t();
        let query = ShoppingQuery { from: Some(from), to: Some(to), ..ShoppingQuery::default() };
        let mut entries = self.store.list_shopping(&query)?;
        entries.sort_by_key(|e| e.no);
        let rows: Vec<ShoppingLogRow> = entries
            .iter()
            .map(|e| {
                // A void form's amount means nothing; one that could not be
                // bought keeps what it was expected to cost (R-SH-4).
                let void = e.state == ShoppingState::Void;
                let not_bought = e.state == ShoppingState::NotBought;
                let note = match (&e.void, &e.not_bought) {
                    (Some((reason, _, _)), _) | (_, Some((reason, _))) => reason.clone(),
                    _ => e.purchase.as_ref().map(|p| p.invoice_no.clone()).unwrap_or_default(),
                };
                ShoppingLogRow {
                    no: shopping_no_text(e.no),
                    taken_at: e.taken_at,
                    room: e.room.clone(),
                    resident: e.resident_name.clone(),
                    item: format!("{} {}", e.brand, e.item),
                    spec: e.spec.clone(),
                    quantity: format!("{} {}", e.quantity, e.unit).trim().to_string(),
                    unit_price: (!void).then_some(e.unit_price),
                    total: (!void).then_some(e.expected_total),
                    actual: e.purchase.as_ref().map(|p| p.actual).filter(|_| !void && !not_bought),
                    deadline: Some(e.deadline),
                    taken_by: e.taken_by.clone(),
                    buyer: e.purchase.as_ref().map(|p| p.buyer.clone()).unwrap_or_default(),
                    not_bought,
                    state: t.shopping_state(e.state).to_string(),
                    note,
                }
            })
            .collect();
        let numbers: Vec<(i64, bool)> =
            entries.iter().map(|e| (e.no, e.state == ShoppingState::Void)).collect();
        Ok((rows, log_continuity(&numbers)))
    }
}

/// One plan household as a row of the revisit record (R-RV-3).
fn revisit_line(row: &PlanRow) -> RevisitLine {
    let t = crate::i18n::t();
    let reasons: Vec<&str> = row.reasons.iter().map(|r| t.revisit_reason(*r)).collect();
    let visit = row.revisit.as_ref();
    let rating = |pick: fn(&Ratings) -> Opinion| {
        visit.and_then(|v| v.ratings.as_ref()).map(|r| t.opinion(pick(r)).to_string()).unwrap_or_default()
    };
    let comments = visit
        .map(|v| {
            [v.comments.as_str(), v.needs.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join("；")
        })
        .unwrap_or_default();
    RevisitLine {
        room: row.room.clone(),
        resident: row.resident.clone(),
        phone: row.phone.clone(),
        service: row.service.clone(),
        service_date: row.service_date,
        staff: row.staff.as_ref().map(|(_, n)| n.clone()).unwrap_or_default(),
        reasons: reasons.join(crate::i18n::t().list_sep),
        revisited_on: visit.map(|v| v.at.date()),
        method: visit.map(|v| t.revisit_method(v.method).to_string()).unwrap_or_default(),
        timeliness: rating(|r| r.timeliness),
        skill: rating(|r| r.skill),
        attitude: rating(|r| r.attitude),
        comments,
        revisited_by: visit.map(|v| v.by.clone()).unwrap_or_default(),
        unreachable: visit.filter(|v| v.ratings.is_none()).map(|v| v.attempts.clone()),
    }
}

impl HomeDesk {
    /// The 居家服务回访记录表 of a saved plan: the blank call list, or the
    /// record with the answers (`filled`); phones in full on the call list.
    pub fn print_revisits(&self, plan: &RevisitPlan, filled: bool) -> Result<PrintedPdf> {
        let (done, _, unreachable) = plan.progress();
        let sheet = RevisitSheet {
            office: &self.office_name()?,
            title_period: plan_period_text(plan),
            kind: match plan.kind {
                PlanKind::Monthly => RevisitSheetKind::Monthly,
                PlanKind::Quarterly => RevisitSheetKind::Quarterly,
            },
            filled,
            households_served: plan.households_served,
            sample_size: plan.sample_size,
            planned: plan.rows.len(),
            done,
            unreachable,
            phones: if filled { PhoneDisplay::Masked } else { PhoneDisplay::Full },
            printed_at: self.now(),
        };
        Ok(revisit_sheet(&sheet, &revisit_lines(plan))?)
    }

    /// The 居家服务情况统计分析报告 of `month` (`YYYY-MM`, R-RV-4): the stored
    /// report as it stands, or, for a month without one, a preview of the
    /// figures as they are now, marked 草稿, with lines to write the
    /// analysis on. Nothing is saved.
    pub fn print_monthly_report(&self, month: &str) -> Result<PrintedPdf> {
        let office = self.office_name()?;
        let now = self.now();
        let (report, preview) = match self.monthly_report(month)? {
            Some(report) => (report, false),
            None => (preview_report(month, self.report_content(month)?, now), true),
        };
        let doc = ReportDoc { office: &office, report: &report, preview, printed_at: now };
        Ok(monthly_report(&doc)?)
    }
}

/// An unsaved draft of `month` holding `content`, taken at `now`.
fn preview_report(month: &str, content: ReportContent, now: NaiveDateTime) -> MonthlyReport {
    MonthlyReport {
        id: 0,
        month: month.to_string(),
        status: ReportStatus::Draft,
        content,
        generated_at: now,
        analysis: String::new(),
        suggestions: String::new(),
        prepared_by: String::new(),
        prepared_at: now,
        submitted_at: None,
        decided_by: None,
        decided_at: None,
        comment: String::new(),
    }
}

/// A plan's households as the record's rows: printed and exported alike.
pub(super) fn revisit_lines(plan: &RevisitPlan) -> Vec<RevisitLine> {
    plan.rows.iter().map(revisit_line).collect()
}

/// A plan's period as its title words it: `2026年10月`, `2026年第4季度`
/// (October 2026, Q4 2026).
pub(super) fn plan_period_text(plan: &RevisitPlan) -> String {
    use chrono::Datelike;
    let t = crate::i18n::t();
    match plan.kind {
        PlanKind::Monthly => crate::domain::month_start(&plan.period)
            .map(|d| {
                crate::i18n::fill(t.rpt_month, &[("year", &d.year()), ("month", &t.month_word(d.month()))])
            })
            .unwrap_or_else(|| plan.period.clone()),
        PlanKind::Quarterly => match plan.period.split_once("-Q") {
            Some((year, q)) => crate::i18n::fill(t.rv_quarter_text, &[("year", &year), ("q", &q)]),
            None => plan.period.clone(),
        },
    }
}

/// The print language of the office in the file at `path`, read without
/// changing the file; the default for a file that is not an office yet.
pub fn office_print_language(path: &std::path::Path) -> PrintLanguage {
    crate::store::peek_office(path).map(|office| office.print).unwrap_or_default()
}

/// [`office_print_language`] of an office file or server (one that cannot
/// be opened speaks the default; the command then says why in it).
pub fn office_print_language_at(location: &crate::store::Location) -> PrintLanguage {
    match location {
        crate::store::Location::File(path) => office_print_language(path),
        crate::store::Location::Server(_) => crate::store::Store::open_existing_at(location)
            .ok()
            .and_then(|store| store.office().ok().flatten())
            .map(|office| office.print)
            .unwrap_or_default(),
    }
}
