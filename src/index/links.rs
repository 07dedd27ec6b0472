//! Questions that ask for a web address, and the text that holds one. "That website for
//! fixing bicycles" wants the line with the address: search ranks chunks that hold one
//! higher for such a question, and the excerpt keeps the address's line beside the line that
//! matched (an HTML page's links are kept as text by the chunker for this).

/// Whether a question asks for a web address: a site, a link, a bookmark, a URL (not a
/// symbolic or hard link).
pub fn asks_for_link(question: &str) -> bool {
    let words: Vec<String> = question
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let before = |i: usize| i.checked_sub(1).map(|p| words[p].as_str());
    words.iter().enumerate().any(|(i, w)| match w.as_str() {
        "site" | "sites" | "website" | "websites" | "url" | "urls" | "bookmark" | "bookmarks"
        | "bookmarked" | "homepage" | "webpage" | "webpages" => true,
        "link" | "links" => !matches!(before(i), Some("symbolic" | "hard" | "soft")),
        "page" | "pages" => before(i) == Some("web"),
        _ => false,
    })
}

/// Whether the text holds a web address.
pub fn holds_link(text: &str) -> bool {
    text.contains("http://") || text.contains("https://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_for_sites_and_links_are_told_apart() {
        assert!(asks_for_link("that website for fixing bicycles"));
        assert!(asks_for_link(
            "where did I save the site that makes query plans readable"
        ));
        assert!(asks_for_link("the link to the grafana dashboard"));
        assert!(asks_for_link("URL of the status page?"));
        assert!(asks_for_link("the web page about sourdough"));
        assert!(!asks_for_link("the status page incident"));
        assert!(!asks_for_link("how are symbolic link loops detected"));
        assert!(!asks_for_link("when is my promotion packet due"));
        assert!(!asks_for_link("websockets timeout"));
    }

    #[test]
    fn addresses_are_found_in_text() {
        assert!(holds_link("Sheldon Brown (https://www.sheldonbrown.com/)"));
        assert!(holds_link("see http://10.0.0.2:8080"));
        assert!(!holds_link("everything about bicycle repair"));
    }
}
