//! Discovery: every fixture under `ui/` in reading order, with its
//! expectation files, and the rules that tie fixtures together (ids used
//! once, links that resolve, no stray files).

use crate::error::{Error, Result};
use crate::model::expect::{self, ExpectFile};
use crate::model::fixture::{Fixture, Listing};
use crate::model::{chapter, header::Origin};
use crate::names::{BLESS, PAGE, PROBE, RECORD, UI_DIR, Version};
use crate::problem::{Check, Problem, slashed};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Files that may sit at the top of `ui/`.
const ALLOWED_EXTRA: &[&str] = &["README.md", "toolchains.txt"];

/// Every fixture of the suite.
#[derive(Clone, Debug)]
pub struct Suite {
    /// The suite root (the directory holding `ui/`).
    pub root: PathBuf,
    /// Every fixture, in reading order, loaded or not.
    pub fixtures: Vec<Fixture>,
    /// The compiler versions the expectations were blessed with, ascending.
    pub record: Vec<Version>,
    /// Problems of the tree as a whole: they fail a full run, stop a bless.
    pub problems: Vec<Problem>,
}

impl Suite {
    /// Every fixture under `root/ui` and the tree's problems; fails only
    /// without `ui/`.
    pub fn load(root: &Path) -> Result<Suite> {
        if !root.join(UI_DIR).is_dir() {
            let fix = "run from the suite root (the directory holding `ui/`)";
            let said = "the fixture directory is missing";
            return Err(Error::Tree(vec![tree(Path::new(UI_DIR), said, fix)]));
        }
        let mut problems = Vec::new();
        let (mut fixtures, expectations) = walk(root, &mut problems);
        attach(&mut fixtures, expectations, &mut problems);
        ids(&fixtures, &mut problems);
        openings(root, &fixtures, &mut problems);
        // A link resolves to a fixture that loads, by its id, or to one that
        // does not, by its file name.
        let targets = fixtures.clone();
        fixtures.iter_mut().for_each(|f| own_rules(f, &targets));
        let record = read_record(root, &fixtures, &mut problems);
        problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        let (root, fixtures) = (root.to_owned(), reading_order(fixtures));
        Ok(Suite {
            root,
            fixtures,
            record,
            problems,
        })
    }

    /// This suite if every fixture loaded and the tree keeps every rule;
    /// else every problem, in file order.
    pub fn whole(self) -> Result<Suite> {
        let broken = self.fixtures.iter().flat_map(|f| f.listing.as_ref().err());
        let mut all: Vec<Problem> = broken.flatten().chain(&self.problems).cloned().collect();
        all.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        all.is_empty().then_some(self).ok_or(Error::Tree(all))
    }

    /// The fixtures `filters` select (all if empty): a filter that is a
    /// fixture's id or short id (`16-02`, `beyond-04`) selects exactly it;
    /// any other selects every fixture whose path or id holds it.
    pub fn select<'a, 'f>(
        &'a self,
        filters: &'f [String],
    ) -> impl Iterator<Item = &'a Fixture> + use<'a, 'f> {
        let selected = move |f: &&Fixture| filters.iter().any(|s| self.selects(s, f));
        let all = filters.is_empty();
        self.fixtures.iter().filter(move |f| all || selected(f))
    }

    /// Whether the filter `s` selects `f` (see [`Suite::select`]).
    pub fn selects(&self, s: &str, f: &Fixture) -> bool {
        let exactly = |g: &Fixture| g.short_id() == s || g.is(s);
        match self.fixtures.iter().any(exactly) {
            true => exactly(f),
            false => f.display_path().contains(s) || id(f).contains(s),
        }
    }

    /// The fixtures that load, with what they hold.
    pub fn loaded(&self) -> impl Iterator<Item = (&Fixture, &Listing)> {
        self.fixtures.iter().filter_map(|f| Some((f, f.loaded()?)))
    }

    /// The fixture that loads with id `id`.
    pub fn by_id(&self, id: &str) -> Option<(&Fixture, &Listing)> {
        self.loaded().find(|(_, l)| l.header.listing == id)
    }

    /// Whether expectations were blessed for `version` (exact comparisons).
    pub fn is_blessed(&self, version: Version) -> bool {
        self.record.contains(&version)
    }
}

/// The id of `f`, or its file name when it does not load.
fn id(f: &Fixture) -> &str {
    f.loaded().map_or(&f.stem, |l| &l.header.listing)
}

fn tree(path: &Path, said: impl Into<String>, fix: impl Into<String>) -> Problem {
    Problem::said(Check::Tree, slashed(path), said).edit(fix)
}

/// The fixtures under `ui/`, loaded, and the expectation files; anything
/// else is a problem.
fn walk(root: &Path, problems: &mut Vec<Problem>) -> (Vec<Fixture>, Vec<ExpectFile>) {
    let (mut fixtures, mut expectations) = (Vec::new(), Vec::new());
    let example = chapter::example_dir();
    let relative = |path: &Path| path.strip_prefix(root).unwrap_or(path).to_owned();
    for entry in walkdir::WalkDir::new(root.join(UI_DIR)).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map_or(PathBuf::from(UI_DIR), relative);
                problems.push(tree(&path, e.to_string(), ""));
                continue;
            }
        };
        let (rel, depth) = (relative(entry.path()), entry.depth());
        let name = entry.file_name().to_string_lossy();
        let is_dir = entry.file_type().is_dir();
        if is_dir && depth > 1 {
            let fix = format!("move its files up to the group directory (e.g. `ui/{example}/`)");
            problems.push(tree(&rel, "fixtures are one directory deep", fix));
        } else if !is_dir && name == PROBE {
            let said = format!("a probe left by an interrupted `{BLESS}`");
            problems.push(tree(
                &rel,
                said,
                format!("run `{BLESS}` (it removes it), or delete it"),
            ));
        } else if !is_dir && depth == 1 && !ALLOWED_EXTRA.contains(&name.as_ref()) {
            let fix = format!("fixtures go into a group directory such as `ui/{example}/`");
            problems.push(tree(&rel, "stray file at the top of `ui/`", fix));
        } else if depth == 2 && name == chapter::OPENING {
            opening(&rel, problems);
        } else if is_dir || depth == 1 || name == PAGE {
            // A group, a file allowed at the top, or the section's page
            // (generated by `cargo xtask catalogue`).
        } else if name.ends_with(".rs") {
            fixtures.push(Fixture::load(root, &rel));
        } else {
            match expect::parse_name(&rel) {
                Ok(Some(file)) => expectations.push(file),
                Ok(None) => {
                    let said = "not a fixture (`.rs`) nor an expectation (`.stderr`, `.stdout`)";
                    problems.push(tree(&rel, said, "move the file out of `ui/`"));
                }
                Err(p) => problems.push(p),
            }
        }
    }
    (fixtures, expectations)
}

/// An `opening.md` in a page's directory: refused outside a section page's,
/// the only pages the chapter table declares an opening for.
fn opening(rel: &Path, problems: &mut Vec<Problem>) {
    let dir = rel.parent().and_then(Path::file_name).unwrap_or_default();
    let row = chapter::of_dir(&dir.to_string_lossy());
    if !row.is_some_and(chapter::Section::is_section) {
        let said = "only a section's own page has an opening, and this directory is not one";
        let fix = "delete it, or move its text into the section's `opening.md`";
        problems.push(tree(rel, said, fix));
    }
}

/// Every section page that holds fixtures has its `opening.md`.
fn openings(root: &Path, fixtures: &[Fixture], problems: &mut Vec<Problem>) {
    for s in chapter::CHAPTER.iter().filter(|s| s.is_section()) {
        let path = Path::new(UI_DIR).join(s.dir).join(chapter::OPENING);
        if fixtures.iter().any(|f| f.dir == s.dir) && !root.join(&path).is_file() {
            let said = format!(
                "page `{}` is a section's page, which opens with this file, and it is missing",
                s.key
            );
            let fix = "write the section's opening there, a paragraph of Markdown";
            problems.push(tree(&path, said, fix));
        }
    }
}

/// Give each fixture its expectations: one of a kind it cannot have breaks
/// it; one with no fixture beside it is an orphan.
fn attach(fixtures: &mut [Fixture], expectations: Vec<ExpectFile>, problems: &mut Vec<Problem>) {
    let mut orphans = Vec::new();
    for file in expectations {
        let beside =
            |f: &&mut Fixture| f.stem == file.stem && f.path.parent() == file.path.parent();
        let Some(f) = fixtures.iter_mut().find(beside) else {
            orphans.push(file);
            continue;
        };
        let Some(l) = f.loaded().filter(|l| !l.kinds().contains(&file.kind)) else {
            f.expectations.push(file);
            continue;
        };
        let what = match l.header.expect.is_compile_fail() {
            true => "compile-fail",
            false => "runnable without `stderr: exact`",
        };
        let (path, ext) = (f.path.display(), file.kind.ext());
        let said = format!("`{path}` is {what}, so it has no `.{ext}` expectation");
        let fix = format!(
            "delete this file (it was left behind when the fixture's header changed), then `{BLESS}`"
        );
        let mut problem = tree(&file.path, said, fix);
        problem.check = Check::Load;
        f.listing = Err(vec![problem]);
    }
    problems.extend(orphans.iter().map(|file| orphan(fixtures, file)));
}

/// An expectation with no fixture beside it; the fix is a `git mv` when
/// exactly one fixture beside it lacks such a file.
fn orphan(fixtures: &[Fixture], file: &ExpectFile) -> Problem {
    let lacks = |f: &&Fixture| {
        let has = |e: &ExpectFile| e.kind == file.kind && e.key == file.key;
        let kinds = f.loaded().map(Listing::kinds).unwrap_or_default();
        f.path.parent() == file.path.parent()
            && kinds.contains(&file.kind)
            && !f.expectations.iter().any(has)
    };
    let renamed: Vec<&Fixture> = fixtures.iter().filter(lacks).collect();
    let fix = match renamed[..] {
        [f] => format!(
            "if `{}` was renamed from `{}.rs`: git mv {} {}",
            f.display_path(),
            file.stem,
            file.path.display(),
            f.expectation_path(file.kind, file.key).display()
        ),
        _ => "if the fixture was renamed, rename this file to match it; if it was deleted, delete this file".into(),
    };
    let stem = &file.stem;
    let said = format!("orphan expectation: no fixture `{stem}.rs` beside it");
    tree(&file.path, said, fix)
}

/// Ids and short ids used twice, and names that hold another fixture's
/// short id (a test filter matches by substring).
fn ids(fixtures: &[Fixture], problems: &mut Vec<Problem>) {
    let mut ids: BTreeMap<&str, &Fixture> = BTreeMap::new();
    let mut shorts: BTreeMap<&str, &Fixture> = BTreeMap::new();
    for f in fixtures {
        let at = |said: String, fix: &str| {
            let mut p = tree(&f.path, said, fix);
            p.line = f.loaded().map(|l| l.header.line_of("listing"));
            p
        };
        if let Some(l) = f.loaded()
            && let Some(first) = ids.insert(&l.header.listing, f)
        {
            let (id, first) = (&l.header.listing, first.display_path());
            let said = format!("listing id `{id}` is also used by {first}");
            problems.push(at(said, "every fixture has its own id"));
        } else if let Some(first) = shorts.insert(f.short_id(), f) {
            let (id, first) = (f.short_id(), first.display_path());
            let said =
                format!("short id `{id}` is also that of {first}, so `{id}` would select both");
            let fix = "number it differently (the next free number in its group)";
            problems.push(at(said, fix));
        }
    }
    for (id, holder) in &shorts {
        let holds =
            |f: &&Fixture| f.path != holder.path && f.stem.contains(id) && f.short_id() != *id;
        for f in fixtures.iter().filter(holds) {
            let said = format!(
                "its name holds `{id}`, the short id of {}, so `cargo test --test ui -- {id}` would select both",
                holder.display_path()
            );
            let fix = "rename it so that its name holds no other fixture's short id";
            problems.push(tree(&f.path, said, fix));
        }
    }
}

/// The rules a loaded fixture keeps on its own (links resolve, the name
/// starts with its id, it has a place, its url its page); else it fails load.
fn own_rules(f: &mut Fixture, targets: &[Fixture]) {
    let Ok(l) = &f.listing else { return };
    let h = &l.header;
    let file = f.display_path();
    let mut found = Vec::new();
    let mut problem = |field: &str, said: String, fix: &str| {
        let p = Problem::said(Check::Load, &file, said).at(h.line_of(field));
        found.push(p.edit(fix));
    };
    for (field, target) in [
        ("fixed-by", &h.fixed_by),
        ("improved-by", &h.improved_by),
        ("follows", &h.follows),
        ("compiler-suggestion-gives", &h.suggestion_gives),
    ] {
        let Some(t) = target else { continue };
        if t == &h.listing {
            let said = format!("`{field}` names the fixture itself");
            problem(field, said, "name another listing");
        } else if !targets.iter().any(|g| g.is(t)) {
            let said = format!("`{field}: {t}` names no fixture");
            let fix = "use the id in the `listing:` line of an existing fixture";
            problem(field, said, fix);
        }
    }
    let id = &h.listing;
    if f.stem != *id && !f.stem.starts_with(&format!("{id}-")) {
        let said = format!("the file name does not start with its id `{id}`");
        let fix = format!("rename the file to `{id}[-slug].rs`");
        problem("listing", said, &fix);
    }
    if h.origin == Origin::Book {
        let numbered = listing_number(id).is_some();
        if !numbered && h.follows.is_none() {
            let said =
                "an unnumbered listing needs a `follows` field to find its place in reading order";
            let fix = "add `follows: listing-16-NN` naming the listing it comes after in the book";
            problem("listing", said.into(), fix);
        }
        if numbered && h.follows.is_some() {
            let said = "a numbered listing is placed by its number";
            problem("follows", said.into(), "remove the `follows` line");
        }
    }
    // Every directory belongs to one book page; so does every fixture in it.
    let page = chapter::of_dir(&f.dir).map(|s| s.page);
    let (book, on) = (
        h.origin == Origin::Book,
        chapter::of_url(&h.url).map(|s| s.page),
    );
    if page.map_or(book, |page| on != Some(page)) {
        let dir = &f.dir;
        let said = format!("the fixture is in `{dir}` but its url is on another page");
        let fix = match page {
            Some(page) => format!("use a url containing `/book/{page}.html#`, or move the fixture"),
            None => format!("use a url containing `/book/{dir}.html#`, or move the fixture"),
        };
        problem("url", said, &fix);
    }
    if !found.is_empty() {
        f.listing = Err(found);
    }
}

/// `listing-16-13` → 13.
fn listing_number(id: &str) -> Option<u32> {
    let number = id.strip_prefix("listing-16-")?.split('-').next()?;
    number.parse().ok()
}

/// The versions in `ui/toolchains.txt`, missing only while no expectation is.
fn read_record(root: &Path, fixtures: &[Fixture], problems: &mut Vec<Problem>) -> Vec<Version> {
    let path = Path::new(RECORD);
    let read = match std::fs::read_to_string(root.join(path)) {
        Ok(text) => expect::parse_record(path, &text),
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(vec![tree(path, e.to_string(), "")])
        }
        Err(_) => match fixtures.iter().find(|f| !f.expectations.is_empty()) {
            None => Ok(Vec::new()),
            Some(f) => {
                let beside = f.display_path();
                let said = format!("missing, but expectations exist (e.g. beside {beside})");
                let fix = format!(
                    "restore it with `git checkout ui/toolchains.txt`, or run `{BLESS}` for every toolchain the expectations cover"
                );
                Err(vec![tree(path, said, fix)])
            }
        },
    };
    read.unwrap_or_else(|bad| {
        problems.extend(bad);
        Vec::new()
    })
}

/// By directory; within one, numbered listings by number, each unnumbered
/// one right after the listing it follows, our own by file name.
fn reading_order(fixtures: Vec<Fixture>) -> Vec<Fixture> {
    fn key(f: &Fixture, all: &[Fixture], depth: usize) -> Vec<u32> {
        if let Some(n) = listing_number(id(f)) {
            return vec![n];
        }
        let follows = f.loaded().and_then(|l| l.header.follows.as_deref());
        match follows.and_then(|t| all.iter().find(|g| g.is(t))) {
            Some(g) if depth < all.len() => [key(g, all, depth + 1), vec![0]].concat(),
            _ => vec![u32::MAX],
        }
    }
    // Directories in the chapter table's order, others after them by name.
    let dir = |f: &Fixture| chapter::CHAPTER.iter().position(|s| s.dir == f.dir);
    let dir = |f: &Fixture| (dir(f).unwrap_or(usize::MAX), f.dir.clone());
    let key = |f: &Fixture| (dir(f), key(f, &fixtures, 0), f.stem.clone());
    let keys: Vec<_> = fixtures.iter().map(key).collect();
    let mut keyed: Vec<_> = keys.into_iter().zip(fixtures).collect();
    keyed.sort_by(|(a, _), (b, _)| a.cmp(b));
    keyed.into_iter().map(|(_, f)| f).collect()
}
