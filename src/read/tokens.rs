//! Words as the treebanks cut them: punctuation apart, clitics apart
//! ("do" "n't", "Iran" "'s"), hyphens between words apart ("Iranian" "-"
//! "backed"), while numbers ("1,000", "3.5"), acronyms ("U.S."),
//! abbreviations from the lexicon ("Gen.") and inner apostrophes
//! ("Kata'ib") stay whole. Every token is a byte span of the original
//! text: tokens never change offsets.

use crate::text::Span;

const CLITICS: [&str; 6] = ["s", "re", "ve", "ll", "d", "m"];

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}')
}

/// Appends the tokens of `text[span]` to `out`. `is_abbreviation` says
/// whether a word (without its period) keeps the period after it.
pub fn tokenize(
    text: &str,
    span: Span,
    is_abbreviation: &dyn Fn(&str) -> bool,
    out: &mut Vec<Span>,
) {
    let mut start = None;
    // The characters of a chunk, one buffer for the whole span.
    let mut chars = Vec::new();
    let bytes = text.as_bytes();
    let mut at = span.start;
    while at < span.end {
        // ASCII read byte by byte (its white space is tab to carriage
        // return and the space), anything else as the character it opens.
        let (c, len) = match bytes[at] {
            b if b.is_ascii() => (b as char, 1),
            _ => {
                let c = text[at..].chars().next().expect("a character starts here");
                (c, c.len_utf8())
            }
        };
        let space = match c {
            '\t'..='\r' | ' ' => true,
            c if c.is_ascii() => false,
            c => c.is_whitespace(),
        };
        match (space, start) {
            (true, Some(s)) => {
                chunk(text, s, at, is_abbreviation, &mut chars, out);
                start = None;
            }
            (false, None) => start = Some(at),
            _ => {}
        }
        at += len;
    }
    if let Some(s) = start {
        chunk(text, s, span.end, is_abbreviation, &mut chars, out);
    }
}

/// Splits one whitespace-free chunk.
fn chunk(
    text: &str,
    from: usize,
    to: usize,
    is_abbreviation: &dyn Fn(&str) -> bool,
    chars: &mut Vec<(usize, char)>,
    out: &mut Vec<Span>,
) {
    let word = &text.as_bytes()[from..to];
    // Letters and digits only: one word (what the general case below
    // finds for any letters and digits, ASCII or not).
    if word.iter().all(u8::is_ascii_alphanumeric) {
        out.push(Span {
            start: from,
            end: to,
        });
        return;
    }
    chars.clear();
    chars.extend(text[from..to].char_indices().map(|(i, c)| (from + i, c)));
    let chars = &*chars;
    let end_of = |k: usize| chars.get(k).map_or(to, |c| c.0);
    let ch = |k: usize| chars.get(k).map(|c| c.1);
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k].1;
        if c.is_alphanumeric() {
            let mut j = k + 1;
            let mut dotted = false;
            while let Some(c) = ch(j) {
                let prev = chars[j - 1].1;
                let next = ch(j + 1);
                let joins = c.is_alphanumeric()
                    || (matches!(c, '.' | ',' | ':')
                        && prev.is_ascii_digit()
                        && next.is_some_and(|n| n.is_ascii_digit()))
                    || (c == '.'
                        && prev.is_alphabetic()
                        && next.is_some_and(|n| n.is_alphabetic())
                        && (j - k == 1 || dotted)
                        && ch(j + 2).is_none_or(|a| !a.is_alphabetic()));
                if joins {
                    dotted |= c == '.' && !prev.is_ascii_digit();
                    j += 1;
                    continue;
                }
                if is_apostrophe(c) && prev.is_alphabetic() && next.is_some_and(char::is_alphabetic)
                {
                    // A clitic ("'s", "n't") ends the word; an inner
                    // apostrophe ("Kata'ib") does not.
                    let mut e = j + 1;
                    while ch(e).is_some_and(char::is_alphabetic) {
                        e += 1;
                    }
                    let tail = text[end_of(j + 1)..end_of(e)].to_ascii_lowercase();
                    if tail == "t" && matches!(prev, 'n' | 'N') && j - k > 1 {
                        out.push(Span {
                            start: chars[k].0,
                            end: chars[j - 1].0,
                        });
                        out.push(Span {
                            start: chars[j - 1].0,
                            end: end_of(e),
                        });
                        k = e;
                        j = usize::MAX;
                    } else if CLITICS.contains(&tail.as_str()) {
                        out.push(Span {
                            start: chars[k].0,
                            end: chars[j].0,
                        });
                        out.push(Span {
                            start: chars[j].0,
                            end: end_of(e),
                        });
                        k = e;
                        j = usize::MAX;
                    } else {
                        j = e;
                        continue;
                    }
                }
                break;
            }
            if j == usize::MAX {
                continue;
            }
            // A period after an acronym, a single letter or an abbreviation
            // belongs to it.
            if ch(j) == Some('.') {
                let word = &text[chars[k].0..end_of(j)];
                let single = j - k == 1 && chars[k].1.is_alphabetic();
                if dotted || single || is_abbreviation(word) {
                    j += 1;
                }
            }
            out.push(Span {
                start: chars[k].0,
                end: end_of(j),
            });
            k = j;
            continue;
        }
        // Punctuation: a run of the same mark ("...", "--") is one token,
        // a clitic after a closing quote too.
        let mut j = k + 1;
        if matches!(c, '.' | '-' | '!' | '?') {
            while ch(j) == Some(c) {
                j += 1;
            }
        }
        out.push(Span {
            start: chars[k].0,
            end: end_of(j),
        });
        k = j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, want: &[&str]) {
        let mut out = Vec::new();
        let abbr = |w: &str| matches!(w, "Gen" | "Dr" | "Lt");
        tokenize(
            text,
            Span {
                start: 0,
                end: text.len(),
            },
            &abbr,
            &mut out,
        );
        let got: Vec<&str> = out.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(got, want, "{text}");
    }

    #[test]
    fn cuts_like_the_treebanks() {
        check(
            "Iran's Quds Force didn't attack U.S. bases.",
            &[
                "Iran", "'s", "Quds", "Force", "did", "n't", "attack", "U.S.", "bases", ".",
            ],
        );
        check(
            "Iranian-backed militias (PMF), \u{201C}Kata\u{2019}ib Hezbollah\u{201D}...",
            &[
                "Iranian",
                "-",
                "backed",
                "militias",
                "(",
                "PMF",
                ")",
                ",",
                "\u{201C}",
                "Kata\u{2019}ib",
                "Hezbollah",
                "\u{201D}",
                "...",
            ],
        );
        check(
            "Gen. Smith paid $1,000.50 on 3.5.2020; they're in Baghdad e.g. today.",
            &[
                "Gen.", "Smith", "paid", "$", "1,000.50", "on", "3.5.2020", ";", "they", "'re",
                "in", "Baghdad", "e.g.", "today", ".",
            ],
        );
        check(
            "the soldiers' base in 2003-2008",
            &["the", "soldiers", "'", "base", "in", "2003", "-", "2008"],
        );
        check("Ünal visited Köln.", &["Ünal", "visited", "Köln", "."]);
        check("A. Smith", &["A.", "Smith"]);
        // White space of every kind parts words, ASCII or not.
        check(
            "a\u{a0}b\x0bc\td\u{2003}e\r\nf\u{85}g",
            &["a", "b", "c", "d", "e", "f", "g"],
        );
    }
}
