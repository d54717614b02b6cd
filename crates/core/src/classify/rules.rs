//! The rules table: legal basis -> category and sub-category, with fallbacks from the
//! `Aufenthaltsart` text and a documented priority for conflicts. The shipped default is
//! `data/rules.toml`; a user's file replaces it ([`Rules::from_toml`]).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::Category;
use super::legal_basis::{Absatz, Law, LegalBasis, Paragraph};
use super::protection::ProtectionForm;
use super::values::ValueMappings;
use crate::text::fold;

/// The shipped rules (`crates/core/data/rules.toml`).
pub const DEFAULT_RULES_TOML: &str = include_str!("../../data/rules.toml");

/// Switch: § 104c AufenthG counts as a refugee (own sub-category under `Humanitaer`).
pub const SWITCH_104C: &str = "section_104c_refugee";

/// Switch: permanent humanitarian titles (§ 26 Abs. 3 and 4, § 23 Abs. 2) count as refugees
/// (`Humanitaer`, own sub-categories).
pub const SWITCH_PERMANENT: &str = "permanent_humanitarian_refugee";

/// Switch: the "Spurwechsel" titles of former Geduldete (§ 16g, § 19d) count as refugees
/// (`Humanitaer`); off (the default) they are `kein Fluechtling` with own sub-categories.
pub const SWITCH_SPURWECHSEL: &str = "spurwechsel_refugee";

/// Switch: a Fiktionsbescheinigung (§ 81 AufenthG) whose value names the applied-for title
/// ("… i. V. m. § 25 Abs. 2 AufenthG") counts in that title's category if it is humanitarian
/// (sub-category [`FICTION_SUB_CATEGORY`]); off (the default) a § 81 needs a decision.
pub const SWITCH_FICTION: &str = "fiction_humanitarian_refugee";

/// Sub-category of a Fiktionsbescheinigung for a humanitarian title under [`SWITCH_FICTION`].
pub const FICTION_SUB_CATEGORY: &str = "Fiktionsbescheinigung (§ 81) für einen humanitären Titel";

/// Switch: the Aufenthaltsart wins over the legal basis in a conflict.
pub const SWITCH_RESIDENCE_KIND_WINS: &str = "residence_kind_wins";

/// A switch of the shipped rules as the app shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SwitchInfo {
    /// Name in `[settings]`.
    pub name: &'static str,
    /// German label: what the switch decides, with its legal source.
    pub label: &'static str,
}

/// The switches of the shipped rules, in the order the app shows them.
pub const SWITCHES: [SwitchInfo; 5] = [
    SwitchInfo {
        name: SWITCH_104C,
        label: "§ 104c AufenthG (Chancen-Aufenthaltsrecht) zählt als Flüchtling",
    },
    SwitchInfo {
        name: SWITCH_PERMANENT,
        label: "Niederlassungserlaubnis aus humanitären Gründen (§ 26 Abs. 3, 4) und § 23 Abs. 2 \
                zählen als Flüchtling",
    },
    SwitchInfo {
        name: SWITCH_SPURWECHSEL,
        label: "Spurwechsel (§ 16g, § 19d AufenthG) zählt als Flüchtling",
    },
    SwitchInfo {
        name: SWITCH_FICTION,
        label: "Fiktion für einen humanitären Titel zählt als Flüchtling (§ 81 AufenthG i. V. m. \
                dem beantragten Titel)",
    },
    SwitchInfo {
        name: SWITCH_RESIDENCE_KIND_WINS,
        label: "Bei Widerspruch entscheidet die Aufenthaltsart statt des Erteilungsgrunds",
    },
];

/// The sub-category of legal bases that a table cannot name in advance: those matched by a
/// rule for a range of paragraphs or a whole law without an own sub-category.
pub const OTHER_LEGAL_BASES: &str = "übrige Rechtsgrundlagen";

/// Which paragraphs a rule covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Paragraphs {
    /// Every paragraph of the law.
    Any,
    /// Paragraph numbers in a range, with any letter.
    Range(u16, u16),
    /// One paragraph.
    Exact(Paragraph),
}

/// One rule of the table.
#[derive(Clone, Debug)]
struct Rule {
    law: Law,
    paragraphs: Paragraphs,
    absatz: Option<Absatz>,
    satz: Option<u8>,
    nummer: Option<u8>,
    alternative: Option<u8>,
    category: Category,
    sub_category: Option<String>,
    switch: Option<(String, Category)>,
    protection: Option<ProtectionForm>,
}

impl Rule {
    fn matches(&self, basis: &LegalBasis) -> bool {
        let paragraph = match self.paragraphs {
            Paragraphs::Any => true,
            Paragraphs::Range(from, to) => (from..=to).contains(&basis.paragraph.number),
            Paragraphs::Exact(p) => p == basis.paragraph,
        };
        self.law == basis.law
            && paragraph
            && self.absatz.is_none_or(|a| basis.absatz == Some(a))
            && self.satz.is_none_or(|s| basis.satz == Some(s))
            && self.nummer.is_none_or(|n| basis.nummer == Some(n))
            && self
                .alternative
                .is_none_or(|a| basis.alternative == Some(a))
    }

    /// Higher is more specific: single paragraph > range > whole law, then Absatz, then Satz,
    /// then Nummer, then Alternative.
    fn specificity(&self) -> (u8, bool, bool, bool, bool) {
        let rank = match self.paragraphs {
            Paragraphs::Any => 0,
            Paragraphs::Range(..) => 1,
            Paragraphs::Exact(_) => 2,
        };
        (
            rank,
            self.absatz.is_some(),
            self.satz.is_some(),
            self.nummer.is_some(),
            self.alternative.is_some(),
        )
    }

    /// The sub-category label for a matching legal basis.
    fn sub_category_for(&self, basis: &LegalBasis) -> String {
        if let Some(label) = &self.sub_category {
            return label.clone();
        }
        let prefix = if basis.law == Law::Arb180 {
            "Art."
        } else {
            "§"
        };
        let mut label = match self.paragraphs {
            Paragraphs::Exact(p) => format!("{prefix} {p}"),
            Paragraphs::Any | Paragraphs::Range(..) => format!("{prefix} {}", basis.paragraph),
        };
        if let Some(a) = self.absatz {
            label.push_str(&format!(" Abs. {a}"));
        }
        if let Some(s) = self.satz {
            label.push_str(&format!(" S. {s}"));
        }
        if let Some(n) = self.nummer {
            label.push_str(&format!(" Nr. {n}"));
        }
        if let Some(a) = self.alternative {
            label.push_str(&format!(" Alt. {a}"));
        }
        if basis.law != Law::AufenthG {
            label.push(' ');
            label.push_str(basis.law.name());
        }
        label
    }

    /// The sub-category label the rule gives every legal basis it matches, if it is the same
    /// for all of them (an own label, or a single paragraph); `None` for a range or a whole law
    /// without an own label, whose label depends on the paragraph of the record.
    fn fixed_sub_category(&self) -> Option<String> {
        if self.sub_category.is_none() && !matches!(self.paragraphs, Paragraphs::Exact(_)) {
            return None;
        }
        let Paragraphs::Exact(paragraph) = self.paragraphs else {
            return self.sub_category.clone();
        };
        Some(self.sub_category_for(&LegalBasis {
            law: self.law,
            paragraph,
            cited_as_asylvfg: false,
            absatz: self.absatz,
            satz: self.satz,
            nummer: self.nummer,
            nummer_letter: None,
            buchstabe: None,
            alternative: self.alternative,
        }))
    }

    /// The category in force under `switches`.
    fn category_under(&self, switches: &BTreeMap<String, bool>) -> Category {
        match &self.switch {
            Some((name, off)) if switches.get(name) == Some(&false) => *off,
            _ => self.category,
        }
    }

    fn describe(&self) -> String {
        let mut text = match self.paragraphs {
            Paragraphs::Any => String::new(),
            Paragraphs::Range(a, b) => format!("§§ {a}-{b} "),
            Paragraphs::Exact(p) => format!("§ {p} "),
        };
        if let Some(a) = self.absatz {
            text.push_str(&format!("Abs. {a} "));
        }
        if let Some(s) = self.satz {
            text.push_str(&format!("S. {s} "));
        }
        if let Some(n) = self.nummer {
            text.push_str(&format!("Nr. {n} "));
        }
        if let Some(a) = self.alternative {
            text.push_str(&format!("Alt. {a} "));
        }
        text.push_str(self.law.name());
        text
    }
}

/// A legal-basis value read as one citation, or as a citation "in Verbindung mit" another
/// (both must be readable); `None` if it cannot be read.
fn parse_with_reference(text: &str) -> Option<(LegalBasis, Option<LegalBasis>)> {
    if let Some(basis) = LegalBasis::parse(text) {
        return Some((basis, None));
    }
    let (first, second) = super::legal_basis::split_reference(text)?;
    Some((LegalBasis::parse(first)?, Some(LegalBasis::parse(second)?)))
}

/// A fallback entry for an Aufenthaltsart text.
#[derive(Clone, Debug)]
struct ResidenceKindRule {
    category: Category,
    sub_category: String,
    compatible: Vec<Category>,
}

/// The classification rules: legal-basis rules, Aufenthaltsart fallbacks and switches.
#[derive(Clone, Debug)]
pub struct Rules {
    rules: Vec<Rule>,
    residence_kinds: Vec<ResidenceKindRule>,
    /// Normalised Aufenthaltsart text -> index into `residence_kinds`.
    kind_index: BTreeMap<String, usize>,
    switches: BTreeMap<String, bool>,
    /// The office's mapping of unreadable values to citations.
    values: ValueMappings,
}

impl Default for Rules {
    /// The shipped rules.
    fn default() -> Self {
        Rules::from_toml(DEFAULT_RULES_TOML).unwrap_or_else(|_| Rules {
            rules: Vec::new(),
            residence_kinds: Vec::new(),
            kind_index: BTreeMap::new(),
            switches: BTreeMap::new(),
            values: ValueMappings::default(),
        })
    }
}

/// How the legal basis of a record turned out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BasisOutcome {
    /// No legal basis given.
    Empty,
    /// Text that is not a readable citation.
    Unparsable,
    /// A readable citation no rule covers.
    NoRule(LegalBasis),
    /// A readable citation with a rule.
    Rule(LegalBasis),
}

/// What decided a record's category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DecidedBy {
    /// A rule for the legal basis (Erteilungsgrund).
    LegalBasis,
    /// The Aufenthaltsart fallback.
    ResidenceKind,
    /// Nothing: the record stays unclassified ("nicht zugeordnet").
    Nothing,
}

/// The classification of one (Aufenthaltsart, Erteilungsgrund) pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classification {
    /// The category; `None` = not classified (needs mapping).
    pub category: Option<Category>,
    /// Sub-category label (`§ 25 Abs. 2`); empty if not classified.
    pub sub_category: String,
    /// What decided.
    pub decided_by: DecidedBy,
    /// The legal basis as read.
    pub basis: BasisOutcome,
    /// In a conflict: the category of the side that lost (legal basis and Aufenthaltsart
    /// disagree).
    pub conflict_with: Option<Category>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    settings: BTreeMap<String, bool>,
    #[serde(default)]
    rule: Vec<RuleRow>,
    #[serde(default)]
    residence_kind: Vec<ResidenceKindRow>,
}

/// A TOML value written as text or as a number (`absatz = 2` or `absatz = "4a"`).
#[derive(Deserialize)]
#[serde(untagged)]
enum TextOrNumber {
    Text(String),
    Number(i64),
}

impl TextOrNumber {
    fn text(&self) -> String {
        match self {
            TextOrNumber::Text(t) => t.trim().to_string(),
            TextOrNumber::Number(n) => n.to_string(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleRow {
    law: String,
    paragraph: Option<TextOrNumber>,
    absatz: Option<TextOrNumber>,
    satz: Option<i64>,
    nummer: Option<i64>,
    alternative: Option<i64>,
    category: String,
    sub_category: Option<String>,
    schutzstatus: Option<String>,
    switch: Option<String>,
    category_off: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResidenceKindRow {
    texts: Vec<String>,
    category: String,
    sub_category: String,
    #[serde(default)]
    compatible: Vec<String>,
}

fn category(text: &str, context: &str) -> Result<Category, String> {
    Category::from_code(text).ok_or_else(|| {
        let known: Vec<&str> = Category::ALL.iter().map(|c| c.code()).collect();
        format!(
            "{context}: unbekannte Kategorie „{text}“ (erlaubt: {})",
            known.join(", ")
        )
    })
}

fn paragraphs(text: &str, context: &str) -> Result<Paragraphs, String> {
    if let Some((from, to)) = text.split_once('-') {
        let bound = |t: &str| {
            t.trim()
                .parse::<u16>()
                .ok()
                .filter(|n| (1..=999).contains(n))
        };
        return match (bound(from), bound(to)) {
            (Some(a), Some(b)) if a <= b => Ok(Paragraphs::Range(a, b)),
            _ => Err(format!(
                "{context}: Paragraphenbereich „{text}“ ist nicht von-bis (z. B. \"16-21\")"
            )),
        };
    }
    Paragraph::parse(text)
        .map(Paragraphs::Exact)
        .ok_or_else(|| {
            format!("{context}: Paragraph „{text}“ nicht lesbar (z. B. \"25\", \"60a\")")
        })
}

impl Rules {
    /// Parses a rules file (format of `data/rules.toml`). Errors are German messages naming
    /// the rule.
    pub fn from_toml(text: &str) -> Result<Rules, String> {
        let file: RulesFile =
            toml::from_str(text).map_err(|e| crate::text::toml_error("Regeldatei", text, &e))?;
        let mut rules: Vec<Rule> = Vec::new();
        for (i, row) in file.rule.iter().enumerate() {
            let context = format!("Regel {} (law = \"{}\")", i + 1, row.law);
            let (law, _) = Law::from_name(&row.law).ok_or_else(|| {
                let known: Vec<&str> = Law::ALL.iter().map(|l| l.name()).collect();
                format!(
                    "{context}: unbekanntes Gesetz (erlaubt: {}, AsylVfG)",
                    known.join(", ")
                )
            })?;
            let paragraphs = match &row.paragraph {
                Some(p) => paragraphs(&p.text(), &context)?,
                None => Paragraphs::Any,
            };
            let absatz = match &row.absatz {
                Some(a) => Some(Absatz::parse(&a.text()).ok_or_else(|| {
                    format!(
                        "{context}: Absatz „{}“ nicht lesbar (z. B. \"2\", \"4a\")",
                        a.text()
                    )
                })?),
                None => None,
            };
            let small = |value: Option<i64>, what: &str| -> Result<Option<u8>, String> {
                value
                    .map(|v| {
                        u8::try_from(v)
                            .ok()
                            .filter(|v| (1..=99).contains(v))
                            .ok_or_else(|| format!("{context}: {what} {v} liegt nicht in 1..99"))
                    })
                    .transpose()
            };
            let satz = small(row.satz, "Satz")?;
            let nummer = small(row.nummer, "Nummer")?;
            let alternative = small(row.alternative, "Alternative")?;
            let parts = [
                absatz.is_some(),
                satz.is_some(),
                nummer.is_some(),
                alternative.is_some(),
            ];
            if parts.contains(&true) && !matches!(paragraphs, Paragraphs::Exact(_)) {
                return Err(format!(
                    "{context}: Absatz, Satz, Nummer und Alternative nur bei einem einzelnen \
                     Paragraphen"
                ));
            }
            let category = category(&row.category, &context)?;
            let switch = match (&row.switch, &row.category_off) {
                (Some(name), Some(off)) => {
                    if !file.settings.contains_key(name) {
                        return Err(format!("{context}: Schalter „{name}“ fehlt in [settings]"));
                    }
                    Some((name.clone(), self::category(off, &context)?))
                }
                (None, None) => None,
                _ => {
                    return Err(format!(
                        "{context}: switch und category_off nur zusammen angeben"
                    ));
                }
            };
            let sub_category = row
                .sub_category
                .as_ref()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty());
            let rule = Rule {
                law,
                paragraphs,
                absatz,
                satz,
                nummer,
                alternative,
                category,
                sub_category,
                switch,
                protection: None,
            };
            let rule = match &row.schutzstatus {
                Some(key) => {
                    let form = ProtectionForm::from_key(key.trim()).ok_or_else(|| {
                        let known: Vec<&str> =
                            ProtectionForm::ALL.iter().map(|f| f.key()).collect();
                        format!(
                            "{context}: unbekannter Schutzstatus „{key}“ (erlaubt: {})",
                            known.join(", ")
                        )
                    })?;
                    if !form.fits(rule.category) {
                        return Err(format!(
                            "{context}: Schutzstatus „{key}“ passt nicht zur Kategorie „{}“",
                            rule.category.code()
                        ));
                    }
                    if rule.fixed_sub_category().is_none() {
                        return Err(format!(
                            "{context}: schutzstatus nur bei einer Regel mit fester \
                             Unterkategorie (ein einzelner Paragraph oder eine eigene \
                             sub_category)"
                        ));
                    }
                    Rule {
                        protection: Some(form),
                        ..rule
                    }
                }
                None => rule,
            };
            for (j, other) in rules.iter().enumerate() {
                let same_parts = other.law == rule.law
                    && other.absatz == rule.absatz
                    && other.satz == rule.satz
                    && other.nummer == rule.nummer
                    && other.alternative == rule.alternative;
                let clash = match (other.paragraphs, rule.paragraphs) {
                    (Paragraphs::Range(a, b), Paragraphs::Range(c, d)) => a <= d && c <= b,
                    (x, y) => x == y,
                };
                if same_parts && clash {
                    return Err(format!(
                        "{context}: überschneidet sich mit Regel {} ({}); welche gilt, wäre nicht eindeutig",
                        j + 1,
                        other.describe()
                    ));
                }
            }
            rules.push(rule);
        }
        let mut residence_kinds = Vec::new();
        let mut kind_index = BTreeMap::new();
        for (i, row) in file.residence_kind.iter().enumerate() {
            let context = format!("Aufenthaltsart {} ({})", i + 1, row.texts.join(", "));
            if row.texts.is_empty() {
                return Err(format!("{context}: texts ist leer"));
            }
            let category = category(&row.category, &context)?;
            let compatible = row
                .compatible
                .iter()
                .map(|c| self::category(c, &context))
                .collect::<Result<Vec<_>, _>>()?;
            for text in &row.texts {
                let key = fold(text);
                if key.is_empty() {
                    return Err(format!("{context}: leere Schreibweise"));
                }
                if kind_index.insert(key, i).is_some() {
                    return Err(format!(
                        "{context}: Schreibweise „{text}“ kommt doppelt vor"
                    ));
                }
            }
            residence_kinds.push(ResidenceKindRule {
                category,
                sub_category: row.sub_category.trim().to_string(),
                compatible,
            });
        }
        Ok(Rules {
            rules,
            residence_kinds,
            kind_index,
            switches: file.settings,
            values: ValueMappings::default(),
        })
    }

    /// The shipped default rules.
    pub fn shipped() -> Rules {
        Rules::default()
    }

    /// Number of legal-basis rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// True if there are no legal-basis rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The value of a switch from `[settings]`.
    pub fn switch(&self, name: &str) -> Option<bool> {
        self.switches.get(name).copied()
    }

    /// Every switch of the rules file with its state, in the order of [`SWITCHES`] (known
    /// ones first, then the file's own in name order).
    pub fn switches(&self) -> Vec<(String, bool)> {
        let known = SWITCHES.iter().map(|s| s.name);
        let mut out: Vec<(String, bool)> = known
            .filter_map(|name| Some((name.to_owned(), self.switch(name)?)))
            .collect();
        for (name, on) in &self.switches {
            if !SWITCHES.iter().any(|s| s.name == name) {
                out.push((name.clone(), *on));
            }
        }
        out
    }

    /// Sets a switch (e.g. [`SWITCH_104C`]); any name is accepted, unknown names simply have no
    /// rule that refers to them.
    pub fn set_switch(&mut self, name: &str, on: bool) {
        self.switches.insert(name.to_string(), on);
    }

    /// The category and sub-category the most specific matching rule gives, if any.
    pub fn rule_for(&self, basis: &LegalBasis) -> Option<(Category, String)> {
        let rule = self
            .rules
            .iter()
            .filter(|r| r.matches(basis))
            .max_by_key(|r| r.specificity())?;
        Some((
            rule.category_under(&self.switches),
            rule.sub_category_for(basis),
        ))
    }

    /// Every sub-category the rules can give a refugee category, in the order of the rules
    /// file (legal-basis rules, then Aufenthaltsarten), each once; [`OTHER_LEGAL_BASES`] last
    /// for a category that has a rule for a range of paragraphs or a whole law without an own
    /// sub-category. These are the rows of a table by legal basis: fixed by the rules, so
    /// that a row's presence never tells that someone holds that title.
    pub fn refugee_sub_categories(&self) -> Vec<(Category, String)> {
        let mut out: Vec<(Category, String)> = Vec::new();
        let mut other: Vec<Category> = Vec::new();
        let fixed = self
            .rules
            .iter()
            .map(|r| (r.category_under(&self.switches), r.fixed_sub_category()))
            .chain(
                self.residence_kinds
                    .iter()
                    .map(|k| (k.category, Some(k.sub_category.clone()))),
            );
        for (category, sub) in fixed {
            if !category.is_refugee() {
                continue;
            }
            match sub.filter(|s| !s.is_empty()) {
                Some(sub) if !out.contains(&(category, sub.clone())) => out.push((category, sub)),
                Some(_) => {}
                None => other.push(category),
            }
        }
        if self.switch(SWITCH_FICTION) == Some(true) {
            out.push((Category::Humanitaer, FICTION_SUB_CATEGORY.to_owned()));
        }
        for category in Category::ALL {
            if other.contains(&category) {
                out.push((category, OTHER_LEGAL_BASES.to_string()));
            }
        }
        out
    }

    /// The form of protection of refugees of `category` with the sub-category `sub`: the
    /// one a rule with that sub-category names, else the category's default; `None` for
    /// categories that are not refugees.
    pub fn protection_form(&self, category: Category, sub: &str) -> Option<ProtectionForm> {
        self.rules
            .iter()
            .filter(|r| r.category_under(&self.switches) == category)
            .filter(|r| r.fixed_sub_category().as_deref() == Some(sub))
            .find_map(|r| r.protection)
            .filter(|form| form.fits(category))
            .or_else(|| ProtectionForm::default_for(category))
    }

    /// Under [`SWITCH_FICTION`], the category of a Fiktionsbescheinigung (§ 81 AufenthG)
    /// whose `reference` (the applied-for title) a rule makes humanitarian.
    fn fiction_for(
        &self,
        basis: &LegalBasis,
        reference: Option<&LegalBasis>,
    ) -> Option<(Category, String)> {
        let fiction = basis.law == Law::AufenthG
            && basis.paragraph
                == Paragraph {
                    number: 81,
                    letter: None,
                };
        if !fiction || self.switch(SWITCH_FICTION) != Some(true) {
            return None;
        }
        let (category, _) = self.rule_for(reference?)?;
        (category == Category::Humanitaer)
            .then(|| (Category::Humanitaer, FICTION_SUB_CATEGORY.to_owned()))
    }

    /// The rules with the office's mapping of Erteilungsgrund values to citations: a mapped
    /// value is decided as if the record held the citation.
    pub fn with_values(mut self, values: ValueMappings) -> Rules {
        self.values = values;
        self
    }

    /// The office's mapping of Erteilungsgrund values.
    pub fn values(&self) -> &ValueMappings {
        &self.values
    }

    /// The fallback entry for an Aufenthaltsart text.
    fn residence_kind(&self, text: &str) -> Option<&ResidenceKindRule> {
        let key = fold(text);
        self.kind_index
            .get(&key)
            .and_then(|&i| self.residence_kinds.get(i))
    }

    /// Whether an Aufenthaltsart text has a fallback entry.
    pub fn knows_residence_kind(&self, text: &str) -> bool {
        self.residence_kind(text).is_some()
    }

    /// Classifies one record by its Aufenthaltsart and Erteilungsgrund texts, by the priority of
    /// `docs/klassifikation.md`: the most specific legal-basis rule, else the Aufenthaltsart,
    /// else unclassified; conflicts go to the legal basis unless [`SWITCH_RESIDENCE_KIND_WINS`].
    pub fn classify(&self, residence_kind: &str, legal_basis: &str) -> Classification {
        let legal_basis = legal_basis.trim();
        let mapped = self.values.get(legal_basis).map(|b| (*b, None));
        let (basis, by_rule) = if legal_basis.is_empty() {
            (BasisOutcome::Empty, None)
        } else {
            match mapped.or_else(|| parse_with_reference(legal_basis)) {
                None => (BasisOutcome::Unparsable, None),
                Some((b, reference)) => match self.fiction_for(&b, reference.as_ref()) {
                    Some(found) => (BasisOutcome::Rule(b), Some(found)),
                    None => match self.rule_for(&b) {
                        Some(found) => (BasisOutcome::Rule(b), Some(found)),
                        None => (BasisOutcome::NoRule(b), None),
                    },
                },
            }
        };
        let by_kind = self.residence_kind(residence_kind);
        let kind_wins = self.switch(SWITCH_RESIDENCE_KIND_WINS) == Some(true);
        let unclassified = Classification {
            category: None,
            sub_category: String::new(),
            decided_by: DecidedBy::Nothing,
            basis,
            conflict_with: None,
        };
        match (by_rule, by_kind) {
            (Some((category, sub_category)), Some(kind)) => {
                let conflict = kind.category != category && !kind.compatible.contains(&category);
                if conflict && kind_wins {
                    Classification {
                        category: Some(kind.category),
                        sub_category: kind.sub_category.clone(),
                        decided_by: DecidedBy::ResidenceKind,
                        conflict_with: Some(category),
                        ..unclassified
                    }
                } else {
                    Classification {
                        category: Some(category),
                        sub_category,
                        decided_by: DecidedBy::LegalBasis,
                        conflict_with: conflict.then_some(kind.category),
                        ..unclassified
                    }
                }
            }
            (Some((category, sub_category)), None) => Classification {
                category: Some(category),
                sub_category,
                decided_by: DecidedBy::LegalBasis,
                ..unclassified
            },
            (None, Some(kind)) => Classification {
                category: Some(kind.category),
                sub_category: kind.sub_category.clone(),
                decided_by: DecidedBy::ResidenceKind,
                ..unclassified
            },
            (None, None) => unclassified,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(rules: &Rules, kind: &str, basis: &str) -> (Option<&'static str>, String) {
        let c = rules.classify(kind, basis);
        (c.category.map(Category::code), c.sub_category)
    }

    fn some(code: &'static str, sub: &str) -> (Option<&'static str>, String) {
        (Some(code), sub.to_string())
    }

    #[test]
    fn the_shipped_rules_parse() {
        let rules = Rules::from_toml(DEFAULT_RULES_TOML).unwrap();
        assert!(rules.len() > 40);
        assert_eq!(rules.switch(SWITCH_104C), Some(true));
        assert_eq!(rules.switch(SWITCH_RESIDENCE_KIND_WINS), Some(false));
        assert!(Rules::default().len() == rules.len());
    }

    #[test]
    fn the_four_categories_and_their_sub_categories() {
        let r = Rules::default();
        let e = "Aufenthaltserlaubnis";
        assert_eq!(
            class(&r, "Ankunftsnachweis", "§ 63a AsylG"),
            some("Ankunftsnachweis", "§ 63a AsylG")
        );
        assert_eq!(
            class(&r, "Aufenthaltsgestattung", "§ 55 Abs. 1 AsylG"),
            some("Gestattung", "§ 55 AsylG")
        );
        assert_eq!(
            class(&r, "Aufenthaltsgestattung", "§ 55 AsylVfG"),
            some("Gestattung", "§ 55 AsylG")
        );
        assert_eq!(
            class(&r, "Duldung", "§ 60a Abs. 2 S. 1 AufenthG"),
            some("Duldung", "§ 60a")
        );
        assert_eq!(
            class(&r, "Duldung", "60 a AufenthG"),
            some("Duldung", "§ 60a")
        );
        for p in ["60b", "60c", "60d"] {
            assert_eq!(
                class(&r, "Duldung", &format!("§ {p} Abs. 1 AufenthG")),
                some("Duldung", &format!("§ {p}"))
            );
        }
        assert_eq!(
            class(&r, "Duldung", "§ 55 Abs. 2 AuslG"),
            some("Duldung", "§ 55 AuslG")
        );
        for (basis, sub) in [
            ("25 II AufenthG", "§ 25 Abs. 2"),
            (
                "§ 25 Abs. 2 S. 1 Alt. 2 AufenthG",
                "§ 25 Abs. 2 Alt. 2 (subsidiärer Schutz)",
            ),
            ("25 IVa AufenthG", "§ 25 Abs. 4a"),
            ("§ 25 Abs. 4b AufenthG", "§ 25 Abs. 4b"),
            ("§ 25 AufenthG", "§ 25"),
            ("§ 23 Abs. 1 S. 1 AufenthG", "§ 23 Abs. 1"),
            ("§ 23 Abs. 3 AufenthG", "§ 23"),
            ("§ 22 S. 2 AufenthG", "§ 22"),
            ("§ 24 Abs. 1 AufenthG", "§ 24"),
            ("§ 25a Abs. 1 AufenthG", "§ 25a"),
            (
                "§ 26 Abs. 3 AufenthG",
                "§ 26 Abs. 3, 4 (Niederlassungserlaubnis)",
            ),
            ("§ 104c AufenthG", "§ 104c"),
            ("§ 30 Abs. 3 AuslG", "§ 30 AuslG"),
        ] {
            assert_eq!(class(&r, e, basis), some("Humanitaer", sub), "{basis}");
        }
    }

    #[test]
    fn non_refugee_titles_are_explicit() {
        let r = Rules::default();
        let e = "Aufenthaltserlaubnis";
        for (basis, sub) in [
            ("§ 16b Abs. 1 AufenthG", "§ 16b"),
            ("§ 18a AufenthG", "§ 18a"),
            ("§ 18g Abs. 1 AufenthG", "§ 18g"),
            ("§ 21 AufenthG", "§ 21"),
            ("§ 28 Abs. 1 S. 1 Nr. 1 AufenthG", "§ 28"),
            ("§ 36a Abs. 1 AufenthG", "§ 36a"),
            ("§ 9 AufenthG", "§ 9"),
            ("§ 9a AufenthG", "§ 9a"),
            ("§ 2 Abs. 1 FreizügG/EU", "FreizügG/EU"),
            ("Art. 7 ARB 1/80", "ARB 1/80"),
        ] {
            assert_eq!(
                class(&r, e, basis),
                some("kein Fluechtling", sub),
                "{basis}"
            );
        }
        assert_eq!(
            class(&r, "Grenzübertrittsbescheinigung", "§ 50 Abs. 1 AufenthG"),
            some("sonstige", "§ 50")
        );
        assert_eq!(
            class(&r, "ohne Status", "§ 58 Abs. 2 AufenthG"),
            some("sonstige", "§ 58")
        );
        assert!(!Category::Sonstige.is_refugee());
    }

    #[test]
    fn the_104c_switch() {
        let mut r = Rules::default();
        let on = r.classify("Aufenthaltserlaubnis", "§ 104c AufenthG");
        assert_eq!(on.category, Some(Category::Humanitaer));
        r.set_switch(SWITCH_104C, false);
        let off = r.classify("Aufenthaltserlaubnis", "§ 104c AufenthG");
        assert_eq!(off.category, Some(Category::KeinFluechtling));
        assert_eq!(off.sub_category, "§ 104c");
        // The same through a file.
        let text = DEFAULT_RULES_TOML.replace(
            "section_104c_refugee = true",
            "section_104c_refugee = false",
        );
        let from_file = Rules::from_toml(&text).unwrap();
        assert_eq!(
            from_file
                .classify("Aufenthaltserlaubnis", "104c AufenthG")
                .category,
            Some(Category::KeinFluechtling)
        );
    }

    #[test]
    fn fallbacks_from_the_aufenthaltsart() {
        let r = Rules::default();
        let duldung = r.classify("Duldung", "");
        assert_eq!(
            (duldung.category, duldung.decided_by, duldung.basis),
            (
                Some(Category::Duldung),
                DecidedBy::ResidenceKind,
                BasisOutcome::Empty
            )
        );
        assert_eq!(class(&r, "  DULDUNG ", ""), some("Duldung", "§ 60a"));
        assert_eq!(
            class(&r, "BüMA", ""),
            some("Ankunftsnachweis", "§ 63a AsylG")
        );
        assert_eq!(
            class(&r, "Buema", ""),
            some("Ankunftsnachweis", "§ 63a AsylG")
        );
        assert_eq!(class(&r, "ohne Status", ""), some("sonstige", "§ 50"));
        let unreadable = r.classify("Aufenthaltsgestattung", "siehe Akte");
        assert_eq!(
            (unreadable.category, unreadable.basis),
            (Some(Category::Gestattung), BasisOutcome::Unparsable)
        );
        let nothing = r.classify("Aufenthaltserlaubnis", "siehe Akte");
        assert_eq!(
            (nothing.category, nothing.decided_by),
            (None, DecidedBy::Nothing)
        );
        let no_rule = r.classify("Duldung", "§ 60 Abs. 5 AufenthG");
        assert!(matches!(no_rule.basis, BasisOutcome::NoRule(_)));
        assert_eq!(no_rule.category, Some(Category::Duldung));
        assert_eq!(
            r.classify("Aufenthaltserlaubnis", "").category,
            None,
            "an Aufenthaltserlaubnis alone says nothing"
        );
    }

    #[test]
    fn conflicts_follow_the_documented_priority() {
        let mut r = Rules::default();
        let c = r.classify("Duldung", "§ 25 Abs. 2 AufenthG");
        assert_eq!(c.category, Some(Category::Humanitaer));
        assert_eq!(c.decided_by, DecidedBy::LegalBasis);
        assert_eq!(c.conflict_with, Some(Category::Duldung));
        // A humanitarian Niederlassungserlaubnis is compatible, § 9 agrees.
        assert_eq!(
            r.classify("Niederlassungserlaubnis", "§ 26 Abs. 3 AufenthG")
                .conflict_with,
            None
        );
        assert_eq!(
            r.classify("Niederlassungserlaubnis", "§ 9 AufenthG")
                .conflict_with,
            None
        );
        assert_eq!(
            r.classify("Blaue Karte EU", "§ 25 Abs. 2 AufenthG")
                .conflict_with,
            Some(Category::KeinFluechtling)
        );
        r.set_switch(SWITCH_RESIDENCE_KIND_WINS, true);
        let c = r.classify("Duldung", "§ 25 Abs. 2 AufenthG");
        assert_eq!(
            (c.category, c.decided_by, c.conflict_with),
            (
                Some(Category::Duldung),
                DecidedBy::ResidenceKind,
                Some(Category::Humanitaer)
            )
        );
        assert_eq!(c.sub_category, "§ 60a");
    }

    #[test]
    fn the_most_specific_rule_wins() {
        let r = Rules::from_toml(
            r#"
            [[rule]]
            law = "AufenthG"
            category = "kein Fluechtling"
            [[rule]]
            law = "AufenthG"
            paragraph = "20-30"
            category = "sonstige"
            [[rule]]
            law = "AufenthG"
            paragraph = "25"
            category = "Duldung"
            [[rule]]
            law = "AufenthG"
            paragraph = 25
            absatz = 2
            category = "Humanitaer"
            sub_category = "Schutz"
            [[rule]]
            law = "AufenthG"
            paragraph = "25"
            satz = 1
            category = "Gestattung"
            [[rule]]
            law = "AufenthG"
            paragraph = "25"
            absatz = "2"
            satz = 1
            category = "Ankunftsnachweis"
            "#,
        )
        .unwrap();
        let cat = |b: &str| r.classify("", b).category.map(Category::code);
        assert_eq!(cat("§ 5 AufenthG"), Some("kein Fluechtling"));
        assert_eq!(cat("§ 23 AufenthG"), Some("sonstige"));
        assert_eq!(cat("§ 25a AufenthG"), Some("sonstige"));
        assert_eq!(cat("§ 25 AufenthG"), Some("Duldung"));
        assert_eq!(cat("§ 25 Abs. 3 S. 1 AufenthG"), Some("Gestattung"));
        assert_eq!(cat("§ 25 Abs. 2 S. 2 AufenthG"), Some("Humanitaer"));
        assert_eq!(cat("§ 25 Abs. 2 S. 1 AufenthG"), Some("Ankunftsnachweis"));
        assert_eq!(cat("§ 25 AsylG"), None);
        assert_eq!(
            r.classify("", "§ 25 Abs. 2 AufenthG").sub_category,
            "Schutz"
        );
        assert_eq!(r.classify("", "§ 23a AufenthG").sub_category, "§ 23a");
        assert_eq!(
            r.classify("", "§ 25 S. 1 AufenthG").sub_category,
            "§ 25 S. 1"
        );
    }

    #[test]
    fn bad_files_give_german_messages() {
        let err = |text: &str| Rules::from_toml(text).unwrap_err();
        assert!(
            err("[[rule]]\nlaw = \"AufenthG\"\nparagraph = \"25\"\ncategory = \"Flüchtling\"")
                .contains("unbekannte Kategorie „Flüchtling“")
        );
        assert!(
            err("[[rule]]\nlaw = \"SGB II\"\ncategory = \"Duldung\"")
                .contains("unbekanntes Gesetz")
        );
        assert!(
            err("[[rule]]\nlaw = \"AufenthG\"\nparagraph = \"x\"\ncategory = \"Duldung\"")
                .contains("Paragraph „x“ nicht lesbar")
        );
        assert!(err("[[rule]]\nlaw = \"AufenthG\"\nparagraph = \"16-21\"\nabsatz = 1\ncategory = \"Duldung\"")
            .contains("nur bei einem einzelnen Paragraphen"));
        assert!(
            err("[[rule]]\nlaw = \"AufenthG\"\nparagraph = \"16-21\"\ncategory = \"Duldung\"\n[[rule]]\nlaw = \"AufenthG\"\nparagraph = \"20-22\"\ncategory = \"Duldung\"")
                .contains("überschneidet sich mit Regel 1")
        );
        assert!(
            err("[[rule]]\nlaw = \"AufenthG\"\nparagraph = \"25\"\ncategory = \"Duldung\"\nswitch = \"x\"\ncategory_off = \"Duldung\"")
                .contains("Schalter „x“ fehlt")
        );
        assert!(
            err("[[rule]]\nlaw = \"AufenthG\"\nparagrap = \"25\"\ncategory = \"Duldung\"")
                .starts_with("Regeldatei, Zeile")
        );
        assert!(err("[[residence_kind]]\ntexts = [\"Duldung\", \"duldung\"]\ncategory = \"Duldung\"\nsub_category = \"x\"")
            .contains("kommt doppelt vor"));
        assert!(err("[[rule]]\nlaw = \"AufenthG\"\nparagraph = \"16-21\"\nalternative = 1\ncategory = \"Duldung\"")
            .contains("Absatz, Satz, Nummer und Alternative nur bei einem einzelnen Paragraphen"));
        assert!(
            err("[[rule]]\nlaw = \"AufenthG\"\nparagraph = \"25\"\nnummer = 0\ncategory = \"Humanitaer\"")
                .contains("Nummer 0 liegt nicht in 1..99")
        );
        assert!(
            err("[[rule]]\nlaw = \"AufenthG\"\nparagraph = \"25\"\ncategory = \"Humanitaer\"\nschutzstatus = \"gfk\"")
                .contains("unbekannter Schutzstatus „gfk“ (erlaubt: asylverfahren,")
        );
        assert!(
            err("[[rule]]\nlaw = \"AufenthG\"\nparagraph = \"60a\"\ncategory = \"Duldung\"\nschutzstatus = \"fluechtlingsschutz\"")
                .contains("passt nicht zur Kategorie „Duldung“")
        );
        assert!(
            err("[[rule]]\nlaw = \"AufenthG\"\nparagraph = \"22-23\"\ncategory = \"Humanitaer\"\nschutzstatus = \"asylberechtigung\"")
                .contains("schutzstatus nur bei einer Regel mit fester Unterkategorie")
        );
    }

    /// Issue 21: § 25 Abs. 2 S. 1 Alt. 1 (Flüchtlingsschutz) and Alt. 2 (subsidiärer Schutz)
    /// are told apart in every spelling that names the Alternative; without it the record
    /// stays "§ 25 Abs. 2" (either of the two).
    #[test]
    fn the_alternative_of_25_2_splits_refugee_protection_from_subsidiary_protection() {
        let r = Rules::default();
        let e = "Aufenthaltserlaubnis";
        let gfk = "§ 25 Abs. 2 Alt. 1 (Flüchtlingsschutz)";
        let subsidiary = "§ 25 Abs. 2 Alt. 2 (subsidiärer Schutz)";
        for (basis, sub) in [
            ("§ 25 Abs. 2 S. 1 Alt. 1 AufenthG", gfk),
            ("§ 25 Absatz 2 Satz 1 Alternative 1 AufenthG", gfk),
            ("§ 25 Abs. 2 Satz 1, 1. Alternative AufenthG", gfk),
            ("§ 25 Abs. 2 1. Alt. AufenthG", gfk),
            ("§ 25 Abs. 2 S. 1 Alt. 2 AufenthG", subsidiary),
            ("§ 25 Abs. 2 Var. 2 AufenthG", subsidiary),
            ("§ 25 Abs. 2 2. Alt. AufenthG", subsidiary),
            ("25 II AufenthG", "§ 25 Abs. 2"),
            ("§ 25 (2) AufenthG", "§ 25 Abs. 2"),
            ("AufenthG 25/2", "§ 25 Abs. 2"),
            ("§ 25 Abs. 2 S. 1 AufenthG", "§ 25 Abs. 2"),
        ] {
            assert_eq!(class(&r, e, basis), some("Humanitaer", sub), "{basis}");
        }
        let subs = r.refugee_sub_categories();
        for sub in [gfk, subsidiary, "§ 25 Abs. 2"] {
            assert!(
                subs.contains(&(Category::Humanitaer, sub.to_owned())),
                "{sub} is a row of the tables"
            );
        }
        // The form of protection Destatis reports.
        use super::ProtectionForm as F;
        for (category, sub, form) in [
            (Category::Humanitaer, gfk, F::Fluechtlingsschutz),
            (Category::Humanitaer, subsidiary, F::SubsidiaererSchutz),
            (
                Category::Humanitaer,
                "§ 25 Abs. 2",
                F::FluechtlingsOderSubsidiaererSchutz,
            ),
            (Category::Humanitaer, "§ 25 Abs. 1", F::Asylberechtigung),
            (Category::Humanitaer, "§ 25 Abs. 3", F::Abschiebungsverbot),
            (Category::Humanitaer, "§ 24", F::VoruebergehenderSchutz),
            (
                Category::Humanitaer,
                "§ 25 Abs. 5",
                F::SonstigerHumanitaererAufenthalt,
            ),
            (
                Category::Humanitaer,
                OTHER_LEGAL_BASES,
                F::SonstigerHumanitaererAufenthalt,
            ),
            (Category::Gestattung, "§ 55 AsylG", F::Asylverfahren),
            (Category::Ankunftsnachweis, "§ 63a AsylG", F::Asylverfahren),
            (Category::Duldung, "§ 60a", F::Duldung),
        ] {
            assert_eq!(r.protection_form(category, sub), Some(form), "{sub}");
        }
        assert_eq!(r.protection_form(Category::KeinFluechtling, "§ 9"), None);
    }

    /// Issue 21: permanent humanitarian titles, the Spurwechsel titles and the old
    /// Bleiberechte, each with its legal source's switch.
    #[test]
    fn permanent_titles_spurwechsel_and_old_bleiberechte_follow_their_switches() {
        let mut r = Rules::default();
        let e = "Aufenthaltserlaubnis";
        let ne = "Niederlassungserlaubnis";
        let permanent = "§ 26 Abs. 3, 4 (Niederlassungserlaubnis)";
        // Defaults: permanent titles are refugees with their own sub-category; § 26 without
        // Absatz (or Abs. 1) stays "§ 26"; Spurwechsel is no refugee, visible as its own
        // sub-category; § 104a and § 104b are humanitarian.
        assert_eq!(r.switch(SWITCH_PERMANENT), Some(true));
        assert_eq!(r.switch(SWITCH_SPURWECHSEL), Some(false));
        for (kind, basis, expected) in [
            (ne, "§ 26 Abs. 3 AufenthG", some("Humanitaer", permanent)),
            (ne, "26 IV AufenthG", some("Humanitaer", permanent)),
            (ne, "AufenthG 26/3", some("Humanitaer", permanent)),
            (e, "§ 26 Abs. 1 S. 1 AufenthG", some("Humanitaer", "§ 26")),
            (e, "§ 26 AufenthG", some("Humanitaer", "§ 26")),
            (e, "§ 23 Abs. 2 AufenthG", some("Humanitaer", "§ 23 Abs. 2")),
            (
                e,
                "§ 16g Abs. 1 AufenthG",
                some("kein Fluechtling", "§ 16g"),
            ),
            (e, "16 g AufenthG", some("kein Fluechtling", "§ 16g")),
            (
                e,
                "§ 19d Abs. 1 Nr. 1 AufenthG",
                some("kein Fluechtling", "§ 19d"),
            ),
            (e, "§ 19c AufenthG", some("kein Fluechtling", "§ 19c")),
            (
                e,
                "§ 104a Abs. 1 S. 1 AufenthG",
                some("Humanitaer", "§ 104a"),
            ),
            (e, "§ 104b AufenthG", some("Humanitaer", "§ 104b")),
        ] {
            assert_eq!(class(&r, kind, basis), expected, "{basis}");
        }
        assert_eq!(
            r.protection_form(Category::Humanitaer, permanent),
            Some(ProtectionForm::UnbefristeterHumanitaererAufenthalt)
        );
        let rows = r.refugee_sub_categories();
        assert!(rows.contains(&(Category::Humanitaer, permanent.to_owned())));
        assert!(!rows.iter().any(|(_, s)| s == "§ 16g"));

        // Switched: permanent titles are no refugees (still visible), Spurwechsel is.
        r.set_switch(SWITCH_PERMANENT, false);
        r.set_switch(SWITCH_SPURWECHSEL, true);
        for (kind, basis, expected) in [
            (
                ne,
                "§ 26 Abs. 3 AufenthG",
                some("kein Fluechtling", permanent),
            ),
            (
                e,
                "§ 23 Abs. 2 AufenthG",
                some("kein Fluechtling", "§ 23 Abs. 2"),
            ),
            (e, "§ 26 Abs. 1 AufenthG", some("Humanitaer", "§ 26")),
            (e, "§ 16g Abs. 1 AufenthG", some("Humanitaer", "§ 16g")),
            (
                e,
                "§ 19d Abs. 1 Nr. 1 AufenthG",
                some("Humanitaer", "§ 19d"),
            ),
            (e, "§ 19c AufenthG", some("kein Fluechtling", "§ 19c")),
        ] {
            assert_eq!(class(&r, kind, basis), expected, "{basis}");
        }
        assert_eq!(
            r.protection_form(Category::KeinFluechtling, permanent),
            None
        );
        let rows = r.refugee_sub_categories();
        assert!(rows.contains(&(Category::Humanitaer, "§ 16g".to_owned())));
        assert!(!rows.contains(&(Category::Humanitaer, permanent.to_owned())));
        let lines = crate::reports::switch_lines(&r).join("\n");
        assert!(
            lines.contains("Spurwechsel (§ 16g, § 19d AufenthG): Flüchtling"),
            "{lines}"
        );
        assert!(
            lines.contains("und § 23 Abs. 2: kein Flüchtling"),
            "{lines}"
        );
    }

    /// Issue 21: a Fiktionsbescheinigung needs a decision by default (no category, listed
    /// under "Zuordnung fehlt"); with the switch, one whose value names a humanitarian title
    /// as the applied-for one counts as a refugee. Values "… i. V. m. …" are read in every
    /// spelling; the first provision decides unless it is a Fiktion.
    #[test]
    fn a_fiktionsbescheinigung_needs_a_decision_unless_switched() {
        let mut r = Rules::default();
        let f = "Fiktionsbescheinigung";
        assert_eq!(r.switch(SWITCH_FICTION), Some(false));
        for basis in [
            "§ 81 Abs. 4 AufenthG",
            "§ 81 Abs. 3 S. 1 AufenthG",
            "§ 81 Abs. 4 AufenthG i. V. m. § 25 Abs. 2 AufenthG",
            "§ 81 Abs. 3 AufenthG i.V.m. § 24 AufenthG",
        ] {
            let c = r.classify(f, basis);
            assert_eq!(c.category, None, "{basis}");
            assert!(matches!(c.basis, BasisOutcome::NoRule(_)), "{basis}");
        }
        // The first provision of "… i. V. m. …" decides (formerly unreadable).
        for (kind, basis, expected) in [
            (
                "Aufenthaltserlaubnis",
                "§ 25 Abs. 5 AufenthG i. V. m. § 60a Abs. 2 AufenthG",
                some("Humanitaer", "§ 25 Abs. 5"),
            ),
            (
                "Aufenthaltserlaubnis",
                "§ 23 Abs. 1 AufenthG in Verbindung mit § 24 AufenthG",
                some("Humanitaer", "§ 23 Abs. 1"),
            ),
            (
                "Duldung",
                "§ 60a Abs. 2 S. 1 AufenthG iVm § 60b AufenthG",
                some("Duldung", "§ 60a"),
            ),
        ] {
            assert_eq!(class(&r, kind, basis), expected, "{basis}");
        }
        let c = r.classify(
            "Aufenthaltserlaubnis",
            "§ 25 Abs. 5 AufenthG i. V. m. siehe Akte",
        );
        assert_eq!(c.basis, BasisOutcome::Unparsable);

        r.set_switch(SWITCH_FICTION, true);
        let fiction = FICTION_SUB_CATEGORY;
        for (basis, expected) in [
            (
                "§ 81 Abs. 4 AufenthG i. V. m. § 25 Abs. 2 AufenthG",
                some("Humanitaer", fiction),
            ),
            (
                "§ 81 Abs. 3 AufenthG i.V.m. § 24 AufenthG",
                some("Humanitaer", fiction),
            ),
            (
                "§ 81 Abs. 4 S. 1 AufenthG in Verbindung mit § 25b AufenthG",
                some("Humanitaer", fiction),
            ),
        ] {
            assert_eq!(class(&r, f, basis), expected, "{basis}");
        }
        // Not for a non-humanitarian title, and not without the applied-for one.
        for basis in [
            "§ 81 Abs. 4 AufenthG i. V. m. § 18b AufenthG",
            "§ 81 Abs. 4 AufenthG",
        ] {
            assert_eq!(r.classify(f, basis).category, None, "{basis}");
        }
        assert!(
            r.refugee_sub_categories()
                .contains(&(Category::Humanitaer, fiction.to_owned()))
        );
        let lines = crate::reports::switch_lines(&r).join("\n");
        assert!(
            lines.contains("Fiktionsbescheinigung (§ 81 AufenthG): Flüchtling"),
            "{lines}"
        );
    }

    #[test]
    fn references_are_split_at_the_first_marker_only() {
        use super::super::legal_basis::split_reference;
        assert_eq!(
            split_reference("§ 81 Abs. 4 AufenthG i. V. m. § 25 Abs. 2 AufenthG"),
            Some(("§ 81 Abs. 4 AufenthG", "§ 25 Abs. 2 AufenthG"))
        );
        assert_eq!(
            split_reference("§ 81 I.V.M. § 24 AufenthG"),
            Some(("§ 81", "§ 24 AufenthG"))
        );
        assert_eq!(split_reference("§ 25 Abs. 2 AufenthG"), None);
        assert_eq!(split_reference("i. V. m. § 24 AufenthG"), None);
        assert_eq!(split_reference("Divmann"), None);
    }

    /// Issue 21: a value the parser cannot read, mapped by the office to a citation, is
    /// decided by the rules like that citation and leaves the list "Zuordnung fehlt".
    #[test]
    fn mapped_values_are_decided_like_their_citation() {
        use super::super::values::{ValueMapping, ValueMappings};
        let r = Rules::default();
        let c = r.classify("Aufenthaltserlaubnis", "AE-HUM-3");
        assert_eq!((c.category, c.basis), (None, BasisOutcome::Unparsable));
        let values = ValueMappings::new(&[ValueMapping {
            value: "AE-HUM-3".into(),
            citation: "§ 25 Abs. 3 AufenthG".into(),
        }])
        .unwrap();
        let r = r.with_values(values);
        assert_eq!(
            class(&r, "Aufenthaltserlaubnis", "ae hum 3"),
            some("Humanitaer", "§ 25 Abs. 3")
        );
        assert!(matches!(
            r.classify("Aufenthaltserlaubnis", "AE-HUM-3").basis,
            BasisOutcome::Rule(_)
        ));
        assert_eq!(
            class(&r, "Duldung", "§ 60a AufenthG"),
            some("Duldung", "§ 60a")
        );
    }

    /// A rule may name the Nummer: the most specific rule decides, Nummer before none.
    #[test]
    fn rules_match_on_the_nummer() {
        let r = Rules::from_toml(
            "[[rule]]\nlaw = \"AufenthG\"\nparagraph = \"60c\"\ncategory = \"Duldung\"\n\
             [[rule]]\nlaw = \"AufenthG\"\nparagraph = \"60c\"\nabsatz = 1\nnummer = 2\n\
             category = \"Duldung\"\n",
        )
        .unwrap();
        assert_eq!(
            class(&r, "Duldung", "§ 60c Abs. 1 S. 1 Nr. 2 AufenthG"),
            some("Duldung", "§ 60c Abs. 1 Nr. 2")
        );
        assert_eq!(
            class(&r, "Duldung", "§ 60c Abs. 1 S. 1 Nr. 1 AufenthG"),
            some("Duldung", "§ 60c")
        );
        assert_eq!(
            class(&r, "Duldung", "§ 60c Abs. 1 Nummer 2 AufenthG"),
            some("Duldung", "§ 60c Abs. 1 Nr. 2")
        );
    }
}
