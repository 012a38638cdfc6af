//! Wrong outcomes, annotations that disagree, missing and CRLF expectations:
//! each check fails on its fault, with the fixture and the fix.

use crate::support::*;
use ch16_ui::model::suite::Suite;
use ch16_ui::observe::Options;
use ch16_ui::observe::stage::Workdirs;
use ch16_ui::problem::Check;
use std::fs;

/// One run of the fake trybuild on one fault per fixture: a compile-fail
/// fixture that compiles; runnable ones that do not compile, panic, or exit
/// non-zero; errors at another line or with another code than annotated; a
/// missing expectation; expectations with CRLF line endings (compared as
/// LF); two fixtures that do not load (a scaffold, a header typo), which
/// fail alone, by file, line and fix, while a link to one still resolves.
/// The fixtures without a fault pass, and each was compiled once; a run
/// that selects none of the broken ones passes.
#[test]
fn each_check_fails_on_its_fault_with_the_fixture_and_the_fix() {
    let s = Scratch::new("checks");
    let (fix, e0308) = ("listing-16-82", "E0308");
    // The error is on the `let` line, annotated one line too low.
    let wrong_line = "fn main() {\n    let x: i32 = \"no\";\n    //~ ERROR E0308\n}\n";
    // Right line, wrong code (header and annotation agree with each other).
    let wrong_code = "fn main() {\n    let x: i32 = \"no\"; //~ ERROR E0277\n}\n";
    let main = |body: &str| format!("fn main() {{\n    {body}\n}}\n");
    let compiles = "fn main() {} //~ ERROR E0308\n";
    let (type_error, exits) = (main("let x: i32 = \"no\";"), main("std::process::exit(3);"));
    let crlf_stderr = "error[E0308]: mismatched types\r\n  --> x\r\n";
    let two_lines = main("println!(\"a\");\n    println!(\"b\");");
    let scaffold =
        ch16_ui::model::fixture::scaffold("listing-16-79", "16.1", "ch16-01-threads", "", "");
    s.write("ui/ch16-01-threads/listing-16-79-new.rs", &scaffold)
        .fine("listing-16-80-typo")
        .fails("listing-16-81-compiles", e0308, fix, compiles, "x\n")
        .fine("listing-16-82-ok")
        .runs("listing-16-83-type-error", &type_error, Some(""))
        .runs("listing-16-84-panics", &main("panic!(\"boom\");"), Some(""))
        .runs("listing-16-85-exit", &exits, Some(""))
        .fails("listing-16-86-line", e0308, fix, wrong_line, "x\n")
        .fails("listing-16-87-code", "E0277", fix, wrong_code, "x\n")
        .runs("listing-16-88-new", OK_RUN, None)
        .fails(
            "listing-16-89-crlf",
            e0308,
            "listing-16-79",
            FAILS_E0308,
            crlf_stderr,
        )
        .runs("listing-16-90-crlf", &two_lines, Some("a\r\nb\r\n"));
    let typo = "ui/ch16-01-threads/listing-16-80-typo.rs";
    let text = fs::read_to_string(s.root.join(typo)).unwrap();
    s.write(typo, &text.replace("//! caption:", "//! captoin:"));
    let r = run(&s);
    let summary = summary(&r);
    let disagree = |lines: &[String]| {
        format!(
            "the `//~` annotations disagree with the compiler:\n    {}",
            lines.join("\n    ")
        )
    };

    assert_eq!(
        messages(&r, "listing-16-81-compiles", Check::Outcome),
        [COMPILED_E0308]
    );
    let line = s.line("listing-16-81-compiles", "fn main");
    assert_eq!(
        messages(&r, "listing-16-81-compiles", Check::Annotations),
        [disagree(&[unreported(line, "ERROR E0308")])]
    );

    let line = s.line("listing-16-83-type-error", "let x");
    assert_eq!(
        messages(&r, "listing-16-83-type-error", Check::Outcome),
        [format!(
            "did not compile, but is expected to run:\n    line {line}: ERROR E0308 mismatched types"
        )]
    );
    let panicked = messages(&r, "listing-16-84-panics", Check::Outcome);
    assert_eq!(panicked.len(), 1);
    assert!(
        panicked[0].starts_with(
            "exited with exit status: 101, expected success\n    last lines of stderr:"
        ),
        "{panicked:?}"
    );
    // The program's own path, not the staged copy's, and no backtrace.
    assert!(
        panicked[0]
            .contains("panicked at ui/ch16-01-threads/listing-16-84-panics.rs:13:5:\n        boom"),
        "{panicked:?}"
    );
    assert_eq!(
        messages(&r, "listing-16-85-exit", Check::Outcome),
        ["exited with exit status: 3, expected success\n    (stderr was empty)"]
    );

    let l = s.line("listing-16-86-line", "let x");
    assert_eq!(
        messages(&r, "listing-16-86-line", Check::Annotations),
        [disagree(&[
            unreported(l + 1, "ERROR E0308"),
            unannotated(l, "ERROR E0308", "mismatched types")
        ])]
    );
    assert_eq!(
        messages(&r, "listing-16-87-code", Check::Annotations),
        [disagree(&[
            unreported(l, "ERROR E0277"),
            unannotated(l, "ERROR E0308", "mismatched types")
        ])]
    );

    assert_eq!(
        messages(&r, "listing-16-88-new", Check::Expectation),
        [
            "no expected output: `ui/ch16-01-threads/listing-16-88-new.stdout` is missing; run `cargo xtask bless --filter 16-88`"
        ]
    );

    // CRLF: the output compares equal, and trybuild is given the `.stderr` as LF.
    let suite = Suite::load(&s.root).unwrap();
    let crlf = suite.by_id("listing-16-89").unwrap().0;
    let staged = Workdirs::within(&s.root, &s.root, &rustc().key())
        .unwrap()
        .staged_stderr(crlf);
    assert_eq!(
        fs::read_to_string(staged).unwrap(),
        "error[E0308]: mismatched types\n  --> x\n"
    );

    let broken = |stem: &str| -> String {
        let path = format!("ui/ch16-01-threads/{stem}.rs");
        let fixture = r.fixtures.iter().find(|f| f.path == path);
        let fixture = fixture.unwrap_or_else(|| panic!("{stem} is not in the report:\n{summary}"));
        fixture
            .problems
            .iter()
            .map(|p| format!("{}: {p}", p.check))
            .collect()
    };
    assert_eq!(
        broken("listing-16-79-new"),
        "load: ui/ch16-01-threads/listing-16-79-new.rs:2: still holds the scaffold's `TODO` text from \
         `cargo xtask new`\n  fix: replace every TODO with the listing's caption, heading, explanation and code"
    );
    assert!(
        broken("listing-16-80-typo").starts_with(
            "load: ui/ch16-01-threads/listing-16-80-typo.rs:2: unknown header field `captoin`\n  fix: did you mean `caption`?"
        ),
        "{summary}"
    );
    assert!(
        summary.contains("FAIL ui/ch16-01-threads/listing-16-79-new.rs  (16-79 does not load)"),
        "{summary}"
    );

    for stem in [
        "listing-16-82-ok",
        "listing-16-89-crlf",
        "listing-16-90-crlf",
    ] {
        assert!(passed(&r, stem), "{stem}: {summary}");
    }
    // Nine fixtures, and trybuild's two batches.
    assert_eq!(r.failed(), 11, "{summary}");
    // Everything that loads was compiled once, by trybuild's cargo (here:
    // the fake).
    assert!(r.compiles().iter().all(|(_, n)| *n == 1), "{summary}");
    assert_eq!(r.compiles().len(), 10, "{summary}");
    // Without a `timeout:` field, the default limit applies.
    let ok = suite.by_id("listing-16-82").unwrap().0;
    let timeout = ok.loaded().unwrap().header.timeout;
    assert_eq!(timeout, ch16_ui::model::header::DEFAULT_TIMEOUT);

    // Not selected, a broken fixture is no one's business.
    let (rustc, only) = (rustc(), ["16-89".to_string()]);
    let opts = Options {
        filters: &only,
        ..options(&s, &rustc)
    };
    let only = ch16_ui::harness::run(&opts, &Fake::new(&s)).unwrap();
    assert_eq!(
        (only.failed(), only.filtered_out),
        (0, 11),
        "{}",
        crate::support::summary(&only)
    );
}
