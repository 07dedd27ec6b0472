//! The exchange formats of a conversation: JSON (`pai history export --format json`, read back
//! by `pai history import`) and Markdown (for reading and sharing). The JSON keeps every stored
//! field; its `sources` is the stored JSON itself, not a string holding it.
use serde::{Deserialize, Serialize};

use super::{ConversationSummary, StoredMessage};
use crate::message::Role;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    /// The id it had where it was exported; an import gets a fresh one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub updated: Option<String>,
    pub messages: Vec<Message>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    #[serde(with = "role")]
    pub role: Role,
    pub text: String,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub prompt_tokens: Option<u32>,
    #[serde(default)]
    pub generated_tokens: Option<u32>,
    #[serde(default)]
    pub duration_ms: Option<f64>,
    #[serde(default)]
    pub sources: Option<serde_json::Value>,
    #[serde(default)]
    pub created: Option<String>,
}

impl Conversation {
    pub fn new(summary: &ConversationSummary, messages: &[StoredMessage]) -> Self {
        Self {
            id: Some(summary.id),
            title: Some(summary.title.clone()),
            model: summary.model.clone(),
            created: Some(summary.created.clone()),
            updated: Some(summary.updated.clone()),
            messages: messages.iter().map(Message::from).collect(),
        }
    }

    /// Markdown with a heading per message. Control characters are removed (a Markdown file is
    /// read in terminals too); the JSON form keeps the text exactly.
    pub fn to_markdown(&self) -> String {
        use crate::render::{sanitize, sanitize_line};
        let mut md = String::new();
        let title = self.title.as_deref().filter(|t| !t.is_empty());
        md.push_str(&format!(
            "# {}\n\n",
            sanitize_line(title.unwrap_or("Untitled conversation"))
        ));
        if let Some(id) = self.id {
            md.push_str(&format!("- conversation: {id}\n"));
        }
        if let Some(model) = &self.model {
            md.push_str(&format!("- model: {}\n", sanitize_line(model)));
        }
        if let Some(created) = &self.created {
            md.push_str(&format!("- created: {}\n", sanitize_line(created)));
        }
        if let Some(updated) = &self.updated {
            md.push_str(&format!("- updated: {}\n", sanitize_line(updated)));
        }
        for m in &self.messages {
            md.push_str(&format!("\n## {}\n\n", heading(m.role)));
            md.push_str(sanitize(&m.text).trim_end());
            md.push('\n');
            let sources = m.sources.as_ref().map(describe).unwrap_or_default();
            if !sources.is_empty() {
                md.push_str("\nSources:\n\n");
                for (i, source) in sources.iter().enumerate() {
                    md.push_str(&format!("{}. {}\n", i + 1, sanitize_line(source)));
                }
            }
        }
        md
    }
}

/// The sources an answer cited (stored JSON), one line each, for people to read.
pub fn source_lines(raw: &str) -> Vec<String> {
    match serde_json::from_str(raw) {
        Ok(value) => describe(&value),
        Err(_) => vec![raw.to_string()],
    }
}

/// An array's items: strings as they are, objects by their `path` and `lines` (a string, a
/// number or a [first, last] pair), anything else as compact JSON. Null says nothing.
fn describe(value: &serde_json::Value) -> Vec<String> {
    use serde_json::Value;
    let lines = |v: &Value| match v {
        Value::String(s) => format!(":{s}"),
        Value::Number(n) => format!(":{n}"),
        Value::Array(pair) => {
            let pair: Vec<String> = pair.iter().map(Value::to_string).collect();
            format!(":{}", pair.join("-"))
        }
        _ => String::new(),
    };
    let item = |item: &Value| match item {
        Value::String(s) => s.clone(),
        Value::Object(o) => match o.get("path") {
            Some(Value::String(path)) => {
                format!("{path}{}", o.get("lines").map(lines).unwrap_or_default())
            }
            _ => item.to_string(),
        },
        other => other.to_string(),
    };
    match value {
        Value::Null => Vec::new(),
        Value::Array(items) => items.iter().map(item).collect(),
        other => vec![item(other)],
    }
}

fn heading(role: Role) -> &'static str {
    match role {
        Role::System => "System",
        Role::User => "User",
        Role::Assistant => "Assistant",
        Role::Tool => "Tool",
    }
}

impl From<&StoredMessage> for Message {
    fn from(m: &StoredMessage) -> Self {
        let sources = m.sources_json.as_deref().map(|raw| {
            serde_json::from_str(raw).unwrap_or_else(|_| serde_json::Value::String(raw.into()))
        });
        Self {
            role: m.role,
            text: m.text.clone(),
            model: m.model.clone(),
            prompt_tokens: m.prompt_tokens,
            generated_tokens: m.generated_tokens,
            duration_ms: m.duration_ms,
            sources,
            created: Some(m.created.clone()),
        }
    }
}

mod role {
    use crate::message::Role;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(role: &Role, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(role.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Role, D::Error> {
        let text = String::deserialize(d)?;
        Role::parse(&text).ok_or_else(|| {
            D::Error::custom(format!("unknown role '{text}' (system, user or assistant)"))
        })
    }
}
