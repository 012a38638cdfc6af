//! Bad input and faults on scratch fixture trees, the exact outcome
//! asserted; one module per concern. Most cases drive the real observer
//! through a fake trybuild (`support::Fake`), quickly; the few about how
//! trybuild, cargo and the commands behave run them for real, sparingly.

#[path = "../support/trybuild.rs"]
mod driver;

mod support;

mod blessing;
mod checkouts;
mod checks;
mod hangs;
mod limits;
mod load;
mod observation;
mod reports;
mod runs;
mod rust_src;
mod toolchains;
mod tree;
mod workflow;
