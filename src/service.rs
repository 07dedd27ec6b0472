//! Running pai in the background: a systemd user service that keeps `pai index watch`
//! running, and a timer that runs `pai learn` nightly (launchd agents on macOS). This module
//! writes the files' text and knows where they go; it starts nothing itself.
use std::path::{Path, PathBuf};

/// What the background jobs run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The pai binary, absolute.
    pub program: PathBuf,
    /// The arguments of the nightly `pai learn`.
    pub learn_args: Vec<String>,
    /// Hour and minute of the nightly run, local time.
    pub learn_at: (u8, u8),
    /// PAI_HOME when the user runs pai with one, so the jobs see the same files.
    pub pai_home: Option<PathBuf>,
}

/// One file to write: its name in its folder and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitFile {
    pub name: &'static str,
    pub text: String,
}

pub const WATCH_UNIT: &str = "pai-index-watch.service";
pub const LEARN_UNIT: &str = "pai-learn.service";
pub const LEARN_TIMER: &str = "pai-learn.timer";
pub const WATCH_AGENT: &str = "dev.pai.index-watch.plist";
pub const LEARN_AGENT: &str = "dev.pai.learn.plist";

/// `03:00` → (3, 0).
pub fn parse_time(text: &str) -> Option<(u8, u8)> {
    let (h, m) = text.split_once(':')?;
    let (h, m): (u8, u8) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 && text.len() <= 5).then_some((h, m))
}

/// The systemd user folder: `$XDG_CONFIG_HOME/systemd/user`, else `~/.config/systemd/user`.
pub fn systemd_dir() -> Option<PathBuf> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".config")))?;
    Some(config.join("systemd").join("user"))
}

/// `~/Library/LaunchAgents`.
pub fn launchd_dir() -> Option<PathBuf> {
    home().map(|h| h.join("Library").join("LaunchAgents"))
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// The service that keeps the index fresh, the nightly learning job and its timer.
pub fn systemd_units(plan: &Plan) -> Vec<UnitFile> {
    let env = plan
        .pai_home
        .as_ref()
        .map(|h| {
            format!(
                "Environment={}\n",
                systemd_quote(&format!("PAI_HOME={}", h.display()))
            )
        })
        .unwrap_or_default();
    let program = systemd_quote(&plan.program.to_string_lossy());
    let learn: Vec<String> = plan.learn_args.iter().map(|a| systemd_quote(a)).collect();
    let (h, m) = plan.learn_at;
    vec![
        UnitFile {
            name: WATCH_UNIT,
            text: format!(
                "[Unit]\nDescription=pai: keep the notes index up to date\n\n\
                 [Service]\nType=simple\nExecStart={program} index watch\n{env}\
                 Restart=on-failure\nRestartSec=30\nNice=10\n\n\
                 [Install]\nWantedBy=default.target\n"
            ),
        },
        UnitFile {
            name: LEARN_UNIT,
            text: format!(
                "[Unit]\nDescription=pai: learn from the day's writing\n\n\
                 [Service]\nType=oneshot\nExecStart={program} learn {}\n{env}\
                 Nice=19\nIOSchedulingClass=idle\nCPUSchedulingPolicy=idle\n",
                learn.join(" ")
            ),
        },
        UnitFile {
            name: LEARN_TIMER,
            text: format!(
                "[Unit]\nDescription=pai: learn nightly at {h:02}:{m:02}\n\n\
                 [Timer]\nOnCalendar=*-*-* {h:02}:{m:02}:00\nPersistent=true\n\
                 RandomizedDelaySec=600\nUnit={LEARN_UNIT}\n\n\
                 [Install]\nWantedBy=timers.target\n"
            ),
        },
    ]
}

/// A systemd word: quoted, with `\`, `"` escaped and `%` doubled (specifiers).
fn systemd_quote(word: &str) -> String {
    let escaped = word
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('%', "%%");
    format!("\"{escaped}\"")
}

/// The two launchd agents: the watcher kept alive, the learner at a time of day.
pub fn launchd_agents(plan: &Plan) -> Vec<UnitFile> {
    let mut watch = vec![plan.program.to_string_lossy().into_owned()];
    watch.extend(["index".to_string(), "watch".to_string()]);
    let mut learn = vec![
        plan.program.to_string_lossy().into_owned(),
        "learn".to_string(),
    ];
    learn.extend(plan.learn_args.iter().cloned());
    let env = plan
        .pai_home
        .as_ref()
        .map(|h| {
            format!(
                "  <key>EnvironmentVariables</key>\n  <dict>\n    <key>PAI_HOME</key>\n    <string>{}</string>\n  </dict>\n",
                xml(&h.to_string_lossy())
            )
        })
        .unwrap_or_default();
    let (h, m) = plan.learn_at;
    vec![
        UnitFile {
            name: WATCH_AGENT,
            text: plist(
                "dev.pai.index-watch",
                &watch,
                &format!("{env}  <key>RunAtLoad</key>\n  <true/>\n  <key>KeepAlive</key>\n  <true/>\n"),
            ),
        },
        UnitFile {
            name: LEARN_AGENT,
            text: plist(
                "dev.pai.learn",
                &learn,
                &format!(
                    "{env}  <key>StartCalendarInterval</key>\n  <dict>\n    <key>Hour</key>\n    <integer>{h}</integer>\n    <key>Minute</key>\n    <integer>{m}</integer>\n  </dict>\n  <key>Nice</key>\n  <integer>19</integer>\n  <key>LowPriorityIO</key>\n  <true/>\n  <key>ProcessType</key>\n  <string>Background</string>\n"
                ),
            ),
        },
    ]
}

fn plist(label: &str, arguments: &[String], rest: &str) -> String {
    let args: String = arguments
        .iter()
        .map(|a| format!("    <string>{}</string>\n", xml(a)))
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
         <plist version=\"1.0\">\n<dict>\n  <key>Label</key>\n  <string>{label}</string>\n\
         \x20 <key>ProgramArguments</key>\n  <array>\n{args}  </array>\n{rest}</dict>\n</plist>\n"
    )
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Writes `files` into `dir`, returning their paths.
pub fn write(dir: &Path, files: &[UnitFile]) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    files
        .iter()
        .map(|f| {
            let path = dir.join(f.name);
            std::fs::write(&path, &f.text)?;
            Ok(path)
        })
        .collect()
}

/// Removes whichever of pai's files are in `dir`, returning those removed.
pub fn remove(dir: &Path, names: &[&str]) -> std::io::Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    for name in names {
        let path = dir.join(name);
        match std::fs::remove_file(&path) {
            Ok(()) => removed.push(path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        Plan {
            program: PathBuf::from("/opt/my pai/pai"),
            learn_args: vec!["--since".into(), "--from-git".into(), "/src/100%".into()],
            learn_at: (3, 5),
            pai_home: None,
        }
    }

    #[test]
    fn times_are_hours_and_minutes() {
        assert_eq!(parse_time("03:00"), Some((3, 0)));
        assert_eq!(parse_time("23:59"), Some((23, 59)));
        assert_eq!(parse_time("24:00"), None);
        assert_eq!(parse_time("3"), None);
    }

    #[test]
    fn systemd_words_are_quoted_and_specifiers_escaped() {
        let units = systemd_units(&plan());
        assert!(units[0]
            .text
            .contains("ExecStart=\"/opt/my pai/pai\" index watch\n"));
        assert!(units[1]
            .text
            .contains("learn \"--since\" \"--from-git\" \"/src/100%%\"\n"));
        assert!(units[2].text.contains("OnCalendar=*-*-* 03:05:00\n"));
    }

    #[test]
    fn launchd_agents_escape_xml_and_keep_arguments_apart() {
        let mut p = plan();
        p.learn_args = vec!["--from-git".into(), "/a&b".into()];
        let agents = launchd_agents(&p);
        assert!(agents[1].text.contains("<string>/a&amp;b</string>"));
        assert!(agents[1]
            .text
            .contains("<key>Hour</key>\n    <integer>3</integer>"));
        assert!(agents[0].text.contains("<key>KeepAlive</key>"));
    }
}
