//! Discovery: from an email address to ranked candidate settings, with a trace. Each source is
//! its own module; [`race`] runs them all at once under deadlines and [`probe`] verifies the
//! winners without credentials.

pub mod autoconfig;
pub mod dns;
pub mod guess;
pub mod http;
pub mod pox;
pub mod probe;
pub mod proposal;
pub mod providers;
pub mod race;
pub mod xml;

pub use proposal::{Candidate, Discovery, DiscoveryEvent, DiscoverySink, SourceId, SourceStatus};
pub use race::{discover, DiscoverRequest, Walk};
