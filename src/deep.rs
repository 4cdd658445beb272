//! Deeply nested content without stack overflows.
//!
//! Notion lets blocks nest to any depth, and every walk over a page's tree (the crawl, the
//! cache's JSON, rendering, exporting) is recursive. Each recursive step goes through
//! [`grow`], which moves onto a fresh stack segment when the current one runs low, so a page
//! nested thousands of levels deep is read, stored and rendered like any other.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Stack left below which a recursive step moves to a new segment: far more than one step of
/// any walk needs, even in an unoptimised build.
const RED_ZONE: usize = 256 * 1024;

/// The size of each new stack segment.
const SEGMENT: usize = 4 * 1024 * 1024;

/// Runs `f` (one recursive step) on a stack with room to spare.
pub(crate) fn grow<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, SEGMENT, f)
}

/// Parses JSON of any nesting depth (serde_json alone stops at 128 levels).
pub(crate) fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> serde_json::Result<T> {
    let mut json = serde_json::Deserializer::from_slice(bytes);
    json.disable_recursion_limit();
    let value = T::deserialize(serde_stacker::Deserializer {
        de: &mut json,
        red_zone: RED_ZONE,
        stack_size: SEGMENT,
    })?;
    json.end()?;
    Ok(value)
}

/// Reads a JSON value of any nesting depth into `T`.
pub(crate) fn from_value<T: DeserializeOwned>(value: &Value) -> serde_json::Result<T> {
    T::deserialize(serde_stacker::Deserializer {
        de: value,
        red_zone: RED_ZONE,
        stack_size: SEGMENT,
    })
}

/// Writes JSON of any nesting depth.
pub(crate) fn to_vec<T: Serialize>(value: &T) -> serde_json::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut json = serde_json::Serializer::new(&mut bytes);
    value.serialize(serde_stacker::Serializer {
        ser: &mut json,
        red_zone: RED_ZONE,
        stack_size: SEGMENT,
    })?;
    Ok(bytes)
}

/// Drops a JSON value one node at a time: dropping a deeply nested value the usual way
/// recurses once per level.
pub(crate) fn drop_value(value: Value) {
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value {
            Value::Array(items) => pending.extend(items),
            Value::Object(map) => pending.extend(map.into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}

/// A future whose every poll runs through [`grow`]: a recursive async walk (a future awaiting
/// a future like itself, one per level) polls one level deeper per nesting level.
pub(crate) struct Grow<F: ?Sized>(pub(crate) Pin<Box<F>>);

impl<F: Future + ?Sized> Future for Grow<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let inner = self.0.as_mut();
        grow(|| inner.poll(cx))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn json_of_any_depth_round_trips() {
        let text = nested(50_000);
        assert!(serde_json::from_str::<Value>(&text).is_err());
        let value: Value = from_slice(text.as_bytes()).unwrap();
        assert_eq!(to_vec(&value).unwrap(), text.as_bytes());
        drop_value(value);
    }

    #[test]
    fn trailing_garbage_is_still_an_error() {
        assert!(from_slice::<Value>(b"[1] x").is_err());
    }

    #[test]
    fn a_deep_walk_does_not_overflow_a_small_stack() {
        fn depth(value: &Value) -> usize {
            grow(|| match value {
                Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
                _ => 0,
            })
        }
        let value: Value = from_slice(nested(20_000).as_bytes()).unwrap();
        // A thread with a small stack, like a runtime's worker.
        let found = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                let found = depth(&value);
                drop_value(value);
                found
            })
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(found, 20_000);
    }
}
