//! listing: beyond-28-data-behind-the-lock
//! caption: Using a `Mutex` as if it were the value it guards
//! teaches: A `Mutex<T>` is not a `T`: through a shared `&Mutex`, its value is reached only through a guard (`lock`, `try_lock`).
//! section: 16.3 The API of Mutex<T>
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#the-api-of-mutext
//! origin: beyond
//! expect: compile-fail E0614 E0369 E0599 E0608
//! fixed-by: beyond-29-through-the-guard
//!
//! `Mutex<T>` hides its `T`: it has no `Deref`, no `+`, no `push` and no indexing of its
//! own, so each use of the value as if it were there is an error of its own kind: E0614
//! (cannot be dereferenced), E0369 (cannot add), E0599 (no method `push`) and E0608
//! (cannot index); for `push`, rustc even suggests the `.lock().unwrap()` that is missing.
//! That is the point of the type: through a shared `&Mutex` the data is reachable only
//! through a guard (from `lock` or `try_lock`), so no thread can forget to lock. `get_mut`
//! and `into_inner` skip the lock because they need the mutex to themselves (`&mut` or by
//! value). beyond-29 goes through the guard.

use std::sync::Mutex;

fn main() {
    let m = Mutex::new(5);
    *m += 1; //~ ERROR E0614
    let n = m + 1; //~ ERROR E0369

    let v = Mutex::new(vec![1]);
    v.push(2); //~ ERROR E0599
    let first = v[0]; //~ ERROR E0608
}
