//! `cargo xtask`: the maintainers' tool for the chapter 16 suite.
//!
//! One module per subcommand; the model of fixtures and expectations lives in
//! the `ch16-ui` library and is shared with the test harness.

mod bless;
mod flags;
mod observe;
mod plan;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  check   run the suite on each toolchain and compare with the expectations;
          writes nothing, fails on any drift and prints the command that fixes it
  bless   run the suite on each toolchain and write the expectations that changed

options:
  --toolchain T   a rustup toolchain to use (repeatable); default: every installed one
  --filter S      only fixtures whose path or listing id contains S (repeatable)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = suite_root();
    let result = match args.first().map(String::as_str) {
        Some("check") => {
            flags::parse(&args[1..]).and_then(|f| bless::run(&root, &f, bless::Mode::Check))
        }
        Some("bless") => {
            flags::parse(&args[1..]).and_then(|f| bless::run(&root, &f, bless::Mode::Bless))
        }
        Some("help" | "--help" | "-h") => {
            print!("{USAGE}");
            Ok(true)
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
        None => Err(USAGE.to_string()),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The suite's root: the parent of this crate's directory.
fn suite_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the suite")
        .to_path_buf()
}
