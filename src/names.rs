//! Names the checkout, its users and the suite's processes agree on: paths,
//! commands, variables, and the version expectations are keyed by.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The fixture directory under the suite root.
pub const UI_DIR: &str = "ui";

/// The file name of every readers' page.
pub const PAGE: &str = "README.md";

/// The compiler versions the expectations were blessed with (the lowest is
/// the baseline's); exact comparisons are made only on these.
pub const RECORD: &str = "ui/toolchains.txt";

/// The directory (under the suite root) of a bless in progress.
pub const PENDING: &str = ".bless-pending";

/// The file a bless moves into each directory it will write, and out again,
/// before it commits (a killed bless may leave it).
pub const PROBE: &str = ".bless-pending-probe";

/// The `rust-docs` component's HTML, under a compiler's sysroot: std's
/// documentation, and std's source as pages under `src/`.
pub const RUST_DOCS: &str = "share/doc/rust/html";

/// The command that writes expectations.
pub const BLESS: &str = "cargo xtask bless";

/// The command that regenerates only the readers' pages.
pub const CATALOGUE: &str = "cargo xtask catalogue";

/// Set to `1` by the xtask: the UI test judges nothing and leaves its report.
pub const COLLECT_ENV: &str = "CH16_UI_COLLECT";

/// Where a collecting run leaves its report (a file per xtask run).
pub const REPORT_ENV: &str = "CH16_UI_REPORT";

/// Another suite root inside the crate, for benchmarks and fault tests.
pub const ROOT_ENV: &str = "CH16_UI_ROOT";

/// Fixture files, ids and directories: lowercase ASCII letters, digits and
/// dashes, not empty.
pub fn is_slug(name: &str) -> bool {
    let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-';
    !name.is_empty() && name.bytes().all(allowed)
}

/// `cargo xtask bless`, narrowed to some fixtures: a fix as data.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bless {
    /// `--filter` values, in order.
    pub filters: Vec<String>,
}

impl Bless {
    /// Bless exactly one fixture, by the short id that selects it alone.
    pub fn fixture(short_id: &str) -> Bless {
        let filters = vec![short_id.to_string()];
        Bless { filters }
    }
}

impl fmt::Display for Bless {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(BLESS)?;
        let mut filters = self.filters.iter();
        filters.try_for_each(|filter| write!(f, " --filter {filter}"))
    }
}

/// A compiler version as expectations are keyed by: `1.97` for nightly,
/// beta and stable of 1.97 alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Version {
    /// Always 1 so far.
    pub major: u32,
    /// The release train.
    pub minor: u32,
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl FromStr for Version {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let (major, minor) = s.split_once('.').ok_or(())?;
        let number = |t: &str| match t.len() {
            1..=4 if t.bytes().all(|b| b.is_ascii_digit()) => t.parse().map_err(|_| ()),
            _ => Err(()),
        };
        // `1.097` would name the same version as `1.97`: one spelling only.
        if minor.len() > 1 && minor.starts_with('0') {
            return Err(());
        }
        let (major, minor) = (number(major)?, number(minor)?);
        Ok(Version { major, minor })
    }
}
