//! `cargo xtask site --out DIR [--source-url URL]`: the companion site, an
//! mdBook of the readers' pages (`ch16_ui::catalogue::site`).

use crate::error::{Error, Result};
use std::path::PathBuf;
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask site --out DIR [--source-url URL]";

/// Parse the options, then build.
pub fn run(root: &std::path::Path, args: &[String]) -> Result<bool> {
    let mut out: Option<PathBuf> = None;
    let mut source: Option<String> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let value = inline
            .or_else(|| it.next().cloned())
            .filter(|v| !v.is_empty())
            .ok_or_else(|| Error::Request(format!("`{name}` needs a value\n{USAGE}")));
        match name {
            "--out" => out = Some(value?.into()),
            "--source-url" => source = Some(value?),
            other => return Err(Error::Request(format!("unknown option `{other}`\n{USAGE}"))),
        }
    }
    let Some(out) = out else {
        return Err(Error::Request(USAGE.into()));
    };
    let start = Instant::now();
    let suite = crate::load(root)?;
    ch16_ui::catalogue::site::build(&suite, &out, source.as_deref())?;
    println!(
        "wrote the site for {} fixtures to {} in {:.1}s: open {}",
        suite.fixtures.len(),
        out.display(),
        start.elapsed().as_secs_f64(),
        out.join("index.html").display()
    );
    Ok(true)
}
