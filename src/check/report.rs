//! The record of one run on one compiler, per fixture and per batch;
//! `cargo xtask` reads it as JSON.

use crate::error::{Error, Result};
use crate::model::expect::Kind;
use crate::model::fixture::Fixture;
use crate::model::header::Expect;
use crate::names::Version;
use crate::observe::BatchStatus;
use crate::problem::Problem;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// One fixture's part of the run.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FixtureReport {
    /// `ui/…/name.rs`.
    pub path: String,
    /// Its id, or its short id when it does not load.
    pub id: String,
    /// The error codes it must fail with; empty when it runs.
    pub codes: Vec<String>,
    /// Whether it is meant to be still running at its time limit (`expect: hang`).
    #[serde(default)]
    pub hangs: bool,
    /// Whether it loaded (else its problems say why not).
    pub loads: bool,
    /// Whether its compile (and run) were observed (else its problems say why).
    pub observed: bool,
    /// Everything found wrong; empty when it passed.
    pub problems: Vec<Problem>,
    /// The text each expectation should hold on this compiler, as observed.
    pub actual: Vec<(Kind, String)>,
    /// How many times rustc compiled it in this run.
    pub compiles: usize,
}

impl FixtureReport {
    /// A fixture's part before it is observed, or why it does not load.
    pub(crate) fn of(f: &Fixture) -> FixtureReport {
        let mut r = FixtureReport::default();
        (r.path, r.id) = (f.display_path(), f.short_id().to_string());
        match &f.listing {
            Err(problems) => r.problems = problems.clone(),
            Ok(l) => {
                (r.id, r.loads) = (l.header.listing.clone(), true);
                if let Expect::CompileFail(codes) = &l.header.expect {
                    r.codes = codes.clone();
                }
                r.hangs = l.header.expect.hangs();
            }
        }
        r
    }

    /// The observed text of `kind`.
    pub fn actual(&self, kind: Kind) -> Option<&str> {
        let (_, text) = self.actual.iter().find(|(k, _)| *k == kind)?;
        Some(text)
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
    /// `rustc -vV`'s release (`1.95.0`).
    pub release: String,
    /// Major and minor.
    pub version: Version,
    /// Per fixture, in reading order.
    pub fixtures: Vec<FixtureReport>,
    /// The compile-fail batch: how many fixtures, how it ended.
    pub compile_fail: (usize, BatchStatus),
    /// The pass batches together.
    pub pass: (usize, BatchStatus),
    /// Whether the diagnostics text was written rather than compared.
    pub observed_only: bool,
    /// trybuild's reports of the batches that failed.
    pub logs: Vec<PathBuf>,
    /// Whether this compiler's version is in the record.
    pub blessed: bool,
    /// The record, for the notice of what was skipped.
    pub record: Vec<Version>,
    /// Fixtures not selected.
    pub filtered_out: usize,
    /// std's sources were hidden from the compiler (rust-src is installed).
    pub rust_src_hidden: bool,
    /// The name of this run, as the observer's records give it.
    pub run_id: String,
    /// Problems of the tree as a whole: they fail the run, but no fixture.
    pub tree: Vec<Problem>,
}

impl Report {
    /// Write as JSON to `path`, atomically.
    pub fn write(&self, path: &Path) -> Result<()> {
        let why = |e| Error::Internal(format!("the report does not serialise: {e}"));
        let text = serde_json::to_string(self).map_err(why)?;
        crate::host::write_atomic(path, &text).map_err(Error::io_on(path))
    }

    /// Read a report [`Report::write`] wrote.
    pub fn read(path: &Path) -> Result<Report> {
        let text = std::fs::read_to_string(path).map_err(Error::io_on(path))?;
        serde_json::from_str(&text).map_err(|e| {
            let why = format!("not a report of this version of the suite ({e})");
            Error::Internal(format!("{}: {why}; run the command again", path.display()))
        })
    }

    /// Fixtures with problems, failed batches, and the tree if it has problems.
    pub fn failed(&self) -> usize {
        let fixtures = self.fixtures.iter().filter(|f| !f.problems.is_empty());
        let batches = [self.compile_fail.1, self.pass.1];
        let batches = batches.iter().filter(|b| **b == BatchStatus::Failed);
        fixtures.count() + batches.count() + usize::from(!self.tree.is_empty())
    }

    /// Fixtures and batches that passed.
    pub fn passed(&self) -> usize {
        let batches = [self.compile_fail.1, self.pass.1];
        let batches = batches.iter().filter(|b| **b != BatchStatus::None);
        let failed = self.failed() - usize::from(!self.tree.is_empty());
        (self.fixtures.len() + batches.count()).saturating_sub(failed)
    }

    /// The fixture at `path`.
    pub(crate) fn fixture(&self, path: &str) -> Option<&FixtureReport> {
        self.fixtures.iter().find(|f| f.path == path)
    }

    /// The problems of the fixture at `path`, if it was observed.
    pub fn problems(&self, path: &str) -> Option<&[Problem]> {
        let f = self.fixture(path).filter(|f| f.observed)?;
        Some(&f.problems)
    }

    /// How many times rustc compiled each observed fixture, in reading order.
    pub fn compiles(&self) -> Vec<(&str, usize)> {
        let observed = self.fixtures.iter().filter(|f| f.observed);
        observed.map(|f| (f.path.as_str(), f.compiles)).collect()
    }
}
