//! Text encodings and the text transformations registers apply: Windows-1252 with the
//! replacement real exporters make, UTF-16, umlauts written out, upper case.

/// Windows-1252 bytes 0x80-0x9F (`None` = undefined in Windows-1252).
const CP1252_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// The Windows-1252 byte of a character, if it has one.
pub(crate) fn cp1252_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if u < 0x80 || (0xA0..=0xFF).contains(&u) {
        return Some(u as u8);
    }
    CP1252_HIGH
        .iter()
        .position(|x| *x == Some(c))
        .map(|i| 0x80 + i as u8)
}

/// Whether every character of `s` exists in Windows-1252.
pub(crate) fn fits_cp1252(s: &str) -> bool {
    s.chars().all(|c| cp1252_byte(c).is_some())
}

/// The ASCII (or Windows-1252) fallback a transliterating exporter writes for a character
/// outside Windows-1252, as `iconv //TRANSLIT` does for Latin letters.
fn translit_char(c: char) -> Option<&'static str> {
    Some(match c {
        'Ł' => "L",
        'ł' => "l",
        'Ą' => "A",
        'ą' => "a",
        'Ć' | 'Č' => "C",
        'ć' | 'č' => "c",
        'Ę' | 'Ė' | 'Ě' => "E",
        'ę' | 'ė' | 'ě' => "e",
        'Ń' | 'Ň' => "N",
        'ń' | 'ň' => "n",
        'Ś' | 'Ș' | 'Ş' => "S",
        'ś' | 'ș' | 'ş' => "s",
        'Ź' | 'Ż' => "Z",
        'ź' | 'ż' => "z",
        'Ț' | 'Ţ' | 'Ť' => "T",
        'ț' | 'ţ' | 'ť' => "t",
        'Ă' | 'Ā' => "A",
        'ă' | 'ā' => "a",
        'Ğ' => "G",
        'ğ' => "g",
        'İ' => "I",
        'ı' => "i",
        'Đ' => "D",
        'đ' => "d",
        'Ř' => "R",
        'ř' => "r",
        'Ő' => "O",
        'ő' => "o",
        'Ű' | 'Ů' => "U",
        'ű' | 'ů' => "u",
        'Ī' => "I",
        'ī' => "i",
        'Ē' => "E",
        'ē' => "e",
        'Ō' => "O",
        'ō' => "o",
        'Ū' => "U",
        'ū' => "u",
        _ => return None,
    })
}

/// How an exporter writes characters beyond Windows-1252.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cp1252Fallback {
    /// `Ł` -> `L`, `ș` -> `s` (iconv `//TRANSLIT`).
    Transliterate,
    /// `Ł` -> `?` (naive conversion).
    QuestionMark,
}

/// `s` made representable in Windows-1252; the flag says whether anything was replaced.
pub(crate) fn to_cp1252_repr(s: &str, fallback: Cp1252Fallback) -> (String, bool) {
    if fits_cp1252(s) {
        return (s.to_string(), false);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if cp1252_byte(c).is_some() {
            out.push(c);
        } else {
            match (fallback, translit_char(c)) {
                (Cp1252Fallback::Transliterate, Some(r)) => out.push_str(r),
                _ => out.push('?'),
            }
        }
    }
    (out, true)
}

/// Encodes text to Windows-1252; characters outside it become `?` (callers replace them first).
pub(crate) fn encode_cp1252(s: &str, out: &mut Vec<u8>) {
    for c in s.chars() {
        out.push(cp1252_byte(c).unwrap_or(b'?'));
    }
}

/// Encodes text to UTF-16 little endian (no BOM).
pub(crate) fn encode_utf16le(s: &str, out: &mut Vec<u8>) {
    for unit in s.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
}

/// German umlauts written out: `Müller` -> `Mueller`, `Weiß` -> `Weiss`.
pub(crate) fn umlauts_written_out(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'Ä' => out.push_str("Ae"),
            'Ö' => out.push_str("Oe"),
            'Ü' => out.push_str("Ue"),
            'ß' => out.push_str("ss"),
            _ => out.push(c),
        }
    }
    out
}

/// Whether `s` contains a German umlaut or ß.
pub(crate) fn has_umlaut(s: &str) -> bool {
    s.chars().any(|c| "äöüÄÖÜß".contains(c))
}

/// Upper case as old mainframe exports write it (`ß` -> `SS`).
pub(crate) fn upper(s: &str) -> String {
    s.to_uppercase()
}

/// Removes characters that would break a file without quoting (SchILD): the delimiter and
/// line breaks become spaces.
pub(crate) fn sanitize_unquoted(s: &str, delimiter: char) -> String {
    s.chars()
        .map(|c| {
            if c == delimiter || c == '\n' || c == '\r' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// A count with German thousands separators (`58123` -> `58.123`).
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp1252_maps_the_special_range() {
        assert_eq!(cp1252_byte('€'), Some(0x80));
        assert_eq!(cp1252_byte('Š'), Some(0x8A));
        assert_eq!(cp1252_byte('ž'), Some(0x9E));
        assert_eq!(cp1252_byte('ü'), Some(0xFC));
        assert_eq!(cp1252_byte('Ł'), None);
        assert_eq!(cp1252_byte('\u{81}'), None);
        let mut out = Vec::new();
        encode_cp1252("Grüße €", &mut out);
        assert_eq!(out, b"Gr\xfc\xdfe \x80");
    }

    #[test]
    fn beyond_cp1252_is_replaced_like_an_exporter() {
        let (t, changed) = to_cp1252_repr("Łukasz Wiśniewski", Cp1252Fallback::Transliterate);
        assert_eq!(t, "Lukasz Wisniewski");
        assert!(changed);
        let (q, _) = to_cp1252_repr("Ștefan Yağmur", Cp1252Fallback::QuestionMark);
        assert_eq!(q, "?tefan Ya?mur");
        let (same, changed) = to_cp1252_repr("Müller", Cp1252Fallback::Transliterate);
        assert_eq!(same, "Müller");
        assert!(!changed);
        assert_eq!(umlauts_written_out("Weiß Özdemir"), "Weiss Oezdemir");
        assert_eq!(upper("Bismarckstraße"), "BISMARCKSTRASSE");
    }
}
