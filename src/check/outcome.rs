//! The outcome and what a program did: a compile-fail fixture fails to
//! compile and a runnable one compiles, runs to a clean exit within its time
//! limit and prints what its header promises; the compiler's errors and
//! warnings are the ones annotated.

use super::{Context, compare, indent, tail};
use crate::model::annotation;
use crate::model::expect::Kind;
use crate::model::header::Expect;
use crate::model::output;
use crate::observe::record::{Execution, Exit};
use crate::problem::{Check, Problem};

/// Whether it fails or builds as its header says, and the compiler ran cleanly.
pub(super) fn outcome(cx: &Context) -> Vec<Problem> {
    let (outcome, header) = (cx.outcome, &cx.fixture.1.header);
    let said = |text: String| Problem::said(Check::Outcome, cx.file(), text);
    let mut found = Vec::new();
    if let Some(trouble) = &outcome.compiler_trouble {
        found.push(said(format!(
            "the compiler did not run cleanly:\n{}",
            indent(trouble)
        )));
    }
    match (&header.expect, outcome.compiled) {
        (Expect::CompileFail(codes), true) => found.push(
            said(format!(
                "compiled, but is expected to fail with {}",
                codes.join(" ")
            ))
            .edit("make it fail again, or change `expect` to `run`"),
        ),
        (Expect::Run, false) => {
            let errors: Vec<String> = outcome
                .diagnostics
                .iter()
                .map(|d| format!("{} {}", annotation::show(&d.expected), d.message))
                .collect();
            let list = indent(&errors.join("\n"));
            found.push(said(format!(
                "did not compile, but is expected to run:\n{list}"
            )));
        }
        _ => {}
    }
    found
}

/// The `//~` annotations against the compiler's diagnostics. A runnable
/// fixture that did not compile already says so, with its errors.
pub(super) fn annotations(cx: &Context) -> Option<Problem> {
    let listing = cx.fixture.1;
    if listing.header.expect == Expect::Run && !cx.outcome.compiled {
        return None;
    }
    annotation::compare(&cx.file(), &listing.annotations, &cx.outcome.diagnostics)
}

/// The run: a clean exit within the time limit, output that keeps the
/// header's promises and equals `.stdout` (and with `stderr: exact`, a
/// stderr that equals `.stderr`, thread ids normalised). Also the canonical
/// output and stderr, for bless.
pub(super) fn run(cx: &Context, run: &Execution) -> (Vec<Problem>, Option<String>, Option<String>) {
    let header = &cx.fixture.1.header;
    let said = |check, text: String| vec![Problem::said(check, cx.file(), text)];
    match run.exit {
        Exit::TimedOut => {
            let limit = header.timeout.as_secs();
            let text = format!(
                "timed out: killed after {limit} s; if it is meant to take longer, raise `timeout:` in its header\n{}",
                tail("stdout", &run.stdout)
            );
            return (said(Check::Outcome, text), None, None);
        }
        Exit::Code(0) => {}
        exit => {
            let text = format!(
                "exited with {}, expected success\n{}",
                exit.describe(),
                tail("stderr", &run.stderr)
            );
            return (said(Check::Outcome, text), None, None);
        }
    }
    let Some(spec) = &header.output else {
        return (Vec::new(), None, None);
    };
    let stdout = match spec.canonical(&run.stdout) {
        Ok(canonical) => output::normalize(&canonical),
        Err(why) => {
            return (
                said(
                    Check::Output,
                    format!("the output broke the header's promise: {why}"),
                ),
                None,
                None,
            );
        }
    };
    let stderr = header.run_stderr.then(|| output::normalize(&run.stderr));
    let mut found = Vec::new();
    if let Some(version) = cx.exact {
        found.extend(compare(cx, Kind::Stdout, version, &stdout));
        if let Some(stderr) = &stderr {
            found.extend(compare(cx, Kind::Stderr, version, stderr));
        }
    }
    (found, Some(stdout), stderr)
}
