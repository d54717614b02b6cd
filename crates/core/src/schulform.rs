//! The Schulformen of NRW: their codes and labels, the key of a SchILD value, and the school
//! number and Schulform in the name of a SchILD file's folder.

use crate::text::fold;

/// Key of an unknown Schulform or Jahrgang.
pub const UNKNOWN: &str = "ohne";

/// The Schulformen of NRW (the codes of the school statistics) with their German labels, in
/// table order.
pub const SCHULFORMEN: [(&str, &str); 15] = [
    ("G", "Grundschule"),
    ("V", "Volksschule"),
    ("H", "Hauptschule"),
    ("R", "Realschule"),
    ("SK", "Sekundarschule"),
    ("GM", "Gemeinschaftsschule"),
    ("PS", "PRIMUS-Schule"),
    ("GE", "Gesamtschule"),
    ("GY", "Gymnasium"),
    ("S", "Förderschule"),
    ("KS", "Schule für Kranke"),
    ("FW", "Freie Waldorfschule"),
    ("HI", "Hiberniaschule"),
    ("BK", "Berufskolleg"),
    ("WB", "Weiterbildungskolleg"),
];

/// The Schulform key of a SchILD value: a code of [`SCHULFORMEN`] or its label (case does
/// not matter), else the value itself; [`UNKNOWN`] if empty.
pub fn schulform_key(value: &str) -> String {
    let value = value.trim();
    if value.is_empty() {
        return UNKNOWN.to_string();
    }
    SCHULFORMEN
        .iter()
        .find(|(code, label)| code.eq_ignore_ascii_case(value) || label.eq_ignore_ascii_case(value))
        .map(|(code, _)| (*code).to_string())
        .unwrap_or_else(|| value.to_string())
}

/// School number and Schulform from the name of a SchILD file's folder (or file), e.g.
/// `184549_Gymnasium_Bahnhofhoefe`: the leading digits are the school number, a word such as
/// `Gymnasium`, `Grundschule` or `Berufskolleg` gives the Schulform.
pub fn school_from_name(name: &str) -> (Option<String>, Option<String>) {
    let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
    let number = (digits.len() >= 5).then_some(digits);
    let folded = fold(name);
    const WORDS: [(&str, &str); 13] = [
        ("grundschule", "G"),
        ("volksschule", "V"),
        ("hauptschule", "H"),
        ("realschule", "R"),
        ("sekundarschule", "SK"),
        ("gemeinschaftsschule", "GM"),
        ("primus", "PS"),
        ("gesamtschule", "GE"),
        ("gymnasium", "GY"),
        ("foerderschule", "S"),
        ("waldorf", "FW"),
        ("berufskolleg", "BK"),
        ("weiterbildungskolleg", "WB"),
    ];
    // "Gemeinschaftsgrundschule" is a Grundschule; the longest word found wins.
    let form = WORDS
        .iter()
        .filter(|(w, _)| folded.contains(w))
        .max_by_key(|(w, _)| w.len())
        .map(|(_, f)| (*f).to_string());
    let form = match form.as_deref() {
        Some("GM") if folded.contains("grundschule") => Some("G".to_string()),
        _ => form,
    };
    (number, form)
}
