//! What the engine thread says about a job as it runs, in order: started, pieces of the
//! answer, a hand-over to another tier, then finished or failed.
use crate::context::Excerpt;
use crate::engine::Generation;
use crate::error::Error;

#[derive(Debug, Clone)]
pub enum Reply {
    /// The prompt was assembled and is being read.
    Started {
        prompt_tokens: usize,
        window: u32,
        sources: Vec<Excerpt>,
        cuts: Vec<String>,
        notes: Vec<String>,
    },
    Piece(String),
    /// The router handed the turn to another tier, or back: one sentence saying so.
    Routed(String),
    Finished(Generation),
    /// The turn could not be answered; the error says why and what to do.
    Failed(Error),
}
