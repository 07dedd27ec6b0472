//! Ordering the chunks found: tests demoted unless asked for (and promoted when), READMEs and change logs demoted
//! when code is found too (unless an overview is asked for), web addresses promoted when
//! asked for, meaning fused in where the words alone are weak, then files by their best
//! chunks with at most two of each among the first results.
use std::collections::HashMap;

use super::{Fusion, Weights};
use crate::index::{code, links, Hit};

/// The order of `found`, at most `limit` chunks: `whole` holds the files' own scores by words
/// and `near` the cosines of the chunks found by meaning.
pub(super) fn order(
    mut found: Vec<Hit>,
    mut whole: HashMap<std::path::PathBuf, f32>,
    near: &HashMap<ChunkKey, f32>,
    weights: &Weights,
    query: &str,
    limit: usize,
) -> Vec<Hit> {
    if !code::asks_for_tests(query) {
        demote_tests(&mut found, &mut whole, weights.test);
    } else if weights.asked != 1.0 {
        demote_tests(&mut found, &mut whole, weights.asked);
    }
    if !code::asks_for_overview(query) {
        demote_overviews(&mut found, &mut whole, weights.overview);
    }
    demote_bare(&mut found, weights.bare);
    let link = if links::asks_for_link(query) {
        weights.link
    } else {
        1.0
    };
    if near.is_empty() || weights.dense <= 0.0 || !words_weak(&found, &whole, weights) {
        promote_links(&mut found, &mut whole, link);
        rank(found, &whole, weights, limit)
    } else {
        fuse(&mut found, &whole, near, weights);
        promote_links(&mut found, &mut HashMap::new(), link);
        let fused = Weights {
            file: 0.0,
            ..*weights
        };
        rank(found, &HashMap::new(), &fused, limit)
    }
}

/// Scales test chunks and the whole-file scores of test files (files all of whose chunks
/// are tests) by `factor`: down unless the question asks for tests, up when it does.
fn demote_tests(hits: &mut [Hit], whole: &mut HashMap<std::path::PathBuf, f32>, factor: f32) {
    let mut mixed = std::collections::HashSet::new();
    for h in hits.iter_mut() {
        if h.test {
            h.score *= factor;
        } else {
            mixed.insert(h.path.clone());
        }
    }
    let tests: std::collections::HashSet<&std::path::Path> = hits
        .iter()
        .filter(|h| h.test && !mixed.contains(&h.path))
        .map(|h| h.path.as_path())
        .collect();
    for path in tests {
        if let Some(s) = whole.get_mut(path) {
            *s *= factor;
        }
    }
}

/// Scales down READMEs and change logs, and their whole-file scores, when code is among the
/// chunks found: beside code they are summaries of it, as tests are. Among notes alone (no
/// code found) a README is a note like any other.
fn demote_overviews(hits: &mut [Hit], whole: &mut HashMap<std::path::PathBuf, f32>, factor: f32) {
    if factor == 1.0 || !hits.iter().any(|h| code::is_program(&h.lang)) {
        return;
    }
    for h in hits.iter_mut().filter(|h| code::is_overview_path(&h.path)) {
        h.score *= factor;
    }
    for (path, s) in whole.iter_mut() {
        if code::is_overview_path(path) {
            *s *= factor;
        }
    }
}

/// Scales chunks of code that define nothing (a piece of a body, a run of imports, the
/// middle of a long enum) by `factor`: they mention what the code around them does, while a
/// question about code asks for the function, type or constant that does it.
fn demote_bare(hits: &mut [Hit], factor: f32) {
    if factor == 1.0 {
        return;
    }
    for h in hits.iter_mut().filter(|h| code::is_program(&h.lang)) {
        if code::definitions(&h.text).is_empty() {
            h.score *= factor;
        }
    }
}

/// Scales up the chunks that hold a web address (when the question asks for one), and the
/// whole-file scores of their files.
fn promote_links(hits: &mut [Hit], whole: &mut HashMap<std::path::PathBuf, f32>, factor: f32) {
    if factor == 1.0 {
        return;
    }
    let mut files = std::collections::HashSet::new();
    for h in hits.iter_mut().filter(|h| links::holds_link(&h.text)) {
        h.score *= factor;
        files.insert(h.path.clone());
    }
    for path in files {
        if let Some(s) = whole.get_mut(&path) {
            *s *= factor;
        }
    }
}

/// Whether the order by words leaves room for meaning: nothing found, or a second file
/// whose score comes within `w.weak` of the first's.
fn words_weak(hits: &[Hit], whole: &HashMap<std::path::PathBuf, f32>, w: &Weights) -> bool {
    if w.weak <= 0.0 {
        return true;
    }
    let mut best: HashMap<&std::path::Path, f32> = HashMap::new();
    for h in hits.iter().filter(|h| h.score > 0.0) {
        let s = h.score + w.file * whole.get(&h.path).copied().unwrap_or(0.0);
        let e = best.entry(&h.path).or_insert(0.0);
        *e = e.max(s);
    }
    let mut scores: Vec<f32> = best.into_values().collect();
    scores.sort_by(|a, b| b.total_cmp(a));
    match scores.as_slice() {
        [] => true,
        [_] => false,
        [first, second, ..] => second / first >= w.weak,
    }
}

/// A chunk's place: its file and first line.
pub(super) type ChunkKey = (std::path::PathBuf, usize);

/// Rescores chunks by reciprocal-rank fusion of two orders: by words (the chunk's BM25 plus
/// its share of the whole file's) and by meaning (the cosine in `near`). The two scores are
/// on different scales; their ranks are not. Afterwards `whole` has been counted.
fn fuse(
    hits: &mut [Hit],
    whole: &HashMap<std::path::PathBuf, f32>,
    near: &HashMap<ChunkKey, f32>,
    w: &Weights,
) {
    let lexical: Vec<f32> = hits
        .iter()
        .map(|h| h.score + w.file * whole.get(&h.path).copied().unwrap_or(0.0))
        .collect();
    let meaning: Vec<Option<f32>> = hits
        .iter()
        .map(|h| near.get(&(h.path.clone(), h.start_line)).copied())
        .collect();
    let places = |scores: Vec<Option<f32>>| {
        let mut order: Vec<usize> = (0..scores.len()).filter(|i| scores[*i].is_some()).collect();
        order.sort_by(|a, b| {
            scores[*b]
                .unwrap_or(0.0)
                .total_cmp(&scores[*a].unwrap_or(0.0))
        });
        let mut place = vec![None; scores.len()];
        for (r, i) in order.into_iter().enumerate() {
            place[i] = Some(r as f32 + 1.0);
        }
        place
    };
    if w.fusion == Fusion::Scores {
        let top = lexical.iter().copied().fold(0.0f32, f32::max).max(1e-6);
        let sims = meaning.iter().flatten();
        let (lo, hi) = sims.fold((f32::MAX, f32::MIN), |(lo, hi), s| (lo.min(*s), hi.max(*s)));
        let span = (hi - lo).max(1e-6);
        for (i, h) in hits.iter_mut().enumerate() {
            h.score = lexical[i] / top + meaning[i].map_or(0.0, |s| w.dense * (s - lo) / span);
        }
        return;
    }
    let by_words = places(lexical.iter().map(|s| (*s > 0.0).then_some(*s)).collect());
    let by_meaning = places(meaning);
    for (i, h) in hits.iter_mut().enumerate() {
        h.score = by_words[i].map_or(0.0, |r| 1.0 / (w.fusion_k + r))
            + by_meaning[i].map_or(0.0, |r| w.dense / (w.fusion_k + r));
    }
}

/// Orders files by their best chunk (plus a share of the second best), then lists at most
/// two chunks per file before any file's third.
fn rank(
    hits: Vec<Hit>,
    whole: &HashMap<std::path::PathBuf, f32>,
    w: &Weights,
    limit: usize,
) -> Vec<Hit> {
    let mut by_file: HashMap<std::path::PathBuf, Vec<Hit>> = HashMap::new();
    for h in hits {
        by_file.entry(h.path.clone()).or_default().push(h);
    }
    let mut files: Vec<(f32, Vec<Hit>)> = by_file
        .into_values()
        .map(|mut hs| {
            hs.sort_by(|a, b| b.score.total_cmp(&a.score));
            let second = hs.get(1).map_or(0.0, |h| h.score);
            let file = whole.get(&hs[0].path).copied().unwrap_or(0.0);
            (hs[0].score + w.second * second + w.file * file, hs)
        })
        .collect();
    files.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| a.1[0].path.cmp(&b.1[0].path))
    });
    let mut first = Vec::new();
    let mut rest = Vec::new();
    for (file_score, hs) in files {
        for (i, mut h) in hs.into_iter().enumerate() {
            if i == 0 {
                h.score = file_score;
            }
            if i < 2 {
                first.push(h);
            } else {
                rest.push(h);
            }
        }
    }
    // Within the first results, a file's second chunk follows the next files' best ones.
    first.sort_by(|a, b| b.score.total_cmp(&a.score));
    first.extend(rest);
    first.truncate(limit);
    first
}
