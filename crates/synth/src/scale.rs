//! Size parameters of the scales.

use crate::Scale;
use crate::city::Schulform;

/// Numbers that make a scale.
#[derive(Clone, Debug)]
pub(crate) struct Params {
    /// Target residents (Haupt- and alleinige Wohnung) at the Stichtag.
    pub residents: u64,
    /// Target number of Baublöcke.
    pub blocks: usize,
    /// Target number of addresses.
    pub addresses: usize,
    /// Linear scale of the city outline.
    pub area_factor: f64,
    /// Refugee arrivals relative to Gelsenkirchen's.
    pub refugee_factor: f64,
    /// Collective accommodation sites.
    pub collective_sites: usize,
    /// Schools per form: G, H, R, GY, GE, S, BK.
    pub school_counts: [usize; 7],
    /// Write big spreadsheets in constant-memory mode (metropolis only).
    pub constant_memory: bool,
}

impl Params {
    /// Parameters of a scale.
    pub(crate) fn of(scale: Scale) -> Params {
        match scale {
            Scale::Tiny => Params {
                residents: 420,
                blocks: 60,
                addresses: 110,
                area_factor: 1.0,
                refugee_factor: 0.004,
                collective_sites: 2,
                school_counts: [2, 1, 1, 1, 1, 1, 1],
                constant_memory: false,
            },
            Scale::Demo => Params {
                residents: 10_000,
                blocks: 330,
                addresses: 1_550,
                area_factor: 1.0,
                refugee_factor: 0.055,
                collective_sites: 3,
                school_counts: [6, 1, 1, 1, 1, 1, 1],
                constant_memory: false,
            },
            Scale::City => Params {
                residents: 266_000,
                blocks: 2_400,
                addresses: 40_000,
                area_factor: 1.0,
                refugee_factor: 1.0,
                collective_sites: 6,
                school_counts: [38, 3, 4, 7, 5, 5, 5],
                constant_memory: false,
            },
            Scale::Metropolis => Params {
                residents: 3_800_000,
                blocks: 34_000,
                addresses: 570_000,
                area_factor: 3.78,
                refugee_factor: 14.3,
                collective_sites: 60,
                school_counts: [540, 42, 56, 100, 70, 70, 70],
                constant_memory: true,
            },
        }
    }

    /// Number of schools of a form.
    pub(crate) fn schools(&self, form: Schulform) -> usize {
        let i = Schulform::ALL.iter().position(|f| *f == form).unwrap_or(0);
        self.school_counts[i]
    }
}
