//! The model of the chapter 16 teaching suite, shared by the test harness
//! (`tests/ui.rs`) and the maintainers' tool (`xtask/`).
//!
//! A *fixture* is one listing under `ui/<group>/`, with a `//!` header
//! ([`header`]), inline expected diagnostics ([`annotation`]) and expectation
//! files beside it ([`expect`]). [`suite`] finds them all in reading order;
//! [`run`] builds and runs them with bare `rustc` (reusing unchanged builds,
//! [`cache`]); [`check`] judges what it saw; [`stage`] prepares them for
//! trybuild, which compares the full diagnostics text; [`schedule`] shares
//! the runnable ones among trybuild's background shards.
//!
//! trybuild compiles fixtures in a project that depends on this crate and on
//! all of its dependencies, with `--cfg trybuild`. Fixtures use none of them,
//! so under that cfg the crate is empty and its dependencies are left out
//! (`Cargo.toml`): the suite's first run does not build them twice more.

#![cfg(not(trybuild))]

pub mod annotation;
pub mod cache;
pub mod catalogue;
pub mod check;
pub mod collect;
pub mod diagnostics;
pub mod diff;
pub mod error;
pub mod expect;
pub mod fixture;
pub mod harness;
pub mod header;
pub mod journal;
pub mod output;
pub mod run;
pub mod schedule;
pub mod stage;
pub mod suite;
pub mod toolchain;

pub use error::{Error, Result};
pub use fixture::Fixture;
pub use suite::Suite;
