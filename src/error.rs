//! What stops a command, naming its file or toolchain and the fix (put
//! into words by `emit::terminal`).

use crate::names::Version;
use crate::problem::{Check, Problem, slashed};
use std::io;
use std::path::{Path, PathBuf};

/// What stops a command.
#[derive(Debug)]
pub enum Error {
    /// A file or directory could not be read or written.
    Io(PathBuf, io::Error),
    /// Fixtures or the tree break rules: every problem found, in file order.
    Tree(Vec<Problem>),
    /// The compiler could not be found, run or understood.
    Toolchain {
        /// The toolchain as the user named it (`rustc` for the default).
        toolchain: String,
        /// What went wrong.
        problem: String,
    },
    /// A bless committed its update and did not finish it: found so by a
    /// run that refuses to go on, or stopped at a file while finishing it.
    Unfinished(Box<Unfinished>),
    /// The journal of an interrupted bless is unreadable at this line.
    Journal(PathBuf, usize),
    /// A bless limited by `--filter` on a version the record does not list.
    Unrecorded(Version),
    /// A directory a bless must write into takes no file (the directory,
    /// the file, the operating system's words); nothing changed.
    Unwritable(PathBuf, PathBuf, String),
    /// A file a bless must replace or remove cannot be; nothing changed.
    Unreplaceable(Blocked),
    /// A tool the command needs (mdbook) is missing or not the right one.
    Tool {
        /// What is wrong.
        problem: String,
        /// How to fix it.
        fix: String,
    },
    /// The program cannot tell, or was not built for, its checkout.
    Checkout {
        /// What is wrong.
        problem: String,
        /// How to fix it.
        fix: String,
    },
    /// Files of the checkout changed while the fixtures' programs ran (the
    /// fixtures whose programs ran, from the suite root), so nothing the
    /// run saw can be trusted.
    Changed {
        /// Each file, from the suite root (`ui/…`) or the crate (`src/…`).
        files: Vec<(FileChange, PathBuf)>,
        /// The fixtures whose programs ran.
        ran: Vec<String>,
    },
    /// A bug in the suite itself, not in what it was given.
    Internal(String),
}

/// What keeps a file from being replaced or removed in its directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blocked {
    /// The file, from the suite root.
    pub file: PathBuf,
    /// Why, as a clause (`it is a directory`).
    pub why: &'static str,
    /// The command or step that removes the cause.
    pub fix: String,
}

/// A committed update that is not finished (see [`Error::Unfinished`]).
#[derive(Debug)]
pub struct Unfinished {
    /// The journal's files still to be written or removed, in its order.
    pub left: Vec<PathBuf>,
    /// How many of its files are written or removed.
    pub done: usize,
    /// What keeps a file from being replaced, if known: the one it stopped
    /// at, or else the first of `left` that cannot be.
    pub blocked: Option<Blocked>,
    /// The file it stopped at, from the suite root, with the operating
    /// system's words; `None` for an update found unfinished.
    pub stopped_at: Option<(PathBuf, String)>,
}

/// How a file changed (see [`Error::Changed`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileChange {
    /// It is new.
    Added,
    /// It is gone.
    Removed,
    /// Its size, time or content is another.
    Modified,
}

impl Error {
    /// For `map_err`: an I/O error on `path`.
    pub fn io_on(path: &Path) -> impl FnOnce(io::Error) -> Error + use<> {
        let path = path.to_owned();
        move |error| Error::Io(path, error)
    }

    /// The problems of a fixture this error stands for, found by `check`.
    pub(crate) fn problems(self, check: Check) -> Vec<Problem> {
        match self {
            Error::Tree(problems) => problems,
            Error::Io(path, error) => vec![Problem::said(check, slashed(&path), error.to_string())],
            other => vec![Problem::said(check, "", other.to_string())],
        }
    }
}

/// Shorthand used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Read `root/path` as text: a file that is not UTF-8 is a problem of the
/// tree naming the line and byte where it stops being so.
pub fn read_text(root: &Path, path: &Path) -> Result<String> {
    let bytes = std::fs::read(root.join(path)).map_err(Error::io_on(path))?;
    String::from_utf8(bytes).map_err(|e| {
        let (at, bytes) = (e.utf8_error().valid_up_to(), e.as_bytes());
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        let start = bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let (from, byte) = (at + 1, at - start + 1);
        let said = format!(
            "not UTF-8 from byte {from} of the file on (byte {byte} of line {line}: 0x{:02x})",
            bytes[at]
        );
        let fix = "save the file as UTF-8 (Rust sources and the suite's files are UTF-8), or replace that character";
        Error::Tree(vec![Problem::said(Check::Load, slashed(path), said).at(line).edit(fix)])
    })
}
