//! Everything that talks to, or describes, the Notion API.

pub mod model;
pub mod ids;
