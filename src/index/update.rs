//! Bringing the index in line with the sources: one writer at a time (a lock file, waited on
//! for a bounded time), a walk, a comparison with the committed file records (mtime and size
//! first, then the content hash), and delete-by-term plus add for what changed. The writer
//! commits every [`COMMIT_BYTES`] read or [`COMMIT_EVERY`], so that a kill -9 keeps everything
//! up to the last commit and the next update resumes from there. How far a pass has come is
//! told to a [`Progress`], for the front end to show.
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tantivy::schema::TantivyDocument;
use tantivy::{IndexWriter, Term};

use super::store::{self, internal, Fields, FileRecord, Manifest};
use super::walk::{self, Candidate, Content, Skips};
use super::{chunk, code};
use crate::cancel::CancelToken;
use crate::engine::embed::Embedder;
use crate::error::Error;

/// Commit after this many bytes read, so a long first index survives an interruption.
const COMMIT_BYTES: u64 = 64 << 20;
/// And at least this often: embedding a semantic source reads a few KB a second.
const COMMIT_EVERY: Duration = Duration::from_secs(30);
/// tantivy's indexing heap per thread; the design asks for at least 15 MB.
const HEAP_PER_THREAD: usize = 64 << 20;

/// The two passes of an update: every new or changed file by words ([`run`]), then the
/// vectors of semantic sources' files ([`embed`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    Words,
    Vectors,
}

/// What a pass tells as it goes: the index draws nothing, the front end shows what it likes.
pub trait Progress {
    /// A pass begins over files of `bytes` bytes in all.
    fn start(&mut self, pass: Pass, bytes: u64);
    /// One more file is done: `files` of them so far in this pass, this one `bytes` long.
    fn advance(&mut self, files: usize, bytes: u64);
    /// The pass is over, done or stopped.
    fn finish(&mut self);
}

/// Holds the index's lock file for as long as it lives.
pub struct WriterLock {
    _file: std::fs::File,
}

impl WriterLock {
    /// Waits up to `wait` for another writer to finish, then says the index is busy. The
    /// holder's pid is written into the lock file so that a waiter can say whom it waits for:
    /// `waiting` is called once with it when the wait begins.
    pub fn acquire(dir: &Path, wait: Duration, waiting: &dyn Fn(String)) -> Result<Self, Error> {
        let start = Instant::now();
        let mut told = false;
        loop {
            if let Some(lock) = Self::try_acquire(dir)? {
                return Ok(lock);
            }
            if start.elapsed() >= wait {
                return Err(Error::user(format!(
                    "the index is busy: another pai (pid {}) is updating it",
                    holder(dir)
                ))
                .hint("wait for it to finish, or pass a longer --wait"));
            }
            if !told {
                waiting(holder(dir));
                told = true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Takes the lock if no other writer holds it; never waits.
    pub fn try_acquire(dir: &Path) -> Result<Option<Self>, Error> {
        std::fs::create_dir_all(dir)?;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(dir.join(store::LOCK))?;
        match file.try_lock() {
            Ok(()) => {
                file.set_len(0)?;
                write!(file, "{}", std::process::id())?;
                Ok(Some(Self { _file: file }))
            }
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
        }
    }
}

/// The pid written into the lock file of the index at `dir` by its holder.
pub fn holder(dir: &Path) -> String {
    std::fs::read_to_string(dir.join(store::LOCK))
        .ok()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "unknown".into())
}

#[derive(Debug, Default)]
pub struct Summary {
    pub new: u64,
    pub changed: u64,
    pub deleted: u64,
    pub unchanged: u64,
    /// Modified time changed but the content hash did not: only the record was rewritten.
    pub touched: u64,
    pub chunks: u64,
    pub bytes: u64,
    pub skips: Skips,
    pub elapsed: Duration,
    /// The index had been written by an older pai and was built again from the sources.
    pub rebuilt: bool,
    /// Stopped by the cancel token; what was done is committed.
    pub interrupted: bool,
}

/// Updates the index under `dir` to match `manifest.sources` by words: every new or changed
/// file is indexed without vectors and committed, so that search sees the update at once.
/// Files of semantic sources keep the vectors they have while unchanged; [`embed`] gives
/// the others theirs. `stop` ends the pass after the file in hand, keeping what is done.
/// The caller holds the lock.
pub fn run(
    dir: &Path,
    manifest: &mut Manifest,
    max_file_size: u64,
    stop: &CancelToken,
    progress: &mut dyn Progress,
) -> Result<Summary, Error> {
    let start = Instant::now();
    let (index, fields, rebuilt) = store::open_or_create(dir)?;
    let mut writer = writer(&index)?;
    let mut summary = Summary {
        rebuilt,
        ..Summary::default()
    };
    let candidates = walk::walk(&manifest.sources, max_file_size, &mut summary.skips);
    let known = store::file_table(&index)?;
    let pass = WordsPass {
        fields: &fields,
        known: &known,
        manifest,
        max_file_size,
        stop,
    };
    pass.run(&mut writer, &candidates, &mut summary, progress)?;
    manifest.skipped = summary.skips.counts.clone();
    manifest.last_update = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs());
    manifest.save(dir)?;
    summary.elapsed = start.elapsed();
    Ok(summary)
}

/// What [`embed`] did.
#[derive(Debug, Default)]
pub struct Embedded {
    /// Files whose chunks got their vectors.
    pub files: u64,
    pub bytes: u64,
    /// Files of semantic sources still searched by words only: the next update embeds them.
    pub left: u64,
    pub interrupted: bool,
    pub elapsed: Duration,
}

/// The files of semantic sources whose chunks have no vectors yet (after [`run`]), with
/// their source.
pub fn unembedded(dir: &Path, manifest: &Manifest) -> Result<Vec<(PathBuf, PathBuf)>, Error> {
    let Some((index, _)) = store::open(dir)? else {
        return Ok(Vec::new());
    };
    let mut out: Vec<(PathBuf, PathBuf)> = store::file_table(&index)?
        .into_iter()
        .filter(|(_, r)| !r.embedded)
        .filter_map(|(p, _)| {
            let p = PathBuf::from(p);
            let source = manifest.semantic.iter().find(|s| p.starts_with(s))?;
            Some((p, source.clone()))
        })
        .collect();
    out.sort();
    Ok(out)
}

/// Gives the chunks of `files` (from [`unembedded`]) their vectors, file by file: each file
/// is read and indexed again with them, so a file changed since the words pass is indexed as
/// it is now. Commits every [`COMMIT_EVERY`]; `stop` ends it after the file in hand, and
/// everything committed stays searchable, by meaning where it has vectors.
pub fn embed(
    dir: &Path,
    files: &[(PathBuf, PathBuf)],
    max_file_size: u64,
    embedder: &Embedder,
    stop: &CancelToken,
    progress: &mut dyn Progress,
) -> Result<Embedded, Error> {
    let start = Instant::now();
    let (index, fields, _) = store::open_or_create(dir)?;
    let mut writer = writer(&index)?;
    let known = store::file_table(&index)?;
    let mut done = Embedded::default();
    progress.start(
        Pass::Vectors,
        files
            .iter()
            .filter_map(|(p, _)| known.get(&*p.to_string_lossy()))
            .map(|r| r.size)
            .sum(),
    );
    let mut last_commit = Instant::now();
    for (n, (path, source)) in files.iter().enumerate() {
        if stop.is_cancelled() {
            done.interrupted = true;
            done.left = (files.len() - n) as u64;
            break;
        }
        let Some(old) = known.get(&*path.to_string_lossy()).copied() else {
            continue;
        };
        let Some(c) = walk::recheck(path, source) else {
            continue;
        };
        let job = Job {
            c: &c,
            old: Some(old),
            embed: Some(embedder),
            keep_vectors: true,
            max_file_size,
        };
        // Counted as embedded, not as changed: the words pass has counted it already.
        index_one(&mut writer, &fields, &job, &mut Summary::default())?;
        done.files += 1;
        done.bytes += c.size;
        progress.advance(done.files as usize, c.size);
        if last_commit.elapsed() >= COMMIT_EVERY {
            writer.commit().map_err(|e| internal(&e))?;
            last_commit = Instant::now();
        }
    }
    progress.finish();
    if done.files > 0 {
        writer.commit().map_err(|e| internal(&e))?;
    }
    done.elapsed = start.elapsed();
    Ok(done)
}

fn writer(index: &tantivy::Index) -> Result<IndexWriter, Error> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    index
        .writer_with_num_threads(threads, threads * HEAP_PER_THREAD)
        .map_err(|e| internal(&e))
}

/// What the words pass reads: the committed file records, the sources, the limits.
struct WordsPass<'a> {
    fields: &'a Fields,
    known: &'a std::collections::HashMap<String, FileRecord>,
    manifest: &'a Manifest,
    max_file_size: u64,
    stop: &'a CancelToken,
}

impl WordsPass<'_> {
    /// New and changed files indexed by words; deleted ones dropped; committed at the end.
    fn run(
        &self,
        writer: &mut IndexWriter,
        candidates: &[Candidate],
        summary: &mut Summary,
        progress: &mut dyn Progress,
    ) -> Result<(), Error> {
        let todo = self.sort_out(writer, candidates, summary);
        let mut dirty = summary.deleted > 0;
        progress.start(Pass::Words, todo.iter().map(|(c, _, _)| c.size).sum());
        let mut since_commit = 0;
        let mut last_commit = Instant::now();
        for (n, (c, old, semantic)) in todo.iter().enumerate() {
            if self.stop.is_cancelled() {
                summary.interrupted = true;
                break;
            }
            let job = Job {
                c,
                old: *old,
                embed: None,
                keep_vectors: *semantic,
                max_file_size: self.max_file_size,
            };
            dirty |= index_one(writer, self.fields, &job, summary)?;
            since_commit += c.size;
            progress.advance(n + 1, c.size);
            if since_commit >= COMMIT_BYTES || last_commit.elapsed() >= COMMIT_EVERY {
                writer.commit().map_err(|e| internal(&e))?;
                since_commit = 0;
                last_commit = Instant::now();
            }
        }
        progress.finish();
        if dirty {
            writer.commit().map_err(|e| internal(&e))?;
        }
        Ok(())
    }

    /// Counts the unchanged files and drops the deleted ones; returns the rest, each with its
    /// record and whether its source is semantic.
    fn sort_out<'c>(
        &self,
        writer: &mut IndexWriter,
        candidates: &'c [Candidate],
        summary: &mut Summary,
    ) -> Vec<(&'c Candidate, Option<FileRecord>, bool)> {
        let mut seen = HashSet::with_capacity(candidates.len());
        let mut todo = Vec::new();
        for c in candidates {
            let key = c.path.to_string_lossy().into_owned();
            let old = self.known.get(&key).copied();
            seen.insert(key);
            let semantic = self.manifest.semantic.contains(&c.source);
            match old {
                // Vectors are kept while the source stays semantic, and dropped when it no
                // longer is; a semantic file without them waits for the vectors pass.
                Some(r) if r.mtime == c.mtime && r.size == c.size && (semantic || !r.embedded) => {
                    summary.unchanged += 1
                }
                _ => todo.push((c, old, semantic)),
            }
        }
        for gone in self.known.keys().filter(|k| !seen.contains(*k)) {
            writer.delete_term(Term::from_field_text(self.fields.path, gone));
            summary.deleted += 1;
        }
        todo
    }
}

/// One file to bring up to date.
struct Job<'a> {
    c: &'a Candidate,
    old: Option<FileRecord>,
    /// Set when the file's chunks are to carry vectors.
    embed: Option<&'a Embedder>,
    /// A touched file whose chunks carry vectors keeps them (its source is semantic).
    keep_vectors: bool,
    max_file_size: u64,
}

/// Indexes one new or modified file; returns whether the index changed.
fn index_one(
    writer: &mut IndexWriter,
    fields: &Fields,
    job: &Job,
    summary: &mut Summary,
) -> Result<bool, Error> {
    let (c, old) = (job.c, job.old);
    let key = c.path.to_string_lossy();
    let drop_old = |writer: &mut IndexWriter| {
        if old.is_some() {
            writer.delete_term(Term::from_field_text(fields.path, &key));
        }
        old.is_some()
    };
    let Some((text, hash)) = read(job, &mut summary.skips) else {
        return Ok(drop_old(writer));
    };
    let mut record = FileRecord {
        mtime: c.mtime,
        size: c.size,
        hash,
        chunks: 0,
        embedded: job.embed.is_some(),
    };
    let about = About::of(c);
    let same_vectors = |o: &FileRecord| match job.embed {
        Some(_) => o.embedded,
        None => !o.embedded || job.keep_vectors,
    };
    if let Some(old) = old.filter(|o| o.hash == hash && same_vectors(o)) {
        // Touched, not changed: rewrite the record only, keep the chunks.
        writer.delete_term(Term::from_field_text(fields.file_path, &key));
        record.chunks = old.chunks;
        record.embedded = old.embedded;
        add(writer, file_doc(fields, &key, &record, &about, &text))?;
        summary.touched += 1;
        return Ok(true);
    }
    if drop_old(writer) {
        summary.changed += 1;
    } else {
        summary.new += 1;
    }
    record.chunks = add_chunks(writer, fields, job, (&key, &about), &text)?;
    add(writer, file_doc(fields, &key, &record, &about, &text))?;
    summary.chunks += record.chunks;
    summary.bytes += c.size;
    Ok(true)
}

/// The job's file as text with its hash; None when it is skipped or cannot be read, which
/// `skips` counts.
fn read(job: &Job, skips: &mut Skips) -> Option<(String, u64)> {
    match walk::read_text(&job.c.path, job.max_file_size) {
        Ok(Content::Text { text, hash }) => Some((text, hash)),
        Ok(Content::Skip(reason)) => {
            skips.add(reason);
            None
        }
        Err(e) => {
            skips.unreadable(format!("{}: {e}", job.c.path.display()));
            None
        }
    }
}

/// Adds a document for each chunk of `text`, the file being `key` and `about`, with its
/// vector when the job embeds; returns how many.
fn add_chunks(
    writer: &mut IndexWriter,
    fields: &Fields,
    job: &Job,
    (key, about): (&str, &About),
    text: &str,
) -> Result<u64, Error> {
    let c = job.c;
    let lang = chunk::language(&c.path);
    let chunks = chunk::chunk(&c.path, lang, text);
    let is_code = chunk::is_code(lang);
    let tests = if is_code && !about.test {
        code::test_regions(text)
    } else {
        Vec::new()
    };
    let vectors = match job.embed {
        Some(e) => embed_chunks(e, &chunks)?,
        None => Vec::new(),
    };
    for (i, ch) in chunks.iter().enumerate() {
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.path, key);
        doc.add_text(fields.path_text, &about.words);
        doc.add_text(fields.name, &about.name);
        doc.add_text(fields.title, &ch.title);
        doc.add_text(fields.body, &ch.text);
        if is_code {
            doc.add_text(fields.defs, code::definitions(&ch.text).join(" "));
        }
        let in_tests = tests.iter().any(|r| r.contains(&ch.start_line));
        doc.add_u64(fields.test, u64::from(about.test || in_tests));
        doc.add_text(fields.lang, lang);
        doc.add_u64(fields.start_line, ch.start_line as u64);
        doc.add_u64(fields.end_line, ch.end_line as u64);
        doc.add_u64(fields.mtime, c.mtime);
        if let Some(v) = vectors.get(i) {
            doc.add_bytes(
                fields.vector,
                &v.iter().map(|x| *x as u8).collect::<Vec<u8>>(),
            );
        }
        add(writer, doc)?;
    }
    Ok(chunks.len() as u64)
}

/// A vector per chunk, from its heading path and its text.
fn embed_chunks(embedder: &Embedder, chunks: &[chunk::Chunk]) -> Result<Vec<Vec<i8>>, Error> {
    let texts: Vec<String> = chunks
        .iter()
        .map(|ch| format!("{}\n{}", ch.title, ch.text))
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    embedder
        .embed_truncated(&refs)
        .map_err(|e| Error::internal(format!("embedding failed: {e}")))
}

/// What a file's path says: its words relative to its source (so that "nginx" finds
/// notes/nginx.md), its name's words, and whether it is a test file.
struct About {
    words: String,
    name: String,
    test: bool,
}

impl About {
    fn of(c: &Candidate) -> Self {
        let rel = c.path.strip_prefix(&c.source).unwrap_or(&c.path);
        let rel = rel.to_string_lossy();
        let file = rel.rsplit(['/', '\\']).next().unwrap_or("");
        let stem = file.split_once('.').map_or(file, |(s, _)| s);
        Self {
            words: rel.replace(['/', '\\', '-', '_', '.'], " "),
            name: stem.replace(['-', '_', '.'], " "),
            test: code::is_test_path(&rel),
        }
    }
}

fn file_doc(
    fields: &Fields,
    key: &str,
    r: &FileRecord,
    about: &About,
    text: &str,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.file_text, &about.words);
    doc.add_text(fields.file_text, text);
    doc.add_text(fields.path, key);
    doc.add_text(fields.file_path, key);
    doc.add_u64(fields.mtime, r.mtime);
    doc.add_u64(fields.size, r.size);
    doc.add_u64(fields.hash, r.hash);
    doc.add_u64(fields.chunks, r.chunks);
    doc.add_u64(fields.embedded, u64::from(r.embedded));
    doc.add_u64(fields.test, u64::from(about.test));
    doc
}

fn add(writer: &mut IndexWriter, doc: TantivyDocument) -> Result<(), Error> {
    writer.add_document(doc).map_err(|e| internal(&e))?;
    Ok(())
}
