//! `--backend postgres` (issue 21 item 10): the same measures on an office
//! on a PostgreSQL server, at `--pg URL` or `HOMEDESK_BENCH_PG`.
//!
//! An empty database is filled first with the demo office, timed:
//! `--pg-households N` (default 360) and `--pg-years Y` (default 1), since
//! ten years row by row through the use cases is far too slow on a server.
//! A database that already holds an office is measured as it is (filled
//! before, e.g. copied from a file by `copy-to`). A measure that fails on
//! the server says so in the table instead of a figure. `--window` adds the
//! real window (`performance/window.rs`) on the server.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use homedesk::app::demo::{self, DemoSize};
use homedesk::app::{self, HomeDesk};
use homedesk::store::{HistoryQuery, Location, RequestQuery};

use super::{
    Table, desk_to_desk, measure_documents, measure_frames, measure_history_search, measure_memory,
    measure_search, measure_start, process_cpu, window,
};

/// A measure of the table: its name and target (for the row saying it
/// failed) and the function that measures it.
type Measure = (&'static str, &'static str, fn(&Location, &mut Table));

const MEASURES: [Measure; 7] = [
    ("cold start to the first frame with data", "< 500 ms", measure_start),
    ("one frame of the register tab, filter active", "< 4 ms", measure_frames),
    ("search by room, name, phone or text, first page ready", "< 16 ms", measure_search),
    (
        "变更记录 search by name, room, number or word, first page and count ready",
        "< 50 ms",
        measure_history_search,
    ),
    ("agreement PDF, slip PDF, a month's figures, the monthly report", "—", measure_documents),
    ("resident memory, database open, every tab visited", "< 150 MB", measure_memory),
    ("a commit at one desk seen at the other (two handles, one office)", "< 2 s", desk_to_desk::measure),
];

pub fn measure_server(db: &Location, args: &[String], table: &mut Table) {
    fill(db, args, table);
    // One measure alone, on an office filled before: the register's search
    // and the shopping log's, or the real window.
    let only = |name: &str| args.iter().any(|a| a == name);
    if only("--only-search") {
        measure_search(db, table);
        return;
    }
    // The statistics, the report and the tabs' memory alone (the 统计
    // tab's peak): what a two-year office is measured for beside ten years.
    if only("--only-documents") {
        measure_documents(db, table);
        measure_memory(db, table);
        return;
    }
    if only("--only-window") {
        window::measure(db, table);
        return;
    }
    for (what, target, measure) in MEASURES {
        // An office others measure too (the shared ten-year `ten`): the
        // desk-to-desk measure registers rows, so it is left out.
        if only("--read-only") && what.starts_with("a commit at one desk") {
            table.row(what, target, "not measured", "--read-only: it registers rows");
            continue;
        }
        if catch_unwind(AssertUnwindSafe(|| measure(db, table))).is_err() {
            table.row(what, target, "not measured", "failed on the server (the message above)");
        }
    }
    if args.iter().any(|a| a == "--window")
        && catch_unwind(AssertUnwindSafe(|| window::measure(db, table))).is_err()
    {
        table.window("the real window", "—", "not measured", "failed on the server (the message above)");
    }
}

/// The demo office built on the server if its database is empty, timed;
/// otherwise the office there, described.
fn fill(db: &Location, args: &[String], table: &mut Table) {
    let desk = HomeDesk::open_at(db).expect("the server's database");
    if !desk.needs_setup().expect("whether it holds an office") {
        table.row("the office on the server", "—", "filled before", &describe(&desk));
        return;
    }
    drop(desk);
    let number = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|at| args.get(at + 1))
            .map_or(default, |n| n.parse().unwrap_or_else(|_| panic!("{name} takes a number")))
    };
    let households = number("--pg-households", DemoSize::SMALL.households);
    let years = number("--pg-years", 1) as u32;
    let started = Instant::now();
    let cpu_before = process_cpu();
    let summary =
        demo::fill_demo_at(db, years, DemoSize { households }, app::local_now()).expect("demo office");
    let took = started.elapsed();
    let cpu = process_cpu().zip(cpu_before).map(|(after, before)| after - before);
    let desk = HomeDesk::open_at(db).expect("the server's database");
    table.row(
        &format!("fill the office on the server (`demo --households {households} --years {years}`)"),
        "—",
        &format!("{:.1} s", took.as_secs_f64()),
        &format!(
            "{} households, {} shopping numbers, {} agreements; {}; this process's CPU {} (the server's not counted)",
            summary.households,
            summary.shopping,
            summary.agreements,
            describe(&desk),
            cpu.map_or("?".into(), |c| format!("{:.1} s", c.as_secs_f64()))
        ),
    );
}

/// How big the office is: its register rows and changes.
fn describe(desk: &HomeDesk) -> String {
    let store = desk.store();
    let rows = store.query_request_ids(&RequestQuery::default()).map(|ids| ids.len()).unwrap_or_default();
    let (_, changes) = store.list_history(&HistoryQuery::default(), 1).unwrap_or_default();
    format!("{rows} register rows, {changes} changes (counted up to the history tab's cap)")
}
