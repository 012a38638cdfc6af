//! The project's conventions, enforced by ordinary tests rather than review.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The checkout under test.
fn root() -> PathBuf {
    ch16_ui::host::checkout::crate_dir().unwrap()
}

/// Every Rust source of the project, with its text.
fn sources() -> Vec<(PathBuf, String)> {
    let root = root();
    ["src", "tests", "xtask/src"]
        .iter()
        .flat_map(|dir| walkdir::WalkDir::new(root.join(dir)))
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            (e.path().strip_prefix(&root).unwrap().to_path_buf(), text)
        })
        .collect()
}

/// Lines of the sources holding `needle`, as `path:line`.
fn occurrences(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in sources() {
        for (n, line) in text.lines().enumerate() {
            if line.contains(needle) {
                found.push(format!("{}:{}", path.display(), n + 1));
            }
        }
    }
    found
}

/// A binary built in another checkout that shares the target directory
/// bakes that checkout in at compile time; only `src/host/checkout.rs` may read
/// the compile-time value, to detect exactly that.
#[test]
fn the_checkout_is_read_at_run_time() {
    let needle = concat!("env!(\"CARGO_", "MANIFEST_DIR\")");
    let found = occurrences(needle);
    assert_eq!(
        found,
        ["src/host/checkout.rs:10"],
        "use `ch16_ui::host::checkout::crate_dir()` instead of {needle}"
    );
}

/// Tests leave rustup as they found it: toolchains a test needs are pointed
/// at directly, or registered in a private `RUSTUP_HOME`.
#[test]
fn no_test_changes_rustup() {
    for verb in ["link", "uninstall", "install", "default", "override", "set"] {
        let found: Vec<String> = occurrences(&format!("\"{verb}\""))
            .into_iter()
            .filter(|at| at.starts_with("tests/") && !at.starts_with("tests/tidy.rs"))
            .collect();
        assert!(
            found.is_empty(),
            "`rustup {verb}` in a test changes the machine: {found:?}"
        );
    }
}

/// The declared `rust-version` is tested: the workflow has a job that
/// reads it from `Cargo.toml` and runs the tests on it.
#[test]
fn the_declared_rust_version_is_tested() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let declared = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("Cargo.toml declares rust-version");
    assert!(
        declared.split('.').all(|p| p.parse::<u32>().is_ok()),
        "{declared}"
    );
    let workflow = std::fs::read_to_string(root().join(".github/workflows/ci.yml")).unwrap();
    let job = workflow
        .split("\n  msrv:\n")
        .nth(1)
        .expect("the workflow has an `msrv` job")
        .split("\n\n  ")
        .next()
        .unwrap();
    for step in [
        r#"sed -n 's/^rust-version = "\(.*\)"$/\1/p' Cargo.toml"#,
        "MSRV: ${{ steps.msrv.outputs.version }}",
        r#"rustup toolchain install "$MSRV""#,
        r#"cargo +"$MSRV" test"#,
    ] {
        assert!(job.contains(step), "the msrv job lacks `{step}`:\n{job}");
    }
}

/// The catalogue is generated from the headers; the README links to it
/// rather than keeping a copy of any of its rows, which would fall behind.
#[test]
fn the_readme_does_not_copy_the_catalogue() {
    let suite = ch16_ui::model::suite::Suite::load(&root()).unwrap();
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let rows: Vec<&str> = readme.lines().filter(|l| l.starts_with('|')).collect();
    let copies = |s: &&str| rows.iter().any(|l| l.contains(&format!("| {s} |")));
    let stems = suite.fixtures.iter().map(|f| f.stem.as_str());
    let copied: Vec<&str> = stems.filter(copies).collect();
    assert!(
        copied.is_empty(),
        "README.md copies catalogue rows of {copied:?}; link to ui/README.md instead"
    );
    assert!(
        readme.contains("](ui/README.md"),
        "README.md does not link to the catalogue"
    );
}

/// What the suite assumes about trybuild lives in one place, the
/// observation boundary (`src/observe/trybuild.rs`): elsewhere in `src/` no
/// line of code names it but through that module (comments may, and so may
/// `lib.rs`'s `cfg`, which is trybuild's own flag), so a trybuild upgrade
/// touches the boundary only.
#[test]
fn only_the_observation_boundary_names_trybuild() {
    let mut found = Vec::new();
    for (path, text) in sources() {
        if !path.starts_with("src") || path.starts_with("src/observe") {
            continue;
        }
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            let cfg = path == Path::new("src/lib.rs") && code == "#![cfg(not(trybuild))]";
            let named = code.replace("observe::trybuild", "").to_ascii_lowercase();
            if named.contains("trybuild") && !cfg && !code.starts_with("//") {
                found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "code outside src/observe/ names trybuild:\n{}\nfix: move the assumption into src/observe/, \
         or name it through a constant there (observe::CHECKER, observe::crate_name, …)",
        found.join("\n")
    );
}

/// The library's modules (a file under `src/`, or a folder with its
/// `mod.rs`, is one module) and which import which (`crate::name`
/// anywhere in the code).
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph = BTreeMap::new();
    for (path, text) in sources() {
        let Ok(rest) = path.strip_prefix("src") else {
            continue;
        };
        let Some(first) = rest.components().next() else {
            continue;
        };
        let first = first.as_os_str().to_string_lossy().into_owned();
        if first == "bin" || first == "lib.rs" {
            continue;
        }
        let module = first.trim_end_matches(".rs").to_string();
        let imports: &mut BTreeSet<String> = graph.entry(module.clone()).or_default();
        let code: Vec<&str> = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect();
        let code = code.join("\n");
        // `use crate::{a, b::c}` and `crate::a::f()`.
        for (at, _) in code.match_indices("crate::") {
            let after = &code[at + "crate::".len()..];
            let names: Vec<&str> = match after.strip_prefix('{') {
                Some(group) => group
                    .split('}')
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .map(|n| n.trim().split("::").next().unwrap_or_default())
                    .collect(),
                None => vec![
                    after
                        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .next()
                        .unwrap_or_default(),
                ],
            };
            for name in names {
                if !name.is_empty()
                    && name != module
                    && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                {
                    imports.insert(name.to_string());
                }
            }
        }
    }
    // Names that are re-exports from lib.rs (`crate::Error`) are not
    // modules; keep only edges to modules.
    let modules: BTreeSet<String> = graph.keys().cloned().collect();
    for imports in graph.values_mut() {
        imports.retain(|m| modules.contains(m));
    }
    graph
}

/// The modules that import each other in a loop, each loop once.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Two modules are in one loop when each reaches the other.
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(m) = todo.pop() {
            for next in graph.get(&m).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, _> = graph.keys().map(|m| (m, reach(m))).collect();
    let mut loops: Vec<Vec<String>> = Vec::new();
    for m in graph.keys() {
        if !reaches[m].contains(m) || loops.iter().any(|l| l.contains(m)) {
            continue;
        }
        let members = graph
            .keys()
            .filter(|o| reaches[m].contains(*o) && reaches[*o].contains(m));
        loops.push(members.cloned().collect());
    }
    loops
}

/// The shape of the library, printed (`cargo test --test tidy -- import_graph
/// --nocapture` counts modules and import edges), and no import loop in it:
/// every module can be read after the ones it uses, the observation boundary
/// below what judges its observations, the leaves (`names`, `problem`,
/// `error`, `diff`, `cut`) below everything.
#[test]
fn import_graph_has_no_loops() {
    let graph = import_graph();
    let edges: usize = graph.values().map(|i| i.len()).sum();
    let files = sources()
        .iter()
        .filter(|(p, _)| p.starts_with("src") && !p.starts_with("src/bin"))
        .count();
    let loops = cycles(&graph);
    let shown = loops.iter().map(|l| format!("\n  loop: {}", l.join(", ")));
    let (modules, n, shown) = (graph.len(), loops.len(), shown.collect::<String>());
    println!(
        "src/: {modules} modules ({files} files), {edges} import edges between modules, {n} import loop(s){shown}"
    );
    assert!(
        graph.contains_key("observe") && graph["observe"].contains("model"),
        "the graph was not read: {graph:?}"
    );
    assert!(
        loops.is_empty(),
        "modules that import each other in a loop: {loops:?}\nfix: move what both need into a module \
         below them (as `names` and `problem` are), or turn the dependency around"
    );
}

/// A test source a reader can take in: none over 800 lines (the fault
/// tests are one module per concern under `tests/hardening/`).
#[test]
fn no_test_source_is_over_800_lines() {
    let long: Vec<String> = sources()
        .into_iter()
        .filter(|(p, _)| p.starts_with("tests"))
        .map(|(p, text)| (p, text.lines().count()))
        .filter(|(_, n)| *n > 800)
        .map(|(p, n)| format!("{}: {n} lines", p.display()))
        .collect();
    assert!(
        long.is_empty(),
        "{}\nfix: split it into modules by concern",
        long.join("\n")
    );
}

/// The scheduled drift workflow: daily and on demand, its first job
/// checks today's nightly, blesses it with the xtask's summary, tests the
/// blessed tree and only then hands `ui/` on as a patch; the job holding
/// the write token applies the patch once it has checked it, and opens the
/// pull request whose body is that summary. (That the workflow is read-only
/// but for that job, which runs no cargo, `tests/workflows.rs` checks, as
/// for every workflow.)
#[test]
fn the_drift_workflow_blesses_tests_then_opens_a_pull_request() {
    let workflow = std::fs::read_to_string(root().join(".github/workflows/drift.yml")).unwrap();
    let (drift, pull_request) = workflow
        .split_once("\n  pull-request:\n")
        .expect("drift.yml has a `pull-request` job after the `drift` job");
    let (top, drift) = drift
        .split_once("\n  drift:\n")
        .expect("drift.yml has a `drift` job");
    let at = |text: &str, needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("drift.yml lacks `{needle}` where expected"))
    };
    at(top, "schedule:");
    at(top, "workflow_dispatch:");
    let check = at(drift, "cargo xtask check --toolchain nightly");
    let bless = at(
        drift,
        "cargo xtask bless --toolchain nightly --summary \"$RUNNER_TEMP/bless.md\"",
    );
    let test = at(drift, "cargo +nightly test");
    let patch = at(drift, "git diff --cached --no-renames");
    let upload = at(drift, "actions/upload-artifact@");
    assert!(
        check < bless && bless < test && test < patch && patch < upload,
        "drift.yml's drift job must check, bless, test, then hand the patch on, in that order"
    );
    at(pull_request, "contents: write");
    let download = at(pull_request, "actions/download-artifact@");
    let refuse = at(pull_request, "which a bless never writes");
    let apply = at(pull_request, "git apply \"$art/ui.patch\"");
    let pr = at(pull_request, "peter-evans/create-pull-request@");
    at(pull_request, "body-path: ${{ runner.temp }}/drift/bless.md");
    assert!(
        download < refuse && refuse < apply && apply < pr,
        "drift.yml's pull-request job must check the patch, apply it, then open the pull request"
    );
}

/// The chapter is data: one file of `src/` names the sections' directories
/// (`src/model/chapter.rs`), so that adding a section is a row there.
#[test]
fn one_file_of_src_names_the_sections() {
    let names = |line: &str| {
        line.match_indices("ch16-").any(|(i, _)| {
            let rest = &line.as_bytes()[i + 5..];
            rest.starts_with(b"beyond")
                || rest.first() == Some(&b'0') && rest.get(1).is_some_and(u8::is_ascii_digit)
        })
    };
    let mut files: Vec<String> = sources()
        .into_iter()
        .filter(|(p, text)| p.starts_with("src") && text.lines().any(names))
        .map(|(p, _)| p.display().to_string())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["src/model/chapter.rs"],
        "name a section's directory through ch16_ui::model::chapter"
    );
}

/// No `pub use` in the library: an item has one path, where it is defined.
#[test]
fn the_library_re_exports_nothing() {
    let found: Vec<String> = occurrences("pub use ")
        .into_iter()
        .filter(|at| at.starts_with("src/"))
        .collect();
    assert!(
        found.is_empty(),
        "re-exports in src/: {found:?}; import the item from where it is defined"
    );
}

/// `source` with comments, strings and character literals blanked (their
/// line breaks kept), so that braces can be counted.
fn code_only(source: &str) -> String {
    let b = source.as_bytes();
    let (mut out, mut i) = (String::with_capacity(b.len()), 0);
    while i < b.len() {
        let rest = &source[i..];
        let end = if rest.starts_with("//") {
            rest.find('\n').unwrap_or(rest.len())
        } else if rest.starts_with("/*") {
            rest.find("*/").map_or(rest.len(), |e| e + 2)
        } else if let Some(hashes) = rest
            .strip_prefix('r')
            .map(|r| r.len() - r.trim_start_matches('#').len())
            && rest[1 + hashes..].starts_with('"')
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
        {
            let close = format!("\"{}", "#".repeat(hashes));
            rest[2 + hashes..]
                .find(&close)
                .map_or(rest.len(), |e| e + 2 + hashes + close.len())
        } else if rest.starts_with('"') {
            let mut j = 1;
            while j < rest.len() && b[i + j] != b'"' {
                j += if b[i + j] == b'\\' { 2 } else { 1 };
            }
            j + 1
        } else if let Some(len) = char_literal(rest) {
            len
        } else {
            out.push(b[i] as char);
            i += 1;
            continue;
        };
        let end = end.min(rest.len());
        for &c in &b[i..i + end] {
            out.push(if c == b'\n' { '\n' } else { ' ' });
        }
        i += end;
    }
    out
}

/// The length of the character literal `rest` starts with, if it does
/// (`'}'`, `'\''`; not a lifetime).
fn char_literal(rest: &str) -> Option<usize> {
    let mut chars = rest.strip_prefix('\'')?.char_indices();
    match chars.next()? {
        (_, '\\') => rest[3..].find('\'').map(|e| e + 4),
        (_, c) => (chars.next()?.1 == '\'').then(|| 2 + c.len_utf8()),
    }
}

/// Every function of `source` longer than `limit` lines (outside a
/// `#[cfg(test)]` module): its first line and its length.
fn long_functions(source: &str, limit: usize) -> Vec<(usize, usize)> {
    let code = code_only(source);
    let code = code.split("#[cfg(test)]\nmod ").next().unwrap_or_default();
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let mut long = Vec::new();
    let b = code.as_bytes();
    for (at, _) in code.match_indices("fn ") {
        // A body's brace before any `;`, and not the end of a longer name.
        let open = code[at..].find(['{', ';']).map_or(at, |o| at + o);
        let in_name = at > 0 && (b[at - 1].is_ascii_alphanumeric() || b[at - 1] == b'_');
        if in_name || b[open] != b'{' {
            continue;
        }
        let mut depth = 0;
        let close = code[open..].char_indices().find_map(|(j, c)| {
            depth += match c {
                '{' => 1,
                '}' => -1,
                _ => 0,
            };
            (depth == 0).then_some(open + j)
        });
        let lines = line_of(close.unwrap_or(code.len())) - line_of(at) + 1;
        if lines > limit {
            long.push((line_of(at), lines));
        }
    }
    long
}

/// No function over 80 lines in the library, the xtask and the UI test
/// (rustfmt's layout; comments count): each one job, readable at once.
#[test]
fn no_function_is_over_80_lines() {
    let long: Vec<String> = sources()
        .into_iter()
        .filter(|(p, _)| {
            p.starts_with("src") || p.starts_with("xtask/src") || p == Path::new("tests/ui.rs")
        })
        .flat_map(|(p, text)| {
            long_functions(&text, 80)
                .into_iter()
                .map(move |(line, n)| format!("{}:{line}: {n} lines", p.display()))
        })
        .collect();
    let sample = "fn a() {\n    let s = \"}\";\n    // }\n    let c = '}';\n}\nfn b() {\n}\n";
    assert_eq!(long_functions(sample, 1), [(1, 5), (6, 2)], "the counter");
    assert!(
        long.is_empty(),
        "functions over 80 lines:\n{}\nfix: split each into parts named for their jobs",
        long.join("\n")
    );
}
