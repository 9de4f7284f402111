//! What cargo and rustc say, made to speak of the book: compile errors attributed to lines,
//! locations moved from the generated sources to the markdown, advice that names book.toml,
//! and cargo's warnings about book.toml's dependencies.

use super::package::Target;
use crate::diagnostics::display_path;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The lines of `own` an error points at: its primary spans, or, for errors inside macros,
/// the place in `own` the macro was called from.
pub(super) fn primary_lines(message: &serde_json::Value, own: &str) -> Vec<usize> {
    fn in_own(span: &serde_json::Value, own: &str) -> Option<usize> {
        let mut s = span;
        loop {
            if s["file_name"] == own {
                return s["line_start"].as_u64().map(|l| l as usize);
            }
            s = &s["expansion"]["span"];
            if s.is_null() {
                return None;
            }
        }
    }
    let spans = message["spans"].as_array().cloned().unwrap_or_default();
    let mut lines: Vec<usize> = spans
        .iter()
        .filter(|s| s["is_primary"] == true)
        .filter_map(|s| in_own(s, own))
        .collect();
    if lines.is_empty() {
        lines = spans.iter().filter_map(|s| in_own(s, own)).collect();
    }
    lines
}

/// The files a dep-info file lists that lie inside `root` but not in `exclude`.
pub(super) fn dep_info_files(path: &Path, root: &Path, exclude: &Path) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let mut files = BTreeSet::new();
    for line in text.lines() {
        let Some((_, deps)) = line.split_once(": ") else {
            continue;
        };
        let deps = deps.replace("\\ ", "\u{0}");
        for d in deps.split_whitespace() {
            let p = PathBuf::from(d.replace('\u{0}', " "));
            if p.starts_with(root)
                && !p.starts_with(exclude)
                && let Ok(rel) = p.strip_prefix(root)
            {
                files.insert(rel.to_path_buf());
            }
        }
    }
    files.into_iter().collect()
}

/// Rewrites locations in the generated sources (`tests/T.rs:L:C`, the same line and column as
/// the markdown) to the markdown file, the library's absolute path to the book-relative one,
/// and rustc's `cargo add` advice to what a book does instead.
pub(super) fn relocate(text: &str, targets: &[Target], root: &Path) -> String {
    let mut out = text.to_string();
    for t in targets {
        out = out.replace(&format!("tests/{}.rs", t.name), &display_path(&t.file));
    }
    if let Ok(root) = std::fs::canonicalize(root) {
        out = out.replace(&format!("{}/", root.display()), "");
    }
    cargo_add_advice(&out)
}

/// rustc says "use `cargo add NAME` to add it to your `Cargo.toml`"; a book's crates are
/// declared in book.toml.
pub(super) fn cargo_add_advice(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("use `cargo add ") {
        let after = &rest[i..];
        let Some(end) = after.find("Cargo.toml`") else {
            break;
        };
        out.push_str(&rest[..i]);
        out.push_str("add it to `[test.dependencies]` in book.toml");
        rest = &after[end + "Cargo.toml`".len()..];
    }
    out.push_str(rest);
    out
}

/// Cargo's own words about book.toml's dependencies that would otherwise pass silently.
pub(super) fn manifest_warnings(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|l| l.trim().strip_prefix("warning: unused manifest key: "))
        .map(|key| {
            let key = key.trim();
            let dep = key.strip_prefix("dependencies.").unwrap_or(key);
            format!(
                "cargo ignored `{dep}` in book.toml's [test.dependencies] (unused manifest key): check its spelling"
            )
        })
        .collect()
}

/// cargo's stderr without its progress lines.
pub(super) fn cargo_errors(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t.starts_with("Compiling")
                || t.starts_with("Downloaded")
                || t.starts_with("Downloading")
                || t.starts_with("Updating")
                || t.starts_with("Locking")
                || t.starts_with("Adding")
                || t.starts_with("Blocking")
                || t.starts_with("Finished")
                || t.starts_with("Checking")
                || t.starts_with("Fresh"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}
