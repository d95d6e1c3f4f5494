//! A fast property test: a few hundred random and mutated documents go
//! through the whole build; none ends the run or fails its document, and
//! every output parses. (The fuzz targets in `fuzz/` search much longer.)

mod common;

use std::fs;

use common::*;
use oxigraph::io::RdfFormat;

/// xorshift64*: deterministic, so a failure is reproduced by the test.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Pieces that stress the rules: names, cues, punctuation, odd spacing.
const PIECES: &[&str] = &[
    "Iran",
    "the Kadhimi government",
    "Hezbollah",
    "NATO",
    "said that it would support",
    ", ",
    ". ",
    "\n\n",
    "(",
    ")",
    "'s ",
    "al-",
    " and ",
    " of the ",
    "Prime Minister ",
    "Gen. ",
    "PMF",
    "Popular Mobilization Forces (PMF)",
    "attacked",
    " in ",
    "Baghdad",
    "Aleppo",
    "\u{201c}",
    "\u{2019}s",
    "-backed ",
    "\t",
    "  ",
    "\u{00a0}",
    "é",
    "\u{1F600}",
    "Mr.",
    "U.S.",
    "UN",
    "\r\n",
    "which",
    "was led by",
    "under ISIS control",
    "Ras al-Ain",
    ";",
    ":",
    "—",
    "...",
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(12) {
        let at = rng.below(chars.len() + 1);
        match rng.below(4) {
            0 => {
                let piece = PIECES[rng.below(PIECES.len())];
                chars.splice(at..at, piece.chars());
            }
            1 if !chars.is_empty() => {
                let end = (at + rng.below(200)).min(chars.len());
                chars.drain(at.min(end)..end);
            }
            2 if !chars.is_empty() => {
                let from = rng.below(chars.len());
                let end = (from + rng.below(300)).min(chars.len());
                let copy: Vec<char> = chars[from..end].to_vec();
                chars.splice(at..at, copy);
            }
            _ => {
                let c = char::from_u32(rng.below(0x3000) as u32).unwrap_or(' ');
                chars.insert(at.min(chars.len()), c);
            }
        }
    }
    chars.into_iter().collect()
}

fn random(rng: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..rng.below(80) {
        s.push_str(PIECES[rng.below(PIECES.len())]);
    }
    s
}

#[test]
fn random_and_mutated_documents_never_end_a_run() {
    let seeds: Vec<String> = fs::read_dir(common::seeds())
        .unwrap()
        .map(|e| fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    let mut rng = Rng(0x5EED_2026_1201);
    for i in 0..300 {
        let text = if i % 3 == 0 {
            random(&mut rng)
        } else {
            // A slice of a seed, mutated.
            let seed = &seeds[rng.below(seeds.len())];
            let chars: Vec<char> = seed.chars().collect();
            let from = rng.below(chars.len());
            let end = (from + 500 + rng.below(3000)).min(chars.len());
            mutate(&mut rng, &chars[from..end].iter().collect::<String>())
        };
        fs::write(docs.join(format!("{i:03}.txt")), text).unwrap();
    }
    let o = stratagraph(
        dir.path(),
        &[
            "build", "docs", "--out", "out", "-q", "-f", "nquads", "-f", "turtle",
        ],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("failed"),
        "{err}"
    );
    let nq = parse(&dir.path().join("out/graph.nq"), RdfFormat::NQuads);
    let ttl = parse(&dir.path().join("out/graph.ttl"), RdfFormat::Turtle);
    assert!(!nq.is_empty() && !ttl.is_empty());
    // Every document has its graph.
    let graphs: std::collections::BTreeSet<String> = nq
        .iter()
        .map(|q| q.graph_name.to_string())
        .filter(|g| g.contains("/doc/"))
        .collect();
    assert_eq!(graphs.len(), 300, "one graph a document");
}
