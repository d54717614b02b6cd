//! The pages of the app, one file each. Report pages show the protected tables of their
//! group: the page each table's definition names (`page = …` in `standard_tables.toml`, see
//! [`crate::route::ReportPage`]). Pages use components and never each other, except the report
//! page switch ([`report::ReportPageView`]).

pub mod benefits;
pub mod crosstab;
pub mod download;
pub mod load;
pub mod monthly;
pub mod population;
pub mod quality;
pub mod report;
pub mod schools;
pub mod spatial;
