//! Diagrams drawn from text at build time: a ```` ```svgbob title="..." ```` fence becomes
//! inline SVG in the page, drawn by the `svgbob` crate, so readers' browsers run nothing.
//!
//! What svgbob emits is adapted to the pages' Content-Security-Policy and themes: its
//! `<style>` element (blocked by `style-src 'self'`, and carrying fixed colours) is left out
//! and the theme's stylesheet styles the `.svgbob` classes with `currentColor`; its arrow
//! markers get ids unique in the page (a page, and print.html above all, holds many diagrams)
//! and are referenced by `marker-*` presentation attributes rather than by its stylesheet;
//! a `viewBox` lets the drawing shrink to the column. The markup around the SVG (figure,
//! caption) is the theme's (`partials/diagram.html`).

use sauron::html::attributes::attr;
use svgbob::sauron;
use svgbob::{CellBuffer, Node, Settings};

/// The fence language that marks a diagram.
pub const LANG: &str = "svgbob";

/// The attributes of a diagram fence's info string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Info {
    /// The caption: the diagram's text alternative.
    pub title: String,
}

/// Is this fence info string a diagram's?
pub fn is_diagram(info: &str) -> bool {
    info.split(|c: char| c.is_whitespace() || c == ',')
        .next()
        .is_some_and(|lang| lang == LANG)
}

/// Reads `svgbob title="..."`. The error says what is wrong, for a diagnostic.
pub fn parse_info(info: &str) -> Result<Info, String> {
    let mut rest = info
        .trim_start()
        .strip_prefix(LANG)
        .unwrap_or("")
        .trim_start_matches([' ', '\t', ',']);
    let mut title = None;
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else {
            return Err(format!(
                "`{}` is not an attribute: write `title=\"...\"`",
                rest.trim()
            ));
        };
        let key = rest[..eq].trim();
        let Some(value) = rest[eq + 1..].trim_start().strip_prefix('"') else {
            return Err(format!("the value of `{key}` must be in double quotes"));
        };
        let Some(end) = closing_quote(value) else {
            return Err(format!("the value of `{key}` has no closing `\"`"));
        };
        match key {
            "title" => title = Some(value[..end].trim().to_string()),
            other => return Err(format!("unknown diagram attribute `{other}`")),
        }
        rest = value[end + 1..].trim_start_matches([' ', '\t', ',']);
    }
    match title {
        Some(title) if !title.is_empty() => Ok(Info { title }),
        Some(_) => Err("the diagram's `title` is empty".into()),
        None => Err("the diagram has no `title` (its text alternative)".into()),
    }
}

/// The `"` that closes a value: one followed by the end of the info string or by another
/// `key=`. A quote inside the value (`title="the \"kid\" header"`, which markdown unescapes)
/// is not followed by either.
fn closing_quote(value: &str) -> Option<usize> {
    value.match_indices('"').map(|(i, _)| i).find(|&i| {
        let after = value[i + 1..].trim_start_matches([' ', '\t', ',']);
        after.is_empty()
            || after.len() < value[i + 1..].len()
                && after
                    .split_once('=')
                    .is_some_and(|(key, _)| is_key(key.trim_end()))
    })
}

fn is_key(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// What is wrong with a diagram's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiagramError {
    #[error("the diagram is empty")]
    Empty,
    /// svgbob reads a `# Legend:` section as CSS for the diagram; the pages' CSP and the
    /// themes' colours leave no place for a book's own CSS.
    #[error("svgbob legends (`# Legend:`) are CSS, which the pages do not accept")]
    Legend {
        /// 1-based, within the fence's code.
        line: usize,
    },
}

/// Checks a diagram's text. svgbob draws any text (it has no syntax to get wrong); what it
/// cannot draw well is named here.
pub fn check(code: &str) -> Result<(), DiagramError> {
    if code.trim().is_empty() {
        return Err(DiagramError::Empty);
    }
    if let Some(i) = code.lines().position(legend_line) {
        return Err(DiagramError::Legend { line: i + 1 });
    }
    Ok(())
}

fn legend_line(line: &str) -> bool {
    line.trim_start()
        .strip_prefix('#')
        .is_some_and(|r| r.trim_start().starts_with("Legend:"))
}

/// The diagram as an `<svg>` element. `id_prefix` makes its marker ids unique in the page
/// (ids are `{id_prefix}arrow`, ...); it must be made of id-safe characters.
///
/// Text in the diagram is escaped by svgbob (`<`, `>`, `&`, quotes); `check` should have
/// passed, but any text renders without panicking.
pub fn to_svg(code: &str, id_prefix: &str) -> String {
    draw(code).svg(id_prefix)
}

/// A diagram drawn once, its ids left open: a page and print.html show the same diagram
/// with different ids, and drawing is the slow part (about 10 ms for a 20-line diagram).
#[derive(Debug, Clone)]
pub struct Drawing {
    /// The SVG cut where the id prefix goes.
    parts: Vec<String>,
}

impl Drawing {
    /// The SVG with its ids prefixed by `id_prefix`.
    pub fn svg(&self, id_prefix: &str) -> String {
        self.parts.join(id_prefix)
    }
}

/// Marks where the id prefix goes while drawing. svgbob escapes `"` in the diagram's text and
/// writes no attribute value holding a control character, so nothing else in the SVG matches.
const OPEN_ID: &str = "\"\u{1}\"";

/// Draws the diagram once (see [`Drawing`]).
pub fn draw(code: &str) -> Drawing {
    Drawing {
        parts: render(code, OPEN_ID)
            .split(OPEN_ID)
            .map(str::to_string)
            .collect(),
    }
}

fn render(code: &str, id_prefix: &str) -> String {
    // A legend would become a <style> element's CSS, which we drop anyway; cut it so its
    // text is not drawn either.
    let code = match code.lines().position(legend_line) {
        Some(i) => code.lines().take(i).collect::<Vec<_>>().join("\n"),
        None => code.to_string(),
    };
    let settings = Settings {
        include_styles: false,
        include_backdrop: false,
        include_defs: true,
        ..Settings::default()
    };
    let buffer = CellBuffer::from(code.as_str());
    let (mut node, width, height): (Node<()>, f32, f32) = buffer.get_node_with_size(&settings);
    adapt(&mut node, id_prefix);
    if let Some(svg) = node.element_mut() {
        svg.set_attributes([attr("viewBox", format!("0 0 {width} {height}"))]);
        // The caption in the theme's figure is the text alternative; the drawing's own
        // text, scattered over the picture, would read as noise.
        svg.set_attributes([attr("aria-hidden", "true"), attr("focusable", "false")]);
    }
    node.render_to_string()
}

/// svgbob's marker names, as used in its `start_marked_*` / `end_marked_*` classes and ids.
const MARKERS: &[&str] = &[
    "arrow",
    "diamond",
    "circle",
    "open_circle",
    "big_open_circle",
];

/// Prefixes the marker ids and turns the marker classes into `marker-start` / `marker-end`
/// attributes pointing at them.
fn adapt(node: &mut Node<()>, prefix: &str) {
    if let Some(el) = node.element_mut() {
        let classes: Vec<String> = el
            .attribute_value(&"class")
            .unwrap_or_default()
            .iter()
            .filter_map(|v| v.get_simple().map(ToString::to_string))
            .collect();
        let mut markers = Vec::new();
        for class in classes.iter().flat_map(|c| c.split_whitespace()) {
            for (attribute, class_prefix) in [
                ("marker-start", "start_marked_"),
                ("marker-end", "end_marked_"),
            ] {
                if let Some(name) = class.strip_prefix(class_prefix)
                    && MARKERS.contains(&name)
                {
                    markers.push(attr(attribute, format!("url(#{prefix}{name})")));
                }
            }
        }
        el.set_attributes(markers);
        let id = el
            .first_value(&"id")
            .map(ToString::to_string)
            .filter(|id| MARKERS.contains(&id.as_str()));
        if let Some(id) = id {
            el.set_attributes([attr("id", format!("{prefix}{id}"))]);
        }
    }
    if let Some(children) = node.children_mut() {
        for child in children {
            adapt(child, prefix);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_strings() {
        assert_eq!(
            parse_info(r#"svgbob title="Who signs, who verifies""#),
            Ok(Info {
                title: "Who signs, who verifies".into()
            })
        );
        assert!(parse_info("svgbob").unwrap_err().contains("no `title`"));
        assert!(
            parse_info(r#"svgbob title="""#)
                .unwrap_err()
                .contains("empty")
        );
        assert!(
            parse_info(r#"svgbob titel="x""#)
                .unwrap_err()
                .contains("unknown diagram attribute `titel`")
        );
        assert!(
            parse_info("svgbob title=x")
                .unwrap_err()
                .contains("double quotes")
        );
        assert!(
            parse_info(r#"svgbob title="x"#)
                .unwrap_err()
                .contains("closing")
        );
        // Quotes inside the title (markdown has unescaped `\"` already).
        assert_eq!(
            parse_info(r#"svgbob title="the "kid" header, "quoted"""#).map(|i| i.title),
            Ok(r#"the "kid" header, "quoted""#.to_string())
        );
        assert!(
            parse_info(r#"svgbob title="a" size="b""#)
                .unwrap_err()
                .contains("unknown diagram attribute `size`")
        );
        assert!(is_diagram(r#"svgbob title="x""#) && is_diagram("svgbob"));
        assert!(!is_diagram("svgbobx") && !is_diagram("rust"));
    }

    #[test]
    fn empty_and_legend_are_errors() {
        assert_eq!(check("  \n\n"), Err(DiagramError::Empty));
        assert_eq!(
            check("+--+\n|{a}|\n+--+\n\n# Legend:\na = {fill: red}\n"),
            Err(DiagramError::Legend { line: 5 })
        );
        assert_eq!(check("a --> b\n"), Ok(()));
    }

    #[test]
    fn svg_fits_the_page_policy() {
        let svg = to_svg(
            "+-----+     +---+\n| a   |---->| b |\n+-----+     +---+\n",
            "d1-",
        );
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(
            !svg.contains("<style"),
            "no <style> element: the CSP blocks it"
        );
        assert!(
            !svg.contains("style="),
            "no style attributes: the CSP blocks them"
        );
        assert!(svg.contains(r#"id="d1-arrow""#), "{svg}");
        assert!(!svg.contains(r#"id="arrow""#), "{svg}");
        // svgbob draws `*` and `o` line ends with its markers: each marker reference points
        // at an id of this diagram.
        for source in ["*------>\n", "o------*\n"] {
            let svg = to_svg(source, "d2-");
            assert!(svg.contains(r#"marker-end="url(#d2-circle)""#), "{svg}");
            for reference in svg.split("url(#").skip(1) {
                let id = &reference[..reference.find(')').unwrap_or(0)];
                assert!(svg.contains(&format!("id=\"{id}\"")), "{id} in {svg}");
            }
        }
        assert!(svg.contains("viewBox=\"0 0 "), "{svg}");
        assert!(
            !svg.contains("backdrop"),
            "no white backdrop: the theme sets colours"
        );
    }

    #[test]
    fn quoted_text_is_written_as_is() {
        // Unquoted, `(` and `)` are drawn as arcs; quoted, they stay characters.
        let quoted = to_svg("\"(cached)\"\n", "q_");
        assert!(quoted.contains("(cached)"), "{quoted}");
        assert!(!quoted.contains("<path"), "{quoted}");
        let bare = to_svg("a (b) c\n", "q_");
        assert!(bare.contains("<path"), "arcs expected: {bare}");
    }

    #[test]
    fn a_drawing_takes_any_prefix() {
        let code = "*------> \"a\u{1}\"\n+--+\n|{id}|\n+--+\n";
        let drawing = draw(code);
        assert_eq!(drawing.svg("p_"), render(code, "p_"));
        assert_eq!(drawing.svg("q_").matches("id=\"q_").count(), 5);
    }

    #[test]
    fn hostile_text_is_escaped() {
        let svg = to_svg(
            "<script>alert(1)</script> \"<img src=x onerror=alert(1)>\" & {x}\n+--+\n|{a\"b}|\n+--+\n",
            "p-",
        );
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains("<img"), "{svg}");
        assert!(!svg.contains("a\"b"), "{svg}");
    }
}
