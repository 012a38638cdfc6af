//! The index, `ui/README.md`: every fixture by book section (its listings,
//! then our own examples, page by page), and the two explanations every
//! page links to: how to read the pages, and what to do when your compiler
//! says something else.

use super::Links;
use super::markdown::{
    DIFFERENT, GENERATED, HOW_TO_READ, Shows, does, entry_link, inline, page_link, section, title,
    versions,
};
use crate::model::chapter::{self, CHAPTER, Holds, Section};
use crate::model::suite::Suite;
use std::fmt::Write as _;

/// The index.
pub(super) fn index(suite: &Suite, links: &Links) -> String {
    let all: Vec<Shows> = suite.loaded().collect();
    let ours = |(f, _): &&Shows| chapter::is_extras(&f.dir);
    let mine = all.iter().filter(ours).count();
    let first = all.first().map(|(f, _)| f.dir.as_str());
    let mut s = format!(
        "{GENERATED}\n\n# Fearless Concurrency, listing by listing\n\n\
         The {} listings of chapter 16 of *The Rust Programming Language*, and {mine} examples \
         of our own for what the chapter leaves open, each a small program checked on every \
         run of this project: the ones that must not compile still fail with the errors shown, \
         the ones that run still print what is shown, on {}.\n\n\
         Start with [{}]({}) and read on. Each section's page opens with its ideas in a few \
         lines; then, per listing, what it teaches, its code, what the compiler or the program \
         says and why, the fix, and a link that opens the code in the Rust Playground. \
         [How to read the pages](#{HOW_TO_READ}) · \
         [if your compiler says something different](#{DIFFERENT}).\n\n\
         The book's repository also has `no-listing-02-no-loop-to-understand-error`, which \
         the chapter's text no longer shows; it is not a fixture, as readers never see it.\n\n",
        all.len() - mine,
        versions(&suite.record),
        inline(first.map_or("", title)),
        page_link(None, first),
    );
    for sec in CHAPTER.iter().filter(|s| s.is_section()) {
        section_items(&mut s, sec, &all);
    }
    // Fixtures in directories outside the table (a generated suite's).
    let others: Vec<Shows> = all
        .iter()
        .filter(|(f, _)| chapter::of_dir(&f.dir).is_none())
        .copied()
        .collect();
    if !others.is_empty() {
        s.push_str("## Other fixtures\n\n");
        for &shown in &others {
            item(&mut s, shown);
        }
        s.push('\n');
    }
    notation(&mut s, links);
    different(&mut s, suite);
    s.truncate(s.trim_end().len());
    s.push('\n');
    s
}

/// A book section's part of the index: each of its pages, its fixtures.
fn section_items(s: &mut String, sec: &Section, all: &[Shows]) {
    let on_page = |row: &Section| -> Vec<Shows> {
        let here = all.iter().filter(|(f, _)| f.dir == row.dir);
        here.copied().collect()
    };
    if sec.rows().all(|row| on_page(row).is_empty()) {
        return;
    }
    w!(s, "## {}\n\n", inline(sec.title));
    w!(
        s,
        "[The page]({}) · [the book's section]({})\n\n",
        page_link(None, Some(sec.dir)),
        sec.url()
    );
    for row in sec.rows() {
        let shown = on_page(row);
        if shown.is_empty() {
            continue;
        }
        let link = page_link(None, Some(row.dir));
        match (row.holds, row == sec) {
            (Holds::Listings, _) => s.push_str("Its listings:\n\n"),
            (Holds::Extras, true) => {
                s.push_str("The book's section has no listing; our own examples:\n\n")
            }
            (Holds::Extras, false) => w!(s, "[{}]({link}):\n\n", inline(row.title)),
        }
        for shown in shown {
            debug_assert!(section(shown.1).is_none_or(|x| x.page == sec.page));
            item(s, shown);
        }
        s.push('\n');
    }
}

/// A fixture's line: id, caption and what it does; then, on a line of its
/// own, what it teaches.
fn item(s: &mut String, shown: Shows) {
    let (f, l) = shown;
    let (id, to, caption) = (
        f.short_id(),
        entry_link(None, shown),
        inline(&l.header.caption),
    );
    let does = does(&l.header.expect);
    w!(s, "- [{id}]({to}) · {caption} · *{does}*");
    w!(s, "\\\n  {}\n", inline(&l.header.teaches));
}

/// How to read the pages: the notation, explained once.
fn notation(s: &mut String, links: &Links) {
    w!(
        s,
        "## How to read these pages <a id=\"{HOW_TO_READ}\"></a>\n\n"
    );
    s.push_str(
        "- **The code** is the listing as you would put it in `src/main.rs` of a new project \
         (`cargo new`), and what the Playground link opens. The files it comes from start with \
         a header of `//!` lines (the listing's id, what it teaches, what must happen); the \
         pages leave that header out.\n\
         - **`//~ ERROR E0382`** (or `//~ WARN unused_variables`) at the end of a line marks \
         what the compiler must report on that line; this project checks exactly that. To \
         rustc it is an ordinary comment, so the lines its messages quote include it.\n\
         - **Compiler messages** are shown as rustc prints them, with the file called \
         `src/main.rs` and the line numbers of the code shown. A location `$RUST/…` is in the \
         standard library's own source (`$RUST/std/src/thread/functions.rs`); its line numbers \
         are left out, as they change between releases. Under such a message, a line says what \
         it points to there: for a bound, the bound itself.\n\
         - **What a program prints** is shown in full where every run prints the same. Where \
         threads interleave, the page lists each thread's lines in order instead; any mix of \
         the lists that keeps each one's order is a correct run (a list that may be cut short \
         says so).\n\
         - **A diff** shows how one text becomes another: `-` lines are the first's, `+` lines \
         the second's, the others are common to both. Diffs lead from a listing to its next \
         step, and from one compiler's message to another's.\n\
         - **Panics**: a panicking program's message is shown as it prints with the variable \
         `RUST_BACKTRACE` unset. With `RUST_BACKTRACE=1`, a stack backtrace follows each \
         panic message, and the line ``note: run with `RUST_BACKTRACE=1` …`` is not printed. \
         Thread ids in panic messages (`thread 'worker' (3511)`) change on every run and are \
         shown as `(ID)`.\n",
    );
    let files = match links {
        Links::GitHub => "Each page's directory holds the files it is made from: the code \
             (`.rs`, with its header), and the recorded outputs the project compares with \
             what the compilers say on every run (`.stderr`: the compiler's message or a \
             program's panic; `.stdout`: what it prints; `.fixed`: the code with the \
             compiler's suggestions applied). A file such as `.1.97.stderr` holds what rustc \
             1.97 and later say where it differs."
            .to_string(),
        Links::Site { .. } => "Each entry's *source* link opens the file it is made from, \
             with its header."
            .to_string(),
    };
    w!(s, "- **Files**: {files}\n\n");
}

/// What to do when your compiler says something different: in full.
fn different(s: &mut String, suite: &Suite) {
    w!(
        s,
        "## If your compiler says something different <a id=\"{DIFFERENT}\"></a>\n\n\
         Every message and output on these pages was checked with {}: stable, beta and \
         nightly of one version say the same. Compilers reword messages from release to \
         release; the meaning (the error code, the line it points at) changes far more rarely. \
         Where the checked versions differ, the entry shows the later one's text as a diff \
         (listing 16-06, say). To see what your own compiler says, clone this \
         project and run `cargo xtask show 16-06` (any listing's id): it prints the listing, \
         what your compiler says now beside what the page shows, and a diff where they \
         differ.\n\n",
        versions(&suite.record)
    );
}
