using SequentialNet.Graph;

namespace SequentialNet.Losses;

/// <summary>
/// A loss evaluated outside a model (<see cref="Loss.Call"/>, <see cref="LossFunctions"/>): the loss's graph
/// ops on two inputs, run by the float64 reference evaluator, the ground truth the backends are tested against.
/// </summary>
internal static class StandaloneLoss
{
    /// <summary>Per-sample values of <paramref name="loss"/>: shape yPred.Shape without its last axis.</summary>
    public static Tensor PerSample(Loss loss, Tensor yTrue, Tensor yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        int[] predShape = yPred.Shape;
        if (predShape.Length < 2)
            throw new ArgumentException($"Loss \"{loss.Name}\": expected yPred with a batch axis and a class/feature axis, e.g. (N, C). Received: {Tensor.FormatShape(predShape)}.", nameof(yPred));
        int[] sampleShape = predShape[1..];
        int[] labelShape = loss.SparseLabels ? sampleShape[..^1] : sampleShape;
        int rows = predShape[0];
        if (yTrue.Data.Length != rows * Loss.Product(labelShape))
            throw new ArgumentException($"Loss \"{loss.Name}\": expected yTrue with shape {Tensor.FormatShape([rows, .. labelShape])} to match yPred {Tensor.FormatShape(predShape)}. Received: {Tensor.FormatShape(yTrue.Shape)}.", nameof(yTrue));
        var g = new GraphBuilder();
        Node pred = g.Input(sampleShape, "y_pred");
        Node labels = g.Input(labelShape, "y_true");
        Node perSample = loss.Emit(g, pred, labels);
        var feeds = new Dictionary<Node, double[]> { [pred] = ToDouble(yPred), [labels] = ToDouble(yTrue) };
        var values = new ReferenceEvaluator(g.Nodes, new ReferenceContext()).Run(feeds, rows, perSample)[perSample];
        return new Tensor([.. values.Select(v => (float)v)], [rows, .. perSample.Shape]);
    }

    private static double[] ToDouble(Tensor t) => [.. t.Data.Select(v => (double)v)];
}
