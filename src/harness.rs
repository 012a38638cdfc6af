//! One run of the suite on one compiler, behind `tests/ui.rs` and the
//! fault tests: the boundary ([`crate::observe`]) compiles and runs the
//! selected fixtures and says what each compile and run did; each fixture is
//! checked against that ([`crate::check`]); one typed [`Report`] comes out.

use crate::bless::journal::{self, Pending};
use crate::check::report::{FixtureReport, Report};
use crate::check::{self, Context};
use crate::error::{Error, Result};
use crate::model::expect::Kind;
use crate::model::fixture::Fixture;
use crate::model::header::Expect;
use crate::model::suite::Suite;
use crate::names::Version;
use crate::observe::stage::Workdirs;
use crate::observe::trybuild::NAME;
use crate::observe::{self, Driver, Observation, Options};
use crate::problem::{Check, Problem};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;

/// Run the suite: load it, observe the selected fixtures, check each.
pub fn run(opts: &Options, driver: &dyn Driver) -> Result<Report> {
    if journal::pending(opts.root) == Pending::Committed {
        return Err(Error::PendingBless(journal::remaining(opts.root)));
    }
    let suite = Suite::load(opts.root)?;
    let rustc = opts.rustc;
    let blessed = suite.is_blessed(rustc.version);
    let observed = observe::observe(&suite, opts, driver)?;
    let exact = (blessed || opts.collect).then_some(rustc.version);
    let label = rustc.label();
    let mut fixtures: Vec<FixtureReport> = observed
        .fixtures
        .iter()
        .map(|o| fixture_report(&suite, o, exact, (rustc.version, &label)))
        .collect();
    let broken = suite.select(opts.filters).filter(|f| f.listing.is_err());
    fixtures.extend(broken.map(not_loaded));
    Ok(Report {
        label,
        release: rustc.release.clone(),
        version: rustc.version,
        filtered_out: suite.fixtures.len() - fixtures.len(),
        fixtures,
        compile_fail: observed.compile_fail,
        pass: observed.pass,
        observed_only: observed.observed_only,
        logs: observed.logs,
        blessed,
        record: suite.record.clone(),
        rust_src_hidden: observed.rust_src_hidden,
        run_id: observed.run_id,
        tree: suite.problems.clone(),
    })
}

/// A run's report shared by the processes of one `cargo nextest` run,
/// where every test is a process of its own: the first to come makes it
/// with `first` (the whole suite) and leaves it, keyed by all that a verdict
/// depends on (the nextest run `run`, every file under the suite's `ui/`,
/// the compiler, and the sizes and times of the suite's `programs`); the
/// others read it, or wait for it (a file lock). Never stale: any change to
/// what it depends on is another key.
pub fn shared(
    opts: &Options,
    run: &str,
    programs: &[PathBuf],
    first: impl FnOnce() -> Result<Report>,
) -> Result<Report> {
    let dirs = Workdirs::within(opts.crate_dir, opts.root, &opts.rustc.key())?;
    let dir = dirs.report().with_file_name("nextest");
    std::fs::create_dir_all(&dir).map_err(Error::io_on(&dir))?;
    let lock = std::fs::File::create(dir.join("lock")).and_then(|f| f.lock().map(|()| f));
    let _lock = lock.map_err(Error::io_on(&dir))?;
    let mut h = std::hash::DefaultHasher::new();
    (run, opts.root, opts.rustc.key()).hash(&mut h);
    for meta in programs.iter().map(std::fs::metadata) {
        meta.ok().map(|m| (m.len(), m.modified().ok())).hash(&mut h);
    }
    let ui = walkdir::WalkDir::new(opts.root.join(crate::names::UI_DIR)).sort_by_file_name();
    for entry in ui.into_iter().flatten() {
        (entry.path(), std::fs::read(entry.path()).ok()).hash(&mut h);
    }
    let path = dir.join(format!("{:016x}.json", h.finish()));
    if let Ok(report) = Report::read(&path) {
        return Ok(report);
    }
    let report = first()?;
    for old in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        if old.path().extension().is_some_and(|e| e == "json") {
            let _ = std::fs::remove_file(old.path());
        }
    }
    report.write(&path)?;
    Ok(report)
}

/// A fixture that does not load: it fails with its problems, and nothing
/// else waits for it.
fn not_loaded(f: &Fixture) -> FixtureReport {
    FixtureReport {
        path: f.display_path(),
        id: f.short_id().to_string(),
        codes: Vec::new(),
        loads: false,
        observed: false,
        problems: f.listing.as_ref().err().cloned().unwrap_or_default(),
        actual: Vec::new(),
        compiles: 0,
    }
}

/// One fixture's part of the report: its outcome (or why it was not
/// observed), checked, and the texts its expectations should hold. When
/// trybuild wrote what it saw (collecting), a compile-fail fixture's text is
/// trybuild's, or its absence says trybuild never reached the fixture.
fn fixture_report(
    suite: &Suite,
    o: &Observation,
    exact: Option<Version>,
    compiler: (Version, &str),
) -> FixtureReport {
    let (f, l) = o.fixture;
    let mut report = FixtureReport {
        path: f.display_path(),
        id: l.header.listing.clone(),
        codes: match &l.header.expect {
            Expect::CompileFail(codes) => codes.clone(),
            Expect::Run => Vec::new(),
        },
        loads: true,
        observed: o.outcome.is_ok(),
        problems: Vec::new(),
        actual: Vec::new(),
        compiles: 0,
    };
    let outcome = match &o.outcome {
        Ok(outcome) => outcome,
        Err(problem) => {
            report.problems.push(problem.clone());
            return report;
        }
    };
    let verdict = check::check(&Context {
        root: &suite.root,
        fixture: o.fixture,
        outcome,
        exact,
        compiler,
        gives: l
            .header
            .suggestion_gives
            .as_deref()
            .and_then(|id| suite.by_id(id)),
        text: o.text.as_ref(),
    });
    report.compiles = outcome.compiles;
    report.problems = verdict.problems;
    match (&o.written, outcome.compiled) {
        (Some(Some(text)), false) => report.actual.push((Kind::Stderr, text.clone())),
        (Some(None), false) => {
            let log = o
                .log
                .as_ref()
                .map_or("its log".into(), |l| l.display().to_string());
            let said = format!(
                "{NAME} did not reach it: it wrote no .stderr for it, so its diagnostics were not seen; \
                 see {NAME}'s report in {log}"
            );
            report
                .problems
                .push(Problem::said(Check::NotReached, f.display_path(), said));
        }
        _ => {}
    }
    let texts = [
        (Kind::Stdout, verdict.stdout),
        (Kind::Stderr, verdict.stderr),
        (Kind::Fixed, verdict.fixed),
    ];
    report
        .actual
        .extend(texts.into_iter().filter_map(|(k, t)| Some((k, t?))));
    report
}
