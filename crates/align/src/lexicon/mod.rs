//! Built-in lexical resources (being written).
