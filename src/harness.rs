//! One run of the suite on one compiler: the orchestration behind
//! `tests/ui.rs`, kept here so scratch trees can drive it in tests.
//!
//! The observation boundary ([`crate::observe`]) compiles and runs the
//! selected fixtures and says what each compile and run did; the harness
//! checks each fixture against that ([`crate::check`]) and puts it together
//! into one typed [`Report`], which `tests/ui.rs` judges and `cargo xtask`
//! reads back as JSON.

use crate::bless::journal::{self, Pending};
use crate::check::report::{FixtureReport, Report};
use crate::check::{self, Check, Problem};
use crate::error::Error;
use crate::host::toolchain::Rustc;
use crate::model::expect::{Kind, Version};
use crate::model::header::Expect;
use crate::observe::{self, CHECKER, Driver, Observation, Outcome};
use crate::{Fixture, Suite};

pub use crate::observe::Options;

/// Run the suite: load it, observe the selected fixtures, and check each.
pub fn run(opts: &Options, driver: &dyn Driver) -> crate::Result<Report> {
    if journal::pending(opts.root) == Pending::Committed {
        return Err(Error::PendingBless(journal::remaining(opts.root)));
    }
    // A fixture that does not load fails alone; the rest run.
    let suite = Suite::load_each(opts.root)?;
    let rustc = opts.rustc;
    let blessed = suite.is_blessed(rustc.version);
    let observed = observe::observe(&suite, opts, driver)?;
    let exact = (blessed || opts.collect).then_some(rustc.version);
    let broken: Vec<FixtureReport> = suite
        .broken_filtered(opts.filters)
        .map(|b| FixtureReport {
            path: b.display_path(),
            describe: format!("({} does not load)", b.short_id()),
            compile_fail: false,
            observed: false,
            problems: b.errors.iter().map(Problem::from).collect(),
            actual: Vec::new(),
            compiles: 0,
        })
        .collect();
    let selected = observed.fixtures.len() + broken.len();
    let mut fixtures: Vec<FixtureReport> = observed
        .fixtures
        .into_iter()
        .map(|o| fixture_report(&suite, &o, exact, rustc))
        .collect();
    fixtures.extend(broken);
    Ok(Report {
        label: rustc.label(),
        release: rustc.release.clone(),
        version: rustc.version,
        fixtures,
        compile_fail: observed.compile_fail,
        pass: observed.pass,
        observed_only: observed.observed_only,
        logs: observed.logs,
        blessed,
        record: suite.record.clone(),
        filtered_out: suite.fixtures.len() + suite.broken.len() - selected,
        rust_src_hidden: observed.rust_src_hidden,
        run_id: observed.run_id,
        tree: suite.problems.iter().map(Problem::of_tree).collect(),
    })
}

/// One fixture's part of the report: its outcome (or why it was not
/// observed), checked; the texts its expectations should hold. When the
/// checker wrote what it saw (collecting), a compile-fail fixture's text is
/// the checker's, or its absence says the checker never reached the fixture.
fn fixture_report(
    suite: &Suite,
    o: &Observation,
    exact: Option<Version>,
    rustc: &Rustc,
) -> FixtureReport {
    let f = o.fixture;
    let mut report = FixtureReport {
        path: f.display_path(),
        describe: describe(f),
        compile_fail: f.header.expect.is_compile_fail(),
        observed: o.outcome.is_ok(),
        problems: Vec::new(),
        actual: Vec::new(),
        compiles: 0,
    };
    let outcome: &Outcome = match &o.outcome {
        Ok(outcome) => outcome,
        Err(e) => {
            report
                .problems
                .push(Problem::new(Check::NotObserved, e.to_string()));
            return report;
        }
    };
    let gives = f
        .header
        .suggestion_gives
        .as_deref()
        .and_then(|id| suite.by_id(id));
    let label = rustc.label();
    let verdict = check::check(&check::Context {
        root: &suite.root,
        fixture: f,
        outcome,
        exact,
        compiler: (rustc.version, &label),
        gives,
        text: o.text.as_ref(),
    });
    report.compiles = outcome.compiles;
    report.problems = verdict.problems;
    match (&f.header.expect, &o.written) {
        (Expect::CompileFail(_), Some(written)) if !outcome.compiled => match written {
            Some(text) => report.actual.push((Kind::Stderr, text.clone())),
            None => report.problems.push(Problem::new(
                Check::NotReached,
                format!(
                    "{CHECKER} did not reach it: it wrote no .stderr for it, so its diagnostics were not seen; \
                     see {CHECKER}'s report in {}",
                    o.log
                        .as_ref()
                        .map_or("its log".into(), |l| l.display().to_string())
                ),
            )),
        },
        (Expect::CompileFail(_), _) => {}
        (Expect::Run, _) => {
            for (kind, text) in [
                (Kind::Stdout, verdict.stdout),
                (Kind::Stderr, verdict.stderr),
            ] {
                if let Some(text) = text {
                    report.actual.push((kind, text));
                }
            }
        }
    }
    if let Some(fixed) = verdict.fixed {
        report.actual.push((Kind::Fixed, fixed));
    }
    report
}

/// One line on what the fixture is expected to do.
fn describe(f: &Fixture) -> String {
    match &f.header.expect {
        Expect::CompileFail(codes) => format!("({} {})", f.header.listing, codes.join(" ")),
        Expect::Run => format!("({} runs)", f.header.listing),
    }
}
