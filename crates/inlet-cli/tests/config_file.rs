//! The CLI reads the app's configuration file (--config, else INLET_CONFIG, else the platform's
//! config.json); a file it cannot use stops it with exit 2 and a message naming the file.

use std::path::Path;
use std::process::Command;

/// Runs `inlet-cli ARGS` with a private config home (so the machine's own config.json is never
/// read) and INLET_CONFIG as given. Returns (exit code, stdout, stderr).
fn run(config_home: &Path, inlet_config: Option<&Path>, args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_inlet-cli"));
    cmd.args(args).env("XDG_CONFIG_HOME", config_home).env_remove("INLET_CONFIG");
    if let Some(path) = inlet_config {
        cmd.env("INLET_CONFIG", path);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn config_with_data_dir(path: &Path, data_dir: &Path) {
    std::fs::write(path, serde_json::json!({ "dataDir": data_dir }).to_string()).unwrap();
}

#[test]
fn a_config_file_that_does_not_parse_stops_the_cli_with_exit_2_naming_the_file() {
    let home = tempfile::tempdir().unwrap();
    let broken = home.path().join("broken.json");
    std::fs::write(&broken, "{ \"dataDir\": ").unwrap();
    let (code, stdout, stderr) = run(home.path(), None, &["--config", broken.to_str().unwrap(), "list"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains(broken.to_str().unwrap()), "names the file: {stderr}");
    assert!(stderr.contains("not a valid Inlet configuration"), "{stderr}");
    assert!(stderr.contains("What to do"), "{stderr}");
}

#[test]
fn a_config_naming_a_missing_ca_file_stops_the_cli_with_exit_2() {
    let home = tempfile::tempdir().unwrap();
    let ca = home.path().join("no-such-ca.pem");
    let config = home.path().join("config.json");
    std::fs::write(&config, serde_json::json!({ "extraCaFiles": [ca] }).to_string()).unwrap();
    // Through INLET_CONFIG, as the app reads it.
    let (code, _, stderr) = run(home.path(), Some(&config), &["list"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains(config.to_str().unwrap()), "names the configuration file: {stderr}");
    assert!(stderr.contains(ca.to_str().unwrap()), "names the CA file: {stderr}");
    assert!(stderr.contains("cannot be read"), "{stderr}");
}

#[test]
fn the_platform_config_file_is_read_by_default_and_config_beats_inlet_config() {
    let home = tempfile::tempdir().unwrap();
    let platform_data = home.path().join("platform-data");
    std::fs::create_dir_all(home.path().join("inlet")).unwrap();
    config_with_data_dir(&home.path().join("inlet/config.json"), &platform_data);
    let (code, stdout, stderr) = run(home.path(), None, &["list", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("\"mailboxes\":[]"), "{stdout}");
    assert!(platform_data.join("inlet.sqlite3").exists(), "the store went to the platform config's dataDir");

    let env_data = home.path().join("env-data");
    let env_config = home.path().join("env.json");
    config_with_data_dir(&env_config, &env_data);
    let explicit_data = home.path().join("explicit-data");
    let explicit_config = home.path().join("explicit.json");
    config_with_data_dir(&explicit_config, &explicit_data);
    let (code, _, stderr) =
        run(home.path(), Some(&env_config), &["list", "--config", explicit_config.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(explicit_data.join("inlet.sqlite3").exists(), "--config was read");
    assert!(!env_data.exists(), "INLET_CONFIG was not");
}

/// `inlet-cli ARGS` under the locale `lang` (LANG; the other locale variables removed).
fn run_in_locale(lang: &str, config_home: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_inlet-cli"))
        .args(args)
        .env("XDG_CONFIG_HOME", config_home)
        .env_remove("INLET_CONFIG")
        .env("LANG", lang)
        .env_remove("LANGUAGE")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn under_a_german_locale_the_cli_speaks_german_from_its_first_word() {
    let home = tempfile::tempdir().unwrap();
    let broken = home.path().join("broken.json");
    std::fs::write(&broken, "{ \"dataDir\": ").unwrap();
    // Before the engine starts: the configuration problem itself.
    let (code, _, stderr) = run_in_locale("de_DE.UTF-8", home.path(), &["--config", broken.to_str().unwrap(), "list"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("Die Konfigurationsdatei"), "{stderr}");
    assert!(stderr.contains("keine gültige Inlet-Konfiguration"), "{stderr}");
    assert!(stderr.contains("Was Sie tun können"), "{stderr}");
    // And the engine's own answers once it runs.
    let config = home.path().join("config.json");
    config_with_data_dir(&config, &home.path().join("data"));
    let (code, stdout, stderr) =
        run_in_locale("de_DE.UTF-8", home.path(), &["--config", config.to_str().unwrap(), "list"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.trim(), "Keine gespeicherten Postfächer.");
    // The same under an English (or unknown) locale.
    let (_, stdout, _) = run_in_locale("fr_FR.UTF-8", home.path(), &["--config", config.to_str().unwrap(), "list"]);
    assert_eq!(stdout.trim(), "No saved mailboxes.");
}
