//! The readers' catalogue `ui/README.md` must match the fixture headers.

use ch16_ui::{Suite, catalogue, diff};

#[test]
fn catalogue_is_current() {
    let root = &ch16_ui::checkout::crate_dir().unwrap();
    let suite = Suite::load(root).unwrap_or_else(|e| panic!("{e}"));
    let expected = catalogue::render(&suite);
    let actual = std::fs::read_to_string(root.join(catalogue::PATH)).unwrap_or_default();
    assert!(
        actual == expected,
        "{} is stale; run `cargo xtask catalogue`\n{}",
        catalogue::PATH,
        diff::unified(
            &actual,
            &expected,
            "ui/README.md (committed)",
            "ui/README.md (from the headers)"
        )
    );
    for f in &suite.fixtures {
        assert!(
            actual.contains(&format!("({}/{}.rs)", f.group, f.stem)),
            "{} is not listed",
            f.display_path()
        );
    }
}
