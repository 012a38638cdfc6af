//! The UI suite: every fixture under `ui/` checked on the compiler in use.
//!
//! For each fixture, in parallel: build it with bare `rustc`, compare the
//! diagnostics with its `//~` annotations, check its outcome, run it (if
//! runnable) under its time limit and compare the output with `.stdout`.
//! Meanwhile trybuild compares the full diagnostics of compile-fail fixtures
//! with their `.stderr`, then builds and runs the runnable ones.
//!
//! Exact comparisons (`.stderr`, `.stdout`) are made only on compiler
//! versions listed in `ui/toolchains.txt`; on others the harness says plainly
//! what it skipped.
//!
//! `cargo test --test ui -- <substring>` (or `trybuild=<substring>`) runs
//! only the fixtures whose path or listing id contains the substring.
//!
//! With `CH16_UI_COLLECT=1` (set by `cargo xtask bless/check`) the harness
//! judges nothing against `.stderr`: trybuild writes what it sees into the
//! staging tree, and everything observed is left in
//! `target/ui/<compiler>/collected/` for the xtask.

use ch16_ui::check::{self, Problem, Verdict};
use ch16_ui::collect::{Batch, Collected, Observed};
use ch16_ui::header::Expect;
use ch16_ui::journal::{self, Pending};
use ch16_ui::run::{self, Outcome};
use ch16_ui::stage::Workdirs;
use ch16_ui::{Fixture, Suite, toolchain};
use std::env;
use std::panic;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Environment variable that switches the harness into collect mode.
const COLLECT: &str = "CH16_UI_COLLECT";

fn main() -> ExitCode {
    let start = Instant::now();
    let args: Vec<String> = env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        // Enough of libtest's protocol for `cargo test -- --list` and nextest.
        if !args.iter().any(|a| a == "--ignored") {
            println!("ui: test");
        }
        return ExitCode::SUCCESS;
    }
    let filters: Vec<String> = args
        .iter()
        .filter(|a| !a.starts_with('-') && a.as_str() != "ui")
        .map(|a| a.strip_prefix("trybuild=").unwrap_or(a).to_string())
        .collect();
    let collect = env::var_os(COLLECT).is_some_and(|v| v == "1");
    match run(&filters, collect, start) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(filters: &[String], collect: bool, start: Instant) -> Result<bool, String> {
    if !collect && env::var_os("TRYBUILD").is_some() {
        return Err("TRYBUILD is set, but this suite does not write expectations from `cargo test`.\n  \
                    fix: unset TRYBUILD; to refresh expectations run `cargo xtask bless`"
            .into());
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if journal::pending(root) == Pending::Committed {
        return Err(format!(
            "`{}` holds an interrupted `cargo xtask bless`: some expectations are updated, some not.\n  \
             fix: run `cargo xtask bless` (it finishes the interrupted update first)",
            journal::PENDING
        ));
    }
    let suite = Suite::load(root).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        format!("the fixture tree has {} problem(s):\n{}", errors.len(), list.join("\n"))
    })?;
    let rustc = toolchain::detect(None).map_err(|e| e.to_string())?;
    let dirs = Workdirs::new(root, &rustc.key());
    let blessed = suite.is_blessed(rustc.version);
    // SAFETY: no other thread exists yet; trybuild reads these when it runs.
    unsafe {
        env::set_var("CARGO_TARGET_DIR", dirs.trybuild_target());
        if collect {
            env::set_var("TRYBUILD", "overwrite");
        }
    }

    let selected: Vec<&Fixture> = suite.filtered(filters).collect();
    let filtered_out = suite.fixtures.len() - selected.len();
    println!(
        "\nch16 ui suite: {} fixture(s) on {} [{}]{}{}",
        selected.len(),
        rustc.label(),
        rustc.key(),
        if filtered_out > 0 { format!(", {filtered_out} filtered out") } else { String::new() },
        if collect { ", collecting for cargo xtask" } else { "" }
    );

    // Stage the compile-fail fixtures whose diagnostics trybuild compares:
    // all of them when collecting, those with an expectation otherwise.
    let exact = (blessed || collect).then_some(rustc.version);
    let mut stage_errors = Vec::new();
    let mut compile_fail = Vec::new();
    let mut runnable = Vec::new();
    for f in &selected {
        let staged = if f.header.expect.is_compile_fail() {
            let expected = match exact.and_then(|v| f.expectation(v)) {
                Some(file) => match check::read_expectation(root, &file.path) {
                    Ok(text) => Some(text),
                    Err(e) => {
                        stage_errors.push(e.to_string());
                        continue;
                    }
                },
                None => None,
            };
            if expected.is_none() && !collect {
                continue; // missing or not blessed here: reported below
            }
            dirs.stage(f, expected.as_deref()).map(|s| compile_fail.push((f.display_path(), s)))
        } else {
            dirs.stage(f, None).map(|s| runnable.push((f.display_path(), s)))
        };
        if let Err(e) = staged {
            stage_errors.push(e.to_string());
        }
    }

    // Our own checks run while trybuild checks the compile-fail fixtures.
    let (results, compile_fail_batch) = std::thread::scope(|s| {
        let own = s.spawn(|| {
            run::parallel(&selected, run::default_workers(), |f| {
                run::build_and_run(&rustc, root, f, &dirs.rustc_out(f)).map(|outcome| {
                    let verdict = check::check(root, f, &outcome, exact);
                    (outcome, verdict)
                })
            })
        });
        let staged: Vec<&str> = compile_fail.iter().map(|(_, s)| s.as_str()).collect();
        let batch = trybuild_batch(&staged, false);
        (own.join().expect("own checks panicked"), batch)
    });

    // Runnable fixtures that hung in our run would hang trybuild, which has
    // no time limit: leave them out and say so.
    let timed_out: Vec<String> = selected
        .iter()
        .zip(&results)
        .filter(|(_, r)| matches!(r, Ok((Outcome { run: Some(run), .. }, _)) if run.timed_out()))
        .map(|(f, _)| f.display_path())
        .collect();
    let pass: Vec<&str> = runnable
        .iter()
        .filter(|(path, _)| !timed_out.contains(path))
        .map(|(_, staged)| staged.as_str())
        .collect();
    let pass_batch = trybuild_batch(&pass, true);

    // Report.
    let mut failed = 0;
    let mut passed = 0;
    let mut ignored = 0;
    println!("\nch16 ui suite on {}: outcome, annotations, run output", rustc.label());
    for (f, result) in selected.iter().zip(&results) {
        let describe = describe(f);
        match result {
            Err(e) => {
                failed += 1;
                println!("  FAIL {}  {describe}\n    {e}", f.display_path());
            }
            Ok((_, verdict)) if verdict.problems.is_empty() || collect => {
                passed += 1;
                println!("  ok   {}  {describe}", f.display_path());
            }
            Ok((_, verdict)) => {
                failed += 1;
                println!("  FAIL {}  {describe}", f.display_path());
                for p in &verdict.problems {
                    println!("    {}: {}", p.check, p.message.replace('\n', "\n    "));
                }
            }
        }
    }
    for e in &stage_errors {
        failed += 1;
        println!("  FAIL {e}");
    }
    let mut report = |name: &str, count: usize, batch: Batch| match batch {
        Batch::None => println!("  --   trybuild {name}: nothing to run"),
        Batch::Ok => {
            passed += 1;
            println!("  ok   trybuild {name}: {count} fixture(s)");
        }
        Batch::Failed if collect => println!("  --   trybuild {name}: failures recorded for cargo xtask"),
        Batch::Failed => {
            failed += 1;
            println!("  FAIL trybuild {name}: see trybuild's report above (`mismatch` or `error` lines name the fixture)");
        }
    };
    report("compile-fail (full .stderr text)", compile_fail.len(), compile_fail_batch);
    report("pass (builds and runs)", pass.len(), pass_batch);
    if !timed_out.is_empty() {
        println!("  skipped by trybuild (timed out above; trybuild has no time limit): {}", timed_out.join(", "));
    }
    if !blessed && !collect {
        let stderr = selected.iter().filter(|f| f.header.expect.is_compile_fail()).count();
        let stdout = selected.len() - stderr;
        ignored += 1;
        println!(
            "  SKIPPED exact comparisons: expectations were never blessed for {} (ui/toolchains.txt lists {}),\n    \
             so {stderr} .stderr comparison(s) (trybuild) and {stdout} .stdout comparison(s) were not made;\n    \
             outcome, annotations and output promises were checked. To cover this compiler: cargo xtask bless{}",
            rustc.version,
            if suite.record.is_empty() { "none".into() } else { suite.record.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ") },
            env::var("RUSTUP_TOOLCHAIN").map(|t| format!(" --toolchain {t}")).unwrap_or_default()
        );
    }

    if collect {
        let observed = selected
            .iter()
            .zip(&results)
            .map(|(f, r)| observe(&dirs, f, r))
            .collect();
        let collected = Collected {
            release: rustc.release.clone(),
            version: rustc.version,
            compile_fail: compile_fail_batch,
            pass: pass_batch,
            fixtures: observed,
        };
        collected.write(&dirs.collected()).map_err(|e| e.to_string())?;
    }

    println!(
        "\ntest result: {}. {passed} passed; {failed} failed; {ignored} ignored; 0 measured; {filtered_out} filtered out; finished in {:.2}s\n",
        if failed == 0 { "ok" } else { "FAILED" },
        start.elapsed().as_secs_f64()
    );
    Ok(failed == 0)
}

/// What collect mode records for one fixture.
fn observe(dirs: &Workdirs, f: &Fixture, result: &ch16_ui::Result<(Outcome, Verdict)>) -> Observed {
    let (actual, problems) = match result {
        Err(e) => (None, vec![Problem { check: check::Check::Outcome, message: e.to_string() }]),
        Ok((outcome, verdict)) => {
            let actual = match &f.header.expect {
                // trybuild left its view of the diagnostics in the stage.
                Expect::CompileFail(_) if !outcome.compiled => std::fs::read_to_string(dirs.staged_stderr(f))
                    .ok()
                    .map(|text| dirs.from_staged(f, &text)),
                Expect::CompileFail(_) => None,
                Expect::Run => verdict.stdout.clone(),
            };
            (actual, verdict.problems.clone())
        }
    };
    Observed {
        path: f.display_path(),
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

/// Run one trybuild batch.
fn trybuild_batch(paths: &[&str], pass: bool) -> Batch {
    if paths.is_empty() {
        return Batch::None;
    }
    // trybuild reports each failure itself, then panics to fail the test;
    // a backtrace of that panic would only bury its report.
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("trybuild failed");
        println!("trybuild: {message}");
    }));
    let ok = panic::catch_unwind(|| {
        let t = trybuild::TestCases::new();
        for p in paths {
            if pass { t.pass(p) } else { t.compile_fail(p) }
        }
    })
    .is_ok();
    panic::set_hook(hook);
    if ok { Batch::Ok } else { Batch::Failed }
}
