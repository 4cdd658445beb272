//! The on-disk snapshot in `SITE_DIR/.notion-bake/` (DESIGN.md §6).
