//! Revisit use cases (R-RV-1..5): drawing a month's plan (or redrawing it
//! with a recorded reason, while nothing is recorded on it), the quarter's
//! quality check, recording a revisit and the complaint it brings, and
//! closing complaints. Each write is one transaction.

use chrono::{Months, NaiveDateTime};

use super::{AppError, HomeDesk, Result};
use crate::domain::stats::{Period, new_agreement_rooms};
use crate::domain::{
    Complaint, Desk, DrawnPlan, PlanKind, RevisitAnswer, RevisitError, RevisitPlan, User,
    check_not_revisited, check_revisit, draw_plan, draw_plan_sized, last_month, month_start, previous_month,
    quarterly_sample_size,
};
use crate::store::quarter_span;

fn revisit_error(e: RevisitError) -> AppError {
    AppError::Revisit(e)
}

impl HomeDesk {
    /// The saved plan of `month` (`YYYY-MM`), if drawn.
    pub fn revisit_plan(&self, month: &str) -> Result<Option<RevisitPlan>> {
        Ok(self.store.revisit_plan(month.trim(), PlanKind::Monthly)?)
    }

    /// The plan `month` would get now, without saving it (the CLI shows a
    /// month not yet drawn this way).
    pub fn preview_revisit_plan(&self, month: &str) -> Result<DrawnPlan> {
        let (from, to) = month_span(month)?;
        let office = self.store.office()?.unwrap_or_default();
        let previous = previous_month(month).unwrap_or_default();
        let mut facts = self.store.plan_facts(from, to, office.new_window_days, &previous)?;
        // R-RV-2A by the figures' own definition of a new agreement, so the
        // plan and `agreements.new` never disagree.
        let period = Period { from: from.date(), to: to.date() };
        facts.new_agreement_rooms =
            new_agreement_rooms(period, &self.store.agreement_facts(period.from, period.to)?);
        Ok(draw_plan(&office.name, month.trim(), &facts))
    }

    /// R-RV-1, R-RV-2: draws and saves the plan of `month`; once saved it
    /// changes only by [`HomeDesk::redraw_revisit_plan`].
    pub fn draw_revisit_plan(&mut self, user: &User, month: &str) -> Result<RevisitPlan> {
        let drawn = self.preview_revisit_plan(month)?;
        let mut tx = self.store.write(self.audit(user))?;
        if tx.revisit_plan(month.trim(), PlanKind::Monthly)?.is_some() {
            return Err(revisit_error(RevisitError::PlanExists));
        }
        tx.save_plan(month.trim(), PlanKind::Monthly, &drawn, None)?;
        tx.commit()?;
        self.revisit_plan(month).and_then(|p| p.ok_or(AppError::Store(crate::store::StoreError::NotFound)))
    }

    /// R-RV-1: the CS center finds last month's plan already drawn when it
    /// opens the 回访 tab — the first CS-desk session of a month draws it.
    /// `None` when it exists already (another desk may have drawn it a moment
    /// ago) or the user is not at the CS center, whose job revisits are.
    pub fn draw_due_revisit_plan(&mut self, user: &User) -> Result<Option<RevisitPlan>> {
        if user.desk != Desk::CsCenter {
            return Ok(None);
        }
        let month = last_month(self.now().date());
        if self.revisit_plan(&month)?.is_some() {
            return Ok(None);
        }
        match self.draw_revisit_plan(user, &month) {
            Ok(plan) => Ok(Some(plan)),
            Err(AppError::Revisit(RevisitError::PlanExists)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Draws the plan again from the month's facts as they are now, with a
    /// reason kept in history; refused once a revisit is recorded on it.
    pub fn redraw_revisit_plan(&mut self, user: &User, month: &str, reason: &str) -> Result<RevisitPlan> {
        if reason.trim().is_empty() {
            return Err(revisit_error(RevisitError::ReasonRequired));
        }
        let drawn = self.preview_revisit_plan(month)?;
        let mut tx = self.store.write(self.audit(user))?;
        let old = tx.revisit_plan(month.trim(), PlanKind::Monthly)?;
        if let Some(plan) = &old
            && tx.plan_has_revisits(plan.id)?
        {
            return Err(revisit_error(RevisitError::PlanInUse));
        }
        tx.save_plan(month.trim(), PlanKind::Monthly, &drawn, Some(reason.trim()))?;
        tx.commit()?;
        self.revisit_plan(month).and_then(|p| p.ok_or(AppError::Store(crate::store::StoreError::NotFound)))
    }

    /// R-RV-5: the quality department's check of `quarter` (`YYYY-Qn`): 5 %
    /// of the households served in it, drawn like the monthly sample.
    pub fn draw_quality_check(&mut self, user: &User, quarter: &str) -> Result<RevisitPlan> {
        let (from, to) = quarter_span(quarter).ok_or(revisit_error(RevisitError::BadMonth))?;
        let office = self.store.office()?.unwrap_or_default();
        let at = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default();
        let mut facts = self.store.plan_facts(at(from), at(to), office.new_window_days, "")?;
        // The quarter's check is the random 5 % only.
        facts.new_agreement_rooms.clear();
        facts.new_item_jobs.clear();
        facts.new_staff_jobs.clear();
        facts.complained_staff_jobs.clear();
        facts.repair_handover_jobs.clear();
        let drawn = draw_plan_sized(&office.name, quarter.trim(), &facts, quarterly_sample_size);
        let mut tx = self.store.write(self.audit(user))?;
        if tx.revisit_plan(quarter.trim(), PlanKind::Quarterly)?.is_some() {
            return Err(revisit_error(RevisitError::PlanExists));
        }
        tx.save_plan(quarter.trim(), PlanKind::Quarterly, &drawn, None)?;
        tx.commit()?;
        self.store
            .revisit_plan(quarter.trim(), PlanKind::Quarterly)?
            .ok_or(AppError::Store(crate::store::StoreError::NotFound))
    }

    pub fn quality_check(&self, quarter: &str) -> Result<Option<RevisitPlan>> {
        Ok(self.store.revisit_plan(quarter.trim(), PlanKind::Quarterly)?)
    }

    /// R-RV-3: records a revisit of plan household `household`; a complaint
    /// in it goes on the staff member's record against the job (R-RV-2D).
    pub fn record_revisit(&mut self, user: &User, household: i64, answer: &RevisitAnswer) -> Result<i64> {
        let mut tx = self.store.write(self.audit(user))?;
        let agreement_resident = tx.household_has_agreement(household)?;
        check_revisit(answer, agreement_resident).map_err(revisit_error)?;
        check_not_revisited(tx.household_reached(household)?).map_err(revisit_error)?;
        let id = tx.insert_revisit(household, answer)?;
        tx.commit()?;
        Ok(id)
    }

    pub fn complaints(&self) -> Result<Vec<Complaint>> {
        Ok(self.store.list_complaints()?)
    }

    /// The complaints about the job of register row `request`.
    pub fn complaints_about(&self, request: crate::domain::RequestId) -> Result<Vec<Complaint>> {
        Ok(self.store.complaints_about(request)?)
    }

    /// Closes a complaint with how it was handled (R-FU-6).
    pub fn close_complaint(&mut self, user: &User, id: i64, handling: &str) -> Result<()> {
        if handling.trim().is_empty() {
            return Err(revisit_error(RevisitError::HandlingRequired));
        }
        let mut tx = self.store.write(self.audit(user))?;
        tx.close_complaint(id, handling)?;
        tx.commit()?;
        Ok(())
    }
}

/// The first moment of `month` and of the month after.
fn month_span(month: &str) -> Result<(NaiveDateTime, NaiveDateTime)> {
    let start = month_start(month).ok_or(revisit_error(RevisitError::BadMonth))?;
    let next = start.checked_add_months(Months::new(1)).ok_or(revisit_error(RevisitError::BadMonth))?;
    let at = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default();
    Ok((at(start), at(next)))
}
