//! The library's error: a sentence saying what is wrong, a kind, and hints that say what to do
//! next. The kind is what each front end maps to its own terms (the command line to an exit
//! code, `serve` to an HTTP status, `mcp` to a JSON-RPC code), so no front end reads the text.
//! Parts with failures of their own (engine, git, gguf, roles, sandbox, …) keep their enums and
//! convert into this at their edge.
use std::fmt;

/// Exit codes, documented in the README. Here rather than in `cli` because `serve` ends the
/// process on a second Ctrl-C with the same code the command line uses.
pub mod exit {
    pub const FAILURE: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const CONFIG: u8 = 3;
    pub const INTERNAL: u8 = 70;
    /// `pai sandbox`: the command was found but could not be run.
    pub const CANNOT_RUN: u8 = 126;
    /// `pai sandbox`: the command was not found.
    pub const NOT_FOUND: u8 = 127;
    pub const INTERRUPTED: u8 = 130;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Something the user passed or has on disk is wrong.
    User,
    /// What the user named (a model, a conversation, a memory) does not exist.
    NotFound,
    /// An input is over a limit pai does not cut silently.
    TooLarge,
    /// Busy now; the same request can succeed later.
    Busy,
    /// Something pai needs (a remote endpoint, a model file) cannot be reached now.
    Unavailable,
    /// The configuration file is wrong.
    Config,
    /// The user pressed Ctrl-C.
    Interrupted,
    /// A bug or an environment problem pai cannot explain better.
    Internal,
}

#[derive(Debug, Clone)]
pub struct Error {
    pub kind: Kind,
    pub message: String,
    pub hints: Vec<String>,
}

impl Error {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    pub fn user(message: impl Into<String>) -> Self {
        Self::new(Kind::User, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(Kind::NotFound, message)
    }

    pub fn config(message: impl Into<String>) -> Self {
        Self::new(Kind::Config, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(Kind::Internal, message)
    }

    pub fn interrupted() -> Self {
        Self::new(Kind::Interrupted, "interrupted")
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::user(crate::render::sanitize_line(&e.to_string()))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
