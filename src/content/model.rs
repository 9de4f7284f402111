//! The content model: a loaded, validated book and its pages, levels, questions and articles,
//! with the front matter each kind accepts.

use crate::config::Config;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// A loaded, validated book. Nothing that renders it can fail on content.
#[derive(Debug, Clone)]
pub struct Book {
    pub root: PathBuf,
    pub config: Config,
    pub index: Page,
    pub guide: Page,
    /// Sorted by number, numbered 1..=n without gaps.
    pub levels: Vec<Level>,
    /// Sorted by level, then order.
    pub questions: Vec<Question>,
    /// Sorted by id (the file name).
    pub articles: Vec<Article>,
    /// Non-markdown files under `content/`, relative to it, sorted: published as they are.
    pub assets: Vec<PathBuf>,
    /// Markdown files of the book (relative to `content/`, `/`-separated) that exist but could
    /// not be loaded. Their own errors are reported; connections and links to them are not
    /// reported again in every file that points at them.
    pub unloaded: BTreeSet<String>,
    /// Position of each question in `questions`, by id.
    pub(super) by_id: std::collections::HashMap<String, usize>,
}

/// Where a piece of markdown came from, so errors and snippet failures name the right line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Relative to the book root, e.g. `content/questions/jwks.md`.
    pub file: PathBuf,
    /// 1-based line of the file where the markdown body starts.
    pub body_line: usize,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub title: String,
    pub description: String,
    /// The rating scale (guide only): the one place every page, sheet and the scorecard take
    /// their rating legend from.
    pub ratings: Vec<Rating>,
    pub body: String,
    /// The file's full text, for diagnostics.
    pub text: String,
    pub origin: Origin,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ratings: Vec<Rating>,
}

/// One point of the rating scale, as the guide's front matter defines it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    pub value: u8,
    /// A few words, for legends on sheets and the scorecard.
    pub label: String,
    /// What the rating means, for the guide.
    pub meaning: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelMeta {
    pub level: u32,
    pub title: String,
    /// What this level probes.
    pub probes: String,
    /// The level's red flag, as the bank words it.
    pub red_flag: String,
    /// The red flag in a few words, for summaries.
    pub red_flag_short: String,
}

#[derive(Debug, Clone)]
pub struct Level {
    pub meta: LevelMeta,
    pub body: String,
    pub origin: Origin,
    /// The file's full text, for diagnostics.
    pub text: String,
}

/// A long-form page under `content/articles/`: a deep dive that the questions link to.
#[derive(Debug, Clone)]
pub struct Article {
    /// The file name without `.md`: kebab-case, used in the URL.
    pub id: String,
    pub meta: ArticleMeta,
    pub body: String,
    /// The file's full text, for diagnostics.
    pub text: String,
    pub origin: Origin,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleMeta {
    pub title: String,
    /// One or two sentences: what the article covers (shown under its title and in lists).
    pub description: String,
}

/// A question's front matter: the schema contributors fill in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionMeta {
    /// Stable, kebab-case, equal to the file name; used in URLs and connections.
    pub id: String,
    pub level: u32,
    /// Position within the level.
    pub order: u32,
    /// The question as the interviewer asks it.
    pub question: String,
    /// One sentence: what the question reveals.
    #[serde(default)]
    pub summary: String,
    /// What a strong answer shows.
    #[serde(default)]
    pub signals: Vec<String>,
    #[serde(default)]
    pub red_flags: Vec<String>,
    #[serde(default)]
    pub follow_ups: Vec<String>,
    /// Other questions a strong candidate connects this one to.
    #[serde(default)]
    pub connections: Vec<Connection>,
    #[serde(default)]
    pub sources: Vec<SourceRef>,
    /// Rating anchors: for each rating 1 to 4, what a candidate at that rating says. All four
    /// or none (validated).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub anchors: std::collections::BTreeMap<u8, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connection {
    pub to: String,
    #[serde(default)]
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone)]
pub struct Question {
    pub meta: QuestionMeta,
    pub origin: Origin,
    /// The file's full text (for pointing diagnostics at front matter lines); the body is its
    /// tail, kept as an offset so a large bank holds each answer once.
    pub text: String,
    pub body_start: usize,
}

impl Question {
    /// The markdown body (the model answer).
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

impl Book {
    pub fn level(&self, n: u32) -> Option<&Level> {
        self.levels.iter().find(|l| l.meta.level == n)
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.by_id.get(id).and_then(|&i| self.questions.get(i))
    }

    /// The position of question `id` in `questions` (what `Route::Question` holds).
    pub fn question_index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Rebuilds the id index after `questions` changed order or content.
    pub(super) fn index_questions(&mut self) {
        self.by_id = self
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.meta.id.clone(), i))
            .collect();
    }

    pub fn questions_in(&self, level: u32) -> impl Iterator<Item = &Question> {
        self.questions.iter().filter(move |q| q.meta.level == level)
    }

    /// The full text of the content file `origin` names, as loaded (for pointing a
    /// diagnostic at a line without reading the file again).
    pub fn text_of(&self, origin: &Origin) -> &str {
        let file = origin.file.as_path();
        [&self.index, &self.guide]
            .into_iter()
            .find(|p| p.origin.file == file)
            .map(|p| p.text.as_str())
            .or_else(|| {
                self.levels
                    .iter()
                    .find(|l| l.origin.file == file)
                    .map(|l| l.text.as_str())
            })
            .or_else(|| {
                self.questions
                    .iter()
                    .find(|q| q.origin.file == file)
                    .map(|q| q.text.as_str())
            })
            .or_else(|| {
                self.articles
                    .iter()
                    .find(|a| a.origin.file == file)
                    .map(|a| a.text.as_str())
            })
            .unwrap_or("")
    }

    /// Every markdown body with its origin, in reading order (articles after the levels).
    pub fn bodies(&self) -> Vec<(&str, &Origin)> {
        let mut out = vec![
            (self.index.body.as_str(), &self.index.origin),
            (self.guide.body.as_str(), &self.guide.origin),
        ];
        for level in &self.levels {
            out.push((&level.body, &level.origin));
            for q in self.questions_in(level.meta.level) {
                out.push((q.body(), &q.origin));
            }
        }
        out.extend(self.articles.iter().map(|a| (a.body.as_str(), &a.origin)));
        out
    }
}
