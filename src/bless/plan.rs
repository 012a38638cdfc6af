//! From what each toolchain observed to the expectation files the tree
//! should hold: which to write, which to remove, which fixtures are refused
//! and why, and what changed for whom.

use crate::bless::journal::Change;
use crate::check::report::Report;
use crate::diff;
use crate::error::{Error, Result};
use crate::host::toolchain::Rustc;
use crate::model::expect::{self, ExpectFile, Kind};
use crate::model::fixture::{Fixture, Listing};
use crate::model::suite::Suite;
use crate::names::{BLESS, RECORD, Version};
use std::collections::BTreeMap;
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
    /// This toolchain's text is fine, but nothing is written for the
    /// fixture while another toolchain's is refused.
    Held,
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.pad(match self {
            Cell::Unchanged => "unchanged",
            Cell::Updated => "UPDATED",
            Cell::New => "NEW",
            Cell::Removed => "REMOVED",
            Cell::Refused => "REFUSED",
            Cell::Held => "held",
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
}

impl Edit {
    /// Whether it only rewrites CRLF line ends as LF (the tests and `check`
    /// take such a file as it is).
    pub fn line_endings_only(&self) -> bool {
        match (&self.change, &self.old) {
            (Change::Write(_, text), Some(old)) => old != text && expect::lf(old.clone()) == *text,
            _ => false,
        }
    }
}

impl fmt::Display for Edit {
    /// The change as a reader checks it: a diff (cut to a screen), or what
    /// happened to the file.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let path = self.change.path().display().to_string();
        let (a, b) = (format!("a/{path}"), format!("b/{path}"));
        match (&self.change, &self.old) {
            (Change::Write(_, text), None) => write!(
                f,
                "new file {path}\n{}",
                diff::brief("", text, "/dev/null", &b)
            ),
            (Change::Write(..), Some(_)) if self.line_endings_only() => {
                writeln!(
                    f,
                    "line endings of {path}: CRLF to LF (the text is the same)"
                )
            }
            (Change::Write(_, text), Some(old)) => {
                write!(f, "changed {path}\n{}", diff::brief(old, text, &a, &b))
            }
            (Change::Remove(_), old) => write!(
                f,
                "removed {path} (the expectation below it now gives the same text)\n{}",
                diff::brief(old.as_deref().unwrap_or(""), "", &a, "/dev/null")
            ),
        }
    }
}

/// The whole plan.
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

/// What every fixture's plan is made from.
struct Inputs<'a> {
    suite: &'a Suite,
    runs: &'a [(Rustc, Report)],
    /// The runs by compiler version.
    by_version: BTreeMap<Version, Vec<&'a (Rustc, Report)>>,
    /// The versions the record lists after this bless.
    record: Vec<Version>,
}

/// The plan for the fixtures `filters` select, from the runs.
pub fn plan(suite: &Suite, runs: &[(Rustc, Report)], filters: &[String]) -> Result<Plan> {
    let mut by_version: BTreeMap<Version, Vec<&(Rustc, Report)>> = BTreeMap::new();
    for run in runs {
        by_version.entry(run.1.version).or_default().push(run);
    }
    let mut record = suite.record.clone();
    for v in by_version.keys().filter(|v| !suite.record.contains(v)) {
        if !filters.is_empty() {
            return Err(Error::Unrecorded(*v));
        }
        record.push(*v);
    }
    record.sort();
    let toolchains: Vec<String> = runs.iter().map(|(r, _)| r.column()).collect();
    let inputs = Inputs {
        suite,
        runs,
        by_version,
        record,
    };
    let mut plan = Plan {
        edits: Vec::new(),
        refusals: Vec::new(),
        table: Vec::new(),
        toolchains,
    };
    for f in suite.select(filters) {
        let path = f.display_path();
        let planned = match &f.listing {
            Err(problems) => {
                let each: Vec<String> = problems
                    .iter()
                    .map(|p| p.to_string().replace('\n', "\n  "))
                    .collect();
                Err(Refusal(
                    format!("does not load, so it was not run:\n  {}", each.join("\n  ")),
                    None,
                ))
            }
            Ok(l) => fixture_plan(&inputs, f, l),
        };
        match planned {
            Ok((edits, cells)) => {
                plan.edits.extend(edits);
                plan.table.push((path, cells));
            }
            Err(Refusal(reason, involved)) => {
                plan.refusals.push(format!("{path}: {reason}"));
                let cell = |t: &String| match &involved {
                    Some(these) if !these.contains(t) => Cell::Held,
                    _ => Cell::Refused,
                };
                plan.table
                    .push((path, plan.toolchains.iter().map(cell).collect()));
            }
        }
    }
    let text = expect::render_record(&inputs.record);
    let old = std::fs::read_to_string(suite.root.join(RECORD)).ok();
    if old.as_deref() != Some(text.as_str()) {
        let change = Change::Write(PathBuf::from(RECORD), text);
        plan.edits.push(Edit { change, old });
    }
    Ok(plan)
}

/// The runs' observations of `path`, each of which must be blessable and
/// must not quote std's source.
fn observed(inputs: &Inputs, path: &str, l: &Listing, id: &str) -> Result<(), Refusal> {
    for (rustc, report) in inputs.runs {
        let column = rustc.column();
        let refuse = |why: String| Refusal(why, Some(vec![column.clone()]));
        let o = report
            .fixtures
            .iter()
            .find(|o| o.path == path)
            .ok_or_else(|| refuse(format!("{column} did not report it")))?;
        if !o.blessable(&l.kinds()) {
            let why: Vec<String> = o
                .problems
                .iter()
                .map(|p| format!("{}: {}", p.check, p.to_string().replace('\n', "\n      ")))
                .collect();
            let why = if why.is_empty() {
                "no output was observed".into()
            } else {
                why.join("\n    ")
            };
            return Err(refuse(format!(
                "on {column} its outcome or annotations are wrong, so no expectation is written:\n    {why}"
            )));
        }
        if let Some((line, text)) = o.actual(Kind::Stderr).and_then(expect::quotes_std_source) {
            return Err(refuse(format!(
                "on {column} its .stderr quotes the standard library's source (line {line}: `{}`), which rustc does \
                 only where rust-src is installed; the suite hides std's sources from the compiler, so they \
                 were not hidden here: run `cargo xtask show {id}` on that toolchain and report it",
                text.trim()
            )));
        }
    }
    Ok(())
}

/// One fixture's edits and its row of cells.
fn fixture_plan(
    inputs: &Inputs,
    f: &Fixture,
    l: &Listing,
) -> Result<(Vec<Edit>, Vec<Cell>), Refusal> {
    observed(inputs, &f.display_path(), l, &l.header.listing)?;
    let mut edits = Vec::new();
    let mut cells = vec![Cell::Unchanged; inputs.runs.len()];
    for kind in l.kinds() {
        let (kind_edits, kind_cells) = kind_plan(inputs, f, kind)?;
        edits.extend(kind_edits);
        for (cell, new) in cells.iter_mut().zip(kind_cells) {
            if *cell == Cell::Unchanged {
                *cell = new;
            }
        }
    }
    // Files of kinds the fixture no longer has are the loader's to name.
    Ok((edits, cells))
}

/// The text each recorded version should see for `kind`: what its runs
/// agree on, or the expectation it has now when none of its toolchains ran.
fn texts(inputs: &Inputs, f: &Fixture, kind: Kind) -> Result<Vec<(Version, String)>, Refusal> {
    let path = f.display_path();
    let mut content = Vec::new();
    for &v in &inputs.record {
        let text = match inputs.by_version.get(&v) {
            Some(runs) => {
                let said = |report: &Report| {
                    let o = report.fixtures.iter().find(|o| o.path == path);
                    o.and_then(|o| o.actual(kind))
                        .unwrap_or_default()
                        .to_string()
                };
                let (first, text) = (&runs[0].0, said(&runs[0].1));
                if let Some((other, differs)) = runs[1..]
                    .iter()
                    .map(|(r, c)| (r, said(c)))
                    .find(|(_, t)| *t != text)
                {
                    return Err(disagreement(
                        inputs,
                        f,
                        kind,
                        v,
                        (first, &text),
                        (other, &differs),
                    ));
                }
                text
            }
            None => match f.expectation(kind, v) {
                Some(file) => expect::read(&inputs.suite.root, &file.path)
                    .map_err(|e| Refusal(e.to_string(), None))?,
                None => {
                    let ext = kind.ext();
                    return Err(Refusal(
                        format!(
                            "it has no .{ext} expectation for {v} (listed in {RECORD}) and no toolchain of {v} ran; add one with --toolchain"
                        ),
                        None,
                    ));
                }
            },
        };
        content.push((v, text));
    }
    Ok(content)
}

/// The edits of one kind of expectation, and what they mean per toolchain.
fn kind_plan(inputs: &Inputs, f: &Fixture, kind: Kind) -> Result<(Vec<Edit>, Vec<Cell>), Refusal> {
    let root = &inputs.suite.root;
    let content = texts(inputs, f, kind)?;
    let desired: Vec<(PathBuf, String)> = expect::layout(&content)
        .into_iter()
        .map(|(key, text)| (f.expectation_path(kind, key), text))
        .collect();
    let existing: Vec<&ExpectFile> = f.expectations.iter().filter(|e| e.kind == kind).collect();
    let on_disk = |path: &PathBuf| std::fs::read_to_string(root.join(path)).ok();
    let mut edits = Vec::new();
    for (path, text) in &desired {
        // Bytes, not LF-normalised text: a CRLF checkout is rewritten as LF.
        let old = existing
            .iter()
            .any(|e| &e.path == path)
            .then(|| on_disk(path))
            .flatten();
        if old.as_deref() != Some(text.as_str()) {
            edits.push(Edit {
                change: Change::Write(path.clone(), text.clone()),
                old,
            });
        }
    }
    for e in existing
        .iter()
        .filter(|e| !desired.iter().any(|(p, _)| *p == e.path))
    {
        edits.push(Edit {
            change: Change::Remove(e.path.clone()),
            old: on_disk(&e.path),
        });
    }
    let cells = inputs
        .runs
        .iter()
        .map(|(_, report)| {
            let new = &content
                .iter()
                .find(|(v, _)| *v == report.version)
                .expect("recorded")
                .1;
            match f.expectation(kind, report.version) {
                None => Cell::New,
                Some(old) if !desired.iter().any(|(p, _)| *p == old.path) => Cell::Removed,
                Some(old) => match expect::read(root, &old.path) {
                    Ok(t) if t == *new => Cell::Unchanged,
                    _ => Cell::Updated,
                },
            }
        })
        .collect();
    Ok((edits, cells))
}

/// Two toolchains of one version that see different texts: both named, the
/// difference shown, and the command that blesses either one (with the
/// fixture alone where the version is recorded; a new one needs every
/// fixture).
fn disagreement(
    inputs: &Inputs,
    f: &Fixture,
    kind: Kind,
    v: Version,
    a: (&Rustc, &str),
    b: (&Rustc, &str),
) -> Refusal {
    let filter = match inputs.suite.record.contains(&v) {
        true => format!(" --filter {}", f.short_id()),
        false => String::new(),
    };
    let ((first, first_text), (second, second_text)) = (a, b);
    let (one, other) = (first.label(), second.label());
    Refusal(
        format!(
            "{one} and {other} are both version {v} but disagree on its .{}:\n{}  \
             bless the one whose output is right: `{BLESS}{}{filter}` or `{BLESS}{}{filter}`",
            kind.ext(),
            diff::brief(first_text, second_text, &one, &other),
            first.selector(),
            second.selector(),
        ),
        Some(vec![first.column(), second.column()]),
    )
}
