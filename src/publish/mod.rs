//! Publishing on edit: finding what a build would change (`status`, and `serve`'s poll), and
//! receiving Notion's webhook events to run a build or a deploy hook (`webhook`).

pub mod action;
pub mod changes;
pub mod status;
pub mod webhook;
