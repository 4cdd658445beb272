//! Writing `public/` atomically.
