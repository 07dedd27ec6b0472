//! Runs wherever it is installed: the build holds no AMX kernel (llama.cpp's crash on
//! Sapphire Rapids), `pai doctor` proves generation in a child process and names a crash, and
//! the release archive answers from an empty folder.
use std::path::Path;

use crate::util::*;

/// Whether `file` holds `symbol` (as a name in its symbol table or dynamic symbols).
fn holds(file: &Path, symbol: &str) -> bool {
    let bytes = std::fs::read(file).unwrap();
    bytes.windows(symbol.len()).any(|w| w == symbol.as_bytes())
}

#[test]
fn the_built_binary_holds_no_amx_matrix_kernel() {
    let pai = assert_cmd::cargo::cargo_bin("pai");
    // The symbol table is there to read: the CPU backend's own entry points are in it.
    assert!(
        holds(&pai, "ggml_backend_cpu_reg"),
        "{} has no llama.cpp symbols to check",
        pai.display()
    );
    assert!(
        !holds(&pai, "ggml_backend_amx_mul_mat"),
        "{} holds llama.cpp's AMX kernel, which crashes on Sapphire Rapids (see .cargo/config.toml)",
        pai.display()
    );
}

#[test]
fn doctor_generates_a_token_in_a_child_and_reports_it_in_json() {
    let env = Env::with_smol();
    let out = env.pai(&["doctor", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let report = json_of(&out);
    assert_eq!(report["ready"], true, "{report}");
    let generation = &report["generation"];
    assert_eq!(generation["ok"], true, "{report}");
    assert_eq!(generation["model"], "smol");
    assert!(
        !generation["token"].as_str().unwrap().is_empty(),
        "{report}"
    );
    let features: Vec<&str> = generation["cpu_features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(features.contains(&"SSE3"), "{features:?}");
    assert!(
        !features.iter().any(|f| f.starts_with("AMX")),
        "{features:?}"
    );
    let text = stdout_of(&env.pai(&["doctor"]).output().unwrap());
    assert!(
        text.contains("smol generated a token in a child process"),
        "{text}"
    );
}

#[test]
fn doctor_fails_with_the_signal_named_when_generation_crashes() {
    let env = Env::with_smol();
    for (crash, name, number) in [("segv", "SIGSEGV", 11), ("abort", "SIGABRT", 6)] {
        let out = env
            .pai(&["doctor"])
            .env("PAI_SELFTEST_CRASH", crash)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
        let text = stdout_of(&out);
        let line = text
            .lines()
            .find(|l| l.contains("PROBLEM") && l.contains("generation crashed"))
            .unwrap_or_else(|| panic!("no crash reported:\n{text}"));
        assert!(
            line.contains(&format!("killed by {name} (signal {number})")),
            "{line}"
        );
        assert!(
            line.contains("smol") && line.contains("what to do"),
            "{line}"
        );
        assert!(line.contains("SSE3"), "the CPU features are named: {line}");
        assert!(!text.contains("pai is ready"), "{text}");
        assert!(stderr_of(&out).contains("1 problem"), "{}", stderr_of(&out));
    }
    let out = env
        .pai(&["doctor", "--json"])
        .env("PAI_SELFTEST_CRASH", "segv")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = json_of(&out);
    assert_eq!(report["ready"], false);
    assert_eq!(report["generation"]["ok"], false);
    assert_eq!(report["generation"]["signal"], 11);
    assert_eq!(report["generation"]["signal_name"], "SIGSEGV");
}

/// The archive `scripts/release.sh` built, as a user downloads it: unpacked into an empty
/// folder, run with a fresh HOME. scripts/test.sh builds it and names it in
/// PAI_RELEASE_ARCHIVE; a plain `cargo test` has none and says so.
#[test]
fn the_release_archive_answers_from_an_empty_folder() {
    let Some(archive) = std::env::var_os("PAI_RELEASE_ARCHIVE") else {
        eprintln!("PAI_RELEASE_ARCHIVE is not set: the release archive is not tested here");
        return;
    };
    let unpacked = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("tar")
        .arg("-xzf")
        .arg(&archive)
        .arg("-C")
        .arg(unpacked.path())
        .status()
        .unwrap();
    assert!(status.success());
    let top = std::fs::read_dir(unpacked.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let pai = top.join("bin/pai");
    for entry in std::fs::read_dir(top.join("lib")).unwrap() {
        let lib = entry.unwrap().path();
        assert!(
            !holds(&lib, "ggml_backend_amx_mul_mat"),
            "{}",
            lib.display()
        );
    }
    let home = tempfile::tempdir().unwrap();
    let released = |args: &[&str]| {
        let mut cmd = std::process::Command::new(&pai);
        cmd.env_clear()
            .env("HOME", home.path())
            .env("PATH", "/usr/bin:/bin")
            .current_dir(home.path())
            .stdin(std::process::Stdio::null())
            .args(args);
        cmd.output().unwrap()
    };
    let model = smollm2();
    let out = released(&["model", "add", model.to_str().unwrap(), "--name", "smol"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = released(&["ask", "Name one color.", "--max-tokens", "8", "--temp", "0"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!stdout_of(&out).trim().is_empty(), "no answer");
    let out = released(&["doctor", "--json"]);
    assert!(out.status.success(), "{}", stdout_of(&out));
    let report = json_of(&out);
    let variant = report["generation"]["cpu_variant"].as_str().unwrap_or("");
    assert!(
        !variant.is_empty() && variant != "sapphirerapids",
        "{report}"
    );
}

/// The wheel `scripts/release.sh` builds beside the archive, installed by pip into a fresh venv
/// with no index: the `pai` command it puts on the venv's PATH answers with a fresh HOME.
#[test]
fn the_wheel_installs_with_pip_and_answers() {
    let Some(archive) = std::env::var_os("PAI_RELEASE_ARCHIVE") else {
        eprintln!("PAI_RELEASE_ARCHIVE is not set: the wheel is not tested here");
        return;
    };
    let folder = Path::new(&archive).parent().unwrap();
    let wheel = std::fs::read_dir(folder)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "whl"))
        .expect("scripts/release.sh writes a wheel beside the archive");
    let venv = tempfile::tempdir().unwrap();
    let made = std::process::Command::new("python3")
        .args(["-m", "venv"])
        .arg(venv.path())
        .status()
        .unwrap();
    assert!(made.success());
    let installed = std::process::Command::new(venv.path().join("bin/pip"))
        .args(["install", "-q", "--no-index", "--no-deps"])
        .arg(&wheel)
        .output()
        .unwrap();
    assert!(installed.status.success(), "{}", stderr_of(&installed));
    let home = tempfile::tempdir().unwrap();
    let pai = |args: &[&str]| {
        std::process::Command::new(venv.path().join("bin/pai"))
            .env_clear()
            .env("HOME", home.path())
            .env("PATH", "/usr/bin:/bin")
            .stdin(std::process::Stdio::null())
            .args(args)
            .output()
            .unwrap()
    };
    let model = smollm2();
    let out = pai(&["model", "add", model.to_str().unwrap(), "--name", "smol"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = pai(&["ask", "Name one color.", "--max-tokens", "8", "--temp", "0"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!stdout_of(&out).trim().is_empty(), "no answer");
}
