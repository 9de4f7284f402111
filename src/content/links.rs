//! Links between content files, resolved against the route table, and content files that
//! would collide with a generated output.

use super::{Book, Origin};
use crate::config::line_col;
use crate::diagnostics::Diagnostic;
use crate::markdown;
use crate::site::{Route, Site, level_stem};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Relative links to `.md` files and assets must resolve to something the book publishes, and
/// no file of `content/` may be published where the site writes a generated file.
pub fn links(book: &Book, diags: &mut Vec<Diagnostic>) {
    let site = Site::new(book, &crate::theme::asset_names());
    for (body, origin) in book.bodies() {
        body_links(book, &site, body, origin, diags);
    }
    collisions(book, &site, diags);
}

/// A file of `content/` published at a path the site generates would silently replace (or be
/// replaced by) a page or asset: an error naming both. So is a file where the site needs a
/// directory (`content/sheets`) and a file inside a generated file's path.
fn collisions(book: &Book, site: &Site, diags: &mut Vec<Diagnostic>) {
    let generated: BTreeMap<&str, Route> = site
        .routes()
        .iter()
        .filter(|r| !matches!(r, Route::ContentAsset(_)))
        .map(|&r| (site.path(r), r))
        .collect();
    let generated_dirs: BTreeSet<&str> = generated
        .keys()
        .flat_map(|p| p.match_indices('/').map(move |(i, _)| &p[..i]))
        .collect();
    for (i, asset) in book.assets.iter().enumerate() {
        let path = site.path(Route::ContentAsset(i));
        let file = Path::new(super::CONTENT_DIR).join(asset);
        let clash = generated.get(path).map(|&r| (path, r)).or_else(|| {
            path.match_indices('/')
                .find_map(|(j, _)| generated.get(&path[..j]).map(|&r| (&path[..j], r)))
        });
        if let Some((at, route)) = clash {
            diags.push(
                Diagnostic::error(
                    &file,
                    format!(
                        "content/{path} would be published at `{at}`, where the book writes {}",
                        describe(book, site, route)
                    ),
                )
                .help("rename or move the file: files in content/ are published at the same path, and generated pages and assets have theirs"),
            );
        } else if generated_dirs.contains(path) {
            diags.push(
                Diagnostic::error(
                    &file,
                    format!("content/{path} would be published at `{path}`, where the book writes the directory `{path}/`"),
                )
                .help("rename or move the file"),
            );
        }
    }
}

/// What a generated route is, for messages: "the front page (from content/index.md)".
fn describe(book: &Book, site: &Site, route: Route) -> String {
    match route {
        Route::Index => "the front page (from content/index.md)".into(),
        Route::Guide => "the guide (from content/guide.md)".into(),
        Route::Search => "the search page".into(),
        Route::NotFound => "the page-not-found page".into(),
        Route::Scorecard => "the scorecard".into(),
        Route::InterviewSheet => "the interview sheet".into(),
        Route::Calibrate => "the calibration page".into(),
        Route::Drill => "the rating drill".into(),
        Route::AnchorsSheet(n) => format!("the rating anchors sheet of level {n}"),
        Route::Level(n) => format!(
            "the page of level {n} (from content/levels/{}.md)",
            level_stem(n)
        ),
        Route::LevelSheet(n) => format!("the calibration sheet of level {n}"),
        Route::Question(i) => format!(
            "the page of question `{}` (from {})",
            book.questions[i].meta.id,
            book.questions[i].origin.file.display()
        ),
        Route::Article(i) => format!(
            "the article `{}` (from {})",
            book.articles[i].id,
            book.articles[i].origin.file.display()
        ),
        Route::SearchIndex => "the search index".into(),
        Route::QuestionsJson => "the bank's JSON export".into(),
        Route::ThemeAsset(_) => format!(
            "the theme's {}",
            site.path(route).trim_start_matches("assets/")
        ),
        Route::ContentAsset(j) => format!("content/{}", book.assets[j].display()),
    }
}

/// Checks the links of one markdown body.
pub fn body_links(
    book: &Book,
    site: &crate::site::Site,
    body: &str,
    origin: &Origin,
    diags: &mut Vec<Diagnostic>,
) {
    for link in markdown::links(body) {
        let Some(Err(why)) = site.resolve_link(&origin.file, &link.dest) else {
            continue;
        };
        let target = crate::site::link_target(&origin.file, &link.dest);
        if let Some(Ok(rel)) = target
            && book.unloaded.contains(&rel)
        {
            // The target exists but did not load: its own error says why.
            continue;
        }
        let text = book.text_of(origin);
        let (line_in_body, col) = line_col(body, link.offset);
        let line = origin.body_line + line_in_body - 1;
        diags.push(
            Diagnostic::error(&origin.file, format!("broken link `{}`: {why}", link.dest))
                .at(text, line, col)
                .help("link to another page by its file, relative to this one, e.g. `[the other question](other-question.md)` or `[Level 2](../levels/level-2.md)`"),
        );
    }
}
