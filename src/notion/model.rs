//! serde types for the Notion API objects notion-bake reads.
