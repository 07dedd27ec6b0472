//! The redactor's own behaviour: placeholders, restoring (whole and streamed), leaks, odd
//! input, and regressions from real text. The corpus test lives in tests/it/redact.rs.
use super::*;

const KEY: &str = "AKIAQWERTYU2345ABCDE";
const TOKEN: &str = "ghp_Zq8xT2mK9pL4vN7rB3wY6cF1hJ5dS0aGeUoI";

#[test]
fn every_rule_compiles_alone_and_in_the_set() {
    for (i, rule) in RULES.iter().enumerate() {
        for p in rules::patterns(i) {
            if let Err(e) = Regex::new(&rules::ascii_boundaries(p)) {
                panic!("rule {i} ({}): {e}", rule.kind);
            }
        }
    }
    assert_eq!(COMPILED.triggers.len(), RULES.len());
    for i in 0..RULES.len() {
        COMPILED.pattern(i);
    }
}

#[test]
fn one_secret_one_placeholder_across_calls() {
    let mut r = Redactor::new();
    let a = r.redact(&format!("key {KEY} and again {KEY}"));
    assert_eq!(
        a,
        "key [REDACTED_AWS_ACCESS_KEY_1] and again [REDACTED_AWS_ACCESS_KEY_1]"
    );
    let b = r.redact(&format!("push with {TOKEN}, key {KEY}"));
    assert_eq!(
        b,
        "push with [REDACTED_GITHUB_TOKEN_2], key [REDACTED_AWS_ACCESS_KEY_1]"
    );
    assert_eq!(r.count(), 2);
    assert_eq!(r.kinds(), vec![("aws_access_key", 1), ("github_token", 1)]);
    assert_eq!(
        r.redactions(),
        vec![
            ("[REDACTED_AWS_ACCESS_KEY_1]", "aws_access_key"),
            ("[REDACTED_GITHUB_TOKEN_2]", "github_token")
        ]
    );
}

#[test]
fn restore_puts_back_only_its_own_placeholders() {
    let mut r = Redactor::new();
    r.redact(&format!("export GITHUB_TOKEN={TOKEN}"));
    let reply = "Use [REDACTED_GITHUB_TOKEN_1], not [REDACTED_GITHUB_TOKEN_2] or [REDACTED_GITHUB_TOKEN_1 ].";
    assert_eq!(
        r.restore(reply),
        format!("Use {TOKEN}, not [REDACTED_GITHUB_TOKEN_2] or [REDACTED_GITHUB_TOKEN_1 ].")
    );
    assert_eq!(Redactor::new().restore(reply), reply);
}

#[test]
fn a_pasted_placeholder_is_not_taken_over() {
    let mut r = Redactor::new();
    let text = format!("earlier: [REDACTED_AWS_ACCESS_KEY_1]; now {KEY}");
    let out = r.redact(&text);
    assert_eq!(
        out,
        "earlier: [REDACTED_AWS_ACCESS_KEY_1]; now [REDACTED_AWS_ACCESS_KEY_2]"
    );
    assert_eq!(r.restore(&out), text);
}

#[test]
fn leaks_name_high_confidence_kinds_only_before_redaction() {
    let text = format!("{KEY}\npassword: Lantern42-Blue\n");
    assert_eq!(Redactor::leaks(&text), vec!["aws_access_key"]);
    let mut r = Redactor::new();
    assert!(Redactor::leaks(&r.redact(&text)).is_empty());
}

/// Collects what reaches the sink, piece by piece.
#[derive(Default)]
struct Pieces(Vec<String>);

impl Sink for Pieces {
    fn piece(&mut self, text: &str) -> std::io::Result<bool> {
        self.0.push(text.to_string());
        Ok(true)
    }
}

fn streamed(r: &Redactor, pieces: &[&str]) -> Vec<String> {
    let mut sink = Pieces::default();
    let mut restore = Restore::new(r, &mut sink);
    for p in pieces {
        assert!(restore.piece(p).unwrap());
    }
    assert!(restore.finish().unwrap());
    sink.0
}

#[test]
fn streaming_restores_a_placeholder_split_at_every_position() {
    let mut r = Redactor::new();
    r.redact(&format!("{KEY} {TOKEN}"));
    let reply = "Set [REDACTED_AWS_ACCESS_KEY_1] [x] and [REDACTED_GITHUB_TOKEN_2], not [REDACTED_X_9] [REDACTED_";
    let whole = r.restore(reply);
    assert!(whole.contains(KEY) && whole.contains(TOKEN));
    let bounds: Vec<usize> = (0..=reply.len()).collect();
    for &i in &bounds {
        for &j in &bounds[i..] {
            let got = streamed(&r, &[&reply[..i], &reply[i..j], &reply[j..]]).concat();
            assert_eq!(got, whole, "split at {i} and {j}");
        }
    }
    let chars: Vec<String> = reply.chars().map(String::from).collect();
    let refs: Vec<&str> = chars.iter().map(String::as_str).collect();
    assert_eq!(streamed(&r, &refs).concat(), whole);
}

#[test]
fn streaming_holds_back_only_what_could_be_a_placeholder() {
    let mut r = Redactor::new();
    r.redact(KEY);
    let out = streamed(
        &r,
        &[
            "plain text [",
            "not one] then [REDAC",
            "TED_AWS_ACCESS_KEY_1] end",
        ],
    );
    assert_eq!(
        out,
        vec!["plain text ", "[not one] then ", &format!("{KEY} end")]
    );
    // Nothing redacted: nothing to restore, nothing held back.
    let out = streamed(&Redactor::new(), &["a [REDAC", "TED_X_1]"]);
    assert_eq!(out, vec!["a [REDAC", "TED_X_1]"]);
}

/// A small deterministic generator, so that a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// Bits of secrets, names, separators, quotes, brackets and other scripts.
const FRAGMENTS: &[&str] = &[
    "password",
    "PASSWORD=",
    "pass ",
    ": ",
    "=",
    " is ",
    "\"",
    "'",
    "`",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "<",
    ">",
    "\n",
    "\r\n",
    "\t",
    " ",
    "AKIA",
    "QWERTYU2345ABCDE",
    "ghp_",
    "sk-",
    "eyJ",
    "eyJhbGciOi.eyJzdWIi.",
    "-----BEGIN PRIVATE KEY-----",
    "-----END PRIVATE KEY-----",
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
    "://",
    "@",
    "user:",
    "Bearer ",
    "Authorization: ",
    "pin ",
    "4831",
    "token",
    "_key",
    "secret",
    "[REDACTED_",
    "PASSWORD_1]",
    "%(",
    "${",
    "é",
    "日本語",
    "🔑",
    "\u{202e}",
    "\u{fffd}",
    "0x",
    "::",
    "Zq8xT2mK9pL4vN7rB3wY6cF1hJ5dS0aG",
    "==",
];

#[test]
fn random_input_never_panics_and_always_restores() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..3000 {
        let mut text = String::new();
        for _ in 0..rng.next() % 40 {
            text.push_str(rng.pick(FRAGMENTS));
        }
        if round % 3 == 0 {
            let bytes: Vec<u8> = (0..rng.next() % 200).map(|_| rng.next() as u8).collect();
            text.push_str(&String::from_utf8_lossy(&bytes));
        }
        let mut r = Redactor::new();
        let out = r.redact(&text);
        assert_eq!(r.restore(&out), text, "round {round}: {text:?}");
        let _ = Redactor::leaks(&out);
        let mut cut = out.len() / 2;
        while !out.is_char_boundary(cut) {
            cut += 1;
        }
        assert_eq!(streamed(&r, &[&out[..cut], &out[cut..]]).concat(), text);
    }
}

#[test]
fn placeholders_are_never_taken_for_secrets() {
    let mut r = Redactor::new();
    let text = format!(
        "DB_PASSWORD=Tundra2291!\npassword: \"Lantern42-Blue\"\nAuthorization: Bearer {TOKEN}\n\
         postgres://app:Xk9-pq2-Lm9@db:5432/app\nthe wifi password is hunter2-Blue.\n"
    );
    let once = r.redact(&text);
    assert_eq!(r.count(), 5, "{once}");
    assert_eq!(r.redact(&once), once);
    assert_eq!(r.count(), 5);
}

/// Text from real files that once looked like a secret to an earlier version of the rules.
#[test]
fn real_text_that_holds_no_secret() {
    let texts = [
        "tests that compare answers pass `--no-context`.",
        ".hint(\"pass --no-sandbox to run it unconfined, if you trust it\")",
        "Japan Rail Pass 14-day ordinary, bought before the October 2023 price rise.",
        "PrivateKey = <server private key, in the password manager>",
        "\"X-Api-Key\": this.opts.apiKey,",
        "const ALPHABET: &[u8; 64] = b\"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/\";",
        "embed_model = \"~/.cache/pai-models/all-MiniLM-L6-v2.f16.gguf\"",
        "    # Client side may pass ssl=True to use a default",
        "        # First pass: determine maximum length of long option names",
        "                passwd = fallback_getpass(prompt, stream)",
        "            pw = pw[:-1]",
        "    PASSWD = getpass.getpass(\"IMAP password for %s on %s: \" % (USER, host))",
        " 'pass': 'The \"pass\" statement\\n'",
        "        self.authkey = process.AuthenticationString(authkey)",
        "    pub password: Option<String>,",
        "    pub passwd: CString,",
        "pub const kAEISPassword: OSType = 0x70617373;",
        "    eatClearTextPassword = 8107,",
        "        self.key = Some(input.serialize(KeySerializer)?);",
        "            \"Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5eg==\",",
        "- macros: `pin!` pins a value to the stack ([#2163]).",
        "[Codecov]: https://codecov.io/gh/x/y/graph/badge.svg?token=BAQ8SOKEST&color=C43AC3",
        "fn encode_basic_auth(user: &str, pass: Option<&str>) -> HeaderValue {",
        "GNUTLS_PKCS_NULL_PASSWORD: Added",
        "pkcs11:token=Root%20CA%20Certificates;serial=1%3AROOTS%3ADEFAULT",
        "base-passwd (3.6.1) unstable; urgency=medium",
        "-Ethernet-8:0:2b:a:f:d2",
        "passwd  to handle autoconf, which was Ted's suggestion",
        "WARNING! Using --password via the CLI is insecure. Use --password-stdin.",
        "see `Rebuild a WorkSpace <https://docs.aws.amazon.com/workspaces/latest/adminguide/rebuild-workspace.html>`__",
        "    \"Marker\": \"DnF1ZXJ5VGhlbkZldGNoAgAAAAAAAAS7FmlTaU1OdlFTU1h1UU00VVFIbDlRWHcAAAAAAAAJTRY3bWh5eUgzaVF1ZXN2RUE5Wm8tTTdR\"",
        "            \"sasl.password\": conninfo.password,",
        "        \"password\": password,",
        "    let pwd: libc::passwd = unsafe { std::mem::zeroed() };",
        "        passphrase: Optional[bytes] = None,",
    ];
    for text in texts {
        let mut r = Redactor::new();
        assert_eq!(r.redact(text), text);
    }
}

#[test]
fn formats_the_corpus_does_not_show() {
    let cases = [
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAv3c9Zq8xT2mK9pL4vN7rB3wY6cF1hJ5dS0aG\neUoIqWmP4nX7", "MIIEowIBAAKCAQEAv3c9"),
        ("DB_PASSWORD=Tundra2291!\r\nDEBUG=1\r\n", "Tundra2291!"),
        ("clé d'accès : AKIAQWERTYU2345ABCDE — merci", KEY),
        ("<password>Xk9-pq2-Lm9</password>", "Xk9-pq2-Lm9"),
        ("AGE-SECRET-KEY-1QQPZRY9X8GF2TVDW0S3JN54KHCE6MUA7LQPZRY9X8GF2TVDW0S3JN54KHC", "AGE-SECRET-KEY-1"),
        // A password written in place of a variable at a code line's end.
        ("    \"sasl.password\": Kestrel#4471,\n    \"security.protocol\": \"SASL_SSL\",", "Kestrel#4471"),
        ("    let password = ember-walnut-quartz-52;", "ember-walnut-quartz-52"),
    ];
    for (text, secret) in cases {
        let mut r = Redactor::new();
        let out = r.redact(text);
        assert!(!out.contains(secret), "{out}");
        assert_eq!(r.restore(&out), text);
    }
}

#[test]
fn secrets_people_keep_in_notes() {
    let cases = [
        (
            "GitHub recovery codes:\n3f9a1-0c2b7\n9e4d2-b81f0\n",
            "9e4d2-b81f0",
        ),
        (
            "authenticator setup key: jbsw y3dp ehpk 3pxp",
            "jbsw y3dp ehpk 3pxp",
        ),
        (
            "otpauth://totp/Acme:sam?secret=JBSWY3DPEHPK3PXPJBSWY3DP&issuer=Acme",
            "JBSWY3DPEHPK3PXPJBSWY3DP",
        ),
        ("the gate code for the allotment is 4821#", "4821"),
        ("bike lock combo 12-05-33", "12-05-33"),
        (
            "passphrase for the backup disk: walnut-ember-quartz-42",
            "walnut-ember-quartz-42",
        ),
        (
            "seed phrase:\nraven tulip cobalt summit ivory kayak",
            "raven tulip cobalt summit ivory kayak",
        ),
        ("logged into the router as admin with Qx7!mP2v", "Qx7!mP2v"),
        (
            "$ wg genkey\nyAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=",
            "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=",
        ),
        (
            "bot 7123456789:AAH3kq9V_xZ-1bQ2mW8rT4yU6iO0pLs5dFg",
            "7123456789:AAH3kq9V_xZ-1bQ2mW8rT4yU6iO0pLs5dFg",
        ),
        (
            "kind: Secret\ndata:\n  api-token: cTd4UDJtVjlrTDNuUjhzVA==",
            "cTd4UDJtVjlrTDNuUjhzVA==",
        ),
        (
            r#"{"auths": {"ghcr.io": {"auth": "c2FtOnM0bjFneHAzOWtx"}}}"#,
            "c2FtOnM0bjFneHAzOWtx",
        ),
        // Issue 27, fifth pass: as documentation and config files write them.
        ("#ap_pin=48213307", "48213307"),
        ("with token.open(user_pin='5521') as session:", "5521"),
        ("Change the PIN from 604112 to something else", "604112"),
        (
            "#wpa_passphrase=mixture south super brave coil",
            "mixture south super brave coil",
        ),
        (
            r#"# -w hero sets the password for the account as "tterne9qh"."#,
            "tterne9qh",
        ),
        (
            r#"# After connection change the password to "copper-cinder-falcon-36""#,
            "copper-cinder-falcon-36",
        ),
        (
            "<span>BORG_PASSPHRASE=blanket-defense-maple-topic</span>",
            "blanket-defense-maple-topic",
        ),
        // As a person writes them in a note: a code named by what it opens, a password after
        // an arrow or a slash, keys that unlock a disk or a vault.
        ("Lockbox code 3916 (front porch)", "3916"),
        ("Keysafe at mum's: 2704", "2704"),
        ("Bike lock: 4-4-9-1", "4-4-9-1"),
        ("Office alarm — 55190", "55190"),
        ("Alarm: disarm with 9-3-1-7", "9-3-1-7"),
        ("SIM PUK 12345678", "12345678"),
        ("Safe combination is 36 24 12", "36 24 12"),
        (
            "Bitwarden master password -> purple-elephant-dances-77",
            "purple-elephant-dances-77",
        ),
        (
            "Guest Wi-Fi: network CafeGuest, key: espresso2019",
            "espresso2019",
        ),
        ("Login for the NAS: admin / nasadmin2021", "nasadmin2021"),
        ("Password was reset; new one is Xq7#mP2v.", "Xq7#mP2v"),
        (
            "Vault unseal key: 3Kq9dT2mZ8vL0pR5sW1xY7bN4cF6hJ==",
            "3Kq9dT2mZ8vL0pR5sW1xY7bN4cF6hJ==",
        ),
        (
            "gmail app password: abcd efgh ijkl mnop",
            "abcd efgh ijkl mnop",
        ),
        (
            "BitLocker 123456-654321-112233-445566-778899-998877-102030-405060",
            "123456-654321-112233-445566-778899-998877-102030-405060",
        ),
        (
            "Seed words: ribbon casual lumber wagon spoon exile frown drama",
            "ribbon casual lumber wagon spoon exile frown drama",
        ),
        (
            r#"I set the disk passphrase to "velvet ocean tiger 1987"."#,
            "velvet ocean tiger 1987",
        ),
        ("Car radio code 4407", "4407"),
        (
            "Apple ID password changed to Pumpkin#Spice99",
            "Pumpkin#Spice99",
        ),
        ("Spotify: jess.k@example.com / m00nlight!", "m00nlight!"),
        ("WPA2 key for the cabin: riverstone42", "riverstone42"),
    ];
    for (text, secret) in cases {
        let out = Redactor::new().redact(text);
        assert!(!out.contains(secret), "{secret} survived in {out}");
    }
}

#[test]
fn personal_look_alikes_stay() {
    let clean = [
        "backup recipients (public, fine to commit):\nage1nem73045kdk7s8xl6dhvgjap5g0z8tvp5nu7nm53l95ne0e8s03fg4c75y",
        "wg pubkey < private.key\nHIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=",
        "wifi password is on the router sticker",
        "recovery codes: <paste the ten codes here>",
        "binaryData:\n  logo.png: iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ",
        "data:\n  config.json: eyJsZXZlbCI6ICJpbmZvIiwgInBvcnQiOiA4MDgwfQ==",
        "meet at the gate at 1530, zip code 94107, error code 4821",
        "pinned the version to 1.2.3",
        r#""ssh_key": "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDZYMivN4KqJZ3dNEWeH20PUeB2ZnZRkk91K5SgxWrEotgp""#,
        r#""address": "DdzFFzCqrhsnx5973UzwoEcQ7cN3THD9ZQZvbVd5srhrPoECSt1WUTrQSR8Yic","#,
        r#""ex_pub": "xpub6EcciAquF76hSEE4uZhRduj3WLTdywuM3gnvnHWbnoqymhNyCN9Bjy3YVHed56w","#,
        "set the password to use when connecting",
        // Words of a note that name a code and hold none, or hold numbers that open nothing.
        "Passphrase: (ask Bob)",
        "The combination lock on the bike is broken.",
        "Door code changed in 2024, ask the landlord.",
        "Lockers 1 to 40 are on floor 2.",
        "the lock is held for 3000 ms",
        "alarm: 3600",
        "allow a user of [Pread::pread](../trait.Pread.html#method.pread)",
        r#""serwersms://user:pass@SenderA/18005551234","#,
        "def password(self) -> str:",
        "Apple ID password changed last week.",
        "The alarm goes off at 0630 on weekdays.",
        "Flight code BA 2490 departs 14:05.",
        "Bob: bob@example.com / 555-0142",
        "Support: help@acme.io / 2024-05-01",
        "password: Option<String>",
    ];
    for text in clean {
        let mut r = Redactor::new();
        let out = r.redact(text);
        assert_eq!(r.count(), 0, "{out}");
    }
}

/// `find` as it was before windows: every triggered rule's pattern over the whole text.
fn find_whole(text: &str) -> Vec<(usize, usize, usize)> {
    let mut taken: BTreeMap<usize, Span> = BTreeMap::new();
    for i in (0..RULES.len()).filter(|&i| COMPILED.triggers[i].is_match(text)) {
        for caps in COMPILED.pattern(i).captures_iter(text) {
            if let Some(span) = secret_of(i, RULES[i].check, &caps, 0) {
                if is_free(&taken, span) {
                    taken.insert(span.start, span);
                }
            }
        }
    }
    add_code_lists(text, &mut taken);
    taken.values().map(|s| (s.start, s.end, s.rule)).collect()
}

#[test]
fn windows_find_what_the_whole_text_finds() {
    // Every text of the five corpora: running a rule only around its trigger's matches
    // must find the same secrets, with the same rules, as running it over the whole text.
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut texts = 0;
    let mut all = String::new();
    for file in [
        "redaction/positives.jsonl",
        "redaction/negatives.jsonl",
        "redaction-notes/positives.jsonl",
        "redaction-notes/negatives.jsonl",
        "redaction-real/positives.jsonl",
        "redaction-real/negatives.jsonl",
        "redaction-wild/positives.jsonl",
        "redaction-wild/negatives.jsonl",
        "redaction-kinds/positives.jsonl",
        "redaction-kinds/negatives.jsonl",
    ] {
        let lines = std::fs::read_to_string(fixtures.join(file)).unwrap();
        for line in lines.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = v["text"].as_str().unwrap();
            let windowed: Vec<(usize, usize, usize)> = find(text, |_| true)
                .iter()
                .map(|s| (s.start, s.end, s.rule))
                .collect();
            assert_eq!(windowed, find_whole(text), "{file}: {text}");
            texts += 1;
            if file.starts_with("redaction/") {
                all.push_str(text);
                all.push_str("\n\n");
            }
        }
    }
    assert!(texts > 3000);
    // And the first corpus as one text, as the bench reads it: windows meet and merge there.
    let windowed: Vec<(usize, usize, usize)> = find(&all, |_| true)
        .iter()
        .map(|s| (s.start, s.end, s.rule))
        .collect();
    assert_eq!(windowed, find_whole(&all));
}

#[test]
fn base32_seeds_in_code_go_and_the_alphabet_and_digests_stay() {
    let mut r = Redactor::new();
    let out = r.redact("require.Equal(t, \"FZKITNZO7SKNW7M4\", k.Secret())\n");
    assert!(out.contains("[REDACTED_TOTP_SEED_1]"), "{out}");
    for clean in [
        "_b32alphabet = b'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'\n",
        "env = [\"HTTPD_SHA1=5101be34ac4a509b245adb70a56690a84fcc4e7f\",\n",
        "name = \"IOErrorHandlerFactory\",\n",
        "alg = \"SHA256WITHRSAENCRYPTION\"\n",
        "mode = 'PKCS7PADDINGMODE2'\n",
        "kind = \"HTTP2CONNECTIONPREFACE\"\n",
    ] {
        let mut r = Redactor::new();
        assert_eq!(r.redact(clean), clean);
    }
    let mut r = Redactor::new();
    let out = r.redact("    \"password\": qLOaUgPFZn,\n");
    assert!(!out.contains("qLOaUgPFZn"), "{out}");
}

/// Whether `redact` takes `secret` out of `text`.
fn hides(text: &str, secret: &str) -> bool {
    !Redactor::new().redact(text).contains(secret)
}

#[test]
fn pins_given_to_panels_and_pairing_calls_go_and_status_codes_stay() {
    assert!(hides("PIN_CODE = 2912", "2912"));
    assert!(hides("partition.disarm(usercode=\"0587\")", "0587"));
    assert!(hides("await client.disarm(\"1997\")", "1997"));
    assert!(hides("pairing.pin(7225)", "7225"));
    assert!(hides("pincode=b\"653-32-121\"", "653-32-121"));
    assert!(!hides("status_code = 2000", "2000"));
    assert!(!hides("self.arm(1.5, 2)", "1.5"));
}

#[test]
fn a_passphrase_is_words_however_many_after_its_name() {
    let phrase = "captain record sad degree catalog receive";
    assert!(hides(&format!("export BORG_PASSPHRASE='{phrase}'"), phrase));
    // Five words or more with the small words of a sentence are still prose.
    assert!(!hides(
        "passphrase = 'the one you chose at setup'",
        "the one you chose"
    ));
}

#[test]
fn seeds_given_to_otp_calls_and_quoted_backup_tokens_go() {
    assert!(hides(
        "otp := gotp.NewDefaultHOTP(\"RYFV7NRKZZZXYKMO\")",
        "RYFV7NRKZZZXYKMO"
    ));
    assert!(hides(
        "StaticToken.objects.create(device=device, token=\"inpc5164\")",
        "inpc5164"
    ));
    assert!(hides(
        "RecoveryCode.get_by_code_and_user(\"EUUG-4480\", user)",
        "EUUG-4480"
    ));
    // A format shown with no digit is no code.
    assert!(!hides("RECOVERY_CODE_FORMAT = \"XXXX-XXXX\"", "XXXX-XXXX"));
}

#[test]
fn base64_under_a_password_name_goes_however_plain() {
    let text = "data:\n  MYSQL_ROOT_PASSWORD_SHA256: V2lsbG93NTc1JQ==\n";
    assert!(hides(text, "V2lsbG93NTc1JQ=="));
    // Under a name that says nothing, a plain word stays (base64 of "Willow575%").
    assert!(!hides(
        "data:\n  greeting: V2lsbG93NTc1JQ==\n",
        "V2lsbG93NTc1JQ=="
    ));
}

#[test]
fn a_list_of_random_codes_goes_with_no_words_before_it() {
    let html = "<ul>\n  <li><code>zs46mycpso</code></li>\n\n  <li><code>zq4cwdsyxm</code></li>\n  <li><code>2ut0kuu8k3</code></li>\n  <li><code>10x0i3rblm</code></li>\n  <li><code>bv8iuia5pj</code></li>\n</ul>\n";
    let mut r = Redactor::new();
    let out = r.redact(html);
    assert_eq!(r.count(), 5, "{out}");
    assert!(out.contains("<li><code>[REDACTED_"), "{out}");
    let plain = "7WR4-8FC5\nSLH6-APEJ\nYB9Q-DWWQ\nHUW6-JEUM\nFFX9-VBPV\nlovc{% endslot %}\n";
    assert!(hides(plain, "SLH6-APEJ"));
    let template = "{% slot value %}\nleo0f8guy3\n2bg65dhcql\nyksi9n0pje\nld2ahpqfva\nlovc5xarks{% endslot %}\n";
    assert!(hides(template, "lovc5xarks"));
}

#[test]
fn lists_that_are_not_codes_stay() {
    let clean = [
        // Too few, or of different shapes, or words, or digests, or numbers.
        "abc123def4\nzzz999yyy8\nqq11ww22ee\nxk3j5l7m9n\n",
        "alpha1\nbeta22\ngamma333\ndelta4444\nepsilon55555\n",
        "- install\n- configure\n- restart\n- verify\n- cleanup\n",
        "a1b2c3d\n9f8e7d6\n0a1b2c3\n5d4c3b2\n7e6f5a4\n",
        "20200101\n20200102\n20200103\n20200104\n20200105\n",
        "utf8\nutf16\nlatin1\nascii\ncp1252\n",
        "v1.2.3\nv1.2.4\nv1.3.0\nv2.0.0\nv2.0.1\n",
        "x86_64\naarch64\narmv7l\ni686xx\nppc64le\n",
        // Seen in crates' sources: enum variants, encodings' names, region codes, hex.
        "    I32LtS,\n    I32LtU,\n    I32GtS,\n    I32GtU,\n    I32LeS,\n    I32LeU,\n",
        "    \"cp1250\",\n    \"cp1251\",\n    \"latin1\",\n    \"gb2312\",\n    \"cp1252\",\n    \"latin2\",\n",
        "\"und-002\",\n\"und-003\",\n\"und-005\",\n\"und-009\",\n\"und-011\",\n",
        "  0x2550,\n  0x255E,\n  0x2561,\n  0x256A,\n  0x5341,\n",
    ];
    for text in clean {
        let mut r = Redactor::new();
        let out = r.redact(text);
        assert_eq!(r.count(), 0, "{out}");
    }
}
