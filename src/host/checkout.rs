//! Which checkout a program of the suite runs for. When clones share a target
//! directory, cargo may run a binary built in another one, from that one's
//! code: this stops it. The only reader of the compile-time
//! `CARGO_MANIFEST_DIR` (`tests/tidy.rs` keeps it so).

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The crate directory this binary's code was compiled from.
const BUILT_FOR: &str = env!("CARGO_MANIFEST_DIR");

/// The checkout cargo names at run time (`<checkout>/xtask` counts as it);
/// fails when it names none or this binary was built in another checkout.
pub fn crate_dir() -> Result<PathBuf> {
    let given = std::env::var_os("CARGO_MANIFEST_DIR").ok_or(Error::Checkout {
        problem: "cargo did not say which checkout this is (CARGO_MANIFEST_DIR is not set)".into(),
        fix: "run it through cargo: `cargo test`, `cargo xtask …`".into(),
    })?;
    let given = PathBuf::from(given);
    let suite = |dir: &Path| dir.join("Cargo.toml").is_file() && dir.join("ui").is_dir();
    let dir = match given.parent() {
        Some(up) if given.ends_with("xtask") && suite(up) => up.to_path_buf(),
        _ => given,
    };
    matches(&dir, Path::new(BUILT_FOR))?;
    Ok(dir)
}

/// `Ok` when the checkout cargo names is the one the binary was built for.
fn matches(running_in: &Path, built_for: &Path) -> Result<()> {
    let same = match (running_in.canonicalize(), built_for.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => running_in == built_for,
    };
    if same {
        return Ok(());
    }
    Err(Error::Checkout {
        problem: format!(
            "this program was built in another checkout ({}), not in this one ({}):\n  \
             the checkouts share a target directory, where cargo took that build as current for this one too,\n  \
             so it may hold the other checkout's code; nothing was run",
            built_for.display(),
            running_in.display()
        ),
        fix: "rebuild it here with `cargo clean -p ch16-ui -p xtask`, then run the command again; \
              or give each checkout its own target directory (unset CARGO_TARGET_DIR, or set one per checkout)"
            .into(),
    })
}

#[cfg(test)]
#[test]
fn another_checkout_is_refused_with_the_fix() {
    let here = Path::new(BUILT_FOR);
    assert!(matches(here, here).is_ok());
    let e = matches(&here.join("target/other"), here).unwrap_err();
    let e = e.to_string();
    assert!(e.contains("built in another checkout"), "{e}");
    assert!(e.contains("cargo clean -p ch16-ui -p xtask"), "{e}");
}
