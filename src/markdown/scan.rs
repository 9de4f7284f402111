//! What validation and `check` read from a markdown body without rendering it: link
//! destinations and heading ids, with their offsets.

use super::options;
use pulldown_cmark::{Event, Parser, Tag};

/// A link or image destination and its byte offset in the markdown.
pub struct Link {
    pub dest: String,
    pub offset: usize,
}

pub fn links(body: &str) -> Vec<Link> {
    Parser::new_ext(body, options())
        .into_offset_iter()
        .filter_map(|(ev, range)| match ev {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => Some(Link {
                dest: dest_url.to_string(),
                offset: range.start,
            }),
            _ => None,
        })
        .collect()
}

/// The ids written as heading attributes (`## Title {#id}`), with their byte offsets.
pub fn custom_heading_ids(body: &str) -> Vec<(String, usize)> {
    Parser::new_ext(body, options())
        .into_offset_iter()
        .filter_map(|(ev, range)| match ev {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some((id.to_string(), range.start)),
            _ => None,
        })
        .collect()
}
