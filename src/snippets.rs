//! Executable answers: every Rust fence of the book becomes a doctest of one generated crate,
//! compiled and run in a single `cargo test --doc` (edition 2024 merges doctests into one
//! binary, which is what makes this fast), and each result is mapped back to the markdown
//! file and line of its fence.

use crate::content::Book;
use crate::markdown::{self, FenceInfo};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

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
    #[error("the snippet crate did not build:\n{0}")]
    Build(String),
}

/// A Rust fence, located.
#[derive(Debug, Clone)]
pub struct Snippet {
    /// Item name in the generated crate: how rustdoc's report is mapped back.
    pub name: String,
    pub file: PathBuf,
    /// 1-based line of the opening fence in the file.
    pub line: usize,
    pub info: FenceInfo,
    pub raw_info: String,
    pub code: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failed,
    Ignored,
}

#[derive(Debug, Clone)]
pub struct SnippetResult {
    pub snippet: Snippet,
    pub outcome: Outcome,
    /// rustdoc's output for a failure (compiler errors or the panic).
    pub message: String,
}

#[derive(Debug)]
pub struct Report {
    pub results: Vec<SnippetResult>,
    pub crate_dir: PathBuf,
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
    for (body, origin) in book.bodies() {
        for block in markdown::code_blocks(body) {
            if !block.info.is_rust {
                continue;
            }
            let line = origin.body_line + block.line - 1;
            let stem: String = origin
                .file
                .file_stem()
                .map(|s| {
                    s.to_string_lossy()
                        .chars()
                        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                        .collect()
                })
                .unwrap_or_default();
            out.push(Snippet {
                name: format!("{stem}_line_{line}"),
                file: origin.file.clone(),
                line,
                info: block.info,
                raw_info: block.raw_info,
                code: block.code,
            });
        }
    }
    // Two fences of the same file stem in different folders (levels/ and questions/) must
    // still get distinct item names.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for s in &mut out {
        let n = seen.entry(s.name.clone()).or_default();
        *n += 1;
        if *n > 1 {
            s.name = format!("{}_{}", s.name, n);
        }
    }
    out
}

/// The generated crate's directory for a book.
pub fn crate_dir(book: &Book) -> PathBuf {
    book.root.join("target").join("handbook-snippets")
}

/// Writes the generated crate. Files are rewritten only when their content changes, so cargo
/// does not rebuild what did not change.
pub fn generate(book: &Book, snippets: &[Snippet], dir: &Path) -> Result<(), SnippetError> {
    let test = &book.config.test;
    if !is_crate_name(&test.crate_name) {
        return Err(SnippetError::Config(format!(
            "book.toml: test.crate-name `{}` is not a valid crate name (use letters, digits and _)",
            test.crate_name
        )));
    }
    // Built as a TOML document, not by string pasting, so any dependency specification
    // (strings, inline or nested tables) lands under [dependencies] intact.
    let mut package = toml::Table::new();
    package.insert("name".into(), test.crate_name.clone().into());
    package.insert("version".into(), "0.0.0".into());
    package.insert("edition".into(), test.edition.clone().into());
    package.insert("publish".into(), false.into());
    let mut lib_table = toml::Table::new();
    lib_table.insert("path".into(), "src/lib.rs".into());
    let mut dependencies = toml::Table::new();
    for (name, spec) in &test.dependencies {
        dependencies.insert(name.clone(), absolutize_paths(spec.clone(), &book.root));
    }
    let mut doc = toml::Table::new();
    doc.insert("package".into(), package.into());
    doc.insert("lib".into(), lib_table.into());
    doc.insert("workspace".into(), toml::Table::new().into());
    doc.insert("dependencies".into(), dependencies.into());
    let manifest = format!(
        "# Generated by `handbook test` from {}; do not edit.\n{}",
        crate::config::FILE_NAME,
        toml::to_string(&doc)
            .map_err(|e| SnippetError::Config(format!("book.toml [test.dependencies]: {e}")))?
    );

    let mut lib = String::from(
        "// Generated by `handbook test`; do not edit.\n#![allow(dead_code, unused_imports)]\n",
    );
    if let Some(library) = &test.library {
        let path = book.root.join(library);
        let canonical = std::fs::canonicalize(&path).map_err(|e| {
            SnippetError::Config(format!(
                "book.toml: test.library `{}` cannot be read: {e}",
                library.display()
            ))
        })?;
        let root =
            std::fs::canonicalize(&book.root).map_err(|e| SnippetError::Config(e.to_string()))?;
        if !canonical.starts_with(&root) {
            return Err(SnippetError::Config(format!(
                "book.toml: test.library `{}` lies outside the book",
                library.display()
            )));
        }
        let _ = writeln!(
            lib,
            "#[path = {:?}]\nmod library;\npub use library::*;",
            canonical.to_string_lossy()
        );
    }
    let mut fences = BTreeMap::new();
    for s in snippets {
        let _ = writeln!(
            lib,
            "\n#[doc = include_str!(\"fences/{}.md\")]\npub mod {} {{}}",
            s.name, s.name
        );
        let fence = "`".repeat(longest_backtick_run(&s.code).max(2) + 1);
        let info = if s.raw_info.trim().is_empty() {
            "rust".to_string()
        } else {
            s.raw_info.clone()
        };
        fences.insert(
            format!("{}.md", s.name),
            format!("{fence}{info}\n{}{fence}\n", s.code),
        );
    }
    let src = dir.join("src");
    let fences_dir = src.join("fences");
    std::fs::create_dir_all(&fences_dir).map_err(|source| SnippetError::Io {
        path: fences_dir.clone(),
        source,
    })?;
    write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
    write_if_changed(&src.join("lib.rs"), &lib)?;
    // Lock the dependency versions like the book does, when it ships a lock file.
    let lock = book.root.join("snippets").join("Cargo.lock");
    if lock.is_file()
        && let Ok(text) = std::fs::read_to_string(&lock)
    {
        write_if_changed(&dir.join("Cargo.lock"), &text)?;
    }
    // Remove fences of snippets that no longer exist.
    if let Ok(entries) = std::fs::read_dir(&fences_dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if !fences.contains_key(&name) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    for (name, text) in &fences {
        write_if_changed(&fences_dir.join(name), text)?;
    }
    Ok(())
}

fn is_crate_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit())
}

fn longest_backtick_run(s: &str) -> usize {
    let (mut best, mut cur) = (0, 0);
    for c in s.chars() {
        if c == '`' {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// `path = "..."` dependencies are relative to the book, not to the generated crate.
fn absolutize_paths(spec: toml::Value, root: &Path) -> toml::Value {
    match spec {
        toml::Value::Table(mut t) => {
            if let Some(toml::Value::String(p)) = t.get("path") {
                let abs = crate::output::absolute(&root.join(p));
                t.insert(
                    "path".into(),
                    toml::Value::String(abs.to_string_lossy().into_owned()),
                );
            }
            toml::Value::Table(t)
        }
        other => other,
    }
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), SnippetError> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|source| SnippetError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Generates the crate, runs `cargo test --doc`, and maps the results back to the fences.
pub fn run(book: &Book) -> Result<Report, SnippetError> {
    let snippets = collect(book);
    let dir = crate_dir(book);
    generate(book, &snippets, &dir)?;
    if snippets.is_empty() {
        return Ok(Report {
            results: Vec::new(),
            crate_dir: dir,
        });
    }
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    // A cargo started from inside `cargo test` inherits the outer build's environment; the
    // inner build must not see it (it would rebuild with the wrong flags or target dir).
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if (key.starts_with("CARGO_")
            && key != "CARGO_HOME"
            && !key.starts_with("CARGO_REGISTRIES")
            && !key.starts_with("CARGO_NET")
            && !key.starts_with("CARGO_HTTP"))
            || key == "RUSTFLAGS"
            || key == "RUSTDOCFLAGS"
            || key == "RUSTC_WRAPPER"
            || key == "RUSTC_WORKSPACE_WRAPPER"
            || key == "__CARGO_FIX_PLZ"
        {
            cmd.env_remove(key.as_ref());
        }
    }
    cmd.arg("test")
        .arg("--doc")
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env("CARGO_TERM_COLOR", "never")
        .env("RUST_BACKTRACE", "0")
        .arg("--")
        .arg("--color")
        .arg("never");
    let out = cmd.output().map_err(SnippetError::Cargo)?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let results = parse(&snippets, &stdout);
    let seen = results
        .iter()
        .filter(|r| r.outcome != Outcome::Ignored || r.snippet.info.ignore)
        .count();
    if !out.status.success() && results.iter().all(|r| r.outcome != Outcome::Failed) || seen == 0 {
        // cargo failed before rustdoc reported on the snippets: dependencies or the library.
        let tail: Vec<&str> = stderr
            .lines()
            .filter(|l| {
                !l.trim_start().starts_with("Compiling")
                    && !l.trim_start().starts_with("Downloaded")
            })
            .collect();
        return Err(SnippetError::Build(tail.join("\n")));
    }
    Ok(Report {
        results,
        crate_dir: dir,
    })
}

/// Reads rustdoc's text report: `test src/lib.rs - NAME (line N) ... ok` lines and the
/// `---- src/lib.rs - NAME (line N) stdout ----` sections of failures.
fn parse(snippets: &[Snippet], stdout: &str) -> Vec<SnippetResult> {
    let mut outcome: BTreeMap<&str, Outcome> = BTreeMap::new();
    let mut messages: BTreeMap<&str, String> = BTreeMap::new();
    let mut current: Option<&str> = None;
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("test ")
            && let Some((name, status)) = rest.rsplit_once(" ... ")
            && let Some(item) = item_name(name)
        {
            let o = if status.starts_with("ok") {
                Outcome::Passed
            } else if status.starts_with("ignored") {
                Outcome::Ignored
            } else {
                Outcome::Failed
            };
            outcome.insert(item, o);
            continue;
        }
        if let Some(rest) = line.strip_prefix("---- ") {
            current = item_name(rest.trim_end_matches(" ----").trim_end_matches(" stdout"));
            continue;
        }
        if line == "failures:" || line.starts_with("test result:") {
            current = None;
            continue;
        }
        if let Some(item) = current {
            let m = messages.entry(item).or_default();
            m.push_str(line);
            m.push('\n');
        }
    }
    snippets
        .iter()
        .map(|s| {
            let o = outcome.get(s.name.as_str()).copied();
            let (o, message) = match o {
                Some(o) => (
                    o,
                    messages.get(s.name.as_str()).cloned().unwrap_or_default(),
                ),
                None if s.info.ignore => (Outcome::Ignored, String::new()),
                None => (
                    Outcome::Failed,
                    "rustdoc did not report on this snippet".to_string(),
                ),
            };
            SnippetResult {
                message: relocate(&message, snippets),
                snippet: s.clone(),
                outcome: o,
            }
        })
        .collect()
}

/// Rewrites rustc's `src/fences/NAME.md:L:C` locations to the markdown file and line the
/// snippet came from (line 1 of a fence file is the opening fence, as in the markdown).
fn relocate(message: &str, snippets: &[Snippet]) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find("src/fences/") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "src/fences/".len()..];
        let Some(md) = after.find(".md:") else {
            out.push_str("src/fences/");
            rest = after;
            continue;
        };
        let name = &after[..md];
        let digits: String = after[md + 4..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        match (
            snippets.iter().find(|s| s.name == name),
            digits.parse::<usize>(),
        ) {
            (Some(s), Ok(line)) => {
                out.push_str(&format!(
                    "{}:{}",
                    crate::diagnostics::display_path(&s.file),
                    s.line + line - 1
                ));
                rest = &after[md + 4 + digits.len()..];
            }
            _ => {
                out.push_str("src/fences/");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `src/lib.rs - NAME (line N)` -> `NAME`.
fn item_name(test: &str) -> Option<&str> {
    let rest = test.split_once(" - ")?.1;
    let name = rest.split(" (line").next()?.trim();
    let name = name.rsplit("::").next()?;
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_names_are_read_from_rustdoc_lines() {
        assert_eq!(
            item_name("src/lib.rs - jwks_line_42 (line 5)"),
            Some("jwks_line_42")
        );
        assert_eq!(
            item_name("src/lib.rs - a::jwks_line_42 (line 5) - compile fail"),
            Some("jwks_line_42")
        );
    }
}
