//! The model of the chapter 16 teaching suite, shared by the test harness
//! (`tests/ui.rs`) and the maintainers' tool (`xtask/`).
//!
//! A *fixture* is one listing under `ui/<group>/`, with a `//!` header
//! ([`header`]), inline expected diagnostics ([`annotation`]) and expectation
//! files beside it ([`expect`]). [`suite`] finds them all in reading order;
//! [`stage`] prepares them for trybuild, the only thing that compiles and
//! runs them, and [`schedule`] shares the runnable ones among trybuild's
//! background batches. The [`observer`], which trybuild's cargo runs as
//! rustc wrapper and runner, leaves a [`record`] of every compile and run;
//! [`check`] judges what they say, while trybuild compares the full
//! diagnostics text. [`harness`] puts it together into one typed
//! [`report`], which `tests/ui.rs` judges and `cargo xtask` reads back as
//! JSON. [`checkout`] says which checkout is running, [`stop`] stops a run
//! and all it started on Ctrl-C.
//!
//! trybuild compiles fixtures in a project that depends on this crate and on
//! all of its dependencies, with `--cfg trybuild`. Fixtures use none of them,
//! so under that cfg the crate is empty and its dependencies are left out
//! (`Cargo.toml`): the suite's first run does not build them twice more.

#![cfg(not(trybuild))]
#![deny(missing_docs)]

pub mod annotation;
pub mod catalogue;
pub mod check;
pub mod checkout;
pub mod command;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod error;
pub mod expect;
pub mod fixture;
pub mod fsutil;
pub mod harness;
pub mod header;
pub mod journal;
pub mod layout;
pub mod observe;
pub mod output;
pub mod plan;
pub mod problem;
pub mod protocol;
pub mod report;
pub mod section;
pub mod stop;
pub mod suggestion;
pub mod suite;
pub mod sysroot;
pub mod toolchain;
pub mod version;

pub use error::{Error, Result};
pub use fixture::Fixture;
pub use suite::Suite;
