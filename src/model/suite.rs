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
    /// Fixtures in reading order.
    pub fixtures: Vec<Fixture>,
    /// Compiler versions the expectations were blessed with (ascending).
    pub record: Vec<Version>,
}

impl Suite {
    /// Load every fixture under `root/ui`. All problems found are returned
    /// together ([`Error::Tree`]), so one run shows everything to fix.
    pub fn load(root: &Path) -> Result<Suite> {
        let ui = root.join(UI_DIR);
        if !ui.is_dir() {
            return Err(Error::Tree(vec![Error::fixture(
                Path::new(UI_DIR),
                None,
                "the fixture directory is missing",
                "run from the suite root (the directory holding `ui/`)",
            )]));
        }
        let mut errors = Vec::new();
        let found = walk(root, &mut errors);
        let fixtures = attach(found, &mut errors);
        check_links(&fixtures, &mut errors);
        let record = read_record(root, &fixtures, &mut errors);
        if !errors.is_empty() {
            return Err(Error::Tree(errors));
        }
        Ok(Suite {
            root: root.to_owned(),
            fixtures: reading_order(fixtures),
            record,
        })
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
        let names = |f: &Fixture| f.short_id() == s || f.header.listing == s;
        if self.fixtures.iter().any(names) {
            return names(f);
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

/// Every file under `ui/`, sorted into fixtures and expectations; anything
/// else is an error.
fn walk(root: &Path, errors: &mut Vec<Error>) -> Found {
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
                    errors.push(e);
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
fn attach(found: Found, errors: &mut Vec<Error>) -> Vec<Fixture> {
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
            Some(f) => errors.push(Error::fixture(
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

fn check_links(fixtures: &[Fixture], errors: &mut Vec<Error>) {
    let mut ids: BTreeMap<&str, &Fixture> = BTreeMap::new();
    for f in fixtures {
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
    for f in fixtures {
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
    for f in fixtures {
        let h = &f.header;
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
                } else if !ids.contains_key(target.as_str()) {
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
