//! The prepare-commit-msg hook: the script `pai hook install` writes, and putting back what
//! was there before. The script decides in plain shell whether git is about to ask for a
//! message, so that `-m`, merges, rebases and cherry-picks never start pai at all.
use std::path::{Path, PathBuf};

/// The line that marks a hook as pai's.
pub const MARKER: &str = "# pai-hook: prepare-commit-msg";
pub const NAME: &str = "prepare-commit-msg";
/// Where an existing hook is kept while pai's is installed; pai's hook runs it first.
pub const CHAINED: &str = "prepare-commit-msg.pai-chained";

pub const SCRIPT: &str = r#"#!/bin/sh
# pai-hook: prepare-commit-msg
# Written by `pai hook install`; `pai hook uninstall` puts back what was here before.
# Fills in a commit message from the staged changes when git is about to ask for one.
# It never makes a commit fail: without pai, a model or time, the message is left to you.

# A hook that was here before runs first, as it always did.
chained="$(dirname "$0")/prepare-commit-msg.pai-chained"
if [ -x "$chained" ]; then
    "$chained" "$@" || exit $?
fi

# $2 is where the message comes from: message (-m, -F), template, merge, squash or
# commit (-c, -C, --amend). Only an empty source means git will ask for one.
[ -z "$2" ] || exit 0

# Never during a rebase or a cherry-pick.
if [ -d .git ]; then git_dir=.git; else git_dir=$(git rev-parse --git-dir 2>/dev/null) || exit 0; fi
for f in rebase-merge rebase-apply CHERRY_PICK_HEAD REVERT_HEAD; do
    [ -e "$git_dir/$f" ] && exit 0
done

command -v pai >/dev/null 2>&1 || exit 0
pai hook run "$1" "$2" "$3" </dev/null || true
exit 0
"#;

#[derive(Debug, thiserror::Error)]
pub enum HookError {
    #[error("{0}")]
    Io(String),
    #[error("{hook} is pai's hook already, and {chained} is in the way of installing it again")]
    Tangled { hook: String, chained: String },
    #[error("{0} is not pai's hook; it was left alone")]
    NotOurs(String),
    #[error("there is no pai hook at {0}")]
    NotInstalled(String),
}

/// What `install` did.
#[derive(Debug, PartialEq)]
pub enum Installed {
    Fresh,
    /// An existing hook was kept and is run first.
    Chained,
    AlreadyThere,
}

pub fn is_ours(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|s| s.contains(MARKER))
}

fn io(path: &Path, e: std::io::Error) -> HookError {
    HookError::Io(format!("{}: {e}", path.display()))
}

/// Writes pai's hook into `dir`, keeping an existing hook as [`CHAINED`]. Nothing is ever
/// overwritten: an existing hook is renamed, never replaced.
pub fn install(dir: &Path) -> Result<Installed, HookError> {
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let hook = dir.join(NAME);
    let chained = dir.join(CHAINED);
    let mut outcome = Installed::Fresh;
    if hook.exists() || hook.is_symlink() {
        if is_ours(&hook) {
            if std::fs::read_to_string(&hook).is_ok_and(|s| s == SCRIPT) {
                return Ok(Installed::AlreadyThere);
            }
            // An older pai script: replace it, keeping whatever it chains.
        } else {
            if chained.exists() || chained.is_symlink() {
                return Err(HookError::Tangled {
                    hook: hook.display().to_string(),
                    chained: chained.display().to_string(),
                });
            }
            std::fs::rename(&hook, &chained).map_err(|e| io(&hook, e))?;
            outcome = Installed::Chained;
        }
    }
    if chained.exists() {
        outcome = Installed::Chained;
    }
    write_executable(&hook, SCRIPT).map_err(|e| io(&hook, e))?;
    Ok(outcome)
}

/// Removes pai's hook and puts back the one it chained. Returns the restored hook, if any.
pub fn uninstall(dir: &Path) -> Result<Option<PathBuf>, HookError> {
    let hook = dir.join(NAME);
    let chained = dir.join(CHAINED);
    if !hook.exists() {
        if chained.exists() {
            std::fs::rename(&chained, &hook).map_err(|e| io(&chained, e))?;
            return Ok(Some(hook));
        }
        return Err(HookError::NotInstalled(hook.display().to_string()));
    }
    if !is_ours(&hook) {
        return Err(HookError::NotOurs(hook.display().to_string()));
    }
    std::fs::remove_file(&hook).map_err(|e| io(&hook, e))?;
    if chained.exists() || chained.is_symlink() {
        std::fs::rename(&chained, &hook).map_err(|e| io(&chained, e))?;
        return Ok(Some(hook));
    }
    Ok(None)
}

fn write_executable(path: &Path, text: &str) -> std::io::Result<()> {
    crate::paths::write_atomically_with_mode(path, text.as_bytes(), Some(0o755))
}

/// Puts `message` above what git wrote into the message file (its comment lines), replacing
/// the file in one rename so that a killed pai never leaves half a file.
pub fn fill(msg_file: &Path, message: &str) -> std::io::Result<()> {
    let existing = std::fs::read_to_string(msg_file).unwrap_or_default();
    // Anything git or a chained hook already wrote that is not a comment is kept as it is.
    // `git commit -v` puts the diff below a scissors line; only what is above it counts.
    if existing
        .lines()
        .take_while(|l| !l.contains(">8 ---"))
        .any(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        return Ok(());
    }
    let mut text = message.trim_end().to_string();
    text.push('\n');
    if !existing.starts_with('\n') && !existing.is_empty() {
        text.push('\n');
    }
    text.push_str(&existing);
    crate::paths::write_atomically(msg_file, text.as_bytes())
}

/// How a hook failure reads to the user.
impl From<HookError> for crate::error::Error {
    fn from(e: HookError) -> Self {
        let err = crate::error::Error::user(crate::render::sanitize_line(&e.to_string()));
        match e {
            HookError::Tangled { .. } => {
                err.hint("move the .pai-chained file away, or run `pai hook uninstall` first")
            }
            _ => err,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_chains_and_uninstall_restores() {
        let dir = tempfile::tempdir().unwrap();
        let old = "#!/bin/sh\necho old\n";
        std::fs::write(dir.path().join(NAME), old).unwrap();
        assert_eq!(install(dir.path()).unwrap(), Installed::Chained);
        assert!(is_ours(&dir.path().join(NAME)));
        assert_eq!(
            std::fs::read_to_string(dir.path().join(CHAINED)).unwrap(),
            old
        );
        assert_eq!(install(dir.path()).unwrap(), Installed::AlreadyThere);
        assert_eq!(
            std::fs::read_to_string(dir.path().join(CHAINED)).unwrap(),
            old
        );
        uninstall(dir.path()).unwrap();
        assert_eq!(std::fs::read_to_string(dir.path().join(NAME)).unwrap(), old);
        assert!(!dir.path().join(CHAINED).exists());
    }

    #[test]
    fn a_foreign_hook_is_never_removed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(NAME), "#!/bin/sh\n").unwrap();
        assert!(matches!(uninstall(dir.path()), Err(HookError::NotOurs(_))));
        assert!(matches!(
            uninstall(tempfile::tempdir().unwrap().path()),
            Err(HookError::NotInstalled(_))
        ));
    }

    #[test]
    fn the_message_goes_above_the_comments() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("COMMIT_EDITMSG");
        std::fs::write(&f, "\n# Please enter the commit message\n#\n").unwrap();
        fill(&f, "Add x\n\nBecause.\n").unwrap();
        assert_eq!(
            std::fs::read_to_string(&f).unwrap(),
            "Add x\n\nBecause.\n\n# Please enter the commit message\n#\n"
        );
        let verbose =
            "\n# c\n# ------------------------ >8 ------------------------\ndiff --git a b\n";
        std::fs::write(&f, verbose).unwrap();
        fill(&f, "Add x\n").unwrap();
        assert_eq!(
            std::fs::read_to_string(&f).unwrap(),
            format!("Add x\n{verbose}")
        );
        std::fs::write(&f, "Mine\n# c\n").unwrap();
        fill(&f, "Add x\n").unwrap();
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "Mine\n# c\n");
    }
}
