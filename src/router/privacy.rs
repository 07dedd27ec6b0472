//! What keeps a request on this machine, decided here once for every front end (ask and its
//! siblings, the chat, serve, mcp, `pai context`):
//! - the best excerpt comes from a private source: the request stays local, since the answer
//!   likely rests on it;
//! - any other private excerpt never leaves: a request that goes out goes without it;
//! - a secret that redaction cannot take out cleanly (a "leak"): the request stays local.
use super::redact::Redactor;
use crate::context::Request;

/// The privacy facts of one request, as the policy reads them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Privacy {
    /// Excerpts in the request from sources added with `--private`.
    pub private_excerpts: usize,
    /// The best excerpt is one of them.
    pub private_top: bool,
    /// Kinds of secrets that would still be in the text after redaction.
    pub leaks: Vec<&'static str>,
}

impl Privacy {
    /// The facts of `request`. Leaks are looked for only when the request `may_leave` (some
    /// remote tier could be asked): redaction's rules cost milliseconds to build.
    pub fn of(request: &Request, may_leave: bool) -> Self {
        let leaks = if may_leave {
            Redactor::leaks(&Redactor::new().redact(&request_text(request)))
        } else {
            Vec::new()
        };
        Self {
            private_excerpts: request.excerpts.iter().filter(|e| e.private).count(),
            // Excerpts are kept best first (the index's rank).
            private_top: request.excerpts.first().is_some_and(|e| e.private),
            leaks,
        }
    }
}

/// The request as it may leave this machine, and how many private excerpts stayed behind.
pub fn shareable(request: &Request) -> (Request, usize) {
    let mut shared = request.clone();
    shared.excerpts.retain(|e| !e.private);
    let kept = request.excerpts.len() - shared.excerpts.len();
    (shared, kept)
}

/// The sentence a front end shows when private excerpts stayed behind.
pub fn kept_note(kept: usize) -> Option<String> {
    (kept > 0).then(|| format!("{kept} excerpts from private sources stay on this machine"))
}

/// Every text of the request that a remote tier would read.
fn request_text(request: &Request) -> String {
    let mut text = request.question.clone();
    let parts = request
        .attachments
        .iter()
        .map(|a| a.text.as_str())
        .chain(request.excerpts.iter().map(|e| e.text.as_str()))
        .chain(request.profile.as_deref())
        .chain(request.system.as_deref())
        .chain(request.history.iter().map(|m| m.content.as_str()))
        .chain(request.memories.iter().map(|m| m.text.as_str()));
    for part in parts {
        text.push('\n');
        text.push_str(part);
    }
    text
}
