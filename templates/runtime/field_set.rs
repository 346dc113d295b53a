//! Serializing generated structs.
//!
//! A request body such as `AnswerRequest` has dozens of optional fields and
//! a call sets a few. serde's derive tests and writes the fields one after
//! the other, so every call runs through the code of all of them. A
//! generated struct instead notes which fields it sends in a [`FieldSet`],
//! then serializes those through one `match` on the field's index: a field
//! left out costs one test, and none of its serialization code is run.

/// The fields of a generated struct that are sent, by their index in
/// declaration order; `WORDS` is the number of fields divided by 64,
/// rounded up.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct FieldSet<const WORDS: usize>([u64; WORDS]);

impl<const WORDS: usize> FieldSet<WORDS> {
    #[inline]
    pub fn new() -> Self {
        Self([0; WORDS])
    }

    /// Marks field `index` as sent when `sent` is true.
    #[inline]
    pub fn set(&mut self, index: usize, sent: bool) {
        self.0[index / 64] |= u64::from(sent) << (index % 64);
    }

    /// How many fields are sent.
    #[inline]
    pub fn count(&self) -> usize {
        self.0.iter().map(|word| word.count_ones() as usize).sum()
    }

    /// The indexes of the fields sent, in declaration order.
    #[inline]
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0
            .iter()
            .enumerate()
            .flat_map(|(word_index, &word)| SetBits(word).map(move |bit| word_index * 64 + bit))
    }
}

impl<const WORDS: usize> Default for FieldSet<WORDS> {
    fn default() -> Self {
        Self::new()
    }
}

/// The indexes of the set bits of a word, lowest first.
struct SetBits(u64);

impl Iterator for SetBits {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        if self.0 == 0 {
            return None;
        }
        let bit = self.0.trailing_zeros() as usize;
        self.0 &= self.0 - 1;
        Some(bit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_fields_sent_in_order_across_words() {
        let mut sent = FieldSet::<2>::new();
        for index in [0, 5, 63, 64, 100, 127] {
            sent.set(index, true);
        }
        sent.set(6, false);
        assert_eq!(sent.count(), 6);
        assert_eq!(sent.iter().collect::<Vec<_>>(), [0, 5, 63, 64, 100, 127]);
        assert_eq!(FieldSet::<1>::new().iter().count(), 0);
    }
}
