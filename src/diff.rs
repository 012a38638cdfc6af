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
