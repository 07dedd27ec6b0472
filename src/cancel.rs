//! Cancellation, one token per job: Ctrl-C in a one-shot command, Esc in the chat, a client
//! that hangs up on the server. Whoever starts a job makes a token and passes it along; the
//! work polls it between steps.
//!
//! Ctrl-C reaches a token only when its holder links it ([`cancel_on_interrupt`],
//! [`interrupt_token`]). A signal is a process's, so its handler is installed once and counts
//! the presses; a linked token remembers the count when it was linked and is cancelled by any
//! press after that. No token replaces another: every linked token hears Ctrl-C, whoever
//! made it and whenever.
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

/// Ctrl-C presses since the handler was installed: the signal's own state, nothing more.
static PRESSES: AtomicU64 = AtomicU64::new(0);
/// A token's `linked_at` while it is not linked to Ctrl-C.
const UNLINKED: u64 = u64::MAX;

#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<Flags>);

#[derive(Debug)]
struct Flags {
    cancelled: AtomicBool,
    /// The press count when the token was linked to Ctrl-C; `UNLINKED` when it is not.
    linked_at: AtomicU64,
}

impl Default for Flags {
    fn default() -> Self {
        Self {
            cancelled: AtomicBool::new(false),
            linked_at: AtomicU64::new(UNLINKED),
        }
    }
}

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.load(Ordering::Relaxed)
            || PRESSES.load(Ordering::SeqCst) > self.0.linked_at.load(Ordering::SeqCst)
    }
}

/// From now on Ctrl-C cancels `token` (the work stops and keeps what it has); the next Ctrl-C
/// after that ends pai at once with exit 130.
pub fn cancel_on_interrupt(token: &CancelToken) {
    static HANDLER: std::sync::Once = std::sync::Once::new();
    HANDLER.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            if PRESSES.fetch_add(1, Ordering::SeqCst) > 0 {
                std::process::exit(crate::error::exit::INTERRUPTED as i32);
            }
        });
    });
    token
        .0
        .linked_at
        .store(PRESSES.load(Ordering::SeqCst), Ordering::SeqCst);
}

/// A token that Ctrl-C cancels, for commands that run one job.
pub fn interrupt_token() -> CancelToken {
    let token = CancelToken::new();
    cancel_on_interrupt(&token);
    token
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_hears_only_the_presses_after_it_was_linked() {
        let plain = CancelToken::new();
        let linked = interrupt_token();
        assert!(!linked.is_cancelled());
        // What the handler does on a press, without sending the process a signal.
        PRESSES.fetch_add(1, Ordering::SeqCst);
        assert!(linked.is_cancelled());
        assert!(!plain.is_cancelled(), "a token nobody linked hears nothing");
        let later = interrupt_token();
        assert!(
            !later.is_cancelled(),
            "a press before the link is not for it"
        );
        plain.cancel();
        assert!(plain.is_cancelled());
    }
}
