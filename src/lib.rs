//! The chapter 16 teaching suite as a library, shared by the test harness
//! (`tests/ui.rs`) and the maintainers' tool (`xtask/`). By concern:
//!
//! * [`model`]: a fixture (a listing under `ui/<dir>/`, its `//!` header and
//!   `//~` annotations), its expectation files, and the chapter's table;
//! * [`observe`]: all the suite assumes about trybuild and cargo's hooks,
//!   giving the rest one observation per fixture;
//! * [`check`]: the checks, and the typed report of a run;
//! * [`emit`]: the report put into words, for a terminal or GitHub Actions;
//! * [`bless`]: writing expectations, all or nothing;
//! * [`catalogue`]: the readers' pages and the companion site;
//! * [`host`]: the machine: compiler, sysroot, checkout, stopping on Ctrl-C.
//!
//! [`harness`] runs the suite once on one compiler: observe, then check.
//! Below everything sit the leaves: [`names`], [`problem`], [`error`] and
//! [`diff`].
//!
//! Under trybuild's `--cfg trybuild` the crate is empty and its
//! dependencies left out (`Cargo.toml`), so fixtures do not build them.

#![cfg(not(trybuild))]
#![deny(missing_docs)]
#![warn(unreachable_pub)]
// A problem is data handed on once, by value: boxing it would buy nothing.
#![allow(clippy::result_large_err)]

pub mod bless;
pub mod catalogue;
pub mod check;
pub mod diff;
pub mod emit;
pub mod error;
pub mod harness;
pub mod host;
pub mod model;
pub mod names;
pub mod observe;
pub mod problem;
