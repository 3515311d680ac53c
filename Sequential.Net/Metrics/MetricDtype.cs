namespace SequentialNet.Metrics;

/// <summary>The dtype argument of Keras's metrics: every metric state here is float32.</summary>
internal static class MetricDtype
{
    public static string Check(string? dtype, string metric) => dtype is null or "float32" ? "float32"
        : throw new NotSupportedException($"{metric}: expected dtype \"float32\" (metric state is float32 here). Received: dtype=\"{dtype}\".");
}
