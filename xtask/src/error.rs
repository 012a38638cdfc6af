//! What can go wrong in a `cargo xtask` command: typed up to `main`, which
//! prints it.

use std::fmt;

/// A command's failure.
#[derive(Debug)]
pub enum Error {
    /// From the suite's library.
    Suite(ch16_ui::error::Error),
    /// What was asked cannot be done as asked; the message says what to ask.
    Request(String),
    /// A toolchain's run of the suite did not finish: which, how it ended,
    /// and the last lines of its log.
    Run(String),
    /// Runs that cannot be trusted, a line each; nothing was changed.
    Untrusted(Vec<String>),
    /// A step of the benchmark failed.
    Bench(String),
}

/// Shorthand for the xtask's results.
pub type Result<T> = std::result::Result<T, Error>;

/// A request that cannot be done as asked: the message says what to ask.
pub fn request<T>(message: String) -> Result<T> {
    Err(Error::Request(message))
}

impl Error {
    /// For `map_err` in the benchmark: a failed step, as its error says.
    pub fn bench(e: impl fmt::Display) -> Error {
        Error::Bench(e.to_string())
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
            Error::Request(message) | Error::Run(message) | Error::Bench(message) => {
                f.write_str(message)
            }
            Error::Untrusted(runs) => write!(f, "{}\n  nothing was changed", runs.join("\n")),
        }
    }
}
