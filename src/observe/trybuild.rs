//! Every fact the suite relies on about trybuild, in one place: its pinned
//! version, how it names the fixtures' crates, how it is told to write what
//! it sees, the flags it gives rustc and where it runs cargo, and the
//! wording of its report. A trybuild upgrade is checked against this file.

use super::Options;
use super::observer::{NEXT_WRAPPER_ENV, RUNNER_ARG};
use super::record::{PROTOCOL, RECORDS_ENV, RUN_ENV, Records};
use crate::error::{Error, Result};
use crate::host::toolchain::Source;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The checker of the diagnostics text, by name, for messages.
pub const NAME: &str = "trybuild";

/// The version the suite is built and tested with: `Cargo.toml` pins it
/// (a test keeps the two the same).
pub const VERSION: &str = "1.0.122";

/// trybuild names the crate (and program) of a batch's n-th fixture this
/// prefix and the number, `trybuild003`.
const CRATE_PREFIX: &str = "trybuild";

/// The variable, and its value, that make trybuild write the diagnostics it
/// sees into a compile-fail fixture's `.stderr` instead of comparing them.
pub const OVERWRITE: (&str, &str) = ("TRYBUILD", "overwrite");

/// The crate trybuild gives a batch's `n`-th fixture.
pub fn crate_name(n: usize) -> String {
    format!("{CRATE_PREFIX}{n:03}")
}

/// Whether `krate` is one trybuild gives a fixture.
pub(crate) fn is_fixture(krate: &str) -> bool {
    let n = krate.strip_prefix(CRATE_PREFIX).unwrap_or_default();
    !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
}

/// What trybuild's cargo in the target directory `target` is given, so
/// that the observer sees every compile and run of a fixture and a verdict
/// depends on the checkout and the compiler only:
/// * the compiler under test, its own `rustc` and `cargo` by path (no
///   start of rustup's proxy for every compile);
/// * the observer as rustc wrapper (running a workspace wrapper of the
///   user's in its place) and as runner, its records directory and the run;
/// * rustc's flags, replacing trybuild's and the user's: trybuild's own
///   (`--cfg trybuild --verbose`), `dead_code` warned about as a bare rustc
///   does (the annotations check warnings), one diagnostic width for
///   building and running (so a runnable fixture compiles once), no debug
///   information (a fixture compiles a third faster), the records' protocol
///   (a new one makes cargo compile everything again), and the sysroot
///   without std's sources where rust-src is installed;
/// * no colour in trybuild's report, which the suite reads.
pub(crate) fn env(
    opts: &Options,
    target: &Path,
    run: &str,
    shadow: Option<&Path>,
    overwrite: bool,
) -> Result<Vec<(String, OsString)>> {
    std::fs::create_dir_all(target).map_err(Error::io_on(target))?;
    let mut flags: Vec<OsString> = [
        "--cfg",
        "trybuild",
        "--verbose",
        "-W",
        "dead_code",
        "--diagnostic-width=140",
    ]
    .into_iter()
    .chain(["-C", "debuginfo=0", "-C", "strip=debuginfo"])
    .map(OsString::from)
    .collect();
    flags.extend([
        "--cfg".into(),
        format!("ch16_ui_observer_{PROTOCOL}").into(),
    ]);
    if let Some(shadow) = shadow {
        flags.extend(["--sysroot".into(), shadow.as_os_str().to_owned()]);
    }
    let host = opts.rustc.host.to_uppercase().replace(['-', '.'], "_");
    let mut env: Vec<(String, OsString)> = vec![
        ("CARGO_TARGET_DIR".into(), target.into()),
        ("RUSTC_WORKSPACE_WRAPPER".into(), opts.observer.into()),
        (
            format!("CARGO_TARGET_{host}_RUNNER"),
            runner(target, opts.observer)?.into(),
        ),
        (
            "CARGO_ENCODED_RUSTFLAGS".into(),
            flags.join(OsString::from("\u{1f}").as_os_str()),
        ),
        (RECORDS_ENV.into(), Records::of(target).dir.into()),
        (RUN_ENV.into(), run.into()),
        // The project's dependencies (rustversion) without debug information either.
        ("CARGO_PROFILE_DEV_DEBUG".into(), "false".into()),
        (
            "CARGO_PROFILE_DEV_BUILD_OVERRIDE_DEBUG".into(),
            "false".into(),
        ),
        ("NO_COLOR".into(), "1".into()),
        ("TERM".into(), "dumb".into()),
    ];
    if let Some(next) = std::env::var_os("RUSTC_WORKSPACE_WRAPPER").filter(|w| !w.is_empty()) {
        env.push((NEXT_WRAPPER_ENV.into(), next));
    }
    match &opts.rustc.source {
        Source::Path(p) => env.push(("RUSTC".into(), p.into())),
        source => {
            if let Source::Toolchain(t) = source {
                env.push(("RUSTUP_TOOLCHAIN".into(), t.into()));
            }
            let bin = Path::new(&opts.rustc.sysroot).join("bin");
            for (var, tool) in [("RUSTC", "rustc"), ("CARGO", "cargo")] {
                let path = bin.join(format!("{tool}{}", std::env::consts::EXE_SUFFIX));
                if path.is_file() {
                    env.push((var.into(), path.into()));
                }
            }
        }
    }
    if overwrite {
        env.push((OVERWRITE.0.into(), OVERWRITE.1.into()));
    }
    Ok(env)
}

/// The runner's value. cargo splits it on whitespace, so the observer is
/// reached through a link in `target`, by its path from where trybuild
/// runs cargo (`<target>/tests/trybuild/<crate>/`): no whitespace, wherever
/// the checkout is.
#[cfg(unix)]
fn runner(target: &Path, observer: &Path) -> Result<String> {
    let link = target.join("ch16-ui-observer");
    if std::fs::read_link(&link).ok().as_deref() != Some(observer) {
        let tmp = target.join(format!("ch16-ui-observer.{}", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        std::os::unix::fs::symlink(observer, &tmp)
            .and_then(|()| std::fs::rename(&tmp, &link))
            .map_err(Error::io_on(&link))?;
    }
    Ok(format!("../../../ch16-ui-observer {RUNNER_ARG}"))
}

#[cfg(not(unix))]
fn runner(_: &Path, observer: &Path) -> Result<String> {
    let path = observer.to_string_lossy();
    if path.contains(char::is_whitespace) {
        return Err(Error::Checkout {
            problem: format!("cargo splits a runner's path on whitespace, and {path} has some"),
            fix: "move the checkout (or CARGO_TARGET_DIR) to a path without whitespace".into(),
        });
    }
    Ok(format!("{path} {RUNNER_ARG}"))
}

/// trybuild's word for a fixture's text (`mismatch`, `error`, …) and,
/// when it printed them, the expected and the actual text.
pub type Said = (String, Option<(String, String)>);

/// trybuild's verdict on one compile-fail fixture's diagnostics text, other
/// than `ok`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextVerdict {
    /// Its word for it (`mismatch`, `error`, …) and, when it printed them,
    /// the expected and the actual text, with the fixture's own paths; or
    /// why its report could not be read.
    pub said: std::result::Result<Said, String>,
    /// trybuild's report of the batch, which says more.
    pub log: Option<PathBuf>,
}

/// The line of a batch's report in which trybuild gives its verdict on
/// the fixture it was given as `path`: `ok`, `mismatch`, `error`, …
pub fn verdict_line(path: &str, status: &str) -> String {
    format!("test {path} ... {status}")
}

/// trybuild's verdict on the fixture trybuild was given as `path`, read
/// from its batch's report `log`: `None` for `ok`. A report without a
/// verdict for it, or a mismatch without the texts, is one whose wording
/// the suite does not know: that fails, naming the report and the version.
pub(crate) fn verdict(log: &str, path: &str) -> std::result::Result<Option<Said>, String> {
    let lines: Vec<&str> = log.lines().collect();
    // `test <path> [should pass] ... <status>` for a batch of both kinds.
    let at = lines.iter().position(|l| {
        let left = l
            .strip_prefix("test ")
            .and_then(|rest| rest.rsplit_once(" ... "));
        left.is_some_and(|(left, _)| left.split(" [").next() == Some(path))
    });
    let unknown = |what: &str| {
        format!("{what}; its wording is not that of {NAME} {VERSION}, which the suite reads")
    };
    let Some(at) = at else {
        return Err(unknown("its report holds no verdict for it"));
    };
    let status = lines[at].rsplit_once(" ... ").map_or("", |(_, s)| s.trim());
    match status {
        "ok" => return Ok(None),
        "mismatch" => {}
        other => return Ok(Some((other.to_string(), None))),
    }
    // `EXPECTED:` and `ACTUAL OUTPUT:`, each a block between two rules of `┈`.
    let block = |title: &str| -> Option<String> {
        let start = at + lines[at..].iter().position(|l| l.trim_end() == title)? + 1;
        let rule = |l: &&str| !l.is_empty() && l.chars().all(|c| c == '┈');
        lines.get(start).filter(|l| rule(l))?;
        let end = start + 1 + lines[start + 1..].iter().position(rule)?;
        Some(
            lines[start + 1..end]
                .iter()
                .map(|l| format!("{l}\n"))
                .collect(),
        )
    };
    match (block("EXPECTED:"), block("ACTUAL OUTPUT:")) {
        (Some(expected), Some(actual)) => Ok(Some(("mismatch".into(), Some((expected, actual))))),
        _ => Err(unknown(
            "its report says `mismatch` without the expected and the actual text",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_and_mismatch_texts_are_read_and_unknown_wording_is_an_error() {
        let rule = "┈".repeat(20);
        let log = format!(
            "    Checking x\n\ntest stage/ui/a/one.rs ... ok\ntest stage/ui/a/two.rs ... mismatch\n\nEXPECTED:\n\
             {rule}\nerror: old\n  |\n{rule}\n\nACTUAL OUTPUT:\n{rule}\nerror: new\n  |\n{rule}\n\
             note: If the actual output is the correct output you can bless it by rerunning\n\
             test stage/ui/a/three.rs [should pass] ... error\n"
        );
        assert_eq!(verdict(&log, "stage/ui/a/one.rs"), Ok(None));
        let texts = Some(("error: old\n  |\n".into(), "error: new\n  |\n".into()));
        assert_eq!(
            verdict(&log, "stage/ui/a/two.rs"),
            Ok(Some(("mismatch".into(), texts)))
        );
        assert_eq!(
            verdict(&log, "stage/ui/a/three.rs"),
            Ok(Some(("error".into(), None)))
        );
        // Another wording: said loudly, with the version.
        let e = verdict(&log.replace("test ", "case "), "stage/ui/a/one.rs").unwrap_err();
        assert!(e.contains("holds no verdict") && e.contains(VERSION), "{e}");
        assert!(verdict(&log.replace("EXPECTED:", "WANTED:"), "stage/ui/a/two.rs").is_err());
    }

    /// The observer relies on how one trybuild drives cargo: the manifest
    /// pins it and the lock file holds it; the crates fixtures may use are
    /// dev-dependencies, which trybuild's project gets.
    #[test]
    fn trybuild_is_pinned_and_fixture_crates_are_dev_dependencies() {
        let root = crate::host::checkout::crate_dir().unwrap();
        let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
        let pin = format!("trybuild = \"={VERSION}\"");
        assert!(
            manifest.contains(&pin),
            "Cargo.toml must pin {pin}, as src/observe/trybuild.rs says"
        );
        let dev = manifest
            .split("[dev-dependencies]")
            .nth(1)
            .unwrap_or_default();
        let dev = dev.split("\n[").next().unwrap_or_default();
        for krate in crate::model::fixture::FIXTURE_CRATES {
            assert!(
                dev.lines().any(|l| l.starts_with(&format!("{krate} ="))),
                "{krate} is no dev-dependency"
            );
        }
        let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
        assert!(
            lock.contains(&format!("name = \"{NAME}\"\nversion = \"{VERSION}\"")),
            "Cargo.lock must hold it"
        );
    }
}
