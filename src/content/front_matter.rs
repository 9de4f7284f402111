//! Splitting a content file into YAML front matter and markdown body, and parsing the YAML.
//!
//! This is the only file that names the YAML crate: serde_yaml is unmaintained upstream, and
//! a move to a maintained fork with the same API (serde_norway, serde_yaml_ng) is one line here.

use crate::config::unknown_key_help;
use crate::diagnostics::Diagnostic;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::Path;

/// A content file cut in two. Line numbers are 1-based lines of the whole file.
pub struct Split<'a> {
    pub yaml: &'a str,
    pub yaml_line: usize,
    pub body: &'a str,
    pub body_line: usize,
}

/// Cuts `text` (BOM stripped, `\n` line endings) at its `---` fences.
pub fn split<'a>(file: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error(file, "the file is empty")
            .help("a content file starts with `---`, YAML front matter, `---`, then markdown; `handbook new question` writes one"));
    }
    let Some(rest) = text.strip_prefix("---\n") else {
        let first = text.lines().next().unwrap_or("");
        return Err(Diagnostic::error(file, "the file does not start with front matter")
            .at(text, 1, 1)
            .help(format!(
                "put a line `---` before the YAML keys and another after them (the first line is `{}`)",
                truncate(first, 40)
            )));
    };
    let mut offset = 4;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset - 4];
            let body = &text[offset + line.len()..];
            return Ok(Split {
                yaml,
                yaml_line: 2,
                body,
                body_line: i + 3,
            });
        }
        offset += line.len();
    }
    Err(
        Diagnostic::error(file, "the front matter opened here is never closed")
            .at(text, 1, 1)
            .help("add a line `---` after the last front matter key, before the markdown body"),
    )
}

/// Parses the front matter into `T`, turning YAML and schema errors into a diagnostic at
/// the right line of the file.
pub fn parse<T: DeserializeOwned>(file: &Path, text: &str, split: &Split) -> Result<T, Diagnostic> {
    if split.yaml.trim().is_empty() {
        return Err(Diagnostic::error(file, "the front matter is empty").at(text, 1, 1).help(
            "add the required keys between the `---` lines; `handbook new question` writes a complete example",
        ));
    }
    serde_yaml::from_str(split.yaml).map_err(|e| {
        let full = e.to_string();
        // serde_yaml appends " at line L column C"; we print the location our own way.
        let message = match full.find(" at line ") {
            Some(i) => full[..i].to_string(),
            None => full.clone(),
        };
        let (line, column) = match e.location() {
            Some(loc) => (loc.line() + split.yaml_line - 1, loc.column()),
            None => (split.yaml_line - 1, 1),
        };
        let mut d = Diagnostic::error(file, format!("front matter: {message}")).at(text, line, column);
        if let Some(help) = unknown_key_help(&message) {
            d = d.help(help);
        } else if message.starts_with("missing field") {
            d = d.help("add the key to the front matter; `handbook new question` shows every key with a comment");
        } else if message.contains("invalid type") {
            d = d.help("check the value's type: lists are written as `- item` lines, numbers without quotes");
        } else {
            d = d.help("fix the YAML syntax; strings containing `: ` or starting with a quote or backtick need quotes");
        }
        d
    })
}

/// The front matter block (`---`, YAML, `---`) of `meta`, written by the YAML serializer so
/// that any value (quotes, backslashes, newlines, `#`, `: `) reads back as itself.
pub fn render<T: Serialize>(meta: &T) -> String {
    let yaml = serde_yaml::to_string(meta).unwrap_or_default();
    format!("---\n{yaml}---\n")
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}
