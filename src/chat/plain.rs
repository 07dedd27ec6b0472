//! `pai chat` when stdin is not a terminal: one question per line, each answer streamed to
//! stdout and ended with a blank line, for scripts and tests. The conversation is stored
//! like any other. `/remember TEXT` keeps a fact; `/quit` leaves.
use std::io::{BufRead, Write};
use std::sync::mpsc::Receiver;
use std::time::Instant;

use super::session::ChatSession;
use super::state::{Event, Turn, TurnState};
use crate::engine::StopReason;
use crate::error::Error;
use crate::pipeline::reply::Reply;

pub fn run(
    mut session: ChatSession,
    mut turns: Vec<Turn>,
    events: Receiver<Event>,
    verbose: bool,
) -> Result<(), Error> {
    for line in std::io::stdin().lock().lines() {
        let line = line.map_err(|e| Error::user(format!("cannot read stdin: {e}")))?;
        let question = line.trim();
        if question.is_empty() {
            continue;
        }
        if question == "/quit" {
            break;
        }
        if let Some(arg) = question.strip_prefix("/lora") {
            // A bad adapter is reported and the conversation goes on, as on the screen.
            match session.lora(arg) {
                Ok(label) => eprintln!("pai: {label}"),
                Err(e) => eprintln!("pai: {}", e.message),
            }
            continue;
        }
        // A script can keep facts too; nothing is offered on leaving, since a pipe cannot
        // answer y.
        if let Some(fact) = question.strip_prefix("/remember ") {
            eprintln!("pai: {}", session.remember(&[fact.trim().to_string()])?);
            continue;
        }
        if let Some(name) = question.strip_prefix("/role") {
            role_command(&mut session, name.trim())?;
            continue;
        }
        let mut turn = Turn::new(question.to_string());
        let asked = Instant::now();
        session.ask(question, &turns)?;
        crate::cancel::cancel_on_interrupt(&session.cancel_token());
        let first_token_ms = stream_answer(&events, &mut turn, asked, &session.cancel_token())?;
        session.save_answer(&turn)?;
        if verbose {
            report(turns.len() + 1, &turn, first_token_ms);
        }
        let stopped = turn.state == TurnState::Stopped;
        turns.push(turn);
        if stopped {
            return Err(Error::interrupted());
        }
    }
    Ok(())
}

/// `/role NAME` switches the role and `/role` names it, on stderr; an unknown role ends the
/// chat like any other error, since a script cannot see the notice and correct itself.
fn role_command(session: &mut ChatSession, name: &str) -> Result<(), Error> {
    let note = if name.is_empty() {
        super::session::describe_role(session.role())
    } else {
        session.switch_role(name)?
    };
    eprintln!("pai: {}", crate::render::sanitize_line(&note));
    Ok(())
}

/// Prints the answer as it arrives; returns the time to its first piece in ms.
fn stream_answer(
    events: &Receiver<Event>,
    turn: &mut Turn,
    asked: Instant,
    cancel: &crate::cancel::CancelToken,
) -> Result<Option<f64>, Error> {
    let mut out = std::io::stdout().lock();
    let mut first = None;
    loop {
        let Ok(Event::Reply(reply)) = events.recv() else {
            return Err(Error::internal("the engine thread stopped"));
        };
        match reply {
            Reply::Started {
                sources,
                cuts,
                notes,
                ..
            } => {
                turn.sources = sources;
                for note in notes {
                    eprintln!("pai: {}", crate::render::sanitize_line(&note));
                }
                for cut in cuts {
                    eprintln!(
                        "pai: to fit the context window, {}",
                        crate::render::sanitize_line(&cut)
                    );
                }
            }
            Reply::Piece(text) => {
                let text = crate::engine::text::answer_piece(&turn.answer, &text).to_string();
                if text.is_empty() {
                    continue;
                }
                first.get_or_insert_with(|| asked.elapsed().as_secs_f64() * 1000.0);
                turn.answer.push_str(&text);
                write_piece(&mut out, &text, cancel)?;
            }
            Reply::Routed(why) => eprintln!("pai: {}", crate::render::sanitize_line(&why)),
            Reply::Finished(g) => {
                turn.state = if g.stop_reason == StopReason::Interrupted {
                    TurnState::Stopped
                } else {
                    TurnState::Done
                };
                turn.generation = Some(g);
                writeln!(out, "\n").and_then(|_| out.flush()).ok();
                return Ok(first);
            }
            Reply::Failed(e) => return Err(e),
        }
    }
}

fn write_piece(
    out: &mut std::io::StdoutLock,
    text: &str,
    cancel: &crate::cancel::CancelToken,
) -> Result<(), Error> {
    match out
        .write_all(crate::render::sanitize(text).as_bytes())
        .and_then(|_| out.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            cancel.cancel();
            Ok(())
        }
        other => other.map_err(Into::into),
    }
}

fn report(n: usize, turn: &Turn, first_token_ms: Option<f64>) {
    let Some(g) = &turn.generation else { return };
    eprintln!(
        "pai: turn {n}: {} prompt tokens, {} reused from the turn before; first token after {:.0} ms; {} tokens at {:.1} tok/s",
        g.prompt_tokens,
        g.reused_tokens,
        first_token_ms.unwrap_or(f64::NAN),
        g.generated_tokens,
        g.generation_tps()
    );
}
