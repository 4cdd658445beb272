//! A shared request pacer: an average of N requests per second, with small bursts, and the
//! most urgent waiting request first.
//!
//! Every API request asks the pacer for a slot first. Slots are spaced `1/rate` apart; up to
//! `burst` slots may be taken early after an idle spell, so the average over any window of a
//! few seconds stays at or under the rate. A 429 pauses every caller until `Retry-After`.
//!
//! A slot goes to the waiting request of the lowest priority (`with_priority`; first come
//! among equals), decided when the slot opens, not when the request asked. The crawl gives
//! each page the order it was started in, so the requests of pages already under way go before
//! those of pages not yet begun: pages finish one after another (and their files start
//! downloading) instead of all together at the end, while the pacer still never idles when
//! any request could go.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::time::Instant;

tokio::task_local! {
    static PRIORITY: u64;
}

/// Runs `future` with its API requests at `priority` (lower goes first; requests made outside
/// any priority scope, such as the database query, count as 0: the most urgent).
pub(crate) async fn with_priority<F: std::future::Future>(priority: u64, future: F) -> F::Output {
    PRIORITY.scope(priority, future).await
}

fn current_priority() -> u64 {
    PRIORITY.try_with(|p| *p).unwrap_or(0)
}

#[derive(Debug)]
pub(crate) struct Pacer {
    interval: Duration,
    burst: u32,
    state: Mutex<State>,
    /// Held by the one waiter that waits for the next slot and hands it out.
    dispatching: tokio::sync::Mutex<()>,
}

#[derive(Debug, Default)]
struct State {
    /// The earliest time the next request may go; `None` until the first request.
    next_slot: Option<Instant>,
    waiting: BinaryHeap<Reverse<Waiter>>,
    arrivals: u64,
    /// The sum of the gaps by which slots went later than they could have: time no request
    /// was waiting (after the first).
    idle: Duration,
}

/// A request waiting for a slot, ordered by priority, then arrival.
#[derive(Debug)]
struct Waiter {
    priority: u64,
    arrival: u64,
    go: oneshot::Sender<()>,
}

impl PartialEq for Waiter {
    fn eq(&self, other: &Self) -> bool {
        (self.priority, self.arrival) == (other.priority, other.arrival)
    }
}
impl Eq for Waiter {}
impl PartialOrd for Waiter {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Waiter {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.priority, self.arrival).cmp(&(other.priority, other.arrival))
    }
}

impl Pacer {
    /// A pacer allowing `per_second` requests on average and `burst` back-to-back requests.
    pub(crate) fn new(per_second: f64, burst: u32) -> Pacer {
        let per_second = if per_second.is_finite() && per_second > 0.0 {
            per_second
        } else {
            3.0
        };
        Pacer {
            interval: Duration::from_secs_f64(1.0 / per_second),
            burst: burst.max(1),
            state: Mutex::new(State::default()),
            dispatching: tokio::sync::Mutex::new(()),
        }
    }

    /// Waits until this caller may send a request (at the priority of its scope).
    pub(crate) async fn wait_turn(&self) {
        let (go, mut gone) = oneshot::channel();
        {
            let mut state = self.state.lock().unwrap();
            state.arrivals += 1;
            let arrival = state.arrivals;
            state.waiting.push(Reverse(Waiter {
                priority: current_priority(),
                arrival,
                go,
            }));
        }
        loop {
            tokio::select! {
                biased;
                _ = &mut gone => return,
                // One waiter at a time waits for the next slot, then gives it to the most
                // urgent waiter (itself or another) and lets the next dispatcher in.
                _guard = self.dispatching.lock() => self.hand_out_next_slot().await,
            }
        }
    }

    /// Sleeps until the next slot and gives it to the most urgent waiter still waiting.
    async fn hand_out_next_slot(&self) {
        let slot = self.slot(self.state.lock().unwrap().next_slot);
        tokio::time::sleep_until(slot).await;
        let mut state = self.state.lock().unwrap();
        let slot = self.slot(state.next_slot);
        if slot > Instant::now() {
            return; // a pause moved the slot while we slept: wait again
        }
        while let Some(Reverse(waiter)) = state.waiting.pop() {
            // A waiter whose request was dropped meanwhile leaves the slot to the next one.
            if waiter.go.send(()).is_ok() {
                if let Some(planned) = state.next_slot {
                    state.idle += slot.saturating_duration_since(planned);
                }
                state.next_slot = Some(slot + self.interval);
                return;
            }
        }
    }

    /// The next slot: `next_slot`, or after an idle spell up to `burst` slots early.
    fn slot(&self, next_slot: Option<Instant>) -> Instant {
        let now = Instant::now();
        let earliest = now
            .checked_sub(self.interval * (self.burst - 1))
            .unwrap_or(now);
        next_slot.map_or(earliest, |next| next.max(earliest))
    }

    /// How long, since the first request, slots went unused because no request was waiting:
    /// time a crawl loses to waiting on answers before it can ask the next question.
    pub(crate) fn idle(&self) -> Duration {
        self.state.lock().unwrap().idle
    }

    /// Holds every caller back for `pause` (Notion said to retry after it).
    pub(crate) async fn pause_for(&self, pause: Duration) {
        let mut state = self.state.lock().unwrap();
        let resume = Instant::now() + pause;
        if state.next_slot.is_none_or(|next| next < resume) {
            state.next_slot = Some(resume);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn keeps_the_average_rate_after_a_small_burst() {
        let pacer = Pacer::new(3.0, 3);
        let start = Instant::now();
        for _ in 0..3 {
            pacer.wait_turn().await;
        }
        assert!(
            start.elapsed() < Duration::from_millis(10),
            "a burst of 3 is free"
        );
        for _ in 0..9 {
            pacer.wait_turn().await;
        }
        // 12 requests at 3/s with a burst of 3: the 12th goes at (12 - 3) / 3 = 3 s.
        let elapsed = start.elapsed();
        assert!(
            elapsed >= Duration::from_millis(2990) && elapsed <= Duration::from_millis(3010),
            "{elapsed:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_most_urgent_waiter_goes_first_then_first_come() {
        let pacer = std::sync::Arc::new(Pacer::new(10.0, 1));
        pacer.wait_turn().await; // the next slot is 100 ms away: everyone below waits
        let order = std::sync::Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for (name, priority) in [("c", 5), ("a1", 1), ("b", 3), ("a2", 1)] {
            let (pacer, order) = (pacer.clone(), order.clone());
            tasks.push(tokio::spawn(with_priority(priority, async move {
                pacer.wait_turn().await;
                order.lock().unwrap().push(name);
            })));
            tokio::task::yield_now().await;
        }
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), ["a1", "a2", "b", "c"]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_waiter_that_gives_up_leaves_its_slot_to_the_next() {
        let pacer = std::sync::Arc::new(Pacer::new(1.0, 1));
        pacer.wait_turn().await;
        let start = Instant::now();
        let impatient = {
            let pacer = pacer.clone();
            tokio::spawn(with_priority(0, async move { pacer.wait_turn().await }))
        };
        tokio::task::yield_now().await;
        impatient.abort();
        let patient = {
            let pacer = pacer.clone();
            tokio::spawn(with_priority(9, async move { pacer.wait_turn().await }))
        };
        patient.await.unwrap();
        // The slot at 1 s went to the patient waiter, not to nobody (which would be 2 s).
        assert_eq!(start.elapsed(), Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn slots_nobody_waited_for_count_as_idle() {
        let pacer = Pacer::new(10.0, 1);
        for _ in 0..3 {
            pacer.wait_turn().await; // back to back: no idle time
        }
        assert_eq!(pacer.idle(), Duration::ZERO);
        tokio::time::sleep(Duration::from_secs(1)).await;
        pacer.wait_turn().await;
        // The third slot went at 0.2 s, so the fourth was free at 0.3 s; it was taken at 1.2 s.
        assert_eq!(pacer.idle(), Duration::from_millis(900));
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_holds_everyone_back() {
        let pacer = Pacer::new(10.0, 1);
        pacer.pause_for(Duration::from_secs(2)).await;
        let start = Instant::now();
        pacer.wait_turn().await;
        assert!(start.elapsed() >= Duration::from_secs(2));
    }
}
