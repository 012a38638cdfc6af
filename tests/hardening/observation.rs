//! What the observation boundary sees and what it must not miss: fixtures
//! trybuild never reached, compiles the observer cannot record, and the real
//! trybuild on scratch trees (hangs, wrong compiles, a compile killed mid-run).

use crate::support::*;
use ch16_ui::check::report::Report;
use ch16_ui::harness;
use ch16_ui::model::suite::Suite;
use ch16_ui::observe::Batch;
use ch16_ui::observe::BatchStatus;
use ch16_ui::observe::Driver;
use ch16_ui::observe::Options;
use ch16_ui::observe::Running;
use ch16_ui::observe::record::Records;
use ch16_ui::observe::stage::Workdirs;
use ch16_ui::problem::Check;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;
use std::time::Instant;

/// A trybuild that gives up before its batch's last fixture.
struct GivesUp(Fake);

impl Driver for GivesUp {
    fn start(&self, batch: &Batch) -> Box<dyn Running> {
        let mut shorter = Batch {
            paths: batch.paths.clone(),
            env: batch.env.clone(),
            target: batch.target.clone(),
            log: batch.log.clone(),
            pass: batch.pass,
        };
        shorter.paths.pop();
        self.0.start(&shorter)
    }
}

#[test]
fn a_fixture_trybuild_never_reached_fails_the_run_by_name() {
    let s = Scratch::new("unobserved");
    let fix = "listing-16-93";
    let code = FAILS_E0308;
    s.fails("listing-16-91-cf", "E0308", fix, code, "x\n")
        .fails("listing-16-92-cf", "E0308", fix, code, "x\n")
        .fine("listing-16-93-ok");
    let rustc = rustc();
    let r = harness::run(&options(&s, &rustc), &GivesUp(Fake::new(&s))).unwrap();
    let unobserved: Vec<&str> = r
        .fixtures
        .iter()
        .filter(|f| !f.observed)
        .map(|f| f.path.as_str())
        .collect();
    // The last compile-fail fixture, and the one runnable (alone in its batch).
    assert_eq!(
        unobserved,
        [
            "ui/ch16-01-threads/listing-16-92-cf.rs",
            "ui/ch16-01-threads/listing-16-93-ok.rs"
        ]
    );
    let error = r.fixtures[1].problems[0].to_string();
    assert!(
        error.starts_with(
            "ui/ch16-01-threads/listing-16-92-cf.rs: not observed: trybuild's cargo did not compile it in this run, \
             and no earlier compile of it is still valid"
        ) && error.contains(&format!("if trybuild is not {}", ch16_ui::observe::trybuild::VERSION)),
        "{error}"
    );
    assert!(r.failed() >= 2);
}

/// Collecting for bless: trybuild's cargo compiled every fixture, but
/// trybuild stopped before writing the last one's `.stderr`. That fixture
/// must not read back as its old expectation, unchanged.
#[test]
fn collecting_a_fixture_trybuild_did_not_reach_is_not_blessable() {
    let s = Scratch::new("unreached");
    let fix = "listing-16-93";
    let code = FAILS_E0308;
    s.fails("listing-16-91-cf", "E0308", fix, code, "old\n")
        .fails("listing-16-92-cf", "E0308", fix, code, "old\n")
        .fine("listing-16-93-ok");
    let rustc = rustc();
    let fake = Fake {
        reaches: 1,
        ..Fake::new(&s)
    };
    let r = harness::run(
        &Options {
            collect: true,
            ..options(&s, &rustc)
        },
        &fake,
    )
    .unwrap();
    // Through the JSON the xtask reads.
    let path = Workdirs::within(&s.root, &s.root, &rustc.key())
        .unwrap()
        .report();
    r.write(&path).unwrap();
    let collected = Report::read(&path).unwrap();
    let observed = |stem: &str| {
        collected
            .fixtures
            .iter()
            .find(|o| o.path == format!("ui/ch16-01-threads/{stem}.rs"))
            .unwrap()
    };
    let reached = observed("listing-16-91-cf");
    let stderr = [ch16_ui::model::expect::Kind::Stderr];
    assert!(reached.blessable(&stderr), "{}", summary(&r));
    assert_eq!(
        reached.actual(ch16_ui::model::expect::Kind::Stderr),
        Some("error: fake, of trybuild000\n")
    );
    let unreached = observed("listing-16-92-cf");
    assert!(!unreached.blessable(&stderr), "{}", summary(&r));
    assert_eq!(unreached.actual(ch16_ui::model::expect::Kind::Stderr), None);
    let messages: Vec<String> = unreached.problems.iter().map(|p| p.to_string()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("trybuild did not reach it: it wrote no .stderr")),
        "{messages:?}"
    );
}

#[test]
fn a_compile_the_observer_cannot_record_fails() {
    let s = Scratch::new("unrecordable");
    let source = s.root.join("main.rs");
    fs::write(&source, "fn main() {}\n").unwrap();
    // Where the records directory should be, a file.
    let records = s.root.join("records");
    fs::write(&records, "").unwrap();
    let out = Command::new(OBSERVER)
        .arg("rustc")
        .args([
            "--crate-name",
            "trybuild000",
            "--edition=2024",
            "--emit=metadata",
            "--out-dir",
        ])
        .arg(&s.root)
        .arg(&source)
        .env(ch16_ui::observe::record::RECORDS_ENV, &records)
        .env(ch16_ui::observe::record::RUN_ENV, "r")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(101), "{stderr}");
    assert!(
        stderr.contains("could not record the compile of trybuild000")
            && stderr.contains("failing it so that cargo compiles it again"),
        "{stderr}"
    );
    // Though rustc itself succeeded.
    assert!(s.root.join("libtrybuild000.rmeta").exists());
}

#[test]
fn real_trybuild_runs_are_observed_hanging_and_wrongly_compiling_fixtures_included() {
    // A space in the path: cargo splits a runner's value on whitespace, so
    // the observer must be reached without it.
    let s = Scratch::in_crate("observed run");
    assert!(s.root.to_str().is_some_and(|p| p.contains(' ')));
    let rustc = rustc();
    let wrongly_compiles = "fn main() {} //~ ERROR E0308\n";
    let hang = "fn main() {\n    println!(\"waiting\");\n    loop {\n        std::thread::sleep(std::time::Duration::from_secs(1));\n    }\n}\n";
    let print = |word: &str| format!("fn main() {{\n    println!(\"{word}\");\n}}\n");
    // trybuild alone allows dead code (`-A dead_code`); the suite's flags,
    // which replace trybuild's, warn about it as a bare rustc does.
    let unused = "fn main() {\n    println!(\"fine\");\n}\n\nfn helper() {}\n";
    let annotated =
        "fn main() {\n    println!(\"fine\");\n}\n\nfn helper() {} //~ WARN dead_code\n";
    let hangs = "//! output: exact\n//! timeout: 1s\n";
    s.fails(
        "listing-16-91-compiles",
        "E0308",
        "listing-16-92",
        wrongly_compiles,
        "x\n",
    )
    .runs("listing-16-92-edited", &print("one"), Some("one\n"))
    .fixture("listing-16-93-hangs", "run", hangs, hang, Some("waiting\n"))
    .runs("listing-16-94-unused", unused, Some("fine\n"))
    .runs("listing-16-95-annotated", annotated, Some("fine\n"));
    // Run times that put every program in a shard of its own, 16-92 in the
    // first: alone in the second run, it stays where it was, so that only
    // the edit can make cargo compile it again.
    let dirs = Workdirs::within(&crate_dir(), &s.root, &rustc.key()).unwrap();
    let runnable = ["92-edited", "93-hangs", "94-unused", "95-annotated"];
    let durations: String = runnable
        .iter()
        .map(|r| format!("ui/ch16-01-threads/listing-16-{r}.rs\t100\n"))
        .collect();
    fs::create_dir_all(dirs.durations().parent().unwrap()).unwrap();
    fs::write(dirs.durations(), durations).unwrap();

    let start = Instant::now();
    let first = real_run(&s, &rustc);
    let took = start.elapsed();
    let summary = crate::support::summary(&first);
    // The runner killed the hanging program at its limit and exited
    // non-zero: trybuild reported it; the other programs ran.
    assert_eq!(
        messages(&first, "listing-16-93-hangs", Check::Outcome),
        [
            "timed out: killed after 1 s; if it is meant to take longer, raise `timeout:` in its header\n    last lines of stdout:\n        waiting"
        ],
        "{summary}"
    );
    assert!(took < Duration::from_secs(60), "took {took:?}");
    assert_eq!(first.pass.1, BatchStatus::Failed, "{summary}");
    assert!(passed(&first, "listing-16-92-edited"), "{summary}");
    assert_eq!(
        messages(&first, "listing-16-91-compiles", Check::Outcome),
        [COMPILED_E0308]
    );
    let line = s.line("listing-16-94-unused", "fn helper");
    assert_eq!(
        messages(&first, "listing-16-94-unused", Check::Annotations),
        [format!(
            "the `//~` annotations disagree with the compiler:\n    {}",
            unannotated(line, "WARN dead_code", "function `helper` is never used")
        )]
    );
    assert!(passed(&first, "listing-16-95-annotated"), "{summary}");
    let compiled_in = |report: &Report| {
        let records = Records::of(&dirs.pass_target(0));
        let mine = records
            .compiles("trybuild000")
            .into_iter()
            .find(|c| c.run == report.run_id);
        mine.and_then(|c| c.dep_info).map(|d| d.path)
    };
    let where_first = compiled_in(&first);
    assert!(
        where_first.is_some(),
        "16-92 was not compiled in the first shard:\n{summary}"
    );

    // Second run, 16-92 edited (the others have made their point): it is
    // compiled again, in the same place, and recorded again; the
    // compile-fail fixture that compiles is fresh for cargo, so the record
    // of its earlier compile is what says it compiled.
    for stem in runnable.iter().skip(1) {
        for ext in ["rs", "stdout"] {
            fs::remove_file(
                s.root
                    .join(format!("ui/ch16-01-threads/listing-16-{stem}.{ext}")),
            )
            .unwrap();
        }
    }
    s.runs("listing-16-92-edited", &print("two"), None);
    let second = real_run(&s, &rustc);
    let summary = crate::support::summary(&second);
    assert_eq!(compiles(&second, "listing-16-91-compiles"), 0, "{summary}");
    assert_eq!(
        messages(&second, "listing-16-91-compiles", Check::Outcome),
        [COMPILED_E0308]
    );
    assert_eq!(compiles(&second, "listing-16-92-edited"), 1, "{summary}");
    assert_eq!(compiled_in(&second), where_first, "{summary}");
    let edited = messages(&second, "listing-16-92-edited", Check::Output);
    assert!(edited.len() == 1 && edited[0].contains("+two"), "{summary}");
}

/// The pid of a running rustc compiling `source`.
#[cfg(target_os = "linux")]
fn rustc_compiling(source: &Path) -> Option<u32> {
    let needle = source.to_str()?.as_bytes();
    fs::read_dir("/proc").ok()?.find_map(|e| {
        let pid: u32 = e.ok()?.file_name().to_str()?.parse().ok()?;
        let cmdline = fs::read(format!("/proc/{pid}/cmdline")).ok()?;
        let args: Vec<&[u8]> = cmdline.split(|&b| b == 0).collect();
        let is_rustc = args.first()?.ends_with(b"/rustc") || *args.first()? == b"rustc";
        (is_rustc && args.contains(&needle)).then_some(pid)
    })
}

#[cfg(target_os = "linux")]
#[test]
fn real_trybuild_compile_killed_mid_run_is_not_recorded() {
    let s = Scratch::in_crate("killed");
    let rustc = rustc();
    // New text every time, so that cargo must compile it; a constant that
    // takes the compiler a while, so that it can be caught doing so.
    let nonce = format!("{:?}", std::time::SystemTime::now());
    let code = format!(
        "// {nonce}\n#![allow(long_running_const_eval)]\n\nconst fn sum(n: u64) -> u64 {{\n    let mut i = 0;\n    let mut s = 0;\n    while i < n {{\n        s += i % 7;\n        i += 1;\n    }}\n    s\n}}\nconst S: u64 = sum(300_000);\n\nfn main() {{\n    println!(\"{{}}\", S > 0);\n}}\n"
    );
    s.runs("listing-16-91-slow", &code, Some("true\n"));
    let suite = Suite::load(&s.root).unwrap();
    let dirs = Workdirs::within(&crate_dir(), &s.root, &rustc.key()).unwrap();
    let staged = crate_dir().join(dirs.staged(&suite.fixtures[0]));
    let killed = std::thread::scope(|scope| {
        let killer = scope.spawn(|| {
            let deadline = Instant::now() + Duration::from_secs(60);
            while Instant::now() < deadline {
                if let Some(pid) = rustc_compiling(&staged) {
                    return Command::new("kill")
                        .args(["-KILL", &pid.to_string()])
                        .status()
                        .is_ok_and(|s| s.success());
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            false
        });
        let report = real_run(&s, &rustc);
        (killer.join().unwrap(), report)
    });
    let (was_killed, first) = killed;
    assert!(
        was_killed,
        "rustc was never seen compiling {}",
        staged.display()
    );
    // trybuild took the killed build for one without errors and ran the
    // program, so cargo compiled it again. Only that second compile was
    // recorded: one compile in this run, though rustc was started twice.
    let summary = crate::support::summary(&first);
    assert_eq!(compiles(&first, "listing-16-91-slow"), 1, "{summary}");
    assert_eq!(first.failed(), 0, "{summary}");
    let records = s.records(&rustc, true);
    let kept: Vec<_> = records
        .compiles("trybuild000")
        .into_iter()
        .filter(|c| c.run == first.run_id)
        .collect();
    assert!(
        kept.len() == 1 && kept[0].code == 0 && kept[0].source == staged,
        "{kept:?}"
    );

    // The next run finds it fresh, and the record of that compile still valid.
    let second = real_run(&s, &rustc);
    assert_eq!(second.failed(), 0, "{}", crate::support::summary(&second));
    assert_eq!(compiles(&second, "listing-16-91-slow"), 0);
}
