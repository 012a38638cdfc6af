//! `cargo xtask bench`: the suite (S warm, E every fixture edited) against
//! bare `rustc` on the same fixtures (L, what no harness can beat), on the
//! real suite and generated ones, and its cold start against a minimal
//! trybuild crate; every figure a median with min and max.

use crate::error::{Error, Result};
use crate::flags::{Bench, Run};
use ch16_ui::host::toolchain::{self, Rustc};
use ch16_ui::model::expect::Kind;
use ch16_ui::model::fixture::{FIXTURE_CRATES, Fixture, Listing};
use ch16_ui::model::suite::Suite;
use ch16_ui::names::ROOT_ENV;
use ch16_ui::observe::trybuild::VERSION;
use std::fmt::{self, Write as _};
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

/// Some durations, in seconds and sorted, shown as median, min and max.
struct Stats(Vec<f64>);

impl Stats {
    fn of(samples: impl IntoIterator<Item = Duration>) -> Stats {
        let mut s: Vec<f64> = samples.into_iter().map(|d| d.as_secs_f64()).collect();
        s.sort_by(f64::total_cmp);
        Stats(s)
    }

    fn median(&self) -> f64 {
        let (s, n) = (&self.0, self.0.len());
        (s[(n - 1) / 2] + s[n / 2]) / 2.0
    }
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let (min, max) = (self.0[0], self.0[self.0.len() - 1]);
        write!(f, "{:7.2} s  (min {min:.2}, max {max:.2})", self.median())
    }
}

/// What every measurement shares.
struct Ctx<'a> {
    rustc: &'a Rustc,
    /// The checkout, where every timed `cargo test` runs.
    checkout: &'a Path,
    /// Bare rustc's arguments for every fixture.
    args: Vec<String>,
    workers: usize,
}

/// Run the benchmark and print a report (also written for BENCHMARKS.md).
pub fn run(root: &Path, opts: &Bench) -> Result<bool> {
    let rustc = toolchain::current()?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cpu = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpu.lines().find_map(|l| l.strip_prefix("model name"));
    let model = model.map_or("unknown CPU", |m| m.trim_start_matches([' ', '\t', ':']));
    let workers = opts.workers;
    let (arch, label) = (std::env::consts::ARCH, rustc.label());
    let mut report = format!(
        "machine: {cores} cores ({arch}), {model}\ntoolchain: {label}\nworkers: {workers} (L's compiles, and `cargo test -j {workers} -- --test-threads={workers}`)\n\n"
    );
    println!("{report}");
    let suite = crate::load(root)?;
    let cx = Ctx {
        rustc: &rustc,
        checkout: root,
        args: rustc_args(&rustc, root)?,
        workers,
    };
    // Edits go to a copy: the real fixtures are never touched.
    let copy = root.join("target/bench/suite-real");
    copy_suite(root, &copy)?;
    let real = measure(&cx, root, &copy, opts.reps, true)?;
    let mut rows = String::new();
    let name = format!("real suite ({} fixtures)", suite.fixtures.len());
    row(&mut rows, &name, &real);
    for &n in &opts.sizes {
        let stats = generated(&cx, &suite, n, opts.slow_reps)?;
        row(&mut rows, &format!("{n} copies"), &stats);
    }
    let [.., l, whole] = &real;
    let ratio = whole.median() / l.median();
    let _ = writeln!(
        report,
        "| suite | S: warm `cargo test --test ui` | L: bare rustc, {workers} workers, runs overlapped | S / L | E: every fixture edited | E / L |\n|---|---|---|---|---|---|\n{rows}\nThe whole warm `cargo test` (every test target): {whole}, {ratio:.2} × L of the real suite."
    );
    if opts.cold {
        cold(&mut report, &cx, &suite, opts.slow_reps)?;
    }
    let (reps, slow) = (opts.reps, opts.slow_reps);
    let _ = writeln!(
        report,
        "\nMedians over {reps} run(s) (real suite) and {slow} (generated, cold); each after one untimed warm-up."
    );
    println!("\n{report}");
    let out = root.join("target/bench/last-report.md");
    write(&out, &report)?;
    println!("(also written to {})", out.display());
    Ok(true)
}

/// Print a suite's figures (see [`measure`]) as they come, and add its
/// row to the table's `rows`.
fn row(rows: &mut String, name: &str, [s, e, l, _]: &[Stats; 4]) {
    let (sl, el) = (s.median() / l.median(), e.median() / l.median());
    println!("  {name}: S {s} | L {l} | S/L {sl:.2} | every fixture edited {el:.2}");
    let _ = writeln!(rows, "| {name} | {s} | {l} | {sl:.2} | {e} | {el:.2} |");
}

/// S, E (edits in `edited`, `root` or a copy of it), L and, with `whole`,
/// the whole warm `cargo test`, `reps` times each.
fn measure(cx: &Ctx, root: &Path, edited: &Path, reps: usize, whole: bool) -> Result<[Stats; 4]> {
    let suite = crate::load(root)?;
    warm(cx, Some(root))?; // warm-up
    warm(cx, Some(edited))?;
    let mut samples: [Vec<Duration>; 4] = Default::default();
    for rep in 0..reps {
        samples[0].push(warm(cx, Some(root))?);
        edit(&suite, edited, rep)?;
        samples[1].push(warm(cx, Some(edited))?);
        samples[2].push(limit(cx, root, &suite)?);
        if whole {
            samples[3].push(warm(cx, None)?);
        }
    }
    Ok(samples.map(Stats::of))
}

/// Run `cargo` (a `cargo test`) on `workers` (`-j`, and `--test-threads`
/// unless it only builds); how long it took, or what it said after `failed`.
fn timed(mut cargo: Command, workers: usize, failed: String) -> Result<Duration> {
    let no_run = cargo.get_args().any(|a| a == "--no-run");
    cargo.args(["-j", &workers.to_string()]);
    if !no_run {
        cargo.arg("--").arg(format!("--test-threads={workers}"));
    }
    let start = Instant::now();
    let out = cargo.stdin(Stdio::null()).output().map_err(Error::failed)?;
    let elapsed = start.elapsed();
    if !out.status.success() {
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(Error::failed(format!("{failed}:\n{stdout}\n{stderr}")));
    }
    Ok(elapsed)
}

/// A warm `cargo test` in the checkout on `root`'s suite (the whole
/// `cargo test` without one).
fn warm(cx: &Ctx, root: Option<&Path>) -> Result<Duration> {
    let mut cargo = cx.rustc.cargo();
    cargo.current_dir(cx.checkout).args(["test", "--quiet"]);
    match root {
        Some(root) => cargo.env(ROOT_ENV, root).args(["--test", "ui"]),
        None => cargo.env_remove(ROOT_ENV),
    };
    let on = root.unwrap_or(cx.checkout).display();
    timed(cargo, cx.workers, format!("`cargo test` failed on {on}"))
}

/// Append a comment no annotation sees to every fixture of `suite` in its
/// copy at `root`, and to its `.fixed` (the fixture, comments included).
fn edit(suite: &Suite, root: &Path, rep: usize) -> Result<()> {
    for (f, _) in suite.loaded() {
        let fixed = f.expectations.iter().filter(|e| e.kind == Kind::Fixed);
        for path in fixed.map(|e| &e.path).chain([&f.path]) {
            let path = root.join(path);
            let text = fs::read_to_string(&path).map_err(Error::failed)?;
            let text = text.split("// bench edit ").next().unwrap_or_default();
            write(&path, format!("{text}// bench edit {rep}\n"))?;
        }
    }
    Ok(())
}

/// Write `text` to `path`, making its directory first.
fn write(path: &Path, text: impl AsRef<[u8]>) -> Result<()> {
    let dir = path.parent().expect("a file in a directory");
    let written = fs::create_dir_all(dir).and_then(|()| fs::write(path, text));
    written.map_err(Error::failed)
}

/// Copy the `ui/` tree of the suite at `root` to `dest`.
fn copy_suite(root: &Path, dest: &Path) -> Result<()> {
    let _ = fs::remove_dir_all(dest.join("ui"));
    for entry in walkdir::WalkDir::new(root.join("ui")) {
        let entry = entry.map_err(Error::failed)?;
        let to = dest.join(entry.path().strip_prefix(root).expect("under root"));
        if entry.file_type().is_file() {
            write(&to, fs::read(entry.path()).map_err(Error::failed)?)?;
        }
    }
    Ok(())
}

/// Bare rustc's arguments for every fixture, with `--extern`s for the
/// fixtures' crates as cargo built them for the test program.
fn rustc_args(rustc: &Rustc, root: &Path) -> Result<Vec<String>> {
    let mut cargo = rustc.cargo();
    let json = "test --no-run --quiet --message-format=json --test ui".split(' ');
    let out = cargo.current_dir(root).args(json).output();
    let stdout = out.map_err(Error::failed)?.stdout;
    let mut externs = Vec::new();
    for line in String::from_utf8_lossy(&stdout).lines() {
        let msg: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
        let name = msg["target"]["name"].as_str().unwrap_or_default();
        if msg["reason"] == "compiler-artifact"
            && FIXTURE_CRATES.contains(&name)
            && let Some(file) = msg["filenames"][0].as_str()
        {
            externs.extend(["--extern".to_string(), format!("{name}={file}")]);
        }
    }
    if externs.len() != 2 * FIXTURE_CRATES.len() {
        let missing = format!("cargo built no artifact for {FIXTURE_CRATES:?}");
        return Err(Error::Failed(missing));
    }
    let fixed =
        "--edition 2024 --crate-type bin --error-format json -C debuginfo=0 -C strip=debuginfo";
    Ok(fixed.split(' ').map(String::from).chain(externs).collect())
}

/// Whether `cmd` ran and succeeded.
fn succeeds(cmd: &mut Command) -> bool {
    cmd.status().is_ok_and(|s| s.success())
}

/// Whether `cmd` is still running after `limit` (`expect: hang`), where it
/// is stopped with its process group.
fn still_running(cmd: &mut Command, limit: Duration) -> bool {
    let Ok(mut program) = ch16_ui::host::stop::spawn(cmd) else {
        return false;
    };
    let start = Instant::now();
    while start.elapsed() < limit {
        if !matches!(program.try_wait(), Ok(None)) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    program.kill_group();
    program.wait().is_ok()
}

/// Bare rustc over every fixture on the workers, each program run on a
/// thread of its own as soon as it is built.
fn limit(cx: &Ctx, root: &Path, suite: &Suite) -> Result<Duration> {
    let out = root.join("target/bench-limit");
    let _ = fs::remove_dir_all(&out);
    let fixtures: Vec<(&Fixture, &Listing)> = suite.loaded().collect();
    let (next, failed) = (&AtomicUsize::new(0), &AtomicBool::new(false));
    let start = Instant::now();
    // The scope ends when every compile and every run has.
    std::thread::scope(|s| {
        let worker = || -> Result<()> {
            while let Some((f, l)) = fixtures.get(next.fetch_add(1, Relaxed)) {
                let runnable = !l.header.expect.is_compile_fail();
                let (name, out) = (f.stem.replace('-', "_"), out.join(&f.stem));
                let emit = format!("--emit={}", if runnable { "link" } else { "metadata" });
                let mut rustc = cx.rustc.command();
                rustc.current_dir(root).args(&cx.args).arg(emit);
                rustc.args(["--crate-name", &name, "--out-dir"]);
                let status = rustc.arg(&out).arg(&f.path).stderr(Stdio::null()).status();
                let status = status.map_err(Error::failed)?;
                if status.success() != runnable {
                    let failed = format!("{}: unexpected outcome", f.display_path());
                    return Err(Error::failed(failed));
                }
                if runnable {
                    let mut program = Command::new(out.join(name));
                    program.stdout(Stdio::null()).stderr(Stdio::null());
                    let (hangs, limit) = (l.header.expect.hangs(), l.header.timeout);
                    s.spawn(move || {
                        let ok = match hangs {
                            true => still_running(&mut program, limit),
                            false => succeeds(&mut program),
                        };
                        failed.fetch_or(!ok, Relaxed)
                    });
                }
            }
            Ok(())
        };
        let workers: Vec<_> = (0..cx.workers).map(|_| s.spawn(worker)).collect();
        let join = |w: std::thread::ScopedJoinHandle<_>| w.join().expect("compiler thread");
        workers.into_iter().try_for_each(join)
    })?;
    if failed.load(Relaxed) {
        return Err(Error::failed("a program failed in the limit measurement"));
    }
    Ok(start.elapsed())
}

/// [`measure`] on `n` blessed copies of the real fixtures, as `beyond-0042-c00-…`
/// (a short id each), their links into their own set if it is whole, else the first.
fn generated(cx: &Ctx, suite: &Suite, n: usize, reps: usize) -> Result<[Stats; 4]> {
    let dest = cx.checkout.join(format!("target/bench/suite-{n}"));
    println!("generating and blessing {n} copies in {} …", dest.display());
    let _ = fs::remove_dir_all(&dest);
    let all: Vec<(&Fixture, &Listing)> = suite.loaded().collect();
    let per_set = all.len();
    let stem = |pos: usize, set: usize| {
        let f = all[pos].0;
        let slug = f.stem.strip_prefix("beyond-").unwrap_or(&f.stem);
        format!("beyond-{:04}-c{set:02}-{slug}", set * per_set + pos)
    };
    for i in 0..n {
        let (set, pos) = (i / per_set, i % per_set);
        let l = all[pos].1;
        let mut text = String::new();
        for (k, line) in l.source.lines().enumerate() {
            let header = k < l.header.len;
            let dropped = line.starts_with("//! follows:") || line.starts_with("//! origin:");
            let mut links = ["fixed-by", "improved-by", "compiler-suggestion-gives"].iter();
            let link = links.find_map(|f| Some((f, line.strip_prefix(&format!("//! {f}: "))?)));
            if header && line.starts_with("//! listing:") {
                let _ = writeln!(text, "//! listing: {}\n//! origin: beyond", stem(pos, set));
            } else if let (true, Some((field, id))) = (header, link) {
                let target = all.iter().position(|(_, l)| l.header.listing == id);
                let target = target.unwrap_or(0);
                let target_set = if set * per_set + target < n { set } else { 0 };
                let _ = writeln!(text, "//! {field}: {}", stem(target, target_set));
            } else if !(header && dropped) {
                let _ = writeln!(text, "{line}");
            }
        }
        let file = dest.join(format!("ui/copies-{set:02}/{}.rs", stem(pos, set)));
        write(&file, &text)?;
    }
    // The toolchain `cargo` uses here, by name: rustup tells the programs it runs.
    let toolchain = std::env::var("RUSTUP_TOOLCHAIN");
    let toolchain = toolchain.map_err(|_| Error::failed("cannot tell the active toolchain"))?;
    let toolchains = vec![toolchain];
    let run = Run {
        bless: true,
        toolchains,
        ..Run::default()
    };
    if !crate::bless::run(&dest, &run)? {
        let failed = format!("blessing the generated suite of {n} failed");
        return Err(Error::Failed(failed));
    }
    measure(cx, &dest, &dest, reps, false)
}

/// The cold start of a fresh clone, a minimal trybuild crate and trybuild
/// alone on the fixtures, `reps` times; then the clone's `target/` size.
fn cold(report: &mut String, cx: &Ctx, suite: &Suite, reps: usize) -> Result<()> {
    let base = cx.checkout.join("target/bench/cold");
    let (clone, fixtures) = (base.join("suite"), suite.fixtures.len());
    let hangs = suite
        .loaded()
        .filter(|(_, l)| l.header.expect.hangs())
        .count();
    // A cold `cargo test ARGS` in `dir`, with a target directory of its own.
    let test = |dir: &str, args: &[&str]| {
        let (dir, mut cargo) = (base.join(dir), Command::new("cargo"));
        cargo.current_dir(&dir).arg("test").args(args);
        cargo.env_remove("CARGO_TARGET_DIR").env_remove(ROOT_ENV);
        let failed = format!("cold `cargo test` failed in {}", dir.display());
        timed(cargo, cx.workers, failed)
    };
    let (mut runs, mut disk_mb) = (Vec::new(), 0);
    for rep in 0..reps {
        println!("cold start, repetition {} of {reps} …", rep + 1);
        let _ = fs::remove_dir_all(&base);
        let mut git = Command::new("git");
        if !succeeds(git.args(["clone", "--quiet"]).arg(cx.checkout).arg(&clone)) {
            return Err(Error::failed("git clone failed"));
        }
        // One cold `cargo test --test ui`: building the test program, its first run.
        let built = test("suite", &["--test", "ui", "--no-run"])?;
        let first = test("suite", &["--test", "ui"])?;
        let rest = test("suite", &[])?;
        if rep + 1 == reps {
            println!("disk: cargo xtask bless, then cargo test twice, in the clone …");
            let mut bless = Command::new("cargo");
            bless.current_dir(&clone).env_remove("CARGO_TARGET_DIR");
            let bless = bless.args(["xtask", "bless"]).stdin(Stdio::null());
            if !succeeds(bless.stdout(Stdio::null())) {
                return Err(Error::failed("`cargo xtask bless` failed in the clone"));
            }
            test("suite", &[])?;
            test("suite", &[])?;
            let mut du = Command::new("du");
            let du = du.arg("-sm").arg(clone.join("target")).output();
            let du = String::from_utf8_lossy(&du.map_err(Error::failed)?.stdout).into_owned();
            let mb = du.split_whitespace().next().and_then(|n| n.parse().ok());
            disk_mb = mb.ok_or_else(|| Error::failed("du gave no size"))?;
        }
        trybuild_crates(cx, suite, &base)?;
        let (minimal, alone) = (test("minimal", &[])?, test("trybuild-alone", &[])?);
        let again = test("trybuild-alone", &[])?;
        runs.push([built + first, built, first, minimal, rest, alone, again]);
    }
    let _ = fs::remove_dir_all(&base);
    let stats: [Stats; 7] = std::array::from_fn(|i| Stats::of(runs.iter().map(|r| r[i])));
    let rows = [
        "this suite, fresh clone: `cargo test --test ui`",
        "… of which building the test program (`--no-run`)",
        "… of which its first run",
        "minimal crate, trybuild only, one pass test: `cargo test`",
        "this suite, then the rest of `cargo test` (unit, hardening, catalogue)",
        &match hangs {
            0 => format!("trybuild alone on the same {fixtures} fixtures: first `cargo test`"),
            n => format!(
                "trybuild alone on the same {fixtures} fixtures but the {n} that hang (it has no \
                 time limit): first `cargo test`"
            ),
        },
        "… and its second (warm) `cargo test`, against S above",
    ];
    report.push_str("\n| cold first run (empty target dir, warm registry) | time | ratio to minimal |\n|---|---|---|\n");
    for (i, (row, s)) in rows.iter().zip(&stats).enumerate() {
        let ratio = format!("{:.2}", s.median() / stats[3].median());
        let ratio = if i == 4 || i == 6 { "-" } else { &ratio };
        let _ = writeln!(report, "| {row} | {s} | {ratio} |");
    }
    let _ = writeln!(
        report,
        "\nDisk: the fresh clone's `target/` after its first `cargo test`, `cargo xtask bless` (every installed toolchain) and two more `cargo test`: {disk_mb} MB."
    );
    Ok(())
}

/// In `base`, the crates `minimal` (one pass test) and `trybuild-alone`
/// (the suite's fixtures, the plain trybuild way), locked like the suite.
fn trybuild_crates(cx: &Ctx, suite: &Suite, base: &Path) -> Result<()> {
    let lock = fs::read_to_string(cx.checkout.join("Cargo.lock")).map_err(Error::failed)?;
    let hello = "fn main() {\n    println!(\"hello\");\n}\n";
    write(&base.join("minimal/tests/ui/hello.rs"), hello)?;
    let pass = "    t.pass(\"tests/ui/hello.rs\");\n";
    trybuild_crate(&base.join("minimal"), "minimal", "", pass, &lock)?;
    let (dest, version) = (base.join("trybuild-alone"), cx.rustc.version);
    let mut calls = String::new();
    for (f, l) in suite.loaded() {
        let (to, path) = (dest.join(&f.path), f.display_path());
        if l.header.expect.hangs() {
            continue; // trybuild alone has no time limit: it would wait forever
        }
        write(&to, &l.source)?;
        if !l.header.expect.is_compile_fail() {
            let _ = writeln!(calls, "    t.pass(\"{path}\");");
            continue;
        }
        let Some(expected) = f.expectation(Kind::Stderr, version) else {
            let failed = format!("{path} has no .stderr for {}", cx.rustc.label());
            return Err(Error::failed(failed));
        };
        let stderr = to.with_extension("stderr");
        fs::copy(cx.checkout.join(&expected.path), stderr).map_err(Error::failed)?;
        let _ = writeln!(calls, "    t.compile_fail(\"{path}\");");
    }
    let crates = FIXTURE_CRATES.iter().map(|c| format!("{c} = \"1\"\n"));
    let crates: String = crates.collect();
    trybuild_crate(&dest, "trybuild-alone", &crates, &calls, &lock)
}

/// A crate `name` at `dest` depending on trybuild and `extra`, whose one
/// test makes the trybuild `calls` on `t`.
fn trybuild_crate(dest: &Path, name: &str, extra: &str, calls: &str, lock: &str) -> Result<()> {
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dev-dependencies]\ntrybuild = \"{VERSION}\"\n{extra}\n[workspace]\n"
    );
    let test = format!("#[test]\nfn ui() {{\n    let t = trybuild::TestCases::new();\n{calls}}}\n");
    write(&dest.join("Cargo.toml"), &manifest)?;
    write(&dest.join("Cargo.lock"), lock)?;
    write(&dest.join("src/lib.rs"), "")?;
    write(&dest.join("tests/ui.rs"), &test)
}
