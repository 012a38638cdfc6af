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
