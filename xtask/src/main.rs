//! `cargo xtask`: the maintainers' tool for the chapter 16 suite.
//!
//! One module per subcommand; the model of fixtures and expectations lives in
//! the `ch16-ui` library and is shared with the test harness.

mod bench;
mod bless;
mod catalogue;
mod error;
mod flags;
mod new;
mod observe;
mod rust_src;
mod show;
mod site;

use ch16_ui::host::toolchain::Source;
use error::{Error, Result};
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  check                 run the suite on each toolchain and compare with the expectations;
                        writes nothing, fails on any drift and prints the command that fixes it
  bless                 run the suite on each toolchain and write the expectations that changed
  show <listing>        print a fixture, and what the compiler says now next to the expectation
                        (e.g. `cargo xtask show 16-14`; `--toolchain T` for another compiler)
  new <section> <name>  scaffold a fixture: section 16.1, 16.2, 16.3 or beyond;
                        name e.g. listing-16-16-slug or beyond-33-slug
  catalogue             regenerate the readers' pages (ui/README.md, ui/<section>/README.md) from the
                        fixtures and their expectations; bless does it too
  site --out DIR        build the companion site (an mdBook of the same pages) into DIR; needs
                        mdbook 0.5.4 [--source-url URL: where the pages' file links point]
  rust-src <DIR>        make at DIR a copy of the current toolchain with std's sources (rebuilt
                        from rust-docs), as the rust-src component installs them; prints its
                        rustc, for `RUSTC=… cargo test` and `cargo xtask check --rustc …`
  bench                 time the suite warm (S) and with every fixture edited (E) against
                        bare rustc (L), on generated suites of 50/100/200 fixtures too, and its
                        cold start against a minimal trybuild crate
                        [--reps N (3)] [--slow-reps N (2)] [--sizes 50,100,200] [--no-cold]
                        [--workers N (2): L's compiles, and `cargo test -j N -- --test-threads=N`]

options:
  --toolchain T   a rustup toolchain to use (repeatable); default: rustup's stable, beta, nightly
                  and 1.x toolchains, each distinct compiler once (custom ones only when named)
  --rustc PATH    a rustc to use, by path (repeatable; cargo is given it as RUSTC)
  --filter S      only the fixture whose id or short id is S (`16-14`, `beyond-04`), else
                  every fixture whose path or id contains S (repeatable)
  --summary FILE  (bless) also write what it did to FILE, in Markdown: the compilers, the
                  fixtures that changed, each file's diff, the refusals (a pull request's body)
";

fn main() -> ExitCode {
    // Ctrl-C or SIGTERM stops every toolchain's run at once; nothing is
    // written afterwards (an interrupted update is the journal's to finish).
    ch16_ui::host::stop::install(false);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = match ch16_ui::host::checkout::crate_dir() {
        Ok(dir) => CHECKOUT.get_or_init(|| dir).clone(),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The suite the commands work on: the checkout's, or another inside it
    // (`CH16_UI_ROOT`, as `cargo test --test ui` takes it: the fault tests'
    // scratch trees). The benchmark always starts from the checkout.
    let suite = std::env::var_os(ch16_ui::protocol::ROOT_ENV)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.clone());
    // `--help` anywhere (`cargo xtask show --help`) is a question, not an error.
    if args.iter().skip(1).any(|a| a == "--help" || a == "-h") {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let result = match args.first().map(String::as_str) {
        Some("check") => {
            flags::parse(&args[1..]).and_then(|f| bless::run(&suite, &f, bless::Mode::Check))
        }
        Some("bless") => {
            flags::parse_only(&args[1..], flags::BLESS).and_then(|f| bless::run(&suite, &f, bless::Mode::Bless))
        }
        Some("show") => match flags::parse(&args[2.min(args.len())..]) {
            Ok(f) if args.len() >= 2 && !args[1].starts_with('-') && f.toolchains.len() + f.rustcs.len() <= 1 && f.filters.is_empty() => {
                let source = match (f.toolchains.first(), f.rustcs.first()) {
                    (Some(t), _) => Source::Toolchain(t.clone()),
                    (_, Some(p)) => Source::Path(p.clone()),
                    _ => Source::Current,
                };
                show::run(&suite, &args[1], source)
            }
            Ok(_) => Err(Error::Request("usage: cargo xtask show <listing> [--toolchain T | --rustc PATH]".into())),
            Err(e) => Err(e),
        },
        Some("new") => match &args[1..] {
            [section, name] => new::run(&suite, section, name),
            _ => Err(Error::Request("usage: cargo xtask new <section> <name>, e.g. `cargo xtask new 16.3 listing-16-16-slug`".into())),
        },
        Some("catalogue") if args.len() == 1 => catalogue::run(&suite),
        Some("site") => site::run(&suite, &args[1..]),
        Some("rust-src") => match &args[1..] {
            [dir] if !dir.starts_with('-') => rust_src::run(Path::new(dir)),
            _ => Err(Error::Request("usage: cargo xtask rust-src <DIR>".into())),
        },
        Some("bench") => bench::run(&root, &args[1..]),
        Some("help" | "--help" | "-h") => {
            print!("{USAGE}");
            Ok(true)
        }
        Some(other) => Err(Error::Request(format!("unknown command `{other}`\n\n{USAGE}"))),
        None => Err(Error::Request(USAGE.to_string())),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The checkout, as cargo names it (see `ch16_ui::host::checkout`).
static CHECKOUT: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

/// The crate directory of the checkout: where `cargo test` runs, and
/// trybuild builds; the suite root too, except for the benchmark's
/// generated suites inside it.
pub fn crate_dir() -> &'static Path {
    CHECKOUT.get().expect("set first thing in main")
}

/// Load the suite, or explain every problem in it.
fn load(root: &Path) -> Result<ch16_ui::Suite> {
    Ok(ch16_ui::Suite::load(root)?)
}

/// Say which fixtures the readers' pages leave out because they do not load.
fn note_broken(suite: &ch16_ui::Suite) {
    for b in &suite.broken {
        println!(
            "note: {} does not load, so the pages leave it out until it does (`cargo test` says why)",
            b.display_path()
        );
    }
}

/// Load the suite for a command that works fixture by fixture: a fixture
/// that does not load matters only where the command selects it (see
/// `Suite::broken`), but a problem of the tree as a whole (a stray file, an
/// id used twice) stops it, with every such problem.
fn load_each(root: &Path) -> Result<ch16_ui::Suite> {
    let suite = ch16_ui::Suite::load_each(root)?;
    if !suite.problems.is_empty() {
        return Err(ch16_ui::Error::Tree(suite.problems.clone()).into());
    }
    Ok(suite)
}
