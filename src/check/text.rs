//! The diagnostics text of a compile-fail fixture: its `.stderr` exists for
//! this compiler, and the checker (trybuild, through the observation)
//! found the compiler's full output equal to it; its verdict becomes a
//! problem with the file, the first differing line, the diff and the bless
//! that accepts the new text.

use super::Context;
use crate::model::expect::Kind;
use crate::observe::trybuild::NAME;
use crate::problem::{Check, Fix, Problem, What, first_difference};

/// A compile-fail fixture's `.stderr` for this compiler is missing (the
/// checker compares it, so it is found missing here).
pub(super) fn missing_stderr(cx: &Context) -> Option<Problem> {
    let (f, l) = cx.fixture;
    let version = cx.exact?;
    if cx.outcome.run.is_some()
        || !l.header.expect.is_compile_fail()
        || f.expectation(Kind::Stderr, version).is_some()
    {
        return None;
    }
    let said = format!(
        "no expected diagnostics: `{}` is missing",
        f.expectation_path(Kind::Stderr, None).display()
    );
    Some(Problem::said(Check::Expectation, cx.file(), said).fix(Fix::Write(cx.bless())))
}

/// The checker's verdict on the `.stderr` text.
pub(super) fn check(cx: &Context) -> Option<Problem> {
    let ((f, l), (version, compiler)) = (cx.fixture, cx.compiler);
    let said = cx.text?;
    let file = f
        .expectation(Kind::Stderr, version)?
        .path
        .display()
        .to_string();
    if !l.header.expect.is_compile_fail() {
        return None;
    }
    let log = said
        .log
        .as_ref()
        .map_or("its log".into(), |l| l.display().to_string());
    let (expected, actual) = match &said.said {
        Ok((_, Some(texts))) => texts,
        Ok((status, None)) => {
            let text = format!("{NAME} reported `{status}` for it; its report: {log}");
            return Some(Problem::said(Check::StderrText, cx.file(), text));
        }
        Err(why) => {
            let text = format!("{NAME}'s report {log} cannot be read: {why}");
            return Some(Problem::said(Check::StderrText, cx.file(), text));
        }
    };
    Some(Problem {
        check: Check::StderrText,
        line: Some(first_difference(expected, actual)),
        what: What::Differs {
            said: format!("{file} differs from what {compiler} says now ({NAME} compared them)"),
            from: (expected.clone(), file.clone()),
            to: (actual.clone(), "now".into()),
        },
        fix: Some(Fix::Accept {
            what: "text".into(),
            bless: cx.bless(),
        }),
        file,
    })
}
