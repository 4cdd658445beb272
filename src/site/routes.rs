//! Every route of the site, as a site-relative path: the one place that knows where posts,
//! pages, tags, the paginated index, the feed and the sitemap live.
//! Folders end in `/` (and are written as `<folder>index.html`); files do not.

/// The blog index and the first page of every list.
pub(crate) const INDEX: &str = "";
pub(crate) const FEED: &str = "feed.xml";
pub(crate) const SITEMAP: &str = "sitemap.xml";
pub(crate) const NOT_FOUND: &str = "404.html";
pub(crate) const ROBOTS: &str = "robots.txt";
/// The folder of the theme's and the site's static files.
pub(crate) const STATIC: &str = "static/";
/// The folder of the files baked from Notion (`assets/<stem>-<hash>.<ext>`).
pub(crate) const ASSETS: &str = "assets/";
/// Response headers for static hosts that read them (Netlify, Cloudflare Pages).
pub(crate) const HEADERS: &str = "_headers";

/// A post: `posts/<slug>/` (or `<slug>/` when the blog's path is empty).
pub(crate) fn post(blog_path: &str, slug: &str) -> String {
    if blog_path.is_empty() {
        format!("{slug}/")
    } else {
        format!("{blog_path}/{slug}/")
    }
}

/// A `[[pages]]` entry at its configured path: `about/`.
pub(crate) fn configured_page(path: &str) -> String {
    format!("{}/", path.trim_matches('/'))
}

/// A child page beneath its parent: `about/team/`.
pub(crate) fn child_page(parent: &str, slug: &str) -> String {
    format!("{parent}{slug}/")
}

/// A tag's list of posts: `tags/<slug>/`.
pub(crate) fn tag(slug: &str) -> String {
    format!("tags/{slug}/")
}

/// Page `n` (1-based) of a paginated list in `folder`: the folder itself, then
/// `<folder>page/<n>/`.
pub(crate) fn list_page(folder: &str, n: usize) -> String {
    if n <= 1 {
        folder.to_owned()
    } else {
        format!("{folder}page/{n}/")
    }
}

/// The file a route is written to: `<folder>index.html` for folders, the path for files.
pub(crate) fn file_of(route: &str) -> String {
    if route.is_empty() || route.ends_with('/') {
        format!("{route}index.html")
    } else {
        route.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_site_relative_folders() {
        assert_eq!(post("posts", "hello"), "posts/hello/");
        assert_eq!(post("", "hello"), "hello/");
        assert_eq!(configured_page("/about/"), "about/");
        assert_eq!(child_page("about/", "team"), "about/team/");
        assert_eq!(tag("rust"), "tags/rust/");
        assert_eq!(list_page(INDEX, 1), "");
        assert_eq!(list_page("tags/rust/", 3), "tags/rust/page/3/");
        assert_eq!(file_of(INDEX), "index.html");
        assert_eq!(file_of("tags/rust/page/3/"), "tags/rust/page/3/index.html");
        assert_eq!(file_of(FEED), "feed.xml");
    }
}
