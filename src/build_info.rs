//! What build.rs stamped into this binary, for the About box and `--version`.

pub const VERSION: &str = env!("CARGO_PKG_VERSION");
pub const BUILD_DATE: &str = env!("HOMEDESK_BUILD_DATE");
pub const TARGET: &str = env!("HOMEDESK_TARGET");
pub const PROFILE: &str = env!("HOMEDESK_PROFILE");
pub const COMMIT: &str = env!("HOMEDESK_COMMIT");

/// `0.1.0 (2026-11-23, abc1234567, x86_64-unknown-linux-gnu, release)`.
pub fn long_version() -> String {
    let commit = if COMMIT.is_empty() { String::new() } else { format!(", {COMMIT}") };
    format!("{VERSION} ({BUILD_DATE}{commit}, {TARGET}, {PROFILE})")
}
