//! rustdoc's semantics for one Rust fence, as Rust source: hidden `# ` lines compiled, code
//! without `fn main` wrapped in one, `?` allowed when the code ends in `Ok::<(), E>(())`,
//! `should_panic`, `no_run`, `compile_fail`.
//!
//! A content file's fences become one test source whose line numbers are the markdown file's:
//! each fence's opening line carries the test function's header, its code sits on the lines it
//! has in the markdown, its closing line carries the end of the function. So every location
//! rustc or a panic reports (`tests/T.rs:L:C`) is the markdown file's line `L` and column `C`,
//! and no info string or body can change where a snippet starts or ends: the code is copied
//! as Rust, never re-parsed as markdown.

use super::Snippet;

/// The code as rustc compiles it, one entry per markdown line: hidden lines keep their place
/// and their columns (`# ` becomes two spaces, `##` becomes ` #`).
pub fn compiled_lines(code: &str) -> Vec<String> {
    code.lines().map(compiled_line).collect()
}

fn compiled_line(line: &str) -> String {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    if let Some(rest) = trimmed.strip_prefix("##") {
        format!("{indent} #{rest}")
    } else if trimmed == "#" {
        String::new()
    } else if let Some(rest) = trimmed.strip_prefix("# ") {
        format!("{indent}  {rest}")
    } else {
        line.to_string()
    }
}

/// The compiled code as one string (what rustdoc compiles), for keys and heuristics.
pub fn compiled_code(code: &str) -> String {
    let mut s = compiled_lines(code).join("\n");
    s.push('\n');
    s
}

/// Does the code define its own `fn main` at the top level (rustdoc then does not wrap it)?
fn has_main(code: &str) -> bool {
    code.lines().any(|l| {
        let mut t = l.trim_start();
        for prefix in ["pub ", "async ", "unsafe ", "extern \"C\" "] {
            t = t.strip_prefix(prefix).unwrap_or(t).trim_start();
        }
        t.strip_prefix("fn main")
            .is_some_and(|rest| rest.trim_start().starts_with(['(', '<']))
    })
}

/// rustdoc's rule for `?` in a snippet: code ending in `(())` (e.g. `Ok::<(), E>(())`) is the
/// body of a function returning `Result<(), impl Debug>`, unwrapped by the caller.
fn returns_result(code: &str) -> bool {
    code.trim_end()
        .trim_end_matches(';')
        .trim_end()
        .ends_with("(())")
}

/// How a fence becomes a function.
pub struct Wrapper {
    /// Goes at the end of the opening fence's line.
    pub header: String,
    /// Goes on the closing fence's line.
    pub footer: String,
}

/// The function for a snippet: a `#[test]` unless it is only compiled (`no_run`, or the body
/// of a `compile_fail` check, which is a whole crate: `fn main`).
pub fn wrapper(s: &Snippet, fn_name: &str) -> Wrapper {
    let code = compiled_code(&s.code);
    let as_test = !s.info.no_run && !s.info.compile_fail;
    let mut attrs = String::new();
    if as_test {
        attrs.push_str("#[test] ");
        if s.info.should_panic {
            attrs.push_str("#[should_panic] ");
        }
    } else {
        attrs.push_str("#[allow(dead_code)] ");
    }
    if has_main(&code) {
        // The snippet's own `main` decides, as in rustdoc: `()` or a `Result` whose `Err` fails.
        let ret = if as_test && !s.info.should_panic {
            " -> impl ::std::process::Termination"
        } else {
            ""
        };
        let call = if ret.is_empty() { "main();" } else { "main()" };
        Wrapper {
            header: format!("{attrs}fn {fn_name}(){ret} {{"),
            footer: format!("{call} }}"),
        }
    } else if returns_result(&code) {
        Wrapper {
            header: format!(
                "{attrs}fn {fn_name}() {{ fn _inner() -> ::core::result::Result<(), impl ::core::fmt::Debug> {{"
            ),
            footer: "} _inner().unwrap() }".to_string(),
        }
    } else {
        Wrapper {
            header: format!("{attrs}fn {fn_name}() {{"),
            footer: "}".to_string(),
        }
    }
}

/// Builds a source file from fences placed at their markdown lines. `first` goes at the start
/// of line 1 (crate attributes), `note` at the end of line 1 (a comment).
pub fn place(first: &str, note: &str, fences: &[(&Snippet, String)]) -> String {
    let mut lines: Vec<String> = vec![String::new()];
    let mut put = |line: usize, text: &str| {
        if lines.len() < line {
            lines.resize(line, String::new());
        }
        let slot = &mut lines[line - 1];
        if !slot.is_empty() && !text.is_empty() {
            slot.push(' ');
        }
        slot.push_str(text);
    };
    put(1, first);
    for (s, fn_name) in fences {
        let w = wrapper(s, fn_name);
        put(s.line, &w.header);
        let code = compiled_lines(&s.code);
        for (i, l) in code.iter().enumerate() {
            put(s.line + 1 + i, l);
        }
        // On the closing fence's line; a fence left open runs to the end of the file, so its
        // footer goes on the next line, which no other fence can hold.
        let close = s.line + 1 + code.len();
        put(close, &w.footer);
    }
    // The note is a line comment: it must end line 1, after anything placed there.
    lines[0].push_str(note);
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// A name usable as a Rust identifier and a cargo target: `[a-z0-9_]`, starting with a
/// letter. Content ids may start with a digit (`3-tier`), which no module or crate may.
pub fn identifier(parts: &[&str]) -> String {
    let mut s = String::new();
    for p in parts {
        if !s.is_empty() {
            s.push('_');
        }
        s.extend(p.chars().map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        }));
    }
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s.insert_str(0, "f_");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::FenceInfo;
    use std::path::PathBuf;

    fn snippet(line: usize, info: &str, code: &str) -> Snippet {
        Snippet {
            name: String::new(),
            target: String::new(),
            fn_name: String::new(),
            file: PathBuf::from("content/x.md"),
            line,
            info: FenceInfo::parse(info),
            raw_info: info.to_string(),
            code: code.to_string(),
        }
    }

    #[test]
    fn hidden_lines_keep_their_columns() {
        assert_eq!(
            compiled_lines("# use a;\n    # let b = 1;\n#\n## x\nlet c;\n"),
            vec!["  use a;", "      let b = 1;", "", " # x", "let c;"]
        );
    }

    #[test]
    fn fences_keep_their_markdown_lines() {
        let a = snippet(3, "rust", "let x = 1;\nassert_eq!(x, 1);\n");
        let b = snippet(7, "rust,should_panic", "# let y = 2;\npanic!();\n");
        let src = place(
            "#![allow(unused)]",
            " // generated",
            &[(&a, "line_3".into()), (&b, "line_7".into())],
        );
        let lines: Vec<&str> = src.lines().collect();
        assert_eq!(lines[0], "#![allow(unused)] // generated");
        assert_eq!(lines[2], "#[test] fn line_3() {");
        assert_eq!(lines[3], "let x = 1;");
        assert_eq!(lines[4], "assert_eq!(x, 1);");
        assert_eq!(lines[5], "}");
        assert_eq!(lines[6], "#[test] #[should_panic] fn line_7() {");
        assert_eq!(lines[7], "  let y = 2;");
        assert_eq!(lines[9], "}");
    }

    #[test]
    fn a_fence_on_line_one_shares_it_with_the_crate_attributes() {
        let a = snippet(1, "rust", "let x = 1; // trailing comment\n");
        let src = place("#![allow(unused)]", " // note", &[(&a, "line_1".into())]);
        assert_eq!(
            src,
            "#![allow(unused)] #[test] fn line_1() { // note\nlet x = 1; // trailing comment\n}\n"
        );
    }

    #[test]
    fn question_mark_and_main_follow_rustdoc() {
        let q = snippet(
            1,
            "rust",
            "let n: u8 = \"7\".parse()?;\n# Ok::<(), std::num::ParseIntError>(())\n",
        );
        assert!(
            wrapper(&q, "t")
                .header
                .contains("_inner() -> ::core::result::Result<(), impl ::core::fmt::Debug>")
        );
        let m = snippet(1, "rust", "fn main() -> Result<(), String> { Ok(()) }\n");
        let w = wrapper(&m, "t");
        assert!(
            w.header.ends_with("-> impl ::std::process::Termination {"),
            "{}",
            w.header
        );
        assert_eq!(w.footer, "main() }");
        let n = snippet(1, "rust,no_run", "loop {}\n");
        assert_eq!(wrapper(&n, "t").header, "#[allow(dead_code)] fn t() {");
        assert!(!has_main("// fn main() is not here\nlet main = 1;\n"));
    }

    #[test]
    fn identifiers_never_start_with_a_digit() {
        assert_eq!(identifier(&["questions", "3-tier"]), "questions_3_tier");
        assert_eq!(identifier(&["3-tier"]), "f_3_tier");
        assert_eq!(identifier(&["Guide"]), "guide");
    }
}
