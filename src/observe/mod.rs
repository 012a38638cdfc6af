//! The observation boundary: everything the suite assumes about trybuild and
//! about the cargo hooks it watches trybuild's cargo through, and nothing else.
//!
//! trybuild is the only thing that compiles and runs the fixtures. [`observe`]
//! stages them with the expectation for this compiler (`stage`), starts,
//! all at once, one trybuild batch for the compile-fail fixtures and a few
//! shards for the runnable ones (`schedule`), each in its own target
//! directory, and gives every batch's cargo the [`observer`] as rustc wrapper
//! and runner (`cargo`). The observer records what each compile and run
//! said ([`record`]); trybuild's own report gives its verdict on the
//! diagnostics text (`log`). What comes out is one [`Observation`] per
//! fixture: outside this module, code speaks of observations and never of
//! trybuild's layout, names or flags.
//!
//! The facts a fake of trybuild needs to stand in for it (how it names the
//! fixtures' crates, how it is told to write what it sees) are constants
//! here, so the tests' fake imports them instead of restating them.

pub(crate) mod cargo;
pub(crate) mod log;
pub mod observer;
pub mod record;
pub(crate) mod schedule;
pub(crate) mod stage;

pub use record::{Execution, Exit, Outcome, Records};
pub use stage::Workdirs;

use crate::error::Error;
use crate::host::sysroot;
use crate::host::toolchain::Rustc;
use crate::model::expect::{self, Kind};
use crate::{Fixture, Suite};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The checker of the diagnostics text, by name, for messages.
pub const CHECKER: &str = "trybuild";

/// The version of trybuild the suite is built and tested with
/// (`Cargo.toml` pins it): the observer relies on how it drives cargo.
pub const TRYBUILD_VERSION: &str = "1.0.122";

/// trybuild names the crate of the n-th fixture of a batch `trybuild{n:03}`,
/// and its program the same: this prefix and the number.
pub const CRATE_PREFIX: &str = "trybuild";

/// The environment variable, and its value, that make trybuild write the
/// diagnostics it sees into the staged `.stderr` instead of comparing them.
pub const OVERWRITE: (&str, &str) = ("TRYBUILD", "overwrite");

/// The name trybuild gives the crate (and program) of a batch's `n`-th
/// fixture.
pub fn crate_name(n: usize) -> String {
    format!("{CRATE_PREFIX}{n:03}")
}

/// How the batches of one kind ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BatchStatus {
    /// Nothing to run.
    None,
    /// trybuild reported success.
    Ok,
    /// trybuild reported a failure.
    Failed,
}

/// What staged compile-fail fixtures are given when no expectation applies
/// to a blessed compiler: trybuild then reports the fixture, which also fails
/// the suite's own expectation check.
const NO_EXPECTATION: &str = "(no expectation for this compiler: run `cargo xtask bless`)\n";

/// What to run.
pub struct Options<'a> {
    /// Suite root (holding `ui/`).
    pub root: &'a Path,
    /// The crate trybuild builds in; the suite root or a directory above it.
    pub crate_dir: &'a Path,
    /// The compiler in use.
    pub rustc: &'a Rustc,
    /// Path or id substrings; empty for all.
    pub filters: &'a [String],
    /// Collect: trybuild writes the diagnostics it sees for compile-fail
    /// fixtures (into the report, for bless) instead of comparing them with
    /// `.stderr`.
    pub collect: bool,
    /// The observer program (`ch16-ui-observer`).
    pub observer: &'a Path,
    /// Told `(done, total)` as fixtures finish.
    pub progress: Option<&'a (dyn Fn(usize, usize) + Sync)>,
}

/// One trybuild batch: fixtures of one kind, given to one trybuild in its
/// own target directory.
pub struct Batch {
    /// Runnable fixtures (trybuild's `pass`), or compile-fail ones.
    pub pass: bool,
    /// Staged paths, relative to the crate; trybuild names the n-th one's
    /// crate and program [`crate_name`]`(n)`.
    pub paths: Vec<String>,
    /// Its target directory (also `CARGO_TARGET_DIR` in `env`).
    pub target: PathBuf,
    /// The environment trybuild and its cargo must run with.
    pub env: Vec<(String, OsString)>,
    /// Where trybuild's own report goes.
    pub log: PathBuf,
}

/// trybuild, as the boundary drives it: passed in, since only the test
/// harness depends on trybuild.
pub trait Driver: Sync {
    /// Start `batch`; the work goes on in the background until waited for.
    fn start(&self, batch: &Batch) -> Box<dyn Running>;
}

/// A batch under way.
pub trait Running: Send {
    /// Wait for it to finish: whether trybuild passed.
    fn wait(self: Box<Self>) -> bool;
}

/// What one compiler did with one fixture, as far as the suite saw it.
pub struct Observation<'a> {
    /// The fixture.
    pub fixture: &'a Fixture,
    /// Its compiles and its run, from the observer's records, or why they
    /// are not known (never staged, never reached, not recorded). Paths in
    /// its run output are the fixture's own (`ui/…`), not the staged copy's.
    pub outcome: crate::Result<Outcome>,
    /// trybuild's verdict on its diagnostics text, when trybuild compared
    /// it with the expectation and said something other than `ok`.
    pub text: Option<TextVerdict>,
    /// When collecting, for a compile-fail fixture: the diagnostics text
    /// trybuild wrote, or `None` when it wrote none (it never reached it).
    pub written: Option<Option<String>>,
    /// trybuild's report of the batch that held it.
    pub log: Option<PathBuf>,
}

/// trybuild's verdict on one fixture's diagnostics text.
pub struct TextVerdict {
    /// Its word for it (`mismatch`, `error`, …).
    pub status: String,
    /// The expected and the actual text, when it printed both, with the
    /// fixture's own paths.
    pub texts: Option<(String, String)>,
    /// trybuild's report of the batch, which says more.
    pub log: Option<PathBuf>,
}

/// One run of one compiler on the selected fixtures.
pub struct Observed<'a> {
    /// Every selected fixture, in reading order.
    pub fixtures: Vec<Observation<'a>>,
    /// How many compile-fail fixtures trybuild was given, and how it ended.
    pub compile_fail: (usize, BatchStatus),
    /// How many runnable fixtures, and how their batches ended.
    pub pass: (usize, BatchStatus),
    /// The reports of batches that failed.
    pub logs: Vec<PathBuf>,
    /// Whether the diagnostics text was collected rather than compared:
    /// collecting, or a compiler no expectation is blessed for.
    pub observed_only: bool,
    /// Whether the fixtures were compiled against a sysroot without std's
    /// sources (rust-src is installed).
    pub rust_src_hidden: bool,
    /// This run's name, which no other run shares.
    pub run_id: String,
}

/// Stage the selected fixtures of `suite`, run trybuild's batches through
/// `driver`, and read what each compile and run said.
pub fn observe<'a>(
    suite: &'a Suite,
    opts: &Options,
    driver: &dyn Driver,
) -> crate::Result<Observed<'a>> {
    let rustc = opts.rustc;
    let dirs = Workdirs::within(opts.crate_dir, opts.root, &rustc.key())?;
    let _only_run = dirs.lock()?;
    let blessed = suite.is_blessed(rustc.version);
    let selected: Vec<&Fixture> = suite.filtered(opts.filters).collect();
    let shadow = hide_rust_src(rustc, &dirs)?;
    // With nothing to compare (bless, or a compiler never blessed),
    // compile-fail fixtures are staged without a `.stderr`, and trybuild
    // writes what it sees: a `.stderr` still missing afterwards means
    // trybuild never reached the fixture.
    let observed_only = opts.collect || !blessed;
    let staged = stage_all(opts.root, &dirs, &selected, rustc, observed_only);
    let run_id = run_id();
    let batches = batches(
        opts,
        &dirs,
        staged.compile_fail,
        staged.runnable,
        &run_id,
        shadow.as_deref(),
        observed_only,
    )?;

    let passed = wait_all(opts, driver, &batches, &run_id);
    if passed.contains(&false) {
        // A compiler that broke or went away mid-run fails the run as such,
        // not its fixtures.
        crate::host::toolchain::still_there(rustc)?;
    }

    let verdicts: Vec<log::Verdict> = batches
        .iter()
        .filter(|(b, _)| !b.pass)
        .flat_map(|(b, _)| log::verdicts(&std::fs::read_to_string(&b.log).unwrap_or_default()))
        .collect();
    let mut unstaged = staged.unstaged;
    let mut fixtures = Vec::new();
    let mut ran: Vec<(String, Duration)> = Vec::new();
    for &f in &selected {
        let found = batches.iter().find_map(|(b, members)| {
            let n = members.iter().position(|m| std::ptr::eq(*m, f))?;
            Some((b, n))
        });
        let mut outcome = match found {
            Some((batch, n)) => outcome_of(opts, batch, n, &run_id, f),
            None => Err(unstaged
                .iter()
                .position(|(u, _)| std::ptr::eq(*u, f))
                .map(|i| unstaged.swap_remove(i).1)
                .expect("a selected fixture is staged or not")),
        };
        if let Ok(Outcome { run: Some(run), .. }) = &mut outcome {
            ran.push((f.display_path(), run.elapsed));
            run.stdout = dirs.from_staged(f, &run.stdout);
            run.stderr = dirs.from_staged(f, &run.stderr);
        }
        let compile_fail = f.header.expect.is_compile_fail();
        let written = (observed_only && compile_fail).then(|| {
            std::fs::read_to_string(dirs.staged_stderr(f))
                .ok()
                .map(|text| dirs.from_staged(f, &text))
        });
        let text = found
            .filter(|_| !observed_only)
            .and_then(|(batch, n)| verdicts.iter().find(|v| v.path == batch.paths[n]))
            .filter(|v| v.status != "ok")
            .map(|v| TextVerdict {
                status: v.status.clone(),
                texts: v
                    .expected
                    .as_ref()
                    .zip(v.actual.as_ref())
                    .map(|(e, a)| (dirs.from_staged(f, e), dirs.from_staged(f, a))),
                log: found.map(|(b, _)| b.log.clone()),
            });
        fixtures.push(Observation {
            fixture: f,
            outcome,
            text,
            written,
            log: found.map(|(b, _)| b.log.clone()),
        });
    }
    schedule::save(&dirs.durations(), &ran);

    Ok(Observed {
        fixtures,
        compile_fail: batch_status(&batches, &passed, false),
        pass: batch_status(&batches, &passed, true),
        logs: batches
            .iter()
            .zip(&passed)
            .filter(|(_, ok)| !**ok)
            .map(|((b, _), _)| b.log.clone())
            .collect(),
        observed_only,
        rust_src_hidden: shadow.is_some(),
        run_id,
    })
}

/// Where rust-src is installed, a sysroot without std's sources, for
/// fixtures to be compiled against (so diagnostics do not quote them).
fn hide_rust_src(rustc: &Rustc, dirs: &Workdirs) -> crate::Result<Option<PathBuf>> {
    if rustc.rust_src().is_none() {
        return Ok(None);
    }
    let shadow = dirs.shadow_sysroot();
    sysroot::without_sources(Path::new(&rustc.sysroot), &shadow).map_err(|e| Error::Toolchain {
        toolchain: rustc.source.name(),
        problem: format!("rust-src is installed and its sources could not be hidden: {e}"),
    })?;
    Ok(Some(shadow))
}

/// The selected fixtures, staged for trybuild.
struct Staged<'a> {
    /// Compile-fail fixtures and their staged paths.
    compile_fail: Vec<(&'a Fixture, String)>,
    /// Runnable fixtures and their staged paths.
    runnable: Vec<(&'a Fixture, String)>,
    /// Fixtures that could not be staged, and why.
    unstaged: Vec<(&'a Fixture, Error)>,
}

/// Stage every selected fixture; a compile-fail one with the expectation
/// for this compiler unless `observed_only`.
fn stage_all<'a>(
    root: &Path,
    dirs: &Workdirs,
    selected: &[&'a Fixture],
    rustc: &Rustc,
    observed_only: bool,
) -> Staged<'a> {
    let mut staged = Staged {
        compile_fail: Vec::new(),
        runnable: Vec::new(),
        unstaged: Vec::new(),
    };
    for &f in selected {
        let compile_fail = f.header.expect.is_compile_fail();
        let expected = if compile_fail && !observed_only {
            match f.expectation(Kind::Stderr, rustc.version) {
                Some(file) => expect::read(root, &file.path).map(Some),
                None => Ok(Some(NO_EXPECTATION.to_string())),
            }
        } else {
            Ok(None)
        };
        match expected.and_then(|text| dirs.stage(f, text.as_deref())) {
            Ok(path) if compile_fail => staged.compile_fail.push((f, path)),
            Ok(path) => staged.runnable.push((f, path)),
            Err(e) => staged.unstaged.push((f, e)),
        }
    }
    staged
}

/// The batches to run: one for the compile-fail fixtures, and the runnable
/// ones shared among shards by how long each ran last time (their programs
/// run one after another within a batch).
fn batches<'a>(
    opts: &Options,
    dirs: &Workdirs,
    compile_fail: Vec<(&'a Fixture, String)>,
    runnable: Vec<(&'a Fixture, String)>,
    run_id: &str,
    shadow: Option<&Path>,
    observed_only: bool,
) -> crate::Result<Vec<(Batch, Vec<&'a Fixture>)>> {
    let last_runs = schedule::load(&dirs.durations());
    let with_last_run: Vec<((&Fixture, String), Option<Duration>)> = runnable
        .into_iter()
        .map(|(f, s)| {
            let last = last_runs.get(&f.display_path()).copied();
            ((f, s), last)
        })
        .collect();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let planned = schedule::plan(&with_last_run, schedule::shard_limit(&with_last_run, cores));
    let ready = dirs.seed_pass_targets(planned.len());
    let shards = if ready < planned.len() {
        schedule::plan(&with_last_run, ready)
    } else {
        planned
    };
    let groups = std::iter::once((false, dirs.compile_fail_target(), compile_fail)).chain(
        shards
            .into_iter()
            .enumerate()
            .map(|(n, s)| (true, dirs.pass_target(n), s)),
    );
    let mut batches = Vec::new();
    for (pass, target, members) in groups {
        if members.is_empty() {
            continue;
        }
        let overwrite = !pass && observed_only;
        let env = cargo::env(opts, &target, run_id, shadow, overwrite)?;
        Records::of(&target).clear_events();
        let (fixtures, paths): (Vec<&Fixture>, Vec<String>) = members.into_iter().unzip();
        let log = target.with_extension("log");
        batches.push((
            Batch {
                pass,
                paths,
                target,
                env,
                log,
            },
            fixtures,
        ));
    }
    Ok(batches)
}

/// How the batches of one kind ended, and how many fixtures they held.
fn batch_status(
    batches: &[(Batch, Vec<&Fixture>)],
    passed: &[bool],
    pass: bool,
) -> (usize, BatchStatus) {
    let mine: Vec<(&Batch, bool)> = batches
        .iter()
        .zip(passed)
        .filter(|((b, _), _)| b.pass == pass)
        .map(|((b, _), ok)| (b, *ok))
        .collect();
    let count = mine.iter().map(|(b, _)| b.paths.len()).sum();
    let status = match () {
        _ if mine.is_empty() => BatchStatus::None,
        _ if mine.iter().all(|(_, ok)| *ok) => BatchStatus::Ok,
        _ => BatchStatus::Failed,
    };
    (count, status)
}

/// A name for this run that no other run shares.
fn run_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{}-{nanos}", std::process::id())
}

/// Start every batch, and wait for all of them, telling `opts.progress`
/// how many fixtures are done as they finish.
fn wait_all(
    opts: &Options,
    driver: &dyn Driver,
    batches: &[(Batch, Vec<&Fixture>)],
    run: &str,
) -> Vec<bool> {
    let total: usize = batches.iter().map(|(b, _)| b.paths.len()).sum();
    let done = || -> usize {
        batches
            .iter()
            .map(|(b, _)| {
                let mut finished =
                    Records::of(&b.target).events(run, if b.pass { "run" } else { "compile" });
                finished.sort();
                finished.dedup();
                finished.len()
            })
            .sum()
    };
    std::thread::scope(|s| {
        let handles: Vec<_> = batches
            .iter()
            .map(|(b, _)| {
                let running = driver.start(b);
                s.spawn(move || running.wait())
            })
            .collect();
        if let Some(progress) = opts.progress {
            // From zero, each new count once, and the end: in order, however
            // fast the batches are.
            progress(0, total);
            let mut shown = 0;
            while !handles.iter().all(|h| h.is_finished()) {
                let now = done().min(total);
                if now != shown {
                    progress(now, total);
                    shown = now;
                }
                std::thread::sleep(Duration::from_millis(250));
            }
            if shown != total {
                progress(total, total);
            }
        }
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(false))
            .collect()
    })
}

/// What the records of `batch` say about its `n`-th fixture `f`.
fn outcome_of(
    opts: &Options,
    batch: &Batch,
    n: usize,
    run: &str,
    f: &Fixture,
) -> crate::Result<Outcome> {
    let source = opts.crate_dir.join(&batch.paths[n]);
    Records::of(&batch.target)
        .outcome(run, &crate_name(n), &source, !f.header.expect.is_compile_fail())
        .map_err(|what| {
            Error::fixture(
                &f.path,
                None,
                format!("not observed: {what}"),
                format!(
                    "see trybuild's report in {}; if trybuild is not {TRYBUILD_VERSION}, the observer may no longer \
                     see how it drives cargo (the hardening tests say more)",
                    batch.log.display()
                ),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::TRYBUILD_VERSION;

    /// The observer relies on how one trybuild drives cargo: the manifest
    /// pins it, and the lock file holds it.
    #[test]
    fn trybuild_is_pinned_and_fixture_crates_are_dev_dependencies() {
        let root = crate::host::checkout::crate_dir().unwrap();
        let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
        assert!(
            manifest.contains(&format!("trybuild = \"={TRYBUILD_VERSION}\"")),
            "Cargo.toml must pin trybuild = \"={TRYBUILD_VERSION}\""
        );
        // The crates fixtures may use must reach trybuild's project, which
        // has the suite's dev-dependencies.
        let dev = manifest
            .split("[dev-dependencies]")
            .nth(1)
            .unwrap_or_default();
        let dev = dev.split("\n[").next().unwrap_or_default();
        for krate in crate::model::fixture::FIXTURE_CRATES {
            assert!(
                dev.lines().any(|l| l.starts_with(&format!("{krate} ="))),
                "{krate} is not a dev-dependency in Cargo.toml"
            );
        }
        let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
        assert!(
            lock.contains(&format!(
                "name = \"trybuild\"\nversion = \"{TRYBUILD_VERSION}\""
            )),
            "Cargo.lock must hold trybuild {TRYBUILD_VERSION}"
        );
    }
}
