//! The readers' catalogue `ui/README.md` must match the fixture headers.
//!
//! A plain program rather than a `#[test]`: a fixture tree that does not
//! load (a typo in a header) is reported as the list of its problems, each
//! with its file and line, not as a panic with a backtrace.

use ch16_ui::{Suite, catalogue, diff};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        // Enough of libtest's protocol for `cargo test -- --list` and nextest.
        if !args.iter().any(|a| a == "--ignored") {
            println!("catalogue_is_current: test");
        }
        return ExitCode::SUCCESS;
    }
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if !filters.is_empty()
        && !filters
            .iter()
            .any(|f| "catalogue_is_current".contains(f.as_str()))
    {
        println!(
            "\nrunning 0 tests\n\ntest result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 1 filtered out\n"
        );
        return ExitCode::SUCCESS;
    }
    let outcome = check();
    let (status, code) = match &outcome {
        Ok(()) => ("ok", ExitCode::SUCCESS),
        Err(problem) => {
            eprintln!("{problem}");
            ("FAILED", ExitCode::FAILURE)
        }
    };
    println!("\nrunning 1 test\ntest catalogue_is_current ... {status}\n");
    println!(
        "test result: {status}. {} passed; {} failed; 0 ignored; 0 measured; 0 filtered out\n",
        usize::from(outcome.is_ok()),
        usize::from(outcome.is_err())
    );
    code
}

/// Whether `ui/README.md` is what the headers give; if not, why.
fn check() -> Result<(), String> {
    let crate_dir = ch16_ui::checkout::crate_dir().map_err(|e| e.to_string())?;
    // Another suite inside the crate (the hardening tests' scratch trees).
    let root = std::env::var_os(ch16_ui::protocol::ROOT_ENV).map_or(crate_dir, Into::into);
    let suite = Suite::load(&root).map_err(|e| format!("error: {e}"))?;
    let expected = catalogue::render(&suite);
    let actual = std::fs::read_to_string(root.join(catalogue::PATH)).unwrap_or_default();
    if actual != expected {
        return Err(format!(
            "error: {} is stale\n  fix: run `cargo xtask catalogue`\n{}",
            catalogue::PATH,
            diff::unified(
                &actual,
                &expected,
                "ui/README.md (committed)",
                "ui/README.md (from the headers)"
            )
        ));
    }
    for f in &suite.fixtures {
        if !actual.contains(&format!("({}/{}.rs)", f.group, f.stem)) {
            return Err(format!(
                "error: {} is not listed in {}",
                f.display_path(),
                catalogue::PATH
            ));
        }
    }
    Ok(())
}
