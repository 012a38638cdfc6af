//! `cargo xtask bless` and `cargo xtask check`: one run of the suite per
//! toolchain, then either write what changed (bless) or report it (check).

use crate::error::{Error, Result};
use crate::flags::Run;
use crate::observe::{self, Observation, Step};
use ch16_ui::bless::journal::{self, Change, Pending};
use ch16_ui::bless::plan::{self, Cell, Edit, Plan};
use ch16_ui::check::report::Report;
use ch16_ui::emit::{Reader, github};
use ch16_ui::host::toolchain::{self, Rustc};
use ch16_ui::model::suite::Suite;
use ch16_ui::names::{BLESS, CATALOGUE, RECORD};
use ch16_ui::observe::BatchStatus;
use ch16_ui::problem::first_difference;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

/// Bless (write what changed) or check (write nothing, fail on drift);
/// `Ok(true)` when everything is in order.
pub fn run(root: &Path, run: &Run, bless: bool, summary: Option<&Path>) -> Result<bool> {
    let start = Instant::now();
    recover(root, bless)?;
    let suite = crate::load(root)?;
    let selected = suite.select(&run.filters).count();
    if selected == 0 {
        return Err(Error::Request(format!(
            "no fixture matches {:?}",
            run.filters
        )));
    }
    let selection = toolchain::select(&run.toolchains, &run.rustcs)?;
    for note in &selection.notes {
        println!("note: {note}");
    }
    let labels: Vec<String> = selection.compilers.iter().map(Rustc::label).collect();
    println!(
        "{} {selected} fixture(s) on {}",
        if bless { "blessing" } else { "checking" },
        labels.join(", ")
    );
    let runs = trusted(observe_all(root, &selection.compilers, &run.filters))?;
    let mut plan = plan::plan(&suite, &runs, &run.filters)?;
    // What `cargo test` takes as it is, `check` does too.
    let endings = (!bless).then(|| without_line_endings(&mut plan)).flatten();
    for edit in &plan.edits {
        println!("\n{edit}");
    }
    for r in &plan.refusals {
        println!("\nREFUSED {r}");
    }
    print_summary(&plan);
    if let Some(note) = endings {
        print!("\n{note}");
    }
    match bless {
        true => write(root, &suite, &plan, start, &runs, summary),
        false => Ok(report_drift(&suite, &runs, &mut plan, run, start)),
    }
}

/// Finish or discard an interrupted bless (check only refuses to run past a
/// committed one).
fn recover(root: &Path, bless: bool) -> Result<()> {
    match (journal::pending(root), bless) {
        (Pending::Clean, _) | (Pending::Uncommitted, false) => {}
        (Pending::Committed, false) => {
            return Err(ch16_ui::error::Error::PendingBless(journal::remaining(root)).into());
        }
        (_, true) => match journal::recover(root)? {
            Pending::Committed => {
                println!("finished the expectation update an interrupted bless had committed")
            }
            Pending::Uncommitted => println!(
                "discarded an interrupted bless that had not committed (the tree was unchanged)"
            ),
            Pending::Clean => {}
        },
    }
    Ok(())
}

/// One run per toolchain, side by side, with a progress line.
fn observe_all(root: &Path, compilers: &[Rustc], filters: &[String]) -> Vec<Observation> {
    let progress = Progress::new(compilers.iter().map(Rustc::column).collect());
    std::thread::scope(|s| {
        let handles: Vec<_> = compilers
            .iter()
            .enumerate()
            .map(|(i, rustc)| {
                let progress = &progress;
                s.spawn(move || {
                    let o =
                        observe::observe(root, rustc, filters, &|step| progress.update(i, step));
                    progress.finish(i, o.report.is_ok(), o.elapsed.as_secs_f64());
                    o
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a run's thread panicked"))
            .collect()
    })
}

/// The runs that can be trusted; any other fails the command, naming the
/// toolchain and why.
fn trusted(observations: Vec<Observation>) -> Result<Vec<(Rustc, Report)>> {
    let mut runs = Vec::new();
    let mut failures = Vec::new();
    for o in observations {
        let c = match o.report {
            // A toolchain that broke or went away mid-run is named as the cause.
            Err(e) => match toolchain::still_there(&o.rustc) {
                Err(gone) => {
                    failures.push(gone.to_string());
                    continue;
                }
                Ok(()) => {
                    failures.push(format!("{}: {e}", o.rustc.label()));
                    continue;
                }
            },
            Ok(c) => c,
        };
        // A trybuild failure that no fixture's own problems explain means
        // the run cannot be trusted.
        let explained = c
            .fixtures
            .iter()
            .any(|f| f.problems.iter().any(|p| p.check.blocks_bless()));
        let batch_failed =
            c.compile_fail.1 == BatchStatus::Failed || c.pass.1 == BatchStatus::Failed;
        if batch_failed && !explained {
            let mut reports: Vec<String> = c.logs.iter().map(|l| l.display().to_string()).collect();
            reports.extend(o.log.as_ref().map(|l| l.display().to_string()));
            let label = o.rustc.label();
            failures.push(format!(
                "{label}: trybuild failed while every fixture's own checks passed; see {}",
                reports.join(", ")
            ));
        } else {
            runs.push((o.rustc, c));
        }
    }
    match failures.is_empty() {
        true => Ok(runs),
        false => Err(Error::Untrusted(failures)),
    }
}

/// Leave out the changes that only rewrite line endings (`check`: they
/// are no drift); a note on them, if any.
fn without_line_endings(plan: &mut Plan) -> Option<String> {
    let (endings, kept): (Vec<Edit>, Vec<Edit>) =
        plan.edits.drain(..).partition(Edit::line_endings_only);
    plan.edits = kept;
    let paths: Vec<String> = endings
        .iter()
        .map(|e| e.change.path().display().to_string())
        .collect();
    (!paths.is_empty()).then(|| {
        format!(
            "note: {} expectation file(s) end their lines in CRLF; their text is what the compilers say, so this \
             is no drift, and the tests compare them as LF too. `{BLESS}` would rewrite them as LF \
             (`.gitattributes` checks them out as LF):\n  {}\n",
            paths.len(),
            paths.join("\n  ")
        )
    })
}

/// Bless: apply the plan and the pages that show it, all or nothing.
fn write(
    root: &Path,
    suite: &Suite,
    plan: &Plan,
    start: Instant,
    runs: &[(Rustc, Report)],
    summary: Option<&Path>,
) -> Result<bool> {
    let mut changes = plan.changes();
    let pages = ch16_ui::catalogue::after(suite, &changes).unwrap_or_else(|e| {
        println!("\nnote: the readers' pages are not regenerated, since they cannot be:\n{e}\n  then run `{CATALOGUE}`");
        Vec::new()
    });
    changes.extend(pages.iter().cloned());
    journal::commit(root, &changes)?;
    if let Some(file) = summary {
        let compilers: Vec<String> = runs
            .iter()
            .map(|(r, _)| format!("{} ({})", r.label(), r.commit))
            .collect();
        let text = markdown(plan, &compilers, pages.len());
        ch16_ui::host::write_atomic(file, &text).map_err(ch16_ui::error::Error::io_on(file))?;
        println!("the summary is in {}", file.display());
    }
    println!(
        "\nbless: {} file(s) written or removed, {} readers' page(s) regenerated, {} fixture(s) refused, in {:.1}s",
        plan.edits.len(),
        pages.len(),
        plan.refusals.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(plan.refusals.is_empty())
}

/// What a bless did, in Markdown (the body of the drift workflow's pull
/// request): the compilers, a row per fixture that changed, each changed
/// file's diff, the refusals and the counts.
fn markdown(plan: &Plan, compilers: &[String], pages: usize) -> String {
    let mut s = format!("## Expectations blessed on {}\n\n", compilers.join(", "));
    let changed: Vec<&(String, Vec<Cell>)> = plan
        .table
        .iter()
        .filter(|(_, row)| row.iter().any(|c| *c != Cell::Unchanged))
        .collect();
    if changed.is_empty() && plan.edits.is_empty() {
        s.push_str("No expectation changed.\n");
    }
    if !changed.is_empty() {
        s.push_str(&format!(
            "| fixture | {} |\n|---|{}\n",
            plan.toolchains.join(" | "),
            "---|".repeat(plan.toolchains.len())
        ));
        for (path, row) in &changed {
            let cells: Vec<String> = row.iter().map(ToString::to_string).collect();
            s.push_str(&format!("| `{path}` | {} |\n", cells.join(" | ")));
        }
        s.push('\n');
    }
    if !plan.edits.is_empty() {
        s.push_str("### What changed\n\n");
        for d in plan.edits.iter().map(ToString::to_string) {
            let (title, body) = d.split_once('\n').unwrap_or((d.as_str(), ""));
            s.push_str(&format!(
                "<details><summary>{title}</summary>\n\n```diff\n{body}```\n\n</details>\n\n"
            ));
        }
    }
    if !plan.refusals.is_empty() {
        s.push_str("### Refused\n\n");
        plan.refusals
            .iter()
            .for_each(|r| s.push_str(&format!("```text\n{r}\n```\n\n")));
    }
    let (files, refused) = (plan.edits.len(), plan.refusals.len());
    s + &format!(
        "{files} file(s) written or removed, {pages} readers' page(s) regenerated, {refused} fixture(s) refused.\n"
    )
}

/// Check: report drift, and the command that accepts it.
fn report_drift(
    suite: &Suite,
    runs: &[(Rustc, Report)],
    plan: &mut Plan,
    run: &Run,
    start: Instant,
) -> bool {
    // A compiler version missing from the record whose output the files
    // already give needs no new files: it is only worth recording.
    let only_record = plan
        .edits
        .iter()
        .all(|e| e.change.path() == Path::new(RECORD));
    let unchanged = plan
        .table
        .iter()
        .all(|(_, cells)| cells.iter().all(|c| *c == Cell::Unchanged));
    if only_record && plan.refusals.is_empty() && unchanged && !plan.edits.is_empty() {
        let new: Vec<String> = runs
            .iter()
            .filter(|(_, c)| !suite.record.contains(&c.version))
            .map(|(r, _)| r.column())
            .collect();
        println!(
            "\nnote: {} not recorded in {RECORD}, but its output equals what the expectations give it;\n  \
             `{BLESS}` would only record it",
            new.join(", ")
        );
        plan.edits.clear();
    }
    let stale_pages = crate::catalogue::stale(suite);
    if plan.edits.is_empty() && plan.refusals.is_empty() && stale_pages.is_empty() {
        println!(
            "\ncheck: ok, every expectation is up to date ({:.1}s)",
            start.elapsed().as_secs_f64()
        );
        return true;
    }
    let mut cmd = String::from(BLESS);
    for (i, (r, _)) in runs.iter().enumerate() {
        let changed = plan
            .table
            .iter()
            .any(|(_, cells)| cells[i] != Cell::Unchanged);
        if changed || (!plan.edits.is_empty() && runs.len() == 1) {
            cmd.push_str(&r.selector());
        }
    }
    run.filters
        .iter()
        .for_each(|f| cmd.push_str(&format!(" --filter {f}")));
    print!("{}", drift_advice(plan, &cmd, &stale_pages));
    if let Reader::GitHubActions { step_summary } = Reader::from_env() {
        let drift: Vec<github::Drift> = plan.edits.iter().map(drifted).collect();
        let (annotations, markdown) = github::drift(&drift, &plan.refusals, &stale_pages, &cmd);
        print!("{annotations}");
        if let Some(warning) = step_summary.and_then(|file| ch16_ui::host::append(&file, &markdown))
        {
            print!("{warning}");
        }
    }
    false
}

/// An edit as drift: the file, what would happen, its first changed line.
fn drifted(edit: &Edit) -> github::Drift {
    let (what, line) = match (&edit.change, &edit.old) {
        (Change::Write(_, new), Some(old)) => (
            "would change",
            first_difference(&ch16_ui::model::expect::lf(old.clone()), new),
        ),
        (Change::Write(..), None) => ("would be created", 1),
        (Change::Remove(_), _) => ("would be removed", 1),
    };
    github::Drift {
        file: edit.change.path().display().to_string(),
        what,
        line,
    }
}

/// What `check` says when it finds drift: the counts, then one whole
/// sentence per thing to do.
fn drift_advice(plan: &Plan, bless: &str, stale_pages: &[String]) -> String {
    let stale = match stale_pages.is_empty() {
        true => String::new(),
        false => format!(", readers' page(s) stale: {}", stale_pages.join(", ")),
    };
    let (files, refused) = (plan.edits.len(), plan.refusals.len());
    let mut s = format!(
        "\ncheck: FAILED: {files} file(s) would change, {refused} fixture(s) cannot be blessed{stale}.\n"
    );
    if refused > 0 {
        s.push_str("  fix the fixtures listed as REFUSED above (each says why), then run `cargo xtask check` again\n");
    }
    if files > 0 {
        s.push_str(&format!("  to accept the new output run: {bless}\n"));
    }
    if !stale_pages.is_empty() {
        s.push_str(&format!(
            "  to regenerate the readers' pages run: {CATALOGUE} (a bless regenerates them too)\n"
        ));
    }
    s
}

/// One screen: totals per toolchain, then only the fixtures that changed.
fn print_summary(plan: &Plan) {
    let all = [
        Cell::Unchanged,
        Cell::Updated,
        Cell::New,
        Cell::Removed,
        Cell::Refused,
        Cell::Held,
    ];
    println!("\nsummary ({} fixture(s)):", plan.table.len());
    for (i, t) in plan.toolchains.iter().enumerate() {
        let count = |c: &Cell| plan.table.iter().filter(|(_, row)| row[i] == *c).count();
        let counts: Vec<String> = all
            .iter()
            .map(|c| format!("{} {}", count(c), c.to_string().to_lowercase()))
            .collect();
        println!("  {t:12} {}", counts.join(", "));
    }
    let changed: Vec<&(String, Vec<Cell>)> = plan
        .table
        .iter()
        .filter(|(_, row)| row.iter().any(|c| *c != Cell::Unchanged))
        .collect();
    if changed.is_empty() {
        return;
    }
    let width = changed
        .iter()
        .map(|(p, _)| p.len())
        .max()
        .unwrap_or(7)
        .max(7);
    let col = plan
        .toolchains
        .iter()
        .map(String::len)
        .max()
        .unwrap_or(9)
        .max(9);
    let head: String = plan
        .toolchains
        .iter()
        .map(|t| format!("  {t:col$}"))
        .collect();
    println!("\n  {:width$}{head}", "fixture");
    for (path, row) in changed {
        let cells: String = row.iter().map(|c| format!("  {c:col$}")).collect();
        println!("  {path:width$}{cells}");
    }
}

/// Which toolchain has done how many fixtures, on one line.
struct Progress {
    labels: Vec<String>,
    state: Mutex<Vec<String>>,
    terminal: bool,
}

impl Progress {
    fn new(labels: Vec<String>) -> Progress {
        let state = labels.iter().map(|_| "starting".to_string()).collect();
        Progress {
            labels,
            state: Mutex::new(state),
            terminal: std::io::stdout().is_terminal(),
        }
    }

    fn update(&self, i: usize, step: Step) {
        match step {
            Step::Building => self.set(i, "building the suite".into(), true),
            Step::Running { done, total } => {
                let milestone = done == 0 || done == total || done.is_multiple_of(8);
                self.set(i, format!("{done}/{total} fixtures"), milestone)
            }
        }
    }

    fn finish(&self, i: usize, ok: bool, secs: f64) {
        self.set(
            i,
            format!("{} in {secs:.1}s", if ok { "done" } else { "FAILED" }),
            true,
        );
    }

    fn set(&self, i: usize, text: String, milestone: bool) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state[i] = text;
        let line: Vec<String> = self
            .labels
            .iter()
            .zip(state.iter())
            .map(|(l, s)| format!("[{l}] {s}"))
            .collect();
        let mut out = std::io::stdout().lock();
        // On a terminal the line is redrawn; in a log, only milestones.
        let _ = match (self.terminal, milestone) {
            (true, _) => write!(out, "\r\x1b[2K  {}", line.join("  ")),
            (false, true) => writeln!(out, "  {}", line.join("  ")),
            (false, false) => Ok(()),
        };
        if self.terminal && state.iter().all(|s| s.contains(" in ")) {
            let _ = writeln!(out);
        }
        let _ = out.flush();
    }
}
