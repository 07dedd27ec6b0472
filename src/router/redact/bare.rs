//! A bare value that ends a line of code with `,` or `;` (`"password": x,`, `let pw = x;`):
//! mostly a variable, an attribute or an expression, and sometimes a password written in
//! place in a docstring, a config example or a test. The password must look like nothing
//! code writes there.

use super::check::mixes_case_at_random;

/// Operators between two operands (`a + b`, `a|b`); `!` and `@` are not among them, since
/// code does not put them between two words without spaces and passwords do.
const BINARY: &[char] = &['+', '-', '*', '/', '%', '^', '&', '|'];
/// What may stand before an operand (`!flag`, `-1`, `*ptr`, `&x`, `~mask`).
const UNARY: &[char] = &['!', '-', '*', '&', '~'];

/// Whether a bare value before `,` or `;` at a line's end is a password, not code.
pub(super) fn is_bare_password(v: &str) -> bool {
    // Otherwise a symbol code would not write there (`P3pp3r#50`, `Tundra2880%`), or a name
    // that mixes letters and digits at random (`x64f12qb`).
    is_passphrase(v) || !is_expression(v)
}

/// `quartz-pepper-cinder-11`: three or more lower-case words of three letters or more, with
/// a number at the end or not; code subtracts with spaces, or shorter names.
fn is_passphrase(v: &str) -> bool {
    let mut parts: Vec<&str> = v.split('-').collect();
    if parts
        .last()
        .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        parts.pop();
    }
    parts.len() >= 3
        && parts
            .iter()
            .all(|w| w.len() >= 3 && w.chars().all(|c| c.is_ascii_lowercase()))
}

/// Operands joined by operators, each a name or a number (`a-b`, `!done`, `value?`, `x*2`,
/// `self.size`): what code puts there. An operand that mixes letters and digits the way a
/// password does (`x64f12qb`, `Maple9789`) is not code.
fn is_expression(v: &str) -> bool {
    let v = v.trim_start_matches(UNARY).trim_end_matches('?');
    !v.is_empty()
        && v.split(BINARY)
            .filter(|p| !p.is_empty())
            .all(|p| is_number(p) || (is_name(p) && !mixes_like_a_password(p)))
}

fn is_number(p: &str) -> bool {
    p.chars().all(|c| c.is_ascii_digit() || c == '.')
        || p.strip_prefix("0x")
            .is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A name, dotted or not (`username`, `conninfo.userid`, `$scope`).
fn is_name(p: &str) -> bool {
    let p = p.strip_prefix('$').unwrap_or(p);
    p.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && p.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

/// Letters and digits in turn three times or more (`x64f12qb`; names such as `ipv4addr` or
/// `sha256sum` turn twice), or a word of four letters or more with three digits or more
/// after it (`Maple9789`), the shape people choose passwords in.
fn mixes_like_a_password(p: &str) -> bool {
    let chars: Vec<char> = p.chars().collect();
    let turns = chars
        .windows(2)
        .filter(|w| w[0].is_ascii_digit() != w[1].is_ascii_digit())
        .filter(|w| w[0].is_ascii_alphanumeric() && w[1].is_ascii_alphanumeric())
        .count();
    let digits = p.len() - p.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let head = &p[..p.len() - digits];
    let word_then_number =
        digits >= 3 && head.len() >= 4 && head.chars().all(|c| c.is_ascii_alphabetic());
    turns >= 3 || word_then_number || mixes_case_at_random(p)
}

#[cfg(test)]
mod tests {
    use super::is_bare_password;

    #[test]
    fn code_stays_and_passwords_go() {
        for code in [
            "username",
            "conninfo.userid",
            "sasl_username",
            "None",
            "self.password",
            "password?",
            "!done",
            "-1",
            "a-b",
            "len-1",
            "x*2",
            "&mut",
            "sha256sum",
            "ipv4addr",
            "0x1f",
            "$scope",
            "total-count",
            "getHTTPResponseCode",
            "IOError",
            "parseJSONToXML",
        ] {
            assert!(!is_bare_password(code), "{code}");
        }
        for password in [
            "P3pp3r#50",
            "Tundra2880%",
            "Maple9789?",
            "Summ1t!25",
            "0rch1d@97",
            "x64f12qb",
            "w6rp0i3em",
            "quartz-pepper-cinder-11",
            "u5VnA_Xl!A",
            "Willow9074$",
            "qLOaUgPFZn",
        ] {
            assert!(is_bare_password(password), "{password}");
        }
    }
}
