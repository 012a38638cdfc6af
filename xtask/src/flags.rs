//! The command line: one type per subcommand, each naming the options it
//! takes, read by one parser (as rust-analyzer's xtask does with xflags).

use crate::error::{Result, request};
use ch16_ui::host::toolchain::Source;
use std::path::PathBuf;

/// A subcommand and its options.
pub enum Command {
    /// `check` and `bless`: one run per toolchain.
    Run(Run),
    /// `show <listing>`, on one compiler.
    Show { query: String, compiler: Source },
    /// `new <page> <name>`.
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

/// A run of `check` or `bless`: which compilers and fixtures it is about.
#[derive(Clone, Debug, Default)]
pub struct Run {
    /// `bless` (write what changed) rather than `check`.
    pub bless: bool,
    /// `--toolchain T`; none: every installed one.
    pub toolchains: Vec<String>,
    /// `--rustc PATH`.
    pub rustcs: Vec<PathBuf>,
    /// `--filter S`; none: every fixture.
    pub filters: Vec<String>,
    /// `--summary FILE` (bless only).
    pub summary: Option<PathBuf>,
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

/// The options in `args`, each one of `allowed`, with its value (`--opt v`
/// or `--opt=v`; none for `--no-cold`, an empty one only for `--sizes`).
fn options(args: &[String], allowed: &[&str]) -> Result<Vec<(String, String)>> {
    let mut found = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        if !name.starts_with('-') {
            return request(format!(
                "unexpected argument `{name}`: this command takes options only; see `cargo xtask help`"
            ));
        } else if !allowed.contains(&name) {
            return request(format!("unknown option `{name}`; see `cargo xtask help`"));
        }
        let value = match (name == "--no-cold", inline) {
            (true, Some(_)) => return request(format!("`{name}` takes no value")),
            (true, None) => Some(String::new()),
            (false, inline) => inline.or_else(|| it.next().cloned()),
        };
        match value {
            Some(v) if !v.is_empty() || matches!(name, "--no-cold" | "--sizes") => {
                found.push((name.to_string(), v))
            }
            _ => return request(format!("`{name}` needs a value")),
        }
    }
    Ok(found)
}

/// The options of a run (`--summary` for a bless only).
fn run(args: &[String], bless: bool) -> Result<Run> {
    let allowed = ["--toolchain", "--rustc", "--filter", "--summary"];
    let mut run = Run {
        bless,
        ..Run::default()
    };
    for (name, value) in options(args, &allowed[..if bless { 4 } else { 3 }])? {
        match name.as_str() {
            "--toolchain" => run.toolchains.push(value),
            "--rustc" => run.rustcs.push(value.into()),
            "--filter" => run.filters.push(value),
            _ => run.summary = run.summary.or(Some(value.into())),
        }
    }
    Ok(run)
}

fn bench(args: &[String]) -> Result<Bench> {
    let mut b = Bench {
        reps: 3,
        slow_reps: 2,
        sizes: vec![50, 100, 200],
        cold: true,
        workers: 2,
    };
    let allowed = ["--reps", "--slow-reps", "--sizes", "--workers", "--no-cold"];
    for (name, v) in options(args, &allowed)? {
        let number = |v: &str| match v.parse::<usize>() {
            Ok(n) if n > 0 => Ok(n),
            _ => request(format!("`{name}` takes a number above 0, not `{v}`")),
        };
        let sizes = v.split(',').filter(|s| !s.is_empty());
        match name.as_str() {
            "--reps" => b.reps = number(&v)?,
            "--slow-reps" => b.slow_reps = number(&v)?,
            "--workers" => b.workers = number(&v)?,
            "--sizes" => b.sizes = sizes.map(number).collect::<Result<_>>()?,
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
    let usage = |u: &str| request(format!("usage: cargo xtask {u}"));
    let show = "show <listing> [--toolchain T | --rustc PATH]";
    let Some((command, rest)) = args.split_first() else {
        return request(crate::USAGE.into());
    };
    Ok(match (command.as_str(), rest) {
        ("check" | "bless", _) => Command::Run(run(rest, command == "bless")?),
        ("show", [query, options @ ..]) if !query.starts_with('-') => {
            let run = run(options, false)?;
            let compiler = match (&run.toolchains[..], &run.rustcs[..], &run.filters[..]) {
                ([], [], []) => Source::Current,
                ([t], [], []) => Source::Toolchain(t.clone()),
                ([], [p], []) => Source::Path(p.clone()),
                _ => return usage(show),
            };
            let query = query.clone();
            Command::Show { query, compiler }
        }
        ("show", _) => return usage(show),
        ("new", [section, name]) => Command::New {
            section: section.clone(),
            name: name.clone(),
        },
        ("new", _) => {
            return usage("new <page> <name>, e.g. `cargo xtask new 16.3 listing-16-16-slug`");
        }
        ("catalogue", _) => options(rest, &[]).map(|_| Command::Catalogue)?,
        ("site", _) => {
            let found = options(rest, &["--out", "--source-url"])?;
            let get = |n: &str| found.iter().find(|(m, _)| m == n).map(|(_, v)| v.clone());
            match (get("--out").map(PathBuf::from), get("--source-url")) {
                (Some(out), source_url) => Command::Site { out, source_url },
                (None, _) => return usage("site --out DIR [--source-url URL]"),
            }
        }
        ("rust-src", [dir]) if !dir.starts_with('-') => Command::RustSrc { dir: dir.into() },
        ("rust-src", _) => return usage("rust-src <DIR>"),
        ("bench", _) => Command::Bench(bench(rest)?),
        ("help" | "--help" | "-h", _) => Command::Help,
        (other, _) => return request(format!("unknown command `{other}`\n\n{}", crate::USAGE)),
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
        let run = parse(&["check", "--toolchain", "nightly", "--filter=16-14"]);
        let Ok(Command::Run(run)) = run else { panic!() };
        assert!(run.toolchains == ["nightly"] && run.filters == ["16-14"]);
        let b = parse(&["bench", "--sizes", "50,100", "--no-cold", "--reps=2"]);
        let Ok(Command::Bench(b)) = b else { panic!() };
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
        let none = parse(&["bench", "--sizes", ""]);
        assert!(matches!(none, Ok(Command::Bench(b)) if b.sizes.is_empty()));
        let both = err(&["show", "16-14", "--toolchain", "a", "--rustc", "b"]);
        assert!(both.starts_with("usage: cargo xtask show"));
        assert!(matches!(parse(&["show", "--help"]), Ok(Command::Help)));
    }
}
