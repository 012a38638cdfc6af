//! Toolchains: one named but not installed, a private rustup's choice, one
//! that breaks mid-run, twin compilers. (Two testing one checkout at once:
//! `reports`, beside the ui test's quiet pass.)

use crate::support::*;
use ch16_ui::check::report::{FixtureReport, Report};
use ch16_ui::harness;
use ch16_ui::host::toolchain::{self, Rustc, Source};
use ch16_ui::model::suite::Suite;
use ch16_ui::observe::{Batch, BatchStatus, Driver, Running};
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A `RUSTUP_HOME` made for one test, in the crate's scratch directory:
/// its `toolchains/` link to the real ones, plus a broken release
/// toolchain (`1.2.0`), a custom one that works (`ch16-custom`) and one
/// whose rustc works until `gone` exists in its directory (`1.3.0`). The
/// machine's rustup is never touched; all of it is removed on drop.
struct PrivateRustup(PathBuf);

impl PrivateRustup {
    fn new(name: &str) -> PrivateRustup {
        let home = crate_dir().join("target/ch16-scratch").join(name);
        let _ = fs::remove_dir_all(&home);
        let toolchains = home.join("toolchains");
        fs::create_dir_all(&toolchains).unwrap();
        // The real toolchain directory is the current compiler's sysroot.
        let current = rustc();
        let real = Path::new(&current.sysroot);
        for entry in fs::read_dir(real.parent().unwrap()).unwrap() {
            let entry = entry.unwrap();
            symlink(entry.path(), toolchains.join(entry.file_name())).unwrap();
        }
        let script = |release: &str, body: &str| {
            let dir = toolchains.join(format!("{release}-{}", current.host));
            fs::create_dir_all(dir.join("bin")).unwrap();
            fs::create_dir_all(dir.join("lib")).unwrap();
            let path = dir.join("bin/rustc");
            fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
            dir
        };
        script("1.2.0", "echo 'this toolchain is broken' >&2\nexit 1");
        let gone = toolchains.join(format!("1.3.0-{}/gone", current.host));
        let (gone, real_rustc) = (gone.display(), real.join("bin/rustc"));
        let real_rustc = real_rustc.display();
        let fail = "{ echo 'this toolchain is gone' >&2; exit 1; }";
        script(
            "1.3.0",
            &format!("[ -e '{gone}' ] && {fail}\nexec '{real_rustc}' \"$@\""),
        );
        symlink(real, toolchains.join("ch16-custom")).unwrap();
        let default = real.file_name().unwrap().to_string_lossy();
        let settings =
            format!("version = \"12\"\ndefault_toolchain = \"{default}\"\nprofile = \"minimal\"\n");
        fs::write(home.join("settings.toml"), settings).unwrap();
        PrivateRustup(home)
    }
}

impl Drop for PrivateRustup {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Not a test on its own: run by `installed_toolchains_are_chosen_…` with
/// a private `RUSTUP_HOME`.
#[test]
#[ignore = "child process of installed_toolchains_are_chosen_without_broken_ones_and_one_breaking_mid_run_is_named"]
fn private_rustup_selection() {
    let private = std::env::var_os("CH16_PRIVATE_RUSTUP");
    assert!(private.is_some(), "run by its parent test only");
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

/// A toolchain named but not installed fails clearly. With a private
/// rustup (this program again, rustup pointed there and nothing inherited
/// that names a toolchain): the installed toolchains are chosen without the
/// custom and the broken ones (each named says what it is); and a toolchain
/// that breaks during a run is named as the run's failure, not its fixtures.
#[test]
fn installed_toolchains_are_chosen_without_broken_ones_and_one_breaking_mid_run_is_named() {
    let missing = toolchain::select(&["ch16-no-such-toolchain".to_string()], &[]);
    let err = missing.err().expect("must fail").to_string();
    let failed = "toolchain `ch16-no-such-toolchain`: `rustc +ch16-no-such-toolchain -vV` failed:";
    assert!(err.starts_with(failed), "{err}");
    holds(&err, &["nothing was changed"]);

    let rustup = PrivateRustup::new("private-rustup");
    let test = "toolchains::private_rustup_selection";
    let out = Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--ignored", "--nocapture"])
        .env("RUSTUP_HOME", &rustup.0)
        .env("RUSTUP_AUTO_INSTALL", "0")
        .env("CH16_PRIVATE_RUSTUP", &rustup.0)
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("RUSTC")
        .output()
        .unwrap();
    let ok = out.status.success();
    let out = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    assert!(ok, "{out}");
    let line = |prefix: &str| {
        out.lines()
            .filter(|l| l.starts_with(prefix))
            .collect::<Vec<_>>()
    };
    // The broken one and the custom one are not among them; the flaky one
    // (working for now) is, unless an installed toolchain is the same
    // compiler.
    let compilers = line("COMPILERS ");
    assert_eq!(compilers.len(), 1, "{out}");
    lacks(compilers[0], &["1.2.0", "ch16-custom"]);
    let notes = line("NOTE ").join("\n");
    holds(
        &notes,
        &[
            "NOTE SKIPPED 1.2.0: toolchain `1.2.0`: `rustc +1.2.0 -vV` failed: this toolchain is broken",
            "NOTE not used unless named with --toolchain (custom toolchains): ch16-custom",
        ],
    );
    let named = line("NAMED ");
    assert!(
        named[0].starts_with("NAMED 1.2.0 err toolchain `1.2.0`"),
        "{out}"
    );
    holds(
        named[0],
        &["this toolchain is broken", "nothing was changed"],
    );
    assert!(named[1].starts_with("NAMED ch16-custom ok "), "{out}");

    let host = rustc().host;
    let script = rustup.0.join(format!("toolchains/1.3.0-{host}/bin/rustc"));
    let flaky = toolchain::detect(Source::Path(script.clone())).expect("works before the run");
    let s = Scratch::new("toolchain-gone");
    s.one_failing_one_running();
    let gone = script.parent().unwrap().with_file_name("gone");
    let pulls = PullsTheToolchain(Fake::new(&s), gone);
    let err = harness::run(&options(&s.root, &flaky), &pulls).expect_err("the run fails");
    let err = err.to_string();
    let script = script.display();
    let named = format!("toolchain `{script}`: it stopped working during the run");
    assert!(err.starts_with(&named), "{err}");
    holds(&err, &["this toolchain is gone"]);
}

/// A compiler named `name` of the current one's version (or the next
/// minor one), as a run of it would describe it.
fn twin(name: &str, commit: &str, newer: bool) -> Rustc {
    let mut r = rustc();
    r.source = Source::Path(PathBuf::from(format!("/opt/{name}/bin/rustc")));
    r.commit = commit.into();
    if newer {
        r.version.minor += 1;
        r.release = format!("{}.{}.0", r.version.major, r.version.minor);
    }
    r
}

/// A run of `rustc` in which the fixture at `path` gave `stderr`.
fn run_saying(rustc: &Rustc, path: &str, stderr: &str) -> (Rustc, Report) {
    let fixture = FixtureReport {
        path: path.into(),
        id: "listing-16-91".into(),
        hangs: false,
        codes: vec!["E0308".into()],
        loads: true,
        observed: true,
        problems: Vec::new(),
        actual: vec![(ch16_ui::model::expect::Kind::Stderr, stderr.into())],
        compiles: 1,
    };
    let report = Report {
        label: rustc.label(),
        release: rustc.release.clone(),
        version: rustc.version,
        fixtures: vec![fixture],
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
    };
    (rustc.clone(), report)
}

/// Two compilers of one version that disagree on a fixture's text: bless
/// refuses it, with the diff and a command that works.
#[test]
fn two_compilers_of_one_version_that_disagree_are_refused_with_the_diff_and_a_command_that_works() {
    use ch16_ui::bless::plan::{self, Cell};
    let s = Scratch::new("disagree");
    s.fails(
        "listing-16-91-cf",
        "E0308",
        "listing-16-92",
        FAILS_E0308,
        "error: old\n",
    );
    s.fine("listing-16-92-ok");
    let path = "ui/ch16-01-threads/listing-16-91-cf.rs";
    let (a, b) = (twin("a", "aaaaaaaa", false), twin("b", "bbbbbbbb", false));
    let (said, reworded) = (
        "error: mismatched types\n",
        "error: mismatched types (reworded)\n",
    );
    let runs = [
        run_saying(&a, path, said),
        run_saying(&b, path, reworded),
        run_saying(&twin("other", "cccccccc", true), path, said),
    ];
    let suite = Suite::load(&s.root).unwrap();
    let filters = ["16-91".to_string()];
    let p = plan::plan(&suite, &runs[..2], &filters).unwrap();
    let both = format!(
        "{path}: {} and {} are both version {}",
        a.label(),
        b.label(),
        a.version
    );
    holds(
        &p.refusals.join("\n"),
        &[
            &both,
            "disagree on its .stderr",
            "-error: mismatched types\n",
            "+error: mismatched types (reworded)\n",
            "`cargo xtask bless --rustc /opt/a/bin/rustc --filter 16-91`",
            "`cargo xtask bless --rustc /opt/b/bin/rustc --filter 16-91`",
        ],
    );
    let record = Path::new(ch16_ui::names::RECORD);
    let writes = |p: &plan::Plan, file: &Path| p.edits.iter().any(|e| e.change.path() == file);
    let others = p.edits.iter().any(|e| e.change.path() != record);
    assert!(!others, "nothing is written for the fixture");
    // Without --filter, a third compiler that is not involved is held, not
    // refused. (Its version is new, so the record would change.)
    let p = plan::plan(&suite, &runs, &[]).unwrap();
    let row = &p.table.iter().find(|(f, _)| f == path).unwrap().1;
    assert_eq!(row, &[Cell::Refused, Cell::Refused, Cell::Held]);
    // The command given works: blessing one of them alone is not refused.
    let p = plan::plan(&suite, &runs[..1], &filters).unwrap();
    assert!(p.refusals.is_empty(), "{:?}", p.refusals);
    let stderr = Path::new("ui/ch16-01-threads/listing-16-91-cf.stderr");
    assert!(writes(&p, stderr), "the .stderr is rewritten from `old`");
}
