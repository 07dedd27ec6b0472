//! What `pai mcp` serves: the tools `search`, `read_note` and `context` over the indexed
//! notes ([`super::notes`], [`super::context`]), `remember` and `recall` over the user's
//! memories ([`super::memory`]), the indexed files as `note://` resources
//! ([`super::resources`]), and the roles as prompts ([`super::prompts`]). Every path goes
//! through [`super::confine::Confine`]; a file the index does not hold is not served;
//! results are capped at [`super::reply::MAX_RESULT`] bytes of text (saying so when cut), name
//! the source folder they came from, and carry no control characters. How a failure reads to
//! the client is decided in [`super::error`].
use serde_json::{json, Map, Value};

use super::error::ToolError;
use super::protocol::{Backend, Completing, RpcError};
use super::{context, memory, notes, prompts, resources, schema};
use crate::index::Encoder;
use crate::paths::Paths;

pub struct Pai {
    paths: Paths,
    /// The sentence encoder of semantic sources, loaded by the first call that needs it.
    encoder: Encoder,
}

impl Pai {
    pub fn new(paths: Paths) -> Self {
        Self::sharing(paths, Encoder::default())
    }

    /// One whose sentence encoder is shared (a clone of `encoder`): the HTTP transport's
    /// sessions load the model once between them, not once each.
    pub fn sharing(paths: Paths, encoder: Encoder) -> Self {
        Self { paths, encoder }
    }
}

impl Backend for Pai {
    fn instructions(&self) -> &'static str {
        schema::INSTRUCTIONS
    }

    fn list_tools(&self) -> Value {
        schema::tools()
    }

    fn call_tool(&mut self, name: &str, args: &Map<String, Value>) -> Result<Value, RpcError> {
        let paths = &self.paths;
        let result = match name {
            "search" => notes::search(paths, &self.encoder, args),
            "read_note" => notes::read_note(paths, args),
            "context" => context::context(paths, &self.encoder, args),
            "remember" => memory::remember(paths, args),
            "recall" => memory::recall(paths, args),
            // Not a failure of a tool but a call to none: a protocol error.
            _ => return Err(ToolError::NotFound(format!("Unknown tool: {name}")).into_rpc()),
        };
        Ok(result.unwrap_or_else(ToolError::into_tool_result))
    }

    fn list_resources(&mut self, cursor: Option<&str>) -> Result<Value, RpcError> {
        resources::list(&self.paths, cursor).map_err(ToolError::into_rpc)
    }

    fn read_resource(&mut self, uri: &str) -> Result<Value, RpcError> {
        resources::read(&self.paths, uri).map_err(|e| e.into_rpc().with_data(json!({ "uri": uri })))
    }

    fn list_prompts(&mut self) -> Result<Value, RpcError> {
        prompts::list(&self.paths.config_dir).map_err(ToolError::into_rpc)
    }

    fn get_prompt(&mut self, name: &str, args: &Map<String, Value>) -> Result<Value, RpcError> {
        prompts::get(&self.paths.config_dir, name, args).map_err(ToolError::into_rpc)
    }

    fn complete(&mut self, target: &Completing, _argument: &str, _typed: &str) -> Vec<String> {
        match target {
            Completing::Prompt(_) => prompts::complete(),
            // pai lists no resource templates: nothing has values to offer.
            Completing::ResourceTemplate(_) => Vec::new(),
        }
    }
}
