//! Running one job per stack on every core, in an order that respects dependencies.
//!
//! A hand-written queue rather than rayon: stacks that reference each other must be built in
//! dependency order (an importer after the stacks whose exports it reads), so the pool has to
//! know which jobs are ready; rayon's work stealing would need the same bookkeeping on top.
//! `std::thread::scope` and one mutex are enough for jobs that each take milliseconds.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, PoisonError};

/// Runs `job(i)` for every `i < deps.len()`, on up to `threads` threads, starting job `i` only
/// once every job in `deps[i]` has finished. Returns the results by index. A job whose
/// dependency failed still runs: `job` sees the finished results through its own means (the
/// caller decides what a failed dependency means). Dependencies that form a cycle, or name an
/// index out of range, are an error before anything runs.
pub(crate) fn run<T: Send>(
    deps: &[Vec<usize>],
    threads: usize,
    job: impl Fn(usize) -> T + Sync,
) -> Result<Vec<T>, String> {
    let order = check(deps)?;
    let count = deps.len();
    let mut dependents = vec![Vec::new(); count];
    let waiting: Vec<usize> = deps.iter().map(Vec::len).collect();
    for (i, before) in deps.iter().enumerate() {
        for &d in before {
            if let Some(list) = dependents.get_mut(d) {
                list.push(i);
            }
        }
    }
    // Ready jobs start in index order (the app's order), so output and progress are
    // predictable whatever the thread count.
    let ready: VecDeque<usize> = order.into_iter().filter(|&i| waiting.get(i) == Some(&0)).collect();
    let state = Mutex::new(Queue { ready, waiting, dependents, left: count });
    let wake = Condvar::new();
    let results: Mutex<Vec<Option<T>>> = Mutex::new((0..count).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, count.max(1)) {
            scope.spawn(|| {
                while let Some(i) = next(&state, &wake) {
                    let result = job(i);
                    if let Some(slot) = results.lock().unwrap_or_else(PoisonError::into_inner).get_mut(i) {
                        *slot = Some(result);
                    }
                    done(&state, &wake, i);
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(PoisonError::into_inner);
    // invariant: every index was queued exactly once (check() proved the graph acyclic), so
    // every slot is filled.
    Ok(results.into_iter().flatten().collect())
}

struct Queue {
    ready: VecDeque<usize>,
    waiting: Vec<usize>,
    dependents: Vec<Vec<usize>>,
    left: usize,
}

/// The next ready job, waiting while jobs run that may release one; `None` when all are done.
fn next(state: &Mutex<Queue>, wake: &Condvar) -> Option<usize> {
    let mut queue = state.lock().unwrap_or_else(PoisonError::into_inner);
    loop {
        if let Some(i) = queue.ready.pop_front() {
            return Some(i);
        }
        if queue.left == 0 {
            return None;
        }
        queue = wake.wait(queue).unwrap_or_else(PoisonError::into_inner);
    }
}

fn done(state: &Mutex<Queue>, wake: &Condvar, i: usize) {
    let mut queue = state.lock().unwrap_or_else(PoisonError::into_inner);
    queue.left -= 1;
    let released = queue.dependents.get_mut(i).map(std::mem::take).unwrap_or_default();
    for d in released {
        if let Some(w) = queue.waiting.get_mut(d) {
            *w -= 1;
            if *w == 0 {
                queue.ready.push_back(d);
            }
        }
    }
    wake.notify_all();
}

/// A topological order (Kahn's algorithm, lowest index first), or why there is none.
fn check(deps: &[Vec<usize>]) -> Result<Vec<usize>, String> {
    let count = deps.len();
    let mut waiting = vec![0usize; count];
    let mut dependents = vec![Vec::new(); count];
    for (i, before) in deps.iter().enumerate() {
        for &d in before {
            let Some(list) = dependents.get_mut(d) else {
                return Err(format!("job {i} depends on job {d}, which does not exist"));
            };
            list.push(i);
            if let Some(w) = waiting.get_mut(i) {
                *w += 1;
            }
        }
    }
    let mut ready: std::collections::BTreeSet<usize> = (0..count).filter(|&i| waiting.get(i) == Some(&0)).collect();
    let mut order = Vec::with_capacity(count);
    while let Some(i) = ready.pop_first() {
        order.push(i);
        for &d in dependents.get(i).map_or(&[][..], Vec::as_slice) {
            if let Some(w) = waiting.get_mut(d) {
                *w -= 1;
                if *w == 0 {
                    ready.insert(d);
                }
            }
        }
    }
    if order.len() < count {
        let stuck: Vec<String> = (0..count).filter(|i| waiting.get(*i) != Some(&0)).map(|i| i.to_string()).collect();
        return Err(format!("the dependencies form a cycle through jobs {}", stuck.join(", ")));
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[test]
    fn every_job_runs_once_and_results_come_back_by_index() {
        let deps = vec![Vec::new(); 50];
        for threads in [1, 2, 7] {
            assert_eq!(run(&deps, threads, |i| i * 2).unwrap(), (0..50).map(|i| i * 2).collect::<Vec<_>>());
        }
        assert!(run(&[], 2, |i| i).unwrap().is_empty());
    }

    #[test]
    fn a_job_starts_only_after_its_dependencies_finished() {
        // 0 <- 1 <- 3, 0 <- 2 <- 3, 4 alone, 5 after 4 and 3.
        let deps = vec![vec![], vec![0], vec![0], vec![1, 2], vec![], vec![4, 3]];
        for threads in [1, 2, 4] {
            let finished = Mutex::new(Vec::new());
            run(&deps, threads, |i| {
                let seen = finished.lock().unwrap().clone();
                for d in &deps[i] {
                    assert!(seen.contains(d), "job {i} started before {d} finished");
                }
                std::thread::sleep(std::time::Duration::from_millis(2));
                finished.lock().unwrap().push(i);
            })
            .unwrap();
            assert_eq!(finished.lock().unwrap().len(), 6);
        }
    }

    #[test]
    fn cycles_and_unknown_jobs_are_refused_before_anything_runs() {
        let ran = Mutex::new(0);
        let job = |_| *ran.lock().unwrap() += 1;
        assert_eq!(
            run(&[vec![], vec![2], vec![1]], 2, job).unwrap_err(),
            "the dependencies form a cycle through jobs 1, 2"
        );
        assert_eq!(run(&[vec![3]], 2, job).unwrap_err(), "job 0 depends on job 3, which does not exist");
        assert_eq!(*ran.lock().unwrap(), 0);
    }
}
