//! Loading the folder tree with counts in a number of round trips that does not grow with the
//! number of folders: LIST (with RETURN options where offered, RFC 5258, RFC 6154), LIST-STATUS
//! (RFC 5819) or pipelined STATUS commands, and LSUB where LIST cannot say what is subscribed.

use super::wire::*;
use super::{SignedIn, MAX_FOLDERS, MAX_FOLDER_LISTING_BYTES};
use crate::config::Deadlines;
use crate::error::{EngineError, Result};
use crate::folders::{canonical_name, FolderCounts, FolderTree, FolderTreeBuilder};
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
    let mut tree = FolderTreeBuilder::default();
    let mut counted = 0;
    let done = session
        .run(&command, Stage::ListingFolders, &conversation, |response| {
            collect(response, &mut tree);
            too_many_folders(tree.names(), target)?;
            // Each folder brings two answers here (LIST, STATUS): one count per 500 folders.
            if tree.listed() >= counted + 500 {
                counted = tree.listed();
                progress.count(Stage::ListingFolders, Some(target), counted as u32, None);
            }
            Ok(())
        })
        .await?;
    if done.verdict != Verdict::Ok {
        return Err(done.refused(Stage::ListingFolders, &conversation));
    }

    let mut subscribed = HashSet::new();
    if !extended {
        let done = session
            .run("LSUB \"\" \"*\"", Stage::ListingFolders, &conversation, |r| {
                if let Some(name) = listed_name(r) {
                    subscribed.insert(canonical_name(name).to_owned());
                }
                too_many_folders(subscribed.len(), target)
            })
            .await?;
        if done.verdict != Verdict::Ok {
            return Err(done.refused(Stage::ListingFolders, &conversation));
        }
    }

    if !list_status {
        let selectable = tree.selectable_names();
        pipelined_status(session, &selectable, &conversation, progress, |name, counts| {
            tree.set_counts(name, counts);
            too_many_folders(tree.names(), target)
        })
        .await?;
    }
    session.stream().listing_budget = None;
    let tree = tree.finish(|name| subscribed.contains(name));
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
    let mut answered: HashSet<String> = HashSet::new();
    pipelined_status(session, folders, &conversation, progress, |name, _| {
        answered.insert(name.to_owned());
        too_many_folders(answered.len(), target)
    })
    .await?;
    Ok(answered.len())
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
    conversation: &Conversation<'_>,
    progress: &Progress<'_>,
    mut on_counts: impl FnMut(&str, FolderCounts) -> Result<()>,
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
                    if let Some((name, counts)) = status_counts(&response) {
                        on_counts(name, counts)?;
                    }
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

/// Adds a LIST or STATUS answer to the tree being built; other answers are not about folders.
pub(super) fn collect(response: &Response<'_>, tree: &mut FolderTreeBuilder) {
    if let Response::MailboxData(MailboxDatum::List(data)) = response {
        tree.add(&data.name, data.delimiter.as_deref(), data.name_attributes.iter().map(attribute_name));
    } else if let Some((name, counts)) = status_counts(response) {
        tree.set_counts(name, counts);
    }
}

/// The folder a LIST or LSUB answer names (imap-proto reads both as a list answer).
fn listed_name<'a>(response: &'a Response<'_>) -> Option<&'a str> {
    match response {
        Response::MailboxData(MailboxDatum::List(data)) => Some(&data.name),
        _ => None,
    }
}

/// The folder and the counts a STATUS answer gives (RFC 3501 7.2.4).
fn status_counts<'a>(response: &'a Response<'_>) -> Option<(&'a str, FolderCounts)> {
    let Response::MailboxData(MailboxDatum::Status { mailbox, status }) = response else {
        return None;
    };
    let mut counts = FolderCounts::default();
    for s in status {
        match s {
            StatusAttribute::Messages(n) => counts.messages = Some(*n),
            StatusAttribute::Unseen(n) => counts.unseen = Some(*n),
            _ => {}
        }
    }
    Some((mailbox, counts))
}

/// An attribute of a LIST answer as the server spelled it (imap-proto knows the RFC 3501 and
/// RFC 6154 ones by name and keeps the others as they came).
fn attribute_name<'a>(a: &'a NameAttribute<'_>) -> &'a str {
    match a {
        NameAttribute::NoInferiors => "\\Noinferiors",
        NameAttribute::NoSelect => "\\Noselect",
        NameAttribute::Marked => "\\Marked",
        NameAttribute::Unmarked => "\\Unmarked",
        NameAttribute::All => "\\All",
        NameAttribute::Archive => "\\Archive",
        NameAttribute::Drafts => "\\Drafts",
        NameAttribute::Flagged => "\\Flagged",
        NameAttribute::Junk => "\\Junk",
        NameAttribute::Sent => "\\Sent",
        NameAttribute::Trash => "\\Trash",
        NameAttribute::Extension(s) => s,
        _ => "",
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
