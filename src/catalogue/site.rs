//! The companion site: an mdBook whose sources mirror `ui/`, so the pages'
//! links work unchanged (hence no default preprocessors: `index` would
//! rename `README.md`).

use super::{Links, from_disk, pages};
use crate::error::{Error, Result};
use crate::model::chapter;
use crate::model::suite::Suite;
use crate::names::UI_DIR;
use crate::problem::slashed;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The mdbook version the site is built with.
pub const MDBOOK_VERSION: &str = "0.5.4";

/// How to install it.
pub const MDBOOK_INSTALL: &str = "cargo install mdbook@0.5.4 --locked";

/// Marks a directory the site was built into: mdbook empties it.
pub const MARKER: &str = ".ch16-ui-site";

/// `$MDBOOK`, or `mdbook`, checked to be [`MDBOOK_VERSION`].
pub fn mdbook() -> Result<PathBuf> {
    let program: PathBuf = std::env::var_os("MDBOOK").map_or_else(|| "mdbook".into(), Into::into);
    let shown = program.display();
    let problem = match Command::new(&program).arg("--version").output() {
        Err(e) => format!("and `{shown}` cannot be run: {e}"),
        Ok(out) => {
            let said = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if out.status.success() && said == format!("mdbook v{MDBOOK_VERSION}") {
                return Ok(program);
            }
            format!("but `{shown} --version` says `{said}`")
        }
    };
    Err(Error::Tool {
        problem: format!("the site is built with mdbook {MDBOOK_VERSION}, {problem}"),
        fix: format!(
            "install it with `{MDBOOK_INSTALL}` (or set `MDBOOK` to an mdbook {MDBOOK_VERSION})"
        ),
    })
}

/// The book's source files (relative to the book's root) for `suite`. With
/// no `source` address, the fixture files are copied into the site as text
/// (`….rs.txt`, which any server shows), and each entry links to its copy.
pub fn sources(suite: &Suite, source: Option<&str>) -> Result<Vec<(PathBuf, String)>> {
    let source_url = source.map(|s| s.trim_end_matches('/').to_string());
    let links = Links::Site { source: source_url };
    let mut summary = String::from("# Summary\n\n");
    let mut files = Vec::new();
    let pages = pages(suite, &from_disk(&suite.root), &links)?;
    for (i, page) in pages.into_iter().enumerate() {
        let rel = page.path.strip_prefix(UI_DIR).unwrap_or(&page.path);
        let rel = slashed(rel);
        // Each section's page, and under it its pages of our own examples.
        let row = rel.split('/').next().and_then(chapter::of_dir);
        let indent = if row.is_some_and(|s| !s.is_section()) {
            "  "
        } else {
            ""
        };
        match i {
            0 => w!(summary, "[{}]({rel})\n\n", page.title),
            _ => w!(summary, "{indent}- [{}]({rel})\n", page.title),
        }
        files.push((Path::new("src").join(&rel), page.text));
    }
    files.push(("src/SUMMARY.md".into(), summary));
    if source.is_none() {
        for (f, _) in suite.loaded() {
            let names = std::iter::once(f.path.clone());
            for path in names.chain(f.expectations.iter().map(|e| e.path.clone())) {
                let text = from_disk(&suite.root)(&path)?;
                let rel = path.strip_prefix(UI_DIR).unwrap_or(&path);
                let copy = Path::new("src").join(format!("{}.txt", rel.display()));
                files.push((copy, text));
            }
        }
    }
    files.push(("ch16.css".into(), CSS.into()));
    // `…/blob/<commit>` → the repository's own address.
    let repo = source.map(|url| url.split("/blob/").next().unwrap_or(url));
    let repo = repo.map(|repo| format!("git-repository-url = \"{repo}\"\n"));
    let toml = format!(
        "# Written by `cargo xtask site`.\n\
         [book]\n\
         title = \"Fearless Concurrency, listing by listing\"\n\
         description = \"Chapter 16 of The Rust Programming Language, listing by listing, each checked on every run\"\n\
         language = \"en\"\n\n\
         [build]\n\
         use-default-preprocessors = false\n\
         create-missing = false\n\n\
         [rust]\n\
         edition = \"2024\"\n\n\
         [output.html]\n\
         no-section-label = true\n\
         additional-css = [\"ch16.css\"]\n\
         {}\n\
         [output.html.playground]\n\
         runnable = true\n",
        repo.unwrap_or_default()
    );
    files.push(("book.toml".into(), toml));
    Ok(files)
}

/// The site's own style: a column wide enough for most compiler messages;
/// on a phone, headings that do not fill the screen and words that wrap
/// rather than widen the page.
const CSS: &str = "/* Written by `cargo xtask site`. */
:root { --content-max-width: 920px; }
.content main { overflow-wrap: anywhere; }
.content main h2 { font-size: 1.4em; }
@media (max-width: 600px) {
  .content main h1 { font-size: 1.6em; }
  .content main h2 { font-size: 1.15em; }
}
";

/// Build the site into `out`, which must be missing, empty, or a site built before.
pub fn build(suite: &Suite, out: &Path, source: Option<&str>) -> Result<()> {
    let mdbook = mdbook()?;
    check_out_dir(out)?;
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let name = format!("ch16-ui-site-{}-{n}", std::process::id());
    let scratch = Scratch(std::env::temp_dir().join(name));
    let _ = std::fs::remove_dir_all(&scratch.0);
    for (rel, text) in sources(suite, source)? {
        let path = scratch.0.join(rel);
        let dir = path.parent().unwrap_or(&scratch.0);
        std::fs::create_dir_all(dir).map_err(Error::io_on(dir))?;
        std::fs::write(&path, text).map_err(Error::io_on(&path))?;
    }
    std::fs::create_dir_all(out).map_err(Error::io_on(out))?;
    let out = out.canonicalize().map_err(Error::io_on(out))?;
    let ran = Command::new(&mdbook)
        .arg("build")
        .arg(&scratch.0)
        .arg("--dest-dir")
        .arg(&out)
        .output()
        .map_err(|e| Error::Tool {
            problem: format!("`{} build` could not be started: {e}", mdbook.display()),
            fix: format!("install mdbook with `{MDBOOK_INSTALL}`"),
        })?;
    let stdout = String::from_utf8_lossy(&ran.stdout);
    let log = stdout + String::from_utf8_lossy(&ran.stderr);
    if !ran.status.success() || log.contains("WARN") || log.contains("ERROR") {
        return Err(Error::Tool {
            problem: format!("`mdbook build` failed or warned:\n{log}"),
            fix: "this is a bug in the pages or the book's settings (src/catalogue/site.rs)".into(),
        });
    }
    let marker = out.join(MARKER);
    std::fs::write(&marker, "built by `cargo xtask site`\n").map_err(Error::io_on(&out))
}

/// Refuse an output directory that holds anything but a site built before.
fn check_out_dir(out: &Path) -> Result<()> {
    let problem = match std::fs::read_dir(out).map(|mut d| d.next().is_none()) {
        Err(_) if !out.exists() => return Ok(()),
        Err(_) => format!("{} is not a directory", out.display()),
        Ok(empty) if empty || out.join(MARKER).is_file() => return Ok(()),
        Ok(_) => format!(
            "{} holds files that are not a site built before (no `{MARKER}`); building there would delete them",
            out.display()
        ),
    };
    let fix = "name a new or empty directory with --out".into();
    Err(Error::Tool { problem, fix })
}

/// The book's sources, removed whatever happens.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
