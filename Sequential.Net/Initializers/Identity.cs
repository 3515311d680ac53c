namespace SequentialNet.Initializers;

/// <summary>gain times the identity matrix, for 2-D variables (Keras <c>Identity(gain=1.0)</c>; a non-square one gets ones on its main diagonal).</summary>
public sealed class Identity(double gain = 1.0) : Initializer
{
    /// <inheritdoc/>
    public override string Name => "identity";

    /// <inheritdoc/>
    public override float[] Generate(int[] shape, RandomSource random)
    {
        if (shape.Length != 2)
            throw new ArgumentException($"Identity: expected a 2-D variable. Received: shape {Tensor.FormatShape(shape)}.", nameof(shape));
        var values = new float[shape[0] * shape[1]];
        for (int i = 0; i < Math.Min(shape[0], shape[1]); i++) values[i * shape[1] + i] = (float)gain;
        return values;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["gain"] = gain };
}
