//! Assembling what the model reads: the system prompt, then the user's message with every
//! attachment (stdin, `-f` files) as a labelled block before the question, so that the
//! instruction comes last, where small models follow it best.
use crate::engine::{Message, Role};

pub const SYSTEM_PROMPT: &str = include_str!("../../prompts/system.txt");

#[derive(Debug, Clone)]
pub struct Attachment {
    /// What the block is called in the prompt: a file name, or "stdin".
    pub label: String,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct Request {
    pub question: String,
    /// Replaces the system prompt from prompts/ when set.
    pub system: Option<String>,
    pub attachments: Vec<Attachment>,
}

impl Request {
    pub fn messages(&self) -> Vec<Message> {
        let system = self.system.as_deref().unwrap_or(SYSTEM_PROMPT).trim();
        let mut user = String::new();
        for a in &self.attachments {
            user.push_str(&format!(
                "<attachment name=\"{}\">\n{}\n</attachment>\n\n",
                a.label,
                a.text.trim_end()
            ));
        }
        user.push_str(self.question.trim());
        let mut messages = Vec::new();
        if !system.is_empty() {
            messages.push(Message::new(Role::System, system));
        }
        messages.push(Message::new(Role::User, user.trim_end()));
        messages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachments_come_before_the_question() {
        let request = Request {
            question: "Summarize.".into(),
            system: None,
            attachments: vec![Attachment {
                label: "stdin".into(),
                text: "the meeting moves to Friday\n".into(),
            }],
        };
        let messages = request.messages();
        assert_eq!(messages[0].role, Role::System);
        let user = &messages[1].content;
        assert!(user.starts_with(
            "<attachment name=\"stdin\">\nthe meeting moves to Friday\n</attachment>"
        ));
        assert!(user.ends_with("Summarize."));
    }

    #[test]
    fn an_empty_system_prompt_is_left_out() {
        let request = Request {
            question: "hi".into(),
            system: Some(String::new()),
            attachments: vec![],
        };
        assert_eq!(request.messages().len(), 1);
    }
}
