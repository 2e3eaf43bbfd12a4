//! Segmentation, normalization and furniture marking of any text: spans stay inside the text, on
//! character boundaries, in order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stemma_align::TextAnalysis;
use stemma_align::Normalizer;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let segmentation = stemma_align::segment(&text);
    let mut end = 0;
    for sentence in &segmentation.sentences {
        assert!(sentence.span.start >= end, "sentences overlap or go backwards");
        assert!(sentence.span.end <= text.len());
        assert!(text.get(sentence.span.clone()).is_some(), "span off a char boundary");
        assert!(sentence.paragraph < segmentation.paragraphs.len());
        end = sentence.span.end;
    }
    let analysis = TextAnalysis::new(text, &Normalizer::new());
    assert_eq!(analysis.sentences.len(), analysis.segmentation.sentences.len());
    for (tokens, _) in &analysis.sentences {
        for token in tokens {
            assert!(analysis.text.get(token.span.clone()).is_some());
        }
    }
});
