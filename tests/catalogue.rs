//! The readers' pages are what the fixtures give, and each entry shows its
//! fixture's code, a Playground link to it, and messages pointing at it. A
//! plain program, so that a tree that does not load is reported as its
//! problems by file and line, not as a panic.

use ch16_ui::catalogue::{self, INDEX, playground, site, std_items};
use ch16_ui::diff;
use ch16_ui::model::fixture::Listing;
use ch16_ui::model::header::{Expect, Origin};
use ch16_ui::model::suite::Suite;
use ch16_ui::problem::slashed;
#[path = "support/libtest.rs"]
mod libtest;
#[path = "support/pages.rs"]
mod pages;

use pages::{entry_of, fixture_code, html_text, verdict};
use std::path::PathBuf;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Instant;

type Check = fn(&Suite) -> Result<(), String>;

/// Each test, named by its function.
macro_rules! tests {
    ($($f:ident),*) => { &[$((stringify!($f), $f as Check)),*] };
}

const TESTS: &[(&str, Check)] = tests![
    pages_are_current,
    pages_show_each_fixture_as_it_is,
    the_index_says_what_each_fixture_does,
    a_fixture_outside_the_table_is_one_of_ours,
    a_page_names_what_it_cannot_show_and_a_bless_regenerates_it,
    lessons_speak_of_rust_not_of_the_suite,
    every_note_pointing_into_std_is_explained,
    the_std_table_agrees_with_the_installed_docs,
    the_site_links_every_entry_to_its_source
];

fn main() -> ExitCode {
    let args = match libtest::Args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Loaded once, for the tests that are run; a suite that does not load
    // fails each of them with its problems, each with its file and line.
    let suite = Rc::new(std::cell::OnceCell::new());
    let tests = TESTS.iter().map(|&(name, check)| {
        let suite = suite.clone();
        libtest::Test::new(name, move || {
            check(suite.get_or_init(load).as_ref().map_err(Clone::clone)?)
        })
    });
    libtest::run(&args, tests.collect())
}

/// The suite under test: the checkout's, or another inside it (the
/// hardening tests' scratch trees), every fixture loaded.
fn load() -> Result<Suite, String> {
    let crate_dir = ch16_ui::host::checkout::crate_dir().map_err(|e| e.to_string())?;
    let root = std::env::var_os(ch16_ui::names::ROOT_ENV).map_or(crate_dir, PathBuf::from);
    Suite::load(&root)
        .and_then(Suite::whole)
        .map_err(|e| format!("error: {e}"))
}

/// Whether every page is what the fixtures give; if not, which and why.
fn pages_are_current(suite: &Suite) -> Result<(), String> {
    let start = Instant::now();
    let pages = catalogue::render(suite).map_err(|e| format!("error: {e}"))?;
    let (n, ms) = (pages.len(), start.elapsed().as_secs_f64() * 1000.0);
    println!("rendered {n} readers' page(s) in {ms:.1} ms");
    let stale = catalogue::stale(&suite.root, &pages);
    if stale.is_empty() {
        return Ok(());
    }
    let mut out = String::new();
    for s in &stale {
        let path = s.path.display();
        let (disk, fixtures) = (
            format!("{path} (on disk)"),
            format!("{path} (from the fixtures)"),
        );
        out += &match (&s.committed, &s.expected) {
            (None, _) => format!("error: {path} is missing\n"),
            (Some(_), None) => {
                format!("error: {path} is a page for a directory without fixtures\n")
            }
            (Some(old), Some(new)) => {
                let diff = diff::brief(old, new, &disk, &fixtures);
                format!("error: {path} is stale\n{diff}")
            }
        };
    }
    out.push_str(&format!("  fix: run `{}`\n", ch16_ui::names::CATALOGUE));
    Err(out)
}

/// Every entry of every page, on GitHub and on the site, against the
/// fixture it shows.
fn pages_show_each_fixture_as_it_is(suite: &Suite) -> Result<(), String> {
    let github = catalogue::render(suite).map_err(|e| format!("error: {e}"))?;
    let site = site::sources(suite, None).map_err(|e| format!("error: {e}"))?;
    let mut problems = Vec::new();
    let mut pages: Vec<(String, String)> = github
        .iter()
        .map(|p| (p.path.display().to_string(), p.text.clone()))
        .collect();
    pages.extend(
        site.iter()
            .filter(|(p, _)| p.extension().is_some_and(|e| e == "md"))
            .map(|(p, t)| (format!("the site's {}", p.display()), t.clone())),
    );
    for (name, text) in &pages {
        for (_, l) in suite
            .loaded()
            .filter(|(f, _)| name.ends_with(&format!("{}/README.md", f.dir)))
        {
            if let Err(p) = entry_shows(text, l) {
                problems.push(format!("{name}, {}: {p}", l.header.listing));
            }
        }
    }
    let index = &github[0].text;
    // Markdown's escapes (`\<`) taken out, as a browser shows the text.
    let shown = index.replace('\\', "");
    for (f, l) in suite.loaded() {
        let id = &l.header.listing;
        if !index.contains(&format!("({}/README.md#{id})", f.dir)) {
            problems.push(format!("{INDEX}: no line links to {id}"));
        }
        if !shown.contains(&l.header.teaches) {
            problems.push(format!("{INDEX}: {id}'s `teaches` line is not shown"));
        }
    }
    for (name, text) in &pages {
        if let Some(line) = text
            .lines()
            .find(|l| l.starts_with('|') && l.matches(" | ").count() > 3)
        {
            problems.push(format!("{name}: a table wider than four columns: {line}"));
        }
    }
    if std::env::var_os(ch16_ui::names::ROOT_ENV).is_none() {
        problems.extend(the_real_pages_show_the_lessons(&github));
    }
    verdict(
        &problems,
        Some("the generator (src/catalogue/) shows these wrongly"),
    )
}

/// Each fixture's line in the index ends with what it does, as its
/// `expect` says: a program that hangs is not one that does not compile.
fn the_index_says_what_each_fixture_does(suite: &Suite) -> Result<(), String> {
    let pages = catalogue::render(suite).map_err(|e| format!("error: {e}"))?;
    let index = &pages[0].text;
    let mut problems = Vec::new();
    for (f, l) in suite.loaded() {
        let id = &l.header.listing;
        let does = match l.header.expect {
            Expect::CompileFail(_) => "does not compile",
            Expect::Run => "runs",
            Expect::Hang => "hangs",
        };
        let link = format!("({}/README.md#{id})", f.dir);
        let Some(line) = index.lines().find(|line| line.contains(&link)) else {
            continue; // `pages_show_each_fixture_as_it_is` names it
        };
        if !line
            .trim_end_matches('\\')
            .ends_with(&format!(" · *{does}*"))
        {
            problems.push(format!(
                "{INDEX}: {id} expects `{does}`, its line says: {line}"
            ));
        }
    }
    verdict(
        &problems,
        Some("the generator (src/catalogue/) shows these wrongly"),
    )
}

/// A directory outside the chapter table holds only our own examples (the
/// loader refuses a book listing there): one of ours moved into such a
/// directory is still counted as ours, and still extends its listing.
fn a_fixture_outside_the_table_is_one_of_ours(suite: &Suite) -> Result<(), String> {
    let book = |l: &Listing| l.header.origin == Origin::Book;
    let extends = |l: &Listing| {
        suite
            .loaded()
            .any(|(_, m)| book(m) && m.header.url == l.header.url)
    };
    let Some((f, l)) = suite.loaded().find(|(_, l)| !book(l) && extends(l)) else {
        return Ok(()); // a scratch tree without such a fixture
    };
    let index = |s: &Suite| catalogue::render(s).map(|p| p[0].text.clone());
    let before = index(suite).map_err(|e| format!("error: {e}"))?;
    let mut moved = suite.clone();
    let dir = "ch16-elsewhere";
    for g in moved.fixtures.iter_mut().filter(|g| g.path == f.path) {
        g.dir = dir.into();
    }
    let pages = catalogue::render(&moved).map_err(|e| format!("error: {e}"))?;
    let ours = |text: &str| text.split(" examples of our own").next().map(str::to_owned);
    let mut problems = Vec::new();
    if ours(&pages[0].text) != ours(&before) {
        problems.push(format!(
            "{INDEX}: moved to `{dir}`, {} is not counted as ours",
            l.header.listing
        ));
    }
    let page = pages
        .iter()
        .find(|p| p.path.starts_with(format!("ui/{dir}")));
    let entry = page.and_then(|p| entry_of(&p.text, &l.header.listing));
    if !entry.is_some_and(|e| e.contains(" · extends [")) {
        problems.push(format!(
            "ui/{dir}/README.md: {} extends no listing",
            l.header.listing
        ));
    }
    verdict(
        &problems,
        Some("the generator (src/catalogue/) shows these wrongly"),
    )
}

/// The fenced blocks of `text`: (info string, content).
fn blocks(text: &str) -> Vec<(&str, String)> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(info) = line.strip_prefix("```").filter(|i| !i.is_empty()) {
            let body = lines.by_ref().take_while(|l| *l != "```");
            out.push((info, body.map(|l| format!("{l}\n")).collect()));
        }
    }
    out
}

fn entry_shows(page: &str, l: &Listing) -> Result<(), String> {
    let entry = entry_of(page, &l.header.listing).ok_or("no entry (no anchor)")?;
    let code = fixture_code(l);
    let blocks = blocks(entry);
    let shown = blocks
        .iter()
        .find(|(info, _)| info.starts_with("rust"))
        .ok_or("no code block")?;
    if shown.1 != code {
        return Err(format!(
            "the code shown is not the fixture's:\n{}",
            diff::brief(&code, &shown.1, "fixture", "page")
        ));
    }
    let compile_fail = l.header.expect.is_compile_fail();
    if shown.0 != "rust"
        && !(shown.0.contains("edition2024") && shown.0.contains("compile_fail") == compile_fail)
    {
        return Err(format!("the code block says `{}`", shown.0));
    }
    let link = entry
        .split("(https://play.rust-lang.org/")
        .nth(1)
        .and_then(|r| r.split(')').next())
        .ok_or("no Playground link")?;
    let opened = playground::code_of(&format!("https://play.rust-lang.org/{link}"))
        .ok_or("a Playground link that does not decode")?;
    if opened != code {
        return Err("the Playground link opens other code than the fixture's".into());
    }
    if !link.contains("edition=2024") || !link.contains("version=stable") {
        return Err(format!(
            "the Playground link is not stable, edition 2024: {link}"
        ));
    }
    let code_lines: Vec<&str> = code.lines().collect();
    for (info, text) in &blocks {
        if *info == "text" {
            locations_point_at_the_code(text, &code_lines)?;
        }
    }
    if let Expect::CompileFail(codes) = &l.header.expect {
        let says = blocks.iter().filter(|(i, _)| *i == "text").count();
        if says == 0 || !entry.contains("**What the compiler says**") {
            return Err("no compiler message".into());
        }
        for c in codes {
            let link = format!("[{c}](https://doc.rust-lang.org/error_codes/{c}.html)");
            if !entry.contains(&link) {
                return Err(format!("{c} is not linked to the error index"));
            }
        }
    }
    Ok(())
}

/// Every `src/main.rs:L:C` is inside the code, and the snippet under each
/// `--> src/main.rs:L:C` quotes line L; so does every numbered snippet line
/// outside a suggestion (`help:` parts show the code as changed).
fn locations_point_at_the_code(text: &str, code: &[&str]) -> Result<(), String> {
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let mut rest = *line;
        while let Some(at) = rest.find("src/main.rs:") {
            rest = &rest[at + "src/main.rs:".len()..];
            let n = line_number(rest);
            let n = n.ok_or_else(|| format!("a location without a line: {line}"))?;
            if n == 0 || n > code.len() {
                return Err(format!(
                    "`{line}` points past the code shown ({} lines)",
                    code.len()
                ));
            }
        }
        if let Some(loc) = line.trim_start().strip_prefix("--> src/main.rs:") {
            let n = line_number(loc).unwrap_or(0);
            let quoted = lines[i + 1..]
                .iter()
                .find_map(|l| numbered(l).filter(|(m, _)| *m == n))
                .ok_or_else(|| format!("`{line}` has no snippet line {n} under it"))?;
            if !quoted.1.trim_end().ends_with(code[n - 1].trim()) {
                return Err(format!(
                    "`{line}` quotes `{}`, but line {n} of the code is `{}`",
                    quoted.1,
                    code[n - 1]
                ));
            }
        }
    }
    let mut in_help = false;
    for line in &lines {
        if line.starts_with(|c: char| c.is_ascii_alphabetic()) {
            in_help = line.starts_with("help:");
        }
        if let Some((n, quoted)) = numbered(line).filter(|_| !in_help) {
            let Some(want) = code.get(n.wrapping_sub(1)) else {
                return Err(format!("snippet line {n} is past the code shown"));
            };
            if !quoted.trim_end().ends_with(want.trim()) {
                return Err(format!(
                    "the snippet's line {n} is `{quoted}`, but line {n} of the code is `{want}`"
                ));
            }
        }
    }
    Ok(())
}

/// `23:5…` → 23.
fn line_number(location: &str) -> Option<usize> {
    location.split(':').next()?.parse().ok()
}

/// `23 | text` → (23, "text").
fn numbered(line: &str) -> Option<(usize, &str)> {
    let t = line.trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let n = t[..digits].parse().ok()?;
    let rest = t[digits..].strip_prefix(" |")?;
    Some((n, rest.strip_prefix(' ').unwrap_or(rest)))
}

/// The lessons the issue that made the pages names, on the real suite.
fn the_real_pages_show_the_lessons(pages: &[catalogue::Page]) -> Vec<String> {
    let page = |dir: &str| {
        pages
            .iter()
            .find(|p| slashed(&p.path) == format!("ui/{dir}/README.md"))
            .map_or("", |p| p.text.as_str())
    };
    let mut problems = Vec::new();
    for (dir, id, needles) in [
        (
            "ch16-03-shared-state",
            "listing-16-14",
            &[
                "cannot be sent between threads safely",
                "+use std::sync::{Arc, Mutex};",
                "**The fix** is [listing-16-15](#listing-16-15)",
            ][..],
        ),
        (
            "ch16-03-shared-state",
            "listing-16-13",
            &[
                "**Next step:** [listing-16-14](#listing-16-14) (does not compile either: E0277) \
                 · **the working fix:** [listing-16-15](#listing-16-15)",
            ][..],
        ),
        (
            "ch16-03-shared-state",
            "listing-16-14",
            &[
                "`$RUST/std/src/thread/functions.rs` is the standard library's source: the bound \
               is `F: FnOnce() -> T + Send + 'static`",
            ][..],
        ),
        (
            "ch16-02-message-passing",
            "listing-16-06",
            &[
                "**From rustc 1.97 on**",
                "+help: consider specifying a concrete type",
                "```diff",
            ][..],
        ),
    ] {
        let entry = entry_of(page(dir), id).unwrap_or_default();
        for needle in needles {
            if !entry.contains(needle) {
                problems.push(format!("ui/{dir}/README.md: {id} does not show `{needle}`"));
            }
        }
    }
    problems
}

/// A fixture whose expectation is missing cannot be shown: the page names
/// it with the bless that fixes it. And a bless regenerates the pages that
/// show what it writes (nothing else).
fn a_page_names_what_it_cannot_show_and_a_bless_regenerates_it(
    suite: &Suite,
) -> Result<(), String> {
    use ch16_ui::bless::journal::Change;
    let Some((f, _)) = suite
        .by_id("listing-16-14")
        .filter(|_| std::env::var_os(ch16_ui::names::ROOT_ENV).is_none())
    else {
        return Ok(());
    };
    let stderr = f.expectation_path(ch16_ui::model::expect::Kind::Stderr, None);
    let old = std::fs::read_to_string(suite.root.join(&stderr)).map_err(|e| e.to_string())?;
    let new = old.replace("cannot be sent between threads safely", "may not travel");
    let pages =
        catalogue::after(suite, &[Change::Write(stderr, new)]).map_err(|e| e.to_string())?;
    let page = format!("{}/README.md", f.path.parent().unwrap().display());
    match pages.as_slice() {
        [Change::Write(path, text)]
            if path.display().to_string() == page && text.contains("may not travel") => {}
        other => {
            return Err(format!(
                "a bless of 16-14's .stderr regenerates {other:?}, not {page}"
            ));
        }
    }
    let mut without: Suite = suite.clone();
    let path = f.display_path();
    let named = format!("{path}: has no `.stderr` expectation for its page to show");
    for g in without.fixtures.iter_mut().filter(|g| g.path == f.path) {
        g.expectations.clear();
    }
    let e = catalogue::render(&without).map(drop).unwrap_err();
    let e = e.to_string();
    match e.contains(&named) && e.contains("fix: run `cargo xtask bless --filter 16-14`") {
        true => Ok(()),
        false => Err(format!(
            "a fixture without its expectation is not named with the fix:\n{e}"
        )),
    }
}

/// Words about the suite, not about Rust, that no lesson may use.
const SUITE_WORDS: &[&str] = &[
    ".stdout",
    ".stderr",
    ".fixed",
    "keyed",
    "token",
    "rustversion",
    "compared",
];

/// No fixture's caption, `teaches` line or explanation speaks of the
/// suite's files or machinery: the lessons speak of Rust.
fn lessons_speak_of_rust_not_of_the_suite(suite: &Suite) -> Result<(), String> {
    let mut problems = Vec::new();
    for (f, l) in suite.loaded() {
        let h = &l.header;
        let lesson = h.lesson.join(" ");
        for (field, text) in [
            ("caption", &h.caption),
            ("teaches", &h.teaches),
            ("explanation", &lesson),
        ] {
            let lower = text.to_lowercase();
            for word in SUITE_WORDS.iter().filter(|w| lower.contains(*w)) {
                problems.push(format!(
                    "{}: its {field} mentions `{word}`",
                    f.display_path()
                ));
            }
        }
    }
    verdict(
        &problems,
        Some("say it in terms of Rust; the pages' notation is explained once, in the index"),
    )
}

/// Every note of every expectation file that points into `$RUST/` has a
/// row in `catalogue::std_items`, so its page can say what it points to.
fn every_note_pointing_into_std_is_explained(suite: &Suite) -> Result<(), String> {
    let mut problems = Vec::new();
    let mut found = 0;
    for f in &suite.fixtures {
        for e in &f.expectations {
            let text =
                std::fs::read_to_string(suite.root.join(&e.path)).map_err(|x| x.to_string())?;
            for p in std_items::points(&text) {
                found += 1;
                if std_items::item(&p).is_none() {
                    problems.push(format!(
                        "{}: `note: {}` points to `$RUST/{}`, which `STD_ITEMS` does not explain",
                        e.path.display(),
                        p.note,
                        p.file
                    ));
                }
            }
        }
    }
    println!("{found} note(s) pointing into the standard library, each explained");
    verdict(
        &problems,
        Some("add a row for it to STD_ITEMS in src/catalogue/std_items.rs"),
    )
}

/// Each row of `catalogue::std_items` against the std documentation of the
/// current toolchain (the `rust-docs` component): the bound or signature it
/// quotes is there. Skipped, saying so, without `rust-docs`.
fn the_std_table_agrees_with_the_installed_docs(_: &Suite) -> Result<(), String> {
    let rustc = ch16_ui::host::toolchain::current().map_err(|e| format!("error: {e}"))?;
    let html = PathBuf::from(rustc.sysroot).join(ch16_ui::names::RUST_DOCS);
    if !html.join("std/index.html").is_file() {
        println!(
            "SKIPPED: no std documentation under {} (install it: rustup component add rust-docs)",
            html.display()
        );
        return Ok(());
    }
    let mut problems = Vec::new();
    for row in std_items::STD_ITEMS {
        let page = html.join(row.doc);
        let Ok(text) = std::fs::read_to_string(&page) else {
            problems.push(format!(
                "{}: no such page, for `{}`",
                page.display(),
                row.note
            ));
            continue;
        };
        let shown = html_text(&text)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        for wanted in row.doc_shows.iter().filter(|w| !shown.contains(*w)) {
            problems.push(format!(
                "{} does not show `{wanted}` (the row for `{}`)",
                page.display(),
                row.note
            ));
        }
    }
    println!(
        "{} row(s) of STD_ITEMS checked against {}",
        std_items::STD_ITEMS.len(),
        html.display()
    );
    verdict(
        &problems,
        Some("make the row in src/catalogue/std_items.rs say what std says now"),
    )
}

/// Built with no source address, the site holds a copy of each fixture's
/// file, and each entry's `source` link leads to it.
fn the_site_links_every_entry_to_its_source(suite: &Suite) -> Result<(), String> {
    let files = site::sources(suite, None).map_err(|e| format!("error: {e}"))?;
    let copy_of = |p: &std::path::Path| files.iter().find(|(q, _)| q == p).map(|(_, t)| t);
    let mut problems = Vec::new();
    for (f, l) in suite.loaded() {
        let page = PathBuf::from("src").join(&f.dir).join("README.md");
        let Some(entry) = copy_of(&page).and_then(|t| entry_of(t, &l.header.listing)) else {
            problems.push(format!(
                "the site's {}: no entry {}",
                page.display(),
                l.header.listing
            ));
            continue;
        };
        let link = entry
            .split("[source](")
            .nth(1)
            .and_then(|r| r.split(')').next());
        let Some(link) = link else {
            problems.push(format!(
                "the site's {}: {} has no source link",
                page.display(),
                l.header.listing
            ));
            continue;
        };
        let target = PathBuf::from("src").join(&f.dir).join(link);
        if copy_of(&target) != Some(&l.source) {
            problems.push(format!(
                "the site's {}: {}'s source link `{link}` does not lead to a copy of {}",
                page.display(),
                l.header.listing,
                f.display_path()
            ));
        }
    }
    verdict(&problems, Some("see src/catalogue/site.rs"))
}
