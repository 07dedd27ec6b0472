# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_pai_global_optspecs
    string join \n v/verbose h/help V/version
end

function __fish_pai_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_pai_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_pai_using_subcommand
    set -l cmd (__fish_pai_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c pai -n "__fish_pai_needs_command" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_needs_command" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_needs_command" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_needs_command" -f -a "agent" -d 'Carry out a task with tools: search, read, list, grep, run (sandboxed), edit, remember, recall'
complete -c pai -n "__fish_pai_needs_command" -f -a "ask" -d 'Ask a question and stream the answer to stdout'
complete -c pai -n "__fish_pai_needs_command" -f -a "chat" -d 'Talk with the model in a full-screen chat that streams, shows its sources and remembers'
complete -c pai -n "__fish_pai_needs_command" -f -a "commit" -d 'Write a commit message for the staged changes to stdout'
complete -c pai -n "__fish_pai_needs_command" -f -a "commit-eval"
complete -c pai -n "__fish_pai_needs_command" -f -a "edit" -d 'Rewrite the text on stdin as the instruction says; print only the replacement'
complete -c pai -n "__fish_pai_needs_command" -f -a "explain" -d 'Explain the text or code on stdin'
complete -c pai -n "__fish_pai_needs_command" -f -a "complete" -d 'Continue the text or code on stdin; print only the continuation'
complete -c pai -n "__fish_pai_needs_command" -f -a "shell" -d 'Propose a shell command for a task, explain it, and run it once you confirm'
complete -c pai -n "__fish_pai_needs_command" -f -a "sandbox" -d 'Run a command in a sandbox: it may read anything, but write only in the working folder, its own temp folder ($TMPDIR) and --allow-write folders, and not use TCP unless --net'
complete -c pai -n "__fish_pai_needs_command" -f -a "hook"
complete -c pai -n "__fish_pai_needs_command" -f -a "context" -d 'Show what the model would read for this question, and how many tokens each part takes'
complete -c pai -n "__fish_pai_needs_command" -f -a "route" -d 'Explain which tier would answer a request and why, without calling any remote'
complete -c pai -n "__fish_pai_needs_command" -f -a "role" -d 'Specialists for recurring jobs: markdown files with TOML front matter (docs/roles.md)'
complete -c pai -n "__fish_pai_needs_command" -f -a "history" -d 'Browse, search, export and remove saved conversations'
complete -c pai -n "__fish_pai_needs_command" -f -a "audit" -d 'Show the audit log: the requests that left this machine, newest first'
complete -c pai -n "__fish_pai_needs_command" -f -a "stats" -d 'Sum the audit log: requests, the local share, cost, cost avoided, and the budgets'
complete -c pai -n "__fish_pai_needs_command" -f -a "search" -d 'Search the indexed folders. Words are stemmed and stop words ignored; "quoted words" must appear as a phrase, and word* matches a prefix'
complete -c pai -n "__fish_pai_needs_command" -f -a "remember" -d 'Remember a fact about you; pai puts it in front of the model when a question is about it'
complete -c pai -n "__fish_pai_needs_command" -f -a "memory" -d 'List, search, edit and forget what `pai remember` kept'
complete -c pai -n "__fish_pai_needs_command" -f -a "redact" -d 'Show what would leave the machine: stdin with secrets (keys, tokens, passwords, private keys) replaced by placeholders such as [REDACTED_AWS_ACCESS_KEY_1]'
complete -c pai -n "__fish_pai_needs_command" -f -a "index" -d 'Manage the full-text index over your notes and code'
complete -c pai -n "__fish_pai_needs_command" -f -a "model" -d 'Manage the registry of GGUF models'
complete -c pai -n "__fish_pai_needs_command" -f -a "learn" -d 'Teach the local model how you write: your notes and your commit messages'
complete -c pai -n "__fish_pai_needs_command" -f -a "config" -d 'Show where pai\'s configuration is and what it says'
complete -c pai -n "__fish_pai_needs_command" -f -a "serve" -d 'Serve the model over an OpenAI-compatible HTTP API (see docs/serve.md)'
complete -c pai -n "__fish_pai_needs_command" -f -a "service"
complete -c pai -n "__fish_pai_needs_command" -f -a "mcp" -d 'Serve the indexed notes to AI agents over the Model Context Protocol'
complete -c pai -n "__fish_pai_needs_command" -f -a "bench" -d 'Measure load time, prompt processing and generation speed on this machine'
complete -c pai -n "__fish_pai_needs_command" -f -a "doctor" -d 'Check the build, the configuration, the paths, the model files, and that the model in use generates a token on this CPU'
complete -c pai -n "__fish_pai_needs_command" -f -a "completions" -d 'Print a completion script for SHELL to stdout'
complete -c pai -n "__fish_pai_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pai -n "__fish_pai_using_subcommand agent" -l max-steps -d 'The most model calls' -r
complete -c pai -n "__fish_pai_using_subcommand agent" -l time-limit -d 'Stop after this many seconds' -r
complete -c pai -n "__fish_pai_using_subcommand agent" -l token-budget -d 'Stop when the steps have used this many tokens (prompt and generated, all steps)' -r
complete -c pai -n "__fish_pai_using_subcommand agent" -s C -l folder -d 'The working folder (default: the current one): the only place edit and run may write' -r -F
complete -c pai -n "__fish_pai_using_subcommand agent" -s m -l model -d 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]' -r
complete -c pai -n "__fish_pai_using_subcommand agent" -l endpoint -d 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model' -r
complete -c pai -n "__fish_pai_using_subcommand agent" -l tier -d 'Which tier answers: the local model, the medium or large remote tier from config.toml\'s [tiers], or auto (local first, a remote tier when the local model is unsure)' -r -f -a "local\t''
medium\t''
large\t''
auto\t''"
complete -c pai -n "__fish_pai_using_subcommand agent" -l ctx -d 'Context window in tokens (default: what the request needs, up to the model\'s trained length)' -r
complete -c pai -n "__fish_pai_using_subcommand agent" -l threads -d 'Threads for prompt processing and generation (default: all cores)' -r
complete -c pai -n "__fish_pai_using_subcommand agent" -l gpu-layers -d 'Layers to offload to the GPU (default: all on a GPU build, else 0)' -r
complete -c pai -n "__fish_pai_using_subcommand agent" -l lora -d 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together' -r
complete -c pai -n "__fish_pai_using_subcommand agent" -s n -l max-tokens -d 'The most tokens to generate' -r
complete -c pai -n "__fish_pai_using_subcommand agent" -l temp -d 'Temperature; 0 always picks the most likely token' -r
complete -c pai -n "__fish_pai_using_subcommand agent" -l top-k -d 'Keep only the K most likely tokens (0: off)' -r
complete -c pai -n "__fish_pai_using_subcommand agent" -l top-p -d 'Keep the most likely tokens up to probability P (1: off)' -r
complete -c pai -n "__fish_pai_using_subcommand agent" -l min-p -d 'Drop tokens less likely than P times the most likely one (0: off)' -r
complete -c pai -n "__fish_pai_using_subcommand agent" -l repeat-penalty -d 'Penalty for repeating recent tokens (1: off)' -r
complete -c pai -n "__fish_pai_using_subcommand agent" -l seed -d 'Seed for sampling; the same seed and input give the same answer' -r
complete -c pai -n "__fish_pai_using_subcommand agent" -l stop -d 'Stop when the model writes this text, which is not printed (repeatable)' -r
complete -c pai -n "__fish_pai_using_subcommand agent" -s y -l yes -d 'Approve every call that would ask (config.toml\'s [agent] deny still holds)'
complete -c pai -n "__fish_pai_using_subcommand agent" -l net -d 'Let commands that `run` starts open network connections'
complete -c pai -n "__fish_pai_using_subcommand agent" -l json -d 'Print the run as one JSON object (answer, steps, run id) instead of the answer'
complete -c pai -n "__fish_pai_using_subcommand agent" -l speculate -d 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch\'s rounding can flip a near tie, so a greedy answer may differ)'
complete -c pai -n "__fish_pai_using_subcommand agent" -l no-speculate -d 'Decode one token at a time, without drafts'
complete -c pai -n "__fish_pai_using_subcommand agent" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand agent" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pai -n "__fish_pai_using_subcommand agent" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand ask" -s f -l file -d 'Attach a text file (repeatable)' -r -F
complete -c pai -n "__fish_pai_using_subcommand ask" -l system -d 'Replace the system prompt' -r
complete -c pai -n "__fish_pai_using_subcommand ask" -l json-schema -d 'Constrain the answer to JSON that follows this JSON Schema (enforced token by token; a schema that cannot be enforced is an error before generation). With --json, the parsed value is printed as `value`. Local models only' -r -F
complete -c pai -n "__fish_pai_using_subcommand ask" -l grammar -d 'Constrain the answer to this GBNF grammar (llama.cpp\'s format, starting at `root`)' -r -F
complete -c pai -n "__fish_pai_using_subcommand ask" -l role -d 'Answer as this role: its system prompt, settings and sources (`pai role list`)' -r
complete -c pai -n "__fish_pai_using_subcommand ask" -s m -l model -d 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]' -r
complete -c pai -n "__fish_pai_using_subcommand ask" -l endpoint -d 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model' -r
complete -c pai -n "__fish_pai_using_subcommand ask" -l tier -d 'Which tier answers: the local model, the medium or large remote tier from config.toml\'s [tiers], or auto (local first, a remote tier when the local model is unsure)' -r -f -a "local\t''
medium\t''
large\t''
auto\t''"
complete -c pai -n "__fish_pai_using_subcommand ask" -l ctx -d 'Context window in tokens (default: what the request needs, up to the model\'s trained length)' -r
complete -c pai -n "__fish_pai_using_subcommand ask" -l threads -d 'Threads for prompt processing and generation (default: all cores)' -r
complete -c pai -n "__fish_pai_using_subcommand ask" -l gpu-layers -d 'Layers to offload to the GPU (default: all on a GPU build, else 0)' -r
complete -c pai -n "__fish_pai_using_subcommand ask" -l lora -d 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together' -r
complete -c pai -n "__fish_pai_using_subcommand ask" -s n -l max-tokens -d 'The most tokens to generate' -r
complete -c pai -n "__fish_pai_using_subcommand ask" -l temp -d 'Temperature; 0 always picks the most likely token' -r
complete -c pai -n "__fish_pai_using_subcommand ask" -l top-k -d 'Keep only the K most likely tokens (0: off)' -r
complete -c pai -n "__fish_pai_using_subcommand ask" -l top-p -d 'Keep the most likely tokens up to probability P (1: off)' -r
complete -c pai -n "__fish_pai_using_subcommand ask" -l min-p -d 'Drop tokens less likely than P times the most likely one (0: off)' -r
complete -c pai -n "__fish_pai_using_subcommand ask" -l repeat-penalty -d 'Penalty for repeating recent tokens (1: off)' -r
complete -c pai -n "__fish_pai_using_subcommand ask" -l seed -d 'Seed for sampling; the same seed and input give the same answer' -r
complete -c pai -n "__fish_pai_using_subcommand ask" -l stop -d 'Stop when the model writes this text, which is not printed (repeatable)' -r
complete -c pai -n "__fish_pai_using_subcommand ask" -l no-context -d 'Send only the prompt and attachments: no excerpts from the index, no profile, no context cell'
complete -c pai -n "__fish_pai_using_subcommand ask" -l json -d 'Print one JSON object: answer, model, token counts, timings and sources'
complete -c pai -n "__fish_pai_using_subcommand ask" -l sources -d 'List the sources the answer could cite, on stderr'
complete -c pai -n "__fish_pai_using_subcommand ask" -l raw -d 'Pass the model\'s bytes through, escape sequences included'
complete -c pai -n "__fish_pai_using_subcommand ask" -l speculate -d 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch\'s rounding can flip a near tie, so a greedy answer may differ)'
complete -c pai -n "__fish_pai_using_subcommand ask" -l no-speculate -d 'Decode one token at a time, without drafts'
complete -c pai -n "__fish_pai_using_subcommand ask" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand ask" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pai -n "__fish_pai_using_subcommand ask" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand chat" -l resume -d 'Continue a stored conversation: the latest one, or the one with this ID (`pai history list`)' -r
complete -c pai -n "__fish_pai_using_subcommand chat" -l system -d 'Replace the system prompt' -r
complete -c pai -n "__fish_pai_using_subcommand chat" -l role -d 'Answer as this role: its system prompt, settings and sources (`pai role list`)' -r
complete -c pai -n "__fish_pai_using_subcommand chat" -s m -l model -d 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]' -r
complete -c pai -n "__fish_pai_using_subcommand chat" -l endpoint -d 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model' -r
complete -c pai -n "__fish_pai_using_subcommand chat" -l tier -d 'Which tier answers: the local model, the medium or large remote tier from config.toml\'s [tiers], or auto (local first, a remote tier when the local model is unsure)' -r -f -a "local\t''
medium\t''
large\t''
auto\t''"
complete -c pai -n "__fish_pai_using_subcommand chat" -l ctx -d 'Context window in tokens (default: what the request needs, up to the model\'s trained length)' -r
complete -c pai -n "__fish_pai_using_subcommand chat" -l threads -d 'Threads for prompt processing and generation (default: all cores)' -r
complete -c pai -n "__fish_pai_using_subcommand chat" -l gpu-layers -d 'Layers to offload to the GPU (default: all on a GPU build, else 0)' -r
complete -c pai -n "__fish_pai_using_subcommand chat" -l lora -d 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together' -r
complete -c pai -n "__fish_pai_using_subcommand chat" -s n -l max-tokens -d 'The most tokens to generate' -r
complete -c pai -n "__fish_pai_using_subcommand chat" -l temp -d 'Temperature; 0 always picks the most likely token' -r
complete -c pai -n "__fish_pai_using_subcommand chat" -l top-k -d 'Keep only the K most likely tokens (0: off)' -r
complete -c pai -n "__fish_pai_using_subcommand chat" -l top-p -d 'Keep the most likely tokens up to probability P (1: off)' -r
complete -c pai -n "__fish_pai_using_subcommand chat" -l min-p -d 'Drop tokens less likely than P times the most likely one (0: off)' -r
complete -c pai -n "__fish_pai_using_subcommand chat" -l repeat-penalty -d 'Penalty for repeating recent tokens (1: off)' -r
complete -c pai -n "__fish_pai_using_subcommand chat" -l seed -d 'Seed for sampling; the same seed and input give the same answer' -r
complete -c pai -n "__fish_pai_using_subcommand chat" -l stop -d 'Stop when the model writes this text, which is not printed (repeatable)' -r
complete -c pai -n "__fish_pai_using_subcommand chat" -l no-context -d 'No excerpts from the index, no profile, no context cell'
complete -c pai -n "__fish_pai_using_subcommand chat" -l speculate -d 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch\'s rounding can flip a near tie, so a greedy answer may differ)'
complete -c pai -n "__fish_pai_using_subcommand chat" -l no-speculate -d 'Decode one token at a time, without drafts'
complete -c pai -n "__fish_pai_using_subcommand chat" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand chat" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pai -n "__fish_pai_using_subcommand chat" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand commit" -l role -d 'Answer as this role: its system prompt, settings and sources (`pai role list`)' -r
complete -c pai -n "__fish_pai_using_subcommand commit" -s m -l model -d 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]' -r
complete -c pai -n "__fish_pai_using_subcommand commit" -l endpoint -d 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model' -r
complete -c pai -n "__fish_pai_using_subcommand commit" -l tier -d 'Which tier answers: the local model, the medium or large remote tier from config.toml\'s [tiers], or auto (local first, a remote tier when the local model is unsure)' -r -f -a "local\t''
medium\t''
large\t''
auto\t''"
complete -c pai -n "__fish_pai_using_subcommand commit" -l ctx -d 'Context window in tokens (default: what the request needs, up to the model\'s trained length)' -r
complete -c pai -n "__fish_pai_using_subcommand commit" -l threads -d 'Threads for prompt processing and generation (default: all cores)' -r
complete -c pai -n "__fish_pai_using_subcommand commit" -l gpu-layers -d 'Layers to offload to the GPU (default: all on a GPU build, else 0)' -r
complete -c pai -n "__fish_pai_using_subcommand commit" -l lora -d 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together' -r
complete -c pai -n "__fish_pai_using_subcommand commit" -s n -l max-tokens -d 'The most tokens to generate' -r
complete -c pai -n "__fish_pai_using_subcommand commit" -l temp -d 'Temperature; 0 always picks the most likely token' -r
complete -c pai -n "__fish_pai_using_subcommand commit" -l top-k -d 'Keep only the K most likely tokens (0: off)' -r
complete -c pai -n "__fish_pai_using_subcommand commit" -l top-p -d 'Keep the most likely tokens up to probability P (1: off)' -r
complete -c pai -n "__fish_pai_using_subcommand commit" -l min-p -d 'Drop tokens less likely than P times the most likely one (0: off)' -r
complete -c pai -n "__fish_pai_using_subcommand commit" -l repeat-penalty -d 'Penalty for repeating recent tokens (1: off)' -r
complete -c pai -n "__fish_pai_using_subcommand commit" -l seed -d 'Seed for sampling; the same seed and input give the same answer' -r
complete -c pai -n "__fish_pai_using_subcommand commit" -l stop -d 'Stop when the model writes this text, which is not printed (repeatable)' -r
complete -c pai -n "__fish_pai_using_subcommand commit" -l conventional -d 'Write a Conventional Commits subject (`type(scope): subject`) whatever the history uses'
complete -c pai -n "__fish_pai_using_subcommand commit" -l apply -d 'Commit the staged changes with the message instead of printing it'
complete -c pai -n "__fish_pai_using_subcommand commit" -s e -l edit -d 'With --apply, open the editor on the message before committing'
complete -c pai -n "__fish_pai_using_subcommand commit" -l speculate -d 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch\'s rounding can flip a near tie, so a greedy answer may differ)'
complete -c pai -n "__fish_pai_using_subcommand commit" -l no-speculate -d 'Decode one token at a time, without drafts'
complete -c pai -n "__fish_pai_using_subcommand commit" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand commit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pai -n "__fish_pai_using_subcommand commit" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and not __fish_seen_subcommand_from export run help" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and not __fish_seen_subcommand_from export run help" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and not __fish_seen_subcommand_from export run help" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and not __fish_seen_subcommand_from export run help" -f -a "export" -d 'Write commits of this repository as evaluation cases, a JSON array on stdout'
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and not __fish_seen_subcommand_from export run help" -f -a "run" -d 'Write a message for every case in FILES, one JSON line per message on stdout'
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and not __fish_seen_subcommand_from export run help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from export" -l name -d 'The name the cases carry for this repository' -r
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from export" -l from -d 'The newest commit to consider' -r
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from export" -l count -d 'How many commits to export' -r
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from export" -l every -d 'Take every Nth commit that qualifies, to spread the cases over the history' -r
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from export" -l max-files -d 'Leave out commits that change more files than this' -r
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from export" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from run" -s m -l model -d 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]' -r
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from run" -l endpoint -d 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model' -r
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from run" -l tier -d 'Which tier answers: the local model, the medium or large remote tier from config.toml\'s [tiers], or auto (local first, a remote tier when the local model is unsure)' -r -f -a "local\t''
medium\t''
large\t''
auto\t''"
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from run" -l ctx -d 'Context window in tokens (default: what the request needs, up to the model\'s trained length)' -r
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from run" -l threads -d 'Threads for prompt processing and generation (default: all cores)' -r
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from run" -l gpu-layers -d 'Layers to offload to the GPU (default: all on a GPU build, else 0)' -r
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from run" -l lora -d 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together' -r
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from run" -s n -l max-tokens -d 'The most tokens to generate' -r
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from run" -l temp -d 'Temperature; 0 always picks the most likely token' -r
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from run" -l top-k -d 'Keep only the K most likely tokens (0: off)' -r
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from run" -l top-p -d 'Keep the most likely tokens up to probability P (1: off)' -r
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from run" -l min-p -d 'Drop tokens less likely than P times the most likely one (0: off)' -r
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from run" -l repeat-penalty -d 'Penalty for repeating recent tokens (1: off)' -r
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from run" -l seed -d 'Seed for sampling; the same seed and input give the same answer' -r
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from run" -l stop -d 'Stop when the model writes this text, which is not printed (repeatable)' -r
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from run" -l no-grammar -d 'Leave the subject free instead of holding it to the history\'s form by a grammar'
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from run" -l speculate -d 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch\'s rounding can flip a near tie, so a greedy answer may differ)'
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from run" -l no-speculate -d 'Decode one token at a time, without drafts'
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from run" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from help" -f -a "export" -d 'Write commits of this repository as evaluation cases, a JSON array on stdout'
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from help" -f -a "run" -d 'Write a message for every case in FILES, one JSON line per message on stdout'
complete -c pai -n "__fish_pai_using_subcommand commit-eval; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pai -n "__fish_pai_using_subcommand edit" -l file-name -d 'The name of the file the selection comes from, for the model and the index search' -r
complete -c pai -n "__fish_pai_using_subcommand edit" -l role -d 'Answer as this role: its system prompt, settings and sources (`pai role list`)' -r
complete -c pai -n "__fish_pai_using_subcommand edit" -s m -l model -d 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]' -r
complete -c pai -n "__fish_pai_using_subcommand edit" -l endpoint -d 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model' -r
complete -c pai -n "__fish_pai_using_subcommand edit" -l tier -d 'Which tier answers: the local model, the medium or large remote tier from config.toml\'s [tiers], or auto (local first, a remote tier when the local model is unsure)' -r -f -a "local\t''
medium\t''
large\t''
auto\t''"
complete -c pai -n "__fish_pai_using_subcommand edit" -l ctx -d 'Context window in tokens (default: what the request needs, up to the model\'s trained length)' -r
complete -c pai -n "__fish_pai_using_subcommand edit" -l threads -d 'Threads for prompt processing and generation (default: all cores)' -r
complete -c pai -n "__fish_pai_using_subcommand edit" -l gpu-layers -d 'Layers to offload to the GPU (default: all on a GPU build, else 0)' -r
complete -c pai -n "__fish_pai_using_subcommand edit" -l lora -d 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together' -r
complete -c pai -n "__fish_pai_using_subcommand edit" -s n -l max-tokens -d 'The most tokens to generate' -r
complete -c pai -n "__fish_pai_using_subcommand edit" -l temp -d 'Temperature; 0 always picks the most likely token' -r
complete -c pai -n "__fish_pai_using_subcommand edit" -l top-k -d 'Keep only the K most likely tokens (0: off)' -r
complete -c pai -n "__fish_pai_using_subcommand edit" -l top-p -d 'Keep the most likely tokens up to probability P (1: off)' -r
complete -c pai -n "__fish_pai_using_subcommand edit" -l min-p -d 'Drop tokens less likely than P times the most likely one (0: off)' -r
complete -c pai -n "__fish_pai_using_subcommand edit" -l repeat-penalty -d 'Penalty for repeating recent tokens (1: off)' -r
complete -c pai -n "__fish_pai_using_subcommand edit" -l seed -d 'Seed for sampling; the same seed and input give the same answer' -r
complete -c pai -n "__fish_pai_using_subcommand edit" -l stop -d 'Stop when the model writes this text, which is not printed (repeatable)' -r
complete -c pai -n "__fish_pai_using_subcommand edit" -l no-context -d 'Send only the instruction and the selection: no excerpts, profile or context cell'
complete -c pai -n "__fish_pai_using_subcommand edit" -l speculate -d 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch\'s rounding can flip a near tie, so a greedy answer may differ)'
complete -c pai -n "__fish_pai_using_subcommand edit" -l no-speculate -d 'Decode one token at a time, without drafts'
complete -c pai -n "__fish_pai_using_subcommand edit" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand edit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pai -n "__fish_pai_using_subcommand edit" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand explain" -l file-name -d 'The name of the file the selection comes from' -r
complete -c pai -n "__fish_pai_using_subcommand explain" -l role -d 'Answer as this role: its system prompt, settings and sources (`pai role list`)' -r
complete -c pai -n "__fish_pai_using_subcommand explain" -s m -l model -d 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]' -r
complete -c pai -n "__fish_pai_using_subcommand explain" -l endpoint -d 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model' -r
complete -c pai -n "__fish_pai_using_subcommand explain" -l tier -d 'Which tier answers: the local model, the medium or large remote tier from config.toml\'s [tiers], or auto (local first, a remote tier when the local model is unsure)' -r -f -a "local\t''
medium\t''
large\t''
auto\t''"
complete -c pai -n "__fish_pai_using_subcommand explain" -l ctx -d 'Context window in tokens (default: what the request needs, up to the model\'s trained length)' -r
complete -c pai -n "__fish_pai_using_subcommand explain" -l threads -d 'Threads for prompt processing and generation (default: all cores)' -r
complete -c pai -n "__fish_pai_using_subcommand explain" -l gpu-layers -d 'Layers to offload to the GPU (default: all on a GPU build, else 0)' -r
complete -c pai -n "__fish_pai_using_subcommand explain" -l lora -d 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together' -r
complete -c pai -n "__fish_pai_using_subcommand explain" -s n -l max-tokens -d 'The most tokens to generate' -r
complete -c pai -n "__fish_pai_using_subcommand explain" -l temp -d 'Temperature; 0 always picks the most likely token' -r
complete -c pai -n "__fish_pai_using_subcommand explain" -l top-k -d 'Keep only the K most likely tokens (0: off)' -r
complete -c pai -n "__fish_pai_using_subcommand explain" -l top-p -d 'Keep the most likely tokens up to probability P (1: off)' -r
complete -c pai -n "__fish_pai_using_subcommand explain" -l min-p -d 'Drop tokens less likely than P times the most likely one (0: off)' -r
complete -c pai -n "__fish_pai_using_subcommand explain" -l repeat-penalty -d 'Penalty for repeating recent tokens (1: off)' -r
complete -c pai -n "__fish_pai_using_subcommand explain" -l seed -d 'Seed for sampling; the same seed and input give the same answer' -r
complete -c pai -n "__fish_pai_using_subcommand explain" -l stop -d 'Stop when the model writes this text, which is not printed (repeatable)' -r
complete -c pai -n "__fish_pai_using_subcommand explain" -l no-context -d 'Send only the question and the selection: no excerpts, profile or context cell'
complete -c pai -n "__fish_pai_using_subcommand explain" -l speculate -d 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch\'s rounding can flip a near tie, so a greedy answer may differ)'
complete -c pai -n "__fish_pai_using_subcommand explain" -l no-speculate -d 'Decode one token at a time, without drafts'
complete -c pai -n "__fish_pai_using_subcommand explain" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pai -n "__fish_pai_using_subcommand explain" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand complete" -l suffix-file -d 'Text that comes after the cursor, for fill-in-the-middle' -r -F
complete -c pai -n "__fish_pai_using_subcommand complete" -l role -d 'Answer as this role: its system prompt, settings and sources (`pai role list`)' -r
complete -c pai -n "__fish_pai_using_subcommand complete" -s m -l model -d 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]' -r
complete -c pai -n "__fish_pai_using_subcommand complete" -l endpoint -d 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model' -r
complete -c pai -n "__fish_pai_using_subcommand complete" -l tier -d 'Which tier answers: the local model, the medium or large remote tier from config.toml\'s [tiers], or auto (local first, a remote tier when the local model is unsure)' -r -f -a "local\t''
medium\t''
large\t''
auto\t''"
complete -c pai -n "__fish_pai_using_subcommand complete" -l ctx -d 'Context window in tokens (default: what the request needs, up to the model\'s trained length)' -r
complete -c pai -n "__fish_pai_using_subcommand complete" -l threads -d 'Threads for prompt processing and generation (default: all cores)' -r
complete -c pai -n "__fish_pai_using_subcommand complete" -l gpu-layers -d 'Layers to offload to the GPU (default: all on a GPU build, else 0)' -r
complete -c pai -n "__fish_pai_using_subcommand complete" -l lora -d 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together' -r
complete -c pai -n "__fish_pai_using_subcommand complete" -s n -l max-tokens -d 'The most tokens to generate' -r
complete -c pai -n "__fish_pai_using_subcommand complete" -l temp -d 'Temperature; 0 always picks the most likely token' -r
complete -c pai -n "__fish_pai_using_subcommand complete" -l top-k -d 'Keep only the K most likely tokens (0: off)' -r
complete -c pai -n "__fish_pai_using_subcommand complete" -l top-p -d 'Keep the most likely tokens up to probability P (1: off)' -r
complete -c pai -n "__fish_pai_using_subcommand complete" -l min-p -d 'Drop tokens less likely than P times the most likely one (0: off)' -r
complete -c pai -n "__fish_pai_using_subcommand complete" -l repeat-penalty -d 'Penalty for repeating recent tokens (1: off)' -r
complete -c pai -n "__fish_pai_using_subcommand complete" -l seed -d 'Seed for sampling; the same seed and input give the same answer' -r
complete -c pai -n "__fish_pai_using_subcommand complete" -l stop -d 'Stop when the model writes this text, which is not printed (repeatable)' -r
complete -c pai -n "__fish_pai_using_subcommand complete" -l speculate -d 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch\'s rounding can flip a near tie, so a greedy answer may differ)'
complete -c pai -n "__fish_pai_using_subcommand complete" -l no-speculate -d 'Decode one token at a time, without drafts'
complete -c pai -n "__fish_pai_using_subcommand complete" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand complete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pai -n "__fish_pai_using_subcommand complete" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand shell" -l allow-write -d 'Also allow the command to write beneath DIR (repeatable)' -r -F
complete -c pai -n "__fish_pai_using_subcommand shell" -l role -d 'Answer as this role: its system prompt, settings and sources (`pai role list`)' -r
complete -c pai -n "__fish_pai_using_subcommand shell" -s m -l model -d 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]' -r
complete -c pai -n "__fish_pai_using_subcommand shell" -l endpoint -d 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model' -r
complete -c pai -n "__fish_pai_using_subcommand shell" -l tier -d 'Which tier answers: the local model, the medium or large remote tier from config.toml\'s [tiers], or auto (local first, a remote tier when the local model is unsure)' -r -f -a "local\t''
medium\t''
large\t''
auto\t''"
complete -c pai -n "__fish_pai_using_subcommand shell" -l ctx -d 'Context window in tokens (default: what the request needs, up to the model\'s trained length)' -r
complete -c pai -n "__fish_pai_using_subcommand shell" -l threads -d 'Threads for prompt processing and generation (default: all cores)' -r
complete -c pai -n "__fish_pai_using_subcommand shell" -l gpu-layers -d 'Layers to offload to the GPU (default: all on a GPU build, else 0)' -r
complete -c pai -n "__fish_pai_using_subcommand shell" -l lora -d 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together' -r
complete -c pai -n "__fish_pai_using_subcommand shell" -s n -l max-tokens -d 'The most tokens to generate' -r
complete -c pai -n "__fish_pai_using_subcommand shell" -l temp -d 'Temperature; 0 always picks the most likely token' -r
complete -c pai -n "__fish_pai_using_subcommand shell" -l top-k -d 'Keep only the K most likely tokens (0: off)' -r
complete -c pai -n "__fish_pai_using_subcommand shell" -l top-p -d 'Keep the most likely tokens up to probability P (1: off)' -r
complete -c pai -n "__fish_pai_using_subcommand shell" -l min-p -d 'Drop tokens less likely than P times the most likely one (0: off)' -r
complete -c pai -n "__fish_pai_using_subcommand shell" -l repeat-penalty -d 'Penalty for repeating recent tokens (1: off)' -r
complete -c pai -n "__fish_pai_using_subcommand shell" -l seed -d 'Seed for sampling; the same seed and input give the same answer' -r
complete -c pai -n "__fish_pai_using_subcommand shell" -l stop -d 'Stop when the model writes this text, which is not printed (repeatable)' -r
complete -c pai -n "__fish_pai_using_subcommand shell" -s y -l yes -d 'Run the command without asking'
complete -c pai -n "__fish_pai_using_subcommand shell" -s p -l print -d 'Print the command on stdout (and the explanation on stderr); never run it'
complete -c pai -n "__fish_pai_using_subcommand shell" -l no-context -d 'Send only the task: no profile or context cell'
complete -c pai -n "__fish_pai_using_subcommand shell" -l context -d 'Also send excerpts from the index (off by default: indexed text must not pick commands)'
complete -c pai -n "__fish_pai_using_subcommand shell" -l net -d 'Allow the command to use TCP: connect out and listen'
complete -c pai -n "__fish_pai_using_subcommand shell" -l no-sandbox -d 'Run the command unconfined: it may write anywhere and use the network'
complete -c pai -n "__fish_pai_using_subcommand shell" -l speculate -d 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch\'s rounding can flip a near tie, so a greedy answer may differ)'
complete -c pai -n "__fish_pai_using_subcommand shell" -l no-speculate -d 'Decode one token at a time, without drafts'
complete -c pai -n "__fish_pai_using_subcommand shell" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand shell" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pai -n "__fish_pai_using_subcommand shell" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand sandbox" -l allow-write -d 'Also allow the command to write beneath DIR (repeatable)' -r -F
complete -c pai -n "__fish_pai_using_subcommand sandbox" -l net -d 'Allow the command to use TCP: connect out and listen'
complete -c pai -n "__fish_pai_using_subcommand sandbox" -l no-sandbox -d 'Run the command unconfined: it may write anywhere and use the network'
complete -c pai -n "__fish_pai_using_subcommand sandbox" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand sandbox" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pai -n "__fish_pai_using_subcommand sandbox" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall run help" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall run help" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall run help" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall run help" -f -a "install" -d 'Add the prepare-commit-msg hook to this repository: `git commit` then opens the editor with a message written from the staged changes'
complete -c pai -n "__fish_pai_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall run help" -f -a "uninstall" -d 'Remove pai\'s hook from this repository and restore the hook it replaced'
complete -c pai -n "__fish_pai_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall run help" -f -a "run" -d 'What the hook script calls: writes a message above git\'s comment lines in MSGFILE. Always exits 0'
complete -c pai -n "__fish_pai_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall run help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pai -n "__fish_pai_using_subcommand hook; and __fish_seen_subcommand_from install" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand hook; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pai -n "__fish_pai_using_subcommand hook; and __fish_seen_subcommand_from install" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand hook; and __fish_seen_subcommand_from run" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand hook; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand hook; and __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "install" -d 'Add the prepare-commit-msg hook to this repository: `git commit` then opens the editor with a message written from the staged changes'
complete -c pai -n "__fish_pai_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "uninstall" -d 'Remove pai\'s hook from this repository and restore the hook it replaced'
complete -c pai -n "__fish_pai_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "run" -d 'What the hook script calls: writes a message above git\'s comment lines in MSGFILE. Always exits 0'
complete -c pai -n "__fish_pai_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pai -n "__fish_pai_using_subcommand context" -s f -l file -d 'Attach a text file (repeatable)' -r -F
complete -c pai -n "__fish_pai_using_subcommand context" -l system -d 'Replace the system prompt' -r
complete -c pai -n "__fish_pai_using_subcommand context" -l role -d 'Answer as this role: its system prompt, settings and sources (`pai role list`)' -r
complete -c pai -n "__fish_pai_using_subcommand context" -s m -l model -d 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]' -r
complete -c pai -n "__fish_pai_using_subcommand context" -l endpoint -d 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model' -r
complete -c pai -n "__fish_pai_using_subcommand context" -l tier -d 'Which tier answers: the local model, the medium or large remote tier from config.toml\'s [tiers], or auto (local first, a remote tier when the local model is unsure)' -r -f -a "local\t''
medium\t''
large\t''
auto\t''"
complete -c pai -n "__fish_pai_using_subcommand context" -l ctx -d 'Context window in tokens (default: what the request needs, up to the model\'s trained length)' -r
complete -c pai -n "__fish_pai_using_subcommand context" -l threads -d 'Threads for prompt processing and generation (default: all cores)' -r
complete -c pai -n "__fish_pai_using_subcommand context" -l gpu-layers -d 'Layers to offload to the GPU (default: all on a GPU build, else 0)' -r
complete -c pai -n "__fish_pai_using_subcommand context" -l lora -d 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together' -r
complete -c pai -n "__fish_pai_using_subcommand context" -s n -l max-tokens -d 'The most tokens to generate' -r
complete -c pai -n "__fish_pai_using_subcommand context" -l temp -d 'Temperature; 0 always picks the most likely token' -r
complete -c pai -n "__fish_pai_using_subcommand context" -l top-k -d 'Keep only the K most likely tokens (0: off)' -r
complete -c pai -n "__fish_pai_using_subcommand context" -l top-p -d 'Keep the most likely tokens up to probability P (1: off)' -r
complete -c pai -n "__fish_pai_using_subcommand context" -l min-p -d 'Drop tokens less likely than P times the most likely one (0: off)' -r
complete -c pai -n "__fish_pai_using_subcommand context" -l repeat-penalty -d 'Penalty for repeating recent tokens (1: off)' -r
complete -c pai -n "__fish_pai_using_subcommand context" -l seed -d 'Seed for sampling; the same seed and input give the same answer' -r
complete -c pai -n "__fish_pai_using_subcommand context" -l stop -d 'Stop when the model writes this text, which is not printed (repeatable)' -r
complete -c pai -n "__fish_pai_using_subcommand context" -l no-context -d 'Send only the prompt and attachments: no excerpts from the index, no profile, no context cell'
complete -c pai -n "__fish_pai_using_subcommand context" -l json -d 'Print one JSON object: window, sections with tokens, sources and the prompt'
complete -c pai -n "__fish_pai_using_subcommand context" -l raw -d 'Print the prompt\'s bytes as they are, escape sequences included'
complete -c pai -n "__fish_pai_using_subcommand context" -l speculate -d 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch\'s rounding can flip a near tie, so a greedy answer may differ)'
complete -c pai -n "__fish_pai_using_subcommand context" -l no-speculate -d 'Decode one token at a time, without drafts'
complete -c pai -n "__fish_pai_using_subcommand context" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand context" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pai -n "__fish_pai_using_subcommand context" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand route" -s f -l file -d 'Attach a text file (repeatable)' -r -F
complete -c pai -n "__fish_pai_using_subcommand route" -l system -d 'Replace the system prompt' -r
complete -c pai -n "__fish_pai_using_subcommand route" -l role -d 'Answer as this role: its system prompt, settings and sources (`pai role list`)' -r
complete -c pai -n "__fish_pai_using_subcommand route" -s m -l model -d 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]' -r
complete -c pai -n "__fish_pai_using_subcommand route" -l endpoint -d 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model' -r
complete -c pai -n "__fish_pai_using_subcommand route" -l tier -d 'Which tier answers: the local model, the medium or large remote tier from config.toml\'s [tiers], or auto (local first, a remote tier when the local model is unsure)' -r -f -a "local\t''
medium\t''
large\t''
auto\t''"
complete -c pai -n "__fish_pai_using_subcommand route" -l ctx -d 'Context window in tokens (default: what the request needs, up to the model\'s trained length)' -r
complete -c pai -n "__fish_pai_using_subcommand route" -l threads -d 'Threads for prompt processing and generation (default: all cores)' -r
complete -c pai -n "__fish_pai_using_subcommand route" -l gpu-layers -d 'Layers to offload to the GPU (default: all on a GPU build, else 0)' -r
complete -c pai -n "__fish_pai_using_subcommand route" -l lora -d 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together' -r
complete -c pai -n "__fish_pai_using_subcommand route" -s n -l max-tokens -d 'The most tokens to generate' -r
complete -c pai -n "__fish_pai_using_subcommand route" -l temp -d 'Temperature; 0 always picks the most likely token' -r
complete -c pai -n "__fish_pai_using_subcommand route" -l top-k -d 'Keep only the K most likely tokens (0: off)' -r
complete -c pai -n "__fish_pai_using_subcommand route" -l top-p -d 'Keep the most likely tokens up to probability P (1: off)' -r
complete -c pai -n "__fish_pai_using_subcommand route" -l min-p -d 'Drop tokens less likely than P times the most likely one (0: off)' -r
complete -c pai -n "__fish_pai_using_subcommand route" -l repeat-penalty -d 'Penalty for repeating recent tokens (1: off)' -r
complete -c pai -n "__fish_pai_using_subcommand route" -l seed -d 'Seed for sampling; the same seed and input give the same answer' -r
complete -c pai -n "__fish_pai_using_subcommand route" -l stop -d 'Stop when the model writes this text, which is not printed (repeatable)' -r
complete -c pai -n "__fish_pai_using_subcommand route" -l no-context -d 'Send only the prompt and attachments: no excerpts from the index, no profile, no context cell'
complete -c pai -n "__fish_pai_using_subcommand route" -l json -d 'Print one JSON object: tier, reason, confidence, signals'
complete -c pai -n "__fish_pai_using_subcommand route" -l speculate -d 'Draft tokens from the prompt and check them in one batch, for answers that copy their input (local models only; off by default: on the small default model it measured slower, and a batch\'s rounding can flip a near tie, so a greedy answer may differ)'
complete -c pai -n "__fish_pai_using_subcommand route" -l no-speculate -d 'Decode one token at a time, without drafts'
complete -c pai -n "__fish_pai_using_subcommand route" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand route" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pai -n "__fish_pai_using_subcommand route" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand role; and not __fish_seen_subcommand_from list show help" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand role; and not __fish_seen_subcommand_from list show help" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand role; and not __fish_seen_subcommand_from list show help" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand role; and not __fish_seen_subcommand_from list show help" -f -a "list" -d 'List the roles: name, description, and where each comes from (shipped, or your file in `roles/` beside config.toml, which overrides a shipped role of the same name)'
complete -c pai -n "__fish_pai_using_subcommand role; and not __fish_seen_subcommand_from list show help" -f -a "show" -d 'Print a role\'s file: its front matter and its prompt'
complete -c pai -n "__fish_pai_using_subcommand role; and not __fish_seen_subcommand_from list show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pai -n "__fish_pai_using_subcommand role; and __fish_seen_subcommand_from list" -l json -d 'Print a JSON array of {name, description, source, path}'
complete -c pai -n "__fish_pai_using_subcommand role; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand role; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand role; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand role; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand role; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand role; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand role; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the roles: name, description, and where each comes from (shipped, or your file in `roles/` beside config.toml, which overrides a shipped role of the same name)'
complete -c pai -n "__fish_pai_using_subcommand role; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print a role\'s file: its front matter and its prompt'
complete -c pai -n "__fish_pai_using_subcommand role; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pai -n "__fish_pai_using_subcommand history; and not __fish_seen_subcommand_from list show search rm export import help" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand history; and not __fish_seen_subcommand_from list show search rm export import help" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand history; and not __fish_seen_subcommand_from list show search rm export import help" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand history; and not __fish_seen_subcommand_from list show search rm export import help" -f -a "list" -d 'List conversations, most recently updated first'
complete -c pai -n "__fish_pai_using_subcommand history; and not __fish_seen_subcommand_from list show search rm export import help" -f -a "show" -d 'Print a conversation as text, each message under its role'
complete -c pai -n "__fish_pai_using_subcommand history; and not __fish_seen_subcommand_from list show search rm export import help" -f -a "search" -d 'Find messages that contain every given word (case and accents ignored; a word also matches the start of a longer one), newest first'
complete -c pai -n "__fish_pai_using_subcommand history; and not __fish_seen_subcommand_from list show search rm export import help" -f -a "rm" -d 'Delete a conversation and its messages'
complete -c pai -n "__fish_pai_using_subcommand history; and not __fish_seen_subcommand_from list show search rm export import help" -f -a "export" -d 'Print a whole conversation as Markdown or JSON'
complete -c pai -n "__fish_pai_using_subcommand history; and not __fish_seen_subcommand_from list show search rm export import help" -f -a "import" -d 'Add a conversation from a JSON export (a file, or stdin) and print its new ID'
complete -c pai -n "__fish_pai_using_subcommand history; and not __fish_seen_subcommand_from list show search rm export import help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from list" -s n -l limit -d 'Show at most this many conversations (0: all of them)' -r
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from list" -l json -d 'Print a JSON array (id, title, model, created, updated, messages) instead of a table'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from search" -s n -l limit -d 'Show at most this many messages (0: all of them)' -r
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from search" -l json -d 'Print a JSON array of {conversation, message} objects'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from search" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from search" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from search" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from rm" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from export" -l format -d 'What to print' -r -f -a "md\t'Markdown, a heading per message'
json\t'Every stored field; `pai history import` reads it back'"
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from export" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from import" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "list" -d 'List conversations, most recently updated first'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print a conversation as text, each message under its role'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "search" -d 'Find messages that contain every given word (case and accents ignored; a word also matches the start of a longer one), newest first'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Delete a conversation and its messages'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "export" -d 'Print a whole conversation as Markdown or JSON'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "import" -d 'Add a conversation from a JSON export (a file, or stdin) and print its new ID'
complete -c pai -n "__fish_pai_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pai -n "__fish_pai_using_subcommand audit" -s n -l limit -d 'Show at most this many rows (0: all of them)' -r
complete -c pai -n "__fish_pai_using_subcommand audit" -l run -d 'Show one `pai agent` run as a transcript: every model call and tool call' -r
complete -c pai -n "__fish_pai_using_subcommand audit" -l json -d 'Print a JSON array of the rows with every stored field instead of a table'
complete -c pai -n "__fish_pai_using_subcommand audit" -l all -d 'Include the requests the local model answered, which never left the machine'
complete -c pai -n "__fish_pai_using_subcommand audit" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand audit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pai -n "__fish_pai_using_subcommand audit" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand stats" -l month -d 'Only that month (UTC), such as 2026-11; its spending is shown against the budgets. Without it: every request recorded, and this month\'s spending' -r
complete -c pai -n "__fish_pai_using_subcommand stats" -l json -d 'Print one JSON object instead of text (local_percent is 0 to 100; dollars are US)'
complete -c pai -n "__fish_pai_using_subcommand stats" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pai -n "__fish_pai_using_subcommand stats" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand search" -s n -l limit -d 'The most results to show' -r
complete -c pai -n "__fish_pai_using_subcommand search" -l path -d 'Only files whose path matches this glob (for example \'*.md\' or \'notes/**\')' -r
complete -c pai -n "__fish_pai_using_subcommand search" -l lang -d 'Only chunks in this language (for example rust, python, markdown; rs and md work too)' -r
complete -c pai -n "__fish_pai_using_subcommand search" -l json -d 'Print a JSON array of hits instead of text'
complete -c pai -n "__fish_pai_using_subcommand search" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand search" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand search" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand remember" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand remember" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pai -n "__fish_pai_using_subcommand remember" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand memory; and not __fish_seen_subcommand_from list search forget edit help" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand memory; and not __fish_seen_subcommand_from list search forget edit help" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand memory; and not __fish_seen_subcommand_from list search forget edit help" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand memory; and not __fish_seen_subcommand_from list search forget edit help" -f -a "list" -d 'List every memory, oldest first'
complete -c pai -n "__fish_pai_using_subcommand memory; and not __fish_seen_subcommand_from list search forget edit help" -f -a "search" -d 'Find memories that contain every given word (case and accents ignored, word forms folded: "codes" finds "code"), best match first'
complete -c pai -n "__fish_pai_using_subcommand memory; and not __fish_seen_subcommand_from list search forget edit help" -f -a "forget" -d 'Delete a memory: it leaves the database and no prompt reads it again'
complete -c pai -n "__fish_pai_using_subcommand memory; and not __fish_seen_subcommand_from list search forget edit help" -f -a "edit" -d 'Change a memory\'s text in $VISUAL or $EDITOR (an empty text changes nothing)'
complete -c pai -n "__fish_pai_using_subcommand memory; and not __fish_seen_subcommand_from list search forget edit help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pai -n "__fish_pai_using_subcommand memory; and __fish_seen_subcommand_from list" -l json -d 'Print a JSON array of {id, text, created, source} instead of a table'
complete -c pai -n "__fish_pai_using_subcommand memory; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand memory; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand memory; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand memory; and __fish_seen_subcommand_from search" -l json -d 'Print a JSON array of {id, text, created, source} instead of a table'
complete -c pai -n "__fish_pai_using_subcommand memory; and __fish_seen_subcommand_from search" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand memory; and __fish_seen_subcommand_from search" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand memory; and __fish_seen_subcommand_from search" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand memory; and __fish_seen_subcommand_from forget" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand memory; and __fish_seen_subcommand_from forget" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand memory; and __fish_seen_subcommand_from forget" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand memory; and __fish_seen_subcommand_from edit" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand memory; and __fish_seen_subcommand_from edit" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand memory; and __fish_seen_subcommand_from edit" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand memory; and __fish_seen_subcommand_from help" -f -a "list" -d 'List every memory, oldest first'
complete -c pai -n "__fish_pai_using_subcommand memory; and __fish_seen_subcommand_from help" -f -a "search" -d 'Find memories that contain every given word (case and accents ignored, word forms folded: "codes" finds "code"), best match first'
complete -c pai -n "__fish_pai_using_subcommand memory; and __fish_seen_subcommand_from help" -f -a "forget" -d 'Delete a memory: it leaves the database and no prompt reads it again'
complete -c pai -n "__fish_pai_using_subcommand memory; and __fish_seen_subcommand_from help" -f -a "edit" -d 'Change a memory\'s text in $VISUAL or $EDITOR (an empty text changes nothing)'
complete -c pai -n "__fish_pai_using_subcommand memory; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pai -n "__fish_pai_using_subcommand redact" -l json -d 'Print one JSON object: text, count, redactions (placeholder and kind) and leaks'
complete -c pai -n "__fish_pai_using_subcommand redact" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand redact" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand redact" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand index; and not __fish_seen_subcommand_from add update status rm watch rebuild help" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand index; and not __fish_seen_subcommand_from add update status rm watch rebuild help" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand index; and not __fish_seen_subcommand_from add update status rm watch rebuild help" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand index; and not __fish_seen_subcommand_from add update status rm watch rebuild help" -f -a "add" -d 'Register folders (or files) as sources and index them. .gitignore, .ignore and hidden files are honoured; binary, oversized and special files are skipped and counted'
complete -c pai -n "__fish_pai_using_subcommand index; and not __fish_seen_subcommand_from add update status rm watch rebuild help" -f -a "update" -d 'Re-index what changed in the sources: new, modified, deleted and renamed files'
complete -c pai -n "__fish_pai_using_subcommand index; and not __fish_seen_subcommand_from add update status rm watch rebuild help" -f -a "status" -d 'Show the sources, what is indexed, and what was skipped and why'
complete -c pai -n "__fish_pai_using_subcommand index; and not __fish_seen_subcommand_from add update status rm watch rebuild help" -f -a "rm" -d 'Stop indexing a source and drop its files from the index'
complete -c pai -n "__fish_pai_using_subcommand index; and not __fish_seen_subcommand_from add update status rm watch rebuild help" -f -a "watch" -d 'Keep the index fresh while this runs: watch every source for changes and, once they have been quiet for a second, run the same incremental update as `pai index update`. Changes in hidden or ignored paths wake nothing. One line per update goes to stderr. Sources added or removed with `pai index add` or `rm` while it runs are followed from then on, without a restart. If another pai holds the index\'s lock, the update waits for it and retries. Ctrl-C stops watching once the update in progress is committed and exits with status 0; a second Ctrl-C stops at once with status 130'
complete -c pai -n "__fish_pai_using_subcommand index; and not __fish_seen_subcommand_from add update status rm watch rebuild help" -f -a "rebuild" -d 'Drop the index and build it again from the sources'
complete -c pai -n "__fish_pai_using_subcommand index; and not __fish_seen_subcommand_from add update status rm watch rebuild help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from add" -l semantic -d 'Also embed each chunk with the `[index] embed_model` sentence encoder, so that search finds it by meaning as well as by words ("type into every pane at once" finds tmux\'s synchronize-panes). Indexing gets far slower (about 25 chunks, 10 KB, a second on 2 cores): meant for notes, not for large trees of code. Adding a source again without it turns it off'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from add" -l private -d 'Mark the sources private: their excerpts are used by the local model only, and a request that carries one never goes to a remote tier. Adding a source again without it makes it shareable'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from update" -l wait -d 'Seconds to wait for another pai that is updating the index before giving up' -r
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from update" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from update" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from status" -l json -d 'Print a JSON object instead of text'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from rm" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from watch" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from watch" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from watch" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from rebuild" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from rebuild" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from rebuild" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from help" -f -a "add" -d 'Register folders (or files) as sources and index them. .gitignore, .ignore and hidden files are honoured; binary, oversized and special files are skipped and counted'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from help" -f -a "update" -d 'Re-index what changed in the sources: new, modified, deleted and renamed files'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show the sources, what is indexed, and what was skipped and why'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Stop indexing a source and drop its files from the index'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from help" -f -a "watch" -d 'Keep the index fresh while this runs: watch every source for changes and, once they have been quiet for a second, run the same incremental update as `pai index update`. Changes in hidden or ignored paths wake nothing. One line per update goes to stderr. Sources added or removed with `pai index add` or `rm` while it runs are followed from then on, without a restart. If another pai holds the index\'s lock, the update waits for it and retries. Ctrl-C stops watching once the update in progress is committed and exits with status 0; a second Ctrl-C stops at once with status 130'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from help" -f -a "rebuild" -d 'Drop the index and build it again from the sources'
complete -c pai -n "__fish_pai_using_subcommand index; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pai -n "__fish_pai_using_subcommand model; and not __fish_seen_subcommand_from add list info default rm pull search help" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand model; and not __fish_seen_subcommand_from add list info default rm pull search help" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand model; and not __fish_seen_subcommand_from add list info default rm pull search help" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand model; and not __fish_seen_subcommand_from add list info default rm pull search help" -f -a "add" -d 'Register a GGUF file that is already on disk (it is not copied): a model, or with --adapter a LoRA adapter for `--lora NAME`'
complete -c pai -n "__fish_pai_using_subcommand model; and not __fish_seen_subcommand_from add list info default rm pull search help" -f -a "list" -d 'List the registered models with what their headers say'
complete -c pai -n "__fish_pai_using_subcommand model; and not __fish_seen_subcommand_from add list info default rm pull search help" -f -a "info" -d 'A registered model\'s name'
complete -c pai -n "__fish_pai_using_subcommand model; and not __fish_seen_subcommand_from add list info default rm pull search help" -f -a "default" -d 'A registered model\'s name'
complete -c pai -n "__fish_pai_using_subcommand model; and not __fish_seen_subcommand_from add list info default rm pull search help" -f -a "rm" -d 'A registered model\'s name'
complete -c pai -n "__fish_pai_using_subcommand model; and not __fish_seen_subcommand_from add list info default rm pull search help" -f -a "pull" -d 'Download a GGUF file over HTTP(S), resuming an interrupted download, and register it: a name from the catalog (`pai model search`) or a URL'
complete -c pai -n "__fish_pai_using_subcommand model; and not __fish_seen_subcommand_from add list info default rm pull search help" -f -a "search" -d 'Search the catalog of well-known GGUF builds that `pai model pull NAME` can fetch'
complete -c pai -n "__fish_pai_using_subcommand model; and not __fish_seen_subcommand_from add list info default rm pull search help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from add" -l adapter -d 'A LoRA adapter\'s .gguf file instead of a model (checked against a model when used)' -r -F
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from add" -l name -d 'The name to use with --model or --lora (default: the file name without .gguf)' -r
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from list" -l json -d 'Print a JSON array instead of a table'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from info" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from info" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from info" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from default" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from default" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from default" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from rm" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from pull" -l sha256 -d 'Refuse the file unless its sha256 is this (64 hex digits)' -r
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from pull" -l name -d 'The name to use with --model (default: the file name without .gguf)' -r
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from pull" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from pull" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from pull" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from search" -l json -d 'Print a JSON array instead of a table'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from search" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from search" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from search" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "add" -d 'Register a GGUF file that is already on disk (it is not copied): a model, or with --adapter a LoRA adapter for `--lora NAME`'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the registered models with what their headers say'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "info" -d 'A registered model\'s name'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "default" -d 'A registered model\'s name'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "rm" -d 'A registered model\'s name'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "pull" -d 'Download a GGUF file over HTTP(S), resuming an interrupted download, and register it: a name from the catalog (`pai model search`) or a URL'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "search" -d 'Search the catalog of well-known GGUF builds that `pai model pull NAME` can fetch'
complete -c pai -n "__fish_pai_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pai -n "__fish_pai_using_subcommand learn; and not __fish_seen_subcommand_from export help" -l from-git -d 'Learn from a repository\'s history: each commit\'s condensed diff and its message' -r -F
complete -c pai -n "__fish_pai_using_subcommand learn; and not __fish_seen_subcommand_from export help" -l since -d 'Only what is newer than DATE (YYYY-MM-DD), or, alone, than the last run; starts from the last learned model' -r
complete -c pai -n "__fish_pai_using_subcommand learn; and not __fish_seen_subcommand_from export help" -l base -d 'Start from this model (a registered name or a .gguf path); default: the last learned result with --since, else the default model' -r
complete -c pai -n "__fish_pai_using_subcommand learn; and not __fish_seen_subcommand_from export help" -l steps -d 'Stop after this many training steps (one window each)' -r
complete -c pai -n "__fish_pai_using_subcommand learn; and not __fish_seen_subcommand_from export help" -l minutes -d 'Take at most this many minutes in all, from now to the registered result: preparing, training, its checks, judging the result and choosing the adapter\'s rank share them' -r
complete -c pai -n "__fish_pai_using_subcommand learn; and not __fish_seen_subcommand_from export help" -l epochs -d 'Passes over the training set' -r
complete -c pai -n "__fish_pai_using_subcommand learn; and not __fish_seen_subcommand_from export help" -l check-every -d 'Check the weights on the validation writing every N steps and keep the best (0: only the end counts)' -r
complete -c pai -n "__fish_pai_using_subcommand learn; and not __fish_seen_subcommand_from export help" -l keep -d 'What to register: an adapter on the base when it keeps the gain (auto), always an adapter, or the whole model' -r -f -a "auto\t'The smallest adapter that keeps 95% of the whole model\'s gain, else the whole model'
adapter\t'An adapter: the smallest that keeps 95% of the gain, else the largest tried'
model\t'The whole model, with no adapter made'"
complete -c pai -n "__fish_pai_using_subcommand learn; and not __fish_seen_subcommand_from export help" -l learning-rate -d 'AdamW\'s learning rate' -r
complete -c pai -n "__fish_pai_using_subcommand learn; and not __fish_seen_subcommand_from export help" -l window -d 'Tokens per training window (a multiple of 256)' -r
complete -c pai -n "__fish_pai_using_subcommand learn; and not __fish_seen_subcommand_from export help" -l threads -d 'CPU threads (default: the idle cores)' -r
complete -c pai -n "__fish_pai_using_subcommand learn; and not __fish_seen_subcommand_from export help" -l from-notes -d 'Learn from the indexed notes (prose files under `pai index` sources); the default when no --from-git is given'
complete -c pai -n "__fish_pai_using_subcommand learn; and not __fish_seen_subcommand_from export help" -l dry-run -d 'Print what would be trained on and the time the whole run should take; train nothing'
complete -c pai -n "__fish_pai_using_subcommand learn; and not __fish_seen_subcommand_from export help" -l foreground -d 'Train at normal priority (someone is waiting for it), not at the lowest CPU and I/O priority'
complete -c pai -n "__fish_pai_using_subcommand learn; and not __fish_seen_subcommand_from export help" -l json -d 'With --dry-run or after training: JSON on stdout (the report, with each phase\'s time)'
complete -c pai -n "__fish_pai_using_subcommand learn; and not __fish_seen_subcommand_from export help" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand learn; and not __fish_seen_subcommand_from export help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pai -n "__fish_pai_using_subcommand learn; and not __fish_seen_subcommand_from export help" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand learn; and not __fish_seen_subcommand_from export help" -f -a "export" -d 'Write the training set as chat-format JSONL, for training elsewhere'
complete -c pai -n "__fish_pai_using_subcommand learn; and not __fish_seen_subcommand_from export help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pai -n "__fish_pai_using_subcommand learn; and __fish_seen_subcommand_from export" -l from-git -d 'Learn from a repository\'s history: each commit\'s condensed diff and its message' -r -F
complete -c pai -n "__fish_pai_using_subcommand learn; and __fish_seen_subcommand_from export" -l since -d 'Only what is newer than DATE (YYYY-MM-DD), or, alone, than the last run; starts from the last learned model' -r
complete -c pai -n "__fish_pai_using_subcommand learn; and __fish_seen_subcommand_from export" -l from-notes -d 'Learn from the indexed notes (prose files under `pai index` sources); the default when no --from-git is given'
complete -c pai -n "__fish_pai_using_subcommand learn; and __fish_seen_subcommand_from export" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand learn; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand learn; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand learn; and __fish_seen_subcommand_from help" -f -a "export" -d 'Write the training set as chat-format JSONL, for training elsewhere'
complete -c pai -n "__fish_pai_using_subcommand learn; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pai -n "__fish_pai_using_subcommand config; and not __fish_seen_subcommand_from path show example init help" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand config; and not __fish_seen_subcommand_from path show example init help" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand config; and not __fish_seen_subcommand_from path show example init help" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand config; and not __fish_seen_subcommand_from path show example init help" -f -a "path" -d 'Print the path of config.toml (it may not exist yet)'
complete -c pai -n "__fish_pai_using_subcommand config; and not __fish_seen_subcommand_from path show example init help" -f -a "show" -d 'Print the effective configuration: defaults, then config.toml, then PAI_MODEL'
complete -c pai -n "__fish_pai_using_subcommand config; and not __fish_seen_subcommand_from path show example init help" -f -a "example" -d 'Print a commented example config.toml with every setting and its default'
complete -c pai -n "__fish_pai_using_subcommand config; and not __fish_seen_subcommand_from path show example init help" -f -a "init" -d 'Write the commented example to config.toml and a profile.md template, leaving existing files alone'
complete -c pai -n "__fish_pai_using_subcommand config; and not __fish_seen_subcommand_from path show example init help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pai -n "__fish_pai_using_subcommand config; and __fish_seen_subcommand_from path" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand config; and __fish_seen_subcommand_from path" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand config; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand config; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand config; and __fish_seen_subcommand_from example" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand config; and __fish_seen_subcommand_from example" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand config; and __fish_seen_subcommand_from example" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand config; and __fish_seen_subcommand_from init" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand config; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand config; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the path of config.toml (it may not exist yet)'
complete -c pai -n "__fish_pai_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the effective configuration: defaults, then config.toml, then PAI_MODEL'
complete -c pai -n "__fish_pai_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "example" -d 'Print a commented example config.toml with every setting and its default'
complete -c pai -n "__fish_pai_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "init" -d 'Write the commented example to config.toml and a profile.md template, leaving existing files alone'
complete -c pai -n "__fish_pai_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pai -n "__fish_pai_using_subcommand serve" -l host -d 'The address to listen on; anything but a loopback address needs --api-key-file' -r
complete -c pai -n "__fish_pai_using_subcommand serve" -l port -d 'The port to listen on' -r
complete -c pai -n "__fish_pai_using_subcommand serve" -l api-key-file -d 'A file holding the API key that clients must send as `Authorization: Bearer KEY`' -r -F
complete -c pai -n "__fish_pai_using_subcommand serve" -l parallel -d 'Answers generated at once, batched in one context (each with the --ctx window); a sentence encoder takes 1 (it embeds all of a request\'s inputs in one batch), and its --ctx is the most tokens an input may have' -r
complete -c pai -n "__fish_pai_using_subcommand serve" -l queue -d 'Requests that may wait while one runs; more get 429 with Retry-After' -r
complete -c pai -n "__fish_pai_using_subcommand serve" -l cors-origin -d 'An origin that browsers may call from, such as http://localhost:3000 (repeatable)' -r
complete -c pai -n "__fish_pai_using_subcommand serve" -l allow-host -d 'A name or address clients may use in the Host header besides localhost, loopback addresses and --host (repeatable); others are refused, against DNS rebinding' -r
complete -c pai -n "__fish_pai_using_subcommand serve" -s m -l model -d 'The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL]' -r
complete -c pai -n "__fish_pai_using_subcommand serve" -l endpoint -d 'Answer with a named OpenAI-compatible server from config.toml ([endpoints.NAME]) instead of a local model' -r
complete -c pai -n "__fish_pai_using_subcommand serve" -l tier -d 'Which tier answers: the local model, the medium or large remote tier from config.toml\'s [tiers], or auto (local first, a remote tier when the local model is unsure)' -r -f -a "local\t''
medium\t''
large\t''
auto\t''"
complete -c pai -n "__fish_pai_using_subcommand serve" -l ctx -d 'Context window in tokens (default: what the request needs, up to the model\'s trained length)' -r
complete -c pai -n "__fish_pai_using_subcommand serve" -l threads -d 'Threads for prompt processing and generation (default: all cores)' -r
complete -c pai -n "__fish_pai_using_subcommand serve" -l gpu-layers -d 'Layers to offload to the GPU (default: all on a GPU build, else 0)' -r
complete -c pai -n "__fish_pai_using_subcommand serve" -l lora -d 'A LoRA adapter on the model: a file or a name from `pai model list`, with an optional scale (default 1.0; 0 turns it off). Repeatable: several adapters apply together' -r
complete -c pai -n "__fish_pai_using_subcommand serve" -l log-bodies -d 'Write prompts and answers to the access log on stderr (off: only sizes and timings)'
complete -c pai -n "__fish_pai_using_subcommand serve" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pai -n "__fish_pai_using_subcommand serve" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand service; and not __fish_seen_subcommand_from install uninstall help" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand service; and not __fish_seen_subcommand_from install uninstall help" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand service; and not __fish_seen_subcommand_from install uninstall help" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand service; and not __fish_seen_subcommand_from install uninstall help" -f -a "install" -d 'Keep `pai index watch` running and run `pai learn --since` every night'
complete -c pai -n "__fish_pai_using_subcommand service; and not __fish_seen_subcommand_from install uninstall help" -f -a "uninstall" -d 'Stop and remove what `install` wrote'
complete -c pai -n "__fish_pai_using_subcommand service; and not __fish_seen_subcommand_from install uninstall help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pai -n "__fish_pai_using_subcommand service; and __fish_seen_subcommand_from install" -l learn-at -d 'When to learn, local time (HH:MM)' -r
complete -c pai -n "__fish_pai_using_subcommand service; and __fish_seen_subcommand_from install" -l from-git -d 'Also learn from this repository\'s new commits (repeatable)' -r -F
complete -c pai -n "__fish_pai_using_subcommand service; and __fish_seen_subcommand_from install" -l no-enable -d 'Write the files only; do not ask systemd or launchd to start them'
complete -c pai -n "__fish_pai_using_subcommand service; and __fish_seen_subcommand_from install" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand service; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand service; and __fish_seen_subcommand_from install" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand service; and __fish_seen_subcommand_from uninstall" -l no-enable -d 'Remove the files only; do not ask systemd or launchd to stop them'
complete -c pai -n "__fish_pai_using_subcommand service; and __fish_seen_subcommand_from uninstall" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand service; and __fish_seen_subcommand_from uninstall" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand service; and __fish_seen_subcommand_from uninstall" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand service; and __fish_seen_subcommand_from help" -f -a "install" -d 'Keep `pai index watch` running and run `pai learn --since` every night'
complete -c pai -n "__fish_pai_using_subcommand service; and __fish_seen_subcommand_from help" -f -a "uninstall" -d 'Stop and remove what `install` wrote'
complete -c pai -n "__fish_pai_using_subcommand service; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pai -n "__fish_pai_using_subcommand mcp" -l host -d 'With --http: the address to listen on; anything but a loopback address needs --api-key-file' -r
complete -c pai -n "__fish_pai_using_subcommand mcp" -l port -d 'With --http: the port to listen on' -r
complete -c pai -n "__fish_pai_using_subcommand mcp" -l api-key-file -d 'With --http: a file holding the key clients must send as `Authorization: Bearer KEY`' -r -F
complete -c pai -n "__fish_pai_using_subcommand mcp" -l allow-host -d 'With --http: a name or address clients may use in the Host header besides localhost, loopback addresses and --host (repeatable); others are refused, against DNS rebinding' -r
complete -c pai -n "__fish_pai_using_subcommand mcp" -l allow-origin -d 'With --http: the origin of a web page that may call the server, such as http://localhost:3000 (repeatable); pages of other origins are refused' -r
complete -c pai -n "__fish_pai_using_subcommand mcp" -l http -d 'Serve over HTTP (Streamable HTTP, one endpoint: /mcp) instead of stdin and stdout'
complete -c pai -n "__fish_pai_using_subcommand mcp" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand mcp" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pai -n "__fish_pai_using_subcommand mcp" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand bench" -s m -l model -d 'The model: a registered name or a path (default: the default model)' -r
complete -c pai -n "__fish_pai_using_subcommand bench" -l prompt-file -d 'A text file whose content is the prompt, as it is (default: a built-in 400-token text)' -r -F
complete -c pai -n "__fish_pai_using_subcommand bench" -l gen -d 'Tokens to generate' -r
complete -c pai -n "__fish_pai_using_subcommand bench" -l threads -d 'Threads (default: all cores)' -r
complete -c pai -n "__fish_pai_using_subcommand bench" -l gpu-layers -d 'Layers to offload to the GPU (default: all on a GPU build, else 0)' -r
complete -c pai -n "__fish_pai_using_subcommand bench" -l lora -d 'Also time switching to this LoRA adapter on the loaded model, first when its file is read and again once it is loaded (repeatable; the base model is never loaded again)' -r
complete -c pai -n "__fish_pai_using_subcommand bench" -l spec -d 'Also generate with prompt-lookup drafts (`[speculation]` in config.toml), after a plain run, both greedy to the end of the answer (at most --gen tokens): reports drafted and accepted tokens, both speeds, and whether the outputs are the same'
complete -c pai -n "__fish_pai_using_subcommand bench" -l json -d 'Print one JSON object'
complete -c pai -n "__fish_pai_using_subcommand bench" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand bench" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand bench" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand doctor" -l generate-child -d 'The self-test\'s child process: generate one token from this model file' -r -F
complete -c pai -n "__fish_pai_using_subcommand doctor" -l load-child -d 'The first-load child (models::firstload): load this file once, as llama.cpp will' -r -F
complete -c pai -n "__fish_pai_using_subcommand doctor" -l load-base -d 'With --load-child: the model the adapter is loaded on' -r -F
complete -c pai -n "__fish_pai_using_subcommand doctor" -l json -d 'Print one JSON object: every check, and the generation self-test'
complete -c pai -n "__fish_pai_using_subcommand doctor" -l no-generate -d 'Skip the generation self-test (it loads the model in use once)'
complete -c pai -n "__fish_pai_using_subcommand doctor" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c pai -n "__fish_pai_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand completions" -s v -l verbose -d 'Show llama.cpp\'s logs and timings on stderr'
complete -c pai -n "__fish_pai_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pai -n "__fish_pai_using_subcommand completions" -s V -l version -d 'Print version'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "agent" -d 'Carry out a task with tools: search, read, list, grep, run (sandboxed), edit, remember, recall'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "ask" -d 'Ask a question and stream the answer to stdout'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "chat" -d 'Talk with the model in a full-screen chat that streams, shows its sources and remembers'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "commit" -d 'Write a commit message for the staged changes to stdout'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "commit-eval"
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "edit" -d 'Rewrite the text on stdin as the instruction says; print only the replacement'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "explain" -d 'Explain the text or code on stdin'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "complete" -d 'Continue the text or code on stdin; print only the continuation'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "shell" -d 'Propose a shell command for a task, explain it, and run it once you confirm'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "sandbox" -d 'Run a command in a sandbox: it may read anything, but write only in the working folder, its own temp folder ($TMPDIR) and --allow-write folders, and not use TCP unless --net'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "hook"
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "context" -d 'Show what the model would read for this question, and how many tokens each part takes'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "route" -d 'Explain which tier would answer a request and why, without calling any remote'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "role" -d 'Specialists for recurring jobs: markdown files with TOML front matter (docs/roles.md)'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "history" -d 'Browse, search, export and remove saved conversations'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "audit" -d 'Show the audit log: the requests that left this machine, newest first'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "stats" -d 'Sum the audit log: requests, the local share, cost, cost avoided, and the budgets'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "search" -d 'Search the indexed folders. Words are stemmed and stop words ignored; "quoted words" must appear as a phrase, and word* matches a prefix'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "remember" -d 'Remember a fact about you; pai puts it in front of the model when a question is about it'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "memory" -d 'List, search, edit and forget what `pai remember` kept'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "redact" -d 'Show what would leave the machine: stdin with secrets (keys, tokens, passwords, private keys) replaced by placeholders such as [REDACTED_AWS_ACCESS_KEY_1]'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "index" -d 'Manage the full-text index over your notes and code'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "model" -d 'Manage the registry of GGUF models'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "learn" -d 'Teach the local model how you write: your notes and your commit messages'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "config" -d 'Show where pai\'s configuration is and what it says'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "serve" -d 'Serve the model over an OpenAI-compatible HTTP API (see docs/serve.md)'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "service"
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "mcp" -d 'Serve the indexed notes to AI agents over the Model Context Protocol'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "bench" -d 'Measure load time, prompt processing and generation speed on this machine'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "doctor" -d 'Check the build, the configuration, the paths, the model files, and that the model in use generates a token on this CPU'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "completions" -d 'Print a completion script for SHELL to stdout'
complete -c pai -n "__fish_pai_using_subcommand help; and not __fish_seen_subcommand_from agent ask chat commit commit-eval edit explain complete shell sandbox hook context route role history audit stats search remember memory redact index model learn config serve service mcp bench doctor completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from commit-eval" -f -a "export" -d 'Write commits of this repository as evaluation cases, a JSON array on stdout'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from commit-eval" -f -a "run" -d 'Write a message for every case in FILES, one JSON line per message on stdout'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from hook" -f -a "install" -d 'Add the prepare-commit-msg hook to this repository: `git commit` then opens the editor with a message written from the staged changes'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from hook" -f -a "uninstall" -d 'Remove pai\'s hook from this repository and restore the hook it replaced'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from hook" -f -a "run" -d 'What the hook script calls: writes a message above git\'s comment lines in MSGFILE. Always exits 0'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from role" -f -a "list" -d 'List the roles: name, description, and where each comes from (shipped, or your file in `roles/` beside config.toml, which overrides a shipped role of the same name)'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from role" -f -a "show" -d 'Print a role\'s file: its front matter and its prompt'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from history" -f -a "list" -d 'List conversations, most recently updated first'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from history" -f -a "show" -d 'Print a conversation as text, each message under its role'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from history" -f -a "search" -d 'Find messages that contain every given word (case and accents ignored; a word also matches the start of a longer one), newest first'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from history" -f -a "rm" -d 'Delete a conversation and its messages'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from history" -f -a "export" -d 'Print a whole conversation as Markdown or JSON'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from history" -f -a "import" -d 'Add a conversation from a JSON export (a file, or stdin) and print its new ID'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from memory" -f -a "list" -d 'List every memory, oldest first'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from memory" -f -a "search" -d 'Find memories that contain every given word (case and accents ignored, word forms folded: "codes" finds "code"), best match first'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from memory" -f -a "forget" -d 'Delete a memory: it leaves the database and no prompt reads it again'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from memory" -f -a "edit" -d 'Change a memory\'s text in $VISUAL or $EDITOR (an empty text changes nothing)'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from index" -f -a "add" -d 'Register folders (or files) as sources and index them. .gitignore, .ignore and hidden files are honoured; binary, oversized and special files are skipped and counted'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from index" -f -a "update" -d 'Re-index what changed in the sources: new, modified, deleted and renamed files'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from index" -f -a "status" -d 'Show the sources, what is indexed, and what was skipped and why'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from index" -f -a "rm" -d 'Stop indexing a source and drop its files from the index'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from index" -f -a "watch" -d 'Keep the index fresh while this runs: watch every source for changes and, once they have been quiet for a second, run the same incremental update as `pai index update`. Changes in hidden or ignored paths wake nothing. One line per update goes to stderr. Sources added or removed with `pai index add` or `rm` while it runs are followed from then on, without a restart. If another pai holds the index\'s lock, the update waits for it and retries. Ctrl-C stops watching once the update in progress is committed and exits with status 0; a second Ctrl-C stops at once with status 130'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from index" -f -a "rebuild" -d 'Drop the index and build it again from the sources'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from model" -f -a "add" -d 'Register a GGUF file that is already on disk (it is not copied): a model, or with --adapter a LoRA adapter for `--lora NAME`'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from model" -f -a "list" -d 'List the registered models with what their headers say'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from model" -f -a "info" -d 'A registered model\'s name'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from model" -f -a "default" -d 'A registered model\'s name'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from model" -f -a "rm" -d 'A registered model\'s name'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from model" -f -a "pull" -d 'Download a GGUF file over HTTP(S), resuming an interrupted download, and register it: a name from the catalog (`pai model search`) or a URL'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from model" -f -a "search" -d 'Search the catalog of well-known GGUF builds that `pai model pull NAME` can fetch'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from learn" -f -a "export" -d 'Write the training set as chat-format JSONL, for training elsewhere'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Print the path of config.toml (it may not exist yet)'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Print the effective configuration: defaults, then config.toml, then PAI_MODEL'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "example" -d 'Print a commented example config.toml with every setting and its default'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "init" -d 'Write the commented example to config.toml and a profile.md template, leaving existing files alone'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from service" -f -a "install" -d 'Keep `pai index watch` running and run `pai learn --since` every night'
complete -c pai -n "__fish_pai_using_subcommand help; and __fish_seen_subcommand_from service" -f -a "uninstall" -d 'Stop and remove what `install` wrote'
