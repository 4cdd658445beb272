//! Rich text: text runs, equations and mentions.

use serde::{Deserialize, Deserializer};
use serde_json::Value;
use serde_json::value::RawValue;

use super::{DateValue, User};

/// One run of rich text with its styling.
#[derive(Debug, Clone, PartialEq)]
pub struct RichText {
    /// What the run is: text, an equation or a mention.
    pub content: RichTextContent,
    /// Its styling.
    pub annotations: Annotations,
    /// The run as plain text (for mentions: the name Notion shows).
    pub plain_text: String,
    /// The link of the run, if any (for page mentions: the page's notion.so URL).
    pub href: Option<String>,
}

/// What a run of rich text is.
#[derive(Debug, Clone, PartialEq)]
pub enum RichTextContent {
    /// Text, possibly a link.
    Text {
        /// The text.
        content: String,
        /// The URL it links to: a web URL, or `/<id>` for a page of the workspace.
        link: Option<String>,
    },
    /// An inline equation.
    Equation {
        /// The LaTeX source.
        expression: String,
    },
    /// A mention of a user, page, date, ….
    Mention(Mention),
    /// A run type this version of notion-bake does not know, or a run it could not read.
    Unknown {
        /// The `type` Notion sent.
        type_name: String,
    },
}

/// An inline mention.
#[derive(Debug, Clone, PartialEq)]
pub enum Mention {
    /// A user (`@Name`).
    User(User),
    /// A page.
    Page {
        /// The page's id.
        id: String,
    },
    /// A database (or, in newer API versions, a data source).
    Database {
        /// Its id.
        id: String,
    },
    /// A date or date range.
    Date(DateValue),
    /// A link shown as a live preview (Figma, GitHub, …).
    LinkPreview {
        /// The previewed URL.
        url: String,
    },
    /// A link shown with the title of what it links to.
    LinkMention {
        /// The linked URL.
        href: String,
        /// The linked page's title, if Notion fetched one.
        title: Option<String>,
    },
    /// `@Today`, `@Now` or `@Me` in a template.
    Template {
        /// What the mention stands for: `today`, `now` or `me`.
        value: String,
    },
    /// One of the workspace's custom emoji.
    CustomEmoji {
        /// The emoji's id.
        id: String,
        /// Its name (`bufo`).
        name: String,
        /// Its image: a public URL that does not expire.
        url: String,
    },
    /// A mention type this version of notion-bake does not know, or one it could not read.
    Unknown {
        /// The mention's `type`.
        type_name: String,
        /// Its payload as sent.
        raw: Value,
    },
}

/// Bold, italic, … and color; all six keys are always present in Notion's responses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct Annotations {
    /// Whether the run is bold.
    pub bold: bool,
    /// Whether the run is italic.
    pub italic: bool,
    /// Whether the run is struck through.
    pub strikethrough: bool,
    /// Whether the run is underlined.
    pub underline: bool,
    /// Whether the run is inline code.
    pub code: bool,
    /// Its text or background color.
    pub color: Color,
}

/// A Notion color name: `default`, `gray`, …, `red`, or `<color>_background`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(transparent)]
pub struct Color(pub String);

impl Default for Color {
    fn default() -> Self {
        Color("default".to_owned())
    }
}

impl Color {
    pub(crate) fn is_default(&self) -> bool {
        self.0 == "default" || self.0.is_empty()
    }
}

/// The plain text of a run of rich text, concatenated.
pub fn plain_text(runs: &[RichText]) -> String {
    runs.iter().map(|r| r.plain_text.as_str()).collect()
}

fn str_at<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

fn owned_at(value: &Value, key: &str) -> String {
    str_at(value, key).unwrap_or_default().to_owned()
}

impl RichText {
    pub(crate) fn from_value(value: &Value) -> RichText {
        RunFields::deserialize(value)
            .map(RichText::from_fields)
            .unwrap_or_else(|_| RichText::salvage(value))
    }

    fn from_fields(fields: RunFields) -> RichText {
        let content = match fields.type_name.as_deref().unwrap_or("text") {
            "text" => {
                let text = fields.text.unwrap_or_default();
                RichTextContent::Text {
                    content: text.content,
                    link: text.link.and_then(|l| l.url),
                }
            }
            "equation" => RichTextContent::Equation {
                expression: fields.equation.map(|e| e.expression).unwrap_or_default(),
            },
            "mention" => RichTextContent::Mention(Mention::from_value(
                fields.mention.as_ref().unwrap_or(&Value::Null),
            )),
            other => RichTextContent::Unknown {
                type_name: other.to_owned(),
            },
        };
        let plain_text = match (fields.plain_text, &content) {
            (Some(text), _) => text,
            (None, RichTextContent::Text { content, .. }) => content.clone(),
            (None, RichTextContent::Equation { expression }) => expression.clone(),
            (None, _) => String::new(),
        };
        RichText {
            content,
            annotations: fields.annotations.unwrap_or_default(),
            plain_text,
            href: fields.href,
        }
    }

    /// A run of an unexpected shape (say, `annotations` that is not an object) keeps its text.
    fn salvage(value: &Value) -> RichText {
        RichText {
            content: RichTextContent::Unknown {
                type_name: str_at(value, "type").unwrap_or("text").to_owned(),
            },
            annotations: Annotations::default(),
            plain_text: owned_at(value, "plain_text"),
            href: None,
        }
    }
}

/// The fields of a rich-text run, read straight from JSON (no `Value` in between: runs are
/// most of the bytes of every page). Mentions, rare and varied, are read from a `Value`.
#[derive(Deserialize)]
struct RunFields {
    #[serde(rename = "type")]
    type_name: Option<String>,
    text: Option<TextPayload>,
    equation: Option<EquationPayload>,
    mention: Option<Value>,
    annotations: Option<Annotations>,
    plain_text: Option<String>,
    href: Option<String>,
}

#[derive(Default, Deserialize)]
struct TextPayload {
    #[serde(default)]
    content: String,
    link: Option<LinkPayload>,
}

#[derive(Deserialize)]
struct LinkPayload {
    url: Option<String>,
}

#[derive(Deserialize)]
struct EquationPayload {
    #[serde(default)]
    expression: String,
}

impl Mention {
    fn from_value(mention: &Value) -> Mention {
        let type_name = str_at(mention, "type").unwrap_or_default();
        let payload = mention.get(type_name).unwrap_or(&Value::Null);
        let parsed = match type_name {
            "user" => User::deserialize(payload).ok().map(Mention::User),
            "page" => Some(Mention::Page {
                id: owned_at(payload, "id"),
            }),
            "database" | "data_source" => Some(Mention::Database {
                id: owned_at(payload, "id"),
            }),
            "date" => DateValue::deserialize(payload).ok().map(Mention::Date),
            "link_preview" => Some(Mention::LinkPreview {
                url: owned_at(payload, "url"),
            }),
            "link_mention" => Some(Mention::LinkMention {
                href: owned_at(payload, "href"),
                title: str_at(payload, "title").map(str::to_owned),
            }),
            "template_mention" => {
                let kind = str_at(payload, "type").unwrap_or_default();
                Some(Mention::Template {
                    value: owned_at(payload, kind),
                })
            }
            "custom_emoji" => Some(Mention::CustomEmoji {
                id: owned_at(payload, "id"),
                name: owned_at(payload, "name"),
                url: owned_at(payload, "url"),
            }),
            _ => None,
        };
        parsed.unwrap_or_else(|| Mention::Unknown {
            type_name: type_name.to_owned(),
            raw: payload.clone(),
        })
    }
}

/// A run is first taken as raw JSON, so one of an unexpected shape keeps its text instead of
/// failing its whole block.
impl<'de> Deserialize<'de> for RichText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        Ok(serde_json::from_str::<RunFields>(raw.get())
            .map(RichText::from_fields)
            .unwrap_or_else(|_| {
                RichText::salvage(&serde_json::from_str(raw.get()).unwrap_or(Value::Null))
            }))
    }
}
