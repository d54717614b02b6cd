//! Residence statuses, their legal bases, the office's refugee categories and the many ways a
//! foreigners register writes the same legal citation.

/// The office's refugee category of a residence status (ground truth labels).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Category {
    Ankunftsnachweis,
    Gestattung,
    Duldung,
    Humanitaer,
    /// Vollziehbar ausreisepflichtig without Duldung: not a refugee, shown as "sonstige".
    Sonstige,
    KeinFluechtling,
}

impl Category {
    /// Code name used in the ground truth.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Category::Ankunftsnachweis => "Ankunftsnachweis",
            Category::Gestattung => "Gestattung",
            Category::Duldung => "Duldung",
            Category::Humanitaer => "Humanitaer",
            Category::Sonstige => "sonstige",
            Category::KeinFluechtling => "kein Fluechtling",
        }
    }

    /// Whether the office counts the category as refugees.
    pub(crate) fn is_refugee(self) -> bool {
        matches!(
            self,
            Category::Ankunftsnachweis
                | Category::Gestattung
                | Category::Duldung
                | Category::Humanitaer
        )
    }

    /// All categories in report order.
    pub(crate) const ALL: [Category; 6] = [
        Category::Ankunftsnachweis,
        Category::Gestattung,
        Category::Duldung,
        Category::Humanitaer,
        Category::Sonstige,
        Category::KeinFluechtling,
    ];
}

/// The statute a citation refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Law {
    AufenthG,
    AsylG,
    AsylVfG,
    AuslG,
    FreizuegG,
    /// Association agreement EEC-Turkey, written as a fixed text.
    Arb,
}

impl Law {
    fn name(self) -> &'static str {
        match self {
            Law::AufenthG => "AufenthG",
            Law::AsylG => "AsylG",
            Law::AsylVfG => "AsylVfG",
            Law::AuslG => "AuslG",
            Law::FreizuegG => "FreizügG/EU",
            Law::Arb => "ARB 1/80",
        }
    }
}

/// A legal citation: `§ para[letter] Abs. abs[abs_letter] S. satz Nr. nr Alt. alt law`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Citation {
    pub law: Law,
    pub para: u16,
    pub letter: Option<char>,
    pub abs: Option<u8>,
    pub abs_letter: Option<char>,
    pub satz: Option<u8>,
    pub nr: Option<u8>,
    pub alt: Option<u8>,
}

const fn cite(law: Law, para: u16, letter: Option<char>, abs: Option<u8>) -> Citation {
    Citation {
        law,
        para,
        letter,
        abs,
        abs_letter: None,
        satz: None,
        nr: None,
        alt: None,
    }
}

impl Citation {
    const fn satz(mut self, s: u8) -> Citation {
        self.satz = Some(s);
        self
    }
    const fn nr(mut self, n: u8) -> Citation {
        self.nr = Some(n);
        self
    }
    const fn alt(mut self, a: u8) -> Citation {
        self.alt = Some(a);
        self
    }
    const fn abs_letter(mut self, l: char) -> Citation {
        self.abs_letter = Some(l);
        self
    }
    /// The same citation under another statute (AsylG -> AsylVfG for old records).
    pub(crate) const fn under(mut self, law: Law) -> Citation {
        self.law = law;
        self
    }
}

/// Ways of writing a citation. The names say what the style looks like for § 25 Abs. 2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Style {
    /// `§ 25 Abs. 2 S. 1 Alt. 1 AufenthG`
    Full,
    /// `§ 25 Abs. 2 AufenthG`
    Short,
    /// `§25 Abs.2 AufenthG`
    Compact,
    /// `25 II AufenthG`
    Roman,
    /// `AufenthG 25/2`
    LawSlash,
    /// `§ 25 (2) AufenthG`
    Paren,
    /// `25.2 AufenthG`
    Dot,
    /// `§ 25 Absatz 2 Satz 1 AufenthG`
    Long,
    /// `60 a AufenthG` (no Absatz; only where the Absatz does not matter)
    SpacedLetter,
    /// `§ 55 AsylVfG` (no Absatz; only where the Absatz does not matter)
    Bare,
}

impl Style {
    /// Every style.
    pub(crate) const ALL: [Style; 10] = [
        Style::Full,
        Style::Short,
        Style::Compact,
        Style::Roman,
        Style::LawSlash,
        Style::Paren,
        Style::Dot,
        Style::Long,
        Style::SpacedLetter,
        Style::Bare,
    ];
}

fn roman(n: u8) -> &'static str {
    match n {
        1 => "I",
        2 => "II",
        3 => "III",
        4 => "IV",
        5 => "V",
        6 => "VI",
        7 => "VII",
        8 => "VIII",
        _ => "?",
    }
}

/// Writes a citation in a style. `keep_abs` = the Absatz matters for the sub-category, so
/// styles that drop it fall back to [`Style::Short`].
pub(crate) fn spell(c: &Citation, style: Style, keep_abs: bool) -> String {
    if c.law == Law::Arb {
        return "Art. 7 ARB 1/80".to_string();
    }
    let law = c.law.name();
    let para = match c.letter {
        Some(l) => format!("{}{l}", c.para),
        None => c.para.to_string(),
    };
    let abs = c.abs.map(|a| match c.abs_letter {
        Some(l) => format!("{a}{l}"),
        None => a.to_string(),
    });
    let style = match style {
        Style::SpacedLetter | Style::Bare if keep_abs && c.abs.is_some() => Style::Short,
        s => s,
    };
    let mut s = String::new();
    match style {
        Style::Full | Style::Short | Style::Long => {
            s.push_str("§ ");
            s.push_str(&para);
            let long = style == Style::Long;
            if let Some(a) = &abs {
                s.push_str(if long { " Absatz " } else { " Abs. " });
                s.push_str(a);
            }
            if style != Style::Short {
                if let Some(x) = c.satz {
                    s.push_str(if long { " Satz " } else { " S. " });
                    s.push_str(&x.to_string());
                }
                if let Some(x) = c.nr {
                    s.push_str(if long { " Nummer " } else { " Nr. " });
                    s.push_str(&x.to_string());
                }
                if let Some(x) = c.alt {
                    s.push_str(if long { " Alternative " } else { " Alt. " });
                    s.push_str(&x.to_string());
                }
            }
            s.push(' ');
            s.push_str(law);
        }
        Style::Compact => {
            s.push('§');
            s.push_str(&para);
            if let Some(a) = &abs {
                s.push_str(" Abs.");
                s.push_str(a);
            }
            s.push(' ');
            s.push_str(law);
        }
        Style::Roman => {
            s.push_str(&para);
            if let Some(a) = c.abs {
                s.push(' ');
                s.push_str(roman(a));
                if let Some(l) = c.abs_letter {
                    s.push(l);
                }
            }
            s.push(' ');
            s.push_str(law);
        }
        Style::LawSlash => {
            s.push_str(law);
            s.push(' ');
            s.push_str(&para);
            if let Some(a) = &abs {
                s.push('/');
                s.push_str(a);
            }
        }
        Style::Paren => {
            s.push_str("§ ");
            s.push_str(&para);
            if let Some(a) = &abs {
                s.push_str(" (");
                s.push_str(a);
                s.push(')');
            }
            s.push(' ');
            s.push_str(law);
        }
        Style::Dot => {
            s.push_str(&para);
            if let Some(a) = &abs {
                s.push('.');
                s.push_str(a);
            }
            s.push(' ');
            s.push_str(law);
        }
        Style::SpacedLetter => {
            s.push_str(&c.para.to_string());
            if let Some(l) = c.letter {
                s.push(' ');
                s.push(l);
            } else if let Some(a) = &abs {
                s.push_str(" Abs. ");
                s.push_str(a);
            }
            s.push(' ');
            s.push_str(law);
        }
        Style::Bare => {
            s.push_str("§ ");
            s.push_str(&para);
            s.push(' ');
            s.push_str(law);
        }
    }
    s
}

/// The truth's sub-category of a record whose legal basis reads `text`, as the shipped rules
/// decide it: § 25 Abs. 2 is split into Alt. 1 (Flüchtlingsschutz) and Alt. 2 (subsidiärer
/// Schutz) only where the text names the Alternative (the styles [`Style::Full`] and
/// [`Style::Long`] do).
pub(crate) fn written_sub<'a>(sub: &'a str, text: &str, unparsable: bool) -> &'a str {
    if sub != "§ 25 Abs. 2" || unparsable {
        return sub;
    }
    let names =
        |n: &str| text.contains(&format!("Alt. {n}")) || text.contains(&format!("Alternative {n}"));
    if names("1") {
        "§ 25 Abs. 2 Alt. 1 (Flüchtlingsschutz)"
    } else if names("2") {
        "§ 25 Abs. 2 Alt. 2 (subsidiärer Schutz)"
    } else {
        sub
    }
}

/// The truth's label of a record the shipped rules leave to the office's decision.
pub(crate) const NOT_DECIDED: &str = "nicht zugeordnet";

/// The truth's category label of a record with the sub-category `sub`, as the shipped rules
/// decide it: a Fiktionsbescheinigung (§ 81) has no rule and needs the office's decision
/// ("nicht zugeordnet").
pub(crate) fn written_category(category: Category, sub: &str) -> &'static str {
    if sub == "§ 81" {
        NOT_DECIDED
    } else {
        category.label()
    }
}

/// Values a clerk types that no parser can map: the truth flags them as unparsable.
pub(crate) const UNPARSABLE: [&str; 12] = [
    "siehe Akte",
    "s. Bemerkung",
    "k. A.",
    "unbekannt",
    "AE",
    "Abs. 2",
    "25/?",
    "???",
    "Titel lt. Akte",
    "human. Gründe",
    "n. Aktenlage",
    "vorl. Titel",
];

/// Every residence status the synthetic registers know.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum StatusId {
    Akn,
    Gestattung,
    Duldung60a,
    Duldung60aErmessen,
    Duldung60aAusbildung,
    Duldung60b,
    Duldung60c,
    Duldung60d,
    DuldungAuslG,
    Hum22,
    Hum23Abs1,
    Hum23Abs2,
    Hum23Abs4,
    Hum23a,
    Hum24,
    Hum25Abs1,
    Hum25Abs2Gfk,
    Hum25Abs2Subsidiaer,
    Hum25Abs3,
    Hum25Abs4,
    Hum25Abs4a,
    Hum25Abs4b,
    Hum25Abs5,
    Hum25a,
    Hum25b,
    Hum26Abs3,
    Hum26Abs4,
    Hum104c,
    HumAuslG30,
    Ausreisepflichtig,
    OhneStatus,
    Ne9,
    DaEu9a,
    Ae28,
    Ae30,
    Ae32,
    Ae36,
    Ae16b,
    Ae18a,
    Ae18b,
    BlaueKarte,
    Ae19c,
    Ae7,
    Arb,
    FreizuegEu,
    Visum,
    Fiktion,
    /// § 16g: Ausbildung of a former Geduldeter (since 01.03.2024).
    Ae16g,
    /// § 19d: employment of a qualified former Geduldeter.
    Ae19d,
    /// § 104a: Altfallregelung (Stichtag 01.07.2007).
    Hum104a,
    /// § 104b: integrated children of Geduldeten.
    Hum104b,
    /// § 81 Fiktionsbescheinigung while a § 25 Abs. 2 title is extended.
    FiktionHum25Abs2,
    /// § 81 Fiktionsbescheinigung while a § 25 Abs. 3 title is extended.
    FiktionHum25Abs3,
    /// § 81 Fiktionsbescheinigung while a § 25 Abs. 5 title is extended.
    FiktionHum25Abs5,
    /// § 81 Fiktionsbescheinigung while a § 25b title is extended.
    FiktionHum25b,
    /// § 81 Fiktionsbescheinigung of a new arrival from Ukraine waiting for the § 24 title.
    FiktionHum24,
}

/// What a status means.
#[derive(Clone, Copy, Debug)]
pub(crate) struct StatusDef {
    pub category: Category,
    /// Sub-category label of the truth (`§ 25 Abs. 2`, `§ 55 AsylG`, ...).
    pub sub: &'static str,
    /// Aufenthaltsart as the register writes it.
    pub kind: &'static str,
    pub citation: Citation,
    /// AsylbLG § 1 Abs. 1 number if the status can entitle to AsylbLG benefits.
    pub asylblg_nr: Option<&'static str>,
}

use Category as C;
use Law::*;

const fn def(
    category: Category,
    sub: &'static str,
    kind: &'static str,
    citation: Citation,
    asylblg_nr: Option<&'static str>,
) -> StatusDef {
    StatusDef {
        category,
        sub,
        kind,
        citation,
        asylblg_nr,
    }
}

const AE: &str = "Aufenthaltserlaubnis";
const NE: &str = "Niederlassungserlaubnis";
const FIKTION: &str = "Fiktionsbescheinigung";

impl StatusId {
    /// The definition of the status.
    pub(crate) fn def(self) -> StatusDef {
        use StatusId::*;
        match self {
            Akn => def(
                C::Ankunftsnachweis,
                "§ 63a AsylG",
                "Ankunftsnachweis",
                cite(AsylG, 63, Some('a'), None),
                Some("1a"),
            ),
            Gestattung => def(
                C::Gestattung,
                "§ 55 AsylG",
                "Aufenthaltsgestattung",
                cite(AsylG, 55, None, Some(1)),
                Some("1"),
            ),
            Duldung60a => def(
                C::Duldung,
                "§ 60a",
                "Duldung",
                cite(AufenthG, 60, Some('a'), Some(2)).satz(1),
                Some("4"),
            ),
            Duldung60aErmessen => def(
                C::Duldung,
                "§ 60a",
                "Duldung",
                cite(AufenthG, 60, Some('a'), Some(2)).satz(3),
                Some("4"),
            ),
            Duldung60aAusbildung => def(
                C::Duldung,
                "§ 60a",
                "Duldung",
                cite(AufenthG, 60, Some('a'), Some(2)).satz(4),
                Some("4"),
            ),
            Duldung60b => def(
                C::Duldung,
                "§ 60b",
                "Duldung",
                cite(AufenthG, 60, Some('b'), Some(1)),
                Some("4"),
            ),
            Duldung60c => def(
                C::Duldung,
                "§ 60c",
                "Duldung",
                cite(AufenthG, 60, Some('c'), Some(1)).satz(1).nr(1),
                Some("4"),
            ),
            Duldung60d => def(
                C::Duldung,
                "§ 60d",
                "Duldung",
                cite(AufenthG, 60, Some('d'), Some(1)),
                Some("4"),
            ),
            DuldungAuslG => def(
                C::Duldung,
                "§ 55 AuslG",
                "Duldung",
                cite(AuslG, 55, None, Some(2)),
                Some("4"),
            ),
            Hum22 => def(
                C::Humanitaer,
                "§ 22",
                AE,
                cite(AufenthG, 22, None, None).satz(2),
                None,
            ),
            Hum23Abs1 => def(
                C::Humanitaer,
                "§ 23 Abs. 1",
                AE,
                cite(AufenthG, 23, None, Some(1)).satz(1),
                Some("3"),
            ),
            Hum23Abs2 => def(
                C::Humanitaer,
                "§ 23 Abs. 2",
                AE,
                cite(AufenthG, 23, None, Some(2)),
                None,
            ),
            Hum23Abs4 => def(
                C::Humanitaer,
                "§ 23 Abs. 4",
                AE,
                cite(AufenthG, 23, None, Some(4)),
                None,
            ),
            Hum23a => def(
                C::Humanitaer,
                "§ 23a",
                AE,
                cite(AufenthG, 23, Some('a'), Some(1)),
                None,
            ),
            Hum24 => def(
                C::Humanitaer,
                "§ 24",
                AE,
                cite(AufenthG, 24, None, Some(1)),
                Some("3"),
            ),
            Hum25Abs1 => def(
                C::Humanitaer,
                "§ 25 Abs. 1",
                AE,
                cite(AufenthG, 25, None, Some(1)),
                None,
            ),
            Hum25Abs2Gfk => def(
                C::Humanitaer,
                "§ 25 Abs. 2",
                AE,
                cite(AufenthG, 25, None, Some(2)).satz(1).alt(1),
                None,
            ),
            Hum25Abs2Subsidiaer => def(
                C::Humanitaer,
                "§ 25 Abs. 2",
                AE,
                cite(AufenthG, 25, None, Some(2)).satz(1).alt(2),
                None,
            ),
            Hum25Abs3 => def(
                C::Humanitaer,
                "§ 25 Abs. 3",
                AE,
                cite(AufenthG, 25, None, Some(3)),
                None,
            ),
            Hum25Abs4 => def(
                C::Humanitaer,
                "§ 25 Abs. 4",
                AE,
                cite(AufenthG, 25, None, Some(4)).satz(1),
                Some("3"),
            ),
            Hum25Abs4a => def(
                C::Humanitaer,
                "§ 25 Abs. 4a",
                AE,
                cite(AufenthG, 25, None, Some(4)).abs_letter('a'),
                Some("3"),
            ),
            Hum25Abs4b => def(
                C::Humanitaer,
                "§ 25 Abs. 4b",
                AE,
                cite(AufenthG, 25, None, Some(4)).abs_letter('b'),
                Some("3"),
            ),
            Hum25Abs5 => def(
                C::Humanitaer,
                "§ 25 Abs. 5",
                AE,
                cite(AufenthG, 25, None, Some(5)),
                Some("3"),
            ),
            Hum25a => def(
                C::Humanitaer,
                "§ 25a",
                AE,
                cite(AufenthG, 25, Some('a'), Some(1)),
                None,
            ),
            Hum25b => def(
                C::Humanitaer,
                "§ 25b",
                AE,
                cite(AufenthG, 25, Some('b'), Some(1)),
                None,
            ),
            Hum26Abs3 => def(
                C::Humanitaer,
                "§ 26 Abs. 3, 4 (Niederlassungserlaubnis)",
                NE,
                cite(AufenthG, 26, None, Some(3)),
                None,
            ),
            Hum26Abs4 => def(
                C::Humanitaer,
                "§ 26 Abs. 3, 4 (Niederlassungserlaubnis)",
                NE,
                cite(AufenthG, 26, None, Some(4)),
                None,
            ),
            Hum104c => def(
                C::Humanitaer,
                "§ 104c",
                AE,
                cite(AufenthG, 104, Some('c'), None),
                None,
            ),
            HumAuslG30 => def(
                C::Humanitaer,
                "§ 30 AuslG",
                "Aufenthaltsbefugnis",
                cite(AuslG, 30, None, Some(3)),
                None,
            ),
            Ausreisepflichtig => def(
                C::Sonstige,
                "§ 50",
                "Grenzübertrittsbescheinigung",
                cite(AufenthG, 50, None, Some(1)),
                Some("5"),
            ),
            OhneStatus => def(
                C::Sonstige,
                "§ 58",
                "ohne Status",
                cite(AufenthG, 58, None, Some(2)),
                Some("5"),
            ),
            Ne9 => def(
                C::KeinFluechtling,
                "§ 9",
                NE,
                cite(AufenthG, 9, None, None),
                None,
            ),
            DaEu9a => def(
                C::KeinFluechtling,
                "§ 9a",
                "Erlaubnis zum Daueraufenthalt-EU",
                cite(AufenthG, 9, Some('a'), None),
                None,
            ),
            Ae28 => def(
                C::KeinFluechtling,
                "§ 28",
                AE,
                cite(AufenthG, 28, None, Some(1)).satz(1).nr(1),
                None,
            ),
            Ae30 => def(
                C::KeinFluechtling,
                "§ 30",
                AE,
                cite(AufenthG, 30, None, Some(1)),
                None,
            ),
            Ae32 => def(
                C::KeinFluechtling,
                "§ 32",
                AE,
                cite(AufenthG, 32, None, Some(1)),
                None,
            ),
            Ae36 => def(
                C::KeinFluechtling,
                "§ 36a",
                AE,
                cite(AufenthG, 36, Some('a'), Some(1)),
                None,
            ),
            Ae16b => def(
                C::KeinFluechtling,
                "§ 16b",
                AE,
                cite(AufenthG, 16, Some('b'), Some(1)),
                None,
            ),
            Ae18a => def(
                C::KeinFluechtling,
                "§ 18a",
                AE,
                cite(AufenthG, 18, Some('a'), None),
                None,
            ),
            Ae18b => def(
                C::KeinFluechtling,
                "§ 18b",
                AE,
                cite(AufenthG, 18, Some('b'), None),
                None,
            ),
            BlaueKarte => def(
                C::KeinFluechtling,
                "§ 18g",
                "Blaue Karte EU",
                cite(AufenthG, 18, Some('g'), Some(1)),
                None,
            ),
            Ae19c => def(
                C::KeinFluechtling,
                "§ 19c",
                AE,
                cite(AufenthG, 19, Some('c'), Some(1)),
                None,
            ),
            Ae7 => def(
                C::KeinFluechtling,
                "§ 7",
                AE,
                cite(AufenthG, 7, None, Some(1)).satz(3),
                None,
            ),
            Arb => def(
                C::KeinFluechtling,
                "ARB 1/80",
                AE,
                cite(Law::Arb, 7, None, None),
                None,
            ),
            FreizuegEu => def(
                C::KeinFluechtling,
                "FreizügG/EU",
                "freizügigkeitsberechtigt (EU)",
                cite(FreizuegG, 2, None, Some(1)),
                None,
            ),
            Visum => def(
                C::KeinFluechtling,
                "§ 6",
                "Visum",
                cite(AufenthG, 6, None, Some(3)),
                None,
            ),
            Fiktion | FiktionHum25Abs2 | FiktionHum25Abs3 | FiktionHum25Abs5 | FiktionHum25b => {
                def(
                    C::KeinFluechtling,
                    "§ 81",
                    FIKTION,
                    cite(AufenthG, 81, None, Some(4)),
                    None,
                )
            }
            FiktionHum24 => def(
                C::KeinFluechtling,
                "§ 81",
                FIKTION,
                cite(AufenthG, 81, None, Some(3)).satz(1),
                Some("3"),
            ),
            Ae16g => def(
                C::KeinFluechtling,
                "§ 16g",
                AE,
                cite(AufenthG, 16, Some('g'), Some(1)),
                None,
            ),
            Ae19d => def(
                C::KeinFluechtling,
                "§ 19d",
                AE,
                cite(AufenthG, 19, Some('d'), Some(1)),
                None,
            ),
            Hum104a => def(
                C::Humanitaer,
                "§ 104a",
                AE,
                cite(AufenthG, 104, Some('a'), Some(1)).satz(1),
                None,
            ),
            Hum104b => def(
                C::Humanitaer,
                "§ 104b",
                AE,
                cite(AufenthG, 104, Some('b'), None),
                None,
            ),
        }
    }

    /// The title a Fiktionsbescheinigung was issued for, as the register names it after
    /// "i. V. m." (`None` for other statuses and for a Fiktion without that note).
    pub(crate) fn applied_for(self) -> Option<StatusId> {
        use StatusId::*;
        match self {
            FiktionHum25Abs2 => Some(Hum25Abs2Gfk),
            FiktionHum25Abs3 => Some(Hum25Abs3),
            FiktionHum25Abs5 => Some(Hum25Abs5),
            FiktionHum25b => Some(Hum25b),
            FiktionHum24 => Some(Hum24),
            _ => None,
        }
    }

    /// The Fiktionsbescheinigung for extending the humanitarian title `self`, if the synthetic
    /// registers write one.
    pub(crate) fn extension_fiktion(self) -> Option<StatusId> {
        use StatusId::*;
        match self {
            Hum25Abs2Gfk | Hum25Abs2Subsidiaer => Some(FiktionHum25Abs2),
            Hum25Abs3 => Some(FiktionHum25Abs3),
            Hum25Abs5 => Some(FiktionHum25Abs5),
            Hum25b => Some(FiktionHum25b),
            _ => None,
        }
    }

    /// Whether the status is a Fiktionsbescheinigung (§ 81).
    pub(crate) fn is_fiktion(self) -> bool {
        self == StatusId::Fiktion || self.applied_for().is_some()
    }

    /// Whether the status is a Duldung (any variant).
    pub(crate) fn is_duldung(self) -> bool {
        self.def().category == C::Duldung
    }

    /// Whether the Absatz of the citation is part of the sub-category.
    pub(crate) fn keep_abs(self) -> bool {
        self.def().sub.contains("Abs.")
    }
}

/// The spellings formats.md lists: (status, style, expected text). With legal-basis noise on,
/// the ALW exports of every scale contain each of them at least once.
pub(crate) const FORMATS_MD_SPELLINGS: [(StatusId, Style, Law, &str); 13] = [
    (
        StatusId::Hum25Abs2Gfk,
        Style::Full,
        AufenthG,
        "§ 25 Abs. 2 S. 1 Alt. 1 AufenthG",
    ),
    (
        StatusId::Hum25Abs2Gfk,
        Style::Compact,
        AufenthG,
        "§25 Abs.2 AufenthG",
    ),
    (
        StatusId::Hum25Abs2Subsidiaer,
        Style::Roman,
        AufenthG,
        "25 II AufenthG",
    ),
    (
        StatusId::Hum25Abs2Gfk,
        Style::LawSlash,
        AufenthG,
        "AufenthG 25/2",
    ),
    (
        StatusId::Hum25Abs2Subsidiaer,
        Style::Paren,
        AufenthG,
        "§ 25 (2) AufenthG",
    ),
    (
        StatusId::Hum25Abs2Gfk,
        Style::Dot,
        AufenthG,
        "25.2 AufenthG",
    ),
    (
        StatusId::Duldung60a,
        Style::Full,
        AufenthG,
        "§ 60a Abs. 2 S. 1 AufenthG",
    ),
    (
        StatusId::Duldung60a,
        Style::SpacedLetter,
        AufenthG,
        "60 a AufenthG",
    ),
    (
        StatusId::Gestattung,
        Style::Full,
        AsylG,
        "§ 55 Abs. 1 AsylG",
    ),
    (StatusId::Gestattung, Style::Bare, AsylVfG, "§ 55 AsylVfG"),
    (StatusId::Akn, Style::Full, AsylG, "§ 63a AsylG"),
    (StatusId::Hum104c, Style::Full, AufenthG, "§ 104c AufenthG"),
    (
        StatusId::Hum24,
        Style::Full,
        AufenthG,
        "§ 24 Abs. 1 AufenthG",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_md_spellings_are_produced_exactly() {
        for (status, style, law, expected) in FORMATS_MD_SPELLINGS {
            let c = status.def().citation.under(law);
            assert_eq!(spell(&c, style, status.keep_abs()), expected);
        }
    }

    #[test]
    fn absatz_is_kept_where_it_matters() {
        let c = StatusId::Hum25Abs5.def().citation;
        assert_eq!(spell(&c, Style::Bare, true), "§ 25 Abs. 5 AufenthG");
        assert_eq!(spell(&c, Style::SpacedLetter, true), "§ 25 Abs. 5 AufenthG");
        let c = StatusId::Hum25Abs4a.def().citation;
        assert_eq!(spell(&c, Style::Roman, true), "25 IVa AufenthG");
        assert_eq!(spell(&c, Style::Long, true), "§ 25 Absatz 4a AufenthG");
        let c = StatusId::Duldung60c.def().citation;
        assert_eq!(
            spell(&c, Style::Long, false),
            "§ 60c Absatz 1 Satz 1 Nummer 1 AufenthG"
        );
        assert_eq!(
            spell(&StatusId::Arb.def().citation, Style::Dot, false),
            "Art. 7 ARB 1/80"
        );
    }
}
