use std::path::Path;
use std::process::ExitCode;
use xtask::cli::{exit_code, run};

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace");
    let result = run(root, std::env::args_os().skip(1).collect());
    if let Err(error) = &result {
        eprintln!("error: {error}");
    }
    ExitCode::from(exit_code(&result))
}
