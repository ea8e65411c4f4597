//! `bridgemark extract FILE`: prints the extracted text of FILE (for whole-process
//! timing with hyperfine against `python -c` per bridge). Exit 1 with the error on stderr.

use std::path::Path;
use std::process::ExitCode;

use bridgemark_core::{Config, extract_file};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [cmd, file] = &args[..] else {
        eprintln!("usage: bridgemark extract FILE");
        return ExitCode::from(2);
    };
    if cmd != "extract" {
        eprintln!("bridgemark: unknown command {cmd:?}; usage: bridgemark extract FILE");
        return ExitCode::from(2);
    }
    match extract_file(Path::new(file), &Config::DEFAULT) {
        Ok(r) => {
            println!("{}", r.content);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bridgemark: {file}: {e}");
            ExitCode::FAILURE
        }
    }
}
