//! Cancellation, one token per job: Ctrl-C in a one-shot command, Esc in the chat, a client
//! that hangs up on the server. Whoever starts a job makes a token and passes it along; the
//! work polls it between steps. Nothing here is global except the Ctrl-C handler, which
//! cancels whichever token was last handed to it.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

static INTERRUPTED: Mutex<Option<CancelToken>> = Mutex::new(None);

/// From now on the first Ctrl-C cancels `token` (the work stops and keeps what it has); a
/// second one, while the token is still cancelled, ends pai at once with exit 130.
pub fn cancel_on_interrupt(token: &CancelToken) {
    static HANDLER: std::sync::Once = std::sync::Once::new();
    if let Ok(mut slot) = INTERRUPTED.lock() {
        *slot = Some(token.clone());
    }
    HANDLER.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            let token = INTERRUPTED.lock().ok().and_then(|slot| slot.clone());
            match token {
                Some(t) if !t.is_cancelled() => t.cancel(),
                _ => std::process::exit(crate::error::exit::INTERRUPTED as i32),
            }
        });
    });
}

/// A token that Ctrl-C cancels, for commands that run one job.
pub fn interrupt_token() -> CancelToken {
    let token = CancelToken::new();
    cancel_on_interrupt(&token);
    token
}
