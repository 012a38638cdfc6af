//! listing: beyond-03-try-lock-backoff
//! caption: Avoiding the deadlock: back off and retry when the second lock is taken
//! teaches: Letting go of held locks when `try_lock` fails rules out deadlock, but not livelock.
//! section: 16.3 Comparing RefCell<T>/Rc<T> and Mutex<T>/Arc<T> (deadlocks)
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#comparing-refcelltrct-and-mutextarct
//! origin: beyond
//! expect: run
//! output: exact
//!
//! The threads keep the opposite orders of 01, but never wait for a second lock while
//! holding the first: `try_lock` gets it, or the thread lets go of everything, yields and
//! starts over. That rules out deadlock, not livelock: both threads could lock, fail,
//! release and retry in step forever. The scheduler rarely keeps them in step, so in
//! practice the program finishes, and when it does the totals are always the same; real
//! code randomises the back-off, which makes a long livelock unlikely, though not impossible.

use std::sync::{Arc, Mutex, TryLockError};
use std::thread;

/// Lock `first` then try `second`; on failure release `first` and retry.
fn with_both(first: &Mutex<i64>, second: &Mutex<i64>, f: impl Fn(&mut i64, &mut i64)) {
    loop {
        let mut x = first.lock().unwrap();
        match second.try_lock() {
            Ok(mut y) => return f(&mut x, &mut y),
            Err(TryLockError::WouldBlock) => {
                drop(x);
                thread::yield_now();
            }
            Err(TryLockError::Poisoned(e)) => panic!("poisoned: {e}"),
        }
    }
}

fn main() {
    let a = Arc::new(Mutex::new(500));
    let b = Arc::new(Mutex::new(500));
    let t1 = {
        let (a, b) = (Arc::clone(&a), Arc::clone(&b));
        thread::spawn(move || {
            for _ in 0..1000 {
                with_both(&a, &b, |a, b| {
                    *a -= 3;
                    *b += 3;
                });
            }
        })
    };
    let t2 = {
        let (a, b) = (Arc::clone(&a), Arc::clone(&b));
        thread::spawn(move || {
            for _ in 0..1000 {
                // The opposite order from t1.
                with_both(&b, &a, |b, a| {
                    *b -= 2;
                    *a += 2;
                });
            }
        })
    };
    t1.join().unwrap();
    t2.join().unwrap();
    let (a, b) = (*a.lock().unwrap(), *b.lock().unwrap());
    println!("a = {a}, b = {b}, total = {}", a + b);
}
