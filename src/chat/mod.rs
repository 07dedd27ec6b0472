//! `pai chat`: a full-screen conversation. `state` is the chat as a pure state machine,
//! `view` draws it, `markdown` renders answers, `terminal` drives it all over one event loop
//! with the engine on its own thread, and `plain` is the line-by-line mode for scripts.
//! `facts` picks the user's statements about themselves that pai offers to remember on leaving.
pub mod facts;
pub mod markdown;
pub mod plain;
pub mod session;
pub mod state;
pub mod terminal;
pub mod theme;
pub mod view;
