//! What pai knows beyond the request: the user's profile, the moment (the context cell) and
//! excerpts from the index. A broken index costs the excerpts, never the answer: its error
//! comes back as a note for the front end to show.
use crate::config::Config;
use crate::context::{self, Excerpt, Request};
use crate::index::SearchOptions;
use crate::paths::Paths;

/// Fills in the profile, the moment and (when `excerpts`) excerpts for the request's question,
/// only from paths that match one of the `scope` globs when there are any (a role's scope).
/// Returns notes worth telling the user (one sentence each).
pub fn gather(
    paths: &Paths,
    config: &Config,
    request: &mut Request,
    excerpts: bool,
    scope: &[String],
) -> Vec<String> {
    request.profile = context::read_profile(&paths.profile_file());
    if config.context.cell {
        request.cell = Some(context::cell::describe());
    }
    if !excerpts {
        return Vec::new();
    }
    let (excerpts, notes) = retrieve(paths, &request.question, config, scope);
    request.excerpts = excerpts;
    notes
}

/// The best excerpts from the index for the question, from paths within `scope` (globs; empty:
/// anywhere); none when there is no index yet.
pub fn retrieve(
    paths: &Paths,
    question: &str,
    config: &Config,
    scope: &[String],
) -> (Vec<Excerpt>, Vec<String>) {
    if config.context.chunks == 0 {
        return (Vec::new(), Vec::new());
    }
    let options = SearchOptions {
        limit: config.context.chunks,
        path_glob: None,
        scope: scope.to_vec(),
        lang: None,
        embed_model: config.index.embed_model.clone(),
    };
    let mut notes = Vec::new();
    match crate::index::search(paths, question, &options, &mut notes) {
        Ok(Some(hits)) => {
            let private = private_sources(paths);
            let excerpts = hits
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
            (excerpts, notes)
        }
        Ok(None) => (Vec::new(), notes),
        Err(e) => {
            notes.push(format!("no excerpts from the index: {}", e.message));
            (Vec::new(), notes)
        }
    }
}

/// The sources added with `--private`. An unreadable manifest makes every excerpt private:
/// when in doubt, nothing leaves.
fn private_sources(paths: &Paths) -> Vec<std::path::PathBuf> {
    match crate::index::store::Manifest::load(&paths.index_dir()) {
        Ok(manifest) => manifest.private,
        Err(_) => vec![std::path::PathBuf::from("/")],
    }
}
