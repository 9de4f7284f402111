//! Markdown to HTML with pulldown-cmark, plus what the handbook adds on top: heading ids,
//! links between content files rewritten to output pages, fenced code highlighted (with
//! rustdoc's hidden lines), raw HTML escaped unless trusted. The markup around headings and
//! code blocks comes from the theme, through the [`Context`]'s callbacks.

use crate::highlight;
use crate::url::safe;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

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

/// The attributes of a fence's info string, read the way rustdoc reads them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FenceInfo {
    /// Language for highlighting (`rust` for rustdoc attribute-only fences).
    pub lang: Option<String>,
    /// Compiled by `handbook test`: `rust` or only rustdoc attributes.
    pub is_rust: bool,
    pub ignore: bool,
    pub no_run: bool,
    pub should_panic: bool,
    pub compile_fail: bool,
    /// Attributes rustdoc would not understand (lint).
    pub unknown: Vec<String>,
}

const RUSTDOC_ATTRS: &[&str] = &[
    "ignore",
    "no_run",
    "should_panic",
    "compile_fail",
    "test_harness",
    "edition2015",
    "edition2018",
    "edition2021",
    "edition2024",
    "standalone_crate",
];

impl FenceInfo {
    pub fn parse(info: &str) -> FenceInfo {
        let tokens: Vec<&str> = info
            .split(|c: char| c == ',' || c.is_whitespace())
            .map(|t| t.trim_matches(|c| c == '{' || c == '}' || c == '.'))
            .filter(|t| !t.is_empty())
            .collect();
        let mut f = FenceInfo::default();
        let Some(first) = tokens.first() else {
            return f;
        };
        let rustish = |t: &str| RUSTDOC_ATTRS.contains(&t) || t.starts_with("ignore-");
        // `rs` and `Rust` are Rust to every reader and highlighter; testing them too means no
        // Rust fence is silently left untested.
        let is_rust_word = |t: &str| t.eq_ignore_ascii_case("rust") || t == "rs";
        // `compile_fail,E0308`: the error code rustdoc expects.
        let is_error_code = |t: &str| {
            t.len() == 5 && t.starts_with('E') && t[1..].chars().all(|c| c.is_ascii_digit())
        };
        if is_rust_word(first) || rustish(first) {
            f.is_rust = true;
            f.lang = Some("rust".into());
            for t in &tokens {
                match *t {
                    "rust" => {}
                    "ignore" => f.ignore = true,
                    "no_run" => f.no_run = true,
                    "should_panic" => f.should_panic = true,
                    "compile_fail" => f.compile_fail = true,
                    t if rustish(t) || is_rust_word(t) || is_error_code(t) => {}
                    other => f.unknown.push(other.to_string()),
                }
            }
        } else {
            f.lang = Some(first.to_string());
        }
        f
    }
}

/// A fenced code block: its info, its code, and the 1-based line of the opening fence within
/// the markdown it came from.
#[derive(Debug, Clone)]
pub struct CodeBlock {
    pub info: FenceInfo,
    pub raw_info: String,
    pub code: String,
    pub line: usize,
}

pub fn code_blocks(body: &str) -> Vec<CodeBlock> {
    let mut out = Vec::new();
    let mut current: Option<CodeBlock> = None;
    for (ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let line = body[..range.start].matches('\n').count() + 1;
                current = Some(CodeBlock {
                    info: FenceInfo::parse(&info),
                    raw_info: info.to_string(),
                    code: String::new(),
                    line,
                });
            }
            Event::Text(t) => {
                if let Some(c) = current.as_mut() {
                    c.code.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(c) = current.take() {
                    out.push(c);
                }
            }
            _ => {}
        }
    }
    out
}

/// Is this line of a Rust fence hidden from readers (rustdoc's `# ` convention)?
/// Returns the line as shown when revealed: `##` unescapes to `#`.
pub fn rustdoc_line(line: &str) -> (bool, String) {
    let trimmed = line.trim_start();
    if let Some(rest) = trimmed.strip_prefix("##") {
        let indent = &line[..line.len() - trimmed.len()];
        return (false, format!("{indent}#{rest}"));
    }
    if trimmed == "#" || trimmed == "#\n" || trimmed.starts_with("# ") {
        let shown = trimmed
            .strip_prefix("# ")
            .or_else(|| trimmed.strip_prefix('#'))
            .unwrap_or("");
        let indent = &line[..line.len() - trimmed.len()];
        return (true, format!("{indent}{shown}"));
    }
    (false, line.to_string())
}

/// What the renderer needs from the page being rendered.
pub struct Context<'a> {
    /// Resolves a relative link destination to a URL relative to the page, or leaves it.
    pub link: &'a dyn Fn(&str) -> String,
    pub allow_html: bool,
    pub highlight: bool,
    /// The theme's markup for a heading.
    pub heading: &'a dyn Fn(&HeadingMarkup) -> String,
    /// The theme's markup for a fenced or indented code block.
    pub code_block: &'a dyn Fn(&CodeBlockMarkup) -> String,
}

/// A heading, for the theme's heading markup. `id` is unique in the page and not escaped.
pub struct HeadingMarkup<'a> {
    pub level: u8,
    pub id: &'a str,
    /// The heading's content, rendered (safe HTML).
    pub inner_html: &'a str,
}

/// A code block, for the theme's code markup.
pub struct CodeBlockMarkup<'a> {
    pub fence: &'a FenceInfo,
    /// The info string as written (with the code, what the verification record is keyed by).
    pub info: &'a str,
    /// The code as written (hidden lines included).
    pub code: &'a str,
    /// The lines highlighted and escaped (safe HTML); hidden lines wrapped.
    pub code_html: &'a str,
    pub has_hidden: bool,
}

/// A heading for the page's table of contents.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
}

pub fn render(body: &str, ctx: &Context) -> Rendered {
    let mut events: Vec<Event> = Vec::new();
    let mut headings = Vec::new();
    let mut ids = HeadingIds::default();
    let mut heading: Option<(HeadingLevel, Option<CowStr>, Vec<Event>)> = None;
    let mut code: Option<(String, String)> = None;

    for ev in Parser::new_ext(body, options()) {
        let ev = match ev {
            Event::Html(s) | Event::InlineHtml(s) if !ctx.allow_html => Event::Text(s),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: safe((ctx.link)(&dest_url)).into(),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: safe((ctx.link)(&dest_url)).into(),
                title,
                id,
            }),
            // Footnote labels become ids; prefix them so `[^1]` does not yield `id="1"`.
            Event::FootnoteReference(label) => {
                Event::FootnoteReference(format!("fn-{label}").into())
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                Event::Start(Tag::FootnoteDefinition(format!("fn-{label}").into()))
            }
            other => other,
        };
        if let Some((_, text)) = code.as_mut() {
            match ev {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (info, text) = code.take().unwrap_or_default();
                    events.push(Event::Html(code_block_html(&info, &text, ctx).into()));
                }
                _ => {}
            }
            continue;
        }
        match ev {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(i) => i.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((info, String::new()));
            }
            Event::Start(Tag::Heading { level, id, .. }) => heading = Some((level, id, Vec::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, inner)) = heading.take() {
                    let text = plain_text(&inner);
                    let base = id.map(|i| i.to_string()).unwrap_or_else(|| slug(&text));
                    let unique = ids.unique(base);
                    let mut inner_html = String::new();
                    pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
                    let lvl = level as u8;
                    events.push(Event::Html(
                        (ctx.heading)(&HeadingMarkup {
                            level: lvl,
                            id: &unique,
                            inner_html: &inner_html,
                        })
                        .into(),
                    ));
                    headings.push(Heading {
                        level: lvl,
                        id: unique,
                        text,
                    });
                }
            }
            other => match heading.as_mut() {
                Some((_, _, inner)) => inner.push(other),
                None => events.push(other),
            },
        }
    }
    let mut html = String::with_capacity(body.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Rendered { html, headings }
}

/// Makes heading ids unique within a page: the second `intro` becomes `intro-1`. Each base
/// remembers its next suffix, so thousands of identical headings cost linear time.
#[derive(Default)]
struct HeadingIds {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl HeadingIds {
    fn unique(&mut self, base: String) -> String {
        if self.used.insert(base.clone()) {
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(1);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

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

fn plain_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s
}

/// GitHub-style anchor: lowercase, alphanumerics kept, spaces to hyphens.
pub fn slug(text: &str) -> String {
    let mut s = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if (c == ' ' || c == '-' || c == '_') && !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s.trim_matches('-').to_string();
    if s.is_empty() { "section".into() } else { s }
}

fn code_block_html(info: &str, code: &str, ctx: &Context) -> String {
    let fence = FenceInfo::parse(info);
    let lang = fence.lang.as_deref().unwrap_or("");
    let lines: Vec<(bool, String)> = if fence.is_rust {
        code.split_inclusive('\n').map(rustdoc_line).collect()
    } else {
        code.split_inclusive('\n')
            .map(|l| (false, l.to_string()))
            .collect()
    };
    let code_html = if ctx.highlight {
        highlight::highlight(lang, &lines)
    } else {
        highlight::plain(&lines)
    };
    (ctx.code_block)(&CodeBlockMarkup {
        fence: &fence,
        info,
        code,
        code_html: &code_html,
        has_hidden: lines.iter().any(|(h, _)| *h),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fence_info_reads_rustdoc_attributes() {
        let f = FenceInfo::parse("rust,should_panic");
        assert!(f.is_rust && f.should_panic && !f.ignore);
        let f = FenceInfo::parse("ignore");
        assert!(f.is_rust && f.ignore);
        let f = FenceInfo::parse("rust,shoud_panic");
        assert_eq!(f.unknown, vec!["shoud_panic".to_string()]);
        assert!(!FenceInfo::parse("toml").is_rust);
    }

    #[test]
    fn hidden_lines_follow_rustdoc() {
        assert_eq!(rustdoc_line("# use x;\n"), (true, "use x;\n".into()));
        assert_eq!(rustdoc_line("#\n"), (true, "\n".into()));
        assert_eq!(
            rustdoc_line("    ## not hidden\n"),
            (false, "    # not hidden\n".into())
        );
        assert_eq!(
            rustdoc_line("#[derive(Debug)]\n"),
            (false, "#[derive(Debug)]\n".into())
        );
    }

    #[test]
    fn code_block_lines_point_at_the_fence() {
        let blocks = code_blocks("para\n\n```rust\nlet x = 1;\n```\n");
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].line, 3);
        assert_eq!(blocks[0].code, "let x = 1;\n");
    }

    /// Links left as written, no raw HTML, no highlighting.
    fn plain_context() -> Context<'static> {
        fn as_written(dest: &str) -> String {
            dest.to_string()
        }
        // Stand-ins for the theme's partials (tests/pages.rs snapshots the real ones).
        fn heading(h: &HeadingMarkup) -> String {
            format!(
                "[h{} #{}] {}",
                h.level,
                crate::escape::html(h.id),
                h.inner_html
            )
        }
        fn code(c: &CodeBlockMarkup) -> String {
            c.code_html.to_string()
        }
        Context {
            link: &as_written,
            allow_html: false,
            highlight: false,
            heading: &heading,
            code_block: &code,
        }
    }

    #[test]
    fn script_urls_never_reach_the_page() {
        let ctx = plain_context();
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "java\tscript:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            let out = render(&format!("[x]({bad}) ![i]({bad})"), &ctx).html;
            for attr in out.split("href=\"").chain(out.split("src=\"")).skip(1) {
                let url = &attr[..attr.find('"').unwrap_or(0)];
                assert!(crate::url::is_safe(url), "{bad}: {out}");
            }
        }
        let out = render(
            "[ok](https://example.com/a:b) [rel](x.md#a:b) [m](mailto:a@b.c)",
            &ctx,
        )
        .html;
        assert!(
            out.contains("https://example.com/a:b")
                && out.contains("x.md#a:b")
                && out.contains("mailto:a@b.c"),
            "{out}"
        );
    }

    #[test]
    fn identical_headings_get_unique_ids_in_order() {
        let mut ids = HeadingIds::default();
        let got: Vec<String> = ["a", "a", "a-1", "a", "b"]
            .into_iter()
            .map(|b| ids.unique(b.to_string()))
            .collect();
        // The explicit `a-1` comes after an `a` took that name: it becomes `a-1-1`.
        assert_eq!(got, ["a", "a-1", "a-1-1", "a-2", "b"]);
        let mut ids = HeadingIds::default();
        let many: HashSet<String> = (0..20_000).map(|_| ids.unique("x".into())).collect();
        assert_eq!(many.len(), 20_000);
    }

    #[test]
    fn inline_fields_keep_only_inline_markup() {
        assert_eq!(
            inline("## Title with `code` {#x}"),
            "Title with <code>code</code>"
        );
        assert_eq!(inline("```\nfn x() {}\n```"), "<code>fn x() {}\n</code>");
        assert_eq!(
            inline_text("What is `alg: none`? **Really**"),
            "What is alg: none? Really"
        );
        assert!(!inline("<script>x</script>").contains("<script"));
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        let ctx = plain_context();
        let out = render("<script>alert(1)</script>\n\nhi <b>x</b>", &ctx).html;
        assert!(!out.contains("<script>"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
    }
}
