//! Judging: the checks of one fixture's observation, and the [`report`] of
//! a run. The one rule between the checks is applied in `check`.

mod outcome;
pub mod report;
mod suggestion;
mod text;

use crate::model::expect::{self, Kind};
use crate::model::suite::Suite;
use crate::names::{Bless, Version};
use crate::observe::Observation;
use crate::observe::record::Outcome;
use crate::problem::{Check, Fix, Problem, What, first_difference};
use report::FixtureReport;

/// What the checks are given about one fixture.
struct Context<'a> {
    suite: &'a Suite,
    o: &'a Observation<'a>,
    outcome: &'a Outcome,
    /// The version whose expectations the texts are compared with; none on
    /// a compiler never blessed.
    exact: Option<Version>,
    /// The compiler under test: its version and its name for messages.
    compiler: (Version, &'a str),
}

impl Context<'_> {
    fn file(&self) -> String {
        self.o.fixture.0.display_path()
    }

    fn bless(&self) -> Bless {
        Bless::fixture(self.o.fixture.0.short_id())
    }
}

/// One fixture's part of the report: its observation, checked.
pub(crate) fn check(
    suite: &Suite,
    o: &Observation,
    exact: Option<Version>,
    compiler: (Version, &str),
) -> FixtureReport {
    let mut r = FixtureReport::of(o.fixture.0);
    let Ok(outcome) = &o.outcome else {
        r.problems.extend(o.outcome.as_ref().err().cloned());
        return r;
    };
    let cx = Context {
        suite,
        o,
        outcome,
        exact,
        compiler,
    };
    (r.observed, r.compiles) = (true, outcome.compiles);
    r.problems.extend(outcome::outcome(&cx));
    r.problems.extend(outcome::annotations(&cx));
    // Only where nothing ran: before the run's problems or with none.
    r.problems.extend(text::missing_stderr(&cx));
    if let Some(run) = &outcome.run {
        outcome::run(&cx, run, &mut r);
    }
    if o.fixture.1.header.suggestion_gives.is_some() && !outcome.compiled {
        suggestion::check(&cx, &mut r);
    }
    // A wrong outcome or wrong annotations are what to fix first: the
    // checker's view of the text adds nothing then.
    if !r.problems.iter().any(|p| p.check.blocks_bless()) {
        r.problems.extend(text::check(&cx));
    }
    text::written(&cx, &mut r);
    r
}

/// Texts bless records, compared with their expectations when exact.
fn compared(cx: &Context, r: &mut FixtureReport, actual: Vec<(Kind, String)>) {
    let compare = |(kind, text): &(Kind, String)| compare(cx, *kind, cx.exact?, text);
    r.problems.extend(actual.iter().filter_map(compare));
    r.actual.extend(actual);
}

/// `actual` against the fixture's expectation of `kind` for `version`.
fn compare(cx: &Context, kind: Kind, version: Version, actual: &str) -> Option<Problem> {
    let (what, check) = match kind {
        Kind::Stdout => ("output", Check::Output),
        Kind::Stderr => ("stderr", Check::Output),
        Kind::Fixed => ("fixed code", Check::Fixed),
    };
    let Some(file) = cx.o.fixture.0.expectation(kind, version) else {
        return Some(missing(cx, kind, what));
    };
    let expected = match expect::read(&cx.suite.root, &file.path) {
        Ok(text) if text == actual => return None,
        Ok(text) => text,
        Err(e) => return Some(Problem::said(Check::Expectation, cx.file(), e.to_string())),
    };
    let path = file.path.display().to_string();
    let said = format!("the {what} differs from `{path}`");
    Some(drifted(cx, check, said, (expected, path), actual, what))
}

/// No expectation of `kind` (`what` it holds): bless writes it.
fn missing(cx: &Context, kind: Kind, what: &str) -> Problem {
    let path = cx.o.fixture.0.expectation_path(kind, None);
    let said = format!("no expected {what}: `{}` is missing", path.display());
    Problem::said(Check::Expectation, cx.file(), said).fix(Fix::Write(cx.bless()))
}

/// An expectation (text, file) that differs from what is `actual` now.
fn drifted(
    cx: &Context,
    check: Check,
    said: String,
    (expected, file): (String, String),
    actual: &str,
    what: &str,
) -> Problem {
    let (what, bless) = (what.into(), cx.bless());
    let mut p = Problem::said(check, &file, "").fix(Fix::Accept { what, bless });
    p.line = Some(first_difference(&expected, actual));
    let (from, to) = ((expected, file), (actual.to_string(), "now".into()));
    p.what = What::Differs { said, from, to };
    p
}
