//! The user's settings: defaults in code, then `config.toml`, then `PAI_*` variables.
//! Runtime state (which model is the registry's default) lives in the registry, not here.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;

mod agent;
pub use agent::{AgentSettings, McpServerConfig, McpSettings};

/// The example shipped to users; `pai config show` prints the effective values instead.
pub const EXAMPLE: &str = include_str!("../../assets/config.example.toml");

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The model to use when none is named: a registered name or a path to a GGUF file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Threads for generation and prompt processing; unset means every available core.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threads: Option<u32>,
    /// The largest context window in tokens; unset means the model's trained length.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ctx: Option<u32>,
    /// Layers to offload to a GPU; unset means all of them when pai was built with GPU support.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpu_layers: Option<u32>,
    pub sampling: Sampling,
    pub context: ContextSettings,
    pub index: IndexSettings,
    pub hook: HookSettings,
    /// Named OpenAI-compatible servers (`--endpoint NAME`): vLLM, llama-server, Ollama, a
    /// cloud API, another `pai serve`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub endpoints: BTreeMap<String, EndpointConfig>,
    /// Which endpoints are the medium and large tiers of the router.
    pub tiers: TierNames,
    pub router: RouterSettings,
    pub catalog: CatalogSettings,
    pub agent: AgentSettings,
    pub mcp: McpSettings,
    pub speculation: SpeculationSettings,
    pub prompt_cache: PromptCacheSettings,
}

/// `[speculation]`: prompt-lookup drafting, for answers that copy their input (one-shot
/// commands with `--speculate`, serve requests that ask).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SpeculationSettings {
    /// The most tokens drafted at one step.
    pub draft_max: usize,
    /// The shortest run of last tokens that must occur earlier for a draft.
    pub ngram_min: usize,
    /// The longest run tried first.
    pub ngram_max: usize,
    /// Start with one-token drafts, double after a draft read whole, cut after a miss.
    pub adaptive: bool,
}

impl Default for SpeculationSettings {
    /// The same as `engine::speculate::Speculation::default()`.
    fn default() -> Self {
        Self {
            draft_max: 16,
            ngram_min: 2,
            ngram_max: 4,
            adaptive: true,
        }
    }
}

/// `[prompt_cache]`: the saved state of prompt beginnings that one-shot commands share.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PromptCacheSettings {
    pub enabled: bool,
    /// The most megabytes all saved prefixes may take; the oldest go first.
    pub max_mb: u64,
}

impl Default for PromptCacheSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            max_mb: 256,
        }
    }
}

/// `[catalog]`: where `pai model pull NAME` looks names up and downloads from.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct CatalogSettings {
    /// Replaces `https://huggingface.co` in the catalog's URLs (a mirror) [env: PAI_CATALOG_URL].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A catalog file used instead of the shipped one [env: PAI_CATALOG].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<std::path::PathBuf>,
}

/// `[tiers]`: the router's remote tiers, each the name of an `[endpoints.NAME]` table.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct TierNames {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub medium: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub large: Option<String>,
}

/// `[router]`: when a request may leave the machine.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RouterSettings {
    /// `local` never leaves the machine unless a flag says so; `auto` lets the policy decide.
    pub mode: RouterMode,
    /// The most each remote tier may cost per calendar month, in US dollars.
    pub monthly_budget_usd: TierBudget,
    /// Keep the redacted payload of every remote call in the audit log, not only its hash.
    pub audit_payloads: bool,
    /// Local tokens read before the confidence check (16 to 64).
    pub escalate_after: u32,
    /// Below this confidence (0 to 1) the request goes to the medium tier.
    pub medium_below: f64,
    /// Below this confidence it goes to the large tier, when one is configured.
    pub large_below: f64,
    /// The user's own rules, first match wins: `[[router.rules]]`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RouteRule>,
}

impl Default for RouterSettings {
    fn default() -> Self {
        Self {
            mode: RouterMode::Local,
            monthly_budget_usd: TierBudget::default(),
            audit_payloads: false,
            escalate_after: 24,
            medium_below: 0.5,
            large_below: 0.2,
            rules: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RouterMode {
    #[default]
    Local,
    Auto,
}

/// Dollars per month per remote tier; unset means no cap.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct TierBudget {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub medium: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub large: Option<f64>,
}

/// One `[[router.rules]]` entry: when every given condition holds, `tier` answers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RouteRule {
    /// The front end: ask, chat, commit, hook, edit, explain, complete, shell, serve.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub front: Option<String>,
    /// The role the request runs under.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// A regular expression the question must match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// local, medium, large or auto.
    pub tier: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct HookSettings {
    /// Seconds the commit hook may take before the commit goes on with an empty message.
    pub timeout_s: f64,
    /// The role the hook writes messages as (`pai commit --role NAME` for the hook).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

impl Default for HookSettings {
    fn default() -> Self {
        Self {
            timeout_s: 30.0,
            role: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ContextSettings {
    /// The most excerpts from the index for each question (fewer when the top hit leads); 0 turns retrieval off.
    pub chunks: usize,
    /// The most tokens of retrieved text per question: reading the prompt costs time.
    pub retrieval_tokens: usize,
    /// Whether the date, directory, git state and host go into every prompt.
    pub cell: bool,
    /// Remembered facts (`pai remember`) that share words with the question, per question;
    /// 0 leaves memories out of prompts.
    pub memories: usize,
    /// The most tokens of remembered facts per question.
    pub memory_tokens: usize,
}

impl Default for ContextSettings {
    fn default() -> Self {
        Self {
            // Small models answer best from few, good excerpts (docs/ARCHITECTURE.md).
            chunks: 3,
            retrieval_tokens: 1200,
            cell: true,
            memories: 5,
            memory_tokens: 300,
        }
    }
}

/// The default cap on a file's size for the index; larger files are counted as skipped
/// ("too large").
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1 << 20;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct IndexSettings {
    /// Files larger than this many bytes are skipped ("too large") by `pai index`.
    pub max_file_size: u64,
    /// A GGUF sentence encoder (such as all-MiniLM-L6-v2) for sources added with `--semantic`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embed_model: Option<PathBuf>,
}

impl Default for IndexSettings {
    fn default() -> Self {
        Self {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            embed_model: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Sampling {
    pub max_tokens: u32,
    pub temp: f32,
    pub top_k: i32,
    pub top_p: f32,
    pub min_p: f32,
    pub repeat_penalty: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u32>,
}

impl Default for Sampling {
    fn default() -> Self {
        Self {
            max_tokens: 512,
            temp: 0.7,
            top_k: 40,
            top_p: 0.95,
            min_p: 0.05,
            // Small models loop without it; 1.0 turns it off.
            repeat_penalty: 1.1,
            seed: None,
        }
    }
}

impl Config {
    /// Reads the file if there is one, then applies the environment.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let mut config = match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text, path)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Self::default(),
            Err(e) => {
                return Err(Error::config(format!(
                    "cannot read {}: {e}",
                    path.display()
                )))
            }
        };
        if let Some(model) = std::env::var("PAI_MODEL").ok().filter(|m| !m.is_empty()) {
            config.model = Some(model);
        }
        if let Some(url) = std::env::var("PAI_CATALOG_URL")
            .ok()
            .filter(|u| !u.is_empty())
        {
            config.catalog.url = Some(url);
        }
        if let Some(file) = std::env::var_os("PAI_CATALOG").filter(|f| !f.is_empty()) {
            config.catalog.file = Some(file.into());
        }
        Ok(config)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Self, Error> {
        let config: Self = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
            let place = match line {
                Some(line) => format!("{} line {line}", path.display()),
                None => path.display().to_string(),
            };
            Error::config(format!("{place}: {}", e.message().trim_end()))
                .hint("fix or remove that line; `pai config example` shows every setting")
        })?;
        config.check().map_err(|(key, why)| {
            Error::config(format!("{}: {key} {why}", path.display()))
                .hint("fix or remove that setting; `pai config example` shows every setting")
        })?;
        for (name, endpoint) in &config.endpoints {
            endpoint.check(name).map_err(|(key, why)| {
                Error::config(format!(
                    "{}: [endpoints.{name}] {key} {why}",
                    path.display()
                ))
                .hint("fix or remove that setting; docs/serve.md shows endpoint recipes")
            })?;
        }
        config.check_router().map_err(|(key, why)| {
            Error::config(format!("{}: {key} {why}", path.display())).hint(
                "fix or remove that setting; `pai config example` shows the router's settings",
            )
        })?;
        Ok(config)
    }

    /// The router's settings against each other and the endpoints they name.
    fn check_router(&self) -> Result<(), (String, String)> {
        for (tier, name) in [("medium", &self.tiers.medium), ("large", &self.tiers.large)] {
            if let Some(name) = name {
                if !self.endpoints.contains_key(name) {
                    return Err((
                        format!("[tiers] {tier}"),
                        format!("names '{name}', which is not an [endpoints.{name}] table"),
                    ));
                }
            }
        }
        let r = &self.router;
        if r.mode == RouterMode::Auto && self.tiers.medium.is_none() && self.tiers.large.is_none() {
            return Err((
                "[router] mode".into(),
                "is \"auto\", which needs a medium or large tier under [tiers]".into(),
            ));
        }
        for (tier, budget) in [
            ("medium", r.monthly_budget_usd.medium),
            ("large", r.monthly_budget_usd.large),
        ] {
            if budget.is_some_and(|b| !(b.is_finite() && b >= 0.0)) {
                return Err((
                    format!("[router] monthly_budget_usd.{tier}"),
                    "must be a number of dollars, 0 or more".into(),
                ));
            }
        }
        if !(16..=64).contains(&r.escalate_after) {
            return Err((
                "[router] escalate_after".into(),
                "must be between 16 and 64 tokens".into(),
            ));
        }
        for (key, value) in [
            ("medium_below", r.medium_below),
            ("large_below", r.large_below),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err((format!("[router] {key}"), "must be between 0 and 1".into()));
            }
        }
        for (i, rule) in r.rules.iter().enumerate() {
            let key = format!("[[router.rules]] number {}", i + 1);
            if !matches!(rule.tier.as_str(), "local" | "medium" | "large" | "auto") {
                return Err((
                    key,
                    format!("has tier '{}'; use local, medium, large or auto", rule.tier),
                ));
            }
            if let Some(pattern) = &rule.pattern {
                if let Err(e) = regex::Regex::new(pattern) {
                    let first = e.to_string().lines().last().unwrap_or_default().to_string();
                    return Err((
                        key,
                        format!("has a pattern that is not a regular expression: {first}"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Values that parse but cannot work: the key and what it must be.
    fn check(&self) -> Result<(), (&'static str, &'static str)> {
        let s = &self.sampling;
        let checks = [
            (
                self.threads.is_none_or(|t| (1..=1024).contains(&t)),
                "threads",
                "must be between 1 and 1024",
            ),
            (
                self.ctx.is_none_or(|c| c >= 16),
                "ctx",
                "must be at least 16 tokens",
            ),
            (
                s.max_tokens >= 1,
                "[sampling] max_tokens",
                "must be at least 1",
            ),
            (
                s.temp.is_finite() && s.temp >= 0.0,
                "[sampling] temp",
                "must be a number, 0 or more",
            ),
            (s.top_k >= 0, "[sampling] top_k", "must be 0 (off) or more"),
            (
                (0.0..=1.0).contains(&s.top_p),
                "[sampling] top_p",
                "must be between 0 and 1",
            ),
            (
                (0.0..=1.0).contains(&s.min_p),
                "[sampling] min_p",
                "must be between 0 and 1",
            ),
            (
                s.repeat_penalty.is_finite() && s.repeat_penalty > 0.0,
                "[sampling] repeat_penalty",
                "must be a number more than 0",
            ),
            (
                self.index.max_file_size >= 1,
                "[index] max_file_size",
                "must be at least 1 byte",
            ),
            (
                self.hook.timeout_s.is_finite()
                    && self.hook.timeout_s > 0.0
                    && self.hook.timeout_s <= 86_400.0,
                "[hook] timeout_s",
                "must be a number of seconds more than 0 and at most 86400",
            ),
        ];
        match checks.into_iter().find(|(ok, _, _)| !ok) {
            Some((_, key, why)) => Err((key, why)),
            None => Ok(()),
        }
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }
}

/// One `[endpoints.NAME]` table.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EndpointConfig {
    /// The API's base URL, up to and including `/v1`.
    pub url: String,
    /// The model name the server knows.
    pub model: String,
    /// The environment variable that holds the API key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key_env: Option<String>,
    /// A file that holds the API key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key_file: Option<PathBuf>,
    /// Seconds the server may stay silent (connecting, reading the prompt, between tokens).
    #[serde(default = "default_endpoint_timeout")]
    pub timeout_s: f64,
    /// The model's context window in tokens; unset: asked from the server, else 8192.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<u32>,
    /// US dollars per million prompt tokens, for the audit log and the budget.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub input_usd_per_mtok: f64,
    /// US dollars per million generated tokens.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub output_usd_per_mtok: f64,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

fn default_endpoint_timeout() -> f64 {
    120.0
}

impl EndpointConfig {
    /// Values that parse but cannot work: the key and what it must be.
    pub fn check(&self, name: &str) -> Result<(), (&'static str, String)> {
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        {
            return Err((
                "(the name)",
                "must be letters, digits, '-', '_' or '.'".into(),
            ));
        }
        match url::Url::parse(&self.url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
                if u.query().is_some() || u.fragment().is_some() {
                    return Err((
                        "url",
                        format!("'{}' must not have a query or fragment", self.url),
                    ));
                }
            }
            Ok(_) => {
                return Err((
                    "url",
                    format!(
                        "'{}' must be an http:// or https:// URL with a host",
                        self.url
                    ),
                ))
            }
            Err(e) => return Err(("url", format!("'{}' is not a URL: {e}", self.url))),
        }
        if self.model.trim().is_empty() {
            return Err(("model", "must name the model the server knows".into()));
        }
        if !(self.timeout_s.is_finite() && self.timeout_s > 0.0 && self.timeout_s <= 86_400.0) {
            return Err((
                "timeout_s",
                "must be a number of seconds more than 0 and at most 86400".into(),
            ));
        }
        if self.window.is_some_and(|w| w < 16) {
            return Err(("window", "must be at least 16 tokens".into()));
        }
        if self.api_key_env.is_some() && self.api_key_file.is_some() {
            return Err((
                "api_key_env",
                "and api_key_file are both set: keep one".into(),
            ));
        }
        for (key, price) in [
            ("input_usd_per_mtok", self.input_usd_per_mtok),
            ("output_usd_per_mtok", self.output_usd_per_mtok),
        ] {
            if !(price.is_finite() && price >= 0.0) {
                return Err((key, "must be a number of dollars, 0 or more".into()));
            }
        }
        if self.api_key_env.as_deref().is_some_and(str::is_empty) {
            return Err(("api_key_env", "must name an environment variable".into()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_example_parses_to_the_defaults() {
        let parsed = Config::parse(EXAMPLE, Path::new("example")).unwrap();
        assert_eq!(parsed, Config::default());
    }

    #[test]
    fn a_bad_line_is_named() {
        let err = Config::parse("threads = 2\n\n[sampling]\ntmep = 1\n", Path::new("c.toml"))
            .unwrap_err();
        assert!(err.message.starts_with("c.toml line 4:"), "{}", err.message);
        assert!(err.message.contains("tmep"), "{}", err.message);
    }

    #[test]
    fn endpoints_are_checked_when_read() {
        let ok = "[endpoints.big]\nurl = \"http://gpu-box:8000/v1\"\nmodel = \"Qwen\"\napi_key_env = \"K\"\n";
        let c = Config::parse(ok, Path::new("c.toml")).unwrap();
        assert_eq!(c.endpoints["big"].timeout_s, 120.0);
        for (bad, key) in [
            ("url = \"gpu-box:8000\"\nmodel = \"m\"", "url"),
            ("url = \"ftp://x/v1\"\nmodel = \"m\"", "url"),
            (
                "url = \"http://x/v1\"\nmodel = \"m\"\ntimeout_s = -1.0",
                "timeout_s",
            ),
            (
                "url = \"http://x/v1\"\nmodel = \"m\"\ntimeout_s = nan",
                "timeout_s",
            ),
            ("url = \"http://x/v1\"\nmodel = \"\"", "model"),
        ] {
            let err =
                Config::parse(&format!("[endpoints.e]\n{bad}\n"), Path::new("c.toml")).unwrap_err();
            assert_eq!(err.kind, crate::error::Kind::Config);
            assert!(
                err.message.contains(&format!("[endpoints.e] {key}")),
                "{}",
                err.message
            );
        }
    }

    #[test]
    fn values_that_cannot_work_are_config_errors() {
        for (text, key) in [
            ("[hook]\ntimeout_s = nan\n", "[hook] timeout_s"),
            ("[hook]\ntimeout_s = -1.0\n", "[hook] timeout_s"),
            ("[hook]\ntimeout_s = inf\n", "[hook] timeout_s"),
            ("[sampling]\ntemp = nan\n", "[sampling] temp"),
            ("[sampling]\ntop_p = 1.5\n", "[sampling] top_p"),
            ("[sampling]\nmax_tokens = 0\n", "[sampling] max_tokens"),
            (
                "[sampling]\nrepeat_penalty = 0.0\n",
                "[sampling] repeat_penalty",
            ),
            ("ctx = 0\n", "ctx"),
            ("threads = 0\n", "threads"),
        ] {
            let err = Config::parse(text, Path::new("c.toml")).unwrap_err();
            assert_eq!(err.kind, crate::error::Kind::Config, "{text}");
            assert!(err.message.contains(key), "{text}: {}", err.message);
        }
    }

    #[test]
    fn the_router_settings_are_checked_against_the_endpoints() {
        let endpoint = "[endpoints.cloud]\nurl = \"http://x/v1\"\nmodel = \"m\"\n";
        for (text, key) in [
            (
                "[tiers]\nmedium = \"nowhere\"\n".to_string(),
                "[tiers] medium",
            ),
            ("[router]\nmode = \"auto\"\n".to_string(), "[router] mode"),
            (
                format!("{endpoint}[tiers]\nmedium = \"cloud\"\n[router]\nescalate_after = 4\n"),
                "[router] escalate_after",
            ),
            (
                format!("{endpoint}[tiers]\nmedium = \"cloud\"\n[router]\nmedium_below = 2.0\n"),
                "[router] medium_below",
            ),
            (
                "[[router.rules]]\npattern = \"(\"\ntier = \"local\"\n".to_string(),
                "[[router.rules]] number 1",
            ),
            (
                "[[router.rules]]\ntier = \"huge\"\n".to_string(),
                "[[router.rules]] number 1",
            ),
            (
                format!("{endpoint}input_usd_per_mtok = -1.0\n"),
                "input_usd_per_mtok",
            ),
        ] {
            let err = Config::parse(&text, Path::new("c.toml")).unwrap_err();
            assert_eq!(err.kind, crate::error::Kind::Config, "{text}");
            assert!(err.message.contains(key), "{text}: {}", err.message);
        }
        let ok = format!("{endpoint}[tiers]\nmedium = \"cloud\"\n[router]\nmode = \"auto\"\n");
        assert!(Config::parse(&ok, Path::new("c.toml")).is_ok());
    }

    #[test]
    fn a_wrong_type_is_named() {
        let err = Config::parse("threads = \"many\"\n", Path::new("c.toml")).unwrap_err();
        assert!(err.message.starts_with("c.toml line 1:"), "{}", err.message);
    }
}
