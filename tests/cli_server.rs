//! The command line on the office's server (issue 21): the real binary run
//! with `--db postgresql://…` on a database of its own on the test server
//! (`HOMEDESK_TEST_PG`; skipped without it). The same demo on a file and on
//! the server gives the same report and revisit plan, the same printed register, and
//! `check` passes on both; a connection that fails says why without the
//! password. The demo on a server fills its searches at the end
//! (`store::pg::bulk`): they find what the file's find, and keep up after.

mod common;

use std::process::Command;

use common::backends::{Backend, ServerDb, offices, server};
use common::{fixed_clock, homedesk, now, run_ok, text};

/// The words of a printed PDF, by `pdftotext`, without the minute it was
/// printed at (打印日期), which two prints need not share.
fn pdf_words(path: &std::path::Path) -> String {
    let output = Command::new("pdftotext").arg(path).arg("-").output().expect("run pdftotext");
    assert!(output.status.success(), "pdftotext: {}", text(&output.stderr));
    text(&output.stdout).lines().filter(|l| !l.contains("打印日期")).collect::<Vec<_>>().join("\n")
}

/// The month before this one, as `report` takes it, and its first day.
fn last_month() -> (String, String, String) {
    let today = chrono::Local::now().date_naive();
    let end = today.with_day(1).unwrap() - chrono::Duration::days(1);
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    (end.format("%Y-%m").to_string(), day(end.with_day(1).unwrap()), day(end))
}

use chrono::Datelike;
use homedesk::app::HomeDesk;
use homedesk::app::demo::DEMO_PASSWORD;
use homedesk::domain::{Desk, IntakeDraft, RegisterKind, ServiceChoice};
use homedesk::store::{HistoryQuery, Location, RequestQuery, ServerAddress};

/// The searches of a demo office: ids the register finds and ids and count
/// of the changes the 变更记录 view finds, for texts of the office's own.
fn searches(desk: &HomeDesk, texts: &[String]) -> Vec<(Vec<i64>, Vec<i64>, usize)> {
    let store = desk.store();
    texts
        .iter()
        .map(|text| {
            let found =
                store.query_request_ids(&RequestQuery { text: text.clone(), ..RequestQuery::default() });
            let (changes, total) = store
                .list_history(&HistoryQuery { text: text.clone(), ..HistoryQuery::default() }, 200)
                .unwrap();
            // In the order listed: without a register, numbers of different
            // registers tie (JZ-2026-000012 and BJ-2026-000012), and both
            // backends break the tie by the register.
            (found.unwrap(), changes.iter().map(|c| c.id).collect(), total)
        })
        .collect()
}

/// The demo on a server drops the searches' triggers while it builds and
/// fills their tables at its end (`store::pg::bulk`): the registers' and
/// the history's searches then find what the same demo finds in a file, and
/// a write after the demo is found at once (the triggers are back).
fn searches_match_and_keep_up(file: &str, server_url: &str) {
    let on_file = HomeDesk::open_at(&Location::File(file.into())).unwrap();
    let mut on_server = HomeDesk::open_at(&Location::Server(server_url.into())).unwrap();
    let ids = on_file.store().query_request_ids(&RequestQuery::default()).unwrap();
    let sample = on_file.store().get_request(ids[ids.len() / 2]).unwrap();
    let texts = [sample.room.to_string(), sample.resident_name.clone(), sample.no.to_string(), "保洁".into()];
    let found = searches(&on_server, &texts);
    assert_eq!(found, searches(&on_file, &texts), "the same finds on the server as in the file");
    assert!(found.iter().all(|(rows, changes, _)| !rows.is_empty() && !changes.is_empty()), "{found:?}");

    let user = on_server.sign_in("wangjl", DEMO_PASSWORD, Desk::CsCenter).unwrap();
    let item = on_server.store().list_price_items().unwrap().into_iter().find(|i| i.active).unwrap();
    let tomorrow = on_server.now().date() + chrono::Duration::days(1);
    let draft = IntakeDraft {
        kind: Some(item.category.register()),
        room: sample.room.to_string(),
        resident_name: sample.resident_name.clone(),
        phone: sample.phone.clone(),
        service: ServiceChoice::Listed(item.id),
        details: "阳台推拉门异响".into(),
        appointment: format!("{tomorrow} 10:00"),
        price: item.price.to_string(),
        price_agreed: true,
        urgency: (item.category.register() == RegisterKind::Repair)
            .then_some(homedesk::domain::Urgency::Small),
        alarm_work: (item.category.register() == RegisterKind::Alarm)
            .then_some(homedesk::domain::AlarmWork::Open),
        ..IntakeDraft::default()
    };
    let request = on_server.register_request(&user, &draft).unwrap();
    let after = searches(&on_server, &["推拉门异响".to_string()]);
    assert_eq!(after[0].0, [request.id], "the register's search finds the row written after the demo");
    assert!(!after[0].1.is_empty(), "and the history's search its change");
    let check = run_ok(server_url, &["check"]);
    assert!(check.contains("ok"), "check on the server: {check}");
}

#[test]
fn demo_on_the_server_reports_and_prints_as_on_a_file() {
    let Some(url) = server() else { return };
    let db = ServerDb::new(&url);
    let server_url = db.url();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo.db");
    let file = file.to_str().unwrap();

    for at in [file, server_url.as_str()] {
        run_ok(at, &["demo", "--households", "50"]);
        let check = run_ok(at, &["check"]);
        assert!(check.contains("ok"), "check on {at}: {check}");
    }
    let (month, first_day, last_day) = last_month();
    let report_file = run_ok(file, &["report", "--month", &month, "--json"]);
    let report_server = run_ok(&server_url, &["report", "--month", &month, "--json"]);
    assert_eq!(report_server, report_file, "the same demo's report for {month}");
    let plan_file = run_ok(file, &["revisit-plan", "--month", &month, "--json"]);
    assert_eq!(run_ok(&server_url, &["revisit-plan", "--month", &month, "--json"]), plan_file);

    // A demo of 50 households has no agreement yet (the report's `print
    // agreement` on the server was checked on `demo --households 360`):
    // the month's repair register stands for the printed forms here.
    let mut printed = Vec::new();
    for (at, name) in [(file, "file.pdf"), (server_url.as_str(), "server.pdf")] {
        let out = dir.path().join(name);
        let args = ["print", "register", "--kind", "repair", "--from", &first_day, "--to", &last_day];
        run_ok(at, &[&args[..], &["--out", out.to_str().unwrap()]].concat());
        printed.push(pdf_words(&out));
    }
    assert!(printed[1].contains("维修"), "the repair register printed: {}", printed[1]);
    assert_eq!(printed[1], printed[0], "the same register printed from the file and from the server");

    let xlsx = dir.path().join("shopping.xlsx");
    run_ok(&server_url, &["export", "shopping", "--from", &first_day, "--out", xlsx.to_str().unwrap()]);
    assert!(xlsx.metadata().unwrap().len() > 0);
    searches_match_and_keep_up(file, &server_url);
}

#[test]
fn a_failed_connection_says_why_without_the_password() {
    let Some(url) = server() else { return };
    let db = ServerDb::new(&url);
    let config: postgres::Config = url.parse().unwrap();
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let bad = format!("postgres://no_such_role_hd:S3cretPw42@127.0.0.1:{port}/{}", db.name);
    let output = homedesk(&bad, &["check"], "");
    assert!(!output.status.success());
    let err = text(&output.stderr);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(!err.contains("S3cretPw42"), "the password must not be shown: {err}");
    assert!(err.contains("no_such_role_hd:***@127.0.0.1"), "names the server: {err}");
    assert!(err.contains("no_such_role_hd\" does not exist"), "says why: {err}");
}

#[test]
fn a_server_database_without_an_office_is_refused_and_left_empty() {
    let Some(url) = server() else { return };
    let db = ServerDb::new(&url);
    let output = homedesk(db.url(), &["check"], "");
    assert!(!output.status.success());
    let err = text(&output.stderr);
    assert!(err.contains("init"), "{err}");
    let mut admin = postgres::Client::connect(&db.url(), postgres::NoTls).unwrap();
    let tables: i64 = admin
        .query_one("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", &[])
        .unwrap()
        .get(0);
    assert_eq!(tables, 0, "nothing created by a command that needs an office");
}

#[test]
fn a_backup_of_a_server_without_an_office_writes_no_file() {
    let Some(url) = server() else { return };
    let db = ServerDb::new(&url);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b.db");
    let output = homedesk(db.url(), &["backup", "--out", out.to_str().unwrap()], "");
    assert!(!output.status.success());
    assert!(text(&output.stderr).contains("init"), "{}", text(&output.stderr));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no file, not even a partial one");
}

/// A login role of one test's own on the test server, dropped with it
/// (after the databases it holds rights in: declare it first).
struct DeskRole {
    admin_url: String,
    name: String,
}

impl DeskRole {
    fn new(admin_url: &str) -> DeskRole {
        let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        let name = format!("hd_desks_{}_{}", std::process::id(), stamp % 1_000_000_000);
        let mut admin = postgres::Client::connect(admin_url, postgres::NoTls).unwrap();
        admin.batch_execute(&format!("CREATE ROLE {name} LOGIN")).unwrap();
        DeskRole { admin_url: admin_url.to_string(), name }
    }

    /// `url` (a database's, as the superuser) with this role as its user.
    fn url(&self, url: &str) -> String {
        let address = ServerAddress::from_url(url).unwrap();
        ServerAddress { user: self.name.clone(), password: String::new(), ..address }.url()
    }
}

impl Drop for DeskRole {
    fn drop(&mut self) {
        if let Ok(mut admin) = postgres::Client::connect(&self.admin_url, postgres::NoTls) {
            let _ = admin.batch_execute(&format!("DROP ROLE IF EXISTS {}", self.name));
        }
    }
}

/// docs/SERVER.md §2: IT gives the desks' role its rights with
/// `grant-desks`, as the tables' owner. The role then works a desk — opens
/// the office and files a request, which appends history and fills the
/// searches' keys — and may still not change or delete the history, nor
/// delete a request. Before it, the role could not open the office at all.
#[test]
fn grant_desks_lets_the_desks_role_file_requests_but_never_change_history() {
    let Some(url) = server() else { return };
    let role = DeskRole::new(&url);
    for (backend, desk, office) in offices(|| fixed_clock(now())) {
        drop(desk);
        let Backend::Server(db) = &backend else {
            let Backend::Lite(file) = &backend else { unreachable!() };
            let output = homedesk(&file.path, &["grant-desks", &role.name], "");
            assert!(!output.status.success(), "a file has no roles");
            assert!(text(&output.stderr).contains("grant-desks"), "{}", text(&output.stderr));
            continue;
        };
        let as_desk = role.url(&db.url());
        assert!(HomeDesk::open_server_with_clock(&as_desk, fixed_clock(now())).is_err(), "no rights yet");

        let said = run_ok(&db.url(), &["grant-desks", &role.name]);
        assert!(said.contains(&role.name), "{said}");
        let mut desk = HomeDesk::open_server_with_clock(&as_desk, fixed_clock(now()))
            .unwrap_or_else(|e| panic!("the desks' role opens the office: {e}"));
        let filed = desk
            .register_request(&office.cs_clerk, &common::housekeeping_draft(&office))
            .unwrap_or_else(|e| panic!("the desks' role files a request: {e:?}"));
        let found = desk
            .store()
            .query_request_ids(&RequestQuery { text: "阿姨".into(), ..RequestQuery::default() })
            .unwrap();
        assert!(found.contains(&filed.id), "its search keys were written");
        assert_eq!(desk.store().check_invariants().unwrap(), vec![], "check passes as the desks' role");

        let mut client = postgres::Client::connect(&as_desk, postgres::NoTls).unwrap();
        for sql in [
            "UPDATE history SET reason = 'x'",
            "DELETE FROM history",
            "DELETE FROM requests",
            "TRUNCATE history",
            "ALTER TABLE history DISABLE TRIGGER history_unchanged",
        ] {
            let error = format!("{:?}", client.batch_execute(sql).unwrap_err());
            assert!(error.contains("permission denied") || error.contains("must be owner"), "{sql}: {error}");
        }
        // Running it again changes nothing.
        run_ok(&db.url(), &["grant-desks", &role.name]);
    }
}

/// Issue 21: a desk of a newer HomeDesk meeting a server IT has not
/// upgraded yet. Its role may not migrate, so the desk (window and command
/// line alike) is told that the server's database is of an older version
/// and that IT must run `grant-desks` for its role — not the driver's
/// "permission denied" — and nothing is changed. Once IT has, the desk opens.
#[test]
fn a_newer_desk_on_a_server_not_yet_upgraded_is_told_to_ask_it_for_grant_desks() {
    use homedesk::app::AppError;
    use homedesk::store::StoreError;
    use homedesk::store::pg::{PgConn, migrations, roles};
    use homedesk::store::sql::Sql;

    let Some(url) = server() else { return };
    let role = DeskRole::new(&url);
    let db = ServerDb::new(&url);
    let older = migrations::PG_SCHEMA_VERSION - 1;
    {
        let owner = PgConn::from(postgres::Client::connect(&db.url(), postgres::NoTls).unwrap());
        migrations::migrate_to(&owner, older).unwrap();
        owner.batch("INSERT INTO office (id, name) VALUES (1, '翠苑管理处')").unwrap();
        roles::grant_app_role(&owner, &role.name).unwrap();
    }
    let as_desk = role.url(&db.url());

    match HomeDesk::open_server_with_clock(&as_desk, fixed_clock(now())) {
        Err(AppError::Store(StoreError::OlderServerSchema { found, known, role: named })) => {
            assert_eq!((found, known, named.as_str()), (older, older + 1, role.name.as_str()));
        }
        Err(e) => panic!("not the typed refusal: {e:?}"),
        Ok(_) => panic!("the desks' role cannot have migrated"),
    }
    let words = homedesk::i18n::t().store_error(&StoreError::OlderServerSchema {
        found: older,
        known: older + 1,
        role: role.name.clone(),
    });
    assert!(words.contains(&format!("grant-desks {}", role.name)), "{words}");

    let output = homedesk(&as_desk, &["check"], "");
    assert!(!output.status.success());
    let err = text(&output.stderr);
    assert!(err.contains(&format!("grant-desks {}", role.name)), "says what IT must run: {err}");
    assert!(!err.contains("permission denied"), "not the driver's words: {err}");
    let mut admin = postgres::Client::connect(&db.url(), postgres::NoTls).unwrap();
    let version: i64 = admin.query_one("SELECT version FROM homedesk_schema", &[]).unwrap().get(0);
    assert_eq!(version, older, "nothing changed");

    run_ok(&db.url(), &["grant-desks", &role.name]);
    HomeDesk::open_server_with_clock(&as_desk, fixed_clock(now()))
        .unwrap_or_else(|e| panic!("the desk opens once IT has run grant-desks: {e}"));
}

/// Issue 21: an older desk meeting a server a newer HomeDesk brought up to
/// date is refused, as a newer file is (`newer_schema_is_refused_and_the_file_left_untouched`):
/// it would write rows without what the newer schema's rules expect.
/// Nothing is changed on the server.
#[test]
fn an_older_desk_on_a_server_of_a_newer_schema_is_refused_and_changes_nothing() {
    use homedesk::app::AppError;
    use homedesk::store::{SCHEMA_VERSION, StoreError};

    let Some(url) = server() else { return };
    let db = ServerDb::new(&url);
    drop(HomeDesk::open_server_with_clock(&db.url(), fixed_clock(now())).unwrap());
    let mut admin = postgres::Client::connect(&db.url(), postgres::NoTls).unwrap();
    admin.batch_execute("INSERT INTO office (id, name) VALUES (1, '翠苑管理处')").unwrap();
    admin.execute("UPDATE homedesk_schema SET version = version + 1", &[]).unwrap();
    let count = |admin: &mut postgres::Client| -> i64 {
        admin.query_one("SELECT count(*) FROM history", &[]).unwrap().get(0)
    };
    let changes = count(&mut admin);

    match HomeDesk::open_server_with_clock(&db.url(), fixed_clock(now())) {
        Err(AppError::Store(StoreError::NewerSchema { found, known })) => {
            assert_eq!((found, known), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
        }
        Err(e) => panic!("not the typed refusal: {e:?}"),
        Ok(_) => panic!("a newer server schema was opened"),
    }
    let output = homedesk(db.url(), &["check"], "");
    assert!(!output.status.success(), "check refuses too");
    let version: i64 = admin.query_one("SELECT version FROM homedesk_schema", &[]).unwrap().get(0);
    assert_eq!((version, count(&mut admin)), (SCHEMA_VERSION + 1, changes), "nothing changed");
}
