//! The in-memory site: posts, pages, slugs, URLs, tags, feed.
