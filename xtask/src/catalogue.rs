//! `cargo xtask catalogue`: write `ui/README.md` from the fixture headers.

use crate::error::Result;
use ch16_ui::{Suite, catalogue};
use std::path::Path;

/// Regenerate the catalogue; prints whether it changed.
pub fn run(root: &Path) -> Result<bool> {
    let suite = crate::load(root)?;
    let text = catalogue::render(&suite);
    let path = root.join(catalogue::PATH);
    if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
        println!(
            "{} is up to date ({} fixtures)",
            catalogue::PATH,
            suite.fixtures.len()
        );
        return Ok(true);
    }
    ch16_ui::fsutil::write_atomic(&path, &text).map_err(ch16_ui::Error::io_on(&path))?;
    println!(
        "wrote {} ({} fixtures)",
        catalogue::PATH,
        suite.fixtures.len()
    );
    Ok(true)
}

/// Used by `check`: is the catalogue current?
pub fn is_current(suite: &Suite) -> bool {
    std::fs::read_to_string(suite.root.join(catalogue::PATH))
        .is_ok_and(|old| old == catalogue::render(suite))
}
