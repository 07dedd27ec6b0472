//! A tool's arguments read from the client's JSON, each wrong one an invalid-params error
//! that says what the tool wants.
use serde_json::{Map, Value};

use super::error::ToolError;

pub type Args = Map<String, Value>;

/// A string that must be there and hold more than spaces.
pub fn required_str<'a>(args: &'a Args, key: &str) -> Result<&'a str, ToolError> {
    match args.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s),
        Some(Value::String(_)) => Err(invalid(format!("{key} is empty"))),
        Some(_) => Err(invalid(format!("{key} must be a string"))),
        None => Err(invalid(format!("{key} is required"))),
    }
}

pub fn optional_str(args: &Args, key: &str) -> Result<Option<String>, ToolError> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid(format!("{key} must be a string"))),
    }
}

/// An integer from `range`, or `default` when not given.
pub fn optional_count(
    args: &Args,
    key: &str,
    range: std::ops::RangeInclusive<u64>,
    default: u64,
) -> Result<u64, ToolError> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(default),
        Some(v) => v.as_u64().filter(|n| range.contains(n)).ok_or_else(|| {
            invalid(format!(
                "{key} must be an integer from {} to {}",
                range.start(),
                range.end()
            ))
        }),
    }
}

/// A line number, counted from 1.
pub fn optional_line(args: &Args, key: &str) -> Result<Option<usize>, ToolError> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .filter(|n| *n >= 1)
            .map(|n| Some(n as usize))
            .ok_or_else(|| invalid(format!("{key} must be an integer from 1"))),
    }
}

fn invalid(why: String) -> ToolError {
    ToolError::InvalidParams(why)
}
