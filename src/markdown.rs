//! Markdown to HTML with pulldown-cmark, plus what the handbook adds on top: heading anchors,
//! links between content files rewritten to output pages, fenced code highlighted (with
//! rustdoc's hidden lines and a mark on executed snippets), raw HTML escaped unless trusted.

use crate::highlight;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::BTreeSet;

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The URL scheme of a link destination (`https`, `javascript`...), if it has one.
pub fn scheme(dest: &str) -> Option<String> {
    let end = dest.find(':')?;
    let candidate = &dest[..end];
    if dest[..end].contains(['/', '?', '#']) {
        return None;
    }
    let mut chars = candidate.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
        .then(|| candidate.to_ascii_lowercase())
}

/// Links may be relative, fragments, or use http(s) and mailto; anything else (`javascript:`,
/// `data:`, `vbscript:`...) could run code in a reader's browser.
pub fn is_safe_url(dest: &str) -> bool {
    let trimmed: String = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    match scheme(&trimmed) {
        None => true,
        Some(s) => matches!(s.as_str(), "http" | "https" | "mailto"),
    }
}

fn safe(dest: String) -> String {
    if is_safe_url(&dest) {
        dest
    } else {
        "#unsafe-link-removed".to_string()
    }
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
                    t if is_rust_word(t) || is_error_code(t) => {}
                    "ignore" => f.ignore = true,
                    "no_run" => f.no_run = true,
                    "should_panic" => f.should_panic = true,
                    "compile_fail" => f.compile_fail = true,
                    t if rustish(t) => {}
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
    /// Shown on executed Rust snippets: what they run against.
    pub snippet_label: &'a str,
    /// The verification record: what each snippet's mark says (`None`: nothing verified).
    pub verification: Option<&'a crate::snippets::Verification>,
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
    let mut used_ids = BTreeSet::new();
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
                    let mut unique = base.clone();
                    let mut n = 1;
                    while !used_ids.insert(unique.clone()) {
                        unique = format!("{base}-{n}");
                        n += 1;
                    }
                    let mut inner_html = String::new();
                    pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
                    let lvl = level as u8;
                    events.push(Event::Html(
                        format!(
                            "<h{lvl} id=\"{unique}\"><a class=\"anchor\" href=\"#{unique}\" aria-label=\"Link to this section\">#</a>{inner_html}</h{lvl}>\n"
                        )
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
    let has_hidden = lines.iter().any(|(h, _)| *h);
    let inner = if ctx.highlight {
        highlight::highlight(lang, &lines)
    } else {
        highlight::plain(&lines)
    };
    let lang_class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", html_escape(lang))
    };
    let mut out = String::new();
    if fence.is_rust {
        use crate::snippets::Mark;
        let verdict = match ctx.verification {
            Some(v) if !fence.ignore => v.mark(info, code),
            _ => Mark::Unknown,
        };
        let what = if fence.compile_fail {
            "checked by handbook test: fails to compile, as it should"
        } else if fence.no_run {
            "compiled by handbook test (not run)"
        } else if fence.should_panic {
            "run by handbook test: panics, as it should"
        } else {
            "compiled and run by handbook test"
        };
        // The mark says only what the verification record shows for exactly this snippet.
        let (class, mark, detail) = match &verdict {
            _ if fence.ignore => ("snippet-ignored", "not compiled (ignore)".to_string(), String::new()),
            Mark::Pass { versions, date } => (
                "snippet-tested",
                format!("✓ {what} on {date} · {versions}"),
                format!(" data-verified-date=\"{}\" data-verified-versions=\"{}\"", html_escape(date), html_escape(versions)),
            ),
            Mark::Fail { date, .. } => (
                "snippet-failed",
                format!("✗ failed in handbook test on {date}"),
                format!(" data-verified-date=\"{}\"", html_escape(date)),
            ),
            Mark::Unknown => (
                "snippet-unverified",
                format!("not verified: handbook test has not run this version · {}", ctx.snippet_label),
                String::new(),
            ),
        };
        out.push_str(&format!("<figure class=\"snippet {class}\">\n<figcaption><span class=\"snippet-mark\" data-verified=\"{}\"{detail}>{}</span>", verdict.state(), html_escape(&mark)));
        if let Mark::Fail { message, .. } = &verdict {
            out.push_str(&format!("<details class=\"snippet-failure\"><summary>Why it failed</summary><pre>{}</pre></details>", html_escape(message)));
        }
        if has_hidden {
            out.push_str("<button type=\"button\" class=\"toggle-hidden\" aria-pressed=\"false\">Show hidden lines</button>");
        }
        out.push_str("</figcaption>\n");
        out.push_str(&format!(
            "<pre class=\"code\"><code{lang_class}>{inner}</code></pre>\n</figure>\n"
        ));
    } else {
        out.push_str(&format!(
            "<pre class=\"code\"><code{lang_class}>{inner}</code></pre>\n"
        ));
    }
    out
}

pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// Appends `s` to `out`, HTML-escaped (text and attribute values alike).
pub fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
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
        Context {
            link: &as_written,
            allow_html: false,
            highlight: false,
            snippet_label: "",
            verification: None,
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
                assert!(is_safe_url(url), "{bad}: {out}");
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
    fn raw_html_is_escaped_unless_allowed() {
        let ctx = plain_context();
        let out = render("<script>alert(1)</script>\n\nhi <b>x</b>", &ctx).html;
        assert!(!out.contains("<script>"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
    }
}
