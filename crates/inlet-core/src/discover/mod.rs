//! Discovery: from an email address to ranked candidate settings, with a trace. Each source is
//! its own module; [`race`] runs them all at once under deadlines and [`probe`] verifies the
//! winners without credentials.

pub mod formats;
pub mod proposal;
pub mod race;
pub mod sources;
pub mod verify;

pub use crate::net::dns;
pub use formats::{autoconfig, pox, xml};
pub use sources::{guess, http, providers};
pub use verify as probe;

pub use proposal::{Candidate, Discovery, DiscoveryEvent, DiscoverySink, SourceId, SourceStatus};
pub use race::{discover, DiscoverRequest, Walk};
