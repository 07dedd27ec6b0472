//! MCP logging (`logging/setLevel`, `notifications/message`): the level a client asked for,
//! and the notifications at or above it. Nothing is sent until a client sets a level, so a
//! client that never asks sees only answers, as before logging existed.
use serde_json::{json, Value};

/// The syslog severities MCP uses, least severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Debug,
    Info,
    Notice,
    Warning,
    Error,
    Critical,
    Alert,
    Emergency,
}

const NAMES: [(&str, Level); 8] = [
    ("debug", Level::Debug),
    ("info", Level::Info),
    ("notice", Level::Notice),
    ("warning", Level::Warning),
    ("error", Level::Error),
    ("critical", Level::Critical),
    ("alert", Level::Alert),
    ("emergency", Level::Emergency),
];

impl Level {
    pub fn parse(name: &str) -> Option<Level> {
        NAMES.iter().find(|(n, _)| *n == name).map(|(_, l)| *l)
    }

    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(_, l)| *l == self)
            .map_or("info", |(n, _)| n)
    }

    /// Every level's name, for the error that names them.
    pub fn names() -> Vec<&'static str> {
        NAMES.iter().map(|(n, _)| *n).collect()
    }
}

/// The notifications of one connection waiting to be sent, and the threshold.
#[derive(Debug, Default)]
pub struct Log {
    threshold: Option<Level>,
    waiting: Vec<String>,
}

impl Log {
    pub fn set_level(&mut self, level: Level) {
        self.threshold = Some(level);
    }

    /// The threshold of the 2026 era, which each request sets for itself (None: no log).
    pub fn set_threshold(&mut self, level: Option<Level>) {
        self.threshold = level;
    }

    /// Queues a `notifications/message` when the client asked for this level or a lower one.
    pub fn send(&mut self, level: Level, data: impl Into<String>) {
        if self.threshold.is_some_and(|t| level >= t) {
            let data = crate::render::sanitize(&data.into());
            self.waiting.push(notification(level, &data).to_string());
        }
    }

    /// The notifications queued since the last call, oldest first.
    pub fn take(&mut self) -> Vec<String> {
        std::mem::take(&mut self.waiting)
    }
}

fn notification(level: Level, data: &str) -> Value {
    json!({
        "jsonrpc": "2.0",
        "method": "notifications/message",
        "params": {"level": level.name(), "logger": "pai", "data": data},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_sent_until_asked_then_only_at_or_above_the_level() {
        let mut log = Log::default();
        log.send(Level::Emergency, "unasked");
        assert!(log.take().is_empty());
        log.set_level(Level::Warning);
        log.send(Level::Info, "below");
        log.send(Level::Warning, "at");
        log.send(Level::Error, "above\u{1b}[2J");
        let sent: Vec<Value> = log
            .take()
            .iter()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[0]["params"]["level"], "warning");
        assert_eq!(sent[1]["params"]["data"], "above[2J");
        assert!(log.take().is_empty());
        assert_eq!(Level::parse("notice"), Some(Level::Notice));
        assert_eq!(Level::parse("loud"), None);
    }
}
