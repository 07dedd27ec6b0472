//! Markdown to styled terminal lines for the chat: headings, emphasis, inline code, lists and
//! code blocks set apart. Partial markdown (an answer still streaming) renders as far as it
//! goes; an unclosed code fence is a code block to the end. Text is sanitized first.
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::theme::Theme;

pub fn render(text: &str, theme: &Theme) -> Vec<Line<'static>> {
    let text = crate::render::sanitize(text);
    let mut r = Renderer {
        theme,
        lines: Vec::new(),
        spans: Vec::new(),
        styles: vec![Style::default()],
        lists: Vec::new(),
        in_code: false,
        prefix: String::new(),
    };
    for event in Parser::new_ext(&text, Options::ENABLE_STRIKETHROUGH) {
        r.event(event);
    }
    r.flush();
    while r.lines.last().is_some_and(|l| l.spans.is_empty()) {
        r.lines.pop();
    }
    r.lines
}

struct Renderer<'t> {
    theme: &'t Theme,
    lines: Vec<Line<'static>>,
    spans: Vec<Span<'static>>,
    styles: Vec<Style>,
    /// The next number of each open list, None for bullets.
    lists: Vec<Option<u64>>,
    in_code: bool,
    prefix: String,
}

impl Renderer<'_> {
    fn style(&self) -> Style {
        *self.styles.last().unwrap_or(&Style::default())
    }

    fn push_style(&mut self, add: Style) {
        let s = self.style().patch(add);
        self.styles.push(s);
    }

    fn flush(&mut self) {
        if !self.spans.is_empty() {
            self.lines.push(Line::from(std::mem::take(&mut self.spans)));
        }
    }

    fn blank(&mut self) {
        self.flush();
        if self.lines.last().is_some_and(|l| !l.spans.is_empty()) {
            self.lines.push(Line::default());
        }
    }

    fn event(&mut self, event: Event) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) if self.in_code => self.code_text(&t),
            Event::Text(t) => self.spans.push(Span::styled(t.into_string(), self.style())),
            Event::Code(t) => self
                .spans
                .push(Span::styled(t.into_string(), self.theme.code)),
            Event::SoftBreak => self.spans.push(Span::raw(" ")),
            Event::HardBreak => self.flush(),
            Event::Rule => {
                self.blank();
                self.lines.push(Line::styled("────────", self.theme.dim));
            }
            Event::TaskListMarker(done) => {
                self.spans
                    .push(Span::raw(if done { "[x] " } else { "[ ] " }))
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Heading { level, .. } => {
                self.blank();
                let marks = match level {
                    HeadingLevel::H1 => "# ",
                    HeadingLevel::H2 => "## ",
                    _ => "### ",
                };
                self.spans.push(Span::styled(marks, self.theme.heading));
                self.push_style(self.theme.heading);
            }
            Tag::Paragraph if self.lists.is_empty() => self.blank(),
            Tag::Emphasis => self.push_style(Style::new().add_modifier(Modifier::ITALIC)),
            Tag::Strong => self.push_style(Style::new().add_modifier(Modifier::BOLD)),
            Tag::Strikethrough => self.push_style(Style::new().add_modifier(Modifier::CROSSED_OUT)),
            Tag::CodeBlock(kind) => {
                self.blank();
                self.in_code = true;
                if let CodeBlockKind::Fenced(lang) = kind {
                    if !lang.is_empty() {
                        self.lines
                            .push(Line::styled(format!("  {lang}"), self.theme.dim));
                    }
                }
            }
            Tag::List(start) => {
                if self.lists.is_empty() {
                    self.blank();
                }
                self.flush();
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush();
                let depth = self.lists.len().saturating_sub(1);
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "• ".to_string(),
                };
                self.spans.push(Span::raw("  ".repeat(depth)));
                self.spans.push(Span::styled(marker, self.theme.accent));
            }
            Tag::BlockQuote(_) => {
                self.blank();
                self.prefix = "▎ ".into();
                self.push_style(self.theme.dim);
            }
            Tag::Link { .. } => self.push_style(Style::new().add_modifier(Modifier::UNDERLINED)),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_)
            | TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link => {
                self.styles.pop();
                if matches!(tag, TagEnd::Heading(_)) {
                    self.flush();
                }
            }
            TagEnd::Paragraph | TagEnd::Item => self.flush(),
            TagEnd::CodeBlock => {
                self.in_code = false;
                self.flush();
                self.lines.push(Line::default());
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::BlockQuote(_) => {
                self.styles.pop();
                self.flush();
                self.prefix.clear();
            }
            _ => {}
        }
        if !self.prefix.is_empty() && self.spans.is_empty() {
            self.spans
                .push(Span::styled(self.prefix.clone(), self.theme.dim));
        }
    }

    fn code_text(&mut self, text: &str) {
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.flush();
            }
            if !line.is_empty() || i == 0 {
                self.spans.push(Span::styled("│ ", self.theme.dim));
                self.spans
                    .push(Span::styled(line.to_string(), self.theme.code));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn headings_lists_and_code_are_set_apart() {
        let md = "# Title\n\nSome **bold** text.\n\n- one\n- two\n\n```sh\nls -l\n```\n";
        let lines = plain(&render(md, &Theme::plain()));
        assert_eq!(
            lines,
            [
                "# Title",
                "",
                "Some bold text.",
                "",
                "• one",
                "• two",
                "",
                "  sh",
                "│ ls -l"
            ],
            "{lines:?}"
        );
    }

    #[test]
    fn an_unclosed_fence_is_code_to_the_end() {
        let lines = plain(&render("Try:\n\n```\necho hi", &Theme::plain()));
        assert!(lines.iter().any(|l| l == "│ echo hi"), "{lines:?}");
    }

    #[test]
    fn escape_sequences_never_reach_the_terminal() {
        let lines = plain(&render("a\x1b]2;X\x07b", &Theme::plain()));
        assert_eq!(lines, ["a]2;Xb"]);
    }
}
