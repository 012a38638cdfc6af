//! Discovery: every fixture under `ui/` in reading order, with its
//! expectation files, and the rules that tie fixtures together (ids used
//! once, links that resolve, no stray files).

use crate::error::{Error, Result};
use crate::model::expect::{self, ExpectFile};
use crate::model::fixture::{Fixture, Listing};
use crate::model::{chapter, header::Origin};
use crate::names::{BLESS, PAGE, RECORD, UI_DIR, Version};
use crate::problem::{Check, Problem};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Files that may sit at the top of `ui/`.
const ALLOWED_EXTRA: &[&str] = &["README.md", "toolchains.txt"];

/// Every fixture of the suite.
#[derive(Clone, Debug)]
pub struct Suite {
    /// The suite root (the directory holding `ui/`).
    pub root: PathBuf,
    /// Every fixture, in reading order; one that does not load is here too,
    /// with its problems.
    pub fixtures: Vec<Fixture>,
    /// The compiler versions the expectations were blessed with, ascending.
    pub record: Vec<Version>,
    /// Problems of the tree as a whole (stray and orphan files, ids used
    /// twice, the record): they fail a full run and stop a bless.
    pub problems: Vec<Problem>,
}

impl Suite {
    /// Every fixture under `root/ui`, loaded or not, and the tree's
    /// problems. Fails only when there is no `ui/`.
    pub fn load(root: &Path) -> Result<Suite> {
        if !root.join(UI_DIR).is_dir() {
            let fix = "run from the suite root (the directory holding `ui/`)";
            let said = "the fixture directory is missing";
            return Err(Error::Tree(vec![
                Problem::said(Check::Tree, UI_DIR, said).edit(fix),
            ]));
        }
        let mut problems = Vec::new();
        let (mut fixtures, expectations) = walk(root, &mut problems);
        attach(&mut fixtures, expectations, &mut problems);
        ids(&fixtures, &mut problems);
        // A link resolves to a fixture that loads, by its id, or to one that
        // does not, by its file name.
        let targets: Vec<Fixture> = fixtures.clone();
        for f in &mut fixtures {
            own_rules(f, &targets);
        }
        let record = read_record(root, &fixtures, &mut problems);
        problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        Ok(Suite {
            root: root.to_owned(),
            fixtures: reading_order(fixtures),
            record,
            problems,
        })
    }

    /// This suite if every fixture loaded and the tree keeps every rule;
    /// else every problem, in file order.
    pub fn whole(self) -> Result<Suite> {
        let mut all: Vec<Problem> = self
            .fixtures
            .iter()
            .filter_map(|f| f.listing.as_ref().err())
            .flatten()
            .cloned()
            .collect();
        if all.is_empty() && self.problems.is_empty() {
            return Ok(self);
        }
        all.extend(self.problems);
        all.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        Err(Error::Tree(all))
    }

    /// The fixtures `filters` select (all if empty): a filter that is a
    /// fixture's id or short id (`16-02`, `beyond-04`) selects exactly it;
    /// any other selects every fixture whose path or id holds it.
    pub fn select<'a, 'f>(
        &'a self,
        filters: &'f [String],
    ) -> impl Iterator<Item = &'a Fixture> + use<'a, 'f> {
        self.fixtures
            .iter()
            .filter(move |f| filters.is_empty() || filters.iter().any(|s| self.selects(s, f)))
    }

    /// Whether the filter `s` selects `f` (see [`Suite::select`]).
    pub fn selects(&self, s: &str, f: &Fixture) -> bool {
        if self.fixtures.iter().any(|g| g.short_id() == s || g.is(s)) {
            return f.short_id() == s || f.is(s);
        }
        let id = f
            .loaded()
            .map_or(f.stem.as_str(), |l| l.header.listing.as_str());
        f.display_path().contains(s) || id.contains(s)
    }

    /// The fixtures that load, with what they hold.
    pub fn loaded(&self) -> impl Iterator<Item = (&Fixture, &Listing)> {
        self.fixtures.iter().filter_map(|f| Some((f, f.loaded()?)))
    }

    /// The fixture that loads with id `id`.
    pub fn by_id(&self, id: &str) -> Option<(&Fixture, &Listing)> {
        self.loaded().find(|(_, l)| l.header.listing == id)
    }

    /// Whether expectations were blessed for compilers of `version`: only
    /// then are exact comparisons made.
    pub fn is_blessed(&self, version: Version) -> bool {
        self.record.contains(&version)
    }
}

/// A problem of the tree at `path`.
fn tree(path: &Path, said: impl Into<String>, fix: impl Into<String>) -> Problem {
    Problem::said(Check::Tree, path.to_string_lossy().replace('\\', "/"), said).edit(fix)
}

/// Every file under `ui/`: the fixtures, loaded, and the expectation files;
/// anything else is a problem.
fn walk(root: &Path, problems: &mut Vec<Problem>) -> (Vec<Fixture>, Vec<ExpectFile>) {
    let (mut fixtures, mut expectations) = (Vec::new(), Vec::new());
    let example = chapter::example_dir();
    for entry in walkdir::WalkDir::new(root.join(UI_DIR)).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map_or(PathBuf::from(UI_DIR), |p| relative(root, p));
                problems.push(tree(&path, e.to_string(), ""));
                continue;
            }
        };
        let rel = relative(root, entry.path());
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_dir() {
            if entry.depth() > 1 {
                let fix =
                    format!("move its files up to the group directory (e.g. `ui/{example}/`)");
                problems.push(tree(&rel, "fixtures are one directory deep", fix));
            }
        } else if entry.depth() == 1 {
            if !ALLOWED_EXTRA.contains(&name.as_ref()) {
                let fix = format!("fixtures go into a group directory such as `ui/{example}/`");
                problems.push(tree(&rel, "stray file at the top of `ui/`", fix));
            }
        } else if name == PAGE {
            // The section's page, generated by `cargo xtask catalogue`.
        } else if name.ends_with(".rs") {
            fixtures.push(Fixture::load(root, &rel));
        } else {
            match expect::parse_name(&rel) {
                Ok(Some(file)) => expectations.push(file),
                Ok(None) => problems.push(tree(
                    &rel,
                    "not a fixture (`.rs`) nor an expectation (`.stderr`, `.stdout`)",
                    "move the file out of `ui/`",
                )),
                Err(p) => problems.push(p),
            }
        }
    }
    (fixtures, expectations)
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_owned()
}

/// Give each fixture its expectations; one of a kind it cannot have breaks
/// the fixture, one with no fixture beside it is an orphan.
fn attach(fixtures: &mut [Fixture], expectations: Vec<ExpectFile>, problems: &mut Vec<Problem>) {
    let mut orphans = Vec::new();
    for file in expectations {
        let owner = fixtures
            .iter_mut()
            .find(|f| f.stem == file.stem && f.path.parent() == file.path.parent());
        let Some(f) = owner else {
            orphans.push(file);
            continue;
        };
        let kinds = f.loaded().map(Listing::kinds);
        match (&mut f.listing, kinds) {
            (Ok(l), Some(kinds)) if !kinds.contains(&file.kind) => {
                let what = match l.header.expect.is_compile_fail() {
                    true => "compile-fail",
                    false => "runnable without `stderr: exact`",
                };
                let said = format!(
                    "`{}` is {what}, so it has no `.{}` expectation",
                    f.path.display(),
                    file.kind.ext()
                );
                let fix = format!(
                    "delete this file (it was left behind when the fixture's header changed), then `{BLESS}`"
                );
                let problem = Problem {
                    check: Check::Load,
                    ..tree(&file.path, said, fix)
                };
                f.listing = Err(vec![problem]);
            }
            _ => f.expectations.push(file),
        }
    }
    for file in orphans {
        problems.push(orphan(fixtures, &file));
    }
}

/// An expectation with no fixture beside it. When exactly one fixture in
/// its directory lacks such a file (it was renamed), the fix is the `git
/// mv` that gives it back.
fn orphan(fixtures: &[Fixture], file: &ExpectFile) -> Problem {
    let renamed: Vec<&Fixture> = fixtures
        .iter()
        .filter(|f| f.path.parent() == file.path.parent())
        .filter(|f| f.loaded().is_some_and(|l| l.kinds().contains(&file.kind)))
        .filter(|f| {
            !f.expectations
                .iter()
                .any(|e| e.kind == file.kind && e.key == file.key)
        })
        .collect();
    let fix = match renamed.as_slice() {
        [f] => format!(
            "if `{}` was renamed from `{}.rs`: git mv {} {}",
            f.display_path(),
            file.stem,
            file.path.display(),
            f.expectation_path(file.kind, file.key).display()
        ),
        _ => "if the fixture was renamed, rename this file to match it; if it was deleted, delete this file".into(),
    };
    let said = format!(
        "orphan expectation: no fixture `{}.rs` beside it",
        file.stem
    );
    tree(&file.path, said, fix)
}

/// Ids and short ids used twice, and names that hold another fixture's
/// short id (a test filter matches names by substring): problems of the tree.
fn ids(fixtures: &[Fixture], problems: &mut Vec<Problem>) {
    let mut ids: BTreeMap<&str, &Fixture> = BTreeMap::new();
    let mut shorts: BTreeMap<&str, &Fixture> = BTreeMap::new();
    for f in fixtures {
        let line = f.loaded().map(|l| l.header.line_of("listing"));
        let at = |p: Problem| match line {
            Some(l) => p.at(l),
            None => p,
        };
        if let Some(l) = f.loaded()
            && let Some(first) = ids.insert(&l.header.listing, f)
        {
            let said = format!(
                "listing id `{}` is also used by {}",
                l.header.listing,
                first.display_path()
            );
            problems.push(at(tree(&f.path, said, "every fixture has its own id")));
            continue;
        }
        let id = f.short_id();
        if let Some(first) = shorts.insert(id, f) {
            let said = format!(
                "short id `{id}` is also that of {}, so `{id}` would select both",
                first.display_path()
            );
            problems.push(at(tree(
                &f.path,
                said,
                "number it differently (the next free number in its group)",
            )));
        }
    }
    for (id, holder) in &shorts {
        for f in fixtures {
            if f.path != holder.path && f.stem.contains(id) && f.short_id() != *id {
                let said = format!(
                    "its name holds `{id}`, the short id of {}, so `cargo test --test ui -- {id}` would select both",
                    holder.display_path()
                );
                problems.push(tree(
                    &f.path,
                    said,
                    "rename it so that its name holds no other fixture's short id",
                ));
            }
        }
    }
}

/// The rules a loaded fixture keeps on its own: links that resolve, a file
/// name that starts with its id, a place in reading order, a url on its
/// directory's page. A fixture that breaks one does not load.
fn own_rules(f: &mut Fixture, targets: &[Fixture]) {
    let Ok(l) = &f.listing else { return };
    let h = &l.header;
    let file = f.display_path();
    let mut found = Vec::new();
    let mut problem = |field: &str, said: String, fix: String| {
        found.push(
            Problem::said(Check::Load, &file, said)
                .at(h.line_of(field))
                .edit(fix),
        );
    };
    for (field, target) in [
        ("fixed-by", &h.fixed_by),
        ("improved-by", &h.improved_by),
        ("follows", &h.follows),
        ("compiler-suggestion-gives", &h.suggestion_gives),
    ] {
        match target {
            Some(t) if t == &h.listing => problem(
                field,
                format!("`{field}` names the fixture itself"),
                "name another listing".into(),
            ),
            Some(t) if !targets.iter().any(|g| g.is(t)) => problem(
                field,
                format!("`{field}: {t}` names no fixture"),
                "use the id in the `listing:` line of an existing fixture".into(),
            ),
            _ => {}
        }
    }
    if f.stem != h.listing && !f.stem.starts_with(&format!("{}-", h.listing)) {
        let said = format!("the file name does not start with its id `{}`", h.listing);
        problem(
            "listing",
            said,
            format!("rename the file to `{}[-slug].rs`", h.listing),
        );
    }
    if h.origin == Origin::Book {
        let numbered = listing_number(&h.listing).is_some();
        if !numbered && h.follows.is_none() {
            problem(
                "listing",
                "an unnumbered listing needs a `follows` field to find its place in reading order"
                    .into(),
                "add `follows: listing-16-NN` naming the listing it comes after in the book".into(),
            );
        }
        if numbered && h.follows.is_some() {
            problem(
                "follows",
                "a numbered listing is placed by its number".into(),
                "remove the `follows` line".into(),
            );
        }
        let page = chapter::of_dir(&f.dir).map(|s| s.page);
        if chapter::of_url(&h.url).map(|s| s.page) != page || page.is_none() {
            let said = format!(
                "the fixture is in `{}` but its url is on another page",
                f.dir
            );
            let page = format!("/book/{}.html#", f.dir);
            problem(
                "url",
                said,
                format!("use a url containing `{page}`, or move the fixture"),
            );
        }
    }
    if !found.is_empty() {
        f.listing = Err(found);
    }
}

/// `listing-16-13` → 13.
fn listing_number(id: &str) -> Option<u32> {
    id.strip_prefix("listing-16-")?
        .split('-')
        .next()?
        .parse()
        .ok()
}

/// The compiler versions in `ui/toolchains.txt`; it may be missing only
/// while no expectation exists.
fn read_record(root: &Path, fixtures: &[Fixture], problems: &mut Vec<Problem>) -> Vec<Version> {
    let path = Path::new(RECORD);
    match std::fs::read_to_string(root.join(path)) {
        Ok(text) => expect::parse_record(path, &text).unwrap_or_else(|p| {
            problems.push(p);
            Vec::new()
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(f) = fixtures.iter().find(|f| !f.expectations.is_empty()) {
                problems.push(tree(
                    path,
                    format!("missing, but expectations exist (e.g. beside {})", f.display_path()),
                    format!(
                        "restore it with `git checkout ui/toolchains.txt`, or run `{BLESS}` for every toolchain the expectations cover"
                    ),
                ));
            }
            Vec::new()
        }
        Err(e) => {
            problems.push(tree(path, e.to_string(), ""));
            Vec::new()
        }
    }
}

/// By directory; within one, numbered listings by number, each unnumbered
/// one right after the listing it follows, our own by file name.
fn reading_order(fixtures: Vec<Fixture>) -> Vec<Fixture> {
    fn key(f: &Fixture, all: &[Fixture], depth: usize) -> Vec<u32> {
        let id = f
            .loaded()
            .map_or(f.stem.as_str(), |l| l.header.listing.as_str());
        if let Some(n) = listing_number(id) {
            return vec![n];
        }
        let follows = f.loaded().and_then(|l| l.header.follows.as_deref());
        match follows.and_then(|t| all.iter().find(|g| g.is(t))) {
            Some(g) if depth < all.len() => {
                let mut k = key(g, all, depth + 1);
                k.push(0);
                k
            }
            _ => vec![u32::MAX],
        }
    }
    let mut keyed: Vec<(String, Vec<u32>, String, usize)> = fixtures
        .iter()
        .enumerate()
        .map(|(i, f)| (f.dir.clone(), key(f, &fixtures, 0), f.stem.clone(), i))
        .collect();
    keyed.sort();
    let mut slots: Vec<Option<Fixture>> = fixtures.into_iter().map(Some).collect();
    keyed
        .into_iter()
        .filter_map(|(.., i)| slots[i].take())
        .collect()
}
