//! A [`Report`](crate::check::report::Report) in words, for a [`terminal`]
//! and on GitHub Actions ([`github`]). Emitters only make text.

pub mod github;
pub mod terminal;

use std::path::PathBuf;
use std::process::Command;

/// Where the report is being read, as the environment says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reader {
    /// A terminal or a log: the terminal's words only.
    Terminal,
    /// A GitHub Actions step (`GITHUB_ACTIONS=true`): also annotations, and
    /// the job summary for this file, if named (`GITHUB_STEP_SUMMARY`).
    GitHubActions {
        /// Where the job's summary goes.
        step_summary: Option<PathBuf>,
    },
}

impl Reader {
    /// The reader this process's environment names.
    pub fn from_env() -> Reader {
        if std::env::var("GITHUB_ACTIONS").as_deref() != Ok("true") {
            return Reader::Terminal;
        }
        let step_summary = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty());
        let step_summary = step_summary.map(Into::into);
        Reader::GitHubActions { step_summary }
    }
}

/// Remove GitHub's variables from a command the suite starts itself, so
/// that nothing is annotated twice.
pub fn not_for_github(cmd: &mut Command) -> &mut Command {
    cmd.env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
}
