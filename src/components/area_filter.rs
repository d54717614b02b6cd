//! A long table by Baublock, collapsed: at first only the sums of the Stadtbezirke and
//! Stadtteile show, and the Baublöcke of one Stadtbezirk or Stadtteil open on choosing it.
//! Only the display changes; the downloads hold the whole table.

use leptos::prelude::*;

use crate::protocol::RowView;

/// Where a row stands in a table whose one label column nests areas: Stadtbezirk (depth 0),
/// Stadtteil (depth 1), Baublock (depth 2), each sum row above its parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// The sum of a Stadtbezirk (its index).
    District(usize),
    /// The sum of a Stadtteil (its index) in a Stadtbezirk.
    Part(usize, usize),
    /// A Baublock of a Stadtteil (index) in a Stadtbezirk.
    Block(usize, usize),
    /// Outside every Stadtbezirk: the total.
    Total,
}

/// What the analyst chose to see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AreaChoice {
    /// The sums of Stadtbezirke and Stadtteile, no Baublock (at first).
    #[default]
    Sums,
    /// One Stadtbezirk (index) with its Stadtteile and Baublöcke.
    District(usize),
    /// One Stadtteil (index) with its Baublöcke, below the sum of its Stadtbezirk.
    Part(usize),
    /// Every row.
    All,
}

/// The areas of a table by Baublock: Stadtbezirke, Stadtteile, and where each row stands.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaOutline {
    places: Vec<Place>,
    /// Labels of the Stadtbezirke.
    pub districts: Vec<String>,
    /// Stadtbezirk (index) and label of each Stadtteil.
    pub parts: Vec<(usize, String)>,
}

impl AreaOutline {
    /// The outline of rows with one label column nested down to Baublöcke (depth 2); `None`
    /// for any other table.
    pub fn of(label_cols: usize, rows: &[RowView]) -> Option<AreaOutline> {
        let depth = |row: &RowView| row.labels.first().map_or(0, |(_, d)| *d);
        if label_cols != 1 || !rows.iter().any(|r| depth(r) >= 2) {
            return None;
        }
        let mut outline = AreaOutline {
            places: Vec::with_capacity(rows.len()),
            districts: Vec::new(),
            parts: Vec::new(),
        };
        let label = |row: &RowView| {
            row.labels
                .first()
                .map(|(l, _)| l.clone())
                .unwrap_or_default()
        };
        let mut district = None;
        let mut part = None;
        for (i, row) in rows.iter().enumerate() {
            let place = match depth(row) {
                // The last row is the total; every other top row a Stadtbezirk, also one shown
                // without parts ("Adresse nicht zugeordnet", whose parts only repeat it).
                0 if i + 1 < rows.len() => {
                    outline.districts.push(label(row));
                    district = Some(outline.districts.len() - 1);
                    part = None;
                    Place::District(outline.districts.len() - 1)
                }
                0 => {
                    district = None;
                    part = None;
                    Place::Total
                }
                1 => match district {
                    Some(d) => {
                        outline.parts.push((d, label(row)));
                        part = Some(outline.parts.len() - 1);
                        Place::Part(d, outline.parts.len() - 1)
                    }
                    None => Place::Total,
                },
                _ => match (district, part) {
                    (Some(d), Some(p)) => Place::Block(d, p),
                    _ => Place::Total,
                },
            };
            outline.places.push(place);
        }
        Some(outline)
    }

    /// True if row `row` shows under `choice` (the total always does).
    pub fn shows(&self, row: usize, choice: AreaChoice) -> bool {
        let place = self.places.get(row).copied().unwrap_or(Place::Total);
        match (choice, place) {
            (_, Place::Total) | (AreaChoice::All, _) => true,
            (AreaChoice::Sums, Place::Block(..)) => false,
            (AreaChoice::Sums, _) => true,
            (
                AreaChoice::District(d),
                Place::District(e) | Place::Part(e, _) | Place::Block(e, _),
            ) => d == e,
            (AreaChoice::Part(p), Place::District(d)) => {
                self.parts.get(p).is_some_and(|(e, _)| *e == d)
            }
            (AreaChoice::Part(p), Place::Part(_, q) | Place::Block(_, q)) => p == q,
        }
    }

    /// Number of Baublock rows.
    pub fn blocks(&self) -> usize {
        self.places
            .iter()
            .filter(|p| matches!(p, Place::Block(..)))
            .count()
    }
}

/// The choice of Stadtbezirk and Stadtteil above a table by Baublock.
#[component]
pub fn AreaFilter(
    /// The table's areas.
    outline: AreaOutline,
    /// The choice, read by the table's rows.
    choice: RwSignal<AreaChoice>,
    /// Key of the table (for unique ids).
    key: String,
) -> impl IntoView {
    let district_id = format!("bezirk-{key}");
    let part_id = format!("stadtteil-{key}");
    let blocks = outline.blocks();
    let districts = outline
        .districts
        .iter()
        .enumerate()
        .map(|(i, d)| view! { <option value=i.to_string()>{d.clone()}</option> })
        .collect_view();
    let parts = StoredValue::new(outline.parts.clone());
    let chosen_district = move || match choice.get() {
        AreaChoice::District(d) => Some(d),
        AreaChoice::Part(p) => parts.with_value(|all| all.get(p).map(|(d, _)| *d)),
        AreaChoice::Sums | AreaChoice::All => None,
    };
    let part_options = move || {
        chosen_district().map(|d| {
            parts.with_value(|all| {
                all.iter()
                    .enumerate()
                    .filter(|(_, (e, _))| *e == d)
                    .map(|(i, (_, label))| {
                        view! { <option value=i.to_string()>{label.clone()}</option> }
                    })
                    .collect_view()
            })
        })
    };
    let district_value = move || match choice.get() {
        AreaChoice::Sums => "summen".to_owned(),
        AreaChoice::All => "alle".to_owned(),
        _ => chosen_district().map(|d| d.to_string()).unwrap_or_default(),
    };
    let part_value = move || match choice.get() {
        AreaChoice::Part(p) => p.to_string(),
        _ => String::new(),
    };
    let on_district = move |ev| {
        let value = event_target_value(&ev);
        choice.set(match value.as_str() {
            "alle" => AreaChoice::All,
            v => v.parse().map_or(AreaChoice::Sums, AreaChoice::District),
        });
    };
    let on_part = move |ev| {
        let value = event_target_value(&ev);
        let district = chosen_district();
        choice.set(match (value.parse(), district) {
            (Ok(p), _) => AreaChoice::Part(p),
            (Err(_), Some(d)) => AreaChoice::District(d),
            (Err(_), None) => AreaChoice::Sums,
        });
    };
    view! {
        <div class="area-filter" data-testid="area-filter">
            <label for=district_id.clone()>"Baublöcke zeigen für Stadtbezirk"</label>
            <select id=district_id data-testid="area-district" prop:value=district_value on:change=on_district>
                <option value="summen">{format!("– keinen (nur Summen, {blocks} Baublock-Zeilen eingeklappt) –")}</option>
                {districts}
                <option value="alle">"alle Stadtbezirke (ganze Tabelle)"</option>
            </select>
            <label for=part_id.clone()>"Stadtteil"</label>
            <select
                id=part_id
                data-testid="area-part"
                prop:value=part_value
                disabled=move || chosen_district().is_none()
                on:change=on_part
            >
                <option value="">"alle Stadtteile des Bezirks"</option>
                {part_options}
            </select>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, depth: u8) -> RowView {
        RowView {
            labels: vec![(label.into(), depth)],
            values: vec!["1".into()],
            margin: depth < 2,
        }
    }

    /// Two Stadtbezirke with Stadtteile and Baublöcke, the unlocated addresses (once: its
    /// Stadtteil and Baublock only repeat it), the total.
    fn rows() -> Vec<RowView> {
        vec![
            row("Mitte", 0),
            row("Altstadt", 1),
            row("101001", 2),
            row("101002 und 101003", 2),
            row("Bismarck", 1),
            row("102001", 2),
            row("Nord", 0),
            row("Buer", 1),
            row("201001", 2),
            row("Adresse nicht zugeordnet", 0),
            row("Gelsenkirchen", 0),
        ]
    }

    fn shown(outline: &AreaOutline, choice: AreaChoice) -> Vec<String> {
        rows()
            .iter()
            .enumerate()
            .filter(|(i, _)| outline.shows(*i, choice))
            .map(|(_, r)| r.labels[0].0.clone())
            .collect()
    }

    #[test]
    fn a_table_by_baublock_starts_with_the_sums_and_opens_by_area() {
        let outline = AreaOutline::of(1, &rows()).expect("nested to Baublöcke");
        assert_eq!(
            outline.districts,
            ["Mitte", "Nord", "Adresse nicht zugeordnet"]
        );
        assert_eq!(outline.parts.len(), 3);
        assert_eq!(outline.blocks(), 4);
        assert_eq!(
            shown(&outline, AreaChoice::Sums),
            [
                "Mitte",
                "Altstadt",
                "Bismarck",
                "Nord",
                "Buer",
                "Adresse nicht zugeordnet",
                "Gelsenkirchen"
            ]
        );
        assert_eq!(
            shown(&outline, AreaChoice::District(1)),
            ["Nord", "Buer", "201001", "Gelsenkirchen"]
        );
        assert_eq!(
            shown(&outline, AreaChoice::Part(1)),
            ["Mitte", "Bismarck", "102001", "Gelsenkirchen"]
        );
        assert_eq!(shown(&outline, AreaChoice::All).len(), rows().len());
        // The unlocated addresses, a Stadtbezirk without parts, alone.
        assert_eq!(
            shown(&outline, AreaChoice::District(2)),
            ["Adresse nicht zugeordnet", "Gelsenkirchen"]
        );
    }

    #[test]
    fn other_tables_have_no_outline() {
        let by_stadtteil: Vec<RowView> = rows().into_iter().filter(|r| r.labels[0].1 < 2).collect();
        assert_eq!(AreaOutline::of(1, &by_stadtteil), None);
        assert_eq!(AreaOutline::of(2, &rows()), None);
    }
}
