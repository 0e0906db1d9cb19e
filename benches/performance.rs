//! Issue 10's benchmark: the ten-year office and every speed and memory
//! target of `docs/PERFORMANCE.md`, measured on it.
//!
//! `cargo bench --bench performance` builds the office with
//! `demo --years 10` into `target/bench/ten-years.db` (timed: that is the
//! first target), then measures the others on it and prints a table.
//! Options after `--`:
//! - `--keep`: reuse the database of an earlier run instead of rebuilding it;
//! - `--write`: also put the table into `docs/PERFORMANCE.md`, between its
//!   `bench:begin` and `bench:end` markers;
//! - `--db FILE`: the office's file instead of `target/bench/ten-years.db`;
//! - `--only-desks`: only the time from a commit at one desk to its sight
//!   at the other (`performance/desk_to_desk.rs`), on the file;
//! - `--backend postgres`: the measures on a server instead
//!   (`performance/server.rs`: `--pg URL` or `HOMEDESK_BENCH_PG`,
//!   `--pg-households N`, `--pg-years Y`; `--write` then fills the
//!   `bench-pg` table of docs/PERFORMANCE.md; `--window` measures the real
//!   window on the server too);
//! - `--window`: also measure the real window (issue 23): the app built
//!   with the `probe` feature as `homedesk-probe`, run on the X display of
//!   `DISPLAY` (Xvfb with Mesa's software GL on the project's machine) and
//!   typed into with `xdotool`; `--only-window` measures nothing else;
//! - `--only-search` (with `--backend postgres`): the register's and the
//!   shopping log's search alone, on an office filled before;
//!   `--only-documents`: the PDFs, a month's statistics, the report and
//!   the memory after every tab (each tab's peak) alone; `--read-only`:
//!   every measure but the one that writes (a commit seen at the other
//!   desk), on an office others measure too.
//!
//! The start and the memory are measured in fresh processes (this binary
//! run again with `--probe start|memory DB`; `--probe history DB` measures
//! the 变更记录 search alone on any office), so that nothing the other
//! measures loaded counts. Frames are drawn on an `egui::Context` without a
//! window — layout and tessellation, all the CPU work of a frame but the
//! GPU upload.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{Datelike, Months, NaiveDate};
use homedesk::app::HISTORY_SHOWN;
use homedesk::app::demo::{self, DEMO_PASSWORD, DemoSize};
use homedesk::app::{self, HomeDesk};
use homedesk::domain::{Desk, RegisterKind, RequestId};
use homedesk::store::{
    AgreementQuery, HISTORY_COUNT_CAP, HistoryQuery, Location, RequestPage, RequestQuery, ShoppingQuery,
    SortColumn, Store,
};
use homedesk::ui::{FIRST_ROWS, HomeDeskApp, Prefs, Tab, install_fonts};

#[path = "performance/desk_to_desk.rs"]
mod desk_to_desk;
#[path = "performance/server.rs"]
mod server;
#[path = "performance/window.rs"]
mod window;

use server::measure_server;

/// The app's allocator (src/main.rs), so that the figures are the app's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The manager signs in: every tab is open to them.
const LOGIN: &str = "wangjl";
const YEARS: u32 = 10;
/// Runs of each quick measure; the median is reported.
const RUNS: usize = 7;
const FRAMES: usize = 200;
const SCREEN: egui::Vec2 = egui::vec2(1280.0, 800.0);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(at) = args.iter().position(|a| a == "--probe") {
        let what = args.get(at + 1).map(String::as_str).unwrap_or_default();
        let db = Location::from_arg(PathBuf::from(args.get(at + 2).map(String::as_str).unwrap_or_default()));
        match what {
            "start" => probe_start(&db),
            "memory" => probe_memory(&db),
            // The history search alone, on any office (a smaller one while the machine is busy).
            "history" => {
                let mut table = Table::default();
                measure_history_search(&db, &mut table);
            }
            other => panic!("unknown probe {other}"),
        }
        return;
    }
    let flag = |name: &str| args.iter().any(|a| a == name);
    let keep = flag("--keep");
    let write = flag("--write");
    let mut table = Table::default();
    let value = |name: &str| args.iter().position(|a| a == name).and_then(|at| args.get(at + 1)).cloned();
    let db = value("--db").map_or_else(bench_db, PathBuf::from);
    if value("--backend").as_deref() == Some("postgres") {
        let url = value("--pg").or_else(|| std::env::var("HOMEDESK_BENCH_PG").ok());
        let url = url.expect("--backend postgres needs --pg URL or HOMEDESK_BENCH_PG");
        measure_server(&Location::Server(url), &args, &mut table);
        let text = table.markdown();
        println!("\n{text}");
        if write {
            write_into_docs(&text, "bench-pg");
        }
        return;
    }
    if flag("--only-desks") {
        desk_to_desk::measure(&Location::File(db), &mut table);
        println!("\n{}", table.markdown());
        return;
    }
    if flag("--only-window") {
        window::measure(&Location::File(db), &mut table);
        println!("\n{}", table.markdown());
        return;
    }
    build_office(&db, keep, &mut table);
    let office = Location::File(db.clone());
    measure_start(&office, &mut table);
    measure_frames(&office, &mut table);
    measure_search(&office, &mut table);
    measure_history_search(&office, &mut table);
    measure_documents(&office, &mut table);
    measure_memory(&office, &mut table);
    desk_to_desk::measure(&office, &mut table);
    if flag("--window") {
        window::measure(&office, &mut table);
    }
    let text = table.markdown();
    println!("\n{text}");
    if write {
        write_into_docs(&text, "bench");
    }
}

// ----- the office -----------------------------------------------------------

fn bench_db() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("bench");
    std::fs::create_dir_all(&dir).expect("target/bench");
    dir.join("ten-years.db")
}

fn build_office(db: &Path, keep: bool, table: &mut Table) {
    if keep && db.exists() {
        table.row("fill the ten-year office (`demo --years 10`)", "< 60 s", "not rebuilt (`--keep`)", "");
    } else {
        remove_database(db);
        let started = Instant::now();
        let cpu_before = process_cpu();
        let summary = demo::fill_demo(db, YEARS, DemoSize::DEFAULT, app::local_now()).expect("demo office");
        let took = started.elapsed();
        // The CPU time is what a shared machine's load changes least.
        let cpu = process_cpu().zip(cpu_before).map(|(after, before)| after - before);
        let size = std::fs::metadata(db).map(|m| m.len()).unwrap_or_default();
        table.row(
            "fill the ten-year office (`demo --years 10`)",
            "< 60 s",
            &format!("{:.1} s", took.as_secs_f64()),
            &format!(
                "{} households, {} register rows, {} shopping numbers, {} agreements; {} MB; CPU {}",
                summary.households,
                summary.requests,
                summary.shopping,
                summary.agreements,
                size / 1_000_000,
                cpu.map_or("?".into(), |c| format!("{:.1} s", c.as_secs_f64()))
            ),
        );
    }
    // The first start of the day backs the database up on a worker thread:
    // done here, so that it does not run beside the measures.
    let desk = HomeDesk::open(db).expect("open");
    desk.daily_backup_if_due().expect("daily backup");
}

/// A location as this benchmark's `--probe` takes it: the file's path or the server's URL.
fn location_arg(db: &Location) -> String {
    match db {
        Location::File(path) => path.display().to_string(),
        Location::Server(url) => url.clone(),
    }
}

fn remove_database(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

// ----- start and frames -----------------------------------------------------

/// The app as it opens on this PC: signed in (the password check is timed
/// apart), on `tab`, the housekeeping register filtered by `filter`.
fn open_app(db: &Location, tab: Tab, filter: &str) -> (HomeDeskApp, egui::Context, Duration) {
    let mut desk = HomeDesk::open_at(db).expect("open");
    let checking = Instant::now();
    let user = desk.sign_in(LOGIN, DEMO_PASSWORD, Desk::CsCenter).expect("sign in");
    let password = checking.elapsed();
    let mut prefs = Prefs { tab, ..Prefs::default() };
    prefs.register.filters[0].text = filter.to_string();
    let app = HomeDeskApp::new(desk, prefs).without_opening_prints().signed_in(user, LOGIN);
    let ctx = egui::Context::default();
    install_fonts(&ctx);
    ctx.set_theme(egui::Theme::Light);
    (app, ctx, password)
}

/// One frame as eframe draws it, minus the GPU: the UI, then tessellation.
fn frame(ctx: &egui::Context, app: &mut HomeDeskApp) -> Duration {
    drawn(ctx, app).0
}

/// One frame: how long it took, and how soon it asks for the next one.
fn drawn(ctx: &egui::Context, app: &mut HomeDeskApp) -> (Duration, Duration) {
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, SCREEN)),
        ..Default::default()
    };
    let started = Instant::now();
    let output = ctx.run_ui(input, |ui| app.ui_root(ui));
    let next = output.viewport_output.get(&egui::ViewportId::ROOT).map_or(Duration::MAX, |v| v.repaint_delay);
    let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
    std::hint::black_box(primitives);
    (started.elapsed(), next)
}

/// Draws frames until the screen is complete: the worker threads have
/// answered and no frame is wanted within a tenth of a second (the clock
/// and the countdowns ask for one a second).
fn settle(ctx: &egui::Context, app: &mut HomeDeskApp) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut quiet = 0;
    while quiet < 3 && Instant::now() < deadline {
        let (_, next) = drawn(ctx, app);
        if next < Duration::from_millis(100) {
            quiet = 0;
            std::thread::sleep(Duration::from_millis(2));
        } else {
            quiet += 1;
        }
    }
    assert!(Instant::now() < deadline, "the screen never settled");
}

/// In a fresh process: opening the file, the fonts, the first frames until
/// the register shows its rows. Prints the password check's share.
fn probe_start(db: &Location) {
    let (mut app, ctx, password) = open_app(db, Tab::Register, "");
    settle(&ctx, &mut app);
    println!("ready {}", password.as_micros());
}

fn measure_start(db: &Location, table: &mut Table) {
    let mut totals = Vec::new();
    let mut passwords = Vec::new();
    for _ in 0..RUNS.min(5) {
        let started = Instant::now();
        let line = run_probe("start", db);
        let took = started.elapsed();
        assert!(line.starts_with("ready "), "the start probe failed: no figure");
        let password = line.strip_prefix("ready ").and_then(|m| m.trim().parse::<u64>().ok()).unwrap_or(0);
        passwords.push(Duration::from_micros(password));
        totals.push(took.saturating_sub(Duration::from_micros(password)));
    }
    table.row(
        "cold start to the first frame with data",
        "< 500 ms",
        &ms(median(&mut totals)),
        &format!(
            "new process: open the file, fonts, sign-in screen skipped, register drawn with its rows; \
             the password check (Argon2, {}) comes on top when a clerk signs in",
            ms(median(&mut passwords))
        ),
    );
}

/// Runs this benchmark again as `--probe what DB`: the first line it prints.
fn run_probe(what: &str, db: &Location) -> String {
    let mut child = Command::new(std::env::current_exe().expect("exe"))
        .args(["--probe", what])
        .arg(location_arg(db))
        .stdout(Stdio::piped())
        .spawn()
        .expect("probe");
    let mut line = String::new();
    if let Some(out) = child.stdout.take() {
        BufReader::new(out).read_line(&mut line).expect("probe output");
    }
    child.wait().expect("probe ends");
    line
}

fn measure_frames(db: &Location, table: &mut Table) {
    let (mut app, ctx, _) = open_app(db, Tab::Register, "保洁");
    settle(&ctx, &mut app);
    let rows = app.desk().store().count_requests(RegisterKind::Housekeeping).unwrap_or_default();
    let cpu_before = thread_cpu();
    let mut times: Vec<Duration> = (0..FRAMES).map(|_| frame(&ctx, &mut app)).collect();
    let cpu = thread_cpu().zip(cpu_before).map(|(after, before)| (after - before) / FRAMES as u32);
    let median = median(&mut times);
    let slowest = times.iter().max().copied().unwrap_or_default();
    table.row(
        "one frame of the register tab, filter active",
        "< 4 ms",
        &ms(median),
        &format!(
            "median of {FRAMES}, slowest {}{}; {rows} housekeeping rows, text filter 保洁, 1280×800",
            ms(slowest),
            cpu.map(|c| format!(", CPU {} a frame", ms(c))).unwrap_or_default()
        ),
    );
}

/// This process's CPU time so far, every thread's (Linux: `/proc/self/stat`).
fn process_cpu() -> Option<Duration> {
    cpu_of("/proc/self/stat")
}

/// This thread's CPU time so far (Linux: `/proc/thread-self/stat`).
fn thread_cpu() -> Option<Duration> {
    cpu_of("/proc/thread-self/stat")
}

/// This thread's CPU time so far to the nanosecond (Linux:
/// `/proc/thread-self/schedstat`, its first field), for measures of a
/// few milliseconds, which `stat`'s 10 ms ticks cannot time.
fn thread_cpu_exact() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(Duration::from_nanos(stat.split_whitespace().next()?.parse().ok()?))
}

/// utime + stime of a `stat` file.
fn cpu_of(file: &str) -> Option<Duration> {
    let stat = std::fs::read_to_string(file).ok()?;
    let after_name = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

// ----- search ---------------------------------------------------------------

fn measure_search(db: &Location, table: &mut Table) {
    let desk = HomeDesk::open_at(db).expect("open");
    let store = desk.store();
    let all = store.query_request_ids(&RequestQuery::default()).expect("rows");
    // A log alone (e.g. a ten-year shopping log copied into a scratch office): its search only.
    if all.is_empty() {
        measure_shopping_search(&desk, table);
        return;
    }
    let sample = store.get_request(all[all.len() / 2]).expect("a row");
    let phone_digits: String =
        sample.phone.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    let searches = [
        ("room", RequestQuery { room: Some(sample.room.to_string()), ..register_query() }),
        ("name", RequestQuery { text: sample.resident_name.clone(), ..register_query() }),
        ("phone", RequestQuery { text: phone_digits, ..register_query() }),
        ("text", RequestQuery { text: "漏水".into(), ..register_query() }),
        ("a word in most rows", RequestQuery { text: "保洁".into(), ..register_query() }),
        // A room's part (unit 1, floors 10–19) in a fifth of the rows:
        // a phrase of four, found by its triples' places.
        ("a phrase of four in many rows", RequestQuery { text: "1单元1".into(), ..register_query() }),
        ("every register, text", RequestQuery { text: "漏水".into(), kind: None, ..register_query() }),
    ];
    // What the register's reader thread reads first, on a connection of
    // its own as it opens one (`ui/row_query.rs`).
    let reader = Store::open_reader_at(db).expect("a reader");
    let mut worst = Duration::ZERO;
    let mut notes = Vec::new();
    for (what, query) in &searches {
        let mut times = Vec::new();
        let mut found = String::new();
        for _ in 0..RUNS {
            let started = Instant::now();
            let (page, total) = first_answer(&reader, query);
            std::hint::black_box(store.get_requests(&page).expect("page"));
            times.push(started.elapsed());
            found = total;
        }
        let first = times[0];
        let took = median(&mut times);
        // The register tab always searches one register; all three at once is shown, not targeted.
        if query.kind.is_some() {
            worst = worst.max(took);
        }
        // A search finding thousands walks the register once, then keeps the
        // walk until the data changes (the next keystrokes of the same search).
        let walked = if first > took * 2 { format!(", the first {}", ms(first)) } else { String::new() };
        notes.push(format!("{what} {} ({found}{walked})", ms(took)));
    }
    // The same word with the register walked every time, as the first
    // keystroke after the register changed: the two orders alternate.
    let mut times = Vec::new();
    for run in 0..RUNS {
        let query = RequestQuery { text: "保洁".into(), descending: run % 2 == 0, ..register_query() };
        let started = Instant::now();
        let (page, _) = first_answer(&reader, &query);
        std::hint::black_box(store.get_requests(&page).expect("page"));
        times.push(started.elapsed());
    }
    let walked = median(&mut times);
    worst = worst.max(walked);
    notes.push(format!("the word again with the register walked (after it changed) {}", ms(walked)));
    table.row(
        "search by room, name, phone or text, first page ready",
        "< 16 ms",
        &ms(worst),
        &format!(
            "slowest of the register tab's searches: {}; of {} rows (every register at once is no search the tab makes)",
            notes.join(", "),
            all.len()
        ),
    );
    measure_shopping_search(&desk, table);
}

/// The shopping log's search, as its tab reads it.
fn measure_shopping_search(desk: &HomeDesk, table: &mut Table) {
    // As the log's tab reads it (`ui/shopping_tab.rs`), on its reader: a
    // search's first ids and their count where the store tells them sooner
    // than the whole list (a common text on a server), else the whole list;
    // then the page of 64 entries its table shows first. The whole list
    // that follows a first answer is timed apart (the table shows the first
    // answer meanwhile).
    let reader = desk.reader().expect("a reader");
    let mut worst = Duration::ZERO;
    let mut notes = Vec::new();
    // An item, one digit (in nearly every entry), a pair in every room,
    // and a room's part of four (a phrase).
    for text in ["牛奶", "1", "单元", "2单元1"] {
        let query = ShoppingQuery { text: text.into(), ..ShoppingQuery::default() };
        let mut times = Vec::new();
        let mut found = String::new();
        for _ in 0..RUNS {
            let started = Instant::now();
            let (ids, what) = match reader.shopping_first_ids(&query, FIRST_ROWS).expect("shopping") {
                Some(page) if !page.is_whole() => {
                    let bound = if page.at_most { "at most " } else { "" };
                    (page.ids, format!("{bound}{} shown first, the first {} read", page.total, FIRST_ROWS))
                }
                Some(page) => {
                    let found = format!("{} found", page.ids.len());
                    (page.ids, found)
                }
                None => {
                    let ids = reader.shopping_ids(&query).expect("shopping");
                    let found = format!("{} found", ids.len());
                    (ids, found)
                }
            };
            std::hint::black_box(desk.shopping_page(&ids[..ids.len().min(64)]).expect("page"));
            times.push(started.elapsed());
            found = what;
        }
        let took = median(&mut times);
        worst = worst.max(took);
        let mut wholes = Vec::new();
        for _ in 0..RUNS {
            let started = Instant::now();
            std::hint::black_box(reader.shopping_ids(&query).expect("shopping"));
            wholes.push(started.elapsed());
        }
        notes.push(format!("{text} {} ({found}; the whole list {})", ms(took), ms(median(&mut wholes))));
    }
    table.row(
        "search the shopping log by text",
        "< 16 ms",
        &ms(worst),
        &format!("the first answer and its first 64 entries, as the tab reads them: {}", notes.join(", ")),
    );
}

/// Issue 23: the 变更记录 search of the tab — the newest page of changes
/// ([`HISTORY_SHOWN`]) and their count, as the tab's worker reads them —
/// for a person's name, a room, a running number, an agreement number and
/// a word, each the median of [`RUNS`].
fn measure_history_search(db: &Location, table: &mut Table) {
    let mut desk = HomeDesk::open_at(db).expect("open");
    let user = desk.sign_in(LOGIN, DEMO_PASSWORD, Desk::CsCenter).expect("sign in");
    let store = desk.store();
    let all = store.query_request_ids(&RequestQuery::default()).expect("rows");
    let sample = store.get_request(all[all.len() / 2]).expect("a row");
    let agreement = store.list_agreements(&AgreementQuery::default()).expect("agreements");
    let agreement = agreement.iter().find_map(|a| a.no.map(|no| no.to_string())).unwrap_or_default();
    let (newest, changes) = desk.history(&user, &HistoryQuery::default()).expect("history");
    // A month ten months back: an old range, which a walk over the newest
    // changes would reach last.
    let newest = newest.first().expect("a change").entry.at.date();
    let old_month = (newest - chrono::Duration::days(300), newest - chrono::Duration::days(270));
    let searches = [
        ("name", sample.resident_name.clone(), None),
        ("room", sample.room.clone(), None),
        ("running number", sample.no.to_string(), None),
        ("agreement number", agreement, None),
        ("word", "漏水".to_string(), None),
        ("保洁", "保洁".to_string(), None),
        ("保洁 in a month ten months back", "保洁".to_string(), Some(old_month)),
        // Phrases of several keys: on a server their first part's count is
        // a bound (the fewest changes of a key), 最多 N 条.
        ("日常保洁", "日常保洁".to_string(), None),
        ("电话回访", "电话回访".to_string(), None),
        // Walked over the newest changes, not read from the index: a word
        // in every room, and two digits in nearly every change.
        ("a word in a fifth of the changes (单元)", "单元".to_string(), None),
        ("单元 in a month ten months back", "单元".to_string(), Some(old_month)),
        ("two digits in most changes (20)", "20".to_string(), None),
        ("20 in a month ten months back", "20".to_string(), Some(old_month)),
        ("no text (the tab as it opens)", String::new(), None),
    ];
    let mut worst = Duration::ZERO;
    let mut notes = Vec::new();
    for (what, text, dates) in searches {
        let (from, to) = dates.unzip();
        let query = HistoryQuery { text, from, to, ..HistoryQuery::default() };
        let mut times = Vec::new();
        let mut cpu_times = Vec::new();
        let mut found = 0;
        // On a server, a common text's newest changes first (the tab shows
        // them while its worker reads the whole list): that answer's time,
        // and the whole list's after it.
        let mut first_times = Vec::new();
        let mut first_found = String::new();
        for _ in 0..RUNS {
            let started = Instant::now();
            if let Some((rows, total, at_most)) = desk.first_history(&user, &query).expect("first part") {
                first_times.push(started.elapsed());
                first_found =
                    format!("{}{total}, {} rows", if at_most { "at most " } else { "" }, rows.len());
            }
            let (started, cpu_before) = (Instant::now(), thread_cpu_exact());
            let (rows, total) = desk.history(&user, &query).expect("history search");
            std::hint::black_box(rows);
            times.push(started.elapsed());
            if let Some((after, before)) = thread_cpu_exact().zip(cpu_before) {
                cpu_times.push(after.saturating_sub(before));
            }
            found = total;
        }
        let took = median(&mut times);
        let cpu = if cpu_times.is_empty() {
            String::new()
        } else {
            format!(", CPU {}", ms(median(&mut cpu_times)))
        };
        let first = if first_times.is_empty() {
            worst = worst.max(took);
            String::new()
        } else {
            let first = median(&mut first_times);
            worst = worst.max(first);
            format!("first {} ({first_found}), then the whole list ", ms(first))
        };
        // Correctness only (the test suite asserts what is found): a search
        // for a record's own name, room or number finds its changes.
        assert!(found > 0, "the 变更记录 search for the sample's {what} found nothing");
        let found =
            if found > HISTORY_COUNT_CAP { format!("over {HISTORY_COUNT_CAP}") } else { found.to_string() };
        notes.push(format!("{what} {first}{} ({found} found{cpu})", ms(took)));
    }
    let changes =
        if changes > HISTORY_COUNT_CAP { format!("over {HISTORY_COUNT_CAP}") } else { changes.to_string() };
    table.row(
        "变更记录 search by name, room, number or word, first page and count ready",
        "< 50 ms",
        &ms(worst),
        &format!("{}; {HISTORY_SHOWN} rows a page, of {changes} changes", notes.join(", ")),
    );
}

/// The rows a register's search shows first and what its count says, as
/// the tab's reader thread reads them (`ui/row_query.rs`): on a server, the
/// first page and the count when the store answers those sooner than the
/// whole list (which follows on the thread, the table already drawn); the
/// whole list otherwise. The first page's ids (40 rows: the table's view)
/// and the count as the clerk reads it.
fn first_answer(reader: &Store, query: &RequestQuery) -> (Vec<RequestId>, String) {
    let first = reader.query_request_first_ids(query, FIRST_ROWS).expect("first rows");
    let page = match first {
        Some(page) => page,
        None => {
            let ids = reader.query_request_ids(query).expect("search");
            RequestPage { total: ids.len(), ids, ..RequestPage::default() }
        }
    };
    let total = match (page.is_whole(), page.at_most) {
        (true, _) => format!("{} found", page.total),
        (false, false) => format!("{} found, the first {} read", page.total, page.ids.len()),
        (false, true) => format!("at most {} shown first, the first {} read", page.total, page.ids.len()),
    };
    (page.ids.into_iter().take(40).collect(), total)
}

fn register_query() -> RequestQuery {
    RequestQuery {
        kind: Some(RegisterKind::Housekeeping),
        sort: SortColumn::default(),
        descending: true,
        ..RequestQuery::default()
    }
}

// ----- documents and figures ------------------------------------------------

fn measure_documents(db: &Location, table: &mut Table) {
    let mut desk = HomeDesk::open_at(db).expect("open");
    let agreement = desk.agreements(&AgreementQuery::default()).expect("agreements")[0].id;
    let (took, pdf) = timed(|| desk.print_agreement(agreement).expect("agreement"));
    table.row(
        "agreement PDF",
        "< 50 ms",
        &ms(took),
        &format!("{} pages, {} KB", pdf.pages, pdf.bytes.len() / 1000),
    );
    let today = desk.now().date();
    let slip = desk.store().list_slips(today - chrono::Duration::days(60), today).expect("slips");
    let (took, pdf) = timed(|| desk.print_slips(&[slip[0].no]).expect("slip"));
    table.row(
        "message slip PDF",
        "< 50 ms, one page < 100 KB",
        &ms(took),
        &format!("{} page, {} KB", pdf.pages, pdf.bytes.len() / 1000),
    );

    let last_month = first_of_month(today) - Months::new(1);
    let month = last_month.format("%Y-%m").to_string();
    let (figures, _) = timed(|| desk.month_figures(&month).expect("figures"));
    let (trend, _) = timed(|| desk.trend(month_end(last_month)).expect("trend"));
    let plan_month = month.clone();
    let (plan, drawn) = timed(|| desk.preview_revisit_plan(&plan_month).expect("plan"));
    table.row(
        "a month's statistics + revisit plan",
        "< 300 ms",
        &ms(figures + plan),
        &format!(
            "{month}'s figures {}, {plan_month}'s plan drawn {} ({} households); the twelve months of the charts {}",
            ms(figures),
            ms(plan),
            drawn.households.len(),
            ms(trend)
        ),
    );
    let (took, pdf) = timed(|| desk.print_monthly_report(&month).expect("report"));
    table.row(
        "monthly report PDF with charts",
        "< 1 s",
        &ms(took),
        &format!("{month}: {} pages, {} KB", pdf.pages, pdf.bytes.len() / 1000),
    );
    let _ = &mut desk;
}

/// Runs `work` [`RUNS`] times: the median time and the last result.
fn timed<T>(mut work: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        last = Some(work());
        times.push(started.elapsed());
    }
    (median(&mut times), last.expect("ran"))
}

fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).expect("the 1st")
}

fn month_end(first: NaiveDate) -> NaiveDate {
    first + Months::new(1) - chrono::Duration::days(1)
}

// ----- memory ---------------------------------------------------------------

/// In a fresh process: every tab drawn until complete (each timed from
/// the click to a settled screen), then the resident memory.
fn probe_memory(db: &Location) {
    let (mut app, ctx, _) = open_app(db, Tab::Register, "");
    let mut times = Vec::new();
    for tab in Tab::WALK {
        app.prefs.tab = tab;
        let started = Instant::now();
        settle(&ctx, &mut app);
        times.push(format!("{tab:?} {} (peak {} MB)", ms(started.elapsed()), status_kb("VmHWM:") / 1024));
    }
    println!("memory {} {} {}", status_kb("VmRSS:"), status_kb("VmHWM:"), times.join(", "));
}

/// A field of `/proc/self/status` in kB (`VmRSS:`, `VmHWM:`).
fn status_kb(name: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.split_whitespace().next().and_then(|kb| kb.parse::<u64>().ok()))
        .unwrap_or(0)
}

fn measure_memory(db: &Location, table: &mut Table) {
    let line = run_probe("memory", db);
    assert!(line.starts_with("memory "), "the memory probe failed: no figure");
    let mut words = line.splitn(4, ' ').skip(1);
    let mut kb = || words.next().and_then(|n| n.trim().parse::<u64>().ok()).unwrap_or(0);
    let (rss, peak) = (kb(), kb());
    let tabs = line.splitn(4, ' ').nth(3).unwrap_or_default().trim().to_string();
    table.row(
        "resident memory, database open, every tab visited",
        "< 150 MB",
        &format!("{} MB", rss / 1024),
        &format!("peak {} MB; no GPU textures (they live in the driver's memory)", peak / 1024),
    );
    table.row(
        "each tab complete after switching to it (worker threads included)",
        "—",
        "see notes",
        &format!("{tabs}; the first tab's time includes the first frame's font atlas"),
    );
}

// ----- the table ------------------------------------------------------------

/// The benchmark's table: each measure without a window, and in the real
/// window where `--window` measured it too.
#[derive(Default)]
pub struct Table {
    rows: Vec<Row>,
}

struct Row {
    what: String,
    target: String,
    measured: String,
    window: String,
    notes: String,
}

impl Table {
    /// A window-less measure, with the machine's load averages when it ended
    /// (the machine may be shared: the figures are read beside them).
    pub fn row(&mut self, what: &str, target: &str, measured: &str, notes: &str) {
        let notes =
            if notes.is_empty() { format!("load {}", load()) } else { format!("{notes}; load {}", load()) };
        println!("{what}: {measured} (target {target}) {notes}");
        self.rows.push(Row {
            what: what.into(),
            target: target.into(),
            measured: measured.into(),
            window: "—".into(),
            notes,
        });
    }

    /// The real window's figure for the measure `what` (a new row if the
    /// window-less run did not make one).
    pub fn window(&mut self, what: &str, target: &str, measured: &str, notes: &str) {
        println!("{what}, real window: {measured} (target {target}) {notes}");
        let notes = format!("real window: {notes}");
        match self.rows.iter_mut().find(|r| r.what == what) {
            Some(row) => {
                row.window = measured.into();
                row.notes = if row.notes.is_empty() { notes } else { format!("{}; {notes}", row.notes) };
            }
            None => self.rows.push(Row {
                what: what.into(),
                target: target.into(),
                measured: "—".into(),
                window: measured.into(),
                notes,
            }),
        }
    }

    fn markdown(&self) -> String {
        let mut text =
            String::from("| measure | target | window-less | real window | notes |\n|---|---|---|---|---|\n");
        for r in &self.rows {
            text.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                r.what, r.target, r.measured, r.window, r.notes
            ));
        }
        text
    }
}

/// Puts `table` between the `<!-- {marker}:begin -->` and `<!-- {marker}:end -->`
/// lines of docs/PERFORMANCE.md (`bench`: the file's table, `bench-pg`: the server's).
fn write_into_docs(table: &str, marker: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs").join("PERFORMANCE.md");
    let doc = std::fs::read_to_string(&path).expect("docs/PERFORMANCE.md");
    let (begin_mark, end_mark) = (format!("<!-- {marker}:begin -->"), format!("<!-- {marker}:end -->"));
    let (Some(begin), Some(end)) = (doc.find(&begin_mark), doc.find(&end_mark)) else {
        panic!("docs/PERFORMANCE.md has no {marker}:begin / {marker}:end markers");
    };
    let head = &doc[..begin + begin_mark.len()];
    let tail = &doc[end..];
    std::fs::write(&path, format!("{head}\n{table}{tail}")).expect("write docs/PERFORMANCE.md");
    println!("written into {}", path.display());
}

/// The 1, 5 and 15 minute load averages (`/proc/loadavg`).
pub fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

pub fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

pub fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 { format!("{ms:.1} ms") } else { format!("{ms:.0} ms") }
}
