//! pai's roles as MCP prompts. Each role (docs/roles.md) is a prompt of the same name with
//! one required argument, `input`: what the role works on (the code to review, the text to
//! translate, the task). `prompts/get` gives two user messages: the role's instructions, then
//! the input. MCP prompts carry no system message, so the instructions come first as the
//! user's own words; a client that wants them as a system prompt can take the first message.
use serde_json::{json, Map, Value};

use super::error::ToolError;
use crate::render::sanitize;
use crate::roles::{self, Role, RoleError};

/// The one argument every role-prompt takes.
pub const INPUT: &str = "input";

const INPUT_DESCRIPTION: &str =
    "what the role works on: the code or text to review, translate or rewrite, or the task";

/// `prompts/list`: every role, the user's over the shipped ones.
pub fn list(config_dir: &std::path::Path) -> Result<Value, ToolError> {
    let roles = roles::list(config_dir).map_err(from_role_error)?;
    let prompts: Vec<Value> = roles.iter().map(listed).collect();
    Ok(json!({ "prompts": prompts }))
}

fn listed(role: &Role) -> Value {
    json!({
        "name": role.name,
        "description": sanitize(&role.description),
        "arguments": [{"name": INPUT, "description": INPUT_DESCRIPTION, "required": true}],
    })
}

/// `prompts/get`: the role's instructions and the input, as messages.
pub fn get(
    config_dir: &std::path::Path,
    name: &str,
    arguments: &Map<String, Value>,
) -> Result<Value, ToolError> {
    let role = roles::find(config_dir, name).map_err(from_role_error)?;
    if let Some(other) = arguments.keys().find(|k| *k != INPUT) {
        return Err(ToolError::InvalidParams(format!(
            "prompt '{name}' takes only the argument '{INPUT}', not '{other}'"
        )));
    }
    let input = match arguments.get(INPUT) {
        Some(Value::String(s)) if !s.trim().is_empty() => s,
        Some(Value::String(_)) | None => {
            return Err(ToolError::InvalidParams(format!(
                "prompt '{name}' needs the argument '{INPUT}': {INPUT_DESCRIPTION}"
            )))
        }
        Some(_) => {
            return Err(ToolError::InvalidParams(format!(
                "the argument '{INPUT}' must be a string"
            )))
        }
    };
    Ok(json!({
        "description": sanitize(&role.description),
        "messages": [text_message(role.prompt.trim()), text_message(input)],
    }))
}

/// `completion/complete` for a prompt's argument: none. The one argument a role takes,
/// `input`, is free text (the code to review, the text to translate), which has no list of
/// values to offer; a prompt or argument pai does not have gets the same empty list rather
/// than an error, as a client that completes as the user types expects.
pub fn complete() -> Vec<String> {
    Vec::new()
}

fn text_message(text: &str) -> Value {
    json!({"role": "user", "content": {"type": "text", "text": sanitize(text)}})
}

/// An unknown role is the client's to fix (-32602, as MCP says for an unknown prompt); a
/// broken role file is the user's.
fn from_role_error(e: RoleError) -> ToolError {
    let text = e.to_string();
    match e {
        RoleError::Unknown { available, .. } => {
            ToolError::InvalidParams(format!("{text}; the prompts are: {}", available.join(", ")))
        }
        RoleError::Invalid { .. } | RoleError::Unreadable { .. } => ToolError::Unavailable(
            format!("{text}; fix the role file (docs/roles.md lists its keys)"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_list_as_prompts_and_get_with_their_input() {
        let dir = tempfile::tempdir().unwrap();
        let listed = list(dir.path()).unwrap();
        let names: Vec<&str> = listed["prompts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["reviewer", "sysadmin", "translator", "writer"]);
        assert_eq!(listed["prompts"][0]["arguments"][0]["required"], true);
        let mut args = Map::new();
        args.insert(INPUT.into(), json!("fn main() {}"));
        let got = get(dir.path(), "reviewer", &args).unwrap();
        let messages = got["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 2);
        assert!(messages[0]["content"]["text"]
            .as_str()
            .unwrap()
            .starts_with("You are a careful reviewer"));
        assert_eq!(messages[1]["content"]["text"], "fn main() {}");
    }

    #[test]
    fn unknown_prompts_missing_and_extra_arguments_are_the_clients_to_fix() {
        let dir = tempfile::tempdir().unwrap();
        let none = Map::new();
        for (name, args) in [
            ("reviewr", json!({"input": "x"})),
            ("reviewer", json!({})),
            ("reviewer", json!({"input": 3})),
            ("reviewer", json!({"input": "x", "lang": "fr"})),
        ] {
            let args = args.as_object().unwrap_or(&none).clone();
            let e = get(dir.path(), name, &args).unwrap_err();
            assert!(
                matches!(e, ToolError::InvalidParams(_)),
                "{name} {args:?}: {e}"
            );
        }
    }
}
