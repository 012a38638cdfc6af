//! `cargo xtask rust-src <DIR>`: a copy of the current toolchain whose
//! sysroot holds std's sources (rebuilt from its `rust-docs` pages), for
//! checking the suite as a reader with the `rust-src` component would run
//! it, without touching rustup.

use crate::error::{Error, Result};
use ch16_ui::host::{sysroot, toolchain};
use std::path::Path;

/// Build the copy at `dir` (which must not exist yet) and print its rustc.
pub fn run(dir: &Path) -> Result<bool> {
    if dir.exists() {
        return Err(Error::Request(format!(
            "{} already exists; name a new directory (nothing was changed)",
            dir.display()
        )));
    }
    let rustc = toolchain::current()?;
    let rebuilt = sysroot::with_sources(Path::new(&rustc.sysroot), dir).inspect_err(|_| {
        let _ = std::fs::remove_dir_all(dir);
    })?;
    let copy = sysroot::rustc_in(dir);
    let check = toolchain::detect(toolchain::Source::Path(copy.clone()))?;
    if check.rust_src().is_none() {
        return Err(Error::Request(format!(
            "{}: the copy does not find its sources",
            copy.display()
        )));
    }
    eprintln!(
        "{} (rustc {}) with {rebuilt} source files of std, alloc and core; remove {} when done",
        dir.display(),
        check.release,
        dir.display()
    );
    println!("{}", copy.display());
    Ok(true)
}
