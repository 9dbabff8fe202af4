//! Discovery: from an email address to ranked candidate settings, with a trace. Each source is
//! its own module; they race under deadlines.

pub mod autoconfig;
pub mod dns;
pub mod http;
pub mod providers;
