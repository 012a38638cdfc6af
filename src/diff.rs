//! Unified diffs for humans, from the `similar` crate.

use similar::{DiffOp, DiffTag, TextDiff};

/// A unified diff of `old` → `new`, three lines of context; empty if equal.
pub fn unified(old: &str, new: &str, from: &str, to: &str) -> String {
    unified_with(old, new, (from, to), 3)
}

/// A unified diff of `old` → `new` with `context` lines of context around
/// each change, the two texts named `names`; empty if equal.
pub fn unified_with(old: &str, new: &str, names: (&str, &str), context: usize) -> String {
    if old == new {
        return String::new();
    }
    let diff = TextDiff::from_lines(old, new);
    let mut unified = diff.unified_diff();
    unified
        .context_radius(context)
        .header(names.0, names.1)
        .to_string()
}

/// Lines of a diff a message shows at most, and characters of one line.
const BRIEF_LINES: usize = 60;
const BRIEF_WIDTH: usize = 300;

/// [`unified`], cut to 60 lines of 300 characters, saying how much was
/// left out (a program may print megabytes).
pub fn brief(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    let whole = unified(old, new, old_name, new_name);
    let lines: Vec<&str> = whole.lines().collect();
    let (shown, rest) = lines.split_at(lines.len().min(BRIEF_LINES));
    let (mut out, mut cut_chars) = (String::new(), 0);
    for line in shown {
        let at = line.char_indices().nth(BRIEF_WIDTH).map(|(at, _)| at);
        let at = at.unwrap_or(line.len());
        cut_chars += line[at..].chars().count();
        out += &line[..at];
        out += if at < line.len() { " …\n" } else { "\n" };
    }
    if !rest.is_empty() {
        let bytes: usize = rest.iter().map(|l| l.len() + 1).sum();
        let n = rest.len();
        out += &format!("… {n} more line(s) of this diff ({bytes} bytes) left out\n");
    }
    if cut_chars > 0 {
        out += &format!("… and {cut_chars} character(s) past the {BRIEF_WIDTH}th of long lines\n");
    }
    out
}

/// Whether `new` is a small edit of `old`: at least half of their lines
/// shared, at most twelve changed.
pub fn is_small_edit(old: &str, new: &str) -> bool {
    let diff = TextDiff::from_lines(old, new);
    let changed = diff.ops().iter().filter(|op| op.tag() != DiffTag::Equal);
    let size = |op: &DiffOp| op.old_range().len().max(op.new_range().len());
    let changed: usize = changed.map(size).sum();
    diff.ratio() >= 0.5 && changed <= 12
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_diff_is_cut_and_says_how_much() {
        let new: String = (0..10_000).map(|i| format!("line {i}\n")).collect();
        let shown = brief("old\n", &new, "a", "b");
        let whole = unified("old\n", &new, "a", "b");
        let rest: Vec<&str> = whole.lines().skip(BRIEF_LINES).collect();
        let (n, bytes) = (rest.len(), rest.iter().map(|l| l.len() + 1).sum::<usize>());
        let end = format!("… {n} more line(s) of this diff ({bytes} bytes) left out\n");
        assert!(shown.lines().count() <= BRIEF_LINES + 2 && shown.ends_with(&end));
        let wide = brief("x\n", &format!("{}\n", "y".repeat(1000)), "a", "b");
        let end = "… and 701 character(s) past the 300th of long lines\n";
        assert!(wide.contains("y …\n") && wide.ends_with(end), "{wide}");
        assert_eq!(brief("same\n", "same\n", "a", "b"), "");
    }
}
