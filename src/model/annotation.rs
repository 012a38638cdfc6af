//! Inline expected diagnostics (`//~ ERROR E0382`, `//~^` the line above,
//! `//~|` the annotation before's line) and the compiler's JSON diagnostics,
//! both reduced to (line, level, code), so a reworded message breaks nothing.

use crate::problem::{Check, Expected, Level, Problem, What};
use serde_json::Value;
use std::path::Path;

const FIX: &str =
    "write `//~ ERROR E0382`, `//~^ ERROR E0382` (line above) or `//~ WARN unused_variables`";

/// The annotations of `source`, sorted, or the first malformed one.
pub(crate) fn parse(path: &Path, source: &str) -> Result<Vec<Expected>, Problem> {
    let mut found: Vec<Expected> = Vec::new();
    let mut previous: Option<(usize, usize)> = None; // (annotation line, target line)
    for (line, text) in (1..).zip(source.lines()) {
        let Some(at) = text.find("//~") else { continue };
        let file = path.to_string_lossy();
        let err = |said: String| Problem::said(Check::Load, &*file, said).at(line).edit(FIX);
        let rest = &text[at + 3..];
        let carets = rest.bytes().take_while(|&b| b == b'^').count();
        let (target, rest) = match (rest.strip_prefix('|'), previous) {
            (Some(rest), Some((prev, target))) if prev + 1 == line => (target, rest),
            (Some(_), _) => {
                let said = "`//~|` must follow an annotation on the line just above";
                return Err(err(said.into()));
            }
            (None, _) if carets >= line => {
                let up = "^".repeat(carets);
                return Err(err(format!("`//~{up}` points above the first line")));
            }
            (None, _) => (line - carets, &rest[carets..]),
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

/// `ERROR E0382` (after the `//~` and its carets), for line `line`.
fn one(rest: &str, line: usize) -> Result<Expected, String> {
    let mut words = rest.split_whitespace();
    let level = match words.next() {
        Some("ERROR") => Level::Error,
        Some("WARN" | "WARNING") => Level::Warn,
        Some(other) => return Err(format!("unknown level `{other}` (use ERROR or WARN)")),
        None => return Err("annotation without a level and code".into()),
    };
    let word = level_word(level);
    let code = words.next().ok_or(format!("`{word}` without a code"))?;
    let lint = |b: u8| b.is_ascii_lowercase() || b"_:".contains(&b);
    let valid = match level {
        Level::Error => is_error_code(code),
        Level::Warn => code.bytes().all(lint),
    };
    if !valid {
        let kind = word.to_lowercase();
        return Err(format!("`{code}` is not a valid {kind} code"));
    }
    if let Some(extra) = words.next() {
        let said = "after the code; put explanations in a separate comment";
        return Err(format!("unexpected `{extra}` {said}"));
    }
    let code = code.to_string();
    Ok(Expected { line, level, code })
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

/// One diagnostic the compiler emitted, with its message's first line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Line, level and code (`(no code)` for the few errors without one).
    pub expected: Expected,
    /// The message's first line, for reports.
    pub message: String,
}

/// The diagnostics with a primary span in rustc's JSON lines on stderr.
pub fn diagnostics(stderr: &str) -> Vec<Diagnostic> {
    let read = |value: Value| -> Option<Diagnostic> {
        let level = match value["level"].as_str()? {
            "error" => Level::Error,
            "warning" => Level::Warn,
            _ => return None,
        };
        let is_primary = |s: &&Value| s["is_primary"].as_bool() == Some(true);
        let primary = value["spans"].as_array()?.iter().find(is_primary)?;
        let line = primary["line_start"].as_u64()? as usize;
        let code = value["code"]["code"].as_str().unwrap_or("(no code)");
        let message = value["message"].as_str().unwrap_or_default().lines().next();
        let (message, code) = (message.unwrap_or_default().into(), code.into());
        let expected = Expected { line, level, code };
        Some(Diagnostic { expected, message })
    };
    let json = stderr.lines().filter_map(|l| serde_json::from_str(l).ok());
    json.filter_map(read).collect()
}

/// How `actual` differs from the annotations `expected`, as a problem on
/// the first line concerned; `None` when they agree.
pub fn compare(file: &str, expected: &[Expected], actual: &[Diagnostic]) -> Option<Problem> {
    let unreported = |e: &&Expected| !actual.iter().any(|d| d.expected == **e);
    let missing: Vec<Expected> = expected.iter().filter(unreported).cloned().collect();
    let mut unexpected: Vec<(Expected, String)> = Vec::new();
    for d in actual {
        if !expected.contains(&d.expected) && !unexpected.iter().any(|(e, _)| *e == d.expected) {
            unexpected.push((d.expected.clone(), d.message.clone()));
        }
    }
    let lines = missing.iter().chain(unexpected.iter().map(|(e, _)| e));
    let first = lines.map(|e| e.line).min()?;
    let mut problem = Problem::said(Check::Annotations, file, "").at(first);
    problem.what = What::Annotations {
        missing,
        unexpected,
    };
    Some(problem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carets_pipes_and_mistakes() {
        let p = |src: &str| parse(Path::new("t.rs"), src);
        let got = p("a\nb //~^ ERROR E0382\n  //~| WARN unused_variables\nc //~ ERROR E0505\n");
        let got: Vec<String> = got.unwrap().iter().map(show).collect();
        let want = "line 1: ERROR E0382, line 1: WARN unused_variables, line 4: ERROR E0505";
        assert_eq!(got.join(", "), want);
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
