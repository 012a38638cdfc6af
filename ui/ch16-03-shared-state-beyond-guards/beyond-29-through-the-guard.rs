//! listing: beyond-29-through-the-guard
//! caption: Every use of the guarded value goes through `lock()`
//! teaches: `lock().unwrap()` gives a guard that derefs to the value, so `*m.lock().unwrap() += 1` changes what the mutex holds.
//! section: 16.3 The API of Mutex<T>
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#the-api-of-mutext
//! origin: beyond
//! expect: run
//! output: exact
//!
//! The fix of beyond-28: each use takes the lock, unwraps the `LockResult`, and works on the guard. `MutexGuard<T>`
//! derefs to `T`, so `*guard += 1`, `*guard + 1`, `guard.push(2)` and `guard[0]` all reach
//! the value, and each temporary guard unlocks at the end of its statement.

use std::sync::Mutex;

fn main() {
    let m = Mutex::new(5);
    *m.lock().unwrap() += 1;
    let n = *m.lock().unwrap() + 1;
    println!("m holds {}, n = {n}", *m.lock().unwrap());

    let v = Mutex::new(vec![1]);
    v.lock().unwrap().push(2);
    let first = v.lock().unwrap()[0];
    println!("v holds {:?}, first = {first}", *v.lock().unwrap());
}
