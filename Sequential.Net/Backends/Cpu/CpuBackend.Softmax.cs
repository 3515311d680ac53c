namespace SequentialNet.Backends.Cpu;

// Softmax, fused softmax cross-entropy and accuracy counting: row-wise, small width (classes).
public sealed unsafe partial class CpuBackend
{
    /// <inheritdoc/>
    public void Softmax(DeviceBuffer x, DeviceBuffer y, int rows, int cols)
    {
        RequireEach(nameof(Softmax), RequireMatrix(nameof(Softmax), rows, cols), (nameof(x), x), (nameof(y), y));
        if (cols == 0) return;
        // An exp costs tens of elementwise ops, so rows split over the workers from 2¹¹ elements (Predict's
        // 1000×10 softmax: 85 → 58 µs on two threads; TensorPrimitives.Exp measured slower than MathF.Exp here).
        var args = new SoftmaxArgs { X = F(x), Y = F(y), Cols = cols };
        ElementwiseParallel.ForRows(rows, cols, &args, &SoftmaxRange, SoftmaxThreshold);
    }

    /// <summary>Checks predictions (rows, cols) and targets: one class index per row when sparse, else (rows, cols).</summary>
    private static void RequireRowsAndTargets(string who, DeviceBuffer pred, DeviceBuffer target, int rows, int cols, bool sparse)
    {
        long n = RequireMatrix(who, rows, cols);
        RequireAtLeast(who, nameof(pred), pred, n);
        RequireAtLeast(who, nameof(target), target, sparse ? rows : n);
    }

    /// <summary>Softmax passes of at least this many elements run on every worker.</summary>
    internal const int SoftmaxThreshold = 1 << 11;

    private struct SoftmaxArgs
    {
        public float* X, Y;
        public int Cols;
    }

    private static void SoftmaxRange(void* state, int first, int count)
    {
        ref SoftmaxArgs a = ref *(SoftmaxArgs*)state;
        for (int r = first; r < first + count; r++) SoftmaxRow(a.X + (long)r * a.Cols, a.Y + (long)r * a.Cols, a.Cols);
    }

    // y = e^(x − max) / Σ e^(x − max) over one row (a row is computed the same way wherever it falls in a
    // split, so the result does not depend on the thread count).
    private static void SoftmaxRow(float* x, float* y, int cols)
    {
        float max = float.NegativeInfinity;
        for (int j = 0; j < cols; j++) max = MathF.Max(max, x[j]);
        float sum = 0;
        for (int j = 0; j < cols; j++) sum += y[j] = MathF.Exp(x[j] - max);
        float inv = 1f / sum;
        for (int j = 0; j < cols; j++) y[j] *= inv;
    }

    /// <inheritdoc/>
    public void SoftmaxBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, int rows, int cols)
    {
        RequireEach(nameof(SoftmaxBackward), RequireMatrix(nameof(SoftmaxBackward), rows, cols), (nameof(y), y), (nameof(dy), dy), (nameof(dx), dx));
        float* py = F(y), pdy = F(dy), pdx = F(dx);
        for (int r = 0; r < rows; r++)
        {
            long o = (long)r * cols;
            float dot = 0;
            for (int j = 0; j < cols; j++) dot += py[o + j] * pdy[o + j];
            for (int j = 0; j < cols; j++) pdx[o + j] = py[o + j] * (pdy[o + j] - dot);
        }
    }

    /// <inheritdoc/>
    public void SoftmaxCrossEntropy(DeviceBuffer logits, DeviceBuffer labels, DeviceBuffer loss, int rows, int cols, bool sparse, float labelSmoothing)
    {
        RequireRowsAndTargets(nameof(SoftmaxCrossEntropy), logits, labels, rows, cols, sparse);
        RequireAtLeast(nameof(SoftmaxCrossEntropy), nameof(loss), loss, rows);
        float* z = F(logits), t = F(labels), l = F(loss);
        for (int r = 0; r < rows; r++)
        {
            float* zr = z + (long)r * cols;
            float max = float.NegativeInfinity;
            for (int j = 0; j < cols; j++) max = MathF.Max(max, zr[j]);
            float sum = 0, dot = 0;
            for (int j = 0; j < cols; j++)
            {
                sum += MathF.Exp(zr[j] - max);
                dot += Target(t, r, j, cols, sparse, labelSmoothing) * (zr[j] - max);
            }
            // Σt = 1, so logsumexp(z) − Σ t·z = log Σ e^(z−max) − Σ t·(z−max): no overflow.
            l[r] = MathF.Log(sum) - dot;
        }
    }

    /// <inheritdoc/>
    public void SoftmaxCrossEntropyBackward(DeviceBuffer logits, DeviceBuffer labels, DeviceBuffer dloss, DeviceBuffer dlogits, int rows, int cols, bool sparse, float labelSmoothing)
    {
        RequireRowsAndTargets(nameof(SoftmaxCrossEntropyBackward), logits, labels, rows, cols, sparse);
        RequireAtLeast(nameof(SoftmaxCrossEntropyBackward), nameof(dloss), dloss, rows);
        RequireAtLeast(nameof(SoftmaxCrossEntropyBackward), nameof(dlogits), dlogits, (long)rows * cols);
        float* z = F(logits), t = F(labels), dl = F(dloss), dz = F(dlogits);
        for (int r = 0; r < rows; r++)
        {
            long o = (long)r * cols;
            SoftmaxRow(z + o, dz + o, cols);
            float g = dl[r];
            for (int j = 0; j < cols; j++) dz[o + j] = (dz[o + j] - Target(t, r, j, cols, sparse, labelSmoothing)) * g;
        }
    }

    private static float Target(float* t, int r, int j, int cols, bool sparse, float smoothing)
    {
        float v = sparse ? ((int)t[r] == j ? 1f : 0f) : t[(long)r * cols + j];
        return smoothing == 0f ? v : v * (1f - smoothing) + smoothing / cols;
    }

    /// <inheritdoc/>
    public void CountCorrect(AccuracyKind kind, DeviceBuffer pred, DeviceBuffer target, DeviceBuffer? weights, DeviceBuffer acc, int index, int rows, int cols, float threshold)
    {
        RequireRowsAndTargets(nameof(CountCorrect), pred, target, rows, cols, kind == AccuracyKind.SparseCategorical);
        RequireIndex(nameof(CountCorrect), nameof(index), acc, index);
        float* p = F(pred), t = F(target), w = weights == null ? null : F(weights);
        float correct = 0;
        for (int r = 0; r < rows; r++)
        {
            float* pr = p + (long)r * cols;
            correct += (w == null ? 1f : w[r]) * (kind switch
            {
                AccuracyKind.SparseCategorical => ArgMax(pr, cols) == (int)t[r] ? 1f : 0f,
                AccuracyKind.Categorical => ArgMax(pr, cols) == ArgMax(t + (long)r * cols, cols) ? 1f : 0f,
                _ => BinaryRowAccuracy(pr, t + (long)r * cols, cols, threshold),
            });
        }
        F(acc)[index] += correct;
    }

    private static float BinaryRowAccuracy(float* p, float* t, int cols, float threshold)
    {
        int hits = 0;
        for (int j = 0; j < cols; j++) hits += (p[j] > threshold) == (t[j] > 0.5f) ? 1 : 0;
        return (float)hits / cols;
    }

    private static int ArgMax(float* x, int n)
    {
        int best = 0;
        for (int j = 1; j < n; j++) if (x[j] > x[best]) best = j;
        return best;
    }
}
