//! PostgreSQL as the office's shared database (issue 21), the foundation:
//! the same migrations build the same schema on a server as in an SQLite
//! file, the protective triggers and the connecting role's rights hold,
//! writers take the office lock one at a time, and the search terms are
//! cut as in SQLite.
//!
//! Each test runs against the server in `HOMEDESK_TEST_PG` (a libpq URL of
//! a role that may create databases and roles; `.ci/run` starts one), in a
//! database of its own that it drops afterwards. Without the variable each
//! test says that it was skipped and passes.

mod common;

use homedesk::store::pg::{PgConn, migrations, roles};
use homedesk::store::schema::Shape;
use homedesk::store::sql::{Sql, Value};
use homedesk::store::{self, SCHEMA_VERSION};

use common::backends::server;

/// A database of one test's own, dropped (with the roles made for it)
/// when the test ends.
struct Database {
    server: postgres::Config,
    name: String,
    roles: Vec<String>,
}

impl Database {
    fn new(url: &str, tag: &str) -> Database {
        let server: postgres::Config = url.parse().expect("HOMEDESK_TEST_PG is a libpq URL");
        let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        let name = format!("hd_{tag}_{}_{}", std::process::id(), stamp % 1_000_000_000);
        let mut admin = server.connect(postgres::NoTls).expect("connect to the test server");
        admin.batch_execute(&format!("CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")).unwrap();
        Database { server, name, roles: Vec::new() }
    }

    fn connect(&self) -> PgConn {
        let client = self.server.clone().dbname(&self.name).connect(postgres::NoTls);
        PgConn::from(client.expect("connect to the test database"))
    }

    /// A role of this test's own, which cannot log in (tests `SET ROLE` to it).
    fn role(&mut self, admin: &PgConn) -> String {
        let role = format!("{}_app{}", self.name, self.roles.len());
        admin.batch(&format!("CREATE ROLE {role} NOLOGIN")).unwrap();
        self.roles.push(role.clone());
        role
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Ok(mut admin) = self.server.connect(postgres::NoTls) {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
            for role in &self.roles {
                let _ = admin.batch_execute(&format!("DROP ROLE IF EXISTS {role}"));
            }
        }
    }
}

/// A database at the newest schema, and a connection to it as its owner.
fn migrated(url: &str, tag: &str) -> (Database, PgConn) {
    let db = Database::new(url, tag);
    let conn = db.connect();
    migrations::migrate(&conn).unwrap_or_else(|e| panic!("migrate: {e}"));
    (db, conn)
}

/// An SQLite file at the newest schema, opened as a tool would open it.
fn sqlite_office(dir: &tempfile::TempDir) -> rusqlite::Connection {
    let path = dir.path().join("office.db");
    store::create_at_version(&path, SCHEMA_VERSION).unwrap_or_else(|e| panic!("{e}"));
    let conn = rusqlite::Connection::open(&path).unwrap();
    store::register_terms_function(&conn).unwrap();
    conn
}

/// A migrated database and a migrated SQLite file (with the folder that
/// holds it), side by side.
fn both(url: &str, tag: &str) -> (Database, PgConn, tempfile::TempDir, rusqlite::Connection) {
    let (db, client) = migrated(url, tag);
    let dir = tempfile::tempdir().unwrap();
    let sqlite = sqlite_office(&dir);
    (db, client, dir, sqlite)
}

#[test]
fn pg_migrations_build_the_schema_sqlite_builds() {
    let Some(url) = server() else { return };
    let (_db, client, _dir, sqlite) = both(&url, "shape");
    assert_eq!(migrations::version(&client).unwrap(), SCHEMA_VERSION);
    let sqlite = Shape::of(&sqlite).unwrap();
    let postgres = Shape::of(&client).unwrap();
    assert!(sqlite.tables.len() > 30 && sqlite.triggers.len() > 40, "{sqlite:?}");
    assert!(sqlite.indexes.len() > 20 && sqlite.foreign_keys.len() > 20, "{sqlite:?}");
    let differences = sqlite.differences(&postgres);
    assert!(differences.is_empty(), "SQLite against PostgreSQL:\n{}", differences.join("\n"));
}

#[test]
fn pg_migrating_again_changes_nothing() {
    let Some(url) = server() else { return };
    let (_db, client) = migrated(&url, "again");
    let before = Shape::of(&client).unwrap();
    migrations::migrate(&client).unwrap();
    assert_eq!(Shape::of(&client).unwrap(), before);
    assert_eq!(migrations::version(&client).unwrap(), SCHEMA_VERSION);
}

/// The error a statement ends with, as the server words it.
fn refusal(conn: &dyn Sql, sql: &str) -> String {
    match conn.execute(sql, &[]) {
        Ok(n) => panic!("{sql} was allowed ({n} rows)"),
        Err(e) => e.to_string(),
    }
}

/// One staff member, an agreement with them on it, its amendment and its
/// history row, as the owner writes them.
fn seed(conn: &dyn Sql) {
    conn.batch(
        "INSERT INTO staff (name, grp, rank) VALUES ('王经理', 'office', 'manager');
         INSERT INTO agreements (year, seq, status, room, resident_name, phone, service, details, schedule,
             term_start, term_end, price_fen, basis, payment_terms, created_at, created_by)
         VALUES (2026, 25, 'signed', '3栋201', '张三', '138', '保洁', '', '周一', '2026-01-01', '2026-12-31',
             128000, '月', '月付', '2026-01-01 09:00:00', '王经理');
         INSERT INTO agreement_staff (agreement_id, staff_id, position) VALUES (1, 1, 1);
         INSERT INTO agreement_amendments (agreement_id, seq, at, by_name, reason, effective_on, changes)
         VALUES (1, 1, '2026-01-02 10:00:00', '王经理', '改期', '2026-02-01', '[]');",
    )
    .unwrap();
    let changes = r#"[{"field":"agreement","old":"","new":"1"},{"field":"room","old":"","new":"3栋201"}]"#;
    conn.execute(
        "INSERT INTO history (at, user_id, user_name, entity, entity_id, action, changes, reason)
         VALUES (?1, 1, '王经理', 'amendment', 1, 'create', ?2, ?3)",
        &["2026-01-02 10:00:00".into(), changes.into(), Option::<String>::None.into()],
    )
    .unwrap();
}

#[test]
fn pg_history_is_never_changed_and_approved_reports_are_locked() {
    let Some(url) = server() else { return };
    let (_db, client) = migrated(&url, "kept");
    seed(&client);
    assert!(refusal(&client, "UPDATE history SET reason = 'x'").contains("never changed"));
    assert!(refusal(&client, "DELETE FROM history").contains("never deleted"));
    assert!(refusal(&client, "DELETE FROM staff").contains("never deleted"));
    client
        .batch(
            "INSERT INTO monthly_reports (month, status, content, generated_at, prepared_by, prepared_at)
             VALUES ('2026-11', 'approved', '{}', 't', '王经理', 't');
             INSERT INTO shopping_entries (no, state, room, resident_name, item, brand, kind, quantity, spec,
                 unit_price_fen, expected_total_fen, deadline, taken_by, taken_at)
             VALUES (1, 'taken', '3栋201', '张三', '米', '', '', 1, '', 100, 100, 'd', 'w', 't');",
        )
        .unwrap();
    assert!(refusal(&client, "UPDATE monthly_reports SET comment = 'x'").contains("locked"));
    assert!(refusal(&client, "DELETE FROM shopping_entries").contains("never deleted"));
    assert!(refusal(&client, "UPDATE shopping_entries SET no = 2").contains("never changes"));
}

#[test]
fn pg_the_role_homedesk_connects_as_has_no_right_to_change_history() {
    let Some(url) = server() else { return };
    let (mut db, owner) = migrated(&url, "role");
    seed(&owner);
    let role = db.role(&owner);
    roles::grant_app_role(&owner, &role).unwrap();
    let app = db.connect();
    app.batch(&format!("SET ROLE {role}")).unwrap();
    // What a desk does: append history, change a row, replace an agreement's staff.
    app.execute(
        "INSERT INTO history (at, user_name, entity, entity_id, action, changes) VALUES ('t', 'w', 'staff', 1, 'edit', '[]')",
        &[],
    )
    .unwrap();
    app.execute("UPDATE staff SET phone = ?1 WHERE id = 1", &["139".into()]).unwrap();
    app.execute("DELETE FROM agreement_staff WHERE agreement_id = 1", &[]).unwrap();
    for sql in [
        "UPDATE history SET reason = 'x'",
        "DELETE FROM history",
        "TRUNCATE history",
        "TRUNCATE requests",
        "ALTER TABLE history DISABLE TRIGGER history_unchanged",
        "DROP TRIGGER history_kept ON history",
        "DELETE FROM staff",
        "UPDATE homedesk_schema SET version = 1",
        "UPDATE history_term_counts SET n = 0",
        "INSERT INTO history_term_counts (term, n) VALUES ('张', 0)",
        "UPDATE shopping_term_counts SET n = 0",
        "INSERT INTO shopping_term_ids (term, id) VALUES ('1', 1)",
    ] {
        let error = refusal(&app, sql);
        assert!(error.contains("permission denied") || error.contains("must be owner"), "{sql}: {error}");
    }
}

/// Migration 23: the searches' `(term, id)` tables follow a changed row
/// whoever writes it — the desks' role too, which may delete nothing itself
/// (the triggers' functions delete a row's old keys as their owner). The
/// keys are a row's terms, every character it holds and, since migration
/// 24, every three characters standing together in one of its fields (and
/// since 26, in the registers, where they stand).
#[test]
fn pg_the_search_keys_follow_a_change_made_as_the_desks_role() {
    let Some(url) = server() else { return };
    let (mut db, owner) = migrated(&url, "keys");
    let role = db.role(&owner);
    roles::grant_app_role(&owner, &role).unwrap();
    let app = db.connect();
    app.batch(&format!("SET ROLE {role}")).unwrap();
    app.batch(
        "INSERT INTO requests_search (id, kind, terms) VALUES (7, 'repair', ARRAY['水管', '管漏', '漏水', '水']);
         INSERT INTO requests_search (id, kind, terms) VALUES (8, 'repair', ARRAY['3栋', '栋', '12', '23', '3']);
         UPDATE requests_search SET terms = ARRAY['灯泡', '泡'] WHERE id = 7;
         INSERT INTO shopping_entries (no, state, room, resident_name, item, brand, kind, quantity, spec,
             unit_price_fen, expected_total_fen, deadline, taken_by, taken_at)
         VALUES (1, 'recorded', '3栋201', '张三', '大米', '五常', '粮油', 1, '5kg', 100, 100, '2026-01-02',
             '王', '2026-01-01 09:00:00');
         UPDATE shopping_entries SET item = '牛奶' WHERE no = 1;",
    )
    .unwrap();
    let keys = |sql: &str| -> Vec<String> {
        let rows = app.query(sql, &[]).unwrap();
        let mut keys: Vec<String> =
            rows.iter().map(|r| r[0].as_str().unwrap_or_default().to_owned()).collect();
        keys.sort();
        keys
    };
    assert_eq!(
        keys("SELECT term FROM requests_term_ids WHERE id = 7 AND kind = 'repair'"),
        ["泡", "灯", "灯泡"],
        "the old keys, triples too, gone"
    );
    assert_eq!(
        keys("SELECT term FROM requests_term_ids WHERE id = 8"),
        ["1", "12", "123", "2", "23", "3", "3栋", "栋"],
        "a triple of one field's pairs, none across fields"
    );
    assert_eq!(
        keys("SELECT term || '@' || pos FROM requests_triple_at WHERE kind = 'repair'"),
        ["123@3"],
        "migration 26: each triple where it stands, the changed row's old ones gone"
    );
    let shopping = keys("SELECT term FROM shopping_term_ids");
    for key in ["牛奶", "牛", "奶", "00", "01", "1", "3栋", "五常", "栋20", "000"].map(str::to_owned)
    {
        assert!(shopping.contains(&key), "{key} in {shopping:?}");
    }
    assert!(!shopping.contains(&"大米".to_owned()) && !shopping.contains(&"米".to_owned()), "{shopping:?}");
    // Migration 29: each key's count follows, the old keys' fall to nought.
    assert_eq!(
        keys("SELECT term || '=' || n FROM shopping_term_counts WHERE term IN ('牛奶', '大米', '3栋', '米')"),
        ["3栋=1", "大米=0", "牛奶=1", "米=0"],
        "the keys' counts follow the change"
    );
    for sql in [
        "DELETE FROM requests_term_ids",
        "DELETE FROM requests_triple_at",
        "DELETE FROM shopping_term_ids",
        "DELETE FROM history_term_counts",
        "DELETE FROM shopping_term_counts",
    ] {
        assert!(refusal(&app, sql).contains("permission denied"), "{sql}");
    }
}

/// Migration 28 upgrades an office already on a server: the history's
/// `(term, id)` key rows give way to a GIN index of each change's keys and
/// a count per key, counted from the changes already there, and kept by
/// each change appended after (as the desks' role, which may not delete).
#[test]
fn pg_migration_28_counts_an_existing_offices_history_keys_and_indexes_them() {
    let Some(url) = server() else { return };
    let mut db = Database::new(&url, "m28");
    let owner = db.connect();
    migrations::migrate_to(&owner, 26).unwrap_or_else(|e| panic!("migrate to 26: {e}"));
    owner
        .batch(
            "INSERT INTO history_search (history_id, terms) VALUES
                 (1, ARRAY['水管', '管漏', '漏水', '水', '王建', '建国', '国']),
                 (2, ARRAY['漏水', '水', '20', '02', '26', '6'])",
        )
        .unwrap();
    migrations::migrate(&owner).unwrap_or_else(|e| panic!("migrate to 28: {e}"));
    let one = |sql: &str| -> Value { owner.query(sql, &[]).unwrap()[0][0].clone() };
    assert_eq!(one("SELECT to_regclass('history_term_ids')::text"), Value::Null, "the key rows are gone");
    assert_eq!(one("SELECT to_regclass('history_search_keys')::text").as_str(), Some("history_search_keys"));
    let count = |term: &str| -> i64 {
        owner
            .query("SELECT coalesce((SELECT n FROM history_term_counts WHERE term = ?1), 0)", &[term.into()])
            .unwrap()[0][0]
            .as_i64()
            .unwrap()
    };
    for (term, n) in
        [("漏水", 2), ("水", 2), ("漏", 2), ("管漏水", 1), ("王建国", 1), ("202", 1), ("水王", 0)]
    {
        assert_eq!(count(term), n, "{term}: the changes holding it");
    }
    let role = db.role(&owner);
    roles::grant_app_role(&owner, &role).unwrap();
    let app = db.connect();
    app.batch(&format!("SET ROLE {role}")).unwrap();
    app.batch("INSERT INTO history_search (history_id, terms) VALUES (3, ARRAY['漏水', '水'])").unwrap();
    assert_eq!(count("漏水"), 3, "a change appended after is counted");
    let found = app
        .query(
            "SELECT history_id FROM history_search WHERE history_keys(terms) @> string_to_array(?1, ' ')
             ORDER BY history_id",
            &["漏水 水".into()],
        )
        .unwrap();
    let found: Vec<i64> = found.iter().map(|r| r[0].as_i64().unwrap()).collect();
    assert_eq!(found, [1, 2, 3], "the index finds each change holding every key");
}

#[test]
fn pg_writers_take_the_office_lock_one_at_a_time() {
    let Some(url) = server() else { return };
    let (db, client) = migrated(&url, "lock");
    client.batch("INSERT INTO running_numbers (kind, year, last_seq) VALUES ('repair', 2026, 0)").unwrap();
    let first = db.connect();
    let tx = first.begin_write().unwrap();
    assert!(client.office_lock_held_elsewhere().unwrap());
    tx.commit().unwrap();
    assert!(!client.office_lock_held_elsewhere().unwrap());

    // Four desks each issue 25 numbers by reading the last and writing the
    // next, which loses numbers at READ COMMITTED unless writers take turns.
    let desks: Vec<_> = (0..4)
        .map(|_| {
            let desk = db.connect();
            std::thread::spawn(move || {
                let mut issued = Vec::new();
                for _ in 0..25 {
                    let tx = desk.begin_write().unwrap();
                    let last =
                        tx.query("SELECT last_seq FROM running_numbers WHERE kind = 'repair'", &[]).unwrap();
                    let next = last[0][0].as_i64().unwrap() + 1;
                    tx.execute(
                        "UPDATE running_numbers SET last_seq = ?1 WHERE kind = 'repair'",
                        &[next.into()],
                    )
                    .unwrap();
                    tx.commit().unwrap();
                    issued.push(next);
                }
                issued
            })
        })
        .collect();
    let mut issued: Vec<i64> = desks.into_iter().flat_map(|d| d.join().unwrap()).collect();
    issued.sort_unstable();
    assert_eq!(issued, (1..=100).collect::<Vec<_>>(), "gap-free and unique");
}

#[test]
fn pg_terms_are_cut_as_in_sqlite() {
    let Some(url) = server() else { return };
    let (_db, client, _dir, sqlite) = both(&url, "terms");
    let fields = [
        "3栋2单元201",
        "JZ-2026-000001",
        "二〇二六年①号楼Ⅻ",
        "ＡＢＣ１２３ Ⓐ座",
        "王 经理！（急）",
        "a",
        "",
        "Ünïcödé straße",
    ];
    for field in fields {
        let sql = "SELECT search_terms(?1, ?2)";
        let params = [field.into(), Value::Text("保洁".into())];
        assert_eq!(client.query(sql, &params).unwrap(), sqlite.query(sql, &params).unwrap(), "{field}");
    }
    let refs = r#"[["agreement","25","XY-2026-0025"]]"#;
    let changes =
        r#"[{"field":"agreement","old":"","new":"25"},{"field":"room","old":"3栋","new":"3栋201"}]"#;
    let sql = "SELECT history_terms(?1, ?2, ?3, ?4, ?5, ?6)";
    let params: [Value; 6] =
        ["JZ-2026-000001".into(), "".into(), refs.into(), "王经理".into(), changes.into(), Value::Null];
    assert_eq!(client.query(sql, &params).unwrap(), sqlite.query(sql, &params).unwrap());
}

#[test]
fn pg_history_labels_read_as_in_sqlite() {
    let Some(url) = server() else { return };
    let (_db, client, _dir, sqlite) = both(&url, "labels");
    let sql = "SELECT history_id, record, refs, about FROM history_labels_due ORDER BY history_id";
    for conn in [&client as &dyn Sql, &sqlite] {
        seed(conn);
    }
    let labels = sqlite.query(sql, &[]).unwrap();
    assert_eq!(labels[0][1], Value::Text("XY-2026-0025".into()), "{labels:?}");
    assert_eq!(client.query(sql, &[]).unwrap(), labels);
}

#[test]
fn pg_a_trigger_column_or_index_out_of_step_is_a_difference() {
    let Some(url) = server() else { return };
    let (_db, client) = migrated(&url, "drift");
    let before = Shape::of(&client).unwrap();
    client
        .batch(
            "DROP TRIGGER history_kept ON history;
             ALTER TABLE staff ADD COLUMN nickname TEXT;
             DROP INDEX history_at;
             ALTER TABLE shopping_entries DROP CONSTRAINT shopping_entries_no_key;",
        )
        .unwrap();
    let differences = before.differences(&Shape::of(&client).unwrap()).join("\n");
    for found in
        ["trigger history_kept", "table staff", "index history_at", "unique key (\"shopping_entries\""]
    {
        assert!(differences.contains(found), "{found} in:\n{differences}");
    }
}
