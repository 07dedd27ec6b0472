//! The rules that say what a secret looks like. Each has a kind (the placeholder's name), a
//! confidence and a check its match must pass. Rules with their own prefix or shape (`ghp_…`,
//! a PEM block, a JWT) are high confidence; rules that judge a value by the name in front of it
//! or by how random it looks are low confidence, since a wrong guess there is likelier.
//! Earlier rules win where matches overlap, so the specific come before the generic.
use std::sync::{LazyLock, OnceLock};

use regex::Regex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confidence {
    High,
    Low,
}

/// What a match must pass besides the pattern, by how much the pattern alone proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Check {
    /// A format with its own prefix or shape: refuse only placeholders and documented examples.
    Format,
    /// After a password-like name: anything but a placeholder, a reference or a type name.
    Password,
    /// After a weaker name (token, key, secret, auth): it must also look random.
    Random,
    /// A password in prose: it must look like a password, not like a word.
    Prose,
    /// A word right after "password", with no "is" or colon: "password and/or", "password
    /// manager" are common, so it needs a digit, or a symbol and mixed case.
    ProseBare,
    /// A passphrase in prose: several words are expected.
    Passphrase,
    /// The password in a URL: not a placeholder, not the user name, not a well-known default.
    UrlPassword,
    /// A header value: a credential, not a variable or a placeholder.
    Header,
    /// A quoted literal with no name to go by: long, of mixed classes and random.
    Entropy,
    /// A block of recovery or backup codes: most of its codes hold a digit.
    Codes,
    /// A TOTP seed: base32 of one case, grouped or not, not a word.
    Seed,
    /// A seed with no words before it, a quoted literal: also not an upper-case name
    /// (`"SHA256WITHRSAENCRYPTION"`).
    SeedLiteral,
    /// A passphrase: a few words that are not a sentence, or one password-like token.
    Phrase,
    /// Base64 whose decoded text is a credential (`user:pass`, a random token, a URL with a
    /// password), not data or configuration.
    Base64Credential,
    /// A key printed after a command that made it: not when that command printed a public key.
    NotPublic,
}

pub(super) struct Rule {
    pub kind: &'static str,
    pub confidence: Confidence,
    pub check: Check,
    /// A cheap pattern that matches wherever `pattern` could: mostly a literal. Each runs on
    /// its own: a `RegexSet` of all triggers fell back to the slow engine and took four
    /// fifths of the time. Rules with the same trigger share its windows, so a trigger that
    /// matches a little more than its rule needs (`pass|pw` for `pwd`) is cheaper when another
    /// rule already uses it: a long set of case-insensitive literals (`pw|passw`) cost eight
    /// times as much as `pass|pw`.
    pub trigger: &'static str,
    pattern: &'static str,
    /// How many lines after a trigger's line a match may reach; the rule's pattern runs only
    /// over those lines (`window`). Most rules match within a line, or reach one line on.
    pub lines_after: usize,
}

/// Enough for a value on the line after its name, or a `.netrc` entry over three lines.
const LINES_AFTER: usize = 2;

use Check::*;
use Confidence::*;

const fn rule(
    kind: &'static str,
    confidence: Confidence,
    check: Check,
    trigger: &'static str,
    pattern: &'static str,
) -> Rule {
    Rule {
        kind,
        confidence,
        check,
        trigger,
        pattern,
        lines_after: LINES_AFTER,
    }
}

/// A rule whose match may run `lines` lines past its trigger's line (a block of codes, a PEM
/// key).
const fn reaching(rule: Rule, lines: usize) -> Rule {
    Rule {
        lines_after: lines,
        ..rule
    }
}

/// Names whose value is a password whatever it looks like.
macro_rules! password_name {
    () => {
        r"(?:[A-Za-z0-9_.-]*?(?:password|passwd|passphrase|pwd)s?|(?:[A-Za-z0-9_.-]*[_.-])?(?:pass|pw))"
    };
}

/// One line of recovery codes: an optional list mark, then codes of letters and digits
/// (grouped with dashes) separated by spaces or commas.
macro_rules! code_line {
    () => {
        r"(?:[-*•][ \t]+|\d{1,2}[.)][ \t]+)?[A-Za-z0-9][A-Za-z0-9-]{3,}(?:(?:[ \t]{1,4}|,[ \t]*)[A-Za-z0-9][A-Za-z0-9-]{3,})*"
    };
}

/// What a PIN or a door code is called.
macro_rules! pin_name {
    () => {
        r"(?:(?:sim[ \t]+)?pin(?:[_ \t]?(?:code|number))?|passcode|user[_ \t]?code|unlock[ \t]+(?:pin|code)|(?:door|alarm|gate|access|lock|locker|garage|keypad|entry|building|office|safe|key[ \t]?safe|keybox|lock[ \t]?box|padlock|bike|storage|shed|mailbox|gym|phone|card|bank|atm|sim|voicemail|radio)[ \t]+(?:code|pin|combination|combo)|puk[0-9]?(?:[ \t]?code)?|combination|combo|keypad|door|gate)"
    };
}

/// Names whose value is a secret only when it looks random.
macro_rules! secret_name {
    () => {
        r"(?:[A-Za-z0-9_.-]*?(?:secret|token|credentials?|api[_.-]?key|apikey|(?:access|secret|private|signing|encryption|master|auth|client|account|shared[_.-]?access|license|service|app|admin|webhook|hmac|session|storage|jwt|[_.-])key|auth|session[_.-]?id|sessionid)(?:[_.-](?:base|value|data|b64|base64|hex|raw))?)"
    };
}

/// `NAME = "value"` in any of the usual syntaxes: a type may stand between (`TOKEN: &str =
/// "…"`), and a call may wrap the literal (`[]byte("…")`, `SecretStr("…")`).
macro_rules! assign_quoted {
    () => {
        r#"["']?(?:[ \t]*:[ \t]*&?(?:'static[ \t]+)?[A-Za-z_][A-Za-z0-9_:]*(?:<[^>\n]*>)?[ \t]*=|[ \t]*(?:=|:=|=>|:))[ \t]*(?:[A-Za-z_][A-Za-z0-9_.:]*\(|\[\]byte\()?(?:"(?P<s>[^"\n]+)"|'(?P<s2>[^'\n]+)'|`(?P<s3>[^`\n]+)`)"#
    };
}

/// `NAME = value` without quotes, in the middle of a line. A value followed by `(`, `[`, `<`
/// or `=` is code (`passwd = getpass(…)`, `password: Option<String>`, `key: u32 = 0`), which
/// the `call` group tells (a closing tag, `</span>`, is no type's bracket); one that ends a
/// line with `,` or `;` (the `end` group) mostly is (`"password": password,`, `Password =
/// 8107,`), and must look like nothing code writes there (`bare`). A value stops before `::`: in `let pwd: libc::passwd = …;` the type is no
/// value, and the name after it must stay free for the next match.
macro_rules! assign_bare {
    () => {
        r#"["']?[ \t]*(?:=|:=|=>|:)[ \t]*(?P<s>[^\s"'`,;:()\[\]{}<>&](?:[^\s"'`,;:()\[\]{}<>&]|:[^\s"'`,;:()\[\]{}<>&])*)(?:(?P<call>[(\[]|<[^/]|[ \t]*=[^=>])|(?P<end>[,;][ \t]*\r?$))?"#
    };
}

/// A whole line `NAME=value` (.env, shell, YAML, INI): the value runs to the end of the line,
/// brackets and all, since nothing else follows it there. A line that ends in `,`, `;` or
/// `{` is a statement or a struct field in code.
macro_rules! line_start {
    () => {
        r"(?im)^[ \t-]*(?:export[ \t]+)?"
    };
}

macro_rules! line_value {
    () => {
        r#"[ \t]*[:=][ \t]*(?P<s>[^\s"'`:]\S*[^\s,;{]|[^\s"'`,;{:])[ \t]*(?:[ \t]#[^\n]*)?\r?$"#
    };
}

/// What may stand before a name: not part of a longer one.
macro_rules! name_start {
    () => {
        r"(?im)(?:^|[^A-Za-z0-9_.-])"
    };
}

/// The rules, most specific first: formats that announce themselves, then values judged by
/// what stands around them (a URL, a header, a name, a word), then bare randomness.
#[rustfmt::skip]
pub(super) static RULES: &[Rule] = &[
    // Rules for formats that announce themselves.
    reaching(rule("private_key", High, Format, r"PRIVATE KEY", r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----"), usize::MAX),
    // A block cut short (a paste that stops mid-key) still holds most of the key.
    reaching(rule("private_key", High, Format, r"PRIVATE KEY", r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?:(?:\\n|\s)+[A-Za-z0-9+/=]{16,})+"), usize::MAX),
    rule("aws_access_key", High, Format, r"AKIA|ASIA|ABIA|ACCA", r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b"),
    // Not after a dot: `docs.aws.amazon.com/…/developerguide/how` is a link's path.
    rule("aws_secret_key", High, Format, r"(?i)aws|access[ _-]?key", r"(?i)(?:aws|access[ _-]?key|secret[ _-]?access[ _-]?key)[^\n]{0,80}?[^A-Za-z0-9/+=.](?P<s>[A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"),
    rule("gcp_api_key", High, Format, r"AIza", r"\bAIza[0-9A-Za-z_-]{35}"),
    rule("azure_key", High, Format, r"(?i)accountkey|sharedaccess", r"(?i)(?:AccountKey|SharedAccessKey|SharedAccessSignature)=(?P<s>[A-Za-z0-9+/]{20,}={0,2})"),
    rule("azure_key", High, Format, r"sig=", r"[?&]sig=(?P<s>[A-Za-z0-9%+/]{20,})"),
    rule("azure_key", High, Format, r"Q~", r"\b[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}"),
    rule("github_token", High, Format, r"ghp_|gho_|ghu_|ghs_|ghr_", r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b"),
    rule("github_token", High, Format, r"github_pat_", r"\bgithub_pat_[A-Za-z0-9_]{50,}"),
    rule("gitlab_token", High, Format, r"glpat-|glrt-|gldt-|glptt-|glcbt-|gloas-|glsoat-", r"\bgl(?:pat|rt|dt|ptt|cbt|oas|soat)-[A-Za-z0-9_-]{20,}"),
    rule("npm_token", High, Format, r"npm_", r"\bnpm_[A-Za-z0-9]{36}\b"),
    rule("pypi_token", High, Format, r"pypi-AgEI", r"\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}"),
    rule("crates_token", High, Format, r"cio", r"\bcio[A-Za-z0-9]{32}\b"),
    rule("docker_token", High, Format, r"dckr_pat_", r"\bdckr_pat_[A-Za-z0-9_-]{27,}"),
    rule("huggingface_token", High, Format, r"hf_", r"\bhf_[A-Za-z]{34}\b"),
    rule("slack_webhook", High, Format, r"hooks\.slack\.com", r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/]{20,}"),
    rule("slack_token", High, Format, r"xox", r"\bxox[abposre]-[0-9]{6,}-[A-Za-z0-9-]{10,}"),
    rule("slack_token", High, Format, r"xapp-", r"\bxapp-\d-[A-Za-z0-9-]{20,}"),
    rule("discord_webhook", High, Format, r"/api/webhooks/", r"https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api/webhooks/\d+/[A-Za-z0-9_-]{30,}"),
    rule("teams_webhook", High, Format, r"webhook\.office\.com", r"https://[A-Za-z0-9-]+\.webhook\.office\.com/webhook(?:b2)?/[A-Za-z0-9@/_-]{40,}"),
    rule("stripe_key", High, Format, r"sk_live_|rk_live_|sk_test_|rk_test_", r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,}\b"),
    rule("stripe_key", High, Format, r"whsec_", r"\bwhsec_[A-Za-z0-9]{24,}"),
    rule("sendgrid_key", High, Format, r"SG\.", r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b"),
    rule("mailgun_key", High, Format, r"key-", r"\bkey-[0-9a-f]{32}\b"),
    rule("shopify_token", High, Format, r"shpat_|shpca_|shppa_|shpss_", r"\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b"),
    rule("square_token", High, Format, r"sq0atp-|sq0csp-|EAAA", r"\b(?:sq0atp|sq0csp)-[A-Za-z0-9_-]{22,}|\bEAAA[A-Za-z0-9_-]{56,}"),
    rule("braintree_token", High, Format, r"access_token\$production\$", r"access_token\$production\$[a-z0-9]{16}\$[a-f0-9]{32}"),
    rule("anthropic_key", High, Format, r"sk-ant-", r"\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,}"),
    rule("openai_key", High, Format, r"T3BlbkFJ", r"\bsk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}"),
    rule("openai_key", High, Format, r"sk-proj-|sk-svcacct-|sk-admin-", r"\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}"),
    rule("ai_key", High, Format, r"gsk_|sk-or-v1-|xai-", r"\bgsk_[A-Za-z0-9]{52}\b|\bsk-or-v1-[0-9a-f]{64}\b|\bxai-[A-Za-z0-9]{80}\b"),
    rule("service_token", High, Format, r"hvs\.|dop_v1_|lin_api_|ATATT3|NRAK-|ntn_|glc_|glsa_|AGE-SECRET-KEY-1|dp\.st\.|dp\.ct\.|dp\.sa\.|dp\.pt\.|PMAK-", r"\bhvs\.[A-Za-z0-9_-]{24,}|\bdop_v1_[a-f0-9]{64}\b|\blin_api_[A-Za-z0-9]{40}\b|\bATATT3[A-Za-z0-9_=-]{100,}|\bNRAK-[A-Z0-9]{27}\b|\bntn_[A-Za-z0-9]{40,}|\bglc_[A-Za-z0-9+/]{32,}={0,2}|\bglsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}\b|\bAGE-SECRET-KEY-1[0-9A-Z]{58}\b|\bdp\.(?:st|ct|sa|pt)\.[A-Za-z0-9_-]{40,}|\bPMAK-[0-9a-f]{24}-[0-9a-f]{34}\b"),
    rule("twilio_key", High, Format, r"SK", r"\bSK[0-9a-fA-F]{32}\b"),
    // A Telegram bot token: the bot's id, a colon, 35 characters (the Bot API's format).
    rule("telegram_token", High, Format, r":[A-Za-z0-9_-]{35}", r"(?:^|[^0-9A-Za-z]|bot)(?P<s>\d{6,12}:[A-Za-z0-9_-]{35})(?:[^A-Za-z0-9_-]|$)"),
    rule("totp_seed", High, Format, r"otpauth://", r"otpauth://[th]otp/[^\s?]*\?(?:[^\s#]*&)?secret=(?P<s>[A-Za-z2-7]{16,128}=*)"),
    rule("wireguard_key", High, Format, r"(?i)privatekey|presharedkey", r"(?i)\b(?:PrivateKey|PresharedKey)[ \t]*=[ \t]*(?P<s>[A-Za-z0-9+/]{42,43}=)"),
    rule("api_key", Low, Format, r"sk-", r"\bsk-[A-Za-z0-9]{32,}\b"),
    rule("jwt", High, Format, r"eyJ[A-Za-z0-9_-]{8,}\.eyJ", r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}"),
    // Rules that go by what stands around a value: a URL, a header, a name, a word.
    rule("url_password", High, UrlPassword, r"://", r"\b[A-Za-z][A-Za-z0-9+.-]{1,20}://(?P<u>[^\s:/?#@\x22'<>]*):(?P<s>[^\s/?@\x22'<>]+)@[A-Za-z0-9.\[\]-]"),
    rule("url_password", Low, Password, r"(?i)pass|pw", r"(?i)[?&;](?:password|passwd|pwd|pass)=(?P<s>[^&\s\x22'#;]+)"),
    rule("auth_header", High, Header, r"(?i)authorization", r#"(?i)\bAuthorization["']?[ \t]*[:=][ \t]*["']?(?:Bearer|Basic|Token|Digest|Bot)[ \t]+(?P<s>[A-Za-z0-9._~+/=-]{8,})"#),
    rule("auth_header", High, Header, r"(?i)api-?key|auth-token|private-token|access-token|x-token", r#"(?i)\b(?:x-api-key|api-key|x-auth-token|private-token|x-access-token|apikey|x-token)["']?[ \t]*[:=][ \t]*["']?(?P<s>[A-Za-z0-9._~+/=-]{16,})"#),
    rule("password", Low, Password, r"(?i)pass|pw", concat!(line_start!(), "(?P<n>", password_name!(), ")", line_value!())),
    rule("secret", Low, Random, r"(?i)secret|token|credential|key|auth|session", concat!(line_start!(), "(?P<n>", secret_name!(), ")", line_value!())),
    rule("password", Low, Password, r"(?i)pass|pw", concat!(name_start!(), "(?P<n>", password_name!(), ")", assign_quoted!())),
    rule("secret", Low, Random, r"(?i)secret|token|credential|key|auth|session", concat!(name_start!(), "(?P<n>", secret_name!(), ")", assign_quoted!())),
    // In the middle of a line a name may be a word in a sentence ("first pass: decide").
    rule("password", Low, Prose, r"(?i)pass|pw", concat!(name_start!(), "(?P<n>", password_name!(), ")", assign_bare!())),
    rule("secret", Low, Random, r"(?i)secret|token|credential|key|auth|session", concat!(name_start!(), "(?P<n>", secret_name!(), ")", assign_bare!())),
    rule("password", Low, Password, r"(?i)define\(", r#"(?i)\bdefine\(\s*['"][A-Z0-9_]*(?:PASSWORD|SECRET|KEY|SALT|TOKEN)['"]\s*,\s*['"](?P<s>[^'"\n]+)['"]"#),
    // A .pgpass line: host:port:database:user:password.
    rule("password", Low, Password, r":(?:\d+|\*):", r"(?m)^[A-Za-z0-9.*-]+:(?:\d{2,5}|\*):[^:\s]+:[^:\s]+:(?P<s>[^:\s]+)\r?$"),
    rule("password", Low, Password, r"machine", r"\bmachine\s+\S+\s+login\s+\S+\s+password\s+(?P<s>\S+)"),
    rule("password", Low, Password, r"(?i)<(?:password|passwd|secret|token|api)", r"(?i)<(?:password|passwd|secret|token|api[_-]?key)>(?P<s>[^<\s]{3,})</"),
    // A flag's value is a word in prose ("--password via the CLI is insecure").
    rule("password", Low, Prose, r"(?i)-pass|-pw", r#"(?i)(?:^|\s)--?(?:[a-z]+-)*(?:password|passwd|pass|pw)(?:=|[ \t]+)['"]?(?P<s>[^\s'"]+)"#),
    rule("secret", Low, Random, r"(?i)--[a-z-]*(?:token|api-key|secret|key)", r#"(?i)(?:^|\s)--(?:[a-z]+-)*(?:token|api-key|secret|key)(?:=|[ \t]+)['"]?(?P<s>[^\s'"]+)"#),
    rule("password", Low, Password, r"-pass(?:in|out)", r"-pass(?:in|out)\s+pass:(?P<s>\S+)"),
    rule("password", Low, Password, r"mysql", r#"\bmysql(?:dump|admin)?\b[^\n|;]*?\s-p(?:'(?P<s>[^'\n]+)'|"(?P<s2>[^"\n]+)"|(?P<s3>[^\s'"-]\S*))"#),
    rule("password", Low, Password, r"sshpass", r#"\bsshpass\s+-p\s*(?:'(?P<s>[^'\n]+)'|"(?P<s2>[^"\n]+)"|(?P<s3>\S+))"#),
    rule("password", Low, Password, r"-u\s|--user", r#"(?:^|\s)(?:-u|--user)\s+['"]?[^\s:'"]+:['"]?(?P<s>[^\s'"]+)"#),
    rule("password", Low, Password, r"htpasswd", r#"\bhtpasswd\s+(?:-[A-Za-z]+\s+)*\S+\s+\S+\s+['"]?(?P<s>[^\s'"]+)"#),
    rule("password", Low, Passphrase, r"(?i)passphrase", r"(?im)(?:^|[^A-Za-z0-9_.-])passphrase[ \t]*(?:[:=]|is)[ \t]*(?P<s>[^\n]{4,80})"),
    // Prose says "password: x" or "the password is x"; `password = x` is code, above. The
    // word stands alone: `base-passwd` and `user_pw` are names of something else.
    rule("password", Low, Prose, r"(?i)pass|pw|psw", r"(?im)(?:^|[^A-Za-z0-9_.-])(?:password|passwd|passcode|pw|pwd|pass|psw)[ \t]*:[ \t]*(?P<s>\S+)"),
    rule("password", Low, Prose, r"(?i)pass|pw", r"(?im)(?:^|[^A-Za-z0-9_.-])(?:password|passwd|passcode|pw|pwd|pass)(?:[ \t]+(?:for|of|to|on)[ \t]+[^\n.,;:!?]{1,40}?)?[ \t]+(?:is|was)[ \t]+(?P<s>\S+)"),
    rule("password", Low, ProseBare, r"(?i)pass|pw", r"(?im)(?:^|[^A-Za-z0-9_.-])(?:password|passwd|pw|pwd)[ \t]+(?P<s>\S+)"),
    // "pass" alone is mostly a verb ("pass ssl=True"); next to a user name it is a password.
    rule("password", Low, ProseBare, r"(?i)pass|pw", r"(?i)\b(?:user(?:name)?|login|admin)\b[^\n]{0,40}?\bpass[ \t]+(?P<s>\S+)"),
    // Secrets people keep in notes, announced by the words before them (issue 27).
    reaching(rule("recovery_codes", Low, Codes, r"(?i)recovery|backup|emergency|scratch|2fa|mfa|otp", concat!(r"(?i)(?P<n>\b(?:recovery|backup|emergency|scratch|2fa|mfa|otp)(?:[ \t]+codes?)?\b[^\n:]{0,40}?)(?::[ \t]*(?:\r?\n[ \t]*){0,2}|[ \t]*\r?\n(?:[ \t]*\r?\n)?[ \t]*)(?P<s>", code_line!(), r"(?:\r?\n[ \t]*", code_line!(), r")*)[ \t]*(?:\r?\n|$)")), MAX_CODE_LINES),
    rule("totp_seed", Low, Seed, r"(?i)totp|otp|2fa|mfa|authenticator|seed|key|secret", r"(?i)\b(?:totp|otp|2fa|mfa|authenticator|seed|key|secret)\b(?:[^\n]{0,40}?(?:[:=—–]|[ \t]-|\bis\b|\r?\n))?[ \t]*(?:\r?\n[ \t]*)?(?P<s>[A-Za-z2-7]{4}(?:[ ]?[A-Za-z2-7]{4}){3,15})\b"),
    // A quoted base32 literal with digits of its alphabet (RFC 4648: A-Z, 2-7), the form a
    // TOTP seed takes in code and tests (`"JBSWY3DPEHPK3PXP"`); code's upper-case constants
    // have underscores, and hex has 0, 1, 8 and 9.
    // A base32 literal given to a one-time-password call (`NewDefaultHOTP("…")`, `ROTP::TOTP.new("…")`).
    rule("totp_seed", Low, Seed, r"(?i)totp|otp|2fa|mfa|authenticator|seed|key|secret", r#"(?i)otp\w*(?:\.new)?\([ \t]*["'](?P<s>(?-i:[A-Z2-7]{16,128}|[a-z2-7]{16,128}))=*["']"#),
    // A recovery or backup code quoted after the name of one (`StaticToken.objects.create(…,
    // token="aaaa1111")`, `RecoveryCode.get_by_code_and_user("ABCD-1234", user)`).
    rule("recovery_codes", Low, Codes, r"(?i)recovery|backup|emergency|scratch|static", r#"(?i)(?P<n>\b(?:recovery|backup|emergency|scratch|static)[_ \t-]?(?:codes?|tokens?))\w*[^\n"']{0,60}["'](?P<s>[A-Za-z0-9]{4,10}(?:-[A-Za-z0-9]{4,10})?)["']"#),
    rule("totp_seed", Low, SeedLiteral, r#"["'][A-Z2-7]{16}"#, r#"["'](?P<s>[A-Z]*[2-7][A-Z2-7]*[2-7][A-Z2-7]*)={0,6}["']"#),
    // A prefix joined by an underscore names a PIN too (`ap_pin=`, `user_pin='…'`). A number
    // with a letter after it is code (`IDC_PIN: PCWSTR = 32651u16`).
    rule("pin", Low, Password, r"(?i)pin|puk|code|combination|combo|keypad|door|gate|arm\(", concat!(r"(?i)(?:\b|[a-z0-9]_)", pin_name!(), r#"\b(?:[^\n\d\[\]()`#]{0,40}?(?:\bis|\bwas|:|=|[ \t]-|—|–))?[ \t]*[*#]?b?["']?(?P<s>\d{4,8}|\d{1,2}-\d{1,2}-\d{1,2}(?:-\d{1,2})?|\d{3}-\d{2}-\d{3}|\d{1,2}[ ]\d{1,2}[ ]\d{1,2}(?:[ ]\d{1,2})?)(?:[^\dA-Za-z_-]|$)"#)),
    // A code given to an alarm panel or a pairing call (`disarm("1234")`, `pairing.pin(7225)`).
    rule("pin", Low, Password, r"(?i)pin|puk|code|combination|combo|keypad|door|gate|arm\(", r#"(?i)(?:\.|\b)(?:pin|disarm|arm)\([ \t]*(?:[A-Za-z_.]+,[ \t]*)?(?:usercode[ \t]*=[ \t]*)?["']?(?P<s>\d{4,8})["']?[ \t]*[,)]"#),
    rule("password", Low, Phrase, r"(?i)phrase|mnemonic|wi-?fi|wlan|ssid|wpa|hotspot|master|(?:seed|recovery|backup|secret)[ \t]+words|(?:network|router)[ \t]+(?:key|pass|pw|psk)", r"(?i)(?:^|[^A-Za-z0-9_.-])(?:[A-Za-z0-9]+_)?(?:passphrase|pass[ \t]+phrase|(?:seed|recovery|backup|secret)[ \t]+(?:phrase|words)|mnemonic|(?:guest[ \t]+)?wi-?fi(?:[ \t]+(?:password|pw|key|pass))?|master[ \t]+password)\b[^\n:=]{0,40}?(?:[ \t]*[:=]|[ \t]+is)[ \t]*(?:\r?\n[ \t]*)?(?P<s>[^\n]{4}[^\n]*)"),
    rule("password", Low, Prose, r"(?i)pass|pw", r"(?i)(?:^|[^A-Za-z0-9_.-])(?:password|passwd|passcode|pw|pwd|pass)[ \t]+(?:for|of|to|on|at)[ \t]+[^\n:=]{1,40}?[ \t]*(?:[:=]|[ \t][—–-])[ \t]*(?P<s>\S+)"),
    // A verb that gives a password or a PIN its value: "set the password for the account as
    // "…"", "change the PIN from 123456 to …"; the value may be quoted.
    rule("password", Low, Prose, r"(?i)pass|pw|pin", r#"(?i)\b(?:change[sd]?|changing|reset|resets|set|sets|setting|update[sd]?|updating|choose|chose)\b[^\n]{0,40}?\b(?:password|passwd|pw|pin|passcode)(?:[ \t]+(?:for|of)[ \t]+[^\n"'`]{1,30}?)?[ \t]+(?:to|as|from)[ \t]+["'`]?(?P<s>[^\s"'`]+)"#),
    rule("password", Low, Prose, r"(?i)log", r"(?i)\blog(?:ged|s)?[ \t]+(?:in|on)(?:to)?\b[^\n]{0,50}?\bwith[ \t]+(?P<s>\S+)"),
    rule("password", Low, Prose, r"(?i)login|user|account", r"(?i)\b(?:login|user(?:name)?|account)[ \t:]+\S+[ \t]+/[ \t]+(?P<s>\S+)"),
    // Notes name a code by what it opens (`Keysafe: 2704`, `Bike lock: 4-4-9-1`, `Office
    // alarm — 55190`). These names are common words in code too (`lock: 3000`), so a colon,
    // a dash, `is` or `with` must stand between, never `=`, nothing but punctuation or a
    // bracket may follow the code, and a lock, an alarm or a safe needs a word before it
    // (`alarm: 3600` is a config's timer).
    rule("pin", Low, Password, r"(?i)[a-z'][ \t]+(?:lock|alarm|safe)\b|padlock|lock[ \t]?box|key[ \t]?safe|locker|storage|disarm", r#"(?im)\b(?:[A-Za-z']+[ \t]+(?:lock|alarm|safe)|padlock|lock[ \t]?box|key[ \t]?safe|locker|storage(?:[ \t]+unit)?|disarm)\b[^\n\d\[\]()`#=]{0,30}?(?:\bis|\bwas|\bwith|:|[ \t]-|—|–)[ \t]*[*#]?(?P<s>\d{4,8}|\d{1,2}-\d{1,2}-\d{1,2}(?:-\d{1,2})?|\d{1,2}[ ]\d{1,2}[ ]\d{1,2}(?:[ ]\d{1,2})?)[ \t]*(?:[.,;!)#*(]|\r?$)"#),
    // A password after an arrow (`master password -> …`), as notes and chat write it.
    rule("password", Low, Prose, r"(?i)pass|pw", r#"(?im)(?:^|[^A-Za-z0-9_.-])(?:password|passwd|passphrase|passcode|pw|pwd)s?[ \t]*(?:->|=>|→)[ \t]*["']?(?P<s>[^\s"'\[\](){}<>]+)["']?(?:[ \t]|[.,;!]?\r?$)"#),
    // A network's key beside its name (`Guest Wi-Fi: network Cafe, key: espresso2019`).
    rule("password", Low, Prose, r"(?i)phrase|mnemonic|wi-?fi|wlan|ssid|wpa|hotspot|master|(?:seed|recovery|backup|secret)[ \t]+words|(?:network|router)[ \t]+(?:key|pass|pw|psk)", r#"(?i)\b(?:wi-?fi|wlan|ssid)\b[^\n]{0,60}?\b(?:key|password|pw|pass|psk)\b[ \t]*(?::|=|\bis\b|->|—|–)[ \t]*["']?(?P<s>[^\s"',;]+)"#),
    // A login and its password with a slash between (`Login for the NAS: admin / nas2021`);
    // not a URL's path after its user (`sms://user:pass@Sender/18005551234`).
    rule("password", Low, Prose, r"(?i)login|user|account", r"(?i)(?:^|[^A-Za-z0-9_./-])(?:login|user(?:name)?|account)\b[^\n/]{0,40}?[:=][ \t]*[A-Za-z0-9_.@+-]+[ \t]*/[ \t]*(?P<s>[^\s/]*[A-Za-z][^\s/]*)"),
    // A passphrase set to words, quoted or one dashed token ("set the disk passphrase to
    // "velvet ocean tiger 1987""), judged as a passphrase, not as a password.
    rule("password", Low, Phrase, r"(?i)phrase|mnemonic|wi-?fi|wlan|ssid|wpa|hotspot|master|(?:seed|recovery|backup|secret)[ \t]+words|(?:network|router)[ \t]+(?:key|pass|pw|psk)", r#"(?i)\b(?:change[sd]?|changing|reset|resets|set|sets|setting|update[sd]?|updating|choose|chose)\b[^\n]{0,40}?\bpass[ \t]?phrase(?:[ \t]+(?:for|of)[ \t]+[^\n"'`]{1,30}?)?[ \t]+(?:to|as)[ \t]+(?:["'`](?P<s>[^"'`\n]{4,80})["'`]|(?P<s2>[^\s"'`]+))"#),
    // The password first, then the verb (`Apple ID password changed to Pumpkin#Spice99`).
    rule("password", Low, Prose, r"(?i)pass|pw|pin", r"(?i)(?:^|[^A-Za-z0-9_.-])(?:password|passwd|pw|pin|passcode)[ \t]+(?:was[ \t]+|is[ \t]+|has[ \t]+been[ \t]+)?(?:changed|reset|set|updated)[ \t]+to[ \t]+(?P<s>\S+)"),
    // An e-mail address and its password with a slash between (`jess@example.com / m00n!`);
    // a password there holds a letter, where a phone number or a date does not.
    rule("password", Low, Prose, r"@[A-Za-z0-9.-]+\.[A-Za-z]{2,}[ \t]+/", r"(?i)\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}[ \t]+/[ \t]+(?P<s>[^\s/]*[A-Za-z][^\s/]*)"),
    // A network's key named first (`WPA2 key for the cabin: riverstone42`).
    rule("password", Low, Prose, r"(?i)phrase|mnemonic|wi-?fi|wlan|ssid|wpa|hotspot|master|(?:seed|recovery|backup|secret)[ \t]+words|(?:network|router)[ \t]+(?:key|pass|pw|psk)", r#"(?i)\b(?:wi-?fi|wlan|wpa[23]?|network|router|hotspot)[ \t]+(?:key|password|pw|pass|psk|passphrase)\b[^\n:=]{0,30}?(?::|=|\bis\b|->|—|–)[ \t]*["']?(?P<s>[^\s"',;]+)"#),
    // The new one after a password was changed (`Password was reset; new one is Xq7#mP2v`).
    rule("password", Low, Prose, r"(?i)pass|pw|pin", r"(?i)\b(?:password|passwd|pw|pin|passcode|passphrase)\b[^\n]{0,40}?\bnew[ \t]+(?:one|password|pin|code)[ \t]*(?::|\bis\b)[ \t]*(?P<s>\S+)"),
    // Keys that unlock a disk, a vault or a licence, written in a note (`Vault unseal key: …`).
    rule("secret", Low, Random, r"(?i)secret|token|credential|key|auth|session", r"(?i)\b(?:unseal|recovery|encryption|decryption|master|license|licence|activation|bitlocker|filevault|luks)[ \t]+key\b[^\n:=]{0,20}?(?:[ \t]*[:=]|[ \t]+is|[ \t]*->|[ \t]*[—–])?[ \t]*(?P<s>[A-Za-z0-9+/=_-]{16,})"),
    // A BitLocker recovery password: eight groups of six digits, whatever words stand near.
    rule("recovery_codes", High, Format, r"\d{6}-\d{6}-", r"\b\d{6}(?:-\d{6}){7}\b"),
    // An app password as Google and Apple print it: four groups of four lower-case letters.
    rule("password", Low, Format, r"(?i)pass|pw", r"(?i)\bapp[ \t-]?(?:specific[ \t-])?password\b[^\n:=]{0,30}?(?:[:=]|\bis\b)?[ \t]*(?P<s>(?-i:[a-z]{4}[ ]?[a-z]{4}[ ]?[a-z]{4}[ ]?[a-z]{4}))\b"),
    rule("wireguard_key", Low, Format, r"(?i)private|preshared|psk", r"(?i)\b(?:private|preshared|psk)\b[^\n:=]{0,40}?[:=][ \t]*(?P<s>[A-Za-z0-9+/]{42,43}=)"),
    rule("wireguard_key", Low, NotPublic, r"genkey", r"(?P<n>\bgenkey\b[^\n]*)\r?\n[ \t]*(?P<s>[A-Za-z0-9+/]{42,43}=)"),
    rule("secret", Low, Random, r"(?i)token|secret", r"(?i)\b(?:auth[ \t_-]?token|api[ \t_-]?secret|secret|token)[ \t]+(?P<s>[A-Za-z0-9]{32,64})\b"),
    rule("secret", Low, Random, r"(?i)twilio", r"(?i)\btwilio\b[^\n]{0,80}?\b(?P<s>[0-9a-f]{32})\b"),
    // Base64 values: a Kubernetes Secret's `data:`, Docker's `"auth"`; judged by what they decode to.
    rule("base64_secret", Low, Base64Credential, r":[ \t]+[A-Za-z0-9+/]{12}", r"(?m)^[ \t]+(?P<n>[A-Za-z0-9_.-]+):[ \t]+(?P<s>[A-Za-z0-9+/]{12,}={0,2})[ \t]*\r?$"),
    rule("docker_auth", Low, Base64Credential, r#"(?i)"auth""#, r#"(?i)"auth"[ \t]*:[ \t]*"(?P<s>[A-Za-z0-9+/]{8,}={0,2})""#),
    // A JSON or dict key before the literal may say it is data (`"base64": "…"`).
    rule("secret", Low, Entropy, r#"["'][A-Za-z0-9+/_=.~-]{32}"#, r#"(?:["'](?P<n>[A-Za-z0-9_$.-]{1,40})["'][ \t]*:[ \t]*)?["'](?P<s>[A-Za-z0-9+/_=.~-]{32,400})["']"#),
];

#[cfg(test)]
pub(super) fn patterns(i: usize) -> [&'static str; 2] {
    [RULES[i].trigger, RULES[i].pattern]
}

/// The longest list of recovery codes a service prints is 16 lines (GitHub's); a list may
/// also be spaced out or start under a blank line.
const MAX_CODE_LINES: usize = 40;

/// The triggers, compiled at first use; each rule's full pattern is compiled the first time
/// its trigger matches, since most texts never need most rules.
pub(super) struct Compiled {
    pub triggers: Vec<Regex>,
    patterns: Vec<OnceLock<Regex>>,
}

impl Compiled {
    /// Rule `i`'s full pattern.
    pub fn pattern(&self, i: usize) -> &Regex {
        self.patterns[i].get_or_init(|| {
            Regex::new(&ascii_boundaries(RULES[i].pattern)).expect("a redaction rule compiles")
        })
    }
}

/// Word boundaries are ASCII: the rules look for ASCII tokens, and the fast engines handle
/// ASCII boundaries where Unicode ones would make them give up on non-ASCII text.
pub(super) fn ascii_boundaries(pattern: &str) -> String {
    pattern.replace(r"\b", r"(?-u:\b)")
}

pub(super) static COMPILED: LazyLock<Compiled> = LazyLock::new(|| {
    let triggers: Vec<String> = RULES.iter().map(|r| ascii_boundaries(r.trigger)).collect();
    Compiled {
        triggers: triggers
            .iter()
            .map(|t| Regex::new(t).expect("a redaction trigger compiles"))
            .collect(),
        patterns: RULES.iter().map(|_| OnceLock::new()).collect(),
    }
});
