//! A fixture and its expectations, as the checkout holds them; nothing here
//! runs a compiler.

pub mod annotation;
pub mod chapter;
pub mod expect;
pub mod fixture;
pub mod header;
pub mod output;
pub mod suite;
