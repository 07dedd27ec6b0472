//! Which retrieved excerpts go in front of the model, and how much of each. A small model
//! answers best from one right passage and worse with unrelated text beside it, so the
//! ranked hits are not all taken: the count follows the scores (relative to the top hit,
//! since BM25 values vary from corpus to corpus), and from each chunk only the lines that hold
//! the question's words are kept. Every hit gets a [`Choice`] saying why it went in or stayed
//! out, for `pai context`. The rules were tuned on one half of tests/fixtures/notes-eval
//! and checked on the other (docs/ARCHITECTURE.md).
use serde::Serialize;

use super::Excerpt;
use crate::index::links;

/// How the excerpts are chosen.
#[derive(Debug, Clone, PartialEq)]
pub enum Policy {
    /// The first `max` hits, whole: what pai did before the rules below (kept to compare).
    Whole {
        max: usize,
    },
    Adaptive(Rules),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    /// The most excerpts.
    pub max: usize,
    /// A hit goes in beside the top one when its score is at least this share of the top's.
    pub close: f32,
    /// Nothing goes in when the top hit holds less than this share of the question's words.
    pub min_cover: f32,
    /// Lines kept on each side of a line that holds a word of the question.
    pub neighbours: usize,
    /// The most lines kept under a heading that names the question best (see [`passage`]).
    pub section: usize,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            max: 3,
            // Tuned on the odd questions of tests/fixtures/notes-eval (docs/ARCHITECTURE.md):
            // a share of 0.6 let in more wrong company; one or two neighbouring lines gave the
            // model more to misread (9 and 11 of 26 right against 15 with none).
            close: 0.8,
            min_cover: 0.3,
            neighbours: 0,
            // A few lines: what a section opens with. No question of the notes evaluation is
            // a heading's name, so the rule changes none of its prompts (docs/ARCHITECTURE.md).
            section: 4,
        }
    }
}

/// Why a hit went in or stayed out, as `pai context` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub path: std::path::PathBuf,
    /// The chunk's lines.
    pub start_line: usize,
    pub end_line: usize,
    pub score: f32,
    /// The score as a share of the top hit's.
    pub share: f32,
    /// The share of the question's words the chunk holds.
    pub cover: f32,
    pub kept: bool,
    /// The rule that decided, in a few words.
    pub rule: String,
    /// The lines that went in; empty when the hit stayed out.
    pub lines: Lines,
}

/// Turns text into the words search matches on (the index's own analysis: lower case, stop
/// words out, stems), so that "backups" in a question finds "backup" in a note.
pub type Analyse<'a> = &'a mut dyn FnMut(&str) -> Vec<String>;

/// The file's lines that went in, as inclusive ranges.
pub type Lines = Vec<(usize, usize)>;

/// Chooses among `hits` (best first) for `question`; returns the excerpts that go in, best
/// first, and a choice for every hit.
pub fn select(
    question: &str,
    hits: Vec<Excerpt>,
    policy: &Policy,
    analyse: Analyse,
) -> (Vec<Excerpt>, Vec<Choice>) {
    let words = distinct(analyse(question));
    let link = links::asks_for_link(question);
    let top = hits.first().map_or(0.0, |h| h.score);
    let mut top_cover = 0.0;
    let mut kept = Vec::new();
    let mut choices = Vec::new();
    for (i, hit) in hits.into_iter().enumerate() {
        let share = if top > 0.0 { hit.score / top } else { 0.0 };
        let cover = cover(&words, &distinct(analyse(&hit.text)));
        if i == 0 {
            top_cover = cover;
        }
        let place = Place {
            first: i == 0,
            share,
            top_cover,
            taken: kept.len(),
        };
        let (rule, taken) = match decide(&place, i, policy) {
            Verdict::Out(why) => (why, None),
            Verdict::In(why) => take(hit.clone(), why, policy, (&words, link), analyse),
        };
        let mut choice = Choice {
            path: hit.path,
            start_line: hit.start_line,
            end_line: hit.end_line,
            score: hit.score,
            share,
            cover,
            kept: taken.is_some(),
            rule,
            lines: Vec::new(),
        };
        if let Some((excerpt, lines)) = taken {
            choice.lines = lines;
            kept.push(excerpt);
        }
        choices.push(choice);
    }
    (kept, choices)
}

/// Where a hit stands: what the rules look at.
struct Place {
    first: bool,
    /// Its score as a share of the top hit's.
    share: f32,
    /// The share of the question's words the top hit holds.
    top_cover: f32,
    /// Excerpts already in.
    taken: usize,
}

/// Whether a hit goes in, and the rule that says so.
enum Verdict {
    In(&'static str),
    Out(String),
}

/// Whether the `i`th hit goes in.
fn decide(place: &Place, i: usize, policy: &Policy) -> Verdict {
    let rules = match policy {
        Policy::Whole { max } if i < *max => return Verdict::In("among the first"),
        Policy::Whole { max } => return Verdict::Out(format!("beyond the first {max}")),
        Policy::Adaptive(rules) => rules,
    };
    if place.top_cover < rules.min_cover {
        return Verdict::Out(format!(
            "weak match: the top hit holds {:.0}% of the question's words, under {:.0}%",
            place.top_cover * 100.0,
            rules.min_cover * 100.0
        ));
    }
    if place.taken >= rules.max {
        return Verdict::Out(format!("{} excerpts already", rules.max));
    }
    if !place.first && place.share < rules.close {
        return Verdict::Out(format!(
            "the top hit leads: {:.0}% of its score, under {:.0}%",
            place.share * 100.0,
            rules.close * 100.0
        ));
    }
    Verdict::In(if place.first {
        "top hit"
    } else {
        "close to the top"
    })
}

/// What of a hit that goes in is read: the lines that hold the question's words under the
/// adaptive rules (and, when the question asks for a link, the nearest line with one),
/// else the whole chunk.
fn take(
    hit: Excerpt,
    why: &str,
    policy: &Policy,
    (words, link): (&[String], bool),
    analyse: Analyse,
) -> (String, Option<(Excerpt, Lines)>) {
    let whole = |hit: Excerpt| {
        let lines = vec![(hit.start_line, hit.end_line)];
        Some((hit, lines))
    };
    let Policy::Adaptive(rules) = policy else {
        return (format!("{why}, whole"), whole(hit));
    };
    match passage(&hit, words, (rules, link), analyse) {
        Some(taken) => (
            format!("{why}, the lines that hold the question's words"),
            Some(taken),
        ),
        None => (
            format!("{why}, whole (no line holds the question's words)"),
            whole(hit),
        ),
    }
}

/// The share of `words` that `have` holds.
fn cover(words: &[String], have: &[String]) -> f32 {
    if words.is_empty() {
        return 0.0;
    }
    let found = words.iter().filter(|w| have.contains(w)).count();
    found as f32 / words.len() as f32
}

fn distinct(mut words: Vec<String>) -> Vec<String> {
    words.sort();
    words.dedup();
    words
}

/// The lines of `hit` that hold a word of the question, with `neighbours` lines on each
/// side (and with `link`, the nearest line holding a web address), as one excerpt (gaps
/// marked) and the file's line ranges kept. A heading that holds every word of the question
/// brings the lines under it (to the next heading, at most `rules.section`): the question
/// names that section, whose lines need not repeat its words.
/// None when no line holds one (the chunk matched on its title or path).
fn passage(
    hit: &Excerpt,
    words: &[String],
    (rules, link): (&Rules, bool),
    analyse: Analyse,
) -> Option<(Excerpt, Lines)> {
    let lines: Vec<&str> = hit.text.lines().collect();
    let found: Vec<usize> = lines
        .iter()
        .map(|line| {
            distinct(analyse(line))
                .iter()
                .filter(|w| words.contains(w))
                .count()
        })
        .collect();
    let mut keep = vec![false; lines.len()];
    for (i, _) in lines.iter().enumerate().filter(|(i, _)| found[*i] > 0) {
        let from = i.saturating_sub(rules.neighbours);
        let to = (i + rules.neighbours).min(lines.len() - 1);
        keep[from..=to].iter_mut().for_each(|k| *k = true);
        if link {
            if let Some(j) = nearest_link(&lines, i) {
                keep[j] = true;
            }
        }
        if found[i] == words.len() && is_heading(lines[i]) {
            section_under(&lines, i, rules.section).for_each(|j| keep[j] = true);
        }
    }
    let ranges = runs(&keep);
    if ranges.is_empty() {
        return None;
    }
    let mut text = String::new();
    let mut file_lines = Vec::new();
    for (n, (from, to)) in ranges.iter().enumerate() {
        if n > 0 {
            text.push_str("[…]\n");
        }
        for line in &lines[*from..=*to] {
            text.push_str(line);
            text.push('\n');
        }
        file_lines.push((hit.start_line + from, hit.start_line + to));
    }
    let excerpt = Excerpt {
        start_line: file_lines[0].0,
        end_line: file_lines[file_lines.len() - 1].1,
        text,
        ..hit.clone()
    };
    Some((excerpt, file_lines))
}

fn is_heading(line: &str) -> bool {
    crate::index::chunk::heading(line).is_some()
}

/// The lines after the heading at `i`, to the next heading, at most `max` of them.
fn section_under<'a>(lines: &'a [&str], i: usize, max: usize) -> impl Iterator<Item = usize> + 'a {
    (i + 1..lines.len())
        .take_while(move |j| !is_heading(lines[*j]))
        .take(max)
}

/// The line nearest to line `i` (itself, then above before below, at most two away) that
/// holds a web address: a bookmark's description sits under the line with its link.
fn nearest_link(lines: &[&str], i: usize) -> Option<usize> {
    [0isize, -1, 1, -2, 2]
        .iter()
        .filter_map(|d| i.checked_add_signed(*d))
        .filter(|j| *j < lines.len())
        .find(|j| links::holds_link(lines[*j]))
}

/// The runs of `true` in `keep`, as inclusive index ranges.
fn runs(keep: &[bool]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, k) in keep.iter().enumerate() {
        match (k, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i - 1));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, keep.len() - 1));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() > 2)
            .map(str::to_lowercase)
            .collect()
    }

    fn hit(name: &str, score: f32, text: &str) -> Excerpt {
        Excerpt {
            path: name.into(),
            start_line: 10,
            end_line: 10 + text.lines().count() - 1,
            title: String::new(),
            score,
            text: text.into(),
            private: false,
        }
    }

    fn choose(question: &str, hits: Vec<Excerpt>) -> (Vec<Excerpt>, Vec<Choice>) {
        let mut analyse = words;
        select(
            question,
            hits,
            &Policy::Adaptive(Rules::default()),
            &mut analyse,
        )
    }

    #[test]
    fn a_clear_leader_goes_in_alone() {
        let (kept, choices) = choose(
            "backup server address",
            vec![
                hit("a.md", 10.0, "the backup server address is 10.0.0.5"),
                hit("b.md", 5.0, "the backup runs at night"),
            ],
        );
        assert_eq!(kept.len(), 1);
        assert!(!choices[1].kept);
        assert!(choices[1].rule.contains("leads"), "{}", choices[1].rule);
        assert_eq!(choices[1].share, 0.5);
    }

    #[test]
    fn close_hits_go_in_together() {
        let (kept, _) = choose(
            "backup server address",
            vec![
                hit("a.md", 10.0, "the backup server address is 10.0.0.5"),
                hit("b.md", 9.0, "the backup server moved"),
            ],
        );
        assert_eq!(kept.len(), 2);
    }

    #[test]
    fn nothing_goes_in_when_the_top_hit_matches_little() {
        let (kept, choices) = choose(
            "how do I reverse a linked list in python",
            vec![hit("a.md", 3.0, "python virtualenv notes")],
        );
        assert!(kept.is_empty());
        assert!(
            choices[0].rule.contains("weak match"),
            "{}",
            choices[0].rule
        );
    }

    #[test]
    fn only_the_lines_around_the_question_words_go_in() {
        let text = "# Server\nintro\nother\nthe backup address is 10.0.0.5\nnext\nfar\nfarther\nfarthest\nagain\nbackup retention 9 days\nend";
        let rules = Rules {
            neighbours: 1,
            ..Rules::default()
        };
        let mut analyse = words;
        let (kept, choices) = select(
            "backup address",
            vec![hit("a.md", 1.0, text)],
            &Policy::Adaptive(rules),
            &mut analyse,
        );
        assert_eq!(
            kept[0].text,
            "other\nthe backup address is 10.0.0.5\nnext\n[…]\nagain\nbackup retention 9 days\nend\n"
        );
        assert_eq!(choices[0].lines, [(12, 14), (18, 20)]);
        assert_eq!((kept[0].start_line, kept[0].end_line), (12, 20));
    }

    #[test]
    fn a_heading_that_names_the_question_brings_its_first_lines() {
        let text = "# Backup rota\nThe backup rota is kept here.\nMon: Ada\nTue: Ben\nWed: Cy\nThu: Di\nFri: Ed\n## Other\nnothing";
        let (kept, _) = choose("backup rota", vec![hit("r.md", 1.0, text)]);
        assert_eq!(
            kept[0].text,
            "# Backup rota\nThe backup rota is kept here.\nMon: Ada\nTue: Ben\nWed: Cy\n"
        );
        // A heading that holds only some of the question's words brings nothing.
        let text = "# Backup\nnotes\nthe backup rota is kept here\nMon: Ada";
        let (kept, _) = choose("backup rota", vec![hit("r.md", 1.0, text)]);
        assert_eq!(
            kept[0].text,
            "# Backup\n[…]\nthe backup rota is kept here\n"
        );
    }

    #[test]
    fn a_question_for_a_site_keeps_the_line_with_its_address() {
        let text = "### Bikes\nSheldon Brown (https://www.sheldonbrown.com/)\neverything about bicycle repair\nPark Tool (https://www.parktool.com/)\nhow to true a wheel";
        let (kept, _) = choose(
            "that website for bicycle repair",
            vec![hit("b.html", 1.0, text)],
        );
        assert_eq!(
            kept[0].text,
            "Sheldon Brown (https://www.sheldonbrown.com/)\neverything about bicycle repair\n"
        );
        // The same words without asking for a site keep only their own line.
        let (kept, _) = choose("bicycle repair", vec![hit("b.html", 1.0, text)]);
        assert_eq!(kept[0].text, "everything about bicycle repair\n");
    }

    #[test]
    fn the_old_policy_takes_the_first_hits_whole() {
        let mut analyse = words;
        let hits = vec![
            hit("a.md", 10.0, "one\ntwo"),
            hit("b.md", 1.0, "three"),
            hit("c.md", 0.5, "four"),
        ];
        let (kept, choices) = select("x", hits, &Policy::Whole { max: 2 }, &mut analyse);
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].text, "one\ntwo");
        assert!(!choices[2].kept);
    }
}
