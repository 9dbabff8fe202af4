//! The folder tree: hierarchy by delimiter, special-use roles (RFC 6154) with name heuristics where
//! the server has none, non-selectable nodes, subscription state, counts, and which are chosen.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

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
            "sent" | "sent items" | "sent messages" | "sent mail" | "gesendet" | "gesendete elemente"
            | "gesendete objekte" | "envoyés" | "éléments envoyés" | "enviados" | "elementos enviados"
            | "inviata" | "posta inviata" | "verzonden" | "verzonden items" | "wysłane" | "отправленные" => {
                FolderRole::Sent
            }
            "drafts" | "draft" | "entwürfe" | "brouillons" | "borradores" | "bozze" | "concepten"
            | "kopie robocze" | "черновики" => FolderRole::Drafts,
            "trash" | "deleted items" | "deleted messages" | "bin" | "papierkorb" | "gelöschte elemente"
            | "corbeille" | "éléments supprimés" | "papelera" | "elementos eliminados" | "cestino"
            | "prullenbak" | "verwijderde items" | "kosz" | "корзина" | "удаленные" => FolderRole::Trash,
            "junk" | "spam" | "junk e-mail" | "junk email" | "bulk mail" | "courrier indésirable"
            | "correo no deseado" | "posta indesiderata" | "ongewenste e-mail" | "спам" => FolderRole::Junk,
            "archive" | "archives" | "archiv" | "archivio" | "archivo" | "archief" | "архив" => FolderRole::Archive,
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

/// Decodes IMAP modified UTF-7; names that are not valid modified UTF-7 are shown as they are.
pub fn decode_name(raw: &str) -> String {
    if raw.contains('&') {
        utf7_imap::decode_utf7_imap(raw.to_owned())
    } else {
        raw.to_owned()
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
        let mut by_name: BTreeMap<String, Folder> = BTreeMap::new();
        for f in listed {
            let has = |a: &str| f.attributes.iter().any(|x| x.eq_ignore_ascii_case(a));
            let is_inbox = f.raw_name.eq_ignore_ascii_case("INBOX");
            let role = if is_inbox {
                Some(FolderRole::Inbox)
            } else {
                f.attributes.iter().find_map(|a| FolderRole::from_attribute(a))
            };
            let placeholder = has("\\NonExistent");
            let selectable = !(has("\\Noselect") || placeholder);
            let raw = if is_inbox { "INBOX".to_owned() } else { f.raw_name.clone() };
            let c = counts.get(&f.raw_name).copied().unwrap_or_default();
            let folder = Folder {
                path: decode_name(&raw),
                name: String::new(),
                parent: None,
                depth: 0,
                role,
                role_guessed: false,
                selectable,
                placeholder,
                subscribed: has("\\Subscribed") || extra_subscribed.contains(&f.raw_name),
                has_children: has("\\HasChildren"),
                messages: c.messages,
                unseen: c.unseen,
                raw_name: raw.clone(),
            };
            by_name.insert(raw, folder);
        }

        // Fill in parents the server did not list, so every folder hangs somewhere.
        if let Some(d) = delimiter.as_deref().filter(|d| !d.is_empty()) {
            let names: Vec<String> = by_name.keys().cloned().collect();
            for name in names {
                let mut parent = name.as_str();
                while let Some((p, _)) = parent.rsplit_once(d) {
                    parent = p;
                    if p.is_empty() || by_name.contains_key(p) {
                        break;
                    }
                    by_name.insert(
                        p.to_owned(),
                        Folder {
                            raw_name: p.to_owned(),
                            path: decode_name(p),
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
                        },
                    );
                }
            }
        }

        // Names, parents, depth.
        let keys: HashSet<String> = by_name.keys().cloned().collect();
        for folder in by_name.values_mut() {
            match delimiter.as_deref().filter(|d| !d.is_empty()) {
                Some(d) => {
                    let parent = folder.raw_name.rsplit_once(d).map(|(p, _)| p.to_owned()).filter(|p| keys.contains(p));
                    folder.depth = folder.raw_name.matches(d).count() as u32;
                    folder.name = folder.path.rsplit(d).next().unwrap_or(&folder.path).to_owned();
                    folder.parent = parent;
                }
                None => folder.name = folder.path.clone(),
            }
        }
        let parents: HashSet<String> = by_name.values().filter_map(|f| f.parent.clone()).collect();
        for folder in by_name.values_mut() {
            folder.has_children |= parents.contains(&folder.raw_name);
        }

        // Name heuristics only for roles the server did not flag anywhere, and only for
        // top-level folders or direct children of INBOX (where clients create them).
        let flagged: HashSet<FolderRole> = by_name.values().filter_map(|f| f.role).collect();
        let mut guessed: HashSet<FolderRole> = HashSet::new();
        for folder in by_name.values_mut() {
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

        // Depth-first order with INBOX first.
        let mut children: BTreeMap<Option<String>, Vec<String>> = BTreeMap::new();
        for f in by_name.values() {
            children.entry(f.parent.clone()).or_default().push(f.raw_name.clone());
        }
        for list in children.values_mut() {
            list.sort_by(|a, b| {
                let inbox = |n: &str| n != "INBOX";
                (inbox(a), by_name[a].path.to_lowercase()).cmp(&(inbox(b), by_name[b].path.to_lowercase()))
            });
        }
        let mut ordered = Vec::with_capacity(by_name.len());
        let mut stack: Vec<String> = children.get(&None).cloned().unwrap_or_default().into_iter().rev().collect();
        while let Some(name) = stack.pop() {
            if let Some(kids) = children.get(&Some(name.clone())) {
                stack.extend(kids.iter().rev().cloned());
            }
            if let Some(f) = by_name.remove(&name) {
                ordered.push(f);
            }
        }
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
            ["INBOX", "INBOX/Receipts", "Deleted Items", "Projets", "Projets/Réunions", "Sent Items", "Trash", "Work", "Work/2024"]
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
