//! The folder tree: hierarchy by delimiter, special-use roles (RFC 6154) with name heuristics where
//! the server has none, non-selectable nodes, subscription state, counts, and which are chosen.
//!
//! One file, a little over the usual size with its tests: one tree, from the server's LIST and
//! STATUS answers to the order the wizard shows it in.

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;

/// A map keyed by folder names. The names come from the server, so the hash is seeded per
/// process (foldhash's `RandomState`); std's SipHash took a fifth of a 10,000-folder load.
type NameMap<V> = HashMap<String, V, foldhash::fast::RandomState>;

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
    pub(crate) fn from_attribute(attr: &str) -> Option<FolderRole> {
        // Compared in place, any case: every folder's attributes pass through here.
        const ROLES: [(&str, FolderRole); 8] = [
            ("\\sent", FolderRole::Sent),
            ("\\drafts", FolderRole::Drafts),
            ("\\trash", FolderRole::Trash),
            ("\\junk", FolderRole::Junk),
            ("\\archive", FolderRole::Archive),
            ("\\all", FolderRole::All),
            ("\\flagged", FolderRole::Flagged),
            ("\\important", FolderRole::Important),
        ];
        ROLES.iter().find(|(name, _)| attr.eq_ignore_ascii_case(name)).map(|&(_, role)| role)
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
    // A run of up to 128 base64 characters (96 bytes, 48 UTF-16 units: any folder name's) is
    // decoded on the stack; a longer one in a vector.
    let mut stack = [0u8; 96];
    let mut heap = Vec::new();
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find('-')?;
        let encoded = &after[..end];
        if encoded.is_empty() {
            out.push('&');
        } else {
            let bytes: &[u8] = if encoded.len() <= 128 {
                let decoded = MUTF7.decode_slice(encoded, &mut stack).ok()?;
                &stack[..decoded]
            } else {
                heap.clear();
                MUTF7.decode_vec(encoded, &mut heap).ok()?;
                &heap
            };
            if !bytes.len().is_multiple_of(2) {
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

/// The hierarchy delimiter, searched for as a `char` when it is one (nearly always: `/` or `.`):
/// a string pattern sets up a substring search on every call.
#[derive(Clone, Copy)]
enum Delimiter<'a> {
    Char(char),
    Text(&'a str),
}

impl<'a> Delimiter<'a> {
    fn new(d: &'a str) -> Delimiter<'a> {
        let mut chars = d.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Delimiter::Char(c),
            _ => Delimiter::Text(d),
        }
    }

    fn rsplit_once(self, s: &str) -> Option<(&str, &str)> {
        match self {
            Delimiter::Char(c) => s.rsplit_once(c),
            Delimiter::Text(d) => s.rsplit_once(d),
        }
    }

    fn count_in(self, s: &str) -> usize {
        match self {
            Delimiter::Char(c) => s.matches(c).count(),
            Delimiter::Text(d) => s.matches(d).count(),
        }
    }

    /// What follows the last delimiter (all of `s` when there is none).
    fn last_part(self, s: &str) -> &str {
        match self {
            Delimiter::Char(c) => s.rsplit(c).next(),
            Delimiter::Text(d) => s.rsplit(d).next(),
        }
        .unwrap_or(s)
    }
}

/// Appends `text` as `str::to_lowercase` makes it, without a string of its own per name: ASCII
/// (most names) byte by byte, other text a character at a time. Only a capital sigma, whose
/// lower case depends on its neighbours, goes through `to_lowercase` itself.
fn push_lowercase(text: &str, out: &mut Vec<u8>) {
    if text.is_ascii() {
        out.extend(text.bytes().map(|b| b.to_ascii_lowercase()));
    } else if text.contains('Σ') {
        out.extend_from_slice(text.to_lowercase().as_bytes());
    } else {
        let mut utf8 = [0; 4];
        for c in text.chars() {
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase() as u8);
            } else {
                for lower in c.to_lowercase() {
                    out.extend_from_slice(lower.encode_utf8(&mut utf8).as_bytes());
                }
            }
        }
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
        let mut builder = FolderTreeBuilder::default();
        for f in &listed {
            builder.add(&f.raw_name, f.delimiter.as_deref(), f.attributes.iter().map(String::as_str));
        }
        for (name, c) in counts {
            builder.set_counts(name, *c);
        }
        builder.finish(|name| extra_subscribed.contains(name))
    }

    /// The folders chosen when the user has not picked any: the inbox.
    pub fn default_choice(&self) -> Vec<String> {
        self.folders.iter().filter(|f| f.role == Some(FolderRole::Inbox)).map(|f| f.raw_name.clone()).collect()
    }
}

/// Builds a [`FolderTree`] while the listing arrives: a folder's own part (its decoded name, its
/// flags) when its LIST line comes, its counts when its STATUS line comes, and the hierarchy and
/// order once the listing has ended. The client waits for the server during most of a long
/// listing, so the work done per line is hidden in that wait instead of added after it.
#[derive(Default)]
pub struct FolderTreeBuilder {
    delimiter: Option<String>,
    folders: Vec<Folder>,
    index: NameIndex,
    /// Counts for a name not (yet) listed: RFC 5819 sends STATUS after its LIST line, but a
    /// server may answer otherwise. They go to the folder when its LIST line comes.
    early_counts: NameMap<FolderCounts>,
}

/// Finds a folder by its raw name. The table holds positions in the folder list and hashes the
/// folder's own `raw_name`, so no name is stored twice (a map keyed by name would copy every one).
#[derive(Default)]
struct NameIndex {
    table: hashbrown::HashTable<usize>,
    hasher: foldhash::fast::RandomState,
}

impl NameIndex {
    fn get(&self, folders: &[Folder], name: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(name);
        self.table.find(hash, |&i| folders[i].raw_name == name).copied()
    }

    /// The position of the folder named `name`; when there is none, `folders.len()` is taken
    /// for it and None is answered: the caller pushes that folder next. One hash for the lookup
    /// and the insertion.
    fn find_or_claim(&mut self, folders: &[Folder], name: &str) -> Option<usize> {
        let NameIndex { table, hasher } = self;
        let hash = hasher.hash_one(name);
        let rehash = |&j: &usize| hasher.hash_one(folders[j].raw_name.as_str());
        match table.entry(hash, |&i| folders[i].raw_name == name, rehash) {
            hashbrown::hash_table::Entry::Occupied(found) => Some(*found.get()),
            hashbrown::hash_table::Entry::Vacant(free) => {
                free.insert(folders.len());
                None
            }
        }
    }
}

/// INBOX is one name in any case (RFC 3501 5.1); the tree spells it in capitals.
pub(crate) fn canonical_name(raw_name: &str) -> &str {
    if raw_name.eq_ignore_ascii_case("INBOX") {
        "INBOX"
    } else {
        raw_name
    }
}

impl FolderTreeBuilder {
    /// One LIST line: the folder's name as the server sent it, its hierarchy delimiter and its
    /// attributes (`\Noselect`, `\Subscribed`, `\Sent`, ...). A name listed twice keeps its first
    /// line.
    pub fn add<'a>(
        &mut self,
        raw_name: &str,
        delimiter: Option<&str>,
        attributes: impl Iterator<Item = &'a str> + Clone,
    ) {
        if self.delimiter.is_none() {
            self.delimiter = delimiter.map(str::to_owned);
        }
        let raw = canonical_name(raw_name);
        if self.index.find_or_claim(&self.folders, raw).is_some() {
            return;
        }
        let has = |a: &str| attributes.clone().any(|x| x.eq_ignore_ascii_case(a));
        let role = if raw == "INBOX" {
            Some(FolderRole::Inbox)
        } else {
            attributes.clone().find_map(FolderRole::from_attribute)
        };
        let placeholder = has("\\NonExistent");
        self.folders.push(Folder {
            path: display_name(raw),
            name: String::new(),
            parent: None,
            depth: 0,
            role,
            role_guessed: false,
            selectable: !(has("\\Noselect") || placeholder),
            placeholder,
            subscribed: has("\\Subscribed"),
            has_children: has("\\HasChildren"),
            messages: None,
            unseen: None,
            raw_name: raw.to_owned(),
        });
        if !self.early_counts.is_empty() {
            if let Some(counts) = self.early_counts.remove(raw) {
                self.set_counts(raw, counts);
            }
        }
    }

    /// One STATUS answer: the counts it gives replace those known for the folder.
    pub fn set_counts(&mut self, raw_name: &str, counts: FolderCounts) {
        let raw = canonical_name(raw_name);
        let known = match self.index.get(&self.folders, raw) {
            Some(i) => {
                let folder = &mut self.folders[i];
                (&mut folder.messages, &mut folder.unseen)
            }
            None => {
                let early = self.early_counts.entry(raw.to_owned()).or_default();
                (&mut early.messages, &mut early.unseen)
            }
        };
        if counts.messages.is_some() {
            *known.0 = counts.messages;
        }
        if counts.unseen.is_some() {
            *known.1 = counts.unseen;
        }
    }

    /// How many names the server has given so far (listed, or with counts only): what bounds
    /// the memory a listing takes.
    pub(crate) fn names(&self) -> usize {
        self.folders.len() + self.early_counts.len()
    }

    /// How many folders are listed so far.
    pub(crate) fn listed(&self) -> usize {
        self.folders.len()
    }

    /// The raw names of the listed folders that can hold mail (what STATUS can be asked of).
    pub(crate) fn selectable_names(&self) -> Vec<String> {
        self.folders.iter().filter(|f| f.selectable).map(|f| f.raw_name.clone()).collect()
    }

    /// The tree. `extra_subscribed` says which listed folders are subscribed where LIST could
    /// not say it (a separate LSUB).
    pub fn finish(self, extra_subscribed: impl Fn(&str) -> bool) -> FolderTree {
        // Counts still waiting name folders that were never listed: they are left out.
        let FolderTreeBuilder { delimiter, mut folders, mut index, .. } = self;
        for folder in folders.iter_mut() {
            if !folder.subscribed && extra_subscribed(&folder.raw_name) {
                folder.subscribed = true;
            }
        }
        let delim = delimiter.as_deref().filter(|d| !d.is_empty()).map(Delimiter::new);

        // Fill in parents the server did not list, so every folder hangs somewhere.
        if let Some(d) = delim {
            let mut i = 0;
            while i < folders.len() {
                // The ancestors are prefixes of the folder's own name: walked in place, a name
                // is copied only for a parent that is missing.
                let mut end = folders[i].raw_name.len();
                while let Some((p, _)) = d.rsplit_once(&folders[i].raw_name[..end]) {
                    if p.is_empty() || index.find_or_claim(&folders, p).is_some() {
                        break;
                    }
                    let p = p.to_owned();
                    end = p.len();
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
        let parent_of: Vec<Option<usize>> = folders
            .iter()
            .map(|f| delim.and_then(|d| d.rsplit_once(&f.raw_name)).and_then(|(p, _)| index.get(&folders, p)))
            .collect();
        for (i, folder) in folders.iter_mut().enumerate() {
            match delim {
                Some(d) => {
                    if parent_of[i].is_some() {
                        // The parent's name is the folder's own up to its last delimiter.
                        folder.parent = d.rsplit_once(&folder.raw_name).map(|(p, _)| p.to_owned());
                    }
                    folder.depth = d.count_in(&folder.raw_name) as u32;
                    folder.name = d.last_part(&folder.path).to_owned();
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

        // Depth-first order with INBOX first, siblings by name, case-insensitively (as
        // `to_lowercase` orders them), the lower-case names all in one buffer.
        let mut lowercase = Vec::with_capacity(folders.iter().map(|f| f.path.len()).sum());
        let spans: Vec<(bool, usize, usize)> = folders
            .iter()
            .map(|f| {
                let start = lowercase.len();
                push_lowercase(&f.path, &mut lowercase);
                (f.raw_name != "INBOX", start, lowercase.len())
            })
            .collect();
        let keys: Vec<(bool, &[u8])> = spans.iter().map(|&(not_inbox, a, b)| (not_inbox, &lowercase[a..b])).collect();
        // Each folder's children in one shared list, in index order: folder i's are
        // `children[first_child[i]..first_child[i + 1]]` (one list, not one per folder).
        let mut roots = Vec::new();
        let mut first_child = vec![0; folders.len() + 1];
        for p in parent_of.iter().flatten() {
            first_child[*p + 1] += 1;
        }
        for i in 0..folders.len() {
            first_child[i + 1] += first_child[i];
        }
        let mut children = vec![0; first_child[folders.len()]];
        let mut filled = first_child.clone();
        for (i, p) in parent_of.iter().enumerate() {
            match p {
                Some(p) => {
                    children[filled[*p]] = i;
                    filled[*p] += 1;
                }
                None => roots.push(i),
            }
        }
        roots.sort_by(|a, b| keys[*a].cmp(&keys[*b]));
        for i in 0..folders.len() {
            children[first_child[i]..first_child[i + 1]].sort_by(|a, b| keys[*a].cmp(&keys[*b]));
        }
        let mut order = Vec::with_capacity(folders.len());
        let mut stack: Vec<usize> = roots.into_iter().rev().collect();
        while let Some(i) = stack.pop() {
            order.push(i);
            stack.extend(children[first_child[i]..first_child[i + 1]].iter().rev());
        }
        // Every folder hangs under a shorter name or at the top, so `order` names each exactly
        // once; the folders are moved into it in place, by following the permutation's cycles.
        assert_eq!(order.len(), folders.len(), "every folder placed once");
        let mut destination = vec![0; folders.len()];
        for (position, &i) in order.iter().enumerate() {
            destination[i] = position;
        }
        for i in 0..folders.len() {
            while destination[i] != i {
                let j = destination[i];
                folders.swap(i, j);
                destination.swap(i, j);
            }
        }
        FolderTree { delimiter, folders }
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
    fn the_builder_takes_answers_in_any_order() {
        let counts = |m, u| FolderCounts { messages: Some(m), unseen: Some(u) };
        let mut b = FolderTreeBuilder::default();
        // Counts before the folder's LIST line, and for a name never listed.
        b.set_counts("Later", counts(5, 2));
        b.set_counts("Never listed", counts(9, 9));
        // INBOX in any case is one folder; a second LIST line of a name changes nothing.
        b.add("inbox", Some("/"), ["\\HasNoChildren"].into_iter());
        b.add("INBOX", Some("/"), ["\\Noselect"].into_iter());
        b.set_counts("Inbox", counts(3, 1));
        b.add("Later", Some("/"), ["\\Subscribed"].into_iter());
        // A STATUS answer with one count keeps the other.
        b.set_counts("Later", FolderCounts { messages: Some(6), unseen: None });
        assert_eq!(b.names(), 3, "two folders, and the counts of a name not listed");
        assert_eq!(b.selectable_names(), ["INBOX", "Later"]);

        let tree = b.finish(|name| name == "INBOX");
        let get = |p: &str| tree.folders.iter().find(|f| f.raw_name == p).unwrap();
        assert_eq!(tree.folders.len(), 2);
        assert!(get("INBOX").selectable && get("INBOX").subscribed);
        assert_eq!((get("INBOX").messages, get("INBOX").unseen), (Some(3), Some(1)));
        assert_eq!((get("Later").messages, get("Later").unseen), (Some(6), Some(2)));
        assert!(get("Later").subscribed);
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
