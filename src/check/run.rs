//! The run: a runnable fixture's program exits cleanly within its time
//! limit, its output keeps the header's promises (`output: exact` or
//! `streams`) and equals its `.stdout` (and, with `stderr: exact`, its
//! stderr its `.stderr`, thread ids normalised).

use super::{Check, Context, Rule, Verdict, compare, normalize_run_output, tail};
use crate::check::report::{FixtureReport, Report};
use crate::model::expect::{Kind, Version};
use crate::model::fixture::Fixture;
use crate::observe::{Execution, Exit};
use std::path::Path;

/// What a runnable fixture's program did.
pub struct RunOutput;

impl Rule for RunOutput {
    fn title(&self, _: &Report) -> String {
        "run output".into()
    }

    fn counts(&self) -> &'static [Check] {
        &[Check::Output]
    }

    fn applies(&self, f: &FixtureReport) -> bool {
        !f.compile_fail
    }

    fn check(&self, cx: &Context, v: &mut Verdict) {
        if let Some(run) = &cx.outcome.run {
            check_run(cx.root, cx.fixture, run, cx.exact, v);
        }
    }
}

fn check_run(
    root: &Path,
    fixture: &Fixture,
    run: &Execution,
    exact: Option<Version>,
    v: &mut Verdict,
) {
    let limit = fixture.header.timeout.as_secs();
    match run.exit {
        Exit::TimedOut => {
            v.fail(
                Check::Outcome,
                format!(
                    "timed out: killed after {limit} s; if it is meant to take longer, raise `timeout:` in its header\n{}",
                    tail("stdout", &run.stdout)
                ),
            );
            return;
        }
        Exit::Code(0) => {}
        exit => {
            v.fail(
                Check::Outcome,
                format!(
                    "exited with {}, expected success\n{}",
                    exit.describe(),
                    tail("stderr", &run.stderr)
                ),
            );
            return;
        }
    }
    let spec = fixture
        .header
        .output
        .as_ref()
        .expect("runnable fixtures have an output spec");
    let canonical = match spec.canonical(&run.stdout) {
        Ok(c) => c,
        Err(why) => {
            v.fail(
                Check::Output,
                format!("the output broke the header's promise: {why}"),
            );
            return;
        }
    };
    let canonical = normalize_run_output(&canonical);
    v.stdout = Some(canonical.clone());
    let stderr = fixture
        .header
        .run_stderr
        .then(|| normalize_run_output(&run.stderr));
    v.stderr = stderr.clone();
    let Some(version) = exact else { return };
    compare(root, fixture, Kind::Stdout, version, &canonical, v);
    if let Some(stderr) = &stderr {
        compare(root, fixture, Kind::Stderr, version, stderr, v);
    }
}
