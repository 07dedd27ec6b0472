//! `pai search QUERY`: ranked chunks from the index, as `path:start-end  title` and a snippet
//! with the matching words in bold on a terminal, or a JSON array with `--json`. It opens only
//! the index. File text is sanitized before it is printed.
use std::io::{IsTerminal, Write};

use super::Ctx;
use crate::cli::error::CliError;
use crate::index::search::{Marked, Weights};
use crate::index::{search_marked, SearchOptions};
use crate::render::{sanitize, sanitize_line};

/// Search the indexed folders. Words are stemmed and stop words ignored; "quoted words" must
/// appear as a phrase, and word* matches a prefix.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to look for, in plain words.
    #[arg(required = true)]
    pub query: Vec<String>,
    /// The most results to show.
    #[arg(short = 'n', long, default_value_t = 10)]
    pub limit: usize,
    /// Print a JSON array of hits instead of text.
    #[arg(long)]
    pub json: bool,
    /// Only files whose path matches this glob (for example '*.md' or 'notes/**').
    #[arg(long, value_name = "GLOB")]
    pub path: Option<String>,
    /// Only chunks in this language (for example rust, python, markdown; rs and md work too).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
}

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    let query = args.query.join(" ");
    let config = crate::config::Config::load(&ctx.paths.config_file())?;
    let options = SearchOptions {
        limit: args.limit,
        path_glob: args.path.clone(),
        scope: Vec::new(),
        lang: args.lang.clone(),
        embed_model: config.index.embed_model,
        encoder: crate::index::Encoder::default(),
    };
    let mut notes = Vec::new();
    let found = search_marked(
        &ctx.paths,
        &query,
        &options,
        &Weights::default(),
        &mut notes,
    );
    for note in &notes {
        eprintln!("pai: {}", crate::render::sanitize_line(note));
    }
    let Some(hits) = found? else {
        return Err(
            CliError::user("there is no index yet").hint("add a folder with `pai index add PATH`")
        );
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        let hits: Vec<_> = hits.into_iter().map(|m| m.hit).collect();
        let json = serde_json::to_string(&hits).map_err(|e| CliError::internal(e.to_string()))?;
        writeln!(out, "{}", crate::render::escape_json(&json))?;
        return Ok(());
    }
    if hits.is_empty() {
        eprintln!("pai: nothing matches");
        return Ok(());
    }
    let tty = std::io::stdout().is_terminal();
    for m in &hits {
        print_hit(&mut out, m, tty)?;
    }
    Ok(())
}

fn print_hit(out: &mut impl Write, m: &Marked, tty: bool) -> std::io::Result<()> {
    let h = &m.hit;
    let place = format!("{}:{}-{}", h.path.display(), h.start_line, h.end_line);
    let place = sanitize_line(&place);
    let title = sanitize_line(&h.title);
    if tty {
        writeln!(out, "\x1b[35m{place}\x1b[0m  \x1b[1m{title}\x1b[0m")?;
    } else {
        writeln!(out, "{place}  {title}")?;
    }
    // The snippet is already free of control characters; sanitize again so that this
    // printer stays safe whatever the index returns.
    let snippet = &h.snippet;
    let mut line = String::from("    ");
    let mut at = 0;
    if tty {
        for r in &m.marks {
            if r.start < at || r.end > snippet.len() {
                continue;
            }
            line.push_str(&sanitize(&snippet[at..r.start]));
            line.push_str("\x1b[1m");
            line.push_str(&sanitize(&snippet[r.clone()]));
            line.push_str("\x1b[0m");
            at = r.end;
        }
    }
    line.push_str(&sanitize(&snippet[at..]));
    writeln!(out, "{line}\n")
}
