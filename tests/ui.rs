//! The UI suite: every fixture under `ui/` checked on the compiler in use
//! (see `ch16_ui::harness` for what is checked and how).
//!
//! `cargo test --test ui -- <substring>` (or `trybuild=<substring>`) runs
//! only the fixtures whose path or listing id contains the substring.
//!
//! With `CH16_UI_COLLECT=1` (set by `cargo xtask bless/check`) nothing is
//! judged here: trybuild writes what it sees into the staging tree, and the
//! run's report is left as JSON for the xtask, in the file `CH16_UI_REPORT`
//! names (`target/ui/<compiler>/report.json` without it).

#[path = "support/trybuild.rs"]
mod support;

use ch16_ui::check::report::Report;
use ch16_ui::emit;
use ch16_ui::harness::{self, Options};
use ch16_ui::host::toolchain;
use ch16_ui::observe::Workdirs;
use std::env;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Set to `1`: the summary lists every fixture, not only failures.
const LIST_ENV: &str = "CH16_UI_LIST";

/// The argument that makes this program run one trybuild batch.
const BATCH_ARG: &str = "--ch16-trybuild-batch";

fn main() -> ExitCode {
    let start = Instant::now();
    let args: Vec<String> = env::args().skip(1).collect();
    if args.iter().any(|a| a == BATCH_ARG) {
        // `support::batch` installs the batch's own stop handling.
        return if support::batch() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    if args.iter().any(|a| a == "--list") {
        // Enough of libtest's protocol for `cargo test -- --list` and nextest.
        if !args.iter().any(|a| a == "--ignored") {
            println!("ui: test");
        }
        return ExitCode::SUCCESS;
    }
    let filters: Vec<String> = args
        .iter()
        .filter(|a| !a.starts_with('-') && a.as_str() != "ui")
        .map(|a| a.strip_prefix("trybuild=").unwrap_or(a).to_string())
        .collect();
    // Ctrl-C or SIGTERM stops every batch at once, and nothing more is
    // written.
    ch16_ui::host::stop::install(false);
    let collect = env::var_os(ch16_ui::protocol::COLLECT_ENV).is_some_and(|v| v == "1");
    if !collect && env::var_os(ch16_ui::observe::OVERWRITE.0).is_some() {
        eprintln!(
            "error: TRYBUILD is set, but this suite does not write expectations from `cargo test`.\n  \
             fix: unset TRYBUILD; to refresh expectations run `cargo xtask bless`"
        );
        return ExitCode::FAILURE;
    }
    let crate_dir = match ch16_ui::host::checkout::crate_dir() {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let crate_dir = crate_dir.as_path();
    // Another suite inside the crate (the benchmark's generated ones, the
    // hardening tests' scratch trees).
    let other_root = env::var_os(ch16_ui::protocol::ROOT_ENV).map(PathBuf::from);
    let root = other_root.as_deref().unwrap_or(crate_dir);
    let rustc = match toolchain::current() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "\nch16 ui suite on {} [{}]{}",
        rustc.label(),
        rustc.key(),
        if collect {
            ", collecting for cargo xtask"
        } else {
            ""
        }
    );
    // `cargo xtask` reads these lines from the log as fixtures finish.
    let progress = |done: usize, total: usize| eprintln!("progress {done}/{total}");
    let opts = Options {
        root,
        crate_dir,
        rustc: &rustc,
        filters: &filters,
        collect,
        observer: Path::new(env!("CARGO_BIN_EXE_ch16-ui-observer")),
        progress: collect.then_some(&progress),
    };
    let real = support::Real { args: &[BATCH_ARG] };
    let report = match harness::run(&opts, &real) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if collect {
        return hand_over(&report, crate_dir, root, &rustc);
    }
    // trybuild's own reports stay in their files (the summary names those
    // of failed batches); one line per fixture on request.
    let list_all = env::var_os(LIST_ENV).is_some_and(|v| v == "1");
    print!(
        "{}",
        emit::emit(
            &report,
            &emit::Reader::from_env(),
            env::var("RUSTUP_TOOLCHAIN").ok().as_deref(),
            list_all
        )
    );
    let failed = report.failed();
    println!(
        "\ntest result: {}. {} passed; {failed} failed; {} ignored; 0 measured; {} filtered out; finished in {:.2}s\n",
        if failed == 0 { "ok" } else { "FAILED" },
        report.passed(),
        report.ignored(),
        report.filtered_out,
        start.elapsed().as_secs_f64()
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// For `cargo xtask`: leave the report where it reads it; the xtask judges.
fn hand_over(report: &Report, crate_dir: &Path, root: &Path, rustc: &toolchain::Rustc) -> ExitCode {
    let written = Workdirs::within(crate_dir, root, &rustc.key()).and_then(|dirs| {
        let path =
            env::var_os(ch16_ui::protocol::REPORT_ENV).map_or_else(|| dirs.report(), PathBuf::from);
        report.write(&path).map(|()| path)
    });
    match written {
        Ok(path) => {
            println!(
                "\ncollected {} fixture(s) for cargo xtask: {}",
                report.fixtures.len(),
                path.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
