//! The excerpt a hit shows: tantivy's snippet around the matching words (or the chunk's start),
//! on one line, with no control characters, and the matches' places for highlighting.
use std::ops::Range;

use tantivy::query::Query;
use tantivy::snippet::SnippetGenerator;
use tantivy::Searcher;

use super::Marked;
use crate::error::Error;
use crate::index::store::{internal, Fields};
use crate::index::Hit;

pub(super) fn snippets(
    searcher: &Searcher,
    q: &dyn Query,
    fields: &Fields,
    hits: Vec<Hit>,
) -> Result<Vec<Marked>, Error> {
    let mut generator =
        SnippetGenerator::create(searcher, q, fields.body).map_err(|e| internal(&e))?;
    generator.set_max_num_chars(220);
    Ok(hits
        .into_iter()
        .map(|mut hit| {
            let snippet = generator.snippet(&hit.text);
            let (text, marks) = if snippet.fragment().trim().is_empty() {
                let mut cut = hit.text.len().min(220);
                while !hit.text.is_char_boundary(cut) {
                    cut -= 1;
                }
                clean(&hit.text[..cut], &[])
            } else {
                clean(snippet.fragment(), snippet.highlighted())
            };
            hit.snippet = text;
            Marked { hit, marks }
        })
        .collect())
}

/// Collapses whitespace to single spaces and drops control characters (a note's escape
/// sequences must not reach a terminal), moving the highlight ranges along.
fn clean(fragment: &str, marks: &[Range<usize>]) -> (String, Vec<Range<usize>>) {
    let mut out = String::with_capacity(fragment.len());
    let mut at = vec![0; fragment.len() + 1];
    let mut space = false;
    for (i, c) in fragment.char_indices() {
        at[i] = out.len();
        if c.is_whitespace() {
            space = !out.is_empty();
        } else if crate::render::sanitize(c.encode_utf8(&mut [0; 4])).is_empty() {
            // dropped
        } else {
            if space {
                out.push(' ');
                space = false;
                at[i] = out.len();
            }
            out.push(c);
        }
        for slot in at.iter_mut().take(i + c.len_utf8()).skip(i + 1) {
            *slot = out.len();
        }
    }
    at[fragment.len()] = out.len();
    let marks = marks
        .iter()
        .filter(|r| r.end <= fragment.len())
        .map(|r| at[r.start]..at[r.end])
        .filter(|r| r.start < r.end)
        .collect();
    (out, marks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_keeps_marks_on_their_words() {
        let (text, marks) = clean("a\n\n  big\x1b[2J word", &[5..8, 13..17]);
        assert_eq!(text, "a big[2J word");
        let got: Vec<&str> = marks.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(got, ["big", "word"]);
    }
}
