//! One fixture as its page shows it: the code as a reader types it, what
//! happens when it is built (from its expectation files), its fix or next step, the
//! compiler's own suggestion and the toolchain variants.

use super::Read;
use super::relocate::relocate;
use crate::diff;
use crate::error::{Error, Result};
use crate::model::expect::{self, ExpectFile, Kind};
use crate::model::fixture::{Fixture, Listing};
use crate::model::header::Expect;
use crate::model::output::{OutputSpec, Stream};
use crate::model::suite::Suite;
use crate::names::{Bless, Version};
use crate::problem::{Check, Level, Problem};

/// A fixture, ready to be shown.
pub(super) struct Entry<'a> {
    /// The fixture, and what it holds.
    pub(super) fixture: (&'a Fixture, &'a Listing),
    /// Its code without the header: what the page and the Playground show.
    pub(super) code: String,
    /// What the compiler or the program does with it.
    pub(super) happens: Happens,
    /// Where a newer compiler says something else.
    pub(super) variants: Vec<Variant>,
    /// Its fix, or the listing that improves on it.
    pub(super) next: Option<Next<'a>>,
    /// What rustc's machine-applicable suggestions make of it.
    pub(super) suggestion: Option<Suggestion<'a>>,
}

/// What happens when the fixture is built.
pub(super) enum Happens {
    /// It does not compile; this is what the compiler says.
    Rejected(Shown),
    /// It compiles and runs.
    Runs {
        /// What it prints.
        stdout: Stdout,
        /// Its own stderr, where the header says `stderr: exact`.
        stderr: Option<Shown>,
        /// Warnings it compiles with, annotated `//~ WARN`: (line of the
        /// code shown, lint).
        warnings: Vec<(usize, String)>,
    },
}

/// The text of an expectation file, as a page shows it.
pub(super) struct Shown {
    /// The text, retold for the code shown (`src/main.rs`, its lines).
    pub(super) text: String,
    /// The expectation file's name.
    pub(super) file: String,
    /// The recorded compiler versions this text is the expectation for.
    pub(super) versions: Vec<Version>,
}

/// What a runnable fixture prints.
pub(super) enum Stdout {
    /// The same on every run.
    Exact(Shown),
    /// Threads' lines that interleave differently from run to run: what
    /// every run must show.
    Streams(Vec<Stream>),
}

/// A version-keyed expectation, against the text that applies before it.
pub(super) struct Variant {
    /// Which stream it records.
    pub(super) kind: Kind,
    /// The version it applies from.
    pub(super) key: Version,
    /// The file's name.
    pub(super) file: String,
    /// The versions the text before it is recorded for.
    pub(super) before: Vec<Version>,
    /// Unified diff from the text before it to its own.
    pub(super) diff: String,
}

/// Where a reader goes from this fixture: its fix (`fixed-by`, for a
/// compile-fail fixture) or the listing that improves on it
/// (`improved-by`, for a runnable one).
pub(super) struct Next<'a> {
    /// The fixture named.
    pub(super) to: (&'a Fixture, &'a Listing),
    /// The edit, when that fixture is a small edit of this program; `None`
    /// when it is another program, which the page links to instead.
    pub(super) diff: Option<String>,
}

/// rustc's machine-applicable suggestions, applied (`.fixed`).
pub(super) struct Suggestion<'a> {
    /// The fixture whose code they give, as the header claims.
    pub(super) gives: (&'a Fixture, &'a Listing),
    /// The `.fixed` file's name.
    pub(super) file: String,
    /// Unified diff from the code to the suggestion's.
    pub(super) diff: String,
}

impl<'a> Entry<'a> {
    /// Gather what the page shows of `f`, reading its expectations with `read`.
    pub(super) fn new(
        suite: &'a Suite,
        (f, l): (&'a Fixture, &'a Listing),
        read: Read,
    ) -> Result<Entry<'a>> {
        let texts = Texts { suite, f, l, read };
        let h = &l.header;
        let happens = match &h.expect {
            Expect::CompileFail(_) => Happens::Rejected(texts.shown(Kind::Stderr)?),
            Expect::Run => Happens::Runs {
                stdout: match &h.output {
                    Some(OutputSpec::Streams(streams)) => Stdout::Streams(streams.clone()),
                    _ => Stdout::Exact(texts.shown(Kind::Stdout)?),
                },
                stderr: h
                    .run_stderr
                    .then(|| texts.shown(Kind::Stderr))
                    .transpose()?,
                warnings: l
                    .annotations
                    .iter()
                    .filter(|a| a.level == Level::Warn)
                    .map(|a| (a.line - h.len, a.code.clone()))
                    .collect(),
            },
        };
        let code = l.code();
        let next = h
            .fixed_by
            .as_deref()
            .or(h.improved_by.as_deref())
            .and_then(|id| suite.by_id(id));
        let next = next.map(|to| {
            let theirs = to.1.code();
            let small = diff::is_small_edit(&code, &theirs);
            Next {
                to,
                diff: small
                    .then(|| diff::unified(&code, &theirs, &h.listing, &to.1.header.listing)),
            }
        });
        let suggestion = match h.suggestion_gives.as_deref().and_then(|id| suite.by_id(id)) {
            None => None,
            Some(gives) => {
                let file = texts.base(Kind::Fixed)?;
                let fixed = texts.code_of_fixed(&texts.read(file)?, file)?;
                let theirs = format!("{} (rustc's suggestion)", h.listing);
                Some(Suggestion {
                    gives,
                    file: file.name(),
                    diff: diff::unified(&code, &fixed, &h.listing, &theirs),
                })
            }
        };
        Ok(Entry {
            fixture: (f, l),
            code,
            happens,
            variants: texts.variants()?,
            next,
            suggestion,
        })
    }
}

/// A fixture's expectation files and how to read them.
struct Texts<'a, 'r> {
    suite: &'a Suite,
    f: &'a Fixture,
    l: &'a Listing,
    read: Read<'r>,
}

impl Texts<'_, '_> {
    /// A problem of the page with `file`, fixed by blessing the fixture.
    fn problem(&self, file: &std::path::Path, said: String, fix: &str) -> Error {
        let bless = Bless::fixture(self.f.short_id());
        let fix = fix.replace("{bless}", &bless.to_string());
        Error::Tree(vec![
            Problem::said(Check::Page, file.to_string_lossy(), said).edit(fix),
        ])
    }

    /// The un-keyed expectation of `kind`, which every fixture needs.
    fn base(&self, kind: Kind) -> Result<&ExpectFile> {
        let file = self
            .f
            .expectations
            .iter()
            .find(|e| e.kind == kind && e.key.is_none());
        file.ok_or_else(|| {
            let said = format!("has no `.{}` expectation for its page to show", kind.ext());
            self.problem(
                &self.f.path,
                said,
                "run `{bless}`, which writes it and the page",
            )
        })
    }

    /// The text of `file`, as the checks compare it (LF line ends).
    fn read(&self, file: &ExpectFile) -> Result<String> {
        (self.read)(&file.path)
            .map(expect::lf)
            .map_err(Error::io_on(&file.path))
    }

    /// `text` of `file`, retold for the code shown; compiler and panic
    /// messages point into it, run output never does.
    fn retold(&self, text: &str, file: &ExpectFile) -> Result<String> {
        relocate(text, &self.f.display_path(), self.l.header.len).map_err(|said| {
            self.problem(
                &file.path,
                said,
                "the expectation does not fit the fixture: run `{bless}`",
            )
        })
    }

    /// The base expectation of `kind`, as shown.
    fn shown(&self, kind: Kind) -> Result<Shown> {
        let file = self.base(kind)?;
        Ok(Shown {
            text: self.retold(&self.read(file)?, file)?,
            file: file.name(),
            versions: self.versions_of(file),
        })
    }

    /// The recorded versions `file` is the expectation for.
    fn versions_of(&self, file: &ExpectFile) -> Vec<Version> {
        let applies = |v: &Version| {
            self.f
                .expectation(file.kind, *v)
                .is_some_and(|e| e.path == file.path)
        };
        self.suite.record.iter().copied().filter(applies).collect()
    }

    /// The code part of a `.fixed` text: its header must be the fixture's.
    fn code_of_fixed(&self, fixed: &str, file: &ExpectFile) -> Result<String> {
        let header: String = self
            .l
            .source
            .split_inclusive('\n')
            .take(self.l.header.len)
            .collect();
        match fixed.strip_prefix(&header) {
            Some(code) => Ok(code.to_string()),
            None => Err(self.problem(
                &file.path,
                "its first lines are not the fixture's header".into(),
                "run `{bless}` to write it again",
            )),
        }
    }

    /// Every version-keyed expectation, against the text before it.
    fn variants(&self) -> Result<Vec<Variant>> {
        let mut out = Vec::new();
        for kind in self.l.kinds() {
            let mut files: Vec<&ExpectFile> = self
                .f
                .expectations
                .iter()
                .filter(|e| e.kind == kind)
                .collect();
            files.sort_by_key(|e| e.key);
            for pair in files.windows(2) {
                let (before, file) = (pair[0], pair[1]);
                let Some(key) = file.key else { continue };
                let text = |file: &ExpectFile| -> Result<String> {
                    let t = self.read(file)?;
                    match kind {
                        Kind::Fixed => self.code_of_fixed(&t, file),
                        _ => self.retold(&t, file),
                    }
                };
                out.push(Variant {
                    kind,
                    key,
                    file: file.name(),
                    before: self.versions_of(before),
                    diff: diff::unified(&text(before)?, &text(file)?, &before.name(), &file.name()),
                });
            }
        }
        Ok(out)
    }
}
