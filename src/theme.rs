//! The theme: tera templates and static files, embedded in the binary so the tool works from
//! any directory, and overridden file by file by the book's own `themes/<name>/`.
//!
//! A theme is confined to the book, as `content/` is: its name is one directory under
//! `themes/` (never a path), and every file read from it must resolve, symlinks followed, to
//! a file inside the book. `build` and `serve` both read themes only through [`Theme`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::Tera;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/", $name)))),*]
    };
}

/// Templates, rendered by tera.
const TEMPLATES: &[(&str, &str)] = embed!(
    "base.html",
    "index.html",
    "page.html",
    "level.html",
    "question.html",
    "article.html",
    "sheet-level.html",
    "sheet-interview.html",
    "search.html",
    "404.html",
    "scorecard.html",
    "calibrate.html",
    "drill.html",
    "sheet-anchors.html",
    "print.html",
    "partials/heading.html",
    "partials/code.html",
    "partials/diagram.html",
    "partials/print-section.html",
    "partials/rating-scale.html",
    "partials/rating-legend.html",
);

/// Static files, copied to `assets/`.
const STATIC: &[(&str, &str)] = embed!(
    "style.css",
    "highlight.css",
    "handbook.js",
    "scorecard.js",
    "calibrate.js",
    "drill.js",
    "theme-init.js",
);

/// Files only `handbook serve` uses (live reload, the failed-rebuild banner); never published.
const SERVE: &[(&str, &str)] = embed!(
    "serve/inject.html",
    "serve/livereload.js",
    "serve/serve.css"
);

/// The interface words in English; see the file for how a book translates them.
const WORDS: &str = include_str!("../themes/default/words.toml");

/// Interface words by key, as templates see them in `words`.
pub type Words = BTreeMap<String, String>;

fn parse_words(text: &str, what: &str) -> Result<Words, String> {
    toml::from_str(text).map_err(|e| format!("{what} is not a table of words: {e}"))
}

/// The names of the static files every theme publishes under `assets/` (a theme overrides
/// them, it does not add to them).
pub fn asset_names() -> Vec<&'static str> {
    STATIC.iter().map(|(name, _)| *name).collect()
}

/// The theme in use: its name and the book directory that may override it.
#[derive(Debug, Clone)]
pub struct Theme {
    name: String,
    override_dir: PathBuf,
    /// The book's root with symlinks resolved: every theme file must resolve inside it.
    canonical_root: PathBuf,
}

/// A theme name is one plain directory name: letters, digits, `-`, `_` and `.`, not starting
/// with a dot (so never `..`, a hidden directory, a path or an absolute path).
fn is_theme_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

impl Theme {
    pub fn new(book_root: &Path, name: &str) -> Result<Theme, String> {
        if !is_theme_name(name) {
            return Err(format!(
                "`{name}` is not a theme name: book.toml's `output.html.theme` names a directory under the book's themes/ (letters, digits, `-`, `_`), or `default`"
            ));
        }
        let canonical_root = std::fs::canonicalize(book_root).map_err(|e| {
            format!(
                "cannot read the book directory {}: {e}",
                book_root.display()
            )
        })?;
        let override_dir = book_root.join("themes").join(name);
        let theme = Theme {
            name: name.to_string(),
            override_dir,
            canonical_root,
        };
        match theme.confined(&theme.override_dir)? {
            Some(dir) if !dir.is_dir() => Err(format!(
                "theme `{name}`: {} is not a directory",
                theme.override_dir.display()
            )),
            Some(_) => Ok(theme),
            None if name == "default" => Ok(theme),
            None => Err(format!(
                "theme `{name}` not found: book.toml names it, but {} does not exist (the built-in theme is `default`)",
                theme.override_dir.display()
            )),
        }
    }

    /// `path` with symlinks resolved, if it exists; an error if it resolves outside the book.
    fn confined(&self, path: &Path) -> Result<Option<PathBuf>, String> {
        if std::fs::symlink_metadata(path).is_err() {
            // Nothing there (not even a dangling link): nothing to read.
            return Ok(None);
        }
        let resolved = match std::fs::canonicalize(path) {
            Ok(p) => p,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(format!(
                    "theme `{}`: {} is a link to nothing; remove it",
                    self.name,
                    path.display()
                ));
            }
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        if !resolved.starts_with(&self.canonical_root) {
            return Err(format!(
                "theme `{}`: {} resolves outside the book (to {}); a theme may only use files inside the book: copy the file into themes/{} instead of linking to it",
                self.name,
                path.display(),
                resolved.display(),
                self.name
            ));
        }
        Ok(Some(resolved))
    }

    /// The file's text: the book's override when present, else the embedded default.
    fn file(&self, name: &str, embedded: &str) -> Result<String, String> {
        let path = self.override_dir.join(name);
        match self.confined(&path)? {
            None => Ok(embedded.to_string()),
            Some(resolved) => std::fs::read_to_string(&resolved)
                .map_err(|e| format!("cannot read {}: {e}", path.display())),
        }
    }

    pub fn tera(&self) -> Result<Tera, String> {
        let mut tera = Tera::new();
        let mut templates = Vec::new();
        for (name, embedded) in TEMPLATES {
            templates.push((*name, self.file(name, embedded)?));
        }
        tera.add_raw_templates(templates.iter().map(|(n, t)| (*n, t.as_str())))
            .map_err(|e| format!("theme `{}` has a template error:\n{e}", self.name))?;
        Ok(tera)
    }

    pub fn static_files(&self) -> Result<Vec<(&'static str, Vec<u8>)>, String> {
        STATIC
            .iter()
            .map(|(name, embedded)| Ok((*name, self.file(name, embedded)?.into_bytes())))
            .collect()
    }

    /// One of `serve`'s files (`serve/inject.html`, `serve/livereload.js`, `serve/serve.css`):
    /// the book's override when present, else the embedded default.
    pub fn serve_file(&self, name: &str) -> Result<String, String> {
        let (_, embedded) = SERVE
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| format!("the theme has no serve file `{name}`"))?;
        self.file(name, embedded)
    }

    /// The built-in version of one of `serve`'s files.
    pub fn default_serve_file(name: &str) -> Option<&'static str> {
        SERVE.iter().find(|(n, _)| *n == name).map(|(_, e)| *e)
    }

    /// The names of the static files, in the order [`Theme::static_files`] returns them.
    pub fn asset_names(&self) -> Vec<&'static str> {
        asset_names()
    }

    /// The interface words: the English defaults, then the theme's own `words.toml` (merged
    /// key by key), then the book's `[output.html.words]`, whose keys must be words of the
    /// theme (a misspelt key would otherwise leave the English word in place silently).
    pub fn words(&self, book: &Words) -> Result<Words, String> {
        let mut words = parse_words(WORDS, "the default theme's words.toml")?;
        let path = self.override_dir.join("words.toml");
        if self.confined(&path)?.is_some() {
            let text = self.file("words.toml", "")?;
            words.extend(parse_words(&text, &path.display().to_string())?);
        }
        for (key, word) in book {
            if !words.contains_key(key) {
                let help =
                    match crate::diagnostics::did_you_mean(key, words.keys().map(String::as_str)) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => "the theme's words are listed in themes/default/words.toml".into(),
                    };
                return Err(format!(
                    "book.toml: `{key}` under [output.html.words] is not a word of theme `{}`; {help}",
                    self.name
                ));
            }
            words.insert(key.clone(), word.clone());
        }
        Ok(words)
    }

    /// Files the watcher should react to.
    pub fn override_dir(&self) -> &Path {
        &self.override_dir
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_names_are_plain_directory_names() {
        for ok in ["default", "dark", "my_theme-2", "v1.2"] {
            assert!(is_theme_name(ok), "{ok}");
        }
        for bad in [
            "", "..", ".", "../x", "/etc", "a/b", "a\\b", ".hidden", "C:x",
        ] {
            assert!(!is_theme_name(bad), "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_file_linked_from_outside_the_book_is_refused_for_serve_too() {
        // serve reads static files and templates through the same Theme.
        let book = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "secret").unwrap();
        std::fs::create_dir_all(book.path().join("themes/default")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret"),
            book.path().join("themes/default/handbook.js"),
        )
        .unwrap();
        let theme = Theme::new(book.path(), "default").unwrap();
        let err = theme.static_files().unwrap_err();
        assert!(err.contains("resolves outside the book"), "{err}");
    }
}
