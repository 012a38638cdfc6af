//! listing: beyond-01-deadlock
//! caption: Two threads take two mutexes in opposite order and deadlock
//! teaches: Two threads that take two locks in opposite orders can each wait forever for the lock the other holds.
//! section: 16.3 Comparing RefCell<T>/Rc<T> and Mutex<T>/Arc<T> (deadlocks)
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#comparing-refcelltrct-and-mutextarct
//! origin: beyond
//! expect: run
//! improved-by: beyond-02-lock-order
//! output: exact
//!
//! The deadlock the chapter asks readers to build. Each thread holds one
//! lock and wants the other's. With `lock()` both would wait forever; here the second lock
//! is only tried, for 300 ms, so the program can show that neither thread gets it while
//! both keep holding their first lock, and then exit. The compiler cannot catch this:
//! deadlocks are logic errors. 02 and 03 show two standard ways out.

use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Hold `first`, then keep trying `second` for a while. Returns whether
/// `second` was ever acquired.
fn hold_and_try(first: &Mutex<i32>, second: &Mutex<i32>, both_hold: &Barrier, both_tried: &Barrier) -> bool {
    let _held = first.lock().unwrap();
    // Wait until the other thread holds its first lock too.
    both_hold.wait();
    let deadline = Instant::now() + Duration::from_millis(300);
    let mut got_it = false;
    while Instant::now() < deadline {
        // `lock()` here would block forever: `try_lock` lets us observe it.
        if second.try_lock().is_ok() {
            got_it = true;
            break;
        }
        thread::sleep(Duration::from_millis(5));
    }
    // Keep the first lock until the other thread has finished trying.
    both_tried.wait();
    got_it
}

fn main() {
    let a = Arc::new(Mutex::new(0));
    let b = Arc::new(Mutex::new(0));
    let both_hold = Arc::new(Barrier::new(2));
    let both_tried = Arc::new(Barrier::new(2));

    let t1 = {
        let (a, b, h, t) = (Arc::clone(&a), Arc::clone(&b), Arc::clone(&both_hold), Arc::clone(&both_tried));
        thread::spawn(move || hold_and_try(&a, &b, &h, &t))
    };
    let t2 = {
        let (a, b, h, t) = (Arc::clone(&a), Arc::clone(&b), Arc::clone(&both_hold), Arc::clone(&both_tried));
        // The opposite order: b first, then a.
        thread::spawn(move || hold_and_try(&b, &a, &h, &t))
    };
    let got_b = t1.join().unwrap();
    let got_a = t2.join().unwrap();

    println!("thread 1 holds a, wants b: {}", if got_b { "got it" } else { "blocked" });
    println!("thread 2 holds b, wants a: {}", if got_a { "got it" } else { "blocked" });
    if !got_a && !got_b {
        println!("deadlock: each thread holds the lock the other one needs");
    }
}
