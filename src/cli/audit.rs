//! `pai audit`: the audit log, newest first. It opens only the database and never creates it:
//! without `pai.db` nothing has been routed. Names and models in the log came from config files
//! and servers, so the table sanitizes them; `--json` keeps them exact, escaped.
use std::io::Write;

use super::history::{existing, to_json};
use super::Ctx;
use crate::cli::error::CliError;
use crate::render::sanitize_line;
use crate::store::calls::CallRow;

/// Show the audit log: the requests that left this machine, newest first.
///
/// Each row: when (local time), the tier and endpoint, the model, tokens in and out, the cost at
/// the prices configured then, how many secrets were redacted, the outcome, and the start of the
/// sha256 of what was sent.
///
/// Outcomes: ok; failed; fallback (the remote tier failed and the local model answered);
/// escalated (the local model was unsure and the remote tier answered). The payload itself is
/// kept only with `[router] audit_payloads = true`; `--json` shows it then.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print a JSON array of the rows with every stored field instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Show at most this many rows (0: all of them).
    #[arg(short = 'n', long, default_value_t = 20, value_name = "N")]
    pub limit: usize,
    /// Include the requests the local model answered, which never left the machine.
    #[arg(long)]
    pub all: bool,
    /// Show one `pai agent` run as a transcript: every model call and tool call.
    #[arg(long, value_name = "ID")]
    pub run: Option<i64>,
}

/// Names and models longer than this are cut in the table (not in JSON).
const NAME_CHARS: usize = 24;

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    if let Some(id) = args.run {
        return super::audit_run::show(ctx, id, args.json);
    }
    let limit = if args.limit == 0 {
        usize::MAX
    } else {
        args.limit
    };
    let rows = match existing(ctx)? {
        Some(store) => store.calls(limit, !args.all)?,
        None => Vec::new(),
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", to_json(&rows))?;
    }
    if rows.is_empty() {
        if args.all {
            eprintln!("pai: the audit log is empty: no request has been routed yet");
        } else {
            eprintln!(
                "pai: no request has left this machine; `pai audit --all` includes local ones"
            );
        }
        return Ok(());
    }
    if !args.json {
        write_table(&mut out, &rows)?;
    }
    Ok(())
}

fn write_table(out: &mut impl Write, rows: &[CallRow]) -> std::io::Result<()> {
    const HEADER: [&str; 10] = [
        "TIME", "TIER", "ENDPOINT", "MODEL", "IN", "OUT", "COST", "REDACTED", "OUTCOME", "SHA256",
    ];
    // Numbers line up on the right.
    const RIGHT: [bool; 10] = [
        false, false, false, false, true, true, true, true, false, false,
    ];
    let cells: Vec<[String; 10]> = rows
        .iter()
        .map(|r| {
            [
                local_time(&r.created),
                sanitize_line(&r.tier),
                cut(r.endpoint.as_deref().unwrap_or("-")),
                cut(&r.model),
                r.tokens_in.to_string(),
                r.tokens_out.to_string(),
                usd(r.cost_usd),
                r.redactions.to_string(),
                sanitize_line(&r.outcome),
                r.payload_sha256
                    .as_deref()
                    .map(|h| sanitize_line(&h.chars().take(12).collect::<String>()))
                    .unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    let mut widths = HEADER.map(|h| h.chars().count());
    for row in &cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 10]| {
        let mut line = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(cell.chars().count());
            if i > 0 {
                line.push_str("  ");
            }
            if RIGHT[i] {
                line.extend(std::iter::repeat_n(' ', pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                if i + 1 < cells.len() {
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
        }
        line
    };
    writeln!(out, "{}", line(HEADER))?;
    for row in &cells {
        writeln!(out, "{}", line(row.each_ref().map(String::as_str)))?;
    }
    Ok(())
}

/// Dollars for people: cents above a dollar, otherwise up to six decimals without trailing
/// zeros (a call costs fractions of a cent).
pub(super) fn usd(amount: f64) -> String {
    if amount >= 1.0 {
        return format!("${amount:.2}");
    }
    let text = format!("{amount:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "0" || text.is_empty() {
        "$0".into()
    } else {
        format!("${text}")
    }
}

/// A stored UTC time as local "YYYY-MM-DD HH:MM:SS"; anything unparsable is shown as it is.
fn local_time(stored: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(stored) {
        Ok(t) => t
            .with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string(),
        Err(_) => sanitize_line(stored),
    }
}

/// One line, at most `NAME_CHARS` characters.
fn cut(text: &str) -> String {
    let clean = sanitize_line(text);
    if clean.chars().count() <= NAME_CHARS {
        return clean;
    }
    let mut short: String = clean.chars().take(NAME_CHARS - 1).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_read_as_dollars() {
        assert_eq!(usd(0.0), "$0");
        assert_eq!(usd(0.00015), "$0.00015");
        assert_eq!(usd(0.0081), "$0.0081");
        assert_eq!(usd(0.5), "$0.5");
        assert_eq!(usd(1.0), "$1.00");
        assert_eq!(usd(12.345), "$12.35");
        assert_eq!(usd(0.0000001), "$0", "below a millionth of a dollar");
    }

    #[test]
    fn long_names_are_cut_and_cleaned() {
        assert_eq!(cut("gpt\x1b[31m"), "gpt[31m");
        let long = cut(&"m".repeat(40));
        assert_eq!(long.chars().count(), NAME_CHARS);
        assert!(long.ends_with('…'));
    }
}
