//! The monthly revisit plan (R-RV-1, R-RV-2): how many households served in
//! a month are revisited, which ones are drawn — at random but reproducibly,
//! from a seed of the office and the month — and which must always be
//! revisited on top (new agreements, new service items, new staff, staff
//! complained about at their previous service, the repair handover).
//!
//! Pure: the caller gathers the month's facts.

use std::collections::{BTreeMap, BTreeSet};

use super::people::coded_enum;
use super::{AgreementId, PriceItemId, RequestId, StaffId};

/// R-RV-1: the least number of households to revisit out of `served`:
/// more than 300 → 10 %, 100 to 300 → 20 %, fewer than 100 → 30 %, rounded up.
pub fn sample_size(served: usize) -> usize {
    let percent = match served {
        n if n > 300 => 10,
        n if n >= 100 => 20,
        _ => 30,
    };
    (served * percent).div_ceil(100)
}

/// R-RV-5: the quality department's quarterly check covers 5 %, rounded up.
pub fn quarterly_sample_size(served: usize) -> usize {
    (served * 5).div_ceil(100)
}

coded_enum! {
    /// Why a household is on the plan; the codes are the stable JSON names.
    RevisitReason {
        Sample = "sample",
        NewAgreement = "new_agreement",
        NewItem = "new_item",
        NewStaff = "new_staff",
        ComplainedStaff = "complained_staff",
        RepairHandover = "repair_handover",
    }
}

/// One job finished in the month, as the plan sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedJob {
    pub request: RequestId,
    pub room: String,
    pub staff: Option<StaffId>,
    pub price_item: Option<PriceItemId>,
    pub agreement: Option<AgreementId>,
}

/// The month's facts the plan is drawn from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanFacts {
    pub served: Vec<ServedJob>,
    /// (A) rooms of agreements newly signed in the month (by
    /// `stats::AgreementFact::is_new_in`, the figures' definition).
    pub new_agreement_rooms: BTreeSet<String>,
    /// (B) jobs of a service item launched within the window before them.
    pub new_item_jobs: BTreeSet<RequestId>,
    /// (C) jobs by staff whose first job was within the window before them.
    pub new_staff_jobs: BTreeSet<RequestId>,
    /// (D) jobs by staff complained about at their previous service.
    pub complained_staff_jobs: BTreeSet<RequestId>,
    /// Rooms of the repair registers handed to the CS center (R-FU-5), each
    /// with its latest repair row there: the job the revisit asks about.
    pub repair_handover_jobs: BTreeMap<String, RequestId>,
    /// Rooms revisited the month before: not drawn again if others are left.
    pub revisited_last_month: BTreeSet<String>,
}

/// One household of a plan and why it is there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedHousehold {
    pub room: String,
    pub reasons: Vec<RevisitReason>,
    /// The job behind each reason that has one (the latest, if several):
    /// the new item's or new staff member's job, the repair row handed over,
    /// the new agreement's visit; the sample's is the month's latest job.
    pub causes: Vec<(RevisitReason, RequestId)>,
    /// The job the revisit asks about: the one behind the household's first
    /// mandatory reason, else the month's latest job there — so a household
    /// on the plan for a repair handover is asked about the repair.
    pub request: Option<RequestId>,
}

/// The reasons a household is on the plan, each with the job behind it.
#[derive(Default)]
struct Reasons(BTreeMap<String, BTreeMap<RevisitReason, Option<RequestId>>>);

impl Reasons {
    /// Notes `reason` for `room`, keeping the latest job behind it.
    fn note(&mut self, room: &str, reason: RevisitReason, job: Option<RequestId>) {
        let slot = self.0.entry(room.to_string()).or_default().entry(reason).or_insert(job);
        *slot = (*slot).max(job);
    }
}

/// A month's plan as drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawnPlan {
    pub seed: u64,
    pub households_served: usize,
    pub sample_size: usize,
    pub households: Vec<PlannedHousehold>,
}

/// 覆盖率 of a plan, in ‰ rounded half up: the households revisited — an
/// answer recorded — over the households on the plan; `None` when nothing
/// was planned. A household tried and not reached is not covered: it gave
/// no answer (it is counted apart, as 未能联系). The one definition behind
/// the printed 回访记录表, the figures' `revisits.coverage_per_mille` (the
/// 统计 tab, `report`, the monthly report) and the export.
pub fn coverage_per_mille(revisited: usize, planned: usize) -> Option<u32> {
    if planned == 0 {
        return None;
    }
    let tenths = (revisited as u128 * 1000 + planned as u128 / 2) / planned as u128;
    u32::try_from(tenths).ok()
}

/// The seed of a plan: the same office and month always give the same draw.
pub fn plan_seed(office: &str, month: &str) -> u64 {
    // FNV-1a: stable across builds and platforms, unlike the std hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in office.bytes().chain([b'|']).chain(month.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// SplitMix64: a tiny generator whose sequence is fixed for a seed forever.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A uniform index below `n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// `k` of `items`, drawn without replacement in a seeded order.
fn draw<T: Clone>(items: &[T], k: usize, rng: &mut SplitMix) -> Vec<T> {
    let mut pool = items.to_vec();
    let k = k.min(pool.len());
    for i in 0..k {
        let j = i + rng.below(pool.len() - i);
        pool.swap(i, j);
    }
    pool.truncate(k);
    pool
}

/// R-RV-1, R-RV-2: the month's plan — the sample drawn from the households
/// served (those revisited last month only if nobody else is left), and
/// every household of a mandatory category, each with all its reasons.
pub fn draw_plan(office: &str, month: &str, facts: &PlanFacts) -> DrawnPlan {
    draw_plan_sized(office, month, facts, sample_size)
}

/// [`draw_plan`] with the sample's size given by `size_of(households
/// served)`: the month's R-RV-1 rates, or the quarter's 5 % (R-RV-5) — so the
/// quarter's sample is drawn at random too, not cut from a sorted list.
pub fn draw_plan_sized(
    office: &str,
    month: &str,
    facts: &PlanFacts,
    size_of: fn(usize) -> usize,
) -> DrawnPlan {
    let seed = plan_seed(office, month);
    let mut rng = SplitMix(seed);
    let mut latest: BTreeMap<&str, RequestId> = BTreeMap::new();
    for job in &facts.served {
        let entry = latest.entry(job.room.as_str()).or_insert(job.request);
        *entry = (*entry).max(job.request);
    }
    let rooms: Vec<&str> = latest.keys().copied().collect();
    let size = size_of(rooms.len());
    let (fresh, recent): (Vec<&str>, Vec<&str>) =
        rooms.iter().partition(|room| !facts.revisited_last_month.contains(**room));
    let mut sample = draw(&fresh, size, &mut rng);
    if sample.len() < size {
        sample.extend(draw(&recent, size - sample.len(), &mut rng));
    }
    let mut reasons = Reasons::default();
    for room in sample {
        reasons.note(room, RevisitReason::Sample, latest.get(room).copied());
    }
    for job in &facts.served {
        let (room, request) = (job.room.as_str(), Some(job.request));
        if facts.new_agreement_rooms.contains(room) {
            reasons.note(room, RevisitReason::NewAgreement, job.agreement.and(request));
        }
        for (jobs, reason) in [
            (&facts.new_item_jobs, RevisitReason::NewItem),
            (&facts.new_staff_jobs, RevisitReason::NewStaff),
            (&facts.complained_staff_jobs, RevisitReason::ComplainedStaff),
        ] {
            if jobs.contains(&job.request) {
                reasons.note(room, reason, request);
            }
        }
        if let Some(repair) = facts.repair_handover_jobs.get(room) {
            reasons.note(room, RevisitReason::RepairHandover, Some(*repair));
        }
    }
    for room in &facts.new_agreement_rooms {
        reasons.note(room, RevisitReason::NewAgreement, None);
    }
    let households = reasons
        .0
        .into_iter()
        .map(|(room, why)| {
            let mandatory_job =
                why.iter().filter(|(reason, _)| **reason != RevisitReason::Sample).find_map(|(_, job)| *job);
            PlannedHousehold {
                request: mandatory_job.or_else(|| latest.get(room.as_str()).copied()),
                causes: why.iter().filter_map(|(reason, job)| job.map(|job| (*reason, job))).collect(),
                reasons: why.into_keys().collect(),
                room,
            }
        })
        .collect();
    DrawnPlan { seed, households_served: rooms.len(), sample_size: size, households }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(request: RequestId, room: &str) -> ServedJob {
        ServedJob { request, room: room.into(), staff: Some(1), price_item: None, agreement: None }
    }

    fn served(n: usize) -> PlanFacts {
        PlanFacts {
            served: (0..n)
                .map(|i| job(i as i64 + 1, &format!("{}栋1单元{}", i / 100 + 1, 101 + i % 100)))
                .collect(),
            ..PlanFacts::default()
        }
    }

    #[test]
    fn r_rv_5_the_quarter_sample_is_drawn_at_random_not_cut_from_the_sorted_list() {
        let facts = served(400);
        let plan = draw_plan_sized("翠苑", "2026-Q3", &facts, quarterly_sample_size);
        assert_eq!((plan.sample_size, plan.households.len()), (20, 20), "5 % of 400");
        let first_rooms: Vec<String> = facts.served.iter().take(20).map(|j| j.room.clone()).collect();
        let drawn: Vec<String> = plan.households.iter().map(|h| h.room.clone()).collect();
        assert_ne!(drawn, first_rooms);
        let later_buildings = drawn.iter().filter(|r| !r.starts_with("1栋")).count();
        assert!(later_buildings > 0, "every building can be drawn: {drawn:?}");
    }

    #[test]
    fn r_rv_1_sample_sizes_at_their_boundaries() {
        assert_eq!(sample_size(0), 0);
        assert_eq!(sample_size(1), 1, "30 % of one, rounded up");
        assert_eq!(sample_size(99), 30, "29.7 rounded up");
        assert_eq!(sample_size(100), 20);
        assert_eq!(sample_size(101), 21, "20.2 rounded up");
        assert_eq!(sample_size(300), 60);
        assert_eq!(sample_size(301), 31, "30.1 rounded up");
        assert_eq!(quarterly_sample_size(301), 16);
        for n in [0, 99, 100, 300, 301] {
            assert_eq!(draw_plan("翠苑", "2026-10", &served(n)).sample_size, sample_size(n));
        }
    }

    #[test]
    fn r_rv_1_the_draw_is_reproducible_and_differs_by_month() {
        let facts = served(150);
        let a = draw_plan("翠苑", "2026-10", &facts);
        let b = draw_plan("翠苑", "2026-10", &facts);
        assert_eq!(a, b, "same office, month and households: same plan");
        let other = draw_plan("翠苑", "2026-11", &facts);
        assert_ne!(a.households, other.households);
        assert_eq!(a.households.len(), 30);
        assert!(a.households.iter().all(|h| h.reasons == [RevisitReason::Sample]));
    }

    #[test]
    fn r_rv_1_households_revisited_last_month_are_drawn_only_when_nobody_else_is_left() {
        let mut facts = served(10);
        facts.revisited_last_month = facts.served.iter().take(8).map(|j| j.room.clone()).collect();
        let plan = draw_plan("翠苑", "2026-10", &facts);
        assert_eq!(plan.sample_size, 3);
        let recent = plan.households.iter().filter(|h| facts.revisited_last_month.contains(&h.room)).count();
        assert_eq!(recent, 1, "the two fresh households first, then one of the others");
    }

    #[test]
    fn r_rv_2_every_mandatory_household_is_on_the_plan_with_its_reasons() {
        let mut facts = served(200);
        facts.new_agreement_rooms.insert("9栋9单元909".into());
        facts.new_item_jobs.insert(5);
        facts.new_staff_jobs.insert(6);
        facts.complained_staff_jobs.insert(7);
        facts.complained_staff_jobs.insert(5);
        facts.repair_handover_jobs.insert(facts.served[8].room.clone(), 900);
        let plan = draw_plan("翠苑", "2026-10", &facts);
        let reasons = |room: &str| plan.households.iter().find(|h| h.room == room).map(|h| h.reasons.clone());
        let room = |i: usize| facts.served[i].room.clone();
        assert!(reasons("9栋9单元909").is_some_and(|r| r.contains(&RevisitReason::NewAgreement)));
        let fifth = reasons(&room(4)).unwrap_or_default();
        assert!(
            fifth.contains(&RevisitReason::NewItem) && fifth.contains(&RevisitReason::ComplainedStaff),
            "{fifth:?}"
        );
        assert!(reasons(&room(5)).is_some_and(|r| r.contains(&RevisitReason::NewStaff)));
        assert!(reasons(&room(6)).is_some_and(|r| r.contains(&RevisitReason::ComplainedStaff)));
        assert!(reasons(&room(8)).is_some_and(|r| r.contains(&RevisitReason::RepairHandover)));
        let handover = plan.households.iter().find(|h| h.room == room(8));
        let handover = handover.unwrap_or_else(|| panic!("the handover's household"));
        assert_eq!(handover.request, Some(900), "asked about the repair handed over, not its latest job");
        assert!(handover.causes.contains(&(RevisitReason::RepairHandover, 900)));
        let fifth_household = plan.households.iter().find(|h| h.room == room(4));
        assert!(fifth_household.is_some_and(|h| h.causes.contains(&(RevisitReason::NewItem, 5))));
        let sampled = plan.households.iter().filter(|h| h.reasons.contains(&RevisitReason::Sample)).count();
        assert_eq!(sampled, 40, "the sample is counted apart from the mandatory ones");
        assert_eq!(RevisitReason::ComplainedStaff.code(), "complained_staff");
    }
}

coded_enum! {
    /// How a household was revisited (R-RV-3).
    RevisitMethod { Phone = "phone", InPerson = "in_person" }
}

coded_enum! {
    /// How serious a complaint is.
    Severity { Minor = "minor", Major = "major" }
}

/// What the clerk records for one household of the plan (R-RV-3, R-RV-4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisitAnswer {
    pub method: RevisitMethod,
    /// `None`: the resident could not be reached; `attempts` says how.
    pub ratings: Option<Ratings>,
    pub comments: String,
    /// Needs the resident mentioned (R-RV-4).
    pub needs: String,
    pub attempts: String,
    /// A complaint the resident made, against the staff member of the job.
    pub complaint: Option<ComplaintDraft>,
}

/// Timeliness, skill and attitude.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratings {
    pub timeliness: super::Opinion,
    pub skill: super::Opinion,
    pub attitude: super::Opinion,
}

impl Ratings {
    pub fn any_dissatisfied(&self) -> bool {
        [self.timeliness, self.skill, self.attitude].contains(&super::Opinion::Dissatisfied)
    }
}

/// The three answers as the clerk picks them: none is assumed, so an
/// answer nobody gave cannot be saved (R-RV-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RatingsDraft {
    pub timeliness: Option<super::Opinion>,
    pub skill: Option<super::Opinion>,
    pub attitude: Option<super::Opinion>,
}

impl RatingsDraft {
    /// The ratings once all three are given.
    pub fn complete(&self) -> Result<Ratings, RevisitError> {
        match (self.timeliness, self.skill, self.attitude) {
            (Some(timeliness), Some(skill), Some(attitude)) => Ok(Ratings { timeliness, skill, attitude }),
            _ => Err(RevisitError::AnswersMissing),
        }
    }

    /// Whether any answer given so far is 不满意 (the complaint field opens).
    pub fn any_dissatisfied(&self) -> bool {
        [self.timeliness, self.skill, self.attitude].contains(&Some(super::Opinion::Dissatisfied))
    }
}

/// A revisit as the clerk fills it in: reached (with the three answers as
/// picked) or not (the attempts say how the resident was tried).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisitDraft {
    pub method: RevisitMethod,
    /// `None`: the resident could not be reached.
    pub ratings: Option<RatingsDraft>,
    pub comments: String,
    pub needs: String,
    pub attempts: String,
    pub complaint: Option<ComplaintDraft>,
}

impl RevisitDraft {
    /// R-RV-3: the answer to record, once every question has an answer
    /// given (none is taken for 满意), or the attempts when unreachable.
    pub fn answer(&self) -> Result<RevisitAnswer, RevisitError> {
        let ratings = self.ratings.as_ref().map(RatingsDraft::complete).transpose()?;
        Ok(RevisitAnswer {
            method: self.method,
            ratings,
            comments: self.comments.clone(),
            needs: self.needs.clone(),
            attempts: self.attempts.clone(),
            complaint: self.complaint.clone(),
        })
    }
}

/// A complaint as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintDraft {
    pub what: String,
    pub severity: Severity,
}

/// Why a revisit is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RevisitError {
    #[error("R-RV-3: in-person revisits are for agreement residents")]
    InPersonNotAgreement,
    #[error("R-RV-3: say how the resident was tried when they could not be reached")]
    AttemptsRequired,
    #[error("R-RV-3: timeliness, skill and attitude each need the resident's answer")]
    AnswersMissing,
    #[error("a dissatisfied answer is a complaint: say what it was about")]
    ComplaintRequired,
    #[error("the complaint says what it is about")]
    ComplaintEmpty,
    #[error("the handling is required to close a complaint")]
    HandlingRequired,
    #[error("the plan of this month is already drawn; redraw it with a reason")]
    PlanExists,
    #[error("a reason is required to redraw a plan")]
    ReasonRequired,
    #[error("revisits are recorded: the plan is kept as it is")]
    PlanInUse,
    #[error("a month is written 2026-10, a quarter 2026-Q4")]
    BadMonth,
    #[error("R-RV-3: this household has been revisited already")]
    AlreadyRevisited,
}

/// R-RV-3: a household the desk has reached is revisited once; one that
/// could not be reached is called again, each attempt kept.
pub fn check_not_revisited(already_reached: bool) -> Result<(), RevisitError> {
    if already_reached { Err(RevisitError::AlreadyRevisited) } else { Ok(()) }
}

/// R-RV-3: an in-person visit only for agreement residents; an unreachable
/// resident with the attempts made; a dissatisfied answer with its complaint.
pub fn check_revisit(answer: &RevisitAnswer, agreement_resident: bool) -> Result<(), RevisitError> {
    if answer.method == RevisitMethod::InPerson && !agreement_resident {
        return Err(RevisitError::InPersonNotAgreement);
    }
    match &answer.ratings {
        None if answer.attempts.trim().is_empty() => return Err(RevisitError::AttemptsRequired),
        Some(r) if r.any_dissatisfied() && answer.complaint.is_none() => {
            return Err(RevisitError::ComplaintRequired);
        }
        _ => {}
    }
    match &answer.complaint {
        Some(c) if c.what.trim().is_empty() => Err(RevisitError::ComplaintEmpty),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod answer_tests {
    use super::*;
    use crate::domain::Opinion;

    fn answer(method: RevisitMethod, ratings: Option<Ratings>) -> RevisitAnswer {
        RevisitAnswer {
            method,
            ratings,
            comments: String::new(),
            needs: String::new(),
            attempts: String::new(),
            complaint: None,
        }
    }

    fn all(o: Opinion) -> Option<Ratings> {
        Some(Ratings { timeliness: o, skill: o, attitude: o })
    }

    #[test]
    fn r_rv_3_a_revisit_records_the_answers_or_the_attempts() {
        assert_eq!(check_revisit(&answer(RevisitMethod::Phone, all(Opinion::Satisfied)), false), Ok(()));
        assert_eq!(
            check_revisit(&answer(RevisitMethod::InPerson, all(Opinion::Satisfied)), false),
            Err(RevisitError::InPersonNotAgreement)
        );
        assert_eq!(check_revisit(&answer(RevisitMethod::InPerson, all(Opinion::Satisfied)), true), Ok(()));
        let mut unreachable = answer(RevisitMethod::Phone, None);
        assert_eq!(check_revisit(&unreachable, false), Err(RevisitError::AttemptsRequired));
        unreachable.attempts = "10:00、15:00 两次未接".into();
        assert_eq!(check_revisit(&unreachable, false), Ok(()));
    }

    #[test]
    fn r_rv_3_no_answer_is_assumed_all_three_are_given() {
        let picked = RatingsDraft {
            timeliness: Some(Opinion::Satisfied),
            skill: Some(Opinion::FairlySatisfied),
            attitude: None,
        };
        let mut draft = RevisitDraft {
            method: RevisitMethod::Phone,
            ratings: Some(RatingsDraft::default()),
            comments: String::new(),
            needs: String::new(),
            attempts: String::new(),
            complaint: None,
        };
        assert_eq!(draft.answer().map(|_| ()), Err(RevisitError::AnswersMissing), "nothing picked");
        draft.ratings = Some(picked);
        assert_eq!(draft.answer().map(|_| ()), Err(RevisitError::AnswersMissing), "attitude not asked");
        draft.ratings = Some(RatingsDraft { attitude: Some(Opinion::Satisfied), ..picked });
        let answer = draft.answer().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(answer.ratings.map(|r| r.skill), Some(Opinion::FairlySatisfied));
        assert_eq!(check_revisit(&answer, false), Ok(()));
        // Not reached: no answers, and the attempts are required instead.
        draft.ratings = None;
        let unreachable = draft.answer().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(check_revisit(&unreachable, false), Err(RevisitError::AttemptsRequired));
    }

    #[test]
    fn r_rv_2_a_dissatisfied_answer_is_a_complaint_against_the_staff() {
        let mut unhappy = answer(RevisitMethod::Phone, all(Opinion::Dissatisfied));
        assert_eq!(check_revisit(&unhappy, false), Err(RevisitError::ComplaintRequired));
        unhappy.complaint =
            Some(ComplaintDraft { what: "迟到一小时，态度生硬".into(), severity: Severity::Minor });
        assert_eq!(check_revisit(&unhappy, false), Ok(()));
    }
}

coded_enum! {
    /// A month's revisit plan (R-RV-1) or the quarter's quality check (R-RV-5).
    PlanKind { Monthly = "monthly", Quarterly = "quarterly" }
}

/// A revisit as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisitRecord {
    pub id: i64,
    pub at: chrono::NaiveDateTime,
    pub by: String,
    pub method: RevisitMethod,
    pub ratings: Option<Ratings>,
    pub comments: String,
    pub needs: String,
    pub attempts: String,
}

/// One household of a saved plan, with the job asked about and its revisit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRow {
    pub id: i64,
    pub room: String,
    pub reasons: Vec<RevisitReason>,
    /// The job behind each reason that has one (R-RV-2), as the plan shows it.
    pub causes: Vec<PlanCause>,
    pub request: Option<RequestId>,
    pub resident: String,
    pub phone: String,
    pub service: String,
    pub service_date: Option<chrono::NaiveDate>,
    pub staff: Option<(StaffId, String)>,
    pub agreement: Option<AgreementId>,
    pub revisit: Option<RevisitRecord>,
}

/// The job that put a household on the plan for `reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanCause {
    pub reason: RevisitReason,
    pub request: RequestId,
    /// Its running number (`WX-2026-000123`) and service, as registered.
    pub no: String,
    pub service: String,
}

/// A saved plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisitPlan {
    pub id: i64,
    pub period: String,
    pub kind: PlanKind,
    pub seed: u64,
    pub households_served: usize,
    pub sample_size: usize,
    pub drawn_at: chrono::NaiveDateTime,
    pub drawn_by: String,
    pub rows: Vec<PlanRow>,
}

impl RevisitPlan {
    /// (revisited, to do, unreachable).
    /// The plan's coverage ([`coverage_per_mille`]).
    pub fn coverage_per_mille(&self) -> Option<u32> {
        let (done, _, _) = self.progress();
        coverage_per_mille(done, self.rows.len())
    }

    pub fn progress(&self) -> (usize, usize, usize) {
        let done =
            self.rows.iter().filter(|r| r.revisit.as_ref().is_some_and(|v| v.ratings.is_some())).count();
        let unreachable =
            self.rows.iter().filter(|r| r.revisit.as_ref().is_some_and(|v| v.ratings.is_none())).count();
        (done, self.rows.len() - done - unreachable, unreachable)
    }
}

/// A complaint against a staff member and a job (R-RV-2D, R-FU-6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complaint {
    pub id: i64,
    pub request: Option<RequestId>,
    pub staff: Option<(StaffId, String)>,
    pub at: chrono::NaiveDateTime,
    pub by: String,
    pub what: String,
    pub severity: Severity,
    pub handling: String,
    pub closed: Option<(String, chrono::NaiveDateTime)>,
    /// The room of the job complained about (empty without a job).
    pub room: String,
}

/// A month `YYYY-MM` as its first day, or `None`.
pub fn month_start(month: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(&format!("{}-01", month.trim()), "%Y-%m-%d").ok()
}

/// The month before `today`'s, as `YYYY-MM`: the month whose plan is due
/// and the one the 回访 tab opens on.
pub fn last_month(today: chrono::NaiveDate) -> String {
    today.checked_sub_months(chrono::Months::new(1)).unwrap_or(today).format("%Y-%m").to_string()
}

/// The month before `YYYY-MM`, as `YYYY-MM`.
pub fn previous_month(month: &str) -> Option<String> {
    let first = month_start(month)?;
    Some(first.pred_opt()?.format("%Y-%m").to_string())
}

#[cfg(test)]
mod coverage_tests {
    use super::coverage_per_mille;

    #[test]
    fn r_rv_4_coverage_is_households_revisited_over_households_planned() {
        assert_eq!(coverage_per_mille(103, 666), Some(155), "103 of 666, the unreachable not counted");
        assert_eq!(coverage_per_mille(7, 8), Some(875));
        assert_eq!(coverage_per_mille(2, 3), Some(667), "rounded half up");
        assert_eq!(coverage_per_mille(0, 5), Some(0));
        assert_eq!(coverage_per_mille(12, 12), Some(1000));
        assert_eq!(coverage_per_mille(0, 0), None);
    }
}
