//! The command line: one type per subcommand, each naming the options it
//! takes, read by one parser (as rust-analyzer's xtask does with xflags).

use crate::error::{Error, Result};
use ch16_ui::host::toolchain::Source;
use std::path::PathBuf;

/// A subcommand and its options.
pub enum Command {
    /// `check` and `bless` (with `--summary FILE`): one run per toolchain.
    Run {
        bless: bool,
        run: Run,
        summary: Option<PathBuf>,
    },
    /// `show <listing>`, on one compiler.
    Show { query: String, compiler: Source },
    /// `new <section> <name>`.
    New { section: String, name: String },
    /// `catalogue`.
    Catalogue,
    /// `site --out DIR [--source-url URL]`.
    Site {
        out: PathBuf,
        source_url: Option<String>,
    },
    /// `rust-src <DIR>`.
    RustSrc { dir: PathBuf },
    /// `bench`.
    Bench(Bench),
    /// `help`, or `--help` anywhere.
    Help,
}

/// Which compilers and fixtures a run is about.
#[derive(Clone, Debug, Default)]
pub struct Run {
    /// `--toolchain T`; none: every installed one.
    pub toolchains: Vec<String>,
    /// `--rustc PATH`.
    pub rustcs: Vec<PathBuf>,
    /// `--filter S`; none: every fixture.
    pub filters: Vec<String>,
}

/// The benchmark's options.
pub struct Bench {
    /// Repetitions on the real suite.
    pub reps: usize,
    /// Repetitions on generated suites and cold starts.
    pub slow_reps: usize,
    /// Generated suites' sizes.
    pub sizes: Vec<usize>,
    /// Whether to measure the cold start.
    pub cold: bool,
    /// L's workers, and every timed `cargo test`'s `-j`/`--test-threads`.
    pub workers: usize,
}

/// How an option takes its value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Takes {
    /// `--no-cold`.
    Nothing,
    /// A value that is not empty.
    Value,
    /// A value that may be empty (`--sizes ''`: none).
    MaybeEmpty,
}

const RUN: &[(&str, Takes)] = &[
    ("--toolchain", Takes::Value),
    ("--rustc", Takes::Value),
    ("--filter", Takes::Value),
];

/// The options in `args`, each with its value (`--opt value` or
/// `--opt=value`), each one of `allowed`.
fn options(args: &[String], allowed: &[(&str, Takes)]) -> Result<Vec<(String, String)>> {
    let mut found = Vec::new();
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
        let Some(&(_, takes)) = allowed.iter().find(|(n, _)| *n == name) else {
            return Err(Error::Request(format!(
                "unknown option `{name}`; see `cargo xtask help`"
            )));
        };
        let value = match (takes, inline) {
            (Takes::Nothing, Some(_)) => {
                return Err(Error::Request(format!("`{name}` takes no value")));
            }
            (Takes::Nothing, None) => String::new(),
            (_, Some(v)) => v,
            (_, None) => it
                .next()
                .cloned()
                .ok_or_else(|| Error::Request(format!("`{name}` needs a value")))?,
        };
        if takes == Takes::Value && value.is_empty() {
            return Err(Error::Request(format!("`{name}` needs a value")));
        }
        found.push((name.to_string(), value));
    }
    Ok(found)
}

/// `v` as a number above 0, for option `name`.
fn number(name: &str, v: &str) -> Result<usize> {
    let n = v.parse::<usize>().ok().filter(|n| *n > 0);
    n.ok_or_else(|| Error::Request(format!("`{name}` takes a number above 0, not `{v}`")))
}

fn run(args: &[String], extra: &[(&str, Takes)]) -> Result<(Run, Vec<(String, String)>)> {
    let mut run = Run::default();
    let mut rest = Vec::new();
    for (name, value) in options(args, &[RUN, extra].concat())? {
        match name.as_str() {
            "--toolchain" => run.toolchains.push(value),
            "--rustc" => run.rustcs.push(value.into()),
            "--filter" => run.filters.push(value),
            _ => rest.push((name, value)),
        }
    }
    Ok((run, rest))
}

fn bench(args: &[String]) -> Result<Bench> {
    let mut b = Bench {
        reps: 3,
        slow_reps: 2,
        sizes: vec![50, 100, 200],
        cold: true,
        workers: 2,
    };
    let allowed = [
        ("--reps", Takes::Value),
        ("--slow-reps", Takes::Value),
        ("--sizes", Takes::MaybeEmpty),
        ("--workers", Takes::Value),
        ("--no-cold", Takes::Nothing),
    ];
    for (name, v) in options(args, &allowed)? {
        match name.as_str() {
            "--reps" => b.reps = number(&name, &v)?,
            "--slow-reps" => b.slow_reps = number(&name, &v)?,
            "--workers" => b.workers = number(&name, &v)?,
            "--sizes" => {
                b.sizes = v
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(|s| number(&name, s))
                    .collect::<Result<_>>()?
            }
            _ => b.cold = false,
        }
    }
    Ok(b)
}

/// The command `args` (after `cargo xtask`) name.
pub fn parse(args: &[String]) -> Result<Command> {
    // `--help` anywhere (`cargo xtask show --help`) is a question.
    if args.iter().skip(1).any(|a| a == "--help" || a == "-h") {
        return Ok(Command::Help);
    }
    let usage = |u: &str| Err(Error::Request(format!("usage: cargo xtask {u}")));
    let (command, rest) = match args.split_first() {
        Some((c, rest)) => (c.as_str(), rest),
        None => return Err(Error::Request(crate::USAGE.into())),
    };
    Ok(match (command, rest) {
        ("check" | "bless", _) => {
            let summary = [("--summary", Takes::Value)];
            let (run, rest) = run(rest, if command == "bless" { &summary } else { &[] })?;
            let summary = rest.into_iter().next().map(|(_, v)| v.into());
            Command::Run {
                bless: command == "bless",
                run,
                summary,
            }
        }
        ("show", [query, options @ ..]) if !query.starts_with('-') => match run(options, &[])? {
            (
                Run {
                    toolchains,
                    rustcs,
                    filters,
                },
                _,
            ) if toolchains.len() + rustcs.len() <= 1 && filters.is_empty() => {
                let compiler = match (toolchains.into_iter().next(), rustcs.into_iter().next()) {
                    (Some(t), _) => Source::Toolchain(t),
                    (_, Some(p)) => Source::Path(p),
                    _ => Source::Current,
                };
                Command::Show {
                    query: query.clone(),
                    compiler,
                }
            }
            _ => return usage("show <listing> [--toolchain T | --rustc PATH]"),
        },
        ("show", _) => return usage("show <listing> [--toolchain T | --rustc PATH]"),
        ("new", [section, name]) => Command::New {
            section: section.clone(),
            name: name.clone(),
        },
        ("new", _) => {
            return usage("new <section> <name>, e.g. `cargo xtask new 16.3 listing-16-16-slug`");
        }
        ("catalogue", _) => {
            options(rest, &[])?;
            Command::Catalogue
        }
        ("site", _) => {
            let mut found = options(
                rest,
                &[("--out", Takes::Value), ("--source-url", Takes::Value)],
            )?
            .into_iter();
            let source_url = found
                .clone()
                .find(|(n, _)| n == "--source-url")
                .map(|(_, v)| v);
            match found.find(|(n, _)| n == "--out") {
                Some((_, out)) => Command::Site {
                    out: out.into(),
                    source_url,
                },
                None => return usage("site --out DIR [--source-url URL]"),
            }
        }
        ("rust-src", [dir]) if !dir.starts_with('-') => Command::RustSrc { dir: dir.into() },
        ("rust-src", _) => return usage("rust-src <DIR>"),
        ("bench", _) => Command::Bench(bench(rest)?),
        ("help" | "--help" | "-h", _) => Command::Help,
        (other, _) => {
            return Err(Error::Request(format!(
                "unknown command `{other}`\n\n{}",
                crate::USAGE
            )));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(a: &[&str]) -> Result<Command> {
        super::parse(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    fn err(a: &[&str]) -> String {
        parse(a).err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn options_values_and_mistakes() {
        let Ok(Command::Run { run, .. }) =
            parse(&["check", "--toolchain", "nightly", "--filter=16-14"])
        else {
            panic!()
        };
        assert_eq!(
            (run.toolchains, run.filters),
            (vec!["nightly".to_string()], vec!["16-14".to_string()])
        );
        let Ok(Command::Bench(b)) = parse(&["bench", "--sizes", "50,100", "--no-cold", "--reps=2"])
        else {
            panic!()
        };
        assert_eq!((b.sizes, b.cold, b.reps), (vec![50, 100], false, 2));
        assert!(err(&["check", "extra"]).contains("unexpected argument `extra`"));
        assert!(err(&["check", "--reps"]).contains("unknown option `--reps`"));
        assert!(err(&["check", "--summary", "x"]).contains("unknown option `--summary`"));
        assert!(err(&["check", "--filter"]).contains("`--filter` needs a value"));
        assert!(err(&["check", "--filter="]).contains("`--filter` needs a value"));
        assert!(err(&["bench", "--reps", "0"]).contains("a number above 0, not `0`"));
        assert!(err(&["bench", "--sizes", "5,x"]).contains("not `x`"));
        assert!(err(&["bench", "--no-cold=1"]).contains("takes no value"));
        assert!(err(&["bench", "--sizes"]).contains("needs a value"));
        assert!(
            matches!(parse(&["bench", "--sizes", ""]), Ok(Command::Bench(b)) if b.sizes.is_empty())
        );
        assert!(
            err(&["show", "16-14", "--toolchain", "a", "--rustc", "b"])
                .starts_with("usage: cargo xtask show")
        );
        assert!(matches!(parse(&["show", "--help"]), Ok(Command::Help)));
    }
}
