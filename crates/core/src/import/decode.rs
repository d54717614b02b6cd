//! Text decoding: BOM, else strict UTF-8, else Windows-1252; UTF-16 only with a BOM.
//! Never ISO-8859-1 (its 0x80-0x9F differ from Windows-1252), never a lossy guess.

use std::borrow::Cow;

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

use super::ImportError;

/// The encoding a text file was read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TextEncoding {
    /// UTF-8 with byte order mark.
    Utf8Bom,
    /// UTF-8 without byte order mark (strictly valid).
    Utf8,
    /// Windows-1252 (German Excel's default for CSV).
    Windows1252,
    /// UTF-16 little endian with byte order mark.
    Utf16Le,
    /// UTF-16 big endian with byte order mark.
    Utf16Be,
}

impl TextEncoding {
    /// Name shown in the import report.
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8Bom => "UTF-8 mit BOM",
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Windows1252 => "Windows-1252",
            TextEncoding::Utf16Le => "UTF-16 LE",
            TextEncoding::Utf16Be => "UTF-16 BE",
        }
    }
}

/// Decodes a whole text file. Borrows the input where it already is valid UTF-8.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, TextEncoding), ImportError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok((Cow::Borrowed(s), TextEncoding::Utf8Bom)),
            Err(e) => Err(ImportError::InvalidUtf8 {
                byte_offset: e.valid_up_to() + 3,
            }),
        };
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let (text, had_errors) = UTF_16LE.decode_without_bom_handling(rest);
        return if had_errors {
            Err(ImportError::InvalidUtf16)
        } else {
            Ok((Cow::Owned(text.into_owned()), TextEncoding::Utf16Le))
        };
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let (text, had_errors) = UTF_16BE.decode_without_bom_handling(rest);
        return if had_errors {
            Err(ImportError::InvalidUtf16)
        } else {
            Ok((Cow::Owned(text.into_owned()), TextEncoding::Utf16Be))
        };
    }
    if looks_like_utf16_without_bom(bytes) {
        return Err(ImportError::Utf16WithoutBom);
    }
    if looks_binary(bytes) {
        return Err(ImportError::NotText);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((Cow::Borrowed(s), TextEncoding::Utf8)),
        Err(_) => Ok((
            Cow::Owned(decode_windows_1252(bytes)),
            TextEncoding::Windows1252,
        )),
    }
}

/// Windows-1252 to UTF-8 into a string of exactly the needed size (the general decoder
/// reserves for the worst case, three bytes per input byte, which for a large export costs
/// more memory than the text itself).
fn decode_windows_1252(bytes: &[u8]) -> String {
    let mut utf8_len = [1usize; 256];
    for (byte, len) in utf8_len.iter_mut().enumerate().skip(0x80) {
        let single = [byte as u8];
        *len = WINDOWS_1252.decode_without_bom_handling(&single).0.len();
    }
    let exact: usize = bytes.iter().map(|b| utf8_len[usize::from(*b)]).sum();
    let mut out = String::with_capacity(exact);
    let mut decoder = WINDOWS_1252.new_decoder_without_bom_handling();
    let mut rest = bytes;
    loop {
        let (result, read, _) = decoder.decode_to_string(rest, &mut out, true);
        rest = &rest[read..];
        match result {
            encoding_rs::CoderResult::InputEmpty => return out,
            encoding_rs::CoderResult::OutputFull => out.reserve(rest.len() * 3 + 16),
        }
    }
}

/// Every other byte zero in the first kilobyte: UTF-16 text whose BOM is missing.
fn looks_like_utf16_without_bom(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    if head.len() < 8 {
        return false;
    }
    let even_zero = head.iter().step_by(2).filter(|b| **b == 0).count();
    let odd_zero = head.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let half = head.len() / 2;
    (even_zero * 10 >= half * 7 && odd_zero * 10 <= half)
        || (odd_zero * 10 >= half * 7 && even_zero * 10 <= half)
}

/// NUL bytes or many control characters in the first 4 KiB: not a text export.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    if head.contains(&0) {
        return true;
    }
    let control = head
        .iter()
        .filter(|b| **b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    control * 20 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let (text, enc) = decode("Name;Straße\n".as_bytes()).unwrap();
        assert_eq!((text.as_ref(), enc), ("Name;Straße\n", TextEncoding::Utf8));
        let (text, enc) = decode(b"\xEF\xBB\xBFName;Stra\xC3\x9Fe").unwrap();
        assert_eq!((text.as_ref(), enc), ("Name;Straße", TextEncoding::Utf8Bom));
    }

    #[test]
    fn windows_1252_when_not_utf8_including_the_euro_range() {
        // 0x80 is the euro sign in Windows-1252 (a control character in ISO-8859-1),
        // 0x9A is š.
        let (text, enc) = decode(b"M\xFCller;\x80;Ko\x9Aice").unwrap();
        assert_eq!(enc, TextEncoding::Windows1252);
        assert_eq!(text, "Müller;€;Košice");
    }

    #[test]
    fn utf16_with_bom_keeps_characters_beyond_windows_1252() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Łukasz;Ștefan;Ağa".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let (text, enc) = decode(&bytes).unwrap();
        assert_eq!(
            (text.as_ref(), enc),
            ("Łukasz;Ștefan;Ağa", TextEncoding::Utf16Le)
        );
    }

    #[test]
    fn utf16_without_bom_and_binary_are_refused() {
        let bytes: Vec<u8> = "Name;Vorname;Geburtsdatum\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(matches!(decode(&bytes), Err(ImportError::Utf16WithoutBom)));
        assert!(matches!(
            decode(&[0x50, 0x4B, 0x03, 0x04, 0, 0, 1, 2, 3, 0, 0, 9]),
            Err(ImportError::NotText)
        ));
    }
}
