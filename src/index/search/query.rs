//! A query's text as tantivy queries: the parser that never fails, the chunk query with each
//! field's weight, and the whole-file query whose scores join the ranking.
use std::collections::HashMap;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RegexQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use super::{expand, Weights};
use crate::error::Error;
use crate::index::store::{self, internal, Fields};

/// The words of a query, sorted into the kinds of clause they become.
#[derive(Debug, Default, PartialEq)]
struct Parsed {
    words: String,
    phrases: Vec<String>,
    prefixes: Vec<String>,
}

fn parse(query: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut rest = query;
    while let Some(open) = rest.find('"') {
        parsed.words.push_str(&rest[..open]);
        parsed.words.push(' ');
        let after = &rest[open + 1..];
        match after.find('"') {
            Some(close) => {
                parsed.phrases.push(after[..close].to_string());
                rest = &after[close + 1..];
            }
            // An unbalanced quote: its words are ordinary words.
            None => rest = after,
        }
    }
    parsed.words.push_str(rest);
    let words = std::mem::take(&mut parsed.words);
    for w in words.split_whitespace() {
        let stem = w.trim_end_matches('*');
        let clean = stem.chars().all(|c| c.is_alphanumeric());
        if stem.len() < w.len() && clean && stem.chars().count() >= 2 {
            parsed.prefixes.push(stem.to_lowercase());
        } else {
            parsed.words.push_str(w);
            parsed.words.push(' ');
        }
    }
    parsed
}

/// The analysed tokens of `text` with their positions.
fn tokens(text: &str) -> Vec<(usize, String)> {
    let mut analyzer = store::analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push((t.position, t.text.clone()));
    }
    out
}

fn boosted(q: Box<dyn Query>, w: f32) -> Box<dyn Query> {
    if (w - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(BoostQuery::new(q, w))
    }
}

fn term_clause(fields: &Fields, w: &Weights, token: &str) -> Box<dyn Query> {
    let t = |field| {
        Box::new(TermQuery::new(
            Term::from_field_text(field, token),
            IndexRecordOption::WithFreqs,
        )) as Box<dyn Query>
    };
    let mut any = Vec::new();
    for (field, weight) in [
        (fields.title, w.title),
        (fields.body, w.body),
        (fields.path_text, w.path),
        (fields.name, w.name),
        (fields.defs, w.defs),
    ] {
        if weight > 0.0 {
            any.push((Occur::Should, boosted(t(field), weight)));
        }
    }
    Box::new(BooleanQuery::new(any))
}

/// Builds the query; None when nothing in it can match (only stop words or punctuation).
pub(super) fn build(
    fields: &Fields,
    w: &Weights,
    query: &str,
    lang: Option<&str>,
) -> Option<Box<dyn Query>> {
    let parsed = parse(query);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let words = tokens(&parsed.words);
    for (_, token) in &words {
        if seen.insert(token.clone()) {
            clauses.push((Occur::Should, term_clause(fields, w, token)));
        }
    }
    if w.variant > 0.0 {
        for (_, token) in &words {
            for v in expand::variants(token) {
                if seen.insert(v.clone()) {
                    let q = boosted(term_clause(fields, w, &v), w.variant);
                    clauses.push((Occur::Should, q));
                }
            }
        }
    }
    if w.pair > 0.0 {
        clauses.extend(pairs(fields, w.pair, &words));
    }
    for phrase in &parsed.phrases {
        let toks = tokens(phrase);
        match toks.len() {
            0 => {}
            1 => clauses.push((Occur::Must, term_clause(fields, w, &toks[0].1))),
            _ => {
                let mut either = Vec::new();
                for field in [fields.title, fields.body] {
                    let terms = toks
                        .iter()
                        .map(|(p, t)| (*p, Term::from_field_text(field, t)))
                        .collect();
                    let q = Box::new(PhraseQuery::new_with_offset(terms));
                    either.push((Occur::Should, boosted(q, w.phrase)));
                }
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(either))));
            }
        }
    }
    for prefix in &parsed.prefixes {
        let pattern = format!("{}.*", regex_escape(prefix));
        let mut either = Vec::new();
        for field in [fields.title, fields.body, fields.path_text, fields.defs] {
            if let Ok(q) = RegexQuery::from_pattern(&pattern, field) {
                either.push((Occur::Should, Box::new(q) as Box<dyn Query>));
            }
        }
        clauses.push((Occur::Should, Box::new(BooleanQuery::new(either))));
    }
    if clauses.is_empty() {
        return None;
    }
    if let Some(lang) = lang {
        let term = Term::from_field_text(fields.lang, lang);
        clauses.push((
            Occur::Must,
            Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
        ));
    }
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// Each two neighbouring words of the question as a phrase over the body of prose chunks,
/// of weight `weight`, at the distance the question puts them (a stop word between them
/// leaves a gap in the index too): words that stand together in a question and in a section
/// are more often what the section is about than the same words apart. Code is left out:
/// there it cost a set of code its first places (docs/ARCHITECTURE.md, fifth round).
fn pairs(fields: &Fields, weight: f32, words: &[(usize, String)]) -> Vec<(Occur, Box<dyn Query>)> {
    words
        .windows(2)
        .filter(|p| p[0].1 != p[1].1)
        .map(|p| {
            let terms = p
                .iter()
                .map(|(pos, t)| (*pos, Term::from_field_text(fields.body, t)))
                .collect();
            let phrase = Box::new(PhraseQuery::new_with_offset(terms)) as Box<dyn Query>;
            let prose = Box::new(BooleanQuery::new(vec![
                (Occur::Must, boosted(phrase, weight)),
                (Occur::Must, prose_only(fields)),
            ]));
            (Occur::Should, prose as Box<dyn Query>)
        })
        .collect()
}

/// Chunks of prose (`chunk::PROSE_LANGS`), scoring nothing.
fn prose_only(fields: &Fields) -> Box<dyn Query> {
    let langs = crate::index::chunk::PROSE_LANGS
        .into_iter()
        .map(|lang| {
            let term = Term::from_field_text(fields.lang, lang);
            let q = TermQuery::new(term, IndexRecordOption::Basic);
            (Occur::Should, Box::new(q) as Box<dyn Query>)
        })
        .collect();
    Box::new(BoostQuery::new(Box::new(BooleanQuery::new(langs)), 0.0))
}

/// The query's words (phrases' words too, as plain words) over whole files; None when
/// nothing in it can match.
fn file_query(fields: &Fields, query: &str) -> Option<Box<dyn Query>> {
    let parsed = parse(query);
    let mut text = parsed.words;
    for p in &parsed.phrases {
        text.push(' ');
        text.push_str(p);
    }
    let mut seen = std::collections::HashSet::new();
    let clauses: Vec<(Occur, Box<dyn Query>)> = tokens(&text)
        .into_iter()
        .filter(|(_, t)| seen.insert(t.clone()))
        .map(|(_, t)| {
            let term = Term::from_field_text(fields.file_text, &t);
            let q = TermQuery::new(term, IndexRecordOption::WithFreqs);
            (Occur::Should, Box::new(q) as Box<dyn Query>)
        })
        .collect();
    (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
}

/// Whole-file BM25 scores by path, read through the file_path fast field (no stored
/// documents are opened).
pub(super) fn file_scores(
    searcher: &Searcher,
    fields: &Fields,
    query: &str,
    wanted: usize,
) -> Result<HashMap<std::path::PathBuf, f32>, Error> {
    let mut scores = HashMap::new();
    let Some(q) = file_query(fields, query) else {
        return Ok(scores);
    };
    let top = searcher
        .search(&q, &TopDocs::with_limit(wanted).order_by_score())
        .map_err(|e| internal(&e))?;
    let mut name = String::new();
    for (score, addr) in top {
        let segment = searcher.segment_reader(addr.segment_ord);
        let Some(paths) = segment
            .fast_fields()
            .str("file_path")
            .map_err(|e| internal(&e))?
        else {
            continue;
        };
        let Some(ord) = paths.term_ords(addr.doc_id).next() else {
            continue;
        };
        name.clear();
        paths.ord_to_str(ord, &mut name).map_err(|e| internal(&e))?;
        scores.insert(std::path::PathBuf::from(&name), score);
    }
    Ok(scores)
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let special = !c.is_alphanumeric();
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parser_takes_anything() {
        let p = parse("how do I \"rotate logs\" (nginx: wire* \"unbalanced");
        assert_eq!(p.phrases, ["rotate logs"]);
        assert_eq!(p.prefixes, ["wire"]);
        assert!(p.words.contains("(nginx:"));
        assert!(p.words.contains("unbalanced"));
        let (_, fields) = store::schema();
        for q in [
            "",
            "\"",
            "((",
            "a:b",
            "*",
            "the of and",
            "\"\"",
            "AND OR NOT -x +y ~2 ^3",
        ] {
            let _ = build(&fields, &Weights::default(), q, None);
        }
    }
}
