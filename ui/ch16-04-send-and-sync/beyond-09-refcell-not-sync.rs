//! listing: beyond-09-refcell-not-sync
//! caption: `Arc<RefCell<i32>>` cannot cross threads
//! teaches: `Arc<RefCell<T>>` cannot cross threads because `RefCell` is not `Sync`; a `Mutex` can take its place.
//! section: 16.4 Accessing from Multiple Threads
//! url: https://doc.rust-lang.org/book/ch16-04-extensible-concurrency-sync-and-send.html#accessing-from-multiple-threads
//! origin: beyond
//! expect: compile-fail E0277
//! fixed-by: listing-16-15
//!
//! Swapping `Rc` for `Arc` is not enough when the inside is a
//! `RefCell`: `Arc<T>` is only `Send` when `T` is `Send` and `Sync`, and `RefCell`'s
//! borrow flag is not thread-safe, so it is not `Sync`. E0277 names `Sync`. `Mutex` is
//! the thread-safe counterpart of `RefCell`, as in 16-15. An `RwLock` would do only for a
//! `T` that is `Send` and `Sync`: it lets several threads read `&T` at once (beyond-15).

use std::cell::RefCell;
use std::sync::Arc;
use std::thread;

fn main() {
    let counter = Arc::new(RefCell::new(0));
    let c = Arc::clone(&counter);

    let handle = thread::spawn(move || { //~ ERROR E0277
        *c.borrow_mut() += 1;
    });

    handle.join().unwrap();
    println!("Result: {}", counter.borrow());
}
