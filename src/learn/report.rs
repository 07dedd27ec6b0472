//! What a run reports: the figures that decided the result, and the time each phase took.
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::budget::PhaseTime;
use super::train;
use crate::engine::score::Score;

/// What a run did.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub base: String,
    /// The registered name; None when the result was refused.
    pub model: Option<String>,
    pub path: Option<PathBuf>,
    pub perplexity_before: f64,
    pub perplexity_after: f64,
    pub steps: usize,
    pub resumed_from: usize,
    pub train_seconds: f64,
    pub mean_loss: f64,
    /// What was registered: an adapter on the base file, or a whole model.
    pub kind: ResultKind,
    /// The adapter's rank, when an adapter was kept.
    pub rank: Option<usize>,
    /// The held-out perplexity of the whole trained model, which adapters are measured against.
    pub perplexity_full: f64,
    /// Every adapter rank measured, in the order tried (the largest first).
    pub ranks: Vec<RankTried>,
    /// The validation perplexity at each check during training, the end included.
    pub checks: Vec<Check>,
    /// The step whose weights were kept, when a check before the end did better.
    pub kept_step: Option<usize>,
    /// The 95% interval of the base's held-out perplexity over the items scored: how much
    /// the figure would move on another sample of the same size.
    pub interval_before: (f64, f64),
    /// The 95% interval of the registered result's perplexity over the base's, the same
    /// items paired (below 1: better); NaN for a resumed run, whose base scores were not kept.
    pub change_interval: (f64, f64),
    /// Held-out items scored, and their scored tokens.
    pub held_out_items: usize,
    pub held_out_tokens: usize,
    /// Whether training stopped because its share of `--minutes` ran out.
    pub out_of_time: bool,
    /// Whether the adapter's rank search was cut short (or skipped) by `--minutes`.
    pub ranks_cut: bool,
    /// The time each phase took, and the whole command's.
    pub phases: Vec<PhaseTime>,
    pub seconds: f64,
}

impl Report {
    /// The whole trained model registered as `name` at `path`, with the base's and its
    /// held-out perplexities; the training figures come later ([`Report::with_training`]).
    pub(super) fn whole_model(
        base: &str,
        name: &str,
        path: &Path,
        perplexities: (&Scored, f64),
        ranks: Vec<RankTried>,
    ) -> Self {
        let (before, after) = perplexities;
        Self {
            base: base.to_string(),
            model: Some(name.to_string()),
            path: Some(path.to_path_buf()),
            perplexity_before: before.perplexity,
            perplexity_after: after,
            steps: 0,
            resumed_from: 0,
            train_seconds: 0.0,
            mean_loss: 0.0,
            kind: ResultKind::Model,
            rank: None,
            perplexity_full: after,
            ranks,
            checks: Vec::new(),
            kept_step: None,
            interval_before: before.interval,
            change_interval: (f64::NAN, f64::NAN),
            held_out_items: before.items,
            held_out_tokens: before.tokens,
            out_of_time: false,
            ranks_cut: false,
            phases: Vec::new(),
            seconds: 0.0,
        }
    }

    /// The report with what training did, a run that resumed after `resumed_from` steps.
    pub(super) fn with_training(mut self, outcome: &train::Outcome, resumed_from: usize) -> Self {
        self.steps = outcome.done - resumed_from;
        self.resumed_from = resumed_from;
        self.train_seconds = outcome.seconds;
        self.mean_loss = outcome.mean_loss;
        self.checks = outcome
            .checks
            .iter()
            .map(|&(step, perplexity)| Check { step, perplexity })
            .collect();
        self.kept_step = outcome.kept_position;
        self.out_of_time = outcome.out_of_time;
        self
    }
}

/// One check of the weights on the validation writing during training.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Windows trained on so far (resumed ones included).
    pub step: usize,
    pub perplexity: f64,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum ResultKind {
    Adapter,
    Model,
}

/// One adapter rank and how it did.
#[derive(Debug, Clone, Serialize)]
pub struct RankTried {
    pub rank: usize,
    pub perplexity: f64,
    /// The share of the weights' change (squared norm) the rank keeps.
    pub kept: f64,
}

/// A perplexity and what it rests on.
#[derive(Debug, Clone)]
pub struct Scored {
    pub perplexity: f64,
    /// Its 95% interval, from how much the items' log-likelihoods vary.
    pub interval: (f64, f64),
    pub items: usize,
    /// Tokens scored.
    pub tokens: usize,
    /// Tokens read per second, prompts included.
    pub speed: f64,
    /// Each item's score, in order: what a paired comparison rests on.
    pub scores: Vec<Score>,
}
