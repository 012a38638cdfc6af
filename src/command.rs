//! The commands the suite tells its users to run, spelled in one place:
//! every message builds them from here, so renaming a flag is one edit.

use std::fmt;

/// The maintainers' tool that writes expectations.
pub const BLESS: &str = "cargo xtask bless";

/// The command that regenerates only the readers' pages.
pub const CATALOGUE: &str = "cargo xtask catalogue";

/// `cargo xtask bless`, narrowed to some fixtures.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Bless {
    /// `--filter` values, in order.
    pub filters: Vec<String>,
}

impl Bless {
    /// Bless exactly one fixture, by the short id that selects it alone.
    pub fn fixture(short_id: &str) -> Bless {
        Bless {
            filters: vec![short_id.to_string()],
        }
    }
}

impl fmt::Display for Bless {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(BLESS)?;
        for filter in &self.filters {
            write!(f, " --filter {filter}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bless_spells_its_filters() {
        assert_eq!(
            Bless::fixture("16-14").to_string(),
            "cargo xtask bless --filter 16-14"
        );
        assert_eq!(Bless::default().to_string(), "cargo xtask bless");
    }
}
