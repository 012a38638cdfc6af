//! What the fault tests share: scratch fixture trees, the fake trybuild
//! that drives the real observer, the real trybuild's batches, and running
//! cargo, the ui test or the xtask as a user would.

use ch16_ui::check::report::Report;
use ch16_ui::emit::terminal;
use ch16_ui::harness;
use ch16_ui::host::toolchain;
use ch16_ui::host::toolchain::Rustc;
use ch16_ui::model::suite::Suite;
use ch16_ui::observe::{Batch, Driver, Options, Running};
use ch16_ui::problem::Check;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The observer, as cargo built it for these tests.
pub const OBSERVER: &str = env!("CARGO_BIN_EXE_ch16-ui-observer");

/// A suite root, in the temporary directory or (for the real trybuild)
/// inside the crate; its fixture tree is removed on drop.
pub struct Scratch {
    pub root: PathBuf,
    /// Remove the whole root on drop (a temporary one), or only `ui/` (one
    /// in the crate keeps trybuild's target directories, as a checkout does).
    pub temporary: bool,
}

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let root = format!("ch16-hardening-{name}-{}", std::process::id());
        let root = std::env::temp_dir().join(root);
        let _ = fs::remove_dir_all(&root);
        Scratch::at(root, true)
    }

    /// A root inside the crate, where the real trybuild can be given its
    /// fixtures; trybuild's directories from earlier runs are kept.
    pub fn in_crate(name: &str) -> Scratch {
        let root = crate_dir().join("target/ch16-scratch").join(name);
        let _ = fs::remove_dir_all(root.join("ui"));
        Scratch::at(root, false)
    }

    pub fn at(root: PathBuf, temporary: bool) -> Scratch {
        fs::create_dir_all(root.join("ui/ch16-01-threads")).unwrap();
        let s = Scratch { root, temporary };
        s.write("ui/toolchains.txt", &format!("{}\n", rustc().version));
        // The chapter table declares an opening for the 16.1 page.
        s.write("ui/ch16-01-threads/opening.md", "A scratch opening.\n");
        s
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        fs::write(self.root.join(rel), text).unwrap();
        self
    }

    /// A fixture in the 16.1 group, with its expectation (if given).
    pub fn fixture(
        &self,
        stem: &str,
        expect: &str,
        extra: &str,
        code: &str,
        out: Option<&str>,
    ) -> &Self {
        let id = stem.split('-').take(3).collect::<Vec<_>>().join("-");
        let file = format!("ui/ch16-01-threads/{stem}");
        self.write(&format!("{file}.rs"), &source(&id, expect, extra, code));
        let ext = if expect.starts_with("compile-fail") {
            "stderr"
        } else {
            "stdout"
        };
        out.map_or(self, |text| self.write(&format!("{file}.{ext}"), text))
    }

    /// A runnable fixture, `output: exact`, with its expected output.
    pub fn runs(&self, stem: &str, code: &str, stdout: Option<&str>) -> &Self {
        self.fixture(stem, "run", "//! output: exact\n", code, stdout)
    }

    /// A runnable fixture that prints `fine`, as expected.
    pub fn fine(&self, stem: &str) -> &Self {
        self.runs(stem, OK_RUN, Some("fine\n"))
    }

    /// A compile-fail fixture with error `codes`, fixed by `fix`.
    pub fn fails(&self, stem: &str, codes: &str, fix: &str, code: &str, err: &str) -> &Self {
        let expect = format!("compile-fail {codes}");
        let fix = format!("//! fixed-by: {fix}\n");
        self.fixture(stem, &expect, &fix, code, Some(err))
    }

    /// `listing-16-91-cf` fails as annotated, fixed by `listing-16-92-ok`.
    pub fn one_failing_one_running(&self) -> &Self {
        let (cf, fix) = ("listing-16-91-cf", "listing-16-92");
        self.fails(cf, "E0308", fix, FAILS_E0308, "x\n")
            .fine("listing-16-92-ok")
    }

    /// The 1-based line of the fixture `stem` holding `needle`.
    pub fn line(&self, stem: &str, needle: &str) -> usize {
        let text = fs::read_to_string(self.root.join(format!("ui/ch16-01-threads/{stem}.rs")));
        let text = text.unwrap();
        1 + text.lines().position(|l| l.contains(needle)).unwrap()
    }

    pub fn load_errors(&self) -> Vec<String> {
        match Suite::load(&self.root).and_then(Suite::whole) {
            Ok(_) => Vec::new(),
            Err(ch16_ui::error::Error::Tree(errors)) => {
                errors.iter().map(ToString::to_string).collect()
            }
            Err(other) => vec![other.to_string()],
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let ui = self.root.join("ui");
        let _ = fs::remove_dir_all(if self.temporary { &self.root } else { &ui });
    }
}

/// Copy the checkout's fixtures of `group` whose names start with one of
/// `stems`, with every expectation file of theirs and `ui/toolchains.txt`,
/// into `s`, as [`copy_fixtures_from`].
pub fn copy_fixtures(s: &Scratch, group: &str, stems: &[&str]) {
    copy_fixtures_from(&crate_dir(), s, group, stems);
}

/// Copy those files of the tree at `checkout` with LF line endings, as they
/// were blessed (`.gitattributes` says so): a checkout may legitimately hold
/// them in CRLF, and the tests that make CRLF of them, or compare them byte
/// for byte, must see the same scratch tree either way.
pub fn copy_fixtures_from(checkout: &Path, s: &Scratch, group: &str, stems: &[&str]) {
    let group = format!("ui/{group}");
    fs::create_dir_all(s.root.join(&group)).unwrap();
    let copy = |rel: &str| {
        let text = fs::read_to_string(checkout.join(rel)).unwrap();
        fs::write(s.root.join(rel), text.replace("\r\n", "\n")).unwrap();
    };
    for entry in fs::read_dir(checkout.join(&group)).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name == "opening.md" || stems.iter().any(|stem| name.starts_with(stem)) {
            copy(&format!("{group}/{name}"));
        }
    }
    copy("ui/toolchains.txt");
}

/// Listings 16-13 to 16-15 (which name each other), as [`copy_fixtures`].
pub fn copy_shared_state(s: &Scratch) {
    let stems = ["listing-16-13-", "listing-16-14-", "listing-16-15-"];
    copy_fixtures(s, "ch16-03-shared-state", &stems);
}

pub fn source(id: &str, expect: &str, extra: &str, code: &str) -> String {
    format!(
        "//! listing: {id}\n//! caption: scratch\n//! teaches: Nothing, it is a scratch fixture.\n//! section: 16.1 scratch\n\
         //! url: https://doc.rust-lang.org/book/ch16-01-threads.html#scratch\n//! expect: {expect}\n{extra}\
         //!\n//! A scratch fixture for the hardening tests.\n//! It exists only in a temporary tree.\n\n{code}"
    )
}

/// The checkout under test, as cargo names it.
pub fn crate_dir() -> PathBuf {
    ch16_ui::host::checkout::crate_dir().expect("run by cargo, in the checkout it was built for")
}

/// The compiler cargo uses here (asked once).
pub fn rustc() -> Rustc {
    static CURRENT: std::sync::OnceLock<Rustc> = std::sync::OnceLock::new();
    let current = CURRENT.get_or_init(|| toolchain::current().expect("a working rustc"));
    current.clone()
}

/// Its `rustc` program, by path (for `cargo xtask … --rustc`).
pub fn rustc_path() -> PathBuf {
    Path::new(&rustc().sysroot).join("bin/rustc")
}

/// trybuild and its cargo, as far as the observer sees them: every fixture
/// compiled by the batch's rustc through the observer (crate `trybuildNNN`,
/// the batch's flags and environment, JSON diagnostics and artifact
/// notices), and every program that compiled run through the observer as
/// runner. With `TRYBUILD=overwrite`, it writes a compile-fail fixture's
/// `.stderr` as trybuild does, for the first `reaches` of them.
pub struct Fake {
    pub root: PathBuf,
    pub reaches: usize,
}

impl Fake {
    pub fn new(s: &Scratch) -> Fake {
        let (root, reaches) = (s.root.clone(), usize::MAX);
        Fake { root, reaches }
    }
}

impl Driver for Fake {
    fn start(&self, batch: &Batch) -> Box<dyn Running> {
        let (b, root, reaches) = (copied(batch), self.root.clone(), self.reaches);
        Box::new(FakeBatch(std::thread::spawn(move || {
            let (ok, report) = fake_cargo(&b, &root, reaches);
            fs::write(&b.log, report).unwrap();
            ok
        })))
    }
}

/// A copy of `batch`.
pub fn copied(batch: &Batch) -> Batch {
    Batch {
        paths: batch.paths.clone(),
        env: batch.env.clone(),
        target: batch.target.clone(),
        log: batch.log.clone(),
        ..*batch
    }
}

pub struct FakeBatch(std::thread::JoinHandle<bool>);

impl Running for FakeBatch {
    fn wait(self: Box<Self>) -> bool {
        self.0.join().unwrap_or(false)
    }
}

/// The fake's batch: every fixture compiled (and a program run) through the
/// real observer; whether all went as trybuild would want, and its report.
pub fn fake_cargo(batch: &Batch, root: &Path, reaches: usize) -> (bool, String) {
    use ch16_ui::observe::trybuild::{OVERWRITE, crate_name, verdict_line};
    let (pass, env) = (batch.pass, &batch.env);
    let var = |name: &str| env.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    let overwrite = var(OVERWRITE.0).is_some_and(|v| v == OVERWRITE.1);
    let flags = var("CARGO_ENCODED_RUSTFLAGS").map_or("".into(), |f| f.to_string_lossy());
    // As cargo runs it: the wrapper, then the compiler it was given.
    let compiler = var("RUSTC").map_or("rustc".as_ref(), |c| c.as_os_str());
    let emit = ["dep-info,metadata", "dep-info,link"][usize::from(pass)];
    let deps = batch.target.join("fake/debug/deps");
    fs::create_dir_all(&deps).unwrap();
    let (mut ok, mut report) = (true, String::new());
    for (n, path) in batch.paths.iter().enumerate() {
        let (source, krate) = (root.join(path), crate_name(n));
        let compiled = Command::new(OBSERVER)
            .arg(compiler)
            .args(["--crate-name", &krate, "--edition=2024", "--crate-type=bin"])
            .args(["--error-format=json", "--json=artifacts"])
            .arg(format!("--emit={emit}"))
            .args(["-C", "extra-filename=-fake", "--out-dir"])
            .args([deps.as_os_str(), source.as_os_str()])
            .args(flags.split('\u{1f}').filter(|f| !f.is_empty()))
            .envs(env.clone())
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .success();
        ok &= compiled == pass;
        if !pass {
            let status = if compiled { "error" } else { "ok" };
            report.push_str(&format!("{}\n", verdict_line(path, status)));
        }
        if !pass && !compiled && overwrite && n < reaches {
            let text = format!("error: fake, of {krate}\n");
            fs::write(source.with_extension("stderr"), text).unwrap();
        }
        if pass && compiled {
            // cargo runs a hard link of the program beside `deps/`.
            let program = deps.with_file_name(&krate);
            let _ = fs::remove_file(&program);
            fs::hard_link(deps.join(format!("{krate}-fake")), &program).unwrap();
            let mut runner = Command::new(OBSERVER);
            runner.arg("--runner").arg(&program).envs(env.clone());
            let ran = runner.stdin(Stdio::null()).output().unwrap();
            ok &= ran.status.success();
            // trybuild's report of a program that failed shows what it printed.
            if !ran.status.success() {
                let (out, err) = (&ran.stdout, &ran.stderr);
                let (out, err) = (String::from_utf8_lossy(out), String::from_utf8_lossy(err));
                let line = verdict_line(path, "error");
                report.push_str(&format!("{line}\nSTDOUT:\n{out}\nSTDERR:\n{err}\n"));
            }
        }
    }
    (ok, report)
}

/// The suite root of the run that started the fake's batch processes.
pub const FAKE_ROOT_ENV: &str = "CH16_HARDENING_FAKE_ROOT";

/// The fake as processes: each batch a process of its own, in a process
/// group of its own (this program again, running [`fake_batch`]), started
/// by the driver `tests/ui.rs` uses. For the tests about processes and
/// signals, where trybuild's builds are not the point.
pub const FAKE_PROCESSES: crate::driver::Real = crate::driver::Real {
    args: &["--ignored", "--exact", "support::fake_batch", "--nocapture"],
};

/// Not a test on its own: a batch of [`FAKE_PROCESSES`], stopped with the
/// run that started it as a trybuild batch is.
#[test]
#[ignore = "a batch of the fake trybuild, as a process"]
pub fn fake_batch() {
    let Some((pass, paths)) = crate::driver::batch_from_env() else {
        return;
    };
    ch16_ui::host::stop::install(ch16_ui::host::stop::Role::Batch);
    let root = PathBuf::from(std::env::var_os(FAKE_ROOT_ENV).expect("started by a fake run"));
    let env = std::env::vars_os().filter_map(|(k, v)| Some((k.into_string().ok()?, v)));
    let target = std::env::var_os("CARGO_TARGET_DIR").expect("the batch's target");
    let (env, target, log) = (env.collect(), target.into(), PathBuf::new());
    let batch = Batch {
        pass,
        paths,
        env,
        target,
        log,
    };
    let (ok, report) = fake_cargo(&batch, &root, usize::MAX);
    print!("{report}");
    assert!(ok);
}

/// A run on the suite at `root`, which is its own crate (the fake trybuild
/// needs none), on `rustc`.
pub fn options<'a>(root: &'a Path, rustc: &'a Rustc) -> Options<'a> {
    Options {
        root,
        crate_dir: root,
        rustc,
        filters: &[],
        collect: false,
        observer: Path::new(OBSERVER),
        progress: None,
    }
}

/// What a run found, as a reader of the terminal would see it: the
/// overview, and every fixture, passed or failed.
pub fn summary(r: &Report) -> String {
    let mut s = terminal::overview(r, None);
    for f in &r.fixtures {
        s.push_str(&match f.problems.is_empty() {
            true => format!("  ok   {}\n", f.path),
            false => format!("\n{}", terminal::failure(f)),
        });
    }
    s
}

pub fn run(s: &Scratch) -> Report {
    let rustc = rustc();
    harness::run(&options(&s.root, &rustc), &Fake::new(s)).expect("the harness runs")
}

/// The problems of `check` with the fixture `stem`, as its reader sees them.
pub fn messages(report: &Report, stem: &str, check: Check) -> Vec<String> {
    let problems = report.problems(&format!("ui/ch16-01-threads/{stem}.rs"));
    let unobserved = || panic!("{stem} was not observed:\n{}", summary(report));
    let mine = problems.unwrap_or_else(unobserved).iter();
    mine.filter(|p| p.check == check)
        .map(|p| p.to_string())
        .collect()
}

/// How many times `stem` was compiled in the run of `report`.
pub fn compiles(report: &Report, stem: &str) -> usize {
    let path = format!("ui/ch16-01-threads/{stem}.rs");
    let compiles = report.compiles().into_iter().find(|(p, _)| *p == path);
    let unobserved = || panic!("{stem} was not observed:\n{}", summary(report));
    compiles.unwrap_or_else(unobserved).1
}

/// What a compile-fail fixture that compiles is told.
pub const COMPILED_E0308: &str =
    "compiled, but is expected to fail with E0308; make it fail again, or change `expect` to `run`";
/// A program that fails with E0308, annotated.
pub const FAILS_E0308: &str = "fn main() {\n    let x: i32 = \"no\"; //~ ERROR E0308\n}\n";
pub const OK_RUN: &str = "fn main() {\n    println!(\"fine\");\n}\n";

/// What an annotation the compiler no longer reports is told: its line,
/// and the edit that fixes it.
pub fn unreported(line: usize, annotation: &str) -> String {
    format!(
        "annotated but not reported: line {line}: {annotation}; the compiler no longer reports it there: \
         remove `//~ {annotation}` from line {line}, or change the code back"
    )
}

/// What a diagnostic nobody annotated is told: its line, and the
/// annotation to add there.
pub fn unannotated(line: usize, annotation: &str, message: &str) -> String {
    format!(
        "reported but not annotated: line {line}: {annotation} ({message}); add `//~ {annotation}` at the end of line {line}"
    )
}

/// That `text` holds every one of `needles`.
#[track_caller]
pub fn holds(text: &str, needles: &[&str]) {
    for needle in needles {
        assert!(text.contains(needle), "no `{needle}` in:\n{text}");
    }
}

/// That `text` holds none of `needles`.
#[track_caller]
pub fn lacks(text: &str, needles: &[&str]) {
    for needle in needles {
        assert!(!text.contains(needle), "`{needle}` in:\n{text}");
    }
}

/// Whether the fixture `stem` passed every check.
pub fn passed(report: &Report, stem: &str) -> bool {
    let problems = report.problems(&format!("ui/ch16-01-threads/{stem}.rs"));
    problems.is_some_and(|p| p.is_empty())
}

/// Not a test on its own: a trybuild batch started by [`crate::driver::Real`].
#[test]
#[ignore = "a trybuild batch of the real-trybuild tests"]
pub fn trybuild_batch() {
    assert!(crate::driver::batch(), "trybuild failed");
}

/// The real trybuild, its batches run by this program's `trybuild_batch`.
pub const REAL: crate::driver::Real = crate::driver::Real {
    args: &[
        "--ignored",
        "--exact",
        "support::trybuild_batch",
        "--nocapture",
    ],
};

/// A run of the real trybuild on the scratch suite `s` inside the crate.
pub fn real_run(s: &Scratch, rustc: &Rustc) -> Report {
    let crate_dir = crate_dir();
    let opts = Options {
        crate_dir: &crate_dir,
        ..options(&s.root, rustc)
    };
    harness::run(&opts, &REAL).expect("the harness runs")
}

/// What a `cargo` command said.
pub struct Ran {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

/// `cargo <args>` in `dir` with `env`, and none of the suite's own
/// protocol (nor GitHub's variables) inherited from this test run.
pub fn cargo(dir: &Path, args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Ran {
    let out = ch16_ui::emit::not_for_github(&mut Command::new("cargo"))
        .current_dir(dir)
        .args(args)
        .env_remove(ch16_ui::names::ROOT_ENV)
        .env_remove(ch16_ui::names::COLLECT_ENV)
        .env_remove("TRYBUILD")
        // Under `cargo nextest`, a `cargo test --test ui` of its own.
        .env_remove("NEXTEST_RUN_ID")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    Ran {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A process, as /proc shows it.
#[cfg(target_os = "linux")]
#[derive(Debug)]
pub struct Proc {
    pub pid: i32,
    pub args: Vec<String>,
    pub cwd: PathBuf,
}

/// Every process but zombies (whose command line is empty).
#[cfg(target_os = "linux")]
pub fn processes() -> Vec<Proc> {
    let Ok(dir) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| {
        let pid: i32 = e.ok()?.file_name().to_str()?.parse().ok()?;
        let cmdline = fs::read(format!("/proc/{pid}/cmdline")).ok()?;
        let args: Vec<String> = (cmdline.split(|&b| b == 0).filter(|a| !a.is_empty()))
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        let cwd = fs::read_link(format!("/proc/{pid}/cwd")).unwrap_or_default();
        (!args.is_empty()).then_some(Proc { pid, args, cwd })
    })
    .collect()
}

/// Processes working in or on `root`: trybuild's cargo, rustc, the
/// observer, the fixtures' programs, and those told of it by their
/// environment (the suite's process and its batches).
#[cfg(target_os = "linux")]
pub fn working_under(root: &Path) -> Vec<Proc> {
    let needle = format!("{}/", root.display());
    let told = |pid: i32| {
        let env = fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
        let root = root.as_os_str().as_encoded_bytes();
        env.split(|&b| b == 0)
            .any(|v| v.ends_with(root) || v.windows(needle.len()).any(|w| w == needle.as_bytes()))
    };
    processes()
        .into_iter()
        .filter(|p| {
            p.cwd.starts_with(root) || p.args.iter().any(|a| a.contains(&needle)) || told(p.pid)
        })
        .collect()
}

/// A distinctive sleep for this test process: `sleep {secs}{our pid}`.
#[cfg(target_os = "linux")]
pub fn distinctive(secs: &str) -> String {
    format!("{secs}{}", std::process::id())
}

/// The processes running `sleep` for `duration` (see [`distinctive`]).
#[cfg(target_os = "linux")]
pub fn sleeping(duration: &str) -> Vec<Proc> {
    let procs = processes().into_iter();
    procs
        .filter(|p| p.args.len() == 2 && p.args[0].ends_with("sleep") && p.args[1] == duration)
        .collect()
}

/// Kill `procs` (SIGKILL): a test's own, found a moment before.
#[cfg(target_os = "linux")]
pub fn kill(procs: &[Proc]) {
    for p in procs {
        unsafe { libc::kill(p.pid, libc::SIGKILL) };
    }
}

/// Kill what is left of a test's processes (a failing test leaks none),
/// the sleeps of `duration` and every process under `root`: what was left.
#[cfg(target_os = "linux")]
pub fn kill_survivors(duration: &str, root: &Path) -> Vec<Proc> {
    let mut left = sleeping(duration);
    left.extend(working_under(root));
    kill(&left);
    left
}

/// Wait up to `secs` for `done`; whether it came.
pub fn within(secs: u64, mut done: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < end {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    done()
}

/// Every file under `dir` with its size and modification time.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let m = e.metadata().ok()?;
            m.is_file()
                .then(|| (e.path().to_path_buf(), m.len(), m.modified().unwrap()))
        })
        .collect();
    files.sort();
    files
}

/// `cargo xtask …` with the checkout's own programs, on the scratch suite
/// at `root` inside the crate (`CH16_UI_ROOT`) or, for commands that write
/// nothing there but `target/`, on the checkout: success, and stdout plus
/// stderr.
pub fn xtask(root: Option<&Path>, args: &[&str]) -> (bool, String) {
    let command = [&["run", "--quiet", "--package", "xtask", "--"], args].concat();
    let env: Vec<_> = root
        .map(|r| (ch16_ui::names::ROOT_ENV, r.as_os_str()))
        .into_iter()
        .collect();
    let ran = cargo(&crate_dir(), &command, &env);
    (ran.ok, format!("{}{}", ran.stdout, ran.stderr))
}

/// A copy of the checkout with its own target directory, kept between runs
/// so that its build stays fresh, for tests of another checkout's programs;
/// held under a file lock (under `cargo nextest` tests are processes).
pub struct ScratchCheckout {
    /// The copy, checkout `a`.
    pub a: PathBuf,
    /// Its target directory.
    pub target: PathBuf,
    _lock: fs::File,
}

impl ScratchCheckout {
    pub fn take() -> ScratchCheckout {
        let base = crate_dir().join("target/ch16-scratch/checkouts");
        fs::create_dir_all(&base).unwrap();
        let _lock = fs::File::create(base.join("lock")).unwrap();
        _lock.lock().unwrap();
        let (a, target) = (base.join("a"), base.join("target"));
        copy_checkout_keeping_times(&a);
        ScratchCheckout { a, target, _lock }
    }

    /// The environment that builds in its target directory.
    pub fn env(&self) -> [(&'static str, &std::ffi::OsStr); 2] {
        [
            ("CARGO_TARGET_DIR", self.target.as_os_str()),
            // Nobody debugs these builds; the target directory is the
            // copies' own, so the profile stays the same in it.
            ("CARGO_PROFILE_DEV_DEBUG", "false".as_ref()),
        ]
    }
}

/// Copy the checkout's sources to `to` with their modification times, so
/// that a target directory kept for `to` stays fresh while they are unchanged.
pub fn copy_checkout_keeping_times(to: &Path) {
    let _ = fs::remove_dir_all(to);
    let here = crate_dir();
    let sources = "Cargo.toml Cargo.lock .cargo src tests ui xtask".split(' ');
    for entry in sources.flat_map(|e| walkdir::WalkDir::new(here.join(e))) {
        let Ok(entry) = entry else { continue };
        let dest = to.join(entry.path().strip_prefix(&here).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
            continue;
        }
        fs::create_dir_all(dest.parent().unwrap()).unwrap();
        fs::copy(entry.path(), &dest).unwrap();
        let modified = entry.metadata().unwrap().modified().unwrap();
        let file = fs::File::options().write(true).open(&dest).unwrap();
        file.set_modified(modified).unwrap();
    }
}
