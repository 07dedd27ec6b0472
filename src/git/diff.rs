//! Condensing a staged diff to fit a small window: the list of files with their line counts
//! first, then the most telling hunks, each file's largest first, until the budget is spent.
//! Lock files, generated files and binary files are named in the list and never shown.

/// One file of a unified diff.
#[derive(Debug, Clone, PartialEq)]
pub struct FileDiff {
    pub path: String,
    pub status: char,
    pub added: usize,
    pub removed: usize,
    pub binary: bool,
    /// Each hunk from its `@@` line on.
    pub hunks: Vec<String>,
}

impl FileDiff {
    /// Why the file's hunks are not worth showing, if they are not.
    pub fn summarised(&self) -> Option<&'static str> {
        if self.binary {
            return Some("binary");
        }
        if is_lock_file(&self.path) {
            return Some("lock file");
        }
        if is_generated(&self.path, &self.hunks) {
            return Some("generated");
        }
        None
    }
}

/// Splits `git diff` output into files; counts come from the `+`/`-` lines themselves.
pub fn parse(patch: &str) -> Vec<FileDiff> {
    let mut files: Vec<FileDiff> = Vec::new();
    for line in patch.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("diff --git ") {
            files.push(FileDiff {
                path: path_of(rest.trim_end()),
                status: 'M',
                added: 0,
                removed: 0,
                binary: false,
                hunks: Vec::new(),
            });
            continue;
        }
        let Some(file) = files.last_mut() else {
            continue;
        };
        if line.starts_with("@@") {
            file.hunks.push(line.to_string());
        } else if let Some(hunk) = file.hunks.last_mut() {
            if line.starts_with('+') {
                file.added += 1;
            } else if line.starts_with('-') {
                file.removed += 1;
            }
            hunk.push_str(line);
        } else if line.starts_with("new file") {
            file.status = 'A';
        } else if line.starts_with("deleted file") {
            file.status = 'D';
        } else if let Some(to) = line.strip_prefix("rename to ") {
            file.status = 'R';
            file.path = to.trim_end().to_string();
        } else if line.starts_with("Binary files") || line.starts_with("GIT binary patch") {
            file.binary = true;
        }
    }
    files
}

/// `a/src/x.rs b/src/x.rs` → `src/x.rs` (the new name).
fn path_of(header: &str) -> String {
    match header.rfind(" b/") {
        Some(i) => header[i + 3..].to_string(),
        None => header.to_string(),
    }
}

pub fn is_lock_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    const LOCKS: &[&str] = &[
        "Cargo.lock",
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lockb",
        "poetry.lock",
        "Pipfile.lock",
        "uv.lock",
        "Gemfile.lock",
        "composer.lock",
        "go.sum",
        "flake.lock",
        "mix.lock",
        "pubspec.lock",
        "Podfile.lock",
    ];
    LOCKS.contains(&name) || name.ends_with(".lock")
}

fn is_generated(path: &str, hunks: &[String]) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let by_name = name.ends_with(".min.js")
        || name.ends_with(".min.css")
        || name.ends_with(".map")
        || name.ends_with(".pb.go")
        || name.ends_with("_pb2.py")
        || name.ends_with(".snap")
        || path.starts_with("dist/")
        || path.contains("/dist/")
        || path.starts_with("vendor/")
        || path.contains("/generated/");
    // The conventional markers sit in a file's first lines.
    let by_marker = hunks.first().is_some_and(|h| {
        h.lines()
            .take(12)
            .any(|l| l.contains("@generated") || l.contains("DO NOT EDIT"))
    });
    by_name || by_marker
}

/// The longest a single hunk may be in the condensed diff, in lines.
const HUNK_LINES: usize = 60;

/// The diff in at most about `max_chars` characters: a file list with counts, then hunks.
/// Every file is listed even when no hunk fits; what is left out is said.
pub fn condense(files: &[FileDiff], max_chars: usize) -> String {
    let mut out = format!("{} file(s) changed:\n", files.len());
    for f in files {
        let note = f
            .summarised()
            .map(|w| format!(" ({w}, not shown)"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{} {} +{} -{}{note}\n",
            f.status, f.path, f.added, f.removed
        ));
    }
    // Pick hunks round by round: each file's largest first, then each file's next, so that
    // one big file cannot crowd out the rest.
    let order: Vec<Vec<usize>> = files
        .iter()
        .map(|f| {
            if f.summarised().is_some() {
                return Vec::new();
            }
            let mut idx: Vec<usize> = (0..f.hunks.len()).collect();
            idx.sort_by_key(|&i| std::cmp::Reverse(changed_lines(&f.hunks[i])));
            idx
        })
        .collect();
    let mut chosen: Vec<Vec<(usize, String)>> = vec![Vec::new(); files.len()];
    let mut used = out.len();
    let mut skipped = 0;
    let mut round = 0;
    loop {
        let mut any = false;
        for (fi, f) in files.iter().enumerate() {
            let Some(&hi) = order[fi].get(round) else {
                continue;
            };
            any = true;
            let hunk = clip(&f.hunks[hi]);
            let header = if chosen[fi].is_empty() {
                format!("--- {}\n", f.path).len()
            } else {
                0
            };
            if used + header + hunk.len() <= max_chars {
                used += header + hunk.len();
                chosen[fi].push((hi, hunk));
            } else {
                skipped += 1;
            }
        }
        if !any {
            break;
        }
        round += 1;
    }
    for (fi, mut hunks) in chosen.into_iter().enumerate() {
        if hunks.is_empty() {
            continue;
        }
        hunks.sort_by_key(|(i, _)| *i);
        out.push_str(&format!("\n--- {}\n", files[fi].path));
        for (_, h) in hunks {
            out.push_str(&h);
        }
    }
    if skipped > 0 {
        out.push_str(&format!("\n({skipped} more hunk(s) not shown)\n"));
    }
    out
}

fn changed_lines(hunk: &str) -> usize {
    hunk.lines()
        .skip(1)
        .filter(|l| l.starts_with('+') || l.starts_with('-'))
        .count()
}

/// A hunk cut to [`HUNK_LINES`], ending in a newline.
fn clip(hunk: &str) -> String {
    let lines: Vec<&str> = hunk.lines().collect();
    let mut out = String::new();
    for l in lines.iter().take(HUNK_LINES) {
        out.push_str(l);
        out.push('\n');
    }
    if lines.len() > HUNK_LINES {
        out.push_str(&format!("… ({} more lines)\n", lines.len() - HUNK_LINES));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_patch(path: &str, hunks: usize, lines: usize) -> String {
        let mut p = format!(
            "diff --git a/{path} b/{path}\nindex 1..2 100644\n--- a/{path}\n+++ b/{path}\n"
        );
        for h in 0..hunks {
            p.push_str(&format!("@@ -{0},3 +{0},3 @@ fn f{h}()\n", h * 100 + 1));
            for i in 0..lines {
                p.push_str(&format!("-old line {h} {i}\n+new line {h} {i}\n"));
            }
        }
        p
    }

    #[test]
    fn parse_counts_lines_and_finds_new_and_renamed_files() {
        let patch = format!(
            "{}diff --git a/n.txt b/n.txt\nnew file mode 100644\n--- /dev/null\n+++ b/n.txt\n@@ -0,0 +1 @@\n+hi\ndiff --git a/old.rs b/new.rs\nsimilarity index 90%\nrename from old.rs\nrename to new.rs\n",
            file_patch("src/a.rs", 2, 3)
        );
        let files = parse(&patch);
        assert_eq!(files.len(), 3);
        assert_eq!(
            (files[0].added, files[0].removed, files[0].hunks.len()),
            (6, 6, 2)
        );
        assert_eq!((files[1].status, files[1].added), ('A', 1));
        assert_eq!((files[2].status, files[2].path.as_str()), ('R', "new.rs"));
    }

    #[test]
    fn a_small_diff_is_kept_whole() {
        let files = parse(&file_patch("src/a.rs", 2, 3));
        let out = condense(&files, 10_000);
        assert!(
            out.starts_with("1 file(s) changed:\nM src/a.rs +6 -6\n"),
            "{out}"
        );
        assert!(out.contains("+new line 1 2"), "{out}");
        assert!(!out.contains("not shown"), "{out}");
    }

    #[test]
    fn lock_and_generated_files_are_listed_but_not_shown() {
        let patch = format!(
            "{}{}{}",
            file_patch("Cargo.lock", 3, 50),
            file_patch("web/app.min.js", 1, 5),
            file_patch("src/main.rs", 1, 2)
        );
        let out = condense(&parse(&patch), 10_000);
        assert!(
            out.contains("M Cargo.lock +150 -150 (lock file, not shown)"),
            "{out}"
        );
        assert!(
            out.contains("web/app.min.js +5 -5 (generated, not shown)"),
            "{out}"
        );
        assert!(out.contains("+new line 0 1"), "{out}");
        assert!(!out.contains("--- Cargo.lock"), "{out}");
    }

    #[test]
    fn a_large_diff_fits_the_budget_and_every_file_is_listed() {
        let mut patch = String::new();
        for i in 0..30 {
            patch.push_str(&file_patch(&format!("src/f{i}.rs"), 4, 20));
        }
        let out = condense(&parse(&patch), 4000);
        assert!(out.len() <= 4000 + 100, "{} chars", out.len());
        for i in 0..30 {
            assert!(
                out.contains(&format!("M src/f{i}.rs +80 -80")),
                "f{i} missing"
            );
        }
        assert!(out.contains("more hunk(s) not shown"), "{out}");
    }

    #[test]
    fn the_largest_hunk_of_each_file_comes_first() {
        let mut patch = String::from("diff --git a/a.rs b/a.rs\n--- a/a.rs\n+++ b/a.rs\n");
        patch.push_str("@@ -1 +1 @@ small\n-a\n+b\n");
        patch.push_str("@@ -50 +50 @@ big\n");
        for i in 0..10 {
            patch.push_str(&format!("+big {i}\n"));
        }
        let out = condense(&parse(&patch), 140);
        assert!(out.contains("+big 9"), "{out}");
        assert!(!out.contains("@@ -1 +1 @@ small"), "{out}");
    }

    #[test]
    fn a_huge_hunk_is_clipped() {
        let out = condense(&parse(&file_patch("a.rs", 1, 100)), 100_000);
        assert!(out.contains("more lines)"), "{out}");
        assert!(out.lines().count() < HUNK_LINES + 10);
    }
}
