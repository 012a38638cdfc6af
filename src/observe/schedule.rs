//! Sharing the runnable fixtures among trybuild's pass shards.
//!
//! trybuild builds and runs a batch's fixtures one after another, and most of
//! the chapter's programs sleep (16-10 and 16-11 for about four seconds), so
//! a shard's time is the sum of its programs' run times. Each shard is given
//! fixtures longest first to the least loaded one, using how long each
//! program ran the last time (kept per compiler in a small file), and there
//! are as many shards as it takes for no shard to wait much longer than the
//! longest program, within a bound.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::Duration;

/// Assumed for a program never run here before.
const UNKNOWN: Duration = Duration::from_millis(500);
/// What trybuild spends on a fixture besides running it, even when its build
/// is fresh (`cargo clean`, `cargo build`, `cargo run`).
const OVERHEAD: Duration = Duration::from_millis(250);

/// The last run time of each runnable fixture (by `ui/…` path), as
/// [`save`] left it at `file`; empty if there is none or it is unreadable
/// (it is only a hint).
pub(super) fn load(file: &Path) -> HashMap<String, Duration> {
    fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| {
            let (path, millis) = line.split_once('\t')?;
            // Anything beyond an hour is not a run time this file recorded.
            let millis: u64 = millis.parse().ok().filter(|&m| m <= 3_600_000)?;
            Some((path.to_string(), Duration::from_millis(millis)))
        })
        .collect()
}

/// Record run times at `file`, keeping the entries of fixtures that did not
/// run this time (a filtered run must not forget the others). A run time
/// within a factor of two of the recorded one keeps the record: programs run
/// slower while the machine is busy, and a plan that moved fixtures between
/// shards would make trybuild rebuild them.
pub(super) fn save(file: &Path, runs: &[(String, Duration)]) {
    let mut all = load(file);
    for (path, elapsed) in runs {
        let close = |old: &Duration| *elapsed <= *old * 2 && *elapsed * 2 >= *old;
        if !all.get(path).is_some_and(close) {
            all.insert(path.clone(), *elapsed);
        }
    }
    let mut lines: Vec<_> = all.into_iter().collect();
    lines.sort();
    let mut text = String::new();
    for (path, elapsed) in lines {
        let _ = writeln!(text, "{path}\t{}", elapsed.as_millis());
    }
    // Only a hint for the next run: a failed write costs nothing more.
    let _ = crate::host::write_atomic(file, &text);
}

/// How many shards `items` may use on `cores` cores. Programs mostly sleep,
/// so shards may outnumber cores once run times are known; on a first run
/// each shard builds its trybuild directory from nothing, and more than one
/// per core only adds work (measured: 8.2 s for two on two cores, 9.5 s for
/// four).
pub(super) fn shard_limit<T>(items: &[(T, Option<Duration>)], cores: usize) -> usize {
    if items.iter().any(|(_, last)| last.is_some()) {
        (cores * 4).clamp(4, 8)
    } else {
        cores.clamp(2, 4)
    }
}

/// Split `items` (each with its expected run time, `None` if unknown) into
/// at most `max_shards` shards: as few as keep the busiest shard near the
/// costliest single item, filled costliest first, each item to the shard
/// with the least work so far. An item costs its run time rounded to whole
/// seconds plus trybuild's overhead: the rounding keeps the split the same
/// from one run to the next despite jitter, which matters because trybuild
/// names a shard's programs by position and rebuilds any whose source moved.
/// Shards are never empty and keep the given order within.
pub(super) fn plan<T: Clone>(items: &[(T, Option<Duration>)], max_shards: usize) -> Vec<Vec<T>> {
    if items.is_empty() {
        return Vec::new();
    }
    let cost = |d: Option<Duration>| {
        let millis = d.unwrap_or(UNKNOWN).as_millis() as u64;
        Duration::from_secs((millis + 500) / 1000) + OVERHEAD
    };
    let mut sorted: Vec<(usize, Duration)> = items
        .iter()
        .enumerate()
        .map(|(i, (_, d))| (i, cost(*d)))
        .collect();
    // Longest first; ties keep the given order.
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let total: Duration = sorted.iter().map(|s| s.1).sum();
    let longest = sorted[0].1.max(Duration::from_millis(1));
    let needed = total.as_nanos().div_ceil(longest.as_nanos()) as usize;
    let shards = needed.clamp(1, max_shards.max(1)).min(items.len());
    let mut load = vec![Duration::ZERO; shards];
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); shards];
    for (i, d) in sorted {
        let target = (0..shards)
            .min_by_key(|&s| (load[s], s))
            .expect("shards > 0");
        load[target] += d;
        members[target].push(i);
    }
    members
        .into_iter()
        .map(|mut m| {
            m.sort_unstable();
            m.into_iter().map(|i| items[i].0.clone()).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: f64) -> Option<Duration> {
        Some(Duration::from_secs_f64(s))
    }

    #[test]
    fn long_programs_go_to_shards_of_their_own_and_jitter_moves_nothing() {
        // Two four-second programs side by side, as 16-10 and 16-11 are.
        let items = [
            ("a", secs(0.1)),
            ("b", secs(4.0)),
            ("c", secs(4.2)),
            ("d", secs(0.1)),
            ("e", secs(1.0)),
        ];
        assert_eq!(plan(&items, 4), [vec!["b"], vec!["c"], vec!["a", "d", "e"]]);
        let jittered = items.map(|(n, d)| (n, d.map(|d| d.mul_f64(1.04))));
        assert_eq!(plan(&jittered, 4), plan(&items, 4));
        let unknown: Vec<(usize, Option<Duration>)> = (0..10).map(|i| (i, None)).collect();
        assert_eq!(
            plan(&unknown, 4).iter().map(Vec::len).collect::<Vec<_>>(),
            [3, 3, 2, 2]
        );
        assert_eq!((shard_limit(&unknown, 2), shard_limit(&items, 2)), (2, 8));
    }

    #[test]
    fn run_times_survive_a_filtered_run_and_jitter() {
        let file = std::env::temp_dir().join(format!("ch16-schedule-{}", std::process::id()));
        save(&file, &[("ui/a.rs".into(), Duration::from_millis(4000))]);
        save(&file, &[("ui/b.rs".into(), Duration::from_millis(120))]);
        save(&file, &[("ui/a.rs".into(), Duration::from_millis(5500))]);
        save(&file, &[("ui/b.rs".into(), Duration::from_millis(900))]);
        let known = load(&file);
        let _ = fs::remove_file(&file);
        assert_eq!(
            (known["ui/a.rs"], known["ui/b.rs"]),
            (Duration::from_millis(4000), Duration::from_millis(900))
        );
    }
}
