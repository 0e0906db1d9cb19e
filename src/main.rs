//! `homedesk`: opens the desk GUI, or runs a command for the IT person.
//! Errors are printed as one line on stderr with a non-zero exit code.

use std::process::ExitCode;

use clap::Parser;
use homedesk::cli::{Cli, database_path, run_command};

fn main() -> ExitCode {
    let cli = Cli::parse();
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
