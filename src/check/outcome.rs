//! The outcome, the annotations, and the run: a clean exit in time, with
//! the output promised.

use super::{Context, compared, report::FixtureReport};
use crate::cut;
use crate::model::annotation;
use crate::model::expect::Kind;
use crate::model::header::Expect;
use crate::model::output;
use crate::observe::record::{Execution, Exit};
use crate::problem::{Check, Problem};

/// Whether it fails or builds as its header says, and the compiler ran cleanly.
pub(super) fn outcome(cx: &Context) -> Vec<Problem> {
    let (outcome, header) = (cx.outcome, &cx.o.fixture.1.header);
    let said = |text: String| Problem::said(Check::Outcome, cx.file(), text);
    let trouble = outcome.compiler_trouble.as_deref().map(indent);
    let trouble = trouble.map(|t| said(format!("the compiler did not run cleanly:\n{t}")));
    let wrong = match (&header.expect, outcome.compiled) {
        (Expect::CompileFail(codes), true) => {
            let codes = codes.join(" ");
            let said = said(format!("compiled, but is expected to fail with {codes}"));
            Some(said.edit("make it fail again, or change `expect` to `run`"))
        }
        (Expect::Run | Expect::Hang, false) => {
            let errors = outcome.diagnostics.iter();
            let errors = errors.map(|d| format!("{} {}", annotation::show(&d.expected), d.message));
            let list = indent(&errors.collect::<Vec<_>>().join("\n"));
            let to = if header.expect.hangs() {
                "compile and hang"
            } else {
                "run"
            };
            let text = format!("did not compile, but is expected to {to}:\n{list}");
            Some(said(text))
        }
        _ => None,
    };
    trouble.into_iter().chain(wrong).collect()
}

/// The `//~` annotations against the diagnostics (a runnable fixture that
/// did not compile has said so, with its errors).
pub(super) fn annotations(cx: &Context) -> Option<Problem> {
    let listing = cx.o.fixture.1;
    if !listing.header.expect.is_compile_fail() && !cx.outcome.compiled {
        return None;
    }
    annotation::compare(&cx.file(), &listing.annotations, &cx.outcome.diagnostics)
}

/// The run: a clean exit in time (for `expect: hang`, still running at the
/// limit), output that keeps the header's promises and equals `.stdout`
/// (and with `stderr: exact`, `.stderr`).
pub(super) fn run(cx: &Context, run: &Execution, r: &mut FixtureReport) {
    let header = &cx.o.fixture.1.header;
    let mut failed = |check, text: String| r.problems.push(Problem::said(check, cx.file(), text));
    let limit = header.timeout.as_secs();
    let said = match run.exit {
        _ if header.expect.hangs() => return hang(cx, run, r),
        Exit::Code(0) => None,
        Exit::TimedOut => Some(format!(
            "timed out: killed after {limit} s; if it is meant to take longer, raise `timeout:` in its header\n{}",
            tail("stdout", &run.stdout)
        )),
        exit => {
            let (exit, tail) = (exit.describe(), tail("stderr", &run.stderr));
            Some(format!("exited with {exit}, expected success\n{tail}"))
        }
    };
    if let Some(said) = said {
        return failed(Check::Outcome, said);
    }
    output(cx, run, r);
}

/// A program meant to hang: stopped at its limit, it passes on to its
/// output; finished on its own, in whatever way, it fails.
fn hang(cx: &Context, run: &Execution, r: &mut FixtureReport) {
    let header = &cx.o.fixture.1.header;
    // Worded as the runner words the same event, which it prints as it happens.
    let how = match run.exit {
        Exit::TimedOut => return output(cx, run, r),
        exit => exit.describe(),
    };
    let (line, secs) = (header.line_of("expect"), run.elapsed.as_secs_f64());
    let (out, err) = (tail("stdout", &run.stdout), tail("stderr", &run.stderr));
    let said = format!(
        "expected to hang (`expect: hang`, line {line}), but it finished after {secs:.1} s with {how}\n\
         {out}\n{err}\n"
    );
    let fix = "if it is meant to finish, write `expect: run`; if not, find why it ended";
    let problem = Problem::said(Check::Outcome, cx.file(), said).at(line);
    r.problems.push(problem.edit(fix));
}

/// The output: the header's promises, then `.stdout` (and `.stderr`).
fn output(cx: &Context, run: &Execution, r: &mut FixtureReport) {
    let header = &cx.o.fixture.1.header;
    let Some(spec) = &header.output else { return };
    let stdout = match spec.canonical(&run.stdout) {
        Ok(canonical) => output::normalize(&canonical),
        Err(why) => {
            let said = format!("the output broke the header's promise: {why}");
            let problem = Problem::said(Check::Output, cx.file(), said);
            return r.problems.push(problem);
        }
    };
    let stderr = output::normalize(&run.stderr);
    let stderr = header.run_stderr.then_some((Kind::Stderr, stderr));
    let texts = [(Kind::Stdout, stdout)].into_iter().chain(stderr);
    compared(cx, r, texts.collect());
}

/// `text`, each line indented by four spaces.
fn indent(text: &str) -> String {
    let lines: Vec<String> = text.lines().map(|l| format!("    {l}")).collect();
    lines.join("\n")
}

/// The most characters of a line [`tail`] shows.
const LINE_SHOWN: usize = 200;

/// The last ten lines of the stream `name`, indented under a title, each
/// cut to its first [`LINE_SHOWN`] characters ([`cut::text`]).
fn tail(name: &str, text: &str) -> String {
    if text.lines().next().is_none() {
        return format!("    ({name} was empty)");
    }
    let last = cut::text(text, cut::Keep::Tail(10), LINE_SHOWN);
    format!("    last lines of {name}:\n{}", indent(&indent(&last)))
}
