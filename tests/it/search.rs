//! `pai search`: the JSON shape, the filters, lenient queries, and no escape sequence from a
//! file reaching the terminal.
use crate::util::{json_of, stderr_of, stdout_of, Env};

fn indexed() -> Env {
    let env = Env::new();
    let dir = env.path("notes");
    std::fs::create_dir_all(dir.join("code")).unwrap();
    let files = [
        ("nginx.md", "# Nginx\n\nIntro.\n\n## Log rotation\n\nlogrotate keeps 14 days of access logs.\n"),
        ("code/rotate.py", "import os\n\n\ndef rotate_logs(path):\n    # rotate the access logs\n    os.rename(path, path + '.1')\n"),
        ("router.md", "# Router\n\nThe password rotation\x1b]2;PWNED\x07 is monthly.\x1b[2J\n"),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    env.pai(&["index", "add"]).arg(&dir).assert().success();
    env
}

#[test]
fn json_hits_have_the_documented_shape() {
    let env = indexed();
    let out = env
        .pai(&["search", "rotate logs", "--json", "-n", "5"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let hits = json_of(&out);
    let first = &hits.as_array().unwrap()[0];
    assert!(first["path"].as_str().unwrap().starts_with('/'));
    assert!(first["start_line"].as_u64().unwrap() >= 1);
    assert!(first["end_line"].as_u64() >= first["start_line"].as_u64());
    assert!(first["title"].is_string() && first["snippet"].is_string());
    assert!(first["score"].as_f64().unwrap() > 0.0);
}

#[test]
fn path_and_lang_filter() {
    let env = indexed();
    let json = |args: &[&str]| json_of(&env.pai(args).output().unwrap());
    let py = json(&["search", "rotate logs", "--json", "--lang", "py"]);
    assert!(py.as_array().unwrap().iter().all(|h| h["lang"] == "python"));
    assert_eq!(py.as_array().unwrap().len(), 1);
    let md = json(&["search", "rotate logs", "--json", "--path", "*.md"]);
    let md = md.as_array().unwrap();
    assert!(!md.is_empty());
    assert!(md
        .iter()
        .all(|h| h["path"].as_str().unwrap().ends_with(".md")));
    let code = json(&["search", "rotate", "--json", "--path", "code/**"]);
    assert!(code
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["path"].as_str().unwrap().contains("/code/")));
}

#[test]
fn text_output_is_plain_and_free_of_escapes() {
    let env = indexed();
    let out = env
        .pai(&["search", "router password rotation"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    assert!(text.contains("router.md:1-"), "{text}");
    assert!(text.contains("password rotation"), "{text}");
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
    let json = stdout_of(&env.pai(&["search", "router", "--json"]).output().unwrap());
    assert!(!json.contains('\x1b'), "{json:?}");
}

#[test]
fn odd_queries_never_fail() {
    let env = indexed();
    for q in [
        "\"log rotation\"",
        "rotat*",
        "(nginx: logs",
        "\"unbalanced",
        "the of",
        "a:b AND -c",
    ] {
        let out = env.pai(&["search", q, "--json"]).output().unwrap();
        assert!(out.status.success(), "{q}: {}", stderr_of(&out));
        json_of(&out);
    }
    let phrase = json_of(
        &env.pai(&["search", "\"log rotation\"", "--json"])
            .output()
            .unwrap(),
    );
    assert!(phrase[0]["path"].as_str().unwrap().ends_with("nginx.md"));
}

#[test]
fn searching_without_an_index_says_how_to_make_one() {
    let env = Env::new();
    let out = env.pai(&["search", "anything"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("pai index add"),
        "{}",
        stderr_of(&out)
    );
}

/// A chunk of code that defines nothing (a piece of a body) ranks below the function that
/// does what the question asks, though it repeats the question's words more often.
#[test]
fn a_piece_of_a_body_ranks_below_the_function_that_does_it() {
    use pai::index::search::{run, Weights};
    use pai::index::{store, SearchOptions};
    let env = Env::new();
    let dir = env.path("code");
    std::fs::create_dir_all(&dir).unwrap();
    let body = "    let front = matter(text);\n    front.kind = matter_kind(front);\n    state.done = false;\n";
    let function =
        "/// Reads the front matter.\npub fn front_of(text: &str) -> usize {\n    text.len()\n}\n";
    std::fs::write(dir.join("state.rs"), body).unwrap();
    std::fs::write(dir.join("header.rs"), function).unwrap();
    env.pai(&["index", "add"]).arg(&dir).assert().success();
    let (index, fields) = store::open(&env.home.path().join("index"))
        .unwrap()
        .unwrap();
    let first = |w: &Weights| {
        let hits = run(
            &index,
            &fields,
            "front matter",
            &SearchOptions::default(),
            w,
            None,
        );
        let hits = hits.unwrap();
        hits[0]
            .hit
            .path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string()
    };
    let unweighed = Weights {
        bare: 1.0,
        ..Weights::default()
    };
    assert_eq!(
        first(&unweighed),
        "state.rs",
        "the body holds the words more often"
    );
    assert_eq!(first(&Weights::default()), "header.rs");
}
