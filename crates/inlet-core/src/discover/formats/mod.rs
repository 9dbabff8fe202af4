pub mod autoconfig;
pub mod pox;
pub mod xml;
