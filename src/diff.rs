//! Unified diffs for humans, from the `similar` crate.

use crate::cut;
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

/// [`unified`], cut to [`cut::LINES`] lines of [`cut::WIDTH`] characters,
/// saying how much was cut: what every message shows of a diff.
pub fn brief(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    let whole = unified(old, new, old_name, new_name);
    cut::text(&whole, cut::Keep::Head(cut::LINES), cut::WIDTH)
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
        let n = whole.lines().count() - cut::LINES;
        let end = format!("[… {n} lines cut …]\n");
        assert!(shown.lines().count() == cut::LINES + 1 && shown.ends_with(&end));
        let wide = brief("x\n", &format!("{}\n", "y".repeat(1000)), "a", "b");
        assert!(wide.contains("y[… 701 characters cut …]\n"), "{wide}");
        assert_eq!(brief("same\n", "same\n", "a", "b"), "");
    }
}
