//! rust-src installed: std's sources are hidden, so outputs do not depend on
//! it. The compiler with std's sources is made here; the suite's run on it
//! is `reports::the_ui_test_and_check_on_the_command_line`'s other
//! toolchain, where its `.stderr` texts are compared by the real trybuild.

use crate::support::*;
use ch16_ui::host::sysroot;
use ch16_ui::host::toolchain::{self, Rustc, Source};
use std::fs;
use std::path::Path;

/// The current toolchain with std's sources (rebuilt from the rust-docs
/// component's pages, as the rust-src component installs them), kept
/// between runs in the crate's scratch directory, one per compiler (made
/// again when `src/host/sysroot.rs` changes): made once, it is a second
/// shorter every run after. `None` (SKIPPED said for `why`) without
/// rust-docs.
pub fn with_rust_src(why: &str) -> Option<Rustc> {
    let current = rustc();
    let pages = Path::new(&current.sysroot)
        .join(ch16_ui::names::RUST_DOCS)
        .join("src/std");
    if !pages.is_dir() {
        println!(
            "SKIPPED {why}: the rust-docs component is not installed (std's sources are rebuilt from its pages); \
             `rustup component add rust-docs`"
        );
        return None;
    }
    let base = crate_dir().join("target/ch16-scratch/with-rust-src");
    fs::create_dir_all(&base).unwrap();
    // One test makes it, the other waits (under nextest, in another process).
    let lock = fs::File::create(base.join("lock")).unwrap();
    lock.lock().unwrap();
    // Made again when the code that makes it changes.
    let code = fs::read(crate_dir().join("src/host/sysroot.rs")).unwrap();
    let mut made_by = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(&code, &mut made_by);
    let made_by = format!("{:x} ", std::hash::Hasher::finish(&made_by));
    let dir = base.join(current.key());
    let done = base.join(current.key() + ".rebuilt");
    let rebuilt = fs::read_to_string(&done).unwrap_or_default();
    let count = rebuilt.strip_prefix(&made_by).map(str::parse::<usize>);
    if !matches!(count, Some(Ok(_))) {
        let _ = fs::remove_dir_all(&dir);
        let rebuilt = sysroot::with_sources(Path::new(&current.sysroot), &dir).unwrap();
        assert!(rebuilt > 100, "only {rebuilt} source files rebuilt");
        fs::write(&done, format!("{made_by}{rebuilt}")).unwrap();
    }
    let with_src = toolchain::detect(Source::Path(sysroot::rustc_in(&dir))).unwrap();
    assert!(with_src.rust_src().is_some(), "{}", with_src.sysroot);
    assert!(with_src.key().ends_with("-rust-src"), "{}", with_src.key());
    Some(with_src)
}

/// That the compiler with std's sources really quotes std's code, without
/// the harness: 16-14's note on `spawn`'s bound shows the function (so that
/// the suite's passing run on it shows that the suite hides them).
#[test]
fn rust_src_is_quoted_by_rustc_unless_the_suite_hides_it() {
    let name = "rust_src_is_quoted_by_rustc_unless_the_suite_hides_it";
    let Some(with_src) = with_rust_src(name) else {
        return;
    };
    let out_dir = Scratch::new("rust-src");
    let fixture = crate_dir().join("ui/ch16-03-shared-state/listing-16-14-rc-not-send.rs");
    let mut rustc = with_src.command();
    rustc.args(["--edition", "2024", "--emit=metadata", "--out-dir"]);
    let out = rustc.arg(&out_dir.root).arg(fixture).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let quoted = "pub fn spawn<F, T>(f: F) -> JoinHandle<T>";
    assert!(
        stderr.contains(quoted),
        "rustc does not quote std's sources here:\n{stderr}"
    );
}
