//! After training: the result scored on the held-out writing against the base, the smallest
//! adapter that keeps its gain, and the registration. Each measurement starts only when the
//! run's budget still has room for it.
use std::path::Path;
use std::time::Instant;

use crate::engine::local::{LoadOptions, LocalModel};
use crate::engine::score::Score;
use crate::engine::Adapter;
use crate::error::Error;
use crate::models::registry::{check_file, ModelEntry, Registry};
use crate::paths::Paths;

use super::budget::{Clock, Phase, Sizes, Speeds};
use super::dataset::Sequence;
use super::report::{RankTried, Report, ResultKind, Scored};
use super::{adapter, ffi, internal, tensors, Base, Keep, Prepared, Settings, State};

/// Adapter ranks: the smallest that keeps [`KEEP_GAIN`] of the whole model's gain is
/// registered, and the whole model only when none does.
const RANKS: [usize; 6] = [4, 8, 16, 32, 64, 128];
pub const KEEP_GAIN: f64 = 0.95;

/// What `finish` needs besides the run's inputs.
pub struct Judging<'c, 'o> {
    pub clock: &'c mut Clock<'o>,
    pub speeds: Speeds,
    pub sizes: Sizes,
    pub before: Scored,
}

/// Compares the trained model with the base on the held-out writing and, when it is better,
/// registers the smallest adapter that keeps its gain, or else the whole model (as Q8_0).
pub fn finish(
    paths: &Paths,
    base: &Base,
    prepared: &Prepared,
    settings: &Settings,
    trained: &Path,
    judging: &mut Judging,
    state: &mut State,
) -> Result<Report, Error> {
    judging.clock.enter(Phase::Judging);
    let before = judging.before.perplexity;
    let name = result_name(&paths.registry_file(), &base.name)?;
    let models = paths.models_dir();
    std::fs::create_dir_all(&models)?;
    let full = models.join(format!("{name}.gguf"));
    let began = Instant::now();
    ffi::convert(trained, &full, ffi::Ftype::Q8_0, settings.threads).map_err(internal)?;
    judging.speeds.convert = began.elapsed().as_secs_f64();
    let whole = perplexity(&full, &prepared.held_out, settings.threads, &[])?;
    judging.speeds.score = whole.speed;
    let after = whole.perplexity;
    // NaN (a diverged run) is never better.
    if after.partial_cmp(&before) != Some(std::cmp::Ordering::Less) {
        let _ = std::fs::remove_file(&full);
        return Err(Error::user(format!(
            "the learned model predicts your held-out writing worse than {} (perplexity {before:.2} before, {after:.2} after), so it was not registered",
            base.name
        ))
        .hint("learn from more writing, or lower --learning-rate"));
    }
    let lora = models.join(format!("{name}.lora.gguf"));
    let (ranks, kept, cut): Found = match settings.keep {
        Keep::Model => (Vec::new(), None, false),
        Keep::Auto | Keep::Adapter => {
            judging.clock.enter(Phase::Ranking);
            let search = Search {
                paths,
                base,
                prepared,
                settings,
                perplexities: (before, after),
            };
            search.smallest_adapter(trained, &lora, judging)?
        }
    };
    if kept.is_none() && settings.keep == Keep::Adapter {
        let _ = std::fs::remove_file(&full);
        let why = if cut {
            "the time ran out before an adapter could be measured"
        } else {
            "no adapter predicts your held-out writing better"
        };
        return Err(Error::user(format!(
            "{why} than {} (perplexity {before:.2}; the whole model {after:.2}), so nothing was registered",
            base.name
        ))
        .hint("learn longer, or pass --keep auto to keep the whole model"));
    }
    let mut report = Report::whole_model(&base.name, &name, &full, (&judging.before, after), ranks);
    report.ranks_cut = cut;
    report.change_interval = paired_interval(&judging.before.scores, &whole.scores);
    let entry = match kept {
        Some((tried, scores)) => {
            report.change_interval = paired_interval(&judging.before.scores, &scores);
            let _ = std::fs::remove_file(&full);
            report.kind = ResultKind::Adapter;
            report.rank = Some(tried.rank);
            report.perplexity_after = tried.perplexity;
            report.path = Some(lora.clone());
            let mut entry = ModelEntry::from_header(&name, &base.path, &check_file(&base.path)?);
            entry.lora = vec![lora];
            entry
        }
        None => ModelEntry::from_header(&name, &full, &check_file(&full)?),
    };
    register(paths, prepared, entry, name, state)?;
    Ok(report)
}

/// Adds the result to the registry and remembers it, and the newest writing it read, for
/// the next `--since`.
fn register(
    paths: &Paths,
    prepared: &Prepared,
    entry: ModelEntry,
    name: String,
    state: &mut State,
) -> Result<(), Error> {
    let mut registry = Registry::open(&paths.registry_file())?;
    registry.insert(entry);
    registry.save()?;
    state.last_model = Some(name);
    state.last_item_time = prepared
        .corpus
        .train
        .iter()
        .chain(&prepared.corpus.validation)
        .chain(&prepared.corpus.held_out)
        .map(|i| i.time)
        .max()
        .or(state.last_item_time);
    Ok(())
}

/// The search for the smallest adapter that keeps the whole model's gain.
struct Search<'a> {
    paths: &'a Paths,
    base: &'a Base,
    prepared: &'a Prepared,
    settings: &'a Settings,
    /// The base's held-out perplexity, then the whole trained model's.
    perplexities: (f64, f64),
}

/// Every rank measured, the one kept (its file left at the adapter's path), and whether the
/// budget cut the search short.
type Found = (Vec<RankTried>, Option<(RankTried, Vec<Score>)>, bool);

impl Search<'_> {
    /// Writes adapters to `lora` from the change between the base file and `trained`,
    /// looking for the smallest rank that gains at least [`KEEP_GAIN`] of what the whole
    /// trained model gained on the held-out writing.
    fn smallest_adapter(
        &self,
        trained: &Path,
        lora: &Path,
        judging: &mut Judging,
    ) -> Result<Found, Error> {
        let (before, whole) = self.perplexities;
        let (sizes, mut speeds) = (judging.sizes, judging.speeds);
        if !judging.clock.fits(sizes.ranking_seconds(&speeds, 0)) {
            return Ok((Vec::new(), None, true));
        }
        let change = self.change(trained, RANKS[RANKS.len() - 1])?;
        let measure = |rank: usize| -> Result<(RankTried, Scored), Error> {
            change.write(rank, lora).map_err(internal)?;
            let adapters = [Adapter {
                path: lora.to_path_buf(),
                scale: 1.0,
            }];
            let threads = self.settings.threads;
            let scored = perplexity(&self.base.path, &self.prepared.held_out, threads, &adapters)?;
            let tried = RankTried {
                rank,
                perplexity: scored.perplexity,
                kept: change.kept(rank),
            };
            Ok((tried, scored))
        };
        let enough = |tried: &RankTried| before - tried.perplexity >= KEEP_GAIN * (before - whole);
        // The largest rank first: when even it loses too much of the gain, no smaller one
        // keeps it, and one measurement settles it. Otherwise the smallest rank that
        // suffices is found by halves (a larger rank approximates the change better).
        let (largest, scored) = measure(RANKS[RANKS.len() - 1])?;
        speeds.score = scored.speed;
        let mut ranks = vec![largest.clone()];
        if !enough(&largest) {
            let keep = self.settings.keep == Keep::Adapter && largest.perplexity < before;
            if !keep {
                let _ = std::fs::remove_file(lora);
            }
            return Ok((ranks, keep.then_some((largest, scored.scores)), false));
        }
        let (mut low, mut high) = (0, RANKS.len() - 1);
        let mut best = (largest, scored.scores);
        let mut cut = false;
        while low < high {
            if !judging.clock.fits(sizes.rank_seconds(&speeds)) {
                cut = true;
                break;
            }
            let middle = (low + high) / 2;
            let (tried, scored) = measure(RANKS[middle])?;
            speeds.score = scored.speed;
            ranks.push(tried.clone());
            if enough(&tried) {
                high = middle;
                best = (tried, scored.scores);
            } else {
                low = middle + 1;
            }
        }
        judging.speeds = speeds;
        // The last rank written may not be the one kept.
        change.write(best.0.rank, lora).map_err(internal)?;
        Ok((ranks, Some(best), cut))
    }

    /// The change between the base's F32 weights and `trained`, up to `rank`.
    fn change(&self, trained: &Path, rank: usize) -> Result<adapter::Change, Error> {
        let original = self
            .paths
            .data_dir
            .join("learn")
            .join("work")
            .join("original.gguf");
        let threads = self.settings.threads;
        ffi::convert(&self.base.path, &original, ffi::Ftype::F32, threads).map_err(internal)?;
        let change = (|| {
            let before = tensors::Tensors::load(&original).map_err(internal)?;
            let after = tensors::Tensors::load(trained).map_err(internal)?;
            adapter::Change::between(&before, &after, rank)
        })();
        let _ = std::fs::remove_file(&original);
        change
    }
}

/// The held-out perplexity of the model at `path`, and how stable it is.
pub fn perplexity(
    path: &Path,
    held_out: &[Sequence],
    threads: u32,
    adapters: &[Adapter],
) -> Result<Scored, Error> {
    let options = LoadOptions {
        gpu_layers: None,
        vocab_only: false,
        verbose: false,
    };
    let model = LocalModel::load(path, &options).map_err(|e| Error::internal(e.to_string()))?;
    // The speed of the forward pass alone: loading is counted once per scoring elsewhere.
    let began = Instant::now();
    let mut scores = Vec::with_capacity(held_out.len());
    let mut read = 0usize;
    for s in held_out {
        let tokens: Vec<_> = s
            .tokens
            .iter()
            .map(|&t| llama_cpp_2::token::LlamaToken(t))
            .collect();
        let score = model
            .score(&tokens, s.scored_from, threads, adapters)
            .map_err(|e| Error::internal(e.to_string()))?;
        read += tokens.len();
        scores.push(score);
    }
    let mut total = Score::default();
    for s in &scores {
        total.add(*s);
    }
    Ok(Scored {
        perplexity: total.perplexity(),
        interval: interval(&scores),
        items: scores.len(),
        tokens: total.tokens,
        speed: read as f64 / began.elapsed().as_secs_f64().max(1e-9),
        scores,
    })
}

/// The 95% interval of the perplexity of `scores`, by the delta method for a ratio of sums:
/// the items are the sample, each with its own length.
fn interval(scores: &[Score]) -> (f64, f64) {
    let (nll, tokens): (f64, f64) = scores
        .iter()
        .fold((0.0, 0.0), |(a, b), s| (a + s.nll, b + s.tokens as f64));
    let k = scores.len() as f64;
    if k < 2.0 || tokens == 0.0 {
        return (f64::NAN, f64::NAN);
    }
    let mean = nll / tokens;
    let squares: f64 = scores
        .iter()
        .map(|s| (s.nll - mean * s.tokens as f64).powi(2))
        .sum();
    let error = (squares * k / (k - 1.0)).sqrt() / tokens;
    ((mean - 1.96 * error).exp(), (mean + 1.96 * error).exp())
}

/// The 95% interval of the ratio of two perplexities over the same items (`after` over
/// `before`), from how much the items' differences vary: far narrower than either figure's
/// own interval, because an item that is hard for one model is hard for the other too.
fn paired_interval(before: &[Score], after: &[Score]) -> (f64, f64) {
    if before.len() != after.len() {
        return (f64::NAN, f64::NAN);
    }
    let differences: Vec<Score> = before
        .iter()
        .zip(after)
        .map(|(b, a)| Score {
            nll: a.nll - b.nll,
            tokens: a.tokens,
        })
        .collect();
    interval(&differences)
}

/// `BASE+learned-YYYY-MM-DD`, with `-2`, `-3`… when a run today already took the name; the
/// base's own `+learned-…` suffix is dropped, so results do not grow names.
fn result_name(registry: &Path, base: &str) -> Result<String, Error> {
    let stem = base.split("+learned-").next().unwrap_or(base);
    let date = chrono::Local::now().format("%Y-%m-%d");
    let registry = Registry::open(registry)?;
    let first = format!("{stem}+learned-{date}");
    let name = (1..)
        .map(|n| {
            if n == 1 {
                first.clone()
            } else {
                format!("{first}-{n}")
            }
        })
        .find(|n| registry.get(n).is_none())
        .expect("an unused name exists");
    crate::models::registry::check_name(&name)?;
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_narrows_with_more_items_of_the_same_spread() {
        let item = |nll: f64| Score { nll, tokens: 10 };
        let few: Vec<Score> = [20.0, 30.0, 25.0, 35.0].map(item).to_vec();
        let many: Vec<Score> = few.iter().cycle().take(40).copied().collect();
        let (a, b) = interval(&few);
        let (c, d) = interval(&many);
        assert!(a < c && d < b, "{a} {b} {c} {d}");
        let perplexity = (27.5f64 / 10.0).exp();
        assert!(c < perplexity && perplexity < d);
    }
}
