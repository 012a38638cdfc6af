//! Sysroots made of links to a real one: without std's sources, so that
//! diagnostics do not depend on the `rust-src` component; and, for testing
//! that, a whole toolchain *with* std's sources, rebuilt from the `rust-docs`
//! component's source pages.
//!
//! rustc quotes a line of std only when it finds std's sources under
//! `<sysroot>/lib/rustlib/src/rust` (marked by `library/std/src/lib.rs`) and
//! the file's hash equals the one std's metadata records. rustdoc's source
//! pages (`share/doc/rust/html/src/std/….rs.html`) hold the text of every
//! file with public items, exactly, so the rebuilt files pass that check.

use crate::error::{Error, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// Where rustc looks for std's sources, under a sysroot.
const SOURCES: &str = "lib/rustlib/src/rust";

/// Build at `dir` a sysroot that is `sysroot` without std's sources: every
/// entry of `lib/rustlib` but `src` and `rustc-src` linked. Replaces what is
/// at `dir`.
pub fn without_sources(sysroot: &Path, dir: &Path) -> Result<()> {
    let real = sysroot.join("lib/rustlib");
    let shadow = dir.join("lib/rustlib");
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(Error::io_on(dir))?;
    }
    fs::create_dir_all(&shadow).map_err(Error::io_on(&shadow))?;
    for entry in fs::read_dir(&real).map_err(Error::io_on(&real))? {
        let entry = entry.map_err(Error::io_on(&real))?;
        let name = entry.file_name();
        if name != "src" && name != "rustc-src" {
            let to = shadow.join(&name);
            symlink(&entry.path(), &to).map_err(Error::io_on(&to))?;
        }
    }
    Ok(())
}

/// The source text held by one of rustdoc's source pages: the contents of
/// its `<pre class="rust"><code>` block, without the line-number anchors and
/// the highlighting tags, entities decoded. `None` if the page has no such
/// block.
pub fn source_of_page(html: &str) -> Option<String> {
    let start = html.find("<pre class=\"rust\"><code>")? + "<pre class=\"rust\"><code>".len();
    let end = start + html[start..].find("</code></pre>")?;
    let mut out = String::with_capacity(end - start);
    let mut rest = &html[start..end];
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let close = lt + rest[lt..].find('>')? + 1;
        let tag = &rest[lt..close];
        rest = &rest[close..];
        // A line's number is the text of its anchor: drop it with the tag.
        if tag.starts_with("<a ") && tag.contains("data-nosnippet") {
            rest = &rest[rest.find("</a>")? + "</a>".len()..];
        }
    }
    out.push_str(rest);
    decode_entities(&out)
}

fn decode_entities(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let semi = amp + rest[amp..].find(';')?;
        let decoded = match &rest[amp + 1..semi] {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            num => {
                let code = match num.strip_prefix("#x").or_else(|| num.strip_prefix("#X")) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => num.strip_prefix('#')?.parse().ok()?,
                };
                char::from_u32(code)?
            }
        };
        out.push(decoded);
        rest = &rest[semi + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// Build at `dir` a copy of the toolchain at `sysroot` whose sysroot holds
/// std's, alloc's and core's sources as rebuilt from its `rust-docs` pages.
/// rustc and the files of `lib/` are hard links (rustc finds its sysroot
/// from where its driver library really is; copied where a link cannot be
/// made), the rest symbolic links. Returns how many source files were rebuilt;
/// fails if `rust-docs` is not installed. Nothing outside `dir` changes;
/// the caller removes `dir`.
pub fn with_sources(sysroot: &Path, dir: &Path) -> Result<usize> {
    let pages = sysroot.join("share/doc/rust/html/src");
    if !pages.join("std/thread/functions.rs.html").is_file() {
        return Err(Error::Toolchain {
            toolchain: sysroot.display().to_string(),
            problem: format!(
                "std's source pages are missing from {}: the `rust-docs` component is not installed; \
                 install it with `rustup component add rust-docs`",
                pages.display()
            ),
        });
    }
    let io = Error::io_on;
    for sub in ["bin", "lib/rustlib"] {
        fs::create_dir_all(dir.join(sub)).map_err(io(&dir.join(sub)))?;
    }
    install_rustc(sysroot, dir)?;
    for entry in fs::read_dir(sysroot.join("lib")).map_err(io(sysroot))? {
        let entry = entry.map_err(io(sysroot))?;
        if entry.file_type().map_err(io(&entry.path()))?.is_file() {
            link_or_copy(&entry.path(), &dir.join("lib").join(entry.file_name()))?;
        }
    }
    let rustlib = sysroot.join("lib/rustlib");
    for entry in fs::read_dir(&rustlib).map_err(io(&rustlib))? {
        let entry = entry.map_err(io(&rustlib))?;
        if entry.file_name() != "src" {
            let to = dir.join("lib/rustlib").join(entry.file_name());
            symlink(&entry.path(), &to).map_err(io(&to))?;
        }
    }
    let library = dir.join(SOURCES).join("library");
    let mut rebuilt = 0;
    for krate in ["std", "alloc", "core"] {
        for entry in walkdir::WalkDir::new(pages.join(krate)) {
            let entry = entry.map_err(|e| Error::io_on(&pages.join(krate))(e.into()))?;
            let page = entry.path();
            let Some(rel) = page
                .strip_prefix(pages.join(krate))
                .ok()
                .and_then(|r| r.to_str())
                .and_then(|r| r.strip_suffix(".html"))
            else {
                continue;
            };
            let html = fs::read_to_string(page).map_err(io(page))?;
            let Some(text) = source_of_page(&html) else {
                continue;
            };
            let to = library.join(krate).join("src").join(rel);
            fs::create_dir_all(to.parent().expect("under library/")).map_err(io(&to))?;
            fs::write(&to, text).map_err(io(&to))?;
            rebuilt += 1;
        }
    }
    // rustc's marker that std's sources are there (the page exists, so this
    // is normally the real lib.rs already).
    let marker = library.join("std/src/lib.rs");
    if !marker.exists() {
        fs::write(&marker, "").map_err(io(&marker))?;
    }
    Ok(rebuilt)
}

/// The `rustc` of a toolchain built by [`with_sources`] at `dir`.
pub fn rustc_in(dir: &Path) -> PathBuf {
    dir.join("bin")
        .join(format!("rustc{}", std::env::consts::EXE_SUFFIX))
}

/// `bin/rustc` of the copy. On unix it is a bash script that puts the copy's
/// `lib/` first on the library path before starting the real program (a
/// hard link, `rustc-real`): under `cargo test` the library path names the
/// real toolchain's `lib/`, and a rustc that loaded its driver from there
/// would take the real sysroot for its own.
#[cfg(unix)]
fn install_rustc(sysroot: &Path, dir: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    link_or_copy(&sysroot.join("bin/rustc"), &dir.join("bin/rustc-real"))?;
    let script = rustc_in(dir);
    // bash, not sh: dash drops environment variables whose names are not
    // shell names, such as cargo's `CARGO_BIN_EXE_ch16-ui-observer`.
    let text = "#!/usr/bin/env bash\nhere=$(dirname \"$0\")\n\
                LD_LIBRARY_PATH=\"$here/../lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}\" \
                exec \"$here/rustc-real\" \"$@\"\n";
    fs::write(&script, text)
        .and_then(|()| fs::set_permissions(&script, fs::Permissions::from_mode(0o755)))
        .map_err(Error::io_on(&script))
}

#[cfg(not(unix))]
fn install_rustc(sysroot: &Path, dir: &Path) -> Result<()> {
    link_or_copy(&sysroot.join("bin/rustc.exe"), &rustc_in(dir))
}

fn link_or_copy(from: &Path, to: &Path) -> Result<()> {
    fs::hard_link(from, to)
        .or_else(|_| fs::copy(from, to).map(drop))
        .map_err(Error::io_on(to))
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(windows)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    if target.is_dir() {
        std::os::windows::fs::symlink_dir(target, link)
    } else {
        std::os::windows::fs::symlink_file(target, link)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_page_gives_back_its_text() {
        let page = "<html><pre class=\"rust\"><code><a href=#1 id=1 data-nosnippet>1</a><span class=\"kw\">pub fn </span>f&lt;T: <span>Send</span>&gt;() {}\n\
                    <a href=#2 id=2 data-nosnippet>2</a><span class=\"comment\">// a &amp; b &quot;c&quot; &#39;d&#39; &#x41;</span>\n</code></pre></html>";
        assert_eq!(
            source_of_page(page).unwrap(),
            "pub fn f<T: Send>() {}\n// a & b \"c\" 'd' A\n"
        );
        assert_eq!(source_of_page("<pre>no code block</pre>"), None);
    }
}
