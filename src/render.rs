//! From a validated [`Book`] to the site's files, in memory: one function per page kind,
//! templates from the theme, pages rendered in parallel. Writing them is `output`'s job.

use crate::content::{Book, Origin, Question, QuestionMeta, Rating, level_stem, question_path};
use crate::markdown::{self, Heading};
use crate::theme::Theme;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use tera::{Context, Tera};

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

/// One output file: a `/`-separated path under the output root and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The site-wide context every template gets: built once, shared by all pages.
#[derive(Serialize)]
struct Site<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    authors: &'a [String],
    levels: Vec<NavLevel>,
    question_count: usize,
    /// The guide's rating scale: every legend, sheet and the scorecard take it from here.
    ratings: Vec<Rating>,
}

#[derive(Serialize, Clone)]
struct NavLevel {
    number: u32,
    title: String,
    probes: String,
    red_flag: String,
    red_flag_short: String,
    url: String,
    sheet_url: String,
    /// Only the count: the site context goes to every page, so it must not grow with the
    /// book (pages that list questions get them separately).
    question_count: usize,
}

/// A level with its questions, for the pages that list them all.
#[derive(Serialize)]
struct LevelWithQuestions<'a> {
    #[serde(flatten)]
    level: &'a NavLevel,
    questions: &'a [NavQuestion],
}

#[derive(Serialize, Clone)]
struct NavQuestion {
    id: String,
    level: u32,
    order: u32,
    question: String,
    question_html: String,
    url: String,
}

#[derive(Serialize)]
struct Link {
    title: String,
    url: String,
}

/// A question as its own page sees it: every front matter field, inline markdown rendered
/// to HTML, plus the connections pointing at it.
#[derive(Serialize)]
struct QuestionView {
    #[serde(flatten)]
    listed: ListedQuestion,
    follow_ups: Vec<String>,
    sources: Vec<Link>,
    connected_from: Vec<ConnectionView>,
}

/// A question as pages that list many of them see it (levels, sheets, scorecard): what a
/// list shows, without the follow-ups, sources and backlinks of the question's own page.
/// At 10,000 questions the full view made the scorecard's context the build's peak memory.
#[derive(Serialize)]
struct ListedQuestion {
    id: String,
    level: u32,
    order: u32,
    question: String,
    question_html: String,
    summary: String,
    signals: Vec<String>,
    red_flags: Vec<String>,
    /// Rating anchors in scale order; empty when the question has none.
    anchors: Vec<AnchorView>,
    /// Only on level pages and level sheets; the whole-bank pages do not show connections.
    #[serde(skip_serializing_if = "Option::is_none")]
    connects_to: Option<Vec<ConnectionView>>,
    url: String,
}

/// One rating anchor: the rating, its label from the guide's scale, and the example answer.
#[derive(Serialize)]
struct AnchorView {
    value: u8,
    label: String,
    text: String,
}

#[derive(Serialize, Clone)]
struct ConnectionView {
    id: String,
    level: u32,
    question: String,
    question_html: String,
    why: String,
    url: String,
}

struct Renderer<'a> {
    book: &'a Book,
    tera: Tera,
    site: Site<'a>,
    label: String,
    /// Connections pointing at each question (the reverse direction), by target id.
    incoming: BTreeMap<&'a str, Vec<ConnectionView>>,
    /// Each level's questions (same order as `site.levels`).
    nav_questions: Vec<Vec<NavQuestion>>,
    /// Pages in reading order, and each page's position in it, for previous/next links.
    reading_order: Vec<Link>,
    position: std::collections::HashMap<String, usize>,
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
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
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
    let r = Renderer::new(book, theme)?;
    let mut jobs: Vec<Job> = vec![
        Job::Index,
        Job::Guide,
        Job::Search,
        Job::NotFound,
        Job::InterviewSheet,
        Job::Scorecard,
        Job::Calibrate,
        Job::Drill,
    ];
    for level in &book.levels {
        jobs.push(Job::Level(level.meta.level));
        jobs.push(Job::LevelSheet(level.meta.level));
        jobs.push(Job::AnchorsSheet(level.meta.level));
    }
    for q in &book.questions {
        jobs.push(Job::Question(q));
    }
    jobs.par_iter().try_for_each(|job| sink(r.page(job)?))?;
    for (name, bytes) in theme.static_files().map_err(RenderError::Theme)? {
        sink(OutputFile {
            path: format!("assets/{name}"),
            bytes,
        })?;
    }
    sink(OutputFile {
        path: "search-index.js".into(),
        bytes: r.search_index().into_bytes(),
    })?;
    sink(OutputFile {
        path: "questions.json".into(),
        bytes: r.questions_json().into_bytes(),
    })?;
    for asset in &book.assets {
        let rel = asset.to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(book.root.join(crate::content::CONTENT_DIR).join(asset))
            .map_err(|e| RenderError::Theme(format!("cannot read asset content/{rel}: {e}")))?;
        sink(OutputFile { path: rel, bytes })?;
    }
    Ok(())
}

/// Re-renders the output files at `paths` (output-relative), as a full render would.
pub fn render_paths(
    book: &Book,
    theme: &Theme,
    paths: &BTreeSet<String>,
) -> Result<Vec<OutputFile>, RenderError> {
    let r = Renderer::new(book, theme)?;
    let paths: Vec<&String> = paths.iter().collect();
    paths
        .par_iter()
        .map(|path| {
            Ok(match path.as_str() {
                "search-index.js" => OutputFile {
                    path: path.to_string(),
                    bytes: r.search_index().into_bytes(),
                },
                "questions.json" => OutputFile {
                    path: path.to_string(),
                    bytes: r.questions_json().into_bytes(),
                },
                p => {
                    let job = r
                        .job_for(p)
                        .ok_or_else(|| RenderError::Theme(format!("no page `{p}`")))?;
                    r.page(&job)?
                }
            })
        })
        .collect()
}

/// The output files that show a question's front matter: what must be re-rendered when it
/// changes (`previous` is the front matter before the change). With the default templates
/// (`default_templates`), a page that lists many questions is re-rendered only when a field
/// it shows changed: at 1,000 questions the scorecard alone takes about 100 ms. A theme that
/// overrides templates may show any field, so then every page that lists the question is.
pub fn pages_showing(
    book: &Book,
    id: &str,
    previous: &QuestionMeta,
    default_templates: bool,
) -> BTreeSet<String> {
    let mut paths: BTreeSet<String> = ["search-index.js", "questions.json"]
        .into_iter()
        .map(String::from)
        .collect();
    let Some(q) = book.question(id) else {
        paths.extend(
            [
                "index.html",
                "sheets/interview.html",
                "scorecard.html",
                "calibrate.html",
                "drill.html",
            ]
                .into_iter()
                .map(String::from),
        );
        return paths;
    };
    let now = &q.meta;
    let all = !default_templates;
    let title = all || previous.question != now.question;
    let calibration =
        title || previous.signals != now.signals || previous.red_flags != now.red_flags;
    let connections = title || previous.connections != now.connections;
    let anchors = title || previous.anchors != now.anchors;
    let stem = level_stem(now.level);
    paths.insert(question_path(id));
    let mut add = |shown: bool, path: String| {
        if shown {
            paths.insert(path);
        }
    };
    add(title, "index.html".into());
    add(title, "sheets/interview.html".into());
    add(calibration || anchors, "scorecard.html".into());
    add(calibration, "calibrate.html".into());
    add(anchors, "drill.html".into());
    add(anchors, format!("sheets/anchors-{stem}.html"));
    add(
        title || previous.summary != now.summary,
        format!("levels/{stem}.html"),
    );
    add(calibration || connections, format!("sheets/{stem}.html"));
    // Neighbours show its title in their previous/next links.
    let in_level: Vec<&Question> = book.questions_in(now.level).collect();
    if let Some(i) = in_level.iter().position(|x| x.meta.id == id) {
        if let Some(prev) = i.checked_sub(1).and_then(|j| in_level.get(j)) {
            add(title, question_path(&prev.meta.id));
        }
        match in_level.get(i + 1) {
            Some(next) => add(title, question_path(&next.meta.id)),
            None => add(title, format!("levels/{}.html", level_stem(now.level + 1))),
        };
    }
    // Connected questions show it, in both directions, before and after the change.
    if connections {
        for c in previous.connections.iter().chain(&now.connections) {
            paths.insert(question_path(&c.to));
        }
        for other in &book.questions {
            if other.meta.connections.iter().any(|c| c.to == id) {
                paths.insert(question_path(&other.meta.id));
            }
        }
    }
    paths.retain(|p| {
        !p.starts_with("levels/")
            || book
                .output_path(&format!("{}.md", p.trim_end_matches(".html")))
                .is_some()
    });
    paths
}

enum Job<'a> {
    Index,
    Guide,
    Search,
    NotFound,
    InterviewSheet,
    Scorecard,
    Calibrate,
    Drill,
    Level(u32),
    LevelSheet(u32),
    AnchorsSheet(u32),
    Question(&'a Question),
}

/// `../` repeated once per directory in `path`.
fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

impl<'a> Renderer<'a> {
    fn new(book: &'a Book, theme: &Theme) -> Result<Self, RenderError> {
        let tera = theme.tera().map_err(RenderError::Theme)?;
        let levels: Vec<NavLevel> = book
            .levels
            .iter()
            .map(|l| NavLevel {
                number: l.meta.level,
                title: l.meta.title.clone(),
                probes: l.meta.probes.clone(),
                red_flag: l.meta.red_flag.clone(),
                red_flag_short: l.meta.red_flag_short.clone(),
                url: format!("levels/{}.html", level_stem(l.meta.level)),
                sheet_url: format!("sheets/{}.html", level_stem(l.meta.level)),
                question_count: book.questions_in(l.meta.level).count(),
            })
            .collect();
        let nav_questions: Vec<Vec<NavQuestion>> = book
            .levels
            .iter()
            .map(|l| {
                book.questions_in(l.meta.level)
                    .map(|q| NavQuestion {
                        id: q.meta.id.clone(),
                        level: q.meta.level,
                        order: q.meta.order,
                        question: q.meta.question.clone(),
                        question_html: inline(&q.meta.question),
                        url: question_path(&q.meta.id),
                    })
                    .collect()
            })
            .collect();
        let mut incoming: BTreeMap<&str, Vec<ConnectionView>> = BTreeMap::new();
        for q in &book.questions {
            for c in &q.meta.connections {
                incoming
                    .entry(c.to.as_str())
                    .or_default()
                    .push(ConnectionView {
                        id: q.meta.id.clone(),
                        level: q.meta.level,
                        question: q.meta.question.clone(),
                        question_html: inline(&q.meta.question),
                        why: inline(&c.why),
                        url: question_path(&q.meta.id),
                    });
            }
        }
        let reading_order = reading_order(book, &levels, &nav_questions);
        // A guide without `ratings:` still gets the severity model's four values, unlabelled
        // (`check` warns about it); validation keeps a given scale to exactly 1, 2, 3, 4.
        let ratings = if book.guide.ratings.is_empty() {
            (1..=4)
                .map(|value| Rating {
                    value,
                    label: String::new(),
                    meaning: String::new(),
                })
                .collect()
        } else {
            book.guide.ratings.clone()
        };
        let position = reading_order
            .iter()
            .enumerate()
            .map(|(i, l)| (l.url.clone(), i))
            .collect();
        Ok(Renderer {
            nav_questions,
            reading_order,
            position,
            book,
            tera,
            site: Site {
                title: &book.config.book.title,
                description: &book.config.book.description,
                language: &book.config.book.language,
                authors: &book.config.book.authors,
                levels,
                question_count: book.questions.len(),
                ratings,
            },
            label: book.config.test.label(),
            incoming,
        })
    }

    /// The job that renders the page at an output path.
    fn job_for(&self, path: &str) -> Option<Job<'a>> {
        let level = |prefix: &str| -> Option<u32> {
            let n = path
                .strip_prefix(prefix)?
                .strip_prefix("level-")?
                .strip_suffix(".html")?
                .parse()
                .ok()?;
            self.book.level(n).map(|_| n)
        };
        Some(match path {
            "index.html" => Job::Index,
            "guide.html" => Job::Guide,
            "search.html" => Job::Search,
            "404.html" => Job::NotFound,
            "sheets/interview.html" => Job::InterviewSheet,
            "scorecard.html" => Job::Scorecard,
            "calibrate.html" => Job::Calibrate,
            "drill.html" => Job::Drill,
            p if p.starts_with("levels/") => Job::Level(level("levels/")?),
            p if p.starts_with("sheets/anchors-") => Job::AnchorsSheet(level("sheets/anchors-")?),
            p if p.starts_with("sheets/") => Job::LevelSheet(level("sheets/")?),
            p => Job::Question(
                self.book
                    .question(p.strip_prefix("questions/")?.strip_suffix(".html")?)?,
            ),
        })
    }

    fn page(&self, job: &Job) -> Result<OutputFile, RenderError> {
        match job {
            Job::Index => {
                let (html, headings) =
                    self.markdown(&self.book.index.body, &self.book.index.origin, "index.html");
                let levels: Vec<LevelWithQuestions> = self
                    .site
                    .levels
                    .iter()
                    .zip(&self.nav_questions)
                    .map(|(level, questions)| LevelWithQuestions { level, questions })
                    .collect();
                self.render_page("index.html", "index.html", &self.book.index.title, |ctx| {
                    ctx.insert("content", &html);
                    ctx.insert("headings", &headings);
                    ctx.insert("levels_with_questions", &levels);
                })
            }
            Job::Guide => {
                let (html, headings) =
                    self.markdown(&self.book.guide.body, &self.book.guide.origin, "guide.html");
                self.render_page("page.html", "guide.html", &self.book.guide.title, |ctx| {
                    ctx.insert("content", &html);
                    ctx.insert("headings", &headings);
                    // The guide ends with the rating scale its severity model refers to.
                    ctx.insert("rating_scale", &self.book.guide.ratings);
                })
            }
            Job::Search => self.render_page("search.html", "search.html", "Search", |_| {}),
            Job::NotFound => self.render_page("404.html", "404.html", "Page not found", |_| {}),
            Job::InterviewSheet => {
                // The views are built inside `fill` so they are freed once copied into the
                // context: at 10,000 questions they are tens of megabytes.
                self.render_page(
                    "sheet-interview.html",
                    "sheets/interview.html",
                    "Interview summary sheet",
                    |ctx| {
                        ctx.insert("questions", &self.all_listed());
                    },
                )
            }
            Job::Scorecard => {
                let data = self.scorecard_data(false);
                self.render_page(
                    "scorecard.html",
                    "scorecard.html",
                    "Interview scorecard",
                    |ctx| {
                        ctx.insert("questions", &self.all_listed());
                        ctx.insert("scorecard_data", &data);
                    },
                )
            }
            Job::Calibrate => self.calibrate_page(),
            Job::Drill => self.drill_page(),
            Job::AnchorsSheet(n) => self.anchors_sheet(*n),
            Job::Level(n) | Job::LevelSheet(n) => {
                let level = self.book.level(*n).expect("validated level");
                let nav = self
                    .site
                    .levels
                    .iter()
                    .find(|l| l.number == *n)
                    .cloned()
                    .expect("nav level");
                let is_sheet = matches!(job, Job::LevelSheet(_));
                let path = if is_sheet { &nav.sheet_url } else { &nav.url };
                let (html, headings) = self.markdown(&level.body, &level.origin, path);
                let title = if is_sheet {
                    format!("Level {n} calibration sheet")
                } else {
                    format!("Level {n}: {}", level.meta.title)
                };
                let template = if is_sheet {
                    "sheet-level.html"
                } else {
                    "level.html"
                };
                self.render_page(template, path, &title, |ctx| {
                    ctx.insert("level", &nav);
                    ctx.insert("content", &html);
                    ctx.insert("headings", &headings);
                    let questions: Vec<ListedQuestion> = self
                        .book
                        .questions_in(*n)
                        .map(|q| self.listed(q, true))
                        .collect();
                    ctx.insert("questions", &questions);
                })
            }
            Job::Question(q) => {
                let view = self.question_view(q);
                let (html, headings) = self.markdown(q.body(), &q.origin, &view.listed.url);
                let nav = self
                    .site
                    .levels
                    .iter()
                    .find(|l| l.number == q.meta.level)
                    .cloned()
                    .expect("nav level");
                self.render_page(
                    "question.html",
                    &view.listed.url.clone(),
                    &q.meta.question,
                    |ctx| {
                        ctx.insert("q", &view);
                        ctx.insert("level", &nav);
                        ctx.insert("content", &html);
                        ctx.insert("headings", &headings);
                    },
                )
            }
        }
    }

    fn render_page(
        &self,
        template: &str,
        path: &str,
        title: &str,
        fill: impl FnOnce(&mut Context),
    ) -> Result<OutputFile, RenderError> {
        let mut ctx = Context::new();
        ctx.insert("site", &self.site);
        ctx.insert("root", &root_of(path));
        ctx.insert("path", path);
        ctx.insert("title", title);
        let (prev, next) = self.neighbours(path);
        ctx.insert("prev", &prev);
        ctx.insert("next", &next);
        ctx.insert("headings", &Vec::<Heading>::new());
        fill(&mut ctx);
        let html = self
            .tera
            .render(template, &ctx)
            .map_err(|e| RenderError::Template {
                template: template.to_string(),
                page: path.to_string(),
                message: e.to_string(),
            })?;
        Ok(OutputFile {
            path: path.to_string(),
            bytes: html.into_bytes(),
        })
    }

    /// Previous and next page in reading order.
    fn neighbours(&self, path: &str) -> (Option<&Link>, Option<&Link>) {
        match self.position.get(path) {
            Some(&i) => (
                i.checked_sub(1).and_then(|j| self.reading_order.get(j)),
                self.reading_order.get(i + 1),
            ),
            None => (None, None),
        }
    }

    fn markdown(&self, body: &str, origin: &Origin, page_path: &str) -> (String, Vec<Heading>) {
        let root = root_of(page_path);
        let link = |dest: &str| -> String {
            match crate::content::resolve_link(self.book, &origin.file, dest) {
                Some(Ok(target)) => {
                    let fragment = dest.find('#').map(|i| &dest[i..]).unwrap_or("");
                    format!("{root}{target}{fragment}")
                }
                _ => dest.to_string(),
            }
        };
        let ctx = markdown::Context {
            link: &link,
            allow_html: self.book.config.output.html.allow_html,
            highlight: self.book.config.output.html.highlight,
            snippet_label: &self.label,
        };
        let r = markdown::render(body, &ctx);
        (r.html, r.headings)
    }

    fn all_listed(&self) -> Vec<ListedQuestion> {
        self.book
            .questions
            .iter()
            .map(|q| self.listed(q, false))
            .collect()
    }

    fn listed(&self, q: &Question, with_connections: bool) -> ListedQuestion {
        let m = &q.meta;
        ListedQuestion {
            id: m.id.clone(),
            level: m.level,
            order: m.order,
            question: m.question.clone(),
            question_html: inline(&m.question),
            summary: inline(&m.summary),
            signals: m.signals.iter().map(|s| inline(s)).collect(),
            red_flags: m.red_flags.iter().map(|s| inline(s)).collect(),
            anchors: self.anchors_of(m),
            connects_to: with_connections.then(|| self.connections_of(q)),
            url: question_path(&m.id),
        }
    }

    /// A question's anchors in scale order, labelled from the guide's scale.
    fn anchors_of(&self, m: &QuestionMeta) -> Vec<AnchorView> {
        self.site
            .ratings
            .iter()
            .filter_map(|r| {
                Some(AnchorView {
                    value: r.value,
                    label: r.label.clone(),
                    text: inline(m.anchors.get(&r.value)?),
                })
            })
            .collect()
    }

    fn connections_of(&self, q: &Question) -> Vec<ConnectionView> {
        q.meta
            .connections
            .iter()
            .filter_map(|c| {
                let t = self.book.question(&c.to)?;
                Some(ConnectionView {
                    id: t.meta.id.clone(),
                    level: t.meta.level,
                    question: t.meta.question.clone(),
                    question_html: inline(&t.meta.question),
                    why: inline(&c.why),
                    url: question_path(&t.meta.id),
                })
            })
            .collect()
    }

    fn question_view(&self, q: &Question) -> QuestionView {
        let m = &q.meta;
        QuestionView {
            listed: self.listed(q, true),
            follow_ups: m.follow_ups.iter().map(|s| inline(s)).collect(),
            sources: m
                .sources
                .iter()
                .map(|s| Link {
                    title: s.title.clone(),
                    url: s.url.clone(),
                })
                .collect(),
            connected_from: self
                .incoming
                .get(m.id.as_str())
                .cloned()
                .unwrap_or_default(),
        }
    }

    /// The calibration session page: loads exported scorecards in the browser.
    fn calibrate_page(&self) -> Result<OutputFile, RenderError> {
        let data = self.scorecard_data(false);
        self.render_page(
            "calibrate.html",
            "calibrate.html",
            "Calibration session",
            |ctx| ctx.insert("scorecard_data", &data),
        )
    }

    /// The calibration drill: rate a level's anchors without seeing their ratings.
    fn drill_page(&self) -> Result<OutputFile, RenderError> {
        let data = self.scorecard_data(true);
        self.render_page("drill.html", "drill.html", "Calibration drill", |ctx| {
            ctx.insert("scorecard_data", &data)
        })
    }

    /// A level's printable anchors sheet: each question's example answer for every rating.
    fn anchors_sheet(&self, n: u32) -> Result<OutputFile, RenderError> {
        let nav = self
            .site
            .levels
            .iter()
            .find(|l| l.number == n)
            .expect("validated level");
        self.render_page(
            "sheet-anchors.html",
            &format!("sheets/anchors-{}.html", level_stem(n)),
            &format!("Level {n} rating anchors"),
            |ctx| {
                ctx.insert("level", nav);
                let questions: Vec<ListedQuestion> = self
                    .book
                    .questions_in(n)
                    .map(|q| self.listed(q, false))
                    .collect();
                ctx.insert("questions", &questions);
            },
        )
    }

    /// What the scorecard, calibration and drill scripts need, as JSON safe to embed in a
    /// `<script>` element. Anchors only when asked: the drill is the only script using them.
    fn scorecard_data(&self, with_anchors: bool) -> String {
        // Borrowed views serialized straight to text: a `serde_json::Value` tree of every
        // question was a large transient at 10,000 questions.
        #[derive(Serialize)]
        struct Data<'a> {
            book: &'a str,
            ratings: &'a [Rating],
            levels: Vec<LevelData<'a>>,
            questions: Vec<QuestionData<'a>>,
        }
        #[derive(Serialize)]
        struct LevelData<'a> {
            number: u32,
            title: &'a str,
            red_flag: &'a str,
        }
        #[derive(Serialize)]
        struct QuestionData<'a> {
            id: &'a str,
            level: u32,
            order: u32,
            question: &'a str,
            signals: &'a [String],
            red_flags: &'a [String],
            #[serde(skip_serializing_if = "Option::is_none")]
            question_html: Option<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            anchors: Option<Vec<AnchorView>>,
        }
        let data = Data {
            book: &self.book.config.book.title,
            ratings: &self.site.ratings,
            levels: self
                .book
                .levels
                .iter()
                .map(|l| LevelData {
                    number: l.meta.level,
                    title: &l.meta.title,
                    red_flag: &l.meta.red_flag,
                })
                .collect(),
            questions: self
                .book
                .questions
                .iter()
                .map(|q| QuestionData {
                    id: &q.meta.id,
                    level: q.meta.level,
                    order: q.meta.order,
                    question: &q.meta.question,
                    signals: &q.meta.signals,
                    red_flags: &q.meta.red_flags,
                    question_html: with_anchors.then(|| inline(&q.meta.question)),
                    anchors: with_anchors.then(|| self.anchors_of(&q.meta)),
                })
                .collect(),
        };
        serde_json::to_string(&data)
            .unwrap_or_default()
            .replace("</", "<\\/")
            .replace("<!--", "<\\u0021--")
    }

    /// `window.HANDBOOK_SEARCH = [...]`: a script, not JSON, so search works from file://.
    fn search_index(&self) -> String {
        #[derive(Serialize)]
        struct Entry<'a> {
            u: String,
            l: u32,
            q: &'a str,
            t: String,
        }
        let entries: Vec<Entry> = self
            .book
            .questions
            .iter()
            .map(|q| Entry {
                u: question_path(&q.meta.id),
                l: q.meta.level,
                q: &q.meta.question,
                t: search_text(q),
            })
            .collect();
        let json = serde_json::to_string(&entries).unwrap_or_else(|_| "[]".into());
        format!("window.HANDBOOK_SEARCH={};\n", json.replace("</", "<\\/"))
    }

    /// The whole bank as JSON for other tools (documented in docs/questions-json.md).
    fn questions_json(&self) -> String {
        #[derive(Serialize)]
        struct Export<'a> {
            format: &'static str,
            title: &'a str,
            levels: Vec<&'a crate::content::LevelMeta>,
            questions: Vec<ExportQuestion<'a>>,
        }
        #[derive(Serialize)]
        struct ExportQuestion<'a> {
            #[serde(flatten)]
            meta: &'a crate::content::QuestionMeta,
            url: String,
        }
        let export = Export {
            format: "handbook-questions/1",
            title: &self.book.config.book.title,
            levels: self.book.levels.iter().map(|l| &l.meta).collect(),
            questions: self
                .book
                .questions
                .iter()
                .map(|q| ExportQuestion {
                    meta: &q.meta,
                    url: question_path(&q.meta.id),
                })
                .collect(),
        };
        serde_json::to_string_pretty(&export).unwrap_or_default() + "\n"
    }
}

/// Index, guide, then each level followed by its questions.
fn reading_order(book: &Book, levels: &[NavLevel], questions: &[Vec<NavQuestion>]) -> Vec<Link> {
    let mut order = vec![
        Link {
            title: book.index.title.clone(),
            url: "index.html".into(),
        },
        Link {
            title: book.guide.title.clone(),
            url: "guide.html".into(),
        },
    ];
    for (l, qs) in levels.iter().zip(questions) {
        order.push(Link {
            title: format!("Level {}: {}", l.number, l.title),
            url: l.url.clone(),
        });
        order.extend(qs.iter().map(|q| Link {
            title: q.question.clone(),
            url: q.url.clone(),
        }));
    }
    order
}

/// Words a search can match for a question: its text, signals and red flags, deduplicated.
fn search_text(q: &Question) -> String {
    let mut words: Vec<String> = Vec::new();
    let m = &q.meta;
    let all = std::iter::once(&m.summary)
        .chain(&m.signals)
        .chain(&m.red_flags)
        .chain(std::iter::once(&m.id));
    for s in all {
        for w in s.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '_') {
            let w = w.to_lowercase();
            if w.len() > 2 && !words.contains(&w) {
                words.push(w);
            }
        }
    }
    words.join(" ")
}

/// Inline markdown (a list item of front matter) to HTML without the paragraph wrapper.
/// Raw HTML is always escaped here: front matter is plain text with markdown emphasis.
pub fn inline(text: &str) -> String {
    let link = |d: &str| d.to_string();
    let ctx = markdown::Context {
        link: &link,
        allow_html: false,
        highlight: false,
        snippet_label: "",
    };
    let html = markdown::render(text, &ctx).html;
    let trimmed = html.trim();
    trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .unwrap_or(trimmed)
        .to_string()
}
