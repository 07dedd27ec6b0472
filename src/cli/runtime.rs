//! The flags every command that runs a model shares. What they mean is the pipeline's
//! business (`pipeline::settings`); here they are only parsed.
use crate::cli::error::CliError;
use crate::pipeline::settings::Answerer;
use crate::pipeline::Overrides;
use crate::roles::Role;

/// The role a command runs under.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RoleArgs {
    /// Answer as this role: its system prompt, settings and sources (`pai role list`).
    #[arg(long, value_name = "NAME")]
    pub role: Option<String>,
}

impl RoleArgs {
    /// The role named by --role, read and checked; `None` without the flag.
    pub fn load(&self, ctx: &super::Ctx) -> Result<Option<Role>, CliError> {
        match &self.role {
            Some(name) => Ok(Some(crate::roles::find(&ctx.paths.config_dir, name)?)),
            None => Ok(None),
        }
    }
}

/// Flags for the model and how it runs; unset ones come from config.toml.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ModelArgs {
    /// The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL].
    #[arg(short, long, value_name = "NAME|PATH")]
    pub model: Option<String>,
    /// Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME])
    /// instead of a local model.
    #[arg(long, value_name = "NAME", conflicts_with = "model")]
    pub endpoint: Option<String>,
    /// Which tier answers: the local model, the medium or large remote tier from config.toml's
    /// [tiers], or auto (local first, a remote tier when the local model is unsure).
    #[arg(long, value_enum, value_name = "TIER", conflicts_with = "endpoint")]
    pub tier: Option<crate::pipeline::TierChoice>,
    /// Context window in tokens (default: what the request needs, up to the model's trained length).
    #[arg(long, value_name = "N")]
    pub ctx: Option<u32>,
    /// Threads for prompt processing and generation (default: all cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub threads: Option<u32>,
    /// Layers to offload to the GPU (default: all on a GPU build, else 0).
    #[arg(long, value_name = "N")]
    pub gpu_layers: Option<u32>,
    /// A LoRA adapter on the model: a file or a name from `pai model list`, with an optional
    /// scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together.
    #[arg(long, value_name = "PATH[:SCALE]", value_parser = parse_lora)]
    pub lora: Vec<(String, f32)>,
}

/// `--lora`'s value: see [`crate::models::adapter::parse_spec`].
pub fn parse_lora(text: &str) -> Result<(String, f32), crate::error::Error> {
    crate::models::adapter::parse_spec(text)
}

impl ModelArgs {
    /// The flags with the role's model, endpoint or tier where the command line names none
    /// (`pipeline::settings::Answerer` decides).
    pub fn with_role(&self, role: Option<&Role>) -> Self {
        let flags = Answerer {
            model: self.model.clone(),
            endpoint: self.endpoint.clone(),
            tier: self.tier,
        };
        let chosen = flags.with_role(role);
        Self {
            model: chosen.model,
            endpoint: chosen.endpoint,
            tier: chosen.tier,
            ..self.clone()
        }
    }
}

/// Sampling flags; unset ones come from config.toml.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SamplingArgs {
    /// The most tokens to generate.
    #[arg(short = 'n', long, value_name = "N")]
    pub max_tokens: Option<u32>,
    /// Temperature; 0 always picks the most likely token.
    #[arg(long, value_name = "T")]
    pub temp: Option<f32>,
    /// Keep only the K most likely tokens (0: off).
    #[arg(long, value_name = "K")]
    pub top_k: Option<i32>,
    /// Keep the most likely tokens up to probability P (1: off).
    #[arg(long, value_name = "P")]
    pub top_p: Option<f32>,
    /// Drop tokens less likely than P times the most likely one (0: off).
    #[arg(long, value_name = "P")]
    pub min_p: Option<f32>,
    /// Penalty for repeating recent tokens (1: off).
    #[arg(long, value_name = "X")]
    pub repeat_penalty: Option<f32>,
    /// Seed for sampling; the same seed and input give the same answer.
    #[arg(long, value_name = "S")]
    pub seed: Option<u32>,
    /// Stop when the model writes this text, which is not printed (repeatable).
    #[arg(long, value_name = "STR")]
    pub stop: Vec<String>,
    /// Draft tokens from the prompt and check them in one batch, for answers that copy their
    /// input (local models only; off by default: on the small default model it measured
    /// slower, and a batch's rounding can flip a near tie, so a greedy answer may differ).
    #[arg(long, overrides_with = "no_speculate")]
    pub speculate: bool,
    /// Decode one token at a time, without drafts.
    #[arg(long)]
    pub no_speculate: bool,
}

impl SamplingArgs {
    /// Checks the flags on their own (for commands that run no model, such as `context`).
    pub fn overrides(&self, model: &ModelArgs) -> Overrides {
        Overrides {
            model: model.model.clone(),
            endpoint: model.endpoint.clone(),
            ctx: model.ctx,
            threads: model.threads,
            gpu_layers: model.gpu_layers,
            max_tokens: self.max_tokens,
            temp: self.temp,
            top_k: self.top_k,
            top_p: self.top_p,
            min_p: self.min_p,
            repeat_penalty: self.repeat_penalty,
            seed: self.seed,
            stop: self.stop.clone(),
            grammar: None,
            lora: model.lora.clone(),
            speculate: match (self.speculate, self.no_speculate) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_lora;

    #[test]
    fn a_scale_is_split_off_only_when_it_is_a_number() {
        let parsed = |t: &str| parse_lora(t).unwrap();
        assert_eq!(parsed("a.gguf"), ("a.gguf".into(), 1.0));
        assert_eq!(parsed("a.gguf:0.5"), ("a.gguf".into(), 0.5));
        assert_eq!(parsed("a.gguf:0"), ("a.gguf".into(), 0.0));
        assert_eq!(parsed(r"C:\x\a.gguf"), (r"C:\x\a.gguf".into(), 1.0));
        assert_eq!(parsed(r"C:\x\a.gguf:2"), (r"C:\x\a.gguf".into(), 2.0));
        assert_eq!(parsed("style:v2"), ("style:v2".into(), 1.0));
        assert_eq!(parsed(":1"), (":1".into(), 1.0));
        assert!(parse_lora("a.gguf:inf").is_err());
        assert!(parse_lora("").is_err());
    }
}
