//! Bad input (issue 9 item 6): every parser of what a clerk types — money,
//! room numbers, phones, dates and times, running and agreement numbers, the
//! intake, shopping and agreement forms as a whole — is fed thousands of
//! arbitrary texts (control characters, emoji, right-to-left scripts,
//! full-width and Arabic-Indic digits, very long runs) and must not panic;
//! every refusal has a Chinese sentence for the clerk, and every accepted
//! value reads back the same after formatting. Then odd but legal text is
//! stored and shown intact.
//!
//! The inputs come from a fixed-seed generator (no proptest: one small
//! generator beats another dependency tree to build on CI), so a failure
//! names the exact input and repeats on every run.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};

use chrono::{Datelike, NaiveDate, NaiveTime};
use homedesk::app::AppError;
use homedesk::domain::{
    AgreementContext, AgreementDraft, AgreementNo, Category, Desk, Group, IntakeContext, IntakeDraft, Money,
    PriceBasis, PriceItem, Rank, RegisterKind, RoomNo, RunningNo, ServiceChoice, ShoppingDraft, Staff,
    Urgency, is_valid_phone, mask_phone, parse_date, parse_date_time, validate_agreement, validate_intake,
    validate_shopping,
};
use homedesk::i18n::t;
use homedesk::print::PhoneDisplay;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

/// Arbitrary texts per parser.
const CASES: usize = 4_000;

/// Pieces texts are made of: what a parser looks for, and what breaks naive code.
const PIECES: &[&str] = &[
    "0",
    "1",
    "2",
    "5",
    "9",
    "00",
    "12",
    "59",
    "60",
    "99",
    "2026",
    "1999",
    "0000",
    "99999999999999999999",
    ".",
    "..",
    ",",
    "，",
    "-",
    "－",
    "+",
    "/",
    ":",
    "：",
    " ",
    "  ",
    "¥",
    "￥",
    "元",
    "栋",
    "单元",
    "室",
    "e",
    "E",
    "x",
    "N",
    "JZ",
    "BX",
    "jz",
    "HT",
    "\0",
    "\t",
    "\n",
    "\r\n",
    "\u{7f}",
    "\u{1b}[0m",
    "\u{200d}",
    "\u{202e}",
    "\u{feff}",
    "\u{3000}",
    "👩\u{200d}🔧",
    "🏠",
    "中文",
    "English",
    "العربية",
    "١٢٣",
    "１２３",
    "é",
    "e\u{301}",
    "ß",
    "İ",
    "\u{10ffff}",
    "\u{fffd}",
];

/// Texts a parser accepts, to be mutated: the generator also lands near them.
const VALID: &[&str] = &[
    "120",
    "¥1,280.00",
    "￥ 80",
    "1，280元",
    "0.5",
    "3-2-201",
    "3栋2单元201",
    "12栋1502室",
    "12-1502",
    "13912345678",
    "+86 139-1234-5678",
    "2026-03-04",
    "2026/3/4",
    "2026-03-03 14:30",
    "03-03 14:30",
    "14:30",
    "14：30",
    "JZ-2026-000123",
    "HT-2026-0001",
    "+12026-03-04",
    "-2026-03-04 10:00",
];

/// A fixed-seed source of hostile texts.
struct Texts(StdRng);

impl Texts {
    fn new(seed: u64) -> Texts {
        Texts(StdRng::seed_from_u64(seed))
    }

    fn piece(&mut self) -> String {
        match self.0.gen_range(0..10) {
            0 => char::from_u32(self.0.gen_range(0..0x11_0000)).map(String::from).unwrap_or_default(),
            1 => char::from(self.0.gen_range(0u8..0x80)).to_string(),
            _ => PIECES.choose(&mut self.0).copied().unwrap_or_default().to_string(),
        }
    }

    /// Pieces glued together, a mutated valid text, or now and then a very long run.
    fn next(&mut self) -> String {
        match self.0.gen_range(0..20) {
            0 => self.piece().repeat(self.0.gen_range(1_000..12_000)),
            1..=7 => self.mutated(),
            _ => (0..self.0.gen_range(0..8)).map(|_| self.piece()).collect(),
        }
    }

    fn mutated(&mut self) -> String {
        let mut chars: Vec<String> =
            VALID.choose(&mut self.0).copied().unwrap_or_default().chars().map(String::from).collect();
        for _ in 0..self.0.gen_range(0..3) {
            let at = self.0.gen_range(0..=chars.len());
            match self.0.gen_range(0..3) {
                0 => chars.insert(at, self.piece()),
                1 if at < chars.len() => {
                    chars.remove(at);
                }
                _ if at < chars.len() => chars[at] = self.piece(),
                _ => {}
            }
        }
        chars.concat()
    }

    /// Half the time a valid text, else a hostile one: whole forms get past
    /// their first field now and then.
    fn field(&mut self, valid: &str) -> String {
        if self.0.gen_bool(0.5) { valid.to_string() } else { self.next() }
    }
}

/// Runs `check` on `CASES` texts; a panic names the text that caused it.
fn for_each_text(seed: u64, mut check: impl FnMut(&str)) {
    let mut texts = Texts::new(seed);
    let valid = VALID.iter().map(|s| s.to_string());
    let hostile = std::iter::repeat_with(|| texts.next()).take(CASES).collect::<Vec<_>>();
    for text in valid.chain(hostile) {
        if let Err(cause) = catch_unwind(AssertUnwindSafe(|| check(&text))) {
            let shown: String = text.chars().take(200).collect();
            eprintln!("the input that failed: {shown:?}");
            std::panic::resume_unwind(cause);
        }
    }
}

fn panic_text(cause: &Box<dyn std::any::Any + Send>) -> String {
    cause
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| cause.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

fn assert_worded(message: &str, what: &str) {
    assert!(!message.trim().is_empty(), "{what}: no words for the clerk");
    assert!(
        message.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{what}: {message:?} is not in Chinese"
    );
}

fn today() -> NaiveDate {
    common::now().date()
}

#[test]
fn money_text_never_panics_and_reads_back() {
    for_each_text(1, |text| match Money::parse(text) {
        Ok(money) => {
            assert_eq!(Money::parse(&money.to_string()), Ok(money), "display of {money:?}");
            assert_eq!(Money::parse(&money.to_plain()), Ok(money), "plain of {money:?}");
            assert!(!money.to_chinese_capital().is_empty());
        }
        Err(e) => assert_worded(t().money_error(&e), "money"),
    });
}

#[test]
fn room_numbers_never_panic_and_normalise_once() {
    for_each_text(2, |text| match RoomNo::parse(text) {
        Ok(room) => {
            assert_eq!(RoomNo::parse(room.as_str()), Ok(room.clone()), "normalised twice");
            let _ = room.sort_key();
        }
        Err(_) => assert_worded(&t().app_error(&AppError::BadRoom), "room"),
    });
}

#[test]
fn phones_never_panic_and_mask_to_stars_and_digits() {
    for_each_text(3, |text| {
        let masked = mask_phone(text);
        assert!(masked.chars().all(|c| c == '*' || c.is_ascii_digit()), "{masked:?}");
        if !is_valid_phone(text.trim()) {
            assert_worded(&t().intake_error(&homedesk::domain::IntakeError::BadPhone), "phone");
        }
    });
}

#[test]
fn dates_and_times_never_panic_and_read_back() {
    for_each_text(4, |text| {
        if let Some(day) = parse_date(text) {
            assert!((1000..=9999).contains(&day.year()), "{day}: years are typed with four digits");
            assert_eq!(parse_date(&day.format("%Y-%m-%d").to_string()), Some(day), "date {day}");
        }
        if let Some(at) = parse_date_time(text, today()) {
            assert!((1000..=9999).contains(&at.year()), "{at}: years are typed with four digits");
            let shown = common::appointment_text(at);
            assert_eq!(parse_date_time(&shown, today()), Some(at.with_second0()), "time {at}");
        }
    });
    assert_worded(&t().intake_error(&homedesk::domain::IntakeError::BadAppointment), "appointment");
}

/// Seconds dropped: what a clerk types and sees is to the minute.
trait ToMinute {
    fn with_second0(self) -> Self;
}

impl ToMinute for chrono::NaiveDateTime {
    fn with_second0(self) -> Self {
        use chrono::Timelike;
        self.with_second(0).unwrap_or(self)
    }
}

#[test]
fn register_and_agreement_numbers_never_panic_and_read_back() {
    for_each_text(5, |text| {
        if let Some(no) = RunningNo::parse(text) {
            assert_eq!(RunningNo::parse(&no.to_string()), Some(no));
        }
        if let Some(no) = AgreementNo::parse(text) {
            assert_eq!(AgreementNo::parse(&no.to_string()), Some(no));
        }
    });
}

fn listed_item() -> PriceItem {
    PriceItem {
        id: 1,
        category: Category::Cleaning,
        name: "厨房保洁".into(),
        unit: "次".into(),
        price: Money::from_yuan(100).unwrap_or_default(),
        added_on: today(),
        active: true,
    }
}

fn housekeeper() -> Staff {
    Staff {
        id: 7,
        name: "孙保洁".into(),
        group: Group::Housekeeping,
        rank: Rank::Staff,
        active: true,
        first_job_on: None,
        phone: "13800000000".into(),
        login: None,
    }
}

#[test]
fn intake_drafts_never_panic_and_every_refusal_is_worded() {
    let item = listed_item();
    let staff = housekeeper();
    let mut texts = Texts::new(6);
    let mut accepted = 0;
    for case in 0..CASES {
        let draft = IntakeDraft {
            kind: Some(RegisterKind::Housekeeping),
            room: texts.field("3-2-201"),
            resident_name: texts.field("张阿姨"),
            phone: texts.field("13912345678"),
            service: if case % 5 == 0 {
                ServiceChoice::Unlisted(texts.field("擦玻璃"))
            } else {
                ServiceChoice::Listed(item.id)
            },
            details: texts.field("上门前先电话"),
            appointment: texts.field("2026-03-03 14:30"),
            slack_reason: texts.field(""),
            price: texts.field("100"),
            price_agreed: case % 3 != 0,
            review_by: texts.field("王经理"),
            review_conclusion: texts.field("同意"),
            urgency: (case % 7 == 0).then_some(Urgency::Small),
            assigned_staff: (case % 4 == 0).then_some(staff.id),
            notes: texts.field(""),
            ..IntakeDraft::default()
        };
        let ctx = IntakeContext {
            now: common::now(),
            desk: Desk::CsCenter,
            listed_item: Some(&item),
            assigned: draft.assigned_staff.map(|_| &staff),
        };
        let shown: String = format!("{draft:?}").chars().take(300).collect();
        let result = catch_unwind(AssertUnwindSafe(|| validate_intake(&draft, &ctx)))
            .unwrap_or_else(|cause| panic!("{shown}: {}", panic_text(&cause)));
        match result {
            Ok(valid) => {
                accepted += 1;
                assert_eq!(valid.room, RoomNo::parse(&draft.room).unwrap_or_else(|_| panic!("{shown}")));
            }
            Err(errors) => {
                assert!(!errors.is_empty(), "refused without a reason: {shown}");
                for e in &errors {
                    assert_worded(t().field(e.field), "intake field");
                    assert_worded(&t().intake_error(&e.error), "intake");
                }
                assert_worded(&t().app_error(&AppError::Invalid(errors)), "intake form");
            }
        }
    }
    assert!(accepted > 0, "the generator never made a valid draft");
}

#[test]
fn shopping_drafts_never_panic_and_every_refusal_is_worded() {
    let mut texts = Texts::new(7);
    let mut accepted = 0;
    for _ in 0..CASES {
        let draft = ShoppingDraft {
            room: texts.field("3-2-201"),
            resident_name: texts.field("王奶奶"),
            item: texts.field("大米"),
            brand: texts.field("五常"),
            kind: texts.field("粮油"),
            quantity: texts.field("2"),
            unit: texts.field("袋"),
            spec: texts.field("10kg"),
            unit_price: texts.field("89.50"),
            deadline: texts.field("2026-03-04"),
        };
        let shown: String = format!("{draft:?}").chars().take(300).collect();
        let result = catch_unwind(AssertUnwindSafe(|| validate_shopping(&draft, today())))
            .unwrap_or_else(|cause| panic!("{shown}: {}", panic_text(&cause)));
        match result {
            Ok(valid) => {
                accepted += 1;
                assert_eq!(
                    Money::from_fen(valid.unit_price.fen() * i64::from(valid.quantity)),
                    Some(valid.expected_total),
                    "{shown}"
                );
            }
            Err(errors) => {
                assert!(!errors.is_empty(), "refused without a reason: {shown}");
                for e in &errors {
                    assert_worded(t().shopping_field(e.field), "shopping field");
                    assert_worded(&t().shopping_error(&e.error), "shopping");
                }
                assert_worded(&t().app_error(&AppError::Shopping(errors)), "shopping form");
            }
        }
    }
    assert!(accepted > 0, "the generator never made a valid entry");
}

#[test]
fn agreement_drafts_never_panic_and_every_refusal_is_worded() {
    let prices = [listed_item()];
    let staff = [housekeeper()];
    let ctx = AgreementContext { prices: &prices, staff: &staff };
    let mut texts = Texts::new(8);
    let mut accepted = 0;
    for case in 0..CASES {
        let draft = AgreementDraft {
            room: texts.field("3-2-201"),
            resident_name: texts.field("张阿姨"),
            phone: texts.field("13912345678"),
            service: ServiceChoice::Listed(prices[0].id),
            details: texts.field("每周两次保洁"),
            staff: vec![staff[0].id],
            weekly: case % 2 == 0,
            days: vec![1, 4],
            dates: texts.field("1, 15"),
            start: texts.field("09:00"),
            end: texts.field("11:00"),
            term_start: texts.field("2026-03-01"),
            term_end: texts.field("2026-08-31"),
            price: texts.field("100"),
            basis: Some(PriceBasis::PerVisit),
            payment_terms: texts.field("按月结算"),
            ..AgreementDraft::default()
        };
        let shown: String = format!("{draft:?}").chars().take(300).collect();
        let result = catch_unwind(AssertUnwindSafe(|| validate_agreement(&draft, &ctx)))
            .unwrap_or_else(|cause| panic!("{shown}: {}", panic_text(&cause)));
        match result {
            Ok(valid) => {
                accepted += 1;
                assert!(valid.term_start < valid.term_end, "{shown}");
                let back = |day: NaiveDate| parse_date(&day.format("%Y-%m-%d").to_string());
                assert_eq!(back(valid.term_start), Some(valid.term_start), "{shown}");
                assert_eq!(back(valid.term_end), Some(valid.term_end), "{shown}");
                assert!(valid.schedule.start() < valid.schedule.end(), "{shown}");
                assert!(valid.schedule.end() <= NaiveTime::from_hms_opt(23, 59, 0).unwrap_or_default());
            }
            Err(errors) => {
                assert!(!errors.is_empty(), "refused without a reason: {shown}");
                for e in &errors {
                    assert_worded(t().agreement_field(e.field), "agreement field");
                    assert_worded(&t().agreement_error(&e.error), "agreement");
                }
                assert_worded(&t().app_error(&AppError::Agreement(errors)), "agreement form");
            }
        }
    }
    assert!(accepted > 0, "the generator never made a valid agreement");
}

/// `chars` characters of tabs, newlines, emoji and three scripts, kept
/// inside (a form trims only the ends of what is typed).
fn odd_text(label: &str, chars: usize) -> String {
    let line = "中文 English العربية\t👩\u{200d}🔧 \u{202e}RTL\u{202c} e\u{301} １２３\r\n";
    let mut text = format!("{label}：");
    while text.chars().count() < chars {
        text.push_str(line);
    }
    let text: String = text.chars().take(chars - 1).collect();
    format!("{text}。")
}

#[test]
fn very_long_and_mixed_text_is_stored_and_shown_intact() {
    let (_db, mut desk, office) = common::office_desk();
    // A register row's boxes hold 500 characters (issue 20): as many are kept intact.
    let details = odd_text("要求", 500);
    let notes = odd_text("备注", 500);
    let name = "Ahmed أحمد 张👩\u{200d}🔧";
    let draft = IntakeDraft {
        resident_name: name.into(),
        details: details.clone(),
        notes: notes.clone(),
        ..common::housekeeping_draft(&office)
    };
    let row = desk.register_request(&office.cs_clerk, &draft).unwrap_or_else(|e| panic!("{e:?}"));
    let back = desk.request(row.id).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(back.details.as_bytes(), details.as_bytes());
    assert_eq!(back.notes.as_bytes(), notes.as_bytes());
    assert_eq!(back.resident_name, name);
    let too_long = IntakeDraft { details: odd_text("要求", 10_000), ..draft.clone() };
    let refused = desk.register_request(&office.cs_clerk, &too_long);
    assert!(matches!(refused, Err(homedesk::app::AppError::Invalid(_))), "{refused:?}");

    let shopping = ShoppingDraft {
        room: "3-2-201".into(),
        resident_name: name.into(),
        item: odd_text("物品", 60).replace(['\r', '\n', '\t'], " "),
        brand: "五常 Wǔcháng 🍚".into(),
        kind: "粮油".into(),
        quantity: "2".into(),
        unit: "袋".into(),
        spec: odd_text("规格", 60).replace(['\r', '\n', '\t'], " "),
        unit_price: "89.50".into(),
        deadline: "2026-03-04".into(),
    };
    // One-line cells of the form hold 60 characters (issue 20); 10 000 are refused.
    let too_long = ShoppingDraft { item: odd_text("物品", 10_000), ..shopping.clone() };
    let refused = desk.record_shopping(&office.cs_clerk, &too_long);
    assert!(matches!(refused, Err(homedesk::app::AppError::Shopping(_))), "{refused:?}");
    let entry = desk.record_shopping(&office.cs_clerk, &shopping).unwrap_or_else(|e| panic!("{e:?}"));
    let back = desk.shopping_entry(entry.id).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(back.item, shopping.item);
    assert_eq!(back.spec, shopping.spec);
    assert_eq!(back.brand, shopping.brand);

    // Printed: text may be clipped to its cell, but the forms come out.
    let day = common::now().date();
    for phones in [PhoneDisplay::Masked, PhoneDisplay::Full] {
        let pdf = desk
            .print_register(RegisterKind::Housekeeping, day, day, phones)
            .unwrap_or_else(|e| panic!("print the register: {e:?}"));
        assert!(pdf.pages >= 1 && pdf.bytes.starts_with(b"%PDF"));
    }
    let pdf = desk.print_shopping_forms(&[entry.no]).unwrap_or_else(|e| panic!("print shopping: {e:?}"));
    assert!(pdf.pages >= 1 && pdf.bytes.starts_with(b"%PDF"));
    let pdf = desk.print_service_records(&[row.id]).unwrap_or_else(|e| panic!("print record: {e:?}"));
    assert!(pdf.pages >= 1 && pdf.bytes.starts_with(b"%PDF"));
}
