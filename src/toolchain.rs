//! Which compiler is running: asked of `rustc -vV`, through rustup when a
//! toolchain is named.

use crate::error::{Error, Result};
use crate::expect::Version;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A compiler, as `rustc -vV` describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rustc {
    /// The rustup toolchain name it was asked for, or `None` for the default.
    pub toolchain: Option<String>,
    /// `1.95.0`, `1.97.0-nightly`.
    pub release: String,
    /// Full commit hash, or `unknown`.
    pub commit: String,
    /// Major and minor.
    pub version: Version,
    /// `rustc --print sysroot`; std's sources live under it when the
    /// `rust-src` component is installed.
    pub sysroot: String,
    /// Set by [`Rustc::hide_rust_src`]: a sysroot without std's sources that
    /// every compilation uses instead.
    pub shadow_sysroot: Option<PathBuf>,
}

impl Rustc {
    /// A short name safe for a directory: `1.95.0-59807616e`. Two toolchain
    /// names for one compiler give one key; an installation with `rust-src`
    /// gets its own (`…-rust-src`), as its builds use another sysroot.
    pub fn key(&self) -> String {
        let short: String = self.commit.chars().take(9).collect();
        let src = if self.rust_src().is_some() {
            "-rust-src"
        } else {
            ""
        };
        format!("{}-{}{src}", self.release, short)
    }

    /// The `rustc` command, through rustup when a toolchain is named, with
    /// the shadow sysroot when std's sources are hidden.
    pub fn command(&self) -> Command {
        let mut cmd = command("rustc", self.toolchain.as_deref());
        if let Some(shadow) = &self.shadow_sysroot {
            cmd.arg("--sysroot").arg(shadow);
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

    /// Make every compilation blind to std's sources, so that diagnostics
    /// are the same with or without `rust-src`: build at `dir` a sysroot of
    /// links to everything in the real one except the sources, and use it.
    pub fn hide_rust_src(&mut self, dir: &Path) -> Result<()> {
        let real = Path::new(&self.sysroot).join("lib/rustlib");
        let shadow = dir.join("lib/rustlib");
        let io = |p: &Path| {
            let p = p.to_owned();
            move |e| Error::io(p, e)
        };
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(io(dir))?;
        }
        std::fs::create_dir_all(&shadow).map_err(io(&shadow))?;
        for entry in std::fs::read_dir(&real).map_err(io(&real))? {
            let entry = entry.map_err(io(&real))?;
            let name = entry.file_name();
            if name == "src" || name == "rustc-src" {
                continue;
            }
            link(&entry.path(), &shadow.join(&name)).map_err(io(&shadow.join(&name)))?;
        }
        self.shadow_sysroot = Some(dir.to_owned());
        Ok(())
    }

    /// The `cargo` command of the same toolchain.
    pub fn cargo(&self) -> Command {
        command("cargo", self.toolchain.as_deref())
    }

    /// How to name this toolchain to a human.
    pub fn label(&self) -> String {
        match &self.toolchain {
            Some(t) => format!("{t} (rustc {})", self.release),
            None => format!("rustc {}", self.release),
        }
    }
}

#[cfg(unix)]
fn link(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(windows)]
fn link(target: &Path, link: &Path) -> std::io::Result<()> {
    if target.is_dir() {
        std::os::windows::fs::symlink_dir(target, link)
    } else {
        std::os::windows::fs::symlink_file(target, link)
    }
}

fn command(program: &str, toolchain: Option<&str>) -> Command {
    let mut cmd = Command::new(program);
    if let Some(t) = toolchain {
        cmd.arg(format!("+{t}"));
        // A toolchain named explicitly must win over one inherited from an
        // enclosing `cargo +other` invocation.
        cmd.env_remove("RUSTUP_TOOLCHAIN");
        cmd.env_remove("RUSTC");
        cmd.env_remove("CARGO");
    }
    cmd
}

/// Ask the compiler of `toolchain` (or the one in effect) who it is.
pub fn detect(toolchain: Option<&str>) -> Result<Rustc> {
    let name = toolchain.unwrap_or("rustc").to_string();
    let fail = |problem: String| Error::Toolchain {
        toolchain: name.clone(),
        problem,
    };
    let output = command("rustc", toolchain)
        .arg("-vV")
        .output()
        .map_err(|e| fail(format!("could not run rustc: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().next().unwrap_or("").trim();
        return Err(fail(format!(
            "`rustc{} -vV` failed: {first}; see `rustup toolchain list` for what is installed",
            toolchain.map(|t| format!(" +{t}")).unwrap_or_default()
        )));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key).map(|v| v.trim().to_string()))
    };
    let release = field("release:").ok_or_else(|| fail("`rustc -vV` printed no release".into()))?;
    let commit = field("commit-hash:").unwrap_or_else(|| "unknown".into());
    let mut parts = release.split(['.', '-']);
    let version = match (parts.next().map(str::parse), parts.next().map(str::parse)) {
        (Some(Ok(major)), Some(Ok(minor))) => Version { major, minor },
        _ => return Err(fail(format!("cannot read the version in `{release}`"))),
    };
    let sysroot = command("rustc", toolchain)
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .ok_or_else(|| fail("`rustc --print sysroot` failed".into()))?;
    Ok(Rustc {
        toolchain: toolchain.map(str::to_string),
        release,
        commit,
        version,
        sysroot,
        shadow_sysroot: None,
    })
}

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
    let names = if explicit {
        named.to_vec()
    } else {
        installed()?
    };
    let mut compilers: Vec<Rustc> = Vec::new();
    let mut notes = Vec::new();
    for name in names {
        match detect(Some(&name)) {
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
        .map_err(|e| {
            format!("could not run `rustup toolchain list`: {e}; name toolchains with --toolchain")
        })?;
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
