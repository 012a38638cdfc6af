//! GitHub Actions' view of a report: a workflow command per problem
//! (`::error file=…,line=…,title=…::message`), so that a drifted `.stderr`
//! is an annotation on its first differing line rather than a log to
//! scroll; the failures grouped by section (`::group::`); and a Markdown
//! summary of the run for the job's page.

use crate::bless::journal::Change;
use crate::check::problem::first_difference;
use crate::check::report::{FixtureReport, Report};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// One `::error` command per problem of every failed fixture, grouped by
/// the fixture's section directory. Empty when nothing failed.
pub fn annotations(report: &Report) -> String {
    let mut by_section: BTreeMap<&str, Vec<&FixtureReport>> = BTreeMap::new();
    for f in report.fixtures.iter().filter(|f| !f.problems.is_empty()) {
        by_section.entry(section_of(&f.path)).or_default().push(f);
    }
    let mut s = String::new();
    for (section, fixtures) in by_section {
        let _ = writeln!(
            s,
            "::group::{section}: {} failing fixture(s) on {}",
            fixtures.len(),
            report.label
        );
        for f in fixtures {
            for p in &f.problems {
                let (file, line) = match &p.at {
                    Some(at) => (at.file.as_str(), Some(at.line)),
                    None => (f.path.as_str(), None),
                };
                let _ = writeln!(
                    s,
                    "::error file={}{},title={}::{}",
                    property(file),
                    line.map(|l| format!(",line={l}")).unwrap_or_default(),
                    property(&format!("{} {} ({})", f.path, p.check, report.label)),
                    data(&p.text())
                );
            }
        }
        let _ = writeln!(s, "::endgroup::");
    }
    s
}

/// The job summary: the counts, then each failing fixture with its
/// problems and where they are.
pub fn step_summary(report: &Report) -> String {
    let failed = report.failed();
    let mut s = format!(
        "### ch16 ui suite on {}: {}\n\n{} passed, {failed} failed, {} ignored, {} filtered out\n\n",
        report.label,
        if failed == 0 { "ok" } else { "FAILED" },
        report.passed(),
        report.ignored(),
        report.filtered_out
    );
    if failed > 0 {
        s.push_str("| fixture | check | where | fix |\n|---|---|---|---|\n");
        for f in report.fixtures.iter().filter(|f| !f.problems.is_empty()) {
            for p in &f.problems {
                let place =
                    p.at.as_ref()
                        .map_or(String::new(), |at| format!("`{}:{}`", at.file, at.line));
                let fix = p.fix.as_ref().map_or(String::new(), |f| f.action());
                let _ = writeln!(
                    s,
                    "| `{}` | {} | {place} | {} |",
                    f.path,
                    p.check,
                    fix.replace('|', "\\|")
                );
            }
        }
        s.push('\n');
    }
    s
}

/// `cargo xtask check`'s drift as annotations: an `::error` on the first
/// line of each expectation that bless would change, on each stale page (found by
/// comparing with the file on disk under `root`), one per refusal, and the
/// command that accepts the drift; with the job summary's Markdown.
pub fn drift(
    root: &Path,
    changes: &[Change],
    refusals: &[String],
    stale_pages: &[String],
    bless: &str,
) -> (String, String) {
    let mut out = String::new();
    let mut summary =
        String::from("### ch16 ui: expectations drifted\n\n| file | change |\n|---|---|\n");
    for change in changes {
        let file = change.path().display().to_string();
        let (what, line) = match change {
            Change::Write(path, new) => match std::fs::read_to_string(root.join(path)) {
                Ok(old) => (
                    "would change",
                    first_difference(&crate::model::expect::lf(old), new),
                ),
                Err(_) => ("would be created", 1),
            },
            Change::Remove(_) => ("would be removed", 1),
        };
        let _ = writeln!(
            out,
            "::error file={},line={line},title={}::{}",
            property(&file),
            property(&format!("{file} {what}")),
            data(&format!(
                "{file} {what} (line {line}); if that is right, run `{bless}`"
            ))
        );
        let _ = writeln!(summary, "| `{file}` | {what} |");
    }
    for page in stale_pages {
        let _ = writeln!(
            out,
            "::error file={},title={}::{}",
            property(page),
            property(&format!("{page} is stale")),
            data(&format!(
                "{page} is not what the fixtures give; run `{}`",
                crate::command::CATALOGUE
            ))
        );
        let _ = writeln!(summary, "| `{page}` | stale page |");
    }
    for refusal in refusals {
        let _ = writeln!(out, "::error title=bless would refuse::{}", data(refusal));
        let _ = writeln!(
            summary,
            "| (refused) | {} |",
            refusal.lines().next().unwrap_or_default()
        );
    }
    let _ = write!(summary, "\nTo accept: `{bless}`\n\n");
    (out, summary)
}

/// `ui/<section>/<file>` → `ui/<section>`.
fn section_of(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(dir, _)| dir)
}

/// A workflow command's message, escaped as GitHub reads it.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value, escaped as GitHub reads it.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::problem::{At, Check, Problem};

    fn report(problems: Vec<Problem>) -> Report {
        let json = r#"{"label":"rustc 1.95.0","release":"1.95.0","version":{"major":1,"minor":95},
            "fixtures":[],"compile_fail":[0,"none"],"pass":[0,"none"],"observed_only":false,"logs":[],
            "blessed":true,"record":[],"filtered_out":0,"rust_src_hidden":false,"run_id":"r"}"#;
        let mut r: Report = serde_json::from_str(json).unwrap();
        r.fixtures.push(FixtureReport {
            path: "ui/ch16-03-shared-state/listing-16-13-counter-moved.rs".into(),
            describe: "(listing-16-13 E0382)".into(),
            compile_fail: true,
            observed: true,
            problems,
            actual: Vec::new(),
            compiles: 1,
        });
        r
    }

    #[test]
    fn a_problem_with_a_place_is_an_error_on_its_line_escaped() {
        let r = report(vec![Problem {
            check: Check::StderrText,
            message: "differs: 50%\n".into(),
            fix: Some(crate::check::problem::Fix::Accept {
                what: "text".into(),
                bless: crate::command::Bless::fixture("16-13"),
            }),
            at: Some(At {
                file: "ui/ch16-03-shared-state/listing-16-13-counter-moved.stderr".into(),
                line: 7,
            }),
        }]);
        let out = annotations(&r);
        assert_eq!(
            out.lines().collect::<Vec<_>>(),
            [
                "::group::ui/ch16-03-shared-state: 1 failing fixture(s) on rustc 1.95.0",
                "::error file=ui/ch16-03-shared-state/listing-16-13-counter-moved.stderr,line=7,\
                 title=ui/ch16-03-shared-state/listing-16-13-counter-moved.rs stderr-text (rustc 1.95.0)\
                 ::differs: 50%25%0Afix: if the new text is right, run `cargo xtask bless --filter 16-13`; if not, change the fixture",
                "::endgroup::",
            ]
        );
        let summary = step_summary(&r);
        assert!(
            summary.contains("FAILED")
                && summary.contains("| `ui/ch16-03-shared-state/listing-16-13-counter-moved.rs` | stderr-text | `ui/ch16-03-shared-state/listing-16-13-counter-moved.stderr:7` | `cargo xtask bless --filter 16-13` |"),
            "{summary}"
        );
    }

    #[test]
    fn drift_is_an_error_on_the_first_line_that_would_change() {
        let root = std::env::temp_dir().join(format!("ch16-ui-drift-{}", std::process::id()));
        let stderr = "ui/ch16-03-shared-state/listing-16-13-counter-moved.stderr";
        std::fs::create_dir_all(root.join("ui/ch16-03-shared-state")).unwrap();
        std::fs::write(root.join(stderr), "error[E0382]: x\r\n  --> a\r\n  |\r\n").unwrap();
        let changes = [
            Change::Write(stderr.into(), "error[E0382]: x\n  --> b\n  |\n".into()),
            Change::Write("ui/ch16-beyond/beyond-99-new.stderr".into(), "new\n".into()),
            Change::Remove("ui/ch16-beyond/beyond-98-old.1.97.stderr".into()),
        ];
        let bless = "cargo xtask bless --toolchain nightly";
        let (out, summary) = drift(
            &root,
            &changes,
            &["refused: x\ny".into()],
            &["ui/README.md".into()],
            bless,
        );
        std::fs::remove_dir_all(&root).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines[0].starts_with(&format!("::error file={stderr},line=2,title="))
                && lines[0].ends_with("would change (line 2); if that is right, run `cargo xtask bless --toolchain nightly`"),
            "{out}"
        );
        assert!(
            lines[1].starts_with("::error file=ui/ch16-beyond/beyond-99-new.stderr,line=1,")
                && lines[1].contains("would be created")
        );
        assert!(lines[2].contains("would be removed"));
        assert!(
            lines[3].starts_with("::error file=ui/README.md,")
                && lines[3].contains("cargo xtask catalogue")
        );
        assert_eq!(lines[4], "::error title=bless would refuse::refused: x%0Ay");
        assert_eq!(lines.len(), 5, "{out}");
        assert!(
            summary.contains(&format!("| `{stderr}` | would change |")) && summary.contains(bless),
            "{summary}"
        );
    }

    #[test]
    fn a_problem_without_a_place_is_on_the_fixture_and_a_pass_has_none() {
        let r = report(vec![Problem {
            check: Check::Outcome,
            message: "compiled, but is expected to fail".into(),
            at: None,
            fix: None,
        }]);
        assert!(
            annotations(&r).contains(
                "::error file=ui/ch16-03-shared-state/listing-16-13-counter-moved.rs,title="
            ),
            "{}",
            annotations(&r)
        );
        assert_eq!(annotations(&report(Vec::new())), "");
        assert!(step_summary(&report(Vec::new())).contains(": ok"));
    }
}
