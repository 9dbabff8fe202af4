//! Loading the folder tree with counts in a number of round trips that does not grow with the
//! number of folders: LIST (with RETURN options where offered, RFC 5258, RFC 6154), LIST-STATUS
//! (RFC 5819) or pipelined STATUS commands, and LSUB where LIST cannot say what is subscribed.

use super::wire::*;
use super::{SignedIn, MAX_FOLDERS, MAX_FOLDER_LISTING_BYTES};
use crate::config::Deadlines;
use crate::error::{EngineError, Result};
use crate::folders::{FolderCounts, FolderTree, ListedFolder, NameMap};
use crate::net::with_deadline;
use crate::progress::{Progress, Stage, StageState};
use crate::server_text::shown;
use imap_proto::{MailboxDatum, NameAttribute, Response, StatusAttribute};
use std::collections::HashSet;
use tokio::io::AsyncWriteExt;

/// Loads the whole folder tree with counts.
pub async fn load_folders(
    signed_in: &mut SignedIn,
    deadlines: &Deadlines,
    progress: &Progress<'_>,
) -> Result<FolderTree> {
    let SignedIn { session, capabilities: caps, target, redactor, .. } = signed_in;
    let conversation = Conversation { target, deadlines, redactor };
    let target = conversation.target;
    progress.emit(Stage::ListingFolders, StageState::Started, Some(target), None);

    let extended = caps.list_extended || caps.list_status;
    let mut returns = Vec::new();
    // CHILDREN is not asked for: the tree itself says which folders have children.
    if extended {
        returns.push("SUBSCRIBED");
    }
    if caps.special_use {
        returns.push("SPECIAL-USE");
    }
    let list_status = caps.list_status;
    if list_status {
        returns.push("STATUS (MESSAGES UNSEEN)");
    }
    let command = if returns.is_empty() {
        "LIST \"\" \"*\"".to_owned()
    } else {
        format!("LIST \"\" \"*\" RETURN ({})", returns.join(" "))
    };

    // Every byte of the listing counts against one budget, whichever command brings it.
    session.stream().listing_budget = Some(MAX_FOLDER_LISTING_BYTES);
    let mut listed = Vec::new();
    let mut counts: NameMap<FolderCounts> = NameMap::default();
    let done = session
        .run(&command, Stage::ListingFolders, &conversation, |response| {
            collect(response, &mut listed, &mut counts);
            too_many_folders(listed.len().max(counts.len()), target)?;
            if listed.len() % 500 == 0 && !listed.is_empty() {
                progress.count(Stage::ListingFolders, Some(target), listed.len() as u32, None);
            }
            Ok(())
        })
        .await?;
    if done.verdict != Verdict::Ok {
        return Err(done.refused(Stage::ListingFolders, &conversation));
    }

    let mut subscribed = HashSet::new();
    if !extended {
        let mut lsub = Vec::new();
        let done = session
            .run("LSUB \"\" \"*\"", Stage::ListingFolders, &conversation, |r| {
                collect(r, &mut lsub, &mut NameMap::default());
                too_many_folders(lsub.len(), target)
            })
            .await?;
        if done.verdict != Verdict::Ok {
            return Err(done.refused(Stage::ListingFolders, &conversation));
        }
        subscribed = lsub.into_iter().map(|f| f.raw_name).collect();
    }

    if !list_status {
        let selectable: Vec<String> = listed
            .iter()
            .filter(|f| {
                !f.attributes
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case("\\Noselect") || a.eq_ignore_ascii_case("\\NonExistent"))
            })
            .map(|f| f.raw_name.clone())
            .collect();
        pipelined_status(session, &selectable, &mut counts, &conversation, progress).await?;
    }
    session.stream().listing_budget = None;
    let tree = FolderTree::from_listing(listed, |name| counts.get(name).copied(), |name| subscribed.contains(name));
    progress.emit(
        Stage::ListingFolders,
        StageState::Done,
        Some(target),
        Some(format!("{} folders", tree.folders.len())),
    );
    Ok(tree)
}

/// A health check's read of the chosen folders: STATUS (MESSAGES UNSEEN) of each, pipelined.
/// STATUS does not select the folder (RFC 3501 6.3.10), so nothing about the mail changes, not
/// even the \Recent flags. Answers how many folders answered with counts (a folder deleted on
/// the server since it was chosen answers NO and is left out).
pub async fn status_of(
    signed_in: &mut SignedIn,
    folders: &[String],
    deadlines: &Deadlines,
    progress: &Progress<'_>,
) -> Result<usize> {
    let SignedIn { session, target, redactor, .. } = signed_in;
    let conversation = Conversation { target, deadlines, redactor };
    let mut counts: NameMap<FolderCounts> = NameMap::default();
    pipelined_status(session, folders, &mut counts, &conversation, progress).await?;
    Ok(counts.len())
}

/// STATUS for every folder in one pipeline (RFC 3501 5.5 allows it): all commands are written
/// while the answers are read at the same time, so the whole batch costs about one round trip
/// whatever the number of folders. Writing everything before reading could deadlock once both
/// sides' buffers fill, hence one writer and one reader over the split connection. It runs right
/// after the tagged end of LIST, reads through the connection's own buffer (nothing read ahead
/// is lost), and ends on the last tagged answer.
pub(super) async fn pipelined_status(
    session: &mut ImapConnection,
    folders: &[String],
    counts: &mut NameMap<FolderCounts>,
    conversation: &Conversation<'_>,
    progress: &Progress<'_>,
) -> Result<()> {
    use tokio::io::{AsyncBufRead, BufReader};
    if folders.is_empty() {
        return Ok(());
    }
    let (target, deadlines) = (conversation.target, conversation.deadlines);
    let total = folders.len() as u32;
    let (read_half, mut write_half) = tokio::io::split(&mut session.reader);

    let writer = async {
        let mut batch = Vec::with_capacity(64 * 1024);
        for (i, name) in folders.iter().enumerate() {
            batch.extend_from_slice(format!("S{i} STATUS {} (MESSAGES UNSEEN)\r\n", quote(name)).as_bytes());
            if batch.len() >= 60 * 1024 || i + 1 == folders.len() {
                with_deadline(Stage::ListingFolders, target, deadlines.command, async {
                    write_half.write_all(&batch).await.map_err(|e| io_error(e, Stage::ListingFolders, target))
                })
                .await?;
                batch.clear();
            }
        }
        with_deadline(Stage::ListingFolders, target, deadlines.command, async {
            write_half.flush().await.map_err(|e| io_error(e, Stage::ListingFolders, target))
        })
        .await
    };

    let reader = async {
        let mut reader = BufReader::with_capacity(READ_CHUNK, read_half);
        let mut done = 0u32;
        let mut frame = Vec::new();
        while done < total {
            // An answer already read in full is parsed where it lies, with no deadline to arm.
            let in_buffer = buffered_answer(reader.buffer());
            if in_buffer.is_none() {
                frame.clear();
                read_frame(&mut reader, &mut frame, target, deadlines).await?;
            }
            let answer = match in_buffer {
                Some(len) => &reader.buffer()[..len],
                None => &frame[..],
            };
            match imap_proto::Response::parse(answer) {
                Ok((_, Response::Done { tag, .. })) if tag.0.starts_with('S') => {
                    // A folder that vanished meanwhile answers NO; its counts stay unknown.
                    done += 1;
                    if done.is_multiple_of(250) || done == total {
                        progress.count(Stage::ListingFolders, Some(target), done, Some(total));
                    }
                }
                Ok((_, response)) => {
                    collect(&response, &mut Vec::new(), counts);
                    too_many_folders(counts.len(), target)?;
                }
                Err(_) => {
                    return Err(EngineError::Protocol {
                        stage: Stage::ListingFolders,
                        target: target.to_owned(),
                        message: format!(
                            "unreadable answer: {}",
                            shown(&String::from_utf8_lossy(answer), conversation.redactor)
                        ),
                    })
                }
            }
            if let Some(len) = in_buffer {
                std::pin::Pin::new(&mut reader).consume(len);
            }
        }
        Ok(())
    };
    let (written, read) = tokio::join!(writer, reader);
    written?;
    read
}

/// Reads one complete answer (for the pipelined STATUS phase) under the command deadline: a
/// server that stalls in the middle of an answer is cut, one that keeps sending answers is not.
pub(super) async fn read_frame<R: tokio::io::AsyncBufRead + Unpin>(
    reader: &mut R,
    frame: &mut Vec<u8>,
    target: &str,
    deadlines: &Deadlines,
) -> Result<()> {
    let stage = Stage::ListingFolders;
    let read = with_deadline(stage, target, deadlines.command, async {
        read_answer(reader, frame).await.map_err(|e| io_error(e, stage, target))
    })
    .await?;
    if read {
        Ok(())
    } else {
        Err(EngineError::ConnectionClosed { stage, target: target.to_owned() })
    }
}

/// Fails once a listing names more than [`MAX_FOLDERS`] folders.
fn too_many_folders(named: usize, target: &str) -> Result<()> {
    if named <= MAX_FOLDERS {
        return Ok(());
    }
    Err(EngineError::Protocol {
        stage: Stage::ListingFolders,
        target: target.to_owned(),
        message: format!("the server listed more than {MAX_FOLDERS} folders; Inlet reads at most {MAX_FOLDERS}"),
    })
}

pub(super) fn collect(response: &Response<'_>, listed: &mut Vec<ListedFolder>, counts: &mut NameMap<FolderCounts>) {
    match response {
        Response::MailboxData(MailboxDatum::List(data)) => listed.push(ListedFolder {
            raw_name: data.name.to_string(),
            delimiter: data.delimiter.as_ref().map(|d| d.to_string()),
            attributes: data.name_attributes.iter().map(attribute_name).collect(),
        }),
        Response::MailboxData(MailboxDatum::Status { mailbox, status }) => {
            let entry = counts.entry(mailbox.to_string()).or_default();
            for s in status.iter().cloned() {
                match s {
                    StatusAttribute::Messages(n) => entry.messages = Some(n),
                    StatusAttribute::Unseen(n) => entry.unseen = Some(n),
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

pub(super) fn attribute_name(a: &NameAttribute<'_>) -> String {
    match a {
        NameAttribute::NoInferiors => "\\Noinferiors".into(),
        NameAttribute::NoSelect => "\\Noselect".into(),
        NameAttribute::Marked => "\\Marked".into(),
        NameAttribute::Unmarked => "\\Unmarked".into(),
        NameAttribute::All => "\\All".into(),
        NameAttribute::Archive => "\\Archive".into(),
        NameAttribute::Drafts => "\\Drafts".into(),
        NameAttribute::Flagged => "\\Flagged".into(),
        NameAttribute::Junk => "\\Junk".into(),
        NameAttribute::Sent => "\\Sent".into(),
        NameAttribute::Trash => "\\Trash".into(),
        NameAttribute::Extension(s) => s.to_string(),
        _ => String::new(),
    }
}

/// An IMAP quoted string (RFC 3501 4.3): backslash and double quote escaped.
pub(super) fn quote(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    out.push('"');
    for c in name.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}
