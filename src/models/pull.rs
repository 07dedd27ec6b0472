//! Downloading a model over HTTP(S): into `NAME.part` beside the other models, resumed with a
//! Range request when a part is already there, checked against a sha256 when one is given,
//! and registered only once complete and verified.
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::error::Error;

pub struct Download {
    pub path: PathBuf,
    pub sha256: String,
}

/// What the front end shows of a download while it runs; nothing here prints.
pub trait Progress {
    /// The bytes start to arrive: `start` of them were already in the part, of `total` when
    /// the server says how many there are.
    fn begin(&mut self, total: Option<u64>, start: u64);
    /// `received` bytes are in the part now.
    fn advance(&mut self, received: u64);
    /// The download stopped before the end (an error, Ctrl-C).
    fn abandon(&mut self);
    /// Every byte arrived.
    fn finish(&mut self);
}

/// The file name a URL points at, without query or fragment.
pub fn file_name(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next()?;
    let name = path.rsplit('/').next()?;
    let ok = !name.is_empty() && !name.starts_with('.') && !name.contains('\\');
    ok.then(|| name.to_string())
}

/// Fetches `url` into `dir`, resuming a previous partial download, telling `progress` how
/// far it is.
pub fn fetch(
    url: &str,
    dir: &Path,
    expected_sha256: Option<&str>,
    cancel: &crate::cancel::CancelToken,
    progress: &mut dyn Progress,
) -> Result<Download, Error> {
    let name = file_name(url).ok_or_else(|| {
        Error::user(format!("{url} does not name a file to download"))
            .hint("give the URL of a .gguf file")
    })?;
    std::fs::create_dir_all(dir)?;
    let part = dir.join(format!("{name}.part"));
    let have = std::fs::metadata(&part).map(|m| m.len()).unwrap_or(0);
    let agent = ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(20))
        .timeout_read(Duration::from_secs(60))
        .build();
    let mut request = agent.get(url);
    if have > 0 {
        request = request.set("Range", &format!("bytes={have}-"));
    }
    match request.call() {
        Ok(response) => receive(response, &part, have, cancel, progress)?,
        // The part already holds the whole file: only the checks remain.
        Err(ureq::Error::Status(416, _)) if have > 0 => {}
        Err(ureq::Error::Status(code, response)) => {
            return Err(
                Error::user(format!("{url} answered {code} {}", response.status_text()))
                    .hint("check the URL"),
            )
        }
        Err(e) => {
            return Err(Error::user(format!("cannot reach {url}: {e}")).hint(kept_hint(&part, have)))
        }
    }
    let sha256 = sha256_of(&part)?;
    if let Some(expected) = expected_sha256 {
        if !sha256.eq_ignore_ascii_case(expected.trim()) {
            return Err(Error::user(format!(
                "the download's sha256 is {sha256}, not the expected {}",
                expected.trim()
            ))
            .hint(format!(
                "it was not registered; the file is kept at {} (delete it to download again)",
                part.display()
            )));
        }
    }
    let path = dir.join(&name);
    std::fs::rename(&part, &path)?;
    Ok(Download { path, sha256 })
}

fn kept_hint(part: &Path, have: u64) -> String {
    if have > 0 || part.exists() {
        format!(
            "what arrived is kept in {}: run the same command again to resume",
            part.display()
        )
    } else {
        "check the URL and your network, then run the same command again".to_string()
    }
}

fn receive(
    response: ureq::Response,
    part: &Path,
    have: u64,
    cancel: &crate::cancel::CancelToken,
    progress: &mut dyn Progress,
) -> Result<(), Error> {
    // 206 continues the part; 200 means the server ignored the range and sends it all.
    let resumed = response.status() == 206 && have > 0;
    let start = if resumed { have } else { 0 };
    let total = response
        .header("Content-Length")
        .and_then(|n| n.parse::<u64>().ok())
        .map(|n| n + start);
    let mut file = OpenOptions::new()
        .create(true)
        .write(true)
        .append(resumed)
        .truncate(!resumed)
        .open(part)?;
    progress.begin(total, start);
    let mut reader = response.into_reader();
    let mut buf = vec![0u8; 1 << 16];
    let mut received = start;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                file.flush()?;
                progress.abandon();
                return Err(interrupted(part, received, total, &e.to_string()));
            }
        };
        file.write_all(&buf[..n])?;
        received += n as u64;
        progress.advance(received);
        if cancel.is_cancelled() {
            file.flush()?;
            progress.abandon();
            return Err(Error::interrupted().hint(kept_hint(part, received)));
        }
    }
    file.sync_all()?;
    progress.finish();
    match total {
        Some(total) if received < total => Err(interrupted(
            part,
            received,
            Some(total),
            "the connection closed early",
        )),
        _ => Ok(()),
    }
}

fn interrupted(part: &Path, received: u64, total: Option<u64>, why: &str) -> Error {
    let of = total.map(|t| format!(" of {t}")).unwrap_or_default();
    Error::user(format!(
        "the download stopped after {received}{of} bytes: {why}"
    ))
    .hint(kept_hint(part, received))
}

pub fn sha256_of(path: &Path) -> Result<String, Error> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_come_from_the_url_path() {
        assert_eq!(
            file_name("https://h/x/model.Q4.gguf?download=true").as_deref(),
            Some("model.Q4.gguf")
        );
        assert_eq!(file_name("https://h/x/"), None);
        assert_eq!(file_name("https://h/x/.."), None);
    }
}
