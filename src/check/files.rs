//! The expectation files a fixture needs exist for this compiler. A
//! runnable fixture's and a suggestion's are found missing where they are
//! compared ([`super::compare`]); this check adds a compile-fail fixture's
//! `.stderr`, which the observation's checker compares.

use super::{Check, Context, Fix, Problem, Rule, Verdict};
use crate::check::report::{FixtureReport, Report};
use crate::model::expect::Kind;

/// The expectation files exist.
pub struct ExpectationFiles;

impl Rule for ExpectationFiles {
    fn title(&self, _: &Report) -> String {
        "expectation files".into()
    }

    fn counts(&self) -> &'static [Check] {
        &[Check::Expectation]
    }

    fn applies(&self, _: &FixtureReport) -> bool {
        true
    }

    fn check(&self, cx: &Context, v: &mut Verdict) {
        let fixture = cx.fixture;
        if cx.outcome.run.is_none()
            && let Some(version) = cx.exact
            && fixture.header.expect.is_compile_fail()
            && fixture.expectation(Kind::Stderr, version).is_none()
        {
            v.push(
                Problem::new(
                    Check::Expectation,
                    format!(
                        "no expected diagnostics: `{}` is missing",
                        fixture.expectation_path(Kind::Stderr, None).display()
                    ),
                )
                .fix(Fix::Write(crate::command::Bless::fixture(
                    fixture.short_id(),
                ))),
            );
        }
    }
}
