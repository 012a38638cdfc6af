//! The record of one run of the suite on one compiler: per fixture, what
//! was observed and what the checks found, and how trybuild's batches ended.
//!
//! The harness returns it; `tests/ui.rs` judges and prints it, or, when
//! `cargo xtask bless/check` runs the suite, writes it as JSON into
//! `target/ui/<compiler>/report.json` for the xtask to read back. One type
//! on both ends of that pipe, so nothing is rendered into strings and parsed
//! again.

use crate::check::problem::Problem;
use crate::error::{Error, Result};
use crate::model::expect::{Kind, Version};
pub use crate::observe::BatchStatus;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// One fixture's part of the run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FixtureReport {
    /// `ui/…/name.rs`.
    pub path: String,
    /// Listing id and expected outcome, for the summary.
    pub describe: String,
    /// Compile-fail (`.stderr`) or runnable (`.stdout`).
    pub compile_fail: bool,
    /// Whether its compile (and run) were observed; when not, the problems
    /// say why.
    pub observed: bool,
    /// Everything the checks found wrong; empty when it passed.
    pub problems: Vec<Problem>,
    /// The text each expectation should hold on this compiler, as observed:
    /// trybuild's diagnostics for a compile-fail fixture (when trybuild
    /// wrote them rather than compared them), the canonical output (and
    /// stderr, if checked) for a runnable one.
    pub actual: Vec<(Kind, String)>,
    /// How many times rustc compiled it in this run.
    pub compiles: usize,
}

impl FixtureReport {
    /// The observed text of `kind`.
    pub fn actual(&self, kind: Kind) -> Option<&str> {
        self.actual
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, t)| t.as_str())
    }

    /// May expectations of `kinds` be written from this observation?
    pub fn blessable(&self, kinds: &[Kind]) -> bool {
        self.observed
            && kinds.iter().all(|k| self.actual(*k).is_some())
            && !self.problems.iter().any(|p| p.check.blocks_bless())
    }
}

/// Everything one run found.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Report {
    /// The compiler, as a human label.
    pub label: String,
    /// `rustc -vV` release (`1.95.0`).
    pub release: String,
    /// Major and minor.
    pub version: Version,
    /// Per fixture, in reading order.
    pub fixtures: Vec<FixtureReport>,
    /// trybuild's compile-fail batch: how many fixtures, how it ended.
    pub compile_fail: (usize, BatchStatus),
    /// trybuild's pass batches together: how many fixtures, how they ended.
    pub pass: (usize, BatchStatus),
    /// Whether trybuild wrote what it saw for compile-fail fixtures rather
    /// than compare it (for bless, or a compiler never blessed).
    pub observed_only: bool,
    /// trybuild's reports, one file per batch.
    pub logs: Vec<PathBuf>,
    /// Whether this compiler's version is in the record.
    pub blessed: bool,
    /// The record, for the skip notice.
    pub record: Vec<Version>,
    /// Fixtures not selected.
    pub filtered_out: usize,
    /// std's sources were hidden from the compiler (rust-src is installed).
    pub rust_src_hidden: bool,
    /// The name of this run, as the observer's records give it.
    pub run_id: String,
    /// Problems of the tree as a whole ([`crate::Suite::problems`]): they
    /// fail the run, but no one fixture.
    #[serde(default)]
    pub tree: Vec<Problem>,
}

impl Report {
    /// Write as JSON to `path`, atomically (the xtask reads it back).
    pub fn write(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string(self)
            .map_err(|e| Error::Internal(format!("the report does not serialise: {e}")))?;
        crate::host::fsutil::write_atomic(path, &text).map_err(|e| Error::io(path, e))
    }

    /// Read a report written by [`Report::write`].
    pub fn read(path: &Path) -> Result<Report> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        serde_json::from_str(&text).map_err(|e| {
            Error::Internal(format!(
                "{}: not a report of this version of the suite ({e}); run the command again",
                path.display()
            ))
        })
    }

    /// Fixtures with problems (in check mode) or not observed, failed batches.
    pub fn failed(&self) -> usize {
        let fixtures = self
            .fixtures
            .iter()
            .filter(|f| !f.problems.is_empty())
            .count();
        let batches = [self.compile_fail.1, self.pass.1]
            .iter()
            .filter(|b| **b == BatchStatus::Failed)
            .count();
        fixtures + batches + usize::from(!self.tree.is_empty())
    }

    /// Fixtures and batches that passed.
    pub fn passed(&self) -> usize {
        let ran = self.fixtures.len()
            + [self.compile_fail.1, self.pass.1]
                .iter()
                .filter(|b| **b != BatchStatus::None)
                .count();
        ran.saturating_sub(self.failed() - usize::from(!self.tree.is_empty()))
    }

    /// Checks skipped: the exact comparisons on an unrecorded compiler.
    pub fn ignored(&self) -> usize {
        usize::from(!self.blessed)
    }

    /// The problems of the fixture at `path`, if it was observed.
    pub fn problems(&self, path: &str) -> Option<&[Problem]> {
        self.fixtures
            .iter()
            .find(|f| f.path == path)
            .filter(|f| f.observed)
            .map(|f| f.problems.as_slice())
    }

    /// How many times rustc compiled each fixture in this run, in reading order.
    pub fn compiles(&self) -> Vec<(&str, usize)> {
        self.fixtures
            .iter()
            .filter(|f| f.observed)
            .map(|f| (f.path.as_str(), f.compiles))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::problem::Check;

    #[test]
    fn round_trip_through_json() {
        let path = std::env::temp_dir().join(format!("ch16-report-{}.json", std::process::id()));
        let r = Report {
            label: "rustc 1.95.0".into(),
            release: "1.95.0".into(),
            version: Version {
                major: 1,
                minor: 95,
            },
            fixtures: vec![FixtureReport {
                path: "ui/a/b.rs".into(),
                describe: "(b runs)".into(),
                compile_fail: false,
                observed: true,
                problems: vec![Problem {
                    check: Check::Annotations,
                    message: "two\nlines \\ here".into(),
                    at: Some(crate::check::problem::At {
                        file: "ui/a/b.rs".into(),
                        line: 12,
                    }),
                    fix: Some(crate::check::problem::Fix::Write(
                        crate::command::Bless::fixture("16-01"),
                    )),
                }],
                actual: vec![(Kind::Stdout, "x\ny\\n\n".into())],
                compiles: 1,
            }],
            compile_fail: (1, BatchStatus::Ok),
            pass: (2, BatchStatus::Failed),
            observed_only: true,
            logs: vec![PathBuf::from("target/ui/k/build.log")],
            blessed: true,
            record: vec![Version {
                major: 1,
                minor: 95,
            }],
            filtered_out: 3,
            rust_src_hidden: false,
            run_id: "1-2".into(),
            tree: Vec::new(),
        };
        r.write(&path).unwrap();
        let back = Report::read(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        let (f, g) = (&r.fixtures[0], &back.fixtures[0]);
        assert_eq!(g.actual, f.actual);
        assert_eq!(g.problems[0].message, f.problems[0].message);
        assert_eq!(g.problems[0].check, Check::Annotations);
        assert_eq!(g.problems[0].at, f.problems[0].at);
        assert_eq!(g.problems[0].fix, f.problems[0].fix);
        assert_eq!(
            (back.version, back.pass, back.compile_fail),
            (r.version, (2, BatchStatus::Failed), (1, BatchStatus::Ok))
        );
        // An annotation problem forbids blessing; a stdout was observed.
        assert!(!g.blessable(&[Kind::Stdout]));
        assert_eq!(g.actual(Kind::Stdout), Some("x\ny\\n\n"));
    }

    #[test]
    fn a_report_of_another_shape_is_refused_with_the_fix() {
        let path =
            std::env::temp_dir().join(format!("ch16-report-bad-{}.json", std::process::id()));
        std::fs::write(&path, "release 1.95.0\n").unwrap();
        let e = Report::read(&path).unwrap_err().to_string();
        std::fs::remove_file(&path).unwrap();
        assert!(
            e.contains("not a report of this version") && e.contains("run the command again"),
            "{e}"
        );
    }
}
