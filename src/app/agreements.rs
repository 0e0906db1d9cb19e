//! Long-term agreement use cases (R-AG-1..3, R-DSP-4): drafts, the CS
//! assistant's confirmation, the manager's signature, amendments, renewals,
//! early termination, and keeping each running agreement's visits on the
//! board for the coming days. Each is one transaction.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::{AppError, HomeDesk, Result};
use crate::domain::{
    Agreement, AgreementContext, AgreementDraft, AgreementError, AgreementFieldError, AgreementId,
    AgreementNo, AgreementStatus, Amendment, Booking, Clash, JobFacts, JobStep, Request, RequestId,
    RequestStatus, ServiceChoice, StaffId, Termination, User, VISIT_HORIZON_DAYS, ValidAgreement,
    check_amendment, check_confirm, check_renewal, check_sign, check_step, check_termination, due_status,
    first_clash, validate_agreement, visit_request, visits_due,
};
use crate::store::{AgreementQuery, WriteTx, terms_of};

/// What keeping the agreements current did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeepReport {
    pub activated: usize,
    pub ended: usize,
    pub visits_added: usize,
    /// Agreements that could not be brought up to date (tried again next time).
    pub failed: usize,
}

impl KeepReport {
    /// Whether anything was written.
    pub fn changed(&self) -> bool {
        self.activated + self.ended + self.visits_added > 0
    }
}

/// Why an agreement use case is refused: a field's rule, or a rule of the
/// agreement as a whole (shown under the form).
fn refused(field: crate::domain::AgreementField, error: AgreementError) -> AppError {
    AppError::Agreement(vec![AgreementFieldError { field, error }])
}

fn whole(error: AgreementError) -> AppError {
    refused(crate::domain::AgreementField::Reason, error)
}

impl HomeDesk {
    pub fn agreements(&self, query: &AgreementQuery) -> Result<Vec<Agreement>> {
        Ok(self.store.list_agreements(query)?)
    }

    pub fn agreement(&self, id: AgreementId) -> Result<Agreement> {
        Ok(self.store.get_agreement(id)?)
    }

    pub fn agreement_by_no(&self, no: AgreementNo) -> Result<Agreement> {
        let id = self.store.agreement_id_by_no(no)?.ok_or(AppError::NoAgreement(no))?;
        self.agreement(id)
    }

    pub fn amendments(&self, id: AgreementId) -> Result<Vec<Amendment>> {
        Ok(self.store.list_amendments(id)?)
    }

    /// The register rows the agreement put on the board, by visit time.
    pub fn agreement_visits(&self, id: AgreementId) -> Result<Vec<Request>> {
        let ids = self.store.agreement_visit_ids(id)?;
        self.requests_in_order(&ids)
    }

    /// A draft as a form would show it, for editing or amending.
    pub fn agreement_draft(&self, a: &Agreement) -> AgreementDraft {
        let (weekly, days, dates) = match &a.schedule {
            crate::domain::Schedule::Weekly { days, .. } => (true, days.clone(), String::new()),
            crate::domain::Schedule::Monthly { dates, .. } => {
                (false, Vec::new(), dates.iter().map(u32::to_string).collect::<Vec<_>>().join(", "))
            }
        };
        AgreementDraft {
            room: a.room.clone(),
            resident_name: a.resident_name.clone(),
            phone: a.phone.clone(),
            service: match a.price_item {
                Some(id) => ServiceChoice::Listed(id),
                None => ServiceChoice::Unlisted(a.service.clone()),
            },
            area: a.area_m2.map(|m2| m2.to_string()).unwrap_or_default(),
            details: a.details.clone(),
            persons_served: a.persons_served.clone(),
            requirements: a.requirements.clone(),
            staff: a.staff.iter().map(|(id, _)| *id).collect(),
            weekly,
            days,
            dates,
            start: a.schedule.start().format("%H:%M").to_string(),
            end: a.schedule.end().format("%H:%M").to_string(),
            term_start: a.term_start.to_string(),
            term_end: a.term_end.to_string(),
            price: a.price.to_plain(),
            basis: Some(a.basis),
            payment_terms: a.payment_terms.clone(),
            review_by: a.review.as_ref().map(|(by, _)| by.clone()).unwrap_or_default(),
            review_conclusion: a.review.as_ref().map(|(_, c)| c.clone()).unwrap_or_default(),
        }
    }

    fn validate_agreement(&self, draft: &AgreementDraft) -> Result<ValidAgreement> {
        let prices = self.store.list_price_items()?;
        let staff = self.store.list_staff()?;
        validate_agreement(draft, &AgreementContext { prices: &prices, staff: &staff })
            .map_err(AppError::Agreement)
    }

    /// Saves a new draft, or changes a draft not yet signed.
    pub fn save_agreement_draft(
        &mut self,
        user: &User,
        id: Option<AgreementId>,
        draft: &AgreementDraft,
    ) -> Result<AgreementId> {
        let valid = self.validate_agreement(draft)?;
        let mut tx = self.store.write(self.audit(user))?;
        let id = match id {
            Some(id) => {
                let old = tx.get_agreement(id)?;
                if old.status != AgreementStatus::Draft {
                    return Err(whole(AgreementError::NotDraft));
                }
                tx.update_agreement_terms(&old, &valid, None)?;
                // R-AG-2: changed terms need the CS assistant's confirmation again.
                if old.confirmed.is_some() && terms_of(&old) != terms_of(&tx.get_agreement(id)?) {
                    tx.clear_agreement_confirmation(&old)?;
                }
                id
            }
            None => tx.insert_agreement(&valid, None)?,
        };
        tx.commit()?;
        Ok(id)
    }

    /// R-AG-2: the CS assistant confirms capacity and price from the time,
    /// content, scope, person served and requirements.
    pub fn confirm_agreement(&mut self, user: &User, id: AgreementId) -> Result<Agreement> {
        let mut tx = self.store.write(self.audit(user))?;
        let old = tx.get_agreement(id)?;
        check_confirm(&old, user.desk).map_err(whole)?;
        tx.confirm_agreement(&old)?;
        tx.commit()?;
        self.agreement(id)
    }

    /// R-AG-2: the office manager signs; the agreement is numbered and its
    /// first visits go on the board.
    pub fn sign_agreement(&mut self, user: &User, id: AgreementId) -> Result<Agreement> {
        let now = self.now();
        let mut tx = self.store.write(self.audit(user))?;
        let old = tx.get_agreement(id)?;
        check_sign(&old, user.rank).map_err(whole)?;
        tx.sign_agreement(&old, now.date())?;
        keep_current(&mut tx, id, now)?;
        tx.commit()?;
        self.agreement(id)
    }

    /// Moves every running agreement along its term and puts its visits of
    /// the coming days on the board; running it twice adds nothing.
    /// One agreement that cannot be brought up to date does not hold the
    /// others back; it is counted and tried again next time.
    pub fn keep_agreements_current(&mut self, user: &User) -> Result<KeepReport> {
        let mut report = KeepReport::default();
        for id in self.store.running_agreement_ids(self.now().date())? {
            match self.keep_agreement_current(user, id) {
                Ok(one) => {
                    report.activated += one.activated;
                    report.ended += one.ended;
                    report.visits_added += one.visits_added;
                }
                Err(_) => report.failed += 1,
            }
        }
        Ok(report)
    }

    fn keep_agreement_current(&mut self, user: &User, id: AgreementId) -> Result<KeepReport> {
        let now = self.now();
        let mut tx = self.store.write(self.audit(user))?;
        let report = keep_current(&mut tx, id, now)?;
        tx.commit()?;
        Ok(report)
    }

    /// A change of terms by a written amendment (变更书): the old terms stay
    /// in history, the visits from the effective day follow the new ones.
    pub fn amend_agreement(
        &mut self,
        user: &User,
        id: AgreementId,
        draft: &AgreementDraft,
        reason: &str,
        effective_on: NaiveDate,
    ) -> Result<Amendment> {
        let valid = self.validate_agreement(draft)?;
        let now = self.now();
        let mut tx = self.store.write(self.audit(user))?;
        let old = tx.get_agreement(id)?;
        check_amendment(&old, &valid, reason, effective_on, now.date())
            .map_err(|e| AppError::Agreement(vec![e]))?;
        tx.update_agreement_terms(&old, &valid, Some(reason.trim()))?;
        let new = tx.get_agreement(id)?;
        let changes = changed_terms(&old, &new);
        if changes.is_empty() {
            return Err(whole(AgreementError::NothingChanged));
        }
        let amendment = Amendment {
            seq: tx.next_amendment_seq(id)?,
            at: now,
            by: user.name.clone(),
            reason: reason.trim().to_string(),
            effective_on,
            changes,
        };
        tx.insert_amendment(id, &amendment)?;
        let from = effective_on.and_hms_opt(0, 0, 0).unwrap_or(now).max(now);
        supersede_visits(&mut tx, &old, from, reason.trim(), now)?;
        add_visits(&mut tx, &new, now, effective_on)?;
        tx.commit()?;
        Ok(amendment)
    }

    /// A renewal (续订书): a new draft for the term after this one, with the
    /// same terms, linked to it; it is confirmed and signed like any other.
    pub fn renew_agreement(
        &mut self,
        user: &User,
        id: AgreementId,
        term_end: NaiveDate,
    ) -> Result<AgreementId> {
        let old = self.agreement(id)?;
        let renewed: Vec<AgreementStatus> = self.store.renewals_of(id)?.into_iter().map(|(_, s)| s).collect();
        let term_start = check_renewal(&old, &renewed).map_err(whole)?;
        let mut draft = self.agreement_draft(&old);
        draft.term_start = term_start.to_string();
        draft.term_end = term_end.to_string();
        let valid = self.validate_agreement(&draft)?;
        let mut tx = self.store.write(self.audit(user))?;
        // Checked again under the write lock: a second click must not make a second renewal.
        let renewed: Vec<AgreementStatus> = tx.renewals_of(id)?.into_iter().map(|(_, s)| s).collect();
        check_renewal(&tx.get_agreement(id)?, &renewed).map_err(whole)?;
        let new = tx.insert_agreement(&valid, Some(id))?;
        tx.commit()?;
        Ok(new)
    }

    /// R-AG-3: the office stops the agreement early; its visits after the
    /// last day are cancelled and the written notice can be printed.
    pub fn terminate_agreement(
        &mut self,
        user: &User,
        id: AgreementId,
        t: &Termination,
    ) -> Result<Agreement> {
        let now = self.now();
        let mut tx = self.store.write(self.audit(user))?;
        let old = tx.get_agreement(id)?;
        check_termination(&old, t, now.date()).map_err(|e| AppError::Agreement(vec![e]))?;
        tx.terminate_agreement(&old, t)?;
        let after = t.stop_on.succ_opt().and_then(|d| d.and_hms_opt(0, 0, 0)).unwrap_or(now).max(now);
        supersede_visits(&mut tx, &old, after, t.reason.trim(), now)?;
        tx.commit()?;
        self.agreement(id)
    }
}

/// The terms that differ between `old` and `new`, as (field, old, new).
fn changed_terms(old: &Agreement, new: &Agreement) -> Vec<(String, String, String)> {
    terms_of(old)
        .into_iter()
        .zip(terms_of(new))
        .filter(|((_, before), (_, after))| before != after)
        .map(|((field, before), (_, after))| (field.to_string(), before, after))
        .collect()
}

/// Moves agreement `id` along its term and puts its visits of the coming
/// days on the register, inside the caller's transaction.
fn keep_current(tx: &mut WriteTx<'_>, id: AgreementId, now: NaiveDateTime) -> Result<KeepReport> {
    let mut report = KeepReport::default();
    let mut a = tx.get_agreement(id)?;
    if let Some(status) = due_status(&a, now.date()) {
        tx.set_agreement_status(&a, status)?;
        match status {
            AgreementStatus::Active => report.activated += 1,
            _ => report.ended += 1,
        }
        a = tx.get_agreement(id)?;
    }
    report.visits_added = add_visits(tx, &a, now, now.date())?;
    Ok(report)
}

/// R-DSP-4: the agreement's visits from `from` to the horizon whose slot is
/// not on the register yet; returns how many were added.
fn add_visits(tx: &mut WriteTx<'_>, a: &Agreement, now: NaiveDateTime, from: NaiveDate) -> Result<usize> {
    let through = now.date() + Duration::days(VISIT_HORIZON_DAYS);
    let due: Vec<NaiveDateTime> =
        visits_due(a, from.max(now.date()), through).into_iter().filter(|at| *at > now).collect();
    if due.is_empty() {
        return Ok(0);
    }
    let taken = tx.agreement_slots(a.id, now)?;
    let note = a.no.map(|no| no.to_string()).unwrap_or_default();
    let mut added = 0;
    for slot in due.into_iter().filter(|slot| !taken.contains(slot)) {
        let Some(valid) = visit_request(a, slot, note.clone()) else { continue };
        let household = tx.ensure_household(&valid.room)?;
        let (request, _) = tx.insert_request(&valid, household, RequestStatus::Registered, None)?;
        tx.link_visit(request, a.id, slot)?;
        added += 1;
    }
    Ok(added)
}

/// Cancels the agreement's visits from `from` on that nobody has worked,
/// telling the staff already sent (R-FU-2), each a cancel step of its own;
/// their slots are given up for the new terms.
fn supersede_visits(
    tx: &mut WriteTx<'_>,
    a: &Agreement,
    from: NaiveDateTime,
    reason: &str,
    now: NaiveDateTime,
) -> Result<()> {
    for id in tx.open_agreement_visits(a.id, from)? {
        let job = tx.get_request(id)?;
        let told = (job.status != RequestStatus::Registered).then_some(now);
        let step = JobStep::Cancel { reason: reason.to_string(), staff_told_at: told };
        let facts =
            JobFacts { holder: job.assigned_staff.as_ref().map(|(id, _)| *id), ..JobFacts::default() };
        let to = check_step(&job, &facts, &step, now)?;
        tx.record_step(&job, &step, to)?;
        tx.release_slot(id)?;
    }
    Ok(())
}

impl HomeDesk {
    /// Issue 19: the first visit at which the draft's first named staff
    /// member (who is sent to the visits) is already booked by another
    /// agreement not yet over, one clash per other agreement; none while
    /// the draft does not read yet. `id` is the draft's own, left out.
    pub fn agreement_clashes(&self, draft: &AgreementDraft, id: Option<AgreementId>) -> Result<Vec<Clash>> {
        let Ok(valid) = self.validate_agreement(draft) else { return Ok(Vec::new()) };
        let Some(staff) = valid.staff.first().copied() else { return Ok(Vec::new()) };
        let today = self.now().date();
        let days = (valid.term_start.max(today), valid.term_end);
        let mut clashes = Vec::new();
        for other in self.store.list_agreements(&AgreementQuery::default())? {
            let busy = other.status == AgreementStatus::Draft || other.makes_visits();
            if Some(other.id) == id || !busy || other.staff.first().map(|(s, _)| *s) != Some(staff) {
                continue;
            }
            let theirs = (other.term_start, other.last_day());
            if let Some(at) = first_clash(&valid.schedule, days, &other.schedule, theirs) {
                let name = other.staff.first().map(|(_, n)| n.clone()).unwrap_or_default();
                let with = other.no.map(|n| n.to_string()).unwrap_or_else(|| other.room.clone());
                clashes.push(Clash { staff: name, at, with, room: other.room });
            }
        }
        Ok(clashes)
    }

    /// Issue 19: `staff`'s other open jobs whose times overlap job `id`'s
    /// (agreement visits by their agreed hours, others by
    /// `ASSUMED_JOB_MINUTES`): a dispatch to them is warned about.
    pub fn staff_clashes(&self, staff: StaffId, id: RequestId) -> Result<Vec<Clash>> {
        let job = self.store.get_request(id)?;
        let this = Booking::of_job(job.appointment, self.visit_minutes(&job)?);
        let day = Duration::days(1);
        let mut clashes = Vec::new();
        for other in self.store.open_jobs_of_staff(staff, this.start - day, this.end + day)? {
            if other.id == id
                || !Booking::of_job(other.appointment, self.visit_minutes(&other)?).overlaps(&this)
            {
                continue;
            }
            let name = other.assigned_staff.as_ref().map(|(_, n)| n.clone()).unwrap_or_default();
            clashes.push(Clash {
                staff: name,
                at: other.appointment,
                with: other.no.to_string(),
                room: other.room,
            });
        }
        Ok(clashes)
    }

    /// How long an agreement visit lasts by its agreement; `None` for other jobs.
    fn visit_minutes(&self, job: &Request) -> Result<Option<i64>> {
        Ok(match job.agreement {
            Some(agreement) => Some(self.store.get_agreement(agreement)?.schedule.visit_minutes()),
            None => None,
        })
    }
}
