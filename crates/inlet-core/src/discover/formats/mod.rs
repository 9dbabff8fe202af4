//! The documents discovery reads, parsed without the network: Mozilla autoconfig (ISPDB and the
//! domain's own), Microsoft's Autodiscover POX answers, and the small XML reader both use.

pub mod autoconfig;
pub mod pox;
pub mod xml;
