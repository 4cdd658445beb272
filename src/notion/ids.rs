//! Notion ids: accepted dashed, undashed, or inside a notion.so / app.notion.com URL.
