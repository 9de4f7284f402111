//! `book.toml`: the book's settings, in mdBook's layout (`[book]`, `[build]`, `[output.html]`)
//! plus `[test]` for executable answers and `[check]` for what `check` asks of a book. Unknown keys are errors, so a typo never passes silently.

use crate::diagnostics::{Diagnostic, did_you_mean};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "book.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default)]
    pub book: BookConfig,
    #[serde(default)]
    pub build: BuildConfig,
    #[serde(default)]
    pub output: OutputConfig,
    #[serde(default)]
    pub test: TestConfig,
    #[serde(default)]
    pub check: CheckConfig,
}

/// `[check]`: what validation and `check` ask of a book beyond what it needs to build.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckConfig {
    /// Warn about questions that cite no sources (a bank whose answers stand on their own
    /// turns this off).
    #[serde(default = "yes")]
    pub require_sources: bool,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            require_sources: true,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookConfig {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default = "default_language")]
    pub language: String,
}

impl Default for BookConfig {
    fn default() -> Self {
        BookConfig {
            title: "Interview handbook".into(),
            description: String::new(),
            authors: Vec::new(),
            language: default_language(),
        }
    }
}

fn default_language() -> String {
    "en".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BuildConfig {
    /// Output directory, relative to the book root.
    #[serde(default = "default_build_dir")]
    pub build_dir: PathBuf,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            build_dir: default_build_dir(),
        }
    }
}

fn default_build_dir() -> PathBuf {
    PathBuf::from("book")
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OutputConfig {
    #[serde(default)]
    pub html: HtmlConfig,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HtmlConfig {
    /// Theme name: templates come from the embedded theme of that name, overridden file by
    /// file by `themes/<theme>/` in the book.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Raw HTML in markdown is escaped unless the book opts in (trusted books only).
    #[serde(default)]
    pub allow_html: bool,
    /// Syntax highlighting of code blocks (server-side).
    #[serde(default = "yes")]
    pub highlight: bool,
    /// The theme's interface words in the book's language, by key (see
    /// themes/default/words.toml); merged over the theme's English.
    #[serde(default)]
    pub words: BTreeMap<String, String>,
}

impl Default for HtmlConfig {
    fn default() -> Self {
        HtmlConfig {
            theme: default_theme(),
            allow_html: false,
            highlight: true,
            words: BTreeMap::new(),
        }
    }
}

fn default_theme() -> String {
    "default".into()
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TestConfig {
    /// Name of the generated crate: snippets call the helper library through it.
    #[serde(default = "default_crate_name")]
    pub crate_name: String,
    #[serde(default = "default_edition")]
    pub edition: String,
    /// A Rust file (relative to the book) that becomes the generated crate's library.
    #[serde(default)]
    pub library: Option<PathBuf>,
    /// Shown on each executed snippet ("runs against ..."); defaults to the dependency list.
    #[serde(default)]
    pub label: Option<String>,
    /// Cargo dependency specifications, copied into the generated crate's manifest.
    #[serde(default)]
    pub dependencies: BTreeMap<String, toml::Value>,
    /// Other dependency sets the same snippets are run against (`handbook test --variant`),
    /// e.g. another crypto backend; differences are reported, the pages show the pinned run.
    #[serde(default)]
    pub variants: BTreeMap<String, VariantConfig>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct VariantConfig {
    /// What the variant is, for reports.
    #[serde(default)]
    pub description: String,
    /// Replaces the specification of each dependency it names; the others are kept.
    #[serde(default)]
    pub dependencies: BTreeMap<String, toml::Value>,
}

impl Default for TestConfig {
    fn default() -> Self {
        TestConfig {
            crate_name: default_crate_name(),
            edition: default_edition(),
            library: None,
            label: None,
            dependencies: BTreeMap::new(),
            variants: BTreeMap::new(),
        }
    }
}

fn default_crate_name() -> String {
    "snippets".into()
}

fn default_edition() -> String {
    "2024".into()
}

impl TestConfig {
    /// What an executed snippet runs against, as shown to readers.
    pub fn label(&self) -> String {
        if let Some(l) = &self.label {
            return l.clone();
        }
        if self.dependencies.is_empty() {
            return format!("Rust (edition {})", self.edition);
        }
        self.dependencies
            .iter()
            .map(|(name, spec)| match spec {
                toml::Value::String(v) => format!("{name} {v}"),
                toml::Value::Table(t) => match t.get("version").and_then(|v| v.as_str()) {
                    Some(v) => format!("{name} {v}"),
                    None => name.clone(),
                },
                _ => name.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Reads `book.toml` from `root`; a missing file gives the defaults.
pub fn load(root: &Path) -> Result<Config, Diagnostic> {
    let path = root.join(FILE_NAME);
    let text = match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
            Diagnostic::error(
                FILE_NAME,
                format!(
                    "{FILE_NAME} is not valid UTF-8 (byte {})",
                    e.utf8_error().valid_up_to()
                ),
            )
            .help("save the file as UTF-8")
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => {
            return Err(Diagnostic::error(
                FILE_NAME,
                format!("cannot read {FILE_NAME}: {e}"),
            ));
        }
    };
    parse(&text)
}

pub fn parse(text: &str) -> Result<Config, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let config: Config = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
        let message = e.message().to_string();
        let mut d = Diagnostic::error(FILE_NAME, format!("invalid {FILE_NAME}: {message}"))
            .at(text, line, column);
        if let Some(help) = unknown_key_help(&message) {
            d = d.help(help);
        }
        d
    })?;
    if config.book.title.trim().is_empty() {
        return Err(Diagnostic::error(FILE_NAME, "book.title is empty")
            .help("give the book a title under [book]"));
    }
    Ok(config)
}

/// For serde's "unknown field `x`, expected one of `a`, `b`": the closest expected key.
pub fn unknown_key_help(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (key, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    Some(match did_you_mean(key, candidates.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None if candidates.is_empty() => format!("remove `{key}`: this table takes no keys"),
        None => format!("remove `{key}`; allowed keys: {}", candidates.join(", ")),
    })
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}
