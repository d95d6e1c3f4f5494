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
        RunHash(self.0.rotate_left(7) ^ u64::from(b | 0x20))
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

/// The first runs of ASCII letters and digits some words open with, as a
/// set of hash bits: a word start whose run is not in it opens none of
/// them. (Two runs may share a bit: a word start in the set may still open
/// none, and whoever asks checks.)
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
