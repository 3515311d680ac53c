namespace SequentialNet.Plotting;

/// <summary>
/// The counts of a confusion matrix: <c>counts[t, p]</c> = how many samples of true class t were predicted
/// as class p (scikit-learn's <c>confusion_matrix</c> layout: rows are true classes, columns predictions).
/// </summary>
internal static class ConfusionCounts
{
    /// <summary>
    /// Class indices from a model's output: argmax over the last axis of (N, C), or a 0.5 threshold for a
    /// single sigmoid unit (N, 1) / (N,), as Keras's accuracy resolves binary outputs.
    /// </summary>
    public static int[] PredictedClasses(Tensor predictions)
    {
        if (predictions.Rank == 2 && predictions.Dim(1) > 1) return predictions.ArgMax();
        var data = predictions.Data;
        var classes = new int[predictions.RowCount];
        for (int i = 0; i < classes.Length; i++) classes[i] = data[i] > 0.5f ? 1 : 0;
        return classes;
    }

    /// <summary>
    /// Class indices from labels: integers of shape (N,) or (N, 1), or one-hot rows (N, C).
    /// </summary>
    /// <exception cref="ArgumentException">A label is not a non-negative integer (names the row and value).</exception>
    public static int[] TrueClasses(Tensor y)
    {
        if (y.Rank == 2 && y.Dim(1) > 1) return y.ArgMax();
        var data = y.Data;
        var classes = new int[y.RowCount];
        for (int i = 0; i < classes.Length; i++)
        {
            float v = data[i];
            if (!(v >= 0) || v != MathF.Floor(v) || v > int.MaxValue)
                throw new ArgumentException($"ConfusionMatrix expected y to hold class indices (non-negative integers) or one-hot rows. Received: y[{i}] = {v}.", nameof(y));
            classes[i] = (int)v;
        }
        return classes;
    }

    /// <summary>Counts (true, predicted) pairs into a classes × classes matrix.</summary>
    public static int[,] Count(int[] trueClasses, int[] predicted, int classes)
    {
        var counts = new int[classes, classes];
        for (int i = 0; i < trueClasses.Length; i++) counts[trueClasses[i], predicted[i]]++;
        return counts;
    }
}
