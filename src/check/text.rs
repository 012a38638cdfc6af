//! The diagnostics text: the observation's checker (trybuild) compares a
//! compile-fail fixture's full compiler output with its `.stderr`; its
//! verdict becomes a problem of the fixture, with the file, a short diff, the
//! first differing line and the command that accepts the new text.

use super::{At, Check, Context, Fix, Problem, Rule, Verdict, first_difference};
use crate::check::report::{FixtureReport, Report};
use crate::model::expect::Kind;
use crate::observe::CHECKER;

/// The `.stderr` text, as the checker found it.
pub struct DiagnosticsText;

impl Rule for DiagnosticsText {
    fn title(&self, report: &Report) -> String {
        if report.observed_only {
            ".stderr text, not compared (observed only)".into()
        } else {
            format!(".stderr text, compared by {CHECKER}")
        }
    }

    fn counts(&self) -> &'static [Check] {
        &[Check::StderrText]
    }

    fn applies(&self, f: &FixtureReport) -> bool {
        f.compile_fail
    }

    fn skipped(&self, report: &Report) -> bool {
        report.observed_only
    }

    fn check(&self, cx: &Context, v: &mut Verdict) {
        let (f, (version, compiler)) = (cx.fixture, cx.compiler);
        let Some(said) = cx.text else { return };
        if !f.header.expect.is_compile_fail()
            || v.problems.iter().any(|p| p.check.blocks_bless())
            || f.expectation(Kind::Stderr, version).is_none()
        {
            // A wrong outcome, or a missing `.stderr`, is reported as such;
            // the checker's view adds nothing.
            return;
        }
        let file = f.expectation(Kind::Stderr, version).map_or_else(
            || f.display_path().replace(".rs", ".stderr"),
            |e| e.path.display().to_string(),
        );
        let at = said.texts.as_ref().map(|(expected, actual)| At {
            file: file.clone(),
            line: first_difference(expected, actual),
        });
        let problem = match &said.texts {
            Some((expected, actual)) => Problem::new(
                Check::StderrText,
                format!(
                    "{file} differs from what {compiler} says now ({CHECKER} compared them):\n{}",
                    crate::diff::brief(expected, actual, &file, "now"),
                ),
            )
            .fix(Fix::Accept {
                what: "text".into(),
                bless: crate::command::Bless::fixture(f.short_id()),
            }),
            None => Problem::new(
                Check::StderrText,
                format!(
                    "{CHECKER} reported `{}` for it; its report: {}",
                    said.status,
                    said.log
                        .as_ref()
                        .map_or("its log".into(), |l| l.display().to_string())
                ),
            ),
        };
        v.push(match at {
            Some(at) => problem.at(at),
            None => problem,
        });
    }
}
