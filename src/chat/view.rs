//! Drawing the chat: the conversation (markdown rendered, scrollable), the sources of each
//! answer when shown, the input, the status line, and the overlays. Pure: a frame and a state.
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::markdown;
use super::state::{Overlay, State, Turn, TurnState, COMMANDS};
use super::theme::Theme;
use crate::render::sanitize_line;

pub fn draw(frame: &mut Frame, state: &mut State, theme: &Theme) {
    let input_lines = state.input.lines().len().clamp(1, 6) as u16;
    let [talk, input, status] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(input_lines + 2),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    draw_conversation(frame, state, theme, talk);
    let title = if state.generating() {
        " answering · Esc stops "
    } else {
        " message "
    };
    state
        .input
        .set_block(Block::default().borders(Borders::ALL).title(title));
    frame.render_widget(&state.input, input);
    frame.render_widget(status_line(state, theme, status.width), status);
    if let Some(overlay) = &state.overlay {
        draw_overlay(frame, overlay, theme);
    }
}

fn conversation_lines(state: &State, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if state.turns.len() == state.first_shown {
        lines.push(Line::styled(
            "Ask anything. Your notes are searched for each question; /help lists the commands.",
            theme.dim,
        ));
    }
    for turn in &state.turns[state.first_shown..] {
        lines.push(Line::styled("you", theme.user));
        lines.extend(
            turn.question
                .lines()
                .map(|l| Line::raw(crate::render::sanitize(l))),
        );
        lines.push(Line::default());
        lines.push(Line::styled("pai", theme.assistant));
        for cut in &turn.cuts {
            lines.push(Line::styled(
                format!("✂ to fit the window, {}", sanitize_line(cut)),
                theme.dim,
            ));
        }
        lines.extend(markdown::render(&turn.answer, theme));
        match &turn.state {
            TurnState::Waiting => lines.push(Line::styled("reading…", theme.dim)),
            TurnState::Streaming => lines.push(Line::styled("▍", theme.accent)),
            TurnState::Stopped => lines.push(Line::styled("[stopped]", theme.dim)),
            TurnState::Failed(why) => lines.push(Line::styled(
                format!("error: {}", sanitize_line(why)),
                theme.error,
            )),
            TurnState::Done => {}
        }
        if state.show_sources {
            lines.extend(turn_context(turn, theme));
        } else if !turn.sources.is_empty() {
            lines.push(Line::styled(
                format!("{} sources · F2 shows them", turn.sources.len()),
                theme.dim,
            ));
        }
        lines.push(Line::default());
    }
    lines
}

fn draw_conversation(frame: &mut Frame, state: &mut State, theme: &Theme, area: Rect) {
    let paragraph = Paragraph::new(conversation_lines(state, theme)).wrap(Wrap { trim: false });
    let total = paragraph.line_count(area.width) as u16;
    let bottom = total.saturating_sub(area.height);
    // Scrolling back past the first line is not possible; remember where it stopped.
    state.scroll_back = state.scroll_back.min(bottom);
    frame.render_widget(paragraph.scroll((bottom - state.scroll_back, 0)), area);
}

/// Under an answer when F2 is on: the excerpts it was given and what the model read.
fn turn_context(turn: &Turn, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines: Vec<Line> = turn
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            Line::from(vec![
                Span::styled(format!("[{}] ", i + 1), theme.accent),
                Span::raw(sanitize_line(&s.location())),
                Span::styled(format!("  {}", sanitize_line(&s.title)), theme.dim),
            ])
        })
        .collect();
    if let Some(g) = &turn.generation {
        let sources = if turn.sources.is_empty() {
            "no excerpts from the index; "
        } else {
            ""
        };
        lines.push(Line::styled(
            format!(
                "{sources}read {} prompt tokens ({} kept from before), wrote {}",
                g.prompt_tokens, g.reused_tokens, g.generated_tokens
            ),
            theme.dim,
        ));
    }
    lines
}

fn status_line(state: &State, theme: &Theme, width: u16) -> Paragraph<'static> {
    let speed = state
        .turns
        .iter()
        .rev()
        .find_map(|t| t.generation.as_ref().filter(|g| g.generated_tokens > 0))
        .map(|g| format!("{:.1} tok/s", g.generation_tps()))
        .unwrap_or_else(|| "– tok/s".into());
    let right = match &state.notice {
        Some(n) => sanitize_line(n),
        None => "Enter send · Alt-Enter newline · Esc stop · F2 sources · /help".into(),
    };
    let who = match &state.role {
        Some(role) => format!("{} as {role}", state.model),
        None => state.model.clone(),
    };
    let text = format!(
        " {} │ {speed} │ context {}/{} │ {right}",
        sanitize_line(&who),
        state.context_used(),
        state.window
    );
    let shown: String = text.chars().take(width as usize).collect();
    Paragraph::new(shown).style(theme.status)
}

fn draw_overlay(frame: &mut Frame, overlay: &Overlay, theme: &Theme) {
    let (title, lines) = match overlay {
        Overlay::Help => ("help", help_lines(theme)),
        Overlay::Info(text) => (
            "context",
            text.lines().map(|l| Line::raw(sanitize_line(l))).collect(),
        ),
        Overlay::Sessions { items, selected } => (
            "conversations · ↑↓ Enter · Esc",
            session_lines(items, *selected, theme),
        ),
        Overlay::Propose(facts) => (
            "remember? · y keeps · n leaves · Esc stays",
            proposal_lines(facts, theme),
        ),
    };
    let area = centered(frame.area(), lines.len() as u16 + 2);
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} "));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// The facts offered on leaving, and what each key does.
fn proposal_lines(facts: &[String], theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::raw(
        "You said these about yourself. Remember them for later questions?",
    )];
    for fact in facts {
        lines.push(Line::from(vec![
            Span::styled("  • ", theme.accent),
            Span::raw(sanitize_line(fact)),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        "y keeps them and leaves · n or Enter leaves without · Esc goes back",
        theme.dim,
    ));
    lines
}

fn help_lines(theme: &Theme) -> Vec<Line<'static>> {
    let mut lines: Vec<Line> = COMMANDS
        .iter()
        .map(|(c, what)| {
            Line::from(vec![
                Span::styled(format!("{c:<10}"), theme.accent),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(Line::default());
    for keys in [
        "Enter sends · Alt-Enter or Shift-Enter adds a line · Tab completes a command",
        "Esc or Ctrl-C stops an answer · Ctrl-D leaves",
        "PgUp PgDn and the mouse wheel scroll · F2 shows sources",
    ] {
        lines.push(Line::styled(keys, theme.dim));
    }
    lines
}

fn session_lines(
    items: &[crate::store::ConversationSummary],
    selected: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    items
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let title = if s.title.is_empty() {
                "(untitled)".to_string()
            } else {
                sanitize_line(&s.title)
            };
            let date = s.updated.get(..16).unwrap_or(&s.updated).replace('T', " ");
            let line = format!("{:>4}  {date}  {title}", s.id);
            if i == selected {
                Line::styled(line, theme.status)
            } else {
                Line::raw(line)
            }
        })
        .collect()
}

fn centered(area: Rect, height: u16) -> Rect {
    let width = area.width.saturating_sub(4).min(90);
    let height = height.min(area.height.saturating_sub(2));
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::state::{Event, Turn, TurnState};
    use crate::pipeline::reply::Reply;
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    fn screen(state: &mut State, width: u16, height: u16) -> Vec<String> {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|f| draw(f, state, &Theme::plain())).unwrap();
        let buffer = terminal.backend().buffer().clone();
        (0..height)
            .map(|y| {
                (0..width)
                    .map(|x| buffer[(x, y)].symbol().to_string())
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            })
            .collect()
    }

    fn answered(question: &str, answer: &str) -> Turn {
        let mut t = Turn::new(question.into());
        t.answer = answer.into();
        t.state = TurnState::Done;
        t
    }

    #[test]
    fn a_conversation_at_80_by_24() {
        let mut s = State::new("smollm2".into(), 4096);
        s.handle(Event::Opened(vec![answered(
            "How do I list files?",
            "## Listing\n\nUse `ls -l`:\n\n```sh\nls -l\n```",
        )]));
        let lines = screen(&mut s, 80, 24);
        assert_eq!(lines[0], "you");
        assert_eq!(lines[1], "How do I list files?");
        assert_eq!(lines[3], "pai");
        assert_eq!(lines[4], "## Listing");
        assert_eq!(lines[6], "Use ls -l:");
        assert_eq!(lines[8], "  sh");
        assert_eq!(lines[9], "│ ls -l");
        assert!(lines[20].starts_with("┌ message"), "{lines:#?}");
        assert!(
            lines[23].starts_with(" smollm2 │ – tok/s │ context 0/4096 │ Enter send"),
            "{}",
            lines[23]
        );
    }

    #[test]
    fn streaming_shows_a_cursor_and_the_newest_text_stays_in_view() {
        let mut s = State::new("smollm2".into(), 4096);
        s.turns.push(Turn::new("Count".into()));
        let many: String = (1..=40).map(|i| format!("line {i}\n\n")).collect();
        s.handle(Event::Reply(Reply::Piece(many)));
        let lines = screen(&mut s, 80, 24);
        let talk = &lines[..20];
        assert!(talk.iter().any(|l| l == "line 40"), "{talk:#?}");
        assert!(talk.iter().any(|l| l == "▍"));
        s.handle(Event::Scroll(10));
        let scrolled = screen(&mut s, 80, 24);
        assert!(
            !scrolled[..20].iter().any(|l| l == "line 40"),
            "PgUp moves back"
        );
    }

    #[test]
    fn f2_shows_each_answers_sources_under_it() {
        let mut s = State::new("smollm2".into(), 4096);
        let mut turn = answered("Where is the nginx config?", "In /etc/nginx.");
        turn.sources.push(crate::context::Excerpt {
            path: "/notes/nginx.md".into(),
            start_line: 3,
            end_line: 9,
            title: "Nginx > Config".into(),
            score: 1.0,
            text: String::new(),
            private: false,
        });
        s.handle(Event::Opened(vec![turn]));
        assert!(screen(&mut s, 80, 24)
            .iter()
            .any(|l| l == "1 sources · F2 shows them"));
        s.handle(Event::Key(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::F(2),
        )));
        let lines = screen(&mut s, 80, 24);
        assert!(
            lines
                .iter()
                .any(|l| l == "[1] /notes/nginx.md:3-9  Nginx > Config"),
            "{lines:#?}"
        );
    }

    #[test]
    fn help_and_tiny_terminals_do_not_break() {
        let mut s = State::new("smollm2".into(), 4096);
        s.overlay = Some(Overlay::Help);
        let lines = screen(&mut s, 80, 24);
        assert!(
            lines
                .iter()
                .any(|l| l.contains("/sessions") && l.contains("resume")),
            "{lines:#?}"
        );
        for (w, h) in [(20, 6), (10, 3), (1, 1)] {
            screen(&mut s, w, h);
        }
    }
}
