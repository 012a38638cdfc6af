//! What the observation boundary sees and what it must not miss: fixtures
//! trybuild never reached, compiles the observer cannot record, and the real
//! trybuild on a scratch tree (hangs, a program's children, wrong compiles,
//! a compile killed mid-run, edits).

use crate::support::*;
use ch16_ui::check::report::Report;
use ch16_ui::harness;
use ch16_ui::model::expect::Kind;
use ch16_ui::model::suite::Suite;
use ch16_ui::observe::record::Records;
use ch16_ui::observe::stage::Workdirs;
use ch16_ui::observe::{Batch, BatchStatus, Driver, Options, Running};
use ch16_ui::problem::Check;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// A trybuild that gives up before its batch's last fixture.
struct GivesUp(Fake);

impl Driver for GivesUp {
    fn start(&self, batch: &Batch) -> Box<dyn Running> {
        let mut shorter = copied(batch);
        shorter.paths.pop();
        self.0.start(&shorter)
    }
}

/// A fixture trybuild's cargo never compiled fails the run by name. And
/// collecting for bless, where trybuild's cargo compiled every fixture but
/// trybuild stopped before writing the last one's `.stderr`: that fixture
/// must not read back as its old expectation, unchanged.
#[test]
fn a_fixture_trybuild_never_reached_fails_by_name_and_is_not_blessable() {
    let s = Scratch::new("unobserved");
    let (fix, code) = ("listing-16-93", FAILS_E0308);
    s.fails("listing-16-91-cf", "E0308", fix, code, "old\n")
        .fails("listing-16-92-cf", "E0308", fix, code, "old\n")
        .fine("listing-16-93-ok");
    let rustc = rustc();
    let r = harness::run(&options(&s.root, &rustc), &GivesUp(Fake::new(&s))).unwrap();
    let unobserved = r.fixtures.iter().filter(|f| !f.observed).map(|f| &f.path);
    // The last compile-fail fixture, and the one runnable (alone in its batch).
    let (cf, ok) = (
        "ui/ch16-01-threads/listing-16-92-cf.rs",
        "ui/ch16-01-threads/listing-16-93-ok.rs",
    );
    assert_eq!(unobserved.collect::<Vec<_>>(), [cf, ok]);
    let error = r.fixtures[1].problems[0].to_string();
    let not_observed = format!(
        "{cf}: not observed: trybuild's cargo did not compile it in this run, and no earlier compile of it \
         is still valid"
    );
    assert!(error.starts_with(&not_observed), "{error}");
    holds(
        &error,
        &[&format!(
            "if trybuild is not {}",
            ch16_ui::observe::trybuild::VERSION
        )],
    );
    assert!(r.failed() >= 2);

    let fake = Fake {
        reaches: 1,
        ..Fake::new(&s)
    };
    let compile_fail = ["16-91".to_string(), "16-92".to_string()];
    let collect = Options {
        collect: true,
        filters: &compile_fail,
        ..options(&s.root, &rustc)
    };
    let r = harness::run(&collect, &fake).unwrap();
    // Through the JSON the xtask reads.
    let path = Workdirs::within(&s.root, &s.root, &rustc.key())
        .unwrap()
        .report();
    r.write(&path).unwrap();
    let collected = Report::read(&path).unwrap();
    let observed = |stem: &str| {
        let path = format!("ui/ch16-01-threads/{stem}.rs");
        collected.fixtures.iter().find(|o| o.path == path).unwrap()
    };
    let (reached, summary) = (observed("listing-16-91-cf"), summary(&r));
    assert!(reached.blessable(&[Kind::Stderr]), "{summary}");
    let written = Some("error: fake, of trybuild000\n");
    assert_eq!(reached.actual(Kind::Stderr), written);
    let unreached = observed("listing-16-92-cf");
    assert!(!unreached.blessable(&[Kind::Stderr]), "{summary}");
    assert_eq!(unreached.actual(Kind::Stderr), None);
    let messages: Vec<String> = unreached.problems.iter().map(|p| p.to_string()).collect();
    let unreached = |m: &String| m.starts_with("trybuild did not reach it: it wrote no .stderr");
    assert!(messages.iter().any(unreached), "{messages:?}");
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
        .args(["--crate-name", "trybuild000", "--edition=2024"])
        .args(["--emit=metadata", "--out-dir"])
        .arg(&s.root)
        .arg(&source)
        .env(ch16_ui::observe::record::RECORDS_ENV, &records)
        .env(ch16_ui::observe::record::RUN_ENV, "r")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(101), "{stderr}");
    let failed = "failing it so that cargo compiles it again";
    holds(
        &stderr,
        &["could not record the compile of trybuild000", failed],
    );
    // Though rustc itself succeeded.
    assert!(s.root.join("libtrybuild000.rmeta").exists());
}

/// The pid of a running rustc compiling `source`.
#[cfg(target_os = "linux")]
fn rustc_compiling(source: &Path) -> Option<i32> {
    let needle = source.to_str()?.as_bytes();
    fs::read_dir("/proc").ok()?.find_map(|e| {
        let pid: i32 = e.ok()?.file_name().to_str()?.parse().ok()?;
        let cmdline = fs::read(format!("/proc/{pid}/cmdline")).ok()?;
        let args: Vec<&[u8]> = cmdline.split(|&b| b == 0).collect();
        let is_rustc = args.first()?.ends_with(b"/rustc") || *args.first()? == b"rustc";
        (is_rustc && args.contains(&needle)).then_some(pid)
    })
}

/// Kill the first rustc seen compiling `staged` within a minute; whether
/// one was.
#[cfg(target_os = "linux")]
fn kill_rustc_compiling(staged: &Path) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Some(pid) = rustc_compiling(staged) {
            return unsafe { libc::kill(pid, libc::SIGKILL) } == 0;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    false
}

/// Where cargo put the dependency file of the program `trybuild000` of the
/// first pass shard, compiled in the run of `report`.
#[cfg(target_os = "linux")]
fn compiled_in(dirs: &Workdirs, report: &Report) -> Option<std::path::PathBuf> {
    let compiles = Records::of(&dirs.pass_target(0)).compiles("trybuild000");
    let mine = compiles.into_iter().find(|c| c.run == report.run_id);
    mine.and_then(|c| c.dep_info).map(|d| d.path)
}

/// The real trybuild, twice, on a tree inside the crate (trybuild wants its
/// fixtures there): what trybuild's cargo does is the point. A space in the
/// path (cargo splits a runner's value on whitespace, so the observer must
/// be reached without it). In the first run: a program that hangs (with a
/// child) is killed at its limit; a program that leaves children running
/// (one holding its output, one detached) ends, and no child outlives the
/// run; a compile-fail fixture compiles; dead code is warned about as a bare
/// rustc does (annotated, it passes); a compile killed mid-run is not
/// recorded (cargo compiles it again, and only that compile counts). In the
/// second: an edited program is compiled again in the same place, and the
/// fixtures cargo finds fresh are judged by the records of their earlier
/// compiles.
#[cfg(target_os = "linux")]
#[test]
fn real_trybuild_runs_are_observed_hangs_children_kills_and_edits_included() {
    let s = Scratch::in_crate("observed run");
    assert!(s.root.to_str().is_some_and(|p| p.contains(' ')));
    let rustc = rustc();
    let marker = format!("ch16-child-{}", std::process::id());
    let child = |secs: u32, detached: bool| {
        let quiet = ".stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null())";
        format!(
            "std::process::Command::new(\"sh\").args([\"-c\", \"sleep {secs}; : {marker}\"]){}.spawn().unwrap();",
            if detached { quiet } else { "" }
        )
    };
    let main = |body: &str| format!("fn main() {{\n    {body}\n}}\n");
    let print = |word: &str| main(&format!("println!(\"{word}\");"));
    let sleep = "std::thread::sleep(std::time::Duration::from_secs(1));";
    let hang = format!("{}\n    println!(\"waiting\");", child(25, false));
    let hang = main(&format!("{hang}\n    loop {{\n        {sleep}\n    }}"));
    // New text every time, so that cargo must compile it (whatever an
    // earlier run left); a constant that takes the compiler a while, so that
    // it can be caught doing so.
    let nonce = format!("// {:?}\n", std::time::SystemTime::now());
    let slow = format!(
        "{nonce}#![allow(long_running_const_eval)]\n\nconst fn sum(n: u64) -> u64 {{\n    let mut i = 0;\n    let mut s = 0;\n    while i < n {{\n        s += i % 7;\n        i += 1;\n    }}\n    s\n}}\nconst S: u64 = sum(50_000);\n\n{}",
        main("println!(\"{}\", S > 0);")
    );
    let (holding, detached) = (child(60, false), child(45, true));
    let children = format!("{holding}\n    {detached}\n    println!(\"done\");");
    let children = main(&children);
    let hangs = "//! output: exact\n//! timeout: 1s\n";
    // trybuild alone allows dead code (`-A dead_code`); the suite's flags,
    // which replace trybuild's, warn about it as a bare rustc does.
    let compiling = "fn main() {} //~ ERROR E0308\n\nfn helper() {}\n";
    let helper = "fn helper() {} //~ WARN dead_code\n";
    let annotated = |word: &str| format!("{nonce}{}\n{helper}", print(word));
    let fix = "listing-16-92";
    s.fails("listing-16-91-compiles", "E0308", fix, compiling, "x\n");
    s.runs("listing-16-92-edited", &annotated("one"), Some("one\n"));
    s.runs("listing-16-93-slow", &slow, Some("true\n"));
    s.fixture(
        "listing-16-94-hangs",
        "run",
        hangs,
        &hang,
        Some("waiting\n"),
    );
    s.runs("listing-16-96-children", &children, Some("done\n"));
    // Last run times that give 16-92 the first pass shard alone, 16-93 the
    // second, and the others the third: alone in the second run, 16-92 and
    // 16-93 stay where they were, so that only an edit can make cargo
    // compile them again.
    let dirs = Workdirs::within(&crate_dir(), &s.root, &rustc.key()).unwrap();
    fs::create_dir_all(dirs.durations().parent().unwrap()).unwrap();
    let long = |stem: &str| format!("ui/ch16-01-threads/listing-16-{stem}.rs\t20000\n");
    fs::write(dirs.durations(), long("92-edited") + &long("93-slow")).unwrap();
    let suite = Suite::load(&s.root).unwrap();
    let staged = crate_dir().join(dirs.staged(suite.by_id("listing-16-93").unwrap().0));

    let start = Instant::now();
    let (killed, first) = std::thread::scope(|scope| {
        let killer = scope.spawn(|| kill_rustc_compiling(&staged));
        let report = real_run(&s, &rustc);
        (killer.join().unwrap(), report)
    });
    let took = start.elapsed();
    let summary = crate::support::summary(&first);
    // The runner killed the hanging program at its limit and exited
    // non-zero: trybuild reported it; the other programs ran.
    let timed_out = "timed out: killed after 1 s; if it is meant to take longer, raise `timeout:` \
                     in its header\n    last lines of stdout:\n        waiting";
    assert_eq!(
        messages(&first, "listing-16-94-hangs", Check::Outcome),
        [timed_out]
    );
    assert_eq!(first.pass.1, BatchStatus::Failed, "{summary}");
    for stem in ["92-edited", "96-children"] {
        assert!(passed(&first, &format!("listing-16-{stem}")), "{summary}");
    }
    let outcome = |r| messages(r, "listing-16-91-compiles", Check::Outcome);
    assert_eq!(outcome(&first), [COMPILED_E0308]);
    let line = s.line("listing-16-91-compiles", "fn helper");
    let unused = unannotated(line, "WARN dead_code", "function `helper` is never used");
    let annotations = messages(&first, "listing-16-91-compiles", Check::Annotations);
    assert!(annotations[0].contains(&unused), "{annotations:?}");
    // What the runner recorded is what the suite waited for: the programs
    // that return ended within a second, the hang within its limit and a
    // second; the run, nowhere near the children's 25 to 60 s.
    let ran = schedule(&dirs);
    for (stem, limit) in [("96-children", 1), ("94-hangs", 2)] {
        let took = ran(stem);
        assert!(took < Duration::from_secs(limit), "{stem} ran {took:?}");
    }
    assert!(took < Duration::from_secs(15), "the run took {took:?}");
    let left = processes().into_iter().map(|p| p.args.join(" "));
    let left: Vec<String> = left.filter(|args| args.contains(&marker)).collect();
    assert!(left.is_empty(), "still running: {left:#?}");
    // trybuild took the killed build for one without errors and ran the
    // program, so cargo compiled it again. Only that second compile was
    // recorded: one compile in this run, though rustc was started twice.
    assert!(
        killed,
        "rustc was never seen compiling {}",
        staged.display()
    );
    assert_eq!(compiles(&first, "listing-16-93-slow"), 1, "{summary}");
    assert!(passed(&first, "listing-16-93-slow"), "{summary}");
    let records = Records::of(&dirs.pass_target(1)).compiles("trybuild000");
    let kept: Vec<_> = records.iter().filter(|c| c.run == first.run_id).collect();
    let kept_second = kept.len() == 1 && kept[0].code == 0 && kept[0].source == staged;
    assert!(kept_second, "{kept:?}");
    let where_first = compiled_in(&dirs, &first);
    assert!(
        where_first.is_some(),
        "16-92 not compiled in the first shard:\n{summary}"
    );

    // Second run, 16-92 edited, 16-94 and 16-96 gone: 16-92 is compiled
    // again, in the same place, and recorded again; the compile-fail fixture
    // that compiles is fresh for cargo, so the record of its earlier compile
    // is what says it compiled; 16-93 is fresh, its record still valid.
    for stem in ["94-hangs", "96-children"] {
        for ext in ["rs", "stdout"] {
            let file = format!("ui/ch16-01-threads/listing-16-{stem}.{ext}");
            fs::remove_file(s.root.join(file)).unwrap();
        }
    }
    s.runs("listing-16-92-edited", &annotated("two"), None);
    let second = real_run(&s, &rustc);
    let summary = crate::support::summary(&second);
    assert_eq!(compiles(&second, "listing-16-91-compiles"), 0, "{summary}");
    assert_eq!(outcome(&second), [COMPILED_E0308]);
    assert_eq!(compiles(&second, "listing-16-92-edited"), 1, "{summary}");
    assert_eq!(compiled_in(&dirs, &second), where_first, "{summary}");
    let edited = messages(&second, "listing-16-92-edited", Check::Output);
    assert!(edited.len() == 1 && edited[0].contains("+two"), "{summary}");
    assert_eq!(compiles(&second, "listing-16-93-slow"), 0, "{summary}");
    assert!(passed(&second, "listing-16-93-slow"), "{summary}");
}

/// How long each program ran in the last run, as the suite saved it from
/// the runner's records (`listing-16-<stem>`).
#[cfg(target_os = "linux")]
fn schedule(dirs: &Workdirs) -> impl Fn(&str) -> Duration {
    let runs = dirs.last_runs();
    move |stem: &str| {
        let took = runs.get(&format!("ui/ch16-01-threads/listing-16-{stem}.rs"));
        *took.unwrap_or_else(|| panic!("{stem} did not run: {runs:?}"))
    }
}

/// A program that prints without end until its limit: what is kept of its
/// output stays under the ceiling (and a little more) in its record, the
/// batch's log and every report (terminal, JSON, GitHub's), and it fails as
/// timed out.
#[test]
fn a_flood_of_output_is_cut_to_the_ceiling_everywhere() {
    use ch16_ui::observe::observer::OUTPUT_CEILING;
    let s = Scratch::new("flood");
    let flood = "fn main() {\n    loop {\n        print!(\"x\");\n    }\n}\n";
    let header = "//! output: exact\n//! timeout: 1s\n";
    s.fixture("listing-16-91-flood", "run", header, flood, Some("x\n"));
    let r = run(&s);
    let dirs = Workdirs::within(&s.root, &s.root, &rustc().key()).unwrap();
    let records = Records::of(&dirs.pass_target(0));
    let size = |p: &Path| fs::metadata(p).map_or(0, |m| m.len() as usize);
    let shown = summary(&r);
    let sizes = [
        ("terminal report", shown.len()),
        ("JSON report", serde_json::to_string(&r).unwrap().len()),
        ("GitHub", ch16_ui::emit::github::annotations(&r).len()),
        ("summary", ch16_ui::emit::github::step_summary(&r).len()),
        ("record", size(&records.run_path("trybuild000"))),
        ("log", size(&dirs.pass_target(0).with_extension("log"))),
    ];
    let ceiling = OUTPUT_CEILING + 64 * 1024;
    let over: Vec<_> = sizes.iter().filter(|(_, n)| *n > ceiling).collect();
    let cut = |t: &str| t.get(..2000).unwrap_or(t).to_string();
    assert!(
        over.is_empty(),
        "over {ceiling} bytes: {over:?}\n{}",
        cut(&shown)
    );
    assert!(size(&records.run_path("trybuild000")) > 0, "no record");
    let outcome = messages(&r, "listing-16-91-flood", Check::Outcome);
    assert_eq!(outcome.len(), 1, "{}", cut(&shown));
    holds(&outcome[0], &["killed after 1 s", "bytes cut"]);
}

/// A program that leaves children behind in process groups of their own,
/// one its own child and one orphaned at once (a shell's background job):
/// neither outlives its run.
#[cfg(target_os = "linux")]
#[test]
fn children_that_leave_the_programs_group_do_not_outlive_it() {
    let (own, orphan) = (distinctive("40.41"), distinctive("40.42"));
    let s = Scratch::new("left-group");
    let code = format!(
        "use std::os::unix::process::CommandExt as _;\n\nfn main() {{\n    \
         std::process::Command::new(\"sleep\").arg(\"{own}\").process_group(0).spawn().unwrap();\n    \
         let sh = std::process::Command::new(\"sh\").args([\"-c\", \"sleep {orphan} &\"]).process_group(0).status();\n    \
         assert!(sh.unwrap().success());\n    println!(\"fine\");\n}}\n"
    );
    s.runs("listing-16-91-leaves", &code, Some("fine\n"));
    let r = run(&s);
    let left = [sleeping(&own), sleeping(&orphan)];
    kill_survivors(&own, &s.root);
    kill_survivors(&orphan, &s.root);
    assert!(passed(&r, "listing-16-91-leaves"), "{}", summary(&r));
    let outlived = left.iter().any(|procs| !procs.is_empty());
    assert!(!outlived, "outlived the run: {own}, {orphan}: {left:#?}");
}
