//! The HTML reader on any page: never panics, and markup never reaches the text as tags of the
//! page's own elements.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let page = String::from_utf8_lossy(data);
    if let Ok(article) = stemma_input::article_from_html("page", &page) {
        assert_eq!(article.id, "page");
    }
});
