//! Dates a sentence states: "3 January 2020", "November 3rd, 2025",
//! "September 2020", "since 2017", "2003–2008", "in 2018".

use std::fmt;

use super::words::{Token, TokenKind};
use crate::text::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Date {
    Day { year: i32, month: u8, day: u8 },
    Month { year: i32, month: u8 },
    Year(i32),
}

/// A date or an interval, written in EDTF (ISO 8601-2): `2020-01-03`,
/// `2020-09`, `2018`, `2017/..`, `2003/2008`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum When {
    At(Date),
    Since(Date),
    Between(Date, Date),
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Date::Day { year, month, day } => write!(f, "{year:04}-{month:02}-{day:02}"),
            Date::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            Date::Year(year) => write!(f, "{year:04}"),
        }
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            When::At(d) => write!(f, "{d}"),
            When::Since(d) => write!(f, "{d}/.."),
            When::Between(a, b) => write!(f, "{a}/{b}"),
        }
    }
}

impl When {
    /// The XML Schema datatype local name for a single date, `None` for an interval.
    pub fn xsd_datatype(&self) -> Option<&'static str> {
        match self {
            When::At(Date::Day { .. }) => Some("date"),
            When::At(Date::Month { .. }) => Some("gYearMonth"),
            When::At(Date::Year(_)) => Some("gYear"),
            _ => None,
        }
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The days of the week, which are no names of entities either.
const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Whether a word alone is a month or a day of the week ("February",
/// "Friday"): never an entity's name by itself. "May" is left out: it is
/// also a surname.
pub fn is_calendar_word(word: &str) -> bool {
    !word.eq_ignore_ascii_case("may")
        && MONTHS
            .iter()
            .chain(WEEKDAYS.iter())
            .any(|m| m.eq_ignore_ascii_case(word))
}

fn month(word: &str) -> Option<u8> {
    let word = word.trim_end_matches('.');
    // Month names and their abbreviations: 3 to 9 ASCII letters, whose
    // first three say which month they can be.
    let b = word.as_bytes();
    if !(3..=9).contains(&b.len()) {
        return None;
    }
    let key = [
        b[0].to_ascii_lowercase(),
        b[1].to_ascii_lowercase(),
        b[2].to_ascii_lowercase(),
    ];
    let i = MONTHS.iter().position(|m| m.as_bytes()[..3] == key)?;
    let m = MONTHS[i];
    let whole = m.eq_ignore_ascii_case(word);
    let abbreviation = b.len() <= 4
        && !word.eq_ignore_ascii_case("may")
        && m[..b.len()].eq_ignore_ascii_case(word);
    (whole || abbreviation).then_some(i as u8 + 1)
}

fn year(word: &str) -> Option<i32> {
    if word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()) {
        let y: i32 = word.parse().ok()?;
        return (1900..=2100).contains(&y).then_some(y);
    }
    None
}

/// "2003-2008" as one token.
fn years_span(word: &str) -> Option<(i32, i32)> {
    if word.len() != 9 || word.as_bytes()[4] != b'-' {
        return None;
    }
    Some((year(&word[..4])?, year(&word[5..])?))
}

fn day(word: &str) -> Option<u8> {
    if !word.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if !(suffix.is_empty() || matches!(suffix, "st" | "nd" | "rd" | "th")) {
        return None;
    }
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let d: u8 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

/// The dates of a sentence with their spans, in order.
pub fn find(text: &str, tokens: &[Token]) -> Vec<(Span, When)> {
    let word = |i: usize| -> Option<&str> {
        let t = tokens.get(i)?;
        matches!(t.kind, TokenKind::Word).then(|| &text[t.span.start..t.span.end])
    };
    let is_punct = |i: usize, c: char| tokens.get(i).is_some_and(|t| t.kind == TokenKind::Punct(c));
    // Every date holds a year at most four tokens after its start ("since
    // May 3, 2004"), or is a span of years in one token ("2003-2008"):
    // only the tokens up to four before one are looked at.
    let years: Vec<usize> = (0..tokens.len())
        .filter(|&i| {
            let t = &tokens[i];
            let w = || &text[t.span.start..t.span.end];
            t.kind == TokenKind::Word
                && match t.span.len() {
                    4 => year(w()).is_some(),
                    9 => years_span(w()).is_some(),
                    _ => false,
                }
        })
        .collect();
    if years.is_empty() {
        return Vec::new();
    }
    let mut next_year = 0;
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        while next_year < years.len() && years[next_year] < i {
            next_year += 1;
        }
        let Some(&y) = years.get(next_year) else {
            break;
        };
        if y > i + 4 {
            i = y - 4;
        }
        let Some(w) = word(i) else {
            i += 1;
            continue;
        };
        // A date opens with a digit, a month or "since".
        let first = w.as_bytes()[0].to_ascii_lowercase();
        if !first.is_ascii_digit() && !b"jfmasond".contains(&first) {
            i += 1;
            continue;
        }
        let start = tokens[i].span.start;
        // A single date at i, with the index after it.
        let single = |i: usize| -> Option<(Date, usize)> {
            let w = word(i)?;
            if let Some((d, m)) = day(w).and_then(|d| Some((d, word(i + 1).and_then(month)?))) {
                if let Some(y) = word(i + 2).and_then(year) {
                    return Some((
                        Date::Day {
                            year: y,
                            month: m,
                            day: d,
                        },
                        i + 3,
                    ));
                }
            }
            if let Some(m) = month(w) {
                if let Some(d) = word(i + 1).and_then(day) {
                    let comma = usize::from(is_punct(i + 2, ','));
                    if let Some(y) = word(i + 2 + comma).and_then(year) {
                        return Some((
                            Date::Day {
                                year: y,
                                month: m,
                                day: d,
                            },
                            i + 3 + comma,
                        ));
                    }
                }
                if w.chars().next().is_some_and(char::is_uppercase) {
                    if let Some(y) = word(i + 1).and_then(year) {
                        return Some((Date::Month { year: y, month: m }, i + 2));
                    }
                }
            }
            year(w).map(|y| (Date::Year(y), i + 1))
        };
        if let Some((a, b)) = years_span(w) {
            out.push((tokens[i].span, When::Between(Date::Year(a), Date::Year(b))));
            i += 1;
            continue;
        }
        let since = w.eq_ignore_ascii_case("since");
        let from = if since { i + 1 } else { i };
        if let Some((date, next)) = single(from) {
            // "2003–2008", "2003 to 2008"
            let dash = is_punct(next, '–') || is_punct(next, '-') || is_punct(next, '—');
            let to = word(next).is_some_and(|w| w.eq_ignore_ascii_case("to"));
            if !since && (dash || to) {
                if let Some((end, after)) = single(next + 1) {
                    out.push((
                        Span::new(start, tokens[after - 1].span.end),
                        When::Between(date, end),
                    ));
                    i = after;
                    continue;
                }
            }
            let when = if since {
                When::Since(date)
            } else {
                When::At(date)
            };
            out.push((Span::new(start, tokens[next - 1].span.end), when));
            i = next;
            continue;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::words::Words;
    use crate::ontology::Ontology;

    fn dates(text: &str) -> Vec<String> {
        let ontology = Ontology::load(&crate::ontology::default_dir(), &[]).unwrap();
        let words = Words::new(&ontology);
        let mut tokens = Vec::new();
        words.tokenize(
            text,
            Span::new(0, text.len()),
            &mut String::new(),
            &mut tokens,
        );
        find(text, &tokens)
            .into_iter()
            .map(|(_, w)| w.to_string())
            .collect()
    }

    #[test]
    fn finds_dates_and_intervals() {
        let cases: &[(&str, &[&str])] = &[
            ("on 3 January 2020 the strike", &["2020-01-03"]),
            ("On November 3rd, 2025, he said", &["2025-11-03"]),
            ("in September 2020, the administration", &["2020-09"]),
            ("an Advisory Mission since 2017.", &["2017/.."]),
            ("donors' security (2003–2008) and", &["2003/2008"]),
            ("from 2003-2008 only", &["2003/2008"]),
            ("established in 2018.", &["2018"]),
            ("a group of 83 partners", &[]),
            ("since 14 September 2020, the", &["2020-09-14/.."]),
            ("it may be, in May 2021", &["2021-05"]),
            // The year four tokens after the date's first.
            ("since May 3, 2004, the force", &["2004-05-03/.."]),
            (
                "from 2003 to 2008, and in 1999 and March 2001",
                &["2003/2008", "1999", "2001-03"],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(dates(text), *want, "text: {text:?}");
        }
    }
}
