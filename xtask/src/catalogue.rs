//! `cargo xtask catalogue`: write the readers' pages (`ui/README.md` and
//! each fixture directory's `README.md`) from the fixtures and their
//! expectations.

use crate::error::Result;
use ch16_ui::catalogue::{self, Stale};
use std::path::Path;
use std::time::Instant;

/// Regenerate every page that is stale; prints what it wrote.
pub fn run(root: &Path) -> Result<bool> {
    let start = Instant::now();
    let suite = crate::load_each(root)?;
    crate::note_broken(&suite);
    let pages = catalogue::render(&suite)?;
    let stale = catalogue::stale(root, &pages);
    for Stale { path, expected, .. } in &stale {
        let full = root.join(path);
        match expected {
            Some(text) => {
                ch16_ui::host::fsutil::write_atomic(&full, text)
                    .map_err(ch16_ui::Error::io_on(&full))?;
                println!("wrote {}", path.display());
            }
            None => {
                std::fs::remove_file(&full).map_err(ch16_ui::Error::io_on(&full))?;
                println!("removed {} (its directory has no fixtures)", path.display());
            }
        }
    }
    println!(
        "{} page(s) for {} fixtures: {} written or removed, the rest up to date ({:.0} ms)",
        pages.len(),
        suite.fixtures.len(),
        stale.len(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    Ok(true)
}

/// The pages that are stale, for `check`; a fixture the pages cannot show
/// counts as a stale page.
pub fn stale(suite: &ch16_ui::Suite) -> Vec<String> {
    match catalogue::render(suite) {
        Ok(pages) => catalogue::stale(&suite.root, &pages)
            .into_iter()
            .map(|s| s.path.display().to_string())
            .collect(),
        Err(e) => vec![format!("(the pages cannot be generated: {e})")],
    }
}
