//! rust-src installed: std's sources are hidden, so outputs do not depend on it.

use crate::support::*;
use ch16_ui::harness;
use ch16_ui::host::sysroot;
use ch16_ui::host::toolchain;
use ch16_ui::host::toolchain::Source;
use ch16_ui::observe::BatchStatus;
use ch16_ui::observe::Options;
use std::fs;
use std::path::Path;

/// The current toolchain with std's sources (rebuilt from the rust-docs
/// component's pages), kept between runs in the crate's scratch directory,
/// one per compiler: made once, it is a second shorter every run after.
/// `rebuilt` is how many sources it was given.
fn with_sources(current: &ch16_ui::host::toolchain::Rustc) -> (std::path::PathBuf, usize) {
    let dir = crate_dir()
        .join("target/ch16-scratch/with-rust-src")
        .join(current.key());
    let done = dir.join("rebuilt");
    if let Some(rebuilt) = fs::read_to_string(&done).ok().and_then(|n| n.parse().ok()) {
        return (dir, rebuilt);
    }
    let _ = fs::remove_dir_all(&dir);
    let rebuilt = sysroot::with_sources(Path::new(&current.sysroot), &dir).unwrap();
    fs::write(&done, rebuilt.to_string()).unwrap();
    (dir, rebuilt)
}

/// The real trybuild, whose comparison of the `.stderr` texts is the point:
/// on a compiler with std's sources, what it compares is what a compiler
/// without them says.
#[test]
fn rust_src_is_hidden_so_outputs_do_not_depend_on_it() {
    let current = rustc();
    let pages = Path::new(&current.sysroot).join("share/doc/rust/html/src/std");
    if !pages.is_dir() {
        println!(
            "SKIPPED rust_src_is_hidden_so_outputs_do_not_depend_on_it: the rust-docs component is not installed \
             (std's sources are rebuilt from its pages); `rustup component add rust-docs`"
        );
        return;
    }
    let (dir, rebuilt) = with_sources(&current);
    assert!(rebuilt > 100, "only {rebuilt} source files rebuilt");
    let with_src = toolchain::detect(Source::Path(sysroot::rustc_in(&dir))).unwrap();
    assert!(with_src.rust_src().is_some(), "{}", with_src.sysroot);
    assert!(with_src.key().ends_with("-rust-src"), "{}", with_src.key());

    // First, that rustc really quotes std's code there: without the
    // harness, 16-14's note on `spawn`'s bound shows the function.
    let crate_dir = &crate_dir();
    let s = Scratch::in_crate("rust-src");
    let fixture = "ui/ch16-03-shared-state/listing-16-14-rc-not-send.rs";
    let out = with_src
        .command()
        .args(["--edition", "2024", "--emit=metadata", "--out-dir"])
        .arg(&s.root)
        .arg(crate_dir.join(fixture))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("pub fn spawn<F, T>(f: F) -> JoinHandle<T>"),
        "rustc does not quote std's sources here:\n{stderr}"
    );

    // Then the suite, on a copy of 16-13 to 16-15 (which name each other),
    // 16-13 and 16-14 checked: no mismatch, though the expectations were
    // blessed without rust-src.
    copy_shared_state(&s);
    let r = harness::run(
        &Options {
            crate_dir,
            filters: &["16-13".to_string(), "16-14".to_string()],
            ..options(&s, &with_src)
        },
        &REAL,
    )
    .unwrap();
    let summary = crate::support::summary(&r);
    if !r.blessed {
        println!(
            "SKIPPED rust_src_is_hidden_so_outputs_do_not_depend_on_it: the expectations were never blessed for \
             rustc {}, so there is no .stderr to compare",
            with_src.version
        );
        return;
    }
    assert!(r.rust_src_hidden && !r.observed_only, "{summary}");
    assert_eq!(r.failed(), 0, "{summary}");
    assert_eq!(r.compile_fail, (2, BatchStatus::Ok), "{summary}");
}
