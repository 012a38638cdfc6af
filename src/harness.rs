//! One run of the suite on one compiler: the orchestration behind
//! `tests/ui.rs`, kept here so scratch trees can drive it in tests.
//!
//! The observation boundary ([`crate::observe`]) compiles and runs the
//! selected fixtures and says what each compile and run did; the harness
//! checks each fixture against that ([`crate::check`]) and puts it together
//! into one typed [`Report`], which `tests/ui.rs` judges and `cargo xtask`
//! reads back as JSON.

use crate::check::{self, At, Check, Problem};
use crate::error::Error;
use crate::expect::{Kind, Version};
use crate::header::Expect;
use crate::journal::{self, Pending};
use crate::observe::{self, CHECKER, Driver, Observation, Outcome, TextVerdict};
use crate::report::{FixtureReport, Report};
use crate::toolchain::Rustc;
use crate::{Fixture, Suite};

pub use crate::observe::Options;

/// Run the suite: load it, observe the selected fixtures, and check each.
pub fn run(opts: &Options, driver: &dyn Driver) -> crate::Result<Report> {
    if journal::pending(opts.root) == Pending::Committed {
        return Err(Error::PendingBless);
    }
    let suite = Suite::load(opts.root)?;
    let rustc = opts.rustc;
    let blessed = suite.is_blessed(rustc.version);
    let observed = observe::observe(&suite, opts, driver)?;
    let exact = (blessed || opts.collect).then_some(rustc.version);
    let selected = observed.fixtures.len();
    let fixtures = observed
        .fixtures
        .into_iter()
        .map(|o| {
            let mut report = fixture_report(&suite, &o, exact);
            if let Some(said) = &o.text {
                text_problem(o.fixture, rustc, said, o.log.as_deref(), &mut report);
            }
            report
        })
        .collect();
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
        filtered_out: suite.fixtures.len() - selected,
        rust_src_hidden: observed.rust_src_hidden,
        run_id: observed.run_id,
    })
}

/// One fixture's part of the report: its outcome (or why it was not
/// observed), checked; the texts its expectations should hold. When the
/// checker wrote what it saw (collecting), a compile-fail fixture's text is
/// the checker's, or its absence says the checker never reached the fixture.
fn fixture_report(suite: &Suite, o: &Observation, exact: Option<Version>) -> FixtureReport {
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
            report.problems.push(Problem {
                check: Check::NotObserved,
                message: e.to_string(),
                at: None,
            });
            return report;
        }
    };
    let gives = f
        .header
        .suggestion_gives
        .as_deref()
        .and_then(|id| suite.by_id(id));
    let verdict = check::check(&suite.root, f, outcome, exact, gives);
    report.compiles = outcome.compiles;
    report.problems = verdict.problems;
    match (&f.header.expect, &o.written) {
        (Expect::CompileFail(_), Some(written)) if !outcome.compiled => match written {
            Some(text) => report.actual.push((Kind::Stderr, text.clone())),
            None => report.problems.push(Problem {
                check: Check::NotReached,
                message: format!(
                    "{CHECKER} did not reach it: it wrote no .stderr for it, so its diagnostics were not seen; \
                     see {CHECKER}'s report in {}",
                    o.log
                        .as_ref()
                        .map_or("its log".into(), |l| l.display().to_string())
                ),
                at: None,
            }),
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

/// The checker's verdict on a compile-fail fixture's diagnostics text, as a
/// problem of the fixture: which file differs, a short diff, and the command
/// that accepts the new text.
fn text_problem(
    f: &Fixture,
    rustc: &Rustc,
    said: &TextVerdict,
    log: Option<&std::path::Path>,
    report: &mut FixtureReport,
) {
    if !f.header.expect.is_compile_fail()
        || report.problems.iter().any(|p| p.check.blocks_bless())
        || f.expectation(Kind::Stderr, rustc.version).is_none()
    {
        // A wrong outcome, or a missing `.stderr`, is reported as such;
        // the checker's view adds nothing.
        return;
    }
    let file = f.expectation(Kind::Stderr, rustc.version).map_or_else(
        || f.display_path().replace(".rs", ".stderr"),
        |e| e.path.display().to_string(),
    );
    let at = said.texts.as_ref().map(|(expected, actual)| At {
        file: file.clone(),
        line: check::first_difference(expected, actual),
    });
    let message = match &said.texts {
        Some((expected, actual)) => format!(
            "{file} differs from what {} says now ({CHECKER} compared them):\n{}fix: if the new text is right, \
             run `cargo xtask bless --filter {}`; if not, change the fixture",
            rustc.label(),
            crate::diff::unified(expected, actual, &file, "now"),
            f.short_id()
        ),
        None => format!(
            "{CHECKER} reported `{}` for it; its report: {}",
            said.status,
            log.map_or("its log".into(), |l| l.display().to_string())
        ),
    };
    report.problems.push(Problem {
        check: Check::StderrText,
        message,
        at,
    });
}

/// One line on what the fixture is expected to do.
fn describe(f: &Fixture) -> String {
    match &f.header.expect {
        Expect::CompileFail(codes) => format!("({} {})", f.header.listing, codes.join(" ")),
        Expect::Run => format!("({} runs)", f.header.listing),
    }
}
