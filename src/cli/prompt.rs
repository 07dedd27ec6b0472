//! What `ask` and `context` share: turning the prompt words, `-f` files and stdin into a
//! `context::Request`. `pai context` prints exactly what `pai ask` would send.
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use crate::cli::error::CliError;
use crate::pipeline::{Attachment, Request};

/// The words, files and switches that make up a request.
#[derive(Debug, Clone, clap::Args)]
pub struct PromptArgs {
    /// The question or instruction (several words are joined with spaces).
    #[arg(value_name = "PROMPT")]
    pub prompt: Vec<String>,
    /// Attach a text file (repeatable).
    #[arg(short, long = "file", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Replace the system prompt.
    #[arg(long, value_name = "TEXT")]
    pub system: Option<String>,
    /// Send only the prompt and attachments: no excerpts from the index, no profile, no context cell.
    #[arg(long)]
    pub no_context: bool,
    /// Whether excerpts from the index are gathered (not a flag: `shell` leaves them out
    /// unless --context).
    #[arg(skip = true)]
    pub excerpts: bool,
    /// Globs the excerpts' paths must match (a role's scope; not a flag).
    #[arg(skip)]
    pub scope: Vec<String>,
}

impl PromptArgs {
    /// The flags under a role: its prompt unless --system, its scope, and no context at all
    /// when the role says `context = false`.
    pub fn with_role(&self, role: Option<&crate::roles::Role>) -> Self {
        let mut args = self.clone();
        if let Some(role) = role {
            args.system = args.system.or_else(|| Some(role.prompt.clone()));
            args.no_context |= !role.context;
            args.scope = role.scope.clone();
        }
        args
    }
}

/// The largest stdin or file pai attaches; more is almost surely a mistake.
const MAX_ATTACHMENT_BYTES: u64 = 64 << 20;

/// The request as the user gave it, before anything is gathered.
pub fn read_request(args: &PromptArgs) -> Result<Request, CliError> {
    let mut request = Request {
        question: args.prompt.join(" "),
        system: args.system.clone(),
        ..Request::default()
    };
    for path in &args.files {
        request.attachments.push(Attachment {
            label: path.display().to_string(),
            text: read_text_file(path)?,
        });
    }
    match read_stdin()? {
        // `echo "what is 2+2?" | pai ask`: stdin is the question itself.
        Some(text) if request.question.trim().is_empty() && request.attachments.is_empty() => {
            request.question = text
        }
        Some(text) => request.attachments.push(Attachment {
            label: "stdin".into(),
            text,
        }),
        None => {}
    }
    if request.question.trim().is_empty() {
        if request.attachments.is_empty() {
            return Err(CliError::user(
                "there is nothing to ask: the prompt is empty and nothing came on stdin",
            )
            .hint("pai ask \"your question\", or pipe text in: pai ask \"summarize\" < file.txt"));
        }
        request.question = "Respond to the attached text.".into();
    }
    Ok(request)
}

/// stdin's text when it is a pipe or file; None when it is a terminal or empty.
fn read_stdin() -> Result<Option<String>, CliError> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok(None);
    }
    let mut bytes = Vec::new();
    stdin
        .lock()
        .take(MAX_ATTACHMENT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::user(format!("cannot read stdin: {e}")))?;
    let text = decode_text(bytes, "stdin")?;
    Ok(Some(text).filter(|t| !t.trim().is_empty()))
}

fn read_text_file(path: &Path) -> Result<String, CliError> {
    let shown = path.display();
    let file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => CliError::user(format!("{shown} does not exist")),
        _ => CliError::user(format!("cannot read {shown}: {e}")),
    })?;
    if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(CliError::user(format!(
            "{shown} is a folder; -f attaches files"
        )));
    }
    let mut bytes = Vec::new();
    file.take(MAX_ATTACHMENT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::user(format!("cannot read {shown}: {e}")))?;
    decode_text(bytes, &shown.to_string())
}

/// Text from bytes: NUL bytes mean binary data, which a language model cannot read.
fn decode_text(bytes: Vec<u8>, what: &str) -> Result<String, CliError> {
    if bytes.len() as u64 > MAX_ATTACHMENT_BYTES {
        return Err(CliError::user(format!(
            "{what} is over {} MiB, more than any model's context window can hold",
            MAX_ATTACHMENT_BYTES >> 20
        )));
    }
    if bytes.contains(&0) {
        return Err(CliError::user(format!(
            "{what} looks like binary data ({} bytes with NUL bytes), not text",
            bytes.len()
        ))
        .hint(
            "attach text; for a PDF or an image, convert it to text first (pdftotext, tesseract)",
        ));
    }
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}
