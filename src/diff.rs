//! Unified diffs for humans, from the `similar` crate.

use similar::TextDiff;

/// A unified diff of `old` → `new` with three lines of context; empty when
/// they are equal.
pub fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    if old == new {
        return String::new();
    }
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .to_string()
}

/// Lines of a diff a message shows at most, and characters of one line.
const BRIEF_LINES: usize = 60;
const BRIEF_WIDTH: usize = 300;

/// [`unified`], cut to fit a message: at most 60 lines of at most 300
/// characters, saying how much was left out (a program that prints
/// megabytes would otherwise print them again as a diff).
pub fn brief(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    let whole = unified(old, new, old_name, new_name);
    let lines: Vec<&str> = whole.lines().collect();
    let mut out = String::new();
    let mut cut_chars = 0;
    for line in lines.iter().take(BRIEF_LINES) {
        match line.char_indices().nth(BRIEF_WIDTH) {
            Some((at, _)) => {
                cut_chars += line[at..].chars().count();
                out.push_str(&line[..at]);
                out.push_str(" …\n");
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    if lines.len() > BRIEF_LINES {
        let rest = &lines[BRIEF_LINES..];
        out.push_str(&format!(
            "… {} more line(s) of this diff ({} bytes) left out\n",
            rest.len(),
            rest.iter().map(|l| l.len() + 1).sum::<usize>()
        ));
    }
    if cut_chars > 0 {
        out.push_str(&format!(
            "… and {cut_chars} character(s) past the {BRIEF_WIDTH}th of long lines\n"
        ));
    }
    out
}

/// Whether `new` is a small edit of `old` rather than another program: at
/// least half of their lines are shared, and at most twelve lines change.
pub fn is_small_edit(old: &str, new: &str) -> bool {
    let diff = TextDiff::from_lines(old, new);
    let changed: usize = diff
        .ops()
        .iter()
        .filter(|op| op.tag() != similar::DiffTag::Equal)
        .map(|op| op.old_range().len().max(op.new_range().len()))
        .sum();
    diff.ratio() >= 0.5 && changed <= 12
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_diff_is_cut_and_says_how_much() {
        let new: String = (0..10_000).map(|i| format!("line {i}\n")).collect();
        let shown = brief("old\n", &new, "a", "b");
        assert!(shown.lines().count() <= BRIEF_LINES + 2, "{shown}");
        assert!(
            shown.ends_with(&format!(
                "… {} more line(s) of this diff ({} bytes) left out\n",
                unified("old\n", &new, "a", "b").lines().count() - BRIEF_LINES,
                unified("old\n", &new, "a", "b")
                    .lines()
                    .skip(BRIEF_LINES)
                    .map(|l| l.len() + 1)
                    .sum::<usize>()
            )),
            "{shown}"
        );
        let wide = brief("x\n", &format!("{}\n", "y".repeat(1000)), "a", "b");
        assert!(
            wide.contains("y …\n")
                && wide.ends_with("… and 701 character(s) past the 300th of long lines\n"),
            "{wide}"
        );
        assert_eq!(brief("same\n", "same\n", "a", "b"), "");
    }
}
