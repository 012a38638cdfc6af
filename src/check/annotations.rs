//! The inline annotations: the set of (line, level, code) of the
//! compiler's errors and warnings equals the fixture's `//~` markers.

use super::{At, Check, Context, Problem, Rule, Verdict, indent};
use crate::check::report::{FixtureReport, Report};
use crate::model::diagnostics;
use crate::model::header::Expect;

/// The `//~` annotations against the compiler's diagnostics.
pub struct Annotations;

impl Rule for Annotations {
    fn title(&self, _: &Report) -> String {
        "annotations (//~)".into()
    }

    fn counts(&self) -> &'static [Check] {
        &[Check::Annotations]
    }

    fn applies(&self, _: &FixtureReport) -> bool {
        true
    }

    fn check(&self, cx: &Context, v: &mut Verdict) {
        let fixture = cx.fixture;
        let problems = diagnostics::compare(&fixture.annotations, &cx.outcome.diagnostics);
        // A runnable fixture that failed to compile already says so; its errors
        // are listed there rather than again as unannotated.
        let failed_to_build = fixture.header.expect == Expect::Run && !cx.outcome.compiled;
        if let Some(first) = problems.iter().map(|(line, _)| *line).min()
            && !failed_to_build
        {
            let lines: Vec<&str> = problems.iter().map(|(_, m)| m.as_str()).collect();
            // Each line of the message says how to fix it.
            v.push(
                Problem::new(
                    Check::Annotations,
                    format!(
                        "the `//~` annotations disagree with the compiler:\n{}",
                        indent(&lines.join("\n"))
                    ),
                )
                .at(At {
                    file: fixture.path.display().to_string(),
                    line: first,
                }),
            );
        }
    }
}
