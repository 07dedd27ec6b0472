//! The time a run may take, shared by its phases: `--minutes` bounds the whole command, from
//! its first line to the registered result. The speeds the plan rests on are measured as the
//! run goes (the conversion, the base's scoring, each step, each check), not assumed, so the
//! plan holds on a machine other work slows down; the reference figures below only seed the
//! estimate of `--dry-run`, which measures nothing heavy.
use std::time::Instant;

use serde::Serialize;

/// Training tokens per second per two cores, measured with this loop on SmolLM2-135M
/// (256-token windows, AdamW) on an idle two-core machine (110 to 120; docs/learn.md).
pub const TRAIN_TOKENS_PER_SECOND: f64 = 110.0;
/// Tokens per second the forward pass reads when scoring the F32 SmolLM2-135M on two idle
/// cores (estimated from the training speed: a step costs about three forward passes).
pub const SCORE_TOKENS_PER_SECOND: f64 = 400.0;
/// Seconds a conversion (F32 or Q8_0) of SmolLM2-135M takes, two idle cores.
const CONVERT_SECONDS: f64 = 3.0;
/// Seconds the truncated SVDs of SmolLM2-135M's weight changes take, two idle cores.
const SVD_SECONDS: f64 = 40.0;
/// Seconds to save the trained weights once (a check, the end), SmolLM2-135M.
const SAVE_SECONDS: f64 = 3.0;
/// Seconds to load a model for scoring, and to write an adapter.
const LOAD_SECONDS: f64 = 1.0;
pub const REFERENCE_PARAMETERS: f64 = 135e6;
/// Adapter ranks measured after the largest, at most: a search by halves over the five
/// smaller ranks needs three.
pub const RANK_MEASUREMENTS: usize = 4;
/// Checks take at most one part in this many of the training time when the time is bounded.
pub const CHECK_SHARE: f64 = 7.0;
/// The most a measured scoring speed may slow the reference figures down by.
const MAX_SLOWDOWN: f64 = 10.0;
/// Kept back from the budget for what no estimate sees (a slow disk, a busy neighbour).
const MARGIN_SHARE: f64 = 0.03;
const MARGIN_SECONDS: f64 = 5.0;
/// And this share of the judgement's estimate: its scoring speed was measured before training,
/// and a neighbour's load can change by then (a 5-minute run on a shared machine judged 20%
/// slower than planned and ended 11 s late).
const JUDGING_SPREAD: f64 = 0.2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Preparing,
    Training,
    Checking,
    Judging,
    Ranking,
}

impl Phase {
    const ALL: [Phase; 5] = [
        Phase::Preparing,
        Phase::Training,
        Phase::Checking,
        Phase::Judging,
        Phase::Ranking,
    ];

    /// The word a progress line shows.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Preparing => "preparing",
            Phase::Training => "training",
            Phase::Checking => "checking",
            Phase::Judging => "judging",
            Phase::Ranking => "choosing the adapter rank",
        }
    }
}

/// What hears of the run as it goes: the command line draws it.
pub trait Observer {
    /// A phase begins; `left` is the seconds to the deadline, when there is one.
    fn phase(&mut self, phase: Phase, left: Option<f64>);
    fn step(&mut self, done: usize, total: usize, loss: f64);
}

/// The seconds one phase took, all its turns together.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseTime {
    pub phase: Phase,
    pub seconds: f64,
}

/// When the run started and must end, the phase it is in and the time each phase took.
pub struct Clock<'a> {
    started: Instant,
    deadline: Option<Instant>,
    current: Phase,
    since: Instant,
    spent: [f64; 5],
    observer: &'a mut dyn Observer,
}

impl<'a> Clock<'a> {
    /// A run that started at `started` (preparing) with `seconds` to take in all, if bounded.
    pub fn new(started: Instant, seconds: Option<f64>, observer: &'a mut dyn Observer) -> Self {
        let deadline = seconds.map(|s| started + std::time::Duration::from_secs_f64(s.max(0.0)));
        observer.phase(Phase::Preparing, seconds);
        Self {
            started,
            deadline,
            current: Phase::Preparing,
            since: started,
            spent: [0.0; 5],
            observer,
        }
    }

    pub fn enter(&mut self, phase: Phase) {
        if phase == self.current {
            return;
        }
        let now = Instant::now();
        self.spent[index(self.current)] += (now - self.since).as_secs_f64();
        self.current = phase;
        self.since = now;
        let left = self.left();
        self.observer.phase(phase, left);
    }

    pub fn step(&mut self, done: usize, total: usize, loss: f64) {
        self.observer.step(done, total, loss);
    }

    /// Seconds to the deadline (none without one; never below zero).
    pub fn left(&self) -> Option<f64> {
        self.deadline
            .map(|d| d.saturating_duration_since(Instant::now()).as_secs_f64())
    }

    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Seconds since the run started.
    pub fn elapsed(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    /// Whether `seconds` more fit before the deadline (always, without one).
    pub fn fits(&self, seconds: f64) -> bool {
        self.left().is_none_or(|left| seconds <= left)
    }

    /// The time of every phase that took any, the current one up to now.
    pub fn times(&self) -> Vec<PhaseTime> {
        let mut spent = self.spent;
        spent[index(self.current)] += self.since.elapsed().as_secs_f64();
        Phase::ALL
            .iter()
            .zip(spent)
            .filter(|(_, s)| *s > 0.0)
            .map(|(&phase, seconds)| PhaseTime { phase, seconds })
            .collect()
    }
}

fn index(phase: Phase) -> usize {
    Phase::ALL.iter().position(|&p| p == phase).unwrap_or(0)
}

/// The speeds a plan rests on: reference figures scaled to the model and threads, then
/// replaced by what the run measures.
#[derive(Debug, Clone, Copy)]
pub struct Speeds {
    /// Tokens per second when scoring.
    pub score: f64,
    /// Seconds per training step.
    pub step: f64,
    /// Seconds per conversion of the model.
    pub convert: f64,
    /// Seconds for the SVDs of every weight change.
    pub svd: f64,
    /// Seconds to save the trained weights once.
    pub save: f64,
}

impl Speeds {
    /// The reference figures for a model of `parameters` on `threads` cores, `window`-token steps.
    pub fn reference(parameters: u64, threads: u32, window: u32) -> Self {
        let size = parameters.max(1) as f64 / REFERENCE_PARAMETERS;
        let cores = threads.clamp(1, 2) as f64 / 2.0;
        Self {
            score: SCORE_TOKENS_PER_SECOND * cores / size,
            step: window as f64 / (TRAIN_TOKENS_PER_SECOND * cores / size),
            convert: CONVERT_SECONDS * size,
            svd: SVD_SECONDS * size / cores,
            save: SAVE_SECONDS * size,
        }
    }

    /// How much slower this machine is now than the reference, from a measured scoring speed:
    /// what the figures not yet measured (steps, SVDs) are scaled by.
    pub fn slowed_by(mut self, measured_score: f64) -> Self {
        // A few tokens read give a poor speed; more than this slowdown is not believed.
        let factor = (self.score / measured_score.max(1e-9)).clamp(1.0, MAX_SLOWDOWN);
        self.score = measured_score;
        self.step *= factor;
        self.svd *= factor;
        self
    }
}

/// The sizes the plan's costs scale with.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    /// Every token of the held-out sequences (the forward pass reads the prompts too).
    pub held_out_tokens: usize,
    pub validation_tokens: usize,
}

impl Sizes {
    pub fn score_seconds(&self, speeds: &Speeds, tokens: usize) -> f64 {
        LOAD_SECONDS + tokens as f64 / speeds.score.max(1e-9)
    }

    /// One check: the weights saved, loaded and scored on the validation writing.
    pub fn check_seconds(&self, speeds: &Speeds) -> f64 {
        speeds.save + self.score_seconds(speeds, self.validation_tokens)
    }

    /// The result converted to Q8_0 and scored on the held-out writing.
    pub fn judging_seconds(&self, speeds: &Speeds) -> f64 {
        speeds.convert + self.score_seconds(speeds, self.held_out_tokens)
    }

    /// One adapter rank written and scored.
    pub fn rank_seconds(&self, speeds: &Speeds) -> f64 {
        LOAD_SECONDS + self.score_seconds(speeds, self.held_out_tokens)
    }

    /// The base converted once more, the SVDs, the largest rank and `more` smaller ones.
    pub fn ranking_seconds(&self, speeds: &Speeds, more: usize) -> f64 {
        speeds.convert + speeds.svd + (1 + more) as f64 * self.rank_seconds(speeds)
    }
}

/// What is kept back from training for the phases after it.
#[derive(Debug, Clone, Copy)]
pub struct Reserve {
    /// The last save, the conversion and the held-out judgement (the end's check, when
    /// there is one, is training's: its pace leaves room for it).
    pub judging: f64,
    /// The adapter's rank search; zero when the budget is too small to afford it, and then
    /// the whole model is what a better result is kept as.
    pub ranking: f64,
}

impl Reserve {
    /// Plans the time after training within `left` seconds: the rank search only when it
    /// leaves training at least as much time as it takes itself.
    pub fn plan(sizes: &Sizes, speeds: &Speeds, left: f64, adapters: bool) -> Self {
        let judged = speeds.save + sizes.judging_seconds(speeds);
        let judging = judged + margin(left, judged);
        let ranking = sizes.ranking_seconds(speeds, RANK_MEASUREMENTS - 1);
        let affordable = adapters && left - judging - ranking >= ranking;
        Self {
            judging,
            ranking: if affordable { ranking } else { 0.0 },
        }
    }

    pub fn total(&self) -> f64 {
        self.judging + self.ranking
    }
}

fn margin(left: f64, judged: f64) -> f64 {
    MARGIN_SECONDS + MARGIN_SHARE * left.max(0.0) + JUDGING_SPREAD * judged
}

/// The whole run's expected seconds after `prepared` seconds of preparing, for `--dry-run`:
/// the F32 copy and the base's scoring, the steps and their checks, the judgement and the
/// rank search, all bounded by `budget` when one is given.
pub fn expected_seconds(
    sizes: &Sizes,
    speeds: &Speeds,
    steps: usize,
    check_every: usize,
    adapters: bool,
    prepared: f64,
    budget: Option<f64>,
) -> f64 {
    let before = prepared + speeds.convert + sizes.score_seconds(speeds, sizes.held_out_tokens);
    let checks = if check_every == 0 || sizes.validation_tokens == 0 || steps <= check_every {
        0.0
    } else {
        // Every `check_every` steps, and the end once any was made.
        let count = ((steps - 1) / check_every) as f64 + 1.0;
        let every = count * sizes.check_seconds(speeds);
        // A bounded run spaces its checks to a share of the training time.
        match budget {
            Some(_) => every.min(steps as f64 * speeds.step / (CHECK_SHARE - 1.0)),
            None => every,
        }
    };
    let training = steps as f64 * speeds.step + checks;
    let after = speeds.save
        + sizes.judging_seconds(speeds)
        + if adapters {
            sizes.ranking_seconds(speeds, RANK_MEASUREMENTS - 1)
        } else {
            0.0
        };
    let Some(budget) = budget else {
        return before + training + after;
    };
    let reserve = Reserve::plan(sizes, speeds, budget - before, adapters);
    let room = (budget - before - reserve.total()).max(0.0);
    let judged = speeds.save + sizes.judging_seconds(speeds);
    before + training.min(room) + reserve.total() - margin(budget - before, judged)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes() -> Sizes {
        Sizes {
            held_out_tokens: 20_000,
            validation_tokens: 10_000,
        }
    }

    #[test]
    fn a_bounded_run_is_expected_to_take_its_budget_and_no_more() {
        let speeds = Speeds::reference(135_000_000, 2, 256);
        let long = expected_seconds(&sizes(), &speeds, 8_000, 32, true, 10.0, Some(900.0));
        assert!(long <= 900.0 && long > 850.0, "{long}");
        let free = expected_seconds(&sizes(), &speeds, 8_000, 32, true, 10.0, None);
        assert!(free > 8_000.0 * 256.0 / 110.0, "{free}");
        // Three steps take less than their budget.
        let short = expected_seconds(&sizes(), &speeds, 3, 32, false, 10.0, Some(900.0));
        assert!(short < 200.0, "{short}");
    }

    #[test]
    fn a_small_budget_gives_up_the_rank_search_before_training() {
        let speeds = Speeds::reference(135_000_000, 2, 256);
        let small = Reserve::plan(&sizes(), &speeds, 120.0, true);
        assert_eq!(small.ranking, 0.0);
        let large = Reserve::plan(&sizes(), &speeds, 900.0, true);
        assert!(large.ranking > 0.0 && large.total() < 450.0, "{large:?}");
    }

    #[test]
    fn a_slower_machine_scales_what_is_not_measured_yet() {
        let speeds = Speeds::reference(135_000_000, 2, 256);
        let slow = speeds.slowed_by(speeds.score / 3.0);
        assert!((slow.step / speeds.step - 3.0).abs() < 1e-9);
        let fast = speeds.slowed_by(speeds.score * 2.0);
        assert_eq!(
            fast.step, speeds.step,
            "never planned faster than the reference"
        );
    }
}
