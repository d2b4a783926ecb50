use std::process::ExitCode;

fn main() -> ExitCode {
    mtlint::cli::main()
}
