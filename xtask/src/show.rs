//! `cargo xtask show <listing>`: one fixture, what a compiler says about it
//! now next to what the suite expects, and what rustc prints run directly.

use crate::error::{Error, Result, request};
use crate::observe;
use ch16_ui::diff;
use ch16_ui::error::Error as SuiteError;
use ch16_ui::host::toolchain::{self, Rustc, Source};
use ch16_ui::model::expect::{self, Kind};
use ch16_ui::model::fixture::{Fixture, Listing};
use ch16_ui::model::suite::Suite;
use ch16_ui::names::BLESS;
use std::path::Path;

/// The fixture `query` names: a path, or what selects exactly one (a path
/// selects only its fixture).
fn find<'a>(suite: &'a Suite, query: &str) -> Result<&'a Fixture> {
    let selected = suite.fixtures.iter().filter(|f| suite.selects(query, f));
    match selected.collect::<Vec<_>>().as_slice() {
        &[f] => Ok(f),
        [] => request(format!(
            "no fixture matches `{query}`; ids look like `16-14`, `listing-16-14` or `beyond-01`"
        )),
        many => {
            let shown = |f: &&Fixture| format!("{}  ({})", f.short_id(), f.display_path());
            let list = many.iter().map(shown).collect::<Vec<_>>().join("\n  ");
            let n = many.len();
            request(format!(
                "`{query}` matches {n} fixtures, name one:\n  {list}"
            ))
        }
    }
}

/// Print the fixture, then what it says now against the expectation.
pub fn run(root: &Path, query: &str, compiler: Source) -> Result<bool> {
    let suite = crate::load(root)?;
    let f = find(&suite, query)?;
    let l = f.listing.as_ref().map_err(|p| SuiteError::Tree(p.clone()));
    let l = l?;
    let rustc = toolchain::detect(compiler)?;
    println!("==> {} ({})\n", f.display_path(), rustc.label());
    print!("{}", l.source);
    let report = observe::observe(root, &rustc, &[f.display_path()], &|_| {}).0?;
    let o = report.fixtures.iter().find(|o| o.path == f.display_path());
    let o = o.ok_or_else(|| Error::Request("the suite did not report the fixture".into()))?;
    let mut same = o.problems.is_empty();
    for p in &o.problems {
        println!("\n==> problem ({}): {p}", p.check);
    }
    for kind in l.kinds() {
        let now = o.actual(kind).unwrap_or("(nothing was observed)\n");
        same &= against(root, f, &rustc, kind, now)?;
    }
    variants(f, l, &rustc);
    if !suite.is_blessed(rustc.version) {
        let version = rustc.version;
        println!("\nnote: expectations were never blessed for {version} (see ui/toolchains.txt)");
    }
    if l.header.expect.is_compile_fail() {
        raw(root, f, &rustc)?;
    }
    Ok(same)
}

/// What `rustc` says now of `kind`, and how it compares with the
/// expectation that applies; whether they are the same.
fn against(root: &Path, f: &Fixture, rustc: &Rustc, kind: Kind, now: &str) -> Result<bool> {
    let (l, label) = (f.loaded().expect("shown only if it loads"), rustc.label());
    if kind == Kind::Fixed {
        let shown = diff::brief(&l.source, now, &f.display_path(), "with the suggestions");
        println!("\n==> rustc's machine-applicable suggestions ({label}), applied:\n{shown}");
    } else {
        let what = match l.header.expect.is_compile_fail() {
            true => "the compiler says",
            false => "the program prints",
        };
        println!("\n==> {what} now ({label}, .{}):\n{now}", kind.ext());
    }
    if l.header.expect.hangs() && kind == Kind::Stdout {
        let secs = l.header.timeout.as_secs();
        println!(
            "==> (it is meant to hang: what it printed before it was stopped at its time limit, {secs} s)"
        );
    }
    let described = l.header.output.as_ref().and_then(|o| o.describe());
    if let (Kind::Stdout, Some(described)) = (kind, described) {
        println!(
            "==> (a canonical form, not a transcript: {described}; above, each complete \
             thread's lines one block after another)"
        );
    }
    let Some(file) = f.expectation(kind, rustc.version) else {
        let version = rustc.version;
        println!("==> no expectation applies to {version}; `{BLESS}` would create one");
        return Ok(false);
    };
    let expected = expect::read(root, &file.path)?;
    let path = file.path.display().to_string();
    if expected == now {
        println!("==> same as {path}");
        return Ok(true);
    }
    let diff = diff::brief(&expected, now, &path, "now");
    println!("==> differs from {path}:\n{diff}");
    Ok(false)
}

/// The fixture's expectation files, and which compilers each is for.
fn variants(f: &Fixture, l: &Listing, rustc: &Rustc) {
    let label = rustc.label();
    for kind in l.kinds() {
        let applies = f.expectation(kind, rustc.version).map(|e| &e.path);
        let mut files: Vec<_> = f.expectations.iter().filter(|e| e.kind == kind).collect();
        files.sort_by_key(|e| e.key);
        println!("\n==> .{} expectations of this fixture:", kind.ext());
        for (i, e) in files.iter().enumerate() {
            let from = e.key.map(|v| format!("rustc {v}"));
            let from = from.unwrap_or("the oldest recorded compiler".to_string());
            let until = files.get(i + 1).and_then(|n| n.key);
            let until = until.map_or(String::new(), |v| format!(", until {v}"));
            let mark = (applies == Some(&e.path)).then(|| format!("  <- applies to {label}"));
            let (path, mark) = (e.path.display(), mark.unwrap_or_default());
            println!("  {path}  (from {from}{until}){mark}");
        }
    }
}

/// What the reader's own rustc prints for the fixture, as an editor shows
/// it (real paths, std's source quoted), not as trybuild normalises it.
fn raw(root: &Path, f: &Fixture, rustc: &Rustc) -> Result<()> {
    // rustc makes its output directory.
    let mut cmd = rustc.command();
    let args = "--edition 2024 --emit=metadata --crate-type bin --out-dir target/show";
    cmd.current_dir(root).args(args.split(' '));
    let out = cmd.arg(&f.path).output();
    let out = out.map_err(SuiteError::io_on(Path::new("rustc")))?;
    let (label, path) = (rustc.label(), f.display_path());
    let said = String::from_utf8_lossy(&out.stderr);
    println!(
        "\n==> {label} run directly on {path} (as your editor shows it; not what the suite compares, \
         which trybuild normalises):\n{said}"
    );
    Ok(())
}
