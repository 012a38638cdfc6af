//! What a check finds wrong with a fixture, as data: which check, what is
//! wrong, the place it is about and how to fix it. Part of the report that
//! `cargo test` judges and the xtask reads back, so it sits below both the
//! checks and the report; [`Problem::text`] is the one place it is put into
//! words.

use crate::command::Bless;
use std::fmt;

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
    /// The fixture does not load, or breaks a rule of its own: it was not
    /// run.
    Load,
    /// The tree as a whole breaks a rule (a stray file, an id used twice):
    /// a problem of no one fixture.
    Tree,
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
            Check::Load => "load",
            Check::Tree => "tree",
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
    /// What is wrong, possibly several lines (a diff ends with a newline).
    pub message: String,
    /// The file and line it is about, where one is: an annotation's line in
    /// the fixture, an expectation's first differing line. Without it, the
    /// problem is about the fixture as a whole.
    #[serde(default)]
    pub at: Option<At>,
    /// How to fix it, where that is one thing to do (an annotation mismatch
    /// says line by line in its message).
    #[serde(default)]
    pub fix: Option<Fix>,
}

/// How to fix a problem.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fix {
    /// What the compiler or the program says now differs from the
    /// expectation: accept it with `bless` if the new `what` (text, output,
    /// fixed code) is right, else change the fixture.
    Accept {
        /// What would be accepted, in a word or two.
        what: String,
        /// The command that accepts it.
        bless: Bless,
    },
    /// An expectation is missing: `bless` writes it.
    Write(Bless),
    /// A change to the fixture or its header, in words.
    Edit(String),
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

impl Problem {
    /// A problem of `check` without a place or a fix.
    pub fn new(check: Check, message: impl Into<String>) -> Problem {
        Problem {
            check,
            message: message.into(),
            at: None,
            fix: None,
        }
    }

    /// The same, about `at`.
    pub fn at(mut self, at: At) -> Problem {
        self.at = Some(at);
        self
    }

    /// The same, fixed by `fix`.
    pub fn fix(mut self, fix: Fix) -> Problem {
        self.fix = Some(fix);
        self
    }

    /// The problem in words, with its fix: after a message of several lines
    /// on a line of its own (`fix: …`), else after a semicolon.
    pub fn text(&self) -> String {
        let Some(fix) = &self.fix else {
            return self.message.clone();
        };
        let fix = match fix {
            Fix::Accept { what, .. } => format!(
                "if the new {what} is right, run {}; if not, change the fixture",
                fix.action()
            ),
            Fix::Write(_) => format!("run {}", fix.action()),
            Fix::Edit(_) => fix.action(),
        };
        if self.message.ends_with('\n') {
            format!("{}fix: {fix}", self.message)
        } else {
            format!("{}; {fix}", self.message)
        }
    }
}

impl From<&crate::error::Error> for Problem {
    /// A problem the loader found (`check`: [`Check::Load`]), with its file,
    /// line and fix where it has them.
    fn from(e: &crate::error::Error) -> Problem {
        match e {
            crate::error::Error::Fixture {
                path,
                line,
                problem,
                fix,
            } => {
                let file = path.to_string_lossy().replace('\\', "/");
                // On a line of its own, as the loader says it: the fix
                // goes on the next (`fix: …`).
                let message = match line {
                    Some(l) => format!("{file}:{l}: {problem}\n"),
                    None => format!("{file}: {problem}\n"),
                };
                let p = Problem::new(Check::Load, message);
                let p = match line {
                    Some(line) => p.at(At { file, line: *line }),
                    None => p,
                };
                if fix.is_empty() {
                    p
                } else {
                    p.fix(Fix::Edit(fix.clone()))
                }
            }
            other => Problem::new(Check::Load, other.to_string()),
        }
    }
}

impl Problem {
    /// A problem of the tree as a whole ([`crate::Suite::problems`]), with
    /// its file, line and fix where it has them.
    pub fn of_tree(e: &crate::error::Error) -> Problem {
        Problem {
            check: Check::Tree,
            ..Problem::from(e)
        }
    }
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
