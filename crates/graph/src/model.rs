//! The link decision: a logistic regression over [`PairFeatures`], fitted on labelled pairs.
//!
//! A cascade of hand-set thresholds on coverage and order linked same-event reports as `partial`,
//! because true partial reuse scores in the same range. The model weighs every piece of evidence at
//! once and gives a probability that a pair shares a text. Its weights ship in the crate
//! (`src/link_model.json`) and are refitted, reproducibly, by `stemma measure fit` on the labelled
//! development corpora (docs/quality.md says which, and how the numbers were cross-validated).

use stemma_align::logistic::{FeatureSet, Model};

use crate::features::{FEATURE_COUNT, FEATURE_DIRECTIONS, FEATURE_NAMES, PairFeatures};

/// The link model: a fitted logistic regression over [`PairFeatures`] (a [`Model`]), fitted by
/// [`TrainingSet::fit`]. The one that ships is fitted by `stemma measure fit --write`.
///
/// ```
/// use stemma_graph::{LinkModel, PairFeatures};
/// let model = LinkModel::shipped();
/// assert_eq!(model.weights.len(), stemma_graph::FEATURE_NAMES.len());
/// assert_eq!(&LinkModel::from_json(&model.to_json()).unwrap(), model);
/// let p = model.probability(&PairFeatures::default());
/// assert!((0.0..=1.0).contains(&p));
/// ```
pub type LinkModel = Model<PairFeatures>;

/// The model shipped with the crate.
const SHIPPED: &str = include_str!("link_model.json");

impl FeatureSet for PairFeatures {
    type Values = [f64; FEATURE_COUNT];
    const NAMES: &'static [&'static str] = &FEATURE_NAMES;

    fn values(&self) -> Self::Values {
        PairFeatures::values(self)
    }

    fn shipped_model() -> &'static LinkModel {
        static MODEL: std::sync::OnceLock<LinkModel> = std::sync::OnceLock::new();
        MODEL.get_or_init(|| {
            LinkModel::from_json(SHIPPED).expect("the shipped link model matches this version")
        })
    }
}

/// Labelled pairs to fit on.
#[derive(Debug, Clone, Default)]
pub struct TrainingSet {
    rows: Vec<([f64; FEATURE_COUNT], bool, f64)>,
}

impl TrainingSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a pair with its label (`true`: the two share a text) and a weight.
    pub fn push(&mut self, features: &PairFeatures, linked: bool, weight: f64) {
        debug_assert!(weight.is_finite() && weight >= 0.0);
        self.rows.push((features.values(), linked, weight));
    }

    /// Pairs held.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no pair is held.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Fits a model by Newton's method on the L2-penalised log-likelihood (`l2` on the standardized
    /// weights, not the bias), every weight on the side of its feature's [`FEATURE_DIRECTIONS`] (a
    /// feature whose weight would cross it gets none). Deterministic: the same rows in the same order
    /// give the same model.
    ///
    /// ```
    /// use stemma_graph::{LinkModel, PairFeatures, TrainingSet};
    /// let mut set = TrainingSet::new();
    /// for i in 0..20 {
    ///     let x = f64::from(i) / 20.0;
    ///     let f = PairFeatures { coverage_max: x, ..Default::default() };
    ///     set.push(&f, x > 0.5, 1.0);
    /// }
    /// let model: LinkModel = set.fit(1.0, 0.5, "example");
    /// let high = PairFeatures { coverage_max: 0.9, ..Default::default() };
    /// let low = PairFeatures { coverage_max: 0.1, ..Default::default() };
    /// assert!(model.probability(&high) > 0.5 && model.probability(&low) < 0.5);
    /// ```
    pub fn fit(&self, l2: f64, threshold: f64, fitted_on: &str) -> LinkModel {
        let rows = &self.rows;
        let weighted: Vec<([f64; FEATURE_COUNT], f64)> =
            rows.iter().map(|&(x, _, w)| (x, w)).collect();
        let (mean, scale) = stemma_align::logistic::mean_and_scale(&weighted);
        let standardized: Vec<([f64; P], f64, f64)> = rows
            .iter()
            .map(|(x, y, w)| {
                let mut z = [1.0; P];
                for i in 0..FEATURE_COUNT {
                    z[i] = (x[i] - mean[i]) / scale[i];
                }
                (z, if *y { 1.0 } else { 0.0 }, *w)
            })
            .collect();
        // Features whose weight came out against their direction are left out, the worst first,
        // and the rest refitted, until every weight is on its side (an active-set fit of the
        // sign-constrained problem; at most one refit per feature).
        let mut active = [true; FEATURE_COUNT];
        let beta = loop {
            let beta = stemma_align::logistic::fit(&standardized, &active, l2);
            let worst = (0..FEATURE_COUNT)
                .filter(|&i| active[i] && FEATURE_DIRECTIONS[i] != 0)
                .map(|i| (beta[i] * f64::from(FEATURE_DIRECTIONS[i]), i))
                .filter(|&(signed, _)| signed < 0.0)
                .min_by(|x, y| x.0.total_cmp(&y.0));
            match worst {
                Some((_, i)) => active[i] = false,
                None => break beta,
            }
        };
        LinkModel::new(
            mean.to_vec(),
            scale.to_vec(),
            beta[..FEATURE_COUNT].to_vec(),
            beta[P - 1],
            threshold,
            fitted_on,
        )
    }
}

/// Parameters of the fit: the weights, then the bias.
const P: usize = FEATURE_COUNT + 1;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_weight_against_its_features_direction_is_held_at_zero() {
        // fact_only_groups is evidence against a shared text: when the training data says the
        // opposite (here it rises with the label), the fit leaves it out instead of following it.
        let fact_only = FEATURE_NAMES
            .iter()
            .position(|&n| n == "fact_only_groups")
            .expect("a feature of this version");
        assert_eq!(FEATURE_DIRECTIONS[fact_only], -1);
        let mut set = TrainingSet::new();
        for i in 0..40 {
            let x = f64::from(i) / 40.0;
            let f = PairFeatures {
                coverage_max: x,
                fact_only_groups: x,
                ..Default::default()
            };
            set.push(&f, x > 0.5, 1.0);
        }
        let model = set.fit(1.0, 0.5, "test");
        assert_eq!(model.weights[fact_only], 0.0);
        assert!(model.weights[0] > 0.0, "coverage_max carries the signal");
        for (i, w) in model.weights.iter().enumerate() {
            assert!(
                w * f64::from(FEATURE_DIRECTIONS[i]) >= 0.0,
                "{}",
                FEATURE_NAMES[i]
            );
        }
    }

    #[test]
    fn the_shipped_model_round_trips() {
        let model = LinkModel::shipped();
        assert_eq!(&LinkModel::from_json(&model.to_json()).unwrap(), model);
    }

    #[test]
    fn a_model_for_other_features_is_refused() {
        let mut model = LinkModel::shipped().clone();
        model.features[0] = "something_else".into();
        assert!(matches!(
            LinkModel::from_json(&model.to_json()),
            Err(stemma_align::logistic::ModelError::Features { .. })
        ));
    }
}
