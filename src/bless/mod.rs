//! Writing expectations: from what each toolchain observed to the files the
//! tree should hold ([`plan`]), and updating them all or nothing
//! ([`journal`]). `cargo xtask bless` drives it; `cargo test` only asks the
//! journal whether an update is unfinished.

pub mod journal;
pub mod plan;
