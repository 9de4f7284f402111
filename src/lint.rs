//! Checks that `check` adds on top of validation: things that build fine but that a reviewer
//! would ask a contributor to fix.

use crate::content::Book;
use crate::diagnostics::Diagnostic;
use crate::markdown;

pub fn lint(book: &Book) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (body, origin) in book.bodies() {
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
