//! Executable answers: every Rust fence of the book is compiled and run, each outcome is
//! recorded, and the built pages say what was verified.
//!
//! `handbook test` writes one cargo package under `target/handbook-snippets/`: the book's
//! snippet library as its `lib`, and one test target per content file whose fences are
//! `#[test]` functions placed at their markdown lines ([`wrap`]). Cargo rebuilds only the
//! targets whose file changed, so a one-answer edit recompiles one small crate; every selected
//! target's binary then runs ([`cargo`]). Outcomes go into the verification record under
//! `target/` ([`record`]), keyed by what decides them, and `build` reads it to mark each
//! snippet verified, failed or not verified. [`drift`] runs the same snippets against the
//! newest compatible releases or a book-declared variant; [`check`] finds in `book.toml` what
//! would stop the test crate from building.

mod cargo;
pub mod check;
pub mod drift;
mod lock;
mod messages;
mod package;
pub mod record;
mod run;
mod wrap;

pub use check::check_config;
pub use record::{Counts, Mark, Verification};

use crate::content::Book;
use crate::markdown::{self, FenceInfo};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum SnippetError {
    #[error("cannot prepare the snippet crate in `{path}`: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot run cargo: {0}")]
    Cargo(std::io::Error),
    #[error("{0}")]
    Config(String),
    /// Cargo or rustc stopped before any snippet could run; the text is theirs, first.
    #[error("{0}")]
    Build(String),
    #[error("`{0}` is not a content file of this book with Rust snippets")]
    NotInBook(PathBuf),
}

/// A Rust fence, located.
#[derive(Debug, Clone)]
pub struct Snippet {
    /// `target::function`: unique in the book.
    pub name: String,
    /// The cargo test target (one per content file) holding this snippet.
    pub target: String,
    /// Its test function: `line_N`.
    pub fn_name: String,
    /// Relative to the book root.
    pub file: PathBuf,
    /// 1-based line of the opening fence in the file.
    pub line: usize,
    pub info: FenceInfo,
    pub raw_info: String,
    /// The fence's body, hidden lines included, exactly as in the markdown.
    pub code: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Passed,
    Failed,
    Ignored,
}

#[derive(Debug, Clone)]
pub struct SnippetResult {
    pub snippet: Snippet,
    pub outcome: Outcome,
    /// rustc's or the test's output for a failure, with locations in the markdown file.
    pub message: String,
}

#[derive(Debug)]
pub struct Report {
    pub results: Vec<SnippetResult>,
    pub crate_dir: PathBuf,
    /// The direct dependencies as resolved (`jsonwebtoken 12.0.0 (rust_crypto, use_pem)`).
    pub versions: String,
    /// Every resolved package, `name -> versions`, for drift reports.
    pub resolved: BTreeMap<String, BTreeSet<String>>,
    /// What cargo said about book.toml's dependencies that the user must see (ignored keys).
    pub warnings: Vec<String>,
    /// Snippets whose pass was taken from the record, not run again (their file is unchanged).
    pub reused: usize,
}

impl Report {
    pub fn count(&self, o: Outcome) -> usize {
        self.results.iter().filter(|r| r.outcome == o).count()
    }

    /// The plain closing line: `N passed, N failed, N ignored`.
    pub fn summary(&self) -> String {
        format!(
            "{} passed, {} failed, {} ignored",
            self.count(Outcome::Passed),
            self.count(Outcome::Failed),
            self.count(Outcome::Ignored)
        )
    }
}

/// Every Rust fence of the book, in reading order.
pub fn collect(book: &Book) -> Vec<Snippet> {
    let mut out = Vec::new();
    let mut targets: BTreeMap<String, PathBuf> = BTreeMap::new();
    for (body, origin) in book.bodies() {
        let blocks: Vec<_> = markdown::code_blocks(body)
            .into_iter()
            .filter(|b| b.info.is_rust)
            .collect();
        if blocks.is_empty() {
            continue;
        }
        let target = target_name(&origin.file, &mut targets);
        for block in blocks {
            let line = origin.body_line + block.line - 1;
            let fn_name = format!("line_{line}");
            out.push(Snippet {
                name: format!("{target}::{fn_name}"),
                target: target.clone(),
                fn_name,
                file: origin.file.clone(),
                line,
                info: block.info,
                raw_info: block.raw_info,
                code: block.code,
            });
        }
    }
    out
}

/// `content/questions/3-tier.md` -> `questions_3_tier`: a valid, unique crate name.
fn target_name(file: &Path, taken: &mut BTreeMap<String, PathBuf>) -> String {
    let rel = file
        .strip_prefix(crate::content::CONTENT_DIR)
        .unwrap_or(file);
    let parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let parts: Vec<&str> = if parts.len() == 1 {
        vec!["page", parts[0].as_str()]
    } else {
        parts.iter().map(String::as_str).collect()
    };
    let base = wrap::identifier(&parts);
    let mut name = base.clone();
    let mut n = 2;
    while taken.get(&name).is_some_and(|f| f != file) {
        name = format!("{base}_{n}");
        n += 1;
    }
    taken.insert(name.clone(), file.to_path_buf());
    name
}

/// The generated crate's directory for a book.
pub fn crate_dir(book: &Book) -> PathBuf {
    book.root.join("target").join("handbook-snippets")
}

/// Which dependency set a run uses.
#[derive(Debug, Clone)]
pub struct Setup {
    pub dir: PathBuf,
    pub dependencies: BTreeMap<String, toml::Value>,
    /// Copy the book's pinned lock (`snippets/Cargo.lock`) in; otherwise resolve afresh.
    pub pinned: bool,
    /// Write outcomes into the verification record (only the pinned run is what pages show).
    pub record: bool,
    /// Take the outcome of a file whose every snippet has a recorded pass for its current key
    /// (same text, library and dependencies) from the record instead of running it again.
    pub reuse_passes: bool,
}

impl Setup {
    pub fn pinned(book: &Book) -> Setup {
        Setup {
            dir: crate_dir(book),
            dependencies: book.config.test.dependencies.clone(),
            pinned: true,
            record: true,
            reuse_passes: true,
        }
    }
}

/// Runs every snippet of the book against the pinned dependencies and records the outcomes.
pub fn run(book: &Book) -> Result<Report, SnippetError> {
    run_with(book, &Setup::pinned(book), None)
}

/// Runs the snippets of `files` only (paths relative to the book root or absolute) and
/// updates their outcomes in the record; the other snippets' records are kept. This is what
/// `serve` calls when an answer is saved.
pub fn run_files(book: &Book, files: &[PathBuf]) -> Result<Report, SnippetError> {
    run_with(book, &Setup::pinned(book), Some(files))
}

/// The book-relative path of a file given on the command line or by a watcher.
pub fn book_relative(book: &Book, file: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(file)
        .or_else(|_| std::fs::canonicalize(book.root.join(file)))
        .ok()?;
    let root = std::fs::canonicalize(&book.root).ok()?;
    abs.strip_prefix(&root).ok().map(Path::to_path_buf)
}

pub fn run_with(
    book: &Book,
    setup: &Setup,
    files: Option<&[PathBuf]>,
) -> Result<Report, SnippetError> {
    let all = collect(book);
    let selected: Vec<Snippet> = match files {
        None => all.clone(),
        Some(files) => {
            let mut wanted = BTreeSet::new();
            for f in files {
                let rel =
                    book_relative(book, f).ok_or_else(|| SnippetError::NotInBook(f.clone()))?;
                if !all.iter().any(|s| s.file == rel) {
                    return Err(SnippetError::NotInBook(f.clone()));
                }
                wanted.insert(rel);
            }
            all.iter()
                .filter(|s| wanted.contains(&s.file))
                .cloned()
                .collect()
        }
    };
    // A file runs again unless each of its snippets passed before in exactly this form.
    let verification = if setup.reuse_passes {
        Verification::load(book)
    } else {
        Verification::default()
    };
    let mut fresh_files: BTreeSet<&Path> = BTreeSet::new();
    for s in &selected {
        if !s.info.ignore && !matches!(verification.mark(&s.raw_info, &s.code), Mark::Pass { .. }) {
            fresh_files.insert(&s.file);
        }
    }
    let to_run: Vec<Snippet> = selected
        .iter()
        .filter(|s| fresh_files.contains(s.file.as_path()))
        .cloned()
        .collect();
    let mut out = cargo::test(book, setup, &all, &to_run)?;
    if setup.record {
        record::update(book, setup, &out)?;
    }
    // Reports list the snippets in reading order, the reused ones as passed.
    let mut ran: BTreeMap<String, SnippetResult> = std::mem::take(&mut out.report.results)
        .into_iter()
        .map(|r| (r.snippet.name.clone(), r))
        .collect();
    for s in &selected {
        let r = ran.remove(&s.name).unwrap_or_else(|| {
            out.report.reused += usize::from(!s.info.ignore);
            SnippetResult {
                snippet: s.clone(),
                outcome: if s.info.ignore {
                    Outcome::Ignored
                } else {
                    Outcome::Passed
                },
                message: String::new(),
            }
        });
        out.report.results.push(r);
    }
    Ok(out.report)
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> SnippetError + '_ {
    move |source| SnippetError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `text` unless the file already holds it, so cargo's fingerprints see no change.
pub(crate) fn write_if_changed(path: &Path, text: &str) -> Result<(), SnippetError> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    std::fs::write(path, text).map_err(io_err(path))
}
