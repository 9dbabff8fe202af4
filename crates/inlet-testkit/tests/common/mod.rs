//! A bare-bones IMAP/POP3 line client over a plain TcpStream: just enough to check the servers.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

pub struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    tag: u32,
}

impl Conn {
    pub fn connect(port: u16) -> Conn {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        Conn { reader: BufReader::new(stream.try_clone().unwrap()), writer: stream, tag: 0 }
    }

    pub fn line(&mut self) -> String {
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("read line");
        line
    }

    /// Sends an IMAP command and returns all lines up to and including the tagged reply.
    pub fn imap(&mut self, command: &str) -> Vec<String> {
        self.tag += 1;
        let tag = format!("t{}", self.tag);
        write!(self.writer, "{tag} {command}\r\n").unwrap();
        let mut lines = Vec::new();
        loop {
            let line = self.line();
            assert!(!line.is_empty(), "connection closed; got so far: {lines:?}");
            let done = line.starts_with(&format!("{tag} "));
            lines.push(line);
            if done {
                return lines;
            }
        }
    }

    /// Sends a POP3 command and returns the first reply line.
    pub fn pop3(&mut self, command: &str) -> String {
        write!(self.writer, "{command}\r\n").unwrap();
        self.line()
    }
}

pub fn last(lines: &[String]) -> &str {
    lines.last().map(|s| s.as_str()).unwrap_or("")
}
