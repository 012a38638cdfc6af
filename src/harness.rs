//! One run of the suite on one compiler: the orchestration behind
//! `tests/ui.rs`, kept here so scratch trees can drive it in tests.
//!
//! For each selected fixture, in parallel: build it with bare `rustc`,
//! compare its diagnostics with its annotations, check its outcome, run it
//! under its time limit and check its output. Meanwhile the compile-fail
//! fixtures, staged with the expectation for this compiler, go to trybuild,
//! and so do the runnable ones, in a batch that starts at once and runs in the
//! background. If one of them timed out in our own run, that batch is
//! cancelled and started again without it (trybuild would wait for it
//! forever). trybuild itself is passed in behind [`Trybuild`], since only the
//! test harness depends on it.

use crate::check::{self, Check, Problem, Verdict};
use crate::collect::{Batch, Collected, Observed};
use crate::expect::{Kind, Version};
use crate::header::Expect;
use crate::journal::{self, Pending};
use crate::run::{self, Outcome, Reuse};
use crate::schedule;
use crate::stage::Workdirs;
use crate::toolchain::Rustc;
use crate::{Fixture, Suite};
use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

/// What to run.
pub struct Options<'a> {
    /// Suite root (holding `ui/`).
    pub root: &'a Path,
    /// The crate trybuild builds in; the suite root or a directory above it.
    pub crate_dir: &'a Path,
    /// The compiler in use.
    pub rustc: &'a Rustc,
    /// Path or id substrings; empty for all.
    pub filters: &'a [String],
    /// Collect for `cargo xtask` instead of judging against `.stderr`.
    pub collect: bool,
    /// Whether the suite's own builds may be reused (trybuild's never are).
    pub reuse: Reuse,
    /// Cargo's target directory of the suite itself, where the crates
    /// fixtures use are found (`None`: the one cargo is configured with).
    pub target_dir: Option<&'a Path>,
}

/// One fixture's result.
pub struct FixtureResult {
    /// `ui/…` path.
    pub path: String,
    /// Listing id and expected outcome, for the summary.
    pub describe: String,
    /// Compile-fail (`.stderr`) or runnable (`.stdout`).
    pub compile_fail: bool,
    /// What the suite's own checks found (or why they could not run).
    pub result: crate::Result<(Outcome, Verdict)>,
}

/// Everything one run found.
pub struct Report {
    /// The compiler, as a human label.
    pub label: String,
    /// Per fixture, in reading order.
    pub fixtures: Vec<FixtureResult>,
    /// Fixtures that could not be staged.
    pub stage_errors: Vec<String>,
    /// Staged paths given to trybuild's compile-fail batch, and its result.
    pub compile_fail: (Vec<String>, Batch),
    /// Staged paths given to trybuild's pass batch, and its result.
    pub pass: (Vec<String>, Batch),
    /// Runnable fixtures kept from trybuild because they timed out.
    pub timed_out: Vec<String>,
    /// Whether this compiler's version is in the record.
    pub blessed: bool,
    /// The record, for the skip notice.
    pub record: Vec<Version>,
    /// Fixtures not selected.
    pub filtered_out: usize,
    /// Collect mode.
    pub collect: bool,
    /// std's sources were hidden from the compiler (rust-src is installed).
    pub rust_src_hidden: bool,
}

/// trybuild, as the harness drives it.
pub trait Trybuild: Sync {
    /// Check the compile-fail fixtures at these staged paths.
    fn compile_fail(&self, paths: &[&str]) -> Batch;
    /// Start building and running the runnable fixtures at these staged
    /// paths, each with how long its program ran last time (if known); the
    /// work may go on in the background until waited for.
    fn start_pass(&self, fixtures: &[(String, Option<Duration>)]) -> Box<dyn PassBatch>;
}

/// A pass batch under way.
pub trait PassBatch: Send {
    /// Wait for it to finish.
    fn wait(self: Box<Self>) -> Batch;
    /// Stop it, programs included.
    fn cancel(self: Box<Self>);
}

/// Run the suite.
pub fn run(opts: &Options, trybuild: &dyn Trybuild) -> Result<Report, String> {
    let root = opts.root;
    if journal::pending(root) == Pending::Committed {
        return Err(format!(
            "`{}` holds an interrupted `cargo xtask bless`: some expectations are updated, some not.\n  \
             fix: run `cargo xtask bless` (it finishes the interrupted update first)",
            journal::PENDING
        ));
    }
    let suite = Suite::load(root).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        format!(
            "the fixture tree has {} problem(s):\n{}",
            errors.len(),
            list.join("\n")
        )
    })?;
    let rustc = opts.rustc;
    let dirs = Workdirs::within(opts.crate_dir, root, &rustc.key()).map_err(|e| e.to_string())?;
    let blessed = suite.is_blessed(rustc.version);
    let selected: Vec<&Fixture> = suite.filtered(opts.filters).collect();

    // Stage the compile-fail fixtures whose diagnostics trybuild compares:
    // all of them when collecting, those with an expectation otherwise.
    let exact = (blessed || opts.collect).then_some(rustc.version);
    let mut stage_errors = Vec::new();
    let mut compile_fail = Vec::new();
    let mut runnable = Vec::new();
    for f in &selected {
        let staged = if f.header.expect.is_compile_fail() {
            let expected = match exact.and_then(|v| f.expectation(Kind::Stderr, v)) {
                Some(file) => match check::read_expectation(root, &file.path) {
                    Ok(text) => Some(text),
                    Err(e) => {
                        stage_errors.push(e.to_string());
                        continue;
                    }
                },
                None => None,
            };
            if expected.is_none() && !opts.collect {
                continue; // missing, or not blessed here: reported elsewhere
            }
            dirs.stage(f, expected.as_deref())
                .map(|s| compile_fail.push(s))
        } else {
            dirs.stage(f, None)
                .map(|s| runnable.push((f.display_path(), s)))
        };
        if let Err(e) = staged {
            stage_errors.push(e.to_string());
        }
    }

    let externs =
        run::externs(rustc, root, &selected, opts.target_dir).map_err(|e| e.to_string())?;
    let done = std::sync::atomic::AtomicUsize::new(0);
    let last_runs = schedule::load(&dirs.durations());
    let with_last_run =
        |(path, staged): &(String, String)| (staged.clone(), last_runs.get(path).copied());
    let all_runnable: Vec<(String, Option<Duration>)> =
        runnable.iter().map(with_last_run).collect();
    let started = (!all_runnable.is_empty()).then(|| trybuild.start_pass(&all_runnable));
    // Our own checks run while trybuild checks the compile-fail fixtures.
    let (results, compile_fail_batch) = std::thread::scope(|s| {
        let own = s.spawn(|| {
            run::parallel(&selected, run::default_workers(), |f| {
                let result =
                    run::build_and_run(rustc, root, f, &dirs.rustc_out(f), &externs, opts.reuse)
                        .map(|outcome| {
                            let verdict = check::check(root, f, &outcome, exact);
                            (outcome, verdict)
                        });
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if opts.collect {
                    // Read by `cargo xtask` from the log to show progress.
                    eprintln!("progress {n}/{}", selected.len());
                }
                result
            })
        });
        let staged: Vec<&str> = compile_fail.iter().map(String::as_str).collect();
        let batch = if staged.is_empty() {
            Batch::None
        } else {
            trybuild.compile_fail(&staged)
        };
        (own.join().expect("own checks panicked"), batch)
    });

    let timed_out: Vec<String> = selected
        .iter()
        .zip(&results)
        .filter(|(_, r)| matches!(r, Ok((Outcome { run: Some(run), .. }, _)) if run.timed_out()))
        .map(|(f, _)| f.display_path())
        .collect();
    let ran: Vec<(String, Duration)> = selected
        .iter()
        .zip(&results)
        .filter_map(|(f, r)| match r {
            Ok((Outcome { run: Some(run), .. }, _)) => Some((f.display_path(), run.elapsed)),
            _ => None,
        })
        .collect();
    schedule::save(&dirs.durations(), &ran);
    let pass: Vec<(String, Option<Duration>)> = runnable
        .iter()
        .filter(|(path, _)| !timed_out.contains(path))
        .map(with_last_run)
        .collect();
    let pass_batch = match started {
        None => Batch::None,
        Some(batch) if timed_out.is_empty() => batch.wait(),
        Some(batch) => {
            batch.cancel();
            if pass.is_empty() {
                Batch::None
            } else {
                trybuild.start_pass(&pass).wait()
            }
        }
    };

    let fixtures: Vec<FixtureResult> = selected
        .iter()
        .zip(results)
        .map(|(f, result)| FixtureResult {
            path: f.display_path(),
            describe: describe(f),
            compile_fail: f.header.expect.is_compile_fail(),
            result,
        })
        .collect();

    if opts.collect {
        let observed = selected
            .iter()
            .zip(&fixtures)
            .map(|(f, r)| observe(&dirs, f, &r.result))
            .collect();
        Collected {
            release: rustc.release.clone(),
            version: rustc.version,
            compile_fail: compile_fail_batch,
            pass: pass_batch,
            fixtures: observed,
        }
        .write(&dirs.collected())
        .map_err(|e| e.to_string())?;
    }

    Ok(Report {
        label: rustc.label(),
        fixtures,
        stage_errors,
        compile_fail: (compile_fail, compile_fail_batch),
        pass: (
            pass.into_iter().map(|(staged, _)| staged).collect(),
            pass_batch,
        ),
        timed_out,
        blessed,
        record: suite.record.clone(),
        filtered_out: suite.fixtures.len() - selected.len(),
        collect: opts.collect,
        rust_src_hidden: rustc.shadow_sysroot.is_some(),
    })
}

impl Report {
    /// Fixtures with problems (in check mode), stage errors, failed batches.
    pub fn failed(&self) -> usize {
        let fixtures = self
            .fixtures
            .iter()
            .filter(|f| match &f.result {
                Err(_) => true,
                Ok((_, v)) => !self.collect && !v.problems.is_empty(),
            })
            .count();
        let batches = [self.compile_fail.1, self.pass.1]
            .iter()
            .filter(|b| **b == Batch::Failed && !self.collect)
            .count();
        fixtures + batches + self.stage_errors.len()
    }

    /// Fixtures and batches that passed.
    pub fn passed(&self) -> usize {
        let ran = self.fixtures.len()
            + [self.compile_fail.1, self.pass.1]
                .iter()
                .filter(|b| **b != Batch::None)
                .count();
        ran + self.stage_errors.len() - self.failed()
    }

    /// Checks skipped: the exact comparisons on an unrecorded compiler.
    pub fn ignored(&self) -> usize {
        usize::from(!self.blessed && !self.collect)
    }

    /// The problems of the fixture at `path`, if it ran.
    pub fn problems(&self, path: &str) -> Option<&[Problem]> {
        self.fixtures
            .iter()
            .find(|f| f.path == path)
            .and_then(|f| f.result.as_ref().ok())
            .map(|(_, v)| v.problems.as_slice())
    }

    /// The human summary, ending before the libtest-style result line.
    pub fn summary(&self, toolchain_hint: Option<&str>) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "\nch16 ui suite on {}: outcome, annotations, run output",
            self.label
        );
        for f in &self.fixtures {
            match &f.result {
                Err(e) => {
                    let _ = writeln!(s, "  FAIL {}  {}\n    {e}", f.path, f.describe);
                }
                Ok((_, v)) if v.problems.is_empty() || self.collect => {
                    let _ = writeln!(s, "  ok   {}  {}", f.path, f.describe);
                }
                Ok((_, v)) => {
                    let _ = writeln!(s, "  FAIL {}  {}", f.path, f.describe);
                    for p in &v.problems {
                        let _ =
                            writeln!(s, "    {}: {}", p.check, p.message.replace('\n', "\n    "));
                    }
                }
            }
        }
        for e in &self.stage_errors {
            let _ = writeln!(s, "  FAIL {e}");
        }
        for (name, (paths, batch)) in [
            ("compile-fail (full .stderr text)", &self.compile_fail),
            ("pass (builds and runs)", &self.pass),
        ] {
            let _ = match batch {
                Batch::None => writeln!(s, "  --   trybuild {name}: nothing to run"),
                Batch::Ok => writeln!(s, "  ok   trybuild {name}: {} fixture(s)", paths.len()),
                Batch::Failed if self.collect => writeln!(
                    s,
                    "  --   trybuild {name}: failures recorded for cargo xtask"
                ),
                Batch::Failed => writeln!(
                    s,
                    "  FAIL trybuild {name}: see trybuild's report above (`mismatch` or `error` lines name the fixture)"
                ),
            };
        }
        if !self.timed_out.is_empty() {
            let _ = writeln!(
                s,
                "  SKIPPED by trybuild (timed out above; trybuild has no time limit): {}",
                self.timed_out.join(", ")
            );
        }
        if self.rust_src_hidden {
            let _ = writeln!(
                s,
                "  note: rust-src is installed; the suite's own builds used a sysroot without std's sources,\n    \
                 so its checks see the diagnostics of a toolchain without rust-src. trybuild's builds\n    \
                 cannot be given that sysroot (trybuild drops RUSTFLAGS): where rustc quotes std's code,\n    \
                 the .stderr comparisons may differ from expectations blessed without rust-src"
            );
        }
        if self.ignored() > 0 {
            let stderr = self.fixtures.iter().filter(|f| f.compile_fail).count();
            let stdout = self.fixtures.len() - stderr;
            let record = if self.record.is_empty() {
                "none".to_string()
            } else {
                self.record
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let _ = writeln!(
                s,
                "  SKIPPED exact comparisons: expectations were never blessed for this compiler's version\n    \
                 (ui/toolchains.txt lists {record}), so {stderr} .stderr comparison(s) (trybuild) and {stdout} .stdout\n    \
                 comparison(s) were not made; outcome, annotations and output promises were checked.\n    \
                 To cover this compiler: cargo xtask bless{}",
                toolchain_hint
                    .map(|t| format!(" --toolchain {t}"))
                    .unwrap_or_default()
            );
        }
        s
    }
}

/// What collect mode records for one fixture.
fn observe(dirs: &Workdirs, f: &Fixture, result: &crate::Result<(Outcome, Verdict)>) -> Observed {
    let (actual, problems) = match result {
        Err(e) => (
            Vec::new(),
            vec![Problem {
                check: Check::Outcome,
                message: e.to_string(),
            }],
        ),
        Ok((outcome, verdict)) => {
            let actual = match &f.header.expect {
                // trybuild left its view of the diagnostics in the stage.
                Expect::CompileFail(_) if !outcome.compiled => {
                    std::fs::read_to_string(dirs.staged_stderr(f))
                        .ok()
                        .map(|text| vec![(Kind::Stderr, dirs.from_staged(f, &text))])
                        .unwrap_or_default()
                }
                Expect::CompileFail(_) => Vec::new(),
                Expect::Run => [
                    (Kind::Stdout, &verdict.stdout),
                    (Kind::Stderr, &verdict.stderr),
                ]
                .into_iter()
                .filter_map(|(k, t)| t.clone().map(|t| (k, t)))
                .collect(),
            };
            (actual, verdict.problems.clone())
        }
    };
    Observed {
        path: f.display_path(),
        expected_kinds: f.kinds(),
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
