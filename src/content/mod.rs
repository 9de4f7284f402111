//! The book's content as a typed model, loaded from `content/` and validated.
//!
//! Layout of `content/`:
//! - `index.md`: the front page's introduction (`title`);
//! - `guide.md`: how to use the bank (`title`);
//! - `levels/level-N.md`: one per level (`level`, `title`, `probes`, `red_flag`, `red_flag_short`);
//! - `questions/<id>.md`: one per question (see [`QuestionMeta`]);
//! - `articles/<id>.md`: long-form pages that go deeper than the questions (`title`,
//!   `description`; see [`Article`]), read after the levels;
//! - any other file is an asset, published at the same path in the output, except dot-files,
//!   dot-directories and editor backups ([`is_ignored_name`]), which are never read; an asset
//!   at a path the site generates (`index.html`, `questions/<id>.html`, `assets/style.css`,
//!   `search-index.js`...) is an error, never a silent replacement.
//!
//! Loading never stops at the first problem: every file is read and checked, and all the
//! diagnostics come back together.

mod front_matter;
mod links;
mod model;
mod validate;

pub use model::*;

pub use front_matter::render as render_front_matter;
pub use validate::is_kebab;

use crate::config::{self, Config};
use crate::diagnostics::Diagnostic;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub const CONTENT_DIR: &str = "content";

/// The highest level number a book may have (levels are 1..=MAX_LEVEL, without gaps); the
/// default theme has a colour for each.
pub const MAX_LEVEL: u32 = 9;

/// Where `body` (a slice at the end of `text`) starts in `text`.
fn body_start(text: &str, body: &str) -> usize {
    debug_assert!(text.ends_with(body));
    text.len() - body.len()
}

/// Outcome of loading: the book plus warnings, or every problem found.
pub type Loaded = Result<(Book, Vec<Diagnostic>), Vec<Diagnostic>>;

/// Loads and validates the book at `root`.
pub fn load(root: &Path) -> Loaded {
    if !root.is_dir() {
        return Err(vec![
            Diagnostic::error(root, format!("the book directory `{}` does not exist", root.display()))
                .help("pass the directory holding book.toml and content/, or run `handbook init DIR` to make one"),
        ]);
    }
    let mut diags = Vec::new();
    let config = match config::load(root) {
        Ok(c) => c,
        Err(d) => {
            diags.push(d);
            Config::default()
        }
    };
    let files = match walk(root, &mut diags) {
        Some(f) => f,
        None => return Err(diags),
    };

    let mut index = None;
    let mut guide = None;
    let mut levels = Vec::new();
    let mut questions = Vec::new();
    let mut articles = Vec::new();
    let mut assets = Vec::new();
    let mut unloaded = BTreeSet::new();
    for rel in files {
        let file = Path::new(CONTENT_DIR).join(&rel);
        let slash = rel.to_string_lossy().replace('\\', "/");
        let is_md = rel.extension().is_some_and(|e| e == "md");
        if !is_md {
            assets.push(rel);
            continue;
        }
        let kind = if slash == "index.md" {
            Kind::Index
        } else if slash == "guide.md" {
            Kind::Guide
        } else if slash.starts_with("levels/") && !slash[7..].contains('/') {
            Kind::Level
        } else if slash.starts_with("questions/") && !slash[10..].contains('/') {
            Kind::Question
        } else if slash.starts_with("articles/") && !slash[9..].contains('/') {
            Kind::Article
        } else {
            diags.push(
                Diagnostic::warning(&file, "this markdown file is not part of the book (orphan)").help(
                    "questions go in content/questions/<id>.md, levels in content/levels/level-N.md and articles in content/articles/<id>.md; move or delete it",
                ),
            );
            continue;
        };
        // Until the file is loaded, it counts as one that failed (its error is reported).
        unloaded.insert(slash.clone());
        let Some(text) = read_text(root, &file, &mut diags) else {
            continue;
        };
        let split = match front_matter::split(&file, &text) {
            Ok(s) => s,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let origin = Origin {
            file: file.clone(),
            body_line: split.body_line,
        };
        let question_body_start = body_start(&text, split.body);
        match kind {
            Kind::Index | Kind::Guide => {
                match front_matter::parse::<PageMeta>(&file, &text, &split) {
                    Ok(meta) => {
                        let page = Page {
                            title: meta.title,
                            description: meta.description,
                            ratings: meta.ratings,
                            body: split.body.to_string(),
                            text: text.clone(),
                            origin,
                        };
                        if matches!(kind, Kind::Index) {
                            index = Some(page);
                        } else {
                            guide = Some(page);
                        }
                        unloaded.remove(&slash);
                    }
                    Err(d) => diags.push(d),
                }
            }
            Kind::Level => match front_matter::parse::<LevelMeta>(&file, &text, &split) {
                Ok(meta) => {
                    unloaded.remove(&slash);
                    levels.push((
                        Level {
                            meta,
                            body: split.body.to_string(),
                            origin,
                            text: text.clone(),
                        },
                        text,
                    ))
                }
                Err(d) => diags.push(d),
            },
            Kind::Question => match front_matter::parse::<QuestionMeta>(&file, &text, &split) {
                Ok(meta) => {
                    unloaded.remove(&slash);
                    questions.push(Question {
                        meta,
                        origin,
                        text,
                        body_start: question_body_start,
                    })
                }
                Err(d) => diags.push(d),
            },
            Kind::Article => match front_matter::parse::<ArticleMeta>(&file, &text, &split) {
                Ok(meta) => {
                    unloaded.remove(&slash);
                    articles.push(Article {
                        id: rel
                            .file_stem()
                            .map(|s| s.to_string_lossy().to_string())
                            .unwrap_or_default(),
                        meta,
                        body: split.body.to_string(),
                        text,
                        origin,
                    })
                }
                Err(d) => diags.push(d),
            },
        }
    }
    for (name, present) in [("index.md", index.is_some()), ("guide.md", guide.is_some())] {
        if !present && !diags.iter().any(|d| d.file.ends_with(name)) {
            diags.push(
                Diagnostic::error(
                    Path::new(CONTENT_DIR).join(name),
                    format!("content/{name} is missing"),
                )
                .help("add it with front matter `title: ...` and a markdown body"),
            );
        }
    }
    let (Some(index), Some(guide)) = (index, guide) else {
        return Err(diags);
    };
    let mut book = Book {
        root: root.to_path_buf(),
        config,
        index,
        guide,
        levels: Vec::new(),
        questions,
        articles,
        assets,
        unloaded,
        by_id: Default::default(),
    };
    validate::levels(&mut book, levels, &mut diags);
    validate::questions(&mut book, &mut diags);
    validate::ratings(&book, &mut diags);
    validate::articles(&book, &mut diags);
    book.index_questions();
    links::links(&book, &mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        Err(diags)
    } else {
        Ok((book, diags))
    }
}

enum Kind {
    Index,
    Guide,
    Level,
    Question,
    Article,
}

/// Files under `content/`, relative to it, sorted. Symlinks are followed only when they stay
/// inside the book; walkdir's loop detection keeps a symlink cycle from hanging us.
fn walk(root: &Path, diags: &mut Vec<Diagnostic>) -> Option<Vec<PathBuf>> {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(
                CONTENT_DIR,
                format!("no content/ directory in `{}`", root.display()),
            )
            .help("a book keeps its markdown in content/; run `handbook init DIR` for a skeleton"),
        );
        return None;
    }
    let canonical_root = std::fs::canonicalize(root).ok()?;
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        // Dot-files and dot-directories (`.git/`, `.secret/`, `.env`) and editor backups are
        // never read nor published; not descending into them also skips their symlinks.
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()))
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| rel_to(root, p))
                    .unwrap_or_else(|| PathBuf::from(CONTENT_DIR));
                let what = if e.loop_ancestor().is_some() {
                    "a symlink loop".to_string()
                } else {
                    e.to_string()
                };
                diags.push(
                    Diagnostic::warning(path, format!("skipped: {what}"))
                        .help("remove the link or fix its target"),
                );
                continue;
            }
        };
        if entry.path_is_symlink() {
            let inside =
                std::fs::canonicalize(entry.path()).is_ok_and(|t| t.starts_with(&canonical_root));
            if !inside {
                diags.push(
                    Diagnostic::error(
                        rel_to(root, entry.path()),
                        "this symlink points outside the book",
                    )
                    .help("copy the file into the book instead of linking to it"),
                );
                continue;
            }
        }
        if !entry.file_type().is_file() {
            continue;
        }
        if let Ok(rel) = entry.path().strip_prefix(&content) {
            files.push(rel.to_path_buf());
        }
    }
    Some(files)
}

/// Names under `content/` that are not part of the book: dot-files and dot-directories, and
/// editors' backup and swap files (`notes.md~`, `.notes.md.swp`, `#notes.md#`).
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || (name.starts_with('#') && name.ends_with('#'))
}

fn rel_to(root: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| p.to_path_buf())
}

/// Reads a file as UTF-8 with `\n` line endings and no BOM.
fn read_text(root: &Path, file: &Path, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let bytes = match std::fs::read(root.join(file)) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(
                file,
                format!("cannot read the file: {e}"),
            ));
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => {
            let text = text
                .strip_prefix('\u{feff}')
                .map(str::to_string)
                .unwrap_or(text);
            Some(if text.contains('\r') {
                text.replace("\r\n", "\n")
            } else {
                text
            })
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = bytes[..valid].iter().filter(|b| **b == b'\n').count() + 1;
            let mut d =
                Diagnostic::error(file, format!("the file is not valid UTF-8 (byte {valid})"))
                    .help("save the file as UTF-8");
            d.line = line;
            diags.push(d);
            None
        }
    }
}

impl Book {
    /// The fast path of live reload: re-reads the question `file` (relative to the book) in
    /// place when its id, level and order are unchanged, so no URL or position moves.
    /// Returns what changed, or `None` whenever a full reload is needed (new, removed or
    /// invalid file, moved question, any validation error), so errors are always reported
    /// by the full path.
    pub fn refresh_question(&mut self, file: &Path) -> Option<Refreshed> {
        let i = self.questions.iter().position(|q| q.origin.file == file)?;
        let mut scratch = Vec::new();
        let text = read_text(&self.root, file, &mut scratch)?;
        let split = front_matter::split(file, &text).ok()?;
        let meta: QuestionMeta = front_matter::parse(file, &text, &split).ok()?;
        let old = &self.questions[i].meta;
        if (&meta.id, meta.level, meta.order) != (&old.id, old.level, old.order) {
            return None;
        }
        let origin = Origin {
            file: file.to_path_buf(),
            body_line: split.body_line,
        };
        let start = body_start(&text, split.body);
        let site = crate::site::Site::new(self, &[]);
        links::body_links(self, &site, split.body, &origin, &mut scratch);
        if !scratch.is_empty() {
            return None;
        }
        let previous = std::mem::replace(&mut self.questions[i].meta, meta);
        if previous != self.questions[i].meta {
            // Connections and the other front matter rules span files: check them all again
            // (metadata only, cheap), and undo if anything is now wrong.
            validate::questions(self, &mut scratch);
            if scratch.iter().any(Diagnostic::is_error) {
                self.questions[i].meta = previous;
                return None;
            }
        }
        let q = &mut self.questions[i];
        q.origin = origin;
        q.text = text;
        q.body_start = start;
        let front_matter_changed = previous != q.meta;
        Some(Refreshed {
            id: q.meta.id.clone(),
            previous: front_matter_changed.then_some(previous),
        })
    }
}

/// What [`Book::refresh_question`] changed.
#[derive(Debug)]
pub struct Refreshed {
    pub id: String,
    /// The front matter before the change, when it changed (other pages show it).
    pub previous: Option<QuestionMeta>,
}
