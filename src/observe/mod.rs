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

/// What one compiler did with one fixture, as far as the suite saw it.
pub struct Observation<'a> {
    /// The fixture, and what it holds.
    pub fixture: (&'a Fixture, &'a Listing),
    /// Its compiles and run, from the observer's records, with paths in its
    /// run output the fixture's own; or why they are not known.
    pub outcome: Result<Outcome, Problem>,
    /// trybuild's verdict on its diagnostics text, when trybuild compared it
    /// and said something other than `ok`.
    pub text: Option<TextVerdict>,
    /// Collecting, for a compile-fail fixture: the diagnostics text trybuild
    /// wrote, or `None` when it wrote none (it never reached the fixture).
    pub written: Option<Option<String>>,
    /// trybuild's report of its batch.
    pub log: Option<PathBuf>,
}

/// One run of one compiler on the selected fixtures.
pub struct Observed<'a> {
    /// Every selected fixture that loads, in reading order.
    pub fixtures: Vec<Observation<'a>>,
    /// How many compile-fail fixtures trybuild was given, and how it ended.
    pub compile_fail: (usize, BatchStatus),
    /// How many runnable ones, and how their batches ended.
    pub pass: (usize, BatchStatus),
    /// The reports of the batches that failed.
    pub logs: Vec<PathBuf>,
    /// Whether the diagnostics text was written rather than compared
    /// (collecting, or a compiler never blessed).
    pub observed_only: bool,
    /// Whether std's sources were hidden from the compiler.
    pub rust_src_hidden: bool,
    /// This run's name, which no other run shares.
    pub run_id: String,
}

/// A batch, and the fixtures it holds.
type Planned<'a> = (Batch, Vec<(&'a Fixture, &'a Listing)>);

/// Stage the selected fixtures of `suite`, run trybuild's batches through
/// `driver`, and read what each compile and run said.
pub fn observe<'a>(suite: &'a Suite, opts: &Options, driver: &dyn Driver) -> Result<Observed<'a>> {
    let rustc = opts.rustc;
    let dirs = Workdirs::within(opts.crate_dir, opts.root, &rustc.key())?;
    let _only_run = dirs.lock()?;
    let selected: Vec<(&Fixture, &Listing)> = suite
        .select(opts.filters)
        .filter_map(|f| Some((f, f.loaded()?)))
        .collect();
    let shadow = hide_rust_src(rustc, &dirs)?;
    // With nothing to compare (bless, or a compiler never blessed),
    // compile-fail fixtures are staged without a `.stderr`, and trybuild
    // writes what it sees: one still missing afterwards was never reached.
    let observed_only = opts.collect || !suite.is_blessed(rustc.version);
    let (staged, mut unstaged) = stage_all(opts.root, &dirs, &selected, rustc, observed_only);
    let run_id = run_id();
    let batches = batches(
        opts,
        &dirs,
        staged,
        &run_id,
        shadow.as_deref(),
        observed_only,
    )?;
    let passed = wait_all(opts, driver, &batches, &run_id);
    if passed.contains(&false) {
        // A compiler that broke or went away mid-run fails the run as such.
        crate::host::toolchain::still_there(rustc)?;
    }
    let mut ran = Vec::new();
    let fixtures = selected
        .iter()
        .map(|&(f, l)| {
            let place = batches.iter().find_map(|(b, members)| {
                Some((b, members.iter().position(|(m, _)| std::ptr::eq(*m, f))?))
            });
            let Some((batch, n)) = place else {
                let i = unstaged
                    .iter()
                    .position(|(u, _)| std::ptr::eq(*u, f))
                    .expect("staged or not");
                let (_, problem) = unstaged.swap_remove(i);
                return unobserved(f, l, problem);
            };
            observation(
                opts,
                &dirs,
                (f, l),
                batch,
                n,
                &run_id,
                observed_only,
                &mut ran,
            )
        })
        .collect();
    schedule::save(&dirs.durations(), &ran);
    let failed = batches.iter().zip(&passed).filter(|(_, ok)| !**ok);
    Ok(Observed {
        fixtures,
        compile_fail: batch_status(&batches, &passed, false),
        pass: batch_status(&batches, &passed, true),
        logs: failed.map(|((b, _), _)| b.log.clone()).collect(),
        observed_only,
        rust_src_hidden: shadow.is_some(),
        run_id,
    })
}

/// A fixture that could not be staged.
fn unobserved<'a>(f: &'a Fixture, l: &'a Listing, problem: Problem) -> Observation<'a> {
    Observation {
        fixture: (f, l),
        outcome: Err(problem),
        text: None,
        written: None,
        log: None,
    }
}

/// What the records and trybuild's report say of fixture `n` of `batch`.
#[allow(clippy::too_many_arguments)]
fn observation<'a>(
    opts: &Options,
    dirs: &Workdirs,
    (f, l): (&'a Fixture, &'a Listing),
    batch: &Batch,
    n: usize,
    run: &str,
    observed_only: bool,
    ran: &mut Vec<(String, Duration)>,
) -> Observation<'a> {
    let source = opts.crate_dir.join(&batch.paths[n]);
    let compile_fail = l.header.expect.is_compile_fail();
    let outcome = Records::of(&batch.target)
        .outcome(run, &trybuild::crate_name(n), &source, !compile_fail)
        .map(|mut outcome| {
            if let Some(run) = &mut outcome.run {
                ran.push((f.display_path(), run.elapsed));
                run.stdout = dirs.from_staged(f, &run.stdout);
                run.stderr = dirs.from_staged(f, &run.stderr);
            }
            outcome
        })
        .map_err(|what| {
            let said = format!("not observed: {what}");
            Problem::said(Check::NotObserved, f.display_path(), said).edit(format!(
                "see trybuild's report in {}; if trybuild is not {}, the observer may no longer \
                 see how it drives cargo (the hardening tests say more)",
                batch.log.display(),
                trybuild::VERSION
            ))
        });
    let written = (observed_only && compile_fail).then(|| {
        let text = std::fs::read_to_string(dirs.staged_stderr(f)).ok();
        text.map(|t| dirs.from_staged(f, &t))
    });
    let text = (!observed_only && compile_fail)
        .then(|| {
            let log = std::fs::read_to_string(&batch.log).unwrap_or_default();
            let said = trybuild::verdict(&log, &batch.paths[n]).transpose()?;
            let said = said.map(|(status, texts)| {
                let back = |t: &String| dirs.from_staged(f, t);
                (status, texts.map(|(e, a)| (back(&e), back(&a))))
            });
            Some(TextVerdict {
                said,
                log: Some(batch.log.clone()),
            })
        })
        .flatten();
    Observation {
        fixture: (f, l),
        outcome,
        text,
        written,
        log: Some(batch.log.clone()),
    }
}

/// Where rust-src is installed, a sysroot without std's sources for the
/// fixtures to be compiled against (so their diagnostics do not quote them).
fn hide_rust_src(rustc: &Rustc, dirs: &Workdirs) -> Result<Option<PathBuf>> {
    if rustc.rust_src().is_none() {
        return Ok(None);
    }
    let shadow = dirs.shadow_sysroot();
    crate::host::sysroot::without_sources(Path::new(&rustc.sysroot), &shadow).map_err(|e| {
        Error::Toolchain {
            toolchain: rustc.source.name(),
            problem: format!("rust-src is installed and its sources could not be hidden: {e}"),
        }
    })?;
    Ok(Some(shadow))
}

/// A fixture staged: it, and the path trybuild is given.
type Staged<'a> = ((&'a Fixture, &'a Listing), String);

/// Stage every selected fixture, a compile-fail one with the expectation
/// for this compiler unless `observed_only`; the ones that could not be,
/// with why.
fn stage_all<'a>(
    root: &Path,
    dirs: &Workdirs,
    selected: &[(&'a Fixture, &'a Listing)],
    rustc: &Rustc,
    observed_only: bool,
) -> (Vec<Staged<'a>>, Vec<(&'a Fixture, Problem)>) {
    let (mut staged, mut unstaged) = (Vec::new(), Vec::new());
    for &(f, l) in selected {
        let expected = match (
            l.header.expect.is_compile_fail() && !observed_only,
            f.expectation(Kind::Stderr, rustc.version),
        ) {
            (false, _) => Ok(None),
            (true, Some(file)) => expect::read(root, &file.path).map(Some),
            (true, None) => Ok(Some(NO_EXPECTATION.to_string())),
        };
        match expected.and_then(|text| dirs.stage(f, &l.source, text.as_deref())) {
            Ok(path) => staged.push(((f, l), path)),
            Err(e) => {
                let said = format!("not observed: it could not be staged: {e}");
                unstaged.push((f, Problem::said(Check::NotObserved, f.display_path(), said)));
            }
        }
    }
    (staged, unstaged)
}

/// The batches to run: one for the compile-fail fixtures, and the runnable
/// ones shared among shards by how long each ran last time (trybuild runs
/// a batch's programs one after another).
fn batches<'a>(
    opts: &Options,
    dirs: &Workdirs,
    staged: Vec<Staged<'a>>,
    run_id: &str,
    shadow: Option<&Path>,
    observed_only: bool,
) -> Result<Vec<Planned<'a>>> {
    let (compile_fail, runnable): (Vec<_>, Vec<_>) = staged
        .into_iter()
        .partition(|((_, l), _)| l.header.expect.is_compile_fail());
    let last_runs = schedule::load(&dirs.durations());
    let timed: Vec<(Staged, Option<Duration>)> = runnable
        .into_iter()
        .map(|s| {
            let last = last_runs.get(&s.0.0.display_path()).copied();
            (s, last)
        })
        .collect();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut shards = schedule::plan(&timed, schedule::shard_limit(&timed, cores));
    let ready = dirs.seed_pass_targets(shards.len());
    if ready < shards.len() {
        shards = schedule::plan(&timed, ready);
    }
    let groups = std::iter::once((false, dirs.compile_fail_target(), compile_fail)).chain(
        shards
            .into_iter()
            .enumerate()
            .map(|(n, s)| (true, dirs.pass_target(n), s)),
    );
    let mut batches = Vec::new();
    for (pass, target, members) in groups.filter(|(.., m)| !m.is_empty()) {
        let env = trybuild::env(opts, &target, run_id, shadow, !pass && observed_only)?;
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

/// A name for this run that no other run shares.
fn run_id() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    format!("{}-{}", std::process::id(), now.map_or(0, |d| d.as_nanos()))
}

/// Start every batch and wait for all, telling `opts.progress` how many
/// fixtures are done as they finish: from zero, each new count once, then
/// the end, in order however fast the batches are.
fn wait_all(opts: &Options, driver: &dyn Driver, batches: &[Planned], run: &str) -> Vec<bool> {
    let total: usize = batches.iter().map(|(b, _)| b.paths.len()).sum();
    let done = || -> usize {
        let finished = |b: &Batch| {
            let mut seen =
                Records::of(&b.target).events(run, if b.pass { "run" } else { "compile" });
            seen.sort();
            seen.dedup();
            seen.len()
        };
        batches
            .iter()
            .map(|(b, _)| finished(b))
            .sum::<usize>()
            .min(total)
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
