//! Test support shared by the integration tests (`mod support;` in each test file).
#![allow(dead_code, unused_imports)]

pub mod block_types;
pub mod fake_notion;
pub mod vnu;

pub use fake_notion::blocks;
pub use fake_notion::{DbRef, Endpoint, FakeNotion, FileRef, Workspace};
