//! Runs that meet other runs or are stopped: two runs on one compiler take
//! turns, a bless killed at any point, Ctrl-C during a run and a bless.

use crate::support::*;
use ch16_ui::check::report::Report;
use ch16_ui::harness;
use ch16_ui::observe::Batch;
use ch16_ui::observe::Driver;
use ch16_ui::observe::Running;
use ch16_ui::observe::stage::Workdirs;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::process::Stdio;
use std::sync::Mutex;
use std::time::Duration;
use std::time::Instant;

// 6b. Two runs on one compiler in one checkout take turns.

/// trybuild as [`Fake`], noting when its batches start and end.
struct Timed(Fake, std::sync::Arc<Mutex<Vec<(Instant, Instant)>>>);

struct TimedBatch(
    Box<dyn Running>,
    Instant,
    std::sync::Arc<Mutex<Vec<(Instant, Instant)>>>,
);

impl Driver for Timed {
    fn start(&self, batch: &Batch) -> Box<dyn Running> {
        let running = self.0.start(batch);
        Box::new(TimedBatch(
            running,
            Instant::now(),
            std::sync::Arc::clone(&self.1),
        ))
    }
}

impl Running for TimedBatch {
    fn wait(self: Box<Self>) -> bool {
        let ok = self.0.wait();
        self.2.lock().unwrap().push((self.1, Instant::now()));
        ok
    }
}

#[test]
fn two_runs_on_one_compiler_take_turns() {
    let s = Scratch::new("turns");
    s.one_failing_one_running();
    let rustc = rustc();
    let runs: Vec<(Report, Vec<(Instant, Instant)>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    let timed = Timed(Fake::new(&s), Default::default());
                    let report = harness::run(&options(&s, &rustc), &timed).unwrap();
                    let times = timed.1.lock().unwrap().clone();
                    (report, times)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let span = |times: &[(Instant, Instant)]| {
        (
            times.iter().map(|t| t.0).min().unwrap(),
            times.iter().map(|t| t.1).max().unwrap(),
        )
    };
    let (a, b) = (span(&runs[0].1), span(&runs[1].1));
    assert!(
        a.1 <= b.0 || b.1 <= a.0,
        "the two runs' batches overlapped: {a:?} {b:?}"
    );
    for (report, _) in &runs {
        assert!(passed(report, "listing-16-92-ok"), "{}", summary(report));
        assert_eq!(
            compiles(report, "listing-16-91-cf"),
            1,
            "{}",
            summary(report)
        );
    }
}

/// Files the interrupted-update test writes: 200 expectations, each from
/// "old" to "new", plus 20 removed.
fn journal_changes() -> Vec<ch16_ui::bless::journal::Change> {
    use ch16_ui::bless::journal::Change;
    let mut changes: Vec<Change> = (0..200)
        .map(|i| {
            Change::Write(
                format!("ui/ch16-01-threads/f{i:03}.stderr").into(),
                format!("new {i}\n"),
            )
        })
        .collect();
    changes.extend(
        (0..20).map(|i| Change::Remove(format!("ui/ch16-01-threads/r{i:03}.stderr").into())),
    );
    changes
}

/// Not a test on its own: the child process that the interruption test
/// kills part-way through an update.
#[test]
#[ignore = "child process of bless_killed_at_any_point_leaves_the_tree_unchanged_or_fully_updated"]
fn journal_child_process() {
    let root = std::env::var("CH16_JOURNAL_CHILD").expect("run by the interruption test only");
    ch16_ui::bless::journal::commit(Path::new(&root), &journal_changes()).unwrap();
}

/// One update of 220 files, killed after `attempt² × 2` ms (from before
/// the first pending file is written to well into the renames; attempt 15
/// is left to finish), then recovered as the next `cargo xtask` run would:
/// whether the tree was left unchanged (else it was fully updated), and
/// whether the kill caught it mid-update.
fn killed_update(s: &Scratch, attempt: u64) -> (bool, bool) {
    use ch16_ui::bless::journal::{Pending, pending, recover};
    for i in 0..200 {
        s.write(
            &format!("ui/ch16-01-threads/f{i:03}.stderr"),
            &format!("old {i}\n"),
        );
    }
    for i in 0..20 {
        s.write(&format!("ui/ch16-01-threads/r{i:03}.stderr"), "doomed\n");
    }
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "runs::journal_child_process",
            "--test-threads=1",
        ])
        .env("CH16_JOURNAL_CHILD", &s.root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    if attempt < 15 {
        std::thread::sleep(Duration::from_millis(attempt * attempt * 2));
        let _ = child.kill();
    }
    let _ = child.wait();
    let state = pending(&s.root);
    recover(&s.root).unwrap();
    assert_eq!(pending(&s.root), Pending::Clean);
    let read = |i: usize| {
        fs::read_to_string(s.root.join(format!("ui/ch16-01-threads/f{i:03}.stderr"))).unwrap()
    };
    let removed = |i: usize| {
        !s.root
            .join(format!("ui/ch16-01-threads/r{i:03}.stderr"))
            .exists()
    };
    let old = (0..200).all(|i| read(i) == format!("old {i}\n")) && (0..20).all(|i| !removed(i));
    let new = (0..200).all(|i| read(i) == format!("new {i}\n")) && (0..20).all(removed);
    assert!(
        old || new,
        "attempt {attempt}: half-updated tree after a kill (pending state was {state:?})"
    );
    (old, state != Pending::Clean)
}

/// Sixteen kills, in four lanes at once (each on a tree of its own): the
/// attempts wait on the clock, not on the machine.
#[test]
fn bless_killed_at_any_point_leaves_the_tree_unchanged_or_fully_updated() {
    let outcomes: Vec<(bool, bool)> = std::thread::scope(|scope| {
        let lanes: Vec<_> = (0..4u64)
            .map(|lane| {
                scope.spawn(move || {
                    let s = Scratch::new(&format!("killed-{lane}"));
                    (lane..16)
                        .step_by(4)
                        .map(|attempt| killed_update(&s, attempt))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        lanes
            .into_iter()
            .flat_map(|lane| match lane.join() {
                Ok(outcomes) => outcomes,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    let unchanged = outcomes.iter().filter(|(old, _)| *old).count();
    let updated = outcomes.len() - unchanged;
    let interrupted = outcomes.iter().filter(|(_, mid)| *mid).count();
    assert!(
        unchanged > 0 && updated > 0,
        "unchanged {unchanged}, updated {updated}"
    );
    println!(
        "interruption: {unchanged} unchanged, {updated} updated, {interrupted} caught mid-update and recovered"
    );
}

/// A program that sleeps `CH16_STOP_SLEEP` seconds (1 without it), then
/// says so.
#[cfg(target_os = "linux")]
const SLEEPER: &str = "fn main() {\n    let secs = std::env::var(\"CH16_STOP_SLEEP\").ok().and_then(|s| s.parse().ok()).unwrap_or(1);\n    \
                       std::thread::sleep(std::time::Duration::from_secs(secs));\n    println!(\"slept\");\n}\n";

/// A scratch suite whose runnable fixture sleeps (its program is
/// `trybuild000` of its shard), beside a compile-fail one.
#[cfg(target_os = "linux")]
fn sleeper_suite(name: &str) -> Scratch {
    let s = Scratch::new(name);
    s.fixture(
        "listing-16-01-sleeper",
        "run",
        "//! output: exact\n//! timeout: 120s\n",
        SLEEPER,
        Some("slept\n"),
    )
    .fixture(
        "listing-16-02-cf",
        "compile-fail E0308",
        "//! fixed-by: listing-16-01\n",
        FAILS_E0308,
        None,
    );
    // Blessed for no compiler: outcomes only, whatever the version.
    s.write("ui/toolchains.txt", "1.80\n");
    s
}

/// Not a test on its own: the suite's process as `tests/ui.rs` is, with the
/// fake trybuild's batches as processes, on the scratch root the stopping
/// test names; it prints `test result: ok.` when its run ends and passed.
#[test]
#[ignore = "child process of a_stopped_run_stops_every_batch_and_writes_nothing_after"]
fn stopped_suite_child() {
    let Some(root) = std::env::var_os(FAKE_ROOT_ENV).map(std::path::PathBuf::from) else {
        return;
    };
    ch16_ui::host::stop::install(false);
    let rustc = rustc();
    let opts = ch16_ui::observe::Options {
        root: &root,
        crate_dir: &root,
        rustc: &rustc,
        filters: &[],
        collect: false,
        observer: Path::new(OBSERVER),
        progress: None,
    };
    let report = harness::run(&opts, &FAKE_PROCESSES).unwrap();
    assert_eq!(report.failed(), 0, "{}", summary(&report));
    println!("test result: ok.");
}

/// The suite's process on `s`, its fixture sleeping `sleep` seconds, in a
/// process group of its own, started with SIGINT ignored (as a shell starts
/// a background job) or not, whatever this test was started with.
#[cfg(target_os = "linux")]
fn start_suite(s: &Scratch, sleep: u64, ignore_sigint: bool) -> std::process::Child {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    ch16_ui::emit::not_for_github(&mut cmd)
        .args([
            "--ignored",
            "--exact",
            "runs::stopped_suite_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(FAKE_ROOT_ENV, &s.root)
        .env("CH16_STOP_SLEEP", sleep.to_string())
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let disposition = if ignore_sigint {
        libc::SIG_IGN
    } else {
        libc::SIG_DFL
    };
    // SAFETY: between fork and exec only `signal`, which is async-signal-safe.
    unsafe {
        cmd.pre_exec(move || {
            libc::signal(libc::SIGINT, disposition);
            Ok(())
        });
    }
    cmd.spawn().unwrap()
}

/// Wait until the program `trybuild000` under `root` runs (the sleeping
/// fixture); fails with the output if `child` ends first.
#[cfg(target_os = "linux")]
fn until_sleeping(child: &mut std::process::Child, root: &Path, secs: u64) {
    let root = root.to_string_lossy().into_owned();
    let sleeping = || {
        processes().iter().any(|p| {
            p.args
                .first()
                .is_some_and(|a| a.starts_with(&root) && a.ends_with("/trybuild000"))
        })
    };
    let mut ended = false;
    let came = within(secs, || {
        ended = ended || child.try_wait().unwrap().is_some();
        ended || sleeping()
    });
    if ended || !came {
        let _ = unsafe { libc::kill(-(child.id() as i32), libc::SIGTERM) };
        let mut out = String::new();
        use std::io::Read;
        for stream in [
            child.stdout.take().map(|s| Box::new(s) as Box<dyn Read>),
            child.stderr.take().map(|s| Box::new(s) as Box<dyn Read>),
        ]
        .into_iter()
        .flatten()
        {
            let mut stream = stream;
            let _ = stream.read_to_string(&mut out);
        }
        panic!("the sleeping fixture never ran:\n{out}");
    }
}

/// Signal `sig` to the suite's process mid-run: it and everything under the
/// scratch root stop within seconds, and nothing is written afterwards.
#[cfg(target_os = "linux")]
fn stops_on(sig: i32) {
    let s = sleeper_suite(&format!("stop-{sig}"));
    let durations = Workdirs::within(&s.root, &s.root, &rustc().key())
        .unwrap()
        .durations();
    let mut child = start_suite(&s, 60, false);
    until_sleeping(&mut child, &s.root, 60);
    let sent = Instant::now();
    assert_eq!(unsafe { libc::kill(child.id() as i32, sig) }, 0);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Its handler ran (rather than the signal's default action), and ended
    // it with the code a shell gives that signal.
    assert_eq!(out.status.code(), Some(128 + sig), "{stdout}{stderr}");
    assert!(
        within(5, || working_under(&s.root).is_empty()),
        "still running {:.1}s after signal {sig}: {:#?}",
        sent.elapsed().as_secs_f64(),
        working_under(&s.root)
    );
    // The run ended where it was: no result, no durations saved, and
    // nothing changes in its directories any more.
    assert!(!stdout.contains("test result:"), "{stdout}");
    assert!(!durations.exists(), "written after signal {sig}");
    let before = snapshot(&s.root.join("target"));
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        before == snapshot(&s.root.join("target")),
        "files changed after signal {sig}"
    );
}

/// Killed outright, the suite cannot stop its batches: they stop
/// themselves when it dies.
#[cfg(target_os = "linux")]
fn batches_stop_when_the_suite_is_killed() {
    let s = sleeper_suite("stop-kill");
    let mut child = start_suite(&s, 60, false);
    until_sleeping(&mut child, &s.root, 60);
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGKILL) }, 0);
    let _ = child.wait_with_output().unwrap();
    assert!(
        within(5, || working_under(&s.root).is_empty()),
        "still running after the suite was killed: {:#?}",
        working_under(&s.root)
    );
}

/// Started with SIGINT ignored (a shell's background job), the run does
/// not stop on it, and finishes.
#[cfg(target_os = "linux")]
fn an_ignored_sigint_is_kept_ignored() {
    let s = sleeper_suite("stop-ignored");
    let mut child = start_suite(&s, 1, true);
    until_sleeping(&mut child, &s.root, 60);
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("test result: ok."),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Each case on a scratch tree of its own, all at once: they wait on
/// processes, not on the machine. The real chain (cargo, trybuild, its
/// cargo) is stopped by the next test, through `cargo xtask bless`.
#[cfg(target_os = "linux")]
#[test]
fn a_stopped_run_stops_every_batch_and_writes_nothing_after() {
    std::thread::scope(|scope| {
        let cases = [
            scope.spawn(|| stops_on(libc::SIGTERM)),
            scope.spawn(|| stops_on(libc::SIGINT)),
            scope.spawn(batches_stop_when_the_suite_is_killed),
            scope.spawn(an_ignored_sigint_is_kept_ignored),
        ];
        for case in cases {
            if let Err(panic) = case.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
}

/// `cargo xtask bless`, stopped while a toolchain's run is under way: its
/// `cargo test`, the suite and every batch stop, and the tree is unchanged.
/// On a clone of the checkout (bless must never run on the real `ui/`).
#[cfg(target_os = "linux")]
#[test]
fn a_stopped_bless_stops_every_toolchain_run_and_changes_nothing() {
    use std::os::unix::process::CommandExt;
    // The point is stopping, not building: the scratch checkout, whose
    // build stays fresh between runs.
    let scratch = ScratchCheckout::take();
    let clone = scratch.a.clone();
    fs::write(
        clone.join("ui/ch16-01-threads/listing-16-99-sleeper.rs"),
        source(
            "listing-16-99",
            "run",
            "//! output: exact\n//! timeout: 120s\n",
            SLEEPER,
        ),
    )
    .unwrap();
    let tree = snapshot(&clone.join("ui"));
    let rustc_path = Path::new(&rustc().sysroot).join("bin/rustc");
    let mut child = ch16_ui::emit::not_for_github(&mut Command::new("cargo"))
        .current_dir(&clone)
        .args([
            "run",
            "--quiet",
            "--package",
            "xtask",
            "--",
            "bless",
            "--filter",
            "16-99",
            "--rustc",
        ])
        .arg(&rustc_path)
        .envs(scratch.env())
        .env("CH16_STOP_SLEEP", "60")
        .env_remove(ch16_ui::names::ROOT_ENV)
        .env_remove(ch16_ui::names::COLLECT_ENV)
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    until_sleeping(&mut child, &clone, 300);
    // `cargo run` becomes the program it runs (exec).
    let xtask = child.id() as i32;
    assert!(
        processes()
            .iter()
            .any(|p| p.pid == xtask && p.args.first().is_some_and(|a| a.ends_with("/xtask"))),
        "cargo runs the xtask"
    );
    assert_eq!(unsafe { libc::kill(xtask, libc::SIGTERM) }, 0);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.code() == Some(143), "{stdout}{stderr}");
    assert!(
        within(5, || working_under(&clone).is_empty()),
        "still running after bless was stopped: {:#?}",
        working_under(&clone)
    );
    assert!(!stdout.contains("summary"), "{stdout}");
    assert!(
        tree == snapshot(&clone.join("ui")),
        "bless changed ui/ after it was stopped"
    );
    assert!(!clone.join(ch16_ui::names::PENDING).exists());
    let _ = fs::remove_dir_all(&clone);
}

/// Under `cargo nextest` every fixture's test is a process of its own: one
/// run of the suite serves them all, and a change to anything a verdict
/// depends on (the nextest run, a file under `ui/`) makes another.
#[test]
fn one_run_serves_a_nextest_run_and_is_never_read_stale() {
    let s = Scratch::new("nextest");
    s.one_failing_one_running();
    let rustc = rustc();
    let opts = options(&s, &rustc);
    let programs = [std::path::PathBuf::from(OBSERVER)];
    let runs = std::cell::Cell::new(0);
    let shared = |nextest_run: &str| {
        let first = || {
            runs.set(runs.get() + 1);
            harness::run(&opts, &Fake::new(&s))
        };
        harness::shared(&opts, nextest_run, &programs, first).unwrap()
    };
    assert_eq!(shared("a").fixtures.len(), 2);
    assert_eq!(
        (shared("a").fixtures.len(), runs.get()),
        (2, 1),
        "read, not run again"
    );
    shared("b");
    assert_eq!(runs.get(), 2, "another nextest run");
    let edited = s.root.join("ui/ch16-01-threads/listing-16-92-ok.stdout");
    std::fs::write(&edited, "fine, edited\n").unwrap();
    shared("b");
    assert_eq!(runs.get(), 3, "an expectation edited");
    s.fine("listing-16-93-more");
    assert_eq!(
        (shared("b").fixtures.len(), runs.get()),
        (3, 4),
        "a fixture added"
    );
}
