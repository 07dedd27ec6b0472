//! Tool calls and log-probabilities through `pai serve`, driven by the official Python `openai`
//! client: on the real SmolLM2, a required call that validates, the same call streamed as
//! deltas, a second turn that reads the tool's result, and token probabilities, one answer at
//! a time and batched (`--parallel 2`); on a remote tier (the agent tests' scripted model),
//! the tools passed through under names OpenAI takes, redacted, and the calls back as offered.
use crate::serve::Server;
use crate::util::Env;

/// Streamed tool-call deltas joined by index, as a client does: (calls, finish_reason).
const STREAMED_CALLS: &str = r#"
def streamed_calls(stream):
    calls, finish = {}, None
    for chunk in stream:
        if not chunk.choices:
            continue
        for d in chunk.choices[0].delta.tool_calls or []:
            e = calls.setdefault(d.index, {"id": "", "name": "", "arguments": ""})
            e["id"] += d.id or ""
            e["name"] += (d.function and d.function.name) or ""
            e["arguments"] += (d.function and d.function.arguments) or ""
        finish = chunk.choices[0].finish_reason or finish
    return calls, finish
"#;

const TOOLS: &str = r#"
c = openai.OpenAI(base_url=URL, api_key="none", max_retries=0)
# OpenAI's own example tool, from its function-calling guide.
tools = [{"type": "function", "function": {"name": "get_current_weather",
    "description": "Get the current weather in a given location",
    "parameters": {"type": "object", "properties": {
        "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
      "required": ["location"]}}}]
msgs = [{"role": "user", "content": "What's the weather like in Boston today?"}]
ask = dict(model="smol", messages=msgs, tools=tools, tool_choice="required", temperature=0, max_tokens=96)

r = c.chat.completions.create(**ask)
choice = r.choices[0]
assert choice.finish_reason == "tool_calls", choice
assert choice.message.content is None, choice.message
assert len(choice.message.tool_calls) >= 1, choice.message
call = choice.message.tool_calls[0]
assert call.type == "function" and call.id.startswith("call_"), call
assert call.function.name == "get_current_weather", call
args = json.loads(call.function.arguments)
assert isinstance(args["location"], str) and set(args) <= {"location", "unit"}, args
assert args.get("unit", "celsius") in ("celsius", "fahrenheit"), args

calls, finish = streamed_calls(c.chat.completions.create(stream=True, **ask))
assert finish == "tool_calls", finish
assert calls[0]["name"] == call.function.name, calls
assert calls[0]["arguments"] == call.function.arguments, (calls, call)
assert calls[0]["id"].startswith("call_"), calls

turn = msgs + [
    {"role": "assistant", "content": None, "tool_calls": [{"id": call.id, "type": "function",
        "function": {"name": call.function.name, "arguments": call.function.arguments}}]},
    {"role": "tool", "tool_call_id": call.id, "content": json.dumps({"temperature": 22, "unit": "celsius", "sky": "sunny"})},
]
second = c.chat.completions.create(model="smol", messages=turn, tools=tools, tool_choice="none", temperature=0, max_tokens=24)
answer = second.choices[0]
assert not answer.message.tool_calls, answer.message
assert answer.message.content.strip(), answer.message
assert answer.finish_reason in ("stop", "length"), answer
print("second turn:", repr(answer.message.content))
assert answer.logprobs is None, answer
"#;

const LOGPROBS: &str = r#"
lp = c.chat.completions.create(model="smol", messages=msgs, temperature=0, max_tokens=4, logprobs=True, top_logprobs=3)
content = lp.choices[0].logprobs.content
assert len(content) >= 1, lp
text = "".join(t.token for t in content)
assert lp.choices[0].message.content.strip() in text or text.strip() in lp.choices[0].message.content, (text, lp)
for t in content:
    assert t.logprob <= 0 and len(t.top_logprobs) == 3, t
    # greedy: the chosen token is the most likely one
    assert abs(t.top_logprobs[0].logprob - t.logprob) < 1e-4, t
streamed = [e for chunk in c.chat.completions.create(model="smol", messages=msgs, temperature=0, max_tokens=4,
    logprobs=True, top_logprobs=2, stream=True) if chunk.choices and chunk.choices[0].logprobs
    for e in chunk.choices[0].logprobs.content]
assert [t.token for t in streamed] == [t.token for t in content], (streamed, content)
print("ok")
"#;

#[test]
fn the_openai_client_gets_a_required_call_streamed_the_same_and_an_answer_from_its_result() {
    let env = Env::with_smol();
    let server = Server::start(&env, &[]);
    server.python(&format!("{STREAMED_CALLS}{TOOLS}{LOGPROBS}"), "none");
}

/// The batch engine holds tools as the one-sequence engine does.
#[test]
fn tools_work_batched_with_parallel_slots() {
    let env = Env::with_smol();
    let server = Server::start(&env, &["--parallel", "2"]);
    server.python(&format!("{STREAMED_CALLS}{TOOLS}print(\"ok\")\n"), "none");
}

/// The client's side of a remote tier with tools: a named choice of an MCP-style `NAME.tool`,
/// the call whole and streamed, then the second turn with the tool's result.
const TIER_TOOLS: &str = r#"
c = openai.OpenAI(base_url=URL, api_key="none", max_retries=0)
tools = [{"type": "function", "function": {"name": "notes.lookup",
    "description": "Look things up in the notes (wiki token ghp_R2d9Xk3LmP0qZ7vB4nC6tY1wE8sA5fH2jK9u)",
    "parameters": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}}}]
msgs = [{"role": "user", "content": "Which port does the tunnel use? My key is AKIAQWERTYU2345ABCDE"}]
ask = dict(model="pai-medium", messages=msgs, tools=tools,
           tool_choice={"type": "function", "function": {"name": "notes.lookup"}})

r = c.chat.completions.create(**ask)
choice = r.choices[0]
assert choice.finish_reason == "tool_calls", choice
assert choice.message.content is None, choice.message
call = choice.message.tool_calls[0]
assert call.function.name == "notes.lookup", call
assert json.loads(call.function.arguments) == {"query": "wireguard port"}, call
assert call.id == "call_1_0", call

calls, finish = streamed_calls(c.chat.completions.create(stream=True, **ask))
assert finish == "tool_calls", finish
assert calls[0]["name"] == "notes.lookup", calls
assert json.loads(calls[0]["arguments"]) == {"query": "wireguard port"}, calls

turn = msgs + [
    {"role": "assistant", "content": None, "tool_calls": [{"id": call.id, "type": "function",
        "function": {"name": call.function.name, "arguments": call.function.arguments}}]},
    {"role": "tool", "tool_call_id": call.id, "content": "The tunnel listens on 51820."},
]
second = c.chat.completions.create(model="pai-medium", messages=turn, tools=tools)
answer = second.choices[0]
assert answer.finish_reason == "stop", answer
assert answer.message.content == "It is 51820.", answer.message
assert not answer.message.tool_calls, answer.message
print("ok")
"#;

#[test]
fn tools_pass_through_to_a_remote_tier_under_valid_names_redacted() {
    use crate::agent::{Scripted, Turn};
    use serde_json::json;
    let lookup = || Turn::Calls(vec![("notes_lookup", json!({"query": "wireguard port"}))]);
    let model = Scripted::start(vec![lookup(), lookup(), Turn::Answer("It is 51820.")], true);
    let env = Env::with_smol();
    env.write_config(&crate::agent::scripted_endpoint(
        model.port,
        "[tiers]\nmedium = \"script\"\n",
    ));
    let server = Server::start(&env, &[]);
    server.python(&format!("{STREAMED_CALLS}{TIER_TOOLS}"), "none");
    let received = model.requests();
    assert_eq!(received.len(), 3);
    for body in &received {
        let text = body.to_string();
        assert!(
            !text.contains("AKIAQWERTYU2345ABCDE") && !text.contains("ghp_R2d9"),
            "a secret left: {text}"
        );
        assert_eq!(
            body["tools"][0]["function"]["name"], "notes_lookup",
            "{body}"
        );
    }
    assert_eq!(
        received[0]["tool_choice"]["function"]["name"],
        "notes_lookup"
    );
    let history = received[2]["messages"].as_array().unwrap();
    assert_eq!(
        history[1]["tool_calls"][0]["function"]["name"],
        "notes_lookup"
    );
    assert!(history[1]["content"].is_null(), "{history:?}");
    assert_eq!(history[2]["role"], "tool");
    assert_eq!(history[2]["tool_call_id"], "call_1_0");
    let audit = crate::util::json_of(&env.pai(&["audit", "--json"]).output().unwrap());
    let rows = audit.as_array().unwrap();
    assert_eq!(rows.len(), 3, "{audit}");
    assert!(rows.iter().all(|r| r["front"] == "serve"), "{audit}");
    assert!(
        rows.iter().all(|r| r["redactions"].as_u64() >= Some(2)),
        "{audit}"
    );
}
