//! The demo office's revisits (回访, R-RV-1..5). On the 1st of each month
//! at about 09:30 the CS clerk on duty draws the previous month's plan, and
//! over the next three weeks the CS clerks revisit its households — mostly
//! by phone, agreement residents now and then in person — and record what
//! they say (R-RV-3, R-RV-4): most are satisfied on all three counts, some
//! fairly satisfied, a few dissatisfied with a complaint against the staff
//! member, which the housekeeping supervisor or the manager closes with its
//! handling a few days later; a few cannot be reached and the attempts are
//! recorded; now and then a comment or a need. Each quarter the manager
//! draws the quality check of the quarter before (R-RV-5), and its
//! households are revisited the same way.
//!
//! The newest plan shows every reason of R-RV-2 whatever day "now" falls
//! on: an agreement is signed in its month (`agreements.rs`), an item is
//! launched and a staff member joins shortly before it
//! (`Recently::BeforePlanMonth` in `demo.rs`), and each month's plan
//! carries one complaint about a staff member's last job of that month, so
//! that their next job is on the following month's plan as complained
//! about (R-RV-2D). That complaint stays open until the next month's has
//! been recorded, so the complaint list always has an open one; and some
//! of the newest plan's households are still to do at "now".
//!
//! Planned with an rng of its own, so that the rest of the demo stays as
//! it was; every write goes through [`HomeDesk`](crate::app::HomeDesk)'s
//! revisit use cases.

use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use super::{DEMO_PASSWORD, DEMO_SEED, Demo, Job, OfficeChange, at_minute};
use crate::app::Result;
use crate::domain::{
    AgreementStatus, ComplaintDraft, Desk, Group, Opinion, PlanRow, Rank, Ratings, RequestId, RevisitAnswer,
    RevisitMethod, Severity, StaffId, User,
};
use crate::store::AgreementQuery;

/// The revisits' own rng: planning them draws nothing from the demo's.
const REVISIT_SEED: u64 = DEMO_SEED ^ 0x5245_5649;

/// The month's plan is drawn on the 1st at this minute of the day, once the
/// last day's jobs have been reported.
const DRAW_MINUTE: i64 = 9 * 60 + 30;
/// A month's households are revisited within this many days of the draw.
const ROUND_DAYS: i64 = 21;
/// The quarter's quality check is drawn on this day of the next quarter's
/// first month, and its households revisited within [`CHECK_DAYS`].
const CHECK_DAY: u32 = 5;
const CHECK_MINUTE: i64 = 10 * 60;
const CHECK_DAYS: i64 = 14;

/// Shares of the revisits, per mille.
const UNREACHABLE_PER_MILLE: u32 = 50;
const DISSATISFIED_PER_MILLE: u32 = 30;
const FAIRLY_PER_MILLE: u32 = 90;
const MAJOR_PER_MILLE: u32 = 150;
const COMMENT_PER_MILLE: u32 = 150;
const NEEDS_PER_MILLE: u32 = 60;
/// Of agreement residents, visited in person rather than called (R-RV-3).
const IN_PERSON_PER_MILLE: u32 = 600;
/// Of the newest plan's households, left to do at "now" (at least three).
const STILL_TO_DO_PER_MILLE: u32 = 120;
/// A staff member complained about at their last job of a month must still
/// be working this many days after the draw, to do the next one.
const STAYS_DAYS: i64 = 45;

/// Which of the three answers a complaint is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aspect {
    Timeliness,
    Skill,
    Attitude,
}

/// A complaint residents make, with how the office handles it.
struct ComplaintSpec {
    /// The group whose work it fits; `None`: any.
    group: Option<Group>,
    what: &'static str,
    aspect: Aspect,
    severity: Severity,
    handling: &'static str,
}

const fn minor(
    group: Option<Group>,
    what: &'static str,
    aspect: Aspect,
    handling: &'static str,
) -> ComplaintSpec {
    ComplaintSpec { group, what, aspect, severity: Severity::Minor, handling }
}

const COMPLAINTS: [ComplaintSpec; 13] = [
    minor(
        Some(Group::Housekeeping),
        "保洁员比约好的时间晚到四十分钟，事先没有打电话说明",
        Aspect::Timeliness,
        "已向住户致歉；业务主办提醒员工不能按时到达须提前电话告知住户",
    ),
    minor(
        Some(Group::Housekeeping),
        "卫生间和厨房没有清理干净，台面还有油渍，地漏有头发",
        Aspect::Skill,
        "安排员工次日免费返工，住户验收满意",
    ),
    minor(
        Some(Group::PublicRepair),
        "维修师傅态度生硬，住户问漏水原因时很不耐烦",
        Aspect::Attitude,
        "约谈员工，进行服务规范教育，并电话向住户致歉",
    ),
    minor(
        None,
        "完工后没有清理现场，碎屑和包装袋留在地上",
        Aspect::Skill,
        "已向住户致歉，员工当天返回清理现场，纳入月度考核",
    ),
    minor(
        Some(Group::PublicRepair),
        "换的水龙头用了三天又开始滴水",
        Aspect::Skill,
        "已派师傅免费返修，住户确认不再滴水",
    ),
    minor(None, "进门没有穿鞋套，客厅地板踩脏了", Aspect::Attitude, "已向住户致歉，重申进门穿鞋套的规定"),
    minor(
        Some(Group::Housekeeping),
        "保洁员干活时一直打电话聊天，住户觉得不专心",
        Aspect::Attitude,
        "约谈员工，重申上门服务期间不得闲聊、接打私人电话，并向住户致歉",
    ),
    minor(
        Some(Group::PublicRepair),
        "报修时说两小时内到，实际过了四个小时才来",
        Aspect::Timeliness,
        "已向住户致歉；控制中心跟进派工时效，员工无法按时到达须提前告知",
    ),
    minor(
        Some(Group::Engineering),
        "装好后没有讲清楚报警器怎么用，问了也说不明白",
        Aspect::Attitude,
        "已安排工程部师傅上门重新讲解使用方法，住户已会操作",
    ),
    minor(
        None,
        "约好上午上门，拖到下午才来，耽误住户上班",
        Aspect::Timeliness,
        "已向住户致歉；调整派工，避免同一时段排单过多",
    ),
    minor(
        Some(Group::Engineering),
        "报警器修好后第二天又误报，半夜响了两次",
        Aspect::Skill,
        "已派工程部师傅更换探测器，连续观察一周无误报，住户认可",
    ),
    ComplaintSpec {
        severity: Severity::Major,
        ..minor(
            Some(Group::PublicRepair),
            "维修后水管接头渗漏，泡坏了楼下住户的天花板",
            Aspect::Skill,
            "管理处经理上门致歉，承担楼下天花板修补费用；员工通报批评并扣当月绩效",
        )
    },
    ComplaintSpec {
        severity: Severity::Major,
        ..minor(
            Some(Group::Housekeeping),
            "擦柜子时打碎了住户的瓷花瓶，没有主动告知",
            Aspect::Attitude,
            "管理处经理上门致歉并照价赔偿；员工通报批评，重申损坏物品须当场告知住户",
        )
    },
];

const SATISFIED_COMMENTS: [&str; 7] = [
    "师傅很专业，下次还找他",
    "保洁阿姨干活细心，很满意",
    "上门准时，来之前还打了电话",
    "服务很好，感谢管理处",
    "老人一个人在家，员工很耐心",
    "价格合理，做得干净",
    "修好后试了几天，一直正常",
];
const FAIR_COMMENTS: [&str; 5] = [
    "上门比约定时间晚了十来分钟",
    "活干得有点赶，角落没擦到",
    "师傅话不多，问题原因解释得不够清楚",
    "做完地面有点湿滑，老人差点滑倒",
    "预约要等两天，希望能快一点",
];
/// R-RV-4: needs residents mention, for the month's report.
const NEEDS: [&str; 8] = [
    "希望增加擦窗服务（外侧可及部分）",
    "希望周末也能安排钟点保洁",
    "希望增加家电清洗项目",
    "希望管理处能代收快递",
    "老人行动不便，希望定期上门量血压",
    "希望可以微信预约服务",
    "希望增加宠物上门喂养服务",
    "希望春节前能提前预约大扫除",
];

/// Who records a revisit or closes a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum By {
    /// The CS clerk on duty (R-DESK-1: the CS center does every revisit).
    CsClerk,
    /// The quality check's and major complaints' own.
    Manager,
    /// The housekeeping business supervisor, for her group's complaints.
    Supervisor,
}

/// What is done at a planned time.
#[derive(Debug, Clone)]
enum Task {
    /// The plan of the month beginning that day.
    DrawPlan(NaiveDate),
    /// The quality check of the quarter (`YYYY-Qn`).
    DrawCheck(String),
    Record {
        household: i64,
        answer: RevisitAnswer,
        by: By,
    },
    Close {
        request: RequestId,
        handling: &'static str,
        by: By,
    },
}

/// How a household's revisit turns out.
#[derive(Clone, Copy)]
enum Outcome {
    Satisfied,
    Fairly,
    /// Dissatisfied: a complaint closed a few days later.
    Complaint(&'static ComplaintSpec),
    /// Dissatisfied: the complaint carried to next month's plan, closed
    /// once next month's is recorded.
    Carried(&'static ComplaintSpec),
    Unreachable,
}

/// Who revisits a plan, from when and within how many days.
struct Round {
    start: NaiveDateTime,
    days: i64,
    by: By,
}

/// A complaint left open until the next month's has been recorded.
#[derive(Debug, Clone, Copy)]
struct OpenComplaint {
    request: RequestId,
    handling: &'static str,
    by: By,
}

/// The revisits planned so far and those waiting for their time.
pub(super) struct RevisitPlans {
    rng: StdRng,
    tasks: Vec<(NaiveDateTime, Task)>,
    waiting: BTreeSet<(NaiveDateTime, usize)>,
    supervisor: Option<User>,
    open_complaint: Option<OpenComplaint>,
}

impl Default for RevisitPlans {
    fn default() -> Self {
        RevisitPlans {
            rng: StdRng::seed_from_u64(REVISIT_SEED),
            tasks: Vec::new(),
            waiting: BTreeSet::new(),
            supervisor: None,
            open_complaint: None,
        }
    }
}

impl RevisitPlans {
    /// The tasks due by the end of `day` not handed out yet, in time order.
    pub(super) fn jobs_of(&mut self, day: NaiveDate) -> Vec<(NaiveDateTime, Job)> {
        let mut jobs = Vec::new();
        while let Some(&(at, index)) = self.waiting.first() {
            if at.date() > day {
                break;
            }
            self.waiting.pop_first();
            jobs.push((at, Job::Revisit(index)));
        }
        jobs
    }

    fn chance(&mut self, per_mille: u32) -> bool {
        self.rng.gen_range(0..1000) < per_mille
    }

    /// `day` at a minute in `from..to`, with random seconds.
    fn time_in(&mut self, day: NaiveDate, from: i64, to: i64) -> NaiveDateTime {
        at_minute(day, self.rng.gen_range(from..to)) + Duration::seconds(self.rng.gen_range(0..60))
    }

    fn pick<T: Copy>(&mut self, pool: &[T]) -> Option<T> {
        pool.choose(&mut self.rng).copied()
    }
}

/// The 1st of the month whose plan is the newest drawn at `until`: the
/// previous month once the 1st's draw time has passed, else the one before.
pub(super) fn last_planned_month(until: NaiveDateTime) -> NaiveDate {
    let first = until.date().with_day(1).unwrap_or(until.date());
    let back = if until < at_minute(first, DRAW_MINUTE) { 2 } else { 1 };
    first.checked_sub_months(Months::new(back)).unwrap_or(first)
}

fn month_after(first: NaiveDate) -> NaiveDate {
    first.checked_add_months(Months::new(1)).unwrap_or(first)
}

fn quarter_name(first: NaiveDate) -> String {
    format!("{}-Q{}", first.year(), first.month0() / 3 + 1)
}

fn clock(at: NaiveDateTime) -> String {
    at.format("%H:%M").to_string()
}

impl Demo {
    /// Every month's draw and every quarter's check up to "now"; the rest
    /// is planned when each is drawn.
    pub(super) fn plan_revisits(&mut self) -> Result<()> {
        self.revisits.supervisor = self.sign_in_supervisor()?;
        let mut month = self.first_day.with_day(1).unwrap_or(self.first_day);
        while month <= self.plan_month {
            let next = month_after(month);
            let draw = self.revisits.time_in(next, DRAW_MINUTE, DRAW_MINUTE + 20);
            // The newest plan is drawn by "now" even when that is 09:31.
            self.queue_revisit_task(draw.min(self.cutoff), Task::DrawPlan(month));
            month = next;
        }
        let mut quarter = self.first_day.with_day(1).unwrap_or(self.first_day);
        quarter = quarter.with_month(quarter.month0() / 3 * 3 + 1).unwrap_or(quarter);
        loop {
            let next = quarter.checked_add_months(Months::new(3)).unwrap_or(quarter);
            let day = next.with_day(CHECK_DAY).unwrap_or(next);
            let draw = self.revisits.time_in(day, CHECK_MINUTE, CHECK_MINUTE + 30);
            if next == quarter || draw > self.cutoff {
                break;
            }
            self.queue_revisit_task(draw, Task::DrawCheck(quarter_name(quarter)));
            quarter = next;
        }
        Ok(())
    }

    /// The housekeeping business supervisor, who closes her group's complaints.
    fn sign_in_supervisor(&mut self) -> Result<Option<User>> {
        let login = self.staff.iter().find_map(|s| {
            (s.spec.group == Group::Housekeeping && s.spec.rank.is_supervisor_or_above())
                .then_some(s.spec.login)
                .flatten()
        });
        match login {
            Some(login) => Ok(Some(self.desk.sign_in(login, DEMO_PASSWORD, Desk::CsCenter)?)),
            None => Ok(None),
        }
    }

    fn queue_revisit_task(&mut self, at: NaiveDateTime, task: Task) {
        if at > self.cutoff {
            return;
        }
        let index = self.revisits.tasks.len();
        self.revisits.tasks.push((at, task));
        self.revisits.waiting.insert((at, index));
    }

    pub(super) fn revisit_task(&mut self, index: usize) -> Result<()> {
        let Some((at, task)) = self.revisits.tasks.get(index).cloned() else {
            return Ok(());
        };
        match task {
            Task::DrawPlan(month) => self.draw_month(at, month),
            Task::DrawCheck(quarter) => self.draw_check(at, &quarter),
            Task::Record { household, answer, by } => {
                let user = self.revisit_user(by, at);
                self.desk.record_revisit(&user, household, &answer).map(|_| ())
            }
            Task::Close { request, handling, by } => {
                let open = self.desk.complaints_about(request)?;
                let Some(complaint) = open.iter().find(|c| c.request == Some(request) && c.closed.is_none())
                else {
                    return Ok(());
                };
                let user = self.revisit_user(by, at);
                self.desk.close_complaint(&user, complaint.id, handling)
            }
        }
    }

    fn revisit_user(&self, by: By, at: NaiveDateTime) -> User {
        match by {
            By::CsClerk => self.clerk(Desk::CsCenter, at),
            By::Manager => self.manager.clone(),
            By::Supervisor => self.revisits.supervisor.clone().unwrap_or_else(|| self.manager.clone()),
        }
    }

    /// R-RV-1, R-RV-2: the CS clerk on duty draws the month's plan and the
    /// clerks revisit it over the following weeks.
    fn draw_month(&mut self, at: NaiveDateTime, month: NaiveDate) -> Result<()> {
        let clerk = self.clerk(Desk::CsCenter, at);
        let plan = self.desk.draw_revisit_plan(&clerk, &month.format("%Y-%m").to_string())?;
        let complained = self.complaint_to_carry(&plan.rows, month, at)?;
        let held =
            if month == self.plan_month { self.still_to_do(&plan.rows, complained) } else { BTreeSet::new() };
        let round = Round { start: at + Duration::minutes(30), days: ROUND_DAYS, by: By::CsClerk };
        self.schedule_round(&plan.rows, &round, &held, complained)?;
        let Some(row) = complained.and_then(|id| plan.rows.iter().find(|r| r.id == id)) else {
            return Ok(());
        };
        // The complaint carried by last month's plan is closed once this
        // month's has been recorded (within its first three days).
        if let Some(open) = self.revisits.open_complaint.take() {
            let day = at.date() + Duration::days(self.revisits.rng.gen_range(3..=6));
            let close = self.revisits.time_in(day, 15 * 60, 17 * 60 + 30);
            let task = Task::Close { request: open.request, handling: open.handling, by: open.by };
            self.queue_revisit_task(close, task);
        }
        if let (Some(request), Some(spec)) = (row.request, self.carried_complaint(row)) {
            self.revisits.open_complaint =
                Some(OpenComplaint { request, handling: spec.handling, by: self.closer(row, spec) });
        }
        Ok(())
    }

    /// R-RV-5: the manager draws the quarter's quality check and revisits
    /// its households within two weeks.
    fn draw_check(&mut self, at: NaiveDateTime, quarter: &str) -> Result<()> {
        let manager = self.manager.clone();
        let plan = self.desk.draw_quality_check(&manager, quarter)?;
        let round = Round { start: at + Duration::hours(3), days: CHECK_DAYS, by: By::Manager };
        self.schedule_round(&plan.rows, &round, &BTreeSet::new(), None)
    }

    /// R-RV-2D: a household of the plan whose job was its staff member's
    /// last of the month, by someone who goes on working: a complaint
    /// about it puts their next job on next month's plan.
    fn complaint_to_carry(
        &mut self,
        rows: &[PlanRow],
        month: NaiveDate,
        at: NaiveDateTime,
    ) -> Result<Option<i64>> {
        let last_jobs = self.last_jobs_of_staff(month)?;
        let leaving: Vec<usize> = self
            .changes
            .iter()
            .filter_map(|(when, change)| match change {
                OfficeChange::Leave(index) if *when <= at + Duration::days(STAYS_DAYS) => Some(*index),
                _ => None,
            })
            .collect();
        let staying = |staff: StaffId| {
            self.staff.iter().enumerate().any(|(index, s)| {
                s.id == Some(staff)
                    && s.available()
                    && s.spec.rank == Rank::Staff
                    && !leaving.contains(&index)
            })
        };
        let candidates: Vec<i64> = rows
            .iter()
            .filter(|row| match (row.request, &row.staff) {
                (Some(request), Some((staff, _))) => {
                    last_jobs.get(staff) == Some(&request)
                        && staying(*staff)
                        && self.carried_complaint(row).is_some()
                }
                _ => false,
            })
            .map(|row| row.id)
            .collect();
        Ok(self.revisits.pick(&candidates))
    }

    /// Each staff member's last job finished in the month beginning `month`.
    fn last_jobs_of_staff(&self, month: NaiveDate) -> Result<HashMap<StaffId, RequestId>> {
        let next = month_after(month);
        // Agreement visits are on the register two weeks ahead; a few rows wait longer.
        let finished =
            self.desk.store().finished_jobs(month - Duration::days(45), next - Duration::days(1))?;
        let end = at_minute(next, 0);
        let mut last: HashMap<StaffId, (NaiveDateTime, RequestId)> = HashMap::new();
        for (id, staff, done) in finished {
            if done < end {
                let entry = last.entry(staff).or_insert((done, id));
                *entry = (*entry).max((done, id));
            }
        }
        Ok(last.into_iter().map(|(staff, (_, id))| (staff, id)).collect())
    }

    /// The complaint carried from month to month: a minor one that fits
    /// the work, always the same for the same household of a plan.
    fn carried_complaint(&self, row: &PlanRow) -> Option<&'static ComplaintSpec> {
        let group = self.row_group(row)?;
        let fits: Vec<&'static ComplaintSpec> = COMPLAINTS
            .iter()
            .filter(|c| c.severity == Severity::Minor && c.group.is_none_or(|g| g == group))
            .collect();
        fits.get(usize::try_from(row.id).unwrap_or_default() % fits.len().max(1)).copied()
    }

    /// The newest plan's households not yet revisited at "now".
    fn still_to_do(&mut self, rows: &[PlanRow], keep: Option<i64>) -> BTreeSet<i64> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).filter(|id| Some(*id) != keep).collect();
        let count = (ids.len() * STILL_TO_DO_PER_MILLE as usize / 1000).max(3).min(ids.len());
        ids.choose_multiple(&mut self.revisits.rng, count).copied().collect()
    }

    /// Plans the revisit of each household of `rows` not `held` within
    /// the round: one at least unreachable, `complained` with the complaint
    /// carried to next month in its first days.
    fn schedule_round(
        &mut self,
        rows: &[PlanRow],
        round: &Round,
        held: &BTreeSet<i64>,
        complained: Option<i64>,
    ) -> Result<()> {
        let agreement_rooms = self.agreement_rooms()?;
        let open: Vec<i64> =
            rows.iter().map(|r| r.id).filter(|id| !held.contains(id) && Some(*id) != complained).collect();
        let unreachable = self.revisits.pick(&open);
        for row in rows.iter().filter(|r| !held.contains(&r.id)) {
            let (outcome, within) = if Some(row.id) == complained {
                (self.carried_complaint(row).map_or(Outcome::Satisfied, Outcome::Carried), 3)
            } else if Some(row.id) == unreachable {
                (Outcome::Unreachable, round.days)
            } else {
                (self.outcome(row), round.days)
            };
            let day = round.start.date() + Duration::days(self.revisits.rng.gen_range(0..within));
            // R-RV-3: only agreement residents are visited in person.
            let method = if agreement_rooms.contains(&row.room)
                && !matches!(outcome, Outcome::Unreachable)
                && self.revisits.chance(IN_PERSON_PER_MILLE)
            {
                RevisitMethod::InPerson
            } else {
                RevisitMethod::Phone
            };
            self.schedule_revisit(row, outcome, method, day, round);
        }
        Ok(())
    }

    /// Rooms with an agreement signed at some time (R-RV-3).
    fn agreement_rooms(&self) -> Result<BTreeSet<String>> {
        let agreements = self.desk.agreements(&AgreementQuery::default())?;
        Ok(agreements.into_iter().filter(|a| a.status != AgreementStatus::Draft).map(|a| a.room).collect())
    }

    /// Mostly satisfied; some fairly satisfied, a few unreachable or
    /// dissatisfied with a complaint that fits the work.
    fn outcome(&mut self, row: &PlanRow) -> Outcome {
        let roll = self.revisits.rng.gen_range(0..1000);
        if roll < UNREACHABLE_PER_MILLE {
            return Outcome::Unreachable;
        }
        if roll < UNREACHABLE_PER_MILLE + DISSATISFIED_PER_MILLE
            && let Some(spec) = self.complaint_for(row)
        {
            return Outcome::Complaint(spec);
        }
        if roll < UNREACHABLE_PER_MILLE + DISSATISFIED_PER_MILLE + FAIRLY_PER_MILLE {
            return Outcome::Fairly;
        }
        Outcome::Satisfied
    }

    fn complaint_for(&mut self, row: &PlanRow) -> Option<&'static ComplaintSpec> {
        let group = self.row_group(row)?;
        let severity = if self.revisits.chance(MAJOR_PER_MILLE) { Severity::Major } else { Severity::Minor };
        let fits: Vec<&'static ComplaintSpec> = COMPLAINTS
            .iter()
            .filter(|c| c.severity == severity && c.group.is_none_or(|g| g == group))
            .collect();
        self.revisits.pick(&fits)
    }

    /// The group of the staff member who did the household's job.
    fn row_group(&self, row: &PlanRow) -> Option<Group> {
        let (staff, _) = row.staff.as_ref()?;
        self.staff.iter().find(|s| s.id == Some(*staff)).map(|s| s.spec.group)
    }

    /// Major complaints go to the manager; the housekeeping supervisor
    /// handles her group's minor ones.
    fn closer(&self, row: &PlanRow, spec: &ComplaintSpec) -> By {
        let housekeeping = self.row_group(row) == Some(Group::Housekeeping);
        if spec.severity == Severity::Minor && housekeeping && self.revisits.supervisor.is_some() {
            By::Supervisor
        } else {
            By::Manager
        }
    }

    /// The revisit of one household on `day` of the round, and the closing
    /// of its complaint a few days later.
    fn schedule_revisit(
        &mut self,
        row: &PlanRow,
        outcome: Outcome,
        method: RevisitMethod,
        day: NaiveDate,
        round: &Round,
    ) {
        let (at, attempts) = match (outcome, method) {
            (Outcome::Unreachable, _) => self.attempts(day.max(round.start.date() + Duration::days(1))),
            (_, RevisitMethod::InPerson) => (self.revisits.time_in(day, 15 * 60, 17 * 60), String::new()),
            (_, RevisitMethod::Phone) => (self.call_time(day, round.start), String::new()),
        };
        let at = at.max(round.start);
        let answer = self.answer(outcome, method, attempts);
        self.queue_revisit_task(at, Task::Record { household: row.id, answer, by: round.by });
        let (Outcome::Complaint(spec), Some(request)) = (outcome, row.request) else {
            return;
        };
        let (from, to) = if spec.severity == Severity::Major { (5, 12) } else { (2, 7) };
        let day = at.date() + Duration::days(self.revisits.rng.gen_range(from..=to));
        let close = self.revisits.time_in(day, 15 * 60, 17 * 60 + 30);
        let task = Task::Close { request, handling: spec.handling, by: self.closer(row, spec) };
        self.queue_revisit_task(close, task);
    }

    /// A phone call in the morning or afternoon calling hours.
    fn call_time(&mut self, day: NaiveDate, start: NaiveDateTime) -> NaiveDateTime {
        if self.revisits.chance(500) {
            let morning = self.revisits.time_in(day, 9 * 60, 11 * 60 + 40);
            if morning >= start {
                return morning;
            }
        }
        self.revisits.time_in(day, 14 * 60 + 30, 17 * 60 + 40)
    }

    /// R-RV-3: the calls that went unanswered on `day`, and when the clerk
    /// recorded them.
    fn attempts(&mut self, day: NaiveDate) -> (NaiveDateTime, String) {
        let first = self.revisits.time_in(day, 9 * 60, 11 * 60 + 30);
        let second = self.revisits.time_in(day, 14 * 60 + 30, 17 * 60 + 30);
        let (last, text) = match self.revisits.rng.gen_range(0..4) {
            0 => {
                let third = self.revisits.time_in(day, 18 * 60, 19 * 60 + 20);
                (third, format!("{}、{}、{} 三次电话未接通", clock(first), clock(second), clock(third)))
            }
            1 => (second, format!("{} 电话无人接听，{} 再打提示已关机", clock(first), clock(second))),
            2 => (second, format!("{}、{} 两次电话未接通，已发短信请住户回电", clock(first), clock(second))),
            _ => (second, format!("{}、{} 两次电话未接通", clock(first), clock(second))),
        };
        (last + Duration::minutes(self.revisits.rng.gen_range(2..10)), text)
    }

    /// What the resident says, as the clerk records it (R-RV-3, R-RV-4).
    fn answer(&mut self, outcome: Outcome, method: RevisitMethod, attempts: String) -> RevisitAnswer {
        let rng = &mut self.revisits;
        let all = |o: Opinion| Ratings { timeliness: o, skill: o, attitude: o };
        let (ratings, comments, complaint) = match outcome {
            Outcome::Unreachable => (None, String::new(), None),
            Outcome::Satisfied => {
                let comment =
                    if rng.chance(COMMENT_PER_MILLE) { rng.pick(&SATISFIED_COMMENTS) } else { None };
                (Some(all(Opinion::Satisfied)), comment.unwrap_or_default().to_string(), None)
            }
            Outcome::Fairly => {
                let mut ratings = all(Opinion::Satisfied);
                match rng.rng.gen_range(0..4) {
                    0 => ratings.timeliness = Opinion::FairlySatisfied,
                    1 => ratings.skill = Opinion::FairlySatisfied,
                    2 => ratings.attitude = Opinion::FairlySatisfied,
                    _ => ratings = all(Opinion::FairlySatisfied),
                }
                (Some(ratings), rng.pick(&FAIR_COMMENTS).unwrap_or_default().to_string(), None)
            }
            Outcome::Complaint(spec) | Outcome::Carried(spec) => {
                let mut ratings = all(Opinion::Satisfied);
                match spec.aspect {
                    Aspect::Timeliness => ratings.timeliness = Opinion::Dissatisfied,
                    Aspect::Skill => ratings.skill = Opinion::Dissatisfied,
                    Aspect::Attitude => ratings.attitude = Opinion::Dissatisfied,
                }
                let draft = ComplaintDraft { what: spec.what.to_string(), severity: spec.severity };
                (Some(ratings), String::new(), Some(draft))
            }
        };
        let needs = if ratings.is_some() && rng.chance(NEEDS_PER_MILLE) { rng.pick(&NEEDS) } else { None };
        RevisitAnswer {
            method,
            ratings,
            comments,
            needs: needs.unwrap_or_default().to_string(),
            attempts,
            complaint,
        }
    }
}
