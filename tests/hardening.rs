//! Bad input and faults, each on a scratch fixture tree (never the real
//! `ui/`), with the exact outcome asserted.
//!
//! Most cases stand a fake in for trybuild ([`Fake`]) that does what
//! trybuild's cargo does with the observer: it starts the real observer as
//! rustc wrapper for every fixture's compile, and as runner for every
//! program that compiled, in the environment the harness gives. So they
//! exercise the real observer and records, quickly. The cases about how
//! trybuild and cargo themselves behave run the real trybuild, on scratch
//! trees inside the crate (trybuild wants its fixtures there).

#[path = "support/trybuild.rs"]
mod support;

use ch16_ui::check::Check;
use ch16_ui::emit::terminal;
use ch16_ui::harness::{self, Options};
use ch16_ui::observe::record::Records;
use ch16_ui::observe::{self, Batch, Driver, Running};
use ch16_ui::report::{BatchStatus, Report};
use ch16_ui::toolchain::{self, Rustc, Source};
use ch16_ui::{Suite, observe::Workdirs};
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The observer, as cargo built it for these tests.
const OBSERVER: &str = env!("CARGO_BIN_EXE_ch16-ui-observer");

/// A suite root, in the temporary directory or (for the real trybuild)
/// inside the crate; its fixture tree is removed on drop.
struct Scratch {
    root: PathBuf,
    /// Remove the whole root on drop (a temporary one), or only `ui/` (one
    /// in the crate keeps trybuild's target directories, as a checkout does).
    temporary: bool,
}

impl Scratch {
    fn new(name: &str) -> Scratch {
        let root =
            std::env::temp_dir().join(format!("ch16-hardening-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        Scratch::at(root, true)
    }

    /// A root inside the crate, where the real trybuild can be given its
    /// fixtures; trybuild's directories from earlier runs are kept.
    fn in_crate(name: &str) -> Scratch {
        let root = crate_dir().join("target/ch16-scratch").join(name);
        let _ = fs::remove_dir_all(root.join("ui"));
        Scratch::at(root, false)
    }

    fn at(root: PathBuf, temporary: bool) -> Scratch {
        fs::create_dir_all(root.join("ui/ch16-01-threads")).unwrap();
        let s = Scratch { root, temporary };
        s.write("ui/toolchains.txt", &format!("{}\n", rustc().version));
        s
    }

    fn write(&self, rel: &str, text: &str) -> &Self {
        fs::write(self.root.join(rel), text).unwrap();
        self
    }

    /// A fixture in the 16.1 group, with its expectation (if given).
    fn fixture(
        &self,
        stem: &str,
        expect: &str,
        extra: &str,
        code: &str,
        expectation: Option<&str>,
    ) -> &Self {
        let id = stem.split('-').take(3).collect::<Vec<_>>().join("-");
        self.write(
            &format!("ui/ch16-01-threads/{stem}.rs"),
            &source(&id, expect, extra, code),
        );
        if let Some(text) = expectation {
            let ext = if expect == "run" { "stdout" } else { "stderr" };
            self.write(&format!("ui/ch16-01-threads/{stem}.{ext}"), text);
        }
        self
    }

    /// A runnable fixture, `output: exact`, with its expected output.
    fn runs(&self, stem: &str, code: &str, stdout: Option<&str>) -> &Self {
        self.fixture(stem, "run", OUTPUT_EXACT, code, stdout)
    }

    /// A runnable fixture that prints `fine`, as expected.
    fn fine(&self, stem: &str) -> &Self {
        self.runs(stem, OK_RUN, Some("fine\n"))
    }

    /// A compile-fail fixture with error `codes`, fixed by `fixed_by`.
    fn fails(&self, stem: &str, codes: &str, fixed_by: &str, code: &str, stderr: &str) -> &Self {
        let fix = format!("//! fixed-by: {fixed_by}\n");
        self.fixture(
            stem,
            &format!("compile-fail {codes}"),
            &fix,
            code,
            Some(stderr),
        )
    }

    /// The 1-based line of the fixture `stem` holding `needle`.
    fn line(&self, stem: &str, needle: &str) -> usize {
        let text = fs::read_to_string(self.root.join(format!("ui/ch16-01-threads/{stem}.rs")));
        text.unwrap()
            .lines()
            .position(|l| l.contains(needle))
            .unwrap()
            + 1
    }

    fn load_errors(&self) -> Vec<String> {
        match Suite::load(&self.root) {
            Ok(_) => Vec::new(),
            Err(ch16_ui::Error::Tree(errors)) => errors.iter().map(ToString::to_string).collect(),
            Err(other) => vec![other.to_string()],
        }
    }

    /// The records directory of trybuild's compile-fail batch, or of the
    /// first pass shard.
    fn records(&self, rustc: &Rustc, pass: bool) -> Records {
        let dirs = Workdirs::new(&self.root, &rustc.key());
        Records::of(&if pass {
            dirs.pass_target(0)
        } else {
            dirs.compile_fail_target()
        })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(if self.temporary {
            self.root.clone()
        } else {
            self.root.join("ui")
        });
    }
}

fn source(id: &str, expect: &str, extra: &str, code: &str) -> String {
    format!(
        "//! listing: {id}\n//! caption: scratch\n//! teaches: Nothing, it is a scratch fixture.\n//! section: 16.1 scratch\n\
         //! url: https://doc.rust-lang.org/book/ch16-01-threads.html#scratch\n//! expect: {expect}\n{extra}\
         //!\n//! A scratch fixture for the hardening tests.\n//! It exists only in a temporary tree.\n\n{code}"
    )
}

/// The checkout under test, as cargo names it.
fn crate_dir() -> PathBuf {
    ch16_ui::checkout::crate_dir().expect("run by cargo, in the checkout it was built for")
}

fn rustc() -> Rustc {
    toolchain::current().expect("a working rustc")
}

/// trybuild and its cargo, as far as the observer sees them: every fixture
/// compiled by rustc through the observer (crate `trybuildNNN`, the batch's
/// flags and environment, JSON diagnostics and artifact notices), and every
/// program that compiled run through the observer as runner. What it was
/// given is kept.
/// With `TRYBUILD=overwrite`, it writes a compile-fail fixture's `.stderr`
/// as trybuild does, for the first `reaches` of them.
struct Fake {
    crate_dir: PathBuf,
    batches: Mutex<Vec<(bool, Vec<String>)>>,
    reaches: usize,
}

impl Fake {
    fn new(s: &Scratch) -> Fake {
        Fake {
            crate_dir: s.root.clone(),
            batches: Mutex::new(Vec::new()),
            reaches: usize::MAX,
        }
    }
}

impl Driver for Fake {
    fn start(&self, batch: &Batch) -> Box<dyn Running> {
        self.batches
            .lock()
            .unwrap()
            .push((batch.pass, batch.paths.clone()));
        let (pass, target, env) = (batch.pass, batch.target.clone(), batch.env.clone());
        let sources: Vec<PathBuf> = batch.paths.iter().map(|p| self.crate_dir.join(p)).collect();
        let reaches = self.reaches;
        Box::new(FakeBatch(std::thread::spawn(move || {
            fake_cargo(pass, &sources, &target, &env, reaches)
        })))
    }
}

struct FakeBatch(std::thread::JoinHandle<bool>);

impl Running for FakeBatch {
    fn wait(self: Box<Self>) -> bool {
        self.0.join().unwrap_or(false)
    }
}

fn fake_cargo(
    pass: bool,
    sources: &[PathBuf],
    target: &Path,
    env: &[(String, OsString)],
    reaches: usize,
) -> bool {
    let overwrite = env
        .iter()
        .any(|(k, v)| k == observe::OVERWRITE.0 && v == observe::OVERWRITE.1);
    let flags: Vec<OsString> = env
        .iter()
        .find(|(k, _)| k == "CARGO_ENCODED_RUSTFLAGS")
        .map(|(_, v)| {
            v.to_str()
                .unwrap()
                .split('\u{1f}')
                .map(OsString::from)
                .collect()
        })
        .unwrap_or_default();
    let deps = target.join("fake/debug/deps");
    fs::create_dir_all(&deps).unwrap();
    let mut ok = true;
    for (n, source) in sources.iter().enumerate() {
        let krate = observe::crate_name(n);
        let compiled = Command::new(OBSERVER)
            .arg("rustc")
            .args(["--crate-name", &krate, "--edition=2024"])
            .arg(source)
            .args([
                "--error-format=json",
                "--json=artifacts",
                "--crate-type",
                "bin",
            ])
            .arg(if pass {
                "--emit=dep-info,link"
            } else {
                "--emit=dep-info,metadata"
            })
            .args(["-C", "extra-filename=-fake", "--out-dir"])
            .arg(&deps)
            .args(&flags)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .success();
        ok &= compiled == pass;
        if !pass && !compiled && overwrite && n < reaches {
            fs::write(
                source.with_extension("stderr"),
                format!("error: fake, of {krate}\n"),
            )
            .unwrap();
        }
        if pass && compiled {
            // cargo runs a hard link of the program beside `deps/`.
            let program = deps.with_file_name(&krate);
            let _ = fs::remove_file(&program);
            fs::hard_link(deps.join(format!("{krate}-fake")), &program).unwrap();
            ok &= Command::new(OBSERVER)
                .arg("--runner")
                .arg(&program)
                .envs(env.iter().map(|(k, v)| (k, v)))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .unwrap()
                .success();
        }
    }
    ok
}

fn options<'a>(s: &'a Scratch, rustc: &'a Rustc) -> Options<'a> {
    Options {
        root: &s.root,
        crate_dir: &s.root,
        rustc,
        filters: &[],
        record_diagnostics: false,
        observer: Path::new(OBSERVER),
        progress: None,
    }
}

fn run(s: &Scratch) -> Report {
    let rustc = rustc();
    harness::run(&options(s, &rustc), &Fake::new(s)).expect("the harness runs")
}

fn messages(report: &Report, stem: &str, check: Check) -> Vec<String> {
    report
        .problems(&format!("ui/ch16-01-threads/{stem}.rs"))
        .unwrap_or_else(|| {
            panic!(
                "{stem} was not observed:\n{}",
                terminal::summary(report, None, true)
            )
        })
        .iter()
        .filter(|p| p.check == check)
        .map(|p| p.message.clone())
        .collect()
}

/// How many times `stem` was compiled in the run of `report`.
fn compiles(report: &Report, stem: &str) -> usize {
    let path = format!("ui/ch16-01-threads/{stem}.rs");
    report
        .compiles()
        .iter()
        .find(|(p, _)| *p == path)
        .unwrap_or_else(|| {
            panic!(
                "{stem} was not observed:\n{}",
                terminal::summary(report, None, true)
            )
        })
        .1
}

/// What a compile-fail fixture that compiles is told.
const COMPILED_E0308: &str =
    "compiled, but is expected to fail with E0308; make it fail again, or change `expect` to `run`";
const OK_RUN: &str = "fn main() {\n    println!(\"fine\");\n}\n";
const OUTPUT_EXACT: &str = "//! output: exact\n";

/// What an annotation the compiler no longer reports is told: its line,
/// and the edit that fixes it.
fn unreported(line: usize, annotation: &str) -> String {
    format!(
        "annotated but not reported: line {line}: {annotation}; the compiler no longer reports it there: \
         remove `//~ {annotation}` from line {line}, or change the code back"
    )
}

/// What a diagnostic nobody annotated is told: its line, and the
/// annotation to add there.
fn unannotated(line: usize, annotation: &str, message: &str) -> String {
    format!(
        "reported but not annotated: line {line}: {annotation} ({message}); add `//~ {annotation}` at the end of line {line}"
    )
}

/// Whether the fixture `stem` passed every check.
fn passed(report: &Report, stem: &str) -> bool {
    report
        .problems(&format!("ui/ch16-01-threads/{stem}.rs"))
        .is_some_and(|p| p.is_empty())
}

// 1. Wrong outcomes.

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
    assert_eq!(r.failed(), 2, "{}", terminal::summary(&r, None, true));
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
        suite.fixtures[0].header.timeout,
        ch16_ui::header::DEFAULT_TIMEOUT
    );
}

// 3. Annotations and headers.

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
fn annotation_on_a_fixture_that_compiles_is_refused_at_load() {
    let s = Scratch::new("annotated-run");
    let code = "fn main() {} //~ ERROR E0308\n";
    s.runs("listing-16-91-run", code, Some(""));
    let line = s.line("listing-16-91-run", "fn main");
    assert_eq!(
        s.load_errors(),
        [format!(
            "ui/ch16-01-threads/listing-16-91-run.rs:{line}: a runnable fixture carries a `//~ ERROR` annotation\n  fix: remove the annotation, or make the fixture `expect: compile-fail …`"
        )]
    );
}

#[test]
fn malformed_annotations_and_header_fields_name_file_and_line() {
    let s = Scratch::new("malformed");
    let bad = "fn main() {} //~ ERROR mismatched\n";
    s.fixture(
        "listing-16-91-ann",
        "compile-fail E0308",
        "//! fixed-by: listing-16-93\n",
        bad,
        None,
    )
    .write(
        "ui/ch16-01-threads/listing-16-92-hdr.rs",
        "//! listing: listing-16-92\n//! captoin: x\n",
    )
    .fine("listing-16-93-ok");
    let line = s.line("listing-16-91-ann", "fn main");
    assert_eq!(
        s.load_errors(),
        [
            format!(
                "ui/ch16-01-threads/listing-16-91-ann.rs:{line}: `mismatched` is not a valid error code\n  fix: write `//~ ERROR E0382`, `//~^ ERROR E0382` (line above) or `//~ WARN unused_variables`"
            ),
            "ui/ch16-01-threads/listing-16-92-hdr.rs:2: unknown header field `captoin`\n  fix: use one of: listing, caption, teaches, section, url, origin, expect, fixed-by, improved-by, follows, compiler-suggestion-gives, output, stream, stream-partial, stderr, timeout".to_string(),
        ]
    );
}

#[test]
fn duplicate_book_ids_are_refused() {
    let s = Scratch::new("duplicate");
    s.fine("listing-16-91-a").fine("listing-16-91-b");
    assert_eq!(
        s.load_errors(),
        [
            "ui/ch16-01-threads/listing-16-91-b.rs:1: listing id `listing-16-91` is also used by ui/ch16-01-threads/listing-16-91-a.rs\n  fix: every fixture has its own id"
        ]
    );
}

// 4. Missing, orphan and unreadable expectations.

#[test]
fn two_fixtures_with_one_short_id_are_refused() {
    let s = Scratch::new("short-ids");
    s.fine("listing-16-91-ok");
    for id in ["no-listing-01-first", "no-listing-01-second"] {
        s.write(
            &format!("ui/ch16-01-threads/{id}.rs"),
            &source(
                id,
                "run",
                "//! output: exact\n//! follows: listing-16-91\n",
                OK_RUN,
            ),
        );
        s.write(&format!("ui/ch16-01-threads/{id}.stdout"), "fine\n");
    }
    let errors = s.load_errors();
    assert!(
        errors.iter().any(|e| e.starts_with(
            "ui/ch16-01-threads/no-listing-01-second.rs:1: short id `no-listing-01` is also that of \
             ui/ch16-01-threads/no-listing-01-first.rs, so `no-listing-01` would select both"
        )),
        "{errors:?}"
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
fn orphan_expectation_and_unparseable_version_key_are_refused() {
    let s = Scratch::new("orphan");
    s.fine("listing-16-91-ok")
        .write("ui/ch16-01-threads/listing-16-92-renamed.stderr", "x\n")
        .write("ui/ch16-01-threads/listing-16-91-ok.1.x7.stdout", "x\n");
    assert_eq!(
        s.load_errors(),
        [
            "ui/ch16-01-threads/listing-16-91-ok.1.x7.stdout: `1.x7` is not a compiler version key\n  fix: name keyed expectations `listing-16-91-ok.MAJOR.MINOR.stdout` (e.g. `listing-16-91-ok.1.97.stdout`), or delete the file and run `cargo xtask bless`",
            "ui/ch16-01-threads/listing-16-92-renamed.stderr: orphan expectation: no fixture `listing-16-92-renamed.rs` beside it\n  fix: if the fixture was renamed, rename this file to match it; if it was deleted, delete this file",
        ]
    );
    // A compile-fail fixture renamed without its expectation: the one
    // fixture lacking that file gets it back with `git mv`.
    let s = Scratch::new("renamed");
    s.fixture(
        "listing-16-93-new",
        "compile-fail E0308",
        "//! fixed-by: listing-16-94\n",
        "fn main() {\n    let x: i32 = \"no\"; //~ ERROR E0308\n}\n",
        None,
    )
    .fine("listing-16-94-ok")
    .write("ui/ch16-01-threads/listing-16-93-old.stderr", "x\n");
    assert_eq!(
        s.load_errors(),
        [
            "ui/ch16-01-threads/listing-16-93-old.stderr: orphan expectation: no fixture `listing-16-93-old.rs` beside it\n  \
          fix: if `ui/ch16-01-threads/listing-16-93-new.rs` was renamed from `listing-16-93-old.rs`: \
          git mv ui/ch16-01-threads/listing-16-93-old.stderr ui/ch16-01-threads/listing-16-93-new.stderr"
        ]
    );
}

// 7. CRLF checkouts.

#[test]
fn expectations_with_crlf_line_endings_compare_as_lf() {
    let s = Scratch::new("crlf");
    let fix = "listing-16-92";
    let code = "fn main() {\n    let x: i32 = \"no\"; //~ ERROR E0308\n}\n";
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
    let staged = Workdirs::new(&s.root, &rustc().key()).staged_stderr(&suite.fixtures[0]);
    assert_eq!(
        fs::read_to_string(staged).unwrap(),
        "error[E0308]: mismatched types\n  --> x\n"
    );
}

// 10. What trybuild did not compile or run is never taken as observed.

/// A trybuild that gives up before its batch's last fixture.
struct GivesUp(Fake);

impl Driver for GivesUp {
    fn start(&self, batch: &Batch) -> Box<dyn Running> {
        let mut shorter = Batch {
            paths: batch.paths.clone(),
            env: batch.env.clone(),
            target: batch.target.clone(),
            log: batch.log.clone(),
            pass: batch.pass,
        };
        shorter.paths.pop();
        self.0.start(&shorter)
    }
}

#[test]
fn a_fixture_trybuild_never_reached_fails_the_run_by_name() {
    let s = Scratch::new("unobserved");
    let fix = "listing-16-93";
    let code = "fn main() {\n    let x: i32 = \"no\"; //~ ERROR E0308\n}\n";
    s.fails("listing-16-91-cf", "E0308", fix, code, "x\n")
        .fails("listing-16-92-cf", "E0308", fix, code, "x\n")
        .fine("listing-16-93-ok");
    let rustc = rustc();
    let r = harness::run(&options(&s, &rustc), &GivesUp(Fake::new(&s))).unwrap();
    let unobserved: Vec<&str> = r
        .fixtures
        .iter()
        .filter(|f| !f.observed)
        .map(|f| f.path.as_str())
        .collect();
    // The last compile-fail fixture, and the one runnable (alone in its batch).
    assert_eq!(
        unobserved,
        [
            "ui/ch16-01-threads/listing-16-92-cf.rs",
            "ui/ch16-01-threads/listing-16-93-ok.rs"
        ]
    );
    let error = r.fixtures[1].problems[0].message.clone();
    assert!(
        error.starts_with(
            "ui/ch16-01-threads/listing-16-92-cf.rs: not observed: trybuild's cargo did not compile it in this run, \
             and no earlier compile of it is still valid"
        ) && error.contains(&format!("if trybuild is not {}", observe::TRYBUILD_VERSION)),
        "{error}"
    );
    assert!(r.failed() >= 2);
}

/// Collecting for bless: trybuild's cargo compiled every fixture, but
/// trybuild stopped before writing the last one's `.stderr`. That fixture
/// must not read back as its old expectation, unchanged.
#[test]
fn collecting_a_fixture_trybuild_did_not_reach_is_not_blessable() {
    let s = Scratch::new("unreached");
    let fix = "listing-16-93";
    let code = "fn main() {\n    let x: i32 = \"no\"; //~ ERROR E0308\n}\n";
    s.fails("listing-16-91-cf", "E0308", fix, code, "old\n")
        .fails("listing-16-92-cf", "E0308", fix, code, "old\n")
        .fine("listing-16-93-ok");
    let rustc = rustc();
    let fake = Fake {
        reaches: 1,
        ..Fake::new(&s)
    };
    let r = harness::run(
        &Options {
            record_diagnostics: true,
            ..options(&s, &rustc)
        },
        &fake,
    )
    .unwrap();
    // Through the JSON the xtask reads.
    let path = Workdirs::new(&s.root, &rustc.key()).report();
    r.write(&path).unwrap();
    let collected = Report::read(&path).unwrap();
    let observed = |stem: &str| {
        collected
            .fixtures
            .iter()
            .find(|o| o.path == format!("ui/ch16-01-threads/{stem}.rs"))
            .unwrap()
    };
    let reached = observed("listing-16-91-cf");
    let stderr = [ch16_ui::expect::Kind::Stderr];
    assert!(
        reached.blessable(&stderr),
        "{}",
        terminal::summary(&r, None, true)
    );
    assert_eq!(
        reached.actual(ch16_ui::expect::Kind::Stderr),
        Some("error: fake, of trybuild000\n")
    );
    let unreached = observed("listing-16-92-cf");
    assert!(
        !unreached.blessable(&stderr),
        "{}",
        terminal::summary(&r, None, true)
    );
    assert_eq!(unreached.actual(ch16_ui::expect::Kind::Stderr), None);
    let messages: Vec<&str> = unreached
        .problems
        .iter()
        .map(|p| p.message.as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("trybuild did not reach it: it wrote no .stderr")),
        "{messages:?}"
    );
}

#[test]
fn a_compile_the_observer_cannot_record_fails() {
    let s = Scratch::new("unrecordable");
    let source = s.root.join("main.rs");
    fs::write(&source, "fn main() {}\n").unwrap();
    // Where the records directory should be, a file.
    let records = s.root.join("records");
    fs::write(&records, "").unwrap();
    let out = Command::new(OBSERVER)
        .arg("rustc")
        .args([
            "--crate-name",
            "trybuild000",
            "--edition=2024",
            "--emit=metadata",
            "--out-dir",
        ])
        .arg(&s.root)
        .arg(&source)
        .env(ch16_ui::observe::record::RECORDS_ENV, &records)
        .env(ch16_ui::observe::record::RUN_ENV, "r")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(101), "{stderr}");
    assert!(
        stderr.contains("could not record the compile of trybuild000")
            && stderr.contains("failing it so that cargo compiles it again"),
        "{stderr}"
    );
    // Though rustc itself succeeded.
    assert!(s.root.join("libtrybuild000.rmeta").exists());
}

// 6b. Two runs on one compiler in one checkout take turns.

/// trybuild as [`Fake`], noting when its batches start and end.
struct Timed(Fake, std::sync::Arc<Mutex<Vec<(Instant, Instant)>>>);

struct TimedBatch(
    Box<dyn Running>,
    Instant,
    std::sync::Arc<Mutex<Vec<(Instant, Instant)>>>,
);

impl Driver for Timed {
    fn start(&self, batch: &Batch) -> Box<dyn Running> {
        let running = self.0.start(batch);
        Box::new(TimedBatch(
            running,
            Instant::now(),
            std::sync::Arc::clone(&self.1),
        ))
    }
}

impl Running for TimedBatch {
    fn wait(self: Box<Self>) -> bool {
        let ok = self.0.wait();
        self.2.lock().unwrap().push((self.1, Instant::now()));
        ok
    }
}

#[test]
fn two_runs_on_one_compiler_take_turns() {
    let s = Scratch::new("turns");
    s.fails(
        "listing-16-91-cf",
        "E0308",
        "listing-16-92",
        "fn main() {\n    let x: i32 = \"no\"; //~ ERROR E0308\n}\n",
        "x\n",
    )
    .fine("listing-16-92-ok");
    let rustc = rustc();
    let runs: Vec<(Report, Vec<(Instant, Instant)>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    let timed = Timed(Fake::new(&s), Default::default());
                    let report = harness::run(&options(&s, &rustc), &timed).unwrap();
                    let times = timed.1.lock().unwrap().clone();
                    (report, times)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let span = |times: &[(Instant, Instant)]| {
        (
            times.iter().map(|t| t.0).min().unwrap(),
            times.iter().map(|t| t.1).max().unwrap(),
        )
    };
    let (a, b) = (span(&runs[0].1), span(&runs[1].1));
    assert!(
        a.1 <= b.0 || b.1 <= a.0,
        "the two runs' batches overlapped: {a:?} {b:?}"
    );
    for (report, _) in &runs {
        assert!(
            passed(report, "listing-16-92-ok"),
            "{}",
            terminal::summary(report, None, true)
        );
        assert_eq!(
            compiles(report, "listing-16-91-cf"),
            1,
            "{}",
            terminal::summary(report, None, true)
        );
    }
}

// 5. Bless killed at any point: the tree is unchanged or fully updated.

/// Files the interrupted-update test writes: 200 expectations, each from
/// "old" to "new", plus 20 removed.
fn journal_changes() -> Vec<ch16_ui::journal::Change> {
    use ch16_ui::journal::Change;
    let mut changes: Vec<Change> = (0..200)
        .map(|i| {
            Change::Write(
                format!("ui/ch16-01-threads/f{i:03}.stderr").into(),
                format!("new {i}\n"),
            )
        })
        .collect();
    changes.extend(
        (0..20).map(|i| Change::Remove(format!("ui/ch16-01-threads/r{i:03}.stderr").into())),
    );
    changes
}

/// Not a test on its own: the child process that the interruption test
/// kills part-way through an update.
#[test]
#[ignore = "child process of bless_killed_at_any_point_leaves_the_tree_unchanged_or_fully_updated"]
fn journal_child_process() {
    let root = std::env::var("CH16_JOURNAL_CHILD").expect("run by the interruption test only");
    ch16_ui::journal::commit(Path::new(&root), &journal_changes()).unwrap();
}

#[test]
fn bless_killed_at_any_point_leaves_the_tree_unchanged_or_fully_updated() {
    use ch16_ui::journal::{Pending, pending, recover};
    let s = Scratch::new("killed");
    let exe = std::env::current_exe().unwrap();
    let (mut unchanged, mut updated, mut interrupted) = (0, 0, 0);
    for attempt in 0..16u64 {
        for i in 0..200 {
            s.write(
                &format!("ui/ch16-01-threads/f{i:03}.stderr"),
                &format!("old {i}\n"),
            );
        }
        for i in 0..20 {
            s.write(&format!("ui/ch16-01-threads/r{i:03}.stderr"), "doomed\n");
        }
        let mut child = std::process::Command::new(&exe)
            .args([
                "--ignored",
                "--exact",
                "journal_child_process",
                "--test-threads=1",
            ])
            .env("CH16_JOURNAL_CHILD", &s.root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Kills from before the first pending file is written to well into
        // the renames; the last run is left to finish.
        if attempt < 15 {
            std::thread::sleep(Duration::from_millis(attempt * attempt * 2));
            let _ = child.kill();
        }
        let _ = child.wait();
        let state = pending(&s.root);
        interrupted += usize::from(state != Pending::Clean);
        recover(&s.root).unwrap();
        assert_eq!(pending(&s.root), Pending::Clean);
        let read = |i: usize| {
            fs::read_to_string(s.root.join(format!("ui/ch16-01-threads/f{i:03}.stderr"))).unwrap()
        };
        let old = (0..200).all(|i| read(i) == format!("old {i}\n"))
            && (0..20).all(|i| {
                s.root
                    .join(format!("ui/ch16-01-threads/r{i:03}.stderr"))
                    .exists()
            });
        let new = (0..200).all(|i| read(i) == format!("new {i}\n"))
            && (0..20).all(|i| {
                !s.root
                    .join(format!("ui/ch16-01-threads/r{i:03}.stderr"))
                    .exists()
            });
        assert!(
            old || new,
            "attempt {attempt}: half-updated tree after a kill (pending state was {state:?})"
        );
        if old { unchanged += 1 } else { updated += 1 }
    }
    assert!(
        unchanged > 0 && updated > 0,
        "unchanged {unchanged}, updated {updated}"
    );
    println!(
        "interruption: {unchanged} unchanged, {updated} updated, {interrupted} caught mid-update and recovered"
    );
}

// 9. A toolchain with std's sources (the rust-src component).

/// A directory in the temporary directory, removed on drop.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[test]
fn rust_src_is_hidden_so_outputs_do_not_depend_on_it() {
    let current = rustc();
    let pages = Path::new(&current.sysroot).join("share/doc/rust/html/src/std");
    if !pages.is_dir() {
        println!(
            "SKIPPED rust_src_is_hidden_so_outputs_do_not_depend_on_it: the rust-docs component is not installed \
             (std's sources are rebuilt from its pages); `rustup component add rust-docs`"
        );
        return;
    }
    let dir = TempDir(std::env::temp_dir().join(format!("ch16-rust-src-{}", std::process::id())));
    let rebuilt = ch16_ui::sysroot::with_sources(Path::new(&current.sysroot), &dir.0).unwrap();
    assert!(rebuilt > 100, "only {rebuilt} source files rebuilt");
    let with_src = toolchain::detect(Source::Path(ch16_ui::sysroot::rustc_in(&dir.0))).unwrap();
    assert!(with_src.rust_src().is_some(), "{}", with_src.sysroot);
    assert!(with_src.key().ends_with("-rust-src"), "{}", with_src.key());

    // First, that rustc really quotes std's code there: without the
    // harness, 16-14's note on `spawn`'s bound shows the function.
    let crate_dir = &crate_dir();
    let fixture = "ui/ch16-03-shared-state/listing-16-14-rc-not-send.rs";
    let out = with_src
        .command()
        .args(["--edition", "2024", "--emit=metadata", "--out-dir"])
        .arg(&dir.0)
        .arg(crate_dir.join(fixture))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("pub fn spawn<F, T>(f: F) -> JoinHandle<T>"),
        "rustc does not quote std's sources here:\n{stderr}"
    );

    // Then the suite, on a copy of 16-13 to 16-15 (which name each other),
    // 16-13 and 16-14 checked: no mismatch, though the expectations were
    // blessed without rust-src.
    let s = Scratch::in_crate("rust-src");
    fs::create_dir_all(s.root.join("ui/ch16-03-shared-state")).unwrap();
    for name in [
        "listing-16-13-counter-moved.rs",
        "listing-16-13-counter-moved.stderr",
        "listing-16-14-rc-not-send.rs",
        "listing-16-14-rc-not-send.stderr",
        "listing-16-15-arc-mutex.rs",
        "listing-16-15-arc-mutex.stdout",
    ] {
        let rel = format!("ui/ch16-03-shared-state/{name}");
        fs::copy(crate_dir.join(&rel), s.root.join(&rel)).unwrap();
    }
    s.write(
        "ui/toolchains.txt",
        &fs::read_to_string(crate_dir.join("ui/toolchains.txt")).unwrap(),
    );
    let r = harness::run(
        &Options {
            crate_dir,
            filters: &["16-13".to_string(), "16-14".to_string()],
            ..options(&s, &with_src)
        },
        &REAL,
    )
    .unwrap();
    let summary = terminal::summary(&r, None, true);
    if !r.blessed {
        println!(
            "SKIPPED rust_src_is_hidden_so_outputs_do_not_depend_on_it: the expectations were never blessed for \
             rustc {}, so there is no .stderr to compare",
            with_src.version
        );
        return;
    }
    assert!(r.rust_src_hidden && !r.observed_only, "{summary}");
    assert_eq!(r.failed(), 0, "{summary}");
    assert_eq!(r.compile_fail, (2, BatchStatus::Ok), "{summary}");
}

// 8. Missing or broken toolchains.

#[test]
fn a_toolchain_named_but_not_installed_fails_clearly() {
    let err = toolchain::select(&["ch16-no-such-toolchain".to_string()], &[])
        .err()
        .expect("must fail")
        .to_string();
    assert!(
        err.starts_with(
            "toolchain `ch16-no-such-toolchain`: `rustc +ch16-no-such-toolchain -vV` failed:"
        ),
        "{err}"
    );
    assert!(err.contains("nothing was changed"), "{err}");
}

/// A `RUSTUP_HOME` made for one test, in the crate's scratch directory:
/// its `toolchains/` link to the real ones, plus a broken release
/// toolchain (`1.2.0`), a custom one that works (`ch16-custom`) and one
/// whose rustc works until `gone` exists in its directory (`1.3.0`). The
/// machine's rustup is never touched; all of it is removed on drop.
struct PrivateRustup {
    home: PathBuf,
}

impl PrivateRustup {
    fn new(name: &str) -> PrivateRustup {
        let home = crate_dir().join("target/ch16-scratch").join(name);
        let _ = fs::remove_dir_all(&home);
        fs::create_dir_all(home.join("toolchains")).unwrap();
        let current = rustc();
        // The real toolchain directory is the current compiler's sysroot.
        let real = Path::new(&current.sysroot);
        let real_home = real.parent().unwrap();
        for entry in fs::read_dir(real_home).unwrap() {
            let entry = entry.unwrap();
            std::os::unix::fs::symlink(
                entry.path(),
                home.join("toolchains").join(entry.file_name()),
            )
            .unwrap();
        }
        let host = &current.host;
        let script = |dir: &Path, body: &str| {
            fs::create_dir_all(dir.join("bin")).unwrap();
            fs::create_dir_all(dir.join("lib")).unwrap();
            let path = dir.join("bin/rustc");
            fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        };
        let broken = home.join("toolchains").join(format!("1.2.0-{host}"));
        script(&broken, "echo 'this toolchain is broken' >&2\nexit 1");
        let flaky = home.join("toolchains").join(format!("1.3.0-{host}"));
        script(
            &flaky,
            &format!(
                "[ -e '{}' ] && {{ echo 'this toolchain is gone' >&2; exit 1; }}\nexec '{}' \"$@\"",
                flaky.join("gone").display(),
                real.join("bin/rustc").display()
            ),
        );
        std::os::unix::fs::symlink(real, home.join("toolchains/ch16-custom")).unwrap();
        let default = real.file_name().unwrap().to_string_lossy();
        fs::write(
            home.join("settings.toml"),
            format!("version = \"12\"\ndefault_toolchain = \"{default}\"\nprofile = \"minimal\"\n"),
        )
        .unwrap();
        PrivateRustup { home }
    }

    /// This test program again, running only `test` (an ignored one), with
    /// rustup pointed here and nothing inherited that names a toolchain.
    fn run_child(&self, test: &str) -> (bool, String) {
        let out = Command::new(std::env::current_exe().unwrap())
            .args([
                test,
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("RUSTUP_HOME", &self.home)
            .env("RUSTUP_AUTO_INSTALL", "0")
            .env("CH16_PRIVATE_RUSTUP", &self.home)
            .env_remove("RUSTUP_TOOLCHAIN")
            .env_remove("RUSTC")
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    }
}

impl Drop for PrivateRustup {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.home);
    }
}

/// Not a test on its own: run by `installed_toolchains_are_chosen_...` with
/// a private `RUSTUP_HOME`.
#[test]
#[ignore = "child process of installed_toolchains_are_chosen_without_custom_or_broken_ones"]
fn private_rustup_selection() {
    assert!(
        std::env::var_os("CH16_PRIVATE_RUSTUP").is_some(),
        "run by its parent test only"
    );
    let all = toolchain::select(&[], &[]).expect("the working toolchains are still used");
    let names: Vec<String> = all.compilers.iter().map(|c| c.source.name()).collect();
    println!("\nCOMPILERS {}", names.join(" "));
    for note in &all.notes {
        println!("NOTE {note}");
    }
    for named in ["1.2.0", "ch16-custom"] {
        match toolchain::select(&[named.to_string()], &[]) {
            Ok(s) => println!("NAMED {named} ok {}", s.compilers[0].release),
            Err(e) => println!("NAMED {named} err {}", e.to_string().replace('\n', " ")),
        }
    }
}

#[test]
fn installed_toolchains_are_chosen_without_custom_or_broken_ones() {
    let rustup = PrivateRustup::new("private-rustup");
    let (ok, out) = rustup.run_child("private_rustup_selection");
    assert!(ok, "{out}");
    let line = |prefix: &str| {
        out.lines()
            .filter(|l| l.starts_with(prefix))
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let compilers = line("COMPILERS ");
    assert_eq!(compilers.len(), 1, "{out}");
    // The broken one and the custom one are not among them; the flaky one
    // (working for now) is, unless an installed toolchain is the same
    // compiler.
    assert!(
        !compilers[0].contains("1.2.0") && !compilers[0].contains("ch16-custom"),
        "{out}"
    );
    let notes = line("NOTE ");
    assert!(
        notes.iter().any(|n| n.starts_with(
            "NOTE SKIPPED 1.2.0: toolchain `1.2.0`: `rustc +1.2.0 -vV` failed: this toolchain is broken"
        )),
        "{out}"
    );
    assert!(
        notes.iter().any(|n| n.starts_with(
            "NOTE not used unless named with --toolchain (custom toolchains): ch16-custom"
        )),
        "{out}"
    );
    let named = line("NAMED ");
    assert!(
        named[0].starts_with("NAMED 1.2.0 err toolchain `1.2.0`")
            && named[0].contains("this toolchain is broken")
            && named[0].contains("nothing was changed"),
        "{out}"
    );
    assert!(named[1].starts_with("NAMED ch16-custom ok "), "{out}");
}

/// trybuild as [`Fake`], but the compiler under test goes away as its
/// batches start, so they fail.
struct PullsTheToolchain(Fake, PathBuf);

impl Driver for PullsTheToolchain {
    fn start(&self, batch: &Batch) -> Box<dyn Running> {
        fs::write(&self.1, "").unwrap();
        Box::new(FailsAfter(self.0.start(batch)))
    }
}

struct FailsAfter(Box<dyn Running>);

impl Running for FailsAfter {
    fn wait(self: Box<Self>) -> bool {
        let _ = self.0.wait();
        false
    }
}

#[test]
fn a_toolchain_that_breaks_mid_run_is_named_not_the_fixtures() {
    let rustup = PrivateRustup::new("toolchain-gone");
    let script = rustup
        .home
        .join(format!("toolchains/1.3.0-{}/bin/rustc", rustc().host));
    let flaky = toolchain::detect(Source::Path(script.clone())).expect("works before the run");
    let s = Scratch::new("toolchain-gone");
    s.fails(
        "listing-16-91-cf",
        "E0308",
        "listing-16-92",
        "fn main() {\n    let x: i32 = \"no\"; //~ ERROR E0308\n}\n",
        "x\n",
    )
    .fine("listing-16-92-ok");
    let gone = script.parent().unwrap().parent().unwrap().join("gone");
    let err = harness::run(
        &options(&s, &flaky),
        &PullsTheToolchain(Fake::new(&s), gone),
    )
    .expect_err("the run fails")
    .to_string();
    assert!(
        err.starts_with(&format!(
            "toolchain `{}`: it stopped working during the run",
            script.display()
        )) && err.contains("this toolchain is gone"),
        "{err}"
    );
}

// 6. Two toolchains testing one checkout at the same time.

/// Each toolchain's `cargo test` judges only its own expectations, so this
/// test runs both on a scratch tree inside the crate: never on the real
/// `ui/`, whose expectations for another compiler are not this run's
/// business (a nightly drift must not turn stable's `cargo test` red).
#[test]
fn two_toolchains_test_one_checkout_at_the_same_time() {
    let selection = toolchain::select(&[], &[]).expect("toolchains");
    let compilers: Vec<Rustc> = selection.compilers.into_iter().take(2).collect();
    if compilers.len() < 2 {
        println!(
            "SKIPPED two_toolchains_test_one_checkout_at_the_same_time: only one compiler installed"
        );
        return;
    }
    // One compile-fail and one runnable fixture, so that both trybuild
    // batches run in each process. The record names neither compiler: each
    // run compares outcomes and annotations only, whatever its version says.
    let s = Scratch::in_crate("two-toolchains");
    s.write("ui/toolchains.txt", "1.80\n");
    let code = "fn main() {\n    let x: i32 = \"no\"; //~ ERROR E0308\n}\n";
    s.fine("listing-16-01-ok").fixture(
        "listing-16-02-cf",
        "compile-fail E0308",
        "//! fixed-by: listing-16-01\n",
        code,
        None,
    );
    let crate_dir = ch16_ui::checkout::crate_dir().unwrap();
    let children: Vec<_> = compilers
        .iter()
        .map(|c| {
            let child = c
                .cargo()
                .current_dir(&crate_dir)
                .args(["test", "--quiet", "--test", "ui"])
                .env(ch16_ui::protocol::ROOT_ENV, &s.root)
                .env_remove(ch16_ui::protocol::COLLECT_ENV)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("cargo runs");
            (c.label(), c.key(), child)
        })
        .collect();
    for (label, key, child) in children {
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success()
                && stdout.contains("test result: ok. 4 passed; 0 failed; 1 ignored"),
            "{label} failed while another toolchain ran:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // trybuild's report (kept in its file) names the staged copy in this
        // toolchain's own directory.
        let log = s.root.join(format!("target/ui/{key}/build.log"));
        let report = fs::read_to_string(&log).unwrap_or_default();
        assert!(
            report.contains(&format!(
                "target/ch16-scratch/two-toolchains/target/ui/{key}/stage/ui/ch16-01-threads/listing-16-0"
            )),
            "{}:\n{report}",
            log.display()
        );
    }
}

// 11. The real trybuild, on scratch trees inside the crate.

/// Not a test on its own: a trybuild batch started by [`support::Real`].
#[test]
#[ignore = "a trybuild batch of the real-trybuild tests"]
fn trybuild_batch() {
    assert!(support::batch(), "trybuild failed");
}

/// The real trybuild, its batches run by this program's `trybuild_batch`.
const REAL: support::Real = support::Real {
    args: &[
        "--ignored",
        "--exact",
        "trybuild_batch",
        "--nocapture",
        "--test-threads=1",
    ],
};

fn real_run(s: &Scratch, rustc: &Rustc) -> Report {
    harness::run(
        &Options {
            crate_dir: &crate_dir(),
            ..options(s, rustc)
        },
        &REAL,
    )
    .expect("the harness runs")
}

#[test]
fn real_trybuild_runs_are_observed_hanging_and_wrongly_compiling_fixtures_included() {
    // A space in the path: cargo splits a runner's value on whitespace, so
    // the observer must be reached without it.
    let s = Scratch::in_crate("observed run");
    assert!(s.root.to_str().is_some_and(|p| p.contains(' ')));
    let rustc = rustc();
    let wrongly_compiles = "fn main() {} //~ ERROR E0308\n";
    let hang = "fn main() {\n    println!(\"waiting\");\n    loop {\n        std::thread::sleep(std::time::Duration::from_secs(1));\n    }\n}\n";
    let print = |word: &str| format!("fn main() {{\n    println!(\"{word}\");\n}}\n");
    // trybuild alone allows dead code (`-A dead_code`); the suite's flags,
    // which replace trybuild's, warn about it as a bare rustc does.
    let unused = "fn main() {\n    println!(\"fine\");\n}\n\nfn helper() {}\n";
    let annotated =
        "fn main() {\n    println!(\"fine\");\n}\n\nfn helper() {} //~ WARN dead_code\n";
    let hangs = "//! output: exact\n//! timeout: 1s\n";
    s.fails(
        "listing-16-91-compiles",
        "E0308",
        "listing-16-92",
        wrongly_compiles,
        "x\n",
    )
    .runs("listing-16-92-edited", &print("one"), Some("one\n"))
    .fixture("listing-16-93-hangs", "run", hangs, hang, Some("waiting\n"))
    .runs("listing-16-94-unused", unused, Some("fine\n"))
    .runs("listing-16-95-annotated", annotated, Some("fine\n"));
    // Run times that put every program in a shard of its own, 16-92 in the
    // first: alone in the second run, it stays where it was, so that only
    // the edit can make cargo compile it again.
    let dirs = Workdirs::within(&crate_dir(), &s.root, &rustc.key()).unwrap();
    let runnable = ["92-edited", "93-hangs", "94-unused", "95-annotated"];
    let durations: String = runnable
        .iter()
        .map(|r| format!("ui/ch16-01-threads/listing-16-{r}.rs\t100\n"))
        .collect();
    fs::create_dir_all(dirs.durations().parent().unwrap()).unwrap();
    fs::write(dirs.durations(), durations).unwrap();

    let start = Instant::now();
    let first = real_run(&s, &rustc);
    let took = start.elapsed();
    let summary = terminal::summary(&first, None, true);
    // The runner killed the hanging program at its limit and exited
    // non-zero: trybuild reported it; the other programs ran.
    assert_eq!(
        messages(&first, "listing-16-93-hangs", Check::Outcome),
        [
            "timed out: killed after 1 s; if it is meant to take longer, raise `timeout:` in its header\n    last lines of stdout:\n        waiting"
        ],
        "{summary}"
    );
    assert!(took < Duration::from_secs(60), "took {took:?}");
    assert_eq!(first.pass.1, BatchStatus::Failed, "{summary}");
    assert!(passed(&first, "listing-16-92-edited"), "{summary}");
    assert_eq!(
        messages(&first, "listing-16-91-compiles", Check::Outcome),
        [COMPILED_E0308]
    );
    let line = s.line("listing-16-94-unused", "fn helper");
    assert_eq!(
        messages(&first, "listing-16-94-unused", Check::Annotations),
        [format!(
            "the `//~` annotations disagree with the compiler:\n    {}",
            unannotated(line, "WARN dead_code", "function `helper` is never used")
        )]
    );
    assert!(passed(&first, "listing-16-95-annotated"), "{summary}");
    let compiled_in = |report: &Report| {
        let records = Records::of(&dirs.pass_target(0));
        let mine = records
            .compiles("trybuild000")
            .into_iter()
            .find(|c| c.run == report.run_id);
        mine.and_then(|c| c.dep_info).map(|d| d.path)
    };
    let where_first = compiled_in(&first);
    assert!(
        where_first.is_some(),
        "16-92 was not compiled in the first shard:\n{summary}"
    );

    // Second run, 16-92 edited (the others have made their point): it is
    // compiled again, in the same place, and recorded again; the
    // compile-fail fixture that compiles is fresh for cargo, so the record
    // of its earlier compile is what says it compiled.
    for stem in runnable.iter().skip(1) {
        for ext in ["rs", "stdout"] {
            fs::remove_file(
                s.root
                    .join(format!("ui/ch16-01-threads/listing-16-{stem}.{ext}")),
            )
            .unwrap();
        }
    }
    s.runs("listing-16-92-edited", &print("two"), None);
    let second = real_run(&s, &rustc);
    let summary = terminal::summary(&second, None, true);
    assert_eq!(compiles(&second, "listing-16-91-compiles"), 0, "{summary}");
    assert_eq!(
        messages(&second, "listing-16-91-compiles", Check::Outcome),
        [COMPILED_E0308]
    );
    assert_eq!(compiles(&second, "listing-16-92-edited"), 1, "{summary}");
    assert_eq!(compiled_in(&second), where_first, "{summary}");
    let edited = messages(&second, "listing-16-92-edited", Check::Output);
    assert!(edited.len() == 1 && edited[0].contains("+two"), "{summary}");
}

/// The pid of a running rustc compiling `source`.
#[cfg(target_os = "linux")]
fn rustc_compiling(source: &Path) -> Option<u32> {
    let needle = source.to_str()?.as_bytes();
    fs::read_dir("/proc").ok()?.find_map(|e| {
        let pid: u32 = e.ok()?.file_name().to_str()?.parse().ok()?;
        let cmdline = fs::read(format!("/proc/{pid}/cmdline")).ok()?;
        let args: Vec<&[u8]> = cmdline.split(|&b| b == 0).collect();
        let is_rustc = args.first()?.ends_with(b"/rustc") || *args.first()? == b"rustc";
        (is_rustc && args.contains(&needle)).then_some(pid)
    })
}

#[cfg(target_os = "linux")]
#[test]
fn real_trybuild_compile_killed_mid_run_is_not_recorded() {
    let s = Scratch::in_crate("killed");
    let rustc = rustc();
    // New text every time, so that cargo must compile it; a constant that
    // takes the compiler a while, so that it can be caught doing so.
    let nonce = format!("{:?}", std::time::SystemTime::now());
    let code = format!(
        "// {nonce}\n#![allow(long_running_const_eval)]\n\nconst fn sum(n: u64) -> u64 {{\n    let mut i = 0;\n    let mut s = 0;\n    while i < n {{\n        s += i % 7;\n        i += 1;\n    }}\n    s\n}}\nconst S: u64 = sum(300_000);\n\nfn main() {{\n    println!(\"{{}}\", S > 0);\n}}\n"
    );
    s.runs("listing-16-91-slow", &code, Some("true\n"));
    let suite = Suite::load(&s.root).unwrap();
    let dirs = Workdirs::within(&crate_dir(), &s.root, &rustc.key()).unwrap();
    let staged = crate_dir().join(dirs.staged(&suite.fixtures[0]));
    let killed = std::thread::scope(|scope| {
        let killer = scope.spawn(|| {
            let deadline = Instant::now() + Duration::from_secs(60);
            while Instant::now() < deadline {
                if let Some(pid) = rustc_compiling(&staged) {
                    return Command::new("kill")
                        .args(["-KILL", &pid.to_string()])
                        .status()
                        .is_ok_and(|s| s.success());
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            false
        });
        let report = real_run(&s, &rustc);
        (killer.join().unwrap(), report)
    });
    let (was_killed, first) = killed;
    assert!(
        was_killed,
        "rustc was never seen compiling {}",
        staged.display()
    );
    // trybuild took the killed build for one without errors and ran the
    // program, so cargo compiled it again. Only that second compile was
    // recorded: one compile in this run, though rustc was started twice.
    let summary = terminal::summary(&first, None, true);
    assert_eq!(compiles(&first, "listing-16-91-slow"), 1, "{summary}");
    assert_eq!(first.failed(), 0, "{summary}");
    let records = s.records(&rustc, true);
    let kept: Vec<_> = records
        .compiles("trybuild000")
        .into_iter()
        .filter(|c| c.run == first.run_id)
        .collect();
    assert!(
        kept.len() == 1 && kept[0].code == 0 && kept[0].source == staged,
        "{kept:?}"
    );

    // The next run finds it fresh, and the record of that compile still valid.
    let second = real_run(&s, &rustc);
    assert_eq!(
        second.failed(),
        0,
        "{}",
        terminal::summary(&second, None, true)
    );
    assert_eq!(compiles(&second, "listing-16-91-slow"), 0);
}

// 12. Checkouts sharing one target directory.

/// Copy the checkout's sources (not `target/`) to `to`, every file new, as
/// a fresh clone has them.
fn clone_checkout(to: &Path) {
    fn copy(from: &Path, to: &Path) {
        if from.is_dir() {
            fs::create_dir_all(to).unwrap();
            for entry in fs::read_dir(from).unwrap() {
                let entry = entry.unwrap();
                copy(&entry.path(), &to.join(entry.file_name()));
            }
        } else {
            fs::copy(from, to)
                .unwrap_or_else(|e| panic!("{} -> {}: {e}", from.display(), to.display()));
        }
    }
    let _ = fs::remove_dir_all(to);
    fs::create_dir_all(to).unwrap();
    let here = crate_dir();
    for entry in [
        "Cargo.toml",
        "Cargo.lock",
        ".cargo",
        "src",
        "tests",
        "ui",
        "xtask",
    ] {
        if here.join(entry).exists() {
            copy(&here.join(entry), &to.join(entry));
        }
    }
}

/// `cargo test --test ui` in `clone`, with `target` as its target
/// directory and a filter no fixture matches: nothing is compiled, and the
/// "filtered out" count says which tree was loaded.
fn ui_in_clone(clone: &Path, target: &Path) -> (bool, String) {
    let ran = cargo(
        clone,
        &[
            "test",
            "--quiet",
            "--test",
            "ui",
            "--",
            "ch16-no-fixture-matches-this",
        ],
        &[("CARGO_TARGET_DIR", target.as_os_str())],
    );
    (ran.ok, format!("{}{}", ran.stdout, ran.stderr))
}

/// What a `cargo` command said.
struct Ran {
    ok: bool,
    stdout: String,
    stderr: String,
}

/// `cargo <args>` in `dir` with `env`, and none of the suite's own
/// protocol (nor GitHub's variables) inherited from this test run.
fn cargo(dir: &Path, args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Ran {
    let out = ch16_ui::emit::not_for_github(&mut Command::new("cargo"))
        .current_dir(dir)
        .args(args)
        .env_remove(ch16_ui::protocol::ROOT_ENV)
        .env_remove(ch16_ui::protocol::COLLECT_ENV)
        .env_remove("CH16_UI_LIST")
        .env_remove("TRYBUILD")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    Ran {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Each clone either checks its own tree, or stops and says why and how to
/// fix it; never another clone's tree.
fn checks_own_tree_or_stops(clone: &Path, target: &Path, fixtures: usize) -> bool {
    let (ok, text) = ui_in_clone(clone, target);
    if ok {
        assert!(
            text.contains(&format!("0 measured; {fixtures} filtered out")),
            "{} checked another tree than its own ({fixtures} fixtures):\n{text}",
            clone.display()
        );
        return false;
    }
    assert!(
        text.contains("this program was built in another checkout")
            && text.contains(&format!("not in this one ({})", clone.display()))
            && text.contains("cargo clean -p ch16-ui -p xtask"),
        "{} failed, but not by stopping for another checkout's build:\n{text}",
        clone.display()
    );
    true
}

#[test]
fn two_clones_sharing_a_target_directory_each_check_their_own_tree_or_stop() {
    let base = crate_dir().join("target/ch16-scratch/two-clones");
    // Kept between runs, so only the suite itself is rebuilt.
    let target = base.join("target");
    let (a, b) = (base.join("a"), base.join("b"));
    let all = Suite::load(&crate_dir()).unwrap().fixtures.len();

    // A is cloned and tested; B is cloned later, one fixture fewer, and
    // tested: its sources are newer, so cargo rebuilds for it.
    clone_checkout(&a);
    assert!(
        !checks_own_tree_or_stops(&a, &target, all),
        "A alone must run"
    );
    clone_checkout(&b);
    let gone = b.join("ui/ch16-beyond");
    for entry in fs::read_dir(&gone).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("beyond-15-")
        {
            fs::remove_file(path).unwrap();
        }
    }
    assert!(
        !checks_own_tree_or_stops(&b, &target, all - 1),
        "B's sources are newer"
    );
    // Back in A, B's build looks current to cargo.
    let a_stopped = checks_own_tree_or_stops(&a, &target, all);

    // The fix the message gives, in A; then B, older than A's new build.
    let clean = Command::new("cargo")
        .current_dir(&a)
        .args(["clean", "--quiet", "-p", "ch16-ui", "-p", "xtask"])
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .unwrap();
    assert!(clean.success());
    assert!(
        !checks_own_tree_or_stops(&a, &target, all),
        "A after the fix must run"
    );
    let b_stopped = checks_own_tree_or_stops(&b, &target, all - 1);
    // The case this test is about must have occurred at least once.
    assert!(
        a_stopped || b_stopped,
        "cargo rebuilt for each clone: the shared-target hazard did not occur here"
    );
    let _ = fs::remove_dir_all(&a);
    let _ = fs::remove_dir_all(&b);
}

// 13. Stopping a run: every batch and child stops, nothing is written after.

/// A process, as /proc shows it.
#[cfg(target_os = "linux")]
struct Proc {
    pid: i32,
    ppid: i32,
    args: Vec<String>,
    cwd: PathBuf,
}

#[cfg(target_os = "linux")]
fn processes() -> Vec<Proc> {
    let Ok(dir) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| {
        let pid: i32 = e.ok()?.file_name().to_str()?.parse().ok()?;
        let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // `pid (comm) state ppid …`; comm may hold spaces.
        let after = &stat[stat.rfind(')')? + 2..];
        let mut fields = after.split(' ');
        let state = fields.next()?;
        let ppid = fields.next()?.parse().ok()?;
        if state == "Z" {
            return None;
        }
        let cmdline = fs::read(format!("/proc/{pid}/cmdline")).ok()?;
        let args = cmdline
            .split(|&b| b == 0)
            .filter(|a| !a.is_empty())
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        let cwd = fs::read_link(format!("/proc/{pid}/cwd")).unwrap_or_default();
        Some(Proc {
            pid,
            ppid,
            args,
            cwd,
        })
    })
    .collect()
}

/// Processes working in or on `root`: trybuild's cargo, rustc, the
/// observer, the fixtures' programs.
#[cfg(target_os = "linux")]
fn working_under(root: &Path) -> Vec<String> {
    let needle = format!("{}/", root.display());
    processes()
        .into_iter()
        .filter(|p| p.cwd.starts_with(root) || p.args.iter().any(|a| a.contains(&needle)))
        .map(|p| format!("{} {}", p.pid, p.args.join(" ")))
        .collect()
}

/// Wait up to `secs` for `done`; whether it came.
fn within(secs: u64, mut done: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < end {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    done()
}

/// Every file under `dir` with its size and modification time.
fn snapshot(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
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

/// A scratch suite whose runnable fixture sleeps `CH16_STOP_SLEEP` seconds
/// (its program is `trybuild000` of its shard), beside a compile-fail one.
#[cfg(target_os = "linux")]
fn sleeper_suite(name: &str) -> Scratch {
    let s = Scratch::in_crate(name);
    let sleeper = "fn main() {\n    let secs = std::env::var(\"CH16_STOP_SLEEP\").ok().and_then(|s| s.parse().ok()).unwrap_or(1);\n    \
                   std::thread::sleep(std::time::Duration::from_secs(secs));\n    println!(\"slept\");\n}\n";
    s.fixture(
        "listing-16-01-sleeper",
        "run",
        "//! output: exact\n//! timeout: 120s\n",
        sleeper,
        Some("slept\n"),
    )
    .fixture(
        "listing-16-02-cf",
        "compile-fail E0308",
        "//! fixed-by: listing-16-01\n",
        "fn main() {\n    let x: i32 = \"no\"; //~ ERROR E0308\n}\n",
        None,
    );
    // Blessed for no compiler: outcomes only, whatever the version.
    s.write("ui/toolchains.txt", "1.80\n");
    s
}

/// `cargo test --test ui` on the scratch suite, in a process group of its
/// own, started through `sh` so that SIGINT can be ignored from the start.
#[cfg(target_os = "linux")]
fn start_ui(s: &Scratch, sleep: u64, ignore_sigint: bool) -> std::process::Child {
    use std::os::unix::process::CommandExt;
    let trap = if ignore_sigint { "trap '' INT; " } else { "" };
    ch16_ui::emit::not_for_github(&mut Command::new("sh"))
        .arg("-c")
        .arg(format!("{trap}exec cargo test --quiet --test ui"))
        .current_dir(crate_dir())
        .env(ch16_ui::protocol::ROOT_ENV, &s.root)
        .env("CH16_STOP_SLEEP", sleep.to_string())
        .env_remove(ch16_ui::protocol::COLLECT_ENV)
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Wait until the program `trybuild000` under `root` runs (the sleeping
/// fixture); fails with the output if `child` ends first.
#[cfg(target_os = "linux")]
fn until_sleeping(child: &mut std::process::Child, root: &Path, secs: u64) {
    let root = root.to_string_lossy().into_owned();
    let sleeping = || {
        processes().iter().any(|p| {
            p.args
                .first()
                .is_some_and(|a| a.starts_with(&root) && a.ends_with("/trybuild000"))
        })
    };
    let mut ended = false;
    let came = within(secs, || {
        ended = ended || child.try_wait().unwrap().is_some();
        ended || sleeping()
    });
    if ended || !came {
        let _ = unsafe { libc::kill(-(child.id() as i32), libc::SIGTERM) };
        let mut out = String::new();
        use std::io::Read;
        for stream in [
            child.stdout.take().map(|s| Box::new(s) as Box<dyn Read>),
            child.stderr.take().map(|s| Box::new(s) as Box<dyn Read>),
        ]
        .into_iter()
        .flatten()
        {
            let mut stream = stream;
            let _ = stream.read_to_string(&mut out);
        }
        panic!("the sleeping fixture never ran:\n{out}");
    }
}

/// The suite's own process under `cargo` (pid `cargo`), once the sleeping
/// fixture's program runs.
#[cfg(target_os = "linux")]
fn ui_once_sleeping(cargo: &mut std::process::Child, s: &Scratch) -> i32 {
    until_sleeping(cargo, &s.root, 120);
    let cargo = cargo.id() as i32;
    processes()
        .into_iter()
        .find(|p| p.ppid == cargo && p.args.first().is_some_and(|a| a.contains("/deps/ui-")))
        .expect("cargo runs the suite")
        .pid
}

/// Signal `sig` to the suite's process mid-run: it and everything under the
/// scratch root stop within seconds, and nothing is written afterwards.
#[cfg(target_os = "linux")]
fn stops_on(s: &Scratch, sig: i32) {
    let durations = Workdirs::new(&s.root, &rustc().key()).durations();
    let _ = fs::remove_file(&durations);
    let mut child = start_ui(s, 60, false);
    let ui = ui_once_sleeping(&mut child, s);
    let sent = Instant::now();
    assert_eq!(unsafe { libc::kill(ui, sig) }, 0);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Its handler ran (rather than the signal's default action), and ended
    // it the way a shell reports that signal.
    assert!(
        !out.status.success() && stderr.contains(&format!("(exit status: {})", 128 + sig)),
        "{stdout}{stderr}"
    );
    assert!(
        within(5, || working_under(&s.root).is_empty()),
        "still running {:.1}s after signal {sig}: {:#?}",
        sent.elapsed().as_secs_f64(),
        working_under(&s.root)
    );
    // The run ended where it was: no summary, no durations saved, and
    // nothing changes in its directories any more.
    assert!(!stdout.contains("test result:"), "{stdout}");
    assert!(!durations.exists(), "written after signal {sig}");
    let before = snapshot(&s.root.join("target"));
    std::thread::sleep(Duration::from_secs(1));
    assert!(
        before == snapshot(&s.root.join("target")),
        "files changed after signal {sig}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_stopped_run_stops_every_batch_and_writes_nothing_after() {
    let s = sleeper_suite("stop-ui");
    // A first, whole run (which also builds trybuild's projects).
    let first = start_ui(&s, 0, false).wait_with_output().unwrap();
    assert!(
        first.status.success(),
        "{}{}",
        String::from_utf8_lossy(&first.stdout),
        String::from_utf8_lossy(&first.stderr)
    );
    stops_on(&s, libc::SIGTERM);
    stops_on(&s, libc::SIGINT);

    // Killed outright, the suite cannot stop its batches: they stop
    // themselves when it dies.
    let mut child = start_ui(&s, 60, false);
    let ui = ui_once_sleeping(&mut child, &s);
    assert_eq!(unsafe { libc::kill(ui, libc::SIGKILL) }, 0);
    let _ = child.wait_with_output().unwrap();
    assert!(
        within(5, || working_under(&s.root).is_empty()),
        "still running after the suite was killed: {:#?}",
        working_under(&s.root)
    );

    // Started with SIGINT ignored (a shell's background job), the run does
    // not stop on it, and finishes.
    let mut child = start_ui(&s, 2, true);
    let ui = ui_once_sleeping(&mut child, &s);
    assert_eq!(unsafe { libc::kill(ui, libc::SIGINT) }, 0);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("test result: ok."),
        "{stdout}"
    );
}

/// `cargo xtask bless`, stopped while a toolchain's run is under way: its
/// `cargo test`, the suite and every batch stop, and the tree is unchanged.
/// On a clone of the checkout (bless must never run on the real `ui/`).
#[cfg(target_os = "linux")]
#[test]
fn a_stopped_bless_stops_every_toolchain_run_and_changes_nothing() {
    use std::os::unix::process::CommandExt;
    let base = crate_dir().join("target/ch16-scratch/stop-xtask");
    let (clone, target) = (base.join("clone"), base.join("target"));
    clone_checkout(&clone);
    let sleeper = "fn main() {\n    let secs = std::env::var(\"CH16_STOP_SLEEP\").ok().and_then(|s| s.parse().ok()).unwrap_or(1);\n    \
                   std::thread::sleep(std::time::Duration::from_secs(secs));\n    println!(\"slept\");\n}\n";
    fs::write(
        clone.join("ui/ch16-01-threads/listing-16-99-sleeper.rs"),
        source(
            "listing-16-99",
            "run",
            "//! output: exact\n//! timeout: 120s\n",
            sleeper,
        ),
    )
    .unwrap();
    let tree = snapshot(&clone.join("ui"));
    let rustc_path = Path::new(&rustc().sysroot).join("bin/rustc");
    let mut child = ch16_ui::emit::not_for_github(&mut Command::new("cargo"))
        .current_dir(&clone)
        .args([
            "run",
            "--quiet",
            "--package",
            "xtask",
            "--",
            "bless",
            "--filter",
            "16-99",
            "--rustc",
        ])
        .arg(&rustc_path)
        .env("CARGO_TARGET_DIR", &target)
        .env("CH16_STOP_SLEEP", "60")
        .env_remove(ch16_ui::protocol::ROOT_ENV)
        .env_remove(ch16_ui::protocol::COLLECT_ENV)
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    until_sleeping(&mut child, &clone, 300);
    // `cargo run` becomes the program it runs (exec).
    let xtask = child.id() as i32;
    assert!(
        processes()
            .iter()
            .any(|p| p.pid == xtask && p.args.first().is_some_and(|a| a.ends_with("/xtask"))),
        "cargo runs the xtask"
    );
    assert_eq!(unsafe { libc::kill(xtask, libc::SIGTERM) }, 0);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.code() == Some(143), "{stdout}{stderr}");
    assert!(
        within(5, || working_under(&clone).is_empty()),
        "still running after bless was stopped: {:#?}",
        working_under(&clone)
    );
    assert!(!stdout.contains("summary"), "{stdout}");
    assert!(
        tree == snapshot(&clone.join("ui")),
        "bless changed ui/ after it was stopped"
    );
    assert!(!clone.join(ch16_ui::journal::PENDING).exists());
    let _ = fs::remove_dir_all(&clone);
}

// 14. What `cargo test` prints: little when all pass, the fix when not.

/// `cargo test --test ui` on the scratch suite `s`, its output piped.
fn ui_output(s: &Scratch) -> (bool, String) {
    let root = [(ch16_ui::protocol::ROOT_ENV, s.root.as_os_str())];
    let ran = cargo(&crate_dir(), &["test", "--quiet", "--test", "ui"], &root);
    (ran.ok, ran.stdout)
}

#[test]
fn a_passing_run_is_quiet_and_a_drifted_stderr_is_named_with_its_diff_and_fix() {
    let s = Scratch::in_crate("quiet");
    let rustc = rustc();
    let code = "fn main() {\n    let x: i32 = \"no\"; //~ ERROR E0308\n}\n";
    s.fixture(
        "listing-16-91-cf",
        "compile-fail E0308",
        "//! fixed-by: listing-16-92\n",
        code,
        None,
    )
    .fine("listing-16-92-ok")
    .fine("listing-16-93-ok");
    // The expectation as bless would write it: what trybuild saw.
    let observed = harness::run(
        &Options {
            crate_dir: &crate_dir(),
            record_diagnostics: true,
            ..options(&s, &rustc)
        },
        &REAL,
    )
    .unwrap();
    let stderr = observed.fixtures[0]
        .actual(ch16_ui::expect::Kind::Stderr)
        .expect("trybuild wrote the diagnostics")
        .to_string();
    s.write("ui/ch16-01-threads/listing-16-91-cf.stderr", &stderr);

    let (ok, out) = ui_output(&s);
    assert!(ok, "{out}");
    let lines = out.lines().filter(|l| !l.trim().is_empty()).count();
    assert!(lines <= 25, "{lines} lines:\n{out}");
    assert!(
        !out.contains('\u{1b}'),
        "escape codes in piped output:\n{out}"
    );
    assert!(
        !out.contains("Blocking waiting") && !out.contains("listing-16-92-ok"),
        "{out}"
    );

    // One line of the expectation edited by hand.
    let edited: String = stderr
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 2 {
                format!("{l} (edited)\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    s.write("ui/ch16-01-threads/listing-16-91-cf.stderr", &edited);
    let (ok, out) = ui_output(&s);
    assert!(!ok, "{out}");
    for needle in [
        "FAIL ui/ch16-01-threads/listing-16-91-cf.rs",
        "ui/ch16-01-threads/listing-16-91-cf.stderr differs from what",
        "(edited)",
        "run `cargo xtask bless --filter 16-91`",
    ] {
        assert!(out.contains(needle), "no `{needle}` in:\n{out}");
    }
    // The diff's changed line, marked as removed, and no staged paths.
    assert!(
        out.lines()
            .any(|l| l.trim_start().starts_with('-') && l.ends_with("(edited)")),
        "{out}"
    );
    assert!(
        !out.contains("TRYBUILD=overwrite") && !out.contains("/stage/"),
        "{out}"
    );
    assert!(!out.contains('\u{1b}'), "{out}");
    assert!(
        !out.lines().any(|l| l.starts_with("::")),
        "a workflow command outside GitHub Actions:\n{out}"
    );

    // On GitHub Actions the same drift is also an annotation on the
    // expectation's first differing line (the edited third), grouped by
    // section, and a line of the job's summary.
    let summary = s.root.join("step-summary.md");
    let ran = cargo(
        &crate_dir(),
        &["test", "--quiet", "--test", "ui"],
        &[
            (ch16_ui::protocol::ROOT_ENV, s.root.as_os_str()),
            ("GITHUB_ACTIONS", "true".as_ref()),
            ("GITHUB_STEP_SUMMARY", summary.as_os_str()),
        ],
    );
    assert!(!ran.ok, "{}", ran.stdout);
    let error = ran
        .stdout
        .lines()
        .find(|l| l.starts_with("::error "))
        .unwrap_or_else(|| panic!("no ::error line:\n{}", ran.stdout));
    assert!(
        error.starts_with("::error file=ui/ch16-01-threads/listing-16-91-cf.stderr,line=3,title=")
            && error.contains("(edited)%0A")
            && !error[error.find("::").unwrap() + 2..].contains('\n'),
        "{error}"
    );
    assert!(
        ran.stdout
            .contains("::group::ui/ch16-01-threads: 1 failing fixture(s)")
            && ran.stdout.contains("::endgroup::"),
        "{}",
        ran.stdout
    );
    let written = fs::read_to_string(&summary).expect("the job summary was written");
    assert!(
        written.contains("| `ui/ch16-01-threads/listing-16-91-cf.rs` | stderr-text | `ui/ch16-01-threads/listing-16-91-cf.stderr:3` |"),
        "{written}"
    );
}

#[test]
fn a_header_typo_is_listed_by_file_and_line_not_as_a_panic() {
    let s = Scratch::in_crate("typo");
    s.fine("listing-16-91-ok");
    let text = fs::read_to_string(s.root.join("ui/ch16-01-threads/listing-16-91-ok.rs")).unwrap();
    s.write(
        "ui/ch16-01-threads/listing-16-91-ok.rs",
        &text.replace("//! caption:", "//! captoin:"),
    );
    for test in ["catalogue", "ui"] {
        let root = [(ch16_ui::protocol::ROOT_ENV, s.root.as_os_str())];
        let ran = cargo(&crate_dir(), &["test", "--quiet", "--test", test], &root);
        let text = format!("{}{}", ran.stdout, ran.stderr);
        assert!(!ran.ok, "{test}: {text}");
        assert!(
            text.contains(
                "ui/ch16-01-threads/listing-16-91-ok.rs:2: unknown header field `captoin`"
            ) && text.contains("fix: use one of: listing, caption"),
            "{test}: {text}"
        );
        assert!(
            !text.contains("panicked") && !text.contains("backtrace"),
            "{test}: {text}"
        );
    }
}

#[test]
fn xtask_progress_starts_with_the_build_and_counts_fixtures_in_order() {
    // `check` writes no expectation: safe on the checkout itself.
    let rustc_path = Path::new(&rustc().sysroot).join("bin/rustc");
    let (ok, stdout) = xtask(&[
        "check",
        "--filter",
        "16-13",
        "--rustc",
        rustc_path.to_str().unwrap(),
    ]);
    assert!(ok, "{stdout}");
    let at = |needle: &str| {
        stdout
            .find(needle)
            .unwrap_or_else(|| panic!("no `{needle}` in:\n{stdout}"))
    };
    // The first thing said, then the count from zero to the end, then done.
    assert!(at("building the suite") < at("0/1 fixtures"), "{stdout}");
    assert!(at("0/1 fixtures") < at("1/1 fixtures"), "{stdout}");
    assert!(at("1/1 fixtures") < at("done in"), "{stdout}");
    assert!(
        at("checking 1 fixture(s)") < at("building the suite"),
        "{stdout}"
    );
}

/// `cargo xtask …` in the checkout (for commands that write nothing there
/// but `target/`): success and stdout plus stderr.
fn xtask(args: &[&str]) -> (bool, String) {
    let command = [&["run", "--quiet", "--package", "xtask", "--"], args].concat();
    let ran = cargo(&crate_dir(), &command, &[]);
    (ran.ok, format!("{}{}", ran.stdout, ran.stderr))
}

#[test]
fn show_names_the_expectation_that_applies_its_variants_and_the_raw_output() {
    let rustc_path = Path::new(&rustc().sysroot).join("bin/rustc");
    let rustc_arg = rustc_path.to_str().unwrap();
    let (_, out) = xtask(&["show", "16-06", "--rustc", rustc_arg]);
    let suite = Suite::load(&crate_dir()).unwrap();
    let fixture = suite
        .fixtures
        .iter()
        .find(|f| f.short_id() == "16-06")
        .unwrap();
    let mut needles: Vec<String> = fixture
        .expectations
        .iter()
        .map(|e| match e.key {
            None => format!("{}  (from the oldest recorded compiler", e.path.display()),
            Some(v) => format!("{}  (from rustc {v})", e.path.display()),
        })
        .collect();
    needles.extend([
        "<- applies to".to_string(),
        "run directly on".to_string(),
        // The reader's own compiler prints the real path, not trybuild's `$DIR`.
        format!("--> {}:", fixture.display_path()),
    ]);
    for needle in needles {
        assert!(out.contains(&needle), "no `{needle}` in:\n{out}");
    }
    // One fixture per short id; a query that matches several lists them.
    let (ok, out) = xtask(&["show", "16-0"]);
    assert!(
        !ok && out.contains("matches") && out.contains("16-02  (ui/ch16-01-threads/"),
        "{out}"
    );
    let (ok, out) = xtask(&["show", "--help"]);
    assert!(ok && out.starts_with("usage: cargo xtask"), "{out}");
}

/// A compiler named `name` of the current one's version, as a run of it
/// would describe it.
fn twin(name: &str, commit: &str) -> Rustc {
    let mut r = rustc();
    r.source = Source::Path(PathBuf::from(format!("/opt/{name}/bin/rustc")));
    r.commit = commit.into();
    r
}

/// A run of `rustc` in which the fixture at `path` gave `stderr`.
fn run_saying(rustc: &Rustc, path: &str, stderr: &str) -> Report {
    Report {
        label: rustc.label(),
        release: rustc.release.clone(),
        version: rustc.version,
        fixtures: vec![ch16_ui::report::FixtureReport {
            path: path.into(),
            describe: String::new(),
            compile_fail: true,
            observed: true,
            problems: Vec::new(),
            actual: vec![(ch16_ui::expect::Kind::Stderr, stderr.into())],
            compiles: 1,
        }],
        compile_fail: (1, BatchStatus::Ok),
        pass: (0, BatchStatus::None),
        observed_only: true,
        logs: Vec::new(),
        blessed: true,
        record: vec![rustc.version],
        filtered_out: 0,
        rust_src_hidden: false,
        run_id: "test".into(),
    }
}

#[test]
fn two_compilers_of_one_version_that_disagree_are_refused_with_the_diff_and_a_command_that_works() {
    use ch16_ui::plan::{self, Cell};
    let s = Scratch::new("disagree");
    let code = "fn main() {\n    let x: i32 = \"no\"; //~ ERROR E0308\n}\n";
    s.fails(
        "listing-16-91-cf",
        "E0308",
        "listing-16-92",
        code,
        "error: old\n",
    )
    .fine("listing-16-92-ok");
    let path = "ui/ch16-01-threads/listing-16-91-cf.rs";
    let (a, b) = (twin("a", "aaaaaaaaaaaa"), twin("b", "bbbbbbbbbbbb"));
    let mut other = twin("other", "cccccccccccc");
    other.version.minor += 1;
    other.release = format!("{}.{}.0", other.version.major, other.version.minor);
    let runs = vec![
        (a.clone(), run_saying(&a, path, "error: mismatched types\n")),
        (
            b.clone(),
            run_saying(&b, path, "error: mismatched types (reworded)\n"),
        ),
        (
            other.clone(),
            run_saying(&other, path, "error: mismatched types\n"),
        ),
    ];
    let suite = Suite::load(&s.root).unwrap();
    let filters = ["16-91".to_string()];
    let p = plan::plan(&suite, &runs[..2], &filters).unwrap();
    let refusal = p.refusals.join("\n");
    for needle in [
        format!(
            "{path}: {} and {} are both version {}",
            a.label(),
            b.label(),
            a.version
        ),
        "disagree on its .stderr".to_string(),
        "-error: mismatched types\n".to_string(),
        "+error: mismatched types (reworded)\n".to_string(),
        "`cargo xtask bless --rustc /opt/a/bin/rustc --filter 16-91`".to_string(),
        "`cargo xtask bless --rustc /opt/b/bin/rustc --filter 16-91`".to_string(),
    ] {
        assert!(refusal.contains(&needle), "no `{needle}` in:\n{refusal}");
    }
    let record = Path::new(ch16_ui::expect::RECORD);
    assert!(
        p.changes.iter().all(|c| c.path() == record),
        "nothing is written for the fixture"
    );
    // Without --filter, a third compiler that is not involved is held, not
    // refused. (Its version is new, so the record would change.)
    let p = plan::plan(&suite, &runs, &[]).unwrap();
    let row = &p.table.iter().find(|(f, _)| f == path).unwrap().1;
    assert_eq!(row, &[Cell::Refused, Cell::Refused, Cell::Held]);
    // The command given works: blessing one of them alone is not refused.
    let p = plan::plan(&suite, &runs[..1], &filters).unwrap();
    assert!(p.refusals.is_empty(), "{:?}", p.refusals);
    let stderr = Path::new("ui/ch16-01-threads/listing-16-91-cf.stderr");
    assert!(
        p.changes.iter().any(|c| c.path() == stderr),
        "the .stderr is rewritten from `old`"
    );
}

// 15. The compiler's own fix, checked.

#[test]
fn the_compilers_suggestion_is_checked_against_the_fixture_it_claims_to_give() {
    let checkout = crate_dir();
    let s = Scratch::in_crate("suggestion");
    let names = [
        "listing-16-03-borrow-in-thread.rs",
        "listing-16-03-borrow-in-thread.stderr",
        "listing-16-03-borrow-in-thread.fixed",
        "listing-16-04-drop-while-borrowed.rs",
        "listing-16-04-drop-while-borrowed.stderr",
        "listing-16-04-drop-while-borrowed.fixed",
        "listing-16-05-move-closure.rs",
        "listing-16-05-move-closure.stdout",
        "output-only-01-move-drop.rs",
        "output-only-01-move-drop.stderr",
    ];
    for name in names {
        let rel = format!("ui/ch16-01-threads/{name}");
        fs::copy(checkout.join(&rel), s.root.join(&rel)).unwrap();
    }
    s.write(
        "ui/toolchains.txt",
        &fs::read_to_string(checkout.join("ui/toolchains.txt")).unwrap(),
    );
    let rustc = rustc();
    let run = |filter: &str| {
        harness::run(
            &Options {
                crate_dir: &checkout,
                filters: &[filter.to_string()],
                ..options(&s, &rustc)
            },
            &REAL,
        )
        .unwrap()
    };
    let r = run("ch16-01-threads");
    if !r.blessed {
        println!(
            "SKIPPED the_compilers_suggestion_is_checked_…: rustc {} was never blessed, so there is no .fixed to compare",
            rustc.version
        );
        return;
    }
    assert_eq!(r.failed(), 0, "{}", terminal::summary(&r, None, true));

    // Code the suggestion no longer gives: a renamed variable (16-05 prints
    // the same), then the same in output-only-01.
    let rename = |file: &str, from: &str, to: &str| {
        let path = s.root.join("ui/ch16-01-threads").join(file);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replace(from, to)).unwrap();
        text
    };
    for (claimant, stem, file, gives) in [
        (
            "16-03",
            "listing-16-03-borrow-in-thread",
            "listing-16-05-move-closure.rs",
            "listing-16-05",
        ),
        (
            "16-04",
            "listing-16-04-drop-while-borrowed",
            "output-only-01-move-drop.rs",
            "output-only-01-move-drop",
        ),
    ] {
        let original = rename(file, "handle", "h");
        let r = run(claimant);
        let claim = messages(&r, stem, Check::FixClaim);
        let text = claim.join("\n");
        assert!(
            text.contains(&format!("no longer gives {gives}'s code"))
                && text
                    .lines()
                    .any(|l| l.starts_with('-') && l.contains("let handle"))
                && text
                    .lines()
                    .any(|l| l.starts_with('+') && l.contains("let h ")),
            "{claimant}: {}",
            terminal::summary(&r, None, true)
        );
        fs::write(s.root.join("ui/ch16-01-threads").join(file), original).unwrap();
    }

    // A `.fixed` edited by hand fails like a `.stderr`: a diff and the bless.
    let fixed = s
        .root
        .join("ui/ch16-01-threads/listing-16-03-borrow-in-thread.fixed");
    let text = fs::read_to_string(&fixed).unwrap();
    fs::write(&fixed, text.replace("move ||", "move  ||")).unwrap();
    let r = run("16-03");
    let fix = messages(&r, "listing-16-03-borrow-in-thread", Check::Fix).join("\n");
    assert!(
        fix.contains(
            "the fixed code differs from `ui/ch16-01-threads/listing-16-03-borrow-in-thread.fixed`"
        ) && fix.contains("-    let handle = thread::spawn(move  || {")
            && fix.contains("`cargo xtask bless --filter 16-03`"),
        "{}",
        terminal::summary(&r, None, true)
    );
}
