//! `stemma diff` end to end (being written).
