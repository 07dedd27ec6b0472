//! The one error type the command line prints: a sentence, a kind that picks the exit code,
//! and hints. The library's errors convert into it here, at the edge.
use std::fmt;

use crate::error::{exit, Error, Kind};

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

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        let kind = match e.kind {
            Kind::User | Kind::NotFound | Kind::TooLarge | Kind::Busy | Kind::Unavailable => {
                ErrorKind::User
            }
            Kind::Config => ErrorKind::Config,
            Kind::Interrupted => ErrorKind::Interrupted,
            Kind::Internal => ErrorKind::Internal,
        };
        Self {
            kind,
            message: e.message,
            hints: e.hints,
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
        Error::from(e).into()
    }
}

pub type Result<T, E = CliError> = std::result::Result<T, E>;

/// The parts' own errors reach the command line through the library's error, which says how
/// each reads to a user.
macro_rules! through_the_library {
    ($($part:ty),*) => {$(
        impl From<$part> for CliError {
            fn from(e: $part) -> Self {
                Error::from(e).into()
            }
        }
    )*};
}

through_the_library!(
    crate::git::GitError,
    crate::git::hook::HookError,
    crate::roles::RoleError
);
