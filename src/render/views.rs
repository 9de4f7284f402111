//! What templates see: serializable views of the book, built from the model and the route
//! table. Pages that list many questions get lean views (see [`ListedQuestion`]).

use crate::content::{Book, Question, Rating};
use crate::markdown::inline;
use crate::site::{Route, Site};
use serde::Serialize;

/// The site-wide context every template gets: built once, shared by all pages.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub authors: &'a [String],
    pub guide_title: &'a str,
    pub levels: Vec<NavLevel>,
    pub question_count: usize,
    /// The rating scale, from the guide's front matter (see [`scale`]).
    pub ratings: &'a [Rating],
    /// The articles (deep dives), for the sidebar and the front page.
    pub articles: Vec<NavArticle>,
    /// print.html, the whole book on one page.
    pub print_url: String,
}

#[derive(Serialize, Clone)]
pub struct NavArticle {
    pub title: String,
    /// Inline markdown rendered to HTML.
    pub description: String,
    pub url: String,
}

#[derive(Serialize, Clone)]
pub struct NavLevel {
    pub number: u32,
    pub title: String,
    pub probes: String,
    pub red_flag: String,
    pub red_flag_short: String,
    pub url: String,
    pub sheet_url: String,
    /// Only the count: the site context goes to every page, so it must not grow with the
    /// book (pages that list questions get them separately).
    pub question_count: usize,
}

/// A level with its questions, for the pages that list them all.
#[derive(Serialize)]
pub struct LevelWithQuestions<'a> {
    #[serde(flatten)]
    pub level: &'a NavLevel,
    pub questions: &'a [NavQuestion],
}

#[derive(Serialize, Clone)]
pub struct NavQuestion {
    pub id: String,
    pub level: u32,
    /// The question's number within its level (not the raw `order`, which only sorts).
    pub order: u32,
    pub question: String,
    pub question_html: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// A question as its own page sees it: every front matter field, inline markdown rendered
/// to HTML, plus the connections pointing at it.
#[derive(Serialize)]
pub struct QuestionView {
    #[serde(flatten)]
    pub listed: ListedQuestion,
    pub follow_ups: Vec<String>,
    pub sources: Vec<Link>,
    pub connected_from: Vec<ConnectionView>,
}

/// A question as pages that list many of them see it (levels, sheets, scorecard): what a
/// list shows, without the follow-ups, sources and backlinks of the question's own page.
/// At 10,000 questions the full view made the scorecard's context the build's peak memory.
#[derive(Serialize)]
pub struct ListedQuestion {
    pub id: String,
    pub level: u32,
    /// The question's number within its level (not the raw `order`, which only sorts).
    pub order: u32,
    pub question: String,
    pub question_html: String,
    pub summary: String,
    pub signals: Vec<String>,
    pub red_flags: Vec<String>,
    /// Rating anchors in scale order; empty when the question has none.
    pub anchors: Vec<AnchorView>,
    /// Only on level pages and level sheets; the whole-bank pages do not show connections.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connects_to: Option<Vec<ConnectionView>>,
    pub url: String,
}

/// One rating anchor: the rating, its label from the guide's scale, and the example answer
/// (inline markdown rendered).
#[derive(Serialize)]
pub struct AnchorView {
    pub value: u8,
    pub label: String,
    pub text: String,
}

#[derive(Serialize, Clone)]
pub struct ConnectionView {
    pub id: String,
    pub level: u32,
    pub question: String,
    pub question_html: String,
    pub why: String,
    pub url: String,
}

/// The views every page of one build shares, built once.
pub struct Shared<'a> {
    pub site: SiteView<'a>,
    /// Each level's questions (same order as `site.levels`).
    pub nav_questions: Vec<Vec<NavQuestion>>,
}

impl<'a> Shared<'a> {
    pub fn new(book: &'a Book, site: &Site) -> Shared<'a> {
        let levels = book
            .levels
            .iter()
            .map(|l| {
                let n = l.meta.level;
                NavLevel {
                    number: n,
                    title: l.meta.title.clone(),
                    probes: inline(&l.meta.probes),
                    red_flag: inline(&l.meta.red_flag),
                    red_flag_short: inline(&l.meta.red_flag_short),
                    url: site.path(Route::Level(n)).to_string(),
                    sheet_url: site.path(Route::LevelSheet(n)).to_string(),
                    question_count: book.questions_in(n).count(),
                }
            })
            .collect();
        let nav_questions = book
            .levels
            .iter()
            .map(|l| {
                book.questions
                    .iter()
                    .enumerate()
                    .filter(|(_, q)| q.meta.level == l.meta.level)
                    .map(|(i, q)| NavQuestion {
                        id: q.meta.id.clone(),
                        level: q.meta.level,
                        order: site.number(i),
                        question: site.title(i).text.clone(),
                        question_html: site.title(i).html.clone(),
                        url: site.path(Route::Question(i)).to_string(),
                    })
                    .collect()
            })
            .collect();
        Shared {
            site: SiteView {
                title: &book.config.book.title,
                description: &book.config.book.description,
                language: &book.config.book.language,
                authors: &book.config.book.authors,
                guide_title: &book.guide.title,
                levels,
                question_count: book.questions.len(),
                ratings: scale(book),
                articles: book
                    .articles
                    .iter()
                    .enumerate()
                    .map(|(i, a)| NavArticle {
                        title: a.meta.title.clone(),
                        description: inline(&a.meta.description),
                        url: site.path(Route::Article(i)).to_string(),
                    })
                    .collect(),
                print_url: site.path(Route::Print).to_string(),
            },
            nav_questions,
        }
    }

    pub fn level(&self, n: u32) -> Option<&NavLevel> {
        self.site.levels.iter().find(|l| l.number == n)
    }
}

/// The listed view of question `i`.
pub fn listed(book: &Book, site: &Site, i: usize, with_connections: bool) -> ListedQuestion {
    let q = &book.questions[i];
    let m = &q.meta;
    ListedQuestion {
        id: m.id.clone(),
        level: m.level,
        order: site.number(i),
        question: site.title(i).text.clone(),
        question_html: site.title(i).html.clone(),
        summary: inline(&m.summary),
        signals: m.signals.iter().map(|s| inline(s)).collect(),
        red_flags: m.red_flags.iter().map(|s| inline(s)).collect(),
        anchors: anchors_of(book, i),
        connects_to: with_connections.then(|| connections_of(book, site, q)),
        url: site.path(Route::Question(i)).to_string(),
    }
}

/// The rating scale every legend, sheet and script shows: the guide's `ratings:`, or, for a
/// guide without one (`check` warns), the severity model's four values without labels.
/// Validation keeps a given scale to exactly the values 1, 2, 3, 4.
pub fn scale(book: &Book) -> &[Rating] {
    static BARE: std::sync::LazyLock<Vec<Rating>> = std::sync::LazyLock::new(|| {
        (1..=4)
            .map(|value| Rating {
                value,
                label: String::new(),
                meaning: String::new(),
            })
            .collect()
    });
    if book.guide.ratings.is_empty() {
        &BARE
    } else {
        &book.guide.ratings
    }
}

/// Question `i`'s anchors in scale order, labelled from the scale.
pub fn anchors_of(book: &Book, i: usize) -> Vec<AnchorView> {
    let m = &book.questions[i].meta;
    scale(book)
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

/// Every question, listed, in book order.
pub fn all_listed(book: &Book, site: &Site) -> Vec<ListedQuestion> {
    (0..book.questions.len())
        .map(|i| listed(book, site, i, false))
        .collect()
}

fn connection(site: &Site, i: usize, q: &Question, why: &str) -> ConnectionView {
    ConnectionView {
        id: q.meta.id.clone(),
        level: q.meta.level,
        question: site.title(i).text.clone(),
        question_html: site.title(i).html.clone(),
        why: inline(why),
        url: site.path(Route::Question(i)).to_string(),
    }
}

fn connections_of(book: &Book, site: &Site, q: &Question) -> Vec<ConnectionView> {
    q.meta
        .connections
        .iter()
        .filter_map(|c| {
            let i = book.question_index(&c.to)?;
            Some(connection(site, i, &book.questions[i], &c.why))
        })
        .collect()
}

/// The full view of question `i`, for its own page.
pub fn question(book: &Book, site: &Site, i: usize) -> QuestionView {
    let m = &book.questions[i].meta;
    QuestionView {
        listed: listed(book, site, i, true),
        follow_ups: m.follow_ups.iter().map(|s| inline(s)).collect(),
        sources: sources(book, i),
        connected_from: site
            .backlinks(i)
            .iter()
            .map(|b| {
                let from = &book.questions[b.from];
                connection(site, b.from, from, &from.meta.connections[b.connection].why)
            })
            .collect(),
    }
}

/// A section of print.html, for `partials/print-section.html` (`section.kind` tells which).
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum PrintSectionView<'a> {
    /// The guide or an article.
    Page(PrintPage),
    Level(PrintLevel<'a>),
    Question(Box<PrintQuestion>),
}

/// print.html: a level's page (its questions are the sections after it).
#[derive(Serialize)]
pub struct PrintLevel<'a> {
    #[serde(flatten)]
    pub level: &'a NavLevel,
    /// The id of the level's section in print.html.
    pub anchor: String,
    pub content: String,
}

/// print.html: a question's calibration parts and its model answer.
#[derive(Serialize)]
pub struct PrintQuestion {
    #[serde(flatten)]
    pub listed: ListedQuestion,
    /// The number of questions of its level.
    pub count: usize,
    pub follow_ups: Vec<String>,
    pub sources: Vec<Link>,
    pub anchor: String,
    pub content: String,
}

/// print.html: a page of prose (the guide, an article).
#[derive(Serialize)]
pub struct PrintPage {
    /// An article (the theme marks it as one).
    pub eyebrow: bool,
    pub title: String,
    /// Inline markdown rendered.
    pub description: String,
    pub anchor: String,
    pub content: String,
}

/// print.html's table of contents.
#[derive(Serialize)]
pub struct PrintToc<'a> {
    pub guide: TocEntry,
    pub levels: Vec<TocLevel<'a>>,
    pub articles: Vec<TocEntry>,
}

#[derive(Serialize)]
pub struct TocEntry {
    pub anchor: String,
    /// Safe HTML.
    pub title_html: String,
}

#[derive(Serialize)]
pub struct TocLevel<'a> {
    #[serde(flatten)]
    pub level: &'a NavLevel,
    pub anchor: String,
    pub questions: Vec<TocEntry>,
}

/// The table of contents of print.html: every section's anchor and title.
pub fn print_toc<'a>(book: &Book, shared: &'a Shared) -> PrintToc<'a> {
    let anchor = |route: Route| super::print::print_anchor(book, route).unwrap_or_default();
    PrintToc {
        guide: TocEntry {
            anchor: anchor(Route::Guide),
            title_html: crate::escape::html(&book.guide.title),
        },
        levels: shared
            .site
            .levels
            .iter()
            .zip(&shared.nav_questions)
            .map(|(level, questions)| TocLevel {
                level,
                anchor: anchor(Route::Level(level.number)),
                questions: questions
                    .iter()
                    .map(|q| TocEntry {
                        // The section's own anchor, named in one place (`print_anchor`).
                        anchor: book
                            .question_index(&q.id)
                            .map(|i| anchor(Route::Question(i)))
                            .unwrap_or_default(),
                        title_html: format!("{}.{} {}", q.level, q.order, q.question_html),
                    })
                    .collect(),
            })
            .collect(),
        articles: book
            .articles
            .iter()
            .enumerate()
            .map(|(i, a)| TocEntry {
                anchor: anchor(Route::Article(i)),
                title_html: crate::escape::html(&a.meta.title),
            })
            .collect(),
    }
}

/// Question `i` for print.html, with its answer rendered (`content`).
pub fn print_question(
    book: &Book,
    site: &Site,
    i: usize,
    anchor: String,
    content: String,
) -> PrintQuestion {
    let m = &book.questions[i].meta;
    PrintQuestion {
        listed: listed(book, site, i, false),
        count: book.questions_in(m.level).count(),
        follow_ups: m.follow_ups.iter().map(|s| inline(s)).collect(),
        sources: sources(book, i),
        anchor,
        content,
    }
}

fn sources(book: &Book, i: usize) -> Vec<Link> {
    book.questions[i]
        .meta
        .sources
        .iter()
        .map(|s| Link {
            title: s.title.clone(),
            url: crate::url::safe(s.url.clone()),
        })
        .collect()
}
