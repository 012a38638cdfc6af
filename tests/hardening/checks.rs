//! Wrong outcomes, annotations that disagree, missing and CRLF expectations:
//! each check fails on its fault, with the fixture and the fix.

use crate::support::*;
use ch16_ui::model::suite::Suite;
use ch16_ui::observe::stage::Workdirs;
use ch16_ui::problem::Check;
use std::fs;
use std::time::{Duration, Instant};

#[test]
fn compile_fail_fixture_that_compiles() {
    let s = Scratch::new("compiles");
    let fix = "listing-16-92";
    let code = "fn main() {} //~ ERROR E0308\n";
    s.fails(
        "listing-16-91-compiles",
        "E0308",
        fix,
        code,
        "error[E0308]: …\n",
    )
    .fine("listing-16-92-ok");
    let r = run(&s);
    assert_eq!(
        messages(&r, "listing-16-91-compiles", Check::Outcome),
        [COMPILED_E0308]
    );
    let line = s.line("listing-16-91-compiles", "fn main");
    assert_eq!(
        messages(&r, "listing-16-91-compiles", Check::Annotations),
        [format!(
            "the `//~` annotations disagree with the compiler:\n    {}",
            unreported(line, "ERROR E0308")
        )]
    );
    assert!(passed(&r, "listing-16-92-ok"));
    // The fixture, and trybuild's compile-fail batch.
    assert_eq!(r.failed(), 2, "{}", summary(&r));
    // Everything was compiled once, by trybuild's cargo (here: the fake).
    assert_eq!(
        r.compiles(),
        [
            ("ui/ch16-01-threads/listing-16-91-compiles.rs", 1),
            ("ui/ch16-01-threads/listing-16-92-ok.rs", 1)
        ]
    );
}

#[test]
fn runnable_fixture_that_does_not_compile_panics_or_exits_non_zero() {
    let s = Scratch::new("runfail");
    s.runs(
        "listing-16-91-type-error",
        "fn main() {\n    let x: i32 = \"no\";\n}\n",
        Some(""),
    )
    .runs(
        "listing-16-92-panics",
        "fn main() {\n    panic!(\"boom\");\n}\n",
        Some(""),
    )
    .runs(
        "listing-16-93-exit",
        "fn main() {\n    std::process::exit(3);\n}\n",
        Some(""),
    );
    let r = run(&s);
    let line = s.line("listing-16-91-type-error", "let x");
    assert_eq!(
        messages(&r, "listing-16-91-type-error", Check::Outcome),
        [format!(
            "did not compile, but is expected to run:\n    line {line}: ERROR E0308 mismatched types"
        )]
    );
    let panicked = messages(&r, "listing-16-92-panics", Check::Outcome);
    assert_eq!(panicked.len(), 1);
    assert!(
        panicked[0].starts_with(
            "exited with exit status: 101, expected success\n    last lines of stderr:"
        ),
        "{panicked:?}"
    );
    // The program's own path, not the staged copy's, and no backtrace.
    assert!(
        panicked[0]
            .contains("panicked at ui/ch16-01-threads/listing-16-92-panics.rs:13:5:\n        boom"),
        "{panicked:?}"
    );
    assert_eq!(
        messages(&r, "listing-16-93-exit", Check::Outcome),
        ["exited with exit status: 3, expected success\n    (stderr was empty)"]
    );
    // Three fixtures, and trybuild's pass batch.
    assert_eq!(r.failed(), 4);
}

#[test]
fn default_timeout_applies_without_a_header_field() {
    let s = Scratch::new("default-timeout");
    s.fine("listing-16-91-ok");
    let suite = Suite::load(&s.root).unwrap();
    assert_eq!(
        suite.fixtures[0].loaded().unwrap().header.timeout,
        ch16_ui::model::header::DEFAULT_TIMEOUT
    );
}

#[test]
fn errors_at_other_lines_or_with_other_codes_than_annotated() {
    let s = Scratch::new("annotations");
    let fix = "listing-16-93";
    // The error is on the `let` line, annotated one line too low.
    let wrong_line = "fn main() {\n    let x: i32 = \"no\";\n    //~ ERROR E0308\n}\n";
    // Right line, wrong code (header and annotation agree with each other).
    let wrong_code = "fn main() {\n    let x: i32 = \"no\"; //~ ERROR E0277\n}\n";
    s.fails("listing-16-91-line", "E0308", fix, wrong_line, "x\n")
        .fails("listing-16-92-code", "E0277", fix, wrong_code, "x\n")
        .fine("listing-16-93-ok");
    let r = run(&s);
    let l = s.line("listing-16-91-line", "let x");
    assert_eq!(
        messages(&r, "listing-16-91-line", Check::Annotations),
        [format!(
            "the `//~` annotations disagree with the compiler:\n    {}\n    {}",
            unreported(l + 1, "ERROR E0308"),
            unannotated(l, "ERROR E0308", "mismatched types")
        )]
    );
    assert_eq!(
        messages(&r, "listing-16-92-code", Check::Annotations),
        [format!(
            "the `//~` annotations disagree with the compiler:\n    {}\n    {}",
            unreported(l, "ERROR E0277"),
            unannotated(l, "ERROR E0308", "mismatched types")
        )]
    );
}

#[test]
fn missing_expectation_is_reported_with_the_fix() {
    let s = Scratch::new("missing");
    s.runs("listing-16-91-new", OK_RUN, None);
    let r = run(&s);
    assert_eq!(
        messages(&r, "listing-16-91-new", Check::Expectation),
        [
            "no expected output: `ui/ch16-01-threads/listing-16-91-new.stdout` is missing; run `cargo xtask bless --filter 16-91`"
        ]
    );
}

#[test]
fn expectations_with_crlf_line_endings_compare_as_lf() {
    let s = Scratch::new("crlf");
    let fix = "listing-16-92";
    let code = FAILS_E0308;
    s.fails(
        "listing-16-91-cf",
        "E0308",
        fix,
        code,
        "error[E0308]: mismatched types\r\n  --> x\r\n",
    )
    .runs(
        "listing-16-92-ok",
        "fn main() {\n    println!(\"a\");\n    println!(\"b\");\n}\n",
        Some("a\r\nb\r\n"),
    );
    let r = run(&s);
    assert!(passed(&r, "listing-16-92-ok"));
    let suite = Suite::load(&s.root).unwrap();
    let staged = Workdirs::within(&s.root, &s.root, &rustc().key())
        .unwrap()
        .staged_stderr(&suite.fixtures[0]);
    assert_eq!(
        fs::read_to_string(staged).unwrap(),
        "error[E0308]: mismatched types\n  --> x\n"
    );
}

/// A program's children go with it: one left running when `main` returns
/// (holding its output, or detached with its output to null), and one still
/// running when the program is killed at its time limit. Each run ends
/// within its limit and a second, the suite waits no longer than that, and
/// no process is left. Through the real runner (the fake trybuild).
#[cfg(target_os = "linux")]
#[test]
fn a_programs_children_do_not_outlive_it_nor_its_time_limit() {
    let s = Scratch::new("children");
    let marker = format!("ch16-child-{}", std::process::id());
    let child = |secs: u32, detached: bool| {
        format!(
            "std::process::Command::new(\"sh\").args([\"-c\", \"sleep {secs}; : {marker}\"]){}.spawn().unwrap();",
            if detached {
                ".stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null())"
            } else {
                ""
            }
        )
    };
    let main = |body: &str| format!("fn main() {{\n    {body}\n    println!(\"done\");\n}}\n");
    s.runs("listing-16-91-leaves", &main(&child(60, false)), Some("done\n"))
        .runs("listing-16-92-detached", &main(&child(45, true)), Some("done\n"))
        .fixture(
            "listing-16-93-hangs",
            "run",
            "//! output: exact\n//! timeout: 1s\n",
            &main(&format!(
                "{}\n    loop {{\n        std::thread::sleep(std::time::Duration::from_secs(1));\n    }}",
                child(25, false)
            )),
            Some("done\n"),
        );
    let start = Instant::now();
    let r = run(&s);
    let took = start.elapsed();
    let summary = crate::support::summary(&r);
    assert!(passed(&r, "listing-16-91-leaves"), "{summary}");
    assert!(passed(&r, "listing-16-92-detached"), "{summary}");
    assert!(
        messages(&r, "listing-16-93-hangs", Check::Outcome)
            .iter()
            .any(|m| m.starts_with("timed out: killed after 1 s")),
        "{summary}"
    );
    // What the runner recorded is what the suite waited for.
    // (The two that return, then the one killed at 1 s.)
    let dirs = Workdirs::within(&s.root, &s.root, &rustc().key()).unwrap();
    let mut ran: Vec<Duration> = (0..4)
        .map(|shard| ch16_ui::observe::record::Records::of(&dirs.pass_target(shard)))
        .flat_map(|records| {
            (0..3).filter_map(move |n| {
                records
                    .execution(&ch16_ui::observe::trybuild::crate_name(n))
                    .map(|e| e.elapsed)
            })
        })
        .collect();
    ran.sort();
    assert_eq!(ran.len(), 3, "runs recorded: {ran:?}");
    assert!(
        ran[1] < Duration::from_secs(1) && ran[2] < Duration::from_secs(2),
        "runs took {ran:?}"
    );
    // Three compiles and the hang: nowhere near the children's 25 to 60 s.
    assert!(took < Duration::from_secs(15), "the run took {took:?}");
    let left: Vec<String> = processes()
        .into_iter()
        .filter(|p| p.args.iter().any(|a| a.contains(&marker)))
        .map(|p| format!("{} {}", p.pid, p.args.join(" ")))
        .collect();
    assert!(left.is_empty(), "still running: {left:#?}");
}
