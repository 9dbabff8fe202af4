# Diagnoses: the catalog of what went wrong and what to do (crates/inlet-core/src/diagnose/catalog.rs).
# Each language folder has the same files with the same message ids; see crates/inlet-core/src/i18n.rs.
