//! The readers' pages: the index `ui/README.md` and a page per fixture
//! directory, generated from the model; the [`site`] is an mdBook of them.

/// `write!` to a `String`, which cannot fail.
macro_rules! w {
    ($($arg:tt)*) => {{
        let _ = write!($($arg)*);
    }};
}

mod entry;
mod index;
mod markdown;
pub mod playground;
mod relocate;
pub mod site;
pub mod std_items;

use crate::bless::journal::Change;
use crate::error::{Error, Result};
use crate::model::expect;
use crate::model::fixture::Fixture;
use crate::model::suite::Suite;
use crate::names::{PAGE, RECORD, UI_DIR};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The index, from the suite root.
pub const INDEX: &str = "ui/README.md";

/// Reads a file of the suite by its path from the suite root.
type Read<'r> = &'r dyn Fn(&Path) -> Result<String>;

/// What the pages are made of.
struct Render<'a> {
    suite: &'a Suite,
    read: Read<'a>,
    links: &'a Links,
}

/// Where the pages' links to files lead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Links {
    /// The pages in `ui/`: files beside them.
    GitHub,
    /// The companion site: files under `source` (`…/blob/<commit>`), if any.
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

/// Every page, the index first; an error names each fixture it cannot show.
fn pages(suite: &Suite, read: Read, links: &Links) -> Result<Vec<Page>> {
    // Loaded in path order, so a directory's fixtures are together.
    let mut dirs: Vec<&str> = suite.loaded().map(|(f, _)| f.dir.as_str()).collect();
    dirs.dedup();
    let mut problems = Vec::new();
    let mut pages = vec![Page {
        path: INDEX.into(),
        title: "Fearless Concurrency, listing by listing".into(),
        text: index::index(suite, links),
    }];
    let r = Render { suite, read, links };
    for (i, dir) in dirs.iter().enumerate() {
        let (text, more) = markdown::section_page(&r, &dirs, i);
        problems.extend(more);
        pages.push(Page {
            path: Path::new(UI_DIR).join(dir).join(PAGE),
            title: markdown::title(dir).to_string(),
            text,
        });
    }
    problems
        .is_empty()
        .then_some(pages)
        .ok_or(Error::Tree(problems))
}

/// The suite's files as pages quote them: as the suite compares them.
fn from_disk(root: &Path) -> impl Fn(&Path) -> Result<String> + '_ {
    move |path| expect::read(root, path)
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
    /// What it should hold (`None`: its directory has no fixtures).
    pub expected: Option<String>,
}

/// The pages of `ui/` that differ from `pages`, and pages left in a
/// directory without fixtures.
pub fn stale(root: &Path, pages: &[Page]) -> Vec<Stale> {
    let read = |path: &Path| std::fs::read_to_string(root.join(path)).ok();
    let mut out: Vec<Stale> = pages
        .iter()
        .map(|p| Stale {
            path: p.path.clone(),
            committed: read(&p.path).map(expect::lf),
            expected: Some(p.text.clone()),
        })
        .filter(|s| s.committed != s.expected)
        .collect();
    let mut left: Vec<PathBuf> = std::fs::read_dir(root.join(UI_DIR))
        .into_iter()
        .flatten()
        .flatten()
        .map(|d| Path::new(UI_DIR).join(d.file_name()).join(PAGE))
        .filter(|path| root.join(path).is_file() && !pages.iter().any(|p| &p.path == path))
        .collect();
    left.sort();
    out.extend(left.into_iter().map(|path| Stale {
        committed: read(&path),
        path,
        expected: None,
    }));
    out
}

/// The page changes a bless makes with `changes`, so that no page is stale.
pub fn after(suite: &Suite, changes: &[Change]) -> Result<Vec<Change>> {
    let mut next = suite.clone();
    let mut written: BTreeMap<&Path, String> = BTreeMap::new();
    for change in changes {
        let path = change.path();
        if path == Path::new(RECORD) {
            if let Change::Write(_, text) = change {
                next.record = expect::parse_record(path, text).map_err(Error::Tree)?;
            }
            continue;
        }
        let Ok(Some(file)) = expect::parse_name(path) else {
            continue;
        };
        let owns = |f: &&mut Fixture| f.stem == file.stem && f.path.parent() == file.path.parent();
        let Some(owner) = next.fixtures.iter_mut().find(owns) else {
            continue;
        };
        owner.expectations.retain(|e| e.path != file.path);
        if let Change::Write(_, text) = change {
            owner.expectations.push(file);
            written.insert(path, text.clone());
        }
    }
    let disk = from_disk(&suite.root);
    let read = |p: &Path| written.get(p).cloned().map_or_else(|| disk(p), Ok);
    let change = |s: Stale| match s.expected {
        Some(text) => Change::Write(s.path, text),
        None => Change::Remove(s.path),
    };
    let pages = pages(&next, &read, &Links::GitHub)?;
    Ok(stale(&suite.root, &pages).into_iter().map(change).collect())
}
