//! The registry of GGUF models: names for files on disk, with what their headers say, and
//! which one is the default. It is one small TOML file, so `pai model list` opens nothing else.
pub mod adapter;
pub mod catalog;
pub mod firstload;
pub mod header;
pub mod loadable;
pub mod pull;
pub mod registry;

pub use registry::{ModelEntry, Registry};
