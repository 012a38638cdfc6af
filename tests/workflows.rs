//! The GitHub workflows' hardening, audited as text in every `cargo test`
//! (offline and fast; `.ci/run` also runs zizmor on them). Every file of
//! `.github/workflows/`:
//!
//! * `top-permissions`: a top-level `permissions:`, read-only (`{}`,
//!   `read-all`, or scopes that are `read` or `none`);
//! * `pinned-uses`: every action pinned by a full commit SHA, with its tag in
//!   a comment (`uses: actions/checkout@<40 hex> # v7.0.1`);
//! * `run-expression`: no `${{ … }}` in a `run:` script (pass it through
//!   `env:` and quote the variable);
//! * `checkout-credentials`: every `actions/checkout` with
//!   `persist-credentials: false`;
//! * `write-scope`: a job holding a write scope runs none of the project's
//!   code (no cargo, rustc, rustup, xtask, build tool or script of the
//!   repository in its `run:`, no cache it could restore a poisoned build
//!   from).
//!
//! The workflows are read line by line, by indentation, as this project
//! writes them (two spaces a level, steps as `- ` items); the audit of
//! deliberately broken samples below keeps each rule honest.

use std::path::PathBuf;

/// One line of a workflow: its number (from 1), its indentation, and its
/// text after the indentation.
struct Line<'a> {
    no: usize,
    indent: usize,
    text: &'a str,
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut found = Vec::new();
    for (n, l) in text.lines().enumerate() {
        let text = l.trim_start();
        let indent = l.len() - text.len();
        found.push(Line {
            no: n + 1,
            indent,
            text,
        });
    }
    found
}

/// A line's key and value (`uses`, `actions/checkout@… # v7.0.1`), a list
/// item's `- ` taken off; `None` for a comment, a blank or a plain item.
fn key_value<'a>(line: &Line<'a>) -> Option<(&'a str, &'a str)> {
    let text = line.text.strip_prefix("- ").unwrap_or(line.text);
    if text.starts_with('#') {
        return None;
    }
    let (key, value) = match text.split_once(": ") {
        Some((k, v)) => (k, v.trim()),
        None => (text.strip_suffix(':')?, ""),
    };
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    key.chars().all(plain).then_some((key, value))
}

/// The indentation of the line's key: a list item's `- ` counts.
fn key_indent(line: &Line) -> usize {
    line.indent + if line.text.starts_with("- ") { 2 } else { 0 }
}

/// The lines nested under `lines[at]`: the following ones indented deeper
/// than its key (blank lines included), as the range of their indices.
fn nested(lines: &[Line], at: usize) -> std::ops::Range<usize> {
    let depth = key_indent(&lines[at]);
    let len = lines[at + 1..]
        .iter()
        .take_while(|l| l.text.is_empty() || l.indent > depth)
        .count();
    at + 1..at + 1 + len
}

/// The jobs of a workflow: each one's id and the range of its lines.
fn jobs<'a>(lines: &[Line<'a>]) -> Vec<(&'a str, std::ops::Range<usize>)> {
    let Some(at) = lines
        .iter()
        .position(|l| l.indent == 0 && l.text == "jobs:")
    else {
        return Vec::new();
    };
    let body = nested(lines, at);
    let depth = lines[body.clone()]
        .iter()
        .find(|l| !l.text.is_empty())
        .map(|l| l.indent);
    body.filter(|&i| Some(lines[i].indent) == depth && !lines[i].text.starts_with('#'))
        .filter_map(|i| Some((key_value(&lines[i])?.0, i..nested(lines, i).end)))
        .collect()
}

/// A problem of `file` at `line`, under its rule, with the fix.
fn problem(file: &str, line: usize, rule: &str, what: &str, fix: &str) -> String {
    format!("{file}:{line}: [{rule}] {what}; fix: {fix}")
}

/// The scopes a `permissions:` at `lines[at]` grants (its inline value or
/// its nested `scope: level` lines), each with its line number.
fn scopes(lines: &[Line], at: usize) -> Vec<(usize, String)> {
    let (_, value) = key_value(&lines[at]).unwrap_or_default();
    if !value.is_empty() {
        return vec![(lines[at].no, value.to_string())];
    }
    let under = nested(lines, at).map(|i| &lines[i]);
    let granted = under.filter_map(|l| Some((l.no, key_value(l)?)));
    let granted = granted.map(|(no, (scope, level))| {
        let level = level.split('#').next().unwrap_or_default().trim();
        (no, format!("{scope}: {level}"))
    });
    granted.collect()
}

/// Whether a granted scope (`contents: write`, `write-all`) writes.
fn writes(scope: &str) -> bool {
    scope == "write-all" || scope.ends_with(": write")
}

/// `top-permissions`: the workflow's own `permissions:`, read-only.
fn top_permissions(file: &str, lines: &[Line]) -> Vec<String> {
    let Some(at) = lines
        .iter()
        .position(|l| l.indent == 0 && l.text.starts_with("permissions:"))
    else {
        let fix = "add `permissions:\\n  contents: read` (or `permissions: {}`) at the top";
        return vec![problem(
            file,
            1,
            "top-permissions",
            "no top-level `permissions:`",
            fix,
        )];
    };
    let read_only =
        |s: &str| s == "{}" || s == "read-all" || s.ends_with(": read") || s.ends_with(": none");
    let granted = scopes(lines, at);
    let wrong = granted.iter().filter(|(_, s)| !read_only(s));
    let fix = "grant `contents: read` here, and write scopes on the one job that needs them";
    let wrong = wrong.map(|(no, s)| {
        let what = format!("the workflow grants `{s}` to every job");
        problem(file, *no, "top-permissions", &what, fix)
    });
    let mut found: Vec<String> = wrong.collect();
    if granted.is_empty() {
        found.push(problem(
            file,
            lines[at].no,
            "top-permissions",
            "empty `permissions:`",
            fix,
        ));
    }
    found
}

/// Whether `hex` is a full commit SHA, and `comment` a tag (`v7.0.1`).
fn pinned(hex: &str, comment: Option<&str>) -> bool {
    let tag = comment.map(str::trim).and_then(|c| c.strip_prefix('v'));
    let tag_ok = tag.is_some_and(|t| {
        !t.is_empty()
            && t.split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    });
    hex.len() == 40 && hex.bytes().all(|b| b.is_ascii_hexdigit()) && tag_ok
}

/// `pinned-uses`: every action by a commit SHA, its tag in a comment.
fn pinned_uses(file: &str, lines: &[Line]) -> Vec<String> {
    let mut found = Vec::new();
    for line in lines {
        let Some(("uses", value)) = key_value(line) else {
            continue;
        };
        let (action, comment) = match value.split_once('#') {
            Some((a, c)) => (a.trim(), Some(c)),
            None => (value, None),
        };
        if action.starts_with("./") || action.starts_with("docker://") {
            continue;
        }
        let hex = action.rsplit_once('@').map_or("", |(_, r)| r);
        if !pinned(hex, comment) {
            let what = format!("`{value}` is not pinned by a commit SHA with its tag");
            let fix = "`uses: owner/repo@<40-hex commit of the tag> # vX.Y.Z`";
            found.push(problem(file, line.no, "pinned-uses", &what, fix));
        }
    }
    found
}

/// Every `run:` script of the lines in `range`, as numbered lines of code:
/// the `run:` line's inline value first, then a block scalar's lines.
fn run_scripts<'a>(
    lines: &[Line<'a>],
    range: std::ops::Range<usize>,
) -> Vec<Vec<(usize, &'a str)>> {
    let mut scripts = Vec::new();
    for i in range {
        let Some(("run", value)) = key_value(&lines[i]) else {
            continue;
        };
        let body = nested(lines, i).map(|j| (lines[j].no, lines[j].text));
        scripts.push(std::iter::once((lines[i].no, value)).chain(body).collect());
    }
    scripts
}

/// `run-expression`: no `${{` in a script, where its value would be code.
fn run_expressions(file: &str, lines: &[Line]) -> Vec<String> {
    let scripts = run_scripts(lines, 0..lines.len());
    let inside = scripts
        .into_iter()
        .flatten()
        .filter(|(_, code)| code.contains("${{"));
    let what = "a `${{ … }}` expression inside a `run:` script is pasted into the code";
    let fix = "pass it through the step's `env:` (`NAME: ${{ … }}`) and use \"$NAME\"";
    inside
        .map(|(no, _)| problem(file, no, "run-expression", what, fix))
        .collect()
}

/// `checkout-credentials`: every checkout step leaves no token in `.git`.
fn checkout_credentials(file: &str, lines: &[Line]) -> Vec<String> {
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(("uses", action)) = key_value(line) else {
            continue;
        };
        if !action.starts_with("actions/checkout@") {
            continue;
        }
        // The step: the list item holding this `uses:`, and what it nests.
        let item = (0..=i).rev().find(|&j| lines[j].text.starts_with("- "));
        let step = item.map_or(i..i + 1, |j| {
            let inside = lines[j + 1..]
                .iter()
                .take_while(|l| l.text.is_empty() || l.indent > lines[j].indent);
            j..j + 1 + inside.count()
        });
        let off = |l: &Line| {
            l.text.split('#').next().unwrap_or_default().trim() == "persist-credentials: false"
        };
        if !lines[step].iter().any(off) {
            let what = "actions/checkout leaves the job's token in the checkout";
            let fix = "add `with:\\n  persist-credentials: false` to the step";
            found.push(problem(file, line.no, "checkout-credentials", what, fix));
        }
    }
    found
}

/// The first word of each command on a line of shell (after `;`, `&&`,
/// `|`, `(`, `$(`, a keyword such as `if` or `then`, and `NAME=value`).
fn commands(code: &str) -> Vec<&str> {
    const KEYWORDS: [&str; 13] = [
        "if", "then", "else", "elif", "do", "while", "until", "!", "time", "exec", "env", "sudo",
        "xargs",
    ];
    let code = if code.starts_with('#') {
        ""
    } else {
        code.split(" #").next().unwrap_or_default()
    };
    let assignment = |w: &str| {
        w.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
    };
    let command = |w: &&str| !KEYWORDS.contains(w) && !assignment(w);
    let segments = code.split([';', '|', '&', '(', ')', '`', '{', '}']);
    segments
        .filter_map(|segment| segment.split_whitespace().find(command))
        .collect()
}

/// A command of a script that runs the project's code: a build tool, an
/// interpreter, the xtask, or a script of the repository.
fn runs_project_code(code: &str) -> Option<String> {
    const TOOLS: [&str; 15] = [
        "cargo", "rustc", "rustup", "rustdoc", "mdbook", "make", "npm", "npx", "node", "python",
        "python3", "pip", "bash", "sh", "source",
    ];
    let project = |c: &&str| {
        TOOLS.contains(c)
            || *c == "."
            || c.starts_with("./")
            || c.starts_with(".ci/")
            || c.contains("xtask")
    };
    commands(code).into_iter().find(project).map(str::to_string)
}

/// `write-scope`: a job holding a write scope runs none of the project's
/// code and restores no cache.
fn write_scopes(file: &str, lines: &[Line]) -> Vec<String> {
    let mut found = Vec::new();
    for (job, range) in jobs(lines) {
        let depth = key_indent(&lines[range.start]) + 2;
        let permissions = range
            .clone()
            .find(|&i| lines[i].indent == depth && lines[i].text.starts_with("permissions:"));
        let Some(at) = permissions else { continue };
        if !scopes(lines, at).iter().any(|(_, s)| writes(s)) {
            continue;
        }
        let scripts = run_scripts(lines, range.clone()).into_iter().flatten();
        let code = scripts.filter_map(|(no, code)| Some((no, runs_project_code(code)?)));
        let cache = range.clone().map(|i| &lines[i]).filter(
            |l| matches!(key_value(l), Some(("uses", a)) if a.starts_with("actions/cache")),
        );
        let cache = cache.map(|l| (l.no, "actions/cache".to_string()));
        for (no, what) in code.chain(cache) {
            let what = format!("job `{job}` holds a write scope and runs `{what}`");
            let fix =
                "run the project's code in a read-only job and hand its result on as an artifact";
            found.push(problem(file, no, "write-scope", &what, fix));
        }
    }
    found
}

/// Every rule's problems with one workflow.
fn audit(file: &str, text: &str) -> Vec<String> {
    let lines = lines(text);
    let rules = [
        top_permissions,
        pinned_uses,
        run_expressions,
        checkout_credentials,
        write_scopes,
    ];
    rules.iter().flat_map(|rule| rule(file, &lines)).collect()
}

#[test]
fn the_workflows_are_hardened() {
    let dir = ch16_ui::host::checkout::crate_dir()
        .unwrap()
        .join(".github/workflows");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 3,
        "the workflows were not found in {}",
        dir.display()
    );
    let mut found = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let name = format!(
            ".github/workflows/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        assert!(text.contains("\njobs:\n"), "{name} was not read");
        found.extend(audit(&name, &text));
    }
    println!(
        "audited {} workflow(s): {} problem(s)",
        files.len(),
        found.len()
    );
    assert!(
        found.is_empty(),
        "{} problem(s):\n{}",
        found.len(),
        found.join("\n")
    );
}

/// A workflow that keeps every rule; each case below breaks one.
const GOOD: &str = r#"name: sample
on: push
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false
      - name: Build
        env:
          TOOLCHAIN: ${{ matrix.toolchain }}
        run: |
          cargo +"$TOOLCHAIN" build
  publish:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      contents: write # to push
    steps:
      - name: Push
        uses: owner/push-action@0123456789abcdef0123456789abcdef01234567 # v2
      - run: git status
"#;

/// Each rule, broken once in a copy of `GOOD`, and found there, at the line
/// that breaks it.
#[test]
fn the_audit_finds_each_rule_broken() {
    assert_eq!(audit("good.yml", GOOD), Vec::<String>::new());
    let line = r#"if A=1 cargo x; then echo "may not make" | grep -q y && $(./s); fi # bash"#;
    assert_eq!(commands(line), ["cargo", "echo", "grep", "$", "./s", "fi"]);
    let cases = [
        (
            "top-permissions",
            "permissions:\n  contents: read\njobs:",
            "jobs:",
            1,
        ),
        (
            "top-permissions",
            "  contents: read\njobs:",
            "  pull-requests: write\njobs:",
            4,
        ),
        (
            "pinned-uses",
            "@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1",
            "@v7",
            9,
        ),
        ("pinned-uses", "01234567 # v2", "01234567", 24),
        (
            "run-expression",
            "\"$TOOLCHAIN\" build",
            "\"${{ matrix.toolchain }}\" build",
            16,
        ),
        (
            "run-expression",
            "- run: git status",
            "- run: echo ${{ github.ref }}",
            25,
        ),
        (
            "checkout-credentials",
            "          persist-credentials: false\n",
            "",
            9,
        ),
        (
            "write-scope",
            "- run: git status",
            "- run: cargo xtask check",
            25,
        ),
        ("write-scope", "- run: git status", "- run: ./.ci/run", 25),
        (
            "write-scope",
            "- run: git status",
            "- uses: actions/cache@0123456789abcdef0123456789abcdef01234567 # v5",
            25,
        ),
    ];
    for (rule, from, to, line) in cases {
        assert!(GOOD.contains(from), "{from}");
        let found = audit("bad.yml", &GOOD.replacen(from, to, 1));
        let expected = format!("bad.yml:{line}: [{rule}] ");
        assert!(
            found.len() == 1 && found[0].starts_with(&expected),
            "`{from}` → `{to}` should break {rule} at line {line}, found: {found:#?}"
        );
    }
}
