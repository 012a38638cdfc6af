//! The compiler's diagnostics, read from `--error-format=json`, reduced to
//! what the inline annotations promise: (line, level, code).

use crate::model::annotation::{Expected, Level};
use serde_json::Value;

/// One diagnostic the compiler emitted for the fixture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning; notes and help are children and never top level here.
    pub level: Level,
    /// Error code or lint name; `None` for the few errors without one.
    pub code: Option<String>,
    /// Line of the primary span.
    pub line: usize,
    /// The message's first line, for reports.
    pub message: String,
}

impl Diagnostic {
    /// This diagnostic as an annotation would state it.
    pub fn as_expected(&self) -> Expected {
        Expected {
            line: self.line,
            level: self.level,
            code: self.code.clone().unwrap_or_else(|| "(no code)".into()),
        }
    }
}

/// Parse the JSON lines rustc wrote to stderr. Diagnostics without a span in
/// the source (summaries such as "aborting due to …") are left out.
pub fn parse(stderr: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for line in stderr.lines() {
        let Ok(value) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let level = match value["level"].as_str() {
            Some("error") => Level::Error,
            Some("warning") => Level::Warn,
            _ => continue,
        };
        let spans = value["spans"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        let Some(primary) = spans
            .iter()
            .find(|s| s["is_primary"].as_bool() == Some(true))
        else {
            continue;
        };
        let Some(line) = primary["line_start"].as_u64() else {
            continue;
        };
        out.push(Diagnostic {
            level,
            code: value["code"]["code"].as_str().map(str::to_string),
            line: line as usize,
            message: value["message"]
                .as_str()
                .unwrap_or_default()
                .lines()
                .next()
                .unwrap_or_default()
                .to_string(),
        });
    }
    out
}

/// Differences between annotated and actual diagnostics, as readable lines;
/// empty when the sets agree.
pub fn compare(expected: &[Expected], actual: &[Diagnostic]) -> Vec<(usize, String)> {
    let mut problems = Vec::new();
    for e in expected {
        if !actual.iter().any(|d| d.as_expected() == *e) {
            problems.push((
                e.line,
                format!(
                    "annotated but not reported: {e}; the compiler no longer reports it there: \
                     remove `//~ {} {}` from line {}, or change the code back",
                    e.level, e.code, e.line
                ),
            ));
        }
    }
    let mut reported: Vec<&Diagnostic> = Vec::new();
    for d in actual {
        let as_e = d.as_expected();
        if !expected.contains(&as_e) && !reported.iter().any(|r| r.as_expected() == as_e) {
            problems.push((
                as_e.line,
                format!(
                    "reported but not annotated: {as_e} ({}); add `//~ {} {}` at the end of line {}",
                    d.message, as_e.level, as_e.code, as_e.line
                ),
            ));
            reported.push(d);
        }
    }
    problems
}
