//! From a validated [`Book`] and its route table to the site's files: one template per page
//! kind, pages rendered in parallel. Writing them is `output`'s job.

mod body;
mod exports;
mod print;
mod views;
mod words;

use words::{ScriptWords, fill};

use crate::content::Book;
use crate::markdown::Heading;
use crate::site::{Route, Site};
use crate::snippets::Verification;
use crate::theme::Theme;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use tera::{Context, Tera};
use views::{LevelWithQuestions, Link, ListedQuestion, Shared};

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

/// Renders the whole site into memory, sorted by path; snippets are marked as `record` says.
pub fn render(
    book: &Book,
    theme: &Theme,
    record: &Verification,
) -> Result<Vec<OutputFile>, RenderError> {
    let files = std::sync::Mutex::new(Vec::new());
    render_each(book, theme, record, |file| {
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
    record: &Verification,
    sink: impl Fn(OutputFile) -> Result<(), E> + Sync,
) -> Result<(), E>
where
    E: From<RenderError> + Send,
{
    let site = Site::new(book, &theme.asset_names());
    let r = Renderer::new(book, &site, theme, record)?;
    site.routes().par_iter().try_for_each(|&route| match route {
        Route::Print => r.print_parts(route, site.path(route), &mut |part| sink(part)),
        _ => sink(r.file(route)?),
    })
}

/// Re-renders `routes` of `site`, as a full render with the same `record` would.
pub fn render_routes(
    book: &Book,
    theme: &Theme,
    site: &Site,
    routes: &[Route],
    record: &Verification,
) -> Result<Vec<OutputFile>, RenderError> {
    let r = Renderer::new(book, site, theme, record)?;
    routes.par_iter().map(|&route| r.file(route)).collect()
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
    /// What the verification record says about each snippet. The caller reads it, once, so
    /// that `serve` can tell which pages a new record changes.
    verification: &'a Verification,
    /// The interface words, in the book's language.
    words: crate::theme::Words,
    /// The words the theme's scripts use (keys `script_*`), as JSON for a data attribute:
    /// the words every page gets, then those of each page script (see [`PAGE_SCRIPTS`]).
    script_words: ScriptWords,
    /// Each diagram drawn once, by its text: its page and print.html both show it. A thread
    /// that wants a diagram another is drawing waits for it rather than drawing it again.
    drawings: Mutex<HashMap<String, Arc<OnceLock<crate::diagram::Drawing>>>>,
}

impl<'a> Renderer<'a> {
    fn new(
        book: &'a Book,
        site: &'a Site,
        theme: &Theme,
        verification: &'a Verification,
    ) -> Result<Self, RenderError> {
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
            verification,
            script_words: ScriptWords::new(&words),
            words,
            drawings: Mutex::default(),
        })
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
}
