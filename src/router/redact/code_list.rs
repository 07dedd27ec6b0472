//! Lists of codes with no words near enough to announce them: the page a service shows with
//! a user's recovery codes (`<li><code>…</code></li>` in a loop, one code a line in a
//! download), pasted into a note whose heading is far above or missing. What marks such a list
//! is its form alone: one code a line, every code of the same shape, letters and digits drawn
//! at random, and no two alike.

/// Fewer codes than this in a run is not a list of them: pairs and triples of IDs of one
/// shape are common in code and tests.
const FEWEST: usize = 5;
/// Lines with nothing but markup between two codes (a template's loop leaves them).
const MOST_BETWEEN: usize = 2;

/// The places of the codes in each run of `FEWEST` or more lines that hold a code alone.
pub(super) fn code_lists(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut run: Vec<(usize, usize)> = Vec::new();
    let mut between = 0;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        match code_in(line) {
            Line::Code(from, to) => {
                run.push((at + from, at + to));
                between = 0;
            }
            Line::Markup if run.is_empty() => {}
            Line::Markup => {
                between += 1;
                if between > MOST_BETWEEN {
                    keep_if_codes(text, &mut run, &mut found);
                }
            }
            Line::Other => keep_if_codes(text, &mut run, &mut found),
        }
        at += line.len();
    }
    keep_if_codes(text, &mut run, &mut found);
    found
}

enum Line {
    /// One code alone, at these bytes of the line.
    Code(usize, usize),
    /// Nothing but whitespace, tags and template tags.
    Markup,
    Other,
}

/// The longest line that holds one code in its markup (`<p class="recovery-code">…</p>`);
/// prose is longer, and most of a text's lines are prose or code.
const LONGEST_LINE: usize = 160;

/// What one line holds once tags, template tags, list marks and quotes are set aside.
fn code_in(line: &str) -> Line {
    if line.len() > LONGEST_LINE {
        return Line::Other;
    }
    if !line.contains('<') && !TEMPLATE_TAGS.iter().any(|(open, _)| line.contains(open)) {
        return one_code(words_of(line, 0, line.len()));
    }
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut start = 0;
    let mut chars = line.char_indices();
    while let Some((i, _)) = chars.next() {
        let end = markup_end(line, i);
        if end > i {
            words.extend(words_of(line, start, i));
            start = end;
            // Skip to the end of the markup.
            while chars.clone().next().is_some_and(|(j, _)| j < end) {
                chars.next();
            }
        }
    }
    words.extend(words_of(line, start, line.len()));
    one_code(words.into_iter())
}

/// A line of one code alone, of nothing, or of something else.
fn one_code<'a>(mut words: impl Iterator<Item = (usize, &'a str)>) -> Line {
    match (words.next(), words.next()) {
        (None, _) => Line::Markup,
        (Some((at, word)), None) if is_code(word) => Line::Code(at, at + word.len()),
        _ => Line::Other,
    }
}

/// The words of `line[from..to]` with their places, list marks dropped and quotes trimmed.
fn words_of(line: &str, from: usize, to: usize) -> impl Iterator<Item = (usize, &str)> {
    line[from..to]
        .split_inclusive(char::is_whitespace)
        .scan(from, |at, piece| {
            let here = *at;
            *at += piece.len();
            Some((here, piece))
        })
        .filter_map(|(at, piece)| {
            let word = piece.trim_end();
            let trimmed = word.trim_start_matches(['"', '\'', '`']);
            let lead = word.len() - trimmed.len();
            let trimmed = trimmed.trim_end_matches(['"', '\'', '`', ',', ';']);
            (!trimmed.is_empty() && !is_list_mark(trimmed)).then_some((at + lead, trimmed))
        })
}

fn is_list_mark(word: &str) -> bool {
    matches!(word, "-" | "*" | "•")
        || (word.len() <= 3
            && word.ends_with(['.', ')'])
            && word[..word.len() - 1].chars().all(|c| c.is_ascii_digit()))
}

/// Template tags' ends, Django's and Jinja's: statements, expressions, comments.
const TEMPLATE_TAGS: [(&str, &str); 3] = [("{%", "%}"), ("{{", "}}"), ("{#", "#}")];

/// Where a tag (`<li>`, `</code>`) or a template tag (`{% endfor %}`, `{{ x }}`) that starts at
/// `i` ends; `i` when none starts there.
fn markup_end(line: &str, i: usize) -> usize {
    let tail = &line[i..];
    let close = if tail.starts_with('<') {
        tail.find('>').map(|e| e + 1)
    } else {
        TEMPLATE_TAGS
            .iter()
            .find(|(open, _)| tail.starts_with(open))
            .and_then(|(_, shut)| tail.find(shut).map(|e| e + shut.len()))
    };
    close.map_or(i, |e| i + e)
}

/// A code's form: groups of 3 to 12 letters or digits joined by dashes, 6 to 29 in all.
fn is_code(token: &str) -> bool {
    let groups: Vec<&str> = token.split('-').collect();
    (6..=29).contains(&token.len())
        && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && groups.len() <= 5
        && groups.iter().all(|g| (3..=12).contains(&g.len()))
}

/// Keeps the run's codes when they read as codes drawn at random, then empties the run.
fn keep_if_codes(text: &str, run: &mut Vec<(usize, usize)>, found: &mut Vec<(usize, usize)>) {
    if run.len() >= FEWEST {
        let codes: Vec<&str> = run.iter().map(|&(f, t)| &text[f..t]).collect();
        if is_random_list(&codes) {
            found.extend(run.iter().copied());
        }
    }
    run.clear();
}

/// Codes drawn at random: one shape for all (the same groups' lengths), one case in each,
/// letters in most and digits in most, the two mixed inside a code rather than a name with a
/// number after it (`cp1252`, `latin1`), no two alike, neighbours that seldom start alike
/// (`und-002`, `und-003`), and not hex alone (digests and short commit ids come in lists too).
fn is_random_list(codes: &[&str]) -> bool {
    let shape = |c: &str| c.split('-').map(str::len).collect::<Vec<_>>();
    let first = shape(codes[0]);
    let most = |f: fn(&char) -> bool| {
        codes.iter().filter(|c| c.chars().any(|ch| f(&ch))).count() * 2 > codes.len()
    };
    let one_case = |c: &&str| {
        !(c.chars().any(|ch| ch.is_ascii_uppercase())
            && c.chars().any(|ch| ch.is_ascii_lowercase()))
    };
    let alike_starts = codes
        .windows(2)
        .filter(|w| w[0].get(..2) == w[1].get(..2))
        .count();
    let changes: usize = codes.iter().map(|c| class_changes(c)).sum();
    let distinct: std::collections::HashSet<&&str> = codes.iter().collect();
    codes.iter().all(|c| shape(c) == first)
        && codes.iter().all(one_case)
        && most(char::is_ascii_digit)
        && most(char::is_ascii_alphabetic)
        && 2 * changes >= 3 * codes.len()
        && alike_starts * 4 < codes.len() - 1
        && distinct.len() == codes.len()
        && !codes
            .iter()
            .all(|c| c.chars().all(|ch| ch.is_ascii_hexdigit() || ch == '-'))
}

/// How often a code goes from letter to digit or back, dashes aside: two to four times in
/// eight to ten characters drawn from letters and digits at random, once in a name with a
/// number after it.
fn class_changes(code: &str) -> usize {
    let classes: Vec<bool> = code
        .chars()
        .filter(|c| *c != '-')
        .map(|c| c.is_ascii_digit())
        .collect();
    classes.windows(2).filter(|w| w[0] != w[1]).count()
}
