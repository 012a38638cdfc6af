//! listing: beyond-21-guard-in-scrutinee
//! caption: A guard in the scrutinee of `while let`, `match` or `if let` keeps the lock for the body
//! teaches: A lock taken in a `while let` or `match` scrutinee stays held through the body, or longer; a `let` first releases it.
//! section: 16.3 The API of Mutex<T>
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#the-api-of-mutext
//! origin: beyond
//! expect: run
//! output: exact
//!
//! A temporary usually lives to the end of the statement that made it, and one in a
//! `match` scrutinee does too: past the arms, to the end of the statement holding the
//! `match` (in `let y = match …;`, to the `;`). A `while let` keeps it to the end of each
//! pass, an `if let` through its body (since edition 2024, not into its `else`). So
//! `while let Some(x) = m.lock().unwrap().pop()` holds the lock while the body runs: a
//! `try_lock` there finds it held every time, and a `lock()` would never return. Taking the
//! value out with a `let` first ends the guard with that statement: the trap of a worker
//! that holds the job queue's lock while it works (beyond-22 takes each job with a `let`).

use std::sync::{Mutex, TryLockError};

/// What a `try_lock` in the same thread finds.
fn lock_state(m: &Mutex<Vec<i32>>) -> &'static str {
    match m.try_lock() {
        Ok(_) => "free",
        Err(TryLockError::WouldBlock) => "held",
        Err(TryLockError::Poisoned(_)) => "poisoned",
    }
}

fn main() {
    let m = Mutex::new(vec![1, 2]);

    // The guard is a temporary of the scrutinee: it lives through the whole body.
    while let Some(x) = m.lock().unwrap().pop() {
        println!("while let popped {x}: in the body the lock is {}", lock_state(&m));
    }

    m.lock().unwrap().extend([1, 2]);
    // The same loop with the value taken out by a `let` first.
    loop {
        let next = m.lock().unwrap().pop();
        let Some(x) = next else { break };
        println!("let popped {x}: in the body the lock is {}", lock_state(&m));
    }

    m.lock().unwrap().push(3);
    match m.lock().unwrap().len() {
        n => println!("match on len() = {n}: in the arm the lock is {}", lock_state(&m)),
    }

    for _ in 0..2 {
        if let Some(x) = m.lock().unwrap().pop() {
            println!("if let popped {x}: in its body the lock is {}", lock_state(&m));
        } else {
            println!("if let found nothing: in its else block the lock is {}", lock_state(&m));
        }
    }
}
