//! The one error type of the suite: every problem names a file (and a line
//! where there is one) and says how to fix it.

use crate::command::BLESS;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Something wrong with the fixture tree, a file in it, or the toolchain.
#[derive(Debug)]
pub enum Error {
    /// A file could not be read or written.
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// What the operating system said.
        error: io::Error,
    },
    /// A fixture or expectation file breaks one of the suite's rules.
    Fixture {
        /// The offending file, relative to the suite root where possible.
        path: PathBuf,
        /// 1-based line, when the problem sits on one line.
        line: Option<usize>,
        /// What is wrong.
        problem: String,
        /// How to fix it.
        fix: String,
    },
    /// The compiler could not be found, run or understood.
    Toolchain {
        /// The toolchain as the user named it (or `rustc` for the default).
        toolchain: String,
        /// What went wrong.
        problem: String,
    },
    /// The fixture tree breaks rules: every problem found, in file order.
    Tree(Vec<Error>),
    /// A `cargo xtask bless` committed its update and did not finish it
    /// (stopped, or a file could not be moved): some expectations are new,
    /// these are still to be written or removed, until a bless finishes it.
    PendingBless(Vec<PathBuf>),
    /// The journal of an interrupted bless cannot be read.
    Journal {
        /// The journal file.
        path: PathBuf,
        /// 1-based line, when the problem sits on one line.
        line: Option<usize>,
        /// What is wrong.
        problem: String,
    },
    /// A bless limited by `--filter` on a compiler version the record does
    /// not list yet: every fixture needs an expectation for it first.
    Unrecorded(crate::version::Version),
    /// A bug in the suite itself, not in what it was given.
    Internal(String),
    /// A tool the command needs (mdbook) is missing or not the right one.
    Tool {
        /// What is wrong.
        problem: String,
        /// How to fix it.
        fix: String,
    },
    /// The program cannot tell, or was not built for, the checkout it runs in.
    Checkout {
        /// What is wrong.
        problem: String,
        /// How to fix it.
        fix: String,
    },
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, error: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            error,
        }
    }

    /// For `map_err`: an I/O error on `path`.
    pub fn io_on(path: &Path) -> impl FnOnce(io::Error) -> Error + use<> {
        let path = path.to_owned();
        move |e| Error::io(path, e)
    }

    /// A rule broken by `path` (at `line`, if known).
    pub fn fixture(
        path: &Path,
        line: Option<usize>,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Error::Fixture {
            path: path.to_owned(),
            line,
            problem: problem.into(),
            fix: fix.into(),
        }
    }
}

/// Read `root/path` as text: a file that is not UTF-8 is an error naming
/// the line and byte where it stops being so, and the fix.
pub fn read_text(root: &Path, path: &Path) -> Result<String> {
    let bytes = std::fs::read(root.join(path)).map_err(|e| Error::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        Error::fixture(
            path,
            Some(line),
            format!(
                "not UTF-8 from byte {} of the file on (byte {} of line {line}: 0x{:02x})",
                at + 1,
                at - line_start + 1,
                bytes[at]
            ),
            "save the file as UTF-8 (Rust sources and the suite's files are UTF-8), \
             or replace that character",
        )
    })
}

/// A value that breaks a rule, before it is known which file and line it
/// sits on: the caller places it (`Error::fixture`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid(pub String);

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for Invalid {
    fn from(s: String) -> Self {
        Invalid(s)
    }
}

impl From<&str> for Invalid {
    fn from(s: &str) -> Self {
        Invalid(s.to_string())
    }
}

impl From<Invalid> for String {
    fn from(i: Invalid) -> Self {
        i.0
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Error::Io { path, error } => write!(f, "{}: {error}", path.display()),
            Error::Fixture {
                path,
                line,
                problem,
                fix,
            } => {
                write!(f, "{}", path.display())?;
                if let Some(line) = line {
                    write!(f, ":{line}")?;
                }
                write!(f, ": {problem}")?;
                if !fix.is_empty() {
                    write!(f, "\n  fix: {fix}")?;
                }
                Ok(())
            }
            Error::Toolchain { toolchain, problem } => {
                write!(f, "toolchain `{toolchain}`: {problem}")
            }
            Error::Checkout { problem, fix } | Error::Tool { problem, fix } => {
                write!(f, "{problem}\n  fix: {fix}")
            }
            Error::Tree(errors) => {
                write!(f, "the fixture tree has {} problem(s):", errors.len())?;
                errors.iter().try_for_each(|e| write!(f, "\n{e}"))
            }
            Error::PendingBless(left) => write!(
                f,
                "`{}` holds an update that `{BLESS}` committed and did not finish: {} file(s) are still to be \
                 written or removed{}, the others are updated.\n  \
                 fix: run `{BLESS}`, which finishes it first (if it failed on a file, make that file's directory \
                 writable first)",
                crate::layout::PENDING,
                left.len(),
                left.first()
                    .map(|p| format!(" (first: {})", p.display()))
                    .unwrap_or_default()
            ),
            Error::Journal {
                path,
                line,
                problem,
            } => {
                write!(f, "{}", path.display())?;
                if let Some(line) = line {
                    write!(f, ":{line}")?;
                }
                write!(
                    f,
                    ": {problem}\n  fix: inspect it, then delete `{}` and run `{BLESS}` again",
                    crate::layout::PENDING
                )
            }
            Error::Unrecorded(v) => write!(
                f,
                "compiler version {v} is not in {} yet: bless it for every fixture first (without --filter); \
                 nothing was changed",
                crate::layout::RECORD
            ),
            Error::Internal(problem) => write!(
                f,
                "internal error: {problem}\n  this is a bug in the suite; nothing was changed"
            ),
        }
    }
}

/// A copy; an I/O error keeps its kind and message.
impl Clone for Error {
    fn clone(&self) -> Self {
        match self {
            Error::Io { path, error } => Error::Io {
                path: path.clone(),
                error: io::Error::new(error.kind(), error.to_string()),
            },
            Error::Fixture {
                path,
                line,
                problem,
                fix,
            } => Error::Fixture {
                path: path.clone(),
                line: *line,
                problem: problem.clone(),
                fix: fix.clone(),
            },
            Error::Toolchain { toolchain, problem } => Error::Toolchain {
                toolchain: toolchain.clone(),
                problem: problem.clone(),
            },
            Error::Tree(errors) => Error::Tree(errors.clone()),
            Error::PendingBless(left) => Error::PendingBless(left.clone()),
            Error::Journal {
                path,
                line,
                problem,
            } => Error::Journal {
                path: path.clone(),
                line: *line,
                problem: problem.clone(),
            },
            Error::Unrecorded(v) => Error::Unrecorded(*v),
            Error::Internal(problem) => Error::Internal(problem.clone()),
            Error::Tool { problem, fix } => Error::Tool {
                problem: problem.clone(),
                fix: fix.clone(),
            },
            Error::Checkout { problem, fix } => Error::Checkout {
                problem: problem.clone(),
                fix: fix.clone(),
            },
        }
    }
}

impl Error {
    /// The errors this one stands for: itself, or each of a tree's.
    pub fn flatten(self) -> Vec<Error> {
        match self {
            Error::Tree(errors) => errors.into_iter().flat_map(Error::flatten).collect(),
            other => vec![other],
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// Shorthand used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_is_not_utf8_is_named_by_line_and_byte() {
        let dir = std::env::temp_dir().join(format!("ch16-utf8-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("f.rs"),
            b"fn main() {\n    let s = \"caf\xe9\";\n}\n",
        )
        .unwrap();
        let err = read_text(&dir, Path::new("f.rs")).unwrap_err().to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            err.starts_with(
                "f.rs:2: not UTF-8 from byte 29 of the file on (byte 17 of line 2: 0xe9)"
            ) && err.contains("fix: save the file as UTF-8"),
            "{err}"
        );
    }
}
