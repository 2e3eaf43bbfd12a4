//! Aligns the demo corpus's wire story with its spun rewrite and prints each aligned group as a
//! word diff (`[-removed-]{+added+}`).
//!
//! ```text
//! cargo run -p stemma-align --example word_diff
//! ```
#![allow(clippy::print_stdout)]

use stemma_align::{DiffOp, word_diff};

fn main() -> std::io::Result<()> {
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
    let wire = std::fs::read_to_string(format!("{examples}/wire.txt"))?;
    let spun = std::fs::read_to_string(format!("{examples}/spun.txt"))?;
    let c = stemma_align::compare("wire", &wire, "spun", &spun);
    println!(
        "{} aligned groups; {:.0}% of the wire and {:.0}% of the rewrite aligned\n",
        c.alignment.groups.len(),
        c.alignment.coverage_a * 100.0,
        c.alignment.coverage_b * 100.0
    );
    for group in &c.alignment.groups {
        let a = c.a.sentences_text(group.a.clone());
        let b = c.b.sentences_text(group.b.clone());
        let mut line = String::new();
        for run in word_diff(&a, &b) {
            match run.op {
                DiffOp::Equal => line.push_str(&run.a),
                DiffOp::Delete => line.push_str(&format!("[-{}-]", run.a)),
                DiffOp::Insert => line.push_str(&format!("{{+{}+}}", run.b)),
                DiffOp::Replace => line.push_str(&format!("[-{}-]{{+{}+}}", run.a, run.b)),
            }
        }
        println!("similarity {:.2}: {line}\n", group.score);
    }
    Ok(())
}
