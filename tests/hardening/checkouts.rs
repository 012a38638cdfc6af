//! Two clones sharing one target directory each check their own tree.

use crate::support::*;
use ch16_ui::Suite;
use std::fs;
use std::path::Path;
use std::process::Command;

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
        &[
            ("CARGO_TARGET_DIR", target.as_os_str()),
            // The clones' builds are the point, not their debug information:
            // without it each is about a quarter faster (the target directory
            // is this test's own, so the profile stays the same in it).
            ("CARGO_PROFILE_DEV_DEBUG", "false".as_ref()),
        ],
    );
    (ran.ok, format!("{}{}", ran.stdout, ran.stderr))
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
