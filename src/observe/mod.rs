//! The observation boundary: everything the suite assumes about trybuild
//! and the cargo hooks it watches trybuild's cargo through, and nothing else.
//!
//! trybuild is the only thing that compiles and runs the fixtures. [`observe`]
//! stages them with the expectation for this compiler ([`stage`]), starts,
//! all at once, one trybuild batch for the compile-fail fixtures and a few
//! shards for the runnable ones (`schedule`), each in its own target
//! directory, and gives every batch's cargo the [`observer`] as rustc
//! wrapper and runner. The observer records what each compile and run said
//! ([`record`]); trybuild's report gives its verdict on the diagnostics
//! text. What comes out is one [`Observation`] per fixture: outside this
//! module, code speaks of observations and never of trybuild's layout,
//! names or flags, which are all in [`trybuild`].

pub mod observer;
pub mod record;
mod schedule;
pub mod stage;
pub mod trybuild;

use crate::error::{Error, Result};
use crate::host::toolchain::Rustc;
use crate::model::expect::{self, Kind};
use crate::model::fixture::{Fixture, Listing};
use crate::model::suite::Suite;
use crate::problem::{Check, Problem};
use record::{Outcome, Records};
use stage::Workdirs;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;
use trybuild::TextVerdict;

/// What staged compile-fail fixtures are given when no expectation applies
/// to a blessed compiler: trybuild then reports the fixture, which the
/// suite's own expectation check names.
const NO_EXPECTATION: &str = "(no expectation for this compiler: run `cargo xtask bless`)\n";

/// What to run.
pub struct Options<'a> {
    /// The suite root (holding `ui/`).
    pub root: &'a Path,
    /// The crate trybuild builds in: the suite root or a directory above it.
    pub crate_dir: &'a Path,
    /// The compiler under test.
    pub rustc: &'a Rustc,
    /// Which fixtures ([`Suite::select`]); all when empty.
    pub filters: &'a [String],
    /// Collect: trybuild writes the diagnostics it sees (for bless) instead
    /// of comparing them.
    pub collect: bool,
    /// The observer program (`ch16-ui-observer`).
    pub observer: &'a Path,
    /// Told `(done, total)` as fixtures finish.
    pub progress: Option<&'a (dyn Fn(usize, usize) + Sync)>,
}

/// One trybuild batch: fixtures of one kind, for one trybuild in its own
/// target directory.
pub struct Batch {
    /// Runnable fixtures (trybuild's `pass`), or compile-fail ones.
    pub pass: bool,
    /// Staged paths, from the crate; the n-th one's crate is
    /// [`trybuild::crate_name`]`(n)`.
    pub paths: Vec<String>,
    /// Its target directory.
    pub target: PathBuf,
    /// The environment trybuild and its cargo run with.
    pub env: Vec<(String, OsString)>,
    /// Where trybuild's report goes.
    pub log: PathBuf,
}

/// trybuild as the boundary drives it: passed in, since only the test
/// programs depend on trybuild.
pub trait Driver: Sync {
    /// Start `batch`; the work goes on until waited for.
    fn start(&self, batch: &Batch) -> Box<dyn Running>;
}

/// A batch under way.
pub trait Running: Send {
    /// Wait for it to finish: whether trybuild passed.
    fn wait(self: Box<Self>) -> bool;
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

/// What one compiler did with one fixture, as far as the suite saw it: its
/// compiles and run (paths in its output the fixture's own), or why they
/// are not known; trybuild's verdict on its text when it compared it and
/// said something other than `ok`; when collecting, the text trybuild
/// wrote (`None`: it never reached the fixture); the batch's report.
pub(crate) struct Observation<'a> {
    pub(crate) fixture: (&'a Fixture, &'a Listing),
    pub(crate) outcome: Result<Outcome, Problem>,
    pub(crate) text: Option<TextVerdict>,
    pub(crate) written: Option<Option<String>>,
    pub(crate) log: Option<PathBuf>,
}

/// One run of one compiler on the selected fixtures that load: how many of
/// each kind trybuild was given and how its batches ended (and the reports
/// of those that failed), whether it wrote the text rather than compared
/// it, whether std's sources were hidden, and the run's name.
pub(crate) struct Observed<'a> {
    pub(crate) fixtures: Vec<Observation<'a>>,
    pub(crate) compile_fail: (usize, BatchStatus),
    pub(crate) pass: (usize, BatchStatus),
    pub(crate) logs: Vec<PathBuf>,
    pub(crate) observed_only: bool,
    pub(crate) rust_src_hidden: bool,
    pub(crate) run_id: String,
}

/// A batch, and the fixtures it holds.
type Planned<'a> = (Batch, Vec<(&'a Fixture, &'a Listing)>);

/// One run on one compiler: what every step of it shares.
struct Run<'o> {
    opts: &'o Options<'o>,
    dirs: Workdirs,
    /// This run's name, which no other run shares.
    id: String,
    /// Whether trybuild writes what it sees rather than compares it.
    observed_only: bool,
    /// The sysroot without std's sources, where rust-src is installed.
    shadow: Option<PathBuf>,
}

/// Stage the selected fixtures of `suite`, run trybuild's batches through
/// `driver`, and read what each compile and run said.
pub(crate) fn observe<'a>(
    suite: &'a Suite,
    opts: &Options,
    driver: &dyn Driver,
) -> Result<Observed<'a>> {
    let dirs = Workdirs::within(opts.crate_dir, opts.root, &opts.rustc.key())?;
    let _only_run = dirs.lock()?;
    let selected: Vec<_> = suite
        .select(opts.filters)
        .filter_map(|f| Some((f, f.loaded()?)))
        .collect();
    let shadow = hide_rust_src(opts.rustc, &dirs)?;
    let run_id = format!("{}-{}", std::process::id(), now().as_nanos());
    // With nothing to compare (bless, or a compiler never blessed),
    // compile-fail fixtures are staged without a `.stderr`, and trybuild
    // writes what it sees: one still missing afterwards was never reached.
    let observed_only = opts.collect || !suite.is_blessed(opts.rustc.version);
    let run = Run {
        opts,
        dirs,
        id: run_id,
        observed_only,
        shadow,
    };
    let (staged, unstaged) = run.stage_all(&selected);
    let batches = run.batches(staged)?;
    let passed = wait_all(&run, driver, &batches);
    if passed.contains(&false) {
        // A compiler that broke or went away mid-run fails the run as such.
        crate::host::toolchain::still_there(opts.rustc)?;
    }
    let mut ran = Vec::new();
    let fixtures = selected.iter().map(|&(f, l)| {
        let place = batches.iter().find_map(|(b, members)| {
            Some((b, members.iter().position(|(m, _)| std::ptr::eq(*m, f))?))
        });
        match place {
            Some((batch, n)) => run.observation((f, l), batch, n, &mut ran),
            None => {
                let problem = unstaged
                    .iter()
                    .find(|(u, _)| std::ptr::eq(*u, f))
                    .map(|(_, p)| p.clone());
                let outcome = Err(problem.expect("a selected fixture is staged or not"));
                Observation {
                    fixture: (f, l),
                    outcome,
                    text: None,
                    written: None,
                    log: None,
                }
            }
        }
    });
    let fixtures = fixtures.collect();
    schedule::save(&run.dirs.durations(), &ran);
    let failed = batches.iter().zip(&passed).filter(|(_, ok)| !**ok);
    Ok(Observed {
        fixtures,
        compile_fail: batch_status(&batches, &passed, false),
        pass: batch_status(&batches, &passed, true),
        logs: failed.map(|((b, _), _)| b.log.clone()).collect(),
        observed_only,
        rust_src_hidden: run.shadow.is_some(),
        run_id: run.id,
    })
}

/// The time since the epoch.
fn now() -> Duration {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
}

/// Where rust-src is installed, a sysroot without std's sources for the
/// fixtures to be compiled against (so their diagnostics do not quote them).
fn hide_rust_src(rustc: &Rustc, dirs: &Workdirs) -> Result<Option<PathBuf>> {
    if rustc.rust_src().is_none() {
        return Ok(None);
    }
    let shadow = dirs.shadow_sysroot();
    let hidden = crate::host::sysroot::without_sources(Path::new(&rustc.sysroot), &shadow);
    hidden.map_err(|e| Error::Toolchain {
        toolchain: rustc.source.name(),
        problem: format!("rust-src is installed and its sources could not be hidden: {e}"),
    })?;
    Ok(Some(shadow))
}

/// A fixture staged: it, and the path trybuild is given.
type Staged<'a> = ((&'a Fixture, &'a Listing), String);

impl Run<'_> {
    /// Stage every selected fixture, a compile-fail one with the
    /// expectation for this compiler unless trybuild is to write it; the
    /// ones that could not be, with why.
    fn stage_all<'a>(
        &self,
        selected: &[(&'a Fixture, &'a Listing)],
    ) -> (Vec<Staged<'a>>, Vec<(&'a Fixture, Problem)>) {
        let (mut staged, mut unstaged) = (Vec::new(), Vec::new());
        for &(f, l) in selected {
            let compared = l.header.expect.is_compile_fail() && !self.observed_only;
            let expected = match (
                compared,
                f.expectation(Kind::Stderr, self.opts.rustc.version),
            ) {
                (false, _) => Ok(None),
                (true, Some(file)) => expect::read(self.opts.root, &file.path).map(Some),
                (true, None) => Ok(Some(NO_EXPECTATION.to_string())),
            };
            match expected.and_then(|text| self.dirs.stage(f, &l.source, text.as_deref())) {
                Ok(path) => staged.push(((f, l), path)),
                Err(e) => {
                    let said = format!("not observed: it could not be staged: {e}");
                    unstaged.push((f, Problem::said(Check::NotObserved, f.display_path(), said)));
                }
            }
        }
        (staged, unstaged)
    }

    /// The batches: one for the compile-fail fixtures, and the runnable ones
    /// shared among shards by how long each ran last time (trybuild runs a
    /// batch's programs one after another).
    fn batches<'a>(&self, staged: Vec<Staged<'a>>) -> Result<Vec<Planned<'a>>> {
        let (compile_fail, runnable): (Vec<_>, Vec<_>) = staged
            .into_iter()
            .partition(|((_, l), _)| l.header.expect.is_compile_fail());
        let last_runs = schedule::load(&self.dirs.durations());
        let last = |s: Staged<'a>| {
            let last = last_runs.get(&s.0.0.display_path()).copied();
            (s, last)
        };
        let timed: Vec<(Staged, Option<Duration>)> = runnable.into_iter().map(last).collect();
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let mut shards = schedule::plan(&timed, schedule::shard_limit(&timed, cores));
        let ready = self.dirs.seed_pass_targets(shards.len());
        if ready < shards.len() {
            shards = schedule::plan(&timed, ready);
        }
        let pass = shards
            .into_iter()
            .enumerate()
            .map(|(n, s)| (true, self.dirs.pass_target(n), s));
        let groups =
            std::iter::once((false, self.dirs.compile_fail_target(), compile_fail)).chain(pass);
        let mut batches = Vec::new();
        for (pass, target, members) in groups.filter(|(.., m)| !m.is_empty()) {
            let overwrite = !pass && self.observed_only;
            let env = trybuild::env(
                self.opts,
                &target,
                &self.id,
                self.shadow.as_deref(),
                overwrite,
            )?;
            Records::of(&target).clear_events();
            let (fixtures, paths): (Vec<_>, Vec<String>) = members.into_iter().unzip();
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

    /// What the records and trybuild's report say of fixture `n` of `batch`;
    /// a program's run time goes into `ran`.
    fn observation<'a>(
        &self,
        (f, l): (&'a Fixture, &'a Listing),
        batch: &Batch,
        n: usize,
        ran: &mut Vec<(String, Duration)>,
    ) -> Observation<'a> {
        let source = self.opts.crate_dir.join(&batch.paths[n]);
        let compile_fail = l.header.expect.is_compile_fail();
        let records = Records::of(&batch.target);
        let outcome = records.outcome(&self.id, &trybuild::crate_name(n), &source, !compile_fail);
        let outcome = outcome.map_err(|what| {
            let said = format!("not observed: {what}");
            Problem::said(Check::NotObserved, f.display_path(), said).edit(format!(
                "see trybuild's report in {}; if trybuild is not {}, the observer may no longer \
                 see how it drives cargo (the hardening tests say more)",
                batch.log.display(),
                trybuild::VERSION
            ))
        });
        let outcome = outcome.map(|mut outcome| {
            if let Some(run) = &mut outcome.run {
                ran.push((f.display_path(), run.elapsed));
                run.stdout = self.dirs.unstage(f, &run.stdout);
                run.stderr = self.dirs.unstage(f, &run.stderr);
            }
            outcome
        });
        let back = |t: &str| self.dirs.unstage(f, t);
        let written = (self.observed_only && compile_fail).then(|| {
            let text = std::fs::read_to_string(self.dirs.staged_stderr(f)).ok();
            text.map(|t| back(&t))
        });
        let log = std::fs::read_to_string(&batch.log).unwrap_or_default();
        let said = || trybuild::verdict(&log, &batch.paths[n]).transpose();
        let said = said().filter(|_| !self.observed_only && compile_fail);
        let said = said
            .map(|s| s.map(|(status, texts)| (status, texts.map(|(e, a)| (back(&e), back(&a))))));
        let log = Some(batch.log.clone());
        let text = said.map(|said| TextVerdict {
            said,
            log: log.clone(),
        });
        Observation {
            fixture: (f, l),
            outcome,
            text,
            written,
            log,
        }
    }
}

/// How the batches of one kind ended, and how many fixtures they held.
fn batch_status(batches: &[Planned], passed: &[bool], pass: bool) -> (usize, BatchStatus) {
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

/// Start every batch and wait for all, telling `opts.progress` how many
/// fixtures are done as they finish: from zero, each new count once, then
/// the end, in order however fast the batches are.
fn wait_all(run: &Run, driver: &dyn Driver, batches: &[Planned]) -> Vec<bool> {
    let total: usize = batches.iter().map(|(b, _)| b.paths.len()).sum();
    let finished = |b: &Batch| {
        let mut seen =
            Records::of(&b.target).events(&run.id, if b.pass { "run" } else { "compile" });
        seen.sort();
        seen.dedup();
        seen.len()
    };
    let done = || {
        batches
            .iter()
            .map(|(b, _)| finished(b))
            .sum::<usize>()
            .min(total)
    };
    std::thread::scope(|s| {
        let start = |b: &Batch| {
            let running = driver.start(b);
            s.spawn(move || running.wait())
        };
        let handles: Vec<_> = batches.iter().map(|(b, _)| start(b)).collect();
        if let Some(progress) = run.opts.progress {
            progress(0, total);
            let mut shown = 0;
            while !handles.iter().all(|h| h.is_finished()) {
                let now = done();
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
