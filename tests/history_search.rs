//! History an auditor can read and search (issue 23, R-FU-6), on a
//! generated office: every change names its record as a clerk does and the
//! ids in its values by what they pointed to; a search by a record's
//! number finds every change about it — its steps, its amendments, its
//! termination — and a room or a name finds theirs. Correctness only: the
//! speed on ten years is measured by `benches/performance.rs`. The demo
//! office is built on SQLite files only; the search itself is also run on
//! both backends on a few changes made through the app (issue 21).

mod common;

use std::collections::BTreeSet;

use common::backends::offices;
use common::*;
use homedesk::app::HomeDesk;
use homedesk::app::demo::{self, DemoSize};
use homedesk::domain::{Desk, Entity, HistoryRow, RegisterKind, User};
use homedesk::store::{HISTORY_COUNT_CAP, HistoryQuery, Location};

/// Four months of the small demo office (tens of thousands of changes),
/// opened by its manager.
fn generated_office() -> (TestDb, HomeDesk, User) {
    let db = temp_db();
    demo::fill_demo_days(&db.path, 120, DemoSize::SMALL, at("2026-11-02 18:00"))
        .unwrap_or_else(|e| panic!("demo: {e}"));
    let mut desk = open_at(&db.path, fixed_clock(at("2026-11-03 09:00")));
    let manager = desk
        .sign_in("wangjl", demo::DEMO_PASSWORD, Desk::CsCenter)
        .unwrap_or_else(|e| panic!("sign in: {e}"));
    (db, desk, manager)
}

fn search(desk: &HomeDesk, user: &User, text: &str) -> Vec<HistoryRow> {
    let query = HistoryQuery { text: text.into(), ..HistoryQuery::default() };
    let (rows, total) = desk.history(user, &query).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows.len(), total, "{text}: every match is on the page");
    rows
}

/// The history ids `sql` selects from the raw file.
fn ids(db: &TestDb, sql: &str, param: i64) -> BTreeSet<i64> {
    let conn = raw(&db.path);
    let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{e}"));
    let rows = stmt.query_map([param], |r| r.get(0)).unwrap_or_else(|e| panic!("{e}"));
    rows.map(|r| r.unwrap_or_else(|e| panic!("{e}"))).collect()
}

fn one(db: &TestDb, sql: &str) -> (i64, String) {
    raw(&db.path).query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

#[test]
fn r_fu_6_a_search_by_number_room_or_name_finds_every_change_about_it_on_a_generated_office() {
    let (db, desk, manager) = generated_office();

    // An agreement by its number: its own changes (the termination or last
    // change among them) and its amendments, all labelled with the number.
    let (agreement, number) = one(
        &db,
        "SELECT a.id, 'XY-' || a.year || '-' || printf('%04d', a.seq) FROM agreements a
         WHERE a.seq IS NOT NULL ORDER BY (SELECT count(*) FROM agreement_amendments m WHERE m.agreement_id = a.id) DESC,
             a.status = 'terminated' DESC, a.id LIMIT 1",
    );
    let found = search(&desk, &manager, &number);
    let found_ids: BTreeSet<i64> = found.iter().map(|r| r.id).collect();
    let about = ids(
        &db,
        "SELECT h.id FROM history h WHERE (h.entity = 'agreement' AND h.entity_id = ?1)
            OR (h.entity = 'amendment' AND h.entity_id IN (SELECT id FROM agreement_amendments WHERE agreement_id = ?1))",
        agreement,
    );
    let numbered = ids(
        &db,
        "SELECT h.id FROM history h JOIN agreements a ON a.id = h.entity_id
         WHERE h.entity = 'agreement' AND h.entity_id = ?1 AND h.id >= (SELECT min(id) FROM history
             WHERE entity = 'agreement' AND entity_id = ?1 AND changes LIKE '%\"field\":\"no\"%')
         UNION SELECT h.id FROM history h JOIN agreement_amendments m ON m.id = h.entity_id
         WHERE h.entity = 'amendment' AND m.agreement_id = ?1",
        agreement,
    );
    assert!(!numbered.is_empty(), "{number} has changes once numbered");
    assert!(numbered.is_subset(&found_ids), "{number}: missing {:?}", numbered.difference(&found_ids));
    assert!(about.len() >= numbered.len());
    for row in found.iter().filter(|r| numbered.contains(&r.id)) {
        assert_eq!(row.record, number, "labelled by the agreement's number: {row:?}");
    }
    let terminated: Vec<_> = found
        .iter()
        .filter(|r| r.entry.entity == Entity::Agreement)
        .filter(|r| r.entry.changes.iter().any(|c| c.field == "status" && c.new == "terminated"))
        .collect();
    let is_terminated = one(&db, &format!("SELECT id, status FROM agreements WHERE id = {agreement}")).1;
    assert_eq!(
        !terminated.is_empty(),
        is_terminated == "terminated",
        "the termination is found by the number"
    );

    // A job by its running number: its intake and every step, and the
    // day reviews and message slips that name it.
    let (request, running_no) = one(
        &db,
        "SELECT r.id, CASE r.kind WHEN 'housekeeping' THEN 'JZ' WHEN 'repair' THEN 'WX' ELSE 'BJ' END
            || '-' || r.year || '-' || printf('%06d', r.seq)
         FROM requests r ORDER BY (SELECT count(*) FROM day_reviews d WHERE d.request_id = r.id) DESC,
             (SELECT count(*) FROM history h WHERE h.entity = 'request' AND h.entity_id = r.id) DESC LIMIT 1",
    );
    let found_ids: BTreeSet<i64> = search(&desk, &manager, &running_no).iter().map(|r| r.id).collect();
    let about = ids(
        &db,
        "SELECT h.id FROM history h WHERE (h.entity = 'request' AND h.entity_id = ?1)
            OR (h.entity = 'day_review' AND h.entity_id IN (SELECT id FROM day_reviews WHERE request_id = ?1))
            OR (h.entity = 'slip' AND h.entity_id IN (SELECT id FROM message_slips WHERE request_id = ?1))",
        request,
    );
    assert!(about.len() > 2, "{running_no} has steps");
    assert!(about.is_subset(&found_ids), "{running_no}: missing {:?}", about.difference(&found_ids));

    // A room: its household's changes and the jobs filed for it.
    let (household, room) = one(&db, "SELECT id, room FROM households ORDER BY id LIMIT 1 OFFSET 7");
    let found = search(&desk, &manager, &room);
    let own = ids(&db, "SELECT id FROM history WHERE entity = 'household' AND entity_id = ?1", household);
    assert!(own.iter().all(|id| found.iter().any(|r| r.id == *id)), "{room}: the household's own changes");
    assert!(
        found.iter().all(|r| r.record.contains(&room) || changed_or_named(r, &room)),
        "{room}: only its changes"
    );

    // A person's name: the staff member's own record, and the cash they
    // handed over, named by them where the history holds their id.
    let (staff, name) = one(
        &db,
        "SELECT s.id, s.name FROM staff s JOIN cash_receipts c ON c.staff_id = s.id GROUP BY s.id ORDER BY s.id LIMIT 1",
    );
    let found = search(&desk, &manager, &name);
    let own = ids(&db, "SELECT id FROM history WHERE entity = 'staff' AND entity_id = ?1", staff);
    assert!(own.iter().all(|id| found.iter().any(|r| r.id == *id)), "{name}: the staff record");
    let receipt = found.iter().find(|r| r.entry.entity == Entity::CashReceipt);
    let receipt = receipt.unwrap_or_else(|| panic!("{name}: their cash handovers"));
    assert!(receipt.record.starts_with(&name), "a handover names who: {receipt:?}");
    let field =
        receipt.entry.changes.iter().find(|c| c.field == "staff").map(|c| receipt.value_of(&c.field, &c.new));
    assert_eq!(field, Some(name.as_str()), "the staff id reads as the name: {receipt:?}");
}

/// Whether `row` names `text` among its values or the labels of its ids.
fn changed_or_named(row: &HistoryRow, text: &str) -> bool {
    let squeeze = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let text = squeeze(text);
    row.entry.changes.iter().any(|c| squeeze(&c.old).contains(&text) || squeeze(&c.new).contains(&text))
        || row.refs.iter().any(|r| squeeze(&r.label).contains(&text))
        || row.entry.reason.as_deref().is_some_and(|r| squeeze(r).contains(&text))
        || squeeze(&row.record).contains(&text)
        || squeeze(&row.entry.user_name).contains(&text)
}

#[test]
fn r_fu_6_every_change_names_its_record_as_a_clerk_does() {
    let (_db, desk, manager) = generated_office();
    let (rows, _) = desk.history(&manager, &HistoryQuery::default()).unwrap_or_else(|e| panic!("{e}"));
    let unnamed: Vec<_> = rows.iter().filter(|r| r.record.is_empty()).collect();
    assert!(unnamed.is_empty(), "every change names its record: {unnamed:?}");
    for entity in [Entity::Resident, Entity::Revisit, Entity::CashReceipt, Entity::DayReview, Entity::Slip] {
        let query = HistoryQuery { entity: Some(entity), ..HistoryQuery::default() };
        let (rows, _) = desk.history(&manager, &query).unwrap_or_else(|e| panic!("{e}"));
        let row = rows.first().unwrap_or_else(|| panic!("the demo has a change of {entity:?}"));
        assert!(!row.record.chars().all(|c| c.is_ascii_digit()), "{entity:?} is not named by an id: {row:?}");
    }
}

/// The history's search on both backends: a register row's running number,
/// its room and its resident find its changes, a correction's old and new
/// values find it, one character finds what holds it, and a phrase's
/// pairs found apart find nothing (SQLite's FTS5 phrase; the server's
/// arrays of the same terms).
#[test]
fn r_fu_6_the_history_search_finds_a_rows_changes_on_both_backends() {
    for (backend, mut desk, office) in offices(|| fixed_clock(now())) {
        let name = backend.name();
        let mut draft = housekeeping_draft(&office);
        draft.resident_name = "欧阳建国".into();
        draft.details = "油烟 烟机".into();
        let row = desk.register_request(&office.cs_clerk, &draft).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let mut correction = homedesk::domain::CorrectionDraft::of(&row);
        correction.details = "更换阳台灯泡".into();
        correction.reason = "住户来电更正".into();
        desk.correct_request(&office.cs_clerk, row.id, &correction)
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let about_row = |text: &str| -> usize {
            search(&desk, &office.manager, text)
                .iter()
                .filter(|r| r.entry.entity == Entity::Request && r.entry.entity_id == row.id)
                .count()
        };
        for text in [row.no.to_string().as_str(), "3栋2单元201", "欧阳建国", "阳台灯泡", "住户来电", "欧"]
        {
            assert!(about_row(text) >= 1, "{name}: {text} finds the row's changes");
        }
        assert_eq!(about_row(&row.no.to_string()), 2, "{name}: its creation and its correction");
        assert_eq!(about_row("油烟机"), 0, "{name}: 油烟 and 烟机 apart are not 油烟机");
        assert_eq!(about_row("油烟"), 2, "{name}: the old details, in both changes");
        // A page of one is full, so the changes found are counted: on the
        // server a text alone on its keys, with another filter through the history.
        let counted =
            |q: &HistoryQuery| desk.store().list_history(q, 1).unwrap_or_else(|e| panic!("{name}: {e}")).1;
        let text = HistoryQuery { text: "油烟".into(), ..HistoryQuery::default() };
        assert_eq!(counted(&text), 2, "{name}: a text alone");
        let by = HistoryQuery { user: Some(office.cs_clerk.name.clone()), ..text.clone() };
        assert_eq!(counted(&by), 2, "{name}: a text and who");
        let nobody = HistoryQuery { user: Some("nobody".into()), ..text };
        assert_eq!(counted(&nobody), 0, "{name}: a text and someone else");
        let phrase = HistoryQuery { text: "阳台灯泡".into(), ..HistoryQuery::default() };
        assert_eq!(counted(&phrase), 1, "{name}: a phrase, counted");
    }
}

/// What the history's whole phrase finds in FTS5 (issue 23): every change
/// holding `text`, newest first, read straight from the index — the answer
/// the quicker lookups (a number by its rarer ASCII grams, a room by its
/// rarer pairs, a word counted in the index alone) must give.
fn whole_answer(db: &TestDb, text: &str) -> Vec<i64> {
    let query = homedesk::store::match_query(text).unwrap_or_else(|| panic!("{text}: nothing to look for"));
    let conn = raw(&db.path);
    let mut stmt = conn
        .prepare("SELECT -rowid FROM history_search WHERE history_search MATCH ?1 ORDER BY rowid")
        .unwrap_or_else(|e| panic!("{e}"));
    let rows = stmt.query_map([query], |r| r.get(0)).unwrap_or_else(|e| panic!("{e}"));
    rows.map(|r| r.unwrap_or_else(|e| panic!("{e}"))).collect()
}

#[test]
fn r_fu_6_a_number_a_room_or_a_frequent_word_finds_what_the_whole_phrase_finds() {
    let (db, desk, _manager) = generated_office();
    let (_, running_no) = one(
        &db,
        "SELECT r.id, CASE r.kind WHEN 'housekeeping' THEN 'JZ' WHEN 'repair' THEN 'WX' ELSE 'BJ' END
            || '-' || r.year || '-' || printf('%06d', r.seq) FROM requests r ORDER BY r.id LIMIT 1 OFFSET 40",
    );
    let (_, agreement) = one(
        &db,
        "SELECT id, 'XY-' || year || '-' || printf('%04d', seq) FROM agreements WHERE seq IS NOT NULL LIMIT 1",
    );
    let (_, room) = one(&db, "SELECT id, room FROM households ORDER BY id LIMIT 1 OFFSET 11");
    let (_, phone) = one(&db, "SELECT id, substr(phone, -6) FROM residents WHERE length(phone) >= 6 LIMIT 1");
    let (_, name) = one(&db, "SELECT id, resident_name FROM requests ORDER BY id LIMIT 1 OFFSET 7");
    let seq_digits: String = running_no.chars().rev().take(5).collect::<Vec<_>>().into_iter().rev().collect();
    let texts = [
        running_no.clone(),
        running_no.to_lowercase().replace('-', ""),
        seq_digits,
        agreement,
        room,
        phone,
        "2026-10-05".into(),
        "保洁".into(),
        "漏水".into(),
        name,
        // One character, in most changes and in few (migration 28's walk
        // over the newest changes and its index of keys).
        "2".into(),
        "洁".into(),
    ];
    // Searched on a reader, as the 变更记录 tab searches: its connection
    // must know the functions the search calls as well as the writer's.
    let reader = desk.reader().unwrap();
    let first = assert_finds_the_whole_phrase(&db, reader.store(), &texts, "file");
    assert_eq!(first, 0, "a file answers the whole page at once");
    // The same office on a server (issue 21, migration 28): its keys in a
    // GIN index and counted, looked up or walked, find what FTS5's whole
    // phrase finds in the file, change for change (a copy keeps the ids).
    if let Some(url) = common::backends::server() {
        let server = common::backends::ServerDb::new(&url);
        let target = Location::Server(server.url());
        let report = homedesk::app::copy_office(&Location::File(db.path.clone()), &target, &mut |_| {})
            .unwrap_or_else(|e| panic!("copy-to: {e}"));
        assert!(report.is_sound(), "the copy onto the server");
        let on_server = HomeDesk::open_at_with_clock(&target, fixed_clock(at("2026-11-03 09:00")))
            .unwrap_or_else(|e| panic!("server: {e}"));
        let reader = on_server.reader().unwrap();
        let first = assert_finds_the_whole_phrase(&db, reader.store(), &texts, "server");
        assert!(first > 0, "a common word's newest changes come first on the server");
    }
}

/// Each of `texts` found in `store` (`backend`) as FTS5's whole phrase
/// finds it in the file `db`: the first page of five (full, so counted),
/// every match on one page, and with who made the change as well; and
/// the newest five answered first before a page of 1 000 (issue 21: on a
/// server, a common text walked), as many texts as were.
fn assert_finds_the_whole_phrase(
    db: &TestDb,
    store: &homedesk::store::Store,
    texts: &[String],
    backend: &str,
) -> usize {
    let mut answered_first = 0;
    for text in texts.iter().map(String::as_str) {
        let whole = whole_answer(db, text);
        assert!(!whole.is_empty() || text == "2026-10-05", "{text}: the demo holds it");
        // A page of five, then the count (the path a page that is full
        // takes), and every match on one page.
        let query = HistoryQuery { text: text.into(), ..HistoryQuery::default() };
        let (page, total) = store.list_history(&query, 5).unwrap_or_else(|e| panic!("{backend} {text}: {e}"));
        let page: Vec<i64> = page.iter().map(|r| r.id).collect();
        assert_eq!(
            page,
            whole.iter().take(5).copied().collect::<Vec<_>>(),
            "{backend} {text}: the first page"
        );
        assert_eq!(total, whole.len().min(HISTORY_COUNT_CAP + 1), "{backend} {text}: the count");
        let (all, total) =
            store.list_history(&query, whole.len() + 1).unwrap_or_else(|e| panic!("{backend} {text}: {e}"));
        assert_eq!(
            all.iter().map(|r| r.id).collect::<Vec<_>>(),
            whole,
            "{backend} {text}: every match, in order"
        );
        assert_eq!(total, whole.len(), "{backend} {text}");
        // The newest first: the page's first five, counted exactly by the
        // kept counts for one key, else bounded by them.
        let first = store.first_history(&query, 5, 1_000).unwrap_or_else(|e| panic!("{backend} {text}: {e}"));
        if let Some((first, most, at_most)) = first {
            answered_first += 1;
            assert_eq!(
                first.iter().map(|r| r.id).collect::<Vec<_>>(),
                whole.iter().take(5).copied().collect::<Vec<_>>(),
                "{backend} {text}: the first part"
            );
            let counted = whole.len().min(HISTORY_COUNT_CAP + 1);
            if at_most {
                assert!(most >= counted, "{backend} {text}: at most {most}, found {counted}");
            } else {
                assert_eq!(most, counted, "{backend} {text}: the first part's count");
            }
        }
        // In a date range (issue 21: on a server a common text walks the
        // range's changes by id, or a wide range by time from its end):
        // the page of five and the count are those of every match made in
        // it, newest first.
        let middle = all.get(all.len() / 2).map(|row| row.entry.at.date());
        for (day, days) in middle.into_iter().flat_map(|day| [(day, 10), (day, 100)]) {
            let (from, to) = (day - chrono::Duration::days(days), day + chrono::Duration::days(days));
            let dated = HistoryQuery { from: Some(from), to: Some(to), ..query.clone() };
            let within: Vec<i64> =
                all.iter().filter(|r| (from..=to).contains(&r.entry.at.date())).map(|r| r.id).collect();
            let (page, total) =
                store.list_history(&dated, 5).unwrap_or_else(|e| panic!("{backend} {text}: {e}"));
            let page: Vec<i64> = page.iter().map(|r| r.id).collect();
            assert_eq!(
                page,
                within.iter().take(5).copied().collect::<Vec<_>>(),
                "{backend} {text}: dated page"
            );
            assert_eq!(total, within.len(), "{backend} {text} from {from} to {to}: the count");
        }
        // With who made the change as well, the count reads the history.
        if let Some(first) = all.first() {
            let by = HistoryQuery { user: Some(first.entry.user_name.clone()), ..query.clone() };
            let (_, total) = store.list_history(&by, 1).unwrap_or_else(|e| panic!("{backend} {text}: {e}"));
            let theirs = all.iter().filter(|r| r.entry.user_name == first.entry.user_name).count();
            assert_eq!(total, theirs, "{backend} {text} by {}", first.entry.user_name);
        }
    }
    answered_first
}

/// Issue 21: a date range is searched by its own changes (on a server, a
/// common text walks the ids from the range's first change to its last),
/// and a change written out of time order — a desk whose clock was a day
/// behind — is found in its own day only, on each backend.
#[test]
fn r_fu_6_a_date_range_finds_a_text_in_changes_made_in_it_even_written_out_of_time_order() {
    let clock = TestClock::new(now());
    for (backend, mut desk, office) in offices(|| clock.clock()) {
        let name = backend.name();
        let mut register = |when: &str| {
            clock.set(at(when));
            desk.register_request(&office.cs_clerk, &draft_at(&office, RegisterKind::Housekeeping, at(when)))
                .unwrap_or_else(|e| panic!("{name}: {e:?}"))
                .id
        };
        let first = register("2026-03-05 09:00");
        let behind = register("2026-03-04 09:00");
        let last = register("2026-03-05 10:00");
        // The clerk's name: in every change of the three, and no other.
        let found = |day: &str| -> Vec<i64> {
            let day = at(&format!("{day} 00:00")).date();
            let q = HistoryQuery {
                text: office.cs_clerk.name.clone(),
                from: Some(day),
                to: Some(day),
                ..HistoryQuery::default()
            };
            let (rows, total) = desk.store().list_history(&q, 100).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(rows.len(), total, "{name}: every match on the page");
            assert!(rows.iter().all(|r| r.entry.at.date() == day), "{name}: {day} only");
            let requests = rows.iter().filter(|r| r.entry.entity == Entity::Request);
            let mut ids: Vec<i64> = requests.map(|r| r.entry.entity_id).collect();
            ids.dedup();
            ids
        };
        assert_eq!(found("2026-03-05"), vec![last, first], "{name}: the day's two, newest first");
        assert_eq!(found("2026-03-04"), vec![behind], "{name}: the one written a day behind");
    }
}
