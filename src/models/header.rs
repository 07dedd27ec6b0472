//! A GGUF file's header, read before the file is registered or loaded: a model is checked
//! against what llama.cpp asserts, and loaded once in a child process, so that a bad file is
//! a sentence and not a crash. Adapters are checked on top of this by [`super::adapter`].
use std::path::Path;

use crate::error::Error;
use crate::gguf::{self, GgufInfo};

/// Reads the header of a file about to be registered or loaded, and checks a model (not an
/// adapter, which [`super::adapter::check_file`] checks) against what llama.cpp asserts, as a
/// user-facing error.
pub fn check_file(path: &Path) -> Result<GgufInfo, Error> {
    let info = read_header(path)?;
    if info.get_str("general.type") != Some("adapter") {
        super::loadable::check(&info).map_err(|why| {
            let shown = crate::render::clip(&path.display().to_string(), 200);
            Error::user(format!("{shown} {why}")).hint(
                "llama.cpp would stop pai on this file: get it again from its source, or convert it again with llama.cpp's convert scripts",
            )
        })?;
        super::firstload::ensure(path, None)
            .map_err(|e| Error::user(e.to_string()).hint(super::firstload::HINT))?;
    }
    Ok(info)
}

fn read_header(path: &Path) -> Result<GgufInfo, Error> {
    gguf::inspect(path).map_err(|e| {
        let hint = match e {
            gguf::GgufError::Missing { .. } => "check the path, or see the registered models with `pai model list`",
            gguf::GgufError::Truncated { .. } => "the download was probably cut short: fetch the file again",
            _ => "pai runs GGUF files, such as those llama.cpp's convert scripts or `pai model pull` produce",
        };
        Error::user(crate::render::sanitize_line(&e.to_string())).hint(hint)
    })
}
