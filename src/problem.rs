//! What is wrong, as data: which check found it, the file and line it is
//! about, what is wrong (in words, or the texts that differ), and the fix.
//! The loader, the checks and the report all speak it; only `emit` puts it
//! into words, for a terminal or for GitHub, and the report carries it as
//! JSON. A leaf below the model, so that loading a fixture can report its
//! problems in the same terms as checking it.

use crate::names::Bless;
use serde::{Deserialize, Serialize};

/// Which check a problem belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// Compiled when it should fail, failed to build or run, timed out.
    Outcome,
    /// The `//~` annotations against the compiler's diagnostics.
    Annotations,
    /// Run output against the header's promises and `.stdout`.
    Output,
    /// An expectation file is missing or unreadable.
    Expectation,
    /// Its compile or run was not observed.
    NotObserved,
    /// The checker never reached it while writing what it saw (collecting).
    NotReached,
    /// The checker found its diagnostics differ from its `.stderr`.
    StderrText,
    /// The code rustc's suggestions give differs from the `.fixed` file.
    Fixed,
    /// The code rustc's suggestions give is not the fixture the header's
    /// `compiler-suggestion-gives` names.
    SuggestionClaim,
    /// The fixture does not load, or breaks a rule of its own: not run.
    Load,
    /// The tree breaks a rule (a stray file, an id used twice): a problem of
    /// no one fixture.
    Tree,
    /// A readers' page cannot show the fixture (its expectation is missing
    /// or does not fit it).
    Page,
}

impl Check {
    /// Whether it forbids writing expectations from the observation: the
    /// outcome or annotations are wrong, or it was not (all) seen. A text
    /// that differs is what bless is for.
    pub fn blocks_bless(self) -> bool {
        !matches!(
            self,
            Check::Output | Check::Expectation | Check::StderrText | Check::Fixed
        )
    }
}

/// Severity of a diagnostic an annotation expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    /// `//~ ERROR E0382`: an error with its code.
    Error,
    /// `//~ WARN unused_variables`: a warning with its lint name.
    Warn,
}

/// One diagnostic, as an annotation states it: on `line`, of `level`,
/// with `code` (an error code, or a lint name).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Expected {
    /// 1-based line its primary span starts on.
    pub line: usize,
    /// Error or warning.
    pub level: Level,
    /// `E0382`, `unused_variables`.
    pub code: String,
}

/// One thing wrong.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Problem {
    /// The check that found it.
    pub check: Check,
    /// The file it is about, from the suite root (`ui/…`): the fixture, or
    /// the expectation that differs, or a file of the tree.
    pub file: String,
    /// The line, where it is about one: an annotation's, an expectation's
    /// first differing line, a header field's.
    pub line: Option<usize>,
    /// What is wrong.
    pub what: What,
    /// How to fix it, where that is one thing to do.
    pub fix: Option<Fix>,
}

/// What is wrong, as the renderers need it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum What {
    /// In words; a block below the first line (a program's last lines)
    /// is part of the text.
    Said(String),
    /// A text is not the one it should be: `said` leads, and the diff from
    /// one text to the other (each with its name) shows how.
    Differs {
        /// The sentence before the diff.
        said: String,
        /// The text the diff starts from (the expectation), and its name.
        from: (String, String),
        /// The text it goes to (what is said now), and its name.
        to: (String, String),
    },
    /// The annotations and the compiler's diagnostics disagree: what was
    /// annotated and not reported, what was reported (with its message)
    /// and not annotated.
    Annotations {
        /// Annotated, not reported.
        missing: Vec<Expected>,
        /// Reported, not annotated.
        unexpected: Vec<(Expected, String)>,
    },
}

/// How to fix a problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fix {
    /// What the compiler or the program says now differs from the
    /// expectation: accept it with `bless` if the new `what` is right.
    Accept {
        /// What would be accepted (`text`, `output`, `fixed code`).
        what: String,
        /// The command that accepts it.
        bless: Bless,
    },
    /// An expectation is missing: `bless` writes it.
    Write(Bless),
    /// A change to make, in words.
    Edit(String),
}

impl Problem {
    /// A problem of `check` about `file`, in words.
    pub fn said(check: Check, file: impl Into<String>, text: impl Into<String>) -> Problem {
        Problem {
            check,
            file: file.into(),
            line: None,
            what: What::Said(text.into()),
            fix: None,
        }
    }

    /// The same, on `line`.
    pub fn at(mut self, line: usize) -> Problem {
        self.line = Some(line);
        self
    }

    /// The same, fixed by `fix`.
    pub fn fix(mut self, fix: Fix) -> Problem {
        self.fix = Some(fix);
        self
    }

    /// The same, fixed by the edit `words`.
    pub fn edit(self, words: impl Into<String>) -> Problem {
        self.fix(Fix::Edit(words.into()))
    }
}

/// The 1-based line where `new` first differs from `old`: the first line
/// added or changed, or the line after `old`'s last when lines were only
/// removed from its end.
pub fn first_difference(old: &str, new: &str) -> usize {
    let (old, new): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let same = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    (same + 1).min(old.len().max(1))
}
