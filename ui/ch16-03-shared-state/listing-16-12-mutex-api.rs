//! listing: listing-16-12
//! caption: Using a `Mutex<T>` from a single thread
//! teaches: A `Mutex`'s data is reached through the guard in the `LockResult` that `lock` returns; dropping it unlocks.
//! section: 16.3 The API of Mutex<T>
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#the-api-of-mutext
//! expect: run
//! output: exact
//!
//! `m` gives no direct access to its `i32`: `lock` returns a `LockResult`, and `unwrap`
//! takes out the `MutexGuard` that derefs to the data (or panics if the mutex is poisoned).
//! `get_mut` and `into_inner` skip the lock, but they need `m` to themselves, so threads
//! that share a `Mutex` reach its data only by locking it. The guard unlocks when it goes
//! out of scope at the inner block's end, so printing the mutex afterwards shows 6. The
//! `Debug` text is the standard library's own and may change between Rust versions.

use std::sync::Mutex;

fn main() {
    let m = Mutex::new(5);

    {
        let mut num = m.lock().unwrap();
        *num = 6;
    }

    println!("m = {m:?}");
}
