//! listing: beyond-28-data-behind-the-lock
//! caption: Using a `Mutex` as if it were the value it guards
//! teaches: A `Mutex<T>` is not a `T`: its value can be read or changed only through the guard that `lock` returns.
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
//! That is the point of the type: there is no way to the data except `lock`, so no way to
//! forget to take the lock. beyond-29 goes through the guard.

use std::sync::Mutex;

fn main() {
    let m = Mutex::new(5);
    *m += 1; //~ ERROR E0614
    let n = m + 1; //~ ERROR E0369

    let v = Mutex::new(vec![1]);
    v.push(2); //~ ERROR E0599
    let first = v[0]; //~ ERROR E0608
}
