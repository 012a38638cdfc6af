//! `cargo xtask bench`: the suite against the limit of bare `rustc`, how it
//! scales, and its cold start against a minimal trybuild crate.
//!
//! * S: a warm `cargo test --test ui` (after one untimed warm-up run);
//! * E: the same after every fixture was edited (a comment appended, so
//!   cargo finds nothing fresh), on a copy of the real suite;
//! * L: the same fixtures with bare `rustc` (compile-fail ones checked,
//!   runnable ones built and run) on `--workers` threads, every run
//!   overlapped with the remaining compiles: what no harness can beat;
//!   every timed `cargo test` gets the same workers (`-j N -- --test-threads=N`);
//! * the whole warm `cargo test`, every test target;
//! * scaling: S, E and L on generated suites of copies of the real fixtures;
//! * cold: a fresh clone's first `cargo test`, against a minimal crate
//!   whose only dependency is trybuild, and the clone's `target/` after
//!   `cargo xtask bless` and two more `cargo test`.
//!
//! Every figure is the median of several repetitions, with min and max;
//! all ratios compare figures taken in the same run.

use crate::error::{Error, Result};
use crate::flags::{Bench, Run};
use ch16_ui::host::toolchain::{self, Rustc};
use ch16_ui::model::expect::Kind;
use ch16_ui::model::fixture::{FIXTURE_CRATES, Fixture, Listing};
use ch16_ui::model::suite::Suite;
use ch16_ui::names::ROOT_ENV;
use ch16_ui::observe::trybuild::VERSION;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

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
        let n = s.len();
        let median = if n % 2 == 1 {
            s[n / 2]
        } else {
            (s[n / 2 - 1] + s[n / 2]) / 2.0
        };
        Stats {
            median,
            min: s[0],
            max: s[n - 1],
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

/// The figures for one suite: warm (S), edited (E), the limit (L), and the
/// whole warm `cargo test` for the real suite.
struct Row {
    s: Stats,
    edited: Stats,
    l: Stats,
    whole: Option<Stats>,
}

/// What every measurement shares.
struct Ctx<'a> {
    rustc: &'a Rustc,
    /// `--extern` arguments for the crates fixtures use, for bare rustc.
    externs: &'a [String],
    workers: usize,
}

/// Run the benchmark and print a report (also written for BENCHMARKS.md).
pub fn run(root: &Path, opts: &Bench) -> Result<bool> {
    let rustc = toolchain::current()?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = opts.workers;
    let mut report = format!(
        "machine: {cores} cores ({}), {}\ntoolchain: {}\nworkers: {workers} (L's compiles, and `cargo test -j {workers} -- --test-threads={workers}`)\n\n",
        std::env::consts::ARCH,
        machine_name(),
        rustc.label()
    );
    println!("{report}");
    let suite = crate::load(root)?;
    let cx = Ctx {
        rustc: &rustc,
        externs: &externs(&rustc, root)?,
        workers,
    };
    // Edits go to a copy: the real fixtures are never touched.
    let copy = root.join("target/bench/suite-real");
    copy_suite(root, &copy)?;
    let mut rows = vec![(
        format!("real suite ({} fixtures)", suite.fixtures.len()),
        measure(&cx, root, root, &copy, opts.reps, true)?,
    )];
    print_row(&rows[0]);
    for &n in &opts.sizes {
        let generated = root.join("target/bench").join(format!("suite-{n}"));
        println!(
            "generating and blessing {n} copies in {} …",
            generated.display()
        );
        generate(&suite, &generated, n)?;
        let run = Run {
            toolchains: vec![active_toolchain()?],
            ..Run::default()
        };
        if !crate::bless::run(&generated, &run, true, None)? {
            return Err(Error::Bench(format!(
                "blessing the generated suite of {n} failed"
            )));
        }
        rows.push((
            format!("{n} copies"),
            measure(&cx, root, &generated, &generated, opts.slow_reps, false)?,
        ));
        print_row(rows.last().expect("just pushed"));
    }
    table(&mut report, &rows, workers);
    if opts.cold {
        cold_table(
            &mut report,
            &cold(root, &suite, &rustc, opts.slow_reps, workers)?,
            suite.fixtures.len(),
        );
    }
    let (reps, slow) = (opts.reps, opts.slow_reps);
    let _ = writeln!(
        report,
        "\nMedians over {reps} run(s) (real suite) and {slow} (generated, cold); each after one untimed warm-up."
    );
    println!("\n{report}");
    let out = root.join("target/bench/last-report.md");
    fs::create_dir_all(out.parent().expect("has a parent")).map_err(Error::bench)?;
    fs::write(&out, &report).map_err(Error::bench)?;
    println!("(also written to {})", out.display());
    Ok(true)
}

/// The warm figures, a row per suite.
fn table(report: &mut String, rows: &[(String, Row)], workers: usize) {
    let _ = writeln!(
        report,
        "| suite | S: warm `cargo test --test ui` | L: bare rustc, {workers} workers, runs overlapped | S / L | E: every fixture edited | E / L |\n|---|---|---|---|---|---|"
    );
    for (name, r) in rows {
        let (s, e) = (r.s.median / r.l.median, r.edited.median / r.l.median);
        let _ = writeln!(
            report,
            "| {name} | {} | {} | {s:.2} | {} | {e:.2} |",
            r.s, r.l, r.edited
        );
    }
    if let Some(whole) = rows.first().and_then(|(_, r)| r.whole) {
        let ratio = whole.median / rows[0].1.l.median;
        let _ = writeln!(
            report,
            "\nThe whole warm `cargo test` (every test target): {whole}, {ratio:.2} × L of the real suite."
        );
    }
}

fn print_row((name, r): &(String, Row)) {
    let (s, e) = (r.s.median / r.l.median, r.edited.median / r.l.median);
    println!(
        "  {name}: S {} | L {} | S/L {s:.2} | every fixture edited {e:.2}",
        r.s, r.l
    );
}

/// `cargo test` in `crate_dir` on `root`'s suite (the whole `cargo test`
/// without one), on the workers; how long it took.
fn cargo_test(cx: &Ctx, crate_dir: &Path, root: Option<&Path>) -> Result<Duration> {
    let start = Instant::now();
    let mut cmd = cx.rustc.cargo();
    cmd.current_dir(crate_dir)
        .args(["test", "--quiet", "-j", &cx.workers.to_string()]);
    match root {
        Some(root) => cmd.env(ROOT_ENV, root).args(["--test", "ui"]),
        None => cmd.env_remove(ROOT_ENV),
    };
    let out = cmd
        .args(["--", &format!("--test-threads={}", cx.workers)])
        .stdin(Stdio::null())
        .output()
        .map_err(Error::bench)?;
    let elapsed = start.elapsed();
    if !out.status.success() {
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        let on = root.unwrap_or(crate_dir).display();
        return Err(Error::Bench(format!(
            "`cargo test` failed on {on}:\n{stdout}\n{stderr}"
        )));
    }
    Ok(elapsed)
}

/// S, E and L for the suite at `suite_root` (edited in `edit_root`, the
/// same suite or a copy), `reps` times each; with `whole`, the whole warm
/// `cargo test` too.
fn measure(
    cx: &Ctx,
    crate_dir: &Path,
    suite_root: &Path,
    edit_root: &Path,
    reps: usize,
    whole: bool,
) -> Result<Row> {
    let suite = crate::load(suite_root)?;
    cargo_test(cx, crate_dir, Some(suite_root))?; // warm-up
    cargo_test(cx, crate_dir, Some(edit_root))?;
    let mut samples: [Vec<Duration>; 4] = Default::default();
    for rep in 0..reps {
        samples[0].push(cargo_test(cx, crate_dir, Some(suite_root))?);
        edit(edit_root, rep)?;
        samples[1].push(cargo_test(cx, crate_dir, Some(edit_root))?);
        samples[2].push(limit(cx, suite_root, &suite)?);
        if whole {
            samples[3].push(cargo_test(cx, crate_dir, None)?);
        }
    }
    Ok(Row {
        s: Stats::of(&samples[0]),
        edited: Stats::of(&samples[1]),
        l: Stats::of(&samples[2]),
        whole: whole.then(|| Stats::of(&samples[3])),
    })
}

/// Change every fixture of the suite at `root` (a comment at its end, which
/// no annotation sees). A `.fixed` expectation is the whole fixture with
/// rustc's suggestions applied, comments included: it gets the same.
fn edit(root: &Path, rep: usize) -> Result<()> {
    let suite = crate::load(root)?;
    let mark = |text: &str| {
        format!(
            "{}// bench edit {rep}\n",
            text.split("// bench edit ").next().unwrap_or_default()
        )
    };
    for (f, l) in suite.loaded() {
        fs::write(root.join(&f.path), mark(&l.source)).map_err(Error::bench)?;
        for fixed in f.expectations.iter().filter(|e| e.kind == Kind::Fixed) {
            let path = root.join(&fixed.path);
            let text = fs::read_to_string(&path).map_err(Error::bench)?;
            fs::write(&path, mark(&text)).map_err(Error::bench)?;
        }
    }
    Ok(())
}

/// Copy the `ui/` tree of the suite at `root` to `dest`.
fn copy_suite(root: &Path, dest: &Path) -> Result<()> {
    let _ = fs::remove_dir_all(dest.join("ui"));
    for entry in walkdir::WalkDir::new(root.join("ui")) {
        let entry = entry.map_err(Error::bench)?;
        let to = dest.join(entry.path().strip_prefix(root).expect("under root"));
        match entry.file_type().is_dir() {
            true => fs::create_dir_all(&to).map(drop),
            false => fs::copy(entry.path(), &to).map(drop),
        }
        .map_err(Error::bench)?;
    }
    Ok(())
}

/// `--extern` arguments for the crates fixtures use, from the test
/// program's build (where cargo made them for this compiler).
fn externs(rustc: &Rustc, root: &Path) -> Result<Vec<String>> {
    let args = [
        "test",
        "--no-run",
        "--quiet",
        "--message-format=json",
        "--test",
        "ui",
    ];
    let out = rustc
        .cargo()
        .current_dir(root)
        .args(args)
        .output()
        .map_err(Error::bench)?;
    let mut found = Vec::new();
    for msg in String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
    {
        let name = msg["target"]["name"].as_str().unwrap_or_default();
        if msg["reason"] == "compiler-artifact"
            && FIXTURE_CRATES.contains(&name)
            && let Some(file) = msg["filenames"][0].as_str()
        {
            found.extend(["--extern".to_string(), format!("{name}={file}")]);
        }
    }
    match found.len() == FIXTURE_CRATES.len() * 2 {
        true => Ok(found),
        false => Err(Error::Bench(format!(
            "cargo built no artifact for {FIXTURE_CRATES:?}"
        ))),
    }
}

/// Bare rustc over every fixture on the workers, each program run on a
/// thread of its own as soon as it is built.
fn limit(cx: &Ctx, root: &Path, suite: &Suite) -> Result<Duration> {
    let out = root.join("target/bench-limit");
    let _ = fs::remove_dir_all(&out);
    fs::create_dir_all(&out).map_err(Error::bench)?;
    let fixtures: Vec<(&Fixture, &Listing)> = suite.loaded().collect();
    let next = AtomicUsize::new(0);
    let start = Instant::now();
    let result = std::thread::scope(|s| -> Result<()> {
        let compilers: Vec<_> = (0..cx.workers)
            .map(|_| {
                s.spawn(|| -> Result<Vec<_>> {
                    let mut runs = Vec::new();
                    while let Some(&(f, l)) = fixtures.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let runnable = !l.header.expect.is_compile_fail();
                        let name = f.stem.replace('-', "_");
                        let status = cx
                            .rustc
                            .command()
                            .current_dir(root)
                            .arg(&f.path)
                            .args([
                                "--edition",
                                "2024",
                                "--crate-type",
                                "bin",
                                "--crate-name",
                                &name,
                            ])
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
                            .args(cx.externs)
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
                            let program = out.join(&f.stem).join(name);
                            let quiet = move || {
                                Command::new(program)
                                    .stdout(Stdio::null())
                                    .stderr(Stdio::null())
                                    .status()
                            };
                            runs.push(s.spawn(move || quiet().is_ok_and(|s| s.success())));
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
/// own fixtures (`origin: beyond`), a directory per full set. Each copy's id
/// starts with a number of its own (`beyond-0042-c00-…`), so that it has a
/// short id of its own; its links point into its own set where that holds
/// the fixture, else into the first.
fn generate(suite: &Suite, dest: &Path, n: usize) -> Result<()> {
    let _ = fs::remove_dir_all(dest);
    let all: Vec<(&Fixture, &Listing)> = suite.loaded().collect();
    let per_set = all.len();
    let position = |id: &str| {
        all.iter()
            .position(|(_, l)| l.header.listing == id)
            .unwrap_or(0)
    };
    let stem = |pos: usize, set: usize| {
        let f = all[pos].0;
        format!(
            "beyond-{:04}-c{set:02}-{}",
            set * per_set + pos,
            f.stem.strip_prefix("beyond-").unwrap_or(&f.stem)
        )
    };
    for i in 0..n {
        let (set, pos) = (i / per_set, i % per_set);
        let (_, l) = all[pos];
        let mut text = String::new();
        for (k, line) in l.source.lines().enumerate() {
            let header = k < l.header.len;
            let link = ["fixed-by", "improved-by", "compiler-suggestion-gives"]
                .iter()
                .find_map(|field| Some((field, line.strip_prefix(&format!("//! {field}: "))?)))
                .filter(|_| header);
            if header && line.starts_with("//! listing:") {
                let _ = writeln!(text, "//! listing: {}\n//! origin: beyond", stem(pos, set));
            } else if header
                && (line.starts_with("//! follows:") || line.starts_with("//! origin:"))
            {
                continue;
            } else if let Some((field, id)) = link {
                let target = position(id);
                let target_set = if set * per_set + target < n { set } else { 0 };
                let _ = writeln!(text, "//! {field}: {}", stem(target, target_set));
            } else {
                let _ = writeln!(text, "{line}");
            }
        }
        let dir = dest.join("ui").join(format!("copies-{set:02}"));
        fs::create_dir_all(&dir).map_err(Error::bench)?;
        fs::write(dir.join(format!("{}.rs", stem(pos, set))), text).map_err(Error::bench)?;
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
    let name = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .map(str::to_string);
    name.ok_or_else(|| Error::bench("cannot tell the active toolchain"))
}

fn machine_name() -> String {
    let cpu = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpu.lines().find_map(|l| {
        l.strip_prefix("model name")
            .map(|m| m.trim_start_matches([' ', '\t', ':']).to_string())
    });
    model.unwrap_or_else(|| "unknown CPU".into())
}

/// Cold-start figures.
struct Cold {
    /// `cargo test --test ui` in a fresh clone: `build` + `first_run`.
    ours: Stats,
    build: Stats,
    first_run: Stats,
    /// The minimal trybuild crate's `cargo test`.
    minimal: Stats,
    /// The rest of this suite's `cargo test`, after `ours`.
    full: Stats,
    /// trybuild alone on the same fixtures: first and second `cargo test`.
    alone: (Stats, Stats),
    /// The clone's `target/` after bless and two more `cargo test`, MB.
    disk_mb: u64,
}

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
         | trybuild alone on the same {fixtures} fixtures: first `cargo test` | {} | {:.2} |\n\
         | … and its second (warm) `cargo test`, against S above | {} | - |",
        c.ours,
        ratio(&c.ours),
        c.build,
        ratio(&c.build),
        c.first_run,
        ratio(&c.first_run),
        c.minimal,
        c.full,
        c.alone.0,
        ratio(&c.alone.0),
        c.alone.1,
    );
    let _ = writeln!(
        report,
        "\nDisk: the fresh clone's `target/` after its first `cargo test`, `cargo xtask bless` (every installed toolchain) and two more `cargo test`: {} MB.",
        c.disk_mb
    );
}

/// The first `cargo test` of a fresh clone, of a minimal trybuild crate,
/// and of trybuild alone on the same fixtures, `reps` times.
fn cold(root: &Path, suite: &Suite, rustc: &Rustc, reps: usize, workers: usize) -> Result<Cold> {
    let base = root.join("target/bench/cold");
    let lock = fs::read_to_string(root.join("Cargo.lock")).map_err(Error::bench)?;
    let mut samples: [Vec<Duration>; 7] = Default::default();
    let mut disk_mb = 0;
    let test = |dir: &Path, args: &[&str]| timed_cargo_test(dir, args, workers);
    for rep in 0..reps {
        println!("cold start, repetition {} of {reps} …", rep + 1);
        let _ = fs::remove_dir_all(&base);
        fs::create_dir_all(&base).map_err(Error::bench)?;
        let clone = base.join("suite");
        let cloned = Command::new("git")
            .args(["clone", "--quiet"])
            .arg(root)
            .arg(&clone)
            .status();
        if !cloned.is_ok_and(|s| s.success()) {
            return Err(Error::Bench("git clone failed".into()));
        }
        // The test program first, then its first run: the two parts of one
        // cold `cargo test --test ui`.
        let built = test(&clone, &["--test", "ui", "--no-run"])?;
        let first = test(&clone, &["--test", "ui"])?;
        samples[0].push(built + first);
        samples[1].push(built);
        samples[2].push(first);
        samples[4].push(test(&clone, &[])?);
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
        samples[3].push(test(&min, &[])?);
        let alone = base.join("trybuild-alone");
        write_trybuild_alone(root, suite, rustc, &alone, &lock)?;
        samples[5].push(test(&alone, &[])?);
        samples[6].push(test(&alone, &[])?);
    }
    let _ = fs::remove_dir_all(&base);
    let s = samples.map(|v| Stats::of(&v));
    Ok(Cold {
        ours: s[0],
        build: s[1],
        first_run: s[2],
        minimal: s[3],
        full: s[4],
        alone: (s[5], s[6]),
        disk_mb,
    })
}

/// The size of `clone`'s `target/` in MB after `cargo xtask bless` on every
/// installed toolchain and two more `cargo test`.
fn disk_after_bless(clone: &Path, workers: usize) -> Result<u64> {
    println!("disk: cargo xtask bless, then cargo test twice, in the clone …");
    let mut bless = Command::new("cargo");
    bless
        .current_dir(clone)
        .args(["xtask", "bless"])
        .env_remove("CARGO_TARGET_DIR");
    if !bless
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
    {
        return Err(Error::Bench(
            "`cargo xtask bless` failed in the clone".into(),
        ));
    }
    timed_cargo_test(clone, &[], workers)?;
    timed_cargo_test(clone, &[], workers)?;
    let out = Command::new("du")
        .args(["-sm"])
        .arg(clone.join("target"))
        .output()
        .map_err(Error::bench)?;
    let mb = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok());
    mb.ok_or_else(|| Error::bench("du gave no size"))
}

/// A crate whose only dependencies are trybuild and the fixtures' crates,
/// testing the suite's fixtures the plain trybuild way (one `TestCases`,
/// the `.stderr` for this compiler beside each compile-fail fixture).
fn write_trybuild_alone(
    root: &Path,
    suite: &Suite,
    rustc: &Rustc,
    dest: &Path,
    lock: &str,
) -> Result<()> {
    let mut calls = String::new();
    for (f, l) in suite.loaded() {
        let to = dest.join(&f.path);
        fs::create_dir_all(to.parent().expect("in a directory")).map_err(Error::bench)?;
        fs::copy(root.join(&f.path), &to).map_err(Error::bench)?;
        let path = f.display_path();
        if l.header.expect.is_compile_fail() {
            let expected = f.expectation(Kind::Stderr, rustc.version);
            let expected = expected.ok_or_else(|| {
                Error::Bench(format!("{path} has no .stderr for {}", rustc.label()))
            })?;
            fs::copy(root.join(&expected.path), to.with_extension("stderr"))
                .map_err(Error::bench)?;
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

/// A crate at `dest` named `name` whose dev-dependencies are trybuild (the
/// suite's version) and `extra`, locked like the suite, with one test
/// making the trybuild `calls` (lines using `t`, a `TestCases`).
fn write_trybuild_crate(
    dest: &Path,
    name: &str,
    extra: &str,
    calls: &str,
    lock: &str,
) -> Result<()> {
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dev-dependencies]\ntrybuild = \"{VERSION}\"\n{extra}\n[workspace]\n"
    );
    let test = format!("#[test]\nfn ui() {{\n    let t = trybuild::TestCases::new();\n{calls}}}\n");
    let files = [
        ("Cargo.toml", manifest.as_str()),
        ("Cargo.lock", lock),
        ("src/lib.rs", ""),
        ("tests/ui.rs", &test),
    ];
    for (file, text) in files {
        let path = dest.join(file);
        fs::create_dir_all(path.parent().expect("in the crate"))
            .and_then(|()| fs::write(&path, text))
            .map_err(Error::bench)?;
    }
    Ok(())
}

/// `cargo test ARGS` in `dir` on `workers` (`-j`, and `--test-threads`
/// unless the test programs are only built); how long it took.
fn timed_cargo_test(dir: &Path, args: &[&str], workers: usize) -> Result<Duration> {
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
        .env_remove(ROOT_ENV)
        .stdin(Stdio::null())
        .output()
        .map_err(Error::bench)?;
    let elapsed = start.elapsed();
    if !out.status.success() {
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        return Err(Error::Bench(format!(
            "cold `cargo test` failed in {}:\n{stdout}\n{stderr}",
            dir.display()
        )));
    }
    Ok(elapsed)
}
