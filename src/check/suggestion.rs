//! The compiler's own fix: rustc's machine-applicable suggestions applied
//! to a compile-fail fixture (as `cargo fix` and rustc's `run-rustfix` tests
//! do), kept as a `.fixed` expectation, and the claim a header may make
//! about it (`compiler-suggestion-gives: listing-16-05`): that the fixed
//! code is that fixture's code. Code is compared as tokens, so comments
//! (the header, `//~` annotations) and spacing never matter, and a `//`
//! inside a string is never taken for a comment.

use super::{Context, compare};
use crate::model::expect::Kind;
use crate::problem::{Check, Problem, What};
use proc_macro2::{TokenStream, TokenTree};
use std::collections::HashSet;

/// The suggestions applied, against the `.fixed` expectation and against
/// the code of the fixture the header names; and the fixed code.
pub(super) fn check(cx: &Context) -> (Vec<Problem>, Option<String>) {
    let (f, l) = cx.fixture;
    let claimed = l.header.suggestion_gives.as_deref().unwrap_or_default();
    let fix = format!(
        "if the compiler changed its suggestion, update or drop `compiler-suggestion-gives: {claimed}`"
    );
    let claim =
        |said: String| vec![Problem::said(Check::SuggestionClaim, cx.file(), said).edit(&fix)];
    let fixed = match apply(&l.source, &cx.outcome.stderr, &format!("{}.rs", f.stem)) {
        Ok(Some(fixed)) => fixed,
        Ok(None) => {
            let said = format!(
                "rustc made no machine-applicable suggestion, but the header says it gives {claimed}"
            );
            return (claim(said), None);
        }
        Err(e) => return (claim(e), None),
    };
    let mut found: Vec<Problem> = cx
        .exact
        .and_then(|v| compare(cx, Kind::Fixed, v, &fixed))
        .into_iter()
        .collect();
    let Some((g, gl)) = cx.gives else {
        found.extend(claim(format!("`{claimed}` names no fixture that loads")));
        return (found, Some(fixed));
    };
    match same_code(&fixed, &gl.source) {
        Ok(true) => {}
        Ok(false) => {
            let code = |text: &str, skip: usize| -> String {
                text.lines().skip(skip).map(|l| format!("{l}\n")).collect()
            };
            let said = format!(
                "applying rustc's machine-applicable suggestions no longer gives {claimed}'s code \
                 (compared as tokens; comments do not count)"
            );
            let from = (
                code(&fixed, l.header.len),
                format!("{} with the suggestions", f.display_path()),
            );
            let to = (code(&gl.source, gl.header.len), g.display_path());
            let edit = format!("{fix}, or make {} match", g.display_path());
            found.push(Problem {
                what: What::Differs { said, from, to },
                ..Problem::said(Check::SuggestionClaim, cx.file(), "").edit(edit)
            });
        }
        Err(e) => found.extend(claim(e)),
    }
    (found, Some(fixed))
}

/// `source` with every machine-applicable suggestion in rustc's JSON
/// diagnostics `stderr` for the file named `file` applied; `None` when
/// there is none.
fn apply(source: &str, stderr: &str, file: &str) -> Result<Option<String>, String> {
    let diagnostics: String = stderr
        .lines()
        .filter(|l| l.starts_with('{') && l.contains("\"$message_type\":\"diagnostic\""))
        .map(|l| format!("{l}\n"))
        .collect();
    let only = rustfix::Filter::MachineApplicableOnly;
    let suggestions =
        rustfix::get_suggestions_from_json(&diagnostics, &HashSet::<String>::new(), only)
            .map_err(|e| format!("rustc's diagnostics are not readable JSON: {e}"))?;
    let in_file = |r: &rustfix::Replacement| {
        r.snippet.file_name.ends_with(file) || file.ends_with(&r.snippet.file_name)
    };
    let mine: Vec<rustfix::Suggestion> = suggestions
        .into_iter()
        .filter(|s| {
            s.solutions
                .iter()
                .all(|sol| sol.replacements.iter().all(in_file))
        })
        .collect();
    if mine.is_empty() {
        return Ok(None);
    }
    rustfix::apply_suggestions(source, &mine)
        .map(Some)
        .map_err(|e| format!("rustc's suggestions do not apply: {e}"))
}

/// Whether `a` and `b` are the same code, token for token, comments and
/// doc comments left out.
fn same_code(a: &str, b: &str) -> Result<bool, String> {
    let tokens = |source: &str| -> Result<String, String> {
        let stream: TokenStream = source
            .parse()
            .map_err(|e| format!("not Rust tokens: {e}"))?;
        Ok(without_docs(stream).to_string())
    };
    Ok(tokens(a)? == tokens(b)?)
}

/// `stream` without the `#[doc = "…"]` and `#![doc = "…"]` attributes that
/// `///` and `//!` comments become.
fn without_docs(stream: TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < trees.len() {
        let bang = matches!(&trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
        let group_at = if bang { i + 2 } else { i + 1 };
        let is_doc = matches!(&trees[i], TokenTree::Punct(p) if p.as_char() == '#')
            && matches!(trees.get(group_at), Some(TokenTree::Group(g))
                if g.stream().into_iter().next().is_some_and(|t| t.to_string() == "doc"));
        if is_doc {
            i = group_at + 1;
            continue;
        }
        out.push(match &trees[i] {
            TokenTree::Group(g) => {
                let mut inner = proc_macro2::Group::new(g.delimiter(), without_docs(g.stream()));
                inner.set_span(g.span());
                TokenTree::Group(inner)
            }
            other => other.clone(),
        });
        i += 1;
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::same_code;

    #[test]
    fn comments_docs_and_spacing_do_not_matter_but_strings_do() {
        let a = "//! header\n\nfn main() {\n    let v = vec![1]; //~ ERROR E0373\n    println!(\"//{v:?}\");\n}\n";
        let b = "//! another\n\n/// doc\nfn main() { let v = vec![1];\n println!(\"//{v:?}\"); }\n";
        assert!(same_code(a, b).unwrap());
        assert!(
            !same_code(a, &b.replace("\"//{v:?}\"", "\"{v:?}\"")).unwrap(),
            "a `//` inside a string is code"
        );
        assert!(!same_code(a, &b.replace("let v", "let w")).unwrap());
    }
}
