//! Bad input refused when the tree is loaded: headers, annotations, ids,
//! orphan and misnamed expectations, each named by file and line.

use crate::support::*;

/// A tree made by `setup`, and every error its load must give, in order.
fn refused<E: AsRef<str>>(name: &str, setup: impl FnOnce(&Scratch) -> Vec<E>) {
    let s = Scratch::new(name);
    let expected = setup(&s);
    let expected: Vec<&str> = expected.iter().map(AsRef::as_ref).collect();
    assert_eq!(s.load_errors(), expected, "{name}");
}

/// Each fault on a tree of its own, with the fix: an annotation on a
/// fixture that compiles, a malformed annotation, a header typo (every
/// problem of a file, not only its first), one id twice, two fixtures with
/// one short id, a name holding another fixture's short id (a test filter
/// selects by substring, so that id would select both), an orphan
/// expectation, an unparseable version key, and a compile-fail fixture
/// renamed without its expectation (it gets it back with `git mv`).
#[test]
fn bad_input_is_refused_at_load_by_file_and_line_with_the_fix() {
    refused("annotated-run", |s| {
        let annotated = "fn main() {} //~ ERROR E0308\n";
        s.runs("listing-16-91-run", annotated, Some(""));
        let line = s.line("listing-16-91-run", "fn main");
        vec![format!(
            "ui/ch16-01-threads/listing-16-91-run.rs:{line}: a runnable fixture carries a `//~ ERROR` annotation\n  \
             fix: remove the annotation, or make the fixture `expect: compile-fail …`"
        )]
    });
    refused("hang-fixed-by", |s| {
        let fixed = "//! output: exact\n//! fixed-by: listing-16-92\n";
        s.fixture("listing-16-91-hang", "hang", fixed, OK_RUN, Some("fine\n"));
        s.fine("listing-16-92-ok");
        vec![
            "ui/ch16-01-threads/listing-16-91-hang.rs:8: `fixed-by` only applies to compile-fail fixtures: \
             a runnable one has nothing to fix\n  \
             fix: to point at a listing that does this better, write `improved-by: listing-16-92`",
        ]
    });
    refused("malformed", |s| {
        let bad = "fn main() {} //~ ERROR mismatched\n";
        let (fix, typo) = (
            "//! fixed-by: listing-16-93\n",
            "//! listing: listing-16-92\n//! captoin: x\n",
        );
        s.fixture("listing-16-91-ann", "compile-fail E0308", fix, bad, None);
        s.write("ui/ch16-01-threads/listing-16-92-hdr.rs", typo);
        s.fine("listing-16-93-ok");
        let line = s.line("listing-16-91-ann", "fn main");
        vec![
            format!(
                "ui/ch16-01-threads/listing-16-91-ann.rs:{line}: `mismatched` is not a valid error code\n  \
                 fix: write `//~ ERROR E0382`, `//~^ ERROR E0382` (line above) or `//~ WARN unused_variables`"
            ),
            "ui/ch16-01-threads/listing-16-92-hdr.rs:2: unknown header field `captoin`\n  fix: did you mean `caption`? \
             The fields are: listing, caption, teaches, section, url, origin, expect, fixed-by, improved-by, follows, \
             compiler-suggestion-gives, output, stream, stream-partial, stderr, timeout"
                .into(),
            "ui/ch16-01-threads/listing-16-92-hdr.rs:2: the file holds a header and no code\n  \
             fix: add the listing's code after the header"
                .into(),
        ]
    });
    refused("duplicate", |s| {
        s.fine("listing-16-91-a").fine("listing-16-91-b");
        vec![
            "ui/ch16-01-threads/listing-16-91-b.rs:1: listing id `listing-16-91` is also used by \
             ui/ch16-01-threads/listing-16-91-a.rs\n  fix: every fixture has its own id",
        ]
    });
    refused("short-ids", |s| {
        s.fine("listing-16-91-ok");
        for id in ["no-listing-01-first", "no-listing-01-second"] {
            let follows = "//! output: exact\n//! follows: listing-16-91\n";
            let file = format!("ui/ch16-01-threads/{id}");
            s.write(&format!("{file}.rs"), &source(id, "run", follows, OK_RUN));
            s.write(&format!("{file}.stdout"), "fine\n");
        }
        vec![
            "ui/ch16-01-threads/no-listing-01-second.rs:1: short id `no-listing-01` is also that of \
             ui/ch16-01-threads/no-listing-01-first.rs, so `no-listing-01` would select both\n  \
             fix: number it differently (the next free number in its group)",
        ]
    });
    refused("short-id-in-name", |s| {
        s.fine("listing-16-91-ok")
            .fine("listing-16-92-unlike-16-91");
        vec![
            "ui/ch16-01-threads/listing-16-92-unlike-16-91.rs: its name holds `16-91`, the short id of \
             ui/ch16-01-threads/listing-16-91-ok.rs, so `cargo test --test ui -- 16-91` would select both\n  \
             fix: rename it so that its name holds no other fixture's short id",
        ]
    });
    refused("orphan", |s| {
        s.fine("listing-16-91-ok")
            .write("ui/ch16-01-threads/listing-16-92-renamed.stderr", "x\n")
            .write("ui/ch16-01-threads/listing-16-91-ok.1.x7.stdout", "x\n");
        vec![
            "ui/ch16-01-threads/listing-16-91-ok.1.x7.stdout: `1.x7` is not a compiler version key\n  \
             fix: name keyed expectations `listing-16-91-ok.MAJOR.MINOR.stdout` (e.g. `listing-16-91-ok.1.97.stdout`), \
             or delete the file and run `cargo xtask bless`",
            "ui/ch16-01-threads/listing-16-92-renamed.stderr: orphan expectation: no fixture `listing-16-92-renamed.rs` \
             beside it\n  fix: if the fixture was renamed, rename this file to match it; if it was deleted, delete this file",
        ]
    });
    refused("renamed", |s| {
        let fix = "//! fixed-by: listing-16-94\n";
        s.fixture(
            "listing-16-93-new",
            "compile-fail E0308",
            fix,
            FAILS_E0308,
            None,
        );
        s.fine("listing-16-94-ok");
        s.write("ui/ch16-01-threads/listing-16-93-old.stderr", "x\n");
        vec![
            "ui/ch16-01-threads/listing-16-93-old.stderr: orphan expectation: no fixture `listing-16-93-old.rs` beside it\n  \
             fix: if `ui/ch16-01-threads/listing-16-93-new.rs` was renamed from `listing-16-93-old.rs`: \
             git mv ui/ch16-01-threads/listing-16-93-old.stderr ui/ch16-01-threads/listing-16-93-new.stderr",
        ]
    });
    refused("opening-declared-none", |s| {
        s.fine("listing-16-95-ok");
        std::fs::create_dir_all(s.root.join("ui/ch16-01-threads-beyond")).unwrap();
        s.write("ui/ch16-01-threads-beyond/opening.md", "An opening.\n");
        vec![
            "ui/ch16-01-threads-beyond/opening.md: only a section's own page has an opening, and \
             this directory is not one\n  fix: delete it, or move its text into the section's \
             `opening.md`",
        ]
    });
    refused("opening-missing", |s| {
        s.fine("listing-16-95-ok");
        std::fs::remove_file(s.root.join("ui/ch16-01-threads/opening.md")).unwrap();
        vec![
            "ui/ch16-01-threads/opening.md: page `16.1` is a section's page, which opens with this \
             file, and it is missing\n  fix: write the section's opening there, a paragraph of \
             Markdown",
        ]
    });
}
