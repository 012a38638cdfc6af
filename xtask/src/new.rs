//! `cargo xtask new <section> <name>`: scaffold a fixture with its header.

use crate::error::{Error, Result};
use ch16_ui::model::section::{BEYOND, GROUPS, Group};
use ch16_ui::model::suite::UI_DIR;
use std::path::Path;

/// Create `ui/<group>/<name>.rs`; never overwrites anything.
pub fn run(root: &Path, section: &str, name: &str) -> Result<bool> {
    let Some(&Group {
        key: number,
        dir: group,
        page,
        ..
    }) = GROUPS.iter().find(|g| g.key == section || g.dir == section)
    else {
        return Err(Error::Request(format!(
            "unknown section `{section}`; use one of {}",
            GROUPS
                .iter()
                .map(|g| format!("{} ({})", g.key, g.dir))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };
    let name = name.strip_suffix(".rs").unwrap_or(name);
    if !ch16_ui::model::fixture::is_slug(name) {
        return Err(Error::Request(format!(
            "`{name}`: fixture names are lowercase letters, digits and dashes"
        )));
    }
    let beyond = group == BEYOND;
    let id = listing_id(name);
    if beyond != name.starts_with("beyond-") {
        return Err(Error::Request(if beyond {
            format!("fixtures in {group} are named `beyond-NN-slug`, not `{name}`")
        } else {
            format!(
                "book fixtures are named by the book's id (`listing-16-NN-slug`, `no-listing-NN-…`), not `{name}`"
            )
        }));
    }
    // An existing file first, whatever state it is in.
    let dir = root.join(UI_DIR).join(group);
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let existing = entry.file_name().to_string_lossy().into_owned();
            if existing.split('.').next() == Some(name) {
                return Err(Error::Request(format!(
                    "{UI_DIR}/{group}/{existing} already exists; nothing was written"
                )));
            }
        }
    }
    // Other fixtures may be unfinished scaffolds or otherwise broken: they
    // are no reason to refuse this one, but their ids are taken.
    let suite = ch16_ui::Suite::load_each(root)?;
    if let Some(f) = suite.by_id(&id) {
        return Err(Error::Request(format!(
            "id `{id}` is already used by {}",
            f.display_path()
        )));
    }
    let short = ch16_ui::model::fixture::short_id_of(&id);
    let taken = suite
        .fixtures
        .iter()
        .find(|f| f.short_id() == short)
        .map(|f| f.display_path())
        .or_else(|| {
            suite
                .broken
                .iter()
                .find(|b| b.short_id() == short)
                .map(|b| b.display_path())
        });
    if let Some(path) = taken {
        return Err(Error::Request(format!(
            "short id `{short}` is already that of {path}; number the new fixture differently"
        )));
    }
    let follows = if !beyond && !id.starts_with("listing-16-") {
        let last = suite
            .fixtures
            .iter()
            .rfind(|f| f.group == group && f.header.listing.starts_with("listing-16-"))
            .map(|f| f.header.listing.clone())
            .ok_or_else(|| {
                Error::Request(format!(
                    "an unnumbered listing needs a numbered one in {group} to follow"
                ))
            })?;
        format!("//! follows: {last}\n")
    } else {
        String::new()
    };
    let origin = if beyond { "//! origin: beyond\n" } else { "" };
    let text = ch16_ui::model::fixture::scaffold(&id, number, page, origin, &follows);
    std::fs::create_dir_all(&dir).map_err(ch16_ui::Error::io_on(&dir))?;
    let path = dir.join(format!("{name}.rs"));
    // create_new: a file that appeared meanwhile is never overwritten.
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(ch16_ui::Error::io_on(&path))?;
    file.write_all(text.as_bytes())
        .map_err(ch16_ui::Error::io_on(&path))?;
    println!(
        "created {UI_DIR}/{group}/{name}.rs\n\
         next: replace the TODOs and the code, annotate each error with `//~ ERROR E….`, then\n  \
         cargo xtask bless --filter {id}   (writes its expectations and the readers' pages)"
    );
    Ok(true)
}

/// `listing-16-16-slug` → `listing-16-16`; other names are their own id.
fn listing_id(name: &str) -> String {
    let parts: Vec<&str> = name.split('-').collect();
    if parts.len() >= 3
        && parts[0] == "listing"
        && parts[1] == "16"
        && parts[2].bytes().all(|b| b.is_ascii_digit())
    {
        parts[..3].join("-")
    } else {
        name.to_string()
    }
}
