//! libtest's command line and output, for the test programs that run their
//! own tests (`ui`, `catalogue`, `site`): filters, `--skip`, `--exact`,
//! `--list`, `--ignored`, `--include-ignored`, `--format pretty|terse`,
//! `--color`, and the lines `cargo test` and `cargo nextest` read. (The
//! `libtest-mimic` crate does this too, and brings `clap`, which took a
//! third of a cold build.)

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

/// A test: its name, why it is ignored (if it is), whether it runs
/// whatever the filters and `--skip` say, and what it does.
pub struct Test {
    pub name: String,
    pub ignored: Option<&'static str>,
    pub always: bool,
    pub run: Box<dyn FnOnce() -> Result<(), String>>,
}

impl Test {
    pub fn new(
        name: impl Into<String>,
        run: impl FnOnce() -> Result<(), String> + 'static,
    ) -> Test {
        Test {
            name: name.into(),
            ignored: None,
            always: false,
            run: Box::new(run),
        }
    }
}

/// The command line, as libtest reads it.
#[derive(Default)]
pub struct Args {
    filters: Vec<String>,
    skip: Vec<String>,
    exact: bool,
    pub list: bool,
    ignored: bool,
    include_ignored: bool,
    terse: bool,
    color: Option<bool>,
}

impl Args {
    /// Read `args` (after the program's name); an option libtest does not
    /// know is an error, as libtest says it.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
        let mut a = Args::default();
        let mut it = args.into_iter();
        while let Some(arg) = it.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
                _ => (arg.clone(), None),
            };
            let mut value = || {
                inline
                    .clone()
                    .or_else(|| it.next())
                    .ok_or(format!("Argument to option '{name}' missing"))
            };
            match name.as_str() {
                "--skip" => a.skip.push(value()?),
                "--exact" => a.exact = true,
                "--list" => a.list = true,
                "--ignored" => a.ignored = true,
                "--include-ignored" => a.include_ignored = true,
                "-q" | "--quiet" => a.terse = true,
                "--format" => a.terse = value()? == "terse",
                "--color" => {
                    a.color = match value()?.as_str() {
                        "always" => Some(true),
                        "never" => Some(false),
                        _ => None,
                    }
                }
                // One run serves every test, and its output is in the verdicts.
                "--test-threads" | "--logfile" | "-Z" => drop(value()?),
                "--nocapture" | "--show-output" | "--report-time" => {}
                flag if flag.starts_with('-') => {
                    return Err(format!(
                        "Unrecognized option: '{}'",
                        flag.trim_start_matches('-')
                    ));
                }
                filter => a.filters.push(filter.to_string()),
            }
        }
        Ok(a)
    }

    /// Whether the test `name` (ignored or not) is kept: the filters and
    /// `--skip` select it, and with `--ignored` only ignored tests are.
    pub fn keeps(&self, name: &str, ignored: bool) -> bool {
        let matches = |f: &String| name == f || !self.exact && name.contains(f.as_str());
        let selected = (self.filters.is_empty() || self.filters.iter().any(matches))
            && !self.skip.iter().any(matches);
        selected && (ignored || !self.ignored)
    }
}

/// Run the selected `tests` (or list them), print as libtest does, and
/// give the exit code.
pub fn run(args: &Args, tests: Vec<Test>) -> ExitCode {
    let total = tests.len();
    let tests: Vec<Test> = tests
        .into_iter()
        .filter(|t| t.always || args.keeps(&t.name, t.ignored.is_some()))
        .collect();
    let filtered_out = total - tests.len();
    if args.list {
        for t in &tests {
            println!("{}: test", t.name);
        }
        return ExitCode::SUCCESS;
    }
    let color = args
        .color
        .unwrap_or_else(|| std::io::stdout().is_terminal());
    let paint = |code: &str, text: &str| match color {
        true => format!("\x1b[{code}m{text}\x1b[0m"),
        false => text.to_string(),
    };
    let width = tests.iter().map(|t| t.name.len()).max().unwrap_or(0);
    let plural = if tests.len() == 1 { "" } else { "s" };
    println!("\nrunning {} test{plural}", tests.len());
    let start = Instant::now();
    let (mut passed, mut ignored, mut failures) = (0, 0, Vec::new());
    for (i, t) in tests.into_iter().enumerate() {
        let (mark, word) = match t.ignored.filter(|_| !args.ignored && !args.include_ignored) {
            Some(why) => {
                ignored += 1;
                ("i", paint("33", &format!("ignored, {why}")))
            }
            None => match (t.run)() {
                Ok(()) => {
                    passed += 1;
                    (".", paint("32", "ok"))
                }
                Err(message) => {
                    failures.push((t.name.clone(), message));
                    ("F", paint("31", "FAILED"))
                }
            },
        };
        match args.terse {
            true => print!("{mark}{}", if (i + 1) % 88 == 0 { "\n" } else { "" }),
            false => println!("test {:width$} ... {word}", t.name),
        }
    }
    if args.terse {
        println!();
    }
    if !failures.is_empty() {
        println!("\nfailures:\n");
        for (name, message) in &failures {
            println!("---- {name} ----\n{message}\n");
        }
        println!("\nfailures:");
        failures.iter().for_each(|(name, _)| println!("    {name}"));
    }
    let outcome = if failures.is_empty() {
        paint("32", "ok")
    } else {
        paint("31", "FAILED")
    };
    println!(
        "\ntest result: {outcome}. {passed} passed; {} failed; {ignored} ignored; 0 measured; {filtered_out} filtered out; finished in {:.2}s\n",
        failures.len(),
        start.elapsed().as_secs_f64()
    );
    ExitCode::from(u8::from(!failures.is_empty()))
}
