//! The suite's own checks of one fixture, from what `run` observed: the
//! outcome, the inline annotations, and the run output against `.stdout`.
//! (The `.stderr` text of compile-fail fixtures is trybuild's to compare.)

use crate::diagnostics;
use crate::error::Error;
use crate::expect::{Kind, Version};
use crate::fixture::Fixture;
use crate::header::Expect;
use crate::run::Outcome;
use std::fmt;
use std::path::Path;

/// Which of the checks a problem belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Check {
    /// Compiled when it should fail, failed to build or run, timed out.
    Outcome,
    /// Inline `//~` annotations against the compiler's diagnostics.
    Annotations,
    /// Run output against the header's promises and `.stdout`.
    Output,
    /// The expectation file is missing or unreadable.
    Expectation,
}

impl Check {
    const ALL: [Check; 4] = [Check::Outcome, Check::Annotations, Check::Output, Check::Expectation];

    /// A one-word name, stable for files.
    pub fn name(self) -> &'static str {
        match self {
            Check::Outcome => "outcome",
            Check::Annotations => "annotations",
            Check::Output => "output",
            Check::Expectation => "expectation",
        }
    }

    /// The check called `name`.
    pub fn from_name(name: &str) -> Option<Check> {
        Check::ALL.into_iter().find(|c| c.name() == name)
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One thing wrong with a fixture.
#[derive(Clone, Debug)]
pub struct Problem {
    /// The check that found it.
    pub check: Check,
    /// What is wrong and how to fix it, possibly several lines.
    pub message: String,
}

/// The result of the suite's own checks on one fixture.
#[derive(Clone, Debug, Default)]
pub struct Verdict {
    /// Everything found wrong; empty when the fixture passed.
    pub problems: Vec<Problem>,
    /// The canonical run output, when the program ran to a clean exit and
    /// its output kept the header's promises: what `bless` records.
    pub stdout: Option<String>,
}

impl Verdict {
    fn fail(&mut self, check: Check, message: impl Into<String>) {
        self.problems.push(Problem {
            check,
            message: message.into(),
        });
    }
}

/// Read an expectation file as text with LF line endings.
pub fn read_expectation(root: &Path, path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(root.join(path))
        .map(|s| s.replace("\r\n", "\n"))
        .map_err(|e| Error::io(path, e))
}

/// Check `fixture` against `outcome`. With `exact`, also compare with the
/// expectation for that compiler version; without, only what needs no
/// expectation file (outcome, annotations, the header's output promises).
pub fn check(root: &Path, fixture: &Fixture, outcome: &Outcome, exact: Option<Version>) -> Verdict {
    let mut v = Verdict::default();
    if let Some(trouble) = &outcome.compiler_trouble {
        v.fail(Check::Outcome, format!("the compiler did not run cleanly:\n{}", indent(trouble)));
    }
    match (&fixture.header.expect, outcome.compiled) {
        (Expect::CompileFail(codes), true) => v.fail(
            Check::Outcome,
            format!(
                "compiled, but is expected to fail with {}; make it fail again, or change `expect` to `run`",
                codes.join(" ")
            ),
        ),
        (Expect::Run, false) => v.fail(
            Check::Outcome,
            format!(
                "did not compile, but is expected to run:\n{}",
                indent(&outcome.diagnostics.iter().map(|d| d.as_expected().to_string() + " " + &d.message).collect::<Vec<_>>().join("\n"))
            ),
        ),
        _ => {}
    }
    let problems = diagnostics::compare(&fixture.annotations, &outcome.diagnostics);
    if !problems.is_empty() && !(fixture.header.expect == Expect::Run && !outcome.compiled) {
        v.fail(
            Check::Annotations,
            format!("the `//~` annotations disagree with the compiler:\n{}", indent(&problems.join("\n"))),
        );
    }
    if let Some(run) = &outcome.run {
        check_run(root, fixture, run, exact, &mut v);
    } else if let Some(version) = exact
        && fixture.kind() == Kind::Stderr
        && fixture.expectation(version).is_none()
    {
        v.fail(
            Check::Expectation,
            format!(
                "no expected diagnostics: `{}` is missing; run `cargo xtask bless`",
                fixture.expectation_path(None).display()
            ),
        );
    }
    v
}

fn check_run(root: &Path, fixture: &Fixture, run: &crate::run::Run, exact: Option<Version>, v: &mut Verdict) {
    let limit = fixture.header.timeout.as_secs();
    match run.status {
        None => {
            v.fail(
                Check::Outcome,
                format!(
                    "timed out: killed after {limit} s; if it is meant to take longer, raise `timeout:` in its header\n{}",
                    tail("stdout", &run.stdout)
                ),
            );
            return;
        }
        Some(status) if !status.success() => {
            v.fail(
                Check::Outcome,
                format!("exited with {status}, expected success\n{}", tail("stderr", &run.stderr)),
            );
            return;
        }
        Some(_) => {}
    }
    let spec = fixture.header.output.as_ref().expect("runnable fixtures have an output spec");
    let canonical = match spec.canonical(&run.stdout) {
        Ok(c) => c,
        Err(why) => {
            v.fail(Check::Output, format!("the output broke the header's promise: {why}"));
            return;
        }
    };
    v.stdout = Some(canonical.clone());
    let Some(version) = exact else { return };
    match fixture.expectation(version) {
        None => v.fail(
            Check::Expectation,
            format!(
                "no expected output: `{}` is missing; run `cargo xtask bless`",
                fixture.expectation_path(None).display()
            ),
        ),
        Some(file) => match read_expectation(root, &file.path) {
            Err(e) => v.fail(Check::Expectation, e.to_string()),
            Ok(expected) if expected == canonical => {}
            Ok(expected) => v.fail(
                Check::Output,
                format!(
                    "the output differs from `{}`:\n{}",
                    file.path.display(),
                    crate::diff::unified(&expected, &canonical, "expected", "actual")
                ),
            ),
        },
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n")
}

fn tail(name: &str, text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(10);
    if lines.is_empty() {
        return format!("    ({name} was empty)");
    }
    format!("    last lines of {name}:\n{}", indent(&indent(&lines[start..].join("\n"))))
}
