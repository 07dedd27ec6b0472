//! A role file: TOML front matter between two `+++` lines, then the system prompt. Every
//! mistake is one [`RoleError::Invalid`] naming the file and the line, counted from the
//! opening `+++` as line 1, so an editor can jump to it.
use std::path::Path;

use serde::Deserialize;

use super::RoleError;
use crate::router::TierChoice;

/// The front matter as written; unknown keys are refused, since a misspelt `temprature`
/// silently ignored would be a role that does not do what it says.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub description: String,
    pub model: Option<String>,
    pub endpoint: Option<String>,
    pub tier: Option<String>,
    pub temp: Option<f32>,
    pub top_k: Option<i32>,
    pub top_p: Option<f32>,
    pub min_p: Option<f32>,
    pub repeat_penalty: Option<f32>,
    pub max_tokens: Option<u32>,
    pub seed: Option<u32>,
    #[serde(default)]
    pub lora: Vec<Adapter>,
    #[serde(default)]
    pub scope: Vec<String>,
    #[serde(default = "yes")]
    pub context: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adapter {
    pub path: String,
    #[serde(default = "one")]
    pub scale: f32,
}

fn yes() -> bool {
    true
}

fn one() -> f32 {
    1.0
}

/// A role file split and read: its front matter and its body (the system prompt).
#[derive(Debug)]
pub struct Parsed {
    pub front: FrontMatter,
    pub tier: Option<TierChoice>,
    pub body: String,
}

const FENCE: &str = "+++";

/// Reads `text`, the content of `file` (shown in errors as it is given).
pub fn parse(file: &Path, text: &str) -> Result<Parsed, RoleError> {
    let invalid = |line: usize, why: String| RoleError::Invalid {
        file: file.display().to_string(),
        line,
        why,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    if lines.next().map(str::trim_end) != Some(FENCE) {
        return Err(invalid(
            1,
            "a role starts with a `+++` line, then its TOML settings, then `+++` and the prompt"
                .into(),
        ));
    }
    let start = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = start;
    let mut end = None;
    for line in lines {
        if line.trim_end() == FENCE {
            end = Some(offset);
            break;
        }
        offset += line.len();
    }
    let Some(end) = end else {
        return Err(invalid(
            1,
            "the front matter has no closing `+++` line".into(),
        ));
    };
    let toml_text = &text[start..end];
    let body = text[end..].split_once('\n').map_or("", |(_, b)| b);
    // Line 1 is the opening fence, so the TOML's first line is line 2.
    let line_at = |byte: usize| 2 + toml_text[..byte.min(toml_text.len())].matches('\n').count();
    let front: FrontMatter = toml::from_str(toml_text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_at(s.start));
        invalid(line, e.message().trim().to_string())
    })?;
    // The line that sets `key` (`key = …`); the fence when none does.
    let key_line = |key: &str| {
        toml_text
            .lines()
            .position(|l| {
                l.trim_start()
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            })
            .map_or(1, |i| i + 2)
    };
    let checked = check(&front).map_err(|(key, why)| invalid(key_line(key), why))?;
    if body.trim().is_empty() {
        return Err(invalid(
            2 + toml_text.matches('\n').count(),
            "the role has no prompt: write it below the closing `+++`".into(),
        ));
    }
    Ok(Parsed {
        front,
        tier: checked,
        body: body.trim().to_string(),
    })
}

/// Values TOML accepts but pai cannot use: the key at fault and why.
fn check(f: &FrontMatter) -> Result<Option<TierChoice>, (&'static str, String)> {
    if f.description.trim().is_empty() {
        return Err(("description", "the description is empty".into()));
    }
    let ranges = [
        (
            "temp",
            f.temp.is_none_or(|t| t.is_finite() && t >= 0.0),
            "temp must be 0 or more",
        ),
        (
            "top_p",
            f.top_p.is_none_or(|p| (0.0..=1.0).contains(&p)),
            "top_p must be between 0 and 1",
        ),
        (
            "min_p",
            f.min_p.is_none_or(|p| (0.0..=1.0).contains(&p)),
            "min_p must be between 0 and 1",
        ),
        (
            "repeat_penalty",
            f.repeat_penalty.is_none_or(|r| r.is_finite() && r > 0.0),
            "repeat_penalty must be more than 0",
        ),
        (
            "max_tokens",
            f.max_tokens != Some(0),
            "max_tokens must be 1 or more",
        ),
    ];
    if let Some((key, _, why)) = ranges.iter().find(|(_, ok, _)| !ok) {
        return Err((key, why.to_string()));
    }
    let named = [
        ("model", f.model.is_some()),
        ("endpoint", f.endpoint.is_some()),
        ("tier", f.tier.is_some()),
    ];
    let mut set = named.iter().filter(|(_, is_set)| *is_set);
    if let (Some(_), Some((second, _))) = (set.next(), set.next()) {
        return Err((
            second,
            "name one of model, endpoint and tier: each picks what answers".into(),
        ));
    }
    if let Some(a) = f.lora.iter().find(|a| !a.scale.is_finite()) {
        return Err((
            "lora",
            format!("the adapter {} has no finite scale", a.path),
        ));
    }
    if let Some(bad) = f.scope.iter().find_map(|g| globset::Glob::new(g).err()) {
        return Err(("scope", format!("a scope glob is not valid: {bad}")));
    }
    match f.tier.as_deref() {
        None => Ok(None),
        Some(t) => TierChoice::parse(t).map(Some).ok_or((
            "tier",
            format!("tier '{t}' is not one of local, medium, large, auto"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> (usize, String) {
        match parse(Path::new("r.md"), text) {
            Err(RoleError::Invalid { line, why, .. }) => (line, why),
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn front_matter_and_body_are_split() {
        let p = parse(
            Path::new("r.md"),
            "+++\ndescription = \"d\"\ntemp = 0.1\nlora = [{ path = \"a.gguf\" }]\n+++\nYou help.\n",
        )
        .unwrap();
        assert_eq!(p.front.description, "d");
        assert_eq!(p.front.temp, Some(0.1));
        assert_eq!(p.front.lora[0].scale, 1.0);
        assert!(p.front.context);
        assert_eq!(p.body, "You help.");
    }

    #[test]
    fn errors_name_the_line_counting_the_fence() {
        let (line, why) = error_of("+++\ndescription = \"d\"\ntemprature = 1\n+++\nx\n");
        assert_eq!(line, 3);
        assert!(why.contains("temprature"), "{why}");
        assert_eq!(
            error_of("+++\ndescription = \"d\"\n\ntemp = \"hot\"\n+++\nx").0,
            4
        );
        assert_eq!(error_of("+++\ndescription = \"d\"\ntemp = -1\n+++\nx").0, 3);
        assert_eq!(error_of("description = \"d\"\n").0, 1);
        assert_eq!(error_of("+++\ndescription = \"d\"\n").0, 1);
        assert_eq!(error_of("+++\n+++\nx").0, 2, "description is required");
        assert_eq!(
            error_of("+++\ndescription = \"d\"\ntier = \"huge\"\n+++\nx").0,
            3
        );
        assert_eq!(error_of("+++\ndescription = \"d\"\n+++\n\n").0, 3);
        let both = "+++\ndescription = \"d\"\nmodel = \"m\"\ntemp = 0.1\nendpoint = \"e\"\n+++\nx";
        assert_eq!(
            error_of(both).0,
            5,
            "the second of the keys that exclude each other"
        );
    }
}
