//! What trybuild said about each fixture, read from a batch's report: its
//! verdict line (`test <path> ... ok`, `mismatch`, `error`) and, for a
//! `.stderr` mismatch, the expected and actual texts it printed. trybuild
//! remains the judge of the diagnostics text; this only lets the suite name
//! the fixture, show a short diff and give the command that fixes it,
//! instead of pointing at trybuild's whole report.

/// trybuild's verdict on one fixture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// The path trybuild was given (the staged copy).
    pub path: String,
    /// `ok`, `mismatch`, `error`, …
    pub status: String,
    /// For a mismatch: the expectation trybuild compared with.
    pub expected: Option<String>,
    /// For a mismatch: what the compiler said, as trybuild normalised it.
    pub actual: Option<String>,
}

/// Remove terminal colour codes (`ESC [ … letter`).
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The verdicts in a batch's report, in order.
pub fn verdicts(log: &str) -> Vec<Verdict> {
    let text = strip_ansi(log);
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<Verdict> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if let Some((path, status)) = verdict_line(line) {
            out.push(Verdict {
                path,
                status,
                expected: None,
                actual: None,
            });
            continue;
        }
        let Some(last) = out.last_mut() else { continue };
        let slot = match line.trim_end() {
            "EXPECTED:" => &mut last.expected,
            "ACTUAL OUTPUT:" => &mut last.actual,
            _ => continue,
        };
        // A block between two rules of `┈`.
        if lines.get(i).is_some_and(|l| is_rule(l)) {
            let start = i + 1;
            let end = (start..lines.len())
                .find(|&j| is_rule(lines[j]))
                .unwrap_or(lines.len());
            let mut block = lines[start..end].join("\n");
            block.push('\n');
            *slot = Some(block);
            i = end + 1;
        }
    }
    out
}

/// `test <path> ... <status>` (for a pass test, `test <path> [should pass] ... <status>`).
fn verdict_line(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix("test ")?;
    let (left, status) = rest.rsplit_once(" ... ")?;
    let path = left.split(" [").next()?.trim();
    (!path.is_empty() && path.ends_with(".rs"))
        .then(|| (path.to_string(), status.trim().to_string()))
}

fn is_rule(line: &str) -> bool {
    !line.is_empty() && line.chars().all(|c| c == '┈')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_and_mismatch_texts_are_read_through_colour() {
        let rule = "┈".repeat(20);
        let log = format!(
            "    Checking x\n\n\ntest \u{1b}[0m\u{1b}[1mstage/ui/a/one.rs\u{1b}[0m ... \u{1b}[0m\u{1b}[32mok\n\
             \u{1b}[0mtest stage/ui/a/two.rs ... \u{1b}[31mmismatch\n\u{1b}[0m\n\u{1b}[34mEXPECTED:\n\
             \u{1b}[0m\u{1b}[34m{rule}\nerror: old\n  |\n{rule}\n\nACTUAL OUTPUT:\n{rule}\nerror: new\n  |\n{rule}\n\
             note: If the actual output is the correct output you can bless it by rerunning\n\
             test stage/ui/a/three.rs [should pass] ... error\n"
        );
        let v = verdicts(&log);
        assert_eq!(v.len(), 3, "{v:?}");
        assert_eq!(
            (v[0].path.as_str(), v[0].status.as_str()),
            ("stage/ui/a/one.rs", "ok")
        );
        assert_eq!(v[1].status, "mismatch");
        assert_eq!(v[1].expected.as_deref(), Some("error: old\n  |\n"));
        assert_eq!(v[1].actual.as_deref(), Some("error: new\n  |\n"));
        assert_eq!(
            (v[2].path.as_str(), v[2].status.as_str()),
            ("stage/ui/a/three.rs", "error")
        );
        assert!(!strip_ansi(&log).contains('\u{1b}'));
    }
}
