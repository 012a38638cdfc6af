//! The UI suite: every fixture under `ui/` checked on the compiler in use.
//!
//! For each fixture, in parallel: build it with bare `rustc`, compare the
//! diagnostics with its `//~` annotations, check its outcome, run it (if
//! runnable) under its time limit and compare the output with `.stdout`.
//! Meanwhile trybuild compares the full diagnostics of compile-fail fixtures
//! with their `.stderr`, then builds and runs the runnable ones.
//!
//! `cargo test --test ui -- <substring>` (or `trybuild=<substring>`) runs
//! only the fixtures whose path or listing id contains the substring.
//!
//! When `CH16_UI_COLLECT=1` (set by `cargo xtask bless/check`), nothing is
//! judged against `.stderr`: trybuild writes what it sees into the staging
//! tree and the harness leaves everything observed under
//! `target/ui/<compiler>/collected/` for the xtask.

use ch16_ui::check;
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

    if !collect && env::var_os("TRYBUILD").is_some() {
        eprintln!(
            "error: TRYBUILD is set, but this suite does not write expectations from `cargo test`.\n  fix: unset TRYBUILD; to refresh expectations run `cargo xtask bless`"
        );
        return ExitCode::FAILURE;
    }

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let suite = match Suite::load(root) {
        Ok(s) => s,
        Err(errors) => {
            eprintln!("error: the fixture tree has {} problem(s):", errors.len());
            for e in &errors {
                eprintln!("{e}");
            }
            return ExitCode::FAILURE;
        }
    };
    let rustc = match toolchain::detect(None) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let dirs = Workdirs::new(root, &rustc.key());
    // SAFETY: no other thread exists yet; trybuild reads these when it runs.
    unsafe {
        env::set_var("CARGO_TARGET_DIR", dirs.trybuild_target());
        if collect {
            env::set_var("TRYBUILD", "overwrite");
        }
    }

    let selected: Vec<&Fixture> = suite.filtered(&filters).collect();
    let filtered_out = suite.fixtures.len() - selected.len();
    println!(
        "\nch16 ui suite: {} fixture(s) on {} [{}]{}",
        selected.len(),
        rustc.label(),
        rustc.key(),
        if filtered_out > 0 { format!(", {filtered_out} filtered out") } else { String::new() }
    );

    // Stage compile-fail fixtures with the expectation for this compiler.
    let mut stage_errors = Vec::new();
    let mut compile_fail = Vec::new();
    let mut runnable = Vec::new();
    for f in &selected {
        if f.header.expect.is_compile_fail() {
            let expected = match f.expectation(rustc.version) {
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
                continue; // reported by the fixture's own check
            }
            match dirs.stage(f, expected.as_deref()) {
                Ok(staged) => compile_fail.push(staged),
                Err(e) => stage_errors.push(e.to_string()),
            }
        } else {
            match dirs.stage(f, None) {
                Ok(staged) => runnable.push((f.display_path(), staged)),
                Err(e) => stage_errors.push(e.to_string()),
            }
        }
    }

    // Our own checks run while trybuild checks the compile-fail fixtures.
    let (results, compile_fail_ok) = std::thread::scope(|s| {
        let own = s.spawn(|| {
            run::parallel(&selected, run::default_workers(), |f| {
                run::build_and_run(&rustc, root, f, &dirs.rustc_out(f))
                    .map(|outcome| {
                        let verdict = check::check(root, f, &outcome, rustc.version);
                        (outcome, verdict)
                    })
            })
        });
        let ok = trybuild_batch(&compile_fail, false);
        (own.join().expect("own checks panicked"), ok)
    });

    // Runnable fixtures that hung in our run would hang trybuild, which has
    // no time limit: leave them out and say so.
    let timed_out: Vec<String> = selected
        .iter()
        .zip(&results)
        .filter(|(_, r)| matches!(r, Ok((Outcome { run: Some(run), .. }, _)) if run.timed_out()))
        .map(|(f, _)| f.display_path())
        .collect();
    let pass: Vec<String> = runnable
        .into_iter()
        .filter(|(path, _)| !timed_out.contains(path))
        .map(|(_, staged)| staged)
        .collect();
    let pass_ok = trybuild_batch(&pass, true);

    // Report.
    let mut failed = 0;
    let mut passed = 0;
    println!("\nch16 ui suite: own checks (outcome, annotations, run output)");
    for (f, result) in selected.iter().zip(&results) {
        let describe = describe(f);
        match result {
            Err(e) => {
                failed += 1;
                println!("  FAIL {}  {describe}\n    {e}", f.display_path());
            }
            Ok((_, verdict)) if verdict.problems.is_empty() => {
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
    let mut batch = |name: &str, count: usize, ok: bool| {
        if count == 0 {
            println!("  --   trybuild {name}: nothing to run");
        } else if ok || collect {
            passed += 1;
            println!("  ok   trybuild {name}: {count} fixture(s)");
        } else {
            failed += 1;
            println!("  FAIL trybuild {name}: see trybuild's report above (`mismatch` or `error` lines name the fixture)");
        }
    };
    batch("compile-fail (full .stderr text)", compile_fail.len(), compile_fail_ok);
    batch("pass (builds and runs)", pass.len(), pass_ok);
    if !timed_out.is_empty() {
        println!("  skipped by trybuild (timed out above, trybuild has no time limit): {}", timed_out.join(", "));
    }

    println!(
        "\ntest result: {}. {passed} passed; {failed} failed; 0 ignored; 0 measured; {filtered_out} filtered out; finished in {:.2}s\n",
        if failed == 0 { "ok" } else { "FAILED" },
        start.elapsed().as_secs_f64()
    );
    if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// One line on what the fixture is expected to do.
fn describe(f: &Fixture) -> String {
    match &f.header.expect {
        ch16_ui::header::Expect::CompileFail(codes) => format!("({} {})", f.header.listing, codes.join(" ")),
        ch16_ui::header::Expect::Run => format!("({} runs)", f.header.listing),
    }
}

/// Run one trybuild batch; true when trybuild reported no failure.
fn trybuild_batch(paths: &[String], pass: bool) -> bool {
    if paths.is_empty() {
        return true;
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
    ok
}
