//! One fixture as its page shows it: the code as a reader types it, what
//! happens when it is built (from its expectation files), its fix or next step, the
//! compiler's own suggestion and the toolchain variants.

use super::Read;
use super::relocate::relocate;
use crate::diff;
use crate::error::{Error, Result};
use crate::model::annotation::Level;
use crate::model::expect::{self, ExpectFile, Kind, Version};
use crate::model::header::Expect;
use crate::model::output::{OutputSpec, Stream};
use crate::{Fixture, Suite};

/// A fixture, ready to be shown.
pub struct Entry<'a> {
    /// The fixture.
    pub fixture: &'a Fixture,
    /// Its code without the header: what the page and the Playground show.
    pub code: String,
    /// What the compiler or the program does with it.
    pub happens: Happens,
    /// Where a newer compiler says something else.
    pub variants: Vec<Variant>,
    /// Its fix, or the listing that improves on it.
    pub next: Option<Next<'a>>,
    /// What rustc's machine-applicable suggestions make of it.
    pub suggestion: Option<Suggestion<'a>>,
}

/// What happens when the fixture is built.
pub enum Happens {
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
pub struct Shown {
    /// The text, retold for the code shown (`src/main.rs`, its lines).
    pub text: String,
    /// The expectation file's name.
    pub file: String,
    /// The recorded compiler versions this text is the expectation for.
    pub versions: Vec<Version>,
}

/// What a runnable fixture prints.
pub enum Stdout {
    /// The same on every run.
    Exact(Shown),
    /// Threads' lines that interleave differently from run to run: what
    /// every run must show.
    Streams(Vec<Stream>),
}

/// A version-keyed expectation, against the text that applies before it.
pub struct Variant {
    /// Which stream it records.
    pub kind: Kind,
    /// The version it applies from.
    pub key: Version,
    /// The file's name.
    pub file: String,
    /// The versions the text before it is recorded for.
    pub before: Vec<Version>,
    /// Unified diff from the text before it to its own.
    pub diff: String,
}

/// Where a reader goes from this fixture: its fix (`fixed-by`, for a
/// compile-fail fixture) or the listing that improves on it
/// (`improved-by`, for a runnable one).
pub struct Next<'a> {
    /// The fixture named.
    pub to: &'a Fixture,
    /// The edit, when that fixture is a small edit of this program; `None`
    /// when it is another program, which the page links to instead.
    pub diff: Option<String>,
}

/// rustc's machine-applicable suggestions, applied (`.fixed`).
pub struct Suggestion<'a> {
    /// The fixture whose code they give, as the header claims.
    pub gives: &'a Fixture,
    /// The `.fixed` file's name.
    pub file: String,
    /// Unified diff from the code to the suggestion's.
    pub diff: String,
}

/// The fixture's code as a reader types it: everything after the header
/// and the blank line that ends it. Line `n` of it is line
/// `n + header.len` of the file.
pub fn code(f: &Fixture) -> String {
    let mut code: String = f.source.split_inclusive('\n').skip(f.header.len).collect();
    if !code.ends_with('\n') {
        code.push('\n');
    }
    code
}

impl<'a> Entry<'a> {
    /// Gather what the page shows of `f`, reading its expectations with `read`.
    pub fn new(suite: &'a Suite, f: &'a Fixture, read: Read) -> Result<Entry<'a>> {
        let texts = Texts { suite, f, read };
        let happens = match &f.header.expect {
            Expect::CompileFail(_) => Happens::Rejected(texts.shown(Kind::Stderr)?),
            Expect::Run => Happens::Runs {
                stdout: match &f.header.output {
                    Some(OutputSpec::Streams(streams)) => Stdout::Streams(streams.clone()),
                    _ => Stdout::Exact(texts.shown(Kind::Stdout)?),
                },
                stderr: match f.header.run_stderr {
                    true => Some(texts.shown(Kind::Stderr)?),
                    false => None,
                },
                warnings: f
                    .annotations
                    .iter()
                    .filter(|a| a.level == Level::Warn)
                    .map(|a| (a.line - f.header.len, a.code.clone()))
                    .collect(),
            },
        };
        let code = code(f);
        let next = f
            .header
            .fixed_by
            .as_deref()
            .or(f.header.improved_by.as_deref())
            .and_then(|id| suite.by_id(id))
            .map(|to| {
                let theirs = self::code(to);
                Next {
                    to,
                    diff: diff::is_small_edit(&code, &theirs).then(|| {
                        diff::unified(&code, &theirs, &f.header.listing, &to.header.listing)
                    }),
                }
            });
        let suggestion = match f
            .header
            .suggestion_gives
            .as_deref()
            .and_then(|id| suite.by_id(id))
        {
            None => None,
            Some(gives) => {
                let file = texts.base(Kind::Fixed)?;
                let fixed = texts.code_of_fixed(&texts.read(file)?, file)?;
                Some(Suggestion {
                    gives,
                    file: name(file),
                    diff: diff::unified(
                        &code,
                        &fixed,
                        &f.header.listing,
                        &format!("{} (rustc's suggestion)", f.header.listing),
                    ),
                })
            }
        };
        Ok(Entry {
            fixture: f,
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
    read: Read<'r>,
}

impl Texts<'_, '_> {
    /// The un-keyed expectation of `kind`, which every fixture needs.
    fn base(&self, kind: Kind) -> Result<&ExpectFile> {
        self.f
            .expectations
            .iter()
            .find(|e| e.kind == kind && e.key.is_none())
            .ok_or_else(|| {
                Error::fixture(
                    &self.f.path,
                    None,
                    format!("has no `.{}` expectation for its page to show", kind.ext()),
                    format!(
                        "run `{}`, which writes it and the page",
                        crate::command::Bless::fixture(self.f.short_id())
                    ),
                )
            })
    }

    /// The text of `file`, as the checks compare it (LF line ends).
    fn read(&self, file: &ExpectFile) -> Result<String> {
        (self.read)(&file.path)
            .map(expect::lf)
            .map_err(|e| Error::io(&file.path, e))
    }

    /// `text` of `file`, retold for the code shown; compiler and panic
    /// messages point into it, run output never does.
    fn retold(&self, text: &str, file: &ExpectFile) -> Result<String> {
        relocate(text, &self.f.display_path(), self.f.header.len).map_err(|p| {
            Error::fixture(
                &file.path,
                None,
                p,
                format!(
                    "the expectation does not fit the fixture: run `{}`",
                    crate::command::Bless::fixture(self.f.short_id())
                ),
            )
        })
    }

    /// The base expectation of `kind`, as shown.
    fn shown(&self, kind: Kind) -> Result<Shown> {
        let file = self.base(kind)?;
        Ok(Shown {
            text: self.retold(&self.read(file)?, file)?,
            file: name(file),
            versions: self.versions_of(file),
        })
    }

    /// The recorded versions `file` is the expectation for, by the rule
    /// that picks one for a compiler ([`Fixture::expectation`]).
    fn versions_of(&self, file: &ExpectFile) -> Vec<Version> {
        self.suite
            .record
            .iter()
            .copied()
            .filter(|v| {
                self.f
                    .expectation(file.kind, *v)
                    .is_some_and(|e| e.path == file.path)
            })
            .collect()
    }

    /// The code part of a `.fixed` text: its header must be the fixture's.
    fn code_of_fixed(&self, fixed: &str, file: &ExpectFile) -> Result<String> {
        let n = self.f.header.len;
        let header: String = self.f.source.split_inclusive('\n').take(n).collect();
        match fixed.strip_prefix(&header) {
            Some(code) => Ok(code.to_string()),
            None => Err(Error::fixture(
                &file.path,
                None,
                "its first lines are not the fixture's header",
                format!(
                    "run `{}` to write it again",
                    crate::command::Bless::fixture(self.f.short_id())
                ),
            )),
        }
    }

    /// Every version-keyed expectation, against the text before it.
    fn variants(&self) -> Result<Vec<Variant>> {
        let mut out = Vec::new();
        for kind in self.f.kinds() {
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
                    file: name(file),
                    before: self.versions_of(before),
                    diff: diff::unified(&text(before)?, &text(file)?, &name(before), &name(file)),
                });
            }
        }
        Ok(out)
    }
}

fn name(file: &ExpectFile) -> String {
    expect::file_name(&file.stem, file.kind, file.key)
}
