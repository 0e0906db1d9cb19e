//! HomeDesk 居家服务台: the home-service desk of a residential
//! property-management office. See ARCHITECTURE.md for the layers.

pub mod domain;
pub mod store;
pub mod app;
