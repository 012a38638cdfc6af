//! The observation boundary: stage the fixtures ([`stage`]), run trybuild
//! batches (`schedule`) with the [`observer`] as rustc wrapper and runner, and
//! read its [`record`]s and trybuild's report. Only here are trybuild's ways known.

pub mod observer;
pub mod record;
mod schedule;
pub mod stage;
pub mod trybuild;

use crate::error::Result;
use crate::host::toolchain::{self, Rustc};
use crate::model::expect::{self, Kind};
use crate::model::fixture::{Fixture, Listing};
use crate::model::suite::Suite;
use crate::problem::{Check, Problem};
use record::{Outcome, Records};
use stage::Workdirs;
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use trybuild::{Said, TextVerdict, VERSION};

/// The `.stderr` staged where a blessed compiler has no expectation.
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
    /// Collect: trybuild writes the diagnostics it sees (for bless).
    pub collect: bool,
    /// The observer program (`ch16-ui-observer`).
    pub observer: &'a Path,
    /// Told `(done, total)` as fixtures finish.
    pub progress: Option<&'a (dyn Fn(usize, usize) + Sync)>,
}

/// One trybuild batch: fixtures of one kind, in its own target directory.
pub struct Batch {
    /// Runnable fixtures (trybuild's `pass`), or compile-fail ones.
    pub pass: bool,
    /// Staged paths, from the crate (the n-th is [`trybuild::crate_name`]`(n)`).
    pub paths: Vec<String>,
    /// Its target directory.
    pub target: PathBuf,
    /// The environment trybuild and its cargo run with.
    pub env: Vec<(String, OsString)>,
    /// Where trybuild's report goes.
    pub log: PathBuf,
}

/// trybuild, passed in: only the test programs depend on it.
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

/// What one compiler did with one fixture, in the fixture's own paths; when
/// collecting, the text trybuild wrote (`None`: it never reached it).
pub(crate) struct Observation<'a> {
    pub(crate) fixture: (&'a Fixture, &'a Listing),
    pub(crate) outcome: Result<Outcome, Problem>,
    pub(crate) text: Option<TextVerdict>,
    pub(crate) written: Option<Option<String>>,
    pub(crate) log: Option<PathBuf>,
}

/// One run of one compiler on the selected fixtures that load.
pub(crate) struct Observed<'a> {
    pub(crate) fixtures: Vec<Observation<'a>>,
    pub(crate) compile_fail: (usize, BatchStatus),
    pub(crate) pass: (usize, BatchStatus),
    pub(crate) logs: Vec<PathBuf>,
    pub(crate) observed_only: bool,
    pub(crate) rust_src_hidden: bool,
    pub(crate) run_id: String,
}

/// A selected fixture, and its staged path or why it has none.
type Staged<'a> = (&'a Fixture, &'a Listing, Result<String, Problem>);

/// A batch, and which of the selected fixtures it holds, in order.
type Planned = (Batch, Vec<usize>);

/// What every step of one run shares.
struct Run<'o> {
    opts: &'o Options<'o>,
    dirs: Workdirs,
    id: String,
    /// Whether trybuild writes what it sees rather than compares it.
    observed_only: bool,
    shadow: Option<PathBuf>,
}

/// Stage the selected fixtures of `suite`, run them through `driver`, and
/// read what they said; the caller holds `dirs` (`Workdirs::lock`).
pub(crate) fn observe<'a>(
    suite: &'a Suite,
    opts: &Options,
    driver: &dyn Driver,
    dirs: Workdirs,
) -> Result<Observed<'a>> {
    // Diagnostics must not quote std's sources, where rust-src is installed.
    let shadow = opts.rustc.rust_src().map(|_| dirs.shadow_sysroot());
    if let Some(shadow) = &shadow {
        let hidden = crate::host::sysroot::without_sources(Path::new(&opts.rustc.sysroot), shadow);
        let problem = |e| format!("rust-src is installed and its sources could not be hidden: {e}");
        hidden.map_err(|e| toolchain::error(opts.rustc.source.name(), problem(e)))?;
    }
    let now = SystemTime::now().duration_since(UNIX_EPOCH);
    let nanos = now.unwrap_or_default().as_nanos();
    let run = Run {
        shadow,
        id: format!("{}-{nanos}", std::process::id()),
        // With nothing to compare against (bless, or a compiler never
        // blessed), trybuild writes the `.stderr` of what it reaches.
        observed_only: opts.collect || !suite.is_blessed(opts.rustc.version),
        opts,
        dirs,
    };
    let stage = |f: &'a Fixture| f.loaded().map(|l| (f, l, run.stage(f, l)));
    let staged: Vec<Staged> = suite.select(opts.filters).filter_map(stage).collect();
    let batches = run.batches(&staged)?;
    let passed = wait_all(&run, driver, &batches);
    if passed.contains(&false) {
        // A compiler that broke or went away mid-run fails the run as such.
        toolchain::still_there(opts.rustc)?;
    }
    let (mut fixtures, mut ran) = (Vec::new(), Vec::new());
    for (i, (f, l, staged)) in staged.into_iter().enumerate() {
        let place = batches
            .iter()
            .find_map(|(b, m)| Some((b, m.iter().position(|&j| j == i)?)));
        fixtures.push(match (staged, place) {
            (Ok(_), Some((batch, n))) => run.observation((f, l), batch, n, &mut ran),
            (staged, _) => Observation {
                fixture: (f, l),
                outcome: Err(staged.expect_err("a staged fixture is in a batch")),
                text: None,
                written: None,
                log: None,
            },
        });
    }
    schedule::save(&run.dirs.durations(), &ran);
    let failed = batches.iter().zip(&passed).filter(|(_, ok)| !**ok);
    Ok(Observed {
        fixtures,
        compile_fail: batch_status(&batches, &passed, false),
        pass: batch_status(&batches, &passed, true),
        logs: failed.map(|((b, _), _)| b.log.clone()).collect(),
        observed_only: run.observed_only,
        rust_src_hidden: run.shadow.is_some(),
        run_id: run.id,
    })
}

impl Run<'_> {
    /// Stage `f`, with this compiler's expectation: the path trybuild is given.
    fn stage(&self, f: &Fixture, l: &Listing) -> Result<String, Problem> {
        let compared = l.header.expect.is_compile_fail() && !self.observed_only;
        let expectation = compared.then(|| f.expectation(Kind::Stderr, self.opts.rustc.version));
        let expected = match expectation {
            None => Ok(None),
            Some(Some(file)) => expect::read(self.opts.root, &file.path).map(Some),
            Some(None) => Ok(Some(NO_EXPECTATION.to_string())),
        };
        let staged = expected.and_then(|text| self.dirs.stage(f, &l.source, text.as_deref()));
        staged.map_err(|e| {
            let said = format!("not observed: it could not be staged: {e}");
            Problem::said(Check::NotObserved, f.display_path(), said)
        })
    }

    /// One batch for the compile-fail fixtures, and shards for the runnable ones.
    fn batches(&self, staged: &[Staged]) -> Result<Vec<Planned>> {
        let last_runs = schedule::load(&self.dirs.durations());
        let (mut compile_fail, mut runnable) = (Vec::new(), Vec::new());
        for (i, (f, l, staged)) in staged.iter().enumerate() {
            match (staged, l.header.expect.is_compile_fail()) {
                (Err(_), _) => {}
                (Ok(_), true) => compile_fail.push(i),
                (Ok(_), false) => runnable.push((i, last_runs.get(&f.display_path()).copied())),
            }
        }
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let wanted = schedule::plan(&runnable, schedule::shard_limit(&runnable, cores)).len();
        let shards = schedule::plan(&runnable, self.dirs.seed_pass_targets(wanted));
        let shards = shards.into_iter().enumerate();
        let pass = shards.map(|(n, s)| (true, self.dirs.pass_target(n), s));
        let compile_fail = (false, self.dirs.compile_fail_target(), compile_fail);
        let batch = |(pass, target, members): (bool, PathBuf, Vec<usize>)| {
            Records::of(&target).clear_events();
            let batch = Batch {
                env: trybuild::env(self, &target, !pass && self.observed_only)?,
                paths: members.iter().flat_map(|&i| staged[i].2.clone()).collect(),
                log: target.with_extension("log"),
                pass,
                target,
            };
            Ok((batch, members))
        };
        let all = std::iter::once(compile_fail).chain(pass);
        all.filter(|(.., m)| !m.is_empty()).map(batch).collect()
    }

    /// What the records and the report say of fixture `n` of `batch` (its run time into `ran`).
    fn observation<'a>(
        &self,
        (f, l): (&'a Fixture, &'a Listing),
        batch: &Batch,
        n: usize,
        ran: &mut Vec<(String, Duration)>,
    ) -> Observation<'a> {
        let compile_fail = l.header.expect.is_compile_fail();
        let back = |t: &str| self.dirs.unstage(f, t);
        let source = self.opts.crate_dir.join(&batch.paths[n]);
        let records = Records::of(&batch.target);
        let mut outcome =
            records.outcome(&self.id, &trybuild::crate_name(n), &source, !compile_fail);
        if let Ok(Outcome { run: Some(run), .. }) = &mut outcome {
            ran.push((f.display_path(), run.elapsed));
            (run.stdout, run.stderr) = (back(&run.stdout), back(&run.stderr));
        }
        let report = std::fs::read_to_string(&batch.log).unwrap_or_default();
        let outcome = outcome.map_err(|what| not_observed(f, &what, &batch.log, &report));
        let written = (self.observed_only && compile_fail).then(|| {
            let text = std::fs::read_to_string(self.dirs.staged_stderr(f));
            text.ok().map(|t| back(&t))
        });
        let compared = !self.observed_only && compile_fail;
        let said = trybuild::verdict(&report, &batch.paths[n]).transpose();
        let unstaged = |(status, texts): Said| (status, texts.map(|(e, a)| (back(&e), back(&a))));
        let log = Some(batch.log.clone());
        Observation {
            fixture: (f, l),
            outcome,
            text: said.filter(|_| compared).map(|said| TextVerdict {
                said: said.map(unstaged),
                log: log.clone(),
            }),
            written,
            log,
        }
    }
}

/// Fixture `f` was not observed, for `what` reason: with the errors of the
/// build that failed before trybuild's verdicts, where its report `log`
/// holds some (the cause: a linker, a temporary directory), else where to look.
fn not_observed(f: &Fixture, what: &str, log: &Path, report: &str) -> Problem {
    let (path, log) = (f.display_path(), log.display());
    let Some(errors) = trybuild::build_errors(report) else {
        let said = format!("not observed: {what}");
        return Problem::said(Check::NotObserved, path, said).edit(format!(
            "see trybuild's report in {log}; if trybuild is not {VERSION}, the observer may no \
             longer see how it drives cargo (the hardening tests say more)"
        ));
    };
    let errors: String = errors.lines().map(|l| format!("\n    {l}")).collect();
    let said =
        format!("not observed: {what}; the build failed before any fixture was compiled:{errors}");
    let fix =
        format!("fix what the build says above, then run again (trybuild's whole report: {log})");
    Problem::said(Check::NotObserved, path, said).edit(fix)
}

/// How the batches of one kind ended, and how many fixtures they held.
fn batch_status(batches: &[Planned], ok: &[bool], pass: bool) -> (usize, BatchStatus) {
    let mine = batches.iter().zip(ok).filter(|((b, _), _)| b.pass == pass);
    let status = match mine.clone().map(|(_, ok)| *ok).min() {
        None => BatchStatus::None,
        Some(true) => BatchStatus::Ok,
        Some(false) => BatchStatus::Failed,
    };
    (mine.map(|((b, _), _)| b.paths.len()).sum(), status)
}

/// Run every batch, telling `opts.progress` from zero each new count, then the end.
fn wait_all(run: &Run, driver: &dyn Driver, batches: &[Planned]) -> Vec<bool> {
    let total: usize = batches.iter().map(|(b, _)| b.paths.len()).sum();
    let finished = |(b, _): &Planned| {
        let seen = Records::of(&b.target).events(&run.id, if b.pass { "run" } else { "compile" });
        seen.into_iter().collect::<BTreeSet<_>>().len()
    };
    let done = || batches.iter().map(finished).sum::<usize>().min(total);
    std::thread::scope(|s| {
        let running: Vec<_> = batches.iter().map(|(b, _)| driver.start(b)).collect();
        let wait = |r: Box<dyn Running>| s.spawn(move || r.wait());
        let handles: Vec<_> = running.into_iter().map(wait).collect();
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
        let ended = handles.into_iter().map(|h| h.join());
        ended.map(|passed| passed.unwrap_or(false)).collect()
    })
}
