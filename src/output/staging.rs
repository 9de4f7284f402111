//! The atomic swap: a new output tree staged beside the destination, synced, and exchanged
//! with the previous one in one step where the OS allows; stale trees of killed builds removed.

use super::{MARKER, OutputError, io};
use crate::render::OutputFile;
use std::path::{Component, Path, PathBuf};

/// A new output tree being written beside `dest`. Files can be put from several threads;
/// `commit` swaps the tree in, and dropping it uncommitted removes it, so the previous output
/// survives any error.
///
/// While it lives it holds a lock on the destination's parent directory, so two builds into
/// the same place run one after the other instead of renaming over each other; under that lock,
/// staging directories left by a killed build are ours to remove.
pub struct Staging {
    dest: PathBuf,
    /// Created by `tempfile` (a fresh name, never an existing directory), removed by our own
    /// [`remove_tree`] so that a kill during the removal leaves a directory we still know.
    tmp: PathBuf,
    _lock: lock::Lock,
}

/// How [`Staging::commit`] put the new tree in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swap {
    /// There was no previous output: one rename.
    Renamed,
    /// One atomic exchange of the two trees (Linux `renameat2(RENAME_EXCHANGE)`): at every
    /// instant the destination holds either the old tree or the new one.
    Exchanged,
    /// Two renames (where the OS has no exchange): a kill between them leaves the previous
    /// output in `.NAME.handbook-old-*` beside the destination.
    TwoRenames,
}

/// The prefixes of the directories a build of `dest` stages in, beside it.
fn staging_prefixes(dest: &Path) -> (String, String) {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "book".into());
    (
        format!(".{name}.handbook-new-"),
        format!(".{name}.handbook-old-"),
    )
}

impl Staging {
    pub fn new(dest: &Path) -> Result<Staging, OutputError> {
        let parent = parent_of(dest);
        std::fs::create_dir_all(parent).map_err(io(parent))?;
        let lock = lock::Lock::acquire(parent).map_err(io(parent))?;
        let (new_prefix, old_prefix) = staging_prefixes(dest);
        remove_stale(parent, &[&new_prefix, &old_prefix]);
        let tmp = tempfile::Builder::new()
            .prefix(&new_prefix)
            .tempdir_in(parent)
            .map_err(io(parent))?
            .keep();
        let staging = Staging {
            dest: dest.to_path_buf(),
            tmp,
            _lock: lock,
        };
        let marker = staging.tmp.join(MARKER);
        write_synced(
            &marker,
            b"This directory is written by `handbook build`; it is replaced on every build.\n",
        )
        .map_err(io(&marker))?;
        Ok(staging)
    }

    /// Writes one file into the new tree; its path must stay inside it.
    pub fn put(&self, f: &OutputFile) -> Result<(), OutputError> {
        let rel = Path::new(&f.path);
        if rel.is_absolute() || rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(OutputError::Refused {
                dest: rel.to_path_buf(),
                why: "an output path must stay inside the output directory".into(),
            });
        }
        let path = self.tmp.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        write_synced(&path, &f.bytes).map_err(|source| {
            if source.kind() == std::io::ErrorKind::AlreadyExists {
                // Two outputs at one path: the second would silently replace the first.
                OutputError::Refused {
                    dest: rel.to_path_buf(),
                    why: "two output files have this path".into(),
                }
            } else {
                io(&path)(source)
            }
        })
    }

    /// Swaps the new tree in for the destination. Every file and directory of the new tree
    /// is on disk before the swap, so a crash after it never shows a half-written book.
    pub fn commit(self) -> Result<Swap, OutputError> {
        let tmp = self.tmp.as_path();
        sync_dirs(tmp).map_err(io(tmp))?;
        let dest = &self.dest;
        let parent = parent_of(dest);
        let swap = if std::fs::symlink_metadata(dest).is_ok() {
            match exchange(tmp, dest) {
                // The staging directory now holds the previous output; dropping `self`
                // removes it.
                Ok(()) => Swap::Exchanged,
                Err(e) if e.kind() != std::io::ErrorKind::Unsupported => {
                    return Err(io(dest)(e));
                }
                Err(_) => {
                    let (_, old_prefix) = staging_prefixes(dest);
                    let old = tempfile::Builder::new()
                        .prefix(&old_prefix)
                        .tempdir_in(parent)
                        .map_err(io(parent))?
                        .keep();
                    // Renaming a directory onto an empty one replaces it.
                    if let Err(e) = std::fs::rename(dest, &old) {
                        let _ = std::fs::remove_dir(&old);
                        return Err(io(dest)(e));
                    }
                    if let Err(e) = std::fs::rename(tmp, dest) {
                        // Put the previous output back: the destination must never be left
                        // half-done.
                        return match std::fs::rename(&old, dest) {
                            Ok(()) => Err(io(dest)(e)),
                            Err(_) => Err(OutputError::Moved {
                                dest: dest.clone(),
                                previous: old,
                                source: e,
                            }),
                        };
                    }
                    remove_tree(&old);
                    Swap::TwoRenames
                }
            }
        } else {
            std::fs::rename(tmp, dest).map_err(io(dest))?;
            Swap::Renamed
        };
        sync_dir(parent).map_err(io(parent))?;
        Ok(swap)
    }
}

impl Drop for Staging {
    /// Removes the staging directory: the new tree when the build failed, the previous output
    /// after an exchange, nothing after a plain rename.
    fn drop(&mut self) {
        remove_tree(&self.tmp);
    }
}

/// Removes a tree we wrote, its [`MARKER`] last: a kill at any point leaves a directory that
/// is either empty or still marked, so the next build knows it is ours and finishes the job.
fn remove_tree(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name() == MARKER {
            continue;
        }
        let path = entry.path();
        let _ = if entry.file_type().is_ok_and(|t| t.is_dir()) {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
    }
    let _ = std::fs::remove_file(dir.join(MARKER));
    let _ = std::fs::remove_dir(dir);
}

fn parent_of(dest: &Path) -> &Path {
    match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Creates `path` (never replacing a file) and writes `bytes` to disk.
fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Flushes the directory entries of `root` and of every directory below it.
fn sync_dirs(root: &Path) -> std::io::Result<()> {
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_dir() {
            sync_dir(entry.path())?;
        }
    }
    Ok(())
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    // Windows cannot open a directory as a file; its renames are journaled by NTFS.
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Removes the staging directories that builds killed mid-way left beside the destination.
/// Only directories with one of our prefixes that are empty or hold the [`MARKER`] are
/// removed: a directory of that name without it is not ours, and is kept. Called under the
/// lock, so no live build is using them.
fn remove_stale(parent: &Path, prefixes: &[&str]) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !prefixes.iter().any(|p| name.starts_with(p)) {
            continue;
        }
        let path = entry.path();
        // Not followed: a symlink with our name is left alone.
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let ours = path.join(MARKER).is_file()
            || std::fs::read_dir(&path).is_ok_and(|mut d| d.next().is_none());
        if ours {
            remove_tree(&path);
        }
    }
}

/// Exchanges two directories atomically, or fails with `Unsupported` where the OS or the
/// filesystem cannot.
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => Ok(()),
            // Old kernels (ENOSYS) and filesystems without the flag (EINVAL).
            Err(e) if e == rustix::io::Errno::NOSYS || e == rustix::io::Errno::INVAL => Err(
                std::io::Error::new(std::io::ErrorKind::Unsupported, "no RENAME_EXCHANGE"),
            ),
            Err(e) => Err(e.into()),
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        let _ = (a, b);
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "no atomic exchange on this OS",
        ))
    }
}

/// One build at a time per output parent directory: an exclusive `flock` on the directory,
/// released when the process exits, however it exits (a killed build never leaves it held).
mod lock {
    use std::path::Path;

    pub struct Lock {
        #[cfg(unix)]
        _dir: std::fs::File,
    }

    impl Lock {
        pub fn acquire(dir: &Path) -> std::io::Result<Lock> {
            #[cfg(unix)]
            {
                let file = std::fs::File::open(dir)?;
                rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive)?;
                Ok(Lock { _dir: file })
            }
            #[cfg(not(unix))]
            {
                let _ = dir;
                Ok(Lock {})
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::write;
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_directory_named_like_ours_without_the_marker_is_never_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("book");
        // The names the old code chose (by pid) and any other name with our prefix.
        for name in [
            format!(".book.handbook-new-{}", std::process::id()),
            format!(".book.handbook-old-{}", std::process::id()),
            ".book.handbook-new-other".to_string(),
        ] {
            std::fs::create_dir(dir.path().join(&name)).unwrap();
            std::fs::write(dir.path().join(&name).join("keep.txt"), "data").unwrap();
        }
        write(&dest, &[file("index.html", "new")]).unwrap();
        write(&dest, &[file("index.html", "newer")]).unwrap();
        for name in [
            format!(".book.handbook-new-{}", std::process::id()),
            format!(".book.handbook-old-{}", std::process::id()),
            ".book.handbook-new-other".to_string(),
        ] {
            assert_eq!(
                std::fs::read_to_string(dir.path().join(&name).join("keep.txt")).unwrap(),
                "data",
                "{name}"
            );
        }
        assert_eq!(
            std::fs::read_to_string(dest.join("index.html")).unwrap(),
            "newer"
        );
    }

    #[test]
    fn the_swap_is_one_exchange_where_the_os_has_one() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("book");
        let first = Staging::new(&dest).unwrap();
        first.put(&file("index.html", "one")).unwrap();
        assert_eq!(first.commit().unwrap(), Swap::Renamed);
        let second = Staging::new(&dest).unwrap();
        second.put(&file("index.html", "two")).unwrap();
        let swap = second.commit().unwrap();
        if cfg!(target_os = "linux") {
            // tmpfs and ext4 both support RENAME_EXCHANGE.
            assert_eq!(swap, Swap::Exchanged);
        }
        assert_eq!(
            std::fs::read_to_string(dest.join("index.html")).unwrap(),
            "two"
        );
        // Only the output is left: the previous tree went with the staging directory.
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(names, ["book"]);
    }

    #[test]
    fn a_second_build_into_the_same_place_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("book");
        let first = Staging::new(&dest).unwrap();
        let (started, waiting) = std::sync::mpsc::channel();
        let (done, finished) = std::sync::mpsc::channel();
        let second = std::thread::spawn({
            let dest = dest.clone();
            move || {
                started.send(()).unwrap();
                let staging = Staging::new(&dest).unwrap();
                done.send(()).unwrap();
                staging.put(&file("index.html", "second")).unwrap();
                staging.commit().unwrap();
            }
        });
        waiting.recv().unwrap();
        let timeout = std::time::Duration::from_millis(300);
        assert!(
            finished.recv_timeout(timeout).is_err(),
            "the second build started staging while the first held the output"
        );
        first.put(&file("index.html", "first")).unwrap();
        first.commit().unwrap();
        finished.recv().unwrap();
        second.join().unwrap();
        assert_eq!(
            std::fs::read_to_string(dest.join("index.html")).unwrap(),
            "second"
        );
    }

    #[test]
    fn two_outputs_at_one_path_are_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = write(
            &dir.path().join("book"),
            &[file("index.html", "a"), file("index.html", "b")],
        )
        .unwrap_err();
        assert!(err.to_string().contains("two output files"), "{err}");
        assert!(!dir.path().join("book").exists());
    }
}
