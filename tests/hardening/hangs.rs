//! `expect: hang`: a program meant never to end passes by being still
//! running at its time limit, where it is stopped with everything it
//! started, within the limit and a second; finishing in any way fails it.

use crate::support::*;
use ch16_ui::check::report::Report;
use ch16_ui::observe::BatchStatus;
use ch16_ui::observe::stage::Workdirs;
use ch16_ui::problem::Check;
use std::fs;
use std::time::{Duration, Instant};

/// The header lines of a hang fixture with a limit of one second.
const HANG: &str = "//! output: exact\n//! timeout: 1s\n";

/// The line of `expect:` in a scratch fixture's header.
const EXPECT_LINE: usize = 6;

/// `body` as `main`, then an endless loop.
fn hangs_after(body: &str) -> String {
    let sleep = "std::thread::sleep(std::time::Duration::from_millis(50));";
    format!("fn main() {{\n    {body}\n    loop {{\n        {sleep}\n    }}\n}}\n")
}

/// How long the suite waited for the program of fixture `stem` in the last
/// run of the scratch suite at `s`, as the runner measured it.
fn waited(s: &Scratch, stem: &str) -> Duration {
    let dirs = Workdirs::within(&s.root, &s.root, &rustc().key()).unwrap();
    let runs = dirs.last_runs();
    let took = runs.get(&format!("ui/ch16-01-threads/{stem}.rs"));
    *took.unwrap_or_else(|| panic!("{stem} did not run: {runs:?}"))
}

/// The one outcome problem of `stem`: its line and its words.
fn outcome(r: &Report, stem: &str) -> (Option<usize>, String) {
    let problems = r
        .problems(&format!("ui/ch16-01-threads/{stem}.rs"))
        .unwrap();
    let mine: Vec<_> = problems
        .iter()
        .filter(|p| p.check == Check::Outcome)
        .collect();
    assert_eq!(mine.len(), 1, "{stem}:\n{}", summary(r));
    assert_eq!(problems.len(), 1, "no other problem:\n{}", summary(r));
    (mine[0].line, mine[0].to_string())
}

/// A hang fixture that returns, panics or aborts fails on its `expect:`
/// line, saying how it ended and when, with the fix; the runner exits
/// non-zero, so trybuild fails it too. Its output is not compared.
#[test]
fn a_hang_that_finishes_fails_however_it_ends() {
    let s = Scratch::new("hang-finishes");
    let returns = "fn main() {\n    println!(\"done\");\n}\n";
    let panics = "fn main() {\n    panic!(\"no\");\n}\n";
    let aborts = "fn main() {\n    std::process::abort();\n}\n";
    s.fixture(
        "listing-16-91-returns",
        "hang",
        HANG,
        returns,
        Some("other\n"),
    );
    s.fixture("listing-16-92-panics", "hang", HANG, panics, Some(""));
    s.fixture("listing-16-93-aborts", "hang", HANG, aborts, Some(""));
    let r = run(&s);
    let fix = "fix: if it is meant to finish, write `expect: run`; if not, find why it ended";
    let start = "expected to hang (`expect: hang`, line 6), but it finished after ";
    for (stem, how, tail) in [
        ("listing-16-91-returns", "exit status: 0", "done"),
        ("listing-16-92-panics", "exit status: 101", "panicked"),
        ("listing-16-93-aborts", "signal: 6", "(stdout was empty)"),
    ] {
        let (line, said) = outcome(&r, stem);
        assert_eq!(line, Some(EXPECT_LINE), "{said}");
        assert!(said.starts_with(start), "{said}");
        holds(&said, &[&format!(" s with {how}\n"), tail]);
        assert!(said.ends_with(fix), "{said}");
    }
    assert_eq!(r.pass.1, BatchStatus::Failed, "{}", summary(&r));
    // As a reader of the terminal sees it.
    let shown = summary(&r);
    holds(
        &shown,
        &["(listing-16-91 hangs)", "3 runnable (3 meant to hang)"],
    );
}

/// Hang fixtures still running at their limit pass, and trybuild passes
/// them (the runner exits 0); what they printed before they were stopped
/// is compared with `.stdout` (and, with `stderr: exact`, `.stderr`).
#[test]
fn a_hang_passes_at_its_limit_and_its_output_is_compared() {
    let s = Scratch::new("hang-hangs");
    let stderr = "//! output: exact\n//! stderr: exact\n//! timeout: 1s\n";
    let both = hangs_after("println!(\"waiting\");\n    eprintln!(\"stuck\");");
    s.fixture(
        "listing-16-91-hangs",
        "hang",
        stderr,
        &both,
        Some("waiting\n"),
    );
    s.write("ui/ch16-01-threads/listing-16-91-hangs.stderr", "stuck\n");
    let first = hangs_after("println!(\"first\");");
    s.fixture(
        "listing-16-92-differs",
        "hang",
        HANG,
        &first,
        Some("second\n"),
    );
    let r = run(&s);
    let shown = summary(&r);
    assert!(passed(&r, "listing-16-91-hangs"), "{shown}");
    assert!(
        messages(&r, "listing-16-92-differs", Check::Outcome).is_empty(),
        "{shown}"
    );
    let output = messages(&r, "listing-16-92-differs", Check::Output);
    assert_eq!(output.len(), 1, "{shown}");
    holds(
        &output[0],
        &["-second", "+first", "cargo xtask bless --filter 16-92"],
    );
    assert_eq!(r.pass.1, BatchStatus::Ok, "{shown}");
    for stem in ["listing-16-91-hangs", "listing-16-92-differs"] {
        let took = waited(&s, stem);
        assert!(
            took >= Duration::from_secs(1),
            "{stem} stopped early: {took:?}"
        );
    }
}

/// A hang whose children ignore SIGTERM, one in its process group and one
/// that left it holding its stdout, is stopped at its limit: both children
/// go with it (the one outside its group as inherited by the runner, a
/// child subreaper), and the suite waits for it no more than the limit and
/// 1.5 s, though that child would keep the pipe open for 20 s.
#[cfg(target_os = "linux")]
#[test]
fn a_hang_ignoring_sigterm_with_children_is_stopped_within_its_limit() {
    let s = Scratch::new("hang-stubborn");
    let marker = format!("ch16-stubborn-{}", std::process::id());
    let script = "trap '' TERM; i=0; while [ $i -lt 20 ]; do sleep 1; i=$((i+1)); done";
    let child = |name: &str, own_group: bool| {
        let group = if own_group { ".process_group(0)" } else { "" };
        format!(
            "std::process::Command::new(\"sh\").args([\"-c\", \"{script}\", \"{marker}-{name}\"]){group}.spawn().unwrap();"
        )
    };
    let body = format!(
        "{}\n    {}\n    println!(\"waiting\");",
        child("in", false),
        child("out", true)
    );
    let code = format!(
        "use std::os::unix::process::CommandExt as _;\n\n{}",
        hangs_after(&body)
    );
    s.fixture(
        "listing-16-91-stubborn",
        "hang",
        HANG,
        &code,
        Some("waiting\n"),
    );
    let start = Instant::now();
    let r = run(&s);
    let whole = start.elapsed();
    let alive = |name: &str| {
        let name = format!("{marker}-{name}");
        let procs = processes().into_iter();
        procs.filter(|p| p.args.contains(&name)).collect::<Vec<_>>()
    };
    let (inside, outside) = (alive("in"), alive("out"));
    // Ours, if they outlived the run: started by this test's fixture.
    kill(&inside);
    kill(&outside);
    assert!(passed(&r, "listing-16-91-stubborn"), "{}", summary(&r));
    let took = waited(&s, "listing-16-91-stubborn");
    let bound = Duration::from_millis(2500);
    assert!(took < bound, "the suite waited {took:?} for a 1 s limit");
    assert!(took >= Duration::from_secs(1), "stopped early: {took:?}");
    assert!(whole < Duration::from_secs(15), "the run took {whole:?}");
    assert!(
        inside.is_empty(),
        "its child in its group outlived it: {inside:?}"
    );
    assert!(
        outside.is_empty(),
        "its child outside its group outlived it: {outside:?}"
    );
}

/// A real trybuild on a tree inside the crate: trybuild passes the hang
/// that is still running at its limit, and fails the one that returns.
#[cfg(target_os = "linux")]
#[test]
fn real_trybuild_passes_a_hang_at_its_limit_and_fails_one_that_ends() {
    use ch16_ui::model::suite::Suite;
    use ch16_ui::observe::trybuild::verdict;
    let s = Scratch::in_crate("hangs");
    let rustc = rustc();
    let returns = "fn main() {\n    println!(\"done\");\n}\n";
    let hangs = hangs_after("println!(\"waiting\");");
    s.fixture(
        "listing-16-91-hangs",
        "hang",
        HANG,
        &hangs,
        Some("waiting\n"),
    );
    s.fixture("listing-16-92-returns", "hang", HANG, returns, Some(""));
    let dirs = Workdirs::within(&crate_dir(), &s.root, &rustc.key()).unwrap();
    let log = |n: usize| dirs.pass_target(n).with_extension("log");
    // Reports of earlier runs say nothing of this one.
    (0..8).for_each(|n| drop(fs::remove_file(log(n))));
    let r = real_run(&s, &rustc);
    let shown = summary(&r);
    assert!(passed(&r, "listing-16-91-hangs"), "{shown}");
    let (line, said) = outcome(&r, "listing-16-92-returns");
    assert_eq!(line, Some(EXPECT_LINE), "{said}");
    // trybuild's own verdicts, from its reports, read as the suite reads them.
    let suite = Suite::load(&s.root).unwrap();
    let mut verdicts = Vec::new();
    for n in 0..8 {
        let text = fs::read_to_string(log(n)).unwrap_or_default();
        for (fixture, _) in suite.loaded() {
            // An error: this report holds no verdict on it.
            if let Ok(said) = verdict(&text, &dirs.staged(fixture)) {
                let status = said.map_or("ok".into(), |(word, _)| word);
                verdicts.push(format!("{}: {status}", fixture.stem));
            }
        }
    }
    verdicts.sort();
    let expected = ["listing-16-91-hangs: ok", "listing-16-92-returns: error"];
    assert_eq!(verdicts, expected, "{shown}");
}
