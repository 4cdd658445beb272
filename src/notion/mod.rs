//! Everything that talks to, or describes, the Notion API.

pub mod ids;
pub mod model;
