//! Cutting a file into the chunks that search ranks: markdown by headings (the heading path
//! is the title, "Nginx > Log rotation"), then paragraphs; plain text by paragraphs; code at
//! top-level items or blank-line blocks; HTML stripped to text first. Every chunk keeps its
//! line range in the original file and stays under about 400 tokens (chars/4).
use std::path::Path;

/// The most characters in one chunk: about 400 tokens at four characters a token.
pub const MAX_CHARS: usize = 1600;
/// Code is packed tighter (about 200 tokens), so that items stay apart: on the evaluation
/// set this found one more file first than packing code to [`MAX_CHARS`].
const CODE_MAX_CHARS: usize = 800;

#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    /// 1-based, inclusive.
    pub start_line: usize,
    pub end_line: usize,
    pub title: String,
    pub text: String,
}

/// The language of a file, from its extension or name; "text" when unknown.
pub fn language(path: &Path) -> &'static str {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match name {
        "Makefile" | "makefile" | "GNUmakefile" => return "make",
        "Dockerfile" => return "dockerfile",
        _ => {}
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match ext.to_ascii_lowercase().as_str() {
        "md" | "markdown" | "mdx" => "markdown",
        "rs" => "rust",
        "py" | "pyi" => "python",
        "go" => "go",
        "ts" | "tsx" | "mts" => "typescript",
        "js" | "jsx" | "mjs" | "cjs" => "javascript",
        "sh" | "bash" | "zsh" | "fish" => "shell",
        "sql" => "sql",
        "c" | "h" => "c",
        "cc" | "cpp" | "cxx" | "hpp" | "hh" => "cpp",
        "java" => "java",
        "kt" | "kts" => "kotlin",
        "rb" => "ruby",
        "php" => "php",
        "cs" => "csharp",
        "swift" => "swift",
        "lua" => "lua",
        "html" | "htm" | "xhtml" => "html",
        "css" | "scss" => "css",
        "yml" | "yaml" => "yaml",
        "toml" => "toml",
        "json" => "json",
        "xml" => "xml",
        "ini" | "cfg" | "conf" => "config",
        "mk" => "make",
        _ => "text",
    }
}

/// The languages the chunker cuts as prose or configuration (at headings), not as code.
pub const PROSE_LANGS: [&str; 4] = ["markdown", "html", "text", "config"];

/// Whether the chunker cuts `lang` as code (at items), not as prose or configuration.
pub fn is_code(lang: &str) -> bool {
    !PROSE_LANGS.contains(&lang)
}

/// Chunks a file's text according to its language.
pub fn chunk(path: &Path, lang: &str, text: &str) -> Vec<Chunk> {
    let stem = file_title(path);
    match lang {
        "markdown" => markdown(text, &stem),
        "html" => markdown(&strip_html(text), &stem),
        "text" => markdown(text, &stem),
        "config" => {
            let lines: Vec<&str> = text.lines().collect();
            pack(&lines, &paragraphs(&lines, 0, lines.len()), &stem)
        }
        _ => code(text, &stem),
    }
}

/// "car-maintenance.txt" → "car maintenance": the words of a file's name, for titles.
fn file_title(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.replace(['-', '_', '.'], " ")
}

/// A run of lines, `start..end` as 0-based indices.
type Block = std::ops::Range<usize>;

/// Splits `start..end` at blank lines.
fn paragraphs(lines: &[&str], start: usize, end: usize) -> Vec<Block> {
    let mut out = Vec::new();
    let mut begin = None;
    for (i, line) in lines.iter().enumerate().take(end).skip(start) {
        match (line.trim().is_empty(), begin) {
            (false, None) => begin = Some(i),
            (true, Some(b)) => {
                out.push(b..i);
                begin = None;
            }
            _ => {}
        }
    }
    if let Some(b) = begin {
        out.push(b..end);
    }
    out
}

fn block_chars(lines: &[&str], block: &Block) -> usize {
    lines[block.clone()].iter().map(|l| l.len() + 1).sum()
}

/// Packs blocks greedily into chunks of at most [`MAX_CHARS`]; a block larger than that is
/// cut by lines, and a single huge line (minified code) by characters.
fn pack(lines: &[&str], blocks: &[Block], title: &str) -> Vec<Chunk> {
    pack_to(lines, blocks, title, MAX_CHARS)
}

fn pack_to(lines: &[&str], blocks: &[Block], title: &str, max: usize) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    let mut size = 0;
    for block in blocks {
        let n = block_chars(lines, block);
        if let Some(cur) = current.clone() {
            if size + n > max {
                out.push(make(lines, cur, title));
                current = None;
            }
        }
        if n > MAX_CHARS {
            out.extend(split_big(lines, block.clone(), title));
            continue;
        }
        current = Some(match current {
            Some(cur) => {
                size += n;
                cur.start..block.end
            }
            None => {
                size = n;
                block.clone()
            }
        });
    }
    if let Some(cur) = current {
        out.push(make(lines, cur, title));
    }
    out
}

fn make(lines: &[&str], block: Block, title: &str) -> Chunk {
    Chunk {
        start_line: block.start + 1,
        end_line: block.end,
        title: title.to_string(),
        text: lines[block].join("\n"),
    }
}

fn split_big(lines: &[&str], block: Block, title: &str) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut start = block.start;
    let mut size = 0;
    for i in block.clone() {
        let n = lines[i].len() + 1;
        if n > MAX_CHARS {
            if start < i {
                out.push(make(lines, start..i, title));
            }
            out.extend(split_line(lines[i], i + 1, title));
            start = i + 1;
            size = 0;
            continue;
        }
        if size + n > MAX_CHARS && start < i {
            out.push(make(lines, start..i, title));
            start = i;
            size = 0;
        }
        size += n;
    }
    if start < block.end {
        out.push(make(lines, start..block.end, title));
    }
    out
}

fn split_line(line: &str, number: usize, title: &str) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut rest = line;
    while !rest.is_empty() {
        let mut cut = rest.len().min(MAX_CHARS);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push(Chunk {
            start_line: number,
            end_line: number,
            title: title.to_string(),
            text: rest[..cut].to_string(),
        });
        rest = &rest[cut..];
    }
    out
}

/// An ATX heading's level and text (the caller knows whether the line is in a code fence).
/// A line indented by a tab or four spaces is code (a `# comment` in an indented example),
/// as in CommonMark.
pub fn heading(line: &str) -> Option<(usize, &str)> {
    if is_indented_code(line) {
        return None;
    }
    let trimmed = line.trim_start();
    let level = trimmed.bytes().take_while(|&b| b == b'#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let rest = &trimmed[level..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let text = rest.trim().trim_end_matches('#').trim();
    Some((level, text))
}

fn is_indented_code(line: &str) -> bool {
    line.starts_with('\t') || line.starts_with("    ")
}

/// A setext underline: a line of only `=` (level 1) or only `-` (level 2), three or more.
fn underline(line: &str) -> Option<usize> {
    let t = line.trim();
    if t.len() < 3 {
        return None;
    }
    if t.bytes().all(|b| b == b'=') {
        Some(1)
    } else if t.bytes().all(|b| b == b'-') {
        Some(2)
    } else {
        None
    }
}

/// The characters reStructuredText underlines a title with, besides `=` and `-`.
const RST_UNDERLINES: &[u8] = b"`:'\"~^_*+#<>.";

/// A reStructuredText underline of another character than `=` or `-` (`~~~~`, a line of
/// backticks): at least as long as its title, as rST requires, so that a fence or a rule
/// under a short line is not one. Its character, whose level the file's order decides.
fn rst_underline(line: &str, title: &str) -> Option<u8> {
    let t = line.trim_end();
    let c = *t.as_bytes().first()?;
    let uniform = t.len() >= 3 && t.bytes().all(|b| b == c);
    (uniform && RST_UNDERLINES.contains(&c) && t.len() >= title.chars().count()).then_some(c)
}

/// A section's first line, its body's first line, its heading level and its text.
type Heading = (usize, usize, usize, String);

/// Where each section starts, where its body starts, and its heading level and text.
fn headings(lines: &[&str]) -> Vec<Heading> {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    // rST levels go by the order in which the file first uses each underline.
    let mut rst_order: Vec<u8> = Vec::new();
    let mut skip = None;
    for (i, line) in lines.iter().enumerate() {
        if skip == Some(i) {
            continue;
        }
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if let Some(h) = setext(lines, i, &mut rst_order) {
            skip = Some(i + 1);
            out.push(h);
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
            continue;
        }
        if let Some((level, text)) = heading(line) {
            out.push((i, i + 1, level, text.to_string()));
        }
    }
    out
}

/// A title underlined on the next line: markdown's setext (`=`, `-`) or rST's other marks.
fn setext(lines: &[&str], i: usize, rst_order: &mut Vec<u8>) -> Option<Heading> {
    let line = lines[i];
    let text = line.trim();
    let list = text.starts_with(['-', '*', '|']);
    if text.is_empty() || list || is_indented_code(line) || underline(line).is_some() {
        return None;
    }
    if rst_underline(line, "").is_some() || text.starts_with("```") || text.starts_with("~~~") {
        return None;
    }
    let next = lines.get(i + 1)?;
    let level = match underline(next) {
        Some(level) => level,
        None => {
            let c = rst_underline(next, text)?;
            if !rst_order.contains(&c) {
                rst_order.push(c);
            }
            (3 + rst_order.iter().position(|&x| x == c).unwrap_or(0)).min(6)
        }
    };
    Some((i, i + 2, level, text.to_string()))
}

/// Markdown (and plain text, which often uses setext underlines): one section per heading,
/// titled by the path of headings above it; a heading with nothing under it joins the
/// section that follows, so no chunk is a bare heading.
fn markdown(text: &str, stem: &str) -> Vec<Chunk> {
    let lines: Vec<&str> = text.lines().collect();
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut sections: Vec<(usize, usize, String)> = vec![(0, 0, stem.to_string())];
    for (start, body, level, text) in headings(&lines) {
        while stack.last().is_some_and(|(l, _)| *l >= level) {
            stack.pop();
        }
        stack.push((level, text));
        let title = stack
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join(" > ");
        sections.push((start, body, title));
    }
    let mut out = Vec::new();
    let mut carry: Option<usize> = None;
    for (n, (start, body, title)) in sections.iter().enumerate() {
        let end = sections.get(n + 1).map_or(lines.len(), |s| s.0);
        let start = carry.take().unwrap_or(*start);
        let has_body = lines[(*body).min(end)..end]
            .iter()
            .any(|l| !l.trim().is_empty());
        if !has_body {
            if n > 0 && end < lines.len() {
                carry = Some(start);
            }
            continue;
        }
        out.extend(pack(&lines, &paragraphs(&lines, start, end), title));
    }
    out
}

/// Code: blocks start at a line in column 0 after a blank line or a closing bracket, which is
/// where top-level items begin in most languages; blocks are then packed up to the size cap.
/// The title is the file's name, the chunk's opening comment and its first signature-like
/// line: a comment above code plays the part a heading plays in a note.
/// An item one level inside another (a method in a class or an `impl`) also starts a block,
/// titled under the item around it ("core py > class Command > def parse_args"): a class of
/// fifty methods is otherwise one run of chunks that all carry the class's name.
fn code(text: &str, stem: &str) -> Vec<Chunk> {
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    // For each block that starts inside an item, the line where that item starts.
    let mut parent: Vec<Option<usize>> = vec![None; lines.len()];
    let (mut start, mut outer) = (0, 0);
    for i in 1..lines.len() {
        let line = lines[i];
        let prev = lines[i - 1].trim_end();
        let after_item = prev.is_empty() || prev == "}" || prev == "};" || prev == ")";
        let top = !line.is_empty() && !line.starts_with([' ', '\t', '}', ')', ']']) && after_item;
        let inner = !top && after_item && is_inner_item(line);
        if (top || inner) && start < i {
            blocks.push(start..i);
            start = i;
        }
        if top {
            outer = i;
        } else if inner {
            parent[i] = Some(outer);
        }
    }
    if start < lines.len() {
        blocks.push(start..lines.len());
    }
    let mut chunks = pack_to(&lines, &blocks, stem, CODE_MAX_CHARS);
    for c in &mut chunks {
        let around = parent
            .get(c.start_line - 1)
            .copied()
            .flatten()
            .and_then(|p| signature(lines[p]));
        let parts: Vec<String> = [around, lead_comment(&c.text), signature(&c.text)]
            .into_iter()
            .flatten()
            .collect();
        if !parts.is_empty() {
            c.title = format!("{stem} > {}", parts.join(" > "));
        }
    }
    chunks.retain(|c| !c.text.trim().is_empty());
    chunks
}

/// What opens an item one level in: a declaration, a decorator or attribute, a doc comment.
const INNER_STARTS: &[&str] = &[
    "def ",
    "async def ",
    "class ",
    "fn ",
    "pub ",
    "pub(",
    "async fn ",
    "const fn ",
    "unsafe fn ",
    "func ",
    "function ",
    "public ",
    "private ",
    "protected ",
    "static ",
    "@",
    "#[",
    "///",
    "/**",
];

/// A line indented by one level (four spaces or a tab) that opens an item.
fn is_inner_item(line: &str) -> bool {
    let rest = line
        .strip_prefix("    ")
        .or_else(|| line.strip_prefix('\t'))
        .filter(|r| !r.starts_with([' ', '\t']));
    rest.is_some_and(|r| INNER_STARTS.iter().any(|s| r.starts_with(s)))
}

/// The text of a comment that opens a chunk: in code, that is what a heading is in a note.
fn lead_comment(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    if line.starts_with("#!") || line.starts_with("#[") {
        return None;
    }
    let body = ["///", "//!", "//", "/**", "/*", "--", "#", "*"]
        .iter()
        .find_map(|m| line.strip_prefix(m))?;
    let body = body.trim().trim_end_matches("*/").trim();
    (body.len() >= 3).then(|| clip(body))
}

fn clip(line: &str) -> String {
    let mut cut = line.len().min(80);
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    line[..cut].to_string()
}

/// What ends a declaration's first line before its body: a brace, Python's colon, a
/// parameter list.
const DECLARATION_ENDS: [char; 3] = ['{', ':', '('];

/// The first line that declares something: not blank, not a comment, not an attribute.
fn signature(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| {
        !l.is_empty()
            && !l.starts_with("//")
            && !l.starts_with('#')
            && !l.starts_with("/*")
            && !l.starts_with('*')
            && !l.starts_with("--")
            && !l.starts_with('@')
    })?;
    Some(clip(line.trim_end_matches(DECLARATION_ENDS).trim()))
}

/// HTML to text with the same line numbers: tags are removed, script and style contents
/// dropped, headings marked `#` so that the markdown chunker titles sections, and a few
/// entities decoded. Every newline of the original stays where it was.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut skip_until: Option<&str> = None;
    let mut link: Option<String> = None;
    while let Some(open) = rest.find('<') {
        let (text, after) = rest.split_at(open);
        if skip_until.is_none() {
            out.push_str(&decode_entities(text));
        } else {
            out.extend(text.chars().filter(|&c| c == '\n'));
        }
        let close = after.find('>').map_or(after.len(), |c| c + 1);
        let tag = &after[..close];
        out.extend(tag.chars().filter(|&c| c == '\n'));
        let name = tag_name(tag);
        match skip_until {
            Some(end) if name == end => skip_until = None,
            Some(_) => {}
            None if name == "script" || name == "style" => {
                skip_until = Some(if name == "script" {
                    "/script"
                } else {
                    "/style"
                })
            }
            None if name == "a" => link = href(tag),
            None if name == "/a" => {
                if let Some(url) = link.take() {
                    out.push_str(&format!(" ({url})"));
                }
            }
            None => {
                if let Some(level) = name.strip_prefix('h').and_then(|d| d.parse::<usize>().ok()) {
                    if (1..=6).contains(&level) {
                        // The page's indentation before a heading would make it code.
                        let line_start = out.rfind('\n').map_or(0, |i| i + 1);
                        if out[line_start..].trim().is_empty() {
                            out.truncate(line_start);
                        }
                        out.push_str(&"#".repeat(level));
                        out.push(' ');
                    }
                }
            }
        }
        rest = &after[close..];
    }
    if skip_until.is_none() {
        out.push_str(&decode_entities(rest));
    }
    out
}

/// A link's web or mail address (`href="…"`, quoted either way); None for links within the
/// page or to scripts.
fn href(tag: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let at = lower.find("href=")? + 5;
    let rest = &tag[at..];
    let url = match rest.chars().next()? {
        q @ ('"' | '\'') => rest[1..].split(q).next()?,
        _ => rest.split(|c: char| c.is_whitespace() || c == '>').next()?,
    };
    let url = decode_entities(url.trim());
    let web = ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| url.to_ascii_lowercase().starts_with(p));
    (web && !url.contains('\n')).then_some(url)
}

fn tag_name(tag: &str) -> String {
    tag.trim_start_matches('<')
        .split(|c: char| c.is_whitespace() || c == '>')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_sections_carry_their_heading_path() {
        let text = "# Nginx\n\nIntro.\n\n## Log rotation\n\nKeep 14 days.\n\n## TLS\n\n### Renewal\n\nCertbot.\n";
        let chunks = chunk(Path::new("nginx.md"), "markdown", text);
        let titles: Vec<_> = chunks.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(
            titles,
            ["Nginx", "Nginx > Log rotation", "Nginx > TLS > Renewal"]
        );
        assert_eq!((chunks[1].start_line, chunks[1].end_line), (5, 7));
        // The bare "## TLS" heading joins the section under it.
        assert_eq!(chunks[2].start_line, 9);
        assert!(chunks[2].text.starts_with("## TLS"));
    }

    #[test]
    fn headings_inside_code_fences_are_not_headings() {
        let text = "# Script\n\n```sh\n# not a heading\necho hi\n```\n";
        let chunks = chunk(Path::new("s.md"), "markdown", text);
        assert_eq!(chunks.len(), 1);
        assert_eq!(chunks[0].title, "Script");
    }

    #[test]
    fn setext_headings_title_plain_text() {
        let text = "Dental notes\n============\n\nPractice: somewhere.\n\nNext appointments\n-----------------\n- cleaning\n";
        let chunks = chunk(Path::new("dentist.txt"), "text", text);
        let titles: Vec<_> = chunks.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["Dental notes", "Dental notes > Next appointments"]);
    }

    #[test]
    fn long_text_is_cut_under_the_cap() {
        let para = "word ".repeat(100);
        let text = vec![para.as_str(); 20].join("\n\n");
        let chunks = chunk(Path::new("a.txt"), "text", &text);
        assert!(chunks.len() >= 5);
        assert!(chunks.iter().all(|c| c.text.len() <= MAX_CHARS));
        let one_line = "x".repeat(10_000);
        let chunks = chunk(Path::new("min.js"), "javascript", &one_line);
        assert!(chunks
            .iter()
            .all(|c| c.text.len() <= MAX_CHARS && c.start_line == 1));
    }

    #[test]
    fn code_splits_at_top_level_items() {
        let body = "    let x = 1;\n".repeat(60);
        let text = format!("use std::io;\n\nfn one() {{\n{body}}}\n\nfn two() {{\n{body}}}\n");
        let chunks = chunk(Path::new("lib.rs"), "rust", &text);
        assert!(chunks.len() >= 2, "{chunks:?}");
        assert!(chunks.iter().any(|c| c.title == "lib rs > fn two()"));
    }

    #[test]
    fn html_keeps_line_numbers_and_headings() {
        let html = "<html><head><style>p{}</style></head>\n<body>\n<h2>Bread</h2>\n<p>Flour &amp; water</p>\n</body>";
        let text = strip_html(html);
        assert_eq!(text.matches('\n').count(), html.matches('\n').count());
        let chunks = chunk(Path::new("b.html"), "html", html);
        assert_eq!(chunks[0].title, "Bread");
        assert!(chunks[0].text.contains("Flour & water"));
        assert_eq!(chunks[0].start_line, 3);
    }

    #[test]
    fn html_links_keep_their_web_addresses() {
        let html = "<DT><A HREF=\"https://explain.depesz.com/\" ADD_DATE=\"1\">explain.depesz.com</A>\n<a href='#top'>top</a> <a href=\"javascript:x()\">x</a> <a href=mailto:me@example.org>me</a>";
        let text = strip_html(html);
        assert_eq!(
            text,
            "explain.depesz.com (https://explain.depesz.com/)\ntop x me (mailto:me@example.org)"
        );
    }

    #[test]
    fn rst_titles_are_headings_and_indented_comments_are_not() {
        let text = "Options\n=======\n\nIntro.\n\n.. code::\n\n    # not a heading\n    x = 1\n\nCounting\n--------\n\nCount.\n\nDeeper\n``````\n\nMore.\n";
        let titles: Vec<String> = markdown(text, "f").into_iter().map(|c| c.title).collect();
        assert_eq!(
            titles,
            [
                "Options",
                "Options > Counting",
                "Options > Counting > Deeper"
            ]
        );
    }

    #[test]
    fn methods_are_chunked_under_their_class() {
        let body = "        x = 1\n".repeat(40);
        let text = format!("class Parser:\n    def one(self):\n{body}\n    def two(self):\n{body}");
        let chunks = code(&text, "p py");
        assert!(
            chunks
                .iter()
                .any(|c| c.title == "p py > class Parser > def two(self)"),
            "{:?}",
            chunks.iter().map(|c| &c.title).collect::<Vec<_>>()
        );
    }
}
