//! How `cargo xtask` asks `tests/ui.rs` for a run: environment variables
//! set on `cargo test --test ui`. (trybuild's batches and the observer have
//! their own: `tests/support/trybuild.rs`, [`crate::observe::record`].)

/// Set to `1`: trybuild writes what it sees for compile-fail fixtures
/// instead of comparing, and the run's [`crate::check::report::Report`] is left as
/// JSON at [`crate::observe::stage::Workdirs::report`] instead of being judged.
pub const COLLECT_ENV: &str = "CH16_UI_COLLECT";

/// Where a collecting run leaves its report, when not at
/// [`crate::observe::stage::Workdirs::report`]: `cargo xtask` gives each of
/// its runs a file of its own, so that two xtasks on one compiler in one
/// checkout never read each other's report (or log).
pub const REPORT_ENV: &str = "CH16_UI_REPORT";

/// Another suite root inside the crate (the benchmark's generated suites,
/// the hardening tests' scratch trees) instead of the crate's own `ui/`.
pub const ROOT_ENV: &str = "CH16_UI_ROOT";
