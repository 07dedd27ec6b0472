//! pai: a personal AI that lives in the terminal.
//!
//! The parts follow docs/ARCHITECTURE.md: `engine` runs models, `chat` is the full-screen conversation, `models` keeps the registry of
//! GGUF files, `context` assembles what the model reads, `index` keeps the full-text index over
//! the user's folders, `store` keeps conversations in SQLite, `serve` is the OpenAI-compatible HTTP server, `render` makes model text safe for
//! a terminal, `sandbox` confines the commands pai runs, `roles` reads the specialists' files,
//! `config` and `paths` say where and how, `pipeline` is what every front end calls, `learn`
//! fine-tunes the local model on the user's writing, `service` writes the background units,
//! and `cli` holds one file per subcommand.
pub mod agent;
pub mod cancel;
pub mod chat;
pub mod child;
pub mod cli;
pub mod config;
pub mod context;
pub mod engine;
pub mod error;
pub mod gguf;
pub mod git;
pub mod guard;
pub mod index;
pub mod learn;
pub mod mcp;
pub mod message;
pub mod models;
pub mod paths;
pub mod pipeline;
pub mod render;
pub mod roles;
pub mod router;
pub mod sandbox;
pub mod serve;
pub mod service;
pub mod store;
pub mod tier;
pub mod tool;
