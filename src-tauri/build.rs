fn main() {
    // tauri.conf.json sits beside Cargo.toml (the package root), where tauri-build looks by default.
    // Our commands are listed here so each needs an explicit permission in capabilities/.
    let manifest = tauri_build::AppManifest::new().commands(&[
        "startup_problem",
        "check_address",
        "discover_settings",
        "cancel_discovery",
        "connect_mailbox",
        "cancel_connect",
        "save_mailbox",
        "list_mailboxes",
        "remove_mailbox",
        "send_test_message",
        "remove_trusted_certificate",
        "sign_in_options",
        "sign_in",
        "cancel_sign_in",
        "reconnect_with_sign_in",
        "last_report",
        "save_report",
        "open_help_page",
        "update_password",
        "reconnect_mailbox",
        "load_mailbox_folders",
        "set_mailbox_folders",
        "edit_mailbox_settings",
        "mailbox_details",
        "check_mailbox",
        "check_all",
        "set_mailbox_enabled",
        "set_default_mailbox",
        "describe_mailbox",
        "policy_summary",
        "mailbox_report",
        "save_mailbox_report",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)).expect("tauri-build failed");
}
