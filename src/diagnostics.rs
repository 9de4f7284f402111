//! Problems found in a book, with the place they were found and how to fix them.
//!
//! Every check in the loader and validator produces a [`Diagnostic`] instead of failing
//! fast, so one run reports everything a contributor has to fix. Rendering is rustc-like for
//! terminals and JSON for CI annotations.

use serde::Serialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors stop a build, warnings only show in `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem at one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the book root (or as given, for files outside it).
    pub file: PathBuf,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based; 0 when unknown.
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
    /// The offending source line, for the caret display.
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
            source_line: None,
        }
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// Points the diagnostic at `line`/`column` of `text` (the whole file), keeping the
    /// source line for display.
    pub fn at(mut self, text: &str, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self.source_line = line
            .checked_sub(1)
            .and_then(|i| text.lines().nth(i))
            .map(|l| l.trim_end_matches('\r').to_string());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// rustc-style rendering: a headline, the location, the line with a caret, the help.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{kind}: {}", self.message);
        let location = match (self.line, self.column) {
            (0, _) => display_path(&self.file),
            (l, 0) => format!("{}:{l}", display_path(&self.file)),
            (l, c) => format!("{}:{l}:{c}", display_path(&self.file)),
        };
        let gutter = self.line.to_string().len().max(1);
        let pad = " ".repeat(gutter);
        let _ = writeln!(out, "{pad}--> {location}");
        if let Some(src) = &self.source_line {
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{} | {src}", self.line);
            if self.column > 0 {
                let before: String = src
                    .chars()
                    .take(self.column - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                let rest: String = src.chars().skip(self.column - 1).collect();
                let width = rest
                    .split(|c: char| c.is_whitespace() || c == ':')
                    .next()
                    .map(|w| w.chars().count())
                    .unwrap_or(1)
                    .max(1);
                let _ = writeln!(out, "{pad} | {before}{}", "^".repeat(width));
            }
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "{pad} = help: {help}");
        }
        out
    }

    /// A GitHub Actions workflow command, so CI marks the line in a pull request.
    pub fn github_annotation(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut msg = self.message.clone();
        if let Some(h) = &self.help {
            msg.push_str(" (help: ");
            msg.push_str(h);
            msg.push(')');
        }
        format!(
            "::{kind} file={},line={},col={}::{}",
            escape_property(&display_path(&self.file)),
            self.line.max(1),
            self.column.max(1),
            escape_data(&msg)
        )
    }
}

/// A workflow command's message: `%`, CR and LF escaped, so no text can end the command and
/// start another (the rules of GitHub's `@actions/core`, `escapeData`).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value (`file=...`): also `:` and `,`, which would end it
/// (`escapeProperty`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Forward slashes on every platform, so messages and snapshots read the same everywhere.
pub fn display_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Sorts diagnostics by file and line and renders them all, errors and warnings counted.
pub fn render_all(diags: &mut [Diagnostic]) -> String {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity).cmp(&(&b.file, b.line, b.column, b.severity))
    });
    let mut out = String::new();
    for d in diags.iter() {
        out.push_str(&d.render());
        out.push('\n');
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let _ = write!(out, "{errors} error(s), {warnings} warning(s)");
    out
}
