//! The retrieval evaluations: each corpus is indexed in a temporary PAI_HOME with the real
//! binary, its questions run through the library's search (one process, so the tests stay
//! fast), and recall@1, recall@5 and MRR are measured by file, by words alone and by words
//! and meaning (the corpus added with `--semantic`, the real all-MiniLM-L6-v2). Three corpora
//! of different kinds: `tests/fixtures/retrieval` (84 questions over personal notes, code and
//! config), `tests/fixtures/code-eval` (40 questions over the sources of two crates, where
//! each answer also names the definition that answers it) and `tests/fixtures/book-eval` (40
//! questions over six chapters of a book, one file per section, never tuned on: settings
//! chosen on the others are reported there); the answers-from-notes evaluation's notes are
//! read the same way, by words. Every figure is also given
//! for the odd and the even questions: a change that helps only one half is fitting the
//! questions, not ranking better. The floors sit a little below what the ranking achieves;
//! lowering them needs a reason.
//!
//! For tuning, PAI_EVAL_WEIGHTS="defs=2,test=0.5;fusion=scores,dense=0.3" overrides the
//! weights by name (each `;`-separated spec is measured on the same index),
//! PAI_EVAL_VERBOSE=1 lists the misses with each hit's score and heading and the right file's
//! place (in a set split into a tune and a held-out half, only the tune half's; `=held` shows
//! the held-out misses too, for reporting after the tuning is done), and PAI_EVAL_ENCODER=FILE.gguf measures another sentence encoder.
use std::path::{Path, PathBuf};

use pai::index::search::{run, Fusion, Weights};
use pai::index::store;
use pai::index::SearchOptions;

use crate::util::{minilm, Env};

/// The sentence encoder: all-MiniLM-L6-v2, or the GGUF named by PAI_EVAL_ENCODER (to
/// measure another one on the same questions).
fn encoder() -> PathBuf {
    std::env::var_os("PAI_EVAL_ENCODER").map_or_else(minilm, PathBuf::from)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn weights() -> Vec<(String, Weights)> {
    let Ok(specs) = std::env::var("PAI_EVAL_WEIGHTS") else {
        return vec![("default".into(), Weights::default())];
    };
    specs
        .split(';')
        .map(|spec| (spec.to_string(), parse_weights(spec)))
        .collect()
}

/// `name=value` pairs over the defaults, such as `defs=2,test=0.5,fusion=scores`.
fn parse_weights(spec: &str) -> Weights {
    let mut w = Weights::default();
    for pair in spec.split(',').filter(|p| !p.trim().is_empty()) {
        let (name, value) = pair.split_once('=').expect("name=value");
        let value = value.trim();
        let x = || value.parse::<f32>().expect("a number");
        match name.trim() {
            "title" => w.title = x(),
            "body" => w.body = x(),
            "path" => w.path = x(),
            "name" => w.name = x(),
            "defs" => w.defs = x(),
            "test" => w.test = x(),
            "phrase" => w.phrase = x(),
            "second" => w.second = x(),
            "file" => w.file = x(),
            "dense" => w.dense = x(),
            "fusion_k" => w.fusion_k = x(),
            "dense_k" => w.dense_k = x() as usize,
            "weak" => w.weak = x(),
            "link" => w.link = x(),
            "variant" => w.variant = x(),
            "overview" => w.overview = x(),
            "asked" => w.asked = x(),
            "bare" => w.bare = x(),
            "pair" => w.pair = x(),
            "fusion" => {
                w.fusion = match value {
                    "ranks" => Fusion::Ranks,
                    "scores" => Fusion::Scores,
                    other => panic!("fusion={other}: ranks or scores"),
                }
            }
            other => panic!("unknown weight {other}"),
        }
    }
    w
}

/// Recall@1, recall@5 and MRR by file; for questions that name a definition, the share whose
/// first hit is the chunk that holds it.
#[derive(Debug, Default, Clone, Copy)]
struct Figures {
    at1: f64,
    at5: f64,
    mrr: f64,
    def1: f64,
}

impl Figures {
    fn add(&mut self, rank: Option<usize>, def_first: Option<bool>) {
        if let Some(r) = rank {
            self.at1 += f64::from(r == 0);
            self.at5 += 1.0;
            self.mrr += 1.0 / (r + 1) as f64;
        }
        self.def1 += f64::from(def_first == Some(true));
    }

    fn per(self, n: f64) -> Self {
        Self {
            at1: self.at1 / n,
            at5: self.at5 / n,
            mrr: self.mrr / n,
            def1: self.def1 / n,
        }
    }

    fn line(&self) -> String {
        format!(
            "recall@1 {:.3}, recall@5 {:.3}, MRR {:.3}, definition first {:.3}",
            self.at1, self.at5, self.mrr, self.def1
        )
    }
}

/// The figures of a set: all its questions, and each half. A set whose questions name their
/// half (`"half": "tune"` or `"held"`, fixed by a hash before any was measured) is split that
/// way; the older sets by odd and even place.
#[derive(Debug, Clone, Copy)]
struct Measured {
    all: Figures,
    tune: Figures,
    held: Figures,
}

/// Which half a question belongs to: 0 for the half tuned on (`tune`, or an even place), 1
/// for the other.
fn half_of(q: &serde_json::Value, i: usize) -> usize {
    match q["half"].as_str() {
        Some("tune") => 0,
        Some(_) => 1,
        None => i % 2,
    }
}

fn evaluate(name: &str, semantic: bool) -> (Figures, usize) {
    let (m, n) = evaluate_halves(name, semantic);
    (m.all, n)
}

/// Indexes `tests/fixtures/NAME/corpus` (or `notes`) and measures its questions, by words alone or (with
/// `semantic`) by words and meaning; prints the figures with those of each half, for every
/// weight spec, and returns the first spec's with the count.
fn evaluate_halves(name: &str, semantic: bool) -> (Measured, usize) {
    let env = Env::new();
    let mut add = env.pai(&["index", "add"]);
    // The answers-from-notes evaluation keeps its notes in `notes/` and names each
    // question's note as `note`; the retrieval corpora use `corpus/` and `file`.
    let (folder, key) = if fixture(name).join("corpus").is_dir() {
        ("corpus", "file")
    } else {
        ("notes", "note")
    };
    add.arg(fixture(name).join(folder));
    if semantic {
        env.write(
            "config.toml",
            format!(
                "[index]\nembed_model = {:?}\n",
                encoder().display().to_string()
            ),
        );
        add.arg("--semantic");
    }
    add.assert().success();
    let dir = env.home.path().join("index");
    let (index, fields) = store::open(&dir).unwrap().unwrap();
    let manifest = store::Manifest::load(&dir).unwrap();
    let embedder = pai::index::embedder(&manifest, Some(&encoder())).unwrap();
    assert_eq!(embedder.is_some(), semantic);
    let text = std::fs::read_to_string(fixture(name).join("questions.json")).unwrap();
    let questions: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let texts: Vec<&str> = questions.iter().map(|q| q["q"].as_str().unwrap()).collect();
    let vectors = match &embedder {
        Some(e) => e
            .embed_truncated(&texts)
            .unwrap()
            .into_iter()
            .map(Some)
            .collect(),
        None => vec![None; texts.len()],
    };
    if let Some(e) = &embedder {
        quantisation_error(&e.embed_unit(&texts).unwrap());
    }
    let options = SearchOptions {
        limit: 5,
        ..SearchOptions::default()
    };
    let how = if semantic {
        "words and meaning"
    } else {
        "words"
    };
    let n = questions.len() as f64;
    let mut first = None;
    for (spec, w) in weights() {
        let mut all = Figures::default();
        let mut halves = [Figures::default(); 2];
        for (i, q) in questions.iter().enumerate() {
            let (query, file) = (q["q"].as_str().unwrap(), q[key].as_str().unwrap());
            let hits = run(&index, &fields, query, &options, &w, vectors[i].as_deref()).unwrap();
            let rank = hits.iter().position(|m| m.hit.path.ends_with(file));
            let def_first = q["def"].as_str().map(|d| {
                hits.first()
                    .is_some_and(|m| m.hit.path.ends_with(file) && m.hit.text.contains(d))
            });
            all.add(rank, def_first);
            halves[half_of(q, i)].add(rank, def_first);
            // Misses of the held-out half stay unseen unless asked for by name: looking at
            // them is how a ranking learns its evaluation.
            let show = match std::env::var("PAI_EVAL_VERBOSE").as_deref() {
                Ok("held") => true,
                Ok(_) => half_of(q, i) == 0 || q["half"].is_null(),
                Err(_) => false,
            };
            if rank != Some(0) && show {
                let got: Vec<_> = hits
                    .iter()
                    .map(|m| {
                        let path = m.hit.path.display().to_string();
                        let short = path.rsplit_once("/corpus/").map_or(&*path, |p| p.1);
                        format!(
                            "{short}:{} {:.2} [{}]",
                            m.hit.start_line, m.hit.score, m.hit.title
                        )
                    })
                    .collect();
                // Where the right file is among the files of the first 200 chunks.
                let wide = SearchOptions {
                    limit: 200,
                    ..SearchOptions::default()
                };
                let all = run(&index, &fields, query, &wide, &w, vectors[i].as_deref()).unwrap();
                let mut files: Vec<&Path> = Vec::new();
                for m in &all {
                    if !files.contains(&m.hit.path.as_path()) {
                        files.push(&m.hit.path);
                    }
                }
                let place = files.iter().position(|p| p.ends_with(file));
                eprintln!(
                    "MISS {rank:?} (file {place:?}) {query} -> {file}\n   {}",
                    got.join("\n   ")
                );
            }
        }
        let all = all.per(n);
        eprintln!(
            "{name} by {how} [{spec}] over {n} questions: {}",
            all.line()
        );
        let tuned = questions
            .iter()
            .enumerate()
            .filter(|(i, q)| half_of(q, *i) == 0)
            .count() as f64;
        let names = if questions[0]["half"].is_string() {
            ["tune", "held-out"]
        } else {
            ["even", "odd"]
        };
        let sizes = [tuned, n - tuned];
        let halves = [
            halves[0].per(sizes[0].max(1.0)),
            halves[1].per(sizes[1].max(1.0)),
        ];
        for ((half, h), size) in names.iter().zip(halves).zip(sizes) {
            eprintln!("  {half} half ({size}): {}", h.line());
        }
        first.get_or_insert(Measured {
            all,
            tune: halves[0],
            held: halves[1],
        });
    }
    (first.unwrap(), questions.len())
}

/// How far the cosines of quantised vectors are from those of the float vectors, over all
/// pairs of questions: bytes scaled to the largest component (pai's) against bytes scaled
/// to unit length (what pai stored before).
fn quantisation_error(unit: &[Vec<f32>]) {
    use pai::engine::embed::{quantise, similarity};
    let old = |v: &[f32]| -> Vec<i8> { v.iter().map(|x| (x * 127.0).round() as i8).collect() };
    let old_sim = |a: &[i8], b: &[i8]| {
        a.iter()
            .zip(b)
            .map(|(x, y)| i32::from(*x) * i32::from(*y))
            .sum::<i32>() as f32
            / 16129.0
    };
    let (mut err_new, mut err_old, mut pairs) = (0.0f64, 0.0f64, 0.0f64);
    for (i, a) in unit.iter().enumerate() {
        for b in &unit[i + 1..] {
            let exact: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
            err_new += f64::from((similarity(&quantise(a), &quantise(b)) - exact).abs());
            err_old += f64::from((old_sim(&old(a), &old(b)) - exact).abs());
            pairs += 1.0;
        }
    }
    eprintln!(
        "cosine error of byte vectors over {pairs} pairs: {:.5} scaled to the largest component, {:.5} scaled to unit length",
        err_new / pairs,
        err_old / pairs
    );
}

#[test]
fn retrieval_by_words_on_the_evaluation_set() {
    let (f, n) = evaluate("retrieval", false);
    assert_eq!(n, 84);
    // 0.845 / 0.964 / 0.898 before questions that ask for a site ranked pages with links
    // higher; 0.857 / 0.976 / 0.909 after.
    assert!(f.at1 >= 0.85, "recall@1 {:.3}", f.at1);
    assert!(f.at5 >= 0.97, "recall@5 {:.3}", f.at5);
    assert!(f.mrr >= 0.90, "MRR {:.3}", f.mrr);
}

#[test]
fn retrieval_by_words_and_meaning_on_the_evaluation_set() {
    let (f, n) = evaluate("retrieval", true);
    assert_eq!(n, 84);
    // Measured 0.952 / 1.000 / 0.973 (0.940 / 0.988 / 0.961 before links counted).
    assert!(f.at1 >= 0.93, "recall@1 {:.3}", f.at1);
    assert!(f.at5 >= 1.0, "recall@5 {:.3}", f.at5);
    assert!(f.mrr >= 0.96, "MRR {:.3}", f.mrr);
}

#[test]
fn code_search_by_words_on_two_crates() {
    let (f, n) = evaluate("code-eval", false);
    assert_eq!(n, 40);
    // 0.725, 0.975, 0.842 and 0.225 before identifiers, definitions and tests counted;
    // 0.875 / 1.000 / 0.929 before words' other forms and READMEs below code (issue 27),
    // 0.925 / 1.000 / 0.958 after (even half 0.750 → 0.850, odd 1.000); 0.950 / 1.000 /
    // 0.975 once tests rank higher when a question asks for them (even half 0.850 → 0.900:
    // the benchmark asked for, first).
    assert!(f.at1 >= 0.94, "recall@1 {:.3}", f.at1);
    assert!(f.at5 >= 0.97, "recall@5 {:.3}", f.at5);
    assert!(f.mrr >= 0.96, "MRR {:.3}", f.mrr);
    assert!(f.def1 >= 0.3, "definition first {:.3}", f.def1);
}

#[test]
fn code_search_by_words_and_meaning_on_two_crates() {
    // The fusion was chosen on the notes; here it is reported, not tuned. Meaning lowers
    // recall@1 on code (0.850 by words alone): the floors guard against it getting worse.
    // Measured 0.875 / 1.000 / 0.919 (0.912 before tests asked for ranked higher; 0.950
    // by words).
    let (f, n) = evaluate("code-eval", true);
    assert_eq!(n, 40);
    assert!(f.at1 >= 0.75, "recall@1 {:.3}", f.at1);
    assert!(f.at5 >= 0.97, "recall@5 {:.3}", f.at5);
    assert!(f.mrr >= 0.83, "MRR {:.3}", f.mrr);
}

#[test]
fn book_search_by_words_on_six_chapters() {
    // Nothing was tuned on the book: these figures report settings chosen on the notes and
    // the code. Measured 0.850 / 0.950 / 0.894; the floors sit just under.
    let (f, n) = evaluate("book-eval", false);
    assert_eq!(n, 40);
    assert!(f.at1 >= 0.82, "recall@1 {:.3}", f.at1);
    assert!(f.at5 >= 0.94, "recall@5 {:.3}", f.at5);
    assert!(f.mrr >= 0.87, "MRR {:.3}", f.mrr);
}

#[test]
fn book_search_by_words_and_meaning_on_six_chapters() {
    // The fusion chosen on the notes, reported on the book: meaning helps here as on the
    // notes (0.850 / 0.950 / 0.894 by words; 0.875 / 0.950 / 0.905 with words' other forms). Measured 0.900 / 1.000 / 0.938; the floors sit
    // just under.
    let (f, n) = evaluate("book-eval", true);
    assert_eq!(n, 40);
    assert!(f.at1 >= 0.87, "recall@1 {:.3}", f.at1);
    assert!(f.at5 >= 1.0, "recall@5 {:.3}", f.at5);
    assert!(f.mrr >= 0.91, "MRR {:.3}", f.mrr);
}

#[test]
fn notes_eval_search_by_words() {
    // The answers-from-notes evaluation's notes and questions, read as a retrieval evaluation
    // (the right note of each question), never tuned on. Its questions name their facts
    // plainly, so words alone nearly always find the note: measured 0.981 / 1.000 / 0.990
    // (0.981 with meaning too); the floors sit just under.
    let (f, n) = evaluate("notes-eval", false);
    assert_eq!(n, 52);
    assert!(f.at1 >= 0.96, "recall@1 {:.3}", f.at1);
    assert!(f.at5 >= 1.0, "recall@5 {:.3}", f.at5);
    assert!(f.mrr >= 0.98, "MRR {:.3}", f.mrr);
}

#[test]
fn code_search_by_words_on_three_projects() {
    // Issue 27: click (Python), semver and humantime (Rust), questions of the kinds people
    // ask about an unfamiliar codebase; the held-out half was never tuned on.
    // Issue 27 asks for 0.85 / 1.00 on the held-out half; measured 0.625 / 0.917 there
    // (0.583 / 0.875 before methods were chunked apart and benchmarks ranked with tests),
    // 0.800 / 0.920 on the tune half; 0.667 / 0.917 held out after words' other forms and
    // READMEs below code, which cost this tune half one question (0.760): their weight (0.8)
    // was chosen on the three code sets' tune halves together (54 of 64 first; 0.6 gives 53
    // with this set at 0.800). The floors hold what is reached, not the target.
    let (m, n) = evaluate_halves("code-eval-2", false);
    assert_eq!(n, 49);
    assert!(m.held.at1 >= 0.64, "held-out recall@1 {:.3}", m.held.at1);
    assert!(m.held.at5 >= 0.9, "held-out recall@5 {:.3}", m.held.at5);
    assert!(m.tune.at1 >= 0.76, "tune recall@1 {:.3}", m.tune.at1);
}

#[test]
fn code_search_by_words_and_meaning_on_three_projects() {
    // Measured 0.625 / 0.875 on the held-out half, 0.760 / 0.960 on the tune half: meaning
    // does not help code here either (words alone: 0.625 / 0.917 and 0.800 / 0.920).
    let (m, n) = evaluate_halves("code-eval-2", true);
    assert_eq!(n, 49);
    assert!(m.held.at1 >= 0.60, "held-out recall@1 {:.3}", m.held.at1);
    assert!(m.held.at5 >= 0.85, "held-out recall@5 {:.3}", m.held.at5);
}

#[test]
fn prose_search_by_words_on_clicks_documentation() {
    // Issue 27: click's documentation, questions as a reader asks them; the held-out half
    // was never tuned on.
    // Issue 27 asks for 0.90 on the held-out half; measured 0.810 (recall@5 0.952), and
    // 0.909 / 1.000 on the tune half.
    let (m, n) = evaluate_halves("prose-eval", false);
    assert_eq!(n, 43);
    assert!(m.held.at1 >= 0.80, "held-out recall@1 {:.3}", m.held.at1);
    assert!(m.held.at5 >= 0.95, "held-out recall@5 {:.3}", m.held.at5);
    assert!(m.tune.at1 >= 0.88, "tune recall@1 {:.3}", m.tune.at1);
}

#[test]
fn prose_search_by_words_and_meaning_on_clicks_documentation() {
    // Measured 0.810 / 1.000 on the held-out half (words alone 0.810 / 0.952), 0.909 / 1.000
    // on the tune half: meaning adds places in the top five, not first places.
    let (m, n) = evaluate_halves("prose-eval", true);
    assert_eq!(n, 43);
    assert!(m.held.at1 >= 0.80, "held-out recall@1 {:.3}", m.held.at1);
    assert!(m.held.at5 >= 0.95, "held-out recall@5 {:.3}", m.held.at5);
}

#[test]
fn prose_search_by_words_on_attrs_and_jinjas_documentation() {
    // Issue 27, fifth round: attrs' and Jinja's documentation, questions as a reader asks
    // them, written and split by a hash before anything was measured. Measured before the
    // round 0.679 / 0.964 (MRR 0.810) on the tune half, 0.714 / 0.929 (0.798) held out;
    // after neighbouring question words counted as phrases in prose (chosen on the tune
    // halves) 0.750 / 0.964 (0.845) and 0.714 / 0.964 (0.810). Issue 27 asks for 0.90 held
    // out; the floors hold what was reached.
    let (m, n) = evaluate_halves("prose-eval-2", false);
    assert_eq!(n, 56);
    assert!(m.held.at1 >= 0.70, "held-out recall@1 {:.3}", m.held.at1);
    assert!(m.held.at5 >= 0.96, "held-out recall@5 {:.3}", m.held.at5);
    assert!(m.tune.at1 >= 0.74, "tune recall@1 {:.3}", m.tune.at1);
}

#[test]
fn prose_search_by_words_and_meaning_on_attrs_and_jinjas_documentation() {
    // Measured 0.714 / 1.000 held out (MRR 0.810 before the fifth round, 0.815 after),
    // 0.821 / 1.000 on the tune half before and after (by words 0.750 / 0.964 after): meaning
    // puts three more first on the tune half and none on the held-out half.
    let (m, n) = evaluate_halves("prose-eval-2", true);
    assert_eq!(n, 56);
    assert!(m.held.at1 >= 0.70, "held-out recall@1 {:.3}", m.held.at1);
    assert!(m.held.at5 >= 0.96, "held-out recall@5 {:.3}", m.held.at5);
}

#[test]
fn code_search_by_words_on_two_more_projects() {
    // Issue 27, second round: tempfile (Rust) and python-dotenv (Python), questions written
    // from their documentation and API before anything was measured; split by a hash, the
    // held-out half never tuned on. Measured 0.789 / 1.000 held out (MRR 0.839 before
    // words' other forms and READMEs below code, 0.855 after), 0.842 → 0.947 on the tune
    // half; the floors sit just under.
    let (m, n) = evaluate_halves("code-eval-3", false);
    assert_eq!(n, 38);
    assert!(m.held.at1 >= 0.75, "held-out recall@1 {:.3}", m.held.at1);
    assert!(m.held.at5 >= 0.97, "held-out recall@5 {:.3}", m.held.at5);
    assert!(m.tune.at1 >= 0.89, "tune recall@1 {:.3}", m.tune.at1);
}

#[test]
fn code_search_by_words_and_meaning_on_two_more_projects() {
    // Reported, not tuned: the fusion chosen on the notes, on code nobody here wrote.
    // Measured 0.789 / 0.842 held out, 0.737 / 0.947 on the tune half.
    let (m, n) = evaluate_halves("code-eval-3", true);
    assert_eq!(n, 38);
    assert!(m.held.at1 >= 0.55, "held-out recall@1 {:.3}", m.held.at1);
    assert!(m.held.at5 >= 0.84, "held-out recall@5 {:.3}", m.held.at5);
}

#[test]
fn code_search_by_words_on_a_parser_and_a_packager() {
    // Issue 27, third round: pulldown-cmark (Rust) and packaging (Python), questions written
    // from their API and split by a hash before anything was measured; nothing was tuned on
    // either half, and the held-out half was measured once, after the round's tuning on the
    // other sets: 0.679 / 0.893 (MRR 0.780), the tune half 0.500 / 0.964 (MRR 0.675). The
    // floors hold what was reached, not issue 27's 0.85 / 1.00. Fourth round (chunks that
    // define nothing x0.8, chosen on the tune halves): tune 0.536 / 0.964, held-out unchanged.
    let (m, n) = evaluate_halves("code-eval-4", false);
    assert_eq!(n, 56);
    assert!(m.held.at1 >= 0.67, "held-out recall@1 {:.3}", m.held.at1);
    assert!(m.held.at5 >= 0.89, "held-out recall@5 {:.3}", m.held.at5);
    assert!(m.tune.at1 >= 0.53, "tune recall@1 {:.3}", m.tune.at1);
}

#[test]
fn code_search_by_words_and_meaning_on_a_parser_and_a_packager() {
    // Reported, not tuned: the fusion chosen on the notes. Measured 0.679 / 0.893 held out
    // (as by words alone), 0.714 / 0.929 on the tune half (0.500 / 0.964 by words): on this
    // set meaning puts more first. One question sits on the edge: a run on the same binary
    // measured 0.643 held out (MRR 0.748) and the next 0.679 again, so the floor sits under
    // both (the encoder's thread count depends on the batch, and with it the last digits).
    let (m, n) = evaluate_halves("code-eval-4", true);
    assert_eq!(n, 56);
    assert!(m.held.at1 >= 0.64, "held-out recall@1 {:.3}", m.held.at1);
    assert!(m.held.at5 >= 0.89, "held-out recall@5 {:.3}", m.held.at5);
}

#[test]
fn code_search_by_words_on_a_progress_bar_and_a_humaniser() {
    // Issue 27, fourth round: indicatif (Rust) and humanize (Python), questions written from
    // their API and split by a hash before anything was measured; neither half was tuned on,
    // both were measured once, after the round's tuning on the other sets: held-out 0.913 /
    // 1.000 (MRR 0.943), tune 0.696 / 1.000 (MRR 0.830); the floors sit just under.
    let (m, n) = evaluate_halves("code-eval-5", false);
    assert_eq!(n, 46);
    assert!(m.held.at1 >= 0.86, "held-out recall@1 {:.3}", m.held.at1);
    assert!(m.held.at5 >= 1.0, "held-out recall@5 {:.3}", m.held.at5);
    assert!(m.tune.at1 >= 0.65, "tune recall@1 {:.3}", m.tune.at1);
    assert!(m.tune.at5 >= 1.0, "tune recall@5 {:.3}", m.tune.at5);
}

#[test]
fn code_search_by_words_and_meaning_on_a_progress_bar_and_a_humaniser() {
    // Reported, not tuned: the fusion chosen on the notes. Measured 0.957 / 1.000 held out,
    // 0.783 / 0.957 on the tune half (by words 0.913 / 1.000 and 0.696 / 1.000).
    let (m, n) = evaluate_halves("code-eval-5", true);
    assert_eq!(n, 46);
    assert!(m.held.at1 >= 0.91, "held-out recall@1 {:.3}", m.held.at1);
    assert!(m.held.at5 >= 1.0, "held-out recall@5 {:.3}", m.held.at5);
}
