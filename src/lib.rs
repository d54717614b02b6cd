//! Lagebild in the browser: the Leptos client-side app and its Web Worker.
//!
//! Components and wiring only; everything that computes lives in `lagebild-core` and runs in
//! the worker ([`worker::Pipeline`]), so the page stays responsive. The page and the worker
//! talk through the messages of [`protocol`]; only reports and aggregates cross back to the
//! page, never records.
//!
//! The page's modules depend in one direction: [`app`] (the shell) uses [`pages`], pages use
//! [`components`], and both reach the state ([`state`]), the worker ([`client`] and its hooks)
//! and the navigation ([`route`]), never the other way round.

pub mod app;
#[cfg(feature = "bench")]
pub mod bench;
pub mod client;
pub mod components;
pub mod interop;
pub mod pages;
pub mod protocol;
pub mod route;
pub mod settings;
pub mod state;
pub mod transfer;
pub mod worker;
