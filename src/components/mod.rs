//! Page components, one file each.

pub mod drop_zone;
pub mod file_reports;
