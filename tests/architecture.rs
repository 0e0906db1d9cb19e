//! Tidy checks that guard the layers (ARCHITECTURE.md): SQL stays in
//! `store`, `domain` stays free of I/O and GUI, and `ui` calls `app`.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read src").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Files under `src/` outside `allowed` whose code names `needle`.
fn offenders(needle: &str, allowed: &str) -> Vec<String> {
    rust_files(&src())
        .into_iter()
        .filter(|p| !p.starts_with(src().join(allowed)))
        .filter(|p| std::fs::read_to_string(p).is_ok_and(|text| text.contains(needle)))
        .map(|p| p.display().to_string())
        .collect()
}

#[test]
fn rusqlite_is_named_only_in_store() {
    assert_eq!(offenders("rusqlite", "store"), Vec::<String>::new());
}

#[test]
fn postgres_is_named_only_in_store() {
    assert_eq!(offenders("postgres::", "store"), Vec::<String>::new());
}

#[test]
fn domain_does_no_io_and_knows_no_gui() {
    let domain = src().join("domain");
    for file in rust_files(&domain) {
        let text = std::fs::read_to_string(&file).expect("read");
        for banned in ["egui", "std::fs", "rusqlite", "Local::now", "Utc::now", "SystemTime"] {
            assert!(!text.contains(banned), "{} names {banned}", file.display());
        }
    }
}

#[test]
fn ui_and_cli_do_not_reach_into_the_store_for_writes() {
    for file in rust_files(&src().join("ui")).into_iter().chain([src().join("cli.rs")]) {
        let text = std::fs::read_to_string(&file).expect("read");
        assert!(!text.contains(".write("), "{} opens a write transaction", file.display());
        assert!(!text.contains("WriteTx"), "{} names WriteTx", file.display());
    }
}
