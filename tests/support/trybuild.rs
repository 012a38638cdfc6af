//! trybuild for the harness, shared by `tests/ui.rs` and the hardening
//! tests: each batch runs in a process of its own (the test program again,
//! started with `args`), in the environment the harness gives it, trybuild's
//! report kept in the batch's log.

use ch16_ui::host::stop::{self, Stoppable};
use ch16_ui::observe::{Batch, Driver, Running};
use std::env;
use std::panic;
use std::process::{Command, Stdio};

/// The batch's staged paths, one per line.
const BATCH_PATHS: &str = "CH16_UI_BATCH_PATHS";
/// `pass` or `compile-fail`.
const BATCH_KIND: &str = "CH16_UI_BATCH_KIND";

/// Batches run by this program, started again with `args`.
pub struct Real {
    /// The arguments that make this program run one batch ([`batch`]).
    pub args: &'static [&'static str],
}

impl Driver for Real {
    fn start(&self, batch: &Batch) -> Box<dyn Running> {
        let spawned = (|| {
            let out = std::fs::File::create(&batch.log)?;
            let err = out.try_clone()?;
            let mut cmd = Command::new(env::current_exe()?);
            cmd.args(self.args)
                // Only the harness says when trybuild may write (collecting).
                .env_remove(ch16_ui::observe::trybuild::OVERWRITE.0)
                .envs(batch.env.iter().map(|(k, v)| (k, v)))
                .env(BATCH_PATHS, batch.paths.join("\n"))
                .env(BATCH_KIND, if batch.pass { "pass" } else { "compile-fail" })
                .stdin(Stdio::null())
                .stdout(out)
                .stderr(err);
            // Its own process group, stopped with this process: trybuild's
            // cargo, rustc and the fixtures' programs with it.
            stop::spawn(&mut cmd)
        })();
        if let Err(e) = &spawned {
            let log = batch.log.display();
            eprintln!("error: could not start trybuild for {log}: {e}");
        }
        Box::new(Started(spawned.ok()))
    }
}

/// A batch's process, if it started.
struct Started(Option<Stoppable>);

impl Running for Started {
    fn wait(mut self: Box<Self>) -> bool {
        let status = self.0.as_mut().map(|c| c.wait());
        status.is_some_and(|s| s.is_ok_and(|s| s.success()))
    }
}

/// In a batch's process: the batch the environment describes, whether
/// runnable (`true`) or compile-fail fixtures, and their staged paths;
/// `None` outside a batch.
pub fn batch_from_env() -> Option<(bool, Vec<String>)> {
    let paths = env::var(BATCH_PATHS).unwrap_or_default();
    let paths: Vec<String> = paths.lines().map(str::to_string).collect();
    let pass = env::var(BATCH_KIND).is_ok_and(|k| k == "pass");
    (!paths.is_empty()).then_some((pass, paths))
}

/// In a batch's process: run trybuild on the batch the environment
/// describes; whether it passed. Nothing to run outside a batch.
pub fn batch() -> bool {
    let Some((pass, paths)) = batch_from_env() else {
        return true;
    };
    // Stopped with the run that started it, or when that run dies.
    stop::install(stop::Role::Batch);
    // trybuild reports each failure itself, then panics to fail the test;
    // a backtrace of that panic would only bury its report.
    panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload.downcast_ref::<String>().map(String::as_str);
        let message = message.or_else(|| payload.downcast_ref::<&str>().copied());
        println!("trybuild: {}", message.unwrap_or("trybuild failed"));
    }));
    panic::catch_unwind(|| {
        let t = trybuild::TestCases::new();
        for p in &paths {
            if pass { t.pass(p) } else { t.compile_fail(p) }
        }
    })
    .is_ok()
}
