//! `cargo xtask catalogue`, `site` and `rust-src`: the readers' pages, their
//! site, and a toolchain with std's sources to check they do not depend on it.

use crate::error::{Result, request};
use ch16_ui::catalogue::{self, Stale};
use ch16_ui::host::{sysroot, toolchain};
use ch16_ui::model::suite::Suite;
use std::path::Path;
use std::time::Instant;

/// Say which fixtures the readers' pages leave out because they do not load.
fn note_broken(suite: &Suite) {
    for f in suite.fixtures.iter().filter(|f| f.listing.is_err()) {
        let path = f.display_path();
        println!(
            "note: {path} does not load, so the pages leave it out until it does (`cargo test` says why)"
        );
    }
}

/// Regenerate every page that is stale, saying what it wrote.
pub fn run(root: &Path) -> Result<bool> {
    let start = Instant::now();
    let suite = crate::load(root)?;
    note_broken(&suite);
    let pages = catalogue::render(&suite)?;
    let stale = catalogue::stale(root, &pages);
    for Stale { path, expected, .. } in &stale {
        let (full, shown) = (root.join(path), path.display());
        let io = ch16_ui::error::Error::io_on(&full);
        if let Some(text) = expected {
            ch16_ui::host::write_atomic(&full, text).map_err(io)?;
            println!("wrote {shown}");
        } else {
            std::fs::remove_file(&full).map_err(io)?;
            println!("removed {shown} (its directory has no fixtures)");
        }
    }
    let (n, fixtures, stale) = (pages.len(), suite.loaded().count(), stale.len());
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    println!(
        "{n} page(s) for {fixtures} fixtures: {stale} written or removed, the rest up to date ({ms:.0} ms)"
    );
    Ok(true)
}

/// The pages that are stale, for `check`; a fixture the pages cannot show
/// counts as a stale page.
pub fn stale(suite: &Suite) -> Vec<String> {
    match catalogue::render(suite) {
        Ok(pages) => catalogue::stale(&suite.root, &pages)
            .into_iter()
            .map(|s| s.path.display().to_string())
            .collect(),
        Err(e) => vec![format!("(the pages cannot be generated: {e})")],
    }
}

/// Build the companion site into `out`.
pub fn site(root: &Path, out: &Path, source_url: Option<&str>) -> Result<bool> {
    let start = Instant::now();
    let suite = crate::load(root)?;
    note_broken(&suite);
    catalogue::site::build(&suite, out, source_url)?;
    let (n, secs) = (suite.loaded().count(), start.elapsed().as_secs_f64());
    let index = out.join("index.html");
    let (out, index) = (out.display(), index.display());
    println!("wrote the site for {n} fixtures to {out} in {secs:.1}s: open {index}");
    Ok(true)
}

/// Copy the current toolchain to the new `dir` with std's sources (rebuilt
/// from `rust-docs`), without rustup, and print its rustc.
pub fn rust_src(dir: &Path) -> Result<bool> {
    if dir.exists() {
        let dir = dir.display();
        return request(format!(
            "{dir} already exists; name a new directory (nothing was changed)"
        ));
    }
    let rustc = toolchain::current()?;
    let rebuilt = sysroot::with_sources(Path::new(&rustc.sysroot), dir).inspect_err(|_| {
        let _ = std::fs::remove_dir_all(dir);
    })?;
    let copy = sysroot::rustc_in(dir);
    let check = toolchain::detect(toolchain::Source::Path(copy.clone()))?;
    if check.rust_src().is_none() {
        let copy = copy.display();
        return request(format!("{copy}: the copy does not find its sources"));
    }
    let (dir, release) = (dir.display(), &check.release);
    eprintln!(
        "{dir} (rustc {release}) with {rebuilt} source files of std, alloc and core; remove {dir} when done"
    );
    println!("{}", copy.display());
    Ok(true)
}
