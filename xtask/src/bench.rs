//! `cargo xtask bench`: the suite against the limit of bare `rustc`, how it
//! scales, and its cold start against a minimal trybuild crate.
//!
//! * S: a warm `cargo test --test ui` (after one untimed warm-up run);
//! * E: the same after every fixture was edited (a comment appended, so
//!   cargo finds nothing fresh), on a copy of the real suite;
//! * L: the same fixtures with bare `rustc` — compile-fail ones checked,
//!   runnable ones built and run — on `--workers` threads (2), every run
//!   overlapped with the remaining compiles: what no harness can beat;
//!   every timed `cargo test` gets the same (`-j N -- --test-threads=N`);
//! * the whole warm `cargo test`, every test target;
//! * scaling: S, E and L on generated suites of copies of the real fixtures
//!   (blessed by this tool first), under `target/bench/`;
//! * cold: a fresh clone's first `cargo test`, dependencies included, against
//!   a minimal crate whose only dependency is trybuild, both with an empty
//!   target directory and the same registry cache; and the clone's
//!   `target/` after `cargo xtask bless` and two more `cargo test`.
//!
//! Every figure is the median of several repetitions, with min and max; all
//! ratios compare figures taken in the same run.

use crate::bless::{self, Mode};
use crate::error::{Error, Result};
use crate::flags::Flags;
use ch16_ui::host::toolchain::{self, Rustc};
use ch16_ui::model::fixture::FIXTURE_CRATES;
use ch16_ui::{Fixture, Suite};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Options of the benchmark.
struct Opts {
    reps: usize,
    slow_reps: usize,
    sizes: Vec<usize>,
    cold: bool,
    /// Workers of L, and `-j`/`--test-threads` of every timed `cargo test`.
    workers: usize,
}

fn parse(args: &[String]) -> Result<Opts> {
    let f = crate::flags::parse_only(args, crate::flags::BENCH)?;
    Ok(Opts {
        reps: f.reps.unwrap_or(3),
        slow_reps: f.slow_reps.unwrap_or(2),
        sizes: f.sizes.unwrap_or_else(|| vec![50, 100, 200]),
        cold: !f.no_cold,
        workers: f.workers.unwrap_or(2),
    })
}

/// Median, min and max of some durations.
#[derive(Clone, Copy)]
struct Stats {
    median: f64,
    min: f64,
    max: f64,
}

impl Stats {
    fn of(samples: &[Duration]) -> Stats {
        let mut s: Vec<f64> = samples.iter().map(Duration::as_secs_f64).collect();
        s.sort_by(f64::total_cmp);
        let median = if s.len() % 2 == 1 {
            s[s.len() / 2]
        } else {
            (s[s.len() / 2 - 1] + s[s.len() / 2]) / 2.0
        };
        Stats {
            median,
            min: s[0],
            max: s[s.len() - 1],
        }
    }
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "{:7.2} s  (min {:.2}, max {:.2})",
            self.median, self.min, self.max
        )
    }
}

/// Run the benchmark and print a report (also written for BENCHMARKS.md).
pub fn run(root: &Path, args: &[String]) -> Result<bool> {
    let opts = parse(args)?;
    let rustc = toolchain::current()?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = opts.workers;
    let mut report = String::new();
    let _ = writeln!(
        report,
        "machine: {cores} cores ({}), {}\ntoolchain: {}\nworkers: {workers} (L's compiles, and `cargo test -j {workers} -- --test-threads={workers}`)\n",
        std::env::consts::ARCH,
        machine_name(),
        rustc.label()
    );
    println!("{report}");

    let suite = crate::load(root)?;
    let externs = externs(&rustc, root)?;
    let cx = Ctx {
        rustc: &rustc,
        externs: &externs,
        workers,
    };
    let mut rows = Vec::new();
    // Edits go to a copy: the real fixtures are never touched.
    let copy = root.join("target/bench/suite-real");
    copy_suite(root, &copy)?;
    let row = measure(&cx, root, root, &copy, &suite, opts.reps, true)?;
    rows.push((
        format!("real suite ({} fixtures)", suite.fixtures.len()),
        row,
    ));
    print_row(&rows[0]);

    for &n in &opts.sizes {
        let row = measure_generated(&cx, root, &suite, opts.slow_reps, n)?;
        rows.push((format!("{n} copies"), row));
        print_row(rows.last().expect("just pushed"));
    }
    table(&mut report, &rows, workers);
    if opts.cold {
        let c = cold(root, &suite, &rustc, opts.slow_reps, workers)?;
        cold_table(&mut report, &c, suite.fixtures.len());
    }
    let _ = writeln!(
        report,
        "\nMedians over {} run(s) (real suite) and {} (generated, cold); each after one untimed warm-up.",
        opts.reps, opts.slow_reps
    );
    println!("\n{report}");
    let out = root.join("target/bench/last-report.md");
    fs::create_dir_all(out.parent().expect("has a parent")).map_err(Error::bench)?;
    fs::write(&out, &report).map_err(Error::bench)?;
    println!("(also written to {})", out.display());
    Ok(true)
}

/// A generated suite of `n` copies of every fixture: made, blessed on the
/// active toolchain, measured.
fn measure_generated(cx: &Ctx, root: &Path, suite: &Suite, reps: usize, n: usize) -> Result<Row> {
    let bench_root = root.join("target/bench").join(format!("suite-{n}"));
    println!(
        "generating and blessing {n} copies in {} …",
        bench_root.display()
    );
    generate(suite, &bench_root, n)?;
    let flags = Flags {
        toolchains: vec![active_toolchain()?],
        ..Flags::default()
    };
    if !bless::run(&bench_root, &flags, Mode::Bless)? {
        return Err(Error::Bench(format!(
            "blessing the generated suite of {n} failed"
        )));
    }
    let generated = crate::load(&bench_root)?;
    measure(cx, root, &bench_root, &bench_root, &generated, reps, false)
}

/// What every measurement shares: the compiler, the fixtures' crates for
/// bare rustc, and how many workers L and `cargo test` get.
struct Ctx<'a> {
    rustc: &'a Rustc,
    externs: &'a [String],
    workers: usize,
}

/// The warm figures, one row per suite.
fn table(report: &mut String, rows: &[(String, Row)], workers: usize) {
    let _ = writeln!(
        report,
        "| suite | S: warm `cargo test --test ui` | L: bare rustc, {workers} workers, runs overlapped | S / L | E: every fixture edited | E / L |"
    );
    let _ = writeln!(report, "|---|---|---|---|---|---|");
    for (name, r) in rows {
        let _ = writeln!(
            report,
            "| {name} | {} | {} | {:.2} | {} | {:.2} |",
            r.s,
            r.l,
            r.s.median / r.l.median,
            r.edited,
            r.edited.median / r.l.median
        );
    }
    if let Some(whole) = rows.first().and_then(|(_, r)| r.whole) {
        let _ = writeln!(
            report,
            "\nThe whole warm `cargo test` (every test target): {whole}, {:.2} × L of the real suite.",
            whole.median / rows[0].1.l.median
        );
    }
}

/// The cold figures.
fn cold_table(report: &mut String, c: &Cold, fixtures: usize) {
    let ratio = |s: &Stats| s.median / c.minimal.median;
    let _ = writeln!(
        report,
        "\n| cold first run (empty target dir, warm registry) | time | ratio to minimal |\n|---|---|---|\n\
         | this suite, fresh clone: `cargo test --test ui` | {} | {:.2} |\n\
         | … of which building the test program (`--no-run`) | {} | {:.2} |\n\
         | … of which its first run | {} | {:.2} |\n\
         | minimal crate, trybuild only, one pass test: `cargo test` | {} | 1.00 |\n\
         | this suite, then the rest of `cargo test` (unit, hardening, catalogue) | {} | - |\n\
         | trybuild alone on the same {} fixtures: first `cargo test` | {} | {:.2} |\n\
         | … and its second (warm) `cargo test`, against S above | {} | - |",
        c.ours,
        ratio(&c.ours),
        c.build,
        ratio(&c.build),
        c.first_run,
        ratio(&c.first_run),
        c.minimal,
        c.full,
        fixtures,
        c.alone_cold,
        ratio(&c.alone_cold),
        c.alone_warm,
    );
    let _ = writeln!(
        report,
        "\nDisk: the fresh clone's `target/` after its first `cargo test`, `cargo xtask bless` (every installed toolchain) and two more `cargo test`: {} MB.",
        c.disk_mb
    );
}

fn print_row((name, r): &(String, Row)) {
    println!(
        "  {name}: S {} | L {} | S/L {:.2} | every fixture edited {:.2}",
        r.s,
        r.l,
        r.s.median / r.l.median,
        r.edited.median / r.l.median
    );
}

/// S, E and L for the suite at `suite_root` (edited in `edit_root`, the
/// same suite or a copy), `reps` times each; with `whole`, also the whole
/// warm `cargo test` of the crate.
fn measure(
    cx: &Ctx,
    crate_dir: &Path,
    suite_root: &Path,
    edit_root: &Path,
    suite: &Suite,
    reps: usize,
    whole: bool,
) -> Result<Row> {
    let jobs = cx.workers.to_string();
    let threads = format!("--test-threads={}", cx.workers);
    let cargo_test = |root: Option<&Path>| -> Result<Duration> {
        let start = Instant::now();
        let mut cmd = cx.rustc.cargo();
        cmd.current_dir(crate_dir)
            .args(["test", "--quiet", "-j", &jobs]);
        match root {
            Some(root) => cmd
                .env(ch16_ui::protocol::ROOT_ENV, root)
                .args(["--test", "ui"]),
            None => cmd.env_remove(ch16_ui::protocol::ROOT_ENV),
        };
        cmd.args(["--", &threads]);
        let out = cmd.stdin(Stdio::null()).output().map_err(Error::bench)?;
        let elapsed = start.elapsed();
        if !out.status.success() {
            return Err(Error::Bench(format!(
                "`cargo test` failed on {}:\n{}\n{}",
                root.unwrap_or(crate_dir).display(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )));
        }
        Ok(elapsed)
    };
    cargo_test(Some(suite_root))?; // warm-up
    cargo_test(Some(edit_root))?;
    let mut row = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for rep in 0..reps {
        row.0.push(cargo_test(Some(suite_root))?);
        edit(edit_root, rep)?;
        row.1.push(cargo_test(Some(edit_root))?);
        row.2.push(limit(cx, suite_root, suite)?);
        if whole {
            row.3.push(cargo_test(None)?);
        }
    }
    Ok(Row {
        s: Stats::of(&row.0),
        edited: Stats::of(&row.1),
        l: Stats::of(&row.2),
        whole: whole.then(|| Stats::of(&row.3)),
    })
}

/// The figures for one suite.
struct Row {
    /// Warm `cargo test --test ui`.
    s: Stats,
    /// The same after every fixture was edited.
    edited: Stats,
    /// Bare rustc.
    l: Stats,
    /// The whole warm `cargo test`, for the real suite.
    whole: Option<Stats>,
}

/// Change every fixture of the suite at `root` (a comment at its end, which
/// no annotation sees), as an edit of each would. A `.fixed` expectation is
/// the whole fixture with rustc's suggestions applied, comments included,
/// so it gets the same comment (this is a copy: nothing is blessed).
fn edit(root: &Path, rep: usize) -> Result<()> {
    let suite = crate::load(root)?;
    let mark = |text: &str| {
        let text = text.split("// bench edit ").next().unwrap_or_default();
        format!("{text}// bench edit {rep}\n")
    };
    for f in &suite.fixtures {
        fs::write(root.join(&f.path), mark(&f.source)).map_err(Error::bench)?;
        for fixed in f
            .expectations
            .iter()
            .filter(|e| e.kind == ch16_ui::model::expect::Kind::Fixed)
        {
            let path = root.join(&fixed.path);
            let text = fs::read_to_string(&path).map_err(Error::bench)?;
            fs::write(&path, mark(&text)).map_err(Error::bench)?;
        }
    }
    Ok(())
}

/// Copy the suite at `root` (its `ui/` tree) to `dest`.
fn copy_suite(root: &Path, dest: &Path) -> Result<()> {
    let _ = fs::remove_dir_all(dest.join("ui"));
    for entry in walkdir::WalkDir::new(root.join("ui")) {
        let entry = entry.map_err(Error::bench)?;
        let to = dest.join(entry.path().strip_prefix(root).expect("under root"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&to).map_err(Error::bench)?;
        } else {
            fs::copy(entry.path(), &to).map_err(Error::bench)?;
        }
    }
    Ok(())
}

/// `--extern` arguments for the crates fixtures may use, from the test
/// program's build (where cargo made them for this compiler).
fn externs(rustc: &Rustc, root: &Path) -> Result<Vec<String>> {
    let out = rustc
        .cargo()
        .current_dir(root)
        .args([
            "test",
            "--no-run",
            "--quiet",
            "--message-format=json",
            "--test",
            "ui",
        ])
        .output()
        .map_err(Error::bench)?;
    let mut args = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let name = msg["target"]["name"].as_str().unwrap_or_default();
        if msg["reason"] == "compiler-artifact"
            && FIXTURE_CRATES.contains(&name)
            && let Some(file) = msg["filenames"][0].as_str()
        {
            args.extend(["--extern".to_string(), format!("{name}={file}")]);
        }
    }
    if args.len() != FIXTURE_CRATES.len() * 2 {
        return Err(Error::Bench(format!(
            "cargo built no artifact for {FIXTURE_CRATES:?}"
        )));
    }
    Ok(args)
}

/// Bare rustc over every fixture: compiles on as many threads as the
/// machine has cores, each program run on its own thread as soon as it is
/// built.
fn limit(cx: &Ctx, root: &Path, suite: &Suite) -> Result<Duration> {
    let (rustc, externs, workers) = (cx.rustc, cx.externs, cx.workers);
    let out = root.join("target/bench-limit");
    let _ = fs::remove_dir_all(&out);
    fs::create_dir_all(&out).map_err(Error::bench)?;
    let next = AtomicUsize::new(0);
    let start = Instant::now();
    let result = std::thread::scope(|s| -> Result<()> {
        let compilers: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| -> Result<Vec<_>> {
                    let mut runs = Vec::new();
                    while let Some(f) = suite.fixtures.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let runnable = !f.header.expect.is_compile_fail();
                        let status = rustc
                            .command()
                            .current_dir(root)
                            .arg(&f.path)
                            .args(["--edition", "2024", "--crate-type", "bin", "--crate-name"])
                            .arg(f.stem.replace('-', "_"))
                            .args([
                                "--error-format",
                                "json",
                                "-C",
                                "debuginfo=0",
                                "-C",
                                "strip=debuginfo",
                            ])
                            .arg(if runnable {
                                "--emit=link"
                            } else {
                                "--emit=metadata"
                            })
                            .args(externs)
                            .arg("--out-dir")
                            .arg(out.join(&f.stem))
                            .stderr(Stdio::null())
                            .status()
                            .map_err(Error::bench)?;
                        if status.success() != runnable {
                            return Err(Error::Bench(format!(
                                "{}: unexpected outcome",
                                f.display_path()
                            )));
                        }
                        if runnable {
                            let exe = out.join(&f.stem).join(f.stem.replace('-', "_"));
                            runs.push(s.spawn(move || {
                                Command::new(exe)
                                    .stdout(Stdio::null())
                                    .stderr(Stdio::null())
                                    .status()
                                    .is_ok_and(|s| s.success())
                            }));
                        }
                    }
                    Ok(runs)
                })
            })
            .collect();
        for c in compilers {
            for run in c.join().expect("compiler thread")? {
                if !run.join().expect("run thread") {
                    return Err(Error::Bench(
                        "a program failed in the limit measurement".into(),
                    ));
                }
            }
        }
        Ok(())
    });
    let elapsed = start.elapsed();
    result.map(|()| elapsed)
}

/// Write a suite of `n` fixtures at `dest`: copies of the real ones, as our
/// own fixtures (`origin: beyond`) in groups of one full set each.
fn generate(suite: &Suite, dest: &Path, n: usize) -> Result<()> {
    let _ = fs::remove_dir_all(dest);
    let per_set = suite.fixtures.len();
    // A number first, unique in the generated suite, so that every copy has
    // a short id of its own (`beyond-0042`).
    let stem_of = |f: &Fixture, set: usize| {
        let pos = suite
            .fixtures
            .iter()
            .position(|g| std::ptr::eq(g, f))
            .unwrap_or(0);
        format!(
            "beyond-{:04}-c{set:02}-{}",
            set * per_set + pos,
            f.stem.strip_prefix("beyond-").unwrap_or(&f.stem)
        )
    };
    for i in 0..n {
        let (set, f) = (i / per_set, &suite.fixtures[i % per_set]);
        // A fix outside a partial last set is taken from the first set.
        let fix_set = |id: &str| {
            let pos = suite
                .fixtures
                .iter()
                .position(|g| g.header.listing == id)
                .unwrap_or(0);
            if set * per_set + pos < n { set } else { 0 }
        };
        let mut text = String::new();
        for (k, line) in f.source.lines().enumerate() {
            let header = k < f.header.len;
            if header && line.starts_with("//! listing:") {
                let _ = writeln!(text, "//! listing: {}\n//! origin: beyond", stem_of(f, set));
            } else if header
                && (line.starts_with("//! follows:") || line.starts_with("//! origin:"))
            {
                continue;
            } else if let Some((field, id)) =
                ["fixed-by", "improved-by", "compiler-suggestion-gives"]
                    .iter()
                    .find_map(|field| Some((field, line.strip_prefix(&format!("//! {field}: "))?)))
                    .filter(|_| header)
            {
                let target = suite
                    .by_id(id)
                    .ok_or_else(|| format!("no fixture {id}"))
                    .map_err(Error::bench)?;
                let _ = writeln!(text, "//! {field}: {}", stem_of(target, fix_set(id)));
            } else {
                let _ = writeln!(text, "{line}");
            }
        }
        let dir = dest.join("ui").join(format!("copies-{set:02}"));
        fs::create_dir_all(&dir).map_err(Error::bench)?;
        fs::write(dir.join(format!("{}.rs", stem_of(f, set))), text).map_err(Error::bench)?;
    }
    Ok(())
}

/// The toolchain `cargo` uses here, by name.
fn active_toolchain() -> Result<String> {
    if let Ok(t) = std::env::var("RUSTUP_TOOLCHAIN") {
        return Ok(t);
    }
    let out = Command::new("rustup")
        .args(["show", "active-toolchain"])
        .output()
        .map_err(Error::bench)?;
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .map(str::to_string)
        .ok_or_else(|| Error::bench("cannot tell the active toolchain"))
}

fn machine_name() -> String {
    fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|m| m.trim_start_matches([' ', '\t', ':']).to_string())
            })
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

/// First `cargo test` of a fresh clone, and of a minimal trybuild crate.
fn cold(root: &Path, suite: &Suite, rustc: &Rustc, reps: usize, workers: usize) -> Result<Cold> {
    let timed_cargo_test = |dir: &PathBuf, args: &[&str]| timed_cargo_test(dir, args, workers);
    let base = root.join("target/bench/cold");
    let lock = fs::read_to_string(root.join("Cargo.lock")).map_err(Error::bench)?;
    let mut ours = Vec::new();
    let mut minimal = Vec::new();
    let mut full = Vec::new();
    let mut build = Vec::new();
    let mut run = Vec::new();
    let mut alone_cold = Vec::new();
    let mut alone_warm = Vec::new();
    let mut disk_mb = 0;
    for rep in 0..reps {
        println!("cold start, repetition {} of {reps} …", rep + 1);
        let _ = fs::remove_dir_all(&base);
        fs::create_dir_all(&base).map_err(Error::bench)?;

        let clone = base.join("suite");
        let status = Command::new("git")
            .args(["clone", "--quiet"])
            .arg(root)
            .arg(&clone)
            .status()
            .map_err(Error::bench)?;
        if !status.success() {
            return Err(Error::Bench("git clone failed".into()));
        }
        // The test program first, then its first run: the two parts of
        // one cold `cargo test --test ui`.
        let built = timed_cargo_test(&clone, &["--test", "ui", "--no-run"])?;
        let first = timed_cargo_test(&clone, &["--test", "ui"])?;
        ours.push(built + first);
        build.push(built);
        run.push(first);
        // The whole `cargo test` (unit, hardening, catalogue) on top, for the record.
        full.push(timed_cargo_test(&clone, &[])?);
        if rep + 1 == reps {
            disk_mb = disk_after_bless(&clone, workers)?;
        }

        let min = base.join("minimal");
        fs::create_dir_all(min.join("tests/ui")).map_err(Error::bench)?;
        fs::write(
            min.join("tests/ui/hello.rs"),
            "fn main() {\n    println!(\"hello\");\n}\n",
        )
        .map_err(Error::bench)?;
        write_trybuild_crate(
            &min,
            "minimal",
            "",
            "    t.pass(\"tests/ui/hello.rs\");\n",
            &lock,
        )?;
        minimal.push(timed_cargo_test(&min, &[])?);

        // trybuild alone on the same fixtures, first and second run.
        let bare = base.join("trybuild-alone");
        write_trybuild_alone(root, suite, rustc, &bare, &lock)?;
        alone_cold.push(timed_cargo_test(&bare, &[])?);
        alone_warm.push(timed_cargo_test(&bare, &[])?);
    }
    let _ = fs::remove_dir_all(&base);
    Ok(Cold {
        ours: Stats::of(&ours),
        build: Stats::of(&build),
        first_run: Stats::of(&run),
        minimal: Stats::of(&minimal),
        full: Stats::of(&full),
        alone_cold: Stats::of(&alone_cold),
        alone_warm: Stats::of(&alone_warm),
        disk_mb,
    })
}

/// The size of `clone`'s `target/` in MB after `cargo xtask bless` on every
/// installed toolchain and two more `cargo test`.
fn disk_after_bless(clone: &Path, workers: usize) -> Result<u64> {
    println!("disk: cargo xtask bless, then cargo test twice, in the clone …");
    let status = Command::new("cargo")
        .current_dir(clone)
        .args(["xtask", "bless"])
        .env_remove("CARGO_TARGET_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .map_err(Error::bench)?;
    if !status.success() {
        return Err(Error::Bench(
            "`cargo xtask bless` failed in the clone".into(),
        ));
    }
    timed_cargo_test(&clone.to_path_buf(), &[], workers)?;
    timed_cargo_test(&clone.to_path_buf(), &[], workers)?;
    let out = Command::new("du")
        .args(["-sm"])
        .arg(clone.join("target"))
        .output()
        .map_err(Error::bench)?;
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| Error::bench("du gave no size"))
}

/// A crate whose only dependencies are trybuild and the fixtures' own crates,
/// testing the suite's fixtures the plain trybuild way (one `TestCases`, the
/// `.stderr` for this compiler beside each compile-fail fixture).
fn write_trybuild_alone(
    root: &Path,
    suite: &Suite,
    rustc: &Rustc,
    dest: &Path,
    lock: &str,
) -> Result<()> {
    let io = |e: std::io::Error| Error::Bench(format!("{}: {e}", dest.display()));
    let mut calls = String::new();
    for f in &suite.fixtures {
        let to = dest.join(&f.path);
        fs::create_dir_all(to.parent().expect("in a group")).map_err(io)?;
        fs::copy(root.join(&f.path), &to).map_err(io)?;
        let path = f.display_path();
        if f.header.expect.is_compile_fail() {
            let expected = f
                .expectation(ch16_ui::model::expect::Kind::Stderr, rustc.version)
                .ok_or_else(|| format!("{path} has no .stderr for {}", rustc.label()))
                .map_err(Error::bench)?;
            fs::copy(root.join(&expected.path), to.with_extension("stderr")).map_err(io)?;
            let _ = writeln!(calls, "    t.compile_fail(\"{path}\");");
        } else {
            let _ = writeln!(calls, "    t.pass(\"{path}\");");
        }
    }
    let crates: String = FIXTURE_CRATES
        .iter()
        .map(|c| format!("{c} = \"1\"\n"))
        .collect();
    write_trybuild_crate(dest, "trybuild-alone", &crates, &calls, lock)
}

/// A crate at `dest` named `name` whose dev-dependencies are trybuild and
/// `extra` (Cargo.toml lines), locked like the suite (`lock`), with one test
/// running the trybuild `calls` (lines using `t`, a `TestCases`).
fn write_trybuild_crate(
    dest: &Path,
    name: &str,
    extra: &str,
    calls: &str,
    lock: &str,
) -> Result<()> {
    let io = |e: std::io::Error| Error::Bench(format!("{}: {e}", dest.display()));
    fs::create_dir_all(dest.join("src")).map_err(io)?;
    fs::create_dir_all(dest.join("tests")).map_err(io)?;
    fs::write(
        dest.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dev-dependencies]\ntrybuild = \"1.0.122\"\n{extra}\n[workspace]\n"
        ),
    )
    .map_err(io)?;
    fs::write(dest.join("Cargo.lock"), lock).map_err(io)?;
    fs::write(dest.join("src/lib.rs"), "").map_err(io)?;
    fs::write(
        dest.join("tests/ui.rs"),
        format!("#[test]\nfn ui() {{\n    let t = trybuild::TestCases::new();\n{calls}}}\n"),
    )
    .map_err(io)
}

/// Cold-start figures.
struct Cold {
    /// `cargo test --test ui` in a fresh clone: `build` + `first_run`.
    ours: Stats,
    /// Its test program alone (`--no-run`).
    build: Stats,
    /// Its first run, the program built.
    first_run: Stats,
    /// The minimal trybuild crate's `cargo test`.
    minimal: Stats,
    /// The rest of this suite's `cargo test`, after `ours`.
    full: Stats,
    /// trybuild alone on the same fixtures: first `cargo test`.
    alone_cold: Stats,
    /// … and the second.
    alone_warm: Stats,
    /// The clone's `target/` after bless and two more `cargo test`, MB.
    disk_mb: u64,
}

/// `cargo test ARGS` in `dir` on `workers` (`-j`, and `--test-threads`
/// unless the test programs are only built).
fn timed_cargo_test(dir: &PathBuf, args: &[&str], workers: usize) -> Result<Duration> {
    let start = Instant::now();
    let mut cmd = Command::new("cargo");
    cmd.current_dir(dir)
        .args(["test", "-j", &workers.to_string()])
        .args(args);
    if !args.contains(&"--no-run") {
        cmd.arg("--").arg(format!("--test-threads={workers}"));
    }
    let out = cmd
        .env_remove("CARGO_TARGET_DIR")
        .env_remove(ch16_ui::protocol::ROOT_ENV)
        .stdin(Stdio::null())
        .output()
        .map_err(Error::bench)?;
    let elapsed = start.elapsed();
    if !out.status.success() {
        return Err(Error::Bench(format!(
            "cold `cargo test` failed in {}:\n{}\n{}",
            dir.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(elapsed)
}
