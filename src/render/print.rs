//! print.html: the whole book in one page, written in parts (the page around its body, then
//! its sections a few dozen at a time) so that a large book's page never sits whole in memory.

use super::views::{self, PrintLevel, PrintPage, PrintSectionView};
use super::{OutputFile, RenderError, Renderer};
use crate::content::{Book, Origin};
use crate::site::Route;
use rayon::prelude::*;
use tera::Context;

/// Where the sections go in the page print.html renders.
pub(super) const PRINT_BODY: &str = "<!--handbook:print-body-->";

/// Sections of print.html rendered (in parallel) per part written.
pub(super) const PRINT_CHUNK: usize = 64;

/// A section of print.html.
#[derive(Debug, Clone, Copy)]
pub(super) enum PrintPart {
    Guide,
    Level(u32),
    Question(usize),
    Article(usize),
}

/// How a body sits in print.html: the prefix of its ids and how far its headings move down.
pub(super) struct PrintSection {
    pub(super) prefix: String,
    pub(super) heading_shift: u8,
}

/// The id of a page's section in print.html (`None` for routes print.html does not hold).
/// Ids of a section's headings are `{anchor}--{id}`: ids are kebab-case, without `--`, so
/// no two sections' ids can meet.
pub(super) fn print_anchor(book: &Book, route: Route) -> Option<String> {
    match route {
        Route::Index => Some("contents".into()),
        Route::Guide => Some("guide".into()),
        Route::Level(n) => Some(crate::site::level_stem(n)),
        Route::Question(i) => Some(format!("q-{}", book.questions[i].meta.id)),
        Route::Article(i) => Some(format!("article-{}", book.articles[i].id)),
        _ => None,
    }
}

impl<'a> Renderer<'a> {
    /// print.html in parts, in order, each handed to `emit`: the page around its body (cover,
    /// table of contents), then the sections (guide, each level and its questions, the
    /// articles) a few dozen at a time, rendered in parallel, then the page's end. At 10,000
    /// questions the page is 200 MB: whole in memory, with its template context, it tripled
    /// the build's peak memory.
    pub(super) fn print_parts<E>(
        &self,
        route: Route,
        path: &str,
        emit: &mut dyn FnMut(OutputFile) -> Result<(), E>,
    ) -> Result<(), E>
    where
        E: From<RenderError>,
    {
        let book = self.book;
        let page = self.render_page(
            "print.html",
            route,
            path,
            self.word("whole_book_title"),
            |ctx| {
                ctx.insert("toc", &views::print_toc(book, &self.shared));
                ctx.insert("body", PRINT_BODY);
            },
        )?;
        let Some((head, tail)) = page.split_once(PRINT_BODY) else {
            return Err(RenderError::Template {
                template: "print.html".into(),
                page: path.into(),
                message: "the template must write `{{ body | safe }}` once: the sections go there"
                    .into(),
            }
            .into());
        };
        let part = |bytes: Vec<u8>, append: bool| OutputFile {
            path: path.to_string(),
            bytes,
            append,
        };
        emit(part(head.as_bytes().to_vec(), false))?;
        let mut sections = vec![PrintPart::Guide];
        for level in &book.levels {
            let n = level.meta.level;
            sections.push(PrintPart::Level(n));
            sections.extend(
                (0..book.questions.len())
                    .filter(|&i| book.questions[i].meta.level == n)
                    .map(PrintPart::Question),
            );
        }
        sections.extend((0..book.articles.len()).map(PrintPart::Article));
        for chunk in sections.chunks(PRINT_CHUNK) {
            let html = chunk
                .par_iter()
                .map(|&s| self.print_section(s, path))
                .collect::<Result<Vec<String>, RenderError>>()?;
            emit(part(html.concat().into_bytes(), true))?;
        }
        emit(part(tail.as_bytes().to_vec(), true))
    }

    /// One section of print.html, through `partials/print-section.html`. Each body's ids get
    /// the section's prefix, so they stay unique in the one page.
    pub(super) fn print_section(&self, part: PrintPart, path: &str) -> Result<String, RenderError> {
        let book = self.book;
        // Sections sit under the book's h1: pages and levels under an h2, questions under an
        // h3, so the bodies' headings move down to keep one outline.
        let body = |route: Route, text: &str, origin: &Origin, heading_shift: u8| {
            let anchor = print_anchor(book, route).unwrap_or_default();
            let print = PrintSection {
                prefix: format!("{anchor}--"),
                heading_shift,
            };
            let (content, _) = self.markdown(text, origin, path, Some(print))?;
            Ok::<_, RenderError>((anchor, content))
        };
        let view = match part {
            PrintPart::Guide => {
                let (anchor, content) =
                    body(Route::Guide, &book.guide.body, &book.guide.origin, 1)?;
                PrintSectionView::Page(PrintPage {
                    eyebrow: false,
                    title: book.guide.title.clone(),
                    description: String::new(),
                    anchor,
                    content,
                })
            }
            PrintPart::Level(n) => {
                let level = book.level(n).expect("a section names a level of the book");
                let (anchor, content) = body(Route::Level(n), &level.body, &level.origin, 1)?;
                PrintSectionView::Level(PrintLevel {
                    level: self.shared.level(n).expect("every level has a nav entry"),
                    anchor,
                    content,
                })
            }
            PrintPart::Question(i) => {
                let q = &book.questions[i];
                let (anchor, content) = body(Route::Question(i), q.body(), &q.origin, 2)?;
                PrintSectionView::Question(Box::new(views::print_question(
                    book, self.site, i, anchor, content,
                )))
            }
            PrintPart::Article(i) => {
                let a = &book.articles[i];
                let (anchor, content) = body(Route::Article(i), &a.body, &a.origin, 1)?;
                PrintSectionView::Page(PrintPage {
                    eyebrow: true,
                    title: a.meta.title.clone(),
                    description: self.shared.site.articles[i].description.clone(),
                    anchor,
                    content,
                })
            }
        };
        let mut ctx = Context::new();
        ctx.insert("site", &self.shared.site);
        ctx.insert("words", &self.words);
        ctx.insert("section", &view);
        self.tera
            .render("partials/print-section.html", &ctx)
            .map_err(|e| RenderError::Template {
                template: "partials/print-section.html".into(),
                page: path.into(),
                message: e.to_string(),
            })
    }
}
