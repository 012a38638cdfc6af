//! The chapter 16 teaching suite as a library, shared by the test harness
//! (`tests/ui.rs`) and the maintainers' tool (`xtask/`). By concern:
//!
//! * [`model`]: a fixture (one listing under `ui/<group>/`, its `//!` header,
//!   its `//~` annotations) and its expectation files, found in reading order;
//! * [`observe`]: the observation boundary, everything the suite assumes
//!   about trybuild and cargo's hooks. trybuild is the only thing that
//!   compiles and runs fixtures; the observer it runs as rustc wrapper and
//!   runner records what each compile and run said, and the boundary hands
//!   the rest one observation per fixture;
//! * [`check`]: the checks, each a unit, and the typed report of a run, which
//!   `tests/ui.rs` judges and `cargo xtask` reads back as JSON;
//! * [`emit`]: the report rendered, for a terminal or for GitHub Actions;
//! * [`bless`]: writing expectations, all or nothing;
//! * [`catalogue`]: the readers' pages and the companion site;
//! * [`host`]: the machine: compiler, sysroot, checkout, stopping on Ctrl-C.
//!
//! [`harness`] runs the suite once on one compiler: observe, then check.
//! Below everything sit the leaves: [`error`], `layout` (the names and
//! places of a checkout) and `version` (a compiler version as expectations
//! are keyed by).
//!
//! trybuild compiles fixtures in a project that depends on this crate and on
//! all of its dependencies, with `--cfg trybuild`. Fixtures use none of them,
//! so under that cfg the crate is empty and its dependencies are left out
//! (`Cargo.toml`): the suite's first run does not build them twice more.

#![cfg(not(trybuild))]
#![deny(missing_docs)]

pub mod bless;
pub mod catalogue;
pub mod check;
pub mod command;
pub mod diff;
pub mod emit;
pub mod error;
pub mod harness;
pub mod host;
pub(crate) mod layout;
pub mod model;
pub mod observe;
pub mod protocol;
pub(crate) mod version;

pub use error::{Error, Result};
pub use model::fixture::Fixture;
pub use model::suite::Suite;
