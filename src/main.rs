//! The `handbook` command line: parses arguments, calls the library, prints, picks the exit code.
//!
//! Exit codes: 0 on success, 1 on any error, usage errors included (as the README promises;
//! clap's own default is 2). Results go to stdout and diagnostics to stderr; a closed pipe
//! (`handbook check --format json | head -1`) or a full disk ends the command with 1, never a
//! panic.

use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand, ValueEnum};
use handbook::diagnostics::{self, Diagnostic};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `eprintln!` that never panics: see [`warn`].
macro_rules! warn_fmt {
    ($($arg:tt)*) => {
        $crate::warn(format!($($arg)*))
    };
}

mod test_command;
use test_command::{TestArgs, test};

#[derive(Parser)]
#[command(name = "handbook", version, about = "Builds a calibration handbook from an interview question bank", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the book into its output directory (book/ by default)
    Build {
        /// The book's directory (holding book.toml and content/)
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        /// Output directory (default: build.build-dir from book.toml, relative to the book)
        #[arg(short, long)]
        dest_dir: Option<PathBuf>,
        /// Run `handbook test` first, so the pages show this run's outcomes
        #[arg(long)]
        test: bool,
    },
    /// Validate and lint the book; writes nothing
    Check {
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        /// Output format of the diagnostics
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail on warnings too
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Compile and run the book's Rust snippets, and record their outcomes for `build`
    Test {
        /// The book's directory (default: the current one) and/or content files: only their
        /// snippets are tested
        paths: Vec<PathBuf>,
        /// Also run against the newest releases book.toml allows (without touching the pinned
        /// lock) and report every snippet whose outcome differs
        #[arg(long)]
        latest: bool,
        /// Also run against a dependency variant declared as [test.variants.NAME] in
        /// book.toml and report differences (repeatable)
        #[arg(long = "variant", value_name = "NAME")]
        variants: Vec<String>,
        /// Every variant book.toml declares
        #[arg(long)]
        all_variants: bool,
        /// Run every snippet, also those whose file passed before in exactly its current form
        #[arg(long)]
        rerun: bool,
    },
    /// Serve the book on 127.0.0.1, rebuilding and reloading on every change
    Serve {
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        #[arg(short, long, default_value_t = 3000)]
        port: u16,
        /// Address to bind (loopback by default: the preview is not for the network)
        #[arg(long, default_value = "127.0.0.1")]
        hostname: String,
        /// Open the book in the default web browser
        #[arg(long)]
        open: bool,
        /// Do not run an answer's snippets again when it is saved
        #[arg(long)]
        no_test: bool,
    },
    /// Create a new question bank in DIR
    Init {
        dir: PathBuf,
        #[arg(long, default_value = "Interview handbook")]
        title: String,
    },
    /// Add a question to the book
    New {
        #[command(subcommand)]
        what: NewWhat,
    },
}

#[derive(Subcommand)]
enum NewWhat {
    /// Write content/questions/<id>.md with every field present
    Question {
        /// The book's directory (holding book.toml and content/)
        book_dir: Option<PathBuf>,
        /// The level the question belongs to
        #[arg(long)]
        level: u32,
        /// The question's id: kebab-case, also its file name (default: level-N-question-M)
        #[arg(long)]
        id: Option<String>,
        /// The book's directory, as before it became positional
        #[arg(long = "book-dir", hide = true, conflicts_with = "book_dir")]
        book_dir_flag: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    Github,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            let asked = matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion);
            // Help and version go to stdout; a write error there is an error like any other.
            let printed = e.print().and_then(|()| std::io::stdout().flush());
            return if asked && printed.is_ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
    };
    let result = run(cli).and_then(|code| {
        std::io::stdout()
            .flush()
            .context("cannot write to standard output")?;
        Ok(code)
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            // The reader of our output went away: nothing more to say, to anyone.
            let broken_pipe = e.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            });
            if !broken_pipe {
                warn(format_args!("error: {e:#}"));
            }
            ExitCode::FAILURE
        }
    }
}

/// One line of results on stdout; failing to write it is an error (see [`main`]).
fn say(text: impl std::fmt::Display) -> Result<()> {
    writeln!(std::io::stdout().lock(), "{text}").context("cannot write to standard output")
}

/// One line on stderr. If stderr itself is gone there is nowhere left to report to, so a
/// failed write is ignored rather than turned into a panic (as `eprintln!` would).
fn warn(text: impl std::fmt::Display) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

fn print_diagnostics(diags: &mut [Diagnostic]) {
    if !diags.is_empty() {
        warn(diagnostics::render_all(diags));
    }
}

/// Where `build` writes, when it can be known without loading the book.
fn output_dir(book_dir: &Path, dest_dir: Option<&Path>) -> Option<PathBuf> {
    match dest_dir {
        Some(d) => Some(d.to_path_buf()),
        None => handbook::config::load(book_dir)
            .ok()
            .map(|c| book_dir.join(c.build.build_dir)),
    }
}

/// Why a failed build changed nothing, said only when there was an output to keep.
fn unchanged_note(book_dir: &Path, dest_dir: Option<&Path>) -> String {
    match output_dir(book_dir, dest_dir) {
        Some(dir) if dir.join(handbook::output::MARKER).is_file() => {
            format!("; the previous output in {} is unchanged", dir.display())
        }
        _ => "; nothing was written".to_string(),
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build {
            book_dir,
            dest_dir,
            test: run_test,
        } => {
            let tested = if run_test {
                Some(test(TestArgs {
                    paths: vec![book_dir.clone()],
                    ..TestArgs::default()
                })?)
            } else {
                None
            };
            let started = std::time::Instant::now();
            match handbook::build(&book_dir, dest_dir.as_deref()) {
                Ok(mut built) => {
                    print_diagnostics(&mut built.warnings);
                    let index = built.dest.join("index.html");
                    say(format_args!(
                        "built {} pages ({} files, {} KB) into {} in {} ms",
                        built.pages,
                        built.files,
                        built.bytes / 1024,
                        built.dest.display(),
                        started.elapsed().as_millis()
                    ))?;
                    say(format_args!("open file://{}", index.display()))?;
                    // Built either way, so the pages show the failures; the exit code too.
                    Ok(tested.unwrap_or(ExitCode::SUCCESS))
                }
                Err(handbook::Error::Invalid(mut diags)) => {
                    print_diagnostics(&mut diags);
                    warn(format_args!(
                        "error: the book was not built{}",
                        unchanged_note(&book_dir, dest_dir.as_deref())
                    ));
                    Ok(ExitCode::FAILURE)
                }
                // The swap failed half-way: the error says where the previous output is.
                Err(e @ handbook::Error::Output(handbook::output::OutputError::Moved { .. })) => {
                    warn(format_args!("error: {e}"));
                    Ok(ExitCode::FAILURE)
                }
                Err(e) => {
                    warn(format_args!(
                        "error: {e}\nthe book was not built{}",
                        unchanged_note(&book_dir, dest_dir.as_deref())
                    ));
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Command::Check {
            book_dir,
            format,
            deny_warnings,
        } => {
            let mut diags = handbook::check(&book_dir);
            let errors = diags.iter().filter(|d| d.is_error()).count();
            let warnings = diags.len() - errors;
            match format {
                Format::Human => {
                    print_diagnostics(&mut diags);
                    if diags.is_empty() {
                        say(format_args!("{}: no problems found", book_dir.display()))?;
                    }
                }
                Format::Json => say(serde_json::to_string_pretty(&diags)?)?,
                Format::Github => {
                    for d in &diags {
                        say(d.github_annotation())?;
                    }
                }
            }
            Ok(if errors > 0 || (deny_warnings && warnings > 0) {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Test {
            paths,
            latest,
            variants,
            all_variants,
            rerun,
        } => test(TestArgs {
            paths,
            latest,
            variants,
            all_variants,
            rerun,
        }),
        Command::Serve {
            book_dir,
            port,
            hostname,
            open,
            no_test,
        } => {
            let ip: std::net::IpAddr = hostname
                .parse()
                .with_context(|| format!("`{hostname}` is not an IP address"))?;
            let addr = std::net::SocketAddr::new(ip, port);
            let options = handbook::serve::Options {
                open,
                verify: !no_test,
            };
            handbook::serve::serve(&book_dir, addr, options, &|line| warn(line))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir, title } => {
            handbook::scaffold::init(&dir, &title)?;
            say(format_args!("created a new bank in {}", dir.display()))?;
            say(format_args!(
                "next: handbook build {0} && handbook serve {0}",
                dir.display()
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::New {
            what:
                NewWhat::Question {
                    book_dir,
                    level,
                    id,
                    book_dir_flag,
                },
        } => {
            let book_dir = book_dir.or(book_dir_flag).unwrap_or_else(|| ".".into());
            let path = handbook::scaffold::new_question(&book_dir, level, id.as_deref())?;
            say(format_args!("wrote {}", path.display()))?;
            say("fill in the TODOs (`handbook check` lists those left), then run `handbook test`")?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
