//! The readers' edition: one page per fixture directory,
//! `ui/<group>/README.md` (GitHub shows it under the directory's files),
//! that shows each fixture as an annotated example, and the index
//! `ui/README.md`. Generated from the same model the tests use, by `cargo
//! xtask catalogue` and by every bless; a test fails while a page is stale.
//! The companion site ([`site`]) is an mdBook of the same pages.

mod entry;
mod markdown;
pub mod playground;
pub(crate) mod relocate;
pub mod site;

pub use entry::code;

use crate::bless::journal::Change;
use crate::error::{Error, Result};
use crate::model::expect::{self, RECORD};
use crate::model::section;
use crate::model::suite::UI_DIR;
use crate::{Fixture, Suite};
use entry::Entry;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The index, relative to the suite root.
pub const INDEX: &str = "ui/README.md";

pub use crate::layout::PAGE;

/// The command that writes the pages.
pub use crate::command::CATALOGUE as COMMAND;

/// Reads a file of the suite by its root-relative path.
pub type Read<'r> = &'r dyn Fn(&Path) -> std::io::Result<String>;

/// Where the pages' links to files lead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Links {
    /// The pages in `ui/`: files beside them.
    GitHub,
    /// The companion site: files at `source` (a repository's address for
    /// the checkout, `…/blob/<commit>`), or no links when it has none.
    Site {
        /// The address the project's files are under.
        source: Option<String>,
    },
}

/// A generated page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// Where it lives, relative to the suite root (`ui/README.md`).
    pub path: PathBuf,
    /// Its title: the section's, or the index's.
    pub title: String,
    /// Its Markdown.
    pub text: String,
}

/// Every page for `suite`, the index first, reading expectation files with
/// `read`. Every fixture that cannot be shown is named ([`Error::Tree`]).
pub fn pages(suite: &Suite, read: Read, links: &Links) -> Result<Vec<Page>> {
    let mut groups: Vec<&str> = Vec::new();
    for f in &suite.fixtures {
        if !groups.contains(&f.group.as_str()) {
            groups.push(&f.group);
        }
    }
    fn title(g: &str) -> &str {
        section::group(g).map_or(g, |g| g.title)
    }
    let mut errors = Vec::new();
    let mut pages = vec![Page {
        path: INDEX.into(),
        title: "Fearless Concurrency, listing by listing".into(),
        text: markdown::index(suite, links),
    }];
    for (i, group) in groups.iter().enumerate() {
        let mut entries = Vec::new();
        for f in suite.fixtures.iter().filter(|f| f.group == *group) {
            match Entry::new(suite, f, read) {
                Ok(e) => entries.push(e),
                Err(e) => errors.push(e),
            }
        }
        // Our own fixtures, by the book section they extend.
        entries.sort_by_key(|e| {
            section::of_url(&e.fixture.header.url)
                .and_then(|s| section::SECTIONS.iter().position(|x| x == s))
        });
        let around = markdown::Neighbours {
            previous: i.checked_sub(1).map(|j| (groups[j], title(groups[j]))),
            next: groups.get(i + 1).map(|g| (*g, title(g))),
        };
        pages.push(Page {
            path: Path::new(UI_DIR).join(group).join(PAGE),
            title: title(group).to_string(),
            text: markdown::section_page(group, title(group), &entries, &around, links),
        });
    }
    if !errors.is_empty() {
        return Err(Error::Tree(errors));
    }
    Ok(pages)
}

/// Reads the suite's files from disk.
pub fn from_disk(root: &Path) -> impl Fn(&Path) -> std::io::Result<String> + '_ {
    move |path| std::fs::read_to_string(root.join(path))
}

/// The pages as `ui/` should hold them now.
pub fn render(suite: &Suite) -> Result<Vec<Page>> {
    pages(suite, &from_disk(&suite.root), &Links::GitHub)
}

/// A page that is not what the fixtures give.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stale {
    /// The page, relative to the suite root.
    pub path: PathBuf,
    /// What it holds (`None`: missing).
    pub committed: Option<String>,
    /// What it should hold (`None`: no directory has fixtures for it, so
    /// it should go).
    pub expected: Option<String>,
}

/// The pages of `ui/` that differ from what `pages` gives.
pub fn stale(root: &Path, pages: &[Page]) -> Vec<Stale> {
    let mut out = Vec::new();
    for p in pages {
        let committed = std::fs::read_to_string(root.join(&p.path))
            .ok()
            .map(expect::lf);
        if committed.as_deref() != Some(&p.text) {
            out.push(Stale {
                path: p.path.clone(),
                committed,
                expected: Some(p.text.clone()),
            });
        }
    }
    // A page left in a directory that no longer has fixtures.
    if let Ok(dirs) = std::fs::read_dir(root.join(UI_DIR)) {
        let mut dirs: Vec<PathBuf> = dirs.flatten().map(|d| d.path()).collect();
        dirs.sort();
        for dir in dirs {
            let page = dir.join(PAGE);
            let rel = page.strip_prefix(root).unwrap_or(&page).to_path_buf();
            if page.is_file() && !pages.iter().any(|p| p.path == rel) {
                out.push(Stale {
                    committed: std::fs::read_to_string(&page).ok(),
                    path: rel,
                    expected: None,
                });
            }
        }
    }
    out
}

/// What a bless must also change so that no page is stale once `changes`
/// (to expectation files and the record) are applied: the pages' writes
/// and removals, in the same all-or-nothing update.
pub fn after(suite: &Suite, changes: &[Change]) -> Result<Vec<Change>> {
    let mut next = suite.clone();
    let mut written: BTreeMap<&Path, &str> = BTreeMap::new();
    for change in changes {
        let path = change.path();
        if path == Path::new(RECORD) {
            if let Change::Write(_, text) = change {
                next.record = expect::parse_record(path, text)?;
            }
            continue;
        }
        let Ok(Some(file)) = expect::parse_name(path) else {
            continue;
        };
        let owner: Option<&mut Fixture> = next
            .fixtures
            .iter_mut()
            .find(|f| f.stem == file.stem && f.path.parent() == file.path.parent());
        let Some(owner) = owner else { continue };
        owner.expectations.retain(|e| e.path != file.path);
        if let Change::Write(_, text) = change {
            owner.expectations.push(file);
            written.insert(path, text);
        }
    }
    let disk = from_disk(&suite.root);
    let read = |p: &Path| match written.get(p) {
        Some(text) => Ok(text.to_string()),
        None => disk(p),
    };
    let pages = pages(&next, &read, &Links::GitHub)?;
    Ok(stale(&suite.root, &pages)
        .into_iter()
        .map(|s| match s.expected {
            Some(text) => Change::Write(s.path, text),
            None => Change::Remove(s.path),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn real() -> Suite {
        Suite::load(&crate::host::checkout::crate_dir().unwrap()).unwrap()
    }

    #[test]
    fn a_fixture_without_its_expectation_is_named_with_the_fix() {
        let mut suite = real();
        let f = suite
            .fixtures
            .iter_mut()
            .find(|f| f.header.listing == "listing-16-14")
            .unwrap();
        f.expectations.clear();
        let e = render(&suite).unwrap_err().to_string();
        assert!(
            e.contains(
                "ui/ch16-03-shared-state/listing-16-14-rc-not-send.rs: has no `.stderr` expectation for its page to show"
            ) && e.contains("fix: run `cargo xtask bless --filter 16-14`"),
            "{e}"
        );
    }

    #[test]
    fn a_bless_regenerates_the_pages_that_show_what_it_writes() {
        let suite = real();
        let f = suite.by_id("listing-16-14").unwrap();
        let stderr = f.expectation_path(expect::Kind::Stderr, None);
        let old = std::fs::read_to_string(suite.root.join(&stderr)).unwrap();
        let new = old.replace("cannot be sent between threads safely", "may not travel");
        let pages = after(&suite, &[Change::Write(stderr, new)]).unwrap();
        let [Change::Write(path, text)] = pages.as_slice() else {
            panic!("{pages:?}")
        };
        assert_eq!(path, Path::new("ui/ch16-03-shared-state/README.md"));
        assert!(text.contains("may not travel"));
        // Nothing changed, nothing to write.
        assert_eq!(after(&suite, &[]).unwrap(), []);
    }
}
