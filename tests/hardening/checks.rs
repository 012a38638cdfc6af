//! Wrong outcomes, annotations that disagree, missing and CRLF expectations,
//! fixtures that do not load: each check fails on its fault, with the
//! fixture and the fix.

use crate::support::*;
use ch16_ui::model::suite::Suite;
use ch16_ui::observe::Options;
use ch16_ui::observe::stage::Workdirs;
use ch16_ui::problem::Check;
use std::fs;

/// One run of the fake trybuild on one fault per fixture: a compile-fail
/// fixture that compiles; runnable ones that do not compile, panic, or exit
/// non-zero; errors at another line or with another code than annotated; a
/// missing expectation; a fixture and expectations with CRLF line endings
/// (read as LF); two fixtures that do not load (a scaffold, a header typo), which
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
    let crlf_stderr = "error[E0308]: mismatched types\r\n  --> x\r\n";
    let two_lines = main("println!(\"a\");\n    println!(\"b\");");
    let scaffold = ch16_ui::model::fixture::scaffold;
    let scaffold = scaffold("listing-16-79", "16.1", "ch16-01-threads", "", "");
    s.write("ui/ch16-01-threads/listing-16-79-new.rs", &scaffold);
    s.fine("listing-16-80-typo");
    s.fails("listing-16-81-compiles", e0308, fix, compiles, "x\n");
    s.fine("listing-16-82-ok");
    let (type_error, exit) = (main("let x: i32 = \"no\";"), main("std::process::exit(3);"));
    s.runs("listing-16-83-type-error", &type_error, Some(""));
    s.runs("listing-16-84-panics", &main("panic!(\"boom\");"), Some(""));
    s.runs("listing-16-85-exit", &exit, Some(""));
    s.fails("listing-16-86-line", e0308, fix, wrong_line, "x\n");
    s.fails("listing-16-87-code", "E0277", fix, wrong_code, "x\n");
    s.runs("listing-16-88-new", OK_RUN, None);
    s.fails(
        "listing-16-89-crlf",
        e0308,
        "listing-16-79",
        FAILS_E0308,
        crlf_stderr,
    );
    s.runs("listing-16-90-crlf", &two_lines, Some("a\r\nb\r\n"));
    // A fixture an editor saved with CRLF line ends.
    let crlf_rs = "ui/ch16-01-threads/listing-16-89-crlf.rs";
    let text = fs::read_to_string(s.root.join(crlf_rs)).unwrap();
    s.write(crlf_rs, &text.replace('\n', "\r\n"));
    let typo = "ui/ch16-01-threads/listing-16-80-typo.rs";
    let text = fs::read_to_string(s.root.join(typo)).unwrap();
    s.write(typo, &text.replace("//! caption:", "//! captoin:"));
    let r = run(&s);
    let summary = summary(&r);
    let said = |stem: &str, check| messages(&r, &format!("listing-16-{stem}"), check);
    let disagree = |lines: &[String]| {
        let said = "the `//~` annotations disagree with the compiler:";
        [format!("{said}\n    {}", lines.join("\n    "))]
    };

    assert_eq!(said("81-compiles", Check::Outcome), [COMPILED_E0308]);
    let unreported_e0308 = unreported(s.line("listing-16-81-compiles", "fn main"), "ERROR E0308");
    assert_eq!(
        said("81-compiles", Check::Annotations),
        disagree(&[unreported_e0308])
    );

    let line = s.line("listing-16-83-type-error", "let x");
    let error = format!("line {line}: ERROR E0308 mismatched types");
    let not_compiled = format!("did not compile, but is expected to run:\n    {error}");
    assert_eq!(said("83-type-error", Check::Outcome), [not_compiled]);
    let panicked = said("84-panics", Check::Outcome);
    let exited = "exited with exit status: 101, expected success\n    last lines of stderr:";
    assert!(
        panicked.len() == 1 && panicked[0].starts_with(exited),
        "{panicked:?}"
    );
    // The program's own path, not the staged copy's, and no backtrace.
    let at = "panicked at ui/ch16-01-threads/listing-16-84-panics.rs:13:5:\n        boom";
    holds(&panicked[0], &[at]);
    let exited = "exited with exit status: 3, expected success\n    (stderr was empty)";
    assert_eq!(said("85-exit", Check::Outcome), [exited]);

    let l = s.line("listing-16-86-line", "let x");
    let mismatched = unannotated(l, "ERROR E0308", "mismatched types");
    let lower = unreported(l + 1, "ERROR E0308");
    assert_eq!(
        said("86-line", Check::Annotations),
        disagree(&[lower, mismatched.clone()])
    );
    let e0277 = unreported(l, "ERROR E0277");
    assert_eq!(
        said("87-code", Check::Annotations),
        disagree(&[e0277, mismatched])
    );

    let missing = "no expected output: `ui/ch16-01-threads/listing-16-88-new.stdout` is missing; \
                   run `cargo xtask bless --filter 16-88`";
    assert_eq!(said("88-new", Check::Expectation), [missing]);

    // CRLF: the output compares equal, and trybuild is given the `.stderr` as LF.
    let suite = Suite::load(&s.root).unwrap();
    let dirs = Workdirs::within(&s.root, &s.root, &rustc().key()).unwrap();
    let staged = dirs.staged_stderr(suite.by_id("listing-16-89").unwrap().0);
    let lf = "error[E0308]: mismatched types\n  --> x\n";
    assert_eq!(fs::read_to_string(staged).unwrap(), lf);
    // And the fixture as LF: rustc compiles, and the pages quote, the text
    // the model reads.
    let (fixture, listing) = suite.by_id("listing-16-89").unwrap();
    let staged = dirs.staged_stderr(fixture).with_extension("rs");
    let staged = fs::read_to_string(staged).unwrap();
    assert!(
        !staged.contains('\r') && staged == listing.source,
        "{staged:?}"
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
    let scaffolded = "load: ui/ch16-01-threads/listing-16-79-new.rs:2: still holds the scaffold's \
                      `TODO` text from `cargo xtask new`\n  fix: replace every TODO with the \
                      listing's caption, heading, explanation and code";
    assert_eq!(broken("listing-16-79-new"), scaffolded);
    let typo = "load: ui/ch16-01-threads/listing-16-80-typo.rs:2: unknown header field `captoin`\n  \
                fix: did you mean `caption`?";
    assert!(broken("listing-16-80-typo").starts_with(typo), "{summary}");
    let fail = "FAIL ui/ch16-01-threads/listing-16-79-new.rs  (16-79 does not load)";
    holds(&summary, &[fail]);

    for stem in ["82-ok", "89-crlf", "90-crlf"].map(|s| format!("listing-16-{s}")) {
        assert!(passed(&r, &stem), "{stem}: {summary}");
    }
    // Nine fixtures, and trybuild's two batches.
    assert_eq!(r.failed(), 11, "{summary}");
    // Everything that loads was compiled once, by trybuild's cargo (here:
    // the fake).
    let compiles = r.compiles();
    assert!(
        compiles.len() == 10 && compiles.iter().all(|(_, n)| *n == 1),
        "{summary}"
    );
    // Without a `timeout:` field, the default limit applies.
    let ok = suite.by_id("listing-16-82").unwrap().0.loaded().unwrap();
    assert_eq!(ok.header.timeout, ch16_ui::model::header::DEFAULT_TIMEOUT);

    // Not selected, a broken fixture is no one's business.
    let (rustc, only) = (rustc(), ["16-89".to_string()]);
    let opts = Options {
        filters: &only,
        ..options(&s.root, &rustc)
    };
    let only = ch16_ui::harness::run(&opts, &Fake::new(&s)).unwrap();
    let summary = crate::support::summary(&only);
    assert_eq!((only.failed(), only.filtered_out), (0, 11), "{summary}");
}
