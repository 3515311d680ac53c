using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Metrics;

/// <summary>
/// Mean intersection-over-union over <c>numClasses</c> classes, as Keras's MeanIoU: a (weighted) confusion
/// matrix cm[true, predicted] is accumulated; IoU_c = cm[c,c] / (Σ_t cm[t,c] + Σ_p cm[c,p] − cm[c,c] + 1e-7), and
/// the result is Σ_c IoU_c / (number of classes with a denominator &gt; 1e-9, + 1e-7). As in Keras the
/// predictions are class ids by default (<paramref name="sparseYPred"/>); pass <c>sparseYPred: false</c> for
/// per-class scores (their argmax is the prediction), and <c>sparseYTrue: false</c> for one-hot targets.
/// Items of <paramref name="ignoreClass"/> (by true class) are left out. Uses numClasses² accumulators.
/// </summary>
/// <param name="numClasses">Number of classes, ≥ 2 (the matrix is numClasses × numClasses).</param>
/// <param name="ignoreClass">A true class whose items are not counted; null: none.</param>
/// <param name="sparseYTrue">Targets are class ids (default), else one-hot rows.</param>
/// <param name="sparseYPred">Predictions are class ids (default), else per-class scores.</param>
public sealed class MeanIoU(int numClasses, int? ignoreClass = null, bool sparseYTrue = true, bool sparseYPred = true) : Metric
{
    /// <summary>Number of classes.</summary>
    public int NumClasses { get; } = numClasses >= 2 ? numClasses
        : throw new ArgumentException($"Invalid value for argument `num_classes`: expected an integer >= 2. Received: num_classes={numClasses}.", nameof(numClasses));
    /// <summary>The true class left out, or null.</summary>
    public int? IgnoreClass { get; } = ignoreClass;
    /// <summary>Targets are class ids.</summary>
    public bool SparseYTrue { get; } = sparseYTrue;
    /// <summary>Predictions are class ids.</summary>
    public bool SparseYPred { get; } = sparseYPred;

    /// <inheritdoc/>
    public override string Name => "mean_io_u";
    internal override int Slots => NumClasses * NumClasses;
    internal override bool IsMean => false;

    internal override void Emit(GraphBuilder g, Node output, Node labels, Node? weights, bool sparseLabels, int index)
    {
        RequireRowWeights(output, weights);
        if (SparseYPred ? sparseLabels && output.Cols > 1 : SparseYTrue != sparseLabels)
            throw new ArgumentException(SparseYPred
                ? "MeanIoU with sparseYPred expects predictions of class ids shaped like the targets; for per-class scores pass sparseYPred: false."
                : $"MeanIoU expects {(SparseYTrue ? "class-index targets (sparseYTrue: true)" : "one-hot targets (sparseYTrue: false)")}, but the loss takes {(sparseLabels ? "class indices" : "targets shaped like the predictions")}.");
        var op = new CountConfusionMatrixOp(index, NumClasses, SparseYPred, !SparseYPred && SparseYTrue, IgnoreClass ?? -1);
        g.Effect(op, weights == null ? [output, labels] : [output, labels, weights]);
    }

    internal override double Result(ReadOnlySpan<float> slots, int samples)
    {
        const double eps = 1e-7;
        int c = NumClasses;
        double sum = 0, valid = 0;
        for (int k = 0; k < c; k++)
        {
            double predicted = 0, actual = 0;
            for (int j = 0; j < c; j++) { predicted += slots[j * c + k]; actual += slots[k * c + j]; }
            double tp = slots[k * c + k], denominator = predicted + actual - tp;
            if (denominator > 1e-9) valid++;
            sum += tp / (denominator + eps);
        }
        return sum / (valid + eps);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["name"] = Name, ["num_classes"] = NumClasses, ["ignore_class"] = IgnoreClass, ["sparse_y_true"] = SparseYTrue, ["sparse_y_pred"] = SparseYPred,
    };
}
