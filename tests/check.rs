//! `check` on each backend (issue 21): an office HomeDesk wrote is sound on
//! SQLite and on the server alike, and on the server the signs of tampering
//! that `tests/tamper.rs` makes in a file are found too — a history row
//! rewritten, a record changed behind HomeDesk's back, a row slipped past
//! a foreign key, a trigger dropped, disabled or added. Each tampering is
//! done as the server's superuser (HomeDesk's own role may do none of it,
//! `pg/roles.rs`). SQLite's page check (`PRAGMA integrity_check`) has no
//! server twin and is not looked for there.

mod common;

use common::backends::{self, Backend};
use common::*;
use homedesk::app::HomeDesk;
use homedesk::store::{Problem, TriggerFault};

fn problems(desk: &HomeDesk, b: &str) -> Vec<Problem> {
    desk.store().check_invariants().unwrap_or_else(|e| panic!("{b}: check: {e}"))
}

/// Runs `sql` on the server's database of `backend` as its superuser;
/// `None` for an SQLite office.
fn as_superuser(backend: &Backend, sql: &str) -> Option<()> {
    let Backend::Server(db) = backend else { return None };
    let mut admin = postgres::Client::connect(&db.url(), postgres::NoTls).expect("connect as superuser");
    admin.batch_execute(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    Some(())
}

/// The set-up offices on the server only (none without `HOMEDESK_TEST_PG`).
fn server_offices() -> Vec<(Backend, HomeDesk, Office)> {
    backends::offices(|| fixed_clock(now()))
        .into_iter()
        .filter(|(b, ..)| matches!(b, Backend::Server(_)))
        .collect()
}

/// [`server_offices`] after a row is registered, each still sound: the
/// search's kept counts agree with their keys after a write.
fn server_offices_after_a_write() -> Vec<(Backend, HomeDesk)> {
    let mut written = Vec::new();
    for (backend, mut desk, office) in server_offices() {
        let b = backend.name();
        desk.register_request(&office.cs_clerk, &housekeeping_draft(&office))
            .unwrap_or_else(|e| panic!("{b}: {e:?}"));
        assert_eq!(problems(&desk, b), vec![], "{b}: the counts agree with the keys after a write");
        written.push((backend, desk));
    }
    written
}

#[test]
fn r_fu_6_an_office_homedesk_set_up_is_sound_on_each_backend() {
    for (backend, mut desk, office) in backends::offices(|| fixed_clock(now())) {
        let b = backend.name();
        desk.record_shopping(&office.cs_clerk, &shopping_draft()).unwrap_or_else(|e| panic!("{b}: {e:?}"));
        assert_eq!(problems(&desk, b), vec![], "{b}: every invariant holds");
    }
}

#[test]
fn r_fu_6_on_the_server_a_history_row_rewritten_breaks_the_chain_there() {
    for (backend, desk, _) in server_offices() {
        as_superuser(
            &backend,
            "ALTER TABLE history DISABLE TRIGGER history_unchanged;
             UPDATE history SET user_name = '某人' WHERE id = 2;
             ALTER TABLE history ENABLE TRIGGER history_unchanged;",
        );
        let found = problems(&desk, backend.name());
        assert!(
            matches!(found.first(), Some(Problem::ChainBroken(link)) if link.history_id == 2 && link.who == "某人"),
            "{found:?}"
        );
    }
}

#[test]
fn r_fu_6_on_the_server_a_record_changed_or_slipped_past_its_key_is_named() {
    for (backend, desk, office) in server_offices() {
        as_superuser(
            &backend,
            &format!(
                "UPDATE staff SET name = '冒名' WHERE id = {};
                 SET session_replication_role = replica;
                 INSERT INTO residents (household_id, name) VALUES (999999, '无户');",
                office.housekeeper
            ),
        );
        let found = problems(&desk, backend.name());
        assert!(
            found.iter().any(|p| matches!(p, Problem::RecordChanged { table: "staff", id, .. } if *id == office.housekeeper)),
            "{found:?}"
        );
        assert!(
            found.iter().any(|p| matches!(p, Problem::ForeignKey { table, .. } if table == "residents")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|p| matches!(p, Problem::MissingHistory { table: "residents", .. })),
            "{found:?}"
        );
    }
}

#[test]
fn r_fu_6_on_the_server_a_dropped_disabled_or_added_trigger_is_reported() {
    for (backend, desk, _) in server_offices() {
        as_superuser(
            &backend,
            "DROP TRIGGER shopping_entries_kept ON shopping_entries;
             ALTER TABLE monthly_reports DISABLE TRIGGER monthly_reports_locked;
             CREATE TRIGGER quiet BEFORE UPDATE ON staff FOR EACH ROW EXECUTE FUNCTION homedesk_refuse('x');",
        );
        let found = problems(&desk, backend.name());
        let trigger = |name: &str, fault| Problem::Trigger { name: name.into(), fault };
        for expected in [
            trigger("shopping_entries_kept", TriggerFault::Missing),
            trigger("monthly_reports_locked", TriggerFault::Altered),
            trigger("quiet", TriggerFault::Unknown),
        ] {
            assert!(found.contains(&expected), "{expected:?} in {found:?}");
        }
        assert!(
            !found.iter().any(|p| matches!(p, Problem::Integrity(_))),
            "no page check on a server: {found:?}"
        );
    }
}

/// Issue 21: a search of up to three characters is counted from
/// `requests_term_counts`, which the keys' trigger keeps beside
/// `requests_term_ids`. A count changed behind HomeDesk's back is found,
/// named by its register and key, and nothing else is.
#[test]
fn r_fu_6_on_the_server_a_search_count_changed_outside_homedesk_is_named() {
    for (backend, desk) in server_offices_after_a_write() {
        let b = backend.name();
        as_superuser(
            &backend,
            "UPDATE requests_term_counts SET n = n + 2 WHERE kind = 'housekeeping' AND term = '阿姨';
             INSERT INTO requests_term_counts (term, kind, n) VALUES ('无此', 'repair', 1);",
        );
        let found = problems(&desk, b);
        assert_eq!(
            found,
            vec![
                Problem::TermCount {
                    kind: "housekeeping".into(), term: "阿姨".into(), kept: 3, counted: 1
                },
                Problem::TermCount { kind: "repair".into(), term: "无此".into(), kept: 1, counted: 0 },
            ],
            "{b}"
        );
        let said = homedesk::i18n::texts(homedesk::domain::Language::ZhHans).problem(&found[0]);
        assert!(said.contains("家政") && said.contains("阿姨") && said.contains('3'), "{said}");
    }
}

/// Issue 21: the 变更记录 search on a server trusts `history_term_counts`
/// (a key kept at 0 answers "no change holds it" without reading the
/// index), so `check` holds each key's kept count to the changes holding
/// it. One set to nought and one counted for no change, as the table's
/// owner could, are each named; a sound office has none.
/// R-SH-1 (the log's first answer says a key's kept count as its count):
/// a shopping key's count that is not its entries' is named by `check`.
#[test]
fn r_sh_1_on_the_server_a_shopping_search_count_that_is_not_its_entries_is_named() {
    for (backend, mut desk, office) in server_offices() {
        let b = backend.name();
        desk.record_shopping(&office.cs_clerk, &shopping_draft()).unwrap_or_else(|e| panic!("{b}: {e:?}"));
        assert_eq!(problems(&desk, b), vec![], "{b}: the counts agree with the keys after an entry");
        let Backend::Server(db) = &backend else { unreachable!() };
        let mut owner = postgres::Client::connect(&db.url(), postgres::NoTls).expect("connect as superuser");
        let row = owner
            .query_one("SELECT term, n FROM shopping_term_counts ORDER BY term COLLATE \"C\" LIMIT 1", &[])
            .expect("a kept count");
        let (term, held): (String, i64) = (row.get(0), row.get(1));
        as_superuser(&backend, &format!("UPDATE shopping_term_counts SET n = n + 5 WHERE term = '{term}'"));
        let expected = vec![Problem::ShoppingTermCount { term, kept: held + 5, counted: held }];
        assert_eq!(problems(&desk, b), expected, "{b}");
        let said = homedesk::i18n::texts(homedesk::domain::Language::ZhHans).problem(&expected[0]);
        assert!(said.contains("代购") && said.contains("shopping_term_counts"), "{said}");
    }
}

#[test]
fn r_fu_6_on_the_server_a_history_search_count_that_is_not_its_changes_is_named() {
    for (backend, desk) in server_offices_after_a_write() {
        let b = backend.name();
        let Backend::Server(db) = &backend else { unreachable!() };
        let mut owner = postgres::Client::connect(&db.url(), postgres::NoTls).expect("connect as superuser");
        let row = owner
            .query_one(
                "SELECT term, n FROM history_term_counts ORDER BY n DESC, term COLLATE \"C\" LIMIT 1",
                &[],
            )
            .expect("a kept count");
        let (common, held): (String, i64) = (row.get(0), row.get(1));
        as_superuser(
            &backend,
            &format!(
                "UPDATE history_term_counts SET n = 0 WHERE term = '{common}';
                 INSERT INTO history_term_counts (term, n) VALUES ('无此', 1);"
            ),
        );
        let mut expected = vec![
            Problem::HistoryTermCount { term: common.clone(), kept: 0, counted: held },
            Problem::HistoryTermCount { term: "无此".into(), kept: 1, counted: 0 },
        ];
        // In the server's byte order (`COLLATE "C"`), as `check` names them.
        expected.sort_by_key(|p| match p {
            Problem::HistoryTermCount { term, .. } => term.clone().into_bytes(),
            _ => Vec::new(),
        });
        assert_eq!(problems(&desk, b), expected, "{b}");
        let said = homedesk::i18n::texts(homedesk::domain::Language::ZhHans).problem(&expected[0]);
        assert!(said.contains("变更记录") && said.contains("history_term_counts"), "{said}");
    }
}
