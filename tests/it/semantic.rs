//! Semantic sources: `pai index add --semantic` embeds chunks with the real all-MiniLM-L6-v2
//! encoder, search then finds a note by meaning when it shares no word with the question,
//! updates keep the vectors in step, and a missing or wrong encoder is one clear sentence.
use crate::util::{json_of, minilm, smollm2, stderr_of, Env};

/// Notes whose words do not meet the question's: only meaning links them.
fn notes(env: &Env) -> std::path::PathBuf {
    let dir = env.path("notes");
    std::fs::create_dir_all(&dir).unwrap();
    let files = [
        (
            "ups.md",
            "# Rack UPS\n\nThe APC unit gives the NAS and the router about 25 minutes on battery. \
             It signals the NAS to shut down cleanly at 20% charge.\n",
        ),
        (
            "sourdough.md",
            "# Sourdough\n\nFeed the starter at 1:1:1, bulk ferment for five hours, shape, \
             then cold retard overnight before baking at 250 C.\n",
        ),
        (
            "servers.md",
            "# Servers\n\nThe servers run Debian. Keys are rotated yearly; backups go to the NAS.\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir
}

fn use_encoder(env: &Env, model: &std::path::Path) {
    env.write(
        "config.toml",
        format!("[index]\nembed_model = {:?}\n", model.display().to_string()),
    );
}

fn hits(env: &Env, query: &str) -> Vec<String> {
    let out = env.pai(&["search", query, "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let hits = json_of(&out);
    hits.as_array()
        .unwrap()
        .iter()
        .map(|h| h["path"].as_str().unwrap().to_string())
        .collect()
}

fn first_hit(env: &Env, query: &str) -> String {
    hits(env, query).first().cloned().unwrap_or_default()
}

const QUESTION: &str = "how long do the servers keep running when the power goes out";

#[test]
fn a_semantic_source_is_found_by_meaning() {
    let words = Env::new();
    words
        .pai(&["index", "add"])
        .arg(notes(&words))
        .assert()
        .success();
    // By words, "servers" points at the wrong note, and the right one is not found at all.
    let by_words = hits(&words, QUESTION);
    assert!(by_words[0].ends_with("servers.md"), "{by_words:?}");
    assert!(
        !by_words.iter().any(|p| p.ends_with("ups.md")),
        "{by_words:?}"
    );

    let meaning = Env::new();
    use_encoder(&meaning, &minilm());
    meaning
        .pai(&["index", "add", "--semantic"])
        .arg(notes(&meaning))
        .assert()
        .success();
    // By words and meaning both notes come first: the UPS note by meaning, the servers note
    // by both; the recipe, related by neither, comes last.
    let both = hits(&meaning, QUESTION);
    assert!(both[..2].iter().any(|p| p.ends_with("ups.md")), "{both:?}");
    assert!(
        !both[..2].iter().any(|p| p.ends_with("sourdough.md")),
        "{both:?}"
    );
    let status = meaning
        .pai(&["index", "status", "--json"])
        .output()
        .unwrap();
    assert_eq!(json_of(&status)["semantic"].as_array().unwrap().len(), 1);
    // The encoder gone at search time: one warning, and the search by words still answers.
    use_encoder(&meaning, &meaning.path("gone.gguf"));
    let out = meaning
        .pai(&["search", QUESTION, "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("searching by words only"),
        "{}",
        stderr_of(&out)
    );
    assert!(json_of(&out)[0]["path"]
        .as_str()
        .unwrap()
        .ends_with("servers.md"));
    use_encoder(&meaning, &minilm());
    let doctor = meaning.pai(&["doctor"]).output().unwrap();
    let report = String::from_utf8_lossy(&doctor.stdout);
    assert!(report.contains("1 of them semantic"), "{report}");
    assert!(report.contains("the sentence encoder loads"), "{report}");
}

#[test]
fn updates_keep_vectors_in_step_and_the_flag_can_be_turned_off() {
    let env = Env::new();
    use_encoder(&env, &minilm());
    let dir = notes(&env);
    env.pai(&["index", "add", "--semantic"])
        .arg(&dir)
        .assert()
        .success();
    // A new note that shares no word with its question is embedded by `update`.
    std::fs::write(
        dir.join("cat.md"),
        "# Miso\n\nVet visit every March; she gets the kidney diet food.\n",
    )
    .unwrap();
    let out = env.pai(&["index", "update"]).output().unwrap();
    assert!(stderr_of(&out).contains("1 new"), "{}", stderr_of(&out));
    assert!(first_hit(&env, "when does my pet need a checkup").ends_with("cat.md"));

    // Added again without --semantic: every file is indexed again, without vectors.
    let out = env.pai(&["index", "add"]).arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("4 changed"), "{}", stderr_of(&out));
    let status = env.pai(&["index", "status", "--json"]).output().unwrap();
    assert!(json_of(&status)["semantic"].as_array().unwrap().is_empty());
}

/// `index add --semantic` fails with a configuration error (exit 3) that says `why`.
fn add_fails(env: &Env, dir: &std::path::Path, why: &str) {
    let out = env
        .pai(&["index", "add", "--semantic"])
        .arg(dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains(why), "{}", stderr_of(&out));
}

#[test]
fn a_missing_or_wrong_encoder_is_one_clear_error() {
    let env = Env::new();
    let dir = notes(&env);
    add_fails(&env, &dir, "embed_model");
    use_encoder(&env, &smollm2());
    add_fails(&env, &dir, "not a sentence encoder");
    use_encoder(&env, &env.path("nowhere.gguf"));
    add_fails(&env, &dir, "does not exist");
    // Nothing was added by the failed attempts.
    let status = env.pai(&["index", "status", "--json"]).output().unwrap();
    assert!(json_of(&status)["sources"].as_array().unwrap().is_empty());
}

/// Indexing never waits on the encoder: `index add --semantic` commits the words first and
/// says so, search by words works while the vectors are computed, Ctrl-C stops embedding
/// (exit 130) with everything committed kept, and `index update` embeds the rest.
#[test]
fn words_are_searchable_before_the_vectors_and_embedding_can_be_stopped() {
    use std::io::{BufRead, BufReader};
    let env = Env::new();
    use_encoder(&env, &minilm());
    let dir = env.path("code");
    std::fs::create_dir_all(&dir).unwrap();
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/code-eval/corpus/walkdir/src");
    // About 70 KB: several seconds of embedding even on a fast machine.
    for name in ["lib.rs", "dent.rs", "error.rs"] {
        std::fs::copy(crates.join(name), dir.join(name)).unwrap();
    }
    let mut child = env
        .std_command(&["index", "add", "--semantic"])
        .arg(&dir)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    while !seen.contains("searchable by words now") {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "{seen}");
        seen.push_str(&line);
    }
    // The encoder is busy; the words are already committed.
    let found = |env: &Env| {
        hits(env, "skip_current_dir")
            .iter()
            .any(|p| p.ends_with("lib.rs"))
    };
    assert!(found(&env));
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert_eq!(status.code(), Some(130), "{seen}{rest}");
    assert!(rest.contains("`pai index update` carries on"), "{rest}");
    assert!(found(&env));

    let out = env.pai(&["index", "update"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let said = stderr_of(&out);
    assert!(said.contains("0 new, 0 changed"), "{said}");
    assert!(said.contains("embedded "), "{said}");
    // Nothing is left: a second update embeds nothing.
    let again = stderr_of(&env.pai(&["index", "update"]).output().unwrap());
    assert!(!again.contains("embedding"), "{again}");
}
