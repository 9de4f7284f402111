//! Inline markdown for front matter fields (titles, signals): HTML without block markup, and
//! plain text for `<title>`, links and search results.

use super::options;
use crate::url::safe;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// Inline markdown (a front matter field: a title, a signal) to HTML, without a paragraph
/// wrapper. Block constructs (headings, lists, code blocks) keep only their text: a field is
/// one line of prose with emphasis, code and links. Raw HTML is always escaped here.
pub fn inline(text: &str) -> String {
    let mut events = Vec::new();
    let mut in_code_block = false;
    for ev in Parser::new_ext(text, options()) {
        match ev {
            Event::Html(s) | Event::InlineHtml(s) => events.push(Event::Text(s)),
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(t) if in_code_block => events.push(Event::Code(t)),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => events.push(Event::Start(Tag::Link {
                link_type,
                dest_url: safe(dest_url.to_string()).into(),
                title,
                id,
            })),
            ev @ (Event::Text(_)
            | Event::Code(_)
            | Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough)
            | Event::End(
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link,
            )) => events.push(ev),
            Event::SoftBreak | Event::HardBreak => events.push(Event::Text(" ".into())),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item)
                if !events.is_empty() =>
            {
                events.push(Event::Text(" ".into()))
            }
            _ => {}
        }
    }
    while matches!(events.last(), Some(Event::Text(t)) if t.as_ref() == " ") {
        events.pop();
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// Inline markdown as plain text: for `<title>`, previous/next links and search results,
/// where markup would show as backticks and asterisks.
pub fn inline_text(text: &str) -> String {
    let mut out = String::new();
    for ev in Parser::new_ext(text, options()) {
        match ev {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
