//! `cargo xtask bless` and `cargo xtask check`: one run of the suite per
//! toolchain, then either write what changed (bless) or report it (check).

use crate::error::{Error, Result, request};
use crate::flags::Run;
use crate::observe::{self, Observation, Step};
use ch16_ui::bless::journal::{self, Change, Pending};
use ch16_ui::bless::plan::{self, Cell, Edit, Plan};
use ch16_ui::check::report::Report;
use ch16_ui::emit::{Reader, github};
use ch16_ui::host::toolchain::{self, Rustc};
use ch16_ui::model::expect::lf;
use ch16_ui::model::suite::Suite;
use ch16_ui::names::{BLESS, CATALOGUE, RECORD};
use ch16_ui::observe::BatchStatus;
use ch16_ui::problem::first_difference;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

/// The runs that can be trusted: each compiler, and what it observed.
type Runs = [(Rustc, Report)];

/// Bless (write what changed) or check (write nothing, fail on drift);
/// `Ok(true)` when everything is in order.
pub fn run(root: &Path, run: &Run) -> Result<bool> {
    let start = Instant::now();
    recover(root, run.bless)?;
    let suite = crate::load(root)?;
    let selected = suite.select(&run.filters).count();
    if selected == 0 {
        return request(format!("no fixture matches {:?}", run.filters));
    }
    let selection = toolchain::select(&run.toolchains, &run.rustcs)?;
    selection.notes.iter().for_each(|n| println!("note: {n}"));
    let labels: Vec<String> = selection.compilers.iter().map(Rustc::label).collect();
    let doing = if run.bless { "blessing" } else { "checking" };
    println!("{doing} {selected} fixture(s) on {}", labels.join(", "));
    let runs = trusted(observe_all(root, &selection.compilers, &run.filters))?;
    let mut plan = plan::plan(&suite, &runs, &run.filters)?;
    // What `cargo test` takes as it is, `check` does too.
    let endings = (!run.bless).then(|| without_line_endings(&mut plan));
    plan.edits.iter().for_each(|edit| println!("\n{edit}"));
    plan.refusals.iter().for_each(|r| println!("\nREFUSED {r}"));
    print_summary(&plan);
    if let Some(note) = endings.flatten() {
        print!("\n{note}");
    }
    match run.bless {
        true => write(&suite, &runs, &plan, run, start),
        false => Ok(report_drift(&suite, &runs, &mut plan, run, start)),
    }
}

/// Finish or discard an interrupted bless, and remove what it left (check
/// only refuses to run past a committed one).
fn recover(root: &Path, bless: bool) -> Result<()> {
    if !bless {
        return match journal::pending(root) {
            Pending::Committed => Err(journal::unfinished(root).into()),
            _ => Ok(()),
        };
    }
    match journal::recover(root)? {
        Pending::Committed => {
            println!("finished the expectation update an interrupted bless had committed")
        }
        Pending::Uncommitted => println!(
            "discarded an interrupted bless that had not committed (the tree was unchanged)"
        ),
        Pending::Clean => {}
    }
    Ok(())
}

/// One run per toolchain, side by side, with one progress line (redrawn on
/// a terminal, else printed at milestones).
fn observe_all(root: &Path, compilers: &[Rustc], filters: &[String]) -> Vec<(Rustc, Observation)> {
    let starting = |r: &Rustc| (r.column(), "starting".to_string());
    let state = Mutex::new(compilers.iter().map(starting).collect::<Vec<_>>());
    let set = |i: usize, text: String, milestone: bool| {
        let mut state = state.lock().unwrap_or_else(|p| p.into_inner());
        state[i].1 = text;
        let line: Vec<String> = state.iter().map(|(l, s)| format!("[{l}] {s}")).collect();
        let (line, mut out) = (line.join("  "), std::io::stdout().lock());
        let terminal = out.is_terminal();
        let _ = match (terminal, milestone) {
            (true, _) => write!(out, "\r\x1b[2K  {line}"),
            (false, true) => writeln!(out, "  {line}"),
            (false, false) => Ok(()),
        };
        if terminal && state.iter().all(|(_, s)| s.contains(" in ")) {
            let _ = writeln!(out);
        }
        let _ = out.flush();
    };
    let step = |i, step| match step {
        Step::Building => set(i, "building the suite".into(), true),
        Step::Running { done, total } => {
            let milestone = done == 0 || done == total || done.is_multiple_of(8);
            set(i, format!("{done}/{total} fixtures"), milestone)
        }
    };
    let run = |(i, rustc): (usize, &Rustc)| {
        let start = Instant::now();
        let o = observe::observe(root, rustc, filters, &|s| step(i, s));
        let done = if o.0.is_ok() { "done" } else { "FAILED" };
        let secs = start.elapsed().as_secs_f64();
        set(i, format!("{done} in {secs:.1}s"), true);
        (rustc.clone(), o)
    };
    std::thread::scope(|s| {
        let spawn = |c| s.spawn(move || run(c));
        let runs: Vec<_> = compilers.iter().enumerate().map(spawn).collect();
        let join = |h: std::thread::ScopedJoinHandle<_>| h.join().expect("a run's thread panicked");
        runs.into_iter().map(join).collect()
    })
}

/// The runs that can be trusted; any other fails the command, naming the
/// toolchain and why.
fn trusted(observations: Vec<(Rustc, Observation)>) -> Result<Vec<(Rustc, Report)>> {
    let mut runs = Vec::new();
    let mut failures = Vec::new();
    for (rustc, (report, log)) in observations {
        let label = rustc.label();
        match report {
            // A toolchain that broke or went away mid-run is named as the cause.
            Err(e) => failures.push(match toolchain::still_there(&rustc) {
                Err(gone) => gone.to_string(),
                Ok(()) => format!("{label}: {e}"),
            }),
            // A trybuild failure no fixture's problems explain: not to be trusted.
            Ok(c) if unexplained(&c) => {
                let logs = c.logs.iter().chain(&log).map(|l| l.display().to_string());
                let logs = logs.collect::<Vec<_>>().join(", ");
                failures.push(format!(
                    "{label}: trybuild failed while every fixture's own checks passed; see {logs}"
                ));
            }
            Ok(c) => runs.push((rustc, c)),
        }
    }
    let trusted = failures.is_empty();
    trusted.then_some(runs).ok_or(Error::Untrusted(failures))
}

/// Whether a batch of the run failed while no fixture's problems say why.
fn unexplained(c: &Report) -> bool {
    let failed = [c.compile_fail.1, c.pass.1].contains(&BatchStatus::Failed);
    let mut problems = c.fixtures.iter().flat_map(|f| &f.problems);
    failed && !problems.any(|p| p.check.blocks_bless())
}

/// Leave out the changes that only rewrite line endings (`check`: they
/// are no drift); a note on them, if any.
fn without_line_endings(plan: &mut Plan) -> Option<String> {
    let endings = plan.edits.extract_if(.., |e| e.line_endings_only());
    let path = |e: Edit| e.change.path().display().to_string();
    let paths: Vec<String> = endings.map(path).collect();
    let (n, list) = (paths.len(), paths.join("\n  "));
    (n > 0).then(|| {
        format!(
            "note: {n} expectation file(s) end their lines in CRLF; their text is what the compilers say, so this \
             is no drift, and the tests compare them as LF too. `{BLESS}` would rewrite them as LF \
             (`.gitattributes` checks them out as LF):\n  {list}\n"
        )
    })
}

/// Bless: apply the plan and the pages that show it, all or nothing.
fn write(suite: &Suite, runs: &Runs, plan: &Plan, run: &Run, start: Instant) -> Result<bool> {
    let mut changes = plan.changes();
    let pages = ch16_ui::catalogue::after(suite, &changes).unwrap_or_else(|e| {
        println!("\nnote: the readers' pages are not regenerated, since they cannot be:\n{e}\n  then run `{CATALOGUE}`");
        Vec::new()
    });
    changes.extend(pages.iter().cloned());
    let (files, pages, refused) = (plan.edits.len(), pages.len(), plan.refusals.len());
    journal::commit(&suite.root, &changes)?;
    if let Some(file) = &run.summary {
        let compiler = |(r, _): &(Rustc, Report)| format!("{} ({})", r.label(), r.commit);
        let compilers: Vec<String> = runs.iter().map(compiler).collect();
        let text = markdown(plan, &compilers, pages);
        ch16_ui::host::write_atomic(file, &text).map_err(ch16_ui::error::Error::io_on(file))?;
        println!("the summary is in {}", file.display());
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "\nbless: {files} file(s) written or removed, {pages} readers' page(s) regenerated, {refused} fixture(s) refused, in {secs:.1}s"
    );
    Ok(plan.refusals.is_empty())
}

/// The rows of the plan's table where something changed.
fn changed(plan: &Plan) -> Vec<&(String, Vec<Cell>)> {
    let changed = |(_, row): &&(String, Vec<Cell>)| row.iter().any(|c| *c != Cell::Unchanged);
    plan.table.iter().filter(changed).collect()
}

/// What a bless did, in Markdown: the body of the drift workflow's pull
/// request.
fn markdown(plan: &Plan, compilers: &[String], pages: usize) -> String {
    let mut s = format!("## Expectations blessed on {}\n\n", compilers.join(", "));
    let changed = changed(plan);
    if changed.is_empty() && plan.edits.is_empty() {
        s.push_str("No expectation changed.\n");
    }
    if !changed.is_empty() {
        let head = plan.toolchains.join(" | ");
        let rule = "---|".repeat(plan.toolchains.len());
        let _ = writeln!(s, "| fixture | {head} |\n|---|{rule}");
        for (path, row) in &changed {
            let cells: Vec<String> = row.iter().map(ToString::to_string).collect();
            let _ = writeln!(s, "| `{path}` | {} |", cells.join(" | "));
        }
        s.push('\n');
    }
    if !plan.edits.is_empty() {
        s.push_str("### What changed\n\n");
    }
    for d in plan.edits.iter().map(ToString::to_string) {
        let (title, body) = d.split_once('\n').unwrap_or((d.as_str(), ""));
        let _ = write!(
            s,
            "<details><summary>{title}</summary>\n\n```diff\n{body}```\n\n</details>\n\n"
        );
    }
    if !plan.refusals.is_empty() {
        s.push_str("### Refused\n\n");
    }
    for r in &plan.refusals {
        let _ = write!(s, "```text\n{r}\n```\n\n");
    }
    let (files, refused) = (plan.edits.len(), plan.refusals.len());
    s + &format!(
        "{files} file(s) written or removed, {pages} readers' page(s) regenerated, {refused} fixture(s) refused.\n"
    )
}

/// Check: report drift, and the command that accepts it.
fn report_drift(suite: &Suite, runs: &Runs, plan: &mut Plan, run: &Run, start: Instant) -> bool {
    // An unrecorded version the files already give is only worth recording.
    let only_record = plan.edits.iter().all(|e| e.change.path() == RECORD);
    let unchanged = changed(plan).is_empty() && plan.refusals.is_empty();
    if only_record && unchanged && !plan.edits.is_empty() {
        let new = runs.iter().filter(|(_, c)| !suite.is_blessed(c.version));
        let new = new.map(|(r, _)| r.column()).collect::<Vec<_>>().join(", ");
        println!(
            "\nnote: {new} not recorded in {RECORD}, but its output equals what the expectations give it;\n  \
             `{BLESS}` would only record it"
        );
        plan.edits.clear();
    }
    let stale_pages = crate::catalogue::stale(suite);
    // A recorded compiler none of these has: not a failure (the suite
    // passes with the compilers installed), said before the verdict.
    let ran: Vec<Rustc> = runs.iter().map(|(r, _)| r.clone()).collect();
    let unchecked = crate::unchecked::lines(suite, run, &ran);
    print!(
        "{}{unchecked}",
        if unchecked.is_empty() { "" } else { "\n" }
    );
    if plan.edits.is_empty() && plan.refusals.is_empty() && stale_pages.is_empty() {
        let secs = start.elapsed().as_secs_f64();
        let checked = match unchecked.is_empty() {
            true => "every expectation is up to date",
            false => {
                "every expectation checked is up to date; the UNCHECKED versions above were not"
            }
        };
        println!("\ncheck: ok, {checked} ({secs:.1}s)");
        return true;
    }
    let mut cmd = String::from(BLESS);
    for (i, (r, _)) in runs.iter().enumerate() {
        let changed = plan.table.iter().any(|(_, row)| row[i] != Cell::Unchanged);
        if changed || (!plan.edits.is_empty() && runs.len() == 1) {
            cmd.push_str(&r.selector());
        }
    }
    cmd.extend(run.filters.iter().map(|f| format!(" --filter {f}")));
    print!("{}", drift_advice(plan, &cmd, &stale_pages));
    if let Reader::GitHubActions { step_summary } = Reader::from_env() {
        let drift: Vec<github::Drift> = plan.edits.iter().map(drifted).collect();
        let (annotations, markdown) = github::drift(&drift, &plan.refusals, &stale_pages, &cmd);
        print!("{annotations}");
        let append = |file: PathBuf| ch16_ui::host::append(&file, &markdown);
        if let Some(warning) = step_summary.and_then(append) {
            print!("{warning}");
        }
    }
    false
}

/// An edit as drift: the file, what would happen, its first changed line.
fn drifted(edit: &Edit) -> github::Drift {
    let (what, line) = match (&edit.change, &edit.old) {
        (Change::Write(_, new), Some(old)) => {
            ("would change", first_difference(&lf(old.clone()), new))
        }
        (Change::Write(..), None) => ("would be created", 1),
        (Change::Remove(_), _) => ("would be removed", 1),
    };
    let file = edit.change.path().display().to_string();
    github::Drift { file, what, line }
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
        let _ = writeln!(s, "  to accept the new output run: {bless}");
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
    use Cell::{Held, New, Refused, Removed, Unchanged, Updated};
    let all = [Unchanged, Updated, New, Removed, Refused, Held];
    println!("\nsummary ({} fixture(s)):", plan.table.len());
    for (i, t) in plan.toolchains.iter().enumerate() {
        let count = |c: &Cell| plan.table.iter().filter(|(_, row)| row[i] == *c).count();
        let count = |c: &Cell| format!("{} {}", count(c), c.to_string().to_lowercase());
        let counts: Vec<String> = all.iter().map(count).collect();
        println!("  {t:12} {}", counts.join(", "));
    }
    let changed = changed(plan);
    if changed.is_empty() {
        return;
    }
    let width = changed.iter().map(|(p, _)| p.len()).fold(7, usize::max);
    let col = plan.toolchains.iter().map(String::len).fold(9, usize::max);
    let head = plan.toolchains.iter().map(|t| format!("  {t:col$}"));
    let head: String = head.collect();
    println!("\n  {:width$}{head}", "fixture");
    for (path, row) in changed {
        let cells: String = row.iter().map(|c| format!("  {c:col$}")).collect();
        println!("  {path:width$}{cells}");
    }
}
