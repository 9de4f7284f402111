//! The route table: every file the site has (pages, exports, assets) with its output path,
//! built once from a validated [`Book`]. Links between content files resolve against it,
//! rendering walks it, and `serve` asks it which routes a change touches. Nothing parses an
//! output path back into a page: a new page kind is one [`Route`] variant, one line in
//! [`Site::new`] and one template.

use crate::content::{Book, CONTENT_DIR, Question};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// One file of the site. Questions and content assets are indices into the book's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Route {
    Index,
    Guide,
    Search,
    NotFound,
    Scorecard,
    InterviewSheet,
    /// The calibration session: compares exported scorecards in the browser.
    Calibrate,
    /// The calibration drill: rate a level's anchors without their ratings.
    Drill,
    Level(u32),
    LevelSheet(u32),
    /// A level's printable rating anchors.
    AnchorsSheet(u32),
    Question(usize),
    /// A long-form page, by index in `book.articles`.
    Article(usize),
    /// `print.html`: the whole book in one page.
    Print,
    /// `search-index.js`
    SearchIndex,
    /// `questions.json`
    QuestionsJson,
    /// A file of the theme copied to `assets/`, by its index in the theme's static files.
    ThemeAsset(usize),
    /// A non-markdown file of `content/` published as it is, by index in `book.assets`.
    ContentAsset(usize),
}

impl Route {
    /// Is this an HTML page (rendered from a template)?
    pub fn is_page(self) -> bool {
        !matches!(
            self,
            Route::SearchIndex
                | Route::QuestionsJson
                | Route::ThemeAsset(_)
                | Route::ContentAsset(_)
        )
    }

    /// Does this route hold every question of the bank? Such pages cost the most to render and
    /// are not the page an author is editing, so `serve` renders them after publishing the rest.
    pub fn holds_whole_bank(self) -> bool {
        matches!(
            self,
            Route::Print
                | Route::Scorecard
                | Route::Calibrate
                | Route::Drill
                | Route::InterviewSheet
                | Route::SearchIndex
                | Route::QuestionsJson
        )
    }
}

/// A question's title, rendered once per build.
#[derive(Debug, Clone)]
pub struct Title {
    /// As written in the front matter (markdown source).
    pub source: String,
    /// Inline markdown rendered to HTML.
    pub html: String,
    /// Plain text, for `<title>`, previous/next links and search results.
    pub text: String,
}

/// A connection seen from its target: the question that connects to it and why.
#[derive(Debug, Clone, Copy)]
pub struct Backlink {
    /// Index of the connecting question.
    pub from: usize,
    /// Index of the connection in that question's `connections`.
    pub connection: usize,
}

/// Every route with its path, the permalink of each content file, reading order, backlinks and
/// the rendered question titles.
#[derive(Debug, Clone)]
pub struct Site {
    routes: Vec<Route>,
    paths: HashMap<Route, String>,
    /// Content file (relative to `content/`, `/`-separated) to its route.
    permalinks: HashMap<String, Route>,
    reading_order: Vec<Route>,
    position: HashMap<Route, usize>,
    /// Per question (book order): the questions connecting to it.
    backlinks: Vec<Vec<Backlink>>,
    titles: Vec<Title>,
    /// Per question: its number within its level (1, 2, 3...), the one numbering every page
    /// shows. `order` only sorts: with gaps (1, 2, 5) the third question is still 3.
    numbers: Vec<u32>,
}

/// `level-N`, the file stem of level N's page and sheet.
pub fn level_stem(n: u32) -> String {
    format!("level-{n}")
}

impl Site {
    /// The route table of `book` (whose questions are sorted and whose ids are unique), with
    /// `theme_assets` the names of the theme's static files.
    pub fn new(book: &Book, theme_assets: &[&str]) -> Site {
        let mut routes = vec![
            Route::Index,
            Route::Guide,
            Route::Search,
            Route::NotFound,
            Route::InterviewSheet,
            Route::Scorecard,
            Route::Calibrate,
            Route::Drill,
            Route::Print,
        ];
        for level in &book.levels {
            routes.push(Route::Level(level.meta.level));
            routes.push(Route::LevelSheet(level.meta.level));
            routes.push(Route::AnchorsSheet(level.meta.level));
        }
        routes.extend((0..book.questions.len()).map(Route::Question));
        routes.extend((0..book.articles.len()).map(Route::Article));
        routes.push(Route::SearchIndex);
        routes.push(Route::QuestionsJson);
        routes.extend((0..theme_assets.len()).map(Route::ThemeAsset));
        routes.extend((0..book.assets.len()).map(Route::ContentAsset));

        let path_of = |route: Route| -> String {
            match route {
                Route::Index => "index.html".into(),
                Route::Guide => "guide.html".into(),
                Route::Search => "search.html".into(),
                Route::NotFound => "404.html".into(),
                Route::Scorecard => "scorecard.html".into(),
                Route::InterviewSheet => "sheets/interview.html".into(),
                Route::Calibrate => "calibrate.html".into(),
                Route::Drill => "drill.html".into(),
                Route::AnchorsSheet(n) => format!("sheets/anchors-{}.html", level_stem(n)),
                Route::Level(n) => format!("levels/{}.html", level_stem(n)),
                Route::LevelSheet(n) => format!("sheets/{}.html", level_stem(n)),
                Route::Question(i) => format!("questions/{}.html", book.questions[i].meta.id),
                Route::Article(i) => format!("articles/{}.html", book.articles[i].id),
                Route::Print => "print.html".into(),
                Route::SearchIndex => "search-index.js".into(),
                Route::QuestionsJson => "questions.json".into(),
                Route::ThemeAsset(i) => format!("assets/{}", theme_assets[i]),
                Route::ContentAsset(i) => slash(&book.assets[i]),
            }
        };
        let paths: HashMap<Route, String> = routes.iter().map(|&r| (r, path_of(r))).collect();

        let mut permalinks = HashMap::new();
        permalinks.insert("index.md".to_string(), Route::Index);
        permalinks.insert("guide.md".to_string(), Route::Guide);
        for level in &book.levels {
            let n = level.meta.level;
            permalinks.insert(format!("levels/{}.md", level_stem(n)), Route::Level(n));
        }
        for (i, q) in book.questions.iter().enumerate() {
            permalinks.insert(format!("questions/{}.md", q.meta.id), Route::Question(i));
        }
        for (i, a) in book.articles.iter().enumerate() {
            permalinks.insert(format!("articles/{}.md", a.id), Route::Article(i));
        }
        for (i, asset) in book.assets.iter().enumerate() {
            permalinks.insert(slash(asset), Route::ContentAsset(i));
        }

        let mut reading_order = vec![Route::Index, Route::Guide];
        for level in &book.levels {
            let n = level.meta.level;
            reading_order.push(Route::Level(n));
            reading_order.extend(
                book.questions
                    .iter()
                    .enumerate()
                    .filter(|(_, q)| q.meta.level == n)
                    .map(|(i, _)| Route::Question(i)),
            );
        }
        // The deep dives come after the last level: they assume everything before them.
        reading_order.extend((0..book.articles.len()).map(Route::Article));
        let position = reading_order
            .iter()
            .enumerate()
            .map(|(i, &r)| (r, i))
            .collect();

        let by_id: HashMap<&str, usize> = book
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.meta.id.as_str(), i))
            .collect();
        let mut backlinks = vec![Vec::new(); book.questions.len()];
        for (from, q) in book.questions.iter().enumerate() {
            for (connection, c) in q.meta.connections.iter().enumerate() {
                if let Some(&to) = by_id.get(c.to.as_str()) {
                    backlinks[to].push(Backlink { from, connection });
                }
            }
        }
        let titles = book.questions.iter().map(title_of).collect();
        let mut numbers = Vec::with_capacity(book.questions.len());
        let mut counts: HashMap<u32, u32> = HashMap::new();
        for q in &book.questions {
            let n = counts.entry(q.meta.level).or_insert(0);
            *n += 1;
            numbers.push(*n);
        }
        Site {
            routes,
            paths,
            permalinks,
            reading_order,
            position,
            backlinks,
            titles,
            numbers,
        }
    }

    /// Every route, in the order a build renders them.
    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    /// The route's output path (relative to the output root, `/`-separated).
    pub fn path(&self, route: Route) -> &str {
        self.paths.get(&route).map(String::as_str).unwrap_or("")
    }

    /// The route a content file (relative to `content/`) is published at.
    pub fn permalink(&self, content_rel: &str) -> Option<Route> {
        self.permalinks.get(content_rel).copied()
    }

    /// The route of the content file `file` (relative to the book root).
    pub fn route_of_file(&self, file: &Path) -> Option<Route> {
        let rel = file.strip_prefix(CONTENT_DIR).ok()?;
        self.permalink(&slash(rel))
    }

    /// Previous and next page in reading order.
    pub fn neighbours(&self, route: Route) -> (Option<Route>, Option<Route>) {
        match self.position.get(&route) {
            Some(&i) => (
                i.checked_sub(1)
                    .and_then(|j| self.reading_order.get(j).copied()),
                self.reading_order.get(i + 1).copied(),
            ),
            None => (None, None),
        }
    }

    /// The questions connecting to question `i`.
    pub fn backlinks(&self, i: usize) -> &[Backlink] {
        &self.backlinks[i]
    }

    /// Question `i`'s title, rendered.
    pub fn title(&self, i: usize) -> &Title {
        &self.titles[i]
    }

    /// Question `i`'s number within its level, as every page shows it.
    pub fn number(&self, i: usize) -> u32 {
        self.numbers[i]
    }

    /// Resolves a link written in the content file `from` (relative to the book root).
    /// `None` for external links and pure fragments; `Some(Ok(output path))` when it resolves.
    pub fn resolve_link(&self, from: &Path, dest: &str) -> Option<Result<String, String>> {
        self.resolve(from, dest)
            .map(|r| r.map(|route| self.path(route).to_string()))
    }

    /// Like [`Site::resolve_link`], giving the route the link leads to.
    pub fn resolve(&self, from: &Path, dest: &str) -> Option<Result<Route, String>> {
        Some(link_target(from, dest)?.and_then(|rel| {
            self.permalink(&rel)
                .ok_or_else(|| format!("content/{rel} does not exist"))
        }))
    }

    /// The routes that show question `i`'s model answer: what to re-render when only the
    /// answer changed.
    pub fn routes_showing_answer(&self, i: usize) -> [Route; 2] {
        [Route::Question(i), Route::Print]
    }

    /// The routes that show question `i`'s front matter: what to re-render when it changes.
    /// `previous_targets` are the ids it connected to before the change.
    pub fn routes_showing(
        &self,
        book: &Book,
        i: usize,
        previous_targets: &[String],
    ) -> BTreeSet<Route> {
        let q = &book.questions[i];
        let level = q.meta.level;
        let mut out: BTreeSet<Route> = [
            Route::Question(i),
            Route::Index,
            Route::InterviewSheet,
            Route::Scorecard,
            Route::Calibrate,
            Route::Drill,
            Route::Level(level),
            Route::LevelSheet(level),
            Route::AnchorsSheet(level),
            Route::SearchIndex,
            Route::QuestionsJson,
            Route::Print,
        ]
        .into_iter()
        .collect();
        // Neighbours show its title in their previous/next links.
        let (prev, next) = self.neighbours(Route::Question(i));
        out.extend(prev.into_iter().chain(next));
        // Connected questions show it, in both directions, before and after the change.
        let by_id = |id: &str| book.question_index(id);
        for target in previous_targets
            .iter()
            .chain(q.meta.connections.iter().map(|c| &c.to))
        {
            out.extend(by_id(target).map(Route::Question));
        }
        out.extend(self.backlinks[i].iter().map(|b| Route::Question(b.from)));
        out
    }
}

/// The content file (relative to `content/`, `/`-separated) a link written in `from` (relative
/// to the book root) points at, whether or not it exists. `None` for external links and pure
/// fragments; an error for links that can never resolve.
pub fn link_target(from: &Path, dest: &str) -> Option<Result<String, String>> {
    if !crate::url::is_safe(dest) {
        return Some(Err(format!(
            "the `{}:` scheme is not allowed (it could run code in a reader's browser); use http(s), mailto or a relative link",
            crate::url::scheme(dest).unwrap_or_default()
        )));
    }
    if dest.is_empty() || dest.starts_with('#') || crate::url::scheme(dest).is_some() {
        return None;
    }
    if dest.starts_with('/') {
        return Some(Err(
            "absolute paths break under a sub-path or file://; use a relative link".into(),
        ));
    }
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    let from_dir = from
        .parent()
        .and_then(|p| p.strip_prefix(CONTENT_DIR).ok())
        .unwrap_or(Path::new(""));
    let mut parts: Vec<String> = from_dir
        .iter()
        .map(|s| s.to_string_lossy().to_string())
        .collect();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some(Err("it leads outside content/".into()));
                }
            }
            s => parts.push(s.to_string()),
        }
    }
    Some(Ok(parts.join("/")))
}

fn slash(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn title_of(q: &Question) -> Title {
    Title {
        source: q.meta.question.clone(),
        html: crate::markdown::inline(&q.meta.question),
        text: crate::markdown::inline_text(&q.meta.question),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_stems_are_stable() {
        assert_eq!(level_stem(12), "level-12");
    }
}
