//! Data safety, second pass (issue 20 items 1, 2, 4, 5, 10), through the real
//! binary and a second process: a restore never loses another HomeDesk's
//! commit; a backup of a file the user may only read finishes; a missing,
//! empty or damaged file is refused and left as it was; a restore does not
//! restore a file onto itself, leaves nothing beside a refused backup and
//! nothing behind when the disk is full; `check` pads the shopping numbers.
//!
//! The second process is either the binary (`restore`, `import`, `backup`)
//! or this test binary started again with [`HOLDER_DB`] set: the test
//! [`write_lock_holder_child`] then registers rows in one transaction and
//! keeps the write lock for a while, as a long import does.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::*;
use homedesk::app::{self, HomeDesk};
use homedesk::domain::{Desk, Rank, RegisterKind, User};

/// Set in a child: the database it writes to. Unset, the child test is a no-op.
const HOLDER_DB: &str = "HOMEDESK_TEST_HOLDER_DB";
/// Set in a child: `clerk-staff-id,price-item-id,rows,hold-milliseconds`.
const HOLDER_ARGS: &str = "HOMEDESK_TEST_HOLDER_ARGS";

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

fn path_arg(path: &Path) -> &str {
    path.to_str().unwrap_or_else(|| panic!("non-UTF-8 temp path {}", path.display()))
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn requests_in(db: &Path) -> i64 {
    count(db, "requests")
}

fn register(desk: &mut HomeDesk, office: &Office, room: &str) {
    let mut draft = housekeeping_draft(office);
    draft.room = room.into();
    desk.register_request(&office.cs_clerk, &draft).unwrap_or_else(|e| panic!("{e:?}"));
}

/// The `before-restore` safety copies beside `db`.
fn safety_copies(db: &Path) -> Vec<PathBuf> {
    let dir = db.parent().unwrap_or_else(|| panic!("no folder"));
    files_in(dir).into_iter().filter(|n| n.contains(".before-restore-")).map(|n| dir.join(n)).collect()
}

// ----- item 1: a restore while another HomeDesk writes -----

/// The holder run in a child process; does nothing in an ordinary test run.
#[test]
fn write_lock_holder_child() {
    let Some(db) = std::env::var_os(HOLDER_DB) else {
        return;
    };
    let args = std::env::var(HOLDER_ARGS).unwrap_or_default();
    let numbers: Vec<i64> = args.split(',').filter_map(|s| s.parse().ok()).collect();
    let [clerk, item, rows, hold_ms] = numbers[..] else {
        panic!("{HOLDER_ARGS} is not clerk,item,rows,hold: {args:?}");
    };
    let mut desk = open_at(Path::new(&db), fixed_clock(now()));
    let user = User { staff_id: clerk, name: "陈客服".into(), rank: Rank::Staff, desk: Desk::CsCenter };
    let mut out = std::io::stdout().lock();
    // One transaction for all rows, as an import writes its file.
    desk.store().begin_bulk().unwrap_or_else(|e| panic!("begin: {e:?}"));
    let _ = writeln!(out, "writing").and_then(|()| out.flush());
    for i in 0..rows {
        let draft = homedesk::domain::IntakeDraft {
            room: format!("7-1-{}", 101 + i % 40),
            ..draft_for_item(RegisterKind::Housekeeping, item, now())
        };
        desk.register_request(&user, &draft).unwrap_or_else(|e| panic!("row {i}: {e:?}"));
    }
    std::thread::sleep(Duration::from_millis(hold_ms as u64));
    desk.store().commit_bulk().unwrap_or_else(|e| panic!("commit: {e:?}"));
    let _ = writeln!(out, "committed {rows}").and_then(|()| out.flush());
}

/// A child holding the write lock of `db` while it writes `rows` rows, for
/// `hold` after the last one; returns once it has the lock.
fn hold_write_lock(
    db: &Path,
    office: &Office,
    rows: i64,
    hold: Duration,
) -> (Child, BufReader<std::process::ChildStdout>) {
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("current exe: {e}"));
    let args = format!("{},{},{rows},{}", office.cs_clerk.staff_id, office.prices.cleaning, hold.as_millis());
    let mut child = Command::new(exe)
        .args(["write_lock_holder_child", "--exact", "--nocapture", "--test-threads=1", "-q"])
        .env(HOLDER_DB, db)
        .env(HOLDER_ARGS, args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn the holder: {e}"));
    let mut lines = BufReader::new(child.stdout.take().unwrap_or_else(|| panic!("no stdout")));
    let mut line = String::new();
    while !line.starts_with("writing") {
        line.clear();
        let read = lines.read_line(&mut line).unwrap_or_else(|e| panic!("holder: {e}"));
        assert!(read > 0, "the holder ended before it took the lock");
    }
    (child, lines)
}

/// Whether the holder reported its commit, after it ended.
fn holder_committed(mut child: Child, lines: BufReader<std::process::ChildStdout>) -> bool {
    // Every line is read: a closed pipe would fail the child's own harness.
    let lines: Vec<String> = lines.lines().map_while(Result::ok).collect();
    let committed = lines.iter().any(|l| l.starts_with("committed"));
    let status = child.wait().unwrap_or_else(|e| panic!("wait: {e}"));
    committed && status.success()
}

/// An office with one row, its backup (one row), and then a second row.
fn office_with_backup() -> (TestDb, Office, PathBuf) {
    let (db, mut desk, office) = office_desk();
    register(&mut desk, &office, "3-2-201");
    let backup = db.dir.path().join("bk.db");
    desk.backup_now(&backup).unwrap_or_else(|e| panic!("{e:?}"));
    register(&mut desk, &office, "3-2-202");
    (db, office, backup)
}

#[cfg(unix)]
#[test]
fn a_restore_waits_for_a_writer_and_its_commit_is_in_the_safety_copy() {
    const ROWS: i64 = 200;
    let (db, office, backup) = office_with_backup();
    // The writer keeps the lock 2 s after its rows: shorter than a restore waits.
    let (child, lines) = hold_write_lock(&db.path, &office, ROWS, Duration::from_secs(2));
    let restore = homedesk(&db.path, &["restore", "--from", path_arg(&backup)], "");
    assert!(holder_committed(child, lines), "the writer's commit failed");
    assert!(restore.status.success(), "{}", text(&restore));

    let safety = safety_copies(&db.path);
    assert_eq!(safety.len(), 1, "{safety:?}");
    assert_eq!(requests_in(&safety[0]), 2 + ROWS, "the writer's rows are in the safety copy");
    assert_eq!(requests_in(&db.path), 1, "the live file is the backup's");
}

#[cfg(unix)]
#[test]
fn a_restore_refuses_while_another_homedesk_keeps_writing_and_changes_nothing() {
    const ROWS: i64 = 50;
    let (db, office, backup) = office_with_backup();
    let (child, lines) = hold_write_lock(&db.path, &office, ROWS, Duration::from_secs(12));
    let started = Instant::now();
    let restore = homedesk(&db.path, &["restore", "--from", path_arg(&backup)], "");
    let waited = started.elapsed();
    assert!(!restore.status.success(), "{}", text(&restore));
    assert!(text(&restore).contains("正在写入这个数据库"), "{}", text(&restore));
    assert!(text(&restore).contains("数据库未改动"), "{}", text(&restore));
    assert!(waited < Duration::from_secs(11), "the restore waited {waited:?}");
    assert!(holder_committed(child, lines), "the writer's commit failed");
    assert_eq!(safety_copies(&db.path), Vec::<PathBuf>::new(), "a refused restore leaves no safety copy");
    assert_eq!(requests_in(&db.path), 2 + ROWS, "every commit is in the live file");
}

/// The run: the real `import register` of many rows, and a
/// `restore --from` started while it writes. Whatever the timing, rows the
/// import reported are in the live file or in the safety copy.
#[cfg(unix)]
#[test]
fn an_import_and_a_restore_at_the_same_time_lose_no_reported_row() {
    const ROWS: usize = 3_000;
    const RUNS: usize = 3;
    for run in 0..RUNS {
        let (db, _office, backup) = office_with_backup();
        let csv = db.dir.path().join("register.csv");
        std::fs::write(&csv, register_csv(ROWS)).unwrap_or_else(|e| panic!("{e}"));
        let mut import = Command::new(env!("CARGO_BIN_EXE_homedesk"))
            .arg("--db")
            .arg(&db.path)
            .args(["import", "register", path_arg(&csv), "--login", MANAGER_LOGIN, "--password-stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn import: {e}"));
        if let Some(mut input) = import.stdin.take() {
            let _ = writeln!(input, "{MANAGER_PASSWORD}");
        }
        wait_until_writing(&db.path, &mut import);
        let restore = homedesk(&db.path, &["restore", "--from", path_arg(&backup)], "");
        let import = import.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
        let live = requests_in(&db.path);
        let kept: Vec<i64> = safety_copies(&db.path).iter().map(|s| requests_in(s)).collect();
        eprintln!(
            "run {run}: import {} / restore {} / live {live} rows / safety copies {kept:?}\n{}{}",
            import.status,
            restore.status,
            text(&import),
            text(&restore)
        );
        if import.status.success() {
            let with_import = 2 + ROWS as i64;
            assert!(
                live == with_import || kept.contains(&with_import),
                "run {run}: the import's rows are in neither the live file ({live}) nor a safety copy ({kept:?})"
            );
        }
        if restore.status.success() {
            assert_eq!(kept.len(), 1, "run {run}: one safety copy");
        } else {
            assert!(kept.is_empty(), "run {run}: a refused restore left {kept:?}");
        }
    }
}

/// `ROWS` rows of the housekeeping register of 2025, as docs/IMPORT.md has them.
fn register_csv(rows: usize) -> String {
    let mut csv = String::from(
        "登记簿,受理时间,受理人,房号,住户姓名,电话,服务项目,服务内容及要求,预约时间,服务人员,议定价格,状态,备注\n",
    );
    let start = at("2025-01-02 08:00");
    for i in 0..rows {
        let received = start + chrono::Duration::minutes(i as i64 * 7);
        let appointment = received + chrono::Duration::hours(2);
        csv.push_str(&format!(
            "家政,{},陈客服,3-2-{},张阿姨,13912345678,厨房保洁,,{},,100,已完成,\n",
            received.format("%Y-%m-%d %H:%M"),
            101 + i % 40,
            appointment.format("%Y-%m-%d %H:%M"),
        ));
    }
    csv
}

/// Waits until some connection holds the write lock of `db` (the import has
/// checked its file and started writing), or the import has ended.
fn wait_until_writing(db: &Path, import: &mut Child) {
    let probe = rusqlite::Connection::open(db).unwrap_or_else(|e| panic!("{e}"));
    probe.busy_timeout(Duration::ZERO).unwrap_or_else(|e| panic!("{e}"));
    while import.try_wait().unwrap_or_else(|e| panic!("{e}")).is_none() {
        match probe.execute_batch("BEGIN IMMEDIATE; ROLLBACK;") {
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => return,
            _ => std::thread::sleep(Duration::from_millis(2)),
        }
    }
}

#[test]
fn an_open_window_notices_a_restore_by_another_handle_and_reopens() {
    let (db, office, backup) = office_with_backup();
    let mut window = open_at(&db.path, fixed_clock(now()));
    assert!(!window.store().replaced().unwrap_or(true));
    let mut other = open_at(&db.path, fixed_clock(now()));
    register(&mut other, &office, "3-2-203");
    assert!(!window.store().replaced().unwrap_or(true), "an ordinary commit is no restore");
    other.restore(&backup).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(window.store().replaced().unwrap_or(false), "the window did not notice the restore");
    window.reopen().unwrap_or_else(|e| panic!("{e:?}"));
    assert!(!window.store().replaced().unwrap_or(true));
    register(&mut window, &office, "3-2-204");
    assert_eq!(requests_in(&db.path), 2);
    assert!(window.store().check_invariants().unwrap_or_else(|e| panic!("{e:?}")).is_empty());
}

// ----- item 2: a backup of a file the user may only read -----

/// A demo office bigger than one step of the old copy (1 MiB), built once.
fn demo_office() -> &'static Path {
    static DEMO: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("demo.db");
        let made = homedesk(&path, &["demo", "--households", "50"], "");
        assert!(made.status.success(), "{}", text(&made));
        (dir, path)
    });
    path
}

/// The backup runs as `nobody` (tests run as root, whom no permission
/// stops): the database, its `-wal` and `-shm` are read-only and owned by
/// root, as when a clerk's account may only read the office's files. SQLite
/// then cannot share the WAL index, takes it for changed on every read, and
/// the old copy in steps of 1 MiB restarted for ever, leaving `.partial`
/// files behind when killed.
#[cfg(unix)]
#[test]
fn a_backup_of_a_read_only_database_finishes_or_fails_at_once() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("office.db");
    std::fs::copy(demo_office(), &db).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("office.db-wal"), b"").unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("office.db-shm"), vec![0u8; 32_768]).unwrap_or_else(|e| panic!("{e}"));
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap_or_else(|e| panic!("{e}"));
    let mode = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .unwrap_or_else(|e| panic!("{e}"))
    };
    for name in ["office.db", "office.db-wal", "office.db-shm"] {
        mode(&dir.path().join(name), 0o444);
    }
    mode(dir.path(), 0o755);
    mode(&out_dir, 0o777);
    let out = out_dir.join("bk.db");
    // `nobody` may not reach the build's own binary (a clone in a 0700
    // folder, as `mktemp -d` makes): it runs a copy in this 0755 folder.
    let program = dir.path().join("homedesk");
    std::fs::copy(env!("CARGO_BIN_EXE_homedesk"), &program).unwrap_or_else(|e| panic!("{e}"));
    mode(&program, 0o755);

    let mut child = Command::new(&program)
        .arg("--db")
        .arg(&db)
        .args(["backup", "--out", path_arg(&out)])
        .uid(65_534)
        .gid(65_534)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn: {e}"));
    let started = Instant::now();
    let limit = Duration::from_secs(30);
    while child.try_wait().unwrap_or_else(|e| panic!("{e}")).is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the backup ran for {limit:?}; left {:?}", files_in(&out_dir));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    eprintln!("read-only backup: {:.2} s, {}", started.elapsed().as_secs_f64(), text(&output));
    if output.status.success() {
        assert_eq!(files_in(&out_dir), ["bk.db"]);
        assert!(homedesk::store::verify_backup(&out).is_ok());
    } else {
        assert_eq!(files_in(&out_dir), Vec::<String>::new(), "a failed backup left files");
    }
}

// ----- item 4: a missing or empty file is no office -----

/// Every command that reads or writes an office, for a file at `db`.
fn office_commands(out: &Path, csv: &Path) -> Vec<Vec<String>> {
    let out = path_arg(out).to_string();
    let csv = path_arg(csv).to_string();
    let line = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
    vec![
        line("check"),
        line("report --month 2026-02"),
        line("revisit-plan --month 2026-02"),
        vec![
            "export".into(),
            "housekeeping".into(),
            "--from".into(),
            "2026-03-01".into(),
            "--out".into(),
            format!("{out}.xlsx"),
        ],
        vec!["backup".into(), "--out".into(), format!("{out}.db")],
        vec![
            "print".into(),
            "handover".into(),
            "--day".into(),
            "2026-03-02".into(),
            "--out".into(),
            format!("{out}.pdf"),
        ],
        vec![
            "import".into(),
            "residents".into(),
            csv,
            "--login".into(),
            MANAGER_LOGIN.into(),
            "--password-stdin".into(),
        ],
    ]
}

#[test]
fn an_empty_or_missing_file_is_refused_by_every_command_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let csv = dir.path().join("residents.csv");
    std::fs::write(&csv, "房号,姓名,电话\n3-2-201,张阿姨,13912345678\n").unwrap_or_else(|e| panic!("{e}"));
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap_or_else(|e| panic!("{e}"));
    // An SQLite file with nothing in it: a header, no tables.
    let blank = dir.path().join("blank.db");
    rusqlite::Connection::open(&blank)
        .and_then(|c| c.execute_batch("CREATE TABLE t (x); DROP TABLE t;"))
        .unwrap_or_else(|e| panic!("{e}"));
    let missing = dir.path().join("missing.db");
    let out = dir.path().join("out");

    for db in [&empty, &blank, &missing] {
        let before = std::fs::read(db).ok();
        let files_before = files_in(dir.path());
        for args in office_commands(&out, &csv) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let output = homedesk(db, &args, &format!("{MANAGER_PASSWORD}\n"));
            let said = text(&output);
            assert!(!output.status.success(), "{} {args:?} succeeded: {said}", db.display());
            let expected = if db == &missing { "不存在" } else { "是空的" };
            assert!(said.contains(expected), "{} {args:?}: {said}", db.display());
            assert!(!said.contains("完整性检查：ok"), "{said}");
            assert_eq!(std::fs::read(db).ok(), before, "{} {args:?} changed the file", db.display());
            assert_eq!(files_in(dir.path()), files_before, "{} {args:?} made files", db.display());
        }
    }
    // `init` makes the office, in the empty file too.
    let init = homedesk(
        &empty,
        &["init", "--office", OFFICE_NAME, "--manager", "王经理", "--phone", "88886666", "--password-stdin"],
        "secret-123\n",
    );
    assert!(init.status.success(), "{}", text(&init));
    let check = homedesk(&empty, &["check"], "");
    assert!(check.status.success(), "{}", text(&check));
}

#[test]
fn an_empty_file_does_not_open_as_an_office_and_a_backup_restores_it() {
    let (db, office, backup) = office_with_backup();
    let _ = office;
    std::fs::write(&db.path, b"").unwrap_or_else(|e| panic!("{e}"));
    for sidecar in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{sidecar}", db.path.display()));
    }
    assert!(matches!(
        HomeDesk::open_existing(&db.path),
        Err(app::AppError::Store(homedesk::store::StoreError::Empty(_)))
    ));
    assert_eq!(std::fs::metadata(&db.path).map(|m| m.len()).ok(), Some(0));
    let restore = homedesk(&db.path, &["restore", "--from", path_arg(&backup)], "");
    assert!(restore.status.success(), "{}", text(&restore));
    assert_eq!(requests_in(&db.path), 1);
}

// ----- item 5: a damaged file -----

/// Overwrites pages in the middle of the file (page 1, the header and the
/// schema, stays): the file opens, and `check` finds the damage.
fn damage_pages(db: &Path) {
    let mut bytes = std::fs::read(db).unwrap_or_else(|e| panic!("{e}"));
    let page = 4096;
    let pages = bytes.len() / page;
    assert!(pages > 20, "a file of {pages} pages is too small to damage");
    for (i, byte) in bytes[page * (pages / 2)..page * (pages / 2 + 4)].iter_mut().enumerate() {
        *byte = (i as u32).wrapping_mul(2_654_435_761).rotate_right(13) as u8;
    }
    std::fs::write(db, bytes).unwrap_or_else(|e| panic!("{e}"));
}

/// A closed office with its automatic backup in `backups/`, then damaged.
fn damaged_office() -> (TestDb, PathBuf) {
    let (db, mut desk, office) = office_desk();
    for i in 0..60 {
        register(&mut desk, &office, &format!("3-2-{}", 101 + i % 40));
    }
    let good = match desk.daily_backup_if_due().unwrap_or_else(|e| panic!("{e:?}")) {
        app::DailyBackup::Made { file, .. } => file.path,
        other => panic!("{other:?}"),
    };
    drop(desk);
    damage_pages(&db.path);
    (db, good)
}

#[test]
fn a_damaged_file_is_refused_by_writing_commands_and_backup_names_it() {
    let (db, good) = damaged_office();
    let check = homedesk(&db.path, &["check"], "");
    assert!(!check.status.success(), "check passed a damaged file: {}", text(&check));
    let before = std::fs::read(&db.path).unwrap_or_default();

    let csv = db.dir.path().join("residents.csv");
    std::fs::write(&csv, "房号,姓名,电话\n9-9-901,赵先生,13912345000\n").unwrap_or_else(|e| panic!("{e}"));
    let import = homedesk(
        &db.path,
        &["import", "residents", path_arg(&csv), "--login", MANAGER_LOGIN, "--password-stdin"],
        &format!("{MANAGER_PASSWORD}\n"),
    );
    let said = text(&import);
    assert!(!import.status.success(), "import wrote into a damaged file: {said}");
    assert!(said.contains(path_arg(&db.path)) && said.contains(path_arg(&good)), "{said}");
    assert_eq!(std::fs::read(&db.path).unwrap_or_default(), before, "the import changed the damaged file");

    let out = db.dir.path().join("bk.db");
    let backup = homedesk(&db.path, &["backup", "--out", path_arg(&out)], "");
    let said = text(&backup);
    assert!(!backup.status.success(), "{said}");
    let fault = said.split("未改动").next().unwrap_or_default();
    assert!(fault.contains(path_arg(&db.path)), "the source is not named as damaged: {said}");
    assert!(!said.contains("bk.db 不是"), "the destination is blamed: {said}");
    assert!(said.contains(path_arg(&good)), "the latest good backup is not named: {said}");
    assert!(!out.exists());
    assert!(!files_in(db.dir.path()).iter().any(|n| n.contains("partial")));
}

/// A file whose damage opening does not meet (the search index's pages):
/// `import` is stopped by the quick check alone, and the app's 立即备份…
/// and daily backup name the database with the latest good backup.
#[test]
fn a_file_damaged_where_opening_does_not_look_is_refused_by_import_and_named_by_the_apps_backup() {
    let (db, mut desk, office) = office_desk();
    for i in 0..60 {
        register(&mut desk, &office, &format!("3-2-{}", 101 + i % 40));
    }
    let good = match desk.daily_backup_if_due().unwrap_or_else(|e| panic!("{e:?}")) {
        app::DailyBackup::Made { file, .. } => file.path,
        other => panic!("{other:?}"),
    };
    drop(desk);
    // The search index's pages: read by a search, not by opening the file.
    let pages: Vec<i64> = {
        let conn = raw(&db.path);
        let mut stmt = conn
            .prepare("SELECT pageno FROM dbstat WHERE name LIKE 'requests_search%' AND pagetype = 'leaf' ORDER BY pageno")
            .unwrap_or_else(|e| panic!("{e}"));
        stmt.query_map([], |r| r.get(0)).and_then(|rows| rows.collect()).unwrap_or_else(|e| panic!("{e}"))
    };
    assert!(!pages.is_empty(), "no search index pages");
    let mut bytes = std::fs::read(&db.path).unwrap_or_else(|e| panic!("{e}"));
    for page in &pages {
        let start = (*page as usize - 1) * 4096;
        bytes[start..start + 4096].fill(0xA5);
    }
    std::fs::write(&db.path, bytes).unwrap_or_else(|e| panic!("{e}"));

    // The file opens: only the quick check at open stops `import` writing into it.
    let before = std::fs::read(&db.path).unwrap_or_default();
    let csv = db.dir.path().join("residents.csv");
    std::fs::write(&csv, "房号,姓名,电话\n9-9-901,赵先生,13912345000\n").unwrap_or_else(|e| panic!("{e}"));
    let import = homedesk(
        &db.path,
        &["import", "residents", path_arg(&csv), "--login", MANAGER_LOGIN, "--password-stdin"],
        &format!("{MANAGER_PASSWORD}\n"),
    );
    assert!(!import.status.success(), "import wrote into a damaged file: {}", text(&import));
    assert!(text(&import).contains(path_arg(&good)), "{}", text(&import));
    assert_eq!(std::fs::read(&db.path).unwrap_or_default(), before, "the import changed the damaged file");

    let desk = open_at(&db.path, fixed_clock(now()));
    let out = db.dir.path().join("bk.db");
    let failed = desk.backup_now(&out).err().unwrap_or_else(|| panic!("backed up a damaged file"));
    let said = homedesk::ui::backup_error(&db.path, &failed);
    assert!(said.starts_with(path_arg(&db.path)) && said.contains(path_arg(&good)), "{said}");
    assert!(!out.exists());
}

#[test]
fn a_damaged_file_is_restored_from_the_command_line_and_kept_as_the_safety_copy() {
    let (db, good) = damaged_office();
    let damaged = std::fs::read(&db.path).unwrap_or_default();
    let restore = homedesk(&db.path, &["restore", "--from", path_arg(&good)], "");
    assert!(restore.status.success(), "{}", text(&restore));
    let safety = safety_copies(&db.path);
    assert_eq!(safety.len(), 1);
    assert_eq!(std::fs::read(&safety[0]).unwrap_or_default(), damaged);
    let check = homedesk(&db.path, &["check"], "");
    assert!(check.status.success(), "{}", text(&check));
}

// ----- item 10 -----

#[test]
fn a_restore_of_the_database_onto_itself_is_refused() {
    let (db, _office, _backup) = office_with_backup();
    let files_before = files_in(db.dir.path());
    let before = requests_in(&db.path);
    let same_file_other_name = db.dir.path().join(".").join("homedesk.db");
    for from in [db.path.clone(), same_file_other_name] {
        let restore = homedesk(&db.path, &["restore", "--from", path_arg(&from)], "");
        let said = text(&restore);
        assert!(!restore.status.success(), "{said}");
        assert!(said.contains("就是当前的数据库本身"), "{said}");
        assert_eq!(files_in(db.dir.path()), files_before, "{said}");
        assert_eq!(requests_in(&db.path), before);
    }
}

#[test]
fn a_refused_restore_source_is_left_without_wal_or_shm_files() {
    let (db, _office, _backup) = office_with_backup();
    // A copy of a live office (WAL mode) of a newer HomeDesk: refused.
    let newer = db.dir.path().join("newer.db");
    std::fs::copy(&db.path, &newer).unwrap_or_else(|e| panic!("{e}"));
    {
        let conn = rusqlite::Connection::open(&newer).unwrap_or_else(|e| panic!("{e}"));
        conn.pragma_update(None, "user_version", 999).unwrap_or_else(|e| panic!("{e}"));
    }
    let header = std::fs::read(&newer).unwrap_or_default();
    assert_eq!(header.get(18..20), Some(&[2u8, 2][..]), "the candidate is a WAL-mode file");
    let files_before = files_in(db.dir.path());
    let restore = homedesk(&db.path, &["restore", "--from", path_arg(&newer)], "");
    assert!(!restore.status.success(), "{}", text(&restore));
    assert!(app::inspect_backup(&newer).is_err());
    assert!(app::latest_good_backup(&db.path).is_none());
    assert_eq!(files_in(db.dir.path()), files_before, "files appeared beside the refused backup");
    // A sound WAL-mode candidate is read without leaving anything either.
    let sound = db.dir.path().join("sound.db");
    std::fs::copy(&db.path, &sound).unwrap_or_else(|e| panic!("{e}"));
    let files_before = files_in(db.dir.path());
    assert!(app::inspect_backup(&sound).is_ok());
    assert_eq!(files_in(db.dir.path()), files_before);
}

/// A disk that fills up during the restore: the binary runs with a limit on
/// the size of the files it writes (`ulimit -f`, with SIGXFSZ ignored so a
/// write past it fails as on a full disk). The safety copy of the small live
/// file fits; the restore of the bigger backup does not.
#[cfg(unix)]
#[test]
fn a_restore_that_fills_the_disk_leaves_the_database_as_it_was_and_no_safety_copy() {
    let (db, _office, _backup) = office_with_backup();
    let big = db.dir.path().join("big.db");
    let made = homedesk(demo_office(), &["backup", "--out", path_arg(&big)], "");
    assert!(made.status.success(), "{}", text(&made));
    let live_size = std::fs::metadata(&db.path).map(|m| m.len()).unwrap_or(0);
    let big_size = std::fs::metadata(&big).map(|m| m.len()).unwrap_or(0);
    let limit_blocks = (live_size * 2).max(1 << 20) / 512;
    assert!(limit_blocks * 512 < big_size, "the backup ({big_size}) fits under the limit");
    let before = requests_in(&db.path);
    let files_before = files_in(db.dir.path());

    let script =
        format!("trap '' XFSZ; ulimit -f {limit_blocks}; exec \"$0\" --db \"$1\" restore --from \"$2\"");
    let output = Command::new("sh")
        .args(["-c", &script, env!("CARGO_BIN_EXE_homedesk"), path_arg(&db.path), path_arg(&big)])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let said = text(&output);
    assert!(!output.status.success(), "the restore did not fail: {said}");
    assert!(said.contains("数据库未改动"), "{said}");
    assert_eq!(requests_in(&db.path), before, "the live file changed");
    let after: Vec<String> = files_in(db.dir.path())
        .into_iter()
        .filter(|n| !n.ends_with("-wal") && !n.ends_with("-shm"))
        .collect();
    let before: Vec<String> =
        files_before.into_iter().filter(|n| !n.ends_with("-wal") && !n.ends_with("-shm")).collect();
    assert_eq!(after, before, "the failed restore left files: {said}");
}

#[test]
fn check_pads_both_ends_of_the_shopping_numbers() {
    let (db, mut desk, office) = office_desk();
    for _ in 0..5 {
        desk.record_shopping(&office.cs_clerk, &shopping_draft()).unwrap_or_else(|e| panic!("{e:?}"));
    }
    drop(desk);
    let check = homedesk(&db.path, &["check"], "");
    let said = text(&check);
    assert!(said.contains("编号 000001–000005 连续"), "{said}");
}

/// A file with a schema version and nothing else (one page) is no backup:
/// the restore's first step, which only takes the lock, would be its last.
#[test]
fn a_file_with_a_version_but_no_office_is_refused_as_a_backup() {
    let (db, _office, _backup) = office_with_backup();
    let bare = db.dir.path().join("bare.db");
    rusqlite::Connection::open(&bare)
        .and_then(|c| c.pragma_update(None, "user_version", 16))
        .unwrap_or_else(|e| panic!("{e}"));
    let before = requests_in(&db.path);
    let restore = homedesk(&db.path, &["restore", "--from", path_arg(&bare)], "");
    assert!(!restore.status.success(), "{}", text(&restore));
    assert!(text(&restore).contains("不是居家服务台的数据库"), "{}", text(&restore));
    assert_eq!(requests_in(&db.path), before);
    assert_eq!(safety_copies(&db.path), Vec::<PathBuf>::new());
}
