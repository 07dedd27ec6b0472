//! `pai edit`, `explain` and `complete` as editor filters, and the recipes of docs/editors.md
//! run in real editors: vim, neovim, kakoune and Emacs filter lines 2-3 of a file headless,
//! and only those lines change; with no model the file comes back byte-identical. The VS Code
//! tasks' command lines run in bash. The recipes are read from docs/editors.md itself.
//!
//! CI installs the editors (.ci/run); a missing one fails its test rather than skipping it.
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::util::{stderr_of, stdout_of, Env};

const DOC: &str = "KEEP FIRST\nteh quick brwon fox\njumsp over teh dog\nKEEP LAST\n";

/// docs/editors.md, whose recipes the tests run.
fn editors_md() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/editors.md")).unwrap()
}

/// The body of the first fenced block in docs/editors.md that contains `needle`.
fn doc_block(needle: &str) -> String {
    let doc = editors_md();
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in doc.lines() {
        if line.starts_with("```") {
            match current.take() {
                Some(body) => blocks.push(body),
                None => current = Some(String::new()),
            }
        } else if let Some(body) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    blocks
        .into_iter()
        .find(|body| body.contains(needle))
        .unwrap_or_else(|| panic!("docs/editors.md has no code block with {needle:?}"))
}

/// The line of a code block in docs/editors.md that contains `needle`, trimmed.
fn doc_line(needle: &str) -> String {
    doc_block(needle)
        .lines()
        .find(|line| line.contains(needle))
        .unwrap()
        .trim()
        .to_string()
}

/// The editor's executable on PATH; a test that needs a missing editor fails and says so.
fn editor(program: &str, package: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| {
            panic!(
                "{program} is not installed, so its recipe in docs/editors.md cannot be tested: \
                 `apt-get install {package}` (.ci/run installs it on a fresh machine)"
            )
        })
}

/// PATH with the pai under test first, so the recipes can say `pai` as users do.
fn path_with_pai() -> OsString {
    let pai = assert_cmd::cargo::cargo_bin("pai");
    let mut dirs = vec![pai.parent().unwrap().to_path_buf()];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap()
}

/// An environment with the default model and short answers (`explain` follows
/// `[sampling] max_tokens`; `edit` and `complete` size their own replies), on one thread: tests
/// run side by side, and llama.cpp's threads spin, so two runs on all cores each slow both
/// down many times over on a small machine.
fn recipe_env() -> Env {
    let env = Env::with_smol();
    env.write("config.toml", "threads = 1\n[sampling]\nmax_tokens = 32\n");
    env
}

/// `program` in `env` (PAI_HOME, HOME and the working directory), with pai on PATH and nothing
/// on stdin unless the caller says otherwise.
fn in_env(env: &Env, program: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.env_clear()
        .env("PATH", path_with_pai())
        .env("HOME", env.home.path())
        .env("PAI_HOME", env.home.path())
        .env("TERM", "dumb")
        .current_dir(env.home.path())
        .stdin(Stdio::null());
    cmd
}

/// Runs `cmd` to the end, failing the test if it takes more than five minutes (an editor
/// waiting for input it will never get; a busy machine can take minutes for a model run).
fn run(mut cmd: Command, what: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let (out, err) = (dir.path().join("stdout"), dir.path().join("stderr"));
    cmd.stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    let deadline = Instant::now() + Duration::from_secs(300);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            child.wait().ok();
            panic!(
                "{what} did not finish in 300 s: {}",
                std::fs::read_to_string(&err).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: std::fs::read(&out).unwrap(),
        stderr: std::fs::read(&err).unwrap(),
    }
}

/// Lines 2-3 of DOC were replaced by what pai edit printed: lines 1 and 4 are byte-identical,
/// and between them is a reply that is not empty, not fenced and ends with a newline. The reply
/// may be the two lines as they were: the model keeps them about half the time for "make this a
/// table", so that pai ran at all is shown by the tests of the failure path, where pai's message
/// is found in a log.
fn assert_only_the_middle_replaced(text: &str, what: &str) {
    let middle = text
        .strip_prefix("KEEP FIRST\n")
        .and_then(|rest| rest.strip_suffix("KEEP LAST\n"))
        .unwrap_or_else(|| panic!("{what} touched the lines around the selection: {text:?}"));
    assert!(middle.ends_with('\n'), "{what}: {text:?}");
    assert!(
        !middle.trim().is_empty(),
        "{what}: the selection was replaced by nothing: {text:?}"
    );
    assert!(
        !middle.contains("```"),
        "{what}: fences in the replacement: {text:?}"
    );
}

/// A lisp string literal holding `text`.
fn elisp_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The vim and neovim recipe `:'<,'>!pai edit "…" 2>/dev/null` as an ex command on `range`,
/// its stderr sent to `stderr_to` instead of /dev/null when given.
fn vim_filter(range: &str, stderr_to: Option<&Path>) -> String {
    let recipe = doc_line(":'<,'>!pai edit");
    assert!(recipe.ends_with(" 2>/dev/null"), "{recipe}");
    let filter = recipe.trim_start_matches(':').replacen("'<,'>", range, 1);
    match stderr_to {
        Some(log) => filter.replace("2>/dev/null", &format!("2>{}", log.display())),
        None => filter,
    }
}

/// vim or neovim, headless and without a vimrc, running `commands` on `file` and quitting.
fn vim_like(env: &Env, program: &str, commands: &[&str], file: &Path) -> Output {
    let mut cmd = match program {
        "vim" => {
            let mut cmd = in_env(env, &editor("vim", "vim"));
            cmd.args(["-Nu", "NONE", "-i", "NONE", "-es"]);
            cmd
        }
        _ => {
            let mut cmd = in_env(env, &editor("nvim", "neovim"));
            cmd.args(["--headless", "-u", "NONE", "-i", "NONE"]);
            cmd
        }
    };
    for command in commands {
        cmd.args(["-c", command]);
    }
    cmd.args(["-c", "wq"]).arg(file);
    let out = run(cmd, program);
    assert!(out.status.success(), "{program}: {}", stderr_of(&out));
    out
}

#[test]
fn vim_filters_a_line_range_through_pai_edit() {
    let env = recipe_env();
    let file = env.write("doc.txt", DOC);
    vim_like(&env, "vim", &[&vim_filter("2,3", None)], &file);
    let text = std::fs::read_to_string(&file).unwrap();
    assert_only_the_middle_replaced(&text, "vim");
}

#[test]
fn neovim_filters_a_line_range_through_pai_edit() {
    let env = recipe_env();
    let file = env.write("doc.txt", DOC);
    vim_like(&env, "nvim", &[&vim_filter("2,3", None)], &file);
    let text = std::fs::read_to_string(&file).unwrap();
    assert_only_the_middle_replaced(&text, "neovim");
}

#[test]
fn vim_and_neovim_keep_the_file_when_pai_edit_fails() {
    // No model: pai edit prints the selection back and exits 1. The recipe's 2>/dev/null goes
    // to a file here, to see that pai ran and why it failed.
    for program in ["vim", "nvim"] {
        let env = Env::new();
        let file = env.write("doc.txt", DOC);
        let log = env.path("pai-stderr.txt");
        vim_like(&env, program, &[&vim_filter("2,3", Some(&log))], &file);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), DOC, "{program}");
        let said = std::fs::read_to_string(&log).unwrap_or_default();
        assert!(said.contains("no model"), "{program}: pai said {said:?}");
    }
}

/// `source` of the mappings block of docs/editors.md, written into `env`.
fn source_vim_mappings(env: &Env) -> String {
    let mappings = env.write("mappings.vim", doc_block("xnoremap <leader>e"));
    format!("source {}", mappings.display())
}

#[test]
fn vim_mapping_edits_the_selection_with_a_typed_instruction() {
    // <leader>e on lines 2-3; the instruction holds what vim would expand in a :! command.
    let env = recipe_env();
    let file = env.write("doc.txt", DOC);
    let typed = r#"exe "normal 2GVj\\eFix the spelling! 100% #1, don't \"explain\"\r""#;
    vim_like(&env, "vim", &[&source_vim_mappings(&env), typed], &file);
    let text = std::fs::read_to_string(&file).unwrap();
    assert_only_the_middle_replaced(&text, "vim <leader>e");
}

#[test]
fn vim_mapping_keeps_the_selection_when_pai_edit_fails() {
    // No model; the mapping's 2>/dev/null goes to a log, to see that pai ran and got the
    // typed instruction through vim's :! (a `!` unescaped there stops vim before pai starts).
    let env = Env::new();
    let log = env.path("pai-stderr.txt");
    let mappings =
        doc_block("xnoremap <leader>e").replace("2>/dev/null", &format!("2>{}", log.display()));
    let source = format!("source {}", env.write("mappings.vim", mappings).display());
    let file = env.write("doc.txt", DOC);
    let typed = r#"exe "normal 2GVj\\eFix the spelling! 100% #1, don't \"explain\"\r""#;
    vim_like(&env, "vim", &[&source, typed], &file);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), DOC);
    let said = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(said.contains("no model"), "pai said {said:?}");
}

#[test]
fn vim_mapping_explains_the_selection_and_leaves_it_alone() {
    let env = recipe_env();
    let file = env.write("doc.txt", DOC);
    let keys = r#"exe "normal 2GVj\\x""#;
    let out = vim_like(&env, "vim", &[&source_vim_mappings(&env), keys], &file);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), DOC);
    // vim -es prints a :w !command's output on its stdout; pai's stderr goes to vim's.
    assert!(
        !stdout_of(&out).trim().is_empty(),
        "vim <leader>x showed no explanation: {}",
        stderr_of(&out)
    );
}

#[test]
fn vim_mapping_inserts_the_continuation_below_the_cursor_line() {
    // <leader>c on line 2: lines 1-2 go to pai complete, its reply goes in below line 2.
    let env = recipe_env();
    let code = "fn main() {\n    let greeting = \"hello\";\n}\n";
    let file = env.write("main.rs", code);
    let keys = r#"exe "normal 2G\\c""#;
    vim_like(&env, "vim", &[&source_vim_mappings(&env), keys], &file);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with("fn main() {\n    let greeting = \"hello\";\n")
            && text.ends_with("}\n")
            && text.len() > code.len(),
        "vim <leader>c: {text:?}"
    );
}

/// The kakoune recipe `|pai edit "…"<ret>` on lines 2-3 of `input`, in filter mode: the file on
/// stdin, the result on stdout.
fn kakoune_on_lines_2_3(env: &Env, input: &Path, stderr_to: Option<&Path>) -> String {
    let recipe = doc_line("\"<ret>");
    assert!(recipe.starts_with("|pai edit "), "{recipe}");
    let recipe = match stderr_to {
        Some(log) => recipe.replacen("<ret>", &format!(" 2>{}<ret>", log.display()), 1),
        None => recipe,
    };
    let mut cmd = in_env(env, &editor("kak", "kakoune"));
    cmd.args(["-n", "-f", &format!("2gxJx{recipe}")])
        .stdin(std::fs::File::open(input).unwrap());
    let out = run(cmd, "kak");
    assert!(out.status.success(), "kak: {}", stderr_of(&out));
    stdout_of(&out)
}

#[test]
fn kakoune_pipes_a_selection_through_pai_edit() {
    let env = recipe_env();
    let file = env.write("doc.txt", DOC);
    let text = kakoune_on_lines_2_3(&env, &file, None);
    assert_only_the_middle_replaced(&text, "kakoune");
}

#[test]
fn kakoune_keeps_the_selection_when_pai_edit_fails() {
    // kakoune drops stderr by itself; the test sends it to a file to see that pai ran.
    let env = Env::new();
    let file = env.write("doc.txt", DOC);
    let log = env.path("pai-stderr.txt");
    assert_eq!(kakoune_on_lines_2_3(&env, &file, Some(&log)), DOC);
    let said = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(said.contains("no model"), "pai said {said:?}");
}

/// `emacs -Q --batch` with the elisp block of docs/editors.md loaded, the region on lines 2-3
/// of `file`, then `action`, a save, and `after` (which may print to stdout).
fn emacs_on_lines_2_3(env: &Env, file: &Path, action: &str, after: &str) -> Output {
    let init = env.write("pai.el", doc_block("(defun pai-edit"));
    let script = format!(
        "(progn (switch-to-buffer (current-buffer)) (goto-char (point-min)) (forward-line 1) \
         (set-mark (point)) (forward-line 2) {action} (save-buffer) {after})"
    );
    let mut cmd = in_env(env, &editor("emacs", "emacs-nox"));
    cmd.args(["-Q", "--batch", "-l"])
        .arg(&init)
        .arg(file)
        .args(["--eval", &script]);
    let out = run(cmd, "emacs");
    assert!(out.status.success(), "emacs: {}", stderr_of(&out));
    out
}

/// `C-u M-| COMMAND RET`, COMMAND as docs/editors.md types it.
fn emacs_c_u_m_pipe() -> String {
    let keys = doc_line("C-u M-| pai edit");
    let command = keys
        .strip_prefix("C-u M-| ")
        .and_then(|rest| rest.strip_suffix(" RET"))
        .unwrap_or_else(|| panic!("{keys}"));
    format!(
        "(execute-kbd-macro (vconcat (kbd \"C-u M-|\") {} (kbd \"RET\")))",
        elisp_string(command)
    )
}

#[test]
fn emacs_c_u_m_pipe_replaces_the_region_through_pai_edit() {
    let env = recipe_env();
    let file = env.write("doc.txt", DOC);
    emacs_on_lines_2_3(&env, &file, &emacs_c_u_m_pipe(), "");
    let text = std::fs::read_to_string(&file).unwrap();
    assert_only_the_middle_replaced(&text, "emacs C-u M-|");
}

#[test]
fn emacs_keeps_the_region_when_pai_edit_fails() {
    let env = Env::new();
    let file = env.write("doc.txt", DOC);
    let errors = "(princ (with-current-buffer \"*Shell Command Errors*\" (buffer-string)))";
    let out = emacs_on_lines_2_3(&env, &file, &emacs_c_u_m_pipe(), errors);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), DOC);
    assert!(stdout_of(&out).contains("no model"), "{}", stdout_of(&out));
}

#[test]
fn emacs_pai_edit_command_replaces_the_region() {
    let env = recipe_env();
    let file = env.write("doc.txt", DOC);
    emacs_on_lines_2_3(&env, &file, "(pai-edit \"Fix the spelling.\")", "");
    let text = std::fs::read_to_string(&file).unwrap();
    assert_only_the_middle_replaced(&text, "emacs pai-edit");

    let env = Env::new();
    let file = env.write("doc.txt", DOC);
    let errors = "(princ (with-current-buffer \"*pai errors*\" (buffer-string)))";
    let out = emacs_on_lines_2_3(&env, &file, "(pai-edit \"Fix the spelling.\")", errors);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), DOC);
    assert!(stdout_of(&out).contains("no model"), "{}", stdout_of(&out));
}

#[test]
fn vscode_task_command_lines_run_in_bash() {
    let tasks: serde_json::Value = serde_json::from_str(&doc_block("\"tasks\"")).unwrap();
    let command = |label: &str| {
        tasks["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|task| task["label"] == label)
            .unwrap_or_else(|| panic!("no task {label:?}"))["command"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // VS Code replaces the variables it knows by their text before the shell sees the line.
    let fill = |command: String, env: &Env| {
        let dir = env.path("my project");
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("notes file.txt");
        std::fs::write(&file, DOC).unwrap();
        let line = command
            .replace("${file}", &file.display().to_string())
            .replace("${fileBasename}", "notes file.txt")
            .replace("${lineNumber}", "2")
            .replace("${input:instruction}", "Fix the spelling, don't explain.");
        assert!(
            !line.contains("${"),
            "a variable the test does not fill: {line}"
        );
        line
    };
    let bash = |env: &Env, line: &str| {
        let mut cmd = in_env(env, Path::new("bash"));
        cmd.args(["-c", line]);
        run(cmd, "bash")
    };

    let env = recipe_env();
    let out = bash(&env, &fill(command("pai: explain file"), &env));
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!stdout_of(&out).trim().is_empty());

    let edit = command("pai: edit the cursor line");
    let out = bash(&env, &fill(edit.clone(), &env));
    assert!(out.status.success(), "{}", stderr_of(&out));
    let reply = stdout_of(&out);
    assert!(
        !reply.trim().is_empty() && reply.ends_with('\n'),
        "{reply:?}"
    );
    assert!(
        !reply.contains("KEEP"),
        "more than the cursor line went to pai: {reply:?}"
    );

    let env = Env::new();
    let out = bash(&env, &fill(edit, &env));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout_of(&out), "teh quick brwon fox\n");
    assert!(stderr_of(&out).contains("no model"), "{}", stderr_of(&out));
}

#[test]
fn edit_keeps_indentation_and_the_final_newline() {
    let env = Env::with_smol();
    let out = env
        .pai(&[
            "edit",
            "Rename x to y.",
            "--max-tokens",
            "24",
            "--temp",
            "0",
            "--no-context",
        ])
        .write_stdin("    let x = 1;\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    assert!(text.ends_with('\n') && !text.ends_with("\n\n"), "{text:?}");
    assert!(text.starts_with("    "), "{text:?}");
}

#[test]
fn a_failed_edit_gives_the_selection_back() {
    let env = Env::new();
    let out = env
        .pai(&["edit", "Fix it."])
        .write_stdin("keep me\n  as I am\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout_of(&out), "keep me\n  as I am\n");
    assert!(stderr_of(&out).contains("no model"), "{}", stderr_of(&out));
}

#[test]
fn edit_with_nothing_on_stdin_says_so() {
    let out = Env::with_smol().pai(&["edit", "Fix it."]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout_of(&out).is_empty());
    assert!(
        stderr_of(&out).contains("nothing on stdin"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn explain_streams_an_explanation() {
    let env = Env::with_smol();
    let out = env
        .pai(&["explain", "--max-tokens", "24", "--no-context"])
        .write_stdin("fn add(a: i32, b: i32) -> i32 { a + b }\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!stdout_of(&out).trim().is_empty());
}

#[test]
fn complete_prints_only_the_continuation_and_says_when_it_cannot_fill_the_middle() {
    let env = Env::with_smol();
    let suffix = env.write("suffix.txt", "\n}\n");
    let prefix = "fn main() {\n    let greeting = ";
    let out = env
        .pai(&[
            "complete",
            "--max-tokens",
            "8",
            "--temp",
            "0",
            "--suffix-file",
        ])
        .arg(&suffix)
        .write_stdin(prefix)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!stdout_of(&out).starts_with(prefix));
    assert!(!stdout_of(&out).is_empty());
    assert!(
        stderr_of(&out).contains("no fill-in-the-middle tokens"),
        "{}",
        stderr_of(&out)
    );
}
