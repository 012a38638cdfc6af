//! Writing expectations: the files the tree should hold ([`plan`]), updated
//! all or nothing ([`journal`]).

pub mod journal;
pub mod plan;
