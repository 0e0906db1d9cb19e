//! The demo office's shopping log (代客购物, R-SH-1..6): two to four
//! entries a week, mostly for elderly residents — rice and oil, milk,
//! toilet paper, light bulbs, batteries, water filters, cleaning supplies —
//! each taken at the CS center by the clerk on duty, bought the same or the
//! next day by a housekeeping staff member or supervisor with an invoice
//! (R-SH-2), delivered and signed for within the deadline (R-SH-3) and
//! settled by finance a few days later. Now and then the goods cannot be
//! bought and the resident is told why (R-SH-4), or a spoiled form is
//! voided with its reason and written again (R-SH-6).
//!
//! Close to the demo's "now" a few entries are left for the 飞单 check:
//! two still recorded past their deadline, one bought but not delivered,
//! one delivered but not settled for over a week and already investigated;
//! the newest entries stand in their normal open states.
//!
//! The whole log is planned when the office is set up, with an rng of its
//! own so that the rest of the demo stays as it was, and each entry and
//! step is taken through [`HomeDesk`](crate::app::HomeDesk)'s shopping use
//! cases when the demo's clock reaches it: numbers come only from
//! `record_shopping`, so they run without a gap.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike, Weekday};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use super::{DEMO_SEED, Demo, DemoHousehold, Job, STAFF, Tenure, at_minute, weighted_index};
use crate::app::Result;
use crate::domain::{Concern, Desk, Group, Money, Purchase, ShoppingDraft, ShoppingId, ShoppingStep, User};

/// The shopping log's own rng: planning it draws nothing from the demo's.
const SHOPPING_SEED: u64 = DEMO_SEED ^ 0x5348_4f50;

/// Entries a week, both included.
const PER_WEEK: (usize, usize) = (3, 5);
/// Shares of the entries, per mille.
const NOT_BOUGHT_PER_MILLE: u32 = 30;
const SPOILED_PER_MILLE: u32 = 20;
/// The share of entries for the elderly residents who ask the office to shop for them.
const ELDERLY_PER_MILLE: u32 = 800;
const ELDERLY_RESIDENTS: usize = 24;
/// Given names of the demo's pool that residents of seventy and more bear.
const ELDERLY_GIVEN_NAMES: [&str; 20] = [
    "建国", "建华", "国强", "德胜", "振东", "立军", "东升", "秀兰", "秀英", "桂英", "玉兰", "淑珍", "翠英",
    "春梅", "建平", "国华", "卫东", "爱华", "凤英", "玉梅",
];
/// Half the purchases cost exactly the expected total; the others differ by
/// up to this many per mille either way.
const ACTUAL_SPREAD_PER_MILLE: i64 = 30;

/// One kind of goods residents ask for, with its usual price.
struct Goods {
    item: &'static str,
    brand: &'static str,
    kind: &'static str,
    unit: &'static str,
    spec: &'static str,
    price_fen: i64,
    /// The most a resident asks for at once.
    most: u32,
    /// How often it is asked for, relative to the others.
    weight: u32,
}

const fn goods(
    (item, brand, kind): (&'static str, &'static str, &'static str),
    (unit, spec): (&'static str, &'static str),
    price_fen: i64,
    most: u32,
    weight: u32,
) -> Goods {
    Goods { item, brand, kind, unit, spec, price_fen, most, weight }
}

/// Mostly 10 yuan a unit or more (R-SH-1); the salt and the bin bags are
/// below it, and the clerk logs them all the same.
const GOODS: [Goods; 25] = [
    goods(("大米", "五常", "粮油"), ("袋", "10kg"), 8990, 1, 16),
    goods(("花生油", "鲁花", "粮油"), ("桶", "5L 压榨一级"), 15990, 1, 12),
    goods(("面粉", "金龙鱼", "粮油"), ("袋", "5kg 多用途麦芯粉"), 3250, 1, 8),
    goods(("挂面", "陈克明", "粮油"), ("包", "1kg 鸡蛋面"), 1280, 3, 8),
    goods(("纯牛奶", "伊利", "副食"), ("箱", "250ml×24盒"), 6200, 2, 10),
    goods(("鸡蛋", "德青源", "副食"), ("盒", "30枚装"), 3690, 2, 6),
    goods(("食盐", "中盐", "副食"), ("包", "400g 加碘"), 350, 2, 1),
    goods(("卷纸", "维达", "日用品"), ("提", "140g×10卷"), 2990, 2, 12),
    goods(("成人纸尿裤", "可靠", "日用品"), ("包", "L码 10片"), 5900, 3, 6),
    goods(("牙膏", "云南白药", "日用品"), ("支", "180g"), 3200, 2, 4),
    goods(("四脚拐杖", "鱼跃", "日用品"), ("根", "铝合金 可调高度"), 8800, 1, 2),
    goods(("垃圾袋", "妙洁", "日用品"), ("卷", "中号 50只"), 990, 3, 1),
    goods(("洗衣液", "蓝月亮", "清洁用品"), ("瓶", "3kg 深层洁净"), 4590, 2, 8),
    goods(("洗洁精", "立白", "清洁用品"), ("瓶", "1.5kg"), 1690, 2, 6),
    goods(("消毒液", "滴露", "清洁用品"), ("瓶", "1.5L"), 4990, 1, 6),
    goods(("洁厕灵", "威猛先生", "清洁用品"), ("瓶", "500g"), 1290, 2, 4),
    goods(("旋转拖把", "美丽雅", "清洁用品"), ("套", "带桶 不锈钢杆"), 6900, 1, 2),
    goods(("LED灯泡", "飞利浦", "电器配件"), ("个", "9W E27螺口 白光"), 1590, 4, 12),
    goods(("LED灯管", "欧普", "电器配件"), ("支", "T5 14W 1.2米"), 2500, 2, 4),
    goods(("5号电池", "南孚", "电器配件"), ("板", "碱性 4粒装"), 1390, 3, 10),
    goods(("7号电池", "南孚", "电器配件"), ("板", "碱性 4粒装"), 1390, 2, 6),
    goods(("净水器滤芯", "美的", "电器配件"), ("支", "PP棉 10英寸"), 6800, 2, 6),
    goods(("插线板", "公牛", "电器配件"), ("个", "五孔 3米线 带开关"), 4900, 1, 4),
    goods(("燃气灶电池盒", "方太", "电器配件"), ("个", "1号电池用 带线"), 2800, 1, 2),
    goods(("电热水壶", "美的", "小家电"), ("台", "1.7L 304不锈钢"), 12900, 1, 2),
];

/// R-SH-4: why the goods could not be bought.
const NOT_BOUGHT_REASONS: [&str; 3] =
    ["厂家断货，附近超市均无货", "住户临时取消，不再需要", "该规格已停产，住户不接受替代品"];

/// R-SH-6: why a form was spoiled; it is written again right after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spoil {
    Quantity,
    Room,
}

impl Spoil {
    fn reason(self) -> &'static str {
        match self {
            Spoil::Quantity => "数量填写错误，作废后重新登记",
            Spoil::Room => "房号写错，作废后重新登记",
        }
    }
}

/// R-SH-6: what the investigation of the delivered, unsettled entry found.
const NOT_SETTLED_FINDING: &str =
    "经查：货物已送达，住户验收签字无误；住户外出探亲，约定回来后结算，发票原件已交财务保管";

/// How an entry's life goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Life {
    /// Bought, delivered and settled in time (what comes after "now" is not taken yet).
    Complete,
    /// R-SH-4: could not be bought.
    NotBought,
    /// R-SH-6: voided right after recording and written again.
    Spoiled,
    /// Left open for the 飞单 check: recorded and never bought.
    StaysRecorded,
    /// Bought, never delivered.
    StaysBought,
    /// Delivered, never settled; investigated this many days before "now".
    StaysDelivered { investigated: i64 },
}

/// An entry taken `days_ago` days before "now", whatever the weekly draw.
struct NearNow {
    days_ago: i64,
    /// Days from taking to the deadline.
    deadline_days: i64,
    life: Life,
}

const NEAR_NOW: [NearNow; 8] = [
    NearNow { days_ago: 13, deadline_days: 1, life: Life::StaysDelivered { investigated: 3 } },
    NearNow { days_ago: 10, deadline_days: 2, life: Life::Spoiled },
    NearNow { days_ago: 8, deadline_days: 2, life: Life::NotBought },
    NearNow { days_ago: 6, deadline_days: 2, life: Life::StaysBought },
    NearNow { days_ago: 5, deadline_days: 2, life: Life::StaysRecorded },
    NearNow { days_ago: 3, deadline_days: 1, life: Life::StaysRecorded },
    NearNow { days_ago: 1, deadline_days: 2, life: Life::Complete },
    NearNow { days_ago: 0, deadline_days: 1, life: Life::Complete },
];

/// Something done to the shopping log at its time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ShoppingEvent {
    /// The CS clerk on duty writes the form (R-SH-1).
    Record(usize),
    /// A step of the entry's life; finance settles, the CS clerk on duty
    /// records the others.
    Step(usize, ShoppingStep),
    /// The manager records what an investigation found (R-SH-6).
    Investigate(usize, Concern, &'static str),
}

/// One entry of the demo's log: the form as written, and its id and
/// number once recorded.
struct DemoEntry {
    draft: ShoppingDraft,
    recorded: Option<(ShoppingId, i64)>,
}

/// The demo's shopping log, planned, and the events not yet handed to a day.
#[derive(Default)]
pub(super) struct ShoppingPlans {
    entries: Vec<DemoEntry>,
    /// In time order, none after "now".
    events: Vec<(NaiveDateTime, ShoppingEvent)>,
    /// Events before this index are on some day's agenda already.
    next: usize,
}

impl ShoppingPlans {
    /// The jobs of `day` (called for each day in turn).
    pub(super) fn jobs_of(&mut self, day: NaiveDate) -> Vec<(NaiveDateTime, Job)> {
        let mut jobs = Vec::new();
        while let Some((at, _)) = self.events.get(self.next) {
            if at.date() > day {
                break;
            }
            jobs.push((*at, Job::Shopping(self.next)));
            self.next += 1;
        }
        jobs
    }
}

/// Plans the log with its own rng from the households filed at setup.
struct Planner<'a> {
    rng: StdRng,
    /// The fewest and most entries a week, grown with the office from [`PER_WEEK`].
    per_week: (usize, usize),
    households: &'a [DemoHousehold],
    /// Household and resident indices of the elderly who shop through the office.
    elderly: Vec<(usize, usize)>,
    buyers: Vec<&'static str>,
    first_day: NaiveDate,
    today: NaiveDate,
    cutoff: NaiveDateTime,
    plans: ShoppingPlans,
}

impl Demo {
    /// The log from the first day to "now": the weekly entries and the ones near "now".
    pub(super) fn plan_shopping(&mut self) {
        let mut rng = StdRng::seed_from_u64(SHOPPING_SEED);
        let mut elderly = elderly_residents(&self.households);
        elderly.shuffle(&mut rng);
        elderly.truncate(self.size.in_proportion(ELDERLY_RESIDENTS));
        let per_week = (self.size.in_proportion(PER_WEEK.0), self.size.in_proportion(PER_WEEK.1));
        let planner = Planner {
            rng,
            per_week,
            households: &self.households,
            elderly,
            buyers: buyers(),
            first_day: self.first_day,
            today: self.today,
            cutoff: self.cutoff,
            plans: ShoppingPlans::default(),
        };
        self.shopping = planner.plan();
    }

    pub(super) fn shopping_event(&mut self, index: usize) -> Result<()> {
        let Some((at, event)) = self.shopping.events.get(index).cloned() else {
            return Ok(());
        };
        match event {
            ShoppingEvent::Record(entry) => {
                let Some(draft) = self.shopping.entries.get(entry).map(|e| e.draft.clone()) else {
                    return Ok(());
                };
                let clerk = self.clerk(Desk::CsCenter, at);
                let recorded = self.desk.record_shopping(&clerk, &draft)?;
                if let Some(planned) = self.shopping.entries.get_mut(entry) {
                    planned.recorded = Some((recorded.id, recorded.no));
                }
            }
            ShoppingEvent::Step(entry, step) => {
                let Some((id, _)) = self.recorded(entry) else { return Ok(()) };
                let user = self.shopping_recorder(&step, at);
                self.desk.shopping_step(&user, id, &step)?;
            }
            ShoppingEvent::Investigate(entry, concern, finding) => {
                let Some((_, no)) = self.recorded(entry) else { return Ok(()) };
                let manager = self.manager.clone();
                self.desk.investigate(&manager, no, concern, finding)?;
            }
        }
        Ok(())
    }

    fn recorded(&self, entry: usize) -> Option<(ShoppingId, i64)> {
        self.shopping.entries.get(entry).and_then(|e| e.recorded)
    }

    /// Finance settles; the CS clerk on duty records the other steps.
    fn shopping_recorder(&self, step: &ShoppingStep, at: NaiveDateTime) -> User {
        match (step, &self.finance) {
            (ShoppingStep::Settle, Some(finance)) => finance.clone(),
            // Issue 9: a number is voided by a supervisor or above (R-SH-6).
            (ShoppingStep::Void { .. }, _) => self.cs_supervisor(),
            _ => self.clerk(Desk::CsCenter, at),
        }
    }
}

/// The residents whose names say they are elderly: one a household at most.
fn elderly_residents(households: &[DemoHousehold]) -> Vec<(usize, usize)> {
    let elderly = |name: &str| ELDERLY_GIVEN_NAMES.iter().any(|given| name.ends_with(given));
    households
        .iter()
        .enumerate()
        .filter_map(|(h, household)| {
            household.residents.iter().position(|(name, _)| elderly(name)).map(|r| (h, r))
        })
        .collect()
}

/// Who goes shopping: the housekeeping group's supervisor and staff who
/// are there for the whole history.
fn buyers() -> Vec<&'static str> {
    STAFF
        .iter()
        .filter(|s| s.group == Group::Housekeeping && matches!(s.tenure, Tenure::Since(_)))
        .map(|s| s.name)
        .collect()
}

impl Planner<'_> {
    fn plan(mut self) -> ShoppingPlans {
        self.plan_weeks();
        for near in &NEAR_NOW {
            let day = self.today - Duration::days(near.days_ago);
            if day >= self.first_day {
                let at = self.taking_time(day);
                self.plan_entry(at, near.deadline_days, near.life);
            }
        }
        let cutoff = self.cutoff;
        let mut plans = self.plans;
        plans.events.retain(|(at, _)| *at <= cutoff);
        plans.events.sort_by_key(|(at, _)| *at);
        plans
    }

    /// A few entries each week: on different days in a small office, several
    /// a day in a big one.
    fn plan_weeks(&mut self) {
        let mut week = self.first_day;
        while week <= self.today {
            let days: Vec<NaiveDate> =
                (0..7).map(|n| week + Duration::days(n)).filter(|d| *d <= self.today).collect();
            let count = self.rng.gen_range(self.per_week.0..=self.per_week.1);
            let mut chosen: Vec<NaiveDate> = if self.per_week.1 <= 7 {
                days.choose_multiple(&mut self.rng, count.min(days.len())).copied().collect()
            } else {
                (0..count).filter_map(|_| days.choose(&mut self.rng).copied()).collect()
            };
            chosen.sort();
            for day in chosen {
                let at = self.taking_time(day);
                let deadline_days = self.rng.gen_range(1..=3);
                let life = match self.rng.gen_range(0..1000) {
                    n if n < NOT_BOUGHT_PER_MILLE => Life::NotBought,
                    n if n < NOT_BOUGHT_PER_MILLE + SPOILED_PER_MILLE => Life::Spoiled,
                    _ => Life::Complete,
                };
                self.plan_entry(at, deadline_days, life);
            }
            week += Duration::days(7);
        }
    }

    /// The desk takes requests to shop between 08:30 and 18:30.
    fn taking_time(&mut self, day: NaiveDate) -> NaiveDateTime {
        at_minute(day, 8 * 60 + 30 + self.rng.gen_range(0..600))
            + Duration::seconds(self.rng.gen_range(0..60))
    }

    /// One entry taken at `at` and the steps of its life.
    fn plan_entry(&mut self, at: NaiveDateTime, deadline_days: i64, life: Life) {
        let deadline = at.date() + Duration::days(deadline_days);
        let Some(draft) = self.draft(deadline) else {
            return;
        };
        if life == Life::Spoiled {
            self.plan_spoiled(at, &draft);
            let redo = at + Duration::minutes(self.rng.gen_range(5..=9));
            let entry = self.add_entry(redo, draft.clone());
            self.plan_purchase(entry, redo, &draft, deadline, Life::Complete);
            return;
        }
        let entry = self.add_entry(at, draft.clone());
        self.plan_purchase(entry, at, &draft, deadline, life);
    }

    /// R-SH-6: the spoiled form and its void a few minutes later.
    fn plan_spoiled(&mut self, at: NaiveDateTime, draft: &ShoppingDraft) {
        let mut spoiled = draft.clone();
        let other_room = self.households.choose(&mut self.rng).map(|h| h.room.clone());
        let spoil = match other_room {
            Some(room) if room != draft.room && self.rng.gen_bool(0.5) => {
                spoiled.room = room;
                Spoil::Room
            }
            _ => {
                spoiled.quantity.push('0');
                Spoil::Quantity
            }
        };
        let entry = self.add_entry(at, spoiled);
        let void_at = at + Duration::minutes(self.rng.gen_range(2..=4));
        self.event(void_at, ShoppingEvent::Step(entry, ShoppingStep::Void { reason: spoil.reason().into() }));
    }

    fn add_entry(&mut self, at: NaiveDateTime, draft: ShoppingDraft) -> usize {
        let entry = self.plans.entries.len();
        self.plans.entries.push(DemoEntry { draft, recorded: None });
        self.event(at, ShoppingEvent::Record(entry));
        entry
    }

    fn event(&mut self, at: NaiveDateTime, event: ShoppingEvent) {
        self.plans.events.push((at, event));
    }

    /// R-SH-2..4: the purchase (or why there is none), the delivery and the
    /// settlement, as far as the entry's life goes.
    fn plan_purchase(
        &mut self,
        entry: usize,
        taken: NaiveDateTime,
        draft: &ShoppingDraft,
        deadline: NaiveDate,
        life: Life,
    ) {
        if life == Life::StaysRecorded {
            return;
        }
        let buy_at = self.buying_time(taken);
        if life == Life::NotBought {
            let reason = NOT_BOUGHT_REASONS.choose(&mut self.rng).copied().unwrap_or_default();
            let told_at = (buy_at - Duration::minutes(self.rng.gen_range(5..=30))).max(taken);
            let step = ShoppingStep::NotBought { reason: reason.into(), told_at: Some(told_at) };
            self.event(buy_at, ShoppingEvent::Step(entry, step));
            return;
        }
        let purchase = self.purchase(draft, buy_at.date());
        self.event(buy_at, ShoppingEvent::Step(entry, ShoppingStep::Buy(purchase)));
        if life == Life::StaysBought {
            return;
        }
        let delivered_at = self.delivery_time(buy_at, deadline);
        let on = delivered_at.date();
        self.event(
            delivered_at,
            ShoppingEvent::Step(entry, ShoppingStep::Deliver { on, resident_signed: true }),
        );
        if let Life::StaysDelivered { investigated } = life {
            let day = self.today - Duration::days(investigated);
            let at = at_minute(day, 15 * 60) + Duration::minutes(self.rng.gen_range(0..90));
            self.event(at, ShoppingEvent::Investigate(entry, Concern::NotSettled, NOT_SETTLED_FINDING));
            return;
        }
        let settled_at = self.settling_time(on);
        self.event(settled_at, ShoppingEvent::Step(entry, ShoppingStep::Settle));
    }

    /// Bought the same afternoon when the form came in the morning (often),
    /// or the next morning; the deadline is at least a day after taking.
    fn buying_time(&mut self, taken: NaiveDateTime) -> NaiveDateTime {
        let minutes = self.rng.gen_range(0..90);
        if taken.hour() < 14 && self.rng.gen_bool(0.55) {
            let afternoon = at_minute(taken.date(), 15 * 60);
            return afternoon.max(taken + Duration::minutes(60)) + Duration::minutes(minutes);
        }
        at_minute(taken.date() + Duration::days(1), 9 * 60 + 30) + Duration::minutes(minutes + 60)
    }

    /// R-SH-3: delivered with the invoice soon after the purchase, or the
    /// next morning when the deadline allows.
    fn delivery_time(&mut self, bought: NaiveDateTime, deadline: NaiveDate) -> NaiveDateTime {
        if bought.date() < deadline && self.rng.gen_bool(0.25) {
            return at_minute(bought.date() + Duration::days(1), 9 * 60)
                + Duration::minutes(self.rng.gen_range(0..90));
        }
        bought + Duration::minutes(self.rng.gen_range(40..=150))
    }

    /// Finance settles two to five days after delivery, on a weekday
    /// morning: always within the week that would make it a 飞单.
    fn settling_time(&mut self, delivered_on: NaiveDate) -> NaiveDateTime {
        let mut day = delivered_on + Duration::days(self.rng.gen_range(2..=5));
        while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            day += Duration::days(1);
        }
        at_minute(day, 9 * 60) + Duration::minutes(self.rng.gen_range(0..150))
    }

    /// R-SH-2: a named buyer, the invoice, and an amount close to the expected total.
    fn purchase(&mut self, draft: &ShoppingDraft, bought_on: NaiveDate) -> Purchase {
        let expected = expected_fen(draft);
        let actual = if self.rng.gen_bool(0.5) {
            expected
        } else {
            let per_mille = 1000 + self.rng.gen_range(-ACTUAL_SPREAD_PER_MILLE..=ACTUAL_SPREAD_PER_MILLE);
            expected * per_mille / 1000 / 10 * 10
        };
        Purchase {
            buyer: self.buyers.choose(&mut self.rng).copied().unwrap_or_default().to_string(),
            invoice_no: format!("FP{}-{:04}", bought_on.format("%Y%m%d"), self.rng.gen_range(1..=180)),
            actual: Money::from_fen(actual).unwrap_or(Money::ZERO),
            bought_on,
        }
    }

    /// The form for goods a resident asks for, most often an elderly one.
    fn draft(&mut self, deadline: NaiveDate) -> Option<ShoppingDraft> {
        let elderly = self.rng.gen_range(0..1000) < ELDERLY_PER_MILLE;
        let (h, r) = match self.elderly.choose(&mut self.rng) {
            Some(chosen) if elderly => *chosen,
            _ => (self.rng.gen_range(0..self.households.len().max(1)), 0),
        };
        let household = self.households.get(h)?;
        let (resident_name, _) = household.residents.get(r)?;
        let weights: Vec<u32> = GOODS.iter().map(|g| g.weight).collect();
        let goods = GOODS.get(weighted_index(&mut self.rng, &weights))?;
        Some(ShoppingDraft {
            room: household.room.clone(),
            resident_name: resident_name.clone(),
            item: goods.item.into(),
            brand: goods.brand.into(),
            kind: goods.kind.into(),
            quantity: self.rng.gen_range(1..=goods.most).to_string(),
            unit: goods.unit.into(),
            spec: goods.spec.into(),
            unit_price: Money::from_fen(goods.price_fen)?.to_plain(),
            deadline: deadline.format("%Y-%m-%d").to_string(),
        })
    }
}

/// The expected total of a form the demo wrote itself.
fn expected_fen(draft: &ShoppingDraft) -> i64 {
    let unit = Money::parse(&draft.unit_price).map(Money::fen).unwrap_or(0);
    unit * draft.quantity.parse::<i64>().unwrap_or(1)
}
