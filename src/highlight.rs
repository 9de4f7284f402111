//! Server-side syntax highlighting with syntect, as CSS classes (the theme's `highlight.css`
//! colours them, light and dark). The syntax set is loaded once per process from syntect's
//! precompiled dump.
//!
//! Each line is highlighted into self-contained HTML (spans still open from the previous
//! line are reopened, and all are closed at the line's end), so a line can be wrapped in its
//! own element: that is how rustdoc's hidden lines stay hidden but can be revealed.

use std::fmt::Write as _;
use std::sync::OnceLock;
use syntect::html::ClassStyle;
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};

const PREFIX: &str = "hl-";
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: PREFIX };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Loads the syntaxes now (e.g. on a worker thread while content loads).
pub fn warm_up() {
    let _ = syntaxes();
}

/// Highlights `lines` (each with its trailing newline; `true` marks a hidden line) as the
/// inner HTML of a `<code>` element. Unknown languages come out escaped, unhighlighted.
pub fn highlight(lang: &str, lines: &[(bool, String)]) -> String {
    let set = syntaxes();
    let Some(syntax) = (!lang.is_empty())
        .then(|| set.find_syntax_by_token(lang))
        .flatten()
    else {
        return plain(lines);
    };
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut out = String::new();
    for (hidden, line) in lines {
        let Ok(ops) = state.parse_line(line, set) else {
            return plain(lines);
        };
        let mut html = String::new();
        for scope in stack.as_slice() {
            open_span(&mut html, *scope);
        }
        let Ok((spans, _)) =
            syntect::html::line_tokens_to_classed_spans(line, &ops, STYLE, &mut stack)
        else {
            return plain(lines);
        };
        let newline = spans.ends_with('\n');
        html.push_str(spans.strip_suffix('\n').unwrap_or(&spans));
        for _ in 0..stack.len() {
            html.push_str("</span>");
        }
        if newline {
            html.push('\n');
        }
        push_line(&mut out, *hidden, &html);
    }
    out
}

/// Escaped, unhighlighted lines, hidden ones wrapped like [`highlight`] does.
pub fn plain(lines: &[(bool, String)]) -> String {
    let mut out = String::new();
    for (hidden, line) in lines {
        push_line(&mut out, *hidden, &crate::markdown::html_escape(line));
    }
    out
}

fn push_line(out: &mut String, hidden: bool, html: &str) {
    if hidden {
        out.push_str("<span class=\"hidden-line\">");
        out.push_str(html);
        out.push_str("</span>");
    } else {
        out.push_str(html);
    }
}

fn open_span(out: &mut String, scope: Scope) {
    out.push_str("<span class=\"");
    for (i, atom) in scope.build_string().split('.').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{PREFIX}{atom}");
    }
    out.push_str("\">");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_is_highlighted_and_hidden_lines_are_wrapped() {
        let lines = vec![
            (true, "use std::fmt;\n".to_string()),
            (false, "let s = \"a\nb\";\n".to_string()),
        ];
        let html = highlight("rust", &lines);
        assert!(html.starts_with("<span class=\"hidden-line\">"), "{html}");
        assert!(html.contains("hl-keyword"), "{html}");
        assert_eq!(
            html.matches("<span").count(),
            html.matches("</span>").count()
        );
    }

    #[test]
    fn multi_line_strings_stay_balanced_per_line() {
        let lines: Vec<(bool, String)> = [
            "let s = \"first\n",
            "second\";\n",
            "/* a\n",
            "b */ let x = 1;\n",
        ]
        .iter()
        .map(|l| (false, l.to_string()))
        .collect();
        let html = highlight("rust", &lines);
        for line in html.split_inclusive('\n') {
            let opens = line.matches("<span").count();
            let closes = line.matches("</span>").count();
            assert_eq!(opens, closes, "line not self-contained: {line}");
        }
    }

    #[test]
    fn unknown_language_is_escaped() {
        let html = highlight("no-such-lang", &[(false, "<b>\n".into())]);
        assert_eq!(html, "&lt;b&gt;\n");
    }
}
