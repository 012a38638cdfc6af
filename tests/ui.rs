//! The UI suite: every fixture under `ui/` checked on the compiler in use
//! (see `ch16_ui::harness` for what is checked and how).
//!
//! `cargo test --test ui -- <substring>` (or `trybuild=<substring>`) runs
//! only the fixtures whose path or listing id contains the substring.
//!
//! With `CH16_UI_COLLECT=1` (set by `cargo xtask bless/check`) the harness
//! judges nothing against `.stderr`: trybuild writes what it sees into the
//! staging tree, and everything observed is left in
//! `target/ui/<compiler>/collected/` for the xtask.

use ch16_ui::harness::{self, Batch, Options, Running, Trybuild};
use ch16_ui::toolchain;
use std::env;
use std::panic;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::Instant;

/// The argument that makes this program run one trybuild batch (see [`Real`]).
const BATCH_ARG: &str = "--ch16-trybuild-batch";
/// The batch's staged paths, one per line.
const BATCH_PATHS: &str = "CH16_UI_BATCH_PATHS";
/// `pass` or `compile-fail`.
const BATCH_KIND: &str = "CH16_UI_BATCH_KIND";

fn main() -> ExitCode {
    let start = Instant::now();
    let args: Vec<String> = env::args().skip(1).collect();
    if args.iter().any(|a| a == BATCH_ARG) {
        let paths = env::var(BATCH_PATHS).unwrap_or_default();
        let pass = env::var(BATCH_KIND).is_ok_and(|k| k == "pass");
        return if in_process(&paths.lines().collect::<Vec<_>>(), pass) {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    if args.iter().any(|a| a == "--list") {
        // Enough of libtest's protocol for `cargo test -- --list` and nextest.
        if !args.iter().any(|a| a == "--ignored") {
            println!("ui: test");
        }
        return ExitCode::SUCCESS;
    }
    let filters: Vec<String> = args
        .iter()
        .filter(|a| !a.starts_with('-') && a.as_str() != "ui")
        .map(|a| a.strip_prefix("trybuild=").unwrap_or(a).to_string())
        .collect();
    let collect = env::var_os("CH16_UI_COLLECT").is_some_and(|v| v == "1");
    if !collect && env::var_os("TRYBUILD").is_some() {
        eprintln!(
            "error: TRYBUILD is set, but this suite does not write expectations from `cargo test`.\n  \
             fix: unset TRYBUILD; to refresh expectations run `cargo xtask bless`"
        );
        return ExitCode::FAILURE;
    }
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Another suite inside the crate (the benchmark's generated ones, the
    // hardening tests' scratch trees).
    let other_root = env::var_os("CH16_UI_ROOT").map(PathBuf::from);
    let root = other_root.as_deref().unwrap_or(crate_dir);
    let rustc = match toolchain::current() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "\nch16 ui suite on {} [{}]{}",
        rustc.label(),
        rustc.key(),
        if collect {
            ", collecting for cargo xtask"
        } else {
            ""
        }
    );
    let opts = Options {
        root,
        crate_dir,
        rustc: &rustc,
        filters: &filters,
        collect,
        observer: Path::new(env!("CARGO_BIN_EXE_ch16-ui-observer")),
    };
    let report = match harness::run(&opts, &Real) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    print!(
        "{}",
        report.summary(env::var("RUSTUP_TOOLCHAIN").ok().as_deref())
    );
    let failed = report.failed();
    println!(
        "\ntest result: {}. {} passed; {failed} failed; {} ignored; 0 measured; {} filtered out; finished in {:.2}s\n",
        if failed == 0 { "ok" } else { "FAILED" },
        report.passed(),
        report.ignored(),
        report.filtered_out,
        start.elapsed().as_secs_f64()
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// trybuild for the harness: each batch in a process of its own (this
/// program again, with [`BATCH_ARG`]), in the environment the harness gives
/// it, its report kept in the batch's log.
struct Real;

impl Trybuild for Real {
    fn start(&self, batch: &Batch) -> Box<dyn Running> {
        let spawned = (|| {
            let out = std::fs::File::create(&batch.log)?;
            let err = out.try_clone()?;
            Command::new(env::current_exe()?)
                .arg(BATCH_ARG)
                .envs(batch.env.iter().map(|(k, v)| (k, v)))
                .env(BATCH_PATHS, batch.paths.join("\n"))
                .env(BATCH_KIND, if batch.pass { "pass" } else { "compile-fail" })
                .stdin(Stdio::null())
                .stdout(out)
                .stderr(err)
                .spawn()
        })();
        match spawned {
            Ok(child) => Box::new(Started(child, batch.log.clone())),
            Err(e) => {
                eprintln!("error: could not start trybuild for {}: {e}", batch.log.display());
                Box::new(NotStarted)
            }
        }
    }
}

/// A batch's process, and its log.
struct Started(Child, PathBuf);

impl Running for Started {
    fn wait(mut self: Box<Self>) -> bool {
        let ok = self.0.wait().is_ok_and(|s| s.success());
        // trybuild's own report, batch by batch.
        print!("{}", std::fs::read_to_string(&self.1).unwrap_or_default());
        ok
    }
}

struct NotStarted;

impl Running for NotStarted {
    fn wait(self: Box<Self>) -> bool {
        false
    }
}

/// Run one trybuild batch in this process: whether trybuild passed.
fn in_process(paths: &[&str], pass: bool) -> bool {
    // trybuild reports each failure itself, then panics to fail the test;
    // a backtrace of that panic would only bury its report.
    panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("trybuild failed");
        println!("trybuild: {message}");
    }));
    panic::catch_unwind(|| {
        let t = trybuild::TestCases::new();
        for p in paths {
            if pass { t.pass(p) } else { t.compile_fail(p) }
        }
    })
    .is_ok()
}
