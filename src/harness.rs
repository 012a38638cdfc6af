//! One run of the suite on one compiler: the orchestration behind
//! `tests/ui.rs`, kept here so scratch trees can drive it in tests.
//!
//! trybuild is the only thing that compiles and runs the fixtures. The
//! harness stages them with the expectation for this compiler and starts, all
//! at once, one trybuild batch for the compile-fail fixtures and a few
//! (shards) for the runnable ones, each in its own target directory. Every
//! batch's cargo runs the observer as its rustc wrapper and its runner
//! ([`crate::observer`]), which records what each compile and run said
//! ([`crate::record`]). When the batches are done, the harness reads those
//! records and checks each fixture: outcome, annotations, run output.
//! trybuild itself compares the diagnostics text with the `.stderr`.
//! trybuild is passed in behind [`Trybuild`], since only the test harness
//! depends on it.

use crate::check::{self, Check, Problem, Verdict};
use crate::collect::{BatchStatus, Collected, Observed};
use crate::error::Error;
use crate::expect::{Kind, Version};
use crate::header::Expect;
use crate::journal::{self, Pending};
use crate::observer::RUNNER_ARG;
use crate::record::{self, Outcome, PROTOCOL, Records};
use crate::stage::Workdirs;
use crate::toolchain::{Rustc, Source};
use crate::{Fixture, Suite, schedule, sysroot};
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The version of trybuild the suite is built and tested with
/// (`Cargo.toml` pins it): the observer relies on how it drives cargo.
pub const TRYBUILD_VERSION: &str = "1.0.122";

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
    /// Collect for `cargo xtask` instead of judging against `.stderr`.
    pub collect: bool,
    /// The observer program (`ch16-ui-observer`).
    pub observer: &'a Path,
}

/// One trybuild batch: fixtures of one kind, given to one trybuild in its
/// own target directory.
pub struct Batch {
    /// Runnable fixtures (trybuild's `pass`), or compile-fail ones.
    pub pass: bool,
    /// Staged paths, relative to the crate; trybuild names the n-th one's
    /// program `trybuild{n:03}`.
    pub paths: Vec<String>,
    /// Its target directory (also `CARGO_TARGET_DIR` in `env`).
    pub target: PathBuf,
    /// The environment trybuild and its cargo must run with.
    pub env: Vec<(String, OsString)>,
    /// Where trybuild's own report goes.
    pub log: PathBuf,
}

/// trybuild, as the harness drives it.
pub trait Trybuild: Sync {
    /// Start `batch`; the work goes on in the background until waited for.
    fn start(&self, batch: &Batch) -> Box<dyn Running>;
}

/// A batch under way.
pub trait Running: Send {
    /// Wait for it to finish: whether trybuild passed.
    fn wait(self: Box<Self>) -> bool;
}

/// One fixture's result.
pub struct FixtureResult {
    /// `ui/…` path.
    pub path: String,
    /// Listing id and expected outcome, for the summary.
    pub describe: String,
    /// Compile-fail (`.stderr`) or runnable (`.stdout`).
    pub compile_fail: bool,
    /// What the checks found, or what could not be observed.
    pub result: crate::Result<(Outcome, Verdict)>,
}

/// Everything one run found.
pub struct Report {
    /// The compiler, as a human label.
    pub label: String,
    /// Per fixture, in reading order.
    pub fixtures: Vec<FixtureResult>,
    /// trybuild's compile-fail batch: how many fixtures, how it ended.
    pub compile_fail: (usize, BatchStatus),
    /// trybuild's pass batches together: how many fixtures, how they ended.
    pub pass: (usize, BatchStatus),
    /// Whether the compile-fail batch only observed (nothing to compare on
    /// a compiler the expectations were never blessed for).
    pub observed_only: bool,
    /// trybuild's reports, one file per batch.
    pub logs: Vec<PathBuf>,
    /// Whether this compiler's version is in the record.
    pub blessed: bool,
    /// The record, for the skip notice.
    pub record: Vec<Version>,
    /// Fixtures not selected.
    pub filtered_out: usize,
    /// Collect mode.
    pub collect: bool,
    /// std's sources were hidden from the compiler (rust-src is installed).
    pub rust_src_hidden: bool,
    /// The name of this run, as the observer's records give it.
    pub run_id: String,
}

/// Run the suite.
pub fn run(opts: &Options, trybuild: &dyn Trybuild) -> crate::Result<Report> {
    let root = opts.root;
    if journal::pending(root) == Pending::Committed {
        return Err(Error::PendingBless);
    }
    let suite = Suite::load(root)?;
    let rustc = opts.rustc;
    let dirs = Workdirs::within(opts.crate_dir, root, &rustc.key())?;
    let _only_run = dirs.lock()?;
    let blessed = suite.is_blessed(rustc.version);
    let selected: Vec<&Fixture> = suite.filtered(opts.filters).collect();
    let rust_src_hidden = rustc.rust_src().is_some();
    let shadow = rust_src_hidden.then(|| dirs.shadow_sysroot());
    if let Some(shadow) = &shadow {
        sysroot::without_sources(Path::new(&rustc.sysroot), shadow).map_err(|e| {
            Error::Toolchain {
                toolchain: rustc.source.name(),
                problem: format!("rust-src is installed and its sources could not be hidden: {e}"),
            }
        })?;
    }

    // Compile-fail fixtures are staged with the expectation for this
    // compiler, which trybuild compares. With none to compare (collecting,
    // or a compiler never blessed) they are staged without one, and trybuild
    // writes what it sees: a `.stderr` still missing afterwards means
    // trybuild never reached the fixture.
    let observed_only = opts.collect || !blessed;
    let mut unstaged: Vec<(&Fixture, Error)> = Vec::new();
    let mut compile_fail: Vec<(&Fixture, String)> = Vec::new();
    let mut runnable: Vec<(&Fixture, String)> = Vec::new();
    for &f in &selected {
        let expected = if f.header.expect.is_compile_fail() && !observed_only {
            match f.expectation(Kind::Stderr, rustc.version) {
                Some(file) => check::read_expectation(root, &file.path).map(Some),
                None => Ok(Some(NO_EXPECTATION.to_string())),
            }
        } else {
            Ok(None)
        };
        let staged = expected.and_then(|text| dirs.stage(f, text.as_deref()));
        match staged {
            Ok(staged) if f.header.expect.is_compile_fail() => compile_fail.push((f, staged)),
            Ok(staged) => runnable.push((f, staged)),
            Err(e) => unstaged.push((f, e)),
        }
    }

    // The runnable fixtures' programs run one after another within a
    // batch, so they are shared among shards by how long each ran last time.
    let last_runs = schedule::load(&dirs.durations());
    let with_last_run: Vec<((&Fixture, String), Option<Duration>)> = runnable
        .iter()
        .map(|(f, s)| ((*f, s.clone()), last_runs.get(&f.display_path()).copied()))
        .collect();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let planned = schedule::plan(&with_last_run, schedule::shard_limit(&with_last_run, cores));
    let ready = dirs.seed_pass_targets(planned.len());
    let shards = if ready < planned.len() {
        schedule::plan(&with_last_run, ready)
    } else {
        planned
    };

    let run_id = run_id();
    let mut batches: Vec<(Batch, Vec<&Fixture>)> = Vec::new();
    let groups = std::iter::once((false, dirs.compile_fail_target(), compile_fail)).chain(
        shards
            .into_iter()
            .enumerate()
            .map(|(n, s)| (true, dirs.pass_target(n), s)),
    );
    for (pass, target, members) in groups {
        if members.is_empty() {
            continue;
        }
        let overwrite = !pass && observed_only;
        let env = observer_env(opts, &target, &run_id, shadow.as_deref(), overwrite)?;
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

    let passed = wait_all(opts, trybuild, &batches, &run_id);
    if passed.contains(&false) {
        // A compiler that broke or went away mid-run fails the run as such,
        // not its fixtures.
        crate::toolchain::still_there(rustc)?;
    }

    let mut fixtures = Vec::new();
    let mut observed = Vec::new();
    let mut ran: Vec<(String, Duration)> = Vec::new();
    for &f in &selected {
        let found = batches.iter().find_map(|(b, members)| {
            let n = members.iter().position(|m| std::ptr::eq(*m, f))?;
            Some((b, n))
        });
        let result = match found {
            Some((batch, n)) => observe(opts, batch, n, &run_id, f),
            None => Err(unstaged
                .iter()
                .position(|(u, _)| std::ptr::eq(*u, f))
                .map(|i| unstaged.swap_remove(i).1)
                .expect("a selected fixture is staged or not")),
        }
        .map(|mut outcome| {
            if let Some(run) = &mut outcome.run {
                run.stdout = dirs.from_staged(f, &run.stdout);
                run.stderr = dirs.from_staged(f, &run.stderr);
            }
            outcome
        })
        .map(|outcome| {
            let exact = (blessed || opts.collect).then_some(rustc.version);
            let verdict = check::check(root, f, &outcome, exact);
            (outcome, verdict)
        });
        if let Ok((Outcome { run: Some(run), .. }, _)) = &result {
            ran.push((f.display_path(), run.elapsed));
        }
        if opts.collect {
            let log = found.map(|(b, _)| b.log.as_path());
            observed.push(collected(&dirs, f, &result, log));
        }
        fixtures.push(FixtureResult {
            path: f.display_path(),
            describe: describe(f),
            compile_fail: f.header.expect.is_compile_fail(),
            result,
        });
    }
    schedule::save(&dirs.durations(), &ran);

    let status = |pass: bool| {
        let mine: Vec<bool> = batches
            .iter()
            .zip(&passed)
            .filter(|((b, _), _)| b.pass == pass)
            .map(|(_, ok)| *ok)
            .collect();
        let count = batches
            .iter()
            .filter(|(b, _)| b.pass == pass)
            .map(|(b, _)| b.paths.len())
            .sum();
        let status = match () {
            _ if mine.is_empty() => BatchStatus::None,
            _ if mine.iter().all(|ok| *ok) => BatchStatus::Ok,
            _ => BatchStatus::Failed,
        };
        (count, status)
    };
    if opts.collect {
        Collected {
            release: rustc.release.clone(),
            version: rustc.version,
            compile_fail: status(false).1,
            pass: status(true).1,
            fixtures: observed,
        }
        .write(&dirs.collected())?;
    }

    Ok(Report {
        label: rustc.label(),
        fixtures,
        compile_fail: status(false),
        pass: status(true),
        observed_only,
        logs: batches.iter().map(|(b, _)| b.log.clone()).collect(),
        blessed,
        record: suite.record.clone(),
        filtered_out: suite.fixtures.len() - selected.len(),
        collect: opts.collect,
        rust_src_hidden,
        run_id,
    })
}

/// A name for this run that no other run shares.
fn run_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{}-{nanos}", std::process::id())
}

/// What trybuild's cargo in `target` must be given so that the observer
/// sees every compile and run of a fixture:
/// * the compiler under test;
/// * the observer as rustc wrapper (running any workspace wrapper of the
///   user's in its place), and as runner;
/// * its own records directory and the run's name;
/// * rustc's flags: trybuild's own (`--cfg trybuild --verbose`), but with
///   `dead_code` warned about as a bare `rustc` would (the annotations check
///   warnings), one diagnostic width for building and running (so a
///   runnable fixture is compiled once, not once per cargo command), no
///   debug information (nobody debugs a fixture; without it a fixture
///   compiles about a third faster and its program is a ninth of the size),
///   the observer's protocol (a new one makes cargo compile everything again),
///   and the sysroot without std's sources where rust-src is installed.
///   They replace trybuild's and any of the user's: a verdict depends on the
///   checkout and the compiler only.
fn observer_env(
    opts: &Options,
    target: &Path,
    run: &str,
    shadow: Option<&Path>,
    overwrite: bool,
) -> crate::Result<Vec<(String, OsString)>> {
    std::fs::create_dir_all(target).map_err(|e| Error::io(target, e))?;
    let runner = runner_value(target, opts.observer)?;
    let mut flags: Vec<OsString> = [
        "--cfg",
        "trybuild",
        "--verbose",
        "-W",
        "dead_code",
        "--diagnostic-width=140",
        "-C",
        "debuginfo=0",
        "-C",
        "strip=debuginfo",
        "--cfg",
    ]
    .map(OsString::from)
    .into();
    flags.push(format!("ch16_ui_observer_{PROTOCOL}").into());
    if let Some(shadow) = shadow {
        flags.extend(["--sysroot".into(), shadow.as_os_str().to_owned()]);
    }
    let host = opts.rustc.host.to_uppercase().replace(['-', '.'], "_");
    let mut env: Vec<(String, OsString)> = vec![
        ("CARGO_TARGET_DIR".into(), target.into()),
        ("RUSTC_WORKSPACE_WRAPPER".into(), opts.observer.into()),
        (format!("CARGO_TARGET_{host}_RUNNER"), runner.into()),
        (
            "CARGO_ENCODED_RUSTFLAGS".into(),
            flags.join(OsString::from("\u{1f}").as_os_str()),
        ),
        (record::RECORDS_ENV.into(), Records::of(target).dir.into()),
        (record::RUN_ENV.into(), run.into()),
    ];
    // The dependencies of trybuild's project (rustversion) without debug
    // information either: its directories take a fifth of the disk.
    for profile in [
        "CARGO_PROFILE_DEV_DEBUG",
        "CARGO_PROFILE_DEV_BUILD_OVERRIDE_DEBUG",
    ] {
        env.push((profile.into(), "false".into()));
    }
    // A workspace wrapper of the user's is run by the observer in its place.
    if let Some(next) = std::env::var_os("RUSTC_WORKSPACE_WRAPPER").filter(|w| !w.is_empty()) {
        env.push((crate::observer::NEXT_WRAPPER_ENV.into(), next));
    }
    // trybuild's cargo must build with the compiler under test.
    match &opts.rustc.source {
        Source::Current => {}
        Source::Toolchain(t) => env.push(("RUSTUP_TOOLCHAIN".into(), t.into())),
        Source::Path(p) => env.push(("RUSTC".into(), p.into())),
    }
    if overwrite {
        env.push(("TRYBUILD".into(), "overwrite".into()));
    }
    Ok(env)
}

/// cargo splits a runner's value on whitespace, so the observer is reached
/// through a link in `target`, by a path relative to where trybuild runs
/// cargo (its project, `<target>/tests/trybuild/<crate>/`): no whitespace,
/// wherever the checkout is.
#[cfg(unix)]
fn runner_value(target: &Path, observer: &Path) -> crate::Result<String> {
    let link = target.join("ch16-ui-observer");
    if std::fs::read_link(&link).ok().as_deref() != Some(observer) {
        let tmp = target.join(format!("ch16-ui-observer.{}", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        std::os::unix::fs::symlink(observer, &tmp)
            .and_then(|()| std::fs::rename(&tmp, &link))
            .map_err(|e| Error::io(&link, e))?;
    }
    Ok(format!("../../../ch16-ui-observer {RUNNER_ARG}"))
}

#[cfg(not(unix))]
fn runner_value(_: &Path, observer: &Path) -> crate::Result<String> {
    let path = observer.to_string_lossy();
    if path.contains(char::is_whitespace) {
        return Err(Error::fixture(
            observer,
            None,
            "cargo splits a runner's path on whitespace, and this one has some",
            "move the checkout (or CARGO_TARGET_DIR) to a path without whitespace",
        ));
    }
    Ok(format!("{path} {RUNNER_ARG}"))
}

/// Start every batch, and wait for all of them; in collect mode, say how
/// many fixtures are done as they finish (read by `cargo xtask`).
fn wait_all(
    opts: &Options,
    trybuild: &dyn Trybuild,
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
                let running = trybuild.start(b);
                s.spawn(move || running.wait())
            })
            .collect();
        let mut shown = usize::MAX;
        while opts.collect && !handles.iter().all(|h| h.is_finished()) {
            let now = done();
            if now != shown {
                eprintln!("progress {now}/{total}");
                shown = now;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        if opts.collect {
            eprintln!("progress {total}/{total}");
        }
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(false))
            .collect()
    })
}

/// What the records of `batch` say about its `n`-th fixture `f`.
fn observe(
    opts: &Options,
    batch: &Batch,
    n: usize,
    run: &str,
    f: &Fixture,
) -> crate::Result<Outcome> {
    let source = opts.crate_dir.join(&batch.paths[n]);
    Records::of(&batch.target)
        .outcome(run, &format!("trybuild{n:03}"), &source, !f.header.expect.is_compile_fail())
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

impl Report {
    /// Fixtures with problems (in check mode) or not observed, failed batches.
    pub fn failed(&self) -> usize {
        let fixtures = self
            .fixtures
            .iter()
            .filter(|f| match &f.result {
                Err(_) => true,
                Ok((_, v)) => !self.collect && !v.problems.is_empty(),
            })
            .count();
        let batches = [self.compile_fail.1, self.pass.1]
            .iter()
            .filter(|b| **b == BatchStatus::Failed && !self.collect)
            .count();
        fixtures + batches
    }

    /// Fixtures and batches that passed.
    pub fn passed(&self) -> usize {
        let ran = self.fixtures.len()
            + [self.compile_fail.1, self.pass.1]
                .iter()
                .filter(|b| **b != BatchStatus::None)
                .count();
        ran - self.failed()
    }

    /// Checks skipped: the exact comparisons on an unrecorded compiler.
    pub fn ignored(&self) -> usize {
        usize::from(!self.blessed && !self.collect)
    }

    /// The problems of the fixture at `path`, if it was observed.
    pub fn problems(&self, path: &str) -> Option<&[Problem]> {
        self.fixtures
            .iter()
            .find(|f| f.path == path)
            .and_then(|f| f.result.as_ref().ok())
            .map(|(_, v)| v.problems.as_slice())
    }

    /// How many times rustc compiled each fixture in this run, in reading order.
    pub fn compiles(&self) -> Vec<(&str, usize)> {
        self.fixtures
            .iter()
            .filter_map(|f| Some((f.path.as_str(), f.result.as_ref().ok()?.0.compiles)))
            .collect()
    }

    /// The human summary, ending before the libtest-style result line.
    pub fn summary(&self, toolchain_hint: Option<&str>) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "\nch16 ui suite on {}: outcome, annotations, run output",
            self.label
        );
        for f in &self.fixtures {
            match &f.result {
                Err(e) => {
                    let _ = writeln!(
                        s,
                        "  FAIL {}  {}\n    {}",
                        f.path,
                        f.describe,
                        e.to_string().replace('\n', "\n    ")
                    );
                }
                Ok((_, v)) if v.problems.is_empty() || self.collect => {
                    let _ = writeln!(s, "  ok   {}  {}", f.path, f.describe);
                }
                Ok((_, v)) => {
                    let _ = writeln!(s, "  FAIL {}  {}", f.path, f.describe);
                    for p in &v.problems {
                        let _ =
                            writeln!(s, "    {}: {}", p.check, p.message.replace('\n', "\n    "));
                    }
                }
            }
        }
        let compiles = self.compiles();
        let _ = writeln!(
            s,
            "  --   rustc ran {} time(s) in this run, through trybuild's cargo, for {} of {} observed fixture(s); cargo kept the rest",
            compiles.iter().map(|(_, n)| n).sum::<usize>(),
            compiles.iter().filter(|(_, n)| *n > 0).count(),
            compiles.len()
        );
        let cf_name = if self.observed_only {
            "compile-fail (observed, .stderr not compared)"
        } else {
            "compile-fail (full .stderr text)"
        };
        for (name, (count, batch)) in [
            (cf_name, &self.compile_fail),
            ("pass (builds and runs)", &self.pass),
        ] {
            let _ = match batch {
                BatchStatus::None => writeln!(s, "  --   trybuild {name}: nothing to run"),
                BatchStatus::Ok => writeln!(s, "  ok   trybuild {name}: {count} fixture(s)"),
                BatchStatus::Failed if self.collect => writeln!(
                    s,
                    "  --   trybuild {name}: failures recorded for cargo xtask"
                ),
                BatchStatus::Failed => writeln!(
                    s,
                    "  FAIL trybuild {name}: see trybuild's report above (`mismatch` or `error` lines name the fixture)"
                ),
            };
        }
        if self.rust_src_hidden {
            let _ = writeln!(
                s,
                "  note: rust-src is installed; fixtures were compiled against a sysroot without std's sources,\n    \
                 so the diagnostics are those of a toolchain without rust-src"
            );
        }
        if self.ignored() > 0 {
            let stderr = self.fixtures.iter().filter(|f| f.compile_fail).count();
            let stdout = self.fixtures.len() - stderr;
            let record = if self.record.is_empty() {
                "none".to_string()
            } else {
                self.record
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let _ = writeln!(
                s,
                "  SKIPPED exact comparisons: expectations were never blessed for this compiler's version\n    \
                 (ui/toolchains.txt lists {record}), so {stderr} .stderr comparison(s) (trybuild) and {stdout} .stdout\n    \
                 comparison(s) were not made; outcome, annotations and output promises were checked.\n    \
                 To cover this compiler: cargo xtask bless{}",
                toolchain_hint
                    .map(|t| format!(" --toolchain {t}"))
                    .unwrap_or_default()
            );
        }
        s
    }
}

/// What collect mode records for one fixture; `log` is trybuild's report of
/// its batch.
fn collected(
    dirs: &Workdirs,
    f: &Fixture,
    result: &crate::Result<(Outcome, Verdict)>,
    log: Option<&Path>,
) -> Observed {
    let (actual, problems) = match result {
        Err(e) => (
            Vec::new(),
            vec![Problem {
                check: Check::Outcome,
                message: e.to_string(),
            }],
        ),
        Ok((outcome, verdict)) => {
            let mut unreached = None;
            let actual = match &f.header.expect {
                // trybuild wrote its view of the diagnostics over the staged
                // `.stderr` (it was compiled in this run: its record says so).
                Expect::CompileFail(_) if !outcome.compiled => {
                    match std::fs::read_to_string(dirs.staged_stderr(f)) {
                        Ok(text) => vec![(Kind::Stderr, dirs.from_staged(f, &text))],
                        Err(_) => {
                            unreached = Some(Problem {
                                check: Check::Outcome,
                                message: format!(
                                    "trybuild did not reach it: it wrote no .stderr for it, so its diagnostics \
                                     were not seen; see trybuild's report in {}",
                                    log.map_or("its log".into(), |l| l.display().to_string())
                                ),
                            });
                            Vec::new()
                        }
                    }
                }
                Expect::CompileFail(_) => Vec::new(),
                Expect::Run => [
                    (Kind::Stdout, &verdict.stdout),
                    (Kind::Stderr, &verdict.stderr),
                ]
                .into_iter()
                .filter_map(|(k, t)| t.clone().map(|t| (k, t)))
                .collect(),
            };
            let mut problems = verdict.problems.clone();
            problems.extend(unreached);
            (actual, problems)
        }
    };
    Observed {
        path: f.display_path(),
        expected_kinds: f.kinds(),
        actual,
        problems,
    }
}

/// One line on what the fixture is expected to do.
fn describe(f: &Fixture) -> String {
    match &f.header.expect {
        Expect::CompileFail(codes) => format!("({} {})", f.header.listing, codes.join(" ")),
        Expect::Run => format!("({} runs)", f.header.listing),
    }
}

#[cfg(test)]
mod tests {
    use super::TRYBUILD_VERSION;

    /// The observer relies on how one trybuild drives cargo: the manifest
    /// pins it, and the lock file holds it.
    #[test]
    fn trybuild_is_pinned_and_fixture_crates_are_dev_dependencies() {
        let root = crate::checkout::crate_dir().unwrap();
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
        for krate in crate::fixture::FIXTURE_CRATES {
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
