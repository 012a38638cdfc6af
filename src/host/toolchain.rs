//! Which compiler is running: asked of `rustc -vV`, the one cargo would use
//! (honouring `RUSTC`), a rustup toolchain named with `+T`, or a `rustc` given
//! by path.

use crate::error::{Error, Result};
use crate::names::Version;
use std::path::{Path, PathBuf};
use std::process::Command;

/// How a compiler was chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The one cargo uses here: `$RUSTC`, or `rustc` on the path.
    Current,
    /// A rustup toolchain, by name (`nightly`).
    Toolchain(String),
    /// A `rustc` program, by path (cargo is given it as `RUSTC`).
    Path(PathBuf),
}

/// A compiler, as `rustc -vV` describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rustc {
    /// How it was chosen.
    pub source: Source,
    /// `1.95.0`, `1.97.0-nightly`.
    pub release: String,
    /// Full commit hash, or `unknown`.
    pub commit: String,
    /// Major and minor.
    pub version: Version,
    /// The target it compiles for by default (`x86_64-unknown-linux-gnu`).
    pub host: String,
    /// `rustc --print sysroot`; std's sources live under it when the
    /// `rust-src` component is installed.
    pub sysroot: String,
}

impl Rustc {
    /// A short name safe for a directory: `1.95.0-59807616e`. Two toolchain
    /// names for one compiler give one key; an installation with `rust-src`
    /// gets its own (`…-rust-src`), as its fixtures are built against another
    /// sysroot.
    pub fn key(&self) -> String {
        let short: String = self.commit.chars().take(9).collect();
        let src = if self.rust_src().is_some() {
            "-rust-src"
        } else {
            ""
        };
        format!("{}-{}{src}", self.release, short)
    }

    /// The `rustc` command.
    pub fn command(&self) -> Command {
        self.source.rustc()
    }

    /// The `cargo` command that builds with this compiler.
    pub fn cargo(&self) -> Command {
        let mut cmd = command("cargo", &self.source);
        if let Source::Path(path) = &self.source {
            cmd.env("RUSTC", path);
        }
        cmd
    }

    /// Where std's sources are, when the `rust-src` component is installed.
    /// rustc then quotes std's code under notes such as "required by a bound
    /// in `spawn`", which trybuild does not normalise away.
    pub fn rust_src(&self) -> Option<PathBuf> {
        let src = Path::new(&self.sysroot).join("lib/rustlib/src/rust");
        src.join("library/std/src/lib.rs").is_file().then_some(src)
    }

    /// How to name this compiler to a human.
    pub fn label(&self) -> String {
        match &self.source {
            Source::Current => format!("rustc {}", self.release),
            Source::Toolchain(t) => format!("{t} (rustc {})", self.release),
            Source::Path(p) => format!("{} (rustc {})", p.display(), self.release),
        }
    }

    /// The `cargo xtask` option that selects this compiler again (empty for
    /// the current one).
    pub fn selector(&self) -> String {
        match &self.source {
            Source::Toolchain(t) => format!(" --toolchain {t}"),
            Source::Path(p) => format!(" --rustc {}", p.display()),
            Source::Current => String::new(),
        }
    }

    /// A short name for a table column: the toolchain's name, or the release.
    pub fn column(&self) -> String {
        match &self.source {
            Source::Toolchain(t) => t.clone(),
            _ => self.release.clone(),
        }
    }
}

impl Source {
    /// How the compiler was named: `rustc`, a toolchain, or a path.
    pub fn name(&self) -> String {
        match self {
            Source::Current => "rustc".into(),
            Source::Toolchain(t) => t.clone(),
            Source::Path(p) => p.display().to_string(),
        }
    }

    /// The command that starts this compiler.
    fn rustc(&self) -> Command {
        match self {
            Source::Path(path) => Command::new(path),
            source => command("rustc", source),
        }
    }

    /// The command as a human would type it.
    fn shown(&self) -> String {
        match self {
            Source::Toolchain(t) => format!("rustc +{t}"),
            other => other.name(),
        }
    }
}

fn command(program: &str, source: &Source) -> Command {
    match source {
        Source::Toolchain(t) => {
            let mut cmd = Command::new(program);
            cmd.arg(format!("+{t}"));
            // A toolchain named explicitly must win over one inherited from an
            // enclosing `cargo +other` invocation.
            cmd.env_remove("RUSTUP_TOOLCHAIN");
            cmd.env_remove("RUSTC");
            cmd.env_remove("CARGO");
            cmd
        }
        // cargo itself builds with `$RUSTC` when it is set: ask the same one.
        _ if program == "rustc" => {
            Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        }
        _ => Command::new(program),
    }
}

/// Ask the compiler cargo uses here (`$RUSTC`, or `rustc`) who it is.
pub fn current() -> Result<Rustc> {
    detect(Source::Current)
}

/// Ask the compiler chosen by `source` who it is.
pub fn detect(source: Source) -> Result<Rustc> {
    // cargo runs rustc from other directories: a path must hold anywhere.
    let source = match source {
        Source::Path(p) => Source::Path(std::path::absolute(&p).unwrap_or(p)),
        other => other,
    };
    let fail = |problem: String| Error::Toolchain {
        toolchain: source.name(),
        problem,
    };
    let shown = source.shown();
    let output = source
        .rustc()
        .arg("-vV")
        .output()
        .map_err(|e| fail(format!("could not run `{shown}`: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().next().unwrap_or("").trim();
        return Err(fail(format!(
            "`{shown} -vV` failed: {first}; see `rustup toolchain list` for what is installed"
        )));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key).map(|v| v.trim().to_string()))
    };
    let release = field("release:").ok_or_else(|| fail("`rustc -vV` printed no release".into()))?;
    let commit = field("commit-hash:").unwrap_or_else(|| "unknown".into());
    let host = field("host:").ok_or_else(|| fail("`rustc -vV` printed no host".into()))?;
    let mut parts = release.split(['.', '-']);
    let version = match (parts.next().map(str::parse), parts.next().map(str::parse)) {
        (Some(Ok(major)), Some(Ok(minor))) => Version { major, minor },
        _ => return Err(fail(format!("cannot read the version in `{release}`"))),
    };
    let sysroot = source
        .rustc()
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .ok_or_else(|| fail(format!("`{shown} --print sysroot` failed")))?;
    Ok(Rustc {
        source,
        release,
        commit,
        version,
        host,
        sysroot,
    })
}

/// Toolchains to use, and notes on installed ones that were left out.
pub struct Selection {
    /// Distinct compilers, in the order found.
    pub compilers: Vec<Rustc>,
    /// Human-readable notes (duplicates, broken toolchains skipped).
    pub notes: Vec<String>,
}

/// Resolve the toolchains `named` and the compilers at `paths`; when both
/// are empty, rustup's channel and version toolchains (`stable`, `beta`,
/// `nightly`, `1.x`), each distinct compiler once. A custom toolchain (one
/// linked with `rustup toolchain link`) is used only when named: it may be
/// anything, even another test's. One named explicitly must work; an
/// installed one that does not is skipped with a note.
pub fn select(named: &[String], paths: &[PathBuf]) -> Result<Selection> {
    let explicit = !named.is_empty() || !paths.is_empty();
    let mut notes = Vec::new();
    let sources: Vec<Source> = if explicit {
        let toolchains = named.iter().cloned().map(Source::Toolchain);
        toolchains
            .chain(paths.iter().cloned().map(Source::Path))
            .collect()
    } else {
        let (released, custom): (Vec<String>, Vec<String>) =
            installed()?.into_iter().partition(|t| is_released(t));
        if !custom.is_empty() {
            notes.push(format!(
                "not used unless named with --toolchain (custom toolchains): {}",
                custom.join(", ")
            ));
        }
        released.into_iter().map(Source::Toolchain).collect()
    };
    let mut compilers: Vec<Rustc> = Vec::new();
    for source in sources {
        let name = source.name();
        match detect(source) {
            Ok(rustc) => match compilers.iter().find(|c| c.key() == rustc.key()) {
                Some(same) => notes.push(format!(
                    "{} is the same compiler as {}; using it once",
                    rustc.label(),
                    same.label()
                )),
                None => compilers.push(rustc),
            },
            Err(Error::Toolchain { toolchain, problem }) if explicit => {
                return Err(Error::Toolchain {
                    toolchain,
                    problem: format!("{problem}\n  nothing was changed"),
                });
            }
            Err(e) if explicit => return Err(e),
            Err(e) => notes.push(format!("SKIPPED {name}: {e}")),
        }
    }
    if compilers.is_empty() {
        return Err(rustup(
            "no working toolchain found; see `rustup toolchain list`",
        ));
    }
    Ok(Selection { compilers, notes })
}

/// Whether `name` (host suffix removed) is one rustup installs from a
/// release channel: `stable`, `beta`, `nightly` (optionally dated), or a
/// version `1.x` / `1.x.y`.
fn is_released(name: &str) -> bool {
    let dated = |rest: &str| {
        rest.is_empty()
            || rest.strip_prefix('-').is_some_and(|date| {
                date.len() == 10
                    && date.char_indices().all(|(i, c)| {
                        if i == 4 || i == 7 {
                            c == '-'
                        } else {
                            c.is_ascii_digit()
                        }
                    })
            })
    };
    for channel in ["stable", "beta", "nightly"] {
        if let Some(rest) = name.strip_prefix(channel) {
            return dated(rest);
        }
    }
    let parts: Vec<&str> = name.split('.').collect();
    (2..=3).contains(&parts.len())
        && parts[0] == "1"
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// After a run that failed: whether `rustc` is still the compiler it was.
/// A toolchain removed, broken or updated during a run is named as such, so
/// that its failure is never taken for the fixtures'.
pub fn still_there(rustc: &Rustc) -> Result<()> {
    let now = detect(rustc.source.clone()).map_err(|e| Error::Toolchain {
        toolchain: rustc.source.name(),
        problem: format!(
            "it stopped working during the run (it was {}): {e}",
            rustc.label()
        ),
    })?;
    if now.key() != rustc.key() {
        return Err(Error::Toolchain {
            toolchain: rustc.source.name(),
            problem: format!(
                "it changed during the run, from {} to {} (updated?); run again",
                rustc.key(),
                now.key()
            ),
        });
    }
    Ok(())
}

/// A problem with rustup itself.
fn rustup(problem: impl Into<String>) -> Error {
    Error::Toolchain {
        toolchain: "rustup".into(),
        problem: problem.into(),
    }
}

/// Names from `rustup toolchain list`, without the host suffix.
fn installed() -> Result<Vec<String>> {
    let output = Command::new("rustup")
        .args(["toolchain", "list"])
        .output()
        .map_err(|e| {
            rustup(format!(
                "could not run `rustup toolchain list`: {e}; name toolchains with --toolchain"
            ))
        })?;
    if !output.status.success() {
        return Err(rustup(
            "`rustup toolchain list` failed; name toolchains with --toolchain",
        ));
    }
    let host = current().ok().map(|r| format!("-{}", r.host));
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

#[cfg(test)]
mod tests {
    use super::is_released;

    #[test]
    fn release_toolchains_are_told_from_custom_ones() {
        for name in [
            "stable",
            "beta",
            "nightly",
            "nightly-2026-05-19",
            "1.95",
            "1.95.0",
        ] {
            assert!(is_released(name), "{name}");
        }
        for name in [
            "ch16-broken-12",
            "my-nightly",
            "nightly-may",
            "1",
            "1.x",
            "2.0.0",
            "stable2",
        ] {
            assert!(!is_released(name), "{name}");
        }
    }
}
