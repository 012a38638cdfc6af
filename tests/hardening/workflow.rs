//! The maintainers' workflow at its edges: several unfinished fixtures at
//! once.

use crate::support::*;
use ch16_ui::model::expect::Kind;
use ch16_ui::model::suite::Suite;
use ch16_ui::observe::Options;
use ch16_ui::problem::Check;
use std::fs;
use std::path::Path;

/// The real `cargo xtask` (its commands and what they write are the
/// point): two `cargo xtask new` in a row, then a bless of another fixture
/// while both scaffolds are unfinished (and a killed bless's probe is
/// left, which it removes); a check that selects a scaffold refuses it, by
/// file, line and fix. On a copy of 16-13 to 16-15 inside the crate
/// (`CH16_UI_ROOT`), with the checkout's own programs.
#[test]
fn new_twice_then_bless_another_while_both_are_unfinished() {
    let rustc = rustc();
    let s = Scratch::in_crate("workflow-new");
    copy_shared_state(&s);
    let a = &s.root;
    // The `.stdout` of 16-15 this compiler is checked against.
    let expected = || {
        let suite = Suite::load(a).unwrap();
        let fixture = suite.by_id("listing-16-15").unwrap().0;
        let file = fixture.expectation(Kind::Stdout, rustc.version);
        let file = file.filter(|_| suite.is_blessed(rustc.version));
        file.map(|e| a.join(&e.path))
    };
    let Some(stdout) = expected() else {
        let v = rustc.version;
        println!("SKIPPED new_twice_then_bless_another_…: never blessed for rustc {v}");
        return;
    };
    let rustc_path = rustc_path();
    let rustc_arg = rustc_path.to_str().unwrap();
    let xtask = |args: &[&str]| crate::support::xtask(Some(a), args);
    // Its readers' pages, as a checkout has them.
    let (ok, out) = xtask(&["catalogue"]);
    assert!(ok, "{out}");
    for name in ["listing-16-16-first", "listing-16-17-second"] {
        let (ok, out) = xtask(&["new", "16.3", name]);
        let created = format!("created ui/ch16-03-shared-state/{name}.rs");
        assert!(ok && out.contains(&created), "{out}");
    }

    let blessed = fs::read_to_string(&stdout).unwrap();
    fs::write(&stdout, "edited by hand\n").unwrap();
    // The probe a killed bless left: this bless removes it and goes on.
    let probe = a
        .join("ui/ch16-03-shared-state")
        .join(ch16_ui::names::PROBE);
    fs::write(&probe, "").unwrap();
    // With the summary the drift workflow gives its pull request.
    let summary = a.join("target/bless-summary.md");
    let _ = fs::remove_file(&summary);
    let to = ["--summary", summary.to_str().unwrap()];
    let (ok, out) = xtask(
        &[
            &["bless", "--filter", "16-15", "--rustc", rustc_arg],
            &to[..],
        ]
        .concat(),
    );
    assert!(ok && !probe.exists(), "{out}");
    // What this compiler is checked against says what it says again (where
    // it shares the file with a compiler that did not run, that one keeps
    // the file and this one gets a keyed file of its own).
    let now = expected().unwrap();
    assert_eq!(fs::read_to_string(&now).unwrap(), blessed, "{out}");
    let summary = fs::read_to_string(&summary).expect("the summary was written");
    let file = now.strip_prefix(a).unwrap().display();
    let (release, commit) = (&rustc.release, &rustc.commit);
    holds(
        &summary,
        &[
            &format!("## Expectations blessed on {rustc_arg} (rustc {release}) ({commit})"),
            "| `ui/ch16-03-shared-state/listing-16-15-arc-mutex.rs` | UPDATED |",
            "### What changed",
            &format!("{file}</summary>"),
            "file(s) written or removed, 1 readers' page(s) regenerated, 0 fixture(s) refused.",
        ],
    );

    let (ok, out) = xtask(&["check", "--filter", "16-16", "--rustc", rustc_arg]);
    let scaffold = "ui/ch16-03-shared-state/listing-16-16-first.rs";
    assert!(!ok, "{out}");
    let refused = format!("REFUSED {scaffold}: does not load");
    let todo = format!("{scaffold}:2: still holds the scaffold's `TODO` text");
    holds(&out, &[&refused, &todo, "fix: replace every TODO"]);
}

/// A directory made read-only for the length of a test: by its permissions,
/// or, for root (whom permissions do not bind), with the immutable flag.
#[cfg(target_os = "linux")]
struct ReadOnly(std::path::PathBuf);

#[cfg(target_os = "linux")]
impl ReadOnly {
    fn new(dir: &Path) -> ReadOnly {
        ReadOnly::set(dir, true);
        ReadOnly(dir.to_path_buf())
    }

    fn set(dir: &Path, read_only: bool) {
        if unsafe { libc::geteuid() } == 0 {
            let flag = if read_only { "+i" } else { "-i" };
            let _ = std::process::Command::new("chattr")
                .arg(flag)
                .arg(dir)
                .status();
        } else {
            use std::os::unix::fs::PermissionsExt;
            let mode = if read_only { 0o555 } else { 0o755 };
            let _ = fs::set_permissions(dir, fs::Permissions::from_mode(mode));
        }
    }
}

#[cfg(target_os = "linux")]
impl Drop for ReadOnly {
    fn drop(&mut self) {
        ReadOnly::set(&self.0, false);
    }
}

/// A bless that cannot write where it must: found before anything is
/// committed, so the tree is unchanged and nothing is pending (nothing that
/// would stop `cargo test`), and the message names the directory and the
/// fix; writable again, the same update goes through. An update committed
/// and not finished is named with what it has still to do.
#[cfg(target_os = "linux")]
#[test]
fn a_bless_that_cannot_write_leaves_nothing_behind() {
    use ch16_ui::bless::journal::{self, Change, Pending};
    let s = Scratch::new("read-only");
    s.write("ui/ch16-01-threads/a.stderr", "old a\n");
    s.write("ui/ch16-01-threads/b.stderr", "old b\n");
    let dir = s.root.join("ui/ch16-01-threads");
    let changes = [
        Change::Write("ui/ch16-01-threads/a.stderr".into(), "new a\n".into()),
        Change::Write("ui/ch16-01-threads/b.stderr".into(), "new b\n".into()),
    ];
    let read = |name: &str| fs::read_to_string(dir.join(name)).unwrap();
    let texts = || [read("a.stderr"), read("b.stderr")];
    {
        let _read_only = ReadOnly::new(&dir);
        if fs::write(dir.join("probe"), "").is_ok() {
            let _ = fs::remove_file(dir.join("probe"));
            let why = "no directory can be made read-only here";
            println!("SKIPPED a_bless_that_cannot_write_…: {why}");
            return;
        }
        let err = journal::commit(&s.root, &changes).unwrap_err().to_string();
        assert!(
            err.starts_with("ui/ch16-01-threads: cannot write here ("),
            "{err}"
        );
        holds(
            &err,
            &[
                "nothing was changed",
                "fix: make `ui/ch16-01-threads` writable",
            ],
        );
        assert_eq!(journal::pending(&s.root), Pending::Clean);
        assert_eq!(texts(), ["old a\n", "old b\n"]);
    }
    journal::commit(&s.root, &changes).unwrap();
    assert_eq!(texts(), ["new a\n", "new b\n"]);

    // Committed, with one file still to move: the run says which.
    let pending = s.root.join(ch16_ui::names::PENDING);
    fs::create_dir_all(&pending).unwrap();
    fs::write(pending.join("0"), "newer a\n").unwrap();
    let journal = "write 0 ui/ch16-01-threads/a.stderr\n";
    fs::write(pending.join("journal"), journal).unwrap();
    let rustc = rustc();
    let Err(err) = ch16_ui::harness::run(&options(&s.root, &rustc), &Fake::new(&s)) else {
        panic!("a run on a half-finished update was not refused");
    };
    let still = "1 file(s) are still to be written or removed (first: ui/ch16-01-threads/a.stderr)";
    holds(&err.to_string(), &[still, "fix: run `cargo xtask bless`"]);
}

/// A program that prints a lot: the test's message and bless's diff of the
/// new `.stdout` are cut to a screen, and say how much was left out (one
/// collecting run, as bless's, serves both).
#[test]
fn a_long_output_is_shown_cut_to_a_screen() {
    let s = Scratch::new("long-output");
    let code = "fn main() {\n    for i in 0..20_000 {\n        println!(\"line {i}\");\n    }\n}\n";
    s.runs("listing-16-91-long", code, Some("old\n"));
    let rustc = rustc();
    let collect = Options {
        collect: true,
        ..options(&s.root, &rustc)
    };
    let collected = ch16_ui::harness::run(&collect, &Fake::new(&s)).unwrap();
    let message = messages(&collected, "listing-16-91-long", Check::Output).join("\n");
    let suite = Suite::load(&s.root).unwrap();
    let plan = ch16_ui::bless::plan::plan(&suite, &[(rustc, collected)], &[]).unwrap();
    let diffs: Vec<String> = plan.edits.iter().map(ToString::to_string).collect();
    let diff = diffs
        .iter()
        .find(|d| d.contains("listing-16-91-long.stdout"));
    let diff = diff.unwrap_or_else(|| panic!("no diff of the .stdout: {:?}", plan.refusals));
    for text in [&message, diff] {
        let lines = text.lines().count();
        assert!(
            lines < 80,
            "{lines} lines: {:?}",
            text.lines().take(5).collect::<Vec<_>>()
        );
        holds(text, &[" lines cut …]"]);
    }
}
