//! Judging: the checks of one fixture, from what its observation says (see
//! [`crate::observe`]), and the report they make.
//!
//! Each check is a unit behind [`Rule`], in a file of its own, registered in
//! [`CHECKS`], which also gives the summary its lines. What a check finds is
//! a [`Problem`] (`problem`), data with its place and its fix; the
//! fixtures' problems and observed texts make one run's [`report`]. The
//! checks compare the compiler's diagnostics with the annotations, and
//! apply rustc's suggestions (`apply`). The `.stderr` text of compile-fail
//! fixtures is compared by the observation's checker; the text check turns
//! its verdict into a problem of the fixture.

mod annotations;
pub(crate) mod apply;
mod files;
mod outcome;
pub(crate) mod problem;
pub mod report;
mod run;
mod suggestion;
mod text;

use crate::check::report::{FixtureReport, Report};
use crate::model::expect::{Kind, Version};
use crate::model::fixture::Fixture;
use crate::observe::{Outcome, TextVerdict};
use std::path::Path;

pub use problem::{At, Check, Fix, Problem, first_difference};

/// The result of the suite's own checks on one fixture.
#[derive(Clone, Debug, Default)]
pub struct Verdict {
    /// Everything found wrong; empty when the fixture passed.
    pub problems: Vec<Problem>,
    /// The canonical run output, when the program ran to a clean exit and
    /// its output kept the header's promises: what `bless` records.
    pub stdout: Option<String>,
    /// The program's normalised stderr, when the header asks for it.
    pub stderr: Option<String>,
    /// The fixture with rustc's machine-applicable suggestions applied, for
    /// a fixture whose header makes a claim about them.
    pub fixed: Option<String>,
}

impl Verdict {
    pub(crate) fn fail(&mut self, check: Check, message: impl Into<String>) {
        self.problems.push(Problem::new(check, message));
    }

    pub(crate) fn push(&mut self, problem: Problem) {
        self.problems.push(problem);
    }
}

/// What a check is given about one fixture.
pub struct Context<'a> {
    /// The suite root (for expectation files).
    pub root: &'a Path,
    /// The fixture.
    pub fixture: &'a Fixture,
    /// What its compiles and run did.
    pub outcome: &'a Outcome,
    /// With a version, the exact comparisons with that version's
    /// expectations are made; without (a compiler never blessed), only what
    /// needs no expectation file (outcome, annotations, the header's output
    /// promises).
    pub exact: Option<Version>,
    /// The compiler under test: its version and its name for messages.
    pub compiler: (Version, &'a str),
    /// The fixture the header's `compiler-suggestion-gives` names.
    pub gives: Option<&'a Fixture>,
    /// The diagnostics text checker's verdict, when it compared the text
    /// and found something.
    pub text: Option<&'a TextVerdict>,
}

/// One check: a unit of judgement on one fixture, and its line in the
/// summary. Adding a check is one type implementing this, in a file of its
/// own, and one entry in [`CHECKS`].
pub trait Rule: Sync {
    /// Its line in the summary, e.g. `annotations (//~)`.
    fn title(&self, report: &Report) -> String;
    /// The kinds of problem its line counts.
    fn counts(&self) -> &'static [Check];
    /// Whether its line counts this fixture.
    fn applies(&self, f: &FixtureReport) -> bool;
    /// Whether it made no comparison in this run (its line says `--`).
    fn skipped(&self, _report: &Report) -> bool {
        false
    }
    /// Check one fixture, adding problems (and the texts bless records) to
    /// `v`. Problems found by earlier checks in [`CHECKS`] are in `v`.
    fn check(&self, cx: &Context, v: &mut Verdict);
}

/// Every check, in the order they run and their summary lines appear.
pub const CHECKS: &[&dyn Rule] = &[
    &outcome::Outcome,
    &annotations::Annotations,
    &run::RunOutput,
    &files::ExpectationFiles,
    &suggestion::Suggestion,
    &text::DiagnosticsText,
];

/// Check one fixture with every check in [`CHECKS`].
pub fn check(cx: &Context) -> Verdict {
    let mut v = Verdict::default();
    for rule in CHECKS {
        rule.check(cx, &mut v);
    }
    v
}

/// How a summary line reads: its title, how many fixtures it counts and how
/// many of them failed, and whether it was skipped.
pub struct Line {
    /// What the line is about.
    pub title: String,
    /// Fixtures it counts.
    pub of: usize,
    /// Of those, the ones with a problem it counts.
    pub failed: usize,
    /// No comparison was made.
    pub skipped: bool,
}

/// The summary lines of `report`, one per check that applied to some fixture.
pub fn lines(report: &Report) -> Vec<Line> {
    CHECKS
        .iter()
        .filter_map(|rule| {
            // A fixture that did not load counts only where that is said.
            let counted: Vec<&FixtureReport> = report
                .fixtures
                .iter()
                .filter(|f| rule.applies(f))
                .filter(|f| {
                    rule.counts().contains(&Check::Load)
                        || !f.problems.iter().any(|p| p.check == Check::Load)
                })
                .collect();
            (!counted.is_empty()).then(|| Line {
                title: rule.title(report),
                of: counted.len(),
                failed: counted
                    .iter()
                    .filter(|f| f.problems.iter().any(|p| rule.counts().contains(&p.check)))
                    .count(),
                skipped: rule.skipped(report),
            })
        })
        .collect()
}

/// Compare `actual` with the fixture's expectation of `kind` for `version`.
pub(crate) fn compare(
    root: &Path,
    fixture: &Fixture,
    kind: Kind,
    version: Version,
    actual: &str,
    v: &mut Verdict,
) {
    let (what, check) = match kind {
        Kind::Stdout => ("output", Check::Output),
        Kind::Stderr => ("stderr", Check::Output),
        Kind::Fixed => ("fixed code", Check::Fix),
    };
    let bless = crate::command::Bless::fixture(fixture.short_id());
    match fixture.expectation(kind, version) {
        None => v.push(
            Problem::new(
                Check::Expectation,
                format!(
                    "no expected {what}: `{}` is missing",
                    fixture.expectation_path(kind, None).display()
                ),
            )
            .fix(Fix::Write(bless)),
        ),
        Some(file) => match crate::model::expect::read(root, &file.path) {
            Err(e) => v.fail(Check::Expectation, e.to_string()),
            Ok(expected) if expected == actual => {}
            Ok(expected) => {
                let path = file.path.display().to_string();
                v.push(
                    Problem::new(
                        check,
                        format!(
                            "the {what} differs from `{path}`:\n{}",
                            crate::diff::brief(&expected, actual, &path, "now"),
                        ),
                    )
                    .at(At {
                        file: path,
                        line: first_difference(&expected, actual),
                    })
                    .fix(Fix::Accept {
                        what: what.into(),
                        bless,
                    }),
                )
            }
        },
    }
}

/// Make run output repeatable: since Rust 1.91 a panic message names the
/// thread's numeric id (`thread 'main' (3511) panicked at …`), which changes
/// every run; it becomes `(ID)`.
pub fn normalize_run_output(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        out.push_str(&normalize_thread_id(line));
    }
    out
}

fn normalize_thread_id(line: &str) -> String {
    let Some(rest) = line.strip_prefix("thread '") else {
        return line.to_string();
    };
    let Some(close) = rest.find("' (") else {
        return line.to_string();
    };
    let after = &rest[close + 3..];
    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || !after[digits..].starts_with(')') {
        return line.to_string();
    }
    format!("thread '{}' (ID){}", &rest[..close], &after[digits + 1..])
}

pub(crate) fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

pub(crate) fn tail(name: &str, text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(10);
    if lines.is_empty() {
        return format!("    ({name} was empty)");
    }
    format!(
        "    last lines of {name}:\n{}",
        indent(&indent(&lines[start..].join("\n")))
    )
}

#[cfg(test)]
mod tests {
    use super::normalize_run_output;

    #[test]
    fn thread_ids_are_normalised() {
        let text = "thread '<unnamed>' (3511) panicked at ui/x.rs:3:5:\nboom\nthread 'main' (7) panicked at a\nthread 'x' (y) stays\n";
        assert_eq!(
            normalize_run_output(text),
            "thread '<unnamed>' (ID) panicked at ui/x.rs:3:5:\nboom\nthread 'main' (ID) panicked at a\nthread 'x' (y) stays\n"
        );
    }
}
