//! What the compiler (or a program) said about a fixture file, retold for
//! the code a reader sees on its page: the fixture's `//!` header left out,
//! the file called `src/main.rs`, as in a project made with `cargo new`.
//!
//! Expectation files quote the fixture by its path and its own line numbers
//! (`--> ui/<dir>/listing-16-14-rc-not-send.rs:23:36`, a
//! snippet's `23 |`, `{closure@$DIR/ui/…rs:23:36: 23:43}`). A page shows the
//! code without the header, so every location in the fixture moves up by
//! the header's length, and each diagnostic's line-number gutter is
//! re-measured as rustc measures it: as wide as the largest number it shows.
//! Locations in other files (`$RUST/std/…`) are left as they are.

/// The name the fixture has on its page.
const SHOWN_PATH: &str = "src/main.rs";

/// Retell `text`, which quotes the fixture at `path` (root-relative, `/`
/// separators), for its code without the first `offset` lines. Fails when a
/// location points into the left-out lines.
pub(super) fn relocate(text: &str, path: &str, offset: usize) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut block: Vec<&str> = Vec::new();
    for line in text.split_inclusive('\n') {
        if starts_diagnostic(line) && !block.is_empty() {
            out.push_str(&gutter(&block, path, offset)?);
            block.clear();
        }
        block.push(line);
    }
    out.push_str(&gutter(&block, path, offset)?);
    Ok(out)
}

/// A line that opens a diagnostic: rustc's `error[E0277]: …`, `warning: …`.
fn starts_diagnostic(line: &str) -> bool {
    line.starts_with("error") || line.starts_with("warning")
}

/// A line that opens a part of a diagnostic at the left margin (`note:`,
/// `help:`); a snippet after it is in the diagnostic's primary file unless
/// an arrow says otherwise.
fn starts_part(line: &str) -> bool {
    line.starts_with(|c: char| c.is_ascii_alphabetic())
}

/// One diagnostic (or text that is none): locations moved, snippet lines
/// renumbered, the gutter re-measured.
fn gutter(block: &[&str], path: &str, offset: usize) -> Result<String, String> {
    // The gutter's width: the indentation of the first arrow (`  --> `).
    let width = block
        .iter()
        .find_map(|l| arrow(l).map(|(indent, _)| indent));
    let Some(width) = width else {
        return block.iter().map(|l| locations(l, path, offset)).collect();
    };
    // Which file each line's number belongs to, then the numbers.
    let mut primary: Option<bool> = None;
    let mut in_fixture = true;
    let mut numbered: Vec<(usize, Option<usize>)> = Vec::new(); // (line index, new number)
    for (i, l) in block.iter().enumerate() {
        if let Some((_, file)) = arrow(l) {
            in_fixture = is_fixture(file, path);
            primary.get_or_insert(in_fixture);
        } else if starts_part(l) {
            in_fixture = primary.unwrap_or(true);
        }
        if let Some(n) = number(l, width) {
            let moved = if in_fixture {
                Some(moved(n, offset)?)
            } else {
                None
            };
            numbered.push((i, moved.or(Some(n))));
        }
    }
    let new_width = numbered
        .iter()
        .filter_map(|&(_, n)| n)
        .max()
        .map_or(width, |n| n.to_string().len());
    let mut out = String::new();
    for (i, l) in block.iter().enumerate() {
        let l = locations(l, path, offset)?;
        if starts_part(&l) || l.starts_with("...") || l.trim().is_empty() || l.len() < width {
            out.push_str(&l);
            continue;
        }
        let (field, rest) = l.split_at(width);
        let label = match numbered.iter().find(|(j, _)| *j == i) {
            Some((_, Some(n))) => n.to_string(),
            _ => field.trim().to_string(),
        };
        out.push_str(&format!("{label:>new_width$}{rest}"));
    }
    Ok(out)
}

/// `  --> file:1:2` or `  ::: file:1:2`: the arrow's indentation and file.
fn arrow(line: &str) -> Option<(usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let file = rest
        .strip_prefix("--> ")
        .or_else(|| rest.strip_prefix("::: "))?;
    Some((indent, file.trim_end()))
}

fn is_fixture(location: &str, path: &str) -> bool {
    let location = location.strip_prefix("$DIR/").unwrap_or(location);
    location.starts_with(path) || location.starts_with(SHOWN_PATH)
}

/// The number in a snippet line's gutter (`23 |`, `19 ~`), if it has one.
fn number(line: &str, width: usize) -> Option<usize> {
    let field = line.get(..width)?;
    let rest = &line[width..];
    if !(rest.starts_with(" |") || rest.starts_with(" ~")) {
        return None;
    }
    field.trim().parse().ok()
}

fn moved(line: usize, offset: usize) -> Result<usize, String> {
    line.checked_sub(offset).filter(|&n| n > 0).ok_or_else(|| {
        format!("the text points at line {line}, inside the fixture's header (lines 1 to {offset})")
    })
}

/// Every `path:L:C` (also as `$DIR/path`, and `L:C: L2:C2` in a closure's
/// name) becomes `src/main.rs` with the lines moved.
fn locations(line: &str, path: &str, offset: usize) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find(path) {
        let (before, after) = rest.split_at(at);
        let before = before.strip_suffix("$DIR/").unwrap_or(before);
        out.push_str(before);
        let after = &after[path.len()..];
        let Some((l, c, tail)) = line_col(after.strip_prefix(':').unwrap_or("")) else {
            out.push_str(path);
            rest = after;
            continue;
        };
        out.push_str(&format!("{SHOWN_PATH}:{}:{c}", moved(l, offset)?));
        rest = tail;
        // `{closure@…:23:36: 23:43}`: the span's end, in the same file.
        if let Some((l2, c2, tail2)) = rest.strip_prefix(": ").and_then(line_col) {
            out.push_str(&format!(": {}:{c2}", moved(l2, offset)?));
            rest = tail2;
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// `23:36…` → (23, 36, …).
fn line_col(s: &str) -> Option<(usize, usize, &str)> {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let n = digits(s);
    let line = s[..n].parse().ok()?;
    let s = s[n..].strip_prefix(':')?;
    let m = digits(s);
    let col = s[..m].parse().ok()?;
    Some((line, col, &s[m..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATH: &str = "ui/g/f.rs";

    #[test]
    fn locations_and_gutters_move_with_the_code() {
        let text = "\
error[E0277]: `Rc<i32>` cannot be sent
  --> ui/g/f.rs:23:36
   |
23 |     let h = thread::spawn(move || { // within `{closure@$DIR/ui/g/f.rs:23:36: 23:43}`
   |             ------------- ^^^^^^^
...
27 |     });
   |
help: consider this
   |
23 ~     let h = x;
   |
note: required by a bound in `spawn`
  --> $RUST/std/src/thread/functions.rs
";
        let got = relocate(text, PATH, 14).unwrap();
        let want = "\
error[E0277]: `Rc<i32>` cannot be sent
 --> src/main.rs:9:36
  |
9 |     let h = thread::spawn(move || { // within `{closure@src/main.rs:9:36: 9:43}`
  |             ------------- ^^^^^^^
...
13 |     });
  |
help: consider this
  |
9 ~     let h = x;
  |
note: required by a bound in `spawn`
 --> $RUST/std/src/thread/functions.rs
";
        // 13 is two digits wide: the whole diagnostic keeps a width of 2.
        assert_ne!(got, want);
        let want = want
            .lines()
            .map(|l| {
                if l.starts_with(|c: char| c.is_ascii_alphabetic())
                    || l.starts_with("...")
                    || l.starts_with("13")
                {
                    l.to_string()
                } else {
                    format!(" {l}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n";
        assert_eq!(got, want);
    }

    #[test]
    fn a_narrower_number_narrows_the_gutter() {
        let text = "error[E0282]: type annotations needed\n  --> ui/g/f.rs:17:20\n   |\n17 |     let (tx, rx) = mpsc::channel();\n   |                    ^^^^^^^^^^^^^\n";
        assert_eq!(
            relocate(text, PATH, 13).unwrap(),
            "error[E0282]: type annotations needed\n --> src/main.rs:4:20\n  |\n4 |     let (tx, rx) = mpsc::channel();\n  |                    ^^^^^^^^^^^^^\n"
        );
    }

    #[test]
    fn a_panic_message_moves_too_and_a_header_line_is_refused() {
        assert_eq!(
            relocate(
                "\nthread 'w' (ID) panicked at ui/g/f.rs:39:17:\nboom\n",
                PATH,
                13
            )
            .unwrap(),
            "\nthread 'w' (ID) panicked at src/main.rs:26:17:\nboom\n"
        );
        let e = relocate("  --> ui/g/f.rs:3:1\n", PATH, 13).unwrap_err();
        assert!(e.contains("line 3, inside the fixture's header"), "{e}");
    }
}
