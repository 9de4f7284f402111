//! From a validated [`Book`] and its route table to the site's files: one template per page
//! kind, pages rendered in parallel. Writing them is `output`'s job.

mod exports;
mod views;

use crate::content::{Book, Origin};
use crate::markdown::{self, CodeBlockMarkup, DiagramMarkup, Heading, HeadingMarkup};
use crate::site::{Route, Site};
use crate::theme::Theme;
use rayon::prelude::*;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use tera::{Context, Tera};
use views::{
    LevelWithQuestions, Link, ListedQuestion, PrintLevel, PrintPage, PrintSectionView, Shared,
};

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("theme: {0}")]
    Theme(String),
    #[error("template `{template}` failed while rendering {page}:\n{message}")]
    Template {
        template: String,
        page: String,
        message: String,
    },
}

/// One output file, or one part of it: a `/`-separated path under the output root and its
/// bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
    /// These bytes continue the file: its earlier parts came first, from the same thread.
    /// Only print.html comes in parts (see `print_parts`); [`render`] joins them.
    pub append: bool,
}

/// Where the sections go in the page print.html renders.
const PRINT_BODY: &str = "<!--handbook:print-body-->";

/// Sections of print.html rendered (in parallel) per part written.
const PRINT_CHUNK: usize = 64;

/// A section of print.html.
#[derive(Debug, Clone, Copy)]
enum PrintPart {
    Guide,
    Level(u32),
    Question(usize),
    Article(usize),
}

/// Renders the whole site into memory, sorted by path.
pub fn render(book: &Book, theme: &Theme) -> Result<Vec<OutputFile>, RenderError> {
    let files = std::sync::Mutex::new(Vec::new());
    render_each(book, theme, |file| {
        files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(file);
        Ok::<(), RenderError>(())
    })?;
    let mut files = files.into_inner().unwrap_or_else(|p| p.into_inner());
    // Stable: the parts of one file keep their order.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut whole: Vec<OutputFile> = Vec::with_capacity(files.len());
    for f in files {
        match whole.last_mut() {
            Some(last) if f.append && last.path == f.path => last.bytes.extend(f.bytes),
            _ => whole.push(OutputFile { append: false, ..f }),
        }
    }
    Ok(whole)
}

/// Renders the whole site, handing each file to `sink` as soon as it is ready, from several
/// threads. `build` writes them straight to disk, so memory stays flat however large the
/// book: holding every page until the end cost 1.2 GB at 10,000 questions.
pub fn render_each<E>(
    book: &Book,
    theme: &Theme,
    sink: impl Fn(OutputFile) -> Result<(), E> + Sync,
) -> Result<(), E>
where
    E: From<RenderError> + Send,
{
    let site = Site::new(book, &theme.asset_names());
    let r = Renderer::new(book, &site, theme)?;
    site.routes().par_iter().try_for_each(|&route| match route {
        Route::Print => r.print_parts(route, site.path(route), &mut |part| sink(part)),
        _ => sink(r.file(route)?),
    })
}

/// Re-renders `routes` of `site`, as a full render would.
pub fn render_routes(
    book: &Book,
    theme: &Theme,
    site: &Site,
    routes: &[Route],
) -> Result<Vec<OutputFile>, RenderError> {
    let r = Renderer::new(book, site, theme)?;
    routes.par_iter().map(|&route| r.file(route)).collect()
}

/// How a body sits in print.html: the prefix of its ids and how far its headings move down.
struct PrintSection {
    prefix: String,
    heading_shift: u8,
}

/// The id of a page's section in print.html (`None` for routes print.html does not hold).
/// Ids of a section's headings are `{anchor}--{id}`: ids are kebab-case, without `--`, so
/// no two sections' ids can meet.
fn print_anchor(book: &Book, route: Route) -> Option<String> {
    match route {
        Route::Index => Some("contents".into()),
        Route::Guide => Some("guide".into()),
        Route::Level(n) => Some(crate::site::level_stem(n)),
        Route::Question(i) => Some(format!("q-{}", book.questions[i].meta.id)),
        Route::Article(i) => Some(format!("article-{}", book.articles[i].id)),
        _ => None,
    }
}

/// `../` repeated once per directory in `path`.
fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

struct Renderer<'a> {
    book: &'a Book,
    site: &'a Site,
    tera: Tera,
    shared: Shared<'a>,
    theme_assets: Vec<(&'static str, Vec<u8>)>,
    label: String,
    /// What the verification record says about each snippet.
    verification: crate::snippets::Verification,
    /// The interface words, in the book's language.
    words: crate::theme::Words,
    /// The words the theme's scripts use (keys `script_*`), as JSON for a data attribute:
    /// the words every page gets, then those of each page script (see [`PAGE_SCRIPTS`]).
    script_words: ScriptWords,
    /// Each diagram drawn once, by its text: its page and print.html both show it. A thread
    /// that wants a diagram another is drawing waits for it rather than drawing it again.
    drawings: Mutex<HashMap<String, Arc<OnceLock<crate::diagram::Drawing>>>>,
}

/// The pages whose template loads a script of the same name: that script's words (keys
/// `script_NAME_*`) go only to the page of template `NAME.html`, so no other page carries them.
const PAGE_SCRIPTS: [&str; 3] = ["scorecard", "calibrate", "drill"];

/// The `script_*` words as JSON for a page's `data-words`, by page script.
struct ScriptWords {
    /// The words of the scripts every page loads.
    common: String,
    /// For each of [`PAGE_SCRIPTS`], the common words and that script's own.
    pages: Vec<(&'static str, String)>,
}

impl ScriptWords {
    fn new(words: &crate::theme::Words) -> Self {
        let page_of = |key: &str| {
            PAGE_SCRIPTS.into_iter().find(|page| {
                key.strip_prefix("script_")
                    .and_then(|rest| rest.strip_prefix(page))
                    .is_some_and(|rest| rest.starts_with('_'))
            })
        };
        let json = |page: Option<&str>| {
            serde_json::to_string(
                &words
                    .iter()
                    .filter(|(key, _)| {
                        let own = page_of(key);
                        key.starts_with("script_") && (own.is_none() || own == page)
                    })
                    .collect::<std::collections::BTreeMap<_, _>>(),
            )
            .unwrap_or_default()
        };
        ScriptWords {
            common: json(None),
            pages: PAGE_SCRIPTS
                .into_iter()
                .map(|p| (p, json(Some(p))))
                .collect(),
        }
    }

    /// The JSON for a page rendered from `template`.
    fn for_template(&self, template: &str) -> &str {
        let stem = template.strip_suffix(".html").unwrap_or(template);
        self.pages
            .iter()
            .find(|(page, _)| *page == stem)
            .map_or(&self.common, |(_, json)| json)
    }
}

/// `word` with each `{name}` replaced by its value.
fn fill(word: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(word.to_string(), |w, (name, value)| {
        w.replace(&format!("{{{name}}}"), value)
    })
}

/// What the code-block partial gets.
#[derive(Serialize)]
struct CodeView<'a> {
    lang: &'a str,
    code_html: &'a str,
    rust: bool,
    ignore: bool,
    no_run: bool,
    should_panic: bool,
    compile_fail: bool,
    has_hidden: bool,
    label: &'a str,
    /// `pass`, `fail` or `unknown`: what the verification record shows for exactly this
    /// snippet (text, library and dependencies); `ignore` fences are `unknown`.
    verified: &'static str,
    /// For `pass` and `fail`: the run's date (UTC, `YYYY-MM-DD`).
    verified_date: String,
    /// For `pass`: the direct dependencies as resolved in that run.
    verified_versions: String,
    /// For `fail`: rustc's or the test's message, located in the markdown.
    failure: String,
}

impl<'a> Renderer<'a> {
    fn new(book: &'a Book, site: &'a Site, theme: &Theme) -> Result<Self, RenderError> {
        let words = theme
            .words(&book.config.output.html.words)
            .map_err(RenderError::Theme)?;
        Ok(Renderer {
            book,
            site,
            tera: theme.tera().map_err(RenderError::Theme)?,
            shared: Shared::new(book, site),
            theme_assets: theme.static_files().map_err(RenderError::Theme)?,
            label: book.config.test.label(),
            verification: crate::snippets::Verification::load(book),
            script_words: ScriptWords::new(&words),
            words,
            drawings: Mutex::default(),
        })
    }

    /// The SVG of the diagram with text `code`, its ids prefixed with `id_prefix`; drawn the
    /// first time it is asked for.
    fn diagram_svg(&self, code: &str, id_prefix: &str) -> String {
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

    /// The file of one route.
    fn file(&self, route: Route) -> Result<OutputFile, RenderError> {
        let path = self.site.path(route).to_string();
        let bytes = match route {
            Route::SearchIndex => exports::search_index(self.book, self.site).into_bytes(),
            Route::QuestionsJson => exports::questions_json(self.book, self.site).into_bytes(),
            Route::ThemeAsset(i) => self.theme_assets[i].1.clone(),
            Route::ContentAsset(i) => {
                let asset = &self.book.assets[i];
                std::fs::read(self.book.root.join(crate::content::CONTENT_DIR).join(asset))
                    .map_err(|e| {
                        RenderError::Theme(format!("cannot read asset content/{path}: {e}"))
                    })?
            }
            page => self.page(page, &path)?.into_bytes(),
        };
        Ok(OutputFile {
            path,
            bytes,
            append: false,
        })
    }

    fn page(&self, route: Route, path: &str) -> Result<String, RenderError> {
        let book = self.book;
        match route {
            Route::Index => {
                let (html, headings) =
                    self.markdown(&book.index.body, &book.index.origin, path, None)?;
                let levels: Vec<LevelWithQuestions> = self
                    .shared
                    .site
                    .levels
                    .iter()
                    .zip(&self.shared.nav_questions)
                    .map(|(level, questions)| LevelWithQuestions { level, questions })
                    .collect();
                self.render_page("index.html", route, path, &book.index.title, |ctx| {
                    ctx.insert("content", &html);
                    ctx.insert("headings", &headings);
                    ctx.insert("levels_with_questions", &levels);
                    // How many executed snippets the verification record shows as passing in
                    // their current form (`verified`, `failed`, `unknown`, `total`). Counted
                    // for this page only: it reads every answer's fences.
                    ctx.insert("verification", &self.verification.counts(book));
                })
            }
            Route::Guide => {
                let (html, headings) =
                    self.markdown(&book.guide.body, &book.guide.origin, path, None)?;
                self.render_page("page.html", route, path, &book.guide.title, |ctx| {
                    ctx.insert("content", &html);
                    ctx.insert("headings", &headings);
                    // The guide ends with the rating scale its severity model refers to.
                    ctx.insert("rating_scale", &book.guide.ratings);
                })
            }
            Route::Search => {
                self.render_page("search.html", route, path, self.word("search"), |_| {})
            }
            Route::NotFound => {
                self.render_page("404.html", route, path, self.word("page_not_found"), |_| {})
            }
            // The views are built inside `fill` so they are freed once copied into the
            // context: at 10,000 questions they are tens of megabytes.
            Route::InterviewSheet => self.render_page(
                "sheet-interview.html",
                route,
                path,
                self.word("interview_summary_sheet"),
                |ctx| ctx.insert("questions", &views::all_listed(book, self.site)),
            ),
            Route::Scorecard => {
                let data =
                    exports::scorecard_data(book, self.site, self.shared.site.ratings, false);
                self.render_page(
                    "scorecard.html",
                    route,
                    path,
                    self.word("interview_scorecard"),
                    |ctx| {
                        ctx.insert("questions", &views::all_listed(book, self.site));
                        ctx.insert("scorecard_data", &data);
                    },
                )
            }
            Route::Calibrate => {
                let data =
                    exports::scorecard_data(book, self.site, self.shared.site.ratings, false);
                self.render_page(
                    "calibrate.html",
                    route,
                    path,
                    self.word("calibration_session"),
                    |ctx| ctx.insert("scorecard_data", &data),
                )
            }
            Route::Drill => {
                let data = exports::scorecard_data(book, self.site, self.shared.site.ratings, true);
                self.render_page(
                    "drill.html",
                    route,
                    path,
                    self.word("calibration_drill"),
                    |ctx| ctx.insert("scorecard_data", &data),
                )
            }
            Route::AnchorsSheet(n) => {
                let nav = self.shared.level(n).expect("every level has a nav entry");
                let title = fill(self.word("level_anchors_title"), &[("n", &n.to_string())]);
                self.render_page("sheet-anchors.html", route, path, &title, |ctx| {
                    ctx.insert("level", nav);
                    let questions: Vec<ListedQuestion> = (0..book.questions.len())
                        .filter(|&i| book.questions[i].meta.level == n)
                        .map(|i| views::listed(book, self.site, i, false))
                        .collect();
                    ctx.insert("questions", &questions);
                })
            }
            Route::Level(n) | Route::LevelSheet(n) => {
                let level = book.level(n).expect("a route names a level of the book");
                let nav = self.shared.level(n).expect("every level has a nav entry");
                let (html, headings) = self.markdown(&level.body, &level.origin, path, None)?;
                let number = n.to_string();
                let (template, title) = match route {
                    Route::LevelSheet(_) => (
                        "sheet-level.html",
                        fill(self.word("level_sheet_title"), &[("n", &number)]),
                    ),
                    _ => (
                        "level.html",
                        fill(
                            self.word("level_title"),
                            &[("n", &number), ("title", &level.meta.title)],
                        ),
                    ),
                };
                self.render_page(template, route, path, &title, |ctx| {
                    ctx.insert("level", nav);
                    ctx.insert("content", &html);
                    ctx.insert("headings", &headings);
                    let questions: Vec<ListedQuestion> = (0..book.questions.len())
                        .filter(|&i| book.questions[i].meta.level == n)
                        .map(|i| views::listed(book, self.site, i, true))
                        .collect();
                    ctx.insert("questions", &questions);
                })
            }
            Route::Question(i) => {
                let q = &book.questions[i];
                let view = views::question(book, self.site, i);
                let (html, headings) = self.markdown(q.body(), &q.origin, path, None)?;
                let nav = self
                    .shared
                    .level(q.meta.level)
                    .expect("every level has a nav entry");
                let title = &self.site.title(i).text;
                self.render_page("question.html", route, path, title, |ctx| {
                    ctx.insert("q", &view);
                    ctx.insert("level", nav);
                    ctx.insert("content", &html);
                    ctx.insert("headings", &headings);
                })
            }
            Route::Article(i) => {
                let a = &book.articles[i];
                let (html, headings) = self.markdown(&a.body, &a.origin, path, None)?;
                let nav = &self.shared.site.articles[i];
                self.render_page("article.html", route, path, &a.meta.title, |ctx| {
                    ctx.insert("article", nav);
                    ctx.insert("content", &html);
                    ctx.insert("headings", &headings);
                })
            }
            Route::Print => {
                let mut page = Vec::new();
                self.print_parts(route, path, &mut |part: OutputFile| {
                    page.extend(part.bytes);
                    Ok::<(), RenderError>(())
                })?;
                // The parts are rendered strings, cut only at the ASCII marker: valid UTF-8.
                String::from_utf8(page).map_err(|e| RenderError::Theme(e.to_string()))
            }
            Route::SearchIndex
            | Route::QuestionsJson
            | Route::ThemeAsset(_)
            | Route::ContentAsset(_) => unreachable!("not a page: {route:?}"),
        }
    }

    /// print.html in parts, in order, each handed to `emit`: the page around its body (cover,
    /// table of contents), then the sections (guide, each level and its questions, the
    /// articles) a few dozen at a time, rendered in parallel, then the page's end. At 10,000
    /// questions the page is 200 MB: whole in memory, with its template context, it tripled
    /// the build's peak memory.
    fn print_parts<E>(
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
    fn print_section(&self, part: PrintPart, path: &str) -> Result<String, RenderError> {
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

    fn render_page(
        &self,
        template: &str,
        route: Route,
        path: &str,
        title: &str,
        fill: impl FnOnce(&mut Context),
    ) -> Result<String, RenderError> {
        let mut ctx = Context::new();
        ctx.insert("site", &self.shared.site);
        ctx.insert("root", &root_of(path));
        ctx.insert("path", path);
        ctx.insert("title", title);
        let (prev, next) = self.site.neighbours(route);
        ctx.insert("prev", &prev.map(|r| self.link(r)));
        ctx.insert("next", &next.map(|r| self.link(r)));
        ctx.insert("headings", &Vec::<Heading>::new());
        ctx.insert("words", &self.words);
        ctx.insert("script_words", self.script_words.for_template(template));
        fill(&mut ctx);
        self.tera
            .render(template, &ctx)
            .map_err(|e| RenderError::Template {
                template: template.to_string(),
                page: path.to_string(),
                message: e.to_string(),
            })
    }

    /// An interface word (the key is one of the default theme's, so it is always there).
    fn word<'s>(&'s self, key: &'s str) -> &'s str {
        self.words.get(key).map(String::as_str).unwrap_or(key)
    }

    /// A page in reading order, for previous/next links: its plain-text title and URL.
    fn link(&self, route: Route) -> Link {
        let title = match route {
            Route::Index => self.book.index.title.clone(),
            Route::Guide => self.book.guide.title.clone(),
            Route::Level(n) => {
                let title = self
                    .book
                    .level(n)
                    .map(|l| l.meta.title.as_str())
                    .unwrap_or("");
                fill(
                    self.word("level_title"),
                    &[("n", &n.to_string()), ("title", title)],
                )
            }
            Route::Question(i) => self.site.title(i).text.clone(),
            Route::Article(i) => self.book.articles[i].meta.title.clone(),
            _ => String::new(),
        };
        Link {
            title,
            url: self.site.path(route).to_string(),
        }
    }

    /// A markdown body rendered for the page at `path`, with the theme's heading and code
    /// markup, and its headings for the table of contents. With `print_prefix`, the body is a
    /// section of print.html: its ids get the prefix, links to other content files become
    /// links to their sections, and hidden snippet lines are left out.
    fn markdown(
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
            highlight: self.book.config.output.html.highlight,
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
