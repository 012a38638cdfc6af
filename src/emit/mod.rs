//! Status emitters: one [`Report`](crate::check::report::Report), rendered
//! for whoever reads it. The terminal's words are always printed
//! ([`terminal`]); on GitHub Actions the same problems also become
//! annotations on their lines, grouped by section, and a Markdown summary
//! of the job ([`github`]). The report itself is the JSON. Emitters only
//! make text: writing it is the caller's.
//!
//! Only the process a user or a workflow started speaks to GitHub: runs the
//! suite starts itself are given an environment without GitHub's variables
//! ([`not_for_github`]), so nothing is annotated twice.

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
        match std::env::var("GITHUB_ACTIONS").as_deref() {
            Ok("true") => Reader::GitHubActions {
                step_summary: std::env::var_os("GITHUB_STEP_SUMMARY")
                    .filter(|p| !p.is_empty())
                    .map(Into::into),
            },
            _ => Reader::Terminal,
        }
    }
}

/// Remove GitHub's variables from a command the suite starts itself.
pub fn not_for_github(cmd: &mut Command) -> &mut Command {
    cmd.env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
}
