//! The chapter 16 teaching suite as a library, shared by `tests/ui.rs` and
//! `xtask/`; ARCHITECTURE.md maps its modules. Under trybuild's `--cfg
//! trybuild` the crate is empty, so fixtures do not build its dependencies.

#![cfg(not(trybuild))]
#![deny(missing_docs)]
#![warn(unreachable_pub)]
// A problem is data handed on once, by value: boxing it would buy nothing.
#![allow(clippy::result_large_err)]

pub mod bless;
pub mod catalogue;
pub mod check;
pub mod cut;
pub mod diff;
pub mod emit;
pub mod error;
pub mod harness;
pub mod host;
pub mod model;
pub mod names;
pub mod observe;
pub mod problem;
