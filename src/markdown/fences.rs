//! Fenced code as rustdoc reads it: info-string attributes, the fences of a body with their
//! lines, and hidden `# ` lines.

use super::options;
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// The attributes of a fence's info string, read the way rustdoc reads them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FenceInfo {
    /// Language for highlighting (`rust` for rustdoc attribute-only fences).
    pub lang: Option<String>,
    /// Compiled by `handbook test`: `rust` or only rustdoc attributes.
    pub is_rust: bool,
    pub ignore: bool,
    pub no_run: bool,
    pub should_panic: bool,
    pub compile_fail: bool,
    /// Attributes rustdoc would not understand (lint).
    pub unknown: Vec<String>,
}

const RUSTDOC_ATTRS: &[&str] = &[
    "ignore",
    "no_run",
    "should_panic",
    "compile_fail",
    "test_harness",
    "edition2015",
    "edition2018",
    "edition2021",
    "edition2024",
    "standalone_crate",
];

impl FenceInfo {
    pub fn parse(info: &str) -> FenceInfo {
        let tokens: Vec<&str> = info
            .split(|c: char| c == ',' || c.is_whitespace())
            .map(|t| t.trim_matches(|c| c == '{' || c == '}' || c == '.'))
            .filter(|t| !t.is_empty())
            .collect();
        let mut f = FenceInfo::default();
        let Some(first) = tokens.first() else {
            return f;
        };
        let rustish = |t: &str| RUSTDOC_ATTRS.contains(&t) || t.starts_with("ignore-");
        // `rs` and `Rust` are Rust to every reader and highlighter; testing them too means no
        // Rust fence is silently left untested.
        let is_rust_word = |t: &str| t.eq_ignore_ascii_case("rust") || t == "rs";
        // `compile_fail,E0308`: the error code rustdoc expects.
        let is_error_code = |t: &str| {
            t.len() == 5 && t.starts_with('E') && t[1..].chars().all(|c| c.is_ascii_digit())
        };
        if is_rust_word(first) || rustish(first) {
            f.is_rust = true;
            f.lang = Some("rust".into());
            for t in &tokens {
                match *t {
                    "rust" => {}
                    "ignore" => f.ignore = true,
                    "no_run" => f.no_run = true,
                    "should_panic" => f.should_panic = true,
                    "compile_fail" => f.compile_fail = true,
                    t if rustish(t) || is_rust_word(t) || is_error_code(t) => {}
                    other => f.unknown.push(other.to_string()),
                }
            }
        } else {
            f.lang = Some(first.to_string());
        }
        f
    }
}

/// A fenced code block: its info, its code, and the 1-based line of the opening fence within
/// the markdown it came from.
#[derive(Debug, Clone)]
pub struct CodeBlock {
    pub info: FenceInfo,
    pub raw_info: String,
    pub code: String,
    pub line: usize,
}

pub fn code_blocks(body: &str) -> Vec<CodeBlock> {
    let mut out = Vec::new();
    let mut current: Option<CodeBlock> = None;
    for (ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let line = body[..range.start].matches('\n').count() + 1;
                current = Some(CodeBlock {
                    info: FenceInfo::parse(&info),
                    raw_info: info.to_string(),
                    code: String::new(),
                    line,
                });
            }
            Event::Text(t) => {
                if let Some(c) = current.as_mut() {
                    c.code.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(c) = current.take() {
                    out.push(c);
                }
            }
            _ => {}
        }
    }
    out
}

/// Is this line of a Rust fence hidden from readers (rustdoc's `# ` convention)?
/// Returns the line as shown when revealed: `##` unescapes to `#`.
pub fn rustdoc_line(line: &str) -> (bool, String) {
    let trimmed = line.trim_start();
    if let Some(rest) = trimmed.strip_prefix("##") {
        let indent = &line[..line.len() - trimmed.len()];
        return (false, format!("{indent}#{rest}"));
    }
    if trimmed == "#" || trimmed == "#\n" || trimmed.starts_with("# ") {
        let shown = trimmed
            .strip_prefix("# ")
            .or_else(|| trimmed.strip_prefix('#'))
            .unwrap_or("");
        let indent = &line[..line.len() - trimmed.len()];
        return (true, format!("{indent}{shown}"));
    }
    (false, line.to_string())
}
