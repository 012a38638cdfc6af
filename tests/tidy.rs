//! The project's conventions, enforced by ordinary tests rather than review.

use std::path::{Path, PathBuf};

/// Every Rust source of the project, with its text.
fn sources(root: &Path) -> Vec<(PathBuf, String)> {
    ["src", "tests", "xtask/src"]
        .iter()
        .flat_map(|dir| walkdir::WalkDir::new(root.join(dir)))
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            (e.path().strip_prefix(root).unwrap().to_path_buf(), text)
        })
        .collect()
}

/// Lines of the sources holding `needle`, as `path:line`.
fn occurrences(root: &Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in sources(root) {
        for (n, line) in text.lines().enumerate() {
            if line.contains(needle) {
                found.push(format!("{}:{}", path.display(), n + 1));
            }
        }
    }
    found
}

/// A binary built in another checkout that shares the target directory
/// bakes that checkout in at compile time; only `src/checkout.rs` may read
/// the compile-time value, to detect exactly that.
#[test]
fn the_checkout_is_read_at_run_time() {
    let root = ch16_ui::checkout::crate_dir().unwrap();
    let needle = concat!("env!(\"CARGO_", "MANIFEST_DIR\")");
    let found = occurrences(&root, needle);
    assert_eq!(
        found,
        ["src/checkout.rs:19"],
        "use `ch16_ui::checkout::crate_dir()` instead of {needle}"
    );
}

/// Tests leave rustup as they found it: toolchains a test needs are pointed
/// at directly, or registered in a private `RUSTUP_HOME`.
#[test]
fn no_test_changes_rustup() {
    let root = ch16_ui::checkout::crate_dir().unwrap();
    for verb in ["link", "uninstall", "install", "default", "override", "set"] {
        let found: Vec<String> = occurrences(&root, &format!("\"{verb}\""))
            .into_iter()
            .filter(|at| at.starts_with("tests/") && !at.starts_with("tests/tidy.rs"))
            .collect();
        assert!(
            found.is_empty(),
            "`rustup {verb}` in a test changes the machine: {found:?}"
        );
    }
}

/// The declared `rust-version` is tested: the workflow has a job that
/// reads it from `Cargo.toml` and runs the tests on it.
#[test]
fn the_declared_rust_version_is_tested() {
    let root = ch16_ui::checkout::crate_dir().unwrap();
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let declared = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("Cargo.toml declares rust-version");
    assert!(
        declared.split('.').all(|p| p.parse::<u32>().is_ok()),
        "{declared}"
    );
    let workflow = std::fs::read_to_string(root.join(".github/workflows/ci.yml")).unwrap();
    let job = workflow
        .split("\n  msrv:\n")
        .nth(1)
        .expect("the workflow has an `msrv` job")
        .split("\n\n  ")
        .next()
        .unwrap();
    for step in [
        r#"sed -n 's/^rust-version = "\(.*\)"$/\1/p' Cargo.toml"#,
        r#"rustup toolchain install "${{ steps.msrv.outputs.version }}""#,
        r#"cargo +"${{ steps.msrv.outputs.version }}" test"#,
    ] {
        assert!(job.contains(step), "the msrv job lacks `{step}`:\n{job}");
    }
}

/// The catalogue is generated from the headers; the README links to it
/// rather than keeping a copy of any of its rows, which would fall behind.
#[test]
fn the_readme_does_not_copy_the_catalogue() {
    let root = ch16_ui::checkout::crate_dir().unwrap();
    let suite = ch16_ui::Suite::load(&root).unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let copied: Vec<&str> = suite
        .fixtures
        .iter()
        .map(|f| f.stem.as_str())
        .filter(|stem| {
            readme
                .lines()
                .any(|l| l.starts_with('|') && l.contains(&format!("| {stem} |")))
        })
        .collect();
    assert!(
        copied.is_empty(),
        "README.md copies catalogue rows of {copied:?}; link to ui/README.md instead"
    );
    assert!(
        readme.contains("](ui/README.md"),
        "README.md does not link to the catalogue"
    );
}
