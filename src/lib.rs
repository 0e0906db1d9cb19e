//! HomeDesk 居家服务台: the home-service desk of a residential
//! property-management office. See ARCHITECTURE.md for the layers.

pub mod app;
pub mod assets;
pub mod build_info;
pub mod cli;
pub mod domain;
pub mod export;
pub mod i18n;
pub mod import;
pub mod print;
pub mod store;
pub mod ui;
