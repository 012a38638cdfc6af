//! A compile-fail fixture's `.stderr`: it exists, and the checker found it
//! equal to the compiler's output (or, collecting, wrote it).

use super::{Context, drifted, report::FixtureReport};
use crate::model::expect::Kind;
use crate::observe::trybuild::NAME;
use crate::problem::{Check, Problem};
use std::path::PathBuf;

/// A compile-fail fixture's `.stderr` for this compiler is missing.
pub(super) fn missing_stderr(cx: &Context) -> Option<Problem> {
    let (f, l) = cx.o.fixture;
    let version = cx.exact?;
    let expected = cx.outcome.run.is_none() && l.header.expect.is_compile_fail();
    let missing = expected && f.expectation(Kind::Stderr, version).is_none();
    missing.then(|| super::missing(cx, Kind::Stderr, "diagnostics"))
}

/// The checker's verdict on the `.stderr` text.
pub(super) fn check(cx: &Context) -> Option<Problem> {
    let ((f, l), (version, compiler)) = (cx.o.fixture, cx.compiler);
    let verdict = cx.o.text.as_ref()?;
    let file = f.expectation(Kind::Stderr, version)?.path.display();
    let (file, log) = (file.to_string(), log(verdict.log.as_ref()));
    if !l.header.expect.is_compile_fail() {
        return None;
    }
    let said = match &verdict.said {
        Ok((_, Some((expected, actual)))) => {
            let said =
                format!("{file} differs from what {compiler} says now ({NAME} compared them)");
            let was = (expected.clone(), file);
            return Some(drifted(cx, Check::StderrText, said, was, actual, "text"));
        }
        Ok((status, None)) => format!("{NAME} reported `{status}` for it; its report: {log}"),
        Err(why) => format!("{NAME}'s report {log} cannot be read: {why}"),
    };
    Some(Problem::said(Check::StderrText, cx.file(), said))
}

/// Collecting: the text the checker wrote, or that it never got there.
pub(super) fn written(cx: &Context, r: &mut FixtureReport) {
    match (&cx.o.written, cx.outcome.compiled) {
        (Some(Some(text)), false) => r.actual.push((Kind::Stderr, text.clone())),
        (Some(None), false) => {
            let said = format!(
                "{NAME} did not reach it: it wrote no .stderr for it, so its diagnostics were not seen; \
                 see {NAME}'s report in {}",
                log(cx.o.log.as_ref())
            );
            r.problems
                .push(Problem::said(Check::NotReached, cx.file(), said));
        }
        _ => {}
    }
}

/// Where the checker's report of a batch is.
fn log(log: Option<&PathBuf>) -> String {
    log.map_or("its log".into(), |l| l.display().to_string())
}
