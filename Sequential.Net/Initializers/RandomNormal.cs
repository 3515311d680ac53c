namespace SequentialNet.Initializers;

/// <summary>N(mean, stddev²), Keras defaults mean 0, stddev 0.05.</summary>
public sealed class RandomNormal(double mean = 0.0, double stddev = 0.05) : Initializer
{
    /// <inheritdoc/>
    public override string Name => "random_normal";

    /// <inheritdoc/>
    public override float[] Generate(int[] shape, RandomSource random)
    {
        var values = new float[Count(shape)];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(mean + stddev * random.Normal());
        return values;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["mean"] = mean, ["stddev"] = stddev };
}

/// <summary>U(minval, maxval), Keras defaults ±0.05.</summary>
public sealed class RandomUniform(double minval = -0.05, double maxval = 0.05) : Initializer
{
    /// <inheritdoc/>
    public override string Name => "random_uniform";

    /// <inheritdoc/>
    public override float[] Generate(int[] shape, RandomSource random)
    {
        var values = new float[Count(shape)];
        for (int i = 0; i < values.Length; i++) values[i] = (float)random.Uniform(minval, maxval);
        return values;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["minval"] = minval, ["maxval"] = maxval };
}
