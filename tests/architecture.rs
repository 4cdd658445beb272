//! The module graph of `src/`, read from the `crate::`, `super::` and `self::` paths in the
//! code, and checked for import cycles: between the library's top-level modules, and between
//! the submodules of one module. ARCHITECTURE.md describes the layering this guards.
//!
//! `cargo test --test architecture -- --nocapture` prints the graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Cycles that exist today and are known debt (ARCHITECTURE.md, "Known cycles"). The test
/// fails when a new cycle appears, and also when one of these is gone, so that the list
/// shrinks with the code.
const KNOWN_CYCLES: &[&[&str]] = &[
    // The mdBook preprocessor (in `export`) calls back into `pipeline`.
    &["export", "pipeline"],
    // Fragment HTML (blocks, rich text, pictures, properties) and template views.
    &[
        "render::blocks",
        "render::code",
        "render::context",
        "render::database",
        "render::picture",
        "render::properties",
        "render::rich_text",
        "render::search_view",
        "render::view",
    ],
];

type Graph = BTreeMap<String, BTreeSet<String>>;

#[test]
fn no_import_cycles_beyond_the_known_ones() {
    let (top, inner) = module_graphs(Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    print_graph("Top-level modules", &top);
    print_graph("Submodules", &inner);

    let mut found: Vec<Vec<String>> = cycles(&top).into_iter().chain(cycles(&inner)).collect();
    found.sort();
    let mut known: Vec<Vec<String>> = KNOWN_CYCLES
        .iter()
        .map(|cycle| cycle.iter().map(|m| m.to_string()).collect())
        .collect();
    known.sort();
    assert_eq!(
        found, known,
        "the import cycles changed: remove the new one, or update KNOWN_CYCLES and \
         ARCHITECTURE.md if one was broken"
    );
}

#[test]
fn the_reader_follows_grouped_and_relative_paths() {
    let modules: BTreeSet<Vec<String>> = [
        vec!["render"],
        vec!["render", "html"],
        vec!["render", "view"],
        vec!["render", "blocks"],
        vec!["render", "blocks", "media"],
        vec!["site"],
    ]
    .into_iter()
    .map(|m| m.into_iter().map(String::from).collect())
    .collect();
    let code = "use crate::render::{html::safe_href, view};\n\
                use super::super::view::Thing;\n\
                // crate::config is only mentioned in a comment\n\
                fn f() { crate::site::slug(); }";
    let me: Vec<String> = ["render", "blocks", "media"].map(String::from).to_vec();
    let targets = references(code, &me, &modules);
    let expected: BTreeSet<Vec<String>> =
        [vec!["render", "html"], vec!["render", "view"], vec!["site"]]
            .into_iter()
            .map(|m| m.into_iter().map(String::from).collect())
            .collect();
    assert_eq!(targets, expected);
}

/// The graph between top-level modules, and the graph between sibling submodules.
fn module_graphs(src: PathBuf) -> (Graph, Graph) {
    let files = rust_files(&src);
    let modules: BTreeSet<Vec<String>> = files.iter().map(|(m, _)| m.clone()).collect();
    let (mut top, mut inner) = (Graph::new(), Graph::new());
    for (me, path) in &files {
        let code = std::fs::read_to_string(path).unwrap();
        for target in references(&code, me, &modules) {
            if me[0] != target[0] {
                top.entry(me[0].clone())
                    .or_default()
                    .insert(target[0].clone());
            } else if me.len() >= 2 && target.len() >= 2 && me[1] != target[1] {
                // A module's own file (mod.rs) declares and re-exports its submodules, which
                // in turn use its items: only edges between siblings count inside a module.
                inner
                    .entry(format!("{}::{}", me[0], me[1]))
                    .or_default()
                    .insert(format!("{}::{}", target[0], target[1]));
            }
        }
    }
    (top, inner)
}

/// Every `.rs` file under `src/` with its module path, the command line's modules (`cli`,
/// `serve`, …, which use the library by name) included; `main.rs` and `bin/` are roots that
/// nothing imports, so they are left out.
fn rust_files(src: &Path) -> Vec<(Vec<String>, PathBuf)> {
    let roots = ["main", "bin"];
    let mut files = Vec::new();
    for path in files_under(src) {
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(src).unwrap().with_extension("");
        let mut module: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
            module.pop();
        }
        if module.is_empty() || roots.contains(&module[0].as_str()) {
            continue;
        }
        files.push((module, path));
    }
    files
}

/// The modules `code` (the file of module `me`) refers to, each cut to the longest known
/// module path.
fn references(code: &str, me: &[String], modules: &BTreeSet<Vec<String>>) -> BTreeSet<Vec<String>> {
    let code = strip_comments(code);
    let mut found = BTreeSet::new();
    for keyword in ["crate::", "super::", "self::"] {
        for (start, _) in code.match_indices(keyword) {
            if code[..start].ends_with(|c: char| c.is_alphanumeric() || "_$:".contains(c)) {
                continue; // `$crate::`, or part of a path that starts earlier
            }
            let mut base: Vec<String> = match keyword {
                "crate::" => Vec::new(),
                "super::" => me[..me.len() - 1].to_vec(),
                _ => me.to_vec(),
            };
            let mut rest = &code[start + keyword.len()..];
            while let Some(tail) = rest.strip_prefix("super::") {
                base.pop();
                rest = tail;
            }
            let mut paths = Vec::new();
            use_tree(rest, base, &mut paths);
            found.extend(paths);
        }
    }
    found
        .into_iter()
        .filter_map(|path| {
            (1..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|prefix| modules.contains(prefix))
        })
        .filter(|target| target.as_slice() != me)
        .collect()
}

/// Reads the `use` tree or inline path at the start of `text` into `paths`, each prefixed
/// with `prefix` (`a::{b::c, d}` gives `a::b::c` and `a::d`), and returns the bytes read.
fn use_tree(text: &str, prefix: Vec<String>, paths: &mut Vec<Vec<String>>) -> usize {
    let mut path = prefix;
    let mut at = 0;
    loop {
        at += text[at..].len() - text[at..].trim_start().len();
        if text[at..].starts_with('{') {
            at += 1;
            loop {
                at += use_tree(&text[at..], path.clone(), paths);
                at += text[at..].len() - text[at..].trim_start().len();
                match text[at..].chars().next() {
                    Some(',') => at += 1,
                    Some('}') => return at + 1,
                    _ => return at,
                }
                at += text[at..].len() - text[at..].trim_start().len();
                if text[at..].starts_with('}') {
                    return at + 1;
                }
            }
        }
        let ident = text[at..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(text.len() - at);
        if ident == 0 {
            break;
        }
        path.push(text[at..at + ident].to_string());
        at += ident;
        match text[at..].strip_prefix("::") {
            Some(_) => at += 2,
            None => break,
        }
    }
    paths.push(path);
    at
}

fn files_under(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// The code without `//` comments (doc comments included) and without string literals'
/// contents, so that a path mentioned in prose is not an import.
fn strip_comments(code: &str) -> String {
    code.lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The strongly connected components of more than one module (Tarjan's algorithm), each
/// sorted.
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct Tarjan<'a> {
        graph: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Tarjan<'a> {
        fn visit(&mut self, node: &'a str) {
            let n = self.index.len();
            self.index.insert(node, n);
            self.low.insert(node, n);
            self.stack.push(node);
            for next in self.graph.get(node).into_iter().flatten() {
                if !self.index.contains_key(next.as_str()) {
                    self.visit(next);
                    let low = self.low[node].min(self.low[next.as_str()]);
                    self.low.insert(node, low);
                } else if self.stack.contains(&next.as_str()) {
                    let low = self.low[node].min(self.index[next.as_str()]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let at = self.stack.iter().rposition(|n| *n == node).unwrap();
                let mut component: Vec<String> = self.stack.drain(at..).map(String::from).collect();
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }
    let mut tarjan = Tarjan {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !tarjan.index.contains_key(node.as_str()) {
            tarjan.visit(node);
        }
    }
    tarjan.found
}

fn print_graph(title: &str, graph: &Graph) {
    println!("{title}:");
    for (from, to) in graph {
        let to: Vec<&str> = to.iter().map(String::as_str).collect();
        println!("  {from} -> {}", to.join(", "));
    }
}
