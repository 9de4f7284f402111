//! `handbook serve`: build into memory, serve over HTTP on loopback, rebuild when a source
//! changes, and reload open pages (long polling: no websocket needed). A failed rebuild keeps
//! the last good site and shows its error on every page until it is fixed.
//!
//! `live` keeps the site up to date, `http` answers requests; this module binds, watches the
//! book's sources and runs the rebuilder. What serve adds to pages (the reload script, the
//! error banner) comes from the theme's `serve/` files.

mod http;
mod live;

pub use http::{Chrome, Site, resolve};
pub use live::{Live, rebuild};

use crate::theme::{Theme, Words};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The directories of a book that serve watches (recursively), besides `book.toml`.
const SOURCE_DIRS: [&str; 3] = [crate::content::CONTENT_DIR, "themes", "snippets"];

/// Is a changed path a source of the book (not the output, not build or editor litter)?
pub fn is_source(root: &Path, dest: &Path, path: &Path) -> bool {
    if path.starts_with(dest) {
        return false;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name == "4913"
    {
        return false;
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    rel == Path::new(crate::config::FILE_NAME) || SOURCE_DIRS.iter().any(|d| rel.starts_with(d))
}

/// Renders serve's chrome for `version` from `theme`, with `error` in the banner. A theme whose
/// serve files are broken falls back to the built-in ones and says so in the banner.
pub fn chrome(theme: &Theme, words: &Words, version: u64, error: Option<&str>) -> Chrome {
    match chrome_from(words, version, error, |name| theme.serve_file(name)) {
        Ok(c) => c,
        Err(problem) => {
            let error = match error {
                Some(e) => format!("{problem}\n\n{e}"),
                None => problem,
            };
            chrome_from(words, version, Some(&error), |name| {
                Theme::default_serve_file(name)
                    .map(str::to_string)
                    .ok_or_else(|| format!("no built-in serve file `{name}`"))
            })
            .unwrap_or_default()
        }
    }
}

fn chrome_from(
    words: &Words,
    version: u64,
    error: Option<&str>,
    file: impl Fn(&str) -> Result<String, String>,
) -> Result<Chrome, String> {
    const INJECT: &str = "serve/inject.html";
    let mut tera = tera::Tera::new();
    tera.add_raw_template(INJECT, &file(INJECT)?)
        .map_err(|e| format!("the theme's {INJECT} has a template error:\n{e}"))?;
    let mut context = tera::Context::new();
    context.insert("version", &version);
    context.insert("error", &error);
    context.insert("words", words);
    let inject = tera
        .render(INJECT, &context)
        .map_err(|e| format!("the theme's {INJECT} cannot be rendered:\n{e}"))?;
    let mut files = std::collections::HashMap::new();
    for name in ["livereload.js", "serve.css"] {
        files.insert(name, file(&format!("serve/{name}"))?.into());
    }
    Ok(Chrome {
        inject: inject.into(),
        files,
    })
}

/// Watches `book.toml` (through the root, not recursively) and the source directories; a
/// source directory made later is watched from then on. Build output, `target/` and anything
/// else in the root cost no watch.
struct Sources {
    watcher: notify::RecommendedWatcher,
    watched: Vec<PathBuf>,
}

impl Sources {
    fn new(root: &Path, tx: std::sync::mpsc::Sender<PathBuf>) -> notify::Result<Sources> {
        use notify::Watcher as _;
        let mut watcher =
            notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
                // Reads (open, close without writing) change nothing; reacting to them would
                // rebuild once per editor or tool that merely looks at a file.
                if let Ok(ev) = res
                    && !matches!(ev.kind, notify::EventKind::Access(_))
                {
                    for p in ev.paths {
                        let _ = tx.send(p);
                    }
                }
            })?;
        watcher.watch(root, notify::RecursiveMode::NonRecursive)?;
        let mut sources = Sources {
            watcher,
            watched: Vec::new(),
        };
        sources.add_new(root);
        Ok(sources)
    }

    /// Starts watching the source directories that exist and are not watched yet.
    fn add_new(&mut self, root: &Path) {
        use notify::Watcher as _;
        for dir in SOURCE_DIRS {
            let dir = root.join(dir);
            if dir.is_dir()
                && !self.watched.contains(&dir)
                && self
                    .watcher
                    .watch(&dir, notify::RecursiveMode::Recursive)
                    .is_ok()
            {
                self.watched.push(dir);
            }
        }
        // A removed directory's watch is gone with it; watch it again if it comes back.
        self.watched.retain(|d| d.is_dir());
    }
}

/// Serves the book until the process ends, opening it in the browser when `open` is set, once
/// the server is bound. `on_event` receives progress lines to print.
pub fn serve(
    root: &Path,
    addr: SocketAddr,
    open: bool,
    on_event: &(dyn Fn(&str) + Sync),
) -> anyhow::Result<()> {
    let root = crate::output::absolute(root);
    let listener = std::net::TcpListener::bind(addr)
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr()?;

    let site = Arc::new(Site::default());
    let mut live = Live::default();
    let first = live.full(&root);
    let theme = live.theme(&root);
    let words = live.words(&theme);
    match first {
        Ok(()) => site.publish(Some(live.files()), |v| chrome(&theme, &words, v, None)),
        Err(e) => {
            on_event(&e);
            site.publish(None, |v| chrome(&theme, &words, v, Some(&e)));
        }
    }
    let dest = crate::load(&root)
        .map(|(b, _)| crate::destination(&b, None))
        .unwrap_or_else(|_| root.join("book"));
    let (tx, rx) = std::sync::mpsc::channel::<PathBuf>();
    let mut sources = Sources::new(&root, tx)?;

    let url = format!("http://{local}/");
    on_event(&format!(
        "serving {} on {url} (Ctrl-C to stop)",
        root.display()
    ));
    if open {
        // The listener is bound: the browser's first request waits in its queue.
        if let Err(e) = opener::open_browser(&url) {
            on_event(&format!("could not open a browser ({e}); open {url}"));
        }
    }

    std::thread::scope(|s| {
        let site_for_http = site.clone();
        // A thread that cannot be made is an error, not a panic.
        let http = std::thread::Builder::new()
            .name("handbook-http".into())
            .spawn_scoped(s, move || {
                http::run(listener, site_for_http, &|problem| on_event(problem))
            })?;
        // The rebuilder: coalesce bursts of events (editors write several files per save).
        loop {
            let first = match rx.recv_timeout(Duration::from_millis(500)) {
                Ok(p) => p,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) if !http.is_finished() => continue,
                Err(_) => break,
            };
            let mut changed = Vec::new();
            let consider = |p: PathBuf, changed: &mut Vec<PathBuf>| {
                if is_source(&root, &dest, &p) && !changed.contains(&p) {
                    changed.push(p);
                }
            };
            consider(first, &mut changed);
            // Wait for a quiet moment: a save is often several events (truncate, write, rename).
            while let Ok(p) = rx.recv_timeout(Duration::from_millis(20)) {
                consider(p, &mut changed);
            }
            if changed.is_empty() {
                continue;
            }
            sources.add_new(&root);
            let started = std::time::Instant::now();
            let result = live.update(&root, &changed);
            let theme = live.theme(&root);
            let words = live.words(&theme);
            match result {
                Ok(()) => {
                    site.publish(Some(live.files()), |v| chrome(&theme, &words, v, None));
                    on_event(&format!("rebuilt in {} ms", started.elapsed().as_millis()));
                }
                Err(e) => {
                    on_event(&format!(
                        "rebuild failed; still serving the last good build\n{e}"
                    ));
                    site.publish(None, |v| chrome(&theme, &words, v, Some(&e)));
                }
            }
        }
        match http.join() {
            Ok(result) => Ok(result?),
            Err(_) => anyhow::bail!("the HTTP server stopped unexpectedly"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_banner_escapes_the_error_and_carries_the_version() {
        let dir = tempfile::tempdir().unwrap();
        let theme = Theme::new(dir.path(), "default").unwrap();
        let words = theme.words(&Default::default()).unwrap();
        let c = chrome(
            &theme,
            &words,
            7,
            Some("bad <img src=x onerror=alert(1)> & \"quoted\""),
        );
        let inject = String::from_utf8_lossy(&c.inject);
        assert!(inject.contains("data-version=\"7\""), "{inject}");
        assert!(inject.contains("The last rebuild failed"), "{inject}");
        assert!(
            inject.contains("bad &lt;img src=x onerror=alert(1)&gt; &amp;"),
            "{inject}"
        );
        assert!(!inject.contains("<img"), "{inject}");
        let clean = chrome(&theme, &words, 8, None);
        let clean = String::from_utf8_lossy(&clean.inject);
        assert!(!clean.contains("rebuild failed") && clean.contains("data-version=\"8\""));
        assert!(c.files.contains_key("livereload.js") && c.files.contains_key("serve.css"));
        // The banner's words are the book's.
        let translated = [(
            "serve_rebuild_failed".to_string(),
            "La dernière reconstruction a échoué.".to_string(),
        )];
        let words = theme.words(&translated.into_iter().collect()).unwrap();
        let c = chrome(&theme, &words, 9, Some("boom"));
        let inject = String::from_utf8_lossy(&c.inject);
        assert!(
            inject.contains("La dernière reconstruction a échoué."),
            "{inject}"
        );
    }

    #[test]
    fn a_book_overrides_the_chrome_and_a_broken_override_falls_back() {
        let dir = tempfile::tempdir().unwrap();
        let serve = dir.path().join("themes/default/serve");
        std::fs::create_dir_all(&serve).unwrap();
        std::fs::write(
            serve.join("inject.html"),
            "<i data-v=\"{{ version }}\"></i>",
        )
        .unwrap();
        let theme = Theme::new(dir.path(), "default").unwrap();
        let words = theme.words(&Default::default()).unwrap();
        assert_eq!(
            &chrome(&theme, &words, 3, None).inject[..],
            b"<i data-v=\"3\"></i>"
        );

        std::fs::write(serve.join("inject.html"), "{% if %}").unwrap();
        let c = chrome(&theme, &words, 4, None);
        let inject = String::from_utf8_lossy(&c.inject);
        assert!(
            inject.contains("serve/inject.html has a template error"),
            "{inject}"
        );
        assert!(inject.contains("data-version=\"4\""), "{inject}");
    }
}
