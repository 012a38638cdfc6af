//! Building fixtures with bare `rustc` and running them under a time limit.
//!
//! This is the suite's own view of a fixture, independent of trybuild: the
//! diagnostics as JSON (for the inline annotations), whether it compiled, and
//! for runnable fixtures what the program printed and how it ended.

use crate::cache;
use crate::diagnostics::{self, Diagnostic};
use crate::error::{Error, Result};
use crate::fixture::Fixture;
use crate::toolchain::Rustc;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// What building (and maybe running) one fixture gave.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Whether rustc succeeded.
    pub compiled: bool,
    /// Diagnostics in the fixture.
    pub diagnostics: Vec<Diagnostic>,
    /// Compiler failures that are not diagnostics in the fixture (rustc
    /// missing, ICE, …), verbatim.
    pub compiler_trouble: Option<String>,
    /// Present when the fixture is runnable and compiled.
    pub run: Option<Run>,
}

/// How a program run ended.
#[derive(Clone, Debug)]
pub struct Run {
    /// Exit status; `None` when it was killed for taking too long.
    pub status: Option<ExitStatus>,
    /// Everything written to stdout.
    pub stdout: String,
    /// Everything written to stderr.
    pub stderr: String,
    /// Wall time.
    pub elapsed: Duration,
}

impl Run {
    /// True when it was killed at the time limit.
    pub fn timed_out(&self) -> bool {
        self.status.is_none()
    }
}

/// Crates fixtures may use besides std: dev-dependencies of the suite, so
/// trybuild's builds have them too.
pub const FIXTURE_CRATES: &[&str] = &["rustversion"];

/// `--extern` arguments that give bare `rustc` the crates fixtures use, built
/// by cargo for `rustc`'s toolchain in `target_dir`, the suite's own target
/// directory, where the test build already made them (`None`: the one cargo
/// is configured with, ignoring `CARGO_TARGET_DIR`). Empty when no fixture
/// uses one.
pub fn externs(
    rustc: &Rustc,
    root: &Path,
    fixtures: &[&Fixture],
    target_dir: Option<&Path>,
) -> Result<Vec<String>> {
    let used: Vec<&str> = FIXTURE_CRATES
        .iter()
        .copied()
        .filter(|krate| {
            fixtures
                .iter()
                .any(|f| f.source.contains(&format!("{krate}::")))
        })
        .collect();
    if used.is_empty() {
        return Ok(Vec::new());
    }
    let fail = |problem: String| Error::Toolchain {
        toolchain: rustc.label(),
        problem,
    };
    // They are dev-dependencies, which `cargo build -p` cannot select; the
    // test target's build lists them (fresh ones included).
    let mut cmd = rustc.cargo();
    // Not trybuild's target directory (which the harness sets in the
    // environment): building the whole test target there again would cost
    // a cold run more than everything else it does.
    match target_dir {
        Some(dir) => cmd.env("CARGO_TARGET_DIR", dir),
        None => cmd.env_remove("CARGO_TARGET_DIR"),
    };
    cmd.current_dir(root).args([
        "test",
        "--no-run",
        "--quiet",
        "--message-format=json",
        "--test",
        "ui",
    ]);
    let output = cmd
        .output()
        .map_err(|e| fail(format!("could not run cargo: {e}")))?;
    if !output.status.success() {
        return Err(fail(format!(
            "building {} for the fixtures failed:\n{}",
            used.join(", "),
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    let mut args = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let name = msg["target"]["name"].as_str().unwrap_or_default();
        if msg["reason"] == "compiler-artifact" && used.contains(&name) {
            if let Some(file) = msg["filenames"]
                .as_array()
                .and_then(|f| f.first())
                .and_then(|f| f.as_str())
            {
                args.push("--extern".to_string());
                args.push(format!("{name}={file}"));
            }
        }
    }
    if args.len() != used.len() * 2 {
        return Err(fail(format!(
            "cargo built no artifact for {}",
            used.join(", ")
        )));
    }
    Ok(args)
}

/// Whether a build may be taken from the last one made in the same place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reuse {
    /// Always run rustc, and keep no record (bare rustc, as the benchmark's
    /// limit measures it).
    Never,
    /// Always run rustc, and record the build for later reuse.
    Refresh,
    /// Reuse the last build while nothing it depended on changed (see
    /// [`crate::cache`]), else build and record.
    IfUnchanged,
}

/// Build `fixture` (from `root`) with `rustc` into `out_dir`, and run it if
/// it is runnable and compiled. `externs` come from [`externs`].
pub fn build_and_run(
    rustc: &Rustc,
    root: &Path,
    fixture: &Fixture,
    out_dir: &Path,
    externs: &[String],
    reuse: Reuse,
) -> Result<Outcome> {
    let (mut outcome, exe) = build(rustc, root, fixture, out_dir, externs, reuse)?;
    if let Some(exe) = exe {
        outcome.run = Some(run_fixture(fixture, &exe)?);
    }
    Ok(outcome)
}

/// Run a built fixture under its time limit.
pub fn run_fixture(fixture: &Fixture, exe: &Path) -> Result<Run> {
    let mut cmd = Command::new(exe);
    cmd.current_dir(exe.parent().unwrap_or(Path::new(".")))
        .env("RUST_BACKTRACE", "0");
    run_with_timeout(cmd, fixture.header.timeout).map_err(|e| Error::io(exe, e))
}

/// Build `fixture` with `rustc` into `out_dir`, without running it. The path
/// of the program is returned when the fixture is runnable and compiled.
pub fn build(
    rustc: &Rustc,
    root: &Path,
    fixture: &Fixture,
    out_dir: &Path,
    externs: &[String],
    reuse: Reuse,
) -> Result<(Outcome, Option<std::path::PathBuf>)> {
    std::fs::create_dir_all(out_dir).map_err(|e| Error::io(out_dir, e))?;
    let crate_name = fixture.stem.replace('-', "_");
    let runnable = !fixture.header.expect.is_compile_fail();
    let mut cmd = rustc.command();
    cmd.current_dir(root)
        .arg(&fixture.path)
        .args([
            "--edition",
            "2024",
            "--crate-type",
            "bin",
            "--crate-name",
            &crate_name,
        ])
        .args(["--error-format", "json", "-C", "debuginfo=0"])
        // The dependency file tells `cache` what rustc read; bare rustc
        // (`Never`) does without.
        .arg(match (runnable, reuse == Reuse::Never) {
            (true, true) => "--emit=link",
            (true, false) => "--emit=link,dep-info",
            (false, true) => "--emit=metadata",
            (false, false) => "--emit=metadata,dep-info",
        })
        .args(externs)
        .arg("--out-dir")
        .arg(out_dir)
        .env_remove("RUSTFLAGS");
    let exe = out_dir.join(format!("{crate_name}{}", std::env::consts::EXE_SUFFIX));
    // Bare rustc (`Never`) does nothing beyond the build.
    let inputs = (reuse != Reuse::Never).then(|| cache::inputs(&cache::compiler(rustc), &cmd));
    let started = std::time::SystemTime::now();
    let reused = match (&inputs, reuse) {
        (Some(inputs), Reuse::IfUnchanged) => {
            cache::load(out_dir, root, inputs, runnable.then_some(exe.as_path()))
        }
        _ => None,
    };
    let fresh = reused.is_none();
    let build = match reused {
        Some(build) => build,
        None => {
            if inputs.is_some() {
                cache::forget(out_dir);
            }
            let output = cmd.output().map_err(|e| Error::Toolchain {
                toolchain: rustc.label(),
                problem: format!("could not run rustc: {e}"),
            })?;
            cache::Build {
                success: output.status.success(),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            }
        }
    };
    let stderr = build.stderr.as_str();
    let diagnostics = diagnostics::parse(stderr);
    let trouble: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.starts_with('{'))
        .filter(|l| !l.trim().is_empty())
        .collect();
    let compiled = build.success;
    let compiler_trouble =
        (!trouble.is_empty() || (!compiled && diagnostics.is_empty())).then(|| {
            if trouble.is_empty() {
                stderr.to_string()
            } else {
                trouble.join("\n")
            }
        });
    // Only a clean build is worth keeping: trouble may be passing.
    if let Some(inputs) = inputs.filter(|_| fresh && compiler_trouble.is_none()) {
        cache::store(out_dir, root, &inputs, &build, started);
    }
    let exe = (runnable && compiled).then_some(exe);
    Ok((
        Outcome {
            compiled,
            diagnostics,
            compiler_trouble,
            run: None,
        },
        exe,
    ))
}

/// Run `cmd` to completion, or kill it after `limit`.
pub fn run_with_timeout(mut cmd: Command, limit: Duration) -> std::io::Result<Run> {
    let start = Instant::now();
    let mut child: Child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let drain = |mut pipe: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = pipe.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("piped")));
    let err = drain(Box::new(child.stderr.take().expect("piped")));
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if start.elapsed() >= limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(5));
    };
    Ok(Run {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        elapsed: start.elapsed(),
    })
}

/// Apply `f` to every item on `workers` threads; results in input order.
pub fn parallel<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    thread::scope(|s| {
        for _ in 0..workers.clamp(1, items.len().max(1)) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let r = f(item);
                    results.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(r);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .map(|r| r.expect("every item was processed"))
        .collect()
}

/// Worker count: the machine's parallelism, plus two because runnable
/// fixtures mostly sleep.
pub fn default_workers() -> usize {
    thread::available_parallelism().map_or(2, |n| n.get()) + 2
}
