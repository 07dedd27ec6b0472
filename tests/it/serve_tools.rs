//! Tool calls and log-probabilities through `pai serve`, driven by the official Python `openai`
//! client on the real SmolLM2: a required call that validates, the same call streamed as
//! deltas, a second turn that reads the tool's result, and token probabilities.
use crate::serve::Server;
use crate::util::Env;

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

calls, finish = {}, None
for chunk in c.chat.completions.create(stream=True, **ask):
    if not chunk.choices:
        continue
    for d in chunk.choices[0].delta.tool_calls or []:
        e = calls.setdefault(d.index, {"id": "", "name": "", "arguments": ""})
        e["id"] += d.id or ""
        e["name"] += (d.function and d.function.name) or ""
        e["arguments"] += (d.function and d.function.arguments) or ""
    finish = chunk.choices[0].finish_reason or finish
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
    server.python(TOOLS, "none");
}
