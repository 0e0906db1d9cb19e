//! Backups and restore (issue 9): real SQLite files in temp dirs. A restore
//! brings back exactly the backed-up state and keeps what it replaced; a file
//! that fails verification changes nothing; the daily backup runs once a day
//! and keeps the newest N; a damaged file is never overwritten unasked.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use homedesk::app::{self, AppError, DailyBackup, HomeDesk};
use homedesk::domain::OfficeError;
use homedesk::store::{BackupFault, Store, StoreError};

/// Every row of the tables a restore must bring back, as text, in id order.
fn snapshot(path: &Path) -> Vec<String> {
    let conn = raw(path);
    let mut rows = Vec::new();
    for table in ["requests", "history", "staff", "running_numbers", "households", "office"] {
        let mut stmt =
            conn.prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2")).unwrap_or_else(|e| panic!("{e}"));
        let columns = stmt.column_count();
        let table_rows = stmt
            .query_map([], |r| {
                let values: Vec<String> = (0..columns).map(|i| value_text(r, i)).collect();
                Ok(format!("{table}: {}", values.join(" | ")))
            })
            .unwrap_or_else(|e| panic!("{e}"));
        rows.extend(table_rows.map(|r| r.unwrap_or_else(|e| panic!("{e}"))));
    }
    rows
}

fn value_text(row: &rusqlite::Row<'_>, i: usize) -> String {
    match row.get_ref(i) {
        Ok(rusqlite::types::ValueRef::Null) => "NULL".into(),
        Ok(rusqlite::types::ValueRef::Integer(n)) => n.to_string(),
        Ok(rusqlite::types::ValueRef::Real(x)) => x.to_string(),
        Ok(rusqlite::types::ValueRef::Text(t)) => String::from_utf8_lossy(t).into_owned(),
        Ok(rusqlite::types::ValueRef::Blob(b)) => format!("{} bytes", b.len()),
        Err(e) => format!("error {e}"),
    }
}

fn register(desk: &mut HomeDesk, office: &Office, room: &str) {
    let mut draft = housekeeping_draft(office);
    draft.room = room.into();
    desk.register_request(&office.cs_clerk, &draft).unwrap_or_else(|e| panic!("{e:?}"));
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

fn garbage(path: &Path) {
    let bytes: Vec<u8> = (0..8192u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_backup_restores_exactly() {
    let (db, mut desk, office) = office_desk();
    register(&mut desk, &office, "3-2-201");
    register(&mut desk, &office, "3-2-202");
    let backup = db.dir.path().join("copy.db");
    let file = desk.backup_now(&backup).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(file.size_bytes > 0);
    let at_backup = snapshot(&db.path);

    register(&mut desk, &office, "5-1-101");
    desk.take_step(
        &office.cs_clerk,
        1,
        &app::StepInput::Dispatch { staff: office.housekeeper, round: None, copier: None },
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let after_backup = snapshot(&db.path);
    assert_ne!(after_backup, at_backup);

    let restored = desk.restore(&backup).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(snapshot(&db.path), at_backup, "the data is exactly as at the backup");
    assert_eq!(count(&db.path, "requests"), 2);

    let safety = restored.safety_copy.unwrap_or_else(|| panic!("no safety copy"));
    assert_eq!(safety.parent(), db.path.parent());
    let name = safety.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    assert_eq!(name, "homedesk.before-restore-20260302-100000.db");
    assert_eq!(snapshot(&safety), after_backup, "the safety copy holds what the restore replaced");

    // The reopened handle works on: numbering continues from the backup.
    register(&mut desk, &office, "5-1-101");
    assert_eq!(count(&db.path, "requests"), 3);
    assert!(desk.store().check_invariants().unwrap_or_else(|e| panic!("{e:?}")).is_empty());
}

#[test]
fn a_damaged_backup_is_refused_and_the_live_database_unchanged() {
    let (db, mut desk, office) = office_desk();
    register(&mut desk, &office, "3-2-201");
    let bad = db.dir.path().join("bad.db");
    garbage(&bad);
    let before = snapshot(&db.path);
    let files_before = files_in(db.dir.path());

    match desk.restore(&bad) {
        Err(AppError::Store(StoreError::Unsound { path, fault: BackupFault::Unreadable(_) })) => {
            assert_eq!(path, bad)
        }
        other => panic!("a garbage backup was not refused: {other:?}"),
    }
    assert_eq!(snapshot(&db.path), before);
    assert_eq!(files_in(db.dir.path()), files_before, "no safety copy, nothing written");
}

#[test]
fn an_sqlite_file_of_another_program_is_refused_as_a_backup() {
    let (db, mut desk, _) = office_desk();
    let foreign = db.dir.path().join("other.db");
    raw(&foreign)
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        desk.restore(&foreign),
        Err(AppError::Store(StoreError::Unsound { fault: BackupFault::NotHomeDesk, .. }))
    ));
    assert!(matches!(
        app::inspect_backup(&foreign),
        Err(AppError::Store(StoreError::Unsound { fault: BackupFault::NotHomeDesk, .. }))
    ));
}

#[test]
fn the_daily_backup_runs_once_a_day_and_keeps_only_the_newest() {
    let (db, office) = office_db();
    let clock = TestClock::new(at("2026-03-01 08:00"));
    let mut desk = open_at(&db.path, clock.clock());
    desk.save_backups_kept(&office.manager, 3).unwrap_or_else(|e| panic!("{e:?}"));
    let folder = app::backups_folder(&db.path);
    std::fs::create_dir_all(&folder).unwrap_or_else(|e| panic!("{e}"));
    // Files that are not automatic backups are never deleted.
    for other in ["notes.txt", "homedesk-extra.db", "homedesk.db"] {
        std::fs::write(folder.join(other), "keep me").unwrap_or_else(|e| panic!("{e}"));
    }

    for day in 1..=5 {
        clock.set(at(&format!("2026-03-0{day} 08:0{day}")));
        let first = desk.daily_backup_if_due().unwrap_or_else(|e| panic!("day {day}: {e:?}"));
        assert!(matches!(first, DailyBackup::Made { .. }), "day {day}: {first:?}");
        clock.set(at(&format!("2026-03-0{day} 17:30")));
        assert_eq!(desk.daily_backup_if_due().ok(), Some(DailyBackup::AlreadyDone), "day {day}");
    }

    let kept: Vec<String> = desk
        .list_backups()
        .unwrap_or_else(|e| panic!("{e:?}"))
        .iter()
        .map(|b| b.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default())
        .collect();
    assert_eq!(
        kept,
        ["homedesk-2026-03-05-080500.db", "homedesk-2026-03-04-080400.db", "homedesk-2026-03-03-080300.db"]
    );
    for other in ["notes.txt", "homedesk-extra.db", "homedesk.db"] {
        assert!(folder.join(other).exists(), "{other} was deleted");
    }
    // Each kept backup is a sound copy.
    for backup in desk.list_backups().unwrap_or_default() {
        assert!(homedesk::store::verify_backup(&backup.path).is_ok(), "{}", backup.path.display());
    }
}

#[test]
fn backups_kept_is_a_managers_setting_from_1_to_365() {
    let (_db, mut desk, office) = office_desk();
    assert_eq!(desk.backups_kept().ok(), Some(14));
    assert!(matches!(desk.save_backups_kept(&office.cs_clerk, 30), Err(AppError::Access(_))));
    for wrong in [0, 366] {
        assert!(matches!(
            desk.save_backups_kept(&office.manager, wrong),
            Err(AppError::Office(OfficeError::BackupsKeptOutOfRange))
        ));
    }
    desk.save_backups_kept(&office.manager, 30).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(desk.backups_kept().ok(), Some(30));
    assert!(desk.store().check_invariants().unwrap_or_default().is_empty());
}

#[test]
fn opening_a_garbage_file_gives_not_a_database_and_leaves_its_bytes() {
    let db = temp_db();
    garbage(&db.path);
    let before = std::fs::read(&db.path).unwrap_or_default();
    assert!(matches!(Store::open(&db.path), Err(StoreError::NotADatabase(_))));
    assert!(matches!(
        HomeDesk::open_with_clock(&db.path, fixed_clock(now())),
        Err(AppError::Store(StoreError::NotADatabase(_)))
    ));
    assert_eq!(std::fs::read(&db.path).unwrap_or_default(), before);
}

#[test]
fn a_damaged_file_is_replaced_by_the_backup_and_kept_as_the_safety_copy() {
    let (db, mut desk, office) = office_desk();
    register(&mut desk, &office, "3-2-201");
    desk.daily_backup_if_due().unwrap_or_else(|e| panic!("{e:?}"));
    let at_backup = snapshot(&db.path);
    drop(desk);
    garbage(&db.path);
    let damaged = std::fs::read(&db.path).unwrap_or_default();

    let latest = app::latest_good_backup(&db.path).unwrap_or_else(|| panic!("no good backup offered"));
    let restored = app::restore_damaged(&db.path, &latest.path, now()).unwrap_or_else(|e| panic!("{e:?}"));
    let safety: PathBuf = restored.safety_copy.unwrap_or_else(|| panic!("no safety copy"));
    assert_eq!(
        std::fs::read(&safety).unwrap_or_default(),
        damaged,
        "the damaged bytes are kept as they were"
    );

    let desk = open_at(&db.path, fixed_clock(now()));
    assert_eq!(snapshot(&db.path), at_backup);
    assert!(desk.store().check_invariants().unwrap_or_else(|e| panic!("{e:?}")).is_empty());
}

fn file_names(backups: &[app::BackupFile]) -> Vec<String> {
    backups
        .iter()
        .map(|b| b.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default())
        .collect()
}

/// Issue 23: a second office's file in the same folder got no automatic
/// backup, because the first office's backup of today was taken for its own.
#[test]
fn each_office_file_has_its_own_daily_backups_in_a_shared_folder() {
    let (db, _office) = office_db();
    let east = db.dir.path().join("east.db");
    std::fs::copy(&db.path, &east).unwrap_or_else(|e| panic!("{e}"));
    let clock = TestClock::new(at("2026-03-01 08:00"));
    let first = open_at(&db.path, clock.clock());
    assert!(matches!(first.daily_backup_if_due(), Ok(DailyBackup::Made { .. })));
    clock.set(at("2026-03-01 09:15"));
    let second = open_at(&east, clock.clock());
    let made = second.daily_backup_if_due().unwrap_or_else(|e| panic!("{e:?}"));
    let DailyBackup::Made { file, .. } = made else { panic!("east.db got no backup of its own: {made:?}") };
    assert_eq!(file.path, app::backups_folder(&east).join("east-2026-03-01-091500.db"));
    assert_eq!(second.daily_backup_if_due().ok(), Some(DailyBackup::AlreadyDone));
    // The default file's backups keep the name they always had.
    let own = first.list_backups().unwrap_or_default();
    assert_eq!(file_names(&own), ["homedesk-2026-03-01-080000.db"], "east's backup is not homedesk's");
    // homedesk.db's backups are not east's to list or restore.
    let listed = second.list_backups().unwrap_or_default();
    assert_eq!(file_names(&listed), ["east-2026-03-01-091500.db"]);
    assert_eq!(app::latest_good_backup(&east).map(|b| b.path), Some(file.path));
}

/// Backups made before they were named after their database were all
/// `homedesk-…`: a file of another name, with no homedesk.db beside it,
/// still lists and restores them.
#[test]
fn backups_of_the_old_shared_name_still_list_for_a_file_of_another_name() {
    let (db, _office) = office_db();
    let clock = TestClock::new(at("2026-03-01 08:00"));
    let old = open_at(&db.path, clock.clock());
    assert!(matches!(old.daily_backup_if_due(), Ok(DailyBackup::Made { .. })));
    drop(old);
    let renamed = db.dir.path().join("office.db");
    std::fs::rename(&db.path, &renamed).unwrap_or_else(|e| panic!("{e}"));
    clock.set(at("2026-03-02 08:00"));
    let desk = open_at(&renamed, clock.clock());
    assert!(matches!(desk.daily_backup_if_due(), Ok(DailyBackup::Made { .. })));
    let listed = desk.list_backups().unwrap_or_default();
    assert_eq!(file_names(&listed), ["office-2026-03-02-080000.db", "homedesk-2026-03-01-080000.db"]);
}

/// Keeping the newest N deletes only the file's own backups, never those of
/// the old shared name or of another office.
#[test]
fn keeping_the_newest_backups_deletes_only_the_files_own() {
    let (db, office) = office_db();
    let east = db.dir.path().join("east.db");
    std::fs::copy(&db.path, &east).unwrap_or_else(|e| panic!("{e}"));
    let clock = TestClock::new(at("2026-03-01 08:00"));
    let old = open_at(&db.path, clock.clock());
    assert!(matches!(old.daily_backup_if_due(), Ok(DailyBackup::Made { .. })));
    let mut desk = open_at(&east, clock.clock());
    desk.save_backups_kept(&office.manager, 1).unwrap_or_else(|e| panic!("{e:?}"));
    for day in 2..=4 {
        clock.set(at(&format!("2026-03-0{day} 08:00")));
        assert!(matches!(desk.daily_backup_if_due(), Ok(DailyBackup::Made { .. })), "day {day}");
    }
    assert_eq!(file_names(&desk.list_backups().unwrap_or_default()), ["east-2026-03-04-080000.db"]);
    let folder = app::backups_folder(&east);
    assert!(folder.join("homedesk-2026-03-01-080000.db").exists(), "homedesk.db's backup was deleted");
}
