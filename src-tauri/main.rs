// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    // The .deb installs `inlet-cli` as a link to this binary, so the package holds one copy of the
    // engine instead of two (about 6 MB of the package): called by that name, it is the CLI.
    let called_as = std::env::args_os().next();
    if called_as.as_deref().and_then(|arg0| Path::new(arg0).file_name()).is_some_and(|name| name == "inlet-cli") {
        return inlet_cli::main();
    }
    inlet_app::run();
    ExitCode::SUCCESS
}
