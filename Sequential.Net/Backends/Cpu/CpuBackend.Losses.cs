namespace SequentialNet.Backends.Cpu;

// Per-row losses and their gradients; the float64 formulas they follow are in LossReference.
public sealed unsafe partial class CpuBackend
{
    private const float Epsilon = 1e-7f;   // Keras backend.epsilon(): probability clipping

    /// <inheritdoc/>
    public void Loss(LossKind kind, DeviceBuffer pred, DeviceBuffer target, DeviceBuffer loss, int rows, int cols, LossParams param)
    {
        RequireRowsAndTargets(nameof(Loss), pred, target, rows, cols, kind == LossKind.SparseCategoricalCrossentropy);
        RequireAtLeast(nameof(Loss), nameof(loss), loss, rows);
        float* p = F(pred), t = F(target), l = F(loss);
        for (int r = 0; r < rows; r++)
            l[r] = LossRow(kind, p + (long)r * cols, t, r, cols, param);
    }

    private static float LossRow(LossKind kind, float* p, float* t, int r, int cols, LossParams param)
    {
        if (RowLosses.Handles(kind)) return RowLosses.Row(kind, p, t + (long)r * cols, cols);
        bool sparse = kind == LossKind.SparseCategoricalCrossentropy;
        float* tr = t + (long)r * cols;
        float sumP = 0, s = 0;
        if (kind is LossKind.CategoricalCrossentropy or LossKind.SparseCategoricalCrossentropy)
            for (int j = 0; j < cols; j++) sumP += p[j];
        for (int j = 0; j < cols; j++)
        {
            float x = p[j], y = sparse ? ((int)t[r] == j ? 1f : 0f) : tr[j];
            s += kind is LossKind.CategoricalCrossentropy or LossKind.SparseCategoricalCrossentropy
                ? (y == 0f ? 0f : -y * MathF.Log(Clip(x / sumP)))
                : LossTerms.Term(kind, x, y, param);
        }
        return LossTerms.SumsOverRow(kind) ? s : s / cols;
    }

    /// <inheritdoc/>
    public void LossBackward(LossKind kind, DeviceBuffer pred, DeviceBuffer target, DeviceBuffer dloss, DeviceBuffer dpred, int rows, int cols, LossParams param)
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
            if (RowLosses.Handles(kind))
            {
                RowLosses.Gradient(kind, pr, tr, cols, g, dr);
                continue;
            }
            float inv = LossTerms.SumsOverRow(kind) ? g : g / cols;
            for (int j = 0; j < cols; j++) dr[j] = inv * LossTerms.Derivative(kind, pr[j], tr[j], param);
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
