//! The machine the suite runs on: which compiler ([`toolchain`]) and its
//! sysroot ([`sysroot`]), which checkout ([`checkout`]), stopping a run and
//! all it started ([`stop`]), and writing files whole ([`fsutil`]).

pub mod checkout;
pub mod fsutil;
pub mod stop;
pub mod sysroot;
pub mod toolchain;
