//! `pai sandbox` on the real kernel: writes outside the working folder, the temp folder and
//! --allow-write folders fail, TCP connect and bind fail without --net, the exit status passes
//! through, and `pai shell --yes` runs its command in the same sandbox.
//!
//! Each test gets its own folders under a temporary PAI_HOME: `work` (the working folder),
//! `tmp` ($TMPDIR) and `outside` (neither), so that nothing else in /tmp is writable to the
//! confined command and an escape is visible.
use std::path::PathBuf;
use std::process::Output;

use crate::util::{stderr_of, stdout_of, Env};

struct Jail {
    env: Env,
    work: PathBuf,
    tmp: PathBuf,
    outside: PathBuf,
}

impl Jail {
    fn new() -> Self {
        Self::with(Env::new())
    }

    fn with(env: Env) -> Self {
        let [work, tmp, outside] = ["work", "tmp", "outside"].map(|d| {
            let p = env.path(d);
            std::fs::create_dir_all(&p).unwrap();
            p
        });
        Self {
            env,
            work,
            tmp,
            outside,
        }
    }

    /// `pai ARGS` in `work`, with `tmp` as $TMPDIR.
    fn pai(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = self.env.pai(args);
        cmd.current_dir(&self.work).env("TMPDIR", &self.tmp);
        cmd
    }

    /// `pai sandbox FLAGS -- sh -c SCRIPT`; `$OUT` in the script is the outside folder.
    fn sh(&self, flags: &[&str], script: &str) -> Output {
        let mut args = vec!["sandbox"];
        args.extend_from_slice(flags);
        args.extend_from_slice(&["--", "sh", "-c", script]);
        self.pai(&args).env("OUT", &self.outside).output().unwrap()
    }

    fn outside_str(&self) -> String {
        self.outside.display().to_string()
    }
}

#[test]
fn a_write_outside_the_allowed_folders_fails_and_changes_nothing() {
    let jail = Jail::new();
    let out = jail.sh(&[], "echo x > \"$OUT/new\"");
    assert!(!out.status.success(), "the write escaped");
    assert!(!jail.outside.join("new").exists());

    std::fs::write(jail.outside.join("keep"), "kept").unwrap();
    for script in [
        "rm -f \"$OUT/keep\"",
        ": > \"$OUT/keep\"",
        "mkdir \"$OUT/dir\"",
        "echo x > here && mv here \"$OUT/moved\"",
    ] {
        let out = jail.sh(&[], script);
        assert!(!out.status.success(), "{script} succeeded");
    }
    assert_eq!(
        std::fs::read_to_string(jail.outside.join("keep")).unwrap(),
        "kept"
    );
    assert!(!jail.outside.join("dir").exists());
    assert!(!jail.outside.join("moved").exists());
}

#[test]
fn writes_in_the_working_folder_the_temp_folder_and_dev_null_work() {
    let jail = Jail::new();
    let out = jail.sh(
        &[],
        "echo a > here && mkdir sub && echo b > sub/f && rm sub/f && rmdir sub \
         && echo c > \"$TMPDIR/there\" && cat \"$TMPDIR/there\" && echo d > /dev/null \
         && echo \"$TMPDIR\"",
    );
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(
        std::fs::read_to_string(jail.work.join("here")).unwrap(),
        "a\n"
    );
    // The command's temp folder is its own, inside $TMPDIR, and gone when it ends.
    let said = stdout_of(&out);
    let mut lines = said.lines();
    assert_eq!(lines.next(), Some("c"));
    let private = std::path::PathBuf::from(lines.next().unwrap());
    assert!(private.starts_with(&jail.tmp), "{}", private.display());
    assert!(!private.exists(), "{} was left behind", private.display());
}

#[test]
fn the_shared_temp_folder_is_not_writable() {
    let jail = Jail::new();
    let shared = jail.tmp.join("shared");
    let out = jail.sh(&[], &format!("echo x > {}", shared.display()));
    assert!(!out.status.success());
    assert!(
        !shared.exists(),
        "a file in the shared temp folder was written"
    );
}

#[test]
fn allow_write_opens_that_folder_and_no_other() {
    let jail = Jail::new();
    let other = jail.env.path("other");
    std::fs::create_dir_all(&other).unwrap();
    let outside = jail.outside_str();
    let out = jail.sh(&["--allow-write", &outside], "echo x > \"$OUT/f\"");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(jail.outside.join("f").exists());

    let script = format!("echo x > '{}/f'", other.display());
    let out = jail.sh(&["--allow-write", &outside], &script);
    assert!(!out.status.success());
    assert!(!other.join("f").exists());
}

#[test]
fn a_missing_allow_write_folder_is_an_error_and_nothing_runs() {
    let jail = Jail::new();
    let missing = jail.env.path("missing").display().to_string();
    let out = jail.sh(&["--allow-write", &missing], "echo x > ran");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("missing"), "{}", stderr_of(&out));
    assert!(!jail.work.join("ran").exists());
}

#[test]
fn tcp_connect_needs_net() {
    let jail = Jail::new();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let script = format!("exec 3<>/dev/tcp/127.0.0.1/{port}");
    let connect = |flags: &[&str]| {
        let mut args = vec!["sandbox"];
        args.extend_from_slice(flags);
        args.extend_from_slice(&["--", "bash", "-c", &script]);
        jail.pai(&args).output().unwrap()
    };
    let out = connect(&[]);
    assert!(!out.status.success(), "connected without --net");
    let out = connect(&["--net"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
}

#[test]
fn tcp_bind_needs_net() {
    let jail = Jail::new();
    let script = "import socket\ns = socket.socket()\ns.bind(('127.0.0.1', 0))\ns.listen()";
    let bind = |flags: &[&str]| {
        let mut args = vec!["sandbox"];
        args.extend_from_slice(flags);
        args.extend_from_slice(&["--", "python3", "-c", script]);
        jail.pai(&args).output().unwrap()
    };
    let out = bind(&[]);
    assert!(!out.status.success(), "bound without --net");
    assert!(
        stderr_of(&out).contains("PermissionError"),
        "{}",
        stderr_of(&out)
    );
    let out = bind(&["--net"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
}

#[test]
fn the_exit_status_is_the_commands() {
    let jail = Jail::new();
    let out = jail.sh(&[], "exit 7");
    assert_eq!(out.status.code(), Some(7));
    assert_eq!(stderr_of(&out), "", "pai added words to a plain failure");
    // A command ended by signal N gives 128+N, as a shell reports it.
    let out = jail.sh(&[], "kill -TERM $$");
    assert_eq!(out.status.code(), Some(128 + 15));

    let out = jail
        .pai(&["sandbox", "--", "pai-no-such-command"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(127));
    assert!(
        stderr_of(&out).contains("pai-no-such-command: command not found"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn stdin_stdout_and_stderr_pass_through() {
    let jail = Jail::new();
    let out = jail
        .pai(&["sandbox", "--", "sh", "-c", "cat; echo err >&2"])
        .write_stdin("hello\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(stdout_of(&out), "hello\n");
    assert_eq!(stderr_of(&out), "err\n");
}

#[test]
fn no_sandbox_runs_unconfined_and_says_so() {
    let jail = Jail::new();
    let out = jail.sh(&["--no-sandbox"], "echo x > \"$OUT/f\"");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(jail.outside.join("f").exists());
    assert!(
        stderr_of(&out).contains("unconfined"),
        "{}",
        stderr_of(&out)
    );
}

/// A $SHELL that reports what the sandbox let it do: `ran` in the working folder when it
/// runs, and an attempt to write into the outside folder.
fn probing_shell(jail: &Jail) -> PathBuf {
    let shell = jail.env.write(
        "probe-sh",
        format!(
            "#!/bin/sh\necho \"$@\" > ran\necho x > '{}/escaped' 2>/dev/null\nexit 0\n",
            jail.outside.display()
        ),
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&shell, std::fs::Permissions::from_mode(0o755)).unwrap();
    shell
}

fn shell_yes(jail: &Jail, extra: &[&str]) -> Output {
    let mut args = vec![
        "shell",
        "list the files in this folder",
        "--temp",
        "0",
        "--no-context",
        "--yes",
    ];
    args.extend_from_slice(extra);
    jail.pai(&args)
        .env("SHELL", probing_shell(jail))
        .output()
        .unwrap()
}

// Whatever command the model proposes, pai shell hands it to $SHELL; the probing $SHELL shows
// that the process it starts is confined, which holds for any command.
#[test]
fn shell_yes_runs_the_command_in_the_sandbox() {
    let jail = Jail::with(Env::with_smol());
    let out = shell_yes(&jail, &[]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let ran = std::fs::read_to_string(jail.work.join("ran")).unwrap();
    assert!(ran.starts_with("-c "), "{ran}");
    assert!(
        !jail.outside.join("escaped").exists(),
        "pai shell ran its command unconfined"
    );
}

#[test]
fn shell_no_sandbox_runs_unconfined_and_says_so() {
    let jail = Jail::with(Env::with_smol());
    let out = shell_yes(&jail, &["--no-sandbox"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(jail.work.join("ran").exists());
    assert!(jail.outside.join("escaped").exists());
    assert!(
        stderr_of(&out).contains("unconfined"),
        "{}",
        stderr_of(&out)
    );
}
