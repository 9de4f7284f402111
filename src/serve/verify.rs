//! serve's background verifier: when an answer is saved, its snippets run again (as
//! `handbook test FILE` would) on a thread of their own, so the preview stays responsive; the
//! verification record is updated and the rebuilder re-renders the marks. Saves that arrive
//! during a run are gathered and run next, against the newest book.

use super::Event;
use crate::content::Book;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender};

/// Files whose snippets should run again, with the book as it was after the save.
pub struct Request {
    pub book: Book,
    /// Changed files (absolute, or relative to the book root); files without Rust snippets
    /// are skipped.
    pub files: Vec<PathBuf>,
}

/// Starts the verifier; it reports on `events` and stops when the returned sender is dropped.
pub fn spawn(events: Sender<Event>) -> std::io::Result<Sender<Request>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("handbook-verify".into())
        .spawn(move || run(&rx, &events))?;
    Ok(tx)
}

fn run(requests: &Receiver<Request>, events: &Sender<Event>) {
    // Background work: this thread, and the cargo and test processes it starts (they inherit
    // its nice value; on Linux it is a thread's own), yield the CPU to the page being edited.
    #[cfg(unix)]
    let _ = rustix::process::nice(10);
    while let Ok(first) = requests.recv() {
        let mut book = first.book;
        let mut files: BTreeSet<PathBuf> = first.files.into_iter().collect();
        // Everything saved while the last run went on runs now, together.
        while let Ok(more) = requests.try_recv() {
            book = more.book;
            files.extend(more.files);
        }
        let with_snippets: BTreeSet<PathBuf> = crate::snippets::collect(&book)
            .into_iter()
            .map(|s| s.file)
            .collect();
        let files: Vec<PathBuf> = files
            .iter()
            .filter_map(|f| f.strip_prefix(&book.root).ok().or(Some(f.as_path())))
            .filter(|rel| with_snippets.contains(*rel))
            .map(PathBuf::from)
            .collect();
        if files.is_empty() {
            continue;
        }
        if events.send(Event::Verifying(files.clone())).is_err() {
            return;
        }
        let result = crate::snippets::run_files(&book, &files)
            .map(|report| report.summary())
            .map_err(|e| e.to_string());
        if events.send(Event::Verified(files, result)).is_err() {
            return;
        }
    }
}
