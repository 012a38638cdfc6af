//! Text with a ceiling: a long diff cut to a screen wherever one is shown
//! (the catalogue's stale page too), header fields within their limits, and
//! a build that failed before any fixture showing its cause, cut.

use crate::support::*;
use ch16_ui::harness;
use ch16_ui::observe::{Batch, Driver, Running};
use ch16_ui::problem::Check;
use std::fs;

/// The longest line a message may show, its marker of what was cut included.
const WIDEST: usize = 400;

/// That `text` is short: under `bytes`, no line wider than [`WIDEST`].
#[track_caller]
fn short(text: &str, bytes: usize) {
    let head = text.get(..2000).unwrap_or(text);
    assert!(text.len() < bytes, "{} bytes:\n{head}", text.len());
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(widest <= WIDEST, "a line of {widest} characters:\n{head}");
}

/// A page edited into megabytes (a line of 200,000 characters and 20,000
/// lines): the catalogue test's stale-page diff is cut, lines and
/// characters, saying how much.
#[test]
fn a_stale_page_is_shown_cut_to_a_screen() {
    let s = Scratch::new("stale-page");
    s.fine("listing-16-91-ok");
    let many: String = (0..20_000).map(|i| format!("line {i}\n")).collect();
    let page = format!("{}\n{many}", "x".repeat(200_000));
    s.write("ui/ch16-01-threads/README.md", &page);
    let root = [(ch16_ui::names::ROOT_ENV, s.root.as_os_str())];
    let ran = cargo(&crate_dir(), &["test", "-q", "--test", "catalogue"], &root);
    let out = format!("{}{}", ran.stdout, ran.stderr);
    assert!(!ran.ok, "{}", out.get(..2000).unwrap_or(&out));
    short(&out, 40_000);
    let stale = "error: ui/ch16-01-threads/README.md is stale";
    holds(&out, &[stale, " characters cut …]", " lines cut …]"]);
}

/// Every field over its limit (a caption of 200,000 characters, among
/// others) is refused by file, line, limit and fix, and the message does
/// not quote the whole value.
#[test]
fn header_fields_over_their_limits_are_refused_by_line() {
    let s = Scratch::new("long-fields");
    let long = |n: usize| "a".repeat(n);
    s.fine("listing-16-91-ok");
    let file = "ui/ch16-01-threads/listing-16-91-ok.rs";
    let text = fs::read_to_string(s.root.join(file)).unwrap();
    let text = text
        .replace("caption: scratch", &format!("caption: {}", long(200_000)))
        .replace(
            "section: 16.1 scratch",
            &format!("section: 16.1 {}", long(10_000)),
        )
        .replace("#scratch", &format!("#{}", long(10_000)))
        .replace("output: exact", &format!("output: exact{}", long(300)));
    s.write(file, &text);
    let errors = s.load_errors().join("\n");
    short(&errors, 4_000);
    for (line, field, limit) in [
        (2, "caption", 160),
        (4, "section", 120),
        (5, "url", 200),
        (7, "output", 16),
    ] {
        let said = format!("{file}:{line}: the `{field}` field has ");
        let limit = format!(" characters, more than its limit of {limit}");
        holds(&errors, &[&said, &limit]);
    }
    holds(
        &errors,
        &["fix: shorten it", "Header fields\" in CONTRIBUTING.md"],
    );
}

/// trybuild whose cargo failed before it compiled any fixture, as it does
/// when the linker (`cc`) cannot create its temporary files: its report
/// holds cargo's errors, then trybuild's panic.
struct BrokenBuild;

/// What cargo and trybuild printed (one note line as long as a linker's
/// command line).
fn broken_build_log() -> String {
    let command = format!(
        "\"cc\" \"-m64\" {}",
        "\"/tmp/rustcXYZ/symbols.o\" ".repeat(400)
    );
    format!(
        "   Compiling rustversion v1.0.22\n\
         error: linking with `cc` failed: exit status: 1\n  |\n  = note: {command}\n  \
         = note: some arguments are omitted. use `--verbose` to show all linker arguments\n  \
         = note: Cannot create temporary file in /nonexistent/: No such file or directory\n          \
         collect2: fatal error: ld terminated with signal 6 [Aborted]\n\n\
         error: could not compile `rustversion` (build script) due to 1 previous error\n\
         trybuild: tests failed\n"
    )
}

impl Driver for BrokenBuild {
    fn start(&self, batch: &Batch) -> Box<dyn Running> {
        fs::write(&batch.log, broken_build_log()).unwrap();
        Box::new(Failed)
    }
}

struct Failed;

impl Running for Failed {
    fn wait(self: Box<Self>) -> bool {
        false
    }
}

/// A build that failed before any fixture was compiled: each fixture's
/// report shows cargo's errors from trybuild's log, cut, and not the
/// advice about trybuild's version.
#[test]
fn a_build_that_failed_before_the_fixtures_shows_its_cause() {
    let s = Scratch::new("broken-build");
    s.fine("listing-16-91-ok");
    let rustc = rustc();
    let r = harness::run(&options(&s.root, &rustc), &BrokenBuild).expect("the harness runs");
    let problems = r.fixtures.iter().flat_map(|f| &f.problems);
    let not_observed = problems.filter(|p| p.check == Check::NotObserved);
    let said: Vec<String> = not_observed.map(ToString::to_string).collect();
    assert_eq!(said.len(), 1, "{}", summary(&r));
    let said = &said[0];
    let cause = [
        "error: linking with `cc` failed: exit status: 1",
        "Cannot create temporary file in /nonexistent/: No such file or directory",
        "error: could not compile `rustversion` (build script)",
        " characters cut …]",
    ];
    holds(said, &cause);
    lacks(said, &["if trybuild is not"]);
    short(said, 4_000);
}
