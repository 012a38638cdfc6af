//! Bad input and faults, each on a scratch fixture tree built in a temporary
//! directory (never the real `ui/`), with the exact outcome asserted.
//!
//! trybuild is replaced by a recorder here: these tests are about what the
//! suite itself decides, including what it hands to trybuild.

use ch16_ui::check::Check;
use ch16_ui::collect::Batch;
use ch16_ui::harness::{self, Options, PassBatch, Report, Trybuild};
use ch16_ui::run::Reuse;
use ch16_ui::toolchain::{self, Rustc};
use ch16_ui::{Suite, stage::Workdirs};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A temporary suite root, removed on drop.
struct Scratch {
    root: PathBuf,
}

impl Scratch {
    fn new(name: &str) -> Scratch {
        let root =
            std::env::temp_dir().join(format!("ch16-hardening-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("ui/ch16-01-threads")).unwrap();
        let s = Scratch { root };
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

    fn load_errors(&self) -> Vec<String> {
        match Suite::load(&self.root) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.iter().map(ToString::to_string).collect(),
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

fn source(id: &str, expect: &str, extra: &str, code: &str) -> String {
    format!(
        "//! listing: {id}\n//! caption: scratch\n//! section: 16.1 scratch\n\
         //! url: https://doc.rust-lang.org/book/ch16-01-threads.html#scratch\n//! expect: {expect}\n{extra}\
         //!\n//! A scratch fixture for the hardening tests.\n//! It exists only in a temporary tree.\n\n{code}"
    )
}

/// Line of `needle` in the fixture source (1-based).
fn line_of(id: &str, expect: &str, extra: &str, code: &str, needle: &str) -> usize {
    source(id, expect, extra, code)
        .lines()
        .position(|l| l.contains(needle))
        .unwrap()
        + 1
}

fn rustc() -> Rustc {
    toolchain::detect(None).expect("a working rustc")
}

/// What trybuild was asked to do.
#[derive(Default)]
struct Recorder {
    calls: Mutex<Vec<(bool, Vec<String>)>>,
    cancelled: std::sync::Arc<Mutex<usize>>,
}

impl Recorder {
    /// The paths of the last batch of each kind.
    fn given(&self, pass: bool) -> Vec<String> {
        let calls = self.calls.lock().unwrap();
        calls
            .iter()
            .rev()
            .find(|c| c.0 == pass)
            .map(|c| c.1.clone())
            .unwrap_or_default()
    }
}

impl Trybuild for Recorder {
    fn compile_fail(&self, paths: &[&str]) -> Batch {
        let paths = paths.iter().map(|p| p.to_string()).collect();
        self.calls.lock().unwrap().push((false, paths));
        Batch::Ok
    }

    fn start_pass(&self, fixtures: &[(String, Option<Duration>)]) -> Box<dyn PassBatch> {
        let paths = fixtures.iter().map(|(p, _)| p.clone()).collect();
        self.calls.lock().unwrap().push((true, paths));
        Box::new(RecordedPass(std::sync::Arc::clone(&self.cancelled)))
    }
}

struct RecordedPass(std::sync::Arc<Mutex<usize>>);

impl PassBatch for RecordedPass {
    fn wait(self: Box<Self>) -> Batch {
        Batch::Ok
    }

    fn cancel(self: Box<Self>) {
        *self.0.lock().unwrap() += 1;
    }
}

fn run(s: &Scratch, recorder: &Recorder) -> Report {
    let rustc = rustc();
    let opts = Options {
        root: &s.root,
        crate_dir: &s.root,
        rustc: &rustc,
        filters: &[],
        collect: false,
        reuse: Reuse::IfUnchanged,
        target_dir: None,
    };
    harness::run(&opts, recorder).expect("the harness runs")
}

fn messages(report: &Report, stem: &str, check: Check) -> Vec<String> {
    report
        .problems(&format!("ui/ch16-01-threads/{stem}.rs"))
        .unwrap_or_else(|| panic!("{stem} did not run"))
        .iter()
        .filter(|p| p.check == check)
        .map(|p| p.message.clone())
        .collect()
}

const OK_RUN: &str = "fn main() {\n    println!(\"fine\");\n}\n";

// 1. Wrong outcomes.

#[test]
fn compile_fail_fixture_that_compiles() {
    let s = Scratch::new("compiles");
    let extra = "//! fixed-by: listing-16-92\n";
    let code = "fn main() {} //~ ERROR E0308\n";
    s.fixture(
        "listing-16-91-compiles",
        "compile-fail E0308",
        extra,
        code,
        Some("error[E0308]: …\n"),
    )
    .fixture(
        "listing-16-92-ok",
        "run",
        "//! output: exact\n",
        OK_RUN,
        Some("fine\n"),
    );
    let r = run(&s, &Recorder::default());
    assert_eq!(
        messages(&r, "listing-16-91-compiles", Check::Outcome),
        [
            "compiled, but is expected to fail with E0308; make it fail again, or change `expect` to `run`"
        ]
    );
    let line = line_of(
        "listing-16-91",
        "compile-fail E0308",
        extra,
        code,
        "fn main",
    );
    assert_eq!(
        messages(&r, "listing-16-91-compiles", Check::Annotations),
        [format!(
            "the `//~` annotations disagree with the compiler:\n    annotated but not reported: line {line}: ERROR E0308"
        )]
    );
    assert!(
        r.problems("ui/ch16-01-threads/listing-16-92-ok.rs")
            .unwrap()
            .is_empty()
    );
    assert_eq!(r.failed(), 1);
}

#[test]
fn runnable_fixture_that_does_not_compile_panics_or_exits_non_zero() {
    let s = Scratch::new("runfail");
    let out = "//! output: exact\n";
    s.fixture(
        "listing-16-91-type-error",
        "run",
        out,
        "fn main() {\n    let x: i32 = \"no\";\n}\n",
        Some(""),
    )
    .fixture(
        "listing-16-92-panics",
        "run",
        out,
        "fn main() {\n    panic!(\"boom\");\n}\n",
        Some(""),
    )
    .fixture(
        "listing-16-93-exit",
        "run",
        out,
        "fn main() {\n    std::process::exit(3);\n}\n",
        Some(""),
    );
    let r = run(&s, &Recorder::default());
    let line = line_of(
        "listing-16-91",
        "run",
        out,
        "fn main() {\n    let x: i32 = \"no\";\n}\n",
        "let x",
    );
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
    assert!(panicked[0].contains("boom"), "{panicked:?}");
    assert_eq!(
        messages(&r, "listing-16-93-exit", Check::Outcome),
        ["exited with exit status: 3, expected success\n    (stderr was empty)"]
    );
    assert_eq!(r.failed(), 3);
}

// The suite's own builds are reused while nothing changes, and redone when the
// fixture changes, even behind an unchanged size and timestamp.
#[test]
fn an_edited_fixture_is_built_again_not_reused() {
    let s = Scratch::new("reuse");
    let out = "//! output: exact\n";
    let stem = "listing-16-94-prints";
    let print = |word: &str| format!("fn main() {{\n    println!(\"{word}\");\n}}\n");
    s.fixture(stem, "run", out, &print("one"), Some("one\n"));
    // Written long enough before the build to be recorded (see `cache::store`).
    let file = s.root.join(format!("ui/ch16-01-threads/{stem}.rs"));
    let old = std::time::SystemTime::now() - Duration::from_secs(60);
    fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let r = run(&s, &Recorder::default());
    assert_eq!(r.failed(), 0, "{}", r.summary(None));
    let record = fs::read_dir(s.root.join("target/ui"))
        .unwrap()
        .map(|e| {
            e.unwrap()
                .path()
                .join("rustc/ch16-01-threads")
                .join(stem)
                .join("build-record")
        })
        .find(|p| p.is_file())
        .expect("the build was recorded for reuse");
    let before = fs::read_to_string(&record).unwrap();
    // Reused: nothing changed, so the record is the one of the first build.
    assert_eq!(run(&s, &Recorder::default()).failed(), 0);
    assert_eq!(fs::read_to_string(&record).unwrap(), before);

    let modified = fs::metadata(&file).unwrap().modified().unwrap();
    s.fixture(stem, "run", out, &print("two"), None);
    fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let r = run(&s, &Recorder::default());
    let problems = messages(&r, stem, Check::Output);
    assert!(
        problems.len() == 1 && problems[0].contains("two"),
        "the edit was not seen: {problems:?}\n{}",
        r.summary(None)
    );
}

// 2. A hanging fixture is killed, reported, and kept from trybuild.

#[test]
fn hanging_fixture_times_out_and_the_rest_still_runs() {
    let s = Scratch::new("hang");
    let hang = "fn main() {\n    println!(\"waiting\");\n    loop {\n        std::thread::sleep(std::time::Duration::from_secs(1));\n    }\n}\n";
    s.fixture(
        "listing-16-91-hangs",
        "run",
        "//! output: exact\n//! timeout: 1s\n",
        hang,
        Some("waiting\n"),
    )
    .fixture(
        "listing-16-92-ok",
        "run",
        "//! output: exact\n",
        OK_RUN,
        Some("fine\n"),
    );
    let recorder = Recorder::default();
    let start = Instant::now();
    let r = run(&s, &recorder);
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(
        messages(&r, "listing-16-91-hangs", Check::Outcome),
        [
            "timed out: killed after 1 s; if it is meant to take longer, raise `timeout:` in its header\n    last lines of stdout:\n        waiting"
        ]
    );
    assert!(
        r.problems("ui/ch16-01-threads/listing-16-92-ok.rs")
            .unwrap()
            .is_empty()
    );
    assert_eq!(r.timed_out, ["ui/ch16-01-threads/listing-16-91-hangs.rs"]);
    // The background batch had both and was cancelled; the rerun has one.
    assert_eq!(*recorder.cancelled.lock().unwrap(), 1);
    let given = recorder.given(true);
    assert_eq!(given.len(), 1, "{given:?}");
    assert!(
        given[0].ends_with("/stage/ui/ch16-01-threads/listing-16-92-ok.rs"),
        "{given:?}"
    );
    assert!(r.summary(None).contains("SKIPPED by trybuild (timed out above; trybuild has no time limit): ui/ch16-01-threads/listing-16-91-hangs.rs"));
}

#[test]
fn default_timeout_applies_without_a_header_field() {
    let s = Scratch::new("default-timeout");
    s.fixture(
        "listing-16-91-ok",
        "run",
        "//! output: exact\n",
        OK_RUN,
        Some("fine\n"),
    );
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
    let extra = "//! fixed-by: listing-16-93\n";
    // The error is on the `let` line, annotated one line too low.
    let wrong_line = "fn main() {\n    let x: i32 = \"no\";\n    //~ ERROR E0308\n}\n";
    // Right line, wrong code (header and annotation agree with each other).
    let wrong_code = "fn main() {\n    let x: i32 = \"no\"; //~ ERROR E0277\n}\n";
    s.fixture(
        "listing-16-91-line",
        "compile-fail E0308",
        extra,
        wrong_line,
        Some("x\n"),
    )
    .fixture(
        "listing-16-92-code",
        "compile-fail E0277",
        extra,
        wrong_code,
        Some("x\n"),
    )
    .fixture(
        "listing-16-93-ok",
        "run",
        "//! output: exact\n",
        OK_RUN,
        Some("fine\n"),
    );
    let r = run(&s, &Recorder::default());
    let l = line_of(
        "listing-16-91",
        "compile-fail E0308",
        extra,
        wrong_line,
        "let x",
    );
    assert_eq!(
        messages(&r, "listing-16-91-line", Check::Annotations),
        [format!(
            "the `//~` annotations disagree with the compiler:\n    annotated but not reported: line {}: ERROR E0308\n    reported but not annotated: line {l}: ERROR E0308 (mismatched types)",
            l + 1
        )]
    );
    assert_eq!(
        messages(&r, "listing-16-92-code", Check::Annotations),
        [format!(
            "the `//~` annotations disagree with the compiler:\n    annotated but not reported: line {l}: ERROR E0277\n    reported but not annotated: line {l}: ERROR E0308 (mismatched types)"
        )]
    );
}

#[test]
fn annotation_on_a_fixture_that_compiles_is_refused_at_load() {
    let s = Scratch::new("annotated-run");
    let code = "fn main() {} //~ ERROR E0308\n";
    s.fixture(
        "listing-16-91-run",
        "run",
        "//! output: exact\n",
        code,
        Some(""),
    );
    let line = line_of(
        "listing-16-91",
        "run",
        "//! output: exact\n",
        code,
        "fn main",
    );
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
    let extra = "//! fixed-by: listing-16-93\n";
    s.fixture(
        "listing-16-91-ann",
        "compile-fail E0308",
        extra,
        "fn main() {} //~ ERROR mismatched\n",
        None,
    )
    .write(
        "ui/ch16-01-threads/listing-16-92-hdr.rs",
        "//! listing: listing-16-92\n//! captoin: x\n",
    )
    .fixture(
        "listing-16-93-ok",
        "run",
        "//! output: exact\n",
        OK_RUN,
        Some("fine\n"),
    );
    let line = line_of(
        "listing-16-91",
        "compile-fail E0308",
        extra,
        "fn main() {} //~ ERROR mismatched\n",
        "fn main",
    );
    assert_eq!(
        s.load_errors(),
        [
            format!(
                "ui/ch16-01-threads/listing-16-91-ann.rs:{line}: `mismatched` is not a valid error code\n  fix: write `//~ ERROR E0382`, `//~^ ERROR E0382` (line above) or `//~ WARN unused_variables`"
            ),
            "ui/ch16-01-threads/listing-16-92-hdr.rs:2: unknown header field `captoin`\n  fix: use one of: listing, caption, section, url, origin, expect, fixed-by, follows, output, stream, stream-partial, stderr, timeout".to_string(),
        ]
    );
}

#[test]
fn duplicate_book_ids_are_refused() {
    let s = Scratch::new("duplicate");
    s.fixture(
        "listing-16-91-a",
        "run",
        "//! output: exact\n",
        OK_RUN,
        Some("fine\n"),
    )
    .fixture(
        "listing-16-91-b",
        "run",
        "//! output: exact\n",
        OK_RUN,
        Some("fine\n"),
    );
    assert_eq!(
        s.load_errors(),
        [
            "ui/ch16-01-threads/listing-16-91-b.rs:1: listing id `listing-16-91` is also used by ui/ch16-01-threads/listing-16-91-a.rs\n  fix: every fixture has its own id"
        ]
    );
}

// 4. Missing, orphan and unreadable expectations.

#[test]
fn missing_expectation_is_reported_with_the_fix() {
    let s = Scratch::new("missing");
    s.fixture(
        "listing-16-91-new",
        "run",
        "//! output: exact\n",
        OK_RUN,
        None,
    );
    let r = run(&s, &Recorder::default());
    assert_eq!(
        messages(&r, "listing-16-91-new", Check::Expectation),
        [
            "no expected output: `ui/ch16-01-threads/listing-16-91-new.stdout` is missing; run `cargo xtask bless`"
        ]
    );
}

#[test]
fn orphan_expectation_and_unparseable_version_key_are_refused() {
    let s = Scratch::new("orphan");
    s.fixture(
        "listing-16-91-ok",
        "run",
        "//! output: exact\n",
        OK_RUN,
        Some("fine\n"),
    )
    .write("ui/ch16-01-threads/listing-16-92-renamed.stderr", "x\n")
    .write("ui/ch16-01-threads/listing-16-91-ok.1.x7.stdout", "x\n");
    assert_eq!(
        s.load_errors(),
        [
            "ui/ch16-01-threads/listing-16-91-ok.1.x7.stdout: `1.x7` is not a compiler version key\n  fix: name keyed expectations `listing-16-91-ok.MAJOR.MINOR.stdout` (e.g. `listing-16-91-ok.1.97.stdout`), or delete the file and run `cargo xtask bless`",
            "ui/ch16-01-threads/listing-16-92-renamed.stderr: orphan expectation: no fixture `listing-16-92-renamed.rs` beside it\n  fix: if the fixture was renamed, rename this file too; if it was deleted, delete this file",
        ]
    );
}

// 7. CRLF checkouts.

#[test]
fn expectations_with_crlf_line_endings_compare_as_lf() {
    let s = Scratch::new("crlf");
    let extra = "//! fixed-by: listing-16-92\n";
    let code = "fn main() {\n    let x: i32 = \"no\"; //~ ERROR E0308\n}\n";
    s.fixture(
        "listing-16-91-cf",
        "compile-fail E0308",
        extra,
        code,
        Some("error[E0308]: mismatched types\r\n  --> x\r\n"),
    )
    .fixture(
        "listing-16-92-ok",
        "run",
        "//! output: exact\n",
        "fn main() {\n    println!(\"a\");\n    println!(\"b\");\n}\n",
        Some("a\r\nb\r\n"),
    );
    let r = run(&s, &Recorder::default());
    assert!(
        r.problems("ui/ch16-01-threads/listing-16-92-ok.rs")
            .unwrap()
            .is_empty()
    );
    let suite = Suite::load(&s.root).unwrap();
    let staged = Workdirs::new(&s.root, &rustc().key()).staged_stderr(&suite.fixtures[0]);
    assert_eq!(
        fs::read_to_string(staged).unwrap(),
        "error[E0308]: mismatched types\n  --> x\n"
    );
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

// 8. Missing or broken toolchains.

#[test]
fn a_toolchain_named_but_not_installed_fails_clearly() {
    let err = toolchain::select(&["ch16-no-such-toolchain".to_string()])
        .err()
        .expect("must fail");
    assert!(
        err.starts_with(
            "toolchain `ch16-no-such-toolchain`: `rustc +ch16-no-such-toolchain -vV` failed:"
        ),
        "{err}"
    );
    assert!(err.contains("nothing was changed"), "{err}");
}

/// A rustup toolchain whose rustc cannot run, unlinked on drop.
struct BrokenToolchain(String, PathBuf);

impl BrokenToolchain {
    fn link() -> BrokenToolchain {
        let name = format!("ch16-broken-{}", std::process::id());
        let dir = std::env::temp_dir().join(&name);
        fs::create_dir_all(dir.join("bin")).unwrap();
        fs::create_dir_all(dir.join("lib")).unwrap();
        for tool in ["rustc", "cargo"] {
            let path = dir.join("bin").join(tool);
            fs::write(
                &path,
                "#!/bin/sh\necho 'this toolchain is broken' >&2\nexit 1\n",
            )
            .unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
            }
        }
        let out = std::process::Command::new("rustup")
            .args(["toolchain", "link", &name])
            .arg(&dir)
            .output()
            .expect("rustup runs");
        assert!(
            out.status.success(),
            "rustup toolchain link failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        BrokenToolchain(name, dir)
    }
}

impl Drop for BrokenToolchain {
    fn drop(&mut self) {
        let _ = std::process::Command::new("rustup")
            .args(["toolchain", "uninstall", &self.0])
            .output();
        let _ = fs::remove_dir_all(&self.1);
    }
}

#[test]
fn a_broken_installed_toolchain_is_skipped_unless_named() {
    let broken = BrokenToolchain::link();
    let all = toolchain::select(&[]).expect("the working toolchains are still used");
    assert!(!all.compilers.is_empty());
    assert!(
        all.notes
            .iter()
            .any(|n| n.starts_with(&format!("SKIPPED {}: toolchain `{}`", broken.0, broken.0))),
        "{:?}",
        all.notes
    );
    let named = toolchain::select(std::slice::from_ref(&broken.0))
        .err()
        .expect("named broken toolchain fails");
    assert!(named.contains("this toolchain is broken"), "{named}");
}

// 6. Two toolchains testing one checkout at the same time.

#[test]
fn two_toolchains_test_one_checkout_at_the_same_time() {
    let selection = toolchain::select(&[]).expect("toolchains");
    let compilers: Vec<Rustc> = selection.compilers.into_iter().take(2).collect();
    if compilers.len() < 2 {
        println!(
            "SKIPPED two_toolchains_test_one_checkout_at_the_same_time: only one compiler installed"
        );
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // One compile-fail and one runnable fixture of the real suite, so that
    // both trybuild batches run in each process.
    let children: Vec<_> = compilers
        .iter()
        .map(|c| {
            let child = c
                .cargo()
                .current_dir(root)
                .args([
                    "test",
                    "--quiet",
                    "--test",
                    "ui",
                    "--",
                    "listing-16-03",
                    "listing-16-05",
                    "listing-16-06",
                ])
                .env_remove("CH16_UI_COLLECT")
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
            out.status.success() && stdout.contains("test result: ok. 5 passed; 0 failed"),
            "{label} failed while another toolchain ran:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // trybuild names the staged copy of this toolchain's own directory.
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "target/ui/{key}/stage/ui/ch16-01-threads/listing-16-03"
            )),
            "{stderr}"
        );
    }
}

// 9. A toolchain with the rust-src component.

/// A rustup toolchain made of the current one plus a stand-in for std's
/// sources (the real component cannot be installed here), unlinked on drop.
struct RustSrcToolchain(String, PathBuf);

impl RustSrcToolchain {
    fn link(real: &Rustc) -> RustSrcToolchain {
        let name = format!("ch16-rust-src-{}", std::process::id());
        let dir = std::env::temp_dir().join(&name);
        let _ = fs::remove_dir_all(&dir);
        let sysroot = Path::new(&real.sysroot);
        fs::create_dir_all(dir.join("bin")).unwrap();
        fs::create_dir_all(dir.join("lib/rustlib")).unwrap();
        // rustc finds its sysroot from where its driver library is, resolving
        // symbolic links: binary and libraries must be real files here.
        fs::copy(sysroot.join("bin/rustc"), dir.join("bin/rustc")).unwrap();
        std::os::unix::fs::symlink(sysroot.join("bin/cargo"), dir.join("bin/cargo")).unwrap();
        for entry in fs::read_dir(sysroot.join("lib")).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                let to = dir.join("lib").join(entry.file_name());
                fs::hard_link(entry.path(), &to)
                    .or_else(|_| fs::copy(entry.path(), &to).map(drop))
                    .unwrap();
            }
        }
        for entry in fs::read_dir(sysroot.join("lib/rustlib")).unwrap() {
            let entry = entry.unwrap();
            std::os::unix::fs::symlink(
                entry.path(),
                dir.join("lib/rustlib").join(entry.file_name()),
            )
            .unwrap();
        }
        let std_src = dir.join("lib/rustlib/src/rust/library/std/src");
        fs::create_dir_all(std_src.join("thread")).unwrap();
        fs::write(std_src.join("lib.rs"), "// stand-in for std's lib.rs\n").unwrap();
        let lines: String = (1..=3000)
            .map(|i| format!("// stand-in line {i}\n"))
            .collect();
        fs::write(std_src.join("thread/functions.rs"), &lines).unwrap();
        fs::write(std_src.join("thread/mod.rs"), &lines).unwrap();
        let out = std::process::Command::new("rustup")
            .args(["toolchain", "link", &name])
            .arg(&dir)
            .output()
            .expect("rustup runs");
        assert!(
            out.status.success(),
            "rustup toolchain link failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        RustSrcToolchain(name, dir)
    }
}

impl Drop for RustSrcToolchain {
    fn drop(&mut self) {
        let _ = std::process::Command::new("rustup")
            .args(["toolchain", "uninstall", &self.0])
            .output();
        let _ = fs::remove_dir_all(&self.1);
    }
}

#[cfg(unix)]
#[test]
fn rust_src_is_hidden_so_outputs_do_not_depend_on_it() {
    let current = rustc();
    assert!(
        current.rust_src().is_none(),
        "this test expects a toolchain without rust-src to start from"
    );
    let linked = RustSrcToolchain::link(&current);
    let mut with_src = toolchain::detect(Some(&linked.0)).unwrap();
    assert!(
        with_src.rust_src().is_some(),
        "the stand-in sources are detected"
    );
    assert!(with_src.key().ends_with("-rust-src"), "{}", with_src.key());

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixture = root.join("ui/ch16-03-shared-state/listing-16-14-rc-not-send.rs");
    let note = |rustc: &Rustc| {
        let out = rustc
            .command()
            .args(["--edition", "2024", "--emit=metadata", "--out-dir"])
            .arg(&linked.1)
            .arg(&fixture)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let at = stderr
            .find("required by a bound in `spawn`")
            .expect("the note about spawn's bound");
        stderr[at..].lines().nth(1).unwrap_or_default().to_string()
    };
    // Without hiding, rustc reads std's (stand-in) sources.
    assert!(
        note(&with_src).contains("lib/rustlib/src/rust/library/std/src/thread/"),
        "{}",
        note(&with_src)
    );
    // Hidden, it cannot: the same note as on a toolchain without rust-src.
    with_src.hide_rust_src(&linked.1.join("shadow")).unwrap();
    assert_eq!(note(&with_src), note(&current));

    // And the whole suite passes on it for that fixture, saying what it did.
    let out = with_src
        .cargo()
        .current_dir(root)
        .args(["test", "--quiet", "--test", "ui", "--", "listing-16-14"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(
            "note: rust-src is installed; the suite's own builds used a sysroot without std's sources"
        ),
        "{stdout}"
    );
}
