//! The compiler's own fix: rustc's machine-applicable suggestions applied to
//! a compile-fail fixture (as `cargo fix` and rustc's `run-rustfix` tests
//! do), kept as a `.fixed` expectation, and the claim a header may make
//! about it (`compiler-suggestion-gives: listing-16-05`): that the fixed code
//! is that fixture's code. Code is compared as tokens, so comments (the
//! header, `//~` annotations) and spacing never matter, and a `//` inside a
//! string is never taken for a comment.

use crate::error::Invalid;
use proc_macro2::{TokenStream, TokenTree};
use std::collections::HashSet;
use std::str::FromStr;

/// `source` with every machine-applicable suggestion in rustc's JSON
/// diagnostics `stderr` applied, or `None` when there is none. Only
/// suggestions for the file named `file` (as the compiler was given it) are
/// taken.
pub fn apply(source: &str, stderr: &str, file: &str) -> Result<Option<String>, Invalid> {
    let diagnostics: String = stderr
        .lines()
        .filter(|l| l.starts_with('{') && l.contains("\"$message_type\":\"diagnostic\""))
        .map(|l| format!("{l}\n"))
        .collect();
    let suggestions = rustfix::get_suggestions_from_json(
        &diagnostics,
        &HashSet::<String>::new(),
        rustfix::Filter::MachineApplicableOnly,
    )
    .map_err(|e| Invalid(format!("rustc's diagnostics are not readable JSON: {e}")))?;
    let mine: Vec<rustfix::Suggestion> = suggestions
        .into_iter()
        .filter(|s| {
            s.solutions.iter().all(|sol| {
                sol.replacements.iter().all(|r| {
                    r.snippet.file_name.ends_with(file) || file.ends_with(&r.snippet.file_name)
                })
            })
        })
        .collect();
    if mine.is_empty() {
        return Ok(None);
    }
    rustfix::apply_suggestions(source, &mine)
        .map(Some)
        .map_err(|e| Invalid(format!("rustc's suggestions do not apply: {e}")))
}

/// The code of `source` as one line of tokens, without comments and
/// without the doc attributes `//!`/`///` comments become.
pub fn tokens(source: &str) -> Result<String, Invalid> {
    let stream =
        TokenStream::from_str(source).map_err(|e| Invalid(format!("not Rust tokens: {e}")))?;
    Ok(without_docs(stream).to_string())
}

/// Whether `a` and `b` are the same code, token for token.
pub fn same_code(a: &str, b: &str) -> Result<bool, Invalid> {
    Ok(tokens(a)? == tokens(b)?)
}

fn without_docs(stream: TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < trees.len() {
        // `#[doc = "…"]` or `#![doc = "…"]`.
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
    use super::*;

    #[test]
    fn comments_docs_and_spacing_do_not_matter_but_strings_do() {
        let a = "//! header\n//! more\n\nfn main() {\n    let v = vec![1]; //~ ERROR E0373\n    println!(\"//{v:?}\");\n}\n";
        let b = "//! another header\n\n/// doc\nfn main() { let v = vec![1];\n println!(\"//{v:?}\"); }\n";
        assert!(same_code(a, b).unwrap());
        let c = b.replace("\"//{v:?}\"", "\"{v:?}\"");
        assert!(!same_code(a, &c).unwrap(), "a `//` inside a string is code");
        let d = b.replace("let v", "let w");
        assert!(!same_code(a, &d).unwrap());
    }
}
