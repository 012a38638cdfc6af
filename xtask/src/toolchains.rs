//! Which toolchains a command runs on: the ones named, or every installed
//! one, each distinct compiler once.

use ch16_ui::toolchain::{self, Rustc};
use std::process::Command;

/// Toolchains to use, and notes on installed ones that were left out.
pub struct Selection {
    /// Distinct compilers, in the order found.
    pub compilers: Vec<Rustc>,
    /// Human-readable notes (duplicates, broken toolchains skipped).
    pub notes: Vec<String>,
}

/// Resolve `named` (or every installed toolchain when empty). A toolchain
/// named explicitly must work; an installed one that does not is skipped
/// with a note.
pub fn select(named: &[String]) -> Result<Selection, String> {
    let explicit = !named.is_empty();
    let names = if explicit { named.to_vec() } else { installed()? };
    let mut compilers: Vec<Rustc> = Vec::new();
    let mut notes = Vec::new();
    for name in names {
        match toolchain::detect(Some(&name)) {
            Ok(rustc) => match compilers.iter().find(|c| c.key() == rustc.key()) {
                Some(same) => notes.push(format!(
                    "{name} is the same compiler as {} (rustc {}); using it once",
                    same.toolchain.as_deref().unwrap_or("?"),
                    rustc.release
                )),
                None => compilers.push(rustc),
            },
            Err(e) if explicit => return Err(format!("{e}\n  nothing was changed")),
            Err(e) => notes.push(format!("SKIPPED {name}: {e}")),
        }
    }
    if compilers.is_empty() {
        return Err("no working toolchain found; see `rustup toolchain list`".into());
    }
    Ok(Selection { compilers, notes })
}

/// Names from `rustup toolchain list`, without the host suffix.
fn installed() -> Result<Vec<String>, String> {
    let output = Command::new("rustup")
        .args(["toolchain", "list"])
        .output()
        .map_err(|e| format!("could not run `rustup toolchain list`: {e}; name toolchains with --toolchain"))?;
    if !output.status.success() {
        return Err("`rustup toolchain list` failed; name toolchains with --toolchain".into());
    }
    let host = host_suffix();
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| !n.is_empty() && *n != "no")
        .map(|n| match &host {
            Some(h) => n.strip_suffix(h.as_str()).unwrap_or(n).to_string(),
            None => n.to_string(),
        })
        .collect())
}

/// `-x86_64-unknown-linux-gnu` for the host rustup runs on.
fn host_suffix() -> Option<String> {
    let out = Command::new("rustc").arg("-vV").output().ok()?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(|h| format!("-{}", h.trim())))
}
