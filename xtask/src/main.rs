use std::path::Path;
use std::process::ExitCode;
use xtask::cli::{run, Outcome};

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace");
    match run(root, std::env::args_os().skip(1).collect()) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Stale | Outcome::Failed) => ExitCode::from(1),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}
