//! The `handbook` command line: parses arguments, calls the library, prints, picks the exit code.

use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand, ValueEnum};
use handbook::diagnostics::{self, Diagnostic};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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
    /// Compile and run every Rust snippet of the book
    Test {
        #[arg(default_value = ".")]
        book_dir: PathBuf,
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
    },
    /// Create a new question bank in DIR
    Init {
        dir: PathBuf,
        #[arg(long, default_value = "Interview handbook")]
        title: String,
    },
    /// Add something to the book
    New {
        #[command(subcommand)]
        what: NewWhat,
    },
}

#[derive(Subcommand)]
enum NewWhat {
    /// Write content/questions/<id>.md with every field present
    Question {
        #[arg(long)]
        level: u32,
        #[arg(long)]
        id: Option<String>,
        #[arg(long, default_value = ".")]
        book_dir: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    Github,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn print_diagnostics(diags: &mut [Diagnostic]) {
    if !diags.is_empty() {
        eprintln!("{}", diagnostics::render_all(diags));
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build { book_dir, dest_dir } => {
            let started = std::time::Instant::now();
            match handbook::build(&book_dir, dest_dir.as_deref()) {
                Ok(mut built) => {
                    print_diagnostics(&mut built.warnings);
                    let index = built.dest.join("index.html");
                    println!(
                        "built {} pages ({} files, {} KB) into {} in {} ms",
                        built.pages,
                        built.files,
                        built.bytes / 1024,
                        built.dest.display(),
                        started.elapsed().as_millis()
                    );
                    println!("open file://{}", index.display());
                    Ok(ExitCode::SUCCESS)
                }
                Err(handbook::Error::Invalid(mut diags)) => {
                    print_diagnostics(&mut diags);
                    eprintln!("error: the book was not built; the previous output is unchanged");
                    Ok(ExitCode::FAILURE)
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    eprintln!("the previous output is unchanged");
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
                        println!("{}: no problems found", book_dir.display());
                    }
                }
                Format::Json => println!("{}", serde_json::to_string_pretty(&diags)?),
                Format::Github => {
                    for d in &diags {
                        println!("{}", d.github_annotation());
                    }
                }
            }
            Ok(if errors > 0 || (deny_warnings && warnings > 0) {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Test { book_dir } => test(&book_dir),
        Command::Serve {
            book_dir,
            port,
            hostname,
            open,
        } => {
            let ip: std::net::IpAddr = hostname
                .parse()
                .with_context(|| format!("`{hostname}` is not an IP address"))?;
            let addr = std::net::SocketAddr::new(ip, port);
            handbook::serve::serve(&book_dir, addr, open, &|line| eprintln!("{line}"))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir, title } => {
            handbook::scaffold::init(&dir, &title)?;
            println!("created a new bank in {}", dir.display());
            println!(
                "next: handbook build {0} && handbook serve {0}",
                dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::New {
            what:
                NewWhat::Question {
                    level,
                    id,
                    book_dir,
                },
        } => {
            let path = handbook::scaffold::new_question(&book_dir, level, id.as_deref())?;
            println!("wrote {}", path.display());
            println!("fill in the TODOs, then run `handbook check` and `handbook test`");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn test(book_dir: &Path) -> Result<ExitCode> {
    let (book, _) = match handbook::load(book_dir) {
        Ok(b) => b,
        Err(handbook::Error::Invalid(mut diags)) => {
            print_diagnostics(&mut diags);
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => return Err(e.into()),
    };
    let started = std::time::Instant::now();
    let snippets = handbook::snippets::collect(&book);
    eprintln!(
        "compiling and running {} snippets (crate in {})",
        snippets.len(),
        handbook::snippets::crate_dir(&book).display()
    );
    let report = match handbook::snippets::run(&book) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            println!("0 passed, {} failed", snippets.len().max(1));
            return Ok(ExitCode::FAILURE);
        }
    };
    for r in &report.results {
        if r.outcome != handbook::snippets::Outcome::Failed {
            continue;
        }
        let s = &r.snippet;
        let mut d = Diagnostic::error(
            &s.file,
            format!(
                "snippet failed (```{})",
                if s.raw_info.is_empty() {
                    "rust"
                } else {
                    &s.raw_info
                }
            ),
        );
        d.line = s.line;
        eprintln!("{}", d.render().trim_end());
        for line in r.message.trim_end().lines() {
            eprintln!("    | {line}");
        }
        eprintln!();
    }
    eprintln!("finished in {:.1} s", started.elapsed().as_secs_f64());
    println!("{}", report.summary());
    Ok(if report.count(handbook::snippets::Outcome::Failed) > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
