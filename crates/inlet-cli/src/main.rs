//! The `inlet-cli` binary; the CLI itself is the library (src/lib.rs), which the app's binary
//! also runs when it is called as `inlet-cli`.

fn main() -> std::process::ExitCode {
    inlet_cli::main()
}
