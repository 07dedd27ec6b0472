//! The registry round trip and the commands that must stay light.
use crate::util::{gemma, json_of, smollm2, stderr_of, stdout_of, Env};

#[test]
fn add_list_info_default_rm() {
    let env = Env::new();
    env.pai(&["model", "add"])
        .arg(smollm2())
        .args(["--name", "smol"])
        .assert()
        .success();
    env.pai(&["model", "add"]).arg(gemma()).assert().success();

    let list = json_of(&env.pai(&["model", "list", "--json"]).output().unwrap());
    let models = list.as_array().unwrap();
    assert_eq!(models.len(), 2);
    let smol = &models[0];
    assert_eq!(smol["name"], "smol");
    assert_eq!(smol["architecture"], "llama");
    assert_eq!(smol["quantization"], "Q4_1");
    assert_eq!(smol["context_length"], 8192);
    assert_eq!(smol["chat_template"], true);
    assert_eq!(
        smol["default"], true,
        "the first model added is the default"
    );
    let g = &models[1];
    assert_eq!(g["name"], "gemma-3-270m-q4_k_m");
    assert_eq!(g["architecture"], "gemma3");
    assert_eq!(g["chat_template"], false);
    assert!(g["parameters"].as_u64().unwrap() > 200_000_000);

    let info = env.pai(&["model", "info", "smol"]).output().unwrap();
    let text = stdout_of(&info);
    assert!(
        text.contains("architecture:  llama") && text.contains("chat template: yes"),
        "{text}"
    );

    env.pai(&["model", "default", "gemma-3-270m-q4_k_m"])
        .assert()
        .success();
    let table = stdout_of(&env.pai(&["model", "list"]).output().unwrap());
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("* gemma-3-270m-q4_k_m")),
        "{table}"
    );

    env.pai(&["model", "rm", "smol"]).assert().success();
    assert!(smollm2().exists(), "a file added by path is never deleted");
    let list = json_of(&env.pai(&["model", "list", "--json"]).output().unwrap());
    assert_eq!(list.as_array().unwrap().len(), 1);
    let out = env.pai(&["model", "rm", "smol"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("no model named 'smol'"));
}

#[test]
fn config_path_show_example_init() {
    let env = Env::new();
    let path = stdout_of(&env.pai(&["config", "path"]).output().unwrap());
    assert_eq!(path.trim(), env.path("config.toml").display().to_string());
    let shown = stdout_of(&env.pai(&["config", "show"]).output().unwrap());
    assert!(shown.contains("max_tokens = 512"), "{shown}");
    env.pai(&["config", "init"]).assert().success();
    assert!(env.path("config.toml").exists());
    env.pai(&["config", "init"]).assert().failure();
    env.write("config.toml", "threads = 3\n");
    let shown = stdout_of(&env.pai(&["config", "show"]).output().unwrap());
    assert!(shown.contains("threads = 3"), "{shown}");
}

#[test]
fn doctor_reports_problems_and_readiness() {
    let env = Env::new();
    let out = env.pai(&["doctor"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout_of(&out).contains("no models registered"));
    let env = Env::with_smol();
    let out = env.pai(&["doctor"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        stdout_of(&out),
        stderr_of(&out)
    );
    assert!(stdout_of(&out).contains("pai is ready"));
}

#[test]
fn pai_home_holds_every_file() {
    let env = Env::with_smol();
    env.pai(&["ask", "hi", "--max-tokens", "1"])
        .assert()
        .success();
    let mut entries: Vec<String> = std::fs::read_dir(env.home.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    // The registry, the verdict of the model's first load in a child process, and the saved
    // state of the prompt's stable beginning.
    assert_eq!(
        entries,
        ["load-verdicts.json", "models.toml", "prompt-cache"]
    );
}
