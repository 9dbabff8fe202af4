// Generated from the engine (crates/inlet-core/src/kinds.rs) by `cargo test -p inlet-core --features ts --lib`. Do not edit.
import type { MailboxDefaults } from './MailboxDefaults';

export const MAILBOX_DEFAULTS: MailboxDefaults = {
  "kinds": [
    {
      "kind": "imap",
      "incoming": null,
      "outgoing": null,
      "checkOutgoing": true
    },
    {
      "kind": "gmail",
      "incoming": {
        "host": "imap.gmail.com",
        "port": 993,
        "security": "tls"
      },
      "outgoing": {
        "host": "smtp.gmail.com",
        "port": 465,
        "security": "tls"
      },
      "checkOutgoing": false
    },
    {
      "kind": "microsoft365",
      "incoming": {
        "host": "outlook.office365.com",
        "port": 993,
        "security": "tls"
      },
      "outgoing": {
        "host": "smtp.office365.com",
        "port": 587,
        "security": "starttls"
      },
      "checkOutgoing": false
    },
    {
      "kind": "exchange",
      "incoming": {
        "host": "outlook.office365.com",
        "port": 993,
        "security": "tls"
      },
      "outgoing": {
        "host": "smtp.office365.com",
        "port": 587,
        "security": "starttls"
      },
      "checkOutgoing": false
    },
    {
      "kind": "pop3",
      "incoming": null,
      "outgoing": null,
      "checkOutgoing": true
    }
  ],
  "ports": [
    {
      "protocol": "imap",
      "security": "tls",
      "port": 993
    },
    {
      "protocol": "imap",
      "security": "starttls",
      "port": 143
    },
    {
      "protocol": "imap",
      "security": "none",
      "port": 143
    },
    {
      "protocol": "pop3",
      "security": "tls",
      "port": 995
    },
    {
      "protocol": "pop3",
      "security": "starttls",
      "port": 110
    },
    {
      "protocol": "pop3",
      "security": "none",
      "port": 110
    },
    {
      "protocol": "smtp",
      "security": "tls",
      "port": 465
    },
    {
      "protocol": "smtp",
      "security": "starttls",
      "port": 587
    },
    {
      "protocol": "smtp",
      "security": "none",
      "port": 587
    }
  ]
};
