//! The figures of a period (R-RV-4: the basis of the 居家服务情况统计分析报告
//! and the 统计 tab), computed from plain facts the store loads — never kept
//! by hand. Owns the arithmetic: grouping, medians, per-mille shares, the
//! SLA tally (through `sla.rs`), the revisit plan's progress (through
//! `RevisitPlan::progress`), the cash days (through `cash_days`) and the
//! shopping log's 飞单 (through `concern_of` and `missing_numbers`).
//!
//! Must not: read the clock (`now` is passed in), or know SQL.
//!
//! Which period a fact belongs to: a register row by the time it was
//! received (its later steps, fees and repair commitment count with it, so
//! a month's figures do not change meaning as its rows close); a refusal,
//! complaint, cash collection or receipt, and shopping entry by its own
//! time; a revisit plan by the month it covers.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::{
    AgreementStatus, CashReceipt, Collection, Complaint, Desk, Money, Opinion, RegisterKind, RepairTimes,
    RequestId, RequestStatus, RevisitPlan, RunningNo, ShoppingEntry, ShoppingState, SlaState, StaffId,
    Urgency, cash_days, concern_of, missing_numbers, sla_view,
};

/// What the figures need of one register row received in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFact {
    pub id: RequestId,
    pub no: RunningNo,
    pub room: String,
    pub kind: RegisterKind,
    pub desk: Desk,
    /// The service item as written on the row.
    pub service: String,
    pub status: RequestStatus,
    pub received_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    /// The price, when the resident agreed it (R-IN-5).
    pub agreed: Option<Money>,
    pub collected: Option<Money>,
    pub staff: Option<(StaffId, String)>,
    /// Repair rows only: the commitment hangs on it (R-SLA-1/2).
    pub urgency: Option<Urgency>,
    pub repair_times: RepairTimes,
    pub reschedules: u32,
    pub not_home: u32,
}

/// A refusal (R-IN-1): who refused and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusalFact {
    pub desk: Desk,
    pub reason: String,
}

/// What the figures need of an agreement that overlaps the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementFact {
    pub status: AgreementStatus,
    /// The resident's room: an agreement new in a month puts it on that
    /// month's revisit plan (R-RV-2A).
    pub room: String,
    pub signed_on: Option<NaiveDate>,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    /// The last day of service of a terminated agreement (R-AG-3).
    pub stop_on: Option<NaiveDate>,
}

/// Every fact of one period, as the store loads it.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub requests: Vec<RequestFact>,
    pub refusals: Vec<RefusalFact>,
    pub collections: Vec<Collection>,
    pub cash_receipts: Vec<CashReceipt>,
    pub agreements: Vec<AgreementFact>,
    pub shopping: Vec<ShoppingEntry>,
    /// Every number of the shopping log in use, for the 飞单 check (R-SH-6).
    pub shopping_numbers: Vec<i64>,
    /// The monthly revisit plans of the months in the period.
    pub plans: Vec<RevisitPlan>,
    pub complaints: Vec<Complaint>,
}

/// The days `[from, to)` the figures cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    /// The first day after the period.
    pub to: NaiveDate,
}

impl Period {
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day < self.to
    }
}

/// A count under a key (a register, item, desk or reason code or text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub key: String,
    pub count: u32,
}

/// Money agreed and collected under a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeTally {
    pub key: String,
    pub agreed_fen: i64,
    pub collected_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestFigures {
    pub total: u32,
    pub by_register: Vec<Tally>,
    pub by_item: Vec<Tally>,
    pub by_desk: Vec<Tally>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusalFigures {
    pub total: u32,
    pub by_reason: Vec<Tally>,
    pub by_desk: Vec<Tally>,
}

/// Minutes from registration to the work finished, of the rows finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletionFigures {
    pub finished: u32,
    pub median_minutes: Option<i64>,
    pub mean_minutes: Option<i64>,
    pub longest_minutes: Option<i64>,
    /// How many finished within each of [`COMPLETION_BUCKETS`] (the last:
    /// longer), keyed by the bucket's code; every bucket present.
    #[serde(default)]
    pub distribution: Vec<Tally>,
}

/// The completion-time buckets of the distribution: a code and the most
/// minutes a row may take to fall in it. `over_3d` takes the rest.
pub const COMPLETION_BUCKETS: [(&str, i64); 5] =
    [("within_2h", 120), ("within_8h", 480), ("within_1d", 1440), ("within_3d", 4320), ("over_3d", i64::MAX)];

/// Repair commitments (R-SLA-1/2) of the rows received in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaFigures {
    /// Rows carrying a promise.
    pub committed: u32,
    pub met: u32,
    /// Met after the deadline, or still open past it.
    pub breached: u32,
    /// Open and not yet due.
    pub open: u32,
    /// `met` of the decided ones (met + breached), in ‰.
    pub met_per_mille: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpFigures {
    pub reschedules: u32,
    pub cancellations: u32,
    pub not_home: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeFigures {
    pub agreed_fen: i64,
    pub collected_fen: i64,
    pub by_register: Vec<FeeTally>,
    pub by_item: Vec<FeeTally>,
}

/// Cash collected at the door and handed to finance (R-FEE-2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CashFigures {
    pub collections: u32,
    pub collected_fen: i64,
    pub handovers: u32,
    pub received_fen: i64,
    pub outstanding_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementFigures {
    pub new: u32,
    pub active: u32,
    pub ended: u32,
    pub terminated: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShoppingFigures {
    /// Entries taken in the period, void ones left out.
    pub entries: u32,
    pub void: u32,
    pub expected_fen: i64,
    pub actual_fen: i64,
    /// Numbers missing between the period's first and last number (飞单).
    pub missing_numbers: Vec<i64>,
    /// Entries of the period open past their time today (R-SH-6).
    pub concerns: u32,
}

/// Answers of one question (R-RV-3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpinionTally {
    pub satisfied: u32,
    pub fairly_satisfied: u32,
    pub dissatisfied: u32,
    /// Satisfied or fairly satisfied, of all answers, in ‰.
    pub satisfied_per_mille: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisitFigures {
    pub plans: u32,
    pub households_served: u32,
    pub sample_size: u32,
    pub planned: u32,
    pub revisited: u32,
    pub unreachable: u32,
    pub to_do: u32,
    /// 覆盖率: revisited of the plan, in ‰ (`domain::revisit::coverage_per_mille`).
    pub coverage_per_mille: Option<u32>,
    pub timeliness: OpinionTally,
    pub skill: OpinionTally,
    pub attitude: OpinionTally,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintFigures {
    pub total: u32,
    pub closed: u32,
    pub by_staff: Vec<Tally>,
}

/// A need a resident mentioned at a revisit (R-RV-4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    pub room: String,
    pub on: NaiveDate,
    pub text: String,
}

/// One staff member's work on the rows of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffFigures {
    pub staff_id: StaffId,
    pub name: String,
    pub jobs: u32,
    pub finished: u32,
    pub cancelled: u32,
    pub not_home: u32,
    pub reschedules: u32,
    pub sla_breached: u32,
    pub collected_fen: i64,
    pub complaints: u32,
}

/// The period's figures. Its JSON (`report --json`) is a stable format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub period: Period,
    pub requests: RequestFigures,
    pub refusals: RefusalFigures,
    pub completion: CompletionFigures,
    pub sla: SlaFigures,
    pub follow_up: FollowUpFigures,
    pub fees: FeeFigures,
    pub cash: CashFigures,
    pub agreements: AgreementFigures,
    pub shopping: ShoppingFigures,
    pub revisits: RevisitFigures,
    pub complaints: ComplaintFigures,
    pub needs: Vec<Need>,
    pub staff: Vec<StaffFigures>,
}

/// Computes every figure of `period` from its `facts`, judging open repair
/// promises and open shopping entries at `now`.
pub fn figures(period: Period, facts: &Facts, now: NaiveDateTime) -> Figures {
    let counted: Vec<&RequestFact> = facts.requests.iter().filter(|r| counts_as_request(r)).collect();
    Figures {
        period,
        requests: request_figures(&counted),
        refusals: refusal_figures(&facts.refusals),
        completion: completion_figures(&counted),
        sla: sla_figures(&counted, now),
        follow_up: follow_up_figures(&counted),
        fees: fee_figures(&counted),
        cash: cash_figures(&facts.collections, &facts.cash_receipts),
        agreements: agreement_figures(period, &facts.agreements),
        shopping: shopping_figures(&facts.shopping, &facts.shopping_numbers, now.date()),
        revisits: revisit_figures(&facts.plans),
        complaints: complaint_figures(&facts.complaints),
        needs: needs(&facts.plans),
        staff: staff_figures(&counted, &facts.complaints, now),
    }
}

/// The R-DESK-3 relay note points at the repair row, which is the request:
/// counting both would count one call twice (RULES §12).
fn counts_as_request(row: &RequestFact) -> bool {
    row.status != RequestStatus::Relayed
}

/// `part` of `whole` in ‰, rounded half up; `None` of nothing.
pub fn per_mille(part: u32, whole: u32) -> Option<u32> {
    if whole == 0 {
        return None;
    }
    let scaled = u64::from(part) * 1000 + u64::from(whole) / 2;
    u32::try_from(scaled / u64::from(whole)).ok()
}

/// The middle value (the lower of the two middles' mean, rounded down, for
/// an even count); `None` of nothing.
pub fn median(values: &[i64]) -> Option<i64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]).div_euclid(2)),
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Counts by key, largest first, then by key.
fn tally<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<Tally> {
    let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
    for key in keys {
        *counts.entry(key).or_default() += 1;
    }
    let mut list: Vec<Tally> =
        counts.into_iter().map(|(key, count)| Tally { key: key.into(), count }).collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    list
}

fn request_figures(rows: &[&RequestFact]) -> RequestFigures {
    RequestFigures {
        total: count(rows.len()),
        by_register: tally(rows.iter().map(|r| r.kind.code())),
        by_item: tally(rows.iter().map(|r| r.service.as_str())),
        by_desk: tally(rows.iter().map(|r| r.desk.code())),
    }
}

fn refusal_figures(refusals: &[RefusalFact]) -> RefusalFigures {
    RefusalFigures {
        total: count(refusals.len()),
        by_reason: tally(refusals.iter().map(|r| r.reason.trim())),
        by_desk: tally(refusals.iter().map(|r| r.desk.code())),
    }
}

/// Minutes from registration to finish, of a row that is finished.
fn completion_minutes(row: &RequestFact) -> Option<i64> {
    let finished = row.finished_at?;
    Some((finished - row.received_at).num_minutes().max(0))
}

fn completion_figures(rows: &[&RequestFact]) -> CompletionFigures {
    let minutes: Vec<i64> = rows.iter().filter_map(|r| completion_minutes(r)).collect();
    let n = i64::try_from(minutes.len()).unwrap_or(i64::MAX);
    CompletionFigures {
        finished: count(minutes.len()),
        median_minutes: median(&minutes),
        mean_minutes: (n > 0).then(|| minutes.iter().sum::<i64>() / n),
        longest_minutes: minutes.iter().copied().max(),
        distribution: distribution(&minutes),
    }
}

/// How many of `minutes` fall in each completion bucket.
fn distribution(minutes: &[i64]) -> Vec<Tally> {
    COMPLETION_BUCKETS
        .iter()
        .map(|(key, _)| {
            let n = minutes.iter().filter(|m| bucket_of(**m) == *key).count();
            Tally { key: (*key).into(), count: count(n) }
        })
        .collect()
}

/// A row's standing against its promise (R-SLA-1/2) at `now`, judged by
/// `sla.rs`; `None` for a row without one or cancelled.
fn sla_of(row: &RequestFact, now: NaiveDateTime) -> Option<SlaState> {
    if row.status == RequestStatus::Cancelled {
        return None;
    }
    sla_view(row.urgency?, row.received_at, &row.repair_times, now).map(|v| v.state)
}

fn sla_figures(rows: &[&RequestFact], now: NaiveDateTime) -> SlaFigures {
    let states: Vec<SlaState> = rows.iter().filter_map(|r| sla_of(r, now)).collect();
    let met = count(states.iter().filter(|s| matches!(s, SlaState::Met)).count());
    let breached = count(states.iter().filter(|s| s.is_breach()).count());
    SlaFigures {
        committed: count(states.len()),
        met,
        breached,
        open: count(states.len()) - met - breached,
        met_per_mille: per_mille(met, met + breached),
    }
}

fn follow_up_figures(rows: &[&RequestFact]) -> FollowUpFigures {
    FollowUpFigures {
        reschedules: rows.iter().map(|r| r.reschedules).sum(),
        cancellations: count(rows.iter().filter(|r| r.status == RequestStatus::Cancelled).count()),
        not_home: rows.iter().map(|r| r.not_home).sum(),
    }
}

/// The agreed price of a row that was not cancelled (a cancelled job owes nothing).
fn agreed_fen(row: &RequestFact) -> i64 {
    match row.status {
        RequestStatus::Cancelled => 0,
        _ => row.agreed.map_or(0, Money::fen),
    }
}

fn collected_fen(row: &RequestFact) -> i64 {
    row.collected.map_or(0, Money::fen)
}

/// Money by key, in the keys' order.
fn fee_tally<'a>(rows: &[&'a RequestFact], key: impl Fn(&'a RequestFact) -> &'a str) -> Vec<FeeTally> {
    let mut sums: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for row in rows {
        let sum = sums.entry(key(row)).or_default();
        sum.0 += agreed_fen(row);
        sum.1 += collected_fen(row);
    }
    sums.into_iter()
        .map(|(key, (agreed_fen, collected_fen))| FeeTally { key: key.into(), agreed_fen, collected_fen })
        .collect()
}

fn fee_figures(rows: &[&RequestFact]) -> FeeFigures {
    FeeFigures {
        agreed_fen: rows.iter().map(|r| agreed_fen(r)).sum(),
        collected_fen: rows.iter().map(|r| collected_fen(r)).sum(),
        by_register: fee_tally(rows, |r| r.kind.code()),
        by_item: fee_tally(rows, |r| r.service.as_str()),
    }
}

fn cash_figures(collections: &[Collection], receipts: &[CashReceipt]) -> CashFigures {
    let days = cash_days(collections.to_vec(), receipts);
    CashFigures {
        collections: count(collections.len()),
        collected_fen: collections.iter().map(|c| c.amount.fen()).sum(),
        handovers: count(receipts.len()),
        received_fen: receipts.iter().map(|r| r.amount.fen()).sum(),
        outstanding_fen: days.iter().map(|d| d.outstanding().fen()).sum(),
    }
}

impl AgreementFact {
    /// A 新签协议 of `period`: signed on one of its days, whenever its term
    /// starts. The one definition behind the figures' `agreements.new`, the
    /// monthly report and the revisit plan's new-agreement reason (R-RV-2A).
    pub fn is_new_in(&self, period: Period) -> bool {
        self.status != AgreementStatus::Draft && self.signed_on.is_some_and(|d| period.contains(d))
    }
}

/// The rooms of the agreements new in `period` ([`AgreementFact::is_new_in`]).
pub fn new_agreement_rooms(period: Period, agreements: &[AgreementFact]) -> BTreeSet<String> {
    agreements.iter().filter(|a| a.is_new_in(period)).map(|a| a.room.clone()).collect()
}

/// Signed and in force on some day of the period.
fn in_force(period: Period, a: &AgreementFact) -> bool {
    let signed = a.signed_on.is_some() && a.status != AgreementStatus::Draft;
    let last_day = a.stop_on.unwrap_or(a.term_end).min(a.term_end);
    signed && a.term_start < period.to && last_day >= period.from
}

fn agreement_figures(period: Period, agreements: &[AgreementFact]) -> AgreementFigures {
    let n = |f: &dyn Fn(&AgreementFact) -> bool| count(agreements.iter().filter(|a| f(a)).count());
    AgreementFigures {
        new: n(&|a| a.is_new_in(period)),
        active: n(&|a| in_force(period, a)),
        ended: n(&|a| a.status == AgreementStatus::Ended && period.contains(a.term_end)),
        terminated: n(&|a| {
            a.status == AgreementStatus::Terminated && a.stop_on.is_some_and(|d| period.contains(d))
        }),
    }
}

/// Missing numbers (飞单, R-SH-6) between the first and last number of `entries`.
fn missing_in(entries: &[ShoppingEntry], numbers: &[i64]) -> Vec<i64> {
    let (Some(first), Some(last)) = (entries.iter().map(|e| e.no).min(), entries.iter().map(|e| e.no).max())
    else {
        return Vec::new();
    };
    missing_numbers(numbers).into_iter().filter(|no| (first..=last).contains(no)).collect()
}

fn shopping_figures(entries: &[ShoppingEntry], numbers: &[i64], today: NaiveDate) -> ShoppingFigures {
    let kept: Vec<&ShoppingEntry> = entries.iter().filter(|e| e.state != ShoppingState::Void).collect();
    ShoppingFigures {
        entries: count(kept.len()),
        void: count(entries.len() - kept.len()),
        expected_fen: kept.iter().map(|e| e.expected_total.fen()).sum(),
        actual_fen: kept.iter().filter_map(|e| e.purchase.as_ref()).map(|p| p.actual.fen()).sum(),
        missing_numbers: missing_in(entries, numbers),
        concerns: count(kept.iter().filter(|e| concern_of(e, today).is_some()).count()),
    }
}

fn opinion_tally(answers: impl Iterator<Item = Opinion>) -> OpinionTally {
    let mut t = OpinionTally::default();
    for answer in answers {
        match answer {
            Opinion::Satisfied => t.satisfied += 1,
            Opinion::FairlySatisfied => t.fairly_satisfied += 1,
            Opinion::Dissatisfied => t.dissatisfied += 1,
        }
    }
    let all = t.satisfied + t.fairly_satisfied + t.dissatisfied;
    t.satisfied_per_mille = per_mille(t.satisfied + t.fairly_satisfied, all);
    t
}

fn revisit_figures(plans: &[RevisitPlan]) -> RevisitFigures {
    let progress: Vec<(usize, usize, usize)> = plans.iter().map(RevisitPlan::progress).collect();
    let revisited = count(progress.iter().map(|p| p.0).sum());
    let to_do = count(progress.iter().map(|p| p.1).sum());
    let unreachable = count(progress.iter().map(|p| p.2).sum());
    let planned = count(plans.iter().map(|p| p.rows.len()).sum());
    let ratings: Vec<_> = plans
        .iter()
        .flat_map(|p| &p.rows)
        .filter_map(|r| r.revisit.as_ref().and_then(|v| v.ratings))
        .collect();
    RevisitFigures {
        plans: count(plans.len()),
        households_served: count(plans.iter().map(|p| p.households_served).sum()),
        sample_size: count(plans.iter().map(|p| p.sample_size).sum()),
        planned,
        revisited,
        unreachable,
        to_do,
        coverage_per_mille: super::revisit::coverage_per_mille(revisited as usize, planned as usize),
        timeliness: opinion_tally(ratings.iter().map(|r| r.timeliness)),
        skill: opinion_tally(ratings.iter().map(|r| r.skill)),
        attitude: opinion_tally(ratings.iter().map(|r| r.attitude)),
    }
}

/// The name a complaint is counted under; "" when it names no staff member.
fn complaint_staff(c: &Complaint) -> &str {
    c.staff.as_ref().map_or("", |(_, name)| name.as_str())
}

fn complaint_figures(complaints: &[Complaint]) -> ComplaintFigures {
    ComplaintFigures {
        total: count(complaints.len()),
        closed: count(complaints.iter().filter(|c| c.closed.is_some()).count()),
        by_staff: tally(complaints.iter().map(complaint_staff)),
    }
}

/// Every need residents mentioned at the revisits of the plans (R-RV-4).
fn needs(plans: &[RevisitPlan]) -> Vec<Need> {
    let mut list: Vec<Need> = plans
        .iter()
        .flat_map(|p| &p.rows)
        .filter_map(|row| {
            let v = row.revisit.as_ref()?;
            let text = v.needs.trim();
            (!text.is_empty()).then(|| Need { room: row.room.clone(), on: v.at.date(), text: text.into() })
        })
        .collect();
    list.sort_by(|a, b| (a.on, &a.room).cmp(&(b.on, &b.room)));
    list
}

fn staff_figures(rows: &[&RequestFact], complaints: &[Complaint], now: NaiveDateTime) -> Vec<StaffFigures> {
    let mut by_staff: BTreeMap<StaffId, StaffFigures> = BTreeMap::new();
    for row in rows {
        let Some((id, name)) = &row.staff else { continue };
        let s = by_staff.entry(*id).or_insert_with(|| empty_staff(*id, name));
        s.jobs += 1;
        s.finished += u32::from(row.finished_at.is_some());
        s.cancelled += u32::from(row.status == RequestStatus::Cancelled);
        s.not_home += row.not_home;
        s.reschedules += row.reschedules;
        s.sla_breached += u32::from(sla_of(row, now).is_some_and(SlaState::is_breach));
        s.collected_fen += collected_fen(row);
    }
    for c in complaints {
        if let Some((id, name)) = &c.staff {
            by_staff.entry(*id).or_insert_with(|| empty_staff(*id, name)).complaints += 1;
        }
    }
    let mut list: Vec<StaffFigures> = by_staff.into_values().collect();
    list.sort_by(|a, b| b.jobs.cmp(&a.jobs).then_with(|| a.name.cmp(&b.name)));
    list
}

fn empty_staff(staff_id: StaffId, name: &str) -> StaffFigures {
    StaffFigures {
        staff_id,
        name: name.into(),
        jobs: 0,
        finished: 0,
        cancelled: 0,
        not_home: 0,
        reschedules: 0,
        sla_breached: 0,
        collected_fen: 0,
        complaints: 0,
    }
}

/// The register rows behind a figure of the 统计 tab (click a figure, see
/// its rows). Each names the same rows the figure counts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Drill {
    /// Every request of the period.
    All,
    Register(RegisterKind),
    Item(String),
    Desk(Desk),
    Finished,
    /// Finished within a completion bucket (its code).
    Bucket(String),
    SlaCommitted,
    SlaMet,
    SlaBreached,
    SlaOpen,
    Cancelled,
    Rescheduled,
    NotHome,
    Staff(StaffId),
}

/// The rows of `rows` behind `drill`, judging repair promises at `now`.
pub fn rows_behind<'a>(drill: &Drill, rows: &'a [RequestFact], now: NaiveDateTime) -> Vec<&'a RequestFact> {
    rows.iter().filter(|r| counts_as_request(r) && is_behind(drill, r, now)).collect()
}

fn is_behind(drill: &Drill, row: &RequestFact, now: NaiveDateTime) -> bool {
    let sla = || sla_of(row, now);
    match drill {
        Drill::All => true,
        Drill::Register(kind) => row.kind == *kind,
        Drill::Item(item) => row.service == *item,
        Drill::Desk(desk) => row.desk == *desk,
        Drill::Finished => completion_minutes(row).is_some(),
        Drill::Bucket(code) => completion_minutes(row).is_some_and(|m| bucket_of(m) == code.as_str()),
        Drill::SlaCommitted => sla().is_some(),
        Drill::SlaMet => matches!(sla(), Some(SlaState::Met)),
        Drill::SlaBreached => sla().is_some_and(SlaState::is_breach),
        Drill::SlaOpen => sla().is_some_and(|s| !matches!(s, SlaState::Met) && !s.is_breach()),
        Drill::Cancelled => row.status == RequestStatus::Cancelled,
        Drill::Rescheduled => row.reschedules > 0,
        Drill::NotHome => row.not_home > 0,
        Drill::Staff(id) => row.staff.as_ref().is_some_and(|(staff, _)| staff == id),
    }
}

/// The code of the completion bucket `minutes` falls in.
fn bucket_of(minutes: i64) -> &'static str {
    COMPLETION_BUCKETS.iter().find(|(_, most)| minutes <= *most).map_or("over_3d", |(code, _)| code)
}

/// One month of the twelve-month charts (the 统计 tab and the monthly report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Requests received, one tally per register in `RegisterKind::ALL`
    /// order, zeros included.
    pub requests: Vec<Tally>,
    /// Fees collected on the rows received in the month.
    pub collected_fen: i64,
    /// Satisfied or fairly satisfied, of every answer to the three
    /// questions (R-RV-3) in the month's revisit plan, in ‰.
    pub satisfied_per_mille: Option<u32>,
}

/// The months beginning on `firsts` (first days, oldest first) from one
/// load of facts covering them all: a register row counts in the month it
/// was received, a revisit plan in the month it covers (`YYYY-MM`).
pub fn trend(firsts: &[NaiveDate], requests: &[RequestFact], plans: &[RevisitPlan]) -> Vec<TrendMonth> {
    firsts
        .iter()
        .map(|first| {
            let month = first.format("%Y-%m").to_string();
            let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(*first);
            let in_month = |r: &&RequestFact| (*first..next).contains(&r.received_at.date());
            let rows: Vec<&RequestFact> =
                requests.iter().filter(|r| counts_as_request(r)).filter(in_month).collect();
            let plans: Vec<&RevisitPlan> = plans.iter().filter(|p| p.period == month).collect();
            TrendMonth {
                requests: RegisterKind::ALL
                    .iter()
                    .map(|k| Tally {
                        key: k.code().into(),
                        count: count(rows.iter().filter(|r| r.kind == *k).count()),
                    })
                    .collect(),
                collected_fen: rows.iter().map(|r| collected_fen(r)).sum(),
                satisfied_per_mille: satisfied_share(&plans),
                month,
            }
        })
        .collect()
}

/// Satisfied or fairly satisfied, of all answers to all three questions.
fn satisfied_share(plans: &[&RevisitPlan]) -> Option<u32> {
    let answers: Vec<Opinion> = plans
        .iter()
        .flat_map(|p| &p.rows)
        .filter_map(|r| r.revisit.as_ref().and_then(|v| v.ratings))
        .flat_map(|r| [r.timeliness, r.skill, r.attitude])
        .collect();
    opinion_tally(answers.into_iter()).satisfied_per_mille
}

/// The month the 统计 tab opens on (issue 19): the newest month before
/// this one that holds a row — last month as the monthly report covers it,
/// or an earlier one when last month was empty — and this month when no
/// earlier month holds any (a new office). `latest_before_this_month` is
/// the day of the newest row registered before this month began.
pub fn opening_month(today: NaiveDate, latest_before_this_month: Option<NaiveDate>) -> String {
    latest_before_this_month.unwrap_or(today).format("%Y-%m").to_string()
}

#[cfg(test)]
mod tests {
    /// Issue 19: a new office's 统计 opened on an empty last month.
    #[test]
    fn the_stats_tab_opens_on_the_newest_month_that_holds_rows() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let today = day(2026, 12, 4);
        assert_eq!(opening_month(today, Some(day(2026, 11, 30))), "2026-11");
        assert_eq!(opening_month(today, Some(day(2026, 8, 2))), "2026-08");
        assert_eq!(opening_month(today, None), "2026-12");
    }

    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    fn march() -> Period {
        Period { from: day("2026-03-01"), to: day("2026-04-01") }
    }

    fn row(kind: RegisterKind, received: &str, finished: Option<&str>) -> RequestFact {
        RequestFact {
            id: 1,
            no: RunningNo { kind, year: 2026, seq: 1 },
            room: "1-1-101".into(),
            kind,
            desk: kind.owner(),
            service: "厨房保洁".into(),
            status: if finished.is_some() { RequestStatus::Done } else { RequestStatus::Dispatched },
            received_at: at(received),
            finished_at: finished.map(at),
            agreed: Money::from_yuan(80),
            collected: None,
            staff: Some((7, "孙保洁".into())),
            urgency: (kind == RegisterKind::Repair).then_some(Urgency::Small),
            repair_times: RepairTimes { finished_at: finished.map(at), ..RepairTimes::default() },
            reschedules: 0,
            not_home: 0,
        }
    }

    #[test]
    fn per_mille_rounds_half_up_and_is_none_of_nothing() {
        assert_eq!(per_mille(1, 3), Some(333));
        assert_eq!(per_mille(2, 3), Some(667));
        assert_eq!(per_mille(1, 2), Some(500));
        assert_eq!(per_mille(0, 0), None);
    }

    #[test]
    fn median_of_odd_even_and_empty() {
        assert_eq!(median(&[30, 10, 20]), Some(20));
        assert_eq!(median(&[10, 20, 30, 41]), Some(25));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn r_sla_1_met_breached_and_open_repairs_are_told_apart() {
        let met = row(RegisterKind::Repair, "2026-03-02 09:00", Some("2026-03-02 15:00"));
        let late = row(RegisterKind::Repair, "2026-03-03 09:00", Some("2026-03-05 09:00"));
        let open = row(RegisterKind::Repair, "2026-03-30 09:00", None);
        let mut cancelled = row(RegisterKind::Repair, "2026-03-04 09:00", None);
        cancelled.status = RequestStatus::Cancelled;
        let facts = Facts { requests: vec![met, late, open, cancelled], ..Facts::default() };
        let f = figures(march(), &facts, at("2026-03-30 12:00"));
        assert_eq!((f.sla.committed, f.sla.met, f.sla.breached, f.sla.open), (3, 1, 1, 1));
        assert_eq!(f.sla.met_per_mille, Some(500));
        assert_eq!(f.follow_up.cancellations, 1);
        assert_eq!(f.staff[0].sla_breached, 1);
    }

    #[test]
    fn r_desk_3_the_relay_note_is_not_a_second_request() {
        let mut note = row(RegisterKind::Housekeeping, "2026-03-02 09:00", None);
        note.status = RequestStatus::Relayed;
        let repair = row(RegisterKind::Repair, "2026-03-02 09:00", None);
        let facts = Facts { requests: vec![note, repair], ..Facts::default() };
        let f = figures(march(), &facts, at("2026-03-02 10:00"));
        assert_eq!(f.requests.total, 1);
        assert_eq!(f.requests.by_register, vec![Tally { key: "repair".into(), count: 1 }]);
    }

    #[test]
    fn fees_leave_out_cancelled_rows_and_group_by_register_and_item() {
        let mut paid = row(RegisterKind::Housekeeping, "2026-03-02 09:00", Some("2026-03-02 11:00"));
        paid.collected = Money::from_yuan(80);
        let mut cancelled = row(RegisterKind::Housekeeping, "2026-03-03 09:00", None);
        cancelled.status = RequestStatus::Cancelled;
        let facts = Facts { requests: vec![paid, cancelled], ..Facts::default() };
        let f = figures(march(), &facts, at("2026-03-30 12:00"));
        assert_eq!((f.fees.agreed_fen, f.fees.collected_fen), (8_000, 8_000));
        let by_item = &f.fees.by_item[0];
        assert_eq!((by_item.key.as_str(), by_item.agreed_fen), ("厨房保洁", 8_000));
        assert_eq!(f.completion.median_minutes, Some(120));
    }

    #[test]
    fn agreements_new_active_ended_and_terminated_in_the_period() {
        let agreement = |status, signed: &str, start: &str, end: &str, stop: Option<&str>| AgreementFact {
            status,
            room: "3栋2单元201".into(),
            signed_on: Some(day(signed)),
            term_start: day(start),
            term_end: day(end),
            stop_on: stop.map(day),
        };
        let facts = Facts {
            agreements: vec![
                agreement(AgreementStatus::Active, "2026-03-05", "2026-03-10", "2026-09-09", None),
                agreement(AgreementStatus::Ended, "2025-09-01", "2025-09-15", "2026-03-14", None),
                agreement(
                    AgreementStatus::Terminated,
                    "2025-12-01",
                    "2025-12-05",
                    "2026-06-04",
                    Some("2026-03-20"),
                ),
                agreement(
                    AgreementStatus::Terminated,
                    "2025-10-01",
                    "2025-10-05",
                    "2026-04-04",
                    Some("2026-02-20"),
                ),
            ],
            ..Facts::default()
        };
        let f = figures(march(), &facts, at("2026-03-30 12:00"));
        assert_eq!(
            (f.agreements.new, f.agreements.active, f.agreements.ended, f.agreements.terminated),
            (1, 3, 1, 1)
        );
    }

    #[test]
    fn r_rv_4_an_agreement_is_new_in_the_month_it_was_signed_whenever_its_term_starts() {
        let signed = |on: &str, start: &str| AgreementFact {
            status: AgreementStatus::Signed,
            room: format!("{on}室"),
            signed_on: Some(day(on)),
            term_start: day(start),
            term_end: day("2027-06-30"),
            stop_on: None,
        };
        let november = Period { from: day("2026-11-01"), to: day("2026-12-01") };
        let december = Period { from: day("2026-12-01"), to: day("2027-01-01") };
        let later_start = signed("2026-11-10", "2027-01-01");
        assert!(later_start.is_new_in(november), "counted in the month it was signed");
        assert!(!later_start.is_new_in(december), "and in no other");
        let facts = Facts {
            agreements: vec![later_start.clone(), signed("2026-10-30", "2026-11-02")],
            ..Facts::default()
        };
        let f = figures(november, &facts, at("2026-12-02 09:00"));
        assert_eq!(f.agreements.new, 1);
        assert_eq!(new_agreement_rooms(november, &facts.agreements).len(), 1, "the plan's reason agrees");
        let draft = AgreementFact { status: AgreementStatus::Draft, ..later_start };
        assert!(!draft.is_new_in(november), "a draft is not signed");
    }

    #[test]
    fn tallies_run_largest_first() {
        let list = tally(["超出服务范围", "人手不足", "超出服务范围"].into_iter());
        assert_eq!(list[0], Tally { key: "超出服务范围".into(), count: 2 });
        assert_eq!(list[1], Tally { key: "人手不足".into(), count: 1 });
    }
    #[test]
    fn each_drill_names_the_rows_its_figure_counts() {
        let mut breached = row(RegisterKind::Repair, "2026-03-02 09:00", Some("2026-03-05 09:00"));
        breached.id = 2;
        let met = row(RegisterKind::Repair, "2026-03-03 09:00", Some("2026-03-03 10:00"));
        let mut cancelled = row(RegisterKind::Housekeeping, "2026-03-04 09:00", None);
        (cancelled.id, cancelled.status, cancelled.reschedules, cancelled.not_home) =
            (3, RequestStatus::Cancelled, 2, 1);
        let mut note = row(RegisterKind::Housekeeping, "2026-03-02 09:00", None);
        note.status = RequestStatus::Relayed;
        let rows = vec![breached, met, cancelled, note];
        let now = at("2026-03-30 12:00");
        let f = figures(march(), &Facts { requests: rows.clone(), ..Facts::default() }, now);
        let n = |drill: Drill| count(rows_behind(&drill, &rows, now).len());
        assert_eq!(n(Drill::All), f.requests.total);
        assert_eq!(n(Drill::Register(RegisterKind::Repair)), 2);
        assert_eq!(n(Drill::Item("厨房保洁".into())), f.requests.by_item[0].count);
        assert_eq!(n(Drill::Finished), f.completion.finished);
        assert_eq!(
            (n(Drill::SlaMet), n(Drill::SlaBreached), n(Drill::SlaOpen)),
            (f.sla.met, f.sla.breached, f.sla.open)
        );
        assert_eq!(n(Drill::SlaCommitted), f.sla.committed);
        assert_eq!(n(Drill::Cancelled), f.follow_up.cancellations);
        assert_eq!((n(Drill::Rescheduled), n(Drill::NotHome)), (1, 1));
        for bucket in &f.completion.distribution {
            assert_eq!(n(Drill::Bucket(bucket.key.clone())), bucket.count, "{}", bucket.key);
        }
        assert_eq!(n(Drill::Staff(7)), f.staff[0].jobs);
    }
}
