//! What the readers' pages must show of a fixture, found independently of
//! the generator (`src/catalogue/`), for the tests that read the pages.

use ch16_ui::Fixture;

/// The fixture's code as a reader types it: the file after its `//!`
/// lines and the blank line below them.
pub fn fixture_code(f: &Fixture) -> String {
    let lines: Vec<&str> = f.source.lines().collect();
    let start = lines
        .iter()
        .position(|l| !l.starts_with("//!"))
        .unwrap_or(0)
        + 1;
    lines[start..].iter().map(|l| format!("{l}\n")).collect()
}
