//! The model: a fixture and its expectations, as the checkout holds them.
//!
//! A fixture is one listing under `ui/<group>/` ([`fixture`]), with a `//!`
//! header ([`header`], whose run-output promises are `output`), inline
//! expected diagnostics (`annotation`), which the compiler's
//! `diagnostics` are reduced to for comparison, and expectation files
//! beside it, keyed by compiler version ([`expect`]). [`suite`] finds them
//! all in reading order and checks the rules that tie them together;
//! [`section`] is the chapter's table of sections. Nothing here runs a
//! compiler.

pub(crate) mod annotation;
pub(crate) mod diagnostics;
pub mod expect;
pub mod fixture;
pub mod header;
pub(crate) mod output;
pub mod section;
pub mod suite;
