//! listing: beyond-10-guard-not-send
//! caption: A `MutexGuard` cannot be moved into another thread
//! teaches: A `MutexGuard` is not `Send`: the lock must be released by the thread that took it.
//! section: 16.3 The API of Mutex<T>
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#the-api-of-mutext
//! origin: beyond
//! expect: compile-fail E0277
//! fixed-by: listing-16-15
//!
//! The guard returned by `lock` must be released by the thread that
//! took the lock (some platforms require it), so `MutexGuard` is not `Send`, and handing
//! it to `spawn` is E0277 even for a `static` mutex. The fix is to lock inside the thread,
//! as 16-15 does.

use std::sync::Mutex;
use std::thread;

static COUNTER: Mutex<i32> = Mutex::new(0);

fn main() {
    let mut guard = COUNTER.lock().unwrap();

    let handle = thread::spawn(move || { //~ ERROR E0277
        *guard += 1;
    });

    handle.join().unwrap();
}
