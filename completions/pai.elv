
use builtin;
use str;

set edit:completion:arg-completer[pai] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'pai'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'pai'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand agent 'Carry out a task with tools: search, read, list, grep, run (sandboxed), edit, remember, recall'
            cand ask 'Ask a question and stream the answer to stdout'
            cand chat 'Talk with the model in a full-screen chat that streams, shows its sources and remembers'
            cand commit 'Write a commit message for the staged changes to stdout'
            cand commit-eval 'commit-eval'
            cand edit 'Rewrite the text on stdin as the instruction says; print only the replacement'
            cand explain 'Explain the text or code on stdin'
            cand complete 'Continue the text or code on stdin; print only the continuation'
            cand shell 'Propose a shell command for a task, explain it, and run it once you confirm'
            cand sandbox 'Run a command in a sandbox: it may read anything, but write only in the working folder, its own temp folder ($TMPDIR) and --allow-write folders, and not use TCP unless --net'
            cand hook 'hook'
            cand context 'Show what the model would read for this question, and how many tokens each part takes'
            cand route 'Explain which tier would answer a request and why, without calling any remote'
            cand role 'Specialists for recurring jobs: markdown files with TOML front matter (docs/roles.md)'
            cand history 'Browse, search, export and remove saved conversations'
            cand audit 'Show the audit log: the requests that left this machine, newest first'
            cand stats 'Sum the audit log: requests, the local share, cost, cost avoided, and the budgets'
            cand search 'Search the indexed folders. Words are stemmed and stop words ignored; "quoted words" must appear as a phrase, and word* matches a prefix'
            cand remember 'Remember a fact about you; pai puts it in front of the model when a question is about it'
            cand memory 'List, search, edit and forget what `pai remember` kept'
            cand redact 'Show what would leave the machine: stdin with secrets (keys, tokens, passwords, private keys) replaced by placeholders such as [REDACTED_AWS_ACCESS_KEY_1]'
            cand index 'Manage the full-text index over your notes and code'
            cand model 'Manage the registry of GGUF models'
            cand learn 'Teach the local model how you write: your notes and your commit messages'
            cand config 'Show where pai''s configuration is and what it says'
            cand serve 'Serve the model over an OpenAI-compatible HTTP API (see docs/serve.md)'
            cand service 'service'
            cand mcp 'Serve the indexed notes to AI agents over the Model Context Protocol'
            cand bench 'Measure load time, prompt processing and generation speed on this machine'
            cand doctor 'Check the build, the configuration, the paths, the model files, and that the model in use generates a token on this CPU'
            cand completions 'Print a completion script for SHELL to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pai;agent'= {
            cand --max-steps 'The most model calls'
            cand --time-limit 'Stop after this many seconds'
            cand --token-budget 'Stop when the steps have used this many tokens (prompt and generated, all steps)'
            cand -C 'The working folder (default: the current one): the only place edit and run may write'
            cand --folder 'The working folder (default: the current one): the only place edit and run may write'
            cand -m 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --model 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --endpoint 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model'
            cand --tier 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)'
            cand --ctx 'Context window in tokens (default: what the request needs, up to the model''s trained length)'
            cand --threads 'Threads for prompt processing and generation (default: all cores)'
            cand --gpu-layers 'Layers to offload to the GPU (default: all on a GPU build, else 0)'
            cand --lora 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together'
            cand -n 'The most tokens to generate'
            cand --max-tokens 'The most tokens to generate'
            cand --temp 'Temperature; 0 always picks the most likely token'
            cand --top-k 'Keep only the K most likely tokens (0: off)'
            cand --top-p 'Keep the most likely tokens up to probability P (1: off)'
            cand --min-p 'Drop tokens less likely than P times the most likely one (0: off)'
            cand --repeat-penalty 'Penalty for repeating recent tokens (1: off)'
            cand --seed 'Seed for sampling; the same seed and input give the same answer'
            cand --stop 'Stop when the model writes this text, which is not printed (repeatable)'
            cand -y 'Approve every call that would ask (config.toml''s [agent] deny still holds)'
            cand --yes 'Approve every call that would ask (config.toml''s [agent] deny still holds)'
            cand --net 'Let commands that `run` starts open network connections'
            cand --json 'Print the run as one JSON object (answer, steps, run id) instead of the answer'
            cand --speculate 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch''s rounding can flip a near tie, so a greedy answer may differ)'
            cand --no-speculate 'Decode one token at a time, without drafts'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;ask'= {
            cand -f 'Attach a text file (repeatable)'
            cand --file 'Attach a text file (repeatable)'
            cand --system 'Replace the system prompt'
            cand --json-schema 'Constrain the answer to JSON that follows this JSON Schema (enforced token by token; a schema that cannot be enforced is an error before generation). With --json, the parsed value is printed as `value`. Local models only'
            cand --grammar 'Constrain the answer to this GBNF grammar (llama.cpp''s format, starting at `root`)'
            cand --role 'Answer as this role: its system prompt, settings and sources (`pai role list`)'
            cand -m 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --model 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --endpoint 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model'
            cand --tier 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)'
            cand --ctx 'Context window in tokens (default: what the request needs, up to the model''s trained length)'
            cand --threads 'Threads for prompt processing and generation (default: all cores)'
            cand --gpu-layers 'Layers to offload to the GPU (default: all on a GPU build, else 0)'
            cand --lora 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together'
            cand -n 'The most tokens to generate'
            cand --max-tokens 'The most tokens to generate'
            cand --temp 'Temperature; 0 always picks the most likely token'
            cand --top-k 'Keep only the K most likely tokens (0: off)'
            cand --top-p 'Keep the most likely tokens up to probability P (1: off)'
            cand --min-p 'Drop tokens less likely than P times the most likely one (0: off)'
            cand --repeat-penalty 'Penalty for repeating recent tokens (1: off)'
            cand --seed 'Seed for sampling; the same seed and input give the same answer'
            cand --stop 'Stop when the model writes this text, which is not printed (repeatable)'
            cand --no-context 'Send only the prompt and attachments: no excerpts from the index, no profile, no context cell'
            cand --json 'Print one JSON object: answer, model, token counts, timings and sources'
            cand --sources 'List the sources the answer could cite, on stderr'
            cand --raw 'Pass the model''s bytes through, escape sequences included'
            cand --speculate 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch''s rounding can flip a near tie, so a greedy answer may differ)'
            cand --no-speculate 'Decode one token at a time, without drafts'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;chat'= {
            cand --resume 'Continue a stored conversation: the latest one, or the one with this ID (`pai history list`)'
            cand --system 'Replace the system prompt'
            cand --role 'Answer as this role: its system prompt, settings and sources (`pai role list`)'
            cand -m 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --model 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --endpoint 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model'
            cand --tier 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)'
            cand --ctx 'Context window in tokens (default: what the request needs, up to the model''s trained length)'
            cand --threads 'Threads for prompt processing and generation (default: all cores)'
            cand --gpu-layers 'Layers to offload to the GPU (default: all on a GPU build, else 0)'
            cand --lora 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together'
            cand -n 'The most tokens to generate'
            cand --max-tokens 'The most tokens to generate'
            cand --temp 'Temperature; 0 always picks the most likely token'
            cand --top-k 'Keep only the K most likely tokens (0: off)'
            cand --top-p 'Keep the most likely tokens up to probability P (1: off)'
            cand --min-p 'Drop tokens less likely than P times the most likely one (0: off)'
            cand --repeat-penalty 'Penalty for repeating recent tokens (1: off)'
            cand --seed 'Seed for sampling; the same seed and input give the same answer'
            cand --stop 'Stop when the model writes this text, which is not printed (repeatable)'
            cand --no-context 'No excerpts from the index, no profile, no context cell'
            cand --speculate 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch''s rounding can flip a near tie, so a greedy answer may differ)'
            cand --no-speculate 'Decode one token at a time, without drafts'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;commit'= {
            cand --role 'Answer as this role: its system prompt, settings and sources (`pai role list`)'
            cand -m 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --model 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --endpoint 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model'
            cand --tier 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)'
            cand --ctx 'Context window in tokens (default: what the request needs, up to the model''s trained length)'
            cand --threads 'Threads for prompt processing and generation (default: all cores)'
            cand --gpu-layers 'Layers to offload to the GPU (default: all on a GPU build, else 0)'
            cand --lora 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together'
            cand -n 'The most tokens to generate'
            cand --max-tokens 'The most tokens to generate'
            cand --temp 'Temperature; 0 always picks the most likely token'
            cand --top-k 'Keep only the K most likely tokens (0: off)'
            cand --top-p 'Keep the most likely tokens up to probability P (1: off)'
            cand --min-p 'Drop tokens less likely than P times the most likely one (0: off)'
            cand --repeat-penalty 'Penalty for repeating recent tokens (1: off)'
            cand --seed 'Seed for sampling; the same seed and input give the same answer'
            cand --stop 'Stop when the model writes this text, which is not printed (repeatable)'
            cand --conventional 'Write a Conventional Commits subject (`type(scope): subject`) whatever the history uses'
            cand --apply 'Commit the staged changes with the message instead of printing it'
            cand -e 'With --apply, open the editor on the message before committing'
            cand --edit 'With --apply, open the editor on the message before committing'
            cand --speculate 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch''s rounding can flip a near tie, so a greedy answer may differ)'
            cand --no-speculate 'Decode one token at a time, without drafts'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;commit-eval'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand export 'Write commits of this repository as evaluation cases, a JSON array on stdout'
            cand run 'Write a message for every case in FILES, one JSON line per message on stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pai;commit-eval;export'= {
            cand --name 'The name the cases carry for this repository'
            cand --from 'The newest commit to consider'
            cand --count 'How many commits to export'
            cand --every 'Take every Nth commit that qualifies, to spread the cases over the history'
            cand --max-files 'Leave out commits that change more files than this'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;commit-eval;run'= {
            cand -m 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --model 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --endpoint 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model'
            cand --tier 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)'
            cand --ctx 'Context window in tokens (default: what the request needs, up to the model''s trained length)'
            cand --threads 'Threads for prompt processing and generation (default: all cores)'
            cand --gpu-layers 'Layers to offload to the GPU (default: all on a GPU build, else 0)'
            cand --lora 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together'
            cand -n 'The most tokens to generate'
            cand --max-tokens 'The most tokens to generate'
            cand --temp 'Temperature; 0 always picks the most likely token'
            cand --top-k 'Keep only the K most likely tokens (0: off)'
            cand --top-p 'Keep the most likely tokens up to probability P (1: off)'
            cand --min-p 'Drop tokens less likely than P times the most likely one (0: off)'
            cand --repeat-penalty 'Penalty for repeating recent tokens (1: off)'
            cand --seed 'Seed for sampling; the same seed and input give the same answer'
            cand --stop 'Stop when the model writes this text, which is not printed (repeatable)'
            cand --no-grammar 'Leave the subject free instead of holding it to the history''s form by a grammar'
            cand --speculate 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch''s rounding can flip a near tie, so a greedy answer may differ)'
            cand --no-speculate 'Decode one token at a time, without drafts'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;commit-eval;help'= {
            cand export 'Write commits of this repository as evaluation cases, a JSON array on stdout'
            cand run 'Write a message for every case in FILES, one JSON line per message on stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pai;commit-eval;help;export'= {
        }
        &'pai;commit-eval;help;run'= {
        }
        &'pai;commit-eval;help;help'= {
        }
        &'pai;edit'= {
            cand --file-name 'The name of the file the selection comes from, for the model and the index search'
            cand --role 'Answer as this role: its system prompt, settings and sources (`pai role list`)'
            cand -m 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --model 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --endpoint 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model'
            cand --tier 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)'
            cand --ctx 'Context window in tokens (default: what the request needs, up to the model''s trained length)'
            cand --threads 'Threads for prompt processing and generation (default: all cores)'
            cand --gpu-layers 'Layers to offload to the GPU (default: all on a GPU build, else 0)'
            cand --lora 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together'
            cand -n 'The most tokens to generate'
            cand --max-tokens 'The most tokens to generate'
            cand --temp 'Temperature; 0 always picks the most likely token'
            cand --top-k 'Keep only the K most likely tokens (0: off)'
            cand --top-p 'Keep the most likely tokens up to probability P (1: off)'
            cand --min-p 'Drop tokens less likely than P times the most likely one (0: off)'
            cand --repeat-penalty 'Penalty for repeating recent tokens (1: off)'
            cand --seed 'Seed for sampling; the same seed and input give the same answer'
            cand --stop 'Stop when the model writes this text, which is not printed (repeatable)'
            cand --no-context 'Send only the instruction and the selection: no excerpts, profile or context cell'
            cand --speculate 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch''s rounding can flip a near tie, so a greedy answer may differ)'
            cand --no-speculate 'Decode one token at a time, without drafts'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;explain'= {
            cand --file-name 'The name of the file the selection comes from'
            cand --role 'Answer as this role: its system prompt, settings and sources (`pai role list`)'
            cand -m 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --model 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --endpoint 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model'
            cand --tier 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)'
            cand --ctx 'Context window in tokens (default: what the request needs, up to the model''s trained length)'
            cand --threads 'Threads for prompt processing and generation (default: all cores)'
            cand --gpu-layers 'Layers to offload to the GPU (default: all on a GPU build, else 0)'
            cand --lora 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together'
            cand -n 'The most tokens to generate'
            cand --max-tokens 'The most tokens to generate'
            cand --temp 'Temperature; 0 always picks the most likely token'
            cand --top-k 'Keep only the K most likely tokens (0: off)'
            cand --top-p 'Keep the most likely tokens up to probability P (1: off)'
            cand --min-p 'Drop tokens less likely than P times the most likely one (0: off)'
            cand --repeat-penalty 'Penalty for repeating recent tokens (1: off)'
            cand --seed 'Seed for sampling; the same seed and input give the same answer'
            cand --stop 'Stop when the model writes this text, which is not printed (repeatable)'
            cand --no-context 'Send only the question and the selection: no excerpts, profile or context cell'
            cand --speculate 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch''s rounding can flip a near tie, so a greedy answer may differ)'
            cand --no-speculate 'Decode one token at a time, without drafts'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;complete'= {
            cand --suffix-file 'Text that comes after the cursor, for fill-in-the-middle'
            cand --role 'Answer as this role: its system prompt, settings and sources (`pai role list`)'
            cand -m 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --model 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --endpoint 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model'
            cand --tier 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)'
            cand --ctx 'Context window in tokens (default: what the request needs, up to the model''s trained length)'
            cand --threads 'Threads for prompt processing and generation (default: all cores)'
            cand --gpu-layers 'Layers to offload to the GPU (default: all on a GPU build, else 0)'
            cand --lora 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together'
            cand -n 'The most tokens to generate'
            cand --max-tokens 'The most tokens to generate'
            cand --temp 'Temperature; 0 always picks the most likely token'
            cand --top-k 'Keep only the K most likely tokens (0: off)'
            cand --top-p 'Keep the most likely tokens up to probability P (1: off)'
            cand --min-p 'Drop tokens less likely than P times the most likely one (0: off)'
            cand --repeat-penalty 'Penalty for repeating recent tokens (1: off)'
            cand --seed 'Seed for sampling; the same seed and input give the same answer'
            cand --stop 'Stop when the model writes this text, which is not printed (repeatable)'
            cand --speculate 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch''s rounding can flip a near tie, so a greedy answer may differ)'
            cand --no-speculate 'Decode one token at a time, without drafts'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;shell'= {
            cand --allow-write 'Also allow the command to write beneath DIR (repeatable)'
            cand --role 'Answer as this role: its system prompt, settings and sources (`pai role list`)'
            cand -m 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --model 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --endpoint 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model'
            cand --tier 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)'
            cand --ctx 'Context window in tokens (default: what the request needs, up to the model''s trained length)'
            cand --threads 'Threads for prompt processing and generation (default: all cores)'
            cand --gpu-layers 'Layers to offload to the GPU (default: all on a GPU build, else 0)'
            cand --lora 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together'
            cand -n 'The most tokens to generate'
            cand --max-tokens 'The most tokens to generate'
            cand --temp 'Temperature; 0 always picks the most likely token'
            cand --top-k 'Keep only the K most likely tokens (0: off)'
            cand --top-p 'Keep the most likely tokens up to probability P (1: off)'
            cand --min-p 'Drop tokens less likely than P times the most likely one (0: off)'
            cand --repeat-penalty 'Penalty for repeating recent tokens (1: off)'
            cand --seed 'Seed for sampling; the same seed and input give the same answer'
            cand --stop 'Stop when the model writes this text, which is not printed (repeatable)'
            cand -y 'Run the command without asking'
            cand --yes 'Run the command without asking'
            cand -p 'Print the command on stdout (and the explanation on stderr); never run it'
            cand --print 'Print the command on stdout (and the explanation on stderr); never run it'
            cand --no-context 'Send only the task: no profile or context cell'
            cand --context 'Also send excerpts from the index (off by default: indexed text must not pick commands)'
            cand --net 'Allow the command to use TCP: connect out and listen'
            cand --no-sandbox 'Run the command unconfined: it may write anywhere and use the network'
            cand --speculate 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch''s rounding can flip a near tie, so a greedy answer may differ)'
            cand --no-speculate 'Decode one token at a time, without drafts'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;sandbox'= {
            cand --allow-write 'Also allow the command to write beneath DIR (repeatable)'
            cand --net 'Allow the command to use TCP: connect out and listen'
            cand --no-sandbox 'Run the command unconfined: it may write anywhere and use the network'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;hook'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand install 'Add the prepare-commit-msg hook to this repository: `git commit` then opens the editor with a message written from the staged changes'
            cand uninstall 'Remove pai''s hook from this repository and restore the hook it replaced'
            cand run 'What the hook script calls: writes a message above git''s comment lines in MSGFILE. Always exits 0'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pai;hook;install'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;hook;uninstall'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;hook;run'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;hook;help'= {
            cand install 'Add the prepare-commit-msg hook to this repository: `git commit` then opens the editor with a message written from the staged changes'
            cand uninstall 'Remove pai''s hook from this repository and restore the hook it replaced'
            cand run 'What the hook script calls: writes a message above git''s comment lines in MSGFILE. Always exits 0'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pai;hook;help;install'= {
        }
        &'pai;hook;help;uninstall'= {
        }
        &'pai;hook;help;run'= {
        }
        &'pai;hook;help;help'= {
        }
        &'pai;context'= {
            cand -f 'Attach a text file (repeatable)'
            cand --file 'Attach a text file (repeatable)'
            cand --system 'Replace the system prompt'
            cand --role 'Answer as this role: its system prompt, settings and sources (`pai role list`)'
            cand -m 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --model 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --endpoint 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model'
            cand --tier 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)'
            cand --ctx 'Context window in tokens (default: what the request needs, up to the model''s trained length)'
            cand --threads 'Threads for prompt processing and generation (default: all cores)'
            cand --gpu-layers 'Layers to offload to the GPU (default: all on a GPU build, else 0)'
            cand --lora 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together'
            cand -n 'The most tokens to generate'
            cand --max-tokens 'The most tokens to generate'
            cand --temp 'Temperature; 0 always picks the most likely token'
            cand --top-k 'Keep only the K most likely tokens (0: off)'
            cand --top-p 'Keep the most likely tokens up to probability P (1: off)'
            cand --min-p 'Drop tokens less likely than P times the most likely one (0: off)'
            cand --repeat-penalty 'Penalty for repeating recent tokens (1: off)'
            cand --seed 'Seed for sampling; the same seed and input give the same answer'
            cand --stop 'Stop when the model writes this text, which is not printed (repeatable)'
            cand --no-context 'Send only the prompt and attachments: no excerpts from the index, no profile, no context cell'
            cand --json 'Print one JSON object: window, sections with tokens, sources and the prompt'
            cand --raw 'Print the prompt''s bytes as they are, escape sequences included'
            cand --speculate 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch''s rounding can flip a near tie, so a greedy answer may differ)'
            cand --no-speculate 'Decode one token at a time, without drafts'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;route'= {
            cand -f 'Attach a text file (repeatable)'
            cand --file 'Attach a text file (repeatable)'
            cand --system 'Replace the system prompt'
            cand --role 'Answer as this role: its system prompt, settings and sources (`pai role list`)'
            cand -m 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --model 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --endpoint 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model'
            cand --tier 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)'
            cand --ctx 'Context window in tokens (default: what the request needs, up to the model''s trained length)'
            cand --threads 'Threads for prompt processing and generation (default: all cores)'
            cand --gpu-layers 'Layers to offload to the GPU (default: all on a GPU build, else 0)'
            cand --lora 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together'
            cand -n 'The most tokens to generate'
            cand --max-tokens 'The most tokens to generate'
            cand --temp 'Temperature; 0 always picks the most likely token'
            cand --top-k 'Keep only the K most likely tokens (0: off)'
            cand --top-p 'Keep the most likely tokens up to probability P (1: off)'
            cand --min-p 'Drop tokens less likely than P times the most likely one (0: off)'
            cand --repeat-penalty 'Penalty for repeating recent tokens (1: off)'
            cand --seed 'Seed for sampling; the same seed and input give the same answer'
            cand --stop 'Stop when the model writes this text, which is not printed (repeatable)'
            cand --no-context 'Send only the prompt and attachments: no excerpts from the index, no profile, no context cell'
            cand --json 'Print one JSON object: tier, reason, confidence, signals'
            cand --speculate 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch''s rounding can flip a near tie, so a greedy answer may differ)'
            cand --no-speculate 'Decode one token at a time, without drafts'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;role'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the roles: name, description, and where each comes from (shipped, or your file in `roles/` beside config.toml, which overrides a shipped role of the same name)'
            cand show 'Print a role''s file: its front matter and its prompt'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pai;role;list'= {
            cand --json 'Print a JSON array of {name, description, source, path}'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;role;show'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;role;help'= {
            cand list 'List the roles: name, description, and where each comes from (shipped, or your file in `roles/` beside config.toml, which overrides a shipped role of the same name)'
            cand show 'Print a role''s file: its front matter and its prompt'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pai;role;help;list'= {
        }
        &'pai;role;help;show'= {
        }
        &'pai;role;help;help'= {
        }
        &'pai;history'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List conversations, most recently updated first'
            cand show 'Print a conversation as text, each message under its role'
            cand search 'Find messages that contain every given word (case and accents ignored; a word also matches the start of a longer one), newest first'
            cand rm 'Delete a conversation and its messages'
            cand export 'Print a whole conversation as Markdown or JSON'
            cand import 'Add a conversation from a JSON export (a file, or stdin) and print its new ID'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pai;history;list'= {
            cand -n 'Show at most this many conversations (0: all of them)'
            cand --limit 'Show at most this many conversations (0: all of them)'
            cand --json 'Print a JSON array (id, title, model, created, updated, messages) instead of a table'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;history;show'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;history;search'= {
            cand -n 'Show at most this many messages (0: all of them)'
            cand --limit 'Show at most this many messages (0: all of them)'
            cand --json 'Print a JSON array of {conversation, message} objects'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;history;rm'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;history;export'= {
            cand --format 'What to print'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;history;import'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;history;help'= {
            cand list 'List conversations, most recently updated first'
            cand show 'Print a conversation as text, each message under its role'
            cand search 'Find messages that contain every given word (case and accents ignored; a word also matches the start of a longer one), newest first'
            cand rm 'Delete a conversation and its messages'
            cand export 'Print a whole conversation as Markdown or JSON'
            cand import 'Add a conversation from a JSON export (a file, or stdin) and print its new ID'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pai;history;help;list'= {
        }
        &'pai;history;help;show'= {
        }
        &'pai;history;help;search'= {
        }
        &'pai;history;help;rm'= {
        }
        &'pai;history;help;export'= {
        }
        &'pai;history;help;import'= {
        }
        &'pai;history;help;help'= {
        }
        &'pai;audit'= {
            cand -n 'Show at most this many rows (0: all of them)'
            cand --limit 'Show at most this many rows (0: all of them)'
            cand --run 'Show one `pai agent` run as a transcript: every model call and tool call'
            cand --json 'Print a JSON array of the rows with every stored field instead of a table'
            cand --all 'Include the requests the local model answered, which never left the machine'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;stats'= {
            cand --month 'Only that month (UTC), such as 2026-11; its spending is shown against the budgets. Without it: every request recorded, and this month''s spending'
            cand --json 'Print one JSON object instead of text (local_percent is 0 to 100; dollars are US)'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;search'= {
            cand -n 'The most results to show'
            cand --limit 'The most results to show'
            cand --path 'Only files whose path matches this glob (for example ''*.md'' or ''notes/**'')'
            cand --lang 'Only chunks in this language (for example rust, python, markdown; rs and md work too)'
            cand --json 'Print a JSON array of hits instead of text'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;remember'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;memory'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List every memory, oldest first'
            cand search 'Find memories that contain every given word (case and accents ignored, word forms folded: "codes" finds "code"), best match first'
            cand forget 'Delete a memory: it leaves the database and no prompt reads it again'
            cand edit 'Change a memory''s text in $VISUAL or $EDITOR (an empty text changes nothing)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pai;memory;list'= {
            cand --json 'Print a JSON array of {id, text, created, source} instead of a table'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;memory;search'= {
            cand --json 'Print a JSON array of {id, text, created, source} instead of a table'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;memory;forget'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;memory;edit'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;memory;help'= {
            cand list 'List every memory, oldest first'
            cand search 'Find memories that contain every given word (case and accents ignored, word forms folded: "codes" finds "code"), best match first'
            cand forget 'Delete a memory: it leaves the database and no prompt reads it again'
            cand edit 'Change a memory''s text in $VISUAL or $EDITOR (an empty text changes nothing)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pai;memory;help;list'= {
        }
        &'pai;memory;help;search'= {
        }
        &'pai;memory;help;forget'= {
        }
        &'pai;memory;help;edit'= {
        }
        &'pai;memory;help;help'= {
        }
        &'pai;redact'= {
            cand --json 'Print one JSON object: text, count, redactions (placeholder and kind) and leaks'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;index'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Register folders (or files) as sources and index them. .gitignore, .ignore and hidden files are honoured; binary, oversized and special files are skipped and counted'
            cand update 'Re-index what changed in the sources: new, modified, deleted and renamed files'
            cand status 'Show the sources, what is indexed, and what was skipped and why'
            cand rm 'Stop indexing a source and drop its files from the index'
            cand watch 'Keep the index fresh while this runs: watch every source for changes and, once they have been quiet for a second, run the same incremental update as `pai index update`. Changes in hidden or ignored paths wake nothing. One line per update goes to stderr. Sources added or removed with `pai index add` or `rm` while it runs are followed from then on, without a restart. If another pai holds the index''s lock, the update waits for it and retries. Ctrl-C stops watching once the update in progress is committed and exits with status 0; a second Ctrl-C stops at once with status 130'
            cand rebuild 'Drop the index and build it again from the sources'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pai;index;add'= {
            cand --semantic 'Also embed each chunk with the `[index] embed_model` sentence encoder, so that search finds it by meaning as well as by words ("type into every pane at once" finds tmux''s synchronize-panes). Indexing gets far slower (about 25 chunks, 10 KB, a second on 2 cores): meant for notes, not for large trees of code. Adding a source again without it turns it off'
            cand --private 'Mark the sources private: their excerpts are used by the local model only, and a request that carries one never goes to a remote tier. Adding a source again without it makes it shareable'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;index;update'= {
            cand --wait 'Seconds to wait for another pai that is updating the index before giving up'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;index;status'= {
            cand --json 'Print a JSON object instead of text'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;index;rm'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;index;watch'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;index;rebuild'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;index;help'= {
            cand add 'Register folders (or files) as sources and index them. .gitignore, .ignore and hidden files are honoured; binary, oversized and special files are skipped and counted'
            cand update 'Re-index what changed in the sources: new, modified, deleted and renamed files'
            cand status 'Show the sources, what is indexed, and what was skipped and why'
            cand rm 'Stop indexing a source and drop its files from the index'
            cand watch 'Keep the index fresh while this runs: watch every source for changes and, once they have been quiet for a second, run the same incremental update as `pai index update`. Changes in hidden or ignored paths wake nothing. One line per update goes to stderr. Sources added or removed with `pai index add` or `rm` while it runs are followed from then on, without a restart. If another pai holds the index''s lock, the update waits for it and retries. Ctrl-C stops watching once the update in progress is committed and exits with status 0; a second Ctrl-C stops at once with status 130'
            cand rebuild 'Drop the index and build it again from the sources'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pai;index;help;add'= {
        }
        &'pai;index;help;update'= {
        }
        &'pai;index;help;status'= {
        }
        &'pai;index;help;rm'= {
        }
        &'pai;index;help;watch'= {
        }
        &'pai;index;help;rebuild'= {
        }
        &'pai;index;help;help'= {
        }
        &'pai;model'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Register a GGUF file that is already on disk (it is not copied): a model, or with --adapter a LoRA adapter for `--lora NAME`'
            cand list 'List the registered models with what their headers say'
            cand info 'A registered model''s name'
            cand default 'A registered model''s name'
            cand rm 'A registered model''s name'
            cand pull 'Download a GGUF file over HTTP(S), resuming an interrupted download, and register it: a name from the catalog (`pai model search`) or a URL'
            cand search 'Search the catalog of well-known GGUF builds that `pai model pull NAME` can fetch'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pai;model;add'= {
            cand --adapter 'A LoRA adapter''s .gguf file instead of a model (checked against a model when used)'
            cand --name 'The name to use with --model or --lora (default: the file name without .gguf)'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;model;list'= {
            cand --json 'Print a JSON array instead of a table'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;model;info'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;model;default'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;model;rm'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;model;pull'= {
            cand --sha256 'Refuse the file unless its sha256 is this (64 hex digits)'
            cand --name 'The name to use with --model (default: the file name without .gguf)'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;model;search'= {
            cand --json 'Print a JSON array instead of a table'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;model;help'= {
            cand add 'Register a GGUF file that is already on disk (it is not copied): a model, or with --adapter a LoRA adapter for `--lora NAME`'
            cand list 'List the registered models with what their headers say'
            cand info 'A registered model''s name'
            cand default 'A registered model''s name'
            cand rm 'A registered model''s name'
            cand pull 'Download a GGUF file over HTTP(S), resuming an interrupted download, and register it: a name from the catalog (`pai model search`) or a URL'
            cand search 'Search the catalog of well-known GGUF builds that `pai model pull NAME` can fetch'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pai;model;help;add'= {
        }
        &'pai;model;help;list'= {
        }
        &'pai;model;help;info'= {
        }
        &'pai;model;help;default'= {
        }
        &'pai;model;help;rm'= {
        }
        &'pai;model;help;pull'= {
        }
        &'pai;model;help;search'= {
        }
        &'pai;model;help;help'= {
        }
        &'pai;learn'= {
            cand --from-git 'Learn from a repository''s history: each commit''s condensed diff and its message'
            cand --since 'Only what is newer than DATE (YYYY-MM-DD), or, alone, than the last run; starts from the last learned model'
            cand --base 'Start from this model (a registered name or a .gguf path); default: the last learned result with --since, else the default model'
            cand --steps 'Stop after this many training steps (one window each)'
            cand --minutes 'Take at most this many minutes in all, from now to the registered result: preparing, training, its checks, judging the result and choosing the adapter''s rank share them'
            cand --epochs 'Passes over the training set'
            cand --check-every 'Check the weights on the validation writing every N steps and keep the best (0: only the end counts)'
            cand --keep 'What to register: an adapter on the base when it keeps the gain (auto), always an adapter, or the whole model'
            cand --learning-rate 'AdamW''s learning rate'
            cand --window 'Tokens per training window (a multiple of 256)'
            cand --threads 'CPU threads (default: the idle cores)'
            cand --from-notes 'Learn from the indexed notes (prose files under `pai index` sources); the default when no --from-git is given'
            cand --dry-run 'Print what would be trained on and the time the whole run should take; train nothing'
            cand --foreground 'Train at normal priority (someone is waiting for it), not at the lowest CPU and I/O priority'
            cand --json 'With --dry-run or after training: JSON on stdout (the report, with each phase''s time)'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand export 'Write the training set as chat-format JSONL, for training elsewhere'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pai;learn;export'= {
            cand --from-git 'Learn from a repository''s history: each commit''s condensed diff and its message'
            cand --since 'Only what is newer than DATE (YYYY-MM-DD), or, alone, than the last run; starts from the last learned model'
            cand --from-notes 'Learn from the indexed notes (prose files under `pai index` sources); the default when no --from-git is given'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;learn;help'= {
            cand export 'Write the training set as chat-format JSONL, for training elsewhere'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pai;learn;help;export'= {
        }
        &'pai;learn;help;help'= {
        }
        &'pai;config'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand path 'Print the path of config.toml (it may not exist yet)'
            cand show 'Print the effective configuration: defaults, then config.toml, then PAI_MODEL'
            cand example 'Print a commented example config.toml with every setting and its default'
            cand init 'Write the commented example to config.toml and a profile.md template, leaving existing files alone'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pai;config;path'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;config;show'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;config;example'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;config;init'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;config;help'= {
            cand path 'Print the path of config.toml (it may not exist yet)'
            cand show 'Print the effective configuration: defaults, then config.toml, then PAI_MODEL'
            cand example 'Print a commented example config.toml with every setting and its default'
            cand init 'Write the commented example to config.toml and a profile.md template, leaving existing files alone'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pai;config;help;path'= {
        }
        &'pai;config;help;show'= {
        }
        &'pai;config;help;example'= {
        }
        &'pai;config;help;init'= {
        }
        &'pai;config;help;help'= {
        }
        &'pai;serve'= {
            cand --host 'The address to listen on; anything but a loopback address needs --api-key-file'
            cand --port 'The port to listen on'
            cand --api-key-file 'A file holding the API key that clients must send as `Authorization: Bearer KEY`'
            cand --parallel 'Answers generated at once, batched in one context (each with the --ctx window); a sentence encoder takes 1 (it embeds all of a request''s inputs in one batch), and its --ctx is the most tokens an input may have'
            cand --queue 'Requests that may wait while one runs; more get 429 with Retry-After'
            cand --cors-origin 'An origin that browsers may call from, such as http://localhost:3000 (repeatable)'
            cand --allow-host 'A name or address clients may use in the Host header besides localhost, loopback addresses and --host (repeatable); others are refused, against DNS rebinding'
            cand -m 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --model 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]'
            cand --endpoint 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model'
            cand --tier 'Which tier answers: the local model, the medium or large remote tier from config.toml''s [tiers], or auto (local first, a remote tier when the local model is unsure)'
            cand --ctx 'Context window in tokens (default: what the request needs, up to the model''s trained length)'
            cand --threads 'Threads for prompt processing and generation (default: all cores)'
            cand --gpu-layers 'Layers to offload to the GPU (default: all on a GPU build, else 0)'
            cand --lora 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together'
            cand --log-bodies 'Write prompts and answers to the access log on stderr (off: only sizes and timings)'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;service'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand install 'Keep `pai index watch` running and run `pai learn --since` every night'
            cand uninstall 'Stop and remove what `install` wrote'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pai;service;install'= {
            cand --learn-at 'When to learn, local time (HH:MM)'
            cand --from-git 'Also learn from this repository''s new commits (repeatable)'
            cand --no-enable 'Write the files only; do not ask systemd or launchd to start them'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;service;uninstall'= {
            cand --no-enable 'Remove the files only; do not ask systemd or launchd to stop them'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;service;help'= {
            cand install 'Keep `pai index watch` running and run `pai learn --since` every night'
            cand uninstall 'Stop and remove what `install` wrote'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pai;service;help;install'= {
        }
        &'pai;service;help;uninstall'= {
        }
        &'pai;service;help;help'= {
        }
        &'pai;mcp'= {
            cand --host 'With --http: the address to listen on; anything but a loopback address needs --api-key-file'
            cand --port 'With --http: the port to listen on'
            cand --api-key-file 'With --http: a file holding the key clients must send as `Authorization: Bearer KEY`'
            cand --allow-host 'With --http: a name or address clients may use in the Host header besides localhost, loopback addresses and --host (repeatable); others are refused, against DNS rebinding'
            cand --allow-origin 'With --http: the origin of a web page that may call the server, such as http://localhost:3000 (repeatable); pages of other origins are refused'
            cand --http 'Serve over HTTP (Streamable HTTP, one endpoint: /mcp) instead of stdin and stdout'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;bench'= {
            cand -m 'The model: a registered name or a path (default: the default model)'
            cand --model 'The model: a registered name or a path (default: the default model)'
            cand --prompt-file 'A text file whose content is the prompt, as it is (default: a built-in 400-token text)'
            cand --gen 'Tokens to generate'
            cand --threads 'Threads (default: all cores)'
            cand --gpu-layers 'Layers to offload to the GPU (default: all on a GPU build, else 0)'
            cand --lora 'Also time switching to this LoRA adapter on the loaded model, first when its file is read and again once it is loaded (repeatable; the base model is never loaded again)'
            cand --spec 'Also generate with prompt-lookup drafts (`[speculation]` in config.toml), after a plain run, both greedy to the end of the answer (at most --gen tokens): reports drafted and accepted tokens, both speeds, and whether the outputs are the same'
            cand --json 'Print one JSON object'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;doctor'= {
            cand --generate-child 'The self-test''s child process: generate one token from this model file'
            cand --load-child 'The first-load child (models::firstload): load this file once, as llama.cpp will'
            cand --load-base 'With --load-child: the model the adapter is loaded on'
            cand --json 'Print one JSON object: every check, and the generation self-test'
            cand --no-generate 'Skip the generation self-test (it loads the model in use once)'
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;completions'= {
            cand -v 'Show llama.cpp''s logs and timings on stderr'
            cand --verbose 'Show llama.cpp''s logs and timings on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pai;help'= {
            cand agent 'Carry out a task with tools: search, read, list, grep, run (sandboxed), edit, remember, recall'
            cand ask 'Ask a question and stream the answer to stdout'
            cand chat 'Talk with the model in a full-screen chat that streams, shows its sources and remembers'
            cand commit 'Write a commit message for the staged changes to stdout'
            cand commit-eval 'commit-eval'
            cand edit 'Rewrite the text on stdin as the instruction says; print only the replacement'
            cand explain 'Explain the text or code on stdin'
            cand complete 'Continue the text or code on stdin; print only the continuation'
            cand shell 'Propose a shell command for a task, explain it, and run it once you confirm'
            cand sandbox 'Run a command in a sandbox: it may read anything, but write only in the working folder, its own temp folder ($TMPDIR) and --allow-write folders, and not use TCP unless --net'
            cand hook 'hook'
            cand context 'Show what the model would read for this question, and how many tokens each part takes'
            cand route 'Explain which tier would answer a request and why, without calling any remote'
            cand role 'Specialists for recurring jobs: markdown files with TOML front matter (docs/roles.md)'
            cand history 'Browse, search, export and remove saved conversations'
            cand audit 'Show the audit log: the requests that left this machine, newest first'
            cand stats 'Sum the audit log: requests, the local share, cost, cost avoided, and the budgets'
            cand search 'Search the indexed folders. Words are stemmed and stop words ignored; "quoted words" must appear as a phrase, and word* matches a prefix'
            cand remember 'Remember a fact about you; pai puts it in front of the model when a question is about it'
            cand memory 'List, search, edit and forget what `pai remember` kept'
            cand redact 'Show what would leave the machine: stdin with secrets (keys, tokens, passwords, private keys) replaced by placeholders such as [REDACTED_AWS_ACCESS_KEY_1]'
            cand index 'Manage the full-text index over your notes and code'
            cand model 'Manage the registry of GGUF models'
            cand learn 'Teach the local model how you write: your notes and your commit messages'
            cand config 'Show where pai''s configuration is and what it says'
            cand serve 'Serve the model over an OpenAI-compatible HTTP API (see docs/serve.md)'
            cand service 'service'
            cand mcp 'Serve the indexed notes to AI agents over the Model Context Protocol'
            cand bench 'Measure load time, prompt processing and generation speed on this machine'
            cand doctor 'Check the build, the configuration, the paths, the model files, and that the model in use generates a token on this CPU'
            cand completions 'Print a completion script for SHELL to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pai;help;agent'= {
        }
        &'pai;help;ask'= {
        }
        &'pai;help;chat'= {
        }
        &'pai;help;commit'= {
        }
        &'pai;help;commit-eval'= {
            cand export 'Write commits of this repository as evaluation cases, a JSON array on stdout'
            cand run 'Write a message for every case in FILES, one JSON line per message on stdout'
        }
        &'pai;help;commit-eval;export'= {
        }
        &'pai;help;commit-eval;run'= {
        }
        &'pai;help;edit'= {
        }
        &'pai;help;explain'= {
        }
        &'pai;help;complete'= {
        }
        &'pai;help;shell'= {
        }
        &'pai;help;sandbox'= {
        }
        &'pai;help;hook'= {
            cand install 'Add the prepare-commit-msg hook to this repository: `git commit` then opens the editor with a message written from the staged changes'
            cand uninstall 'Remove pai''s hook from this repository and restore the hook it replaced'
            cand run 'What the hook script calls: writes a message above git''s comment lines in MSGFILE. Always exits 0'
        }
        &'pai;help;hook;install'= {
        }
        &'pai;help;hook;uninstall'= {
        }
        &'pai;help;hook;run'= {
        }
        &'pai;help;context'= {
        }
        &'pai;help;route'= {
        }
        &'pai;help;role'= {
            cand list 'List the roles: name, description, and where each comes from (shipped, or your file in `roles/` beside config.toml, which overrides a shipped role of the same name)'
            cand show 'Print a role''s file: its front matter and its prompt'
        }
        &'pai;help;role;list'= {
        }
        &'pai;help;role;show'= {
        }
        &'pai;help;history'= {
            cand list 'List conversations, most recently updated first'
            cand show 'Print a conversation as text, each message under its role'
            cand search 'Find messages that contain every given word (case and accents ignored; a word also matches the start of a longer one), newest first'
            cand rm 'Delete a conversation and its messages'
            cand export 'Print a whole conversation as Markdown or JSON'
            cand import 'Add a conversation from a JSON export (a file, or stdin) and print its new ID'
        }
        &'pai;help;history;list'= {
        }
        &'pai;help;history;show'= {
        }
        &'pai;help;history;search'= {
        }
        &'pai;help;history;rm'= {
        }
        &'pai;help;history;export'= {
        }
        &'pai;help;history;import'= {
        }
        &'pai;help;audit'= {
        }
        &'pai;help;stats'= {
        }
        &'pai;help;search'= {
        }
        &'pai;help;remember'= {
        }
        &'pai;help;memory'= {
            cand list 'List every memory, oldest first'
            cand search 'Find memories that contain every given word (case and accents ignored, word forms folded: "codes" finds "code"), best match first'
            cand forget 'Delete a memory: it leaves the database and no prompt reads it again'
            cand edit 'Change a memory''s text in $VISUAL or $EDITOR (an empty text changes nothing)'
        }
        &'pai;help;memory;list'= {
        }
        &'pai;help;memory;search'= {
        }
        &'pai;help;memory;forget'= {
        }
        &'pai;help;memory;edit'= {
        }
        &'pai;help;redact'= {
        }
        &'pai;help;index'= {
            cand add 'Register folders (or files) as sources and index them. .gitignore, .ignore and hidden files are honoured; binary, oversized and special files are skipped and counted'
            cand update 'Re-index what changed in the sources: new, modified, deleted and renamed files'
            cand status 'Show the sources, what is indexed, and what was skipped and why'
            cand rm 'Stop indexing a source and drop its files from the index'
            cand watch 'Keep the index fresh while this runs: watch every source for changes and, once they have been quiet for a second, run the same incremental update as `pai index update`. Changes in hidden or ignored paths wake nothing. One line per update goes to stderr. Sources added or removed with `pai index add` or `rm` while it runs are followed from then on, without a restart. If another pai holds the index''s lock, the update waits for it and retries. Ctrl-C stops watching once the update in progress is committed and exits with status 0; a second Ctrl-C stops at once with status 130'
            cand rebuild 'Drop the index and build it again from the sources'
        }
        &'pai;help;index;add'= {
        }
        &'pai;help;index;update'= {
        }
        &'pai;help;index;status'= {
        }
        &'pai;help;index;rm'= {
        }
        &'pai;help;index;watch'= {
        }
        &'pai;help;index;rebuild'= {
        }
        &'pai;help;model'= {
            cand add 'Register a GGUF file that is already on disk (it is not copied): a model, or with --adapter a LoRA adapter for `--lora NAME`'
            cand list 'List the registered models with what their headers say'
            cand info 'A registered model''s name'
            cand default 'A registered model''s name'
            cand rm 'A registered model''s name'
            cand pull 'Download a GGUF file over HTTP(S), resuming an interrupted download, and register it: a name from the catalog (`pai model search`) or a URL'
            cand search 'Search the catalog of well-known GGUF builds that `pai model pull NAME` can fetch'
        }
        &'pai;help;model;add'= {
        }
        &'pai;help;model;list'= {
        }
        &'pai;help;model;info'= {
        }
        &'pai;help;model;default'= {
        }
        &'pai;help;model;rm'= {
        }
        &'pai;help;model;pull'= {
        }
        &'pai;help;model;search'= {
        }
        &'pai;help;learn'= {
            cand export 'Write the training set as chat-format JSONL, for training elsewhere'
        }
        &'pai;help;learn;export'= {
        }
        &'pai;help;config'= {
            cand path 'Print the path of config.toml (it may not exist yet)'
            cand show 'Print the effective configuration: defaults, then config.toml, then PAI_MODEL'
            cand example 'Print a commented example config.toml with every setting and its default'
            cand init 'Write the commented example to config.toml and a profile.md template, leaving existing files alone'
        }
        &'pai;help;config;path'= {
        }
        &'pai;help;config;show'= {
        }
        &'pai;help;config;example'= {
        }
        &'pai;help;config;init'= {
        }
        &'pai;help;serve'= {
        }
        &'pai;help;service'= {
            cand install 'Keep `pai index watch` running and run `pai learn --since` every night'
            cand uninstall 'Stop and remove what `install` wrote'
        }
        &'pai;help;service;install'= {
        }
        &'pai;help;service;uninstall'= {
        }
        &'pai;help;mcp'= {
        }
        &'pai;help;bench'= {
        }
        &'pai;help;doctor'= {
        }
        &'pai;help;completions'= {
        }
        &'pai;help;help'= {
        }
    ]
    $completions[$command]
}
