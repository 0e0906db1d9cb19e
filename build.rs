//! Stamps the build with what the About box and `homedesk --version` show:
//! the build date (or `SOURCE_DATE_EPOCH` for reproducible builds), the
//! target, the profile and the git commit when the source is a checkout.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    watch_git_head();
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");

    let build_date = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map(|t| t.date_naive())
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    println!("cargo:rustc-env=HOMEDESK_BUILD_DATE={}", build_date.format("%Y-%m-%d"));

    let target = std::env::var("TARGET").unwrap_or_default();
    println!("cargo:rustc-env=HOMEDESK_TARGET={target}");
    let profile = std::env::var("PROFILE").unwrap_or_default();
    println!("cargo:rustc-env=HOMEDESK_PROFILE={profile}");

    let commit = Command::new("git")
        .args(["rev-parse", "--short=10", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    println!("cargo:rustc-env=HOMEDESK_COMMIT={commit}");
}

/// Re-stamps the commit when HEAD moves, without re-running on every build
/// where there is no checkout.
fn watch_git_head() {
    let Ok(head) = std::fs::read_to_string(".git/HEAD") else {
        return;
    };
    println!("cargo:rerun-if-changed=.git/HEAD");
    if let Some(reference) = head.trim().strip_prefix("ref: ") {
        let path = format!(".git/{reference}");
        if std::path::Path::new(&path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
}
