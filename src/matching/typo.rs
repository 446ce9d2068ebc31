//! The one-edit look-up of unit names: a typo in the 字号 (one character replaced, added
//! or dropped, or two neighbours swapped) that the scored bigram matcher hardly sees.

use super::{core, Lists};

/// A core shorter than this is not matched by edits: in a two- or three-character name
/// one changed character leaves too little to be sure of.
const TYPO_MIN_CHARS: usize = 4;

/// Unit names whose cores are one edit apart (one character replaced, added or
/// dropped, or two neighbouring characters swapped: 华信 typed 信华, an edit the
/// keyboard makes as often as a wrong character): a typo in the 字号 that bigrams
/// hardly see, since it breaks two of the few bigrams a short name has. A
/// symmetric-deletion index: each core is filed under itself and under each of its
/// one-character deletions, so two cores within one edit share a key (a swap of `ab`
/// too: deleting `a` from both leaves the same string); every hit is then checked
/// exactly.
pub struct TypoIndex {
    /// (key hash, entry), sorted. 32 bits are enough: a hash shared by chance only
    /// costs an exact check that says no.
    keys: Vec<(u32, u32)>,
    cores: Lists<char>,
    unit: Vec<u32>,
    branch: Vec<bool>,
}

/// FNV-1a over the characters, skipping one position (or none): stable from run to run.
fn key_hash(chars: &[char], skip: Option<usize>) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, c) in chars.iter().enumerate() {
        if Some(i) == skip {
            continue;
        }
        for b in (*c as u32).to_le_bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    (h ^ (h >> 32)) as u32
}

fn key_hashes(chars: &[char]) -> impl Iterator<Item = u32> + '_ {
    std::iter::once(None)
        .chain((0..chars.len()).map(Some))
        .map(move |skip| key_hash(chars, skip))
}

/// Whether two names as written (spaces left out, brackets of either width alike) are
/// at most one edit apart: a name copied from the registry with one character wrong,
/// where its normalized core is one edit from several units' (源正（北京）网络科技有限责任
/// 公司 for 源德（北京）网络科技有限责任公司, not 北京源德网络科技有限公司).
pub fn written_one_edit_apart(a: &str, b: &str) -> bool {
    let chars = |s: &str| -> Vec<char> {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '(' => '（',
                ')' => '）',
                c => c,
            })
            .collect()
    };
    within_one_edit(&chars(a), &chars(b))
}

/// Whether two strings are at most one insertion, deletion, substitution or swap of
/// neighbours apart.
fn within_one_edit(a: &[char], b: &[char]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        let (s, l) = (&short[prefix..], &long[prefix..]);
        let swapped = s.len() >= 2 && s[0] == l[1] && s[1] == l[0] && s[2..] == l[2..];
        swapped || s.iter().skip(1).eq(l.iter().skip(1))
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

impl TypoIndex {
    /// Indexes `(unit, normalized name)` pairs.
    pub fn new<'a>(names: impl IntoIterator<Item = (usize, &'a str)>) -> Self {
        let mut t = TypoIndex {
            keys: Vec::new(),
            cores: Lists::default(),
            unit: Vec::new(),
            branch: Vec::new(),
        };
        for (unit, name) in names {
            let (core, branch) = core(name);
            let chars: Vec<char> = core.chars().collect();
            if chars.len() + 1 < TYPO_MIN_CHARS {
                continue;
            }
            let entry = t.cores.len() as u32;
            t.keys.extend(key_hashes(&chars).map(|h| (h, entry)));
            t.cores.push(chars);
            t.unit.push(unit as u32);
            t.branch.push(branch);
        }
        t.keys.sort_unstable();
        t.keys.dedup();
        t.keys.shrink_to_fit();
        t.cores.shrink_to_fit();
        t
    }

    /// Units whose name core is within one edit of the name's core, each once, with a
    /// score of 1 − edits / length of the longer core; in unit order.
    pub fn within_one_edit(&self, name_key: &str) -> Vec<(usize, f64)> {
        let (core, branch) = core(name_key);
        let chars: Vec<char> = core.chars().collect();
        if chars.len() < TYPO_MIN_CHARS {
            return Vec::new();
        }
        let mut found = std::collections::BTreeMap::new();
        for h in key_hashes(&chars) {
            let from = self.keys.partition_point(|(k, _)| *k < h);
            for &(_, e) in self.keys[from..].iter().take_while(|(k, _)| *k == h) {
                let e = e as usize;
                let other = self.cores.get(e);
                if self.branch[e] != branch || !within_one_edit(&chars, other) {
                    continue;
                }
                let edits = if other == chars { 0.0 } else { 1.0 };
                let score = 1.0 - edits / chars.len().max(other.len()) as f64;
                found.insert(self.unit[e] as usize, score);
            }
        }
        found.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::normalize_name;

    fn key(s: &str) -> String {
        normalize_name(s, &["北京市".into(), "北京".into()])
    }

    #[test]
    fn names_as_written_are_one_edit_apart_whatever_their_brackets_and_spaces() {
        let registered = "源德（北京）网络科技有限责任公司";
        // One character: yes, with half-width brackets or a space too.
        assert!(written_one_edit_apart(
            "源正（北京）网络科技有限责任公司",
            registered
        ));
        assert!(written_one_edit_apart(
            "源正(北京)网络科技 有限责任公司",
            registered
        ));
        // The same core in another form (北京 before the 字号, 有限公司): no.
        assert!(!written_one_edit_apart(
            "北京源正网络科技有限公司",
            registered
        ));
    }

    #[test]
    fn one_edit_finds_a_typo_in_the_trade_name_and_nothing_further() {
        let names = [
            "北京星河远航科技有限公司", // core 星河远航科技
            "北京云帆远航商贸有限公司", // core 云帆远航商贸
            "北京星河科技有限公司",     // core 星河科技 (two edits from 星河远航科技)
            "北京星河远航科技有限公司分公司",
        ];
        let keys: Vec<String> = names.iter().map(|n| key(n)).collect();
        let t = TypoIndex::new(keys.iter().enumerate().map(|(i, k)| (i, k.as_str())));
        // 远航 → 远帆: one substitution from unit 0 only; score 1 − 1/6.
        let got = t.within_one_edit(&key("北京星河远帆科技有限公司"));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, 0);
        assert!((got[0].1 - (1.0 - 1.0 / 6.0)).abs() < 1e-9);
        // One character dropped (星河远科技) or added (星河远航航科技): still unit 0.
        assert_eq!(t.within_one_edit(&key("星河远科技有限公司"))[0].0, 0);
        assert_eq!(t.within_one_edit(&key("星河远航航科技有限公司"))[0].0, 0);
        // Two neighbours swapped (远航 → 航远): one edit from unit 0.
        assert_eq!(t.within_one_edit(&key("北京星河航远科技有限公司"))[0].0, 0);
        // Two edits away from everything: nothing; a swap of characters apart (星…航
        // → 航…星) is two substitutions.
        assert!(t
            .within_one_edit(&key("北京航河远星科技有限公司"))
            .is_empty());
        assert!(t.within_one_edit(&key("星海远帆科技有限公司")).is_empty());
        // The branch is found only by a branch.
        let branch = t.within_one_edit(&key("北京星河远帆科技有限公司分公司"));
        assert_eq!(branch.iter().map(|c| c.0).collect::<Vec<_>>(), vec![3]);
    }

    #[test]
    fn edit_distance_one() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(within_one_edit(&c("abcd"), &c("abxd")));
        assert!(within_one_edit(&c("abcd"), &c("abd")));
        assert!(within_one_edit(&c("abcd"), &c("abcde")));
        assert!(!within_one_edit(&c("abcd"), &c("badc")));
        assert!(!within_one_edit(&c("abcd"), &c("ab")));
    }
}
