//! The compiler's own fix: for a fixture whose header says
//! `compiler-suggestion-gives`, rustc's machine-applicable suggestions
//! applied equal its `.fixed` expectation and, as tokens, the named
//! fixture's code.

use super::{Check, Context, Fix, Problem, Rule, Verdict, compare};
use crate::check::report::{FixtureReport, Report};
use crate::model::expect::{Kind, Version};
use crate::model::fixture::Fixture;
use crate::observe::Outcome;
use std::path::Path;

/// rustc's suggestions, checked against the header's claim.
pub struct Suggestion;

impl Rule for Suggestion {
    fn title(&self, _: &Report) -> String {
        "the compiler's suggestion (.fixed, compiler-suggestion-gives)".into()
    }

    fn counts(&self) -> &'static [Check] {
        &[Check::Fix, Check::FixClaim]
    }

    fn applies(&self, f: &FixtureReport) -> bool {
        f.actual(Kind::Fixed).is_some()
            || f.problems.iter().any(|p| self.counts().contains(&p.check))
    }

    fn check(&self, cx: &Context, v: &mut Verdict) {
        if !cx.outcome.compiled && cx.fixture.header.suggestion_gives.is_some() {
            check_fix(cx.root, cx.fixture, cx.outcome, cx.exact, cx.gives, v);
        }
    }
}

/// rustc's machine-applicable suggestions, applied: against the `.fixed`
/// expectation, and against the code of the fixture the header says they
/// give.
fn check_fix(
    root: &Path,
    fixture: &Fixture,
    outcome: &Outcome,
    exact: Option<Version>,
    gives: Option<&Fixture>,
    v: &mut Verdict,
) {
    let claimed = fixture
        .header
        .suggestion_gives
        .as_deref()
        .unwrap_or_default();
    let fix = || {
        Fix::Edit(format!(
            "if the compiler changed its suggestion, update or drop `compiler-suggestion-gives: {claimed}`"
        ))
    };
    let claim = |message: String| Problem::new(Check::FixClaim, message).fix(fix());
    let file = format!("{}.rs", fixture.stem);
    let fixed = match crate::check::apply::apply(&fixture.source, &outcome.stderr, &file) {
        Ok(Some(fixed)) => fixed,
        Ok(None) => {
            return v.push(claim(format!(
                "rustc made no machine-applicable suggestion, but the header says it gives {claimed}"
            )));
        }
        Err(e) => return v.push(claim(e.to_string())),
    };
    if let Some(version) = exact {
        compare(root, fixture, Kind::Fixed, version, &fixed, v);
    }
    match gives.map(|g| (g, crate::check::apply::same_code(&fixed, &g.source))) {
        Some((_, Ok(true))) => {}
        Some((g, Ok(false))) => {
            let code = |text: &str, skip: usize| {
                text.lines()
                    .skip(skip)
                    .map(|l| format!("{l}\n"))
                    .collect::<String>()
            };
            v.push(
                Problem::new(
                    Check::FixClaim,
                    format!(
                        "applying rustc's machine-applicable suggestions no longer gives {claimed}'s code \
                         (compared as tokens; comments do not count):\n{}",
                        crate::diff::brief(
                            &code(&fixed, fixture.header.len),
                            &code(&g.source, g.header.len),
                            &format!("{} with the suggestions", fixture.display_path()),
                            &g.display_path()
                        ),
                    ),
                )
                .fix(Fix::Edit(format!(
                    "if the compiler changed its suggestion, update or drop `compiler-suggestion-gives: {claimed}`, \
                     or make {} match",
                    g.display_path()
                ))),
            );
        }
        Some((_, Err(e))) => v.push(claim(e.to_string())),
        None => v.push(claim(format!("`{claimed}` names no fixture that loads"))),
    }
    v.fixed = Some(fixed);
}
