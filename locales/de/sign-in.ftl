# Signing in through the provider's page (OAuth 2.0): its diagnoses and messages
# (crates/inlet-core/src/diagnose/sign_in.rs, oauth/).
# Each language folder has the same files with the same message ids; see crates/inlet-core/src/i18n.rs.
