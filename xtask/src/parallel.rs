//! Work spread over the machine's cores: regen parses, normalizes and
//! formats in pieces, and each stage hands its pieces to [`map`].

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
    #[should_panic(expected = "item 3")]
    fn a_panicking_item_panics_the_caller() {
        map((0..8).collect(), |_| 0, |i: i32| assert_ne!(i, 3, "item 3"));
    }
}
