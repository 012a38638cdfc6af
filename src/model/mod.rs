//! The model: a fixture and its expectations, as the checkout holds them.
//!
//! A fixture ([`fixture`]) is one listing under `ui/<dir>/`, with a `//!`
//! header ([`header`], whose run-output promises are [`output`]) and inline
//! `//~` annotations ([`annotation`]), and expectation files beside it keyed
//! by compiler version ([`expect`]). [`suite`] finds them all in reading
//! order and checks the rules that tie them together; [`chapter`] is the
//! table of the chapter's sections. Nothing here runs a compiler.

pub mod annotation;
pub mod chapter;
pub mod expect;
pub mod fixture;
pub mod header;
pub mod output;
pub mod suite;
