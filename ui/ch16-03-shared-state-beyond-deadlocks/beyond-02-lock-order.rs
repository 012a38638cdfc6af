//! listing: beyond-02-lock-order
//! caption: Avoiding the deadlock: every thread takes the locks in one global order
//! teaches: Taking every lock in one agreed order makes a cycle of waiting threads, and so a deadlock, impossible.
//! section: 16.3 Comparing RefCell<T>/Rc<T> and Mutex<T>/Arc<T> (deadlocks)
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#comparing-refcelltrct-and-mutextarct
//! origin: beyond
//! expect: run
//! output: exact
//!
//! The classic mitigation: agree on one order for all locks, and keep it whatever
//! direction the work goes. Here `transfer` sorts the two accounts by id and locks the
//! lower one first, so callers pass (from, to) either way round and a cycle of waiting
//! threads can never form. One thread moves 3 from `a` to `b`, the other 2 back, 1000
//! times each: the balances show the work, the total is conserved, the program ends.

use std::sync::{Arc, Mutex};
use std::thread;

struct Account {
    id: u32,
    balance: Mutex<i64>,
}

/// Move `amount` from `from` to `to`. The locks are always taken in the order of the
/// accounts' ids, whichever way the money goes.
fn transfer(from: &Account, to: &Account, amount: i64) {
    let (low, high) = if from.id < to.id { (from, to) } else { (to, from) };
    let mut low = low.balance.lock().unwrap();
    let mut high = high.balance.lock().unwrap();
    let (from, to) = if from.id < to.id {
        (&mut *low, &mut *high)
    } else {
        (&mut *high, &mut *low)
    };
    *from -= amount;
    *to += amount;
}

fn main() {
    let a = Arc::new(Account { id: 1, balance: Mutex::new(5000) });
    let b = Arc::new(Account { id: 2, balance: Mutex::new(5000) });
    let a_to_b = {
        let (a, b) = (Arc::clone(&a), Arc::clone(&b));
        thread::spawn(move || (0..1000).for_each(|_| transfer(&a, &b, 3)))
    };
    let b_to_a = {
        let (a, b) = (Arc::clone(&a), Arc::clone(&b));
        // The opposite direction: the order of the locks stays the same.
        thread::spawn(move || (0..1000).for_each(|_| transfer(&b, &a, 2)))
    };
    a_to_b.join().unwrap();
    b_to_a.join().unwrap();
    let (a, b) = (*a.balance.lock().unwrap(), *b.balance.lock().unwrap());
    println!("a = {a}, b = {b}, total = {}", a + b);
}
