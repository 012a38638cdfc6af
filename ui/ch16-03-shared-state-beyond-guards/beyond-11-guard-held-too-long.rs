//! listing: beyond-11-guard-held-too-long
//! caption: Holding a guard across a second lock in the same thread
//! teaches: A guard in a variable holds its lock until it is dropped, so locking again in the same thread cannot succeed.
//! section: 16.3 The API of Mutex<T>
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#the-api-of-mutext
//! origin: beyond
//! expect: run
//! output: exact
//!
//! A guard holds the lock for as long as it lives. Bound by `let mut guard = m.lock().unwrap();`
//! it lives to the end of the block. A temporary guard inside a `let` statement dies with that
//! statement (`let x = *m.lock().unwrap();` unlocks at once), unless the `let` keeps a reference
//! to it (`let g = &m.lock().unwrap();` lives to the block's end). One in the scrutinee of a
//! `match`, `if let` or `while let` lives through the body (beyond-21). Locking again in the
//! same thread while `guard` lives never returns (std's `Mutex` is not re-entrant: it may
//! deadlock or panic), so this program only tries, sees `WouldBlock`, and shows the fix:
//! `drop(guard)` before locking again.

use std::sync::{Mutex, TryLockError};

fn main() {
    let m = Mutex::new(5);

    // The temporary guard is dropped at the end of the statement.
    let x = *m.lock().unwrap();
    println!("copied {x} out; locked now: {}", m.try_lock().is_err());

    let mut guard = m.lock().unwrap();
    *guard += 1;
    // `m.lock()` here would never return: it may deadlock or panic.
    match m.try_lock() {
        Err(TryLockError::WouldBlock) => println!("second lock while the guard is alive: WouldBlock"),
        other => println!("unexpected: {:?}", other.map(|g| *g)),
    }

    drop(guard);
    let again = m.lock().unwrap();
    println!("after drop(guard) the lock is free again: {}", *again);
}
