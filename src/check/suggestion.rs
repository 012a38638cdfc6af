//! The compiler's own fix, as `cargo fix` applies it: the `.fixed` text,
//! and the header's claim that it gives another fixture's code (as tokens).

use super::{Context, compared, report::FixtureReport};
use crate::model::expect::Kind;
use crate::problem::{Check, Problem, What};
use proc_macro2::{Group, TokenStream, TokenTree};
use std::collections::HashSet;

/// The fixed code, against `.fixed` and the fixture the header names.
pub(super) fn check(cx: &Context, r: &mut FixtureReport) {
    let (f, l) = cx.o.fixture;
    let claimed = l.header.suggestion_gives.as_deref().unwrap_or_default();
    let fix = format!(
        "if the compiler changed its suggestion, update or drop `compiler-suggestion-gives: {claimed}`"
    );
    let claim = |said: String| Problem::said(Check::SuggestionClaim, cx.file(), said).edit(&fix);
    let fixed = match apply(&l.source, &cx.outcome.stderr, &format!("{}.rs", f.stem)) {
        Ok(Some(fixed)) => fixed,
        Ok(None) => {
            let said = format!(
                "rustc made no machine-applicable suggestion, but the header says it gives {claimed}"
            );
            return r.problems.push(claim(said));
        }
        Err(e) => return r.problems.push(claim(e)),
    };
    compared(cx, r, vec![(Kind::Fixed, fixed.clone())]);
    let Some((g, gl)) = cx.suite.by_id(claimed) else {
        let said = format!("`{claimed}` names no fixture that loads");
        return r.problems.push(claim(said));
    };
    let (name, code) = (g.display_path(), |text: &str, skip| -> String {
        text.lines().skip(skip).map(|l| format!("{l}\n")).collect()
    });
    let said = format!(
        "applying rustc's machine-applicable suggestions no longer gives {claimed}'s code \
         (compared as tokens; comments do not count)"
    );
    let with = format!("{} with the suggestions", f.display_path());
    let from = (code(&fixed, l.header.len), with);
    let to = (code(&gl.source, gl.header.len), name.clone());
    r.problems.extend(match same_code(&fixed, &gl.source) {
        Ok(true) => None,
        Ok(false) => {
            let edit = format!("{fix}, or make {name} match");
            let mut p = Problem::said(Check::SuggestionClaim, cx.file(), "").edit(edit);
            p.what = What::Differs { said, from, to };
            Some(p)
        }
        Err(e) => Some(claim(e)),
    });
}

/// `source` with the machine-applicable suggestions for `file` in rustc's
/// JSON `stderr` applied; `None` when there is none.
fn apply(source: &str, stderr: &str, file: &str) -> Result<Option<String>, String> {
    let json = |l: &&str| l.starts_with('{') && l.contains("\"$message_type\":\"diagnostic\"");
    let diagnostics = stderr.lines().filter(json);
    let diagnostics: String = diagnostics.map(|l| format!("{l}\n")).collect();
    let only = rustfix::Filter::MachineApplicableOnly;
    let mut mine = rustfix::get_suggestions_from_json(&diagnostics, &HashSet::new(), only)
        .map_err(|e| format!("rustc's diagnostics are not readable JSON: {e}"))?;
    let in_file = |r: &rustfix::Replacement| {
        r.snippet.file_name.ends_with(file) || file.ends_with(&r.snippet.file_name)
    };
    mine.retain(|s| {
        s.solutions
            .iter()
            .flat_map(|s| &s.replacements)
            .all(in_file)
    });
    if mine.is_empty() {
        return Ok(None);
    }
    let fixed = rustfix::apply_suggestions(source, &mine)
        .map_err(|e| format!("rustc's suggestions do not apply: {e}"))?;
    Ok(Some(fixed))
}

/// Whether `a` and `b` are the same tokens, comments and docs left out.
fn same_code(a: &str, b: &str) -> Result<bool, String> {
    let tokens = |source: &str| match source.parse() {
        Ok(stream) => Ok(without_docs(stream).to_string()),
        Err(e) => Err(format!("not Rust tokens: {e}")),
    };
    Ok(tokens(a)? == tokens(b)?)
}

/// `stream` without the `#[doc …]` and `#![doc …]` doc comments become.
fn without_docs(stream: TokenStream) -> TokenStream {
    let mut out: Vec<TokenTree> = Vec::new();
    for tree in stream {
        let TokenTree::Group(g) = tree else {
            out.push(tree);
            continue;
        };
        // `#[doc …]` or `#![doc …]`: the `#` (and `!`) are already out.
        let punct = |t: Option<&_>, c| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c);
        let bang = usize::from(punct(out.last(), '!'));
        let hash = out.len().checked_sub(1 + bang);
        let doc = g
            .stream()
            .into_iter()
            .next()
            .is_some_and(|t| t.to_string() == "doc");
        match hash.filter(|&at| doc && punct(out.get(at), '#')) {
            Some(at) => out.truncate(at),
            None => out.push(Group::new(g.delimiter(), without_docs(g.stream())).into()),
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn comments_docs_and_spacing_do_not_matter_but_strings_do() {
        let a = "//! header\n\nfn main() {\n    let v = vec![1]; //~ ERROR E0373\n    println!(\"//{v:?}\");\n}\n";
        let b = "//! another\n\n/// doc\nfn main() { let v = vec![1];\n println!(\"//{v:?}\"); }\n";
        let same = |b: &str| super::same_code(a, b).unwrap();
        assert!(same(b) && !same(&b.replace("let v", "let w")));
        let unquoted = b.replace("\"//{v:?}\"", "\"{v:?}\"");
        assert!(!same(&unquoted), "a `//` inside a string is code");
    }
}
