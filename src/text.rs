//! [`SharedText`]: an immutable text that many records share, held in one word.
//!
//! A month's records hold a dozen texts each that repeat across records (a district,
//! an industry, an organization's code, a member's employer as written), or that a
//! unit and its look-ups share (its USCC, its normal name). `Arc<str>` is two words (a
//! pointer and a length); this is one, with the length beside the bytes in the same
//! allocation (`triomphe::ThinArc`): 8 bytes less per field, about a tenth of what a
//! 10M-unit month holds while it links members.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

use triomphe::ThinArc;

/// A text shared by reference count, compared, ordered and hashed as the `str` it holds
/// (so a map keyed by it is looked up by `&str`).
#[derive(Clone)]
pub struct SharedText(ThinArc<(), u8>);

impl SharedText {
    pub fn as_str(&self) -> &str {
        // SAFETY: the bytes were copied from a `str` (`From<&str>`, the only
        // constructor) and are never changed, so they are valid UTF-8.
        unsafe { std::str::from_utf8_unchecked(&self.0.slice) }
    }
}

impl From<&str> for SharedText {
    fn from(text: &str) -> Self {
        SharedText(ThinArc::from_header_and_slice((), text.as_bytes()))
    }
}

impl From<String> for SharedText {
    fn from(text: String) -> Self {
        SharedText::from(text.as_str())
    }
}

impl Deref for SharedText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for SharedText {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for SharedText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedText {}

impl PartialOrd for SharedText {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedText {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

/// As the `str` hashes, which `Borrow<str>` requires.
impl Hash for SharedText {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl fmt::Debug for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_word_that_acts_as_its_text() {
        assert_eq!(std::mem::size_of::<SharedText>(), 8);
        assert_eq!(std::mem::size_of::<Option<SharedText>>(), 8);
        let a = SharedText::from("北京市东城区");
        let b = SharedText::from(String::from("北京市东城区"));
        assert_eq!(a, b);
        assert_eq!(&*a, "北京市东城区");
        assert_eq!(SharedText::from("").len(), 0);
        let (x, y) = (SharedText::from("a"), SharedText::from("b"));
        assert!(x < y);
        let mut set = std::collections::HashSet::new();
        set.insert(a.clone());
        // Found by the str it holds: the hash is the str's.
        assert!(set.contains("北京市东城区"));
        assert_eq!(format!("{a} {a:?}"), "北京市东城区 \"北京市东城区\"");
    }
}
