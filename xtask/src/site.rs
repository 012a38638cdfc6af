//! `cargo xtask site --out DIR [--source-url URL]`: the companion site, an
//! mdBook of the readers' pages (`ch16_ui::catalogue::site`).

use crate::error::{Error, Result};
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask site --out DIR [--source-url URL]";

/// Build the site where `--out` says.
pub fn run(root: &std::path::Path, args: &[String]) -> Result<bool> {
    let flags = crate::flags::parse_only(args, crate::flags::SITE)?;
    let Some(out) = flags.out else {
        return Err(Error::Request(USAGE.into()));
    };
    let source = flags.source_url;
    let start = Instant::now();
    let suite = crate::load_each(root)?;
    crate::note_broken(&suite);
    ch16_ui::catalogue::site::build(&suite, &out, source.as_deref())?;
    println!(
        "wrote the site for {} fixtures to {} in {:.1}s: open {}",
        suite.fixtures.len(),
        out.display(),
        start.elapsed().as_secs_f64(),
        out.join("index.html").display()
    );
    Ok(true)
}
