//! Writing the site: the destination guard and the atomic swap.
//!
//! The new site is written into a temporary directory beside the destination, flushed to disk,
//! and swapped in only when complete (one atomic exchange where the OS has one), so a failed
//! or killed build leaves the previous output exactly as it was. The
//! tool never writes or deletes outside the destination, and refuses destinations that would
//! put the book's sources at risk, or a non-empty directory it did not create.

use crate::render::OutputFile;
use std::path::{Component, Path, PathBuf};

mod staging;
pub use staging::{Staging, Swap};

/// Present in every output directory the tool writes: proof the directory is ours to replace.
pub const MARKER: &str = ".handbook-build";

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("refusing to write the book to `{dest}`: {why}")]
    Refused { dest: PathBuf, why: String },
    /// The swap failed half-way and the previous output could not be put back.
    #[error("cannot replace `{dest}`: {source}; the previous output was moved to `{previous}`")]
    Moved {
        dest: PathBuf,
        previous: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write `{path}`: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// An absolute, `..`-free form of `p` (resolving symlinks of the part that exists).
pub fn absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    // Canonicalize the longest existing ancestor, then append the rest lexically.
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = std::fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.into_iter().rev() {
        out.push(name);
    }
    let mut normal = PathBuf::new();
    for c in out.components() {
        match c {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            other => normal.push(other),
        }
    }
    normal
}

/// Checks that `dest` is a safe place for the output of the book at `root`.
pub fn guard(root: &Path, dest: &Path) -> Result<PathBuf, OutputError> {
    let root = absolute(root);
    let dest_abs = absolute(dest);
    let refuse = |why: String| OutputError::Refused {
        dest: dest.to_path_buf(),
        why,
    };
    if dest_abs == root {
        return Err(refuse("it is the book's own directory".into()));
    }
    if root.starts_with(&dest_abs) {
        return Err(refuse("it contains the book's directory".into()));
    }
    for source in ["content", "themes", "snippets", "src", ".git"] {
        if dest_abs.starts_with(root.join(source)) {
            return Err(refuse(format!(
                "it lies inside the book's {source}/ directory"
            )));
        }
    }
    if dest_abs.parent().is_none() {
        return Err(refuse("it is a filesystem root".into()));
    }
    if dest_abs.exists() {
        if !dest_abs.is_dir() {
            return Err(refuse("it exists and is not a directory".into()));
        }
        let empty = std::fs::read_dir(&dest_abs)
            .map_err(io(&dest_abs))?
            .next()
            .is_none();
        if !empty && !dest_abs.join(MARKER).is_file() {
            return Err(refuse(format!(
                "it is a non-empty directory that handbook did not create (no {MARKER} inside); choose an empty or new directory"
            )));
        }
    }
    Ok(dest_abs)
}

/// Writes `files` to `dest` atomically: into a sibling temporary directory, then swapped in.
pub fn write(dest: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    let staging = Staging::new(dest)?;
    for f in files {
        staging.put(f)?;
    }
    staging.commit().map(|_| ())
}
