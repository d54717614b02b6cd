//! The form of protection of a refugee, as Destatis reports Schutzsuchende: the open,
//! recognised and rejected protection status ([`DestatisGroup`]) and, within the recognised
//! one, Asylberechtigung, Flüchtlingsschutz, subsidiärer Schutz, Abschiebungsverbot and
//! vorübergehender Schutz. A rule of the rules file names the form of its legal basis
//! (`schutzstatus`); without one, the category decides ([`ProtectionForm::default_for`]).

use super::{Category, DestatisGroup};

/// The form of protection of a refugee.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProtectionForm {
    /// In the asylum procedure: Ankunftsnachweis, Aufenthaltsgestattung.
    Asylverfahren,
    /// Asylberechtigung (Art. 16a GG, § 25 Abs. 1).
    Asylberechtigung,
    /// Flüchtlingsschutz under the Geneva Convention (§ 25 Abs. 2 S. 1 Alt. 1).
    Fluechtlingsschutz,
    /// Subsidiärer Schutz (§ 25 Abs. 2 S. 1 Alt. 2).
    SubsidiaererSchutz,
    /// § 25 Abs. 2 without the Alternative: one of the two, the export does not say which.
    FluechtlingsOderSubsidiaererSchutz,
    /// Nationales Abschiebungsverbot (§ 25 Abs. 3).
    Abschiebungsverbot,
    /// Vorübergehender Schutz (§ 24).
    VoruebergehenderSchutz,
    /// A permanent humanitarian title (Niederlassungserlaubnis, § 26 Abs. 3 and 4).
    UnbefristeterHumanitaererAufenthalt,
    /// Every other humanitarian title.
    SonstigerHumanitaererAufenthalt,
    /// Duldung.
    Duldung,
}

impl ProtectionForm {
    /// Every form, in table order.
    pub const ALL: [ProtectionForm; 10] = [
        ProtectionForm::Asylverfahren,
        ProtectionForm::Asylberechtigung,
        ProtectionForm::Fluechtlingsschutz,
        ProtectionForm::SubsidiaererSchutz,
        ProtectionForm::FluechtlingsOderSubsidiaererSchutz,
        ProtectionForm::Abschiebungsverbot,
        ProtectionForm::VoruebergehenderSchutz,
        ProtectionForm::UnbefristeterHumanitaererAufenthalt,
        ProtectionForm::SonstigerHumanitaererAufenthalt,
        ProtectionForm::Duldung,
    ];

    /// Key in the rules file (`schutzstatus = "…"`) and in tables.
    pub fn key(self) -> &'static str {
        match self {
            ProtectionForm::Asylverfahren => "asylverfahren",
            ProtectionForm::Asylberechtigung => "asylberechtigung",
            ProtectionForm::Fluechtlingsschutz => "fluechtlingsschutz",
            ProtectionForm::SubsidiaererSchutz => "subsidiaerer_schutz",
            ProtectionForm::FluechtlingsOderSubsidiaererSchutz => "fluechtlings_oder_subsidiaerer",
            ProtectionForm::Abschiebungsverbot => "abschiebungsverbot",
            ProtectionForm::VoruebergehenderSchutz => "voruebergehender_schutz",
            ProtectionForm::UnbefristeterHumanitaererAufenthalt => "unbefristeter_humanitaerer",
            ProtectionForm::SonstigerHumanitaererAufenthalt => "sonstiger_humanitaerer",
            ProtectionForm::Duldung => "duldung",
        }
    }

    /// German label (a table row).
    pub fn label(self) -> &'static str {
        match self {
            ProtectionForm::Asylverfahren => {
                "im Asylverfahren (Ankunftsnachweis, Aufenthaltsgestattung)"
            }
            ProtectionForm::Asylberechtigung => "Asylberechtigung (§ 25 Abs. 1)",
            ProtectionForm::Fluechtlingsschutz => "Flüchtlingsschutz (§ 25 Abs. 2 Alt. 1)",
            ProtectionForm::SubsidiaererSchutz => "subsidiärer Schutz (§ 25 Abs. 2 Alt. 2)",
            ProtectionForm::FluechtlingsOderSubsidiaererSchutz => {
                "Flüchtlings- oder subsidiärer Schutz (§ 25 Abs. 2, Alternative nicht angegeben)"
            }
            ProtectionForm::Abschiebungsverbot => "Abschiebungsverbot (§ 25 Abs. 3)",
            ProtectionForm::VoruebergehenderSchutz => "vorübergehender Schutz (§ 24)",
            ProtectionForm::UnbefristeterHumanitaererAufenthalt => {
                "unbefristeter humanitärer Aufenthalt (Niederlassungserlaubnis)"
            }
            ProtectionForm::SonstigerHumanitaererAufenthalt => "sonstiger humanitärer Aufenthalt",
            ProtectionForm::Duldung => "Duldung",
        }
    }

    /// The form of a key of the rules file.
    pub fn from_key(key: &str) -> Option<ProtectionForm> {
        ProtectionForm::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The Destatis group of the form.
    pub fn group(self) -> DestatisGroup {
        match self {
            ProtectionForm::Asylverfahren => DestatisGroup::Offen,
            ProtectionForm::Duldung => DestatisGroup::Abgelehnt,
            _ => DestatisGroup::Anerkannt,
        }
    }

    /// The form of a refugee category whose rule names none; `None` for categories that are
    /// not refugees.
    pub fn default_for(category: Category) -> Option<ProtectionForm> {
        match category {
            Category::Ankunftsnachweis | Category::Gestattung => {
                Some(ProtectionForm::Asylverfahren)
            }
            Category::Humanitaer => Some(ProtectionForm::SonstigerHumanitaererAufenthalt),
            Category::Duldung => Some(ProtectionForm::Duldung),
            Category::Sonstige | Category::KeinFluechtling => None,
        }
    }

    /// True if a rule of `category` may name this form: the form's group is the category's.
    pub fn fits(self, category: Category) -> bool {
        category.destatis_group() == Some(self.group())
    }
}

impl DestatisGroup {
    /// Key in tables.
    pub fn key(self) -> &'static str {
        match self {
            DestatisGroup::Offen => "offen",
            DestatisGroup::Anerkannt => "anerkannt",
            DestatisGroup::Abgelehnt => "abgelehnt",
        }
    }
}
