//! `handbook serve`: build into memory, serve over HTTP on loopback, rebuild when a source
//! changes, and reload open pages (long polling: no websocket needed). A failed rebuild keeps
//! the last good site and shows its error on every page until it is fixed.

use crate::diagnostics;
use std::collections::{BTreeSet, HashMap};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

const RELOAD_PATH: &str = "/__handbook/reload";

/// The served site and its version, shared by the HTTP workers and the rebuilder.
#[derive(Default)]
pub struct Site {
    files: RwLock<HashMap<String, Arc<Vec<u8>>>>,
    error: RwLock<Option<String>>,
    version: Mutex<u64>,
    changed: Condvar,
}

impl Site {
    pub fn version(&self) -> u64 {
        *self.version.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn bump(&self) {
        let mut v = self.version.lock().unwrap_or_else(|e| e.into_inner());
        *v += 1;
        self.changed.notify_all();
    }

    /// Replaces the site after a good build.
    pub fn publish(&self, files: HashMap<String, Arc<Vec<u8>>>) {
        *self.files.write().unwrap_or_else(|e| e.into_inner()) = files;
        *self.error.write().unwrap_or_else(|e| e.into_inner()) = None;
        self.bump();
    }

    /// Keeps the last good site and shows `error` on its pages.
    pub fn fail(&self, error: String) {
        *self.error.write().unwrap_or_else(|e| e.into_inner()) = Some(error);
        self.bump();
    }

    /// Waits until the version differs from `seen`, at most `timeout`.
    fn wait_change(&self, seen: u64, timeout: Duration) -> u64 {
        let guard = self.version.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |v| *v == seen)
            .unwrap_or_else(|e| e.into_inner());
        *guard
    }
}

/// Builds the book into memory; the error text of a failed build is ready for display.
pub fn rebuild(root: &Path) -> Result<HashMap<String, Arc<Vec<u8>>>, String> {
    let mut live = Live::default();
    live.full(root)?;
    Ok(live.files)
}

/// The last good book and its files, so an edit to one answer re-renders one page.
#[derive(Default)]
pub struct Live {
    book: Option<crate::content::Book>,
    files: HashMap<String, Arc<Vec<u8>>>,
}

impl Live {
    /// The current site (cheap to clone: the bytes are shared).
    pub fn files(&self) -> &HashMap<String, Arc<Vec<u8>>> {
        &self.files
    }

    /// Loads, validates and renders everything.
    pub fn full(&mut self, root: &Path) -> Result<(), String> {
        let (book, _warnings) = match crate::load(root) {
            Ok(b) => b,
            Err(crate::Error::Invalid(mut diags)) => {
                return Err(diagnostics::render_all(&mut diags));
            }
            Err(e) => return Err(e.to_string()),
        };
        let files = crate::render(&book).map_err(|e| e.to_string())?;
        self.book = Some(book);
        self.files = files
            .into_iter()
            .map(|f| (f.path, Arc::new(f.bytes)))
            .collect();
        Ok(())
    }

    /// Applies a change of the files `changed` (absolute paths): only the edited question pages
    /// when nothing but answer bodies changed, else a full rebuild. Either way the site is the
    /// one a full build would produce.
    pub fn update(&mut self, root: &Path, changed: &[PathBuf]) -> Result<(), String> {
        let Some(book) = &self.book else {
            return self.full(root);
        };
        let theme = crate::theme_of(book).map_err(|e| e.to_string())?;
        if let Some(routes) = self.refresh_questions(root, changed, &theme) {
            let book = self.book.as_ref().expect("refresh_questions needs a book");
            let site = crate::site::Site::new(book, &theme.asset_names());
            let routes: Vec<_> = routes.into_iter().collect();
            for page in crate::render::render_routes(book, &theme, &site, &routes)
                .map_err(|e| e.to_string())?
            {
                self.files.insert(page.path, Arc::new(page.bytes));
            }
            return Ok(());
        }
        self.full(root)
    }

    /// A file that came and went without being part of the book: editors (and `sed -i`) save
    /// through such temporary files, and they must not force a full rebuild.
    fn is_vanished_temp_file(&self, root: &Path, path: &Path) -> bool {
        let Some(book) = &self.book else { return false };
        let content = root.join(crate::content::CONTENT_DIR);
        !path.exists()
            && path.extension().is_none_or(|e| e != "md")
            && path
                .strip_prefix(&content)
                .is_ok_and(|rel| !book.assets.iter().any(|a| a == rel))
    }

    /// Re-reads edited question files in place; returns the routes to re-render, or `None`
    /// when only a full rebuild will do.
    fn refresh_questions(
        &mut self,
        root: &Path,
        changed: &[PathBuf],
        theme: &crate::theme::Theme,
    ) -> Option<BTreeSet<crate::site::Route>> {
        let questions = root.join(crate::content::CONTENT_DIR).join("questions");
        let mut paths = BTreeSet::new();
        for path in changed {
            if self.is_vanished_temp_file(root, path) {
                continue;
            }
            if path.parent() != Some(questions.as_path())
                || path.extension().is_none_or(|e| e != "md")
            {
                return None;
            }
            let rel = path.strip_prefix(root).ok()?;
            let book = self.book.as_mut()?;
            let refreshed = book.refresh_question(rel)?;
            let i = book
                .questions
                .iter()
                .position(|q| q.meta.id == refreshed.id)?;
            let site = crate::site::Site::new(book, &theme.asset_names());
            match &refreshed.previous {
                None => {
                    paths.insert(crate::site::Route::Question(i));
                }
                Some(previous) => {
                    let targets: Vec<String> =
                        previous.connections.iter().map(|c| c.to.clone()).collect();
                    paths.extend(site.routes_showing(book, i, &targets));
                }
            }
        }
        (!paths.is_empty()).then_some(paths)
    }
}

/// Resolves a request path to a file of the site; `None` for anything outside it.
pub fn resolve(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s if s.contains('\\') || s.contains('\0') => return None,
            s => parts.push(s),
        }
    }
    let mut p = parts.join("/");
    if p.is_empty() || decoded.ends_with('/') {
        if !p.is_empty() {
            p.push('/');
        }
        p.push_str("index.html");
    }
    Some(p)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The script injected into served pages: wait for a new version, then reload.
fn reload_script(version: u64) -> String {
    format!(
        "<script>(function(){{var v={version};function poll(){{fetch('{RELOAD_PATH}?v='+v).then(function(r){{return r.text()}}).then(function(t){{if(+t!==v){{location.reload()}}else{{poll()}}}}).catch(function(){{setTimeout(poll,1000)}})}}poll()}})();</script>"
    )
}

fn error_banner(error: &str) -> String {
    format!(
        "<div role=\"alert\" style=\"position:fixed;inset:0 0 auto 0;z-index:1000;max-height:60vh;overflow:auto;background:#fff4f4;color:#600;border-bottom:3px solid #c00;padding:1rem;font:14px/1.4 monospace;white-space:pre-wrap\"><strong>The last rebuild failed; showing the last good build.</strong>\n\n{}</div>",
        crate::escape::html(error)
    )
}

/// Answers one request from the in-memory site.
pub fn respond(site: &Site, url: &str) -> (u16, &'static str, Vec<u8>) {
    if let Some(query) = url.strip_prefix(RELOAD_PATH) {
        let seen = query
            .trim_start_matches('?')
            .split('&')
            .find_map(|kv| kv.strip_prefix("v="))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let v = site.wait_change(seen, Duration::from_secs(25));
        return (200, "text/plain; charset=utf-8", v.to_string().into_bytes());
    }
    let files = site.files.read().unwrap_or_else(|e| e.into_inner());
    let found = resolve(url).and_then(|p| {
        let f = files
            .get(&p)
            .or_else(|| files.get(&format!("{p}/index.html")))?;
        Some((p, f.clone()))
    });
    let (status, path, body) = match found {
        Some((p, f)) => (200, p, f),
        None => match files.get("404.html") {
            Some(f) => (404, "404.html".to_string(), f.clone()),
            None => return (404, "text/plain; charset=utf-8", b"not found".to_vec()),
        },
    };
    let ctype = content_type(&path);
    if !ctype.starts_with("text/html") {
        return (status, ctype, body.to_vec());
    }
    let mut html = String::from_utf8_lossy(&body).into_owned();
    let mut inject = String::new();
    if let Some(err) = site
        .error
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .as_deref()
    {
        inject.push_str(&error_banner(err));
    }
    inject.push_str(&reload_script(site.version()));
    match html.rfind("</body>") {
        Some(i) => html.insert_str(i, &inject),
        None => html.push_str(&inject),
    }
    (status, ctype, html.into_bytes())
}

/// Is a changed path a source of the book (not the output, not build or editor litter)?
pub fn is_source(root: &Path, dest: &Path, path: &Path) -> bool {
    if path.starts_with(dest)
        || path.starts_with(root.join("target"))
        || path.starts_with(root.join(".git"))
    {
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
    rel == Path::new(crate::config::FILE_NAME)
        || rel.starts_with(crate::content::CONTENT_DIR)
        || rel.starts_with("themes")
}

fn answer(site: &Site, request: tiny_http::Request) {
    let (status, ctype, body) = respond(site, request.url());
    let header = tiny_http::Header::from_bytes("Content-Type", ctype).expect("static header");
    let no_cache =
        tiny_http::Header::from_bytes("Cache-Control", "no-store").expect("static header");
    let response = tiny_http::Response::from_data(body)
        .with_status_code(status)
        .with_header(header)
        .with_header(no_cache);
    let _ = request.respond(response);
}

/// Serves the book until the process ends. `on_event` receives progress lines to print.
pub fn serve(
    root: &Path,
    addr: SocketAddr,
    on_event: &(dyn Fn(&str) + Sync),
) -> anyhow::Result<()> {
    use notify::Watcher as _;
    let root = crate::output::absolute(root);
    let site = Arc::new(Site::default());
    let mut live = Live::default();
    match live.full(&root) {
        Ok(()) => site.publish(live.files().clone()),
        Err(e) => {
            on_event(&e);
            site.fail(e);
        }
    }
    let dest = crate::load(&root)
        .map(|(b, _)| crate::destination(&b, None))
        .unwrap_or_else(|_| root.join("book"));
    let server = tiny_http::Server::http(addr)
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    let local = server
        .server_addr()
        .to_ip()
        .map(|a| a.to_string())
        .unwrap_or_else(|| addr.to_string());
    on_event(&format!(
        "serving {} on http://{local}/ (Ctrl-C to stop)",
        root.display()
    ));

    let (tx, rx) = std::sync::mpsc::channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        // Reads (open, close without writing) change nothing; reacting to them would rebuild
        // once per editor or tool that merely looks at a file.
        if let Ok(ev) = res
            && !matches!(ev.kind, notify::EventKind::Access(_))
        {
            for p in ev.paths {
                let _ = tx.send(p);
            }
        }
    })?;
    watcher.watch(&root, notify::RecursiveMode::Recursive)?;

    let server = Arc::new(server);
    let workers = 8;
    std::thread::scope(|s| {
        for _ in 0..workers {
            let server = server.clone();
            let site = site.clone();
            s.spawn(move || {
                for request in server.incoming_requests() {
                    if request.url().starts_with(RELOAD_PATH) {
                        // A long poll waits for the next rebuild: give it its own thread so
                        // open tabs never starve the workers.
                        let site = site.clone();
                        std::thread::spawn(move || answer(&site, request));
                    } else {
                        answer(&site, request);
                    }
                }
            });
        }
        // The rebuilder: coalesce bursts of events (editors write several files per save).
        while let Ok(first) = rx.recv() {
            let mut changed = Vec::new();
            if is_source(&root, &dest, &first) {
                changed.push(first);
            }
            // Wait for a quiet moment: a save is often several events (truncate, write, rename).
            while let Ok(p) = rx.recv_timeout(Duration::from_millis(20)) {
                if is_source(&root, &dest, &p) && !changed.contains(&p) {
                    changed.push(p);
                }
            }
            if changed.is_empty() {
                continue;
            }
            let started = std::time::Instant::now();
            match live.update(&root, &changed) {
                Ok(()) => {
                    site.publish(live.files().clone());
                    on_event(&format!("rebuilt in {} ms", started.elapsed().as_millis()));
                }
                Err(e) => {
                    on_event(&format!(
                        "rebuild failed; still serving the last good build\n{e}"
                    ));
                    site.fail(e);
                }
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_site_are_refused() {
        assert_eq!(resolve("/"), Some("index.html".into()));
        assert_eq!(
            resolve("/questions/jwks.html?x=1"),
            Some("questions/jwks.html".into())
        );
        assert_eq!(resolve("/../etc/passwd"), None);
        assert_eq!(resolve("/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve("/a/%2E%2E/%2E%2E/x"), None);
        assert_eq!(resolve("/levels/"), Some("levels/index.html".into()));
    }
}
