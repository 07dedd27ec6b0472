//! `pai ask` on the real models: streaming, attachments, JSON, determinism, stopping.
use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::util::{gemma, json_of, stderr_of, stdout_of, Env};

#[test]
fn ask_answers_on_stdout_only() {
    let env = Env::with_smol();
    let out = env
        .pai(&[
            "ask",
            "Name three colors.",
            "--max-tokens",
            "16",
            "--temp",
            "0",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!stdout_of(&out).trim().is_empty());
    assert!(stdout_of(&out).ends_with('\n'));
    assert_eq!(
        stderr_of(&out),
        "",
        "nothing but the answer is written without -v"
    );
}

#[test]
fn json_has_the_answer_model_counts_and_timings() {
    let env = Env::with_smol();
    let out = env
        .pai(&["ask", "Say hi.", "--max-tokens", "4", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let v = json_of(&out);
    assert!(v["answer"].is_string());
    assert_eq!(v["model"], "smol");
    assert!(v["prompt_tokens"].as_u64().unwrap() > 5);
    assert!(v["generated_tokens"].as_u64().unwrap() <= 4);
    for key in [
        "load_ms",
        "prompt_ms",
        "generation_ms",
        "prompt_tps",
        "generation_tps",
    ] {
        assert!(v["timings"][key].is_number(), "timings.{key} missing: {v}");
    }
}

fn prompt_tokens(env: &Env, extra: &[&str], stdin: &str) -> u64 {
    let mut args = vec!["ask", "Say hi.", "--max-tokens", "1", "--json"];
    args.extend_from_slice(extra);
    let out = env.pai(&args).write_stdin(stdin).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    json_of(&out)["prompt_tokens"].as_u64().unwrap()
}

#[test]
fn stdin_and_files_reach_the_prompt() {
    let env = Env::with_smol();
    let mail = "The quarterly report is attached. ".repeat(20);
    let file = env.write("mail.txt", &mail);
    let bare = prompt_tokens(&env, &[], "");
    let with_stdin = prompt_tokens(&env, &[], &mail);
    let with_file = prompt_tokens(&env, &["-f", file.to_str().unwrap()], "");
    let with_both = prompt_tokens(&env, &["-f", file.to_str().unwrap()], &mail);
    assert!(with_stdin >= bare + 100, "{bare} → {with_stdin}");
    assert!(with_file >= bare + 100, "{bare} → {with_file}");
    assert!(with_both >= with_file + 100, "{with_file} → {with_both}");
}

#[test]
fn stdin_alone_is_the_question() {
    let env = Env::with_smol();
    let out = env
        .pai(&["ask", "--max-tokens", "8", "--temp", "0"])
        .write_stdin("What is two plus two?\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!stdout_of(&out).trim().is_empty());
}

#[test]
fn temperature_zero_and_a_seed_repeat_exactly() {
    let env = Env::with_smol();
    let run = |q: &str, temp: &str| {
        let out = env
            .pai(&[
                "ask",
                q,
                "--max-tokens",
                "24",
                "--temp",
                temp,
                "--seed",
                "7",
                // The context cell holds the time: two runs a minute apart read different prompts.
                "--no-context",
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr_of(&out));
        stdout_of(&out)
    };
    assert_eq!(
        run("Name three colors.", "0"),
        run("Name three colors.", "0")
    );
    assert_eq!(
        run("Write a haiku about rain.", "0.9"),
        run("Write a haiku about rain.", "0.9")
    );
    assert_ne!(
        run("Name three colors.", "0"),
        run("Write a haiku about rain.", "0")
    );
}

#[test]
fn a_stop_string_ends_the_answer_and_is_not_printed() {
    let env = Env::with_smol();
    let ask = |extra: &[&str]| {
        let mut args = vec![
            "ask",
            "Write a short story about a cat.",
            "--max-tokens",
            "40",
            "--temp",
            "0",
            "--json",
            "--no-context",
        ];
        args.extend_from_slice(extra);
        let out = env.pai(&args).output().unwrap();
        assert!(out.status.success(), "{}", stderr_of(&out));
        json_of(&out)
    };
    let full = ask(&[]);
    let answer = full["answer"].as_str().unwrap().to_string();
    let words: Vec<&str> = answer.split_whitespace().collect();
    assert!(words.len() > 8, "answer too short to test: {answer}");
    // A stop string from the middle of the greedy answer, possibly spanning tokens.
    let stop = format!("{} {}", words[5], words[6]);
    let cut = ask(&["--stop", &stop]);
    let expected = &answer[..answer.find(&stop).unwrap()];
    assert_eq!(cut["answer"].as_str().unwrap(), expected);
    assert_eq!(cut["stop_reason"], "stop_string");
}

#[test]
fn max_tokens_bounds_the_answer() {
    let env = Env::with_smol();
    let out = env
        .pai(&[
            "ask",
            "Write a long story about a dragon.",
            "--max-tokens",
            "5",
            "--json",
        ])
        .output()
        .unwrap();
    let v = json_of(&out);
    assert_eq!(v["generated_tokens"], 5);
    assert_eq!(v["stop_reason"], "max_tokens");
}

#[test]
fn a_model_without_chat_template_answers_as_plain_completion() {
    let env = Env::new();
    let out = env
        .pai(&[
            "ask",
            "The capital of France is",
            "--max-tokens",
            "8",
            "--temp",
            "0",
            "--model",
        ])
        .arg(gemma())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!stdout_of(&out).trim().is_empty());
}

#[test]
fn pai_model_environment_variable_picks_the_model() {
    let env = Env::with_smol();
    let out = env
        .pai(&["ask", "Hello", "--max-tokens", "2", "--json"])
        .env("PAI_MODEL", gemma())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(json_of(&out)["model"], "gemma-3-270m-q4_k_m.gguf");
}

#[test]
fn the_answer_streams_and_ctrl_c_keeps_what_was_printed() {
    let env = Env::with_smol();
    let mut child = env
        .std_command(&[
            "ask",
            "Write a very long story about a dragon and a knight.",
            "--max-tokens",
            "2000",
            "--temp",
            "0.8",
            "--repeat-penalty",
            "1.3",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    let n = stdout.read(&mut first).unwrap();
    assert!(n > 0, "no streamed output");
    assert!(
        child.try_wait().unwrap().is_none(),
        "the answer arrived only at the end"
    );
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let started = Instant::now();
    let mut rest = Vec::new();
    stdout.read_to_end(&mut rest).unwrap();
    let status = child.wait().unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(status.code(), Some(130));
    let printed =
        String::from_utf8_lossy(&first[..n]).into_owned() + &String::from_utf8_lossy(&rest);
    assert!(
        !printed.trim().is_empty(),
        "what was printed before Ctrl-C is kept"
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let env = Env::with_smol();
    let mut child = env
        .std_command(&[
            "ask",
            "Write a long story about a dragon.",
            "--max-tokens",
            "300",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 4];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(stderr_of(&out), "");
}

#[test]
fn bench_reports_speeds_as_json() {
    let env = Env::with_smol();
    let prompt = env.write(
        "prompt.txt",
        "The quick brown fox jumps over the lazy dog. ".repeat(20),
    );
    let out = env
        .pai(&[
            "bench",
            "--gen",
            "16",
            "--threads",
            "2",
            "--json",
            "--prompt-file",
        ])
        .arg(&prompt)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let v = json_of(&out);
    assert_eq!(v["gen_tokens"], 16, "bench generates a fixed length: {v}");
    assert!(v["prompt_tokens"].as_u64().unwrap() > 150);
    assert!(v["pp_tps"].as_f64().unwrap() > 0.0 && v["tg_tps"].as_f64().unwrap() > 0.0);
    assert!(v["load_s"].as_f64().unwrap() > 0.0);
}
