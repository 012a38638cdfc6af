//! Which compiler: as `rustc -vV` describes the one cargo would use, a rustup
//! toolchain (`+T`), or a `rustc` by path.

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
    /// `rustc --print sysroot` (with std's sources under it if `rust-src` is).
    pub sysroot: String,
}

impl Rustc {
    /// A directory name, one for all names of a compiler: `1.95.0-59807616e`,
    /// and `…-rust-src` with `rust-src` (another sysroot).
    pub fn key(&self) -> String {
        let short: String = self.commit.chars().take(9).collect();
        let src = self.rust_src().map_or("", |_| "-rust-src");
        format!("{}-{short}{src}", self.release)
    }

    /// The `rustc` command.
    pub fn command(&self) -> Command {
        self.source.command("rustc")
    }

    /// The `cargo` command that builds with this compiler.
    pub fn cargo(&self) -> Command {
        self.source.command("cargo")
    }

    /// Where std's sources are, with `rust-src` installed (rustc then quotes them).
    pub fn rust_src(&self) -> Option<PathBuf> {
        let src = Path::new(&self.sysroot).join("lib/rustlib/src/rust");
        src.join("library/std/src/lib.rs").is_file().then_some(src)
    }

    /// How to name this compiler to a human.
    pub fn label(&self) -> String {
        match &self.source {
            Source::Current => format!("rustc {}", self.release),
            source => format!("{} (rustc {})", source.name(), self.release),
        }
    }

    /// The `cargo xtask` option selecting this compiler again (empty for the current one).
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

    /// This compiler's `rustc` or `cargo`.
    fn command(&self, program: &str) -> Command {
        let rustc = program == "rustc";
        let mut cmd = match self {
            Source::Path(path) if rustc => Command::new(path),
            // cargo builds with `$RUSTC` when it is set: ask the same one.
            Source::Current if rustc => {
                Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
            }
            _ => Command::new(program),
        };
        match self {
            // Named, it wins over one inherited from an enclosing `cargo +other`.
            Source::Toolchain(t) => cmd
                .arg(format!("+{t}"))
                .env_remove("RUSTUP_TOOLCHAIN")
                .env_remove("RUSTC")
                .env_remove("CARGO"),
            Source::Path(path) if !rustc => cmd.env("RUSTC", path),
            _ => &mut cmd,
        };
        cmd
    }
}

/// The error of the compiler `toolchain` names.
pub(crate) fn error(toolchain: impl Into<String>, problem: impl Into<String>) -> Error {
    let (toolchain, problem) = (toolchain.into(), problem.into());
    Error::Toolchain { toolchain, problem }
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
    let fail = |problem: String| error(source.name(), problem);
    let shown = match &source {
        Source::Toolchain(t) => format!("rustc +{t}"),
        other => other.name(),
    };
    let run = |args: &[&str]| source.command("rustc").args(args).output();
    let output = run(&["-vV"]).map_err(|e| fail(format!("could not run `{shown}`: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().next().unwrap_or("").trim();
        return Err(fail(format!(
            "`{shown} -vV` failed: {first}; see `rustup toolchain list` for what is installed"
        )));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |key: &str| text.lines().find_map(|l| Some(l.strip_prefix(key)?.trim()));
    let missing = |what: &str| fail(format!("`rustc -vV` printed no {what}"));
    let release = field("release:").ok_or_else(|| missing("release"))?;
    let host = field("host:").ok_or_else(|| missing("host"))?;
    let mut parts = release.split(['.', '-']).map(str::parse);
    let version = match (parts.next(), parts.next()) {
        (Some(Ok(major)), Some(Ok(minor))) => Version { major, minor },
        _ => return Err(fail(format!("cannot read the version in `{release}`"))),
    };
    let sysroot = run(&["--print", "sysroot"]).ok();
    let sysroot = sysroot.filter(|o| o.status.success());
    let sysroot = sysroot.ok_or_else(|| fail(format!("`{shown} --print sysroot` failed")))?;
    Ok(Rustc {
        release: release.into(),
        commit: field("commit-hash:").unwrap_or("unknown").into(),
        version,
        host: host.into(),
        sysroot: String::from_utf8_lossy(&sysroot.stdout).trim().into(),
        source,
    })
}

/// Toolchains to use, and notes on installed ones that were left out.
pub struct Selection {
    /// Distinct compilers, in the order found.
    pub compilers: Vec<Rustc>,
    /// Human-readable notes (duplicates, broken toolchains skipped).
    pub notes: Vec<String>,
}

/// The toolchains `named` and compilers at `paths`, which must work; when both
/// are empty, rustup's working release toolchains, each distinct compiler once
/// (a custom one, `rustup toolchain link`, may be anything: used only if named).
pub fn select(named: &[String], paths: &[PathBuf]) -> Result<Selection> {
    let explicit = !named.is_empty() || !paths.is_empty();
    let mut notes = Vec::new();
    let mut sources: Vec<Source> = named.iter().cloned().map(Source::Toolchain).collect();
    sources.extend(paths.iter().cloned().map(Source::Path));
    if !explicit {
        let (released, custom): (Vec<_>, Vec<_>) =
            installed()?.into_iter().partition(|t| is_released(t));
        if !custom.is_empty() {
            let custom = custom.join(", ");
            notes.push(format!(
                "not used unless named with --toolchain (custom toolchains): {custom}"
            ));
        }
        sources = released.into_iter().map(Source::Toolchain).collect();
    }
    let mut compilers: Vec<Rustc> = Vec::new();
    for source in sources {
        let name = source.name();
        match detect(source) {
            Ok(rustc) => match compilers.iter().find(|c| c.key() == rustc.key()) {
                Some(same) => {
                    let (it, same) = (rustc.label(), same.label());
                    notes.push(format!(
                        "{it} is the same compiler as {same}; using it once"
                    ));
                }
                None => compilers.push(rustc),
            },
            Err(Error::Toolchain { toolchain, problem }) if explicit => {
                let problem = format!("{problem}\n  nothing was changed");
                return Err(Error::Toolchain { toolchain, problem });
            }
            Err(e) if explicit => return Err(e),
            Err(e) => notes.push(format!("SKIPPED {name}: {e}")),
        }
    }
    if compilers.is_empty() {
        let problem = "no working toolchain found; see `rustup toolchain list`";
        return Err(error("rustup", problem));
    }
    Ok(Selection { compilers, notes })
}

/// A rustup toolchain's name as a user types it (`cargo +stable`, `--toolchain
/// 1.95`): without the host's triple that rustup adds (`stable-x86_64-unknown-linux-gnu`).
pub fn typed_name<'a>(toolchain: &'a str, host: &str) -> &'a str {
    let bare = toolchain
        .strip_suffix(host)
        .and_then(|t| t.strip_suffix('-'));
    bare.filter(|t| !t.is_empty()).unwrap_or(toolchain)
}

/// Whether `name` (no host suffix) is `stable`, `beta`, `nightly[-date]`, `1.x` or `1.x.y`.
fn is_released(name: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    // `-2026-05-19`
    let date = |d: &str| d.split('-').map(str::len).eq([0, 4, 2, 2]) && digits(&d.replace('-', ""));
    let release = |v: &str| v.split('.').count() <= 2 && v.split('.').all(digits);
    let mut channels = ["stable", "beta", "nightly"].iter();
    match channels.find_map(|c| name.strip_prefix(c)) {
        Some(rest) => rest.is_empty() || date(rest),
        None => name.strip_prefix("1.").is_some_and(release),
    }
}

/// After a failed run: whether `rustc` is still what it was (not removed, broken, updated).
pub fn still_there(rustc: &Rustc) -> Result<()> {
    let (was, label) = (rustc.key(), rustc.label());
    let problem = match detect(rustc.source.clone()).map(|now| now.key()) {
        Ok(now) if now == was => return Ok(()),
        Ok(now) => format!("it changed during the run, from {was} to {now} (updated?); run again"),
        Err(e) => format!("it stopped working during the run (it was {label}): {e}"),
    };
    Err(error(rustc.source.name(), problem))
}

/// Names from `rustup toolchain list`, without the host suffix.
fn installed() -> Result<Vec<String>> {
    let fail = |why: String| error("rustup", format!("{why}; name toolchains with --toolchain"));
    let output = Command::new("rustup").args(["toolchain", "list"]).output();
    let output = output.map_err(|e| fail(format!("could not run `rustup toolchain list`: {e}")))?;
    if !output.status.success() {
        return Err(fail("`rustup toolchain list` failed".into()));
    }
    let host = current().map(|r| r.host).ok();
    let list = String::from_utf8_lossy(&output.stdout);
    let names = list.lines().filter_map(|l| l.split_whitespace().next());
    let typed = |n: &str| host.as_ref().map_or(n, |h| typed_name(n, h)).to_string();
    Ok(names.filter(|n| *n != "no").map(typed).collect())
}

#[cfg(test)]
#[test]
fn toolchains_are_named_as_typed() {
    let host = "x86_64-unknown-linux-gnu";
    let typed = |t: &str| typed_name(t, host).to_string();
    let names = [
        "stable-x86_64-unknown-linux-gnu",
        "1.95-x86_64-unknown-linux-gnu",
    ];
    assert_eq!(names.map(typed), ["stable", "1.95"]);
    assert_eq!(
        typed("nightly-2026-05-19-x86_64-unknown-linux-gnu"),
        "nightly-2026-05-19"
    );
    assert_eq!(typed("my-build"), "my-build");
}

#[cfg(test)]
#[test]
fn release_toolchains_are_told_from_custom_ones() {
    for name in "stable beta nightly nightly-2026-05-19 1.95 1.95.0".split(' ') {
        assert!(is_released(name), "{name}");
    }
    for name in "ch16-broken-12 my-nightly nightly-may 1 1.x 2.0.0 stable2".split(' ') {
        assert!(!is_released(name), "{name}");
    }
}
