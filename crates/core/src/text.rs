//! The project's text folder: how names, headers and values are compared across exports.

/// `text` folded for comparison: lower case, umlauts and ß spelled out (`ä` → `ae`), only
/// letters and digits kept ("Staatsangehörigkeit (Schlüssel)" → "staatsangehoerigkeitschluessel").
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars().flat_map(char::to_lowercase) {
        match ch {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c if c.is_alphanumeric() => out.push(c),
            _ => {}
        }
    }
    out
}

/// Formats a TOML error as "<what>, Zeile N: message".
pub(crate) fn toml_error(what: &str, text: &str, error: &toml::de::Error) -> String {
    let line = error.span().map(|span| {
        text.get(..span.start)
            .map_or(0, |t| t.lines().count().max(1))
    });
    match line {
        Some(line) => format!("{what}, Zeile {line}: {}", error.message().trim()),
        None => format!("{what}: {}", error.message().trim()),
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_case_umlauts_and_punctuation() {
        assert_eq!(
            fold("Staatsangehörigkeit (Schlüssel)"),
            "staatsangehoerigkeitschluessel"
        );
        assert_eq!(fold("Straße Nr."), "strassenr");
        assert_eq!(fold("  "), "");
    }
}
