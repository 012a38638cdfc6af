//! `cargo xtask bless` and `cargo xtask check`: one run of the suite per
//! toolchain, then either write what changed (bless) or report it (check).

use crate::flags::Flags;
use crate::observe::{self, Observation};
use crate::plan::{self, Plan};
use ch16_ui::collect::Batch;
use ch16_ui::journal::{self, Pending};
use ch16_ui::{Suite, check::Check};
use std::path::Path;
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
pub fn run(root: &Path, flags: &Flags, mode: Mode) -> Result<bool, String> {
    let start = Instant::now();
    match journal::pending(root) {
        Pending::Clean => {}
        Pending::Uncommitted if mode == Mode::Check => {}
        Pending::Committed if mode == Mode::Check => {
            return Err(format!(
                "`{}` holds an interrupted bless; run `cargo xtask bless` to finish it first",
                journal::PENDING
            ));
        }
        _ => match journal::recover(root).map_err(|e| e.to_string())? {
            Pending::Committed => {
                println!("finished the expectation update an interrupted bless had committed")
            }
            Pending::Uncommitted => println!(
                "discarded an interrupted bless that had not committed (the tree was unchanged)"
            ),
            Pending::Clean => {}
        },
    }
    let suite = Suite::load(root).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        format!(
            "the fixture tree has {} problem(s):\n{}",
            errors.len(),
            list.join("\n")
        )
    })?;
    let selected = suite.filtered(&flags.filters).count();
    if selected == 0 {
        return Err(format!("no fixture matches {:?}", flags.filters));
    }
    let selection = ch16_ui::toolchain::select(&flags.toolchains)?;
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

    // One harness run per toolchain, side by side.
    let observations: Vec<Observation> = std::thread::scope(|s| {
        let handles: Vec<_> = selection
            .compilers
            .iter()
            .map(|rustc| {
                s.spawn(move || {
                    let o = observe::observe(root, rustc, &flags.filters);
                    println!(
                        "  [{}] {} in {:.1}s",
                        plan::label(rustc),
                        if o.collected.is_ok() { "ran" } else { "FAILED" },
                        o.elapsed.as_secs_f64()
                    );
                    o
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("observer panicked"))
            .collect()
    });

    let mut runs = Vec::new();
    let mut failures = Vec::new();
    for o in observations {
        match o.collected {
            Err(e) => failures.push(format!("{}: {e}", o.rustc.label())),
            Ok(c) => {
                // A trybuild failure that no fixture's own problems explain
                // means the run cannot be trusted.
                let explained = c
                    .fixtures
                    .iter()
                    .any(|f| f.problems.iter().any(|p| p.check == Check::Outcome));
                if (c.compile_fail == Batch::Failed || c.pass == Batch::Failed) && !explained {
                    failures.push(format!(
                        "{}: trybuild failed while every fixture's own checks passed; see target/ui/{}/collect.log",
                        o.rustc.label(),
                        o.rustc.key()
                    ));
                } else {
                    runs.push((o.rustc, c));
                }
            }
        }
    }
    if !failures.is_empty() {
        return Err(format!("{}\n  nothing was changed", failures.join("\n")));
    }

    let plan = plan::plan(&suite, &runs, &flags.filters)?;
    for d in &plan.diffs {
        println!("\n{d}");
    }
    print_table(&plan);
    for r in &plan.refusals {
        println!("\nREFUSED {r}");
    }

    let ok = match mode {
        Mode::Bless => {
            journal::commit(root, &plan.changes).map_err(|e| e.to_string())?;
            println!(
                "\nbless: {} file(s) written or removed, {} fixture(s) refused, in {:.1}s",
                plan.changes.len(),
                plan.refusals.len(),
                start.elapsed().as_secs_f64()
            );
            plan.refusals.is_empty()
        }
        Mode::Check => {
            let drift = !plan.changes.is_empty() || !plan.refusals.is_empty();
            if drift {
                let mut cmd = String::from("cargo xtask bless");
                for (i, (r, _)) in runs.iter().enumerate() {
                    if plan
                        .table
                        .iter()
                        .any(|(_, cells)| cells[i] != plan::Cell::Unchanged)
                        || !plan.changes.is_empty() && runs.len() == 1
                    {
                        cmd.push_str(&format!(" --toolchain {}", plan::label(r)));
                    }
                }
                for f in &flags.filters {
                    cmd.push_str(&format!(" --filter {f}"));
                }
                println!(
                    "\ncheck: FAILED: {} file(s) would change, {} fixture(s) cannot be blessed.",
                    plan.changes.len(),
                    plan.refusals.len()
                );
                if !plan.refusals.is_empty() {
                    println!("  fix the fixtures listed as REFUSED above, then");
                }
                println!("  to accept the new output run: {cmd}");
            } else {
                println!(
                    "\ncheck: ok, every expectation is up to date ({:.1}s)",
                    start.elapsed().as_secs_f64()
                );
            }
            !drift
        }
    };
    Ok(ok)
}

fn print_table(plan: &Plan) {
    let width = plan
        .table
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
    print!("\n{:width$}", "fixture");
    for t in &plan.toolchains {
        print!("  {t:col$}");
    }
    println!();
    for (path, cells) in &plan.table {
        print!("{path:width$}");
        for c in cells {
            print!("  {c:col$}");
        }
        println!();
    }
}
