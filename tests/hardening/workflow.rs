//! The maintainers' workflow at its edges: several unfinished fixtures at
//! once.

use crate::support::*;
use ch16_ui::Suite;
use ch16_ui::model::expect::Kind;
use std::fs;
use std::path::Path;

/// Two `cargo xtask new` in a row, then a bless of another fixture while
/// both scaffolds are unfinished; a bless or check that selects a scaffold
/// refuses it, by file, line and fix. On the scratch checkout, whose build
/// is kept.
#[test]
fn new_twice_then_bless_another_while_both_are_unfinished() {
    let rustc = rustc();
    let scratch = ScratchCheckout::take();
    let a = &scratch.a;
    let expected = Suite::load(a)
        .unwrap()
        .by_id("listing-16-15")
        .unwrap()
        .expectation(Kind::Stdout, rustc.version)
        .map(|e| a.join(&e.path));
    let Some(expected) = expected.filter(|_| Suite::load(a).unwrap().is_blessed(rustc.version))
    else {
        println!(
            "SKIPPED new_twice_then_bless_another_…: the expectations were never blessed for rustc {}",
            rustc.version
        );
        return;
    };
    let rustc_path = Path::new(&rustc.sysroot).join("bin/rustc");
    let xtask = |args: &[&str]| {
        let mut all = vec!["run", "--quiet", "--package", "xtask", "--"];
        all.extend(args);
        let ran = cargo(a, &all, &scratch.env());
        (ran.ok, format!("{}{}", ran.stdout, ran.stderr))
    };
    for name in ["listing-16-16-first", "listing-16-17-second"] {
        let (ok, out) = xtask(&["new", "16.3", name]);
        assert!(
            ok && out.contains(&format!("created ui/ch16-03-shared-state/{name}.rs")),
            "{out}"
        );
    }

    let blessed = fs::read_to_string(&expected).unwrap();
    fs::write(&expected, "edited by hand\n").unwrap();
    let (ok, out) = xtask(&[
        "bless",
        "--filter",
        "16-15",
        "--rustc",
        rustc_path.to_str().unwrap(),
    ]);
    assert!(ok, "{out}");
    assert_eq!(fs::read_to_string(&expected).unwrap(), blessed, "{out}");

    let (ok, out) = xtask(&[
        "check",
        "--filter",
        "16-16",
        "--rustc",
        rustc_path.to_str().unwrap(),
    ]);
    assert!(
        !ok && out.contains("REFUSED ui/ch16-03-shared-state/listing-16-16-first.rs: does not load")
            && out.contains(
                "ui/ch16-03-shared-state/listing-16-16-first.rs:2: still holds the scaffold's `TODO` text"
            )
            && out.contains("fix: replace every TODO"),
        "{out}"
    );
}

/// Expectations checked out with CRLF line endings (a Windows checkout
/// with `core.autocrlf=true`) whose text is right: `cargo test` and
/// `cargo xtask check` both pass, and `check` says that bless would rewrite
/// them as LF. On the scratch checkout.
#[test]
fn check_and_test_agree_on_crlf_expectations() {
    let rustc = rustc();
    let scratch = ScratchCheckout::take();
    let a = &scratch.a;
    let suite = Suite::load(a).unwrap();
    if !suite.is_blessed(rustc.version) {
        println!(
            "SKIPPED check_and_test_agree_on_crlf_…: the expectations were never blessed for rustc {}",
            rustc.version
        );
        return;
    }
    let mut crlf = Vec::new();
    for (id, kind) in [
        ("listing-16-13", Kind::Stderr),
        ("listing-16-15", Kind::Stdout),
    ] {
        let file = suite
            .by_id(id)
            .unwrap()
            .expectation(kind, rustc.version)
            .unwrap();
        let path = a.join(&file.path);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replace('\n', "\r\n")).unwrap();
        crlf.push(file.path.display().to_string());
    }

    let test = cargo(
        a,
        &[
            "test", "--quiet", "--test", "ui", "--", "--skip", "16-10", "--skip", "16-11", "16-1",
        ],
        &scratch.env(),
    );
    assert!(
        test.ok
            && test
                .stdout
                .contains("test listing-16-13-counter-moved ... ok"),
        "{}{}",
        test.stdout,
        test.stderr
    );

    let rustc_path = Path::new(&rustc.sysroot).join("bin/rustc");
    let check = cargo(
        a,
        &[
            "run",
            "--quiet",
            "--package",
            "xtask",
            "--",
            "check",
            "--filter",
            "16-13",
            "--filter",
            "16-15",
            "--rustc",
            rustc_path.to_str().unwrap(),
        ],
        &scratch.env(),
    );
    let out = format!("{}{}", check.stdout, check.stderr);
    assert!(check.ok, "check disagrees with the tests:\n{out}");
    assert!(
        out.contains("2 expectation file(s) end their lines in CRLF")
            && crlf.iter().all(|p| out.contains(p.as_str())),
        "{out}"
    );
}
