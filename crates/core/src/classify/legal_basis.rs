//! The `Erteilungsgrund` of the foreigners register: free-text legal citations such as
//! `§ 25 Abs. 2 S. 1 Alt. 1 AufenthG`, `25 II AufenthG`, `AufenthG 25/2` or `§ 55 AsylVfG`,
//! parsed into a structured [`LegalBasis`] with one canonical spelling ([`std::fmt::Display`]).
//!
//! The parser never panics; anything it does not understand completely yields `None`, which the
//! classification lists as "needs mapping" instead of guessing.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::text::fold;

/// Longest text the parser looks at; a legal citation is far shorter.
const MAX_INPUT_CHARS: usize = 200;

/// The statute a citation refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Law {
    /// Aufenthaltsgesetz (since 2005).
    AufenthG,
    /// Asylgesetz (until 23.10.2015 Asylverfahrensgesetz, AsylVfG: same paragraphs).
    AsylG,
    /// Ausländergesetz (until 2004).
    AuslG,
    /// Asylbewerberleistungsgesetz.
    AsylbLG,
    /// Freizügigkeitsgesetz/EU.
    FreizuegG,
    /// Beschluss Nr. 1/80 des Assoziationsrats EWG-Türkei (cited by Artikel).
    Arb180,
}

impl Law {
    /// Every law, in a fixed order.
    pub const ALL: [Law; 6] = [
        Law::AufenthG,
        Law::AsylG,
        Law::AuslG,
        Law::AsylbLG,
        Law::FreizuegG,
        Law::Arb180,
    ];

    /// The usual abbreviation: `AufenthG`, `AsylG`, `AuslG`, `AsylbLG`, `FreizügG/EU`, `ARB 1/80`.
    pub fn name(self) -> &'static str {
        match self {
            Law::AufenthG => "AufenthG",
            Law::AsylG => "AsylG",
            Law::AuslG => "AuslG",
            Law::AsylbLG => "AsylbLG",
            Law::FreizuegG => "FreizügG/EU",
            Law::Arb180 => "ARB 1/80",
        }
    }

    /// The law of an abbreviation or full name (case, umlaut spelling and punctuation do not
    /// matter); `AsylVfG` yields `AsylG` with `true` (cited under the old name).
    pub fn from_name(text: &str) -> Option<(Law, bool)> {
        match fold(text).as_str() {
            "arb180" | "arb" => Some((Law::Arb180, false)),
            "freizueggeu" | "freizuegg" => Some((Law::FreizuegG, false)),
            folded => law_word(folded),
        }
    }

    /// Articles instead of paragraphs (`Art. 7 ARB 1/80`).
    fn cites_articles(self) -> bool {
        self == Law::Arb180
    }
}

/// A law named by one folded word (see [`Law::from_name`]).
fn law_word(folded: &str) -> Option<(Law, bool)> {
    Some(match folded {
        "aufenthg" | "aufenthaltg" | "aufenthaltsg" | "aufenthaltsgesetz" | "aufentg" => {
            (Law::AufenthG, false)
        }
        "asylg" | "asylgesetz" => (Law::AsylG, false),
        "asylvfg" | "asylverfg" | "asylverfahrensgesetz" => (Law::AsylG, true),
        "auslg" | "auslaendergesetz" => (Law::AuslG, false),
        "asylblg" | "asylbewerberleistungsgesetz" => (Law::AsylbLG, false),
        _ => return None,
    })
}

/// A paragraph (or article) number with an optional letter: `60a`, `25`, `104c`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Paragraph {
    /// Number, 1-999.
    pub number: u16,
    /// Lower-case letter, if any.
    pub letter: Option<char>,
}

/// Splits `"60a"`, `"60 a"`, `"25"` into number and optional letter; `None` if anything else
/// follows the digits.
fn number_and_letter(text: &str) -> Option<(u16, Option<char>)> {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let number: u16 = text.get(..digits)?.parse().ok()?;
    let rest = text.get(digits..)?.trim();
    match single_letter(rest) {
        Some(c) => Some((number, Some(c))),
        None if rest.is_empty() => Some((number, None)),
        None => None,
    }
}

impl Paragraph {
    /// Parses `"60a"`, `"60 a"`, `"25"`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Paragraph> {
        let (number, letter) = number_and_letter(text.trim())?;
        (1..=999)
            .contains(&number)
            .then_some(Paragraph { number, letter })
    }
}

impl fmt::Display for Paragraph {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number)?;
        if let Some(l) = self.letter {
            write!(f, "{l}")?;
        }
        Ok(())
    }
}

/// An Absatz: number with an optional letter (`4a`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Absatz {
    /// Number, 1-99.
    pub number: u8,
    /// Lower-case letter, if any.
    pub letter: Option<char>,
}

impl Absatz {
    /// Parses `"2"`, `"4a"`, `"II"`, `"IVa"`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Absatz> {
        let text = text.trim();
        if !text.starts_with(|c: char| c.is_ascii_digit()) {
            return roman_absatz(text);
        }
        let (number, letter) = number_and_letter(text)?;
        let number = u8::try_from(number).ok().filter(|n| (1..=99).contains(n))?;
        Some(Absatz { number, letter })
    }
}

impl fmt::Display for Absatz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number)?;
        if let Some(l) = self.letter {
            write!(f, "{l}")?;
        }
        Ok(())
    }
}

/// A structured legal citation. Two spellings of the same provision parse to equal values;
/// [`std::fmt::Display`] writes the canonical spelling, e.g. `§ 25 Abs. 2 S. 1 Alt. 1 AufenthG`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LegalBasis {
    /// The law (AsylVfG normalised to AsylG).
    pub law: Law,
    /// Cited under the old name AsylVfG (only with `law == AsylG`); kept so that the value
    /// formats back as written. Rules match on `law` alone.
    pub cited_as_asylvfg: bool,
    /// Paragraph (for ARB 1/80: Artikel).
    pub paragraph: Paragraph,
    /// Absatz.
    pub absatz: Option<Absatz>,
    /// Satz.
    pub satz: Option<u8>,
    /// Nummer.
    pub nummer: Option<u8>,
    /// Letter of the Nummer (`Nr. 1a`), only with a Nummer.
    pub nummer_letter: Option<char>,
    /// Buchstabe (`lit.`).
    pub buchstabe: Option<char>,
    /// Alternative.
    pub alternative: Option<u8>,
}

/// Ways of writing "in Verbindung mit" between two citations (compared without case).
const REFERENCE_MARKERS: [&str; 7] = [
    "in verbindung mit",
    "i. v. m.",
    "i.v.m.",
    "i. v. m",
    "i.v.m",
    "i.v. m.",
    "ivm",
];

/// Splits a value citing one provision "in Verbindung mit" another (`§ 81 Abs. 4 AufenthG
/// i. V. m. § 25 Abs. 2 AufenthG`) at the first marker: the provision and the one it refers
/// to; `None` without a marker or with an empty side.
pub fn split_reference(text: &str) -> Option<(&str, &str)> {
    let lower = text.to_ascii_lowercase();
    let (at, marker) = REFERENCE_MARKERS
        .iter()
        .filter_map(|m| {
            lower
                .match_indices(m)
                .find(|(i, _)| {
                    let before = lower[..*i].chars().next_back();
                    let after = lower[i + m.len()..].chars().next();
                    before.is_none_or(|c| !c.is_alphanumeric())
                        && after.is_none_or(|c| !c.is_alphanumeric())
                })
                .map(|(i, _)| (i, std::cmp::Reverse(m.len())))
        })
        .min()
        .map(|(i, std::cmp::Reverse(len))| (i, len))?;
    let (first, second) = (text[..at].trim(), text[at + marker..].trim());
    (!first.is_empty() && !second.is_empty()).then_some((first, second))
}

impl LegalBasis {
    /// Parses a free-text citation; `None` if any part of it is not understood.
    pub fn parse(text: &str) -> Option<LegalBasis> {
        if text.chars().count() > MAX_INPUT_CHARS {
            return None;
        }
        let mut tokens = tokenize(text)?;
        while matches!(
            tokens.last(),
            Some(Token {
                tok: Tok::Punct('.' | ',' | ';' | ':'),
                ..
            })
        ) {
            tokens.pop();
        }
        let (law, asylvfg, start, end) = find_law(&tokens)?;
        let body: Vec<Token> = if start == 0 {
            tokens.get(end..)?.to_vec()
        } else if end == tokens.len() {
            tokens.get(..start)?.to_vec()
        } else {
            return None;
        };
        let mut parser = Parser {
            toks: &body,
            pos: 0,
        };
        let mut basis = parser.citation(law)?;
        basis.cited_as_asylvfg = asylvfg;
        Some(basis)
    }

    /// The law as cited (`AsylVfG` for old citations).
    pub fn law_as_cited(&self) -> &'static str {
        if self.cited_as_asylvfg && self.law == Law::AsylG {
            "AsylVfG"
        } else {
            self.law.name()
        }
    }
}

impl std::str::FromStr for LegalBasis {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LegalBasis::parse(s).ok_or_else(|| format!("Rechtsgrundlage „{s}“ nicht lesbar"))
    }
}

impl fmt::Display for LegalBasis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix = if self.law.cites_articles() {
            "Art."
        } else {
            "§"
        };
        write!(f, "{prefix} {}", self.paragraph)?;
        if let Some(a) = self.absatz {
            write!(f, " Abs. {a}")?;
        }
        if let Some(s) = self.satz {
            write!(f, " S. {s}")?;
        }
        if let Some(n) = self.nummer {
            write!(f, " Nr. {n}")?;
            if let Some(l) = self.nummer_letter {
                write!(f, "{l}")?;
            }
        }
        if let Some(b) = self.buchstabe {
            write!(f, " lit. {b}")?;
        }
        if let Some(a) = self.alternative {
            write!(f, " Alt. {a}")?;
        }
        write!(f, " {}", self.law_as_cited())
    }
}

/// A lexical token of a citation.
#[derive(Clone, Debug, PartialEq)]
enum Tok {
    /// Decimal digits (at most 4).
    Num(u16),
    /// A run of letters, as written.
    Word(String),
    /// One of `§ . , / ( ) - : ;`.
    Punct(char),
}

#[derive(Clone, Debug, PartialEq)]
struct Token {
    tok: Tok,
    /// Whitespace (or the start of the text) directly before the token.
    space_before: bool,
}

fn tokenize(text: &str) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let mut space = true;
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            space = true;
            chars.next();
            continue;
        }
        let tok = if c.is_ascii_digit() {
            let mut value: u16 = 0;
            let mut len = 0;
            while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                if len == 4 {
                    return None;
                }
                value = value * 10 + d as u16;
                len += 1;
                chars.next();
            }
            Tok::Num(value)
        } else if c.is_alphabetic() {
            let mut word = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_alphabetic()) {
                if word.len() > 60 {
                    return None;
                }
                word.push(d);
                chars.next();
            }
            Tok::Word(word)
        } else if "§.,/()-:;".contains(c) {
            chars.next();
            Tok::Punct(c)
        } else {
            return None;
        };
        out.push(Token {
            tok,
            space_before: space,
        });
        space = false;
    }
    Some(out)
}

/// The single law named in the tokens: (law, cited as AsylVfG, first token, end). `None` if
/// there is no law or more than one.
fn find_law(tokens: &[Token]) -> Option<(Law, bool, usize, usize)> {
    let mut found = None;
    let mut i = 0;
    while i < tokens.len() {
        if let Some((law, old, len)) = law_at(tokens, i) {
            if found.is_some() {
                return None;
            }
            found = Some((law, old, i, i + len));
            i += len;
        } else {
            i += 1;
        }
    }
    found
}

fn law_at(tokens: &[Token], i: usize) -> Option<(Law, bool, usize)> {
    let Tok::Word(word) = &tokens.get(i)?.tok else {
        return None;
    };
    let folded = fold(word);
    let tok = |k: usize| tokens.get(i + k).map(|t| &t.tok);
    match folded.as_str() {
        "freizuegg" | "freizueggeu" => {
            let eu = matches!(tok(1), Some(Tok::Punct('/')))
                && matches!(tok(2), Some(Tok::Word(w)) if w.eq_ignore_ascii_case("eu"));
            Some((Law::FreizuegG, false, if eu { 3 } else { 1 }))
        }
        "arb" => {
            let year = matches!(tok(1), Some(Tok::Num(1)))
                && matches!(tok(2), Some(Tok::Punct('/')))
                && matches!(tok(3), Some(Tok::Num(80)));
            Some((Law::Arb180, false, if year { 4 } else { 1 }))
        }
        other => law_word(other).map(|(law, old)| (law, old, 1)),
    }
}

/// The lower-case letter of a one-letter ASCII text.
fn single_letter(text: &str) -> Option<char> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
        _ => None,
    }
}

/// Roman numerals I-XX.
const ROMAN: [&str; 20] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
    "XVI", "XVII", "XVIII", "XIX", "XX",
];

fn roman_value(text: &str) -> Option<u8> {
    let upper = text.to_ascii_uppercase();
    ROMAN
        .iter()
        .position(|r| *r == upper)
        .and_then(|i| u8::try_from(i + 1).ok())
}

/// `II`, `IVa`, `iv`: upper case, or lower case with two or more letters (so that a lone `v`
/// stays a letter), or an upper-case numeral with a lower-case letter attached.
fn roman_absatz(word: &str) -> Option<Absatz> {
    let upper = word.chars().all(|c| c.is_ascii_uppercase());
    let lower = word.len() >= 2 && word.chars().all(|c| c.is_ascii_lowercase());
    if upper || lower {
        return Some(Absatz {
            number: roman_value(word)?,
            letter: None,
        });
    }
    let split = word.len().checked_sub(1)?;
    let (numeral, letter) = (word.get(..split)?, word.get(split..)?);
    let letter = letter.chars().next().filter(char::is_ascii_lowercase)?;
    if numeral.is_empty() || !numeral.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    Some(Absatz {
        number: roman_value(numeral)?,
        letter: Some(letter),
    })
}

struct Parser<'a> {
    toks: &'a [Token],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.pos)
    }

    fn peek_at(&self, k: usize) -> Option<&Token> {
        self.toks.get(self.pos + k)
    }

    fn next(&mut self) -> Option<&Token> {
        let t = self.toks.get(self.pos);
        self.pos += 1;
        t
    }

    fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    fn eat_punct(&mut self, c: char) -> bool {
        if matches!(self.peek(), Some(Token { tok: Tok::Punct(p), .. }) if *p == c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn number(&mut self, range: std::ops::RangeInclusive<u16>) -> Option<u16> {
        match self.next()?.tok {
            Tok::Num(n) if range.contains(&n) => Some(n),
            _ => None,
        }
    }

    fn small_number(&mut self) -> Option<u8> {
        self.number(1..=99).and_then(|n| u8::try_from(n).ok())
    }

    /// A letter after a number: attached (`60a`, `4A`) or, written apart, a lone lower-case
    /// letter that is not an abbreviation (`60 a`, but not `S. 1`).
    fn trailing_letter(&mut self) -> Option<char> {
        let token = self.peek()?;
        let Tok::Word(word) = &token.tok else {
            return None;
        };
        let c = single_letter(word)?;
        if token.space_before {
            let lower = word.chars().all(|c| c.is_ascii_lowercase());
            let next_is_dot_or_number = matches!(
                self.peek_at(1).map(|t| &t.tok),
                Some(Tok::Punct('.') | Tok::Num(_))
            );
            if !lower || next_is_dot_or_number {
                return None;
            }
        }
        self.pos += 1;
        Some(c)
    }

    /// A number with an optional letter, as an Absatz.
    fn absatz_number(&mut self) -> Option<Absatz> {
        let number = self.small_number()?;
        let letter = self.trailing_letter();
        Some(Absatz { number, letter })
    }

    /// An Absatz after `Abs.`: a number or a Roman numeral.
    fn absatz_value(&mut self) -> Option<Absatz> {
        if let Some(Token {
            tok: Tok::Word(w), ..
        }) = self.peek()
        {
            let absatz = roman_absatz(w)?;
            self.pos += 1;
            return Some(absatz);
        }
        self.absatz_number()
    }

    fn citation(&mut self, law: Law) -> Option<LegalBasis> {
        // Optional `§`, `§§`, `Art.`, `Artikel`, `Paragraph`.
        if self.eat_punct('§') {
            self.eat_punct('§');
        } else if let Some(Token {
            tok: Tok::Word(w), ..
        }) = self.peek()
            && matches!(fold(w).as_str(), "art" | "artikel" | "paragraph" | "par")
        {
            self.pos += 1;
            self.eat_punct('.');
        }
        let number = self.number(1..=999)?;
        let letter = self.trailing_letter();
        let paragraph_end = self.pos;
        let mut basis = LegalBasis {
            law,
            cited_as_asylvfg: false,
            paragraph: Paragraph { number, letter },
            absatz: None,
            satz: None,
            nummer: None,
            nummer_letter: None,
            buchstabe: None,
            alternative: None,
        };
        while !self.at_end() {
            let token = self.peek()?.clone();
            match &token.tok {
                Tok::Punct(',') => {
                    self.pos += 1;
                }
                Tok::Punct('(') => {
                    self.pos += 1;
                    let absatz = self.absatz_value()?;
                    if !self.eat_punct(')') {
                        return None;
                    }
                    set_once(&mut basis.absatz, absatz)?;
                }
                Tok::Punct('/') => {
                    self.pos += 1;
                    let absatz = self.absatz_value()?;
                    set_once(&mut basis.absatz, absatz)?;
                }
                Tok::Punct('.') => {
                    // `25.2`: a dot written tight between paragraph and Absatz.
                    let tight_number = matches!(
                        self.peek_at(1),
                        Some(Token {
                            tok: Tok::Num(_),
                            space_before: false
                        })
                    );
                    if self.pos != paragraph_end || token.space_before || !tight_number {
                        return None;
                    }
                    self.pos += 1;
                    let absatz = self.absatz_number()?;
                    set_once(&mut basis.absatz, absatz)?;
                }
                Tok::Num(n) => {
                    // `1. Alt.`, `2. Alternative`, `1. Var.`
                    let n = u8::try_from(*n).ok().filter(|n| (1..=99).contains(n))?;
                    self.pos += 1;
                    if !self.eat_punct('.') {
                        return None;
                    }
                    match self.next().map(|t| &t.tok) {
                        Some(Tok::Word(w)) if is_alternative_word(w) => {}
                        _ => return None,
                    }
                    self.eat_punct('.');
                    set_once(&mut basis.alternative, n)?;
                }
                Tok::Word(w) => {
                    let folded = fold(w);
                    match folded.as_str() {
                        "abs" | "absatz" => {
                            self.pos += 1;
                            self.eat_punct('.');
                            let absatz = self.absatz_value()?;
                            set_once(&mut basis.absatz, absatz)?;
                        }
                        "s" | "satz" => {
                            self.pos += 1;
                            self.eat_punct('.');
                            let satz = self.small_number()?;
                            set_once(&mut basis.satz, satz)?;
                        }
                        "nr" | "nummer" | "ziff" | "ziffer" => {
                            self.pos += 1;
                            self.eat_punct('.');
                            let nummer = self.small_number()?;
                            set_once(&mut basis.nummer, nummer)?;
                            basis.nummer_letter = self.trailing_letter();
                        }
                        "lit" | "buchst" | "buchstabe" => {
                            self.pos += 1;
                            self.eat_punct('.');
                            let letter = match self.next().map(|t| &t.tok) {
                                Some(Tok::Word(l)) => single_letter(l)?,
                                _ => return None,
                            };
                            set_once(&mut basis.buchstabe, letter)?;
                        }
                        _ if is_alternative_word(w) => {
                            self.pos += 1;
                            self.eat_punct('.');
                            let alternative = self.small_number()?;
                            set_once(&mut basis.alternative, alternative)?;
                        }
                        _ => {
                            // `25 II`, `25 IVa`.
                            let absatz = roman_absatz(w)?;
                            self.pos += 1;
                            let absatz = match (absatz.letter, self.trailing_letter()) {
                                (None, Some(l)) => Absatz {
                                    letter: Some(l),
                                    ..absatz
                                },
                                (_, None) => absatz,
                                (Some(_), Some(_)) => return None,
                            };
                            set_once(&mut basis.absatz, absatz)?;
                        }
                    }
                }
                Tok::Punct(_) => return None,
            }
        }
        Some(basis)
    }
}

fn is_alternative_word(word: &str) -> bool {
    matches!(
        fold(word).as_str(),
        "alt" | "alternative" | "var" | "variante"
    )
}

/// Sets a part that may appear once; `None` (parse failure) if it was set already.
fn set_once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lb(text: &str) -> LegalBasis {
        LegalBasis::parse(text).unwrap_or_else(|| panic!("nicht gelesen: {text}"))
    }

    fn aufenthg(number: u16, letter: Option<char>, absatz: Option<u8>) -> LegalBasis {
        LegalBasis {
            law: Law::AufenthG,
            cited_as_asylvfg: false,
            paragraph: Paragraph { number, letter },
            absatz: absatz.map(|number| Absatz {
                number,
                letter: None,
            }),
            satz: None,
            nummer: None,
            nummer_letter: None,
            buchstabe: None,
            alternative: None,
        }
    }

    #[test]
    fn every_spelling_of_25_2_in_formats_md_is_the_same_value() {
        let expected = aufenthg(25, None, Some(2));
        for text in [
            "§25 Abs.2 AufenthG",
            "25 II AufenthG",
            "AufenthG 25/2",
            "§ 25 (2) AufenthG",
            "25.2 AufenthG",
            "§ 25 Abs. 2 AufenthG",
            "§ 25 Absatz 2 AufenthG",
            "§25 II AufenthG",
            "  § 25  Abs.  2   AufenthG. ",
            "AufenthG § 25 Abs. 2",
            "§ 25 Abs. 2 Aufenthaltsgesetz",
        ] {
            assert_eq!(lb(text), expected, "{text}");
        }
        let full = lb("§ 25 Abs. 2 S. 1 Alt. 1 AufenthG");
        assert_eq!(
            full,
            LegalBasis {
                satz: Some(1),
                alternative: Some(1),
                ..expected
            }
        );
        assert_eq!(full.to_string(), "§ 25 Abs. 2 S. 1 Alt. 1 AufenthG");
        assert_eq!(lb("§ 25 Abs. 2 Satz 1, 1. Alternative AufenthG"), full);
        assert_eq!(lb("§ 25 Absatz 2 Satz 1 Alternative 1 AufenthG"), full);
    }

    #[test]
    fn the_other_spellings_of_formats_md_parse() {
        let duldung = LegalBasis {
            satz: Some(1),
            ..aufenthg(60, Some('a'), Some(2))
        };
        assert_eq!(lb("§ 60a Abs. 2 S. 1 AufenthG"), duldung);
        assert_eq!(lb("60 a AufenthG"), aufenthg(60, Some('a'), None));
        assert_eq!(lb("§ 60 a Abs. 2 Satz 1 AufenthG"), duldung);
        assert_eq!(lb("§ 104c AufenthG"), aufenthg(104, Some('c'), None));
        assert_eq!(lb("§ 24 Abs. 1 AufenthG"), aufenthg(24, None, Some(1)));
        let gestattung = lb("§ 55 Abs. 1 AsylG");
        assert_eq!(gestattung.law, Law::AsylG);
        assert_eq!(gestattung.paragraph, Paragraph::parse("55").unwrap());
        assert_eq!(gestattung.absatz, Absatz::parse("1"));
        let akn = lb("§ 63a AsylG");
        assert_eq!(
            (akn.law, akn.paragraph.to_string()),
            (Law::AsylG, "63a".into())
        );
        assert_eq!(akn.to_string(), "§ 63a AsylG");
    }

    #[test]
    fn asylvfg_is_asylg_but_formats_back_as_written() {
        let old = lb("§ 55 AsylVfG");
        let new = lb("§ 55 AsylG");
        assert_eq!(old.law, Law::AsylG);
        assert!(old.cited_as_asylvfg);
        assert_eq!((old.law, old.paragraph), (new.law, new.paragraph));
        assert_eq!(old.to_string(), "§ 55 AsylVfG");
        assert_eq!(lb("55 I AsylVfG").absatz, Absatz::parse("1"));
        assert_eq!(Law::from_name("AsylVfG"), Some((Law::AsylG, true)));
    }

    #[test]
    fn roman_numerals_and_absatz_letters() {
        for (text, absatz) in [
            ("25 I AufenthG", "1"),
            ("25 III AufenthG", "3"),
            ("25 IV AufenthG", "4"),
            ("25 V AufenthG", "5"),
            ("23 VIII AufenthG", "8"),
            ("25 IX AufenthG", "9"),
            ("25 X AufenthG", "10"),
            ("25 IVa AufenthG", "4a"),
            ("25 IV a AufenthG", "4a"),
            ("25 iv AufenthG", "4"),
            ("§ 25 Abs. 4a AufenthG", "4a"),
            ("§ 25 Abs. 4 a AufenthG", "4a"),
            ("§ 25 Abs. IVb AufenthG", "4b"),
            ("§ 25 Absatz 4b AufenthG", "4b"),
            ("AufenthG 25/4a", "4a"),
            ("25.4b AufenthG", "4b"),
            ("§ 25 (4a) AufenthG", "4a"),
        ] {
            assert_eq!(lb(text).absatz, Absatz::parse(absatz), "{text}");
        }
        assert_eq!(Absatz::parse("IVa").unwrap().to_string(), "4a");
        assert_eq!(lb("25 IVa AufenthG").to_string(), "§ 25 Abs. 4a AufenthG");
        // Letters that are not numerals stay paragraph letters.
        assert_eq!(lb("25 a AufenthG"), aufenthg(25, Some('a'), None));
    }

    #[test]
    fn satz_nummer_buchstabe_alternative() {
        let c = lb("§ 60c Absatz 1 Satz 1 Nummer 1 AufenthG");
        assert_eq!((c.satz, c.nummer), (Some(1), Some(1)));
        assert_eq!(c.to_string(), "§ 60c Abs. 1 S. 1 Nr. 1 AufenthG");
        let lit = lb("§ 1 Abs. 1 Nr. 2 lit. b AsylbLG");
        assert_eq!(
            (lit.law, lit.nummer, lit.buchstabe),
            (Law::AsylbLG, Some(2), Some('b'))
        );
        assert_eq!(lit.to_string(), "§ 1 Abs. 1 Nr. 2 lit. b AsylbLG");
        assert_eq!(lb("§ 1 Abs. 1 Nr. 2 Buchst. b AsylbLG"), lit);
        let nr_1a = lb("§ 1 Abs. 1 Nr. 1a AsylbLG");
        assert_eq!((nr_1a.nummer, nr_1a.nummer_letter), (Some(1), Some('a')));
        assert_eq!(nr_1a.to_string(), "§ 1 Abs. 1 Nr. 1a AsylbLG");
        assert_eq!(lb("§ 22 S. 2 AufenthG").satz, Some(2));
        assert_eq!(lb("§ 25 Abs. 2 2. Alt. AufenthG").alternative, Some(2));
        assert_eq!(lb("§ 25 Abs. 2 Var. 2 AufenthG").alternative, Some(2));
    }

    #[test]
    fn other_laws() {
        let arb = lb("Art. 7 ARB 1/80");
        assert_eq!((arb.law, arb.paragraph.number), (Law::Arb180, 7));
        assert_eq!(arb.to_string(), "Art. 7 ARB 1/80");
        let eu = lb("§ 2 Abs. 1 FreizügG/EU");
        assert_eq!((eu.law, eu.absatz), (Law::FreizuegG, Absatz::parse("1")));
        assert_eq!(lb("FreizuegG/EU 2/1"), eu);
        assert_eq!(lb("2 I FreizügG/EU"), eu);
        let ausl = lb("§ 55 Abs. 2 AuslG");
        assert_eq!(ausl.law, Law::AuslG);
        assert_eq!(lb("§ 30 III AuslG").absatz, Absatz::parse("3"));
    }

    #[test]
    fn garbage_is_not_a_citation() {
        for text in [
            "",
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
            "§ 25 Abs. 2",
            "AufenthG",
            "§ 25 Abs. 2 AufenthG i.V.m. § 60 AufenthG",
            "§ 25 AufenthG § 26 AufenthG",
            "§ 0 AufenthG",
            "§ 25 Abs. 2 Abs. 3 AufenthG",
            "§ 25 AufenthG Abs. 2",
            "§ 12345 AufenthG",
            "§ 25 Abs. 2 S. AufenthG",
            "§ 25 . 2 AufenthG",
            "§ 25 XXX AufenthG",
        ] {
            assert_eq!(LegalBasis::parse(text), None, "{text}");
        }
    }

    fn any_basis() -> impl Strategy<Value = LegalBasis> {
        let letter = || proptest::option::of(proptest::char::range('a', 'z'));
        (
            (0..Law::ALL.len(), any::<bool>(), 1u16..=999, letter()),
            proptest::option::of((1u8..=99, letter())),
            proptest::option::of(1u8..=99),
            proptest::option::of((1u8..=99, letter())),
            letter(),
            proptest::option::of(1u8..=99),
        )
            .prop_map(
                |((law, old, number, letter), absatz, satz, nummer, buchstabe, alternative)| {
                    let law = Law::ALL[law];
                    LegalBasis {
                        law,
                        cited_as_asylvfg: old && law == Law::AsylG,
                        paragraph: Paragraph { number, letter },
                        absatz: absatz.map(|(number, letter)| Absatz { number, letter }),
                        satz,
                        nummer: nummer.map(|(n, _)| n),
                        nummer_letter: nummer.and_then(|(_, l)| l),
                        buchstabe,
                        alternative,
                    }
                },
            )
    }

    /// Other spellings of a citation with only paragraph and Absatz, as registers write them.
    fn variants(b: &LegalBasis) -> Vec<String> {
        let law = b.law_as_cited();
        let p = b.paragraph;
        let mut out = Vec::new();
        if let Some(a) = b.absatz {
            out.push(format!("§{p} Abs.{a} {law}"));
            out.push(format!("{law} {p}/{a}"));
            out.push(format!("§ {p} ({a}) {law}"));
            out.push(format!("{p}.{a} {law}"));
            out.push(format!("§ {p} Absatz {a} {law}"));
            if let Some(r) = ROMAN.get(usize::from(a.number) - 1) {
                let l = a.letter.map(String::from).unwrap_or_default();
                out.push(format!("{p} {r}{l} {law}"));
            }
        } else if let Some(l) = p.letter {
            out.push(format!("{} {l} {law}", p.number));
            out.push(format!("§{p} {law}"));
        }
        out
    }

    proptest! {
        #[test]
        fn formatting_and_parsing_again_is_the_identity(b in any_basis()) {
            prop_assert_eq!(LegalBasis::parse(&b.to_string()), Some(b));
        }

        #[test]
        fn every_spelling_parses_to_the_same_value(b in any_basis()) {
            let plain = LegalBasis { satz: None, nummer: None, nummer_letter: None, buchstabe: None, alternative: None, ..b };
            for text in variants(&plain) {
                prop_assert_eq!(LegalBasis::parse(&text), Some(plain), "{}", text);
            }
        }

        #[test]
        fn arbitrary_text_never_panics(text in ".{0,80}") {
            let _ = LegalBasis::parse(&text);
        }

        #[test]
        fn citation_like_text_never_panics(text in "[§0-9a-zA-Z .,/()IVX-]{0,40}") {
            if let Some(b) = LegalBasis::parse(&text) {
                prop_assert_eq!(LegalBasis::parse(&b.to_string()), Some(b));
            }
        }
    }
}
