//! Sysroots of links to a real one: without std's sources, so that diagnostics
//! do not depend on `rust-src`; and, to test that, a toolchain with them, rebuilt
//! from `rust-docs`' source pages (which hold each file exactly, so rustc quotes them).

use crate::error::{Error, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// Replace `dir` by `sysroot` without std's sources (`lib/rustlib/{src,rustc-src}`).
pub fn without_sources(sysroot: &Path, dir: &Path) -> Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(Error::io_on(dir))?;
    }
    link_rustlib(sysroot, dir, &["src", "rustc-src"])
}

/// Link in `dir`'s `lib/rustlib` the entries of `sysroot`'s but those `left_out`.
fn link_rustlib(sysroot: &Path, dir: &Path, left_out: &[&str]) -> Result<()> {
    let (from, to) = (sysroot.join("lib/rustlib"), dir.join("lib/rustlib"));
    fs::create_dir_all(&to).map_err(Error::io_on(&to))?;
    for entry in fs::read_dir(&from).map_err(Error::io_on(&from))? {
        let name = entry.map_err(Error::io_on(&from))?.file_name();
        if !left_out.iter().any(|n| name == *n) {
            let link = to.join(&name);
            symlink(&from.join(&name), &link).map_err(Error::io_on(&link))?;
        }
    }
    Ok(())
}

/// The text of a rustdoc source page's `<pre class="rust"><code>` block
/// (`None` without one): no tags, no line numbers, entities decoded.
fn source_of_page(html: &str) -> Option<String> {
    let start = html.find("<pre class=\"rust\"><code>")? + "<pre class=\"rust\"><code>".len();
    let end = start + html[start..].find("</code></pre>")?;
    let mut text = String::with_capacity(end - start);
    let mut rest = &html[start..end];
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        let close = lt + rest[lt..].find('>')? + 1;
        let tag = &rest[lt..close];
        rest = &rest[close..];
        // A line's number is the text of its anchor: drop it with the tag.
        if tag.starts_with("<a ") && tag.contains("data-nosnippet") {
            rest = &rest[rest.find("</a>")? + "</a>".len()..];
        }
    }
    text.push_str(rest);
    // Entities: `&lt;`, `&#39;`, `&#x41;`.
    let mut parts = text.split('&');
    let mut out = parts.next()?.to_string();
    for part in parts {
        let (entity, after) = part.split_once(';')?;
        out.push(match entity {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            num => char::from_u32(match num.strip_prefix("#x").or(num.strip_prefix("#X")) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.strip_prefix('#')?.parse().ok()?,
            })?,
        });
        out.push_str(after);
    }
    Some(out)
}

/// Build at `dir` (the caller removes it) the toolchain at `sysroot` with std's,
/// alloc's and core's sources rebuilt from `rust-docs`: how many files. rustc and
/// `lib/`'s files are hard links or copies (rustc finds its sysroot from its driver).
pub fn with_sources(sysroot: &Path, dir: &Path) -> Result<usize> {
    let pages = sysroot.join(crate::names::RUST_DOCS).join("src");
    if !pages.join("std/thread/functions.rs.html").is_file() {
        let problem = format!(
            "std's source pages are missing from {}: the `rust-docs` component is not installed; \
             install it with `rustup component add rust-docs`",
            pages.display()
        );
        let sysroot = sysroot.display().to_string();
        return Err(super::toolchain::error(sysroot, problem));
    }
    let (io, bin) = (Error::io_on, dir.join("bin"));
    fs::create_dir_all(&bin).map_err(io(&bin))?;
    link_rustlib(sysroot, dir, &["src"])?;
    install_rustc(sysroot, dir)?;
    for entry in fs::read_dir(sysroot.join("lib")).map_err(io(sysroot))? {
        let entry = entry.map_err(io(sysroot))?;
        if entry.file_type().map_err(io(&entry.path()))?.is_file() {
            link_or_copy(&entry.path(), &dir.join("lib").join(entry.file_name()))?;
        }
    }
    let library = dir.join("lib/rustlib/src/rust/library");
    let mut rebuilt = 0;
    for krate in ["std", "alloc", "core"] {
        let pages = pages.join(krate);
        for entry in walkdir::WalkDir::new(&pages) {
            let page = entry.map_err(|e| io(&pages)(e.into()))?.into_path();
            let rel = page.strip_prefix(&pages).ok().and_then(Path::to_str);
            let Some(rel) = rel.and_then(|r| r.strip_suffix(".html")) else {
                continue;
            };
            let html = fs::read_to_string(&page).map_err(io(&page))?;
            if let Some(text) = source_of_page(&html) {
                let to = library.join(krate).join("src").join(rel);
                fs::create_dir_all(to.parent().expect("under library/")).map_err(io(&to))?;
                fs::write(&to, text).map_err(io(&to))?;
                rebuilt += 1;
            }
        }
    }
    // rustc's marker for std's sources (normally rebuilt already).
    let marker = library.join("std/src/lib.rs");
    if !marker.exists() {
        fs::write(&marker, "").map_err(io(&marker))?;
    }
    Ok(rebuilt)
}

/// The `rustc` of a toolchain built by [`with_sources`] at `dir`.
pub fn rustc_in(dir: &Path) -> PathBuf {
    dir.join(format!("bin/rustc{}", std::env::consts::EXE_SUFFIX))
}

/// `bin/rustc` of the copy; on unix a script putting the copy's `lib/` first on
/// the library path (under `cargo test` it names the real one's) for `rustc-real`.
fn install_rustc(sysroot: &Path, dir: &Path) -> Result<()> {
    #[cfg(not(unix))]
    return link_or_copy(&sysroot.join("bin/rustc.exe"), &rustc_in(dir));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        link_or_copy(&sysroot.join("bin/rustc"), &dir.join("bin/rustc-real"))?;
        let script = rustc_in(dir);
        // bash: dash drops variables such as `CARGO_BIN_EXE_ch16-ui-observer`.
        let text = "#!/usr/bin/env bash\nhere=$(dirname \"$0\")\n\
                    LD_LIBRARY_PATH=\"$here/../lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}\" \
                    exec \"$here/rustc-real\" \"$@\"\n";
        fs::write(&script, text)
            .and_then(|()| fs::set_permissions(&script, fs::Permissions::from_mode(0o755)))
            .map_err(Error::io_on(&script))
    }
}

fn link_or_copy(from: &Path, to: &Path) -> Result<()> {
    fs::hard_link(from, to)
        .or_else(|_| fs::copy(from, to).map(drop))
        .map_err(Error::io_on(to))
}

fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    return std::os::unix::fs::symlink(target, link);
    #[cfg(windows)]
    if target.is_dir() {
        std::os::windows::fs::symlink_dir(target, link)
    } else {
        std::os::windows::fs::symlink_file(target, link)
    }
}

#[cfg(test)]
#[test]
fn a_source_page_gives_back_its_text() {
    let page = "<html><pre class=\"rust\"><code><a href=#1 id=1 data-nosnippet>1</a><span class=\"kw\">pub fn </span>f&lt;T: <span>Send</span>&gt;() {}\n\
                <a href=#2 id=2 data-nosnippet>2</a><span class=\"comment\">// a &amp; b &quot;c&quot; &#39;d&#39; &#x41;</span>\n</code></pre></html>";
    let text = "pub fn f<T: Send>() {}\n// a & b \"c\" 'd' A\n";
    assert_eq!(source_of_page(page).as_deref(), Some(text));
    assert_eq!(source_of_page("<pre>no code block</pre>"), None);
}
