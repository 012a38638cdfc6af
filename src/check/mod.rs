//! Judging: the checks of one fixture, from what its observation says (see
//! [`crate::observe`]), and the report of a run ([`report`]).
//!
//! Each check is a plain function of the fixture and its observation that
//! gives its [`Problem`]s; [`check`] runs them all and puts them together.
//! None reads another's results: the one rule between them (a wrong outcome
//! or wrong annotations make a `.stderr` difference moot) is applied here,
//! once. How a summary speaks of each check is the renderer's business
//! (`emit::terminal`).

mod outcome;
pub mod report;
mod suggestion;
mod text;

use crate::model::expect::{self, Kind};
use crate::model::fixture::{Fixture, Listing};
use crate::names::{Bless, Version};
use crate::observe::record::Outcome;
use crate::observe::trybuild::TextVerdict;
use crate::problem::{Check, Fix, Problem, What, first_difference};
use std::path::Path;

/// What the checks found in one fixture, and the texts bless records.
#[derive(Clone, Debug, Default)]
pub(crate) struct Verdict {
    /// Everything found wrong; empty when it passed.
    pub(crate) problems: Vec<Problem>,
    /// The canonical run output, when the program exited cleanly and its
    /// output kept the header's promises.
    pub(crate) stdout: Option<String>,
    /// The program's normalised stderr, when the header asks for it.
    pub(crate) stderr: Option<String>,
    /// The fixture with rustc's machine-applicable suggestions applied,
    /// when its header makes a claim about them.
    pub(crate) fixed: Option<String>,
}

/// What the checks are given about one fixture.
pub(crate) struct Context<'a> {
    /// The suite root, where the expectation files are.
    pub(crate) root: &'a Path,
    /// The fixture, and what it holds.
    pub(crate) fixture: (&'a Fixture, &'a Listing),
    /// What its compiles and run did.
    pub(crate) outcome: &'a Outcome,
    /// With a version, the exact comparisons with that version's
    /// expectations are made; without (a compiler never blessed), only
    /// what needs no expectation file.
    pub(crate) exact: Option<Version>,
    /// The compiler under test: its version and its name for messages.
    pub(crate) compiler: (Version, &'a str),
    /// The fixture the header's `compiler-suggestion-gives` names.
    pub(crate) gives: Option<(&'a Fixture, &'a Listing)>,
    /// The diagnostics text checker's verdict, when it found something.
    pub(crate) text: Option<&'a TextVerdict>,
}

impl Context<'_> {
    /// The fixture's path, for its problems.
    fn file(&self) -> String {
        self.fixture.0.display_path()
    }

    /// The command that blesses this fixture alone.
    fn bless(&self) -> Bless {
        Bless::fixture(self.fixture.0.short_id())
    }
}

/// Every check of one fixture.
pub(crate) fn check(cx: &Context) -> Verdict {
    let mut v = Verdict {
        problems: outcome::outcome(cx),
        ..Verdict::default()
    };
    v.problems.extend(outcome::annotations(cx));
    if let Some(run) = &cx.outcome.run {
        let (problems, stdout, stderr) = outcome::run(cx, run);
        v.problems.extend(problems);
        (v.stdout, v.stderr) = (stdout, stderr);
    }
    v.problems.extend(text::missing_stderr(cx));
    if cx.fixture.1.header.suggestion_gives.is_some() && !cx.outcome.compiled {
        let (problems, fixed) = suggestion::check(cx);
        v.problems.extend(problems);
        v.fixed = fixed;
    }
    // A wrong outcome or wrong annotations are what to fix first: the
    // checker's view of the text adds nothing then.
    if !v.problems.iter().any(|p| p.check.blocks_bless()) {
        v.problems.extend(text::check(cx));
    }
    v
}

/// `actual` against the fixture's expectation of `kind` for `version`.
fn compare(cx: &Context, kind: Kind, version: Version, actual: &str) -> Option<Problem> {
    let f = cx.fixture.0;
    let (what, check) = match kind {
        Kind::Stdout => ("output", Check::Output),
        Kind::Stderr => ("stderr", Check::Output),
        Kind::Fixed => ("fixed code", Check::Fixed),
    };
    let Some(file) = f.expectation(kind, version) else {
        let said = format!(
            "no expected {what}: `{}` is missing",
            f.expectation_path(kind, None).display()
        );
        return Some(
            Problem::said(Check::Expectation, cx.file(), said).fix(Fix::Write(cx.bless())),
        );
    };
    let expected = match expect::read(cx.root, &file.path) {
        Ok(text) if text == actual => return None,
        Ok(text) => text,
        Err(e) => return Some(Problem::said(Check::Expectation, cx.file(), e.to_string())),
    };
    let path = file.path.display().to_string();
    Some(Problem {
        check,
        line: Some(first_difference(&expected, actual)),
        what: What::Differs {
            said: format!("the {what} differs from `{path}`"),
            from: (expected, path.clone()),
            to: (actual.to_string(), "now".into()),
        },
        fix: Some(Fix::Accept {
            what: what.into(),
            bless: cx.bless(),
        }),
        file: path,
    })
}

/// `text`, each line indented by four spaces.
fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The last ten lines of the stream `name`, indented under a title.
fn tail(name: &str, text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if lines.is_empty() {
        return format!("    ({name} was empty)");
    }
    let last = lines[lines.len().saturating_sub(10)..].join("\n");
    format!("    last lines of {name}:\n{}", indent(&indent(&last)))
}
