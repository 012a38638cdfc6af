//! Command-line options: one parser for every subcommand, each of which
//! names the options it takes.

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
    /// `--reps N` (`bench`).
    pub reps: Option<usize>,
    /// `--slow-reps N` (`bench`).
    pub slow_reps: Option<usize>,
    /// `--sizes 50,100,200` (`bench`).
    pub sizes: Option<Vec<usize>>,
    /// `--workers N` (`bench`).
    pub workers: Option<usize>,
    /// `--no-cold` (`bench`).
    pub no_cold: bool,
    /// `--summary FILE` (`bless`): what it did, in Markdown.
    pub summary: Option<std::path::PathBuf>,
}

/// The options of the commands that run the suite.
pub const RUN: &[&str] = &["--toolchain", "--rustc", "--filter"];

/// The options of `bless`.
pub const BLESS: &[&str] = &["--toolchain", "--rustc", "--filter", "--summary"];

/// The options of `site`.
pub const SITE: &[&str] = &["--out", "--source-url"];

/// The options of `bench`.
pub const BENCH: &[&str] = &["--reps", "--slow-reps", "--sizes", "--workers", "--no-cold"];

/// Options that take no value.
const SWITCHES: &[&str] = &["--no-cold"];

/// Options whose value may be empty (`--sizes ''`: no generated suites).
const MAY_BE_EMPTY: &[&str] = &["--sizes"];

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
        if !name.starts_with('-') {
            return Err(Error::Request(format!(
                "unexpected argument `{name}`: this command takes options only; see `cargo xtask help`"
            )));
        }
        if !allowed.contains(&name) {
            return Err(Error::Request(format!(
                "unknown option `{name}`; see `cargo xtask help`"
            )));
        }
        if SWITCHES.contains(&name) {
            if inline.is_some() {
                return Err(Error::Request(format!("`{name}` takes no value")));
            }
        } else if inline.is_none() && it.clone().next().is_none()
            || !MAY_BE_EMPTY.contains(&name)
                && (inline.as_deref() == Some("")
                    || inline.is_none() && it.clone().next().is_some_and(String::is_empty))
        {
            return Err(Error::Request(format!("`{name}` needs a value")));
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .unwrap_or_default()
        };
        let number = |v: String| {
            v.parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| {
                Error::Request(format!("`{name}` takes a number above 0, not `{v}`"))
            })
        };
        match name {
            "--out" => flags.out = Some(value().into()),
            "--source-url" => flags.source_url = Some(value()),
            "--toolchain" => flags.toolchains.push(value()),
            "--rustc" => flags.rustcs.push(value().into()),
            "--filter" => flags.filters.push(value()),
            "--summary" => flags.summary = Some(value().into()),
            "--reps" => flags.reps = Some(number(value())?),
            "--slow-reps" => flags.slow_reps = Some(number(value())?),
            "--workers" => flags.workers = Some(number(value())?),
            "--sizes" => {
                flags.sizes = Some(
                    value()
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(|s| number(s.to_string()))
                        .collect::<Result<_>>()?,
                )
            }
            "--no-cold" => flags.no_cold = true,
            other => {
                return Err(Error::Request(format!(
                    "unknown option `{other}`; see `cargo xtask help`"
                )));
            }
        }
    }
    Ok(flags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options_values_and_mistakes() {
        let f = parse(&args(&["--toolchain", "nightly", "--filter=16-14"])).unwrap();
        assert_eq!(
            (f.toolchains, f.filters),
            (vec!["nightly".into()], vec!["16-14".into()])
        );
        let f = parse_only(
            &args(&["--sizes", "50,100", "--no-cold", "--reps=2"]),
            BENCH,
        )
        .unwrap();
        assert_eq!(
            (f.sizes, f.no_cold, f.reps),
            (Some(vec![50, 100]), true, Some(2))
        );
        let err = |a: &[&str], allowed| parse_only(&args(a), allowed).unwrap_err().to_string();
        assert!(err(&["extra"], RUN).contains("unexpected argument `extra`"));
        assert!(err(&["--reps"], RUN).contains("unknown option `--reps`"));
        assert!(err(&["--filter"], RUN).contains("`--filter` needs a value"));
        assert!(err(&["--filter="], RUN).contains("`--filter` needs a value"));
        assert!(err(&["--reps", "0"], BENCH).contains("a number above 0, not `0`"));
        assert!(err(&["--sizes", "5,x"], BENCH).contains("not `x`"));
        assert!(err(&["--no-cold=1"], BENCH).contains("takes no value"));
        assert!(err(&["--sizes"], BENCH).contains("needs a value"));
        let none = parse_only(&args(&["--sizes", ""]), BENCH).unwrap();
        assert_eq!(none.sizes, Some(Vec::new()));
    }
}
