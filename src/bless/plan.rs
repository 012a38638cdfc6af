//! From what each toolchain observed to the expectation files the tree should
//! hold: which to write, which to remove, and what changed for whom.

use crate::bless::journal::Change;
use crate::check::report::Report;
use crate::command::BLESS;
use crate::diff;
use crate::error::{Error, Result};
use crate::host::toolchain::Rustc;
use crate::model::expect::{self, Kind, RECORD, Version};
use crate::{Fixture, Suite};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// What happened to the expectation a toolchain is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    /// Same file, same text.
    Unchanged,
    /// Same file, new text.
    Updated,
    /// There was no expectation for this toolchain.
    New,
    /// Its file became redundant and is removed; a lower one now applies.
    Removed,
    /// Nothing may be written for this fixture (see the refusals).
    Refused,
    /// This toolchain's text is fine, but nothing is written for the fixture
    /// while another toolchain's is refused.
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

/// The whole plan.
pub struct Plan {
    /// Changes to apply, all or nothing.
    pub changes: Vec<Change>,
    /// Readable diffs of the changes.
    pub diffs: Vec<String>,
    /// Fixtures nothing may be written for, with the reason.
    pub refusals: Vec<String>,
    /// Per fixture, one cell per toolchain (in `Plan::toolchains` order).
    pub table: Vec<(String, Vec<Cell>)>,
    /// Column labels.
    pub toolchains: Vec<String>,
    /// Expectation files among `changes` whose text is already right but
    /// whose lines end in CRLF (a Windows checkout): bless rewrites them as
    /// LF, but the tests and `check` take them as they are.
    pub line_endings: Vec<PathBuf>,
}

impl Plan {
    /// What a bless did, in Markdown (the body of the pull request the drift
    /// workflow opens): the compilers, one row per fixture that changed
    /// with what happened per toolchain, each changed file's diff (cut to a
    /// screen), the refusals, and the counts. `compilers` are the runs'
    /// compilers, described (`rustc -vV`'s release and commit).
    pub fn markdown(&self, compilers: &[String], pages: usize) -> String {
        let mut s = format!("## Expectations blessed on {}\n\n", compilers.join(", "));
        let changed: Vec<&(String, Vec<Cell>)> = self
            .table
            .iter()
            .filter(|(_, row)| row.iter().any(|c| *c != Cell::Unchanged))
            .collect();
        if changed.is_empty() && self.changes.is_empty() {
            s.push_str("No expectation changed.\n");
        }
        if !changed.is_empty() {
            s.push_str(&format!(
                "| fixture | {} |\n|---|",
                self.toolchains.join(" | ")
            ));
            s.push_str(&"---|".repeat(self.toolchains.len()));
            s.push('\n');
            for (path, row) in &changed {
                let cells: Vec<String> = row.iter().map(|c| c.to_string()).collect();
                s.push_str(&format!("| `{path}` | {} |\n", cells.join(" | ")));
            }
            s.push('\n');
        }
        if !self.diffs.is_empty() {
            s.push_str("### What changed\n\n");
            for d in &self.diffs {
                let (title, body) = d.split_once('\n').unwrap_or((d.as_str(), ""));
                s.push_str(&format!(
                    "<details><summary>{title}</summary>\n\n```diff\n{body}```\n\n</details>\n\n"
                ));
            }
        }
        if !self.refusals.is_empty() {
            s.push_str("### Refused\n\n");
            for r in &self.refusals {
                s.push_str(&format!("```text\n{r}\n```\n\n"));
            }
        }
        s.push_str(&format!(
            "{} file(s) written or removed, {pages} readers' page(s) regenerated, {} fixture(s) refused.\n",
            self.changes.len(),
            self.refusals.len()
        ));
        s
    }

    /// Leave out the changes that only rewrite line endings (`check`: they
    /// are no drift); a note on them, if any.
    pub fn without_line_endings(&mut self) -> Option<String> {
        if self.line_endings.is_empty() {
            return None;
        }
        let endings = &self.line_endings;
        let kept: Vec<(Change, String)> = self
            .changes
            .drain(..)
            .zip(self.diffs.drain(..))
            .filter(|(c, _)| !endings.iter().any(|p| p == c.path()))
            .collect();
        (self.changes, self.diffs) = kept.into_iter().unzip();
        Some(format!(
            "note: {} expectation file(s) end their lines in CRLF; their text is what the compilers say, so this \
             is no drift, and the tests compare them as LF too. `{BLESS}` would rewrite them as LF \
             (`.gitattributes` checks them out as LF):\n  {}\n",
            endings.len(),
            endings
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join("\n  ")
        ))
    }

    /// What `cargo xtask check` says when it finds drift: the counts, then
    /// one whole sentence per thing to do (`bless` is the command that would
    /// accept the changes).
    /// `stale_pages` names the readers' pages that are out of date.
    pub fn drift_advice(&self, bless: &str, stale_pages: &[String]) -> String {
        let mut s = format!(
            "\ncheck: FAILED: {} file(s) would change, {} fixture(s) cannot be blessed{}.\n",
            self.changes.len(),
            self.refusals.len(),
            if stale_pages.is_empty() {
                String::new()
            } else {
                format!(", readers' page(s) stale: {}", stale_pages.join(", "))
            }
        );
        if !self.refusals.is_empty() {
            s.push_str(
                "  fix the fixtures listed as REFUSED above (each says why), then run `cargo xtask check` again\n",
            );
        }
        if !self.changes.is_empty() {
            s.push_str(&format!("  to accept the new output run: {bless}\n"));
        }
        if !stale_pages.is_empty() {
            s.push_str(&format!(
                "  to regenerate the readers' pages run: {} (a bless regenerates them too)\n",
                crate::command::CATALOGUE
            ));
        }
        s
    }
}

/// Work out the plan for the fixtures matching `filters`, given the runs.
pub fn plan(suite: &Suite, runs: &[(Rustc, Report)], filters: &[String]) -> Result<Plan> {
    let root = &suite.root;
    let mut by_version: BTreeMap<Version, Vec<&(Rustc, Report)>> = BTreeMap::new();
    for run in runs {
        by_version.entry(run.1.version).or_default().push(run);
    }
    let mut record = suite.record.clone();
    for v in by_version.keys() {
        if !record.contains(v) {
            if !filters.is_empty() {
                return Err(Error::Unrecorded(*v));
            }
            record.push(*v);
        }
    }
    record.sort();

    let mut plan = Plan {
        changes: Vec::new(),
        diffs: Vec::new(),
        refusals: Vec::new(),
        table: Vec::new(),
        toolchains: runs.iter().map(|(r, _)| r.column()).collect(),
        line_endings: Vec::new(),
    };
    // A fixture that does not load is refused, with every problem it has;
    // nothing else waits for it.
    for b in suite.broken_filtered(filters) {
        plan.refusals.push(format!(
            "{}: does not load, so it was not run:\n  {}",
            b.display_path(),
            b.errors
                .iter()
                .map(|e| e.to_string().replace('\n', "\n  "))
                .collect::<Vec<_>>()
                .join("\n  ")
        ));
        plan.table
            .push((b.display_path(), vec![Cell::Refused; plan.toolchains.len()]));
    }
    for fixture in suite.filtered(filters) {
        let inputs = Inputs {
            suite,
            runs,
            by_version: &by_version,
            record: &record,
        };
        match fixture_plan(&inputs, fixture) {
            Err(Refusal(reason, involved)) => {
                plan.refusals
                    .push(format!("{}: {reason}", fixture.display_path()));
                let cells = plan
                    .toolchains
                    .iter()
                    .map(|t| match &involved {
                        Some(these) if !these.contains(t) => Cell::Held,
                        _ => Cell::Refused,
                    })
                    .collect();
                plan.table.push((fixture.display_path(), cells));
            }
            Ok((changes, cells)) => {
                for c in &changes {
                    plan.diffs.push(render(root, c));
                    if let Change::Write(path, text) = c
                        && let Ok(old) = std::fs::read_to_string(root.join(path))
                        && old != *text
                        && expect::lf(old) == *text
                    {
                        plan.line_endings.push(path.clone());
                    }
                }
                plan.changes.extend(changes);
                plan.table.push((fixture.display_path(), cells));
            }
        }
    }

    let record_text = expect::render_record(&record);
    let old_record = std::fs::read_to_string(root.join(RECORD)).ok();
    if old_record.as_deref() != Some(record_text.as_str()) {
        let change = Change::Write(PathBuf::from(RECORD), record_text);
        plan.diffs.push(render(root, &change));
        plan.changes.push(change);
    }
    Ok(plan)
}

/// Why nothing may be written for a fixture, and for which toolchains'
/// columns (the others are held back with it); `None` for all.
struct Refusal(String, Option<Vec<String>>);

type Runs<'a> = BTreeMap<Version, Vec<&'a (Rustc, Report)>>;

/// What every fixture's plan is made from.
struct Inputs<'a> {
    /// The suite (its root, and its record before this bless).
    suite: &'a Suite,
    /// The runs, one per toolchain.
    runs: &'a [(Rustc, Report)],
    /// The same runs by compiler version.
    by_version: &'a Runs<'a>,
    /// The versions the record lists after this bless.
    record: &'a [Version],
}

fn fixture_plan(
    inputs: &Inputs,
    fixture: &Fixture,
) -> std::result::Result<(Vec<Change>, Vec<Cell>), Refusal> {
    let runs = inputs.runs;
    let path = fixture.display_path();
    // Every toolchain must have observed the fixture well enough to bless it.
    for (rustc, report) in runs {
        let observed = report
            .fixtures
            .iter()
            .find(|o| o.path == path)
            .ok_or_else(|| {
                Refusal(
                    format!("{} did not report it", rustc.column()),
                    Some(vec![rustc.column()]),
                )
            })?;
        if !observed.blessable(&fixture.kinds()) {
            let why: Vec<String> = observed
                .problems
                .iter()
                .map(|p| format!("{}: {}", p.check, p.text().replace('\n', "\n      ")))
                .collect();
            return Err(Refusal(
                format!(
                    "on {} its outcome or annotations are wrong, so no expectation is written:\n    {}",
                    rustc.column(),
                    if why.is_empty() {
                        "no output was observed".into()
                    } else {
                        why.join("\n    ")
                    }
                ),
                Some(vec![rustc.column()]),
            ));
        }
    }
    // Expectations hold what a toolchain without std's sources says.
    for (rustc, report) in runs {
        let quoted = report
            .fixtures
            .iter()
            .find(|o| o.path == path)
            .and_then(|o| o.actual(Kind::Stderr))
            .and_then(expect::quotes_std_source);
        if let Some((line, text)) = quoted {
            return Err(Refusal(
                format!(
                    "on {} its .stderr quotes the standard library's source (line {line}: `{}`), which rustc does \
                 only where rust-src is installed; the suite hides std's sources from the compiler, so they \
                 were not hidden here: run `cargo xtask show {}` on that toolchain and report it",
                    rustc.column(),
                    text.trim(),
                    fixture.header.listing
                ),
                Some(vec![rustc.column()]),
            ));
        }
    }
    let mut changes = Vec::new();
    let mut cells = vec![Cell::Unchanged; runs.len()];
    for kind in fixture.kinds() {
        let (kind_changes, kind_cells) = kind_plan(inputs, fixture, kind)?;
        changes.extend(kind_changes);
        for (cell, new) in cells.iter_mut().zip(kind_cells) {
            if *cell == Cell::Unchanged {
                *cell = new;
            }
        }
    }
    // Files of kinds the fixture no longer has are left to the orphan check.
    Ok((changes, cells))
}

fn kind_plan(
    inputs: &Inputs,
    fixture: &Fixture,
    kind: Kind,
) -> std::result::Result<(Vec<Change>, Vec<Cell>), Refusal> {
    let (root, runs, by_version) = (&inputs.suite.root, inputs.runs, inputs.by_version);
    let (record, recorded_before) = (inputs.record, &inputs.suite.record);
    let path = fixture.display_path();
    // The text each recorded version should see.
    let mut content: Vec<(Version, String)> = Vec::new();
    for &v in record {
        let text = match by_version.get(&v) {
            Some(version_runs) => {
                let mut agreed: Option<(&Rustc, String)> = None;
                for (rustc, report) in version_runs {
                    let actual = report
                        .fixtures
                        .iter()
                        .find(|o| o.path == path)
                        .and_then(|o| o.actual(kind))
                        .unwrap_or_default()
                        .to_string();
                    match &agreed {
                        Some((other, text)) if *text != actual => {
                            return Err(disagreement(
                                fixture,
                                kind,
                                v,
                                recorded_before,
                                other,
                                text,
                                rustc,
                                &actual,
                            ));
                        }
                        _ => agreed = Some((rustc, actual)),
                    }
                }
                agreed.map(|(_, t)| t).unwrap_or_default()
            }
            None => match fixture.expectation(kind, v) {
                Some(file) => crate::model::expect::read(root, &file.path)
                    .map_err(|e| Refusal(e.to_string(), None))?,
                None => {
                    return Err(Refusal(
                        format!(
                            "it has no .{} expectation for {v} (listed in {RECORD}) and no toolchain of {v} ran; add one with --toolchain",
                            kind.ext()
                        ),
                        None,
                    ));
                }
            },
        };
        content.push((v, text));
    }
    let desired: Vec<(PathBuf, String)> = expect::layout(&content)
        .into_iter()
        .map(|(key, text)| (fixture.expectation_path(kind, key), text))
        .collect();
    let existing: Vec<&crate::model::expect::ExpectFile> = fixture
        .expectations
        .iter()
        .filter(|e| e.kind == kind)
        .collect();

    let mut changes = Vec::new();
    for (p, text) in &desired {
        // Bytes, not LF-normalised text: a CRLF checkout is rewritten as LF.
        let raw = existing
            .iter()
            .find(|e| &e.path == p)
            .and_then(|e| std::fs::read(root.join(&e.path)).ok());
        if raw.as_deref() != Some(text.as_bytes()) {
            changes.push(Change::Write(p.clone(), text.clone()));
        }
    }
    for e in &existing {
        if !desired.iter().any(|(p, _)| *p == e.path) {
            changes.push(Change::Remove(e.path.clone()));
        }
    }

    let cells = runs
        .iter()
        .map(|(_, report)| {
            let v = report.version;
            let new_text = &content.iter().find(|(cv, _)| *cv == v).expect("recorded").1;
            match fixture.expectation(kind, v) {
                None => Cell::New,
                Some(old) if !desired.iter().any(|(p, _)| *p == old.path) => Cell::Removed,
                Some(old) => match crate::model::expect::read(root, &old.path) {
                    Ok(t) if t == *new_text => Cell::Unchanged,
                    _ => Cell::Updated,
                },
            }
        })
        .collect();
    Ok((changes, cells))
}

/// Two toolchains of one version that see different texts: both named, the
/// difference shown, and the command that blesses one of them (with the
/// fixture alone where the version is already recorded; a version not yet
/// recorded needs every fixture).
#[allow(clippy::too_many_arguments)]
fn disagreement(
    fixture: &Fixture,
    kind: Kind,
    v: Version,
    recorded: &[Version],
    first: &Rustc,
    first_text: &str,
    second: &Rustc,
    second_text: &str,
) -> Refusal {
    let filter = if recorded.contains(&v) {
        format!(" --filter {}", fixture.short_id())
    } else {
        String::new()
    };
    Refusal(
        format!(
            "{} and {} are both version {v} but disagree on its .{}:\n{}  \
             bless the one whose output is right: `{BLESS}{}{filter}` or `{BLESS}{}{filter}`",
            first.label(),
            second.label(),
            kind.ext(),
            diff::brief(first_text, second_text, &first.label(), &second.label()),
            first.selector(),
            second.selector(),
        ),
        Some(vec![first.column(), second.column()]),
    )
}

fn render(root: &Path, change: &Change) -> String {
    let path = change.path().display().to_string();
    let old = std::fs::read_to_string(root.join(change.path())).ok();
    match change {
        Change::Write(_, text) => match &old {
            None => format!(
                "new file {path}\n{}",
                diff::brief("", text, "/dev/null", &format!("b/{path}"))
            ),
            Some(old) if expect::lf(old.clone()) == *text => {
                format!("line endings of {path}: CRLF to LF (the text is the same)\n")
            }
            Some(old) => format!(
                "changed {path}\n{}",
                diff::brief(old, text, &format!("a/{path}"), &format!("b/{path}"))
            ),
        },
        Change::Remove(_) => format!(
            "removed {path} (the expectation below it now gives the same text)\n{}",
            diff::brief(
                old.as_deref().unwrap_or(""),
                "",
                &format!("a/{path}"),
                "/dev/null"
            )
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_without_changes_end_in_a_whole_sentence() {
        let plan = Plan {
            changes: Vec::new(),
            diffs: Vec::new(),
            refusals: vec!["ui/a/b.rs: why".into()],
            table: Vec::new(),
            toolchains: vec!["stable".into()],
            line_endings: Vec::new(),
        };
        let advice = plan.drift_advice("cargo xtask bless", &[]);
        let last = advice.lines().last().unwrap();
        assert!(
            last.ends_with("then run `cargo xtask check` again"),
            "{advice}"
        );
        assert!(
            !advice.contains("cargo xtask bless"),
            "no bless command without changes:\n{advice}"
        );
    }
}
