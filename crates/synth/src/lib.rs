//! Deterministic synthetic city of Gelsenkirchen's shape and the exports its administration
//! would produce, with ground truth for tests, demo data and benchmarks.
