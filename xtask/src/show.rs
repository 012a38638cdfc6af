//! `cargo xtask show <listing>`: one fixture, and what a compiler says about
//! it now next to what the suite expects; its expectation files and which
//! compilers each is for; what the reader's own rustc prints run directly.

use crate::error::{Error, Result};
use crate::observe;
use ch16_ui::diff;
use ch16_ui::error::Error as SuiteError;
use ch16_ui::host::toolchain::{self, Rustc, Source};
use ch16_ui::model::expect::{self, ExpectFile, Kind};
use ch16_ui::model::fixture::{Fixture, Listing};
use ch16_ui::model::suite::Suite;
use ch16_ui::names::BLESS;
use std::path::Path;

/// The fixture `query` names: a path, or what selects exactly one.
fn find<'a>(suite: &'a Suite, query: &str) -> Result<&'a Fixture> {
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
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|f| format!("{}  ({})", f.short_id(), f.display_path()))
                .collect();
            Err(Error::Request(format!(
                "`{query}` matches {} fixtures, name one:\n  {}",
                many.len(),
                list.join("\n  ")
            )))
        }
    }
}

/// Print the fixture, then what it says now against the expectation.
pub fn run(root: &Path, query: &str, compiler: Source) -> Result<bool> {
    let suite = crate::load(root)?;
    let f = find(&suite, query)?;
    let l = f
        .listing
        .as_ref()
        .map_err(|problems| SuiteError::Tree(problems.clone()))?;
    let rustc = toolchain::detect(compiler)?;
    println!("==> {} ({})\n", f.display_path(), rustc.label());
    print!("{}", l.source);
    let observed = observe::observe(root, &rustc, &[f.display_path()], &|_| {});
    let report = observed.report?;
    let o = report.fixtures.iter().find(|o| o.path == f.display_path());
    let o = o.ok_or_else(|| Error::Request("the suite did not report the fixture".into()))?;
    let mut same = o.problems.is_empty();
    for p in &o.problems {
        println!("\n==> problem ({}): {p}", p.check);
    }
    for kind in l.kinds() {
        let now = o.actual(kind).unwrap_or("(nothing was observed)\n");
        same &= against(root, (f, l), &rustc, kind, now)?;
    }
    variants(f, l, &rustc);
    if !suite.is_blessed(rustc.version) {
        println!(
            "\nnote: expectations were never blessed for {} (see ui/toolchains.txt)",
            rustc.version
        );
    }
    if l.header.expect.is_compile_fail() {
        raw(root, f, &rustc)?;
    }
    Ok(same)
}

/// What `rustc` says now of `kind`, and how it compares with the
/// expectation that applies; whether they are the same.
fn against(
    root: &Path,
    (f, l): (&Fixture, &Listing),
    rustc: &Rustc,
    kind: Kind,
    now: &str,
) -> Result<bool> {
    if kind == Kind::Fixed {
        // The compiler's own fix, as the change it makes to the fixture.
        let shown = diff::brief(&l.source, now, &f.display_path(), "with the suggestions");
        println!(
            "\n==> rustc's machine-applicable suggestions ({}), applied:\n{shown}",
            rustc.label()
        );
    } else {
        let what = if l.header.expect.is_compile_fail() {
            "the compiler says"
        } else {
            "the program prints"
        };
        println!(
            "\n==> {what} now ({}, .{}):\n{now}",
            rustc.label(),
            kind.ext()
        );
        if let (Kind::Stdout, Some(described)) =
            (kind, l.header.output.as_ref().and_then(|o| o.describe()))
        {
            println!(
                "==> (a canonical form, not a transcript: {described}; above, each complete \
                 thread's lines one block after another)"
            );
        }
    }
    let Some(file) = f.expectation(kind, rustc.version) else {
        println!(
            "==> no expectation applies to {}; `{BLESS}` would create one",
            rustc.version
        );
        return Ok(false);
    };
    let expected = expect::read(root, &file.path)?;
    let path = file.path.display().to_string();
    match expected == now {
        true => println!("==> same as {path}"),
        false => println!(
            "==> differs from {path}:\n{}",
            diff::brief(&expected, now, &path, "now")
        ),
    }
    Ok(expected == now)
}

/// The fixture's expectation files, and which compilers each is for.
fn variants(f: &Fixture, l: &Listing, rustc: &Rustc) {
    for kind in l.kinds() {
        let applies = f.expectation(kind, rustc.version).map(|e| e.path.clone());
        let mut files: Vec<&ExpectFile> =
            f.expectations.iter().filter(|e| e.kind == kind).collect();
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
                .and_then(|n| n.key)
                .map_or(String::new(), |v| format!(", until {v}"));
            let mark = match applies.as_ref() == Some(&e.path) {
                true => format!("  <- applies to {}", rustc.label()),
                false => String::new(),
            };
            println!("  {}  (from {from}{until}){mark}", e.path.display());
        }
    }
}

/// What the reader's own rustc prints for the fixture, run directly from
/// the checkout: real paths, and std's source quoted where rust-src is
/// installed. Not what the suite compares (trybuild normalises it).
fn raw(root: &Path, f: &Fixture, rustc: &Rustc) -> Result<()> {
    let out_dir = root.join("target/show");
    std::fs::create_dir_all(&out_dir).map_err(SuiteError::io_on(&out_dir))?;
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
        .arg(&f.path)
        .output()
        .map_err(SuiteError::io_on(Path::new("rustc")))?;
    println!(
        "\n==> {} run directly on {} (as your editor shows it; not what the suite compares, \
         which trybuild normalises):\n{}",
        rustc.label(),
        f.display_path(),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}
