//! Roles through the binary: a user role overrides a shipped one, its prompt reaches the
//! prompt, its sampling applies under the flags, its scope and `context = false` decide what
//! is gathered, and a bad file or name is one clear error. `/role` in the chat, in a terminal.
use crate::chat::Tmux;
use crate::util::{json_of, stderr_of, Env};

/// Writes `roles/NAME.md` beside config.toml.
fn role(env: &Env, name: &str, front: &str, body: &str) -> std::path::PathBuf {
    std::fs::create_dir_all(env.path("roles")).unwrap();
    env.write(
        &format!("roles/{name}.md"),
        format!("+++\n{front}+++\n{body}\n"),
    )
}

fn context(env: &Env, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["context", "--json"];
    all.extend_from_slice(args);
    let out = env.pai(&all).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    json_of(&out)
}

#[test]
fn a_user_role_overrides_a_shipped_one_and_its_prompt_and_sampling_apply() {
    let env = Env::with_smol();
    let shipped = context(&env, &["hello", "--role", "writer", "--no-context"]);
    assert!(shipped["prompt"]
        .as_str()
        .unwrap()
        .contains("in their own voice"));
    let file = role(
        &env,
        "writer",
        "description = \"mine\"\ntemp = 0\nmax_tokens = 3\n",
        "You are a heron. Marker: heron-77.",
    );
    let list = json_of(&env.pai(&["role", "list", "--json"]).output().unwrap());
    let writer = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "writer")
        .unwrap();
    assert_eq!(writer["source"], "user");
    assert_eq!(writer["path"], file.display().to_string());
    assert_eq!(writer["description"], "mine");

    let prompt = context(&env, &["hello", "--role", "writer"])["prompt"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(prompt.contains("heron-77"), "{prompt}");
    assert!(!prompt.contains("in their own voice"), "{prompt}");
    assert!(
        !prompt.contains("You are pai"),
        "the role's prompt replaces pai's"
    );

    let story = [
        "ask",
        "Write a long story about a dragon.",
        "--no-context",
        "--json",
    ];
    let tokens = |extra: &[&str]| {
        let mut args = story.to_vec();
        args.extend_from_slice(extra);
        let out = env.pai(&args).output().unwrap();
        assert!(out.status.success(), "{}", stderr_of(&out));
        json_of(&out)["generated_tokens"].as_u64().unwrap()
    };
    assert_eq!(tokens(&["--role", "writer"]), 3, "the role's max_tokens");
    assert_eq!(
        tokens(&["--role", "writer", "-n", "5"]),
        5,
        "a flag beats the role"
    );
}

#[test]
fn scope_keeps_excerpts_inside_its_globs_and_context_false_gathers_nothing() {
    let env = Env::with_smol();
    for folder in ["alpha", "beta"] {
        std::fs::create_dir_all(env.path(folder)).unwrap();
        env.write(
            &format!("{folder}/wireguard.md"),
            format!("# WireGuard on {folder}\n\nThe {folder} tunnel listens on port 51820.\n"),
        );
        env.pai(&["index", "add"])
            .arg(env.path(folder))
            .assert()
            .success();
    }
    env.write("profile.md", "I am Ada, and I like short answers.\n");
    let paths = |v: &serde_json::Value| -> Vec<String> {
        v["sources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["path"].as_str().unwrap().to_string())
            .collect()
    };
    let question = "which port does the wireguard tunnel listen on?";
    let all = paths(&context(&env, &[question]));
    assert!(all.iter().any(|p| p.contains("/beta/")), "{all:?}");
    assert!(all.iter().any(|p| p.contains("/alpha/")), "{all:?}");

    role(
        &env,
        "alpha-only",
        "description = \"d\"\nscope = [\"alpha/**\"]\n",
        "Hi.",
    );
    let scoped = paths(&context(&env, &[question, "--role", "alpha-only"]));
    assert!(!scoped.is_empty());
    assert!(scoped.iter().all(|p| p.contains("/alpha/")), "{scoped:?}");

    role(
        &env,
        "bare",
        "description = \"d\"\ncontext = false\n",
        "Hi.",
    );
    let bare = context(&env, &[question, "--role", "bare"]);
    assert!(paths(&bare).is_empty());
    let prompt = bare["prompt"].as_str().unwrap();
    assert!(
        !prompt.contains("Ada") && !prompt.contains("Now: "),
        "{prompt}"
    );
}

#[test]
fn a_bad_front_matter_line_and_an_unknown_role_are_one_clear_error() {
    let env = Env::new();
    role(
        &env,
        "bad",
        "description = \"d\"\n\ntemprature = 0.3\n",
        "Hi.",
    );
    let out = env.pai(&["ask", "hi", "--role", "bad"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains("roles/bad.md:4: unknown field `temprature`"),
        "{err}"
    );

    let out = env.pai(&["role", "show", "sysadmn"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("there is no role 'sysadmn'"), "{err}");
    assert!(
        err.contains("the roles are: sysadmin, "),
        "closest first: {err}"
    );
}

#[test]
fn role_in_the_chat_switches_and_names_the_role() {
    let env = Env::with_smol();
    role(
        &env,
        "terse",
        "description = \"says little\"\nmax_tokens = 2\n",
        "Be brief.",
    );
    let tmux = Tmux::start(&env, "chat --temp 0 --no-context");
    tmux.wait_for("Ask anything");
    tmux.keys(&["/role", "Enter"]);
    tmux.wait_for("no role");
    tmux.keys(&["/role nope", "Enter"]);
    tmux.wait_for("there is no role 'nope'");
    tmux.keys(&["/role terse", "Enter"]);
    tmux.wait_for("now answering as terse: says little");
    tmux.wait_for(" smol as terse │");
    tmux.keys(&["Write a long story about a dragon.", "Enter"]);
    tmux.wait_until("a finished answer", |s| {
        s.contains(" tok/s │ context") && !s.contains("– tok/s")
    });
    tmux.keys(&["/context", "Enter"]);
    tmux.wait_for("last answer: 2 tokens");
    // Any key closes the overlay; a key sent right after Escape would read as Alt-key.
    tmux.keys(&["Escape"]);
    tmux.wait_until("the overlay closed", |s| !s.contains("last answer"));
    tmux.keys(&["/role", "Enter"]);
    tmux.wait_for("answering as terse: says little");
    tmux.keys(&["/quit", "Enter"]);
    tmux.wait_for("EXITED 0");
}
