//! The site's data files: the search index, `questions.json` for other tools, and the data
//! the scorecard script reads.

use crate::content::{Book, Question, Rating};
use crate::site::{Route, Site};
use serde::Serialize;

/// `window.HANDBOOK_SEARCH = [...]`: a script, not JSON, so search works from file://.
pub fn search_index(book: &Book, site: &Site) -> String {
    #[derive(Serialize)]
    struct Entry<'a> {
        u: &'a str,
        /// The level; absent for an article, which belongs to none.
        #[serde(skip_serializing_if = "Option::is_none")]
        l: Option<u32>,
        q: &'a str,
        t: String,
    }
    let mut entries: Vec<Entry> = book
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| Entry {
            u: site.path(Route::Question(i)),
            l: Some(q.meta.level),
            q: &site.title(i).text,
            t: search_text(q),
        })
        .collect();
    entries.extend(book.articles.iter().enumerate().map(|(i, a)| Entry {
        u: site.path(Route::Article(i)),
        l: None,
        q: &a.meta.title,
        t: words([&a.meta.description, &a.id].into_iter()),
    }));
    let json = serde_json::to_string(&entries).unwrap_or_else(|_| "[]".into());
    format!(
        "window.HANDBOOK_SEARCH={};\n",
        crate::escape::script_json(&json)
    )
}

/// Words a search can match for a question: its text, signals and red flags, deduplicated.
fn search_text(q: &Question) -> String {
    let m = &q.meta;
    words(
        std::iter::once(&m.summary)
            .chain(&m.signals)
            .chain(&m.red_flags)
            .chain(std::iter::once(&m.id)),
    )
}

/// The distinct lowercase words longer than two characters of `texts`, space-separated.
fn words<'a>(texts: impl Iterator<Item = &'a String>) -> String {
    let mut words: Vec<String> = Vec::new();
    for s in texts {
        for w in s.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '_') {
            let w = w.to_lowercase();
            if w.len() > 2 && !words.contains(&w) {
                words.push(w);
            }
        }
    }
    words.join(" ")
}

/// The whole bank as JSON for other tools (documented in docs/questions-json.md).
pub fn questions_json(book: &Book, site: &Site) -> String {
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
        url: &'a str,
    }
    let export = Export {
        format: "handbook-questions/1",
        title: &book.config.book.title,
        levels: book.levels.iter().map(|l| &l.meta).collect(),
        questions: book
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| ExportQuestion {
                meta: &q.meta,
                url: site.path(Route::Question(i)),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&export).unwrap_or_default() + "\n"
}

/// What the scorecard, calibration and drill scripts need, as JSON safe to embed in a
/// `<script>` element: the book's title, the rating scale, the levels and the questions.
/// Anchors only when asked: the drill is the only script using them.
pub fn scorecard_data(book: &Book, site: &Site, ratings: &[Rating], with_anchors: bool) -> String {
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
        anchors: Option<Vec<super::views::AnchorView>>,
    }
    let data = Data {
        book: &book.config.book.title,
        ratings,
        levels: book
            .levels
            .iter()
            .map(|l| LevelData {
                number: l.meta.level,
                title: &l.meta.title,
                red_flag: &l.meta.red_flag,
            })
            .collect(),
        questions: book
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| QuestionData {
                id: &q.meta.id,
                level: q.meta.level,
                order: site.number(i),
                question: &q.meta.question,
                signals: &q.meta.signals,
                red_flags: &q.meta.red_flags,
                question_html: with_anchors.then(|| crate::markdown::inline(&q.meta.question)),
                anchors: with_anchors.then(|| super::views::anchors_of(book, i)),
            })
            .collect(),
    };
    crate::escape::script_json(&serde_json::to_string(&data).unwrap_or_default())
}
