namespace SequentialNet.Metrics;

/// <summary>
/// The output width a per-class metric (F-beta, R²) sized its state for, as Keras's metric <c>_build</c>: set by the
/// first Compile or UpdateState, then fixed (Keras's state variables keep their shape), so a later output of
/// another width is a clear error instead of counts landing in the wrong slots.
/// </summary>
internal sealed class OutputWidth
{
    /// <summary>The width, 0 before the metric is built.</summary>
    public int Value { get; private set; }

    /// <summary>Builds for (or checks) one sample of the output, which must be (output_dim,).</summary>
    public void Build(Metric metric, int[] sampleShape)
    {
        string who = $"{metric.GetType().Name} \"{metric.Name}\"";
        if (sampleShape.Length != 1 || sampleShape[0] < 1)
            throw new ArgumentException($"{who} expects 2D inputs with shape (batch_size, output_dim). Received: predictions of shape (None{string.Concat(sampleShape.Select(d => ", " + d))}).");
        if (Value != 0 && Value != sampleShape[0])
            throw new ArgumentException($"{who}: expected outputs of width {Value} (its state was built for that width by an earlier Compile or UpdateState). Received: width {sampleShape[0]}. Use a new metric object for an output of another width.");
        Value = sampleShape[0];
    }

    /// <summary>Refuses a per-class result in Compile, whose logs hold one number per metric.</summary>
    public static void RefusePerClassInCompile(Metric metric, string argument, string choices)
        => throw new ArgumentException($"{metric.GetType().Name} \"{metric.Name}\": {argument}=None gives one value per class, which Compile cannot log as one number (Keras logs a vector). Expected {argument}: {choices} in Compile, e.g. new {metric.GetType().Name}({argument}: {choices.Split(',')[0].Trim()}); or use the metric on its own (UpdateState, then ResultPerClass()).", argument);
}
