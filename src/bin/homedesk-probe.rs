//! `homedesk-probe`: the `homedesk` binary with the real-window probe (the
//! cargo feature `probe`, src/ui/probe.rs). Only `cargo bench --bench
//! performance -- --window` builds it; it is never shipped.

#[path = "../main.rs"]
mod homedesk_main;

fn main() -> std::process::ExitCode {
    homedesk_main::main()
}
