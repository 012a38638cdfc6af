//! listing: beyond-22-shared-receiver
//! caption: Several workers take jobs from one receiver shared behind `Arc<Mutex<_>>`
//! teaches: Workers share one `Receiver` behind `Arc<Mutex<_>>`, each locking it only long enough to take a job.
//! section: 16.2 Creating Multiple Producers
//! url: https://doc.rust-lang.org/book/ch16-02-message-passing.html#creating-multiple-producers
//! origin: beyond
//! expect: run
//! output: exact
//!
//! One way to have many consumers of one mpsc channel (beyond-19) is the worker pool that
//! chapter 21 builds: the receiver goes into an `Arc<Mutex<_>>`, and each worker locks it
//! to take one job. `let job = rx.lock().unwrap().recv();` drops the guard at the end of
//! the statement, so the lock is free while the job runs and other workers take the next
//! ones; a `while let` there would hold it through every job (beyond-21). Dropping `tx`
//! closes the channel: once the queued jobs are taken, `recv` returns `Err` and the workers
//! stop. Which worker takes which job varies, so `main` prints the results sorted: every
//! job done exactly once.

use std::sync::{Arc, Mutex, mpsc};
use std::thread;

type Job = Box<dyn FnOnce() -> u64 + Send>;

fn main() {
    let (tx, rx) = mpsc::channel::<Job>();
    let rx = Arc::new(Mutex::new(rx));
    let (done_tx, done_rx) = mpsc::channel();

    let workers: Vec<_> = (0..3)
        .map(|_| {
            let rx = Arc::clone(&rx);
            let done_tx = done_tx.clone();
            thread::spawn(move || {
                loop {
                    // The guard dies with this statement: the job runs unlocked.
                    let job = rx.lock().unwrap().recv();
                    match job {
                        Ok(job) => done_tx.send(job()).unwrap(),
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();
    drop(done_tx);

    for n in 1..=8u64 {
        tx.send(Box::new(move || n * n)).unwrap();
    }
    drop(tx);

    for worker in workers {
        worker.join().unwrap();
    }
    let mut results: Vec<u64> = done_rx.iter().collect();
    results.sort();
    println!("{} jobs done: {results:?}", results.len());
}
