//! Every fact the suite relies on about trybuild (version, crate names, flags,
//! where it runs cargo, its report's wording): an upgrade is checked here.

use super::Run;
use super::observer::{NEXT_WRAPPER_ENV, RUNNER_ARG};
use super::record::{PROTOCOL, RECORDS_ENV, RUN_ENV, Records};
use crate::cut;
use crate::error::{Error, Result};
use crate::host::toolchain::Source;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

/// The checker of the diagnostics text, by name, for messages.
pub const NAME: &str = "trybuild";

/// The version the suite is built and tested with, which `Cargo.toml` pins.
pub const VERSION: &str = "1.0.122";

/// The variable and value that make trybuild write the `.stderr`s, not compare them.
pub const OVERWRITE: (&str, &str) = ("TRYBUILD", "overwrite");

/// The crate trybuild gives a batch's `n`-th fixture, named after itself: `trybuild003`.
pub fn crate_name(n: usize) -> String {
    format!("{NAME}{n:03}")
}

/// Whether `krate` is one trybuild gives a fixture.
pub(crate) fn is_fixture(krate: &str) -> bool {
    let n = krate.strip_prefix(NAME).unwrap_or_default();
    !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
}

fn var(name: impl Into<String>, value: impl Into<OsString>) -> (String, OsString) {
    (name.into(), value.into())
}

/// The environment of trybuild's cargo in `target`: the compiler's own `rustc`
/// and `cargo`, the observer as wrapper and runner, and rustc's flags in place
/// of the user's (`dead_code` as a bare rustc, one width, no debug information).
pub(super) fn env(run: &Run, target: &Path, overwrite: bool) -> Result<Vec<(String, OsString)>> {
    let opts = run.opts;
    std::fs::create_dir_all(target).map_err(Error::io_on(target))?;
    let flags = format!(
        "--cfg trybuild --verbose -W dead_code --diagnostic-width=140 -C debuginfo=0 \
         -C strip=debuginfo --cfg ch16_ui_observer_{PROTOCOL}"
    );
    let mut flags: Vec<OsString> = flags.split(' ').map(OsString::from).collect();
    if let Some(shadow) = &run.shadow {
        flags.extend(["--sysroot".into(), shadow.into()]);
    }
    let host = opts.rustc.host.to_uppercase().replace(['-', '.'], "_");
    let runner_var = format!("CARGO_TARGET_{host}_RUNNER");
    let mut env = vec![
        var("CARGO_TARGET_DIR", target),
        var("RUSTC_WORKSPACE_WRAPPER", opts.observer),
        var(runner_var, runner(target, opts.observer)?),
        var("CARGO_ENCODED_RUSTFLAGS", flags.join(OsStr::new("\u{1f}"))),
        var(RECORDS_ENV, Records::of(target).dir),
        var(RUN_ENV, &run.id),
        var("CARGO_PROFILE_DEV_DEBUG", "false"),
        var("CARGO_PROFILE_DEV_BUILD_OVERRIDE_DEBUG", "false"),
        var("NO_COLOR", "1"),
        var("TERM", "dumb"),
    ];
    let next = std::env::var_os("RUSTC_WORKSPACE_WRAPPER").filter(|w| !w.is_empty());
    env.extend(next.map(|next| var(NEXT_WRAPPER_ENV, next)));
    match &opts.rustc.source {
        Source::Path(p) => env.push(var("RUSTC", p)),
        source => {
            if let Source::Toolchain(t) = source {
                env.push(var("RUSTUP_TOOLCHAIN", t));
            }
            for tool in ["rustc", "cargo"] {
                let exe = format!("{tool}{}", std::env::consts::EXE_SUFFIX);
                let path = Path::new(&opts.rustc.sysroot).join("bin").join(exe);
                env.extend(path.is_file().then(|| var(tool.to_uppercase(), path)));
            }
        }
    }
    env.extend(overwrite.then(|| var(OVERWRITE.0, OVERWRITE.1)));
    Ok(env)
}

/// The runner's value, split on whitespace by cargo: a link in `target`, from
/// where trybuild runs cargo (`<target>/tests/trybuild/<crate>/`).
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

/// trybuild's word for a text (`mismatch`, `error`, …), and the expected and actual.
pub type Said = (String, Option<(String, String)>);

/// trybuild's verdict, other than `ok`, on a fixture's diagnostics text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextVerdict {
    /// What it said (the fixture's own paths), or why that is unknown.
    pub said: std::result::Result<Said, String>,
    /// trybuild's report of the batch, which says more.
    pub log: Option<PathBuf>,
}

/// The line in which trybuild's report gives its verdict on the fixture at `path`.
pub fn verdict_line(path: &str, status: &str) -> String {
    format!("test {path} ... {status}")
}

/// trybuild's verdict on `path` (a staged fixture, as [`Workdirs::staged`]
/// names it) in its report `log`: `None` if it said `ok`; an error if its
/// report holds no verdict on it, or words one otherwise than this version
/// of trybuild does.
///
/// [`Workdirs::staged`]: super::stage::Workdirs::staged
pub fn verdict(log: &str, path: &str) -> std::result::Result<Option<Said>, String> {
    let lines: Vec<&str> = log.lines().collect();
    // `test <path> [should pass] ... <status>` for a batch of both kinds.
    let found = lines.iter().enumerate().find_map(|(at, l)| {
        let (left, status) = l.strip_prefix("test ")?.rsplit_once(" ... ")?;
        (left.split(" [").next() == Some(path)).then(|| (at, status.trim()))
    });
    let unknown = |what: &str| {
        format!("{what}; its wording is not that of {NAME} {VERSION}, which the suite reads")
    };
    let Some((at, status)) = found else {
        return Err(unknown("its report holds no verdict for it"));
    };
    if status != "mismatch" {
        return Ok((status != "ok").then(|| (status.to_string(), None)));
    }
    // `EXPECTED:` and `ACTUAL OUTPUT:`, each a block between two rules of `┈`.
    let rule = |l: &&str| !l.is_empty() && l.chars().all(|c| c == '┈');
    let block = |title: &str| -> Option<String> {
        let start = at + lines[at..].iter().position(|l| l.trim_end() == title)? + 2;
        lines.get(start - 1).filter(|l| rule(l))?;
        let end = start + lines[start..].iter().position(rule)?;
        Some(lines[start..end].iter().map(|l| format!("{l}\n")).collect())
    };
    let texts = block("EXPECTED:").zip(block("ACTUAL OUTPUT:"));
    let untold = "its report says `mismatch` without the expected and the actual text";
    let texts = texts.ok_or_else(|| unknown(untold))?;
    Ok(Some(("mismatch".into(), Some(texts))))
}

/// Lines of a build's errors a report shows, and characters of one.
const BUILD_ERRORS: (usize, usize) = (12, 200);

/// What cargo said failed in trybuild's report `log` before trybuild gave
/// any verdict (its build of the batch's dependencies: a linker, `cc`, a
/// full or unwritable `TMPDIR`): from its first `error` line on, cut; `None`
/// if it said no error there.
pub(crate) fn build_errors(log: &str) -> Option<String> {
    let before = log.lines().take_while(|l| !l.starts_with("test "));
    let mut from_error = before.skip_while(|l| {
        let l = l.trim_start().to_ascii_lowercase();
        !(l.starts_with("error") || l.starts_with("fatal"))
    });
    let first = from_error.next()?;
    let rest = from_error.filter(|l| !l.trim().is_empty());
    let lines: Vec<&str> = std::iter::once(first).chain(rest).collect();
    Some(cut::text(
        &lines.join("\n"),
        cut::Keep::Head(BUILD_ERRORS.0),
        BUILD_ERRORS.1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_error_is_lifted_from_before_the_verdicts() {
        let log = "   Compiling x\nerror: linking with `cc` failed\n\n  = note: cannot create\n\
                   test stage/ui/a.rs ... error\nerror[E0308]: mismatched types\n";
        let said = "error: linking with `cc` failed\n  = note: cannot create\n";
        assert_eq!(build_errors(log).as_deref(), Some(said));
        assert_eq!(build_errors("test a.rs ... ok\nerror: later\n"), None);
        let many: String = (0..20).map(|i| format!("error: {i}\n")).collect();
        assert!(
            build_errors(&many)
                .unwrap()
                .ends_with("[… 8 lines cut …]\n")
        );
    }

    #[test]
    fn verdicts_are_read_unknown_wording_is_an_error_and_trybuild_is_pinned() {
        let rule = "┈".repeat(20);
        let log = format!(
            "    Checking x\n\ntest stage/ui/a/one.rs ... ok\ntest stage/ui/a/two.rs ... mismatch\n\nEXPECTED:\n\
             {rule}\nerror: old\n  |\n{rule}\n\nACTUAL OUTPUT:\n{rule}\nerror: new\n  |\n{rule}\n\
             note: If the actual output is the correct output you can bless it by rerunning\n\
             test stage/ui/a/three.rs [should pass] ... error\n"
        );
        let texts = Some(("error: old\n  |\n".into(), "error: new\n  |\n".into()));
        let said = |status: &str, texts| Ok(Some((status.to_string(), texts)));
        assert_eq!(verdict(&log, "stage/ui/a/one.rs"), Ok(None));
        assert_eq!(verdict(&log, "stage/ui/a/two.rs"), said("mismatch", texts));
        assert_eq!(verdict(&log, "stage/ui/a/three.rs"), said("error", None));
        // Another wording: said loudly, with the version.
        let e = verdict(&log.replace("test ", "case "), "stage/ui/a/one.rs").unwrap_err();
        assert!(e.contains("holds no verdict") && e.contains(VERSION), "{e}");
        assert!(verdict(&log.replace("EXPECTED:", "WANTED:"), "stage/ui/a/two.rs").is_err());
        // The observer relies on how one trybuild drives cargo: it is pinned.
        let root = crate::host::checkout::crate_dir().unwrap();
        let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
        let pin = format!("trybuild = \"={VERSION}\"");
        assert!(manifest.contains(&pin), "Cargo.toml must pin {pin}");
        let (_, dev) = manifest.split_once("[dev-dependencies]").unwrap();
        let dev = dev.split("\n[").next().unwrap_or_default();
        for krate in crate::model::fixture::FIXTURE_CRATES {
            let listed = dev.lines().any(|l| l.starts_with(&format!("{krate} =")));
            assert!(listed, "{krate} is no dev-dependency");
        }
        let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
        let locked = format!("name = \"{NAME}\"\nversion = \"{VERSION}\"");
        assert!(lock.contains(&locked), "Cargo.lock must hold it");
    }
}
