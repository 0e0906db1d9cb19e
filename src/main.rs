//! `homedesk`: opens the desk GUI, or runs a command for the IT person.
//! Errors are printed as one line on stderr with a non-zero exit code.
//!
//! On Windows the exe is a GUI program (no console window flashes up when a
//! clerk opens it from the Start menu); a command run from a console
//! attaches to that console so that it still prints there.

#![cfg_attr(windows, windows_subsystem = "windows")]

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;
use homedesk::cli::{Cli, database_path, run_command, usage_error};

/// mimalloc instead of the system allocator: the many small rows and
/// strings of SQLite and the store cost a sixth less (docs/PERFORMANCE.md).
#[cfg(not(feature = "probe"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `homedesk-probe`: mimalloc, counting the Rust heap for the probe's log.
#[cfg(feature = "probe")]
#[global_allocator]
static GLOBAL: homedesk::ui::CountingAlloc = homedesk::ui::CountingAlloc;

/// Public for `homedesk-probe` (src/bin), the same program with the probe.
pub fn main() -> ExitCode {
    #[cfg(windows)]
    attach_parent_console();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // One line: what is wrong in Chinese, clap's words after it; its usage block would be noise here.
            eprintln!("homedesk: {}", usage_error(&e));
            return ExitCode::from(2);
        }
    };
    let db = database_path(&cli);
    let given = cli.db.clone().map(homedesk::store::Location::from_arg);
    let result = match cli.command {
        Some(command) => db.and_then(|db| run_command(db, command)),
        // Without --db the window decides: this PC's choice, its default file, or the first start's choice.
        None => {
            return_freed_memory_at_once();
            // `homedesk-probe` keeps them with `HOMEDESK_PROBE_THP=1`, for an A/B in one build.
            #[cfg(feature = "probe")]
            let keep = std::env::var("HOMEDESK_PROBE_THP").is_ok_and(|v| v == "1");
            #[cfg(not(feature = "probe"))]
            let keep = false;
            if !keep {
                homedesk::ui::no_transparent_huge_pages();
            }
            homedesk::ui::run(given).map(|()| ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("homedesk: {message}");
            ExitCode::FAILURE
        }
    }
}

/// mimalloc 3 keeps the memory a thread freed for a second before it gives
/// it back (its `purge_delay`, 1000 ms). The window's tabs each read on
/// threads of their own, so one tab's freed rows were still resident while
/// the next tab read its own: the window's peak (VmHWM) after every tab fell
/// from 181–193 MB to 172–174 MB with immediate purging on the ten-year
/// office (issue 23, docs/PERFORMANCE.md). Only the window: the commands'
/// bulk work (the demo office) keeps mimalloc's default.
fn return_freed_memory_at_once() {
    mimalloc_option::set_purge_delay(0);
}

/// The mimalloc options this program sets, declared by hand as mimalloc.h
/// declares them: `libmimalloc-sys` exposes `mi_option_set` and
/// `mi_option_get` but not the numbers of `mi_option_t`. The test below
/// catches a mimalloc that numbers its options differently.
mod mimalloc_option {
    use std::ffi::{c_int, c_long};

    /// `mi_option_purge_delay`, the 16th of mimalloc 3's `mi_option_t`
    /// (libmimalloc-sys 0.1.49's c_src/mimalloc/v3/include/mimalloc.h).
    const PURGE_DELAY: c_int = 15;

    unsafe extern "C" {
        // libmimalloc's own, linked with the global allocator.
        fn mi_option_set(option: c_int, value: c_long);
        fn mi_option_get(option: c_int) -> c_long;
    }

    /// Sets how long, in ms, mimalloc keeps freed memory before giving it
    /// back to the system (0: at once).
    pub fn set_purge_delay(ms: c_long) {
        // SAFETY: sets one of mimalloc's options (a plain integer it reads on
        // each purge), declared as in mimalloc.h; mimalloc is this binary's allocator.
        unsafe { mi_option_set(PURGE_DELAY, ms) }
    }

    /// The delay [`set_purge_delay`] set, or mimalloc's default.
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn purge_delay() -> c_long {
        // SAFETY: reads one of mimalloc's options, declared as in mimalloc.h.
        unsafe { mi_option_get(PURGE_DELAY) }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        /// Option 15 is `purge_delay`: it holds that option's default (1000 ms
        /// in mimalloc 3's options.c, which no neighbouring option has) and
        /// keeps what is set. A renumbered `mi_option_t` fails the first.
        #[test]
        fn the_purge_delay_option_is_the_one_mimalloc_numbers_15() {
            let from_env = ["MIMALLOC_PURGE_DELAY", "MIMALLOC_RESET_DELAY"]
                .iter()
                .any(|v| std::env::var_os(v).is_some());
            if !from_env {
                assert_eq!(purge_delay(), 1000, "option 15 is not purge_delay (its default is 1000 ms)");
            }
            let before = purge_delay();
            set_purge_delay(0);
            assert_eq!(purge_delay(), 0, "purge_delay read back");
            set_purge_delay(before);
        }
    }
}

/// A GUI-subsystem exe starts without a console: when it was started from
/// one (cmd, PowerShell, a .bat), write to it. Where the standard handles
/// were redirected (`> file`, a pipe) they are already set and stay so;
/// started from Explorer there is no parent console and this does nothing.
#[cfg(windows)]
fn attach_parent_console() {
    use windows_sys::Win32::System::Console::{ATTACH_PARENT_PROCESS, AttachConsole};
    // SAFETY: a plain Win32 call with a constant; failing (no parent console) is fine.
    unsafe {
        AttachConsole(ATTACH_PARENT_PROCESS);
    }
}
