//! The one place that escapes strings for HTML. Everything a book supplies is untrusted: every
//! string the Rust side writes into a page (text or attribute value) goes through here;
//! templates get the same treatment from tera's autoescape.

/// `s`, escaped for HTML text and for quoted attribute values alike.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    into(&mut out, s);
    out
}

/// Appends `s` to `out`, escaped for HTML text and quoted attribute values alike.
pub fn into(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// JSON text made safe to embed in a `<script>` element (a data block or a script): no
/// `</script>` or `<!--` can end or change the element early.
pub fn script_json(json: &str) -> String {
    json.replace("</", "<\\/").replace("<!--", "<\\u0021--")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attribute_breakers() {
        assert_eq!(
            html(r#"x"autofocus=""onfocus='a'<b>&"#),
            "x&quot;autofocus=&quot;&quot;onfocus=&#39;a&#39;&lt;b&gt;&amp;"
        );
        assert_eq!(html("plain é"), "plain é");
    }

    #[test]
    fn script_json_cannot_close_the_element() {
        let s = script_json(r#"{"a":"</script><!--"}"#);
        assert!(!s.contains("</") && !s.contains("<!--"), "{s}");
    }
}
