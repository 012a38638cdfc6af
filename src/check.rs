//! The suite's own checks of one fixture, from what trybuild's compile and
//! run of it gave (see `record`): the
//! outcome, the inline annotations, and the run output against `.stdout`.
//! (The `.stderr` text of compile-fail fixtures is trybuild's to compare.)

use crate::diagnostics;
use crate::expect::{Kind, Version};
use crate::fixture::Fixture;
use crate::header::Expect;
use crate::observe::{Execution, Exit, Outcome};
use std::fmt;
use std::path::Path;

/// Which of the checks a problem belongs to.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// Compiled when it should fail, failed to build or run, timed out.
    Outcome,
    /// Inline `//~` annotations against the compiler's diagnostics.
    Annotations,
    /// Run output against the header's promises and `.stdout`.
    Output,
    /// The expectation file is missing or unreadable.
    Expectation,
    /// Its compile or run was not observed (trybuild did not compile or run
    /// it, or the run stopped).
    NotObserved,
    /// trybuild did not reach it when writing what it saw (collecting).
    NotReached,
    /// trybuild found its diagnostics differ from its `.stderr`.
    StderrText,
    /// The code rustc's suggestions give differs from the `.fixed` file.
    Fix,
    /// The code rustc's suggestions give is not the code the header's
    /// `compiler-suggestion-gives` names.
    FixClaim,
}

impl Check {
    /// A one-word name, stable for files.
    pub fn name(self) -> &'static str {
        match self {
            Check::Outcome => "outcome",
            Check::Annotations => "annotations",
            Check::Output => "output",
            Check::Expectation => "expectation",
            Check::NotObserved => "not-observed",
            Check::NotReached => "not-reached",
            Check::StderrText => "stderr-text",
            Check::Fix => "fixed",
            Check::FixClaim => "suggestion-claim",
        }
    }

    /// Whether a problem of this check forbids writing expectations from the
    /// observation: the outcome or annotations are wrong, or it was not (all)
    /// seen. A differing output is what bless is for.
    pub fn blocks_bless(self) -> bool {
        !matches!(
            self,
            Check::Output | Check::Expectation | Check::StderrText | Check::Fix
        )
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One thing wrong with a fixture.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// The check that found it.
    pub check: Check,
    /// What is wrong and how to fix it, possibly several lines.
    pub message: String,
    /// The file and line it is about, where one is: an annotation's line in
    /// the fixture, an expectation's first differing line. Without it, the
    /// problem is about the fixture as a whole.
    #[serde(default)]
    pub at: Option<At>,
}

/// A place in the checkout.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct At {
    /// Path from the suite root, `ui/…`.
    pub file: String,
    /// 1-based line.
    pub line: usize,
}

/// The 1-based line where `new` first differs from `old`: the first line
/// added or changed, or the line after `old`'s last when lines were only
/// removed from its end.
pub fn first_difference(old: &str, new: &str) -> usize {
    let (old, new): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let same = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    (same + 1).min(old.len().max(1))
}

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
    fn fail(&mut self, check: Check, message: impl Into<String>) {
        self.problems.push(Problem {
            check,
            message: message.into(),
            at: None,
        });
    }

    fn fail_at(&mut self, check: Check, message: impl Into<String>, file: &Path, line: usize) {
        self.problems.push(Problem {
            check,
            message: message.into(),
            at: Some(At {
                file: file.display().to_string(),
                line,
            }),
        });
    }
}

/// Check `fixture` against `outcome`. With `exact`, also compare with the
/// expectation for that compiler version; without, only what needs no
/// expectation file (outcome, annotations, the header's output promises).
///
/// `gives` is the fixture named by the header's `compiler-suggestion-gives`.
pub fn check(
    root: &Path,
    fixture: &Fixture,
    outcome: &Outcome,
    exact: Option<Version>,
    gives: Option<&Fixture>,
) -> Verdict {
    let mut v = Verdict::default();
    if !outcome.compiled && fixture.header.suggestion_gives.is_some() {
        check_fix(root, fixture, outcome, exact, gives, &mut v);
    }
    if let Some(trouble) = &outcome.compiler_trouble {
        v.fail(
            Check::Outcome,
            format!("the compiler did not run cleanly:\n{}", indent(trouble)),
        );
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
    // A runnable fixture that failed to compile already says so; its errors
    // are listed there rather than again as unannotated.
    let failed_to_build = fixture.header.expect == Expect::Run && !outcome.compiled;
    if let Some(first) = problems.iter().map(|(line, _)| *line).min()
        && !failed_to_build
    {
        let lines: Vec<&str> = problems.iter().map(|(_, m)| m.as_str()).collect();
        v.fail_at(
            Check::Annotations,
            format!(
                "the `//~` annotations disagree with the compiler:\n{}",
                indent(&lines.join("\n"))
            ),
            &fixture.path,
            first,
        );
    }
    if let Some(run) = &outcome.run {
        check_run(root, fixture, run, exact, &mut v);
    } else if let Some(version) = exact
        && fixture.header.expect.is_compile_fail()
        && fixture.expectation(Kind::Stderr, version).is_none()
    {
        v.fail(
            Check::Expectation,
            format!(
                "no expected diagnostics: `{}` is missing; run `cargo xtask bless --filter {}`",
                fixture.expectation_path(Kind::Stderr, None).display(),
                fixture.short_id()
            ),
        );
    }
    v
}

/// rustc's machine-applicable suggestions, applied: against the `.fixed`
/// expectation, and against the code of the fixture the header says they
/// give.
fn check_fix(
    root: &Path,
    fixture: &Fixture,
    outcome: &Outcome,
    exact: Option<Version>,
    gives: Option<&Fixture>,
    v: &mut Verdict,
) {
    let claimed = fixture
        .header
        .suggestion_gives
        .as_deref()
        .unwrap_or_default();
    let fix = format!(
        "if the compiler changed its suggestion, update or drop `compiler-suggestion-gives: {claimed}`"
    );
    let file = format!("{}.rs", fixture.stem);
    let fixed = match crate::suggestion::apply(&fixture.source, &outcome.stderr, &file) {
        Ok(Some(fixed)) => fixed,
        Ok(None) => {
            return v.fail(
                Check::FixClaim,
                format!("rustc made no machine-applicable suggestion, but the header says it gives {claimed}; {fix}"),
            );
        }
        Err(e) => return v.fail(Check::FixClaim, format!("{e}; {fix}")),
    };
    if let Some(version) = exact {
        compare(root, fixture, Kind::Fixed, version, &fixed, v);
    }
    match gives.map(|g| (g, crate::suggestion::same_code(&fixed, &g.source))) {
        Some((_, Ok(true))) => {}
        Some((g, Ok(false))) => {
            let code = |text: &str, skip: usize| {
                text.lines()
                    .skip(skip)
                    .map(|l| format!("{l}\n"))
                    .collect::<String>()
            };
            v.fail(
                Check::FixClaim,
                format!(
                    "applying rustc's machine-applicable suggestions no longer gives {claimed}'s code \
                     (compared as tokens; comments do not count):\n{}{fix}, or make {} match",
                    crate::diff::unified(
                        &code(&fixed, fixture.header.len),
                        &code(&g.source, g.header.len),
                        &format!("{} with the suggestions", fixture.display_path()),
                        &g.display_path()
                    ),
                    g.display_path()
                ),
            );
        }
        Some((_, Err(e))) => v.fail(Check::FixClaim, format!("{e}; {fix}")),
        None => v.fail(
            Check::FixClaim,
            format!("`{claimed}` names no fixture; {fix}"),
        ),
    }
    v.fixed = Some(fixed);
}

fn check_run(
    root: &Path,
    fixture: &Fixture,
    run: &Execution,
    exact: Option<Version>,
    v: &mut Verdict,
) {
    let limit = fixture.header.timeout.as_secs();
    match run.exit {
        Exit::TimedOut => {
            v.fail(
                Check::Outcome,
                format!(
                    "timed out: killed after {limit} s; if it is meant to take longer, raise `timeout:` in its header\n{}",
                    tail("stdout", &run.stdout)
                ),
            );
            return;
        }
        Exit::Code(0) => {}
        exit => {
            v.fail(
                Check::Outcome,
                format!(
                    "exited with {}, expected success\n{}",
                    exit.describe(),
                    tail("stderr", &run.stderr)
                ),
            );
            return;
        }
    }
    let spec = fixture
        .header
        .output
        .as_ref()
        .expect("runnable fixtures have an output spec");
    let canonical = match spec.canonical(&run.stdout) {
        Ok(c) => c,
        Err(why) => {
            v.fail(
                Check::Output,
                format!("the output broke the header's promise: {why}"),
            );
            return;
        }
    };
    let canonical = normalize_run_output(&canonical);
    v.stdout = Some(canonical.clone());
    let stderr = fixture
        .header
        .run_stderr
        .then(|| normalize_run_output(&run.stderr));
    v.stderr = stderr.clone();
    let Some(version) = exact else { return };
    compare(root, fixture, Kind::Stdout, version, &canonical, v);
    if let Some(stderr) = &stderr {
        compare(root, fixture, Kind::Stderr, version, stderr, v);
    }
}

fn compare(
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
    match fixture.expectation(kind, version) {
        None => v.fail(
            Check::Expectation,
            format!(
                "no expected {what}: `{}` is missing; run `cargo xtask bless --filter {}`",
                fixture.expectation_path(kind, None).display(),
                fixture.short_id()
            ),
        ),
        Some(file) => match crate::expect::read(root, &file.path) {
            Err(e) => v.fail(Check::Expectation, e.to_string()),
            Ok(expected) if expected == actual => {}
            Ok(expected) => v.fail_at(
                check,
                format!(
                    "the {what} differs from `{}`:\n{}fix: if the new {what} is right, run \
                     `cargo xtask bless --filter {}`; if not, change the fixture",
                    file.path.display(),
                    crate::diff::unified(
                        &expected,
                        actual,
                        &file.path.display().to_string(),
                        "now"
                    ),
                    fixture.short_id()
                ),
                &file.path,
                first_difference(&expected, actual),
            ),
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

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn tail(name: &str, text: &str) -> String {
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
