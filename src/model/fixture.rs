//! One fixture: a listing's code, its header, its inline annotations and the
//! expectation files beside it.

use crate::error::{Error, Result};
use crate::model::annotation::{self, Expected, Level};
use crate::model::expect::{self, ExpectFile, Kind, Version};
use crate::model::header::{self, Expect, Header};
use std::path::{Path, PathBuf};

/// Crates fixtures may use besides std: dev-dependencies of the suite, so
/// that trybuild's project has them.
pub const FIXTURE_CRATES: &[&str] = &["rustversion"];

/// A fixture under `ui/`.
#[derive(Clone, Debug)]
pub struct Fixture {
    /// Path relative to the suite root, with `/` separators:
    /// `ui/ch16-03-shared-state/listing-16-13-counter-moved.rs`.
    pub path: PathBuf,
    /// The group directory (`ch16-03-shared-state`).
    pub group: String,
    /// File name without `.rs`.
    pub stem: String,
    /// The code, as on disk.
    pub source: String,
    /// The parsed header.
    pub header: Header,
    /// Expected diagnostics, sorted.
    pub annotations: Vec<Expected>,
    /// Expectation files beside it (all versions).
    pub expectations: Vec<ExpectFile>,
}

impl Fixture {
    /// Parse the fixture at `root/path`.
    pub fn load(root: &Path, path: &Path) -> Result<Fixture> {
        let source = crate::error::read_text(root, path)?;
        Fixture::parse(path, source)
    }

    /// Parse a fixture from its text; `path` is relative to the suite root.
    pub fn parse(path: &Path, source: String) -> Result<Fixture> {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        if !is_slug(&stem) {
            return Err(Error::fixture(
                path,
                None,
                "fixture file names are lowercase letters, digits and dashes",
                "rename the file, e.g. `listing-16-13-counter-moved.rs`",
            ));
        }
        let group = path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        if let Some(line) = source.lines().position(|l| l.contains(SCAFFOLD_MARK)) {
            return Err(Error::fixture(
                path,
                Some(line + 1),
                format!("still holds the scaffold's `{SCAFFOLD_MARK}` text from `cargo xtask new`"),
                "replace every TODO with the listing's caption, heading, explanation and code",
            ));
        }
        // Every problem of the header and the annotations, together.
        let (header, annotations) = match (
            header::parse(path, &source),
            annotation::parse(path, &source),
        ) {
            (Ok(h), Ok(a)) => (h, a),
            (h, a) => {
                let mut errors: Vec<Error> = h.err().into_iter().flat_map(Error::flatten).collect();
                errors.extend(a.err().into_iter().flat_map(Error::flatten));
                return Err(match errors.len() {
                    1 => errors.remove(0),
                    _ => Error::Tree(errors),
                });
            }
        };
        if let Some(a) = annotations.iter().find(|a| a.line < header.len) {
            return Err(Error::fixture(
                path,
                Some(a.line),
                "an annotation points into the header",
                "annotate the line of code the diagnostic is reported on",
            ));
        }
        let annotated: Vec<&str> = {
            let mut codes: Vec<&str> = annotations
                .iter()
                .filter(|a| a.level == Level::Error)
                .map(|a| a.code.as_str())
                .collect();
            codes.sort();
            codes.dedup();
            codes
        };
        match &header.expect {
            Expect::CompileFail(codes) if annotated != *codes => {
                return Err(Error::fixture(
                    path,
                    Some(header.line_of("expect")),
                    format!(
                        "`expect` lists {} but the `//~ ERROR` annotations give {}",
                        codes.join(" "),
                        if annotated.is_empty() {
                            "none".into()
                        } else {
                            annotated.join(" ")
                        }
                    ),
                    "make the header's error codes and the inline annotations agree",
                ));
            }
            Expect::Run if !annotated.is_empty() => {
                return Err(Error::fixture(
                    path,
                    Some(
                        annotations
                            .iter()
                            .find(|a| a.level == Level::Error)
                            .map_or(1, |a| a.line),
                    ),
                    "a runnable fixture carries a `//~ ERROR` annotation",
                    "remove the annotation, or make the fixture `expect: compile-fail …`",
                ));
            }
            _ => {}
        }
        Ok(Fixture {
            path: path.to_owned(),
            group,
            stem,
            source,
            header,
            annotations,
            expectations: Vec::new(),
        })
    }

    /// The kinds of expectation this fixture is checked against: compiler
    /// diagnostics (`.stderr`) for compile-fail fixtures; run output
    /// (`.stdout`) for runnable ones, plus their own stderr when the header
    /// says `stderr: exact`.
    pub fn kinds(&self) -> Vec<Kind> {
        if self.header.expect.is_compile_fail() && self.header.suggestion_gives.is_some() {
            vec![Kind::Stderr, Kind::Fixed]
        } else if self.header.expect.is_compile_fail() {
            vec![Kind::Stderr]
        } else if self.header.run_stderr {
            vec![Kind::Stdout, Kind::Stderr]
        } else {
            vec![Kind::Stdout]
        }
    }

    /// The expectation of `kind` that applies to a compiler of `version`.
    pub fn expectation(&self, kind: Kind, version: Version) -> Option<&ExpectFile> {
        expect::select(&self.expectations, kind, version)
    }

    /// Where the expectation of `kind` keyed `key` lives (whether it exists or not).
    pub fn expectation_path(&self, kind: Kind, key: Option<Version>) -> PathBuf {
        self.path
            .with_file_name(expect::file_name(&self.stem, kind, key))
    }

    /// The id a reader types: `16-02` for `listing-16-02`, `beyond-04` for
    /// `beyond-04-poisoning`, `no-listing-01` for
    /// `no-listing-01-join-too-early`.
    pub fn short_id(&self) -> &str {
        short_id_of(&self.header.listing)
    }

    /// Its name as a test of `cargo test --test ui`: the file name without
    /// `.rs`, which starts with its id. libtest selects tests by substring,
    /// and the short id (`16-01`) is part of no other fixture's name (the
    /// loader keeps it so), while the directory name (`ch16-01-threads`)
    /// would hold several fixtures' short ids.
    pub fn test_name(&self) -> &str {
        &self.stem
    }

    /// `path` as a `/`-separated string, as it appears in compiler output.
    pub fn display_path(&self) -> String {
        self.path.to_string_lossy().replace('\\', "/")
    }
}

/// The short id of the fixture id `id` (see [`Fixture::short_id`]).
pub fn short_id_of(id: &str) -> &str {
    if let Some(rest) = id.strip_prefix("listing-") {
        return rest;
    }
    let mut end = 0;
    for part in id.split('-') {
        end += part.len();
        if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) {
            return &id[..end];
        }
        end += 1;
    }
    id
}

/// The short id a fixture file named `stem` has, read from its name alone
/// (for a fixture whose header does not load): `listing-16-16-slug` →
/// `16-16`, `beyond-04-slug` → `beyond-04`.
pub fn short_id_of_stem(stem: &str) -> &str {
    let mut end = 0;
    let mut in_number = false;
    for part in stem.split('-') {
        let number = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if in_number && !number {
            break;
        }
        in_number |= number;
        end += part.len() + 1;
    }
    short_id_of(&stem[..(end - 1).min(stem.len())])
}

/// What `cargo xtask new` leaves for the author to replace; a fixture still
/// holding it is refused at load, so an untouched scaffold never passes.
pub const SCAFFOLD_MARK: &str = "TODO";

/// A new fixture's text, as `cargo xtask new` writes it: the header with
/// `TODO`s to replace, and a body that prints one.
pub fn scaffold(id: &str, section: &str, page: &str, origin: &str, follows: &str) -> String {
    format!(
        "//! listing: {id}\n\
         //! caption: {SCAFFOLD_MARK} what the listing does, in one line\n\
         //! teaches: {SCAFFOLD_MARK} what a reader learns here, in one sentence.\n\
         //! section: {section} {SCAFFOLD_MARK} heading\n\
         //! url: https://doc.rust-lang.org/book/{page}.html#todo-heading\n\
         {origin}//! expect: run\n\
         //! output: exact\n\
         {follows}//!\n\
         //! {SCAFFOLD_MARK} two to eight lines in our own words: what the compiler does here and why,\n\
         //! and which fixture fixes it (for compile-fail: `expect: compile-fail E…` and `fixed-by:`).\n\
         \n\
         fn main() {{\n    println!(\"{SCAFFOLD_MARK}: the listing's code\");\n}}\n"
    )
}

pub use crate::layout::is_slug;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_id_is_read_from_a_file_name_too() {
        assert_eq!(short_id_of_stem("listing-16-16-new"), "16-16");
        assert_eq!(short_id_of_stem("beyond-04-poisoning"), "beyond-04");
        assert_eq!(
            short_id_of_stem("no-listing-01-join-too-early"),
            "no-listing-01"
        );
        assert_eq!(short_id_of_stem("listing-16-16"), "16-16");
    }

    #[test]
    fn an_untouched_scaffold_is_refused_with_file_and_line() {
        let path = Path::new("ui/ch16-03-shared-state/listing-16-16-new.rs");
        let text = scaffold("listing-16-16", "16.3", "ch16-03-shared-state", "", "");
        let e = Fixture::parse(path, text.clone()).unwrap_err().to_string();
        assert!(
            e.starts_with("ui/ch16-03-shared-state/listing-16-16-new.rs:2: still holds the scaffold's `TODO` text"),
            "{e}"
        );
        // Filled in, the same fixture loads.
        let filled = text
            .replace("TODO what the listing does, in one line", "A caption")
            .replace(
                "TODO what a reader learns here",
                "What a reader learns here",
            )
            .replace("16.3 TODO heading", "16.3 A heading")
            .replace("TODO two to eight lines", "Two to eight lines")
            .replace("TODO: the listing's code", "fine");
        assert!(Fixture::parse(path, filled.clone()).is_ok(), "{filled}");
    }
}
