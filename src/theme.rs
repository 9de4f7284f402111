//! The theme: tera templates and static files, embedded in the binary so the tool works from
//! any directory, and overridden file by file by the book's own `themes/<name>/`.

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
    "sheet-level.html",
    "sheet-interview.html",
    "search.html",
    "404.html",
    "scorecard.html",
    "partials/heading.html",
    "partials/code.html",
);

/// Static files, copied to `assets/`.
const STATIC: &[(&str, &str)] = embed!(
    "style.css",
    "highlight.css",
    "handbook.js",
    "scorecard.js",
    "theme-init.js"
);

/// Files only `handbook serve` uses (live reload, the failed-rebuild banner); never published.
const SERVE: &[(&str, &str)] = embed!(
    "serve/inject.html",
    "serve/livereload.js",
    "serve/serve.css"
);

/// The theme in use: its name and the book directory that may override it.
#[derive(Debug, Clone)]
pub struct Theme {
    name: String,
    override_dir: PathBuf,
}

impl Theme {
    pub fn new(book_root: &Path, name: &str) -> Result<Theme, String> {
        let override_dir = book_root.join("themes").join(name);
        if name != "default" && !override_dir.is_dir() {
            return Err(format!(
                "theme `{name}` not found: book.toml names it, but {} does not exist (the built-in theme is `default`)",
                override_dir.display()
            ));
        }
        Ok(Theme {
            name: name.to_string(),
            override_dir,
        })
    }

    /// The file's text: the book's override when present, else the embedded default.
    fn file(&self, name: &str, embedded: &str) -> Result<String, String> {
        let path = self.override_dir.join(name);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(embedded.to_string()),
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
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
        STATIC.iter().map(|(name, _)| *name).collect()
    }

    /// Files the watcher should react to.
    pub fn override_dir(&self) -> &Path {
        &self.override_dir
    }
}
