//! Stand-in lexicon (replaced by the real module).
#![allow(missing_docs)]
pub mod synonyms {
    pub struct Synonyms;
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Tier {
        Synonym,
        Related,
    }
    static S: Synonyms = Synonyms;
    impl Synonyms {
        pub fn builtin() -> &'static Synonyms {
            &S
        }
        pub fn classes(&self, _key: &str) -> &[u32] {
            &[]
        }
        pub fn relation(&self, _a: &str, _b: &str) -> Option<Tier> {
            None
        }
        pub fn lemma_of_irregular(&self, _w: &str) -> Option<&str> {
            None
        }
    }
}
pub mod background {
    pub struct Background;
    static B: Background = Background;
    impl Background {
        pub fn builtin() -> &'static Background {
            &B
        }
        pub fn zipf(&self, _key: &str) -> Option<f32> {
            None
        }
    }
}
pub mod spelling {
    pub fn american_spelling(_w: &str) -> Option<&'static str> {
        None
    }
}
pub mod stopwords {
    pub fn is_stop_word(w: &str) -> bool {
        matches!(
            w,
            "the"
                | "a"
                | "an"
                | "of"
                | "to"
                | "in"
                | "and"
                | "or"
                | "is"
                | "was"
                | "were"
                | "be"
                | "that"
                | "it"
                | "on"
                | "for"
                | "with"
                | "as"
                | "by"
                | "at"
                | "from"
                | "he"
                | "she"
                | "they"
                | "this"
                | "his"
                | "her"
                | "their"
                | "had"
                | "has"
                | "have"
                | "not"
                | "but"
                | "are"
                | "its"
        )
    }
}
