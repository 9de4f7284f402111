//! `handbook serve`: build into memory, serve over HTTP on loopback, rebuild when a source
//! changes, and reload open pages (long polling: no websocket needed). A failed rebuild keeps
//! the last good site and shows its error on every page until it is fixed.
//!
//! `live` keeps the site up to date, `http` answers requests; this module binds, watches the
//! book's sources and runs the rebuilder. What serve adds to pages (the reload script, the
//! error banner) comes from the theme's `serve/` files.

mod http;
mod live;
mod verify;

pub use http::{Chrome, Site, resolve};
pub use live::{Live, rebuild};

use crate::theme::{Theme, Words};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{RecvTimeoutError, Sender};
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

/// What serve tells the reader besides the page: the last rebuild's error, and the snippets
/// running again after a save.
#[derive(Debug, Default, Clone)]
pub struct Status {
    /// The last rebuild's error, while the last good build is shown.
    pub error: Option<String>,
    /// Files whose snippets are running (book-relative).
    pub verifying: Vec<String>,
    /// Why the snippets could not be run, after the last attempt.
    pub verify_problem: Option<String>,
}

/// Renders serve's chrome for `version` from `theme` with `status`. A theme whose serve files
/// are broken falls back to the built-in ones and says so in the banner.
pub fn chrome(theme: &Theme, words: &Words, version: u64, status: &Status) -> Chrome {
    match chrome_from(words, version, status, |name| theme.serve_file(name)) {
        Ok(c) => c,
        Err(problem) => {
            let mut status = status.clone();
            status.error = Some(match &status.error {
                Some(e) => format!("{problem}\n\n{e}"),
                None => problem,
            });
            chrome_from(words, version, &status, |name| {
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
    status: &Status,
    file: impl Fn(&str) -> Result<String, String>,
) -> Result<Chrome, String> {
    const INJECT: &str = "serve/inject.html";
    let mut tera = tera::Tera::new();
    tera.add_raw_template(INJECT, &file(INJECT)?)
        .map_err(|e| format!("the theme's {INJECT} has a template error:\n{e}"))?;
    let mut context = tera::Context::new();
    context.insert("version", &version);
    context.insert("error", &status.error);
    context.insert("verifying", &status.verifying);
    context.insert("verify_problem", &status.verify_problem);
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
    fn new(root: &Path, tx: Sender<Event>) -> notify::Result<Sources> {
        use notify::Watcher as _;
        let mut watcher =
            notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
                // Reads (open, close without writing) change nothing; reacting to them would
                // rebuild once per editor or tool that merely looks at a file.
                if let Ok(ev) = res
                    && !matches!(ev.kind, notify::EventKind::Access(_))
                {
                    for p in ev.paths {
                        let _ = tx.send(Event::Changed(p));
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

/// What the rebuilder hears about.
pub enum Event {
    /// A file under the book root changed (maybe not a source).
    Changed(PathBuf),
    /// The verifier started running these files' snippets.
    Verifying(Vec<PathBuf>),
    /// It finished: the report's summary, or why it could not run.
    Verified(Vec<PathBuf>, Result<String, String>),
    /// The whole-book pages of change `generation`, rendered on their own thread.
    Rendered(u64, Result<Vec<crate::render::OutputFile>, String>),
}

/// How `serve` runs.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Open the book in the browser once the server is bound.
    pub open: bool,
    /// Run an answer's snippets again when it is saved, and show the outcome in its marks.
    pub verify: bool,
}

/// Serves the book until the process ends. `on_event` receives progress lines to print.
pub fn serve(
    root: &Path,
    addr: SocketAddr,
    options: Options,
    on_event: &(dyn Fn(&str) + Sync),
) -> anyhow::Result<()> {
    let root = crate::output::absolute(root);
    let listener = std::net::TcpListener::bind(addr)
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr()?;

    let (tx, rx) = std::sync::mpsc::channel::<Event>();
    let mut rebuilder = Rebuilder {
        dest: crate::load(&root)
            .map(|(b, _)| crate::destination(&b, None))
            .unwrap_or_else(|_| root.join("book")),
        root: root.clone(),
        live: Live::default(),
        site: Arc::new(Site::default()),
        status: Status::default(),
        events: tx.clone(),
        verifier: if options.verify {
            Some(verify::spawn(tx.clone())?)
        } else {
            None
        },
        on_event,
    };
    rebuilder.full();
    let mut sources = Sources::new(&root, tx)?;

    let url = format!("http://{local}/");
    on_event(&format!(
        "serving {} on {url} (Ctrl-C to stop)",
        root.display()
    ));
    if options.open {
        // The listener is bound: the browser's first request waits in its queue.
        if let Err(e) = opener::open_browser(&url) {
            on_event(&format!("could not open a browser ({e}); open {url}"));
        }
    }

    std::thread::scope(|s| {
        let site = rebuilder.site.clone();
        // A thread that cannot be made is an error, not a panic.
        let http = std::thread::Builder::new()
            .name("handbook-http".into())
            .spawn_scoped(s, move || {
                http::run(listener, site, &|problem| on_event(problem))
            })?;
        loop {
            let first = match rx.recv_timeout(Duration::from_millis(500)) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) if !http.is_finished() => continue,
                Err(_) => break,
            };
            let mut changed = Vec::new();
            let mut consider = |event: Event, changed: &mut Vec<PathBuf>| match event {
                Event::Changed(p) => {
                    if is_source(&root, &rebuilder.dest, &p) && !changed.contains(&p) {
                        changed.push(p);
                    }
                }
                Event::Verifying(files) => rebuilder.verifying(&files),
                Event::Verified(files, result) => rebuilder.verified(&files, result),
                Event::Rendered(generation, result) => rebuilder.rendered(generation, result),
            };
            consider(first, &mut changed);
            // Coalesce bursts: a save is often several events (truncate, write, rename), and
            // editors write several files per save. Wait for a quiet moment.
            while let Ok(event) = rx.recv_timeout(Duration::from_millis(20)) {
                consider(event, &mut changed);
            }
            if !changed.is_empty() {
                sources.add_new(&root);
                rebuilder.changed(&changed);
            }
        }
        match http.join() {
            Ok(result) => Ok(result?),
            Err(_) => anyhow::bail!("the HTTP server stopped unexpectedly"),
        }
    })
}

/// Keeps the served site in step with the sources and the verifier.
struct Rebuilder<'a> {
    root: PathBuf,
    dest: PathBuf,
    live: Live,
    site: Arc<Site>,
    status: Status,
    /// Where deferred renders report back.
    events: Sender<Event>,
    verifier: Option<Sender<verify::Request>>,
    on_event: &'a (dyn Fn(&str) + Sync),
}

impl Rebuilder<'_> {
    /// Publishes a new version: the live files when the last rebuild succeeded, and the chrome
    /// for the current status.
    fn publish(&self) {
        let theme = self.live.theme(&self.root);
        let words = self.live.words(&theme);
        let files = self.status.error.is_none().then(|| self.live.files());
        self.site
            .publish(files, |v| chrome(&theme, &words, v, &self.status));
    }

    fn outcome(&mut self, result: Result<(), String>) {
        match result {
            Ok(()) => self.status.error = None,
            Err(e) => {
                (self.on_event)(&format!(
                    "rebuild failed; still serving the last good build\n{e}"
                ));
                self.status.error = Some(e);
            }
        }
        self.publish();
    }

    fn full(&mut self) {
        let result = self.live.full(&self.root);
        self.outcome(result);
    }

    fn changed(&mut self, changed: &[PathBuf]) {
        let started = std::time::Instant::now();
        let result = self.live.update_first(&self.root, changed);
        let ok = result.is_ok();
        self.outcome(result);
        if !ok {
            return;
        }
        (self.on_event)(&format!("rebuilt in {} ms", started.elapsed().as_millis()));
        // A `handbook test` run elsewhere rewrote the record: its marks, after the edited page
        // is served. (While the verifier runs, its report brings them.)
        if self.status.verifying.is_empty() && self.live.record_changed() {
            let result = self.live.reverified().map(|_| ());
            self.outcome(result);
        }
        self.render_deferred();
        let content = self.root.join(crate::content::CONTENT_DIR);
        let answers: Vec<PathBuf> = changed
            .iter()
            .filter(|p| p.starts_with(&content) && p.extension().is_some_and(|e| e == "md"))
            .cloned()
            .collect();
        if let (Some(verifier), Some(book), false) =
            (&self.verifier, self.live.book(), answers.is_empty())
        {
            let _ = verifier.send(verify::Request {
                book: book.clone(),
                files: answers,
            });
        }
    }

    /// The whole-bank pages, after the edited page is served, on their own thread.
    fn render_deferred(&mut self) {
        if let Some(deferred) = self.live.take_deferred() {
            let events = self.events.clone();
            let spawned = std::thread::Builder::new()
                .name("handbook-deferred".into())
                .spawn(move || {
                    let (generation, result) = deferred.render();
                    let _ = events.send(Event::Rendered(generation, result));
                });
            if let Err(e) = spawned {
                self.outcome(Err(format!("cannot start a render thread: {e}")));
            }
        }
    }

    fn rendered(
        &mut self,
        generation: u64,
        result: Result<Vec<crate::render::OutputFile>, String>,
    ) {
        match result {
            Ok(files) => {
                if self.live.accept(generation, files) {
                    self.publish();
                }
            }
            Err(e) => {
                if self.live.failed(generation) {
                    self.outcome(Err(e));
                }
            }
        }
    }

    fn verifying(&mut self, files: &[PathBuf]) {
        self.status.verifying = files.iter().map(|f| f.display().to_string()).collect();
        self.publish();
    }

    fn verified(&mut self, files: &[PathBuf], result: Result<String, String>) {
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        self.status.verifying.clear();
        match result {
            Ok(summary) => {
                (self.on_event)(&format!("snippets of {}: {summary}", names.join(", ")));
                self.status.verify_problem = None;
            }
            Err(e) => {
                (self.on_event)(&format!(
                    "could not run the snippets of {}: {e}",
                    names.join(", ")
                ));
                self.status.verify_problem = Some(e);
            }
        }
        // The record changed: render again the pages whose marks it changes (all of them, and
        // the error again, while the sources are broken).
        let result = self.live.reverified().map(|_| ());
        let ok = result.is_ok();
        self.outcome(result);
        if ok {
            self.render_deferred();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_banner_escapes_the_error_and_carries_the_version() {
        let dir = tempfile::tempdir().unwrap();
        let theme = Theme::new(dir.path(), "default").unwrap();
        let words = theme.words(&Default::default()).unwrap();
        let failed = |e: &str| Status {
            error: Some(e.to_string()),
            ..Status::default()
        };
        let c = chrome(
            &theme,
            &words,
            7,
            &failed("bad <img src=x onerror=alert(1)> & \"quoted\""),
        );
        let inject = String::from_utf8_lossy(&c.inject);
        assert!(inject.contains("data-version=\"7\""), "{inject}");
        assert!(inject.contains("The last rebuild failed"), "{inject}");
        assert!(
            inject.contains("bad &lt;img src=x onerror=alert(1)&gt; &amp;"),
            "{inject}"
        );
        assert!(!inject.contains("<img"), "{inject}");
        let clean = chrome(&theme, &words, 8, &Status::default());
        let clean = String::from_utf8_lossy(&clean.inject);
        assert!(!clean.contains("rebuild failed") && clean.contains("data-version=\"8\""));
        assert!(c.files.contains_key("livereload.js") && c.files.contains_key("serve.css"));
        // The banner's words are the book's.
        let translated = [(
            "serve_rebuild_failed".to_string(),
            "La dernière reconstruction a échoué.".to_string(),
        )];
        let words = theme.words(&translated.into_iter().collect()).unwrap();
        let c = chrome(&theme, &words, 9, &failed("boom"));
        let inject = String::from_utf8_lossy(&c.inject);
        assert!(
            inject.contains("La dernière reconstruction a échoué."),
            "{inject}"
        );
    }

    #[test]
    fn the_chrome_says_which_snippets_run_and_why_they_could_not() {
        let dir = tempfile::tempdir().unwrap();
        let theme = Theme::new(dir.path(), "default").unwrap();
        let words = theme.words(&Default::default()).unwrap();
        let running = Status {
            verifying: vec!["content/questions/a.md".into(), "content/b.md".into()],
            ..Status::default()
        };
        let c = chrome(&theme, &words, 1, &running);
        let inject = String::from_utf8_lossy(&c.inject);
        assert!(
            inject.contains("Running the snippets of content/questions/a.md, content/b.md again"),
            "{inject}"
        );
        assert!(!inject.contains("rebuild failed"), "{inject}");
        let problem = Status {
            verify_problem: Some("cargo <missing>".into()),
            ..Status::default()
        };
        let c = chrome(&theme, &words, 2, &problem);
        let inject = String::from_utf8_lossy(&c.inject);
        assert!(
            inject.contains("The snippets could not be run:")
                && inject.contains("cargo &lt;missing&gt;"),
            "{inject}"
        );
        let idle = chrome(&theme, &words, 3, &Status::default());
        assert!(!String::from_utf8_lossy(&idle.inject).contains("serve.css"));
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
            &chrome(&theme, &words, 3, &Status::default()).inject[..],
            b"<i data-v=\"3\"></i>"
        );

        std::fs::write(serve.join("inject.html"), "{% if %}").unwrap();
        let c = chrome(&theme, &words, 4, &Status::default());
        let inject = String::from_utf8_lossy(&c.inject);
        assert!(
            inject.contains("serve/inject.html has a template error"),
            "{inject}"
        );
        assert!(inject.contains("data-version=\"4\""), "{inject}");
    }
}
