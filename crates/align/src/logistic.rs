//! Logistic regression over standardized features: the [`Model`] type of the sentence-pair model
//! ([`SentenceModel`](crate::SentenceModel)) and the graph crate's link model, and the arithmetic
//! that fits them.
//!
//! A model is `p = σ(bias + Σ wᵢ · (xᵢ − meanᵢ) / scaleᵢ)` over the features of a [`FeatureSet`],
//! ships as JSON lists checked on load, and is fitted the same way whatever it weighs: weighted
//! standardization, then Newton's method on the L2-penalised log-likelihood (the penalty on the
//! standardized weights, not the bias), with some weights optionally held at 0. Deterministic: the
//! same rows in the same order give the same weights, bit for bit.

use std::marker::PhantomData;

use serde::{Deserialize, Serialize};

/// The features a [`Model`] weighs: a fixed list of named values computed from one pair.
///
/// ```
/// use stemma_align::logistic::{FeatureSet, Model};
///
/// /// A model over one feature.
/// struct Length(f64);
/// impl FeatureSet for Length {
///     type Values = [f64; 1];
///     const NAMES: &'static [&'static str] = &["length"];
///     fn values(&self) -> [f64; 1] {
///         [self.0]
///     }
///     fn shipped_model() -> &'static Model<Self> {
///         static MODEL: std::sync::OnceLock<Model<Length>> = std::sync::OnceLock::new();
///         MODEL.get_or_init(|| Model::new(vec![0.0], vec![1.0], vec![2.0], 0.0, 0.5, "an example"))
///     }
/// }
/// assert!(Model::<Length>::shipped().probability(&Length(1.0)) > 0.5);
/// ```
pub trait FeatureSet: Sized + 'static {
    /// The values, [`FeatureSet::NAMES`] long.
    type Values: AsRef<[f64]>;
    /// The names a model of these features lists, in order.
    const NAMES: &'static [&'static str];
    /// The values of one pair, in [`FeatureSet::NAMES`] order.
    fn values(&self) -> Self::Values;
    /// The model that ships with the crate that defines these features ([`Model::shipped`]).
    fn shipped_model() -> &'static Model<Self>;
}

/// A fitted logistic regression over the features `F`: `p = σ(bias + Σ wᵢ · (xᵢ − meanᵢ) / scaleᵢ)`.
/// The JSON form is the seven fields below.
#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Model<F> {
    /// The feature names, in the order of the other lists (`F::NAMES`).
    pub features: Vec<String>,
    /// Each feature's mean on the training pairs.
    pub mean: Vec<f64>,
    /// Each feature's standard deviation on the training pairs (1 where it was 0).
    pub scale: Vec<f64>,
    /// The weight of each standardized feature.
    pub weights: Vec<f64>,
    /// The intercept.
    pub bias: f64,
    /// Probability from which a pair is called positive (a link, a paraphrase).
    pub threshold: f64,
    /// What the model was fitted on, and with which command.
    #[serde(default)]
    pub fitted_on: String,
    #[serde(skip)]
    features_of: PhantomData<fn() -> F>,
}

/// Why a model could not be used.
#[derive(Debug, thiserror::Error, PartialEq)]
#[non_exhaustive]
pub enum ModelError {
    /// The JSON could not be parsed.
    #[error("not a model: {0}")]
    Json(String),
    /// The model lists other features than this version computes.
    #[error("the model's features {found:?} are not this version's {expected:?}")]
    Features {
        /// What the model lists.
        found: Vec<String>,
        /// What this version computes.
        expected: Vec<String>,
    },
    /// A list has the wrong length, a value is not finite or a scale is not positive.
    #[error("malformed model: {0}")]
    Malformed(&'static str),
}

impl<F: FeatureSet> Model<F> {
    /// A model of `F` with these lists (each `F::NAMES` long) and values.
    pub fn new(
        mean: Vec<f64>,
        scale: Vec<f64>,
        weights: Vec<f64>,
        bias: f64,
        threshold: f64,
        fitted_on: &str,
    ) -> Self {
        debug_assert_eq!(
            malformed(F::NAMES.len(), &mean, &scale, &weights, bias, threshold),
            None
        );
        Model {
            features: F::NAMES.iter().map(|s| s.to_string()).collect(),
            mean,
            scale,
            weights,
            bias,
            threshold,
            fitted_on: fitted_on.to_owned(),
            features_of: PhantomData,
        }
    }

    /// The model that ships for `F` ([`FeatureSet::shipped_model`]).
    pub fn shipped() -> &'static Self {
        F::shipped_model()
    }

    /// Reads a model written by [`Model::to_json`], checking that it lists `F`'s features and
    /// that its lists are usable.
    pub fn from_json(text: &str) -> Result<Self, ModelError> {
        let model: Self =
            serde_json::from_str(text).map_err(|e| ModelError::Json(e.to_string()))?;
        if model.features != F::NAMES {
            return Err(ModelError::Features {
                found: model.features,
                expected: F::NAMES.iter().map(|s| s.to_string()).collect(),
            });
        }
        if let Some(why) = malformed(
            F::NAMES.len(),
            &model.mean,
            &model.scale,
            &model.weights,
            model.bias,
            model.threshold,
        ) {
            return Err(ModelError::Malformed(why));
        }
        Ok(model)
    }

    /// The model as pretty JSON, with a final newline (what a shipped model file holds).
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a model serializes");
        text.push('\n');
        text
    }

    /// The probability that a pair with these features is positive, in [0, 1].
    pub fn probability(&self, features: &F) -> f64 {
        probability(
            &self.weights,
            &self.mean,
            &self.scale,
            self.bias,
            features.values().as_ref(),
        )
    }
}

// Written out rather than derived: a derive would ask `F` for the same traits, and `F` is only a
// marker of which features the lists follow.
impl<F> Clone for Model<F> {
    fn clone(&self) -> Self {
        Model {
            features: self.features.clone(),
            mean: self.mean.clone(),
            scale: self.scale.clone(),
            weights: self.weights.clone(),
            bias: self.bias,
            threshold: self.threshold,
            fitted_on: self.fitted_on.clone(),
            features_of: PhantomData,
        }
    }
}

impl<F> PartialEq for Model<F> {
    fn eq(&self, other: &Self) -> bool {
        self.features == other.features
            && self.mean == other.mean
            && self.scale == other.scale
            && self.weights == other.weights
            && self.bias == other.bias
            && self.threshold == other.threshold
            && self.fitted_on == other.fitted_on
    }
}

impl<F> std::fmt::Debug for Model<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("features", &self.features)
            .field("mean", &self.mean)
            .field("scale", &self.scale)
            .field("weights", &self.weights)
            .field("bias", &self.bias)
            .field("threshold", &self.threshold)
            .field("fitted_on", &self.fitted_on)
            .finish()
    }
}

/// The logistic function.
///
/// ```
/// assert_eq!(stemma_align::logistic::sigmoid(0.0), 0.5);
/// assert!(stemma_align::logistic::sigmoid(10.0) > 0.9999);
/// ```
pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// The probability of a fitted model for the raw feature values `x`:
/// `σ(bias + Σ wᵢ · (xᵢ − meanᵢ) / scaleᵢ)`. The four lists have the same length.
///
/// ```
/// use stemma_align::logistic::probability;
/// // One feature, mean 1, scale 2, weight 4: x = 3 is one standard deviation up.
/// let p = probability(&[4.0], &[1.0], &[2.0], -4.0, &[3.0]);
/// assert_eq!(p, 0.5);
/// ```
pub fn probability(weights: &[f64], mean: &[f64], scale: &[f64], bias: f64, x: &[f64]) -> f64 {
    debug_assert!(
        weights.len() == x.len() && mean.len() == x.len() && scale.len() == x.len(),
        "a model's lists and its features have one length"
    );
    let z = bias
        + (0..x.len())
            .map(|i| weights[i] * (x[i] - mean[i]) / scale[i])
            .sum::<f64>();
    sigmoid(z)
}

/// What is wrong with a model read from JSON whose lists should each hold `count` values: a list of
/// the wrong length, a value that is not finite, or a scale that is not positive. `None` when it is
/// usable.
///
/// ```
/// use stemma_align::logistic::malformed;
/// assert_eq!(malformed(1, &[0.0], &[1.0], &[2.0], 0.0, 0.5), None);
/// assert!(malformed(2, &[0.0], &[1.0], &[2.0], 0.0, 0.5).is_some());
/// assert!(malformed(1, &[0.0], &[0.0], &[2.0], 0.0, 0.5).is_some());
/// ```
pub fn malformed(
    count: usize,
    mean: &[f64],
    scale: &[f64],
    weights: &[f64],
    bias: f64,
    threshold: f64,
) -> Option<&'static str> {
    if [mean, scale, weights]
        .iter()
        .any(|list| list.len() != count)
    {
        return Some("a list has the wrong length");
    }
    let finite = mean
        .iter()
        .chain(scale)
        .chain(weights)
        .chain([&bias, &threshold])
        .all(|v| v.is_finite());
    if !finite || scale.iter().any(|&s| s <= 0.0) {
        return Some("a value is not finite, or a scale is not positive");
    }
    None
}

/// The weighted mean and standard deviation of each of `N` features over `rows` of
/// `(values, weight)`; a feature that does not vary gets scale 1, so that standardizing never
/// divides by 0.
///
/// ```
/// let (mean, scale) = stemma_align::logistic::mean_and_scale(&[([1.0, 5.0], 1.0), ([3.0, 5.0], 1.0)]);
/// assert_eq!((mean, scale), ([2.0, 5.0], [1.0, 1.0]));
/// ```
pub fn mean_and_scale<const N: usize>(rows: &[([f64; N], f64)]) -> ([f64; N], [f64; N]) {
    let total: f64 = rows.iter().map(|r| r.1).sum::<f64>().max(f64::MIN_POSITIVE);
    let mut mean = [0.0; N];
    let mut scale = [0.0; N];
    for (x, w) in rows {
        for i in 0..N {
            mean[i] += w * x[i] / total;
        }
    }
    for (x, w) in rows {
        for i in 0..N {
            scale[i] += w * (x[i] - mean[i]).powi(2) / total;
        }
    }
    for s in &mut scale {
        *s = if *s > 1e-12 { s.sqrt() } else { 1.0 };
    }
    (mean, scale)
}

/// Fits the `P` parameters (the weights of `P − 1` standardized features, then the bias) by Newton's
/// method on the L2-penalised, weighted log-likelihood. Each row is `(z, y, w)`: the standardized
/// features with a 1 last (for the bias), the label (0 or 1) and the row's weight. A feature `i`
/// with `active[i]` false keeps weight 0.
///
/// ```
/// use stemma_align::logistic::{fit, sigmoid};
/// // One feature that decides the label, and the bias.
/// let rows: Vec<([f64; 2], f64, f64)> =
///     (0..20).map(|i| ([f64::from(i) - 9.5, 1.0], f64::from(u8::from(i >= 10)), 1.0)).collect();
/// let beta = fit(&rows, &[true], 1.0);
/// assert!(beta[0] > 0.0);
/// assert!(sigmoid(beta[0] * 5.0 + beta[1]) > 0.9);
/// let held = fit(&rows, &[false], 1.0);
/// assert_eq!(held[0], 0.0);
/// ```
pub fn fit<const P: usize>(rows: &[([f64; P], f64, f64)], active: &[bool], l2: f64) -> [f64; P] {
    assert_eq!(active.len() + 1, P, "one activity flag per feature");
    let features = P - 1;
    let mut beta = [0.0; P];
    let on = |i: usize| i == features || active[i];
    for _ in 0..50 {
        let mut gradient = [0.0; P];
        let mut hessian = [[0.0; P]; P];
        for (z, y, w) in rows {
            let p = sigmoid(dot(&beta, z));
            let r = w * (p - y);
            let s = w * p * (1.0 - p);
            for i in (0..P).filter(|&i| on(i)) {
                gradient[i] += r * z[i];
                for j in (0..P).filter(|&j| on(j)) {
                    hessian[i][j] += s * z[i] * z[j];
                }
            }
        }
        for i in 0..features {
            if active[i] {
                gradient[i] += l2 * beta[i];
                hessian[i][i] += l2;
            } else {
                // An identity row: the step leaves the held weight at 0.
                hessian[i][i] = 1.0;
            }
        }
        hessian[features][features] += 1e-9;
        let step = solve(hessian, gradient);
        let mut largest: f64 = 0.0;
        for i in 0..P {
            beta[i] -= step[i];
            largest = largest.max(step[i].abs());
        }
        if largest < 1e-10 {
            break;
        }
    }
    beta
}

fn dot(x: &[f64], y: &[f64]) -> f64 {
    x.iter().zip(y).map(|(a, b)| a * b).sum()
}

/// Solves `m · x = v` by Gaussian elimination with partial pivoting (`m` is positive definite here:
/// a Hessian with a ridge).
fn solve<const P: usize>(mut m: [[f64; P]; P], mut v: [f64; P]) -> [f64; P] {
    for col in 0..P {
        let pivot = (col..P)
            .max_by(|&i, &j| m[i][col].abs().total_cmp(&m[j][col].abs()))
            .expect("a non-empty range");
        m.swap(col, pivot);
        v.swap(col, pivot);
        let d = m[col][col];
        if d.abs() < 1e-300 {
            continue;
        }
        for row in col + 1..P {
            let f = m[row][col] / d;
            if f == 0.0 {
                continue;
            }
            let pivot_row = m[col];
            for (k, value) in m[row].iter_mut().enumerate().skip(col) {
                *value -= f * pivot_row[k];
            }
            v[row] -= f * v[col];
        }
    }
    let mut x = [0.0; P];
    for row in (0..P).rev() {
        let s: f64 = (row + 1..P).map(|k| m[row][k] * x[k]).sum();
        x[row] = if m[row][row].abs() < 1e-300 {
            0.0
        } else {
            (v[row] - s) / m[row][row]
        };
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solve_inverts_a_small_system() {
        let x = solve([[4.0, 1.0], [1.0, 3.0]], [1.0, 2.0]);
        assert!((4.0 * x[0] + x[1] - 1.0).abs() < 1e-12);
        assert!((x[0] + 3.0 * x[1] - 2.0).abs() < 1e-12);
    }

    #[test]
    fn the_fit_is_deterministic_and_follows_the_informative_feature() {
        // Feature 0 decides the label; feature 1 takes each of its values equally often with
        // either label.
        let rows: Vec<([f64; 3], f64, f64)> = (0..40)
            .map(|i| {
                let x = f64::from(i % 20) - 9.5;
                let noise = if i < 20 { -1.0 } else { 1.0 };
                ([x, noise, 1.0], f64::from(u8::from(i % 20 >= 10)), 1.0)
            })
            .collect();
        let beta = fit(&rows, &[true, true], 1.0);
        assert_eq!(beta, fit(&rows, &[true, true], 1.0));
        assert!(beta[0] > 1.0 && beta[1].abs() < 1e-9, "{beta:?}");
    }

    #[test]
    fn a_row_weight_counts_as_that_many_rows() {
        let base: Vec<([f64; 2], f64, f64)> = vec![
            ([-1.0, 1.0], 0.0, 1.0),
            ([1.0, 1.0], 1.0, 1.0),
            ([0.5, 1.0], 0.0, 1.0),
        ];
        let mut doubled = base.clone();
        doubled.push(base[2]);
        let mut weighted = base.clone();
        weighted[2].2 = 2.0;
        let (a, b) = (fit(&doubled, &[true], 1.0), fit(&weighted, &[true], 1.0));
        assert!((a[0] - b[0]).abs() < 1e-9 && (a[1] - b[1]).abs() < 1e-9);
    }
}
