//! One fixture, `ui/<dir>/<id>-<slug>.rs`: its expectation files, and its
//! code, header and annotations, or every problem that kept it from loading.

use crate::model::annotation;
use crate::model::expect::{self, ExpectFile, Kind};
use crate::model::header::{self, Expect, Header};
use crate::names::Version;
use crate::problem::{Check, Expected, Level, Problem, slashed};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// Crates fixtures may use besides std: dev-dependencies of the suite.
pub const FIXTURE_CRATES: &[&str] = &["rustversion"];

/// What `cargo xtask new` leaves to replace; a fixture holding it is refused.
const MARK: &str = "TODO";

/// A fixture under `ui/`.
#[derive(Clone, Debug)]
pub struct Fixture {
    /// Its path from the suite root: `ui/<dir>/listing-16-13-counter-moved.rs`.
    pub path: PathBuf,
    /// Its directory under `ui/`.
    pub dir: String,
    /// Its file name without `.rs`, which starts with its id.
    pub stem: String,
    /// The expectation files beside it, of every version.
    pub expectations: Vec<ExpectFile>,
    /// What it holds, or every problem that keeps it from loading.
    pub listing: Result<Listing, Vec<Problem>>,
}

/// What a fixture that loads holds.
#[derive(Clone, Debug)]
pub struct Listing {
    /// The file's text.
    pub source: String,
    /// Its header.
    pub header: Header,
    /// Its `//~` annotations, sorted.
    pub annotations: Vec<Expected>,
}

impl Listing {
    /// The kinds of expectation it is checked against.
    pub fn kinds(&self) -> Vec<Kind> {
        let h = &self.header;
        match h.expect.is_compile_fail() {
            true if h.suggestion_gives.is_some() => vec![Kind::Stderr, Kind::Fixed],
            true => vec![Kind::Stderr],
            false if h.run_stderr => vec![Kind::Stdout, Kind::Stderr],
            false => vec![Kind::Stdout],
        }
    }

    /// Its code as a reader types it: its line `n` is the file's line
    /// `n + header.len`.
    pub fn code(&self) -> String {
        let lines = self.source.split_inclusive('\n').skip(self.header.len);
        let mut code: String = lines.collect();
        if !code.ends_with('\n') {
            code.push('\n');
        }
        code
    }

    fn parse(file: &str, stem: &str, source: String) -> Result<Listing, Vec<Problem>> {
        let problem = |said: String, fix: &str| Problem::said(Check::Load, file, said).edit(fix);
        let fail = |line, said: String, fix| Err(vec![problem(said, fix).at(line)]);
        if !crate::names::is_slug(stem) {
            let said = "fixture file names are lowercase letters, digits and dashes";
            let fix = "rename the file, e.g. `listing-16-13-counter-moved.rs`";
            return Err(vec![problem(said.into(), fix)]);
        }
        if let Some(line) = source.lines().position(|l| l.contains(MARK)) {
            let said = format!("still holds the scaffold's `{MARK}` text from `cargo xtask new`");
            let fix =
                "replace every TODO with the listing's caption, heading, explanation and code";
            return fail(line + 1, said, fix);
        }
        let path = Path::new(file);
        let read = header::parse(path, &source);
        let (header, annotations) = match (read, annotation::parse(path, &source)) {
            (Ok(h), Ok(a)) => (h, a),
            (h, a) => return Err(h.err().into_iter().flatten().chain(a.err()).collect()),
        };
        // The annotations agree with the header: none in it, and its codes.
        if let Some(a) = annotations.iter().find(|a| a.line < header.len) {
            let fix = "annotate the line of code the diagnostic is reported on";
            return fail(a.line, "an annotation points into the header".into(), fix);
        }
        let error = |a: &&Expected| a.level == Level::Error;
        let errors: Vec<&Expected> = annotations.iter().filter(error).collect();
        let mut codes: Vec<&str> = errors.iter().map(|a| a.code.as_str()).collect();
        codes.sort();
        codes.dedup();
        match (&header.expect, errors.first()) {
            (Expect::CompileFail(want), _) if codes != *want => {
                let (want, given) = (want.join(" "), codes.join(" "));
                let given = if codes.is_empty() { "none" } else { &given };
                let said =
                    format!("`expect` lists {want} but the `//~ ERROR` annotations give {given}");
                let fix = "make the header's error codes and the inline annotations agree";
                return fail(header.line_of("expect"), said, fix);
            }
            (Expect::Run | Expect::Hang, Some(a)) => {
                let said = "a runnable fixture carries a `//~ ERROR` annotation".into();
                let fix = "remove the annotation, or make the fixture `expect: compile-fail …`";
                return fail(a.line, said, fix);
            }
            _ => {}
        }
        Ok(Listing {
            source,
            header,
            annotations,
        })
    }
}

impl Fixture {
    /// The fixture at `root/path` (`path` from the suite root), read.
    pub(crate) fn load(root: &Path, path: &Path) -> Fixture {
        let name = |p: Option<&OsStr>| p.map_or(String::new(), |s| s.to_string_lossy().into());
        let dir = name(path.parent().and_then(Path::file_name));
        let stem = name(path.file_stem());
        let file = slashed(path);
        // Read as LF, as its expectations are: what rustc compiles (a staged
        // copy of this text), the pages and the `.fixed` header agree even
        // when an editor saved the file with CRLF line ends.
        let read = expect::read(root, path);
        let read = read.map_err(|e| e.problems(Check::Load));
        let listing = read.and_then(|source| Listing::parse(&file, &stem, source));
        let (path, expectations) = (path.to_owned(), Vec::new());
        Fixture {
            path,
            dir,
            stem,
            expectations,
            listing,
        }
    }

    /// The loaded listing, if it loaded.
    pub fn loaded(&self) -> Option<&Listing> {
        self.listing.as_ref().ok()
    }

    /// Its path as compiler output shows it, `/`-separated.
    pub fn display_path(&self) -> String {
        slashed(&self.path)
    }

    /// The id a reader types, from the file name: `16-02`, `beyond-04`.
    pub fn short_id(&self) -> &str {
        short_id(&self.stem)
    }

    /// Whether `id` names it: its header's id, or else its file name's start.
    pub fn is(&self, id: &str) -> bool {
        match &self.listing {
            Ok(l) => l.header.listing == id,
            Err(_) => self.stem == id || self.stem.starts_with(&format!("{id}-")),
        }
    }

    /// The expectation of `kind` that applies to a compiler of `version`.
    pub fn expectation(&self, kind: Kind, version: Version) -> Option<&ExpectFile> {
        expect::select(&self.expectations, kind, version)
    }

    /// Where its expectation of `kind` keyed `key` lives, existing or not.
    pub fn expectation_path(&self, kind: Kind, key: Option<Version>) -> PathBuf {
        let name = expect::file_name(&self.stem, kind, key);
        self.path.with_file_name(name)
    }
}

/// The short id of the file name (or id) `stem`: up to its first number,
/// or its first run of numbers (`listing-16-16-…` gives `16-16`).
pub fn short_id(stem: &str) -> &str {
    let mut end = 0;
    let mut in_number = false;
    for part in stem.split('-') {
        let number = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if in_number && (!number || !stem.starts_with("listing-")) {
            break;
        }
        in_number |= number;
        end += part.len() + 1;
    }
    let id = &stem[..end.saturating_sub(1).min(stem.len())];
    id.strip_prefix("listing-").unwrap_or(id)
}

/// A new fixture `id` in section `key` on book page `page`, with `TODO`s,
/// as `cargo xtask new` writes it.
pub fn scaffold(id: &str, key: &str, page: &str, origin: &str, follows: &str) -> String {
    format!(
        "//! listing: {id}\n\
         //! caption: {MARK} what the listing does, in one line\n\
         //! teaches: {MARK} what a reader learns here, in one sentence.\n\
         //! section: {key} {MARK} heading\n\
         //! url: {}{page}.html#todo-heading\n\
         {origin}//! expect: run\n\
         //! output: exact\n\
         {follows}//!\n\
         //! {MARK} two to eight lines in our own words: what the compiler does here and why,\n\
         //! and which fixture fixes it (for compile-fail: `expect: compile-fail E…` and `fixed-by:`).\n\
         \n\
         fn main() {{\n    println!(\"{MARK}: the listing's code\");\n}}\n",
        crate::model::chapter::BOOK
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_id_is_read_from_the_file_name() {
        for (stem, id) in [
            ("listing-16-16-new", "16-16"),
            ("listing-16-16", "16-16"),
            ("beyond-04-poisoning", "beyond-04"),
            ("no-listing-01-join-too-early", "no-listing-01"),
            ("beyond-0042-c00-listing-16-01-spawn", "beyond-0042"),
        ] {
            assert_eq!(short_id(stem), id);
        }
    }

    #[test]
    fn an_untouched_scaffold_is_refused_and_loads_filled_in() {
        let page = crate::model::chapter::CHAPTER[0].page;
        let text = scaffold("listing-16-16", "16.1", page, "", "");
        let (file, stem) = ("ui/x/listing-16-16-new.rs", "listing-16-16-new");
        let parse = |text: &str| Listing::parse(file, stem, text.into());
        let refused = parse(&text).unwrap_err();
        assert_eq!((refused[0].line, refused.len()), (Some(2), 1));
        let filled = text.replace("TODO", "Done").replace("Done:", "fine:");
        assert!(parse(&filled).is_ok(), "{filled}");
    }
}
