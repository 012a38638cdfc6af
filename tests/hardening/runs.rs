//! Runs that meet other runs or are stopped: two runs on one compiler take
//! turns, a bless killed at any point, Ctrl-C during a run and a bless.

use crate::support::*;
use ch16_ui::bless::journal::Change;
use ch16_ui::harness;
use ch16_ui::observe::stage::Workdirs;
use ch16_ui::observe::{Batch, Driver, Running};
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// trybuild as [`Fake`], each batch run to its end as it starts, noting
/// when that was.
struct Timed(Fake, Mutex<Vec<(Instant, Instant)>>);

struct Ended(bool);

impl Driver for Timed {
    fn start(&self, batch: &Batch) -> Box<dyn Running> {
        let started = Instant::now();
        let ok = self.0.start(batch).wait();
        self.1.lock().unwrap().push((started, Instant::now()));
        Box::new(Ended(ok))
    }
}

impl Running for Ended {
    fn wait(self: Box<Self>) -> bool {
        self.0
    }
}

/// Two runs on one compiler in one checkout take turns.
#[test]
fn two_runs_on_one_compiler_take_turns() {
    let s = Scratch::new("turns");
    // Compile-fail fixtures only: one batch a run, and no program to link.
    let fails = |stem: &str, fix: &str| s.fails(stem, "E0308", fix, FAILS_E0308, "x\n");
    fails("listing-16-91-cf", "listing-16-92");
    fails("listing-16-92-cf", "listing-16-91");
    let rustc = rustc();
    let run = || {
        let timed = Timed(Fake::new(&s), Mutex::default());
        let report = harness::run(&options(&s.root, &rustc), &timed).unwrap();
        (report, timed.1.into_inner().unwrap())
    };
    let runs = std::thread::scope(|scope| {
        let (a, b) = (scope.spawn(run), scope.spawn(run));
        [a.join().unwrap(), b.join().unwrap()]
    });
    let (a, b) = (runs[0].1[0], runs[1].1[0]);
    assert!(
        a.1 <= b.0 || b.1 <= a.0,
        "the batches overlapped: {a:?} {b:?}"
    );
    for (report, batches) in &runs {
        let compiled = (compiles(report, "listing-16-91-cf"), batches.len());
        assert!(passed(report, "listing-16-91-cf"), "{}", summary(report));
        assert_eq!(compiled, (1, 1));
    }
}

/// The update the interrupted-update test makes: 40 expectations, each
/// from "old" to "new", and 5 removed.
fn journal_changes() -> Vec<Change> {
    let file = |kind: &str, i: usize| format!("ui/ch16-01-threads/{kind}{i:03}.stderr").into();
    let writes = (0..40).map(|i| Change::Write(file("f", i), format!("new {i}\n")));
    writes
        .chain((0..5).map(|i| Change::Remove(file("r", i))))
        .collect()
}

/// Whether the tree at `root` is as before the update (`"old"`) or as after
/// it (`"new"`).
fn holds(root: &Path, state: &str) -> bool {
    journal_changes().iter().all(|change| match change {
        Change::Write(path, new) => {
            fs::read_to_string(root.join(path)).unwrap() == new.replace("new", state)
        }
        Change::Remove(path) => root.join(path).exists() == (state == "old"),
    })
}

/// Not a test on its own: the child process that the interruption test
/// kills part-way through an update.
#[test]
#[ignore = "child process of bless_killed_at_any_point_leaves_the_tree_unchanged_or_fully_updated"]
fn journal_child_process() {
    let root = std::env::var("CH16_JOURNAL_CHILD").expect("run by the interruption test only");
    ch16_ui::bless::journal::commit(Path::new(&root), &journal_changes()).unwrap();
}

/// The update in a process of its own, killed `after` its start (or left
/// to finish), then recovered as the next `cargo xtask` run would: whether
/// the tree was left unchanged (else it was fully updated), whether the kill
/// caught it mid-update, and how long the process lived.
fn killed_update(s: &Scratch, after: Option<Duration>) -> (bool, bool, Duration) {
    use ch16_ui::bless::journal::{Pending, pending, recover};
    for change in journal_changes() {
        match change {
            Change::Write(path, new) => s.write(path.to_str().unwrap(), &new.replace("new", "old")),
            Change::Remove(path) => s.write(path.to_str().unwrap(), "doomed\n"),
        };
    }
    let start = Instant::now();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "runs::journal_child_process"])
        .env("CH16_JOURNAL_CHILD", &s.root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    if let Some(after) = after {
        std::thread::sleep(after.saturating_sub(start.elapsed()));
        let _ = child.kill();
    }
    let _ = child.wait();
    let lived = start.elapsed();
    let state = pending(&s.root);
    recover(&s.root).unwrap();
    assert_eq!(pending(&s.root), Pending::Clean);
    let old = holds(&s.root, "old");
    assert!(
        old || holds(&s.root, "new"),
        "killed after {after:?}: half-updated tree (pending state was {state:?})"
    );
    (old, state != Pending::Clean, lived)
}

/// An update left to finish, then twelve killed at points spread evenly
/// over its length (from before the process starts writing to well past
/// its end, as it runs slower while others run), three at a time (each on
/// a tree of its own): never half-updated.
#[test]
fn bless_killed_at_any_point_leaves_the_tree_unchanged_or_fully_updated() {
    let s = Scratch::new("killed");
    let (old, _, whole) = killed_update(&s, None);
    assert!(!old, "an update left alone did not finish");
    let outcomes: Vec<(bool, bool)> = std::thread::scope(|scope| {
        let lane = |lane: u32| {
            let s = Scratch::new(&format!("killed-{lane}"));
            let kill = |n: u32| killed_update(&s, Some(whole * n / 8));
            (lane..12)
                .step_by(3)
                .map(kill)
                .map(|(old, mid, _)| (old, mid))
                .collect::<Vec<_>>()
        };
        let lanes: Vec<_> = (0..3).map(|n| scope.spawn(move || lane(n))).collect();
        lanes.into_iter().flat_map(|l| l.join().unwrap()).collect()
    });
    let unchanged = outcomes.iter().filter(|(old, _)| *old).count();
    let interrupted = outcomes.iter().filter(|(_, mid)| *mid).count();
    assert!(unchanged > 0, "no kill came before the commit point");
    println!(
        "interruption over {whole:?}: {unchanged} unchanged, {} updated, {interrupted} caught mid-update and recovered",
        outcomes.len() + 1 - unchanged
    );
}

/// A program that sleeps `CH16_STOP_SLEEP` milliseconds (a second without
/// it), then says so.
#[cfg(target_os = "linux")]
const SLEEPER: &str = "fn main() {\n    let ms = std::env::var(\"CH16_STOP_SLEEP\").ok().and_then(|s| s.parse().ok()).unwrap_or(1000);\n    \
                       std::thread::sleep(std::time::Duration::from_millis(ms));\n    println!(\"slept\");\n}\n";

/// A scratch suite whose runnable fixture sleeps (its program is
/// `trybuild000` of its shard), beside a compile-fail one.
#[cfg(target_os = "linux")]
fn sleeper_suite(name: &str) -> Scratch {
    let s = Scratch::new(name);
    let sleeps = "//! output: exact\n//! timeout: 120s\n";
    s.fixture(
        "listing-16-01-sleeper",
        "run",
        sleeps,
        SLEEPER,
        Some("slept\n"),
    );
    s.fails(
        "listing-16-02-cf",
        "E0308",
        "listing-16-01",
        FAILS_E0308,
        "x\n",
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
    ch16_ui::host::stop::install(ch16_ui::host::stop::Role::Tool);
    let (rustc, root) = (rustc(), root.as_path());
    let opts = options(root, &rustc);
    let report = harness::run(&opts, &FAKE_PROCESSES).unwrap();
    assert_eq!(report.failed(), 0, "{}", summary(&report));
    println!("test result: ok.");
}

/// The suite's process on `s`, its fixture sleeping `sleep_ms`
/// milliseconds, in a process group of its own, started with SIGINT ignored
/// (as a shell starts a background job) or not, whatever this test was
/// started with.
#[cfg(target_os = "linux")]
fn start_suite(s: &Scratch, sleep_ms: u64, ignore_sigint: bool) -> std::process::Child {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    ch16_ui::emit::not_for_github(&mut cmd)
        .args(["--ignored", "--exact", "runs::stopped_suite_child"])
        .arg("--nocapture")
        .env(FAKE_ROOT_ENV, &s.root)
        .env("CH16_STOP_SLEEP", sleep_ms.to_string())
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let disposition = [libc::SIG_DFL, libc::SIG_IGN][usize::from(ignore_sigint)];
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
        let out = [child.stdout.take().map(std::io::read_to_string)];
        let err = [child.stderr.take().map(std::io::read_to_string)];
        panic!("the sleeping fixture never ran:\n{out:?}\n{err:?}");
    }
}

/// Signal `sig` to the suite's process mid-run: it and everything under the
/// scratch root stop within seconds, and nothing is written afterwards; a
/// handler ran (rather than the signal's default action) and ended it with
/// the code a shell gives that signal. Killed outright, the suite cannot
/// stop its batches: they stop themselves when it dies. Started with SIGINT
/// ignored (a shell's background job), the run does not stop on it, and
/// finishes.
#[cfg(target_os = "linux")]
fn stops_on(sig: i32, ignored: bool) {
    let s = sleeper_suite(&format!("stop-{sig}-{ignored}"));
    let dirs = Workdirs::within(&s.root, &s.root, &rustc().key()).unwrap();
    let mut child = start_suite(&s, if ignored { 300 } else { 60_000 }, ignored);
    until_sleeping(&mut child, &s.root, 60);
    let sent = Instant::now();
    assert_eq!(unsafe { libc::kill(child.id() as i32, sig) }, 0);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let text = format!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    if ignored {
        let finished = out.status.success() && stdout.contains("test result: ok.");
        assert!(finished, "{text}");
        return;
    }
    let stopped = within(5, || working_under(&s.root).is_empty());
    let after = sent.elapsed().as_secs_f64();
    let left = working_under(&s.root);
    assert!(
        stopped,
        "still running {after:.1}s after signal {sig}: {left:#?}"
    );
    if sig == libc::SIGKILL {
        return;
    }
    assert_eq!(out.status.code(), Some(128 + sig), "{text}");
    // The run ended where it was: no result, no durations saved, and
    // nothing changes in its directories any more.
    assert!(!stdout.contains("test result:"), "{stdout}");
    assert!(!dirs.durations().exists(), "written after signal {sig}");
    let before = snapshot(&s.root.join("target"));
    std::thread::sleep(Duration::from_millis(200));
    let unchanged = before == snapshot(&s.root.join("target"));
    assert!(unchanged, "files changed after signal {sig}");
}

/// The suite's process and its batches as processes (the point), the
/// batches the fake trybuild's (trybuild's builds are not the point). Each
/// case on a scratch tree of its own, all at once: they wait on processes,
/// not on the machine. The real chain (cargo, trybuild, its cargo) is
/// stopped by the next test, through `cargo xtask bless`.
#[cfg(target_os = "linux")]
#[test]
fn a_stopped_run_stops_every_batch_and_writes_nothing_after() {
    use libc::{SIGINT, SIGKILL, SIGTERM};
    let cases = [
        (SIGTERM, false),
        (SIGINT, false),
        (SIGKILL, false),
        (SIGINT, true),
    ];
    std::thread::scope(|scope| {
        let cases = cases.map(|(sig, ignored)| scope.spawn(move || stops_on(sig, ignored)));
        for case in cases {
            if let Err(panic) = case.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
}

/// `cargo xtask bless`, stopped while a toolchain's run is under way: its
/// `cargo test`, the suite and every batch stop, and the tree is unchanged.
/// With SIGTERM it stops them; with SIGKILL (`kill -9`) they stop
/// themselves within two seconds, and the next run removes the files the
/// killed one left in the compiler's directory. The real chain (cargo, the
/// xtask, its `cargo test`, trybuild and its cargo) is the point, each
/// process of it; on a clone of the checkout (bless must never run on the
/// real `ui/`).
#[cfg(target_os = "linux")]
#[test]
fn a_stopped_bless_stops_every_toolchain_run_and_changes_nothing() {
    // The point is stopping, not building: the scratch checkout, whose
    // build stays fresh between runs.
    let scratch = ScratchCheckout::take();
    let clone = scratch.a.clone();
    let sleeps = "//! output: exact\n//! timeout: 120s\n";
    let sleeper = source("listing-16-99", "run", sleeps, SLEEPER);
    let path = clone.join("ui/ch16-01-threads/listing-16-99-sleeper.rs");
    fs::write(path, sleeper).unwrap();
    stop_bless(&scratch, libc::SIGTERM);
    let xtask = stop_bless(&scratch, libc::SIGKILL);
    let dir = Workdirs::within(&clone, &clone, &rustc().key()).unwrap();
    let dir = dir.report().parent().unwrap().to_path_buf();
    let left = dir.join(format!("collect.{xtask}.log"));
    assert!(left.exists(), "the killed bless left no {}", left.display());
    // A file of an xtask long gone (above any pid Linux gives).
    let older = dir.join(format!("report.{}.json", i32::MAX));
    fs::write(&older, "{}").unwrap();
    let check = "run --quiet --package xtask -- check --filter 16-99 --rustc".split(' ');
    let ran = ch16_ui::emit::not_for_github(&mut Command::new("cargo"))
        .current_dir(&clone)
        .args(check)
        .arg(rustc_path())
        .envs(scratch.env())
        .env("CH16_STOP_SLEEP", "10")
        .env_remove(ch16_ui::names::ROOT_ENV)
        .env_remove(ch16_ui::names::COLLECT_ENV)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&ran.stderr);
    assert!(
        !left.exists() && !older.exists(),
        "not removed by the next run:\n{said}"
    );
    let _ = fs::remove_dir_all(&clone);
}

/// Start `cargo xtask bless` on the scratch checkout, send the xtask `sig`
/// while its run sleeps: everything under the checkout stops within
/// seconds, and `ui/` is unchanged; the xtask's pid.
#[cfg(target_os = "linux")]
fn stop_bless(scratch: &ScratchCheckout, sig: i32) -> i32 {
    use std::os::unix::process::CommandExt;
    let clone = &scratch.a;
    let tree = snapshot(&clone.join("ui"));
    let mut child = ch16_ui::emit::not_for_github(&mut Command::new("cargo"))
        .current_dir(clone)
        .args("run --quiet --package xtask -- bless --filter 16-99 --rustc".split(' '))
        .arg(rustc_path())
        .envs(scratch.env())
        .env("CH16_STOP_SLEEP", "60000")
        .env_remove(ch16_ui::names::ROOT_ENV)
        .env_remove(ch16_ui::names::COLLECT_ENV)
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    until_sleeping(&mut child, clone, 300);
    // `cargo run` becomes the program it runs (exec).
    let xtask = child.id() as i32;
    let runs_it = |p: &Proc| p.pid == xtask && p.args[0].ends_with("/xtask");
    assert!(processes().iter().any(runs_it), "cargo runs the xtask");
    let sent = Instant::now();
    assert_eq!(unsafe { libc::kill(xtask, sig) }, 0);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = [Some(128 + sig), None][usize::from(sig == libc::SIGKILL)];
    assert!(out.status.code() == code, "{stdout}{stderr}");
    let stopped = within(2, || working_under(clone).is_empty());
    let (after, left) = (sent.elapsed(), working_under(clone));
    kill(&left);
    assert!(
        stopped,
        "still running {after:?} after signal {sig} to bless: {left:#?}"
    );
    assert!(!stdout.contains("summary"), "{stdout}");
    let unchanged = tree == snapshot(&clone.join("ui"));
    assert!(unchanged, "bless changed ui/ after it was stopped");
    assert!(!clone.join(ch16_ui::names::PENDING).exists());
    xtask
}

/// Under `cargo nextest` every fixture's test is a process of its own: one
/// run of the suite serves them all, and a change to anything a verdict
/// depends on (the nextest run, a file under `ui/`) makes another. The runs
/// are stood in for by one report (of a run that selected no fixture),
/// renamed for each.
#[test]
fn one_run_serves_a_nextest_run_and_is_never_read_stale() {
    let s = Scratch::new("nextest");
    s.one_failing_one_running();
    let rustc = rustc();
    let opts = options(&s.root, &rustc);
    let none = ["no fixture".to_string()];
    let selects_none = ch16_ui::observe::Options {
        filters: &none,
        ..options(&s.root, &rustc)
    };
    let report = harness::run(&selects_none, &Fake::new(&s)).unwrap();
    let programs = [std::path::PathBuf::from(OBSERVER)];
    let runs = std::cell::Cell::new(0);
    // The run that served `nextest_run`.
    let shared = |nextest_run: &str| {
        let first = || {
            runs.set(runs.get() + 1);
            let mut report = report.clone();
            report.run_id = format!("run {}", runs.get());
            Ok(report)
        };
        harness::shared(&opts, nextest_run, &programs, first)
            .unwrap()
            .run_id
    };
    assert_eq!(shared("a"), "run 1");
    assert_eq!(shared("a"), "run 1", "read, not run again");
    assert_eq!(shared("b"), "run 2", "another nextest run");
    let edited = s.root.join("ui/ch16-01-threads/listing-16-92-ok.stdout");
    std::fs::write(&edited, "fine, edited\n").unwrap();
    assert_eq!(shared("b"), "run 3", "an expectation edited");
    s.fine("listing-16-93-more");
    assert_eq!(shared("b"), "run 4", "a fixture added");
    assert_eq!(shared("b"), "run 4");
}

/// A scratch suite whose one fixture runs a shell that ignores SIGTERM,
/// SIGINT and SIGHUP, waiting for a `sleep` of `duration` seconds.
#[cfg(target_os = "linux")]
fn stubborn_suite(name: &str, duration: &str) -> Scratch {
    let s = Scratch::new(name);
    let script = format!("trap '' TERM INT HUP; sleep {duration}; true");
    let code = format!(
        "fn main() {{\n    let sh = std::process::Command::new(\"sh\").args([\"-c\", \"{script}\"]).status();\n    \
         println!(\"slept {{}}\", sh.is_ok());\n}}\n"
    );
    let header = "//! output: exact\n//! timeout: 120s\n";
    s.fixture(
        "listing-16-01-stubborn",
        "run",
        header,
        &code,
        Some("slept true\n"),
    );
    s.write("ui/toolchains.txt", "1.80\n");
    s
}

/// Wait until a `sleep` of `duration` runs; fails with `child`'s output if
/// it ends first.
#[cfg(target_os = "linux")]
fn until_asleep(child: &mut std::process::Child, duration: &str, root: &Path) {
    let mut ended = false;
    let came = within(60, || {
        ended = ended || child.try_wait().unwrap().is_some();
        ended || !sleeping(duration).is_empty()
    });
    if ended || !came {
        kill_survivors(duration, root);
        let _ = child.kill();
        let out = [child.stdout.take().map(std::io::read_to_string)];
        let err = [child.stderr.take().map(std::io::read_to_string)];
        panic!("the stubborn fixture never slept:\n{out:?}\n{err:?}");
    }
}

/// A program that ignores SIGTERM, SIGINT and SIGHUP, and its child that
/// does too: Ctrl-C (`kill -INT -PGID` of the suite's group) stops both
/// within two seconds, as SIGKILL follows SIGTERM.
#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_stops_a_program_that_ignores_sigterm() {
    let duration = distinctive("50.5");
    let s = stubborn_suite("stubborn-int", &duration);
    let mut child = start_suite(&s, 0, false);
    until_asleep(&mut child, &duration, &s.root);
    let sent = Instant::now();
    assert_eq!(unsafe { libc::kill(-(child.id() as i32), libc::SIGINT) }, 0);
    let gone = within(2, || {
        sleeping(&duration).is_empty() && working_under(&s.root).is_empty()
    });
    let after = sent.elapsed();
    let _ = child.wait();
    let left = kill_survivors(&duration, &s.root);
    assert!(gone, "still running {after:?} after Ctrl-C: {left:#?}");
}

/// SIGTERM to the suite's parent alone (cargo, stood in for by a shell
/// waiting for it), as a CI runner's cancel may send: the suite, its
/// batches, the runner and the program stop within two seconds.
#[cfg(target_os = "linux")]
#[test]
fn the_suite_stops_when_its_parent_is_stopped() {
    use std::os::unix::process::CommandExt;
    let duration = distinctive("50.6");
    let s = stubborn_suite("stubborn-parent", &duration);
    let mut parent = Command::new("sh");
    ch16_ui::emit::not_for_github(&mut parent)
        .args(["-c", "\"$0\" \"$@\"; status=$?; exit $status"])
        .arg(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "runs::stopped_suite_child",
            "--nocapture",
        ])
        .env(FAKE_ROOT_ENV, &s.root)
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut parent = parent.spawn().unwrap();
    until_asleep(&mut parent, &duration, &s.root);
    let sent = Instant::now();
    assert_eq!(unsafe { libc::kill(parent.id() as i32, libc::SIGTERM) }, 0);
    let _ = parent.wait();
    let gone = within(2, || {
        sleeping(&duration).is_empty() && working_under(&s.root).is_empty()
    });
    let after = sent.elapsed();
    let left = kill_survivors(&duration, &s.root);
    assert!(
        gone,
        "still running {after:?} after its parent was stopped: {left:#?}"
    );
}
