//! The test environment: a temporary PAI_HOME and HOME per test, a clean set of variables,
//! and the paths of the two real models.
use std::path::{Path, PathBuf};

pub fn model_cache() -> PathBuf {
    if let Some(dir) = std::env::var_os("PAI_MODEL_CACHE") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let xdg = std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from);
    xdg.unwrap_or_else(|| home.join(".cache"))
        .join("pai-models")
}

fn model(file: &str) -> PathBuf {
    let path = model_cache().join(file);
    assert!(
        path.exists(),
        "{} is missing: run scripts/fetch-models.sh first (the README's test command does)",
        path.display()
    );
    path
}

/// SmolLM2-135M-Instruct Q4_1: the default model, with a chat template.
pub fn smollm2() -> PathBuf {
    model("SmolLM2-135M-Instruct.Q4_1.gguf")
}

/// gemma-3-270m Q4_K_M: a base model without a chat template.
pub fn gemma() -> PathBuf {
    model("gemma-3-270m-q4_k_m.gguf")
}

/// all-MiniLM-L6-v2 in f16: the sentence encoder for semantic sources.
pub fn minilm() -> PathBuf {
    model("all-MiniLM-L6-v2.f16.gguf")
}

pub struct Env {
    pub home: tempfile::TempDir,
    /// Variables every command of this environment gets besides the isolating ones.
    extra: std::cell::RefCell<Vec<(&'static str, String)>>,
}

impl Env {
    pub fn new() -> Self {
        Self {
            home: tempfile::tempdir().unwrap(),
            extra: Default::default(),
        }
    }

    /// Sets `name` for every command started from now on.
    pub fn set_var(&self, name: &'static str, value: impl Into<String>) {
        self.extra.borrow_mut().push((name, value.into()));
    }

    /// An environment whose default model is SmolLM2, registered as "smol".
    pub fn with_smol() -> Self {
        let env = Self::new();
        env.pai(&["model", "add"])
            .arg(smollm2())
            .args(["--name", "smol"])
            .assert()
            .success();
        env
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.home.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// Writes config.toml where pai reads it (`pai config path`), returning that path.
    pub fn write_config(&self, text: &str) -> PathBuf {
        let out = self.pai(&["config", "path"]).output().unwrap();
        let path = PathBuf::from(stdout_of(&out).trim());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    /// `pai ARGS` with only this test's state visible, and an empty stdin.
    pub fn pai(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::cargo_bin("pai").unwrap();
        self.isolate(cmd.env_clear());
        cmd.args(args).write_stdin("");
        cmd
    }

    /// The same, as a std Command, for tests that need to stream or signal.
    pub fn std_command(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("pai"));
        cmd.env_clear();
        self.isolate_std(&mut cmd);
        cmd.args(args);
        cmd
    }

    fn isolate(&self, cmd: &mut assert_cmd::Command) {
        for (k, v) in self.vars() {
            cmd.env(k, v);
        }
    }

    fn isolate_std(&self, cmd: &mut std::process::Command) {
        for (k, v) in self.vars() {
            cmd.env(k, v);
        }
    }

    fn vars(&self) -> Vec<(&'static str, String)> {
        let mut vars = vec![
            ("PAI_HOME", self.home.path().display().to_string()),
            ("HOME", self.home.path().display().to_string()),
            ("PATH", std::env::var("PATH").unwrap_or_default()),
            // pai sandbox (and pai shell) let commands write in the temp folder; it must be
            // the one this test's folders live in.
            ("TMPDIR", std::env::temp_dir().display().to_string()),
        ];
        vars.extend(self.extra.borrow().iter().cloned());
        vars
    }
}

pub fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn json_of(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout_of(output)))
}

/// The first `n` bytes of the model file at `path`, written to `to`.
pub fn truncated_copy(path: &Path, n: usize, to: &Path) {
    let bytes = std::fs::read(path).unwrap();
    std::fs::write(to, &bytes[..n.min(bytes.len())]).unwrap();
}

/// A venv under the test target folder with `package` installed, made once and kept between
/// runs; `import` is the Python line that proves it works. A machine that cannot make it fails
/// the tests that need it: they are not skipped.
pub fn venv(name: &str, package: &str, import: &str) -> Result<PathBuf, String> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let python = dir.join("bin").join("python");
    let ready = |p: &PathBuf| {
        std::process::Command::new(p)
            .args(["-c", import])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if ready(&python) {
        return Ok(python);
    }
    let run = |cmd: &mut std::process::Command| -> Result<(), String> {
        let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{cmd:?} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    };
    run(std::process::Command::new("python3")
        .args(["-m", "venv"])
        .arg(&dir))?;
    run(std::process::Command::new(dir.join("bin").join("pip")).args(["install", "-q", package]))?;
    if ready(&python) {
        Ok(python)
    } else {
        Err(format!(
            "{} cannot run `{import}` after installing {package}",
            python.display()
        ))
    }
}
