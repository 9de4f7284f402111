//! Checks that `check` adds on top of validation: things that build fine but that a reviewer
//! would ask a contributor to fix.

use crate::content::{Book, Origin, Question};
use crate::diagnostics::Diagnostic;
use crate::markdown;
use crate::site::level_stem;

pub fn lint(book: &Book) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    markdown_bodies(book, &mut out);
    rating_scale(book, &mut out);
    anchors(book, &mut out);
    sheets_fit(book, &mut out);
    out
}

/// In markdown bodies: heading ids that only work escaped, and Rust fences with attributes
/// rustdoc does not know.
fn markdown_bodies(book: &Book, out: &mut Vec<Diagnostic>) {
    for (body, origin) in book.bodies() {
        placeholders(book.text_of(origin), origin, out);
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
}

/// The guide should define the rating scale: without it the legends show bare numbers.
fn rating_scale(book: &Book, out: &mut Vec<Diagnostic>) {
    if book.guide.ratings.is_empty() {
        out.push(
            Diagnostic::warning(&book.guide.origin.file, "the guide defines no rating scale")
                .help("add `ratings:` to the guide's front matter: for each value 1 to 4 a `label:` (a few words) and a `meaning:`; every legend, sheet and the scorecard show them"),
        );
    }
}

/// A question without anchors leaves interviewers to guess what each rating sounds like.
fn anchors(book: &Book, out: &mut Vec<Diagnostic>) {
    for q in &book.questions {
        if q.meta.anchors.is_empty() {
            let (line, col) = line_of(&q.text, "id:");
            out.push(
                Diagnostic::warning(&q.origin.file, "the question has no rating anchors")
                    .at(&q.text, line, col)
                    .help("add `anchors:` keyed 1 to 4, each what a candidate at that rating says (two or three sentences); the question page, the scorecard, the anchors sheet and the drill show them"),
            );
        }
    }
}

fn line_of(text: &str, needle: &str) -> (usize, usize) {
    text.lines()
        .enumerate()
        .find_map(|(i, l)| l.find(needle).map(|c| (i + 1, c + 1)))
        .unwrap_or((1, 1))
}

/// What a printed page of a level sheet holds, in text lines of the sheet's small print (12 CSS
/// px): a Letter page (the shorter of A4 and Letter, 980 px inside the 10 mm margins) less
/// the sheet's header, footer and result line (122 px), as measured in Chromium with the
/// default theme.
const SHEET_PAGE_LINES: f64 = 71.5;

/// The estimated height of a question on a level sheet, in lines (see [`SHEET_PAGE_LINES`]).
/// Fitted to the JWT book's sheets measured in Chromium at A4 width (within 2 lines a level):
/// the title wraps at about 100 characters, its lines 1.25 lines high; a signal wraps at about
/// 75 characters, a red flag at about 55 (its column is narrower, and holds the "connected to
/// another level" line too); the taller column counts, each of its items adding 0.125 for
/// spacing; the rating line, the notes line and the rule take 3.1.
fn sheet_lines(q: &Question) -> f64 {
    let wrap = |text: &str, width: usize| text.chars().count().div_ceil(width).max(1);
    let title = wrap(&q.meta.question, 100) as f64 * 1.25;
    let signals: usize = q.meta.signals.iter().map(|s| wrap(s, 75)).sum();
    let flags: usize = q.meta.red_flags.iter().map(|s| wrap(s, 55)).sum::<usize>() + 1;
    let (column, items) = if signals >= flags {
        (signals, q.meta.signals.len())
    } else {
        (flags, q.meta.red_flags.len() + 1)
    };
    title + column as f64 + 0.125 * items as f64 + 3.1
}

/// A level sheet should fit one printed page; longer ones print on several, each with the
/// header and footer, which is fine but worth knowing while writing the bank.
fn sheets_fit(book: &Book, out: &mut Vec<Diagnostic>) {
    for level in &book.levels {
        let n = level.meta.level;
        let lines: f64 = book.questions_in(n).map(sheet_lines).sum();
        if lines > SHEET_PAGE_LINES {
            let pages = (lines / SHEET_PAGE_LINES).ceil();
            let page = SHEET_PAGE_LINES.floor();
            out.push(
                Diagnostic::warning(
                    &level.origin.file,
                    format!(
                        "the level {n} sheet (sheets/{}.html) will not fit on one printed page: about {lines:.0} lines of questions for about {page} on a page, so about {pages:.0} pages",
                        level_stem(n)
                    ),
                )
                .help(format!(
                    "it still prints, repeating its header and footer on every page; to keep one page, split the level or shorten its questions' signals and red flags. The estimate: per question, its title (a line per 100 characters), the taller of its signals (a line per 75 characters each) and its red flags (a line per 55) column, and about 3 lines for the rating and notes; a page holds about {page} lines"
                )),
            );
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn placeholders_are_found_in_prose_and_front_matter_not_in_code() {
        let text = "---\nsummary: \"TODO: say it\"\n---\n\nTODOS and MYTODO are words.\n\n```rust\n// TODO: fine in code\n```\n\nStill TODO.\n";
        let origin = Origin {
            file: "content/questions/q.md".into(),
            body_line: 4,
        };
        let mut out = Vec::new();
        placeholders(text, &origin, &mut out);
        let at: Vec<(usize, usize)> = out.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(at, [(2, 11), (11, 7)]);
    }

    fn question(title: &str, signals: &[&str], flags: &[&str]) -> Question {
        let text = "---\nid: q\n---\n".to_string();
        let yaml = format!(
            "id: q\nlevel: 1\norder: 1\nquestion: {title:?}\nsignals: {signals:?}\nred_flags: {flags:?}\n"
        );
        Question {
            meta: serde_yaml::from_str(&yaml).expect("meta"),
            origin: crate::content::Origin {
                file: Path::new("content/questions/q.md").to_path_buf(),
                body_line: 4,
            },
            body_start: text.len(),
            text,
        }
    }

    #[test]
    fn sheet_estimate_counts_wrapped_lines_of_the_taller_column() {
        let short = question("Short?", &["a", "b"], &["c"]);
        // 1 title line (1.25) + 2 signal lines + 2 items * 0.125 + 3.1
        assert!((sheet_lines(&short) - (1.25 + 2.0 + 0.25 + 3.1)).abs() < 1e-9);
        let long_signal = "x".repeat(151); // 3 lines at 75 characters
        let wide = question("Short?", &[&long_signal], &["c", "d", "e", "f"]);
        // signals 3 lines, flags 4 + the connection line = 5: the flags column counts
        assert!((sheet_lines(&wide) - (1.25 + 5.0 + 0.625 + 3.1)).abs() < 1e-9);
    }

    #[test]
    fn level_sheet_page_budget_matches_the_measured_limit() {
        // The generated 40-question bank of tests/browser prints five such questions on a
        // Letter page: five must fit the budget, six must not.
        let s = |k: u32| {
            format!(
                "L1Q{k:02}-S1 Names the claim to check and says which value is expected and where it comes from"
            )
        };
        let f = "L1Q01-F1 Trusts the token because its signature is valid";
        let q = question(
            "L1Q01 How does the service validate a token whose claims were issued by another tenant?",
            &[&s(1), &s(2), &s(3), &s(4)],
            &[f, f],
        );
        let one = sheet_lines(&q);
        assert!(5.0 * one <= SHEET_PAGE_LINES, "{one}");
        assert!(6.0 * one > SHEET_PAGE_LINES, "{one}");
    }
}
