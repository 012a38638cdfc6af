//! The readers' edition: one page per fixture directory,
//! `ui/<dir>/README.md` (GitHub shows it under the directory's files),
//! showing each fixture as an annotated example, and the index
//! `ui/README.md`. Generated from the same model the tests use, by `cargo
//! xtask catalogue` and by every bless; a test fails while a page is stale.
//! The companion site ([`site`]) is an mdBook of the same pages.

mod entry;
mod markdown;
pub mod playground;
mod relocate;
pub mod site;

use crate::bless::journal::Change;
use crate::error::{Error, Result};
use crate::model::expect;
use crate::model::suite::Suite;
use crate::names::{PAGE, RECORD, UI_DIR};
use entry::Entry;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The index, from the suite root.
pub const INDEX: &str = "ui/README.md";

/// Reads a file of the suite by its path from the suite root.
type Read<'r> = &'r dyn Fn(&Path) -> std::io::Result<String>;

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
    /// Where it lives, from the suite root (`ui/README.md`).
    pub path: PathBuf,
    /// Its title: the section's, or the index's.
    pub title: String,
    /// Its Markdown.
    pub text: String,
}

/// Every page for the fixtures of `suite` that load, the index first,
/// reading expectation files with `read`; every fixture that cannot be
/// shown is named.
fn pages(suite: &Suite, read: Read, links: &Links) -> Result<Vec<Page>> {
    let mut dirs: Vec<&str> = Vec::new();
    for (f, _) in suite.loaded() {
        if !dirs.contains(&f.dir.as_str()) {
            dirs.push(&f.dir);
        }
    }
    let mut problems = Vec::new();
    let mut pages = vec![Page {
        path: INDEX.into(),
        title: "Fearless Concurrency, listing by listing".into(),
        text: markdown::index(suite, links),
    }];
    for (i, dir) in dirs.iter().enumerate() {
        let mut entries = Vec::new();
        for shown in suite.loaded().filter(|(f, _)| f.dir == *dir) {
            match Entry::new(suite, shown, read) {
                Ok(e) => entries.push(e),
                Err(e) => problems.extend(e.problems(crate::problem::Check::Page)),
            }
        }
        // Our own fixtures, by the book section they extend.
        let position = |e: &Entry| {
            let sec = crate::model::chapter::of_url(&e.fixture.1.header.url);
            sec.and_then(|s| crate::model::chapter::CHAPTER.iter().position(|x| x == s))
        };
        entries.sort_by_key(position);
        let near = |j: usize| dirs.get(j).map(|d| (*d, markdown::title(d)));
        let around = markdown::Neighbours {
            previous: i.checked_sub(1).and_then(near),
            next: near(i + 1),
        };
        pages.push(Page {
            path: Path::new(UI_DIR).join(dir).join(PAGE),
            title: markdown::title(dir).to_string(),
            text: markdown::section_page(dir, &entries, &around, links),
        });
    }
    match problems.is_empty() {
        true => Ok(pages),
        false => Err(Error::Tree(problems)),
    }
}

/// Reads the suite's files from disk.
fn from_disk(root: &Path) -> impl Fn(&Path) -> std::io::Result<String> + '_ {
    move |path| std::fs::read_to_string(root.join(path))
}

/// The pages as `ui/` should hold them now.
pub fn render(suite: &Suite) -> Result<Vec<Page>> {
    pages(suite, &from_disk(&suite.root), &Links::GitHub)
}

/// A page that is not what the fixtures give.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stale {
    /// The page, from the suite root.
    pub path: PathBuf,
    /// What it holds (`None`: missing).
    pub committed: Option<String>,
    /// What it should hold (`None`: its directory has no fixtures, so it
    /// should go).
    pub expected: Option<String>,
}

/// The pages of `ui/` that differ from `pages`, and pages left in a
/// directory without fixtures.
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
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join(UI_DIR))
        .into_iter()
        .flatten()
        .flatten()
        .map(|d| d.path())
        .collect();
    dirs.sort();
    for page in dirs.iter().map(|d| d.join(PAGE)) {
        let rel = page.strip_prefix(root).unwrap_or(&page).to_path_buf();
        if page.is_file() && !pages.iter().any(|p| p.path == rel) {
            out.push(Stale {
                committed: std::fs::read_to_string(&page).ok(),
                path: rel,
                expected: None,
            });
        }
    }
    out
}

/// What a bless must also change so that no page is stale once `changes`
/// (to expectation files and the record) are made: the pages' writes and
/// removals, in the same all-or-nothing update.
pub fn after(suite: &Suite, changes: &[Change]) -> Result<Vec<Change>> {
    let mut next = suite.clone();
    let mut written: BTreeMap<&Path, &str> = BTreeMap::new();
    for change in changes {
        let path = change.path();
        if path == Path::new(RECORD) {
            if let Change::Write(_, text) = change {
                next.record = expect::parse_record(path, text).map_err(|p| Error::Tree(vec![p]))?;
            }
            continue;
        }
        let Ok(Some(file)) = expect::parse_name(path) else {
            continue;
        };
        let owner = next
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
    let read = |p: &Path| {
        written
            .get(p)
            .map_or_else(|| disk(p), |text| Ok(text.to_string()))
    };
    let pages = pages(&next, &read, &Links::GitHub)?;
    let stale = stale(&suite.root, &pages).into_iter();
    Ok(stale
        .map(|s| match s.expected {
            Some(text) => Change::Write(s.path, text),
            None => Change::Remove(s.path),
        })
        .collect())
}
