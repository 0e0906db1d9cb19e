//! The steps of a job after intake, as the desk takes them: the app finds
//! the people named, checks the step against the life-cycle rules
//! (`domain::check_step`) with the row read under the write lock, and
//! records it in the same transaction.

use chrono::{NaiveDateTime, NaiveTime};

use super::{AppError, HomeDesk, Result, audit_at};
use crate::domain::{
    DispatchChannel, JobFacts, JobStep, Money, Request, RequestId, ServiceRecord, Staff, StaffId, User,
    check_step,
};

/// A step as the desk asks for it, naming people by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepInput {
    /// Copied at the round at `round` by `staff`, or sent directly (`None`).
    Dispatch {
        staff: StaffId,
        round: Option<NaiveTime>,
    },
    Transfer {
        to: StaffId,
        reason: String,
    },
    Return {
        reason: String,
    },
    Reschedule {
        reason: String,
        apologised: bool,
        new_time: NaiveDateTime,
    },
    Cancel {
        reason: String,
        staff_told_at: Option<NaiveDateTime>,
    },
    NotHome {
        slip_no: String,
    },
    Done {
        record: ServiceRecord,
    },
    Collect {
        amount: Money,
        collector: StaffId,
    },
    /// Signed by `signer` at the signed-in user's desk.
    SignOff {
        signer: StaffId,
    },
    /// Settled by the signed-in user (finance).
    Settle,
}

impl StepInput {
    /// The staff member the step names; the signed-in user for a settlement.
    fn staff_id(&self, user: &User) -> Option<StaffId> {
        match self {
            StepInput::Dispatch { staff, .. } => Some(*staff),
            StepInput::Transfer { to, .. } => Some(*to),
            StepInput::Collect { collector, .. } => Some(*collector),
            StepInput::SignOff { signer } => Some(*signer),
            StepInput::Settle => Some(user.staff_id),
            _ => None,
        }
    }
}

/// The domain step for `input`, borrowing the staff member it names.
fn to_step<'a>(input: &StepInput, staff: Option<&'a Staff>, user: &User) -> Option<JobStep<'a>> {
    Some(match input.clone() {
        StepInput::Dispatch { round, .. } => {
            let staff = staff?;
            let channel = match round {
                Some(at) => DispatchChannel::Round { at, copier: staff.id },
                None => DispatchChannel::Direct,
            };
            JobStep::Dispatch { staff, channel }
        }
        StepInput::Transfer { reason, .. } => JobStep::Transfer { to: staff?, reason },
        StepInput::Return { reason } => JobStep::Return { reason },
        StepInput::Reschedule { reason, apologised, new_time } => {
            JobStep::Reschedule { reason, apologised, new_time }
        }
        StepInput::Cancel { reason, staff_told_at } => JobStep::Cancel { reason, staff_told_at },
        StepInput::NotHome { slip_no } => JobStep::NotHome { slip_no },
        StepInput::Done { record } => JobStep::Done { record },
        StepInput::Collect { amount, .. } => JobStep::Collect { amount, collector: staff? },
        StepInput::SignOff { .. } => JobStep::SignOff { signer: staff?, desk: user.desk },
        StepInput::Settle => JobStep::Settle { by: staff? },
    })
}

impl HomeDesk {
    /// Takes one step of a job; refused steps name the rule and write nothing.
    pub fn take_step(&mut self, user: &User, id: RequestId, input: &StepInput) -> Result<Request> {
        let staff = match input.staff_id(user) {
            Some(staff_id) => Some(self.store.get_staff(staff_id)?),
            None => None,
        };
        let copier = self.store.job_copier(id)?;
        let now = self.now();
        let mut tx = self.store.write(audit_at(user, now))?;
        let job = tx.get_request(id)?;
        let facts = JobFacts { holder: job.assigned_staff.as_ref().map(|(id, _)| *id), copier };
        let step = to_step(input, staff.as_ref(), user)
            .ok_or(AppError::Store(crate::store::StoreError::NotFound))?;
        let to = check_step(&job, &facts, &step, now)?;
        tx.record_step(&job, &step, to)?;
        tx.commit()?;
        Ok(self.store.get_request(id)?)
    }
}
