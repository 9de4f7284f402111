//! The verification record: each snippet's last outcome, keyed by everything that decides it:
//! the snippet's full text (hidden lines and info string included), the snippet library's
//! files, and the dependencies (book.toml's specifications, the crate name and edition, and
//! the versions resolved in the generated crate's `Cargo.lock`). It lives at
//! `target/handbook-verification.json` and is never committed.
//!
//! `build` reads it through [`Verification`]: a snippet whose key has a recorded pass is
//! verified; a change to its text, the library or the dependencies changes the key, so the
//! snippet is "not verified" until `handbook test` runs it again. Never a pass without a
//! passing run of exactly that snippet.

use super::cargo::TestOutput;
use super::lock::Lock;
use super::{Outcome, Setup, SnippetError, io_err};
use crate::content::Book;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const FORMAT: u32 = 1;

/// Where the record lives.
pub fn path(book: &Book) -> PathBuf {
    book.root.join("target").join("handbook-verification.json")
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct RecordFile {
    format: u32,
    /// The library's files as rustc read them at the last run, relative to the book root.
    library_files: Vec<PathBuf>,
    entries: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    outcome: Outcome,
    /// UTC date of the run, `YYYY-MM-DD`.
    date: String,
    versions: String,
    #[serde(default)]
    message: String,
}

/// What the page shows for one snippet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum Mark {
    /// The last run of exactly this snippet, library and dependencies passed.
    Pass { versions: String, date: String },
    /// It failed; the message has rustc's or the panic's words, located in the markdown.
    Fail { message: String, date: String },
    /// Never run, or its text, the library or the dependencies changed since.
    Unknown,
}

impl Mark {
    /// `pass`, `fail` or `unknown`: the value of the page's `data-verified` attribute.
    pub fn state(&self) -> &'static str {
        match self {
            Mark::Pass { .. } => "pass",
            Mark::Fail { .. } => "fail",
            Mark::Unknown => "unknown",
        }
    }
}

/// How many of the book's executed snippets (not `ignore`) are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub verified: usize,
    pub failed: usize,
    pub unknown: usize,
    pub total: usize,
}

/// The record, read for one build, with the current keys of the library and dependencies.
#[derive(Debug, Default)]
pub struct Verification {
    /// `None` when nothing can be verified (no record, or its library files are unreadable).
    context: Option<String>,
    entries: BTreeMap<String, Entry>,
}

impl Verification {
    /// Reads the record of `book`; a missing or unreadable record verifies nothing.
    pub fn load(book: &Book) -> Verification {
        let Some(file) = read(&path(book)) else {
            return Verification::default();
        };
        let context = context_key(book, &super::crate_dir(book), &file.library_files);
        Verification {
            context,
            entries: file.entries,
        }
    }

    /// The mark of the snippet with this info string and body (as in the markdown).
    pub fn mark(&self, info: &str, code: &str) -> Mark {
        let Some(context) = &self.context else {
            return Mark::Unknown;
        };
        match self.entries.get(&snippet_key(context, info, code)) {
            Some(e) if e.outcome == Outcome::Passed => Mark::Pass {
                versions: e.versions.clone(),
                date: e.date.clone(),
            },
            Some(e) if e.outcome == Outcome::Failed => Mark::Fail {
                message: e.message.clone(),
                date: e.date.clone(),
            },
            _ => Mark::Unknown,
        }
    }

    /// The states of every executed snippet of the book, for the front page.
    pub fn counts(&self, book: &Book) -> Counts {
        let mut c = Counts::default();
        for s in super::collect(book) {
            if s.info.ignore {
                continue;
            }
            c.total += 1;
            match self.mark(&s.raw_info, &s.code) {
                Mark::Pass { .. } => c.verified += 1,
                Mark::Fail { .. } => c.failed += 1,
                Mark::Unknown => c.unknown += 1,
            }
        }
        c
    }
}

fn read(path: &Path) -> Option<RecordFile> {
    let file: RecordFile = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    (file.format == FORMAT).then_some(file)
}

fn hex(d: impl AsRef<[u8]>) -> String {
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// The key of everything but the snippet: the library's files and the dependencies.
/// `None` when a library file of the last run cannot be read (nothing is verified then).
fn context_key(book: &Book, crate_dir: &Path, library_files: &[PathBuf]) -> Option<String> {
    let test = &book.config.test;
    let mut h = Sha256::new();
    let mut field = |name: &str, bytes: &[u8]| {
        h.update(name.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field("format", &FORMAT.to_le_bytes());
    field("crate-name", test.crate_name.as_bytes());
    field("edition", test.edition.as_bytes());
    field(
        "library",
        test.library
            .as_ref()
            .map(|l| l.to_string_lossy().into_owned())
            .unwrap_or_default()
            .as_bytes(),
    );
    if test.library.is_some() && library_files.is_empty() {
        return None;
    }
    for f in library_files {
        field("library-file", f.to_string_lossy().as_bytes());
        field("library-bytes", &std::fs::read(book.root.join(f)).ok()?);
    }
    let specs = toml::to_string(&test.dependencies).unwrap_or_default();
    field("dependencies", specs.as_bytes());
    // What the run compiled against, and the pin it started from.
    let lock = Lock::read(&crate_dir.join("Cargo.lock"))?;
    for p in lock.fingerprint() {
        field("resolved", p.as_bytes());
    }
    let pinned = std::fs::read(book.root.join("snippets").join("Cargo.lock")).unwrap_or_default();
    field("pinned-lock", &pinned);
    Some(hex(h.finalize()))
}

fn snippet_key(context: &str, info: &str, code: &str) -> String {
    let mut h = Sha256::new();
    for part in [context, info.trim(), code] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex(h.finalize())
}

/// Records the outcomes of a pinned run. Entries of snippets that no longer exist (or whose
/// key changed) are dropped.
pub(super) fn update(book: &Book, setup: &Setup, out: &TestOutput) -> Result<(), SnippetError> {
    let path = path(book);
    let mut file = read(&path).unwrap_or_default();
    file.format = FORMAT;
    if !out.report.results.is_empty() {
        // Only a build tells which files the library reads; with nothing run, keep the last.
        file.library_files = out.library_files.clone();
    }
    let context = context_key(book, &setup.dir, &file.library_files);
    let Some(context) = context else {
        file.entries.clear();
        return write(&path, &file);
    };
    let date = today();
    for r in &out.report.results {
        if r.outcome == Outcome::Ignored {
            continue;
        }
        file.entries.insert(
            snippet_key(&context, &r.snippet.raw_info, &r.snippet.code),
            Entry {
                outcome: r.outcome,
                date: date.clone(),
                versions: out.report.versions.clone(),
                message: r.message.clone(),
            },
        );
    }
    let current: std::collections::BTreeSet<String> = super::collect(book)
        .iter()
        .map(|s| snippet_key(&context, &s.raw_info, &s.code))
        .collect();
    file.entries.retain(|k, _| current.contains(k));
    write(&path, &file)
}

fn write(path: &Path, file: &RecordFile) -> Result<(), SnippetError> {
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io_err(parent))?;
    let tmp = path.with_extension(format!("json.{}", std::process::id()));
    let text = serde_json::to_string_pretty(file).unwrap_or_default();
    std::fs::write(&tmp, text).map_err(io_err(&tmp))?;
    std::fs::rename(&tmp, path).map_err(io_err(path))
}

/// Today's UTC date, `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil_date(secs / 86_400)
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_date(days: u64) -> String {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(20_786), "2026-11-29");
    }

    #[test]
    fn every_part_of_a_snippet_changes_its_key() {
        let k = snippet_key("ctx", "rust", "let a = 1;\n");
        assert_ne!(k, snippet_key("ctx2", "rust", "let a = 1;\n"));
        assert_ne!(k, snippet_key("ctx", "rust,should_panic", "let a = 1;\n"));
        assert_ne!(k, snippet_key("ctx", "rust", "# let b = 2;\nlet a = 1;\n"));
        assert_eq!(k, snippet_key("ctx", " rust ", "let a = 1;\n"));
    }
}
