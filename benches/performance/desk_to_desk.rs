//! Issue 21 item 10: the time from a commit at one desk to its appearance
//! at the other, on either backend. Two handles on one office: desk A
//! registers a request (the whole use case, one commit); desk B polls
//! `Store::data_version` as the window does (`ui/mod.rs`, `POLL_EVERY`)
//! and, once it moved, reads the register's first page again and finds the
//! new row there.
//!
//! Three figures: the poll's own query; a commit to its sight when desk B
//! polls without pause (what the database adds); and the whole path with
//! the window's poll interval, desk A committing at moments spread over
//! the interval (bounded by the interval: on average half of it).

use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::Duration as Days;
use homedesk::app::HomeDesk;
use homedesk::app::demo::DEMO_PASSWORD;
use homedesk::domain::{Desk, IntakeDraft, RegisterKind, ServiceChoice, User};
use homedesk::store::{Location, RequestQuery};

use super::{LOGIN, Table, ms, register_query};

/// `ms`, or microseconds under a tenth of a millisecond (a poll on a file).
fn fine(d: Duration) -> String {
    if d < Duration::from_micros(100) { format!("{} µs", d.as_micros()) } else { ms(d) }
}

/// The window's poll interval (`ui/mod.rs`, `POLL_EVERY`).
const POLL_EVERY: Duration = Duration::from_secs(1);
/// Polls timed for the query's own latency.
const POLLS: usize = 200;
/// Commits seen by a desk polling without pause.
const TIGHT: usize = 20;
/// Commits seen by a desk polling at the window's interval.
const PACED: usize = 15;

pub fn measure(db: &Location, table: &mut Table) {
    let mut desk_a = HomeDesk::open_at(db).expect("desk A");
    let user = desk_a.sign_in(LOGIN, DEMO_PASSWORD, Desk::CsCenter).expect("sign in");
    let draft = draft(&desk_a);
    let desk_b = HomeDesk::open_at(db).expect("desk B");

    let mut polls: Vec<Duration> = (0..POLLS)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(desk_b.store().data_version().expect("data_version"));
            started.elapsed()
        })
        .collect();
    let (commits, mut tight) = tight_sightings(&mut desk_a, &user, &draft, &desk_b);
    drop(desk_b);
    let (mut paced, mut reads, found) = paced_sightings(db, &mut desk_a, &user, &draft);
    let mut commits = commits;
    table.row(
        "a commit at one desk seen at the other (two handles, one office)",
        "< 2 s",
        &ms(percentile(&mut paced, 50)),
        &format!(
            "with the window's poll every {} s, {PACED} commits spread over the interval: median {}, 90th {}, \
             slowest {}, then the register's first page read again {} (median; the new row on it {found} times of {PACED}); \
             the poll's query (`data_version`) median {}, 90th {}, slowest {} ({POLLS} polls); \
             polling without pause, seen {} after the commit returned (median of {TIGHT}, slowest {}); \
             the commit itself (registering a request) {}",
            POLL_EVERY.as_secs(),
            ms(percentile(&mut paced, 50)),
            ms(percentile(&mut paced, 90)),
            ms(percentile(&mut paced, 100)),
            ms(percentile(&mut reads, 50)),
            fine(percentile(&mut polls, 50)),
            fine(percentile(&mut polls, 90)),
            fine(percentile(&mut polls, 100)),
            fine(percentile(&mut tight, 50)),
            fine(percentile(&mut tight, 100)),
            ms(percentile(&mut commits, 50)),
        ),
    );
}

/// A request at a room the office knows, booked for tomorrow at the list price.
fn draft(desk: &HomeDesk) -> IntakeDraft {
    let store = desk.store();
    let item = store
        .list_price_items()
        .expect("price list")
        .into_iter()
        .find(|i| i.active && i.category.register() == RegisterKind::Housekeeping)
        .expect("a housekeeping item");
    let ids = store.query_request_ids(&RequestQuery::default()).expect("rows");
    let sample = store.get_request(ids[ids.len() / 2]).expect("a row");
    let tomorrow = desk.now().date() + Days::days(1);
    IntakeDraft {
        kind: Some(RegisterKind::Housekeeping),
        room: sample.room.to_string(),
        resident_name: sample.resident_name.clone(),
        phone: sample.phone.clone(),
        service: ServiceChoice::Listed(item.id),
        details: "两台电脑之间的延迟（基准测试）".into(),
        appointment: format!("{tomorrow} 10:00"),
        price: item.price.to_string(),
        price_agreed: true,
        ..IntakeDraft::default()
    }
}

/// Desk B polls without pause: each commit's own time, and how long after
/// it returned desk B saw it.
fn tight_sightings(
    desk_a: &mut HomeDesk,
    user: &User,
    draft: &IntakeDraft,
    desk_b: &HomeDesk,
) -> (Vec<Duration>, Vec<Duration>) {
    let mut commits = Vec::new();
    let mut seen = Vec::new();
    for _ in 0..TIGHT {
        let before = desk_b.store().data_version().expect("data_version");
        let started = Instant::now();
        desk_a.register_request(user, draft).expect("register");
        let committed = Instant::now();
        commits.push(committed - started);
        while desk_b.store().data_version().expect("data_version") == before {}
        seen.push(committed.elapsed());
    }
    (commits, seen)
}

/// Desk B on a thread of its own, polling every [`POLL_EVERY`] as the
/// window does; desk A commits at moments spread evenly over the interval.
/// Each commit's time to desk B's sight of it, and desk B's read of the
/// register's first page after it.
fn paced_sightings(
    db: &Location,
    desk_a: &mut HomeDesk,
    user: &User,
    draft: &IntakeDraft,
) -> (Vec<Duration>, Vec<Duration>, usize) {
    let (sightings, seen) = mpsc::channel::<(Instant, Duration, bool)>();
    let (stop, stopped) = mpsc::channel::<()>();
    let location = db.clone();
    let poller = std::thread::spawn(move || {
        let desk_b = HomeDesk::open_at(&location).expect("desk B");
        let mut version = desk_b.store().data_version().expect("data_version");
        let mut next = Instant::now();
        while stopped.try_recv().is_err() {
            next += POLL_EVERY;
            std::thread::sleep(next.saturating_duration_since(Instant::now()));
            let now = desk_b.store().data_version().expect("data_version");
            if now != version {
                let at = Instant::now();
                version = now;
                let read = Instant::now();
                let ids = desk_b.store().query_request_ids(&register_query()).expect("register");
                let page: Vec<_> = ids.iter().take(40).copied().collect();
                let rows = desk_b.store().get_requests(&page).expect("page");
                let found = rows.iter().any(|r| r.details.contains("基准测试"));
                let _ = sightings.send((at, read.elapsed(), found));
            }
        }
    });
    let mut times = Vec::new();
    let mut reads = Vec::new();
    let mut shown = 0;
    for n in 0..PACED {
        // Spread over the interval: the golden ratio's multiples, modulo one.
        let offset = (n as f64 * 0.618_034).fract();
        std::thread::sleep(POLL_EVERY.mul_f64(offset) + Duration::from_millis(50));
        desk_a.register_request(user, draft).expect("register");
        let committed = Instant::now();
        let (at, read, found) = seen.recv_timeout(Duration::from_secs(10)).expect("desk B saw the commit");
        shown += usize::from(found);
        times.push(at.saturating_duration_since(committed));
        reads.push(read);
    }
    let _ = stop.send(());
    poller.join().expect("desk B's thread");
    (times, reads, shown)
}

/// The `p`th percentile (0–100) of `times`, nearest rank.
fn percentile(times: &mut [Duration], p: usize) -> Duration {
    times.sort();
    let rank = (times.len() * p).div_ceil(100).max(1);
    times.get(rank - 1).copied().unwrap_or_default()
}
