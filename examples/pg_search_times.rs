//! Times the registers' search on an office's server (issue 21), for the
//! table "Search on a PostgreSQL server" of docs/PERFORMANCE.md: for each
//! search of the housekeeping register, the whole list of ids
//! (`query_request_ids`, what the register read before) and the first
//! answer the register's reader now shows (`query_request_first_ids`: its
//! first rows and count, or the whole list when few are found); then the
//! 变更记录's searches (its page of 1 000 and count); then the shopping
//! log's (the ids of the entries found, as its reader thread reads them).
//! Median of seven after one run to warm the cache. On the synthetic
//! office of `benches/pg_search_office.sql`:
//!
//!   cargo run --example pg_search_times -- postgres://…/DATABASE [register|history|shopping] [TEXT…]

use std::time::{Duration, Instant};

use homedesk::app::HISTORY_SHOWN;
use homedesk::domain::RegisterKind;
use homedesk::store::{HistoryQuery, Location, RequestQuery, ShoppingQuery, SortColumn, Store};

/// The rows the register's reader asks for first (`ui::row_query::FIRST_ROWS`).
const FIRST_ROWS: usize = 128;

fn median(mut run: impl FnMut()) -> Duration {
    run();
    let mut times: Vec<Duration> = (0..7)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[3]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("the office's URL");
    // Migrated as the app opens it; the first answer read as the register's
    // reader thread reads it (no parallel workers).
    let store = Store::open_server_existing(&url).expect("the office");
    let reader = Store::open_reader_at(&Location::Server(url.clone())).expect("a reader");
    let mut texts: Vec<String> = args.collect();
    let only = match texts.first().map(String::as_str) {
        Some(part @ ("register" | "history" | "shopping")) => Some(part.to_string()),
        _ => None,
    };
    if only.is_some() {
        texts.remove(0);
    }
    let part = |name: &str| only.as_deref().is_none_or(|only| only == name);
    if part("register") {
        register(&store, &reader, texts.clone());
    }
    if part("history") {
        history(&reader);
    }
    if part("shopping") {
        shopping(&reader, texts);
    }
}

/// The register's searches: the whole list, and the first answer.
fn register(store: &Store, reader: &Store, mut texts: Vec<String>) {
    if texts.is_empty() {
        let phone: String = store
            .get_requests(&[123_457])
            .ok()
            .and_then(|rows| rows.first().map(|r| r.phone.chars().skip(3).take(7).collect()))
            .unwrap_or_else(|| "5791234".into());
        texts = [
            phone.as_str(),
            "王建国",
            "漏水",
            "保洁",
            "王",
            "1",
            "3栋2单元",
            "2单元1",
            "厨房水管漏水",
            "3栋2单元1901",
        ]
        .map(String::from)
        .to_vec();
    }
    println!("| search | found | whole list (before) | first answer (now) |");
    println!("|---|---|---|---|");
    for text in &texts {
        for sort in [SortColumn::No, SortColumn::ReceivedAt] {
            let query = RequestQuery {
                kind: Some(RegisterKind::Housekeeping),
                text: text.clone(),
                sort,
                descending: true,
                ..RequestQuery::default()
            };
            let mut found = 0;
            let whole = median(|| found = store.query_request_ids(&query).expect("whole").len());
            let mut first = String::new();
            let now = median(|| {
                let page = reader.query_request_first_ids(&query, FIRST_ROWS).expect("first");
                first = match page {
                    Some(p) if p.is_whole() => format!("whole, {}", p.total),
                    Some(p) => format!("{} of {}", p.ids.len(), p.total),
                    None => "none".into(),
                };
            });
            println!("| {text} ({sort:?}) | {found} | {} | {} ({first}) |", ms(whole), ms(now));
        }
    }
}

/// The 变更记录's searches: its page and count.
fn history(reader: &Store) {
    println!();
    println!("| 变更记录 search | page, count | page of 1 000 and count |");
    println!("|---|---|---|");
    for text in ["王建国", "12栋3单元", "漏水", "保洁", "WX-2020-0001"] {
        let query = HistoryQuery { text: text.into(), ..HistoryQuery::default() };
        let mut found = (0, 0);
        let time = median(|| {
            let (rows, count) = reader.list_history(&query, HISTORY_SHOWN).expect("history");
            found = (rows.len(), count);
        });
        println!("| {text} | {} rows, {} | {} |", found.0, found.1, ms(time));
    }
}

/// The shopping log's searches: the ids of the entries found, newest
/// number first, as the log's reader thread reads them.
fn shopping(reader: &Store, mut texts: Vec<String>) {
    if texts.is_empty() {
        texts = ["000123", "牛奶", "奶", "1", "3栋2单元", "王建国"].map(String::from).to_vec();
    }
    println!();
    println!("| shopping log search | found | ids |");
    println!("|---|---|---|");
    for text in &texts {
        let query = ShoppingQuery { text: text.clone(), ..ShoppingQuery::default() };
        let mut found = 0;
        let time = median(|| found = reader.shopping_ids(&query).expect("shopping").len());
        println!("| {text} | {found} | {} |", ms(time));
    }
}
