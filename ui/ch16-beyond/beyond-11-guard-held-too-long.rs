//! listing: beyond-11-guard-held-too-long
//! caption: Holding a guard across a second lock in the same thread
//! teaches: A guard in a variable holds its lock until it is dropped, so locking again in the same thread cannot succeed.
//! section: 16.3 The API of Mutex<T>
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#the-api-of-mutext
//! origin: beyond
//! expect: run
//! output: exact
//!
//! A guard holds the lock for as long as it lives. Bound by `let g = m.lock().unwrap();`
//! it lives to the end of the block. A temporary guard inside a `let` statement dies with
//! that statement (`let x = *m.lock().unwrap();` unlocks at once), but one in the scrutinee
//! of a `match`, `if let` or `while let` lives through the whole body (edition 2024 drops
//! an `if let`'s before its `else`), which beyond-21 shows. Locking again in the same thread
//! while `g` lives would deadlock or panic (std's `Mutex` is not re-entrant, and leaves
//! which one unspecified), so this program only tries, sees `WouldBlock`, and shows the
//! fix: `drop(g)` before locking again.

use std::sync::{Mutex, TryLockError};

fn main() {
    let m = Mutex::new(5);

    // The temporary guard is dropped at the end of the statement.
    let x = *m.lock().unwrap();
    println!("copied {x} out; locked now: {}", m.try_lock().is_err());

    let mut guard = m.lock().unwrap();
    *guard += 1;
    // `m.lock()` here would deadlock or panic: std does not say which.
    match m.try_lock() {
        Err(TryLockError::WouldBlock) => println!("second lock while the guard is alive: WouldBlock"),
        other => println!("unexpected: {:?}", other.map(|g| *g)),
    }

    drop(guard);
    let again = m.lock().unwrap();
    println!("after drop(guard) the lock is free again: {}", *again);
}
