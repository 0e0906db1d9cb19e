//! `homedesk`: opens the desk GUI, or runs a command for the IT person.
//! Errors are printed as one line on stderr with a non-zero exit code.

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
    let result = database_path(&cli).and_then(|db| match cli.command {
        Some(command) => run_command(db, command),
        None => homedesk::ui::run(db).map(|()| ExitCode::SUCCESS),
    });
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("homedesk: {message}");
            ExitCode::FAILURE
        }
    }
}
