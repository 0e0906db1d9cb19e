//! The shopping log on a real database (R-SH-1..6): an entry's life,
//! continuous unique numbers under concurrent desks and a killed process,
//! nothing deleted, and the 飞单 list with its investigations. Each on
//! SQLite and, when `HOMEDESK_TEST_PG` names one, on a PostgreSQL server
//! (issue 21), where the serial rests on the office's write lock.

mod common;

use std::time::{Duration, Instant};

use common::backends::{self, Backend};
use common::*;
use homedesk::app::{AppError, HomeDesk};
use homedesk::domain::{Concern, Money, Purchase, ShoppingError, ShoppingField, ShoppingState, ShoppingStep};
use homedesk::store::ShoppingQuery;
use homedesk::store::pg::PgConn;
use homedesk::store::sql::{Sql, SqlExt};

fn ok<T>(result: Result<T, AppError>) -> T {
    result.unwrap_or_else(|e| panic!("{e:?}"))
}

fn refusal<T: std::fmt::Debug>(result: Result<T, AppError>) -> (ShoppingField, ShoppingError) {
    match result {
        Err(AppError::Shopping(errors)) => (errors[0].field, errors[0].error.clone()),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn yuan(n: i64) -> Money {
    Money::from_yuan(n).unwrap_or(Money::ZERO)
}

/// A connection of the test's own to the backend's database, for what the
/// app does not offer: a delete the triggers refuse, a number typed in from
/// a paper booklet, a count while another process writes.
fn raw_sql(backend: &Backend) -> Box<dyn Sql> {
    match backend {
        Backend::Lite(db) => Box::new(raw(&db.path)),
        Backend::Server(db) => Box::new(PgConn::connect(&db.url()).unwrap_or_else(|e| panic!("{e}"))),
    }
}

fn entries(backend: &Backend) -> i64 {
    raw_sql(backend).fetch_value("SELECT count(*) FROM shopping_entries", &[]).unwrap_or(0)
}

#[test]
fn r_sh_2_3_an_entry_is_bought_with_an_invoice_delivered_signed_and_settled() {
    let clock = TestClock::new(at("2026-03-02 10:00"));
    for (backend, mut desk, office) in backends::offices(|| clock.clock()) {
        clock.set(at("2026-03-02 10:00"));
        bought_delivered_and_settled(&mut desk, &office, &clock, backend.name());
    }
}

fn bought_delivered_and_settled(desk: &mut HomeDesk, office: &Office, clock: &TestClock, backend: &str) {
    let cs = office.cs_clerk.clone();
    let entry = ok(desk.record_shopping(&cs, &shopping_draft()));
    assert_eq!(
        (entry.no, entry.state, entry.expected_total),
        (1, ShoppingState::Recorded, yuan(179)),
        "{backend}"
    );
    clock.set(at("2026-03-03 15:00"));
    let buy = |invoice: &str| {
        ShoppingStep::Buy(Purchase {
            buyer: "赵采购".into(),
            invoice_no: invoice.into(),
            actual: yuan(176),
            bought_on: day_of("2026-03-03"),
        })
    };
    assert_eq!(
        refusal(desk.shopping_step(&cs, entry.id, &buy(""))).1,
        ShoppingError::InvoiceRequired,
        "{backend}"
    );
    ok(desk.shopping_step(&cs, entry.id, &buy("FP-20260303-01")));
    let unsigned = ShoppingStep::Deliver { on: day_of("2026-03-03"), resident_signed: false };
    assert_eq!(
        refusal(desk.shopping_step(&cs, entry.id, &unsigned)).1,
        ShoppingError::NotSigned,
        "{backend}"
    );
    ok(desk.shopping_step(
        &cs,
        entry.id,
        &ShoppingStep::Deliver { on: day_of("2026-03-03"), resident_signed: true },
    ));
    let settled = ok(desk.shopping_step(&cs, entry.id, &ShoppingStep::Settle));
    assert_eq!(settled.state, ShoppingState::Settled, "{backend}");
    let history = desk.store().history_of(homedesk::domain::Entity::Shopping, entry.id).unwrap_or_default();
    assert_eq!(history.len(), 4, "{backend}: created, bought, delivered, settled");
    let totals = ok(desk.shopping_totals(day_of("2026-03-01"), day_of("2026-03-31")));
    assert_eq!((totals.entries, totals.expected, totals.actual), (1, yuan(179), yuan(176)), "{backend}");
}

fn day_of(text: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

#[test]
fn r_sh_1_a_refused_entry_takes_no_number() {
    for (backend, mut desk, office) in backends::offices(|| fixed_clock(now())) {
        let mut bad = shopping_draft();
        bad.brand.clear();
        assert_eq!(
            refusal(desk.record_shopping(&office.cs_clerk, &bad)),
            (ShoppingField::Brand, ShoppingError::Required),
            "{}",
            backend.name()
        );
        let first = ok(desk.record_shopping(&office.cs_clerk, &shopping_draft()));
        assert_eq!(first.no, 1, "{}: the refused form used no number", backend.name());
    }
}

#[test]
fn r_sh_6_nothing_is_deleted_and_a_void_keeps_its_number_with_the_reason() {
    for (backend, mut desk, office) in backends::offices(|| fixed_clock(now())) {
        let name = backend.name();
        let entry = ok(desk.record_shopping(&office.cs_clerk, &shopping_draft()));
        let void_step = ShoppingStep::Void { reason: "填写错误，重开".into() };
        let refused = desk.shopping_step(&office.cs_clerk, entry.id, &void_step);
        assert!(
            matches!(refused, Err(AppError::Access(_))),
            "{name}: a clerk does not void a number: {refused:?}"
        );
        let void = ok(desk.shopping_step(&office.manager, entry.id, &void_step));
        assert_eq!((void.no, void.state), (1, ShoppingState::Void), "{name}");
        assert_eq!(void.void.map(|(reason, _, _)| reason).as_deref(), Some("填写错误，重开"), "{name}");
        let conn = raw_sql(&backend);
        let id = [entry.id.into()];
        assert!(
            conn.execute("DELETE FROM shopping_entries WHERE id = ?1", &id).is_err(),
            "{name}: the database refuses a delete"
        );
        assert!(
            conn.execute("UPDATE shopping_entries SET no = 7 WHERE id = ?1", &id).is_err(),
            "{name}: and a renumbering"
        );
        assert_eq!(entries(&backend), 1, "{name}");
    }
}

#[test]
fn r_sh_4_a_purchase_that_failed_records_why_and_when_the_resident_was_told() {
    for (backend, mut desk, office) in backends::offices(|| fixed_clock(now())) {
        let entry = ok(desk.record_shopping(&office.cs_clerk, &shopping_draft()));
        let untold = ShoppingStep::NotBought { reason: "厂家断货".into(), told_at: None };
        let refused = refusal(desk.shopping_step(&office.cs_clerk, entry.id, &untold)).1;
        assert_eq!(refused, ShoppingError::NotTold, "{}", backend.name());
        let told = ShoppingStep::NotBought { reason: "厂家断货".into(), told_at: Some(now()) };
        let not_bought = ok(desk.shopping_step(&office.cs_clerk, entry.id, &told));
        assert_eq!(
            (not_bought.state, not_bought.not_bought.map(|(reason, _)| reason).as_deref()),
            (ShoppingState::NotBought, Some("厂家断货")),
            "{}",
            backend.name()
        );
    }
}

#[test]
fn r_sh_6_missing_and_overdue_numbers_are_listed_until_investigated() {
    let clock = TestClock::new(at("2026-03-02 10:00"));
    for (backend, mut desk, office) in backends::offices(|| clock.clock()) {
        clock.set(at("2026-03-02 10:00"));
        missing_and_overdue_until_investigated(&backend, &mut desk, &office, &clock);
    }
}

fn missing_and_overdue_until_investigated(
    backend: &Backend,
    desk: &mut HomeDesk,
    office: &Office,
    clock: &TestClock,
) {
    let name = backend.name();
    let cs = office.cs_clerk.clone();
    ok(desk.record_shopping(&cs, &shopping_draft()));
    // An entry typed in from a paper booklet left a gap at number 2.
    raw_sql(backend)
        .execute(
            "INSERT INTO shopping_entries (no, state, room, resident_name, item, brand, kind, quantity, spec,
                unit_price_fen, expected_total_fen, deadline, taken_by, taken_at)
             SELECT 3, state, room, resident_name, item, brand, kind, quantity, spec, unit_price_fen,
                expected_total_fen, deadline, taken_by, taken_at FROM shopping_entries WHERE no = 1",
            &[],
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    clock.set(at("2026-03-05 09:00"));
    let open: Vec<(i64, Concern)> =
        ok(desk.shopping_followups(true)).iter().map(|f| (f.no, f.concern)).collect();
    assert_eq!(
        open,
        [(1, Concern::OpenPastDeadline), (2, Concern::Missing), (3, Concern::OpenPastDeadline)],
        "{name}"
    );
    let by_clerk = desk.investigate(&cs, 2, Concern::Missing, "已核实");
    assert!(matches!(by_clerk, Err(AppError::NeedsSupervisor)), "{name}: a supervisor or above investigates");
    let boss = office.manager.clone();
    let blank = desk.investigate(&boss, 2, Concern::Missing, " ");
    assert_eq!(refusal(blank).1, ShoppingError::Required, "{name}");
    let not_listed = desk.investigate(&boss, 9, Concern::Missing, "预先登记");
    assert!(not_listed.is_err(), "{name}: only a number the list holds can be cleared");
    let gap = homedesk::store::Problem::ShoppingGap { no: 2 };
    let problems = |desk: &HomeDesk| desk.store().check_invariants().unwrap_or_default();
    assert!(problems(desk).contains(&gap), "{name}: check reports the gap until it is investigated");
    ok(desk.investigate(&boss, 2, Concern::Missing, "纸质登记簿第2页撕毁，经核实未发生采购"));
    assert!(!problems(desk).contains(&gap), "{name}");
    let open: Vec<i64> = ok(desk.shopping_followups(true)).iter().map(|f| f.no).collect();
    assert_eq!(open, [1, 3], "{name}");
    let all = ok(desk.shopping_followups(false));
    assert!(
        all.iter().any(|f| f.no == 2 && f.investigation.is_some()),
        "{name}: the finding stays on record"
    );
}

#[test]
fn r_sh_6_concurrent_desks_get_continuous_unique_numbers() {
    for (backend, desk, office) in backends::offices(|| fixed_clock(now())) {
        drop(desk);
        // Every desk opens its own connection first, then all start writing at once.
        let start = std::sync::Barrier::new(4);
        let mut numbers: Vec<i64> = std::thread::scope(|scope| {
            let threads: Vec<_> = (0..4)
                .map(|_| {
                    scope.spawn(|| {
                        let mut desk = backend.open(fixed_clock(now()));
                        start.wait();
                        (0..25)
                            .map(|_| ok(desk.record_shopping(&office.cs_clerk, &shopping_draft())).no)
                            .collect::<Vec<i64>>()
                    })
                })
                .collect();
            threads.into_iter().flat_map(|t| t.join().unwrap_or_default()).collect()
        });
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=100).collect::<Vec<i64>>(), "{}", backend.name());
    }
}

/// The child of the crash test: records entries as fast as it can until it
/// is killed (or a minute has passed, so it can never be left running).
#[test]
fn crash_child_records_entries_until_killed() {
    let Some(path) = std::env::var_os("HOMEDESK_CRASH_DB") else { return };
    let staff_id = std::env::var("HOMEDESK_CRASH_CLERK").ok().and_then(|id| id.parse().ok()).unwrap_or(0);
    let desk = match path.to_str().filter(|p| p.starts_with("postgres")) {
        Some(url) => HomeDesk::open_server_with_clock(url, fixed_clock(now())),
        None => HomeDesk::open_with_clock(std::path::Path::new(&path), fixed_clock(now())),
    };
    let mut desk = desk.unwrap_or_else(|e| panic!("{e}"));
    let clerk = homedesk::domain::User {
        staff_id,
        name: "陈客服".into(),
        rank: homedesk::domain::Rank::Staff,
        desk: homedesk::domain::Desk::CsCenter,
    };
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        ok(desk.record_shopping(&clerk, &shopping_draft()));
    }
}

/// Kills the child process however the test ends.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn r_sh_6_a_process_killed_while_recording_leaves_no_gap_and_no_half_entry() {
    // The child commits entry after entry without pause, so the kill lands
    // while it is inside a write far more often than not; whichever moment
    // it lands, the database must hold 1..=N complete entries with history
    // (on the server: the killed connection's transaction is rolled back
    // and its lock let go).
    for (backend, desk, office) in backends::offices(|| fixed_clock(now())) {
        drop(desk);
        killed_while_recording(&backend, &office);
    }
}

fn killed_while_recording(backend: &Backend, office: &Office) {
    let name = backend.name();
    let target = match backend {
        Backend::Lite(db) => db.path.clone().into_os_string(),
        Backend::Server(db) => db.url().into(),
    };
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let child = std::process::Command::new(exe)
        .args(["--exact", "crash_child_records_entries_until_killed", "--nocapture", "--test-threads=1"])
        .env("HOMEDESK_CRASH_DB", target)
        .env("HOMEDESK_CRASH_CLERK", office.cs_clerk.staff_id.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn: {e}"));
    let mut child = KillOnDrop(child);
    let started = Instant::now();
    while entries(backend) < 30 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.0.kill().unwrap_or_else(|e| panic!("kill: {e}"));
    let _ = child.0.wait();
    let mut desk = backend.open(fixed_clock(now()));
    // The next entry waits for the killed writer's lock to go, then follows on.
    let next = ok(desk.record_shopping(&office.cs_clerk, &shopping_draft()));
    let numbers = desk.store().shopping_numbers().unwrap_or_default();
    assert!(numbers.len() >= 31, "{name}: the child recorded entries: {}", numbers.len());
    assert_eq!(numbers, (1..=numbers.len() as i64).collect::<Vec<i64>>(), "{name}: no gap, no duplicate");
    assert_eq!(next.no, numbers.len() as i64, "{name}");
    assert!(
        desk.store().check_invariants().unwrap_or_default().is_empty(),
        "{name}: every entry complete, with history"
    );
}

#[test]
fn r_sh_5_the_form_and_its_finance_copy_print_for_any_state_and_the_log_for_a_period() {
    for (backend, mut desk, office) in backends::offices(|| fixed_clock(now())) {
        let name = backend.name();
        let first = ok(desk.record_shopping(&office.cs_clerk, &shopping_draft()));
        let second = ok(desk.record_shopping(&office.cs_clerk, &shopping_draft()));
        ok(desk.shopping_step(&office.manager, second.id, &ShoppingStep::Void { reason: "写错房号".into() }));
        let pdf = ok(desk.print_shopping_forms(&[first.no, second.no]));
        assert_eq!(pdf.pages, 2, "{name}: one sheet per entry");
        let text = common::pdf::all_text(&common::pdf::load(&pdf));
        for expected in ["000001", "000002", "财务联", "大米", "3栋2单元201", "作废", "写错房号"]
        {
            assert!(text.contains(expected), "{name}: {expected} in {text}");
        }
        let log = ok(desk.print_shopping_log(now().date(), now().date()));
        let text = common::pdf::all_text(&common::pdf::load(&log));
        assert!(text.contains("代客购物登记簿") && text.contains("000002"), "{name}: {text}");
        drop(desk);
        // The command line opens an SQLite file only (`--db postgres://` is not yet).
        if let Backend::Lite(db) = &backend {
            printed_from_the_command_line(db);
        }
    }
}

fn printed_from_the_command_line(db: &TestDb) {
    let out = db.dir.path().join("购物.pdf");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_homedesk"))
        .arg("--db")
        .arg(&db.path)
        .args(["print", "shopping", "000001", "--out"])
        .arg(&out)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(out.exists());
}

/// R-SH-3: the goods go to the resident with their invoice — only once
/// bought with one — the resident checks them and signs, then the cost is
/// settled; the form prints the invoice and the day the resident signed.
#[test]
fn r_sh_3_goods_are_delivered_with_the_invoice_checked_and_signed_by_the_resident_then_settled() {
    let clock = TestClock::new(at("2026-03-02 10:00"));
    for (backend, mut desk, office) in backends::offices(|| clock.clock()) {
        clock.set(at("2026-03-02 10:00"));
        delivered_with_the_invoice_then_settled(&mut desk, &office, &clock, backend.name());
    }
}

fn delivered_with_the_invoice_then_settled(
    desk: &mut HomeDesk,
    office: &Office,
    clock: &TestClock,
    name: &str,
) {
    let cs = office.cs_clerk.clone();
    let entry = ok(desk.record_shopping(&cs, &shopping_draft()));
    let deliver = |on: &str, signed: bool| ShoppingStep::Deliver { on: day_of(on), resident_signed: signed };
    let early = desk.shopping_step(&cs, entry.id, &deliver("2026-03-02", true));
    assert!(
        matches!(refusal(early).1, ShoppingError::NotNow { .. }),
        "{name}: nothing bought, no invoice to deliver"
    );
    let unsettled = desk.shopping_step(&cs, entry.id, &ShoppingStep::Settle);
    assert!(
        matches!(refusal(unsettled).1, ShoppingError::NotNow { .. }),
        "{name}: not settled before delivery"
    );
    clock.set(at("2026-03-03 16:00"));
    let purchase = Purchase {
        buyer: "赵采购".into(),
        invoice_no: "FP-0303-07".into(),
        actual: yuan(176),
        bought_on: day_of("2026-03-03"),
    };
    ok(desk.shopping_step(&cs, entry.id, &ShoppingStep::Buy(purchase)));
    let before_bought = desk.shopping_step(&cs, entry.id, &deliver("2026-03-02", true));
    assert_eq!(
        refusal(before_bought).1,
        ShoppingError::DateOutOfOrder,
        "{name}: delivered before it was bought"
    );
    let unsigned = desk.shopping_step(&cs, entry.id, &deliver("2026-03-03", false));
    assert_eq!(refusal(unsigned), (ShoppingField::Signed, ShoppingError::NotSigned), "{name}");
    let delivered = ok(desk.shopping_step(&cs, entry.id, &deliver("2026-03-03", true)));
    assert_eq!(
        (delivered.state, delivered.delivered_on),
        (ShoppingState::Delivered, Some(day_of("2026-03-03"))),
        "{name}"
    );
    let settled = ok(desk.shopping_step(&cs, entry.id, &ShoppingStep::Settle));
    assert_eq!(
        (settled.state, settled.settled_at),
        (ShoppingState::Settled, Some(at("2026-03-03 16:00"))),
        "{name}"
    );

    let text = common::pdf::all_text(&common::pdf::load(&ok(desk.print_shopping_forms(&[entry.no]))));
    for expected in ["发票号", "FP-0303-07", "客户验收签名", "验收日期", "¥176.00"] {
        assert!(text.contains(expected), "{name}: {expected} in {text}");
    }
}

/// R-SH-6: the printed log ends with the line finance checks the numbers
/// by — the span, how many numbers, how many void, how many missing and
/// which — read back from the PDF.
#[test]
fn r_sh_6_the_printed_log_carries_the_continuity_line_for_finance() {
    let clock = TestClock::new(at("2026-03-02 09:00"));
    for (backend, mut desk, office) in backends::offices(|| clock.clock()) {
        continuity_line(&mut desk, &office, &clock, backend.name());
    }
}

fn continuity_line(desk: &mut HomeDesk, office: &Office, clock: &TestClock, name: &str) {
    let cs = office.cs_clerk.clone();
    let mut ids = Vec::new();
    for minute in 0..5 {
        clock.set(at(&format!("2026-03-02 09:{minute:02}")));
        ids.push(ok(desk.record_shopping(&cs, &shopping_draft())).id);
    }
    let void = ShoppingStep::Void { reason: "写错房号".into() };
    ok(desk.shopping_step(&office.manager, ids[1], &void));
    ok(desk.shopping_step(&office.manager, ids[3], &void));
    let text = |desk: &HomeDesk| {
        let pdf = ok(desk.print_shopping_log(day_of("2026-03-02"), day_of("2026-03-02")));
        common::pdf::all_text(&common::pdf::load(&pdf))
    };
    let log = text(desk);
    assert!(log.contains("本期编号000001–000005共5号，作废2，缺号0"), "{name}: {log}");

    // A number taken on another day is missing from this day's log, and named.
    clock.set(at("2026-03-03 09:00"));
    ok(desk.record_shopping(&cs, &shopping_draft()));
    clock.set(at("2026-03-02 17:00"));
    ok(desk.record_shopping(&cs, &shopping_draft()));
    let log = text(desk);
    assert!(log.contains("本期编号000001–000007共7号，作废2，缺号1（缺：000006）"), "{name}: {log}");
}

/// The log's table narrowed by number (as printed, six digits), room,
/// resident, item or brand — ASCII letters in either case, `%` and `_` as
/// typed —, buyer, state and period, alike on both backends.
#[test]
fn the_log_is_narrowed_by_text_buyer_state_and_period() {
    for (backend, mut desk, office) in backends::offices(|| fixed_clock(now())) {
        let name = backend.name();
        let cs = office.cs_clerk.clone();
        let rice = ok(desk.record_shopping(&cs, &shopping_draft()));
        let cooker = homedesk::domain::ShoppingDraft {
            item: "电饭煲".into(),
            brand: "Midea".into(),
            kind: "家电".into(),
            ..shopping_draft()
        };
        let cooker = ok(desk.record_shopping(&cs, &cooker));
        let purchase = Purchase {
            buyer: "赵采购".into(),
            invoice_no: "FP-01".into(),
            actual: yuan(176),
            bought_on: now().date(),
        };
        ok(desk.shopping_step(&cs, rice.id, &ShoppingStep::Buy(purchase)));
        let found = |q: ShoppingQuery| -> Vec<i64> { ok(desk.shopping(&q)).iter().map(|e| e.no).collect() };
        let text = |t: &str| ShoppingQuery { text: t.into(), ..ShoppingQuery::default() };
        assert_eq!(found(ShoppingQuery::default()), [cooker.no, rice.no], "{name}: newest number first");
        assert_eq!(found(text("000002")), [cooker.no], "{name}");
        assert_eq!(found(text("mIDEA")), [cooker.no], "{name}: ASCII letters in either case");
        assert_eq!(found(text("大米")), [rice.no], "{name}");
        assert_eq!(found(text("米")), [rice.no], "{name}: one character");
        assert_eq!(found(text("王奶奶")).len(), 2, "{name}");
        assert!(found(text("%")).is_empty() && found(text("_")).is_empty(), "{name}: wildcards as typed");
        let buyer = ShoppingQuery { buyer: "赵".into(), ..ShoppingQuery::default() };
        assert_eq!(found(buyer), [rice.no], "{name}");
        let bought = ShoppingQuery { state: Some(ShoppingState::Bought), ..ShoppingQuery::default() };
        assert_eq!(found(bought), [rice.no], "{name}");
        let today =
            ShoppingQuery { from: Some(now().date()), to: Some(now().date()), ..ShoppingQuery::default() };
        assert_eq!(found(today).len(), 2, "{name}");
        let later = ShoppingQuery { from: now().date().succ_opt(), ..ShoppingQuery::default() };
        assert!(found(later).is_empty(), "{name}");
    }
}

/// Issue 23: the log's table keeps the matching ids (read on a reader
/// thread) and reads the entries it shows a page at a time; the totals are
/// summed by the store. Both must say what the whole list says.
#[test]
fn the_logs_ids_pages_and_totals_agree_with_the_whole_list() {
    let clock = TestClock::new(at("2026-03-02 10:00"));
    for (backend, mut desk, office) in backends::offices(|| clock.clock()) {
        let name = backend.name();
        clock.set(at("2026-03-02 10:00"));
        let cs = office.cs_clerk.clone();
        let mut made = Vec::new();
        for (i, item) in ["大米", "牛奶", "鸡蛋", "牛奶", "面粉"].into_iter().enumerate() {
            let draft = homedesk::domain::ShoppingDraft {
                item: item.into(),
                deadline: "2026-03-20".into(),
                ..shopping_draft()
            };
            clock.set(at(&format!("2026-03-0{} 10:00", i + 2)));
            made.push(ok(desk.record_shopping(&cs, &draft)));
        }
        ok(desk.shopping_step(
            &office.manager,
            made[1].id,
            &ShoppingStep::Void { reason: "写错房号".into() },
        ));
        let bought = Purchase {
            buyer: "赵采购".into(),
            invoice_no: "FP-1".into(),
            actual: yuan(170),
            bought_on: day_of("2026-03-06"),
        };
        ok(desk.shopping_step(&cs, made[3].id, &ShoppingStep::Buy(bought)));
        for query in [
            ShoppingQuery::default(),
            ShoppingQuery { text: "牛奶".into(), ..ShoppingQuery::default() },
            ShoppingQuery {
                from: Some(day_of("2026-03-03")),
                to: Some(day_of("2026-03-05")),
                ..ShoppingQuery::default()
            },
        ] {
            let whole = ok(desk.shopping(&query));
            let ids = ok(desk.shopping_ids(&query));
            assert_eq!(ids, whole.iter().map(|e| e.id).collect::<Vec<_>>(), "{name}: {query:?}");
            let page = ok(desk.shopping_page(&ids));
            assert_eq!(page, whole, "{name}: a page holds the entries in the ids' order");
        }
        let backwards: Vec<_> = made.iter().map(|e| e.id).collect();
        let page = ok(desk.shopping_page(&backwards));
        assert_eq!(page.iter().map(|e| e.no).collect::<Vec<_>>(), [1, 2, 3, 4, 5], "{name}: the order asked");
        assert!(ok(desk.shopping_page(&[])).is_empty(), "{name}");
        // Void entry 2 left out; entry 4 bought for 170.
        let totals = ok(desk.shopping_totals(day_of("2026-03-01"), day_of("2026-03-31")));
        assert_eq!((totals.entries, totals.expected, totals.actual), (4, yuan(179 * 4), yuan(170)), "{name}");
        let totals = ok(desk.shopping_totals(day_of("2026-03-05"), day_of("2026-03-06")));
        assert_eq!((totals.entries, totals.actual), (2, yuan(170)), "{name}: the 5th and the 6th");
    }
}

/// Issue 21 item 5 (the log's search over R-SH-1's fields): on a server, a
/// text found in more entries than a few answers first with the log's
/// newest entries holding it and its count — exact for one character, else
/// the entries holding its rarest key, said to be a bound — and the whole
/// list after it is what a file finds. A pair standing apart in a field
/// (`Mr. Muscle` holds the key `rm`) is found by neither, first or whole; a
/// walk that finds fewer than a page went through the whole log and is the
/// whole answer. A file answers the whole list at once (`None`).
#[test]
fn r_sh_1_a_common_text_answers_first_with_the_newest_entries_and_their_count() {
    let mut found_on = Vec::new();
    for (backend, mut desk, office) in backends::offices(|| fixed_clock(now())) {
        let name = backend.name();
        let cs = office.cs_clerk.clone();
        for (item, brand) in
            [("大米", "五常"), ("牛奶", "伊利"), ("鸡蛋", "土鸡"), ("牛奶", "蒙牛"), ("洗洁精", "Mr. Muscle")]
        {
            let draft = homedesk::domain::ShoppingDraft {
                item: item.into(),
                brand: brand.into(),
                ..shopping_draft()
            };
            ok(desk.record_shopping(&cs, &draft));
        }
        let text = |t: &str| ShoppingQuery { text: t.into(), ..ShoppingQuery::default() };
        let nos = |desk: &HomeDesk, ids: &[i64]| -> Vec<i64> {
            ok(desk.shopping_page(ids)).iter().map(|e| e.no).collect()
        };
        let mut found = Vec::new();
        for typed in ["1", "牛奶", "rm", "r. m", "m", "MUSCLE", "单元201"] {
            let whole = ok(desk.shopping_ids(&text(typed)));
            found.push((typed, nos(&desk, &whole)));
            let first =
                desk.store().shopping_first_ids_past(&text(typed), 2, 0).unwrap_or_else(|e| panic!("{e}"));
            let Backend::Server(_) = backend else {
                assert_eq!(first, None, "{name}: {typed}: the whole list at once");
                continue;
            };
            let first = first.unwrap_or_else(|| panic!("{name}: {typed}: first ids"));
            if whole.len() < 2 {
                assert_eq!(
                    first,
                    homedesk::store::RequestPage::whole(whole.clone()),
                    "{name}: {typed}: walked whole"
                );
            } else {
                assert_eq!(first.ids, whole[..2], "{name}: {typed}: the newest entries first");
                assert!(!first.is_whole(), "{name}: {typed}: the whole list to follow");
            }
        }
        let first = |typed: &str| desk.store().shopping_first_ids_past(&text(typed), 2, 0).ok().flatten();
        if let Backend::Server(_) = backend {
            let one = first("1").unwrap();
            assert_eq!((one.total, one.at_most), (5, false), "{name}: one character, counted exactly");
            let pair = first("牛奶").unwrap();
            assert_eq!((pair.total, pair.at_most), (2, true), "{name}: a pair's count is its key's, a bound");
            assert!(first("rm").unwrap().ids.is_empty(), "{name}: the key's entry holds rm apart");
            let phrase = first("单元201").unwrap();
            assert_eq!(
                (phrase.total, phrase.at_most),
                (5, true),
                "{name}: a phrase's bound, its rarest triple's"
            );
        }
        let few = desk.store().shopping_first_ids_past(&text("1"), 2, 5).ok().flatten();
        assert_eq!(few, None, "{name}: found in no more than a few: the whole list at once");
        let filtered = ShoppingQuery { state: Some(ShoppingState::Recorded), ..text("1") };
        let filtered = desk.store().shopping_first_ids_past(&filtered, 2, 0).ok().flatten();
        assert_eq!(filtered, None, "{name}: a filter besides the text: the whole list");
        found_on.push((name, found));
    }
    let (file, found) = &found_on[0];
    assert_eq!(found[0].1, [5, 4, 3, 2, 1], "{file}: one digit in every room");
    assert!(found[2].1.is_empty() && found[3].1 == [5], "{file}: rm apart, r. m as typed");
    assert_eq!(
        (found[4].1.as_slice(), found[5].1.as_slice()),
        (&[5][..], &[5][..]),
        "{file}: Muscle in any case"
    );
    assert_eq!(found[6].1.len(), 5, "{file}: the rooms' phrase");
    for (server, on_server) in &found_on[1..] {
        assert_eq!(on_server, found, "{server} finds what {file} finds");
    }
}
