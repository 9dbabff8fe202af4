# The configuration file: what is wrong with it, shown in place of the wizard and by inlet-cli
# (crates/inlet-core/src/config.rs, certificate.rs).
# Each language folder has the same files with the same message ids; see crates/inlet-core/src/i18n.rs.

cfg-unreadable = The file cannot be read: { $error }.
cfg-unreadable-fix = Check that the file exists and that you may read it.
cfg-invalid = The file is not a valid Inlet configuration: { $error }.
cfg-invalid-fix = Correct the file (it is JSON), or remove it to use the default settings.
# $problem is one of the cfg-ca-… messages.
cfg-ca-named = { $problem } The configuration names it in extraCaFiles.
cfg-ca-fix = Put the CA certificate (PEM) at that place, or correct or remove the entry in extraCaFiles.
cfg-ca-unreadable = The CA file { $file } cannot be read: { $error }.
cfg-ca-not-pem = The CA file { $file } is not a PEM file: { $error }.
cfg-ca-empty = The CA file { $file } holds no certificate (PEM, "-----BEGIN CERTIFICATE-----").
# Where the app found no configuration file and used its defaults.
cfg-no-file = (none: the default settings)
cfg-problem = the configuration file { $path }: { $what_happened } { $what_to_do }
