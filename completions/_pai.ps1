
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'pai' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'pai'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'pai' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('agent', 'agent', [CompletionResultType]::ParameterValue, 'Carry out a task with tools: search, read, list, grep, run (sandboxed), edit, remember, recall')
            [CompletionResult]::new('ask', 'ask', [CompletionResultType]::ParameterValue, 'Ask a question and stream the answer to stdout')
            [CompletionResult]::new('chat', 'chat', [CompletionResultType]::ParameterValue, 'Talk with the model in a full-screen chat that streams, shows its sources and remembers')
            [CompletionResult]::new('commit', 'commit', [CompletionResultType]::ParameterValue, 'Write a commit message for the staged changes to stdout')
            [CompletionResult]::new('commit-eval', 'commit-eval', [CompletionResultType]::ParameterValue, 'commit-eval')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Rewrite the text on stdin as the instruction says; print only the replacement')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain the text or code on stdin')
            [CompletionResult]::new('complete', 'complete', [CompletionResultType]::ParameterValue, 'Continue the text or code on stdin; print only the continuation')
            [CompletionResult]::new('shell', 'shell', [CompletionResultType]::ParameterValue, 'Propose a shell command for a task, explain it, and run it once you confirm')
            [CompletionResult]::new('sandbox', 'sandbox', [CompletionResultType]::ParameterValue, 'Run a command in a sandbox: it may read anything, but write only in the working folder, its own temp folder ($TMPDIR) and --allow-write folders, and not use TCP unless --net')
            [CompletionResult]::new('hook', 'hook', [CompletionResultType]::ParameterValue, 'hook')
            [CompletionResult]::new('context', 'context', [CompletionResultType]::ParameterValue, 'Show what the model would read for this question, and how many tokens each part takes')
            [CompletionResult]::new('route', 'route', [CompletionResultType]::ParameterValue, 'Explain which tier would answer a request and why, without calling any remote')
            [CompletionResult]::new('role', 'role', [CompletionResultType]::ParameterValue, 'Specialists for recurring jobs: markdown files with TOML front matter (docs/roles.md)')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'Browse, search, export and remove saved conversations')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Show the audit log: the requests that left this machine, newest first')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Sum the audit log: requests, the local share, cost, cost avoided, and the budgets')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Search the indexed folders. Words are stemmed and stop words ignored; "quoted words" must appear as a phrase, and word* matches a prefix')
            [CompletionResult]::new('remember', 'remember', [CompletionResultType]::ParameterValue, 'Remember a fact about you; pai puts it in front of the model when a question is about it')
            [CompletionResult]::new('memory', 'memory', [CompletionResultType]::ParameterValue, 'List, search, edit and forget what `pai remember` kept')
            [CompletionResult]::new('redact', 'redact', [CompletionResultType]::ParameterValue, 'Show what would leave the machine: stdin with secrets (keys, tokens, passwords, private keys) replaced by placeholders such as [REDACTED_AWS_ACCESS_KEY_1]')
            [CompletionResult]::new('index', 'index', [CompletionResultType]::ParameterValue, 'Manage the full-text index over your notes and code')
            [CompletionResult]::new('model', 'model', [CompletionResultType]::ParameterValue, 'Manage the registry of GGUF models')
            [CompletionResult]::new('learn', 'learn', [CompletionResultType]::ParameterValue, 'Teach the local model how you write: your notes and your commit messages')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show where pai''s configuration is and what it says')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the model over an OpenAI-compatible HTTP API (see docs/serve.md)')
            [CompletionResult]::new('service', 'service', [CompletionResultType]::ParameterValue, 'service')
            [CompletionResult]::new('mcp', 'mcp', [CompletionResultType]::ParameterValue, 'Serve the indexed notes to AI agents over the Model Context Protocol')
            [CompletionResult]::new('bench', 'bench', [CompletionResultType]::ParameterValue, 'Measure load time, prompt processing and generation speed on this machine')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the build, the configuration, the paths, the model files, and that the model in use generates a token on this CPU')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a completion script for SHELL to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pai;agent' {
            [CompletionResult]::new('--max-steps', '--max-steps', [CompletionResultType]::ParameterName, 'The most model calls')
            [CompletionResult]::new('--time-limit', '--time-limit', [CompletionResultType]::ParameterName, 'Stop after this many seconds')
            [CompletionResult]::new('--token-budget', '--token-budget', [CompletionResultType]::ParameterName, 'Stop when the steps have used this many tokens (prompt and generated, all steps)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'The working folder (default: the current one): the only place edit and run may write')
            [CompletionResult]::new('--folder', '--folder', [CompletionResultType]::ParameterName, 'The working folder (default: the current one): the only place edit and run may write')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model')
            [CompletionResult]::new('--tier', '--tier', [CompletionResultType]::ParameterName, 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)')
            [CompletionResult]::new('--ctx', '--ctx', [CompletionResultType]::ParameterName, 'Context window in tokens (default: what the request needs, up to the model''s trained length)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads for prompt processing and generation (default: all cores)')
            [CompletionResult]::new('--gpu-layers', '--gpu-layers', [CompletionResultType]::ParameterName, 'Layers to offload to the GPU (default: all on a GPU build, else 0)')
            [CompletionResult]::new('--lora', '--lora', [CompletionResultType]::ParameterName, 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The most tokens to generate')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'The most tokens to generate')
            [CompletionResult]::new('--temp', '--temp', [CompletionResultType]::ParameterName, 'Temperature; 0 always picks the most likely token')
            [CompletionResult]::new('--top-k', '--top-k', [CompletionResultType]::ParameterName, 'Keep only the K most likely tokens (0: off)')
            [CompletionResult]::new('--top-p', '--top-p', [CompletionResultType]::ParameterName, 'Keep the most likely tokens up to probability P (1: off)')
            [CompletionResult]::new('--min-p', '--min-p', [CompletionResultType]::ParameterName, 'Drop tokens less likely than P times the most likely one (0: off)')
            [CompletionResult]::new('--repeat-penalty', '--repeat-penalty', [CompletionResultType]::ParameterName, 'Penalty for repeating recent tokens (1: off)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for sampling; the same seed and input give the same answer')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'Stop when the model writes this text, which is not printed (repeatable)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Approve every call that would ask (config.toml''s [agent] deny still holds)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Approve every call that would ask (config.toml''s [agent] deny still holds)')
            [CompletionResult]::new('--net', '--net', [CompletionResultType]::ParameterName, 'Let commands that `run` starts open network connections')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the run as one JSON object (answer, steps, run id) instead of the answer')
            [CompletionResult]::new('--speculate', '--speculate', [CompletionResultType]::ParameterName, 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch''s rounding can flip a near tie, so a greedy answer may differ)')
            [CompletionResult]::new('--no-speculate', '--no-speculate', [CompletionResultType]::ParameterName, 'Decode one token at a time, without drafts')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;ask' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Attach a text file (repeatable)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Attach a text file (repeatable)')
            [CompletionResult]::new('--system', '--system', [CompletionResultType]::ParameterName, 'Replace the system prompt')
            [CompletionResult]::new('--json-schema', '--json-schema', [CompletionResultType]::ParameterName, 'Constrain the answer to JSON that follows this JSON Schema (enforced token by token; a schema that cannot be enforced is an error before generation). With --json, the parsed value is printed as `value`. Local models only')
            [CompletionResult]::new('--grammar', '--grammar', [CompletionResultType]::ParameterName, 'Constrain the answer to this GBNF grammar (llama.cpp''s format, starting at `root`)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Answer as this role: its system prompt, settings and sources (`pai role list`)')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model')
            [CompletionResult]::new('--tier', '--tier', [CompletionResultType]::ParameterName, 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)')
            [CompletionResult]::new('--ctx', '--ctx', [CompletionResultType]::ParameterName, 'Context window in tokens (default: what the request needs, up to the model''s trained length)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads for prompt processing and generation (default: all cores)')
            [CompletionResult]::new('--gpu-layers', '--gpu-layers', [CompletionResultType]::ParameterName, 'Layers to offload to the GPU (default: all on a GPU build, else 0)')
            [CompletionResult]::new('--lora', '--lora', [CompletionResultType]::ParameterName, 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The most tokens to generate')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'The most tokens to generate')
            [CompletionResult]::new('--temp', '--temp', [CompletionResultType]::ParameterName, 'Temperature; 0 always picks the most likely token')
            [CompletionResult]::new('--top-k', '--top-k', [CompletionResultType]::ParameterName, 'Keep only the K most likely tokens (0: off)')
            [CompletionResult]::new('--top-p', '--top-p', [CompletionResultType]::ParameterName, 'Keep the most likely tokens up to probability P (1: off)')
            [CompletionResult]::new('--min-p', '--min-p', [CompletionResultType]::ParameterName, 'Drop tokens less likely than P times the most likely one (0: off)')
            [CompletionResult]::new('--repeat-penalty', '--repeat-penalty', [CompletionResultType]::ParameterName, 'Penalty for repeating recent tokens (1: off)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for sampling; the same seed and input give the same answer')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'Stop when the model writes this text, which is not printed (repeatable)')
            [CompletionResult]::new('--no-context', '--no-context', [CompletionResultType]::ParameterName, 'Send only the prompt and attachments: no excerpts from the index, no profile, no context cell')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object: answer, model, token counts, timings and sources')
            [CompletionResult]::new('--sources', '--sources', [CompletionResultType]::ParameterName, 'List the sources the answer could cite, on stderr')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Pass the model''s bytes through, escape sequences included')
            [CompletionResult]::new('--speculate', '--speculate', [CompletionResultType]::ParameterName, 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch''s rounding can flip a near tie, so a greedy answer may differ)')
            [CompletionResult]::new('--no-speculate', '--no-speculate', [CompletionResultType]::ParameterName, 'Decode one token at a time, without drafts')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;chat' {
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue a stored conversation: the latest one, or the one with this ID (`pai history list`)')
            [CompletionResult]::new('--system', '--system', [CompletionResultType]::ParameterName, 'Replace the system prompt')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Answer as this role: its system prompt, settings and sources (`pai role list`)')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model')
            [CompletionResult]::new('--tier', '--tier', [CompletionResultType]::ParameterName, 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)')
            [CompletionResult]::new('--ctx', '--ctx', [CompletionResultType]::ParameterName, 'Context window in tokens (default: what the request needs, up to the model''s trained length)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads for prompt processing and generation (default: all cores)')
            [CompletionResult]::new('--gpu-layers', '--gpu-layers', [CompletionResultType]::ParameterName, 'Layers to offload to the GPU (default: all on a GPU build, else 0)')
            [CompletionResult]::new('--lora', '--lora', [CompletionResultType]::ParameterName, 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The most tokens to generate')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'The most tokens to generate')
            [CompletionResult]::new('--temp', '--temp', [CompletionResultType]::ParameterName, 'Temperature; 0 always picks the most likely token')
            [CompletionResult]::new('--top-k', '--top-k', [CompletionResultType]::ParameterName, 'Keep only the K most likely tokens (0: off)')
            [CompletionResult]::new('--top-p', '--top-p', [CompletionResultType]::ParameterName, 'Keep the most likely tokens up to probability P (1: off)')
            [CompletionResult]::new('--min-p', '--min-p', [CompletionResultType]::ParameterName, 'Drop tokens less likely than P times the most likely one (0: off)')
            [CompletionResult]::new('--repeat-penalty', '--repeat-penalty', [CompletionResultType]::ParameterName, 'Penalty for repeating recent tokens (1: off)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for sampling; the same seed and input give the same answer')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'Stop when the model writes this text, which is not printed (repeatable)')
            [CompletionResult]::new('--no-context', '--no-context', [CompletionResultType]::ParameterName, 'No excerpts from the index, no profile, no context cell')
            [CompletionResult]::new('--speculate', '--speculate', [CompletionResultType]::ParameterName, 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch''s rounding can flip a near tie, so a greedy answer may differ)')
            [CompletionResult]::new('--no-speculate', '--no-speculate', [CompletionResultType]::ParameterName, 'Decode one token at a time, without drafts')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;commit' {
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Answer as this role: its system prompt, settings and sources (`pai role list`)')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model')
            [CompletionResult]::new('--tier', '--tier', [CompletionResultType]::ParameterName, 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)')
            [CompletionResult]::new('--ctx', '--ctx', [CompletionResultType]::ParameterName, 'Context window in tokens (default: what the request needs, up to the model''s trained length)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads for prompt processing and generation (default: all cores)')
            [CompletionResult]::new('--gpu-layers', '--gpu-layers', [CompletionResultType]::ParameterName, 'Layers to offload to the GPU (default: all on a GPU build, else 0)')
            [CompletionResult]::new('--lora', '--lora', [CompletionResultType]::ParameterName, 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The most tokens to generate')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'The most tokens to generate')
            [CompletionResult]::new('--temp', '--temp', [CompletionResultType]::ParameterName, 'Temperature; 0 always picks the most likely token')
            [CompletionResult]::new('--top-k', '--top-k', [CompletionResultType]::ParameterName, 'Keep only the K most likely tokens (0: off)')
            [CompletionResult]::new('--top-p', '--top-p', [CompletionResultType]::ParameterName, 'Keep the most likely tokens up to probability P (1: off)')
            [CompletionResult]::new('--min-p', '--min-p', [CompletionResultType]::ParameterName, 'Drop tokens less likely than P times the most likely one (0: off)')
            [CompletionResult]::new('--repeat-penalty', '--repeat-penalty', [CompletionResultType]::ParameterName, 'Penalty for repeating recent tokens (1: off)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for sampling; the same seed and input give the same answer')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'Stop when the model writes this text, which is not printed (repeatable)')
            [CompletionResult]::new('--conventional', '--conventional', [CompletionResultType]::ParameterName, 'Write a Conventional Commits subject (`type(scope): subject`) whatever the history uses')
            [CompletionResult]::new('--apply', '--apply', [CompletionResultType]::ParameterName, 'Commit the staged changes with the message instead of printing it')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'With --apply, open the editor on the message before committing')
            [CompletionResult]::new('--edit', '--edit', [CompletionResultType]::ParameterName, 'With --apply, open the editor on the message before committing')
            [CompletionResult]::new('--speculate', '--speculate', [CompletionResultType]::ParameterName, 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch''s rounding can flip a near tie, so a greedy answer may differ)')
            [CompletionResult]::new('--no-speculate', '--no-speculate', [CompletionResultType]::ParameterName, 'Decode one token at a time, without drafts')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;commit-eval' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write commits of this repository as evaluation cases, a JSON array on stdout')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Write a message for every case in FILES, one JSON line per message on stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pai;commit-eval;export' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The name the cases carry for this repository')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The newest commit to consider')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'How many commits to export')
            [CompletionResult]::new('--every', '--every', [CompletionResultType]::ParameterName, 'Take every Nth commit that qualifies, to spread the cases over the history')
            [CompletionResult]::new('--max-files', '--max-files', [CompletionResultType]::ParameterName, 'Leave out commits that change more files than this')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;commit-eval;run' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model')
            [CompletionResult]::new('--tier', '--tier', [CompletionResultType]::ParameterName, 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)')
            [CompletionResult]::new('--ctx', '--ctx', [CompletionResultType]::ParameterName, 'Context window in tokens (default: what the request needs, up to the model''s trained length)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads for prompt processing and generation (default: all cores)')
            [CompletionResult]::new('--gpu-layers', '--gpu-layers', [CompletionResultType]::ParameterName, 'Layers to offload to the GPU (default: all on a GPU build, else 0)')
            [CompletionResult]::new('--lora', '--lora', [CompletionResultType]::ParameterName, 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The most tokens to generate')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'The most tokens to generate')
            [CompletionResult]::new('--temp', '--temp', [CompletionResultType]::ParameterName, 'Temperature; 0 always picks the most likely token')
            [CompletionResult]::new('--top-k', '--top-k', [CompletionResultType]::ParameterName, 'Keep only the K most likely tokens (0: off)')
            [CompletionResult]::new('--top-p', '--top-p', [CompletionResultType]::ParameterName, 'Keep the most likely tokens up to probability P (1: off)')
            [CompletionResult]::new('--min-p', '--min-p', [CompletionResultType]::ParameterName, 'Drop tokens less likely than P times the most likely one (0: off)')
            [CompletionResult]::new('--repeat-penalty', '--repeat-penalty', [CompletionResultType]::ParameterName, 'Penalty for repeating recent tokens (1: off)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for sampling; the same seed and input give the same answer')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'Stop when the model writes this text, which is not printed (repeatable)')
            [CompletionResult]::new('--no-grammar', '--no-grammar', [CompletionResultType]::ParameterName, 'Leave the subject free instead of holding it to the history''s form by a grammar')
            [CompletionResult]::new('--speculate', '--speculate', [CompletionResultType]::ParameterName, 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch''s rounding can flip a near tie, so a greedy answer may differ)')
            [CompletionResult]::new('--no-speculate', '--no-speculate', [CompletionResultType]::ParameterName, 'Decode one token at a time, without drafts')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;commit-eval;help' {
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write commits of this repository as evaluation cases, a JSON array on stdout')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Write a message for every case in FILES, one JSON line per message on stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pai;commit-eval;help;export' {
            break
        }
        'pai;commit-eval;help;run' {
            break
        }
        'pai;commit-eval;help;help' {
            break
        }
        'pai;edit' {
            [CompletionResult]::new('--file-name', '--file-name', [CompletionResultType]::ParameterName, 'The name of the file the selection comes from, for the model and the index search')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Answer as this role: its system prompt, settings and sources (`pai role list`)')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model')
            [CompletionResult]::new('--tier', '--tier', [CompletionResultType]::ParameterName, 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)')
            [CompletionResult]::new('--ctx', '--ctx', [CompletionResultType]::ParameterName, 'Context window in tokens (default: what the request needs, up to the model''s trained length)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads for prompt processing and generation (default: all cores)')
            [CompletionResult]::new('--gpu-layers', '--gpu-layers', [CompletionResultType]::ParameterName, 'Layers to offload to the GPU (default: all on a GPU build, else 0)')
            [CompletionResult]::new('--lora', '--lora', [CompletionResultType]::ParameterName, 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The most tokens to generate')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'The most tokens to generate')
            [CompletionResult]::new('--temp', '--temp', [CompletionResultType]::ParameterName, 'Temperature; 0 always picks the most likely token')
            [CompletionResult]::new('--top-k', '--top-k', [CompletionResultType]::ParameterName, 'Keep only the K most likely tokens (0: off)')
            [CompletionResult]::new('--top-p', '--top-p', [CompletionResultType]::ParameterName, 'Keep the most likely tokens up to probability P (1: off)')
            [CompletionResult]::new('--min-p', '--min-p', [CompletionResultType]::ParameterName, 'Drop tokens less likely than P times the most likely one (0: off)')
            [CompletionResult]::new('--repeat-penalty', '--repeat-penalty', [CompletionResultType]::ParameterName, 'Penalty for repeating recent tokens (1: off)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for sampling; the same seed and input give the same answer')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'Stop when the model writes this text, which is not printed (repeatable)')
            [CompletionResult]::new('--no-context', '--no-context', [CompletionResultType]::ParameterName, 'Send only the instruction and the selection: no excerpts, profile or context cell')
            [CompletionResult]::new('--speculate', '--speculate', [CompletionResultType]::ParameterName, 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch''s rounding can flip a near tie, so a greedy answer may differ)')
            [CompletionResult]::new('--no-speculate', '--no-speculate', [CompletionResultType]::ParameterName, 'Decode one token at a time, without drafts')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;explain' {
            [CompletionResult]::new('--file-name', '--file-name', [CompletionResultType]::ParameterName, 'The name of the file the selection comes from')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Answer as this role: its system prompt, settings and sources (`pai role list`)')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model')
            [CompletionResult]::new('--tier', '--tier', [CompletionResultType]::ParameterName, 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)')
            [CompletionResult]::new('--ctx', '--ctx', [CompletionResultType]::ParameterName, 'Context window in tokens (default: what the request needs, up to the model''s trained length)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads for prompt processing and generation (default: all cores)')
            [CompletionResult]::new('--gpu-layers', '--gpu-layers', [CompletionResultType]::ParameterName, 'Layers to offload to the GPU (default: all on a GPU build, else 0)')
            [CompletionResult]::new('--lora', '--lora', [CompletionResultType]::ParameterName, 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The most tokens to generate')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'The most tokens to generate')
            [CompletionResult]::new('--temp', '--temp', [CompletionResultType]::ParameterName, 'Temperature; 0 always picks the most likely token')
            [CompletionResult]::new('--top-k', '--top-k', [CompletionResultType]::ParameterName, 'Keep only the K most likely tokens (0: off)')
            [CompletionResult]::new('--top-p', '--top-p', [CompletionResultType]::ParameterName, 'Keep the most likely tokens up to probability P (1: off)')
            [CompletionResult]::new('--min-p', '--min-p', [CompletionResultType]::ParameterName, 'Drop tokens less likely than P times the most likely one (0: off)')
            [CompletionResult]::new('--repeat-penalty', '--repeat-penalty', [CompletionResultType]::ParameterName, 'Penalty for repeating recent tokens (1: off)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for sampling; the same seed and input give the same answer')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'Stop when the model writes this text, which is not printed (repeatable)')
            [CompletionResult]::new('--no-context', '--no-context', [CompletionResultType]::ParameterName, 'Send only the question and the selection: no excerpts, profile or context cell')
            [CompletionResult]::new('--speculate', '--speculate', [CompletionResultType]::ParameterName, 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch''s rounding can flip a near tie, so a greedy answer may differ)')
            [CompletionResult]::new('--no-speculate', '--no-speculate', [CompletionResultType]::ParameterName, 'Decode one token at a time, without drafts')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;complete' {
            [CompletionResult]::new('--suffix-file', '--suffix-file', [CompletionResultType]::ParameterName, 'Text that comes after the cursor, for fill-in-the-middle')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Answer as this role: its system prompt, settings and sources (`pai role list`)')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model')
            [CompletionResult]::new('--tier', '--tier', [CompletionResultType]::ParameterName, 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)')
            [CompletionResult]::new('--ctx', '--ctx', [CompletionResultType]::ParameterName, 'Context window in tokens (default: what the request needs, up to the model''s trained length)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads for prompt processing and generation (default: all cores)')
            [CompletionResult]::new('--gpu-layers', '--gpu-layers', [CompletionResultType]::ParameterName, 'Layers to offload to the GPU (default: all on a GPU build, else 0)')
            [CompletionResult]::new('--lora', '--lora', [CompletionResultType]::ParameterName, 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The most tokens to generate')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'The most tokens to generate')
            [CompletionResult]::new('--temp', '--temp', [CompletionResultType]::ParameterName, 'Temperature; 0 always picks the most likely token')
            [CompletionResult]::new('--top-k', '--top-k', [CompletionResultType]::ParameterName, 'Keep only the K most likely tokens (0: off)')
            [CompletionResult]::new('--top-p', '--top-p', [CompletionResultType]::ParameterName, 'Keep the most likely tokens up to probability P (1: off)')
            [CompletionResult]::new('--min-p', '--min-p', [CompletionResultType]::ParameterName, 'Drop tokens less likely than P times the most likely one (0: off)')
            [CompletionResult]::new('--repeat-penalty', '--repeat-penalty', [CompletionResultType]::ParameterName, 'Penalty for repeating recent tokens (1: off)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for sampling; the same seed and input give the same answer')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'Stop when the model writes this text, which is not printed (repeatable)')
            [CompletionResult]::new('--speculate', '--speculate', [CompletionResultType]::ParameterName, 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch''s rounding can flip a near tie, so a greedy answer may differ)')
            [CompletionResult]::new('--no-speculate', '--no-speculate', [CompletionResultType]::ParameterName, 'Decode one token at a time, without drafts')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;shell' {
            [CompletionResult]::new('--allow-write', '--allow-write', [CompletionResultType]::ParameterName, 'Also allow the command to write beneath DIR (repeatable)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Answer as this role: its system prompt, settings and sources (`pai role list`)')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model')
            [CompletionResult]::new('--tier', '--tier', [CompletionResultType]::ParameterName, 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)')
            [CompletionResult]::new('--ctx', '--ctx', [CompletionResultType]::ParameterName, 'Context window in tokens (default: what the request needs, up to the model''s trained length)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads for prompt processing and generation (default: all cores)')
            [CompletionResult]::new('--gpu-layers', '--gpu-layers', [CompletionResultType]::ParameterName, 'Layers to offload to the GPU (default: all on a GPU build, else 0)')
            [CompletionResult]::new('--lora', '--lora', [CompletionResultType]::ParameterName, 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The most tokens to generate')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'The most tokens to generate')
            [CompletionResult]::new('--temp', '--temp', [CompletionResultType]::ParameterName, 'Temperature; 0 always picks the most likely token')
            [CompletionResult]::new('--top-k', '--top-k', [CompletionResultType]::ParameterName, 'Keep only the K most likely tokens (0: off)')
            [CompletionResult]::new('--top-p', '--top-p', [CompletionResultType]::ParameterName, 'Keep the most likely tokens up to probability P (1: off)')
            [CompletionResult]::new('--min-p', '--min-p', [CompletionResultType]::ParameterName, 'Drop tokens less likely than P times the most likely one (0: off)')
            [CompletionResult]::new('--repeat-penalty', '--repeat-penalty', [CompletionResultType]::ParameterName, 'Penalty for repeating recent tokens (1: off)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for sampling; the same seed and input give the same answer')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'Stop when the model writes this text, which is not printed (repeatable)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Run the command without asking')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Run the command without asking')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Print the command on stdout (and the explanation on stderr); never run it')
            [CompletionResult]::new('--print', '--print', [CompletionResultType]::ParameterName, 'Print the command on stdout (and the explanation on stderr); never run it')
            [CompletionResult]::new('--no-context', '--no-context', [CompletionResultType]::ParameterName, 'Send only the task: no profile or context cell')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Also send excerpts from the index (off by default: indexed text must not pick commands)')
            [CompletionResult]::new('--net', '--net', [CompletionResultType]::ParameterName, 'Allow the command to use TCP: connect out and listen')
            [CompletionResult]::new('--no-sandbox', '--no-sandbox', [CompletionResultType]::ParameterName, 'Run the command unconfined: it may write anywhere and use the network')
            [CompletionResult]::new('--speculate', '--speculate', [CompletionResultType]::ParameterName, 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch''s rounding can flip a near tie, so a greedy answer may differ)')
            [CompletionResult]::new('--no-speculate', '--no-speculate', [CompletionResultType]::ParameterName, 'Decode one token at a time, without drafts')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;sandbox' {
            [CompletionResult]::new('--allow-write', '--allow-write', [CompletionResultType]::ParameterName, 'Also allow the command to write beneath DIR (repeatable)')
            [CompletionResult]::new('--net', '--net', [CompletionResultType]::ParameterName, 'Allow the command to use TCP: connect out and listen')
            [CompletionResult]::new('--no-sandbox', '--no-sandbox', [CompletionResultType]::ParameterName, 'Run the command unconfined: it may write anywhere and use the network')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;hook' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Add the prepare-commit-msg hook to this repository: `git commit` then opens the editor with a message written from the staged changes')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Remove pai''s hook from this repository and restore the hook it replaced')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'What the hook script calls: writes a message above git''s comment lines in MSGFILE. Always exits 0')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pai;hook;install' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;hook;uninstall' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;hook;run' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;hook;help' {
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Add the prepare-commit-msg hook to this repository: `git commit` then opens the editor with a message written from the staged changes')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Remove pai''s hook from this repository and restore the hook it replaced')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'What the hook script calls: writes a message above git''s comment lines in MSGFILE. Always exits 0')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pai;hook;help;install' {
            break
        }
        'pai;hook;help;uninstall' {
            break
        }
        'pai;hook;help;run' {
            break
        }
        'pai;hook;help;help' {
            break
        }
        'pai;context' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Attach a text file (repeatable)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Attach a text file (repeatable)')
            [CompletionResult]::new('--system', '--system', [CompletionResultType]::ParameterName, 'Replace the system prompt')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Answer as this role: its system prompt, settings and sources (`pai role list`)')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model')
            [CompletionResult]::new('--tier', '--tier', [CompletionResultType]::ParameterName, 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)')
            [CompletionResult]::new('--ctx', '--ctx', [CompletionResultType]::ParameterName, 'Context window in tokens (default: what the request needs, up to the model''s trained length)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads for prompt processing and generation (default: all cores)')
            [CompletionResult]::new('--gpu-layers', '--gpu-layers', [CompletionResultType]::ParameterName, 'Layers to offload to the GPU (default: all on a GPU build, else 0)')
            [CompletionResult]::new('--lora', '--lora', [CompletionResultType]::ParameterName, 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The most tokens to generate')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'The most tokens to generate')
            [CompletionResult]::new('--temp', '--temp', [CompletionResultType]::ParameterName, 'Temperature; 0 always picks the most likely token')
            [CompletionResult]::new('--top-k', '--top-k', [CompletionResultType]::ParameterName, 'Keep only the K most likely tokens (0: off)')
            [CompletionResult]::new('--top-p', '--top-p', [CompletionResultType]::ParameterName, 'Keep the most likely tokens up to probability P (1: off)')
            [CompletionResult]::new('--min-p', '--min-p', [CompletionResultType]::ParameterName, 'Drop tokens less likely than P times the most likely one (0: off)')
            [CompletionResult]::new('--repeat-penalty', '--repeat-penalty', [CompletionResultType]::ParameterName, 'Penalty for repeating recent tokens (1: off)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for sampling; the same seed and input give the same answer')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'Stop when the model writes this text, which is not printed (repeatable)')
            [CompletionResult]::new('--no-context', '--no-context', [CompletionResultType]::ParameterName, 'Send only the prompt and attachments: no excerpts from the index, no profile, no context cell')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object: window, sections with tokens, sources and the prompt')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Print the prompt''s bytes as they are, escape sequences included')
            [CompletionResult]::new('--speculate', '--speculate', [CompletionResultType]::ParameterName, 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch''s rounding can flip a near tie, so a greedy answer may differ)')
            [CompletionResult]::new('--no-speculate', '--no-speculate', [CompletionResultType]::ParameterName, 'Decode one token at a time, without drafts')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;route' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Attach a text file (repeatable)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Attach a text file (repeatable)')
            [CompletionResult]::new('--system', '--system', [CompletionResultType]::ParameterName, 'Replace the system prompt')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Answer as this role: its system prompt, settings and sources (`pai role list`)')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model')
            [CompletionResult]::new('--tier', '--tier', [CompletionResultType]::ParameterName, 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)')
            [CompletionResult]::new('--ctx', '--ctx', [CompletionResultType]::ParameterName, 'Context window in tokens (default: what the request needs, up to the model''s trained length)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads for prompt processing and generation (default: all cores)')
            [CompletionResult]::new('--gpu-layers', '--gpu-layers', [CompletionResultType]::ParameterName, 'Layers to offload to the GPU (default: all on a GPU build, else 0)')
            [CompletionResult]::new('--lora', '--lora', [CompletionResultType]::ParameterName, 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The most tokens to generate')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'The most tokens to generate')
            [CompletionResult]::new('--temp', '--temp', [CompletionResultType]::ParameterName, 'Temperature; 0 always picks the most likely token')
            [CompletionResult]::new('--top-k', '--top-k', [CompletionResultType]::ParameterName, 'Keep only the K most likely tokens (0: off)')
            [CompletionResult]::new('--top-p', '--top-p', [CompletionResultType]::ParameterName, 'Keep the most likely tokens up to probability P (1: off)')
            [CompletionResult]::new('--min-p', '--min-p', [CompletionResultType]::ParameterName, 'Drop tokens less likely than P times the most likely one (0: off)')
            [CompletionResult]::new('--repeat-penalty', '--repeat-penalty', [CompletionResultType]::ParameterName, 'Penalty for repeating recent tokens (1: off)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for sampling; the same seed and input give the same answer')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'Stop when the model writes this text, which is not printed (repeatable)')
            [CompletionResult]::new('--no-context', '--no-context', [CompletionResultType]::ParameterName, 'Send only the prompt and attachments: no excerpts from the index, no profile, no context cell')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object: tier, reason, confidence, signals')
            [CompletionResult]::new('--speculate', '--speculate', [CompletionResultType]::ParameterName, 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch''s rounding can flip a near tie, so a greedy answer may differ)')
            [CompletionResult]::new('--no-speculate', '--no-speculate', [CompletionResultType]::ParameterName, 'Decode one token at a time, without drafts')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;role' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the roles: name, description, and where each comes from (shipped, or your file in `roles/` beside config.toml, which overrides a shipped role of the same name)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a role''s file: its front matter and its prompt')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pai;role;list' {
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON array of {name, description, source, path}')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;role;show' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;role;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the roles: name, description, and where each comes from (shipped, or your file in `roles/` beside config.toml, which overrides a shipped role of the same name)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a role''s file: its front matter and its prompt')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pai;role;help;list' {
            break
        }
        'pai;role;help;show' {
            break
        }
        'pai;role;help;help' {
            break
        }
        'pai;history' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List conversations, most recently updated first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a conversation as text, each message under its role')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Find messages that contain every given word (case and accents ignored; a word also matches the start of a longer one), newest first')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a conversation and its messages')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a whole conversation as Markdown or JSON')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add a conversation from a JSON export (a file, or stdin) and print its new ID')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pai;history;list' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show at most this many conversations (0: all of them)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many conversations (0: all of them)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON array (id, title, model, created, updated, messages) instead of a table')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;history;show' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;history;search' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show at most this many messages (0: all of them)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many messages (0: all of them)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON array of {conversation, message} objects')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;history;rm' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;history;export' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'What to print')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;history;import' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;history;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List conversations, most recently updated first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a conversation as text, each message under its role')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Find messages that contain every given word (case and accents ignored; a word also matches the start of a longer one), newest first')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a conversation and its messages')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a whole conversation as Markdown or JSON')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add a conversation from a JSON export (a file, or stdin) and print its new ID')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pai;history;help;list' {
            break
        }
        'pai;history;help;show' {
            break
        }
        'pai;history;help;search' {
            break
        }
        'pai;history;help;rm' {
            break
        }
        'pai;history;help;export' {
            break
        }
        'pai;history;help;import' {
            break
        }
        'pai;history;help;help' {
            break
        }
        'pai;audit' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show at most this many rows (0: all of them)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many rows (0: all of them)')
            [CompletionResult]::new('--run', '--run', [CompletionResultType]::ParameterName, 'Show one `pai agent` run as a transcript: every model call and tool call')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON array of the rows with every stored field instead of a table')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Include the requests the local model answered, which never left the machine')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;stats' {
            [CompletionResult]::new('--month', '--month', [CompletionResultType]::ParameterName, 'Only that month (UTC), such as 2026-11; its spending is shown against the budgets. Without it: every request recorded, and this month''s spending')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object instead of text (local_percent is 0 to 100; dollars are US)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;search' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The most results to show')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'The most results to show')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Only files whose path matches this glob (for example ''*.md'' or ''notes/**'')')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Only chunks in this language (for example rust, python, markdown; rs and md work too)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON array of hits instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;remember' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;memory' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every memory, oldest first')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Find memories that contain every given word (case and accents ignored, word forms folded: "codes" finds "code"), best match first')
            [CompletionResult]::new('forget', 'forget', [CompletionResultType]::ParameterValue, 'Delete a memory: it leaves the database and no prompt reads it again')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change a memory''s text in $VISUAL or $EDITOR (an empty text changes nothing)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pai;memory;list' {
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON array of {id, text, created, source} instead of a table')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;memory;search' {
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON array of {id, text, created, source} instead of a table')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;memory;forget' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;memory;edit' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;memory;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every memory, oldest first')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Find memories that contain every given word (case and accents ignored, word forms folded: "codes" finds "code"), best match first')
            [CompletionResult]::new('forget', 'forget', [CompletionResultType]::ParameterValue, 'Delete a memory: it leaves the database and no prompt reads it again')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change a memory''s text in $VISUAL or $EDITOR (an empty text changes nothing)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pai;memory;help;list' {
            break
        }
        'pai;memory;help;search' {
            break
        }
        'pai;memory;help;forget' {
            break
        }
        'pai;memory;help;edit' {
            break
        }
        'pai;memory;help;help' {
            break
        }
        'pai;redact' {
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object: text, count, redactions (placeholder and kind) and leaks')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;index' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Register folders (or files) as sources and index them. .gitignore, .ignore and hidden files are honoured; binary, oversized and special files are skipped and counted')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Re-index what changed in the sources: new, modified, deleted and renamed files')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the sources, what is indexed, and what was skipped and why')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Stop indexing a source and drop its files from the index')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Keep the index fresh while this runs: watch every source for changes and, once they have been quiet for a second, run the same incremental update as `pai index update`. Changes in hidden or ignored paths wake nothing. One line per update goes to stderr. Sources added or removed with `pai index add` or `rm` while it runs are followed from then on, without a restart. If another pai holds the index''s lock, the update waits for it and retries. Ctrl-C stops watching once the update in progress is committed and exits with status 0; a second Ctrl-C stops at once with status 130')
            [CompletionResult]::new('rebuild', 'rebuild', [CompletionResultType]::ParameterValue, 'Drop the index and build it again from the sources')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pai;index;add' {
            [CompletionResult]::new('--semantic', '--semantic', [CompletionResultType]::ParameterName, 'Also embed each chunk with the `[index] embed_model` sentence encoder, so that search finds it by meaning as well as by words ("type into every pane at once" finds tmux''s synchronize-panes). Indexing gets far slower (about 25 chunks, 10 KB, a second on 2 cores): meant for notes, not for large trees of code. Adding a source again without it turns it off')
            [CompletionResult]::new('--private', '--private', [CompletionResultType]::ParameterName, 'Mark the sources private: their excerpts are used by the local model only, and a request that carries one never goes to a remote tier. Adding a source again without it makes it shareable')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;index;update' {
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another pai that is updating the index before giving up')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;index;status' {
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON object instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;index;rm' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;index;watch' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;index;rebuild' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;index;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Register folders (or files) as sources and index them. .gitignore, .ignore and hidden files are honoured; binary, oversized and special files are skipped and counted')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Re-index what changed in the sources: new, modified, deleted and renamed files')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the sources, what is indexed, and what was skipped and why')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Stop indexing a source and drop its files from the index')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Keep the index fresh while this runs: watch every source for changes and, once they have been quiet for a second, run the same incremental update as `pai index update`. Changes in hidden or ignored paths wake nothing. One line per update goes to stderr. Sources added or removed with `pai index add` or `rm` while it runs are followed from then on, without a restart. If another pai holds the index''s lock, the update waits for it and retries. Ctrl-C stops watching once the update in progress is committed and exits with status 0; a second Ctrl-C stops at once with status 130')
            [CompletionResult]::new('rebuild', 'rebuild', [CompletionResultType]::ParameterValue, 'Drop the index and build it again from the sources')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pai;index;help;add' {
            break
        }
        'pai;index;help;update' {
            break
        }
        'pai;index;help;status' {
            break
        }
        'pai;index;help;rm' {
            break
        }
        'pai;index;help;watch' {
            break
        }
        'pai;index;help;rebuild' {
            break
        }
        'pai;index;help;help' {
            break
        }
        'pai;model' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Register a GGUF file that is already on disk (it is not copied): a model, or with --adapter a LoRA adapter for `--lora NAME`')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the registered models with what their headers say')
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'A registered model''s name')
            [CompletionResult]::new('default', 'default', [CompletionResultType]::ParameterValue, 'A registered model''s name')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'A registered model''s name')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Download a GGUF file over HTTP(S), resuming an interrupted download, and register it: a name from the catalog (`pai model search`) or a URL')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Search the catalog of well-known GGUF builds that `pai model pull NAME` can fetch')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pai;model;add' {
            [CompletionResult]::new('--adapter', '--adapter', [CompletionResultType]::ParameterName, 'A LoRA adapter''s .gguf file instead of a model (checked against a model when used)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The name to use with --model or --lora (default: the file name without .gguf)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;model;list' {
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON array instead of a table')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;model;info' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;model;default' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;model;rm' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;model;pull' {
            [CompletionResult]::new('--sha256', '--sha256', [CompletionResultType]::ParameterName, 'Refuse the file unless its sha256 is this (64 hex digits)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The name to use with --model (default: the file name without .gguf)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;model;search' {
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON array instead of a table')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;model;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Register a GGUF file that is already on disk (it is not copied): a model, or with --adapter a LoRA adapter for `--lora NAME`')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the registered models with what their headers say')
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'A registered model''s name')
            [CompletionResult]::new('default', 'default', [CompletionResultType]::ParameterValue, 'A registered model''s name')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'A registered model''s name')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Download a GGUF file over HTTP(S), resuming an interrupted download, and register it: a name from the catalog (`pai model search`) or a URL')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Search the catalog of well-known GGUF builds that `pai model pull NAME` can fetch')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pai;model;help;add' {
            break
        }
        'pai;model;help;list' {
            break
        }
        'pai;model;help;info' {
            break
        }
        'pai;model;help;default' {
            break
        }
        'pai;model;help;rm' {
            break
        }
        'pai;model;help;pull' {
            break
        }
        'pai;model;help;search' {
            break
        }
        'pai;model;help;help' {
            break
        }
        'pai;learn' {
            [CompletionResult]::new('--from-git', '--from-git', [CompletionResultType]::ParameterName, 'Learn from a repository''s history: each commit''s condensed diff and its message')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only what is newer than DATE (YYYY-MM-DD), or, alone, than the last run; starts from the last learned model')
            [CompletionResult]::new('--base', '--base', [CompletionResultType]::ParameterName, 'Start from this model (a registered name or a .gguf path); default: the last learned result with --since, else the default model')
            [CompletionResult]::new('--steps', '--steps', [CompletionResultType]::ParameterName, 'Stop after this many training steps (one window each)')
            [CompletionResult]::new('--minutes', '--minutes', [CompletionResultType]::ParameterName, 'Take at most this many minutes in all, from now to the registered result: preparing, training, its checks, judging the result and choosing the adapter''s rank share them')
            [CompletionResult]::new('--epochs', '--epochs', [CompletionResultType]::ParameterName, 'Passes over the training set')
            [CompletionResult]::new('--check-every', '--check-every', [CompletionResultType]::ParameterName, 'Check the weights on the validation writing every N steps and keep the best (0: only the end counts)')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'What to register: an adapter on the base when it keeps the gain (auto), always an adapter, or the whole model')
            [CompletionResult]::new('--learning-rate', '--learning-rate', [CompletionResultType]::ParameterName, 'AdamW''s learning rate')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'Tokens per training window (a multiple of 256)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'CPU threads (default: the idle cores)')
            [CompletionResult]::new('--from-notes', '--from-notes', [CompletionResultType]::ParameterName, 'Learn from the indexed notes (prose files under `pai index` sources); the default when no --from-git is given')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be trained on and the time the whole run should take; train nothing')
            [CompletionResult]::new('--foreground', '--foreground', [CompletionResultType]::ParameterName, 'Train at normal priority (someone is waiting for it), not at the lowest CPU and I/O priority')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'With --dry-run or after training: JSON on stdout (the report, with each phase''s time)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the training set as chat-format JSONL, for training elsewhere')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pai;learn;export' {
            [CompletionResult]::new('--from-git', '--from-git', [CompletionResultType]::ParameterName, 'Learn from a repository''s history: each commit''s condensed diff and its message')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only what is newer than DATE (YYYY-MM-DD), or, alone, than the last run; starts from the last learned model')
            [CompletionResult]::new('--from-notes', '--from-notes', [CompletionResultType]::ParameterName, 'Learn from the indexed notes (prose files under `pai index` sources); the default when no --from-git is given')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;learn;help' {
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the training set as chat-format JSONL, for training elsewhere')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pai;learn;help;export' {
            break
        }
        'pai;learn;help;help' {
            break
        }
        'pai;config' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of config.toml (it may not exist yet)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the effective configuration: defaults, then config.toml, then PAI_MODEL')
            [CompletionResult]::new('example', 'example', [CompletionResultType]::ParameterValue, 'Print a commented example config.toml with every setting and its default')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write the commented example to config.toml and a profile.md template, leaving existing files alone')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pai;config;path' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;config;show' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;config;example' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;config;init' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;config;help' {
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of config.toml (it may not exist yet)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the effective configuration: defaults, then config.toml, then PAI_MODEL')
            [CompletionResult]::new('example', 'example', [CompletionResultType]::ParameterValue, 'Print a commented example config.toml with every setting and its default')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write the commented example to config.toml and a profile.md template, leaving existing files alone')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pai;config;help;path' {
            break
        }
        'pai;config;help;show' {
            break
        }
        'pai;config;help;example' {
            break
        }
        'pai;config;help;init' {
            break
        }
        'pai;config;help;help' {
            break
        }
        'pai;serve' {
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The address to listen on; anything but a loopback address needs --api-key-file')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The port to listen on')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'A file holding the API key that clients must send as `Authorization: Bearer KEY`')
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'Answers generated at once, batched in one context (each with the --ctx window); a sentence encoder takes 1 (it embeds all of a request''s inputs in one batch), and its --ctx is the most tokens an input may have')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Requests that may wait while one runs; more get 429 with Retry-After')
            [CompletionResult]::new('--cors-origin', '--cors-origin', [CompletionResultType]::ParameterName, 'An origin that browsers may call from, such as http://localhost:3000 (repeatable)')
            [CompletionResult]::new('--allow-host', '--allow-host', [CompletionResultType]::ParameterName, 'A name or address clients may use in the Host header besides localhost, loopback addresses and --host (repeatable); others are refused, against DNS rebinding')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model')
            [CompletionResult]::new('--tier', '--tier', [CompletionResultType]::ParameterName, 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)')
            [CompletionResult]::new('--ctx', '--ctx', [CompletionResultType]::ParameterName, 'Context window in tokens (default: what the request needs, up to the model''s trained length)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads for prompt processing and generation (default: all cores)')
            [CompletionResult]::new('--gpu-layers', '--gpu-layers', [CompletionResultType]::ParameterName, 'Layers to offload to the GPU (default: all on a GPU build, else 0)')
            [CompletionResult]::new('--lora', '--lora', [CompletionResultType]::ParameterName, 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together')
            [CompletionResult]::new('--log-bodies', '--log-bodies', [CompletionResultType]::ParameterName, 'Write prompts and answers to the access log on stderr (off: only sizes and timings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;service' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Keep `pai index watch` running and run `pai learn --since` every night')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Stop and remove what `install` wrote')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pai;service;install' {
            [CompletionResult]::new('--learn-at', '--learn-at', [CompletionResultType]::ParameterName, 'When to learn, local time (HH:MM)')
            [CompletionResult]::new('--from-git', '--from-git', [CompletionResultType]::ParameterName, 'Also learn from this repository''s new commits (repeatable)')
            [CompletionResult]::new('--no-enable', '--no-enable', [CompletionResultType]::ParameterName, 'Write the files only; do not ask systemd or launchd to start them')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;service;uninstall' {
            [CompletionResult]::new('--no-enable', '--no-enable', [CompletionResultType]::ParameterName, 'Remove the files only; do not ask systemd or launchd to stop them')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;service;help' {
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Keep `pai index watch` running and run `pai learn --since` every night')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Stop and remove what `install` wrote')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pai;service;help;install' {
            break
        }
        'pai;service;help;uninstall' {
            break
        }
        'pai;service;help;help' {
            break
        }
        'pai;mcp' {
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'With --http: the address to listen on; anything but a loopback address needs --api-key-file')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'With --http: the port to listen on')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'With --http: a file holding the key clients must send as `Authorization: Bearer KEY`')
            [CompletionResult]::new('--allow-host', '--allow-host', [CompletionResultType]::ParameterName, 'With --http: a name or address clients may use in the Host header besides localhost, loopback addresses and --host (repeatable); others are refused, against DNS rebinding')
            [CompletionResult]::new('--allow-origin', '--allow-origin', [CompletionResultType]::ParameterName, 'With --http: the origin of a web page that may call the server, such as http://localhost:3000 (repeatable); pages of other origins are refused')
            [CompletionResult]::new('--http', '--http', [CompletionResultType]::ParameterName, 'Serve over HTTP (Streamable HTTP, one endpoint: /mcp) instead of stdin and stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;bench' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The model: a registered name or a path (default: the default model)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The model: a registered name or a path (default: the default model)')
            [CompletionResult]::new('--prompt-file', '--prompt-file', [CompletionResultType]::ParameterName, 'A text file whose content is the prompt, as it is (default: a built-in 400-token text)')
            [CompletionResult]::new('--gen', '--gen', [CompletionResultType]::ParameterName, 'Tokens to generate')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads (default: all cores)')
            [CompletionResult]::new('--gpu-layers', '--gpu-layers', [CompletionResultType]::ParameterName, 'Layers to offload to the GPU (default: all on a GPU build, else 0)')
            [CompletionResult]::new('--lora', '--lora', [CompletionResultType]::ParameterName, 'Also time switching to this LoRA adapter on the loaded model, first when its file is read and again once it is loaded (repeatable; the base model is never loaded again)')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Also generate with prompt-lookup drafts (`[speculation]` in config.toml), after a plain run, both greedy to the end of the answer (at most --gen tokens): reports drafted and accepted tokens, both speeds, and whether the outputs are the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;doctor' {
            [CompletionResult]::new('--generate-child', '--generate-child', [CompletionResultType]::ParameterName, 'The self-test''s child process: generate one token from this model file')
            [CompletionResult]::new('--load-child', '--load-child', [CompletionResultType]::ParameterName, 'The first-load child (models::firstload): load this file once, as llama.cpp will')
            [CompletionResult]::new('--load-base', '--load-base', [CompletionResultType]::ParameterName, 'With --load-child: the model the adapter is loaded on')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object: every check, and the generation self-test')
            [CompletionResult]::new('--no-generate', '--no-generate', [CompletionResultType]::ParameterName, 'Skip the generation self-test (it loads the model in use once)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;completions' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show llama.cpp''s logs and timings on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pai;help' {
            [CompletionResult]::new('agent', 'agent', [CompletionResultType]::ParameterValue, 'Carry out a task with tools: search, read, list, grep, run (sandboxed), edit, remember, recall')
            [CompletionResult]::new('ask', 'ask', [CompletionResultType]::ParameterValue, 'Ask a question and stream the answer to stdout')
            [CompletionResult]::new('chat', 'chat', [CompletionResultType]::ParameterValue, 'Talk with the model in a full-screen chat that streams, shows its sources and remembers')
            [CompletionResult]::new('commit', 'commit', [CompletionResultType]::ParameterValue, 'Write a commit message for the staged changes to stdout')
            [CompletionResult]::new('commit-eval', 'commit-eval', [CompletionResultType]::ParameterValue, 'commit-eval')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Rewrite the text on stdin as the instruction says; print only the replacement')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain the text or code on stdin')
            [CompletionResult]::new('complete', 'complete', [CompletionResultType]::ParameterValue, 'Continue the text or code on stdin; print only the continuation')
            [CompletionResult]::new('shell', 'shell', [CompletionResultType]::ParameterValue, 'Propose a shell command for a task, explain it, and run it once you confirm')
            [CompletionResult]::new('sandbox', 'sandbox', [CompletionResultType]::ParameterValue, 'Run a command in a sandbox: it may read anything, but write only in the working folder, its own temp folder ($TMPDIR) and --allow-write folders, and not use TCP unless --net')
            [CompletionResult]::new('hook', 'hook', [CompletionResultType]::ParameterValue, 'hook')
            [CompletionResult]::new('context', 'context', [CompletionResultType]::ParameterValue, 'Show what the model would read for this question, and how many tokens each part takes')
            [CompletionResult]::new('route', 'route', [CompletionResultType]::ParameterValue, 'Explain which tier would answer a request and why, without calling any remote')
            [CompletionResult]::new('role', 'role', [CompletionResultType]::ParameterValue, 'Specialists for recurring jobs: markdown files with TOML front matter (docs/roles.md)')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'Browse, search, export and remove saved conversations')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Show the audit log: the requests that left this machine, newest first')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Sum the audit log: requests, the local share, cost, cost avoided, and the budgets')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Search the indexed folders. Words are stemmed and stop words ignored; "quoted words" must appear as a phrase, and word* matches a prefix')
            [CompletionResult]::new('remember', 'remember', [CompletionResultType]::ParameterValue, 'Remember a fact about you; pai puts it in front of the model when a question is about it')
            [CompletionResult]::new('memory', 'memory', [CompletionResultType]::ParameterValue, 'List, search, edit and forget what `pai remember` kept')
            [CompletionResult]::new('redact', 'redact', [CompletionResultType]::ParameterValue, 'Show what would leave the machine: stdin with secrets (keys, tokens, passwords, private keys) replaced by placeholders such as [REDACTED_AWS_ACCESS_KEY_1]')
            [CompletionResult]::new('index', 'index', [CompletionResultType]::ParameterValue, 'Manage the full-text index over your notes and code')
            [CompletionResult]::new('model', 'model', [CompletionResultType]::ParameterValue, 'Manage the registry of GGUF models')
            [CompletionResult]::new('learn', 'learn', [CompletionResultType]::ParameterValue, 'Teach the local model how you write: your notes and your commit messages')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show where pai''s configuration is and what it says')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the model over an OpenAI-compatible HTTP API (see docs/serve.md)')
            [CompletionResult]::new('service', 'service', [CompletionResultType]::ParameterValue, 'service')
            [CompletionResult]::new('mcp', 'mcp', [CompletionResultType]::ParameterValue, 'Serve the indexed notes to AI agents over the Model Context Protocol')
            [CompletionResult]::new('bench', 'bench', [CompletionResultType]::ParameterValue, 'Measure load time, prompt processing and generation speed on this machine')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the build, the configuration, the paths, the model files, and that the model in use generates a token on this CPU')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a completion script for SHELL to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pai;help;agent' {
            break
        }
        'pai;help;ask' {
            break
        }
        'pai;help;chat' {
            break
        }
        'pai;help;commit' {
            break
        }
        'pai;help;commit-eval' {
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write commits of this repository as evaluation cases, a JSON array on stdout')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Write a message for every case in FILES, one JSON line per message on stdout')
            break
        }
        'pai;help;commit-eval;export' {
            break
        }
        'pai;help;commit-eval;run' {
            break
        }
        'pai;help;edit' {
            break
        }
        'pai;help;explain' {
            break
        }
        'pai;help;complete' {
            break
        }
        'pai;help;shell' {
            break
        }
        'pai;help;sandbox' {
            break
        }
        'pai;help;hook' {
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Add the prepare-commit-msg hook to this repository: `git commit` then opens the editor with a message written from the staged changes')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Remove pai''s hook from this repository and restore the hook it replaced')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'What the hook script calls: writes a message above git''s comment lines in MSGFILE. Always exits 0')
            break
        }
        'pai;help;hook;install' {
            break
        }
        'pai;help;hook;uninstall' {
            break
        }
        'pai;help;hook;run' {
            break
        }
        'pai;help;context' {
            break
        }
        'pai;help;route' {
            break
        }
        'pai;help;role' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the roles: name, description, and where each comes from (shipped, or your file in `roles/` beside config.toml, which overrides a shipped role of the same name)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a role''s file: its front matter and its prompt')
            break
        }
        'pai;help;role;list' {
            break
        }
        'pai;help;role;show' {
            break
        }
        'pai;help;history' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List conversations, most recently updated first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a conversation as text, each message under its role')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Find messages that contain every given word (case and accents ignored; a word also matches the start of a longer one), newest first')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a conversation and its messages')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a whole conversation as Markdown or JSON')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add a conversation from a JSON export (a file, or stdin) and print its new ID')
            break
        }
        'pai;help;history;list' {
            break
        }
        'pai;help;history;show' {
            break
        }
        'pai;help;history;search' {
            break
        }
        'pai;help;history;rm' {
            break
        }
        'pai;help;history;export' {
            break
        }
        'pai;help;history;import' {
            break
        }
        'pai;help;audit' {
            break
        }
        'pai;help;stats' {
            break
        }
        'pai;help;search' {
            break
        }
        'pai;help;remember' {
            break
        }
        'pai;help;memory' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every memory, oldest first')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Find memories that contain every given word (case and accents ignored, word forms folded: "codes" finds "code"), best match first')
            [CompletionResult]::new('forget', 'forget', [CompletionResultType]::ParameterValue, 'Delete a memory: it leaves the database and no prompt reads it again')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change a memory''s text in $VISUAL or $EDITOR (an empty text changes nothing)')
            break
        }
        'pai;help;memory;list' {
            break
        }
        'pai;help;memory;search' {
            break
        }
        'pai;help;memory;forget' {
            break
        }
        'pai;help;memory;edit' {
            break
        }
        'pai;help;redact' {
            break
        }
        'pai;help;index' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Register folders (or files) as sources and index them. .gitignore, .ignore and hidden files are honoured; binary, oversized and special files are skipped and counted')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Re-index what changed in the sources: new, modified, deleted and renamed files')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the sources, what is indexed, and what was skipped and why')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Stop indexing a source and drop its files from the index')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Keep the index fresh while this runs: watch every source for changes and, once they have been quiet for a second, run the same incremental update as `pai index update`. Changes in hidden or ignored paths wake nothing. One line per update goes to stderr. Sources added or removed with `pai index add` or `rm` while it runs are followed from then on, without a restart. If another pai holds the index''s lock, the update waits for it and retries. Ctrl-C stops watching once the update in progress is committed and exits with status 0; a second Ctrl-C stops at once with status 130')
            [CompletionResult]::new('rebuild', 'rebuild', [CompletionResultType]::ParameterValue, 'Drop the index and build it again from the sources')
            break
        }
        'pai;help;index;add' {
            break
        }
        'pai;help;index;update' {
            break
        }
        'pai;help;index;status' {
            break
        }
        'pai;help;index;rm' {
            break
        }
        'pai;help;index;watch' {
            break
        }
        'pai;help;index;rebuild' {
            break
        }
        'pai;help;model' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Register a GGUF file that is already on disk (it is not copied): a model, or with --adapter a LoRA adapter for `--lora NAME`')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the registered models with what their headers say')
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'A registered model''s name')
            [CompletionResult]::new('default', 'default', [CompletionResultType]::ParameterValue, 'A registered model''s name')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'A registered model''s name')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Download a GGUF file over HTTP(S), resuming an interrupted download, and register it: a name from the catalog (`pai model search`) or a URL')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Search the catalog of well-known GGUF builds that `pai model pull NAME` can fetch')
            break
        }
        'pai;help;model;add' {
            break
        }
        'pai;help;model;list' {
            break
        }
        'pai;help;model;info' {
            break
        }
        'pai;help;model;default' {
            break
        }
        'pai;help;model;rm' {
            break
        }
        'pai;help;model;pull' {
            break
        }
        'pai;help;model;search' {
            break
        }
        'pai;help;learn' {
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the training set as chat-format JSONL, for training elsewhere')
            break
        }
        'pai;help;learn;export' {
            break
        }
        'pai;help;config' {
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of config.toml (it may not exist yet)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the effective configuration: defaults, then config.toml, then PAI_MODEL')
            [CompletionResult]::new('example', 'example', [CompletionResultType]::ParameterValue, 'Print a commented example config.toml with every setting and its default')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write the commented example to config.toml and a profile.md template, leaving existing files alone')
            break
        }
        'pai;help;config;path' {
            break
        }
        'pai;help;config;show' {
            break
        }
        'pai;help;config;example' {
            break
        }
        'pai;help;config;init' {
            break
        }
        'pai;help;serve' {
            break
        }
        'pai;help;service' {
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Keep `pai index watch` running and run `pai learn --since` every night')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Stop and remove what `install` wrote')
            break
        }
        'pai;help;service;install' {
            break
        }
        'pai;help;service;uninstall' {
            break
        }
        'pai;help;mcp' {
            break
        }
        'pai;help;bench' {
            break
        }
        'pai;help;doctor' {
            break
        }
        'pai;help;completions' {
            break
        }
        'pai;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
