//! The full-screen chat's driver: the terminal set up and always restored (also on a panic),
//! one loop over a single channel that carries keys, mouse, paste and the engine's replies,
//! and the effects of the state machine carried out. Nothing here blocks on the model.
use std::io::Stdout;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use crossterm::event::{
    self as term, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste,
    EnableMouseCapture, KeyEventKind, MouseEventKind,
};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use super::session::ChatSession;
use super::state::{Effect, Event, State, Turn};
use super::theme::Theme;
use super::view;
use crate::error::Error;
use crate::pipeline::reply::Reply;

/// Redraws at most this often while an answer streams in.
const FRAME: Duration = Duration::from_millis(30);

pub fn run(
    mut session: ChatSession,
    turns: Vec<Turn>,
    events: Receiver<Event>,
    sender: Sender<Event>,
) -> Result<(), Error> {
    let theme = Theme::from_env();
    let mut state = State::new(session.model.clone(), session.window);
    state.role = session.role().map(|r| r.name.clone());
    if !turns.is_empty() {
        state.handle(Event::Opened(turns));
    }
    let _guard = TerminalGuard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
    spawn_input_thread(sender);
    let mut dirty = true;
    let mut last_draw = Instant::now() - FRAME;
    loop {
        if dirty && last_draw.elapsed() >= FRAME {
            draw(&mut terminal, &mut state, &theme)?;
            last_draw = Instant::now();
            dirty = false;
        }
        let event = match events.recv_timeout(FRAME) {
            Ok(event) => event,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        dirty = true;
        for effect in state.handle(event) {
            if !carry_out(effect, &mut session, &mut state) {
                return Ok(());
            }
        }
    }
    Ok(())
}

fn draw(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    state: &mut State,
    theme: &Theme,
) -> Result<(), Error> {
    terminal.draw(|frame| view::draw(frame, state, theme))?;
    Ok(())
}

/// Does what the state machine asked; false to leave. Failures are shown, never fatal.
fn carry_out(effect: Effect, session: &mut ChatSession, state: &mut State) -> bool {
    let result = match effect {
        Effect::Quit => return false,
        Effect::Cancel => {
            session.cancel();
            Ok(())
        }
        Effect::Ask(question) => {
            let earlier = &state.turns[..state.turns.len().saturating_sub(1)];
            session.ask(&question, earlier).inspect_err(|e| {
                state.handle(Event::Reply(Reply::Failed(e.clone())));
            })
        }
        Effect::SaveAnswer(i) => state
            .turns
            .get(i)
            .map_or(Ok(()), |t| session.save_answer(t)),
        Effect::NewConversation => {
            session.new_conversation();
            Ok(())
        }
        Effect::ListSessions => session.sessions().map(|list| {
            state.handle(Event::Sessions(list));
        }),
        Effect::OpenSession(id) => session.open(id).map(|turns| {
            state.handle(Event::Opened(turns));
        }),
        Effect::Lora(arg) => session.lora(&arg).map(|label| {
            state.handle(Event::Notice(label));
        }),
        Effect::Remember(facts) => session.remember(&facts).map(|said| {
            state.handle(Event::Notice(said));
        }),
        Effect::SwitchRole(name) => session.switch_role(&name).map(|note| {
            let name = session.role().map_or(name, |r| r.name.clone());
            state.handle(Event::RoleChanged { name, note });
        }),
        Effect::ShowRole => {
            state.handle(Event::Notice(super::session::describe_role(session.role())));
            Ok(())
        }
        Effect::SwitchModel(name) => session.switch_model(&name).map(|()| {
            state.handle(Event::ModelChanged {
                name: session.model.clone(),
                window: session.window,
            });
        }),
    };
    if let Err(e) = result {
        state.handle(Event::Notice(e.message));
    }
    true
}

fn spawn_input_thread(sender: Sender<Event>) {
    std::thread::spawn(move || loop {
        let event = match term::read() {
            Ok(term::Event::Key(key)) if key.kind != KeyEventKind::Release => Event::Key(key),
            Ok(term::Event::Paste(text)) => Event::Paste(text),
            Ok(term::Event::Mouse(m)) => match m.kind {
                MouseEventKind::ScrollUp => Event::Scroll(3),
                MouseEventKind::ScrollDown => Event::Scroll(-3),
                _ => continue,
            },
            // A resize needs only a redraw, which every event brings.
            Ok(term::Event::Resize(..)) => Event::Scroll(0),
            Ok(_) => continue,
            Err(_) => break,
        };
        if sender.send(event).is_err() {
            break;
        }
    });
}

/// Raw mode and the alternate screen for as long as it lives; the terminal is restored when
/// it is dropped, and by the panic hook it installs.
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> Result<Self, Error> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
        enable_raw_mode()?;
        let guard = TerminalGuard;
        crossterm::execute!(
            std::io::stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste
        )?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

fn restore() {
    let _ = disable_raw_mode();
    let _ = crossterm::execute!(
        std::io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}
