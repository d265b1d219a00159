//! `cargo codegen generate | check | refresh-schemas --wheel PATH`.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use stackwright_codegen::{Paths, STALE_MESSAGE, check, generate, manifest};

const USAGE: &str = "usage: cargo codegen <command>

commands:
  generate                       write crates/stackwright-cfn/src/generated/ from schemas/
  check                          exit non-zero with a diff when the generated code is stale
  refresh-schemas --wheel PATH   re-vendor schemas/ (types in schemas/types.txt, and registry.bin) from a cfn-lint wheel";

fn main() -> ExitCode {
    match run(&std::env::args().skip(1).collect::<Vec<_>>()) {
        Ok(code) => code,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode> {
    let paths = Paths::workspace();
    let mut out = std::io::stdout().lock();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["generate"] => {
            let stats = generate(&paths)?;
            writeln!(
                out,
                "generated {} resource types, {} property types, {} enums into {}",
                stats.resources,
                stats.property_types,
                stats.enums,
                paths.generated.display()
            )?;
            Ok(ExitCode::SUCCESS)
        }
        ["check"] => match check(&paths)? {
            None => {
                writeln!(out, "generated code is fresh")?;
                Ok(ExitCode::SUCCESS)
            }
            Some(diff) => {
                write!(out, "{diff}")?;
                writeln!(std::io::stderr(), "{STALE_MESSAGE}")?;
                Ok(ExitCode::FAILURE)
            }
        },
        ["refresh-schemas", "--wheel", wheel] => {
            let manifest = manifest::refresh(&paths.schemas, &PathBuf::from(wheel))?;
            writeln!(
                out,
                "vendored {} schemas and the registry of {} types ({} more only in other regions) from {} into {}; now run `cargo codegen generate`",
                manifest.types.len(),
                manifest.registry.types,
                manifest.registry.other_region_types,
                manifest.wheel,
                paths.schemas.display()
            )?;
            Ok(ExitCode::SUCCESS)
        }
        ["help" | "--help" | "-h"] => {
            writeln!(out, "{USAGE}")?;
            Ok(ExitCode::SUCCESS)
        }
        _ => bail!("unknown arguments {args:?}\n\n{USAGE}"),
    }
}
