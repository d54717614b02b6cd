//! Name normalisation: lower case, diacritics and letters beyond Windows-1252 (DIN SPEC 91379,
//! e.g. `Ł`, `ș`, `ğ`, `ı`) folded to base letters, German umlauts written out (`ä` = `ae`),
//! particles (`von`, `al`, `de` …) set aside, hyphenated and several names split into tokens.
//! Computed once per distinct name, never per record.

/// Name particles that are left out of the compact form (`Al-Hassan` = `Hassan`).
const PARTICLES: &[&str] = &[
    "al", "el", "von", "van", "vom", "zu", "zum", "zur", "de", "der", "den", "del", "della", "di",
    "da", "dos", "das", "du", "la", "le", "ibn", "bin", "ben", "ter", "ten",
];

/// The base letters of one lower-case character; `None` for a separator, `Some("")` to drop it.
fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        'a'..='z' | '0'..='9' => return None,
        'ä' | 'æ' | 'ǽ' => "ae",
        'ö' | 'ø' | 'œ' => "oe",
        'ü' => "ue",
        'ß' => "ss",
        'þ' => "th",
        'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' | 'ǎ' | 'ạ' | 'ả' | 'ấ' | 'ầ' | 'ẩ' | 'ẫ'
        | 'ậ' | 'ắ' | 'ằ' | 'ẳ' | 'ẵ' | 'ặ' => "a",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'ẹ' | 'ẻ' | 'ẽ' | 'ế' | 'ề' | 'ể'
        | 'ễ' | 'ệ' | 'ə' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' | 'ǧ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ǐ' | 'ị' | 'ỉ' => "i",
        'ĵ' => "j",
        'ķ' | 'ǩ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' | 'ŋ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ō' | 'ŏ' | 'ő' | 'ǒ' | 'ơ' | 'ọ' | 'ỏ' | 'ố' | 'ồ' | 'ổ' | 'ỗ'
        | 'ộ' | 'ớ' | 'ờ' | 'ở' | 'ỡ' | 'ợ' => "o",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' | 'ſ' => "s",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ǔ' | 'ư' | 'ụ' | 'ủ' | 'ứ' | 'ừ'
        | 'ử' | 'ữ' | 'ự' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' | 'ỳ' | 'ỵ' | 'ỷ' | 'ỹ' => "y",
        'ź' | 'ż' | 'ž' | 'ƶ' => "z",
        // An unrepresentable letter written as `?` by a Windows-1252 export: a wildcard.
        '?' => "?",
        // Apostrophes and combining marks (e.g. the dot of `İ` lower-cased) vanish.
        '\'' | '’' | '`' | '´' | '\u{300}'..='\u{36f}' => "",
        c if c.is_alphabetic() => return Some(""),
        _ => return Some(" "),
    })
}

/// Folds a name to lower-case base letters; separators (space, hyphen, comma …) become one
/// space. Letters outside the table (other scripts) are dropped.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match fold_char(c) {
            None => out.push(c),
            Some(" ") => {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            Some(s) => out.push_str(s),
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// A name prepared for comparison.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NormName {
    /// All tokens joined without separators (`al hassan` -> `alhassan`).
    pub full: String,
    /// Tokens without particles joined (`hassan`); equal to `full` if all tokens are particles.
    pub compact: String,
    /// Tokens without particles, in order (several given names, parts of double names).
    pub tokens: Vec<String>,
    /// Kölner Phonetik of `compact`.
    pub phonetic: String,
    /// Kölner Phonetik of each token.
    pub token_phonetics: Vec<String>,
    /// The name holds a `?` (a letter an export could not encode).
    pub wild: bool,
    /// Hash of `compact` (0 if empty), to compare without touching the text.
    pub compact_key: u64,
    /// Hash of `full` (0 if empty).
    pub full_key: u64,
    /// Hash of each token.
    pub token_keys: Vec<u64>,
    /// Hash of `phonetic` (0 if empty).
    pub phonetic_key: u64,
    /// Hash of each token's phonetic code (0 if empty).
    pub token_phonetic_keys: Vec<u64>,
}

/// A non-zero hash of a non-empty text, 0 for the empty one.
pub fn key(text: &str) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    if text.is_empty() {
        return 0;
    }
    let mut h = DefaultHasher::new();
    text.hash(&mut h);
    h.finish() | 1
}

impl NormName {
    /// True for an empty name.
    pub fn is_empty(&self) -> bool {
        self.full.is_empty()
    }
}

/// Normalises one name (family, given or birth name).
pub fn normalize_name(text: &str) -> NormName {
    let folded = fold(text);
    let all: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
    let mut tokens: Vec<String> = all
        .iter()
        .filter(|t| !PARTICLES.contains(t))
        .map(|t| t.to_string())
        .collect();
    if tokens.is_empty() {
        tokens = all.iter().map(|t| t.to_string()).collect();
    }
    let full: String = all.concat();
    let compact: String = tokens.concat();
    let phonetic = super::phonetic::koelner_phonetik(&compact);
    let token_phonetics: Vec<String> = tokens
        .iter()
        .map(|t| super::phonetic::koelner_phonetik(t))
        .collect();
    NormName {
        wild: full.contains('?'),
        compact_key: key(&compact),
        full_key: key(&full),
        token_keys: tokens.iter().map(|t| key(t)).collect(),
        phonetic_key: key(&phonetic),
        token_phonetic_keys: token_phonetics.iter().map(|t| key(t)).collect(),
        full,
        compact,
        tokens,
        phonetic,
        token_phonetics,
    }
}

/// Equality where `?` (a letter an export could not encode) matches any one letter.
pub fn eq_wild(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if !a.contains('?') && !b.contains('?') {
        return false;
    }
    let (mut x, mut y) = (a.chars(), b.chars());
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p == q || p == '?' || q == '?' => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn umlauts_and_din_91379_letters_fold_to_base_letters() {
        assert_eq!(fold("Müller"), "mueller");
        assert_eq!(fold("MUELLER"), "mueller");
        assert_eq!(fold("Straßer"), "strasser");
        assert_eq!(fold("Łukasz"), "lukasz");
        assert_eq!(fold("Ștefănescu"), "stefanescu");
        assert_eq!(fold("Yılmaz"), "yilmaz");
        assert_eq!(fold("Doğan"), "dogan");
        assert_eq!(fold("İnce"), "ince");
        assert_eq!(fold("Đorđević"), "dordevic");
        assert_eq!(fold("O'Brien"), "obrien");
        assert_eq!(fold(" Al-Hassan , "), "al hassan");
    }

    #[test]
    fn particles_hyphens_and_several_names_become_tokens() {
        let n = normalize_name("Al-Hassan");
        assert_eq!(n.full, "alhassan");
        assert_eq!(n.compact, "hassan");
        assert_eq!(n.tokens, ["hassan"]);
        let n = normalize_name("von der Heide");
        assert_eq!(n.compact, "heide");
        let n = normalize_name("Müller-Lüdenscheidt");
        assert_eq!(n.tokens, ["mueller", "luedenscheidt"]);
        let n = normalize_name("Anna Maria  Luise");
        assert_eq!(n.tokens, ["anna", "maria", "luise"]);
        let n = normalize_name("De La");
        assert_eq!(n.compact, "dela");
        assert!(normalize_name(" - ").is_empty());
    }

    #[test]
    fn question_marks_are_wildcards() {
        assert_eq!(fold("?ukasz"), "?ukasz");
        assert!(eq_wild("?ukasz", "lukasz"));
        assert!(!eq_wild("?ukasz", "lukas"));
        assert!(!eq_wild("lukasz", "lukasc"));
    }
}
