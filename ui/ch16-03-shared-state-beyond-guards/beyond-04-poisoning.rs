//! listing: beyond-04-poisoning
//! caption: A thread panics while holding the lock: the mutex is poisoned
//! teaches: A panic while holding a lock poisons the mutex, yet its data stays reachable through the `PoisonError`.
//! section: 16.3 The API of Mutex<T>
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#the-api-of-mutext
//! origin: beyond
//! expect: run
//! output: exact
//! stderr: exact
//!
//! The chapter says no one could get a lock whose holder panicked. Not quite: here a
//! thread panics mid-update, `lock()` then returns `Err(PoisonError)`, and the error hands
//! the guard back: `PoisonError::into_inner` gives access to the data. Poisoning warns that
//! the data's invariants may be broken (memory safety never was): `clear_poison` (stable
//! since Rust 1.77) says they hold again. The panic message goes to stderr; with
//! `RUST_BACKTRACE=1` set, a stack backtrace (and a shorter note of its own) replaces the
//! note after it.

use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let m = Arc::new(Mutex::new(1));
    let worker = {
        let m = Arc::clone(&m);
        thread::Builder::new()
            .name("worker".into())
            .spawn(move || {
                let mut n = m.lock().unwrap();
                *n = 2;
                panic!("gave up halfway through an update");
            })
            .unwrap()
    };
    println!("worker joined with an error: {}", worker.join().is_err());

    match m.lock() {
        Ok(_) => println!("lock() succeeded"),
        Err(poisoned) => {
            println!("lock() returned Err: {poisoned}");
            let n = poisoned.into_inner();
            println!("the data is still there through into_inner: {}", *n);
        }
    }
    println!("poisoned before: {}", m.is_poisoned());
    m.clear_poison();
    println!("clear_poison() called");
    println!("poisoned after: {}", m.is_poisoned());
}
