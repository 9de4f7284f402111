//! Checks that `check` adds on top of validation: things that build fine but that a reviewer
//! would ask a contributor to fix.

use crate::content::{Book, Origin};
use crate::diagnostics::Diagnostic;
use crate::markdown;

pub fn lint(book: &Book) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (body, origin) in book.bodies() {
        placeholders(book.text_of(origin), origin, &mut out);
        for (id, offset) in markdown::custom_heading_ids(body) {
            if id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c))
            {
                continue;
            }
            let text = book.text_of(origin);
            let line = origin.body_line + body[..offset].matches('\n').count();
            out.push(
                Diagnostic::warning(
                    &origin.file,
                    format!("heading id `{id}` has characters that only work escaped"),
                )
                .at(text, line, 1)
                .help("write heading ids with letters, digits, `-`, `_`, `.` and `:` only, e.g. `{#key-rotation}`"),
            );
        }
        for block in markdown::code_blocks(body) {
            if block.info.unknown.is_empty() {
                continue;
            }
            let text = book.text_of(origin);
            let line = origin.body_line + block.line - 1;
            let col = text
                .lines()
                .nth(line - 1)
                .and_then(|l| l.find(&block.info.unknown[0]))
                .map(|c| c + 1)
                .unwrap_or(1);
            let known =
                "rust, ignore, no_run, should_panic, compile_fail, edition2021, edition2024";
            let mut d = Diagnostic::warning(
                &origin.file,
                format!("unknown code block attribute `{}`", block.info.unknown[0]),
            )
            .at(text, line, col);
            d = match crate::diagnostics::did_you_mean(&block.info.unknown[0], known.split(", ")) {
                Some(best) => d.help(format!(
                    "did you mean `{best}`? rustdoc ignores attributes it does not know"
                )),
                None => d.help(format!("rustdoc understands {known}")),
            };
            out.push(d);
        }
    }
    out
}

/// The `TODO` placeholders `handbook new question` writes, wherever one is left in a file (front
/// matter or prose; code blocks are the author's business and are skipped).
fn placeholders(text: &str, origin: &Origin, out: &mut Vec<Diagnostic>) {
    let mut fence: Option<&str> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        match fence {
            Some(open) => {
                if trimmed.starts_with(open) {
                    fence = None;
                }
                continue;
            }
            None => {
                if let Some(open) = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f)) {
                    fence = Some(open);
                    continue;
                }
            }
        }
        let Some(col) = find_word(line, "TODO") else {
            continue;
        };
        out.push(
            Diagnostic::warning(&origin.file, "placeholder `TODO` left in the file")
                .at(text, i + 1, line[..col].chars().count() + 1)
                .help("replace it with the real text: `handbook new question` writes placeholders for every field"),
        );
    }
}

/// Byte offset of `word` in `line` where it stands as a whole word.
fn find_word(line: &str, word: &str) -> Option<usize> {
    line.match_indices(word).map(|(i, _)| i).find(|&i| {
        let before = line[..i].chars().next_back();
        let after = line[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}
