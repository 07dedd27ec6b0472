//! completions/ and man/ are generated from the clap definition; this test fails when they are
//! out of date. Regenerate with `PAI_REGENERATE=1 cargo test --release generated`.
use std::path::Path;

#[test]
fn generated_files_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let regenerate = std::env::var_os("PAI_REGENERATE").is_some();
    let mut stale = Vec::new();
    for (name, content) in pai::cli::generated_files() {
        let path = root.join(&name);
        if regenerate {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &content).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(content.as_slice()) {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "out of date: {stale:?}; run PAI_REGENERATE=1 cargo test --release generated"
    );
}

#[test]
fn completions_command_prints_a_script() {
    let out = assert_cmd::Command::cargo_bin("pai")
        .unwrap()
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("_pai()"));
}
