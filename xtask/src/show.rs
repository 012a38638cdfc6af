//! `cargo xtask show <listing>`: one fixture, with what the installed
//! compiler says about it now next to what the suite expects.

use crate::error::{Error, Result};
use crate::observe;
use ch16_ui::check::read_expectation;
use ch16_ui::toolchain::{self, Source};
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
    let suite = crate::load(root)?;
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
        println!("\n==> problem ({}): {}", p.check, p.message);
    }
    for kind in fixture.kinds() {
        let what = if fixture.header.expect.is_compile_fail() {
            "the compiler says"
        } else {
            "the program prints"
        };
        let now = o.actual(kind).unwrap_or("(nothing was observed)\n");
        println!(
            "\n==> {what} now ({}, .{}):\n{now}",
            rustc.label(),
            kind.ext()
        );
        match fixture.expectation(kind, rustc.version) {
            None => {
                same = false;
                println!(
                    "==> no expectation applies to {}; `cargo xtask bless` would create one",
                    rustc.version
                );
            }
            Some(file) => {
                let expected = read_expectation(root, &file.path)?;
                if expected == now {
                    println!("==> same as {}", file.path.display());
                } else {
                    same = false;
                    println!(
                        "==> differs from {}:\n{}",
                        file.path.display(),
                        diff::unified(&expected, now, &file.path.display().to_string(), "now")
                    );
                }
            }
        }
    }
    if !suite.is_blessed(rustc.version) {
        println!(
            "\nnote: expectations were never blessed for {} (see ui/toolchains.txt)",
            rustc.version
        );
    }
    Ok(same)
}
