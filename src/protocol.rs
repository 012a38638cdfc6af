//! How `cargo xtask` asks `tests/ui.rs` for a run: environment variables
//! set on `cargo test --test ui`. (trybuild's batches and the observer have
//! their own: `tests/support/trybuild.rs`, [`crate::record`].)

/// Set to `1`: trybuild writes what it sees for compile-fail fixtures
/// instead of comparing, and the run's [`crate::report::Report`] is left as
/// JSON at [`crate::observe::stage::Workdirs::report`] instead of being judged.
pub const COLLECT_ENV: &str = "CH16_UI_COLLECT";

/// Another suite root inside the crate (the benchmark's generated suites,
/// the hardening tests' scratch trees) instead of the crate's own `ui/`.
pub const ROOT_ENV: &str = "CH16_UI_ROOT";
