//! Inline expected diagnostics, in the ui_test/compiletest syntax:
//!
//! ```text
//! let x = y; //~ ERROR E0382        this line
//!            //~^ ERROR E0382       the line above (one `^` per line up)
//!            //~| WARN unused_variables   the same line as the annotation before
//! ```
//!
//! Only the level and the code are written: the check compares the set of
//! (line, level, code) with what the compiler reports, independent of the
//! wording of the messages.

use crate::error::{Error, Result};
use crate::model::header::is_error_code;
use std::fmt;
use std::path::Path;

/// Severity of an expected diagnostic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// `//~ ERROR E0382`: an error with its code.
    Error,
    /// `//~ WARN unused_variables`: a warning with its lint name.
    Warn,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self {
            Level::Error => "ERROR",
            Level::Warn => "WARN",
        })
    }
}

/// One expected diagnostic: on `line`, of `level`, with `code`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Expected {
    /// 1-based line the diagnostic's primary span starts on.
    pub line: usize,
    /// Error or warning.
    pub level: Level,
    /// Error code (`E0382`) or lint name (`unused_variables`).
    pub code: String,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "line {}: {} {}", self.line, self.level, self.code)
    }
}

/// Collect the annotations of `source`; `path` is used in errors only.
pub fn parse(path: &Path, source: &str) -> Result<Vec<Expected>> {
    let mut found: Vec<Expected> = Vec::new();
    let mut previous: Option<(usize, usize)> = None; // (annotation line, target line)
    for (index, text) in source.lines().enumerate() {
        let line = index + 1;
        let Some(at) = text.find("//~") else { continue };
        let err = |problem: String| {
            Error::fixture(
                path,
                Some(line),
                problem,
                "write `//~ ERROR E0382`, `//~^ ERROR E0382` (line above) or `//~ WARN unused_variables`",
            )
        };
        let rest = &text[at + 3..];
        let (target, rest) = if let Some(rest) = rest.strip_prefix('|') {
            match previous {
                Some((prev_line, target)) if prev_line + 1 == line => (target, rest),
                _ => {
                    return Err(err(
                        "`//~|` must follow an annotation on the line just above".into(),
                    ));
                }
            }
        } else {
            let carets = rest.bytes().take_while(|&b| b == b'^').count();
            if carets >= line {
                return Err(err(format!(
                    "`//~{}` points above the first line",
                    "^".repeat(carets)
                )));
            }
            (line - carets, &rest[carets..])
        };
        let mut words = rest.split_whitespace();
        let level = match words.next() {
            Some("ERROR") => Level::Error,
            Some("WARN") | Some("WARNING") => Level::Warn,
            Some(other) => return Err(err(format!("unknown level `{other}` (use ERROR or WARN)"))),
            None => return Err(err("annotation without a level and code".into())),
        };
        let code = match words.next() {
            Some(code) => code.to_string(),
            None => return Err(err(format!("`{level}` without a code"))),
        };
        let valid = match level {
            Level::Error => is_error_code(&code),
            Level::Warn => code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_' || b == b':'),
        };
        if !valid {
            return Err(err(format!(
                "`{code}` is not a valid {} code",
                level.to_string().to_lowercase()
            )));
        }
        if let Some(extra) = words.next() {
            return Err(err(format!(
                "unexpected `{extra}` after the code; put explanations in a separate comment"
            )));
        }
        let expected = Expected {
            line: target,
            level,
            code,
        };
        if found.contains(&expected) {
            return Err(err(format!("{expected} is annotated twice")));
        }
        found.push(expected);
        previous = Some((line, target));
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(src: &str) -> Result<Vec<Expected>> {
        parse(Path::new("t.rs"), src)
    }

    #[test]
    fn carets_and_pipes() {
        let got =
            p("a\nb //~^ ERROR E0382\n  //~| WARN unused_variables\nc //~ ERROR E0505\n").unwrap();
        let got: Vec<String> = got.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            [
                "line 1: ERROR E0382",
                "line 1: WARN unused_variables",
                "line 4: ERROR E0505"
            ]
        );
    }

    #[test]
    fn malformed() {
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
