//! One run of the suite on one compiler, behind `tests/ui.rs` and the fault
//! tests: the locks, the tree read, [`crate::observe`], then [`crate::check`],
//! giving one [`Report`].

use crate::bless::journal::{self, Pending};
use crate::check;
use crate::check::report::{FixtureReport, Report};
use crate::error::{Error, Result};
use crate::host::fingerprint::Fingerprint;
use crate::model::suite::Suite;
use crate::observe::stage::{self, Hold, Workdirs};
use crate::observe::{self, Driver, Options};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;

/// Run the suite: load it, observe the selected fixtures, check each.
pub fn run(opts: &Options, driver: &dyn Driver) -> Result<Report> {
    let dirs = Workdirs::within(opts.crate_dir, opts.root, &opts.rustc.key())?;
    // A bless's own runs read the tree it holds; any other run waits for it.
    let reads = (!opts.collect).then(|| stage::hold_tree(opts.root, Hold::Read));
    let _tree = reads.transpose()?;
    let _only_run = dirs.lock()?;
    // Only now is the tree read: a run that waited judges what it finds.
    if journal::pending(opts.root) == Pending::Committed {
        return Err(journal::unfinished(opts.root));
    }
    let suite = Suite::load(opts.root)?;
    let rustc = opts.rustc;
    let blessed = suite.is_blessed(rustc.version);
    let before = Fingerprint::take(opts.crate_dir, opts.root);
    let observed = observe::observe(&suite, opts, driver, dirs)?;
    let files = before.changes(&Fingerprint::take(opts.crate_dir, opts.root));
    if !files.is_empty() {
        let ran = observed
            .fixtures
            .iter()
            .filter(|o| matches!(&o.outcome, Ok(o) if o.run.is_some()));
        let ran = ran.map(|o| o.fixture.0.display_path()).collect();
        return Err(Error::Changed { files, ran });
    }
    let exact = (blessed || opts.collect).then_some(rustc.version);
    let label = rustc.label();
    let compiler = (rustc.version, label.as_str());
    let checked = |o| check::check(&suite, o, exact, compiler);
    let mut fixtures: Vec<FixtureReport> = observed.fixtures.iter().map(checked).collect();
    // A fixture that does not load fails with its problems; nothing waits for it.
    let broken = suite.select(opts.filters).filter(|f| f.listing.is_err());
    fixtures.extend(broken.map(FixtureReport::of));
    Ok(Report {
        label,
        release: rustc.release.clone(),
        version: rustc.version,
        filtered_out: suite.fixtures.len() - fixtures.len(),
        fixtures,
        compile_fail: observed.compile_fail,
        pass: observed.pass,
        observed_only: observed.observed_only,
        logs: observed.logs,
        blessed,
        record: suite.record.clone(),
        rust_src_hidden: observed.rust_src_hidden,
        run_id: observed.run_id,
        tree: suite.problems.clone(),
    })
}

/// The report shared by the processes of the `cargo nextest` run `run`: the first
/// makes it (`first`), keyed by all a verdict depends on (`ui/`, the compiler,
/// `programs`); the others wait for it (a file lock) and read it.
pub fn shared(
    opts: &Options,
    run: &str,
    programs: &[PathBuf],
    first: impl FnOnce() -> Result<Report>,
) -> Result<Report> {
    let dirs = Workdirs::within(opts.crate_dir, opts.root, &opts.rustc.key())?;
    let dir = dirs.report().with_file_name("nextest");
    // Waiting here is the rule (for the first process), not worth a word.
    let _lock = stage::lock_file(&dir.join("lock"), false, None)?;
    let mut h = std::hash::DefaultHasher::new();
    (run, opts.root, opts.rustc.key()).hash(&mut h);
    for meta in programs.iter().map(std::fs::metadata) {
        meta.ok().map(|m| (m.len(), m.modified().ok())).hash(&mut h);
    }
    // Every file under `ui/` (and the crate's sources), as a run checks them.
    Fingerprint::take(opts.crate_dir, opts.root).hash(&mut h);
    let path = dir.join(format!("{:016x}.json", h.finish()));
    if let Ok(report) = Report::read(&path) {
        return Ok(report);
    }
    let report = first()?;
    for old in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        if old.path().extension().is_some_and(|e| e == "json") {
            let _ = std::fs::remove_file(old.path());
        }
    }
    report.write(&path)?;
    Ok(report)
}
