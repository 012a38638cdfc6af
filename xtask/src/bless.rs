//! `cargo xtask bless` and `cargo xtask check`: one run of the suite per
//! toolchain, then either write what changed (bless) or report it (check).

use crate::error::{Error, Result};
use crate::flags::Flags;
use crate::observe::{self, Observation};
use ch16_ui::bless::journal::{self, Pending};
use ch16_ui::bless::plan::{self, Cell, Plan};
use ch16_ui::check::report::{BatchStatus, Report};
use ch16_ui::command::BLESS;
use ch16_ui::emit::{self, Reader, github};
use ch16_ui::host::toolchain::Rustc;
use ch16_ui::model::expect::RECORD;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

/// Which of the two commands.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write the expectations that changed.
    Bless,
    /// Write nothing; fail on drift.
    Check,
}

/// Run the command; `Ok(true)` when everything is in order.
pub fn run(root: &Path, flags: &Flags, mode: Mode) -> Result<bool> {
    let start = Instant::now();
    recover(root, mode)?;
    let suite = crate::load_each(root)?;
    let selected =
        suite.filtered(&flags.filters).count() + suite.broken_filtered(&flags.filters).count();
    if selected == 0 {
        return Err(Error::Request(format!(
            "no fixture matches {:?}",
            flags.filters
        )));
    }
    let selection = ch16_ui::host::toolchain::select(&flags.toolchains, &flags.rustcs)?;
    for note in &selection.notes {
        println!("note: {note}");
    }
    println!(
        "{} {selected} fixture(s) on {}",
        if mode == Mode::Bless {
            "blessing"
        } else {
            "checking"
        },
        selection
            .compilers
            .iter()
            .map(|c| c.label())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let observations = observe_all(root, &selection.compilers, &flags.filters);
    let runs = trusted(observations)?;
    let mut plan = plan::plan(&suite, &runs, &flags.filters)?;
    // What `cargo test` takes as it is, `check` does too.
    let endings = if mode == Mode::Check {
        plan.without_line_endings()
    } else {
        None
    };
    for d in &plan.diffs {
        println!("\n{d}");
    }
    for r in &plan.refusals {
        println!("\nREFUSED {r}");
    }
    print_summary(&plan);
    if let Some(note) = endings {
        print!("\n{note}");
    }
    match mode {
        Mode::Bless => write(root, &suite, &plan, start, &runs, flags.summary.as_deref()),
        Mode::Check => Ok(report_drift(&suite, &runs, &mut plan, flags, start)),
    }
}

/// Finish or discard an interrupted bless (check only refuses to run past a
/// committed one).
fn recover(root: &Path, mode: Mode) -> Result<()> {
    match journal::pending(root) {
        Pending::Clean => {}
        Pending::Uncommitted if mode == Mode::Check => {}
        Pending::Committed if mode == Mode::Check => {
            return Err(ch16_ui::Error::PendingBless(journal::remaining(root)).into());
        }
        _ => match journal::recover(root)? {
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

/// One harness run per toolchain, side by side, with a progress line.
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
            .map(|h| h.join().expect("observer panicked"))
            .collect()
    })
}

/// The runs that can be trusted; any other fails the command, naming the
/// toolchain and why.
fn trusted(observations: Vec<Observation>) -> Result<Vec<(Rustc, Report)>> {
    let mut runs = Vec::new();
    let mut failures = Vec::new();
    for o in observations {
        // A toolchain that broke or went away mid-run is named as the cause.
        if o.report.is_err()
            && let Err(gone) = ch16_ui::host::toolchain::still_there(&o.rustc)
        {
            failures.push(gone.to_string());
            continue;
        }
        match o.report {
            Err(e) => failures.push(format!("{}: {e}", o.rustc.label())),
            Ok(c) => {
                // A trybuild failure that no fixture's own problems explain
                // means the run cannot be trusted.
                let explained = c
                    .fixtures
                    .iter()
                    .any(|f| f.problems.iter().any(|p| p.check.blocks_bless()));
                if (c.compile_fail.1 == BatchStatus::Failed || c.pass.1 == BatchStatus::Failed)
                    && !explained
                {
                    let mut reports: Vec<String> =
                        c.logs.iter().map(|l| l.display().to_string()).collect();
                    reports.extend(o.log.as_ref().map(|l| l.display().to_string()));
                    failures.push(format!(
                        "{}: trybuild failed while every fixture's own checks passed; see {}",
                        o.rustc.label(),
                        reports.join(", ")
                    ));
                } else {
                    runs.push((o.rustc, c));
                }
            }
        }
    }
    if !failures.is_empty() {
        return Err(Error::Untrusted(failures));
    }
    Ok(runs)
}

/// Bless: apply the plan, all or nothing.
fn write(
    root: &Path,
    suite: &ch16_ui::Suite,
    plan: &Plan,
    start: Instant,
    runs: &[(Rustc, Report)],
    summary: Option<&Path>,
) -> Result<bool> {
    // The readers' pages show the expectations: they change with them, in
    // the same all-or-nothing update.
    let mut changes = plan.changes.clone();
    let pages = match ch16_ui::catalogue::after(suite, &plan.changes) {
        Ok(pages) => pages,
        Err(e) => {
            println!(
                "\nnote: the readers' pages are not regenerated, since they cannot be:\n{e}\n  \
                 then run `{}`",
                ch16_ui::catalogue::COMMAND
            );
            Vec::new()
        }
    };
    changes.extend(pages.iter().cloned());
    journal::commit(root, &changes)?;
    if let Some(file) = summary {
        let compilers: Vec<String> = runs
            .iter()
            .map(|(r, _)| format!("{} ({})", r.label(), r.commit))
            .collect();
        ch16_ui::host::fsutil::write_atomic(file, &plan.markdown(&compilers, pages.len()))
            .map_err(ch16_ui::Error::io_on(file))?;
        println!("the summary is in {}", file.display());
    }
    println!(
        "\nbless: {} file(s) written or removed, {} readers' page(s) regenerated, {} fixture(s) refused, in {:.1}s",
        plan.changes.len(),
        pages.len(),
        plan.refusals.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(plan.refusals.is_empty())
}

/// Check: report drift, and the command that accepts it.
fn report_drift(
    suite: &ch16_ui::Suite,
    runs: &[(Rustc, Report)],
    plan: &mut Plan,
    flags: &Flags,
    start: Instant,
) -> bool {
    // A compiler version missing from the record whose output the
    // existing files already give exactly needs no new files; it is
    // only worth recording, which is not drift.
    if plan.changes.iter().all(|c| c.path() == Path::new(RECORD))
        && plan.refusals.is_empty()
        && plan
            .table
            .iter()
            .all(|(_, cells)| cells.iter().all(|c| *c == plan::Cell::Unchanged))
        && !plan.changes.is_empty()
    {
        println!(
            "\nnote: {} not recorded in {RECORD}, but its output equals what the expectations give it;\n  \
             `{BLESS}` would only record it",
            runs.iter()
                .filter(|(_, c)| !suite.record.contains(&c.version))
                .map(|(r, _)| r.column())
                .collect::<Vec<_>>()
                .join(", ")
        );
        plan.changes.clear();
    }
    let stale_pages = crate::catalogue::stale(suite);
    let drift = !plan.changes.is_empty() || !plan.refusals.is_empty() || !stale_pages.is_empty();
    if drift {
        let mut cmd = String::from(ch16_ui::command::BLESS);
        for (i, (r, _)) in runs.iter().enumerate() {
            let changed = plan
                .table
                .iter()
                .any(|(_, cells)| cells[i] != plan::Cell::Unchanged);
            if changed || (!plan.changes.is_empty() && runs.len() == 1) {
                cmd.push_str(&r.selector());
            }
        }
        for f in &flags.filters {
            cmd.push_str(&format!(" --filter {f}"));
        }
        print!("{}", plan.drift_advice(&cmd, &stale_pages));
        if let Reader::GitHubActions { step_summary } = Reader::from_env() {
            let (annotations, markdown) = github::drift(
                &suite.root,
                &plan.changes,
                &plan.refusals,
                &stale_pages,
                &cmd,
            );
            print!("{annotations}");
            if let Some(warning) = step_summary
                .as_deref()
                .and_then(|file| emit::append_step_summary(file, &markdown))
            {
                print!("{warning}");
            }
        }
    } else {
        println!(
            "\ncheck: ok, every expectation is up to date ({:.1}s)",
            start.elapsed().as_secs_f64()
        );
    }
    !drift
}

/// One screen: totals per toolchain, then only the fixtures that changed.
fn print_summary(plan: &Plan) {
    let cells = [
        Cell::Unchanged,
        Cell::Updated,
        Cell::New,
        Cell::Removed,
        Cell::Refused,
        Cell::Held,
    ];
    println!("\nsummary ({} fixture(s)):", plan.table.len());
    for (i, t) in plan.toolchains.iter().enumerate() {
        let counts: Vec<String> = cells
            .iter()
            .map(|c| {
                let n = plan.table.iter().filter(|(_, row)| row[i] == *c).count();
                format!("{n} {}", c.to_string().to_lowercase())
            })
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
    print!("\n  {:width$}", "fixture");
    for t in &plan.toolchains {
        print!("  {t:col$}");
    }
    println!();
    for (path, row) in changed {
        print!("  {path:width$}");
        for c in row {
            print!("  {c:col$}");
        }
        println!();
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

    fn update(&self, i: usize, step: observe::Step) {
        match step {
            observe::Step::Building => self.set(i, "building the suite".into(), true),
            observe::Step::Running { done, total } => self.set(
                i,
                format!("{done}/{total} fixtures"),
                done == 0 || done == total || done.is_multiple_of(8),
            ),
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
        let _ = if self.terminal {
            write!(out, "\r\x1b[2K  {}", line.join("  "))
        } else if milestone {
            writeln!(out, "  {}", line.join("  "))
        } else {
            Ok(())
        };
        let all_done = state.iter().all(|s| s.contains(" in "));
        if self.terminal && all_done {
            let _ = writeln!(out);
        }
        let _ = out.flush();
    }
}
