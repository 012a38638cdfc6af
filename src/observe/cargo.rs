//! What trybuild's cargo is given, so that the observer sees every compile
//! and run of a fixture and every verdict depends only on the checkout and
//! the compiler under test.

use super::observer::{self, RUNNER_ARG};
use super::record::{self, PROTOCOL, Records};
use super::{OVERWRITE, Options};
use crate::error::Error;
use crate::host::toolchain::Source;
use std::ffi::OsString;
use std::path::Path;

/// What trybuild's cargo in `target` must be given so that the observer
/// sees every compile and run of a fixture:
/// * the compiler under test;
/// * the observer as rustc wrapper (running any workspace wrapper of the
///   user's in its place), and as runner;
/// * its own records directory and the run's name;
/// * rustc's flags: trybuild's own (`--cfg trybuild --verbose`), but with
///   `dead_code` warned about as a bare `rustc` would (the annotations check
///   warnings), one diagnostic width for building and running (so a
///   runnable fixture is compiled once, not once per cargo command), no
///   debug information (nobody debugs a fixture; without it a fixture
///   compiles about a third faster and its program is a ninth of the size),
///   the observer's protocol (a new one makes cargo compile everything again),
///   and the sysroot without std's sources where rust-src is installed.
///   They replace trybuild's and any of the user's: a verdict depends on the
///   checkout and the compiler only.
pub fn env(
    opts: &Options,
    target: &Path,
    run: &str,
    shadow: Option<&Path>,
    overwrite: bool,
) -> crate::Result<Vec<(String, OsString)>> {
    std::fs::create_dir_all(target).map_err(|e| Error::io(target, e))?;
    let runner = runner_value(target, opts.observer)?;
    let mut flags: Vec<OsString> = [
        "--cfg",
        "trybuild",
        "--verbose",
        "-W",
        "dead_code",
        "--diagnostic-width=140",
        "-C",
        "debuginfo=0",
        "-C",
        "strip=debuginfo",
        "--cfg",
    ]
    .map(OsString::from)
    .into();
    flags.push(format!("ch16_ui_observer_{PROTOCOL}").into());
    if let Some(shadow) = shadow {
        flags.extend(["--sysroot".into(), shadow.as_os_str().to_owned()]);
    }
    let host = opts.rustc.host.to_uppercase().replace(['-', '.'], "_");
    let mut env: Vec<(String, OsString)> = vec![
        ("CARGO_TARGET_DIR".into(), target.into()),
        ("RUSTC_WORKSPACE_WRAPPER".into(), opts.observer.into()),
        (format!("CARGO_TARGET_{host}_RUNNER"), runner.into()),
        (
            "CARGO_ENCODED_RUSTFLAGS".into(),
            flags.join(OsString::from("\u{1f}").as_os_str()),
        ),
        (record::RECORDS_ENV.into(), Records::of(target).dir.into()),
        (record::RUN_ENV.into(), run.into()),
    ];
    // The dependencies of trybuild's project (rustversion) without debug
    // information either: its directories take a fifth of the disk.
    for profile in [
        "CARGO_PROFILE_DEV_DEBUG",
        "CARGO_PROFILE_DEV_BUILD_OVERRIDE_DEBUG",
    ] {
        env.push((profile.into(), "false".into()));
    }
    // trybuild colours its report whenever `TERM` allows, whatever the
    // report is written to: it is a file, read by the suite.
    env.push(("NO_COLOR".into(), "1".into()));
    env.push(("TERM".into(), "dumb".into()));
    // A workspace wrapper of the user's is run by the observer in its place.
    if let Some(next) = std::env::var_os("RUSTC_WORKSPACE_WRAPPER").filter(|w| !w.is_empty()) {
        env.push((observer::NEXT_WRAPPER_ENV.into(), next));
    }
    // trybuild's cargo must build with the compiler under test. A rustup
    // toolchain's own rustc and cargo are named by path: each run of them
    // through rustup's proxies would cost a start of the proxy first (for
    // every fixture's compile, and every cargo trybuild starts).
    match &opts.rustc.source {
        Source::Path(p) => env.push(("RUSTC".into(), p.into())),
        source => {
            if let Source::Toolchain(t) = source {
                env.push(("RUSTUP_TOOLCHAIN".into(), t.into()));
            }
            let bin = Path::new(&opts.rustc.sysroot).join("bin");
            let exe = std::env::consts::EXE_SUFFIX;
            for (var, tool) in [("RUSTC", "rustc"), ("CARGO", "cargo")] {
                let path = bin.join(format!("{tool}{exe}"));
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

/// cargo splits a runner's value on whitespace, so the observer is reached
/// through a link in `target`, by a path relative to where trybuild runs
/// cargo (its project, `<target>/tests/trybuild/<crate>/`): no whitespace,
/// wherever the checkout is.
#[cfg(unix)]
fn runner_value(target: &Path, observer: &Path) -> crate::Result<String> {
    let link = target.join("ch16-ui-observer");
    if std::fs::read_link(&link).ok().as_deref() != Some(observer) {
        let tmp = target.join(format!("ch16-ui-observer.{}", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        std::os::unix::fs::symlink(observer, &tmp)
            .and_then(|()| std::fs::rename(&tmp, &link))
            .map_err(|e| Error::io(&link, e))?;
    }
    Ok(format!("../../../ch16-ui-observer {RUNNER_ARG}"))
}

#[cfg(not(unix))]
fn runner_value(_: &Path, observer: &Path) -> crate::Result<String> {
    let path = observer.to_string_lossy();
    if path.contains(char::is_whitespace) {
        return Err(Error::fixture(
            observer,
            None,
            "cargo splits a runner's path on whitespace, and this one has some",
            "move the checkout (or CARGO_TARGET_DIR) to a path without whitespace",
        ));
    }
    Ok(format!("{path} {RUNNER_ARG}"))
}
