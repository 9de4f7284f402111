//! The interface words a page's scripts read: each page gets the shared `script_` words and
//! only its own page script's words.

/// The pages whose template loads a script of the same name: that script's words (keys
/// `script_NAME_*`) go only to the page of template `NAME.html`, so no other page carries them.
pub(super) const PAGE_SCRIPTS: [&str; 3] = ["scorecard", "calibrate", "drill"];

/// The `script_*` words as JSON for a page's `data-words`, by page script.
pub(super) struct ScriptWords {
    /// The words of the scripts every page loads.
    pub(super) common: String,
    /// For each of [`PAGE_SCRIPTS`], the common words and that script's own.
    pub(super) pages: Vec<(&'static str, String)>,
}

impl ScriptWords {
    pub(super) fn new(words: &crate::theme::Words) -> Self {
        let page_of = |key: &str| {
            PAGE_SCRIPTS.into_iter().find(|page| {
                key.strip_prefix("script_")
                    .and_then(|rest| rest.strip_prefix(page))
                    .is_some_and(|rest| rest.starts_with('_'))
            })
        };
        let json = |page: Option<&str>| {
            serde_json::to_string(
                &words
                    .iter()
                    .filter(|(key, _)| {
                        let own = page_of(key);
                        key.starts_with("script_") && (own.is_none() || own == page)
                    })
                    .collect::<std::collections::BTreeMap<_, _>>(),
            )
            .unwrap_or_default()
        };
        ScriptWords {
            common: json(None),
            pages: PAGE_SCRIPTS
                .into_iter()
                .map(|p| (p, json(Some(p))))
                .collect(),
        }
    }

    /// The JSON for a page rendered from `template`.
    pub(super) fn for_template(&self, template: &str) -> &str {
        let stem = template.strip_suffix(".html").unwrap_or(template);
        self.pages
            .iter()
            .find(|(page, _)| *page == stem)
            .map_or(&self.common, |(_, json)| json)
    }
}

/// `word` with each `{name}` replaced by its value.
pub(super) fn fill(word: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(word.to_string(), |w, (name, value)| {
        w.replace(&format!("{{{name}}}"), value)
    })
}
