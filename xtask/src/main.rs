//! `cargo xtask`: the maintainers' tool for the chapter 16 suite, on the
//! `ch16-ui` library's model of fixtures and expectations.

mod bench;
mod bless;
mod catalogue;
mod error;
mod flags;
mod new;
mod observe;
mod show;
mod unchecked;

use ch16_ui::model::suite::Suite;
use ch16_ui::observe::stage::{Hold, hold_tree};
use error::Result;
use flags::Command;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  check                 run the suite on each toolchain and compare with the expectations;
                        writes nothing, fails on any drift and prints the command that fixes it;
                        names each compiler version of ui/toolchains.txt it ran none of (UNCHECKED)
  bless                 run the suite on each toolchain and write the expectations that changed
  show <listing>        print a fixture, and what the compiler says now next to the expectation
                        (e.g. `cargo xtask show 16-14`; `--toolchain T` for another compiler)
  new <page> <name>     scaffold a fixture on a page of the chapter table: 16.1, 16.2, 16.3 (the
                        book's listings, e.g. listing-16-16-slug) or 16.1-beyond, 16.2-beyond,
                        16.3-guards, 16.3-sharing, 16.3-deadlocks, 16.4 (ours, e.g. beyond-37-slug)
  catalogue             regenerate the readers' pages (ui/README.md, ui/<page>/README.md) from the
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
    // Ctrl-C or SIGTERM stops every toolchain's run at once, writing nothing.
    ch16_ui::host::stop::install(ch16_ui::host::stop::Role::Command);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = ch16_ui::host::checkout::crate_dir().map_err(Into::into);
    match root.and_then(|root| run(&root, flags::parse(&args)?)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Run `command` in the checkout at `root` (the crate directory, where
/// `cargo test` runs and trybuild builds); whether all is in order.
fn run(root: &Path, command: Command) -> Result<bool> {
    // The checkout's suite, or `CH16_UI_ROOT`'s; the benchmark's is the checkout's.
    let suite = std::env::var_os(ch16_ui::names::ROOT_ENV)
        .map_or_else(|| root.to_path_buf(), PathBuf::from);
    // A command that writes `ui/` holds it alone, from its first read to its
    // last write (a bless's own runs read it under that hold); one that
    // reads it shares it with runs of the suite.
    let hold = match &command {
        Command::Run(run) if run.bless => Some(Hold::Write),
        Command::New { .. } | Command::Catalogue => Some(Hold::Write),
        Command::Run(_) | Command::Show { .. } => Some(Hold::Read),
        _ => None,
    };
    let _tree = hold.map(|how| hold_tree(&suite, how)).transpose()?;
    match command {
        Command::Run(run) => bless::run(&suite, &run),
        Command::Show { query, compiler } => show::run(&suite, &query, compiler),
        Command::New { section, name } => new::run(&suite, &section, &name),
        Command::Catalogue => catalogue::run(&suite),
        Command::Site { out, source_url } => catalogue::site(&suite, &out, source_url.as_deref()),
        Command::RustSrc { dir } => catalogue::rust_src(&dir),
        Command::Bench(options) => bench::run(root, &options),
        Command::Help => {
            print!("{USAGE}");
            Ok(true)
        }
    }
}

/// The suite at `root`: a fixture that does not load matters only where it
/// is selected, but problems of the tree as a whole stop the command.
fn load(root: &Path) -> Result<Suite> {
    let suite = Suite::load(root)?;
    if !suite.problems.is_empty() {
        return Err(ch16_ui::error::Error::Tree(suite.problems).into());
    }
    Ok(suite)
}
