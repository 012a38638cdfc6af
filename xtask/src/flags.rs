//! Command-line options shared by the subcommands.

use crate::error::{Error, Result};
/// Parsed options.
#[derive(Clone, Debug, Default)]
pub struct Flags {
    /// Toolchains named with `--toolchain`; empty means all installed.
    pub toolchains: Vec<String>,
    /// Compilers named by path with `--rustc`.
    pub rustcs: Vec<std::path::PathBuf>,
    /// `--filter` substrings; empty means all fixtures.
    pub filters: Vec<String>,
    /// `--out DIR` (`site`).
    pub out: Option<std::path::PathBuf>,
    /// `--source-url URL` (`site`).
    pub source_url: Option<String>,
}

/// The options of the commands that run the suite.
pub const RUN: &[&str] = &["--toolchain", "--rustc", "--filter"];

/// The options of `site`.
pub const SITE: &[&str] = &["--out", "--source-url"];

/// Parse `--toolchain T`, `--rustc PATH` and `--filter S` (also as
/// `--opt=value`).
pub fn parse(args: &[String]) -> Result<Flags> {
    parse_only(args, RUN)
}

/// Parse the options in `allowed` (also as `--opt=value`); any other is an
/// error.
pub fn parse_only(args: &[String], allowed: &[&str]) -> Result<Flags> {
    let mut flags = Flags::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .filter(|v| !v.is_empty())
                .ok_or_else(|| Error::Request(format!("`{name}` needs a value")))
        };
        if !allowed.contains(&name) {
            return Err(Error::Request(format!(
                "unknown option `{name}`; see `cargo xtask help`"
            )));
        }
        match name {
            "--out" => flags.out = Some(value()?.into()),
            "--source-url" => flags.source_url = Some(value()?),
            "--toolchain" => flags.toolchains.push(value()?),
            "--rustc" => flags.rustcs.push(value()?.into()),
            "--filter" => flags.filters.push(value()?),
            other => {
                return Err(Error::Request(format!(
                    "unknown option `{other}`; see `cargo xtask help`"
                )));
            }
        }
    }
    Ok(flags)
}
