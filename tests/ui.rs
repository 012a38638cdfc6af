//! The UI suite: every fixture under `ui/` checked on the compiler in use
//! (see `ch16_ui::harness` for what is checked and how), each fixture a test
//! of its own on libtest's command line.
//!
//! A fixture's test is named by its file name without `.rs`
//! (`listing-16-14-rc-not-send`), which holds its short id (`16-14`) and no
//! other fixture's; one more test, `suite`, fails on problems of the tree
//! as a whole (a stray file, an id used twice) and on a trybuild batch that
//! failed with no fixture to show for it. `cargo test --test ui -- 16-14`
//! runs that fixture, `--skip`, `--exact`, `--list`, `--format`, `--color`
//! and `--ignored` do what libtest does (no fixture is ignored, so
//! `--ignored` runs none); `trybuild=16-14` is the filter `16-14`. One
//! trybuild run serves every selected fixture, before any verdict is
//! printed: `--test-threads` only sets how many verdicts are read at once,
//! and `--nocapture` changes nothing (a fixture's output is in its
//! verdict). `--list` starts no compiler.
//!
//! With `CH16_UI_COLLECT=1` (set by `cargo xtask bless/check`) nothing is
//! judged here: the arguments after `--` are the xtask's filters, trybuild
//! writes what it sees into the staging tree, and the run's report is left
//! as JSON for the xtask, in the file `CH16_UI_REPORT` names
//! (`target/ui/<compiler>/report.json` without it).

#[path = "support/trybuild.rs"]
mod support;

use ch16_ui::check::Problem;
use ch16_ui::check::report::Report;
use ch16_ui::emit::{self, terminal};
use ch16_ui::harness::{self, Options};
use ch16_ui::host::toolchain::{self, Rustc};
use ch16_ui::observe::Workdirs;
use ch16_ui::{Suite, check::report::BatchStatus};
use libtest_mimic::{Arguments, Failed, Trial};
use std::env;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// The argument that makes this program run one trybuild batch.
const BATCH_ARG: &str = "--ch16-trybuild-batch";

/// The test of what belongs to no fixture.
const SUITE_TEST: &str = "suite";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    if args.iter().any(|a| a == BATCH_ARG) {
        // `support::batch` installs the batch's own stop handling.
        return if support::batch() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    match run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Everything a run needs to know before it starts.
struct Setup {
    crate_dir: PathBuf,
    /// The suite root: the crate's, or another inside it (the benchmark's
    /// generated suites, the fault tests' scratch trees).
    root: PathBuf,
    rustc: Rustc,
    collect: bool,
}

fn setup() -> Result<Setup, String> {
    let collect = env::var_os(ch16_ui::protocol::COLLECT_ENV).is_some_and(|v| v == "1");
    if !collect && env::var_os(ch16_ui::observe::OVERWRITE.0).is_some() {
        return Err(
            "TRYBUILD is set, but this suite does not write expectations from `cargo test`.\n  \
             fix: unset TRYBUILD; to refresh expectations run `cargo xtask bless`"
                .into(),
        );
    }
    let crate_dir = ch16_ui::host::checkout::crate_dir().map_err(|e| e.to_string())?;
    let root =
        env::var_os(ch16_ui::protocol::ROOT_ENV).map_or_else(|| crate_dir.clone(), PathBuf::from);
    let rustc = toolchain::current().map_err(|e| e.to_string())?;
    Ok(Setup {
        crate_dir,
        root,
        rustc,
        collect,
    })
}

fn run(args: Vec<String>) -> Result<ExitCode, String> {
    let setup = setup()?;
    if setup.collect {
        // The xtask's own protocol: the filters follow `--`.
        let filters: Vec<String> = args
            .iter()
            .skip(1)
            .filter(|a| !a.starts_with('-'))
            .cloned()
            .collect();
        // Ctrl-C or SIGTERM stops every batch at once; nothing more is written.
        ch16_ui::host::stop::install(false);
        println!(
            "\nch16 ui suite on {} [{}], collecting for cargo xtask",
            setup.rustc.label(),
            setup.rustc.key()
        );
        let report = observe(&setup, &filters, true)?;
        return hand_over(&report, &setup);
    }

    // libtest's command line; `trybuild=X` (trybuild's own filter) is `X`.
    let mut args =
        Arguments::from_iter(args.into_iter().map(|a| match a.strip_prefix("trybuild=") {
            Some(filter) => filter.to_string(),
            None => a,
        }));
    // The verdicts are read from one run made first, so threads would only
    // shuffle them: one, in reading order, unless asked otherwise.
    args.test_threads.get_or_insert(1);
    let suite = Suite::load_each(&setup.root).map_err(|e| e.to_string())?;
    // Each fixture's test: its name, its path, and the filter that selects
    // exactly it for the run (a sound one's id, a broken one's name).
    let tests: Vec<(String, String, String)> = suite
        .fixtures
        .iter()
        .map(|f| {
            let name = f.test_name().to_string();
            (name, f.display_path(), f.header.listing.clone())
        })
        .chain(suite.broken.iter().map(|b| {
            let name = b.test_name().to_string();
            (name.clone(), b.display_path(), name)
        }))
        .collect();
    let listed = |name: &str| Trial::test(name.to_string(), || Ok(()));
    let selected: Vec<&String> = tests
        .iter()
        .filter(|(name, _, _)| {
            let t = listed(name);
            !args.is_filtered_out(&t) && !args.is_ignored(&t)
        })
        .map(|(_, _, filter)| filter)
        .collect();

    // The one run, for every selected fixture, before any verdict (none
    // when only listing, or when nothing is selected).
    let report: Option<Arc<Report>> = if args.list || selected.is_empty() {
        None
    } else {
        ch16_ui::host::stop::install(false);
        println!(
            "\nch16 ui suite on {} [{}]",
            setup.rustc.label(),
            setup.rustc.key()
        );
        let filters: Vec<String> = if selected.len() == tests.len() {
            Vec::new()
        } else {
            selected.into_iter().cloned().collect()
        };
        let start = std::time::Instant::now();
        let report = observe(&setup, &filters, false)?;
        let hint = env::var("RUSTUP_TOOLCHAIN").ok();
        print!(
            "{}",
            emit::emit(&report, &emit::Reader::from_env(), hint.as_deref())
        );
        println!(
            "  --   the run took {:.2}s; each fixture's verdict below is read from it",
            start.elapsed().as_secs_f64()
        );
        Some(Arc::new(report))
    };

    let mut trials: Vec<Trial> = tests
        .into_iter()
        .map(|(name, path, _)| {
            let report = report.clone();
            Trial::test(name, move || verdict(report.as_deref(), &path))
        })
        .collect();
    let tree = suite.problems.clone();
    let report_for_suite = report.clone();
    trials.push(Trial::test(SUITE_TEST, move || {
        suite_verdict(&tree, report_for_suite.as_deref())
    }));
    let conclusion = libtest_mimic::run(&args, trials);
    Ok(conclusion.exit_code())
}

/// Run the suite once on the selected fixtures.
fn observe(setup: &Setup, filters: &[String], collect: bool) -> Result<Report, String> {
    // `cargo xtask` reads these lines from the log as fixtures finish.
    let progress = |done: usize, total: usize| eprintln!("progress {done}/{total}");
    let opts = Options {
        root: &setup.root,
        crate_dir: &setup.crate_dir,
        rustc: &setup.rustc,
        filters,
        collect,
        observer: Path::new(env!("CARGO_BIN_EXE_ch16-ui-observer")),
        progress: collect.then_some(&progress),
    };
    let real = support::Real { args: &[BATCH_ARG] };
    harness::run(&opts, &real).map_err(|e| e.to_string())
}

/// One fixture's verdict, from the run's report.
fn verdict(report: Option<&Report>, path: &str) -> Result<(), Failed> {
    let report = report.ok_or("the suite did not run")?;
    let fixture = report
        .fixtures
        .iter()
        .find(|f| f.path == path)
        .ok_or_else(|| format!("{path} is not in the run's report"))?;
    if fixture.problems.is_empty() {
        Ok(())
    } else {
        Err(terminal::failure(fixture).into())
    }
}

/// What belongs to no fixture: the tree's own problems, and a trybuild
/// batch that failed while every fixture in it passed (when a run was made).
fn suite_verdict(tree: &[ch16_ui::Error], report: Option<&Report>) -> Result<(), Failed> {
    let tree: Vec<Problem> = tree.iter().map(Problem::of_tree).collect();
    let mut problems = terminal::tree_failure(&tree);
    if let Some(report) = report {
        let fixtures_failed = report.fixtures.iter().any(|f| !f.problems.is_empty());
        for (name, (_, status)) in [
            ("compile-fail batch", report.compile_fail),
            ("pass batches", report.pass),
        ] {
            if status == BatchStatus::Failed && !fixtures_failed {
                problems.push_str(&format!(
                    "FAIL trybuild's {name} failed while every fixture passed; its reports: {}\n",
                    report
                        .logs
                        .iter()
                        .map(|l| l.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.into())
    }
}

/// For `cargo xtask`: leave the report where it reads it; the xtask judges.
fn hand_over(report: &Report, setup: &Setup) -> Result<ExitCode, String> {
    let dirs = Workdirs::within(&setup.crate_dir, &setup.root, &setup.rustc.key())
        .map_err(|e| e.to_string())?;
    let path =
        env::var_os(ch16_ui::protocol::REPORT_ENV).map_or_else(|| dirs.report(), PathBuf::from);
    report.write(&path).map_err(|e| e.to_string())?;
    println!(
        "\ncollected {} fixture(s) for cargo xtask: {}",
        report.fixtures.len(),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}
