//! Reusable components of the pages.

pub mod area_filter;
pub mod confirm;
pub mod drop_zone;
pub mod file_reports;
pub mod graphics;
pub mod mapping_editor;
pub mod report_frame;
pub mod report_table;
pub mod settings_panel;
