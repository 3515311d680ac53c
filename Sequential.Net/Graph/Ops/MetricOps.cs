using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

// The metric accumulators. Each op's inputs are (predictions, targets) for a metric of Compile(metrics:), or
// (predictions, targets, per-row weights) for one of Compile(weightedMetrics:), the weights being the graph's
// sample-weight input: weight w_r counts for row r of the predictions seen as (rows, last dimension), as
// Keras's weighted metrics take sample_weight. Without weights the primitives count as before, bitwise.

/// <summary>acc[index] += Σ w·(row correct) (accuracy metrics).</summary>
internal sealed class CountCorrectOp(AccuracyKind kind, int index, float threshold) : Op
{
    public override string Name => $"count_correct[{index}]";
    public override bool HasSideEffects => true;

    public override void Run(IBackend backend, in OpArgs args)
    {
        Node p = args.Node.Inputs[0];
        backend.CountCorrect(kind, args[0], args[1], MetricOpWeights.Of(args), args.State.Accumulators, index, p.Rows(args.Batch), p.Cols, threshold);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch) { }
}

/// <summary>acc[index] += Σ w over the rows whose target class is in the top k predictions (top-k accuracy metrics).</summary>
internal sealed class CountTopKOp(int index, int k, bool sparse) : Op
{
    public override string Name => $"count_top_k[{index}]";
    public override bool HasSideEffects => true;

    public override void Run(IBackend backend, in OpArgs args)
    {
        Node p = args.Node.Inputs[0];
        backend.CountTopK(args[0], args[1], MetricOpWeights.Of(args), args.State.Accumulators, index, p.Rows(args.Batch), p.Cols, k, sparse);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch) { }
}

/// <summary>acc[index + 4i ..] += weighted (TP, FP, TN, FN) at each of <c>count</c> thresholds over all elements (precision, recall, AUC).</summary>
internal sealed class CountThresholdsOp(int index, int count, float first, float last) : Op
{
    public override string Name => $"count_thresholds[{index}]";
    public override bool HasSideEffects => true;

    public override void Run(IBackend backend, in OpArgs args)
    {
        Node p = args.Node.Inputs[0];
        backend.CountThresholds(args[0], args[1], MetricOpWeights.Of(args), args.State.Accumulators, index, p.Size(args.Batch), p.Cols, count, first, last);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch) { }
}

internal static class MetricOpWeights
{
    /// <summary>The weights input of a metric op, or null when it counts unweighted.</summary>
    public static DeviceBuffer? Of(in OpArgs args) => args.Node.Inputs.Length > 2 ? args[2] : null;
}

/// <summary>
/// acc[index] += Σ (w − 1) over the batch's weights: with the samples seen, the Σ w that a weighted mean
/// metric divides by (Keras's <c>count</c>); 0 in an unweighted call, so the mean stays total / samples.
/// </summary>
internal sealed class AccumulateExcessWeightOp(int index) : Op
{
    public override string Name => $"accumulate_excess_weight[{index}]";
    public override bool HasSideEffects => true;

    public override void Run(IBackend backend, in OpArgs args)
        => backend.AccumulateExcessWeight(args[0], args.State.Accumulators, index, args.Node.Inputs[0].Size(args.Batch));

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch) { }
}

/// <summary>values(rows) = the regression metric <c>kind</c> of each prediction row against its target row.</summary>
internal sealed class RowMetricOp(RowMetricKind kind) : Op
{
    public override string Name => $"row_metric[{kind}]";

    public override void Run(IBackend backend, in OpArgs args)
    {
        Node p = args.Node.Inputs[0];
        backend.RowMetric(kind, args[0], args[1], args.Output, p.Rows(args.Batch), p.Cols);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        int cols = node.Inputs[0].Cols;
        for (int r = 0; r < output.Length; r++)
            output[r] = Row(kind, inputs[0].AsSpan(r * cols, cols), inputs[1].AsSpan(r * cols, cols));
    }

    /// <summary>The float64 formula of <see cref="RowMetricKind"/> for one row (ε = 1e-7).</summary>
    public static double Row(RowMetricKind kind, ReadOnlySpan<double> p, ReadOnlySpan<double> t)
    {
        const double eps = 1e-7;
        double s = 0, tt = 0, pp = 0;
        for (int j = 0; j < p.Length; j++)
        {
            double d = p[j] - t[j];
            s += kind switch
            {
                RowMetricKind.MeanSquaredError => d * d,
                RowMetricKind.MeanAbsolutePercentageError => Math.Abs(d / Math.Max(Math.Abs(t[j]), eps)),
                RowMetricKind.MeanSquaredLogarithmicError => Math.Pow(Math.Log(Math.Max(p[j], eps) + 1) - Math.Log(Math.Max(t[j], eps) + 1), 2),
                RowMetricKind.CosineSimilarity => t[j] * p[j],
                _ => Math.Log(Math.Cosh(d)),
            };
            tt += t[j] * t[j]; pp += p[j] * p[j];
        }
        return kind switch
        {
            RowMetricKind.MeanAbsolutePercentageError => 100 * s / p.Length,
            RowMetricKind.CosineSimilarity => s / (Math.Sqrt(Math.Max(tt, eps)) * Math.Sqrt(Math.Max(pp, eps))),
            _ => s / p.Length,
        };
    }
}

/// <summary>acc[index + t·classes + p] += weighted confusion counts of class ids (MeanIoU).</summary>
internal sealed class CountConfusionMatrixOp(int index, int classes, bool sparsePred, bool sparseTarget, int ignoreClass) : Op
{
    public override string Name => $"count_confusion_matrix[{index}]";
    public override bool HasSideEffects => true;

    public override void Run(IBackend backend, in OpArgs args)
    {
        Node p = args.Node.Inputs[0];
        backend.CountConfusionMatrix(args[0], args[1], MetricOpWeights.Of(args), args.State.Accumulators, index,
            p.Rows(args.Batch), p.Cols, classes, sparsePred, sparseTarget, ignoreClass);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch) { }
}

/// <summary>acc[index + 4c + k] += the per-column sums k = 0..3 of <c>kind</c> (F-beta, R²).</summary>
internal sealed class CountClassStatsOp(ClassStatKind kind, int index, float threshold) : Op
{
    public override string Name => $"count_class_stats[{index}]";
    public override bool HasSideEffects => true;

    public override void Run(IBackend backend, in OpArgs args)
    {
        Node p = args.Node.Inputs[0];
        backend.CountClassStats(kind, args[0], args[1], MetricOpWeights.Of(args), args.State.Accumulators, index, p.Rows(args.Batch), p.Cols, threshold);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch) { }
}
