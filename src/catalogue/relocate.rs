//! Compiler messages retold for the code a page shows: the fixture's header
//! left out, so its locations move up and each gutter is re-measured, and
//! the file called `src/main.rs`. Other files' locations stay as they are.

const SHOWN_PATH: &str = "src/main.rs";

/// `text`, which quotes the fixture at `path`, retold for its code without
/// the first `offset` lines; fails on a location inside them.
pub(super) fn relocate(text: &str, path: &str, offset: usize) -> Result<String, String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    // A diagnostic opens with rustc's `error[E0277]: …` or `warning: …`.
    let opens = |l: &str| l.starts_with("error") || l.starts_with("warning");
    let blocks = lines.chunk_by(|_, next| !opens(next));
    blocks.map(|block| gutter(block, path, offset)).collect()
}

/// A line that opens a part of a diagnostic (`note:`); a snippet after it
/// is in the primary file unless an arrow says otherwise.
fn starts_part(line: &str) -> bool {
    line.starts_with(|c: char| c.is_ascii_alphabetic())
}

/// One diagnostic: locations moved, snippet lines renumbered, gutter re-measured.
fn gutter(block: &[&str], path: &str, offset: usize) -> Result<String, String> {
    // The gutter is as wide as the first arrow's indentation (`  --> `).
    let width = block.iter().find_map(|l| arrow(l)).map_or(0, |a| a.0);
    let (mut primary, mut in_fixture) = (None, true);
    let mut widest = None;
    // Each line's gutter (`None`: it has none) and the rest of it.
    let mut lines: Vec<(Option<String>, String)> = Vec::new();
    for l in block {
        if let Some((_, file)) = arrow(l) {
            in_fixture = is_fixture(file, path);
            primary.get_or_insert(in_fixture);
        } else if starts_part(l) {
            in_fixture = primary.unwrap_or(true);
        }
        let l = locations(l, path, offset)?;
        if starts_part(&l) || l.starts_with("...") || l.trim().is_empty() || l.len() < width {
            lines.push((None, l));
            continue;
        }
        let (field, rest) = l.split_at(width);
        let label = match field.trim().parse() {
            // A snippet line's number (`23 |`, `19 ~`).
            Ok(n) if matches!(rest.get(..2), Some(" |" | " ~")) => {
                let n = if in_fixture { moved(n, offset)? } else { n };
                widest = widest.max(Some(n.to_string().len()));
                n.to_string()
            }
            _ => field.trim().to_string(),
        };
        lines.push((Some(label), rest.to_string()));
    }
    let width = widest.unwrap_or(width);
    let line = |(label, rest): (Option<String>, String)| match label {
        Some(label) => format!("{label:>width$}{rest}"),
        None => rest,
    };
    Ok(lines.into_iter().map(line).collect())
}

/// `  --> file:1:2` or `  ::: file:1:2`: the arrow's indentation and file.
fn arrow(line: &str) -> Option<(usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let file = rest.strip_prefix("--> ").or(rest.strip_prefix("::: "))?;
    Some((indent, file.trim_end()))
}

fn is_fixture(location: &str, path: &str) -> bool {
    let location = location.strip_prefix("$DIR/").unwrap_or(location);
    location.starts_with(path) || location.starts_with(SHOWN_PATH)
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
        out.push_str(before.strip_suffix("$DIR/").unwrap_or(before));
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
    let (line, s) = s.split_once(':')?;
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    Some((line.parse().ok()?, s[..digits].parse().ok()?, &s[digits..]))
}

#[cfg(test)]
mod tests {
    use super::relocate;

    #[test]
    fn lines_move_up_and_the_gutter_is_measured_again() {
        let text = "\
error[E0373]: closure may outlive the current function
  --> ui/g/f.rs:17:20
   |
17 |     let h = thread::spawn(|| { // `{closure@$DIR/ui/g/f.rs:17:20: 17:22}`
...
LINE |     });
note: required by a bound in `spawn`
  --> $RUST/std/src/thread/functions.rs
";
        // The largest number shown sets the gutter's width: 16 keeps two
        // columns, 2 narrows it to one.
        let kept = relocate(&text.replace("LINE", "30"), "ui/g/f.rs", 14).unwrap();
        assert!(
            kept.contains("\n 3 |     let h") && kept.contains("\n16 |     });\n"),
            "{kept}"
        );
        let narrowed = relocate(&text.replace("LINE", "16"), "ui/g/f.rs", 14).unwrap();
        let want = "\
error[E0373]: closure may outlive the current function
 --> src/main.rs:3:20
  |
3 |     let h = thread::spawn(|| { // `{closure@src/main.rs:3:20: 3:22}`
...
2 |     });
note: required by a bound in `spawn`
 --> $RUST/std/src/thread/functions.rs
";
        assert_eq!(narrowed, want);
        let e = relocate("  --> ui/g/f.rs:3:1\n", "ui/g/f.rs", 13).unwrap_err();
        assert!(e.contains("line 3, inside the fixture's header"), "{e}");
    }
}
