//! Bad input refused when the tree is loaded: headers, annotations, ids,
//! orphan and misnamed expectations, each named by file and line.

use crate::support::*;
use ch16_ui::harness;
use std::fs;

#[test]
fn annotation_on_a_fixture_that_compiles_is_refused_at_load() {
    let s = Scratch::new("annotated-run");
    let code = "fn main() {} //~ ERROR E0308\n";
    s.runs("listing-16-91-run", code, Some(""));
    let line = s.line("listing-16-91-run", "fn main");
    assert_eq!(
        s.load_errors(),
        [format!(
            "ui/ch16-01-threads/listing-16-91-run.rs:{line}: a runnable fixture carries a `//~ ERROR` annotation\n  fix: remove the annotation, or make the fixture `expect: compile-fail …`"
        )]
    );
}

#[test]
fn malformed_annotations_and_header_fields_name_file_and_line() {
    let s = Scratch::new("malformed");
    let bad = "fn main() {} //~ ERROR mismatched\n";
    s.fixture(
        "listing-16-91-ann",
        "compile-fail E0308",
        "//! fixed-by: listing-16-93\n",
        bad,
        None,
    )
    .write(
        "ui/ch16-01-threads/listing-16-92-hdr.rs",
        "//! listing: listing-16-92\n//! captoin: x\n",
    )
    .fine("listing-16-93-ok");
    let line = s.line("listing-16-91-ann", "fn main");
    assert_eq!(
        s.load_errors(),
        [
            format!(
                "ui/ch16-01-threads/listing-16-91-ann.rs:{line}: `mismatched` is not a valid error code\n  fix: write `//~ ERROR E0382`, `//~^ ERROR E0382` (line above) or `//~ WARN unused_variables`"
            ),
            "ui/ch16-01-threads/listing-16-92-hdr.rs:2: unknown header field `captoin`\n  fix: did you mean `caption`? The fields are: listing, caption, teaches, section, url, origin, expect, fixed-by, improved-by, follows, compiler-suggestion-gives, output, stream, stream-partial, stderr, timeout".to_string(),
            // Every problem of a file, not only its first.
            "ui/ch16-01-threads/listing-16-92-hdr.rs:2: the file holds a header and no code\n  fix: add the listing's code after the header".to_string(),
        ]
    );
}

#[test]
fn duplicate_book_ids_are_refused() {
    let s = Scratch::new("duplicate");
    s.fine("listing-16-91-a").fine("listing-16-91-b");
    assert_eq!(
        s.load_errors(),
        [
            "ui/ch16-01-threads/listing-16-91-b.rs:1: listing id `listing-16-91` is also used by ui/ch16-01-threads/listing-16-91-a.rs\n  fix: every fixture has its own id"
        ]
    );
}

#[test]
fn two_fixtures_with_one_short_id_are_refused() {
    let s = Scratch::new("short-ids");
    s.fine("listing-16-91-ok");
    for id in ["no-listing-01-first", "no-listing-01-second"] {
        s.write(
            &format!("ui/ch16-01-threads/{id}.rs"),
            &source(
                id,
                "run",
                "//! output: exact\n//! follows: listing-16-91\n",
                OK_RUN,
            ),
        );
        s.write(&format!("ui/ch16-01-threads/{id}.stdout"), "fine\n");
    }
    let errors = s.load_errors();
    assert!(
        errors.iter().any(|e| e.starts_with(
            "ui/ch16-01-threads/no-listing-01-second.rs:1: short id `no-listing-01` is also that of \
             ui/ch16-01-threads/no-listing-01-first.rs, so `no-listing-01` would select both"
        )),
        "{errors:?}"
    );
}

#[test]
fn orphan_expectation_and_unparseable_version_key_are_refused() {
    let s = Scratch::new("orphan");
    s.fine("listing-16-91-ok")
        .write("ui/ch16-01-threads/listing-16-92-renamed.stderr", "x\n")
        .write("ui/ch16-01-threads/listing-16-91-ok.1.x7.stdout", "x\n");
    assert_eq!(
        s.load_errors(),
        [
            "ui/ch16-01-threads/listing-16-91-ok.1.x7.stdout: `1.x7` is not a compiler version key\n  fix: name keyed expectations `listing-16-91-ok.MAJOR.MINOR.stdout` (e.g. `listing-16-91-ok.1.97.stdout`), or delete the file and run `cargo xtask bless`",
            "ui/ch16-01-threads/listing-16-92-renamed.stderr: orphan expectation: no fixture `listing-16-92-renamed.rs` beside it\n  fix: if the fixture was renamed, rename this file to match it; if it was deleted, delete this file",
        ]
    );
    // A compile-fail fixture renamed without its expectation: the one
    // fixture lacking that file gets it back with `git mv`.
    let s = Scratch::new("renamed");
    s.fixture(
        "listing-16-93-new",
        "compile-fail E0308",
        "//! fixed-by: listing-16-94\n",
        FAILS_E0308,
        None,
    )
    .fine("listing-16-94-ok")
    .write("ui/ch16-01-threads/listing-16-93-old.stderr", "x\n");
    assert_eq!(
        s.load_errors(),
        [
            "ui/ch16-01-threads/listing-16-93-old.stderr: orphan expectation: no fixture `listing-16-93-old.rs` beside it\n  \
          fix: if `ui/ch16-01-threads/listing-16-93-new.rs` was renamed from `listing-16-93-old.rs`: \
          git mv ui/ch16-01-threads/listing-16-93-old.stderr ui/ch16-01-threads/listing-16-93-new.stderr"
        ]
    );
}

/// A fixture that does not load fails alone, by file, line and fix; the
/// others run, a link to the broken one still resolves, and a run that does
/// not select it passes.
#[test]
fn a_fixture_that_does_not_load_fails_alone() {
    let s = Scratch::new("alone");
    s.fine("listing-16-91-ok")
        .write(
            "ui/ch16-01-threads/listing-16-92-new.rs",
            &ch16_ui::model::fixture::scaffold("listing-16-92", "16.1", "ch16-01-threads", "", ""),
        )
        .fine("listing-16-93-typo")
        .fails(
            "listing-16-94-cf",
            "E0308",
            "listing-16-92",
            FAILS_E0308,
            "x\n",
        );
    let typo = s.root.join("ui/ch16-01-threads/listing-16-93-typo.rs");
    let text = fs::read_to_string(&typo).unwrap();
    fs::write(&typo, text.replace("//! caption:", "//! captoin:")).unwrap();

    let r = run(&s);
    let summary = crate::support::summary(&r);
    assert!(passed(&r, "listing-16-91-ok"), "{summary}");
    assert!(passed(&r, "listing-16-94-cf"), "{summary}");
    assert_eq!(r.failed(), 2, "{summary}");
    let broken = |stem: &str| -> String {
        r.fixtures
            .iter()
            .find(|f| f.path == format!("ui/ch16-01-threads/{stem}.rs"))
            .unwrap_or_else(|| panic!("{stem} is not in the report:\n{summary}"))
            .problems
            .iter()
            .map(|p| format!("{}: {p}", p.check))
            .collect()
    };
    assert_eq!(
        broken("listing-16-92-new"),
        "load: ui/ch16-01-threads/listing-16-92-new.rs:2: still holds the scaffold's `TODO` text from \
         `cargo xtask new`\n  fix: replace every TODO with the listing's caption, heading, explanation and code"
    );
    assert!(
        broken("listing-16-93-typo").starts_with(
            "load: ui/ch16-01-threads/listing-16-93-typo.rs:2: unknown header field `captoin`\n  fix: did you mean `caption`?"
        ),
        "{summary}"
    );
    assert!(
        summary.contains("FAIL ui/ch16-01-threads/listing-16-92-new.rs  (16-92 does not load)"),
        "{summary}"
    );

    // Not selected, a broken fixture is no one's business.
    let rustc = rustc();
    let only = harness::run(
        &ch16_ui::observe::Options {
            filters: &["16-91".to_string()],
            ..options(&s, &rustc)
        },
        &Fake::new(&s),
    )
    .unwrap();
    assert_eq!(only.failed(), 0, "{}", crate::support::summary(&only));
    assert_eq!(only.filtered_out, 3);
}

/// A test filter selects by substring: a file name holding another
/// fixture's short id would make that id select both, so it is refused.
#[test]
fn a_name_holding_another_fixtures_short_id_is_refused() {
    let s = Scratch::new("short-id-in-name");
    s.fine("listing-16-91-ok")
        .fine("listing-16-92-unlike-16-91");
    assert_eq!(
        s.load_errors(),
        [
            "ui/ch16-01-threads/listing-16-92-unlike-16-91.rs: its name holds `16-91`, the short id of \
             ui/ch16-01-threads/listing-16-91-ok.rs, so `cargo test --test ui -- 16-91` would select both\n  \
             fix: rename it so that its name holds no other fixture's short id"
        ]
    );
}
