//! GitHub Actions' view of a report: an `::error` on each problem's line,
//! grouped by section, and a Markdown summary of the run for the job.

use crate::check::report::{FixtureReport, Report};
use crate::names::CATALOGUE;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// An `::error` per problem, grouped by directory; empty when none failed.
pub fn annotations(report: &Report) -> String {
    let label = &report.label;
    let mut by_dir: BTreeMap<&str, Vec<&FixtureReport>> = BTreeMap::new();
    for f in report.fixtures.iter().filter(|f| !f.problems.is_empty()) {
        let dir = f.path.rsplit_once('/').map_or(&*f.path, |(dir, _)| dir);
        by_dir.entry(dir).or_default().push(f);
    }
    let mut s = String::new();
    for (dir, fixtures) in by_dir {
        let failing = fixtures.len();
        let _ = writeln!(s, "::group::{dir}: {failing} failing fixture(s) on {label}");
        for f in fixtures {
            for p in &f.problems {
                let title = format!("{} {} ({label})", f.path, p.check);
                s += &error(Some(&p.file), p.line, &title, &p.to_string());
            }
        }
        s += "::endgroup::\n";
    }
    s
}

/// The job summary: the counts, then each problem, where it is, the fix.
pub fn step_summary(report: &Report) -> String {
    let (failed, passed, filtered_out) = (report.failed(), report.passed(), report.filtered_out);
    let verdict = if failed == 0 { "ok" } else { "FAILED" };
    // Ignored: the exact comparisons, on a compiler never blessed.
    let ignored = usize::from(!report.blessed);
    let mut s = format!(
        "### ch16 ui suite on {}: {verdict}\n\n\
         {passed} passed, {failed} failed, {ignored} ignored, {filtered_out} filtered out\n\n",
        report.label
    );
    if failed == 0 {
        return s;
    }
    s += "| fixture | check | where | fix |\n|---|---|---|---|\n";
    for f in &report.fixtures {
        for p in &f.problems {
            let place = p
                .line
                .map_or(String::new(), |l| format!("`{}:{l}`", p.file));
            let fix = p
                .fix
                .as_ref()
                .map_or(String::new(), |f| f.action().replace('|', "\\|"));
            let _ = writeln!(s, "| `{}` | {} | {place} | {fix} |", f.path, p.check);
        }
    }
    s + "\n"
}

/// One expectation `cargo xtask check` found would change.
pub struct Drift {
    /// The file, from the suite root.
    pub file: String,
    /// `would change`, `would be created`, `would be removed`.
    pub what: &'static str,
    /// Its first line that would change.
    pub line: usize,
}

/// `cargo xtask check`'s drift as annotations and as the job summary's
/// Markdown, with the command that accepts it.
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
        let message = format!("{file} {what} (line {line}); if that is right, run `{bless}`");
        out += &error(Some(file), Some(*line), &format!("{file} {what}"), &message);
        let _ = writeln!(summary, "| `{file}` | {what} |");
    }
    for page in stale_pages {
        let message = format!("{page} is not what the fixtures give; run `{CATALOGUE}`");
        out += &error(Some(page), None, &format!("{page} is stale"), &message);
        let _ = writeln!(summary, "| `{page}` | stale page |");
    }
    for refusal in refusals {
        out += &error(None, None, "bless would refuse", refusal);
        let first = refusal.lines().next().unwrap_or_default();
        let _ = writeln!(summary, "| (refused) | {first} |");
    }
    let _ = write!(summary, "\nTo accept: `{bless}`\n\n");
    (out, summary)
}

/// An `::error` workflow command, escaped as GitHub reads it: a message's
/// line breaks and `%`, and in a property also `:` and `,`.
fn error(file: Option<&str>, line: Option<usize>, title: &str, message: &str) -> String {
    let data = |text: &str| {
        let text = text.replace('%', "%25").replace('\r', "%0D");
        text.replace('\n', "%0A")
    };
    let property = |text: &str| data(text).replace(':', "%3A").replace(',', "%2C");
    let file = file.map_or(String::new(), |f| format!("file={},", property(f)));
    let line = line.map_or(String::new(), |l| format!("line={l},"));
    let (title, message) = (property(title), data(message));
    format!("::error {file}{line}title={title}::{message}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::{Check, Problem};

    #[test]
    fn a_problem_is_an_error_on_its_line_escaped_and_a_pass_has_none() {
        let json = r#"{"label":"rustc 1.95.0","release":"1.95.0","version":{"major":1,"minor":95},
            "fixtures":[{"path":"ui/g/a.rs","id":"","codes":[],"loads":true,"observed":true,
            "problems":[],"actual":[],"compiles":1}],"compile_fail":[0,"none"],"pass":[0,"none"],
            "observed_only":false,"logs":[],"blessed":true,"record":[],"filtered_out":0,
            "rust_src_hidden":false,"run_id":"r","tree":[]}"#;
        let mut r: Report = serde_json::from_str(json).unwrap();
        assert_eq!(annotations(&r), "");
        assert!(step_summary(&r).contains(": ok"));
        let p = Problem::said(Check::StderrText, "ui/g/a,b:c.stderr", "50%\r\nx").at(7);
        r.fixtures[0].problems.push(p);
        let error = "::error file=ui/g/a%2Cb%3Ac.stderr,line=7,\
                     title=ui/g/a.rs stderr-text (rustc 1.95.0)::50%25%0D%0Ax\n";
        let group = "::group::ui/g: 1 failing fixture(s) on rustc 1.95.0\n";
        assert_eq!(annotations(&r), format!("{group}{error}::endgroup::\n"));
        let row = "| `ui/g/a.rs` | stderr-text | `ui/g/a,b:c.stderr:7` |  |";
        assert!(step_summary(&r).contains(row), "{}", step_summary(&r));
    }

    #[test]
    fn drift_is_an_error_on_the_first_line_that_would_change() {
        let (file, what, line) = ("ui/g/a.stderr".into(), "would change", 2);
        let changes = [Drift { file, what, line }];
        let bless = "cargo xtask bless --toolchain nightly";
        let stale = ["ui/README.md".into()];
        let (out, summary) = drift(&changes, &["refused: x\ny".into()], &stale, bless);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].starts_with("::error file=ui/g/a.stderr,line=2,title="));
        assert!(lines[0].ends_with(&format!("run `{bless}`")));
        assert!(lines[1].starts_with("::error file=ui/README.md,"));
        assert!(lines[1].contains("cargo xtask catalogue"));
        assert_eq!(lines[2], "::error title=bless would refuse::refused: x%0Ay");
        assert!(summary.contains("| `ui/g/a.stderr` | would change |") && summary.contains(bless));
    }
}
