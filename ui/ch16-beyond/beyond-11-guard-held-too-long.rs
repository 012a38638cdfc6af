//! listing: beyond-11-guard-held-too-long
//! caption: Holding a guard across a second lock in the same thread
//! teaches: A guard kept in a variable holds its lock until it is dropped, so locking again in the same thread cannot succeed.
//! section: 16.3 The API of Mutex<T>
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#the-api-of-mutext
//! origin: beyond
//! expect: run
//! output: exact
//!
//! A guard lives until the end of its scope, or of the statement for a
//! temporary: `let x = *m.lock().unwrap();` unlocks at once, `let g = m.lock().unwrap();`
//! keeps the lock. Locking again in the same thread while `g` lives would deadlock or
//! panic (std's `Mutex` is not re-entrant, and leaves which one unspecified), so this
//! program only tries, sees `WouldBlock`, and shows the fix: `drop(g)` before locking.

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
