//! Markdown bodies rendered for a page: the theme's heading, code and diagram partials, links
//! resolved through the route table, and the same body as a section of print.html.

use super::print::{PrintSection, print_anchor};
use super::{RenderError, Renderer, root_of};
use crate::content::Origin;
use crate::markdown::{self, CodeBlockMarkup, DiagramMarkup, Heading, HeadingMarkup};
use crate::site::Route;
use serde::Serialize;
use std::cell::RefCell;
use tera::Context;

/// What the code-block partial gets.
#[derive(Serialize)]
pub(super) struct CodeView<'a> {
    pub(super) lang: &'a str,
    pub(super) code_html: &'a str,
    pub(super) rust: bool,
    pub(super) ignore: bool,
    pub(super) no_run: bool,
    pub(super) should_panic: bool,
    pub(super) compile_fail: bool,
    pub(super) has_hidden: bool,
    pub(super) label: &'a str,
    /// `pass`, `fail` or `unknown`: what the verification record shows for exactly this
    /// snippet (text, library and dependencies); `ignore` fences are `unknown`.
    pub(super) verified: &'static str,
    /// For `pass` and `fail`: the run's date (UTC, `YYYY-MM-DD`).
    pub(super) verified_date: String,
    /// For `pass`: the direct dependencies as resolved in that run.
    pub(super) verified_versions: String,
    /// For `fail`: rustc's or the test's message, located in the markdown.
    pub(super) failure: String,
}

impl<'a> Renderer<'a> {
    /// The SVG of the diagram with text `code`, its ids prefixed with `id_prefix`; drawn the
    /// first time it is asked for.
    pub(super) fn diagram_svg(&self, code: &str, id_prefix: &str) -> String {
        let cell = self
            .drawings
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .entry(code.to_string())
            .or_default()
            .clone();
        // Drawn outside the map's lock: other diagrams are not held up.
        cell.get_or_init(|| crate::diagram::draw(code))
            .svg(id_prefix)
    }

    /// A markdown body rendered for the page at `path`, with the theme's heading and code
    /// markup, and its headings for the table of contents. With `print_prefix`, the body is a
    /// section of print.html: its ids get the prefix, links to other content files become
    /// links to their sections, and hidden snippet lines are left out.
    pub(super) fn markdown(
        &self,
        body: &str,
        origin: &Origin,
        path: &str,
        print: Option<PrintSection>,
    ) -> Result<(String, Vec<Heading>), RenderError> {
        let print_prefix = print.as_ref().map(|p| p.prefix.as_str());
        let shift = print.as_ref().map_or(0, |p| p.heading_shift);
        let root = root_of(path);
        let failed: RefCell<Option<RenderError>> = RefCell::new(None);
        let partial = |template: &str, ctx: &Context| -> String {
            self.tera.render(template, ctx).unwrap_or_else(|e| {
                failed.borrow_mut().get_or_insert(RenderError::Template {
                    template: template.to_string(),
                    page: path.to_string(),
                    message: e.to_string(),
                });
                String::new()
            })
        };
        let link = |dest: &str| -> String {
            let fragment = dest.find('#').map(|i| &dest[i + 1..]);
            match (self.site.resolve(&origin.file, dest), print_prefix) {
                (Some(Ok(route)), Some(_)) if print_anchor(self.book, route).is_some() => {
                    let anchor = print_anchor(self.book, route).unwrap_or_default();
                    match fragment {
                        Some(f) if !f.is_empty() && route != Route::Index => {
                            format!("#{anchor}--{f}")
                        }
                        _ => format!("#{anchor}"),
                    }
                }
                (Some(Ok(route)), _) => {
                    let fragment = fragment.map(|f| format!("#{f}")).unwrap_or_default();
                    format!("{root}{}{fragment}", self.site.path(route))
                }
                (None, Some(prefix)) if dest.starts_with('#') && dest.len() > 1 => {
                    format!("#{prefix}{}", &dest[1..])
                }
                _ => dest.to_string(),
            }
        };
        let heading = |h: &HeadingMarkup| {
            let mut ctx = Context::new();
            ctx.insert("level", &(h.level + shift).min(6));
            ctx.insert("id", h.id);
            ctx.insert("inner_html", h.inner_html);
            ctx.insert("words", &self.words);
            partial("partials/heading.html", &ctx)
        };
        let code_block = |c: &CodeBlockMarkup| {
            use crate::snippets::Mark;
            let f = c.fence;
            let mark = if f.is_rust && !f.ignore {
                self.verification.mark(c.info, c.code)
            } else {
                Mark::Unknown
            };
            let verified = mark.state();
            let (verified_date, verified_versions, failure) = match mark {
                Mark::Pass { versions, date } => (date, versions, String::new()),
                Mark::Fail { message, date } => (date, String::new(), message),
                Mark::Unknown => Default::default(),
            };
            let view = CodeView {
                verified,
                verified_date,
                verified_versions,
                failure,
                lang: f.lang.as_deref().unwrap_or(""),
                code_html: c.code_html,
                rust: f.is_rust,
                ignore: f.ignore,
                no_run: f.no_run,
                should_panic: f.should_panic,
                compile_fail: f.compile_fail,
                has_hidden: c.has_hidden,
                label: &self.label,
            };
            let mut ctx = Context::new();
            ctx.insert("code", &view);
            ctx.insert("words", &self.words);
            partial("partials/code.html", &ctx)
        };
        let diagram = |d: &DiagramMarkup| {
            let mut ctx = Context::new();
            ctx.insert("svg", &self.diagram_svg(d.code, d.id_prefix));
            ctx.insert("title", d.title);
            partial("partials/diagram.html", &ctx)
        };
        let ctx = markdown::Context {
            link: &link,
            allow_html: self.book.config.output.html.allow_html,
            // print.html repeats every answer: highlighting it again doubled the build's
            // highlighting, its largest cost, for colours a printed page does not need.
            highlight: self.book.config.output.html.highlight && print_prefix.is_none(),
            heading: &heading,
            code_block: &code_block,
            diagram: &diagram,
            id_prefix: print_prefix.unwrap_or(""),
            omit_hidden_lines: print_prefix.is_some(),
        };
        let r = markdown::render(body, &ctx);
        match failed.into_inner() {
            Some(e) => Err(e),
            None => Ok((r.html, r.headings)),
        }
    }
}
