//! Räumliche Gliederung: the address table (CSV, and a spreadsheet copy as ODS), the GeoJSON
//! polygons of Baublöcke, Stadtteile and Stadtbezirke, and the true address table.

use super::{Ctx, planned, text_entry, truth_format};
use crate::Error;
use crate::geo::{self, Crs};
use crate::manifest::{FileEntry, Manifest, SheetEntry, SourceKind};
use crate::output::{Cell, Encoding, Sink, TextFile, TextFormat, XlsxFile};
use crate::text::Cp1252Fallback;

/// Header of the address table CSV.
pub(crate) const HEADER_CSV: [&str; 12] = [
    "Straßenschlüssel",
    "Straße",
    "Hausnummer",
    "Zusatz",
    "PLZ",
    "Baublock",
    "Stadtteil-Nr",
    "Stadtteil",
    "Stadtbezirk-Nr",
    "Stadtbezirk",
    "X",
    "Y",
];

/// Header of the spreadsheet copy.
pub(crate) const HEADER_SHEET: [&str; 11] = [
    "Strasse",
    "Hausnr.",
    "Zusatz",
    "PLZ",
    "Baublocknummer",
    "Stadtteilnummer",
    "Stadtteil",
    "Stadtbezirksnummer",
    "Stadtbezirk",
    "Rechtswert",
    "Hochwert",
];

/// Largest address table also written as a spreadsheet (XLS's row limit).
const SHEET_LIMIT: usize = 65_000;

fn decimal_comma(x: f64) -> String {
    format!("{x:.2}").replace('.', ",")
}

/// Writes the Gliederung exports, the GeoJSON files and `truth/addresses.csv`.
pub(crate) fn write(ctx: &Ctx, sink: &mut dyn Sink, manifest: &mut Manifest) -> Result<(), Error> {
    let city = &ctx.city;
    let mut order: Vec<usize> = (0..city.addresses.len())
        .filter(|&a| city.addresses[a].in_gliederung)
        .collect();
    order.sort_by(|&p, &q| {
        let (a, b) = (&city.addresses[p], &city.addresses[q]);
        city.streets[a.street]
            .name
            .cmp(&city.streets[b.street].name)
            .then(a.street.cmp(&b.street))
            .then(a.number.cmp(&b.number))
            .then(a.suffix.cmp(&b.suffix))
    });
    let number_text = |a: &crate::city::Address| match a.range_end {
        Some(e) => format!("{}-{}", a.number, e),
        None => a.number.to_string(),
    };

    let path = "exports/gliederung/Gliederung_Adressen.csv";
    let fmt = TextFormat {
        delimiter: ';',
        encoding: Encoding::Utf8Bom,
        crlf: true,
        quote_all: false,
        no_quoting: false,
        fallback: Cp1252Fallback::Transliterate,
    };
    let mut f = TextFile::open(sink, path, fmt)?;
    f.row(sink, &HEADER_CSV)?;
    for &ai in &order {
        let a = &city.addresses[ai];
        let st = &city.streets[a.street];
        let block = &city.blocks[a.block];
        let t = &city.stadtteile[block.stadtteil];
        f.row(
            sink,
            &[
                st.key.clone(),
                st.name.clone(),
                number_text(a),
                a.suffix.map(|c| c.to_string()).unwrap_or_default(),
                st.plz.clone(),
                block.key.clone(),
                t.def.nr.clone(),
                t.def.name.clone(),
                t.def.bezirk_nr.clone(),
                city.bezirke[t.bezirk].1.clone(),
                decimal_comma(a.x),
                decimal_comma(a.y),
            ],
        )?;
    }
    f.finish(sink)?;
    let mut e = text_entry(path, SourceKind::Gliederung, "csv", &fmt);
    e.header_variant = "A".into();
    e.header = HEADER_CSV.iter().map(|s| s.to_string()).collect();
    e.row_count = order.len() as u64;
    e.crs = Some("EPSG:25832".into());
    e.notes = "Eine Zeile je Adresse; Hausnummernbereiche wie 12-14; X/Y in EPSG:25832 mit \
               Dezimalkomma; Stadtteil- und Bezirksnummern sind eine Annahme (nicht amtlich)"
        .into();
    manifest.files.push(e);

    if order.len() <= SHEET_LIMIT {
        let xlsx = "exports/gliederung/Gliederung_Adressen.xlsx";
        let (write_path, final_path, container) = planned(ctx, xlsx, "ods");
        let mut x = XlsxFile::new(&write_path, ctx.s, false, sink)?;
        x.add_sheet("Adressen")?;
        x.header(&HEADER_SHEET, 0)?;
        for &ai in &order {
            let a = &city.addresses[ai];
            let st = &city.streets[a.street];
            let block = &city.blocks[a.block];
            let t = &city.stadtteile[block.stadtteil];
            x.row(&[
                Cell::Text(st.name.clone()),
                match a.range_end {
                    Some(_) => Cell::Text(number_text(a)),
                    None => Cell::Number(f64::from(a.number)),
                },
                Cell::Text(a.suffix.map(|c| c.to_string()).unwrap_or_default()),
                Cell::Text(st.plz.clone()),
                Cell::Text(block.key.clone()),
                Cell::Text(t.def.nr.clone()),
                Cell::Text(t.def.name.clone()),
                Cell::Text(t.def.bezirk_nr.clone()),
                Cell::Text(city.bezirke[t.bezirk].1.clone()),
                Cell::Number(a.x),
                Cell::Number(a.y),
            ])?;
        }
        let sheets = x.finish(sink)?;
        let mut e = FileEntry::new(&final_path, SourceKind::Gliederung, &container);
        e.header_variant = "B".into();
        e.header = HEADER_SHEET.iter().map(|s| s.to_string()).collect();
        e.row_count = order.len() as u64;
        e.sheets = sheets
            .into_iter()
            .map(|(name, rows)| SheetEntry { name, rows })
            .collect();
        e.duplicate_of = Some(path.to_string());
        e.crs = Some("EPSG:25832".into());
        e.notes = "Dieselben Adressen als Tabellenblatt (ohne Straßenschlüssel); Hausnummer als \
                   Zahl, Bereiche als Text; Rechtswert/Hochwert als Zahlen"
            .into();
        if ctx.office {
            e.converted_from = Some(write_path);
            e.converter = Some("LibreOffice".into());
        }
        manifest.files.push(e);
    }

    // True address table (every address, also those missing from the Gliederung export).
    let mut t = TextFile::open(sink, "truth/addresses.csv", truth_format())?;
    t.row(
        sink,
        &[
            "address_id",
            "street",
            "street_key",
            "house_number",
            "suffix",
            "range_end",
            "postcode",
            "baublock",
            "stadtteil_nr",
            "stadtbezirk_nr",
            "in_gliederung",
            "collective",
            "x",
            "y",
        ],
    )?;
    for (ai, a) in city.addresses.iter().enumerate() {
        let st = &city.streets[a.street];
        let block = &city.blocks[a.block];
        let tt = &city.stadtteile[block.stadtteil];
        t.row(
            sink,
            &[
                ai.to_string(),
                st.name.clone(),
                st.key.clone(),
                a.number.to_string(),
                a.suffix.map(|c| c.to_string()).unwrap_or_default(),
                a.range_end.map(|e| e.to_string()).unwrap_or_default(),
                st.plz.clone(),
                block.key.clone(),
                tt.def.nr.clone(),
                tt.def.bezirk_nr.clone(),
                if a.in_gliederung { "1" } else { "0" }.to_string(),
                if a.collective { "1" } else { "0" }.to_string(),
                format!("{:.2}", a.x),
                format!("{:.2}", a.y),
            ],
        )?;
    }
    t.finish(sink)?;

    write_geojson(ctx, sink, manifest)
}

fn write_geojson(ctx: &Ctx, sink: &mut dyn Sink, manifest: &mut Manifest) -> Result<(), Error> {
    let city = &ctx.city;
    // Baublöcke, EPSG:25832.
    let path = "exports/geo/baubloecke.geojson";
    let id = sink.open(path)?;
    sink.write(
        id,
        geo::collection_start("baubloecke", Crs::Utm32).as_bytes(),
    )?;
    for (i, b) in city.blocks.iter().enumerate() {
        let t = &city.stadtteile[b.stadtteil];
        let ring: Vec<(f64, f64)> = b.corners.iter().map(|&v| city.vertices[v]).collect();
        let feature = geo::feature(
            &[vec![ring]],
            &[
                ("baublock", b.key.as_str()),
                ("stadtteil_nr", t.def.nr.as_str()),
                ("stadtbezirk_nr", t.def.bezirk_nr.as_str()),
            ],
            Crs::Utm32,
        );
        if i > 0 {
            sink.write(id, b",\n")?;
        }
        sink.write(id, feature.as_bytes())?;
    }
    sink.write(id, geo::collection_end().as_bytes())?;
    sink.close(id)?;
    let mut e = FileEntry::new(path, SourceKind::GeoJson, "geojson");
    e.encoding = Some("utf-8".into());
    e.row_count = city.blocks.len() as u64;
    e.crs = Some("EPSG:25832".into());
    e.header_variant = "baublock".into();
    e.header = vec![
        "baublock".into(),
        "stadtteil_nr".into(),
        "stadtbezirk_nr".into(),
    ];
    e.notes = "FeatureCollection der Baublöcke mit altem 'crs'-Mitglied (EPSG:25832), wie \
               GIS-Exporte es schreiben; Blöcke ohne Adressen (Parks, Gewerbe) eingeschlossen"
        .into();
    manifest.files.push(e);

    // Stadtteile and Stadtbezirke, WGS84 (RFC 7946).
    let mut text = geo::collection_start("stadtteile", Crs::Wgs84);
    for (k, t) in city.stadtteile.iter().enumerate() {
        let polys = geo::union(city, &t.blocks);
        if k > 0 {
            text.push_str(",\n");
        }
        text.push_str(&geo::feature(
            &polys,
            &[
                ("stadtteil_nr", t.def.nr.as_str()),
                ("stadtteil", t.def.name.as_str()),
                ("stadtbezirk_nr", t.def.bezirk_nr.as_str()),
            ],
            Crs::Wgs84,
        ));
    }
    text.push_str(geo::collection_end());
    let path = "exports/geo/stadtteile.geojson";
    sink.put(path, text.into_bytes())?;
    let mut e = FileEntry::new(path, SourceKind::GeoJson, "geojson");
    e.encoding = Some("utf-8".into());
    e.row_count = city.stadtteile.len() as u64;
    e.crs = Some("WGS84 (RFC 7946)".into());
    e.header_variant = "stadtteil".into();
    e.header = vec![
        "stadtteil_nr".into(),
        "stadtteil".into(),
        "stadtbezirk_nr".into(),
    ];
    e.notes = "Vereinigung der Baublöcke je Stadtteil (Polygon oder MultiPolygon)".into();
    manifest.files.push(e);

    let mut text = geo::collection_start("stadtbezirke", Crs::Wgs84);
    for (b, (nr, name)) in city.bezirke.iter().enumerate() {
        let blocks: Vec<usize> = city
            .stadtteile
            .iter()
            .filter(|t| t.bezirk == b)
            .flat_map(|t| t.blocks.iter().copied())
            .collect();
        let polys = geo::union(city, &blocks);
        if b > 0 {
            text.push_str(",\n");
        }
        text.push_str(&geo::feature(
            &polys,
            &[
                ("stadtbezirk_nr", nr.as_str()),
                ("stadtbezirk", name.as_str()),
            ],
            Crs::Wgs84,
        ));
    }
    text.push_str(geo::collection_end());
    let path = "exports/geo/stadtbezirke.geojson";
    sink.put(path, text.into_bytes())?;
    let mut e = FileEntry::new(path, SourceKind::GeoJson, "geojson");
    e.encoding = Some("utf-8".into());
    e.row_count = city.bezirke.len() as u64;
    e.crs = Some("WGS84 (RFC 7946)".into());
    e.header_variant = "stadtbezirk".into();
    e.header = vec!["stadtbezirk_nr".into(), "stadtbezirk".into()];
    manifest.files.push(e);
    Ok(())
}
