//! The training set: the user's own writing, as items with a time. Notes are the indexed
//! prose files; a repository's history becomes (condensed diff → commit message) pairs laid
//! out exactly as `pai commit` asks (its system prompt, the style of the twenty subjects
//! before the commit, the diff as an attachment). The newest tenth is held out.
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::git::{self, diff, message, style};
use crate::index::walk;
use crate::message::Message;

/// Characters of condensed diff per training pair. `pai commit` reads up to 6000; training
/// on a shorter condensation of the same form (file list first, then the most telling
/// hunks) spends the tokens on messages rather than on code.
pub const TRAIN_DIFF_CHARS: usize = 1500;
/// Subjects before a commit whose style its prompt shows, as `pai commit` does.
const STYLE_SUBJECTS: usize = 20;
/// The share of items, newest first, that is never trained on, in a small history.
pub const HELD_OUT_SHARE: f64 = 0.10;
/// The share of the rest, newest first, that training checks itself against to stop at its
/// best step (never trained on either, and not the held-out items, which judge the result).
pub const VALIDATION_SHARE: f64 = 0.05;
/// Scored tokens (messages, notes) beyond which the held-out set stops growing: scoring costs
/// every token of a prompt too, and a share of a large history is more than a sound figure
/// needs (docs/learn.md: how stable the perplexity of this many tokens is).
pub const HELD_OUT_TOKENS: usize = 1500;
/// The same cap for the validation set, which every check scores.
pub const VALIDATION_TOKENS: usize = 600;
/// The extensions of notes: prose the user wrote, not code.
const NOTE_EXTENSIONS: &[&str] = &["md", "markdown", "txt", "org", "rst", "adoc", "text"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Note,
    Commit,
}

/// One piece of the user's writing.
#[derive(Debug, Clone)]
pub struct Item {
    pub kind: Kind,
    /// A file's path, or `REPO@SHA` for a commit.
    pub source: String,
    /// Unix seconds: the commit date or the file's modification time.
    pub time: i64,
    /// What the model is asked (commits), empty for notes.
    pub prompt: Vec<Message>,
    /// What the model should write: the commit message, or the note's text.
    pub text: String,
}

/// Where to read from.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub notes: Vec<PathBuf>,
    pub repos: Vec<PathBuf>,
    /// Only items newer than this (Unix seconds).
    pub since: Option<i64>,
}

/// The items, split by time.
#[derive(Debug, Default)]
pub struct Corpus {
    /// Oldest first.
    pub train: Vec<Item>,
    /// The newest tenth, oldest first.
    pub held_out: Vec<Item>,
    /// The newest twentieth of the rest, oldest first: what training checks itself against.
    pub validation: Vec<Item>,
}

/// Every item of `sources`, oldest first.
pub fn gather(sources: &Sources) -> Result<Vec<Item>, Error> {
    let mut items = notes(&sources.notes);
    for repo in &sources.repos {
        items.extend(commits(repo)?);
    }
    if let Some(since) = sources.since {
        items.retain(|i| i.time > since);
    }
    items.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.source.cmp(&b.source)));
    Ok(items)
}

/// How many of the newest items are held out and, before them, how many check training.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    pub validation: usize,
    pub held_out: usize,
}

/// The split of items (oldest first) whose scored tokens are `scored`: the newest
/// `HELD_OUT_SHARE` (at least one item when there are two or more) is held out, and the
/// newest `VALIDATION_SHARE` of the rest checks training, each cut at the fewest newest items
/// that reach its token cap.
pub fn split(scored: &[usize]) -> Split {
    let n = scored.len();
    let held = if n < 2 {
        0
    } else {
        ((n as f64 * HELD_OUT_SHARE).ceil() as usize).max(1)
    };
    let held = held.min(reaching(scored.iter().rev(), HELD_OUT_TOKENS));
    let rest = n - held;
    // At least one when two would still be left to train on.
    let checked = if rest < 3 {
        0
    } else {
        ((rest as f64 * VALIDATION_SHARE).ceil() as usize).max(1)
    };
    let checked = checked.min(reaching(scored[..rest].iter().rev(), VALIDATION_TOKENS));
    Split {
        validation: checked,
        held_out: held,
    }
}

/// How many of `costs` (newest first) it takes to reach `cap`; at least one.
fn reaching<'a>(costs: impl Iterator<Item = &'a usize>, cap: usize) -> usize {
    let mut sum = 0;
    let mut count = 0;
    for &c in costs {
        count += 1;
        sum += c;
        if sum >= cap {
            break;
        }
    }
    count.max(1)
}

impl Corpus {
    /// `items` (oldest first) cut as `split` says.
    pub fn new(mut items: Vec<Item>, split: Split) -> Self {
        let held_out = items.split_off(items.len() - split.held_out);
        let validation = items.split_off(items.len() - split.validation);
        Self {
            train: items,
            held_out,
            validation,
        }
    }
}

/// The prose files under the index's sources.
fn notes(sources: &[PathBuf]) -> Vec<Item> {
    let mut skips = walk::Skips::default();
    walk::walk(sources, crate::index::DEFAULT_MAX_FILE_SIZE, &mut skips)
        .into_iter()
        .filter(|c| is_note(&c.path))
        .filter_map(|c| {
            let walk::Content::Text { text, .. } =
                walk::read_text(&c.path, crate::index::DEFAULT_MAX_FILE_SIZE).ok()?
            else {
                return None;
            };
            let text = text.trim().to_string();
            (!text.is_empty()).then(|| Item {
                kind: Kind::Note,
                source: c.path.display().to_string(),
                time: (c.mtime / 1_000_000_000) as i64,
                prompt: Vec::new(),
                text,
            })
        })
        .collect()
}

fn is_note(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| NOTE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// A repository's history as pairs, each prompt in the form `pai commit` uses.
fn commits(repo: &Path) -> Result<Vec<Item>, Error> {
    let history = git::history(repo).map_err(|e| {
        Error::user(format!(
            "cannot read the history of {}: {e}",
            repo.display()
        ))
        .hint("pass a git repository to --from-git")
    })?;
    let mut items = Vec::new();
    for (i, commit) in history.iter().enumerate() {
        // Bots (GitHub names them `…[bot]`) write templated messages, not the user's way.
        if git::is_bot(&commit.author) {
            continue;
        }
        let patch = git::commit_patch(repo, &commit.sha)?;
        let files = diff::parse(&patch);
        if files.is_empty() {
            continue;
        }
        // The style `pai commit` would have seen: the people's subjects just before this commit.
        let earlier: Vec<String> = history[i + 1..]
            .iter()
            .filter(|c| !git::is_bot(&c.author))
            .take(STYLE_SUBJECTS)
            .filter_map(|c| c.message.lines().next().map(str::to_string))
            .collect();
        let style = style::learn(&earlier);
        let request = message::request(&style, &diff::condense(&files, TRAIN_DIFF_CHARS), false);
        items.push(Item {
            kind: Kind::Commit,
            source: format!(
                "{}@{}",
                repo.display(),
                &commit.sha[..commit.sha.len().min(12)]
            ),
            time: commit.time,
            prompt: request.messages(),
            text: commit.message.clone(),
        });
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(time: i64) -> Item {
        Item {
            kind: Kind::Note,
            source: format!("n{time}"),
            time,
            prompt: Vec::new(),
            text: "x".into(),
        }
    }

    fn corpus(times: Vec<i64>) -> Corpus {
        let items: Vec<Item> = times.into_iter().map(note).collect();
        let counts = split(&vec![10; items.len()]);
        Corpus::new(items, counts)
    }

    #[test]
    fn the_newest_tenth_is_held_out() {
        let corpus = corpus((0..25).collect());
        assert_eq!(corpus.held_out.len(), 3);
        assert_eq!(corpus.held_out[0].time, 22);
        // Then a twentieth of the 22 left (rounded up): two, the newest of them.
        assert_eq!(corpus.validation.len(), 2);
        assert_eq!(corpus.validation[0].time, 20);
        assert_eq!(corpus.train.len(), 20);
        assert!(corpus.train.iter().all(|i| i.time < 20));
    }

    #[test]
    fn one_item_is_trained_on_and_two_hold_one_out() {
        assert_eq!(corpus(vec![1]).held_out.len(), 0);
        assert_eq!(corpus(vec![1, 2]).held_out[0].time, 2);
        assert!(corpus(vec![1, 2, 3]).validation.is_empty());
        assert_eq!(corpus((1..=4).collect()).validation[0].time, 3);
    }

    #[test]
    fn a_large_history_holds_out_only_what_reaches_the_token_caps() {
        // 2000 items of 90 scored tokens: a tenth would be 200 items, the cap needs 23.
        let counts = split(&[90; 2000]);
        assert_eq!(counts.held_out, HELD_OUT_TOKENS.div_ceil(90));
        assert_eq!(counts.validation, VALIDATION_TOKENS.div_ceil(90));
        // One long message is enough on its own.
        let mut scored = vec![90; 100];
        scored[99] = 5000;
        assert_eq!(split(&scored).held_out, 1);
    }
}
