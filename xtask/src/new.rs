//! `cargo xtask new <page> <name>`: scaffold a fixture with its header.

use crate::error::{Result, request};
use ch16_ui::model::chapter::{self, CHAPTER, Holds, Section};
use ch16_ui::model::fixture::{scaffold, short_id};
use ch16_ui::model::suite::Suite;
use ch16_ui::names::{UI_DIR, is_slug};
use std::io::Write;
use std::path::Path;

/// Create `ui/<dir>/<name>.rs`; never overwrites anything.
pub fn run(root: &Path, section: &str, name: &str) -> Result<bool> {
    let Some(sec) = chapter::named(section) else {
        let shown = |s: &Section| format!("{} ({})", s.key, s.dir);
        let known: Vec<String> = CHAPTER.iter().map(shown).collect();
        let known = known.join(", ");
        return request(format!("unknown page `{section}`; use one of {known}"));
    };
    let (dir, book) = (sec.dir, sec.holds == Holds::Listings);
    let name = name.strip_suffix(".rs").unwrap_or(name);
    if !is_slug(name) {
        return request(format!(
            "`{name}`: fixture names are lowercase letters, digits and dashes"
        ));
    }
    let id = listing_id(name);
    if book == name.starts_with("beyond-") {
        return request(match book {
            false => format!("fixtures in {dir} are named `beyond-NN-slug`, not `{name}`"),
            true => format!(
                "book fixtures are named by the book's id (`listing-16-NN-slug`, `no-listing-NN-…`), not `{name}`"
            ),
        });
    }
    // An existing file first, whatever state it is in.
    let path = root.join(UI_DIR).join(dir);
    for existing in std::fs::read_dir(&path).into_iter().flatten().flatten() {
        let existing = existing.file_name().to_string_lossy().into_owned();
        if existing.split('.').next() == Some(name) {
            let exists = format!("{UI_DIR}/{dir}/{existing} already exists");
            return request(format!("{exists}; nothing was written"));
        }
    }
    // Other fixtures may be unfinished scaffolds, but their ids are taken.
    let suite = Suite::load(root)?;
    if let Some(f) = suite.fixtures.iter().find(|f| f.is(&id)) {
        return request(format!("id `{id}` is already used by {}", f.display_path()));
    }
    let short = short_id(&id);
    if let Some(f) = suite.fixtures.iter().find(|f| f.short_id() == short) {
        let path = f.display_path();
        return request(format!(
            "short id `{short}` is already that of {path}; number the new fixture differently"
        ));
    }
    let follows = match book && !id.starts_with("listing-16-") {
        true => format!("//! follows: {}\n", last_numbered(&suite, dir)?),
        false => String::new(),
    };
    let origin = if book { "" } else { "//! origin: beyond\n" };
    let text = scaffold(&id, sec.key, sec.page, origin, &follows);
    let file = path.join(format!("{name}.rs"));
    let io = ch16_ui::error::Error::io_on;
    std::fs::create_dir_all(&path).map_err(io(&path))?;
    // create_new: a file that appeared meanwhile is never overwritten.
    let mut out = std::fs::File::create_new(&file).map_err(io(&file))?;
    out.write_all(text.as_bytes()).map_err(io(&file))?;
    println!(
        "created {UI_DIR}/{dir}/{name}.rs\n\
         next: replace the TODOs and the code, annotate each error with `//~ ERROR E….`, then\n  \
         cargo xtask bless --filter {id}   (writes its expectations and the readers' pages)"
    );
    Ok(true)
}

/// The last numbered listing in `dir`, which an unnumbered one follows.
fn last_numbered(suite: &Suite, dir: &str) -> Result<String> {
    let numbered = suite.loaded().map(|(f, l)| (f, &l.header.listing));
    let numbered = numbered.filter(|(f, id)| f.dir == dir && id.starts_with("listing-16-"));
    match numbered.last() {
        Some((_, id)) => Ok(id.clone()),
        None => request(format!(
            "an unnumbered listing needs a numbered one in {dir} to follow"
        )),
    }
}

/// `listing-16-16-slug` → `listing-16-16`; other names are their own id.
fn listing_id(name: &str) -> String {
    let parts: Vec<&str> = name.split('-').collect();
    match parts.as_slice() {
        ["listing", "16", n, ..] if n.bytes().all(|b| b.is_ascii_digit()) => parts[..3].join("-"),
        _ => name.to_string(),
    }
}
