//! The checks for secrets people keep in notes (issue 27): recovery codes, TOTP seeds,
//! passphrases, base64 that decodes to a credential, and keys printed by the command that
//! made them. Each says whether a value a rule found is one, as `check::passes` does for
//! the others.
use super::check::{base64_decode, classes, entropy, is_example, is_value, looks_like_password};

/// Small words of sentences: a run of words holding one is prose ("on the router sticker"),
/// where a passphrase is words drawn at random.
const STOP_WORDS: &[&str] = &[
    "the", "a", "an", "on", "in", "at", "of", "to", "is", "it", "and", "or", "for", "with", "my",
    "your", "our", "this", "that", "from", "by", "be", "are", "was", "not", "no", "ask", "see",
    "use", "as", "if", "we", "you", "i", "me", "here", "there", "stored", "kept",
];

/// The longest recovery code services print (Microsoft's, five groups of five with dashes)
/// is 29 characters; a longer token is a key or an address.
const LONGEST_CODE: usize = 32;

/// A block of codes: split into codes (list marks dropped), most of which hold a digit,
/// none longer than a code, under words that do not say they are public.
pub(super) fn is_codes(block: &str, announced: Option<&str>) -> bool {
    let public = announced.is_some_and(|a| {
        let a = a.to_ascii_lowercase();
        a.contains("public") || a.contains("recipient")
    });
    let codes: Vec<&str> = block
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty() && !is_list_mark(t))
        .collect();
    let with_digit = codes
        .iter()
        .filter(|t| t.chars().any(|c| c.is_ascii_digit()))
        .count();
    let short = codes.iter().all(|t| t.len() <= LONGEST_CODE);
    !public && short && !codes.is_empty() && with_digit * 2 >= codes.len() && !is_example(block)
}

fn is_list_mark(t: &str) -> bool {
    matches!(t, "-" | "*" | "•")
        || (t.len() <= 3
            && t.ends_with(['.', ')'])
            && t[..t.len() - 1].chars().all(|c| c.is_ascii_digit()))
}

/// Base32 (RFC 4648) of one case, 16 characters or more once spaces are dropped; letters
/// alone must be upper case and varied, since lower-case letters alone are words.
pub(super) fn is_seed(value: &str) -> bool {
    let v: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    let upper = v.chars().all(|c| !c.is_ascii_lowercase());
    let lower = v.chars().all(|c| !c.is_ascii_uppercase());
    let digit = v.chars().any(|c| ('2'..='7').contains(&c));
    v.len() >= 16
        && (upper || lower)
        && (digit || (upper && entropy(&v) >= 3.4))
        && !spells_alphabet(&v)
}

/// Letter pairs common in English words, and so in names written in capitals.
const COMMON_PAIRS: &[&str] = &[
    "TH", "HE", "IN", "ER", "AN", "RE", "ON", "EN", "AT", "ES", "ED", "TE", "TI", "OR", "ST", "AR",
    "ND", "TO", "NT", "IS", "IT", "AL", "AS", "HA", "ET", "SE", "OU", "OF", "NG", "IO", "LE", "DE",
    "CO", "RO", "RA", "LI", "RI", "ME", "MA", "CE", "NE",
];

/// An upper-case name made of words (`SHA256WITHRSAENCRYPTION`, `PKCS7PADDINGMODE2`): a
/// quarter of its letters vowels and three or more of its letter pairs common in English, at
/// least one pair in seven. Random base32 with two digits meets all three about once in
/// sixty draws of 16 characters and once in 140 of 32 (a simulation of 20,000 each).
pub(super) fn reads_as_words(value: &str) -> bool {
    let v = value.to_ascii_uppercase();
    let letters = v.chars().filter(|c| c.is_ascii_alphabetic()).count();
    let vowels = v.chars().filter(|c| "AEIOU".contains(*c)).count();
    let pairs = v.len().saturating_sub(1);
    let common = (0..pairs)
        .filter(|&i| v.get(i..i + 2).is_some_and(|p| COMMON_PAIRS.contains(&p)))
        .count();
    vowels * 4 >= letters && common >= 3 && common * 7 >= pairs
}

/// Five letters or digits in alphabetical order (`ABCDE`, `34567`): the base32 alphabet
/// written out in code, which a random seed all but never holds.
fn spells_alphabet(v: &str) -> bool {
    v.as_bytes()
        .windows(5)
        .any(|w| w.windows(2).all(|p| p[1] == p[0] + 1))
}

/// A passphrase: three to twenty-four words with no small word of a sentence among them, or
/// a single token that looks like a password (`walnut-ember-quartz-42`).
pub(super) fn is_phrase(value: &str) -> bool {
    let v = value.trim_end_matches(|c: char| c.is_whitespace() || ".,;)\"'".contains(c));
    let v = v.trim_start_matches(['"', '\'']);
    if v.starts_with(['(', '<', '[', '{', '$']) || is_example(v) || v.contains("://") {
        return false;
    }
    let words: Vec<&str> = v.split_whitespace().collect();
    match words.len() {
        0 => false,
        1 => is_value(v, None) && looks_like_password(v),
        n => {
            (3..=24).contains(&n)
                && words.iter().all(|w| {
                    w.chars().all(|c| c.is_alphanumeric())
                        && !STOP_WORDS.contains(&w.to_ascii_lowercase().as_str())
                })
        }
    }
}

/// A name that says its value is a passphrase (`BORG_PASSPHRASE`, `mnemonic`, `seed_phrase`).
pub(super) fn names_passphrase(name: Option<&str>) -> bool {
    name.is_some_and(|n| {
        let n = n.to_ascii_lowercase();
        n.contains("passphrase") || n.contains("mnemonic") || n.ends_with("phrase")
    })
}

/// Base64 that decodes to a credential: `user:password` (Docker's `auth`), a URL with a
/// password, or one random-looking token. Data (binary, or text with spaces such as an
/// encoded config) is not one.
pub(super) fn is_base64_credential(value: &str, name: Option<&str>) -> bool {
    let Some(bytes) = base64_decode(value) else {
        return false;
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return false;
    };
    let printable = text.chars().all(|c| (' '..='~').contains(&c));
    if !printable || text.len() < 4 || is_example(&text) {
        return false;
    }
    let public = name.is_some_and(|n| {
        let n = n.to_ascii_lowercase();
        [
            "user",
            "name",
            "email",
            "host",
            "public",
            "port",
            "ca.crt",
            "namespace",
        ]
        .iter()
        .any(|w| n.contains(w))
    });
    if text.contains(char::is_whitespace) || public {
        return false;
    }
    let url_password = text.contains("://")
        && text.split("://").nth(1).is_some_and(|r| {
            r.split('@').next().is_some_and(|u| u.contains(':')) && r.contains('@')
        });
    let user_pass = !text.contains("://")
        && text
            .split_once(':')
            .is_some_and(|(u, p)| !u.is_empty() && p.len() >= 4);
    let token = text.len() >= 8 && classes(&text) >= 2 && entropy(&text) >= 3.0;
    url_password || user_pass || token || names_secret(name)
}

/// A key that says its value is a secret (`MYSQL_ROOT_PASSWORD`, `api-token`): whatever
/// printable word it decodes to is one, random-looking or not (`Willow575%`).
fn names_secret(name: Option<&str>) -> bool {
    name.is_some_and(|n| {
        let n = n.to_ascii_lowercase();
        ["password", "passwd", "passphrase", "secret", "token", "pwd"]
            .iter()
            .any(|w| n.contains(w))
    })
}

/// A key after the command that generated it, unless that command printed a public key.
pub(super) fn is_private_output(value: &str, command: Option<&str>) -> bool {
    let public = command.is_some_and(|c| c.to_ascii_lowercase().contains("pub"));
    !public && !is_example(value) && entropy(value) >= 3.0
}
