pub mod imap;
pub mod pop3;
pub mod smtp;
