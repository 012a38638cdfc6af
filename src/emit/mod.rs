//! Status emitters: one [`Report`], rendered for whoever reads it. The
//! terminal's summary is always printed ([`terminal`]); on GitHub Actions
//! the same problems also become annotations on the fixture's or the
//! expectation's line, grouped by section, and a Markdown summary of the
//! job ([`github`]).
//!
//! Only the process a user or a workflow started emits for GitHub: runs it
//! starts itself (the xtask's collecting runs, the fault tests' children)
//! are given an environment without GitHub's variables ([`not_for_github`]),
//! so nothing is annotated twice and no child writes the job's summary.

pub mod github;
pub mod terminal;

use crate::check::report::Report;
use std::process::Command;

/// The environment variables by which GitHub Actions tells a step that it
/// runs there, and where the job's Markdown summary goes.
pub const GITHUB_VARIABLES: [&str; 2] = ["GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"];

/// Where the report is being read, as the environment says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reader {
    /// A terminal or a log: the summary only.
    Terminal,
    /// A GitHub Actions step (`GITHUB_ACTIONS=true`): the summary, the
    /// annotations, and the job summary appended to this file, if named.
    GitHubActions {
        /// `GITHUB_STEP_SUMMARY`.
        step_summary: Option<std::path::PathBuf>,
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

/// Append `markdown` to the job summary `file`; an error is a warning
/// line for the log (it changes no verdict).
pub fn append_step_summary(file: &std::path::Path, markdown: &str) -> Option<String> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .and_then(|mut f| std::io::Write::write_all(&mut f, markdown.as_bytes()))
        .err()
        .map(|e| {
            format!(
                "::warning::could not append the job summary to {}: {e}\n",
                file.display()
            )
        })
}

/// Render `report` for `reader`: what goes to stdout, and for GitHub the
/// job summary appended to its file (an error writing it is printed as a
/// warning, and changes no verdict). For the terminal, the run's
/// [`terminal::overview`]: each fixture's verdict is the test harness's to
/// print, with [`terminal::failure`]. `toolchain_hint` names the toolchain
/// in the commands it suggests.
pub fn emit(report: &Report, reader: &Reader, toolchain_hint: Option<&str>) -> String {
    let mut out = terminal::overview(report, toolchain_hint);
    if let Reader::GitHubActions { step_summary } = reader {
        out.push_str(&github::annotations(report));
        if let Some(warning) = step_summary
            .as_deref()
            .and_then(|file| append_step_summary(file, &github::step_summary(report)))
        {
            out.push_str(&warning);
        }
    }
    out
}

/// Remove GitHub's variables from a command the suite starts itself, so
/// that only the top-level process emits for GitHub.
pub fn not_for_github(cmd: &mut Command) -> &mut Command {
    for var in GITHUB_VARIABLES {
        cmd.env_remove(var);
    }
    cmd
}
