//! Issue 20, item 8: every error a person sees from the command line is a
//! Chinese sentence from the catalogue, worded for the command line (the
//! technical detail may follow in brackets): a file that is not a workbook,
//! a read-only database, a busy one, a folder that cannot be made, a full
//! disk, a mistyped command line.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;
use homedesk::i18n::{Place, t};
use homedesk::store::StoreError;

fn import_residents(db: &Path, file: &Path) -> Output {
    let file = file.to_string_lossy();
    homedesk(
        db,
        &["import", "residents", &file, "--login", MANAGER_LOGIN, "--password-stdin"],
        &format!("{MANAGER_PASSWORD}\n"),
    )
}

/// What the person reads after `homedesk: ` begins with a Chinese character.
fn starts_in_chinese(line: &str) -> bool {
    let text = line.strip_prefix("homedesk: ").unwrap_or(line);
    text.chars().next().is_some_and(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn sample(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples").join(name)
}

#[test]
fn a_file_that_is_not_a_workbook_is_said_in_chinese() {
    let (db, _office) = office_db();
    let bad = db.dir.path().join("名单.xlsx");
    std::fs::write(&bad, "这不是 Excel").unwrap_or_else(|e| panic!("{e}"));
    let output = import_residents(&db.path, &bad);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success());
    let first = stdout.lines().next().unwrap_or_default();
    assert!(first.starts_with("名单.xlsx 不是可读取的 Excel 工作簿"), "{stdout}");
    assert!(!first.starts_with("Xlsx error") && !first.contains("：Xlsx"), "{stdout}");
}

/// The file may only be read: as root `chattr +i` (root ignores modes),
/// else `chmod 444`.
fn make_read_only(path: &Path) -> bool {
    let immutable = Command::new("chattr").arg("+i").arg(path).status().is_ok_and(|s| s.success());
    if !immutable {
        let mut perms = std::fs::metadata(path).unwrap_or_else(|e| panic!("{e}")).permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(path, perms).unwrap_or_else(|e| panic!("{e}"));
    }
    immutable
}

#[test]
fn a_read_only_database_is_said_in_chinese_for_the_command_line() {
    let (db, _office) = office_db();
    let immutable = make_read_only(&db.path);
    let output = import_residents(&db.path, &sample("residents.csv"));
    if immutable {
        let _ = Command::new("chattr").arg("-i").arg(&db.path).status();
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "imported into a read-only file");
    assert!(stderr.starts_with("homedesk: 数据库文件只能读、不能写，无法保存"), "{stderr}");
    assert!(stderr.contains("这次没有写入任何内容") && !stderr.contains("已填写"), "{stderr}");
    assert!(starts_in_chinese(stderr.trim()), "{stderr}");
}

#[test]
fn a_busy_database_is_worded_for_the_command_line_not_the_window() {
    let (db, _office) = office_db();
    let holder = raw(&db.path);
    holder.execute_batch("BEGIN IMMEDIATE").unwrap_or_else(|e| panic!("{e}"));
    let output = import_residents(&db.path, &sample("residents.csv"));
    holder.execute_batch("ROLLBACK").unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("请稍后再运行这条命令；这次没有写入任何内容"), "{stderr}");
    assert!(!stderr.contains("已填写的内容没有丢失"), "{stderr}");
}

#[test]
fn a_folder_that_cannot_be_made_is_said_in_chinese_not_as_an_invalid_path() {
    let db = temp_db();
    let file = db.dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap_or_else(|e| panic!("{e}"));
    let inside = file.join("sub").join("homedesk.db");
    let output = homedesk(
        &inside,
        &[
            "init",
            "--office",
            "测试管理处",
            "--manager",
            "王经理",
            "--phone",
            "88886666",
            "--login",
            "boss",
            "--password-stdin",
        ],
        "secret-123\n",
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.starts_with("homedesk: 无法建立数据库所在的文件夹"), "{stderr}");
    assert!(!stderr.contains("Invalid path"), "{stderr}");
}

/// A full disk cannot be made in a test without mounting one; the
/// sentence (the store's `DiskFull`, from SQLITE_FULL) in both places.
#[test]
fn a_full_disk_is_said_for_the_window_and_for_the_command_line() {
    let full = StoreError::DiskFull("database or disk is full".into());
    let cli = t().store_error_at(&full, Place::CommandLine);
    let window = t().store_error_at(&full, Place::Window);
    assert_eq!(
        cli,
        "磁盘已满，无法保存：请先腾出磁盘空间再试；这次没有写入任何内容（database or disk is full）"
    );
    assert_eq!(
        window,
        "磁盘已满，无法保存：请先腾出磁盘空间再试；已填写的内容没有丢失（database or disk is full）"
    );
    let busy = t().store_error_at(&StoreError::Busy, Place::Window);
    assert!(busy.contains("已填写的内容没有丢失"), "{busy}");
}

#[test]
fn a_mistyped_command_line_is_said_in_chinese() {
    let db = temp_db();
    for (args, sentence) in [
        (
            &["import", "people", "x.csv", "--login", "boss", "--password-stdin"][..],
            "参数 <KIND> 的值“people”不对",
        ),
        (&["frobnicate"][..], "不认识的命令 frobnicate"),
        (&["check", "--bogus"][..], "不认识的参数 --bogus"),
    ] {
        let output = homedesk(&db.path, args, "");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.starts_with(&format!("homedesk: {sentence}")), "{stderr}");
        assert!(starts_in_chinese(stderr.trim()), "{stderr}");
    }
}
