//! The terminal's view of a report: counts per check, the batches, notes
//! on what was hidden or skipped, then only what failed, each problem with
//! its message and fix. A few lines however many fixtures pass.

use crate::check::report::{BatchStatus, FixtureReport, Report};
use crate::check::{Check, Problem};
use crate::command::BLESS;
use crate::observe::CHECKER;
use std::fmt::Write as _;

/// The human summary, ending before the libtest-style result line:
/// [`overview`], then only what failed (every fixture with `list_all`),
/// each as [`failure`] gives it.
pub fn summary(r: &Report, toolchain_hint: Option<&str>, list_all: bool) -> String {
    let mut s = overview(r, toolchain_hint);
    for f in &r.fixtures {
        if f.problems.is_empty() {
            if list_all {
                let _ = writeln!(s, "  ok   {}  {}", f.path, f.describe);
            }
            continue;
        }
        let _ = write!(s, "\n{}", failure(f));
    }
    s
}

/// What a run did as a whole, in a few lines however many fixtures pass:
/// counts per check, trybuild's batches, the compiles, notes on what was
/// hidden or skipped, and the tree's own problems.
pub fn overview(r: &Report, toolchain_hint: Option<&str>) -> String {
    let mut s = String::new();
    let compile_fail = r.fixtures.iter().filter(|f| f.compile_fail).count();
    let broken = r
        .fixtures
        .iter()
        .filter(|f| f.problems.iter().any(|p| p.check == Check::Load))
        .count();
    let _ = writeln!(
        s,
        "  {} on {}: {} fixture(s), {compile_fail} compile-fail and {} runnable{}{}",
        if r.observed_only {
            "observed"
        } else {
            "checked"
        },
        r.label,
        r.fixtures.len(),
        r.fixtures.len() - compile_fail - broken,
        if broken > 0 {
            format!(", {broken} that do(es) not load")
        } else {
            String::new()
        },
        if r.filtered_out > 0 {
            format!(" ({} filtered out)", r.filtered_out)
        } else {
            String::new()
        }
    );
    check_lines(r, &mut s);
    batch_lines(r, &mut s);
    let compiles = r.compiles();
    let _ = writeln!(
        s,
        "  --   rustc ran {} time(s) in this run, for {} fixture(s); cargo kept the rest",
        compiles.iter().map(|(_, n)| n).sum::<usize>(),
        compiles.iter().filter(|(_, n)| *n > 0).count(),
    );
    notes(r, &mut s, toolchain_hint);
    if !r.tree.is_empty() {
        let _ = write!(s, "\n{}", tree_failure(&r.tree));
    }
    s
}

/// One failed fixture: its path and what it is, then each problem with its
/// fix.
pub fn failure(f: &FixtureReport) -> String {
    let mut s = format!("FAIL {}  {}\n", f.path, f.describe);
    for p in &f.problems {
        let _ = match p.check {
            Check::NotObserved => writeln!(s, "  {}", p.text().replace('\n', "\n  ")),
            _ => writeln!(s, "  {}: {}", p.check, p.text().replace('\n', "\n  ")),
        };
    }
    s
}

/// The tree's own problems (none: empty).
pub fn tree_failure(tree: &[Problem]) -> String {
    if tree.is_empty() {
        return String::new();
    }
    let mut s = format!(
        "FAIL the fixture tree (ui/): {} problem(s) of no one fixture\n",
        tree.len()
    );
    for p in tree {
        let _ = writeln!(s, "  {}", p.text().replace('\n', "\n  "));
    }
    s
}

/// One line per check ([`crate::check::CHECKS`]): how many fixtures it
/// applied to, how many passed.
fn check_lines(r: &Report, s: &mut String) {
    for line in crate::check::lines(r) {
        let mark = match () {
            _ if line.skipped => "--  ",
            _ if line.failed == 0 => "ok  ",
            _ => "FAIL",
        };
        let _ = writeln!(
            s,
            "  {mark} {}: {}/{}",
            line.title,
            line.of - line.failed,
            line.of
        );
    }
}

/// trybuild's batches: how they ended, and where their reports are when
/// they failed.
fn batch_lines(r: &Report, s: &mut String) {
    for (name, (count, batch)) in [
        ("compile-fail batch", &r.compile_fail),
        ("pass batches", &r.pass),
    ] {
        let _ = match batch {
            BatchStatus::None => Ok(()),
            BatchStatus::Ok => writeln!(s, "  ok   {CHECKER} {name}: {count} fixture(s)"),
            BatchStatus::Failed => writeln!(
                s,
                "  FAIL {CHECKER} {name}: {count} fixture(s), failures below"
            ),
        };
    }
    for log in &r.logs {
        let _ = writeln!(s, "       {CHECKER}'s own report: {}", log.display());
    }
}

/// What was hidden or skipped, and how to cover it.
fn notes(r: &Report, s: &mut String, toolchain_hint: Option<&str>) {
    if r.rust_src_hidden {
        let _ = writeln!(
            s,
            "  note: rust-src is installed; fixtures were compiled against a sysroot without std's sources,\n    \
             so the diagnostics are those of a toolchain without rust-src"
        );
    }
    if r.ignored() > 0 {
        let stderr = r.fixtures.iter().filter(|f| f.compile_fail).count();
        let stdout = r.fixtures.len() - stderr;
        let record = if r.record.is_empty() {
            "none".to_string()
        } else {
            r.record
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            s,
            "  SKIPPED exact comparisons: expectations were never blessed for this compiler's version\n    \
             (ui/toolchains.txt lists {record}), so {stderr} .stderr comparison(s) ({CHECKER}) and {stdout} .stdout\n    \
             comparison(s) were not made; outcome, annotations and output promises were checked.\n    \
             To cover this compiler: {BLESS}{}",
            toolchain_hint
                .map(|t| format!(" --toolchain {t}"))
                .unwrap_or_default()
        );
    }
}
