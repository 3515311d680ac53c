namespace SequentialNet.Backends.Cpu;

// Per-row losses and their gradients; the float64 formulas they follow are in LossReference.
public sealed unsafe partial class CpuBackend
{
    private const float Epsilon = 1e-7f;   // Keras backend.epsilon(): probability clipping

    /// <inheritdoc/>
    public void Loss(LossKind kind, DeviceBuffer pred, DeviceBuffer target, DeviceBuffer loss, int rows, int cols, float param)
    {
        RequireRowsAndTargets(nameof(Loss), pred, target, rows, cols, kind == LossKind.SparseCategoricalCrossentropy);
        RequireAtLeast(nameof(Loss), nameof(loss), loss, rows);
        float* p = F(pred), t = F(target), l = F(loss);
        for (int r = 0; r < rows; r++)
            l[r] = LossRow(kind, p + (long)r * cols, t, r, cols, param);
    }

    private static float LossRow(LossKind kind, float* p, float* t, int r, int cols, float param)
    {
        bool sparse = kind == LossKind.SparseCategoricalCrossentropy;
        float* tr = t + (long)r * cols;
        float sumP = 0, s = 0;
        if (kind is LossKind.CategoricalCrossentropy or LossKind.SparseCategoricalCrossentropy)
            for (int j = 0; j < cols; j++) sumP += p[j];
        for (int j = 0; j < cols; j++)
        {
            float x = p[j], y = sparse ? ((int)t[r] == j ? 1f : 0f) : tr[j], d = x - y;
            s += kind switch
            {
                LossKind.MeanSquaredError => d * d,
                LossKind.MeanAbsoluteError => MathF.Abs(d),
                LossKind.Huber => MathF.Abs(d) <= param ? 0.5f * d * d : param * (MathF.Abs(d) - 0.5f * param),
                LossKind.BinaryCrossentropy => -(y * MathF.Log(Clip(x)) + (1 - y) * MathF.Log(1 - Clip(x))),
                LossKind.BinaryCrossentropyFromLogits => MathF.Max(x, 0) - x * y + MathF.Log(1 + MathF.Exp(-MathF.Abs(x))),
                _ => y == 0f ? 0f : -y * MathF.Log(Clip(x / sumP)),
            };
        }
        bool perClassSum = kind is LossKind.CategoricalCrossentropy or LossKind.SparseCategoricalCrossentropy;
        return perClassSum ? s : s / cols;
    }

    /// <inheritdoc/>
    public void LossBackward(LossKind kind, DeviceBuffer pred, DeviceBuffer target, DeviceBuffer dloss, DeviceBuffer dpred, int rows, int cols, float param)
    {
        RequireRowsAndTargets(nameof(LossBackward), pred, target, rows, cols, kind == LossKind.SparseCategoricalCrossentropy);
        RequireAtLeast(nameof(LossBackward), nameof(dloss), dloss, rows);
        RequireAtLeast(nameof(LossBackward), nameof(dpred), dpred, (long)rows * cols);
        float* p = F(pred), t = F(target), dl = F(dloss), dp = F(dpred);
        bool sparse = kind == LossKind.SparseCategoricalCrossentropy;
        for (int r = 0; r < rows; r++)
        {
            float* pr = p + (long)r * cols, tr = t + (long)r * cols, dr = dp + (long)r * cols;
            float g = dl[r];
            if (kind is LossKind.CategoricalCrossentropy or LossKind.SparseCategoricalCrossentropy)
            {
                CategoricalRowGrad(pr, t, r, cols, sparse, g, dr);
                continue;
            }
            float inv = g / cols;
            for (int j = 0; j < cols; j++)
            {
                float x = pr[j], y = tr[j], d = x - y;
                dr[j] = inv * kind switch
                {
                    LossKind.MeanSquaredError => 2 * d,
                    LossKind.MeanAbsoluteError => MathF.Sign(d),
                    LossKind.Huber => MathF.Abs(d) <= param ? d : param * MathF.Sign(d),
                    LossKind.BinaryCrossentropy => x < Epsilon || x > 1 - Epsilon ? 0f : -y / x + (1 - y) / (1 - x),
                    _ => 1f / (1f + MathF.Exp(-x)) - y,
                };
            }
        }
    }

    // L = −Σ_i t_i·log(clip(p_i/S)), S = Σp ⇒ ∂L/∂p_j = −u_j·t_j/p_j + Σ_i u_i·t_i / S (u: not clipped).
    private static void CategoricalRowGrad(float* p, float* t, int r, int cols, bool sparse, float g, float* d)
    {
        float sumP = 0, sumTU = 0;
        for (int j = 0; j < cols; j++) sumP += p[j];
        for (int j = 0; j < cols; j++)
        {
            float q = p[j] / sumP, y = sparse ? ((int)t[r] == j ? 1f : 0f) : t[(long)r * cols + j];
            if (q >= Epsilon && q <= 1 - Epsilon) sumTU += y;
        }
        for (int j = 0; j < cols; j++)
        {
            float q = p[j] / sumP, y = sparse ? ((int)t[r] == j ? 1f : 0f) : t[(long)r * cols + j];
            bool unclipped = q >= Epsilon && q <= 1 - Epsilon;
            d[j] = g * ((unclipped && y != 0f ? -y / p[j] : 0f) + sumTU / sumP);
        }
    }

    private static float Clip(float v) => Math.Clamp(v, Epsilon, 1 - Epsilon);
}
