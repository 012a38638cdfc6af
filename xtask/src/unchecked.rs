//! The compilers of the record (`ui/toolchains.txt`) a `check` ran none
//! of: their expectations went unchecked, which `check` says before its
//! verdict.

use crate::flags::Run;
use ch16_ui::host::toolchain::{self, Rustc};
use ch16_ui::model::suite::Suite;
use ch16_ui::names::{RECORD, Version};

/// Each version of `suite`'s record that none of the compilers that `ran`
/// has, a line `UNCHECKED …` with how to check it; empty when every one ran.
pub fn lines(suite: &Suite, run: &Run, ran: &[Rustc]) -> String {
    let has = |compilers: &[Rustc], v: Version| compilers.iter().find(|c| c.version == v).cloned();
    let unchecked = suite.record.iter().filter(|v| has(ran, **v).is_none());
    let unchecked: Vec<Version> = unchecked.copied().collect();
    // Named compilers: another installed one may have the version.
    let named = !run.toolchains.is_empty() || !run.rustcs.is_empty();
    let installed = match named && !unchecked.is_empty() {
        true => toolchain::select(&[], &[]).map_or_else(|_| Vec::new(), |s| s.compilers),
        false => Vec::new(),
    };
    let mut out = String::new();
    for v in unchecked {
        let how = match has(&installed, v) {
            Some(c) => format!("run `cargo xtask check{}`", c.selector()),
            None => format!(
                "install a toolchain of {v} (`rustup toolchain install {v}`, or the beta or \
                 nightly of that version) and run `cargo xtask check` again"
            ),
        };
        out += &format!(
            "UNCHECKED rustc {v} (listed in {RECORD}): no compiler of that version ran, so the \
             expectations for it were not compared; to check them, {how}\n"
        );
    }
    out
}
