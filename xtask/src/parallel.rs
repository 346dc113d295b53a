//! Work spread over the machine's cores: regen parses, normalizes, lowers
//! and formats in pieces, and each stage hands its pieces to [`map`].

use std::sync::Mutex;

/// `work` applied to every item, on every core, heaviest items first (so
/// the light ones even out the cores at the end); results in item order.
/// A panic in `work` is re-raised on the calling thread.
pub fn map<T, R>(
    items: Vec<T>,
    weight: impl Fn(&T) -> usize,
    work: impl Fn(T) -> R + Sync,
) -> Vec<R>
where
    T: Send,
    R: Send,
{
    let count = items.len();
    let mut queue: Vec<(usize, T)> = items.into_iter().enumerate().collect();
    queue.sort_by_key(|(_, item)| weight(item));
    let queue = Mutex::new(queue);
    let next = || queue.lock().unwrap_or_else(|e| e.into_inner()).pop();
    let worker = || {
        let mut done = Vec::new();
        while let Some((index, item)) = next() {
            done.push((index, work(item)));
        }
        done
    };
    let helpers = cores().min(count).saturating_sub(1);
    let finished: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..helpers).map(|_| scope.spawn(worker)).collect();
        let mut finished = vec![worker()];
        for handle in handles {
            finished.push(
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        finished
    });
    let mut results: Vec<Option<R>> = (0..count).map(|_| None).collect();
    for (index, result) in finished.into_iter().flatten() {
        results[index] = Some(result);
    }
    results
        .into_iter()
        .map(|r| r.expect("every item was taken from the queue once"))
        .collect()
}

/// How many threads regen runs at once.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// How many pieces a stage cuts its work into per core: enough that the
/// last ones even out the cores.
pub const PIECES_PER_CORE: usize = 4;

/// `entries` in order, cut into at most `runs` consecutive runs of one
/// length (the last may be shorter); no entries make no runs.
pub fn runs_of<T>(entries: Vec<T>, runs: usize) -> impl Iterator<Item = Vec<T>> {
    let size = entries.len().div_ceil(runs.max(1)).max(1);
    let mut entries = entries.into_iter().peekable();
    std::iter::from_fn(move || {
        entries.peek()?;
        Some(entries.by_ref().take(size).collect())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_item_order_whatever_the_weights() {
        let items: Vec<usize> = (0..50).collect();
        let squares = map(items, |&i| (i * 7919) % 13, |i| i * i);
        assert_eq!(squares, (0..50).map(|i| i * i).collect::<Vec<_>>());
    }

    #[test]
    fn no_items_no_results() {
        let none: Vec<u8> = map(Vec::<u8>::new(), |_| 0, |x| x);
        assert!(none.is_empty());
    }

    #[test]
    fn runs_keep_entry_order_and_only_the_last_is_short() {
        let runs: Vec<Vec<u32>> = runs_of((0..10).collect(), 4).collect();
        assert_eq!(runs, [vec![0, 1, 2], vec![3, 4, 5], vec![6, 7, 8], vec![9]]);
    }

    #[test]
    fn no_entries_no_runs() {
        assert_eq!(runs_of(Vec::<u32>::new(), 4).count(), 0);
    }

    #[test]
    fn zero_runs_make_one_run() {
        let runs: Vec<Vec<u32>> = runs_of((0..3).collect(), 0).collect();
        assert_eq!(runs, [vec![0, 1, 2]]);
    }

    #[test]
    fn more_runs_than_entries_make_one_run_per_entry() {
        let runs: Vec<Vec<u32>> = runs_of((0..3).collect(), usize::MAX).collect();
        assert_eq!(runs, [vec![0], vec![1], vec![2]]);
    }

    #[test]
    #[should_panic(expected = "item 3")]
    fn a_panicking_item_panics_the_caller() {
        map((0..8).collect(), |_| 0, |i: i32| assert_ne!(i, 3, "item 3"));
    }
}
