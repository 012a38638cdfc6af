//! listing: beyond-20-mutex-sync-needs-send
//! caption: `Mutex<T>` is `Sync` only when `T` is `Send`: `Arc<Mutex<Rc<i32>>>` stays put
//! teaches: `Mutex<T>` is `Sync` only when `T` is `Send`, so a mutex cannot make an `Rc` shareable between threads.
//! section: 16.4 Accessing from Multiple Threads
//! url: https://doc.rust-lang.org/book/ch16-04-extensible-concurrency-sync-and-send.html#accessing-from-multiple-threads
//! origin: beyond
//! expect: compile-fail E0277
//! fixed-by: listing-16-15
//!
//! A mutex lets one thread at a time reach its value, which may then be moved out or
//! dropped on that thread: so `Mutex<T>` is `Sync` only when `T` is `Send`. `Rc<i32>` is
//! not `Send`, so wrapping it in a `Mutex` and an `Arc` does not make it shareable,
//! and the spawn is E0277. 16-15 keeps a plain `i32` in the mutex.

use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let shared = Arc::new(Mutex::new(Rc::new(0)));
    let copy = Arc::clone(&shared);
    let handle = thread::spawn(move || { //~ ERROR E0277
        let n = copy.lock().unwrap();
        println!("{n}");
    });
    handle.join().unwrap();
}
