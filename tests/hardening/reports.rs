//! What a user reads: a quiet pass, a drift named with its diff and fix (and
//! GitHub's annotations), the xtask's progress, `show`, the compiler's suggestion.

use crate::support::*;
use ch16_ui::harness;
use ch16_ui::model::suite::Suite;
use ch16_ui::observe::Options;
use ch16_ui::problem::Check;
use std::fs;
use std::path::Path;

/// On a copy of listings 16-13 to 16-15 and their expectations: as
/// blessed, a quiet pass; with 16-13's `.stderr` edited, a failure naming
/// it with its diff and the bless that accepts the compiler's text, and on
/// GitHub Actions an annotation on the edited line.
#[test]
fn a_passing_run_is_quiet_and_a_drifted_stderr_is_named_with_its_diff_and_fix() {
    let s = Scratch::in_crate("quiet");
    copy_shared_state(&s);
    let rustc = rustc();
    let suite = Suite::load(&s.root).unwrap();
    let Some(expected) = suite
        .by_id("listing-16-13")
        .unwrap()
        .0
        .expectation(ch16_ui::model::expect::Kind::Stderr, rustc.version)
    else {
        println!(
            "SKIPPED a_passing_run_is_quiet_and_a_drifted_stderr_…: no .stderr of 16-13 applies to rustc {}",
            rustc.version
        );
        return;
    };
    let expected = expected.path.display().to_string();
    if !suite.is_blessed(rustc.version) {
        println!(
            "SKIPPED a_passing_run_is_quiet_and_a_drifted_stderr_…: the expectations were never blessed for \
             rustc {}, so no .stderr is compared",
            rustc.version
        );
        return;
    }
    let stderr = fs::read_to_string(s.root.join(&expected)).unwrap();

    let (ok, out) = ui_output(&s);
    assert!(ok, "{out}");
    let lines = out.lines().filter(|l| !l.trim().is_empty()).count();
    assert!(lines <= 25, "{lines} lines:\n{out}");
    assert!(
        !out.contains('\u{1b}'),
        "escape codes in piped output:\n{out}"
    );
    assert!(!out.contains("Blocking waiting"), "{out}");
    // Each fixture a line of its own, and one for the tree.
    for test in [
        "listing-16-13-counter-moved",
        "listing-16-14-rc-not-send",
        "listing-16-15-arc-mutex",
        "suite",
    ] {
        assert_eq!(
            out.lines()
                .filter(|l| l.starts_with(&format!("test {test} ")) && l.ends_with(" ok"))
                .count(),
            1,
            "{test}: {out}"
        );
    }
    assert!(
        out.contains("test result: ok. 4 passed; 0 failed; 0 ignored"),
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
    s.write(&expected, &edited);
    let (ok, out) = ui_output(&s);
    assert!(!ok, "{out}");
    for needle in [
        "FAIL ui/ch16-03-shared-state/listing-16-13-counter-moved.rs".to_string(),
        format!("{expected} differs from what"),
        "(edited)".to_string(),
        "run `cargo xtask bless --filter 16-13`".to_string(),
    ] {
        assert!(out.contains(&needle), "no `{needle}` in:\n{out}");
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
            (ch16_ui::names::ROOT_ENV, s.root.as_os_str()),
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
        error.starts_with(&format!("::error file={expected},line=3,title="))
            && error.contains("(edited)%0A")
            && !error[error.find("::").unwrap() + 2..].contains('\n'),
        "{error}"
    );
    assert!(
        ran.stdout
            .contains("::group::ui/ch16-03-shared-state: 1 failing fixture(s)")
            && ran.stdout.contains("::endgroup::"),
        "{}",
        ran.stdout
    );
    let written = fs::read_to_string(&summary).expect("the job summary was written");
    assert!(
        written.contains(&format!(
            "| `ui/ch16-03-shared-state/listing-16-13-counter-moved.rs` | stderr-text | `{expected}:3` | `cargo xtask bless --filter 16-13` |"
        )),
        "{written}"
    );
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

#[test]
fn the_compilers_suggestion_is_checked_against_the_fixture_it_claims_to_give() {
    // rustc's suggestions come from the observer's records, so the fake
    // trybuild (real compiles through the real observer) is enough here.
    let checkout = crate_dir();
    let s = Scratch::new("suggestion");
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
                filters: &[filter.to_string()],
                ..options(&s, &rustc)
            },
            &Fake::new(&s),
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
    assert_eq!(r.failed(), 0, "{}", summary(&r));

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
        let claim = messages(&r, stem, Check::SuggestionClaim);
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
            summary(&r)
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
    let fix = messages(&r, "listing-16-03-borrow-in-thread", Check::Fixed).join("\n");
    assert!(
        fix.contains(
            "the fixed code differs from `ui/ch16-01-threads/listing-16-03-borrow-in-thread.fixed`"
        ) && fix.contains("-    let handle = thread::spawn(move  || {")
            && fix.contains("`cargo xtask bless --filter 16-03`"),
        "{}",
        summary(&r)
    );
}

/// `cargo test --test ui` speaks libtest's command line, one test per
/// fixture and one for the tree: `--list` starts no compiler, `--skip`
/// skips, `--format terse` and `--color never` still check every selected
/// fixture, and trybuild's own `trybuild=X` filter is the filter `X`.
#[test]
fn the_ui_test_takes_libtests_arguments_one_test_per_fixture() {
    let s = Scratch::in_crate("libtest");
    s.one_failing_one_running();
    // Blessed for no compiler: outcomes and annotations only.
    s.write("ui/toolchains.txt", "1.80\n");
    let _ = fs::remove_dir_all(s.root.join("target"));
    let ui = |args: &[&str]| {
        let mut all = vec!["test", "--quiet", "--test", "ui", "--"];
        all.extend(args);
        let ran = cargo(
            &crate_dir(),
            &all,
            &[(ch16_ui::names::ROOT_ENV, s.root.as_os_str())],
        );
        (ran.ok, format!("{}{}", ran.stdout, ran.stderr))
    };

    let (ok, out) = ui(&["--list"]);
    assert!(ok, "{out}");
    assert_eq!(
        out.lines()
            .filter(|l| l.ends_with(": test"))
            .collect::<Vec<_>>(),
        [
            "listing-16-91-cf: test",
            "listing-16-92-ok: test",
            "suite: test"
        ],
        "{out}"
    );
    assert!(
        !s.root.join("target").exists(),
        "--list started a run:\n{out}"
    );

    let (ok, out) = ui(&["--skip", "16-91", "--format", "terse", "--color", "never"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("1 fixture(s), 0 compile-fail and 1 runnable (1 filtered out)"),
        "{out}"
    );
    assert!(
        out.contains("test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 1 filtered out"),
        "{out}"
    );
    assert!(
        !out.contains('\u{1b}') && !out.contains("test listing-16-92-ok"),
        "{out}"
    );

    // What belongs to no fixture is the test `suite`: a stray file fails
    // it (and, no fixture selected, nothing is compiled for it).
    s.write("ui/stray.txt", "x\n");
    let (ok, out) = ui(&["suite"]);
    assert!(
        !ok && out.contains("test suite ... FAILED")
            && out.contains("FAIL the fixture tree (ui/): 1 problem(s) of no one fixture")
            && out.contains("ui/stray.txt: stray file at the top of `ui/`"),
        "{out}"
    );
    fs::remove_file(s.root.join("ui/stray.txt")).unwrap();

    // (Listed, as libtest applies a filter to the list too: no run needed.)
    let (ok, out) = ui(&["trybuild=16-91", "--list"]);
    assert!(ok, "{out}");
    assert_eq!(
        out.lines()
            .filter(|l| l.ends_with(": test"))
            .collect::<Vec<_>>(),
        ["listing-16-91-cf: test"],
        "{out}"
    );
}
