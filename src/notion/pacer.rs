//! A shared request pacer: an average of N requests per second, with small bursts.
//!
//! Every API request asks the pacer for a slot first. Slots are spaced `1/rate` apart; up to
//! `burst` slots may be taken early after an idle spell, so the average over any window of a
//! few seconds stays at or under the rate. A 429 pauses every caller until `Retry-After`.

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

#[derive(Debug)]
pub struct Pacer {
    interval: Duration,
    burst: u32,
    /// The earliest time the next request may go; `None` until the first request.
    next_slot: Mutex<Option<Instant>>,
}

impl Pacer {
    /// A pacer allowing `per_second` requests on average and `burst` back-to-back requests.
    pub fn new(per_second: f64, burst: u32) -> Pacer {
        let per_second = if per_second.is_finite() && per_second > 0.0 {
            per_second
        } else {
            3.0
        };
        Pacer {
            interval: Duration::from_secs_f64(1.0 / per_second),
            burst: burst.max(1),
            next_slot: Mutex::new(None),
        }
    }

    /// Waits until this caller may send a request.
    pub async fn wait_turn(&self) {
        let slot = {
            let mut next = self.next_slot.lock().await;
            let now = Instant::now();
            // After an idle spell, allow up to `burst` slots to be taken at once, never more.
            let earliest = now
                .checked_sub(self.interval * (self.burst - 1))
                .unwrap_or(now);
            let slot = next.map_or(earliest, |next| next.max(earliest));
            *next = Some(slot + self.interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }

    /// Holds every caller back for `pause` (Notion said to retry after it).
    pub async fn pause_for(&self, pause: Duration) {
        let mut next = self.next_slot.lock().await;
        let resume = Instant::now() + pause;
        if next.is_none_or(|next| next < resume) {
            *next = Some(resume);
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
    async fn a_pause_holds_everyone_back() {
        let pacer = Pacer::new(10.0, 1);
        pacer.pause_for(Duration::from_secs(2)).await;
        let start = Instant::now();
        pacer.wait_turn().await;
        assert!(start.elapsed() >= Duration::from_secs(2));
    }
}
