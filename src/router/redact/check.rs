//! Whether a value a rule found is a secret: placeholders, references, documented examples,
//! type names and words are not; randomness is measured as Shannon entropy over characters.
use super::rules::Check;
use super::stand_ins::{
    DOCUMENTED_EXAMPLES, NOT_VALUES, PLACEHOLDER_WORDS, REFERENCES, TEMPLATE_STARTS,
};

pub(super) fn passes(check: Check, value: &str, name: Option<&str>, user: Option<&str>) -> bool {
    match check {
        Check::Format => !is_example(value) && entropy(value) >= 3.0,
        Check::Password => is_value(value, name),
        Check::Random => {
            is_value(value, name)
                && !is_public_name(name)
                && looks_random(value, 16)
                && !value.chars().all(|c| c.is_ascii_alphabetic())
                && !value.contains("%20")
        }
        Check::Prose => is_value(value, name) && looks_like_password(value),
        Check::ProseBare => {
            is_value(value, name)
                && looks_like_password(value)
                && (value.chars().any(|c| c.is_ascii_digit()) || classes(value) >= 2)
        }
        // A word of symbols alone is an operator: `passphrase: Optional[bytes] = None` is code.
        // A bracket opens a remark (`Passphrase: (ask Bob)`), not a phrase.
        Check::Passphrase => {
            is_value(value, name)
                && !value.starts_with(['(', '['])
                && !value
                    .split_whitespace()
                    .any(|w| w.chars().all(|c| !c.is_alphanumeric()))
                && (value.split_whitespace().count() >= 3 || looks_like_password(value))
        }
        Check::UrlPassword => is_url_password(value, user),
        Check::Header => is_value(value, None) && classes(value) >= 2 && entropy(value) >= 3.0,
        // Judged by `personal`, which uses this file's tests of a value (`redact::judge`).
        Check::Codes
        | Check::Seed
        | Check::SeedLiteral
        | Check::Phrase
        | Check::Base64Credential
        | Check::NotPublic => false,
        Check::Entropy => {
            !name.is_some_and(names_data)
                && !is_public_name(name)
                && !is_example(value)
                && !is_digest_or_public(value)
                && !assigns_digest(value)
                && classes(value) >= 3
                && entropy(value) >= 4.2
                && separators(value) * 10 <= value.len()
                && !is_sequential(value)
                && !has_run(value, 6)
                && !has_word(value)
                && !decodes_to_text(value)
        }
    }
}

/// Keys under which JSON and dicts keep encoded data, not credentials (`"base64": "…"` in a
/// BSON `$binary`, `"data"`, `"content"`).
const DATA_NAMES: &[&str] = &[
    "base64",
    "b64",
    "data",
    "binary",
    "payload",
    "ciphertext",
    "content",
    "body",
    "blob",
    "image",
    "icon",
    "font",
    "thumbnail",
    "digest",
    "hash",
    "checksum",
    "integrity",
    // Encoded public values: a wallet's address, a base58 test vector, an encrypted blob.
    "address",
    "addr",
    "encode",
    "encoded",
    "encrypted",
];

/// A key names data when it is one of `DATA_NAMES`, or ends with one and names no secret
/// (`check_encode`, `payment_address`; not `secret_data`).
fn names_data(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let last = name.rsplit(['_', '-', '.']).next().unwrap_or("");
    let secret = [
        "secret", "token", "key", "pass", "auth", "priv", "cred", "seed",
    ]
    .iter()
    .any(|w| name.contains(w));
    DATA_NAMES.contains(&name.trim_start_matches(['$', '_']))
        || (!secret && DATA_NAMES.contains(&last))
}

/// A documented example or an obvious stand-in inside a format that otherwise looks real.
pub(super) fn is_example(value: &str) -> bool {
    DOCUMENTED_EXAMPLES.iter().any(|e| value.contains(e))
        || value.contains("EXAMPLE")
        || ["xxxx", "XXXX", "****", "...", "…", "${", "{{"]
            .iter()
            .any(|p| value.contains(p))
        || value.starts_with('<')
}

/// Not empty, not a placeholder, not a reference to where the value really lives.
pub(super) fn is_value(value: &str, name: Option<&str>) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    // Spaces around a quoted value, or control characters, mean prose or binary data.
    if v.chars().count() < 3 || v.len() != value.len() || is_example(v) {
        return false;
    }
    if v.chars().any(|c| c.is_control() || c == '\u{fffd}') {
        return false;
    }
    if PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w))
        || TEMPLATE_STARTS.iter().any(|t| v.starts_with(t))
        || REFERENCES.iter().any(|r| {
            lower.starts_with(r)
                || lower
                    .match_indices('(')
                    .any(|(at, _)| lower[at + 1..].starts_with(r))
        })
        || NOT_VALUES.contains(&lower.as_str())
    {
        return false;
    }
    if ["password", "passwd", "secret", "token", "api_key", "apikey"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return false;
    }
    if name.is_some_and(|n| n.to_ascii_lowercase().ends_with(&lower)) || is_capitalised_word(v) {
        return false;
    }
    !is_shell_variable(v)
        && !is_openssh_public_key(v)
        && !is_sentence(v)
        && !is_path(v)
        && !is_identifier(v)
        && !is_code(v)
        && !is_format_string(v)
        && !is_one_char(v)
}

/// An OpenSSH public key line (`ssh-rsa AAAA…`), as `ssh_key` or `authorized_key` hold it:
/// public, whatever name it stands under.
fn is_openssh_public_key(v: &str) -> bool {
    const TYPES: &[&str] = &[
        "ssh-rsa ",
        "ssh-ed25519 ",
        "ssh-dss ",
        "ecdsa-sha2-",
        "sk-ssh-",
        "sk-ecdsa-",
    ];
    TYPES.iter().any(|t| v.starts_with(t)) && v.contains(" AAAA")
}

/// "Added", "Required": a table's cell or a sentence's word. A password of this shape goes
/// unnoticed.
fn is_capitalised_word(v: &str) -> bool {
    v.starts_with(|c: char| c.is_ascii_uppercase())
        && v.chars().skip(1).all(|c| c.is_ascii_lowercase())
}

/// A version: `3.6.1`, `(2.0)`, `v1.2`.
fn is_version(v: &str) -> bool {
    let v = v.trim_start_matches('v');
    v.contains('.') && v.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// Text in quotes that reads as a sentence or a paragraph.
fn is_sentence(v: &str) -> bool {
    v.contains("\\n") || v.split_whitespace().count() >= 5
}

/// What an array or an object literal opens with.
const LITERAL_OPENERS: [char; 2] = ['[', '{'];

/// Code: a call or an index (`auth[2]`, `base64.encodebytes(auth).decode("utf-8")`), a type
/// (`Option<String>`, `&str`), a path (`core::fmt::Debug`), an array, a hex number.
fn is_code(v: &str) -> bool {
    let head = v.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    let call = head.len() < v.len()
        && v.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && (head.starts_with('(') || head.starts_with('['))
        && (v.ends_with(')') || v.ends_with(']') || v.ends_with('('));
    let generic = head.len() < v.len() && head.starts_with('<') && v.ends_with('>');
    let reference = v.strip_prefix('&').is_some_and(|t| {
        t.starts_with(|c: char| c.is_ascii_alphabetic() || c == '\'')
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_<>&'[]".contains(c))
    });
    let structure = v.starts_with(LITERAL_OPENERS);
    let hex_number = v
        .strip_prefix("0x")
        .is_some_and(|h| !h.is_empty() && is_hex(h));
    call || generic || reference || structure || v.contains("::") || hex_number
}

/// `%s:%s`, `{}`, `{token}`, `{0}`: a string that will be filled in (or a `{GUID}`).
fn is_format_string(v: &str) -> bool {
    let braced = v.split('{').skip(1).any(|after| {
        after.split_once('}').is_some_and(|(inside, _)| {
            inside
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        })
    });
    v.contains("%s") || braced
}

fn is_shell_variable(v: &str) -> bool {
    v.strip_prefix('$')
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
}

fn is_path(v: &str) -> bool {
    (v.starts_with('/') || v.starts_with("~/") || v.starts_with("./")) && v[1..].contains('/')
}

/// Code, not a value: `settings.API_KEY`, `DB_PASSWORD`, `hashedPassword`.
fn is_identifier(v: &str) -> bool {
    let word = |s: &str| {
        !s.is_empty()
            && s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let dotted = v.contains('.') && v.split('.').all(word);
    let constant = v.contains('_')
        && word(v)
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    let letters = v.chars().all(|c| c.is_ascii_alphabetic());
    // A name holds a word (`userId`, `xPosition`); `qLOaUgPFZn` holds none.
    let camel = letters
        && v.starts_with(|c: char| c.is_ascii_lowercase())
        && v.chars().any(|c| c.is_ascii_uppercase())
        && longest_lowercase_run(v) >= 3;
    let pascal = letters && is_pascal(v);
    let snake = v.contains('_')
        && word(v)
        && v.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    dotted || constant || camel || pascal || snake
}

fn longest_lowercase_run(v: &str) -> usize {
    let (mut run, mut longest) = (0, 0);
    for c in v.chars() {
        run = if c.is_ascii_lowercase() { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// Capitalised words run together: `AuthenticationString`, not `QxTrPw`.
fn is_pascal(v: &str) -> bool {
    let words: Vec<&str> = v.split(|c: char| c.is_ascii_uppercase()).skip(1).collect();
    v.starts_with(|c: char| c.is_ascii_uppercase())
        && words.len() >= 2
        && words.iter().all(|w| w.len() >= 2)
}

fn is_one_char(v: &str) -> bool {
    let mut chars = v.chars();
    let first = chars.next();
    chars.all(|c| Some(c) == first)
}

/// Names of values meant to be public: publishable keys, public keys.
fn is_public_name(name: Option<&str>) -> bool {
    name.is_some_and(|n| {
        let n = n.to_ascii_lowercase();
        n.contains("public")
            || n.contains("publishable")
            || n.contains("pub_")
            || n.starts_with("pub")
            || n.ends_with("_pub")
    })
}

/// Digests and public material that a quoted-literal rule would otherwise take for a key.
fn is_digest_or_public(v: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "sha1-", "sha256-", "sha384-", "sha512-", "sha256:", "sha512:", "h1:", "pk_live_",
        "pk_test_", "ssh-", "age1", "AAAA",
    ];
    PREFIXES.iter().any(|p| v.starts_with(p)) || is_hex(v) || is_uuid(v)
}

/// `NAME=value` inside one literal (an environment list: `"HTTPD_SHA1=5101be…"`) whose value
/// is a digest or public material.
fn assigns_digest(v: &str) -> bool {
    v.split_once('=').is_some_and(|(name, value)| {
        !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !value.is_empty()
            && is_digest_or_public(value)
    })
}

fn is_hex(v: &str) -> bool {
    v.chars().all(|c| c.is_ascii_hexdigit())
}

fn is_uuid(v: &str) -> bool {
    v.len() == 36
        && v.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Long enough, of at least two character classes, and not a word with a few letters repeated.
fn looks_random(v: &str, min_len: usize) -> bool {
    v.chars().count() >= min_len && classes(v) >= 2 && entropy(v) >= 3.0
}

/// Something a person would choose as a password: not a plain word, a path or a link.
pub(super) fn looks_like_password(value: &str) -> bool {
    let v = value.trim_matches(|c: char| ".,;:!?)(\"'[]<>`".contains(c));
    if v.chars().count() < 4 || v.contains("://") || is_path(v) || v.starts_with('-') {
        return false;
    }
    if is_count_of_things(v) || is_version(v) {
        return false;
    }
    // Letters alone read as a word, an acronym or a type name (`CString`, `LPWSTR`); people
    // who choose passwords add digits or symbols, and a word-only one goes unnoticed here.
    let digit = v.chars().any(|c| c.is_ascii_digit());
    let inner = v
        .char_indices()
        .skip(1)
        .take_while(|&(i, _)| i + 1 < v.len());
    // An apostrophe is a possessive or a contraction ("Ted's"), not a symbol.
    let inner_symbol = inner
        .clone()
        .any(|(_, c)| !c.is_alphanumeric() && c != '\'' && c != '’');
    // Letters whose case changes at random hold no word either (`qLOaUgPFZn`).
    digit || inner_symbol || mixes_case_at_random(v)
}

/// Upper and lower case in turn five times or more with no three lower-case letters in a
/// row (`qLOaUgPFZn`): camelCase and PascalCase names keep words of three letters or more
/// between their capitals (`getHTTPResponse`, `IOError`).
pub(super) fn mixes_case_at_random(p: &str) -> bool {
    let letters: Vec<char> = p.chars().filter(|c| c.is_ascii_alphabetic()).collect();
    let changes = letters
        .windows(2)
        .filter(|w| w[0].is_ascii_lowercase() != w[1].is_ascii_lowercase())
        .count();
    let longest_lower = p
        .split(|c: char| !c.is_ascii_lowercase())
        .map(str::len)
        .max()
        .unwrap_or(0);
    letters.len() >= 8 && changes >= 5 && longest_lower < 3
}

/// "14-day", "3rd", "24h": a number and a unit, as in "a 14-day pass". A unit written
/// without a dash is short ("5min", "30secs"); `8pnocblxt` is no unit.
fn is_count_of_things(v: &str) -> bool {
    let unit = v.trim_start_matches(|c: char| c.is_ascii_digit());
    let (dashed, unit) = match unit.strip_prefix('-') {
        Some(unit) => (true, unit),
        None => (false, unit),
    };
    unit.len() < v.len()
        && !unit.is_empty()
        && (dashed || unit.len() <= 5)
        && unit.chars().all(|c| c.is_ascii_lowercase())
}

fn is_url_password(value: &str, user: Option<&str>) -> bool {
    let lower = value.to_ascii_lowercase();
    if user.is_some_and(|u| u == value) || NOT_VALUES.contains(&lower.as_str()) {
        return false;
    }
    !is_example(value)
        && !PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w))
        && !TEMPLATE_STARTS.iter().any(|t| value.starts_with(t))
        && !is_shell_variable(value)
}

/// Characters that are neither letters nor digits: paths and file names have many, base64
/// a few.
fn separators(v: &str) -> usize {
    v.chars().filter(|c| !c.is_ascii_alphanumeric()).count()
}

/// A run of eight lower-case letters is a word in a name or a path (`core-foundation`), which
/// random text seldom holds.
fn has_word(v: &str) -> bool {
    let mut run = 0;
    for c in v.chars() {
        run = if c.is_ascii_lowercase() { run + 1 } else { 0 };
        if run >= 8 {
            return true;
        }
    }
    false
}

/// Base64 of readable text (a test vector, an encoded config) rather than of random bytes.
fn decodes_to_text(v: &str) -> bool {
    let Some(bytes) = base64_decode(v) else {
        return false;
    };
    let readable = bytes
        .iter()
        .filter(|&&b| b == b'\n' || b == b'\t' || (0x20..0x7f).contains(&b))
        .count();
    bytes.len() >= 8 && readable * 10 >= bytes.len() * 9
}

/// Standard or URL-safe base64, padded or not; None when it is not base64.
pub(super) fn base64_decode(v: &str) -> Option<Vec<u8>> {
    let digits = v.trim_end_matches('=');
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in digits.bytes() {
        let d = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(d);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// One character six times in a row (`AAAAAAAA`, zero bytes in base64): structured data, which
/// random keys almost never hold.
fn has_run(v: &str, len: usize) -> bool {
    let mut run = 0;
    let mut last = None;
    for c in v.chars() {
        run = if Some(c) == last { run + 1 } else { 1 };
        last = Some(c);
        if run >= len {
            return true;
        }
    }
    false
}

/// An alphabet or a counting sequence ("ABCDEF…", "0123…"): varied, but not random.
fn is_sequential(v: &str) -> bool {
    let bytes = v.as_bytes();
    let steps = bytes
        .windows(2)
        .filter(|w| w[1] == w[0].wrapping_add(1))
        .count();
    steps * 3 >= bytes.len()
}

/// How many of upper case, lower case and digits appear.
pub(super) fn classes(v: &str) -> usize {
    let upper = v.chars().any(|c| c.is_ascii_uppercase());
    let lower = v.chars().any(|c| c.is_ascii_lowercase());
    let digit = v.chars().any(|c| c.is_ascii_digit());
    upper as usize + lower as usize + digit as usize
}

/// Shannon entropy in bits per character. ASCII is counted in an array: this runs on every
/// value a rule finds, and a map per call cost a fifth of the redaction time.
pub(super) fn entropy(v: &str) -> f64 {
    let mut ascii = [0usize; 128];
    // A map allocates only when a non-ASCII character comes.
    let mut other: std::collections::HashMap<char, usize> = std::collections::HashMap::new();
    let mut total = 0usize;
    for c in v.chars() {
        total += 1;
        if c.is_ascii() {
            ascii[c as usize] += 1;
        } else {
            *other.entry(c).or_insert(0) += 1;
        }
    }
    if total == 0 {
        return 0.0;
    }
    let counts = ascii.iter().copied().chain(other.values().copied());
    counts
        .filter(|&n| n > 0)
        .map(|n| {
            let p = n as f64 / total as f64;
            -p * p.log2()
        })
        .sum()
}
