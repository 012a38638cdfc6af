//! Toolchains: one named but not installed, a private rustup's choice, one
//! that breaks mid-run, two testing one checkout at once, twin compilers.

use crate::support::*;
use ch16_ui::check::report::Report;
use ch16_ui::harness;
use ch16_ui::host::toolchain;
use ch16_ui::host::toolchain::Rustc;
use ch16_ui::host::toolchain::Source;
use ch16_ui::model::suite::Suite;
use ch16_ui::observe::Batch;
use ch16_ui::observe::BatchStatus;
use ch16_ui::observe::Driver;
use ch16_ui::observe::Running;
use std::fs;
use std::path::Path;
use std::path::PathBuf;
use std::process::Command;

#[test]
fn a_toolchain_named_but_not_installed_fails_clearly() {
    let err = toolchain::select(&["ch16-no-such-toolchain".to_string()], &[])
        .err()
        .expect("must fail")
        .to_string();
    assert!(
        err.starts_with(
            "toolchain `ch16-no-such-toolchain`: `rustc +ch16-no-such-toolchain -vV` failed:"
        ),
        "{err}"
    );
    assert!(err.contains("nothing was changed"), "{err}");
}

/// A `RUSTUP_HOME` made for one test, in the crate's scratch directory:
/// its `toolchains/` link to the real ones, plus a broken release
/// toolchain (`1.2.0`), a custom one that works (`ch16-custom`) and one
/// whose rustc works until `gone` exists in its directory (`1.3.0`). The
/// machine's rustup is never touched; all of it is removed on drop.
struct PrivateRustup {
    home: PathBuf,
}

impl PrivateRustup {
    fn new(name: &str) -> PrivateRustup {
        let home = crate_dir().join("target/ch16-scratch").join(name);
        let _ = fs::remove_dir_all(&home);
        fs::create_dir_all(home.join("toolchains")).unwrap();
        let current = rustc();
        // The real toolchain directory is the current compiler's sysroot.
        let real = Path::new(&current.sysroot);
        let real_home = real.parent().unwrap();
        for entry in fs::read_dir(real_home).unwrap() {
            let entry = entry.unwrap();
            std::os::unix::fs::symlink(
                entry.path(),
                home.join("toolchains").join(entry.file_name()),
            )
            .unwrap();
        }
        let host = &current.host;
        let script = |dir: &Path, body: &str| {
            fs::create_dir_all(dir.join("bin")).unwrap();
            fs::create_dir_all(dir.join("lib")).unwrap();
            let path = dir.join("bin/rustc");
            fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        };
        let broken = home.join("toolchains").join(format!("1.2.0-{host}"));
        script(&broken, "echo 'this toolchain is broken' >&2\nexit 1");
        let flaky = home.join("toolchains").join(format!("1.3.0-{host}"));
        script(
            &flaky,
            &format!(
                "[ -e '{}' ] && {{ echo 'this toolchain is gone' >&2; exit 1; }}\nexec '{}' \"$@\"",
                flaky.join("gone").display(),
                real.join("bin/rustc").display()
            ),
        );
        std::os::unix::fs::symlink(real, home.join("toolchains/ch16-custom")).unwrap();
        let default = real.file_name().unwrap().to_string_lossy();
        fs::write(
            home.join("settings.toml"),
            format!("version = \"12\"\ndefault_toolchain = \"{default}\"\nprofile = \"minimal\"\n"),
        )
        .unwrap();
        PrivateRustup { home }
    }

    /// This test program again, running only `test` (an ignored one), with
    /// rustup pointed here and nothing inherited that names a toolchain.
    fn run_child(&self, test: &str) -> (bool, String) {
        let out = Command::new(std::env::current_exe().unwrap())
            .args([
                test,
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("RUSTUP_HOME", &self.home)
            .env("RUSTUP_AUTO_INSTALL", "0")
            .env("CH16_PRIVATE_RUSTUP", &self.home)
            .env_remove("RUSTUP_TOOLCHAIN")
            .env_remove("RUSTC")
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    }
}

impl Drop for PrivateRustup {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.home);
    }
}

/// Not a test on its own: run by `installed_toolchains_are_chosen_…` with
/// a private `RUSTUP_HOME`.
#[test]
#[ignore = "child process of installed_toolchains_are_chosen_without_broken_ones_and_one_breaking_mid_run_is_named"]
fn private_rustup_selection() {
    assert!(
        std::env::var_os("CH16_PRIVATE_RUSTUP").is_some(),
        "run by its parent test only"
    );
    let all = toolchain::select(&[], &[]).expect("the working toolchains are still used");
    let names: Vec<String> = all.compilers.iter().map(|c| c.source.name()).collect();
    println!("\nCOMPILERS {}", names.join(" "));
    for note in &all.notes {
        println!("NOTE {note}");
    }
    for named in ["1.2.0", "ch16-custom"] {
        match toolchain::select(&[named.to_string()], &[]) {
            Ok(s) => println!("NAMED {named} ok {}", s.compilers[0].release),
            Err(e) => println!("NAMED {named} err {}", e.to_string().replace('\n', " ")),
        }
    }
}

/// trybuild as [`Fake`], but the compiler under test goes away as its
/// batches start, so they fail.
struct PullsTheToolchain(Fake, PathBuf);

impl Driver for PullsTheToolchain {
    fn start(&self, batch: &Batch) -> Box<dyn Running> {
        fs::write(&self.1, "").unwrap();
        Box::new(FailsAfter(self.0.start(batch)))
    }
}

struct FailsAfter(Box<dyn Running>);

impl Running for FailsAfter {
    fn wait(self: Box<Self>) -> bool {
        let _ = self.0.wait();
        false
    }
}

/// With a private rustup: the installed toolchains are chosen without the
/// custom and the broken ones (each named says what it is); and a toolchain
/// that breaks during a run is named as the run's failure, not its fixtures.
#[test]
fn installed_toolchains_are_chosen_without_broken_ones_and_one_breaking_mid_run_is_named() {
    let rustup = PrivateRustup::new("private-rustup");
    let (ok, out) = rustup.run_child("toolchains::private_rustup_selection");
    assert!(ok, "{out}");
    let line = |prefix: &str| {
        out.lines()
            .filter(|l| l.starts_with(prefix))
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let compilers = line("COMPILERS ");
    assert_eq!(compilers.len(), 1, "{out}");
    // The broken one and the custom one are not among them; the flaky one
    // (working for now) is, unless an installed toolchain is the same
    // compiler.
    assert!(
        !compilers[0].contains("1.2.0") && !compilers[0].contains("ch16-custom"),
        "{out}"
    );
    let notes = line("NOTE ");
    assert!(
        notes.iter().any(|n| n.starts_with(
            "NOTE SKIPPED 1.2.0: toolchain `1.2.0`: `rustc +1.2.0 -vV` failed: this toolchain is broken"
        )),
        "{out}"
    );
    assert!(
        notes.iter().any(|n| n.starts_with(
            "NOTE not used unless named with --toolchain (custom toolchains): ch16-custom"
        )),
        "{out}"
    );
    let named = line("NAMED ");
    assert!(
        named[0].starts_with("NAMED 1.2.0 err toolchain `1.2.0`")
            && named[0].contains("this toolchain is broken")
            && named[0].contains("nothing was changed"),
        "{out}"
    );
    assert!(named[1].starts_with("NAMED ch16-custom ok "), "{out}");

    let script = rustup
        .home
        .join(format!("toolchains/1.3.0-{}/bin/rustc", rustc().host));
    let flaky = toolchain::detect(Source::Path(script.clone())).expect("works before the run");
    let s = Scratch::new("toolchain-gone");
    s.one_failing_one_running();
    let gone = script.parent().unwrap().parent().unwrap().join("gone");
    let err = harness::run(
        &options(&s, &flaky),
        &PullsTheToolchain(Fake::new(&s), gone),
    )
    .expect_err("the run fails")
    .to_string();
    assert!(
        err.starts_with(&format!(
            "toolchain `{}`: it stopped working during the run",
            script.display()
        )) && err.contains("this toolchain is gone"),
        "{err}"
    );
}

/// A compiler named `name` of the current one's version, as a run of it
/// would describe it.
fn twin(name: &str, commit: &str) -> Rustc {
    let mut r = rustc();
    r.source = Source::Path(PathBuf::from(format!("/opt/{name}/bin/rustc")));
    r.commit = commit.into();
    r
}

/// A run of `rustc` in which the fixture at `path` gave `stderr`.
fn run_saying(rustc: &Rustc, path: &str, stderr: &str) -> Report {
    Report {
        label: rustc.label(),
        release: rustc.release.clone(),
        version: rustc.version,
        fixtures: vec![ch16_ui::check::report::FixtureReport {
            path: path.into(),
            id: "listing-16-91".into(),
            codes: vec!["E0308".into()],
            loads: true,
            observed: true,
            problems: Vec::new(),
            actual: vec![(ch16_ui::model::expect::Kind::Stderr, stderr.into())],
            compiles: 1,
        }],
        compile_fail: (1, BatchStatus::Ok),
        pass: (0, BatchStatus::None),
        observed_only: true,
        logs: Vec::new(),
        blessed: true,
        record: vec![rustc.version],
        filtered_out: 0,
        rust_src_hidden: false,
        run_id: "test".into(),
        tree: Vec::new(),
    }
}

#[test]
fn two_compilers_of_one_version_that_disagree_are_refused_with_the_diff_and_a_command_that_works() {
    use ch16_ui::bless::plan::{self, Cell};
    let s = Scratch::new("disagree");
    let code = FAILS_E0308;
    s.fails(
        "listing-16-91-cf",
        "E0308",
        "listing-16-92",
        code,
        "error: old\n",
    )
    .fine("listing-16-92-ok");
    let path = "ui/ch16-01-threads/listing-16-91-cf.rs";
    let (a, b) = (twin("a", "aaaaaaaaaaaa"), twin("b", "bbbbbbbbbbbb"));
    let mut other = twin("other", "cccccccccccc");
    other.version.minor += 1;
    other.release = format!("{}.{}.0", other.version.major, other.version.minor);
    let runs = vec![
        (a.clone(), run_saying(&a, path, "error: mismatched types\n")),
        (
            b.clone(),
            run_saying(&b, path, "error: mismatched types (reworded)\n"),
        ),
        (
            other.clone(),
            run_saying(&other, path, "error: mismatched types\n"),
        ),
    ];
    let suite = Suite::load(&s.root).unwrap();
    let filters = ["16-91".to_string()];
    let p = plan::plan(&suite, &runs[..2], &filters).unwrap();
    let refusal = p.refusals.join("\n");
    for needle in [
        format!(
            "{path}: {} and {} are both version {}",
            a.label(),
            b.label(),
            a.version
        ),
        "disagree on its .stderr".to_string(),
        "-error: mismatched types\n".to_string(),
        "+error: mismatched types (reworded)\n".to_string(),
        "`cargo xtask bless --rustc /opt/a/bin/rustc --filter 16-91`".to_string(),
        "`cargo xtask bless --rustc /opt/b/bin/rustc --filter 16-91`".to_string(),
    ] {
        assert!(refusal.contains(&needle), "no `{needle}` in:\n{refusal}");
    }
    let record = Path::new(ch16_ui::names::RECORD);
    assert!(
        p.edits.iter().all(|e| e.change.path() == record),
        "nothing is written for the fixture"
    );
    // Without --filter, a third compiler that is not involved is held, not
    // refused. (Its version is new, so the record would change.)
    let p = plan::plan(&suite, &runs, &[]).unwrap();
    let row = &p.table.iter().find(|(f, _)| f == path).unwrap().1;
    assert_eq!(row, &[Cell::Refused, Cell::Refused, Cell::Held]);
    // The command given works: blessing one of them alone is not refused.
    let p = plan::plan(&suite, &runs[..1], &filters).unwrap();
    assert!(p.refusals.is_empty(), "{:?}", p.refusals);
    let stderr = Path::new("ui/ch16-01-threads/listing-16-91-cf.stderr");
    assert!(
        p.edits.iter().any(|e| e.change.path() == stderr),
        "the .stderr is rewritten from `old`"
    );
}
