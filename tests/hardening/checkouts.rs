//! Two clones sharing one target directory each check their own tree.

use crate::support::*;
use ch16_ui::model::suite::Suite;
use std::fs;
use std::path::{Path, PathBuf};

/// `cargo test --test ui` in `clone`, building in the scratch checkouts'
/// target directory, with a filter no fixture matches: nothing is compiled,
/// and the "filtered out" count says which tree was loaded. cargo's own
/// lines are kept (not `--quiet`): they name the program it ran.
fn ui_in_clone(clone: &Path, scratch: &ScratchCheckout) -> (bool, String) {
    let args = ["test", "--test", "ui", "--", "ch16-no-fixture-matches-this"];
    let ran = cargo(clone, &args, &scratch.env());
    (ran.ok, format!("{}{}", ran.stdout, ran.stderr))
}

/// What a clone's run came to: the program cargo ran there if it stopped
/// (`None` if it checked its own tree), and whether cargo compiled the
/// suite for it.
type Ran = (Option<PathBuf>, bool);

/// Each clone either checks its own tree, or stops and says why and how to
/// fix it, never checking another clone's tree.
fn checks_own_tree_or_stops(clone: &Path, scratch: &ScratchCheckout, fixtures: usize) -> Ran {
    let (ok, text) = ui_in_clone(clone, scratch);
    let compiled = text.contains("Compiling ch16-ui");
    if ok {
        // Each fixture is a test, and one more for the tree.
        let own = text.contains(&format!("0 measured; {} filtered out", fixtures + 1));
        let (clone, n) = (clone.display(), fixtures);
        assert!(
            own,
            "{clone} checked another tree than its own ({n} fixtures):\n{text}"
        );
        return (None, compiled);
    }
    let here = format!("not in this one ({})", clone.display());
    let stopped = "this program was built in another checkout";
    holds(&text, &[stopped, &here, "cargo clean -p ch16-ui -p xtask"]);
    let said = "cargo did not say which program it ran";
    let running = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Running tests/ui.rs ("));
    let program = running.and_then(|l| l.strip_suffix(')'));
    let program = program.unwrap_or_else(|| panic!("{said}:\n{text}"));
    // cargo names it from where it runs, or whole when it is elsewhere.
    (Some(clone.join(program)), compiled)
}

/// Real `cargo test` in two clones (what cargo does with their builds is
/// the point; nothing is compiled for a fixture). Two copies of the
/// checkout that keep its file times share one target directory: to
/// cargo, one build there is current for both (a path
/// package's unit hash leaves out where it lives, and freshness is by
/// time), which is the hazard itself. So the clone that did not build it
/// runs the other's program: that one must stop, the other check its own
/// tree. The scratch checkout `a` and its target directory are kept
/// between runs, so the suite is built there once (and after each edit of
/// the checkout), not on every run; `b` is made beside it.
#[test]
fn two_clones_sharing_a_target_directory_each_check_their_own_tree_or_stop() {
    let scratch = ScratchCheckout::take();
    let (a, b) = (scratch.a.clone(), scratch.a.with_file_name("b"));
    let all = Suite::load(&crate_dir()).unwrap().fixtures.len();
    copy_checkout_keeping_times(&b);
    // B has one fixture fewer, so that the count says whose tree ran.
    for entry in fs::read_dir(b.join("ui/ch16-03-shared-state-beyond-deadlocks")).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("beyond-15-")
        {
            fs::remove_file(&path).unwrap();
        }
    }
    let (a_stopped, _) = checks_own_tree_or_stops(&a, &scratch, all);
    let (b_stopped, b_compiled) = checks_own_tree_or_stops(&b, &scratch, all - 1);
    // The case this test is about must have occurred, in exactly one clone.
    let (stopped, program) = match (a_stopped, b_stopped) {
        (Some(program), None) => (&a, program),
        (None, Some(program)) => (&b, program),
        (None, None) if b_compiled => {
            panic!("cargo built for each clone: the shared-target hazard did not occur here")
        }
        (None, None) => panic!(
            "B ran the program built in A without stopping: the hazard occurred, and the program did not see it"
        ),
        (Some(_), Some(_)) => panic!("both clones stopped: neither ran its own build"),
    };
    // The fix the message gives makes cargo forget the program that
    // stopped, so that the next `cargo test` builds it anew for the clone it
    // runs in. Asked of cargo without doing it (`--dry-run`), so that the
    // kept build stays (a rebuild would make the next run of this test
    // rebuild for the other clone too): it would remove the fingerprint of
    // the program's unit (`ui-<hash>` is `.fingerprint/ch16-ui-<hash>`; the
    // list leaves out the outputs it removes by pattern).
    let fix = "clean --dry-run --verbose -p ch16-ui -p xtask";
    let fixed = cargo(stopped, &fix.split(' ').collect::<Vec<_>>(), &scratch.env());
    let name = program.file_name().unwrap().to_string_lossy();
    let unit = format!(".fingerprint/ch16-{name}");
    assert!(
        fixed.ok && fixed.stdout.lines().any(|l| l.trim().ends_with(&unit)),
        "`cargo clean -p ch16-ui -p xtask` leaves {}:\n{}{}",
        program.display(),
        fixed.stdout,
        fixed.stderr
    );
    let _ = fs::remove_dir_all(&b);
}
