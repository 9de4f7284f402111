// Applies the reader's saved light/dark choice before the page paints (loaded in <head>, so
// there is no flash of the other theme). A file, not an inline script: the pages' Content
// Security Policy runs scripts only from the book's own files.
try {
  var t = localStorage.getItem('handbook-theme');
  if (t) document.documentElement.setAttribute('data-theme', t);
} catch (e) { /* storage may be disabled */ }
