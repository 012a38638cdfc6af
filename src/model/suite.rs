//! Discovery: every fixture under `ui/`, in reading order, with its
//! expectation files, and the rules that tie fixtures together (unique ids,
//! links that resolve, no stray files).

use crate::command::BLESS;
use crate::error::{Error, Result};
use crate::model::expect::{self, ExpectFile, Version};
use crate::model::fixture::Fixture;
use crate::model::header::Origin;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

pub use crate::layout::UI_DIR;

/// Files that may sit in `ui/` without being fixtures or expectations.
const ALLOWED_EXTRA: &[&str] = &["README.md", "toolchains.txt"];

/// All fixtures of the suite.
#[derive(Clone, Debug)]
pub struct Suite {
    /// The suite root (the directory holding `ui/`).
    pub root: PathBuf,
    /// Fixtures in reading order (the sound ones; see `broken`).
    pub fixtures: Vec<Fixture>,
    /// Compiler versions the expectations were blessed with (ascending).
    pub record: Vec<Version>,
    /// Fixtures that do not load (a header or annotation that does not
    /// parse, a scaffold's `TODO`) or break a rule of their own (a link to
    /// no fixture, a file name that is not its id, an expectation it cannot
    /// have): each fails alone, with every problem it has, while the rest
    /// of the suite runs. In file order.
    pub broken: Vec<Broken>,
    /// Problems of the tree as a whole: stray and orphan files, expectation
    /// names that do not parse, ids or short ids used twice, the record of
    /// blessed compilers. They fail a full run and stop a bless.
    pub problems: Vec<Error>,
}

/// A fixture that does not load, or breaks a rule of its own.
#[derive(Clone, Debug)]
pub struct Broken {
    /// Path relative to the suite root, `ui/<group>/<stem>.rs`.
    pub path: PathBuf,
    /// File name without `.rs`.
    pub stem: String,
    /// Every problem found in it.
    pub errors: Vec<Error>,
}

impl Broken {
    /// `path` as a `/`-separated string.
    pub fn display_path(&self) -> String {
        self.path.to_string_lossy().replace('\\', "/")
    }

    /// Its short id, read from its file name.
    pub fn short_id(&self) -> &str {
        crate::model::fixture::short_id_of_stem(&self.stem)
    }

    /// Its name as a test (see [`Fixture::test_name`]).
    pub fn test_name(&self) -> &str {
        &self.stem
    }

    /// Whether a link to `id` means this fixture.
    fn is(&self, id: &str) -> bool {
        self.stem == id || self.stem.starts_with(&format!("{id}-"))
    }
}

impl Suite {
    /// Load every fixture under `root/ui`, and require all of them to load
    /// and the tree to keep every rule: all problems found are returned
    /// together ([`Error::Tree`]), so one run shows everything to fix.
    pub fn load(root: &Path) -> Result<Suite> {
        Suite::load_each(root)?.whole()
    }

    /// Load every fixture under `root/ui` that loads: the others are
    /// [`Suite::broken`], and problems of the tree as a whole are
    /// [`Suite::problems`]. Fails only when there is no `ui/`.
    pub fn load_each(root: &Path) -> Result<Suite> {
        let ui = root.join(UI_DIR);
        if !ui.is_dir() {
            return Err(Error::Tree(vec![Error::fixture(
                Path::new(UI_DIR),
                None,
                "the fixture directory is missing",
                "run from the suite root (the directory holding `ui/`)",
            )]));
        }
        let mut problems = Vec::new();
        let mut broken = BTreeMap::new();
        let found = walk(root, &mut problems, &mut broken);
        let fixtures = attach(found, &mut problems, &mut broken);
        let fixtures = check_links(fixtures, &mut problems, &mut broken);
        let record = read_record(root, &fixtures, &mut problems);
        Ok(Suite {
            root: root.to_owned(),
            fixtures: reading_order(fixtures),
            record,
            broken: broken
                .into_iter()
                .map(|(path, errors): (PathBuf, Vec<Error>)| Broken {
                    stem: path
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    path,
                    errors,
                })
                .collect(),
            problems,
        })
    }

    /// This suite if every fixture loaded and the tree keeps every rule;
    /// else every problem, in file order.
    pub fn whole(self) -> Result<Suite> {
        if self.broken.is_empty() && self.problems.is_empty() {
            return Ok(self);
        }
        let mut errors: Vec<Error> = self
            .broken
            .iter()
            .flat_map(|b| b.errors.iter().cloned())
            .chain(self.problems.iter().cloned())
            .collect();
        errors.sort_by_key(|e| match e {
            Error::Fixture { path, line, .. } => (path.clone(), line.unwrap_or(0)),
            Error::Io { path, .. } => (path.clone(), 0),
            _ => (PathBuf::new(), 0),
        });
        Err(Error::Tree(errors))
    }

    /// The broken fixtures `filters` select, as [`Suite::filtered`] selects
    /// the sound ones.
    pub fn broken_filtered<'a, 'f>(
        &'a self,
        filters: &'f [String],
    ) -> impl Iterator<Item = &'a Broken> + use<'a, 'f> {
        self.broken.iter().filter(move |b| {
            filters.is_empty()
                || filters.iter().any(|s| {
                    if self.names(s) {
                        b.short_id() == s || b.is(s)
                    } else {
                        b.display_path().contains(s.as_str())
                    }
                })
        })
    }

    /// Whether a link to `id` names a broken fixture.
    pub fn is_broken(&self, id: &str) -> bool {
        self.broken.iter().any(|b| b.is(id))
    }

    /// Whether `s` is exactly some fixture's id or short id, broken or not.
    fn names(&self, s: &str) -> bool {
        self.fixtures
            .iter()
            .any(|f| f.short_id() == s || f.header.listing == s)
            || self.broken.iter().any(|b| b.short_id() == s || b.is(s))
    }

    /// Whether expectations were blessed for compilers of `version`: only then
    /// are exact comparisons (`.stderr`, `.stdout`) made.
    pub fn is_blessed(&self, version: Version) -> bool {
        self.record.contains(&version)
    }

    /// The fixture with book id `listing`.
    pub fn by_id(&self, listing: &str) -> Option<&Fixture> {
        self.fixtures.iter().find(|f| f.header.listing == listing)
    }

    /// Fixtures selected by `filters` (all if empty): a filter that is a
    /// fixture's id or short id (`16-02`, `beyond-04`) selects exactly that
    /// fixture; any other selects every fixture whose path or id contains it.
    pub fn filtered<'a, 'f>(
        &'a self,
        filters: &'f [String],
    ) -> impl Iterator<Item = &'a Fixture> + use<'a, 'f> {
        self.fixtures
            .iter()
            .filter(move |f| filters.is_empty() || filters.iter().any(|s| self.selects(s, f)))
    }

    /// Whether the filter `s` selects `f` (see [`Suite::filtered`]).
    pub fn selects(&self, s: &str, f: &Fixture) -> bool {
        if self.names(s) {
            return f.short_id() == s || f.header.listing == s;
        }
        f.display_path().contains(s) || f.header.listing.contains(s)
    }
}

/// What the walk of `ui/` found.
struct Found {
    fixtures: Vec<Fixture>,
    expectations: Vec<ExpectFile>,
    /// Fixtures that exist but did not parse: they still own their
    /// expectations.
    broken: Vec<PathBuf>,
}

/// The problems of each broken fixture, by path.
type BrokenMap = BTreeMap<PathBuf, Vec<Error>>;

/// Every file under `ui/`, sorted into fixtures and expectations; anything
/// else is an error.
fn walk(root: &Path, errors: &mut Vec<Error>, broken: &mut BrokenMap) -> Found {
    let mut found = Found {
        fixtures: Vec::new(),
        expectations: Vec::new(),
        broken: Vec::new(),
    };
    for entry in WalkDir::new(root.join(UI_DIR)).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| UI_DIR.into());
                errors.push(Error::io(path, e.into()));
                continue;
            }
        };
        let rel = relative(root, entry.path());
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_dir() {
            if entry.depth() > 1 {
                errors.push(Error::fixture(
                    &rel,
                    None,
                    "fixtures are one directory deep",
                    "move its files up to the group directory (e.g. `ui/ch16-03-shared-state/`)",
                ));
            }
        } else if entry.depth() == 1 {
            if !ALLOWED_EXTRA.contains(&name.as_ref()) {
                errors.push(Error::fixture(
                    &rel,
                    None,
                    "stray file at the top of `ui/`",
                    "fixtures go into a group directory such as `ui/ch16-01-threads/`",
                ));
            }
        } else if name == crate::layout::PAGE {
            // The section's page, generated by `cargo xtask catalogue`.
        } else if name.ends_with(".rs") {
            match Fixture::load(root, &rel) {
                Ok(f) => found.fixtures.push(f),
                Err(e) => {
                    broken.entry(rel.clone()).or_default().extend(e.flatten());
                    found.broken.push(rel.with_extension(""));
                }
            }
        } else {
            match expect::parse_name(&rel) {
                Ok(Some(file)) => found.expectations.push(file),
                Ok(None) => errors.push(Error::fixture(
                    &rel,
                    None,
                    "not a fixture (`.rs`) nor an expectation (`.stderr`, `.stdout`)",
                    "move the file out of `ui/`",
                )),
                Err(e) => errors.push(e),
            }
        }
    }
    found
}

/// Give each fixture its expectations; anything left over is an orphan.
fn attach(found: Found, errors: &mut Vec<Error>, broken_map: &mut BrokenMap) -> Vec<Fixture> {
    let Found {
        mut fixtures,
        expectations,
        broken,
    } = found;
    let mut orphans = Vec::new();
    for file in expectations {
        let dir = file.path.parent().map(Path::to_path_buf);
        let owner = fixtures
            .iter_mut()
            .find(|f| f.stem == file.stem && f.path.parent().map(Path::to_path_buf) == dir);
        match owner {
            Some(f) if f.kinds().contains(&file.kind) => f.expectations.push(file),
            Some(f) => broken_map.entry(f.path.clone()).or_default().push(Error::fixture(
                &file.path,
                None,
                format!(
                    "`{}` is {}, so it has no `.{}` expectation",
                    f.display_path(),
                    if f.header.expect.is_compile_fail() { "compile-fail" } else { "runnable without `stderr: exact`" },
                    file.kind.ext()
                ),
                format!("delete this file (it was left behind when the fixture's header changed), then `{BLESS}`"),
            )),
            None if broken.iter().any(|b| file.path.parent() == b.parent() && b.file_name().is_some_and(|n| *n == *file.stem)) => {}
            None => orphans.push(file),
        }
    }
    for file in orphans {
        errors.push(orphan(&fixtures, &file));
    }
    fixtures
}

/// An expectation with no fixture beside it. When exactly one fixture in
/// its directory lacks the same file (it was renamed), the fix is the
/// `git mv` that gives it back.
fn orphan(fixtures: &[Fixture], file: &ExpectFile) -> Error {
    let renamed: Vec<&Fixture> = fixtures
        .iter()
        .filter(|f| f.path.parent() == file.path.parent())
        .filter(|f| f.kinds().contains(&file.kind))
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
        _ => "if the fixture was renamed, rename this file to match it; if it was deleted, delete this file"
            .to_string(),
    };
    Error::fixture(
        &file.path,
        None,
        format!(
            "orphan expectation: no fixture `{}.rs` beside it",
            file.stem
        ),
        fix,
    )
}

/// The compiler versions in `ui/toolchains.txt`; it may be missing only
/// while no expectation exists.
fn read_record(root: &Path, fixtures: &[Fixture], errors: &mut Vec<Error>) -> Vec<Version> {
    match std::fs::read_to_string(root.join(expect::RECORD)) {
        Ok(text) => expect::parse_record(Path::new(expect::RECORD), &text).unwrap_or_else(|e| {
            errors.push(e);
            Vec::new()
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(f) = fixtures.iter().find(|f| !f.expectations.is_empty()) {
                errors.push(Error::fixture(
                    Path::new(expect::RECORD),
                    None,
                    format!("missing, but expectations exist (e.g. beside {})", f.display_path()),
                    format!("restore it with `git checkout ui/toolchains.txt`, or run `{BLESS}` for every toolchain the expectations cover"),
                ));
            }
            Vec::new()
        }
        Err(e) => {
            errors.push(Error::io(expect::RECORD, e));
            Vec::new()
        }
    }
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_owned()
}

/// The rules that tie fixtures together: ids used twice are problems of the
/// tree; a fixture whose own links, name or page are wrong is broken. Returns
/// the fixtures that are still sound.
fn check_links(
    fixtures: Vec<Fixture>,
    errors: &mut Vec<Error>,
    broken: &mut BrokenMap,
) -> Vec<Fixture> {
    // Fixtures that broke their own rules earlier (an expectation they
    // cannot have) are broken, but their ids still count.
    let mut own: BrokenMap = BTreeMap::new();
    let mut ids: BTreeMap<&str, &Fixture> = BTreeMap::new();
    for f in &fixtures {
        if let Some(first) = ids.insert(&f.header.listing, f) {
            errors.push(Error::fixture(
                &f.path,
                Some(f.header.line_of("listing")),
                format!(
                    "listing id `{}` is also used by {}",
                    f.header.listing,
                    first.display_path()
                ),
                "every fixture has its own id",
            ));
        }
    }
    // The short id a reader types selects exactly one fixture.
    let mut short: BTreeMap<&str, &Fixture> = BTreeMap::new();
    for f in &fixtures {
        if let Some(first) = short.insert(f.short_id(), f)
            && first.header.listing != f.header.listing
        {
            errors.push(Error::fixture(
                &f.path,
                Some(f.header.line_of("listing")),
                format!(
                    "short id `{}` is also that of {}, so `{}` would select both",
                    f.short_id(),
                    first.display_path(),
                    f.short_id()
                ),
                "number it differently (the next free number in its group)",
            ));
        }
    }
    // A broken fixture's short id, read from its file name, is taken too.
    let mut taken: BTreeMap<String, PathBuf> = short
        .iter()
        .map(|(id, f)| (id.to_string(), f.path.clone()))
        .collect();
    for path in broken.keys() {
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        let id = crate::model::fixture::short_id_of_stem(&stem).to_string();
        if let Some(first) = taken.insert(id.clone(), path.clone()) {
            errors.push(Error::fixture(
                path,
                None,
                format!(
                    "short id `{id}` is also that of {}, so `{id}` would select both",
                    first.display()
                ),
                "number it differently (the next free number in its group)",
            ));
        }
    }
    // A short id selects exactly its fixture as a test filter too (libtest
    // matches names by substring): no other file name may hold it.
    for (id, holder) in &taken {
        let stems = fixtures
            .iter()
            .map(|f| (&f.path, f.stem.as_str()))
            .chain(broken.keys().map(|p| {
                (
                    p,
                    p.file_stem().and_then(|s| s.to_str()).unwrap_or_default(),
                )
            }));
        for (path, stem) in stems {
            // (The same short id twice is reported as such.)
            if path != holder
                && stem.contains(id.as_str())
                && crate::model::fixture::short_id_of_stem(stem) != id
            {
                errors.push(Error::fixture(
                    path,
                    None,
                    format!(
                        "its name holds `{id}`, the short id of {}, so `cargo test --test ui -- {id}` would select both",
                        holder.display()
                    ),
                    "rename it so that its name holds no other fixture's short id",
                ));
            }
        }
    }
    for f in &fixtures {
        let h = &f.header;
        let errors = own.entry(f.path.clone()).or_default();
        for (field, target) in [
            ("fixed-by", &h.fixed_by),
            ("improved-by", &h.improved_by),
            ("follows", &h.follows),
            ("compiler-suggestion-gives", &h.suggestion_gives),
        ] {
            if let Some(target) = target {
                if target == &h.listing {
                    errors.push(Error::fixture(
                        &f.path,
                        Some(h.line_of(field)),
                        format!("`{field}` names the fixture itself"),
                        "name another listing",
                    ));
                } else if !ids.contains_key(target.as_str())
                    && !broken.keys().any(|b| {
                        b.file_stem().is_some_and(|s| {
                            let s = s.to_string_lossy();
                            s == target.as_str() || s.starts_with(&format!("{target}-"))
                        })
                    })
                {
                    errors.push(Error::fixture(
                        &f.path,
                        Some(h.line_of(field)),
                        format!("`{field}: {target}` names no fixture"),
                        "use the id in the `listing:` line of an existing fixture",
                    ));
                }
            }
        }
        if h.origin == Origin::Book {
            let numbered = listing_number(&h.listing).is_some();
            if !f.stem.starts_with(&h.listing) {
                errors.push(Error::fixture(
                    &f.path,
                    Some(h.line_of("listing")),
                    format!("the file name does not start with its id `{}`", h.listing),
                    format!("rename the file to `{}[-slug].rs`", h.listing),
                ));
            }
            if !numbered && h.follows.is_none() {
                errors.push(Error::fixture(
                    &f.path,
                    Some(h.line_of("listing")),
                    "an unnumbered listing needs a `follows` field to find its place in reading order",
                    "add `follows: listing-16-NN` naming the listing it comes after in the book",
                ));
            }
            if numbered && h.follows.is_some() {
                errors.push(Error::fixture(
                    &f.path,
                    Some(h.line_of("follows")),
                    "a numbered listing is placed by its number",
                    "remove the `follows` line",
                ));
            }
            let page = format!("/book/{}.html#", f.group);
            if !h.url.contains(&page) {
                errors.push(Error::fixture(
                    &f.path,
                    Some(h.line_of("url")),
                    format!(
                        "the fixture is in `{}` but its url is on another page",
                        f.group
                    ),
                    format!("use a url containing `{page}`, or move the fixture"),
                ));
            }
        }
    }
    let mut sound = Vec::new();
    for f in fixtures {
        match own.remove(&f.path) {
            Some(errors) if !errors.is_empty() => {
                broken.entry(f.path.clone()).or_default().extend(errors)
            }
            _ if broken.contains_key(&f.path) => {}
            _ => sound.push(f),
        }
    }
    sound
}

/// `listing-16-13` → 13.
fn listing_number(id: &str) -> Option<u32> {
    id.strip_prefix("listing-16-")?.parse().ok()
}

/// Group by directory; within one, numbered listings by number, each
/// unnumbered one right after the listing it follows, our own by file name.
fn reading_order(fixtures: Vec<Fixture>) -> Vec<Fixture> {
    fn key(f: &Fixture, all: &[Fixture], depth: usize) -> Vec<u32> {
        if let Some(n) = listing_number(&f.header.listing) {
            return vec![n];
        }
        match &f.header.follows {
            Some(t) if depth < all.len() => {
                let mut k = all
                    .iter()
                    .find(|g| &g.header.listing == t)
                    .map_or_else(Vec::new, |g| key(g, all, depth + 1));
                k.push(0);
                k
            }
            _ => vec![u32::MAX],
        }
    }
    let mut keyed: Vec<(String, Vec<u32>, String, Fixture)> = fixtures
        .iter()
        .map(|f| {
            (
                f.group.clone(),
                key(f, &fixtures, 0),
                f.stem.clone(),
                f.clone(),
            )
        })
        .collect();
    keyed.sort_by(|a, b| (&a.0, &a.1, &a.2).cmp(&(&b.0, &b.1, &b.2)));
    keyed.into_iter().map(|(_, _, _, f)| f).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn real() -> Suite {
        Suite::load(std::path::Path::new(
            &std::env::var_os("CARGO_MANIFEST_DIR").unwrap(),
        ))
        .unwrap()
    }

    fn selected(suite: &Suite, filter: &str) -> Vec<String> {
        suite
            .filtered(&[filter.to_string()])
            .map(|f| f.header.listing.clone())
            .collect()
    }

    #[test]
    fn a_short_id_selects_exactly_its_fixture() {
        let suite = real();
        // `16-01` is also part of the directory `ch16-01-threads`.
        assert_eq!(selected(&suite, "16-01"), ["listing-16-01"]);
        assert_eq!(selected(&suite, "16-02"), ["listing-16-02"]);
        assert_eq!(selected(&suite, "beyond-04"), ["beyond-04-poisoning"]);
        assert_eq!(
            selected(&suite, "no-listing-01"),
            ["no-listing-01-join-too-early"]
        );
        assert_eq!(selected(&suite, "listing-16-13"), ["listing-16-13"]);
        // Anything else is a substring, as before.
        assert!(selected(&suite, "ch16-01-threads").len() > 1);
        assert!(selected(&suite, "rwlock") == ["beyond-15-rwlock"]);
    }
}
