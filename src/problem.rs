//! What is wrong, as data (only `emit` puts it into words), so that loading
//! a fixture speaks as checking it does.

use crate::names::Bless;
use serde::{Deserialize, Serialize};
use std::path::Path;

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
    /// rustc's suggestions do not give the `compiler-suggestion-gives` fixture.
    SuggestionClaim,
    /// The fixture does not load, or breaks a rule of its own: not run.
    Load,
    /// The tree breaks a rule (a stray file, an id used twice).
    Tree,
    /// A readers' page cannot show the fixture.
    Page,
}

impl Check {
    /// Whether it forbids blessing: a differing text is what bless is for;
    /// a wrong outcome or annotations, or a missing observation, is not.
    pub fn blocks_bless(self) -> bool {
        use Check::{Expectation, Fixed, Output, StderrText};
        !matches!(self, Output | Expectation | StderrText | Fixed)
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

/// One diagnostic, as an annotation states it.
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
    /// The file it is about, from the suite root (`ui/…`).
    pub file: String,
    /// The line, where it is about one.
    pub line: Option<usize>,
    /// What is wrong.
    pub what: What,
    /// How to fix it, where that is one thing to do.
    pub fix: Option<Fix>,
}

/// What is wrong, as the renderers need it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum What {
    /// In words (a block below the first line is part of the text).
    Said(String),
    /// A text is not the one it should be: `said`, then the diff.
    Differs {
        /// The sentence before the diff.
        said: String,
        /// The text the diff starts from (the expectation), and its name.
        from: (String, String),
        /// The text it goes to (what is said now), and its name.
        to: (String, String),
    },
    /// The annotations and the compiler's diagnostics disagree.
    Annotations {
        /// Annotated, not reported.
        missing: Vec<Expected>,
        /// Reported, not annotated, with its message.
        unexpected: Vec<(Expected, String)>,
    },
}

/// How to fix a problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fix {
    /// What is said now differs: `bless` accepts it if the new `what` is right.
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
        let (file, what) = (file.into(), What::Said(text.into()));
        Problem {
            check,
            file,
            line: None,
            what,
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

/// `path` as messages show it, `/`-separated.
pub fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The 1-based line where `new` first differs from `old` (when lines were
/// only removed from its end, the line after `old`'s last).
pub fn first_difference(old: &str, new: &str) -> usize {
    let (old, new): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let same = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    (same + 1).min(old.len().max(1))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_first_difference_is_a_line_of_the_old_text() {
        // Changed; removed from the end; added after the end; added to none.
        let cases = [
            ("a\nb\n", "a\nc\n", 2),
            ("a\nb\n", "a\n", 2),
            ("a\n", "a\nb\n", 1),
            ("", "x", 1),
        ];
        for (old, new, line) in cases {
            assert_eq!(super::first_difference(old, new), line, "{old:?} → {new:?}");
        }
    }
}
