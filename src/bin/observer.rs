//! `ch16-ui-observer`: trybuild's rustc wrapper and runner (`ch16_ui::observe::observer`).

fn main() -> std::process::ExitCode {
    ch16_ui::observe::observer::main(std::env::args_os().skip(1).collect())
}
