//! `notion-bake status`: what a build would change, and how many requests it took to know.

use serde::Serialize;

use notion_bake::cache::Snapshot;
use notion_bake::config::SiteConfig;
use notion_bake::pipeline::{self, FetchOptions};

use super::changes::{self, Change, Scope};

/// What `status` found.
#[derive(Debug, Serialize)]
pub struct Status {
    /// No change: a build would publish the same site.
    pub up_to_date: bool,
    /// Every difference found, blog first, then the databases inside pages, then the pages.
    pub changes: Vec<Change>,
    /// The Notion API requests made (retries included).
    pub requests: u64,
}

/// Compares Notion with the site's snapshot. `drafts`: the build it predicts is
/// `build --drafts`.
pub async fn status(config: &SiteConfig, drafts: bool) -> anyhow::Result<Status> {
    let client = pipeline::client_for(config)?;
    let plan = pipeline::crawl_plan(
        config,
        FetchOptions {
            full: false,
            drafts,
        },
    );
    let pages: Vec<_> = plan.pages.iter().map(|(id, _)| id.clone()).collect();
    let snapshot = Snapshot::new(&config.site_dir);
    let changes =
        changes::detect(&client, &snapshot, plan.blog.as_ref(), &pages, Scope::All).await?;
    Ok(Status {
        up_to_date: changes.is_empty(),
        changes,
        requests: client.stats().requests,
    })
}

impl Status {
    /// The report for a person: one line per change, then the verdict with the request count.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        for change in &self.changes {
            text.push_str(&format!("{change}\n"));
        }
        let requests = match self.requests {
            1 => "1 Notion request".to_owned(),
            n => format!("{n} Notion requests"),
        };
        if self.up_to_date {
            text.push_str(&format!("up to date ({requests})\n"));
        } else {
            text.push_str(&format!(
                "a build would change the site: {} change(s) ({requests})\n",
                self.changes.len()
            ));
        }
        text
    }
}
