//! The steps of a job after intake, as the desk takes them: the app finds
//! the people named, checks the step against the life-cycle rules
//! (`domain::check_step`) with the row read under the write lock, and
//! records it in the same transaction.

use chrono::{NaiveDateTime, NaiveTime};

use super::{AppError, HomeDesk, Result, audit_at};
use crate::domain::{
    AskedBy, DispatchChannel, JobFacts, JobStep, Money, RegisterKind, Request, RequestId, ServiceRecord,
    SlipError, SlipNo, Staff, StaffId, User, check_slip_for_job, check_step,
};
use crate::store::{SlipDraft, WriteTx};

/// A step as the desk asks for it, naming people by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepInput {
    /// Copied at the round at `round` by `copier` (the staff member sent,
    /// when `None`), or sent directly (`round: None`).
    Dispatch {
        staff: StaffId,
        round: Option<NaiveTime>,
        copier: Option<StaffId>,
    },
    Transfer {
        to: StaffId,
        reason: String,
    },
    Return {
        reason: String,
    },
    Reschedule {
        asked_by: AskedBy,
        reason: String,
        apologised: bool,
        staff_told_at: Option<NaiveDateTime>,
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
    /// `reason`: why the amount differs from the agreed price (R-FEE-1).
    Collect {
        amount: Money,
        collector: StaffId,
        reason: String,
    },
    /// Signed by `signer` at the signed-in user's desk.
    SignOff {
        signer: StaffId,
    },
    /// Settled by the signed-in user (finance).
    Settle,
    Arrive {
        at: NaiveDateTime,
    },
    FollowUp {
        note: String,
    },
    /// Spot-checked at the signed-in user's desk.
    SpotCheck {
        note: String,
    },
    Hazard {
        description: String,
        told_resident: bool,
    },
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

/// The people a step names, read under the write lock.
struct Named {
    staff: Option<Staff>,
    copier: Option<Staff>,
}

/// The domain step for `input`, borrowing the people it names.
fn to_step<'a>(input: &StepInput, named: &'a Named, user: &User) -> Option<JobStep<'a>> {
    let staff = named.staff.as_ref();
    Some(match input.clone() {
        StepInput::Dispatch { round, .. } => {
            let staff = staff?;
            let channel = match round {
                Some(at) => DispatchChannel::Round { at, copier: named.copier.as_ref().unwrap_or(staff) },
                None => DispatchChannel::Direct,
            };
            JobStep::Dispatch { staff, channel }
        }
        StepInput::Transfer { reason, .. } => JobStep::Transfer { to: staff?, reason },
        StepInput::Return { reason } => JobStep::Return { reason },
        StepInput::Reschedule { asked_by, reason, apologised, staff_told_at, new_time } => {
            JobStep::Reschedule { asked_by, reason, apologised, staff_told_at, new_time }
        }
        StepInput::Cancel { reason, staff_told_at } => JobStep::Cancel { reason, staff_told_at },
        StepInput::NotHome { slip_no } => JobStep::NotHome { slip_no },
        StepInput::Done { record } => JobStep::Done { record },
        StepInput::Collect { amount, reason, .. } => JobStep::Collect { amount, collector: staff?, reason },
        StepInput::SignOff { .. } => JobStep::SignOff { signer: staff?, desk: user.desk },
        StepInput::Settle => JobStep::Settle { by: staff? },
        StepInput::Arrive { at } => JobStep::Arrive { at },
        StepInput::FollowUp { note } => JobStep::FollowUp { note },
        StepInput::SpotCheck { note } => JobStep::SpotCheck { note, desk: user.desk },
        StepInput::Hazard { description, told_resident } => JobStep::Hazard { description, told_resident },
    })
}

impl HomeDesk {
    /// Takes one step of a job; refused steps name the rule and write nothing.
    pub fn take_step(&mut self, user: &User, id: RequestId, input: &StepInput) -> Result<Request> {
        let now = self.now();
        let mut tx = self.store.write(audit_at(user, now))?;
        let named = Named {
            staff: input.staff_id(user).map(|staff| tx.get_staff(staff)).transpose()?,
            copier: match input {
                StepInput::Dispatch { copier: Some(copier), .. } => Some(tx.get_staff(*copier)?),
                _ => None,
            },
        };
        let job = tx.get_request(id)?;
        // Only an alarm job's sign-off asks who copied it (R-EX-3): no other
        // step reads the job's dispatches.
        let signs_alarm = job.no.kind == RegisterKind::Alarm && matches!(input, StepInput::SignOff { .. });
        let copier = if signs_alarm { tx.job_copier(id)? } else { None };
        // Only an arrival and a finish are timed against the dispatch.
        let timed = matches!(input, StepInput::Arrive { .. } | StepInput::Done { .. });
        let dispatched_at = if timed { tx.job_dispatched_at(id)? } else { None };
        let facts =
            JobFacts { holder: job.assigned_staff.as_ref().map(|(id, _)| *id), copier, dispatched_at };
        let step = to_step(input, &named, user).ok_or(AppError::Store(crate::store::StoreError::NotFound))?;
        let to = check_step(&job, &facts, &step, now)?;
        if let JobStep::NotHome { slip_no } = &step {
            post_slip(&mut tx, &job, slip_no)?;
        }
        let moved = tx.record_step(&job, &step, to)?;
        tx.commit()?;
        Ok(moved)
    }
}

/// What a slip for `job` says: its room, the visit time, the service and the
/// staff member — never the resident's name or phone (R-FU-3).
pub(super) fn slip_draft_for(job: &Request) -> SlipDraft {
    SlipDraft {
        request: Some(job.id),
        room: job.room.clone(),
        visit_at: Some(job.appointment),
        service: job.service.clone(),
        staff: job.assigned_staff.as_ref().map(|(_, name)| name.clone()).unwrap_or_default(),
    }
}

/// R-FU-3: the slip posted on the door must have been issued, blank or for
/// this job, and not posted before; it now belongs to the job.
fn post_slip(tx: &mut WriteTx<'_>, job: &Request, slip_no: &str) -> Result<()> {
    let no = SlipNo::parse(slip_no).ok_or_else(|| SlipError::Unknown(slip_no.trim().to_string()))?;
    let slip = tx.get_slip(no)?.ok_or_else(|| SlipError::Unknown(no.to_string()))?;
    check_slip_for_job(&slip, job.id)?;
    tx.post_slip(&slip, &slip_draft_for(job))?;
    Ok(())
}
