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

use crate::check::{self, Check, Problem};
use crate::error::Error;
use crate::expect::{Kind, Version};
use crate::header::Expect;
use crate::journal::{self, Pending};
use crate::observer::RUNNER_ARG;
use crate::record::{self, Outcome, PROTOCOL, Records};
use crate::report::{BatchStatus, FixtureReport, Report};
use crate::stage::Workdirs;
use crate::toolchain::{Rustc, Source};
use crate::{Fixture, Suite, schedule, sysroot, trybuild_log};
use std::ffi::OsString;
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
    /// trybuild writes the diagnostics it sees for compile-fail fixtures
    /// (into the report, for bless) instead of comparing them with `.stderr`.
    pub record_diagnostics: bool,
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

/// Run the suite: load and stage it, run trybuild's batches, and read each
/// fixture's outcome from the observer's records.
pub fn run(opts: &Options, trybuild: &dyn Trybuild) -> crate::Result<Report> {
    if journal::pending(opts.root) == Pending::Committed {
        return Err(Error::PendingBless);
    }
    let suite = Suite::load(opts.root)?;
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
    let observed_only = opts.record_diagnostics || !blessed;
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

    let passed = wait_all(opts, trybuild, &batches, &run_id);
    if passed.contains(&false) {
        // A compiler that broke or went away mid-run fails the run as such,
        // not its fixtures.
        crate::toolchain::still_there(rustc)?;
    }

    let verdicts: Vec<trybuild_log::Verdict> = batches
        .iter()
        .filter(|(b, _)| !b.pass)
        .flat_map(|(b, _)| {
            trybuild_log::verdicts(&std::fs::read_to_string(&b.log).unwrap_or_default())
        })
        .collect();
    let exact = (blessed || opts.record_diagnostics).then_some(rustc.version);
    let mut unstaged = staged.unstaged;
    let mut fixtures = Vec::new();
    let mut ran: Vec<(String, Duration)> = Vec::new();
    for &f in &selected {
        let found = batches.iter().find_map(|(b, members)| {
            let n = members.iter().position(|m| std::ptr::eq(*m, f))?;
            Some((b, n))
        });
        let observed = match found {
            Some((batch, n)) => outcome_of(opts, batch, n, &run_id, f),
            None => Err(unstaged
                .iter()
                .position(|(u, _)| std::ptr::eq(*u, f))
                .map(|i| unstaged.swap_remove(i).1)
                .expect("a selected fixture is staged or not")),
        };
        if let Ok(Outcome { run: Some(run), .. }) = &observed {
            ran.push((f.display_path(), run.elapsed));
        }
        let log = found.map(|(b, _)| b.log.as_path());
        let trybuild_wrote = observed_only.then_some(log);
        let mut report = fixture_report(&suite, &dirs, f, observed, exact, trybuild_wrote);
        if !observed_only && let Some((batch, n)) = found {
            let said = verdicts.iter().find(|v| v.path == batch.paths[n]);
            text_problem(&dirs, f, rustc, said, &batch.log, &mut report);
        }
        fixtures.push(report);
    }
    schedule::save(&dirs.durations(), &ran);

    Ok(Report {
        label: rustc.label(),
        release: rustc.release.clone(),
        version: rustc.version,
        fixtures,
        compile_fail: batch_status(&batches, &passed, false),
        pass: batch_status(&batches, &passed, true),
        observed_only,
        logs: batches
            .iter()
            .zip(&passed)
            .filter(|(_, ok)| !**ok)
            .map(|((b, _), _)| b.log.clone())
            .collect(),
        blessed,
        record: suite.record.clone(),
        filtered_out: suite.fixtures.len() - selected.len(),
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
                Some(file) => check::read_expectation(root, &file.path).map(Some),
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
        let env = observer_env(opts, &target, run_id, shadow, overwrite)?;
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
    // trybuild colours its report whenever `TERM` allows, whatever the
    // report is written to: it is a file, read by the suite.
    env.push(("NO_COLOR".into(), "1".into()));
    env.push(("TERM".into(), "dumb".into()));
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

/// Start every batch, and wait for all of them, telling `opts.progress`
/// how many fixtures are done as they finish.
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

/// One fixture's part of the report: its outcome (or why it was not
/// observed), checked; the texts its expectations should hold. When
/// trybuild wrote what it saw (`trybuild_wrote`, with its batch's log), a
/// compile-fail fixture's text is trybuild's, or its absence says trybuild
/// never reached the fixture.
fn fixture_report(
    suite: &Suite,
    dirs: &Workdirs,
    f: &Fixture,
    observed: crate::Result<Outcome>,
    exact: Option<Version>,
    trybuild_wrote: Option<Option<&Path>>,
) -> FixtureReport {
    let mut report = FixtureReport {
        path: f.display_path(),
        describe: describe(f),
        compile_fail: f.header.expect.is_compile_fail(),
        observed: observed.is_ok(),
        problems: Vec::new(),
        actual: Vec::new(),
        compiles: 0,
    };
    let mut outcome = match observed {
        Ok(outcome) => outcome,
        Err(e) => {
            report.problems.push(Problem {
                check: Check::NotObserved,
                message: e.to_string(),
            });
            return report;
        }
    };
    if let Some(run) = &mut outcome.run {
        run.stdout = dirs.from_staged(f, &run.stdout);
        run.stderr = dirs.from_staged(f, &run.stderr);
    }
    let gives = f
        .header
        .suggestion_gives
        .as_deref()
        .and_then(|id| suite.by_id(id));
    let verdict = check::check(&suite.root, f, &outcome, exact, gives);
    report.compiles = outcome.compiles;
    report.problems = verdict.problems;
    match (&f.header.expect, trybuild_wrote) {
        (Expect::CompileFail(_), Some(log)) if !outcome.compiled => {
            match std::fs::read_to_string(dirs.staged_stderr(f)) {
                Ok(text) => report.actual.push((Kind::Stderr, dirs.from_staged(f, &text))),
                Err(_) => report.problems.push(Problem {
                    check: Check::NotReached,
                    message: format!(
                        "trybuild did not reach it: it wrote no .stderr for it, so its diagnostics were not seen; \
                         see trybuild's report in {}",
                        log.map_or("its log".into(), |l| l.display().to_string())
                    ),
                }),
            }
        }
        (Expect::CompileFail(_), _) => {}
        (Expect::Run, _) => {
            for (kind, text) in [
                (Kind::Stdout, verdict.stdout),
                (Kind::Stderr, verdict.stderr),
            ] {
                if let Some(text) = text {
                    report.actual.push((kind, text));
                }
            }
        }
    }
    if let Some(fixed) = verdict.fixed {
        report.actual.push((Kind::Fixed, fixed));
    }
    report
}

/// trybuild's verdict on a compile-fail fixture's diagnostics text, as a
/// problem of the fixture: which file differs, a short diff, and the command
/// that accepts the new text.
fn text_problem(
    dirs: &Workdirs,
    f: &Fixture,
    rustc: &Rustc,
    said: Option<&trybuild_log::Verdict>,
    log: &Path,
    report: &mut FixtureReport,
) {
    let Some(said) = said.filter(|v| v.status != "ok") else {
        return;
    };
    if !f.header.expect.is_compile_fail()
        || report.problems.iter().any(|p| p.check.blocks_bless())
        || f.expectation(Kind::Stderr, rustc.version).is_none()
    {
        // A wrong outcome, or a missing `.stderr`, is reported as such;
        // trybuild's view adds nothing.
        return;
    }
    let file = f.expectation(Kind::Stderr, rustc.version).map_or_else(
        || f.display_path().replace(".rs", ".stderr"),
        |e| e.path.display().to_string(),
    );
    let message = match (&said.expected, &said.actual) {
        (Some(expected), Some(actual)) => {
            let expected = dirs.from_staged(f, expected);
            let actual = dirs.from_staged(f, actual);
            format!(
                "{file} differs from what {} says now (trybuild compared them):\n{}fix: if the new text is right, \
                 run `cargo xtask bless --filter {}`; if not, change the fixture",
                rustc.label(),
                crate::diff::unified(&expected, &actual, &file, "now"),
                f.short_id()
            )
        }
        _ => format!(
            "trybuild reported `{}` for it; its report: {}",
            said.status,
            log.display()
        ),
    };
    report.problems.push(Problem {
        check: Check::StderrText,
        message,
    });
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
