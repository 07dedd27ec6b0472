//! `pai index …`: the folders pai searches. Every command that writes holds the index's lock
//! (a second writer waits for it, up to `--wait` seconds, then says the index is busy); `status`
//! only reads; `watch` runs `update` whenever the sources change.
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Ctx;
use crate::cancel::CancelToken;
use crate::cli::error::CliError;
use crate::config::Config;
use crate::error::Error;
use crate::index::store::{self, Manifest};
use crate::index::update::{self, Pass, Progress, Summary, WriterLock};
use crate::index::watch::{Batch, Watch};
use crate::index::{canonical_source, Encoder, LOCK_WAIT};
use crate::render::sanitize_line;

/// Manage the full-text index over your notes and code.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Add(AddArgs),
    Update(UpdateArgs),
    Status(StatusArgs),
    Rm(RmArgs),
    Watch(WatchArgs),
    /// Drop the index and build it again from the sources.
    Rebuild,
}

/// Register folders (or files) as sources and index them. .gitignore, .ignore and hidden
/// files are honoured; binary, oversized and special files are skipped and counted.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// Folders or files to index.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Also embed each chunk with the `[index] embed_model` sentence encoder, so that search
    /// finds it by meaning as well as by words ("type into every pane at once" finds tmux's
    /// synchronize-panes). Indexing gets far slower (about 25 chunks, 10 KB, a second on 2
    /// cores): meant for notes, not for large trees of code. Adding a source again without it
    /// turns it off.
    #[arg(long)]
    pub semantic: bool,
    /// Mark the sources private: their excerpts are used by the local model only, and a
    /// request that carries one never goes to a remote tier. Adding a source again without
    /// it makes it shareable.
    #[arg(long)]
    pub private: bool,
}

/// Re-index what changed in the sources: new, modified, deleted and renamed files.
#[derive(Debug, clap::Args)]
pub struct UpdateArgs {
    /// Seconds to wait for another pai that is updating the index before giving up.
    #[arg(long, value_name = "SECS", default_value_t = LOCK_WAIT.as_secs())]
    pub wait: u64,
}

/// Show the sources, what is indexed, and what was skipped and why.
#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// Print a JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Stop indexing a source and drop its files from the index.
#[derive(Debug, clap::Args)]
pub struct RmArgs {
    /// A source, as `pai index status` lists it.
    pub path: PathBuf,
}

/// Keep the index fresh while this runs: watch every source for changes and, once they have
/// been quiet for a second, run the same incremental update as `pai index update`. Changes
/// in hidden or ignored paths wake nothing. One line per update goes to stderr. Sources
/// added or removed with `pai index add` or `rm` while it runs are followed from then on,
/// without a restart. If another pai holds the index's lock, the update waits for it and
/// retries. Ctrl-C stops watching once the update in progress is committed and exits with
/// status 0; a second Ctrl-C stops at once with status 130.
#[derive(Debug, clap::Args)]
pub struct WatchArgs {}

pub fn run(ctx: &Ctx, command: &Command) -> Result<(), CliError> {
    match command {
        Command::Add(args) => add(ctx, args),
        Command::Update(args) => with_lock(ctx, Duration::from_secs(args.wait), |_| Ok(())),
        Command::Status(args) => status(ctx, args.json),
        Command::Rm(args) => remove(ctx, args),
        Command::Watch(_) => watch(ctx),
        Command::Rebuild => rebuild(ctx),
    }
}

/// Takes the lock, lets `change` edit the manifest, then updates the index.
fn with_lock(
    ctx: &Ctx,
    wait: Duration,
    change: impl FnOnce(&mut Manifest) -> Result<(), CliError>,
) -> Result<(), CliError> {
    let config = Config::load(&ctx.paths.config_file())?;
    let dir = ctx.paths.index_dir();
    let _lock = WriterLock::acquire(&dir, wait, &|pid| {
        eprintln!("pai: waiting for another pai (pid {pid}) that is updating the index…")
    })?;
    let mut manifest = Manifest::load(&dir)?;
    change(&mut manifest)?;
    if manifest.sources.is_empty() && !store::has_index(&dir) {
        return Err(
            CliError::user("no folders are indexed yet").hint("add one with `pai index add PATH`")
        );
    }
    // Loaded before indexing: a missing or wrong encoder is said before any work is done.
    let encoder = Encoder::default();
    let semantic = encoder
        .load(&manifest, config.index.embed_model.as_deref())?
        .is_some();
    // Saved before indexing: a source whose indexing is interrupted is finished by `update`.
    manifest.save(&dir)?;
    // Ctrl-C stops after the file in hand and keeps what is done; a second one exits at once.
    let stop = crate::cancel::interrupt_token();
    let max_file_size = config.index.max_file_size;
    let summary = update::run(
        &dir,
        &mut manifest,
        max_file_size,
        &stop,
        &mut Bar::default(),
    )?;
    report(&summary);
    if semantic && !summary.interrupted {
        embed(&dir, &manifest, &config, &encoder, &stop)?;
    }
    if summary.interrupted || stop.is_cancelled() {
        eprintln!("pai: stopped; what was indexed is kept, and `pai index update` carries on");
        return Err(CliError::interrupted());
    }
    Ok(())
}

/// The vectors pass, after the words are committed and searchable: one line before it (the
/// encoder reads a few KB a second), one after.
fn embed(
    dir: &Path,
    manifest: &Manifest,
    config: &Config,
    encoder: &Encoder,
    stop: &CancelToken,
) -> Result<(), CliError> {
    let Some(embedder) = encoder.load(manifest, config.index.embed_model.as_deref())? else {
        return Ok(());
    };
    let files = update::unembedded(dir, manifest)?;
    if files.is_empty() {
        return Ok(());
    }
    eprintln!(
        "pai: searchable by words now; embedding {} files for search by meaning (Ctrl-C stops, `pai index update` carries on)",
        files.len()
    );
    let max_file_size = config.index.max_file_size;
    let done = update::embed(
        dir,
        &files,
        max_file_size,
        &embedder,
        stop,
        &mut Bar::default(),
    )?;
    eprintln!(
        "pai: embedded {} files ({:.1} KB in {:.1} s){}",
        done.files,
        done.bytes as f64 / 1e3,
        done.elapsed.as_secs_f64(),
        if done.left > 0 {
            format!("; {} left for the next update", done.left)
        } else {
            String::new()
        }
    );
    Ok(())
}

fn add(ctx: &Ctx, args: &AddArgs) -> Result<(), CliError> {
    let sources = args
        .paths
        .iter()
        .map(|p| canonical_source(p))
        .collect::<Result<Vec<_>, _>>()?;
    with_lock(ctx, LOCK_WAIT, |manifest| {
        for s in sources {
            if !manifest.sources.contains(&s) {
                eprintln!("pai: adding {}", sanitize_line(&s.display().to_string()));
                manifest.sources.push(s.clone());
            }
            manifest.semantic.retain(|x| *x != s);
            if args.semantic {
                manifest.semantic.push(s.clone());
            }
            manifest.private.retain(|x| *x != s);
            if args.private {
                manifest.private.push(s);
            }
        }
        Ok(())
    })
}

fn remove(ctx: &Ctx, args: &RmArgs) -> Result<(), CliError> {
    let wanted = std::fs::canonicalize(&args.path).unwrap_or_else(|_| args.path.clone());
    with_lock(ctx, LOCK_WAIT, |manifest| {
        let before = manifest.sources.len();
        manifest.sources.retain(|s| *s != wanted && *s != args.path);
        let sources = manifest.sources.clone();
        manifest.semantic.retain(|s| sources.contains(s));
        manifest.private.retain(|s| sources.contains(s));
        if manifest.sources.len() == before {
            return Err(CliError::user(format!(
                "{} is not an indexed source",
                sanitize_line(&args.path.display().to_string())
            ))
            .hint("`pai index status` lists the sources"));
        }
        Ok(())
    })
}

fn rebuild(ctx: &Ctx) -> Result<(), CliError> {
    let dir = ctx.paths.index_dir();
    with_lock(ctx, LOCK_WAIT, |_| {
        // Everything but the lock and the manifest is tantivy's: start it afresh.
        Ok(store::clear(&dir)?)
    })
}

/// One line on stderr: what changed, how fast, and what was skipped.
fn report(s: &Summary) {
    let secs = s.elapsed.as_secs_f64();
    let mb = s.bytes as f64 / 1e6;
    eprintln!(
        "pai: indexed {} new, {} changed, {} deleted, {} unchanged files ({} chunks, {:.1} MB in {:.2} s, {:.1} MB/s)",
        s.new,
        s.changed,
        s.deleted,
        s.unchanged + s.touched,
        s.chunks,
        mb,
        secs,
        mb / secs.max(1e-3)
    );
    if s.rebuilt {
        eprintln!("pai: the index was written by an older pai, so it was built again");
    }
    if s.skips.total() > 0 {
        eprintln!(
            "pai: skipped {} files ({})",
            s.skips.total(),
            reasons(&s.skips.counts)
        );
    }
    for what in &s.skips.unreadable {
        eprintln!("pai: warning: {}", sanitize_line(what));
    }
}

fn watch(ctx: &Ctx) -> Result<(), CliError> {
    let config = Config::load(&ctx.paths.config_file())?;
    let dir = ctx.paths.index_dir();
    let sources = Manifest::load(&dir)?.sources;
    if sources.is_empty() {
        return Err(
            CliError::user("no folders are indexed yet").hint("add one with `pai index add PATH`")
        );
    }
    let cancel = crate::cancel::interrupt_token();
    // Watch first, then catch up: a change made during the first update is not lost.
    let mut watcher = Watch::new(&dir)?;
    for e in watcher.set_sources(&sources) {
        eprintln!("pai: warning: {}", e.message);
    }
    eprintln!(
        "pai: watching {} source{} (Ctrl-C to stop)",
        watcher.sources(),
        if watcher.sources() == 1 { "" } else { "s" }
    );
    let mut watching = Watching {
        dir,
        config,
        sources,
        encoder: Encoder::default(),
        pending: true,
        waiting_for: None,
    };
    while !cancel.is_cancelled() {
        // A short wait, so that Ctrl-C and a busy lock are looked at often.
        let batch = watcher.next(Duration::from_millis(250));
        watching.follow_sources(&mut watcher, &batch)?;
        watching.pending |= batch.wants_update();
        if watching.pending {
            watching.update()?;
        }
    }
    eprintln!("pai: stopped watching");
    Ok(())
}

/// What `watch` keeps from one turn to the next.
struct Watching {
    dir: PathBuf,
    config: Config,
    sources: Vec<PathBuf>,
    /// Loaded by the first update that needs it, then kept.
    encoder: Encoder,
    /// Changes seen that no update has taken in yet.
    pending: bool,
    /// The other writer we said we wait for, so that it is said once.
    waiting_for: Option<String>,
}

impl Watching {
    /// Every update rewrites the manifest, so only a change of sources counts (else the watch
    /// would wake itself up forever); `add` has indexed a new source already.
    fn follow_sources(&mut self, watcher: &mut Watch, batch: &Batch) -> Result<(), CliError> {
        if !batch.manifest {
            return Ok(());
        }
        let now = Manifest::load(&self.dir)?.sources;
        if now != self.sources {
            for e in watcher.set_sources(&now) {
                eprintln!("pai: warning: {}", e.message);
            }
            eprintln!("pai: now watching {} sources", watcher.sources());
            self.sources = now;
        }
        Ok(())
    }

    /// Updates the index, unless another writer holds the lock: then the batch is kept for
    /// the next turn. A failed update is reported and the watch goes on: the next change
    /// retries.
    fn update(&mut self) -> Result<(), CliError> {
        let Some(lock) = WriterLock::try_acquire(&self.dir)? else {
            let pid = update::holder(&self.dir);
            if self.waiting_for.as_ref() != Some(&pid) {
                eprintln!("pai: waiting for another pai (pid {pid}) that is updating the index…");
                self.waiting_for = Some(pid);
            }
            return Ok(());
        };
        self.waiting_for = None;
        self.pending = false;
        let mut manifest = Manifest::load(&self.dir)?;
        match self.update_with(&mut manifest) {
            Ok(s) => eprintln!(
                "pai: {} files changed ({} new, {} changed, {} deleted; {} chunks) in {:.2} s",
                s.new + s.changed + s.deleted,
                s.new,
                s.changed,
                s.deleted,
                s.chunks,
                s.elapsed.as_secs_f64()
            ),
            Err(e) => eprintln!("pai: update failed: {}", e.message),
        }
        drop(lock);
        Ok(())
    }

    /// The words, then the vectors. Ctrl-C does not stop an update: the watch ends once the
    /// update in progress is committed.
    fn update_with(&self, manifest: &mut Manifest) -> Result<Summary, Error> {
        let never = CancelToken::new();
        let max_file_size = self.config.index.max_file_size;
        let embedder = self
            .encoder
            .load(manifest, self.config.index.embed_model.as_deref())?;
        let mut bar = Bar::default();
        let s = update::run(&self.dir, manifest, max_file_size, &never, &mut bar)?;
        if let Some(e) = embedder {
            let files = update::unembedded(&self.dir, manifest)?;
            update::embed(&self.dir, &files, max_file_size, &e, &never, &mut bar)?;
        }
        Ok(s)
    }
}

/// An update's progress as a bar on stderr, drawn only on a terminal.
struct Bar {
    bar: ProgressBar,
    pass: Pass,
}

impl Default for Bar {
    fn default() -> Self {
        Self {
            bar: ProgressBar::hidden(),
            pass: Pass::Words,
        }
    }
}

impl Progress for Bar {
    fn start(&mut self, pass: Pass, bytes: u64) {
        self.pass = pass;
        self.bar = if std::io::stderr().is_terminal() {
            let what = match pass {
                Pass::Words => "",
                Pass::Vectors => "embedding ",
            };
            let bar = ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template(&format!(
                "{what}{{bar:30}} {{bytes}}/{{total_bytes}} {{binary_bytes_per_sec}} {{msg}} {{eta}}"
            )) {
                bar.set_style(style);
            }
            bar
        } else {
            ProgressBar::hidden()
        };
    }

    fn advance(&mut self, files: usize, bytes: u64) {
        self.bar.inc(bytes);
        // The words pass says how fast it goes in files too, every 64 of them.
        if self.pass == Pass::Words && (files - 1).is_multiple_of(64) {
            let secs = self.bar.elapsed().as_secs_f64().max(1e-3);
            self.bar
                .set_message(format!("{files} files, {:.0} files/s", files as f64 / secs));
        }
    }

    fn finish(&mut self) {
        self.bar.finish_and_clear();
    }
}

fn reasons(counts: &std::collections::BTreeMap<String, u64>) -> String {
    counts
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn status(ctx: &Ctx, json: bool) -> Result<(), CliError> {
    let dir = ctx.paths.index_dir();
    let manifest = Manifest::load(&dir)?;
    let table = match store::open(&dir)? {
        Some((index, _)) => store::file_table(&index)?,
        None => Default::default(),
    };
    let files = table.len() as u64;
    let chunks: u64 = table.values().map(|r| r.chunks).sum();
    let bytes: u64 = table.values().map(|r| r.size).sum();
    let mut out = std::io::stdout().lock();
    if json {
        let value = serde_json::json!({
            "index_dir": dir,
            "sources": manifest.sources,
            "semantic": manifest.semantic,
            "private": manifest.private,
            "files": files,
            "chunks": chunks,
            "bytes": bytes,
            "last_update": manifest.last_update,
            "skipped": manifest.skipped,
        });
        writeln!(out, "{value}")?;
        return Ok(());
    }
    if manifest.sources.is_empty() {
        writeln!(out, "sources:     none (add one with `pai index add PATH`)")?;
    }
    for (i, s) in manifest.sources.iter().enumerate() {
        let label = if i == 0 { "sources:" } else { "" };
        let semantic = if manifest.semantic.contains(s) {
            " (semantic)"
        } else {
            ""
        };
        let private = if manifest.private.contains(s) {
            " (private)"
        } else {
            ""
        };
        writeln!(
            out,
            "{label:<12} {}{semantic}{private}",
            sanitize_line(&s.display().to_string())
        )?;
    }
    writeln!(out, "files:       {files}")?;
    writeln!(out, "chunks:      {chunks}")?;
    writeln!(out, "bytes:       {bytes} ({:.1} MB)", bytes as f64 / 1e6)?;
    writeln!(out, "last update: {}", ago(manifest.last_update))?;
    let skipped: u64 = manifest.skipped.values().sum();
    if skipped > 0 {
        writeln!(
            out,
            "skipped:     {skipped} ({})",
            reasons(&manifest.skipped)
        )?;
    } else {
        writeln!(out, "skipped:     0")?;
    }
    Ok(())
}

fn ago(when: Option<u64>) -> String {
    let Some(when) = when else {
        return "never".into();
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(when, |d| d.as_secs());
    let secs = now.saturating_sub(when);
    match secs {
        0..=89 => format!("{secs} s ago"),
        90..=5399 => format!("{} min ago", secs / 60),
        5400..=172_799 => format!("{} h ago", secs / 3600),
        _ => format!("{} days ago", secs / 86400),
    }
}
