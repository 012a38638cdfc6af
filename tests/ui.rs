//! The UI suite: every fixture under `ui/` checked on the compiler in use
//! (see `ch16_ui::harness` for what is checked and how).
//!
//! `cargo test --test ui -- <substring>` (or `trybuild=<substring>`) runs
//! only the fixtures whose path or listing id contains the substring.
//!
//! With `CH16_UI_COLLECT=1` (set by `cargo xtask bless/check`) the harness
//! judges nothing against `.stderr`: trybuild writes what it sees into the
//! staging tree, and everything observed is left in
//! `target/ui/<compiler>/collected/` for the xtask.

use ch16_ui::collect::Batch;
use ch16_ui::harness::{self, Options, PassBatch, Trybuild};
use ch16_ui::run::Reuse;
use ch16_ui::schedule;
use ch16_ui::stage::Workdirs;
use ch16_ui::toolchain;
use std::env;
use std::panic;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    let start = Instant::now();
    let args: Vec<String> = env::args().skip(1).collect();
    if args.iter().any(|a| a == "--trybuild-pass") {
        // A shard of the pass batch, started by `Real::start_pass`.
        let paths = env::var("CH16_UI_PASS_PATHS").unwrap_or_default();
        let paths: Vec<&str> = paths.lines().collect();
        return match in_process(&paths, true) {
            Batch::Failed => ExitCode::FAILURE,
            _ => ExitCode::SUCCESS,
        };
    }
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
    let collect = env::var_os("CH16_UI_COLLECT").is_some_and(|v| v == "1");
    if !collect && env::var_os("TRYBUILD").is_some() {
        eprintln!(
            "error: TRYBUILD is set, but this suite does not write expectations from `cargo test`.\n  \
             fix: unset TRYBUILD; to refresh expectations run `cargo xtask bless`"
        );
        return ExitCode::FAILURE;
    }
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Another suite inside the crate (the benchmark's generated ones).
    let other_root = env::var_os("CH16_UI_ROOT").map(std::path::PathBuf::from);
    let root = other_root.as_deref().unwrap_or(crate_dir);
    let mut rustc = match toolchain::detect(None) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let dirs = match Workdirs::within(crate_dir, root, &rustc.key()) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if rustc.rust_src().is_some() {
        if let Err(e) = rustc.hide_rust_src(&dirs.shadow_sysroot()) {
            eprintln!("error: rust-src is installed and its sources could not be hidden: {e}");
            return ExitCode::FAILURE;
        }
    }
    // The suite's own target directory, before trybuild's replaces it
    // (absolute: cargo is later run from the suite root).
    let target_dir = env::var_os("CARGO_TARGET_DIR").map(|d| crate_dir.join(d));
    // SAFETY: no other thread exists yet; trybuild reads these when it runs.
    // (RUSTFLAGS is left alone: trybuild drops it from its builds, and the
    // suite's own builds are given the sysroot directly.)
    unsafe {
        env::set_var("CARGO_TARGET_DIR", dirs.trybuild_target());
        if collect {
            env::set_var("TRYBUILD", "overwrite");
        }
    }
    println!(
        "\nch16 ui suite on {} [{}]{}",
        rustc.label(),
        rustc.key(),
        if collect {
            ", collecting for cargo xtask"
        } else {
            ""
        }
    );
    let opts = Options {
        root,
        crate_dir,
        rustc: &rustc,
        filters: &filters,
        collect,
        // `CH16_UI_FRESH=1` rebuilds everything (set by `cargo xtask bless`,
        // and by the benchmark, which measures both).
        reuse: if env::var_os("CH16_UI_FRESH").is_some_and(|v| v == "1") {
            Reuse::Refresh
        } else {
            Reuse::IfUnchanged
        },
        target_dir: target_dir.as_deref(),
    };
    let real = Real {
        target: dirs.trybuild_target(),
    };
    let report = match harness::run(&opts, &real) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    print!(
        "{}",
        report.summary(env::var("RUSTUP_TOOLCHAIN").ok().as_deref())
    );
    let failed = report.failed();
    println!(
        "\ntest result: {}. {} passed; {failed} failed; {} ignored; 0 measured; {} filtered out; finished in {:.2}s\n",
        if failed == 0 { "ok" } else { "FAILED" },
        report.passed(),
        report.ignored(),
        report.filtered_out,
        start.elapsed().as_secs_f64()
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// trybuild for the harness: compile-fail fixtures in this process; runnable
/// ones in background processes (this binary again, with `--trybuild-pass`),
/// each with its own trybuild directory, so that their builds and runs
/// overlap with everything else and with each other.
struct Real {
    /// trybuild target directory of this compiler; shards add `-pass-N`.
    target: PathBuf,
}

impl Trybuild for Real {
    fn compile_fail(&self, paths: &[&str]) -> Batch {
        in_process(paths, false)
    }

    fn start_pass(&self, fixtures: &[(String, Option<Duration>)]) -> Box<dyn PassBatch> {
        // Each shard needs its own trybuild directory with the dependencies
        // built: a new one is seeded from an existing one (a copy keeps
        // cargo's timestamps, so nothing is rebuilt), or on the very first run
        // builds them (they are few and small: the crate is empty under
        // `--cfg trybuild`, see `Cargo.toml`).
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let planned = schedule::plan(fixtures, schedule::shard_limit(fixtures, cores));
        let dir = |shard: usize| self.target.with_file_name(format!("build-pass-{shard}"));
        let ready = match (0..planned.len()).find(|&i| dir(i).is_dir()) {
            None => planned.len(),
            Some(existing) => (0..planned.len())
                .take_while(|&i| dir(i).is_dir() || seed(&dir(existing), &dir(i)))
                .count()
                .max(1),
        };
        let shards = if ready < planned.len() {
            schedule::plan(fixtures, ready)
        } else {
            planned
        };
        let mut children = Vec::new();
        for (shard, mine) in shards.iter().enumerate() {
            let log = self
                .target
                .with_file_name(format!("build-pass-{shard}.log"));
            let spawned = (|| {
                let out = std::fs::File::create(&log)?;
                let err = out.try_clone()?;
                let mut cmd = Command::new(env::current_exe()?);
                cmd.arg("--trybuild-pass")
                    .env("CH16_UI_PASS_PATHS", mine.join("\n"))
                    .env("CARGO_TARGET_DIR", dir(shard))
                    .stdin(Stdio::null())
                    .stdout(out)
                    .stderr(err);
                #[cfg(unix)]
                std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
                cmd.spawn()
            })();
            match spawned {
                Ok(child) => children.push((child, log)),
                Err(e) => {
                    eprintln!("error: could not start a trybuild shard: {e}");
                    return Box::new(Shards(children, false));
                }
            }
        }
        Box::new(Shards(children, true))
    }
}

/// Copy a shard's trybuild directory, timestamps included; false if that
/// cannot be done here.
fn seed(from: &Path, to: &Path) -> bool {
    if !cfg!(unix) {
        return false;
    }
    let tmp = to.with_extension("seeding");
    let _ = std::fs::remove_dir_all(&tmp);
    let copied = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(&tmp)
        .status()
        .is_ok_and(|s| s.success());
    copied && std::fs::rename(&tmp, to).is_ok()
}

/// Running shards, with their logs; false if one could not start.
struct Shards(Vec<(Child, PathBuf)>, bool);

impl PassBatch for Shards {
    fn wait(self: Box<Self>) -> Batch {
        let mut ok = self.1;
        for (mut child, log) in self.0 {
            ok &= child.wait().is_ok_and(|s| s.success());
            // trybuild's own report, shard by shard.
            print!("{}", std::fs::read_to_string(&log).unwrap_or_default());
        }
        if ok { Batch::Ok } else { Batch::Failed }
    }

    fn cancel(self: Box<Self>) {
        for (mut child, _) in self.0 {
            // The whole group: trybuild, cargo, and the program it runs.
            #[cfg(unix)]
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Run one trybuild batch in this process.
fn in_process(paths: &[&str], pass: bool) -> Batch {
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
