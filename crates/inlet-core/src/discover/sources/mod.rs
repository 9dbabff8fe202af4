pub mod guess;
pub mod http;
pub mod providers;

use super::{autoconfig, dns, pox, probe};
