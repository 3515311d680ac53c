using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>
/// stats(2, features) of x(rows, features): the column means in row 0, the biased column variances in
/// row 1 (one fused, deterministic primitive). It has no gradient of its own: the batch-norm op that
/// consumes it folds the path through the statistics into its gradient wrt x (<see cref="BatchNormOp"/>).
/// </summary>
internal sealed class BatchNormStatsOp : Op
{
    public override string Name => "batch_norm_stats";

    public override void Run(IBackend backend, in OpArgs args)
    {
        Node x = args.Node.Inputs[0];
        backend.BatchNormStatistics(args[0], args.Output, x.Rows(args.Batch), x.Cols);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        double[] x = inputs[0];
        int cols = node.Inputs[0].Cols, rows = x.Length / Math.Max(1, cols);
        for (int j = 0; j < cols; j++)
        {
            double s = 0, q = 0;
            for (int r = 0; r < rows; r++) s += x[r * cols + j];
            double mean = rows > 0 ? s / rows : 0;
            for (int r = 0; r < rows; r++) q += (x[r * cols + j] - mean) * (x[r * cols + j] - mean);
            output[j] = mean;
            output[cols + j] = rows > 0 ? q / rows : 0;
        }
    }

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy)
        => throw new InvalidOperationException("Op batch_norm_stats has no gradient of its own: differentiate through batch_norm_train, whose gradient wrt x includes the path through the batch statistics.");
}

/// <summary>
/// Row <paramref name="row"/> of an unbatched (rows, n) matrix as an (n) vector: an alias at an offset
/// of the input's memory (nothing runs). Picks the mean or the variance out of <see cref="BatchNormStatsOp"/>.
/// </summary>
internal sealed class RowOfOp(int row) : Op
{
    public int Row { get; } = row;
    public override string Name => $"row_{Row}";
    public override bool IsAlias => true;
    public override int AliasOffset(Node node, int batch) => Row * node.Cols;

    public override void Run(IBackend backend, in OpArgs args) { }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
        => Array.Copy(inputs[0], Row * node.Cols, output, 0, output.Length);
}

/// <summary>
/// Fused batch normalization y(rows, n) = (x − mean)·(gamma·invstd) + beta, invstd = 1/√(variance + ε).
/// Inputs: x(rows, n), mean(n), variance(n), then gamma(n) when <see cref="HasGamma"/>, beta(n) when
/// <see cref="HasBeta"/>. With <see cref="BatchStatistics"/> (training) mean and variance must be the rows
/// of x's own <see cref="BatchNormStatsOp"/> (GraphBuilder.BatchNormTrain builds them so): the gradient wrt
/// x is then the full one through the statistics, dx = invstd·(g − mean_rows(g) − xhat·mean_rows(g·xhat)),
/// g = dy·gamma, and mean and variance get none of their own. Without it (moving statistics, constants)
/// dx = gamma·invstd·dy. dgamma = Σ_rows dy·xhat and dbeta = Σ_rows dy in both modes.
/// </summary>
internal sealed class BatchNormOp(float epsilon, bool batchStatistics, bool hasGamma, bool hasBeta) : Op
{
    public float Epsilon { get; } = epsilon;
    public bool BatchStatistics { get; } = batchStatistics;
    public bool HasGamma { get; } = hasGamma;
    public bool HasBeta { get; } = hasBeta;
    public override string Name => BatchStatistics ? "batch_norm_train" : "batch_norm";

    private int BetaIndex => HasGamma ? 4 : 3;

    public override void Run(IBackend backend, in OpArgs args)
    {
        Node x = args.Node.Inputs[0];
        backend.BatchNormForward(args[0], args[1], args[2], HasGamma ? args[3] : null, HasBeta ? args[BetaIndex] : null, args.Output,
            x.Rows(args.Batch), x.Cols, Epsilon);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        int cols = node.Cols;
        for (int i = 0; i < output.Length; i++)
        {
            int j = i % cols;
            double y = (inputs[0][i] - inputs[1][j]) / Math.Sqrt(inputs[2][j] + Epsilon);
            if (HasGamma) y *= inputs[3][j];
            if (HasBeta) y += inputs[BetaIndex][j];
            output[i] = y;
        }
    }

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy)
    {
        Node x = node.Inputs[0], mean = node.Inputs[1], variance = node.Inputs[2];
        Node? gamma = HasGamma ? node.Inputs[3] : null;
        bool wantGamma = gamma is { RequiresGrad: true }, wantBeta = HasBeta && node.Inputs[BetaIndex].RequiresGrad;
        if (!BatchStatistics && (mean.RequiresGrad || variance.RequiresGrad))
            throw new InvalidOperationException("Op batch_norm: mean and variance are constants here (moving statistics); it has no gradient wrt them.");
        Node? sums = wantGamma || wantBeta || (BatchStatistics && x.RequiresGrad)
            ? g.Add(new BatchNormGradSumsOp(Epsilon), [x, mean, variance, dy], [2, x.Cols], batched: false)
            : null;
        Node? dx = null;
        if (x.RequiresGrad)
        {
            Node[] inputs = [x, mean, variance, .. gamma == null ? Array.Empty<Node>() : [gamma], dy, .. BatchStatistics ? [sums!] : Array.Empty<Node>()];
            dx = g.Add(new BatchNormGradInputOp(Epsilon, BatchStatistics, HasGamma), inputs, x.Shape, x.Batched);
        }
        var grads = new Node?[node.Inputs.Length];
        grads[0] = dx;
        if (wantGamma) grads[3] = g.RowOf(sums!, 1);
        if (wantBeta) grads[BetaIndex] = g.RowOf(sums!, 0);
        return grads;
    }
}

/// <summary>
/// sums(2, n) = (Σ_rows dy; Σ_rows dy·xhat) for inputs x(rows, n), mean(n), variance(n), dy(rows, n):
/// dbeta and dgamma, and the two column means the batch-statistics gradient wrt x needs.
/// </summary>
internal sealed class BatchNormGradSumsOp(float epsilon) : Op
{
    public float Epsilon { get; } = epsilon;
    public override string Name => "batch_norm_grad_sums";

    public override void Run(IBackend backend, in OpArgs args)
    {
        Node x = args.Node.Inputs[0];
        backend.BatchNormBackwardReduce(args[0], args[1], args[2], args[3], args.Output, x.Rows(args.Batch), x.Cols, Epsilon);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        double[] x = inputs[0], mean = inputs[1], variance = inputs[2], dy = inputs[3];
        int cols = node.Inputs[0].Cols;
        Array.Clear(output);
        for (int i = 0; i < x.Length; i++)
        {
            int j = i % cols;
            output[j] += dy[i];
            output[cols + j] += dy[i] * (x[i] - mean[j]) / Math.Sqrt(variance[j] + Epsilon);
        }
    }
}

/// <summary>
/// dx(rows, n) of batch normalization. Inputs: x, mean, variance, gamma (when <paramref name="hasGamma"/>),
/// dy, and with <paramref name="batchStatistics"/> the sums of <see cref="BatchNormGradSumsOp"/>.
/// Batch statistics: dx = gamma·invstd·(dy − sums0/rows − xhat·sums1/rows); else dx = gamma·invstd·dy.
/// </summary>
internal sealed class BatchNormGradInputOp(float epsilon, bool batchStatistics, bool hasGamma) : Op
{
    public float Epsilon { get; } = epsilon;
    public bool BatchStatistics { get; } = batchStatistics;
    public bool HasGamma { get; } = hasGamma;
    public override string Name => "batch_norm_grad_input";

    private int DyIndex => HasGamma ? 4 : 3;

    public override void Run(IBackend backend, in OpArgs args)
    {
        Node x = args.Node.Inputs[0];
        backend.BatchNormBackwardInput(args[0], args[1], args[2], HasGamma ? args[3] : null, args[DyIndex], BatchStatistics ? args[DyIndex + 1] : null, args.Output,
            x.Rows(args.Batch), x.Cols, Epsilon, BatchStatistics);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        double[] x = inputs[0], mean = inputs[1], variance = inputs[2], dy = inputs[DyIndex];
        double[]? sums = BatchStatistics ? inputs[DyIndex + 1] : null;
        int cols = node.Cols, rows = x.Length / Math.Max(1, cols);
        for (int i = 0; i < x.Length; i++)
        {
            int j = i % cols;
            double inv = 1 / Math.Sqrt(variance[j] + Epsilon), a = (HasGamma ? inputs[3][j] : 1) * inv;
            output[i] = sums == null ? dy[i] * a
                : (dy[i] - sums[j] / rows - (x[i] - mean[j]) * inv * sums[cols + j] / rows) * a;
        }
    }
}
