//! A compiler version as the suite keys expectations by (`1.97`): a leaf
//! of the library, so that errors and the model can both name one.

use std::fmt;
use std::str::FromStr;

/// A compiler version as far as expectations care: major and minor.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
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
        let digits =
            |t: &str| !t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(major) || !digits(minor) || (minor.len() > 1 && minor.starts_with('0')) {
            return Err(());
        }
        Ok(Version {
            major: major.parse().map_err(|_| ())?,
            minor: minor.parse().map_err(|_| ())?,
        })
    }
}
