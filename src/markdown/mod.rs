//! Markdown to HTML with pulldown-cmark, plus what the handbook adds on top: heading ids,
//! links between content files rewritten to output pages, fenced code highlighted (with
//! rustdoc's hidden lines), raw HTML escaped unless trusted. The markup around headings and
//! code blocks comes from the theme, through the [`Context`]'s callbacks.

use crate::highlight;
use crate::url::safe;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};

mod fences;
mod inline;
mod scan;

pub use fences::{CodeBlock, FenceInfo, code_blocks, rustdoc_line};
pub use inline::{inline, inline_text};
pub use scan::{Link, custom_heading_ids, links};

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
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
    /// The theme's markup around a diagram (```` ```svgbob ```` fence) drawn as SVG.
    pub diagram: &'a dyn Fn(&DiagramMarkup) -> String,
    /// Put before every id the body makes (headings, footnotes, diagram markers), so that
    /// several bodies can share a page (print.html). Empty on a page of its own.
    pub id_prefix: &'a str,
    /// Leave rustdoc's hidden lines out instead of wrapping them (print, where no button can
    /// reveal them).
    pub omit_hidden_lines: bool,
}

/// A diagram, for the theme's diagram markup.
pub struct DiagramMarkup<'a> {
    /// The diagram's text (to draw with [`crate::diagram`]).
    pub code: &'a str,
    /// What the SVG's ids must start with, unique in the page.
    pub id_prefix: &'a str,
    /// The caption, as written (not escaped).
    pub title: &'a str,
}

impl DiagramMarkup<'_> {
    /// The drawing (safe SVG markup, its text escaped). A renderer that shows a diagram more
    /// than once can keep [`crate::diagram::draw`]'s result instead.
    pub fn svg(&self) -> String {
        crate::diagram::to_svg(self.code, self.id_prefix)
    }
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
    let mut diagrams = 0usize;

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
                Event::FootnoteReference(format!("{}fn-{label}", ctx.id_prefix).into())
            }
            Event::Start(Tag::FootnoteDefinition(label)) => Event::Start(Tag::FootnoteDefinition(
                format!("{}fn-{label}", ctx.id_prefix).into(),
            )),
            other => other,
        };
        if let Some((_, text)) = code.as_mut() {
            match ev {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (info, text) = code.take().unwrap_or_default();
                    let html = if crate::diagram::is_diagram(&info) {
                        diagrams += 1;
                        diagram_html(&info, &text, diagrams, ctx)
                    } else {
                        code_block_html(&info, &text, ctx)
                    };
                    events.push(Event::Html(html.into()));
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
                    let unique = format!("{}{}", ctx.id_prefix, ids.unique(base));
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

/// The `n`th diagram of the body, drawn. Validation has checked its info and text; whatever
/// they hold, this draws something and does not fail.
fn diagram_html(info: &str, code: &str, n: usize, ctx: &Context) -> String {
    let title = crate::diagram::parse_info(info)
        .map(|i| i.title)
        .unwrap_or_default();
    (ctx.diagram)(&DiagramMarkup {
        code,
        id_prefix: &format!("{}diagram_{n}_", ctx.id_prefix),
        title: &title,
    })
}

fn code_block_html(info: &str, code: &str, ctx: &Context) -> String {
    let fence = FenceInfo::parse(info);
    let lang = fence.lang.as_deref().unwrap_or("");
    let lines: Vec<(bool, String)> = if fence.is_rust {
        let lines = code.split_inclusive('\n').map(rustdoc_line);
        if ctx.omit_hidden_lines {
            lines.filter(|(hidden, _)| !hidden).collect()
        } else {
            lines.collect()
        }
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
        fn diagram(d: &DiagramMarkup) -> String {
            format!(
                "<figure>{}<figcaption>{}</figcaption></figure>",
                d.svg(),
                crate::escape::html(d.title)
            )
        }
        Context {
            link: &as_written,
            allow_html: false,
            highlight: false,
            heading: &heading,
            code_block: &code,
            diagram: &diagram,
            id_prefix: "",
            omit_hidden_lines: false,
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
