//! listing: beyond-02-lock-order
//! caption: Avoiding the deadlock: every thread takes the locks in one global order
//! section: 16.3 Comparing RefCell<T>/Rc<T> and Mutex<T>/Arc<T> (deadlocks)
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#comparing-refcelltrct-and-mutextarct
//! origin: beyond
//! expect: run
//! output: exact
//!
//! The classic mitigation: agree on one order for all locks (here,
//! account `a` before account `b`) whatever direction the work goes. A cycle of waiting
//! threads can then never form. Two threads move money both ways 1000 times each; the
//! total is conserved, and the program always finishes.

use std::sync::{Arc, Mutex};
use std::thread;

/// Move `amount` from one account to the other. Both locks are always taken
/// in the same order, `a` then `b`, whichever way the money goes.
fn transfer(a: &Mutex<i64>, b: &Mutex<i64>, a_to_b: bool, amount: i64) {
    let mut a = a.lock().unwrap();
    let mut b = b.lock().unwrap();
    if a_to_b {
        *a -= amount;
        *b += amount;
    } else {
        *b -= amount;
        *a += amount;
    }
}

fn main() {
    let a = Arc::new(Mutex::new(500));
    let b = Arc::new(Mutex::new(500));
    let handles: Vec<_> = [true, false]
        .into_iter()
        .map(|a_to_b| {
            let (a, b) = (Arc::clone(&a), Arc::clone(&b));
            thread::spawn(move || {
                for _ in 0..1000 {
                    transfer(&a, &b, a_to_b, 3);
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    let (a, b) = (*a.lock().unwrap(), *b.lock().unwrap());
    println!("a = {a}, b = {b}, total = {}", a + b);
}
