//! GitHub Actions' view of a report: a workflow command per problem
//! (`::error file=…,line=…,title=…::message`), so that a drifted `.stderr`
//! is an annotation on its first differing line; the failures grouped by
//! section (`::group::`); and a Markdown summary of the run for the job.

use crate::check::report::{FixtureReport, Report};
use crate::names::CATALOGUE;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One `::error` command per problem of every failed fixture, grouped by
/// its directory. Empty when nothing failed.
pub fn annotations(report: &Report) -> String {
    let mut by_dir: BTreeMap<&str, Vec<&FixtureReport>> = BTreeMap::new();
    for f in report.fixtures.iter().filter(|f| !f.problems.is_empty()) {
        let dir = f
            .path
            .rsplit_once('/')
            .map_or(f.path.as_str(), |(dir, _)| dir);
        by_dir.entry(dir).or_default().push(f);
    }
    let mut s = String::new();
    for (dir, fixtures) in by_dir {
        let _ = writeln!(
            s,
            "::group::{dir}: {} failing fixture(s) on {}",
            fixtures.len(),
            report.label
        );
        for f in fixtures {
            for p in &f.problems {
                let line = p.line.map(|l| format!(",line={l}")).unwrap_or_default();
                let title = property(&format!("{} {} ({})", f.path, p.check, report.label));
                let _ = writeln!(
                    s,
                    "::error file={}{line},title={title}::{}",
                    property(&p.file),
                    data(&p.to_string())
                );
            }
        }
        let _ = writeln!(s, "::endgroup::");
    }
    s
}

/// The job summary: the counts, then each failing fixture's problems with
/// where they are and the fix.
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
                let place = p
                    .line
                    .map_or(String::new(), |l| format!("`{}:{l}`", p.file));
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

/// One expectation `cargo xtask check` found would change: the file, what
/// would happen to it, and the line where it would first change.
pub struct Drift {
    /// The file, from the suite root.
    pub file: String,
    /// `would change`, `would be created`, `would be removed`.
    pub what: &'static str,
    /// Its first line that would change.
    pub line: usize,
}

/// `cargo xtask check`'s drift as annotations, with the job summary's
/// Markdown: an `::error` on the first line of each expectation bless
/// would change, on each stale page, one per refusal, and the command that
/// accepts the drift.
pub fn drift(
    changes: &[Drift],
    refusals: &[String],
    stale_pages: &[String],
    bless: &str,
) -> (String, String) {
    let mut out = String::new();
    let mut summary =
        String::from("### ch16 ui: expectations drifted\n\n| file | change |\n|---|---|\n");
    for Drift { file, what, line } in changes {
        let message = data(&format!(
            "{file} {what} (line {line}); if that is right, run `{bless}`"
        ));
        let title = property(&format!("{file} {what}"));
        let _ = writeln!(
            out,
            "::error file={},line={line},title={title}::{message}",
            property(file)
        );
        let _ = writeln!(summary, "| `{file}` | {what} |");
    }
    for page in stale_pages {
        let message = data(&format!(
            "{page} is not what the fixtures give; run `{CATALOGUE}`"
        ));
        let _ = writeln!(
            out,
            "::error file={},title={}::{message}",
            property(page),
            property(&format!("{page} is stale"))
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
    use crate::problem::{Check, Fix, Problem, What};

    fn report(problems: Vec<Problem>) -> Report {
        let json = r#"{"label":"rustc 1.95.0","release":"1.95.0","version":{"major":1,"minor":95},
            "fixtures":[],"compile_fail":[0,"none"],"pass":[0,"none"],"observed_only":false,"logs":[],
            "blessed":true,"record":[],"filtered_out":0,"rust_src_hidden":false,"run_id":"r","tree":[]}"#;
        let mut r: Report = serde_json::from_str(json).unwrap();
        r.fixtures.push(FixtureReport {
            path: "ui/g/listing-16-13-counter-moved.rs".into(),
            id: "listing-16-13".into(),
            codes: vec!["E0382".into()],
            loads: true,
            observed: true,
            problems,
            actual: Vec::new(),
            compiles: 1,
        });
        r
    }

    #[test]
    fn a_problem_is_an_error_on_its_line_escaped_and_a_pass_has_none() {
        let r = report(vec![Problem {
            check: Check::StderrText,
            file: "ui/g/listing-16-13-counter-moved.stderr".into(),
            line: Some(7),
            what: What::Said("differs: 50%\n".into()),
            fix: Some(Fix::Accept {
                what: "text".into(),
                bless: crate::names::Bless::fixture("16-13"),
            }),
        }]);
        assert_eq!(
            annotations(&r).lines().collect::<Vec<_>>(),
            [
                "::group::ui/g: 1 failing fixture(s) on rustc 1.95.0",
                "::error file=ui/g/listing-16-13-counter-moved.stderr,line=7,\
                 title=ui/g/listing-16-13-counter-moved.rs stderr-text (rustc 1.95.0)\
                 ::differs: 50%25%0Afix: if the new text is right, run `cargo xtask bless --filter 16-13`; if not, change the fixture",
                "::endgroup::",
            ]
        );
        let summary = step_summary(&r);
        let row = "| `ui/g/listing-16-13-counter-moved.rs` | stderr-text | `ui/g/listing-16-13-counter-moved.stderr:7` | `cargo xtask bless --filter 16-13` |";
        assert!(
            summary.contains("FAILED") && summary.contains(row),
            "{summary}"
        );
        assert_eq!(annotations(&report(Vec::new())), "");
        assert!(step_summary(&report(Vec::new())).contains(": ok"));
    }

    #[test]
    fn drift_is_an_error_on_the_first_line_that_would_change() {
        let changes = [Drift {
            file: "ui/g/a.stderr".into(),
            what: "would change",
            line: 2,
        }];
        let bless = "cargo xtask bless --toolchain nightly";
        let (out, summary) = drift(
            &changes,
            &["refused: x\ny".into()],
            &["ui/README.md".into()],
            bless,
        );
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines[0].starts_with("::error file=ui/g/a.stderr,line=2,title=")
                && lines[0].ends_with(&format!("run `{bless}`"))
        );
        assert!(
            lines[1].starts_with("::error file=ui/README.md,")
                && lines[1].contains("cargo xtask catalogue")
        );
        assert_eq!(lines[2], "::error title=bless would refuse::refused: x%0Ay");
        assert!(
            summary.contains("| `ui/g/a.stderr` | would change |") && summary.contains(bless),
            "{summary}"
        );
    }
}
