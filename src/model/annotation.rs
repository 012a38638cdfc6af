//! Inline expected diagnostics, in the syntax of rustc's UI tests and
//! ui_test, and the compiler's JSON diagnostics reduced to what they
//! promise:
//!
//! ```text
//! let x = y; //~ ERROR E0382        this line
//!            //~^ ERROR E0382       the line above (one `^` per line up)
//!            //~| WARN unused_variables   the same line as the annotation before
//! ```
//!
//! Only the level and the code are written: the check compares the set of
//! (line, level, code) with what the compiler reports, so a change in the
//! wording of a message never breaks it.

use crate::problem::{Check, Expected, Level, Problem, What};
use serde_json::Value;
use std::path::Path;

const FIX: &str =
    "write `//~ ERROR E0382`, `//~^ ERROR E0382` (line above) or `//~ WARN unused_variables`";

/// The annotations of `source`, sorted; the first malformed one is a
/// problem of the fixture at `path`.
pub(crate) fn parse(path: &Path, source: &str) -> Result<Vec<Expected>, Problem> {
    let mut found: Vec<Expected> = Vec::new();
    let mut previous: Option<(usize, usize)> = None; // (annotation line, target line)
    for (index, text) in source.lines().enumerate() {
        let line = index + 1;
        let Some(at) = text.find("//~") else { continue };
        let err = |said: String| {
            Problem::said(Check::Load, path.to_string_lossy(), said)
                .at(line)
                .edit(FIX)
        };
        let (target, rest) = match text[at + 3..].strip_prefix('|') {
            Some(rest) => match previous {
                Some((prev, target)) if prev + 1 == line => (target, rest),
                _ => {
                    return Err(err(
                        "`//~|` must follow an annotation on the line just above".into(),
                    ));
                }
            },
            None => {
                let rest = &text[at + 3..];
                let carets = rest.bytes().take_while(|&b| b == b'^').count();
                if carets >= line {
                    let up = "^".repeat(carets);
                    return Err(err(format!("`//~{up}` points above the first line")));
                }
                (line - carets, &rest[carets..])
            }
        };
        let expected = one(rest, target).map_err(err)?;
        if found.contains(&expected) {
            return Err(err(format!("{} is annotated twice", show(&expected))));
        }
        found.push(expected);
        previous = Some((line, target));
    }
    found.sort();
    Ok(found)
}

/// `ERROR E0382` (after the `//~` and its carets), for line `target`.
fn one(rest: &str, target: usize) -> Result<Expected, String> {
    let mut words = rest.split_whitespace();
    let level = match words.next() {
        Some("ERROR") => Level::Error,
        Some("WARN" | "WARNING") => Level::Warn,
        Some(other) => return Err(format!("unknown level `{other}` (use ERROR or WARN)")),
        None => return Err("annotation without a level and code".into()),
    };
    let word = level_word(level);
    let code = words
        .next()
        .ok_or_else(|| format!("`{word}` without a code"))?;
    let valid = match level {
        Level::Error => is_error_code(code),
        Level::Warn => code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'_' || b == b':'),
    };
    if !valid {
        let kind = word.to_lowercase();
        return Err(format!("`{code}` is not a valid {kind} code"));
    }
    if let Some(extra) = words.next() {
        return Err(format!(
            "unexpected `{extra}` after the code; put explanations in a separate comment"
        ));
    }
    Ok(Expected {
        line: target,
        level,
        code: code.to_string(),
    })
}

/// `ERROR` or `WARN`, as annotations spell them.
pub fn level_word(level: Level) -> &'static str {
    match level {
        Level::Error => "ERROR",
        Level::Warn => "WARN",
    }
}

/// `line 12: ERROR E0382`.
pub fn show(e: &Expected) -> String {
    format!("line {}: {} {}", e.line, level_word(e.level), e.code)
}

/// `E` followed by four digits.
pub fn is_error_code(code: &str) -> bool {
    code.len() == 5 && code.starts_with('E') && code[1..].bytes().all(|b| b.is_ascii_digit())
}

/// One diagnostic the compiler emitted, as an annotation would state it,
/// with the first line of its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Line, level and code (`(no code)` for the few errors without one).
    pub expected: Expected,
    /// The message's first line, for reports.
    pub message: String,
}

/// The diagnostics in the JSON lines rustc wrote to stderr; those without
/// a primary span in the source (`aborting due to …`) are left out.
pub fn diagnostics(stderr: &str) -> Vec<Diagnostic> {
    let read = |value: Value| -> Option<Diagnostic> {
        let level = match value["level"].as_str()? {
            "error" => Level::Error,
            "warning" => Level::Warn,
            _ => return None,
        };
        let spans = value["spans"].as_array()?;
        let primary = spans
            .iter()
            .find(|s| s["is_primary"].as_bool() == Some(true))?;
        let message = value["message"].as_str().unwrap_or_default();
        Some(Diagnostic {
            expected: Expected {
                line: primary["line_start"].as_u64()? as usize,
                level,
                code: value["code"]["code"]
                    .as_str()
                    .unwrap_or("(no code)")
                    .to_string(),
            },
            message: message.lines().next().unwrap_or_default().to_string(),
        })
    };
    stderr
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter_map(read)
        .collect()
}

/// How `actual` differs from the annotations `expected`, as a problem of the
/// fixture `file`, on the first line concerned; `None` when they agree.
pub fn compare(file: &str, expected: &[Expected], actual: &[Diagnostic]) -> Option<Problem> {
    let missing: Vec<Expected> = expected
        .iter()
        .filter(|e| !actual.iter().any(|d| d.expected == **e))
        .cloned()
        .collect();
    let mut unexpected: Vec<(Expected, String)> = Vec::new();
    for d in actual {
        if !expected.contains(&d.expected) && !unexpected.iter().any(|(e, _)| *e == d.expected) {
            unexpected.push((d.expected.clone(), d.message.clone()));
        }
    }
    let first = missing
        .iter()
        .chain(unexpected.iter().map(|(e, _)| e))
        .map(|e| e.line)
        .min()?;
    Some(Problem {
        line: Some(first),
        ..Problem::said(Check::Annotations, file, "")
    })
    .map(|p| Problem {
        what: What::Annotations {
            missing,
            unexpected,
        },
        ..p
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(src: &str) -> Result<Vec<Expected>, Problem> {
        parse(Path::new("t.rs"), src)
    }

    #[test]
    fn carets_pipes_and_mistakes() {
        let got = p("a\nb //~^ ERROR E0382\n  //~| WARN unused_variables\nc //~ ERROR E0505\n");
        let got: Vec<String> = got.unwrap().iter().map(show).collect();
        let want = [
            "line 1: ERROR E0382",
            "line 1: WARN unused_variables",
            "line 4: ERROR E0505",
        ];
        assert_eq!(got, want);
        for bad in [
            "x //~ ERROR",
            "x //~ NOTE E0382",
            "x //~ ERROR 0382",
            "x //~| ERROR E0382",
            "//~^ ERROR E0382",
            "x //~ ERROR E0382 text",
            "x //~ ERROR E0382\n//~^ ERROR E0382",
        ] {
            assert!(p(bad).is_err(), "{bad}");
        }
    }
}
