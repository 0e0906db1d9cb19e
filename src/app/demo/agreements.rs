//! The demo office's long-term agreements (定点长期服务, R-AG-1..3): a few a
//! year, each made through the agreement use cases at plausible times — a
//! CS clerk saves the draft and confirms capacity and price, the manager
//! signs (R-AG-2) — and now and then amended (变更书), renewed (续订书) or
//! stopped early with written notice (R-AG-3). The newest ones stand in
//! every state at the demo's "now": a draft, a confirmed draft, a signed
//! agreement whose term has not begun, several running, ended, terminated.
//!
//! Every morning the CS clerk coming on duty keeps the agreements current,
//! which puts their visits on the register a fortnight ahead (R-DSP-4); on
//! its day each visit goes out at the housekeeping copy round and through
//! its life like any other housekeeping row (`life.rs`). Nothing here
//! writes except through [`HomeDesk`](crate::app::HomeDesk)'s use cases.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime};

use super::{Booking, Demo, Fate, OfficeChange, at_minute};
use crate::app::Result;
use crate::domain::{
    AgreementDraft, AgreementId, Desk, Group, Money, PriceBasis, Rank, RegisterKind, Request, RequestId,
    RequestStatus, ServiceChoice, StaffId, Termination,
};
use crate::store::RequestQuery;

/// When an agreement's visits fall.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pattern {
    /// ISO weekdays, 1 = Monday.
    Weekly(&'static [u32]),
    /// Dates of the month.
    Monthly(&'static [u32]),
}

/// One long-term service the office agrees with a resident.
struct AgreementSpec {
    /// The housekeeping item of the price list it is priced against (R-FEE-4).
    item: &'static str,
    details: &'static str,
    persons_served: &'static str,
    requirements: &'static str,
    pattern: Pattern,
    /// Start of each visit (minutes of the day) and how long it lasts.
    start: i64,
    minutes: i64,
    basis: PriceBasis,
    /// Per visit, or per month against the listed price times
    /// `Schedule::visits_per_month`; within ±30 % either way (R-FEE-4).
    yuan: i64,
    payment_terms: &'static str,
    /// Named staff of the housekeeping group (R-AG-2), none due to leave.
    staff: &'static [&'static str],
    months: u32,
}

const PAY_PER_VISIT: &str =
    "每次服务完成后当场向服务人员支付，服务人员出具收据；每次100元及以上由业务主办收取";
const PAY_PER_MONTH: &str = "每月5日前到客服中心以现金或转账预付当月服务费，管理处开具收据";

const SPECS: [AgreementSpec; 9] = [
    AgreementSpec {
        item: "日常保洁",
        details: "独居老人居家保洁：客厅、卧室、厨房、卫生间地面及台面清洁，倒垃圾",
        persons_served: "业主本人（81岁，独居，行动不便）",
        requirements: "进门换鞋套；拖地后提醒老人地面防滑；不挪动老人的药品和证件",
        pattern: Pattern::Weekly(&[1, 3, 5]),
        start: 9 * 60,
        minutes: 60,
        basis: PriceBasis::PerVisit,
        yuan: 30,
        payment_terms: PAY_PER_VISIT,
        staff: &["何桂兰", "罗秀珍"],
        months: 12,
    },
    AgreementSpec {
        item: "日常保洁",
        details: "老年住户每周两次保洁：全屋地面、厨房灶台、卫生间清洁，床单每两周更换一次",
        persons_served: "退休夫妇（均七十余岁，老伴卧床）",
        requirements: "卧室保洁时请轻声；垃圾带到楼下分类投放",
        pattern: Pattern::Weekly(&[2, 5]),
        start: 14 * 60,
        minutes: 60,
        basis: PriceBasis::PerMonth,
        yuan: 260,
        payment_terms: PAY_PER_MONTH,
        staff: &["郑美玲"],
        months: 6,
    },
    AgreementSpec {
        item: "全屋深度保洁",
        details: "每月两次全屋深度保洁：厨房除油、卫生间除水垢、门窗及家具擦拭",
        persons_served: "业主夫妇及其父亲（88岁，长期卧床）",
        requirements: "老人房间用消毒液擦拭扶手和床栏；清洁用品由服务方自带",
        pattern: Pattern::Monthly(&[1, 15]),
        start: 9 * 60,
        minutes: 180,
        basis: PriceBasis::PerVisit,
        yuan: 350,
        payment_terms: PAY_PER_VISIT,
        staff: &["谢春梅", "唐玉芬"],
        months: 6,
    },
    AgreementSpec {
        item: "阳台绿化养护",
        details: "阳台花草养护：浇水、施肥、修剪枯枝，检查病虫害",
        persons_served: "业主本人（75岁，喜养花，腿脚不便）",
        requirements: "使用农药前先告知住户并开窗通风；修剪下的枝叶带走",
        pattern: Pattern::Weekly(&[6]),
        start: 10 * 60,
        minutes: 60,
        basis: PriceBasis::PerVisit,
        yuan: 45,
        payment_terms: PAY_PER_VISIT,
        staff: &["潘凤英"],
        months: 6,
    },
    AgreementSpec {
        item: "庭院草坪修剪",
        details: "一楼私家花园每月草坪修剪、绿篱整形、清除杂草",
        persons_served: "一楼带花园住户（老两口，均年过七十）",
        requirements: "修剪后清运草屑；割草机作业避开中午休息时间",
        pattern: Pattern::Monthly(&[10]),
        start: 15 * 60,
        minutes: 120,
        basis: PriceBasis::PerVisit,
        yuan: 120,
        payment_terms: PAY_PER_VISIT,
        staff: &["许翠英"],
        months: 3,
    },
    AgreementSpec {
        item: "日常保洁",
        details: "每周两次居家保洁：地面清洁、厨房和卫生间清洁、整理衣物",
        persons_served: "业主岳母（79岁，轻度认知障碍，由保姆陪护）",
        requirements: "服务时须有保姆在场；不给老人任何食物和药品；贵重物品不动",
        pattern: Pattern::Weekly(&[1, 4]),
        start: 10 * 60 + 30,
        minutes: 60,
        basis: PriceBasis::PerMonth,
        yuan: 240,
        payment_terms: PAY_PER_MONTH,
        staff: &["唐玉芬"],
        months: 12,
    },
    AgreementSpec {
        item: "日常保洁",
        details: "每周二、周四上午保洁：客厅、卧室、阳台清洁，厨房餐后清理",
        persons_served: "业主母亲（84岁，白天独自在家）",
        requirements: "老人耳背，到门口先打电话再敲门；离开时确认燃气阀已关",
        pattern: Pattern::Weekly(&[2, 4]),
        start: 9 * 60 + 30,
        minutes: 60,
        basis: PriceBasis::PerVisit,
        yuan: 30,
        payment_terms: PAY_PER_VISIT,
        staff: &["罗秀珍"],
        months: 3,
    },
    AgreementSpec {
        item: "阳台绿化养护",
        details: "每周三下午阳台及室内绿植养护：浇水、松土、施肥、修剪",
        persons_served: "业主夫妇（均已退休，常年往返子女家）",
        requirements: "住户外出时钥匙寄存客服中心，凭协议取用并登记",
        pattern: Pattern::Weekly(&[3]),
        start: 15 * 60,
        minutes: 60,
        basis: PriceBasis::PerMonth,
        yuan: 220,
        payment_terms: PAY_PER_MONTH,
        staff: &["潘凤英"],
        months: 6,
    },
    AgreementSpec {
        item: "日常保洁",
        details: "每周一、三、五下午保洁：全屋地面、卫生间、厨房清洁",
        persons_served: "业主本人（77岁，术后康复中）",
        requirements: "不使用刺激性清洁剂；窗户只擦内侧",
        pattern: Pattern::Weekly(&[1, 3, 5]),
        start: 15 * 60,
        minutes: 60,
        basis: PriceBasis::PerVisit,
        yuan: 35,
        payment_terms: PAY_PER_VISIT,
        staff: &["许翠英"],
        months: 3,
    },
];

/// What becomes of an agreement once it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Turn {
    Runs,
    /// A written amendment (变更书) this many days into the term moves the
    /// visits to other weekdays from a week later.
    Amended {
        after: i64,
        days: &'static [u32],
        reason: &'static str,
    },
    /// R-AG-3: the office stops it this many days into the term, with
    /// written notice given that day and ten more days of service.
    Terminated {
        after: i64,
        reason: &'static str,
    },
    /// A renewal (续订书) is drafted this many days before the term ends.
    Renewed {
        before_end: i64,
    },
}

/// One agreement's story, in days: drafted `drafted` days before the
/// demo's last day (a cycle earlier for older years), confirmed and signed
/// that many days after the draft (`None`: not yet), its term beginning
/// `starts` days after the draft (the next 1st for monthly dates).
struct Story {
    spec: usize,
    drafted: i64,
    confirmed: Option<i64>,
    signed: Option<i64>,
    starts: i64,
    turn: Turn,
    /// Only in the newest year: the drafts still waiting at "now".
    newest_only: bool,
    /// Drafted this many days after the 1st of the newest revisit plan's
    /// month instead, so that it is signed in that month and its resident
    /// is on the plan whatever day "now" falls on (R-RV-2A).
    in_plan_month: Option<i64>,
}

const fn story(spec: usize, drafted: i64, starts: i64, turn: Turn) -> Story {
    Story {
        spec,
        drafted,
        confirmed: Some(1),
        signed: Some(2),
        starts,
        turn,
        newest_only: false,
        in_plan_month: None,
    }
}

const STORIES: [Story; 9] = [
    story(4, 330, 9, Turn::Runs),
    story(3, 240, 7, Turn::Renewed { before_end: 20 }),
    story(
        1,
        200,
        8,
        Turn::Terminated {
            after: 95,
            reason: "家政组人员调整，周二、周五下午暂无可派保洁员，经与住户沟通提前终止，已书面通知",
        },
    ),
    story(
        0,
        160,
        6,
        Turn::Amended {
            after: 90,
            days: &[2, 4, 6],
            reason: "住户每周一上午固定去医院复诊，要求改为每周二、周四、周六上门",
        },
    ),
    story(5, 120, 10, Turn::Runs),
    // Signed on the 10th of the month of the newest revisit plan.
    Story { in_plan_month: Some(7), ..story(2, 45, 5, Turn::Runs) },
    // Signed two days before "now"; its term begins two days after it.
    Story { signed: Some(4), ..story(6, 6, 8, Turn::Runs) },
    Story { signed: None, newest_only: true, ..story(7, 4, 10, Turn::Runs) },
    Story { confirmed: None, signed: None, newest_only: true, ..story(8, 1, 9, Turn::Runs) },
];

/// Older years repeat the stories this many days back: 53 weeks, so that a
/// year's agreement ends before the next year's of the same staff begins.
const CYCLE_DAYS: i64 = 371;
/// The most agreements the small demo office holds however long its
/// history; a bigger office holds more in proportion.
const MAX_AGREEMENTS: usize = 60;
/// Households per copy of a year's stories: a bigger office tells them
/// again for other households.
const HOUSEHOLDS_PER_COPY: usize = 1000;

/// One agreement of the demo: its story's dates, and its id once drafted.
struct DemoAgreement {
    spec: &'static AgreementSpec,
    household: usize,
    term_start: NaiveDate,
    term_end: NaiveDate,
    turn: Turn,
    /// The agreement this one renews (an index into the plans).
    renews: Option<usize>,
    id: Option<AgreementId>,
}

/// A step of an agreement's story (an index into the plans).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AgreementEvent {
    Draft(usize),
    Confirm(usize),
    Sign(usize),
    Amend(usize),
    Terminate(usize),
}

/// The demo's agreements, their steps in time, and the agreement visits
/// waiting for their day.
#[derive(Default)]
pub(super) struct AgreementPlans {
    plans: Vec<DemoAgreement>,
    events: Vec<(NaiveDateTime, AgreementEvent)>,
    /// Register rows up to this id have been looked at for new visits.
    seen_to: RequestId,
    last_scan: Option<NaiveDate>,
    /// Visits on the register not yet sent out, by visit time.
    waiting: BTreeSet<(NaiveDateTime, RequestId)>,
}

impl AgreementPlans {
    /// The events of `day`.
    pub(super) fn events_of(&self, day: NaiveDate) -> impl Iterator<Item = (NaiveDateTime, AgreementEvent)> {
        self.events.iter().copied().filter(move |(at, _)| at.date() == day)
    }

    fn visit_minutes(&self, id: AgreementId) -> Option<i64> {
        self.plans.iter().find(|p| p.id == Some(id)).map(|p| p.spec.minutes)
    }
}

/// The 1st of the month after `day`, or `day` if it is a 1st.
fn first_of_month_from(day: NaiveDate) -> NaiveDate {
    if day.day() == 1 {
        return day;
    }
    let first = day.with_day(1).unwrap_or(day);
    first.checked_add_months(Months::new(1)).unwrap_or(day)
}

/// The last day of a term of `months` months from `start`.
fn term_end(start: NaiveDate, months: u32) -> NaiveDate {
    start.checked_add_months(Months::new(months)).and_then(|d| d.pred_opt()).unwrap_or(start)
}

fn time_text(minute: i64) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

impl Demo {
    /// The agreements' stories, the newest year first, as many years back
    /// as the history and [`MAX_AGREEMENTS`] allow.
    pub(super) fn plan_agreements(&mut self) {
        let copies = self.size.households.div_ceil(HOUSEHOLDS_PER_COPY).max(1);
        let most = self.size.in_proportion(MAX_AGREEMENTS);
        let mut cycle = 0;
        let mut told = 0;
        loop {
            let newest = self.today - Duration::days(CYCLE_DAYS * cycle);
            // The newest year's own stories are told once: they set the scenes near "now".
            let stories: Vec<&'static Story> = (0..copies)
                .flat_map(|copy| STORIES.iter().filter(move |s| !s.newest_only || (cycle == 0 && copy == 0)))
                .collect();
            let renewals = stories.iter().filter(|s| matches!(s.turn, Turn::Renewed { .. })).count();
            let fits = self.agreements.plans.len() + stories.len() + renewals <= most;
            let youngest = stories.iter().map(|s| s.drafted).min().unwrap_or(0);
            if !fits || newest - Duration::days(youngest) <= self.first_day {
                break;
            }
            for story in stories {
                self.plan_story(story, newest, told, cycle == 0);
                told += 1;
            }
            cycle += 1;
        }
        self.agreements.events.sort_by_key(|(at, _)| *at);
    }

    /// Plans one story when it begins inside the history.
    fn plan_story(&mut self, story: &Story, newest: NaiveDate, household: usize, newest_year: bool) {
        let drafted = match story.in_plan_month {
            Some(days) => self.plan_month + Duration::days(days) - (self.today - newest),
            None => newest - Duration::days(story.drafted),
        };
        if drafted <= self.first_day {
            return;
        }
        let Some(spec) = SPECS.get(story.spec) else {
            return;
        };
        let start = drafted + Duration::days(story.starts);
        let term_start = match spec.pattern {
            Pattern::Weekly(_) => start,
            Pattern::Monthly(_) => first_of_month_from(start),
        };
        let index = self.agreements.plans.len();
        self.agreements.plans.push(DemoAgreement {
            spec,
            household: household % self.households.len().max(1),
            term_start,
            term_end: term_end(term_start, spec.months),
            turn: story.turn,
            renews: None,
            id: None,
        });
        // Older years' drafts were all confirmed and signed in their time.
        let (confirmed, signed) =
            if newest_year { (story.confirmed, story.signed) } else { (Some(1), Some(2)) };
        self.plan_signing(index, drafted, confirmed, signed);
        self.plan_turn(index);
    }

    /// The draft at the CS center, the confirmation (R-AG-2) and the
    /// manager's signature, each on its day at office hours.
    fn plan_signing(
        &mut self,
        index: usize,
        drafted: NaiveDate,
        confirmed: Option<i64>,
        signed: Option<i64>,
    ) {
        let at = self.jitter(at_minute(drafted, 10 * 60), 0, 90);
        self.agreements.events.push((at, AgreementEvent::Draft(index)));
        if let Some(days) = confirmed {
            let at = self.jitter(at_minute(drafted + Duration::days(days), 11 * 60 + 40), 0, 60);
            self.agreements.events.push((at, AgreementEvent::Confirm(index)));
        }
        if let (Some(_), Some(days)) = (confirmed, signed) {
            let at = self.jitter(at_minute(drafted + Duration::days(days), 15 * 60), 0, 60);
            self.agreements.events.push((at, AgreementEvent::Sign(index)));
        }
    }

    /// An amendment, an early termination or a renewal during the term.
    fn plan_turn(&mut self, index: usize) {
        let Some(plan) = self.agreements.plans.get(index) else {
            return;
        };
        let (term_start, term_end, turn) = (plan.term_start, plan.term_end, plan.turn);
        match turn {
            Turn::Runs => {}
            Turn::Amended { after, .. } => {
                let at = self.jitter(at_minute(term_start + Duration::days(after), 15 * 60 + 30), 0, 60);
                self.agreements.events.push((at, AgreementEvent::Amend(index)));
            }
            Turn::Terminated { after, .. } => {
                let at = self.jitter(at_minute(term_start + Duration::days(after), 16 * 60), 0, 60);
                self.agreements.events.push((at, AgreementEvent::Terminate(index)));
            }
            Turn::Renewed { before_end } => self.plan_renewal(index, term_end - Duration::days(before_end)),
        }
    }

    /// A renewal for the same length, drafted on `drafted`, confirmed the
    /// next day and signed three days after the draft.
    fn plan_renewal(&mut self, renews: usize, drafted: NaiveDate) {
        let Some(old) = self.agreements.plans.get(renews) else {
            return;
        };
        let term_start = old.term_end + Duration::days(1);
        let renewal = DemoAgreement {
            spec: old.spec,
            household: old.household,
            term_start,
            term_end: term_end(term_start, old.spec.months),
            turn: Turn::Runs,
            renews: Some(renews),
            id: None,
        };
        let index = self.agreements.plans.len();
        self.agreements.plans.push(renewal);
        self.plan_signing(index, drafted, Some(1), Some(3));
    }

    // ----- the steps ---------------------------------------------------------

    pub(super) fn agreement_event(&mut self, at: NaiveDateTime, event: AgreementEvent) -> Result<()> {
        match event {
            AgreementEvent::Draft(index) => self.draft_agreement(at, index),
            AgreementEvent::Confirm(index) => {
                let Some(id) = self.agreement_id(index) else { return Ok(()) };
                let clerk = self.clerk(Desk::CsCenter, at);
                self.desk.confirm_agreement(&clerk, id).map(|_| ())
            }
            AgreementEvent::Sign(index) => {
                let Some(id) = self.agreement_id(index) else { return Ok(()) };
                let manager = self.manager.clone();
                self.desk.sign_agreement(&manager, id).map(|_| ())
            }
            AgreementEvent::Amend(index) => self.amend_agreement(at, index),
            AgreementEvent::Terminate(index) => self.terminate_agreement(at, index),
        }
    }

    fn agreement_id(&self, index: usize) -> Option<AgreementId> {
        self.agreements.plans.get(index).and_then(|p| p.id)
    }

    /// R-AG-2: the CS clerk on duty writes the draft, or the renewal of an
    /// agreement that runs out (续订书).
    fn draft_agreement(&mut self, at: NaiveDateTime, index: usize) -> Result<()> {
        let clerk = self.clerk(Desk::CsCenter, at);
        let Some(plan) = self.agreements.plans.get(index) else {
            return Ok(());
        };
        let id = match plan.renews {
            Some(old) => {
                let (Some(old_id), term_end) = (self.agreement_id(old), plan.term_end) else {
                    return Ok(());
                };
                self.desk.renew_agreement(&clerk, old_id, term_end)?
            }
            None => {
                let Some(draft) = self.agreement_draft(plan) else {
                    return Ok(());
                };
                let until = plan.term_end;
                let draft = self.with_free_staff(draft, None, until)?;
                self.desk.save_agreement_draft(&clerk, None, &draft)?
            }
        };
        if let Some(plan) = self.agreements.plans.get_mut(index) {
            plan.id = Some(id);
        }
        Ok(())
    }

    /// The form as the clerk fills it in for a household's eldest resident.
    fn agreement_draft(&self, plan: &DemoAgreement) -> Option<AgreementDraft> {
        let spec = plan.spec;
        let household = self.households.get(plan.household)?;
        let (resident_name, phone) = household.residents.first()?.clone();
        let item = self.items.iter().find(|i| i.spec.name == spec.item)?.id?;
        let (weekly, days, dates) = match spec.pattern {
            Pattern::Weekly(days) => (true, days.to_vec(), String::new()),
            Pattern::Monthly(dates) => {
                (false, Vec::new(), dates.iter().map(u32::to_string).collect::<Vec<_>>().join(", "))
            }
        };
        Some(AgreementDraft {
            room: household.room.clone(),
            resident_name,
            phone,
            service: ServiceChoice::Listed(item),
            details: spec.details.to_string(),
            persons_served: spec.persons_served.to_string(),
            requirements: spec.requirements.to_string(),
            staff: self.agreement_staff(spec.staff, plan.term_end),
            weekly,
            days,
            dates,
            start: time_text(spec.start),
            end: time_text(spec.start + spec.minutes),
            term_start: plan.term_start.to_string(),
            term_end: plan.term_end.to_string(),
            price: Money::from_yuan(spec.yuan)?.to_plain(),
            basis: Some(spec.basis),
            payment_terms: spec.payment_terms.to_string(),
            ..AgreementDraft::default()
        })
    }

    /// The named staff still at work and not due to leave before `until`;
    /// another member of the housekeeping group if none of them is.
    fn agreement_staff(&self, names: &[&str], until: NaiveDate) -> Vec<StaffId> {
        let staying = self.housekeepers(until);
        // In the spec's order: the first named staff member is sent to the visits.
        let named: Vec<StaffId> = names
            .iter()
            .filter_map(|name| staying.iter().find(|(staff, _)| staff == name).map(|(_, id)| *id))
            .collect();
        if named.is_empty() { staying.first().map(|(_, id)| *id).into_iter().collect() } else { named }
    }

    /// The draft with a first named staff member free at its visit times:
    /// the draft's own staff in order, then the rest of the housekeeping
    /// group (issue 19: the stories told again for a bigger office put
    /// 何桂兰 in three homes at 09:00). Unchanged when nobody is free.
    fn with_free_staff(
        &self,
        draft: AgreementDraft,
        id: Option<AgreementId>,
        until: NaiveDate,
    ) -> Result<AgreementDraft> {
        let others = self.housekeepers(until).into_iter().map(|(_, id)| id);
        let candidates: Vec<StaffId> = draft.staff.iter().copied().chain(others).collect();
        for candidate in candidates {
            let staff =
                std::iter::once(candidate).chain(draft.staff.iter().copied().filter(|s| *s != candidate));
            let trial = AgreementDraft { staff: staff.collect(), ..draft.clone() };
            if self.desk.agreement_clashes(&trial, id)?.is_empty() {
                return Ok(trial);
            }
        }
        Ok(draft)
    }

    /// The housekeeping group's staff at work and not due to leave before `until`.
    fn housekeepers(&self, until: NaiveDate) -> Vec<(&'static str, StaffId)> {
        let leaving: Vec<usize> = self
            .changes
            .iter()
            .filter_map(|(at, change)| match change {
                OfficeChange::Leave(index) if at.date() <= until => Some(*index),
                _ => None,
            })
            .collect();
        self.staff
            .iter()
            .enumerate()
            .filter(|(index, s)| {
                s.available()
                    && s.spec.group == Group::Housekeeping
                    && s.spec.rank == Rank::Staff
                    && !leaving.contains(index)
            })
            .filter_map(|(_, s)| s.id.map(|id| (s.spec.name, id)))
            .collect()
    }

    /// A written amendment (变更书) by the manager: other weekdays from a
    /// week later, the old visits from then on cancelled.
    fn amend_agreement(&mut self, at: NaiveDateTime, index: usize) -> Result<()> {
        let Some(plan) = self.agreements.plans.get(index) else {
            return Ok(());
        };
        let (Some(id), Turn::Amended { days, reason, .. }) = (plan.id, plan.turn) else {
            return Ok(());
        };
        let agreement = self.desk.agreement(id)?;
        if !agreement.makes_visits() {
            return Ok(());
        }
        let mut draft = self.desk.agreement_draft(&agreement);
        draft.days = days.to_vec();
        let draft = self.with_free_staff(draft, Some(id), agreement.term_end)?;
        let effective_on = (at.date() + Duration::days(7)).min(agreement.term_end);
        let manager = self.manager.clone();
        self.desk.amend_agreement(&manager, id, &draft, reason, effective_on)?;
        Ok(())
    }

    /// R-AG-3: notice in writing today, service until ten days later.
    fn terminate_agreement(&mut self, at: NaiveDateTime, index: usize) -> Result<()> {
        let Some(plan) = self.agreements.plans.get(index) else {
            return Ok(());
        };
        let (Some(id), Turn::Terminated { reason, .. }) = (plan.id, plan.turn) else {
            return Ok(());
        };
        let notice = Termination {
            reason: reason.to_string(),
            notice_on: at.date(),
            stop_on: (at.date() + Duration::days(10)).min(plan.term_end),
        };
        let manager = self.manager.clone();
        self.desk.terminate_agreement(&manager, id, &notice)?;
        Ok(())
    }

    // ----- the visits ----------------------------------------------------------

    /// R-DSP-4: the CS clerk coming on duty keeps the agreements current —
    /// the fortnight's visits go on the register — and today's visits are
    /// planned to go out at the copy round.
    pub(super) fn keep_agreements(&mut self, at: NaiveDateTime) -> Result<()> {
        let clerk = self.clerk(Desk::CsCenter, at);
        self.desk.keep_agreements_current(&clerk)?;
        self.note_new_visits(at.date())?;
        self.plan_visits_due(at)
    }

    /// Looks at the housekeeping rows registered since the last morning and
    /// keeps the agreement visits among them until their day.
    fn note_new_visits(&mut self, today: NaiveDate) -> Result<()> {
        let query = RequestQuery {
            kind: Some(RegisterKind::Housekeeping),
            from: Some(self.agreements.last_scan.unwrap_or(self.first_day)),
            to: Some(today),
            ..RequestQuery::default()
        };
        let seen_to = self.agreements.seen_to;
        let new: Vec<RequestId> =
            self.desk.store.query_request_ids(&query)?.into_iter().filter(|id| *id > seen_to).collect();
        self.agreements.seen_to = new.iter().copied().max().unwrap_or(seen_to);
        self.agreements.last_scan = Some(today);
        let rows = self.desk.store.get_requests(&new)?;
        let visits = rows.iter().filter(|row| row.agreement.is_some());
        self.agreements.waiting.extend(visits.map(|row| (row.appointment, row.id)));
        Ok(())
    }

    /// Plans the life of each visit of today still on the register: an
    /// amendment or a termination may have cancelled it meanwhile.
    fn plan_visits_due(&mut self, at: NaiveDateTime) -> Result<()> {
        let tomorrow = at_minute(at.date() + Duration::days(1), 0);
        let later = self.agreements.waiting.split_off(&(tomorrow, RequestId::MIN));
        let due: Vec<RequestId> = std::mem::replace(&mut self.agreements.waiting, later)
            .into_iter()
            .filter(|(visit, _)| *visit > at)
            .map(|(_, id)| id)
            .collect();
        for row in self.desk.store.get_requests(&due)? {
            if row.status == RequestStatus::Registered
                && let Some(booking) = self.visit_booking(&row, at)
            {
                self.plan_agreement_visit(&booking);
            }
        }
        Ok(())
    }

    /// The visit as the day's planning sees it: it comes up for dispatch
    /// this morning, goes to the first named staff member and lasts the
    /// agreed time.
    fn visit_booking(&self, row: &Request, at: NaiveDateTime) -> Option<Booking> {
        let (staff, _) = row.assigned_staff.clone()?;
        Some(Booking {
            id: row.id,
            kind: RegisterKind::Housekeeping,
            received: at,
            appointment: row.appointment,
            urgency: None,
            staff,
            details: row.details.clone(),
            price: row.price.unwrap_or(Money::ZERO),
            fate: Fate::Complete,
            visit_minutes: row.agreement.and_then(|id| self.agreements.visit_minutes(id)),
        })
    }
}
