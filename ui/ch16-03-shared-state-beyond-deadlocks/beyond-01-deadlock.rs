//! listing: beyond-01-deadlock
//! caption: Two threads lock two mutexes in opposite orders, and both wait forever
//! teaches: Two threads that take two locks in opposite orders can each wait forever for the lock the other holds.
//! section: 16.3 Comparing RefCell<T>/Rc<T> and Mutex<T>/Arc<T> (deadlocks)
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#comparing-refcelltrct-and-mutextarct
//! origin: beyond
//! expect: hang
//! improved-by: beyond-02-lock-order
//! output: exact
//! timeout: 3s
//!
//! The deadlock the chapter invites readers to write. `main` locks `a`, the other thread
//! locks `b`, and the `Barrier` lets neither go on until both hold their first lock; then
//! each asks for the lock the other holds. Neither `lock` call can return, so the program
//! never ends, and the compiler cannot tell: a deadlock is a logic error, not a type error.
//! Without the `Barrier` it would deadlock only on some runs. beyond-02 and beyond-03 show
//! two standard ways out.

use std::sync::{Arc, Barrier, Mutex};
use std::thread;

fn main() {
    let a = Arc::new(Mutex::new("a"));
    let b = Arc::new(Mutex::new("b"));
    // Both sides reach it only while holding their first lock.
    let both_hold_one = Arc::new(Barrier::new(2));

    let (a2, b2, both2) = (Arc::clone(&a), Arc::clone(&b), Arc::clone(&both_hold_one));
    let other = thread::spawn(move || {
        let _b = b2.lock().unwrap();
        both2.wait();
        let _a = a2.lock().unwrap(); // waits for `main` to release `a`
    });

    let _a = a.lock().unwrap();
    both_hold_one.wait();
    println!("main holds a and asks for b; the other thread holds b and asks for a");
    let _b = b.lock().unwrap(); // waits for the other thread to release `b`
    other.join().unwrap();
    println!("never printed: each thread waits for the other");
}
