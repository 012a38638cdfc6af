//! The UI suite: every fixture under `ui/` checked on the compiler in use
//! (`ch16_ui::harness`), each a libtest test named by its file stem, plus
//! `suite` for the tree as a whole (run whatever the filters while the tree
//! is broken); `trybuild=X` is the filter `X`. With
//! `CH16_UI_COLLECT=1` (from `cargo xtask`) it judges nothing and leaves
//! the run's report as JSON where `CH16_UI_REPORT` says.

#[path = "support/libtest.rs"]
mod libtest;
#[path = "support/trybuild.rs"]
mod support;

use ch16_ui::check::report::Report;
use ch16_ui::emit::{Reader, github, terminal};
use ch16_ui::harness;
use ch16_ui::host::toolchain::{self, Rustc};
use ch16_ui::model::fixture::Fixture;
use ch16_ui::model::suite::Suite;
use ch16_ui::names::{COLLECT_ENV, REPORT_ENV, ROOT_ENV};
use ch16_ui::observe::stage::Workdirs;
use ch16_ui::observe::{BatchStatus, Options, trybuild};
use ch16_ui::problem::Problem;
use libtest::{Args, Test};
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
        return ExitCode::from(u8::from(!support::batch()));
    }
    let run = setup().and_then(|s| (if s.collect { collect } else { test })(&s, &args));
    run.unwrap_or_else(|e| {
        eprintln!("error: {e}");
        ExitCode::FAILURE
    })
}

/// What a run needs to know before it starts.
struct Setup {
    crate_dir: PathBuf,
    /// The suite root: the crate's, or another inside it.
    root: PathBuf,
    rustc: Rustc,
    collect: bool,
}

fn setup() -> Result<Setup, String> {
    let collect = env::var_os(COLLECT_ENV).is_some_and(|v| v == "1");
    if !collect && env::var_os(trybuild::OVERWRITE.0).is_some() {
        return Err(
            "TRYBUILD is set, but this suite does not write expectations from `cargo test`.\n  \
                    fix: unset TRYBUILD; to refresh expectations run `cargo xtask bless`"
                .into(),
        );
    }
    let crate_dir = ch16_ui::host::checkout::crate_dir().map_err(|e| e.to_string())?;
    Ok(Setup {
        root: env::var_os(ROOT_ENV).map_or_else(|| crate_dir.clone(), PathBuf::from),
        crate_dir,
        rustc: toolchain::current().map_err(|e| e.to_string())?,
        collect,
    })
}

/// For `cargo xtask`: run the fixtures its filters select (the arguments
/// after `--`), and leave the report where it reads it.
fn collect(setup: &Setup, args: &[String]) -> Result<ExitCode, String> {
    let filters = args.iter().skip(1).filter(|a| !a.starts_with('-'));
    let filters: Vec<String> = filters.cloned().collect();
    // Ctrl-C or SIGTERM stops every batch at once, and so does cargo's
    // end; nothing more is written.
    ch16_ui::host::stop::install(ch16_ui::host::stop::Role::Tool);
    let (label, key) = (setup.rustc.label(), setup.rustc.key());
    println!("\nch16 ui suite on {label} [{key}], collecting for cargo xtask");
    let report = observe(setup, &filters, true).map_err(|e| e.to_string())?;
    let dirs = Workdirs::within(&setup.crate_dir, &setup.root, &setup.rustc.key())
        .map_err(|e| e.to_string())?;
    let path = env::var_os(REPORT_ENV).map_or_else(|| dirs.report(), PathBuf::from);
    report.write(&path).map_err(|e| e.to_string())?;
    let (n, path) = (report.fixtures.len(), path.display());
    println!("\ncollected {n} fixture(s) for cargo xtask: {path}");
    Ok(ExitCode::SUCCESS)
}

/// libtest's command line: one test per fixture and one for the tree, the
/// selected ones judged from one run made first.
fn test(setup: &Setup, args: &[String]) -> Result<ExitCode, String> {
    // `trybuild=X` (trybuild's own filter) is `X`.
    let strip = |a: &String| a.strip_prefix("trybuild=").unwrap_or(a).to_string();
    let args = Args::parse(args.iter().skip(1).map(strip))?;
    // The tests, as the tree is now; the run reads it again once it holds
    // its locks, and that reading is what it judges.
    let suite = Suite::load(&setup.root).map_err(|e| e.to_string())?;
    // Each fixture's test: its name, its path, and the filter that selects
    // exactly it for the run.
    let test = |f: &Fixture| {
        let filter = f.loaded().map_or(&f.stem, |l| &l.header.listing);
        (f.stem.clone(), f.display_path(), filter.clone())
    };
    let mut tests: Vec<(String, String, String)> = suite.fixtures.iter().map(test).collect();
    let selected = tests.iter().filter(|(name, ..)| args.keeps(name, false));
    let selected: Vec<String> = selected.map(|(.., filter)| filter.clone()).collect();
    let all = selected.len() == tests.len();
    let filters = if all { &[][..] } else { &selected[..] };
    let report = match (args.list || selected.is_empty(), env::var("NEXTEST_RUN_ID")) {
        (true, _) => None,
        (false, Ok(run)) => Some(Arc::new(shared(setup, &run)?)),
        (false, Err(_)) => Some(Arc::new(
            run_and_print(setup, filters).map_err(|e| e.to_string())?,
        )),
    };
    // A fixture added while the run waited for its locks is judged too.
    for f in report.iter().flat_map(|r| &r.fixtures) {
        if !tests.iter().any(|(_, path, _)| *path == f.path) {
            let name = Path::new(&f.path).file_stem().unwrap_or_default();
            tests.push((name.to_string_lossy().into(), f.path.clone(), String::new()));
        }
    }
    let mut all: Vec<Test> = tests
        .into_iter()
        .map(|(name, path, _)| {
            let report = report.clone();
            Test::new(name, move || verdict(report.as_deref(), &path))
        })
        .collect();
    // The tree as the run read it; without a run, as read here.
    let tree = report.as_ref().map_or(suite.problems, |r| r.tree.clone());
    let mut suite = Test::new(SUITE_TEST, {
        let tree = tree.clone();
        move || suite_verdict(&tree, report.as_deref())
    });
    // A broken tree fails every run, whatever its filters.
    suite.always = !tree.is_empty();
    all.push(suite);
    Ok(libtest::run(&args, all))
}

/// Under `cargo nextest`, every test is a process of its own: the first
/// runs the whole suite and leaves its report, the others read their
/// verdicts from it (see `harness::shared`).
fn shared(setup: &Setup, nextest_run: &str) -> Result<Report, String> {
    let opts = options(setup, &[], false);
    let observer = PathBuf::from(env!("CARGO_BIN_EXE_ch16-ui-observer"));
    let programs = [env::current_exe().map_err(|e| e.to_string())?, observer];
    let first = || run_and_print(setup, &[]);
    harness::shared(&opts, nextest_run, &programs, first).map_err(|e| e.to_string())
}

/// The one run, its overview printed (and on GitHub Actions, its
/// annotations and the job summary).
fn run_and_print(setup: &Setup, filters: &[String]) -> ch16_ui::error::Result<Report> {
    ch16_ui::host::stop::install(ch16_ui::host::stop::Role::Tool);
    let (label, key) = (setup.rustc.label(), setup.rustc.key());
    println!("\nch16 ui suite on {label} [{key}]");
    let start = std::time::Instant::now();
    let report = observe(setup, filters, false)?;
    // As the user types it: `stable`, not `stable-x86_64-unknown-linux-gnu`.
    let hint = env::var("RUSTUP_TOOLCHAIN").ok();
    let hint = hint.map(|t| toolchain::typed_name(&t, &setup.rustc.host).to_string());
    print!("{}", terminal::overview(&report, hint.as_deref()));
    if let Reader::GitHubActions { step_summary } = Reader::from_env() {
        print!("{}", github::annotations(&report));
        let append = |f: PathBuf| ch16_ui::host::append(&f, &github::step_summary(&report));
        if let Some(warning) = step_summary.and_then(append) {
            print!("{warning}");
        }
    }
    let took = start.elapsed().as_secs_f64();
    println!("  --   the run took {took:.2}s; each fixture's verdict below is read from it");
    Ok(report)
}

/// What a run on the selected fixtures is given.
fn options<'a>(setup: &'a Setup, filters: &'a [String], collect: bool) -> Options<'a> {
    // `cargo xtask` reads these lines from the log as fixtures finish.
    let progress = &|done: usize, total: usize| eprintln!("progress {done}/{total}");
    Options {
        root: &setup.root,
        crate_dir: &setup.crate_dir,
        rustc: &setup.rustc,
        filters,
        collect,
        observer: Path::new(env!("CARGO_BIN_EXE_ch16-ui-observer")),
        progress: collect.then_some(progress),
    }
}

/// Run the suite once on the selected fixtures.
fn observe(setup: &Setup, filters: &[String], collect: bool) -> ch16_ui::error::Result<Report> {
    let opts = options(setup, filters, collect);
    harness::run(&opts, &support::Real { args: &[BATCH_ARG] })
}

/// One fixture's verdict, from the run's report.
fn verdict(report: Option<&Report>, path: &str) -> Result<(), String> {
    let report = report.ok_or("the suite did not run")?;
    let fixture = report.fixtures.iter().find(|f| f.path == path);
    let fixture = fixture.ok_or_else(|| format!("{path} is not in the run's report"))?;
    let passed = fixture.problems.is_empty();
    passed
        .then_some(())
        .ok_or_else(|| terminal::failure(fixture))
}

/// What belongs to no fixture: the tree's own problems, and a trybuild
/// batch that failed while every fixture in it passed.
fn suite_verdict(tree: &[Problem], report: Option<&Report>) -> Result<(), String> {
    let mut problems = terminal::tree_failure(tree);
    let fixtures_failed = report.is_some_and(|r| r.fixtures.iter().any(|f| !f.problems.is_empty()));
    if let Some(r) = report.filter(|_| !fixtures_failed) {
        let logs: Vec<String> = r.logs.iter().map(|l| l.display().to_string()).collect();
        let (logs, tb) = (logs.join(", "), trybuild::NAME);
        let batches = [
            ("compile-fail batch", r.compile_fail.1),
            ("pass batches", r.pass.1),
        ];
        for (name, _) in batches.iter().filter(|(_, s)| *s == BatchStatus::Failed) {
            problems.push_str(&format!(
                "FAIL {tb}'s {name} failed while every fixture passed; its reports: {logs}\n"
            ));
        }
    }
    problems.is_empty().then_some(()).ok_or(problems)
}
