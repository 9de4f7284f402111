//! handbook: turns an interview question bank written in markdown into a static calibration
//! handbook whose Rust code answers are compiled and run.
//!
//! Data flows one way: `content::load` (with `config`) gives a validated [`content::Book`];
//! `render` turns it into files in memory; `output` writes them atomically; `snippets` compiles
//! and runs the book's Rust fences; `serve` rebuilds on change. Only `main.rs` prints or exits.

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod diagram;
pub mod escape;
pub mod highlight;
pub mod lint;
pub mod markdown;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod snippets;
pub mod theme;
pub mod url;

use content::Book;
use diagnostics::Diagnostic;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the book has {} error(s)", .0.iter().filter(|d| d.is_error()).count())]
    Invalid(Vec<Diagnostic>),
    #[error(transparent)]
    Render(#[from] render::RenderError),
    #[error(transparent)]
    Output(#[from] output::OutputError),
}

/// What a successful build did.
#[derive(Debug)]
pub struct Built {
    pub dest: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub bytes: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Loads and validates the book at `root`.
pub fn load(root: &Path) -> Result<(Book, Vec<Diagnostic>), Error> {
    content::load(root).map_err(Error::Invalid)
}

/// The output directory: `dest` if given, else `build.build-dir` from book.toml, relative to
/// the book.
pub fn destination(book: &Book, dest: Option<&Path>) -> PathBuf {
    match dest {
        Some(d) => d.to_path_buf(),
        None => book.root.join(&book.config.build.build_dir),
    }
}

/// Renders the book into memory.
pub fn render(book: &Book) -> Result<Vec<render::OutputFile>, Error> {
    let record = snippets::Verification::load(book);
    Ok(render::render(book, &theme_of(book)?, &record)?)
}

/// The theme the book's config names, with the book's overrides.
pub fn theme_of(book: &Book) -> Result<theme::Theme, Error> {
    Ok(
        theme::Theme::new(&book.root, &book.config.output.html.theme)
            .map_err(render::RenderError::Theme)?,
    )
}

/// Loads, validates, renders and writes the book; the previous output survives any error.
pub fn build(root: &Path, dest: Option<&Path>) -> Result<Built, Error> {
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    std::thread::scope(|s| {
        // Loading syntaxes takes a while; overlap it with reading the content.
        s.spawn(highlight::warm_up);
        let (book, warnings) = load(root)?;
        let dest = output::guard(root, &destination(&book, dest))?;
        let theme = theme_of(&book)?;
        let staging = output::Staging::new(&dest)?;
        let (pages, files, bytes) = (
            AtomicUsize::new(0),
            AtomicUsize::new(0),
            AtomicUsize::new(0),
        );
        let record = snippets::Verification::load(&book);
        render::render_each(&book, &theme, &record, |file| {
            staging.put(&file)?;
            // A file written in parts counts once.
            let new = usize::from(!file.append);
            pages.fetch_add(new * usize::from(file.path.ends_with(".html")), Relaxed);
            files.fetch_add(new, Relaxed);
            bytes.fetch_add(file.bytes.len(), Relaxed);
            Ok::<(), Error>(())
        })?;
        staging.commit()?;
        Ok(Built {
            dest,
            pages: pages.into_inner(),
            files: files.into_inner(),
            bytes: bytes.into_inner(),
            warnings,
        })
    })
}

/// Everything `build` validates plus the lint; writes nothing. Returns all diagnostics.
pub fn check(root: &Path) -> Vec<Diagnostic> {
    match content::load(root) {
        Ok((book, mut diags)) => {
            diags.extend(lint::lint(&book));
            // What `test` would hit in book.toml's [test] section.
            diags.extend(snippets::check_config(&book));
            if let Err(e) = render(&book) {
                diags.push(Diagnostic::error("themes", e.to_string()));
            }
            diags
        }
        Err(diags) => diags,
    }
}
