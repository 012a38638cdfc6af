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
