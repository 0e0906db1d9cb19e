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
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        None => homedesk::ui::run(given).map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("homedesk: {message}");
            ExitCode::FAILURE
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
