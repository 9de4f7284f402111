//! The live site: the last good book and its rendered files, updated in place when a source
//! changes, so an edit to one answer re-renders one page. Once the deferred pages are in, its
//! files equal a full build's; while a full rebuild fails, every change rebuilds in full.

use crate::diagnostics;
use crate::site::Route;
use crate::snippets::Verification;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

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
    /// The verification record every page in `files` was rendered with.
    record: Arc<Verification>,
    files: HashMap<String, Arc<Vec<u8>>>,
    /// Routes an update left for later: the pages that hold the whole bank. Re-rendering
    /// `print.html` on every save took an answer edit at 1,000 questions from 31 ms to 900 ms.
    deferred: BTreeSet<Route>,
    /// Routes handed to a [`Deferred`] that has not been accepted yet. A newer change makes
    /// that render stale, so they go back to `deferred` then: they still need rendering.
    in_flight: BTreeSet<Route>,
    /// Bumped by every change, so a deferred render of an older book is not published.
    generation: u64,
    /// Set while the site may not be a full build's: a full rebuild failed (the book held is
    /// the last good one, perhaps half refreshed) or a render did. The next change then
    /// rebuilds in full, and shows the error again if it stands.
    needs_full: bool,
    /// When the record file `record` was read from was last written, and its size: a
    /// `handbook test` run outside serve rewrites it, and the next update shows its marks.
    record_stamp: Option<(SystemTime, u64)>,
}

/// The modification time and size of the book's verification record, if it exists.
fn record_stamp(book: &crate::content::Book) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(crate::snippets::record::path(book)).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// Pages [`Live::update_first`] left for later, to render off the watcher's thread.
pub struct Deferred {
    generation: u64,
    book: crate::content::Book,
    record: Arc<Verification>,
    routes: BTreeSet<Route>,
}

impl Deferred {
    /// Renders the pages (on any thread) in a pool of their own, as wide as the global one: in
    /// the global pool the next save's pages queued behind print.html.
    pub fn render(self) -> (u64, Result<Vec<crate::render::OutputFile>, String>) {
        static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
        let pool = POOL.get_or_init(|| {
            rayon::ThreadPoolBuilder::new()
                .thread_name(|i| format!("handbook-deferred-{i}"))
                .build()
                .ok()
        });
        match pool {
            Some(pool) => pool.install(|| self.render_here()),
            None => self.render_here(),
        }
    }

    fn render_here(self) -> (u64, Result<Vec<crate::render::OutputFile>, String>) {
        let result = crate::theme_of(&self.book)
            .map_err(|e| e.to_string())
            .and_then(|theme| {
                let site = crate::site::Site::new(&self.book, &theme.asset_names());
                let routes: Vec<_> = self.routes.into_iter().collect();
                crate::render::render_routes(&self.book, &theme, &site, &routes, &self.record)
                    .map_err(|e| e.to_string())
            });
        (self.generation, result)
    }
}

impl Live {
    /// The current site (cheap to clone: the bytes are shared).
    pub fn files(&self) -> &HashMap<String, Arc<Vec<u8>>> {
        &self.files
    }

    /// Loads, validates and renders everything.
    pub fn full(&mut self, root: &Path) -> Result<(), String> {
        // A deferred render of the book before this one must not be published over it.
        self.generation += 1;
        self.needs_full = true;
        let (book, _warnings) = match crate::load(root) {
            Ok(b) => b,
            Err(crate::Error::Invalid(mut diags)) => {
                return Err(diagnostics::render_all(&mut diags));
            }
            Err(e) => return Err(e.to_string()),
        };
        let theme = crate::theme_of(&book).map_err(|e| e.to_string())?;
        // The stamp first: a record written between the two reads is read again later.
        let stamp = record_stamp(&book);
        let record = Verification::load(&book);
        let files = crate::render::render(&book, &theme, &record).map_err(|e| e.to_string())?;
        self.book = Some(book);
        self.record = Arc::new(record);
        self.record_stamp = stamp;
        self.needs_full = false;
        self.files = files
            .into_iter()
            .map(|f| (f.path, Arc::new(f.bytes)))
            .collect();
        self.deferred.clear();
        self.in_flight.clear();
        Ok(())
    }

    /// Applies a change of the files `changed` (absolute paths): only the edited question pages
    /// when nothing but answer bodies changed, else a full rebuild. Either way the site is the
    /// one a full build would produce.
    pub fn update(&mut self, root: &Path, changed: &[PathBuf]) -> Result<(), String> {
        self.update_first(root, changed)?;
        if self.record_changed() {
            self.reverified()?;
        }
        self.finish().map(|_| ())
    }

    /// [`Live::update`] in two steps: this one renders every changed page but the whole-book
    /// ones, which [`Live::finish`] renders. `serve` publishes in between, so the page being
    /// edited reloads without waiting for `print.html`.
    pub fn update_first(&mut self, root: &Path, changed: &[PathBuf]) -> Result<(), String> {
        self.generation += 1;
        // The render in flight is stale from now on: what it was to bring is still owed.
        let owed = std::mem::take(&mut self.in_flight);
        self.deferred.extend(owed);
        if self.needs_full || self.book.is_none() {
            return self.full(root);
        }
        let result = self.update_in_place(root, changed);
        if result.is_err() {
            self.needs_full = true;
        }
        result
    }

    fn update_in_place(&mut self, root: &Path, changed: &[PathBuf]) -> Result<(), String> {
        let Some(book) = &self.book else {
            return self.full(root);
        };
        let theme = crate::theme_of(book).map_err(|e| e.to_string())?;
        let Some(routes) = self.refresh_questions(root, changed, &theme) else {
            return self.full(root);
        };
        let (later, now): (Vec<_>, Vec<_>) = routes.into_iter().partition(|r| r.holds_whole_bank());
        self.deferred.extend(later);
        self.render(&theme, &now)
    }

    /// Has the record file changed since the pages were rendered (a `handbook test` run
    /// outside serve, or serve's own verifier)? Then [`Live::reverified`] brings the marks.
    pub fn record_changed(&self) -> bool {
        self.book
            .as_ref()
            .is_some_and(|book| record_stamp(book) != self.record_stamp)
    }

    /// The verifier wrote a new record: renders again the pages whose snippet marks it
    /// changes, and the front page, which counts them; the pages that hold the whole bank
    /// are left for later, as in [`Live::update_first`]. A full rebuild here took 1.3 s at
    /// 1,000 questions, on the thread that handles the next save. Returns the paths rendered
    /// now (every file after a full rebuild).
    pub fn reverified(&mut self) -> Result<Vec<String>, String> {
        self.generation += 1;
        let owed = std::mem::take(&mut self.in_flight);
        self.deferred.extend(owed);
        let Some(book) = &self.book else {
            return Ok(Vec::new());
        };
        if self.needs_full {
            let root = book.root.clone();
            self.full(&root)?;
            let mut all: Vec<String> = self.files.keys().cloned().collect();
            all.sort();
            return Ok(all);
        }
        let result = crate::theme_of(book)
            .map_err(|e| e.to_string())
            .and_then(|theme| self.remark(&theme));
        if result.is_err() {
            self.needs_full = true;
        }
        result
    }

    /// Reads the record again and renders the pages whose snippet marks differ from what
    /// they show (and the front page, which counts them; print.html is deferred). Returns
    /// the paths rendered now.
    fn remark(&mut self, theme: &crate::theme::Theme) -> Result<Vec<String>, String> {
        let Some(book) = &self.book else {
            return Ok(Vec::new());
        };
        let stamp = record_stamp(book);
        let record = Verification::load(book);
        let site = crate::site::Site::new(book, &theme.asset_names());
        let mut changed = BTreeSet::new();
        for s in crate::snippets::collect(book) {
            if self.record.mark(&s.raw_info, &s.code) != record.mark(&s.raw_info, &s.code) {
                changed.extend(site.route_of_file(&s.file));
                // The front page counts the marks; print.html shows every body.
                changed.extend([Route::Index, Route::Print]);
            }
        }
        let (later, now): (Vec<_>, Vec<_>) =
            changed.into_iter().partition(|r| r.holds_whole_bank());
        let paths = now.iter().map(|&r| site.path(r).to_string()).collect();
        self.record = Arc::new(record);
        self.record_stamp = stamp;
        self.deferred.extend(later);
        self.render(theme, &now)?;
        Ok(paths)
    }

    /// Renders what [`Live::update_first`] left for later; `true` if there was anything.
    pub fn finish(&mut self) -> Result<bool, String> {
        if self.deferred.is_empty() {
            return Ok(false);
        }
        let Some(book) = &self.book else {
            return Ok(false);
        };
        let result = crate::theme_of(book)
            .map_err(|e| e.to_string())
            .and_then(|theme| {
                let routes: Vec<_> = self.deferred.iter().copied().collect();
                self.render(&theme, &routes)
            });
        if result.is_err() {
            self.needs_full = true;
            return result.map(|_| false);
        }
        self.deferred.clear();
        Ok(true)
    }

    /// What [`Live::update_first`] left for later, to render on another thread; its result
    /// goes to [`Live::accept`].
    pub fn take_deferred(&mut self) -> Option<Deferred> {
        if self.deferred.is_empty() {
            return None;
        }
        let book = self.book.clone()?;
        let routes = std::mem::take(&mut self.deferred);
        self.in_flight.extend(routes.iter().copied());
        Some(Deferred {
            generation: self.generation,
            book,
            record: self.record.clone(),
            routes,
        })
    }

    /// A [`Deferred`] render failed: `true` if it was current (its error stands, and the next
    /// change rebuilds in full), `false` if a newer change made it stale.
    pub fn failed(&mut self, generation: u64) -> bool {
        if generation != self.generation {
            return false;
        }
        self.needs_full = true;
        true
    }

    /// Takes the pages a [`Deferred`] rendered, unless a change came after it (that change
    /// deferred its own render). `true` if they were taken.
    pub fn accept(&mut self, generation: u64, files: Vec<crate::render::OutputFile>) -> bool {
        if generation != self.generation {
            return false;
        }
        self.in_flight.clear();
        for page in files {
            self.files.insert(page.path, Arc::new(page.bytes));
        }
        true
    }

    fn render(&mut self, theme: &crate::theme::Theme, routes: &[Route]) -> Result<(), String> {
        let Some(book) = &self.book else {
            return Ok(());
        };
        let site = crate::site::Site::new(book, &theme.asset_names());
        for page in crate::render::render_routes(book, theme, &site, routes, &self.record)
            .map_err(|e| e.to_string())?
        {
            self.files.insert(page.path, Arc::new(page.bytes));
        }
        Ok(())
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
    ) -> Option<BTreeSet<Route>> {
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
            let fences_before = book
                .questions
                .iter()
                .find(|q| q.origin.file == rel)
                .map(|q| rust_fences(q.body()));
            let refreshed = book.refresh_question(rel)?;
            let i = book.question_index(&refreshed.id)?;
            // The front page counts the book's snippets and how many are verified in their
            // current form: a changed Rust fence can change those numbers.
            if fences_before != Some(rust_fences(book.questions[i].body())) {
                paths.insert(Route::Index);
            }
            let site = crate::site::Site::new(book, &theme.asset_names());
            match &refreshed.previous {
                None => paths.extend(site.routes_showing_answer(i)),
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

impl Live {
    /// The last good book.
    pub fn book(&self) -> Option<&crate::content::Book> {
        self.book.as_ref()
    }

    /// The theme of the last good book; the default theme when no build has succeeded yet.
    pub fn theme(&self, root: &Path) -> crate::theme::Theme {
        self.book
            .as_ref()
            .and_then(|b| crate::theme_of(b).ok())
            .or_else(|| crate::theme::Theme::new(root, "default").ok())
            .expect("the default theme always exists")
    }

    /// The interface words of the last good book (the theme's English when there is none).
    pub fn words(&self, theme: &crate::theme::Theme) -> crate::theme::Words {
        let book = self
            .book
            .as_ref()
            .map(|b| b.config.output.html.words.clone())
            .unwrap_or_default();
        theme
            .words(&book)
            .or_else(|_| theme.words(&Default::default()))
            .unwrap_or_default()
    }
}

/// The Rust fences of a body as the verification record keys them (info string and code).
fn rust_fences(body: &str) -> Vec<(String, String)> {
    crate::markdown::code_blocks(body)
        .into_iter()
        .filter(|b| b.info.is_rust)
        .map(|b| (b.raw_info, b.code))
        .collect()
}
