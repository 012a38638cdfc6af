//! `cargo xtask show <listing>`: one fixture, with what the installed
//! compiler says about it now next to what the suite expects.

use crate::error::{Error, Result};
use crate::observe;
use ch16_ui::command::BLESS;

use ch16_ui::host::toolchain::{self, Rustc, Source};
use ch16_ui::model::expect::Kind;
use ch16_ui::{Fixture, Suite, diff};
use std::path::Path;

/// Find the fixture `query` names: an id, part of one (`16-14`), or a path.
pub fn find<'a>(suite: &'a Suite, query: &str) -> Result<&'a Fixture> {
    if let Some(f) = suite.fixtures.iter().find(|f| f.display_path() == query) {
        return Ok(f);
    }
    let matches: Vec<&Fixture> = suite
        .fixtures
        .iter()
        .filter(|f| suite.selects(query, f))
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(Error::Request(format!(
            "no fixture matches `{query}`; ids look like `16-14`, `listing-16-14` or `beyond-01`"
        ))),
        many => Err(Error::Request(format!(
            "`{query}` matches {} fixtures, name one:\n  {}",
            many.len(),
            many.iter()
                .map(|f| format!("{}  ({})", f.short_id(), f.display_path()))
                .collect::<Vec<_>>()
                .join("\n  ")
        ))),
    }
}

/// Print the fixture, then the current diagnostics or output against the expectation.
pub fn run(root: &Path, query: &str, source: Source) -> Result<bool> {
    let suite = crate::load_each(root)?;
    if let Some(b) = suite.broken_filtered(&[query.to_string()]).next()
        && suite.filtered(&[query.to_string()]).next().is_none()
    {
        return Err(ch16_ui::Error::Tree(b.errors.clone()).into());
    }
    let fixture = find(&suite, query)?;
    let rustc = toolchain::detect(source)?;
    println!("==> {} ({})\n", fixture.display_path(), rustc.label());
    print!("{}", fixture.source);

    let observed = observe::observe(root, &rustc, &[fixture.display_path()], &|_| {});
    let report = observed.report?;
    let o = report
        .fixtures
        .iter()
        .find(|o| o.path == fixture.display_path())
        .ok_or_else(|| Error::Request("the suite did not report the fixture".into()))?;
    let mut same = true;
    for p in &o.problems {
        same = false;
        println!("\n==> problem ({}): {}", p.check, p.text());
    }
    for kind in fixture.kinds() {
        let what = if fixture.header.expect.is_compile_fail() {
            "the compiler says"
        } else {
            "the program prints"
        };
        let now = o.actual(kind).unwrap_or("(nothing was observed)\n");
        if kind == Kind::Fixed {
            // The compiler's own fix, as the change it makes to the fixture.
            println!(
                "\n==> rustc's machine-applicable suggestions ({}), applied:\n{}",
                rustc.label(),
                diff::brief(
                    &fixture.source,
                    now,
                    &fixture.display_path(),
                    "with the suggestions"
                )
            );
        } else {
            println!(
                "\n==> {what} now ({}, .{}):\n{now}",
                rustc.label(),
                kind.ext()
            );
            if let (Kind::Stdout, Some(described)) = (
                kind,
                fixture.header.output.as_ref().and_then(|o| o.describe()),
            ) {
                println!(
                    "==> (a canonical form, not a transcript: {described}; above, each complete \
                     thread's lines one block after another)"
                );
            }
        }
        match fixture.expectation(kind, rustc.version) {
            None => {
                same = false;
                println!(
                    "==> no expectation applies to {}; `{BLESS}` would create one",
                    rustc.version
                );
            }
            Some(file) => {
                let expected = ch16_ui::model::expect::read(root, &file.path)?;
                if expected == now {
                    println!("==> same as {}", file.path.display());
                } else {
                    same = false;
                    println!(
                        "==> differs from {}:\n{}",
                        file.path.display(),
                        diff::brief(&expected, now, &file.path.display().to_string(), "now")
                    );
                }
            }
        }
    }
    variants(fixture, &rustc);
    if !suite.is_blessed(rustc.version) {
        println!(
            "\nnote: expectations were never blessed for {} (see ui/toolchains.txt)",
            rustc.version
        );
    }
    if fixture.header.expect.is_compile_fail() {
        raw(root, fixture, &rustc)?;
    }
    Ok(same)
}

/// The fixture's expectation files, and which compilers each is for.
fn variants(fixture: &Fixture, rustc: &Rustc) {
    for kind in fixture.kinds() {
        let applies = fixture
            .expectation(kind, rustc.version)
            .map(|e| e.path.clone());
        let mut files: Vec<&ch16_ui::model::expect::ExpectFile> = fixture
            .expectations
            .iter()
            .filter(|e| e.kind == kind)
            .collect();
        files.sort_by_key(|e| e.key);
        println!("\n==> .{} expectations of this fixture:", kind.ext());
        for (i, e) in files.iter().enumerate() {
            let from = e
                .key
                .map_or("the oldest recorded compiler".to_string(), |v| {
                    format!("rustc {v}")
                });
            let until = files
                .get(i + 1)
                .and_then(|next| next.key)
                .map_or(String::new(), |v| format!(", until {v}"));
            let mark = if applies.as_ref() == Some(&e.path) {
                format!("  <- applies to {}", rustc.label())
            } else {
                String::new()
            };
            println!("  {}  (from {from}{until}){mark}", e.path.display());
        }
    }
}

/// What the reader's own rustc prints for the fixture, run directly from the
/// checkout: real paths, and std's source quoted where rust-src is
/// installed. Not what the suite compares (trybuild normalises it).
fn raw(root: &Path, fixture: &Fixture, rustc: &Rustc) -> Result<()> {
    let out_dir = root.join("target/show");
    std::fs::create_dir_all(&out_dir).map_err(ch16_ui::Error::io_on(&out_dir))?;
    let out = rustc
        .command()
        .current_dir(root)
        .args([
            "--edition",
            "2024",
            "--emit=metadata",
            "--crate-type",
            "bin",
            "--out-dir",
        ])
        .arg(&out_dir)
        .arg(&fixture.path)
        .output()
        .map_err(ch16_ui::Error::io_on(Path::new("rustc")))?;
    println!(
        "\n==> {} run directly on {} (as your editor shows it; not what the suite compares, \
         which trybuild normalises):\n{}",
        rustc.label(),
        fixture.display_path(),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}
