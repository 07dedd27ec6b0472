//! The chat as a state machine: `State::handle` takes an event (a key, a reply from the
//! engine, a list of sessions) and returns effects for the driver to carry out. It does no
//! I/O, so every transition is tested without a terminal.
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_textarea::TextArea;

use crate::context::Excerpt;
use crate::engine::{Generation, StopReason};
use crate::pipeline::reply::Reply;
use crate::store::ConversationSummary;

pub const COMMANDS: &[(&str, &str)] = &[
    ("/new", "start a new conversation"),
    ("/sessions", "pick an earlier conversation and resume it"),
    ("/model", "NAME: switch to another model"),
    (
        "/role",
        "NAME: answer as a role (`pai role list`); alone: the current one",
    ),
    (
        "/lora",
        "PATH[:SCALE] ...: LoRA adapters on the model (off: none), no reload",
    ),
    ("/context", "what the model read for the last answer"),
    (
        "/sources",
        "show or hide each answer's sources and what it read (F2)",
    ),
    ("/retry", "answer the last question again"),
    (
        "/remember",
        "TEXT: keep a fact about you for later questions",
    ),
    ("/clear", "clear the screen (the model still remembers)"),
    ("/help", "keys and commands"),
    ("/quit", "leave (Ctrl-D)"),
];

#[derive(Debug, Clone, PartialEq)]
pub enum TurnState {
    Waiting,
    Streaming,
    Done,
    Stopped,
    Failed(String),
}

#[derive(Debug, Clone)]
pub struct Turn {
    pub question: String,
    pub answer: String,
    pub sources: Vec<Excerpt>,
    pub cuts: Vec<String>,
    pub generation: Option<Generation>,
    pub state: TurnState,
}

impl Turn {
    pub fn new(question: String) -> Self {
        Self {
            question,
            answer: String::new(),
            sources: Vec::new(),
            cuts: Vec::new(),
            generation: None,
            state: TurnState::Waiting,
        }
    }

    /// A turn the model can be reminded of.
    pub fn answered(&self) -> bool {
        matches!(self.state, TurnState::Done | TurnState::Stopped) && !self.answer.is_empty()
    }
}

#[derive(Debug, Clone)]
pub enum Overlay {
    Help,
    Info(String),
    Sessions {
        items: Vec<ConversationSummary>,
        selected: usize,
    },
    /// On leaving: facts the user stated, kept only if they answer y.
    Propose(Vec<String>),
}

#[derive(Debug)]
pub enum Event {
    Key(KeyEvent),
    Paste(String),
    /// Mouse wheel or page keys: positive scrolls back in time.
    Scroll(i32),
    Reply(Reply),
    Sessions(Vec<ConversationSummary>),
    Opened(Vec<Turn>),
    ModelChanged {
        name: String,
        window: u32,
    },
    /// The turns are now answered as this role; `note` says so.
    RoleChanged {
        name: String,
        note: String,
    },
    Notice(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Ask(String),
    Cancel,
    Quit,
    NewConversation,
    ListSessions,
    OpenSession(i64),
    SwitchModel(String),
    SwitchRole(String),
    /// Say which role the turns are answered as.
    ShowRole,
    /// `/lora ARGS`: set the adapters (`off` removes them); empty shows them.
    Lora(String),
    /// Persist the answer of turn N.
    SaveAnswer(usize),
    /// Keep these facts as memories (the user asked for each, or confirmed it).
    Remember(Vec<String>),
}

pub struct State {
    pub turns: Vec<Turn>,
    /// Turns before this one were cleared from the screen.
    pub first_shown: usize,
    pub input: TextArea<'static>,
    pub overlay: Option<Overlay>,
    /// Lines scrolled back from the bottom.
    pub scroll_back: u16,
    pub show_sources: bool,
    pub model: String,
    /// The role the turns are answered as, shown beside the model.
    pub role: Option<String>,
    pub window: u32,
    pub notice: Option<String>,
    /// Turns before this one came from a resumed conversation: their facts were offered when
    /// that conversation ended.
    first_new: usize,
    /// What `/remember` kept in this chat, not to be offered again on leaving.
    remembered: Vec<String>,
}

/// User turns a chat needs before pai offers to remember facts from it.
const TURNS_BEFORE_PROPOSING: usize = 2;

impl State {
    pub fn new(model: String, window: u32) -> Self {
        Self {
            turns: Vec::new(),
            first_shown: 0,
            input: new_input(),
            overlay: None,
            scroll_back: 0,
            show_sources: false,
            model,
            role: None,
            window,
            notice: None,
            first_new: 0,
            remembered: Vec::new(),
        }
    }

    pub fn generating(&self) -> bool {
        self.turns
            .last()
            .is_some_and(|t| matches!(t.state, TurnState::Waiting | TurnState::Streaming))
    }

    /// Tokens of the window the last prompt took.
    pub fn context_used(&self) -> usize {
        self.turns
            .iter()
            .rev()
            .find_map(|t| t.generation.as_ref())
            .map_or(0, |g| g.prompt_tokens + g.generated_tokens)
    }

    pub fn handle(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::Key(key) => self.key(key),
            Event::Paste(text) => {
                self.input.insert_str(text.replace('\r', ""));
                vec![]
            }
            Event::Scroll(lines) => {
                self.scroll(lines);
                vec![]
            }
            Event::Reply(reply) => self.reply(reply),
            Event::Sessions(items) if items.is_empty() => {
                self.note("there are no earlier conversations")
            }
            Event::Sessions(items) => {
                self.overlay = Some(Overlay::Sessions { items, selected: 0 });
                vec![]
            }
            Event::Opened(turns) => {
                self.first_new = turns.len();
                self.turns = turns;
                self.first_shown = 0;
                self.scroll_back = 0;
                self.overlay = None;
                vec![]
            }
            Event::ModelChanged { name, window } => {
                self.notice = Some(format!("now using {name}"));
                self.model = name;
                self.window = window;
                vec![]
            }
            Event::RoleChanged { name, note } => {
                self.role = Some(name);
                self.note(&note)
            }
            Event::Notice(text) => self.note(&text),
        }
    }

    fn note(&mut self, text: &str) -> Vec<Effect> {
        self.notice = Some(text.to_string());
        vec![]
    }

    fn scroll(&mut self, lines: i32) {
        let back = self.scroll_back as i32 + lines;
        self.scroll_back = back.clamp(0, u16::MAX as i32) as u16;
    }

    fn key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if let Some(overlay) = self.overlay.take() {
            return self.overlay_key(overlay, key);
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let newline = key
            .modifiers
            .intersects(KeyModifiers::ALT | KeyModifiers::SHIFT);
        self.notice = None;
        match key.code {
            KeyCode::Esc if self.generating() => vec![Effect::Cancel],
            KeyCode::Char('c') if ctrl && self.generating() => vec![Effect::Cancel],
            KeyCode::Char('c') if ctrl => {
                if self.input_text().is_empty() {
                    return self.note("Ctrl-D or /quit leaves");
                }
                self.input = new_input();
                vec![]
            }
            KeyCode::Char('d') if ctrl => self.quit(),
            KeyCode::Enter if newline => {
                self.input.insert_newline();
                vec![]
            }
            KeyCode::Enter => self.submit(),
            KeyCode::Tab => {
                self.complete_command();
                vec![]
            }
            KeyCode::F(2) => {
                self.show_sources = !self.show_sources;
                vec![]
            }
            KeyCode::PageUp => {
                self.scroll(10);
                vec![]
            }
            KeyCode::PageDown => {
                self.scroll(-10);
                vec![]
            }
            _ => {
                self.input.input(key);
                vec![]
            }
        }
    }

    fn overlay_key(&mut self, overlay: Overlay, key: KeyEvent) -> Vec<Effect> {
        if let Overlay::Propose(facts) = overlay {
            return match key.code {
                KeyCode::Char('y' | 'Y') => vec![Effect::Remember(facts), Effect::Quit],
                KeyCode::Esc => self.note("still here; nothing was kept"),
                _ => vec![Effect::Quit],
            };
        }
        let Overlay::Sessions {
            items,
            mut selected,
        } = overlay
        else {
            return vec![]; // any key closes help and information
        };
        match key.code {
            KeyCode::Up => selected = selected.saturating_sub(1),
            KeyCode::Down => selected = (selected + 1).min(items.len().saturating_sub(1)),
            KeyCode::Enter => {
                return items
                    .get(selected)
                    .map(|s| vec![Effect::OpenSession(s.id)])
                    .unwrap_or_default()
            }
            KeyCode::Esc | KeyCode::Char('q') => return vec![],
            _ => {}
        }
        self.overlay = Some(Overlay::Sessions { items, selected });
        vec![]
    }

    pub fn input_text(&self) -> String {
        self.input.lines().join("\n")
    }

    fn submit(&mut self) -> Vec<Effect> {
        let text = self.input_text();
        let text = text.trim();
        if text.is_empty() {
            return vec![];
        }
        if text.starts_with('/') {
            let effects = self.command(text);
            self.input = new_input();
            return effects;
        }
        if self.generating() {
            return self.note("an answer is still coming: wait, or Esc to stop it");
        }
        let question = text.to_string();
        self.input = new_input();
        self.turns.push(Turn::new(question.clone()));
        self.scroll_back = 0;
        vec![Effect::Ask(question)]
    }

    fn command(&mut self, line: &str) -> Vec<Effect> {
        let mut words = line.split_whitespace();
        let name = words.next().unwrap_or_default();
        let arg = words.collect::<Vec<_>>().join(" ");
        let busy = self.generating()
            && !matches!(
                name,
                "/sources" | "/help" | "/context" | "/quit" | "/exit" | "/remember"
            );
        if busy {
            return self.note("wait for the answer, or Esc to stop it, first");
        }
        match name {
            "/quit" | "/exit" => self.quit(),
            "/remember" if arg.is_empty() => {
                self.note("/remember TEXT keeps a fact about you for later questions")
            }
            "/remember" => {
                self.remembered.push(arg.clone());
                vec![Effect::Remember(vec![arg])]
            }
            "/new" => {
                self.turns.clear();
                self.first_shown = 0;
                self.first_new = 0;
                vec![Effect::NewConversation]
            }
            "/sessions" => vec![Effect::ListSessions],
            "/model" if arg.is_empty() => {
                self.note(&format!("using {}; /model NAME switches", self.model))
            }
            "/model" => vec![Effect::SwitchModel(arg)],
            "/role" if arg.is_empty() => vec![Effect::ShowRole],
            "/role" => vec![Effect::SwitchRole(arg)],
            "/lora" => vec![Effect::Lora(arg)],
            "/context" => {
                self.overlay = Some(Overlay::Info(self.context_report()));
                vec![]
            }
            "/sources" => {
                self.show_sources = !self.show_sources;
                vec![]
            }
            "/retry" => self.retry(),
            "/clear" => {
                self.first_shown = self.turns.len();
                vec![]
            }
            "/help" => {
                self.overlay = Some(Overlay::Help);
                vec![]
            }
            other => self.note(&format!("{other} is not a command; /help lists them")),
        }
    }

    /// Leaves, first offering the facts the user stated in this chat, if any.
    fn quit(&mut self) -> Vec<Effect> {
        let facts = self.facts_to_offer();
        if facts.is_empty() {
            return vec![Effect::Quit];
        }
        self.overlay = Some(Overlay::Propose(facts));
        vec![]
    }

    /// The user's own statements about themselves from this chat's questions, each once,
    /// once the chat has had a couple of turns.
    pub fn facts_to_offer(&self) -> Vec<String> {
        let new = self.turns.get(self.first_new..).unwrap_or_default();
        if new.len() < TURNS_BEFORE_PROPOSING {
            return Vec::new();
        }
        let mut facts: Vec<String> = Vec::new();
        for fact in new.iter().flat_map(|t| super::facts::noticed(&t.question)) {
            let known = self.remembered.iter().any(|r| r.contains(&fact));
            if !known && !facts.contains(&fact) {
                facts.push(fact);
            }
        }
        facts
    }

    fn retry(&mut self) -> Vec<Effect> {
        match self.turns.pop() {
            Some(last) => {
                self.turns.push(Turn::new(last.question.clone()));
                vec![Effect::Ask(last.question)]
            }
            None => self.note("there is nothing to retry yet"),
        }
    }

    fn complete_command(&mut self) {
        let text = self.input_text();
        if !text.starts_with('/') || text.contains(' ') {
            return;
        }
        let matches: Vec<&str> = COMMANDS
            .iter()
            .map(|(c, _)| *c)
            .filter(|c| c.starts_with(text.as_str()))
            .collect();
        match matches.as_slice() {
            [one] => {
                self.input = new_input();
                self.input.insert_str(format!("{one} "));
            }
            [] => self.notice = Some("no command starts so; /help lists them".into()),
            many => self.notice = Some(many.join("  ")),
        }
    }

    fn reply(&mut self, reply: Reply) -> Vec<Effect> {
        let index = self.turns.len().saturating_sub(1);
        let Some(turn) = self.turns.last_mut() else {
            return vec![];
        };
        match reply {
            Reply::Started {
                sources,
                cuts,
                notes,
                ..
            } => {
                turn.sources = sources;
                // Shown where the cuts are: a note (a broken index) matters as much.
                turn.cuts = notes.into_iter().chain(cuts).collect();
                vec![]
            }
            Reply::Piece(text) => {
                let text = crate::engine::text::answer_piece(&turn.answer, &text).to_string();
                turn.answer.push_str(&text);
                turn.state = TurnState::Streaming;
                vec![]
            }
            Reply::Routed(why) => {
                turn.cuts.push(why.clone());
                self.notice = Some(why);
                vec![]
            }
            Reply::Finished(generation) => {
                turn.state = match generation.stop_reason {
                    StopReason::Interrupted => TurnState::Stopped,
                    _ => TurnState::Done,
                };
                turn.generation = Some(generation);
                vec![Effect::SaveAnswer(index)]
            }
            Reply::Failed(e) => {
                // The screen has one line for it: the sentence, then what to do.
                let why = std::iter::once(e.message)
                    .chain(e.hints)
                    .collect::<Vec<_>>();
                turn.state = TurnState::Failed(why.join("; "));
                vec![]
            }
        }
    }

    fn context_report(&self) -> String {
        let mut lines = vec![format!(
            "model {}, a {}-token window",
            self.model, self.window
        )];
        let Some(turn) = self.turns.iter().rev().find(|t| t.generation.is_some()) else {
            lines.push("nothing has been asked yet".into());
            return lines.join("\n");
        };
        if let Some(g) = &turn.generation {
            lines.push(format!(
                "last prompt: {} tokens ({} kept from the turn before, {} read anew) in {:.0} ms",
                g.prompt_tokens,
                g.reused_tokens,
                g.prompt_tokens - g.reused_tokens,
                g.prompt_ms
            ));
            lines.push(format!(
                "last answer: {} tokens at {:.1} tokens/s",
                g.generated_tokens,
                g.generation_tps()
            ));
        }
        for cut in &turn.cuts {
            lines.push(format!("to fit the window, {cut}"));
        }
        if turn.sources.is_empty() {
            lines.push("no excerpts from the index".into());
        }
        for (i, s) in turn.sources.iter().enumerate() {
            lines.push(format!("[{}] {}  {}", i + 1, s.location(), s.title));
        }
        lines.join("\n")
    }
}

fn new_input() -> TextArea<'static> {
    let mut input = TextArea::default();
    input.set_cursor_line_style(ratatui::style::Style::default());
    input.set_placeholder_text("Ask anything · Enter sends · Alt-Enter adds a line · /help");
    input
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn ctrl(c: char) -> Event {
        Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
    }

    fn typed(state: &mut State, text: &str) {
        for c in text.chars() {
            state.handle(key(KeyCode::Char(c)));
        }
    }

    fn generation(reason: StopReason) -> Generation {
        Generation {
            tool_calls: Vec::new(),
            prompt_tokens: 100,
            reused_tokens: 80,
            generated_tokens: 5,
            prompt_ms: 40.0,
            generation_ms: 50.0,
            stop_reason: reason,
            speculation: Default::default(),
            prefix: Default::default(),
        }
    }

    #[test]
    fn enter_asks_and_the_answer_streams_in() {
        let mut s = State::new("smol".into(), 4096);
        typed(&mut s, "hello");
        assert_eq!(
            s.handle(key(KeyCode::Enter)),
            vec![Effect::Ask("hello".into())]
        );
        assert!(s.generating());
        assert_eq!(s.input_text(), "");
        s.handle(Event::Reply(Reply::Piece(" Hi".into())));
        s.handle(Event::Reply(Reply::Piece(" there".into())));
        assert_eq!(s.turns[0].answer, "Hi there");
        let effects = s.handle(Event::Reply(Reply::Finished(generation(
            StopReason::EndOfText,
        ))));
        assert_eq!(effects, vec![Effect::SaveAnswer(0)]);
        assert!(!s.generating());
        assert_eq!(s.context_used(), 105);
    }

    #[test]
    fn esc_stops_a_generation_and_keeps_the_text() {
        let mut s = State::new("smol".into(), 4096);
        typed(&mut s, "tell me a story");
        s.handle(key(KeyCode::Enter));
        s.handle(Event::Reply(Reply::Piece("Once".into())));
        assert_eq!(s.handle(key(KeyCode::Esc)), vec![Effect::Cancel]);
        s.handle(Event::Reply(Reply::Finished(generation(
            StopReason::Interrupted,
        ))));
        assert_eq!(s.turns[0].state, TurnState::Stopped);
        assert_eq!(s.turns[0].answer, "Once");
        assert!(s.turns[0].answered());
    }

    #[test]
    fn alt_enter_adds_a_line_and_ctrl_d_quits() {
        let mut s = State::new("smol".into(), 4096);
        typed(&mut s, "a");
        s.handle(Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT)));
        typed(&mut s, "b");
        assert_eq!(s.input_text(), "a\nb");
        assert_eq!(s.handle(ctrl('d')), vec![Effect::Quit]);
    }

    #[test]
    fn slash_commands_complete_and_run() {
        let mut s = State::new("smol".into(), 4096);
        typed(&mut s, "/se");
        s.handle(key(KeyCode::Tab));
        assert_eq!(s.input_text(), "/sessions ");
        assert_eq!(s.handle(key(KeyCode::Enter)), vec![Effect::ListSessions]);
        typed(&mut s, "/model gemma");
        assert_eq!(
            s.handle(key(KeyCode::Enter)),
            vec![Effect::SwitchModel("gemma".into())]
        );
        typed(&mut s, "/bogus");
        assert_eq!(s.handle(key(KeyCode::Enter)), vec![]);
        assert!(s.notice.as_deref().unwrap().contains("not a command"));
        typed(&mut s, "/quit");
        assert_eq!(s.handle(key(KeyCode::Enter)), vec![Effect::Quit]);
        typed(&mut s, "/lora style.gguf:0.5 off.gguf");
        assert_eq!(
            s.handle(key(KeyCode::Enter)),
            vec![Effect::Lora("style.gguf:0.5 off.gguf".into())]
        );
    }

    #[test]
    fn role_switches_and_alone_asks_which() {
        let mut s = State::new("smol".into(), 4096);
        typed(&mut s, "/role");
        assert_eq!(s.handle(key(KeyCode::Enter)), vec![Effect::ShowRole]);
        typed(&mut s, "/role reviewer");
        assert_eq!(
            s.handle(key(KeyCode::Enter)),
            vec![Effect::SwitchRole("reviewer".into())]
        );
        s.handle(Event::RoleChanged {
            name: "reviewer".into(),
            note: "now answering as reviewer".into(),
        });
        assert_eq!(s.role.as_deref(), Some("reviewer"));
        assert_eq!(s.notice.as_deref(), Some("now answering as reviewer"));
    }

    #[test]
    fn the_session_picker_opens_the_chosen_conversation() {
        let mut s = State::new("smol".into(), 4096);
        let summary = |id| ConversationSummary {
            id,
            title: format!("c{id}"),
            model: None,
            created: String::new(),
            updated: String::new(),
            messages: 2,
        };
        s.handle(Event::Sessions(vec![summary(7), summary(3)]));
        s.handle(key(KeyCode::Down));
        assert_eq!(s.handle(key(KeyCode::Enter)), vec![Effect::OpenSession(3)]);
        assert!(s.overlay.is_none());
    }

    #[test]
    fn retry_asks_the_last_question_again() {
        let mut s = State::new("smol".into(), 4096);
        typed(&mut s, "why?");
        s.handle(key(KeyCode::Enter));
        s.handle(Event::Reply(Reply::Finished(generation(
            StopReason::EndOfText,
        ))));
        typed(&mut s, "/retry");
        assert_eq!(
            s.handle(key(KeyCode::Enter)),
            vec![Effect::Ask("why?".into())]
        );
        assert_eq!(s.turns.len(), 1);
    }

    fn asked(s: &mut State, question: &str) {
        typed(s, question);
        s.handle(key(KeyCode::Enter));
        s.handle(Event::Reply(Reply::Piece("ok".into())));
        s.handle(Event::Reply(Reply::Finished(generation(
            StopReason::EndOfText,
        ))));
    }

    #[test]
    fn slash_remember_keeps_a_fact_and_it_is_not_offered_again() {
        let mut s = State::new("smol".into(), 4096);
        typed(&mut s, "/remember");
        assert_eq!(s.handle(key(KeyCode::Enter)), vec![]);
        assert!(s.notice.as_deref().unwrap().contains("TEXT"));
        typed(&mut s, "/remember My cat is called Miso.");
        assert_eq!(
            s.handle(key(KeyCode::Enter)),
            vec![Effect::Remember(vec!["My cat is called Miso.".into()])]
        );
        asked(&mut s, "My cat is called Miso. What should I feed her?");
        asked(&mut s, "I use a gravity feeder.");
        assert_eq!(s.facts_to_offer(), ["I use a gravity feeder."]);
    }

    #[test]
    fn leaving_offers_stated_facts_and_keeps_them_only_on_yes() {
        let mut s = State::new("smol".into(), 4096);
        asked(&mut s, "My locker code is 4417. Can you remember it?");
        assert_eq!(
            s.handle(ctrl('d')),
            vec![Effect::Quit],
            "one turn: nothing offered"
        );
        asked(&mut s, "I prefer short answers.");
        for (answer, effects) in [
            (
                KeyCode::Char('y'),
                vec![
                    Effect::Remember(vec![
                        "My locker code is 4417.".into(),
                        "I prefer short answers.".into(),
                    ]),
                    Effect::Quit,
                ],
            ),
            (KeyCode::Char('n'), vec![Effect::Quit]),
            (KeyCode::Enter, vec![Effect::Quit]),
            (KeyCode::Esc, vec![]),
        ] {
            typed(&mut s, "/quit");
            assert_eq!(s.handle(key(KeyCode::Enter)), vec![], "asks first");
            assert!(matches!(s.overlay, Some(Overlay::Propose(ref f)) if f.len() == 2));
            assert_eq!(s.handle(key(answer)), effects, "{answer:?}");
            assert!(s.overlay.is_none());
        }
    }

    #[test]
    fn a_resumed_conversation_offers_only_what_is_new() {
        let mut s = State::new("smol".into(), 4096);
        let mut old = Turn::new("My name is Ada.".into());
        old.answer = "Hello Ada".into();
        old.state = TurnState::Done;
        s.handle(Event::Opened(vec![old.clone(), old]));
        asked(&mut s, "hello again");
        assert_eq!(s.handle(ctrl('d')), vec![Effect::Quit]);
    }

    #[test]
    fn enter_while_generating_does_not_ask_twice() {
        let mut s = State::new("smol".into(), 4096);
        typed(&mut s, "one");
        s.handle(key(KeyCode::Enter));
        typed(&mut s, "two");
        assert_eq!(s.handle(key(KeyCode::Enter)), vec![]);
        assert_eq!(s.input_text(), "two", "the typed-ahead text is kept");
    }
}
