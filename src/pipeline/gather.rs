//! What pai knows beyond the request: the user's profile, the moment (the context cell),
//! remembered facts and excerpts from the index. A broken index or database costs its
//! section, never the answer: its error comes back as a note for the front end to show.
use crate::config::Config;
use crate::context::select::{select, Choice, Policy, Rules};
use crate::context::{self, Excerpt, Fact, Request};
use crate::index::{Encoder, SearchOptions};
use crate::paths::Paths;

/// Fills in the profile, the moment, remembered facts and (when `excerpts`) excerpts for the
/// request's question, only from paths that match one of the `scope` globs when there are any
/// (a role's scope). Returns notes worth telling the user (one sentence each). `encoder` is the
/// caller's hold on the sentence encoder of semantic sources.
pub fn gather(
    paths: &Paths,
    config: &Config,
    request: &mut Request,
    excerpts: bool,
    scope: &[String],
    encoder: &Encoder,
) -> Vec<String> {
    request.profile = context::read_profile(&paths.profile_file());
    if config.context.cell {
        request.cell = Some(context::cell::describe());
    }
    let (memories, mut notes) = memories(paths, &request.question, config);
    request.memories = memories;
    if excerpts {
        let found = retrieve_by(
            paths,
            &request.question,
            config,
            &policy(config),
            scope,
            encoder,
        );
        request.excerpts = found.excerpts;
        request.choices = found.choices;
        notes.extend(found.notes);
    }
    notes
}

/// The remembered facts that share words with the question (function words aside), most
/// relevant first (`Store::relevant_memories`), at most `[context] memories` of them. Without a database there are none,
/// and none is created.
pub fn memories(paths: &Paths, question: &str, config: &Config) -> (Vec<Fact>, Vec<String>) {
    let path = paths.database_file();
    if config.context.memories == 0 || !path.exists() {
        return (Vec::new(), Vec::new());
    }
    let words = content_words(question);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let found = crate::store::Store::open(&path)
        .and_then(|store| store.relevant_memories(&words, config.context.memories));
    match found {
        Ok(found) => {
            let facts = found
                .into_iter()
                .map(|m| Fact {
                    id: m.id,
                    text: m.text,
                })
                .collect();
            (facts, Vec::new())
        }
        Err(e) => (Vec::new(), vec![format!("no memories: {}", e.message)]),
    }
}

/// The question's words that carry meaning: lower-cased, each once, stop words left out.
pub fn content_words(question: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in question.split(|c: char| !c.is_alphanumeric()) {
        let word = word.to_lowercase();
        if !word.is_empty() && !crate::index::store::is_stop_word(&word) && !words.contains(&word) {
            words.push(word);
        }
    }
    words
}

/// The excerpts chosen from the index for the question, from paths within `scope` (globs;
/// empty: anywhere); none when there is no index yet.
pub fn retrieve(
    paths: &Paths,
    question: &str,
    config: &Config,
    scope: &[String],
    encoder: &Encoder,
) -> (Vec<Excerpt>, Vec<String>) {
    let found = retrieve_by(paths, question, config, &policy(config), scope, encoder);
    (found.excerpts, found.notes)
}

/// How pai chooses excerpts: the adaptive rules, with `[context] chunks` as the most.
pub fn policy(config: &Config) -> Policy {
    Policy::Adaptive(Rules {
        max: config.context.chunks,
        ..Rules::default()
    })
}

/// What the index gave for a question.
#[derive(Debug, Default)]
pub struct Retrieved {
    /// What goes in front of the model, best first.
    pub excerpts: Vec<Excerpt>,
    /// Every hit, with why it went in or stayed out.
    pub choices: Vec<Choice>,
    pub notes: Vec<String>,
}

/// [`retrieve`] with the policy given: the evaluation compares policies.
pub fn retrieve_by(
    paths: &Paths,
    question: &str,
    config: &Config,
    policy: &Policy,
    scope: &[String],
    encoder: &Encoder,
) -> Retrieved {
    let mut found = Retrieved::default();
    if config.context.chunks == 0 {
        return found;
    }
    let options = SearchOptions {
        limit: config.context.chunks,
        path_glob: None,
        scope: scope.to_vec(),
        lang: None,
        embed_model: config.index.embed_model.clone(),
        encoder: encoder.clone(),
    };
    let hits = match crate::index::search(paths, question, &options, &mut found.notes) {
        Ok(Some(hits)) => hits,
        Ok(None) => return found,
        Err(e) => {
            found
                .notes
                .push(format!("no excerpts from the index: {}", e.message));
            return found;
        }
    };
    let private = private_sources(paths);
    let hits = hits
        .into_iter()
        .map(|h| Excerpt {
            private: private.iter().any(|p| h.path.starts_with(p)),
            path: h.path,
            start_line: h.start_line,
            end_line: h.end_line,
            title: h.title,
            score: h.score,
            text: h.text,
        })
        .collect();
    let mut analyse = crate::index::analyser();
    (found.excerpts, found.choices) = select(question, hits, policy, &mut analyse);
    found
}

/// The sources added with `--private`. An unreadable manifest makes every excerpt private:
/// when in doubt, nothing leaves.
fn private_sources(paths: &Paths) -> Vec<std::path::PathBuf> {
    match crate::index::store::Manifest::load(&paths.index_dir()) {
        Ok(manifest) => manifest.private,
        Err(_) => vec![std::path::PathBuf::from("/")],
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_words_that_carry_meaning_are_looked_up() {
        assert_eq!(
            super::content_words("What is MY locker code at the climbing gym? my code!"),
            ["locker", "code", "climbing", "gym"]
        );
        assert!(super::content_words("what is it?").is_empty());
    }
}
