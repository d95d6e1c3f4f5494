//! Text preparation: a masked copy of the document with markup blanked out,
//! and its sentences. Masking replaces every byte of a markup character by
//! a space, so the masked text has the same length as the original and
//! every offset found in it is an offset into the original (the invariant
//! that keeps evidence spans true).

/// A byte range of the original text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// Text order: by start, the longer of two spans that start together
    /// first.
    pub fn text_order(&self, other: &Span) -> std::cmp::Ordering {
        self.start.cmp(&other.start).then(other.end.cmp(&self.end))
    }

    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SentenceKind {
    Body,
    Heading,
    Bullet,
    Footnote,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    /// Index of the block (paragraph, heading, bullet or footnote) it is in.
    pub paragraph: u32,
    pub kind: SentenceKind,
}

/// Sentence splitting settings from the lexicon.
#[derive(Clone, Debug, Default)]
pub struct Splitter {
    abbreviations: crate::iri::FastSet<String>,
}

impl Splitter {
    pub fn new(abbreviations: &[String]) -> Splitter {
        Splitter {
            abbreviations: abbreviations.iter().cloned().collect(),
        }
    }

    /// Masks the text and splits it into sentences.
    pub fn prepare(&self, text: &str) -> (String, Vec<Sentence>) {
        let (masked, blocks) = mask(text);
        // About one sentence in 140 bytes of prose: one allocation, mostly.
        let mut sentences = Vec::with_capacity(text.len() / 128 + 1);
        for (index, block) in blocks.iter().enumerate() {
            self.split_block(&masked, block, index as u32, &mut sentences);
        }
        (masked, sentences)
    }

    fn split_block(&self, masked: &str, block: &Block, paragraph: u32, out: &mut Vec<Sentence>) {
        let bytes = masked.as_bytes();
        let mut start = block.span.start;
        let mut i = block.span.start;
        let end = block.span.end;
        while i < end {
            // Only these end a sentence: jump to the next one.
            match memchr::memchr3(b'.', b'!', b'?', &bytes[i..end]) {
                Some(skip) => i += skip,
                None => break,
            }
            // Closing quotes and brackets stay with the sentence.
            let mut j = i + 1;
            while j < end {
                let rest = &masked[j..end];
                let c = rest.chars().next().unwrap_or(' ');
                if matches!(
                    c,
                    '"' | '\'' | ')' | ']' | '\u{201D}' | '\u{2019}' | '.' | '!' | '?'
                ) {
                    j += c.len_utf8();
                } else {
                    break;
                }
            }
            if self.ends_sentence(masked, start, i, j, end) {
                push_trimmed(masked, Span::new(start, j), paragraph, block.kind, out);
                start = j;
            }
            i = j;
        }
        push_trimmed(masked, Span::new(start, end), paragraph, block.kind, out);
    }

    /// Whether the punctuation at `dot` (with closers up to `after`) ends a sentence.
    fn ends_sentence(
        &self,
        masked: &str,
        start: usize,
        dot: usize,
        after: usize,
        end: usize,
    ) -> bool {
        if after >= end {
            return true;
        }
        let rest = &masked[after..end];
        if !rest.starts_with(|c: char| c.is_whitespace()) {
            return false;
        }
        let next = rest.trim_start().chars().next();
        match next {
            None => return true,
            Some(c) if c.is_lowercase() => return false,
            _ => {}
        }
        if masked.as_bytes()[dot] != b'.' {
            return true;
        }
        // The word before the period.
        let before = &masked[..dot];
        let word_start = before
            .char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '.'))
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(0);
        let word = &before[word_start..];
        if word.is_empty() {
            return true;
        }
        // "2. POWER COMPETITION": a list or section number opening the sentence.
        let numbering = word.len() <= 3
            && word.bytes().all(|b| b.is_ascii_digit())
            && masked[start..word_start].trim().is_empty();
        if numbering {
            return false;
        }
        let single_letter = word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase());
        let dotted = word.contains('.');
        !(single_letter || dotted || self.abbreviations.contains(word))
    }
}

/// The longest sentence kept whole, in bytes. Prose sentences rarely pass
/// 600; a longer run without a full stop (a table, a list run together, a
/// hostile file) is cut into pieces of at most this size, after a comma,
/// semicolon or colon where one is near the end of the piece, else at a
/// space, so that the work and the evidence of a sentence stay bounded.
pub const MAX_SENTENCE_BYTES: usize = 2000;

fn push_trimmed(
    masked: &str,
    span: Span,
    paragraph: u32,
    kind: SentenceKind,
    out: &mut Vec<Sentence>,
) {
    let mut start = span.start;
    while span.end - start > MAX_SENTENCE_BYTES {
        let mut cut = start + MAX_SENTENCE_BYTES;
        while !masked.is_char_boundary(cut) {
            cut -= 1;
        }
        // After the last clause punctuation of the piece's second half,
        // else at its last space, if it has one.
        let piece = &masked[start..cut];
        let half = piece.len() / 2;
        let clause = ["; ", ", ", ": "]
            .iter()
            .filter_map(|p| piece.rfind(p))
            .max()
            .filter(|&at| at >= half)
            .map(|at| at + 1);
        if let Some(at) = clause.or_else(|| piece.rfind(char::is_whitespace)) {
            if at > 0 {
                cut = start + at;
            }
        }
        push_piece(masked, Span::new(start, cut), paragraph, kind, out);
        start = cut;
    }
    push_piece(masked, Span::new(start, span.end), paragraph, kind, out);
}

fn push_piece(
    masked: &str,
    span: Span,
    paragraph: u32,
    kind: SentenceKind,
    out: &mut Vec<Sentence>,
) {
    let slice = &masked[span.start..span.end];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    let span = Span::new(span.start + lead, span.end - trail);
    // A sentence needs at least one letter or digit.
    if span.start < span.end
        && masked[span.start..span.end]
            .chars()
            .any(|c| c.is_alphanumeric())
    {
        out.push(Sentence {
            span,
            paragraph,
            kind,
        });
    }
}

#[derive(Clone, Copy, Debug)]
struct Block {
    span: Span,
    kind: SentenceKind,
}

/// Blanks markup out of `text` and groups its lines into blocks.
fn mask(text: &str) -> (String, Vec<Block>) {
    let mut out = text.as_bytes().to_vec();
    let mut blocks: Vec<Block> = Vec::new();
    let mut open: Option<Block> = None;
    let mut prev_last: Option<char> = None;

    let mut line_start = 0;
    while line_start < text.len() {
        let line_end = memchr::memchr(b'\n', &text.as_bytes()[line_start..])
            .map_or(text.len(), |k| line_start + k + 1);
        let kind = mask_line(text, line_start, line_end, &mut out);
        let (first, last) = visible_ends(text, &out, line_start, line_end);
        let blank = first.is_none();
        match kind {
            LineKind::Blank => {}
            _ if blank => {}
            LineKind::Text => {
                let continues = open.is_some_and(|b| b.kind != SentenceKind::Heading)
                    && prev_last.is_some_and(|c| c.is_lowercase() || c == ',')
                    && first.is_some_and(|c| c.is_lowercase());
                if continues {
                    if let Some(b) = open.as_mut() {
                        b.span.end = line_end;
                    }
                } else {
                    blocks.extend(open.take());
                    open = Some(Block {
                        span: Span::new(line_start, line_end),
                        kind: SentenceKind::Body,
                    });
                }
            }
            LineKind::Heading | LineKind::Bullet | LineKind::Footnote => {
                blocks.extend(open.take());
                open = Some(Block {
                    span: Span::new(line_start, line_end),
                    kind: match kind {
                        LineKind::Heading => SentenceKind::Heading,
                        LineKind::Bullet => SentenceKind::Bullet,
                        _ => SentenceKind::Footnote,
                    },
                });
            }
        }
        if blank {
            blocks.extend(open.take());
            prev_last = None;
        } else {
            prev_last = last;
        }
        line_start = line_end;
    }
    blocks.extend(open.take());
    // Masking only ever writes ASCII spaces over whole characters.
    let masked = String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (masked, blocks)
}

/// Whether an ASCII byte is white space (as `char::is_whitespace` says).
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// The first and the last character of `out[start..end]` that are not
/// white space. `out` is `text` masked: its own bytes, or spaces over
/// whole characters, so every other character is read from `text`.
fn visible_ends(text: &str, out: &[u8], start: usize, end: usize) -> (Option<char>, Option<char>) {
    let char_at = |i: usize| text[i..].chars().next().expect("a character starts here");
    let mut i = start;
    let mut first = None;
    while i < end {
        let b = out[i];
        if b < 0x80 {
            if !is_ascii_space(b) {
                first = Some(b as char);
                break;
            }
            i += 1;
        } else {
            let c = char_at(i);
            if !c.is_whitespace() {
                first = Some(c);
                break;
            }
            i += c.len_utf8();
        }
    }
    let mut j = end;
    while j > i {
        let b = out[j - 1];
        if b < 0x80 {
            if !is_ascii_space(b) {
                return (first, Some(b as char));
            }
            j -= 1;
        } else {
            let mut k = j - 1;
            while !text.is_char_boundary(k) {
                k -= 1;
            }
            let c = char_at(k);
            if !c.is_whitespace() {
                return (first, Some(c));
            }
            j = k;
        }
    }
    (first, None)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LineKind {
    Blank,
    Text,
    Heading,
    Bullet,
    Footnote,
}

fn blank(out: &mut [u8], from: usize, to: usize) {
    for b in &mut out[from..to] {
        *b = b' ';
    }
}

/// Masks one line in place and says what kind of line it is.
fn mask_line(text: &str, start: usize, end: usize, out: &mut [u8]) -> LineKind {
    let line = &text[start..end];
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let body = trimmed.trim_end();
    if body.is_empty() {
        return LineKind::Blank;
    }
    // Horizontal rules.
    if body.len() >= 3 && body.chars().all(|c| matches!(c, '-' | '*' | '_' | ' ')) {
        blank(out, start, end);
        return LineKind::Blank;
    }
    let mut kind = LineKind::Text;
    let mut content = start + indent;
    if body.starts_with('#') {
        let hashes = body.bytes().take_while(|&b| b == b'#').count();
        if body[hashes..].starts_with(' ') || hashes == body.len() {
            blank(out, content, content + hashes);
            content += hashes;
            kind = LineKind::Heading;
        }
    } else if let Some(marker) = bullet_marker(body) {
        blank(out, content, content + marker);
        content += marker;
        kind = LineKind::Bullet;
    } else if footnote_marker(body).is_some() {
        kind = LineKind::Footnote;
    }
    mask_inline(text, content, end, out);
    kind
}

/// Length of a list marker (with its space) at the start of a line.
fn bullet_marker(body: &str) -> Option<usize> {
    let c = body.chars().next()?;
    if matches!(c, '-' | '*' | '+' | '•' | '·' | '▪' | '◦' | '‣' | '–' | '●') {
        let len = c.len_utf8();
        if body[len..].starts_with(' ') || body[len..].starts_with('\t') {
            return Some(len);
        }
        return None;
    }
    let digits = body.bytes().take_while(|b| b.is_ascii_digit()).count();
    if (1..=3).contains(&digits) {
        let rest = &body[digits..];
        if (rest.starts_with(". ") || rest.starts_with(") ")) && rest.len() > 2 {
            return Some(digits + 1);
        }
    }
    None
}

/// Length of a footnote definition marker at the start of a line:
/// `<sup>12</sup>`, `[12]`, `[^12]:`.
fn footnote_marker(body: &str) -> Option<usize> {
    if body.starts_with("<sup>") {
        return body.find("</sup>").map(|i| i + 6);
    }
    if body.starts_with('[') {
        let close = body.find(']')?;
        let inner = body[1..close].trim_start_matches('^');
        if !inner.is_empty() && inner.len() <= 4 && inner.bytes().all(|b| b.is_ascii_digit()) {
            return Some(close + 1);
        }
    }
    None
}

/// Masks inline markup: `<sup>n</sup>`, HTML tags, autolinks, bare URLs,
/// `[12]` references, the brackets and targets of markdown links, emphasis
/// markers and backslash escapes.
fn mask_inline(text: &str, start: usize, end: usize, out: &mut [u8]) {
    let bytes = text.as_bytes();
    let mut stops = MarkupStops::new(&bytes[..end]);
    let mut i = start;
    while i < end {
        // Only these ASCII bytes can open or reveal markup (never inside a
        // multi-byte character): jump to the next one. A URL is found at
        // its `:` or its `.`, then taken back to its `http` or `www`.
        let from = i;
        match stops.at_or_after(i) {
            Some(at) => i = at,
            None => break,
        }
        let b = bytes[i];
        if b == b':' || b == b'.' {
            match url_start(&bytes[..end], from, i) {
                Some(url) => {
                    let len = text[url..end]
                        .find(|c: char| c.is_whitespace() || c == '>' || c == ')')
                        .unwrap_or(end - url);
                    blank(out, url, url + len);
                    i = url + len;
                }
                None => i += 1,
            }
            continue;
        }
        let rest = &text[i..end];
        if b == b'<' {
            if rest.starts_with("<sup>") {
                let close = rest.find("</sup>").map(|j| j + 6).unwrap_or(5);
                blank(out, i, i + close);
                i += close;
                continue;
            }
            if let Some(close) = rest.find('>') {
                let inner = &rest[1..close];
                let is_tag = inner
                    .trim_start_matches('/')
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                    && !inner.contains(char::is_whitespace)
                    || inner.starts_with("http")
                    || inner.starts_with("mailto:")
                    || inner.starts_with("www.")
                    || inner.starts_with("br ");
                if is_tag {
                    blank(out, i, i + close + 1);
                    i += close + 1;
                    continue;
                }
            }
        } else if b == b'[' {
            if let Some(close) = rest.find(']') {
                let inner = rest[1..close].trim_start_matches('^');
                if !inner.is_empty()
                    && inner.len() <= 4
                    && inner.bytes().all(|c| c.is_ascii_digit())
                {
                    blank(out, i, i + close + 1);
                    i += close + 1;
                    continue;
                }
                if rest[close + 1..].starts_with('(') {
                    // A markdown link: keep the text, blank the brackets and target.
                    if let Some(paren) = rest[close + 1..].find(')') {
                        blank(out, i, i + 1);
                        blank(out, i + close, i + close + 1 + paren + 1);
                        i += 1;
                        continue;
                    }
                }
            }
        } else if b == b'*'
            || (b == b'_' && rest.starts_with("__"))
            || (b == b'\\' && rest[1..].starts_with(|c: char| "\\`*_{}[]()#+-.!<>|".contains(c)))
        {
            blank(out, i, i + 1);
        }
        i += rest.chars().next().map(char::len_utf8).unwrap_or(1);
    }
}

/// The bytes at which [`mask_inline`] stops: `< [ * _ \\ : .`, found by
/// three SIMD scans (memchr), each done again only once the masking has
/// gone past what it found.
struct MarkupStops<'a> {
    bytes: &'a [u8],
    /// By scan, the next stop it found (`usize::MAX`: none left), or
    /// `None` before it has looked.
    next: [Option<usize>; 3],
}

impl<'a> MarkupStops<'a> {
    fn new(bytes: &'a [u8]) -> MarkupStops<'a> {
        MarkupStops {
            bytes,
            next: [None; 3],
        }
    }

    fn at_or_after(&mut self, from: usize) -> Option<usize> {
        let rest = &self.bytes[from..];
        for (k, next) in self.next.iter_mut().enumerate() {
            if next.is_none_or(|at| at < from) {
                let found = match k {
                    0 => memchr::memchr3(b'<', b'[', b'*', rest),
                    1 => memchr::memchr3(b'_', b'\\', b':', rest),
                    _ => memchr::memchr(b'.', rest),
                };
                *next = Some(found.map_or(usize::MAX, |at| from + at));
            }
        }
        self.next
            .iter()
            .flatten()
            .copied()
            .min()
            .filter(|&at| at != usize::MAX)
    }
}

/// Where a bare URL starts whose `://` (after `http` or `https`) or
/// `www.` has its `:` or `.` at `at`, if it starts at or after `from`.
fn url_start(bytes: &[u8], from: usize, at: usize) -> Option<usize> {
    let before = |k: usize, word: &[u8]| at >= from + k && &bytes[at - k..at] == word;
    if bytes[at] == b'.' {
        return before(3, b"www").then(|| at - 3);
    }
    if !bytes[at..].starts_with(b"://") {
        return None;
    }
    if before(4, b"http") {
        Some(at - 4)
    } else if before(5, b"https") {
        Some(at - 5)
    } else {
        None
    }
}

/// The endings of a possessive: "Iran's", "Iran’s".
pub const POSSESSIVE_ENDINGS: [&str; 2] = ["'s", "\u{2019}s"];

/// Whether a word ends in a possessive ending.
pub fn is_possessive(word: &str) -> bool {
    POSSESSIVE_ENDINGS.iter().any(|e| word.ends_with(e))
}

/// The length of the possessive ending `s` opens with, if it does.
pub fn possessive_len(s: &str) -> Option<usize> {
    POSSESSIVE_ENDINGS
        .iter()
        .find(|e| s.starts_with(*e))
        .map(|e| e.len())
}

/// Calls `f` with `s` lowercased, without allocating when `s` is short
/// ASCII (almost every word).
pub fn with_lowercase<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 48];
    if s.len() <= buf.len() && s.is_ascii() {
        let lower = &mut buf[..s.len()];
        lower.copy_from_slice(s.as_bytes());
        lower.make_ascii_lowercase();
        f(std::str::from_utf8(lower).expect("ASCII is UTF-8"))
    } else {
        f(&s.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<String> {
        let splitter = Splitter::new(&["Gen".to_string(), "No".to_string(), "Mr".to_string()]);
        let (masked, sentences) = splitter.prepare(text);
        assert_eq!(masked.len(), text.len(), "masking keeps the length");
        sentences
            .iter()
            .map(|s| {
                masked[s.span.start..s.span.end]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn a_run_without_full_stops_is_cut_into_bounded_pieces() {
        let text = "word ".repeat(2000) + "end.";
        let (masked, sentences) = Splitter::new(&[]).prepare(&text);
        assert!(sentences.len() >= 5, "{}", sentences.len());
        let mut covered = 0;
        for s in &sentences {
            assert!(s.span.end - s.span.start <= MAX_SENTENCE_BYTES);
            assert!(!masked[s.span.start..s.span.end].starts_with(' '));
            covered += masked[s.span.start..s.span.end].split_whitespace().count();
        }
        assert_eq!(covered, 2001, "no word is lost or cut");
        // A comma near the end of the piece is where it is cut.
        let text = "word ".repeat(350) + "clause, " + &"more ".repeat(400);
        let (masked, sentences) = Splitter::new(&[]).prepare(&text);
        assert!(masked[sentences[0].span.start..sentences[0].span.end].ends_with("clause,"));
        // A multibyte character at the limit is not split.
        let text = "é".repeat(3000);
        let (_, sentences) = Splitter::new(&[]).prepare(&text);
        assert!(sentences
            .iter()
            .all(|s| s.span.end - s.span.start <= MAX_SENTENCE_BYTES));
    }

    #[test]
    fn splits_sentences() {
        let cases: &[(&str, &[&str])] = &[
            ("One. Two! Three?", &["One.", "Two!", "Three?"]),
            (
                "The U.S. and Iran met. Then Gen. Smith spoke.",
                &["The U.S. and Iran met.", "Then Gen. Smith spoke."],
            ),
            (
                "See No. 5 and Mr. X here. Done.",
                &["See No. 5 and Mr. X here.", "Done."],
            ),
            (
                "He said \"stop.\" Then left.",
                &["He said \"stop.\"", "Then left."],
            ),
            ("Version 2.5 shipped. Ok.", &["Version 2.5 shipped.", "Ok."]),
            ("J. R. Smith came. Later.", &["J. R. Smith came.", "Later."]),
            (
                "ends in e.g. lowercase words.",
                &["ends in e.g. lowercase words."],
            ),
            ("", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(sentences(text), *want, "text: {text:?}");
        }
    }

    #[test]
    fn masks_footnotes_links_and_markdown() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Coalition<sup>1</sup>, which includes NATO.",
                &["Coalition , which includes NATO."],
            ),
            (
                "Funds,[1] and more.[12] Next.",
                &["Funds, and more.", "Next."],
            ),
            (
                "## **2. POWER COMPETITION**\nText here.",
                &["2. POWER COMPETITION", "Text here."],
            ),
            ("See <https://example.org/x> now.", &["See now."]),
            (
                "Read [the brief](http://x.org/a) today.",
                &["Read the brief today."],
            ),
            ("*By Elisa Cherry- Analyst*", &["By Elisa Cherry- Analyst"]),
            ("---\n\n<sup>2</sup> <https://dw.com/x>;\n", &[]),
            // Bare URLs, found by their "://" or "www.".
            (
                "Source: https://www.dw.com/a/b, accessed May.",
                &["Source: accessed May."],
            ),
            ("Visit www.crisisgroup.org today.", &["Visit today."]),
            ("(see http://x.org/a) and *more*.", &["(see ) and more ."]),
            (
                "The awww.x site and xhttps://y.z end.",
                &["The a site and x end."],
            ),
            (
                "Use http:/bad and the www site.",
                &["Use http:/bad and the www site."],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(sentences(text), *want, "text: {text:?}");
        }
    }

    #[test]
    fn visible_ends_skip_every_kind_of_white_space() {
        let lines = [
            "",
            " \t",
            "\u{a0}\u{2003}word\u{3000} ",
            "\u{b}\u{c}x\r\n",
            "é",
            " **bold** ",
            "  <sup>1</sup> Iraq’s\u{a0}",
            "[12] text — ",
            "中文 ",
        ];
        for line in lines {
            let (masked, _) = mask(line);
            let trimmed = (
                masked.trim_start().chars().next(),
                masked.trim_end().chars().next_back(),
            );
            assert_eq!(
                visible_ends(line, masked.as_bytes(), 0, line.len()),
                trimmed,
                "{line:?}"
            );
        }
    }

    #[test]
    fn lines_and_blocks() {
        let cases: &[(&str, &[&str])] = &[
            // A heading line without a period stands alone.
            (
                "A title line\nThe body starts. It goes on.",
                &["A title line", "The body starts.", "It goes on."],
            ),
            // A wrapped line continues the sentence.
            (
                "the forces operate\nin Baghdad.",
                &["the forces operate in Baghdad."],
            ),
            // Bullets are blocks of their own.
            (
                "Intro:\n  • First item\n  • Second item",
                &["Intro:", "First item", "Second item"],
            ),
            ("- one\n- two", &["one", "two"]),
            (
                "1. Pushing for this.\n2. Attempting that.",
                &["Pushing for this.", "Attempting that."],
            ),
            // A blank line ends a sentence even mid-phrase.
            (
                "enact security\n\nsector reform.",
                &["enact security", "sector reform."],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(sentences(text), *want, "text: {text:?}");
        }
    }

    #[test]
    fn footnote_blocks_are_marked() {
        let splitter = Splitter::new(&[]);
        let text = "Body text here.\n\n<sup>1</sup> The coalition is a group. It works.\n\n[2] Knights, M. 2020.\n";
        let (_, sentences) = splitter.prepare(text);
        let kinds: Vec<SentenceKind> = sentences.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                SentenceKind::Body,
                SentenceKind::Footnote,
                SentenceKind::Footnote,
                SentenceKind::Footnote
            ]
        );
    }

    #[test]
    fn offsets_point_into_the_original() {
        let text = "Über alles<sup>3</sup> — the PMF’s forces. Second one.";
        let splitter = Splitter::new(&[]);
        let (_, sentences) = splitter.prepare(text);
        assert_eq!(sentences.len(), 2);
        assert_eq!(
            &text[sentences[1].span.start..sentences[1].span.end],
            "Second one."
        );
        assert!(text[sentences[0].span.start..sentences[0].span.end].starts_with("Über"));
    }
}
