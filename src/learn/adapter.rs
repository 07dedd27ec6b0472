//! What training changed, as a LoRA adapter: for each weight matrix, the difference between
//! the trained and the starting weights, cut by a truncated SVD to its strongest directions.
//! An adapter of rank r replaces a matrix's change Δ (outputs × inputs) by B·A, with
//! B = U·√S (outputs × r) and A = √S·Vᵀ (r × inputs): the best rank-r approximation of Δ.
//! llama.cpp applies it on the unchanged base file, and pai can switch it on and off per
//! request (engine/lora.rs). Norm weights are vectors that LoRA cannot carry; their change is
//! left out, which the held-out measurement of each rank takes into account.
use std::path::Path;

use faer::Mat;

use super::ffi::FfiError;
use super::tensors::{Shape, Tensors, Writer};
use crate::error::Error;

/// One matrix's change, strongest directions first, kept up to the largest rank tried.
struct Factors {
    shape: Shape,
    /// `outputs × k`, row-major: U·√S.
    left: Vec<f32>,
    /// `k × inputs`, row-major: √S·Vᵀ.
    right: Vec<f32>,
    /// The singular values, largest first; their squares sum to the change's squared norm
    /// when `k` is the full rank.
    singular: Vec<f32>,
    /// ‖Δ‖², to say how much of the change a rank keeps.
    squared_norm: f64,
}

/// The change of every matrix between two F32 copies of one model.
pub struct Change {
    architecture: String,
    factors: Vec<Factors>,
}

impl Change {
    /// Decomposes the change from `before` to `after`, keeping up to `max_rank` directions of
    /// each matrix. The token embedding is left out: llama.cpp's training does not change it.
    pub fn between(before: &Tensors, after: &Tensors, max_rank: usize) -> Result<Self, Error> {
        let architecture = after
            .text("general.architecture")
            .ok_or_else(|| Error::internal("the trained model names no architecture"))?;
        let mut factors = Vec::new();
        for shape in after.matrices() {
            if shape.name == "token_embd.weight" {
                continue;
            }
            let (Some(new), Some(old)) = (after.values(&shape.name), before.values(&shape.name))
            else {
                continue;
            };
            if new.len() != old.len() {
                return Err(Error::internal(format!(
                    "{} differs in shape between the two models",
                    shape.name
                )));
            }
            let delta: Vec<f32> = new.iter().zip(&old).map(|(n, o)| n - o).collect();
            if delta.iter().all(|&d| d == 0.0) {
                continue;
            }
            factors.push(decompose(shape, &delta, max_rank)?);
        }
        Ok(Self {
            architecture,
            factors,
        })
    }

    /// The share of the change's squared norm that an adapter of `rank` keeps, over all
    /// matrices.
    pub fn kept(&self, rank: usize) -> f64 {
        let total: f64 = self.factors.iter().map(|f| f.squared_norm).sum();
        let kept: f64 = self
            .factors
            .iter()
            .map(|f| {
                f.singular
                    .iter()
                    .take(rank)
                    .map(|&s| (s as f64).powi(2))
                    .sum::<f64>()
            })
            .sum();
        if total == 0.0 {
            1.0
        } else {
            kept / total
        }
    }

    /// Writes the adapter of `rank` (capped by each matrix's own rank and the largest kept).
    pub fn write(&self, rank: usize, path: &Path) -> Result<(), FfiError> {
        let mut out = Writer::new(None)?;
        out.set_text("general.architecture", &self.architecture);
        out.set_text("general.type", "adapter");
        out.set_text("adapter.type", "lora");
        for f in &self.factors {
            let k = f.singular.len();
            let r = rank.min(k);
            let (inputs, outputs) = (f.shape.inputs, f.shape.outputs);
            // A: the first r rows of √S·Vᵀ; B: the first r columns of U·√S.
            let a = &f.right[..r * inputs];
            let b: Vec<f32> = (0..outputs)
                .flat_map(|o| f.left[o * k..o * k + r].iter().copied())
                .collect();
            out.add_matrix(&format!("{}.lora_a", f.shape.name), inputs, r, a);
            out.add_matrix(&format!("{}.lora_b", f.shape.name), r, outputs, &b);
        }
        // No alpha: llama.cpp then scales B·A by the adapter's scale alone (1 by default).
        out.write(path)
    }
}

/// The truncated SVD of one matrix's change `delta` (`outputs` rows of `inputs`).
fn decompose(shape: Shape, delta: &[f32], max_rank: usize) -> Result<Factors, Error> {
    let (rows, cols) = (shape.outputs, shape.inputs);
    let m = Mat::<f32>::from_fn(rows, cols, |o, i| delta[o * cols + i]);
    let svd = m.thin_svd().map_err(|e| {
        Error::internal(format!("the SVD of {} did not converge: {e:?}", shape.name))
    })?;
    let (u, s, v) = (svd.U(), svd.S().column_vector(), svd.V());
    let k = max_rank.min(rows).min(cols);
    let root: Vec<f32> = (0..k).map(|j| s[j].max(0.0).sqrt()).collect();
    let left = (0..rows)
        .flat_map(|o| (0..k).map(move |j| (o, j)))
        .map(|(o, j)| u[(o, j)] * root[j])
        .collect();
    let right = (0..k)
        .flat_map(|j| (0..cols).map(move |i| (j, i)))
        .map(|(j, i)| root[j] * v[(i, j)])
        .collect();
    let squared_norm = delta.iter().map(|&d| (d as f64).powi(2)).sum();
    Ok(Factors {
        shape,
        left,
        right,
        singular: (0..k).map(|j| s[j]).collect(),
        squared_norm,
    })
}

/// Adds the adapter at `path` (times `scale`) into the F32 weights of `model`: the starting
/// point of a run that continues from a learned adapter.
pub fn merge(model: &mut Tensors, path: &Path, scale: f32) -> Result<(), Error> {
    let adapter = Tensors::load(path).map_err(|e| Error::internal(e.to_string()))?;
    let alpha = adapter.number("adapter.lora.alpha").unwrap_or(0.0);
    for a in adapter.matrices() {
        let Some(name) = a.name.strip_suffix(".lora_a") else {
            continue;
        };
        let b_name = format!("{name}.lora_b");
        let (Some(av), Some(bv)) = (adapter.values(&a.name), adapter.values(&b_name)) else {
            return Err(Error::internal(format!(
                "{} has no {b_name}",
                path.display()
            )));
        };
        let rank = a.outputs;
        let factor = if alpha != 0.0 {
            scale * alpha / rank as f32
        } else {
            scale
        };
        let Some(weights) = model.values_mut(name) else {
            return Err(Error::internal(format!(
                "the model has no F32 tensor {name} for {}",
                path.display()
            )));
        };
        let (cols, rows) = (a.inputs, bv.len() / rank.max(1));
        if weights.len() != rows * cols {
            return Err(Error::internal(format!(
                "{name} does not fit {}",
                path.display()
            )));
        }
        let am = faer::MatRef::from_row_major_slice(&av, rank, cols);
        let bm = faer::MatRef::from_row_major_slice(&bv, rows, rank);
        let product = bm * am;
        for o in 0..rows {
            for i in 0..cols {
                weights[o * cols + i] += factor * product[(o, i)];
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(inputs: usize, outputs: usize) -> Shape {
        Shape {
            name: "blk.0.attn_q.weight".into(),
            inputs,
            outputs,
        }
    }

    /// B·A rebuilt from the factors at `rank`.
    fn rebuild(f: &Factors, rank: usize) -> Vec<f32> {
        let (k, cols) = (f.singular.len(), f.shape.inputs);
        (0..f.shape.outputs)
            .flat_map(|o| (0..cols).map(move |i| (o, i)))
            .map(|(o, i)| {
                (0..rank)
                    .map(|j| f.left[o * k + j] * f.right[j * cols + i])
                    .sum()
            })
            .collect()
    }

    #[test]
    fn a_rank_two_change_is_rebuilt_exactly_at_rank_two() {
        // Δ = x·yᵀ + 0.1·p·qᵀ, 5 outputs × 7 inputs.
        let (x, y) = (
            [1.0, -2.0, 0.5, 3.0, 1.0],
            [0.3, 0.1, -0.7, 0.2, 0.9, -0.4, 0.6],
        );
        let (p, q) = (
            [0.0, 1.0, 1.0, -1.0, 2.0],
            [1.0, 0.0, 0.5, -0.5, 0.0, 1.0, 0.2],
        );
        let delta: Vec<f32> = (0..5)
            .flat_map(|o| (0..7).map(move |i| x[o] * y[i] + 0.1 * p[o] * q[i]))
            .collect();
        let f = decompose(shape(7, 5), &delta, 4).unwrap();
        let exact = rebuild(&f, 2);
        let worst = exact
            .iter()
            .zip(&delta)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        assert!(worst < 1e-4, "rank 2 rebuilds the change: error {worst}");
        let one = rebuild(&f, 1);
        let error: f32 = one.iter().zip(&delta).map(|(a, b)| (a - b).abs()).sum();
        assert!(error > 1e-2, "rank 1 loses the smaller direction");
        let change = Change {
            architecture: "llama".into(),
            factors: vec![f],
        };
        assert!(change.kept(1) > 0.9 && change.kept(1) < 1.0);
        assert!((change.kept(2) - 1.0).abs() < 1e-4);
    }
}
