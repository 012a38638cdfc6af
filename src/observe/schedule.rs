//! Sharing the runnable fixtures among pass shards: trybuild runs a batch's
//! programs one after another, and most sleep, so a shard takes their sum.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::time::Duration;

/// Assumed for a program never run here before.
const UNKNOWN: Duration = Duration::from_millis(500);
/// What trybuild spends on a fixture besides running it, even when fresh.
const OVERHEAD: Duration = Duration::from_millis(250);

/// The last run time of each runnable fixture (by `ui/…` path) at `file`.
pub(super) fn load(file: &Path) -> BTreeMap<String, Duration> {
    let text = fs::read_to_string(file).unwrap_or_default();
    let entry = |line: &str| {
        let (path, millis) = line.split_once('\t')?;
        // Beyond an hour is no run time this file recorded.
        let millis: u64 = millis.parse().ok().filter(|&m| m <= 3_600_000)?;
        Some((path.to_string(), Duration::from_millis(millis)))
    };
    text.lines().filter_map(entry).collect()
}

/// Record run times at `file` (others kept), but not one within a factor of two
/// of the last: moved between shards, a fixture is rebuilt.
pub(super) fn save(file: &Path, runs: &[(String, Duration)]) {
    let mut all = load(file);
    for (path, elapsed) in runs {
        let close = |old: &Duration| *elapsed <= *old * 2 && *elapsed * 2 >= *old;
        if !all.get(path).is_some_and(close) {
            all.insert(path.clone(), *elapsed);
        }
    }
    let line = |(path, d): (&String, &Duration)| format!("{path}\t{}\n", d.as_millis());
    let text: String = all.iter().map(line).collect();
    // Only a hint for the next run: a failed write costs nothing more.
    let _ = crate::host::write_atomic(file, &text);
}

/// How many shards `items` may use on `cores` cores (a first run builds in each).
pub(super) fn shard_limit<T>(items: &[(T, Option<Duration>)], cores: usize) -> usize {
    match items.iter().any(|(_, last)| last.is_some()) {
        true => (cores * 4).clamp(4, 8),
        false => cores.clamp(2, 4),
    }
}

/// Split `items` into at most `max_shards`, as few as keep each near the costliest,
/// costliest first to the least loaded; costs in whole seconds, so that jitter
/// moves nothing (trybuild rebuilds a moved program). Shards keep the given order.
pub(super) fn plan<T: Clone>(items: &[(T, Option<Duration>)], max_shards: usize) -> Vec<Vec<T>> {
    let cost = |i: usize| {
        let millis = items[i].1.unwrap_or(UNKNOWN).as_millis() as u64;
        Duration::from_secs((millis + 500) / 1000) + OVERHEAD
    };
    // Longest first; ties keep the given order (the sort is stable).
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(cost(i)));
    let total: Duration = order.iter().map(|&i| cost(i)).sum();
    let longest = order.first().map_or(OVERHEAD, |&i| cost(i));
    let needed = total.as_nanos().div_ceil(longest.as_nanos()) as usize;
    let count = needed.clamp(1, max_shards.max(1)).min(items.len());
    let mut shards = vec![(Duration::ZERO, BTreeSet::new()); count];
    for i in order {
        let least = shards.iter_mut().min_by_key(|(load, _)| *load);
        let (load, members) = least.expect("an item means a shard");
        *load += cost(i);
        members.insert(i);
    }
    let members =
        |(_, m): (Duration, BTreeSet<usize>)| m.into_iter().map(|i| items[i].0.clone()).collect();
    shards.into_iter().map(members).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_programs_get_shards_of_their_own_and_jitter_and_filters_move_nothing() {
        // Two four-second programs side by side, as 16-10 and 16-11 are.
        let items = |k: f64| -> Vec<(char, Option<Duration>)> {
            let secs = [0.1, 4.0, 4.2, 0.1, 1.0].map(|s| Some(Duration::from_secs_f64(s * k)));
            "abcde".chars().zip(secs).collect()
        };
        let (steady, jittered) = (items(1.0), items(1.04));
        let shards = [vec!['b'], vec!['c'], vec!['a', 'd', 'e']];
        assert_eq!(plan(&steady, 4), shards);
        assert_eq!(plan(&jittered, 4), plan(&steady, 4));
        let unknown: Vec<(usize, Option<Duration>)> = (0..10).map(|i| (i, None)).collect();
        let sizes: Vec<usize> = plan(&unknown, 4).iter().map(Vec::len).collect();
        assert_eq!(sizes, [3, 3, 2, 2]);
        assert_eq!(shard_limit(&unknown, 2), 2);
        assert_eq!(shard_limit(&steady, 2), 8);
        // Run times survive a filtered run and jitter.
        let file = std::env::temp_dir().join(format!("ch16-schedule-{}", std::process::id()));
        for (path, ms) in [("a", 4000), ("b", 120), ("a", 5500), ("b", 900)] {
            save(&file, &[(path.into(), Duration::from_millis(ms))]);
        }
        let known: Vec<_> = load(&file).into_values().map(|d| d.as_millis()).collect();
        let _ = fs::remove_file(&file);
        assert_eq!(known, [4000, 900]);
    }
}
