//! Taking requests into the registers (R-IN-1..5, R-DESK-1..3) and recording
//! refusals (R-IN-1).

use super::{AppError, HomeDesk, Result, audit_at};
use crate::domain::{
    CorrectionDraft, Desk, IntakeContext, IntakeDraft, RefusalDraft, RegisterKind, Request, RequestId,
    RequestStatus, ServiceChoice, User, relay_note, validate_correction, validate_intake, validate_refusal,
};

impl HomeDesk {
    /// Registers a request in its register with the next running number; the
    /// household and resident are filed too. An emergency repair taken at the
    /// CS center becomes a repair row plus a relay note (R-DESK-3).
    pub fn register_request(&mut self, user: &User, draft: &IntakeDraft) -> Result<Request> {
        let listed = match draft.service {
            ServiceChoice::Listed(id) => Some(self.store.get_price_item(id)?),
            _ => None,
        };
        let assigned = match draft.assigned_staff {
            Some(id) => Some(self.store.get_staff(id)?),
            None => None,
        };
        // One reading of the clock: the rules and the row's received-at agree.
        let now = self.now();
        let ctx =
            IntakeContext { now, desk: user.desk, listed_item: listed.as_ref(), assigned: assigned.as_ref() };
        let valid = validate_intake(draft, &ctx).map_err(AppError::Invalid)?;
        let relayed = valid.kind == RegisterKind::Repair && user.desk == Desk::CsCenter;

        let mut tx = self.store.write(audit_at(user, now))?;
        let household = tx.ensure_household(&valid.room)?;
        tx.ensure_resident(household, &valid.resident_name, &valid.phone)?;
        let (id, _) = tx.insert_request(&valid, household, RequestStatus::Registered, None)?;
        if relayed {
            tx.insert_request(&relay_note(&valid), household, RequestStatus::Relayed, Some(id))?;
        }
        // Read before the commit: a server that goes away right after it
        // must not turn a saved row into a "not saved" error.
        let saved = tx.get_request(id)?;
        tx.commit()?;
        Ok(saved)
    }

    /// Records a refused request with its reason (R-IN-1).
    pub fn refuse_request(&mut self, user: &User, draft: &RefusalDraft) -> Result<i64> {
        let valid = validate_refusal(draft, user.desk).map_err(AppError::Invalid)?;
        let mut tx = self.store.write(self.audit(user))?;
        let id = tx.insert_refusal(&valid)?;
        tx.commit()?;
        Ok(id)
    }

    /// One row, for the detail view.
    pub fn request(&self, id: RequestId) -> Result<Request> {
        Ok(self.store.get_request(id)?)
    }

    /// Corrects a row's contact and description fields, with a reason kept
    /// in its history (R-FU-6); the household of a corrected room is filed.
    pub fn correct_request(
        &mut self,
        user: &User,
        id: RequestId,
        draft: &CorrectionDraft,
    ) -> Result<Request> {
        let mut tx = self.store.write(self.audit(user))?;
        // Read under the lock: another desk may have settled or corrected it meanwhile.
        let old = tx.get_request(id)?;
        let correction = validate_correction(&old, draft).map_err(AppError::Invalid)?;
        let household = tx.ensure_household(&correction.room)?;
        tx.ensure_resident(household, &correction.resident_name, &correction.phone)?;
        tx.correct_request(&old, &correction, household)?;
        let saved = tx.get_request(id)?;
        tx.commit()?;
        Ok(saved)
    }
}
