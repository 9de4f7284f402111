//! URL policy for links and images written in content: which schemes may reach a page.

/// The URL scheme of a link destination (`https`, `javascript`...), if it has one.
pub fn scheme(dest: &str) -> Option<String> {
    let end = dest.find(':')?;
    let candidate = &dest[..end];
    if candidate.contains(['/', '?', '#']) {
        return None;
    }
    let mut chars = candidate.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
        .then(|| candidate.to_ascii_lowercase())
}

/// Links may be relative, fragments, or use http(s) and mailto; anything else (`javascript:`,
/// `data:`, `vbscript:`...) could run code in a reader's browser.
pub fn is_safe(dest: &str) -> bool {
    let trimmed: String = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    match scheme(&trimmed) {
        None => true,
        Some(s) => matches!(s.as_str(), "http" | "https" | "mailto"),
    }
}

/// `dest` if it is safe, else a harmless fragment.
pub fn safe(dest: String) -> String {
    if is_safe(&dest) {
        dest
    } else {
        "#unsafe-link-removed".to_string()
    }
}
