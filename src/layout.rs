//! Names and places in a checkout that several modules (and the error
//! messages) agree on: where the fixtures are, what a page is called, the
//! record of blessed compilers, the directory of a bless in progress, and
//! the naming rule of ids and directories. A leaf of the library.

/// Name of the fixture directory under the suite root.
pub const UI_DIR: &str = "ui";

/// The file name of every readers' page.
pub const PAGE: &str = "README.md";

/// The record of compiler versions the expectations were blessed with:
/// `ui/toolchains.txt`, written by `cargo xtask bless`. The lowest version is
/// the baseline's; an exact comparison is only made on a recorded version.
pub const RECORD: &str = "ui/toolchains.txt";

/// Directory (under the suite root) holding an update in progress.
pub const PENDING: &str = ".bless-pending";

/// The naming rule of fixture files, ids and section directories:
/// lowercase ASCII letters, digits and dashes, not empty.
pub fn is_slug(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
