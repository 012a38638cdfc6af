//! listing: listing-16-12
//! caption: Using a `Mutex<T>` from a single thread
//! teaches: The data in a `Mutex` is reached through the guard that `lock` returns, and dropping the guard unlocks it.
//! section: 16.3 The API of Mutex<T>
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#the-api-of-mutext
//! expect: run
//! output: exact
//!
//! `m` gives no direct access to its `i32`: `lock` returns a `MutexGuard` that derefs to
//! the data (`get_mut` and `into_inner` skip the lock, but they need `m` to themselves, so
//! a `Mutex` shared between threads is always locked). The guard unlocks when it goes out of
//! scope at the inner block's end, so printing the mutex afterwards shows 6. The `Debug`
//! text is the standard library's own and has changed across versions: a keyed `.stdout`
//! would record such a change.

use std::sync::Mutex;

fn main() {
    let m = Mutex::new(5);

    {
        let mut num = m.lock().unwrap();
        *num = 6;
    }

    println!("m = {m:?}");
}
