//! Entity mentions from the gazetteer: two sets of patterns, one for
//! labels that match case-insensitively and one for acronyms and exact
//! labels, each searched leftmost-longest and kept only on whole words.
//!
//! A whole word starts where no letter or digit stands before it, so both
//! sets are searched, anchored, from those places only, in one pass over
//! the text: an anchored search is a walk down a radix tree of the
//! patterns (see [`super::trie`]), and for the folded patterns it starts
//! after the word's first run of letters and digits, which the pass has
//! read and hashed already. The tests check it against aho-corasick's
//! unanchored leftmost-longest search of the same patterns.

use super::runs::{RunHash, RunMap, RunSet, FOLDED};
use super::trie::Trie;
use crate::ontology::{EntryId, Ontology};
use crate::text::Span;

/// A gazetteer label found in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub entry: EntryId,
    /// Index of the label in [`Gazetteer::label`].
    pub label: u32,
    pub span: Span,
}

/// The patterns of one search, as a radix tree, and what they stand for.
struct Patterns {
    trie: Trie,
    /// The entry and label of each pattern.
    ids: Vec<(EntryId, u32)>,
    /// The bytes a pattern may open with, in either case where folded.
    first: [bool; 256],
    /// For patterns that fold case: the tree's node after each first run
    /// of a pattern, so that a walk from a word start begins after the run
    /// its scan has read.
    by_run: RunMap,
    /// The patterns, for the tests' reference search.
    #[cfg(test)]
    texts: Vec<String>,
}

/// The length of a pattern's first run of ASCII letters and digits.
fn first_run(p: &[u8]) -> usize {
    p.iter().take_while(|b| b.is_ascii_alphanumeric()).count()
}

impl Patterns {
    fn new(patterns: &[(String, EntryId, u32)], fold: bool) -> Patterns {
        let bytes: Vec<&[u8]> = patterns.iter().map(|(p, _, _)| p.as_bytes()).collect();
        let trie = Trie::new(&bytes, fold, first_run);
        let mut by_run = Vec::new();
        if fold {
            let mut runs: Vec<&str> = patterns
                .iter()
                .map(|(p, _, _)| &p[..first_run(p.as_bytes())])
                .filter(|run| !run.is_empty())
                .collect();
            runs.sort_unstable();
            runs.dedup();
            for run in runs {
                let node = trie
                    .node_after(run.as_bytes())
                    .expect("the tree keeps a node after each first run");
                by_run.push((run, node));
            }
        }
        let mut first = [false; 256];
        for p in &bytes {
            if let Some(&b) = p.first() {
                first[b as usize] = true;
                if fold {
                    first[b.to_ascii_uppercase() as usize] = true;
                    first[b.to_ascii_lowercase() as usize] = true;
                }
            }
        }
        Patterns {
            trie,
            ids: patterns.iter().map(|&(_, e, l)| (e, l)).collect(),
            first,
            by_run: RunMap::new(by_run.into_iter()),
            #[cfg(test)]
            texts: patterns.iter().map(|(p, _, _)| p.clone()).collect(),
        }
    }

    /// The hit of a pattern at a span.
    fn hit(&self, pattern: usize, span: Span) -> Hit {
        let (entry, label) = self.ids[pattern];
        Hit { entry, label, span }
    }

    /// The longest pattern starting at `start` and ending by `end`: its
    /// index and end.
    #[inline]
    fn longest_at(&self, bytes: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
        self.trie.longest(bytes, start, Trie::ROOT, end)
    }

    /// [`Patterns::longest_at`] for patterns that fold case, at a word
    /// start whose first run is `run`, `run_len` bytes long: the walk
    /// starts after the run. A pattern ending inside the run is not looked
    /// for: it would end inside a word.
    #[inline]
    fn longest_after_run(
        &self,
        bytes: &[u8],
        start: usize,
        end: usize,
        run: RunHash,
        run_len: usize,
    ) -> Option<(usize, usize)> {
        let after = start + run_len;
        let node = self.by_run.get(run, &bytes[start..after])?;
        self.trie.longest(bytes, after, node, end)
    }
}

pub struct Gazetteer {
    folded: Patterns,
    exact: Patterns,
    /// The first runs of both automata's patterns; the exact patterns'
    /// also with a plural s ("PMFs").
    openings: RunSet,
    /// The sets whose word starts [`Gazetteer::find_marking`] reports,
    /// each with whether only capitalised words count.
    marks: Vec<(RunSet, bool)>,
    /// The openings and all marks: most word starts are in none.
    any: RunSet,
    labels: Vec<String>,
    /// Whether each label is a demonym ("Iranian").
    demonym: Vec<bool>,
}

/// Whether a label is matched with its exact case: acronyms and names whose
/// first word has two capitals or more ("NATO", "EUAM Iraq", "U.S.", "McGurk").
pub fn is_case_sensitive(label: &str) -> bool {
    let first = label.split_whitespace().next().unwrap_or("");
    first.chars().filter(|c| c.is_uppercase()).count() >= 2
}

/// The spellings a label is searched under: as written, and with its
/// apostrophes straight and curly.
fn variants(label: &str) -> Vec<String> {
    let mut out = vec![label.to_string()];
    if label.contains('\'') {
        out.push(label.replace('\'', "\u{2019}"));
    }
    if label.contains('\u{2019}') {
        out.push(label.replace('\u{2019}', "'"));
    }
    out
}

impl Gazetteer {
    pub fn new(ontology: &Ontology) -> Gazetteer {
        let mut labels = Vec::new();
        let mut demonym = Vec::new();
        let mut folded: Vec<(String, EntryId, u32)> = Vec::new();
        let mut exact: Vec<(String, EntryId, u32)> = Vec::new();
        for (entry_id, entry) in ontology.entries.iter().enumerate() {
            let mut add = |label: &str, force_exact: bool, is_demonym: bool| {
                let label_id = labels.len() as u32;
                labels.push(label.to_string());
                demonym.push(is_demonym);
                for v in variants(label) {
                    if force_exact || is_case_sensitive(&v) {
                        exact.push((v, entry_id, label_id));
                    } else {
                        // The automaton folds ASCII case only: other letters
                        // keep their case on both sides ("Été" matches "Été").
                        folded.push((v.to_ascii_lowercase(), entry_id, label_id));
                    }
                }
            };
            add(&entry.pref_label, false, false);
            for alt in &entry.alt_labels {
                add(alt, false, false);
            }
            for alt in &entry.exact_labels {
                add(alt, true, false);
            }
            for d in &entry.demonyms {
                add(d, true, true);
            }
        }
        // One pattern per spelling; the first entry to claim it keeps it.
        let dedup = |mut v: Vec<(String, EntryId, u32)>| {
            let mut seen = std::collections::HashSet::new();
            v.retain(|(p, _, _)| seen.insert(p.clone()));
            v
        };
        let (folded, exact) = (dedup(folded), dedup(exact));
        let openings = RunSet::new(folded.iter().map(|(p, _, _)| p.as_str()), false)
            .union(&RunSet::new(exact.iter().map(|(p, _, _)| p.as_str()), true));
        Gazetteer {
            any: openings.clone(),
            marks: Vec::new(),
            folded: Patterns::new(&folded, true),
            exact: Patterns::new(&exact, false),
            openings,
            labels,
            demonym,
        }
    }

    pub fn is_demonym(&self, label: u32) -> bool {
        self.demonym.get(label as usize).copied().unwrap_or(false)
    }

    pub fn label(&self, id: u32) -> &str {
        &self.labels[id as usize]
    }

    /// Registers a set of runs whose word starts
    /// [`Gazetteer::find_marking`] reports, at the returned index; with
    /// `capitalised`, only words not opening with an ASCII small letter.
    pub fn add_marks(&mut self, set: RunSet, capitalised: bool) -> usize {
        self.any = self.any.union(&set);
        self.marks.push((set, capitalised));
        self.marks.len() - 1
    }

    /// All whole-word hits in `text[range]`, non-overlapping, longest first
    /// where two start together.
    pub fn find(&self, text: &str, range: Span, out: &mut Vec<Hit>) {
        self.find_marking(text, range, out, &mut []);
    }

    /// [`Gazetteer::find`], and in the same pass the word starts (no
    /// letter or digit before them) whose first run is in each set of
    /// marks (see [`Gazetteer::add_marks`]), into `marked` at the set's
    /// index: the places where other words of interest may start.
    pub fn find_marking(
        &self,
        text: &str,
        range: Span,
        out: &mut Vec<Hit>,
        marked: &mut [Vec<usize>],
    ) {
        let marks = &self.marks[..marked.len().min(self.marks.len())];
        let first = out.len();
        // Each automaton's whole-word hits, left to right: at every word
        // start, the longest pattern there if it ends a word, and the
        // search of that automaton goes on after it. An exact pattern (an
        // acronym) may take a plural s: "PMFs".
        let bytes = text.as_bytes();
        let end = range.end;
        // Where each automaton's next hit may start.
        let mut folded_from = range.start;
        let mut exact_from = range.start;
        let mut word_before = !is_boundary_before(text, range.start);
        let mut i = range.start;
        let empty_opens = self.openings.contains(RunHash::EMPTY);
        let empty_marks = marks.iter().any(|(set, _)| set.contains(RunHash::EMPTY));
        while i < end {
            let start = i;
            let b = bytes[i];
            let (run, word) = if FOLDED[b as usize] != 0 {
                let mut h = RunHash::EMPTY;
                for &b in &bytes[i..end] {
                    let folded = FOLDED[b as usize];
                    if folded == 0 {
                        break;
                    }
                    h = h.push_folded(folded);
                    i += 1;
                }
                (h, true)
            } else if b < 0x80 {
                i += 1;
                // Punctuation or a space: a word start only for a label
                // or mark opening with one (their first run is empty).
                if !(word_before || empty_opens || empty_marks) {
                    continue;
                }
                (RunHash::EMPTY, false)
            } else {
                let c = text[i..].chars().next().expect("a character starts here");
                i += c.len_utf8();
                (RunHash::EMPTY, c.is_alphanumeric())
            };
            if !word_before && self.any.contains(run) {
                if self.openings.contains(run) {
                    let run = (run, if word { i - start } else { 0 });
                    self.hits_at(
                        text,
                        start,
                        end,
                        run,
                        &mut folded_from,
                        &mut exact_from,
                        out,
                    );
                }
                for ((set, capitalised), at) in marks.iter().zip(marked.iter_mut()) {
                    if set.contains(run) && !(*capitalised && b.is_ascii_lowercase()) {
                        at.push(start);
                    }
                }
            }
            word_before = word;
        }
        let hits = &mut out[first..];
        hits.sort_by(|a, b| a.span.text_order(&b.span));
        // Keep the leftmost-longest of overlapping hits.
        let mut kept = first;
        let mut last_end = 0;
        for i in first..out.len() {
            let hit = out[i];
            if kept > first && hit.span.start < last_end {
                continue;
            }
            last_end = hit.span.end;
            out[kept] = hit;
            kept += 1;
        }
        out.truncate(kept);
    }

    /// The hits of both automata at a word start whose first run (hash and
    /// length) is `run`, each automaton only if its last hit ended by then.
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn hits_at(
        &self,
        text: &str,
        at: usize,
        end: usize,
        (run, run_len): (RunHash, usize),
        folded_from: &mut usize,
        exact_from: &mut usize,
        out: &mut Vec<Hit>,
    ) {
        let bytes = text.as_bytes();
        let b = bytes[at];
        if at >= *folded_from && self.folded.first[b as usize] {
            let longest = if run_len > 0 {
                self.folded.longest_after_run(bytes, at, end, run, run_len)
            } else {
                self.folded.longest_at(bytes, at, end)
            };
            if let Some((p, e)) = longest {
                if is_boundary_after(text, e) {
                    out.push(self.folded.hit(p, Span::new(at, e)));
                    *folded_from = e;
                }
            }
        }
        if at >= *exact_from && self.exact.first[b as usize] {
            if let Some((p, mut e)) = self.exact.longest_at(bytes, at, end) {
                if e < end && bytes[e] == b's' && is_boundary_after(text, e + 1) {
                    e += 1;
                }
                if is_boundary_after(text, e) {
                    out.push(self.exact.hit(p, Span::new(at, e)));
                    *exact_from = e;
                }
            }
        }
    }
}

fn is_boundary_before(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
}

fn is_boundary_after(text: &str, at: usize) -> bool {
    text[at..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};

    /// The plain search the one-pass scan stands for: each automaton
    /// searched on its own, unanchored and leftmost-longest, keeping the
    /// hits that are whole words.
    fn reference(g: &Gazetteer, text: &str) -> Vec<Hit> {
        let mut out = Vec::new();
        let folded = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&g.folded.texts)
            .unwrap();
        let mut pos = 0;
        while let Some(m) = folded.find(Input::new(text).range(pos..)) {
            if is_boundary_before(text, m.start()) && is_boundary_after(text, m.end()) {
                let (entry, label) = g.folded.ids[m.pattern().as_usize()];
                out.push(Hit {
                    entry,
                    label,
                    span: Span::new(m.start(), m.end()),
                });
                pos = m.end();
            } else {
                pos = m.start() + text[m.start()..].chars().next().unwrap().len_utf8();
            }
        }
        let exact = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(&g.exact.texts)
            .unwrap();
        let mut pos = 0;
        while pos < text.len() {
            let at = pos;
            pos += text[at..].chars().next().unwrap().len_utf8();
            if !is_boundary_before(text, at) {
                continue;
            }
            let input = Input::new(text).range(at..).anchored(Anchored::Yes);
            let Some(m) = exact.find(input) else { continue };
            let mut end = m.end();
            if text[end..].starts_with('s') && is_boundary_after(text, end + 1) {
                end += 1;
            }
            if is_boundary_after(text, end) {
                let (entry, label) = g.exact.ids[m.pattern().as_usize()];
                out.push(Hit {
                    entry,
                    label,
                    span: Span::new(at, end),
                });
                pos = end;
            }
        }
        out.sort_by(|a, b| a.span.text_order(&b.span));
        let mut kept: Vec<Hit> = Vec::new();
        for hit in out {
            if kept.last().is_none_or(|k| hit.span.start >= k.span.end) {
                kept.push(hit);
            }
        }
        kept
    }

    #[test]
    fn one_pass_finds_what_a_plain_whole_word_search_finds() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let ontology = Ontology::load(&root.join("ontology"), &[]).unwrap();
        let g = Gazetteer::new(&ontology);
        let mut texts: Vec<String> = [
            "xIraq Iraqis PMFs PMF's PMFsx U.S.-led US-Iraq the Global Coalition's",
            "Türkiye, ÉIraq Iraq\u{2019}s Iraq-Iran NATO Mission Iraq (NMI) NATOs nato",
            "IRAQ iraq Iraq9 9Iraq _Iraq Iraq_ \u{00e9}Iran Iran\u{00e9} Iran",
            "",
            "Iraq",
            "the Popular Mobilization Forces (PMF) and Kata'ib Hezbollah\u{2019}s men",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for entry in std::fs::read_dir(root.join("seeds")).unwrap() {
            texts.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
        }
        for text in &texts {
            let mut got = Vec::new();
            g.find(text, Span::new(0, text.len()), &mut got);
            assert_eq!(
                got,
                reference(&g, text),
                "in {:?}",
                &text[..text.len().min(80)]
            );
        }
        // Hits within a range end by its end.
        let text = "NATO Mission Iraq";
        let mut got = Vec::new();
        g.find(text, Span::new(0, 12), &mut got);
        assert!(got.iter().all(|h| h.span.end <= 12), "{got:?}");
    }
}
