//! A long run's conversation kept inside the model's window: the text of the oldest tool
//! results is dropped first (the model can call the tool again), then nothing more; the task
//! and the calls themselves always stay.
use crate::engine::TokenCount;
use crate::message::{Message, Role};
use crate::tool::Tools;

/// What a dropped result becomes.
pub const DROPPED: &str =
    "[an earlier result, dropped to fit the context window: call the tool again if it is needed]";

/// More tokens than any chat template puts around one message.
const MARKUP_PER_MESSAGE: usize = 32;

/// More bytes than any of `prompts/tools*.txt` adds around the tools' listing.
const TOOLS_SECTION: usize = 1024;

/// Drops the oldest tool results until the messages, with the `tools` offered, take at most
/// `room` tokens; returns how many were dropped.
pub fn fit(messages: &mut [Message], count: &dyn TokenCount, tools: &Tools, room: usize) -> usize {
    // A token is at least a byte of text in the tokenizers llama.cpp reads, and a template
    // adds a few tokens around each message: far from the limit, counting (a template and a
    // tokenizer over the whole conversation, every step) can be skipped. The tools' section
    // is at most its instructions and the listing, which a format may indent.
    let most = messages
        .iter()
        .map(|m| m.content.len() + MARKUP_PER_MESSAGE)
        .sum::<usize>()
        + 2 * crate::engine::tools::listed_json(tools).len()
        + TOOLS_SECTION;
    if most <= room {
        return 0;
    }
    let mut dropped = 0;
    while count.prompt_tokens_with(messages, tools) > room {
        let oldest = messages
            .iter_mut()
            .find(|m| m.role == Role::Tool && m.content != DROPPED);
        match oldest {
            Some(m) => {
                m.content = DROPPED.to_string();
                dropped += 1;
            }
            None => break,
        }
    }
    dropped
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Bytes;

    impl TokenCount for Bytes {
        fn prompt_tokens(&self, messages: &[Message]) -> usize {
            messages.iter().map(|m| m.content.len()).sum()
        }
        fn text_tokens(&self, text: &str) -> usize {
            text.len()
        }
    }

    #[test]
    fn the_oldest_results_go_first_and_the_task_stays() {
        let big = "x".repeat(1000);
        let mut messages = vec![
            Message::new(Role::User, "task"),
            Message::tool_result("a", big.clone()),
            Message::tool_result("b", big.clone()),
        ];
        assert_eq!(fit(&mut messages, &Bytes, &Tools::default(), 1500), 1);
        assert_eq!(messages[1].content, DROPPED);
        assert_eq!(messages[2].content, big);
        assert_eq!(messages[0].content, "task");
    }

    #[test]
    fn the_tools_listing_counts_against_the_room() {
        let tools = Tools {
            specs: vec![crate::tool::ToolSpec {
                name: "search".into(),
                description: "x".repeat(600),
                parameters: serde_json::json!({"type": "object", "properties": {}}),
            }],
            ..Tools::default()
        };
        let mut messages = vec![
            Message::new(Role::User, "task"),
            Message::tool_result("a", "y".repeat(1000)),
        ];
        assert_eq!(fit(&mut messages, &Bytes, &Tools::default(), 1500), 0);
        assert_eq!(fit(&mut messages, &Bytes, &tools, 1500), 1);
    }
}
