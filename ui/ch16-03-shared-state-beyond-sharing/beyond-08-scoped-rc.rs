//! listing: beyond-08-scoped-rc
//! caption: `Rc` inside a scoped thread is still not thread-safe
//! teaches: Scoped threads lift the `'static` requirement, not thread safety: an `Rc` still cannot be shared between threads.
//! section: 16.3 Multiple Ownership with Multiple Threads
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#multiple-ownership-with-multiple-threads
//! origin: beyond
//! expect: compile-fail E0277
//! fixed-by: beyond-07-scoped-threads
//!
//! Scoped threads lift the `'static` requirement, not the thread-safety
//! one: the closure borrows the `Rc`, so `&Rc<i32>` must be `Send`, which needs `Rc` to be
//! `Sync`, and it is not (its count is not atomic). E0277, as in 16-14; borrowing plain
//! data or a `Mutex` (07) works.

use std::rc::Rc;
use std::thread;

fn main() {
    let shared = Rc::new(5);

    thread::scope(|s| {
        s.spawn(|| { //~ ERROR E0277
            println!("{}", *shared);
        });
    });
}
