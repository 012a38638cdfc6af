//! listing: beyond-06-unsynchronized-counter
//! caption: A counter shared without synchronisation is rejected
//! teaches: Safe Rust rejects an unsynchronised shared counter: a `static mut` needs `unsafe`, and a `static` `Cell` is not `Sync`.
//! section: 16.3 Atomic Reference Counting with Arc<T>
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#atomic-reference-counting-with-arct
//! origin: beyond
//! expect: compile-fail E0133 E0277
//! fixed-by: beyond-05-atomic-counter
//!
//! Two ways to share a plain counter between threads, both refused by
//! safe Rust: writing a `static mut` is E0133 (only `unsafe` code may, since nothing
//! stops a data race), and a `static` `Cell` is E0277 because `Cell` is not `Sync`.
//! The atomic counter in 05 is the safe version.

use std::cell::Cell;
use std::thread;

static mut COUNTER: u32 = 0;
static CELL_COUNTER: Cell<u32> = Cell::new(0); //~ ERROR E0277

fn main() {
    let handles: Vec<_> = (0..10)
        .map(|_| {
            thread::spawn(|| {
                COUNTER += 1; //~ ERROR E0133
                CELL_COUNTER.set(CELL_COUNTER.get() + 1);
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
}
