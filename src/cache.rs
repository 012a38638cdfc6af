//! Reusing the suite's own build of a fixture when nothing that went into it
//! has changed.
//!
//! trybuild compiles every fixture on every run, and its comparison of the
//! diagnostics text is always made afresh. The suite's own build (for the
//! annotations and the program it runs) repeats that work; its result depends
//! only on the compiler, the command line, the files rustc read and the
//! environment variables the code asked for, so it is kept beside the build
//! with a record of all of those, and used again while they are unchanged.
//! The programs themselves are run every time.

use crate::toolchain::Rustc;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::fs;
use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// File in a fixture's build directory holding its record.
const RECORD: &str = "build-record";
/// First line of a record; bump it when the layout changes.
const MAGIC: &str = "ch16-ui build record 1";
/// Separates the record's parts.
const SEPARATOR: &str = "\n--- ch16-ui ---\n";
/// How long before a build a file must have last changed for the record to
/// be trusted: more than the coarsest file-time resolution in common use.
const RACY: Duration = Duration::from_secs(2);

/// What a build gave: what the caller needs to judge it again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Build {
    /// Whether rustc succeeded.
    pub success: bool,
    /// rustc's stderr, verbatim.
    pub stderr: String,
}

/// Who the compiler is: release and commit, the files of the compiler itself
/// (a locally built toolchain may report no commit), and `RUSTC_BOOTSTRAP`,
/// which unlocks behaviour without changing either.
pub fn compiler(rustc: &Rustc) -> String {
    let sysroot = Path::new(&rustc.sysroot);
    let mut files = vec![sysroot.join("bin/rustc")];
    if let Ok(entries) = fs::read_dir(sysroot.join("lib")) {
        let mut drivers: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("librustc_driver"))
            })
            .collect();
        drivers.sort();
        files.extend(drivers);
    }
    let mut id = format!("{} {}", rustc.release, rustc.commit);
    for f in files {
        let stamped = stamp(&f, false).unwrap_or_else(|| format!("{} missing", f.display()));
        let _ = write!(id, " {stamped}");
    }
    let _ = write!(
        id,
        " RUSTC_BOOTSTRAP={:?}",
        std::env::var_os("RUSTC_BOOTSTRAP")
    );
    id
}

/// Everything a build depended on that can be known before it runs: the
/// compiler's identity, the command (program, directory, environment set on
/// it, arguments), and each library an argument names by absolute path
/// (`--extern name=path`).
pub fn inputs(compiler: &str, cmd: &Command) -> String {
    let mut key = format!("compiler {compiler}\nprogram {:?}\n", cmd.get_program());
    if let Some(dir) = cmd.get_current_dir() {
        let _ = writeln!(key, "dir {dir:?}");
    }
    for (name, value) in cmd.get_envs() {
        let _ = writeln!(key, "env {name:?}={value:?}");
    }
    for arg in cmd.get_args() {
        let _ = writeln!(key, "arg {arg:?}");
        // `--extern name=path`: the library may be rebuilt under the same name.
        if let Some((_, path)) = arg.to_str().and_then(|a| a.split_once('=')) {
            let path = Path::new(path);
            if path.is_absolute() && path.is_file() {
                let _ = writeln!(key, "  {}", stamp(path, false).unwrap_or_default());
            }
        }
    }
    key
}

/// The last build at `dir`, if it was made from `inputs` and everything it
/// read is unchanged (and `needs`, the program it produced, still exists).
/// `base` is the directory rustc ran in, which relative paths it read are in.
pub fn load(dir: &Path, base: &Path, inputs: &str, needs: Option<&Path>) -> Option<Build> {
    if needs.is_some_and(|p| !p.is_file()) {
        return None;
    }
    let text = fs::read_to_string(dir.join(RECORD)).ok()?;
    let mut parts = text.splitn(4, SEPARATOR);
    let (head, read, status, stderr) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if head.strip_prefix(MAGIC)?.strip_prefix('\n')? != inputs {
        return None;
    }
    if read != what_was_read(dir, base, None)? {
        return None;
    }
    Some(Build {
        success: status == "success",
        stderr: stderr.to_string(),
    })
}

/// Forget the build at `dir` (before it is redone, so that an interrupted
/// build is never taken for a finished one).
pub fn forget(dir: &Path) {
    let _ = fs::remove_file(dir.join(RECORD));
    // A dependency file left from an earlier build would pass for this one's.
    for d in dep_files(dir) {
        let _ = fs::remove_file(d);
    }
}

fn dep_files(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension() == Some(OsStr::new("d")))
                .collect()
        })
        .unwrap_or_default()
}

/// Record the build just made at `dir` (by rustc running in `base`) from
/// `inputs`, started at `started`. Nothing is recorded when rustc's
/// dependency file is missing, names a file that cannot be read, or names
/// one modified since shortly before the build began: rustc may have read an
/// older version than the one the record would describe (the next run
/// builds again and records then).
pub fn store(dir: &Path, base: &Path, inputs: &str, build: &Build, started: SystemTime) {
    let Some(read) = what_was_read(dir, base, Some(started - RACY)) else {
        return;
    };
    let status = if build.success { "success" } else { "failure" };
    let text = format!(
        "{MAGIC}\n{inputs}{SEPARATOR}{read}{SEPARATOR}{status}{SEPARATOR}{}",
        build.stderr
    );
    let tmp = dir.join(format!("{RECORD}.tmp"));
    if fs::write(&tmp, text).is_ok() {
        let _ = fs::rename(&tmp, dir.join(RECORD));
    }
}

/// The files and environment variables rustc's dependency file (`*.d`, from
/// `--emit=dep-info`) lists, each with its current state, and the
/// directories holding those files (a file created beside them, such as a
/// module or an included file that was missing, changes the directory);
/// `None` if a file cannot be read or was modified at or after `not_since`.
fn what_was_read(dir: &Path, base: &Path, not_since: Option<SystemTime>) -> Option<String> {
    let [dep_file] = dep_files(dir).try_into().ok()?;
    let text = fs::read_to_string(dep_file).ok()?;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut state = String::new();
    for line in text.lines() {
        if let Some(var) = line.strip_prefix("# env-dep:") {
            let name = var.split_once('=').map_or(var, |(n, _)| n);
            let _ = writeln!(state, "env {name}={:?}", std::env::var_os(name));
        } else if let Some((_, deps)) = line.split_once(": ") {
            // The rule for the output lists the inputs (spaces escaped).
            for dep in deps.replace("\\ ", "\u{0}").split(' ') {
                let dep = dep.replace('\u{0}', " ");
                if !dep.is_empty() && !files.iter().any(|f| f.as_os_str() == dep.as_str()) {
                    files.push(PathBuf::from(dep));
                }
            }
        }
    }
    let mut dirs: Vec<PathBuf> = Vec::new();
    for file in files {
        let file = base.join(file);
        if let Some(limit) = not_since {
            if fs::metadata(&file).and_then(|m| m.modified()).ok()? >= limit {
                return None;
            }
        }
        let _ = writeln!(state, "file {}", stamp(&file, true)?);
        if let Some(parent) = file.parent().filter(|p| !dirs.iter().any(|d| d == p)) {
            dirs.push(parent.to_owned());
        }
    }
    for d in dirs {
        let _ = writeln!(state, "dir {}", stamp(&d, false)?);
    }
    Some(state)
}

/// A file's path, size and modification time, and with `digest` a digest of
/// its contents (sources are small; an edit within the clock's resolution
/// still shows).
fn stamp(path: &Path, digest: bool) -> Option<String> {
    let meta = fs::metadata(path).ok()?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let mut line = format!("{} {} {modified}", path.display(), meta.len());
    if digest {
        let mut h = DefaultHasher::new();
        h.write(&fs::read(path).ok()?);
        let _ = write!(line, " {:016x}", h.finish());
    }
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::File;

    /// A build directory whose dependency file lists `src` and `env-dep`s.
    fn scratch(name: &str, src: &str, env_deps: &[&str]) -> (PathBuf, PathBuf) {
        let dir = std::env::temp_dir().join(format!("ch16-cache-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        // Sources apart from the build, as `ui/` is from `target/`.
        fs::create_dir_all(dir.join("src")).unwrap();
        let file = dir.join("src/fixture.rs");
        fs::write(&file, src).unwrap();
        let mut d = format!(
            "{0}/out.rmeta: {1}\n\n{1}:\n",
            dir.display(),
            file.display()
        );
        for var in env_deps {
            d.push_str(&format!("# env-dep:{var}\n"));
        }
        fs::write(dir.join("out.d"), d).unwrap();
        (dir, file)
    }

    /// A build start well after the scratch files were written.
    fn later() -> SystemTime {
        SystemTime::now() + RACY * 2
    }

    fn built() -> Build {
        Build {
            success: false,
            stderr: "{\"message\":\"x\"}\n".into(),
        }
    }

    #[test]
    fn a_build_is_reused_only_from_the_same_inputs() {
        let (dir, _) = scratch("inputs", "fn main() {}\n", &[]);
        store(&dir, &dir, "compiler a\n", &built(), later());
        assert_eq!(load(&dir, &dir, "compiler a\n", None), Some(built()));
        assert_eq!(load(&dir, &dir, "compiler b\n", None), None);
    }

    #[test]
    fn an_edit_is_seen_even_with_the_old_size_and_time() {
        let (dir, file) = scratch("edit", "fn main() {}\n", &[]);
        store(&dir, &dir, "k\n", &built(), later());
        let modified = fs::metadata(&file).unwrap().modified().unwrap();
        fs::write(&file, "fn mian() {}\n").unwrap();
        File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(modified)
            .unwrap();
        assert_eq!(load(&dir, &dir, "k\n", None), None);
    }

    #[test]
    fn an_environment_variable_the_code_read_is_part_of_the_inputs() {
        // Not one the process (or another test) ever sets.
        let var = "CH16_UI_CACHE_TEST_NEVER_SET";
        let (dir, _) = scratch("env", "fn main() {}\n", &[var]);
        store(&dir, &dir, "k\n", &built(), later());
        assert!(load(&dir, &dir, "k\n", None).is_some());
        // As if the variable had been set when the build was made.
        let record = fs::read_to_string(dir.join(RECORD)).unwrap();
        let unset = format!("env {var}=None");
        assert!(record.contains(&unset), "{record}");
        let set = record.replace(&unset, &format!("env {var}=Some(\"1\")"));
        fs::write(dir.join(RECORD), set).unwrap();
        assert_eq!(load(&dir, &dir, "k\n", None), None);
    }

    #[test]
    fn a_missing_program_or_a_forgotten_build_is_not_reused() {
        let (dir, _) = scratch("forget", "fn main() {}\n", &[]);
        store(&dir, &dir, "k\n", &built(), later());
        assert_eq!(load(&dir, &dir, "k\n", Some(&dir.join("nowhere"))), None);
        forget(&dir);
        assert!(dep_files(&dir).is_empty());
        assert_eq!(load(&dir, &dir, "k\n", None), None);
    }

    #[test]
    fn a_file_changed_while_building_is_not_recorded() {
        let (dir, _) = scratch("racy", "fn main() {}\n", &[]);
        store(&dir, &dir, "k\n", &built(), SystemTime::now());
        assert!(!dir.join(RECORD).exists());
    }

    #[test]
    fn a_file_created_beside_the_fixture_is_seen() {
        // `mod helper;` failed for want of helper.rs; now it exists.
        let (dir, _) = scratch("created", "mod helper;\n", &[]);
        store(&dir, &dir, "k\n", &built(), later());
        assert!(load(&dir, &dir, "k\n", None).is_some());
        std::thread::sleep(Duration::from_millis(20));
        fs::write(dir.join("src/helper.rs"), "").unwrap();
        assert_eq!(load(&dir, &dir, "k\n", None), None);
    }

    #[test]
    fn without_a_dependency_file_nothing_is_recorded() {
        let (dir, _) = scratch("nodeps", "fn main() {}\n", &[]);
        fs::remove_file(dir.join("out.d")).unwrap();
        store(&dir, &dir, "k\n", &built(), later());
        assert!(!dir.join(RECORD).exists());
    }

    #[test]
    fn a_rebuilt_library_changes_the_inputs() {
        let (dir, _) = scratch("extern", "", &[]);
        let lib = dir.join("libdep.rlib");
        fs::write(&lib, "one").unwrap();
        let cmd = |lib: &Path| {
            let mut c = Command::new("rustc");
            c.arg("--extern").arg(format!("dep={}", lib.display()));
            c
        };
        let before = inputs("1.95.0 abc", &cmd(&lib));
        fs::write(&lib, "three").unwrap();
        assert_ne!(before, inputs("1.95.0 abc", &cmd(&lib)));
    }
}
