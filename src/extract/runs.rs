//! Runs of ASCII letters and digits, hashed with their case folded, and
//! sets of them: one pass over a text can tell, at each word start,
//! whether some word of a list may start there, without looking the word
//! up. The gazetteer's automata, the definite words and the titles are
//! tried only where their first run is in such a set.

/// The hash of a run of ASCII letters and digits, case folded. A word
/// start opening with another byte hashes as an empty run.
#[derive(Clone, Copy)]
pub struct RunHash(pub u64);

impl RunHash {
    pub const EMPTY: RunHash = RunHash(0x9E37_79B9_7F4A_7C15);

    #[inline(always)]
    pub fn push(self, b: u8) -> RunHash {
        // `| 0x20` folds an ASCII letter and keeps a digit.
        self.push_folded(b | 0x20)
    }

    /// Adds a byte already folded (see [`FOLDED`]).
    #[inline(always)]
    pub fn push_folded(self, folded: u8) -> RunHash {
        RunHash(self.0.rotate_left(7) ^ u64::from(folded))
    }

    pub fn of(run: &[u8]) -> RunHash {
        run.iter().fold(RunHash::EMPTY, |h, &b| h.push(b))
    }

    /// The bit of this hash in a [`RunSet`].
    #[inline(always)]
    fn bit(self) -> usize {
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> (64 - OPENING_BITS)) as usize
    }
}

const OPENING_BITS: u32 = 16;

/// Runs up to this long hash without loss: each byte, case folded, is
/// one of 36 values below 0x80 and takes its own 7 bits of the 64, so two
/// runs of the same length have the same hash only if they are the same
/// run (ignoring case). Longer runs are compared byte for byte.
const EXACT_RUN: usize = 9;

/// Whether a byte is an ASCII letter or digit, by table.
pub static ASCII_ALNUM: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// Each ASCII letter or digit folded as [`RunHash::push`] folds it;
/// zero for every other byte: one load both tells a run byte and folds it.
pub static FOLDED: [u8; 256] = {
    let mut t = [0; 256];
    let mut b = 0;
    while b < 256 {
        if (b as u8).is_ascii_alphanumeric() {
            t[b] = b as u8 | 0x20;
        }
        b += 1;
    }
    t
};

/// The first runs of ASCII letters and digits some words open with, as a
/// set of hash bits: a word start whose run is not in it opens none of
/// them. (Two runs may share a bit: a word start in the set may still open
/// none, and whoever asks checks.)
#[derive(Clone)]
pub struct RunSet(pub Vec<u64>);

impl RunSet {
    /// The set of no run.
    pub const NONE: RunSet = RunSet(Vec::new());

    /// The set of the words' first runs; with `plural`, also each first
    /// run with an s ("PMFs").
    pub fn new<'a>(words: impl Iterator<Item = &'a str>, plural: bool) -> RunSet {
        let mut bits = vec![0u64; 1 << (OPENING_BITS - 6)];
        let mut add = |h: RunHash| bits[h.bit() >> 6] |= 1 << (h.bit() & 63);
        for p in words {
            let bytes = p.as_bytes();
            let len = bytes
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .unwrap_or(bytes.len());
            add(RunHash::of(&bytes[..len]));
            if plural && len > 0 {
                add(RunHash::of(&bytes[..len]).push(b's'));
            }
        }
        RunSet(bits)
    }

    /// The runs of both sets.
    pub fn union(&self, other: &RunSet) -> RunSet {
        let (long, short) = if self.0.len() >= other.0.len() {
            (self, other)
        } else {
            (other, self)
        };
        let mut bits = long.0.clone();
        for (a, b) in bits.iter_mut().zip(&short.0) {
            *a |= b;
        }
        RunSet(bits)
    }

    #[inline(always)]
    pub fn contains(&self, h: RunHash) -> bool {
        let bit = h.bit();
        self.0
            .get(bit >> 6)
            .is_some_and(|w| w & (1 << (bit & 63)) != 0)
    }
}

impl RunSet {
    /// Whether a word's first run is in the set: if not, the word is none
    /// of the words the set was made of (ignoring ASCII case).
    #[inline]
    pub fn may_be(&self, word: &str) -> bool {
        let bytes = word.as_bytes();
        let len = bytes
            .iter()
            .position(|&b| !ASCII_ALNUM[b as usize])
            .unwrap_or(bytes.len());
        self.contains(RunHash::of(&bytes[..len]))
    }
}

/// ASCII words of letters and digits, case folded, mapped to numbers. A
/// word is looked up by the [`RunHash`] its scan computed and checked byte
/// for byte: no lowercase copy, no second pass over it to hash it.
pub struct RunMap {
    slots: Vec<RunSlot>,
    /// `64 - log2(slots.len())`.
    shift: u32,
    /// The words, lowercase, one after another.
    text: Vec<u8>,
}

#[derive(Clone, Copy)]
struct RunSlot {
    hash: u64,
    start: u32,
    len: u32,
    value: u32,
}

const EMPTY_SLOT: u32 = u32::MAX;

impl RunMap {
    /// The map of the given words that are runs of ASCII letters and
    /// digits; other words are left out (no such run can be them).
    pub fn new<'a>(words: impl Iterator<Item = (&'a str, u32)>) -> RunMap {
        let words: Vec<(&str, u32)> = words
            .filter(|(w, _)| !w.is_empty() && w.bytes().all(|b| ASCII_ALNUM[b as usize]))
            .collect();
        let size = (words.len() * 2).next_power_of_two().max(16);
        let mut map = RunMap {
            slots: vec![
                RunSlot {
                    hash: 0,
                    start: 0,
                    len: 0,
                    value: EMPTY_SLOT,
                };
                size
            ],
            shift: 64 - size.trailing_zeros(),
            text: Vec::new(),
        };
        for (word, value) in words {
            let hash = RunHash::of(word.as_bytes());
            if map.get(hash, word.as_bytes()).is_some() {
                continue;
            }
            let mut slot = map.slot(hash);
            while map.slots[slot].value != EMPTY_SLOT {
                slot = (slot + 1) & (size - 1);
            }
            map.slots[slot] = RunSlot {
                hash: hash.0,
                start: map.text.len() as u32,
                len: word.len() as u32,
                value,
            };
            map.text
                .extend(word.bytes().map(|b| b.to_ascii_lowercase()));
        }
        map
    }

    #[inline(always)]
    fn slot(&self, h: RunHash) -> usize {
        (h.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> self.shift) as usize
    }

    #[inline(never)]
    fn same(&self, s: RunSlot, word: &[u8]) -> bool {
        self.text[s.start as usize..(s.start + s.len) as usize].eq_ignore_ascii_case(word)
    }

    /// The number of `word`, a run of ASCII letters and digits whose hash
    /// is `h`, ignoring ASCII case.
    #[inline(always)]
    pub fn get(&self, h: RunHash, word: &[u8]) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let mut slot = self.slot(h);
        loop {
            let s = self.slots[slot];
            if s.value == EMPTY_SLOT {
                return None;
            }
            if s.hash == h.0
                && s.len as usize == word.len()
                && (word.len() <= EXACT_RUN || self.same(s, word))
            {
                return Some(s.value);
            }
            slot = (slot + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_map_finds_words_ignoring_case_and_only_them() {
        let words = [
            ("the", 1),
            ("of", 2),
            ("reconstruction", 3),
            ("al-", 4),
            ("u.s", 5),
            ("2020", 6),
        ];
        let map = RunMap::new(words.iter().map(|&(w, v)| (w, v)));
        let get = |w: &str| map.get(RunHash::of(w.as_bytes()), w.as_bytes());
        assert_eq!(get("the"), Some(1));
        assert_eq!(get("The"), Some(1));
        assert_eq!(get("THE"), Some(1));
        assert_eq!(get("of"), Some(2));
        assert_eq!(get("Reconstruction"), Some(3));
        assert_eq!(get("2020"), Some(6));
        // Words with other characters cannot be runs: left out.
        assert_eq!(get("al"), None);
        assert_eq!(get("u"), None);
        for absent in [
            "then",
            "th",
            "off",
            "reconstructions",
            "reconstructiom",
            "2021",
        ] {
            assert_eq!(get(absent), None, "{absent}");
        }
    }

    #[test]
    fn short_runs_hash_without_collisions() {
        // Every run of up to three letters and digits: same length and
        // same hash means the same run, as `RunMap::get` relies on.
        let alphabet: Vec<u8> = (b'a'..=b'z').chain(b'0'..=b'9').collect();
        let mut seen = std::collections::HashMap::new();
        let mut runs: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..3 {
            runs = runs
                .iter()
                .flat_map(|r| {
                    alphabet.iter().map(move |&b| {
                        let mut r = r.clone();
                        r.push(b);
                        r
                    })
                })
                .collect();
            for r in &runs {
                let h = RunHash::of(r).0;
                if let Some(other) = seen.insert((r.len(), h), r.clone()) {
                    panic!("{:?} and {:?} hash alike", r, other);
                }
                let upper = r.to_ascii_uppercase();
                assert_eq!(RunHash::of(&upper).0, h, "case folds");
            }
        }
    }
}
