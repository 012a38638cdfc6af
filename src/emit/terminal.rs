//! The terminal's words: a problem with its fix, an error, a failed
//! fixture, and a run's overview (counts per check, the batches, notes on
//! what was hidden or skipped), a few lines however many fixtures pass.

use crate::check::report::{FixtureReport, Report};
use crate::error::Error;
use crate::model::annotation::{level_word, show};
use crate::names::{BLESS, PENDING, RECORD};
use crate::observe::BatchStatus;
use crate::observe::trybuild::NAME;
use crate::problem::{Check, Fix, Problem, What};
use std::fmt::{self, Write as _};

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self {
            Check::Outcome => "outcome",
            Check::Annotations => "annotations",
            Check::Output => "output",
            Check::Expectation => "expectation",
            Check::NotObserved => "not-observed",
            Check::NotReached => "not-reached",
            Check::StderrText => "stderr-text",
            Check::Fixed => "fixed",
            Check::SuggestionClaim => "suggestion-claim",
            Check::Load => "load",
            Check::Tree => "tree",
            Check::Page => "page",
        })
    }
}

impl Fix {
    /// The thing to do, in a line: the command to run, or the edit.
    pub fn action(&self) -> String {
        match self {
            Fix::Accept { bless, .. } | Fix::Write(bless) => format!("`{bless}`"),
            Fix::Edit(edit) => edit.clone(),
        }
    }
}

/// Whether a problem is about a file as such (it is named first, and its
/// fix goes on a line of its own): the loader's, the tree's, a compile
/// that was not observed.
fn about_a_file(check: Check) -> bool {
    matches!(
        check,
        Check::Load | Check::Tree | Check::NotObserved | Check::Page
    )
}

/// What is wrong, in words, without the fix.
fn what(p: &Problem) -> String {
    let body = match &p.what {
        What::Said(text) => text.clone(),
        What::Differs { said, from, to } => format!(
            "{said}:\n{}",
            crate::diff::brief(&from.0, &to.0, &from.1, &to.1)
        ),
        What::Annotations {
            missing,
            unexpected,
        } => {
            let mut lines: Vec<String> = missing
                .iter()
                .map(|e| {
                    format!(
                        "annotated but not reported: {}; the compiler no longer reports it there: \
                         remove `//~ {} {}` from line {}, or change the code back",
                        show(e),
                        level_word(e.level),
                        e.code,
                        e.line
                    )
                })
                .collect();
            lines.extend(unexpected.iter().map(|(e, message)| {
                let (level, code, line) = (level_word(e.level), &e.code, e.line);
                format!("reported but not annotated: {} ({message}); add `//~ {level} {code}` at the end of line {line}", show(e))
            }));
            let lines: Vec<String> = lines.iter().map(|l| format!("    {l}")).collect();
            format!(
                "the `//~` annotations disagree with the compiler:\n{}",
                lines.join("\n")
            )
        }
    };
    match (about_a_file(p.check), p.line) {
        (true, Some(line)) => format!("{}:{line}: {body}", p.file),
        (true, None) => format!("{}: {body}", p.file),
        (false, _) => body,
    }
}

impl fmt::Display for Problem {
    /// The problem in words with its fix: on a line of its own after a
    /// message of several lines or about a file, else after a semicolon.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let what = what(self);
        let Some(fix) = &self.fix else {
            return f.write_str(&what);
        };
        let fix = match fix {
            Fix::Accept { what, .. } => format!(
                "if the new {what} is right, run {}; if not, change the fixture",
                fix.action()
            ),
            Fix::Write(_) => format!("run {}", fix.action()),
            Fix::Edit(_) => fix.action(),
        };
        match () {
            _ if about_a_file(self.check) => write!(f, "{what}\n  fix: {fix}"),
            _ if what.ends_with('\n') => write!(f, "{what}fix: {fix}"),
            _ => write!(f, "{what}; {fix}"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Error::Io { path, error } => write!(f, "{}: {error}", path.display()),
            Error::Tree(problems) => {
                write!(f, "the fixture tree has {} problem(s):", problems.len())?;
                problems.iter().try_for_each(|p| write!(f, "\n{p}"))
            }
            Error::Toolchain { toolchain, problem } => {
                write!(f, "toolchain `{toolchain}`: {problem}")
            }
            Error::PendingBless(left) => write!(
                f,
                "`{PENDING}` holds an update that `{BLESS}` committed and did not finish: {} file(s) are still to be \
                 written or removed{}.\n  fix: run `{BLESS}`, which finishes it first (if it failed on a file, make \
                 that file's directory writable first)",
                left.len(),
                left.first()
                    .map(|p| format!(" (first: {})", p.display()))
                    .unwrap_or_default()
            ),
            Error::Journal { path, line } => write!(
                f,
                "{}:{line}: unreadable journal of an interrupted bless\n  fix: inspect it, then delete `{PENDING}` \
                 and run `{BLESS}` again",
                path.display()
            ),
            Error::Unrecorded(v) => write!(
                f,
                "compiler version {v} is not in {RECORD} yet: bless it for every fixture first (without --filter); \
                 nothing was changed"
            ),
            Error::Unwritable { dir, file, error } => write!(
                f,
                "{}: cannot write here ({error}), so `{}` cannot be updated; nothing was changed\n  fix: make `{}` \
                 writable (its permissions, `chattr -i`, a read-only mount), then run the command again",
                dir.display(),
                file.display(),
                dir.display()
            ),
            Error::Tool { problem, fix } | Error::Checkout { problem, fix } => {
                write!(f, "{problem}\n  fix: {fix}")
            }
            Error::Internal(problem) => {
                write!(
                    f,
                    "internal error: {problem}\n  this is a bug in the suite; nothing was changed"
                )
            }
        }
    }
}

impl std::error::Error for Error {}

/// What a fixture is expected to do, as the summary names it.
fn describe(f: &FixtureReport) -> String {
    match (f.loads, f.codes.as_slice()) {
        (false, _) => format!("({} does not load)", f.id),
        (true, []) => format!("({} runs)", f.id),
        (true, codes) => format!("({} {})", f.id, codes.join(" ")),
    }
}

/// One failed fixture: its path and what it is, then each problem with its fix.
pub fn failure(f: &FixtureReport) -> String {
    let mut s = format!("FAIL {}  {}\n", f.path, describe(f));
    for p in &f.problems {
        let text = p.to_string().replace('\n', "\n  ");
        let _ = match p.check {
            Check::NotObserved => writeln!(s, "  {text}"),
            check => writeln!(s, "  {check}: {text}"),
        };
    }
    s
}

/// The tree's own problems (none: empty).
pub fn tree_failure(tree: &[Problem]) -> String {
    if tree.is_empty() {
        return String::new();
    }
    let mut s = format!(
        "FAIL the fixture tree (ui/): {} problem(s) of no one fixture\n",
        tree.len()
    );
    for p in tree {
        let _ = writeln!(s, "  {}", p.to_string().replace('\n', "\n  "));
    }
    s
}

/// A summary line: its title, the problems it counts, and which fixtures.
struct Line {
    title: fn(&Report) -> String,
    counts: &'static [Check],
    applies: fn(&FixtureReport) -> bool,
}

/// One line per check, in the order the checks run.
const LINES: &[Line] = &[
    Line {
        title: |_| "outcome (fails / builds, runs, exits 0)".into(),
        counts: &[
            Check::Outcome,
            Check::NotObserved,
            Check::NotReached,
            Check::Load,
        ],
        applies: |_| true,
    },
    Line {
        title: |_| "annotations (//~)".into(),
        counts: &[Check::Annotations],
        applies: |_| true,
    },
    Line {
        title: |_| "run output".into(),
        counts: &[Check::Output],
        applies: |f| f.codes.is_empty(),
    },
    Line {
        title: |_| "expectation files".into(),
        counts: &[Check::Expectation],
        applies: |_| true,
    },
    Line {
        title: |_| "the compiler's suggestion (.fixed, compiler-suggestion-gives)".into(),
        counts: &[Check::Fixed, Check::SuggestionClaim],
        applies: |f| {
            let counted = [Check::Fixed, Check::SuggestionClaim];
            f.actual(crate::model::expect::Kind::Fixed).is_some()
                || f.problems.iter().any(|p| counted.contains(&p.check))
        },
    },
    Line {
        title: |r| match r.observed_only {
            true => ".stderr text, not compared (observed only)".into(),
            false => format!(".stderr text, compared by {NAME}"),
        },
        counts: &[Check::StderrText],
        applies: |f| !f.codes.is_empty(),
    },
];

/// What a run did as a whole: counts per check, trybuild's batches, the
/// compiles, notes on what was hidden or skipped, the tree's problems.
/// `toolchain_hint` names the toolchain in the commands it suggests.
pub fn overview(r: &Report, toolchain_hint: Option<&str>) -> String {
    let compile_fail = r.fixtures.iter().filter(|f| !f.codes.is_empty()).count();
    let broken = r.fixtures.iter().filter(|f| !f.loads).count();
    let mut s = format!(
        "  {} on {}: {} fixture(s), {compile_fail} compile-fail and {} runnable{}{}\n",
        if r.observed_only {
            "observed"
        } else {
            "checked"
        },
        r.label,
        r.fixtures.len(),
        r.fixtures.len() - compile_fail - broken,
        if broken > 0 {
            format!(", {broken} that do(es) not load")
        } else {
            String::new()
        },
        if r.filtered_out > 0 {
            format!(" ({} filtered out)", r.filtered_out)
        } else {
            String::new()
        }
    );
    for line in LINES {
        let counts = |f: &&FixtureReport| f.problems.iter().any(|p| line.counts.contains(&p.check));
        // A fixture that did not load counts only where that is said.
        let of: Vec<&FixtureReport> = r
            .fixtures
            .iter()
            .filter(|f| (line.applies)(f) && (f.loads || line.counts.contains(&Check::Load)))
            .collect();
        if of.is_empty() {
            continue;
        }
        let failed = of.iter().filter(|f| counts(f)).count();
        let skipped = line.counts == [Check::StderrText] && r.observed_only;
        let mark = if skipped {
            "--  "
        } else if failed == 0 {
            "ok  "
        } else {
            "FAIL"
        };
        let _ = writeln!(
            s,
            "  {mark} {}: {}/{}",
            (line.title)(r),
            of.len() - failed,
            of.len()
        );
    }
    batches(r, &mut s);
    let compiles = r.compiles();
    let _ = writeln!(
        s,
        "  --   rustc ran {} time(s) in this run, for {} fixture(s); cargo kept the rest",
        compiles.iter().map(|(_, n)| n).sum::<usize>(),
        compiles.iter().filter(|(_, n)| *n > 0).count(),
    );
    notes(r, &mut s, toolchain_hint);
    if !r.tree.is_empty() {
        let _ = write!(s, "\n{}", tree_failure(&r.tree));
    }
    s
}

/// trybuild's batches: how they ended, and where the reports of failed
/// ones are.
fn batches(r: &Report, s: &mut String) {
    for (name, (count, batch)) in [
        ("compile-fail batch", &r.compile_fail),
        ("pass batches", &r.pass),
    ] {
        let _ = match batch {
            BatchStatus::None => Ok(()),
            BatchStatus::Ok => writeln!(s, "  ok   {NAME} {name}: {count} fixture(s)"),
            BatchStatus::Failed => writeln!(
                s,
                "  FAIL {NAME} {name}: {count} fixture(s), failures below"
            ),
        };
    }
    for log in &r.logs {
        let _ = writeln!(s, "       {NAME}'s own report: {}", log.display());
    }
}

/// What was hidden or skipped, and how to cover it.
fn notes(r: &Report, s: &mut String, toolchain_hint: Option<&str>) {
    if r.rust_src_hidden {
        s.push_str(
            "  note: rust-src is installed; fixtures were compiled against a sysroot without std's sources,\n    \
             so the diagnostics are those of a toolchain without rust-src\n",
        );
    }
    if r.blessed {
        return;
    }
    let stderr = r.fixtures.iter().filter(|f| !f.codes.is_empty()).count();
    let stdout = r.fixtures.len() - stderr;
    let record: Vec<String> = r.record.iter().map(ToString::to_string).collect();
    let record = if record.is_empty() {
        "none".to_string()
    } else {
        record.join(", ")
    };
    let hint = toolchain_hint
        .map(|t| format!(" --toolchain {t}"))
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "  SKIPPED exact comparisons: expectations were never blessed for this compiler's version\n    \
         (ui/toolchains.txt lists {record}), so {stderr} .stderr comparison(s) ({NAME}) and {stdout} .stdout\n    \
         comparison(s) were not made; outcome, annotations and output promises were checked.\n    \
         To cover this compiler: {BLESS}{hint}"
    );
}
