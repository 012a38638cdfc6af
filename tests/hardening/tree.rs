//! Runs that see one tree: the tree a run judges is the one it finds once
//! it holds its locks; a broken tree fails any run, filtered or not; a
//! fixture program that changes the checkout fails the run, naming what
//! changed.

use crate::support::*;
use ch16_ui::harness;
use std::fs;
use std::path::Path;

/// Whether a thread of this process waits for a lock on `path` (Linux:
/// `/proc/locks` marks a waiter with `->`); elsewhere, after a moment.
fn waits_on(path: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(inode) = fs::metadata(path).map(|m| m.ino()) else {
            return false;
        };
        let (pid, inode) = (std::process::id(), format!(":{inode} "));
        let locks = fs::read_to_string("/proc/locks").unwrap_or_default();
        locks.lines().any(|l| {
            let fields: Vec<&str> = l.split_whitespace().collect();
            l.contains("->") && fields.contains(&pid.to_string().as_str()) && l.contains(&inode)
        })
    }
    #[cfg(not(target_os = "linux"))]
    {
        std::thread::sleep(std::time::Duration::from_millis(500));
        fs::metadata(path).is_ok()
    }
}

/// A run of `s` started while `lock` is held (exclusively, as a bless
/// holds it); once the run waits for it (or has ended without waiting),
/// `change` is made to the tree, then the lock is let go.
fn run_after(s: &Scratch, lock: &Path, change: impl FnOnce()) -> ch16_ui::check::report::Report {
    fs::create_dir_all(lock.parent().unwrap()).unwrap();
    let held = fs::File::create(lock).unwrap();
    held.lock().unwrap();
    let rustc = rustc();
    std::thread::scope(|scope| {
        let run = scope.spawn(|| harness::run(&options(&s.root, &rustc), &Fake::new(s)));
        let waited = within(60, || run.is_finished() || waits_on(lock));
        assert!(waited, "the run neither waited nor ended");
        change();
        drop(held);
        run.join().unwrap().expect("the harness runs")
    })
}

/// A run started while a bless holds the tree (from its first run to its
/// commit), or while another run holds this compiler's directories, waits,
/// then judges the tree it finds: the expectation written meanwhile, and
/// an expectation file added meanwhile (the file list is read after the
/// wait too). A collecting run (a bless's own) does not wait for the tree.
#[test]
fn a_run_that_waited_judges_the_tree_it_finds() {
    let s = Scratch::new("waited");
    s.runs("listing-16-92-ok", OK_RUN, Some("old text\n"));
    let stdout = s.root.join("ui/ch16-01-threads/listing-16-92-ok.stdout");
    // As a bless holds it.
    let tree = ch16_ui::observe::stage::tree_lock(&s.root);
    let report = run_after(&s, &tree, || fs::write(&stdout, "fine\n").unwrap());
    assert!(
        passed(&report, "listing-16-92-ok"),
        "judged the tree as it was before the wait:\n{}",
        summary(&report)
    );

    fs::write(&stdout, "old text\n").unwrap();
    let rustc = rustc();
    let keyed = stdout.with_file_name(format!("listing-16-92-ok.{}.stdout", rustc.version));
    let compiler = s.root.join(format!("target/ui/{}/lock", rustc.key()));
    let report = run_after(&s, &compiler, || fs::write(&keyed, "fine\n").unwrap());
    assert!(
        passed(&report, "listing-16-92-ok"),
        "judged the files as listed before the wait:\n{}",
        summary(&report)
    );

    let held = fs::File::create(&tree).unwrap();
    held.lock().unwrap();
    let collect = ch16_ui::observe::Options {
        collect: true,
        ..options(&s.root, &rustc)
    };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        scope.spawn(|| tx.send(harness::run(&collect, &Fake::new(&s)).is_ok()));
        let ended = rx.recv_timeout(std::time::Duration::from_secs(60));
        drop(held);
        assert_eq!(ended, Ok(true), "a collecting run waited for the tree");
    });
}

/// A tree that breaks a rule of the tree as a whole fails every run, also
/// one filtered to a fixture that passes or to none: each bad line of
/// `ui/toolchains.txt` named by file and line with the fix, and an orphan
/// `.stdout`; the advice names a toolchain as the user types it. The real
/// `cargo test --test ui` (its libtest front end is the point).
#[test]
fn a_filtered_run_fails_on_a_broken_tree_naming_every_bad_line() {
    let s = Scratch::in_crate("broken-tree");
    s.fine("listing-16-92-ok");
    s.write("ui/toolchains.txt", "banana\n1.95\napple\n");
    s.write("ui/ch16-01-threads/listing-16-93-gone.stdout", "fine\n");
    let root = [(ch16_ui::names::ROOT_ENV, s.root.as_os_str())];
    let ui = |filter: &str| {
        let ran = cargo(&crate_dir(), &["test", "--test", "ui", "--", filter], &root);
        (ran.ok, format!("{}{}", ran.stdout, ran.stderr))
    };
    let bad_lines = [
        "ui/toolchains.txt:1: `banana` is not a compiler version like 1.95",
        "ui/toolchains.txt:3: `apple` is not a compiler version like 1.95",
        "restore it with `git checkout`",
        "ui/ch16-01-threads/listing-16-93-gone.stdout: orphan expectation",
    ];
    let failed = |out: &str| {
        let suite = |l: &str| l.starts_with("test suite ") && l.ends_with(" FAILED");
        out.lines().any(suite)
    };
    let (ok, out) = ui("ch16-no-fixture-matches-this");
    assert!(
        !ok && failed(&out),
        "a run that selects nothing passed:\n{out}"
    );
    holds(&out, &bad_lines);
    let (ok, out) = ui("16-92");
    assert!(!ok && failed(&out), "a filtered run passed:\n{out}");
    holds(&out, &bad_lines);
    holds(&out, &["test listing-16-92-ok ... ok"]);
    let host = format!("-{}", rustc().host);
    lacks(&out, &[&host, "toolchains.txt lists none"]);
    holds(&out, &["toolchains.txt lists no readable version"]);
    // Under rustup, the command that covers this compiler names it.
    if std::env::var_os("RUSTUP_TOOLCHAIN").is_some() {
        holds(
            &out,
            &["To cover this compiler: cargo xtask bless --toolchain "],
        );
    }
}
/// A fixture whose program changes the checkout (appends to another
/// fixture's `.stdout`, plants a source file) fails the run, which names
/// the fixtures that ran and every file changed; a collecting run (what
/// bless writes from) fails the same, so bless writes nothing.
#[test]
fn a_fixture_that_changes_the_checkout_fails_the_run_naming_the_files() {
    let s = Scratch::new("tamper");
    fs::create_dir_all(s.root.join("src")).unwrap();
    fs::write(s.root.join("src/lib.rs"), "// the crate\n").unwrap();
    let root = s.root.display().to_string();
    let tamper = format!(
        "use std::io::Write;\n\nfn main() {{\n    let root = {root:?};\n    \
         let other = format!(\"{{root}}/ui/ch16-01-threads/listing-16-92-ok.stdout\");\n    \
         let mut f = std::fs::OpenOptions::new().append(true).open(other).unwrap();\n    \
         f.write_all(b\"tampered\\n\").unwrap();\n    \
         std::fs::write(format!(\"{{root}}/src/planted.rs\"), \"// planted\\n\").unwrap();\n    \
         println!(\"fine\");\n}}\n"
    );
    s.fine("listing-16-92-ok")
        .runs("listing-16-93-tamper", &tamper, Some("fine\n"));
    let rustc = rustc();
    let stdout = s.root.join("ui/ch16-01-threads/listing-16-92-ok.stdout");
    for collect in [false, true] {
        fs::write(&stdout, "fine\n").unwrap();
        let _ = fs::remove_file(s.root.join("src/planted.rs"));
        let opts = ch16_ui::observe::Options {
            collect,
            ..options(&s.root, &rustc)
        };
        let err = match harness::run(&opts, &Fake::new(&s)) {
            Ok(report) => panic!(
                "a run that changed the checkout was trusted (collect: {collect}):\n{}",
                summary(&report)
            ),
            Err(e) => e.to_string(),
        };
        holds(
            &err,
            &[
                "the checkout changed while the fixtures' programs ran",
                "modified ui/ch16-01-threads/listing-16-92-ok.stdout",
                "added src/planted.rs",
                "ui/ch16-01-threads/listing-16-93-tamper.rs",
            ],
        );
        lacks(&err, &["src/lib.rs"]);
    }
}
