//! From what each toolchain observed to the expectation files the tree
//! should hold: what to write or remove, what is refused, and for whom.

use crate::bless::journal::Change;
use crate::check::report::Report;
use crate::diff;
use crate::error::{Error, Result};
use crate::host::toolchain::Rustc;
use crate::model::expect::{self, ExpectFile, Kind};
use crate::model::fixture::{Fixture, Listing};
use crate::model::suite::Suite;
use crate::names::{BLESS, RECORD, Version};
use std::fmt;
use std::path::PathBuf;

/// What happened to the expectation a toolchain is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    /// Same file, same text.
    Unchanged,
    /// Same file, new text.
    Updated,
    /// There was none for this toolchain.
    New,
    /// Its file became redundant; the one below it now applies.
    Removed,
    /// Nothing may be written for this fixture (see the refusals).
    Refused,
    /// Fine here, but another toolchain's text is refused.
    Held,
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let name = format!("{self:?}");
        f.pad(&match self {
            Cell::Unchanged | Cell::Held => name.to_lowercase(),
            _ => name.to_uppercase(),
        })
    }
}

/// A change, and the text it replaces (`None`: a new file).
#[derive(Clone, Debug)]
pub struct Edit {
    /// The change.
    pub change: Change,
    /// The file's text before it, as on disk.
    pub old: Option<String>,
    /// Why a file is removed, a clause said after its path (`None`: a write).
    pub why: Option<String>,
}

impl Edit {
    /// Whether it only rewrites CRLF line ends as LF.
    pub fn line_endings_only(&self) -> bool {
        match (&self.change, &self.old) {
            (Change::Write(_, text), Some(old)) => old != text && expect::lf(old.clone()) == *text,
            _ => false,
        }
    }
}

impl fmt::Display for Edit {
    /// The change as a reader checks it: a diff cut to a screen.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let path = self.change.path().display().to_string();
        if self.line_endings_only() {
            let same = "the text is the same";
            return writeln!(f, "line endings of {path}: CRLF to LF ({same})");
        }
        let (a, b) = (format!("a/{path}"), format!("b/{path}"));
        let old = self.old.as_deref();
        let why = self
            .why
            .as_ref()
            .map_or(String::new(), |why| format!(" ({why})"));
        let (title, new, from, to) = match &self.change {
            Change::Write(_, text) if old.is_none() => ("new file", &**text, "/dev/null", &*b),
            Change::Write(_, text) => ("changed", &**text, &*a, &*b),
            Change::Remove(_) => ("removed", "", &*a, "/dev/null"),
        };
        let diff = diff::brief(old.unwrap_or(""), new, from, to);
        write!(f, "{title} {path}{why}\n{diff}")
    }
}

/// The whole plan.
#[derive(Default)]
pub struct Plan {
    /// The changes, to apply all or nothing.
    pub edits: Vec<Edit>,
    /// The fixtures nothing may be written for, with the reason.
    pub refusals: Vec<String>,
    /// Per fixture, a cell per toolchain (in `toolchains` order).
    pub table: Vec<(String, Vec<Cell>)>,
    /// The toolchains' column labels.
    pub toolchains: Vec<String>,
}

impl Plan {
    /// The changes alone.
    pub fn changes(&self) -> Vec<Change> {
        self.edits.iter().map(|e| e.change.clone()).collect()
    }
}

/// Why nothing may be written for a fixture, and for which toolchains'
/// columns (the others are held back with it); `None` for all.
struct Refusal(String, Option<Vec<String>>);

/// One fixture's edits and its row of cells.
type Planned = Result<(Vec<Edit>, Vec<Cell>), Refusal>;

/// What every fixture's plan is made from.
struct Inputs<'a> {
    suite: &'a Suite,
    runs: &'a [(Rustc, Report)],
    /// The versions the record lists after this bless.
    record: Vec<Version>,
}

/// The plan for the fixtures `filters` select, from the runs.
pub fn plan(suite: &Suite, runs: &[(Rustc, Report)], filters: &[String]) -> Result<Plan> {
    let new = runs.iter().map(|(_, r)| r.version);
    let mut record: Vec<Version> = suite.record.iter().copied().chain(new).collect();
    record.sort();
    record.dedup();
    let unrecorded = record.iter().find(|v| !suite.record.contains(v));
    if let Some(v) = unrecorded.filter(|_| !filters.is_empty()) {
        return Err(Error::Unrecorded(*v));
    }
    let mut plan = Plan {
        toolchains: runs.iter().map(|(r, _)| r.column()).collect(),
        ..Plan::default()
    };
    let inputs = Inputs {
        suite,
        runs,
        record,
    };
    for f in suite.select(filters) {
        let path = f.display_path();
        let planned = inputs.fixture(f);
        let (edits, cells) = planned.unwrap_or_else(|Refusal(reason, involved)| {
            plan.refusals.push(format!("{path}: {reason}"));
            let cell = |t: &String| match &involved {
                Some(these) if !these.contains(t) => Cell::Held,
                _ => Cell::Refused,
            };
            (Vec::new(), plan.toolchains.iter().map(cell).collect())
        });
        plan.edits.extend(edits);
        plan.table.push((path, cells));
    }
    let text = expect::render_record(&inputs.record);
    let old = std::fs::read_to_string(suite.root.join(RECORD)).ok();
    if old.as_deref() != Some(text.as_str()) {
        let change = Change::Write(PathBuf::from(RECORD), text);
        plan.edits.push(Edit {
            change,
            old,
            why: None,
        });
    }
    Ok(plan)
}

impl Inputs<'_> {
    /// One fixture's edits and cells, over every kind of expectation it has.
    fn fixture(&self, f: &Fixture) -> Planned {
        let l = f.listing.as_ref().map_err(|problems| {
            let each: String = problems.iter().map(|p| format!("\n{p}")).collect();
            let why = format!("does not load, so it was not run:{each}");
            Refusal(why.replace('\n', "\n  "), None)
        })?;
        self.observed(f, l)?;
        let mut edits = Vec::new();
        let mut cells = vec![Cell::Unchanged; self.runs.len()];
        for kind in l.kinds() {
            let (kind_edits, kind_cells) = self.kind(f, kind)?;
            edits.extend(kind_edits);
            for (cell, new) in cells.iter_mut().zip(kind_cells) {
                *cell = if *cell == Cell::Unchanged { new } else { *cell };
            }
        }
        Ok((edits, cells))
    }

    /// Refused unless every run's observation is blessable and quotes none
    /// of std's source.
    fn observed(&self, f: &Fixture, l: &Listing) -> Result<(), Refusal> {
        for (rustc, report) in self.runs {
            let column = rustc.column();
            let refuse = |why: String| Refusal(why, Some(vec![column.clone()]));
            let o = report.fixture(&f.display_path());
            let o = o.ok_or_else(|| refuse(format!("{column} did not report it")))?;
            if !o.blessable(&l.kinds()) {
                let each = o.problems.iter().map(|p| format!("{}: {p}", p.check));
                let each = each.map(|p| p.replace('\n', "\n      "));
                let mut why = each.collect::<Vec<_>>().join("\n    ");
                if why.is_empty() {
                    why = "no output was observed".into();
                }
                return Err(refuse(format!(
                    "on {column} its outcome or annotations are wrong, so no expectation is written:\n    {why}"
                )));
            }
            if let Some((line, text)) = o.actual(Kind::Stderr).and_then(expect::quotes_std_source) {
                return Err(refuse(format!(
                    "on {column} its .stderr quotes the standard library's source (line {line}: `{}`), which rustc does \
                     only where rust-src is installed; the suite hides std's sources from the compiler, so they \
                     were not hidden here: run `cargo xtask show {}` on that toolchain and report it",
                    text.trim(),
                    l.header.listing
                )));
            }
        }
        Ok(())
    }

    /// The text of `kind` per recorded version: what its runs agree on, or
    /// the expectation it has now when none of its toolchains ran.
    fn texts(&self, f: &Fixture, kind: Kind) -> Result<Vec<(Version, String)>, Refusal> {
        let path = f.display_path();
        let said = |report: &Report| {
            let o = report.fixture(&path).and_then(|o| o.actual(kind));
            o.unwrap_or_default().to_string()
        };
        let text = |v: Version| {
            let runs = self.runs.iter().filter(|(_, r)| r.version == v);
            let mut runs = runs.map(|(rustc, r)| (rustc, said(r)));
            let Some(first) = runs.next() else {
                return self.kept(f, kind, v);
            };
            match runs.find(|(_, text)| *text != first.1) {
                Some(other) => Err(self.disagreement(f, kind, v, (first.0, &first.1), other)),
                None => Ok(first.1),
            }
        };
        self.record.iter().map(|&v| Ok((v, text(v)?))).collect()
    }

    /// The expectation of `kind` a version none of the runs had keeps.
    fn kept(&self, f: &Fixture, kind: Kind, v: Version) -> Result<String, Refusal> {
        let Some(file) = f.expectation(kind, v) else {
            let ext = kind.ext();
            let why = format!(
                "it has no .{ext} expectation for {v} (listed in {RECORD}) and no toolchain of {v} ran; add one with --toolchain"
            );
            return Err(Refusal(why, None));
        };
        expect::read(&self.suite.root, &file.path).map_err(|e| Refusal(e.to_string(), None))
    }

    /// The edits of one kind of expectation, and what they mean per toolchain.
    fn kind(&self, f: &Fixture, kind: Kind) -> Planned {
        let root = &self.suite.root;
        let content = self.texts(f, kind)?;
        let path = |(key, text)| (f.expectation_path(kind, key), text);
        let desired: Vec<(PathBuf, String)> =
            expect::layout(&content).into_iter().map(path).collect();
        let wanted = |path: &PathBuf| desired.iter().any(|(p, _)| p == path);
        let existing: Vec<&ExpectFile> = f.expectations.iter().filter(|e| e.kind == kind).collect();
        let on_disk = |path: &PathBuf| std::fs::read_to_string(root.join(path)).ok();
        // Bytes, not LF-normalised text: a CRLF checkout is rewritten as LF.
        let writes = desired.iter().filter_map(|(path, text)| {
            let exists = existing.iter().any(|e| e.path == *path);
            let old = exists.then(|| on_disk(path)).flatten();
            let change = Change::Write(path.clone(), text.clone());
            (old.as_deref() != Some(text)).then_some(Edit {
                change,
                old,
                why: None,
            })
        });
        let removed = existing.iter().filter(|e| !wanted(&e.path)).map(|e| Edit {
            change: Change::Remove(e.path.clone()),
            old: on_disk(&e.path),
            why: Some(self.why_removed(f, kind, e.key)),
        });
        let cells = self.runs.iter().map(|(_, report)| {
            let v = report.version;
            let new = &content.iter().find(|(w, _)| *w == v).expect("recorded").1;
            match f.expectation(kind, v) {
                None => Cell::New,
                Some(old) if !wanted(&old.path) => Cell::Removed,
                Some(old) => match expect::read(root, &old.path) {
                    Ok(text) if text == *new => Cell::Unchanged,
                    _ => Cell::Updated,
                },
            }
        });
        Ok((writes.chain(removed).collect(), cells.collect()))
    }

    /// Why the expectation of `kind` keyed `key` is not in the new layout:
    /// its key is not a listed version (newer than all, or between them),
    /// or is the oldest listed one (whose text is the baseline's), or its
    /// text is that of the file below it.
    fn why_removed(&self, f: &Fixture, kind: Kind, key: Option<Version>) -> String {
        let listed: Vec<String> = self.record.iter().map(ToString::to_string).collect();
        let listed = listed.join(", ");
        let keep = |k| format!("; to keep it, bless on a {k} toolchain too");
        match key {
            Some(k) if self.record.last().is_none_or(|newest| k > *newest) => format!(
                "keyed to {k}, newer than every version {RECORD} lists ({listed}): no compiler the suite is \
                 checked on uses it{}",
                keep(k)
            ),
            Some(k) if !self.record.contains(&k) => format!(
                "keyed to {k}, which {RECORD} does not list ({listed}): the versions it applied to get their \
                 text from the files kept and written{}",
                keep(k)
            ),
            Some(k) if self.record.first() == Some(&k) => format!(
                "keyed to {k}, the oldest version {RECORD} lists, whose text the unkeyed file `{}` holds",
                f.expectation_path(kind, None).display()
            ),
            Some(_) => "the expectation below it now gives the same text".into(),
            None => format!("no version is listed in {RECORD}"),
        }
    }

    /// Two toolchains of one version that disagree: the difference, and the
    /// commands that bless either (a new version needs every fixture).
    fn disagreement(
        &self,
        f: &Fixture,
        kind: Kind,
        v: Version,
        (a, a_text): (&Rustc, &str),
        (b, b_text): (&Rustc, String),
    ) -> Refusal {
        let filter = match self.suite.record.contains(&v) {
            true => format!(" --filter {}", f.short_id()),
            false => String::new(),
        };
        let (one, other, ext) = (a.label(), b.label(), kind.ext());
        let diff = diff::brief(a_text, &b_text, &one, &other);
        let (a_bless, b_bless) = (a.selector() + &filter, b.selector() + &filter);
        let why = format!(
            "{one} and {other} are both version {v} but disagree on its .{ext}:\n{diff}  \
             bless the one whose output is right: `{BLESS}{a_bless}` or `{BLESS}{b_bless}`"
        );
        Refusal(why, Some(vec![a.column(), b.column()]))
    }
}
