//! Secrets out of whatever leaves the machine, and back into the reply. A `Redactor` lives for
//! one request: each distinct secret it finds becomes a placeholder such as
//! `[REDACTED_AWS_ACCESS_KEY_1]`, the same secret always the same placeholder, so a remote model
//! can still refer to it; `restore` (or the streaming `Restore` sink) puts the secrets back into
//! the reply locally. What counts as a secret is in `rules`; why a match is refused in `check`.
mod bare;
mod check;
mod code_list;
mod personal;
mod rules;
mod stand_ins;
mod window;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::engine::Sink;
pub use rules::Confidence;
use rules::{Check, COMPILED, RULES};

/// Placeholders look like this; `restore` replaces only the ones its redactor made.
static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[REDACTED_[A-Z0-9_]+_[0-9]+\]").expect("a valid pattern"));
const PREFIX: &str = "[REDACTED_";
/// No placeholder is longer; a held-back tail longer than this cannot become one.
const MAX_PLACEHOLDER: usize = 64;

#[derive(Debug, Default)]
pub struct Redactor {
    found: Vec<Found>,
    by_secret: HashMap<String, usize>,
    by_placeholder: HashMap<String, usize>,
    next: usize,
}

#[derive(Debug)]
struct Found {
    secret: String,
    placeholder: String,
    kind: &'static str,
}

/// A secret's place in the text, and the rule that found it.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    rule: usize,
}

impl Redactor {
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces every secret in `text`; the same secret value always gets the same placeholder.
    pub fn redact(&mut self, text: &str) -> String {
        let spans = find(text, |_| true);
        // A placeholder pasted into the text must not be restored into a secret later.
        let pasted: HashSet<&str> = PLACEHOLDER.find_iter(text).map(|m| m.as_str()).collect();
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for span in spans {
            out.push_str(&text[at..span.start]);
            let secret = &text[span.start..span.end];
            out.push_str(self.placeholder_for(secret, RULES[span.rule].kind, &pasted));
            at = span.end;
        }
        out.push_str(&text[at..]);
        out
    }

    /// How many distinct secrets were replaced so far.
    pub fn count(&self) -> usize {
        self.found.len()
    }

    /// Distinct secrets by kind, most first.
    pub fn kinds(&self) -> Vec<(&'static str, usize)> {
        let mut counts: Vec<(&'static str, usize)> = Vec::new();
        for f in &self.found {
            match counts.iter_mut().find(|(k, _)| *k == f.kind) {
                Some((_, n)) => *n += 1,
                None => counts.push((f.kind, 1)),
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        counts
    }

    /// Each placeholder made so far with its kind, in the order the secrets were first seen.
    pub fn redactions(&self) -> Vec<(&str, &'static str)> {
        self.found
            .iter()
            .map(|f| (f.placeholder.as_str(), f.kind))
            .collect()
    }

    /// Puts the secrets back into a reply (whole text). Placeholders this redactor did not make
    /// stay as they are.
    pub fn restore(&self, text: &str) -> String {
        if self.found.is_empty() || !text.contains(PREFIX) {
            return text.to_string();
        }
        PLACEHOLDER
            .replace_all(text, |caps: &Captures| {
                let placeholder = &caps[0];
                match self.by_placeholder.get(placeholder) {
                    Some(&i) => self.found[i].secret.clone(),
                    None => placeholder.to_string(),
                }
            })
            .into_owned()
    }

    /// Kinds of high-confidence rules that still match in already-redacted text (then the
    /// request must stay local).
    pub fn leaks(text: &str) -> Vec<&'static str> {
        let mut kinds = Vec::new();
        for span in find(text, |r| r == Confidence::High) {
            let kind = RULES[span.rule].kind;
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        kinds
    }

    /// The placeholder for a secret: the one it already has, or the next number that is not
    /// `pasted` into the text already.
    fn placeholder_for(
        &mut self,
        secret: &str,
        kind: &'static str,
        pasted: &HashSet<&str>,
    ) -> &str {
        if let Some(&i) = self.by_secret.get(secret) {
            return &self.found[i].placeholder;
        }
        let placeholder = loop {
            self.next += 1;
            let candidate = format!("{PREFIX}{}_{}]", kind.to_ascii_uppercase(), self.next);
            if !pasted.contains(candidate.as_str()) && !self.by_placeholder.contains_key(&candidate)
            {
                break candidate;
            }
        };
        let i = self.found.len();
        self.by_secret.insert(secret.to_string(), i);
        self.by_placeholder.insert(placeholder.clone(), i);
        self.found.push(Found {
            secret: secret.to_string(),
            placeholder,
            kind,
        });
        &self.found[i].placeholder
    }
}

/// Every secret in `text` found by the rules `wanted` admits, in order, without overlaps:
/// where two rules claim the same text, the earlier rule (the more specific) wins. A rule's
/// pattern runs only over the lines around its trigger's matches.
fn find(text: &str, wanted: impl Fn(Confidence) -> bool) -> Vec<Span> {
    let compiled = &*COMPILED;
    let mut taken: BTreeMap<usize, Span> = BTreeMap::new();
    // Many rules share a trigger; its windows are found once.
    let mut windows: HashMap<(&str, usize), Vec<(usize, usize)>> = HashMap::new();
    for (i, rule) in RULES.iter().enumerate() {
        if !wanted(rule.confidence) {
            continue;
        }
        let found = windows
            .entry((rule.trigger, rule.lines_after))
            .or_insert_with(|| window::windows(text, &compiled.triggers[i], rule.lines_after));
        if found.is_empty() {
            continue;
        }
        let pattern = compiled.pattern(i);
        for &(from, to) in found.iter() {
            for caps in pattern.captures_iter(&text[from..to]) {
                if let Some(span) = secret_of(i, rule.check, &caps, from) {
                    if is_free(&taken, span) {
                        taken.insert(span.start, span);
                    }
                }
            }
        }
    }
    if wanted(Confidence::Low) {
        add_code_lists(text, &mut taken);
    }
    taken.into_values().collect()
}

/// The codes of lists that no words announce (`code_list`), where no rule took their text,
/// as recovery codes.
fn add_code_lists(text: &str, taken: &mut BTreeMap<usize, Span>) {
    static RECOVERY: LazyLock<usize> = LazyLock::new(|| {
        RULES
            .iter()
            .position(|r| r.kind == "recovery_codes")
            .expect("a recovery codes rule")
    });
    for (start, end) in code_list::code_lists(text) {
        let span = Span {
            start,
            end,
            rule: *RECOVERY,
        };
        if is_free(taken, span) {
            taken.insert(start, span);
        }
    }
}

/// The secret a match holds, if it passes its rule's check: the first group named `s…` that
/// took part, or the whole match. `offset` is where the searched window begins in the text.
fn secret_of(rule: usize, check: Check, caps: &Captures, offset: usize) -> Option<Span> {
    let group = ["s", "s2", "s3", "s4"]
        .iter()
        .find_map(|name| caps.name(name))
        .or_else(|| caps.get(0))?;
    let value = trimmed(check, group.as_str());
    if caps.name("call").is_some() {
        return None;
    }
    // Only a password name is worth a value at a code line's end; a weaker name's value there
    // is a variable too often.
    if caps.name("end").is_some() && (check != Check::Prose || !bare::is_bare_password(value)) {
        return None;
    }
    let name = caps.name("n").map(|m| m.as_str());
    let user = caps.name("u").map(|m| m.as_str());
    let start = offset + group.start();
    let end = start + value.len();
    (end > start && judge(check, value, name, user)).then_some(Span { start, end, rule })
}

/// Whether a value passes its rule's check: the personal secrets' checks build on the
/// general ones, so they are asked first.
fn judge(check: Check, value: &str, name: Option<&str>, user: Option<&str>) -> bool {
    match check {
        Check::Codes => personal::is_codes(value, name),
        Check::Seed => personal::is_seed(value),
        Check::SeedLiteral => personal::is_seed(value) && !personal::reads_as_words(value),
        Check::Phrase => personal::is_phrase(value),
        // Words after a passphrase's name are the passphrase, however many: `is_value` takes
        // five words or more for a sentence.
        Check::Password if personal::names_passphrase(name) && personal::is_phrase(value) => true,
        Check::Base64Credential => personal::is_base64_credential(value, name),
        Check::NotPublic => personal::is_private_output(value, name),
        _ => check::passes(check, value, name, user),
    }
}

/// Prose ends sentences after a password; the full stop is not part of it.
fn trimmed(check: Check, value: &str) -> &str {
    match check {
        Check::Prose | Check::Passphrase => {
            value.trim_end_matches(|c: char| c.is_whitespace() || ".,;:)\"'".contains(c))
        }
        _ => value,
    }
}

fn is_free(taken: &BTreeMap<usize, Span>, span: Span) -> bool {
    let before = taken.range(..=span.start).next_back();
    let after = taken.range(span.start..).next();
    before.is_none_or(|(_, s)| s.end <= span.start)
        && after.is_none_or(|(_, s)| s.start >= span.end)
}

/// A sink that restores placeholders in a streamed reply before passing it on. It holds back
/// only a tail that could still become a placeholder when the next piece arrives.
pub struct Restore<'a> {
    redactor: &'a Redactor,
    sink: &'a mut dyn Sink,
    held: String,
}

impl<'a> Restore<'a> {
    pub fn new(redactor: &'a Redactor, sink: &'a mut dyn Sink) -> Self {
        Self {
            redactor,
            sink,
            held: String::new(),
        }
    }

    /// Passes on what is held back; call it once the reply has ended.
    pub fn finish(&mut self) -> std::io::Result<bool> {
        if self.held.is_empty() {
            return Ok(true);
        }
        let rest = std::mem::take(&mut self.held);
        self.sink.piece(&rest)
    }
}

impl Sink for Restore<'_> {
    fn piece(&mut self, text: &str) -> std::io::Result<bool> {
        if self.redactor.count() == 0 {
            return self.sink.piece(text);
        }
        self.held.push_str(text);
        let cut = hold_from(&self.held);
        if cut == 0 {
            return Ok(true);
        }
        let ready = self.redactor.restore(&self.held[..cut]);
        self.held.drain(..cut);
        self.sink.piece(&ready)
    }
}

/// Where the tail that could still grow into a placeholder begins (the length when none).
/// Only the last `[` can start one: a placeholder holds no other `[`.
fn hold_from(text: &str) -> usize {
    let Some(at) = text.rfind('[') else {
        return text.len();
    };
    let tail = &text[at..];
    let could_grow = tail.len() < MAX_PLACEHOLDER
        && (PREFIX.starts_with(tail)
            || tail.strip_prefix(PREFIX).is_some_and(|rest| {
                rest.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            }));
    if could_grow {
        at
    } else {
        text.len()
    }
}

#[cfg(test)]
mod tests;
