//! The alignment of any two texts (split at the first 0xFF byte, which UTF-8 never holds):
//! coverage is a share, groups are in range, and each group's word diff rebuilds both texts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stemma_align::word_diff;

fuzz_target!(|data: &[u8]| {
    let cut = data.iter().position(|&b| b == 0xFF).unwrap_or(data.len() / 2);
    let a = String::from_utf8_lossy(&data[..cut]).into_owned();
    let b = String::from_utf8_lossy(data.get(cut + 1..).unwrap_or_default()).into_owned();
    let c = stemma_align::compare("a", &a, "b", &b);
    assert!((0.0..=1.0).contains(&c.alignment.coverage_a));
    assert!((0.0..=1.0).contains(&c.alignment.coverage_b));
    for group in &c.alignment.groups {
        assert!(group.a.end <= c.a.sentences.len() && group.b.end <= c.b.sentences.len());
        let a_text = c.a.sentences_text(group.a.clone());
        let b_text = c.b.sentences_text(group.b.clone());
        let runs = word_diff(&a_text, &b_text);
        let old: String = runs.iter().map(|r| r.a.as_str()).collect();
        let new: String = runs.iter().map(|r| r.b.as_str()).collect();
        assert_eq!(old, a_text);
        assert_eq!(new, b_text);
    }
});
