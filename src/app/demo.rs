//! The demo office behind `homedesk --db FILE demo [--years N]`: a clearly
//! named 示范花园管理处（演示数据） with staff in every group, a price list
//! (常规服务项目表), a few hundred households and years of register rows in
//! every state, so that the screens, reports and speed can be tried without
//! any real resident's data.
//!
//! Everything goes through the use cases of [`HomeDesk`] with a scripted
//! clock, signed in as a plausible clerk of the right desk: every row passes
//! the intake rules (R-DESK-1..4, R-IN-1..5, R-FEE-4); every step of its life
//! after intake is a `job_steps` row that passed `domain::check_step`
//! (`demo/life.rs`); the desks' daily routines — the morning repair handover, the
//! cash handover and the day-end review — are done at their times
//! (`demo/routines.rs`); each month's revisit plan and each quarter's quality
//! check are drawn and worked through (`demo/revisits.rs`); and everything
//! gets its history row (R-FU-6) stamped with a plausible past time, never
//! after the demo's "now".
//!
//! The data are random but deterministic: the same `days` and `until` give the
//! same office (only the password salts differ).

mod agreements;
mod life;
mod revisits;
mod routines;
mod shopping;

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};
use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use super::{AppError, Clock, HomeDesk, Result};
use crate::domain::{
    AlarmWork, Category, Desk, Group, IntakeDraft, MIN_SLACK, Money, OfficeSettings, PriceItemDraft,
    PriceItemId, Rank, ReasonKind, RefusalDraft, RegisterKind, RequestId, Resident, ServiceChoice,
    StaffDraft, StaffId, Urgency, User, price_band,
};
use crate::store::Location;
use agreements::{AgreementEvent, AgreementPlans};
use life::QueuedStep;
use revisits::RevisitPlans;
use routines::Routine;
use shopping::ShoppingPlans;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo1234";

/// The demo office's name: nobody can take it for a real office.
pub const DEMO_OFFICE_NAME: &str = "示范花园管理处（演示数据）";

/// The longest history the demo writes: 20 years.
pub const MAX_DAYS: u32 = 20 * 365;

/// What [`fill_demo`] created, for the CLI to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub households: usize,
    pub staff: usize,
    /// Rows in the three registers, relay notes included.
    pub requests: usize,
    pub refusals: usize,
    /// Long-term agreements in every state, renewals included.
    pub agreements: usize,
    /// Numbers of the shopping log (代客购物), void ones included.
    pub shopping: usize,
    /// The accounts one can sign in with, all with [`DEMO_PASSWORD`].
    pub accounts: Vec<DemoAccount>,
}

/// One demo account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub login: String,
    pub name: String,
    pub group: Group,
    pub rank: Rank,
}

/// How big the demo office is. Everything follows from its households:
/// the calls a day grow with the square root of their number (in a big
/// estate fewer households each call the desk: more have their own
/// arrangements), the shopping log, the agreements and the regular
/// customers in proportion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSize {
    /// Households of the office at "now": most filed at setup, the last
    /// few (one in a hundred a year) when they first call.
    pub households: usize,
}

impl DemoSize {
    /// The office `demo` builds unless told otherwise: about 3 000
    /// households and 55 register rows a day (issue 10's ten-year office).
    pub const DEFAULT: DemoSize = DemoSize { households: 3000 };
    /// The small office the tests use: 360 households, about 20 rows a day.
    pub const SMALL: DemoSize = DemoSize { households: BASE_HOUSEHOLDS };

    /// The size relative to the small office.
    fn ratio(self) -> f64 {
        self.households.max(1) as f64 / BASE_HOUSEHOLDS as f64
    }

    /// How many times the small office's calls a day this office takes.
    fn call_factor(self) -> f64 {
        self.ratio().sqrt()
    }

    /// `n` of the small office's, in proportion, at least one.
    pub(super) fn in_proportion(self, n: usize) -> usize {
        ((n as f64 * self.ratio()).round() as usize).max(1)
    }

    /// Households that move in during `days` of history, about one in a
    /// hundred a year: filed when they first call, so that the office ends
    /// with the households it was asked for (issue 19: `--households 50`
    /// made 232, new callers coming at the small office's rate).
    fn newcomers(self, days: u32) -> usize {
        self.households * days as usize / 36_500
    }

    /// Buildings enough for the households and the new ones to come, with rooms to spare.
    fn buildings(self) -> u32 {
        let rooms = (self.households as f64 * ROOM_SPARE).ceil() as u32;
        rooms.div_ceil(UNITS * FLOORS * ROOMS_PER_FLOOR).max(BUILDINGS)
    }
}

/// Fills the database at `path`, which must not be set up yet, with a demo
/// office of `size` and `years` years of rows up to `until` (normally the
/// wall clock), so that nothing is stamped in the future (at least one day,
/// at most [`MAX_DAYS`]).
pub fn fill_demo(path: &Path, years: u32, size: DemoSize, until: NaiveDateTime) -> Result<DemoSummary> {
    fill_demo_days(path, years.saturating_mul(365), size, until)
}

/// [`fill_demo`] at a file or on a server. On a server, whose database
/// must hold no office yet, each write commits on its own (not waiting for
/// the server's disk while building), and the searches are filled at the
/// end: a failure part-way leaves the writes made so far and no search
/// triggers, and the database is then to be dropped and made again
/// (`createdb`).
pub fn fill_demo_at(
    location: &Location,
    years: u32,
    size: DemoSize,
    until: NaiveDateTime,
) -> Result<DemoSummary> {
    match location {
        Location::File(path) => fill_demo(path, years, size, until),
        Location::Server(_) => fill_on_server(location, years.saturating_mul(365), size, until),
    }
}

fn fill_on_server(
    location: &Location,
    days: u32,
    size: DemoSize,
    until: NaiveDateTime,
) -> Result<DemoSummary> {
    let (now, clock) = demo_clock(until);
    let desk = HomeDesk::open_at_with_clock(location, clock)?;
    if !desk.needs_setup()? {
        return Err(AppError::AlreadySetUp);
    }
    desk.store.stop_waiting_for_disk()?;
    // The searches are filled set-wise at the end (`store::pg::bulk`): row
    // by row they were most of the server's time.
    let deferred = desk.store.defer_for_bulk(&[])?;
    let mut demo = Demo::set_up(desk, now, days.clamp(1, MAX_DAYS), size, until)?;
    demo.run()?;
    demo.desk.store.restore_after_bulk(deferred)?;
    demo.desk.store.flush_to_disk()?;
    demo.summary()
}

/// The demo's clock, which the build moves forward day by day, and its handle.
fn demo_clock(until: NaiveDateTime) -> (Arc<Mutex<NaiveDateTime>>, Clock) {
    let now = Arc::new(Mutex::new(at_minute(until.date(), 0)));
    let reader = Arc::clone(&now);
    (now, Arc::new(move || read_clock(&reader)))
}

/// Same as [`fill_demo`], with the length of the history in days.
///
/// The office is built in a file beside `path` and moved into place only
/// when complete, so a failure never leaves a half-filled database behind.
pub fn fill_demo_days(path: &Path, days: u32, size: DemoSize, until: NaiveDateTime) -> Result<DemoSummary> {
    if path.exists() && !HomeDesk::open(path)?.needs_setup()? {
        return Err(AppError::AlreadySetUp);
    }
    let partial = path.with_extension("demo-partial");
    remove_database_files(&partial);
    let filled = fill_at(&partial, days, size, until, HistoryIndexing::Aside);
    if filled.is_ok() {
        std::fs::rename(&partial, path)
            .map_err(|e| AppError::File { path: path.to_path_buf(), cause: e.to_string() })?;
    }
    remove_database_files(&partial);
    filled
}

/// A database file and its WAL sidecars; a file that is not there is fine.
fn remove_database_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", ".history-index"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(std::path::PathBuf::from(name));
    }
}

/// How the history's search indexes are built while the office is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum HistoryIndexing {
    /// On a worker thread as the office is built (`store/aside.rs`): the demo's way.
    Aside,
    /// Refilled at the end, as a bulk load without the worker does (tests compare the two).
    #[cfg(test)]
    Refill,
}

fn fill_at(
    path: &Path,
    days: u32,
    size: DemoSize,
    until: NaiveDateTime,
    indexing: HistoryIndexing,
) -> Result<DemoSummary> {
    let (now, clock) = demo_clock(until);
    let desk = HomeDesk::open_with_clock(path, clock)?;
    if !desk.needs_setup()? {
        return Err(AppError::AlreadySetUp);
    }
    // The partial file is deleted unless the build completes: no need to
    // wait for the disk on each of its tens of thousands of commits.
    desk.store.stop_waiting_for_disk()?;
    let deferred = desk.store.defer_for_bulk(&UNREAD_WHILE_BUILDING)?;
    desk.store.begin_bulk()?;
    if indexing == HistoryIndexing::Aside {
        // The history's search indexes on the second core (`store/aside.rs`).
        desk.store.index_history_aside()?;
    }
    let mut demo = Demo::set_up(desk, now, days.clamp(1, MAX_DAYS), size, until)?;
    demo.run()?;
    demo.desk.store.commit_bulk()?;
    demo.desk.store.restore_after_bulk(deferred)?;
    demo.desk.store.flush_to_disk()?;
    demo.summary()
}

/// Indexes that no use case reads while the office is built, built once at
/// the end instead of row by row (20 s of the ten-year office's 97).
const UNREAD_WHILE_BUILDING: [&str; 5] =
    ["history_entity", "history_at", "history_user_at", "history_entity_at", "job_steps_staff"];

fn read_clock(now: &Mutex<NaiveDateTime>) -> NaiveDateTime {
    match now.lock() {
        Ok(at) => *at,
        Err(poisoned) => *poisoned.into_inner(),
    }
}

// ---------------------------------------------------------------------------
// Pools: names, places, the office's staff and price list, texts.
// ---------------------------------------------------------------------------

const DEMO_SEED: u64 = 0x4844_454d_4f5f_3031;
/// The day-end reviews' seed (`Demo::review_rng`).
const REVIEW_SEED: u64 = DEMO_SEED ^ 0x5245_5657;
const OFFICE_PHONE: &str = "0755-2600 0000";
const OFFICE_ADDRESS: &str = "示范花园 1 栋首层（演示地址）";
const MANAGER_NAME: &str = "王建林";
const MANAGER_LOGIN: &str = "wangjl";
const MANAGER_SINCE_DAYS: i64 = 3000;

/// Households of the small office ([`DemoSize::SMALL`]), the measure of the others.
const BASE_HOUSEHOLDS: usize = 360;
/// Buildings 1–12 at least, units 1–3, floors 1–18, rooms 01–04: `3栋2单元201`.
const BUILDINGS: u32 = 12;
/// Rooms per filed household, so that new callers still find free rooms.
const ROOM_SPARE: f64 = 1.3;
const UNITS: u32 = 3;
const FLOORS: u32 = 18;
const ROOMS_PER_FLOOR: u32 = 4;

/// The CS center desk is open 08:00–19:45; the control center never closes.
const CS_OPENS: i64 = 8 * 60;
const CS_CLOSES: i64 = 19 * 60 + 45;
const HOUSEKEEPING_SLOTS: [i64; 10] = [510, 540, 570, 600, 630, 840, 870, 900, 930, 960]; // 08:30 … 16:00
const ALARM_SLOTS: [i64; 7] = [570, 600, 630, 840, 870, 900, 930]; // 09:30 … 15:30
const REPAIR_SLOTS: [i64; 8] = [510, 540, 570, 600, 840, 870, 900, 960]; // 08:30 … 16:00
/// Calls per hour of the day: CS center 08–19 h, control center 00–23 h.
const CS_HOUR_WEIGHTS: [u32; 12] = [8, 11, 10, 8, 4, 5, 8, 8, 7, 6, 4, 2];
const CONTROL_HOUR_WEIGHTS: [u32; 24] =
    [1, 1, 0, 0, 0, 1, 2, 4, 8, 10, 9, 8, 6, 7, 8, 8, 7, 7, 8, 9, 7, 5, 3, 2];

/// Shares, per mille or per call.
const UNLISTED_PER_MILLE: u32 = 30;
const SLACK_REASON_PER_MILLE: u32 = 15;
/// Regular customers (weekly hourly cleaning and the like): the first
/// [`REGULARS`] households make this share of the calls.
const REGULAR_CALLER_PER_MILLE: u32 = 250;
const REGULARS: usize = 30;
const NOTES_PER_MILLE: u32 = 120;
const EMERGENCY_PER_MILLE: u32 = 80;
const BIG_REPAIR_PER_MILLE: u32 = 140;
const RELAY_PER_DAY: f64 = 0.3;
const REFUSAL_PER_DAY: f64 = 0.11;
/// Small repairs called in this many hours before "now" that are still
/// open then: one close to its 24 hours, one past them (R-SLA-1).
const SLOW_REPAIRS: [(i64, Fate); 2] = [(22, Fate::NearDeadline), (28, Fate::PastDeadline)];
/// How far back a row may still be stalled at "now" ([`Fate::StallDone`]).
const STALL_DAYS: i64 = 45;
/// Staff due to leave within this many days get no new jobs.
const LEAVING_NOTICE_DAYS: i64 = 7;

const SURNAMES: [&str; 50] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何",
    "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田",
    "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈",
];

const ADULT_GIVEN_NAMES: [&str; 60] = [
    "建国", "建华", "国强", "志明", "志强", "海涛", "文斌", "永刚", "德胜", "振东", "立军", "东升", "秀兰",
    "秀英", "桂英", "玉兰", "丽娟", "丽华", "美玲", "春梅", "淑珍", "翠英", "海燕", "晓红", "晓东", "红梅",
    "伟", "芳", "静", "敏", "磊", "军", "勇", "洁", "颖", "娟", "明", "杰", "涛", "斌", "慧", "琳", "婷",
    "雪", "鹏", "宇", "浩", "晨", "倩", "莉", "建平", "国华", "卫东", "爱华", "凤英", "玉梅", "俊", "文",
    "华", "萍",
];

const YOUNG_GIVEN_NAMES: [&str; 18] = [
    "子涵", "雨欣", "浩然", "一鸣", "思远", "欣怡", "俊杰", "梓萱", "宇轩", "诗涵", "嘉怡", "子豪", "雨桐",
    "博文", "佳琪", "明轩", "若曦", "天佑",
];

const MOBILE_PREFIXES: [&str; 31] = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156",
    "157", "158", "159", "166", "176", "177", "180", "181", "182", "183", "185", "186", "187", "188", "189",
    "199",
];

const HOUSEHOLD_NOTES: [&str; 7] = [
    "独居老人，上门前请先电话联系",
    "家中养狗，进门前请住户先把狗关好",
    "业主长期在外，由租户联系",
    "家中有婴儿，中午12点至下午2点请勿上门",
    "住户听力不好，请多敲门并电话联系",
    "钥匙寄存管理处，上门需住户电话同意",
    "住户要求上门人员穿鞋套",
];

const REQUEST_NOTES: [&str; 6] = [
    "请提前半小时电话联系",
    "住户上班，钥匙已寄存管理处",
    "家中只有老人在家，请耐心说明",
    "住户要求自带工具和清洁用品",
    "上门前请先电话确认",
    "住户下午五点后在家",
];

const SLACK_REASONS: [&str; 2] =
    ["保洁员正在本栋作业，住户同意马上上门", "客人即将来访急需打扫，经业务主办同意提前安排"];

/// A row whose price the resident has not agreed yet: nobody is sent (R-IN-5).
const PENDING_NOTE: &str = "已报价，住户考虑后回电确认";

/// A reason the office adds to the reschedule list it ships with (R-FU-1).
const OFFICE_RESCHEDULE_REASON: &str = "需两人配合，人手暂时不足";

/// A request the desk could not accept, with its polite reason (R-IN-1).
struct RefusalSpec {
    kind: Option<RegisterKind>,
    asked_for: &'static str,
    reason: &'static str,
}

const REFUSALS: [RefusalSpec; 10] = [
    RefusalSpec {
        kind: Some(RegisterKind::Housekeeping),
        asked_for: "搬运钢琴上楼",
        reason: "超出服务范围，已建议住户联系专业搬运公司",
    },
    RefusalSpec {
        kind: Some(RegisterKind::Housekeeping),
        asked_for: "代为照看小孩一天",
        reason: "超出服务范围，本处不提供看护服务，敬请谅解",
    },
    RefusalSpec {
        kind: Some(RegisterKind::Housekeeping),
        asked_for: "擦洗18楼窗户外侧玻璃",
        reason: "高空作业无安全保障，超出服务范围，敬请谅解",
    },
    RefusalSpec {
        kind: Some(RegisterKind::Housekeeping),
        asked_for: "晚上十一点上门保洁",
        reason: "服务时间为8:00至20:00，已建议住户改约次日",
    },
    RefusalSpec {
        kind: Some(RegisterKind::Repair),
        asked_for: "更换进口热水器主板",
        reason: "所需配件无法购买，已建议住户联系品牌售后",
    },
    RefusalSpec {
        kind: Some(RegisterKind::Repair),
        asked_for: "修理电视机",
        reason: "家电维修不在服务范围，已提供品牌售后电话",
    },
    RefusalSpec {
        kind: Some(RegisterKind::Repair),
        asked_for: "更换老式铸铁暖气片",
        reason: "所需配件无法购买，敬请谅解",
    },
    RefusalSpec {
        kind: Some(RegisterKind::Repair),
        asked_for: "加固外墙空调外机支架",
        reason: "需高空作业资质，超出服务范围，已报工程部评估",
    },
    RefusalSpec {
        kind: Some(RegisterKind::Alarm),
        asked_for: "安装室外监控摄像头",
        reason: "不属于居家报警服务范围，敬请谅解",
    },
    RefusalSpec {
        kind: None, asked_for: "代办房屋出租手续", reason: "超出服务范围，已建议住户咨询中介机构"
    },
];

/// A day shortly before the demo's "now", for what R-RV-2 calls new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Recently {
    /// This many days before `today`.
    DaysAgo(i64),
    /// This many days before the 1st of the month of the newest revisit
    /// plan, so that the month's jobs by or with it are new on that plan
    /// whatever day of the month "now" falls on (R-RV-2B, R-RV-2C).
    BeforePlanMonth(i64),
}

/// When a staff member joined and whether they leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tenure {
    /// First job this many days before the demo's first day.
    Since(i64),
    /// First job this many days before the first day; leaves this many per
    /// mille into the demo's history.
    Leaves(i64, i64),
    /// Joins recently: new staff (R-RV-2C).
    Joins(Recently),
}

struct StaffSpec {
    name: &'static str,
    group: Group,
    rank: Rank,
    /// Staff with a login get [`DEMO_PASSWORD`].
    login: Option<&'static str>,
    tenure: Tenure,
}

const fn member(name: &'static str, group: Group, tenure: Tenure) -> StaffSpec {
    StaffSpec { name, group, rank: Rank::Staff, login: None, tenure }
}

const fn clerk(name: &'static str, group: Group, login: &'static str, since: i64) -> StaffSpec {
    StaffSpec { name, group, rank: Rank::Staff, login: Some(login), tenure: Tenure::Since(since) }
}

const fn supervisor(name: &'static str, group: Group, login: Option<&'static str>, since: i64) -> StaffSpec {
    StaffSpec { name, group, rank: Rank::Supervisor, login, tenure: Tenure::Since(since) }
}

/// The office's staff besides the manager, who is created by the first start.
const STAFF: [StaffSpec; 34] = [
    supervisor("刘芳", Group::CsCenter, None, 2100),
    clerk("李晓敏", Group::CsCenter, "lixm", 1460),
    clerk("张雅丽", Group::CsCenter, "zhangyl", 880),
    clerk("陈静", Group::CsCenter, "chenj", 300),
    clerk("赵敏", Group::ControlCenter, "zhaom", 1900),
    clerk("黄志强", Group::ControlCenter, "huangzq", 1100),
    clerk("吴海涛", Group::ControlCenter, "wuht", 520),
    supervisor("周丽华", Group::Housekeeping, Some("zhoulh"), 2600),
    member("何桂兰", Group::Housekeeping, Tenure::Since(2300)),
    member("罗秀珍", Group::Housekeeping, Tenure::Since(1700)),
    member("郑美玲", Group::Housekeeping, Tenure::Since(1250)),
    member("谢春梅", Group::Housekeeping, Tenure::Since(900)),
    member("唐玉芬", Group::Housekeeping, Tenure::Since(640)),
    member("许翠英", Group::Housekeeping, Tenure::Since(210)),
    member("邓桂芳", Group::Housekeeping, Tenure::Leaves(1500, 450)),
    member("冯小燕", Group::Housekeeping, Tenure::Joins(Recently::DaysAgo(12))),
    supervisor("马国强", Group::PublicRepair, None, 2400),
    member("朱建华", Group::PublicRepair, Tenure::Since(2000)),
    member("胡永刚", Group::PublicRepair, Tenure::Since(1350)),
    member("郭德胜", Group::PublicRepair, Tenure::Since(980)),
    member("林志明", Group::PublicRepair, Tenure::Since(400)),
    member("高宏伟", Group::PublicRepair, Tenure::Leaves(1600, 620)),
    member("曹振东", Group::PublicRepair, Tenure::Joins(Recently::DaysAgo(19))),
    supervisor("梁文斌", Group::Engineering, None, 2200),
    member("宋立军", Group::Engineering, Tenure::Since(1800)),
    member("韩东升", Group::Engineering, Tenure::Since(700)),
    member("彭志远", Group::Engineering, Tenure::Since(150)),
    clerk("孙秀英", Group::Finance, "sunxy", 2500),
    member("蒋丽娟", Group::Finance, Tenure::Since(800)),
    member("袁卫东", Group::PublicRepair, Tenure::Since(760)),
    member("潘凤英", Group::Housekeeping, Tenure::Since(1100)),
    member("田永强", Group::Engineering, Tenure::Since(1300)),
    member("董春华", Group::ControlCenter, Tenure::Since(600)),
    member("沈丽萍", Group::Housekeeping, Tenure::Joins(Recently::BeforePlanMonth(9))),
];

/// When a price-list item was added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ItemSince {
    /// This many days before the demo's first day.
    Listed(i64),
    /// Added recently: a new service item (R-RV-2B).
    New(Recently),
}

/// One line of the 常规服务项目表 and the details residents give for it.
struct ItemSpec {
    category: Category,
    name: &'static str,
    unit: &'static str,
    yuan: i64,
    /// How often it is asked for, relative to the others of its register.
    weight: u32,
    since: ItemSince,
    alarm: Option<AlarmWork>,
    details: &'static [&'static str],
    /// Details of an emergency of this kind (R-SLA-2); empty if there is none.
    emergency: &'static [&'static str],
}

const fn item(
    category: Category,
    name: &'static str,
    unit: &'static str,
    yuan: i64,
    weight: u32,
    details: &'static [&'static str],
) -> ItemSpec {
    ItemSpec {
        category,
        name,
        unit,
        yuan,
        weight,
        since: ItemSince::Listed(900),
        alarm: None,
        details,
        emergency: &[],
    }
}

const PRICE_LIST: [ItemSpec; 33] = [
    item(
        Category::Cleaning,
        "日常保洁",
        "小时",
        30,
        30,
        &[
            "客厅、卧室地面清洁，擦拭家具表面",
            "钟点保洁，厨房台面和卫生间重点清洁",
            "独居老人家每周例行保洁",
            "客人来访前打扫客厅和餐厅",
            "清洁卧室并更换床单被套",
            "钟点保洁1小时，阳台和窗台除尘",
        ],
    ),
    item(
        Category::Cleaning,
        "全屋深度保洁",
        "次（100㎡以内）",
        380,
        10,
        &[
            "全屋保洁，重点清洁厨房油污",
            "搬入新居前全屋深度清洁",
            "春节前大扫除，全屋深度保洁",
            "租客退租后全屋清洁",
            "全屋保洁，卫生间除水垢、厨房除油",
        ],
    ),
    ItemSpec {
        since: ItemSince::Listed(1400),
        ..item(
            Category::Cleaning,
            "擦玻璃",
            "次（三房以内）",
            100,
            10,
            &["全屋窗户玻璃内侧擦洗，外侧只擦可及部分", "阳台落地玻璃门擦洗", "客厅及卧室玻璃窗、纱窗清洗"],
        )
    },
    item(
        Category::Cleaning,
        "油烟机清洗",
        "台",
        80,
        9,
        &["抽油烟机拆洗，油网油杯清洗", "油烟机吸力下降，需深度拆洗", "欧式油烟机清洗，连同灶台除油"],
    ),
    item(
        Category::Cleaning,
        "地板打蜡",
        "次（100㎡以内）",
        260,
        4,
        &["客厅实木地板清洁打蜡", "全屋木地板打蜡保养", "卧室复合地板清洁上蜡"],
    ),
    item(
        Category::Cleaning,
        "卫生间深度清洁",
        "间",
        80,
        6,
        &["卫生间水垢、霉斑清理", "马桶、浴缸、瓷砖缝深度清洁", "淋浴房玻璃除水垢，地漏清理"],
    ),
    item(Category::Cleaning, "沙发清洗", "套", 150, 3, &["布艺沙发清洗除螨", "真皮沙发清洁保养"]),
    item(Category::Cleaning, "冰箱清洁除味", "台", 50, 3, &["冰箱内部清洁除味", "对开门冰箱除霜清洁"]),
    ItemSpec {
        since: ItemSince::Listed(300),
        ..item(
            Category::Cleaning,
            "开荒保洁",
            "次（100㎡以内）",
            480,
            2,
            &["装修后开荒保洁，清除地面水泥点和玻璃胶", "新房交付后开荒保洁"],
        )
    },
    ItemSpec {
        since: ItemSince::New(Recently::DaysAgo(26)),
        ..item(
            Category::Cleaning,
            "空调清洗",
            "台",
            60,
            6,
            &["挂机空调过滤网及蒸发器清洗", "入夏前空调清洗消毒", "空调出风有异味，需拆洗"],
        )
    },
    ItemSpec {
        since: ItemSince::New(Recently::DaysAgo(9)),
        ..item(
            Category::Cleaning,
            "窗帘拆洗",
            "次",
            100,
            3,
            &["客厅窗帘拆下送洗并重新挂装", "卧室遮光窗帘拆洗"],
        )
    },
    ItemSpec {
        since: ItemSince::New(Recently::BeforePlanMonth(10)),
        ..item(
            Category::Cleaning,
            "洗衣机清洗",
            "台",
            80,
            6,
            &[
                "滚筒洗衣机内筒除垢消毒，清洗门封圈",
                "波轮洗衣机拆洗，去除内筒霉斑和异味",
                "洗衣机清洗并更换进水管滤网",
            ],
        )
    },
    item(
        Category::Greening,
        "阳台绿化养护",
        "次",
        50,
        6,
        &["阳台花草浇水施肥，修剪枯枝", "住户出差一周，代为阳台绿植浇水", "阳台花架整理，检查病虫害"],
    ),
    item(
        Category::Greening,
        "盆栽修剪",
        "盆",
        15,
        4,
        &["发财树、绿萝等盆栽修剪造型", "三角梅修剪", "盆景修枝整形"],
    ),
    item(Category::Greening, "花卉换盆", "盆", 20, 2, &["两盆绿植换大盆并更换营养土", "兰花分株换盆"]),
    item(
        Category::Greening,
        "庭院草坪修剪",
        "次（50㎡以内）",
        120,
        2,
        &["一楼花园草坪修剪，清理杂草", "庭院绿篱修剪"],
    ),
    item(
        Category::Greening,
        "植物病虫害防治",
        "次",
        40,
        2,
        &["盆栽发现蚜虫，需喷药防治", "阳台植物叶片发黄，检查施肥"],
    ),
    item(
        Category::Repair,
        "更换水龙头",
        "个",
        30,
        10,
        &["厨房水龙头漏水，需更换阀芯", "卫生间面盆龙头关不紧，住户已自购新龙头", "洗衣机龙头滴水"],
    ),
    ItemSpec {
        emergency: &["马桶堵塞污水外溢，需立即疏通"],
        ..item(
            Category::Repair,
            "疏通下水道",
            "次",
            80,
            9,
            &["厨房下水道堵塞，水排不下去", "卫生间地漏返味、排水慢", "马桶堵塞"],
        )
    },
    item(
        Category::Repair,
        "更换灯具",
        "盏",
        30,
        8,
        &["客厅吸顶灯不亮，需更换", "卫生间灯具损坏，住户自购灯具请代为安装", "阳台灯座松动"],
    ),
    ItemSpec {
        emergency: &["入户门锁坏了，老人被反锁在屋内"],
        ..item(
            Category::Repair,
            "维修门锁",
            "次",
            50,
            6,
            &["入户门锁把手松动，关门不严", "卧室门锁打不开", "防盗门锁舌卡住"],
        )
    },
    item(
        Category::Repair,
        "更换开关插座",
        "个",
        20,
        8,
        &["厨房插座烧黑，需更换", "卧室开关失灵", "客厅插座松动接触不良"],
    ),
    item(
        Category::Repair,
        "更换马桶配件",
        "套",
        60,
        6,
        &["马桶水箱一直流水，需更换进水阀", "马桶冲水按钮损坏"],
    ),
    ItemSpec {
        emergency: &["卫生间水管爆裂，水漫到客厅，需立即抢修", "厨房进水管接头喷水，总阀关不严"],
        ..item(Category::Repair, "维修水管渗漏", "处", 80, 7, &["厨房水槽下水管渗水", "阳台洗衣机下水管漏水"])
    },
    ItemSpec {
        emergency: &["全屋停电，总开关合不上", "配电箱冒烟有焦味，住户已拉闸"],
        ..item(Category::Repair, "线路检修", "次", 60, 6, &["部分插座无电，需检查线路", "厨房频繁跳闸"])
    },
    item(Category::Repair, "更换角阀", "个", 25, 4, &["卫生间角阀锈蚀漏水", "厨房角阀关不严"]),
    item(
        Category::Repair,
        "安装晾衣架",
        "套",
        80,
        3,
        &["阳台安装升降晾衣架（住户自购）", "晾衣架钢丝断裂，需更换"],
    ),
    item(Category::Repair, "热水器检修", "次", 60, 4, &["燃气热水器打不着火", "电热水器漏水"]),
    item(
        Category::Repair,
        "更换门锁锁芯",
        "个",
        120,
        3,
        &["钥匙丢失，需更换入户门锁芯", "锁芯老化开锁困难，更换C级锁芯"],
    ),
    ItemSpec {
        since: ItemSince::New(Recently::DaysAgo(17)),
        ..item(
            Category::Repair,
            "智能门锁安装",
            "套",
            150,
            3,
            &["住户自购智能门锁，请代为安装调试", "入户门换装智能门锁，需开孔调整"],
        )
    },
    ItemSpec {
        alarm: Some(AlarmWork::Open),
        ..item(
            Category::Alarm,
            "报警开通",
            "户",
            300,
            4,
            &["新入住，开通居家报警系统", "报警系统停用后重新开通"],
        )
    },
    ItemSpec {
        alarm: Some(AlarmWork::Relocate),
        ..item(
            Category::Alarm,
            "报警改位",
            "点",
            120,
            3,
            &["装修后客厅红外探测器需移位", "卧室紧急按钮移到床头", "门磁随入户门更换改位"],
        )
    },
    ItemSpec {
        alarm: Some(AlarmWork::Repair),
        ..item(
            Category::Alarm,
            "报警维修",
            "次",
            80,
            5,
            &["报警主机频繁误报", "紧急按钮按下无反应", "红外探测器指示灯不亮", "报警键盘失灵"],
        )
    },
];

/// Halfway through the history the office raises one price.
const REPRICE: (&str, i64, &str) = ("擦玻璃", 120, "人工成本上涨，经管理处经理批准调价");

/// A service not on the list, priced by a recorded review (R-FEE-4).
struct UnlistedSpec {
    kind: RegisterKind,
    service: &'static str,
    details: &'static str,
    yuan: i64,
    alarm: Option<AlarmWork>,
    review: &'static str,
}

const UNLISTED: [UnlistedSpec; 7] = [
    UnlistedSpec {
        kind: RegisterKind::Housekeeping,
        service: "搬运旧家具下楼",
        details: "旧沙发和床架搬到楼下指定堆放点",
        yuan: 150,
        alarm: None,
        review: "两人一小时，参照日常保洁人工费评审定价",
    },
    UnlistedSpec {
        kind: RegisterKind::Housekeeping,
        service: "地毯清洗",
        details: "客厅羊毛地毯清洗",
        yuan: 180,
        alarm: None,
        review: "需专用清洗剂，参照沙发清洗评审定价",
    },
    UnlistedSpec {
        kind: RegisterKind::Repair,
        service: "阳台防水补漏",
        details: "阳台地面渗水到楼下，需重做防水",
        yuan: 380,
        alarm: None,
        review: "需材料和两人半天工时，经评审定价",
    },
    UnlistedSpec {
        kind: RegisterKind::Repair,
        service: "橱柜铰链更换",
        details: "橱柜门铰链多处损坏，柜门下垂",
        yuan: 90,
        alarm: None,
        review: "参照更换开关插座工时，另计配件",
    },
    UnlistedSpec {
        kind: RegisterKind::Repair,
        service: "淋浴房推拉门调整",
        details: "淋浴房推拉门脱轨，关不上",
        yuan: 70,
        alarm: None,
        review: "一人一小时，参照维修门锁评审定价",
    },
    UnlistedSpec {
        kind: RegisterKind::Alarm,
        service: "加装门磁探测器",
        details: "阳台门加装门磁一个并接入主机",
        yuan: 160,
        alarm: Some(AlarmWork::Open),
        review: "参照报警改位工时，另计设备费",
    },
    UnlistedSpec {
        kind: RegisterKind::Alarm,
        service: "报警主机备用电池更换",
        details: "报警主机备用电池老化，停电后无法工作",
        yuan: 60,
        alarm: Some(AlarmWork::Repair),
        review: "电池按进价，人工参照报警维修减半",
    },
];

// ---------------------------------------------------------------------------
// The generator.
// ---------------------------------------------------------------------------

/// How a row ends up. Most complete; a few stop on the way, so that every
/// status appears in every register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Complete,
    Cancel,
    /// Done but never signed off: staff have not reported (R-FEE-3).
    StallDone,
    /// Signed off, not yet settled.
    StallSigned,
    /// Price told but not agreed yet: stays registered (R-IN-5).
    Pending,
    /// Dispatched, then put off until after "now": waiting for parts or for the resident.
    Waiting,
    /// Nobody was home and the resident has not called back yet (R-FU-3).
    Away,
    /// A small repair still open a few hours before its 24 hours are up (R-SLA-1).
    NearDeadline,
    /// A small repair still open after its 24 hours (R-SLA-1).
    PastDeadline,
}

const FATES: [Fate; 9] = [
    Fate::Complete,
    Fate::Cancel,
    Fate::StallDone,
    Fate::StallSigned,
    Fate::Pending,
    Fate::Waiting,
    Fate::Away,
    Fate::NearDeadline,
    Fate::PastDeadline,
];

/// When a row was taken and booked, as its fate needs to know.
struct Timing {
    urgency: Option<Urgency>,
    received: NaiveDateTime,
    appointment: NaiveDateTime,
}

impl Fate {
    fn index(self) -> usize {
        FATES.iter().position(|f| *f == self).unwrap_or(0)
    }

    /// Whether a row taken and booked as `t` can end this way by `cutoff`.
    fn fits(self, t: &Timing, cutoff: NaiveDateTime) -> bool {
        let age = cutoff - t.received;
        let emergency = t.urgency == Some(Urgency::Emergency);
        let small_repair_aged = |from: i64, to: i64| {
            t.urgency == Some(Urgency::Small) && (Duration::hours(from)..=Duration::hours(to)).contains(&age)
        };
        match self {
            Fate::Complete => true,
            Fate::Cancel => !emergency && age > Duration::days(6),
            // The day-end review chases a missing report (R-FU-4): a stall is
            // of the last weeks, never years old.
            Fate::StallDone | Fate::StallSigned => {
                age > Duration::days(6) && age < Duration::days(STALL_DAYS)
            }
            Fate::Pending => !emergency && age < Duration::days(4),
            Fate::Waiting => !emergency && age < Duration::days(4) && age > Duration::days(1),
            Fate::Away => {
                let since_visit = cutoff - t.appointment;
                !emergency && since_visit > Duration::minutes(40) && since_visit < Duration::days(2)
            }
            Fate::NearDeadline => small_repair_aged(19, 23),
            Fate::PastDeadline => small_repair_aged(25, 32),
        }
    }

    fn waiting_note(kind: RegisterKind) -> &'static str {
        match kind {
            RegisterKind::Housekeeping => "住户临时出差，回来后另约时间",
            RegisterKind::Repair => "所需配件已订购，到货后上门",
            RegisterKind::Alarm => "探测器需订货，到货后安装",
        }
    }
}

/// A change to the office during the demo's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OfficeChange {
    Join(usize),
    Leave(usize),
    AddItem(usize),
    Reprice(usize),
}

/// Something that happens at the desks at a given time of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Job {
    Housekeeping,
    Repair,
    Alarm,
    /// A CS-center emergency repair relay (R-DESK-3).
    Relay,
    Refusal,
    Office(OfficeChange),
    Routine(Routine),
    /// A small repair left open at "now" (R-SLA-1).
    SlowRepair(Fate),
    /// A step of a long-term agreement (R-AG-2, R-AG-3).
    Agreement(AgreementEvent),
    /// An entry of the shopping log or a step of its life (R-SH-1..6): an
    /// index into the planned events.
    Shopping(usize),
    /// A revisit plan or quality check drawn, a revisit recorded or a
    /// complaint closed (R-RV-1..5): an index into the planned tasks.
    Revisit(usize),
}

struct DemoStaff {
    spec: &'static StaffSpec,
    id: Option<StaffId>,
    draft: StaffDraft,
}

impl DemoStaff {
    fn available(&self) -> bool {
        self.id.is_some() && self.draft.active
    }
}

struct DemoItem {
    spec: &'static ItemSpec,
    id: Option<PriceItemId>,
    price: Money,
}

struct DemoHousehold {
    room: String,
    /// Name and mobile phone of each resident.
    residents: Vec<(String, String)>,
}

/// The resident who calls.
struct Caller {
    room: String,
    name: String,
    phone: String,
}

/// The service asked for, priced.
struct Service {
    choice: ServiceChoice,
    details: String,
    price: Money,
    /// Reviewer and conclusion of an unlisted service (R-FEE-4).
    review: Option<(String, String)>,
    alarm: Option<AlarmWork>,
}

/// A row just registered, with what its life after intake needs.
struct Booking {
    id: RequestId,
    kind: RegisterKind,
    received: NaiveDateTime,
    appointment: NaiveDateTime,
    urgency: Option<Urgency>,
    /// Named on the row at intake; the job goes to them.
    staff: StaffId,
    /// What the resident asked for, for the service record.
    details: String,
    price: Money,
    fate: Fate,
    /// An agreement visit lasts the agreed time (R-DSP-4).
    visit_minutes: Option<i64>,
}

/// What the row form gets besides the caller and the service.
struct Intake {
    kind: RegisterKind,
    at: NaiveDateTime,
    appointment: NaiveDateTime,
    slack_reason: &'static str,
    urgency: Option<Urgency>,
    relay_told: String,
    fate: Fate,
}

struct Demo {
    desk: HomeDesk,
    now: Arc<Mutex<NaiveDateTime>>,
    rng: StdRng,
    /// The day-end reviews' own rng (R-FU-4): which rows a review holds
    /// draws nothing from the rows' lives, so a change in what a review
    /// covers does not reshape the office.
    review_rng: StdRng,
    size: DemoSize,
    first_day: NaiveDate,
    today: NaiveDate,
    cutoff: NaiveDateTime,
    /// The 1st of the month of the newest revisit plan at `cutoff`.
    plan_month: NaiveDate,
    manager: User,
    cs_clerks: Vec<User>,
    control_clerks: Vec<User>,
    finance: Option<User>,
    staff: Vec<DemoStaff>,
    items: Vec<DemoItem>,
    households: Vec<DemoHousehold>,
    rooms: BTreeSet<String>,
    changes: Vec<(NaiveDateTime, OfficeChange)>,
    steps: BinaryHeap<Reverse<QueuedStep>>,
    step_order: u64,
    /// The office's reschedule reasons staff give (R-FU-1).
    staff_reasons: Vec<String>,
    fates_given: [[bool; FATES.len()]; 3],
    refusals: usize,
    agreements: AgreementPlans,
    shopping: ShoppingPlans,
    revisits: RevisitPlans,
}

impl Demo {
    /// The first start and the office's settings, staff, accounts, price list
    /// and households, stamped a few days before the history begins.
    fn set_up(
        mut desk: HomeDesk,
        now: Arc<Mutex<NaiveDateTime>>,
        days: u32,
        size: DemoSize,
        until: NaiveDateTime,
    ) -> Result<Demo> {
        let today = until.date();
        let first_day = today - Duration::days(i64::from(days) - 1);
        let setup_at = at_minute(first_day - Duration::days(3), 8 * 60 + 30);
        set_time(&now, setup_at);
        let manager = desk.set_up_office(DEMO_OFFICE_NAME, MANAGER_NAME, MANAGER_LOGIN, DEMO_PASSWORD)?;
        let mut demo = Demo {
            desk,
            now,
            rng: StdRng::seed_from_u64(DEMO_SEED),
            review_rng: StdRng::seed_from_u64(REVIEW_SEED),
            size,
            first_day,
            today,
            cutoff: until,
            plan_month: revisits::last_planned_month(until),
            manager,
            cs_clerks: Vec::new(),
            control_clerks: Vec::new(),
            finance: None,
            staff: Vec::new(),
            items: Vec::new(),
            households: Vec::new(),
            rooms: BTreeSet::new(),
            changes: Vec::new(),
            steps: BinaryHeap::new(),
            step_order: 0,
            staff_reasons: Vec::new(),
            fates_given: [[false; FATES.len()]; 3],
            refusals: 0,
            agreements: AgreementPlans::default(),
            shopping: ShoppingPlans::default(),
            revisits: RevisitPlans::default(),
        };
        demo.save_office_details(setup_at)?;
        demo.hire_staff(setup_at + Duration::minutes(20))?;
        demo.give_passwords(setup_at + Duration::hours(2))?;
        demo.list_prices(setup_at + Duration::hours(3))?;
        demo.add_reasons(setup_at + Duration::hours(4))?;
        let first_move_ins = at_minute((setup_at + Duration::days(1)).date(), 9 * 60);
        demo.file_households(first_move_ins, size.households - size.newcomers(days))?;
        demo.sign_in_clerks()?;
        demo.plan_office_changes();
        demo.plan_agreements();
        demo.plan_shopping();
        demo.plan_revisits()?;
        Ok(demo)
    }

    fn set_clock(&self, at: NaiveDateTime) {
        set_time(&self.now, at);
    }

    fn save_office_details(&mut self, at: NaiveDateTime) -> Result<()> {
        self.set_clock(at + Duration::minutes(5));
        let office = OfficeSettings {
            name: DEMO_OFFICE_NAME.to_string(),
            phone: OFFICE_PHONE.to_string(),
            address: OFFICE_ADDRESS.to_string(),
            new_window_days: 30,
            ..OfficeSettings::default()
        };
        self.desk.save_office(&self.manager, &office)?;
        self.set_clock(at + Duration::minutes(10));
        let draft = StaffDraft {
            name: MANAGER_NAME.to_string(),
            group: Some(Group::CsCenter),
            rank: Some(Rank::Manager),
            active: true,
            first_job_on: Some(self.first_day - Duration::days(MANAGER_SINCE_DAYS)),
            phone: self.mobile(),
            login: MANAGER_LOGIN.to_string(),
        };
        let manager = self.manager.clone();
        self.desk.save_staff(&manager, Some(manager.staff_id), &draft, "补录入职日期和联系电话")?;
        Ok(())
    }

    /// Staff in every group; new staff join later (see [`Demo::plan_office_changes`]).
    fn hire_staff(&mut self, at: NaiveDateTime) -> Result<()> {
        for (index, spec) in STAFF.iter().enumerate() {
            let first_job_on = match spec.tenure {
                Tenure::Since(days) | Tenure::Leaves(days, _) => self.first_day - Duration::days(days),
                Tenure::Joins(recently) => self.recent_day(recently),
            };
            let draft = StaffDraft {
                name: spec.name.to_string(),
                group: Some(spec.group),
                rank: Some(spec.rank),
                active: true,
                first_job_on: Some(first_job_on),
                phone: self.mobile(),
                login: spec.login.unwrap_or_default().to_string(),
            };
            self.staff.push(DemoStaff { spec, id: None, draft });
            if !matches!(spec.tenure, Tenure::Joins(_)) {
                self.set_clock(at + Duration::minutes(3 * index as i64));
                self.add_staff(index)?;
            }
        }
        Ok(())
    }

    fn add_staff(&mut self, index: usize) -> Result<()> {
        let Some(member) = self.staff.get(index) else {
            return Ok(());
        };
        let id = self.desk.save_staff(&self.manager, None, &member.draft, "")?;
        if let Some(member) = self.staff.get_mut(index) {
            member.id = Some(id);
        }
        Ok(())
    }

    fn give_passwords(&mut self, at: NaiveDateTime) -> Result<()> {
        let ids: Vec<StaffId> =
            self.staff.iter().filter(|s| s.spec.login.is_some()).filter_map(|s| s.id).collect();
        for (n, id) in ids.into_iter().enumerate() {
            self.set_clock(at + Duration::minutes(2 * n as i64));
            self.desk.set_password(&self.manager, id, DEMO_PASSWORD)?;
        }
        Ok(())
    }

    /// The office adds a reason of its own to the list it ships with; staff
    /// reschedules take theirs from that list (R-FU-1).
    fn add_reasons(&mut self, at: NaiveDateTime) -> Result<()> {
        self.set_clock(at);
        self.desk.add_step_reason(&self.manager, ReasonKind::Reschedule, OFFICE_RESCHEDULE_REASON)?;
        self.staff_reasons = self
            .desk
            .step_reasons(ReasonKind::Reschedule)?
            .into_iter()
            .filter(|reason| reason.active && !reason.text.contains("住户"))
            .map(|reason| reason.text)
            .collect();
        Ok(())
    }

    fn list_prices(&mut self, at: NaiveDateTime) -> Result<()> {
        for (n, spec) in PRICE_LIST.iter().enumerate() {
            let price = Money::from_yuan(spec.yuan).unwrap_or(Money::ZERO);
            self.items.push(DemoItem { spec, id: None, price });
            if let ItemSince::Listed(days) = spec.since {
                self.set_clock(at + Duration::minutes(n as i64));
                self.add_item(n, Some(self.first_day - Duration::days(days)))?;
            }
        }
        Ok(())
    }

    fn add_item(&mut self, index: usize, added_on: Option<NaiveDate>) -> Result<()> {
        let Some(item) = self.items.get(index) else {
            return Ok(());
        };
        let draft = price_draft(item.spec, item.price, added_on);
        let id = self.desk.save_price_item(&self.manager, None, &draft, "")?;
        if let Some(item) = self.items.get_mut(index) {
            item.id = Some(id);
        }
        Ok(())
    }

    /// The households the office has by `day`: those filed at setup, and
    /// the newcomers moving in evenly over the history.
    fn households_due(&self, day: NaiveDate) -> usize {
        let days = (self.today - self.first_day).num_days() + 1;
        let passed = ((day - self.first_day).num_days() + 1).clamp(0, days);
        let newcomers = self.size.newcomers(days as u32);
        self.size.households - newcomers + newcomers * passed as usize / days.max(1) as usize
    }

    /// Newcomers move in with their first call; those that no call has
    /// brought in by the last day (whose morning may be over before the
    /// first call, when the demo is built just after midnight) are filed
    /// before it starts, so the office holds exactly the households asked
    /// for (issue 19).
    fn file_households_still_due(&mut self, today: NaiveDate) -> Result<()> {
        let missing = self.size.households.saturating_sub(self.households.len());
        if missing == 0 {
            return Ok(());
        }
        // At most three residents a household, at most a minute each.
        let takes = Duration::seconds(180 * missing as i64);
        let end = self.cutoff.min(at_minute(today, 60));
        self.file_households(end - takes, missing)
    }

    /// `count` households with one to three residents each, filed from `start` on.
    fn file_households(&mut self, start: NaiveDateTime, count: usize) -> Result<()> {
        let mut clock = start;
        for _ in 0..count {
            let household = self.new_household();
            let notes = if self.chance(200) { self.pick(&HOUSEHOLD_NOTES) } else { "" };
            for (name, phone) in &household.residents {
                clock += Duration::seconds(self.rng.gen_range(20..60));
                self.set_clock(clock);
                let resident =
                    Resident { id: 0, name: name.clone(), phone: phone.clone(), notes: String::new() };
                self.desk.save_household(&self.manager, &household.room, notes, Some(&resident))?;
            }
            self.households.push(household);
        }
        Ok(())
    }

    /// A household at a room not used yet: an owner, maybe a spouse and a child or parent.
    fn new_household(&mut self) -> DemoHousehold {
        let room = self.free_room();
        let surname = self.pick(&SURNAMES);
        let mut residents = vec![(format!("{surname}{}", self.pick(&ADULT_GIVEN_NAMES)), self.mobile())];
        let size = self.rng.gen_range(1..=3);
        if size >= 2 {
            residents.push((self.adult_name(), self.mobile()));
        }
        if size >= 3 {
            let given =
                if self.chance(600) { self.pick(&YOUNG_GIVEN_NAMES) } else { self.pick(&ADULT_GIVEN_NAMES) };
            residents.push((format!("{surname}{given}"), self.mobile()));
        }
        residents.dedup_by(|a, b| a.0 == b.0);
        DemoHousehold { room, residents }
    }

    fn free_room(&mut self) -> String {
        loop {
            let room = format!(
                "{}栋{}单元{}{:02}",
                self.rng.gen_range(1..=self.size.buildings()),
                self.rng.gen_range(1..=UNITS),
                self.rng.gen_range(1..=FLOORS),
                self.rng.gen_range(1..=ROOMS_PER_FLOOR),
            );
            if self.rooms.insert(room.clone()) {
                return room;
            }
        }
    }

    fn sign_in_clerks(&mut self) -> Result<()> {
        let logins: Vec<(Group, &'static str)> =
            self.staff.iter().filter_map(|s| s.spec.login.map(|login| (s.spec.group, login))).collect();
        for (group, login) in logins {
            match group {
                Group::CsCenter => {
                    self.cs_clerks.push(self.desk.sign_in(login, DEMO_PASSWORD, Desk::CsCenter)?)
                }
                Group::ControlCenter => {
                    self.control_clerks.push(self.desk.sign_in(login, DEMO_PASSWORD, Desk::ControlCenter)?)
                }
                Group::Finance => {
                    self.finance = Some(self.desk.sign_in(login, DEMO_PASSWORD, Desk::CsCenter)?)
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// New staff join, two staff leave, new items are listed and one price
    /// changes during the history.
    fn plan_office_changes(&mut self) {
        let days = (self.today - self.first_day).num_days() + 1;
        for (index, spec) in STAFF.iter().enumerate() {
            match spec.tenure {
                Tenure::Joins(recently) => self
                    .changes
                    .push((at_minute(self.recent_day(recently), 8 * 60 + 20), OfficeChange::Join(index))),
                Tenure::Leaves(_, per_mille) => {
                    let day = self.first_day + Duration::days(days * per_mille / 1000);
                    self.changes.push((at_minute(day, 17 * 60 + 40), OfficeChange::Leave(index)));
                }
                Tenure::Since(_) => {}
            }
        }
        for (index, spec) in PRICE_LIST.iter().enumerate() {
            if let ItemSince::New(recently) = spec.since {
                self.changes
                    .push((at_minute(self.recent_day(recently), 8 * 60 + 5), OfficeChange::AddItem(index)));
            }
            if spec.name == REPRICE.0 {
                let day = self.first_day + Duration::days(days / 2);
                self.changes.push((at_minute(day, 8 * 60 + 15), OfficeChange::Reprice(index)));
            }
        }
    }

    /// The day `recently` names, but not before the first day of the history.
    fn recent_day(&self, recently: Recently) -> NaiveDate {
        let day = match recently {
            Recently::DaysAgo(days) => self.today - Duration::days(days),
            Recently::BeforePlanMonth(days) => self.plan_month - Duration::days(days),
        };
        day.max(self.first_day)
    }

    // ----- the days -----------------------------------------------------

    /// The days in order, each day's writes in one bulk transaction (a
    /// day's hundreds of use cases cost one commit instead of hundreds).
    fn run(&mut self) -> Result<()> {
        let mut day = self.first_day;
        while day <= self.today {
            #[cfg(test)]
            tests::fail_if_told(day)?;
            if day == self.today {
                self.file_households_still_due(day)?;
            }
            self.run_day(day)?;
            day += Duration::days(1);
        }
        self.apply_steps_until(self.cutoff)?;
        Ok(())
    }

    fn run_day(&mut self, day: NaiveDate) -> Result<()> {
        let mut jobs = self.agenda(day);
        let mut next = 0;
        while let Some((at, job)) = jobs.get(next).copied() {
            self.apply_steps_until(at)?;
            self.set_clock(at);
            self.do_job(at, job)?;
            next += 1;
            // A plan drawn this morning is worked on from this afternoon.
            let drawn = self.revisits.jobs_of(day);
            if !drawn.is_empty() {
                jobs.extend(drawn);
                jobs[next..].sort_by_key(|(at, _)| *at);
            }
        }
        Ok(())
    }

    /// The day's calls, relays, refusals, office changes and the desks'
    /// routines, in time order.
    fn agenda(&mut self, day: NaiveDate) -> Vec<(NaiveDateTime, Job)> {
        let (housekeeping, repair, alarm) = self.daily_volume(day);
        let mut jobs = Vec::new();
        for _ in 0..housekeeping {
            jobs.push((self.cs_call_time(day), Job::Housekeeping));
        }
        for _ in 0..repair {
            jobs.push((self.control_call_time(day), Job::Repair));
        }
        for _ in 0..alarm {
            jobs.push((self.cs_call_time(day), Job::Alarm));
        }
        for _ in 0..self.scaled(RELAY_PER_DAY) {
            jobs.push((self.cs_call_time(day), Job::Relay));
        }
        for _ in 0..self.scaled(REFUSAL_PER_DAY) {
            jobs.push((self.cs_call_time(day), Job::Refusal));
        }
        for (hours_before, fate) in SLOW_REPAIRS {
            let at = self.jitter(self.cutoff - Duration::hours(hours_before), 0, 30);
            if at.date() == day {
                jobs.push((at, Job::SlowRepair(fate)));
            }
        }
        jobs.extend(
            self.changes.iter().filter(|(at, _)| at.date() == day).map(|(at, c)| (*at, Job::Office(*c))),
        );
        let agreements: Vec<(NaiveDateTime, Job)> =
            self.agreements.events_of(day).map(|(at, event)| (at, Job::Agreement(event))).collect();
        jobs.extend(agreements);
        jobs.extend(self.shopping.jobs_of(day));
        jobs.extend(self.revisits.jobs_of(day));
        let routines = self.routines(day);
        jobs.extend(routines.into_iter().map(|(at, routine)| (at, Job::Routine(routine))));
        jobs.sort_by_key(|(at, _)| *at);
        jobs.retain(|(at, _)| *at <= self.cutoff);
        jobs
    }

    /// About 15–25 requests a day: more cleaning at weekends and before the
    /// Spring Festival, a few more repairs in summer.
    fn daily_volume(&mut self, day: NaiveDate) -> (u32, u32, u32) {
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        let festive = (day.month() == 1 && day.day() >= 10) || (day.month() == 2 && day.day() <= 8);
        let mut housekeeping = self.rng.gen_range(7..=11) + if weekend { 3 } else { 0 };
        if festive {
            housekeeping = housekeeping * 3 / 2;
        }
        let summer = (6..=8).contains(&day.month());
        let repair = self.rng.gen_range(5..=9) + u32::from(summer);
        let alarm = self.rng.gen_range(0..=3);
        let [housekeeping, repair, alarm] = [housekeeping, repair, alarm].map(|n| self.scaled(f64::from(n)));
        (housekeeping, repair, alarm)
    }

    /// `per_day` of the small office's, grown by the office's size, rounded
    /// at random so that fractions add up over the days.
    fn scaled(&mut self, per_day: f64) -> u32 {
        let n = per_day * self.size.call_factor();
        let whole = n.floor();
        let fraction = n - whole;
        whole as u32 + u32::from(fraction > 0.0 && self.rng.gen_bool(fraction))
    }

    fn do_job(&mut self, at: NaiveDateTime, job: Job) -> Result<()> {
        match job {
            Job::Housekeeping => self.take_housekeeping(at),
            Job::Repair => self.take_repair(at),
            Job::Alarm => self.take_alarm(at),
            Job::Relay => self.take_relay(at),
            Job::Refusal => self.refuse(at),
            Job::Office(change) => self.change_office(change),
            Job::Routine(routine) => self.do_routine(at, routine),
            Job::SlowRepair(fate) => self.take_slow_repair(at, fate),
            Job::Agreement(event) => self.agreement_event(at, event),
            Job::Shopping(index) => self.shopping_event(index),
            Job::Revisit(index) => self.revisit_task(index),
        }
    }

    fn change_office(&mut self, change: OfficeChange) -> Result<()> {
        match change {
            OfficeChange::Join(index) => self.add_staff(index),
            OfficeChange::Leave(index) => {
                let Some(member) = self.staff.get_mut(index) else {
                    return Ok(());
                };
                member.draft.active = false;
                if let Some(id) = member.id {
                    let draft = member.draft.clone();
                    self.desk.save_staff(&self.manager, Some(id), &draft, "离职")?;
                }
                Ok(())
            }
            OfficeChange::AddItem(index) => self.add_item(index, None),
            OfficeChange::Reprice(index) => {
                let Some(item) = self.items.get_mut(index) else {
                    return Ok(());
                };
                item.price = Money::from_yuan(REPRICE.1).unwrap_or(item.price);
                if let Some(id) = item.id {
                    let draft =
                        price_draft(item.spec, item.price, Some(listed_on(item.spec, self.first_day)));
                    self.desk.save_price_item(&self.manager, Some(id), &draft, REPRICE.2)?;
                }
                Ok(())
            }
        }
    }

    // ----- intake ---------------------------------------------------------

    /// R-DESK-1: housekeeping at the CS center.
    fn take_housekeeping(&mut self, at: NaiveDateTime) -> Result<()> {
        let kind = RegisterKind::Housekeeping;
        let (appointment, slack_reason) = self.housekeeping_appointment(at);
        let fate = self.choose_fate(kind, &Timing { urgency: None, received: at, appointment });
        let intake =
            Intake { kind, at, appointment, slack_reason, urgency: None, relay_told: String::new(), fate };
        self.register(Desk::CsCenter, intake)
    }

    /// R-DESK-2: repairs at the control center, with their urgency.
    fn take_repair(&mut self, at: NaiveDateTime) -> Result<()> {
        let urgency = match self.rng.gen_range(0..1000) {
            n if n < EMERGENCY_PER_MILLE => Urgency::Emergency,
            n if n < EMERGENCY_PER_MILLE + BIG_REPAIR_PER_MILLE => Urgency::Big,
            _ => Urgency::Small,
        };
        self.take_repair_ending(at, urgency, None, None)
    }

    /// R-SLA-1: a small repair still open at "now", close to or past its 24
    /// hours, so that the board always has one to show.
    fn take_slow_repair(&mut self, at: NaiveDateTime, fate: Fate) -> Result<()> {
        // The 24 hours run from the visit the resident books (R-SLA-1): the
        // one near its deadline is booked for right after the call, evening
        // calls included, so that 2½ to 3½ hours are left at "now".
        let soon = ceil_to_minutes(at + Duration::minutes(30), 30);
        let bookable = (7 * 60 + 30..21 * 60).contains(&minute_of_day(soon));
        let booked = (fate == Fate::NearDeadline && bookable).then_some(soon);
        self.take_repair_ending(at, Urgency::Small, Some(fate), booked)
    }

    /// A repair call that ends as `fate` when its timing allows, or as
    /// chosen; its visit as `booked`, or as usual.
    fn take_repair_ending(
        &mut self,
        at: NaiveDateTime,
        urgency: Urgency,
        fate: Option<Fate>,
        booked: Option<NaiveDateTime>,
    ) -> Result<()> {
        let kind = RegisterKind::Repair;
        let appointment = match booked {
            Some(at) => at,
            None => self.repair_appointment(at, urgency),
        };
        let timing = Timing { urgency: Some(urgency), received: at, appointment };
        let fate = match fate {
            Some(fate) if fate.fits(&timing, self.cutoff) => fate,
            _ => self.choose_fate(kind, &timing),
        };
        let intake = Intake {
            kind,
            at,
            appointment,
            slack_reason: "",
            urgency: Some(urgency),
            relay_told: String::new(),
            fate,
        };
        self.register(Desk::ControlCenter, intake)
    }

    /// R-DESK-3: an emergency repair the CS center relays to the control center.
    fn take_relay(&mut self, at: NaiveDateTime) -> Result<()> {
        let kind = RegisterKind::Repair;
        let urgency = Some(Urgency::Emergency);
        let told = self.clerk(Desk::ControlCenter, at);
        let appointment = self.repair_appointment(at, Urgency::Emergency);
        let fate = self.choose_fate(kind, &Timing { urgency, received: at, appointment });
        let relay_told = format!("控制中心 {}", told.name);
        let intake = Intake { kind, at, appointment, slack_reason: "", urgency, relay_told, fate };
        self.register(Desk::CsCenter, intake)
    }

    /// R-DESK-1: alarm work at the CS center.
    fn take_alarm(&mut self, at: NaiveDateTime) -> Result<()> {
        let kind = RegisterKind::Alarm;
        let day = at.date() + Duration::days(self.rng.gen_range(1..=4));
        let appointment = at_minute(day, self.pick(&ALARM_SLOTS));
        let fate = self.choose_fate(kind, &Timing { urgency: None, received: at, appointment });
        let intake = Intake {
            kind,
            at,
            appointment,
            slack_reason: "",
            urgency: None,
            relay_told: String::new(),
            fate,
        };
        self.register(Desk::CsCenter, intake)
    }

    /// Fills the row form as the clerk on duty would and registers it; then
    /// plans the row's life after intake.
    fn register(&mut self, desk: Desk, intake: Intake) -> Result<()> {
        let clerk = self.clerk(desk, intake.at);
        let caller = self.pick_caller();
        let service = self.pick_service(intake.kind, intake.urgency == Some(Urgency::Emergency));
        let staff = match intake.fate {
            Fate::Pending => None,
            _ => self.pick_provider(intake.kind.provider(), intake.at),
        };
        let notes = self.row_notes(&intake);
        let draft = intake_draft(&intake, caller, &service, staff.as_ref().map(|(id, _)| *id), notes);
        self.set_clock(intake.at);
        let row = self.desk.register_request(&clerk, &draft)?;
        if let Some((staff, _)) = staff {
            self.plan_life(&Booking {
                id: row.id,
                kind: intake.kind,
                received: intake.at,
                appointment: intake.appointment,
                urgency: intake.urgency,
                staff,
                details: service.details,
                price: service.price,
                fate: intake.fate,
                visit_minutes: None,
            });
        }
        Ok(())
    }

    fn row_notes(&mut self, intake: &Intake) -> &'static str {
        match intake.fate {
            Fate::Pending => PENDING_NOTE,
            Fate::Waiting => Fate::waiting_note(intake.kind),
            _ if self.chance(NOTES_PER_MILLE) => self.pick(&REQUEST_NOTES),
            _ => "",
        }
    }

    /// R-IN-1: a polite refusal with its reason.
    fn refuse(&mut self, at: NaiveDateTime) -> Result<()> {
        let Some(spec) = REFUSALS.choose(&mut self.rng) else {
            return Ok(());
        };
        let desk = match spec.kind {
            Some(RegisterKind::Repair) => Desk::ControlCenter,
            _ => Desk::CsCenter,
        };
        let clerk = self.clerk(desk, at);
        let caller = self.pick_caller();
        let draft = RefusalDraft {
            kind: spec.kind,
            room: caller.room,
            resident_name: caller.name,
            phone: caller.phone,
            asked_for: spec.asked_for.to_string(),
            reason: spec.reason.to_string(),
        };
        self.desk.refuse_request(&clerk, &draft)?;
        self.refusals += 1;
        Ok(())
    }

    /// Mostly filed households, regular customers more often; a new one
    /// whenever the office is behind its move-ins, so that it ends the
    /// history with exactly the households it was asked for.
    fn pick_caller(&mut self) -> Caller {
        let new_caller = self.households.len() < self.households_due(read_clock(&self.now).date());
        let index = if new_caller || self.households.is_empty() {
            let household = self.new_household();
            self.households.push(household);
            self.households.len() - 1
        } else if self.chance(REGULAR_CALLER_PER_MILLE) {
            self.rng.gen_range(0..self.size.in_proportion(REGULARS).min(self.households.len()))
        } else {
            self.rng.gen_range(0..self.households.len())
        };
        let Some(household) = self.households.get(index) else {
            return Caller { room: String::new(), name: String::new(), phone: String::new() };
        };
        let (name, phone) = household.residents.choose(&mut self.rng).cloned().unwrap_or_default();
        Caller { room: household.room.clone(), name, phone }
    }

    /// A listed item of the register (new items only once listed), or now
    /// and then a reviewed service not on the list (R-FEE-4).
    fn pick_service(&mut self, kind: RegisterKind, emergency: bool) -> Service {
        if !emergency
            && self.chance(UNLISTED_PER_MILLE)
            && let Some(service) = self.unlisted_service(kind)
        {
            return service;
        }
        let candidates: Vec<usize> = (0..self.items.len())
            .filter(|i| {
                self.items.get(*i).is_some_and(|item| {
                    item.id.is_some()
                        && item.spec.category.register() == kind
                        && (!emergency || !item.spec.emergency.is_empty())
                })
            })
            .collect();
        let weights: Vec<u32> =
            candidates.iter().filter_map(|i| self.items.get(*i)).map(|i| i.spec.weight).collect();
        let chosen = candidates.get(weighted_index(&mut self.rng, &weights)).and_then(|i| self.items.get(*i));
        let Some(item) = chosen else {
            return Service {
                choice: ServiceChoice::None,
                details: String::new(),
                price: Money::ZERO,
                review: None,
                alarm: None,
            };
        };
        let (spec, id, listed) = (item.spec, item.id.unwrap_or_default(), item.price);
        let pool = if emergency { spec.emergency } else { spec.details };
        let details = pool.choose(&mut self.rng).copied().unwrap_or(spec.name).to_string();
        let price = self.price_for(listed);
        Service { choice: ServiceChoice::Listed(id), details, price, review: None, alarm: spec.alarm }
    }

    fn unlisted_service(&mut self, kind: RegisterKind) -> Option<Service> {
        let options: Vec<&UnlistedSpec> = UNLISTED.iter().filter(|u| u.kind == kind).collect();
        let spec = *options.choose(&mut self.rng)?;
        let price = Money::from_yuan(spec.yuan)?;
        let reviewer = self.supervisor_name(kind.provider());
        let conclusion = format!("{}，定价{}，住户同意", spec.review, price);
        Some(Service {
            choice: ServiceChoice::Unlisted(spec.service.to_string()),
            details: spec.details.to_string(),
            price,
            review: Some((reviewer, conclusion)),
            alarm: spec.alarm,
        })
    }

    /// Mostly the listed price; otherwise a little less or more, always
    /// within ±30 % (R-FEE-4) and in whole yuan where the band allows.
    fn price_for(&mut self, listed: Money) -> Money {
        let (low, high) = price_band(listed);
        let fen = match self.rng.gen_range(0..10) {
            0..=5 => listed.fen(),
            6..=7 => listed.scaled(self.rng.gen_range(80..=95), 100),
            _ => listed.scaled(self.rng.gen_range(105..=125), 100),
        };
        let fen = (fen / 100 * 100).clamp(low.fen(), high.fen());
        Money::from_fen(fen).unwrap_or(listed)
    }

    /// An active staff member of the group that does the work (R-DESK-4),
    /// not one about to leave: the job must still find them at dispatch.
    fn pick_provider(&mut self, group: Group, at: NaiveDateTime) -> Option<(StaffId, String)> {
        let notice = at + Duration::days(LEAVING_NOTICE_DAYS);
        let leaving: Vec<usize> = self
            .changes
            .iter()
            .filter_map(|(when, change)| match change {
                OfficeChange::Leave(index) if *when <= notice => Some(*index),
                _ => None,
            })
            .collect();
        let pool: Vec<(StaffId, String)> = self
            .staff
            .iter()
            .enumerate()
            .filter(|(index, s)| {
                s.available()
                    && s.spec.group == group
                    && s.spec.rank == Rank::Staff
                    && !leaving.contains(index)
            })
            .filter_map(|(_, s)| s.id.map(|id| (id, s.spec.name.to_string())))
            .collect();
        pool.choose(&mut self.rng).cloned()
    }

    fn supervisor_name(&self, group: Group) -> String {
        self.staff
            .iter()
            .find(|s| s.available() && s.spec.group == group && s.spec.rank.is_supervisor_or_above())
            .map(|s| s.spec.name.to_string())
            .unwrap_or_else(|| self.manager.name.clone())
    }

    /// Most rows complete; a few are cancelled or stop on the way. Each
    /// register gets every ending at least once, where the row's timing allows.
    fn choose_fate(&mut self, kind: RegisterKind, timing: &Timing) -> Fate {
        let cutoff = self.cutoff;
        let given = &mut self.fates_given[register_index(kind)];
        if let Some(fate) = FATES.iter().copied().find(|f| !given[f.index()] && f.fits(timing, cutoff)) {
            given[fate.index()] = true;
            return fate;
        }
        let fate = match self.rng.gen_range(0..1000) {
            0..40 => Fate::Pending,
            40..80 => Fate::Waiting,
            80..100 => Fate::Away,
            100..250 => Fate::NearDeadline,
            250..400 => Fate::PastDeadline,
            950..980 => Fate::Cancel,
            990..994 => Fate::StallDone,
            994..998 => Fate::StallSigned,
            _ => Fate::Complete,
        };
        if fate.fits(timing, cutoff) { fate } else { Fate::Complete }
    }

    // ----- appointments ---------------------------------------------------

    /// Next day or two at a copy-order-friendly slot; same afternoon for
    /// morning calls now and then; rarely sooner with a written reason (R-IN-3).
    fn housekeeping_appointment(&mut self, at: NaiveDateTime) -> (NaiveDateTime, &'static str) {
        let minute = minute_of_day(at);
        if minute < 17 * 60 && self.chance(SLACK_REASON_PER_MILLE) {
            return (ceil_to_minutes(at + Duration::minutes(15), 1), self.pick(&SLACK_REASONS));
        }
        let offset =
            if minute < 11 * 60 && self.chance(250) { 0 } else { self.pick(&[1, 1, 1, 1, 1, 1, 2, 2, 2, 3]) };
        let mut appointment = at_minute(at.date() + Duration::days(offset), self.pick(&HOUSEKEEPING_SLOTS));
        if appointment < at + MIN_SLACK {
            appointment += Duration::days(1);
        }
        (appointment, "")
    }

    /// R-SLA-1/2: an emergency is reached within minutes, a small repair
    /// within 24 hours, a big problem within three days.
    fn repair_appointment(&mut self, at: NaiveDateTime, urgency: Urgency) -> NaiveDateTime {
        let minute = minute_of_day(at);
        match urgency {
            Urgency::Emergency => {
                let reach = if (9 * 60..22 * 60).contains(&minute) { 10 } else { 20 };
                ceil_to_minutes(at + Duration::minutes(reach), 1)
            }
            Urgency::Small if (7 * 60 + 30..18 * 60).contains(&minute) => {
                ceil_to_minutes(at + Duration::minutes(self.rng.gen_range(60..=180)), 30)
            }
            Urgency::Small => {
                let day = if minute < 7 * 60 + 30 { at.date() } else { at.date() + Duration::days(1) };
                at_minute(day, 8 * 60 + 30 + 30 * self.rng.gen_range(0..=4))
            }
            Urgency::Big => {
                let day = at.date() + Duration::days(self.rng.gen_range(1..=3));
                at_minute(day, self.pick(&REPAIR_SLOTS))
            }
        }
    }

    /// `at`, or the CS center's next opening if it is closed then.
    fn at_desk(&mut self, desk: Desk, at: NaiveDateTime) -> NaiveDateTime {
        let minute = minute_of_day(at);
        if desk == Desk::ControlCenter || (CS_OPENS..CS_CLOSES).contains(&minute) {
            return at;
        }
        let day = if minute < CS_OPENS { at.date() } else { at.date() + Duration::days(1) };
        self.jitter(at_minute(day, CS_OPENS), 0, 40)
    }

    // ----- desks and small helpers ----------------------------------------

    /// The clerk on duty: the CS center has two shifts a day, the control
    /// center three, rotating daily among the desk's clerks.
    fn clerk(&self, desk: Desk, at: NaiveDateTime) -> User {
        let day = (at.date() - self.first_day).num_days();
        let (clerks, shift) = match desk {
            Desk::CsCenter => (&self.cs_clerks, i64::from(at.hour() >= 14)),
            Desk::ControlCenter => (&self.control_clerks, i64::from(at.hour() / 8)),
        };
        if clerks.is_empty() {
            return self.manager.clone();
        }
        let index = (day + shift).rem_euclid(clerks.len() as i64) as usize;
        clerks.get(index).cloned().unwrap_or_else(|| self.manager.clone())
    }

    /// The CS center's business supervisor on the books, signing in at the
    /// CS desk; the manager when there is none (issue 9: voiding needs one).
    fn cs_supervisor(&self) -> User {
        self.staff
            .iter()
            .find(|s| s.available() && s.spec.group == Group::CsCenter && s.spec.rank == Rank::Supervisor)
            .and_then(|s| {
                Some(User {
                    staff_id: s.id?,
                    name: s.spec.name.into(),
                    rank: s.spec.rank,
                    desk: Desk::CsCenter,
                })
            })
            .unwrap_or_else(|| self.manager.clone())
    }

    fn cs_call_time(&mut self, day: NaiveDate) -> NaiveDateTime {
        let hour = 8 + weighted_index(&mut self.rng, &CS_HOUR_WEIGHTS) as i64;
        let minute = if hour == 19 { self.rng.gen_range(0..45) } else { self.rng.gen_range(0..60) };
        self.jitter(at_minute(day, hour * 60 + minute), 0, 0)
    }

    fn control_call_time(&mut self, day: NaiveDate) -> NaiveDateTime {
        let hour = weighted_index(&mut self.rng, &CONTROL_HOUR_WEIGHTS) as i64;
        let minute = self.rng.gen_range(0..60);
        self.jitter(at_minute(day, hour * 60 + minute), 0, 0)
    }

    /// `at` plus `min..=max` minutes and a random number of seconds.
    fn jitter(&mut self, at: NaiveDateTime, min: i64, max: i64) -> NaiveDateTime {
        at + Duration::minutes(self.rng.gen_range(min..=max)) + Duration::seconds(self.rng.gen_range(0..60))
    }

    fn chance(&mut self, per_mille: u32) -> bool {
        self.rng.gen_range(0..1000) < per_mille
    }

    fn pick<T: Copy + Default>(&mut self, pool: &[T]) -> T {
        pool.choose(&mut self.rng).copied().unwrap_or_default()
    }

    fn adult_name(&mut self) -> String {
        format!("{}{}", self.pick(&SURNAMES), self.pick(&ADULT_GIVEN_NAMES))
    }

    /// An 11-digit mobile number.
    fn mobile(&mut self) -> String {
        format!("{}{:08}", self.pick(&MOBILE_PREFIXES), self.rng.gen_range(0..100_000_000))
    }

    fn summary(&self) -> Result<DemoSummary> {
        let mut requests = 0;
        for kind in RegisterKind::ALL {
            requests += self.desk.store().count_requests(*kind)?;
        }
        let mut accounts = vec![DemoAccount {
            login: MANAGER_LOGIN.to_string(),
            name: MANAGER_NAME.to_string(),
            group: Group::CsCenter,
            rank: Rank::Manager,
        }];
        accounts.extend(self.staff.iter().filter(|s| s.id.is_some()).filter_map(|s| {
            s.spec.login.map(|login| DemoAccount {
                login: login.to_string(),
                name: s.spec.name.to_string(),
                group: s.spec.group,
                rank: s.spec.rank,
            })
        }));
        Ok(DemoSummary {
            households: self.households.len(),
            staff: 1 + self.staff.iter().filter(|s| s.id.is_some()).count(),
            requests: usize::try_from(requests).unwrap_or_default(),
            refusals: self.refusals,
            agreements: self.desk.agreements(&crate::store::AgreementQuery::default())?.len(),
            shopping: self.desk.store().shopping_numbers()?.len(),
            accounts,
        })
    }
}

/// The row form as the clerk fills it in (R-IN-4): the price is told and
/// agreed before anyone is sent (R-IN-5), except for a pending quote.
fn intake_draft(
    intake: &Intake,
    caller: Caller,
    service: &Service,
    staff: Option<StaffId>,
    notes: &str,
) -> IntakeDraft {
    let (review_by, review_conclusion) = service.review.clone().unwrap_or_default();
    IntakeDraft {
        kind: Some(intake.kind),
        room: caller.room,
        resident_name: caller.name,
        phone: caller.phone,
        service: service.choice.clone(),
        details: service.details.clone(),
        appointment: intake.appointment.format("%Y-%m-%d %H:%M").to_string(),
        slack_reason: intake.slack_reason.to_string(),
        price: service.price.to_plain(),
        price_agreed: intake.fate != Fate::Pending,
        review_by,
        review_conclusion,
        urgency: intake.urgency,
        alarm_work: (intake.kind == RegisterKind::Alarm).then(|| service.alarm.unwrap_or(AlarmWork::Repair)),
        assigned_staff: staff,
        notes: notes.to_string(),
        relay_told: intake.relay_told.clone(),
    }
}

fn set_time(now: &Mutex<NaiveDateTime>, at: NaiveDateTime) {
    match now.lock() {
        Ok(mut guard) => *guard = at,
        Err(poisoned) => *poisoned.into_inner() = at,
    }
}

fn price_draft(spec: &ItemSpec, price: Money, added_on: Option<NaiveDate>) -> PriceItemDraft {
    PriceItemDraft {
        category: Some(spec.category),
        name: spec.name.to_string(),
        unit: spec.unit.to_string(),
        price: price.to_plain(),
        added_on,
        active: true,
    }
}

/// The day an item listed before the history was added.
fn listed_on(spec: &ItemSpec, first_day: NaiveDate) -> NaiveDate {
    match spec.since {
        ItemSince::Listed(days) => first_day - Duration::days(days),
        ItemSince::New(_) => first_day,
    }
}

fn register_index(kind: RegisterKind) -> usize {
    match kind {
        RegisterKind::Housekeeping => 0,
        RegisterKind::Repair => 1,
        RegisterKind::Alarm => 2,
    }
}

fn at_minute(day: NaiveDate, minute: i64) -> NaiveDateTime {
    day.and_time(NaiveTime::MIN) + Duration::minutes(minute)
}

fn minute_of_day(at: NaiveDateTime) -> i64 {
    i64::from(at.hour() * 60 + at.minute())
}

/// `at` rounded up to the next whole multiple of `step` minutes.
fn ceil_to_minutes(at: NaiveDateTime, step: i64) -> NaiveDateTime {
    let start = at_minute(at.date(), 0);
    let seconds = (at - start).num_seconds();
    let step_seconds = step * 60;
    let rounded = (seconds + step_seconds - 1) / step_seconds * step_seconds;
    start + Duration::seconds(rounded)
}

/// The first copy-order time at or after `at`, today or tomorrow.
fn next_copy_time(at: NaiveDateTime, times: &[i64]) -> NaiveDateTime {
    (0..=1)
        .flat_map(|offset| times.iter().map(move |m| at_minute(at.date() + Duration::days(offset), *m)))
        .find(|t| *t >= at)
        .unwrap_or(at)
}

/// An index drawn with the given weights; 0 when all weights are 0.
fn weighted_index(rng: &mut StdRng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    if total == 0 {
        return 0;
    }
    let mut roll = rng.gen_range(0..total);
    for (index, weight) in weights.iter().enumerate() {
        if roll < *weight {
            return index;
        }
        roll -= weight;
    }
    0
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::domain::{RequestStatus, SlaState, StepKind};
    use crate::store::RequestQuery;

    thread_local! {
        /// The day a test's demo fails on, as a full disk would make it.
        static FAIL_ON: std::cell::Cell<Option<NaiveDate>> = const { std::cell::Cell::new(None) };
        /// When it failed.
        static FAILED_AT: std::cell::Cell<Option<std::time::Instant>> = const { std::cell::Cell::new(None) };
    }

    /// The failure a test asked for on `day` ([`FAIL_ON`]).
    pub(super) fn fail_if_told(day: NaiveDate) -> Result<()> {
        match FAIL_ON.get() {
            Some(fail) if fail == day => {
                FAILED_AT.set(Some(std::time::Instant::now()));
                Err(AppError::File { path: std::path::PathBuf::from("demo"), cause: "made to fail".into() })
            }
            _ => Ok(()),
        }
    }

    fn statuses(kind: RegisterKind) -> Vec<RequestStatus> {
        RequestStatus::ALL
            .iter()
            .copied()
            .filter(|s| *s != RequestStatus::Relayed || kind == RegisterKind::Housekeeping)
            .collect()
    }

    #[test]
    fn a_month_of_demo_covers_every_state_and_keeps_the_invariants() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        // Crosses a new year: running numbers restart per register and year.
        let today = NaiveDate::from_ymd_opt(2026, 1, 12).unwrap();
        let summary = fill_demo_days(&path, 30, DemoSize::SMALL, at_minute(today, 17 * 60 + 30)).unwrap();
        assert!(summary.households >= 300, "{summary:?}");
        assert!(summary.requests >= 30 * 15, "{summary:?}");
        assert!(summary.accounts.len() >= 8, "{summary:?}");

        let mut desk = HomeDesk::open(&path).unwrap();
        let store = desk.store();
        assert_eq!(store.check_invariants().unwrap(), vec![]);
        assert_eq!(store.office().unwrap().unwrap().name, DEMO_OFFICE_NAME);
        for kind in RegisterKind::ALL.iter().copied() {
            for status in statuses(kind) {
                let q = RequestQuery { kind: Some(kind), status: Some(status), ..RequestQuery::default() };
                assert!(!store.query_request_ids(&q).unwrap().is_empty(), "no {status:?} row in {kind:?}");
            }
        }
        let user = desk.sign_in("lixm", DEMO_PASSWORD, Desk::CsCenter).unwrap();
        assert_eq!(user.name, "李晓敏");
    }

    /// The indexes and search triggers dropped while the office is built
    /// are all back, and the search index holds every row.
    #[test]
    fn a_built_demo_has_the_schema_of_a_new_database_and_a_full_search_index() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let today = NaiveDate::from_ymd_opt(2026, 5, 12).unwrap();
        fill_demo_days(&path, 10, DemoSize::SMALL, at_minute(today, 17 * 60 + 30)).unwrap();
        let fresh = crate::store::Store::open(&dir.path().join("fresh.db")).unwrap();
        let built = crate::store::Store::open(&path).unwrap();
        assert_eq!(
            built.index_and_trigger_definitions().unwrap(),
            fresh.index_and_trigger_definitions().unwrap()
        );

        let desk = HomeDesk::open(&path).unwrap();
        let store = desk.store();
        let every_row = store.query_request_ids(&RequestQuery::default()).unwrap();
        let row = store.get_request(every_row[every_row.len() / 2]).unwrap();
        let by_text = RequestQuery { text: row.no.to_string(), ..RequestQuery::default() };
        assert_eq!(store.query_request_ids(&by_text).unwrap(), vec![row.id]);
    }

    /// Issue 21 (the review of the ten-year build): a demo that fails
    /// part-way tells the history's index worker to stop (`store/aside.rs`)
    /// instead of waiting for it to index and merge what was queued, and
    /// leaves neither its partial office nor the worker's scratch file.
    #[test]
    fn a_demo_that_fails_part_way_stops_its_history_worker_and_leaves_no_scratch_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let until = at_minute(NaiveDate::from_ymd_opt(2026, 1, 12).unwrap(), 17 * 60 + 30);
        FAIL_ON.set(Some(until.date() - Duration::days(3)));
        let failed = fill_demo_days(&path, 60, DemoSize::SMALL, until);
        let returned = FAILED_AT.get().expect("the demo reached the day it fails on").elapsed();
        assert!(
            matches!(&failed, Err(AppError::File { cause, .. }) if cause == "made to fail"),
            "the demo's own failure is reported: {failed:?}"
        );
        let scratch = dir.path().join("demo.demo-partial.history-index");
        assert!(crate::store::stopped_before_merging(&scratch), "the worker was stopped, not waited for");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(left.is_empty(), "no partial office and no scratch file: {left:?}");
        // Not a measure (50–80 ms stopped, 100–200 ms waited for, in a
        // debug build at load 11): a worker left running would hang here.
        assert!(returned < std::time::Duration::from_secs(5), "returned {returned:?} after the failure");
    }

    /// Issue 23: the history's search indexes built on a worker thread as
    /// the office is built hold exactly what the refill at the end put
    /// there, and every other row is the same.
    #[test]
    fn the_history_index_built_aside_is_the_refills() {
        let dir = tempfile::tempdir().unwrap();
        let until = at_minute(NaiveDate::from_ymd_opt(2026, 1, 12).unwrap(), 17 * 60 + 30);
        let (aside, refilled) = (dir.path().join("aside.db"), dir.path().join("refilled.db"));
        fill_at(&aside, 30, DemoSize::SMALL, until, HistoryIndexing::Aside).unwrap();
        fill_at(&refilled, 30, DemoSize::SMALL, until, HistoryIndexing::Refill).unwrap();
        assert!(!dir.path().join("aside.db.history-index").exists(), "the scratch file is removed");
        let (aside, refilled) = (crate::store::every_row_of(&aside), crate::store::every_row_of(&refilled));
        assert_eq!(aside.len(), refilled.len());
        for ((table, rows), (_, expected)) in aside.iter().zip(&refilled) {
            assert!(!expected.is_empty() || !table.starts_with("temp."), "{table} is empty");
            assert!(rows == expected, "{table}: {} rows against {}", rows.len(), expected.len());
        }
        let desk = HomeDesk::open(&dir.path().join("aside.db")).unwrap();
        assert_eq!(desk.store().check_invariants().unwrap(), vec![]);
    }

    #[test]
    fn r_dsp_4_a_month_of_demo_has_new_agreements_and_their_coming_visits() {
        use crate::domain::AgreementStatus;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let until = at_minute(NaiveDate::from_ymd_opt(2026, 3, 18).unwrap(), 17 * 60 + 30);
        let summary = fill_demo_days(&path, 30, DemoSize::SMALL, until).unwrap();
        let desk = HomeDesk::open(&path).unwrap();
        let agreements = desk.agreements(&crate::store::AgreementQuery::default()).unwrap();
        assert_eq!(summary.agreements, agreements.len());
        let statuses: BTreeSet<&str> = agreements.iter().map(|a| a.status.code()).collect();
        assert_eq!(statuses, BTreeSet::from(["draft", "signed"]), "{agreements:?}");
        let signed = agreements.iter().find(|a| a.status == AgreementStatus::Signed).unwrap();
        assert!(signed.term_start > until.date(), "its term begins after now");
        let visits = desk.agreement_visits(signed.id).unwrap();
        assert!(!visits.is_empty());
        assert!(visits.iter().all(|v| v.appointment > until && v.status == RequestStatus::Registered));
        let first = signed.staff.first().map(|(id, _)| *id);
        assert!(visits.iter().all(|v| v.assigned_staff.as_ref().map(|s| s.0) == first));
        assert_eq!(desk.store().check_invariants().unwrap(), vec![]);
    }

    /// Every kind of step each row took, over the whole demo.
    fn step_kinds(store: &crate::store::Store) -> BTreeSet<StepKind> {
        let ids = store.query_request_ids(&RequestQuery::default()).unwrap();
        ids.iter().flat_map(|id| store.job_steps(*id).unwrap()).map(|step| step.kind).collect()
    }

    #[test]
    fn a_month_of_demo_takes_every_step_and_routine_through_the_use_cases() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let today = NaiveDate::from_ymd_opt(2026, 1, 12).unwrap();
        let until = at_minute(today, 17 * 60 + 30);
        fill_demo_days(&path, 30, DemoSize::SMALL, until).unwrap();
        let desk = HomeDesk::open_with_clock(&path, Arc::new(move || until)).unwrap();
        let store = desk.store();

        let taken = step_kinds(store);
        // A handful of jobs a month are given back (Return): too few to count on.
        let missing: Vec<StepKind> = StepKind::ALL
            .iter()
            .copied()
            .filter(|kind| *kind != StepKind::Return && !taken.contains(kind))
            .collect();
        assert_eq!(missing, vec![], "step kinds the demo never took");
        let first_day = today - Duration::days(29);
        let slips = store.list_slips(first_day, today).unwrap();
        assert!(slips.iter().any(|slip| slip.stub_returned.is_some()), "{slips:?}");
        assert!(slips.iter().all(|slip| slip.request.is_some()), "every slip was issued for its job");
        assert!(!store.list_cash_receipts(first_day, today).unwrap().is_empty());
        assert!(!store.list_hazards(first_day, today).unwrap().is_empty());
        let yesterday = today - Duration::days(1);
        let handover = store.get_repair_handover(yesterday).unwrap().unwrap();
        assert!(handover.rows > 0, "{handover:?}");
        assert!(!store.list_day_reviews(yesterday).unwrap().is_empty());
        let open = desk.day_review(Desk::CsCenter, yesterday).unwrap();
        assert!(open.unanswered().count() > 0, "the newest days keep some rows to answer");
    }

    #[test]
    fn r_sh_1_6_a_month_of_demo_shopping_stands_in_every_state_with_its_fei_dan() {
        use crate::domain::{Concern, ShoppingState};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let until = at_minute(NaiveDate::from_ymd_opt(2026, 2, 20).unwrap(), 17 * 60 + 30);
        let summary = fill_demo_days(&path, 30, DemoSize::SMALL, until).unwrap();
        let desk = HomeDesk::open_with_clock(&path, Arc::new(move || until)).unwrap();
        assert_eq!(desk.store().check_invariants().unwrap(), vec![]);

        let entries = desk.shopping(&crate::store::ShoppingQuery::default()).unwrap();
        assert_eq!(summary.shopping, entries.len());
        assert!(
            (10..=30).contains(&entries.len()),
            "two to four a week and the ones near now: {}",
            entries.len()
        );
        let mut numbers: Vec<i64> = entries.iter().map(|e| e.no).collect();
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=entries.len() as i64).collect::<Vec<i64>>(), "R-SH-6: continuous");
        let states: BTreeSet<ShoppingState> = entries.iter().map(|e| e.state).collect();
        assert_eq!(states, ShoppingState::ALL.iter().copied().collect(), "{entries:?}");
        for entry in &entries {
            assert!(entry.deadline > entry.taken_at.date() && entry.taken_at <= until, "{entry:?}");
            if let Some(purchase) = &entry.purchase {
                assert!(purchase.invoice_no.starts_with("FP") && !purchase.buyer.is_empty(), "{entry:?}");
                let (actual, expected) = (purchase.actual.fen(), entry.expected_total.fen());
                assert!(
                    (actual - expected).abs() * 100 <= expected * 4,
                    "R-SH-2: close to the total: {entry:?}"
                );
            }
            if entry.state == ShoppingState::Settled {
                let delivered = entry.delivered_on.unwrap();
                assert!(delivered <= entry.deadline, "R-SH-3: delivered in time: {entry:?}");
                assert!(entry.settled_at.unwrap().date() <= delivered + Duration::days(7), "{entry:?}");
            }
            match entry.state {
                ShoppingState::NotBought => assert!(entry.not_bought.is_some(), "R-SH-4: {entry:?}"),
                ShoppingState::Void => assert!(entry.void.is_some(), "R-SH-6: {entry:?}"),
                _ => {}
            }
        }

        let followups = desk.shopping_followups(false).unwrap();
        let open = |concern: Concern| followups.iter().filter(|f| f.concern == concern).count();
        assert_eq!(open(Concern::Missing), 0, "{followups:?}");
        assert_eq!(open(Concern::OpenPastDeadline), 2, "{followups:?}");
        assert_eq!(open(Concern::NotDelivered), 1, "{followups:?}");
        assert_eq!(open(Concern::NotSettled), 1, "{followups:?}");
        let investigated: Vec<Concern> =
            followups.iter().filter(|f| f.investigation.is_some()).map(|f| f.concern).collect();
        assert_eq!(investigated, [Concern::NotSettled], "{followups:?}");
    }

    #[test]
    fn r_rv_2_early_on_the_1st_the_newest_plan_is_the_month_before_last_with_every_reason() {
        use crate::domain::RevisitReason;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        // Before 09:30 on the 1st, February's plan is not drawn yet.
        let until = at_minute(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(), 8 * 60 + 50);
        fill_demo_days(&path, 75, DemoSize::SMALL, until).unwrap();
        let desk = HomeDesk::open_with_clock(&path, Arc::new(move || until)).unwrap();
        assert_eq!(desk.store().check_invariants().unwrap(), vec![]);
        assert_eq!(desk.revisit_plan("2026-02").unwrap(), None);
        let plan = desk.revisit_plan("2026-01").unwrap().unwrap();
        for reason in RevisitReason::ALL {
            assert!(plan.rows.iter().any(|r| r.reasons.contains(reason)), "no {reason:?}: {:?}", plan.rows);
        }
        let sampled = plan.rows.iter().filter(|r| r.reasons.contains(&RevisitReason::Sample)).count();
        assert!(sampled >= crate::domain::sample_size(plan.households_served));
        let (done, to_do, unreachable) = plan.progress();
        assert!(done > 0 && to_do > 0 && unreachable > 0, "{:?}", plan.progress());
        assert!(plan.rows.iter().filter_map(|r| r.revisit.as_ref()).all(|v| v.at <= until));
        let complaints = desk.complaints().unwrap();
        assert!(complaints.iter().any(|c| c.closed.is_none()), "{complaints:?}");
        assert!(complaints.iter().any(|c| c.closed.is_some()), "{complaints:?}");
        assert!(
            complaints.iter().all(|c| c.closed.as_ref().is_none_or(|(_, at)| *at > c.at && *at <= until))
        );
        assert!(desk.quality_check("2025-Q4").unwrap().is_some_and(|check| !check.rows.is_empty()));
    }

    #[test]
    fn r_sla_1_the_demo_leaves_repairs_close_to_and_past_their_deadline() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let until = at_minute(NaiveDate::from_ymd_opt(2026, 5, 20).unwrap(), 16 * 60);
        fill_demo_days(&path, 8, DemoSize::SMALL, until).unwrap();
        let desk = HomeDesk::open_with_clock(&path, Arc::new(move || until)).unwrap();
        let board = desk.board(Desk::ControlCenter, until.date()).unwrap();
        let states: Vec<SlaState> =
            board.rows.iter().filter_map(|row| row.sla.map(|sla| sla.state)).collect();
        assert!(states.iter().any(|s| matches!(s, SlaState::DueSoon { .. })), "{states:?}");
        assert!(states.iter().any(|s| matches!(s, SlaState::Breached { .. })), "{states:?}");
    }

    #[test]
    fn an_early_morning_demo_stamps_nothing_after_its_now() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let until = at_minute(NaiveDate::from_ymd_opt(2026, 4, 8).unwrap(), 7 * 60 + 5);
        fill_demo_days(&path, 5, DemoSize::SMALL, until).unwrap();
        let desk = HomeDesk::open(&path).unwrap();
        let store = desk.store();
        assert_eq!(store.check_invariants().unwrap(), vec![]);
        let q = RequestQuery {
            sort: crate::store::SortColumn::ReceivedAt,
            descending: true,
            ..RequestQuery::default()
        };
        let newest = store.get_requests(&store.query_request_ids(&q).unwrap()[..1]).unwrap();
        assert!(newest[0].received_at <= until, "{:?}", newest[0].received_at);
        let history = store.history_of(crate::domain::Entity::Request, newest[0].id).unwrap();
        assert!(history.iter().all(|h| h.at <= until));
    }

    #[test]
    fn r_fee_1_demo_fees_are_collected_by_the_right_people() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let today = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        fill_demo_days(&path, 10, DemoSize::SMALL, at_minute(today, 17 * 60 + 30)).unwrap();
        let desk = HomeDesk::open(&path).unwrap();
        let store = desk.store();
        let ranks: HashMap<String, Rank> =
            store.list_staff().unwrap().into_iter().map(|s| (s.name, s.rank)).collect();
        let q = RequestQuery { status: Some(RequestStatus::Settled), ..RequestQuery::default() };
        let settled = store.get_requests(&store.query_request_ids(&q).unwrap()).unwrap();
        assert!(!settled.is_empty());
        for row in settled {
            if row.price.is_some_and(Money::is_zero) {
                assert_eq!(row.collected, None, "nothing to collect: {row:?}");
                continue;
            }
            let (amount, by) = row.collected.clone().unwrap();
            assert_eq!(Some(amount), row.price, "{row:?}");
            assert!(row.signed_off.is_some() && row.settled_at.is_some(), "{row:?}");
            if amount.fen() >= 10_000 {
                assert!(ranks[&by].is_supervisor_or_above(), "{row:?}");
            } else {
                assert_eq!(Some(&by), row.assigned_staff.as_ref().map(|(_, n)| n), "{row:?}");
            }
        }
        assert!(matches!(
            fill_demo_days(&path, 10, DemoSize::SMALL, at_minute(today, 17 * 60 + 30)),
            Err(AppError::AlreadySetUp)
        ));
    }
}
