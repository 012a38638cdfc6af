//! What can go wrong in a `cargo xtask` command, typed up to `main`.

use std::fmt;

/// A command's failure.
#[derive(Debug)]
pub enum Error {
    /// From the suite's library.
    Suite(ch16_ui::error::Error),
    /// What was asked cannot be done as asked; the message says what to ask.
    Request(String),
    /// A step that did not finish: a toolchain's run (which, how it ended,
    /// the last lines of its log) or one of the benchmark's.
    Failed(String),
    /// Runs that cannot be trusted, a line each; nothing was changed.
    Untrusted(Vec<String>),
}

/// Shorthand for the xtask's results.
pub type Result<T> = std::result::Result<T, Error>;

/// A request that cannot be done as asked: the message says what to ask.
pub fn request<T>(message: String) -> Result<T> {
    Err(Error::Request(message))
}

impl Error {
    /// For `map_err`: a failed step, as its error says.
    pub fn failed(e: impl fmt::Display) -> Error {
        Error::Failed(e.to_string())
    }
}

impl From<ch16_ui::error::Error> for Error {
    fn from(e: ch16_ui::error::Error) -> Self {
        Error::Suite(e)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Error::Suite(e) => write!(f, "{e}"),
            Error::Request(message) | Error::Failed(message) => f.write_str(message),
            Error::Untrusted(runs) => write!(f, "{}\n  nothing was changed", runs.join("\n")),
        }
    }
}
