//! The one error type the front end prints: a sentence, a kind that picks the exit code, and
//! hints that say what to do next. Each part of the library has its own error enum; the
//! conversions here decide how those read to a user.
use std::fmt;

/// Exit codes, documented in the README.
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
pub enum ErrorKind {
    /// Something the user passed or has on disk is wrong.
    User,
    /// The configuration file is wrong.
    Config,
    /// The user pressed Ctrl-C.
    Interrupted,
    /// A bug or an environment problem pai cannot explain better.
    Internal,
    /// A command pai ran (`pai sandbox`) failed or could not start; this is its exit status.
    Command(u8),
}

#[derive(Debug)]
pub struct CliError {
    pub kind: ErrorKind,
    pub message: String,
    pub hints: Vec<String>,
}

impl CliError {
    pub fn user(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::User,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    pub fn config(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Config,
            ..Self::user(message)
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Internal,
            ..Self::user(message)
        }
    }

    pub fn interrupted() -> Self {
        Self {
            kind: ErrorKind::Interrupted,
            ..Self::user("interrupted")
        }
    }

    /// The exit status of a command pai ran, passed on; nothing is printed when `message`
    /// is empty.
    pub fn command(code: u8, message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Command(code),
            ..Self::user(message)
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn exit_code(&self) -> u8 {
        match self.kind {
            ErrorKind::User => exit::FAILURE,
            ErrorKind::Config => exit::CONFIG,
            ErrorKind::Interrupted => exit::INTERRUPTED,
            ErrorKind::Internal => exit::INTERNAL,
            ErrorKind::Command(code) => code,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::user(crate::render::sanitize_line(&e.to_string()))
    }
}

pub type Result<T, E = CliError> = std::result::Result<T, E>;
