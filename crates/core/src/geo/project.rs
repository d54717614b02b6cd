//! Coordinates: EPSG:25832 to WGS84, and the simple map projection of the SVG maps.

use super::Bounds;

/// EPSG:25832 (ETRS89 / UTM 32N, GRS80) easting and northing in metres to WGS84 longitude and
/// latitude in degrees (inverse transverse Mercator, Snyder's series; millimetre accuracy
/// within the zone).
pub fn utm32_to_wgs84(easting: f64, northing: f64) -> (f64, f64) {
    let a = 6_378_137.0;
    let f = 1.0 / 298.257_222_101;
    let k0 = 0.9996;
    let e2 = f * (2.0 - f);
    let ep2 = e2 / (1.0 - e2);
    let x = easting - 500_000.0;
    let m = northing / k0;
    let mu = m / (a * (1.0 - e2 / 4.0 - 3.0 * e2 * e2 / 64.0 - 5.0 * e2 * e2 * e2 / 256.0));
    let s = (1.0 - e2).sqrt();
    let e1 = (1.0 - s) / (1.0 + s);
    let phi1 = mu
        + (3.0 * e1 / 2.0 - 27.0 * e1 * e1 * e1 / 32.0) * (2.0 * mu).sin()
        + (21.0 * e1 * e1 / 16.0 - 55.0 * e1 * e1 * e1 * e1 / 32.0) * (4.0 * mu).sin()
        + (151.0 * e1 * e1 * e1 / 96.0) * (6.0 * mu).sin()
        + (1097.0 * e1 * e1 * e1 * e1 / 512.0) * (8.0 * mu).sin();
    let (sp, cp) = (phi1.sin(), phi1.cos());
    let tp = sp / cp;
    let c1 = ep2 * cp * cp;
    let t1 = tp * tp;
    let w = 1.0 - e2 * sp * sp;
    let n1 = a / w.sqrt();
    let r1 = a * (1.0 - e2) / (w * w.sqrt());
    let d = x / (n1 * k0);
    let (d2, d3) = (d * d, d * d * d);
    let (d4, d5, d6) = (d2 * d2, d2 * d3, d3 * d3);
    let lat = phi1
        - (n1 * tp / r1)
            * (d2 / 2.0 - (5.0 + 3.0 * t1 + 10.0 * c1 - 4.0 * c1 * c1 - 9.0 * ep2) * d4 / 24.0
                + (61.0 + 90.0 * t1 + 298.0 * c1 + 45.0 * t1 * t1 - 252.0 * ep2 - 3.0 * c1 * c1)
                    * d6
                    / 720.0);
    let lon = (d - (1.0 + 2.0 * t1 + c1) * d3 / 6.0
        + (5.0 - 2.0 * c1 + 28.0 * t1 - 3.0 * c1 * c1 + 8.0 * ep2 + 24.0 * t1 * t1) * d5 / 120.0)
        / cp;
    let deg = 180.0 / std::f64::consts::PI;
    (9.0 + lon * deg, lat * deg)
}

/// Equirectangular projection with the longitude scaled by the cosine of the middle latitude
/// (true to scale in the middle of a city), fitted into a box of `width` x `height` pixels
/// with the north up.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Projection {
    lon0: f64,
    lat1: f64,
    cos_lat: f64,
    scale: f64,
    offset_x: f64,
    offset_y: f64,
}

impl Projection {
    /// The projection that fits `bounds` into `width` x `height` pixels, centred.
    pub fn fit(bounds: Bounds, width: f64, height: f64) -> Projection {
        let mid_lat = (bounds.min_lat + bounds.max_lat) / 2.0;
        let cos_lat = mid_lat.to_radians().cos().max(0.01);
        let span_x = ((bounds.max_lon - bounds.min_lon) * cos_lat).max(1e-9);
        let span_y = (bounds.max_lat - bounds.min_lat).max(1e-9);
        let scale = (width / span_x).min(height / span_y);
        Projection {
            lon0: bounds.min_lon,
            lat1: bounds.max_lat,
            cos_lat,
            scale,
            offset_x: (width - span_x * scale) / 2.0,
            offset_y: (height - span_y * scale) / 2.0,
        }
    }

    /// Height in pixels `bounds` takes at `width` pixels (for laying out a map).
    pub fn height_for(bounds: Bounds, width: f64) -> f64 {
        let mid_lat = (bounds.min_lat + bounds.max_lat) / 2.0;
        let cos_lat = mid_lat.to_radians().cos().max(0.01);
        let span_x = ((bounds.max_lon - bounds.min_lon) * cos_lat).max(1e-9);
        let span_y = (bounds.max_lat - bounds.min_lat).max(1e-9);
        width * span_y / span_x
    }

    /// Pixel coordinates of a longitude/latitude (y grows downwards).
    pub fn apply(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            self.offset_x + (lon - self.lon0) * self.cos_lat * self.scale,
            self.offset_y + (self.lat1 - lat) * self.scale,
        )
    }
}
