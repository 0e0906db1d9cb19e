//! Shared set-up for the integration tests: temp databases, a pinned clock,
//! one set-up office (hashed once per test binary, copied per test),
//! complete intake drafts, and printed PDFs read back (`pdf`). Helpers only:
//! no assertions about behaviour.

// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{Duration, NaiveDateTime};
use homedesk::app::{Clock, HomeDesk};
use homedesk::domain::{
    AgreementDraft, AlarmWork, Category, Desk, Group, IntakeDraft, PriceBasis, PriceItemDraft, PriceItemId,
    Rank, RegisterKind, ServiceChoice, StaffDraft, StaffId, Urgency, User,
};
use tempfile::TempDir;

pub mod backends;
pub mod pdf;

pub const OFFICE_NAME: &str = "翠苑管理处";
pub const MANAGER_LOGIN: &str = "boss";
pub const MANAGER_PASSWORD: &str = "secret-123";

/// The fixed "now" of every test: Monday 2026-03-02 10:00:00.
pub fn now() -> NaiveDateTime {
    at("2026-03-02 10:00")
}

/// `2026-03-02 10:00` as a time; a typo in a test is a panic.
pub fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// An appointment as a clerk types it.
pub fn appointment_text(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

pub fn fixed_clock(at: NaiveDateTime) -> Clock {
    Arc::new(move || at)
}

/// A clock a test moves by hand (e.g. across New Year).
#[derive(Clone)]
pub struct TestClock(Arc<Mutex<NaiveDateTime>>);

impl TestClock {
    pub fn new(at: NaiveDateTime) -> TestClock {
        TestClock(Arc::new(Mutex::new(at)))
    }

    pub fn set(&self, at: NaiveDateTime) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = at;
    }

    pub fn clock(&self) -> Clock {
        let inner = Arc::clone(&self.0);
        Arc::new(move || *inner.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// A temp dir holding one database path; removed when dropped.
pub struct TestDb {
    pub dir: TempDir,
    pub path: PathBuf,
}

pub fn temp_db() -> TestDb {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let path = dir.path().join("homedesk.db");
    TestDb { dir, path }
}

pub fn open_at(path: &Path, clock: Clock) -> HomeDesk {
    HomeDesk::open_with_clock(path, clock).unwrap_or_else(|e| panic!("open {}: {e}", path.display()))
}

/// One price-list item per category, each listed at ¥100.00.
#[derive(Debug, Clone, Copy)]
pub struct Prices {
    pub cleaning: PriceItemId,
    pub greening: PriceItemId,
    pub repair: PriceItemId,
    pub alarm: PriceItemId,
}

impl Prices {
    /// The item a complete draft of `kind` names.
    pub fn for_kind(&self, kind: RegisterKind) -> PriceItemId {
        match kind {
            RegisterKind::Housekeeping => self.cleaning,
            RegisterKind::Repair => self.repair,
            RegisterKind::Alarm => self.alarm,
        }
    }
}

pub const LIST_PRICE: &str = "100";

/// The set-up office: the first manager, one clerk per desk (users without a
/// password: tests act as them directly), one provider per group (R-DESK-4).
#[derive(Debug, Clone)]
pub struct Office {
    pub manager: User,
    pub cs_clerk: User,
    pub control_clerk: User,
    pub housekeeper: StaffId,
    pub repairer: StaffId,
    pub engineer: StaffId,
    pub prices: Prices,
}

impl Office {
    /// The clerk at `desk`.
    pub fn clerk(&self, desk: Desk) -> &User {
        match desk {
            Desk::CsCenter => &self.cs_clerk,
            Desk::ControlCenter => &self.control_clerk,
        }
    }

    /// The staff member of the group that does `kind` work (R-DESK-4).
    pub fn provider(&self, kind: RegisterKind) -> StaffId {
        match kind {
            RegisterKind::Housekeeping => self.housekeeper,
            RegisterKind::Repair => self.repairer,
            RegisterKind::Alarm => self.engineer,
        }
    }
}

pub const OFFICE_PHONE: &str = "0571-88886666";

/// The office as the first start names it: with its service phone (R-FU-3).
pub fn office_settings() -> homedesk::domain::OfficeSettings {
    homedesk::domain::OfficeSettings {
        name: OFFICE_NAME.into(),
        phone: OFFICE_PHONE.into(),
        ..homedesk::domain::OfficeSettings::default()
    }
}

/// Names the office and fills it through the app, as a manager would.
pub fn set_up_office(desk: &mut HomeDesk) -> Office {
    let manager = desk
        .set_up_new_office(&office_settings(), "王经理", MANAGER_LOGIN, MANAGER_PASSWORD)
        .unwrap_or_else(|e| panic!("set up office: {e}"));
    let mut add_staff = |name: &str, group: Group, login: &str| {
        let draft = StaffDraft {
            name: name.into(),
            group: Some(group),
            rank: Some(Rank::Staff),
            active: true,
            phone: "13800000000".into(),
            login: login.into(),
            ..StaffDraft::default()
        };
        desk.save_staff(&manager, None, &draft, "").unwrap_or_else(|e| panic!("add {name}: {e}"))
    };
    let cs_id = add_staff("陈客服", Group::CsCenter, "cs1");
    let control_id = add_staff("赵值班", Group::ControlCenter, "ctl1");
    let housekeeper = add_staff("孙保洁", Group::Housekeeping, "");
    let repairer = add_staff("李师傅", Group::PublicRepair, "");
    let engineer = add_staff("周工", Group::Engineering, "");

    let mut add_price = |category: Category, name: &str| {
        let draft = PriceItemDraft {
            category: Some(category),
            name: name.into(),
            unit: "次".into(),
            price: LIST_PRICE.into(),
            added_on: None,
            active: true,
        };
        desk.save_price_item(&manager, None, &draft, "").unwrap_or_else(|e| panic!("add price {name}: {e}"))
    };
    let prices = Prices {
        cleaning: add_price(Category::Cleaning, "厨房保洁"),
        greening: add_price(Category::Greening, "阳台绿化养护"),
        repair: add_price(Category::Repair, "更换水龙头"),
        alarm: add_price(Category::Alarm, "报警器开通"),
    };
    let user = |staff_id, name: &str, desk| User { staff_id, name: name.into(), rank: Rank::Staff, desk };
    Office {
        cs_clerk: user(cs_id, "陈客服", Desk::CsCenter),
        control_clerk: user(control_id, "赵值班", Desk::ControlCenter),
        manager,
        housekeeper,
        repairer,
        engineer,
        prices,
    }
}

/// A set-up office database, built once per test binary (one password hash)
/// and kept as bytes, so that each test gets its own copy cheaply.
fn template() -> &'static (Vec<u8>, Office) {
    static TEMPLATE: OnceLock<(Vec<u8>, Office)> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let db = temp_db();
        let office = {
            let mut desk = open_at(&db.path, fixed_clock(now()));
            set_up_office(&mut desk)
        }; // closing the only connection checkpoints the WAL into the file
        let bytes = std::fs::read(&db.path).unwrap_or_else(|e| panic!("read template: {e}"));
        (bytes, office)
    })
}

/// A fresh copy of the set-up office in its own temp dir.
pub fn office_db() -> (TestDb, Office) {
    let (bytes, office) = template();
    let db = temp_db();
    std::fs::write(&db.path, bytes).unwrap_or_else(|e| panic!("write db copy: {e}"));
    (db, office.clone())
}

/// A fresh copy of the set-up office, opened with the fixed clock [`now`].
pub fn office_desk() -> (TestDb, HomeDesk, Office) {
    let (db, office) = office_db();
    let desk = open_at(&db.path, fixed_clock(now()));
    (db, desk, office)
}

/// A complete draft of `kind` naming its listed item at the list price,
/// agreed, with no staff yet; the appointment is a day after [`now`].
pub fn draft(office: &Office, kind: RegisterKind) -> IntakeDraft {
    draft_at(office, kind, now())
}

/// Same, with the appointment a day after `now`.
pub fn draft_at(office: &Office, kind: RegisterKind, now: NaiveDateTime) -> IntakeDraft {
    draft_for_item(kind, office.prices.for_kind(kind), now)
}

/// A complete draft of `kind` naming price-list item `item` (listed at ¥100.00).
pub fn draft_for_item(kind: RegisterKind, item: PriceItemId, now: NaiveDateTime) -> IntakeDraft {
    IntakeDraft {
        kind: Some(kind),
        room: "3-2-201".into(),
        resident_name: "张阿姨".into(),
        phone: "13912345678".into(),
        service: ServiceChoice::Listed(item),
        details: "上门前先电话".into(),
        appointment: appointment_text(now + Duration::days(1)),
        price: LIST_PRICE.into(),
        price_agreed: true,
        urgency: (kind == RegisterKind::Repair).then_some(Urgency::Small),
        alarm_work: (kind == RegisterKind::Alarm).then_some(AlarmWork::Open),
        ..IntakeDraft::default()
    }
}

/// An agreement for cleaning at `room` on Monday, Wednesday and Friday,
/// 09:00–11:00, for the term `start ..= end`, ¥100 a visit.
pub fn agreement_draft(office: &Office, room: &str, start: &str, end: &str) -> AgreementDraft {
    AgreementDraft {
        room: room.into(),
        resident_name: "王奶奶".into(),
        phone: "13800138000".into(),
        service: ServiceChoice::Listed(office.prices.cleaning),
        details: "全屋保洁，每周三次".into(),
        persons_served: "王奶奶（独居，行动不便）".into(),
        requirements: "进门换鞋套".into(),
        staff: vec![office.housekeeper],
        weekly: true,
        days: vec![1, 3, 5],
        start: "09:00".into(),
        end: "11:00".into(),
        term_start: start.into(),
        term_end: end.into(),
        price: "100".into(),
        basis: Some(PriceBasis::PerVisit),
        payment_terms: "每月5日前以现金支付上月费用".into(),
        ..AgreementDraft::default()
    }
}

pub fn housekeeping_draft(office: &Office) -> IntakeDraft {
    draft(office, RegisterKind::Housekeeping)
}

pub fn repair_draft(office: &Office) -> IntakeDraft {
    draft(office, RegisterKind::Repair)
}

pub fn alarm_draft(office: &Office) -> IntakeDraft {
    draft(office, RegisterKind::Alarm)
}

/// An emergency repair as the CS center relays it (R-DESK-3).
pub fn emergency_relay_draft(office: &Office) -> IntakeDraft {
    IntakeDraft {
        urgency: Some(Urgency::Emergency),
        relay_told: "控制中心 赵值班".into(),
        details: "厨房水管爆裂".into(),
        ..repair_draft(office)
    }
}

/// A plain SQLite connection to the file, for set-up and checks the API
/// does not offer (older schemas, counts, `PRAGMA user_version`).
/// The file opened without HomeDesk, with the one SQL function its schema
/// calls: the search-index triggers (schema 15) cut rows into terms.
pub fn raw(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap_or_else(|e| panic!("raw open: {e}"));
    homedesk::store::register_terms_function(&conn).unwrap_or_else(|e| panic!("raw search_terms: {e}"));
    conn
}

pub fn count(path: &Path, table: &str) -> i64 {
    raw(path)
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("count {table}: {e}"))
}

/// Every table a register write touches.
pub const WRITE_TABLES: [&str; 6] =
    ["requests", "households", "residents", "history", "running_numbers", "refusals"];

/// Row counts of every table a register write touches.
pub fn write_counts(path: &Path) -> [(&'static str, i64); 6] {
    WRITE_TABLES.map(|table| (table, count(path, table)))
}

/// A finance clerk (R-FEE-2, R-FEE-3), added by the manager.
pub fn finance_clerk(desk: &mut HomeDesk, manager: &User) -> User {
    let draft = StaffDraft {
        name: "孙会计".into(),
        group: Some(Group::Finance),
        rank: Some(Rank::Staff),
        active: true,
        ..StaffDraft::default()
    };
    let id = desk.save_staff(manager, None, &draft, "").unwrap_or_else(|e| panic!("{e}"));
    User { staff_id: id, name: "孙会计".into(), rank: Rank::Staff, desk: manager.desk }
}

/// A housekeeping job for `room` taken at `day` 09:00 and finished at 10:40.
pub fn finished_job(desk: &mut HomeDesk, office: &Office, clock: &TestClock, day: &str, room: &str) -> i64 {
    clock.set(at(&format!("{day} 09:00")));
    let mut draft = housekeeping_draft(office);
    draft.room = room.into();
    draft.appointment = format!("{day} 10:00");
    let cs = office.cs_clerk.clone();
    let row = desk.register_request(&cs, &draft).unwrap_or_else(|e| panic!("{e:?}"));
    desk.take_step(
        &cs,
        row.id,
        &homedesk::app::StepInput::Dispatch { staff: office.housekeeper, round: None, copier: None },
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    clock.set(at(&format!("{day} 11:00")));
    let record = homedesk::domain::ServiceRecord {
        arrived_at: at(&format!("{day} 10:00")),
        finished_at: at(&format!("{day} 10:40")),
        work_done: "保洁".into(),
        resident_signed: true,
        opinion: Some(homedesk::domain::Opinion::Satisfied),
        comment: String::new(),
    };
    desk.take_step(&cs, row.id, &homedesk::app::StepInput::Done { record })
        .unwrap_or_else(|e| panic!("{e:?}"));
    row.id
}

/// Two bags of rice for an elderly resident: a shopping-log form that passes R-SH-1.
pub fn shopping_draft() -> homedesk::domain::ShoppingDraft {
    homedesk::domain::ShoppingDraft {
        room: "3-2-201".into(),
        resident_name: "王奶奶".into(),
        item: "大米".into(),
        brand: "五常".into(),
        kind: "粮油".into(),
        quantity: "2".into(),
        unit: "袋".into(),
        spec: "10kg".into(),
        unit_price: "89.50".into(),
        deadline: "2026-03-04".into(),
    }
}

/// The real binary on `db` with `args`, `stdin` written to it (a command
/// that stops before reading it is no failure), its output collected.
pub fn homedesk(db: impl AsRef<std::ffi::OsStr>, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_homedesk"))
        .arg("--db")
        .arg(db.as_ref())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start homedesk: {e}"));
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin.as_bytes());
    }
    child.wait_with_output().unwrap_or_else(|e| panic!("run homedesk: {e}"))
}

/// A command's output as text (its bytes read as UTF-8, lossily).
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs the binary on `db` with `args`, a command that must succeed; its
/// standard output.
pub fn run_ok(db: &str, args: &[&str]) -> String {
    let output = homedesk(db, args, "");
    assert!(output.status.success(), "{args:?} on {db}: {}{}", text(&output.stdout), text(&output.stderr));
    text(&output.stdout)
}
