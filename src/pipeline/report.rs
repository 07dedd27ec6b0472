//! What the pipeline tells a front end while it works, without printing: the command line
//! writes it to stderr, a server may log it, a test may keep it.
use crate::context::Excerpt;

pub trait Report {
    /// One sentence the user should see: a cut to fit the window, a tier that answered, an
    /// index that could not be read.
    fn note(&self, text: &str);
    /// Whether timings and counts are wanted (--verbose); they come as notes.
    fn verbose(&self) -> bool {
        false
    }
    /// The sources in the prompt, before the answer streams, when the front end asked.
    fn sources(&self, _sources: &[Excerpt]) {}
}

/// Tells nothing: for callers that take what they need from the returned values.
pub struct Quiet;

impl Report for Quiet {
    fn note(&self, _text: &str) {}
}
