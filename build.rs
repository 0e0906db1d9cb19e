//! Stamps the build with what the About box and `homedesk --version` show:
//! the build date (or `SOURCE_DATE_EPOCH` for reproducible builds), the
//! target, the profile and the git commit when the source is a checkout.
//! For Windows it also links the exe's icon and version resource, so that
//! Explorer, the taskbar and the installer's shortcuts show the 居 icon.

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

    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("windows") {
        windows_resource();
    }
}

/// The icon and version of `homedesk.exe`, compiled by the resource
/// compiler of the toolchain (mingw's windres, or the SDK's rc for MSVC)
/// and linked into the binaries only. A build without one still works; it
/// says so and the exe has the default icon.
fn windows_resource() {
    let icon = format!("{}/assets/icon/homedesk.ico", env!("CARGO_MANIFEST_DIR"));
    println!("cargo:rerun-if-changed=assets/icon/homedesk.ico");
    println!("cargo:rerun-if-env-changed=WINDRES");
    let version = env!("CARGO_PKG_VERSION");
    let numbers: Vec<&str> = version.split(['.', '-', '+']).take(3).collect();
    let [major, minor, patch] = numbers[..] else { panic!("version {version} is not MAJOR.MINOR.PATCH") };
    let rc = format!(
        r#"1 ICON "{icon}"
1 VERSIONINFO
FILEVERSION {major},{minor},{patch},0
PRODUCTVERSION {major},{minor},{patch},0
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904b0"
    BEGIN
      VALUE "CompanyName", "HomeDesk"
      VALUE "FileDescription", "HomeDesk"
      VALUE "FileVersion", "{version}"
      VALUE "ProductName", "HomeDesk"
      VALUE "ProductVersion", "{version}"
      VALUE "OriginalFilename", "homedesk.exe"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
"#,
        icon = icon.replace('\\', "/")
    );
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let rc_path = out.join("homedesk.rc");
    std::fs::write(&rc_path, rc).expect("OUT_DIR is writable");
    let msvc = std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("msvc");
    let (compiled, status) = if msvc {
        let res = out.join("homedesk.res");
        let status = Command::new("rc").arg("/nologo").arg("/fo").arg(&res).arg(&rc_path).status();
        (res, status)
    } else {
        let obj = out.join("homedesk-resource.o");
        let windres = std::env::var("WINDRES").unwrap_or_else(|_| mingw_windres());
        let status =
            Command::new(windres).args(["-O", "coff", "-i"]).arg(&rc_path).arg("-o").arg(&obj).status();
        (obj, status)
    };
    match status {
        Ok(s) if s.success() => println!("cargo:rustc-link-arg-bins={}", compiled.display()),
        other => println!("cargo:warning=no icon in homedesk.exe: the resource compiler failed ({other:?})"),
    }
}

/// mingw's windres for the target's architecture, as Debian's mingw-w64 names it.
fn mingw_windres() -> String {
    match std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() {
        Ok("x86_64") => "x86_64-w64-mingw32-windres".into(),
        Ok("x86") => "i686-w64-mingw32-windres".into(),
        _ => "windres".into(),
    }
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
