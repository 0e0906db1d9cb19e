//! Moving an office and backing one up across the backends (issue 21,
//! item 6), through the real binary: `copy-to` from a demo file to the
//! server and back to a file keeps every table's rows and `check` passes
//! on all three; a target that is not empty is refused with nothing
//! written; a server's `backup` is a HomeDesk file that `restore` puts
//! onto an empty server. On SQLite alone (no `HOMEDESK_TEST_PG`), the
//! middle of the round trip is a second file.

mod common;

use std::path::Path;

use common::backends::{Backend, Named, ServerDb, offices, server};
use common::{fixed_clock, homedesk, now, run_ok, text};
use homedesk::domain::Desk;
use homedesk::store::{Location, Store};

/// Every copied table's rows at `db` (a path or a URL).
fn counts(db: &str) -> Vec<(String, i64)> {
    let store =
        Store::open_existing_at(&Location::from_arg(db.into())).unwrap_or_else(|e| panic!("{db}: {e}"));
    store.table_counts().unwrap()
}

fn path_text(path: &Path) -> String {
    path.to_str().unwrap().to_string()
}

/// `check` passes at `db` (the history's chain, the seals and every invariant).
fn assert_check_passes(db: &str) {
    let output = homedesk(db, &["check"], "");
    let out = text(&output.stdout);
    assert!(output.status.success() && out.contains("ok"), "check on {db}: {out}{}", text(&output.stderr));
}

/// What a `copy-to` printed says of its comparison: one line per table,
/// each equal, and `check` passing at both ends.
fn assert_copy_says_all_equal(out: &str, tables: usize) {
    assert_eq!(out.lines().filter(|l| l.ends_with('✓')).count(), tables, "one equal line per table:\n{out}");
    assert!(!out.contains('✗'), "no table differs:\n{out}");
    assert_eq!(out.lines().filter(|l| l.starts_with("检查通过")).count(), 2, "check at both ends:\n{out}");
}

#[test]
fn a_demo_office_goes_file_to_server_to_file_with_every_table_and_check_passing() {
    let dir = tempfile::tempdir().unwrap();
    let first = path_text(&dir.path().join("demo.db"));
    run_ok(&first, &["demo", "--households", "50"]);
    let server_db = server().map(|url| ServerDb::new(&url));
    let middle = server_db.as_ref().map_or_else(|| path_text(&dir.path().join("middle.db")), ServerDb::url);
    let last = path_text(&dir.path().join("back.db"));

    let tables = counts(&first);
    assert!(tables.iter().any(|(t, n)| t == "history" && *n > 1000), "a demo with history: {tables:?}");
    assert!(tables.iter().any(|(t, _)| t == "history_labels"), "the history's labels are copied: {tables:?}");
    assert_copy_says_all_equal(&run_ok(&first, &["copy-to", &middle]), tables.len());
    assert_copy_says_all_equal(&run_ok(&middle, &["copy-to", &last]), tables.len());

    for db in [&first, &middle, &last] {
        assert_check_passes(db);
        assert_eq!(counts(db), tables, "every table's rows at {db}");
    }
    if let Some(db) = &server_db {
        assert_server_search_keys_filled(db);
        assert_server_search_rows_are_the_triggers(db);
    }
}

/// Issue 21, item 6 (a fast copy): the search rows a copy cut in Rust and
/// streamed in are, row for row, what the server's own SQL functions give
/// (those the triggers write with): each register row's and change's
/// terms, every key, triple and kept count. Compared both ways (`EXCEPT`).
fn assert_server_search_rows_are_the_triggers(db: &ServerDb) {
    let mut client = postgres::Client::connect(&db.url(), postgres::NoTls).unwrap();
    let pairs = [
        (
            "SELECT id, kind, terms FROM requests_search",
            "SELECT r.id, r.kind, request_terms(r) FROM requests r",
        ),
        (
            "SELECT history_id, terms FROM history_search",
            "SELECT l.history_id, string_to_array(rtrim(
                 history_terms(l.record, l.about, l.refs, h.user_name, h.changes, h.reason)), ' ')
             FROM history_labels l JOIN history h ON h.id = l.history_id",
        ),
        (
            "SELECT term, kind, id FROM requests_term_ids",
            "SELECT k COLLATE \"C\", s.kind COLLATE \"C\", s.id FROM requests_search s CROSS JOIN LATERAL term_keys(s.terms) AS k",
        ),
        (
            "SELECT term, kind, n FROM requests_term_counts",
            "SELECT k COLLATE \"C\", s.kind COLLATE \"C\", count(*) FROM requests_search s
             CROSS JOIN LATERAL term_keys(s.terms) AS k GROUP BY 1, 2",
        ),
        (
            "SELECT term, kind, id, pos FROM requests_triple_at",
            "SELECT t.term COLLATE \"C\", s.kind COLLATE \"C\", s.id, t.pos FROM requests_search s
             CROSS JOIN LATERAL term_triples_at(s.terms) AS t",
        ),
        (
            "SELECT term, n FROM history_term_counts",
            "SELECT k COLLATE \"C\", count(*) FROM history_search s
             CROSS JOIN LATERAL unnest(history_keys(s.terms)) AS k GROUP BY 1",
        ),
    ];
    let shopping = (
        "SELECT term, id FROM shopping_term_ids",
        "SELECT k COLLATE \"C\", e.id FROM shopping_entries e CROSS JOIN LATERAL term_keys(shopping_terms(e)) AS k",
    );
    for (copied, triggers) in pairs.into_iter().chain([shopping]) {
        let rows: i64 =
            client.query_one(&format!("SELECT count(*) FROM ({copied}) AS c"), &[]).unwrap().get(0);
        assert!(rows > 0, "{copied}: rows copied");
        for (a, b) in [(copied, triggers), (triggers, copied)] {
            let apart: i64 = client
                .query_one(&format!("SELECT count(*) FROM ({a} EXCEPT ALL {b}) AS d"), &[])
                .unwrap()
                .get(0);
            assert_eq!(apart, 0, "rows of\n{a}\nnot in\n{b}");
        }
    }
}

/// The server's search-key tables (migrations 23, 26 and 28) hold every key of the
/// rows copied, as a set-wise fill of them gives, and the searches'
/// triggers, dropped for the copy, are back to keep them from now on.
fn assert_server_search_keys_filled(db: &ServerDb) {
    let mut client = postgres::Client::connect(&db.url(), postgres::NoTls).unwrap();
    let triggers: Vec<String> = client
        .query(
            "SELECT tgname::text FROM pg_trigger WHERE NOT tgisinternal AND tgname IN ('requests_search_new',
                 'requests_search_changed', 'requests_term_ids_kept', 'history_search_new', 'history_term_counts_kept',
                 'shopping_term_ids_new')
             ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(triggers.len(), 6, "the searches' six triggers back after the copy: {triggers:?}");
    let pairs = [
        ("requests_term_ids", "SELECT count(*) FROM requests_search s CROSS JOIN LATERAL term_keys(s.terms)"),
        (
            "requests_triple_at",
            "SELECT count(*) FROM requests_search s CROSS JOIN LATERAL term_triples_at(s.terms)",
        ),
        (
            "history_term_counts",
            "SELECT count(DISTINCT k) FROM history_search s CROSS JOIN LATERAL unnest(history_keys(s.terms)) AS k",
        ),
        (
            "shopping_term_ids",
            "SELECT count(*) FROM (SELECT DISTINCT k, e.id FROM shopping_entries e
                 CROSS JOIN LATERAL term_keys(shopping_terms(e)) AS k) AS x",
        ),
    ];
    for (table, expected) in pairs {
        let have: i64 = client.query_one(&format!("SELECT count(*) FROM {table}"), &[]).unwrap().get(0);
        let want: i64 = client.query_one(expected, &[]).unwrap().get(0);
        assert!(have > 0 && have == want, "{table}: {have} keys, {want} expected");
    }
    // Migration 28: each key's kept count is the changes holding it, and
    // the GIN index of the keys, dropped for the fill, is built again.
    let counted: i64 = client
        .query_one(
            "SELECT count(*) FROM history_term_counts c FULL JOIN (
                 SELECT k, count(*) AS n FROM history_search s CROSS JOIN LATERAL unnest(history_keys(s.terms)) AS k
                 GROUP BY k) AS x ON x.k = c.term
             WHERE c.n IS DISTINCT FROM x.n",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(counted, 0, "every key's count as its changes give it");
    // Migration 29: each shopping key's kept count is the entries holding it.
    let counted: i64 = client
        .query_one(
            "SELECT count(*) FROM shopping_term_counts c FULL JOIN (
                 SELECT term, count(*) AS n FROM shopping_term_ids GROUP BY term) AS x ON x.term = c.term
             WHERE c.n IS DISTINCT FROM x.n",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(counted, 0, "every shopping key's count as its entries give it");
    let index: Option<String> =
        client.query_one("SELECT to_regclass('history_search_keys')::text", &[]).unwrap().get(0);
    assert_eq!(index.as_deref(), Some("history_search_keys"), "the history's index of keys");
    // The keys' primary keys a copy drops and builds again at its end.
    for key in ["requests_term_ids_pkey", "requests_triple_at_pkey"] {
        let built: Option<String> =
            client.query_one(&format!("SELECT to_regclass('{key}')::text"), &[]).unwrap().get(0);
        assert_eq!(built.as_deref(), Some(key), "the key {key} is built again");
    }
}

#[test]
fn copy_to_a_target_that_is_not_empty_refuses_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let source = path_text(&dir.path().join("demo.db"));
    run_ok(&source, &["demo", "--households", "50"]);
    for (backend, desk, _office) in offices(|| fixed_clock(now())) {
        let _named = Named(backend.name());
        drop(desk);
        let target = match &backend {
            Backend::Lite(db) => path_text(&db.path),
            Backend::Server(db) => db.url(),
        };
        let before = counts(&target);
        let output = homedesk(&source, &["copy-to", &target], "");
        assert!(!output.status.success(), "copied into an office: {}", text(&output.stdout));
        let err = text(&output.stderr);
        assert!(err.contains("不是新的或空的"), "says why: {err}");
        assert_eq!(counts(&target), before, "nothing written to the office");
        assert_check_passes(&target);
    }

    // Another program's file is no empty target either, and stays as it was.
    let foreign = dir.path().join("other.db");
    rusqlite::Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE notes (x TEXT)").unwrap();
    let bytes = std::fs::read(&foreign).unwrap();
    let output = homedesk(&source, &["copy-to", &path_text(&foreign)], "");
    assert!(!output.status.success());
    assert_eq!(std::fs::read(&foreign).unwrap(), bytes, "the other program's file untouched");
}

#[test]
fn a_server_backed_up_to_a_file_restores_onto_an_empty_server() {
    let Some(url) = server() else { return };
    // The office moved onto the server from a demo file (a demo built on
    // the server commits each write alone: many times slower).
    let demo_dir = tempfile::tempdir().unwrap();
    let demo = path_text(&demo_dir.path().join("demo.db"));
    run_ok(&demo, &["demo", "--households", "50"]);
    let office = ServerDb::new(&url);
    run_ok(&demo, &["copy-to", &office.url()]);
    let dir = tempfile::tempdir().unwrap();
    let file = path_text(&dir.path().join("backup.db"));
    run_ok(&office.url(), &["backup", "--out", &file]);
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, ["backup.db"], "one self-contained file, nothing beside it");
    assert_check_passes(&file);
    let tables = counts(&office.url());
    assert_eq!(counts(&file), tables);

    let fresh = ServerDb::new(&url);
    run_ok(&fresh.url(), &["restore", "--from", &file]);
    assert_check_passes(&fresh.url());
    assert_eq!(counts(&fresh.url()), tables, "every table restored");

    // Onto a server that holds an office: refused, nothing changed.
    let output = homedesk(office.url(), &["restore", "--from", &file], "");
    assert!(!output.status.success());
    assert_eq!(counts(&office.url()), tables);

    // The restored office takes new writes: its ids go on past the copied ones.
    let mut desk = homedesk::app::HomeDesk::open_server_with_clock(&fresh.url(), fixed_clock(now())).unwrap();
    assert!(desk.sign_in("wangjl", "not-the-password", Desk::CsCenter).is_err());
    drop(desk);
    assert_check_passes(&fresh.url());
    let history = |db: &str| counts(db).into_iter().find(|(t, _)| t == "history").unwrap().1;
    assert_eq!(history(&fresh.url()), history(&file) + 1, "the failed sign-in's history row");
}

/// R-SH-6 across a move: the shopping log's numbers go on from the last
/// one copied, with no gap and none reused, on the server an office was
/// copied onto (file → server) and on the file it was copied back to
/// (server → file). On SQLite alone the server is a second file.
#[test]
fn r_sh_6_a_copied_office_goes_on_numbering_without_a_gap() {
    let (source, mut desk, office) = common::office_desk();
    for _ in 0..3 {
        desk.record_shopping(&office.cs_clerk, &common::shopping_draft()).unwrap();
    }
    drop(desk);
    let dir = tempfile::tempdir().unwrap();
    let server_db = server().map(|url| ServerDb::new(&url));
    let middle = server_db.as_ref().map_or_else(|| path_text(&dir.path().join("middle.db")), ServerDb::url);
    let back = path_text(&dir.path().join("back.db"));
    let mut from = path_text(&source.path);
    for (target, next) in [(&middle, 4), (&back, 5)] {
        run_ok(&from, &["copy-to", target]);
        let mut desk = homedesk::app::HomeDesk::open_at_with_clock(
            &Location::from_arg(target.into()),
            fixed_clock(now()),
        )
        .unwrap_or_else(|e| panic!("{target}: {e}"));
        let entry = desk
            .record_shopping(&office.cs_clerk, &common::shopping_draft())
            .unwrap_or_else(|e| panic!("{target}: {e:?}"));
        assert_eq!(entry.no, next, "{target}: the number after the last one copied");
        assert_eq!(desk.store().check_invariants().unwrap(), vec![], "{target}: no gap, check passes");
        from = target.clone();
    }
}
