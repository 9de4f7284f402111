//! Server-side syntax highlighting with syntect, as CSS classes (the theme's `highlight.css`
//! colours them, light and dark). The syntax set is loaded once per process from syntect's
//! precompiled dump. Rust, the language of every executed answer, uses our own lean grammar
//! (`syntaxes/rust.sublime-syntax`): the Sublime one in the dump took 85% of a large build.
//!
//! Each line is highlighted into self-contained HTML (spans still open from the previous
//! line are reopened, and all are closed at the line's end), so a line can be wrapped in its
//! own element: that is how rustdoc's hidden lines stay hidden but can be revealed.

use std::collections::HashMap;
use std::sync::OnceLock;
use syntect::parsing::{
    BasicScopeStackOp, ParseState, Scope, ScopeStack, SyntaxDefinition, SyntaxReference, SyntaxSet,
    SyntaxSetBuilder,
};

const PREFIX: &str = "hl-";

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The lean Rust grammar, in a set of its own (adding it to the dump would relink every syntax).
fn rust_syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(|| {
        let def = SyntaxDefinition::load_from_str(
            include_str!("syntaxes/rust.sublime-syntax"),
            true,
            Some("rust"),
        )
        .expect("the embedded Rust grammar parses (a unit test checks it)");
        let mut builder = SyntaxSetBuilder::new();
        builder.add(def);
        builder.build()
    })
}

/// Loads the syntaxes now (e.g. on a worker thread while content loads).
pub fn warm_up() {
    let _ = (syntaxes(), rust_syntaxes());
}

/// The syntax set and syntax for a fence's language token, if known.
fn find(lang: &str) -> Option<(&'static SyntaxSet, &'static SyntaxReference)> {
    if lang.is_empty() {
        return None;
    }
    if lang.eq_ignore_ascii_case("rust") || lang.eq_ignore_ascii_case("rs") {
        let set = rust_syntaxes();
        return set.syntaxes().first().map(|s| (set, s));
    }
    let set = syntaxes();
    set.find_syntax_by_token(lang).map(|s| (set, s))
}

/// Highlights `lines` (each with its trailing newline; `true` marks a hidden line) as the
/// inner HTML of a `<code>` element. Unknown languages come out escaped, unhighlighted.
pub fn highlight(lang: &str, lines: &[(bool, String)]) -> String {
    let Some((set, syntax)) = find(lang) else {
        return plain(lines);
    };
    let mut classes = Classes::new(syntax);
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut out = String::new();
    let mut html = String::new();
    for (hidden, line) in lines {
        let Ok(ops) = state.parse_line(line, set) else {
            return plain(lines);
        };
        html.clear();
        // Which scopes on the stack have a span (the root scope and empty ones have none).
        let mut spans: Vec<bool> = Vec::with_capacity(stack.len() + 4);
        for scope in stack.as_slice() {
            let class = classes.of(*scope);
            if let Some(class) = class {
                open_span(&mut html, class);
            }
            spans.push(class.is_some());
        }
        let text = line.strip_suffix('\n').unwrap_or(line);
        let mut pos = 0;
        for (at, op) in &ops {
            let at = (*at).min(text.len());
            if at > pos {
                crate::escape::into(&mut html, &text[pos..at]);
                pos = at;
            }
            let applied = stack.apply_with_hook(op, |basic, _| match basic {
                BasicScopeStackOp::Push(scope) => {
                    let class = classes.of(scope);
                    if let Some(class) = class {
                        open_span(&mut html, class);
                    }
                    spans.push(class.is_some());
                }
                BasicScopeStackOp::Pop => {
                    if spans.pop() == Some(true) {
                        html.push_str("</span>");
                    }
                }
            });
            if applied.is_err() {
                return plain(lines);
            }
        }
        crate::escape::into(&mut html, &text[pos..]);
        for _ in spans.iter().filter(|s| **s) {
            html.push_str("</span>");
        }
        if text.len() < line.len() {
            html.push('\n');
        }
        push_line(&mut out, *hidden, &html);
    }
    out
}

/// CSS classes per scope: `string.quoted.double.rust` becomes `hl-string hl-quoted hl-double`.
/// The language atom and the root scope (`source.rust`, on every token) are left out: they
/// style nothing and, repeated on every span and line, made pages several times larger.
struct Classes {
    root: Scope,
    language: String,
    cache: HashMap<Scope, Option<String>>,
}

impl Classes {
    fn new(syntax: &SyntaxReference) -> Classes {
        let root = syntax.scope.build_string();
        Classes {
            root: syntax.scope,
            language: root.rsplit('.').next().unwrap_or_default().to_string(),
            cache: HashMap::new(),
        }
    }

    fn of(&mut self, scope: Scope) -> Option<&str> {
        let (root, language) = (self.root, &self.language);
        self.cache
            .entry(scope)
            .or_insert_with(|| {
                if scope == root {
                    return None;
                }
                let name = scope.build_string();
                let mut atoms: Vec<&str> = name.split('.').filter(|a| !a.is_empty()).collect();
                if atoms.len() > 1 && atoms.last() == Some(&language.as_str()) {
                    atoms.pop();
                }
                let mut class = String::new();
                for atom in atoms {
                    if !class.is_empty() {
                        class.push(' ');
                    }
                    class.push_str(PREFIX);
                    class.push_str(atom);
                }
                (!class.is_empty()).then_some(class)
            })
            .as_deref()
    }
}

/// Escaped, unhighlighted lines, hidden ones wrapped like [`highlight`] does.
pub fn plain(lines: &[(bool, String)]) -> String {
    let mut out = String::new();
    for (hidden, line) in lines {
        push_line(&mut out, *hidden, &crate::escape::html(line));
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

fn open_span(out: &mut String, class: &str) {
    out.push_str("<span class=\"");
    out.push_str(class);
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

    /// The scopes (as classes) of the first span wrapping `needle` in `html`.
    fn class_of<'a>(html: &'a str, needle: &str) -> &'a str {
        let at = html
            .find(&format!(">{needle}<"))
            .unwrap_or_else(|| panic!("{needle} not a token in {html}"));
        let open = html[..at].rfind("class=\"").expect("inside a span") + 7;
        &html[open..html[open..].find('"').unwrap() + open]
    }

    #[test]
    fn the_lean_rust_grammar_tells_the_token_kinds_apart() {
        let src = concat!(
            "#[derive(Debug)]\n",
            "struct Claims<'a> { sub: &'a str, exp: u64 }\n",
            "fn check(c: char) -> bool { c == 'x' } // trailing\n",
            "let raw = r#\"a \"quoted\" b\"#; let n = 0x1F_u8; /* block /* nested */ */\n",
            "assert!(matches!(kind, ErrorKind::InvalidAudience), \"esc\\n\");\n",
        );
        let lines: Vec<(bool, String)> = src
            .split_inclusive('\n')
            .map(|l| (false, l.to_string()))
            .collect();
        let html = highlight("rust", &lines);
        assert!(class_of(&html, "struct").contains("hl-storage"), "{html}");
        assert!(class_of(&html, "Claims").contains("hl-entity hl-name hl-type"));
        assert!(class_of(&html, "&#39;a").contains("hl-lifetime"), "{html}");
        assert!(class_of(&html, "u64").contains("hl-storage hl-type"));
        assert!(class_of(&html, "check").contains("hl-entity hl-name hl-function"));
        assert!(class_of(&html, "&#39;x&#39;").contains("hl-string"));
        assert!(class_of(&html, "// trailing").contains("hl-comment"));
        assert!(class_of(&html, "0x1F_u8").contains("hl-constant hl-numeric"));
        assert!(class_of(&html, "assert!").contains("hl-support hl-macro"));
        assert!(class_of(&html, "ErrorKind").contains("hl-type"));
        assert!(class_of(&html, "let").contains("hl-keyword"));
        // The raw string ends at `"#`, not at the inner quotes; nested block comments close.
        assert!(
            html.contains("b&quot;#</span>; <span class=\"hl-keyword\">let"),
            "{html}"
        );
        assert!(html.contains("nested */</span> */</span>\n"), "{html}");
        assert!(
            html.contains("c == <span"),
            "operators stay unstyled: {html}"
        );
        assert!(html.contains(r#"<span class="hl-constant hl-character hl-escape">\n</span>"#));
        assert_eq!(
            html.matches("<span").count(),
            html.matches("</span>").count()
        );
    }

    #[test]
    fn unknown_language_is_escaped() {
        let html = highlight("no-such-lang", &[(false, "<b>\n".into())]);
        assert_eq!(html, "&lt;b&gt;\n");
    }
}
