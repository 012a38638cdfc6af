//! Bad input and faults, each on a scratch fixture tree (never the real
//! `ui/`), with the exact outcome asserted.
//!
//! Most cases stand a fake in for trybuild (`support::Fake`) that does what
//! trybuild's cargo does with the observer: it starts the real observer as
//! rustc wrapper for every fixture's compile, and as runner for every
//! program that compiled, in the environment the harness gives. So they
//! exercise the real observer and records, quickly. The few cases about
//! how trybuild, cargo and the command lines themselves behave run them
//! for real, each as few times as its points allow (their doc comments say
//! why), on scratch trees inside the crate (trybuild wants its fixtures
//! there). One module per concern; what they share is in `support`, the
//! real trybuild's driver is the one `tests/ui.rs` uses (`driver`).

#[path = "../support/trybuild.rs"]
mod driver;

mod support;

mod checkouts;
mod checks;
mod load;
mod observation;
mod reports;
mod runs;
mod rust_src;
mod toolchains;
mod workflow;
