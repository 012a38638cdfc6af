//! The outcome: a compile-fail fixture fails to compile, a runnable one
//! compiles (and, in [`super::run`], runs to a clean exit), and the compiler
//! itself ran cleanly. Its line also counts fixtures that were not observed.

use super::{Check, Context, Fix, Problem, Rule, Verdict, indent};
use crate::check::report::{FixtureReport, Report};
use crate::model::header::Expect;

/// Whether the fixture fails or builds as its header says.
pub struct Outcome;

impl Rule for Outcome {
    fn title(&self, _: &Report) -> String {
        "outcome (fails / builds, runs, exits 0)".into()
    }

    fn counts(&self) -> &'static [Check] {
        &[
            Check::Outcome,
            Check::NotObserved,
            Check::NotReached,
            Check::Load,
        ]
    }

    fn applies(&self, _: &FixtureReport) -> bool {
        true
    }

    fn check(&self, cx: &Context, v: &mut Verdict) {
        let (fixture, outcome) = (cx.fixture, cx.outcome);
        if let Some(trouble) = &outcome.compiler_trouble {
            v.fail(
                Check::Outcome,
                format!("the compiler did not run cleanly:\n{}", indent(trouble)),
            );
        }
        match (&fixture.header.expect, outcome.compiled) {
            (Expect::CompileFail(codes), true) => v.push(
                Problem::new(
                    Check::Outcome,
                    format!("compiled, but is expected to fail with {}", codes.join(" ")),
                )
                .fix(Fix::Edit(
                    "make it fail again, or change `expect` to `run`".into(),
                )),
            ),
            (Expect::Run, false) => v.fail(
                Check::Outcome,
                format!(
                    "did not compile, but is expected to run:\n{}",
                    indent(
                        &outcome
                            .diagnostics
                            .iter()
                            .map(|d| d.as_expected().to_string() + " " + &d.message)
                            .collect::<Vec<_>>()
                            .join("\n")
                    )
                ),
            ),
            _ => {}
        }
    }
}
