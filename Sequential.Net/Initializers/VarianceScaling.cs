namespace SequentialNet.Initializers;

/// <summary>
/// Keras VarianceScaling: σ² = scale / n with n = fan_in, fan_out or their mean; "uniform" draws from
/// U(±√(3σ²)), "truncated_normal" from a normal truncated at ±2σ whose σ is divided by 0.8796… so the
/// truncated distribution keeps the variance (random_initializers.py). Keras's defaults: scale 1, "fan_in",
/// "truncated_normal". With a <c>seed</c> the values depend on it alone, not on the model's seed.
/// </summary>
public class VarianceScaling : Initializer
{
    private const double TruncatedStdCorrection = 0.87962566103423978;
    private readonly double scale;
    private readonly string mode, distribution, name;

    /// <summary>Keras <c>VarianceScaling(scale, mode, distribution, seed)</c>; "normal" means "truncated_normal", as in Keras.</summary>
    /// <exception cref="ArgumentException">scale ≤ 0, or an unknown mode or distribution.</exception>
    public VarianceScaling(double scale = 1.0, string mode = "fan_in", string distribution = "truncated_normal", int? seed = null)
        : this(scale, mode, distribution, "variance_scaling", seed) { }

    private protected VarianceScaling(double scale, string mode, string distribution, string name, int? seed)
    {
        if (!(scale > 0) || double.IsInfinity(scale))
            throw new ArgumentException($"VarianceScaling: expected scale > 0. Received: scale={scale}.", nameof(scale));
        if (mode is not ("fan_in" or "fan_out" or "fan_avg"))
            throw new ArgumentException($"VarianceScaling: expected mode \"fan_in\", \"fan_out\" or \"fan_avg\". Received: mode=\"{mode}\".", nameof(mode));
        if (distribution == "normal") distribution = "truncated_normal";
        if (distribution is not ("truncated_normal" or "untruncated_normal" or "uniform"))
            throw new ArgumentException($"VarianceScaling: expected distribution \"truncated_normal\", \"untruncated_normal\" or \"uniform\". Received: distribution=\"{distribution}\".", nameof(distribution));
        (this.scale, this.mode, this.distribution, this.name, Seed) = (scale, mode, distribution, name, seed);
    }

    /// <summary>The initializer's own seed (Keras <c>seed</c>); null: the model's seed.</summary>
    public int? Seed { get; }

    /// <inheritdoc/>
    public override string Name => name;

    /// <inheritdoc/>
    public override float[] Generate(int[] shape, RandomSource random)
    {
        if (Seed is { } seed) random = new RandomSource((ulong)(uint)seed, 0);
        var (fanIn, fanOut) = Fans(shape);
        double n = mode switch { "fan_in" => fanIn, "fan_out" => fanOut, _ => (fanIn + fanOut) / 2 };
        double variance = scale / Math.Max(1.0, n);
        var values = new float[Count(shape)];
        if (distribution == "uniform")
        {
            double limit = Math.Sqrt(3 * variance);
            for (int i = 0; i < values.Length; i++) values[i] = (float)random.Uniform(-limit, limit);
        }
        else
        {
            double std = Math.Sqrt(variance) / (distribution == "truncated_normal" ? TruncatedStdCorrection : 1);
            for (int i = 0; i < values.Length; i++)
                values[i] = (float)(std * (distribution == "truncated_normal" ? random.TruncatedNormal() : random.Normal()));
        }
        return values;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["scale"] = scale, ["mode"] = mode, ["distribution"] = distribution, ["seed"] = Seed };
}

/// <summary>U(±√(6/(fan_in+fan_out))): the Dense default.</summary>
public sealed class GlorotUniform(int? seed = null) : VarianceScaling(1.0, "fan_avg", "uniform", "glorot_uniform", seed)
{
    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["seed"] = Seed };
}
/// <summary>Truncated normal, σ = √(2/(fan_in+fan_out)).</summary>
public sealed class GlorotNormal(int? seed = null) : VarianceScaling(1.0, "fan_avg", "truncated_normal", "glorot_normal", seed)
{
    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["seed"] = Seed };
}
/// <summary>U(±√(6/fan_in)).</summary>
public sealed class HeUniform(int? seed = null) : VarianceScaling(2.0, "fan_in", "uniform", "he_uniform", seed)
{
    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["seed"] = Seed };
}
/// <summary>Truncated normal, σ = √(2/fan_in).</summary>
public sealed class HeNormal(int? seed = null) : VarianceScaling(2.0, "fan_in", "truncated_normal", "he_normal", seed)
{
    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["seed"] = Seed };
}
/// <summary>Truncated normal, σ = √(1/fan_in).</summary>
public sealed class LecunNormal(int? seed = null) : VarianceScaling(1.0, "fan_in", "truncated_normal", "lecun_normal", seed)
{
    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["seed"] = Seed };
}
/// <summary>U(±√(3/fan_in)).</summary>
public sealed class LecunUniform(int? seed = null) : VarianceScaling(1.0, "fan_in", "uniform", "lecun_uniform", seed)
{
    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["seed"] = Seed };
}
