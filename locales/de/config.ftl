# The configuration file: what is wrong with it, shown in place of the wizard and by inlet-cli
# (crates/inlet-core/src/config.rs, certificate.rs).
# Each language folder has the same files with the same message ids; see crates/inlet-core/src/i18n.rs.

cfg-unreadable = Die Datei kann nicht gelesen werden: { $error }.
cfg-unreadable-fix = Prüfen Sie, ob die Datei existiert und ob Sie sie lesen dürfen.
cfg-invalid = Die Datei ist keine gültige Inlet-Konfiguration: { $error }.
cfg-invalid-fix = Korrigieren Sie die Datei (sie ist im JSON-Format), oder entfernen Sie sie, um die Standardeinstellungen zu verwenden.
# $problem is one of the cfg-ca-… messages.
cfg-ca-named = { $problem } Die Konfiguration nennt sie unter extraCaFiles.
cfg-ca-fix = Legen Sie das CA-Zertifikat (PEM) an diese Stelle, oder korrigieren oder entfernen Sie den Eintrag unter extraCaFiles.
cfg-ca-unreadable = Die CA-Datei { $file } kann nicht gelesen werden: { $error }.
cfg-ca-not-pem = Die CA-Datei { $file } ist keine PEM-Datei: { $error }.
cfg-ca-empty = Die CA-Datei { $file } enthält kein Zertifikat (PEM, „-----BEGIN CERTIFICATE-----“).
# Where the app found no configuration file and used its defaults.
cfg-no-file = (keine: die Standardeinstellungen)
cfg-problem = die Konfigurationsdatei { $path }: { $what_happened } { $what_to_do }
