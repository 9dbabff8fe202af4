//! The folder tree: hierarchy by delimiter, special-use roles (RFC 6154) with name heuristics where
//! the server has none, non-selectable nodes, subscription state, counts, and which are chosen.

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum FolderRole {
    Inbox,
    Sent,
    Drafts,
    Trash,
    Junk,
    Archive,
    All,
    Flagged,
    Important,
}

impl FolderRole {
    /// RFC 6154 attribute (and Gmail's \Important) to role.
    pub fn from_attribute(attr: &str) -> Option<FolderRole> {
        Some(match attr.to_ascii_lowercase().as_str() {
            "\\sent" => FolderRole::Sent,
            "\\drafts" => FolderRole::Drafts,
            "\\trash" => FolderRole::Trash,
            "\\junk" => FolderRole::Junk,
            "\\archive" => FolderRole::Archive,
            "\\all" => FolderRole::All,
            "\\flagged" => FolderRole::Flagged,
            "\\important" => FolderRole::Important,
            _ => return None,
        })
    }

    /// Common names of role folders on servers without SPECIAL-USE, in the languages users meet most.
    fn from_name(leaf: &str) -> Option<FolderRole> {
        let n = leaf.trim().to_lowercase();
        Some(match n.as_str() {
            "sent"
            | "sent items"
            | "sent messages"
            | "sent mail"
            | "gesendet"
            | "gesendete elemente"
            | "gesendete objekte"
            | "envoyés"
            | "éléments envoyés"
            | "enviados"
            | "elementos enviados"
            | "inviata"
            | "posta inviata"
            | "verzonden"
            | "verzonden items"
            | "wysłane"
            | "отправленные" => FolderRole::Sent,
            "drafts" | "draft" | "entwürfe" | "brouillons" | "borradores" | "bozze" | "concepten" | "kopie robocze"
            | "черновики" => FolderRole::Drafts,
            "trash"
            | "deleted items"
            | "deleted messages"
            | "bin"
            | "papierkorb"
            | "gelöschte elemente"
            | "corbeille"
            | "éléments supprimés"
            | "papelera"
            | "elementos eliminados"
            | "cestino"
            | "prullenbak"
            | "verwijderde items"
            | "kosz"
            | "корзина"
            | "удаленные" => FolderRole::Trash,
            "junk"
            | "spam"
            | "junk e-mail"
            | "junk email"
            | "bulk mail"
            | "courrier indésirable"
            | "correo no deseado"
            | "posta indesiderata"
            | "ongewenste e-mail"
            | "спам" => FolderRole::Junk,
            "archive" | "archives" | "archiv" | "archivio" | "archivo" | "archief" | "архив" => {
                FolderRole::Archive
            }
            _ => return None,
        })
    }
}

/// One folder. `raw_name` is what the protocol uses; `path` and `name` are for display (modified
/// UTF-7 decoded, RFC 3501 5.1.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Folder {
    pub raw_name: String,
    pub path: String,
    pub name: String,
    /// Raw name of the parent folder, None at the top.
    pub parent: Option<String>,
    pub depth: u32,
    pub role: Option<FolderRole>,
    /// True when the role came from the folder's name rather than the server's SPECIAL-USE flag.
    pub role_guessed: bool,
    pub selectable: bool,
    /// Listed only because a child exists (\NonExistent or missing parent): shown, never synced.
    pub placeholder: bool,
    pub subscribed: bool,
    pub has_children: bool,
    pub messages: Option<u32>,
    pub unseen: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct FolderTree {
    pub delimiter: Option<String>,
    /// Depth-first order: INBOX first, then the rest by name; parents before their children.
    pub folders: Vec<Folder>,
}

/// What a LIST line says about one folder.
#[derive(Debug, Clone, Default)]
pub struct ListedFolder {
    pub raw_name: String,
    pub delimiter: Option<String>,
    pub attributes: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct FolderCounts {
    pub messages: Option<u32>,
    pub unseen: Option<u32>,
}

/// Decodes IMAP modified UTF-7 (RFC 3501 5.1.3): `&-` is `&`, `&...-` is modified base64 of
/// UTF-16BE. Names that are not valid modified UTF-7 are shown as they are. Written here because
/// the crate we tried compiled a regex per call and panicked on malformed names from a server.
pub fn decode_name(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_owned();
    }
    decode_mutf7(raw).unwrap_or_else(|| raw.to_owned())
}

fn decode_mutf7(raw: &str) -> Option<String> {
    use base64::engine::{general_purpose::NO_PAD, DecodePaddingMode, GeneralPurpose};
    use base64::Engine as _;
    // Modified base64: `,` instead of `/`, no padding (RFC 3501 5.1.3).
    const MUTF7: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::IMAP_MUTF7,
        NO_PAD.with_decode_padding_mode(DecodePaddingMode::RequireNone),
    );
    let mut out = String::with_capacity(raw.len());
    let mut bytes = Vec::new();
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find('-')?;
        let encoded = &after[..end];
        if encoded.is_empty() {
            out.push('&');
        } else {
            bytes.clear();
            MUTF7.decode_vec(encoded, &mut bytes).ok()?;
            if bytes.len() % 2 != 0 {
                return None;
            }
            let units = bytes.chunks_exact(2).map(|p| u16::from_be_bytes([p[0], p[1]]));
            for c in char::decode_utf16(units) {
                out.push(c.ok()?);
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// A folder's name as shown: decoded, with control characters neutralised. The name is the
/// server's text (and modified UTF-7 can spell any character, `&ABs-` is ESC): printed as it
/// came, `ESC ] 0 ;` would retitle the terminal of a technician listing the tree. The raw name,
/// which commands need, is kept apart and unchanged.
fn display_name(raw: &str) -> String {
    let decoded = decode_name(raw);
    if decoded.chars().any(char::is_control) {
        crate::server_text::clean(&decoded)
    } else {
        decoded
    }
}

impl FolderTree {
    /// Builds the tree from LIST answers and STATUS counts. `subscribed` comes from \Subscribed
    /// attributes or a separate LSUB.
    pub fn build(
        listed: Vec<ListedFolder>,
        counts: &HashMap<String, FolderCounts>,
        extra_subscribed: &HashSet<String>,
    ) -> FolderTree {
        let delimiter = listed.iter().find_map(|f| f.delimiter.clone());
        let delim = delimiter.as_deref().filter(|d| !d.is_empty());
        let mut folders: Vec<Folder> = Vec::with_capacity(listed.len());
        let mut index: HashMap<String, usize> = HashMap::with_capacity(listed.len());
        for f in listed {
            let has = |a: &str| f.attributes.iter().any(|x| x.eq_ignore_ascii_case(a));
            let is_inbox = f.raw_name.eq_ignore_ascii_case("INBOX");
            let raw = if is_inbox { "INBOX".to_owned() } else { f.raw_name.clone() };
            if index.contains_key(&raw) {
                continue;
            }
            let role = if is_inbox {
                Some(FolderRole::Inbox)
            } else {
                f.attributes.iter().find_map(|a| FolderRole::from_attribute(a))
            };
            let placeholder = has("\\NonExistent");
            let c = counts.get(&f.raw_name).copied().unwrap_or_default();
            index.insert(raw.clone(), folders.len());
            folders.push(Folder {
                path: display_name(&raw),
                name: String::new(),
                parent: None,
                depth: 0,
                role,
                role_guessed: false,
                selectable: !(has("\\Noselect") || placeholder),
                placeholder,
                subscribed: has("\\Subscribed") || extra_subscribed.contains(&f.raw_name),
                has_children: has("\\HasChildren"),
                messages: c.messages,
                unseen: c.unseen,
                raw_name: raw,
            });
        }

        // Fill in parents the server did not list, so every folder hangs somewhere.
        if let Some(d) = delim {
            let mut i = 0;
            while i < folders.len() {
                // The ancestors are prefixes of the folder's own name: walked in place, a name
                // is copied only for a parent that is missing.
                let mut end = folders[i].raw_name.len();
                while let Some((p, _)) = folders[i].raw_name[..end].rsplit_once(d) {
                    if p.is_empty() || index.contains_key(p) {
                        break;
                    }
                    let p = p.to_owned();
                    end = p.len();
                    index.insert(p.clone(), folders.len());
                    folders.push(Folder {
                        path: display_name(&p),
                        name: String::new(),
                        parent: None,
                        depth: 0,
                        role: None,
                        role_guessed: false,
                        selectable: false,
                        placeholder: true,
                        subscribed: false,
                        has_children: true,
                        messages: None,
                        unseen: None,
                        raw_name: p,
                    });
                }
                i += 1;
            }
        }

        // Names, parents, depth; which folders have children.
        let mut parent_of: Vec<Option<usize>> = vec![None; folders.len()];
        for (i, folder) in folders.iter_mut().enumerate() {
            match delim {
                Some(d) => {
                    if let Some((p, _)) = folder.raw_name.rsplit_once(d) {
                        if let Some(&pi) = index.get(p) {
                            parent_of[i] = Some(pi);
                            folder.parent = Some(p.to_owned());
                        }
                    }
                    folder.depth = folder.raw_name.matches(d).count() as u32;
                    folder.name = folder.path.rsplit(d).next().unwrap_or(&folder.path).to_owned();
                }
                None => folder.name = folder.path.clone(),
            }
        }
        for pi in parent_of.iter().flatten() {
            folders[*pi].has_children = true;
        }

        // Name heuristics only for roles the server did not flag anywhere, and only for
        // top-level folders or direct children of INBOX (where clients create them).
        let flagged: HashSet<FolderRole> = folders.iter().filter_map(|f| f.role).collect();
        let mut guessed: HashSet<FolderRole> = HashSet::new();
        for folder in folders.iter_mut() {
            let top = folder.parent.is_none() || folder.parent.as_deref() == Some("INBOX");
            if folder.role.is_none() && folder.selectable && top {
                if let Some(role) = FolderRole::from_name(&folder.name) {
                    if !flagged.contains(&role) && guessed.insert(role) {
                        folder.role = Some(role);
                        folder.role_guessed = true;
                    }
                }
            }
        }

        // Depth-first order with INBOX first, siblings by name, case-insensitively.
        let keys: Vec<(bool, String)> =
            folders.iter().map(|f| (f.raw_name != "INBOX", f.path.to_lowercase())).collect();
        let mut roots = Vec::new();
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); folders.len()];
        for (i, p) in parent_of.iter().enumerate() {
            match p {
                Some(p) => children[*p].push(i),
                None => roots.push(i),
            }
        }
        roots.sort_by(|a, b| keys[*a].cmp(&keys[*b]));
        for list in children.iter_mut() {
            list.sort_by(|a, b| keys[*a].cmp(&keys[*b]));
        }
        let mut order = Vec::with_capacity(folders.len());
        let mut stack: Vec<usize> = roots.into_iter().rev().collect();
        while let Some(i) = stack.pop() {
            order.push(i);
            stack.extend(children[i].iter().rev());
        }
        let mut slots: Vec<Option<Folder>> = folders.into_iter().map(Some).collect();
        let ordered = order.into_iter().filter_map(|i| slots[i].take()).collect();
        FolderTree { delimiter, folders: ordered }
    }

    /// The folders chosen when the user has not picked any: the inbox.
    pub fn default_choice(&self) -> Vec<String> {
        self.folders.iter().filter(|f| f.role == Some(FolderRole::Inbox)).map(|f| f.raw_name.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(name: &str, attrs: &[&str]) -> ListedFolder {
        ListedFolder {
            raw_name: name.into(),
            delimiter: Some("/".into()),
            attributes: attrs.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn modified_utf7_names() {
        assert_eq!(decode_name("Projets/R&AOk-unions"), "Projets/Réunions");
        assert_eq!(decode_name("&ZeVnLIqe-"), "日本語");
        assert_eq!(decode_name("Ops &- Infra"), "Ops & Infra");
        assert_eq!(decode_name("&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-"), "Отправленные");
        // Malformed input from a server is shown as it came, never a panic.
        assert_eq!(decode_name("Broken &AOk"), "Broken &AOk");
        assert_eq!(decode_name("Bad &!!!-"), "Bad &!!!-");
        assert_eq!(decode_name("Odd &AO-"), "Odd &AO-");
    }

    #[test]
    fn tree_order_roles_and_placeholders() {
        let listed = vec![
            l("Work/2024", &["\\HasNoChildren"]),
            l("Sent Items", &[]),
            l("INBOX", &["\\HasChildren"]),
            l("Trash", &["\\Trash"]),
            l("Deleted Items", &[]),
            l("Projets/R&AOk-unions", &[]),
            l("INBOX/Receipts", &[]),
        ];
        let tree = FolderTree::build(listed, &HashMap::new(), &HashSet::new());
        let names: Vec<_> = tree.folders.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            names,
            [
                "INBOX",
                "INBOX/Receipts",
                "Deleted Items",
                "Projets",
                "Projets/Réunions",
                "Sent Items",
                "Trash",
                "Work",
                "Work/2024"
            ]
        );
        let get = |p: &str| tree.folders.iter().find(|f| f.path == p).unwrap();
        assert_eq!(get("Sent Items").role, Some(FolderRole::Sent));
        assert!(get("Sent Items").role_guessed);
        // The server flagged Trash, so "Deleted Items" is not guessed as a second trash.
        assert_eq!(get("Trash").role, Some(FolderRole::Trash));
        assert_eq!(get("Deleted Items").role, None);
        assert!(get("Work").placeholder && !get("Work").selectable);
        assert_eq!(get("Work/2024").depth, 1);
        assert_eq!(get("Projets/Réunions").name, "Réunions");
        assert_eq!(get("Projets/Réunions").raw_name, "Projets/R&AOk-unions");
        assert_eq!(tree.default_choice(), vec!["INBOX".to_string()]);
    }
}
