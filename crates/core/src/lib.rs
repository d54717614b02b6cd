//! Lagebild core: everything that computes.
//!
//! The modules follow the data flow of the office's monthly work:
//! import -> classify -> link -> locate -> tabulate -> protect -> export.
//! This crate is pure Rust without web dependencies, so it runs natively (CLI, tests,
//! benchmarks) and in the browser (the app's Web Worker) alike.

pub mod area;
pub mod classify;
pub mod export;
pub mod format;
pub mod geo;
pub mod import;
pub mod intern;
pub mod link;
pub mod locate;
pub mod protect;
pub mod records;
pub mod reports;
pub mod schulform;
pub mod series_columns;
pub mod session;
pub mod tabulate;
pub mod text;
pub mod view;

/// Version of the Lagebild core, shown in the app and written into every export's metadata.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
