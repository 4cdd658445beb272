//! Everything that talks to, or describes, the Notion API.

pub mod client;
pub mod crawl;
pub mod ids;
pub mod model;
pub(crate) mod pacer;
