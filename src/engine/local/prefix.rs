//! A [`Session`]'s side of the prompt cache on disk (`engine::prefix_cache`): the keys and
//! values of sequence 0, read from an entry or written to one, with llama.cpp's sequence state
//! files. Nothing here fails a generation: an entry that cannot be used is removed and the
//! prefix decoded; one that cannot be written is not kept.
use llama_cpp_2::token::LlamaToken;

use super::Session;
use crate::engine::prefix_cache::{self, Plan};

fn ids(tokens: &[LlamaToken]) -> Vec<i32> {
    tokens.iter().map(|t| t.0).collect()
}

impl Session<'_> {
    /// Reads the entry for `prefix` into the empty context; true when the context now holds
    /// exactly `prefix`.
    pub(super) fn load_prefix(&mut self, plan: &Plan, prefix: &[LlamaToken]) -> bool {
        let Some(path) = plan.find(&ids(prefix)) else {
            return false;
        };
        self.cached.clear();
        self.ctx.clear_kv_cache();
        match self.ctx.state_seq_load_file(&path, 0, prefix.len()) {
            Ok((tokens, _)) if tokens == prefix => {
                self.cached = tokens;
                prefix_cache::touch(&path);
                true
            }
            result => {
                tracing::debug!(
                    "prompt cache entry {} not used: {:?}",
                    path.display(),
                    result.err()
                );
                let _ = std::fs::remove_file(&path);
                self.ctx.clear_kv_cache();
                false
            }
        }
    }

    /// Writes the context, which holds exactly `prefix`, as the entry for it; whether it was
    /// kept (a full disk or a read-only folder is no error: the next run decodes again).
    pub(super) fn save_prefix(&mut self, plan: &Plan, prefix: &[LlamaToken]) -> bool {
        let Ok(scratch) = plan.scratch() else {
            return false;
        };
        let written = self.ctx.state_seq_save_file(&scratch, 0, prefix).is_ok()
            && plan.keep(&scratch, &ids(prefix)).is_ok();
        if !written {
            let _ = std::fs::remove_file(&scratch);
        }
        written
    }
}
