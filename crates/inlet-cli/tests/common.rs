//! Shared set-up for the CLI's integration tests: the built `inlet-cli`, run as a technician or
//! a timer would, with its standard input, environment and exit code.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::Write;
use std::process::{Command, Stdio};

/// `inlet-cli ARGS` with `stdin` and extra environment variables: exit code, stdout, stderr.
pub fn run_with_env<S: AsRef<OsStr>>(args: &[S], stdin: &str, env: &[(String, String)]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_inlet-cli"))
        .args(args)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// The CLI with the app's configuration file and the environment of a private keychain.
pub struct Cli {
    pub config: String,
    pub env: Vec<(String, String)>,
}

impl Cli {
    /// `inlet-cli ARGS --config FILE` with `stdin`: exit code, stdout, stderr.
    pub fn run(&self, args: &[&str], stdin: &str) -> (i32, String, String) {
        let mut all = args.to_vec();
        all.extend(["--config", &self.config]);
        run_with_env(&all, stdin, &self.env)
    }

    /// The command with --json: its exit code and its one JSON document.
    pub fn json(&self, args: &[&str], stdin: &str) -> (i32, serde_json::Value) {
        let mut args = args.to_vec();
        args.push("--json");
        let (code, stdout, stderr) = self.run(&args, stdin);
        let v = serde_json::from_str(stdout.trim())
            .unwrap_or_else(|e| panic!("one JSON document ({e}): {stdout}\n{stderr}"));
        (code, v)
    }
}
