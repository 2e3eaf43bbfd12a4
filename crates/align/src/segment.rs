//! Sentence and paragraph segmentation (being written).
