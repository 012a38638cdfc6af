//! What a user reads: `cargo test --test ui` on the command line (a quiet
//! pass, a drift named with its diff and fix, GitHub's annotations,
//! libtest's arguments, a tree that does not load), the xtask's progress,
//! `show`, the compiler's suggestion.

use crate::support::*;
use ch16_ui::harness;
use ch16_ui::host::toolchain::Rustc;
use ch16_ui::model::expect::Kind;
use ch16_ui::model::suite::Suite;
use ch16_ui::observe::Options;
use ch16_ui::problem::Check;
use std::ffi::OsStr;
use std::fs;

/// `cargo test --test ui -- <args>` on the scratch suite `s`, its output
/// piped, with `env`.
fn ui(s: &Scratch, args: &[&str], env: &[(&str, &OsStr)]) -> Ran {
    let root = [(ch16_ui::names::ROOT_ENV, s.root.as_os_str())];
    let args = [&["test", "--quiet", "--test", "ui", "--"], args].concat();
    cargo(&crate_dir(), &args, &[&root, env].concat())
}

/// The tests `--list` printed.
fn listed(out: &str) -> Vec<&str> {
    out.lines().filter(|l| l.ends_with(": test")).collect()
}

/// Another compiler's `cargo test --test ui -- 16-13 16-14` on `s`, started: the current
/// toolchain with std's sources if the rust-docs component can make it
/// (see `rust_src`), else another installed toolchain; `None` (and SKIPPED
/// said) if neither is there. Each compiler's run judges only its own
/// expectations (a nightly drift must not turn stable's `cargo test` red).
fn another_compiler(s: &Scratch, rustc: &Rustc) -> Option<(Rustc, std::process::Child)> {
    let why = "the ui test on a compiler with std's sources";
    let other = crate::rust_src::with_rust_src(why).or_else(|| {
        let all = ch16_ui::host::toolchain::select(&[], &[]).expect("toolchains");
        let other = all.compilers.into_iter().find(|c| c.key() != rustc.key());
        let skipped = "SKIPPED two compilers testing one checkout at once: only one installed";
        other.or_else(|| {
            println!("{skipped}");
            None
        })
    })?;
    let child = ch16_ui::emit::not_for_github(&mut other.cargo())
        .current_dir(crate_dir())
        // The compile-fail fixtures: the texts std's sources would change.
        .args(["test", "--quiet", "--test", "ui", "--", "16-13", "16-14"])
        .env(ch16_ui::names::ROOT_ENV, &s.root)
        .env_remove(ch16_ui::names::COLLECT_ENV)
        .env_remove("NEXTEST_RUN_ID")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("cargo runs");
    Some((other, child))
}

/// The real `cargo test --test ui` and `cargo xtask check`, as few times as
/// their points allow (what their user reads is the point), on a copy of
/// listings 16-13 to 16-15 and their expectations inside the crate:
/// * `--list` lists a test per fixture and one for the tree, and starts no
///   run; trybuild's own `trybuild=X` filter is the filter `X`;
/// * with the expectations checked out with CRLF line endings (a Windows
///   checkout with `core.autocrlf=true`), `cargo test` passes, quietly: a
///   line per fixture, no escape codes when piped, while another compiler
///   tests the same checkout, each in directories of its own (the current
///   one with std's sources, if it can be made: its texts compare the
///   same, std's sources hidden); `cargo xtask check` agrees, says that
///   bless would rewrite them as LF, shows its progress in order, and names
///   a recorded compiler version that no toolchain here has as unchecked;
/// * 16-13's `.stderr` edited: on GitHub Actions, a failure naming it with
///   its diff and the bless that accepts the compiler's text, an annotation
///   on the edited line and a line of the job's summary; `--skip`,
///   `--format terse` and `--color never` still check every selected fixture;
/// * a stray file fails the test `suite`, and a header typo fails its
///   fixture (and the catalogue test) by file, line and fix, not as a panic;
///   outside GitHub Actions, no workflow command.
#[test]
fn the_ui_test_and_check_on_the_command_line() {
    let s = Scratch::in_crate("command-line");
    copy_shared_state(&s);
    let rustc = rustc();
    let suite = Suite::load(&s.root).unwrap();
    if !suite.is_blessed(rustc.version) {
        let name = "the_ui_test_and_check_on_the_command_line";
        let v = rustc.version;
        println!("SKIPPED {name}: the expectations were never blessed for rustc {v}");
        return;
    }
    let file = |id: &str, kind: Kind| {
        let file = suite.by_id(id).unwrap().0.expectation(kind, rustc.version);
        file.unwrap().path.display().to_string()
    };
    let stderr = file("listing-16-13", Kind::Stderr);
    let stdout = file("listing-16-15", Kind::Stdout);
    // Its readers' pages, as a checkout has them (`check` compares them).
    let (ok, out) = xtask(Some(&s.root), &["catalogue"]);
    assert!(ok, "{out}");

    // `--list`, with the suite's directories moved aside: none is made.
    let (target, aside) = (s.root.join("target"), s.root.join("target-aside"));
    let _ = fs::remove_dir_all(&aside);
    let _ = fs::rename(&target, &aside);
    let list = ui(&s, &["--list"], &[]);
    let started = target.exists();
    let _ = fs::remove_dir_all(&target);
    let _ = fs::rename(&aside, &target);
    assert!(
        list.ok && !started,
        "--list started a run:\n{}",
        list.stdout
    );
    let tests = [
        "listing-16-13-counter-moved",
        "listing-16-14-rc-not-send",
        "listing-16-15-arc-mutex",
        "suite",
    ];
    assert_eq!(listed(&list.stdout), tests.map(|t| format!("{t}: test")));
    // (Listed, as libtest applies a filter to the list too: no run needed.)
    let list = ui(&s, &["trybuild=16-13", "--list"], &[]);
    assert_eq!(listed(&list.stdout), ["listing-16-13-counter-moved: test"]);

    for file in [&stderr, &stdout] {
        let text = fs::read_to_string(s.root.join(file)).unwrap();
        s.write(file, &text.replace('\n', "\r\n"));
    }
    // Meanwhile another compiler's `cargo test` on the same checkout.
    let other = another_compiler(&s, &rustc);
    let ran = ui(&s, &[], &[]);
    let out = &ran.stdout;
    assert!(ran.ok, "{out}{}", ran.stderr);
    let lines = out.lines().filter(|l| !l.trim().is_empty()).count();
    assert!(lines <= 25, "{lines} lines:\n{out}");
    lacks(out, &["\u{1b}", "Blocking waiting"]);
    // Each fixture a line of its own, and one for the tree.
    for test in tests {
        let line = |l: &&str| l.starts_with(&format!("test {test} ")) && l.ends_with(" ok");
        assert_eq!(out.lines().filter(line).count(), 1, "{test}: {out}");
    }
    let all_passed = "test result: ok. 4 passed; 0 failed; 0 ignored";
    holds(out, &[all_passed]);
    if let Some((other, child)) = other {
        let ran = child.wait_with_output().unwrap();
        let out = String::from_utf8_lossy(&ran.stdout) + String::from_utf8_lossy(&ran.stderr);
        let label = other.label();
        assert!(
            ran.status.success(),
            "{label} failed beside another:\n{out}"
        );
        holds(
            &out,
            &["test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 2 filtered out"],
        );
        // With std's sources, the texts compared all the same (the
        // expectations were blessed without them).
        if other.rust_src().is_some() {
            let note = "note: rust-src is installed; fixtures were compiled against a sysroot \
                        without std's sources";
            holds(
                &out,
                &["ok   .stderr text, compared by trybuild: 2/2", note],
            );
        }
        // trybuild's report (kept in its file) names the staged copy in
        // each compiler's own directory.
        for key in [rustc.key(), other.key()] {
            let log = fs::read_to_string(s.root.join(format!("target/ui/{key}/build.log")));
            let staged =
                format!("command-line/target/ui/{key}/stage/ui/ch16-03-shared-state/listing-16-1");
            holds(&log.unwrap_or_default(), &[&staged]);
        }
    }

    let rustc_path = rustc_path();
    let (rustc_arg, filters) = (rustc_path.to_str().unwrap(), ["16-13", "16-15"]);
    let check = [
        "check", "--filter", filters[0], "--filter", filters[1], "--rustc", rustc_arg,
    ];
    // A recorded compiler that is not installed (nor named): said unchecked
    // (the pages name the recorded compilers: made again).
    let recorded = fs::read_to_string(s.root.join("ui/toolchains.txt")).unwrap();
    s.write("ui/toolchains.txt", &format!("{recorded}1.900\n"));
    let (ok, out) = xtask(Some(&s.root), &["catalogue"]);
    assert!(ok, "{out}");
    let (ok, out) = xtask(Some(&s.root), &check);
    assert!(ok, "check disagrees with the tests:\n{out}");
    let crlf = "2 expectation file(s) end their lines in CRLF";
    holds(&out, &[crlf, &stderr, &stdout]);
    let unchecked =
        "UNCHECKED rustc 1.900 (listed in ui/toolchains.txt): no compiler of that version ran";
    holds(&out, &[unchecked, "`rustup toolchain install 1.900`"]);
    // Said before the verdict, which says that not everything was checked.
    let verdict = "check: ok, every expectation checked is up to date; the UNCHECKED versions";
    assert!(out.find(unchecked) < out.find(verdict), "{out}");
    // The first thing said, then the count from zero to the end, then done.
    let at = |needle: &str| {
        out.find(needle)
            .unwrap_or_else(|| panic!("no `{needle}`: {out}"))
    };
    let progress = [
        "checking 2 fixture(s)",
        "building the suite",
        "0/2 fixtures",
    ];
    for pair in [&progress[..], &["2/2 fixtures", "done in"]]
        .concat()
        .windows(2)
    {
        assert!(at(pair[0]) < at(pair[1]), "{pair:?}: {out}");
    }

    // One line of 16-13's expectation edited by hand.
    let text = fs::read_to_string(s.root.join(&stderr)).unwrap();
    let edit = |(i, l): (usize, &str)| format!("{l}{}\n", if i == 2 { " (edited)" } else { "" });
    s.write(
        &stderr,
        &text.lines().enumerate().map(edit).collect::<String>(),
    );
    let summary = s.root.join("step-summary.md");
    let _ = fs::remove_file(&summary);
    let actions = [("GITHUB_ACTIONS", "true".as_ref())];
    let github = [actions[0], ("GITHUB_STEP_SUMMARY", summary.as_os_str())];
    let tersely = ["--skip", "16-15", "--format", "terse", "--color", "never"];
    let ran = ui(&s, &tersely, &github);
    let out = &ran.stdout;
    assert!(!ran.ok, "{out}");
    let needles = [
        "FAIL ui/ch16-03-shared-state/listing-16-13-counter-moved.rs",
        &format!("{stderr} differs from what"),
        "(edited)",
        "run `cargo xtask bless --filter 16-13`",
        // 16-15 skipped, the others checked, tersely: no line per test.
        "2 fixture(s), 2 compile-fail and 0 runnable (1 filtered out)",
        "test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 1 filtered out",
        // Grouped by section.
        "::group::ui/ch16-03-shared-state: 1 failing fixture(s)",
        "::endgroup::",
    ];
    holds(out, &needles);
    // No line per test, and no staged paths.
    lacks(
        out,
        &[
            "test listing-16-14",
            "TRYBUILD=overwrite",
            "/stage/",
            "\u{1b}",
        ],
    );
    // The diff's changed line, marked as removed.
    let removed = |l: &str| l.trim_start().starts_with('-') && l.ends_with("(edited)");
    assert!(out.lines().any(removed), "{out}");
    // The annotation is on the expectation's first differing line (the
    // edited third); the job's summary has a line.
    let error = out.lines().find(|l| l.starts_with("::error "));
    let error = error.unwrap_or_else(|| panic!("no ::error line:\n{out}"));
    let start = format!("::error file={stderr},line=3,title=");
    assert!(
        error.starts_with(&start) && error.contains("(edited)%0A"),
        "{error}"
    );
    let written = fs::read_to_string(&summary).expect("the job summary was written");
    let row = format!(
        "| `ui/ch16-03-shared-state/listing-16-13-counter-moved.rs` | stderr-text | `{stderr}:3` \
         | `cargo xtask bless --filter 16-13` |"
    );
    holds(&written, &[&row]);

    // A stray file and a header typo; neither is compiled, both fail.
    s.fine("listing-16-91-ok").write("ui/stray.txt", "x\n");
    let typo = "ui/ch16-01-threads/listing-16-91-ok.rs";
    let text = fs::read_to_string(s.root.join(typo)).unwrap();
    s.write(typo, &text.replace("//! caption:", "//! captoin:"));
    let root = [(ch16_ui::names::ROOT_ENV, s.root.as_os_str())];
    let catalogue = cargo(&crate_dir(), &["test", "-q", "--test", "catalogue"], &root);
    let tree = ui(&s, &["16-91", "suite"], &[]);
    let failed = |l: &str| l.starts_with("test suite ") && l.ends_with(" FAILED");
    assert!(tree.stdout.lines().any(failed), "{}", tree.stdout);
    let needles = [
        "rustc ran 0 time(s) in this run",
        "FAIL the fixture tree (ui/): 1 problem(s) of no one fixture",
        "ui/stray.txt: stray file at the top of `ui/`",
    ];
    holds(&tree.stdout, &needles);
    let typo = format!("{typo}:2: unknown header field `captoin`");
    for (test, ran) in [("ui", tree), ("catalogue", catalogue)] {
        let text = format!("{test}: {}{}", ran.stdout, ran.stderr);
        assert!(!ran.ok, "{text}");
        holds(&text, &[&typo, "fix: did you mean `caption`?"]);
        lacks(&text, &["panicked", "backtrace"]);
        // Outside GitHub Actions, no workflow command.
        assert!(!text.lines().any(|l| l.starts_with("::")), "{text}");
    }
}

/// A checkout whose `ui/` files are all CRLF (an editor, or a clone without
/// `.gitattributes`) reads as it was blessed: the same fixtures and the
/// same pages. And the tests that copy the checkout's fixtures copy it as
/// LF, so that the command-line test's own CRLF step, and every
/// byte-for-byte comparison, start from the text as blessed.
#[test]
fn a_checkout_in_crlf_reads_as_blessed_and_is_copied_as_lf() {
    let crlf = Scratch::new("crlf-checkout");
    copy_shared_state(&crlf);
    let read = || {
        let suite = Suite::load(&crlf.root).unwrap();
        let pages = ch16_ui::catalogue::render(&suite).unwrap();
        let sources = suite.loaded().map(|(_, l)| l.source.clone());
        let texts = pages.into_iter().map(|p| p.text);
        sources.chain(texts).collect::<Vec<_>>()
    };
    let as_lf = read();
    let mut made = 0;
    for (file, _, _) in snapshot(&crlf.root.join("ui")) {
        let text = fs::read_to_string(&file).unwrap();
        fs::write(&file, text.replace('\n', "\r\n")).unwrap();
        made += 1;
    }
    assert!(made >= 6, "only {made} file(s) copied");
    let as_crlf = read();
    assert_eq!(as_crlf.len(), as_lf.len());
    for (crlf, lf) in as_crlf.iter().zip(&as_lf) {
        assert!(crlf == lf, "read from CRLF:\n{crlf:?}\nfrom LF:\n{lf:?}");
    }
    let stems = ["listing-16-13-", "listing-16-14-", "listing-16-15-"];
    let [from_crlf, from_checkout] = ["copy-of-crlf", "copy-of-checkout"].map(Scratch::new);
    copy_fixtures_from(&crlf.root, &from_crlf, "ch16-03-shared-state", &stems);
    copy_shared_state(&from_checkout);
    let files = |s: &Scratch| {
        let ui = s.root.join("ui");
        let texts = snapshot(&ui).into_iter().map(|(file, _, _)| {
            let text = fs::read_to_string(&file).unwrap();
            (file.strip_prefix(&ui).unwrap().to_path_buf(), text)
        });
        texts.collect::<Vec<_>>()
    };
    let (copied, expected) = (files(&from_crlf), files(&from_checkout));
    assert_eq!(copied.len(), made);
    for ((file, text), (_, lf)) in copied.iter().zip(&expected) {
        assert!(!text.contains('\r'), "{} copied with CRLF", file.display());
        assert_eq!(text, lf, "{}", file.display());
    }
}

/// The real `cargo xtask show` (what it prints is the point): the
/// expectation that applies, its variants, and the raw output with the real
/// path; a query that matches several fixtures lists them; `--help`.
#[test]
fn show_names_the_expectation_that_applies_its_variants_and_the_raw_output() {
    let rustc_path = rustc_path();
    let show = ["show", "16-06", "--rustc", rustc_path.to_str().unwrap()];
    let (_, out) = xtask(None, &show);
    let suite = Suite::load(&crate_dir()).unwrap();
    let fixture = suite.fixtures.iter().find(|f| f.short_id() == "16-06");
    let fixture = fixture.unwrap();
    for e in &fixture.expectations {
        let path = e.path.display();
        holds(
            &out,
            &[&match e.key {
                None => format!("{path}  (from the oldest recorded compiler"),
                Some(v) => format!("{path}  (from rustc {v})"),
            }],
        );
    }
    // The reader's own compiler prints the real path, not trybuild's `$DIR`.
    let real_path = format!("--> {}:", fixture.display_path());
    holds(&out, &["<- applies to", "run directly on", &real_path]);
    // One fixture per short id; a query that matches several lists them.
    let (ok, out) = xtask(None, &["show", "16-0"]);
    assert!(!ok, "{out}");
    holds(&out, &["matches", "16-02  (ui/ch16-01-threads/"]);
    let (ok, out) = xtask(None, &["show", "--help"]);
    assert!(ok && out.starts_with("usage: cargo xtask"), "{out}");
}

/// rustc's suggestions come from the observer's records, so the fake
/// trybuild (real compiles through the real observer) is enough here.
#[test]
fn the_compilers_suggestion_is_checked_against_the_fixture_it_claims_to_give() {
    let s = Scratch::new("suggestion");
    let stems = [
        "listing-16-03-",
        "listing-16-04-",
        "listing-16-05-",
        "output-only-01-",
    ];
    copy_fixtures(&s, "ch16-01-threads", &stems);
    let (rustc, claimants) = (rustc(), ["16-03".to_string(), "16-04".to_string()]);
    let opts = Options {
        filters: &claimants,
        ..options(&s.root, &rustc)
    };
    let run = || harness::run(&opts, &Fake::new(&s)).unwrap();
    let r = run();
    if !r.blessed {
        let v = rustc.version;
        let why = "was never blessed, so there is no .fixed to compare";
        println!("SKIPPED the_compilers_suggestion_is_checked_…: rustc {v} {why}");
        return;
    }
    assert_eq!(r.failed(), 0, "{}", summary(&r));

    // Code the suggestions no longer give: a renamed variable in 16-05
    // (which prints the same) and in output-only-01; and 16-03's `.fixed`
    // edited by hand, which fails like a `.stderr`: a diff and the bless.
    let edit = |file: &str, from: &str, to: &str| {
        let path = s.root.join("ui/ch16-01-threads").join(file);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replace(from, to)).unwrap();
    };
    edit("listing-16-05-move-closure.rs", "handle", "h");
    edit("output-only-01-move-drop.rs", "handle", "h");
    edit(
        "listing-16-03-borrow-in-thread.fixed",
        "move ||",
        "move  ||",
    );
    let r = run();
    let claims = [
        ("listing-16-03-borrow-in-thread", "listing-16-05"),
        (
            "listing-16-04-drop-while-borrowed",
            "output-only-01-move-drop",
        ),
    ];
    for (stem, gives) in claims {
        let text = messages(&r, stem, Check::SuggestionClaim).join("\n");
        let line = |sign, code| {
            text.lines()
                .any(|l| l.starts_with(sign) && l.contains(code))
        };
        let claim = text.contains(&format!("no longer gives {gives}'s code"));
        let summary = summary(&r);
        assert!(
            claim && line('-', "let handle") && line('+', "let h "),
            "{stem}: {summary}"
        );
    }
    let fix = messages(&r, "listing-16-03-borrow-in-thread", Check::Fixed).join("\n");
    holds(
        &fix,
        &[
            "the fixed code differs from `ui/ch16-01-threads/listing-16-03-borrow-in-thread.fixed`",
            "-    let handle = thread::spawn(move  || {",
            "`cargo xtask bless --filter 16-03`",
        ],
    );
}
