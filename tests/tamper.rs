//! Tamper evidence (issue 20, R-FU-6): the statements a reliability probe
//! ran on an office file with a plain SQLite connection. Each is refused by
//! a trigger; run anyway (the trigger dropped first, and made again after
//! so that only the data tells), `check` — the app's and `homedesk check`
//! — fails and names the first broken link: the record, when, and who.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;
use homedesk::app::HomeDesk;
use homedesk::store::{Link, Problem, TriggerFault};

/// An office with a finished housekeeping job (JZ-2026-000001, two steps)
/// and one shopping-log entry (No. 000001).
fn office_with_work() -> (TestDb, HomeDesk, Office, i64) {
    let (db, office) = office_db();
    let clock = TestClock::new(at("2026-03-02 09:00"));
    let mut desk = open_at(&db.path, clock.clock());
    let job = finished_job(&mut desk, &office, &clock, "2026-03-02", "3-2-201");
    desk.record_shopping(&office.cs_clerk, &shopping_draft()).unwrap_or_else(|e| panic!("{e:?}"));
    let problems = desk.store().check_invariants().unwrap_or_else(|e| panic!("check: {e}"));
    assert_eq!(problems, vec![], "an office HomeDesk wrote is sound");
    (db, desk, office, job)
}

/// Runs `sql` as a determined person would: refused while `trigger` stands,
/// so the trigger is dropped, the statement run, and the trigger made again
/// exactly as it was.
fn behind_homedesks_back(path: &Path, trigger: &str, sql: &str) {
    let conn = raw(path);
    // As the sqlite3 shell has it: foreign keys not enforced.
    conn.pragma_update(None, "foreign_keys", false).unwrap_or_else(|e| panic!("{e}"));
    let refused = conn.execute_batch(sql);
    assert!(refused.is_err(), "{sql} must be refused by {trigger}");
    let definition: String = conn
        .query_row("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1", [trigger], |r| {
            r.get(0)
        })
        .unwrap_or_else(|e| panic!("{trigger}: {e}"));
    conn.execute_batch(&format!("DROP TRIGGER {trigger}; {sql}; {definition};"))
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

fn problems(desk: &HomeDesk) -> Vec<Problem> {
    desk.store().check_invariants().unwrap_or_else(|e| panic!("check: {e}"))
}

fn history_id(path: &Path, sql: &str) -> i64 {
    raw(path).query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn link(history_id: i64, entity: &str, entity_id: i64, record: &str, at: &str, who: &str) -> Link {
    Link {
        history_id,
        entity: entity.into(),
        entity_id,
        record: record.into(),
        at: at.into(),
        who: who.into(),
    }
}

#[test]
fn r_fu_6_a_history_row_rewritten_breaks_the_chain_at_that_row() {
    let (db, desk, office, job) = office_with_work();
    let id = history_id(&db.path, "SELECT min(id) FROM history WHERE entity = 'request'");
    behind_homedesks_back(
        &db.path,
        "history_unchanged",
        &format!("UPDATE history SET user_name = '某人', changes = '{{}}' WHERE id = {id}"),
    );
    let broken = link(id, "request", job, "JZ-2026-000001", "2026-03-02 09:00:00", "某人");
    assert_eq!(problems(&desk), vec![Problem::ChainBroken(broken)]);
    assert_ne!(office.cs_clerk.name, "某人");
}

#[test]
fn r_fu_6_a_history_row_deleted_breaks_the_chain_at_the_next_row() {
    let (db, desk, office, job) = office_with_work();
    let id = history_id(&db.path, "SELECT min(id) FROM history WHERE entity = 'request'");
    behind_homedesks_back(&db.path, "history_kept", &format!("DELETE FROM history WHERE id = {id}"));
    let next = link(id + 1, "request", job, "JZ-2026-000001", "2026-03-02 09:00:00", &office.cs_clerk.name);
    assert_eq!(problems(&desk), vec![Problem::ChainBroken(next)]);
}

#[test]
fn r_fu_6_a_shopping_entry_changed_outside_homedesk_is_named_with_its_last_change() {
    let (db, desk, office, _) = office_with_work();
    // Nothing refuses this UPDATE: HomeDesk itself changes shopping entries.
    raw(&db.path)
        .execute("UPDATE shopping_entries SET actual_fen = 1, invoice_no = 'FAKE' WHERE no = 1", [])
        .unwrap_or_else(|e| panic!("{e}"));
    let last = history_id(&db.path, "SELECT max(id) FROM history WHERE entity = 'shopping'");
    let named = link(last, "shopping", 1, "No. 000001", "2026-03-02 11:00:00", &office.cs_clerk.name);
    assert_eq!(
        problems(&desk),
        vec![Problem::RecordChanged { table: "shopping_entries", id: 1, last: named }]
    );
}

#[test]
fn r_fu_6_register_rows_deleted_outside_homedesk_are_named() {
    let (db, desk, office, job) = office_with_work();
    behind_homedesks_back(&db.path, "requests_kept", "DELETE FROM requests");
    let problems = problems(&desk);
    let last = history_id(&db.path, "SELECT max(id) FROM history WHERE entity = 'request'");
    // The row is gone; its number was written with its history (issue 23).
    let number = "JZ-2026-000001";
    let named = link(last, "request", job, number, "2026-03-02 11:00:00", &office.cs_clerk.name);
    assert!(
        problems.contains(&Problem::RecordDeleted { table: "requests", id: job, last: named }),
        "{problems:?}"
    );
    let t = homedesk::i18n::t();
    let text: Vec<String> = problems.iter().map(|p| t.problem(p)).collect();
    assert!(
        text.iter().any(|line| line.contains("requests #1") && line.contains(&office.cs_clerk.name)),
        "{text:?}"
    );
}

#[test]
fn r_fu_6_job_steps_deleted_outside_homedesk_are_named_by_their_job() {
    let (db, desk, office, job) = office_with_work();
    behind_homedesks_back(&db.path, "job_steps_kept", "DELETE FROM job_steps");
    let last = history_id(&db.path, "SELECT max(id) FROM history WHERE entity = 'request'");
    let named = link(last, "request", job, "JZ-2026-000001", "2026-03-02 11:00:00", &office.cs_clerk.name);
    assert_eq!(problems(&desk), vec![Problem::RecordChanged { table: "requests", id: job, last: named }]);
}

#[test]
fn r_fu_6_a_dropped_altered_or_added_trigger_is_reported() {
    let (db, desk, _, _) = office_with_work();
    let conn = raw(&db.path);
    conn.execute_batch("DROP TRIGGER shopping_entries_kept").unwrap_or_else(|e| panic!("{e}"));
    conn.execute("DELETE FROM shopping_entries WHERE no = 1", []).unwrap_or_else(|e| panic!("{e}"));
    let found = problems(&desk);
    let missing = Problem::Trigger { name: "shopping_entries_kept".into(), fault: TriggerFault::Missing };
    assert!(found.contains(&missing), "{found:?}");
    assert!(
        found.iter().any(|p| matches!(p, Problem::RecordDeleted { table: "shopping_entries", id: 1, .. }))
    );
    conn.execute_batch(
        "DROP TRIGGER monthly_reports_kept;
         CREATE TRIGGER monthly_reports_kept BEFORE DELETE ON monthly_reports WHEN 0
         BEGIN SELECT RAISE(ABORT, 'monthly reports are never deleted'); END;
         CREATE TRIGGER quiet AFTER INSERT ON job_steps BEGIN SELECT 1; END;",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let found = problems(&desk);
    assert!(
        found.contains(&Problem::Trigger {
            name: "monthly_reports_kept".into(),
            fault: TriggerFault::Altered
        })
    );
    assert!(found.contains(&Problem::Trigger { name: "quiet".into(), fault: TriggerFault::Unknown }));
}

#[test]
fn r_fu_6_homedesk_check_names_the_broken_link_on_the_command_line() {
    let (db, desk, _, _) = office_with_work();
    drop(desk);
    let id = history_id(&db.path, "SELECT min(id) FROM history WHERE entity = 'request'");
    behind_homedesks_back(
        &db.path,
        "history_unchanged",
        &format!("UPDATE history SET user_name = '某人', changes = '{{}}' WHERE id = {id}"),
    );
    let output = Command::new(env!("CARGO_BIN_EXE_homedesk"))
        .arg("--db")
        .arg(&db.path)
        .arg("check")
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "{out}");
    let named = format!("变更记录在第 {id} 条断开（JZ-2026-000001，2026-03-02 09:00:00，某人）");
    assert!(out.contains(&named), "{out}");
}
