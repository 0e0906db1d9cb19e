//! A demo row's life after intake. When a row is registered its whole path
//! is planned — dispatch at a copy round or directly (R-DSP-1..3), now and
//! then a hand-off, a reschedule (R-FU-1, R-FU-2) or nobody home (R-FU-3),
//! the arrival of repair staff (R-SLA-2), the service record (R-EX-1), a
//! hazard (R-SLA-3), the fee (R-FEE-1), sign-off (R-EX-2, R-EX-3),
//! settlement (R-FEE-3), the spot-check and the follow-up (R-EX-3, R-EX-4) —
//! or its cancellation. Each step is queued at its time and taken through
//! [`HomeDesk::take_step`](crate::app::HomeDesk::take_step) and the follow-up
//! use cases when the demo's clock reaches it, so it meets the same rules
//! as a clerk's; steps after the demo's "now" are never taken, which leaves
//! the newest rows in every state.

use std::cmp::{Ordering, Reverse};

use chrono::{Duration, NaiveDateTime, NaiveTime};
use rand::Rng;

use super::{
    ALARM_SLOTS, Booking, Demo, Fate, HOUSEKEEPING_SLOTS, REPAIR_SLOTS, at_minute, minute_of_day,
    next_copy_time,
};
use crate::app::{Result, StepInput};
use crate::domain::{
    AskedBy, Desk, Opinion, RegisterKind, RequestId, SUPERVISOR_FEE_FEN, ServiceRecord, StaffId, Urgency,
    User,
};

/// Housekeeping copies orders at 08:00 and 13:30 (R-DSP-1), engineering at
/// 09:00 and 13:30 (R-DSP-2), in minutes of the day.
const HOUSEKEEPING_COPY_TIMES: [i64; 2] = [8 * 60, 13 * 60 + 30];
const ALARM_COPY_TIMES: [i64; 2] = [9 * 60, 13 * 60 + 30];

/// Detours of a row that is done in the end, per mille (one at most per row).
const TRANSFER_PER_MILLE: u32 = 30;
const RETURN_PER_MILLE: u32 = 6;
const RESIDENT_RESCHEDULE_PER_MILLE: u32 = 30;
const STAFF_RESCHEDULE_PER_MILLE: u32 = 30;
const NOBODY_HOME_PER_MILLE: u32 = 35;
/// R-SLA-2: most emergencies are reached within 10 minutes, a few are not.
const LATE_EMERGENCY_PER_MILLE: u32 = 100;
const REPAIR_HAZARD_PER_MILLE: u32 = 25;
const OTHER_HAZARD_PER_MILLE: u32 = 5;
const SPOT_CHECK_PER_MILLE: u32 = 400;

const TRANSFER_REASONS: [&str; 3] =
    ["原派员工临时请假，改派同组员工", "原派员工手头工作未完，改派同组员工", "需要熟悉该型号的师傅，改派"];
const RETURN_REASONS: [&str; 2] = ["员工临时生病，退回客服重新派单", "员工发现工作量超出预估，退回重新安排"];
const RESIDENT_RESCHEDULE_REASONS: [&str; 3] =
    ["住户临时出差，改约时间", "住户家中有事，改约后天", "住户要求改到周末上门"];
const CALLBACK_REASONS: [&str; 3] =
    ["住户看到留言条后回电，另约时间", "住户回电：上门时在加班，改约明天", "住户回电改约"];
const CANCEL_REASONS: [&str; 4] = [
    "住户临时有事外出，取消预约",
    "住户已自行处理，取消",
    "住户改变主意，暂不需要",
    "住户家中来客，改日再约（另行登记）",
];
const HAZARDS: [&str; 4] = [
    "燃气软管老化开裂，已提醒住户尽快更换",
    "插座串接多个大功率电器，已提醒住户分开使用",
    "阳台堆放杂物堵塞逃生通道，已提醒住户清理",
    "热水器烟道未接到室外，已提醒住户请厂家整改",
];
const FOLLOW_UP_NOTES: [&str; 4] =
    ["电话回访：维修后使用正常", "电话回访：不再漏水", "上门查看：修复处良好", "电话回访：住户表示满意"];
const SPOT_CHECK_NOTES: [&str; 3] = [
    "电话抽查：报警器工作正常，住户满意",
    "上门抽查：探测器安装牢固，测试报警正常",
    "电话抽查：住户已会使用紧急按钮",
];
const COMPLAINTS: [&str; 3] = ["上门比约定时间晚", "清理不够仔细", "完工后未清理现场"];

/// Who records a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Recorder {
    Desk(Desk),
    Finance,
}

/// What is done at a queued step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Act {
    Take(StepInput),
    /// R-FU-3: a slip is issued for the job and posted on the door; its stub
    /// comes back to the CS center at `stub_back`.
    NobodyHome {
        stub_back: NaiveDateTime,
    },
    ReturnStub {
        slip_no: String,
    },
}

/// A step waiting for the demo's clock.
pub(super) struct QueuedStep {
    at: NaiveDateTime,
    order: u64,
    id: RequestId,
    by: Recorder,
    act: Act,
}

impl PartialEq for QueuedStep {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.order) == (other.at, other.order)
    }
}

impl Eq for QueuedStep {}

impl PartialOrd for QueuedStep {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for QueuedStep {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.at, self.order).cmp(&(other.at, other.order))
    }
}

/// How and when a row goes out.
struct Dispatch {
    at: NaiveDateTime,
    /// The copy round's time, when it was copied at one (R-DSP-1/2).
    round: Option<NaiveTime>,
}

/// A row's path while it is planned: its steps in time order and what the
/// later steps depend on.
struct LifePlan {
    id: RequestId,
    kind: RegisterKind,
    owner: Desk,
    /// Who holds the job (the last dispatch or hand-off).
    holder: StaffId,
    /// Who copied an alarm order at a round: they sign it off (R-EX-3).
    copier: Option<StaffId>,
    /// The visit as booked now; a reschedule moves it.
    visit: NaiveDateTime,
    steps: Vec<(NaiveDateTime, Recorder, Act)>,
}

impl LifePlan {
    fn new(b: &Booking) -> LifePlan {
        LifePlan {
            id: b.id,
            kind: b.kind,
            owner: b.kind.owner(),
            holder: b.staff,
            copier: None,
            visit: b.appointment,
            steps: Vec::new(),
        }
    }

    fn last(&self) -> Option<NaiveDateTime> {
        self.steps.last().map(|(at, _, _)| *at)
    }

    /// A step recorded at the desk that keeps the register.
    fn at_owner(&mut self, at: NaiveDateTime, input: StepInput) {
        self.steps.push((at, Recorder::Desk(self.owner), Act::Take(input)));
    }

    fn push(&mut self, at: NaiveDateTime, by: Recorder, act: Act) {
        self.steps.push((at, by, act));
    }
}

impl Demo {
    /// Plans a registered row's life and queues the steps that happen by
    /// the demo's "now".
    pub(super) fn plan_life(&mut self, b: &Booking) {
        let mut plan = LifePlan::new(b);
        let dispatch = self.dispatch_time(b);
        if b.fate == Fate::Cancel {
            self.plan_cancel(&mut plan, b, dispatch);
        } else {
            self.plan_work(&mut plan, b, dispatch);
        }
        self.queue_plan(plan);
    }

    /// R-DSP-4: an agreement visit on its day goes out at the copy round to
    /// the agreement's staff member, is done in the agreed time, paid for
    /// when it has a price of its own (not under a monthly price), signed
    /// off and settled; its times are the agreement's, so nothing moves it.
    pub(super) fn plan_agreement_visit(&mut self, b: &Booking) {
        let mut plan = LifePlan::new(b);
        let dispatch = self.dispatch_time(b);
        self.plan_dispatch(&mut plan, dispatch);
        let done = self.plan_done(&mut plan, b, None);
        self.plan_collection(&mut plan, b);
        self.plan_sign_off_and_settlement(&mut plan, b, done);
        self.queue_plan(plan);
    }

    /// Takes every queued step due by `until`, in time order.
    pub(super) fn apply_steps_until(&mut self, until: NaiveDateTime) -> Result<()> {
        while self.steps.peek().is_some_and(|Reverse(step)| step.at <= until) {
            let Some(Reverse(step)) = self.steps.pop() else {
                break;
            };
            self.apply_step(step)?;
        }
        Ok(())
    }

    fn apply_step(&mut self, step: QueuedStep) -> Result<()> {
        self.set_clock(step.at);
        let user = self.recorder(step.by, step.at);
        match step.act {
            Act::Take(input) => {
                self.desk.take_step(&user, step.id, &input)?;
            }
            Act::NobodyHome { stub_back } => self.post_slip(&user, step.id, stub_back)?,
            Act::ReturnStub { slip_no } => {
                self.desk.return_stub(&user, &slip_no)?;
            }
        }
        Ok(())
    }

    /// R-FU-3: the slip is issued for the job first, then posted; its stub
    /// is queued to come back to the CS center.
    fn post_slip(&mut self, user: &User, id: RequestId, stub_back: NaiveDateTime) -> Result<()> {
        let slip = self.desk.issue_slip_for_job(user, id)?;
        let slip_no = slip.no.to_string();
        self.desk.take_step(user, id, &StepInput::NotHome { slip_no: slip_no.clone() })?;
        self.queue_step(stub_back, id, Recorder::Desk(Desk::CsCenter), Act::ReturnStub { slip_no });
        Ok(())
    }

    fn recorder(&self, by: Recorder, at: NaiveDateTime) -> User {
        match by {
            Recorder::Desk(desk) => self.clerk(desk, at),
            Recorder::Finance => self.finance.clone().unwrap_or_else(|| self.manager.clone()),
        }
    }

    fn queue_plan(&mut self, plan: LifePlan) {
        for (at, by, act) in plan.steps {
            if at > self.cutoff {
                return;
            }
            self.queue_step(at, plan.id, by, act);
        }
    }

    fn queue_step(&mut self, at: NaiveDateTime, id: RequestId, by: Recorder, act: Act) {
        if at > self.cutoff {
            return;
        }
        self.step_order += 1;
        self.steps.push(Reverse(QueuedStep { at, order: self.step_order, id, by, act }));
    }

    /// `at`, but after the plan's last step and while `desk` is open.
    fn step_time(&mut self, plan: &LifePlan, desk: Desk, at: NaiveDateTime) -> NaiveDateTime {
        let at = plan.last().map_or(at, |last| at.max(last + Duration::minutes(1)));
        self.at_desk(desk, at)
    }

    // ----- the two endings ------------------------------------------------

    /// R-FU-2: the resident calls off before the visit; staff already sent
    /// are told.
    fn plan_cancel(&mut self, plan: &mut LifePlan, b: &Booking, dispatch: Dispatch) {
        let cancel_at = self.cancel_time(b);
        let sent = dispatch.at < cancel_at;
        if sent {
            self.plan_dispatch(plan, dispatch);
        }
        let at = self.step_time(plan, plan.owner, cancel_at);
        let staff_told_at = sent.then(|| self.staff_told_at(plan, at));
        let reason = self.pick(&CANCEL_REASONS).to_string();
        plan.at_owner(at, StepInput::Cancel { reason, staff_told_at });
    }

    /// Out to the staff, then — as far as the row's fate goes — the visit,
    /// the money, the sign-off, settlement and the checks afterwards.
    fn plan_work(&mut self, plan: &mut LifePlan, b: &Booking, dispatch: Dispatch) {
        self.plan_dispatch(plan, dispatch);
        match b.fate {
            Fate::Waiting => return self.plan_put_off(plan),
            Fate::Away => return self.plan_nobody_home(plan),
            Fate::NearDeadline => return,
            Fate::PastDeadline => {
                self.plan_arrival(plan, b);
                return;
            }
            _ => {}
        }
        if b.urgency != Some(Urgency::Emergency) {
            self.plan_detour(plan);
        }
        let arrived = (b.kind == RegisterKind::Repair).then(|| self.plan_arrival(plan, b));
        let done = self.plan_done(plan, b, arrived);
        self.plan_hazard(plan);
        self.plan_collection(plan, b);
        if b.fate != Fate::StallDone {
            self.plan_sign_off_and_settlement(plan, b, done);
        }
        if b.kind == RegisterKind::Repair {
            self.plan_follow_up(plan, done);
        }
    }

    fn plan_sign_off_and_settlement(&mut self, plan: &mut LifePlan, b: &Booking, done: NaiveDateTime) {
        let signed = self.plan_sign_off(plan, done);
        if b.fate == Fate::Complete {
            self.plan_settlement(plan, signed);
        }
        if b.kind == RegisterKind::Alarm && self.chance(SPOT_CHECK_PER_MILLE) {
            self.plan_spot_check(plan, signed);
        }
    }

    // ----- dispatch and detours -------------------------------------------

    /// R-DSP-3: repairs go out at once; R-DSP-1/2: housekeeping and alarm
    /// orders are copied at the fixed times, or sent directly when the
    /// appointment comes before the next copy time.
    fn dispatch_time(&mut self, b: &Booking) -> Dispatch {
        let copy_times: &[i64] = match b.kind {
            RegisterKind::Repair => {
                let minutes =
                    if b.urgency == Some(Urgency::Emergency) { 1 } else { self.rng.gen_range(1..=4) };
                let at = self.jitter(b.received + Duration::minutes(minutes), 0, 1);
                return Dispatch { at, round: None };
            }
            RegisterKind::Housekeeping => &HOUSEKEEPING_COPY_TIMES,
            RegisterKind::Alarm => &ALARM_COPY_TIMES,
        };
        let copy = next_copy_time(b.received, copy_times);
        if copy + Duration::minutes(30) <= b.appointment {
            // Copied at the round itself, which the step records (R-DSP-1/2).
            return Dispatch { at: copy, round: Some(copy.time()) };
        }
        let gap = (b.appointment - b.received).num_minutes();
        let latest = (gap - 5).clamp(2, 20);
        Dispatch { at: self.jitter(b.received, 2, latest), round: None }
    }

    fn plan_dispatch(&mut self, plan: &mut LifePlan, dispatch: Dispatch) {
        if dispatch.round.is_some() {
            plan.copier = Some(plan.holder);
        }
        plan.at_owner(
            dispatch.at,
            StepInput::Dispatch { staff: plan.holder, round: dispatch.round, copier: None },
        );
    }

    /// At most one thing gets in the way of a row that is done in the end.
    fn plan_detour(&mut self, plan: &mut LifePlan) {
        let roll = self.rng.gen_range(0..1000);
        let mut bound = 0;
        let mut next = |per_mille: u32| {
            bound += per_mille;
            roll < bound
        };
        if next(TRANSFER_PER_MILLE) {
            self.plan_transfer(plan);
        } else if next(RETURN_PER_MILLE) {
            self.plan_return(plan);
        } else if next(RESIDENT_RESCHEDULE_PER_MILLE) {
            self.plan_resident_reschedule(plan);
        } else if next(STAFF_RESCHEDULE_PER_MILLE) {
            self.plan_staff_reschedule(plan);
        } else if next(NOBODY_HOME_PER_MILLE) {
            self.plan_nobody_home(plan);
            self.plan_callback(plan);
        }
    }

    /// Some time between the last step and the visit, while the desk is open.
    fn before_visit(&mut self, plan: &LifePlan) -> NaiveDateTime {
        let last = plan.last().unwrap_or(plan.visit);
        let room = (plan.visit - last).num_minutes() - 20;
        let at = if room > 10 { self.jitter(last, 10, room.min(600)) } else { last };
        self.step_time(plan, plan.owner, at)
    }

    /// A hand-off to another staff member of the same group, with a reason.
    fn plan_transfer(&mut self, plan: &mut LifePlan) {
        let at = self.before_visit(plan);
        let Some((to, _)) = self.pick_other_provider(plan.kind, plan.holder, at) else {
            return;
        };
        let reason = self.pick(&TRANSFER_REASONS).to_string();
        plan.at_owner(at, StepInput::Transfer { to, reason });
        plan.holder = to;
    }

    /// Staff give the job back; the desk sends someone else directly.
    fn plan_return(&mut self, plan: &mut LifePlan) {
        let at = self.before_visit(plan);
        let Some((staff, _)) = self.pick_other_provider(plan.kind, plan.holder, at) else {
            return;
        };
        let reason = self.pick(&RETURN_REASONS).to_string();
        plan.at_owner(at, StepInput::Return { reason });
        let again = self.jitter(at, 5, 30);
        let again = self.step_time(plan, plan.owner, again);
        plan.at_owner(again, StepInput::Dispatch { staff, round: None, copier: None });
        plan.holder = staff;
    }

    /// R-FU-2: the resident asks for another day; the staff sent are told.
    fn plan_resident_reschedule(&mut self, plan: &mut LifePlan) {
        let at = self.before_visit(plan);
        let reason = self.pick(&RESIDENT_RESCHEDULE_REASONS).to_string();
        let new_time = self.later_visit(plan.visit, at, 1..=3);
        self.push_resident_reschedule(plan, at, new_time, reason);
    }

    /// R-FU-1: staff cannot keep the time; the desk apologises and agrees a
    /// new one, with a reason from the office's list.
    fn plan_staff_reschedule(&mut self, plan: &mut LifePlan) {
        let at = self.before_visit(plan);
        let new_time = self.later_visit(plan.visit, at, 1..=2);
        self.push_staff_reschedule(plan, at, new_time, None);
    }

    /// Dispatched, then put off until after "now": staff wait for parts
    /// (R-FU-1), or a housekeeping resident goes away (R-FU-2).
    fn plan_put_off(&mut self, plan: &mut LifePlan) {
        let last = plan.last().unwrap_or(plan.visit);
        let at = self.jitter(last, 30, 240);
        let at = self.step_time(plan, plan.owner, at);
        let day = self.cutoff.date() + Duration::days(self.rng.gen_range(1..=3));
        let new_time = at_minute(day, self.pick(visit_slots(plan.kind))).max(at + Duration::hours(2));
        if plan.kind == RegisterKind::Housekeeping {
            let reason = Fate::waiting_note(plan.kind).to_string();
            self.push_resident_reschedule(plan, at, new_time, reason);
        } else {
            self.push_staff_reschedule(plan, at, new_time, Some("材料"));
        }
    }

    fn push_resident_reschedule(
        &mut self,
        plan: &mut LifePlan,
        at: NaiveDateTime,
        new_time: NaiveDateTime,
        reason: String,
    ) {
        let staff_told_at = Some(self.staff_told_at(plan, at));
        plan.at_owner(
            at,
            StepInput::Reschedule {
                asked_by: AskedBy::Resident,
                reason,
                apologised: false,
                staff_told_at,
                new_time,
            },
        );
        plan.visit = new_time;
    }

    fn push_staff_reschedule(
        &mut self,
        plan: &mut LifePlan,
        at: NaiveDateTime,
        new_time: NaiveDateTime,
        prefer: Option<&str>,
    ) {
        let reason = self.staff_reason(prefer);
        plan.at_owner(
            at,
            StepInput::Reschedule {
                asked_by: AskedBy::Staff,
                reason,
                apologised: true,
                staff_told_at: None,
                new_time,
            },
        );
        plan.visit = new_time;
    }

    /// R-FU-2: the desk phones the staff member sent just before recording
    /// the change at `at`.
    fn staff_told_at(&mut self, plan: &LifePlan, at: NaiveDateTime) -> NaiveDateTime {
        let told = at - Duration::minutes(self.rng.gen_range(0..=4));
        plan.last().map_or(told, |last| told.max(last))
    }

    /// A reschedule reason for staff from the office's list; one containing
    /// `prefer` when there is one.
    fn staff_reason(&mut self, prefer: Option<&str>) -> String {
        let preferred = prefer.and_then(|word| self.staff_reasons.iter().find(|r| r.contains(word)).cloned());
        if let Some(reason) = preferred {
            return reason;
        }
        let reasons = self.staff_reasons.clone();
        reasons
            .get(self.rng.gen_range(0..reasons.len().max(1)))
            .cloned()
            .unwrap_or_else(|| "员工临时有事".into())
    }

    /// The visit moved by `days` days, and in any case later than `after`.
    fn later_visit(
        &mut self,
        visit: NaiveDateTime,
        after: NaiveDateTime,
        days: std::ops::RangeInclusive<i64>,
    ) -> NaiveDateTime {
        let mut new_time = visit + Duration::days(self.rng.gen_range(days));
        while new_time <= after + Duration::hours(1) {
            new_time += Duration::days(1);
        }
        new_time
    }

    /// R-FU-3: nobody home at the visit; the slip is posted and its stub
    /// handed back to the CS center a few hours later.
    fn plan_nobody_home(&mut self, plan: &mut LifePlan) {
        let at = self.jitter(plan.visit, 10, 25);
        let at = self.step_time(plan, plan.owner, at);
        let stub_back = self.jitter(at, 60, 240);
        let stub_back = self.at_desk(Desk::CsCenter, stub_back);
        plan.push(at, Recorder::Desk(plan.owner), Act::NobodyHome { stub_back });
    }

    /// R-FU-2: the resident calls back after finding the slip and agrees a
    /// new time; the staff member is told.
    fn plan_callback(&mut self, plan: &mut LifePlan) {
        let last = plan.last().unwrap_or(plan.visit);
        let at = self.jitter(last, 120, 20 * 60);
        let at = self.step_time(plan, plan.owner, at);
        let day = at.date() + Duration::days(1);
        let new_time = at_minute(day, self.pick(visit_slots(plan.kind)));
        let reason = self.pick(&CALLBACK_REASONS).to_string();
        self.push_resident_reschedule(plan, at, new_time, reason);
    }

    // ----- the visit ----------------------------------------------------------

    /// R-SLA-2: repair staff report reaching the home; emergencies mostly
    /// within 10 minutes of the call.
    fn plan_arrival(&mut self, plan: &mut LifePlan, b: &Booking) -> NaiveDateTime {
        let arrival = if b.urgency == Some(Urgency::Emergency) {
            let late = self.chance(LATE_EMERGENCY_PER_MILLE);
            let (min, max) = if late { (11, 25) } else { (3, 9) };
            self.jitter(b.received, min, max)
        } else {
            self.jitter(plan.visit - Duration::minutes(10), 0, 30)
        };
        let arrival = plan.last().map_or(arrival, |last| arrival.max(last + Duration::minutes(1)));
        let at = self.jitter(arrival, 0, 2);
        let at = self.step_time(plan, Desk::ControlCenter, at);
        plan.at_owner(at, StepInput::Arrive { at: arrival });
        arrival
    }

    /// R-EX-1: the work is done and the resident signs the record; staff
    /// report it to the desk.
    fn plan_done(
        &mut self,
        plan: &mut LifePlan,
        b: &Booking,
        arrived: Option<NaiveDateTime>,
    ) -> NaiveDateTime {
        let arrived_at = match arrived {
            Some(at) => at,
            None => {
                let at = self.jitter(plan.visit - Duration::minutes(5), 0, 15);
                plan.last().map_or(at, |last| at.max(last + Duration::minutes(1)))
            }
        };
        let finished_at = arrived_at + Duration::minutes(self.work_minutes(b));
        let reported = self.jitter(finished_at, 3, 30);
        let at = self.step_time(plan, plan.owner, reported);
        let record = self.service_record(b, arrived_at, finished_at);
        plan.at_owner(at, StepInput::Done { record });
        at
    }

    fn work_minutes(&mut self, b: &Booking) -> i64 {
        if let Some(minutes) = b.visit_minutes {
            return minutes;
        }
        match (b.kind, b.urgency) {
            (RegisterKind::Housekeeping, _) => self.rng.gen_range(60..=240),
            (RegisterKind::Repair, Some(Urgency::Emergency)) => self.rng.gen_range(20..=60),
            (RegisterKind::Repair, Some(Urgency::Big)) => self.rng.gen_range(90..=240),
            (RegisterKind::Repair, _) => self.rng.gen_range(20..=90),
            (RegisterKind::Alarm, _) => self.rng.gen_range(40..=150),
        }
    }

    /// Mostly satisfied; now and then fairly satisfied, rarely a complaint.
    fn service_record(
        &mut self,
        b: &Booking,
        arrived_at: NaiveDateTime,
        finished_at: NaiveDateTime,
    ) -> ServiceRecord {
        let (opinion, comment) = match self.rng.gen_range(0..100) {
            0..85 => (Opinion::Satisfied, String::new()),
            85..97 => (Opinion::FairlySatisfied, String::new()),
            _ => (Opinion::Dissatisfied, self.pick(&COMPLAINTS).to_string()),
        };
        ServiceRecord {
            arrived_at,
            finished_at,
            work_done: format!("已按登记完成：{}", b.details),
            resident_signed: true,
            opinion: Some(opinion),
            comment,
        }
    }

    /// R-SLA-3: now and then a hazard is found, pointed out and reported.
    fn plan_hazard(&mut self, plan: &mut LifePlan) {
        let per_mille =
            if plan.kind == RegisterKind::Repair { REPAIR_HAZARD_PER_MILLE } else { OTHER_HAZARD_PER_MILLE };
        if !self.chance(per_mille) {
            return;
        }
        let at = self.step_time(plan, plan.owner, plan.last().unwrap_or(plan.visit));
        let description = self.pick(&HAZARDS).to_string();
        plan.at_owner(at, StepInput::Hazard { description, told_resident: true });
    }

    // ----- money, sign-off and the checks afterwards --------------------------

    /// R-FEE-1: fees of 100 yuan or more are collected by a business
    /// supervisor (or the manager), smaller ones by the staff who did the job.
    fn plan_collection(&mut self, plan: &mut LifePlan, b: &Booking) {
        if b.price.is_zero() {
            return;
        }
        let collector = if b.price.fen() >= SUPERVISOR_FEE_FEN {
            self.supervisor_id(b.kind.provider())
        } else {
            plan.holder
        };
        let at = self.step_time(plan, plan.owner, plan.last().unwrap_or(plan.visit));
        plan.at_owner(at, StepInput::Collect { amount: b.price, collector, reason: String::new() });
    }

    /// R-EX-2: staff sign at the desk that keeps the register; R-EX-3: an
    /// alarm job copied at a round is signed by whoever copied it.
    fn plan_sign_off(&mut self, plan: &mut LifePlan, done: NaiveDateTime) -> NaiveDateTime {
        let at = self.sign_off_time(plan.owner, done);
        let at = self.step_time(plan, plan.owner, at);
        let signer = match plan.kind {
            RegisterKind::Alarm => plan.copier.unwrap_or(plan.holder),
            _ => plan.holder,
        };
        plan.at_owner(at, StepInput::SignOff { signer });
        at
    }

    /// R-EX-2: at the CS center after work or at the next morning's copy-order time.
    fn sign_off_time(&mut self, desk: Desk, done: NaiveDateTime) -> NaiveDateTime {
        match desk {
            Desk::ControlCenter => self.jitter(done, 10, 90),
            Desk::CsCenter => self.jitter(done, 20, 150),
        }
    }

    /// R-FEE-3: finance settles in the late afternoon of the same day, or
    /// the next morning for late sign-offs.
    fn plan_settlement(&mut self, plan: &mut LifePlan, signed: NaiveDateTime) {
        let at = if minute_of_day(signed) < 15 * 60 + 30 {
            self.jitter(at_minute(signed.date(), 16 * 60), 0, 85)
        } else {
            self.jitter(at_minute(signed.date() + Duration::days(1), 9 * 60), 0, 120)
        };
        let at = self.step_time(plan, Desk::CsCenter, at);
        plan.push(at, Recorder::Finance, Act::Take(StepInput::Settle));
    }

    /// R-EX-3: the CS center spot-checks a finished alarm job a few days later.
    fn plan_spot_check(&mut self, plan: &mut LifePlan, signed: NaiveDateTime) {
        let day = signed.date() + Duration::days(self.rng.gen_range(1..=3));
        let at = self.jitter(at_minute(day, 10 * 60), 0, 6 * 60);
        let at = self.step_time(plan, Desk::CsCenter, at);
        let note = self.pick(&SPOT_CHECK_NOTES).to_string();
        plan.push(at, Recorder::Desk(Desk::CsCenter), Act::Take(StepInput::SpotCheck { note }));
    }

    /// R-EX-4: a day or two later the repair is checked to hold.
    fn plan_follow_up(&mut self, plan: &mut LifePlan, done: NaiveDateTime) {
        let day = done.date() + Duration::days(self.rng.gen_range(1..=2));
        let at = self.jitter(at_minute(day, 9 * 60 + 30), 0, 7 * 60);
        let at = self.step_time(plan, Desk::ControlCenter, at);
        let note = self.pick(&FOLLOW_UP_NOTES).to_string();
        plan.at_owner(at, StepInput::FollowUp { note });
    }

    /// R-FU-2: the resident calls off between registering and the appointment.
    fn cancel_time(&mut self, b: &Booking) -> NaiveDateTime {
        let gap = (b.appointment - b.received).num_minutes();
        let latest = (gap - 10).max(6);
        let at = self.jitter(b.received, 5, latest);
        self.at_desk(b.kind.owner(), at)
    }

    /// Another active staff member of the group doing `kind`'s work (R-DESK-4).
    fn pick_other_provider(
        &mut self,
        kind: RegisterKind,
        holder: StaffId,
        at: NaiveDateTime,
    ) -> Option<(StaffId, String)> {
        (0..4).find_map(|_| self.pick_provider(kind.provider(), at).filter(|(id, _)| *id != holder))
    }

    /// The collector of fees of 100 yuan or more: the group's supervisor, or the manager.
    fn supervisor_id(&self, group: crate::domain::Group) -> StaffId {
        self.staff
            .iter()
            .find(|s| s.available() && s.spec.group == group && s.spec.rank.is_supervisor_or_above())
            .and_then(|s| s.id)
            .unwrap_or(self.manager.staff_id)
    }
}

/// The times of day a register books visits at.
fn visit_slots(kind: RegisterKind) -> &'static [i64] {
    match kind {
        RegisterKind::Housekeeping => &HOUSEKEEPING_SLOTS,
        RegisterKind::Repair => &REPAIR_SLOTS,
        RegisterKind::Alarm => &ALARM_SLOTS,
    }
}
