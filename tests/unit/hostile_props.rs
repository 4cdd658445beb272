//! Property tests over the sanitisers between Notion and the site: random and adversarial
//! inputs never give an executable link, a file name or slug that leaves its folder, or an SVG
//! that can run script.

use std::path::{Component, Path};

use proptest::prelude::*;
use quick_xml::events::Event;

use crate::assets::active::{is_active_extension, sanitize_svg};
use crate::assets::bake::asset_stem;
use crate::render::html::safe_href;
use crate::site::slug::{clean_explicit_slug, slugify};

const SCRIPT_SCHEMES: [&str; 4] = ["javascript:", "vbscript:", "data:", "file:"];

/// An independent reading of a URL the way its consumers may read it: HTML entities decoded
/// (a browser's attribute, CommonMark's link destination), percent-decoded, both, twice; then
/// what a browser ignores (tabs, newlines, leading controls and spaces) dropped.
fn readings(url: &str) -> Vec<String> {
    let entities = |s: &str| {
        let html = scraper::Html::parse_fragment(&format!(
            "<a href=\"{}\"></a>",
            s.replace('"', "&quot;")
        ));
        let a = scraper::Selector::parse("a").unwrap();
        html.select(&a)
            .next()
            .and_then(|a| a.value().attr("href"))
            .unwrap_or_default()
            .to_owned()
    };
    let percent = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let mut all = vec![url.to_owned()];
    for _ in 0..2 {
        let next: Vec<String> = all
            .iter()
            .flat_map(|u| [entities(u), percent(u), percent(&entities(u))])
            .collect();
        all.extend(next);
    }
    all.iter()
        .map(|u| {
            u.chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect::<String>()
                .trim_start_matches(|c: char| c <= ' ')
                .to_ascii_lowercase()
        })
        .collect()
}

fn executes(url: &str) -> bool {
    readings(url)
        .iter()
        .any(|r| SCRIPT_SCHEMES.iter().any(|s| r.starts_with(s)))
}

/// One character of a scheme, spelt in any of the ways a decoder turns back into it.
fn spelt(c: char) -> impl Strategy<Value = String> {
    let code = c as u32;
    prop_oneof![
        Just(c.to_string()),
        Just(c.to_ascii_uppercase().to_string()),
        Just(format!("&#{code};")),
        Just(format!("&#x{code:x};")),
        Just(format!("&#X{code:02X};")),
        Just(format!("%{code:02x}")),
        Just(format!("&#0000{code};")),
        Just(format!("\t{c}")),
        Just(format!("{c}\n")),
    ]
}

/// `javascript:` and friends, every character spelt at random, the colon too.
fn obfuscated_script_url() -> impl Strategy<Value = String> {
    let scheme = prop_oneof![Just("javascript"), Just("vbscript"), Just("data")];
    (scheme, "[ \t\n\u{1}]{0,3}", ".{0,20}").prop_flat_map(|(scheme, lead, rest)| {
        let letters: Vec<_> = scheme.chars().map(spelt).collect();
        let colon = prop_oneof![
            Just(":".to_owned()),
            Just("&colon;".to_owned()),
            Just("&#58;".to_owned()),
            Just("&#x3a;".to_owned()),
            Just("%3A".to_owned()),
            Just("%3a".to_owned()),
            Just("&amp;colon;".to_owned()),
            Just("%253A".to_owned()),
        ];
        (letters, colon)
            .prop_map(move |(letters, colon)| format!("{lead}{}{colon}{rest}", letters.concat()))
    })
}

/// Text made of the characters that matter to URLs, entities and paths.
fn url_soup() -> impl Strategy<Value = String> {
    "[a-zA-Z:/&#;%0-9xX\\.\\?= \t\n\u{0}\u{1}\u{7f}\u{200b}]{0,40}"
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn obfuscated_script_urls_are_refused(url in obfuscated_script_url()) {
        prop_assert_eq!(safe_href(&url), None, "{:?}", url);
    }

    #[test]
    fn an_accepted_url_never_executes(url in prop_oneof![url_soup(), obfuscated_script_url(), ".*"]) {
        if let Some(href) = safe_href(&url) {
            prop_assert!(!executes(&url), "{:?} accepted", url);
            prop_assert!(!executes(&href), "{:?} written as {:?}", url, href);
        }
    }

    #[test]
    fn slugs_and_file_stems_stay_inside_their_folder(name in prop_oneof![url_soup(), ".*", "(\\.\\./|/|\\\\|\\.)+[a-z]{0,3}"]) {
        for out in [slugify(&name), clean_explicit_slug(&name), asset_stem(&name)] {
            prop_assert!(
                out.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'),
                "{:?} → {:?}", name, out
            );
            let joined = Path::new("out").join(&out);
            prop_assert!(joined.components().skip(1).all(|c| matches!(c, Component::Normal(_))));
            prop_assert!(joined.starts_with("out"));
        }
        prop_assert!(!asset_stem(&name).is_empty());
    }

    #[test]
    fn the_svg_sanitiser_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = sanitize_svg(&bytes);
    }

    #[test]
    fn a_sanitised_svg_holds_nothing_that_runs(doc in svg_document()) {
        let Ok(clean) = sanitize_svg(doc.as_bytes()) else {
            return Ok(());
        };
        let text = String::from_utf8(clean.into_owned()).unwrap();
        let mut reader = quick_xml::Reader::from_str(&text);
        loop {
            match reader.read_event() {
                Ok(Event::Eof) => break,
                Ok(Event::Start(e) | Event::Empty(e)) => {
                    let name = e.name().as_ref().to_owned();
                    prop_assert!(
                        !matches!(name.to_ascii_lowercase().as_str(), "script" | "foreignobject" | "iframe" | "animate" | "set" | "handler")
                            && !name.contains(':'),
                        "<{}> in {}", name, text
                    );
                    for attribute in e.attributes() {
                        let attribute = attribute.unwrap();
                        let key = attribute.key.as_ref().to_ascii_lowercase();
                        let value = attribute.normalized_value(quick_xml::XmlVersion::Implicit1_0).unwrap();
                        prop_assert!(!key.starts_with("on"), "{} in {}", key, text);
                        // An inline raster image is the one `data:` URL kept (on `<image>`).
                        let raster = value.starts_with("data:image/png;") && name.ends_with("mage");
                        if key.ends_with("href") && !raster {
                            prop_assert!(!executes(&value), "{}={:?} in {}", key, value, text);
                        }
                    }
                }
                Ok(Event::PI(_) | Event::DocType(_)) => prop_assert!(false, "PI or DTD in {}", text),
                Ok(_) => {}
                Err(e) => prop_assert!(false, "unparseable output {}: {}", e, text),
            }
        }
    }
}

/// Random SVG documents from a hostile vocabulary: script elements, handlers, script links,
/// foreign namespaces, entities, processing instructions.
fn svg_document() -> impl Strategy<Value = String> {
    let element = prop_oneof![
        Just("g"),
        Just("rect"),
        Just("a"),
        Just("script"),
        Just("SCRIPT"),
        Just("use"),
        Just("image"),
        Just("foreignObject"),
        Just("animate"),
        Just("set"),
        Just("text"),
        Just("h:script"),
        Just("iframe"),
        Just("style"),
        Just("feImage"),
    ];
    let attribute = prop_oneof![
        Just("onload"),
        Just("OnClick"),
        Just("href"),
        Just("xlink:href"),
        Just("fill"),
        Just("style"),
        Just("attributeName"),
        Just("to"),
        Just("xmlns"),
        Just("xml:base"),
        Just("values"),
    ];
    let value = prop_oneof![
        obfuscated_script_url(),
        Just("#frag".to_owned()),
        Just("https://example.org/".to_owned()),
        Just("alert(1)".to_owned()),
        Just("url(javascript:alert(1))".to_owned()),
        Just("data:image/png;base64,AA".to_owned()),
        Just("http://www.w3.org/1999/xhtml".to_owned()),
    ];
    let node = (
        element,
        proptest::collection::vec((attribute, value), 0..3),
        "[a-z &;<>]{0,8}",
    );
    (
        proptest::collection::vec(node, 1..8),
        prop_oneof![Just(""), Just("<?xml-stylesheet href=\"x.xsl\"?>"), Just("<!DOCTYPE svg [<!ENTITY e \"javascript:x\">]>")],
    )
        .prop_map(|(nodes, prolog)| {
            let mut doc = format!(
                "{prolog}<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:h=\"http://www.w3.org/1999/xhtml\">"
            );
            let mut open = Vec::new();
            for (i, (name, attributes, text)) in nodes.into_iter().enumerate() {
                doc.push('<');
                doc.push_str(name);
                for (key, value) in attributes {
                    let value = value.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
                    doc.push_str(&format!(" {key}=\"{value}\""));
                }
                doc.push('>');
                doc.push_str(&text.replace('&', "&amp;").replace('<', "&lt;"));
                if i % 2 == 0 {
                    doc.push_str(&format!("</{name}>"));
                } else {
                    open.push(name);
                }
            }
            while let Some(name) = open.pop() {
                doc.push_str(&format!("</{name}>"));
            }
            doc.push_str("</svg>");
            doc
        })
}

#[test]
fn html_like_extensions_are_inert() {
    for extension in ["html", "XHTML", "svg", "xml"] {
        assert!(is_active_extension(extension));
    }
}
