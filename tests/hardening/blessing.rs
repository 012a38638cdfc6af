//! What a bless writes and says at its edges: a target file it cannot
//! replace, the reason it gives for each file it removes, and what a killed
//! bless left behind. In-process, on scratch trees: no compiler but the fake
//! trybuild's.

use crate::support::*;
use ch16_ui::bless::journal::{self, Change, Pending};
use ch16_ui::names::PENDING;
use std::fs;
use std::path::{Path, PathBuf};

const GROUP: &str = "ui/ch16-01-threads";

/// A file made immutable (`chattr +i`) for the length of a test, where
/// that can be done (root, on a filesystem with the flag); `None` elsewhere.
#[cfg(target_os = "linux")]
struct Immutable(PathBuf);

#[cfg(target_os = "linux")]
impl Immutable {
    fn new(file: &Path) -> Option<Immutable> {
        let chattr = |flag: &str| {
            std::process::Command::new("chattr")
                .arg(flag)
                .arg(file)
                .output()
        };
        let set = chattr("+i").is_ok_and(|o| o.status.success());
        let guard = Immutable(file.to_path_buf());
        let refused = fs::OpenOptions::new().append(true).open(file).is_err();
        (set && refused).then_some(guard)
    }
}

#[cfg(target_os = "linux")]
impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .arg(&self.0)
            .output();
    }
}

/// A target file the commit cannot replace (here a directory where the
/// file should be: the commit moves each new file into place with a rename,
/// and a rename does not replace a directory, as it does not replace an
/// immutable file) is found before anything is committed: the tree is
/// unchanged, nothing is pending, and the message names the file, why, and
/// the fix, not the directory (which is writable). Where `chattr +i` works,
/// an immutable file is found the same way.
#[test]
fn a_target_file_bless_cannot_replace_is_found_before_the_commit() {
    let s = Scratch::new("unreplaceable");
    s.write(&format!("{GROUP}/a.stderr"), "old a\n");
    let b = s.root.join(GROUP).join("b.stderr");
    fs::create_dir(&b).unwrap();
    let file = |name: &str| PathBuf::from(format!("{GROUP}/{name}"));
    let read_a = || fs::read_to_string(s.root.join(file("a.stderr"))).unwrap();
    let write = |name: &str| Change::Write(file(name), format!("new {name}\n"));
    for changes in [
        vec![write("a.stderr"), write("b.stderr")],
        vec![write("a.stderr"), Change::Remove(file("b.stderr"))],
    ] {
        let err = journal::commit(&s.root, &changes).unwrap_err().to_string();
        assert_eq!(journal::pending(&s.root), Pending::Clean, "{err}");
        assert_eq!(read_a(), "old a\n", "{err}");
        let at = format!("{GROUP}/b.stderr: cannot be replaced or removed (it is a directory)");
        holds(
            &err,
            &[&at, "nothing was changed", "fix: move the directory"],
        );
        lacks(&err, &["writable"]);
    }
    fs::remove_dir(&b).unwrap();
    s.write(&format!("{GROUP}/b.stderr"), "old b\n");
    #[cfg(target_os = "linux")]
    if let Some(_immutable) = Immutable::new(&b) {
        let err = journal::commit(&s.root, &[write("a.stderr"), write("b.stderr")]);
        let err = err.unwrap_err().to_string();
        assert_eq!(journal::pending(&s.root), Pending::Clean, "{err}");
        holds(
            &err,
            &[
                "(it is immutable)",
                &format!("fix: `chattr -i {GROUP}/b.stderr`"),
            ],
        );
    } else {
        println!("NOTE: no file can be made immutable here; the directory stood for it");
    }
    journal::commit(&s.root, &[write("a.stderr"), write("b.stderr")]).unwrap();
    assert_eq!(read_a(), "new a.stderr\n");
}

/// An update committed, then stopped by a file that became unreplaceable
/// after the check: the error says how many files were done (here none)
/// and which are left, and `cargo test` then names that file and why, not
/// the directory (which is writable).
#[test]
fn an_update_stopped_after_its_commit_says_what_is_done_and_left() {
    let s = Scratch::new("stopped-update");
    let pending = s.root.join(PENDING);
    fs::create_dir_all(&pending).unwrap();
    fs::create_dir(s.root.join(GROUP).join("b.stderr")).unwrap();
    fs::write(pending.join("0"), "new b\n").unwrap();
    fs::write(pending.join("1"), "new a\n").unwrap();
    let journal = format!("write 0 {GROUP}/b.stderr\nwrite 1 {GROUP}/a.stderr\n");
    fs::write(pending.join("journal"), journal).unwrap();
    let err = journal::recover(&s.root).unwrap_err().to_string();
    let stopped = format!("stopped at `{GROUP}/b.stderr`");
    let counts = "0 of 2 file(s) are written or removed, 2 are not yet";
    holds(
        &err,
        &[
            &stopped,
            "it is a directory",
            counts,
            "fix: move the directory",
        ],
    );
    lacks(&err, &["writable", "the others"]);
    assert_eq!(journal::pending(&s.root), Pending::Committed);

    let rustc = rustc();
    let Err(err) = ch16_ui::harness::run(&options(&s.root, &rustc), &Fake::new(&s)) else {
        panic!("a run on a half-finished update was not refused");
    };
    let err = err.to_string();
    let still = format!("2 file(s) are still to be written or removed (first: {GROUP}/b.stderr)");
    let blocked = format!("`{GROUP}/b.stderr` cannot be replaced or removed (it is a directory)");
    holds(&err, &[&still, &blocked, "fix: move the directory"]);
    lacks(&err, &["writable"]);
}

/// Each file a bless removes is given the reason that is true of it: keyed
/// to a version `ui/toolchains.txt` does not list (newer than all, or in
/// between), keyed to the oldest listed version (whose text is the
/// baseline's), or giving what the file below it gives. One collecting run
/// of three fixtures through the fake trybuild.
#[test]
fn a_removed_keyed_file_is_given_its_true_reason() {
    let s = Scratch::new("keyed-reasons");
    let v = rustc().version;
    s.write("ui/toolchains.txt", &format!("1.0\n{v}\n"));
    s.fine("listing-16-91-a")
        .fine("listing-16-92-b")
        .fine("listing-16-93-c");
    let keyed = |stem: &str, key: &str| format!("{GROUP}/listing-16-{stem}.{key}.stdout");
    s.write(&keyed("91-a", "9.99"), "another text\n");
    s.write(&keyed("91-a", "1.50"), "fine\n");
    s.write(&keyed("92-b", "1.0"), "fine\n");
    s.write(&keyed("93-c", &v.to_string()), "fine\n");
    let rustc = rustc();
    let collect = ch16_ui::observe::Options {
        collect: true,
        ..options(&s.root, &rustc)
    };
    let collected = ch16_ui::harness::run(&collect, &Fake::new(&s)).unwrap();
    let suite = ch16_ui::model::suite::Suite::load(&s.root).unwrap();
    let plan = ch16_ui::bless::plan::plan(&suite, &[(rustc, collected)], &[]).unwrap();
    let said = |path: &str| {
        let edit = plan
            .edits
            .iter()
            .find(|e| e.change.path() == Path::new(path));
        let edit = edit.unwrap_or_else(|| panic!("{path} is not removed: {:?}", plan.refusals));
        edit.to_string().lines().next().unwrap().to_string()
    };
    let same = "the expectation below it now gives the same text";
    let newer = format!(
        "(keyed to 9.99, newer than every version ui/toolchains.txt lists (1.0, {v}): no compiler the suite is checked on uses it"
    );
    let unlisted = "(keyed to 1.50, which ui/toolchains.txt does not list";
    let oldest = format!(
        "(keyed to 1.0, the oldest version ui/toolchains.txt lists, whose text the unkeyed file `{GROUP}/listing-16-92-b.stdout` holds)"
    );
    let a = said(&keyed("91-a", "9.99"));
    holds(&a, &[&newer]);
    lacks(&a, &[same]);
    let a = said(&keyed("91-a", "1.50"));
    holds(&a, &[unlisted]);
    lacks(&a, &[same]);
    holds(&said(&keyed("92-b", "1.0")), &[&oldest]);
    holds(&said(&keyed("93-c", &v.to_string())), &[same]);
}

/// A killed bless may leave its probe (`.bless-pending-probe`, which tries
/// that a directory takes a file) in `ui/`: the next bless, which holds the
/// tree alone, so that no other bless can be probing, removes it with the
/// discarded update; a run before that names it as a bless's leftover.
#[test]
fn a_probe_left_by_a_killed_bless_is_cleaned_by_the_next() {
    let s = Scratch::new("stale-probe");
    s.fine("listing-16-91-a");
    let probes = [
        format!("{GROUP}/{PENDING}-probe"),
        format!("ui/{PENDING}-probe"),
    ];
    for probe in &probes {
        s.write(probe, "");
    }
    let errors = s.load_errors().join("\n");
    holds(&errors, &["left by an interrupted `cargo xtask bless`"]);
    // Killed while probing: the update was never committed.
    fs::create_dir_all(s.root.join(PENDING)).unwrap();
    assert_eq!(journal::recover(&s.root).unwrap(), Pending::Uncommitted);
    assert!(s.load_errors().is_empty(), "{:?}", s.load_errors());
    // Killed as the probe was moved in, the pending directory already gone.
    s.write(&probes[0], "");
    assert_eq!(journal::recover(&s.root).unwrap(), Pending::Clean);
    assert!(s.load_errors().is_empty(), "{:?}", s.load_errors());
}
