//! `notion-bake check`: the config, the token, access to every configured database and page,
//! then (when `public/` exists) an audit of the built site: no expiring Notion URL anywhere,
//! every local link and asset reference resolves, every local image has its size.
//!
//! Each check prints one line (`✓` or `✗` with the reason) on stdout; any problem makes the
//! command fail (exit 1), so it can gate a deploy. Without `NOTION_TOKEN` the Notion checks
//! are skipped, with a line saying so: a site built from its cache snapshot can still have
//! its output audited.

use anyhow::bail;

use notion_bake::config::SiteConfig;
use notion_bake::notion::client::{NotionClient, NotionError};
use notion_bake::notion::model::plain_text;
use notion_bake::pipeline;
use notion_bake::secrets::scrub;

/// Said instead of checking Notion when no token is set.
pub const NO_TOKEN_NOTICE: &str = "Notion sources not checked: NOTION_TOKEN is not set. To check the \
     token and access to the blog database and pages, `export NOTION_TOKEN=ntn_…` (the secret of \
     the internal integration they are shared with, https://www.notion.so/profile/integrations) \
     and run check again";

/// The outcome lines, printed as they come.
#[derive(Debug, Default)]
struct Report {
    problems: usize,
}

impl Report {
    // Lines may quote a server's answer: each is scrubbed of secrets before it is printed.
    fn ok(&mut self, what: impl AsRef<str>) {
        println!("✓ {}", scrub(what.as_ref()));
    }

    fn problem(&mut self, what: impl AsRef<str>) {
        self.problems += 1;
        println!("✗ {}", scrub(&indent(what.as_ref())));
    }

    fn note(&mut self, what: impl AsRef<str>) {
        println!("- {}", scrub(what.as_ref()));
    }
}

fn indent(text: &str) -> String {
    text.trim_end().replace('\n', "\n  ")
}

/// Runs every check on a loaded config (loading it is the config check: a broken config
/// never gets here).
pub async fn check(config: &SiteConfig) -> anyhow::Result<()> {
    let mut report = Report::default();
    report.ok(format!("config {}", config.config_path.display()));
    check_notion(config, &mut report).await;
    let public = config.site_dir.join("public");
    if public.is_dir() {
        let problems = notion_bake::output::audit(&public, config);
        let files = walkdir::WalkDir::new(&public)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .count();
        for problem in &problems {
            report.problem(problem);
        }
        if problems.is_empty() {
            report.ok(format!(
                "{} ({files} files): no expiring Notion URL, every local link and asset resolves, \
                 every image has width and height",
                public.display()
            ));
        }
    } else {
        report.note(format!(
            "{} does not exist yet: run `notion-bake build`, then check again to audit it",
            public.display()
        ));
    }
    match report.problems {
        0 => Ok(()),
        n => bail!("check found {n} problem(s) (see above)"),
    }
}

async fn check_notion(config: &SiteConfig, report: &mut Report) {
    let has_sources = config.blog.is_some() || !config.pages.is_empty();
    if config.notion.token.is_none() {
        if has_sources {
            report.note(NO_TOKEN_NOTICE);
        } else {
            report.note("no Notion database or page is configured: the token is not needed");
        }
        return;
    }
    let client = match pipeline::client_for(config) {
        Ok(client) => client,
        Err(e) => return report.problem(format!("Notion client: {e:#}")),
    };
    match client.me().await {
        Ok(me) => {
            let name = me.name.as_deref().unwrap_or("(unnamed)");
            let workspace = me
                .bot
                .and_then(|bot| bot.workspace_name)
                .map(|w| format!(" in workspace {w:?}"))
                .unwrap_or_default();
            report.ok(format!(
                "token: accepted by {} as integration {name:?}{workspace}",
                config.notion.api_url
            ));
        }
        Err(e) => {
            let unauthorized = matches!(e, NotionError::Unauthorized);
            if unauthorized {
                report.problem(format!("token: {e}"));
            } else {
                report.problem(format!("Notion API at {}: {e}", config.notion.api_url));
            }
            if has_sources {
                report.note(if unauthorized {
                    "access to the database and pages not checked: fix the token first"
                } else {
                    "access to the database and pages not checked: Notion could not be reached"
                });
            }
            return;
        }
    }
    if let Some(blog) = &config.blog {
        check_database(&client, blog.database.as_str(), report).await;
    }
    for page in &config.pages {
        check_page(&client, page.id.as_str(), &page.path, report).await;
    }
}

async fn check_database(client: &NotionClient, id: &str, report: &mut Report) {
    let found = match client.database(id).await {
        Ok(database) => Ok(("database", plain_text(&database.title))),
        Err(NotionError::NotFound(_)) if client.uses_data_sources() => {
            match client.data_source(id).await {
                Ok(source) => Ok(("data source", plain_text(&source.title))),
                Err(_) => Err(NotionError::NotFound(
                    notion_bake::notion::client::Resource::Database(id.to_owned()),
                )),
            }
        }
        Err(e) => Err(e),
    };
    match found {
        Ok((kind, title)) => report.ok(format!(
            "[blog] {kind} {title:?} ({id}) is shared with the integration"
        )),
        Err(NotionError::NotFound(_)) if client.page(id).await.is_ok() => report.problem(format!(
            "[blog] database {id} is a page, not a database: list it under [[pages]], or use the id \
             of the database (open it as a full page and copy its link)"
        )),
        Err(e) => report.problem(format!("[blog] database {id}: {e}")),
    }
}

async fn check_page(client: &NotionClient, id: &str, path: &str, report: &mut Report) {
    match client.page(id).await {
        Ok(page) if page.in_trash => report.problem(format!(
            "[[pages]] {path}: the page {:?} ({id}) is in Notion's trash",
            page.title()
        )),
        Ok(page) => report.ok(format!(
            "[[pages]] {path}: page {:?} ({id}) is shared with the integration",
            page.title()
        )),
        Err(NotionError::NotFound(_)) if client.database(id).await.is_ok() => report.problem(
            format!("[[pages]] {path}: {id} is a database, not a page: use it as [blog] database"),
        ),
        Err(e) => report.problem(format!("[[pages]] {path}: {e}")),
    }
}
