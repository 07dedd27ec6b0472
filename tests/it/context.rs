//! The context builder through `pai context` and `pai ask`: sections, the budget, the profile,
//! the context cell in a real git repository, and visible trimming.
use crate::util::{json_of, stderr_of, stdout_of, Env};

fn context_json(env: &Env, args: &[&str], stdin: &str) -> serde_json::Value {
    let mut all = vec!["context", "--json"];
    all.extend_from_slice(args);
    let out = env.pai(&all).write_stdin(stdin).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    json_of(&out)
}

#[test]
fn context_shows_every_section_and_the_prompt() {
    let env = Env::with_smol();
    let v = context_json(
        &env,
        &["Summarize this email."],
        "Dear team, the meeting moves to Friday.\n",
    );
    let prompt = v["prompt"].as_str().unwrap();
    assert!(
        prompt.contains("<|im_start|>system"),
        "the chat template is applied: {prompt}"
    );
    assert!(prompt.contains("the meeting moves to Friday"));
    assert!(prompt.contains("Summarize this email."));
    assert!(prompt.contains("Now: "), "the context cell is there");
    let names: Vec<&str> = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "system prompt",
            "context cell",
            "attachment stdin",
            "question"
        ]
    );
    assert_eq!(
        v["window"], 8192,
        "the window is the model's trained length"
    );
    let text = stdout_of(&env.pai(&["context", "hello"]).output().unwrap());
    assert!(
        text.contains("in all, as the model's chat template"),
        "{text}"
    );
}

#[test]
fn context_counts_what_ask_sends() {
    let env = Env::with_smol();
    let v = context_json(&env, &["Name three colors.", "--no-context"], "");
    let out = env
        .pai(&[
            "ask",
            "Name three colors.",
            "--no-context",
            "--max-tokens",
            "1",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(json_of(&out)["prompt_tokens"], v["prompt_tokens"]);
}

#[test]
fn the_budget_is_never_exceeded_and_cuts_are_reported() {
    let env = Env::with_smol();
    let log: String = (1..=400)
        .map(|i| {
            format!(
                "2026-11-25 10:{:02}:{:02} worker {i} finished job ok\n",
                i / 60,
                i % 60
            )
        })
        .collect();
    for ctx in ["128", "256", "512", "1024"] {
        let out = env
            .pai(&[
                "context",
                "--json",
                "What failed?",
                "--ctx",
                ctx,
                "--max-tokens",
                "64",
            ])
            .write_stdin(log.clone())
            .output()
            .unwrap();
        assert!(out.status.success(), "--ctx {ctx}: {}", stderr_of(&out));
        let v = json_of(&out);
        let used = v["prompt_tokens"].as_u64().unwrap() + v["answer_reserve"].as_u64().unwrap();
        assert!(used <= ctx.parse().unwrap(), "--ctx {ctx}: {used} tokens");
        assert!(
            stderr_of(&out).contains(&format!("to fit the {ctx}-token context window")),
            "cuts are said: {}",
            stderr_of(&out)
        );
        let prompt = v["prompt"].as_str().unwrap();
        if ctx == "128" {
            // The system prompt and the question leave no room for any of the log.
            assert!(stderr_of(&out).contains("left out the attachment stdin"));
            continue;
        }
        assert!(
            prompt.contains("worker 1 finished") && prompt.contains("worker 400 finished"),
            "both ends kept"
        );
        assert!(prompt.contains("lines cut to fit the context window"));
    }
    let out = env
        .pai(&["ask", "What failed?", "--ctx", "256", "--max-tokens", "8"])
        .write_stdin(log)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("to fit the 256-token context window"));
}

#[test]
fn the_profile_is_read_and_no_context_leaves_it_out() {
    let env = Env::with_smol();
    env.write(
        "profile.md",
        "I look after a Proxmox homelab called bramble.\n",
    );
    let v = context_json(&env, &["What is my homelab called?"], "");
    assert!(v["prompt"]
        .as_str()
        .unwrap()
        .contains("Proxmox homelab called bramble"));
    let v = context_json(&env, &["What is my homelab called?", "--no-context"], "");
    let prompt = v["prompt"].as_str().unwrap();
    assert!(
        !prompt.contains("bramble") && !prompt.contains("Now: "),
        "{prompt}"
    );
}

#[test]
fn the_context_cell_knows_the_git_branch() {
    let env = Env::with_smol();
    let repo = env.path("repo");
    std::fs::create_dir(&repo).unwrap();
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(&repo)
            .env("HOME", env.home.path())
            .output()
            .unwrap();
        assert!(
            ok.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&ok.stderr)
        );
    };
    git(&["init", "-q", "-b", "feature-x"]);
    std::fs::write(repo.join("a.txt"), "a").unwrap();
    let out = env
        .pai(&["context", "--json", "hi"])
        .current_dir(&repo)
        .output()
        .unwrap();
    let prompt = json_of(&out)["prompt"].as_str().unwrap().to_string();
    assert!(
        prompt.contains("Git: branch feature-x (no commits yet), 1 untracked"),
        "{prompt}"
    );
    assert!(prompt.contains(&format!("Working directory: {}", repo.display())));
}

#[test]
fn escape_sequences_in_attachments_are_not_printed() {
    let env = Env::with_smol();
    let out = env
        .pai(&["context", "Summarize."])
        .write_stdin("a \x1b]2;PWNED\x07 b \x1b[2J c\n")
        .output()
        .unwrap();
    let text = stdout_of(&out);
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
    assert!(text.contains("PWNED"), "the text itself stays visible");
}

#[test]
fn context_says_why_each_excerpt_went_in_or_stayed_out() {
    let env = Env::with_smol();
    let notes = env.path("notes");
    std::fs::create_dir(&notes).unwrap();
    let filler: String = (1..=12)
        .map(|i| format!("- peer {i} was added in week {i}\n"))
        .collect();
    std::fs::write(
        notes.join("wireguard.md"),
        format!("# WireGuard\n\n{filler}\nThe server listens on port 51877.\n\n{filler}"),
    )
    .unwrap();
    std::fs::write(
        notes.join("sauce.md"),
        "# Sauce\n\nReduce the port wine with shallots; the server brings it warm.\n",
    )
    .unwrap();
    env.pai(&["index", "add", notes.to_str().unwrap()])
        .assert()
        .success();
    let question = "Which port does the WireGuard server listen on?";
    let v = context_json(&env, &[question], "");
    let choices = v["choices"].as_array().unwrap();
    assert_eq!(choices.len(), 2, "{v}");
    assert_eq!(choices[0]["kept"], true, "{v}");
    assert_eq!(
        choices[0]["lines"],
        serde_json::json!([[1, 1], [16, 16]]),
        "{v}"
    );
    assert_eq!(choices[1]["kept"], false, "{v}");
    assert!(choices[1]["share"].as_f64().unwrap() < 0.8, "{v}");
    assert!(
        choices[1]["rule"].as_str().unwrap().contains("leads"),
        "{v}"
    );
    let prompt = v["prompt"].as_str().unwrap();
    assert!(prompt.contains("port 51877"), "{prompt}");
    assert!(
        !prompt.contains("peer 1 was"),
        "only the passage goes in: {prompt}"
    );
    assert!(!prompt.contains("shallots"), "{prompt}");
    let text = stdout_of(&env.pai(&["context", question]).output().unwrap());
    assert!(text.contains("in, lines 1, 16: top hit"), "{text}");
    assert!(text.contains("out: the top hit leads"), "{text}");
    // A question the notes barely touch gets no excerpt at all.
    let v = context_json(
        &env,
        &["What is a good wine for a cheese fondue tonight?"],
        "",
    );
    assert_eq!(v["sources"], serde_json::json!([]), "{v}");
    assert!(
        v["choices"][0]["rule"]
            .as_str()
            .unwrap()
            .contains("weak match"),
        "{v}"
    );
}

/// A question that asks for a site ranks the page holding its link first, and the excerpt
/// keeps the line with the address (an HTML link's target is kept as text).
#[test]
fn a_question_for_a_site_gets_the_line_with_its_address() {
    let env = Env::with_smol();
    let notes = env.path("notes");
    std::fs::create_dir(&notes).unwrap();
    std::fs::write(
        notes.join("bookmarks.html"),
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<H1>Bookmarks</H1>\n<DL><p>\n\
         <DT><H3>Bikes</H3>\n<DL><p>\n\
         <DT><A HREF=\"https://www.sheldonbrown.com/\" ADD_DATE=\"1\">Sheldon Brown</A>\n\
         <DD>everything about bicycle repair, gear ratios, tyre sizes\n\
         <DT><A HREF=\"https://www.example.org/routes\">Canal loop route</A>\n\
         </DL><p>\n</DL><p>\n",
    )
    .unwrap();
    std::fs::write(
        notes.join("bike-log.md"),
        "# Bike log\n\nBicycle repair on Saturday: new chain, 12 euros.\n",
    )
    .unwrap();
    env.pai(&["index", "add", notes.to_str().unwrap()])
        .assert()
        .success();
    let v = context_json(&env, &["that website for bicycle repair"], "");
    let first = &v["choices"][0];
    assert!(
        first["path"].as_str().unwrap().ends_with("bookmarks.html"),
        "{v}"
    );
    let prompt = v["prompt"].as_str().unwrap();
    assert!(
        prompt.contains("Sheldon Brown (https://www.sheldonbrown.com/)"),
        "{prompt}"
    );
    assert!(!prompt.contains("Canal loop"), "{prompt}");
    // The same words without asking for a site rank the log first.
    let v = context_json(&env, &["bicycle repair"], "");
    assert!(
        v["choices"][0]["path"]
            .as_str()
            .unwrap()
            .ends_with("bike-log.md"),
        "{v}"
    );
}
