//! Small statistics for quality numbers: ROC AUC, Spearman's rho, best threshold.

/// Area under the ROC curve: the probability that a random positive scores above a random negative
/// (ties count half).
pub fn roc_auc(positives: &[f64], negatives: &[f64]) -> f64 {
    if positives.is_empty() || negatives.is_empty() {
        return f64::NAN;
    }
    let mut wins = 0.0;
    for &p in positives {
        for &n in negatives {
            if p > n {
                wins += 1.0;
            } else if p == n {
                wins += 0.5;
            }
        }
    }
    wins / (positives.len() * negatives.len()) as f64
}

/// Average ranks (1-based), ties sharing the mean of their ranks.
fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut k = 0;
    while k < order.len() {
        let mut end = k;
        while end + 1 < order.len() && values[order[end + 1]] == values[order[k]] {
            end += 1;
        }
        let rank = (k + end) as f64 / 2.0 + 1.0;
        for &i in &order[k..=end] {
            ranks[i] = rank;
        }
        k = end + 1;
    }
    ranks
}

/// Spearman's rank correlation (Pearson correlation of average ranks).
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let rx = ranks(x);
    let ry = ranks(y);
    let n = rx.len() as f64;
    let mx = rx.iter().sum::<f64>() / n;
    let my = ry.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    sxy / (sxx * syy).sqrt()
}

/// The threshold `t` that maximises the accuracy of "score ≥ t" on labelled scores, and that accuracy.
/// Among equally good thresholds the midpoint between neighbouring scores is taken.
pub fn best_threshold(scored: &[(f64, bool)]) -> (f64, f64) {
    let mut sorted: Vec<(f64, bool)> = scored.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total = sorted.len() as f64;
    let positives = sorted.iter().filter(|s| s.1).count();
    // Threshold below everything: all predicted positive.
    let mut correct = positives;
    let mut best = (correct, f64::NEG_INFINITY);
    for k in 0..sorted.len() {
        // Moving the threshold above sorted[k] turns it negative.
        if sorted[k].1 {
            correct -= 1;
        } else {
            correct += 1;
        }
        let next = sorted.get(k + 1).map_or(sorted[k].0 + 1e-9, |s| s.0);
        if next > sorted[k].0 && correct > best.0 {
            best = (correct, (sorted[k].0 + next) / 2.0);
        }
    }
    (best.1, best.0 as f64 / total)
}

/// Accuracy and F1 (of the positive class) of "score ≥ t".
pub fn accuracy_f1(scored: &[(f64, bool)], threshold: f64) -> (f64, f64) {
    let (mut tp, mut fp, mut tn, mut fn_) = (0.0, 0.0, 0.0, 0.0);
    for &(s, label) in scored {
        match (s >= threshold, label) {
            (true, true) => tp += 1.0,
            (true, false) => fp += 1.0,
            (false, false) => tn += 1.0,
            (false, true) => fn_ += 1.0,
        }
    }
    let accuracy = (tp + tn) / (tp + tn + fp + fn_);
    let f1 = 2.0 * tp / (2.0 * tp + fp + fn_);
    (accuracy, f1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_of_separated_and_tied_scores() {
        assert_eq!(roc_auc(&[0.9, 0.8], &[0.1, 0.2]), 1.0);
        assert_eq!(roc_auc(&[0.5], &[0.5]), 0.5);
        assert_eq!(roc_auc(&[0.1], &[0.9]), 0.0);
    }

    #[test]
    fn spearman_of_monotone_and_reversed() {
        assert!((spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]) - 1.0).abs() < 1e-12);
        assert!((spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
    }

    #[test]
    fn threshold_separates_when_possible() {
        let scored = [(0.1, false), (0.2, false), (0.7, true), (0.9, true)];
        let (t, acc) = best_threshold(&scored);
        assert_eq!(acc, 1.0);
        assert!(t > 0.2 && t < 0.7);
        assert_eq!(accuracy_f1(&scored, t).0, 1.0);
    }
}
