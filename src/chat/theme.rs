//! The chat's styles. With NO_COLOR set, only bold, italic, dim and reverse remain.
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone)]
pub struct Theme {
    pub heading: Style,
    pub code: Style,
    pub dim: Style,
    pub accent: Style,
    pub user: Style,
    pub assistant: Style,
    pub error: Style,
    pub status: Style,
}

impl Theme {
    pub fn from_env() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if no_color {
            Self::plain()
        } else {
            Self::colored()
        }
    }

    pub fn colored() -> Self {
        Self {
            heading: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            code: Style::new().fg(Color::Yellow),
            dim: Style::new().fg(Color::DarkGray),
            accent: Style::new().fg(Color::Cyan),
            user: Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
            assistant: Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            status: Style::new().add_modifier(Modifier::REVERSED),
        }
    }

    pub fn plain() -> Self {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        Self {
            heading: bold,
            code: Style::new(),
            dim: Style::new().add_modifier(Modifier::DIM),
            accent: Style::new(),
            user: bold,
            assistant: bold,
            error: bold,
            status: Style::new().add_modifier(Modifier::REVERSED),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn colors(t: &Theme) -> usize {
        [
            t.heading,
            t.code,
            t.dim,
            t.accent,
            t.user,
            t.assistant,
            t.error,
            t.status,
        ]
        .iter()
        .filter(|s| s.fg.is_some() || s.bg.is_some())
        .count()
    }

    #[test]
    fn no_color_means_no_color() {
        // The only test that touches NO_COLOR, so it cannot race another.
        std::env::set_var("NO_COLOR", "1");
        assert_eq!(colors(&Theme::from_env()), 0);
        std::env::remove_var("NO_COLOR");
        assert!(colors(&Theme::from_env()) > 0);
    }
}
